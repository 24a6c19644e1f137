"""Playing demo stories in time order, as the past would have happened (the
complaints and repairs demos).

A story is a generator: it yields the moment of its next step, and when resumed it
takes that step through the services. `play` merges all stories by moment and runs
the app's escalation job between the steps as the beat would have run it
(`Beat`: `escalate_due(now=…)` at each tick at which a rung has come), so every
rung of every ladder is reached at its own time. While a step runs,
`django.utils.timezone.now` is held at its moment: intake refuses times more than
a month back, and not every service takes a `now=`, so the timeline, history rows,
reminders and escalation steps all carry the moment at which they happened. A
step that would fall after `now` ends its story there: the matter is still open
today.
"""

import datetime as dt
import heapq
import math
from contextlib import contextmanager
from unittest import mock

from django.db.models import Min
from django.utils import timezone


@contextmanager
def held_at(moment):
    """Services run as if it were `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class Beat:
    """An escalation job as the beat runs it every `seconds`: at each tick by
    `until` at which some record's next rung has come (one indexed query a step)."""

    def __init__(self, model, job, seconds):
        self.model, self.job, self.seconds = model, job, seconds

    def run(self, *, until):
        last = None
        while True:
            due = self.model.objects.filter(next_escalation_at__lte=until).aggregate(first=Min("next_escalation_at"))
            if due["first"] is None:
                return
            tick = dt.datetime.fromtimestamp(
                math.ceil(due["first"].timestamp() / self.seconds) * self.seconds, tz=dt.UTC
            )
            if tick > until or (last is not None and tick <= last):
                return
            with held_at(tick):
                self.job(now=tick)
            last = tick


def play(stories, now, beat):
    """Run every step of `stories` in time order, up to `now`, `beat` beside them."""
    queue = []
    for order, story in enumerate(stories):
        first = next(story, None)  # the first yield only names the moment
        if first is not None and first <= now:
            queue.append((first, order, story))
    heapq.heapify(queue)
    while queue:
        moment, order, story = heapq.heappop(queue)
        beat.run(until=moment)
        with held_at(moment):
            following = next(story, None)
        if following is None:
            continue
        if following > now:
            story.close()
            continue
        heapq.heappush(queue, (max(following, moment), order, story))
    beat.run(until=now)
    with held_at(now):  # and it has just run
        beat.job(now=now)


def local(day, hour, minute=0):
    """`day` at hour:minute in Asia/Shanghai, aware (minutes may run past 59)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour, minutes=minute))


def office_hours(moment, rng):
    """Staff act between 08:00 and 21:00: a later moment moves to the next morning."""
    hour = timezone.localtime(moment).hour
    if 8 <= hour < 21:
        return moment
    day = timezone.localdate(moment) + dt.timedelta(days=1 if hour >= 21 else 0)
    return local(day, 8, rng.randint(15, 75))
