"""Coverage progress per staff member for a month: one computation behind the
supervisors' coverage dashboard, the daily coverage reminders, the monthly
summary's coverage table and the plan page (issue 6 §6).

What counts (SPEC §2.1): visits of the month that are not return visits
(`coverage.cycle_visits`). Full coverage: a butler's figure is the occupied
households of their zone that anyone visited this month, against the zone.
Sampling: a staff member's figure is the households they visited, against their
quota (manager and supervisor quotas included). Plans: a planned household is
done when the plan's owner visited it in the plan's period.

The target for a date is pro rata: quota × working days of the month elapsed by
that date ÷ working days in the month, rounded down — not 100 % every day.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from core.workdays import WorkingCalendar
from residents.choices import OCCUPIED_STATES
from residents.models import House
from visits import coverage
from visits.choices import CoverageMode, PlanKind
from visits.models import PlanItem, Visit, VisitPolicy


@dataclass(frozen=True)
class Period:
    """A calendar month in local time: [start, end)."""

    year: int
    month: int

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text):
        """'2026-10' → Period(2026, 10); None when it is not a month."""
        try:
            year, month = (int(part) for part in str(text).split("-"))
            dt.date(year, month, 1)
        except (TypeError, ValueError):
            return None
        return cls(year, month)

    @property
    def first_day(self):
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self):
        return self.following.first_day - dt.timedelta(days=1)

    @property
    def following(self):
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self):
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def bounds(self):
        from visits.selectors import month_bounds

        return month_bounds(self.first_day)

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self):
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True)
class StaffProgress:
    user_id: int
    name: str
    required: int
    done: int
    planned: int
    plan_done: int
    target: int

    @property
    def shortfall(self):
        return max(0, self.target - self.done)

    @property
    def behind(self):
        return self.done < self.target

    @property
    def percent(self):
        return min(100, int(self.done * 100 / self.required)) if self.required else 100


def counted_visits(community, period):
    """The month's visits that count towards coverage."""
    start, end = period.bounds
    return coverage.cycle_visits(community, start, end)


def covered_houses(community, period, user_id, mode):
    """The households behind a staff member's `done` figure (click-through list)."""
    visits = counted_visits(community, period).filter(house=OuterRef("pk"))
    if mode == CoverageMode.FULL:
        return House.objects.filter(community=community, butler_id=user_id, occupancy__in=OCCUPIED_STATES).filter(
            Exists(visits)
        )
    return House.objects.filter(community=community).filter(Exists(visits.filter(created_by_id=user_id)))


def uncovered_houses(community, period, user_id):
    """Full coverage: zone households nobody visited in the month."""
    visits = counted_visits(community, period).filter(house=OuterRef("pk"))
    return House.objects.filter(community=community, butler_id=user_id, occupancy__in=OCCUPIED_STATES).exclude(
        Exists(visits)
    )


def plan_items(plan):
    """A plan's items, each annotated `done` (its owner visited the house in the plan's period)."""
    if plan.month:
        start, end = Period(plan.year, plan.month).bounds
    else:
        start, end = Period(plan.year, 1).bounds[0], Period(plan.year + 1, 1).bounds[0]
    return plan.items.annotate(done=Exists(_plan_visits(start, end)))


def _plan_visits(start, end):
    return Visit.objects.filter(
        house=OuterRef("house"), created_by=OuterRef("plan__owner"), started_at__gte=start, started_at__lt=end
    )


def _done_counts(community, period, mode, user_ids):
    """{user_id: households counted} in one aggregate query."""
    if mode == CoverageMode.FULL:
        visited = Exists(counted_visits(community, period).filter(house=OuterRef("pk")))
        rows = (
            House.objects.filter(community=community, butler_id__in=user_ids, occupancy__in=OCCUPIED_STATES)
            .values("butler_id")
            .annotate(done=Count("pk", filter=Q(visited)))
            .order_by()
            .values_list("butler_id", "done")
        )
    else:
        rows = (
            counted_visits(community, period)
            .filter(created_by_id__in=user_ids)
            .values("created_by_id")
            .annotate(done=Count("house", distinct=True))
            .order_by()
            .values_list("created_by_id", "done")
        )
    return dict(rows)


def _plan_counts(community, period):
    """{owner_id: (planned, done)} of the month's monthly plans, one query."""
    start, end = period.bounds
    rows = (
        PlanItem.objects.filter(
            plan__community=community, plan__kind=PlanKind.MONTHLY, plan__year=period.year, plan__month=period.month
        )
        .annotate(done=Exists(_plan_visits(start, end)))
        .values("plan__owner_id")
        .annotate(planned=Count("pk"), plan_done=Count("pk", filter=Q(done=True)))
        .order_by()
        .values_list("plan__owner_id", "planned", "plan_done")
    )
    return {owner: (planned, done) for owner, planned, done in rows}


def working_days(period, calendar=None):
    calendar = calendar or WorkingCalendar()
    days = (period.last_day - period.first_day).days + 1
    return [d for d in (period.first_day + dt.timedelta(n) for n in range(days)) if calendar.is_working_day(d)]


def pro_rata(required, elapsed, total):
    if total == 0:
        return required
    return math.floor(required * elapsed / total)


def staff_progress(community, period, *, as_of=None):
    """Rows of StaffProgress for everyone with a quota, and the pro-rata basis.

    `as_of`: the last day that counts as elapsed (None: the whole month). Returns
    (rows, info) where info holds mode, elapsed and total working days."""
    policy = VisitPolicy.for_community(community)
    quotas = coverage.monthly_quotas(community)
    ids = [user.pk for user in quotas]
    done = _done_counts(community, period, policy.coverage_mode, ids)
    plans = _plan_counts(community, period)
    days = working_days(period)
    elapsed = len(days) if as_of is None else sum(1 for d in days if d <= as_of)
    rows = [
        StaffProgress(
            user_id=user.pk,
            name=user.display_name,
            required=required,
            done=done.get(user.pk, 0),
            planned=plans.get(user.pk, (0, 0))[0],
            plan_done=plans.get(user.pk, (0, 0))[1],
            target=pro_rata(required, elapsed, len(days)),
        )
        for user, required in sorted(quotas.items(), key=lambda pair: (pair[0].display_name, pair[0].pk))
    ]
    info = {
        "mode": policy.coverage_mode,
        "elapsed": elapsed,
        "working_days": len(days),
        "as_of": as_of,
    }
    return rows, info
