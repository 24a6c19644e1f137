"""Visit time windows (SPEC §2.2 [000][002]), judged on the visit's start time in
Asia/Shanghai — not on when the record is typed in."""

import datetime as dt

from django.utils import timezone

from visits.choices import IN_PERSON_CHANNELS, Channel


def _time(value):
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def window_warning(policy, channel, started_at):
    """A Chinese warning when `started_at` is outside the channel's window, else None.

    Phone: allowed weekdays (default Tuesday–Sunday) within [09:00, 12:00),
    [14:00, 17:30), [19:00, 21:00). In person: [08:00, 22:00). Other channels
    (written, survey) have no window.
    """
    local = timezone.localtime(started_at)
    moment = local.time()
    if channel == Channel.PHONE:
        if local.isoweekday() not in policy.phone_weekdays:
            names = "一二三四五六日"
            return f"电话拜访不安排在周{names[local.isoweekday() - 1]}。"
        for start, end in policy.phone_windows:
            if _time(start) <= moment < _time(end):
                return None
        spans = "、".join(f"{start}–{end}" for start, end in policy.phone_windows)
        return f"电话拜访时间应在 {spans} 之内（当前 {local:%H:%M}）。"
    if channel in IN_PERSON_CHANNELS and not (policy.door_start <= moment < policy.door_end):
        return f"上门/面访时间应在 {policy.door_start:%H:%M}–{policy.door_end:%H:%M} 之内（当前 {local:%H:%M}）。"
    return None


def plan_date_warning(policy, channel, day):
    """At planning time only the date is known: a phone visit planned on a day
    without phone visits (Mondays by default) needs a reason."""
    if channel == Channel.PHONE and day is not None and day.isoweekday() not in policy.phone_weekdays:
        names = "一二三四五六日"
        return f"电话拜访不安排在周{names[day.isoweekday() - 1]}。"
    return None
