from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = "报修"

    def ready(self):
        from core.choices import Role
        from core.dashboard import Widget
        from core.dashboard import register as register_widget
        from core.handoffs import Handoff
        from core.handoffs import register as register_handoff
        from core.navigation import NavItem, register
        from repairs import rules, selectors, services
        from residents.panels import Panel
        from residents.panels import register as register_panel
        from residents.privacy import register_purpose_check
        from visits.engine import return_visit_done
        from visits.followup_actions import FollowUpAction
        from visits.followup_actions import register as register_follow_up_action
        from visits.models import ReturnVisit

        receivers = frozenset(rules.RECEIVERS)
        reviewers = frozenset(rules.REVIEWERS)
        for key, label, url_name, icon, order, roles in (
            ("mine", "我的工单", "repairs:mine", "tools", 50, frozenset({Role.TECHNICIAN})),
            ("list", "报修工单", "repairs:list", "wrench", 51, receivers),
            ("intake", "报修登记", "repairs:intake", "plus-circle", 52, receivers),
            ("review", "工单审阅", "repairs:review", "clipboard-check", 53, reviewers),
            ("statistics", "报修统计", "repairs:statistics", "bar-chart-line", 54, reviewers),
            ("records", "维修记录表", "repairs:records", "journal-text", 55, receivers),
            ("charges", "报修(服务)汇总表", "repairs:charges", "cash-coin", 56, frozenset(rules.CHARGE_READERS)),
            ("prices", "特约服务收费标准", "repairs:prices", "tags", 57, receivers),
            ("settings", "报修设置", "repairs:settings", "sliders", 58, frozenset({Role.MANAGER})),
        ):
            register(NavItem(f"repairs.{key}", label, url_name, icon, roles=roles, order=order, group="报修"))
        register_panel(
            Panel(
                key="repairs",
                title="报修记录",
                template="repairs/_house_panel.html",
                loader=selectors.house_panel,
                order=15,
                roles=receivers,
            )
        )
        register_follow_up_action(
            FollowUpAction(key="work_order", label="转工单", url_name="repairs:intake", icon="wrench")
        )
        register_handoff(
            "complaint", Handoff(key="work_order", label="转工单", url_name="repairs:intake", icon="wrench")
        )
        register_widget(
            Widget(
                key="repairs",
                title="报修（本月）",
                template="repairs/_dashboard.html",
                loader=selectors.dashboard_widget,
                roles=reviewers,
                order=20,
            )
        )
        register_purpose_check(services.technician_basis)
        return_visit_done.connect(services.on_return_visit_done, sender=ReturnVisit, dispatch_uid="repairs")
