"""CIDR containment on bit-vectors against Python's ipaddress."""

from __future__ import annotations

import ipaddress

import z3
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.ips import WIDTH, address_bits, in_network
from tests.encoding_oracle import ground_value

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
v6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)


@st.composite
def networks(draw: st.DrawFn, near: Address) -> Network:
    version = draw(st.sampled_from((4, 6)))
    bits = 32 if version == 4 else 128
    prefix = draw(st.integers(0, bits))
    base = int(near) if near.version == version and draw(st.booleans()) else draw(st.integers(0, 2**bits - 1))
    if draw(st.booleans()):
        base ^= 1 << draw(st.integers(0, bits - 1))  # flip one bit: inside or just outside
    return ipaddress.ip_network((base, prefix), strict=False)


@given(data=st.data(), address=st.one_of(v4, v6))
def test_in_network_is_ipaddress_containment(data: st.DataObject, address: Address) -> None:
    network = data.draw(networks(address))
    formula = in_network(z3.BoolVal(address.version == 4), address_bits(address), network)
    expected = address.version == network.version and address in network
    assert ground_value(formula) == expected


def test_width() -> None:
    assert WIDTH == 128
