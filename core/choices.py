from django.db import models


class Role(models.TextChoices):
    """A staff member's role in one community (SPEC §0)."""

    BUTLER = "butler", "管家"
    SUPERVISOR = "supervisor", "客服主管"
    MANAGER = "manager", "项目经理"
    FRONT_DESK = "frontdesk", "前台/护卫"
    TECHNICIAN = "technician", "维修工"
    FINANCE = "finance", "财务"


# Not a membership role: a flag on the user that spans every community of the company.
COMPANY_ADMIN = "company_admin"
COMPANY_ADMIN_LABEL = "公司管理员"


class DepartmentKind(models.TextChoices):
    """What a department does, so work is routed by kind while its name stays editable."""

    SERVICE = "service", "客服部"
    ENGINEERING = "engineering", "工程部"
    SECURITY = "security", "秩序部"
    ENVIRONMENT = "environment", "环境部"
    FINANCE = "finance", "财务部"
    OTHER = "other", "其他"
