"""The yearly 《便民服务项目及价格表》: drafted by the manager, approved by a company
admin, break-even, and the daily flag of services below it [001 L552–556, L584]."""

import re
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.choices import COMPANY_ADMIN, Role
from core.models import Community
from core.selectors import company_admins, staff_with_role
from core.services import close_reminders, raise_reminders
from fees.choices import Cycle, PriceListStatus
from fees.models import ConvenienceService, ServicePriceList

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999.99")
MAX_QUANTITY = Decimal("9999")
PHONE = re.compile(r"\+?[0-9][0-9-]{6,19}")
# Who fills in the 委托服务单 and stops it (客服人员 [001 L560]); a butler only in the zone.
REGISTRARS = (Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK)
MONEY_FIELDS = (("price", "价格"), ("deposit", "押金"), ("prepayment", "预交费用"), ("monthly_cost", "每月成本"))


def is_company_admin(actor, community):
    """A company admin of the community's company (公司经理 [001 L552])."""
    return COMPANY_ADMIN in actor.roles_in(community)


def may_register(actor, house):
    """The zone's butler, supervisors, managers and the front desk register, stop and
    record uses for a house (客服人员 [001 L560, L580])."""
    community = house.community
    if house.butler_id == actor.pk and actor.has_role(community, Role.BUTLER):
        return True
    return actor.has_role(community, *REGISTRARS)


def active_q(today, prefix=""):
    """Subscriptions not stopped before `today` (one stopped today still runs today)."""
    return Q(**{f"{prefix}stopped_on__isnull": True}) | Q(**{f"{prefix}stopped_on__gte": today})


def current_price_list(community, today=None):
    """The approved table in force: this year's, or last year's until this year's is approved."""
    today = today or timezone.localdate()
    lists = ServicePriceList.objects.filter(community=community, status=PriceListStatus.APPROVED)
    return lists.filter(year__lte=today.year).order_by("-year").first()


def break_even(service):
    """保本户数 [001 L552 保本微利, L584]: ⌈monthly cost ÷ price⌉ subscribers (issue 10:
    1,200.00 a month at 50.00 → 24). None for a free service or one without a cost."""
    if service.is_free or service.price <= 0 or service.monthly_cost <= 0:
        return None
    return int((service.monthly_cost / service.price).to_integral_value(rounding=ROUND_CEILING))


def service_rows(price_list, today=None):
    """The table's services, each with its active subscribers (`active`), its
    break-even (`needed`) and whether it is below it (`below`): one query."""
    today = today or timezone.localdate()
    rows = list(price_list.services.annotate(active=Count("subscriptions", filter=active_q(today, "subscriptions__"))))
    for service in rows:
        service.needed = break_even(service)
        service.below = service.needed is not None and service.active < service.needed
    return rows


def below_break_even(community, today=None):
    """Services of the approved table in force whose active subscribers are fewer than
    their break-even [001 L584]."""
    price_list = current_price_list(community, today)
    if price_list is None:
        return []
    return [service for service in service_rows(price_list, today) if service.below]


def dues_notice(service):
    """What the owner must pay before the service starts [001 L566], for the person
    who registers it to say; "" when nothing is due."""
    parts = []
    if service.deposit > 0:
        parts.append(f"押金 ¥{service.deposit}")
    if service.prepayment > 0:
        parts.append(f"预交费用 ¥{service.prepayment}")
    if not parts:
        return ""
    return f"请告知业主缴交{'、'.join(parts)}，收取的费用交财务。"


# --- the price table ------------------------------------------------------------


def _amount(value, label):
    """(amount, "") for a sum of money ≥ 0 with at most 2 decimals, else (None, message)."""
    if value is None or value == "":
        return ZERO, ""
    if isinstance(value, float):
        return None, f"{label}须为金额，如 50.00。"
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, f"{label}须为金额，如 50.00。"
    if not amount.is_finite():
        return None, f"{label}须为金额，如 50.00。"
    if amount < 0:
        return None, f"{label}不能小于 0。"
    if amount != amount.quantize(CENT):
        return None, f"{label}最多 2 位小数。"
    if amount > MAX_AMOUNT:
        return None, f"{label}不能超过 {MAX_AMOUNT}。"
    return amount.quantize(CENT), ""


def _clean_service(price_list, fields, instance=None):
    """The row's values, checked; ValidationError with every problem by field."""
    errors, clean = {}, {}
    name = (fields.get("name") or "").strip()
    taken = price_list.services.filter(name=name).exclude(pk=getattr(instance, "pk", None))
    if not name:
        errors["name"] = "请填写服务项目名称。"
    elif len(name) > 40:
        errors["name"] = "服务项目名称最多 40 个字。"
    elif taken.exists():
        errors["name"] = f"价格表中已有「{name}」。"
    clean["name"] = name
    clean["is_free"] = bool(fields.get("is_free"))
    clean["cycle"] = fields.get("cycle") or Cycle.MONTHLY
    if clean["cycle"] not in Cycle.values:
        errors["cycle"] = "请选择收费周期（每月或按次）。"
    for key, label in MONEY_FIELDS:
        clean[key], problem = _amount(fields.get(key), label)
        if problem:
            errors[key] = problem
    if "price" not in errors:
        if clean["is_free"] and clean["price"] > 0:
            errors["price"] = "免费项目的价格应为 0。"
        elif not clean["is_free"] and clean["price"] <= 0:
            errors["price"] = "收费项目须填写大于 0 的价格。"
    clean["note"] = (fields.get("note") or "").strip()
    if len(clean["note"]) > 100:
        errors["note"] = "说明最多 100 个字。"
    if errors:
        raise ValidationError(errors)
    return clean


def _draft_for_edit(price_list, actor):
    price_list = ServicePriceList.objects.select_for_update().select_related("community").get(pk=price_list.pk)
    if not actor.has_role(price_list.community, Role.MANAGER):
        raise PermissionDenied("只有项目经理可以拟定便民服务项目及价格表。")
    if price_list.status != PriceListStatus.DRAFT:
        raise ValidationError("价格表已报公司审批或已批准，不能再修改。")
    return price_list


@transaction.atomic
def draft_price_list(community, year, *, actor, now=None):
    """The manager starts the year's table [001 L552]; one per community and year.
    Last year's rows are copied as the starting point, to be weighed again."""
    if not actor.has_role(community, Role.MANAGER):
        raise PermissionDenied("只有项目经理可以拟定便民服务项目及价格表。")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "请填写正确的年度，如 2026。"})
    if ServicePriceList.objects.filter(community=community, year=year).exists():
        raise ValidationError({"year": f"{year}年的便民服务项目及价格表已存在。"})
    price_list = ServicePriceList(community=community, year=year, drafted_by=actor, drafted_at=now or timezone.now())
    price_list._history_user = actor
    try:
        with transaction.atomic():
            price_list.save()
    except IntegrityError:
        raise ValidationError({"year": f"{year}年的便民服务项目及价格表已存在。"}) from None
    earlier = ServicePriceList.objects.filter(community=community, year__lt=year).order_by("-year").first()
    for row in earlier.services.all() if earlier is not None else ():
        row.pk, row.price_list = None, price_list
        row._history_user = actor
        row.save()
    return price_list


@transaction.atomic
def add_service(price_list, *, actor, **fields):
    """A row of the draft table: name, free or paid, price, cycle, deposit,
    prepayment, monthly cost, note."""
    price_list = _draft_for_edit(price_list, actor)
    service = ConvenienceService(price_list=price_list, **_clean_service(price_list, fields))
    service._history_user = actor
    service.save()
    return service


@transaction.atomic
def edit_service(service, *, actor, **fields):
    price_list = _draft_for_edit(service.price_list, actor)
    for key, value in _clean_service(price_list, fields, instance=service).items():
        setattr(service, key, value)
    service._history_user = actor
    service.save()
    return service


@transaction.atomic
def remove_service(service, *, actor):
    _draft_for_edit(service.price_list, actor)
    service._history_user = actor
    service.delete()


@transaction.atomic
def submit_price_list(price_list, *, actor):
    """报公司经理审批 [001 L552]: the company admins are reminded."""
    price_list = _draft_for_edit(price_list, actor)
    if not price_list.services.exists():
        raise ValidationError("请先添加至少一个服务项目，再报公司审批。")
    price_list.status = PriceListStatus.SUBMITTED
    price_list._history_user = actor
    price_list.save(update_fields=["status"])
    round_ = price_list.history.filter(status=PriceListStatus.SUBMITTED).count()
    raise_reminders(
        recipients=company_admins(price_list.community.company),
        kind="fees.price_list",
        key=f"service-price-list:{price_list.pk}:submitted:{round_}",
        text=f"{price_list.community.name} 报来 {price_list.year}年《便民服务项目及价格表》，请审批。",
        about=price_list,
        community=price_list.community,
        url=f"{reverse('fees:convenience')}?year={price_list.year}",
    )
    return price_list


def _submitted(price_list, actor):
    price_list = ServicePriceList.objects.select_for_update().select_related("community").get(pk=price_list.pk)
    if not is_company_admin(actor, price_list.community):
        raise PermissionDenied("只有公司管理员（公司经理）可以审批便民服务项目及价格表。")
    if price_list.status != PriceListStatus.SUBMITTED:
        raise ValidationError("只有已报公司审批的价格表可以审批或退回。")
    return price_list


def _tell_managers(price_list, key, text):
    raise_reminders(
        recipients=staff_with_role(price_list.community, Role.MANAGER),
        kind="fees.price_list_decided",
        key=f"service-price-list:{price_list.pk}:{key}",
        text=text,
        about=price_list,
        community=price_list.community,
        url=f"{reverse('fees:convenience')}?year={price_list.year}",
    )


@transaction.atomic
def approve_price_list(price_list, *, actor, now=None):
    """公司经理批准 [001 L552]; the managers are told to post it [001 L554]."""
    price_list = _submitted(price_list, actor)
    price_list.status, price_list.approved_by, price_list.approved_at = (
        PriceListStatus.APPROVED,
        actor,
        now or timezone.now(),
    )
    price_list._history_user = actor
    price_list.save(update_fields=["status", "approved_by", "approved_at"])
    close_reminders(about=price_list, kind="fees.price_list")
    _tell_managers(
        price_list,
        "approved",
        f"{price_list.year}年《便民服务项目及价格表》已批准，请安排客服部张贴公告业主。",
    )
    return price_list


@transaction.atomic
def return_price_list(price_list, *, actor, reason):
    """The company admin sends the table back to draft with a reason; the managers are reminded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回请填写理由。"})
    price_list = _submitted(price_list, actor)
    price_list.status = PriceListStatus.DRAFT
    price_list._history_user = actor
    price_list._change_reason = reason[:100]
    price_list.save(update_fields=["status"])
    close_reminders(about=price_list, kind="fees.price_list")
    round_ = price_list.history.filter(status=PriceListStatus.SUBMITTED).count()
    _tell_managers(
        price_list, f"returned:{round_}", f"{price_list.year}年《便民服务项目及价格表》被公司退回：{reason[:100]}"
    )
    return price_list


def return_reason(price_list):
    """Why the company last sent this draft back, "" when it never did."""
    if price_list.status != PriceListStatus.DRAFT:
        return ""
    last = price_list.history.order_by("-history_date", "-history_id").first()
    return (last.history_change_reason or "") if last is not None else ""


# --- the daily job --------------------------------------------------------------


def flag_unprofitable(*, now=None):
    """Daily [001 L584]: a service of the table in force with fewer active
    subscribers than its break-even reminds the community's managers, once per
    service and month. Returns how many reminders were raised."""
    today = timezone.localdate(now or timezone.now())
    approved = ServicePriceList.objects.filter(status=PriceListStatus.APPROVED, year__lte=today.year)
    raised = 0
    for community in Community.objects.filter(pk__in=approved.values("community_id")).order_by("pk"):
        below = below_break_even(community, today)
        if not below:
            continue
        managers = staff_with_role(community, Role.MANAGER)
        for service in below:
            raised += len(
                raise_reminders(
                    recipients=managers,
                    kind="fees.convenience_below",
                    key=f"convenience-service:{service.pk}:below:{today:%Y-%m}",
                    text=f"便民服务「{service.name}」现有 {service.active} 户，低于保本户数 {service.needed} 户"
                    f"（每月成本 ¥{service.monthly_cost} ÷ 价格 ¥{service.price}），请报办公室处理。",
                    about=service,
                    community=community,
                    url=f"{reverse('fees:convenience_subscriptions')}?service={service.pk}",
                )
            )
    return raised
