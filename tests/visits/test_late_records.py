"""A visit record is due by the end of the day after the visit, in Asia/Shanghai;
later ones are late, and the supervisor hears of yesterday's late records once a
day (SPEC §2.2 [002], §7)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.visits.conftest import at, inbox
from visits import services
from visits.choices import Channel, VisitType
from visits.models import Visit, VisitPolicy


def _log(house, actor, started_at, *, now=None):
    # A written record has no time window, so any hour can be used.
    return services.log_visit(
        house=house, actor=actor, started_at=started_at, channel=Channel.WRITTEN, visit_type=VisitType.ROUTINE, now=now
    )


def test_a_visit_late_in_the_evening_is_due_at_the_end_of_the_next_local_day(house, butler1):
    visit = _log(house, butler1, at(2026, 11, 23, 23, 30), now=at(2026, 11, 23, 23, 45))
    assert visit.due_at == at(2026, 11, 24, 23, 59, 59)
    assert visit.due_at == dt.datetime(2026, 11, 24, 15, 59, 59, tzinfo=dt.UTC)
    assert visit.is_late is False


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (at(2026, 11, 24, 23, 59), False),
        (at(2026, 11, 25, 0, 1), True),
        # 16:01 UTC on the 24th is already 00:01 on the 25th in Shanghai: late,
        # although the UTC date is still the 24th.
        (dt.datetime(2026, 11, 24, 16, 1, tzinfo=dt.UTC), True),
        (dt.datetime(2026, 11, 24, 15, 59, tzinfo=dt.UTC), False),
    ],
)
def test_late_across_midnight_in_shanghai(house, butler1, now, late):
    visit = _log(house, butler1, at(2026, 11, 23, 23, 30), now=now)
    assert visit.is_late is late
    assert Visit.objects.get(pk=visit.pk).is_late is late


def test_a_visit_after_local_midnight_counts_from_the_local_date(house, butler1):
    # 00:30 on the 24th in Shanghai is 16:30 UTC on the 23rd. By UTC dates the record
    # would be due at the end of the 24th and late by 20:00 on the 25th; it is not.
    started = at(2026, 11, 24, 0, 30)
    assert started.astimezone(dt.UTC).date() == dt.date(2026, 11, 23)
    visit = _log(house, butler1, started, now=at(2026, 11, 25, 20, 0))
    assert visit.due_at == at(2026, 11, 25, 23, 59, 59)
    assert visit.is_late is False


def test_the_due_day_is_configurable(house, butler1, manager, community):
    services.update_policy(VisitPolicy.for_community(community), actor=manager, record_due_days=2)
    visit = _log(house, butler1, at(2026, 11, 23, 23, 30), now=at(2026, 11, 25, 0, 1))
    assert (visit.due_at, visit.is_late) == (at(2026, 11, 25, 23, 59, 59), False)


def test_supervisor_hears_of_yesterdays_late_records_once(zone1, butler1, butler2, supervisor, manager):
    # submitted_at is the real time of submission, so the day is today's.
    now = timezone.now()
    _log(zone1[0], butler1, now - dt.timedelta(days=3))
    _log(zone1[1], butler1, now - dt.timedelta(days=4))
    _log(zone1[2], butler1, now - dt.timedelta(minutes=30))  # in time
    tomorrow = now + dt.timedelta(days=1)
    today = timezone.localdate(now)

    services.flag_late_visits(now=tomorrow)
    services.flag_late_visits(now=tomorrow)

    assert inbox(supervisor, "visits.late_records") == [
        f"{today:%m-%d} 有 2 条访问记录逾期提交（应在访问次日内提交）。"
    ]
    assert inbox(manager, "visits.late_records") == []
    # the day after, the same records are not news again
    services.flag_late_visits(now=now + dt.timedelta(days=2))
    assert len(inbox(supervisor, "visits.late_records")) == 1


def test_no_late_records_no_reminder(house, butler1, supervisor):
    _log(house, butler1, timezone.now() - dt.timedelta(hours=1))
    services.flag_late_visits(now=timezone.now() + dt.timedelta(days=1))
    assert inbox(supervisor, "visits.late_records") == []


def test_a_record_submitted_after_its_due_time_is_flagged_by_the_daily_job(house, butler1):
    visit = _log(house, butler1, timezone.now() - dt.timedelta(days=3))
    Visit.objects.filter(pk=visit.pk).update(is_late=False)  # saved by a path that did not judge it

    assert services.flag_late_visits() == 1
    assert services.flag_late_visits() == 0
    visit.refresh_from_db()
    assert visit.is_late is True
    assert visit.history.latest().is_late is True
