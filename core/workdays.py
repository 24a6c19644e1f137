"""Working days in mainland China (SPEC §7: holidays and make-up workdays follow
the official calendar).

Order of authority for a date: an admin's CalendarDay row, then the
`chinesecalendar` package (public holidays and 调休), then — for a year neither
knows — Monday to Friday. Dates are local dates (Asia/Shanghai), never UTC dates.
"""

import datetime as dt
from functools import cache

import chinese_calendar
from django.utils import timezone

END_OF_DAY = dt.time(23, 59, 59)


@cache
def _package_years():
    # The package raises for a year it does not carry; ask it which years it has instead.
    return frozenset(day.year for day in chinese_calendar.holidays)


def package_knows_year(year):
    """True when the installed chinesecalendar release carries `year`'s arrangement."""
    return year in _package_years()


def local_date(value):
    """The Asia/Shanghai date of an aware datetime (a date passes through)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def end_of_day(day):
    """23:59:59 local time on `day`, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, END_OF_DAY))


class WorkingCalendar:
    """Answers working-day questions, loading admin overrides once per year.

    One instance per computation keeps a loop over many dates at one query per year.
    """

    def __init__(self):
        self._overrides = {}

    def _overrides_for(self, year):
        if year not in self._overrides:
            from core.models import CalendarDay

            rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def year_is_covered(self, year):
        """Whether `year`'s official arrangement is known (package or admin-entered)."""
        from core.models import CalendarYear

        return package_knows_year(year) or CalendarYear.objects.filter(year=year).exists()

    def is_working_day(self, day):
        day = local_date(day)
        override = self._overrides_for(day.year).get(day)
        if override is not None:
            return override
        if package_knows_year(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def working_day_on_or_after(self, day):
        """A date deadline on a non-working day moves to the next working day
        (SPEC §2.4: "submit by the 5th" inside the National Day week)."""
        day = local_date(day)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, moment, n):
        """23:59:59 local time on the n-th working day after `moment`'s local date.

        The starting day never counts, working or not (SPEC §2.4: the manager
        approves within 2 working days of submission).
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = local_date(moment)
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return end_of_day(day)

    def working_days_between(self, start, end):
        """Working days in the half-open local-date interval (start, end]."""
        day, last = local_date(start), local_date(end)
        count = 0
        while day < last:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day):
    return WorkingCalendar().is_working_day(day)


def add_working_days(moment, n):
    return WorkingCalendar().add_working_days(moment, n)


def working_day_on_or_after(day):
    return WorkingCalendar().working_day_on_or_after(day)


def date_deadline(day):
    """End of the working day on or after `day`: the moment a "by the Nth" rule expires."""
    return end_of_day(working_day_on_or_after(day))


def year_is_covered(year):
    return WorkingCalendar().year_is_covered(year)


def uncovered_years(today=None):
    """Years that should be known by now but are not: this year always, next
    year from 1 December (when the State Council has usually published it)."""
    today = today or timezone.localdate()
    years = [today.year]
    if today.month == 12:
        years.append(today.year + 1)
    calendar = WorkingCalendar()
    return [year for year in years if not calendar.year_is_covered(year)]
