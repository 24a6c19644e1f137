"""Writes and jobs of the monthly visit summary and 《工作联系函》 (SPEC §2.4, §7 [002]).

Steps and who takes them:
  drafted on the 2nd by the job (last month; the 1st is when the month's last
  records are due) → the supervisor edits the narrative, may recompute the
  figures, submits by the 5th (moved to the next working day when the 5th is
  not one) → the manager decides each problem raised and approves within
  2 working days of submission, or returns it with a comment → the supervisor
  resubmits (2 working days to revise) → …

Each step is reminded the working day before its deadline and on the day, and
escalated once after it: submission to the manager, approval to the company
admins. Reminder keys carry the summary and its submission round, so a job run
twice, or on two workers, reminds once; a returned summary is reminded afresh.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.models import Community, User
from core.selectors import company_admins, staff_with_role
from core.services import next_number, raise_reminder
from core.workdays import WorkingCalendar, date_deadline, end_of_day
from visits import figures, progress
from visits.choices import (
    EDITABLE_SUMMARY_STATES,
    LetterStatus,
    ProblemDecision,
    SummaryAction,
    SummaryStatus,
)
from visits.models import MonthlySummary, SummaryEvent, SummaryProblem, WorkLetter
from visits.progress import Period

SUBMIT_BY_DAY = 5  # [002] 每月5日前
DRAFT_ON_DAY = 2
APPROVAL_WORKING_DAYS = 2  # [002] 经理于2个工作日内完成审批
RESUBMIT_WORKING_DAYS = 2
LETTER_REPLY_WORKING_DAYS = 5
EDITORS = (Role.SUPERVISOR,)
APPROVERS = (Role.MANAGER,)


def submit_deadline(period):
    """End of the 5th of the following month, or of the next working day after it."""
    following = period.following
    return date_deadline(dt.date(following.year, following.month, SUBMIT_BY_DAY))


def _log(summary, action, actor, comment=""):
    SummaryEvent.objects.create(summary=summary, action=action, actor=actor, at=timezone.now(), comment=comment)


def _url(summary):
    return reverse("visits:summary_detail", args=[summary.pk])


def _locked(summary):
    return MonthlySummary.objects.select_for_update().get(pk=summary.pk)


def _require(actor, community, allowed, message):
    if not actor.has_role(community, *allowed):
        raise PermissionDenied(message)


# --- drafting -----------------------------------------------------------------


def draft_summary(community, period, *, actor=None):
    """Last month's summary for `community`, drafted once. Returns (summary, created).

    The figures are computed before the insert; when another worker inserted the
    same month meanwhile, the unique constraint keeps theirs and ours is dropped."""
    existing = MonthlySummary.objects.filter(community=community, year=period.year, month=period.month).first()
    if existing is not None:
        return existing, False
    data = figures.compute(community, period)
    try:
        with transaction.atomic():
            summary = MonthlySummary.objects.create(
                community=community,
                year=period.year,
                month=period.month,
                figures=data,
                computed_at=timezone.now(),
                submit_due_at=submit_deadline(period),
            )
            _log(summary, SummaryAction.DRAFTED, actor, "系统自动生成" if actor is None else "")
    except IntegrityError:
        return MonthlySummary.objects.get(community=community, year=period.year, month=period.month), False
    for person in staff_with_role(community, Role.SUPERVISOR):
        raise_reminder(
            recipient=person,
            kind="visits.summary_drafted",
            key=f"summary:{summary.pk}:drafted",
            text=f"{summary} 草稿已生成，请补充分析并于 {timezone.localtime(summary.submit_due_at):%m月%d日} 前提交。",
            about=summary,
            community=community,
            url=_url(summary),
            due_at=summary.submit_due_at,
        )
    return summary, True


def draft_due_summaries(*, today=None):
    """Daily: from the 2nd, draft last month's summary of every community that lacks one."""
    today = today or timezone.localdate()
    if today.day < DRAFT_ON_DAY:
        return 0
    period = Period.of(today).previous
    created = 0
    for community in Community.objects.order_by("pk"):
        created += draft_summary(community, period)[1]
    return created


@transaction.atomic
def recompute_summary(summary, *, actor):
    """Refresh the figures from the records (before submission only); logged with what changed."""
    _require(actor, summary.community, EDITORS, "只有客服主管可以重新计算数据。")
    summary = _locked(summary)
    if summary.status not in EDITABLE_SUMMARY_STATES:
        raise ValidationError("已提交或已批准的总结不能重新计算数据。")
    before = summary.figures
    summary.figures = figures.compute(summary.community, Period(summary.year, summary.month))
    summary.computed_at = timezone.now()
    summary._history_user = actor
    summary.save()
    _log(summary, SummaryAction.RECOMPUTED, actor, _changes(before, summary.figures))
    return summary


def _changes(before, after):
    pairs = [
        ("访问记录", ("visits", "total")),
        ("逾期记录", ("visits", "late")),
        ("已访问住户", ("coverage", "reached")),
        ("业主意见", ("opinions", "total")),
        ("新增跟进", ("follow_ups", "opened")),
        ("本轮未访问", ("never_visited", "count")),
    ]
    changed = []
    for label, (section, key) in pairs:
        old = before.get(section, {}).get(key)
        new = after.get(section, {}).get(key)
        if old != new:
            changed.append(f"{label} {old}→{new}")
    return "；".join(changed) or "数据无变化"


# --- the supervisor's part ----------------------------------------------------------


@transaction.atomic
def save_narrative(summary, *, actor, analysis, measures, next_month_plan, problems):
    """The supervisor writes the narrative; `problems` is the list of problems found
    (texts, in order). A reworded problem loses the manager's earlier decision; a
    moved one keeps it; an escalated one (a letter went out) cannot change."""
    _require(actor, summary.community, EDITORS, "只有客服主管可以编写总结。")
    summary = _locked(summary)
    if summary.status not in EDITABLE_SUMMARY_STATES:
        raise ValidationError("总结已提交，不能修改。")
    summary.analysis = analysis.strip()
    summary.measures = measures.strip()
    summary.next_month_plan = next_month_plan.strip()
    summary._history_user = actor
    summary.save()
    texts = [text.strip() for text in problems if text and text.strip()]
    existing = list(summary.problems.select_related("letter").order_by("position", "pk"))
    # Matched by text, not by line: moving a problem up keeps the manager's decision;
    # a reworded one is a new problem (its old decision no longer applies).
    unused = list(existing)
    for position, text in enumerate(texts):
        match = next((problem for problem in unused if problem.description == text), None)
        if match is None:
            SummaryProblem.objects.create(summary=summary, description=text, position=position)
            continue
        unused.remove(match)
        if match.position != position:
            match.position = position
            match._history_user = actor
            match.save()
    for problem in unused:
        if hasattr(problem, "letter"):
            raise ValidationError(f"问题“{problem.description[:20]}”已上报工作联系函，不能修改或删除。")
        problem.delete()
    _log(summary, SummaryAction.EDITED, actor)
    return summary


@transaction.atomic
def submit_summary(summary, *, actor):
    _require(actor, summary.community, EDITORS, "只有客服主管可以提交总结。")
    summary = _locked(summary)
    if summary.status not in EDITABLE_SUMMARY_STATES:
        raise ValidationError("总结已提交。")
    if not summary.analysis.strip():
        raise ValidationError("请先填写访问情况分析再提交。")
    now = timezone.now()
    resubmission = summary.status == SummaryStatus.RETURNED
    summary.status = SummaryStatus.SUBMITTED
    summary.round += 1
    summary.submitted_at = now
    summary.submitted_by = actor
    summary.first_submitted_at = summary.first_submitted_at or now
    summary.approval_due_at = WorkingCalendar().add_working_days(now, APPROVAL_WORKING_DAYS)
    summary._history_user = actor
    summary.save()
    _log(summary, SummaryAction.SUBMITTED, actor, "重新提交" if resubmission else "")
    for person in staff_with_role(summary.community, Role.MANAGER):
        raise_reminder(
            recipient=person,
            kind="visits.summary_submitted",
            key=f"summary:{summary.pk}:r{summary.round}:submitted",
            text=f"{summary} 已提交，请于 {timezone.localtime(summary.approval_due_at):%m月%d日} 前审批。",
            about=summary,
            community=summary.community,
            url=_url(summary),
            due_at=summary.approval_due_at,
        )
    return summary


# --- the manager's part -------------------------------------------------------------


@transaction.atomic
def decide_problem(problem, *, actor, decision, note, letter=None):
    """The manager's decision on one problem. Escalating sends a 《工作联系函》
    (`letter`: subject, content, requested_action) in the same step."""
    summary = _locked(problem.summary)
    _require(actor, summary.community, APPROVERS, "只有经理可以对问题作出处理决定。")
    if summary.status != SummaryStatus.SUBMITTED:
        raise ValidationError("只能对待审批的总结作出处理决定。")
    problem = SummaryProblem.objects.select_for_update().get(pk=problem.pk)
    if decision not in ProblemDecision.values:
        raise ValidationError("请选择处理决定。")
    already_sent = WorkLetter.objects.filter(problem=problem).exists()
    if already_sent and decision != ProblemDecision.ESCALATE:
        raise ValidationError("该问题已上报工作联系函，不能改为其他决定。")
    if decision != ProblemDecision.NOTED and not note.strip() and not letter:
        raise ValidationError("请写明处理措施。")
    problem.decision = decision
    problem.decision_note = note.strip()
    problem.decided_by = actor
    problem.decided_at = timezone.now()
    problem._history_user = actor
    problem.save()
    if decision == ProblemDecision.ESCALATE and not already_sent:
        if not letter:
            raise ValidationError("上报公司时请填写工作联系函。")
        send_letter(community=summary.community, actor=actor, problem=problem, **letter)
    _log(summary, SummaryAction.DECIDED, actor, f"{problem.description[:30]}：{problem.get_decision_display()}")
    return problem


@transaction.atomic
def decide_summary(summary, *, actor, approve, comment=""):
    _require(actor, summary.community, APPROVERS, "只有经理可以审批总结。")
    summary = _locked(summary)
    if summary.status != SummaryStatus.SUBMITTED:
        raise ValidationError("只有待审批的总结可以审批。")
    if summary.submitted_by_id == actor.pk and not actor.is_company_admin:
        # Someone holding both roles in a small community: the approval goes up a level.
        raise PermissionDenied("不能审批本人提交的总结，请由其他经理或公司管理员审批。")
    comment = comment.strip()
    if approve and summary.problems.filter(decision="").exists():
        raise ValidationError("请先对每个问题作出处理决定，再批准。")
    if not approve and not comment:
        raise ValidationError("退回时请写明意见。")
    now = timezone.now()
    summary.status = SummaryStatus.APPROVED if approve else SummaryStatus.RETURNED
    summary.decided_by = actor
    summary.decided_at = now
    summary.decision_comment = comment
    if not approve:
        summary.submit_due_at = WorkingCalendar().add_working_days(now, RESUBMIT_WORKING_DAYS)
    summary._history_user = actor
    summary.save()
    _log(summary, SummaryAction.APPROVED if approve else SummaryAction.RETURNED, actor, comment)
    text = f"{summary} 已批准。" if approve else f"{summary} 被退回：{comment}"
    recipients = [summary.submitted_by] if summary.submitted_by else staff_with_role(summary.community, Role.SUPERVISOR)
    for person in recipients:
        raise_reminder(
            recipient=person,
            kind="visits.summary_decided",
            key=f"summary:{summary.pk}:r{summary.round}:decided",
            text=text,
            about=summary,
            community=summary.community,
            url=_url(summary),
            due_at=None if approve else summary.submit_due_at,
        )
    return summary


# --- 《工作联系函》 ---------------------------------------------------------------------


def _letter_url(letter):
    return reverse("visits:letter_detail", args=[letter.pk])


@transaction.atomic
def send_letter(*, community, actor, subject, content, requested_action, problem=None):
    _require(actor, community, APPROVERS, "只有经理可以向公司报送工作联系函。")
    subject, content, requested_action = subject.strip(), content.strip(), requested_action.strip()
    if not subject or not content or not requested_action:
        raise ValidationError("请填写主题、事由和请求事项。")
    now = timezone.now()
    letter = WorkLetter(
        community=community,
        number=next_number(community=community, kind="letter", prefix="LXH"),
        problem=problem,
        subject=subject[:100],
        content=content,
        requested_action=requested_action,
        sent_by=actor,
        sent_at=now,
        reply_due_at=WorkingCalendar().add_working_days(now, LETTER_REPLY_WORKING_DAYS),
    )
    letter._history_user = actor
    letter.save()
    for person in company_admins(community.company):
        raise_reminder(
            recipient=person,
            kind="visits.letter_sent",
            key=f"letter:{letter.pk}:sent",
            text=f"{community} 报送工作联系函 {letter.number}：{letter.subject}，请于 "
            f"{timezone.localtime(letter.reply_due_at):%m月%d日} 前回复。",
            about=letter,
            community=community,
            url=_letter_url(letter),
            due_at=letter.reply_due_at,
        )
    return letter


@transaction.atomic
def reply_letter(letter, *, actor, reply):
    if not (actor.is_company_admin or actor.is_superuser) or (
        actor.company_id and actor.company_id != letter.community.company_id
    ):
        raise PermissionDenied("只有公司管理员可以回复工作联系函。")
    letter = WorkLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.SENT:
        raise ValidationError("该联系函已回复。")
    if not reply.strip():
        raise ValidationError("请填写回复内容。")
    letter.reply = reply.strip()
    letter.replied_by = actor
    letter.replied_at = timezone.now()
    letter.status = LetterStatus.REPLIED
    letter._history_user = actor
    letter.save()
    raise_reminder(
        recipient=letter.sent_by,
        kind="visits.letter_replied",
        key=f"letter:{letter.pk}:replied",
        text=f"公司已回复工作联系函 {letter.number}：{letter.subject}",
        about=letter,
        community=letter.community,
        url=_letter_url(letter),
    )
    return letter


@transaction.atomic
def close_letter(letter, *, actor, note=""):
    _require(actor, letter.community, APPROVERS, "只有经理可以办结工作联系函。")
    letter = WorkLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.REPLIED:
        raise ValidationError("公司回复后才能办结。")
    letter.status = LetterStatus.CLOSED
    letter.closed_by = actor
    letter.closed_at = timezone.now()
    letter.close_note = note.strip()
    letter._history_user = actor
    letter.save()
    return letter


# --- reminder jobs ----------------------------------------------------------------


def _working_day_before(calendar, day):
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _step_reminders(calendar, now, due_at):
    """Which reminder a deadline calls for at `now`: 'eve', 'day', 'overdue' or None."""
    if now > due_at:
        return "overdue"
    today, due_day = timezone.localdate(now), timezone.localdate(due_at)
    if today == due_day:
        return "day"
    if today == _working_day_before(calendar, due_day):
        return "eve"
    return None


def remind_summaries(*, now=None):
    """Hourly in office hours: remind and escalate submission and approval deadlines."""
    now = now or timezone.now()
    calendar = WorkingCalendar()
    raised = 0
    active = MonthlySummary.objects.exclude(status=SummaryStatus.APPROVED).select_related("community")
    for summary in active.order_by("pk"):
        community = summary.community
        if summary.status in EDITABLE_SUMMARY_STATES:
            step, due_at = _step_reminders(calendar, now, summary.submit_due_at), summary.submit_due_at
            owners, escalate_to, stage = staff_with_role(community, Role.SUPERVISOR), Role.MANAGER, "submit"
            what = "提交"
        else:
            step, due_at = _step_reminders(calendar, now, summary.approval_due_at), summary.approval_due_at
            owners, escalate_to, stage = staff_with_role(community, Role.MANAGER), None, "approve"
            what = "审批"
        if step is None:
            continue
        due_text = f"{timezone.localtime(due_at):%m月%d日}"
        if step == "overdue":
            recipients = owners + (
                staff_with_role(community, escalate_to) if escalate_to else company_admins(community.company)
            )
            text = f"{summary} 已超过{what}期限（{due_text}），尚未{what}。"
        else:
            recipients = owners
            text = f"{summary} 须于{'今天' if step == 'day' else '明天'}（{due_text}）前{what}。"
        for person in dict.fromkeys(recipients):
            raised += bool(
                raise_reminder(
                    recipient=person,
                    kind=f"visits.summary_{stage}_{step}",
                    key=f"summary:{summary.pk}:r{summary.round}:{stage}:{step}",
                    text=text,
                    about=summary,
                    community=community,
                    url=_url(summary),
                    due_at=due_at,
                )
            )
    return raised


def remind_letters(*, now=None):
    """Letters the company has not answered by their reply date: the company
    admins and the sender are reminded once on the day and once after it."""
    now = now or timezone.now()
    raised = 0
    for letter in WorkLetter.objects.filter(status=LetterStatus.SENT).select_related("community", "sent_by"):
        if now > letter.reply_due_at:
            step = "overdue"
        elif timezone.localdate(now) == timezone.localdate(letter.reply_due_at):
            step = "day"
        else:
            continue
        recipients = company_admins(letter.community.company) + ([letter.sent_by] if step == "overdue" else [])
        text = f"工作联系函 {letter.number}（{letter.subject}）" + (
            "已超过回复期限，公司尚未回复。" if step == "overdue" else "今天到回复期限。"
        )
        for person in dict.fromkeys(recipients):
            raised += bool(
                raise_reminder(
                    recipient=person,
                    kind=f"visits.letter_{step}",
                    key=f"letter:{letter.pk}:{step}",
                    text=text,
                    about=letter,
                    community=letter.community,
                    url=_letter_url(letter),
                    due_at=letter.reply_due_at,
                )
            )
    return raised


def remind_coverage(*, today=None):
    """Daily on working days: butlers below the pro-rata target of the month so
    far (working days up to yesterday) are reminded; supervisors get who is
    behind and by how much. Nothing on the month's first day: nothing elapsed."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()
    if not calendar.is_working_day(today) or today.day == 1:
        return 0
    yesterday = today - dt.timedelta(days=1)
    period = Period.of(today)
    url = reverse("visits:coverage")
    raised = 0
    for community in Community.objects.order_by("pk"):
        rows, _info = progress.staff_progress(community, period, as_of=yesterday)
        butlers = set(community.memberships.filter(role=Role.BUTLER, is_active=True).values_list("user_id", flat=True))
        behind = [row for row in rows if row.behind and row.user_id in butlers]
        if not behind:
            continue
        people = User.objects.in_bulk([row.user_id for row in behind])
        for row in behind:
            raised += bool(
                raise_reminder(
                    recipient=people[row.user_id],
                    kind="visits.coverage_behind",
                    key=f"coverage:{community.pk}:{today.isoformat()}",
                    text=f"本月走访进度落后：已访 {row.done} 户，截至昨日应达 {row.target} 户"
                    f"（本月共 {row.required} 户），还差 {row.shortfall} 户。",
                    community=community,
                    url=url,
                    due_at=end_of_day(period.last_day),
                )
            )
        digest = "；".join(f"{row.name} 差 {row.shortfall} 户（{row.done}/{row.target}）" for row in behind)
        for person in staff_with_role(community, Role.SUPERVISOR):
            raised += bool(
                raise_reminder(
                    recipient=person,
                    kind="visits.coverage_shortfall",
                    key=f"coverage-digest:{community.pk}:{today.isoformat()}",
                    text=f"截至昨日走访进度落后 {len(behind)} 人：{digest}",
                    community=community,
                    url=url,
                )
            )
    return raised
