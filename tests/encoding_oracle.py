"""Shared helper for the encoding tests: the truth value of a formula under a
concrete request, decided by the solver (both polarities, so an undetermined
formula fails loudly instead of passing)."""

from __future__ import annotations

from typing import Any

import z3

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.request import SymbolicRequest
from reasoner.evaluation.evaluate import evaluate, policy_slots
from reasoner.policy.model import Decision, PolicySet, Request
from reasoner.solving.solve import Status, solve

BUDGET_UNITS = 20.0


def value_under(formula: z3.BoolRef, sym: SymbolicRequest, request: Request) -> bool:
    base = [*sym.domain_constraints(), *sym.fix_to(request)]
    holds = solve([*base, formula], BUDGET_UNITS).status
    fails = solve([*base, z3.Not(formula)], BUDGET_UNITS).status
    assert Status.UNKNOWN not in (holds, fails), "solver gave up on a fixed request"
    assert {holds, fails} == {Status.SAT, Status.UNSAT}, f"formula not determined by the request: {holds}, {fails}"
    return holds is Status.SAT


def ground_value(formula: z3.BoolRef) -> bool:
    """The truth value of a formula without free variables (decided by the solver)."""
    holds = solve([formula], BUDGET_UNITS).status
    fails = solve([z3.Not(formula)], BUDGET_UNITS).status
    assert {holds, fails} == {Status.SAT, Status.UNSAT}, f"not ground or not decided: {holds}, {fails}"
    return holds is Status.SAT


def assert_chain_agrees(policy_set: PolicySet, request: Request) -> None:
    """The encoded evaluation chain gives the reference evaluator's decision for the request."""
    listed: list[Any] = [slot.policy for slot in policy_slots(policy_set)]
    sym = SymbolicRequest.for_policies(listed, requests=[request])
    chain = encode_chain(policy_set, sym)
    decision = evaluate(request, policy_set).decision
    expected = {Decision.ALLOW: chain.allow, Decision.EXPLICIT_DENY: chain.explicit_deny,
                Decision.IMPLICIT_DENY: chain.implicit_deny}
    for name, term in expected.items():
        assert value_under(term, sym, request) == (name is decision), (name, decision, request)
