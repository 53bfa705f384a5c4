"""Synthetic benchmark families, each scaling one dimension (fixed seed):

- `statements`: an identity policy of N Allow statements (S3, SQS, DynamoDB,
  Lambda actions on named resources): access-not-granted for `iam:PassRole`
  (PASS) and for the first statement's action (FAIL), no-new-access against the same policy without its last statement
  (FAIL), and an invariant "no role session may use iam:*" (PASS);
- `condition-keys`: a public bucket policy whose one statement carries N
  conditions on distinct keys, none of which identifies the caller (FAIL);
- `wildcard-density`: 40 statements of which N percent use `*` / `?` in their
  actions and resources; access-not-granted for `iam:PassRole` (PASS);
- `multivalued-keys`: a public bucket policy with N ForAnyValue / ForAllValues
  conditions on multivalued keys (value slots grow with N) (FAIL);
- `principals`: a role trust policy naming N roles in N accounts (PASS: every
  caller is named) - the accounts-and-roles dimension of one query.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from typing import Any

from reasoner.benchmark.cases import BenchCase
from reasoner.encodings.options import EncodingOptions
from reasoner.encodings.queries import Query
from reasoner.policy.model import Policy, PolicySet, PolicyType, PrincipalKind
from reasoner.policy.resource_types import resource_type

SEED = 20240601
FULL_SIZES: dict[str, tuple[int, ...]] = {
    "statements": (1, 10, 100, 1000),
    "condition-keys": (1, 4, 16, 64),
    "wildcard-density": (0, 25, 50, 75, 100),
    "multivalued-keys": (1, 2, 4, 8, 16),
    "principals": (1, 10, 100, 1000),
}
QUICK_SIZES: dict[str, tuple[int, ...]] = {
    "statements": (1, 10),
    "condition-keys": (1, 4),
    "wildcard-density": (0, 100),
    "multivalued-keys": (1, 2),
    "principals": (1, 10),
}
ACCOUNT = "111122223333"
ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "sqs:SendMessage",
           "sqs:ReceiveMessage", "dynamodb:GetItem", "dynamodb:Query", "lambda:InvokeFunction", "kms:Decrypt")
WILD_ACTIONS = ("s3:Get*", "s3:*Object", "sqs:*", "dynamodb:Get?tem", "lambda:Invoke*", "kms:De*")


def _policy(document: dict[str, Any], policy_type: PolicyType, label: str) -> Policy:
    from reasoner.policy.parse import parse_policy_text

    return parse_policy_text(json.dumps(document), policy_type, source=f"<synthetic {label}>", sized=False)


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def _resource_for(action: str, name: str) -> str:
    service = action.split(":", 1)[0]
    if action.lower() == "s3:listbucket":  # a bucket action: on the bucket, not its objects
        return f"arn:aws:s3:::{name}"
    return {"s3": f"arn:aws:s3:::{name}/*", "sqs": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}",
            "dynamodb": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{name}",
            "lambda": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}",
            "kms": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{name}"}[service]


def _identity_statements(count: int, rng: random.Random, wild_percent: int = 0) -> list[dict[str, Any]]:
    statements = []
    for index in range(count):
        wild = rng.randrange(100) < wild_percent
        if wild:
            action = rng.choice(WILD_ACTIONS)
            resource = _resource_for(action.replace("*", "x").replace("?", "x"), f"data-{index % 7}-*")
        else:
            action = rng.choice(ACTIONS)
            resource = _resource_for(action, f"data-{index}")
        statements.append({"Sid": f"S{index}", "Effect": "Allow", "Action": action, "Resource": resource})
    return statements


def _statements_cases(size: int) -> list[BenchCase]:
    rng = random.Random(SEED + size)
    statements = _identity_statements(size, rng)
    policy = _policy(_document(statements), PolicyType.IDENTITY, f"statements {size}")
    label = f"statements-{size}"
    granted = statements[0]["Action"]
    cases = [BenchCase("statements", "access-not-granted", label, size,
                       functools.partial(_access_query, policy, "iam:PassRole")),
             BenchCase("statements", "access-not-granted", f"{label}-granted", size,
                       functools.partial(_access_query, policy, granted))]
    if size > 1:
        older = _policy(_document(statements[:-1]), PolicyType.IDENTITY, f"statements {size - 1}")
        cases.append(BenchCase("statements", "no-new-access", label, size,
                               functools.partial(_new_access_query, older, policy, PolicyType.IDENTITY)))
    cases.append(BenchCase("statements", "invariant", label, size, functools.partial(_invariant_query, policy)))
    return cases


def _wildcard_cases(percent: int) -> list[BenchCase]:
    rng = random.Random(SEED + percent)
    policy = _policy(_document(_identity_statements(40, rng, percent)), PolicyType.IDENTITY, f"wildcards {percent}")
    return [BenchCase("wildcard-density", "access-not-granted", f"wildcard-density-{percent}", percent,
                      functools.partial(_access_query, policy, "iam:PassRole"))]


_CONDITION_SHAPES: tuple[Callable[[int], tuple[str, str, Any]], ...] = (
    lambda i: ("StringEquals", f"aws:PrincipalTag/team{i}", f"t{i}"),
    lambda i: ("StringLike", f"aws:RequestTag/env{i}", "prod-*"),
    lambda i: ("NumericLessThan", f"aws:RequestTag/n{i}", str(10 + i)),
    lambda i: ("StringNotEquals", f"s3:ExistingObjectTag/c{i}", "secret"),
    lambda i: ("Bool", "aws:SecureTransport", "true"),
    lambda i: ("DateGreaterThan", "aws:CurrentTime", f"20{10 + i % 80:02d}-01-01T00:00:00Z"),
)


def _public_bucket(conditions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return _document([{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
                       "Resource": "arn:aws:s3:::public-bucket/*", "Condition": conditions}])


def _condition_cases(count: int) -> list[BenchCase]:
    conditions: dict[str, dict[str, Any]] = {}
    for index in range(count):
        operator, key, value = _CONDITION_SHAPES[index % len(_CONDITION_SHAPES)](index)
        conditions.setdefault(operator, {})[key] = value
    policy = _policy(_public_bucket(conditions), PolicyType.RESOURCE, f"conditions {count}")
    return [BenchCase("condition-keys", "no-public-access", f"condition-keys-{count}", count,
                      functools.partial(_public_query, policy, "AWS::S3::Bucket"))]


def _multivalued_cases(count: int) -> list[BenchCase]:
    conditions: dict[str, dict[str, Any]] = {}
    for index in range(count):
        if index % 2 == 0:
            conditions.setdefault("ForAnyValue:StringLike", {}).setdefault("aws:TagKeys", []).append(f"k{index}-*")
        else:
            conditions.setdefault("ForAllValues:StringNotEquals", {}).setdefault(
                "aws:CalledVia", []).append(f"svc{index}.amazonaws.com")
    policy = _policy(_public_bucket(conditions), PolicyType.RESOURCE, f"multivalued {count}")
    return [BenchCase("multivalued-keys", "no-public-access", f"multivalued-keys-{count}", count,
                      functools.partial(_public_query, policy, "AWS::S3::Bucket"))]


def _principal_cases(count: int) -> list[BenchCase]:
    rng = random.Random(SEED + count)
    arns = [f"arn:aws:iam::{rng.randrange(10**11, 10**12):012d}:role/deployer-{index}" for index in range(count)]
    document = _document([{"Effect": "Allow", "Principal": {"AWS": arns}, "Action": "sts:AssumeRole"}])
    policy = _policy(document, PolicyType.TRUST, f"principals {count}")
    return [BenchCase("principals", "no-public-access", f"principals-{count}", count,
                      functools.partial(_public_query, policy, "AWS::IAM::Role"))]


FAMILIES: dict[str, Callable[[int], list[BenchCase]]] = {
    "statements": _statements_cases,
    "condition-keys": _condition_cases,
    "wildcard-density": _wildcard_cases,
    "multivalued-keys": _multivalued_cases,
    "principals": _principal_cases,
}


def synthetic_cases(*, quick: bool = False, sizes: dict[str, tuple[int, ...]] | None = None) -> list[BenchCase]:
    """Every family at every size (`QUICK_SIZES` with `quick`)."""
    chosen = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    return [case for family, build in FAMILIES.items() for size in chosen.get(family, ()) for case in build(size)]


def warm_up_cases() -> list[BenchCase]:
    """Small queries that every encoding decides in well under a second (the
    2-statement access-not-granted PASS and invariant, the 1-role trust policy),
    for the warm-up pass before timing."""
    cases = synthetic_cases(sizes={"statements": (2,), "principals": (1,)})
    return [case for case in cases if case.check != "no-new-access" and not case.label.endswith("-granted")]


def _public_query(policy: Policy, type_name: str, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import no_public_access

    return no_public_access(policy, resource_type(type_name), encoding=encoding)


def _access_query(policy: Policy, action: str, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import access_not_granted

    return access_not_granted(policy, [action], [], PolicyType.IDENTITY, encoding=encoding)


def _new_access_query(old: Policy, new: Policy, policy_type: PolicyType, encoding: EncodingOptions) -> Query:
    from reasoner.encodings.queries import no_new_access

    return no_new_access(old, new, policy_type, encoding=encoding)


def _invariant_query(policy: Policy, encoding: EncodingOptions) -> Query:
    """No role session is allowed an `iam:` action by the identity policy."""
    from reasoner.encodings.invariants import space_query
    from reasoner.evaluation.spaces import RequestSpace

    space = RequestSpace(kinds=(PrincipalKind.ROLE_SESSION,), actions=("iam:*",))
    return space_query(PolicySet(identity_policies=(policy,)), space, want_allowed=True, encoding=encoding)
