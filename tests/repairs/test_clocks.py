"""The dispatch, arrival and completion clocks and the escalation ladder (issue 9 §3, §4)."""

import datetime as dt
import threading

import pytest

from core import ladder
from core.models import EscalationStep, Reminder
from repairs import escalation, services
from repairs.choices import Condition, DispatchMode, Status, Step
from repairs.models import RepairSettings, WorkOrder
from tests.builders import at, inbox
from tests.concurrency import run_in_threads

M = dt.timedelta(minutes=1)


def test_dispatch_within_five_minutes_is_on_time_one_second_more_is_late(clock, order, supervisor, tech):
    clock.now = at(2026, 5, 6, 10, 0, 0)
    on_time, late = order(), order()
    clock.now = at(2026, 5, 6, 10, 5, 0)
    assert services.dispatch(on_time, actor=supervisor, technician=tech).dispatched_late is False
    clock.now = at(2026, 5, 6, 10, 5, 1)
    assert services.dispatch(late, actor=supervisor, technician=tech).dispatched_late is True


def test_urgent_arrival_clock_stops_while_paused(clock, order, supervisor, tech):
    clock.now = at(2026, 5, 6, 10)
    o = order(conditions=[Condition.WIRING])
    assert o.arrival_due_at == at(2026, 5, 6, 10, 30)
    o = services.dispatch(o, actor=supervisor, technician=tech)
    o = services.accept(o, actor=tech)
    clock.now = at(2026, 5, 6, 10, 10)
    o = services.pause(o, actor=tech, reason="owner", note="业主不在家，约好12点后")
    assert o.arrival_due_at is None and o.is_paused
    clock.now = at(2026, 5, 6, 12, 10)
    o = services.resume(o, actor=tech)
    assert WorkOrder.objects.get(pk=o.pk).arrival_due_at == at(2026, 5, 6, 12, 30)
    clock.now = at(2026, 5, 6, 12, 25)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    assert o.arrived_late is False


def test_arrival_of_an_ordinary_order_is_the_appointment(clock, order):
    clock.now = at(2026, 5, 6, 10)
    o = order(appointment_at=at(2026, 5, 7, 15))
    assert o.arrival_due_at == at(2026, 5, 7, 15)
    assert o.completion_due_at == at(2026, 5, 8, 10)  # 一般: 2 days


def test_ladder_technician_at_75_percent_head_at_deadline_manager_24h_later(
    clock, order, supervisor, tech, engineer, manager
):
    clock.now = at(2026, 5, 6, 10)
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    clock.now = at(2026, 5, 7, 22)  # 36 h of 48: 75 %
    escalation.escalate_due()
    assert inbox(tech, "repairs.warning") and not inbox(engineer, "repairs.overdue")
    clock.now = at(2026, 5, 8, 10)
    escalation.escalate_due()
    assert inbox(engineer, "repairs.overdue") and not inbox(manager, "repairs.manager")
    clock.now = at(2026, 5, 9, 10)
    escalation.escalate_due()
    escalation.escalate_due()
    assert len(inbox(manager, "repairs.manager")) == 1
    assert len(inbox(tech, "repairs.warning")) == 1  # each step once


def test_undispatched_after_five_minutes_reaches_the_dispatchers(clock, order, supervisor, engineer):
    o = order()
    clock.now = o.received_at + 5 * M + dt.timedelta(seconds=1)
    escalation.escalate_due()
    assert inbox(supervisor, "repairs.dispatch_overdue") and inbox(engineer, "repairs.dispatch_overdue")


def test_day_three_without_purchase_request_reminds_the_head(clock, order, supervisor, tech, engineer):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    services.arrive(o, actor=tech, entry_agreed=True)
    clock.now = o.received_at + dt.timedelta(days=3)
    escalation.escalate_due()
    assert inbox(engineer, "repairs.materials")


@pytest.mark.postgres
def test_two_workers_at_the_claim_point_reach_each_step_once(
    transactional_db, clock, order, supervisor, tech, monkeypatch
):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    clock.now = o.received_at + dt.timedelta(hours=20)  # only the arrival 75 % (18 of 24 h) is due
    barrier = threading.Barrier(2, timeout=10)
    original = ladder.claim

    def held_at_claim(*args, **kwargs):
        barrier.wait()  # both workers decided this step is due and not yet reached
        return original(*args, **kwargs)

    monkeypatch.setattr(ladder, "claim", held_at_claim)
    run_in_threads(escalation.escalate_due)
    # Without the unique (record, step, round) key both inserts would succeed.
    assert EscalationStep.objects.filter(object_id=str(o.pk), step=Step.ARRIVAL_WARNING).count() == 1
    assert Reminder.objects.filter(recipient=tech, kind="repairs.warning").count() == 1


@pytest.fixture
def grab_mode(community):
    RepairSettings.objects.update_or_create(community=community, defaults={"dispatch_mode": DispatchMode.GRAB})


@pytest.mark.postgres
def test_grab_two_concurrent_claims_one_wins(transactional_db, clock, grab_mode, order, tech, tech2):
    o = order()
    assert o.dispatch_mode == DispatchMode.GRAB and o.status == Status.RECEIVED
    barrier = threading.Barrier(2, timeout=10)
    people = iter([tech, tech2])
    lock = threading.Lock()

    def grab():
        with lock:
            person = next(people)
        barrier.wait()
        try:
            return services.claim(o, actor=person).technician_id
        except services.ValidationError:
            return None

    winners = [pk for pk in run_in_threads(grab) if pk is not None]
    assert len(winners) == 1
    o.refresh_from_db()
    assert o.technician_id == winners[0] and o.status == Status.ACCEPTED


def test_grab_unclaimed_after_three_minutes_alerts_the_dispatchers(clock, grab_mode, order, tech, supervisor):
    o = order()
    assert inbox(tech, "repairs.pool")
    clock.now = o.received_at + 3 * M
    escalation.escalate_due()
    assert inbox(supervisor, "repairs.unclaimed")


def test_emergency_is_always_assigned_even_in_grab_mode(clock, grab_mode, order):
    assert order(conditions=[Condition.FLOODING]).dispatch_mode == DispatchMode.ASSIGN


def test_round_robin_gives_the_next_technician(clock, community, order, tech, tech2):
    RepairSettings.objects.update_or_create(community=community, defaults={"dispatch_mode": DispatchMode.ROUND_ROBIN})
    got = [order().technician for _ in range(3)]
    assert got == [tech, tech2, tech]


def test_round_robin_skips_a_technician_off_shift_who_may_come_back(clock, community, order, tech, tech2, client_for):
    RepairSettings.objects.update_or_create(community=community, defaults={"dispatch_mode": DispatchMode.ROUND_ROBIN})
    client_for(tech).post("/repairs/mine/", {"on_shift": "0"})
    assert [order().technician for _ in range(2)] == [tech2, tech2]
    client_for(tech).post("/repairs/mine/", {"on_shift": "1"})
    assert order().technician == tech
