"""Working-day arithmetic with literal 2025–2026 dates (issue 3 §7)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import CalendarDay, CalendarYear
from core.workdays import (
    WorkingCalendar,
    add_working_days,
    date_deadline,
    is_working_day,
    uncovered_years,
    working_day_on_or_after,
)

pytestmark = pytest.mark.django_db

D = dt.date


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 9, 20), True),  # Sunday, make-up workday for National Day
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, make-up workday
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 2, 16), False),  # Spring Festival eve week
        (D(2026, 1, 1), False),
        (D(2025, 10, 11), True),  # 2025 make-up Saturday
        (D(2025, 10, 8), False),  # 2025 National Day + Mid-Autumn
        (D(2025, 12, 31), True),
    ],
)
def test_official_calendar(day, working):
    assert is_working_day(day) is working


def test_two_working_days_after_submission_lands_on_make_up_saturday():
    due = add_working_days(local(2026, 10, 8, 16, 30), 2)
    assert due == local(2026, 10, 10, 23, 59, 59)


def test_working_days_skip_the_national_day_week():
    # Submitted on 30 September: 1 October–7 October are holidays.
    assert add_working_days(local(2026, 9, 30, 10), 1) == local(2026, 10, 8, 23, 59, 59)
    assert add_working_days(local(2026, 9, 30, 10), 2) == local(2026, 10, 9, 23, 59, 59)


def test_starting_day_never_counts_even_on_a_holiday():
    # Submitted on a holiday: the first working day after it is day 1.
    assert add_working_days(local(2026, 10, 3, 9), 1) == local(2026, 10, 8, 23, 59, 59)


def test_local_date_not_utc_date():
    # 2026-10-09 01:00 in Shanghai is still 2026-10-08 in UTC; counting starts from the 9th.
    moment = dt.datetime(2026, 10, 8, 17, 0, tzinfo=dt.UTC)
    assert add_working_days(moment, 1) == local(2026, 10, 10, 23, 59, 59)


def test_date_deadline_moves_to_next_working_day():
    # "By the 5th": 2026-10-05 is inside the National Day week.
    assert working_day_on_or_after(D(2026, 10, 5)) == D(2026, 10, 8)
    assert date_deadline(D(2026, 10, 5)) == local(2026, 10, 8, 23, 59, 59)
    # A working 5th stays put.
    assert date_deadline(D(2026, 11, 5)) == local(2026, 11, 5, 23, 59, 59)


def test_admin_override_wins_over_package():
    CalendarDay.objects.create(date=D(2026, 11, 5), is_working_day=False, note="台风停工")
    assert not is_working_day(D(2026, 11, 5))
    assert working_day_on_or_after(D(2026, 11, 5)) == D(2026, 11, 6)


def test_2027_falls_back_to_weekdays_without_crashing():
    assert is_working_day(D(2027, 1, 4))  # Monday
    assert not is_working_day(D(2027, 1, 2))  # Saturday
    # 2027-01-01 is a Friday: without the arrangement it counts as working.
    assert is_working_day(D(2027, 1, 1))
    assert add_working_days(local(2026, 12, 31, 9), 1) == local(2027, 1, 1, 23, 59, 59)


def test_2027_admin_table_corrects_the_fallback():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, note="元旦")
    assert add_working_days(local(2026, 12, 31, 9), 1) == local(2027, 1, 4, 23, 59, 59)


def test_uncovered_years_from_december():
    assert uncovered_years(D(2026, 11, 30)) == []
    assert uncovered_years(D(2026, 12, 1)) == [2027]
    assert uncovered_years(D(2027, 3, 1)) == [2027]
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕")
    assert uncovered_years(D(2026, 12, 1)) == []


def test_one_query_per_year_for_a_long_span(django_assert_max_num_queries):
    calendar = WorkingCalendar()
    with django_assert_max_num_queries(2):
        calendar.add_working_days(local(2026, 12, 1), 40)


def test_working_days_between():
    assert WorkingCalendar().working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
