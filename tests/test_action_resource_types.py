"""Every action's resource types, from the catalogue (issue 14, item 6): a request
names a resource of a type the Service Authorization Reference lists for its
action, or `*` where it lists none or requires none (SAR, "Actions defined by":
"If there is no value for this column, you must specify all resources ("*")").
The rule in the evaluator (`evaluation.action_types`), in the encoding
(`wellformed.typing_fact`, differential against it), the exceptions where the
catalogue's formats miss real requests, and what it does to the checks."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.checks.run import check_access_not_granted, check_no_new_access, check_no_public_access
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.wellformed import typing_fact
from reasoner.evaluation.action_types import resource_fits_action
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.action_resources import FORMAT_EXCEPTIONS, resource_rule, service_types
from reasoner.policy.model import Decision, PolicyType, Request
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import resource_type
from tests.encoding_oracle import value_under

A = "111122223333"


@pytest.mark.parametrize(("action", "resource", "fits"), [
    # a required type: its format only
    ("iam:PassRole", f"arn:aws:iam::{A}:role/app", True),
    ("iam:PassRole", f"arn:aws:iam::{A}:role/team/app", True),
    ("iam:PassRole", "arn:aws:s3:::bucket", False),
    ("iam:PassRole", "*", False),
    ("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{A}:function:f:live", True),  # a qualified function
    ("dynamodb:GetRecords", f"arn:aws:dynamodb:us-east-1:{A}:table/t/stream/2024-01-31T12:00:00.000", True),
    ("dynamodb:GetRecords", f"arn:aws:dynamodb:us-east-1:{A}:table/t", False),
    # S3: a bucket name holds no `/`, an object key is not empty
    ("s3:GetObject", "arn:aws:s3:::bucket/key", True),
    ("s3:GetObject", "arn:aws:s3:::bucket", False),
    ("s3:ListBucket", "arn:aws:s3:::bucket", True),
    ("s3:ListBucket", "arn:aws:s3:::bucket/key", False),
    ("s3:GetObject", f"arn:aws:s3:us-east-1:{A}:accesspoint/ap/object/key", True),
    # no type required (both of s3:GetObject's are optional): `*` too
    ("s3:GetObject", "*", True),
    ("sts:TagSession", "*", True),
    # no type listed: `*`, or an ARN of the action's own service (`arn:aws:s3:::*` for
    # s3:ListAllMyBuckets is common and not documented either way)
    ("s3:ListAllMyBuckets", "*", True),
    ("s3:ListAllMyBuckets", "arn:aws:s3:::*", True),
    ("s3:ListAllMyBuckets", f"arn:aws:sqs:us-east-1:{A}:q", False),
    ("sts:GetCallerIdentity", "*", True),
    # an action the catalogue does not know: anything
    ("s3:NoSuchAction", f"arn:aws:sqs:us-east-1:{A}:q", True),
    ("nosuchservice:Do", "whatever", True),
    # the exceptions (FORMAT_EXCEPTIONS)
    ("es:ESHttpGet", f"arn:aws:es:us-east-1:{A}:domain/logs/_search", True),
    ("s3-outposts:GetObject", f"arn:aws:s3-outposts:us-east-1:{A}:outpost/op-1/accesspoint/ap/object/k", True),
    ("s3-outposts:GetObject", f"arn:aws:s3-outposts:us-east-1:{A}:outpost/op-1/bucket/b/object/k", True),
])
def test_the_rule_on_known_cases(action: str, resource: str, fits: bool) -> None:
    assert resource_fits_action(action, resource) is fits


def test_every_exception_names_a_catalogued_type() -> None:
    for service, name in FORMAT_EXCEPTIONS:
        assert name in {shape.name for shape in service_types(service)}, (service, name)


def test_a_type_with_two_formats_takes_both() -> None:
    # API Gateway's Stage lists the v2 (`/apis/`) and v1 (`/restapis/`) formats in one string
    stage = "arn:aws:apigateway:us-east-1::/{}/a1/stages/prod"
    assert resource_fits_action("apigateway:DELETE", stage.format("apis"))
    assert resource_fits_action("apigateway:DELETE", stage.format("restapis"))


# Differential: the encoding's typing fact, with the request fixed, gives exactly the
# evaluator's rule (tests/test_encodings_differential.py's method).
def _sampled_actions() -> list[str]:
    from reasoner.encodings.actions import catalogue_actions

    names = [name for name in catalogue_actions() if "perimeter-unknown" not in name]
    return sorted({*names[::397], "s3:getobject", "s3:listbucket", "s3:listallmybuckets", "iam:passrole",
                   "sts:tagsession", "es:eshttpget", "s3-outposts:getobject", "dynamodb:getrecords",
                   "apigateway:delete", "backup:deleterecoverypoint", "kinesis:subscribetoshard"})


ACTIONS = _sampled_actions()
FILLERS = st.text(alphabet="ab/:-*", min_size=0, max_size=4)


@st.composite
def resources(draw: st.DrawFn) -> str:
    """A resource from some action's formats, placeholders filled with text that may
    hold `/` and `:` or be empty; or `*`, or an odd string."""
    rule = resource_rule(draw(st.sampled_from(ACTIONS)))
    shapes = rule.shapes if rule is not None else ()
    if not shapes or draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["*", "arn:aws:s3:::*", "arn:aws:s3:::b", "arn:aws:s3:::b/", "not-an-arn",
                                     f"arn:aws:iam::{A}:role/r", f"arn:aws:sqs:us-east-1:{A}:q"]))
    shape = draw(st.sampled_from(shapes))
    service = shape.service or draw(st.sampled_from(["ec2", "backup"]))
    if draw(st.booleans()):
        service = service.upper()
    part = "".join(piece if not piece.startswith("{") else draw(FILLERS) for piece in shape.resource)
    return f"arn:aws:{service}:us-east-1:{A}:{part}"


def _typing_agrees(action: str, resource: str) -> None:
    rule = resource_rule(action)
    if rule is None:
        return
    principal = parse_principal(f"arn:aws:iam::{A}:user/u", source="test")
    request = Request(principal, action, resource, A, {})
    sym = SymbolicRequest.for_policies([], requests=[request])
    formula = typing_fact(sym, rule, [action.lower()])
    assert value_under(formula, sym, request) == resource_fits_action(action, resource), (action, resource)


@given(action=st.sampled_from(ACTIONS), resource=resources())
def test_the_encoding_of_the_rule_agrees_with_the_evaluator(action: str, resource: str) -> None:
    _typing_agrees(action, resource)


@pytest.mark.parametrize(("action", "resource"), [
    ("s3:GetObject", "arn:aws:s3:::b"), ("s3:GetObject", "arn:aws:s3:::b/k"), ("s3:GetObject", "*"),
    ("s3:ListAllMyBuckets", "arn:aws:S3:::x"), ("iam:PassRole", "*"), ("iam:PassRole", "arn:aws:iam::1:role/x"),
    ("es:ESHttpGet", "arn:aws:es:r:1:domain/d/p"), ("apigateway:DELETE", "arn:aws:apigateway:r::/restapis/a"),
])
def test_the_encoding_agrees_on_known_cases(action: str, resource: str) -> None:
    _typing_agrees(action, resource)


# What the rule does to the checks: findings that held only for a request no one can
# make are gone; every witness names a resource of its action's type.
def _policy(*statements: dict[str, Any], policy_type: PolicyType = PolicyType.RESOURCE) -> Any:
    return parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}), policy_type,
                             source="test.json")


def test_a_stream_action_granted_on_the_table_only_is_not_public() -> None:
    table = f"arn:aws:dynamodb:us-east-1:{A}:table/orders"
    grant = {"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetRecords", "Resource": table}
    kind = resource_type("AWS::DynamoDB::Table")
    assert check_no_public_access(_policy(grant), kind).result == "PASS"
    on_stream = {**grant, "Resource": f"{table}/stream/*"}
    result = check_no_public_access(_policy(on_stream), kind)
    assert result.result == "FAIL" and result.witness is not None
    assert re.fullmatch(rf"{re.escape(table)}/stream/.+", result.witness.request.resource)


def test_pass_role_on_a_bucket_is_no_new_access() -> None:
    old = _policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{A}:role/app-*"},
                  policy_type=PolicyType.IDENTITY)
    new = _policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": [f"arn:aws:iam::{A}:role/app-*",
                                                                              "arn:aws:s3:::*"]},
                  policy_type=PolicyType.IDENTITY)
    assert check_no_new_access(old, new, PolicyType.IDENTITY).result == "PASS"
    wider = _policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{A}:role/*"},
                    policy_type=PolicyType.IDENTITY)
    result = check_no_new_access(old, wider, PolicyType.IDENTITY)
    assert result.result == "FAIL" and result.witness is not None
    assert resource_fits_action(result.witness.request.action, result.witness.request.resource)


def test_an_admin_policy_grants_each_action_on_its_own_types() -> None:
    admin = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"}, policy_type=PolicyType.IDENTITY)
    for action in ("iam:PassRole", "dynamodb:GetRecords", "s3:ListBucket"):
        result = check_access_not_granted(admin, [action], [], PolicyType.IDENTITY)
        assert result.result == "FAIL" and result.witness is not None, result.unknown_reason
        request = result.witness.request
        assert resource_fits_action(request.action, request.resource), request.resource
        assert result.witness.result.decision is Decision.ALLOW


def test_a_grant_of_an_action_on_resources_it_never_takes_grants_nothing() -> None:
    policy = _policy({"Effect": "Allow", "Action": ["iam:PassRole", "s3:GetObject"], "Resource": "arn:aws:s3:::b"},
                     policy_type=PolicyType.IDENTITY)
    assert check_access_not_granted(policy, ["iam:PassRole", "s3:GetObject"], [], PolicyType.IDENTITY).result == "PASS"


def test_many_allowed_actions_are_refined_lazily_and_still_typed() -> None:
    """`Action: "*"` allows thousands of actions: their typing facts are added only
    when a witness breaks them (queries.Refinement), and the answer is the same."""
    from reasoner.encodings.queries import no_new_access

    old = _policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, policy_type=PolicyType.IDENTITY)
    new = _policy({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"}, policy_type=PolicyType.IDENTITY)
    query = no_new_access(old, new, PolicyType.IDENTITY)
    assert query.refinement is not None and len(query.refinement.groups) > 100
    # every non-S3 action that takes an S3-shaped resource is new; S3's are not
    result = check_no_new_access(old, new, PolicyType.IDENTITY)
    assert result.result == "FAIL" and result.witness is not None
    request = result.witness.request
    assert not request.action.lower().startswith("s3:")
    assert resource_fits_action(request.action, request.resource), (request.action, request.resource)


def test_prove_asks_only_for_typed_requests_too() -> None:
    """`prove`, `reach` and `who-can` ask `space_query` whether a request of a space is
    allowed: an action granted only on resources it never takes allows none."""
    from reasoner.encodings.invariants import space_query
    from reasoner.evaluation.spaces import RequestSpace
    from reasoner.policy.model import PolicySet, PrincipalKind
    from reasoner.solving.budget import DEFAULT_BUDGET
    from reasoner.solving.query import run_query

    users = RequestSpace(kinds=(PrincipalKind.USER, PrincipalKind.ROLE_SESSION), actions=("iam:PassRole",))

    def allowed(resource: str, space: RequestSpace = users) -> Any:
        policy = _policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": resource},
                         policy_type=PolicyType.IDENTITY)
        return run_query(lambda: space_query(PolicySet(identity_policies=(policy,)), space, want_allowed=True),
                         DEFAULT_BUDGET, lambda witness: [], "space")

    assert allowed("arn:aws:s3:::*").result == "PASS"
    for found in (allowed(f"arn:aws:iam::{A}:role/*"),
                  # a root user needs no Allow in its own account: every action is typed for it
                  allowed("arn:aws:s3:::*", RequestSpace(kinds=(PrincipalKind.ACCOUNT_ROOT,), actions=("iam:*",)))):
        assert found.result == "FAIL" and found.witness is not None, found.unknown_reason
        assert resource_fits_action(found.witness.request.action, found.witness.request.resource)


def test_evaluate_notes_a_request_no_one_can_make(tmp_path: Any) -> None:
    from reasoner.evaluation.explain import evaluate_scenarios

    scenario = tmp_path / "s.json"
    for resource, noted in (("arn:aws:s3:::data-bucket", True), ("arn:aws:s3:::data-bucket/k", False)):
        scenario.write_text(json.dumps({
            "request": {"principal": f"arn:aws:iam::{A}:role/app", "action": "s3:GetObject", "resource": resource,
                        "resource_account": A},
            "identity_policies": [{"Version": "2012-10-17",
                                   "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]}))
        [found] = evaluate_scenarios([scenario])
        assert found.result.decision is Decision.ALLOW  # the decision is the semantics' either way
        assert any("is not made on" in note and "object" in note for note in found.notes) is noted
