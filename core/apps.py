from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "基础设置"

    def ready(self):
        from core import navigation
        from core.beat import install_schedules

        post_migrate.connect(install_schedules, sender=self, dispatch_uid="core.install_schedules")
        navigation.register_core_items()


class WuyeAdminConfig(admin_apps.AdminConfig):
    """Django admin restricted to company admins (issue 3 §5)."""

    default = False
    default_site = "core.admin_site.WuyeAdminSite"
