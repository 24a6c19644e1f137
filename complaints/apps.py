from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉"

    def ready(self):
        from complaints import rules, selectors, services
        from core.navigation import NavItem, register
        from residents.panels import Panel
        from residents.panels import register as register_panel
        from visits.engine import return_visit_done
        from visits.followup_actions import FollowUpAction
        from visits.followup_actions import register as register_follow_up_action
        from visits.models import ReturnVisit

        receivers = frozenset(rules.RECEIVERS)
        reviewers = frozenset(rules.REVIEWERS)
        for key, label, url_name, icon, order, roles in (
            ("list", "投诉/咨询", "complaints:list", "megaphone", 40, receivers),
            ("intake", "受理登记", "complaints:intake", "plus-circle", 41, receivers),
            ("review", "每日审阅", "complaints:review", "clipboard-check", 42, reviewers),
            ("statistics", "投诉统计", "complaints:statistics", "bar-chart-line", 43, reviewers),
            ("recurring", "重复问题", "complaints:recurring", "arrow-repeat", 44, reviewers),
            ("book", "答客问题汇编", "complaints:book", "book", 45, receivers),
            ("reception", "经理接待日", "complaints:reception_list", "people", 46, reviewers),
            ("measures", "建议采纳公示", "complaints:measures", "megaphone-fill", 47, receivers),
            ("settings", "投诉时限设置", "complaints:settings", "sliders", 48, frozenset({"manager"})),
        ):
            register(NavItem(f"complaints.{key}", label, url_name, icon, roles=roles, order=order, group="投诉"))
        register_panel(
            Panel(
                key="complaints",
                title="投诉与咨询",
                template="complaints/_house_panel.html",
                loader=selectors.house_panel,
                order=14,
                roles=receivers,
            )
        )
        register_follow_up_action(
            FollowUpAction(key="complaint", label="转投诉", url_name="complaints:intake", icon="megaphone")
        )
        return_visit_done.connect(services.on_return_visit_done, sender=ReturnVisit, dispatch_uid="complaints")
