"""The figures of the monthly visit summary (SPEC §2.4, issue 6 §1).

Every figure is an aggregate query over one base queryset, and every base
queryset is also what the click-through list of that figure shows
(`drilldown`): the number on the page and the rows behind it come from the
same definition.

`compute` returns plain JSON (ids, codes, numbers, short texts) stored on the
summary as its snapshot; labels are looked up when the page is drawn.
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from core.models import User
from residents.choices import OCCUPIED_STATES
from residents.models import House
from visits import coverage, progress
from visits.choices import Channel, CoverageMode, FollowUpStatus, OpinionCategory, ReturnVisitStatus, Satisfaction
from visits.models import FollowUp, Opinion, ReturnVisit, Visit, VisitPolicy

EXAMPLES_PER_CATEGORY = 3
# Open follow-ups at month end by age in days: (key, label, min days, max days or None).
AGEING_BUCKETS = (
    ("d0_3", "3天内", 0, 3),
    ("d4_7", "4–7天", 4, 7),
    ("d8_15", "8–15天", 8, 15),
    ("d16_30", "16–30天", 16, 30),
    ("d31", "30天以上", 31, None),
)


# --- base querysets: one per figure family ---------------------------------


def month_visits(community, period):
    start, end = period.bounds
    return Visit.objects.filter(community=community, started_at__gte=start, started_at__lt=end)


def month_opinions(community, period):
    start, end = period.bounds
    return Opinion.objects.filter(visit__community=community, visit__started_at__gte=start, visit__started_at__lt=end)


def follow_ups(community, period, which, bucket=None):
    """opened / closed in the month; overdue: due in the month and not done by
    then; open: still open at the month's end (optionally one ageing bucket)."""
    start, end = period.bounds
    qs = FollowUp.objects.filter(community=community)
    if which == "opened":
        return qs.filter(created_at__gte=start, created_at__lt=end)
    if which == "closed":
        return qs.filter(closed_at__gte=start, closed_at__lt=end).exclude(status=FollowUpStatus.OPEN)
    if which == "overdue":
        return qs.filter(due_at__gte=start, due_at__lt=end).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=F("due_at"))
        )
    if which == "open":
        qs = qs.filter(created_at__lt=end).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        if bucket is not None:
            qs = qs.filter(_age_q(end, bucket))
        return qs
    raise ValueError(which)


def _age_q(end, bucket):
    _key, _label, low, high = next(b for b in AGEING_BUCKETS if b[0] == bucket)
    q = Q(created_at__lte=end - dt.timedelta(days=low))
    if high is not None:
        q &= Q(created_at__gt=end - dt.timedelta(days=high + 1))
    return q


def return_visits(community, period, which):
    """Return visits due in the month (cancelled ones aside), and of those the ones done."""
    start, end = period.bounds
    due = ReturnVisit.objects.filter(community=community, due_at__gte=start, due_at__lt=end).exclude(
        status=ReturnVisitStatus.CANCELLED
    )
    return due.filter(status=ReturnVisitStatus.DONE) if which == "done" else due


def cycle_start(community, period):
    """Where "never visited in the current cycle" counts from: the sampling
    cycle's start, or the month itself under full coverage."""
    policy = VisitPolicy.for_community(community)
    start = period.bounds[0]
    if policy.coverage_mode == CoverageMode.SAMPLING and policy.cycle_started_at:
        return min(policy.cycle_started_at, start)
    return start


def never_visited(community, period):
    """Occupied households with no counted visit from the cycle's start to the month's end."""
    visits = coverage.cycle_visits(community, cycle_start(community, period), period.bounds[1])
    return House.objects.filter(community=community, occupancy__in=OCCUPIED_STATES).exclude(
        Exists(visits.filter(house=OuterRef("pk")))
    )


# --- the snapshot --------------------------------------------------------------


def _counts(qs, field):
    return {key: n for key, n in qs.values_list(field).annotate(n=Count("pk")).order_by() if key is not None}


def compute(community, period):
    """All figures of `period` for `community`, as JSON-ready data."""
    policy = VisitPolicy.for_community(community)
    visits = month_visits(community, period)
    totals = visits.aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(is_late=True)),
        households=Count("house", distinct=True),
        complaints=Count("pk", filter=Q(contains_complaint=True)),
    )
    channel_counts = {f"ch_{code}": Count("pk", filter=Q(channel=code)) for code in Channel.values}
    by_staff = list(
        visits.values("created_by_id")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)), **channel_counts)
        .order_by()
    )
    people = User.objects.in_bulk([row["created_by_id"] for row in by_staff])
    names = {pk: person.display_name for pk, person in people.items()}
    rows, info = progress.staff_progress(community, period)
    staff = {
        row["created_by_id"]: {
            "id": row["created_by_id"],
            "name": names.get(row["created_by_id"]) or str(row["created_by_id"]),
            "total": row["total"],
            "late": row["late"],
            "channels": {code: row[f"ch_{code}"] for code in Channel.values if row[f"ch_{code}"]},
        }
        for row in by_staff
    }
    opinion_counts = _counts(month_opinions(community, period), "category")
    examples = (
        month_opinions(community, period)
        .annotate(rank=Window(RowNumber(), partition_by=[F("category")], order_by=[F("pk").asc()]))
        .filter(rank__lte=EXAMPLES_PER_CATEGORY)
        .values_list("category", "content", "visit_id", "visit__house__number")
    )
    opinion_examples = {}
    for category, content, visit_id, house in examples:
        opinion_examples.setdefault(category, []).append({"visit": visit_id, "house": house, "content": content[:120]})
    fu = {which: follow_ups(community, period, which).count() for which in ("opened", "closed", "overdue")}
    end = period.bounds[1]
    ageing = follow_ups(community, period, "open").aggregate(
        total=Count("pk"), **{key: Count("pk", filter=_age_q(end, key)) for key, *_ in AGEING_BUCKETS}
    )
    rv = {which: return_visits(community, period, which).count() for which in ("due", "done")}
    houses = House.objects.filter(community=community).aggregate(
        total=Count("pk"), occupied=Count("pk", filter=Q(occupancy__in=OCCUPIED_STATES))
    )
    counted_households = progress.counted_visits(community, period).aggregate(n=Count("house", distinct=True))["n"]
    required = (
        coverage.required_sample(houses["total"], houses["occupied"], policy.sample_bands)
        if policy.coverage_mode == CoverageMode.SAMPLING
        else houses["occupied"]
    )
    return {
        "version": 1,
        "period": str(period),
        "mode": policy.coverage_mode,
        "visits": {
            **totals,
            "late_rate": round(totals["late"] * 100 / totals["total"], 1) if totals["total"] else 0,
            "by_channel": _counts(visits, "channel"),
            "by_type": _counts(visits, "visit_type"),
            "by_satisfaction": _counts(visits.exclude(satisfaction=""), "satisfaction"),
            "by_staff": sorted(staff.values(), key=lambda r: (-r["total"], r["name"])),
        },
        "coverage": {
            "households": houses["total"],
            "occupied": houses["occupied"],
            "required": required,
            "reached": counted_households,
            "percent": min(100, round(counted_households * 100 / required)) if required else 100,
            "manager_quota": policy.manager_quota,
            "supervisor_quota": policy.supervisor_quota,
            "working_days": info["working_days"],
            "staff": [
                {
                    "id": row.user_id,
                    "name": row.name,
                    "required": row.required,
                    "done": row.done,
                    "percent": row.percent,
                    "planned": row.planned,
                    "plan_done": row.plan_done,
                }
                for row in rows
            ],
        },
        "opinions": {
            "total": sum(opinion_counts.values()),
            "by_category": opinion_counts,
            "examples": opinion_examples,
        },
        "follow_ups": {**fu, "open_at_end": ageing.pop("total"), "ageing": ageing},
        "return_visits": {**rv, "rate": round(rv["done"] * 100 / rv["due"]) if rv["due"] else 100},
        "never_visited": {
            "since": timezone.localdate(cycle_start(community, period)).isoformat(),
            "count": never_visited(community, period).count(),
        },
        # Part of the record: the page reads it instead of querying a year of visits on every view.
        "trend": trend(community, period),
    }


def trend(community, period, months=12):
    """Visits, households visited, late records and opinions per month for the
    `months` months ending with `period` — three grouped queries."""
    first = period
    for _ in range(months - 1):
        first = first.previous
    start, end = first.bounds[0], period.bounds[1]
    visits = Visit.objects.filter(community=community, started_at__gte=start, started_at__lt=end)
    per_month = {
        timezone.localtime(row["m"]).date().replace(day=1): row
        for row in visits.annotate(m=TruncMonth("started_at"))
        .values("m")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)), households=Count("house", distinct=True))
        .order_by()
    }
    opinions = {
        timezone.localtime(m).date().replace(day=1): n
        for m, n in Opinion.objects.filter(
            visit__community=community, visit__started_at__gte=start, visit__started_at__lt=end
        )
        .annotate(m=TruncMonth("visit__started_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    }
    points = []
    month = first
    for _ in range(months):
        row = per_month.get(month.first_day, {})
        points.append(
            {
                "period": str(month),
                "label": f"{month.month}月" if month.month != 1 else f"{month.year}年1月",
                "visits": row.get("total", 0),
                "households": row.get("households", 0),
                "late": row.get("late", 0),
                "opinions": opinions.get(month.first_day, 0),
            }
        )
        month = month.following
    return points


# --- click-through lists -------------------------------------------------------

VISIT_FILTERS = ("channel", "visit_type", "satisfaction", "created_by")


def drilldown(community, period, kind, params):
    """(title, kind of rows, queryset) behind one figure; None for an unknown request."""
    label = period.label
    if kind == "visits":
        qs = month_visits(community, period)
        parts = []
        for field in VISIT_FILTERS:
            value = params.get(field)
            if value:
                if field == "created_by" and not str(value).isdigit():
                    return None
                qs = qs.filter(**{field: value})
                parts.append(_filter_label(field, value))
        if params.get("late") == "1":
            qs = qs.filter(is_late=True)
            parts.append("逾期提交")
        if params.get("complaint") == "1":
            qs = qs.filter(contains_complaint=True)
            parts.append("含投诉")
        return f"{label}访问记录" + (f"（{'，'.join(parts)}）" if parts else ""), "visits", qs
    if kind == "opinions":
        qs = month_opinions(community, period)
        category = params.get("category")
        if category:
            qs = qs.filter(category=category)
        title = f"{label}业主意见" + (
            f"（{OpinionCategory(category).label}）" if category in OpinionCategory.values else ""
        )
        return title, "opinions", qs
    if kind == "follow_ups":
        which = params.get("which")
        bucket = params.get("bucket")
        if which not in ("opened", "closed", "overdue", "open") or (
            bucket and bucket not in {b[0] for b in AGEING_BUCKETS}
        ):
            return None
        names = {"opened": "新增", "closed": "完成", "overdue": "逾期", "open": "月末未完成"}
        title = f"{label}跟进事项（{names[which]}"
        if bucket:
            title += "，" + next(b[1] for b in AGEING_BUCKETS if b[0] == bucket)
        return title + "）", "follow_ups", follow_ups(community, period, which, bucket or None)
    if kind == "return_visits":
        which = params.get("which")
        if which not in ("due", "done"):
            return None
        return (
            f"{label}回访（{'应回访' if which == 'due' else '已回访'}）",
            "return_visits",
            return_visits(community, period, which),
        )
    if kind == "houses":
        which = params.get("which")
        policy = VisitPolicy.for_community(community)
        if which == "never":
            return f"本轮未访问住户（截至{label}末）", "houses", never_visited(community, period)
        if which == "visited":
            visited = month_visits(community, period).filter(house=OuterRef("pk"))
            return f"{label}有访问记录的住户（含回访）", "houses", House.objects.filter(Exists(visited))
        if which == "reached":
            visited = progress.counted_visits(community, period).filter(house=OuterRef("pk"))
            return f"{label}已访问住户（不含回访）", "houses", House.objects.filter(Exists(visited))
        staff = params.get("staff", "")
        if not staff.isdigit():
            return None
        if which == "covered":
            return (
                f"{label}已覆盖住户",
                "houses",
                progress.covered_houses(community, period, int(staff), policy.coverage_mode),
            )
        if which == "uncovered" and policy.coverage_mode == CoverageMode.FULL:
            return f"{label}未覆盖住户", "houses", progress.uncovered_houses(community, period, int(staff))
    return None


def _filter_label(field, value):
    from visits.choices import VisitType

    if field == "channel" and value in Channel.values:
        return Channel(value).label
    if field == "visit_type" and value in VisitType.values:
        return VisitType(value).label
    if field == "satisfaction" and value in Satisfaction.values:
        return Satisfaction(value).label
    if field == "created_by":
        user = User.objects.filter(pk=value).first()
        return user.display_name if user else value
    return value


# --- reading the snapshot ------------------------------------------------------


def present(data):
    """The snapshot with labels and the query of the list behind each figure
    (`q`: kind and filters for the summary's records page)."""
    from urllib.parse import urlencode

    from visits.choices import VisitType

    def q(kind, **params):
        return urlencode({"kind": kind, **params})

    visits = data["visits"]
    channels = [
        {"code": c, "label": label, "n": visits["by_channel"].get(c, 0), "q": q("visits", channel=c)}
        for c, label in Channel.choices
    ]
    return {
        "visits": visits,
        "channels": channels,
        "types": [
            {"label": label, "n": visits["by_type"][c], "q": q("visits", visit_type=c)}
            for c, label in VisitType.choices
            if visits["by_type"].get(c)
        ],
        "satisfaction": [
            {"code": c, "label": label, "n": visits["by_satisfaction"].get(c, 0), "q": q("visits", satisfaction=c)}
            for c, label in Satisfaction.choices
        ],
        "staff_visits": [
            {
                **row,
                "q": q("visits", created_by=row["id"]),
                "late_q": q("visits", created_by=row["id"], late=1),
                "cells": [
                    {"n": row["channels"].get(c["code"], 0), "q": q("visits", created_by=row["id"], channel=c["code"])}
                    for c in channels
                ],
            }
            for row in visits["by_staff"]
        ],
        "coverage": data["coverage"],
        "coverage_staff": [
            {
                **row,
                "q": q("houses", which="covered", staff=row["id"]),
                "uncovered_q": q("houses", which="uncovered", staff=row["id"]),
                "uncovered": row["required"] - row["done"],
            }
            for row in data["coverage"]["staff"]
        ],
        "full": data["mode"] == CoverageMode.FULL,
        "opinions": [
            {
                "code": c,
                "label": label,
                "n": data["opinions"]["by_category"].get(c, 0),
                "examples": data["opinions"]["examples"].get(c, []),
                "q": q("opinions", category=c),
            }
            for c, label in OpinionCategory.choices
        ],
        "opinion_total": data["opinions"]["total"],
        "follow_ups": data["follow_ups"],
        "ageing": [
            {"label": label, "n": data["follow_ups"]["ageing"][key], "q": q("follow_ups", which="open", bucket=key)}
            for key, label, *_ in AGEING_BUCKETS
        ],
        "return_visits": data["return_visits"],
        "never_visited": data["never_visited"],
        "links": {
            "visits": q("visits"),
            "late": q("visits", late=1),
            "complaints": q("visits", complaint=1),
            "reached": q("houses", which="reached"),
            "visited": q("houses", which="visited"),
            "opinions": q("opinions"),
            "fu_opened": q("follow_ups", which="opened"),
            "fu_closed": q("follow_ups", which="closed"),
            "fu_overdue": q("follow_ups", which="overdue"),
            "fu_open": q("follow_ups", which="open"),
            "rv_due": q("return_visits", which="due"),
            "rv_done": q("return_visits", which="done"),
            "never": q("houses", which="never"),
        },
    }
