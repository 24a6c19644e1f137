from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = "物业费"

    def ready(self):
        from core.choices import Role
        from core.navigation import NavItem, register

        register(
            NavItem(
                "fees.statements",
                "对账单",
                "fees:statements",
                "receipt",
                roles=frozenset({Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
                order=60,
                group="收费",
            )
        )
