"""The hourly return-visit job (SPEC §7) is safe to repeat: run twice, or on two
workers at once, it creates each return visit once (the unique `key`), and it
reminds each assignee once a day of the return visits due today or overdue."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from residents import services as archive
from tests.concurrency import run_in_threads
from tests.visits.conftest import at, inbox, make_houses
from visits import engine, tasks
from visits.choices import Trigger
from visits.models import ReturnVisit, VisitPolicy


def test_hourly_job_run_twice_creates_and_reminds_once(zone1, supervisor, butler1, stand_in):
    today = timezone.localdate()
    archive.update_house(zone1[0], actor=supervisor, move_in_date=today - dt.timedelta(days=2))
    engine.raise_return_visit(
        Trigger.COUNTER_QUESTION,
        house=zone1[1],
        source=stand_in("前台疑难问题"),
        occurred_at=timezone.now() - dt.timedelta(hours=30),
    )

    assert tasks.raise_return_visits() == {"created": 1, "reminded": 1}
    assert tasks.raise_return_visits() == {"created": 0, "reminded": 0}

    assert ReturnVisit.objects.filter(trigger=Trigger.MOVE_IN, house=zone1[0]).count() == 1
    assert inbox(supervisor, "visits.return_visit_due") == ["已逾期回访：1-1-102 · 前台疑难问题回复"]
    assert inbox(butler1, "visits.return_visit_due") == []  # the move-in visit is due in 28 days


# --- reminders: due today and overdue, once a day ------------------------------


@pytest.fixture
def due_list(zone1, stand_in):
    """On 20 November: 101 due at 18:00 today, 102 overdue since yesterday, 103
    due tomorrow at 09:00, 104's leak due on the 22nd (and its after-rain visit
    waiting), and 104's major complaint due today at 20:00."""
    make = engine.raise_return_visit
    make(Trigger.URGENT_REPAIR, house=zone1[0], source=stand_in("急修"), occurred_at=at(2026, 11, 19, 18, 0))
    make(Trigger.OTHER_REPAIR, house=zone1[1], source=stand_in("疏通"), occurred_at=at(2026, 11, 16, 14, 0))
    make(Trigger.COMMISSION_DONE, house=zone1[2], source=stand_in("委托"), occurred_at=at(2026, 11, 18, 9, 0))
    make(Trigger.LEAK_REPAIR, house=zone1[3], source=stand_in("渗漏"), occurred_at=at(2026, 11, 19, 10, 0))
    make(
        Trigger.COMPLAINT_CLOSED,
        house=zone1[3],
        source=stand_in("重大投诉"),
        occurred_at=at(2026, 11, 17, 20),
        joint=True,
    )
    return zone1


def test_assignee_is_reminded_of_due_today_and_overdue_once_a_day(due_list, butler1):
    assert engine.remind_return_visits(now=at(2026, 11, 20, 9, 5)) == 3
    assert engine.remind_return_visits(now=at(2026, 11, 20, 10, 5)) == 0
    assert sorted(inbox(butler1, "visits.return_visit_due")) == [
        "今日到期回访：1-1-101 · 急修完成",
        "今日到期回访：1-1-104 · 投诉办结（重大投诉，需经理、大管家、部门主管与管家联合回访）",
        "已逾期回访：1-1-102 · 其他维修完成",
    ]


def test_the_next_day_brings_a_new_reminder(due_list, butler1):
    engine.remind_return_visits(now=at(2026, 11, 20, 9, 5))
    # the 21st: 101, 102 and the complaint are overdue, 103 is due today (09:00)
    assert engine.remind_return_visits(now=at(2026, 11, 21, 8, 5)) == 4
    assert engine.remind_return_visits(now=at(2026, 11, 21, 9, 5)) == 0
    assert len(inbox(butler1, "visits.return_visit_due")) == 7


def test_done_return_visits_are_not_reminded(due_list, butler1):
    ReturnVisit.objects.filter(house=due_list[0]).update(status="done")
    assert engine.remind_return_visits(now=at(2026, 11, 20, 9, 5)) == 2


# --- two workers at once ---------------------------------------------------------


@pytest.mark.postgres
def test_two_workers_create_each_return_visit_once(transactional_db, community, supervisor, butler1, monkeypatch):
    houses = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=3)
    for house in houses:
        archive.update_house(house, actor=supervisor, move_in_date=dt.date(2026, 11, 2))
    VisitPolicy.for_community(community)
    barrier = threading.Barrier(2, timeout=10)
    original = engine._create

    def held_at_insert(*args, **kwargs):
        barrier.wait()  # both workers have found the same move-in and are about to insert it
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_create", held_at_insert)
    results = run_in_threads(lambda: engine.scan_archive_triggers(now=at(2026, 11, 20, 9, 5)))

    assert sum(results) == 3
    assert sorted(ReturnVisit.objects.values_list("house__number", "trigger")) == [
        ("1-1-101", "move_in"),
        ("1-1-102", "move_in"),
        ("1-1-103", "move_in"),
    ]
