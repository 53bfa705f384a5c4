"""Property tests of the reference evaluator's matchers against independent oracles."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from reasoner.policy.matching import action_matches, base_match, glob_match, parse_date
from reasoner.policy.operators import BASE_OPERATORS

ALPHABET = "ab*?/:"
TEXT = "ab/:"


def oracle_glob(pattern: str, text: str) -> bool:
    """A recursive matcher written from the definition (§2.1), independent of `re`."""

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        if pattern[i] == "*":
            return match(i + 1, j) or (j < len(text) and match(i, j + 1))
        if j == len(text):
            return False
        return (pattern[i] == "?" or pattern[i] == text[j]) and match(i + 1, j + 1)

    return match(0, 0)


@given(st.text(ALPHABET, max_size=8), st.text(TEXT, max_size=8))
def test_glob_matches_the_definition(pattern: str, text: str) -> None:
    assert glob_match(pattern, text) == oracle_glob(pattern, text)


@given(st.text("sS3:gGeEtT*?", min_size=1, max_size=10), st.text("sS3:gGeEtT", max_size=10))
def test_action_matching_ignores_case(pattern: str, action: str) -> None:
    assert action_matches(pattern, action) == oracle_glob(pattern.lower(), action.lower())


@given(st.ip_addresses(), st.ip_addresses(), st.integers(0, 128))
def test_ip_address_operator_is_cidr_membership(address: object, network_base: object, prefix: int) -> None:
    assert isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address)
    assert isinstance(network_base, ipaddress.IPv4Address | ipaddress.IPv6Address)
    prefix = min(prefix, network_base.max_prefixlen)
    network = ipaddress.ip_network(f"{network_base}/{prefix}", strict=False)
    expected = address.version == network.version and address in network
    matched = base_match(BASE_OPERATORS["ipaddress"], str(address), str(network), variables=False,
                         lookup=lambda key: None)
    assert matched == expected


@given(st.integers(0, 4_000_000_000))
def test_iso_and_epoch_dates_denote_the_same_instant(seconds: int) -> None:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert parse_date(iso) == parse_date(str(seconds)) == Decimal(seconds)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6),
       st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))
def test_numeric_operators_compare_decimals(left: Decimal, right: Decimal) -> None:
    for name, relation in (("numericlessthan", left < right), ("numericequals", left == right),
                           ("numericgreaterthanequals", left >= right)):
        assert base_match(BASE_OPERATORS[name], str(left), str(right), variables=False,
                          lookup=lambda key: None) == relation
