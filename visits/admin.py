"""Visit policy numbers that the manager's page does not show (sample bands,
phone windows, return-visit delays) are edited here by company admins."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from visits.models import FollowUp, RainyDay, ReturnVisit, Visit, VisitPlan, VisitPolicy


@admin.register(VisitPolicy)
class VisitPolicyAdmin(admin.ModelAdmin):
    list_display = ["community", "coverage_mode", "manager_quota", "supervisor_quota", "updated_at"]


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(NoDeleteAdmin):
    list_display = ["started_at", "house", "channel", "visit_type", "created_by", "status", "is_late"]
    list_filter = ["community", "status", "channel", "visit_type", "is_late"]
    raw_id_fields = ["house", "created_by", "reviewed_by", "return_visit", "confirmed_by", "plan_item"]


@admin.register(FollowUp)
class FollowUpAdmin(NoDeleteAdmin):
    list_display = ["house", "description", "owner", "due_at", "status"]
    list_filter = ["community", "status"]
    raw_id_fields = ["house", "visit", "owner", "created_by"]


@admin.register(ReturnVisit)
class ReturnVisitAdmin(admin.ModelAdmin):
    list_display = ["house", "trigger", "due_at", "assignee", "status"]
    list_filter = ["community", "trigger", "status"]
    raw_id_fields = ["house", "assignee"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VisitPlan)
class VisitPlanAdmin(NoDeleteAdmin):
    list_display = ["owner", "kind", "year", "month", "status"]
    list_filter = ["community", "status", "kind"]


admin.site.register(RainyDay)
