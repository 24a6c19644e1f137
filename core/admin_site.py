from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class WuyeAdminSite(admin.AdminSite):
    site_header = "物业管家 · 后台管理"
    site_title = "物业管家后台"
    index_title = "公司管理"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_company_admin or user.is_superuser)

    def login(self, request, extra_context=None):
        """One login page for the whole product (with its lock-out); staff who are
        logged in but not company admins get 403 instead of a second login form."""
        if request.user.is_authenticated:
            raise PermissionDenied("后台管理仅限公司管理员使用。")
        return redirect_to_login(request.GET.get("next", "/admin/"), settings.LOGIN_URL)
