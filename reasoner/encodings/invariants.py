"""A request space over a policy set as a query: is there a request in the space
whose decision breaks the expectation, outside the classes already found?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import z3

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.options import DEFAULT as DEFAULT_ENCODING
from reasoner.encodings.options import EncodingOptions
from reasoner.encodings.queries import Query, Refinement, Replay
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.spaces import space_constraints, statement_indicators
from reasoner.encodings.terms import all_of, not_
from reasoner.encodings.wellformed import (
    aws_context,
    principal_shape,
    resource_arn_facts,
    s3_resource_levels,
    typing_groups,
)
from reasoner.evaluation.action_types import resource_fits_action
from reasoner.evaluation.evaluate import policy_slots
from reasoner.evaluation.membership import outside_space
from reasoner.evaluation.spaces import RequestSpace
from reasoner.policy.action_resources import TypeShape, types_of
from reasoner.policy.matching import action_matches
from reasoner.policy.model import Decision, PolicySet, PrincipalKind, Request


@dataclass(frozen=True)
class FoundClass:
    """A class of requests already reported: these statements applied, for a caller
    of these kinds. With no kinds, each of the statements is blocked on its own."""

    statements: tuple[tuple[str, int], ...]
    kinds: tuple[PrincipalKind, ...]


def _policies_of(policies: PolicySet) -> list[object]:
    return [slot.policy for slot in policy_slots(policies)]


def space_replays(policies: PolicySet, *, want_allowed: bool) -> tuple[Replay, ...]:
    """What a witness of `space_query` must be: allowed (`want_allowed`) or not."""
    decisions = frozenset({Decision.ALLOW}) if want_allowed else frozenset({Decision.EXPLICIT_DENY,
                                                                             Decision.IMPLICIT_DENY})
    return (Replay(policies, decisions),)


def space_types(space: RequestSpace) -> tuple[TypeShape, ...]:
    """The resource types the catalogue lists for the space's actions named without
    wildcards, each with the space's actions only: where a witness's action and
    resource lie (none when an action is a glob)."""
    if not space.actions or any("*" in action or "?" in action for action in space.actions):
        return ()
    shapes = dict.fromkeys(shape for action in space.actions for shape in types_of(action))
    return tuple(replace(shape, actions=tuple(a for a in shape.actions
                                              if any(action_matches(named, a) for named in space.actions)))
                 for shape in shapes)


def space_query(policies: PolicySet, space: RequestSpace, *, want_allowed: bool,
                found: Sequence[FoundClass] = (), encoding: EncodingOptions = DEFAULT_ENCODING) -> Query:
    """Satisfiable iff some request of the space is allowed (`want_allowed`) or not
    allowed, and is not in a class already found."""
    from reasoner.policy.model import Policy

    listed = [p for p in _policies_of(policies) if isinstance(p, Policy)]
    sym = SymbolicRequest.for_policies(listed, name="space", options=encoding,
                                       also_keys=[c.key for c in space.context])
    chain = encode_chain(policies, sym)
    target = chain.allow if want_allowed else not_(chain.allow)
    facts: list[z3.BoolRef] = [*sym.domain_constraints(), *principal_shape(sym, "space"), *aws_context(sym),
                               *resource_arn_facts(sym), *s3_resource_levels(sym), *space_constraints(sym, space),
                               target]
    for known in found:
        indicators = statement_indicators(chain.slots, known.statements)
        if known.kinds:
            facts.append(not_(all_of([*indicators, sym.kind_is(*known.kinds)])))
        else:
            facts.extend(not_(indicator) for indicator in indicators)
    read_keys = frozenset(sym.keys)

    def in_space(request: Request) -> bool:
        return outside_space(space, request, read_keys) is None

    # An allowed request names a resource of a type the catalogue lists for its action
    # (docs/semantics.md, "Resource types of an action"), stated when a witness breaks
    # it (queries.Refinement), for the actions an Allow of the policies matches, or
    # any action where a root user may call (its own account allows it everything)
    groups = tuple(typing_groups(sym, listed, space.actions or None,
                                 every_action=PrincipalKind.ACCOUNT_ROOT in space.kinds)) if want_allowed else ()
    typing = (("a request on a resource of a type the catalogue lists for its action",
               lambda request: resource_fits_action(request.action, request.resource)),) if groups else ()
    return Query("space", sym, tuple(facts), space_replays(policies, want_allowed=want_allowed), tuple(listed),
                 resource_types=space_types(space), resource_hints=space.resources, owner=space.resource_account,
                 membership=(("in the request space asked about", in_space), *typing),
                 refinement=Refinement(sym, groups) if groups else None)
