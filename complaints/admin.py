from django.contrib import admin

from complaints.models import AnswerEntry, CategoryRule, Complaint, ComplaintSettings, ReceptionSession


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: complaints change through the app's services, never here."""

    list_display = ["number", "community", "kind", "category", "status", "owner", "received_at"]
    list_filter = ["community", "status", "kind", "category"]
    search_fields = ["number", "reporter_name", "description"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ComplaintSettings)
admin.site.register(CategoryRule)
admin.site.register(ReceptionSession)
admin.site.register(AnswerEntry)
