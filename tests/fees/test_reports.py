"""收缴率 and ageing (issue 10 §10 acceptance)."""

import datetime as dt
from decimal import Decimal

from fees import payments, reports
from fees.models import BillLine

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
