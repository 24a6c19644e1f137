"""Jobs run twice, or on two workers at once, duplicate nothing and lose nothing
(issue 3 §9). Two threads are held at the claim point with a Barrier on
PostgreSQL; each test fails when the unique key, the condition or the lock it
relies on is removed."""

import datetime as dt
import threading

import pytest

from core import services
from core.jobs import claim_each, job_lock
from core.models import Reminder
from core.tasks import purge_read_reminders
from tests.concurrency import run_in_threads
from tests.factories import ReminderFactory

DECEMBER_1 = dt.date(2026, 12, 1)


@pytest.mark.postgres
def test_calendar_warning_job_on_two_workers_raises_each_reminder_once(transactional_db, company_admin, monkeypatch):
    barrier = threading.Barrier(2, timeout=10)
    original = services.raise_reminder

    def held_at_insert(**kwargs):
        barrier.wait()  # both workers have decided to raise the reminder
        return original(**kwargs)

    monkeypatch.setattr(services, "raise_reminder", held_at_insert)
    results = run_in_threads(lambda: services.warn_uncovered_calendar_years(today=DECEMBER_1))
    assert sorted(len(r) for r in results) == [0, 1]
    assert Reminder.objects.filter(recipient=company_admin, kind="calendar_uncovered").count() == 1


def test_job_run_twice_raises_nothing_new(db, company_admin):
    assert len(services.warn_uncovered_calendar_years(today=DECEMBER_1)) == 1
    assert services.warn_uncovered_calendar_years(today=DECEMBER_1) == []
    assert Reminder.objects.count() == 1


@pytest.mark.postgres
def test_two_workers_deliver_a_reminder_once(transactional_db, butler1, monkeypatch, mailoutbox):
    reminder = ReminderFactory(recipient=butler1)
    barrier = threading.Barrier(2, timeout=10)
    original = services._claim_delivery

    def held_at_claim(reminder_id, now):
        barrier.wait()
        return original(reminder_id, now)

    monkeypatch.setattr(services, "_claim_delivery", held_at_claim)
    results = run_in_threads(lambda: services.deliver_reminder_once(reminder.pk))
    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1


@pytest.mark.postgres
def test_claim_each_hands_every_row_to_exactly_one_worker(transactional_db, butler1):
    rows = ReminderFactory.create_batch(6, recipient=butler1)
    handled = []
    first_row = threading.Barrier(2, timeout=10)
    local = threading.local()

    def handle(reminder):
        if not getattr(local, "waited", False):
            local.waited = True
            first_row.wait()  # each worker holds the lock on its first row while the other claims
        handled.append(reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(read_at=dt.datetime.now(dt.UTC))

    counts = run_in_threads(lambda: claim_each(Reminder.objects.filter(read_at__isnull=True), handle))
    assert sorted(handled) == sorted(r.pk for r in rows)  # nothing twice, nothing lost
    assert sum(counts) == 6 and min(counts) >= 1


def test_claim_each_skips_rows_that_no_longer_match(db, butler1):
    rows = ReminderFactory.create_batch(3, recipient=butler1)
    seen = []

    def handle(reminder):
        seen.append(reminder.pk)
        # Another worker finished the last row meanwhile.
        Reminder.objects.filter(pk=rows[-1].pk).update(read_at=dt.datetime.now(dt.UTC))

    assert claim_each(Reminder.objects.filter(read_at__isnull=True), handle) == 2
    assert seen == [rows[0].pk, rows[1].pk]


def test_job_lock_lets_one_run_at_a_time(db):
    with job_lock("demo") as first:
        with job_lock("demo") as second:
            assert first is True and second is False
        assert purge_read_reminders.run() == 0  # another job's lock is independent
    with job_lock("demo") as again:
        assert again is True


def test_purge_task_skips_while_another_run_holds_the_lock(db):
    with job_lock("core.purge_read_reminders"):
        assert purge_read_reminders.run() is None
