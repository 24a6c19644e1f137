"""Writes of the core app: communities, reminders. Every write goes through here."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.choices import DepartmentKind
from core.models import Community, Department, Membership, Reminder, Sequence
from core.selectors import company_admins
from core.workdays import uncovered_years

logger = logging.getLogger(__name__)

DEFAULT_DEPARTMENTS = [
    DepartmentKind.SERVICE,
    DepartmentKind.ENGINEERING,
    DepartmentKind.SECURITY,
    DepartmentKind.ENVIRONMENT,
    DepartmentKind.FINANCE,
]


def apply_changes(obj, *, actor, fields):
    """Lock `obj`'s row, apply `fields`, validate and save; a history-tracked model
    records `actor` on its history row. Call inside a transaction."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = actor
    obj.full_clean()
    obj.save()
    return obj


NUMBER_FORMAT = "{code}-{prefix}-{year}-{n:03d}"


def next_number(*, community, kind, prefix, year=None, template=NUMBER_FORMAT):
    """The next document number, e.g. ``YGHY-LXH-2026-007`` (or, with
    `template="{prefix}-{year}-{n:06d}"`, ``TS-2026-000042``). Call inside a
    transaction: the sequence row stays locked until it commits, so concurrent
    callers queue and never share a number, and a rollback gives the number back
    — no gaps, unlike a database sequence."""
    year = year or timezone.localdate().year
    Sequence.objects.get_or_create(community=community, kind=kind, year=year)
    sequence = Sequence.objects.select_for_update().get(community=community, kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return template.format(code=community.code, prefix=prefix, year=year, n=sequence.last)


@transaction.atomic
def create_community(*, company, name, code, address="", actor=None):
    """A new community with the five standard departments (editable afterwards)."""
    community = Community.objects.create(company=company, name=name, code=code, address=address)
    for kind in DEFAULT_DEPARTMENTS:
        Department.objects.create(community=community, kind=kind, name=kind.label)
    return community


def raise_reminder(*, recipient, kind, text, key, about=None, community=None, url="", due_at=None):
    """Put a reminder in `recipient`'s inbox once (SPEC §7: each reminder raised once).

    `key` identifies the reminder for this recipient; raising it again — a job
    run twice, or two workers at once — changes nothing and returns None. E-mail
    and SMS go out after the transaction commits.
    """
    fields = {
        "recipient": recipient,
        "kind": kind,
        "text": text,
        "dedup_key": key,
        "community": community,
        "url": url,
        "due_at": due_at,
    }
    if about is not None:
        fields["content_type"] = ContentType.objects.get_for_model(about)
        fields["object_id"] = str(about.pk)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(**fields)
    except IntegrityError:
        return None
    if recipient.email or settings.SMS_BACKEND:
        from core.tasks import deliver_reminder

        transaction.on_commit(lambda: deliver_reminder.delay(reminder.pk))
    return reminder


def raise_reminders(*, recipients, key, **fields):
    """`raise_reminder` for each recipient; returns the reminders newly raised."""
    raised = [raise_reminder(recipient=person, key=key, **fields) for person in recipients]
    return [reminder for reminder in raised if reminder is not None]


def mark_reminder_read(reminder, *, actor):
    """Mark one of the actor's own reminders read (idempotent)."""
    if reminder.recipient_id != actor.pk:
        raise PermissionError("a reminder is read by its recipient only")
    Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=timezone.now())


def close_reminders(*, about, kind):
    """A matter was dealt with: every unread reminder of `kind` about it is marked
    read for everyone who got one (the other approvers need not look)."""
    return Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(about), object_id=str(about.pk), kind=kind, read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_reminders_read(*, actor):
    """Mark every unread reminder of the actor read; returns how many changed."""
    return Reminder.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def deliver_reminder_once(reminder_id):
    """Send a reminder by e-mail/SMS exactly once, even when the task is retried or
    runs on two workers: the conditional update decides who sends."""
    from core import notify

    now = timezone.now()
    if not _claim_delivery(reminder_id, now):
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    try:
        notify.deliver(reminder)
    except Exception:
        # Give the delivery back so a retry can send it.
        Reminder.objects.filter(pk=reminder_id, delivered_at=now).update(delivered_at=None)
        raise
    return True


def _claim_delivery(reminder_id, now):
    """True for the one caller whose conditional update marks the reminder delivered."""
    return Reminder.objects.filter(pk=reminder_id, delivered_at__isnull=True).update(delivered_at=now) == 1


def purge_read_reminders(*, now=None, days=None):
    """Delete reminders read more than `days` ago (default REMINDER_READ_RETENTION_DAYS)."""
    now = now or timezone.now()
    days = settings.REMINDER_READ_RETENTION_DAYS if days is None else days
    deleted, _ = Reminder.objects.filter(read_at__lt=now - dt.timedelta(days=days)).delete()
    return deleted


def warn_uncovered_calendar_years(*, today=None):
    """Tell company admins, once a week, that a year's holiday arrangement is missing.

    Until it is entered (CalendarDay + CalendarYear) or chinesecalendar is upgraded,
    deadlines that year count Monday–Friday only, which is wrong around holidays.
    """
    from core.models import Company

    today = today or timezone.localdate()
    years = uncovered_years(today)
    if not years:
        return []
    iso = today.isocalendar()
    raised = []
    for company in Company.objects.order_by("pk"):
        for year in years:
            raised += raise_reminders(
                recipients=company_admins(company),
                kind="calendar_uncovered",
                key=f"calendar-uncovered:{year}:{iso.year}-W{iso.week:02d}",
                text=(
                    f"{year}年的法定节假日与调休安排尚未录入：工作日计算暂按周一至周五处理。"
                    f"请在后台“工作日历调整”中录入当年安排并登记“已录入的年度放假安排”，或升级 chinesecalendar。"
                ),
                url="/admin/core/calendarday/",
            )
    return raised


@transaction.atomic
def set_on_shift(membership, *, actor, on_shift):
    """当班 / 下班: a staff member says whether they are on shift now (round-robin
    dispatch and the grab pool reach only those on shift); their department head
    may say it for them."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related("department").get(pk=membership.pk)
    head = membership.department.head_id if membership.department_id else None
    if actor.pk not in (membership.user_id, head):
        raise PermissionDenied("只有本人或部门负责人可以变更当班状态。")
    membership.on_shift = bool(on_shift)
    membership._history_user = actor
    membership.save(update_fields=["on_shift"])
    return membership
