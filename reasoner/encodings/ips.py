"""IP addresses and CIDRs as bit-vectors (§3.1: IpAddress / NotIpAddress).

An address is a 128-bit vector plus an `is_v4` flag; an IPv4 address sits in the
low 32 bits. An address is in a network when the versions agree and the top
`prefixlen` bits of its family's width equal the network's, as Python's
`ipaddress` containment that the evaluator uses.
"""

from __future__ import annotations

import ipaddress

import z3

from reasoner.encodings.terms import all_of
from reasoner.policy.matching import parse_ip, parse_network

__all__ = ["WIDTH", "address_bits", "in_network", "parse_ip", "parse_network", "v4_high_bits_zero"]

WIDTH = 128
_V4_WIDTH = 32


def address_bits(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> z3.BitVecRef:
    return z3.BitVecVal(int(address), WIDTH)


def v4_high_bits_zero(bits: z3.BitVecRef) -> z3.BoolRef:
    return z3.Extract(WIDTH - 1, _V4_WIDTH, bits) == 0


def in_network(is_v4: z3.BoolRef, bits: z3.BitVecRef,
               network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> z3.BoolRef:
    width = _V4_WIDTH if network.version == 4 else WIDTH
    version = is_v4 if network.version == 4 else z3.Not(is_v4)
    if network.prefixlen == 0:
        return version
    high = width - 1
    low = width - network.prefixlen
    expected = int(network.network_address) >> low
    prefix = z3.Extract(high, low, bits) == z3.BitVecVal(expected, network.prefixlen)
    return all_of([version, prefix])


