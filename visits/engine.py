"""The return-visit engine (SPEC §2.3).

Other apps raise return visits with one call, e.g. when a complaint is closed:

    engine.raise_return_visit(Trigger.COMPLAINT_CLOSED, house=c.house, source=c, occurred_at=now, joint=c.is_major)

and listen to `return_visit_done` to move their record on (已回访) without the
visits app knowing them. The archive triggers (move-in, three months after
move-in) are found by the hourly job. Every return visit has a unique key, so
raising the same trigger twice — a job run twice, two workers — creates it once.
"""

import datetime as dt
import zlib

import django.dispatch
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.choices import Role
from core.selectors import staff_with_role
from core.services import raise_reminder
from core.workdays import end_of_day
from residents.choices import OCCUPIED_STATES
from residents.models import House
from visits.choices import ReturnVisitStatus, Trigger
from visits.models import ReturnVisit, VisitPolicy

# Sent after a return visit is logged (and, for phone visits, confirmed):
# sender=ReturnVisit, return_visit=…, visit=…
return_visit_done = django.dispatch.Signal()

# A second visit some triggers always bring with them.
FOLLOW_ON = {
    Trigger.URGENT_REPAIR: (Trigger.URGENT_REPAIR_AGAIN, ReturnVisitStatus.DUE),
    Trigger.LEAK_REPAIR: (Trigger.LEAK_REPAIR_RAIN, ReturnVisitStatus.WAITING),
}
# Who must make the visit when it is not the zone's butler.
BY_ROLE = {
    Trigger.COUNTER_QUESTION: Role.SUPERVISOR,  # [001] supervisor or above calls back within 24 h
    Trigger.HOUSEHOLD_INCIDENT: Role.MANAGER,  # [000] manager and department heads visit
    Trigger.SPECIAL_SERVICE_NEW: Role.MANAGER,  # [000] a new kind of special service: the manager
}


def _assignee(house, trigger):
    role = BY_ROLE.get(trigger)
    if role is None and house.butler_id:
        return house.butler
    people = staff_with_role(house.community, role or Role.BUTLER)
    return people[0] if people else None


def _key(trigger, house, source, occurred_at, occasion=None):
    if source is not None:
        content_type = ContentType.objects.get_for_model(source)
        key = f"{trigger}:{content_type.pk}:{source.pk}"
    else:
        day = timezone.localdate(occurred_at) if isinstance(occurred_at, dt.datetime) else occurred_at
        key = f"{trigger}:house:{house.pk}:{day}"
    return f"{key}:{occasion}" if occasion else key


def raise_return_visit(
    trigger, *, house, occurred_at, source=None, note="", joint=False, policy=None, occasion=None, delay=None
):
    """Create the return visit `trigger` owes `house` (and its follow-on), once
    per source and `occasion` (e.g. a complaint's round: resolved again after a
    reopening, it is owed a new visit). `delay` overrides the policy's delay of
    `trigger` (a caller with its own configured delay).

    Returns the new ReturnVisit, or None when it already existed.
    """
    policy = policy or VisitPolicy.for_community(house.community)
    created = _create(trigger, house, occurred_at, source, note, joint, policy, ReturnVisitStatus.DUE, occasion, delay)
    if trigger in FOLLOW_ON:
        follow_trigger, status = FOLLOW_ON[trigger]
        _create(follow_trigger, house, occurred_at, source, note, joint, policy, status, occasion, None)
    return created


def _create(trigger, house, occurred_at, source, note, joint, policy, status, occasion=None, delay=None):
    delay = delay if delay is not None else policy.return_delay(trigger)
    fields = {
        "community": house.community,
        "house": house,
        "trigger": trigger,
        "key": _key(trigger, house, source, occurred_at, occasion),
        "note": note[:200],
        "occurred_at": occurred_at,
        "due_at": occurred_at + delay if status == ReturnVisitStatus.DUE else None,
        "assignee": _assignee(house, trigger),
        "joint": joint,
        "by_manager": BY_ROLE.get(trigger) == Role.MANAGER,
        "status": status,
    }
    if source is not None:
        fields["source_type"] = ContentType.objects.get_for_model(source)
        fields["source_id"] = str(source.pk)
    try:
        with transaction.atomic():
            return ReturnVisit.objects.create(**fields)
    except IntegrityError:
        return None


def record_rainy_day(*, community, date, actor):
    """A person records a rainy day: leak repairs finished before it get their
    after-rain return visit, due the configured time after that day."""
    from visits.models import RainyDay

    RainyDay.objects.get_or_create(community=community, date=date, defaults={"recorded_by": actor})
    policy = VisitPolicy.for_community(community)
    due = end_of_day(date) + policy.return_delay(Trigger.LEAK_REPAIR_RAIN)
    waiting = ReturnVisit.objects.filter(
        community=community,
        trigger=Trigger.LEAK_REPAIR_RAIN,
        status=ReturnVisitStatus.WAITING,
        occurred_at__lt=end_of_day(date),
    )
    return waiting.update(status=ReturnVisitStatus.DUE, due_at=due)


def _in_sample(house_pk, percent):
    """A stable pseudo-random draw: the same house is always in or out."""
    return zlib.crc32(str(house_pk).encode()) % 100 < percent


def scan_archive_triggers(*, now=None):
    """Hourly: return visits owed because of move-in dates in the archive.

    New owner moved in → visit within 1 month (never later than 3); with a mass
    move-in (more than the threshold in one month) a 60 % sample. Three months
    after move-in → phone or door visit. Only move-ins of the last 4 months are
    looked at, so the scan stays small.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = 0
    houses = (
        House.objects.filter(
            move_in_date__isnull=False,
            move_in_date__lte=today,
            move_in_date__gte=today - dt.timedelta(days=123),
            occupancy__in=OCCUPIED_STATES,
        )
        .select_related("community", "butler")
        .order_by("pk")
    )
    policies = {}
    monthly = {}
    for house in houses:
        policy = policies.get(house.community_id) or VisitPolicy.for_community(house.community)
        policies[house.community_id] = policy
        month_key = (house.community_id, house.move_in_date.year, house.move_in_date.month)
        if month_key not in monthly:
            monthly[month_key] = House.objects.filter(
                community_id=house.community_id,
                move_in_date__year=house.move_in_date.year,
                move_in_date__month=house.move_in_date.month,
            ).count()
        moved_in = timezone.make_aware(dt.datetime.combine(house.move_in_date, dt.time(9)))
        mass = monthly[month_key] > policy.mass_move_in_threshold
        if not mass or _in_sample(house.pk, policy.move_in_sample_percent):
            created += bool(raise_return_visit(Trigger.MOVE_IN, house=house, occurred_at=moved_in, policy=policy))
        three_months = house.move_in_date + dt.timedelta(days=92)
        if three_months - dt.timedelta(days=7) <= today:
            created += bool(raise_return_visit(Trigger.MOVE_IN_3M, house=house, occurred_at=moved_in, policy=policy))
    return created


def remind_return_visits(*, now=None):
    """Hourly: remind each assignee once a day of return visits due today or overdue."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = ReturnVisit.objects.filter(status=ReturnVisitStatus.DUE, due_at__lte=end_of_day(today)).select_related(
        "house", "assignee", "community"
    )
    raised = 0
    for rv in due:
        if rv.assignee is None:
            continue
        overdue = rv.due_at < now
        text = f"{'已逾期' if overdue else '今日到期'}回访：{rv.house.number} · {rv.get_trigger_display()}"
        if rv.joint:
            text += "（重大投诉，需经理、大管家、部门主管与管家联合回访）"
        raised += bool(
            raise_reminder(
                recipient=rv.assignee,
                kind="visits.return_visit_due",
                key=f"return-visit:{rv.pk}:{today.isoformat()}",
                text=text,
                about=rv,
                community=rv.community,
                due_at=rv.due_at,
                url=f"/visits/log/?house={rv.house_id}&return_visit={rv.pk}",
            )
        )
    return raised


def complete_return_visit(return_visit, visit):
    """Mark the return visit done by `visit` and tell whoever raised it."""
    updated = ReturnVisit.objects.filter(pk=return_visit.pk, status=ReturnVisitStatus.DUE).update(
        status=ReturnVisitStatus.DONE, done_at=visit.started_at
    )
    if updated:
        return_visit.refresh_from_db()
        transaction.on_commit(
            lambda: return_visit_done.send(sender=ReturnVisit, return_visit=return_visit, visit=visit)
        )
    return bool(updated)
