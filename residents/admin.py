"""Archive admin for company admins: numbers masked (company admins too) and no
deletion — archives are kept permanently (SPEC §1)."""

from django.contrib import admin

from residents.models import (
    Absence,
    AccessRequest,
    Building,
    Document,
    House,
    ImportJob,
    Person,
    Pet,
    Residency,
    RevealLog,
    Vehicle,
    ZoneAssignment,
)


class ArchiveAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Building)
class BuildingAdmin(ArchiveAdmin):
    list_display = ["__str__", "number", "community"]
    list_filter = ["community"]


@admin.register(House)
class HouseAdmin(ArchiveAdmin):
    list_display = ["number", "community", "house_type", "occupancy", "floor_area", "butler"]
    list_filter = ["community", "occupancy", "house_type"]
    search_fields = ["number"]
    raw_id_fields = ["building", "butler"]


@admin.register(Person)
class PersonAdmin(ArchiveAdmin):
    """Mobile and ID number are shown masked and cannot be read or typed here;
    the app's logged reveal is the only way to see them."""

    list_display = ["name", "community", "masked_mobile", "id_type", "masked_id_number", "is_key_resident"]
    list_filter = ["community", "is_key_resident", "committee_role"]
    search_fields = ["name", "mobile_last4"]
    exclude = ["mobile", "id_number"]
    readonly_fields = ["masked_mobile", "masked_id_number"]

    @admin.display(description="手机号")
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description="证件号码")
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(Residency)
class ResidencyAdmin(ArchiveAdmin):
    list_display = ["house", "person", "relation", "start_date", "end_date"]
    raw_id_fields = ["house", "person", "created_by"]


for model in (Pet, Vehicle, Absence, ZoneAssignment):
    admin.site.register(model, ArchiveAdmin)


@admin.register(Document)
class DocumentAdmin(ArchiveAdmin):
    list_display = ["doc_type", "doc_date", "house", "uploaded_by", "uploaded_at"]
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(RevealLog)
class RevealLogAdmin(ArchiveAdmin):
    list_display = ["created_at", "actor", "person", "purpose", "basis"]
    list_filter = ["community"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ArchiveAdmin):
    list_display = ["created_at", "requester", "person", "status", "decided_by", "expires_at"]
    list_filter = ["community", "status"]


@admin.register(ImportJob)
class ImportJobAdmin(ArchiveAdmin):
    list_display = ["created_at", "community", "original_name", "status", "processed_rows", "total_rows"]
