"""Seeded random scenario files for differential testing against iam-simulate.

Developer-only. Writes scenario JSON files (interface.md, "Scenario file") the way an
outside tester would: realistic principals, catalogue actions with resource ARNs of a
fitting type, every policy slot, conditions from every operator family over global
keys, with small value pools so that statements match often.

    python -m benchmarks.simulator_compare.random_scenarios --seed 1 --count 500 --out /tmp/rand

Inputs the simulator refuses (SEMANTICS.md a.7) are avoided: unknown actions, resources
of the wrong type, session policies for non-sessions, anonymous callers with identity
policies, boundaries, session policies or SCPs, RCPs that are not Deny with
`Principal: "*"`, VPC endpoint policies whose Principal is not `"*"`.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

ACCOUNTS = ("111111111111", "222222222222")
OTHER_ACCOUNT = "333333333333"
ORG_IDS = ("o-aaaaaaaaaa", "o-bbbbbbbbbb")
ORG_PATHS = ("o-aaaaaaaaaa/r-ab12/ou-ab12-11111111/", "o-aaaaaaaaaa/r-ab12/ou-ab12-22222222/")
REGIONS = ("us-east-1", "eu-west-1")
USERS = ("alice", "bob")
ROLES = ("app", "admin")
SESSIONS = ("s1", "s2")
BUCKETS = ("data-bucket", "logs-bucket")
OBJECT_KEYS = ("reports/q1.csv", "home/alice/notes.txt", "public/index.html")
QUEUES = ("orders", "events")
TABLES = ("users", "orders")
KMS_KEYS = ("1234abcd-12ab-34cd-56ef-1234567890ab", "0987dcba-09fe-87dc-65ba-ab0987654321")
TOPICS = ("alerts", "billing")
FUNCTIONS = ("resize", "report")
SECRETS = ("db-password-AbCdEf", "api-key-GhIjKl")
VPCES = ("vpce-1a2b3c4d", "vpce-9z8y7x6w")
VPCS = ("vpc-111aaa", "vpc-222bbb")
IPV4 = ("203.0.113.10", "198.51.100.7", "10.1.2.3")
IPV4_CIDRS = ("203.0.113.0/24", "10.0.0.0/8", "198.51.100.7/32", "0.0.0.0/0")
IPV6 = ("2001:db8::1", "2001:db8:1::5")
IPV6_CIDRS = ("2001:db8::/32", "2001:db8:1::/48")
TAG_KEYS = ("team", "env", "project")
TAG_VALUES = ("red", "blue", "prod")
TIMES = ("2024-01-15T12:00:00Z", "2025-06-01T00:00:00Z", "2026-03-10T08:30:00Z")
SERVICES_CALLED = ("cloudformation.amazonaws.com", "athena.amazonaws.com")


@dataclass(frozen=True)
class ActionSpec:
    action: str
    resource: Callable[[random.Random, str], str]  # (rng, owner account) -> ARN
    has_resource_policy: bool
    s3: bool = False


def _bucket(rng: random.Random, _account: str) -> str:
    return f"arn:aws:s3:::{rng.choice(BUCKETS)}"


def _object(rng: random.Random, _account: str) -> str:
    return f"arn:aws:s3:::{rng.choice(BUCKETS)}/{rng.choice(OBJECT_KEYS)}"


def _regional(service: str, kind: str, names: tuple[str, ...], sep: str = "") -> Callable[[random.Random, str], str]:
    def make(rng: random.Random, account: str) -> str:
        return f"arn:aws:{service}:{rng.choice(REGIONS)}:{account}:{kind}{sep}{rng.choice(names)}"
    return make


def _role(rng: random.Random, account: str) -> str:
    return f"arn:aws:iam::{account}:role/{rng.choice(ROLES)}"


def _star(_rng: random.Random, _account: str) -> str:
    return "*"


ACTIONS = (
    ActionSpec("s3:GetObject", _object, True, s3=True),
    ActionSpec("s3:PutObject", _object, True, s3=True),
    ActionSpec("s3:DeleteObject", _object, True, s3=True),
    ActionSpec("s3:ListBucket", _bucket, True, s3=True),
    ActionSpec("s3:GetBucketPolicy", _bucket, True, s3=True),
    ActionSpec("sqs:SendMessage", _regional("sqs", "", QUEUES), True),
    ActionSpec("sqs:ReceiveMessage", _regional("sqs", "", QUEUES), True),
    ActionSpec("kms:Decrypt", _regional("kms", "key/", KMS_KEYS), True),
    ActionSpec("kms:Encrypt", _regional("kms", "key/", KMS_KEYS), True),
    ActionSpec("sts:AssumeRole", _role, True),
    ActionSpec("sts:TagSession", _role, True),
    ActionSpec("dynamodb:GetItem", _regional("dynamodb", "table/", TABLES), True),
    ActionSpec("dynamodb:PutItem", _regional("dynamodb", "table/", TABLES), True),
    ActionSpec("sns:Publish", _regional("sns", "", TOPICS), True),
    ActionSpec("secretsmanager:GetSecretValue", _regional("secretsmanager", "secret:", SECRETS), True),
    ActionSpec("lambda:InvokeFunction", _regional("lambda", "function:", FUNCTIONS), True),
    ActionSpec("iam:GetRole", _role, False),
    ActionSpec("iam:PassRole", _role, False),
    ActionSpec("ec2:DescribeInstances", _star, False),
    ActionSpec("s3:ListAllMyBuckets", _star, False),
)


# ---------------------------------------------------------------------------
# Principals


@dataclass(frozen=True)
class Caller:
    kind: str  # user | role | session | root | account | anonymous | federated | service
    text: str
    account: str | None


def random_caller(rng: random.Random) -> Caller:
    account = rng.choice((*ACCOUNTS, OTHER_ACCOUNT)) if rng.random() < 0.25 else ACCOUNTS[0]
    kind = rng.choices(
        ("user", "role", "session", "root", "account", "anonymous", "federated", "service"),
        weights=(25, 12, 30, 4, 2, 8, 4, 3))[0]
    if kind == "user":
        path = rng.choice(("", "", "dev/"))
        return Caller(kind, f"arn:aws:iam::{account}:user/{path}{rng.choice(USERS)}", account)
    if kind == "role":
        return Caller(kind, f"arn:aws:iam::{account}:role/{rng.choice(ROLES)}", account)
    if kind == "session":
        return Caller(kind, f"arn:aws:sts::{account}:assumed-role/{rng.choice(ROLES)}/{rng.choice(SESSIONS)}",
                      account)
    if kind == "root":
        return Caller(kind, f"arn:aws:iam::{account}:root", account)
    if kind == "account":
        return Caller("root", account, account)
    if kind == "federated":
        return Caller(kind, f"arn:aws:sts::{account}:federated-user/{rng.choice(USERS)}", account)
    if kind == "service":
        return Caller(kind, rng.choice(("s3.amazonaws.com", "lambda.amazonaws.com", "sns.amazonaws.com")), None)
    return Caller("anonymous", "anonymous", None)


# ---------------------------------------------------------------------------
# Conditions


def _tag_key(rng: random.Random) -> str:
    return rng.choice(TAG_KEYS)


def _principal_arn_value(rng: random.Random) -> str:
    account = rng.choice(ACCOUNTS)
    return rng.choice((
        f"arn:aws:iam::{account}:user/{rng.choice(USERS)}",
        f"arn:aws:iam::{account}:role/{rng.choice(ROLES)}",
        f"arn:aws:iam::{account}:role/*",
        f"arn:aws:iam::{account}:*",
        f"arn:aws:iam::*:role/{rng.choice(ROLES)}",
        f"arn:aws:sts::{account}:assumed-role/{rng.choice(ROLES)}/*",
    ))


def _time_value(rng: random.Random) -> str:
    return rng.choice(TIMES)


# key name -> (family, value pool generator for policy side, value generator for request side)
StringGen = Callable[[random.Random], str]


@dataclass(frozen=True)
class KeySpec:
    key: Callable[[random.Random], str]
    families: tuple[str, ...]
    policy_value: StringGen
    request_value: StringGen
    multivalued: bool = False


def _const(value: str) -> Callable[[random.Random], str]:
    return lambda _rng: value


def _pick(pool: tuple[str, ...]) -> StringGen:
    return lambda rng: rng.choice(pool)


KEYS: tuple[KeySpec, ...] = (
    KeySpec(_const("aws:PrincipalOrgID"), ("String",), _pick((*ORG_IDS, "o-a*")), _pick(ORG_IDS)),
    KeySpec(_const("aws:PrincipalAccount"), ("String",), _pick((*ACCOUNTS, "1111*")), _pick(ACCOUNTS)),
    KeySpec(_const("aws:ResourceAccount"), ("String",), _pick(ACCOUNTS), _pick(ACCOUNTS)),
    KeySpec(_const("aws:PrincipalArn"), ("Arn", "String"), _principal_arn_value,
            lambda rng: rng.choice((f"arn:aws:iam::{ACCOUNTS[0]}:user/alice", f"arn:aws:iam::{ACCOUNTS[0]}:role/app",
                                    f"arn:aws:iam::{ACCOUNTS[1]}:role/admin"))),
    KeySpec(_const("aws:SourceArn"), ("Arn",),
            lambda rng: rng.choice((f"arn:aws:sns:us-east-1:{ACCOUNTS[0]}:alerts", f"arn:aws:sns:*:{ACCOUNTS[0]}:*",
                                    "arn:aws:s3:::data-bucket", "arn:aws:s3:::*")),
            lambda rng: rng.choice((f"arn:aws:sns:us-east-1:{ACCOUNTS[0]}:alerts", "arn:aws:s3:::data-bucket",
                                    f"arn:aws:sns:eu-west-1:{ACCOUNTS[1]}:billing"))),
    KeySpec(_const("aws:SourceIp"), ("Ip",), lambda rng: rng.choice(IPV4_CIDRS + IPV6_CIDRS + IPV4[:1]),
            _pick(IPV4 + IPV6)),
    KeySpec(_const("aws:SourceVpce"), ("String",), _pick((*VPCES, "vpce-1*")), _pick(VPCES)),
    KeySpec(_const("aws:SourceVpc"), ("String",), _pick(VPCS), _pick(VPCS)),
    KeySpec(lambda rng: f"aws:PrincipalTag/{_tag_key(rng)}", ("String",), _pick((*TAG_VALUES, "r*")),
            _pick(TAG_VALUES)),
    KeySpec(lambda rng: f"aws:ResourceTag/{_tag_key(rng)}", ("String",), _pick(TAG_VALUES), _pick(TAG_VALUES)),
    KeySpec(lambda rng: f"aws:RequestTag/{_tag_key(rng)}", ("String",), _pick(TAG_VALUES), _pick(TAG_VALUES)),
    KeySpec(_const("aws:RequestedRegion"), ("String",), _pick((*REGIONS, "eu-*")), _pick(REGIONS)),
    KeySpec(_const("aws:CurrentTime"), ("Date",), _time_value, _time_value),
    KeySpec(_const("aws:TokenIssueTime"), ("Date",), _time_value, _time_value),
    KeySpec(_const("aws:MultiFactorAuthPresent"), ("Bool",), _pick(("true", "false")), _pick(("true", "false"))),
    KeySpec(_const("aws:SecureTransport"), ("Bool",), _pick(("true", "false")), _pick(("true", "false"))),
    KeySpec(_const("aws:ViaAWSService"), ("Bool",), _pick(("true", "false")), _pick(("true", "false"))),
    KeySpec(_const("aws:MultiFactorAuthAge"), ("Numeric",), _pick(("3600", "600", "0")),
            _pick(("100", "3600", "7200"))),
    KeySpec(_const("aws:TagKeys"), ("String",), _pick((*TAG_KEYS, "t*")), _pick(TAG_KEYS), multivalued=True),
    KeySpec(_const("aws:CalledVia"), ("String",), _pick(SERVICES_CALLED), _pick(SERVICES_CALLED),
            multivalued=True),
    KeySpec(_const("aws:PrincipalOrgPaths"), ("String",), _pick(("o-aaaaaaaaaa/*", ORG_PATHS[0] + "*", *ORG_PATHS)),
            _pick(ORG_PATHS), multivalued=True),
    KeySpec(_const("aws:username"), ("String",), _pick((*USERS, "a*")), _pick(USERS)),
    KeySpec(_const("aws:userid"), ("String",), _pick(("AIDAEXAMPLE1", "AROAEXAMPLE2:s1", "AROA*")),
            _pick(("AIDAEXAMPLE1", "AROAEXAMPLE2:s1"))),
)

OPERATORS = {
    "String": ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
               "StringLike", "StringNotLike"),
    "Arn": ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"),
    "Ip": ("IpAddress", "NotIpAddress"),
    "Date": ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
             "DateGreaterThanEquals"),
    "Bool": ("Bool",),
    "Numeric": ("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                "NumericGreaterThan", "NumericGreaterThanEquals"),
}

VARIABLE_VALUES = ("${aws:username}", "${aws:PrincipalTag/team}", "${aws:PrincipalAccount}",
                   "${aws:PrincipalTag/team, 'red'}")


def random_condition_block(rng: random.Random, variables: bool, used_keys: list[KeySpec]) -> JSON:
    block: JSON = {}
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        spec = rng.choice(KEYS)
        key = spec.key(rng)
        used_keys.append(spec)
        if rng.random() < 0.08:
            block.setdefault("Null", {})[key] = rng.choice(("true", "false"))
            continue
        family = rng.choice(spec.families)
        operator = rng.choice(OPERATORS[family])
        qualified = spec.multivalued or rng.random() < 0.06
        if qualified and ((spec.multivalued and rng.random() < 0.9) or not spec.multivalued):
            operator = rng.choice(("ForAllValues:", "ForAnyValue:")) + operator
        if rng.random() < 0.12:
            operator += "IfExists"
        values = [spec.policy_value(rng) for _ in range(rng.choice((1, 1, 2)))]
        if variables and family == "String" and rng.random() < 0.15:
            values[0] = rng.choice(VARIABLE_VALUES)
        if family == "Bool" and rng.random() < 0.2:
            block.setdefault(operator, {})[key] = rng.choice((True, False))
            continue
        block.setdefault(operator, {})[key] = values[0] if len(values) == 1 and rng.random() < 0.5 else values
    return block


# ---------------------------------------------------------------------------
# Statements and policies


def _action_patterns(rng: random.Random, action: str) -> list[str]:
    service, name = action.split(":")
    other = rng.choice(ACTIONS).action
    candidates = [action, f"{service}:*", "*", f"{service}:{name[:3]}*", other, action.lower(),
                  f"{service}:{name[:-1]}?"]
    count = rng.choice((1, 1, 2))
    return [rng.choice(candidates) for _ in range(count)]


def _resource_patterns(rng: random.Random, resource: str, variables: bool) -> list[str]:
    candidates = ["*", resource]
    if resource != "*":
        fields = resource.split(":", 5)
        candidates.append(":".join([*fields[:5], fields[5].split("/")[0] + ("/*" if "/" in fields[5] else "*")]))
        candidates.append(":".join([*fields[:4], "*", fields[5]]))
        candidates.append(":".join([*fields[:3], "*", *fields[4:]]))
        if fields[2] == "s3":
            candidates += ["arn:aws:s3:::data-bucket/*", "arn:aws:s3:::data-bucket", "arn:aws:s3:::*-bucket*"]
            if variables:
                candidates.append("arn:aws:s3:::data-bucket/home/${aws:username}/*")
        elif variables:
            candidates.append(":".join([*fields[:4], "${aws:PrincipalAccount}", fields[5]]))
        # another resource of the same type in another account
        candidates.append(resource.replace(ACCOUNTS[0], ACCOUNTS[1]))
    return [rng.choice(candidates) for _ in range(rng.choice((1, 1, 2)))]


def _principal_element(rng: random.Random, caller: Caller) -> Any:
    account = caller.account or ACCOUNTS[0]
    other = rng.choice(ACCOUNTS)
    options: list[Any] = [
        "*", {"AWS": "*"}, {"AWS": account}, {"AWS": f"arn:aws:iam::{other}:root"}, {"AWS": other},
        {"AWS": f"arn:aws:iam::{account}:user/{rng.choice(USERS)}"},
        {"AWS": f"arn:aws:iam::{account}:role/{rng.choice(ROLES)}"},
        {"AWS": f"arn:aws:sts::{account}:assumed-role/{rng.choice(ROLES)}/{rng.choice(SESSIONS)}"},
        {"Service": rng.choice(("s3.amazonaws.com", "lambda.amazonaws.com", "sns.amazonaws.com"))},
        {"AWS": [f"arn:aws:iam::{account}:user/{rng.choice(USERS)}", f"arn:aws:iam::{other}:root"]},
    ]
    if caller.kind not in ("anonymous", "service") and caller.text.startswith("arn:"):
        options.append({"AWS": caller.text})
    return rng.choice(options)


def random_statement(rng: random.Random, action: str, resource: str, *, variables: bool, effect: str | None = None,
                     principal: Caller | None = None, not_allowed: bool = True,
                     used_keys: list[KeySpec] | None = None) -> JSON:
    used = used_keys if used_keys is not None else []
    statement: JSON = {"Effect": effect or rng.choice(("Allow", "Allow", "Deny"))}
    if rng.random() < 0.3:
        statement["Sid"] = f"S{rng.randrange(100)}"
    if principal is not None:
        statement["Principal"] = _principal_element(rng, principal)
    actions = _action_patterns(rng, action)
    if not_allowed and rng.random() < 0.1:
        statement["NotAction"] = [rng.choice(ACTIONS).action]
    else:
        statement["Action"] = actions[0] if len(actions) == 1 else actions
    resources = _resource_patterns(rng, resource, variables)
    if not_allowed and rng.random() < 0.08:
        statement["NotResource"] = resources
    else:
        statement["Resource"] = resources[0] if len(resources) == 1 else resources
    if rng.random() < 0.5:
        statement["Condition"] = random_condition_block(rng, variables, used)
    return statement


def random_policy(rng: random.Random, action: str, resource: str, *, statements: int | None = None,
                  effect: str | None = None, principal: Caller | None = None, used_keys: list[KeySpec]) -> JSON:
    version = "2012-10-17" if rng.random() < 0.93 else rng.choice(("2008-10-17", None))
    variables = version == "2012-10-17"
    count = statements if statements is not None else rng.choice((1, 1, 2, 3))
    policy: JSON = {"Version": version} if version else {}
    policy["Statement"] = [random_statement(rng, action, resource, variables=variables, effect=effect,
                                            principal=principal, used_keys=used_keys) for _ in range(count)]
    return policy


FULL_AWS_ACCESS: JSON = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def random_scp_levels(rng: random.Random, action: str, resource: str, used_keys: list[KeySpec]) -> list[list[JSON]]:
    levels: list[list[JSON]] = []
    for _ in range(rng.choice((1, 2, 3))):
        level: list[JSON] = []
        if rng.random() < 0.85:
            level.append(FULL_AWS_ACCESS)
        if rng.random() < 0.6 or not level:
            policy = random_policy(rng, action, resource, used_keys=used_keys)
            policy["Version"] = "2012-10-17"
            level.append(policy)
        levels.append(level)
    return levels


def random_rcp_levels(rng: random.Random, action: str, resource: str, used_keys: list[KeySpec]) -> list[list[JSON]]:
    service = action.split(":")[0]
    levels: list[list[JSON]] = []
    for _ in range(rng.choice((1, 2))):
        level: list[JSON] = []
        if rng.random() < 0.7:
            statement: JSON = {"Effect": "Deny", "Principal": "*",
                               "Action": rng.choice((action, f"{service}:*", f"{service}:{action.split(':')[1][:3]}*")),
                               "Resource": rng.choice(("*", resource))}
            statement["Condition"] = random_condition_block(rng, True, used_keys)
            level.append({"Version": "2012-10-17", "Statement": [statement]})
        levels.append(level)
    return levels


def random_vpce_policy(rng: random.Random, action: str, resource: str, used_keys: list[KeySpec]) -> JSON:
    policy = random_policy(rng, action, resource, used_keys=used_keys)
    for statement in policy["Statement"]:
        statement["Principal"] = "*"
        statement.pop("NotPrincipal", None)
    return policy


def random_resource_policy(rng: random.Random, action: str, resource: str, caller: Caller,
                           used_keys: list[KeySpec]) -> JSON:
    policy = random_policy(rng, action, resource, principal=caller, used_keys=used_keys)
    if action.startswith("sts:"):
        for statement in policy["Statement"]:
            statement.pop("Resource", None)
            statement.pop("NotResource", None)
    for statement in policy["Statement"]:
        # NotPrincipal is not allowed in a role trust policy
        if statement["Effect"] == "Deny" and not action.startswith("sts:") and rng.random() < 0.15:
            named = statement.pop("Principal")
            statement["NotPrincipal"] = named if named not in ("*", {"AWS": "*"}) else {"AWS": ACCOUNTS[0]}
    return policy


# ---------------------------------------------------------------------------
# Context


def random_context(rng: random.Random, used_keys: list[KeySpec]) -> JSON:
    context: JSON = {}
    specs = list(used_keys) + [rng.choice(KEYS) for _ in range(rng.choice((0, 1, 2)))]
    for spec in specs:
        if rng.random() < 0.25:
            continue  # sometimes leave a key used by a policy out of the request
        key = spec.key(rng)
        if spec.multivalued:
            context[key] = sorted({spec.request_value(rng) for _ in range(rng.choice((0, 1, 2, 2)))})
        else:
            context[key] = spec.request_value(rng)
    # make policy variables resolvable most of the time
    if rng.random() < 0.5:
        context.setdefault("aws:username", rng.choice(USERS))
    if rng.random() < 0.5:
        context.setdefault("aws:PrincipalTag/team", rng.choice(TAG_VALUES))
    return context


# ---------------------------------------------------------------------------
# Scenarios


def random_scenario(rng: random.Random) -> JSON:
    spec = rng.choice(ACTIONS)
    caller = random_caller(rng)
    if caller.kind == "anonymous" and not spec.has_resource_policy:
        spec = rng.choice([a for a in ACTIONS if a.has_resource_policy])
    owner = rng.choice(ACCOUNTS) if rng.random() < 0.3 else ACCOUNTS[0]
    resource = spec.resource(rng, owner)
    used: list[KeySpec] = []
    request: JSON = {"principal": caller.text, "action": spec.action, "resource": resource}
    if spec.s3 and rng.random() < 0.9:
        request["resource_account"] = owner
    scenario: JSON = {"description": "", "request": request}

    authenticated = caller.kind != "anonymous"
    has_identity = caller.kind in ("user", "role", "session", "federated", "root") and caller.kind != "root"
    if has_identity and rng.random() < 0.85:
        scenario["identity_policies"] = [random_policy(rng, spec.action, resource, used_keys=used)
                                         for _ in range(rng.choice((1, 1, 2)))]
    if has_identity and rng.random() < 0.2:
        scenario["permissions_boundary"] = random_policy(rng, spec.action, resource, used_keys=used)
    if caller.kind == "session" and rng.random() < 0.25:
        scenario["session_policy"] = random_policy(rng, spec.action, resource, used_keys=used)
    if authenticated and caller.kind != "service" and rng.random() < 0.35:
        scenario["scps"] = random_scp_levels(rng, spec.action, resource, used)
    if spec.has_resource_policy and resource != "*" and rng.random() < 0.3:
        scenario["rcps"] = random_rcp_levels(rng, spec.action, resource, used)
    if spec.has_resource_policy and rng.random() < (0.9 if caller.kind in ("anonymous", "service") else 0.55):
        scenario["resource_policy"] = random_resource_policy(rng, spec.action, resource, caller, used)
    if rng.random() < 0.15:
        scenario["vpc_endpoint_policy"] = random_vpce_policy(rng, spec.action, resource, used)
    request["context"] = random_context(rng, used)
    if not request["context"]:
        del request["context"]
    return scenario


def write_scenarios(seed: int, count: int, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        scenario = random_scenario(rng)
        scenario["description"] = f"random scenario seed={seed} index={index}"
        path = out / f"s{seed}_{index:05d}.json"
        path.write_text(json.dumps(scenario, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    paths = write_scenarios(args.seed, args.count, args.out)
    print(f"wrote {len(paths)} scenarios to {args.out}")


if __name__ == "__main__":
    main()
