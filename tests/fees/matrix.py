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
    _convenience_world(world)
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

# Collection (催缴) and the cash hand-over. A round per community is made when a
# row first needs it; the house F1 is butler1's, F2 butler3's.
ROUND_READERS = ["finance", "supervisor", "manager"]
CALLERS = ["finance", "butler1", "supervisor", "manager"]


def _fee_round(community):
    from fees.models import CollectionRound

    first, last = dt.date(2026, 12, 15), dt.date(2026, 12, 21)
    return CollectionRound.objects.get_or_create(
        community=community, kind="monthly", opened_on=first, defaults={"ends_on": last}
    )[0]


def _round_row(**options):
    import dataclasses

    row = _row("fees:round", ROUND_READERS, "fee_house", roles=ROUND_READERS, out_butler3=403, **options)
    return dataclasses.replace(
        row,
        kwargs=lambda w: {"pk": _fee_round(w["community"]).pk},
        out_of_scope=lambda w: {"pk": _fee_round(w["community2"]).pk},
    )


ROWS += [
    page("fees:tasks", READERS),
    page("fees:rounds", ROUND_READERS),
    _round_row(),
    _row("fees:call", CALLERS, "fee_house", hidden=["butler2"], roles=READERS),
    # An empty call form: refused with the messages (400), nothing saved.
    _row("fees:call", CALLERS, "fee_house", status=400, method="post", hidden=["butler2"], roles=READERS),
    page("fees:handover", CASHIERS),
    # Confirming a hand-over is finance's alone; with nothing ticked it comes back with a message.
    page("fees:handover", ["finance"], status=302, method="post"),
]

# Adjustments, lawyer's letters and the 催缴通知书. The line is the statement's
# first; an adjustment and a letter per community are made when a row needs them.
REQUESTERS = ["finance", "butler1", "supervisor", "manager"]


def _fee_line(world, n):
    return world[f"fee_statement{n}"].lines.order_by("pk").first()


def _fee_adjustment(world, n):
    from fees.models import Adjustment

    line = _fee_line(world, n)
    requester = world["supervisor"] if n == 1 else world["admin"]
    return Adjustment.objects.get_or_create(
        corrects=line,
        defaults={"community": line.community, "house": line.house, "amount": Decimal("-1.00"), "reason": "减免",
                  "requested_by": requester, "requested_at": dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)},
    )[0]  # fmt: skip


def _fee_letter(world, n):
    from fees.models import LawyerLetter

    house = world[f"fee_house{n}"]
    requester = world["supervisor"] if n == 1 else world["admin"]
    return LawyerLetter.objects.get_or_create(
        house=house,
        defaults={"community": house.community, "addressee": "业主", "requested_by": requester,
                  "requested_at": dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)},
    )[0]  # fmt: skip


def _with(row, build):
    import dataclasses

    return dataclasses.replace(
        row, kwargs=lambda w: {"pk": build(w, 1).pk}, out_of_scope=lambda w: {"pk": build(w, 2).pk}
    )


ROWS += [
    page("fees:adjustments", READERS),
    _with(_row("fees:adjust", REQUESTERS, "fee_house", hidden=["butler2"], roles=READERS), _fee_line),
    # An empty adjustment form: the messages (400), nothing saved.
    _with(
        _row("fees:adjust", REQUESTERS, "fee_house", status=400, method="post", hidden=["butler2"], roles=READERS),
        _fee_line,
    ),
    # Deciding is the manager's; rejecting without a reason comes back with the message.
    _with(
        _row(
            "fees:adjustment_decide",
            ["manager"],
            "fee_house",
            status=302,
            method="post",
            roles=["manager"],
            out_butler3=403,
        ),
        _fee_adjustment,
    ),
    page("fees:letters", READERS),
    _with(_row("fees:letter", REQUESTERS, "fee_house", hidden=["butler2"], roles=READERS), _fee_letter),
    # An unknown action comes back with the message; butler2 does not see butler1's letters.
    _with(
        _row("fees:letter", REQUESTERS, "fee_house", status=302, method="post", hidden=["butler2"], roles=READERS),
        _fee_letter,
    ),
    _row("fees:letter_request", READERS, "fee_house"),
    # No 恶意欠费 call yet: refused with the message; butler2 may not ask for another zone's house.
    _row("fees:letter_request", REQUESTERS, "fee_house", status=302, method="post", roles=READERS),
    _row("fees:notice", READERS, "fee_house"),
]

# Fee reports (issue 10 §10): finance, supervisors and the manager of the active
# community; the pages take no object, each shows the active community only.
REPORT_READERS = ["finance", "supervisor", "manager"]

ROWS += [
    page(name, REPORT_READERS)
    for name in (
        "fees:report_collection",
        "fees:report_ageing",
        "fees:report_reasons",
        "fees:report_payments",
        "fees:report_arrears",
        "fees:report_arrears_export",
        "fees:report_payment_list",
        "fees:report_payment_export",
    )
]

# 便民服务: each community holds an approved 2026 table whose per-use 桶装水 the
# house F1 (butler1's) or F2 (butler3's) subscribes to, and a 2027 draft (its row
# copied from 2026). Posts leave the state unchanged: empty forms (400), a submit
# of the approved table (302 with the message), a return without a reason (400).
CONVENIENCE_READERS = ["finance", "butler1", "butler2", "supervisor", "manager", "frontdesk", "tech1"]
SUBSCRIPTION_READERS = ["finance", "butler1", "butler2", "supervisor", "manager", "frontdesk"]
REGISTRARS = ["butler1", "supervisor", "manager", "frontdesk"]


def _convenience(community, manager, admin, house, registrar):
    from fees import convenience

    table = convenience.draft_price_list(community, 2026, actor=manager)
    water = convenience.add_service(table, actor=manager, name="桶装水", price="15.00", cycle="per_use")
    convenience.submit_price_list(table, actor=manager)
    convenience.approve_price_list(table, actor=admin)
    draft = convenience.draft_price_list(community, 2027, actor=manager)
    started = dt.date(2026, 1, 5)
    subscription = convenience.subscribe(
        house, water, actor=registrar, owner_name="业主", phone="13812345678", started_on=started, owner_signed=True
    )
    return table, draft.services.get(), subscription


def _convenience_world(world):
    admin = world["admin"]
    t1, d1, s1 = _convenience(world["community"], world["manager"], admin, world["fee_house1"], world["butler1"])
    t2, d2, s2 = _convenience(world["community2"], admin, admin, world["fee_house2"], world["butler3"])
    world.update(fee_table1=t1, fee_table2=t2, fee_draft_service1=d1, fee_draft_service2=d2)
    world.update(fee_subscription1=s1, fee_subscription2=s2)


def _manager_row(url_name, key, **options):
    return _row(url_name, ["manager"], key, roles=["manager"], out_butler3=403, **options)


def _registrar_row(url_name, **options):
    """Another zone's butler (butler2) holds the role but may not act for F1: 403."""
    return _row(url_name, REGISTRARS, "fee_subscription", roles=[*REGISTRARS, "butler2"], **options)


ROWS += [
    page("fees:convenience", CONVENIENCE_READERS),
    page("fees:convenience", ["manager"], status=400, method="post"),
    _manager_row("fees:convenience_add", "fee_table", status=400, method="post"),
    _manager_row("fees:convenience_service", "fee_draft_service"),
    _manager_row("fees:convenience_service", "fee_draft_service", status=400, method="post"),
    _manager_row("fees:convenience_submit", "fee_table", status=302, method="post"),
    # Approving or returning is the company admin's alone.
    _row("fees:convenience_decide", [], "fee_table", status=400, method="post", roles=[], out_butler3=403),
    _row("fees:convenience_print", CONVENIENCE_READERS, "fee_table"),
    page("fees:convenience_subscriptions", SUBSCRIPTION_READERS),
    page("fees:convenience_subscribers_print", SUBSCRIPTION_READERS),
    # Every butler registers (for the zone's houses: checked on the house typed in).
    page("fees:convenience_subscribe", [*REGISTRARS, "butler2"]),
    page("fees:convenience_subscribe", [*REGISTRARS, "butler2"], status=400, method="post"),
    _registrar_row("fees:convenience_stop"),
    _registrar_row("fees:convenience_stop", status=400, method="post"),
    _registrar_row("fees:convenience_use"),
    _registrar_row("fees:convenience_use", status=400, method="post"),
]

ROWS += [
    page("fees:rates", READERS),
    # An empty rate form: the messages (400) for the manager and finance; the others 403.
    page("fees:rates", ["finance", "manager"], status=400, method="post"),
]
