"""What a house is billed for one month of one fee item (issue 10 §1–§2).

Each bill line is basis × rate (× days ÷ days in the month when prorated), rounded
half-up to the fen once (`core.money`); a total is the sum of rounded lines, so a
quarter billed as three monthly lines is 3 × the rounded month (630.99 for
89.50 m² at 2.35, not 631.00). Billing starts at handover (交房); the handover
month is prorated by days, the handover day included.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.money import to_fen
from fees.choices import Basis


def days_in_month(month):
    return calendar.monthrange(month.year, month.month)[1]


def billable_days(month, handover_date):
    """Days of `month` (its 1st) the house is billed for: all of them after the
    handover month, the days from handover in it, none before it."""
    total = days_in_month(month)
    if handover_date is None:
        return 0
    last = month.replace(day=total)
    if handover_date > last:
        return 0
    if handover_date <= month:
        return total
    return (last - handover_date).days + 1


def line_amount(quantity, unit_price, *, days=None, month_days=None):
    """quantity × unit price (× days ÷ days in the month), rounded once."""
    value = Decimal(quantity) * Decimal(unit_price)
    if days is not None and month_days and days != month_days:
        value = value * Decimal(days) / Decimal(month_days)
    return to_fen(value)


def basis_quantity(item, house, quantity=None):
    """The quantity the rate multiplies: the floor area, one house, the spaces."""
    if item.basis == Basis.AREA_MONTH:
        return house.floor_area or Decimal("0")
    if item.basis == Basis.HOUSE_MONTH:
        return Decimal("1")
    return Decimal(quantity if quantity is not None else 1)


@dataclass(frozen=True)
class Charge:
    amount: Decimal
    quantity: Decimal
    unit_price: Decimal
    days: int | None  # None: the whole month
    month_days: int


def month_charge(item, unit_price, house, month, *, quantity=None):
    """The line `house` owes for `month` of a monthly item, or None (not yet handed
    over, not applicable, nothing to bill)."""
    if not item.applies_to(house):
        return None
    total = days_in_month(month)
    days = billable_days(month, house.handover_date) if item.prorate else total
    if not days:
        return None
    qty = basis_quantity(item, house, quantity)
    amount = line_amount(qty, unit_price, days=days, month_days=total)
    if amount <= 0:
        return None
    return Charge(amount, qty, Decimal(unit_price), None if days == total else days, total)


def first_of_month(day):
    return dt.date(day.year, day.month, 1)
