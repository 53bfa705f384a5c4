"""The network keys of a request AWS sends, on a symbolic request: the rules of
`evaluation/network.py` (their sources are there), stated on the keys the
request tracks. A rule that names a key the request does not track says
nothing, soundly: no policy reads that key, so any request the rule would exclude
has a twin AWS sends that differs only in that key (through a VPC endpoint, when
`aws:SourceVpc` is free; a service's call on the caller's behalf, when
`aws:ViaAWSService` is free), and the witness is completed that way
(`evaluation.network.completions`). A request space's network keys are tracked
too (`SymbolicRequest.for_policies(also_keys=...)`), so the rules bind them as the
space states them."""

from __future__ import annotations

import z3

from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.strings import string_val
from reasoner.encodings.terms import and_, implies, not_, or_
from reasoner.evaluation.network import (
    ENDPOINT_KEYS,
    SOURCE_IP,
    SOURCE_VPC,
    SOURCE_VPCE,
    VIA_AWS_SERVICE,
    VPC_SOURCE_IP,
)
from reasoner.policy.model import PrincipalKind


def network_facts(sym: SymbolicRequest) -> list[z3.BoolRef]:
    facts: list[z3.BoolRef] = []
    source_ip, vpc = sym.keys.get(SOURCE_IP), sym.keys.get(SOURCE_VPC)
    # rule 1: through a VPC endpoint, no aws:SourceIp
    for key in ENDPOINT_KEYS:
        terms = sym.keys.get(key)
        if terms is not None and source_ip is not None:
            facts.append(implies(terms.present, not_(source_ip.given)))
    # rule 2: an endpoint is in a VPC
    for key in (SOURCE_VPCE, VPC_SOURCE_IP):
        terms = sym.keys.get(key)
        if terms is not None and vpc is not None:
            facts.append(implies(terms.present, vpc.present))
    # rule 3: a direct request not through an endpoint came over the internet
    if source_ip is not None and vpc is not None:
        direct = sym.kind_is(PrincipalKind.ANONYMOUS)
        via = sym.keys.get(VIA_AWS_SERVICE)
        if via is not None and not via.multi and via.slots[0].text is not None:
            direct = or_(direct, and_(via.present, via.slots[0].text == string_val("false")))
        facts.append(implies(and_(direct, not_(sym.kind_is(PrincipalKind.SERVICE)), not_(vpc.present)),
                             source_ip.present))
    return facts
