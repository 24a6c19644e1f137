"""The complaint's two deadline clocks and its escalation ladder (SPEC §4, §7).

*Answer clock*: receipt → 已回复, 24 h for an urgent matter, 48 h for an ordinary
one (per community and category). *Resolution clock*: receipt (or the reopening)
→ 已办结, due at the completion time promised with the answer, else a default per
category. Both stand still while the matter is paused (挂起) and, in a community
that counts working days, on non-working days. The arithmetic is
`core.deadlines.PausableClock`; this module only says which clock is which.

`refresh` is the one writer of the `*_due_at` columns and `next_escalation_at`;
every service that changes what a clock depends on calls it.
"""

import datetime as dt

from django.db.models import F

from complaints.choices import OPEN_STATUSES, ClockMode, Step, Urgency
from complaints.models import CategoryRule, Complaint, ComplaintSettings
from core.choices import Role
from core.deadlines import PausableClock, Pause
from core.ladder import Rung, StaffByRole, steps_reached
from core.workdays import WorkingCalendar

HOUR = dt.timedelta(hours=1)


class Policy:
    """A community's settings and category rules, loaded once per computation."""

    def __init__(self, community, *, calendar=None):
        self.community = community
        self.settings = ComplaintSettings.current(community)
        self.rules = {rule.category: rule for rule in CategoryRule.objects.filter(community=community)}
        self.staff = StaffByRole(community)
        self.calendar = None
        if self.settings.clock_mode == ClockMode.WORKING:
            self.calendar = calendar or WorkingCalendar()

    def _hours(self, category, field):
        rule = self.rules.get(category)
        value = getattr(rule, field, None) if rule else None
        return value if value is not None else getattr(self.settings, field)

    def answer_allowance(self, category, urgency):
        field = "urgent_answer_hours" if urgency == Urgency.URGENT else "normal_answer_hours"
        return self._hours(category, field) * HOUR

    def resolution_allowance(self, category):
        return self._hours(category, "resolution_hours") * HOUR

    @property
    def warn_fraction(self):
        return self.settings.warn_percent / 100

    @property
    def manager_allowance(self):
        return self.settings.manager_hours * HOUR


def pauses_of(complaint):
    rows = getattr(complaint, "_prefetched_objects_cache", {}).get("pauses")
    if rows is None:
        rows = complaint.pauses.all()
    return tuple(Pause(p.started_at, p.ended_at) for p in rows)


def answer_clock(complaint, policy, pauses):
    return PausableClock(complaint.received_at, complaint.answer_allowance, pauses, policy.calendar)


def resolution_clock(complaint, policy, pauses):
    return PausableClock(complaint.resolution_started_at, complaint.resolution_allowance, pauses, policy.calendar)


def manager_clock(complaint, policy, pauses):
    return PausableClock(complaint.resolution_started_at, policy.manager_allowance, pauses, policy.calendar)


def rungs(complaint, policy, pauses):
    """The ladder this complaint owes in its current round."""
    text = f"{complaint.number}（{complaint.get_category_display()}，{complaint.place or complaint.reporter_name}）"

    def supervisors():
        return policy.staff(Role.SUPERVISOR)

    def managers():
        return policy.staff(Role.MANAGER)

    def workers():
        people = [complaint.owner]
        if complaint.handler_id and complaint.handler_id != complaint.owner_id:
            people.append(complaint.handler)
        return people

    ladder = []
    if complaint.round == 1:
        ladder.append(
            Rung(
                Step.REPORTED,
                complaint.received_at,
                supervisors,
                f"新{complaint.get_kind_display()}：{text}",
                "complaints.reported",
            )
        )
    if complaint.answered_at is None:
        clock = answer_clock(complaint, policy, pauses)
        ladder += [
            Rung(
                Step.ANSWER_WARNING,
                clock.moment_at(policy.warn_fraction),
                workers,
                f"答复期限将到，请尽快给出解决方案并答复业主：{text}",
                "complaints.warning",
            ),
            Rung(
                Step.ANSWER_OVERDUE, clock.due_at(), supervisors, f"超过答复时限仍未答复：{text}", "complaints.overdue"
            ),
        ]
    if complaint.resolved_at is None:
        clock = resolution_clock(complaint, policy, pauses)
        ladder += [
            Rung(
                Step.RESOLUTION_WARNING,
                clock.moment_at(policy.warn_fraction),
                workers,
                f"办结期限将到：{text}",
                "complaints.warning",
            ),
            Rung(
                Step.RESOLUTION_OVERDUE,
                clock.due_at(),
                supervisors,
                f"超过办结期限仍未办结：{text}",
                "complaints.overdue",
            ),
            Rung(
                Step.MANAGER,
                manager_clock(complaint, policy, pauses).due_at(),
                managers,
                f"受理 {policy.settings.manager_hours} 小时仍未解决，报经理：{text}",
                "complaints.manager",
            ),
        ]
    return ladder


def refresh(complaint, *, policy=None):
    """Recompute the stored deadlines and the next escalation moment, and save them."""
    policy = policy or Policy(complaint.community)
    pauses = pauses_of(complaint)
    complaint.is_paused = any(p.ended_at is None for p in pauses)
    if complaint.answered_at is None:
        complaint.answer_due_at = answer_clock(complaint, policy, pauses).due_at()
    if complaint.resolved_at is None:
        complaint.resolution_due_at = resolution_clock(complaint, policy, pauses).due_at()
    if complaint.status in OPEN_STATUSES and not complaint.is_paused:
        # A rung already due stays "next" until the ladder has climbed it.
        reached = set(steps_reached(complaint).filter(round=complaint.round).values_list("step", flat=True))
        due = [r.due_at for r in rungs(complaint, policy, pauses) if r.due_at is not None and r.step not in reached]
        complaint.next_escalation_at = min(due, default=None)
    else:
        complaint.next_escalation_at = None
    Complaint.objects.filter(pk=complaint.pk).update(
        answer_due_at=complaint.answer_due_at,
        resolution_due_at=complaint.resolution_due_at,
        next_escalation_at=complaint.next_escalation_at,
        is_paused=complaint.is_paused,
        clock_version=F("clock_version") + 1,
    )
    complaint.clock_version += 1
    return complaint


def display(complaint, policy, now):
    """What the list and detail pages show: the running clock, time left, a colour.

    Returns a dict: label (答复/办结), remaining (timedelta or None), state
    (overdue / warning / ok / paused / stopped), due_at.
    """
    pauses = pauses_of(complaint)
    if complaint.status not in OPEN_STATUSES:
        late = complaint.resolved_late or complaint.answered_late
        return {"label": "", "remaining": None, "state": "late" if late else "stopped", "due_at": None}
    if complaint.answered_at is None:
        label, clock = "答复", answer_clock(complaint, policy, pauses)
    else:
        label, clock = "办结", resolution_clock(complaint, policy, pauses)
    remaining = clock.remaining(now)
    if clock.is_paused:
        state = "paused"
    elif remaining < dt.timedelta():
        state = "overdue"
    elif clock.elapsed(now) >= clock.allowance * policy.warn_fraction:
        state = "warning"
    else:
        state = "ok"
    return {"label": label, "remaining": remaining, "state": state, "due_at": clock.due_at()}


def is_answer_late(complaint, policy, at):
    return answer_clock(complaint, policy, pauses_of(complaint)).is_overdue(at)


def is_resolution_late(complaint, policy, at):
    return resolution_clock(complaint, policy, pauses_of(complaint)).is_overdue(at)


def resolution_allowance_until(complaint, policy, promised_at):
    """The resolution allowance that makes the clock run out at `promised_at`
    (the pauses so far count, as the clock would count them)."""
    clock = PausableClock(complaint.resolution_started_at, dt.timedelta(), pauses_of(complaint), policy.calendar)
    return clock.elapsed(promised_at)
