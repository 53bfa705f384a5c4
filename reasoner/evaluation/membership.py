"""Does a concrete request lie in a `RequestSpace`? The evaluator's side of
`encodings/spaces.py`: a solver's witness is checked against the space it was
asked about, so that a finding is never shown for a request outside its claim
(which would be a bug in the encoding of the space)."""

from __future__ import annotations

from collections.abc import Collection

from reasoner.evaluation.evaluate import Context, resource_applies
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint, RequestSpace
from reasoner.policy.matching import action_matches, glob_match, parse_ip, parse_network, parse_number
from reasoner.policy.model import Effect, PrincipalKind, Request, Statement

_ROLE_KINDS = (PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION)


def outside_space(space: RequestSpace, request: Request, read_keys: Collection[str]) -> str | None:
    """The first field of `space` that `request` breaks, or None when it lies in
    the space. Context and tag constraints count only on `read_keys` (lower-cased):
    the encoding leaves the other keys free, since no policy can see them."""
    principal = request.principal
    if principal.kind not in space.kinds:
        return "kinds"
    if space.accounts and principal.account not in space.accounts:
        return "accounts"
    if principal.account is not None and principal.account in space.not_accounts:
        return "not_accounts"
    if space.principal_arn is not None and not _is_named(space.principal_arn, request):
        return "principal_arn"
    arn = principal.role_arn if principal.kind in _ROLE_KINDS else principal.arn
    if space.principal_arn_patterns and (arn is None or not any(glob_match(p, arn)
                                                               for p in space.principal_arn_patterns)):
        return "principal_arn_patterns"
    if arn is not None and any(glob_match(p, arn) for p in space.not_principal_arn_patterns):
        return "not_principal_arn_patterns"
    if principal.kind is PrincipalKind.SERVICE and principal.name in space.not_services:
        return "not_services"
    if space.actions and not any(action_matches(p, request.action) for p in space.actions):
        return "actions"
    if any(action_matches(p, request.action) for p in space.not_actions):
        return "not_actions"
    context = Context.of(request)
    if space.resources and not resource_applies(_any_action(space.resources), context, False):
        return "resources"
    if space.not_resources and resource_applies(_any_action(space.not_resources), context, False):
        return "not_resources"
    if space.resource_account is not None and request.resource_account != space.resource_account:
        return "resource_account"
    if space.not_resource_accounts and (request.resource_account is None
                                        or request.resource_account in space.not_resource_accounts):
        return "not_resource_accounts"
    if space.session_names and principal.kind is PrincipalKind.ROLE_SESSION and not any(
            glob_match(p, principal.session_name or "") for p in space.session_names):
        return "session_names"
    read = {key.lower() for key in read_keys}
    for constraint in space.context:
        if constraint.key.lower() in read and not _holds(constraint, context):
            return f"context {constraint.key}"
    for prefix, tags in (("aws:resourcetag/", space.resource_tags), ("aws:principaltag/", space.principal_tags)):
        if tags is not None and not _exact_tags(prefix, tags, context, read):
            return prefix.rstrip("/")
    return None


def _any_action(resources: tuple[str, ...]) -> Statement:
    return Statement(0, Effect.ALLOW, actions=("*",), resources=resources)


def _is_named(declared: str, request: Request) -> bool:
    """The caller is the declared user, or the declared role or one of its
    sessions (whose role ARN keeps the role's path, §6)."""
    principal = request.principal
    if ":role/" not in declared:
        return principal.arn == declared
    return principal.kind in _ROLE_KINDS and principal.role_arn == declared


def _holds(constraint: ContextConstraint, context: Context) -> bool:
    """On the values as policies see them (an empty list of a single-valued key is
    no value, §3.3)."""
    key = constraint.key.lower()
    op = constraint.op
    if op is ConstraintOp.PRESENT:
        return key in context.values
    if op is ConstraintOp.ABSENT:
        return key not in context.values
    values = context.values.get(key, ())
    if op in (ConstraintOp.EQUALS, ConstraintOp.LIKE, ConstraintOp.IP_IN):
        return bool(values) and all(_matches(constraint, value) for value in values)
    return not any(_matches(constraint, value) for value in values)


def _matches(constraint: ContextConstraint, value: str) -> bool:
    if constraint.op in (ConstraintOp.IP_IN, ConstraintOp.IP_NOT_IN):
        address = parse_ip(value)
        networks = [parse_network(v) for v in constraint.values]
        return address is not None and any(n is not None and address in n for n in networks)
    if constraint.op in (ConstraintOp.LIKE, ConstraintOp.NOT_LIKE):
        return any(glob_match(pattern, value) for pattern in constraint.values)
    return any(_equal(expected, value) for expected in constraint.values)


def _equal(expected: str, value: str) -> bool:
    """Equal as text, or as numbers or IP addresses when the key holds those."""
    if expected == value:
        return True
    numbers = parse_number(expected), parse_number(value)
    if numbers[0] is not None and numbers[0] == numbers[1]:
        return True
    addresses = parse_ip(expected), parse_ip(value)
    return addresses[0] is not None and addresses[0] == addresses[1]


def _exact_tags(prefix: str, tags: tuple[tuple[str, str], ...], context: Context, read: set[str]) -> bool:
    declared = {key.lower(): value for key, value in tags}
    for key in read:
        if not key.startswith(prefix):
            continue
        value = declared.get(key[len(prefix):])
        if value is None:
            if key in context.values:
                return False
        elif not _holds(ContextConstraint(key, ConstraintOp.EQUALS, (value,)), context):
            return False
    return True
