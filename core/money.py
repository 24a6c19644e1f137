"""Money (SPEC: money is `Decimal`): one rounding rule for every amount.

Amounts are rounded half-up to the fen once, where a line's amount is made
(2.5 m × 12.25 元/m = 30.625 → 30.63; Python's default half-even or a float
would give 30.62). Totals are sums of rounded lines.
"""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_fen(value):
    """`value` (Decimal, int or str — never float) rounded half-up to the fen."""
    if isinstance(value, float):
        raise TypeError("money must not pass through float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def line_amount(quantity, unit_price):
    """A line's amount: quantity × unit price, rounded once."""
    return to_fen(Decimal(quantity) * Decimal(unit_price))
