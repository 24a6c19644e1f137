"""Each return-visit trigger of SPEC §2.3 with its default delay, assignee and
follow-on visit; delays are configurable per community. Source-based triggers
use a stand-in record: the complaints and repairs apps will make the same call."""

import datetime as dt

import pytest

from residents import services as archive
from residents.models import House
from tests.visits.conftest import at, make_houses
from visits import engine, services
from visits.choices import ReturnVisitStatus, Trigger
from visits.models import RainyDay, ReturnVisit, VisitPolicy

FINISHED = at(2026, 11, 10, 14, 0)


def _rows(house):
    return sorted(
        (rv.trigger, rv.status, rv.due_at, rv.assignee.username, rv.by_manager, rv.joint)
        for rv in ReturnVisit.objects.filter(house=house).select_related("assignee")
    )


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        (Trigger.COMPLAINT_CLOSED, [("complaint_closed", "due", FINISHED + dt.timedelta(days=3), "butler1", False)]),
        (
            Trigger.URGENT_REPAIR,
            [
                ("urgent_repair", "due", FINISHED + dt.timedelta(hours=24), "butler1", False),
                ("urgent_repair_again", "due", FINISHED + dt.timedelta(days=7), "butler1", False),
            ],
        ),
        (
            Trigger.LEAK_REPAIR,
            [
                ("leak_repair", "due", FINISHED + dt.timedelta(days=3), "butler1", False),
                ("leak_repair_rain", "waiting", None, "butler1", False),
            ],
        ),
        (Trigger.OTHER_REPAIR, [("other_repair", "due", FINISHED + dt.timedelta(days=3), "butler1", False)]),
        (Trigger.COMMISSION_DONE, [("commission_done", "due", FINISHED + dt.timedelta(days=3), "butler1", False)]),
        (
            Trigger.SPECIAL_SERVICE_NEW,
            [("special_service_new", "due", FINISHED + dt.timedelta(days=3), "manager", True)],
        ),
        (Trigger.HOUSEHOLD_INCIDENT, [("household_incident", "due", FINISHED + dt.timedelta(days=3), "manager", True)]),
        (
            Trigger.COUNTER_QUESTION,
            [("counter_question", "due", FINISHED + dt.timedelta(hours=24), "supervisor", False)],
        ),
    ],
)
def test_trigger_raises_its_return_visits_with_default_delays(house, stand_in, supervisor, manager, trigger, expected):
    created = engine.raise_return_visit(trigger, house=house, source=stand_in("来源"), occurred_at=FINISHED)
    assert created is not None and created.trigger == trigger
    assert _rows(house) == sorted((*row, False) for row in expected)


def test_a_major_complaint_keeps_the_joint_flag(house, stand_in, butler1):
    rv = engine.raise_return_visit(
        Trigger.COMPLAINT_CLOSED, house=house, source=stand_in("重大投诉"), occurred_at=FINISHED, joint=True
    )
    rv.refresh_from_db()
    assert (rv.joint, rv.assignee, rv.due_at) == (True, butler1, at(2026, 11, 13, 14, 0))


def test_the_same_source_raises_once(house, stand_in, butler1):
    source = stand_in("急修单")
    assert engine.raise_return_visit(Trigger.URGENT_REPAIR, house=house, source=source, occurred_at=FINISHED)
    assert engine.raise_return_visit(Trigger.URGENT_REPAIR, house=house, source=source, occurred_at=FINISHED) is None
    assert ReturnVisit.objects.filter(house=house).count() == 2  # the visit and its 7-day follow-on
    # another work order of the same house is another return visit
    assert engine.raise_return_visit(
        Trigger.URGENT_REPAIR, house=house, source=stand_in("急修单2"), occurred_at=FINISHED
    )
    assert ReturnVisit.objects.filter(house=house).count() == 4


def test_without_a_zone_butler_the_communitys_butler_is_assigned(community, supervisor, butler2, stand_in):
    loose = make_houses(community, "9", actor=supervisor, rooms=1)[0]  # in nobody's zone
    rv = engine.raise_return_visit(Trigger.OTHER_REPAIR, house=loose, source=stand_in("疏通"), occurred_at=FINISHED)
    assert rv.assignee == butler2


def test_without_any_butler_or_supervisor_the_company_admin_is_assigned(community, manager, company_admin, stand_in):
    loose = make_houses(community, "9", actor=manager, rooms=1)[0]
    repair = engine.raise_return_visit(Trigger.OTHER_REPAIR, house=loose, source=stand_in("a"), occurred_at=FINISHED)
    question = engine.raise_return_visit(
        Trigger.COUNTER_QUESTION, house=loose, source=stand_in("b"), occurred_at=FINISHED
    )
    assert (repair.assignee, question.assignee) == (company_admin, company_admin)


def test_delays_are_configurable(house, stand_in, manager, community):
    policy = VisitPolicy.for_community(community)
    services.update_policy(policy, actor=manager, return_delays={"complaint_closed": 48, "urgent_repair_again": 240})
    complaint = engine.raise_return_visit(
        Trigger.COMPLAINT_CLOSED, house=house, source=stand_in("投诉"), occurred_at=FINISHED
    )
    engine.raise_return_visit(Trigger.URGENT_REPAIR, house=house, source=stand_in("急修"), occurred_at=FINISHED)
    assert complaint.due_at == at(2026, 11, 12, 14, 0)
    due = dict(ReturnVisit.objects.filter(trigger__startswith="urgent").values_list("trigger", "due_at"))
    # the 24-hour first visit keeps its default; the second follows the new 10 days
    assert due == {"urgent_repair": at(2026, 11, 11, 14, 0), "urgent_repair_again": at(2026, 11, 20, 14, 0)}


# --- leak repairs and the first rainy day -----------------------------------


def test_rainy_day_makes_earlier_leak_return_visits_due(house, zone1, stand_in, butler1):
    engine.raise_return_visit(Trigger.LEAK_REPAIR, house=house, source=stand_in("渗漏1"), occurred_at=FINISHED)
    later = engine.raise_return_visit(
        Trigger.LEAK_REPAIR, house=zone1[1], source=stand_in("渗漏2"), occurred_at=at(2026, 11, 13, 9, 0)
    )
    assert later is not None

    assert engine.record_rainy_day(community=house.community, date=dt.date(2026, 11, 9), actor=butler1) == 0
    assert engine.record_rainy_day(community=house.community, date=dt.date(2026, 11, 12), actor=butler1) == 1

    rain = dict(ReturnVisit.objects.filter(trigger=Trigger.LEAK_REPAIR_RAIN).values_list("house__number", "status"))
    assert rain == {"1-1-101": ReturnVisitStatus.DUE, "1-1-102": ReturnVisitStatus.WAITING}
    due = ReturnVisit.objects.get(house=house, trigger=Trigger.LEAK_REPAIR_RAIN)
    # due the configured 24 h after the end of the rainy day
    assert due.due_at == at(2026, 11, 13, 23, 59, 59)
    assert sorted(RainyDay.objects.values_list("date", flat=True)) == [dt.date(2026, 11, 9), dt.date(2026, 11, 12)]


def test_only_the_first_rainy_day_counts(house, stand_in, butler1):
    engine.raise_return_visit(Trigger.LEAK_REPAIR, house=house, source=stand_in("渗漏"), occurred_at=FINISHED)
    engine.record_rainy_day(community=house.community, date=dt.date(2026, 11, 12), actor=butler1)
    assert engine.record_rainy_day(community=house.community, date=dt.date(2026, 11, 15), actor=butler1) == 0
    assert engine.record_rainy_day(community=house.community, date=dt.date(2026, 11, 12), actor=butler1) == 0
    due = ReturnVisit.objects.get(trigger=Trigger.LEAK_REPAIR_RAIN)
    assert due.due_at == at(2026, 11, 13, 23, 59, 59)
    assert RainyDay.objects.count() == 2


# --- move-in triggers from the archive ---------------------------------------


def _move_in(house, date, actor):
    return archive.update_house(house, actor=actor, move_in_date=date)


def test_new_owner_is_visited_within_a_month_of_moving_in(house, supervisor, butler1):
    _move_in(house, dt.date(2026, 10, 1), supervisor)
    assert engine.scan_archive_triggers(now=at(2026, 10, 2, 9, 5)) == 1
    rv = ReturnVisit.objects.get(house=house)
    assert (rv.trigger, rv.occurred_at, rv.due_at, rv.assignee) == (
        Trigger.MOVE_IN,
        at(2026, 10, 1, 9, 0),
        at(2026, 10, 31, 9, 0),
        butler1,
    )


def test_three_months_after_move_in_raised_within_a_week_of_being_due(house, supervisor, butler1):
    _move_in(house, dt.date(2026, 10, 1), supervisor)  # 92 days later: 2027-01-01
    engine.scan_archive_triggers(now=at(2026, 10, 2, 9, 5))
    assert engine.scan_archive_triggers(now=at(2026, 12, 24, 23, 0)) == 0
    assert engine.scan_archive_triggers(now=at(2026, 12, 25, 0, 5)) == 1
    rv = ReturnVisit.objects.get(house=house, trigger=Trigger.MOVE_IN_3M)
    assert (rv.due_at, rv.assignee, rv.status) == (at(2027, 1, 1, 9, 0), butler1, ReturnVisitStatus.DUE)
    assert engine.scan_archive_triggers(now=at(2026, 12, 25, 1, 5)) == 0


def test_future_and_unoccupied_move_ins_raise_nothing(zone1, supervisor):
    _move_in(zone1[0], dt.date(2026, 11, 30), supervisor)
    archive.update_house(zone1[1], actor=supervisor, move_in_date=dt.date(2026, 11, 1), occupancy="vacant")
    assert engine.scan_archive_triggers(now=at(2026, 11, 20, 9, 5)) == 0
    assert not ReturnVisit.objects.exists()


@pytest.fixture
def october_move_ins(community, supervisor, butler1):
    """100 households moved in during October 2026."""
    houses = make_houses(community, "6", actor=supervisor, butler=butler1, floors=10, rooms=10)
    for i, house in enumerate(houses):
        house.move_in_date = dt.date(2026, 10, 1 + i % 28)
    House.objects.bulk_update(houses, ["move_in_date"])
    return houses


def _move_in_visits():
    return ReturnVisit.objects.filter(trigger=Trigger.MOVE_IN).count()


def test_mass_move_in_visits_about_sixty_percent(october_move_ins):
    # 100 in one month is more than the threshold of 50: a stable 60 % sample
    engine.scan_archive_triggers(now=at(2026, 11, 1, 9, 5))
    sampled = _move_in_visits()
    assert 40 <= sampled <= 80
    engine.scan_archive_triggers(now=at(2026, 11, 1, 10, 5))
    assert _move_in_visits() == sampled


def test_a_move_in_month_at_the_threshold_is_visited_in_full(october_move_ins, community, manager):
    services.update_policy(VisitPolicy.for_community(community), actor=manager, mass_move_in_threshold=100)
    engine.scan_archive_triggers(now=at(2026, 11, 1, 9, 5))
    assert _move_in_visits() == 100


def test_the_mass_move_in_sample_is_configurable(october_move_ins, community, manager):
    services.update_policy(
        VisitPolicy.for_community(community), actor=manager, mass_move_in_threshold=99, move_in_sample_percent=0
    )
    engine.scan_archive_triggers(now=at(2026, 11, 1, 9, 5))
    assert _move_in_visits() == 0
