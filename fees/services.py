"""Writes of the fee set-up: the community's fee items and their rates (issue 10 §1)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.choices import Role
from fees.choices import Basis, ItemKind
from fees.models import FeeItem, Rate
from residents.choices import HouseType

# A parking space (车位, a house of type parking) pays the 车位管理费, the homes and
# shops the 物业服务费 and 垃圾清运费.
NOT_PARKING = [HouseType.RESIDENCE, HouseType.VILLA, HouseType.SHOP]
DEFAULT_ITEMS = [
    # name, kind, basis, priority, house types (empty: all)
    ("物业服务费", ItemKind.PROPERTY_SERVICE, Basis.AREA_MONTH, 1, NOT_PARKING),
    ("车位管理费", ItemKind.PARKING, Basis.SPACE_MONTH, 2, [HouseType.PARKING]),
    ("垃圾清运费", ItemKind.GARBAGE, Basis.HOUSE_MONTH, 3, NOT_PARKING),
    ("特约服务/维修费", ItemKind.REPAIR, Basis.ONE_OFF, 4, []),
    ("便民服务", ItemKind.CONVENIENCE, Basis.QUANTITY, 5, []),
]
PRICE_PLACES = Decimal("0.0001")


def items_for(community):
    """The community's fee items, the defaults created on first use (editable)."""
    rows = list(FeeItem.objects.filter(community=community))
    if not rows:
        FeeItem.objects.bulk_create(
            [
                FeeItem(community=community, name=name, kind=kind, basis=basis, priority=priority, house_types=types)
                for name, kind, basis, priority, types in DEFAULT_ITEMS
            ],
            ignore_conflicts=True,
        )
        rows = list(FeeItem.objects.filter(community=community))
    return rows


@transaction.atomic
def set_rate(item, *, actor, unit_price, valid_from, house_type=""):
    """A new rate period from a month's 1st (issue 10 §1). The period in force
    before it ends the day before; one that starts on or after it refuses the
    change (periods never overlap, history is not rewritten)."""
    if not actor.has_role(item.community, Role.MANAGER, Role.FINANCE):
        raise PermissionDenied("只有项目经理或财务可以设定收费标准。")
    errors = {}
    try:
        price = Decimal(str(unit_price)).quantize(PRICE_PLACES)
    except (InvalidOperation, ValueError):
        price = None
    if price is None or price <= 0:
        errors["unit_price"] = "单价须为大于 0 的金额（最多 4 位小数）。"
    elif Decimal(str(unit_price)) != price:
        errors["unit_price"] = "单价最多 4 位小数。"
    if not isinstance(valid_from, dt.date) or valid_from.day != 1:
        errors["valid_from"] = "收费标准须从某月 1 日起执行。"
    if errors:
        raise ValidationError(errors)
    same = Rate.objects.select_for_update().filter(item=item, house_type=house_type)
    if same.filter(valid_from__gte=valid_from).exists():
        raise ValidationError({"valid_from": "该日期当日或之后已有收费标准，不能重叠；请从更晚的月份起执行。"})
    for earlier in same.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)):
        earlier.valid_to = valid_from - dt.timedelta(days=1)
        earlier._history_user = actor
        earlier.save(update_fields=["valid_to"])
    rate = Rate(item=item, house_type=house_type, unit_price=price, valid_from=valid_from, created_by=actor)
    rate._history_user = actor
    rate.save()
    return rate


def rate_on(item, day, house_type=""):
    """The unit price in force on `day`: the house type's own, else the item's."""
    rates = [r for r in Rate.objects.filter(item=item, house_type__in=[house_type, ""]) if r.covers(day)]
    rates.sort(key=lambda r: r.house_type != house_type)
    return rates[0] if rates else None


@transaction.atomic
def bill_repair_charge(charge):
    """A signed repair charge becomes a 特约服务/维修费 line of the house, once
    (the line is unique per charge), due on the next statement's due day; the next
    statement carries it (issue 10 §3, [001 L432])."""
    from fees.choices import LineSource
    from fees.models import BillLine, FeeSettings
    from fees.statements import due_date_of, next_month

    existing = BillLine.objects.filter(repair_charge=charge).first()
    if existing is not None:
        return existing
    community = charge.community
    item = next((i for i in items_for(community) if i.kind == ItemKind.REPAIR), None)
    if item is None:
        item = FeeItem.objects.create(community=community, name="特约服务/维修费", kind=ItemKind.REPAIR,
                                      basis=Basis.ONE_OFF, priority=4)  # fmt: skip
    signed = timezone.localdate(charge.signed_at)
    line = BillLine.objects.create(
        community=community,
        house=charge.house,
        item=item,
        source=LineSource.REPAIR,
        month=signed.replace(day=1),
        description=f"维修收费 {charge.order.number}",
        quantity=Decimal("1"),
        unit_price=charge.amount,
        amount=charge.amount,
        open_amount=charge.amount,
        due_date=due_date_of(next_month(signed), FeeSettings.current(community)),
        repair_charge=charge,
    )
    type(charge).objects.filter(pk=charge.pk, billed_at__isnull=True).update(billed_at=timezone.now())
    return line
