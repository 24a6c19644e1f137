"""The response-deadline job (SPEC §7, every few minutes).

It reads only complaints whose `next_escalation_at` has come (one indexed query,
so its cost follows the due items, not all open complaints), climbs each one's
ladder (`core.ladder`: each step once per round, whatever the number of runs or
workers) and moves `next_escalation_at` on. The move is a conditional update on
`clock_version`: when a person answered or paused the complaint meanwhile, their
`clocks.refresh` wins.
"""

from django.db import transaction
from django.utils import timezone

from complaints import clocks
from complaints.models import Complaint
from core.ladder import climb, next_due, run_due


def escalate(complaint, *, policy=None, now=None, known=None):
    """Climb one complaint's ladder as far as `now`; returns the steps reached.
    `known`: the (step, round) pairs already reached, when the caller read them."""
    now = now or timezone.now()
    policy = policy or clocks.Policy(complaint.community)
    pauses = clocks.pauses_of(complaint)
    if complaint.status not in clocks.OPEN_STATUSES or any(p.ended_at is None for p in pauses):
        return []
    ladder = clocks.rungs(complaint, policy, pauses)
    with transaction.atomic():
        reached = climb(
            complaint,
            ladder,
            now=now,
            round=complaint.round,
            community=complaint.community,
            url=f"/complaints/{complaint.pk}/",
            known={step for step, round_ in known or () if round_ == complaint.round},
        )
        Complaint.objects.filter(pk=complaint.pk, clock_version=complaint.clock_version).update(
            next_escalation_at=next_due(ladder, now)
        )
    return reached


def escalate_due(*, now=None):
    """The beat job. Returns (complaints looked at, steps reached)."""
    now = now or timezone.now()
    due = (
        Complaint.objects.filter(next_escalation_at__lte=now)
        .select_related("community", "owner", "handler")
        .prefetch_related("pauses")
        .order_by("next_escalation_at", "pk")
    )
    return run_due(
        due,
        lambda complaint, policy, at, known: escalate(complaint, policy=policy, now=at, known=known),
        clocks.Policy,
        now=now,
    )
