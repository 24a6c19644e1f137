"""Reads of the visits app. Each page runs a fixed number of queries whatever
the number of rows (tests assert it)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from core.workdays import end_of_day
from residents.choices import Occupancy
from residents.models import House
from visits.choices import PlanStatus, ReturnVisitStatus, VisitStatus, VisitType
from visits.models import FollowUp, Opinion, PlanItem, ReturnVisit, Visit


def month_bounds(day):
    """[first moment, first moment of next month) in local time."""
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    make = timezone.make_aware
    return make(dt.datetime.combine(start, dt.time())), make(dt.datetime.combine(following, dt.time()))


def visit_rows(queryset):
    """Visits with what list pages show, in a fixed number of queries."""
    return queryset.select_related("house", "created_by", "reviewed_by", "return_visit").prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.order_by("pk"))
    )


def today(user, community, *, now=None):
    """The butler's day: return visits due, follow-ups, plan items, vacant-house
    inspections still owed this month, and what was logged today."""
    now = now or timezone.now()
    local_today = timezone.localdate(now)
    month_start, month_end = month_bounds(local_today)
    day_start = timezone.make_aware(dt.datetime.combine(local_today, dt.time()))
    returns = list(
        ReturnVisit.objects.filter(
            community=community, assignee=user, status=ReturnVisitStatus.DUE, due_at__lte=end_of_day(local_today)
        ).select_related("house")[:50]
    )
    follow_ups = list(FollowUp.objects.open().filter(community=community, owner=user).select_related("house")[:50])
    visited_this_month = Visit.objects.filter(
        house=OuterRef("house"), created_by=user, started_at__gte=month_start, started_at__lt=month_end
    )
    plan_items = list(
        PlanItem.objects.filter(
            plan__community=community,
            plan__owner=user,
            plan__kind="monthly",
            plan__year=local_today.year,
            plan__month=local_today.month,
            plan__status=PlanStatus.APPROVED,
        )
        .annotate(done=Exists(visited_this_month))
        .filter(done=False)
        .select_related("house")
        .order_by("intended_date", "house__number")[:50]
    )
    inspected = Visit.objects.filter(
        house=OuterRef("pk"),
        visit_type=VisitType.VACANT_INSPECTION,
        started_at__gte=month_start,
        started_at__lt=month_end,
    )
    vacant = list(
        House.objects.filter(community=community, butler=user, occupancy=Occupancy.VACANT)
        .annotate(inspected=Exists(inspected))
        .filter(inspected=False)
        .order_by("number")[:50]
    )
    logged = list(
        visit_rows(
            # What I recorded today (a visit from last evening typed in this morning included).
            Visit.objects.filter(created_by=user, submitted_at__gte=day_start)
        )
    )
    return {
        "return_visits": returns,
        "follow_ups": follow_ups,
        "plan_items": plan_items,
        "vacant_houses": vacant,
        "logged": logged,
        "now": now,
    }


def review_queue(community, *, late_only=False):
    qs = Visit.objects.filter(community=community, status=VisitStatus.SUBMITTED)
    if late_only:
        qs = qs.filter(is_late=True)
    return visit_rows(qs).order_by("submitted_at", "pk")


def awaiting_confirmation(community, user):
    """Phone return visits someone else must confirm (the second signature)."""
    return (
        visit_rows(
            Visit.objects.filter(
                community=community, channel="phone", return_visit__isnull=False, confirmed_at__isnull=True
            )
        )
        .exclude(created_by=user)
        .exclude(companions=user)
        .order_by("started_at")
    )


def house_panel(house, request):
    """Visits panel on the household 360° page: recent visits, open follow-ups and
    return visits owed — three queries whatever the history's length."""
    return {
        "visits": list(
            Visit.objects.filter(house=house).select_related("created_by").prefetch_related("opinions")[:10]
        ),
        "follow_ups": list(FollowUp.objects.open().filter(house=house).select_related("owner")),
        "return_visits": list(
            ReturnVisit.objects.filter(house=house, status__in=[ReturnVisitStatus.DUE, ReturnVisitStatus.WAITING])
        ),
    }
