from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = "业主档案"

    def ready(self):
        from core import navigation
        from core.choices import Role

        navigation.register(
            navigation.NavItem("residents.houses", "房屋档案", "residents:house_list", "house", order=10)
        )
        navigation.register(
            navigation.NavItem(
                "residents.absences",
                "外出报备",
                "residents:absence_list",
                "airplane",
                order=60,
                roles=frozenset({Role.FRONT_DESK, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER}),
            )
        )
        navigation.register(
            navigation.NavItem(
                "residents.access",
                "号码查看审批",
                "residents:access_request_list",
                "shield-lock",
                order=70,
                roles=frozenset({Role.SUPERVISOR, Role.MANAGER}),
            )
        )
