"""Scenario files: one concrete request and every policy that applies to it.

The file format is the "Scenario file" section of the interface contract, plus two
optional keys: `description`, free text for people, and `management_account` (SCPs
do not apply to principals of that account, nor RCPs to its resources,
iam-semantics.md §5.4). A policy is given inline or as a path to a policy file,
relative to the scenario file.

The role trust policy of `sts:AssumeRole` is the role's resource-based policy (§5.4),
so `resource_policy` is read as a trust policy when the action's service is `sts`, and
as an ordinary resource-based policy otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.evaluation.bucket_facts import BUCKET_KEYS, read_bucket_facts, with_bucket_facts
from reasoner.policy.model import (
    ContextValue,
    Policy,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalKind,
    Request,
)
from reasoner.policy.parse import JsonFloat, json_lines, load_data_file
from reasoner.policy.principals import ACCOUNT, PARTITION, parse_iam_arn, parse_session_arn
from reasoner.policy.references import LineOf, PolicyReferences


@dataclass(frozen=True)
class Scenario:
    source: str  # the scenario file as given on the command line
    request: Request
    policies: PolicySet


def load_scenario(path: Path) -> Scenario:
    source = str(path)
    data = load_data_file(path, source)
    line_of: LineOf | None = None
    if path.suffix.lower() == ".json":
        # the file has just parsed as JSON, so reading it again for line numbers cannot fail on syntax
        line_of = json_lines(path.read_text(encoding="utf-8-sig"), max_depth=5).get
    return parse_scenario(data, source=source, base_dir=path.parent, line_of=line_of)


_TOP_LEVEL_KEYS = frozenset({
    "request", "identity_policies", "permissions_boundary", "session_policy", "scps", "rcps",
    "resource_policy", "vpc_endpoint_policy", "management_account", "description",
    *BUCKET_KEYS,
})
_REQUEST_KEYS = frozenset({"principal", "action", "resource", "resource_account", "context"})


def parse_scenario(data: Any, *, source: str, base_dir: Path, line_of: LineOf | None = None) -> Scenario:
    """`line_of` maps a JSON path in the scenario (`scps[1][0].Statement[2]`) to its line,
    so inline statements can be reported as `scenario.json:12`."""
    if not isinstance(data, dict):
        raise InputError(source, "", "expected an object with a \"request\" key")
    unknown = _unknown_keys(data, _TOP_LEVEL_KEYS)
    if unknown:
        raise InputError(source, unknown[0], f"unknown key (expected one of {', '.join(sorted(_TOP_LEVEL_KEYS))})")
    if "request" not in data:
        raise InputError(source, "request", "missing")
    if not isinstance(data.get("description", ""), str):
        raise InputError(source, "description", "expected a string")
    request = parse_request(data["request"], source=source)
    policies = _PolicyLoader(source, base_dir, line_of)
    resource_policy_type = PolicyType.TRUST if _service_of(request.action) == "sts" else PolicyType.RESOURCE
    base_set = PolicySet(
        identity_policies=policies.list_of(data, "identity_policies", PolicyType.IDENTITY),
        permissions_boundary=policies.optional(data, "permissions_boundary", PolicyType.BOUNDARY),
        session_policy=policies.optional(data, "session_policy", PolicyType.SESSION),
        scps=policies.levels(data, "scps", PolicyType.SCP),
        rcps=policies.levels(data, "rcps", PolicyType.RCP),
        resource_policy=policies.optional(data, "resource_policy", resource_policy_type),
        vpc_endpoint_policy=policies.optional(data, "vpc_endpoint_policy", PolicyType.VPC_ENDPOINT),
        management_account=_optional_account(data.get("management_account"), source, "management_account"),
    )
    policy_set = with_bucket_facts(base_set, read_bucket_facts(data, source=source, base_dir=base_dir,
                                                               policies=policies.references), request.resource)
    return Scenario(source=source, request=request, policies=policy_set)


def _unknown_keys(data: Mapping[Any, Any], known: frozenset[str]) -> list[str]:
    # YAML allows keys that are not strings (`1: x`); they are unknown keys too
    return sorted(str(key) for key in data if key not in known)


def parse_request(data: Any, *, source: str) -> Request:
    if not isinstance(data, dict):
        raise InputError(source, "request", "expected an object")
    unknown = _unknown_keys(data, _REQUEST_KEYS)
    if unknown:
        raise InputError(source, f"request.{unknown[0]}",
                         f"unknown key (expected one of {', '.join(sorted(_REQUEST_KEYS))})")
    principal_text = _required_string(data, "principal", source)
    action = _required_string(data, "action", source)
    if not _ACTION.fullmatch(action):
        raise InputError(source, "request.action",
                         f'"{action}" is not an action (expected "service:ActionName", no wildcards)')
    resource = _required_string(data, "resource", source)
    problem = resource_problem(resource)
    if problem is not None:
        raise InputError(source, "request.resource", problem)
    resource_account = _optional_account(data.get("resource_account"), source, "request.resource_account")
    context, multi_valued = parse_context(data.get("context", {}), source=source)
    principal = parse_principal(principal_text, source=source)
    from reasoner.evaluation.evaluate import derived_context

    # AWS sets these from the caller on every request (§6); a value given wins
    for key, value in derived_context(principal).items():
        context.setdefault(key, (value,))
    return Request(
        principal=principal,
        action=action,
        resource=resource,
        resource_account=resource_account or account_of_arn(resource),
        context=context,
        multi_valued_keys=multi_valued,
    )


# The longest ARN AWS's APIs take (arnType in the IAM API reference: 20 to 2,048 characters)
MAX_ARN_LENGTH = 2048


def resource_problem(resource: str) -> str | None:
    """Why `resource` cannot be the resource of a request, or None: a request names
    one resource by its ARN, or `*` for the actions that take none."""
    if resource == "*":
        return None
    if len(resource) > MAX_ARN_LENGTH:
        return f"{len(resource):,} characters: an ARN has at most {MAX_ARN_LENGTH:,}"
    fields = resource.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or not fields[1] or not fields[2]:
        return f'"{resource}" is not an ARN (arn:partition:service:region:account:resource) nor "*"'
    return None


def parse_context(data: Any, *, source: str) -> tuple[dict[str, ContextValue], frozenset[str]]:
    """Context keys are case-insensitive (§1.8), so they are stored lower-cased; a list
    value makes the key multivalued (§3.3), even with one item."""
    if data is None:
        return {}, frozenset()
    if not isinstance(data, dict):
        raise InputError(source, "request.context", "expected an object of condition keys")
    context: dict[str, ContextValue] = {}
    multi_valued: set[str] = set()
    spelling: dict[str, str] = {}
    for key, value in data.items():
        path = f"request.context.{key}"
        if not isinstance(key, str):
            raise InputError(source, path, "expected a condition key name (a string)")
        lower = key.lower()
        if lower in spelling:
            raise InputError(source, path, f'same key as "{spelling[lower]}" (key names are case-insensitive)')
        spelling[lower] = key
        if isinstance(value, list):
            context[lower] = tuple(_context_scalar(item, source, f"{path}[{i}]") for i, item in enumerate(value))
            multi_valued.add(lower)
        else:
            context[lower] = (_context_scalar(value, source, path),)
    return context, frozenset(multi_valued)


def _context_scalar(value: Any, source: str, path: str) -> str:
    # JSON booleans and numbers take their JSON spelling, as policy values do.
    if isinstance(value, str):
        return value
    if isinstance(value, JsonFloat):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise InputError(source, path, "expected a string, a number, a boolean or a list of them")


_PARTITION = rf"arn:{PARTITION}"
_ACCOUNT = ACCOUNT
_ACTION = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9]+")
_ROOT_ARN = re.compile(rf"({_PARTITION}):iam::({_ACCOUNT}):root")
_FEDERATED_USER_ARN = re.compile(rf"{_PARTITION}:sts::({_ACCOUNT}):federated-user/([^/]+)")
_PROVIDER_ARN = re.compile(rf"{_PARTITION}:iam::({_ACCOUNT}):(?:oidc-provider|saml-provider)/.+")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?")
_CANONICAL_USER = re.compile(r"[0-9a-fA-F]{64}")
_WEB_IDENTITY_PROVIDERS = frozenset({
    "cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com",
})


def parse_principal(text: str, *, source: str = "<request>") -> Principal:
    """The caller named by a scenario's `request.principal` (the principal forms of §1.5)."""
    if text == "anonymous":
        return Principal(PrincipalKind.ANONYMOUS, text)
    if "*" in text or "?" in text:
        # a request is made by one caller; wildcards belong in policies only
        raise _not_a_principal(text, source)
    if re.fullmatch(_ACCOUNT, text):
        return Principal(PrincipalKind.ACCOUNT_ROOT, text, account=text, arn=f"arn:aws:iam::{text}:root")
    if m := _ROOT_ARN.fullmatch(text):
        return Principal(PrincipalKind.ACCOUNT_ROOT, text, account=m[2], arn=text)
    if iam := parse_iam_arn(text):
        if iam.kind == "user":
            return Principal(PrincipalKind.USER, text, account=iam.account, arn=text, name=iam.name)
        return Principal(PrincipalKind.ROLE, text, account=iam.account, arn=text, role_arn=text, name=iam.name)
    if session := parse_session_arn(text):
        # A session ARN drops the role's path; the role ARN is rebuilt without one.
        return Principal(PrincipalKind.ROLE_SESSION, text, account=session.account, arn=text,
                         role_arn=session.role_arn, name=session.role_name, session_name=session.session_name)
    if m := _FEDERATED_USER_ARN.fullmatch(text):
        return Principal(PrincipalKind.FEDERATED_USER, text, account=m[1], arn=text, name=m[2])
    if text in _WEB_IDENTITY_PROVIDERS:
        return Principal(PrincipalKind.WEB_IDENTITY, text, name=text)
    if m := _PROVIDER_ARN.fullmatch(text):
        return Principal(PrincipalKind.WEB_IDENTITY, text, account=m[1], arn=text)
    if _SERVICE.fullmatch(text):
        return Principal(PrincipalKind.SERVICE, text, name=text)
    if _CANONICAL_USER.fullmatch(text):
        return Principal(PrincipalKind.CANONICAL_USER, text)
    raise _not_a_principal(text, source)


def _not_a_principal(text: str, source: str) -> InputError:
    return InputError(source, "request.principal",
                      f'"{text}" is not a principal ARN, account id, service principal or "anonymous"')


def account_of_arn(arn: str) -> str | None:
    """The account field of an ARN, when it holds a 12-digit account id (S3 ARNs have none)."""
    fields = arn.split(":", 5)
    if len(fields) == 6 and fields[0] == "arn" and re.fullmatch(_ACCOUNT, fields[4]):
        return fields[4]
    return None


def _service_of(action: str) -> str:
    return action.split(":", 1)[0].lower()


def _required_string(data: Mapping[str, Any], key: str, source: str) -> str:
    if key not in data:
        raise InputError(source, f"request.{key}", "missing")
    value = data[key]
    if not isinstance(value, str) or not value:
        raise InputError(source, f"request.{key}", "expected a non-empty string")
    return value


def _optional_account(value: Any, source: str, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(_ACCOUNT, value):
        raise InputError(source, path, "expected a 12-digit account id as a string")
    return value


class _PolicyLoader:
    """Reads the policy slots of one scenario, inline or from files beside it."""

    def __init__(self, source: str, base_dir: Path, line_of: LineOf | None) -> None:
        self.source = source
        self.references = PolicyReferences(source, base_dir, globs=False, line_of=line_of)

    def optional(self, data: Mapping[str, Any], key: str, policy_type: PolicyType) -> Policy | None:
        value = data.get(key)
        return None if value is None else self.one(value, key, policy_type)

    def list_of(self, data: Mapping[str, Any], key: str, policy_type: PolicyType) -> tuple[Policy, ...]:
        return self._policies(data.get(key), key, policy_type)

    def levels(self, data: Mapping[str, Any], key: str, policy_type: PolicyType) -> tuple[tuple[Policy, ...], ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise InputError(self.source, key, "expected a list of levels (root first), each a list of policies")
        return tuple(self._policies(level, f"{key}[{i}]", policy_type) for i, level in enumerate(value))

    def _policies(self, value: Any, path: str, policy_type: PolicyType) -> tuple[Policy, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise InputError(self.source, path, "expected a list of policies")
        return tuple(self.one(item, f"{path}[{i}]", policy_type) for i, item in enumerate(value))

    def one(self, value: Any, slot: str, policy_type: PolicyType) -> Policy:
        return self.references.one(value, slot, policy_type)
