"""收缴率 and ageing (issue 10 §10 acceptance)."""

import datetime as dt
from decimal import Decimal

from fees import payments, reports
from fees.models import BillLine, CollectionCall
from tests.builders import at, make_houses

D = Decimal


def _line(house, item, amount, month, due):
    return BillLine.objects.create(
        community=house.community,
        house=house,
        item=item,
        month=month,
        description="物业服务费",
        quantity=D("1"),
        unit_price=D(amount),
        amount=D(amount),
        open_amount=D(amount),
        due_date=due,
    )


def test_billed_10000_collected_8765_43_is_87_65_percent(clock, billed_house, finance, service_item):
    january = dt.date(2026, 1, 1)
    _line(billed_house, service_item, "10000.00", january, dt.date(2026, 1, 10))
    payments.record_payment(house=billed_house, actor=finance, amount=D("8765.43"), method="bank", payer="业主")
    (row,) = reports.collection_rate(billed_house.community, january, dt.date(2026, 12, 31))
    assert (row["billed"], row["collected"], row["rate"]) == (D("10000.00"), D("8765.43"), D("87.65"))
    by_building = reports.collection_rate(billed_house.community, january, dt.date(2026, 12, 31), by="building")
    assert by_building == [{"key": "1", "billed": D("10000.00"), "collected": D("8765.43"), "rate": D("87.65")}]
    (before,) = reports.collection_rate(billed_house.community, january, dt.date(2026, 11, 1))
    assert (before["collected"], before["rate"]) == (D("0.00"), D("0.00"))  # paid on 2026-11-02, not yet


def test_a_line_110_days_past_due_is_in_91_to_180(clock, billed_house, service_item):
    _line(billed_house, service_item, "210.33", dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    bands = {row["band"]: row["total"] for row in reports.ageing(billed_house.community, dt.date(2026, 4, 30))}
    assert bands["91–180天"] == D("210.33")
    assert sum(bands.values()) == D("210.33")
    assert reports.band_of(110) == "91–180天" and reports.band_of(400) == "365天以上"


# --- 清欠, ageing by building, arrears by reason, payments by method and day ---


def _pay(house, actor, amount, when, method="cash"):
    return payments.record_payment(
        house=house, actor=actor, amount=D(amount), method=method, payer="业主", received_at=when
    )


def _call(house, butler, day, reason=""):
    CollectionCall.objects.create(
        community=house.community,
        house=house,
        butler=butler,
        called_at=at(2026, 10, day),
        channel="phone",
        person_reached="业主",
        answer="再说",
        reason=reason,
    )


def test_recovered_is_october_money_on_earlier_months_lines_only(
    clock, zone1, finance, service_item, django_assert_num_queries
):
    """清欠 of October as of 10-31: 300.00 on August's line paid 10-15 counts; July's
    200.00 paid in September, the voided 150.00 and October's own line do not."""
    h1, h2, h3, h4 = zone1
    _line(h1, service_item, "300.00", dt.date(2026, 8, 1), dt.date(2026, 8, 10))
    _pay(h1, finance, "300.00", at(2026, 10, 15))
    _line(h2, service_item, "200.00", dt.date(2026, 7, 1), dt.date(2026, 7, 10))
    _pay(h2, finance, "200.00", at(2026, 9, 5))
    _line(h3, service_item, "150.00", dt.date(2026, 8, 1), dt.date(2026, 8, 10))
    voided = _pay(h3, finance, "150.00", at(2026, 10, 16))
    payments.void_receipt(voided.receipt, actor=finance, reason="录错")
    _line(h4, service_item, "500.00", dt.date(2026, 10, 1), dt.date(2026, 10, 10))
    _pay(h4, finance, "500.00", at(2026, 10, 12))
    community, october = h1.community, dt.date(2026, 10, 1)
    with django_assert_num_queries(1):
        assert reports.recovered(community, october, dt.date(2026, 10, 31)) == D("300.00")
    assert reports.recovered(community, october, dt.date(2026, 10, 14)) == D("0.00")
    assert reports.recovered(community, dt.date(2026, 8, 1), dt.date(2026, 10, 31)) == D("0.00")
    assert reports.recovered(community, dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == D("200.00")


def test_ageing_by_building_splits_the_bands(clock, zone1, supervisor, butler2, service_item):
    other = make_houses(zone1[0].community, "2", actor=supervisor, butler=butler2, rooms=1)[0]
    _line(zone1[0], service_item, "210.33", dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    _line(zone1[1], service_item, "100.00", dt.date(2026, 4, 1), dt.date(2026, 4, 10))
    _line(other, service_item, "50.00", dt.date(2026, 4, 1), dt.date(2026, 4, 10))
    _line(other, service_item, "70.00", dt.date(2026, 5, 1), dt.date(2026, 5, 10))  # not yet due on 04-30
    rows = reports.ageing_by_building(zone1[0].community, dt.date(2026, 4, 30))
    zero = D("0.00")
    assert rows == [
        {"key": "1", "totals": [D("100.00"), zero, D("210.33"), zero, zero], "total": D("310.33")},
        {"key": "2", "totals": [D("50.00"), zero, zero, zero, zero], "total": D("50.00")},
    ]


def test_arrears_by_reason_takes_the_latest_recorded_reason(
    clock, zone1, butler1, service_item, django_assert_num_queries
):
    h1, h2, h3, _ = zone1
    _line(h1, service_item, "100.00", dt.date(2026, 9, 1), dt.date(2026, 9, 10))
    _line(h1, service_item, "20.00", dt.date(2026, 10, 1), dt.date(2026, 10, 10))
    _call(h1, butler1, 5, "away")
    _call(h1, butler1, 20, "malicious")
    _call(h1, butler1, 25)  # the latest call names no reason: 恶意欠费 stands
    _line(h2, service_item, "200.00", dt.date(2026, 9, 1), dt.date(2026, 9, 10))
    _call(h2, butler1, 6)
    _line(h3, service_item, "300.00", dt.date(2026, 9, 1), dt.date(2026, 9, 10))
    _line(h3, service_item, "999.00", dt.date(2026, 11, 1), dt.date(2026, 11, 10))  # not past due on 11-02
    with django_assert_num_queries(1):
        report = reports.arrears_by_reason(h1.community, dt.date(2026, 11, 2))
    rows = {row["key"]: (row["households"], row["amount"]) for row in report}
    assert rows["malicious"] == (1, D("120.00"))
    assert rows["unstated"] == (1, D("200.00"))
    assert rows["none"] == (1, D("300.00"))
    assert rows["away"] == (0, D("0.00"))


def test_payments_by_method_and_local_day(clock, zone1, finance, butler1, django_assert_num_queries):
    h1, h2, h3, _ = zone1
    _pay(h1, finance, "100.00", at(2026, 10, 5, 9), "wechat")
    _pay(h2, butler1, "50.00", at(2026, 10, 6, 0, 30), "cash")  # 10-05 in UTC
    _pay(h3, finance, "200.00", at(2026, 10, 6, 23, 50), "wechat")
    voided = _pay(h3, finance, "999.00", at(2026, 10, 6, 12), "bank")
    payments.void_receipt(voided.receipt, actor=finance, reason="重复")
    with django_assert_num_queries(1):
        report = reports.payments_by_method_day(h1.community, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [(m["key"], m["count"], m["total"]) for m in report["methods"]] == [
        ("cash", 1, D("50.00")),
        ("wechat", 2, D("300.00")),
    ]
    assert [(d["day"], [c["total"] for c in d["cells"]], d["total"]) for d in report["days"]] == [
        (dt.date(2026, 10, 5), [D("0.00"), D("100.00")], D("100.00")),
        (dt.date(2026, 10, 6), [D("50.00"), D("200.00")], D("250.00")),
    ]
    assert (report["total"], report["count"]) == (D("350.00"), 3)
