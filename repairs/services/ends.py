"""Closing, returning, voiding; paperwork, review, notes, the logged reveal; the
price list's approval."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.choices import Role
from core.services import close_reminders, raise_reminder
from repairs import clocks, rules
from repairs.choices import (
    FINAL_STATUSES,
    WORKING_STATUSES,
    Action,
    PriceListStatus,
    Status,
)
from repairs.models import (
    Charge,
    WorkOrder,
)
from repairs.services.base import (
    CLOCK_REMINDERS,
    MAX_PHOTOS,
    _allow,
    _end_open_pause,
    _event,
    _locked,
    _require,
    _save,
    _url,
)

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
