"""《委托服务单》: an owner subscribes and signs, a per-use service is recorded
line by line, stopping records the reason [001 L560–580]."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.money import line_amount
from fees.choices import Basis, Cycle, ItemKind, LineSource, PriceListStatus
from fees.convenience.price_lists import CENT, MAX_QUANTITY, PHONE, current_price_list, may_register
from fees.models import BillLine, ConvenienceService, FeeItem, FeeSettings, Subscription
from fees.services import items_for
from residents.models import House


@transaction.atomic
def subscribe(house, service, *, actor, owner_name, phone, started_on, owner_signed):
    """《委托服务单》 [001 L560]: the owner's name, house, phone and service, signed by
    the owner. Only a service of an approved table of the house's community; a house
    never holds two running subscriptions of one service (by name, across years)."""
    if not may_register(actor, house):
        raise PermissionDenied("只有片区管家、客服主管、项目经理或前台可以为该房屋登记委托服务单。")
    # Read afresh: the table's status is what decides, not a copy the caller holds.
    service = ConvenienceService.objects.select_related("price_list").get(pk=service.pk)
    price_list = service.price_list
    errors = {}
    if price_list.community_id != house.community_id or price_list.status != PriceListStatus.APPROVED:
        errors["service"] = "只能登记本小区已批准的《便民服务项目及价格表》中的服务。"
    owner_name = (owner_name or "").strip()
    if not owner_name:
        errors["owner_name"] = "请填写业主姓名。"
    elif len(owner_name) > 50:
        errors["owner_name"] = "业主姓名最多 50 个字。"
    phone = re.sub(r"\s", "", phone or "")
    if not PHONE.fullmatch(phone):
        errors["phone"] = "请填写正确的电话号码（7–20 位数字，可含“-”）。"
    if not isinstance(started_on, dt.date):
        errors["started_on"] = "请填写开始日期。"
    elif "service" not in errors and not _in_force(price_list, house.community, started_on):
        errors["started_on"] = (
            f"开始日期不在{price_list.year}年价格表的执行期内（{price_list.year}年起，至新年度价格表批准前）。"
        )
    if owner_signed is not True:
        errors["owner_signed"] = "业主须在委托服务单上签字确认。"
    if errors:
        raise ValidationError(errors)
    # The house's row is the lock: two desks registering the same service wait for each other.
    House.objects.select_for_update().filter(pk=house.pk).first()
    running = Subscription.objects.filter(
        house=house, service__price_list__community_id=house.community_id, service__name=service.name
    ).filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=started_on))
    if running.exists():
        raise ValidationError(
            {"service": f"{house.number} 已在接受「{service.name}」，不能重复登记；如需重新登记请先停止原服务。"}
        )
    subscription = Subscription(
        community_id=house.community_id,
        house=house,
        service=service,
        owner_name=owner_name,
        phone=phone,
        owner_signed=True,
        started_on=started_on,
        created_by=actor,
    )
    subscription._history_user = actor
    subscription.save()
    return subscription


def _in_force(price_list, community, day):
    """Last year's table stays in force until this year's is approved."""
    table = current_price_list(community, day)
    return table is not None and table.pk == price_list.pk


def _locked(subscription):
    return (
        Subscription.objects.select_for_update()
        .select_related("house__community", "service__price_list")
        .get(pk=subscription.pk)
    )


def _end_of_next_month(today):
    from fees.statements import next_month

    return next_month(next_month(today)) - dt.timedelta(days=1)


@transaction.atomic
def stop(subscription, *, actor, stopped_on, reason):
    """业主停止接受服务 [001 L580]: the reason is asked and recorded. Billing stops
    after the month of `stopped_on` (that month is still billed). Returns the lines
    already billed for later months, which need an adjustment."""
    subscription = _locked(subscription)
    if not may_register(actor, subscription.house):
        raise PermissionDenied("只有片区管家、客服主管、项目经理或前台可以登记停止服务。")
    if subscription.stopped_on is not None:
        raise ValidationError(f"该服务已于 {subscription.stopped_on:%Y-%m-%d} 停止。")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请问明并填写业主停止服务的原因。"
    elif len(reason) > 200:
        errors["reason"] = "停止原因最多 200 个字。"
    latest = _end_of_next_month(timezone.localdate())
    if not isinstance(stopped_on, dt.date):
        errors["stopped_on"] = "请填写停止日期。"
    elif stopped_on < subscription.started_on:
        errors["stopped_on"] = f"停止日期不能早于开始日期 {subscription.started_on:%Y-%m-%d}。"
    elif stopped_on > latest:
        errors["stopped_on"] = f"停止日期不能晚于 {latest:%Y-%m-%d}。"
    if errors:
        raise ValidationError(errors)
    subscription.stopped_on, subscription.stop_reason, subscription.stopped_by = stopped_on, reason, actor
    subscription._history_user = actor
    subscription.save(update_fields=["stopped_on", "stop_reason", "stopped_by"])
    return list(subscription.lines.filter(month__gt=stopped_on).order_by("month"))


def _service_item(community):
    item = next((i for i in items_for(community) if i.kind == ItemKind.CONVENIENCE), None)
    if item is None:
        item = FeeItem.objects.create(
            community=community, name="便民服务", kind=ItemKind.CONVENIENCE, basis=Basis.QUANTITY, priority=5
        )
    return item


@transaction.atomic
def record_use(subscription, *, actor, quantity, on):
    """A per-use (按次) paid service was provided: a 便民服务 line of quantity × price,
    carried by the next statement (it has none yet) and due on that statement's
    due day. A monthly service is billed by the statements, never here."""
    from fees.statements import due_date_of, next_month

    subscription = _locked(subscription)
    service, house = subscription.service, subscription.house
    if not may_register(actor, house):
        raise PermissionDenied("只有片区管家、客服主管、项目经理或前台可以登记服务使用。")
    if service.cycle != Cycle.PER_USE:
        raise ValidationError("按月收费的服务由每月对账单自动计费，不能按次登记。")
    if service.is_free or service.price <= 0:
        raise ValidationError("免费服务无需登记收费。")
    errors = {}
    try:
        quantity = Decimal(str(quantity).strip()) if not isinstance(quantity, float) else None
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        errors["quantity"] = f"次数须大于 0，且不超过 {MAX_QUANTITY}。"
    elif quantity != quantity.quantize(CENT):
        errors["quantity"] = "次数最多 2 位小数。"
    today = timezone.localdate()
    if not isinstance(on, dt.date):
        errors["on"] = "请填写服务日期。"
    elif on > today:
        errors["on"] = "服务日期不能晚于今天。"
    elif on < subscription.started_on:
        errors["on"] = f"服务日期不能早于委托开始日期 {subscription.started_on:%Y-%m-%d}。"
    elif subscription.stopped_on is not None and on > subscription.stopped_on:
        errors["on"] = f"该服务已于 {subscription.stopped_on:%Y-%m-%d} 停止。"
    if errors:
        raise ValidationError(errors)
    community = house.community
    amount = line_amount(quantity, service.price)
    line = BillLine(
        community=community,
        house=house,
        item=_service_item(community),
        source=LineSource.SERVICE_USE,
        subscription=subscription,
        month=on.replace(day=1),
        description=f"便民服务：{service.name}（{on:%m月%d日}，{quantity.normalize():f}次）",
        quantity=quantity,
        unit_price=service.price,
        amount=amount,
        open_amount=amount,
        due_date=due_date_of(next_month(on), FeeSettings.current(community)),
    )
    line._history_user = actor
    line.save()
    return line


def use_lines(subscription):
    """The per-use lines recorded for the subscription, newest first."""
    return subscription.lines.filter(source=LineSource.SERVICE_USE).order_by("-month", "-pk")
