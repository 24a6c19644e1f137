"""Payments, allocation and receipts (issue 10 §4–§5 acceptance)."""

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fees import payments
from fees.models import BillLine, Payment, Receipt
from tests.builders import make_houses
from tests.concurrency import run_in_threads

D = Decimal


def _lines(house, item, months):
    return [
        BillLine.objects.create(
            community=house.community,
            house=house,
            item=item,
            month=dt.date(2026, m, 1),
            description=f"2026年{m:02d}月物业服务费",
            quantity=D("89.50"),
            unit_price=D("2.35"),
            amount=D("210.33"),
            open_amount=D("210.33"),
            due_date=dt.date(2026, m, 10),
        )
        for m in months
    ]


def _pay(house, actor, amount="500.00", method="wechat", **extra):
    return payments.record_payment(house=house, actor=actor, amount=D(amount), method=method, payer="张先生", **extra)


def test_500_settles_january_and_february_and_leaves_march_130_99(clock, billed_house, finance, service_item):
    jan, feb, mar = _lines(billed_house, service_item, (1, 2, 3))
    _pay(billed_house, finance)
    for line in (jan, feb, mar):
        line.refresh_from_db()
    assert (jan.open_amount, feb.open_amount, mar.open_amount) == (D("0.00"), D("0.00"), D("130.99"))


def test_the_same_form_posted_twice_records_one_payment(clock, billed_house, finance, service_item):
    _lines(billed_house, service_item, (1,))
    key = uuid.uuid4()
    first = _pay(billed_house, finance, intake_key=key)
    again = _pay(billed_house, finance, intake_key=key)
    assert again.pk == first.pk and again.duplicate
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_a_surplus_is_prepaid_for_the_next_statement(clock, billed_house, finance, service_item):
    _lines(billed_house, service_item, (1,))
    _pay(billed_house, finance, amount="300.00")
    assert payments.unallocated(billed_house) == D("89.67")


def test_the_cashier_may_pick_the_line(clock, billed_house, finance, service_item):
    jan, feb = _lines(billed_house, service_item, (1, 2))
    _pay(billed_house, finance, amount="210.33", lines=[feb])
    jan.refresh_from_db()
    feb.refresh_from_db()
    assert (jan.open_amount, feb.open_amount) == (D("210.33"), D("0.00"))


def test_a_technician_cannot_record_a_payment(clock, billed_house, tech1):
    with pytest.raises(PermissionDenied):
        _pay(billed_house, tech1)


def test_bad_amounts_are_refused(clock, billed_house, finance):
    with pytest.raises(ValidationError):
        _pay(billed_house, finance, amount="0")


@pytest.mark.postgres
def test_fifty_concurrent_payments_get_fifty_consecutive_receipt_numbers(
    transactional_db, clock, billed_house, finance, service_item
):
    barrier = threading.Barrier(50, timeout=30)

    def pay():
        barrier.wait()
        return _pay(billed_house, finance, amount="10.00").receipt.number

    numbers = run_in_threads(pay, count=50)
    assert sorted(numbers) == [f"SJ-2026-{n:06d}" for n in range(1, 51)]


def test_a_void_reverses_the_allocation_and_keeps_the_number(clock, billed_house, finance, butler1, service_item):
    (jan,) = _lines(billed_house, service_item, (1,))
    receipt = _pay(billed_house, finance, amount="210.33").receipt
    with pytest.raises(PermissionDenied):
        payments.void_receipt(receipt, actor=butler1, reason="录错")
    payments.void_receipt(receipt, actor=finance, reason="金额录错")
    jan.refresh_from_db()
    receipt.refresh_from_db()
    assert jan.open_amount == D("210.33") and receipt.number == "SJ-2026-000001" and receipt.voided_at
    assert payments.unallocated(billed_house) == D("0.00")
    assert _pay(billed_house, finance, amount="210.33").receipt.number == "SJ-2026-000002"


def test_settlement_refused_with_an_open_line_then_issued_after_payment(
    clock, billed_house, finance, service_item, client_for
):
    from django.urls import reverse

    (nov,) = _lines(billed_house, service_item, (11,))
    client = client_for(finance)
    refused = client.post(reverse("fees:settlement", args=[billed_house.pk]))
    assert refused.status_code == 400 and nov.description in refused.content.decode()
    with pytest.raises(payments.StillOwed) as owed:
        payments.issue_settlement(billed_house, actor=finance)
    assert owed.value.lines == [nov]
    _pay(billed_house, finance, amount="210.33")
    issued = client.post(reverse("fees:settlement", args=[billed_house.pk]))
    assert issued.status_code == 200 and 'id="certificate-number">JQ-2026-000001<' in issued.content.decode()


def test_a_butlers_cash_waits_to_be_handed_over_until_finance_confirms(clock, billed_house, butler1, finance):
    cash = _pay(billed_house, butler1, amount="50.00", method="cash")
    _pay(billed_house, butler1, amount="20.00", method="wechat")
    _pay(billed_house, finance, amount="30.00", method="cash")
    assert list(payments.to_hand_over(billed_house.community)) == [cash]
    with pytest.raises(PermissionDenied):
        payments.confirm_handover([cash], actor=butler1)
    assert payments.confirm_handover([cash], actor=finance) == 1
    assert not payments.to_hand_over(billed_house.community).exists()


def test_a_payment_takes_the_same_number_of_queries_for_one_line_or_six(
    clock, billed_house, finance, service_item, community, supervisor
):
    other, warm = make_houses(community, "Q", actor=supervisor, rooms=2)
    _pay(warm, finance, amount="10.00")  # the year's receipt counter exists from here on
    _lines(billed_house, service_item, [1])
    _lines(other, service_item, [1, 2, 3, 4, 5, 6])
    with CaptureQueriesContext(connection) as one:
        _pay(billed_house, finance, amount="210.33")
    with CaptureQueriesContext(connection) as six:
        _pay(other, finance, amount="1261.98")
    assert len(six) == len(one)
    assert not BillLine.objects.filter(open_amount__gt=0).exists()
