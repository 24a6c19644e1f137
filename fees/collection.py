"""Collection rounds and the 《物管费催收记录表》 (issue 10 §6–§7, [003 L526–537]).

The calendar: every month 15th–21st the butler phones everyone in arrears
(statement received? when will they pay?); on the 25th of the second month of a
quarter (Feb, May, Aug, Nov) they find the true reason of each household still
unpaid; in the last month of a quarter (Mar, Jun, Sep, Dec) the 15th–21st round
reconfirms the promised dates and checks service problems are solved — instead
of the monthly one — and the 22nd–27th reconfirms again (恶意欠费: the lawyer's
letter). A daily job opens a round on any day of its window (so a job that was
down catches up), once per community (a unique key); its call list holds the
households in arrears, each once, for the zone's butler.
"""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.models import Community
from core.services import raise_reminder
from fees.choices import CallChannel, Reason, RoundKind
from fees.models import BillLine, CollectionCall, CollectionRound, CollectionTask

QUARTER_ENDS = (3, 6, 9, 12)
QUARTER_MIDDLES = (2, 5, 8, 11)


def windows(month):
    """The rounds of `month` (its 1st) as (kind, first day, last day)."""
    last = calendar.monthrange(month.year, month.month)[1]
    day = month.replace
    if month.month in QUARTER_ENDS:
        rows = [(RoundKind.QUARTER, day(day=15), day(day=21)), (RoundKind.FINAL, day(day=22), day(day=27))]
    else:
        rows = [(RoundKind.MONTHLY, day(day=15), day(day=21))]
    if month.month in QUARTER_MIDDLES:
        rows.append((RoundKind.REASON, day(day=25), day(day=last)))
    return rows


def open_due_rounds(*, now=None):
    """The beat job (daily). Returns how many rounds it opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = 0
    for kind, first, last in windows(today.replace(day=1)):
        if not first <= today <= last:
            continue
        for community in Community.objects.all():
            if open_round(community, kind, first, last, today) is not None:
                opened += 1
    return opened


def open_round(community, kind, first, last, today):
    """Open one round with its call list; None when it was open already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                round_ = CollectionRound.objects.create(community=community, kind=kind, opened_on=first, ends_on=last)
        except IntegrityError:
            return None
        owing = (
            BillLine.objects.filter(community=community, open_amount__gt=0, due_date__lt=today)
            .values("house_id", "house__butler_id")
            .annotate(total=Sum("open_amount"))
            .order_by("house_id")
        )
        tasks = [
            CollectionTask(
                round=round_, house_id=row["house_id"], butler_id=row["house__butler_id"], arrears=row["total"]
            )
            for row in owing
        ]
        CollectionTask.objects.bulk_create(tasks, ignore_conflicts=True)
        per_butler = {}
        for task in tasks:
            if task.butler_id:
                per_butler[task.butler_id] = per_butler.get(task.butler_id, 0) + 1
        from core.models import User

        for butler in User.objects.filter(pk__in=per_butler):
            raise_reminder(
                recipient=butler,
                kind="fees.round",
                key=f"collection-round:{round_.pk}",
                text=f"{round_.get_kind_display()}：您片区 {per_butler[butler.pk]} 户欠费，"
                f"请在 {last:%m-%d} 前逐户联系并登记催收记录。",
                about=round_,
                community=community,
                url=reverse("fees:tasks"),
                due_at=timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59))),
            )
    return round_


@transaction.atomic
def record_call(
    *,
    house,
    actor,
    channel,
    person_reached,
    answer,
    statement_received=None,
    promised_date=None,
    reason="",
    next_step="",
    task=None,
    now=None,
):
    """One line of the 《物管费催收记录表》. 物业服务问题 opens a complaint through
    the complaints service, the butler its first-responsible owner, linked both
    ways [003 L532]."""
    from complaints import services as complaints

    now = now or timezone.now()
    community = house.community
    if house.butler_id != actor.pk and not actor.has_role(community, Role.SUPERVISOR, Role.MANAGER, Role.FINANCE):
        raise PermissionDenied("只有片区管家、客服主管、经理或财务可以登记催收记录。")
    errors = {}
    if channel not in CallChannel.values:
        errors["channel"] = "请选择联系方式。"
    if not (person_reached or "").strip():
        errors["person_reached"] = "请填写联系到的人。"
    if not (answer or "").strip():
        errors["answer"] = "请填写业主的答复。"
    if reason and reason not in Reason.values:
        errors["reason"] = "请选择欠费原因。"
    if promised_date is not None and promised_date < timezone.localdate(now):
        errors["promised_date"] = "承诺缴费日期不能早于今天。"
    if task is not None and task.house_id != house.pk:
        errors["task"] = "催缴任务与房屋不符。"
    if errors:
        raise ValidationError(errors)
    complaint = None
    if reason == Reason.SERVICE:
        complaint = complaints.receive_complaint(
            community=community,
            actor=actor,
            kind="complaint",
            channel="visit" if channel == CallChannel.DOOR else "phone",
            category="other",
            house=house,
            reporter_name=person_reached.strip(),
            description=f"催缴物业费时业主反映（物业服务问题）：{answer.strip()}",
            received_at=now,
        )
    call = CollectionCall(
        community=community,
        house=house,
        task=task,
        butler=actor,
        called_at=now,
        channel=channel,
        person_reached=person_reached.strip(),
        statement_received=statement_received,
        answer=answer.strip(),
        promised_date=promised_date,
        reason=reason,
        next_step=next_step.strip(),
        complaint=complaint,
    )
    call._history_user = actor
    call.save()
    if task is not None:
        CollectionTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now)
    return call


def remind_after_service_problems(*, now=None):
    """Daily: when the complaint a 物业服务问题 call opened is resolved (办结) or closed, the butler is
    reminded to reply to the household, make the return visit and remind them to
    pay [003 L534] — once per call."""
    from complaints.choices import Status

    now = now or timezone.now()
    calls = CollectionCall.objects.filter(
        reason=Reason.SERVICE, complaint__status__in=(Status.CLOSED, Status.VISITED, Status.RESOLVED)
    ).select_related("butler", "house", "complaint", "community")
    count = 0
    for call in calls:
        raised = raise_reminder(
            recipient=call.butler,
            kind="fees.service_solved",
            key=f"collection-call:{call.pk}:solved",
            text=f"{call.house.number} 反映的物业服务问题（{call.complaint.number}）已处理，"
            "请回复业主、做好回访并提醒缴纳物业费。",
            about=call,
            community=call.community,
            url=f"/complaints/{call.complaint_id}/",
        )
        count += raised is not None
    return count
