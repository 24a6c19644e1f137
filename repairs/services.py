"""Everything that changes a work order (STYLE: services own the rules).

Each service runs in one transaction, locks the order row, checks who may act
and in which status, writes a timeline entry and lets `clocks.refresh` recompute
the deadlines. Numbers come from the one `core` allocator.
"""

import calendar
import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.choices import Role
from core.models import Department, Membership
from core.money import line_amount, to_fen
from core.selectors import staff_with_role
from core.services import close_reminders, next_number, raise_reminder, raise_reminders
from core.uploads import save_photo
from repairs import clocks, rules
from repairs.choices import (
    FINAL_STATUSES,
    WORKING_STATUSES,
    Action,
    DispatchMode,
    PauseReason,
    PriceListStatus,
    Rating,
    ReturnKind,
    Signature,
    Source,
    Status,
    Urgency,
    urgency_of,
)
from repairs.models import (
    Charge,
    PriceItem,
    PurchaseItem,
    PurchaseRequest,
    QuoteLine,
    RepairCategory,
    RepairSettings,
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
    members = Membership.objects.filter(community=community, role=Role.TECHNICIAN, is_active=True, user__is_active=True)
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


# ---------------------------------------------------------------- dispatch


def _mark_dispatched(order, now):
    if order.dispatched_at is None:
        order.dispatched_at = now
        order.dispatched_late = clocks.dispatch_clock(order, clocks.pauses_of(order)).is_overdue(now)


@transaction.atomic
def dispatch(order, *, actor, technician, note="", check=True, now=None):
    """派工: a dispatcher picks the technician (or changes them before arrival).
    On time when within 5 minutes of receipt [001 L110]."""
    now = now or timezone.now()
    order = _locked(order)
    if check:
        _allow(rules.may_dispatch(actor, order.community), "只有前台、客服主管、经理或工程部负责人可以派工。")
    _require(
        order.status in (Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED),
        f"{order.get_status_display()}的工单不能派工。",
    )
    if technician is None or not _technician_ok(technician, order.community):
        raise ValidationError({"technician": "请选择本小区的维修人员。"})
    previous = order.technician
    _mark_dispatched(order, now)
    order.technician, order.dispatched_by, order.status = technician, actor, Status.DISPATCHED
    order.accepted_at = None
    _save(order, actor)
    text = technician.display_name
    if previous is not None and previous != technician:
        text += f"（原维修人 {previous.display_name}）"
    late = "；派工超时" if order.dispatched_late else ""
    _event(order, Action.DISPATCHED, actor=actor, note=text + late + (f"；{note}" if note else ""), at=now)
    close_reminders(about=order, kind="repairs.dispatch_overdue")
    raise_reminder(
        recipient=technician,
        kind="repairs.dispatched",
        key=f"work-order:{order.pk}:dispatched:{technician.pk}",
        text=f"派工给您：{order.number}（{order.get_urgency_display()}）{order.place} {order.description[:40]}",
        about=order,
        community=order.community,
        url=_url(order),
        due_at=order.arrival_due_at,
    )
    clocks.refresh(order)
    return order


@transaction.atomic
def claim(order, *, actor, now=None):
    """抢单: the first claim wins by a conditional update; the others are told."""
    now = now or timezone.now()
    _allow(rules.in_pool_for(actor, order), "该工单不在您的抢单池中。")
    won = WorkOrder.objects.filter(
        pk=order.pk, status=Status.RECEIVED, technician__isnull=True, dispatch_mode=DispatchMode.GRAB
    ).update(technician=actor, status=Status.ACCEPTED, dispatched_by=actor, accepted_at=now)
    _require(won == 1, "该工单已被其他师傅接单。")
    order = _locked(order)
    _mark_dispatched(order, now)
    _save(order, actor)
    _event(
        order, Action.CLAIMED, actor=actor, note="抢单接单" + ("；派工超时" if order.dispatched_late else ""), at=now
    )
    close_reminders(about=order, kind="repairs.pool")
    close_reminders(about=order, kind="repairs.unclaimed")
    clocks.refresh(order)
    return order


# ---------------------------------------------------------------- on site


@transaction.atomic
def accept(order, *, actor, now=None):
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status == Status.DISPATCHED, "只有已派工的工单可以接单。")
    order.status, order.accepted_at = Status.ACCEPTED, now
    _save(order, actor)
    _event(order, Action.ACCEPTED, actor=actor, at=now)
    close_reminders(about=order, kind="repairs.dispatched")
    return order


@transaction.atomic
def arrive(order, *, actor, entry_agreed=False, now=None):
    """到场 at the server's time. In a home the technician first explains the work
    and the owner agrees to entry [001 L26]."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status in (Status.DISPATCHED, Status.ACCEPTED), "该工单当前不能登记到场。")
    if order.house_id and not entry_agreed:
        raise ValidationError({"entry_agreed": "入户前请向业主说明维修项目和内容，并征得业主同意。"})
    pauses = clocks.pauses_of(order)
    order.status, order.arrived_at = Status.ON_SITE, now
    order.accepted_at = order.accepted_at or now
    order.entry_agreed = bool(entry_agreed)
    order.arrived_late = clocks.arrival_clock(order, pauses).is_overdue(now)
    _save(order, actor)
    _event(order, Action.ARRIVED, actor=actor, note="到场超时" if order.arrived_late else "按时到场", at=now)
    close_reminders(about=order, kind="repairs.dispatched")
    clocks.refresh(order)
    return order


def approved_price_items(community, day=None):
    """Items of the manager-approved price list in force on `day`."""
    day = day or timezone.localdate()
    return (
        PriceItem.objects.filter(
            price_list__community=community,
            price_list__status=PriceListStatus.APPROVED,
            price_list__valid_from__lte=day,
        )
        .exclude(price_list__valid_to__lt=day)
        .select_related("price_list")
        .order_by("-price_list__valid_from", "sort", "pk")
    )


@transaction.atomic
def quote(order, *, actor, lines, now=None):
    """报价 from the 特约服务收费标准 [001 L430]: house orders only (a public area
    never charges); `lines` are (price item, quantity); each amount is rounded
    half-up once, the total is the sum. The owner must agree before work — again
    when a higher quote comes during the work."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.house_id is not None, "公共区域维修不向业主收费，无需报价。")
    _require(order.status in (Status.ON_SITE, Status.QUOTING, Status.IN_PROGRESS), "该工单当前不能报价。")
    allowed = {item.pk: item for item in approved_price_items(order.community, timezone.localdate(now))}
    errors, picked = [], []
    for item, quantity in lines:
        if item is None or item.pk not in allowed:
            errors.append("收费项目不在现行的特约服务收费标准中。")
            continue
        quantity = Decimal(quantity)
        if quantity <= 0:
            errors.append(f"“{item.name}”的数量须大于 0。")
            continue
        picked.append((allowed[item.pk], quantity))
    if not picked and not errors:
        errors.append("请至少填写一项报价。")
    if errors:
        raise ValidationError({"lines": errors})
    order.quote_round += 1
    rows = [
        QuoteLine(
            order=order,
            round=order.quote_round,
            price_item=item,
            name=item.name,
            unit=item.unit,
            unit_price=item.unit_price,
            quantity=quantity,
            amount=line_amount(quantity, item.unit_price),
        )
        for item, quantity in picked
    ]
    QuoteLine.objects.bulk_create(rows)
    order.quote_total = sum((row.amount for row in rows), Decimal("0.00"))
    order.status = Status.QUOTING
    _save(order, actor)
    detail = "；".join(f"{r.name} {r.quantity}{r.unit}×{r.unit_price}={r.amount}" for r in rows)
    _event(order, Action.QUOTED, actor=actor, note=f"报价 ¥{order.quote_total}：{detail}", at=now)
    return order


@transaction.atomic
def agree_quote(order, *, actor, now=None):
    """The owner agreed to the quote on the technician's screen: work may start."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status == Status.QUOTING, "没有待业主确认的报价。")
    order.agreed_total, order.agreed_at, order.status = order.quote_total, now, Status.IN_PROGRESS
    order.started_at = order.started_at or now
    _save(order, actor)
    _event(order, Action.QUOTE_AGREED, actor=actor, note=f"业主同意报价 ¥{order.agreed_total}", at=now)
    return order


@transaction.atomic
def decline_quote(order, *, actor, reason="", now=None):
    """业主不同意报价: the order ends here; nobody works without agreement."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status == Status.QUOTING, "没有待业主确认的报价。")
    order.status, order.closed_at = Status.DECLINED, now
    _save(order, actor)
    _event(order, Action.QUOTE_DECLINED, actor=actor, note=reason.strip(), at=now)
    _end_open_pause(order, actor, now)
    for kind in CLOCK_REMINDERS:
        close_reminders(about=order, kind=kind)
    clocks.refresh(order)
    return order


@transaction.atomic
def start(order, *, actor, now=None):
    """维修中 without a charge (a public area, or free work)."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status == Status.ON_SITE, "只有已到场的工单可以开始维修。")
    order.status, order.started_at = Status.IN_PROGRESS, now
    _save(order, actor)
    _event(order, Action.STARTED, actor=actor, note="无偿维修" if order.house_id else "", at=now)
    return order


def _end_open_pause(order, actor, now):
    ended = WorkOrderPause.objects.filter(order=order, ended_at__isnull=True).update(ended_at=now, ended_by=actor)
    if ended:
        order.is_paused = False
        if hasattr(order, "_prefetched_objects_cache"):
            order._prefetched_objects_cache.pop("pauses", None)
    return ended


@transaction.atomic
def pause(order, *, actor, reason, note, now=None):
    """暂停 while waiting on the owner or on materials, with a reason; the clocks stop."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order) or rules.may_do_site_work(actor, order))
    _require(order.status in WORKING_STATUSES and order.status != Status.RECEIVED, "该工单当前不能暂停。")
    _require(not WorkOrderPause.objects.filter(order=order, ended_at__isnull=True).exists(), "工单已在暂停中。")
    errors = {}
    if reason not in PauseReason.values:
        errors["reason"] = "请选择暂停原因。"
    if not note.strip():
        errors["note"] = "请填写暂停说明。"
    if errors:
        raise ValidationError(errors)
    WorkOrderPause.objects.create(order=order, reason=reason, note=note.strip()[:200], started_at=now, started_by=actor)
    _event(order, Action.PAUSED, actor=actor, note=f"{PauseReason(reason).label}：{note.strip()}", at=now)
    clocks.refresh(order)
    return order


@transaction.atomic
def resume(order, *, actor, now=None):
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order) or rules.may_do_site_work(actor, order))
    _require(_end_open_pause(order, actor, now) == 1, "工单不在暂停中。")
    _event(order, Action.RESUMED, actor=actor, at=now)
    clocks.refresh(order)
    return order


@transaction.atomic
def file_purchase(order, *, actor, items, note="", now=None):
    """购物单 [001 L478]: the 工程部 head reports a materials delay (items,
    quantity, estimate); the order waits on materials (paused) until resumed."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.is_head(actor, order), "只有工程部负责人可以填写购物单。")
    _require(order.status in WORKING_STATUSES, "该工单当前不能填写购物单。")
    rows = [(name.strip(), Decimal(qty), unit.strip(), to_fen(estimate)) for name, qty, unit, estimate in items]
    rows = [row for row in rows if row[0]]
    if not rows:
        raise ValidationError({"items": "请至少填写一项材料。"})
    if any(qty <= 0 or estimate < 0 for _, qty, _, estimate in rows):
        raise ValidationError({"items": "数量须大于 0，预估金额不能为负。"})
    request = PurchaseRequest.objects.create(
        order=order,
        filed_by=actor,
        filed_at=now,
        note=note.strip()[:200],
        estimate_total=sum((row[3] for row in rows), Decimal("0.00")),
    )
    PurchaseItem.objects.bulk_create(
        [PurchaseItem(request=request, name=n, quantity=q, unit=u, estimate=e) for n, q, u, e in rows]
    )
    items_text = "、".join(f"{n}×{q}{u}" for n, q, u, _ in rows)
    _event(order, Action.PURCHASE, actor=actor, note=f"{items_text}，预估 ¥{request.estimate_total}", at=now)
    if not WorkOrderPause.objects.filter(order=order, ended_at__isnull=True).exists():
        WorkOrderPause.objects.create(
            order=order,
            reason=PauseReason.MATERIALS,
            note=f"待料：{items_text}"[:200],
            started_at=now,
            started_by=actor,
        )
        _event(order, Action.PAUSED, actor=actor, note=f"待料：{items_text}", at=now)
    close_reminders(about=order, kind="repairs.materials")
    clocks.refresh(order)
    return request


@transaction.atomic
def notify_owner(order, *, actor, note, now=None):
    """Record that the owner was told (a materials delay [001 L474], a returned
    order [001 L480], a vacant house's problem [003 L497–499])."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order))
    if not note.strip():
        raise ValidationError({"note": "请填写通知业主的方式和内容。"})
    order.owner_notified_at = now
    _save(order, actor, "owner_notified_at")
    _event(order, Action.OWNER_NOTIFIED, actor=actor, note=note.strip(), at=now)
    close_reminders(about=order, kind="repairs.returned")
    return order


@transaction.atomic
def complete(order, *, actor, result, final_amount=None, photos=(), signature="", signature_png=None, rating="",
             rating_note="", now=None):  # fmt: skip
    """完工 (回单) with photos. The amount follows the agreed quote; a higher one
    needs the owner's agreement again [001 L430]. With the owner's signature on
    screen (or their refusal) the order is 已验收 at once; an owner who is not
    there signs later (`confirm`). The return visits are raised now."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_do_site_work(actor, order))
    _require(order.status == Status.IN_PROGRESS, "只有维修中的工单可以完工。")
    errors = {}
    if not result.strip():
        errors["result"] = "请填写维修结果。"
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"照片最多 {MAX_PHOTOS} 张。"
    amount = None
    if order.agreed_total is not None:
        amount = to_fen(final_amount) if final_amount not in (None, "") else order.agreed_total
        if amount > order.agreed_total:
            errors["final_amount"] = f"金额超过业主确认的报价 ¥{order.agreed_total}，请重新报价并经业主同意。"
        elif amount < 0:
            errors["final_amount"] = "金额不能为负。"
    elif final_amount not in (None, "") and to_fen(final_amount) != 0:
        errors["final_amount"] = "未经业主确认报价，不能收费。"
    if errors:
        raise ValidationError(errors)
    _end_open_pause(order, actor, now)
    pauses = clocks.pauses_of(order)
    order.status, order.done_at, order.result, order.final_amount = Status.DONE, now, result.strip(), amount
    order.completed_late = clocks.completion_clock(order, pauses).is_overdue(now)
    _save(order, actor)
    _event(order, Action.DONE, actor=actor, note=result.strip() + ("；完工超时" if order.completed_late else ""),
           at=now, photos=photos)  # fmt: skip
    for kind in (*CLOCK_REMINDERS, "repairs.materials"):
        close_reminders(about=order, kind=kind)
    clocks.refresh(order)
    _raise_return_visits(order, now)
    if signature in (Signature.SIGNED, Signature.REFUSED):
        order = _confirm(order, actor, signature, signature_png, rating, rating_note, now)
    return order


def _confirm(order, actor, signature, signature_png, rating, rating_note, now):
    errors = {}
    if signature not in (Signature.SIGNED, Signature.REFUSED):
        errors["signature"] = "请选择业主签字情况。"
    if signature == Signature.SIGNED and not signature_png:
        errors["signature"] = "请业主在屏幕上签字。"
    if rating and rating not in Rating.values:
        errors["rating"] = "请选择评价。"
    if errors:
        raise ValidationError(errors)
    order.signature, order.rating, order.rating_note = signature, rating, rating_note.strip()[:200]
    order.confirmed_at, order.status = now, Status.CONFIRMED
    if signature_png:
        order.signature_file.save(f"{order.number}.png", ContentFile(signature_png), save=False)
    _save(order, actor)
    label = Signature(signature).label + (f"；评价：{Rating(rating).label}" if rating else "")
    _event(order, Action.CONFIRMED, actor=actor, note=label + (f"（{rating_note}）" if rating_note else ""), at=now)
    if signature == Signature.SIGNED and order.house_id and order.final_amount:
        Charge.objects.get_or_create(
            order=order,
            defaults={
                "community": order.community,
                "house": order.house,
                "amount": order.final_amount,
                "signed_at": now,
                "report_month": order.report_month,
            },
        )
    if rating == Rating.DISSATISFIED:
        _tell_head(order, "repairs.dissatisfied", f"业主验收不满意：{order.number}（{rating_note or '未说明'}）", now)
    return order


@transaction.atomic
def confirm(order, *, actor, signature, signature_png=None, rating="", rating_note="", now=None):
    """已验收: the owner signs on screen and rates — or refuses to sign (never forced)."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order) or rules.may_do_site_work(actor, order))
    _require(order.status == Status.DONE, "只有已完工的工单可以验收。")
    return _confirm(order, actor, signature, signature_png, rating, rating_note, now)


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


def return_visit_plan(order):
    """(trigger, delay override) of the return visit a finished house order owes
    (SPEC §2.3, [001 L364, L476], [000 L277–279]); None for a public area."""
    from visits.choices import Trigger

    if order.house_id is None:
        return None
    settings_row = RepairSettings.current(order.community)
    if order.urgency in (Urgency.EMERGENCY, Urgency.URGENT):
        return Trigger.URGENT_REPAIR, None
    kind = order.category.return_kind if order.category_id else ReturnKind.OTHER
    if kind == ReturnKind.LEAK:
        return Trigger.LEAK_REPAIR, None
    if kind == ReturnKind.SAFETY:
        return Trigger.OTHER_REPAIR, dt.timedelta(hours=settings_row.safety_return_hours)
    if kind == ReturnKind.PLUMBING:
        return Trigger.OTHER_REPAIR, dt.timedelta(hours=settings_row.plumbing_return_hours)
    return Trigger.OTHER_REPAIR, None


def _raise_return_visits(order, now):
    from visits import engine

    plan = return_visit_plan(order)
    if plan is None:
        return
    trigger, delay = plan
    raised = engine.raise_return_visit(
        trigger,
        house=order.house,
        occurred_at=now,
        source=order,
        note=f"{order.number} {order.description[:60]}",
        delay=delay,
    )
    if raised is not None:
        due = timezone.localtime(raised.due_at).strftime("%Y-%m-%d %H:%M")
        _event(order, Action.RETURN_VISIT_RAISED, actor=None, note=f"回访人：{raised.assignee.display_name}，{due} 前")


def on_return_visit_done(sender, return_visit, visit, **kwargs):
    """The visits engine reports a logged return visit of this app's order: the
    order is 已回访; a problem (不满意) opens a linked rework order, tells the
    technician in writing within 24 h [001 L364] and goes to the 工程部 head."""
    from visits.choices import Satisfaction

    if return_visit.source_type_id != ContentType.objects.get_for_model(WorkOrder).pk:
        return
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().filter(pk=return_visit.source_id).first()
        if order is None or order.status not in (Status.DONE, Status.CONFIRMED, Status.VISITED):
            return
        order = _locked(order)
        label = dict(Satisfaction.choices).get(visit.satisfaction, "未记录")
        if order.status != Status.VISITED:
            order.status, order.return_visited_at = Status.VISITED, visit.started_at
        order.return_satisfaction = visit.satisfaction or ""
        _save(order, visit.created_by)
        _event(order, Action.RETURN_VISITED, actor=visit.created_by, note=f"回访记录 #{visit.pk}，满意度：{label}",
               at=visit.started_at)  # fmt: skip
        if visit.satisfaction == Satisfaction.DISSATISFIED:
            open_rework(order, actor=visit.created_by, problem=visit.reply or "回访时业主表示不满意")


def open_rework(order, *, actor, problem, now=None):
    """返工: a new order linked to the first, the technician told in writing."""
    now = now or timezone.now()
    settings_row = RepairSettings.current(order.community)
    rework = _receive(
        community=order.community,
        actor=actor,
        source=order.source,
        category=order.category,
        conditions=[c for c in order.conditions if c],
        house=order.house,
        public_area=order.public_area,
        location=order.location,
        reporter=order.reporter,
        reporter_name=order.reporter_name,
        contact=order.contact,
        description=f"返工（原单 {order.number}）：{problem}"[:500],
        rework_of=order,
    )
    _event(order, Action.REWORK, actor=actor, note=f"回访发现问题，已开返工单 {rework.number}：{problem}", at=now)
    extra = [order.technician] if order.technician_id else []
    _tell_head(
        order,
        "repairs.rework",
        f"返工通知：{order.number} 回访发现问题（{problem[:60]}），返工单 {rework.number}，"
        f"请在 {settings_row.rework_notice_hours} 小时内整改。",
        now,
        due_at=now + dt.timedelta(hours=settings_row.rework_notice_hours),
        extra=extra,
    )
    return rework


# ---------------------------------------------------------------- ends


@transaction.atomic
def close(order, *, actor, note="", now=None):
    """关闭: a house order after its return visit; a public-area one after completion."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order))
    closable = order.status == Status.VISITED or (
        order.house_id is None and order.status in (Status.DONE, Status.CONFIRMED)
    )
    _require(closable, "住户报修须回访后才能关闭；公共区域报修完工后可关闭。")
    order.status, order.closed_at = Status.CLOSED, now
    _save(order, actor)
    _event(order, Action.CLOSED, actor=actor, note=note.strip(), at=now)
    return order


def _stop(order, actor, status, action, field, reason, now):
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因。"})
    order.status, order.closed_at = status, now
    setattr(order, field, reason.strip()[:200])
    _save(order, actor)
    _end_open_pause(order, actor, now)
    _event(order, action, actor=actor, note=reason.strip(), at=now)
    for kind in (*CLOCK_REMINDERS, "repairs.materials", "repairs.pool", "repairs.unclaimed", "repairs.dispatched"):
        close_reminders(about=order, kind=kind)
    clocks.refresh(order)
    return order


@transaction.atomic
def return_order(order, *, actor, reason, now=None):
    """退单: only the 工程部 head, with a reason; customer service tells the owner
    [001 L472, L480] (nobody else may delay or refuse an order)."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.is_head(actor, order), "只有工程部负责人可以退单。")
    _require(order.status in WORKING_STATUSES, "该工单当前不能退单。")
    order = _stop(order, actor, Status.RETURNED, Action.RETURNED, "return_reason", reason, now)
    raise_reminder(
        recipient=order.owner,
        kind="repairs.returned",
        key=f"work-order:{order.pk}:returned",
        text=f"工单 {order.number} 已被工程部退单（{reason.strip()[:60]}），请向业主说明情况。",
        about=order,
        community=order.community,
        url=_url(order),
    )
    return order


@transaction.atomic
def void(order, *, actor, reason, now=None):
    """作废 (e.g. a duplicate call): the number stays, the record stays."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.is_reviewer(actor, order.community), "只有客服主管或经理可以作废工单。")
    _require(order.status not in (*FINAL_STATUSES, Status.CLOSED), "该工单已结束，不能作废。")
    _require(not Charge.objects.filter(order=order).exists(), "已产生收费的工单不能作废。")
    return _stop(order, actor, Status.VOID, Action.VOIDED, "void_reason", reason, now)


@transaction.atomic
def complete_paperwork(order, *, actor, category, description, reporter_name="", contact="", now=None):
    """补办手续 after a 紧急 order was handled at once [001 L490]."""
    now = now or timezone.now()
    order = _locked(order)
    _allow(rules.may_work(actor, order))
    _require(order.paperwork_pending, "该工单无需补办手续。")
    errors = {}
    if category is None or category.community_id != order.community_id:
        errors["category"] = "请选择报修类别。"
    if not description.strip():
        errors["description"] = "请填写维修内容。"
    if errors:
        raise ValidationError(errors)
    order.category, order.description, order.paperwork_pending = category, description.strip(), False
    if reporter_name.strip():
        order.reporter_name = reporter_name.strip()
    if contact.strip() and order.reporter_id is None:
        order.contact = contact.strip()
    _save(order, actor)
    _event(order, Action.PAPERWORK, actor=actor, note=f"类别：{category.name}", at=now)
    return order


@transaction.atomic
def mark_reviewed(orders, *, actor, community, now=None):
    """The supervisor's daily review [001 L108]."""
    now = now or timezone.now()
    _allow(rules.is_reviewer(actor, community), "只有客服主管或经理可以审阅。")
    count = 0
    for order in orders:
        if order.community_id != community.pk or order.reviewed_at is not None:
            continue
        WorkOrder.objects.filter(pk=order.pk, reviewed_at__isnull=True).update(reviewed_at=now, reviewed_by=actor)
        _event(order, Action.REVIEWED, actor=actor, at=now)
        count += 1
    return count


@transaction.atomic
def add_note(order, *, actor, note, photos=()):
    _allow(rules.may_work(actor, order) or rules.may_do_site_work(actor, order))
    if not note.strip():
        raise ValidationError({"note": "请填写处理记录。"})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"照片最多 {MAX_PHOTOS} 张。"})
    return _event(order, Action.NOTE, actor=actor, note=note.strip(), photos=photos)


@transaction.atomic
def reveal_contact(order, *, actor):
    """The reporter's number ([001] 业主电话属于保密内容): from the archive through
    its logged reveal service with this order as the purpose, or the number typed
    at intake; every look is in the order's timeline."""
    from residents.privacy import reveal_person

    _allow(rules.may_work(actor, order) or rules.may_do_site_work(actor, order), "只有处理该工单的人员可以查看电话。")
    if order.reporter_id:
        number = reveal_person(order.reporter, actor=actor, purpose=f"维修工单 {order.number}", record=order)["mobile"]
    else:
        number = order.contact
    _require(bool(number), "该工单没有登记联系电话。")
    _event(order, Action.CONTACT_VIEWED, actor=actor)
    return number


def technician_basis(user, person, record):
    """residents.privacy purpose check: the technician (or head) of an open order
    for this person may see their number, the order being the purpose."""
    if not isinstance(record, WorkOrder) or record.reporter_id != person.pk:
        return None
    if record.status in FINAL_STATUSES or record.status == Status.CLOSED:
        return None
    if rules.may_do_site_work(user, record) or rules.may_work(user, record):
        return "维修工单经办人"
    return None


# ---------------------------------------------------------------- price list


@transaction.atomic
def approve_price_list(price_list, *, actor, now=None):
    """The manager approves the 特约服务收费标准 [001 L200]; from its start date it
    replaces the list before it (whose period ends the day before)."""
    from repairs.models import PriceList

    now = now or timezone.now()
    _allow(actor.has_role(price_list.community, Role.MANAGER), "只有项目经理可以批准收费标准。")
    _require(price_list.status == PriceListStatus.DRAFT, "该收费标准已批准。")
    _require(price_list.items.exists(), "收费标准没有任何项目。")
    earlier = PriceList.objects.select_for_update().filter(
        community=price_list.community, status=PriceListStatus.APPROVED, valid_from__lt=price_list.valid_from
    )
    for row in earlier:
        if row.valid_to is None or row.valid_to >= price_list.valid_from:
            row.valid_to = price_list.valid_from - dt.timedelta(days=1)
            row._history_user = actor
            row.save(update_fields=["valid_to"])
    overlap = PriceList.objects.filter(
        community=price_list.community, status=PriceListStatus.APPROVED, valid_from__gte=price_list.valid_from
    ).exists()
    _require(not overlap, "已有同日或更晚生效的已批准收费标准。")
    price_list.status, price_list.approved_by, price_list.approved_at = PriceListStatus.APPROVED, actor, now
    price_list._history_user = actor
    price_list.save()
    return price_list
