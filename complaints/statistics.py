"""Complaint statistics (SPEC §4 targets, §8 dashboard; [001] weekly statistics).

Every figure is an aggregate over one base queryset: the matters received in the
period, voided ones left out.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from complaints.choices import HANDLED_STATUSES, RETURN_VISIT_KINDS, Category, Channel, Kind, Status, Validity
from complaints.models import Complaint, ComplaintSettings
from residents.models import House
from visits.choices import Satisfaction


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def week_of(day):
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def percent(part, whole, places="0.1"):
    """part ÷ whole as a percentage (Decimal, half-up), None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def base(community, start, end):
    """Matters received in [start, end) (local dates), voided ones excluded."""
    return Complaint.objects.filter(
        community=community, received_at__gte=_aware(start), received_at__lt=_aware(end)
    ).exclude(status=Status.VOID)


def _counts(qs, field, choices):
    rows = dict(qs.values_list(field).annotate(n=Count("pk")).order_by())
    return [{"key": key, "label": label, "count": rows.get(key, 0)} for key, label in choices]


def period_figures(community, start, end):
    qs = base(community, start, end)
    totals = qs.aggregate(
        total=Count("pk"),
        complaints=Count("pk", filter=Q(kind=Kind.COMPLAINT)),
        urgent=Count("pk", filter=Q(urgency="urgent")),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_late=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        resolved_on_time=Count("pk", filter=Q(resolved_at__isnull=False, resolved_late=False)),
        handled=Count("pk", filter=Q(status__in=HANDLED_STATUSES)),
        owed_visit=Count(
            "pk",
            filter=Q(status__in=HANDLED_STATUSES) & (Q(kind__in=RETURN_VISIT_KINDS) | Q(is_household_incident=True)),
        ),
        visited=Count(
            "pk",
            filter=Q(status__in=(Status.VISITED, Status.CLOSED), return_visited_at__isnull=False)
            & (Q(kind__in=RETURN_VISIT_KINDS) | Q(is_household_incident=True)),
        ),
        valid=Count("pk", filter=Q(validity=Validity.VALID)),
        invalid=Count("pk", filter=Q(validity=Validity.INVALID)),
        major=Count("pk", filter=Q(is_major=True)),
        municipal=Count("pk", filter=Q(is_municipal=True)),
        reopened=Count("pk", filter=Q(round__gt=1)),
    )
    satisfaction = _counts(qs.exclude(satisfaction=""), "satisfaction", Satisfaction.choices)
    rated = sum(row["count"] for row in satisfaction)
    satisfied = sum(row["count"] for row in satisfaction if row["key"] != Satisfaction.DISSATISFIED)
    return {
        "start": start,
        "end": end - dt.timedelta(days=1),
        **totals,
        "answer_on_time_rate": percent(totals["answered_on_time"], totals["answered"]),
        "resolution_on_time_rate": percent(totals["resolved_on_time"], totals["resolved"]),
        "handled_rate": percent(totals["handled"], totals["total"]),
        "return_visit_rate": percent(totals["visited"], totals["owed_visit"]),
        "by_category": _counts(qs, "category", Category.choices),
        "by_channel": _counts(qs, "channel", Channel.choices),
        "by_kind": _counts(qs, "kind", Kind.choices),
        "by_status": _counts(qs, "status", [c for c in Status.choices if c[0] != Status.VOID]),
        "satisfaction": satisfaction,
        "rated": rated,
        "satisfaction_rate": percent(satisfied, rated),
    }


def valid_rate(community, year):
    """有效投诉率: valid complaints received in `year` ÷ the community's households,
    against the configured target (default 1 % [004])."""
    valid = (
        base(community, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
        .filter(kind=Kind.COMPLAINT, validity=Validity.VALID)
        .count()
    )
    households = House.objects.filter(community=community).count()
    target = ComplaintSettings.current(community).valid_rate_target
    rate = percent(valid, households, "0.01")
    return {
        "year": year,
        "valid": valid,
        "households": households,
        "rate": rate,
        "target": target,
        "within_target": rate is not None and rate <= target,
    }


def weekly_trend(community, last_monday, weeks=8):
    """Received and on-time answered per week, oldest first (one query per week is
    avoided: one grouped query over the whole span)."""
    from django.db.models.functions import TruncWeek

    start = last_monday - dt.timedelta(days=7 * (weeks - 1))
    rows = {
        timezone.localtime(row["week"]).date() if isinstance(row["week"], dt.datetime) else row["week"]: row
        for row in base(community, start, last_monday + dt.timedelta(days=7))
        .annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_late=False)))
        .order_by()
    }
    trend = []
    for i in range(weeks):
        monday = start + dt.timedelta(days=7 * i)
        row = rows.get(monday, {"total": 0, "on_time": 0})
        trend.append({"week": monday, "total": row["total"], "on_time": row["on_time"]})
    return trend
