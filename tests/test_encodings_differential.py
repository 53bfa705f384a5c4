"""The backbone: the SMT encoding of a statement, with the request fixed, gives
exactly the reference evaluator's `statement_applies`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.conditions import condition_holds
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.statements import (
    PrincipalMatch,
    policy_allows,
    policy_denies,
    statement_applies,
    statement_terms,
)
from reasoner.evaluation.evaluate import (
    Context,
    Grant,
    action_applies,
    not_principal_excludes,
    principal_grant,
    resource_applies,
    statement_grant,
)
from reasoner.evaluation.evaluate import condition_holds as evaluator_condition_holds
from reasoner.evaluation.evaluate import statement_applies as evaluator_applies
from reasoner.policy.model import Effect, Policy, PolicyType, Request
from tests.encoding_oracle import value_under
from tests.strategies import policies, requests


def _check(policy: Policy, request: Request, has_boundary: bool) -> None:
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    for statement in policy.statements:
        expected = evaluator_applies(statement, policy, request, has_boundary=has_boundary)
        formula = statement_applies(statement, policy, sym, has_boundary=has_boundary)
        assert value_under(formula, sym, request) == expected, (statement, request)


@given(policy=policies(), request=requests(), has_boundary=st.booleans())
def test_statement_encoding_agrees_with_evaluator(policy: Policy, request: Request, has_boundary: bool) -> None:
    _check(policy, request, has_boundary)


@pytest.mark.slow
@given(policy=policies(), request=requests(), has_boundary=st.booleans())
def test_statement_encoding_agrees_with_evaluator_long(policy: Policy, request: Request, has_boundary: bool) -> None:
    _check(policy, request, has_boundary)


@given(policy=policies(), request=requests())
def test_policy_helpers_report_the_statements_that_apply(policy: Policy, request: Request) -> None:
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    for effect, helper in ((Effect.ALLOW, policy_allows), (Effect.DENY, policy_denies)):
        terms = helper(policy, sym)
        applying = [s for s in policy.statements if s.effect is effect and evaluator_applies(s, policy, request)]
        assert value_under(terms.fires, sym, request) == bool(applying)
        assert [s for s, _ in terms.statements] == [s for s in policy.statements if s.effect is effect]


def _level(match: PrincipalMatch, sym: SymbolicRequest, request: Request) -> Grant:
    if value_under(match.direct, sym, request):
        return Grant.DIRECT
    if value_under(match.role, sym, request):
        return Grant.ROLE
    return Grant.ACCOUNT if value_under(match.account, sym, request) else Grant.NONE


def _check_parts(policy: Policy, request: Request, has_boundary: bool) -> None:
    """Each part of each statement on its own: a wrong part cannot hide behind
    another part that fails."""
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    context = Context.of(request, has_boundary=has_boundary)
    enabled = policy.variables_enabled
    for statement in policy.statements:
        terms = statement_terms(statement, policy, sym, has_boundary=has_boundary)
        assert value_under(terms.action, sym, request) == action_applies(statement, request.action)
        assert value_under(terms.resource, sym, request) == resource_applies(statement, context, enabled), statement
        if statement.principal is not None:
            expected = principal_grant(statement.principal, request.principal,
                                       account_means_root=policy.policy_type is PolicyType.VPC_ENDPOINT)
            assert _level(terms.principal, sym, request) is expected, statement.principal
        if statement.not_principal is not None:
            exempt = not_principal_excludes(statement.not_principal, context)
            assert value_under(terms.not_principal_exempts, sym, request) == exempt, statement.not_principal
        for condition in statement.conditions:
            expected_holds = evaluator_condition_holds(condition, context, enabled)
            assert value_under(condition_holds(condition, sym, enabled), sym, request) == expected_holds, condition
        grant = statement_grant(statement, policy, context)
        for level, name in ((Grant.DIRECT, "direct"), (Grant.ROLE, "role"), (Grant.ACCOUNT, "account")):
            assert value_under(terms.grants(name), sym, request) == (grant is level)


@given(policy=policies(), request=requests(), has_boundary=st.booleans())
def test_every_statement_part_agrees_with_evaluator(policy: Policy, request: Request, has_boundary: bool) -> None:
    _check_parts(policy, request, has_boundary)


@pytest.mark.slow
@given(policy=policies(), request=requests(), has_boundary=st.booleans())
def test_every_statement_part_agrees_with_evaluator_long(policy: Policy, request: Request,
                                                         has_boundary: bool) -> None:
    _check_parts(policy, request, has_boundary)
