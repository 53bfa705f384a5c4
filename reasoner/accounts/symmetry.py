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
import re
from dataclasses import fields, replace

from reasoner.accounts.graph import EdgeTask
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import derived_context, evaluate, policy_slots
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.digest import policy_set_key
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


_BLIND: dict[int, tuple[Policy, bool]] = {}  # by identity, as edges._DIGESTS


def name_blind(policy: Policy) -> bool:
    """No statement of the policy can tell two callers of one account and kind apart
    by their names."""
    known = _BLIND.get(id(policy))
    if known is None:
        known = (policy, _name_blind(policy))
        _BLIND[id(policy)] = known
    return known[1]


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
    """Equal for edges that only the caller's name tells apart; None when a policy
    of the edge can see the name (the edge is decided on its own)."""
    principal = parsed_principal(task.probe_principal)
    if principal is None or principal.kind not in GROUPED_KINDS:
        return None
    # the path too: it is not observable by the policies, but it is part of the
    # caller's shape in the encoding
    path = task.source.split(":", 5)[-1].split("/")[1:-1]
    parts: list[object] = [task.relation, task.actions, task.probe_resource, principal.kind, principal.account,
                           tuple(path)]
    for label, policies, space in task.networks:
        if space.principal_arn_patterns or space.not_principal_arn_patterns:
            return None
        if not all(name_blind(slot.policy) for slot in policy_slots(policies)):
            return None
        # the name-derived keys (aws:userid of the caller) the policies do not read
        blind = replace(space, context=tuple(c for c in space.context if not observes_names(c.key.lower())))
        nameless = tuple(getattr(blind, f.name) for f in fields(blind) if f.name != "principal_arn")
        parts += [label, policy_set_key(policies), nameless]
    return tuple(parts)


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


def renamed_witness(witness: Witness, task: EdgeTask, policies: PolicySet) -> Witness | None:
    """The witness with the edge's caller in place of its principal (the keys AWS
    derives from the caller recomputed), when the evaluator still allows it."""
    principal = probe_caller(task)
    if principal is None:
        return None
    old = witness.request
    context = {key: values for key, values in old.context.items()
               if key not in derived_context(old.principal) and not observes_names(key)}
    context.update({key: (value,) for key, value in derived_context(principal).items()})
    request = Request(principal, old.action, old.resource, old.resource_account, context, old.multi_valued_keys)
    result = evaluate(request, policies)
    if result.decision is not Decision.ALLOW:
        return None
    return Witness(request, result)
