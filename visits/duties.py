"""Standing duties as plan targets with progress (SPEC §2.1 [000][001]).

Each target is computed from visit records with aggregate queries. Meetings
that are not household visits (社区 every two months, the housing bureau every
quarter) are counted from visits of type 其他 whose people-met line names the
counterpart — recorded like any other contact so they sit in one register.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.choices import Role
from residents.choices import OCCUPIED_STATES, CommitteeRole
from residents.models import House
from visits.choices import RETURN_VISIT_TYPES, Signature, VisitType
from visits.models import Visit

TARGET_PERCENT = 98  # [001] quarterly opinion visits and the half-yearly survey
# Spring Festival (January/February), Mid-Autumn and National Day (September/October).
HOLIDAY_MONTHS = (1, 2, 9, 10)


@dataclass(frozen=True)
class Target:
    label: str
    done: int
    required: int
    source: str

    @property
    def met(self):
        return self.done >= self.required

    @property
    def percent(self):
        return min(100, int(self.done * 100 / self.required)) if self.required else 100


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _month_start(day, months_back=0):
    month_index = day.year * 12 + day.month - 1 - months_back
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def standing_duties(community, *, today=None):
    """This period's targets for the community's manager and service team."""
    today = today or timezone.localdate()
    month = _aware(_month_start(today))
    two_months = _aware(_month_start(today, 1))
    quarter = _aware(dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1))
    half_year = _aware(dt.date(today.year, 1 if today.month <= 6 else 7, 1))
    visits = Visit.objects.filter(community=community)
    managers = Q(created_by__memberships__community=community, created_by__memberships__role=Role.MANAGER)
    leaders = Q(
        created_by__memberships__community=community,
        created_by__memberships__role__in=[Role.MANAGER, Role.SUPERVISOR],
    )
    counts = visits.aggregate(
        chair=Count(
            "house",
            distinct=True,
            filter=managers
            & Q(
                started_at__gte=month,
                house__residencies__end_date__isnull=True,
                house__residencies__person__committee_role=CommitteeRole.CHAIR,
            ),
        ),
        key_resident=Count(
            "house",
            distinct=True,
            filter=managers
            & Q(
                started_at__gte=month,
                house__residencies__end_date__isnull=True,
                house__residencies__person__is_key_resident=True,
            ),
        ),
        community_office=Count("pk", distinct=True, filter=Q(started_at__gte=two_months, people_met__contains="社区")),
        housing_bureau=Count("pk", distinct=True, filter=Q(started_at__gte=quarter, people_met__contains="房管")),
        leaders_sample=Count(
            "house", distinct=True, filter=leaders & Q(started_at__gte=month, visit_type=VisitType.ROUTINE)
        ),
        holiday=Count("house", distinct=True, filter=Q(started_at__gte=month, visit_type=VisitType.HOLIDAY)),
        quarter_opinion=Count(
            "house",
            distinct=True,
            filter=Q(started_at__gte=quarter, return_visit__isnull=True) & ~Q(visit_type__in=RETURN_VISIT_TYPES),
        ),
        survey=Count(
            "house",
            distinct=True,
            filter=Q(started_at__gte=half_year, visit_type=VisitType.SATISFACTION, signature=Signature.SIGNED),
        ),
    )
    houses = House.objects.filter(community=community).aggregate(
        # distinct: the key-resident count joins residencies, one row per resident
        occupied=Count("pk", distinct=True, filter=Q(occupancy__in=OCCUPIED_STATES)),
        key=Count(
            "pk",
            distinct=True,
            filter=Q(residencies__end_date__isnull=True, residencies__person__is_key_resident=True),
        ),
    )
    ninety_eight = math.ceil(houses["occupied"] * TARGET_PERCENT / 100)
    targets = [
        Target("经理会见业委会主任（每月）", counts["chair"], 1, "[000]"),
        Target("经理拜访重点住户（每月至少1户）", counts["key_resident"], 1, "[000]"),
        Target("拜访社区居委（每两个月）", counts["community_office"], 1, "[000]"),
        Target("拜访房管部门（每季度）", counts["housing_bureau"], 1, "[000]"),
        Target("经理及部门主管抽访无投诉无报修户（每月10–15户）", counts["leaders_sample"], 10, "[000]"),
        Target("季度意见征询覆盖 ≥98%", counts["quarter_opinion"], ninety_eight, "[001]"),
        Target("半年满意度调查（书面签字）≥98%", counts["survey"], ninety_eight, "[001]"),
    ]
    if today.month in HOLIDAY_MONTHS:
        targets.append(Target("节日慰问重点住户（本月）", counts["holiday"], houses["key"], "[000]"))
    return targets
