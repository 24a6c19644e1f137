"""A deadline clock that can be paused and resumed.

SPEC §4: urgent matters are answered within 24 hours, ordinary ones within 48,
counted in wall-clock hours. While a matter waits on the reporter (an owner who
is away, a part the owner must buy) the clock stops; the time it stood still is
added to the deadline when it runs again. Complaints and work orders store the
pauses and keep their indexed `due_at` column equal to `PausableClock.due_at()`.

A community may count working days instead (`calendar=` a `core.workdays.WorkingCalendar`):
non-working days are skipped whole and every hour of a working day counts, so a
24-hour allowance received at 15:00 on the Friday before a weekend runs out at
15:00 on Monday.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from core.workdays import local_date

# A clock never looks further than this for the moment its allowance runs out
# (the longest official holiday is 8 days; a year is generous).
MAX_DAYS = 366


@dataclass(frozen=True)
class Pause:
    started_at: dt.datetime
    ended_at: dt.datetime | None = None


@dataclass(frozen=True)
class PausableClock:
    started_at: dt.datetime
    allowance: dt.timedelta
    pauses: tuple = field(default_factory=tuple)
    calendar: object = None  # a WorkingCalendar: count working days only

    def _clipped_pauses(self, now=None):
        """Pauses as (start, end) within [started_at, now], merged where they overlap.

        An open pause ends at `now` (or stays open when `now` is None).
        """
        spans = []
        for pause in sorted(self.pauses, key=lambda p: p.started_at):
            start = max(pause.started_at, self.started_at)
            end = pause.ended_at if pause.ended_at is not None else now
            if now is not None and start >= now:
                continue
            if end is not None and now is not None:
                end = min(end, now)
            if end is not None and end <= start:
                continue
            if spans and (spans[-1][1] is None or start <= spans[-1][1]):
                last_start, last_end = spans[-1]
                spans[-1] = (last_start, None if end is None or last_end is None else max(last_end, end))
            else:
                spans.append((start, end))
        return spans

    @property
    def is_paused(self):
        return any(p.ended_at is None for p in self.pauses)

    def paused_for(self, now):
        """Total time the clock stood still up to `now`."""
        return sum(((end - start) for start, end in self._clipped_pauses(now)), dt.timedelta())

    def _running_spans(self, now=None):
        """(start, end) spans in which the clock ran, up to `now` (end None: still running)."""
        spans, cursor = [], self.started_at
        for start, end in self._clipped_pauses(now):
            if start > cursor:
                spans.append((cursor, start))
            if end is None:
                return spans
            cursor = max(cursor, end)
        if now is None or now > cursor:
            spans.append((cursor, now))
        return spans

    def _days(self, start, end):
        """(start, end, counts) pieces of [start, end) cut at local midnights; `end`
        None runs on for MAX_DAYS days."""
        day, cursor = local_date(start), start
        for _ in range(MAX_DAYS):
            midnight = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
            piece_end = midnight if end is None else min(midnight, end)
            yield cursor, piece_end, self.calendar.is_working_day(day)
            if end is not None and piece_end >= end:
                return
            cursor, day = piece_end, day + dt.timedelta(days=1)

    def _counted(self, start, end):
        if self.calendar is None:
            return end - start
        return sum((b - a for a, b, counts in self._days(start, end) if counts), dt.timedelta())

    def elapsed(self, now):
        """Running time used up to `now`."""
        if now <= self.started_at:
            return dt.timedelta()
        return sum((self._counted(a, b) for a, b in self._running_spans(now)), dt.timedelta())

    def remaining(self, now):
        """Running time left (negative once overdue)."""
        return self.allowance - self.elapsed(now)

    def moment_at(self, fraction=1):
        """The moment `fraction` of the allowance is used up (1: the deadline; 0.75:
        the warning point), or None while the clock is paused."""
        if self.is_paused:
            return None
        left = self.allowance * fraction
        for start, end in self._running_spans():
            if self.calendar is None:
                if end is None or left <= end - start:
                    return start + left
                left -= end - start
                continue
            for a, b, counts in self._days(start, end):
                if counts:
                    if left <= b - a:
                        return a + left
                    left -= b - a
        return None

    def due_at(self):
        """The moment the allowance runs out, or None while the clock is paused."""
        return self.moment_at(1)

    def is_overdue(self, now):
        return self.remaining(now) < dt.timedelta()
