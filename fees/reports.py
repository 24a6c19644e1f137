"""收缴率 and ageing (issue 10 §10): aggregate queries over bill lines.

收缴率 of a billing month as of a date = principal collected on that month's
lines by then ÷ what was billed for the month net of adjustments. Ageing puts
each open line in a band of days past its due date (1–30, 31–90, 91–180,
181–365, over 365; the bands are a parameter)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from fees.choices import LineSource
from fees.models import Allocation, BillLine

ZERO = Decimal("0.00")
BANDS = ((1, 30), (31, 90), (91, 180), (181, 365), (366, None))
GROUPS = {"building": "house__building__number", "butler": "house__butler__name"}


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
        line__in=lines.filter(source=LineSource.CHARGE), payment__voided_at__isnull=True, paid_on__lte=as_of
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


def ageing(community, as_of, bands=BANDS):
    """Open amounts by days past due as of `as_of`: one aggregate query."""
    cases = []
    for low, high in bands:
        label = band_of(low, bands)
        newest = as_of.toordinal() - low
        condition = Q(due_date__lte=_day(newest))
        if high is not None:
            condition &= Q(due_date__gte=_day(as_of.toordinal() - high))
        cases.append(When(condition, then=Value(label)))
    band = Case(*cases, default=Value(""), output_field=CharField())
    rows = (
        BillLine.objects.filter(community=community, open_amount__gt=0)
        .annotate(band=band)
        .exclude(band="")
        .values("band")
        .annotate(total=Sum("open_amount"))
        .order_by()
    )
    totals = {row["band"]: row["total"] for row in rows}
    return [{"band": band_of(low, bands), "total": totals.get(band_of(low, bands), ZERO)} for low, _ in bands]


def _day(ordinal):
    return dt.date.fromordinal(ordinal)
