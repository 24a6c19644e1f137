"""Repair statistics by reporting month (issue 9 §14, SPEC §8).

Every figure is an aggregate over one base queryset: the orders of a
`report_month` (orders received in a month's last two days count in the next
[001 L482]), voided ones left out. On time is judged when each clock stopped,
pauses excluded (the `*_late` flags `repairs.services` sets).
"""

from django.db.models import Count, Q, Sum

from complaints.statistics import percent
from repairs.choices import WORKING_STATUSES, Rating, Source, Status, Urgency
from repairs.models import Charge, WorkOrder

VISITED = (Status.VISITED, Status.CLOSED)


def base(community, month):
    return WorkOrder.objects.filter(community=community, report_month=month).exclude(status=Status.VOID)


def _rates():
    """Aggregates of one group: counts and the three on-time rates' parts."""
    return {
        "total": Count("pk"),
        "dispatched": Count("pk", filter=Q(dispatched_late__isnull=False)),
        "dispatched_on_time": Count("pk", filter=Q(dispatched_late=False)),
        "arrived": Count("pk", filter=Q(arrived_late__isnull=False)),
        "arrived_on_time": Count("pk", filter=Q(arrived_late=False)),
        "completed": Count("pk", filter=Q(completed_late__isnull=False)),
        "completed_on_time": Count("pk", filter=Q(completed_late=False)),
        "repeats": Count("pk", filter=Q(is_repeat=True)),
    }


def _with_percent(row):
    row["dispatch_rate"] = percent(row["dispatched_on_time"], row["dispatched"])
    row["arrival_rate"] = percent(row["arrived_on_time"], row["arrived"])
    row["completion_rate"] = percent(row["completed_on_time"], row["completed"])
    return row


DIMENSIONS = {
    "category": ("category__name", "类别"),
    "building": ("house__building__number", "楼栋"),
    "technician": ("technician__name", "维修人"),
    "source": ("source", "来源"),
}


def by(qs, dimension):
    field, _ = DIMENSIONS[dimension]
    labels = dict(Source.choices) if dimension == "source" else {}
    rows = qs.values(field).annotate(**_rates()).order_by("-total")
    out = []
    for row in rows:
        key = row.pop(field)
        label = labels.get(key, key) if key else ("公共区域" if dimension == "building" else "—")
        out.append(_with_percent({"key": key, "label": label, **row}))
    return out


def month_figures(community, month):
    qs = base(community, month)
    totals = _with_percent(qs.aggregate(**_rates()))
    house_done = qs.filter(house__isnull=False, done_at__isnull=False)
    visits = house_done.aggregate(owed=Count("pk"), visited=Count("pk", filter=Q(return_visited_at__isnull=False)))
    ratings = dict(qs.exclude(rating="").values_list("rating").annotate(n=Count("pk")).order_by())
    rated = sum(ratings.values())
    satisfied = ratings.get(Rating.VERY_SATISFIED, 0) + ratings.get(Rating.SATISFIED, 0)
    aspects = _aspects(qs)
    charges = Charge.objects.filter(community=community, report_month=month).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    return {
        "totals": totals,
        "by_status": _choice_counts(qs, "status", Status.choices),
        "by_urgency": _choice_counts(qs, "urgency", Urgency.choices),
        "by_category": by(qs, "category"),
        "by_building": by(qs, "building"),
        "by_technician": by(qs, "technician"),
        "by_source": by(qs, "source"),
        "ratings": [{"key": k, "label": label, "count": ratings.get(k, 0)} for k, label in Rating.choices],
        "satisfaction_rate": percent(satisfied, rated),
        "return_visit": {**visits, "rate": percent(visits["visited"], visits["owed"])},
        "repeat_rate": percent(totals["repeats"], totals["total"]),
        "aspects": aspects,
        "charges": {"count": charges["n"], "total": charges["total"] or 0},
    }


def _aspects(qs):
    """The return visits' view of attitude, quality and manners [003 L508]: how
    many rated each, and how many of them satisfied (满意 or 基本满意)."""
    from visits.services import REPAIR_ASPECTS

    good = ("satisfied", "fairly")
    sums = {}
    for key in REPAIR_ASPECTS:
        sums[f"{key}_rated"] = Count("pk", filter=Q(**{f"return_ratings__{key}__isnull": False}))
        sums[f"{key}_good"] = Count("pk", filter=Q(**{f"return_ratings__{key}__in": good}))
    row = qs.aggregate(**sums)
    return [
        {"label": label, "rated": row[f"{key}_rated"], "rate": percent(row[f"{key}_good"], row[f"{key}_rated"])}
        for key, label in REPAIR_ASPECTS.items()
    ]


def _choice_counts(qs, field, choices):
    rows = dict(qs.values_list(field).annotate(n=Count("pk")).order_by())
    return [{"key": k, "label": label, "count": rows.get(k, 0)} for k, label in choices]


def headline(community, month, now):
    """The manager dashboard's figures: the month's on-time rates and return-visit
    rate, and the orders open, undispatched and overdue now (two queries)."""
    totals = _with_percent(base(community, month).aggregate(**_rates()))
    house_done = base(community, month).filter(house__isnull=False, done_at__isnull=False)
    visits = house_done.aggregate(owed=Count("pk"), visited=Count("pk", filter=Q(return_visited_at__isnull=False)))
    overdue = Q(dispatch_due_at__lt=now) | Q(arrival_due_at__lt=now) | Q(completion_due_at__lt=now)
    working = WorkOrder.objects.filter(community=community, status__in=WORKING_STATUSES)
    now_counts = working.aggregate(
        open=Count("pk"),
        undispatched=Count("pk", filter=Q(status=Status.RECEIVED)),
        overdue=Count("pk", filter=overdue),
    )
    return {**totals, **now_counts, "visit_rate": percent(visits["visited"], visits["owed"]), "month": month}
