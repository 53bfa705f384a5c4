"""From a solver model to a concrete request, replayed through the reference
evaluator before anyone sees it (style.md §6)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from reasoner.encodings.request import RequestValues
from reasoner.errors import InputError, WitnessError
from reasoner.evaluation.evaluate import derived_context, evaluate
from reasoner.evaluation.network import completions
from reasoner.evaluation.scenario import parse_principal
from reasoner.evaluation.spaces import ConstraintOp, RequestSpace
from reasoner.policy.key_names import catalogue_spelling
from reasoner.policy.model import Decision, Policy, PolicySet, PrincipalKind, Request, Result


@dataclass(frozen=True)
class Witness:
    request: Request
    result: Result

    def request_json(self) -> dict[str, Any]:
        """The request in the scenario file's shape (interface.md)."""
        principal = self.request.principal
        document: dict[str, Any] = {"principal": principal.text, "action": self.request.action,
                                    "resource": self.request.resource}
        if self.request.resource_account is not None:
            document["resource_account"] = self.request.resource_account
        if self.request.context:
            document["context"] = {
                catalogue_spelling(key): list(values) if key in self.request.multi_valued_keys else values[0]
                for key, values in sorted(self.request.context.items())
                if values or key in self.request.multi_valued_keys
            }
        return document

    def to_json(self) -> dict[str, Any]:
        return {"request": self.request_json(), "decision": self.result.decision.value,
                "determining": [ref.to_json() for ref in self.result.determining]}


def read_keys(policies: Iterable[Policy]) -> frozenset[str]:
    """The condition keys the policies read, lower-cased."""
    return frozenset(condition.key_lower for policy in policies for statement in policy.statements
                     for condition in statement.conditions)


def decode(values: RequestValues, multivalued: Iterable[str]) -> Request:
    """The concrete request a model describes, with the keys AWS would also set
    from the caller (no policy reads those, so they cannot change the decision)."""
    kind = values.principal_kind
    if kind is PrincipalKind.ANONYMOUS:
        text = "anonymous"
    elif kind is PrincipalKind.SERVICE:
        text = values.principal_name or values.principal_text
    elif values.principal_arn is not None and kind is not PrincipalKind.WEB_IDENTITY:
        text = values.principal_arn
    else:
        text = values.principal_text
    try:
        principal = parse_principal(text, source="witness")
    except InputError as error:
        raise WitnessError(f"the solver's witness names no principal: {error}") from error
    if kind is PrincipalKind.ROLE_SESSION and values.role_arn is not None:
        principal = replace(principal, role_arn=values.role_arn)  # with the role's path, which the ARN drops
    context = dict(values.context)
    for key, value in derived_context(principal).items():
        context.setdefault(key, (value,))
    multi = frozenset(key for key in values.context if key in set(multivalued))
    return Request(principal, values.action, values.resource, values.resource_account, context, multi)


def with_network_keys(request: Request, read: Collection[str], accept: Callable[[Request], bool]) -> Request:
    """The request with the network keys no policy reads filled in as AWS sends
    them (`evaluation.network.completions`, most likely first), the first such
    request `accept`s (the same decisions, the same request space); else as it is."""
    for candidate in completions(request, read):
        if candidate is request or accept(candidate):
            return candidate
    return request


def replay(request: Request, policies: PolicySet, expected: Decision | set[Decision]) -> Witness:
    """Evaluate the decoded request; a witness that does not give the claimed
    decision is a bug in an encoding, never shown as a result."""
    result = evaluate(request, policies)
    wanted = expected if isinstance(expected, set) else {expected}
    if result.decision not in wanted:
        claimed = ", ".join(sorted(d.value for d in wanted))
        raise WitnessError(f"the solver's witness does not replay: the evaluator says {result.decision.value}, "
                           f"the encoding claimed {claimed} (request {request.principal.text} "
                           f"{request.action} {request.resource})")
    return Witness(request, result)


def with_space_keys(witness: Witness, space: RequestSpace, policies: PolicySet) -> Witness:
    """The witness with the values the space fixes (`EQUALS`) for keys it lacks: keys
    no policy reads, which the solver leaves out, but AWS would send (the caller's
    organization, the endpoint an invariant is about). Kept only if the evaluator
    still decides the same (it must: no policy reads them)."""
    request = witness.request
    added = {c.key.lower(): (c.values[0],) for c in space.context
             if c.op is ConstraintOp.EQUALS and c.values and c.key.lower() not in request.context}
    if not added:
        return witness
    fuller = replace(request, context={**request.context, **added})
    result = evaluate(fuller, policies)
    if result.decision is not witness.result.decision:
        return witness
    return Witness(fuller, result)
