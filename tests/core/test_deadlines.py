"""Deadline clocks that pause while a matter waits on the reporter (issue 3 §7)."""

import datetime as dt

from core.deadlines import PausableClock, Pause

H = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)


def test_unpaused_clock_runs_24_hours():
    clock = PausableClock(T0, 24 * H)
    assert clock.due_at() == T0 + 24 * H
    assert clock.remaining(T0 + 10 * H) == 14 * H
    assert not clock.is_overdue(T0 + 24 * H)
    assert clock.is_overdue(T0 + 24 * H + dt.timedelta(seconds=1))


def test_closed_pause_pushes_deadline_back():
    clock = PausableClock(T0, 48 * H, (Pause(T0 + 2 * H, T0 + 7 * H),))
    assert clock.due_at() == T0 + 53 * H
    assert clock.elapsed(T0 + 10 * H) == 5 * H


def test_open_pause_freezes_remaining_time_and_has_no_due_moment():
    clock = PausableClock(T0, 24 * H, (Pause(T0 + 4 * H),))
    assert clock.is_paused
    assert clock.due_at() is None
    assert clock.remaining(T0 + 4 * H) == 20 * H
    assert clock.remaining(T0 + 100 * H) == 20 * H
    assert not clock.is_overdue(T0 + 100 * H)


def test_resumed_after_open_pause():
    clock = PausableClock(T0, 24 * H, (Pause(T0 + 4 * H, T0 + 30 * H),))
    assert clock.due_at() == T0 + 50 * H
    assert clock.remaining(T0 + 31 * H) == 19 * H


def test_overlapping_and_early_pauses_count_once():
    pauses = (
        Pause(T0 - 5 * H, T0 + 1 * H),  # began before the clock: only 1 h counts
        Pause(T0 + 2 * H, T0 + 6 * H),
        Pause(T0 + 4 * H, T0 + 8 * H),  # overlaps the previous: 2..8 = 6 h
    )
    clock = PausableClock(T0, 24 * H, pauses)
    assert clock.paused_for(T0 + 20 * H) == 7 * H
    assert clock.due_at() == T0 + 31 * H


def test_pause_after_now_is_ignored():
    clock = PausableClock(T0, 24 * H, (Pause(T0 + 10 * H, T0 + 12 * H),))
    assert clock.elapsed(T0 + 5 * H) == 5 * H
