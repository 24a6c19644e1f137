"""Helpers every work-order service uses: the row lock, the timeline entry, the
checks, the reporting month, the community's categories."""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.choices import Role
from core.models import Membership
from core.selectors import staff_with_role
from core.services import raise_reminders
from core.uploads import save_photo
from repairs import clocks
from repairs.choices import (
    Status,
)
from repairs.models import (
    RepairCategory,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPause,
    WorkOrderPhoto,
)
from repairs.models.setup import DEFAULT_CATEGORIES

NUMBER_TEMPLATE = "{prefix}-{year}-{n:06d}"
MAX_PHOTOS = 9
LATE_ENTRY_DAYS = 30
CLOCK_REMINDERS = ("repairs.warning", "repairs.overdue", "repairs.manager", "repairs.dispatch_overdue")


def _url(order):
    return f"/repairs/{order.pk}/"


def _locked(order):
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("community", "owner", "technician", "department", "house", "category", "public_area")
        .get(pk=order.pk)
    )


def _event(order, action, *, actor, note="", at=None, photos=()):
    event = WorkOrderEvent.objects.create(
        order=order, at=at or timezone.now(), actor=actor, action=action, note=note, status=order.status
    )
    for upload in photos:
        save_photo(WorkOrderPhoto(order=order, event=event), upload)
    return event


def _save(order, actor, *fields):
    order._history_user = actor
    order.save(update_fields=list(fields) if fields else None)


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


def _allow(condition, message="您无权对该工单执行此操作。"):
    if not condition:
        raise PermissionDenied(message)


def report_month_of(received_at, tail_days=2):
    """The statistics month (SPEC §5, [001 L482]): an order received in a month's
    last `tail_days` days counts in the next month."""
    day = timezone.localdate(received_at)
    last = calendar.monthrange(day.year, day.month)[1]
    first = day.replace(day=1)
    if day.day > last - tail_days:
        return (first + dt.timedelta(days=32)).replace(day=1)
    return first


def categories_for(community):
    """The community's categories, the ten defaults created on first use."""
    rows = list(RepairCategory.objects.filter(community=community))
    if not rows:
        RepairCategory.objects.bulk_create(
            [
                RepairCategory(community=community, name=name, department_kind=kind, return_kind=ret, sort=i)
                for i, (name, kind, ret) in enumerate(DEFAULT_CATEGORIES)
            ],
            ignore_conflicts=True,
        )
        rows = list(RepairCategory.objects.filter(community=community))
    return rows


def _technician_ok(user, community):
    return Membership.objects.filter(user=user, community=community, role=Role.TECHNICIAN, is_active=True).exists()


def _is_repeat(community, house, category, received_at, days):
    if house is None or category is None:
        return False
    return (
        WorkOrder.objects.filter(
            community=community,
            house=house,
            category=category,
            received_at__gte=received_at - dt.timedelta(days=days),
            received_at__lt=received_at,
        )
        .exclude(status=Status.VOID)
        .exists()
    )


def _end_open_pause(order, actor, now):
    ended = WorkOrderPause.objects.filter(order=order, ended_at__isnull=True).update(ended_at=now, ended_by=actor)
    if ended:
        order.is_paused = False
        if hasattr(order, "_prefetched_objects_cache"):
            order._prefetched_objects_cache.pop("pauses", None)
    return ended


def _tell_head(order, kind, text, now, due_at=None, extra=()):
    head = clocks.department_head(order)
    people = [head] if head is not None else staff_with_role(order.community, Role.SUPERVISOR)
    raise_reminders(
        recipients=list(dict.fromkeys([*people, *extra])),
        kind=kind,
        key=f"work-order:{order.pk}:{kind}:{now.isoformat()}",
        text=text,
        about=order,
        community=order.community,
        url=_url(order),
        due_at=due_at,
    )
