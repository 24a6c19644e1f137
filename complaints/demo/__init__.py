"""Demo data of the complaints app (issue 8 §10): three months of complaints,
questions and suggestions in each demo community, in every state — 已受理 to
已关闭 and 已作废 — with the cases a supervisor meets: overdue (the answer, the
promised completion), paused while the owner is away, reopened after 不满意, a
major complaint, a municipal one (停水), a household incident, a suggestion the
manager decided with its measures published and one awaiting him, questions
answered at the counter from the answer book and one it could not answer (the
supervisor's 24-hour call-back), praise. Also the answer book (ten approved
entries and a revision awaiting approval) and the manager's reception days (the
last one with three registrations, one signed off; the next one planned).

Every matter goes through the services, each step at its own moment of the past
(`timeline.play`), with the escalation job run as the beat would have run it,
so numbers (in receipt order, gapless), clocks, the timeline, reminders, the
escalation ladder and the return visits in the visits app are what they would
have been. The showcase is the same at any scale; the ordinary matters drawn
around it follow `ctx["demo_scale"]`. A community that already has complaints is
left alone, so `seed_demo` twice adds nothing. The reminders went out when they
came; old ones have been read.

`texts` holds what owners say and staff answer, `stories` one community's
stories, `timeline` plays them in time order.
"""

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from complaints.demo.stories import MONTHS, CommunityStories
from complaints.demo.timeline import held_at, play
from complaints.models import Complaint
from core.models import Reminder
from core.services import mark_reminder_read
from residents.models import House

SEEDS = (20261101, 20261102)  # 阳光花园, 翠湖苑
PER_MONTH = (30, 10)  # ordinary matters a month at scale 1 (1,200 and 300 households)
READ_AFTER = dt.timedelta(days=2)


def seed(ctx):
    now = timezone.now()
    scale = float(ctx.get("demo_scale", 1.0))
    stories, seeded = [], []
    for index, community in enumerate(ctx["communities"]):
        if Complaint.objects.filter(community=community).exists():
            continue
        houses = list(
            House.objects.filter(community=community, butler__isnull=False)
            .occupied()
            .select_related("butler")
            .order_by("pk")
        )
        if not houses:
            continue
        demo = CommunityStories(community, index=index, houses=houses, rng=random.Random(SEEDS[index]), now=now)
        stories += demo.stories(bulk=round(PER_MONTH[index] * MONTHS * scale))
        seeded.append(community)
    if stories:
        play(stories, now)
        settle_reminders(seeded, now)
    return ctx


def settle_reminders(communities, now):
    """The complaint reminders of the past went out by e-mail when they came (the
    deliveries queued now find them delivered and send nothing), and those of more
    than two days ago were read a few hours after."""
    reminders = Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), community__in=communities
    )
    reminders.filter(delivered_at__isnull=True).update(delivered_at=F("created_at"))
    old = reminders.filter(read_at__isnull=True, created_at__lt=now - READ_AFTER).select_related("recipient")
    for reminder in old:
        with held_at(reminder.created_at + dt.timedelta(hours=3)):
            mark_reminder_read(reminder, actor=reminder.recipient)
