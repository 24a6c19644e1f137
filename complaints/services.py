"""Everything that changes a complaint (STYLE: services own the rules).

Each service runs in one transaction, locks the complaint row, checks who may
act and in which status, writes a timeline entry and lets `clocks.refresh`
recompute the deadlines.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from complaints import clocks, rules
from complaints.choices import (
    Action,
    Decision,
    EntryStatus,
    Kind,
    Status,
    Validity,
)
from complaints.models import AnswerEntry, Complaint, ComplaintEvent, ComplaintPause, ComplaintPhoto, ReceptionSession
from core.choices import Role
from core.models import Membership
from core.selectors import staff_with_role
from core.services import close_reminders, next_number, raise_reminder, raise_reminders
from core.uploads import save_photo
from visits.choices import Satisfaction

NUMBER_TEMPLATE = "{prefix}-{year}-{n:06d}"
MAX_PHOTOS = 9
LATE_ENTRY_DAYS = 30  # a letter may be registered up to a month after it arrived


def _url(complaint):
    return f"/complaints/{complaint.pk}/"


def _locked(complaint):
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("community", "owner", "handler", "department")
        .get(pk=complaint.pk)
    )


def _event(complaint, action, *, actor, note="", at=None, photos=()):
    event = ComplaintEvent.objects.create(
        complaint=complaint, at=at or timezone.now(), actor=actor, action=action, note=note, status=complaint.status
    )
    for upload in photos:
        attach_photo(complaint, upload, event=event)
    return event


def _save(complaint, actor, *fields):
    complaint._history_user = actor
    complaint.save(update_fields=list(fields) if fields else None)


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


def _allow(condition, message="您无权对该投诉执行此操作。"):
    if not condition:
        raise PermissionDenied(message)


def attach_photo(complaint, upload, *, event=None):
    return save_photo(ComplaintPhoto(complaint=complaint, event=event), upload)


def _member(user, community):
    return Membership.objects.filter(user=user, community=community, is_active=True).exists()


owes_return_visit = rules.owes_return_visit


# ---------------------------------------------------------------- intake


class _AlreadyReceived(Exception):
    def __init__(self, pk):
        self.pk = pk


def receive_complaint(*, intake_key=None, **fields):
    """Register a matter (see `_receive`). With the intake form's `intake_key`, a
    second submission of the same form — a double tap, a retry after a timeout —
    returns the complaint the first one created (its `duplicate` attribute set),
    and the number it would have taken is given back."""
    if intake_key is not None:
        existing = Complaint.objects.filter(intake_key=intake_key).first()
        if existing is not None:
            existing.duplicate = True
            return existing
    try:
        complaint = _receive(intake_key=intake_key, **fields)
    except _AlreadyReceived as again:
        complaint = Complaint.objects.get(pk=again.pk)
        complaint.duplicate = True
        return complaint
    complaint.duplicate = False
    return complaint


@transaction.atomic
def _receive(
    *,
    intake_key=None,
    community,
    actor,
    kind,
    channel,
    category,
    description,
    reporter_name,
    urgency="normal",
    house=None,
    contact="",
    location="",
    is_household_incident=False,
    is_municipal=False,
    received_at=None,
    photos=(),
    follow_up=None,
    reception=None,
    handler=None,
    answer_entry=None,
    counter_callback=False,
):
    """Register a matter; the receiver becomes its first-responsible owner (首问).

    From a visit follow-up, the follow-up is closed as converted and both point at
    each other. A question the counter could not answer raises the return-visit
    engine's 24-hour call-back. At a reception day the manager may designate the
    handler at once.
    """
    from visits import engine
    from visits.choices import Trigger
    from visits.services import convert_follow_up

    now = timezone.now()
    received_at = received_at or now
    _allow(actor.has_role(community, *rules.RECEIVERS), "您不是本小区员工，不能受理投诉。")
    errors = {}
    if received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在。"
    elif received_at < now - dt.timedelta(days=LATE_ENTRY_DAYS):
        errors["received_at"] = f"受理时间不能早于 {LATE_ENTRY_DAYS} 天前。"
    if house is not None and house.community_id != community.pk:
        errors["house"] = "房屋不属于本小区。"
    if house is None and not location.strip():
        errors["location"] = "请选择房屋，或填写公共区域地点。"
    if is_household_incident and kind != Kind.HELP:
        errors["is_household_incident"] = "只有“求助”可以标记为家中事故。"
    if is_household_incident and house is None:
        errors["house"] = "家中事故须选择房屋。"
    if counter_callback and house is None:
        errors["house"] = "现场无法答复需回电的，须选择房屋以便生成回访。"
    if answer_entry is not None and (
        answer_entry.community_id != community.pk or answer_entry.status != EntryStatus.APPROVED
    ):
        errors["answer_entry"] = "所选答复口径不存在或已停用。"
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"照片最多 {MAX_PHOTOS} 张。"
    if follow_up is not None and follow_up.community_id != community.pk:
        errors["follow_up"] = "跟进事项不属于本小区。"
    if reception is not None and reception.community_id != community.pk:
        errors["reception"] = "接待日不属于本小区。"
    if handler is not None and not _member(handler, community):
        errors["handler"] = "指定的责任人不是本小区员工。"
    if errors:
        raise ValidationError(errors)

    policy = clocks.Policy(community)
    number = next_number(
        community=community,
        kind="complaint",
        prefix="TS",
        year=timezone.localdate(received_at).year,
        template=NUMBER_TEMPLATE,
    )
    if intake_key is not None:
        # The counter row lock serialises intakes of one community: a concurrent
        # submission of the same form has committed by now, and rolling back
        # returns the number.
        earlier = Complaint.objects.filter(intake_key=intake_key).values_list("pk", flat=True).first()
        if earlier is not None:
            raise _AlreadyReceived(earlier)
    complaint = Complaint(
        community=community,
        intake_key=intake_key,
        number=number,
        kind=kind,
        channel=channel,
        category=category,
        urgency=urgency,
        house=house,
        reporter_name=reporter_name.strip(),
        contact=contact.strip(),
        location=location.strip(),
        description=description.strip(),
        is_household_incident=is_household_incident,
        is_municipal=is_municipal,
        received_at=received_at,
        received_by=actor,
        owner=actor,
        reception=reception,
        answer_entry=answer_entry,
        follow_up=follow_up,
        resolution_started_at=received_at,
        answer_allowance=policy.answer_allowance(category, urgency),
        resolution_allowance=policy.resolution_allowance(category),
    )
    complaint._history_user = actor
    complaint.full_clean(exclude=["number", "intake_key"])
    complaint.save()
    note = f"渠道：{complaint.get_channel_display()}"
    if answer_entry is not None:
        note += f"；引用答复口径：{answer_entry.question}"
    _event(complaint, Action.RECEIVED, actor=actor, note=note, at=received_at, photos=photos)
    if follow_up is not None:
        try:
            convert_follow_up(follow_up, actor=actor, target=complaint)
        except ValidationError as error:
            raise ValidationError({"follow_up": error.messages}) from None
    if counter_callback:
        engine.raise_return_visit(
            Trigger.COUNTER_QUESTION,
            house=house,
            occurred_at=received_at,
            source=complaint,
            note=f"{complaint.number} {description[:60]}",
        )
        _event(complaint, Action.COUNTER_CALLBACK, actor=actor, note="已生成主管 24 小时内回电任务")
    clocks.refresh(complaint, policy=policy)
    if kind == Kind.SUGGESTION:
        raise_reminders(
            recipients=staff_with_role(community, Role.MANAGER),
            kind="complaints.suggestion",
            key=f"complaint:{complaint.pk}:suggestion",
            text=f"业主建议待您决定：{complaint.number} {complaint.description[:40]}",
            about=complaint,
            community=community,
            url=_url(complaint),
        )
    if handler is not None:
        department = (
            Membership.objects.filter(user=handler, community=community, department__isnull=False)
            .select_related("department")
            .first()
        )
        complaint = dispatch(
            complaint,
            actor=actor,
            handler=handler,
            department=department.department if department else None,
            note="接待日经理指定责任人" if reception else "",
            check=False,
        )
    from complaints.escalation import escalate

    escalate(complaint, policy=policy)
    return complaint


# ---------------------------------------------------------------- workflow


@transaction.atomic
def dispatch(complaint, *, actor, department, handler, note="", check=True):
    """派单: the responsible department and its handler; the owner stays the owner."""
    complaint = _locked(complaint)
    if check:
        _allow(rules.may_dispatch(actor, complaint), "只有首问责任人、主管或经理可以派单。")
    _require(
        complaint.status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS),
        f"{complaint.get_status_display()}的投诉不能派单。",
    )
    errors = {}
    if department is not None and department.community_id != complaint.community_id:
        errors["department"] = "部门不属于本小区。"
    if handler is None:
        errors["handler"] = "请选择处理人。"
    elif not _member(handler, complaint.community):
        errors["handler"] = "处理人不是本小区员工。"
    if errors:
        raise ValidationError(errors)
    complaint.department, complaint.handler, complaint.status = department, handler, Status.DISPATCHED
    _save(complaint, actor, "department", "handler", "status")
    where = f"{department.name} · " if department else ""
    _event(
        complaint, Action.DISPATCHED, actor=actor, note=f"{where}{handler.display_name}" + (f"；{note}" if note else "")
    )
    raise_reminder(
        recipient=handler,
        kind="complaints.dispatched",
        key=f"complaint:{complaint.pk}:dispatched:{complaint.round}:{handler.pk}",
        text=f"派单给您：{complaint.number} {complaint.get_category_display()}，{complaint.description[:40]}",
        about=complaint,
        community=complaint.community,
        url=_url(complaint),
        due_at=complaint.answer_due_at if complaint.answered_at is None else complaint.resolution_due_at,
    )
    return complaint


@transaction.atomic
def start_work(complaint, *, actor, note=""):
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    _require(complaint.status == Status.DISPATCHED, "只有已派单的投诉可以开始处理。")
    complaint.status = Status.IN_PROGRESS
    _save(complaint, actor, "status")
    _event(complaint, Action.STARTED, actor=actor, note=note)
    return complaint


@transaction.atomic
def answer(complaint, *, actor, reply, promised_at=None, now=None):
    """已回复: a settled solution and a clear answer given; the answer clock stops.
    The promised completion time, if any, becomes the resolution deadline."""
    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    _require(complaint.answered_at is None and complaint.is_open, "该投诉已答复，不能重复答复。")
    if complaint.kind == Kind.SUGGESTION and not complaint.decision:
        raise ValidationError("建议须先由经理作出决定，再答复业主。")
    errors = {}
    if not reply.strip():
        errors["reply"] = "请填写给业主的答复。"
    if promised_at is not None and promised_at <= now:
        errors["promised_at"] = "承诺完成时间须晚于现在。"
    if errors:
        raise ValidationError(errors)
    policy = clocks.Policy(complaint.community)
    complaint.answered_late = clocks.is_answer_late(complaint, policy, now)
    complaint.reply, complaint.answered_at, complaint.status = reply.strip(), now, Status.ANSWERED
    if promised_at is not None:
        complaint.promised_at = promised_at
        complaint.resolution_allowance = clocks.resolution_allowance_until(complaint, policy, promised_at)
    _save(complaint, actor)
    note = reply.strip() + (f"（承诺 {timezone.localtime(promised_at):%Y-%m-%d %H:%M} 前完成）" if promised_at else "")
    _event(complaint, Action.ANSWERED, actor=actor, note=note, at=now)
    clocks.refresh(complaint, policy=policy)
    return complaint


@transaction.atomic
def resolve(complaint, *, actor, result, reply="", signature="", photos=(), now=None):
    """已办结: the work is done; the resolution clock stops and the return visit is
    raised through the visits engine (a major complaint jointly; a household
    incident by the manager)."""
    from visits import engine
    from visits.choices import Trigger

    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    _require(complaint.is_open, f"{complaint.get_status_display()}的投诉不能办结。")
    errors = {}
    if not result.strip():
        errors["result"] = "请填写处理结果。"
    if complaint.answered_at is None and not reply.strip():
        errors["reply"] = "尚未答复业主：请同时填写给业主的答复。"
    if complaint.kind == Kind.SUGGESTION and not complaint.decision:
        errors["result"] = "建议须先由经理作出决定。"
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"照片最多 {MAX_PHOTOS} 张。"
    if errors:
        raise ValidationError(errors)
    policy = clocks.Policy(complaint.community)
    if complaint.answered_at is None:
        complaint.answered_late = clocks.is_answer_late(complaint, policy, now)
        complaint.reply, complaint.answered_at = reply.strip(), now
        _event(complaint, Action.ANSWERED, actor=actor, note=reply.strip(), at=now)
    complaint.resolved_late = clocks.is_resolution_late(complaint, policy, now)
    complaint.result, complaint.resolved_at, complaint.status = result.strip(), now, Status.RESOLVED
    if signature:
        complaint.signature = signature
    _save(complaint, actor)
    _event(complaint, Action.RESOLVED, actor=actor, note=result.strip(), at=now, photos=photos)
    clocks.refresh(complaint, policy=policy)
    for kind in ("complaints.warning", "complaints.overdue", "complaints.manager", "complaints.dispatched"):
        close_reminders(about=complaint, kind=kind)
    if owes_return_visit(complaint) and complaint.house_id:
        trigger = Trigger.HOUSEHOLD_INCIDENT if complaint.is_household_incident else Trigger.COMPLAINT_CLOSED
        raised = engine.raise_return_visit(
            trigger,
            house=complaint.house,
            occurred_at=now,
            source=complaint,
            note=f"{complaint.number} {complaint.description[:60]}",
            joint=complaint.is_major,
            occasion=complaint.round if complaint.round > 1 else None,
        )
        if raised is not None:
            who = "经理及部门负责人" if trigger == Trigger.HOUSEHOLD_INCIDENT else raised.assignee.display_name
            joint = "（重大投诉：经理、大管家、部门负责人、管家共同回访）" if complaint.is_major else ""
            due = timezone.localtime(raised.due_at).strftime("%Y-%m-%d") if raised.due_at else ""
            _event(complaint, Action.RETURN_VISIT_RAISED, actor=None, note=f"回访人：{who}，{due} 前{joint}", at=now)
    return complaint


def _apply_feedback(complaint, *, actor, satisfaction, reason, at, note):
    """已回访 with the reporter's satisfaction; 不满意 reopens it to the supervisor."""
    if satisfaction == Satisfaction.DISSATISFIED and not reason.strip():
        raise ValidationError({"dissatisfaction_reason": "不满意时请填写原因。"})
    complaint.satisfaction, complaint.dissatisfaction_reason = satisfaction, reason.strip()
    complaint.return_visited_at, complaint.status = at, Status.VISITED
    _save(complaint, actor)
    label = dict(Satisfaction.choices).get(satisfaction, "未记录")
    _event(
        complaint,
        Action.RETURN_VISITED,
        actor=actor,
        note=f"{note}满意度：{label}" + (f"（{reason}）" if reason else ""),
        at=at,
    )
    if satisfaction == Satisfaction.DISSATISFIED:
        reopen(complaint, actor=actor, reason=reason, now=at)
    return complaint


@transaction.atomic
def record_return_visit(complaint, *, actor, satisfaction, reason="", now=None):
    """The return visit of a matter without a household (a public area, a passer-by)
    is logged here by phone; a household's goes through the visits engine."""
    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    _require(complaint.status == Status.RESOLVED, "只有已办结的投诉可以记录回访。")
    _require(complaint.house_id is None, "有房屋的投诉请在走访模块完成回访，完成后自动记录。")
    _require(satisfaction in Satisfaction.values, "请选择满意度。")
    return _apply_feedback(complaint, actor=actor, satisfaction=satisfaction, reason=reason, at=now, note="电话回访，")


def on_return_visit_done(sender, return_visit, visit, **kwargs):
    """The visits engine reports a logged return visit: if it was this app's,
    the complaint is 已回访 with the satisfaction the visit recorded."""
    from django.contrib.contenttypes.models import ContentType

    if return_visit.source_type_id != ContentType.objects.get_for_model(Complaint).pk:
        return
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=return_visit.source_id).first()
        if complaint is None or complaint.status != Status.RESOLVED:
            return
        reason = ""
        if visit.satisfaction == Satisfaction.DISSATISFIED:
            reason = (visit.reply or "回访时业主表示不满意")[:200]
        _apply_feedback(
            complaint,
            actor=visit.created_by,
            satisfaction=visit.satisfaction,
            reason=reason,
            at=visit.started_at,
            note=f"回访记录 #{visit.pk}，",
        )


@transaction.atomic
def reopen(complaint, *, actor, reason, now=None):
    """不满意: back to the supervisor with a new resolution clock (a new round, so
    the ladder runs again without an instant breach)."""
    now = now or timezone.now()
    complaint = _locked(complaint)
    policy = clocks.Policy(complaint.community)
    complaint.round += 1
    complaint.status = Status.ACCEPTED
    complaint.resolved_at = None
    complaint.resolution_started_at = now
    complaint.resolution_allowance = policy.resolution_allowance(complaint.category)
    complaint.promised_at = None
    _save(complaint, actor)
    _event(complaint, Action.REOPENED, actor=actor, note=reason, at=now)
    clocks.refresh(complaint, policy=policy)
    raise_reminders(
        recipients=staff_with_role(complaint.community, Role.SUPERVISOR),
        kind="complaints.reopened",
        key=f"complaint:{complaint.pk}:reopened:{complaint.round}",
        text=f"业主不满意，投诉重开：{complaint.number}（{reason[:40]}）",
        about=complaint,
        community=complaint.community,
        url=_url(complaint),
    )
    return complaint


@transaction.atomic
def close(complaint, *, actor, note="", now=None):
    """已关闭: after the return visit (or straight after 办结 for a matter that
    owes none: a question, a suggestion, praise)."""
    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    if complaint.status == Status.RESOLVED:
        _require(not owes_return_visit(complaint), "该投诉须回访后才能关闭。")
    else:
        _require(complaint.status == Status.VISITED, f"{complaint.get_status_display()}的投诉不能关闭。")
    if complaint.reception_id:
        _require(complaint.manager_signed_at is not None, "接待日登记的事项须经理签字后才能关闭。")
    complaint.status, complaint.closed_at = Status.CLOSED, now
    _save(complaint, actor, "status", "closed_at")
    _event(complaint, Action.CLOSED, actor=actor, note=note, at=now)
    close_reminders(about=complaint, kind="complaints.reopened")
    close_reminders(about=complaint, kind="complaints.reported")
    return complaint


@transaction.atomic
def void(complaint, *, actor, reason):
    """A complaint is never deleted: voided with a reason (a duplicate, a mistake)."""
    complaint = _locked(complaint)
    _allow(rules.is_reviewer(actor, complaint.community), "只有主管或经理可以作废投诉。")
    _require(complaint.status not in (Status.CLOSED, Status.VOID), "已关闭或已作废的投诉不能作废。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因。"})
    complaint.status, complaint.void_reason = Status.VOID, reason.strip()
    _save(complaint, actor, "status", "void_reason")
    _event(complaint, Action.VOIDED, actor=actor, note=reason.strip())
    clocks.refresh(complaint)
    for kind in (
        "complaints.reported",
        "complaints.warning",
        "complaints.overdue",
        "complaints.manager",
        "complaints.dispatched",
        "complaints.reopened",
    ):
        close_reminders(about=complaint, kind=kind)
    return complaint


# ---------------------------------------------------------------- clocks


@transaction.atomic
def pause(complaint, *, actor, reason, now=None):
    """挂起: the matter waits on the reporter; every clock stands still."""
    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    _require(complaint.is_open, f"{complaint.get_status_display()}的投诉不能挂起。")
    _require(not complaint.is_paused, "该投诉已挂起。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写挂起原因（等待业主的什么）。"})
    ComplaintPause.objects.create(complaint=complaint, started_at=now, reason=reason.strip(), started_by=actor)
    _event(complaint, Action.PAUSED, actor=actor, note=reason.strip(), at=now)
    return clocks.refresh(complaint)


@transaction.atomic
def resume(complaint, *, actor, now=None):
    now = now or timezone.now()
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    updated = ComplaintPause.objects.filter(complaint=complaint, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor
    )
    _require(updated, "该投诉没有挂起。")
    _event(complaint, Action.RESUMED, actor=actor, at=now)
    return clocks.refresh(complaint)


# ---------------------------------------------------------------- supervision


@transaction.atomic
def reassign_owner(complaint, *, actor, owner, reason):
    """首问责任人 changes only here: by a supervisor, with a reason kept in the timeline."""
    complaint = _locked(complaint)
    _allow(rules.is_supervisor(actor, complaint.community), "只有客服主管可以变更首问责任人。")
    _require(complaint.status not in (Status.CLOSED, Status.VOID), "已关闭或已作废的投诉不能变更首问责任人。")
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写变更原因。"
    if owner is None or not _member(owner, complaint.community):
        errors["owner"] = "新的首问责任人须是本小区员工。"
    elif owner.pk == complaint.owner_id:
        errors["owner"] = "新的首问责任人与原责任人相同。"
    if errors:
        raise ValidationError(errors)
    before = complaint.owner.display_name
    complaint.owner = owner
    _save(complaint, actor, "owner")
    _event(complaint, Action.REASSIGNED, actor=actor, note=f"{before} → {owner.display_name}：{reason.strip()}")
    raise_reminder(
        recipient=owner,
        kind="complaints.dispatched",
        key=f"complaint:{complaint.pk}:owner:{owner.pk}",
        text=f"您成为投诉 {complaint.number} 的首问责任人",
        about=complaint,
        community=complaint.community,
        url=_url(complaint),
    )
    return complaint


@transaction.atomic
def mark_major(complaint, *, actor, note=""):
    complaint = _locked(complaint)
    _allow(rules.is_reviewer(actor, complaint.community), "只有主管或经理可以认定重大投诉。")
    _require(not complaint.is_major, "该投诉已认定为重大投诉。")
    _require(complaint.status != Status.VOID, "已作废的投诉不能认定。")
    complaint.is_major = True
    _save(complaint, actor, "is_major")
    _event(complaint, Action.MARKED_MAJOR, actor=actor, note=note)
    raise_reminders(
        recipients=staff_with_role(complaint.community, Role.MANAGER),
        kind="complaints.major",
        key=f"complaint:{complaint.pk}:major",
        text=f"重大投诉：{complaint.number} {complaint.description[:40]}",
        about=complaint,
        community=complaint.community,
        url=_url(complaint),
    )
    return complaint


@transaction.atomic
def set_validity(complaint, *, actor, validity, reason):
    complaint = _locked(complaint)
    _allow(rules.is_reviewer(actor, complaint.community), "只有主管或经理可以认定有效或无效投诉。")
    errors = {}
    if validity not in (Validity.VALID, Validity.INVALID):
        errors["validity"] = "请选择有效或无效。"
    if not reason.strip():
        errors["validity_reason"] = "请填写认定理由。"
    if errors:
        raise ValidationError(errors)
    complaint.validity, complaint.validity_reason = validity, reason.strip()
    _save(complaint, actor, "validity", "validity_reason")
    _event(complaint, Action.VALIDITY, actor=actor, note=f"{complaint.get_validity_display()}：{reason.strip()}")
    return complaint


@transaction.atomic
def mark_reviewed(complaints, *, actor, community, now=None):
    """The supervisor's daily review [001]; returns how many were newly reviewed."""
    _allow(rules.is_reviewer(actor, community), "只有主管或经理可以审阅。")
    now = now or timezone.now()
    count = 0
    for complaint in Complaint.objects.select_for_update().filter(
        pk__in=[c.pk for c in complaints], community=community, reviewed_at__isnull=True
    ):
        complaint.reviewed_at, complaint.reviewed_by = now, actor
        _save(complaint, actor, "reviewed_at", "reviewed_by")
        _event(complaint, Action.REVIEWED, actor=actor, at=now)
        count += 1
    return count


@transaction.atomic
def decide_suggestion(complaint, *, actor, decision, measures, publish=False):
    """A suggestion goes to the manager, who decides; the measures are recorded for publication."""
    complaint = _locked(complaint)
    _allow(rules.is_manager(actor, complaint.community), "建议由经理决定。")
    _require(complaint.kind == Kind.SUGGESTION, "只有建议需要经理决定。")
    _require(complaint.is_open, f"{complaint.get_status_display()}的建议不能再决定。")
    errors = {}
    if decision not in (Decision.ADOPTED, Decision.PARTLY, Decision.DECLINED):
        errors["decision"] = "请选择决定。"
    if not measures.strip():
        errors["measures"] = "请填写采取的措施或不采纳的理由。"
    if errors:
        raise ValidationError(errors)
    complaint.decision, complaint.measures, complaint.publish_measures = decision, measures.strip(), publish
    _save(complaint, actor, "decision", "measures", "publish_measures")
    close_reminders(about=complaint, kind="complaints.suggestion")
    _event(complaint, Action.DECIDED, actor=actor, note=f"{complaint.get_decision_display()}：{measures.strip()}")
    return complaint


@transaction.atomic
def sign_off(complaint, *, actor, note=""):
    """经理签字 on a reception-day registration's result [004 附件4]."""
    complaint = _locked(complaint)
    _allow(rules.is_manager(actor, complaint.community), "接待日处理结果由经理签字。")
    _require(complaint.reception_id is not None, "只有接待日登记的事项需要经理签字。")
    _require(complaint.resolved_at is not None, "办结后经理才能签字。")
    _require(complaint.manager_signed_at is None, "经理已签字。")
    complaint.manager_signed_by, complaint.manager_signed_at = actor, timezone.now()
    _save(complaint, actor, "manager_signed_by", "manager_signed_at")
    _event(complaint, Action.SIGNED_OFF, actor=actor, note=note)
    return complaint


@transaction.atomic
def add_note(complaint, *, actor, note, photos=()):
    complaint = _locked(complaint)
    _allow(rules.may_work(actor, complaint))
    errors = {}
    if not note.strip():
        errors["note"] = "请填写处理记录。"
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"照片最多 {MAX_PHOTOS} 张。"
    if errors:
        raise ValidationError(errors)
    return _event(complaint, Action.NOTE, actor=actor, note=note.strip(), photos=photos)


@transaction.atomic
def reveal_contact(complaint, *, actor):
    """The reporter's number is confidential ([001] 业主电话属于保密内容): shown to
    those working the matter, and every look is in the timeline."""
    _allow(rules.may_work(actor, complaint))
    _event(complaint, Action.CONTACT_VIEWED, actor=actor)
    return complaint.contact


# ---------------------------------------------------------------- answer book


@transaction.atomic
def draft_entry(*, community, actor, question, answer, category, keywords="", revises=None):
    """A new question, or a new version of an approved one (`revises`)."""
    _allow(rules.is_reviewer(actor, community), "只有主管或经理可以编写答复口径。")
    errors = {}
    if not question.strip():
        errors["question"] = "请填写问题。"
    if not answer.strip():
        errors["answer"] = "请填写统一答复口径。"
    if errors:
        raise ValidationError(errors)
    fields = {
        "community": community,
        "question": question.strip(),
        "answer": answer.strip(),
        "category": category,
        "keywords": keywords.strip(),
        "drafted_by": actor,
    }
    if revises is not None:
        _require(revises.community_id == community.pk, "答复口径不属于本小区。")
        latest = AnswerEntry.objects.filter(lineage=revises.lineage).order_by("-version").first()
        _require(latest.status != EntryStatus.DRAFT, "该问题已有待审批的新版本。")
        fields.update(lineage=revises.lineage, version=latest.version + 1)
    entry = AnswerEntry(**fields)
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def approve_entry(entry, *, actor):
    """The manager approves a version; the version in force before it retires."""
    entry = AnswerEntry.objects.select_for_update().get(pk=entry.pk)
    _allow(rules.is_manager(actor, entry.community), "答复口径由经理批准。")
    _require(entry.status == EntryStatus.DRAFT, "只有待审批的版本可以批准。")
    AnswerEntry.objects.filter(lineage=entry.lineage, status=EntryStatus.APPROVED).update(status=EntryStatus.RETIRED)
    entry.status, entry.approved_by, entry.approved_at = EntryStatus.APPROVED, actor, timezone.now()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def retire_entry(entry, *, actor):
    entry = AnswerEntry.objects.select_for_update().get(pk=entry.pk)
    _allow(rules.is_manager(actor, entry.community), "答复口径由经理停用。")
    _require(entry.status != EntryStatus.RETIRED, "该版本已停用。")
    entry.status = EntryStatus.RETIRED
    entry._history_user = actor
    entry.save()
    return entry


# ---------------------------------------------------------------- reception day


@transaction.atomic
def open_reception(*, community, actor, date, manager, place="", attendees=""):
    _allow(rules.is_reviewer(actor, community), "接待日由经理或主管登记。")
    if not manager.has_role(community, Role.MANAGER):
        raise ValidationError({"manager": "接待人须是本小区经理。"})
    session = ReceptionSession(
        community=community,
        date=date,
        manager=manager,
        place=place.strip(),
        attendees=attendees.strip(),
        created_by=actor,
    )
    session._history_user = actor
    session.save()
    return session


@transaction.atomic
def summarise_reception(session, *, actor, summary):
    session = ReceptionSession.objects.select_for_update().get(pk=session.pk)
    _allow(rules.is_reviewer(actor, session.community), "接待日由经理或主管登记。")
    session.summary = summary.strip()
    session._history_user = actor
    session.save()
    return session


def refresh_open_clocks(community):
    """After the clock mode or warning point changed: recompute every open matter's
    deadlines (allowances already given stay as they were)."""
    policy = clocks.Policy(community)
    count = 0
    for complaint in Complaint.objects.open().filter(community=community).prefetch_related("pauses"):
        clocks.refresh(complaint, policy=policy)
        count += 1
    return count
