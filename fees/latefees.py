"""滞纳金 (issue 10 §8): each day after the due date plus the grace days, through
the as-of date, charges the daily rate on the principal still unpaid at that
day's end; a line's late fee is rounded once. The policy is the most specific of
fee item → community → company (defaults: 0.03 % a day, no grace, not billed on
statements — [003 L537] lists it only on the lawyer's letter)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from core.money import to_fen
from fees.models import DEFAULT_DAILY_RATE, LateFeePolicy


@dataclass(frozen=True)
class Terms:
    daily_rate: Decimal = DEFAULT_DAILY_RATE
    grace_days: int = 0
    on_statements: bool = False


def terms_for(item):
    """The late-fee terms of `item` in its community: item > community > company."""
    community = item.community
    scopes = Q(item=item) | Q(community=community, item__isnull=True) | Q(community__isnull=True, item__isnull=True)
    rows = {
        ("item" if p.item_id else "community" if p.community_id else "company"): p
        for p in LateFeePolicy.objects.filter(scopes, company_id=community.company_id)
    }
    policy = rows.get("item") or rows.get("community") or rows.get("company")
    if policy is None:
        return Terms()
    return Terms(policy.daily_rate, policy.grace_days, policy.on_statements)


def late_fee(principal, due_date, as_of, *, terms=Terms(), payments=()):
    """The late fee of one line as of `as_of`: `payments` are (date, amount) of the
    principal paid; a payment made on a day counts for that day's end."""
    start = due_date + dt.timedelta(days=terms.grace_days + 1)
    if as_of < start:
        return Decimal("0.00"), 0
    events = sorted((day, Decimal(amount)) for day, amount in payments)
    total, days, unpaid, cursor = Decimal("0"), 0, Decimal(principal), start
    for day, amount in events:
        if day < start:
            unpaid -= amount
            continue
        if day > as_of:
            break
        # Days from the cursor to the day before the payment carry the old balance.
        span = (day - cursor).days
        total += max(unpaid, Decimal("0")) * span
        days += span if unpaid > 0 else 0
        unpaid -= amount
        cursor = day
    span = (as_of - cursor).days + 1
    total += max(unpaid, Decimal("0")) * span
    days += span if unpaid > 0 else 0
    return to_fen(total * terms.daily_rate), days
