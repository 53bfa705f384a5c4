"""The network keys of the requests AWS sends (issue 11, part 2): the encoding's
rules (`encodings/network.py`) against the evaluator's (`evaluation/network.py`),
and what they change in a check's answer."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reasoner.checks.run import check_no_public_access
from reasoner.encodings.network import network_facts
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.terms import all_of
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.network import completions, network_problem
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.model import PolicySet, PolicyType, Request
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import resource_type
from tests.encoding_oracle import value_under

CALLERS = ("anonymous", "arn:aws:iam::123456789012:user/a", "lambda.amazonaws.com",
           "arn:aws:sts::123456789012:assumed-role/r/s")
VALUES = {
    "aws:sourceip": ("203.0.113.5", "2001:db8::1"),
    "aws:vpcsourceip": ("10.0.0.5",),
    "aws:sourcevpc": ("vpc-0123456789abcdef0",),
    "aws:sourcevpce": ("vpce-0123456789abcdef0",),
    "aws:viaawsservice": ("true", "false"),
}


def _policy(condition: dict[str, Any]) -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": condition}]})
    return parse_policy_text(text, PolicyType.RESOURCE, source="test.json")


@st.composite
def requests(draw: st.DrawFn) -> Request:
    principal = parse_principal(draw(st.sampled_from(CALLERS)), source="test")
    context = {key: (draw(st.sampled_from(values)),) for key, values in VALUES.items() if draw(st.booleans())}
    return Request(principal, "s3:GetObject", "arn:aws:s3:::b/k", "111122223333", context)


READS_ALL = _policy({"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24", "aws:VpcSourceIp": "10.0.0.0/8"},
                     "StringEqualsIfExists": {"aws:SourceVpc": "vpc-0123456789abcdef0",
                                              "aws:SourceVpce": "vpce-0123456789abcdef0"},
                     "BoolIfExists": {"aws:ViaAWSService": "false"}})
READS_ONE = _policy({"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}})


@given(requests())
def test_the_encoding_of_the_network_rules_agrees_with_the_evaluator(request: Request) -> None:
    sym = SymbolicRequest.for_policies([READS_ALL], requests=[request])
    assert set(VALUES) <= set(sym.keys)
    assert value_under(all_of(network_facts(sym)), sym, request) == (network_problem(request) is None), request


@given(requests(), st.sampled_from([READS_ONE, _policy({"Null": {"aws:SourceVpc": "true"}}),
                                   _policy({"Bool": {"aws:ViaAWSService": "false"}})]))
def test_with_some_keys_unread_the_rules_exclude_only_requests_aws_never_sends(request: Request, policy: Any) -> None:
    # soundness: on the keys the policies read, the encoding excludes a request only
    # if AWS sends no request that agrees with it on those keys
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    read = set(sym.keys)
    if not value_under(all_of(network_facts(sym)), sym, request):
        assert all(network_problem(candidate) is not None for candidate in completions(request, read))


@given(requests())
def test_a_completion_is_a_request_aws_sends_with_the_same_decision(request: Request) -> None:
    policies = PolicySet(resource_policy=READS_ONE)
    read = {"aws:sourceip"}
    decision = evaluate(request, policies).decision
    for candidate in completions(request, read):
        assert {key: values for key, values in candidate.context.items() if key in read} == \
            {key: values for key, values in request.context.items() if key in read}
        assert evaluate(candidate, policies).decision is decision
    best = completions(request, read)[0]
    if network_problem(request) is not None and "aws:sourceip" not in request.context:
        assert network_problem(best) is None


def test_rules_name_their_case() -> None:
    user = parse_principal("arn:aws:iam::123456789012:user/a", source="test")
    service = parse_principal("lambda.amazonaws.com", source="test")

    def problem(principal: Any, **context: str) -> str | None:
        request = Request(principal, "s3:GetObject", "arn:aws:s3:::b/k", None,
                          {f"aws:{k.lower()}": (v,) for k, v in context.items()})
        return network_problem(request)

    assert problem(user, ViaAWSService="false", SourceIp="203.0.113.5") is None
    assert problem(user, ViaAWSService="false") is not None  # neither the internet nor an endpoint
    assert problem(user, ViaAWSService="true") is None  # a service's call on the caller's behalf
    assert problem(user) is None  # aws:ViaAWSService not given: may be such a call
    assert problem(service) is None  # a service principal's network context is redacted
    assert problem(user, SourceVpc="vpc-1") is None  # Console Private Access: no aws:SourceVpce
    assert problem(user, SourceVpce="vpce-1") is not None  # an endpoint is in a VPC
    assert problem(user, SourceVpc="vpc-1", SourceIp="203.0.113.5") is not None


def test_a_grant_only_to_requests_aws_never_sends_is_not_public() -> None:
    # before: FAIL, with a direct request carrying neither aws:SourceIp nor
    # aws:SourceVpc (a false finding)
    never = _policy({"NotIpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}, "Null": {"aws:SourceVpc": "true"},
                     "Bool": {"aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false"}})
    assert check_no_public_access(never, resource_type("AWS::S3::Bucket")).result == "PASS"


def test_the_documented_exceptions_stay_in_the_request_space() -> None:
    # a call a service makes on the caller's behalf may lack both (FAS): still public
    fas = _policy({"NotIpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}, "Null": {"aws:SourceVpc": "true"},
                   "Bool": {"aws:PrincipalIsAWSService": "false"}})
    result = check_no_public_access(fas, resource_type("AWS::S3::Bucket"))
    assert result.result == "FAIL" and result.witness is not None
    assert result.witness.request.context.get("aws:viaawsservice") == ("true",)


def test_a_public_witness_carries_a_source_address() -> None:
    result = check_no_public_access(_policy({"Bool": {"aws:SecureTransport": "true"}}),
                                    resource_type("AWS::S3::Bucket"))
    assert result.witness is not None
    context = result.witness.request_json()["context"]
    assert "aws:SourceIp" in context and "aws:SourceVpc" not in context
    assert network_problem(result.witness.request) is None


def test_a_witness_through_an_endpoint_carries_the_endpoint_keys_and_no_source_address() -> None:
    # seen: "endpoint outside the perimeter" with aws:SourceVpc and no aws:SourceVpce
    result = check_no_public_access(_policy({"StringLike": {"aws:SourceVpc": "vpc-*"}}),
                                    resource_type("AWS::S3::Bucket"))
    assert result.witness is not None
    context = result.witness.request_json()["context"]
    assert {"aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"} <= set(context)
    assert "aws:SourceIp" not in context
