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
        register(
            NavItem(
                "fees.rates",
                "收费标准",
                "fees:rates",
                "tags",
                roles=frozenset({Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
                order=66,
                group="收费",
            )
        )
        register(
            NavItem(
                "fees.adjustments",
                "费用调整",
                "fees:adjustments",
                "pencil-square",
                roles=frozenset({Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
                order=64,
                group="收费",
            )
        )
        register(
            NavItem(
                "fees.letters",
                "律师函",
                "fees:letters",
                "envelope-exclamation",
                roles=frozenset({Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
                order=65,
                group="收费",
            )
        )
        register(
            NavItem(
                "fees.tasks",
                "催缴任务",
                "fees:tasks",
                "telephone",
                roles=frozenset({Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FINANCE}),
                order=61,
                group="收费",
            )
        )
        from fees.payments import CASHIERS

        register(
            NavItem(
                "fees.handover",
                "现金交接",
                "fees:handover",
                "cash-stack",
                roles=frozenset(CASHIERS),
                order=62,
                group="收费",
            )
        )
        from core.dashboard import Widget
        from core.dashboard import register as register_widget
        from fees import reports
        from fees.views.reports import REPORT_READERS

        register(
            NavItem(
                "fees.reports",
                "收费报表",
                "fees:report_collection",
                "graph-up",
                roles=frozenset(REPORT_READERS),
                order=63,
                group="收费",
            )
        )
        register_widget(
            Widget(
                key="fees",
                title="物业费（本月）",
                template="fees/_dashboard.html",
                loader=reports.dashboard_widget,
                roles=frozenset(REPORT_READERS),
                order=30,
            )
        )
        register(
            NavItem(
                "fees.convenience",
                "便民服务",
                "fees:convenience",
                "basket",
                roles=frozenset(Role),
                order=66,
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
