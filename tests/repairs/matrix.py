"""Permission rows for repairs. Order 1 (community 1, a house) was taken by the
front desk and dispatched by the supervisor to tech1 of the 工程部; order 3
(community 1) was finished and signed on screen; order 2 (community 2) was taken
by butler3 and not dispatched.

Any staff member takes a repair call (首问); butlers, supervisors, managers, the
front desk and finance read the community's orders, a technician the orders they
do. The owner (the front desk here), the technician, supervisors and managers
work on an order; the site steps (accept, arrive, quote, done …) are the
technician's (a company admin stands in for the 工程部 head); front desk,
supervisors and managers dispatch; only the 工程部 head files a 购物单 or
returns an order; reviewers void and review.

Action rows POST empty forms (400 for those allowed) or, for the form-less
actions, a request whose outcome is a redirect either way (302).
"""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core.choices import DepartmentKind
from core.models import Department, Membership
from repairs import services
from repairs.choices import PriceListStatus
from repairs.models import PriceItem, PriceList, RepairCategory
from tests.builders import make_houses
from tests.matrix import C1, LOGIN, STAFF, Row, obj, page

RECEIVERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "tech1", "finance"]
READERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "finance"]
REVIEWERS = ["supervisor", "manager"]
RECORDS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "finance"]
CHARGES = ["supervisor", "manager", "finance"]
WORKERS = ["frontdesk", "tech1", "supervisor", "manager"]
DISPATCHERS = ["frontdesk", "supervisor", "manager"]
SITE = ["tech1"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _order(community, actor, house, **extra):
    services.categories_for(community)
    return services.receive_order(
        community=community,
        actor=actor,
        source="phone",
        category=RepairCategory.objects.get(community=community, name="水"),
        house=house,
        reporter_name="王女士",
        contact="13900001111",
        description="厨房水管漏水",
        photos=[SimpleUploadedFile("p.png", PNG)],
        **extra,
    )


def _price_list(community, actor):
    pl = PriceList.objects.create(
        community=community, valid_from=dt.date(2026, 1, 1), status=PriceListStatus.APPROVED, drafted_by=actor
    )
    PriceItem.objects.create(price_list=pl, name="更换水龙头", unit="个", unit_price=Decimal("20.00"))
    return pl


def build_world(world):
    c1, c2 = world["community"], world["community2"]
    tech1 = world["tech1"]
    engineering = Department.objects.get(community=c1, kind=DepartmentKind.ENGINEERING)
    Membership.objects.filter(user=tech1, community=c1).update(department=engineering)
    house1 = make_houses(c1, "R1", actor=world["supervisor"], butler=world["butler1"], rooms=2)
    house2 = make_houses(c2, "R2", actor=world["admin"], butler=world["butler3"], rooms=1)[0]
    order1 = services.dispatch(_order(c1, world["frontdesk"], house1[0]), actor=world["supervisor"], technician=tech1)
    order3 = services.dispatch(_order(c1, world["frontdesk"], house1[1]), actor=world["supervisor"], technician=tech1)
    order3 = services.arrive(order3, actor=tech1, entry_agreed=True)
    order3 = services.start(order3, actor=tech1)
    order3 = services.complete(order3, actor=tech1, result="已修好", signature="signed", signature_png=PNG)
    order2 = _order(c2, world["butler3"], house2)
    world.update(
        wx_order1=order1,
        wx_order2=order2,
        wx_order3=order3,
        wx_photo1=order1.photos.get(),
        wx_photo2=order2.photos.get(),
        wx_prices1=_price_list(c1, world["manager"]),
        wx_prices2=_price_list(c2, world["admin"]),
    )


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _order_row(url_name, allowed, status, method="post", *, out_butler3=403, readers=None, data=None):
    """A URL about order 1: `allowed` get `status`, other readers 403. Out of
    scope (order 2): 404 for everyone in community 1, the company admin too (an
    order is opened in its own community); butler3 (its owner) `out_butler3`."""
    readers = RECEIVERS if readers is None else readers
    expect = {"anonymous": LOGIN, "admin": status, "butler3": 404}
    for actor in C1:
        expect[actor] = status if actor in allowed else (403 if actor in readers else 404)
    expect_out = {a: 404 for a in C1}
    expect_out.update(admin=404, butler3=out_butler3)
    assert set(expect) == set(STAFF) | {"anonymous"}
    return Row(
        url_name,
        expect,
        method=method,
        data=data,
        kwargs=_pk("wx_order1"),
        out_of_scope=_pk("wx_order2"),
        expect_out=expect_out,
    )


def _in_own_community(row):
    """Repairs records open in their own community only: the company admin, whose
    active community is community 1, gets 404 for community 2's too."""
    row.expect_out["admin"] = 404
    return row


ROWS = [
    page("repairs:list", RECEIVERS),
    page("repairs:intake", RECEIVERS),
    page("repairs:intake", RECEIVERS, status=400, method="post"),
    page("repairs:houses", RECEIVERS),
    page("repairs:mine", RECEIVERS),
    # 当班 / 下班: only a technician has a shift (the company admin too gets 403).
    Row("repairs:mine", {**{a: 403 for a in STAFF}, "anonymous": LOGIN, "tech1": 302}, method="post"),
    page("repairs:review", REVIEWERS),
    page("repairs:review", REVIEWERS, status=302, method="post"),
    page("repairs:statistics", REVIEWERS),
    page("repairs:export", REVIEWERS),
    page("repairs:records", RECORDS),
    page("repairs:charges", CHARGES),
    page("repairs:settings", ["manager"]),
    page(
        "repairs:settings",
        ["manager"],
        status=400,
        method="post",
        data=lambda w: {"which": "settings", "settings-warn_percent": "abc"},
    ),
    page("repairs:prices", RECEIVERS),
    page("repairs:prices", REVIEWERS, status=400, method="post"),
    _in_own_community(obj("repairs:price_list", RECEIVERS, _pk("wx_prices1"), _pk("wx_prices2"))),
    _in_own_community(
        obj("repairs:price_list", REVIEWERS, _pk("wx_prices1"), _pk("wx_prices2"), status=302, method="post")
    ),
    _order_row("repairs:detail", RECEIVERS, 200, "get", out_butler3=200),
    _order_row("repairs:print", RECEIVERS, 200, "get", out_butler3=200),
    Row(
        "repairs:signature",
        {"anonymous": LOGIN, "admin": 200, "butler3": 404, **{a: 200 for a in C1}},
        kwargs=_pk("wx_order3"),
        out_of_scope=_pk("wx_order2"),
        expect_out={"admin": 404, "butler3": 404},
    ),
    Row(
        "repairs:photo",
        {"anonymous": LOGIN, "admin": 200, "butler3": 404, **{a: 200 for a in C1}},
        kwargs=_pk("wx_photo1"),
        out_of_scope=_pk("wx_photo2"),
        expect_out={"admin": 404, "butler3": 200},
    ),
    _order_row("repairs:contact", WORKERS, 200, out_butler3=200),
    # Actions with a form: an empty form answers 400 to whoever may act.
    *[
        _order_row(f"repairs:{name}", allowed, 400, out_butler3=butler3)
        for name, allowed, butler3 in (
            ("dispatch", DISPATCHERS, 403),
            ("arrive", SITE, 403),
            ("quote", SITE, 403),
            ("decline", SITE, 403),
            ("done", SITE, 403),
            ("pause", WORKERS, 400),
            ("confirm", WORKERS, 400),
            ("notify", WORKERS, 400),
            ("paperwork", WORKERS, 400),
            ("note", WORKERS, 400),
            ("purchase", [], 403),
            ("return", [], 403),
            ("void", REVIEWERS, 403),
        )
    ],
    # Actions without a form: a redirect whether the status allowed it or not.
    *[
        _order_row(f"repairs:{name}", allowed, 302, out_butler3=butler3)
        for name, allowed, butler3 in (
            ("accept", SITE, 403),
            ("agree", SITE, 403),
            ("start", SITE, 403),
            ("resume", WORKERS, 302),
            ("close", WORKERS, 302),
            ("review", REVIEWERS, 403),
        )
    ],
]

# Nobody claims order 1: it was assigned, not put in a grab pool (the pool is
# tested in tests/repairs/test_dispatch.py).
ROWS.append(
    Row(
        "repairs:claim",
        {"anonymous": LOGIN, "admin": 403, "butler3": 404, **{a: 403 for a in C1}},
        method="post",
        kwargs=_pk("wx_order1"),
        out_of_scope=_pk("wx_order2"),
        expect_out={"admin": 404, "butler3": 403},
    )
)
