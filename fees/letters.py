"""律师函 and 催缴通知书 (issue 10 §9, [003 L537]).

A household the butler found in 恶意欠费 gets a lawyer's letter: someone asks for
it, the manager approves it (it is numbered then, `LS-2026-000001`) or turns it
down; the first print freezes it — the letter date, the arrears by month and
item with each line's late fee (daily rate, days) as of that date, and the
totals — and every later print is a 补打 of the same text; only the sending is
recorded after that. No ID number appears. A 催缴通知书 prints for any house in
arrears, as of the day it is printed, and is not kept."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.choices import Role
from core.selectors import staff_with_role
from core.services import close_reminders, next_number, raise_reminder, raise_reminders
from fees.choices import LetterStatus, LineSource, Reason, SendVia
from fees.latefees import late_fee, terms_for
from fees.models import Allocation, BillLine, CollectionCall, LawyerLetter

ZERO = Decimal("0.00")
REQUESTERS = (Role.SUPERVISOR, Role.MANAGER, Role.FINANCE)
PRINTERS = (Role.SUPERVISOR, Role.MANAGER, Role.FINANCE)


@dataclass(frozen=True)
class ArrearsLine:
    month: str
    item: str
    description: str
    due_date: str
    principal: Decimal
    daily_rate: Decimal
    days: int
    late_fee: Decimal

    @property
    def rate_text(self):
        """The daily rate as people read it: 0.0003 → 0.03%."""
        if not self.days:
            return "—"
        return f"{(self.daily_rate * 100).normalize():f}%"

    def as_json(self):
        return {
            "month": self.month,
            "item": self.item,
            "description": self.description,
            "due_date": self.due_date,
            "principal": str(self.principal),
            "daily_rate": str(self.daily_rate),
            "rate_text": self.rate_text,
            "days": self.days,
            "late_fee": str(self.late_fee),
        }


def arrears(house, as_of):
    """The house's open lines due before `as_of`, each with its late fee as of
    `as_of` (none on a late fee itself): a fixed number of queries."""
    lines = list(
        BillLine.objects.filter(house=house, open_amount__gt=0, due_date__lt=as_of)
        .select_related("item__community")
        .order_by("month", "item__priority", "pk")
    )
    paid = {}
    allocations = Allocation.objects.filter(line__in=lines, payment__voided_at__isnull=True).order_by("paid_on")
    for line_id, day, amount in allocations.values_list("line_id", "paid_on", "amount"):
        paid.setdefault(line_id, []).append((day, amount))
    terms, rows = {}, []
    for line in lines:
        if line.item_id not in terms:
            terms[line.item_id] = terms_for(line.item)
        rate = terms[line.item_id].daily_rate
        fee, days = ZERO, 0
        if line.source != LineSource.LATE_FEE:
            fee, days = late_fee(
                line.amount, line.due_date, as_of, terms=terms[line.item_id], payments=paid.get(line.pk, ())
            )
        rows.append(
            ArrearsLine(
                month=f"{line.month:%Y-%m}",
                item=line.item.name,
                description=line.description,
                due_date=f"{line.due_date:%Y-%m-%d}",
                principal=line.open_amount,
                daily_rate=rate if days else ZERO,
                days=days,
                late_fee=fee,
            )
        )
    return rows


def totals(rows):
    principal = sum((row.principal for row in rows), ZERO)
    fee = sum((row.late_fee for row in rows), ZERO)
    return principal, fee, principal + fee


def addressee(house):
    from residents.choices import Relation
    from residents.models import Residency

    names = Residency.objects.filter(house=house, relation=Relation.OWNER, end_date__isnull=True).values_list(
        "person__name", flat=True
    )
    return "、".join(names) or f"{house.number} 业主"


@transaction.atomic
def request_letter(house, *, actor, call=None, now=None):
    """Ask for a lawyer's letter for a household in 恶意欠费: the zone's butler, a
    supervisor, finance or the manager; the managers are reminded to decide."""
    community = house.community
    if house.butler_id != actor.pk and not actor.has_role(community, *REQUESTERS):
        raise PermissionDenied("只有片区管家、客服主管、财务或经理可以申请律师函。")
    now = now or timezone.now()
    if call is None:
        call = CollectionCall.objects.filter(house=house).order_by("-called_at", "-pk").first()
    if call is None or call.reason != Reason.MALICIOUS:
        raise ValidationError("律师函只用于恶意欠费：请先在催收记录中登记欠费原因为「恶意欠费」。")
    if not BillLine.objects.filter(house=house, open_amount__gt=0, due_date__lt=timezone.localdate(now)).exists():
        raise ValidationError("该户没有逾期欠费，不能申请律师函。")
    pending = (LetterStatus.REQUESTED, LetterStatus.APPROVED)
    if LawyerLetter.objects.filter(house=house, status__in=pending).exists():
        raise ValidationError("该户已有待审批或待打印的律师函。")
    letter = LawyerLetter(
        community=community, house=house, call=call, addressee=addressee(house), requested_by=actor, requested_at=now
    )
    letter._history_user = actor
    letter.save()
    raise_reminders(
        recipients=staff_with_role(community, Role.MANAGER),
        kind="fees.letter",
        key=f"lawyer-letter:{letter.pk}:decide",
        text=f"{house.number} 恶意欠费，申请发律师函，请审批。",
        about=letter,
        community=community,
        url=f"/fees/letters/{letter.pk}/",
    )
    return letter


def _locked(letter, actor, roles, status, message):
    letter = LawyerLetter.objects.select_for_update().select_related("house").get(pk=letter.pk)
    if not actor.has_role(letter.community, *roles):
        raise PermissionDenied(message)
    if letter.status not in status:
        raise ValidationError(f"律师函当前状态为「{letter.get_status_display()}」，不能进行此操作。")
    return letter


@transaction.atomic
def approve_letter(letter, *, actor, note="", now=None):
    """The manager approves: the letter gets its number (gapless per community and year)."""
    now = now or timezone.now()
    letter = _locked(letter, actor, (Role.MANAGER,), (LetterStatus.REQUESTED,), "只有项目经理可以审批律师函。")
    letter.number = next_number(
        community=letter.community, kind="lawyer_letter", prefix="LS", year=timezone.localdate(now).year,
        template="{prefix}-{year}-{n:06d}",
    )  # fmt: skip
    letter.status, letter.decided_by, letter.decided_at = LetterStatus.APPROVED, actor, now
    letter.decision_note = (note or "").strip()[:200]
    letter._history_user = actor
    letter.save()
    close_reminders(about=letter, kind="fees.letter")
    return letter


@transaction.atomic
def reject_letter(letter, *, actor, note, now=None):
    if not (note or "").strip():
        raise ValidationError({"note": "驳回请填写理由。"})
    letter = _locked(letter, actor, (Role.MANAGER,), (LetterStatus.REQUESTED,), "只有项目经理可以审批律师函。")
    letter.status, letter.decided_by, letter.decided_at = LetterStatus.REJECTED, actor, now or timezone.now()
    letter.decision_note = note.strip()[:200]
    letter._history_user = actor
    letter.save()
    close_reminders(about=letter, kind="fees.letter")
    raise_reminder(
        recipient=letter.requested_by,
        kind="fees.letter_rejected",
        key=f"lawyer-letter:{letter.pk}:rejected",
        text=f"{letter.house.number} 的律师函申请被驳回：{letter.decision_note}",
        about=letter,
        community=letter.community,
        url=f"/fees/letters/{letter.pk}/",
    )
    return letter


@transaction.atomic
def print_letter(letter, *, actor, now=None):
    """Print: the first print freezes the letter as of today; later ones are 补打."""
    now = now or timezone.now()
    statuses = (LetterStatus.APPROVED, LetterStatus.PRINTED, LetterStatus.SENT)
    letter = _locked(letter, actor, PRINTERS, statuses, "只有客服主管、财务或经理可以打印律师函。")
    letter._history_user = actor
    if letter.printed_at is not None:
        letter.print_count += 1
        letter.save(update_fields=["print_count"])
        return letter
    today = timezone.localdate(now)
    rows = arrears(letter.house, today)
    letter.principal, letter.late_fee, letter.total = totals(rows)
    letter.lines = [row.as_json() for row in rows]
    letter.letter_date, letter.printed_at, letter.status = today, now, LetterStatus.PRINTED
    letter.print_count = 1
    letter.save()
    return letter


@transaction.atomic
def record_sending(letter, *, actor, via, tracking="", now=None):
    statuses = (LetterStatus.PRINTED,)
    letter = _locked(letter, actor, PRINTERS, statuses, "只有客服主管、财务或经理可以登记律师函发出。")
    if via not in SendVia.values:
        raise ValidationError({"via": "请选择发出方式。"})
    letter.status, letter.sent_via, letter.sent_at, letter.sent_by = (
        LetterStatus.SENT,
        via,
        now or timezone.now(),
        actor,
    )
    letter.tracking = (tracking or "").strip()[:40]
    letter._history_user = actor
    letter.save(update_fields=["status", "sent_via", "sent_at", "sent_by", "tracking"])
    return letter
