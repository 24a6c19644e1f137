"""Payments, their allocation to bill lines and receipts (issue 10 §4–§5).

A payment is recorded, never processed. Allocation settles the oldest due date
first, then the item's priority, unless the cashier picked lines; a surplus is
the house's prepaid balance, used by the next statement. Only this module writes
a line's `open_amount`. Receipt numbers come from the `core` allocator
(`SJ-2026-000001`), locked in the payment's transaction, so they have no gaps.
"""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, When
from django.utils import timezone

from core.choices import Role
from core.money import to_fen
from core.services import next_number
from fees.choices import Method
from fees.models import Allocation, BillLine, Payment, Receipt

ZERO = Decimal("0.00")
CASHIERS = (Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK)


def unallocated(house):
    """The house's prepaid balance: valid payments not yet allocated to a line,
    plus approved credits (减免) not yet set against a line."""
    paid = Payment.objects.filter(house=house, voided_at__isnull=True).aggregate(t=Sum("amount"))["t"] or ZERO
    used = (
        Allocation.objects.filter(payment__house=house, payment__voided_at__isnull=True).aggregate(t=Sum("amount"))["t"]
        or ZERO
    )
    credits = BillLine.objects.filter(house=house, open_amount__lt=0).aggregate(t=Sum("open_amount"))["t"] or ZERO
    return paid - used - credits


def houses_with_balance(community):
    """Ids of the community's houses holding prepaid money or an unused credit:
    two aggregate queries, so the statement job looks at a house's balance only
    when it has one."""
    paid = dict(
        Payment.objects.filter(community=community, voided_at__isnull=True)
        .values_list("house_id")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    used = dict(
        Allocation.objects.filter(payment__community=community, payment__voided_at__isnull=True)
        .values_list("payment__house_id")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    ids = {house for house, total in paid.items() if total > used.get(house, ZERO)}
    credits = BillLine.objects.filter(community=community, open_amount__lt=0).values_list("house_id", flat=True)
    return ids | set(credits)


@transaction.atomic
def apply_balance(house, *, on, first=None):
    """Set the house's prepaid money and unused credits against its open lines
    (预存抵扣): the line in `first` before the rest, then oldest due date first.
    Returns what is left over."""
    lines = list(open_lines(house))
    if first is not None:
        lines.sort(key=lambda line: line.pk != first.pk)
    for credit in BillLine.objects.select_for_update().filter(house=house, open_amount__lt=0).order_by("pk"):
        left = _allocate(None, -credit.open_amount, lines, on, credit=credit)
        BillLine.objects.filter(pk=credit.pk).update(open_amount=-left)
        lines = [line for line in lines if line.open_amount > 0]
    payments_ = Payment.objects.select_for_update().filter(house=house, voided_at__isnull=True).order_by("received_at")
    used = dict(
        Allocation.objects.filter(payment__in=payments_).values_list("payment_id").annotate(t=Sum("amount")).order_by()
    )
    for payment in payments_:
        budget = payment.amount - used.get(payment.pk, ZERO)
        if budget > 0 and lines:
            _allocate(payment, budget, lines, on)
            lines = [line for line in lines if line.open_amount > 0]
    return unallocated(house)


def _allocate(payment, budget, lines, on, credit=None):
    """Settle `lines` in order from `budget` (a payment's, or a credit line's);
    returns what is left. Only this module writes `open_amount`: one insert of
    the allocations and one update of the lines, however many are settled."""
    allocations = []
    for line in lines:
        if budget <= 0:
            break
        part = min(budget, line.open_amount)
        if part <= 0:
            continue
        allocations.append(Allocation(payment=payment, credit=credit, line=line, amount=part, paid_on=on))
        line.open_amount -= part
        budget -= part
    if allocations:
        Allocation.objects.bulk_create(allocations)
        BillLine.objects.filter(pk__in=[a.line_id for a in allocations]).update(
            open_amount=Case(
                *[When(pk=a.line_id, then=F("open_amount") - a.amount) for a in allocations],
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
    return budget


def open_lines(house):
    """The house's unpaid lines, oldest due date first, then the item's priority."""
    return (
        BillLine.objects.select_for_update(of=("self",))
        .filter(house=house, open_amount__gt=0)
        .select_related("item")
        .order_by("due_date", "item__priority", "pk")
    )


def record_payment(*, house, actor, amount, method, payer, reference="", lines=None, received_at=None, intake_key=None):
    """收款. The same form posted twice (its `intake_key`) records one payment."""
    if intake_key is not None:
        existing = Payment.objects.filter(intake_key=intake_key).first()
        if existing is not None:
            existing.duplicate = True
            return existing
    payment = _record(
        house=house,
        actor=actor,
        amount=amount,
        method=method,
        payer=payer,
        reference=reference,
        lines=lines,
        received_at=received_at,
        intake_key=intake_key,
    )
    payment.duplicate = getattr(payment, "duplicate", False)
    return payment


@transaction.atomic
def _record(*, house, actor, amount, method, payer, reference, lines, received_at, intake_key):
    community = house.community
    if not actor.has_role(community, *CASHIERS):
        raise PermissionDenied("您无权登记收款。")
    errors = {}
    try:
        amount = to_fen(amount)
    except (TypeError, ArithmeticError, ValueError):
        amount = None
    if amount is None or amount <= 0:
        errors["amount"] = "收款金额须大于 0。"
    if method not in Method.values:
        errors["method"] = "请选择收款方式。"
    if not (payer or "").strip():
        errors["payer"] = "请填写缴款人。"
    if errors:
        raise ValidationError(errors)
    received_at = received_at or timezone.now()
    receipt_number = next_number(
        community=community,
        kind="receipt",
        prefix="SJ",
        year=timezone.localdate(received_at).year,
        template="{prefix}-{year}-{n:06d}",
    )
    if intake_key is not None and Payment.objects.filter(intake_key=intake_key).exists():
        # A concurrent submission of the same form committed while we waited on the counter.
        transaction.set_rollback(True)
        existing = Payment.objects.get(intake_key=intake_key)
        existing.duplicate = True
        return existing
    cash_in_hand = method == Method.CASH and not actor.has_role(community, Role.FINANCE)
    payment = Payment(
        community=community,
        house=house,
        handover_due=cash_in_hand,
        amount=amount,
        method=method,
        reference=reference.strip(),
        payer=payer.strip(),
        received_by=actor,
        received_at=received_at,
        intake_key=intake_key or uuid.uuid4(),
    )
    payment._history_user = actor
    payment.save()
    Receipt.objects.create(community=community, payment=payment, number=receipt_number)
    candidates = list(open_lines(house))
    if lines:
        chosen = {line.pk for line in lines}
        candidates = [line for line in candidates if line.pk in chosen] + [
            line for line in candidates if line.pk not in chosen
        ]
    _allocate(payment, amount, candidates, timezone.localdate(received_at))
    return payment


@transaction.atomic
def void_receipt(receipt, *, actor, reason, now=None):
    """Finance voids a receipt with a reason: the payment's allocation is reversed;
    the receipt and its number stay."""
    now = now or timezone.now()
    receipt = Receipt.objects.select_for_update().select_related("payment").get(pk=receipt.pk)
    if not actor.has_role(receipt.community, Role.FINANCE):
        raise PermissionDenied("只有财务可以作废收据。")
    if receipt.voided_at is not None:
        raise ValidationError("该收据已作废。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写作废原因。"})
    for allocation in receipt.payment.allocations.select_related("line"):
        BillLine.objects.filter(pk=allocation.line_id).update(open_amount=F("open_amount") + allocation.amount)
    receipt.void_reason, receipt.voided_by, receipt.voided_at = reason.strip()[:200], actor, now
    receipt._history_user = actor
    receipt.save()
    Payment.objects.filter(pk=receipt.payment_id).update(voided_at=now)
    return receipt


def paid_on_dates(line):
    """(date, amount) of the principal paid on `line` by valid payments (late fees)."""
    return [
        (a.paid_on, a.amount)
        for a in Allocation.objects.filter(line=line, payment__voided_at__isnull=True).order_by("paid_on")
    ]


@transaction.atomic
def print_receipt(receipt, *, actor):
    """Count a print: the first is the original, every later one is marked 补打."""
    if not actor.has_role(receipt.community, *CASHIERS):
        raise PermissionDenied("您无权打印收据。")
    Receipt.objects.filter(pk=receipt.pk).update(printed=F("printed") + 1)
    receipt.refresh_from_db(fields=["printed"])
    return receipt


class StillOwed(ValidationError):
    """A settlement certificate refused: `lines` are what is still owed."""

    def __init__(self, lines):
        self.lines = lines
        total = sum((line.open_amount for line in lines), ZERO)
        super().__init__(f"尚有 {len(lines)} 笔费用未结清，合计 ¥{total}，不能开具结清证明。")


@transaction.atomic
def issue_settlement(house, *, actor, now=None):
    """结清证明 [001 L82]: only when nothing is owed through the current month,
    confirmed repair charges included (any open line counts); numbered."""
    from fees.models import SettlementCertificate

    if not actor.has_role(house.community, Role.FINANCE, Role.MANAGER):
        raise PermissionDenied("只有财务或经理可以开具结清证明。")
    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    owed = list(open_lines(house).filter(month__lte=month))
    if owed:
        raise StillOwed(owed)
    number = next_number(
        community=house.community, kind="settlement", prefix="JQ", year=month.year, template="{prefix}-{year}-{n:06d}"
    )
    return SettlementCertificate.objects.create(
        community=house.community, house=house, number=number, through_month=month, issued_by=actor, issued_at=now
    )


def to_hand_over(community, collector=None):
    """Cash collected by staff other than finance and not yet handed over [001 L578]."""
    qs = Payment.objects.filter(community=community, handover_due=True, handed_over_at__isnull=True)
    qs = qs.filter(voided_at__isnull=True)
    return qs.filter(received_by=collector) if collector is not None else qs


@transaction.atomic
def confirm_handover(payments_, *, actor, now=None):
    """Finance confirms the cash it received from a collector; returns how many."""
    now = now or timezone.now()
    count = 0
    for payment in payments_:
        if not actor.has_role(payment.community, Role.FINANCE):
            raise PermissionDenied("只有财务可以确认现金交接。")
        count += Payment.objects.filter(pk=payment.pk, handover_due=True, handed_over_at__isnull=True).update(
            handed_over_at=now, handed_over_to=actor
        )
    return count
