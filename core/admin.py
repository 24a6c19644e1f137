from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.models import CalendarDay, CalendarYear, Community, Company, Department, Membership, Reminder, User


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    autocomplete_fields = ["head"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["community", "department"]


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "company", "address"]
    list_filter = ["company"]
    search_fields = ["name", "code"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "community", "head"]
    list_filter = ["community", "kind"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["head", "community"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "name", "company", "is_company_admin", "is_active", "last_login"]
    list_filter = ["is_company_admin", "is_active", "company"]
    search_fields = ["username", "name", "mobile", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("name", "mobile", "email")}),
        ("公司与权限", {"fields": ("company", "is_company_admin", "is_active", "is_superuser")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "company", "password1", "password2")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "community", "role", "department", "is_head_butler", "is_active"]
    list_filter = ["community", "role", "is_active"]
    search_fields = ["user__username", "user__name"]
    autocomplete_fields = ["user", "community", "department"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind", "community"]
    search_fields = ["text", "recipient__username"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "note", "created_at"]
