"""Work-order numbers WX-YYYY-NNNNNN per community and year without gaps, and the
reporting month (issue 9 §1, §9; [001 L170, L482])."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import transaction

from repairs import services
from repairs.models import WorkOrder
from tests.builders import at
from tests.concurrency import run_in_threads


@pytest.mark.postgres
def test_fifty_concurrent_creations_get_fifty_consecutive_numbers(transactional_db, clock, order):
    barrier = threading.Barrier(50, timeout=30)

    def take():
        barrier.wait()  # all fifty start their transactions together
        return order().number

    numbers = run_in_threads(take, count=50)
    assert sorted(numbers) == [f"WX-2026-{n:06d}" for n in range(1, 51)]
    assert WorkOrder.objects.count() == 50


def test_a_rolled_back_creation_leaves_no_gap(clock, order):
    assert order().number == "WX-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert order().number == "WX-2026-000002"
        raise RuntimeError("the request failed after the number was taken")
    assert order().number == "WX-2026-000002"


def test_a_void_keeps_its_number_and_the_next_is_new(clock, order, supervisor):
    first = order()
    services.void(first, actor=supervisor, reason="重复报修")
    first.refresh_from_db()
    assert first.number == "WX-2026-000001" and first.void_reason == "重复报修"
    assert order().number == "WX-2026-000002"
    assert WorkOrder.objects.count() == 2  # never deleted


@pytest.mark.parametrize(
    ("received", "number_year", "month"),
    [
        (at(2026, 12, 31, 10), 2026, dt.date(2027, 1, 1)),
        (at(2026, 3, 29, 23, 59), 2026, dt.date(2026, 3, 1)),
        (at(2026, 3, 30, 0, 0), 2026, dt.date(2026, 4, 1)),
        (at(2026, 2, 27, 8, 0), 2026, dt.date(2026, 3, 1)),
    ],
)
def test_year_from_the_local_receipt_date_and_the_reporting_month(clock, order, received, number_year, month):
    clock.now = received
    created = order()
    assert created.number == f"WX-{number_year}-000001"
    assert created.report_month == month


def test_numbers_are_per_community(clock, order, community2, butler3):
    from tests.builders import make_houses

    order()
    house2 = make_houses(community2, "9", actor=butler3, rooms=1)[0]
    services.categories_for(community2)
    other = services.receive_order(
        community=community2, actor=butler3, source="phone", house=house2, description="门锁坏了",
        category=services.categories_for(community2)[2],
    )  # fmt: skip
    assert other.number == "WX-2026-000001"


def test_the_same_form_submitted_twice_registers_once(clock, order):
    key = uuid.uuid4()
    first = order(intake_key=key)
    again = order(intake_key=key)
    assert again.pk == first.pk and again.duplicate
    assert order().number == "WX-2026-000002"
