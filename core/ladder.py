"""Escalation ladders (SPEC §7: "near the deadline warn the owner; overdue,
escalate to the supervisor, then the manager").

An app describes, for one record, the rungs it owes and when each falls due; the
ladder climbs every rung whose time has come, exactly once per rung and round,
however often, concurrently or late the job runs: `claim` inserts the unique
`EscalationStep` row first and only the inserter raises the reminders. A job that
was down for six hours therefore sends one reminder per step, not one per missed
run. Complaints use it; work orders will too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from core.models import EscalationStep
from core.selectors import staff_with_role
from core.services import raise_reminders


class StaffByRole:
    """A community's staff per role, read once per job run (a ladder's recipients
    for hundreds of records at a time)."""

    def __init__(self, community):
        self.community = community
        self._people = {}

    def __call__(self, role):
        if role not in self._people:
            self._people[role] = staff_with_role(self.community, role)
        return list(self._people[role])


@dataclass(frozen=True)
class Rung:
    step: str
    due_at: object  # aware datetime, or None while the clock behind it is paused or stopped
    recipients: Callable  # () -> people; called only when the rung is climbed
    text: str
    kind: str


def claim(about, step, *, round=1, due_at):
    """Record that `about` reached `step` in `round`; False when it already had."""
    try:
        with transaction.atomic():
            EscalationStep.objects.create(
                content_type=ContentType.objects.get_for_model(about),
                object_id=str(about.pk),
                step=step,
                round=round,
                due_at=due_at,
            )
    except IntegrityError:
        return False
    return True


def climb(about, rungs, *, now, round=1, community=None, url="", known=frozenset()):
    """Climb every rung due by `now`. Returns the steps this call reached (the
    others were reached before, or by a concurrent run). `known`: steps of this
    round already on record (read for a whole batch at once), not tried again."""
    reached = []
    for rung in rungs:
        if rung.due_at is None or rung.due_at > now or rung.step in known:
            continue
        if not claim(about, rung.step, round=round, due_at=rung.due_at):
            continue
        raise_reminders(
            recipients=rung.recipients(),
            key=f"ladder:{about._meta.label_lower}:{about.pk}:{rung.step}:{round}",
            kind=rung.kind,
            text=rung.text,
            about=about,
            community=community,
            url=url,
            due_at=rung.due_at,
        )
        reached.append(rung.step)
    return reached


def next_due(rungs, now):
    """The earliest rung still ahead of `now` (None: nothing left to climb)."""
    ahead = [rung.due_at for rung in rungs if rung.due_at is not None and rung.due_at > now]
    return min(ahead, default=None)


def steps_reached(about):
    """The steps `about` has reached, oldest first (for its timeline)."""
    return EscalationStep.objects.filter(
        content_type=ContentType.objects.get_for_model(about), object_id=str(about.pk)
    ).order_by("reached_at", "pk")


def known_steps(records):
    """{record pk: {(step, round)}} of the steps `records` have reached: one query."""
    if not records:
        return {}
    rows = EscalationStep.objects.filter(
        content_type=ContentType.objects.get_for_model(records[0]), object_id__in=[str(r.pk) for r in records]
    ).values_list("object_id", "step", "round")
    known = {}
    for object_id, step, round_ in rows:
        known.setdefault(object_id, set()).add((step, round_))
    return known


def run_due(due, escalate_one, policy_for, *, now, batch=500, max_batches=20):
    """The beat job's loop: `due` is the indexed queryset of records whose next
    rung has come (ordered); each is climbed by `escalate_one(record, policy, now,
    known)` with its community's policy, loaded once, and the steps it already
    reached, read once per batch. At most `max_batches` × `batch` per run: a
    catch-up after a long outage finishes in the next runs. Returns (records
    looked at, steps reached)."""
    policies, seen, steps, done = {}, 0, 0, set()
    for _ in range(max_batches):
        rows = list(due.exclude(pk__in=done)[:batch])
        known = known_steps(rows)
        for record in rows:
            policy = policies.get(record.community_id)
            if policy is None:
                policy = policies[record.community_id] = policy_for(record.community)
            steps += len(escalate_one(record, policy, now, known.get(str(record.pk), set())))
            done.add(record.pk)
        seen += len(rows)
        if len(rows) < batch:
            break
    return seen, steps


def timeline(events, about, labels):
    """A record's events and the ladder steps it reached, in time order, for its
    page: [{"kind": "event" | "step", "item": …}]; a step gets its `label`."""
    steps = list(steps_reached(about))
    for step in steps:
        step.label = labels.get(step.step, step.step)
    rows = [("event", e.at, e) for e in events] + [("step", s.reached_at, s) for s in steps]
    return [{"kind": kind, "item": item} for kind, _, item in sorted(rows, key=lambda row: row[1])]
