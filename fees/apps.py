from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = "物业费"

    def ready(self):
        from core.choices import Role
        from core.navigation import NavItem, register
        from fees import selectors
        from residents.panels import Panel
        from residents.panels import register as register_panel

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
        register_panel(
            Panel(
                key="fees",
                title="物业费",
                template="fees/_house_panel.html",
                loader=selectors.house_panel,
                order=16,
                roles=frozenset({Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
            )
        )
