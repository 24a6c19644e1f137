from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "走访"

    def ready(self):
        from core.navigation import NavItem, register
        from residents.panels import Panel
        from residents.panels import register as register_panel
        from visits import roles, selectors

        visit_staff = frozenset(roles.VISITORS)
        register(NavItem("visits.today", "今日走访", "visits:today", "calendar-check", roles=visit_staff, order=5))
        register(
            NavItem(
                "visits.records",
                "访问记录",
                "visits:visit_list",
                "journal-text",
                roles=visit_staff,
                order=20,
                group="走访",
            )
        )
        register(
            NavItem(
                "visits.review",
                "记录审核",
                "visits:review",
                "clipboard-check",
                roles=frozenset(roles.REVIEWERS),
                order=21,
                group="走访",
            )
        )
        register(
            NavItem(
                "visits.plans", "走访计划", "visits:plan_list", "list-check", roles=visit_staff, order=22, group="走访"
            )
        )
        register(
            NavItem(
                "visits.coverage",
                "走访进度",
                "visits:coverage",
                "speedometer2",
                roles=visit_staff,
                order=23,
                group="走访",
            )
        )
        register(
            NavItem(
                "visits.summaries",
                "月度总结",
                "visits:summary_list",
                "file-earmark-bar-graph",
                roles=visit_staff,
                order=24,
                group="走访",
            )
        )
        register(
            NavItem(
                "visits.letters",
                "工作联系函",
                "visits:letter_list",
                "envelope-paper",
                roles=frozenset(roles.REVIEWERS),
                order=25,
                group="走访",
            )
        )
        from visits.visitors import CLERKS
        from visits.visitors import house_panel as visitor_panel

        register(
            NavItem(
                "visits.frontdesk",
                "来访登记",
                "visits:frontdesk_board",
                "person-badge",
                roles=frozenset((*CLERKS, "butler")),
                order=30,
                group="前台",
            )
        )
        register(
            NavItem(
                "visits.frontdesk_register",
                "登记访客",
                "visits:frontdesk_register",
                "person-plus",
                roles=frozenset(CLERKS),
                order=31,
                group="前台",
            )
        )
        register(
            NavItem(
                "visits.frontdesk_watchlist",
                "限制来访名单",
                "visits:frontdesk_watchlist",
                "slash-circle",
                roles=frozenset(CLERKS),
                order=32,
                group="前台",
            )
        )
        for key, label, url_name, icon, order in (
            ("passes", "临时出入证", "visits:frontdesk_passes", "card-heading", 33),
            ("permits", "大件物品放行条", "visits:frontdesk_permits", "box-seam", 34),
            ("helpers", "家政人员备案", "visits:frontdesk_helpers", "person-vcard", 35),
            ("statistics", "来访统计", "visits:frontdesk_statistics", "bar-chart", 36),
        ):
            register(
                NavItem(
                    f"visits.frontdesk_{key}", label, url_name, icon, roles=frozenset(CLERKS), order=order, group="前台"
                )
            )
        register_panel(
            Panel(
                key="frontdesk",
                title="来访、出入证与家政",
                template="visits/frontdesk/_house_panel.html",
                loader=visitor_panel,
                order=12,
                roles=frozenset((*CLERKS, "butler")),
            )
        )
        register_panel(
            Panel(
                key="visits",
                title="走访与跟进",
                template="visits/_house_panel.html",
                loader=selectors.house_panel,
                order=10,
                roles=visit_staff,
            )
        )
