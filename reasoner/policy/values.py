"""Typed readings of condition values, shared by the parser, the evaluator and the
SMT encodings so that all three agree on what a valid number, date or CIDR is.

Each function returns None for text that is not a value of its type; the parser
turns that into an error, the evaluator into "no match".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network

# Integers and plain decimals; AWS documents no exponent form (§3.1).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")

# The W3C profile of ISO 8601 that AWS names (§3.1), from a full date down to
# fractional seconds; no offset means UTC.
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?"
)
_EPOCH = re.compile(r"\d+")

IPNetwork = IPv4Network | IPv6Network


@lru_cache(maxsize=4096)
def parse_number(text: str) -> Decimal | None:
    """`"10"`, `"-2.5"` → Decimal; anything else (exponents, `${...}`) → None."""
    if not _NUMBER.fullmatch(text):
        return None
    return Decimal(text)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 date-time (`2020-01-01`, `2020-01-01T00:00:00Z`,
    fractional seconds, `+01:00` offsets) or of integer epoch seconds; else None."""
    if _EPOCH.fullmatch(text):
        return float(int(text))
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    tz = UTC
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours > 23 or minutes > 59:
            return None
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz
        )
    except ValueError:
        return None
    return moment.timestamp() + (float(fraction) if fraction else 0.0)


@lru_cache(maxsize=4096)
def parse_cidr(text: str) -> IPNetwork | None:
    """IPv4 or IPv6 CIDR; a bare address is a /32 or /128 (§3.1). Host bits set
    below the prefix are ignored, as in `203.0.113.5/24`."""
    if not text or "%" in text or text.strip() != text:
        return None
    try:
        return ip_network(text, strict=False)
    except ValueError:
        return None
