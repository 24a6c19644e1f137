from django.contrib.auth.backends import BaseBackend


class CompanyAdminBackend(BaseBackend):
    """Company admins manage users, roles and policies in the admin: every model
    permission, but no login of their own (ModelBackend authenticates)."""

    def has_perm(self, user_obj, perm, obj=None):
        return bool(user_obj.is_active and getattr(user_obj, "is_company_admin", False))

    def has_module_perms(self, user_obj, app_label):
        return bool(user_obj.is_active and getattr(user_obj, "is_company_admin", False))
