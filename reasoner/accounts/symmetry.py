"""Edges that differ only in the caller's name are decided once.

In an account where many roles trust the account (`arn:aws:iam::ACCOUNT:root`),
every principal of the account is a candidate caller of every such role: the
edges grow with the square of the account. Most of them differ only in who the
caller is, not in what decides: two roles of one account with the same policies,
tags and session carry the same request but for the caller's ARN and name. When
no policy of the edge can observe the caller's name, the evaluator decides both
alike (a renaming of the caller within its account and kind maps the one's
requests to the other's and keeps every decision). So one SMT query decides the
group; another member's witness is the representative's with the caller renamed,
replayed through the evaluator (and decided on its own if it does not replay).

A policy observes the caller's name through a Principal entry naming one user or
role (§1.5), a condition on a key derived from the name (`aws:PrincipalArn`,
`aws:username`, `aws:userid`, ...), or a policy variable (§4). A service-linked
role's edges carry no SCPs or RCPs (§5.4, graph.py), so its policy sets, part of
the key, keep it apart from other roles wherever that matters.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, replace

from reasoner.accounts.graph import EdgeTask
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import derived_context, evaluate, policy_slots
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.digest import policy_set_key
from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Decision, Policy, PolicySet, Principal, PrincipalKind, Request
from reasoner.solving.witness import Witness

# Keys whose value depends on the caller's name (not only its account, kind or tags).
NAME_KEYS = frozenset({"aws:principalarn", "aws:username", "aws:userid", "aws:principalservicename",
                       "aws:principalservicenameslist", "aws:sourceidentity", "aws:federatedprovider",
                       "aws:rolesessionname"})
# `aws:Principal...` keys that depend only on what the group shares.
NAME_FREE_PRINCIPAL_KEYS = ("aws:principalaccount", "aws:principaltype", "aws:principalisawsservice",
                            "aws:principalorgid", "aws:principalorgpaths", "aws:principaltag/")
_ACCOUNT = re.compile(r"\d{12}|arn:[^:]+:iam::\d{12}:root")
GROUPED_KINDS = (PrincipalKind.USER, PrincipalKind.ROLE_SESSION)


def _names_one_principal(entry: str) -> bool:
    return entry != "*" and _ACCOUNT.fullmatch(entry) is None


def observes_names(key: str) -> bool:
    return key in NAME_KEYS or (key.startswith("aws:principal") and not key.startswith(NAME_FREE_PRINCIPAL_KEYS))


_BLIND: IdentityMemo[Policy, bool] = IdentityMemo()


def name_blind(policy: Policy) -> bool:
    """No statement of the policy can tell two callers of one account and kind apart
    by their names."""
    return _BLIND.get(policy, lambda: _name_blind(policy))


def _name_blind(policy: Policy) -> bool:
    for statement in policy.statements:
        for spec in (statement.principal, statement.not_principal):
            if spec is not None and any(_names_one_principal(entry) for entry in spec.aws):
                return False
        texts = [*(statement.resources or ()), *(statement.not_resources or ()), *(statement.actions or ()),
                 *(statement.not_actions or ())]
        for condition in statement.conditions:
            if observes_names(condition.key_lower):
                return False
            texts += [condition.key, *condition.values]
        if any("${" in text for text in texts):
            return False
    return True


def symmetry_key(task: EdgeTask) -> tuple[object, ...] | None:
    """Equal for edges that only the caller's name, or only the target's name, or both
    tell apart (`resource_renaming`); None when the policies of the edge can see both
    (the edge is decided on its own)."""
    principal = parsed_principal(task.probe_principal)
    by_name = principal is not None and principal.kind in GROUPED_KINDS and all(
        not (space.principal_arn_patterns or space.not_principal_arn_patterns)
        and all(name_blind(slot.policy) for slot in policy_slots(policies)) for _, policies, space in task.networks)
    renaming = resource_renaming(task)
    if not by_name and renaming is None:
        return None
    parts: list[object] = [task.relation, task.actions]
    if by_name and principal is not None:
        # the path too: it is not observable by the policies, but it is part of the
        # caller's shape in the encoding
        path = task.source.split(":", 5)[-1].split("/")[1:-1]
        parts += [principal.kind, principal.account, tuple(path)]
    else:
        parts += [task.source, task.probe_principal, task.probe_role_arn]
    parts.append(task.probe_resource if renaming is None else renaming.text(task.probe_resource))
    for label, policies, space in task.networks:
        if by_name:  # the name-derived keys (aws:userid of the caller) the policies do not read
            space = replace(space, principal_arn=None,
                            context=tuple(c for c in space.context if not observes_names(c.key.lower())))
        if renaming is None:
            parts += [label, policy_set_key(policies), space]
        else:
            parts += [label, policy_set_key(replace(policies, resource_policy=None)),
                      renaming.policy(policies.resource_policy),
                      replace(space, resources=tuple(renaming.text(r) for r in space.resources))]
    if renaming is not None:
        parts.append(renaming.shape)
    return tuple(parts)


SELF = "${perimeter:target}"  # the target's own ARN in a renamed policy (never an ARN)
# the resource part of an ARN pattern that matches alike any two resources of one type and
# shape: a literal type (`key/`, `role/`) then only wildcards and slashes
_TYPE = re.compile(r"[A-Za-z0-9_.+=,@-]+[/:]")
_BLIND_RESOURCE = re.compile(rf"({_TYPE.pattern})?[*/]*")


@dataclass(frozen=True)
class ResourceRenaming:
    """The target of an edge as a name that the edge's policies cannot tell from
    another target of the same service, region, account, type and shape: renaming one
    target into the other (its own ARN, and its sub-resources' with it) maps each
    request to one decided alike. `shape` is what the renamed targets share."""

    arn: str
    shape: tuple[object, ...]

    def text(self, value: str) -> str:
        if value == self.arn or value.startswith(self.arn + "/"):
            return SELF + value[len(self.arn):]
        return value

    def policy(self, policy: Policy | None) -> str | None:
        return None if policy is None else _renamed(policy, self.arn)


_renamed_policies: IdentityMemo[Policy, str | None] = IdentityMemo()  # by the target's ARN


def resource_renaming(task: EdgeTask) -> ResourceRenaming | None:
    """The edge's target as a renamable name (`ResourceRenaming`), when no policy of
    the edge tells it apart from another target of its shape: every Resource and
    NotResource pattern is `*`, another service's, or a type followed by wildcards;
    the target's own resource policy names it only as itself (or its sub-resources);
    no ACLs, grants or access point decide."""
    arn = task.target
    fields = arn.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or any(c in arn for c in "*?$"):
        return None
    if not (task.probe_resource == arn or task.probe_resource.startswith(arn + "/")):
        return None
    resource = fields[5]
    for _, policies, space in task.networks:
        if policies.acls or policies.kms_grants is not None or policies.access_point is not None:
            return None
        if not all(r == arn or r.startswith(arn + "/") for r in space.resources):
            return None
        for slot in policy_slots(policies):
            if slot.policy is policies.resource_policy:
                if _renamed(slot.policy, arn) is None:
                    return None
            elif not _resource_blind(slot.policy, fields):
                return None
    shape = (*fields[:5], type_prefix(resource), resource.count("/"), resource.count(":"))
    return ResourceRenaming(arn, shape)


CANONICAL_SOURCE = "<a target's resource policy, renamed to its group's canonical name>"


def canonical_arn(arn: str) -> str:
    """A name of the target's shape (`ResourceRenaming.shape`) that is every such
    target's alike: the service, region, account and literal type kept, each other
    segment of the resource part one letter (empty segments kept empty)."""
    fields = arn.split(":", 5)
    kind = type_prefix(fields[5])
    return ":".join(fields[:5]) + ":" + kind + re.sub(r"[^/:]+", "c", fields[5][len(kind):])


def canonical_task(task: EdgeTask) -> EdgeTask | None:
    """The edge with its target renamed to `canonical_arn`, when only the target's name
    tells it from edges to other targets (`resource_renaming`): every edge of such a
    group follows the one decision of this task, so what an edge prints does not depend
    on which target of its group a run asked about first (a warm run prints what a cold
    one does). The resource policy, renamed, has a fixed source and no lines: the
    canonical task of two alike edges is the same value."""
    if resource_renaming(task) is None:
        return None
    arn, canonical = task.target, canonical_arn(task.target)

    def text(value: str) -> str:
        return canonical + value[len(arn):] if value == arn or value.startswith(arn + "/") else value

    def texts(values: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(map(text, values))

    def policy(found: Policy | None) -> Policy | None:
        if found is None:
            return None
        statements = tuple(replace(s, line=None, resources=texts(s.resources), not_resources=texts(s.not_resources))
                           for s in found.statements)
        return replace(found, statements=statements, source=CANONICAL_SOURCE)

    networks = tuple((label, replace(policies, resource_policy=policy(policies.resource_policy)),
                      replace(space, resources=tuple(map(text, space.resources))))
                     for label, policies, space in task.networks)
    return replace(task, target=canonical, probe_resource=text(task.probe_resource), networks=networks)


def _blind_pattern(pattern: str, target: list[str]) -> bool:
    if pattern == "*":
        return True
    fields = pattern.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or "${" in pattern:
        return False
    if not any(c in fields[2] for c in "*?") and fields[2].lower() != target[2].lower():
        return True  # another service's resources: it matches neither
    if any(not (set(mine) <= {"*"} or mine == theirs) for mine, theirs in zip(fields[1:5], target[1:5], strict=True)):
        return False
    match = _BLIND_RESOURCE.fullmatch(fields[5])
    # a type of its own: `key/*` against keys; any two resource names of the same number
    # of non-empty segments match a pattern of wildcards and slashes alike
    return match is not None and match.group(1) in (None, type_prefix(target[5]))


def type_prefix(resource: str) -> str:
    """The literal type an ARN's resource part starts with (`key/`, `role/`), or ''."""
    kind = _TYPE.match(resource)
    return kind.group(0) if kind is not None and kind.end() < len(resource) else ""


def _resource_blind(policy: Policy, target: list[str]) -> bool:
    return _BLIND_TO.get(policy, lambda: all(_blind_pattern(p, target) for s in policy.statements
                                             for p in (*(s.resources or ()), *(s.not_resources or ()))), target[2])


_BLIND_TO: IdentityMemo[Policy, bool] = IdentityMemo()  # by the target's service


def _renamed(policy: Policy, arn: str) -> str | None:
    """A digest of the target's own resource policy with its ARN as `SELF`; None when
    it names the target otherwise or has a pattern that tells targets apart."""
    return _renamed_policies.get(policy, lambda: _renamed_text(policy, arn, arn.split(":", 5)), arn)


def _renamed_text(policy: Policy, arn: str, target: list[str]) -> str | None:
    statements = []
    for statement in policy.statements:
        patterns = []
        for group in (statement.resources, statement.not_resources):
            renamed = []
            for pattern in group or ():
                if pattern == arn or pattern.startswith(arn + "/"):
                    if any(c in pattern[len(arn):] for c in "$"):
                        return None
                    renamed.append(SELF + pattern[len(arn):])
                elif _blind_pattern(pattern, target):
                    renamed.append(pattern)
                else:
                    return None
            patterns.append(None if group is None else tuple(renamed))
        rest = replace(statement, line=None, resources=None, not_resources=None)
        if arn in repr(rest):
            return None
        statements.append((rest, *patterns))
    text = repr((policy.policy_type.value, policy.version, tuple(statements)))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=65536)
def parsed_principal(text: str) -> Principal | None:
    """`scenario.parse_principal`, remembered; None for a text it rejects."""
    try:
        return parse_principal(text, source="probe")
    except InputError:
        return None


def probe_caller(task: EdgeTask) -> Principal | None:
    """The edge's concrete caller: its probe principal, a session with its role's
    ARN (which keeps the path the session ARN drops, §6)."""
    principal = parsed_principal(task.probe_principal)
    if principal is None or task.probe_role_arn is None or principal.kind is not PrincipalKind.ROLE_SESSION:
        return principal
    return replace(principal, role_arn=task.probe_role_arn)


def renamed_witness(witness: Witness, task: EdgeTask, policies: PolicySet, leader_target: str | None = None,
                    same_caller: bool = False) -> Witness | None:
    """The witness with the edge's caller in place of its principal (the keys AWS
    derives from the caller recomputed; kept as it is for the `same_caller`) and, from
    a leader of another target (`leader_target`), the edge's target in place of the
    leader's, when the evaluator still allows it."""
    old = witness.request
    principal = old.principal if same_caller else probe_caller(task)
    if principal is None:
        return None
    context = {key: values for key, values in old.context.items()
               if key not in derived_context(old.principal) and not observes_names(key)}
    context.update({key: (value,) for key, value in derived_context(principal).items()})
    resource = old.resource
    if leader_target is not None and (resource == leader_target or resource.startswith(leader_target + "/")):
        resource = task.target + resource[len(leader_target):]
    request = Request(principal, old.action, resource, old.resource_account, context, old.multi_valued_keys)
    result = evaluate(request, policies)
    if result.decision is not Decision.ALLOW:
        return None
    return Witness(request, result)
