"""Reads of the complaints app: the list with its filters, the clocks a page
shows, the household panel, recurring problems. A page runs a fixed number of
queries whatever the number of rows."""

import re

from django.db.models import Case, Count, IntegerField, Q, When
from django.utils import timezone

from complaints import clocks, rules
from complaints.choices import OPEN_STATUSES, REVIEWED_KINDS, Status
from complaints.models import Complaint

NUMBER = re.compile(r"TS-\d{4}-\d{6}")
HOUSE_NUMBER = re.compile(r"\d+-[\d-]*")  # 3-2-1501, 3-2-
LIST_FILTERS = {
    "open": Q(status__in=OPEN_STATUSES),
    "paused": Q(is_paused=True, status__in=OPEN_STATUSES),
    "resolved": Q(status=Status.RESOLVED),
    "closed": Q(status=Status.CLOSED),
    "void": Q(status=Status.VOID),
    "major": Q(is_major=True),
    "all": Q(),
}
SHOW_CHOICES = [
    ("mine", "我的"),
    ("open", "未完成"),
    ("overdue", "已超时"),
    ("paused", "挂起中"),
    ("resolved", "待回访"),
    ("major", "重大"),
    ("closed", "已关闭"),
    ("void", "已作废"),
    ("all", "全部"),
]


def visible(user, community):
    """What `user` may list in `community`: everything for the readers, else
    what they own, handle or head the department of."""
    qs = Complaint.objects.for_user(user).in_community(community)
    if not user.has_role(community, *rules.READERS):
        qs = qs.filter(Q(owner=user) | Q(handler=user) | Q(department__head=user))
    return qs


def overdue_q(now):
    return Q(status__in=OPEN_STATUSES, is_paused=False) & (
        Q(answered_at__isnull=True, answer_due_at__lt=now) | Q(resolved_at__isnull=True, resolution_due_at__lt=now)
    )


def complaint_list(user, community, *, show="open", q="", category="", kind="", channel="", now=None):
    now = now or timezone.now()
    qs = visible(user, community)
    if show == "mine":
        qs = qs.filter(Q(owner=user) | Q(handler=user), status__in=OPEN_STATUSES)
    elif show == "overdue":
        qs = qs.filter(overdue_q(now))
    else:
        qs = qs.filter(LIST_FILTERS.get(show, LIST_FILTERS["open"]))
    if category:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    q = q.strip()
    if NUMBER.fullmatch(q.upper()):
        qs = qs.filter(number=q.upper())  # the counter's commonest search, on the unique index
    elif HOUSE_NUMBER.fullmatch(q):
        # A house number (3-2-1501, or its start): the house index, not a scan of every description.
        qs = qs.filter(house__number__startswith=q)
    elif q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(house__number__startswith=q)
            | Q(reporter_name__startswith=q)
            | Q(description__icontains=q)
            | Q(location__icontains=q)
        )
    return qs.select_related("house", "owner", "handler", "department").order_by("-received_at", "-pk")


def with_clocks(complaints, community, *, now=None):
    """Attach `clock` (label, remaining, state) to each complaint of a page: one
    query for the pauses of the whole page."""
    from django.db.models import prefetch_related_objects

    now = now or timezone.now()
    complaints = list(complaints)
    prefetch_related_objects(complaints, "pauses")
    policy = clocks.Policy(community)
    for complaint in complaints:
        complaint.clock = clocks.display(complaint, policy, now)
    return complaints


def review_queue(community):
    """New complaints and consultations the supervisor has not yet reviewed [001]."""
    return (
        Complaint.objects.filter(community=community, kind__in=REVIEWED_KINDS, reviewed_at__isnull=True)
        .exclude(status=Status.VOID)
        .select_related("house", "owner", "handler")
        .order_by("received_at", "pk")
    )


def house_panel(house, request):
    """The household 360° panel: its complaints, open ones first, with their clocks."""
    qs = (
        Complaint.objects.filter(house=house)
        .exclude(status=Status.VOID)
        .select_related("owner", "handler", "house")
        .annotate(is_open_rank=Case(When(status__in=OPEN_STATUSES, then=0), default=1, output_field=IntegerField()))
        .order_by("is_open_rank", "-received_at")[:15]
    )
    complaints = with_clocks(qs, house.community)
    return {"complaints": complaints, "open_count": sum(1 for c in complaints if c.is_open)}


def recurring(community, *, since, until, min_count=2):
    """Recurring problems [004 第9条]: complaints grouped by category and place
    (the building for a household, the named spot for a public area), repeats first."""
    qs = (
        Complaint.objects.filter(community=community, received_at__gte=since, received_at__lt=until)
        .exclude(status=Status.VOID)
        .exclude(kind="praise")
    )
    by_building = (
        qs.filter(house__isnull=False)
        .values("category", "house__building__name")
        .annotate(
            total=Count("pk"),
            houses=Count("house", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
    )
    by_area = (
        qs.filter(house__isnull=True)
        .values("category", "location")
        .annotate(
            total=Count("pk"),
            houses=Count("house", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
    )
    labels = dict(Complaint._meta.get_field("category").choices)
    groups = [
        {
            "category": r["category"],
            "category_label": labels.get(r["category"], r["category"]),
            "place": r["house__building__name"],
            "place_kind": "building",
            "total": r["total"],
            "open": r["open"],
        }
        for r in by_building
    ] + [
        {
            "category": r["category"],
            "category_label": labels.get(r["category"], r["category"]),
            "place": r["location"],
            "place_kind": "area",
            "total": r["total"],
            "open": r["open"],
        }
        for r in by_area
    ]
    groups.sort(key=lambda g: (-g["total"], g["category"], g["place"]))
    for group in groups:
        group["repeat"] = group["total"] >= min_count
    return groups
