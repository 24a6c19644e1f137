from django.contrib import admin

from repairs.models import Charge, PriceList, PublicArea, RepairCategory, RepairSettings, WorkOrder


class ReadOnlyAdmin(admin.ModelAdmin):
    """Work orders and charges change through the app's services, never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "community", "urgency", "category", "status", "technician", "received_at"]
    list_filter = ["community", "status", "urgency"]
    search_fields = ["number", "reporter_name", "description"]


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = ["order", "house", "amount", "signed_at", "billed_at"]


admin.site.register(RepairSettings)
admin.site.register(RepairCategory)
admin.site.register(PublicArea)
admin.site.register(PriceList)
