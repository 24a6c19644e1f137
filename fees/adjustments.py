"""调整 (issue 10 §3): an issued statement never changes. A correction is asked
for with a reason, approved by the manager, and becomes a line of its own —
linked to the line it corrects, in that line's billing month (so 收缴率 reads the
month net of it) — carried by the next statement. A credit (减免, a negative
amount) is set against the corrected line first, then the house's other open
lines; what is left over is the house's balance for the next statement."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.choices import Role
from core.money import to_fen
from core.selectors import staff_with_role
from core.services import close_reminders, raise_reminder, raise_reminders
from fees.choices import AdjustmentStatus, LineSource
from fees.models import Adjustment, BillLine, FeeSettings

ZERO = Decimal("0.00")
REQUESTERS = (Role.FINANCE, Role.SUPERVISOR, Role.MANAGER)


def _adjustable(line, amount):
    """What stands against adjusting `line` by `amount` (a message), or ""."""
    if line.source == LineSource.ADJUSTMENT:
        return "调整记录本身不能再调整，请调整原账单明细。"
    approved = line.corrections.filter(source=LineSource.ADJUSTMENT).aggregate(t=Sum("amount"))["t"] or ZERO
    if line.amount + approved + amount < 0:
        return f"减免后金额不能小于 0：该明细原金额 ¥{line.amount}，已调整 ¥{approved}。"
    return ""


@transaction.atomic
def request_adjustment(line, *, actor, amount, reason, now=None):
    """Ask for a correction of `line`: the zone's butler, a supervisor, finance or
    the manager; the community's managers are reminded to decide."""
    community = line.community
    if line.house.butler_id != actor.pk and not actor.has_role(community, *REQUESTERS):
        raise PermissionDenied("只有片区管家、客服主管、财务或经理可以申请调整。")
    errors = {}
    try:
        amount = to_fen(amount)
    except (TypeError, ArithmeticError, ValueError):
        amount = None
    if amount is None or amount == 0:
        errors["amount"] = "调整金额不能为 0：减免填负数，补收填正数。"
    elif problem := _adjustable(line, amount):
        errors["amount"] = problem
    if not (reason or "").strip():
        errors["reason"] = "请填写调整原因。"
    if errors:
        raise ValidationError(errors)
    adjustment = Adjustment(
        community=community,
        house=line.house,
        corrects=line,
        amount=amount,
        reason=reason.strip()[:200],
        requested_by=actor,
        requested_at=now or timezone.now(),
    )
    adjustment._history_user = actor
    adjustment.save()
    raise_reminders(
        recipients=staff_with_role(community, Role.MANAGER),
        kind="fees.adjustment",
        key=f"adjustment:{adjustment.pk}:decide",
        text=f"{line.house.number} 申请调整「{line.description}」¥{amount}：{adjustment.reason}，请审批。",
        about=adjustment,
        community=community,
        url="/fees/adjustments/",
    )
    return adjustment


def _decided(adjustment, actor):
    adjustment = Adjustment.objects.select_for_update().select_related("corrects", "house").get(pk=adjustment.pk)
    if not actor.has_role(adjustment.community, Role.MANAGER):
        raise PermissionDenied("只有项目经理可以审批调整。")
    if adjustment.status != AdjustmentStatus.PENDING:
        raise ValidationError("该调整已审批过。")
    return adjustment


@transaction.atomic
def approve_adjustment(adjustment, *, actor, note="", now=None):
    """The manager approves: the adjustment becomes a line for the next statement;
    a credit is set against the corrected line (then the others) at once."""
    from fees.payments import apply_balance
    from fees.statements import due_date_of, next_month

    now = now or timezone.now()
    adjustment = _decided(adjustment, actor)
    line = adjustment.corrects
    if problem := _adjustable(line, adjustment.amount):
        raise ValidationError(problem)
    today = timezone.localdate(now)
    kind = "减免" if adjustment.amount < 0 else "补收"
    created = BillLine.objects.create(
        community=adjustment.community,
        house=adjustment.house,
        item=line.item,
        source=LineSource.ADJUSTMENT,
        month=line.month,
        description=f"调整（{kind}）：{line.description}",
        quantity=Decimal("1"),
        unit_price=adjustment.amount,
        amount=adjustment.amount,
        open_amount=adjustment.amount,
        due_date=due_date_of(next_month(today), FeeSettings.current(adjustment.community)),
        corrects=line,
        reason=adjustment.reason,
        approved_by=actor,
    )
    adjustment.status, adjustment.decided_by, adjustment.decided_at = AdjustmentStatus.APPROVED, actor, now
    adjustment.decision_note, adjustment.line = (note or "").strip()[:200], created
    adjustment._history_user = actor
    adjustment.save()
    if adjustment.amount < 0:
        apply_balance(adjustment.house, on=today, first=line)
    close_reminders(about=adjustment, kind="fees.adjustment")
    return adjustment


@transaction.atomic
def reject_adjustment(adjustment, *, actor, note, now=None):
    if not (note or "").strip():
        raise ValidationError({"note": "驳回请填写理由。"})
    adjustment = _decided(adjustment, actor)
    adjustment.status, adjustment.decided_by = AdjustmentStatus.REJECTED, actor
    adjustment.decided_at, adjustment.decision_note = now or timezone.now(), note.strip()[:200]
    adjustment._history_user = actor
    adjustment.save()
    close_reminders(about=adjustment, kind="fees.adjustment")
    raise_reminder(
        recipient=adjustment.requested_by,
        kind="fees.adjustment_rejected",
        key=f"adjustment:{adjustment.pk}:rejected",
        text=f"{adjustment.house.number} 的调整申请（¥{adjustment.amount}）被驳回：{adjustment.decision_note}",
        about=adjustment,
        community=adjustment.community,
        url="/fees/adjustments/",
    )
    return adjustment
