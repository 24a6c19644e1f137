"""`seed_demo` gives the repairs app its demo (issue 9): public areas, the approved
特约服务收费标准 and two months of work orders made through the services at their
own moments — in 阳光花园 one order in every status and the cases an office meets;
翠湖苑, without technicians, only takes orders or voids them. Numbers are gapless
per community and year in receipt order, a signed charge is what the owner agreed
to, open orders are overdue now and their ladders were climbed on the beat, and a
second run adds nothing. It runs at a small scale: the showcase does not depend
on it."""

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from core.ladder import steps_reached
from core.models import Community, EscalationStep, Reminder, User
from repairs import clocks
from repairs.choices import (
    WORKING_STATUSES,
    Action,
    Condition,
    DispatchMode,
    PauseReason,
    PriceListStatus,
    Signature,
    Source,
    Status,
    Urgency,
)
from repairs.models import Charge, PriceList, PublicArea, PurchaseRequest, WorkOrder, WorkOrderEvent
from visits.models import ReturnVisit, Visit

pytestmark = pytest.mark.django_db

BEAT = dt.timedelta(minutes=1)


def seed():
    call_command("seed_demo", scale=0.02, through="repairs", stdout=io.StringIO())


def _communities():
    return Community.objects.order_by("pk")


def _month_start():
    return timezone.make_aware(dt.datetime.combine(timezone.localdate().replace(day=1), dt.time()))


def _visits_made():
    """Return visits fall in this month (its summary is the only one not drafted yet):
    on the 1st before the first door visit at 09:05 none has been made."""
    return timezone.now() >= _month_start() + dt.timedelta(hours=9, minutes=10)


def _counts():
    order_type = ContentType.objects.get_for_model(WorkOrder)
    return {
        "orders": WorkOrder.objects.count(),
        "events": WorkOrderEvent.objects.count(),
        "steps": EscalationStep.objects.filter(content_type=order_type).count(),
        "reminders": Reminder.objects.filter(kind__startswith="repairs.").count(),
        "charges": Charge.objects.count(),
        "purchases": PurchaseRequest.objects.count(),
        "price_lists": PriceList.objects.count(),
        "areas": PublicArea.objects.count(),
        "return_visits": ReturnVisit.objects.filter(source_type=order_type).count(),
        "visits": Visit.objects.count(),
    }


def test_every_status_class_and_case_in_sunshine_garden_and_a_second_run_adds_nothing():
    seed()
    sunshine, lakeside = _communities()
    orders = WorkOrder.objects.filter(community=sunshine)
    statuses = set(Status.values) - (set() if _visits_made() else {Status.VISITED})
    assert set(orders.values_list("status", flat=True)) >= statuses
    assert set(orders.values_list("urgency", flat=True)) == set(Urgency.values)
    assert {Source.PHONE, Source.COUNTER, Source.PATROL} <= set(orders.values_list("source", flat=True))
    assert set(orders.values_list("dispatch_mode", flat=True)) == set(DispatchMode.values)
    staff = {"tech1", "tech2", "engineer"}
    assert set(User.objects.filter(work_orders__community=sunshine).values_list("username", flat=True)) == staff

    # 紧急 saved with the place and one line: one still waits for its 补办手续, one has it
    assert orders.filter(urgency=Urgency.EMERGENCY, paperwork_pending=True, category__isnull=True).exists()
    assert orders.filter(urgency=Urgency.EMERGENCY, events__action=Action.PAPERWORK, category__isnull=False).exists()
    assert any(Condition.PUMP_PIPE in o.conditions for o in orders.filter(urgency=Urgency.URGENT))
    assert orders.filter(urgency=Urgency.NORMAL, appointment_at__isnull=False).exists()
    assert orders.filter(public_area__isnull=False).exists() and orders.filter(house__isnull=False).exists()

    waiting = orders.filter(is_paused=True, pauses__ended_at__isnull=True, pauses__reason=PauseReason.MATERIALS)
    assert waiting.filter(purchases__filed_by__username="engineer").exists()
    assert orders.filter(is_paused=True, pauses__ended_at__isnull=True, pauses__reason=PauseReason.OWNER).exists()
    returned = orders.get(status=Status.RETURNED)
    assert returned.return_reason and returned.owner_notified_at is not None
    assert orders.filter(status=Status.VOID).exclude(void_reason="").exists()
    assert orders.filter(status=Status.DECLINED, quote_round__gte=1, agreed_total__isnull=True).exists()

    order_type = ContentType.objects.get_for_model(WorkOrder)
    records = Visit.objects.filter(return_visit__source_type=order_type)
    assert not records.filter(started_at__lt=_month_start()).exists()  # the past months' summaries stand
    if _visits_made():
        rework = orders.get(rework_of__isnull=False)
        assert rework.is_repeat and rework.status in WORKING_STATUSES
        assert rework.rework_of.status == Status.CLOSED and rework.rework_of.return_satisfaction == "dissatisfied"
        visited = orders.filter(status=Status.VISITED).first()
        assert records.filter(return_visit__source_id=str(visited.pk), status="approved").exists()

    areas = set(PublicArea.objects.filter(community=sunshine).values_list("name", flat=True))
    assert {"大堂", "地下车库", "水泵房", "电梯机房", "中心花园"} <= areas
    price_list = PriceList.objects.get(community=sunshine)
    assert price_list.status == PriceListStatus.APPROVED and price_list.approved_by.username == "manager"
    assert price_list.items.count() >= 12
    assert orders.filter(reviewed_at__isnull=False).exists()

    # 翠湖苑 has no technician: orders are only taken or voided, none dispatched
    theirs = WorkOrder.objects.filter(community=lakeside)
    assert set(theirs.values_list("status", flat=True)) == {Status.RECEIVED, Status.VOID}
    assert not theirs.filter(technician__isnull=False).exists()
    assert PriceList.objects.get(community=lakeside).status == PriceListStatus.APPROVED

    before = _counts()
    seed()
    assert _counts() == before


def test_numbers_are_gapless_per_community_and_year_in_the_order_received():
    seed()
    for community in _communities():
        numbers = list(
            WorkOrder.objects.filter(community=community).order_by("received_at", "pk").values_list("number", flat=True)
        )
        assert numbers, community.code
        by_year = Counter()
        for number in numbers:
            year, serial = re.fullmatch(r"WX-(\d{4})-(\d{6})", number).groups()
            by_year[year] += 1
            assert int(serial) == by_year[year], (community.code, number)


def test_a_signed_charge_is_the_agreed_quote():
    seed()
    charges = Charge.objects.select_related("order")
    assert charges.exists()
    for charge in charges:
        order = charge.order
        lines = order.quote_lines.filter(round=order.quote_round)
        assert charge.amount == order.agreed_total == order.final_amount == sum(line.amount for line in lines)
        assert charge.amount > Decimal("0") and charge.house == order.house
        assert order.signature == Signature.SIGNED and order.signature_file.name.endswith(".png")
        with order.signature_file.open("rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_open_orders_are_overdue_now_and_their_ladders_were_climbed_on_the_beat():
    now = timezone.now()
    seed()
    order_type = ContentType.objects.get_for_model(WorkOrder)
    steps = EscalationStep.objects.filter(content_type=order_type)
    assert steps.exists()
    assert all(dt.timedelta() <= s.reached_at - s.due_at <= BEAT for s in steps), "a step off the beat"
    running = WorkOrder.objects.filter(status__in=WORKING_STATUSES, is_paused=False).select_related(
        "community", "technician", "department__head"
    )
    overdue = []
    for order in running:
        pauses = clocks.pauses_of(order)
        due = [r for r in clocks.rungs(order, clocks.Policy(order.community), pauses) if r.due_at and r.due_at <= now]
        reached = set(steps_reached(order).values_list("step", flat=True))
        for rung in due:
            assert rung.step in reached, (order.number, rung.step)
            assert Reminder.objects.filter(content_type=order_type, object_id=str(order.pk), kind=rung.kind).exists(), (
                order.number,
                rung.kind,
            )
        deadlines = (order.dispatch_due_at, order.arrival_due_at, order.completion_due_at)
        if any(d is not None and d < now for d in deadlines):
            overdue.append(order)
    sunshine = _communities().first()
    stages = {o.status for o in overdue if o.community == sunshine}
    assert {Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS} <= stages  # dispatch, arrival, completion


def test_a_return_visit_is_reported_once_when_the_seed_commits(django_capture_on_commit_callbacks):
    """What the commit delivers afterwards (the visits engine's reports) changes
    nothing: one 已回访 entry per visit, one rework order."""
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    notes = list(WorkOrderEvent.objects.filter(action=Action.RETURN_VISITED).values_list("order_id", "note"))
    assert len(notes) == len(set(notes))
    assert WorkOrder.objects.filter(rework_of__isnull=False).count() == (1 if _visits_made() else 0)
