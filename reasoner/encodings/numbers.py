"""Numbers and dates as exact real arithmetic (§3.1).

Numeric values are decimals, dates are epoch seconds; both are read by the
evaluator's own parsers (`reasoner.policy.matching.parse_number` / `parse_date`) so the
two sides agree on what is a valid value. `aws:EpochTime` is both a date and a
number (§3.1): one real term serves both families.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import z3

from reasoner.policy.matching import parse_date, parse_number

__all__ = ["compare", "parse_date", "parse_number", "real_val"]


def real_val(value: Decimal) -> z3.ArithRef:
    fraction = Fraction(value)
    return z3.Q(fraction.numerator, fraction.denominator)


def compare(relation: str, left: z3.ArithRef, right: z3.ArithRef) -> z3.BoolRef:
    """`relation` is an `OperatorInfo.relation`: eq, lt, le, gt, ge."""
    if relation == "eq":
        return left == right
    if relation == "lt":
        return left < right
    if relation == "le":
        return left <= right
    if relation == "gt":
        return left > right
    if relation == "ge":
        return left >= right
    raise ValueError(f"unknown relation {relation}")
