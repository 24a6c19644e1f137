"""收缴率 and ageing (issue 10 §10): aggregate queries over bill lines.

收缴率 of a billing month as of a date = principal collected on that month's
lines by then ÷ what was billed for the month net of adjustments. Ageing puts
each open line in a band of days past its due date (1–30, 31–90, 91–180,
181–365, over 365; the bands are a parameter)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Exists, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from core.models import User
from fees.choices import LineSource, Method, Reason
from fees.models import Allocation, BillLine, CollectionCall, Payment

ZERO = Decimal("0.00")
BANDS = ((1, 30), (31, 90), (91, 180), (181, 365), (366, None))
GROUPS = {"building": "house__building__number", "butler": "house__butler__name", "butler_id": "house__butler_id"}


def rate(part, whole):
    """part ÷ whole as a percentage with 2 decimals, half-up (None for nothing billed)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def collection_rate(community, month, as_of, *, by=None):
    """[{key, billed, collected, rate}] for `month`'s lines, overall or `by`
    building or butler: two aggregate queries whatever the number of lines."""
    lines = BillLine.objects.filter(community=community, month=month).filter(
        Q(source=LineSource.CHARGE) | Q(source=LineSource.ADJUSTMENT)
    )
    paid = Allocation.objects.filter(
        line__in=lines.filter(source=LineSource.CHARGE),
        payment__isnull=False,  # a credit (减免) lowers what was billed; it is not collected
        payment__voided_at__isnull=True,
        paid_on__lte=as_of,
    )
    field = GROUPS.get(by)
    if field is None:
        billed = lines.aggregate(t=Coalesce(Sum("amount"), ZERO))["t"]
        collected = paid.aggregate(t=Coalesce(Sum("amount"), ZERO))["t"]
        return [{"key": "", "billed": billed, "collected": collected, "rate": rate(collected, billed)}]
    billed = dict(lines.values_list(field).annotate(t=Sum("amount")).order_by())
    collected = dict(paid.values_list(f"line__{field}").annotate(t=Sum("amount")).order_by())
    return [
        {"key": key or "—", "billed": total, "collected": collected.get(key, ZERO),
         "rate": rate(collected.get(key, ZERO), total)}
        for key, total in sorted(billed.items(), key=lambda kv: str(kv[0]))
    ]  # fmt: skip


def band_of(days, bands=BANDS):
    for low, high in bands:
        if days >= low and (high is None or days <= high):
            return f"{low}–{high}天" if high else f"{low - 1}天以上"
    return ""


def band_q(as_of, low, high):
    """Lines `low` to `high` (None: no limit) days past due as of `as_of`."""
    condition = Q(due_date__lte=_day(as_of.toordinal() - low))
    if high is not None:
        condition &= Q(due_date__gte=_day(as_of.toordinal() - high))
    return condition


def band_case(as_of, bands=BANDS):
    """A line's ageing band label as of `as_of` ("" when not yet past due)."""
    cases = [When(band_q(as_of, low, high), then=Value(band_of(low, bands))) for low, high in bands]
    return Case(*cases, default=Value(""), output_field=CharField())


def ageing(community, as_of, bands=BANDS):
    """Open amounts by days past due as of `as_of`: one aggregate query."""
    rows = (
        BillLine.objects.filter(community=community, open_amount__gt=0)
        .annotate(band=band_case(as_of, bands))
        .exclude(band="")
        .values("band")
        .annotate(total=Sum("open_amount"))
        .order_by()
    )
    totals = {row["band"]: row["total"] for row in rows}
    return [{"band": band_of(low, bands), "total": totals.get(band_of(low, bands), ZERO)} for low, _ in bands]


def _day(ordinal):
    return dt.date.fromordinal(ordinal)


# --- The report pages (issue 10 §10): 清欠, ageing by building, arrears by reason,
# the households behind a figure, payments by method and day, the dashboard card.

NOT_CALLED, UNSTATED, NO_BUTLER = "none", "unstated", "none"
REASON_LABELS = {**dict(Reason.choices), UNSTATED: "已联系未说明原因", NOT_CALLED: "未联系"}


def building_order(number):
    """Building numbers in the order people count them: 2 before 10."""
    return (0, int(number), "") if str(number).isdigit() else (1, 0, str(number))


def recovered(community, month, as_of):
    """清欠: principal collected from the 1st of `as_of`'s month through `as_of` on
    lines of billing months before `month` (and before the as-of month), by valid
    payments; a credit (减免) is not money collected. One aggregate query."""
    first = as_of.replace(day=1)
    return Allocation.objects.filter(
        line__community=community,
        line__source=LineSource.CHARGE,
        line__month__lt=min(month, first),
        payment__isnull=False,
        payment__voided_at__isnull=True,
        paid_on__gte=first,
        paid_on__lte=as_of,
    ).aggregate(t=Coalesce(Sum("amount"), ZERO))["t"]


def collection_by_butler(community, month, as_of):
    """`collection_rate` by the zone's butler, each row with the butler's id
    (`param`, NO_BUTLER for houses outside any zone) and name: three queries."""
    rows = collection_rate(community, month, as_of, by="butler_id")
    ids = [row["key"] for row in rows if row["key"] != "—"]
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}
    for row in rows:
        row["param"] = NO_BUTLER if row["key"] == "—" else row["key"]
        row["label"] = names.get(row["key"], "未分配管家")
    return sorted(rows, key=lambda row: (row["param"] == NO_BUTLER, row["label"]))


def ageing_by_building(community, as_of, bands=BANDS):
    """[{key, totals (one per band), total}] per building: one aggregate query."""
    rows = (
        BillLine.objects.filter(community=community, open_amount__gt=0)
        .annotate(band=band_case(as_of, bands))
        .exclude(band="")
        .values_list("house__building__number", "band")
        .annotate(total=Sum("open_amount"))
        .order_by()
    )
    table = {}
    for building, band, total in rows:
        table.setdefault(building, {})[band] = total
    labels = [band_of(low, bands) for low, _ in bands]
    return [
        {"key": building, "totals": [cells.get(label, ZERO) for label in labels], "total": sum(cells.values(), ZERO)}
        for building, cells in sorted(table.items(), key=lambda kv: building_order(kv[0]))
    ]


def overdue_lines(community, as_of):
    """Arrears: lines past their due date as of `as_of` and still (partly) unpaid."""
    return BillLine.objects.filter(community=community, open_amount__gt=0, due_date__lt=as_of)


def latest_reason(house_ref="house_id"):
    """The household's latest recorded arrears reason [001 L318]: the reason of
    its latest call that named one; UNSTATED when called but never told why;
    NOT_CALLED when never called. A subquery, so a report groups by it in SQL."""
    calls = CollectionCall.objects.filter(house_id=OuterRef(house_ref))
    named = calls.exclude(reason="").order_by("-called_at", "-pk").values("reason")[:1]
    otherwise = Case(When(Exists(calls), then=Value(UNSTATED)), default=Value(NOT_CALLED), output_field=CharField())
    return Coalesce(Subquery(named), otherwise, output_field=CharField())


def arrears_by_reason(community, as_of):
    """[{key, label, households, amount}] for every reason, in the form's order,
    then 未说明 and 未联系: one aggregate query."""
    rows = (
        overdue_lines(community, as_of)
        .annotate(reason_key=latest_reason())
        .values("reason_key")
        .annotate(households=Count("house_id", distinct=True), amount=Sum("open_amount"))
        .order_by()
    )
    found = {row["reason_key"]: row for row in rows}
    return [
        {
            "key": key,
            "label": label,
            "households": found[key]["households"] if key in found else 0,
            "amount": found[key]["amount"] if key in found else ZERO,
        }
        for key, label in REASON_LABELS.items()
    ]


def arrears_lines(community, as_of, *, month=None, building=None, butler=None, band=None, reason=None, bands=BANDS):
    """The unpaid lines behind a report figure. With `month`: that billing month's
    unpaid lines, due or not (the 收缴率 page); else lines past due as of `as_of`,
    narrowed to `band` (an index into `bands`). `butler` is an id or NO_BUTLER;
    `reason` a key of REASON_LABELS."""
    if month is not None:
        lines = BillLine.objects.filter(community=community, open_amount__gt=0, month=month)
    else:
        lines = overdue_lines(community, as_of)
    if band is not None:
        lines = lines.filter(band_q(as_of, *bands[band]))
    if building:
        lines = lines.filter(house__building__number=building)
    if butler == NO_BUTLER:
        lines = lines.filter(house__butler__isnull=True)
    elif butler is not None:
        lines = lines.filter(house__butler_id=butler)
    lines = lines.annotate(reason_key=latest_reason())
    return lines.filter(reason_key=reason) if reason else lines


def arrears_households(lines):
    """One row per household of `lines` (from `arrears_lines`): house number,
    butler, what it owes there and its oldest unpaid month, by house number."""
    butler = Coalesce(NullIf("house__butler__name", Value("")), "house__butler__username")
    return (
        lines.values("house_id", "house__number", "house__building__number", "reason_key")
        .annotate(butler_name=butler, owed=Sum("open_amount"), oldest=Min("month"))
        .order_by("house__number")
    )


def arrears_totals(lines):
    return lines.aggregate(total=Coalesce(Sum("open_amount"), ZERO), households=Count("house_id", distinct=True))


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def valid_payments(community, first, last, method=None):
    """Payments not voided, received from `first` through `last` (local dates)."""
    payments = Payment.objects.filter(
        community=community,
        voided_at__isnull=True,
        received_at__gte=_day_start(first),
        received_at__lt=_day_start(last + dt.timedelta(days=1)),
    )
    return payments.filter(method=method) if method else payments


def payment_totals(payments):
    return payments.aggregate(total=Coalesce(Sum("amount"), ZERO), count=Count("pk"))


def payments_by_method_day(community, first, last):
    """Valid payments [001 L316] per method, per day and per method × day:
    one aggregate query. Only methods used in the period get a column."""
    rows = (
        valid_payments(community, first, last)
        .annotate(day=TruncDate("received_at"))
        .values_list("day", "method")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    )
    cells, days, per_method = {}, {}, {}
    for day, method, total, count in rows:
        cells[day, method] = total
        for bucket in (days.setdefault(day, [ZERO, 0]), per_method.setdefault(method, [ZERO, 0])):
            bucket[0] += total
            bucket[1] += count
    methods = [
        {"key": key, "label": label, "total": per_method[key][0], "count": per_method[key][1]}
        for key, label in Method.choices
        if key in per_method
    ]
    return {
        "methods": methods,
        "days": [
            {
                "day": day,
                "cells": [{"method": m["key"], "total": cells.get((day, m["key"]), ZERO)} for m in methods],
                "total": total,
                "count": count,
            }
            for day, (total, count) in sorted(days.items())
        ],
        "total": sum((m["total"] for m in methods), ZERO),
        "count": sum(m["count"] for m in methods),
    }


def payment_rows(payments):
    """The rows of a payments list or its export, with the receipt and collector."""
    collector = Coalesce(NullIf("received_by__name", Value("")), "received_by__username")
    fields = ("pk", "received_at", "amount", "method", "payer", "reference", "house_id", "house__number")
    return payments.values(*fields, "receipt__pk", "receipt__number", collector=collector).order_by("received_at", "pk")


def dashboard_widget(request):
    """The home page's fees card: this month's 收缴率 so far, total arrears and the
    households in arrears — three aggregate queries."""
    today = timezone.localdate()
    month = today.replace(day=1)
    (overall,) = collection_rate(request.community, month, today)
    owed = arrears_totals(overdue_lines(request.community, today))
    return {"month": month, "today": today, **overall, "arrears": owed["total"], "households": owed["households"]}
