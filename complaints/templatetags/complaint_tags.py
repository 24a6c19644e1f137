import datetime as dt

from django import template

register = template.Library()


@register.filter
def span_text(value):
    """A timedelta as 「2天3小时」/「5小时12分」/「40分」 (its absolute size)."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = int(abs(value).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分"


STATE_CLASS = {
    "overdue": "text-bg-danger",
    "warning": "text-bg-warning",
    "ok": "text-bg-success",
    "paused": "text-bg-secondary",
    "late": "text-bg-light border text-danger",
    "stopped": "text-bg-light border",
}


@register.filter
def clock_class(state):
    return STATE_CLASS.get(state, "text-bg-light")
