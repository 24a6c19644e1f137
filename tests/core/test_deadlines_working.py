"""Working-day mode of the paused clock: non-working days skipped whole, every
hour of a working day counted (issue 8 §4), on the official calendar."""

import datetime as dt

import pytest

from core.deadlines import PausableClock, Pause
from core.workdays import WorkingCalendar
from tests.builders import at

H = dt.timedelta(hours=1)
pytestmark = pytest.mark.django_db


def clock(start, hours, pauses=()):
    return PausableClock(start, hours * H, tuple(pauses), WorkingCalendar())


def test_friday_afternoon_runs_over_the_weekend_to_monday():
    assert clock(at(2026, 11, 6, 15), 24).due_at() == at(2026, 11, 9, 15)


def test_received_on_a_holiday_starts_on_the_next_working_day():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(dt.date(2026, 10, 3))  # National Day week
    first = next(d for d in range(4, 20) if calendar.is_working_day(dt.date(2026, 10, d)))
    assert clock(at(2026, 10, 3, 11), 10).due_at() == at(2026, 10, first, 10)


def test_spring_festival_2026_with_a_pause():
    # Feb 13 (Fri) and Feb 14 (Sat, make-up day) are working days; Feb 15–23 are off; Feb 24 is working.
    start = at(2026, 2, 13, 15)
    plain = clock(start, 24)
    assert plain.due_at() == at(2026, 2, 14, 15)
    paused = clock(start, 24, [Pause(at(2026, 2, 13, 17), at(2026, 2, 14, 11))])
    # runs 2 h on Friday, 13 h on Saturday from 11:00, then the holiday, then 9 h on Feb 24
    assert paused.due_at() == at(2026, 2, 24, 9)
    assert paused.elapsed(at(2026, 2, 20, 12)) == 15 * H
    assert paused.remaining(at(2026, 2, 20, 12)) == 9 * H


def test_warning_point_and_calendar_mode_unchanged():
    start = at(2026, 11, 6, 15)
    assert clock(start, 24).moment_at(0.75) == at(2026, 11, 9, 9)
    assert PausableClock(start, 24 * H).due_at() == at(2026, 11, 7, 15)
