"""Demo data of the visits app (issue 5 §13): the current month and the six before it
of visit records in each community — opinions, signatures, reviews, follow-ups,
return visits, rainy days and this month's plans — and the monthly summaries of the
months gone by, so every list and page has something real to show.

阳光花园 samples [002 4.3.1]: butler1 and butler2 visit their share of the monthly
sample in their zones, the manager and the supervisor their five and more, no
household drawn twice in the cycle. 翠湖苑 is fully covered by butler3 (every
occupied household every month); it has no supervisor of its own, so the company
admin reviews there, as the inbox falls back to. Every vacant house is inspected
monthly. Visits start inside the policy's windows, a few outside with a reason.

Volume goes in bulk (Visit and FollowUp with their history rows, Opinion); what
must have side effects — return visits, open follow-ups, plans submitted and
decided, records sent back or flagged — goes through the services and the engine,
and the reminder jobs run once at the end. A community that already has visits is
left alone, so `seed_demo` twice adds nothing. Each community draws from its own
seeded Random; dates follow today (Asia/Shanghai).

`records` draws and saves visit records, `community` a community's months and
plans, `returns` the return visits, `recent` what is open right now, `texts` what
owners said, `monthly` the monthly summaries and 《工作联系函》 (run every time: a
summary that exists is left alone), `frontdesk` the front desk's two months of
walk-in visitors, watchlist, passes, permits and helpers (a community with any
front-desk data is left alone).
"""

import random

from django.utils import timezone

from core.choices import Role
from core.selectors import staff_with_role
from residents.models import House
from visits import engine, services
from visits.choices import CoverageMode
from visits.demo import frontdesk, monthly, returns
from visits.demo.community import CommunityDemo
from visits.models import Visit

SEEDS = (20260901, 20260902)  # 阳光花园, 翠湖苑


def seed(ctx):
    """Seed each demo community that has houses and no visits yet, then the summaries
    of the months gone by, then the front desk."""
    users = ctx["users"]
    communities = ctx["communities"]
    now = timezone.now()
    todo = [
        (community, seed_value)
        for community, seed_value in zip(communities, SEEDS, strict=True)
        if House.objects.filter(community=community).exists() and not Visit.objects.filter(community=community).exists()
    ]
    if todo:
        seed_visits(todo, communities, users, scale=float(ctx.get("demo_scale", 1.0)), now=now)
    monthly.seed(communities, users, now=now)
    frontdesk.seed(communities, users, scale=float(ctx.get("demo_scale", 1.0)), now=now)
    return ctx


def seed_visits(todo, communities, users, *, scale, now):
    sunshine, lakeside = communities
    engine.scan_archive_triggers(now=now)  # the hourly job: move-in return visits from the archive
    teams = {
        sunshine.pk: {
            "butlers": [users["butler1"], users["butler2"]],
            "manager": users["manager"],
            "supervisor": users["supervisor"],
            "reviewers": [users["supervisor"], users["manager"]],
            "mode": CoverageMode.SAMPLING,
            "returns": returns.SUNSHINE,
        },
        lakeside.pk: {
            "butlers": [users["butler3"]],
            "manager": None,
            "supervisor": None,
            "reviewers": staff_with_role(lakeside, Role.SUPERVISOR),
            "mode": CoverageMode.FULL,
            "returns": returns.LAKESIDE,
        },
    }
    for community, seed_value in todo:
        demo = CommunityDemo(
            community,
            teams[community.pk],
            users=users,
            rng=random.Random(seed_value),
            scale=scale,
            now=now,
        )
        demo.run()
    services.remind_follow_ups(now=now)
    engine.remind_return_visits(now=now)
