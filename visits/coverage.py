"""How many households must be visited this month, and which (SPEC §2.1).

Sampling [002 4.3.1]: the band is chosen by the community's households in all,
the percentage applies to its occupied households, rounded up; the manager's
and supervisor's quotas are part of the sample; the rest is split among butlers
in proportion to the occupied households of their zones. Return visits do not
count. No household is drawn twice until every occupied household has been
visited in the current cycle; households a company survey (channel 问卷) covered
in the cycle count as visited. Full coverage [000]: every occupied household of
the zone every month.
"""

import math
import random

from django.db.models import Count, Q

from core.choices import Role
from residents.choices import OCCUPIED_STATES
from residents.models import House
from visits.choices import RETURN_VISIT_TYPES, CoverageMode
from visits.models import Visit, VisitPolicy


def required_sample(total_households, occupied_households, bands):
    """Minimum monthly sample: the band's percent of occupied households, rounded up."""
    for limit, percent in bands:
        if limit is None or total_households <= limit:
            return math.ceil(occupied_households * percent / 100)
    raise ValueError("sample bands must end with an open band")


def _split(total, weights):
    """Largest-remainder split of `total` by `weights` (dict key → weight)."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum == 0:
        return dict.fromkeys(weights, 0)
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    shares = {key: math.floor(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def monthly_quotas(community):
    """{user: households to visit this month} for the community's policy."""
    from core.models import User

    policy = VisitPolicy.for_community(community)
    houses = House.objects.filter(community=community)
    counts = houses.aggregate(total=Count("pk"), occupied=Count("pk", filter=Q(occupancy__in=OCCUPIED_STATES)))
    butlers = User.objects.filter(
        memberships__community=community, memberships__role=Role.BUTLER, memberships__is_active=True
    ).annotate(zone=Count("zone_houses", filter=Q(zone_houses__occupancy__in=OCCUPIED_STATES)))
    zone_sizes = {butler: butler.zone for butler in butlers}
    if policy.coverage_mode == CoverageMode.FULL:
        return zone_sizes
    required = required_sample(counts["total"], counts["occupied"], policy.sample_bands)
    quotas = {}
    for role, quota in ((Role.MANAGER, policy.manager_quota), (Role.SUPERVISOR, policy.supervisor_quota)):
        for user in User.objects.filter(
            memberships__community=community, memberships__role=role, memberships__is_active=True
        ):
            quotas[user] = quota
    rest = max(0, required - sum(quotas.values()))
    quotas.update(_split(rest, zone_sizes))
    return quotas


def cycle_visited_ids(community, since):
    """Houses already visited (return visits excluded) in the cycle that began `since`."""
    return set(
        Visit.objects.filter(community=community, started_at__gte=since)
        .exclude(visit_type__in=RETURN_VISIT_TYPES)
        .values_list("house_id", flat=True)
    )


def propose_sample(community, size, *, pool=None, exclude=(), seed=None):
    """`size` occupied houses nobody has visited in the current cycle (oldest cycle
    first). When the cycle runs out, the cycle restarts and the rest are drawn
    from the new one. Returns (houses, cycle_restarted)."""
    policy = VisitPolicy.for_community(community)
    occupied = House.objects.filter(community=community, occupancy__in=OCCUPIED_STATES)
    if pool is not None:
        occupied = occupied.filter(pk__in=pool)
    candidates = set(occupied.values_list("pk", flat=True)) - set(exclude)
    visited = cycle_visited_ids(community, policy.cycle_started_at) if policy.cycle_started_at else set()
    fresh = sorted(candidates - visited)
    rng = random.Random(seed)
    restarted = False
    if len(fresh) >= size:
        chosen = rng.sample(fresh, size)
    else:
        rest = sorted(candidates - set(fresh))
        chosen = fresh + rng.sample(rest, min(size - len(fresh), len(rest)))
        restarted = True
    return list(House.objects.filter(pk__in=chosen).order_by("number")), restarted


def propose_full(community, butler):
    """Full coverage: every occupied household of the butler's zone."""
    return list(
        House.objects.filter(community=community, butler=butler, occupancy__in=OCCUPIED_STATES).order_by("number")
    )
