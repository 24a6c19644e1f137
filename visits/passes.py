"""Front desk: temporary passes (临时出入证) and large-item exit permits
(大件物品放行条) [001] (SPEC §3).

A pass's QR code holds a token signed with Django's signing (salted, so it is
good for nothing else); the gate's check page unsigns it and computes validity
from the pass row at that moment — never from `status`, which the daily job
writes only for the lists. A permit is used once: marking it takes a row lock,
so of two guards pressing at once one wins and the other is told when it went.
"""

import segno
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import apply_changes, next_number
from residents.choices import Relation
from residents.models import Residency
from visits.choices import PassCheck, PassStatus
from visits.models import ItemPermit, TemporaryPass
from visits.visitors import CLERKS

TOKEN_SALT = "visits.temporary-pass"
MAX_PASS_DAYS = 90


def token_for(temporary_pass):
    """The QR payload: the pass number and community, signed; tampering breaks it."""
    return signing.dumps({"n": temporary_pass.number, "c": temporary_pass.community_id}, salt=TOKEN_SALT, compress=True)


def qr_svg(temporary_pass):
    return segno.make(token_for(temporary_pass), error="m").svg_inline(scale=4, title=temporary_pass.number)


def check_token(token, *, community, today=None):
    """(result, pass or None) for a scanned token at `community`'s gate."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return PassCheck.INVALID, None
    found = TemporaryPass.objects.filter(number=data.get("n")).select_related("house", "community").first()
    if found is None:
        return PassCheck.INVALID, None
    if found.community_id != community.pk:
        return PassCheck.OTHER_COMMUNITY, found
    return validity(found, today=today), found


def validity(temporary_pass, *, today=None):
    today = today or timezone.localdate()
    if temporary_pass.revoked_at is not None:
        return PassCheck.REVOKED
    if today < temporary_pass.valid_from:
        return PassCheck.NOT_YET
    if today > temporary_pass.valid_to:
        return PassCheck.EXPIRED
    return PassCheck.VALID


def _require_clerk(actor, community):
    if not actor.has_role(community, *CLERKS):
        raise PermissionDenied("只有前台、客服主管或经理可以办理。")


def _current_relation(house, person):
    return (
        Residency.objects.filter(house=house, person=person, end_date__isnull=True)
        .values_list("relation", flat=True)
        .first()
    )


@transaction.atomic
def issue_pass(
    *, house, actor, requested_by, guest_name, valid_from, valid_to, guest_count=1, guest_mobile="", note=""
):
    community = house.community
    _require_clerk(actor, community)
    errors = {}
    if _current_relation(house, requested_by) != Relation.OWNER:
        errors["requested_by"] = "申请人须为该房屋的现任产权人（业主）。"
    if not (guest_name or "").strip():
        errors["guest_name"] = "请填写持证人姓名。"
    if valid_to < valid_from:
        errors["valid_to"] = "截止日期不能早于生效日期。"
    elif (valid_to - valid_from).days >= MAX_PASS_DAYS:
        errors["valid_to"] = f"临时出入证最长 {MAX_PASS_DAYS} 天。"
    if valid_to < timezone.localdate():
        errors["valid_to"] = "截止日期已过。"
    if errors:
        raise ValidationError(errors)
    temporary_pass = TemporaryPass(
        community=community,
        number=next_number(community=community, kind="pass", prefix="TXZ"),
        house=house,
        requested_by=requested_by,
        guest_name=guest_name.strip()[:50],
        guest_count=guest_count,
        guest_mobile=(guest_mobile or "").strip(),
        note=(note or "").strip()[:200],
        valid_from=valid_from,
        valid_to=valid_to,
        issued_by=actor,
    )
    temporary_pass._history_user = actor
    temporary_pass.save()
    return temporary_pass


@transaction.atomic
def revoke_pass(temporary_pass, *, actor, reason):
    _require_clerk(actor, temporary_pass.community)
    if temporary_pass.revoked_at is not None:
        raise ValidationError("该出入证已作废。")
    if not (reason or "").strip():
        raise ValidationError("请填写作废原因。")
    return apply_changes(
        temporary_pass,
        actor=actor,
        fields={
            "revoked_at": timezone.now(),
            "revoked_by": actor,
            "revoke_reason": reason.strip()[:200],
            "status": PassStatus.REVOKED,
        },
    )


def mark_expired_passes(*, today=None):
    """Daily: passes past their last day show as expired in the lists. A second
    run changes nothing; the gate never relies on this."""
    today = today or timezone.localdate()
    return TemporaryPass.objects.filter(status=PassStatus.ACTIVE, valid_to__lt=today).update(status=PassStatus.EXPIRED)


# --- large-item exit permits -----------------------------------------------------


def may_take_items(house, person):
    """The owner, or a registered domestic helper authorised to take items out."""
    relation = _current_relation(house, person)
    if relation == Relation.OWNER:
        return True
    if relation == Relation.HELPER:
        from residents.models import HelperRegistration

        return HelperRegistration.objects.filter(
            residency__house=house, residency__person=person, residency__end_date__isnull=True, may_take_items=True
        ).exists()
    return False


@transaction.atomic
def issue_permit(*, house, actor, applicant, items, gate, valid_on, carrier=""):
    community = house.community
    _require_clerk(actor, community)
    errors = {}
    if not may_take_items(house, applicant):
        errors["applicant"] = "经核对业主档案，申请人不是该房屋的产权人或获授权的家政人员，不能开具放行条。"
    if not (items or "").strip():
        errors["items"] = "请列明放行物品。"
    if not (gate or "").strip():
        errors["gate"] = "请填写放行出口。"
    if valid_on < timezone.localdate():
        errors["valid_on"] = "放行日期不能早于今天。"
    if errors:
        raise ValidationError(errors)
    permit = ItemPermit(
        community=community,
        number=next_number(community=community, kind="permit", prefix="FXT"),
        house=house,
        applicant=applicant,
        applicant_relation=_current_relation(house, applicant),
        items=items.strip(),
        gate=gate.strip()[:50],
        valid_on=valid_on,
        carrier=(carrier or "").strip()[:100],
        issued_by=actor,
    )
    permit._history_user = actor
    permit.save()
    return permit


@transaction.atomic
def mark_permit_used(permit, *, actor, today=None):
    """The guard lets the items out — once."""
    _require_clerk(actor, permit.community)
    permit = ItemPermit.objects.select_for_update().get(pk=permit.pk)
    if permit.used_at is not None:
        raise ValidationError(
            f"放行条 {permit.number} 已于 {timezone.localtime(permit.used_at):%m月%d日 %H:%M} 放行，不能重复使用。"
        )
    today = today or timezone.localdate()
    if permit.valid_on != today:
        raise ValidationError(f"放行条只在 {permit.valid_on:%Y年%m月%d日} 当天有效。")
    permit.used_at = timezone.now()
    permit.used_by = actor
    permit._history_user = actor
    permit.save()
    return permit
