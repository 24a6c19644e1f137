from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = "物业费"

    def ready(self):
        from core.choices import Role
        from core.dashboard import Widget
        from core.dashboard import register as register_widget
        from core.navigation import NavItem, register
        from fees import reports, selectors
        from fees.payments import CASHIERS
        from fees.views.billing import READERS
        from fees.views.reports import REPORT_READERS
        from residents.panels import Panel
        from residents.panels import register as register_panel

        menu = [
            # key, label, url name, icon, roles
            ("statements", "对账单", "fees:statements", "receipt", READERS),
            ("tasks", "催缴任务", "fees:tasks", "telephone", READERS),
            ("handover", "现金交接", "fees:handover", "cash-stack", CASHIERS),
            ("reports", "收费报表", "fees:report_collection", "graph-up", REPORT_READERS),
            ("adjustments", "费用调整", "fees:adjustments", "pencil-square", READERS),
            ("letters", "律师函", "fees:letters", "envelope-exclamation", READERS),
            ("rates", "收费标准", "fees:rates", "tags", READERS),
            ("convenience", "便民服务", "fees:convenience", "basket", tuple(Role)),
        ]
        for order, (key, label, url_name, icon, roles) in enumerate(menu, start=60):
            register(NavItem(f"fees.{key}", label, url_name, icon, roles=frozenset(roles), order=order, group="收费"))
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
        register_panel(
            Panel(
                key="fees",
                title="物业费",
                template="fees/_house_panel.html",
                loader=selectors.house_panel,
                order=16,
                roles=frozenset(READERS),
            )
        )
