"""Demo data of core: one company, two communities, one account per role.

`seed_demo` runs this first, then each later app's `<app>.demo.seed(ctx)`.
Everything is looked up before it is created, so a second run adds nothing.
"""

from core.choices import DepartmentKind, Role
from core.models import Community, Company, Department, Membership, User
from core.services import create_community

DEMO_PASSWORD = "wuye-demo-2026"

COMMUNITIES = [
    {"code": "YGHY", "name": "阳光花园", "address": "上海市浦东新区阳光路 88 号"},
    {"code": "CHY", "name": "翠湖苑", "address": "上海市闵行区翠湖路 16 号"},
]

# username, name, role (None = company admin), community index, extra
ACCOUNTS = [
    ("admin", "周建国", None, None, {}),
    ("manager", "王立新", Role.MANAGER, 0, {}),
    ("supervisor", "李静", Role.SUPERVISOR, 0, {"department": DepartmentKind.SERVICE, "head": True}),
    ("butler1", "张晓燕", Role.BUTLER, 0, {"department": DepartmentKind.SERVICE, "is_head_butler": True}),
    ("butler2", "刘洋", Role.BUTLER, 0, {"department": DepartmentKind.SERVICE}),
    ("frontdesk", "陈芳", Role.FRONT_DESK, 0, {"department": DepartmentKind.SECURITY}),
    ("tech1", "赵师傅", Role.TECHNICIAN, 0, {"department": DepartmentKind.ENGINEERING}),
    ("tech2", "孙师傅", Role.TECHNICIAN, 0, {"department": DepartmentKind.ENGINEERING}),
    ("engineer", "钱工", Role.TECHNICIAN, 0, {"department": DepartmentKind.ENGINEERING, "head": True}),
    ("finance", "孙会计", Role.FINANCE, 0, {"department": DepartmentKind.FINANCE, "head": True}),
    ("butler3", "吴敏", Role.BUTLER, 1, {"department": DepartmentKind.SERVICE}),
]


def seed(ctx):
    company, _ = Company.objects.get_or_create(name="示例物业服务有限公司")
    communities = []
    for spec in COMMUNITIES:
        community = Community.objects.filter(code=spec["code"]).first()
        if community is None:
            community = create_community(company=company, **spec)
        communities.append(community)
    users = {}
    for username, name, role, index, extra in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"name": name, "company": company, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_company_admin = role is None
            user.save()
        users[username] = user
        if role is None:
            continue
        community = communities[index]
        department = None
        if "department" in extra:
            department = Department.objects.get(community=community, kind=extra["department"])
            if extra.get("head") and department.head_id is None:
                department.head = user
                department.save(update_fields=["head"])
        Membership.objects.get_or_create(
            user=user,
            community=community,
            role=role,
            defaults={"department": department, "is_head_butler": extra.get("is_head_butler", False)},
        )
    ctx.update(company=company, communities=communities, users=users)
    return ctx


def accounts_table():
    """(username, role label, community name) rows for the README and `make run`."""
    names = [c["name"] for c in COMMUNITIES]
    return [
        (username, Role(role).label if role else "公司管理员", names[index] if index is not None else "全部小区")
        for username, _name, role, index, _extra in ACCOUNTS
    ]
