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


def _month_sums():
    """Every whole-month figure as one aggregate (one scan of the month's orders):
    the on-time parts, return visits owed and made, ratings, the three aspects,
    and counts per status and urgency."""
    from visits.services import REPAIR_ASPECTS

    sums = _rates()
    done_house = Q(house__isnull=False, done_at__isnull=False)
    sums["owed"] = Count("pk", filter=done_house)
    sums["visited"] = Count("pk", filter=done_house & Q(return_visited_at__isnull=False))
    for key, _ in Rating.choices:
        sums[f"rating_{key}"] = Count("pk", filter=Q(rating=key))
    for key in REPAIR_ASPECTS:
        sums[f"{key}_rated"] = Count("pk", filter=Q(**{f"return_ratings__{key}__isnull": False}))
        sums[f"{key}_good"] = Count("pk", filter=Q(**{f"return_ratings__{key}__in": ("satisfied", "fairly")}))
    for key, _ in Status.choices:
        sums[f"status_{key}"] = Count("pk", filter=Q(status=key))
    for key, _ in Urgency.choices:
        sums[f"urgency_{key}"] = Count("pk", filter=Q(urgency=key))
    return sums


def month_figures(community, month):
    """The month's statistics page: one aggregate for the whole month, one per
    breakdown (category, building, technician, source), one for the charges."""
    from visits.services import REPAIR_ASPECTS

    qs = base(community, month)
    row = qs.aggregate(**_month_sums())
    totals = _with_percent({key: row[key] for key in _rates()})
    ratings = {key: row[f"rating_{key}"] for key, _ in Rating.choices}
    rated = sum(ratings.values())
    satisfied = ratings[Rating.VERY_SATISFIED] + ratings[Rating.SATISFIED]
    charges = Charge.objects.filter(community=community, report_month=month).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    return {
        "totals": totals,
        "by_status": [{"key": k, "label": label, "count": row[f"status_{k}"]} for k, label in Status.choices],
        "by_urgency": [{"key": k, "label": label, "count": row[f"urgency_{k}"]} for k, label in Urgency.choices],
        "by_category": by(qs, "category"),
        "by_building": by(qs, "building"),
        "by_technician": by(qs, "technician"),
        "by_source": by(qs, "source"),
        "ratings": [{"key": k, "label": label, "count": ratings[k]} for k, label in Rating.choices],
        "satisfaction_rate": percent(satisfied, rated),
        "return_visit": {
            "owed": row["owed"],
            "visited": row["visited"],
            "rate": percent(row["visited"], row["owed"]),
        },
        "repeat_rate": percent(totals["repeats"], totals["total"]),
        "aspects": [
            {"label": label, "rated": row[f"{key}_rated"], "rate": percent(row[f"{key}_good"], row[f"{key}_rated"])}
            for key, label in REPAIR_ASPECTS.items()
        ],
        "charges": {"count": charges["n"], "total": charges["total"] or 0},
    }


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
