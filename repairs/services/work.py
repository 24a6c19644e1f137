"""The work itself: dispatch, claim, accept, arrive, quote, pause, materials,
completion and the owner's acceptance."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.money import line_amount, to_fen
from core.services import close_reminders, raise_reminder
from repairs import clocks, rules
from repairs.choices import (
    WORKING_STATUSES,
    Action,
    DispatchMode,
    PauseReason,
    PriceListStatus,
    Rating,
    Signature,
    Status,
)
from repairs.models import (
    Charge,
    PriceItem,
    PurchaseItem,
    PurchaseRequest,
    QuoteLine,
    WorkOrder,
    WorkOrderPause,
)
from repairs.services.aftercare import _raise_return_visits
from repairs.services.base import (
    CLOCK_REMINDERS,
    MAX_PHOTOS,
    _allow,
    _end_open_pause,
    _event,
    _locked,
    _require,
    _save,
    _technician_ok,
    _tell_head,
    _url,
)

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
    if reason == PauseReason.MATERIALS and not order.purchases.exists():
        # The technician's materials request: the head files the 购物单 within 3 days [001 L478].
        _tell_head(order, "repairs.materials_request", f"维修人申请材料：{order.number} {note.strip()[:60]}", now)
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
        from fees.services import bill_repair_charge

        charge, _ = Charge.objects.get_or_create(
            order=order,
            defaults={
                "community": order.community,
                "house": order.house,
                "amount": order.final_amount,
                "signed_at": now,
                "report_month": order.report_month,
            },
        )
        bill_repair_charge(charge)  # the owner's bill: finance collects, never the technician
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
