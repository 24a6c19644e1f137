from django import template

register = template.Library()


@register.filter
def minutes(value):
    """A timedelta as whole minutes (for "请 15 分钟后再试")."""
    if value is None:
        return ""
    return int(value.total_seconds() // 60)
