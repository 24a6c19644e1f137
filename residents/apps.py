from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = "业主档案"

    def ready(self):
        from core.navigation import NavItem, register
        from residents import roles

        readers = frozenset(roles.READERS)
        register(
            NavItem(
                "residents.houses",
                "房屋档案",
                "residents:house_list",
                "house",
                roles=readers,
                order=10,
                group="业主档案",
            )
        )
        register(
            NavItem(
                "residents.people", "住户", "residents:person_list", "people", roles=readers, order=11, group="业主档案"
            )
        )
        register(
            NavItem(
                "residents.buildings",
                "楼栋与片区",
                "residents:building_list",
                "building",
                roles=frozenset(roles.ADMINS),
                order=12,
                group="业主档案",
            )
        )
        register(
            NavItem(
                "residents.absences",
                "外出报备",
                "residents:absence_list",
                "airplane",
                roles=frozenset(roles.ABSENCE_RECORDERS),
                order=60,
                group="业主档案",
            )
        )
        register(
            NavItem(
                "residents.access",
                "号码查看审批",
                "residents:access_request_list",
                "shield-lock",
                roles=frozenset(roles.ADMINS),
                order=70,
                group="业主档案",
            )
        )
