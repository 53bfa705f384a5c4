"""Concrete requests likely to break a property, guessed from the policies' own
text and put to the reference evaluator before the solver sees them.

On some queries z3 spends seconds choosing the strings of a witness (a bucket name
outside a Deny's pattern, an `aws:Referer` that a glob accepts, an S3 action out
of `s3:*`) that it checks in milliseconds once they are chosen. A guess is a whole
request: a caller of a common kind in one of the likely account pairs, an action
the policies allow on a resource of a type that action takes (the policies'
Resource patterns filled in, else the type's ARN format), and the text keys the
policies test at the first values they test them against. `solving.query` asserts
a guess the evaluator lets through as a sub-case with every term fixed: a SAT is
a model of the whole query (so a witness, replayed like any other), an UNSAT
proves nothing and the case split goes on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

from reasoner.encodings.wellformed import CROSS_SERVICE_KEYS
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import derived_context
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.action_resources import TypeShape, actions_listing_key, candidates, types_of
from reasoner.policy.matching import action_matches, glob_match
from reasoner.policy.model import Effect, Policy, Principal, PrincipalKind, Request

NAME, SESSION = "a", "aa"  # short readable names (a session name has at least 2 characters)
MAX_TARGETS = 3  # (action, resource) pairs guessed
MAX_ACTIONS_PER_TYPE = 2
MAX_SERVICES = 2
MAX_NAMED_CALLERS = 2


def _callers(account: str, services: Sequence[str]) -> list[tuple[PrincipalKind, str]]:
    """A caller of each common kind in `account`, most likely witness first
    (request.KIND_ORDER), then the `services`."""
    return [(PrincipalKind.USER, f"arn:aws:iam::{account}:user/{NAME}"),
            (PrincipalKind.ROLE_SESSION, f"arn:aws:sts::{account}:assumed-role/{NAME}/{SESSION}"),
            (PrincipalKind.ANONYMOUS, "anonymous"),
            (PrincipalKind.ACCOUNT_ROOT, f"arn:aws:iam::{account}:root"),
            (PrincipalKind.ROLE, f"arn:aws:iam::{account}:role/{NAME}"),
            *((PrincipalKind.SERVICE, service) for service in services)]


def _services(policies: Sequence[Policy]) -> list[str]:
    """The service principals the Allow statements name (the last policy's first), a
    few: a trust policy's new access is often one more service."""
    named = [service for policy in reversed(policies) for statement in policy.statements
             if statement.effect is Effect.ALLOW and statement.principal is not None
             for service in statement.principal.service if _literal(service)]
    return list(dict.fromkeys(named))[:MAX_SERVICES]


_ACCOUNT = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"arn:aws:iam::(\d{12}):(root|user/[\w+=,.@/-]+|role/[\w+=,.@/-]+)")


def named_callers(policies: Sequence[Policy]) -> list[str]:
    """Callers the last policy's Allow statements name: the accounts and IAM ARNs
    of its Principal elements and the `aws:PrincipalArn` values its conditions test
    without wildcards, as a caller each (a user in a named account, a session of a
    named role). In a comparison, the new access is often just such a caller."""
    named: list[str] = []
    for statement in policies[-1].statements if policies else ():
        if statement.effect is not Effect.ALLOW:
            continue
        texts = [*(statement.principal.aws if statement.principal is not None else ()),
                 *(value for condition in statement.conditions if condition.key_lower == "aws:principalarn"
                   and not condition.negated for value in condition.values)]
        for text in texts:
            if _ACCOUNT.fullmatch(text):
                named.append(f"arn:aws:iam::{text}:user/{NAME}")
                continue
            found = _IAM_ARN.fullmatch(text)
            if found is None:
                continue
            account, resource = found.groups()
            if resource == "root":
                named.append(f"arn:aws:iam::{account}:user/{NAME}")
            elif resource.startswith("role/"):
                named.append(f"arn:aws:sts::{account}:assumed-role/{resource.rsplit('/', 1)[-1]}/{SESSION}")
            else:
                named.append(text)
    return list(dict.fromkeys(named))[:MAX_NAMED_CALLERS]


MAX_PATTERN_CALLERS = 2


def pattern_callers(policies: Sequence[Policy], account: str) -> list[str]:
    """Callers in `account` that fit the `aws:PrincipalArn` globs the Allow
    statements test (`arn:aws:iam::*:role/reports-reader`), the last policy's first:
    the account field filled in with `account` when its glob takes it, any other
    wildcard read as a short name; a session of a role without a path, else the IAM
    ARN itself. A grant to such a glob reaches only callers that fit it, and z3 is
    slow to choose an ARN that does."""
    found: list[str] = []
    for policy in reversed(policies):
        for statement in policy.statements:
            if statement.effect is not Effect.ALLOW:
                continue
            for condition in statement.conditions:
                if condition.key_lower != "aws:principalarn" or condition.negated or "Like" not in condition.base:
                    continue
                for value in condition.values:
                    caller = _fitting_caller(value, account)
                    if caller is not None:
                        found.append(caller)
    return list(dict.fromkeys(found))[:MAX_PATTERN_CALLERS]


def _fitting_caller(pattern: str, account: str) -> str | None:
    """A caller in `account` whose principal ARN the glob `pattern` matches, or None."""
    parts = pattern.split(":", 5)
    if _literal(pattern) or "$" in pattern or len(parts) != 6 or not glob_match(parts[4], account):
        return None
    arn = f"arn:aws:iam::{account}:{_filled(parts[5])}"
    found = _IAM_ARN.fullmatch(arn)
    if found is None or not glob_match(pattern, arn, ignore_case=True):
        return None
    resource = found.group(2)
    if resource.startswith("role/") and resource.count("/") == 1:
        return f"arn:aws:sts::{account}:assumed-role/{resource[len('role/'):]}/{SESSION}"
    return arn


def _filled(glob: str) -> str:
    """The glob with each wildcard read as a short name (`*` as `a`, `?` as `a`)."""
    return glob.replace("*", NAME).replace("?", NAME)


def _allowed_patterns(policies: Sequence[Policy]) -> list[str]:
    """The Action patterns of the Allow statements, the last policy's first (in a
    comparison, the new policy is last)."""
    return [pattern for policy in reversed(policies) for statement in policy.statements
            if statement.effect is Effect.ALLOW for pattern in statement.actions or ()]


def _allows(patterns: Sequence[str], action: str) -> bool:
    return any(action_matches(pattern, action) for pattern in patterns)


def _likelihood(action: str, named: Sequence[str], listings: Sequence[frozenset[str]]) -> tuple[bool, bool, int, str]:
    """A sort key: the actions the catalogue lists every tested service key for
    first (AWS sends `s3:prefix` with `s3:ListBucket` only), then those the policies
    name, then reads (`Get`, then `List`), then the rest, by name."""
    verb = action.split(":", 1)[-1]
    return (not _takes(action, listings),
            not any(action.lower() == n.lower() for n in named),
            0 if verb.startswith("Get") else 1 if verb.startswith("List") else 2, action)


def _takes(action: str, listings: Sequence[frozenset[str]]) -> bool:
    return all(action.lower() in listing for listing in listings)


@functools.lru_cache(maxsize=256)
def _listings(keys: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """For each of `keys` that is a service's own condition key, the (lower-cased)
    actions the catalogue lists it for."""
    found = (None if key in CROSS_SERVICE_KEYS else actions_listing_key(key) for key in keys)
    return tuple(frozenset(listing) for listing in found if listing)


@functools.lru_cache(maxsize=1024)
def _likely_actions(actions: tuple[str, ...], allowed: tuple[str, ...], named: tuple[str, ...],
                    keys: tuple[str, ...]) -> tuple[str, ...]:
    """The first of `actions` the `allowed` patterns match, most likely first
    (`_likelihood`, with the tested `keys`): the same few for every owner and every
    policy with these patterns and keys, so kept for the run."""
    listings = _listings(keys)
    return tuple(sorted((a for a in actions if _allows(allowed, a)),
                        key=lambda a: _likelihood(a, named, listings))[:MAX_ACTIONS_PER_TYPE])


def _literal(pattern: str) -> bool:
    return "*" not in pattern and "?" not in pattern


def targets(policies: Sequence[Policy], shapes: Sequence[TypeShape], resource_patterns: Sequence[str],
            owner: str, expand: Callable[[str], list[str]],
            denied_patterns: Sequence[str] = (), keys: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(action, resource) pairs: with `shapes` (the resource types the question is
    about), an example resource of each type with the allowed actions that take it
    (those that take the tested `keys`, then those the policies name, first); else
    each allowed action (named ones first,
    then those a Deny names that the last policy allows, where a comparison's new
    access often lies, then the first few a wildcard stands for, `expand`) on an
    example of a type it takes (from the allowed Resource patterns, then the
    `denied_patterns`), or `*`."""
    allowed = _allowed_patterns(policies)
    named = [p for p in allowed if _literal(p)]
    found: list[tuple[str, str]] = []
    if shapes:
        for shape, resource in candidates(shapes, resource_patterns, owner):
            found += [(action, resource)
                      for action in _likely_actions(shape.actions, tuple(allowed), tuple(named), tuple(keys))]
        listings = _listings(tuple(keys))
        found.sort(key=lambda target: not _takes(target[0], listings))  # stable: each type's order stays
    else:
        newest = _allowed_patterns(policies[-1:])
        denied = [action for policy in policies for statement in policy.statements
                  if statement.effect is Effect.DENY for action in statement.actions or ()
                  if _literal(action) and _allows(newest, action)]
        wild = [action for pattern in allowed if pattern not in named for action in expand(pattern)[:2]]
        for action in dict.fromkeys([*named, *denied, *wild]):
            examples = candidates(types_of(action), [*resource_patterns, *denied_patterns], owner)
            found += [(action, resource) for _, resource in examples[:1]] if examples else [(action, "*")]
    return list(dict.fromkeys(found))[:MAX_TARGETS]


def guesses(policies: Sequence[Policy], shapes: Sequence[TypeShape], resource_patterns: Sequence[str],
            accounts: Sequence[tuple[str, str]], texts: Mapping[str, str], multivalued: Iterable[str],
            expand: Callable[[str], list[str]], kinds: Collection[PrincipalKind],
            denied_patterns: Sequence[str] = (), first: Sequence[str] = ()) -> Iterator[Request]:
    """Whole requests, most likely first: the callers `first` (with each owner, and
    in their own account), then a caller of each of `kinds` (in the order of
    `_callers`; a service the policies name) in each (caller account, resource owner) pair, on each
    (action, resource) target, with the text keys at `texts` (the multivalued
    ones as one value) and the keys AWS derives from the caller."""
    multi = frozenset(key for key in texts if key in frozenset(multivalued))
    services = _services(policies)
    owners = list(dict.fromkeys(owner for _, owner in accounts))
    on: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str, str, str]] = set()
    callers = [(text, owner) for text in first for owner in [*owners, *_ACCOUNT.findall(text)[:1]]]
    callers += [(text, owner) for account, owner in accounts for text in pattern_callers(policies, account)]
    callers += [(_callers(account, services)[kind_index][1], owner)
                for kind_index, (kind, _) in enumerate(_callers("", services)) if kind in kinds
                for account, owner in accounts]
    parsed: dict[str, tuple[Principal, dict[str, tuple[str, ...]]] | None] = {}
    for text, owner in callers:
        if text not in parsed:
            parsed[text] = _caller(text, kinds, texts)
        caller = parsed[text]
        if caller is None:
            continue
        principal, context = caller
        if owner not in on:
            on[owner] = targets(policies, shapes, resource_patterns, owner, expand, denied_patterns, sorted(texts))
        for action, resource in on[owner]:
            if (text, action, resource, owner) in seen:  # an anonymous caller or a service has no account
                continue
            seen.add((text, action, resource, owner))
            yield Request(principal, action, resource, owner, dict(context), multi)


def _caller(text: str, kinds: Collection[PrincipalKind],
            texts: Mapping[str, str]) -> tuple[Principal, dict[str, tuple[str, ...]]] | None:
    """The principal `text` names and its context (the text keys at `texts`, and the
    keys AWS derives from it), or None when it is not one of `kinds`."""
    try:
        principal = parse_principal(text, source="guess")
    except InputError:
        return None
    if principal.kind not in kinds:
        return None
    context: dict[str, tuple[str, ...]] = {key: (value,) for key, value in texts.items()}
    context.update({key: (value,) for key, value in derived_context(principal).items()})
    return principal, context
