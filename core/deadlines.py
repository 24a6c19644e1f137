"""A deadline clock that can be paused and resumed.

SPEC §4: urgent matters are answered within 24 hours, ordinary ones within 48,
counted in wall-clock hours. While a matter waits on the reporter (an owner who
is away, a part the owner must buy) the clock stops; the time it stood still is
added to the deadline when it runs again. Complaints and work orders store the
pauses and keep their indexed `due_at` column equal to `PausableClock.due_at()`.
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pause:
    started_at: dt.datetime
    ended_at: dt.datetime | None = None


@dataclass(frozen=True)
class PausableClock:
    started_at: dt.datetime
    allowance: dt.timedelta
    pauses: tuple = field(default_factory=tuple)

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

    def elapsed(self, now):
        """Running time used up to `now`."""
        if now <= self.started_at:
            return dt.timedelta()
        return now - self.started_at - self.paused_for(now)

    def remaining(self, now):
        """Running time left (negative once overdue)."""
        return self.allowance - self.elapsed(now)

    def due_at(self):
        """The moment the allowance runs out, or None while the clock is paused."""
        if self.is_paused:
            return None
        paused = sum(((end - start) for start, end in self._clipped_pauses()), dt.timedelta())
        return self.started_at + self.allowance + paused

    def is_overdue(self, now):
        return self.remaining(now) < dt.timedelta()
