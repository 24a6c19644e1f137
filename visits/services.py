"""Writes of the visits app (SPEC §2). Views, jobs and the demo seeder call these."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.choices import Role
from core.jobs import claim_each
from core.selectors import staff_with_role
from core.services import apply_changes, raise_reminder
from core.uploads import save_photo
from core.workdays import end_of_day
from visits import engine
from visits.choices import FollowUpStatus, PlanStatus, ReturnVisitStatus, Satisfaction, Signature, VisitStatus
from visits.models import FollowUp, Opinion, PlanItem, Visit, VisitDraft, VisitPhoto, VisitPlan, VisitPolicy
from visits.windows import plan_date_warning, window_warning

REVIEWERS = (Role.SUPERVISOR, Role.MANAGER)
# 《空置房巡视记录表》 items [003]
CHECKLIST_LABELS = {"doors_windows": "门窗", "switches": "水、电、气开关", "leaks": "渗漏", "cracks": "裂缝"}
# A repair's return visit asks about the technician's attitude, quality and manners [003 L508].
REPAIR_ASPECTS = {"attitude": "工作态度", "quality": "维修质量", "manners": "礼节礼貌"}


def record_due_at(started_at, policy):
    """SPEC §2.2 [002]: a record is due by the end of the day after the visit (local time)."""
    return end_of_day(timezone.localdate(started_at) + dt.timedelta(days=policy.record_due_days))


@transaction.atomic
def log_visit(
    *,
    house,
    actor,
    started_at,
    channel,
    visit_type,
    opinions=(),
    follow_ups=(),
    companions=(),
    people_met="",
    reply="",
    satisfaction="",
    signature=Signature.NOT_ASKED,
    window_reason="",
    contains_complaint=False,
    checklist=None,
    repair_ratings=None,
    owner_notified="",
    return_visit=None,
    photos=(),
    now=None,
):
    """Save a visit record with its opinions and follow-ups.

    Outside the time window a reason is required and stored (SPEC §2.2). A
    record submitted after its due time is marked late at once; the daily job
    catches those never submitted in time. A return visit logged here is
    completed — at once, or for a phone visit when a second person confirms.
    """
    now = now or timezone.now()
    policy = VisitPolicy.for_community(house.community)
    warning = window_warning(policy, channel, started_at)
    if warning and not window_reason.strip():
        raise ValidationError({"window_reason": f"{warning}请填写原因。"})
    if started_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"started_at": "访问时间不能晚于现在。"})
    if return_visit is not None and (return_visit.house_id != house.pk or return_visit.status != ReturnVisitStatus.DUE):
        raise ValidationError("该回访任务不属于此房屋或已完成。")
    if return_visit is not None and Visit.objects.filter(return_visit=return_visit).exists():
        raise ValidationError("该回访已有记录，正在等待第二人复核。")
    due_at = record_due_at(started_at, policy)
    visit = Visit(
        community=house.community,
        house=house,
        created_by=actor,
        started_at=started_at,
        channel=channel,
        visit_type=visit_type,
        people_met=people_met,
        reply=reply,
        satisfaction=satisfaction,
        signature=signature,
        window_reason=window_reason.strip() if warning else "",
        contains_complaint=contains_complaint,
        checklist=checklist or {},
        repair_ratings={
            k: v for k, v in (repair_ratings or {}).items() if k in REPAIR_ASPECTS and v in Satisfaction.values
        },
        owner_notified=owner_notified,
        return_visit=return_visit,
        due_at=due_at,
        submitted_at=now,
        is_late=now > due_at,
    )
    visit._history_user = actor
    visit.save()
    visit.companions.set([c for c in companions if c.pk != actor.pk])
    Opinion.objects.bulk_create([Opinion(visit=visit, category=c, content=text) for c, text in opinions if text])
    for item in follow_ups:
        create_follow_up(visit=visit, actor=actor, **item)
    defects = [CHECKLIST_LABELS.get(key, key) for key, value in (checklist or {}).items() if value == "defect"]
    if defects and not follow_ups:
        # [003] a defect found in a vacant house is followed up (a work order once repairs exist).
        create_follow_up(
            visit=visit,
            actor=actor,
            description=f"空置房巡视发现问题：{'、'.join(defects)}，需安排维修并告知业主。",
            due_at=now + dt.timedelta(days=3),
            category="repair",
        )
    for upload in photos:
        attach_photo(visit, upload)
    VisitDraft.objects.filter(user=actor, house=house).delete()
    if return_visit is not None and visit.counts:
        engine.complete_return_visit(return_visit, visit)
    if contains_complaint:
        _notify_reviewers(visit, "含投诉的访问记录，请转入投诉处理程序")
    return visit


def attach_photo(visit, upload, *, max_bytes=None):
    """A photo or scan of the signed form: JPEG/PNG/PDF by content, size-limited like archive uploads."""
    return save_photo(VisitPhoto(visit=visit), upload, max_bytes=max_bytes)


def _notify_reviewers(visit, text):
    for person in staff_with_role(visit.community, Role.SUPERVISOR):
        raise_reminder(
            recipient=person,
            kind="visits.review",
            key=f"visit-flag:{visit.pk}",
            text=f"{text}：{visit.house.number} {timezone.localtime(visit.started_at):%m-%d %H:%M}",
            about=visit,
            community=visit.community,
        )


@transaction.atomic
def confirm_phone_return_visit(visit, *, actor):
    """The second signature on a phone return visit (SPEC §2.2 [001]); then it counts."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not visit.needs_second_signature:
        raise ValidationError("只有电话回访需要第二人复核。")
    if visit.confirmed_at is not None:
        return visit
    if actor.pk == visit.created_by_id or visit.companions.filter(pk=actor.pk).exists():
        raise PermissionDenied("复核须由未参与此次回访的另一位员工完成。")
    if not actor.roles_in(visit.community):
        raise PermissionDenied("复核须由本小区的员工完成。")
    visit.confirmed_by = actor
    visit.confirmed_at = timezone.now()
    visit._history_user = actor
    visit.save()
    engine.complete_return_visit(visit.return_visit, visit)
    return visit


@transaction.atomic
def review_visit(visit, *, actor, decision, comment=""):
    """Daily review by the supervisor (SPEC §2.2 [001]): approve or send back."""
    if not actor.has_role(visit.community, *REVIEWERS):
        raise PermissionDenied("只有客服主管或经理可以审核访问记录。")
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.SUBMITTED:
        raise ValidationError("该记录已审核。")
    if decision == "return" and not comment.strip():
        raise ValidationError("退回时请写明原因。")
    visit.status = VisitStatus.APPROVED if decision == "approve" else VisitStatus.RETURNED
    visit.reviewed_by = actor
    visit.reviewed_at = timezone.now()
    visit.review_comment = comment.strip()[:200]
    visit._history_user = actor
    visit.save()
    if visit.status == VisitStatus.RETURNED:
        raise_reminder(
            recipient=visit.created_by,
            kind="visits.returned",
            key=f"visit-returned:{visit.pk}:{visit.reviewed_at.timestamp()}",
            text=f"访问记录被退回：{visit.house.number}，{visit.review_comment}",
            about=visit,
            community=visit.community,
        )
    return visit


@transaction.atomic
def resubmit_visit(visit, *, actor, **fields):
    """The author corrects a returned record and submits it again."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.created_by_id != actor.pk or visit.status != VisitStatus.RETURNED:
        raise PermissionDenied("只能修改被退回的本人记录。")
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.status = VisitStatus.SUBMITTED
    visit._history_user = actor
    visit.save()
    return visit


# --- follow-ups -------------------------------------------------------------


@transaction.atomic
def create_follow_up(*, actor, description, due_at, house=None, visit=None, owner=None, category=""):
    """An answer promised to an owner: it has an owner and a due time [000]."""
    house = house or visit.house
    if not description.strip():
        raise ValidationError({"description": "请填写跟进事项。"})
    follow_up = FollowUp(
        community=house.community,
        house=house,
        visit=visit,
        category=category,
        description=description.strip(),
        owner=owner or actor,
        due_at=due_at,
        created_by=actor,
    )
    follow_up._history_user = actor
    follow_up.save()
    raise_reminder(
        recipient=follow_up.owner,
        kind="visits.follow_up",
        key=f"follow-up:{follow_up.pk}:new",
        text=f"新的跟进事项（{house.number}）：{follow_up.description[:40]}，期限 "
        f"{timezone.localtime(due_at):%m-%d %H:%M}",
        about=follow_up,
        community=house.community,
        due_at=due_at,
    )
    return follow_up


@transaction.atomic
def close_follow_up(follow_up, *, actor, resolution):
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError("该跟进事项已关闭。")
    if not resolution.strip():
        raise ValidationError({"resolution": "请填写处理结果。"})
    follow_up.status = FollowUpStatus.DONE
    follow_up.resolution = resolution.strip()
    follow_up.closed_at = timezone.now()
    follow_up._history_user = actor
    follow_up.save()
    return follow_up


@transaction.atomic
def convert_follow_up(follow_up, *, actor, target):
    """Called by the complaints/repairs apps after they create `target` from this
    follow-up: the follow-up is closed as converted and points at it."""
    from django.contrib.contenttypes.models import ContentType

    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError("该跟进事项已关闭，不能再转办。")
    follow_up.status = FollowUpStatus.CONVERTED
    follow_up.converted_type = ContentType.objects.get_for_model(target)
    follow_up.converted_id = str(target.pk)
    follow_up.closed_at = timezone.now()
    follow_up._history_user = actor
    follow_up.save()
    return follow_up


REMIND_BEFORE = dt.timedelta(hours=4)


def remind_follow_ups(*, now=None):
    """Every few minutes: remind the owner before the due time; after it, escalate
    to the supervisors (SPEC §2.2 [000]). Each reminder once (unique keys)."""
    now = now or timezone.now()
    raised = 0
    soon = FollowUp.objects.open().filter(due_at__lte=now + REMIND_BEFORE).select_related("house", "owner", "community")
    for follow_up in soon:
        overdue = follow_up.due_at <= now
        if not overdue:
            raised += bool(
                raise_reminder(
                    recipient=follow_up.owner,
                    kind="visits.follow_up_due",
                    key=f"follow-up:{follow_up.pk}:due-soon",
                    text=f"跟进事项即将到期（{follow_up.house.number}）：{follow_up.description[:40]}",
                    about=follow_up,
                    community=follow_up.community,
                    due_at=follow_up.due_at,
                )
            )
            continue
        for person in staff_with_role(follow_up.community, Role.SUPERVISOR):
            raised += bool(
                raise_reminder(
                    recipient=person,
                    kind="visits.follow_up_overdue",
                    key=f"follow-up:{follow_up.pk}:overdue",
                    text=(
                        f"跟进事项已逾期（{follow_up.house.number}，负责人 {follow_up.owner}）："
                        f"{follow_up.description[:40]}"
                    ),
                    about=follow_up,
                    community=follow_up.community,
                    due_at=follow_up.due_at,
                )
            )
    return raised


def flag_late_visits(*, now=None):
    """Daily: records submitted after their due time are flagged late (SPEC §2.2),
    supervisors get yesterday's late records, and authors of drafts past their
    due time are reminded to submit them."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)

    def flag(visit):
        visit.is_late = True
        visit._history_user = None
        visit.save(update_fields=["is_late"])

    flagged = claim_each(Visit.objects.filter(is_late=False, submitted_at__gt=F("due_at")), flag)
    late = Visit.objects.filter(
        is_late=True,
        submitted_at__gte=end_of_day(yesterday - dt.timedelta(days=1)),
        submitted_at__lte=end_of_day(yesterday),
    )
    for community_id in late.values_list("community_id", flat=True).distinct().order_by():
        rows = late.filter(community_id=community_id)
        community = rows.first().community
        for person in staff_with_role(community, Role.SUPERVISOR):
            raise_reminder(
                recipient=person,
                kind="visits.late_records",
                key=f"late-records:{community_id}:{yesterday.isoformat()}",
                text=f"{yesterday:%m-%d} 有 {rows.count()} 条访问记录逾期提交（应在访问次日内提交）。",
                community=community,
                url="/visits/review/?late=1",
            )
    stale = VisitDraft.objects.filter(updated_at__lt=now - dt.timedelta(days=1)).select_related("house", "user")
    for draft in stale:
        raise_reminder(
            recipient=draft.user,
            kind="visits.draft_pending",
            key=f"draft:{draft.pk}:{draft.updated_at.timestamp()}",
            text=f"{draft.house.number} 的访问记录草稿尚未提交，请在访问次日内提交。",
            community=draft.house.community,
            url=f"/visits/log/?house={draft.house_id}",
        )
    return flagged


# --- drafts -------------------------------------------------------------------


def save_draft(*, user, house, payload):
    """Keep the server copy of a half-typed record (the phone keeps its own too)."""
    draft, _ = VisitDraft.objects.update_or_create(user=user, house=house, defaults={"payload": payload})
    return draft


# --- plans --------------------------------------------------------------------


@transaction.atomic
def create_monthly_plan(*, community, owner, year, month, houses, actor, channel="door", purpose=""):
    """This month's households for `owner` (a draft until submitted)."""
    return create_plan(
        community=community,
        owner=owner,
        kind="monthly",
        year=year,
        month=month,
        houses=houses,
        actor=actor,
        channel=channel,
        purpose=purpose,
    )


@transaction.atomic
def create_annual_plan(*, community, owner, year, houses, actor):
    """The year's plan [000]: the households the person is responsible for visiting
    this year, reviewed by the supervisor at the start of the year."""
    return create_plan(
        community=community,
        owner=owner,
        kind="annual",
        year=year,
        month=None,
        houses=houses,
        actor=actor,
        purpose="年度走访",
    )


def create_plan(*, community, owner, kind, year, month, houses, actor, channel="door", purpose=""):
    lookup = {"community": community, "owner": owner, "kind": kind, "year": year, "month": month}
    plan = VisitPlan.objects.select_for_update().filter(**lookup).order_by("pk").first()
    if plan is None:
        # Saved by hand rather than get_or_create, so the history row names the actor (STYLE 8).
        plan = VisitPlan(**lookup)
        plan._history_user = actor
        plan.save()
    elif plan.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise ValidationError("该计划已提交或已批准，不能重新生成。")
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plan, house=house, channel=channel, purpose=purpose) for house in houses]
    )
    return plan


@transaction.atomic
def swap_plan_house(plan, *, remove, add, actor):
    """Swap one household of a draft or returned plan for another."""
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError("已提交的计划不能调整。")
    if add.community_id != plan.community_id:
        raise ValidationError("只能换成本小区的房屋。")
    item = plan.items.filter(house=remove).first()
    if item is None:
        raise ValidationError("计划中没有该房屋。")
    if plan.items.filter(house=add).exists():
        raise ValidationError("该房屋已在计划中。")
    item.house = add
    item.save()
    return item


@transaction.atomic
def submit_plan(plan, *, actor):
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.owner_id != actor.pk:
        raise PermissionDenied("只能提交本人的计划。")
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError("该计划已提交。")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan._history_user = actor
    plan.save()
    # Reviewers other than the author: a supervisor's own plan goes to the manager.
    reviewers = staff_with_role(plan.community, Role.SUPERVISOR) + staff_with_role(plan.community, Role.MANAGER)
    for person in [p for p in dict.fromkeys(reviewers) if p.pk != actor.pk]:
        raise_reminder(
            recipient=person,
            kind="visits.plan_submitted",
            key=f"plan-submitted:{plan.pk}:{plan.submitted_at.timestamp()}",
            text=f"{plan} 已提交，待审批。",
            about=plan,
            community=plan.community,
        )
    return plan


@transaction.atomic
def decide_plan(plan, *, actor, approve, comment=""):
    """The supervisor approves a plan or returns it with a comment (SPEC §2.1)."""
    if not actor.has_role(plan.community, *REVIEWERS):
        raise PermissionDenied("只有客服主管或经理可以审批计划。")
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("只有待审批的计划可以审批。")
    if plan.owner_id == actor.pk:
        raise PermissionDenied("不能审批本人的计划。")
    if not approve and not comment.strip():
        raise ValidationError("退回时请写明意见。")
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.decision_comment = comment.strip()[:200]
    plan._history_user = actor
    plan.save()
    raise_reminder(
        recipient=plan.owner,
        kind="visits.plan_decided",
        key=f"plan-decided:{plan.pk}:{plan.decided_at.timestamp()}",
        text=f"{plan} {'已批准' if approve else '被退回：' + plan.decision_comment}",
        about=plan,
        community=plan.community,
    )
    return plan


@transaction.atomic
def update_policy(policy, *, actor, **fields):
    """The manager changes the community's coverage policy and windows (SPEC §2.1)."""
    return apply_changes(policy, actor=actor, fields={**fields, "updated_by": actor})


@transaction.atomic
def update_plan_item(item, *, actor, intended_date, channel, purpose="", window_reason=""):
    """Set a planned household's date, channel and purpose. Planning outside the
    visit windows needs a reason, which is stored (SPEC §2.2)."""
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    plan = item.plan
    if plan.owner_id != actor.pk or plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise PermissionDenied("只能调整本人未提交的计划。")
    warning = plan_date_warning(VisitPolicy.for_community(plan.community), channel, intended_date)
    if warning and not window_reason.strip():
        raise ValidationError({"window_reason": f"{warning}请填写原因。"})
    item.intended_date = intended_date
    item.channel = channel
    item.purpose = purpose.strip()[:100]
    item.window_reason = window_reason.strip()[:200] if warning else ""
    item.save()
    return item
