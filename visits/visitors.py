"""Writes and jobs of the front desk's visitor register (SPEC §3).

Privacy [000 物业管理来访制度范本: 离开时删除来访登记信息]: an ID number and a
mobile are matched through a keyed hash (HMAC-SHA256 with VISITOR_HASH_KEY);
at exit the clear ID number is removed from the entry *and its history rows*;
after the community's retention period `anonymise_expired_entries` clears the
personal fields (name, ID, mobile, plate, who consented) of the entry and of its
history, keeping counts and purposes. Reminders about a visitor never carry the
visitor's personal data.
"""

import copy
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.feedback import field_errors
from core.models import User
from core.selectors import staff_with_role
from core.services import apply_changes, close_reminders, raise_reminder
from residents.choices import IdType
from residents.masking import mask_id_number, mask_mobile
from residents.validators import (
    normalize_id_number,
    normalize_plate,
    validate_id_number,
    validate_mobile,
    validate_plate,
)
from visits.choices import Consent, EntryStatus, OverrideMethod, VisitorPurpose
from visits.models import FrontDeskSettings, VisitorEntry, VisitorIncident, VisitorRestriction
from visits.models.visitors import ANONYMISED

WATCHLIST_WARNING = "该访客在限制来访名单中（{reason}），须主管放行：请主管现场输入密码，或发送至主管消息审批。"
CLERKS = (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)
OVERRIDERS = (Role.SUPERVISOR, Role.MANAGER)
PERSONAL_FIELDS = {
    "name": ANONYMISED,
    "id_number": "",
    "id_masked": "",
    "id_hash": "",
    "mobile": "",
    "mobile_hash": "",
    "plate": "",
    "consent_by": "",
    # Free text a clerk may have filled with names; who overrode and how stays.
    "items": "",
    "override_reason": "",
}


def keyed_hash(kind, value):
    """HMAC of a normalised ID number or mobile; '' for nothing. `kind` keeps an
    ID number and a mobile with the same digits apart."""
    if not value:
        return ""
    message = f"{kind}:{value}".encode()
    return hmac.new(settings.VISITOR_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def id_hash(id_type, id_number):
    return keyed_hash(f"id:{id_type}", normalize_id_number(id_number))


def mobile_hash(mobile):
    return keyed_hash("mobile", (mobile or "").strip())


def _check(errors, field, validator, *args):
    """Run a residents validator; its Chinese message goes under `field`."""
    try:
        validator(*args)
    except ValidationError as error:
        errors[field] = error.messages[0]


def clean_identity(*, id_type, id_number, mobile, plate="", id_required=True):
    """Normalised (id_number, mobile, plate), or ValidationError with Chinese messages per field."""
    errors = {}
    id_number = normalize_id_number(id_number)
    mobile = (mobile or "").strip()
    plate = normalize_plate(plate)
    if id_number:
        _check(errors, "id_number", validate_id_number, id_type, id_number)
    elif id_required:
        errors["id_number"] = "请填写证件号码。"
    if mobile:
        _check(errors, "mobile", validate_mobile, mobile)
    if plate:
        _check(errors, "plate", validate_plate, plate)
    if errors:
        raise ValidationError(errors)
    return id_number, mobile, plate


def active_restriction(community, *, id_type="", id_number="", mobile="", today=None):
    """The watchlist entry this ID or mobile matches, if any."""
    today = today or timezone.localdate()
    match = Q(pk__in=[])
    if id_number:
        match |= Q(id_hash=id_hash(id_type, id_number))
    if mobile:
        match |= Q(mobile_hash=mobile_hash(mobile))
    if not id_number and not mobile:
        return None
    return VisitorRestriction.objects.filter(community=community).active(today).filter(match).first()


def find_repeat_visitor(community, *, id_type=IdType.RESIDENT_ID, id_number="", mobile=""):
    """The latest entry of this visitor (by ID hash, else mobile hash), for pre-filling."""
    if id_number:
        found = (
            VisitorEntry.objects.filter(community=community, id_hash=id_hash(id_type, id_number))
            .order_by("-entered_at")
            .first()
        )
        if found is not None:
            return found
    if mobile:
        return (
            VisitorEntry.objects.filter(community=community, mobile_hash=mobile_hash(mobile))
            .order_by("-entered_at")
            .first()
        )
    return None


def _credentials_only(request, username):
    """The request as the login protection should see it: same client, but no
    form fields besides the username — it logs a failed attempt's GET and POST
    data, and the registration form is full of the visitor's personal data."""
    probe = copy.copy(request)
    probe.GET = QueryDict()
    probe.POST = QueryDict(mutable=True)
    probe.POST["username"] = username
    probe.POST._mutable = False
    return probe


def _supervisor_by_password(community, username, password, request):
    """The supervisor confirming on the spot. Through a request the login's
    brute-force protection counts failures (a clerk cannot guess a password)."""
    user = None
    if username and password:
        if request is not None:
            try:
                user = authenticate(_credentials_only(request, username), username=username, password=password)
            except PermissionDenied:
                raise ValidationError(
                    {"override_password": "该主管账号因多次输错密码已被暂时锁定，请稍后或改用消息审批。"}
                ) from None
        else:
            candidate = User.objects.filter(username=username, is_active=True).first()
            user = candidate if candidate is not None and candidate.check_password(password) else None
    if user is None or not user.has_role(community, *OVERRIDERS):
        raise ValidationError({"override_password": "主管账号或密码不正确，或该账号不是本小区主管/经理。"})
    return user


def register_entry(
    *,
    community,
    actor,
    name,
    id_type,
    id_number,
    mobile="",
    plate="",
    head_count=1,
    house=None,
    purpose,
    items="",
    entered_at=None,
    consent=Consent.NOT_ASKED,
    consent_by="",
    override_username="",
    override_password="",
    override_reason="",
    ask_inbox_approval=False,
    request=None,
):
    """Register a walk-in visitor. Returns the entry.

    Closed communities need the owner's answer: consent (who, now) or refusal —
    a refusal is kept as an entry that was never admitted. A watchlisted visitor
    needs a supervisor's override: the supervisor's own password on the spot,
    or (ask_inbox_approval) an approval from their inbox; until then the entry
    waits outside the register. The supervisor's password is checked before the
    write's transaction, so a failed attempt is counted by the login protection."""
    if not actor.has_role(community, *CLERKS):
        raise PermissionDenied("只有前台、客服主管或经理可以登记来访。")
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写访客姓名。"
    if purpose not in VisitorPurpose.values:
        errors["purpose"] = "请选择来访事由。"
    if house is None and purpose != VisitorPurpose.BUSINESS:
        errors["house"] = "请填写到访房号（到物业办事请选“业务办理”）。"
    if house is not None and house.community_id != community.pk:
        errors["house"] = "房号不在本小区。"
    if not 1 <= int(head_count or 0) <= 50:
        errors["head_count"] = "人数应在 1–50 之间。"
    try:
        id_number, mobile, plate = clean_identity(id_type=id_type, id_number=id_number, mobile=mobile, plate=plate)
    except ValidationError as error:
        errors.update(field_errors(error))
    policy = FrontDeskSettings.for_community(community)
    if policy.consent_required:
        if consent not in (Consent.CONSENTED, Consent.REFUSED):
            errors["consent"] = "本小区实行封闭式管理，请先电话征询业主意见并记录。"
        elif not (consent_by or "").strip():
            errors["consent_by"] = "请填写同意或拒绝的业主（家属）姓名。"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    entry = VisitorEntry(
        community=community,
        house=house,
        name=name[:50],
        id_type=id_type,
        id_number=id_number,
        id_masked=mask_id_number(id_number),
        id_hash=id_hash(id_type, id_number),
        mobile=mobile,
        mobile_hash=mobile_hash(mobile),
        plate=plate,
        head_count=int(head_count),
        purpose=purpose,
        items=(items or "").strip()[:200],
        entered_at=entered_at or now,
        registered_by=actor,
    )
    if policy.consent_required:
        entry.consent = consent
        entry.consent_by = consent_by.strip()[:50]
        entry.consent_at = now
        if consent == Consent.REFUSED:
            # Never admitted: the refusal is kept, the clear ID number is not.
            entry.status = EntryStatus.REFUSED
            _forget_id(entry)
    if entry.status != EntryStatus.REFUSED:
        restriction = active_restriction(community, id_type=id_type, id_number=id_number, mobile=mobile)
        if restriction is not None:
            entry.restriction = restriction
            if override_username or override_password:
                if not (override_reason or "").strip():
                    raise ValidationError({"override_reason": "请填写放行理由。"})
                supervisor = _supervisor_by_password(community, override_username, override_password, request)
                entry.override_by, entry.override_method = supervisor, OverrideMethod.PASSWORD
                entry.override_reason, entry.override_at = override_reason.strip()[:200], now
            elif ask_inbox_approval:
                if not (override_reason or "").strip():
                    raise ValidationError({"override_reason": "请填写请求放行的理由。"})
                entry.status = EntryStatus.AWAITING_OVERRIDE
                entry.override_reason = override_reason.strip()[:200]
            else:
                raise ValidationError({"__all__": WATCHLIST_WARNING.format(reason=restriction.reason)})
    entry._history_user = actor
    with transaction.atomic():
        entry.save()
        if entry.status == EntryStatus.AWAITING_OVERRIDE:
            _ask_supervisors(entry)
    return entry


def _ask_supervisors(entry):
    community = entry.community
    for person in staff_with_role(community, Role.SUPERVISOR) + staff_with_role(community, Role.MANAGER):
        raise_reminder(
            recipient=person,
            kind="visits.visitor_override",
            key=f"visitor-override:{entry.pk}",
            # No name or number here: reminders outlive the register's retention.
            text=f"前台请求放行一位限制来访人员（登记号 {entry.pk}），请查看登记并决定。",
            about=entry,
            community=community,
            url=reverse("visits:frontdesk_entry", args=[entry.pk]),
        )


@transaction.atomic
def approve_override(entry, *, actor, approve, comment=""):
    """A supervisor decides a waiting override from their inbox (logged on the entry)."""
    if not actor.has_role(entry.community, *OVERRIDERS):
        raise PermissionDenied("只有客服主管或经理可以放行限制来访人员。")
    entry = VisitorEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.AWAITING_OVERRIDE:
        raise ValidationError("该登记不在待放行状态。")
    now = timezone.now()
    entry.override_by, entry.override_method, entry.override_at = actor, OverrideMethod.INBOX, now
    if comment.strip():
        entry.override_reason = f"{entry.override_reason}；主管意见：{comment.strip()}"[:200]
    if approve:
        entry.status, entry.entered_at = EntryStatus.INSIDE, now
    else:
        entry.status = EntryStatus.REFUSED
        _forget_id(entry)
    entry._history_user = actor
    entry.save()
    if not approve:
        _scrub_history(entry, {"id_number": ""})
    close_reminders(about=entry, kind="visits.visitor_override")
    return entry


def _forget_id(entry):
    entry.id_number = ""


def _scrub_history(entry, fields):
    VisitorEntry.history.filter(id=entry.pk).update(**fields)


@transaction.atomic
def mark_exit(entry, *, actor, at=None):
    """Exit in one click; the clear ID number leaves the entry and its history."""
    if not actor.has_role(entry.community, *CLERKS):
        raise PermissionDenied("只有前台、客服主管或经理可以登记离开。")
    entry = VisitorEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.INSIDE:
        raise ValidationError("该访客不在小区内。")
    entry.status = EntryStatus.LEFT
    entry.exited_at = at or timezone.now()
    entry.exit_by = actor
    _forget_id(entry)
    entry._history_user = actor
    entry.save()
    _scrub_history(entry, {"id_number": ""})
    return entry


def overstay_flags(entries, policy, *, now=None):
    """{entry pk: reason} for visitors inside past the allowed hours or the night cut-off."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    cutoff = timezone.make_aware(dt.datetime.combine(local_now.date(), policy.night_cutoff))
    flags = {}
    for entry in entries:
        if entry.status != EntryStatus.INSIDE:
            continue
        if now - entry.entered_at >= dt.timedelta(hours=policy.overstay_hours):
            flags[entry.pk] = f"已超过{policy.overstay_hours}小时"
        elif now >= cutoff and entry.entered_at < cutoff:
            flags[entry.pk] = f"已过夜间{policy.night_cutoff:%H:%M}"
        elif timezone.localdate(entry.entered_at) < local_now.date():
            flags[entry.pk] = "跨夜未离开"
    return flags


@transaction.atomic
def restrict_visitor(
    *, community, actor, name, reason, until=None, id_type="", id_number="", mobile="", entry=None, incident=None
):
    """Put a person on the watchlist, by ID or mobile (or from an entry's hashes)."""
    if not actor.has_role(community, *OVERRIDERS):
        raise PermissionDenied("只有客服主管或经理可以限制来访。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写限制原因。"})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": "限制截止日期不能早于今天。"})
    restriction = VisitorRestriction(
        community=community, reason=reason.strip()[:200], until=until, restricted_by=actor, incident=incident
    )
    if entry is not None:
        restriction.name = entry.name
        restriction.id_hash, restriction.id_masked = entry.id_hash, entry.id_masked
        restriction.mobile_hash, restriction.mobile_masked = entry.mobile_hash, mask_mobile(entry.mobile)
    else:
        errors = {}
        if not (name or "").strip():
            errors["name"] = "请填写姓名。"
        if not normalize_id_number(id_number) and not (mobile or "").strip():
            errors["id_number"] = "证件号码与手机号至少填写一项。"
        try:
            id_number, mobile, _plate = clean_identity(
                id_type=id_type, id_number=id_number, mobile=mobile, id_required=False
            )
        except ValidationError as error:
            errors.update(field_errors(error))
        if errors:
            raise ValidationError(errors)
        restriction.name = name.strip()[:50]
        restriction.id_hash, restriction.id_masked = id_hash(id_type, id_number), mask_id_number(id_number)
        restriction.mobile_hash, restriction.mobile_masked = mobile_hash(mobile), mask_mobile(mobile)
    if not restriction.id_hash and not restriction.mobile_hash:
        raise ValidationError("该登记已匿名化，无法据此限制来访。")
    restriction._history_user = actor
    restriction.save()
    return restriction


@transaction.atomic
def lift_restriction(restriction, *, actor):
    if not actor.has_role(restriction.community, *OVERRIDERS):
        raise PermissionDenied("只有客服主管或经理可以解除限制。")
    return apply_changes(restriction, actor=actor, fields={"lifted_at": timezone.now(), "lifted_by": actor})


@transaction.atomic
def record_incident(entry, *, actor, kind, description):
    if not actor.has_role(entry.community, *CLERKS):
        raise PermissionDenied("只有前台、客服主管或经理可以记录违规事件。")
    if not (description or "").strip():
        raise ValidationError({"description": "请填写事件经过。"})
    return VisitorIncident.objects.create(entry=entry, kind=kind, description=description.strip(), recorded_by=actor)


def anonymise_expired_entries(*, now=None):
    """Daily: personal fields of entries older than their community's retention
    period are cleared in the register and its history; counts and purposes stay.
    Idempotent; a second run finds nothing."""
    now = now or timezone.now()
    done = 0
    for policy_community, retention in _retention_by_community():
        cutoff = now - dt.timedelta(days=retention)
        while True:
            with transaction.atomic():
                ids = list(
                    VisitorEntry.objects.select_for_update(skip_locked=True)
                    # Whatever the status: an exit never marked does not keep data longer.
                    .filter(community_id=policy_community, anonymised_at__isnull=True, entered_at__lt=cutoff)
                    # No ordering: the partial index of entries not yet anonymised answers at once
                    # (the model's newest-first order made PostgreSQL walk two years of entries).
                    .order_by()
                    .values_list("pk", flat=True)[:500]
                )
                if not ids:
                    break
                VisitorEntry.objects.filter(pk__in=ids).update(**PERSONAL_FIELDS, anonymised_at=now)
                VisitorEntry.history.filter(id__in=ids).update(**PERSONAL_FIELDS, anonymised_at=now)
                done += len(ids)
    return done


def _retention_by_community():
    from core.models import Community

    custom = dict(FrontDeskSettings.objects.values_list("community_id", "retention_days"))
    default = FrontDeskSettings._meta.get_field("retention_days").default
    return [(pk, custom.get(pk, default)) for pk in Community.objects.order_by("pk").values_list("pk", flat=True)]


@transaction.atomic
def update_settings(policy, *, actor, **fields):
    """The manager sets consent, overstay, night cut-off and retention for the community."""
    return apply_changes(policy, actor=actor, fields={**fields, "updated_by": actor})


def mask_plate(plate):
    """`沪A12345` → `沪A***45`."""
    return f"{plate[:2]}***{plate[-2:]}" if len(plate) > 4 else ("*" * len(plate))


def statistics(community, *, days=30, today=None):
    """Visitors per day, per purpose, per hour of arrival and the busiest houses
    over the last `days` days — four grouped queries (refusals not counted)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractHour, TruncDate

    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    entries = VisitorEntry.objects.filter(community=community, entered_at__gte=since).exclude(
        status__in=[EntryStatus.REFUSED, EntryStatus.AWAITING_OVERRIDE]
    )
    per_day = {
        row["day"]: row
        for row in entries.annotate(day=TruncDate("entered_at"))
        .values("day")
        .annotate(entries=Count("pk"), people=Sum("head_count"))
        .order_by()
    }
    purposes = dict(entries.values_list("purpose").annotate(n=Count("pk")).order_by())
    hours = dict(
        entries.annotate(hour=ExtractHour("entered_at")).values_list("hour").annotate(n=Count("pk")).order_by()
    )
    houses = list(
        entries.exclude(house__isnull=True)
        .values("house__number")
        .annotate(n=Count("pk"))
        .order_by("-n", "house__number")[:10]
    )
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    return {
        "days": [
            {
                "date": d.isoformat(),
                "label": f"{d.month}/{d.day}",
                "entries": per_day.get(d, {}).get("entries", 0),
                "people": per_day.get(d, {}).get("people", 0) or 0,
            }
            for d in dates
        ],
        "purposes": [{"label": label, "n": purposes.get(code, 0)} for code, label in VisitorPurpose.choices],
        "hours": [{"label": f"{h}时", "n": hours.get(h, 0)} for h in range(24)],
        "houses": [{"number": row["house__number"], "n": row["n"]} for row in houses],
        "total": sum(row["entries"] for row in per_day.values()),
    }


def export_rows(community, date_from, date_to):
    """Rows for the Excel export: masked personal data only."""
    since = timezone.make_aware(dt.datetime.combine(date_from, dt.time()))
    until = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    entries = (
        VisitorEntry.objects.filter(community=community, entered_at__gte=since, entered_at__lt=until)
        .select_related("house", "registered_by")
        .order_by("entered_at", "pk")
    )
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.entered_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(entry.exited_at).strftime("%Y-%m-%d %H:%M") if entry.exited_at else "",
            entry.name,
            entry.get_id_type_display(),
            entry.id_masked,
            entry.masked_mobile,
            mask_plate(entry.plate) if entry.plate else "",
            entry.head_count,
            entry.house.number if entry.house else "物业服务中心",
            entry.get_purpose_display(),
            entry.items,
            entry.get_status_display(),
            entry.get_consent_display(),
            entry.registered_by.display_name,
        ]


EXPORT_HEADERS = [
    "进入时间",
    "离开时间",
    "访客",
    "证件类型",
    "证件号码（掩码）",
    "手机（掩码）",
    "车牌（掩码）",
    "人数",
    "到访房屋",
    "事由",
    "携带物品",
    "状态",
    "业主意见",
    "登记人",
]


def house_panel(house, request):
    """Front-desk panel on the household 360° page: recent visitors, active
    passes, helpers and permits — four queries."""
    from residents.models import HelperRegistration
    from visits.models import ItemPermit, TemporaryPass

    today = timezone.localdate()
    return {
        "entries": list(VisitorEntry.objects.filter(house=house).order_by("-entered_at")[:8]),
        "passes": list(
            TemporaryPass.objects.filter(house=house, revoked_at__isnull=True, valid_to__gte=today).order_by(
                "valid_from"
            )
        ),
        "helpers": list(
            HelperRegistration.objects.filter(residency__house=house, residency__end_date__isnull=True).select_related(
                "residency__person"
            )
        ),
        "permits": list(ItemPermit.objects.filter(house=house).order_by("-issued_at")[:5]),
    }


def consenters(house):
    """Who may answer for the household when the front desk phones (封闭式管理):
    current owners, tenants and family, and registered helpers authorised to
    admit visitors. Names with the relation, for the clerk to pick."""
    from residents.choices import Relation
    from residents.models import Residency

    rows = (
        Residency.objects.filter(house=house, end_date__isnull=True)
        .filter(
            Q(relation__in=[Relation.OWNER, Relation.TENANT, Relation.FAMILY])
            | Q(relation=Relation.HELPER, helper__may_admit_visitors=True)
        )
        .select_related("person")
        .order_by("pk")
    )
    rank = {Relation.OWNER: 0, Relation.FAMILY: 1, Relation.TENANT: 2, Relation.HELPER: 3}
    rows = sorted(rows, key=lambda row: (rank[row.relation], row.pk))
    return [f"{row.person.name}（{row.get_relation_display()}）" for row in rows]
