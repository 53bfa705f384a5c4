"""`outside_space` (the Python test of a witness against its request space) agrees
with the SMT constraints of the space (`encodings/spaces.py`) on random spaces and
requests: a witness is never rejected that the solver rightly returned, and one
outside the space is never shown."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.spaces import space_constraints
from reasoner.encodings.terms import all_of
from reasoner.evaluation.membership import outside_space
from reasoner.evaluation.scenario import parse_principal
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint, RequestSpace
from reasoner.policy.model import Condition, Effect, Policy, PolicyType, PrincipalKind, Request, Statement
from reasoner.policy.operators import parse_operator
from tests.encoding_oracle import value_under
from tests.strategies import requests

ACCOUNTS = ("111111111111", "222222222222", "333333333333")
DECLARED = ("arn:aws:iam::111111111111:role/R", "arn:aws:iam::111111111111:role/path/R",
            "arn:aws:iam::111111111111:user/Alice", "arn:aws:iam::222222222222:role/R")
ARN_PATTERNS = ("arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:user/*", "arn:aws:iam::*:role/path/*",
                "*:root", "arn:aws:iam::222222222222:*")
ACTIONS = ("s3:GetObject", "s3:*", "sqs:SendMessage", "*")
RESOURCES = ("arn:aws:s3:::B/*", "arn:aws:s3:::B", "arn:aws:sqs:*:111111111111:*", "*")
# keys the test policy reads, and the condition operator that types them
READ = {"aws:username": "StringEquals", "aws:principaltag/team": "StringEquals", "aws:tagkeys": "StringEquals",
        "aws:sourceip": "IpAddress", "aws:sourcearn": "ArnLike", "aws:resourcetag/env": "StringEquals"}
TEXT_OPS = (ConstraintOp.EQUALS, ConstraintOp.NOT_EQUALS, ConstraintOp.LIKE, ConstraintOp.NOT_LIKE,
            ConstraintOp.PRESENT, ConstraintOp.ABSENT)
IP_OPS = (ConstraintOp.IP_IN, ConstraintOp.IP_NOT_IN, ConstraintOp.PRESENT, ConstraintOp.ABSENT)
TEXTS = ("alice", "team", "ali*", "a*b", "vpc-1", "arn:aws:iam::111111111111:role/*")
NETWORKS = ("203.0.113.0/24", "10.0.0.0/8", "2001:db8:1234:5678::/64")


def _reading_policy() -> Policy:
    conditions = tuple(_condition(op, key) for key, op in READ.items())
    statement = Statement(0, Effect.ALLOW, actions=("*",), resources=("*",), conditions=conditions)
    return Policy(PolicyType.IDENTITY, (statement,), "2012-10-17", None, "reading.json")


def _condition(operator: str, key: str) -> Condition:
    parsed = parse_operator(operator)
    assert parsed is not None, operator
    info = parsed.info
    value = "10.0.0.0/8" if operator == "IpAddress" else "x"
    return Condition(operator, info.base, info.family, info.negated, parsed.qualifier, parsed.if_exists, key,
                     (value,))


@st.composite
def constraints(draw: st.DrawFn) -> ContextConstraint:
    key = draw(st.sampled_from(sorted(READ)))
    if READ[key] == "IpAddress":
        op = draw(st.sampled_from(IP_OPS))
        values = draw(st.lists(st.sampled_from(NETWORKS), min_size=1, max_size=2))
    else:
        op = draw(st.sampled_from(TEXT_OPS))
        values = draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=2))
    return ContextConstraint(key, op, () if op in (ConstraintOp.PRESENT, ConstraintOp.ABSENT) else tuple(values))


def _few(pool: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(pool), max_size=2, unique=True).map(tuple)


@st.composite
def spaces(draw: st.DrawFn) -> RequestSpace:
    """A space with one to three fields set and the others free: with every field
    set, nearly no request would lie in the space and later fields would go
    untested."""
    tags = st.lists(st.tuples(st.sampled_from(("env", "team")), st.sampled_from(TEXTS)), max_size=1).map(tuple)
    fields: dict[str, st.SearchStrategy[object]] = {
        "kinds": st.lists(st.sampled_from(list(PrincipalKind)), min_size=1, max_size=4, unique=True).map(tuple),
        "accounts": _few(ACCOUNTS), "not_accounts": _few(ACCOUNTS),
        "principal_arn": st.sampled_from(DECLARED),
        "principal_arn_patterns": _few(ARN_PATTERNS), "not_principal_arn_patterns": _few(ARN_PATTERNS),
        "not_services": _few(("ec2.amazonaws.com", "s3.amazonaws.com")),
        "actions": _few(ACTIONS), "resources": _few(RESOURCES), "not_resources": _few(RESOURCES),
        "resource_account": st.sampled_from(ACCOUNTS), "not_resource_accounts": _few(ACCOUNTS),
        "context": st.lists(constraints(), min_size=1, max_size=2).map(tuple),
        "resource_tags": tags, "principal_tags": tags,
        "session_names": _few(("s1", "s*", "etl-?")),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True))
    values = {name: draw(fields[name]) for name in chosen}
    return RequestSpace(**{"kinds": tuple(PrincipalKind), **values})  # type: ignore[arg-type]


READING = _reading_policy()


def _agree(space: RequestSpace, request: Request) -> None:
    sym = SymbolicRequest.for_policies([READING], requests=[request], name="membership")
    expected = value_under(all_of(space_constraints(sym, space)), sym, request)
    found = outside_space(space, request, sym.keys)
    assert (found is None) == expected, f"encoding says {expected}, outside_space says {found}"


@settings(max_examples=250)  # about 10 ms each; each field is set in one case of five
@given(spaces(), requests())
def test_outside_space_agrees_with_the_space_constraints(space: RequestSpace, request: Request) -> None:
    _agree(space, request)


@pytest.mark.parametrize(("principal", "declared", "inside"), [
    ("arn:aws:iam::111111111111:role/path/R", "arn:aws:iam::111111111111:role/path/R", True),
    # a session parsed from its ARN alone has a role ARN without the path: not role/path/R's
    ("arn:aws:sts::111111111111:assumed-role/R/s", "arn:aws:iam::111111111111:role/path/R", False),
    ("arn:aws:sts::111111111111:assumed-role/R/s", "arn:aws:iam::111111111111:role/R", True),
    ("arn:aws:sts::222222222222:assumed-role/R/s", "arn:aws:iam::111111111111:role/path/R", False),
    ("arn:aws:iam::111111111111:user/R", "arn:aws:iam::111111111111:role/R", False),
    ("arn:aws:iam::111111111111:user/Alice", "arn:aws:iam::111111111111:user/Alice", True),
])
def test_declared_principals(principal: str, declared: str, inside: bool) -> None:
    request = Request(parse_principal(principal), "s3:GetObject", "arn:aws:s3:::B/x", "111111111111", {})
    space = RequestSpace(tuple(PrincipalKind), principal_arn=declared)
    assert (outside_space(space, request, ()) is None) is inside
    _agree(space, request)


def test_a_session_of_a_role_with_a_path() -> None:
    session = replace(parse_principal("arn:aws:sts::111111111111:assumed-role/R/s"),
                      role_arn="arn:aws:iam::111111111111:role/path/R")
    request = Request(session, "s3:GetObject", "arn:aws:s3:::B/x", "111111111111", {})
    space = RequestSpace(tuple(PrincipalKind), principal_arn="arn:aws:iam::111111111111:role/path/R",
                         principal_arn_patterns=("arn:aws:iam::*:role/path/*",))
    assert outside_space(space, request, ()) is None
    _agree(space, request)


def test_constraints_on_keys_no_policy_reads_are_not_checked() -> None:
    request = Request(parse_principal("111111111111"), "s3:GetObject", "arn:aws:s3:::B/x", "111111111111", {})
    space = RequestSpace(tuple(PrincipalKind), context=(ContextConstraint("aws:SourceVpce", ConstraintOp.PRESENT),))
    assert outside_space(space, request, ()) is None
    assert outside_space(space, request, ("aws:sourcevpce",)) == "context aws:SourceVpce"


@pytest.mark.parametrize(("service", "inside"), [("ec2.amazonaws.com", False), ("lambda.amazonaws.com", True)])
def test_named_services_are_outside(service: str, inside: bool) -> None:
    request = Request(parse_principal(service), "s3:GetObject", "arn:aws:s3:::B/x", "111111111111", {})
    space = RequestSpace(tuple(PrincipalKind), not_services=("ec2.amazonaws.com",))
    assert (outside_space(space, request, ()) is None) is inside
    _agree(space, request)
