"""Permission rows for fees. Community 1: house F1 in butler1's zone with a
drafted statement and a payment (receipt 1); community 2: the same in butler3's
zone. Finance, butlers, supervisors and managers read statements (a butler only
the zone's); cashiers (finance, butlers, supervisors, managers, the front desk)
take payments and print receipts — never a technician; only finance voids a
receipt and issues statements."""

import datetime as dt
from decimal import Decimal

from fees import payments, services, statements
from fees.models import Statement
from tests.builders import make_houses
from tests.matrix import C1, LOGIN, STAFF, Row, page

READERS = ["finance", "butler1", "butler2", "supervisor", "manager"]
CASHIERS = ["finance", "butler1", "butler2", "supervisor", "manager", "frontdesk"]


def _billed(community, number, actor, butler, manager):
    house = make_houses(community, number, actor=actor, butler=butler, rooms=1)[0]
    house.floor_area, house.handover_date = Decimal("89.50"), dt.date(2025, 6, 1)
    house.save(update_fields=["floor_area", "handover_date"])
    item = next(i for i in services.items_for(community) if i.name == "物业服务费")
    services.set_rate(item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 1))
    month = dt.date(2026, 12, 1)
    prices, settings_row = statements.Prices(community, month), statements.FeeSettings.current(community)
    now = dt.datetime(2026, 11, 28, 1, tzinfo=dt.UTC)
    statement = statements.draft_statement(house, month, prices=prices, settings_row=settings_row, now=now)
    payment = payments.record_payment(house=house, actor=manager, amount="100.00", method="cash", payer="业主")
    return house, statement, payment.receipt


def build_world(world):
    h1, s1, r1 = _billed(world["community"], "F1", world["supervisor"], world["butler1"], world["manager"])
    h2, s2, r2 = _billed(world["community2"], "F2", world["admin"], world["butler3"], world["admin"])
    world.update(fee_house1=h1, fee_house2=h2, fee_statement1=s1, fee_statement2=s2, fee_receipt1=r1, fee_receipt2=r2)
    assert Statement.objects.count() == 2


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _row(url_name, allowed, key, *, status=200, method="get", hidden=(), out_butler3=None, roles=None):
    """`allowed` get `status`; staff without the role 403; `hidden` (in scope but
    not theirs) 404. Out of scope: community-1 staff with the role 404, without 403;
    the company admin 404; butler3 `out_butler3`."""
    roles = roles if roles is not None else allowed
    expect = {"anonymous": LOGIN, "admin": status, "butler3": 404 if "butler1" in roles else 403}
    for actor in C1:
        expect[actor] = status if actor in allowed else 404 if actor in hidden else 403
    expect_out = {a: 404 if a in roles else 403 for a in C1}
    expect_out.update(admin=404, butler3=out_butler3 if out_butler3 is not None else status)
    assert set(expect) == set(STAFF) | {"anonymous"}
    return Row(
        url_name,
        expect,
        method=method,
        kwargs=_pk(f"{key}1"),
        out_of_scope=_pk(f"{key}2"),
        expect_out=expect_out,
    )


ROWS = [
    page("fees:statements", READERS),
    page("fees:statements", READERS, status=302, method="post"),
    _row(
        "fees:statement",
        ["finance", "butler1", "supervisor", "manager"],
        "fee_statement",
        hidden=["butler2"],
        roles=READERS,
    ),
    # Recording a delivery: the zone's butler and supervisors (the statement is a draft
    # here, so allowed people are sent back with the message); finance and the manager 403.
    _row(
        "fees:statement",
        ["butler1", "supervisor"],
        "fee_statement",
        status=302,
        method="post",
        hidden=["butler2"],
        roles=READERS,
    ),
    _row("fees:pay", CASHIERS, "fee_house"),
    _row("fees:pay", CASHIERS, "fee_house", status=400, method="post"),
    _row("fees:receipt", CASHIERS, "fee_receipt"),
    _row("fees:settlement", ["finance", "manager"], "fee_house", roles=["finance", "manager"], out_butler3=403),
    # House F1 still owes: refused (400) for finance and the manager.
    _row(
        "fees:settlement",
        ["finance", "manager"],
        "fee_house",
        status=400,
        method="post",
        roles=["finance", "manager"],
        out_butler3=403,
    ),
    # An empty void form: 400 for finance, 403 for the other cashiers.
    _row(
        "fees:receipt",
        ["finance"],
        "fee_receipt",
        status=400,
        method="post",
        hidden=(),
        roles=CASHIERS,
        out_butler3=403,
    ),
]
