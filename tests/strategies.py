"""Hypothesis strategies for random statements, policies and concrete requests.

Values come from small pools that overlap on purpose (request values are often
matched by policy patterns), so random cases exercise matches as well as misses.
Sizes are bounded explicitly: at most `MAX_ENTRIES` entries per element,
`MAX_CONDITIONS` conditions per statement, `MAX_VALUES` values per condition.

Pools avoid constructs the SMT encoding rejects on purpose (IgnoreCase or Bool with
a variable, a variable that may land in the first five components of a Resource
ARN); `tests/test_encodings_strings.py` and `test_encodings_arns.py` cover those
rejections.
"""

from __future__ import annotations

from hypothesis import strategies as st

from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.model import (
    Condition,
    Effect,
    OperatorFamily,
    Policy,
    PolicyType,
    Principal,
    PrincipalSpec,
    Request,
    Statement,
)
from reasoner.policy.operators import parse_operator

MAX_ENTRIES = 3
MAX_CONDITIONS = 3
MAX_VALUES = 3
MAX_STATEMENTS = 3

VERSIONS = ("2012-10-17", "2008-10-17", None)

ACTION_PATTERNS = (
    "*", "s3:*", "s3:Get*", "s3:GetObject", "S3:getobject", "s3:*Object", "s*:Get*", "iam:?etUser", "iam:*",
    "ec2:RunInstances", "sts:AssumeRole", "kms:Decrypt", "s3:PutObject", "sqs:*", "s3:perimeter-unknown-action",
)
REQUEST_ACTIONS = (
    "s3:GetObject", "s3:PutObject", "S3:getobject", "iam:GetUser", "iam:CreateUser", "ec2:RunInstances",
    "sqs:SendMessage", "sts:AssumeRole", "kms:Decrypt", "s3:FooBarNotAnAction", "nosuchservice:Do",
)

RESOURCE_PATTERNS = (
    "*", "arn:aws:s3:::B/*", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B", "arn:aws:s3:::B*",
    "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::B/${aws:username}/*",
    "arn:aws:s3:::B-${aws:PrincipalTag/team, 'company-wide'}", "arn:aws:s3:::a${*}b", "arn:aws:s3:::B/?",
    "arn:aws:sqs:*", "arn:aws:sqs:us-*:111111111111:q", "arn:aws:SQS:*:111111111111:*",
    "arn:aws:iam::111111111111:user/Bob",
    "arn:aws:iam::*:role/R", "arn:aws:s3:::B/x:y*", "arn:aws:s3", "arn:*", "arn:aws:s3:::${aws:username}",
    "notanarn*", "arn:aws:iam::111111111111:${aws:username}", "arn:aws:iam::${aws:username}:*",
    "arn:aws:${aws:username}*", "arn:aws:s3:::${aws:TagKeys}", "arn:aws:iam::*:user/${aws:username}",
    "arn:aws:*:::*/${aws:username}", "arn:aws:s3:::B/*/${aws:username}/*",
)
REQUEST_RESOURCES = (
    "arn:aws:s3:::B/1/2/test/3/x.jpg", "arn:aws:s3:::B/test/object.jpg", "arn:aws:s3:::B/alice/x",
    "arn:aws:s3:::alice/x", "arn:aws:s3:::alice", "arn:aws:s3:::B-company-wide", "arn:aws:s3:::B-yellow",
    "arn:aws:sqs:us-east-1:111111111111:q", "arn:aws:sqs:us-east-1:111111111111:q:x",
    "arn:aws:sqs:eu-west-1:111111111111:other", "arn:aws:iam::111111111111:user/Bob",
    "arn:aws:iam::111111111111:user/bob", "arn:aws:iam::222222222222:role/R", "arn:aws:s3:::a*b",
    "arn:aws:s3:::axb", "arn:aws:s3:::B/x:y:z", "notanarn", "arn:aws:s3:::B", "arn:aws:s3:::B/x",
    "arn:AWS:s3:::B/x", "arn:aws:iam::111111111111:alice", "arn:aws:iam::${aws:username}:x",
    "arn:aws:${aws:username}:x:y:z", "arn:aws:iam::111111111111:user/alice", "arn:aws:s3:::x/alice",
)

PRINCIPAL_TEXTS = (
    "anonymous", "111111111111", "arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:user/Alice",
    "arn:aws:iam::111111111111:user/Bob", "arn:aws:iam::111111111111:role/R",
    "arn:aws:iam::111111111111:role/path/R", "arn:aws:sts::111111111111:assumed-role/R/s1",
    "arn:aws:sts::222222222222:assumed-role/R/s1", "arn:aws:sts::111111111111:federated-user/Fed",
    "ec2.amazonaws.com", "accounts.google.com", "arn:aws:iam::111111111111:role/aws-service-role/x/SLR",
)
AWS_ENTRIES = (
    "*", "111111111111", "222222222222", "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root",
    "arn:aws:iam::111111111111:user/Alice", "arn:aws:iam::111111111111:role/R",
    "arn:aws:iam::111111111111:role/other/R", "arn:aws:sts::111111111111:assumed-role/R/s1",
    "arn:aws:sts::111111111111:federated-user/Fed", "arn:aws:iam::111111111111:user/Bob",
)
SERVICE_ENTRIES = ("ec2.amazonaws.com", "EC2.amazonaws.com", "s3.amazonaws.com")
FEDERATED_ENTRIES = ("accounts.google.com", "graph.facebook.com")
CANONICAL_ENTRIES = ("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",)

# Condition keys by the kind of value the encoding gives them; a key stays in one kind.
TEXT_KEYS = ("aws:username", "aws:PrincipalTag/team", "s3:prefix", "aws:TagKeys", "aws:CalledVia",
             "aws:SourceVpc", "aws:PrincipalAccount")
ARN_KEYS = ("aws:SourceArn", "aws:PrincipalArn")
BOOL_KEYS = ("aws:SecureTransport", "aws:MultiFactorAuthPresent")
NUMBER_KEYS = ("aws:MultiFactorAuthAge", "aws:EpochTime")
DATE_KEYS = ("aws:CurrentTime", "aws:EpochTime")
IP_KEYS = ("aws:SourceIp", "aws:VpcSourceIp")
BINARY_KEYS = ("s3:binarykey",)
VARIABLE_KEYS = ("aws:username", "aws:PrincipalTag/team", "aws:PrincipalAccount", "aws:TagKeys")

TEXT_VALUES = ("alice", "Alice", "ALICE", "team", "env", "key1*", "ali*", "?lice", "a${*}b", "", "*", "vpc-1",
               "111111111111", "${aws:username}", "x-${aws:PrincipalTag/team, 'dflt'}", "${aws:TagKeys}",
               "${aws:PrincipalAccount}", "ſ", "S", "*${aws:username}", "*-${aws:PrincipalTag/team, 'dflt'}")
TEXT_VALUES_NO_VARIABLES = tuple(v for v in TEXT_VALUES if "${" not in v or v == "a${*}b")
ARN_VALUES = ("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:iam::111111111111:role/*",
              "arn:aws:iam::${aws:PrincipalAccount}:role/R", "*", "arn:aws:s3:::B*", "arn:aws:iam::*",
              "arn:aws:iam::111111111111:role/R", "arn:aws:iam::111111111111:${aws:username}",
              "arn:aws:iam::${aws:PrincipalTag/team, 'x:y'}:*", "arn:aws:iam::*:role/${aws:username}")
BOOL_VALUES = ("true", "false", "TRUE", " true", "${*}")
NUMBER_VALUES = ("10", "3600", "1.5", "-2", "abc", "1e3", "1577836800")
DATE_VALUES = ("2020-01-01T00:00:01Z", "2020-01-01", "1577836800", "bad", "2021-06-01T12:00:00+02:00")
IP_VALUES = ("203.0.113.0/24", "203.0.113.5", "2001:DB8:1234:5678::/64", "0.0.0.0/0", "::/0", "bad", "10.0.0.0/8")
BINARY_VALUES = ("QUJD", "abc")

REQUEST_TEXT = ("alice", "Alice", "team", "env", "key1:hr", "a*b", "axb", "vpc-1", "", "111111111111",
                "company-wide", "dflt", "ſ", "s", "x-dflt", "x:y")
REQUEST_ARNS = ("arn:aws:iam::111111111111:role/R", "arn:aws:iam::111111111111:role/alice",
                "arn:aws:iam::222222222222:role/R",
                "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
                "arn:aws:someservice:us-east-1:111122223333:finance/x", "arn:aws:s3:::Bucket", "notanarn",
                "arn:aws:iam::111111111111:alice", "arn:aws:iam::x:y:role/R")
REQUEST_BOOLS = ("true", "false", "TRUE", " false ", "yes", "alice")
REQUEST_NUMBERS = ("5", "10", "3600", "1.5", "x", "1577836800", " 7 ", "-2")
REQUEST_DATES = ("2020-01-01T00:00:00Z", "2021-06-01T12:00:00Z", "1577836801", "bad", "2020-01-01", "1577836800")
REQUEST_IPS = ("203.0.113.5", "203.0.113.6", "2001:db8:1234:5678::9", "10.0.0.1", "nope", "::ffff:203.0.113.5",
               "2001:db8::1")


def _condition(operator: str, key: str, values: tuple[str, ...]) -> Condition:
    parsed = parse_operator(operator)
    assert parsed is not None, operator
    info = parsed.info
    return Condition(operator, info.base, info.family, info.negated, parsed.qualifier, parsed.if_exists, key, values)


_STRING_OPS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
_IGNORE_CASE_OPS = ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase")
_NUMBER_OPS = ("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
               "NumericGreaterThan", "NumericGreaterThanEquals")
_DATE_OPS = tuple(op.replace("Numeric", "Date") for op in _NUMBER_OPS)


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    family = draw(st.sampled_from(("string", "ignorecase", "arn", "bool", "number", "date", "ip", "binary", "null")))
    values_of = {
        "string": (_STRING_OPS, TEXT_KEYS, TEXT_VALUES),
        "ignorecase": (_IGNORE_CASE_OPS, TEXT_KEYS, TEXT_VALUES_NO_VARIABLES),
        "arn": (("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"), ARN_KEYS, ARN_VALUES),
        "bool": (("Bool",), BOOL_KEYS, BOOL_VALUES),
        "number": (_NUMBER_OPS, NUMBER_KEYS, NUMBER_VALUES),
        "date": (_DATE_OPS, DATE_KEYS, DATE_VALUES),
        "ip": (("IpAddress", "NotIpAddress"), IP_KEYS, IP_VALUES),
        "binary": (("BinaryEquals",), BINARY_KEYS, BINARY_VALUES),
        "null": (("Null",), TEXT_KEYS + IP_KEYS + NUMBER_KEYS + BOOL_KEYS, ("true", "false", "TRUE")),
    }
    operators, keys, pool = values_of[family]
    operator = draw(st.sampled_from(operators))
    if family != "null":
        qualifier = draw(st.sampled_from(("", "", "ForAllValues:", "ForAnyValue:")))
        suffix = draw(st.sampled_from(("", "", "IfExists")))
        operator = qualifier + operator + suffix
    key = draw(st.sampled_from(keys))
    if draw(st.booleans()):
        key = key.upper() if draw(st.booleans()) else key.lower()  # key names are case-insensitive (§1.8)
    values = tuple(draw(st.lists(st.sampled_from(pool), min_size=0 if family == "null" else 1,
                                 max_size=MAX_VALUES)))
    return _condition(operator, key, values)


@st.composite
def principal_specs(draw: st.DrawFn) -> PrincipalSpec:
    if draw(st.integers(0, 9)) == 0:
        return PrincipalSpec(wildcard=True)
    small = st.integers(0, MAX_ENTRIES)
    return PrincipalSpec(
        aws=tuple(draw(st.lists(st.sampled_from(AWS_ENTRIES), max_size=draw(small)))),
        service=tuple(draw(st.lists(st.sampled_from(SERVICE_ENTRIES), max_size=1))),
        federated=tuple(draw(st.lists(st.sampled_from(FEDERATED_ENTRIES), max_size=1))),
        canonical_user=tuple(draw(st.lists(st.sampled_from(CANONICAL_ENTRIES), max_size=1))),
    )


def _entries(pool: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=MAX_ENTRIES).map(tuple)


@st.composite
def statements(draw: st.DrawFn, index: int = 0, principal_element: bool = True) -> Statement:
    effect = draw(st.sampled_from(Effect))
    actions = draw(_entries(ACTION_PATTERNS))
    resources = draw(_entries(RESOURCE_PATTERNS))
    negate_action, negate_resource = draw(st.booleans()), draw(st.booleans())
    principal = not_principal = None
    if principal_element:
        choice = draw(st.sampled_from(("principal", "principal", "not_principal", "none")))
        if choice == "principal":
            principal = draw(principal_specs())
        elif choice == "not_principal":
            not_principal = draw(principal_specs())
    return Statement(
        index=index,
        effect=effect,
        principal=principal,
        not_principal=not_principal,
        actions=None if negate_action else actions,
        not_actions=actions if negate_action else None,
        resources=None if negate_resource else resources,
        not_resources=resources if negate_resource else None,
        conditions=tuple(draw(st.lists(conditions(), max_size=MAX_CONDITIONS))),
    )


@st.composite
def policies(draw: st.DrawFn, policy_type: PolicyType | None = None) -> Policy:
    kind = policy_type or draw(st.sampled_from((PolicyType.IDENTITY, PolicyType.RESOURCE,
                                                PolicyType.VPC_ENDPOINT, PolicyType.TRUST)))
    count = draw(st.integers(1, MAX_STATEMENTS))
    body = tuple(draw(statements(index=i, principal_element=kind.takes_principal)) for i in range(count))
    return Policy(kind, body, version=draw(st.sampled_from(VERSIONS)))


def principals() -> st.SearchStrategy[Principal]:
    return st.sampled_from(PRINCIPAL_TEXTS).map(parse_principal)


_CONTEXT_POOLS: dict[str, tuple[str, ...]] = {
    **{key.lower(): REQUEST_TEXT for key in TEXT_KEYS},
    **{key.lower(): REQUEST_ARNS for key in ARN_KEYS},
    **{key.lower(): REQUEST_BOOLS for key in BOOL_KEYS},
    **{key.lower(): REQUEST_NUMBERS for key in NUMBER_KEYS},
    **{key.lower(): REQUEST_DATES for key in DATE_KEYS},
    **{key.lower(): REQUEST_IPS for key in IP_KEYS},
    **{key.lower(): ("QUJD", "abc") for key in BINARY_KEYS},
    "aws:epochtime": REQUEST_NUMBERS + REQUEST_DATES,
}


@st.composite
def requests(draw: st.DrawFn) -> Request:
    context: dict[str, tuple[str, ...]] = {}
    for key, pool in sorted(_CONTEXT_POOLS.items()):
        if draw(st.integers(0, 2)) == 0:
            continue
        context[key] = tuple(draw(st.lists(st.sampled_from(pool), min_size=0, max_size=MAX_VALUES)))
        if len(context[key]) != 1 and draw(st.booleans()):
            context[key] = context[key][:1]
    return Request(
        principal=draw(principals()),
        action=draw(st.sampled_from(REQUEST_ACTIONS)),
        resource=draw(st.sampled_from(REQUEST_RESOURCES)),
        resource_account=draw(st.sampled_from((None, "111111111111", "222222222222"))),
        context=context,
        multi_valued_keys=frozenset(k for k, v in context.items() if len(v) != 1),
    )


__all__ = ["OperatorFamily", "conditions", "policies", "principal_specs", "principals", "requests", "statements"]
