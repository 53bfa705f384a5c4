"""The other direction of the differential test: every witness the solver returns
for a random policy set replays through the reference evaluator to the decision
the encoding claimed (style.md §6)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.queries import Query, Replay
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.wellformed import aws_context, principal_shape
from reasoner.policy.model import Decision, PolicySet
from reasoner.solving.budget import Budget
from reasoner.solving.query import run_query
from tests.test_encodings_chain import _all, policy_sets

TARGETS = (Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY)


def _query(policy_set: PolicySet, decision: Decision) -> Query:
    listed = _all(policy_set)
    sym = SymbolicRequest.for_policies(listed, name="replay")  # type: ignore[arg-type]
    chain = encode_chain(policy_set, sym)
    target = {Decision.ALLOW: chain.allow, Decision.EXPLICIT_DENY: chain.explicit_deny,
              Decision.IMPLICIT_DENY: chain.implicit_deny}[decision]
    facts = (*sym.domain_constraints(), *principal_shape(sym, "replay"), *aws_context(sym), target)
    return Query("replay", sym, facts, (Replay(policy_set, frozenset({decision})),),
                 tuple(listed))  # type: ignore[arg-type]


def _check(policy_set: PolicySet, decision: Decision) -> None:
    result = run_query(lambda: _query(policy_set, decision), Budget(), lambda w: [], "replay")
    # run_query replays the witness and turns a mismatch into UNKNOWN "internal error"
    assert "internal error" not in (result.unknown_reason or ""), result.unknown_reason
    if result.witness is not None:
        assert result.witness.result.decision is decision


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=15)
@given(policy_sets(), st.sampled_from(TARGETS))
def test_every_witness_replays_to_the_claimed_decision(policy_set: PolicySet, decision: Decision) -> None:
    _check(policy_set, decision)


@pytest.mark.slow
@given(policy_sets(), st.sampled_from(TARGETS))
def test_every_witness_replays_long(policy_set: PolicySet, decision: Decision) -> None:
    _check(policy_set, decision)


def test_a_witness_whose_role_path_has_an_empty_segment_replays() -> None:
    # The encoding admits every IAM path (`/` printable ASCII `/`, QUOTA), `/a//` among
    # them; decoding such a witness used to fail outside the replay's error handling.
    from reasoner.policy.model import PolicyType
    from reasoner.policy.parse import parse_policy

    policy = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/a//*"}}}]},
        PolicyType.IDENTITY, source="identity.json")
    result = run_query(lambda: _query(PolicySet(identity_policies=(policy,)), Decision.EXPLICIT_DENY), Budget(),
                       lambda w: [], "replay")
    assert result.result == "FAIL", result.unknown_reason
    # a role or one of its sessions (whose role ARN keeps the path): the solver may pick either
    principal = result.witness.request.principal if result.witness is not None else None
    assert principal is not None and "role/a//" in (principal.role_arn or principal.arn or "")
