"""Revealing confidential numbers (SPEC §1, [001] 业主档案的保存属于保密性文件).

Numbers are masked everywhere. `reveal_person` is the one way to see them: it
checks the right, writes a RevealLog row and returns the raw values.

Who may reveal at once: the butler whose zone holds one of the person's houses,
the community's supervisors and managers, and staff whose record gives them a
purpose — other apps register those checks with `register_purpose_check`.
Everyone else files an AccessRequest, which a supervisor or manager approves for
a limited time.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.selectors import staff_with_role
from core.services import raise_reminders
from residents.choices import AccessRequestStatus
from residents.models import AccessRequest, House, RevealLog

PURPOSES = [
    "上门拜访前联系",
    "电话回访",
    "投诉/报修联系",
    "费用催缴",
    "访客来访核实",
    "紧急情况联系",
    "其他（见申请理由）",
]

_purpose_checks = []


def register_purpose_check(check):
    """`check(user, person, record) -> str | None`: a basis label when `user` may
    reveal `person` because of `record` (e.g. the technician of a work order)."""
    _purpose_checks.append(check)
    return check


def reveal_basis(user, person, record=None):
    """Why `user` may see `person`'s numbers now, or None (then: access request)."""
    community = person.community
    if can_approve_access(user, community):
        return "主管/经理"
    if (
        user.has_role(community, Role.BUTLER)
        and House.objects.filter(butler=user, residencies__person=person, residencies__end_date__isnull=True).exists()
    ):
        return "片区管家"
    for check in _purpose_checks:
        basis = check(user, person, record)
        if basis:
            return basis
    if AccessRequest.objects.granting(user, person).exists():
        return "已批准的查看申请"
    return None


def can_approve_access(user, community):
    """Supervisors and managers of the community (a real membership: company admins
    pass every role check elsewhere, but for numbers they need a role or a request)."""
    return user.memberships.filter(
        community=community, role__in=[Role.SUPERVISOR, Role.MANAGER], is_active=True
    ).exists()


@transaction.atomic
def reveal_person(person, *, actor, purpose, record=None):
    """Return the person's raw mobile and ID number, logging who, when and why."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError("请选择查看号码的用途。")
    basis = reveal_basis(actor, person, record)
    if basis is None:
        raise PermissionDenied("您无权直接查看该住户的号码，请提交查看申请。")
    log = RevealLog(community=person.community, actor=actor, person=person, purpose=purpose[:200], basis=basis)
    if record is not None:
        log.content_type = ContentType.objects.get_for_model(record)
        log.object_id = str(record.pk)
    log.save()
    return {"mobile": person.mobile, "id_number": person.id_number, "basis": basis, "log": log}


@transaction.atomic
def request_access(person, *, actor, reason):
    """File a request to see a person's numbers; supervisors and managers are told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写申请理由。")
    pending = AccessRequest.objects.filter(requester=actor, person=person, status=AccessRequestStatus.PENDING).first()
    if pending is not None:
        return pending
    access = AccessRequest(community=person.community, requester=actor, person=person, reason=reason[:200])
    access._history_user = actor
    access.save()
    approvers = staff_with_role(person.community, Role.SUPERVISOR) + staff_with_role(person.community, Role.MANAGER)
    raise_reminders(
        recipients=list(dict.fromkeys(approvers)),
        kind="residents.access_request",
        key=f"access-request:{access.pk}",
        text=f"{actor.display_name} 申请查看住户 {person.name} 的联系号码：{access.reason}",
        about=access,
        community=person.community,
        url=reverse("residents:access_request_list"),
    )
    return access


@transaction.atomic
def decide_access_request(access, *, actor, approve, note="", hours=None):
    """Approve for a limited time (default ACCESS_GRANT_HOURS) or reject."""
    access = AccessRequest.objects.select_for_update().get(pk=access.pk)
    if access.status != AccessRequestStatus.PENDING:
        raise ValidationError("该申请已处理。")
    if not can_approve_access(actor, access.community):
        raise PermissionDenied("只有客服主管或项目经理可以审批查看申请。")
    if access.requester_id == actor.pk:
        raise PermissionDenied("不能审批自己的申请。")
    now = timezone.now()
    access.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REJECTED
    access.decided_by = actor
    access.decided_at = now
    access.decision_note = note[:200]
    if approve:
        access.expires_at = now + dt.timedelta(hours=hours or settings.ACCESS_GRANT_HOURS)
    access._history_user = actor
    access.save()
    verdict = f"已批准，{timezone.localtime(access.expires_at):%m-%d %H:%M} 前有效" if approve else "已驳回"
    raise_reminders(
        recipients=[access.requester],
        kind="residents.access_decided",
        key=f"access-decided:{access.pk}",
        text=f"您查看住户 {access.person.name} 号码的申请{verdict}。",
        about=access,
        community=access.community,
        url=reverse("residents:person_detail", args=[access.person_id]),
    )
    return access
