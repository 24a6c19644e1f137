"""受理: registering a work order, idempotently, and round-robin dispatch."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.choices import Role
from core.models import Department, Membership
from core.services import next_number, raise_reminders
from repairs import clocks, rules
from repairs.choices import (
    Action,
    DispatchMode,
    Source,
    Urgency,
    urgency_of,
)
from repairs.models import (
    RepairSettings,
    WorkOrder,
)
from repairs.services.base import (
    LATE_ENTRY_DAYS,
    MAX_PHOTOS,
    NUMBER_TEMPLATE,
    _allow,
    _event,
    _is_repeat,
    _url,
    report_month_of,
)

# ---------------------------------------------------------------- intake


class _AlreadyReceived(Exception):
    def __init__(self, pk):
        self.pk = pk


def receive_order(*, intake_key=None, **fields):
    """Register a work order (see `_receive`). The intake form's one-time key makes
    a double tap or a retried POST return the order the first one created
    (`duplicate` set); the number it would have taken is given back."""
    if intake_key is not None:
        existing = WorkOrder.objects.filter(intake_key=intake_key).first()
        if existing is not None:
            existing.duplicate = True
            return existing
    try:
        order = _receive(intake_key=intake_key, **fields)
    except _AlreadyReceived as again:
        order = WorkOrder.objects.get(pk=again.pk)
        order.duplicate = True
        return order
    order.duplicate = False
    return order


@transaction.atomic
def _receive(
    *,
    community,
    actor,
    source,
    description,
    category=None,
    conditions=(),
    quick=False,
    house=None,
    public_area=None,
    location="",
    reporter=None,
    reporter_name="",
    contact="",
    appointment_at=None,
    received_at=None,
    photos=(),
    follow_up=None,
    complaint=None,
    rework_of=None,
    intake_key=None,
):
    """受理 (SPEC §5): the receiver owns the order until it is closed (首问 [001
    L174]). The urgency is the highest class the ticked conditions give; 紧急 may
    be saved with the place and one line (`quick`) and completed afterwards
    (补办手续 [001 L490]). Dispatch follows the category's mode (紧急: always
    assigned); round-robin picks the next technician at once."""
    from visits.services import convert_follow_up

    now = timezone.now()
    received_at = received_at or now
    _allow(actor.has_role(community, *rules.RECEIVERS), "您不是本小区员工，不能受理报修。")
    conditions = list(dict.fromkeys(conditions))
    urgency = Urgency.EMERGENCY if quick else urgency_of(conditions)
    errors = {}
    if received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在。"
    elif received_at < now - dt.timedelta(days=LATE_ENTRY_DAYS):
        errors["received_at"] = f"受理时间不能早于 {LATE_ENTRY_DAYS} 天前。"
    if source not in Source.values:
        errors["source"] = "请选择报修来源。"
    if not description.strip():
        errors["description"] = "请填写维修内容。"
    if category is None and not quick:
        errors["category"] = "请选择报修类别。"
    if category is not None and category.community_id != community.pk:
        errors["category"] = "类别不属于本小区。"
    if house is not None and house.community_id != community.pk:
        errors["house"] = "房屋不属于本小区。"
    if public_area is not None and public_area.community_id != community.pk:
        errors["public_area"] = "公共区域不属于本小区。"
    if house is not None and public_area is not None:
        errors["public_area"] = "房屋和公共区域只能选一个。"
    if house is None and public_area is None and not location.strip():
        errors["house"] = "请选择房屋或公共区域，或填写具体位置。"
    if reporter is not None and (house is None or not house.residencies.filter(person=reporter).exists()):
        errors["reporter"] = "报修人不是该房屋的住户。"
    if appointment_at is not None and appointment_at < received_at:
        errors["appointment_at"] = "约定上门时间不能早于受理时间。"
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"照片最多 {MAX_PHOTOS} 张。"
    if follow_up is not None and follow_up.community_id != community.pk:
        errors["follow_up"] = "跟进事项不属于本小区。"
    if complaint is not None and complaint.community_id != community.pk:
        errors["complaint"] = "投诉不属于本小区。"
    if errors:
        raise ValidationError(errors)

    policy = clocks.Policy(community)
    settings_row = policy.settings
    number = next_number(
        community=community,
        kind="work_order",
        prefix="WX",
        year=timezone.localdate(received_at).year,
        template=NUMBER_TEMPLATE,
    )
    if intake_key is not None:
        # The counter row lock serialises intakes of one community: a concurrent
        # submission of the same form has committed by now.
        earlier = WorkOrder.objects.filter(intake_key=intake_key).values_list("pk", flat=True).first()
        if earlier is not None:
            raise _AlreadyReceived(earlier)
    kind = category.department_kind if category else "engineering"
    department = Department.objects.filter(community=community, kind=kind).select_related("head").first()
    mode = DispatchMode.ASSIGN
    if urgency != Urgency.EMERGENCY:
        mode = (category.dispatch_mode if category else "") or settings_row.dispatch_mode
    if reporter is not None and not reporter_name:
        reporter_name = reporter.name
    order = WorkOrder(
        community=community,
        intake_key=intake_key,
        number=number,
        source=source,
        category=category,
        urgency=urgency,
        conditions=conditions,
        house=house,
        public_area=public_area,
        location=location.strip(),
        reporter=reporter,
        reporter_name=reporter_name.strip(),
        contact="" if reporter is not None else contact.strip(),
        description=description.strip(),
        appointment_at=appointment_at,
        received_at=received_at,
        received_by=actor,
        owner=actor,
        report_month=report_month_of(received_at, settings_row.report_tail_days),
        dispatch_mode=mode,
        department=department,
        rework_of=rework_of,
        is_repeat=rework_of is not None
        or _is_repeat(community, house, category, received_at, settings_row.repeat_days),
        follow_up=follow_up,
        complaint=complaint,
        paperwork_pending=quick,
        dispatch_allowance=policy.dispatch_allowance,
        arrival_allowance=policy.arrival_allowance(urgency, received_at, appointment_at),
        completion_allowance=policy.completion_allowance(urgency),
    )
    order._history_user = actor
    order.save()
    note = f"来源：{order.get_source_display()}；{order.get_urgency_display()}"
    if rework_of is not None:
        note += f"；返工原单 {rework_of.number}"
    if quick:
        note += "；紧急先行处理，手续待补办"
    _event(order, Action.RECEIVED, actor=actor, note=note, at=received_at, photos=photos)
    if follow_up is not None:
        try:
            convert_follow_up(follow_up, actor=actor, target=order)
        except ValidationError as error:
            raise ValidationError({"follow_up": error.messages}) from None
    clocks.refresh(order, policy=policy)
    if urgency == Urgency.EMERGENCY:
        raise_reminders(
            recipients=clocks.dispatchers(community, order),
            kind="repairs.emergency",
            key=f"work-order:{order.pk}:emergency",
            text=f"紧急报修，请立即派人赶赴现场：{order.number} {order.place} {order.description[:40]}",
            about=order,
            community=community,
            url=_url(order),
        )
    elif mode == DispatchMode.ROUND_ROBIN:
        technician = next_technician(community, department)
        if technician is not None:
            from repairs.services.work import dispatch

            order = dispatch(order, actor=actor, technician=technician, note="轮派", check=False, now=now)
    elif mode == DispatchMode.GRAB:
        pool = [m.user for m in _technicians(community, department).select_related("user")]
        raise_reminders(
            recipients=pool,
            kind="repairs.pool",
            key=f"work-order:{order.pk}:pool",
            text=f"新工单可抢：{order.number} {order.place} {order.description[:40]}",
            about=order,
            community=community,
            url=_url(order),
        )
    from repairs.escalation import escalate

    escalate(order, policy=policy, now=now)
    return order


def _technicians(community, department):
    members = Membership.objects.filter(
        community=community, role=Role.TECHNICIAN, is_active=True, on_shift=True, user__is_active=True
    )
    if department is not None and members.filter(department=department).exists():
        members = members.filter(department=department)
    return members.order_by("user_id")


def next_technician(community, department):
    """轮派: the next on-duty technician of the department after the last one
    given an order (the settings row is locked, so concurrent intakes take turns)."""
    RepairSettings.objects.get_or_create(community=community)
    row = RepairSettings.objects.select_for_update().get(community=community)
    ids = list(_technicians(community, department).values_list("user_id", flat=True))
    if not ids:
        return None
    key = str(department.pk if department else 0)
    last = row.round_robin_last.get(key)
    chosen = next((pk for pk in ids if last is None or pk > last), ids[0])
    row.round_robin_last = {**row.round_robin_last, key: chosen}
    row.save(update_fields=["round_robin_last"])
    from core.models import User

    return User.objects.get(pk=chosen)
