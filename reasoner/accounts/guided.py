"""Probes shaped by the resource policy: a witness without a query, where one is easy.

The plain probe (`edges.probe`) asks the evaluator about the class's representative
request. Where that is denied only because a condition wants a value the request
does not carry (a partner's `sts:ExternalId`), or the Principal names an account
the representative is not in (a partner outside the organization), the query finds
the witness, at many times the cost. These probes try, for each Allow statement of
the resource policy, the request that its Principal and its plain conditions on
the parameters a caller chooses ask for (`sts:ExternalId`, `sts:RoleSessionName`
with a `StringEquals`-like operator and a literal value; keys AWS derives from the
principal, the resource or the network are never made up). A request is a witness
only when it lies in the edge's space and the evaluator allows it, as every probe;
when none is, the query decides, so nothing is proven here.
"""

from __future__ import annotations

import re

from reasoner.accounts.graph import EdgeTask
from reasoner.accounts.symmetry import probe_caller
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import derived_context, evaluate, policy_slots
from reasoner.evaluation.membership import outside_space
from reasoner.evaluation.scenario import parse_principal
from reasoner.evaluation.spaces import ConstraintOp, RequestSpace
from reasoner.policy.model import Decision, Effect, PolicySet, Principal, Request, Statement
from reasoner.solving.witness import Witness, read_keys

_PLAIN = ("StringEquals", "StringLike", "StringEqualsIgnoreCase")
# request parameters the caller sets (STS API reference, AssumeRole)
_CHOSEN = ("sts:externalid", "sts:rolesessionname")
_ACCOUNT = re.compile(r"(?:arn:[^:]+:iam::)?(\d{12})(?::root)?")


def guided_probe(task: EdgeTask, policies: PolicySet, space: RequestSpace) -> Witness | None:
    """A request the resource policy's Allow statements ask for, in the space, that the
    evaluator allows; None when there is none to try or none is allowed."""
    base = probe_caller(task)
    resource_policy = policies.resource_policy
    if base is None or resource_policy is None:
        return None
    read = read_keys([slot.policy for slot in policy_slots(policies)])
    pinned = {c.key.lower(): (c.values[0],) for c in space.context if c.op is ConstraintOp.EQUALS and c.values}
    tried: set[tuple[object, ...]] = set()
    for statement in resource_policy.statements:
        if statement.effect is not Effect.ALLOW:
            continue
        wanted = _chosen(statement)
        for principal in _principals(base, statement):
            context = {key: (value,) for key, value in derived_context(principal).items()}
            context.update(pinned)
            context.update({key: values for key, values in wanted.items() if key not in context})
            for action in task.actions:
                if "*" in action or "?" in action:
                    continue
                request = Request(principal, action, task.probe_resource, space.resource_account, context)
                signature = (principal.text, action, tuple(sorted(context.items())))
                if signature in tried or outside_space(space, request, read) is not None:
                    continue
                tried.add(signature)
                result = evaluate(request, policies)
                if result.decision is Decision.ALLOW:
                    return Witness(request, result)
    return None


def _chosen(statement: Statement) -> dict[str, tuple[str]]:
    """The parameters the statement's plain conditions ask the caller for (a wildcard
    as `x`)."""
    wanted: dict[str, tuple[str]] = {}
    for condition in statement.conditions:
        if condition.key_lower in _CHOSEN and condition.base in _PLAIN and not condition.negated and \
                condition.qualifier is None and condition.values and "${" not in condition.values[0]:
            wanted[condition.key_lower] = (re.sub(r"[*?]", "x", condition.values[0]),)
    return wanted


def _principals(base: Principal, statement: Statement) -> list[Principal]:
    """The representative, then the representative moved into each account the
    statement's Principal names (the space says whether it may be)."""
    found = [base]
    spec = statement.principal
    if spec is None or base.account is None:
        return found
    for entry in spec.aws:
        match = _ACCOUNT.fullmatch(entry)
        if match is None or match.group(1) == base.account:
            continue
        try:
            moved = parse_principal(base.text.replace(f":{base.account}:", f":{match.group(1)}:", 1),
                                    source="probe")
        except InputError:
            continue
        found.append(moved)
    return found
