"""The whole evaluation chain: `encode_chain` with the request fixed gives exactly
the decision of the reference evaluator's `evaluate`."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.model import Decision, PolicySet, PolicyType, Request
from tests.encoding_oracle import assert_chain_agrees
from tests.strategies import policies, requests

# Resources the chain treats specially: KMS keys (not aliases, nor strings that
# are no full ARN but whose third field is `kms`) and roles for sts: actions.
CHAIN_RESOURCES = ("arn:aws:kms:us-east-1:111111111111:key/k", "arn:aws:KMS:us-east-1:111111111111:key/k",
                   "arn:aws:kms:us-east-1:111111111111:alias/a", "arn:aws:kms:us-east-1:111111111111:Key/k",
                   "arn:aws:kms", "arn:x:kms:y", "arn::kms:", "xarn:aws:kms:a:b:c", "arn:aws:iam::111111111111:role/R",
                   "arn:aws:iam::111111111111:role/aws-service-role/x/SLR", "role/x", "arn:aws:s3:::B/x:role/y")
CHAIN_ACTIONS = ("sts:AssumeRole", "kms:Decrypt", "kms:DeleteAlias", "kms:RetireGrant", "s3:GetObject")


@st.composite
def chain_requests(draw: st.DrawFn) -> Request:
    request = draw(requests())
    if draw(st.booleans()):
        request = dataclasses.replace(request, resource=draw(st.sampled_from(CHAIN_RESOURCES)))
    if draw(st.booleans()):
        request = dataclasses.replace(request, action=draw(st.sampled_from(CHAIN_ACTIONS)))
    return request


@st.composite
def policy_sets(draw: st.DrawFn) -> PolicySet:
    levels = st.lists(st.lists(policies(PolicyType.IDENTITY), min_size=1, max_size=2).map(tuple), max_size=2)
    return PolicySet(
        identity_policies=tuple(draw(st.lists(policies(PolicyType.IDENTITY), max_size=2))),
        permissions_boundary=draw(st.one_of(st.none(), policies(PolicyType.IDENTITY))),
        session_policy=draw(st.one_of(st.none(), policies(PolicyType.IDENTITY))),
        scps=tuple(draw(levels)),
        rcps=tuple(draw(levels)),
        resource_policy=draw(st.one_of(st.none(), policies(PolicyType.RESOURCE), policies(PolicyType.TRUST))),
        vpc_endpoint_policy=draw(st.one_of(st.none(), policies(PolicyType.VPC_ENDPOINT))),
        management_account=draw(st.sampled_from((None, "111111111111", "222222222222"))),
    )


def _all(policy_set: PolicySet) -> list[object]:
    found = [*policy_set.identity_policies, policy_set.permissions_boundary, policy_set.session_policy,
             *(p for level in policy_set.scps for p in level), *(p for level in policy_set.rcps for p in level),
             policy_set.resource_policy, policy_set.vpc_endpoint_policy]
    return [p for p in found if p is not None]


_check = assert_chain_agrees


@given(policy_set=policy_sets(), request=chain_requests())
def test_chain_decision_agrees_with_evaluator(policy_set: PolicySet, request: Request) -> None:
    _check(policy_set, request)


@pytest.mark.slow
@given(policy_set=policy_sets(), request=chain_requests())
def test_chain_decision_agrees_with_evaluator_long(policy_set: PolicySet, request: Request) -> None:
    _check(policy_set, request)


def test_a_kms_alias_needs_no_key_policy_a_key_does() -> None:
    """kms:DeleteAlias on an alias is the caller's IAM policies' to allow (AWS KMS,
    "Controlling access to aliases"); on the key, the key policy must allow too."""
    from reasoner.policy.parse import parse_policy

    identity = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "kms:DeleteAlias", "Resource": "*"}]},
        PolicyType.IDENTITY, source="identity.json")
    key_policy = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/admin"}, "Action": "kms:*",
         "Resource": "*"}]}, PolicyType.RESOURCE, source="key.json")
    policy_set = PolicySet(identity_policies=(identity,), resource_policy=key_policy)
    caller = parse_principal("arn:aws:iam::111111111111:user/alice", source="test")
    for resource, decision in (("arn:aws:kms:us-east-1:111111111111:alias/app", Decision.ALLOW),
                               ("arn:aws:kms:us-east-1:111111111111:key/k", Decision.IMPLICIT_DENY)):
        request = Request(caller, "kms:DeleteAlias", resource, "111111111111")
        assert evaluate(request, policy_set).decision is decision, resource
        _check(policy_set, request)
