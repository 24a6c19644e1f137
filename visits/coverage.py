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

from django.db.models import Count, Exists, OuterRef, Q

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
    ).annotate(
        # Only this community's houses: a butler may also hold a zone in another community.
        zone=Count(
            "zone_houses",
            filter=Q(zone_houses__community=community, zone_houses__occupancy__in=OCCUPIED_STATES),
        )
    )
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


def cycle_visits(community, since, until=None):
    """Visits of occupied households that count towards coverage from `since`
    (to `until`, exclusive): return visits excluded.

    A return visit is one of a return-visit type or one logged against a raised
    return visit (a move-in visit, or one typed 日常拜访 from the return-visit list)."""
    visits = Visit.objects.filter(
        community=community,
        started_at__gte=since,
        return_visit__isnull=True,
        # Coverage is of occupied households: a vacant-house inspection reaches nobody.
        house__occupancy__in=OCCUPIED_STATES,
    )
    if until is not None:
        visits = visits.filter(started_at__lt=until)
    return visits.exclude(visit_type__in=RETURN_VISIT_TYPES)


def cycle_visited_ids(community, since):
    """Houses already visited (return visits excluded) in the cycle that began `since`."""
    # A set: no need to sort the cycle's visits, read from a covering index.
    return set(cycle_visits(community, since).order_by().values_list("house_id", flat=True).distinct())


def propose_sample(community, size, *, pool=None, exclude=(), seed=None):
    """`size` occupied houses nobody has visited in the current cycle (oldest cycle
    first). When the cycle runs out, the cycle restarts and the rest are drawn
    from the new one. Returns (houses, cycle_restarted)."""
    policy = VisitPolicy.for_community(community)
    candidates = (
        House.objects.filter(community=community, occupancy__in=OCCUPIED_STATES).exclude(pk__in=exclude).order_by("pk")
    )
    if pool is not None:
        candidates = candidates.filter(pk__in=pool)
    fresh = candidates
    if policy.cycle_started_at:
        # The anti-join runs in the database: a cycle can hold 100k visits, and only
        # the houses not yet visited need to come back.
        visited = cycle_visits(community, policy.cycle_started_at).filter(house=OuterRef("pk"))
        fresh = candidates.exclude(Exists(visited))
    fresh = list(fresh.values_list("pk", flat=True))
    rng = random.Random(seed)
    restarted = False
    if len(fresh) >= size:
        chosen = rng.sample(fresh, size)
    else:
        seen = set(fresh)
        rest = [pk for pk in candidates.values_list("pk", flat=True) if pk not in seen]
        chosen = fresh + rng.sample(rest, min(size - len(fresh), len(rest)))
        restarted = True
    return list(House.objects.filter(pk__in=chosen).order_by("number")), restarted


def propose_full(community, butler):
    """Full coverage: every occupied household of the butler's zone."""
    return list(
        House.objects.filter(community=community, butler=butler, occupancy__in=OCCUPIED_STATES).order_by("number")
    )
