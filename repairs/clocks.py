"""A work order's three clocks and its escalation ladder (issue 9 §3, SPEC §5, §7).

*Dispatch*: receipt → 派工, 5 minutes for every order [001 L110]. *Arrival*:
receipt → 到场, 15 min for 紧急, 30 min for 急修, the appointment time for 一般
(else a default). *Completion* (回单): receipt → 完工, 2 days for 一般. All stand
still while the order is paused (waiting on the owner or on materials) and count
calendar hours. The arithmetic is `core.deadlines.PausableClock`; this module says
which clock is which, what the ladder is, and `refresh` is the one writer of the
`*_due_at` columns and `next_escalation_at`.

The ladder (`core.ladder`, each step once per order): grab pool unclaimed after
3 min → dispatchers; not dispatched at 5 min → dispatchers; for arrival and for
completion: 75 % → the technician, the deadline → the 工程部 head, 24 h later →
the manager; day 3 without completion or 购物单 → the 工程部 head [001 L478].
"""

import datetime as dt

from django.db.models import F

from core.choices import Role
from core.deadlines import PausableClock, Pause
from core.ladder import Rung, StaffByRole, steps_reached
from core.selectors import staff_with_role
from repairs.choices import WORKING_STATUSES, DispatchMode, Step, Urgency
from repairs.models import RepairSettings, WorkOrder

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


class Policy:
    """A community's repair settings, loaded once per computation."""

    def __init__(self, community):
        self.community = community
        self.settings = RepairSettings.current(community)
        self.staff = StaffByRole(community)

    @property
    def dispatch_allowance(self):
        return self.settings.dispatch_minutes * MINUTE

    def arrival_allowance(self, urgency, received_at, appointment_at=None):
        s = self.settings
        if urgency == Urgency.EMERGENCY:
            return s.emergency_arrival_minutes * MINUTE
        if urgency == Urgency.URGENT:
            return s.urgent_arrival_minutes * MINUTE
        if appointment_at is not None and appointment_at > received_at:
            return appointment_at - received_at
        return s.normal_arrival_hours * HOUR

    def completion_allowance(self, urgency):
        s = self.settings
        hours = {
            Urgency.EMERGENCY: s.emergency_completion_hours,
            Urgency.URGENT: s.urgent_completion_hours,
        }.get(urgency, s.normal_completion_hours)
        return hours * HOUR

    @property
    def warn_fraction(self):
        return self.settings.warn_percent / 100

    @property
    def manager_delay(self):
        return self.settings.manager_after_hours * HOUR


def pauses_of(order):
    rows = getattr(order, "_prefetched_objects_cache", {}).get("pauses")
    if rows is None:
        rows = order.pauses.all()
    return tuple(Pause(p.started_at, p.ended_at) for p in rows)


def dispatch_clock(order, pauses):
    return PausableClock(order.received_at, order.dispatch_allowance, pauses)


def arrival_clock(order, pauses):
    return PausableClock(order.received_at, order.arrival_allowance, pauses)


def completion_clock(order, pauses):
    return PausableClock(order.received_at, order.completion_allowance, pauses)


def dispatchers(community, order=None, policy=None):
    """Who may dispatch (front desk, supervisors, the 工程部 head [001 L470]) — the
    supervisors and the head are told when nobody has."""
    people = policy.staff(Role.SUPERVISOR) if policy else staff_with_role(community, Role.SUPERVISOR)
    head = department_head(order)
    if head is not None and head not in people:
        people.append(head)
    return people


def department_head(order):
    if order is None or order.department_id is None:
        return None
    return order.department.head


def _heads(order, policy):
    head = department_head(order)
    return [head] if head is not None else policy.staff(Role.SUPERVISOR)


def _later(moment, delta):
    return moment + delta if moment is not None else None


def rungs(order, policy, pauses, *, has_purchase=None):
    """The ladder this order owes now."""
    community = order.community
    text = f"{order.number}（{order.get_urgency_display()}，{order.place}）"
    ladder = []
    if order.status not in WORKING_STATUSES:
        return ladder

    def technician():
        return [order.technician] if order.technician_id else []

    def managers():
        return policy.staff(Role.MANAGER)

    if order.dispatched_at is None:
        if order.dispatch_mode == DispatchMode.GRAB:
            ladder.append(
                Rung(
                    Step.GRAB_UNCLAIMED,
                    order.received_at + policy.settings.grab_alert_minutes * MINUTE,
                    lambda: dispatchers(community, order, policy),
                    f"抢单 {policy.settings.grab_alert_minutes} 分钟无人接单，请指派：{text}",
                    "repairs.unclaimed",
                )
            )
        ladder.append(
            Rung(
                Step.DISPATCH_OVERDUE,
                dispatch_clock(order, pauses).due_at(),
                lambda: dispatchers(community, order, policy),
                f"受理已超过 {policy.settings.dispatch_minutes} 分钟仍未派工：{text}",
                "repairs.dispatch_overdue",
            )
        )
    for clock, stopped, warn, overdue, manager, label in (
        (arrival_clock(order, pauses), order.arrived_at, Step.ARRIVAL_WARNING, Step.ARRIVAL_OVERDUE,
         Step.ARRIVAL_MANAGER, "到场"),
        (completion_clock(order, pauses), order.done_at, Step.COMPLETION_WARNING, Step.COMPLETION_OVERDUE,
         Step.COMPLETION_MANAGER, "完工"),
    ):  # fmt: skip
        if stopped is not None:
            continue
        due = clock.due_at()
        if order.technician_id:
            ladder.append(
                Rung(
                    warn,
                    clock.moment_at(policy.warn_fraction),
                    technician,
                    f"{label}时限将到：{text}",
                    "repairs.warning",
                )
            )
        ladder.append(Rung(overdue, due, lambda: _heads(order, policy), f"{label}超时：{text}", "repairs.overdue"))
        ladder.append(
            Rung(
                manager,
                _later(due, policy.manager_delay),
                managers,
                f"{label}超时已 {policy.settings.manager_after_hours} 小时，报经理：{text}",
                "repairs.manager",
            )
        )
    if order.done_at is None:
        if has_purchase is None:
            has_purchase = order.purchases.exists()
        if not has_purchase:
            ladder.append(
                Rung(
                    Step.MATERIALS_CHECK,
                    order.received_at + dt.timedelta(days=policy.settings.materials_days),
                    lambda: _heads(order, policy),
                    f"受理已满 {policy.settings.materials_days} 天仍未完工；"
                    f"如因缺料延误，请填写购物单并告知业主：{text}",
                    "repairs.materials",
                )
            )
    return ladder


def refresh(order, *, policy=None):
    """Recompute the stored deadlines and the next escalation moment, and save them."""
    policy = policy or Policy(order.community)
    pauses = pauses_of(order)
    order.is_paused = any(p.ended_at is None for p in pauses)
    order.dispatch_due_at = dispatch_clock(order, pauses).due_at() if order.dispatched_at is None else None
    order.arrival_due_at = arrival_clock(order, pauses).due_at() if order.arrived_at is None else None
    order.completion_due_at = completion_clock(order, pauses).due_at() if order.done_at is None else None
    if order.status in WORKING_STATUSES:
        reached = set(steps_reached(order).values_list("step", flat=True))
        due = [r.due_at for r in rungs(order, policy, pauses) if r.due_at is not None and r.step not in reached]
        order.next_escalation_at = min(due, default=None)
    else:
        order.next_escalation_at = None
    WorkOrder.objects.filter(pk=order.pk).update(
        dispatch_due_at=order.dispatch_due_at,
        arrival_due_at=order.arrival_due_at,
        completion_due_at=order.completion_due_at,
        next_escalation_at=order.next_escalation_at,
        is_paused=order.is_paused,
        clock_version=F("clock_version") + 1,
    )
    order.clock_version += 1
    return order


def display(order, now):
    """The running clock for list and detail: label, remaining, state, due_at."""
    pauses = pauses_of(order)
    if order.status not in WORKING_STATUSES:
        late = order.completed_late or order.arrived_late or order.dispatched_late
        return {"label": "", "remaining": None, "state": "late" if late else "stopped", "due_at": None}
    if order.dispatched_at is None:
        label, clock = "派工", dispatch_clock(order, pauses)
    elif order.arrived_at is None:
        label, clock = "到场", arrival_clock(order, pauses)
    else:
        label, clock = "完工", completion_clock(order, pauses)
    remaining = clock.remaining(now)
    if clock.is_paused:
        state = "paused"
    elif remaining < dt.timedelta():
        state = "overdue"
    elif clock.elapsed(now) >= clock.allowance * 0.75:
        state = "warning"
    else:
        state = "ok"
    return {"label": label, "remaining": remaining, "state": state, "due_at": clock.due_at()}
