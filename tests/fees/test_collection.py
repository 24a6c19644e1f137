"""Collection rounds and the 催收记录 (issue 10 §6–§7 acceptance)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.models import Complaint
from fees import collection
from fees.models import BillLine, CollectionRound, CollectionTask
from tests.builders import at, inbox


@pytest.fixture
def arrears(billed_house, service_item):
    return BillLine.objects.create(
        community=billed_house.community,
        house=billed_house,
        item=service_item,
        month=dt.date(2026, 4, 1),
        description="2026年04月物业服务费",
        quantity=Decimal("89.50"),
        unit_price=Decimal("2.35"),
        amount=Decimal("210.33"),
        open_amount=Decimal("210.33"),
        due_date=dt.date(2026, 4, 10),
    )


@pytest.mark.parametrize(
    ("day", "kinds"),
    [
        (at(2026, 5, 15, 7, 10), ["monthly"]),
        (at(2026, 5, 25, 7, 10), ["reason"]),
        (at(2026, 6, 15, 7, 10), ["quarter"]),  # one round, not the monthly one too
        (at(2026, 6, 22, 7, 10), ["final"]),
        (at(2026, 5, 14, 7, 10), []),
    ],
)
def test_each_round_opens_once_on_its_day(clock, arrears, butler1, day, kinds):
    clock.now = day
    collection.open_due_rounds()
    collection.open_due_rounds()  # run twice
    assert sorted(CollectionRound.objects.values_list("kind", flat=True)) == kinds
    if kinds:
        task = CollectionTask.objects.get()
        assert (task.house, task.butler, task.arrears) == (arrears.house, butler1, Decimal("210.33"))
        assert len(inbox(butler1, "fees.round")) == 1


def test_a_missed_day_is_caught_up_within_the_window(clock, arrears):
    clock.now = at(2026, 5, 18, 7, 10)
    assert collection.open_due_rounds() == 1
    assert CollectionRound.objects.get().opened_on == dt.date(2026, 5, 15)


def test_service_problem_opens_a_complaint_owned_by_the_butler(clock, arrears, butler1, client_for):
    clock.now = at(2026, 5, 16, 10)
    collection.open_due_rounds()
    task = CollectionTask.objects.get()
    call = collection.record_call(
        house=arrears.house,
        actor=butler1,
        channel="phone",
        person_reached="张先生",
        statement_received=True,
        answer="楼道灯坏了一个月没人修，修好再交",
        promised_date=dt.date(2026, 5, 30),
        reason="service",
        task=task,
    )
    complaint = Complaint.objects.get()
    assert call.complaint == complaint and complaint.owner == butler1 and complaint.house == arrears.house
    assert list(complaint.collection_calls.all()) == [call]
    task.refresh_from_db()
    assert task.done_at is not None
    panel = client_for(butler1).get(reverse("residents:house_detail", args=[arrears.house_id])).content.decode()
    assert 'id="house-arrears">¥210.33' in panel and "物业服务问题" in panel


def test_a_promise_in_the_past_is_refused(clock, arrears, butler1):
    clock.now = at(2026, 5, 16, 10)
    with pytest.raises(collection.ValidationError):
        collection.record_call(
            house=arrears.house,
            actor=butler1,
            channel="phone",
            person_reached="张先生",
            answer="下周交",
            promised_date=dt.date(2026, 5, 1),
        )


def test_when_the_service_problem_is_solved_the_butler_is_reminded_once(clock, arrears, butler1, supervisor):
    from complaints import services as complaints

    clock.now = at(2026, 5, 16, 10)
    collection.record_call(
        house=arrears.house, actor=butler1, channel="door", person_reached="张先生", answer="楼道灯不亮",
        reason="service",
    )  # fmt: skip
    assert collection.remind_after_service_problems() == 0
    complaint = Complaint.objects.get()
    clock.now = at(2026, 5, 17, 10)
    complaints.resolve(complaint, actor=butler1, result="已更换灯管", reply="已修好")
    assert collection.remind_after_service_problems() == 1
    assert collection.remind_after_service_problems() == 0
    assert inbox(butler1, "fees.service_solved")
