"""The work-order deadline job (SPEC §7; every minute: the dispatch limit is 5).

It reads only orders whose `next_escalation_at` has come (one indexed query, so
its cost follows the due items), climbs each one's ladder (`core.ladder`: each
step once per order, whatever the number of runs or workers) and moves
`next_escalation_at` on with a conditional update on `clock_version`, so a
person's change meanwhile (their `clocks.refresh`) wins.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.ladder import climb, next_due, run_due
from repairs import clocks
from repairs.models import PurchaseRequest, WorkOrder


def escalate(order, *, policy=None, now=None, known=None):
    """Climb one order's ladder as far as `now`; returns the steps reached.
    `known`: the (step, round) pairs already reached, when the caller read them."""
    now = now or timezone.now()
    policy = policy or clocks.Policy(order.community)
    if order.status not in clocks.WORKING_STATUSES:
        return []
    pauses = clocks.pauses_of(order)
    ladder = clocks.rungs(order, policy, pauses, has_purchase=getattr(order, "has_purchase", None))
    with transaction.atomic():
        reached = climb(
            order,
            ladder,
            now=now,
            community=order.community,
            url=f"/repairs/{order.pk}/",
            known={step for step, _ in known or ()},
        )
        WorkOrder.objects.filter(pk=order.pk, clock_version=order.clock_version).update(
            next_escalation_at=next_due(ladder, now)
        )
    return reached


def escalate_due(*, now=None):
    """The beat job. Returns (orders looked at, steps reached)."""
    now = now or timezone.now()
    due = (
        WorkOrder.objects.filter(next_escalation_at__lte=now)
        .select_related("community", "technician", "department__head", "house", "public_area")
        .prefetch_related("pauses")
        .annotate(has_purchase=Exists(PurchaseRequest.objects.filter(order=OuterRef("pk"))))
        .order_by("next_escalation_at", "pk")
    )
    return run_due(
        due,
        lambda order, policy, at, known: escalate(order, policy=policy, now=at, known=known),
        clocks.Policy,
        now=now,
    )
