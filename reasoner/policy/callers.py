"""Who can make which request at all: the one rule every edge, space and proof follows.

A role session is made by `sts:AssumeRole`, `sts:AssumeRoleWithSAML` and
`sts:AssumeRoleWithWebIdentity` (STS API reference). Nobody of these kinds makes such a
call:

- an anonymous caller: STS takes no unsigned `AssumeRole` ("You must use credentials
  for an IAM user or an IAM role to call AssumeRole", STS API reference, AssumeRole);
  the two unsigned calls carry an OIDC or SAML token, and their caller is that
  identity (`PrincipalKind.WEB_IDENTITY`), not an anonymous one;
- a root user: "You cannot call AssumeRole with the access keys for the root user";
- a federated user: GetFederationToken credentials call no STS operation but
  GetCallerIdentity (STS API reference, GetFederationToken).
"""

from __future__ import annotations

from collections.abc import Sequence

from reasoner.policy.matching import action_matches
from reasoner.policy.model import Effect, Policy, PrincipalKind

ROLE_ASSUMPTION = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")
NEVER_ASSUMES = (PrincipalKind.ANONYMOUS, PrincipalKind.ACCOUNT_ROOT, PrincipalKind.FEDERATED_USER)


_ASSUMPTION_NAMES = frozenset(call.lower() for call in ROLE_ASSUMPTION)


def assumes_role(action: str) -> bool:
    """Is `action` a role assumption (names are case-insensitive, §1.6)?"""
    return action.lower() in _ASSUMPTION_NAMES


def calling_kinds(kinds: tuple[PrincipalKind, ...], actions: Sequence[str]) -> tuple[PrincipalKind, ...]:
    """The caller kinds among `kinds` that can make a request for one of `actions`.
    Empty: the caller makes no such request (an anonymous caller on `sts:AssumeRole`).
    A space mixing other actions keeps every kind: the encoding's principal shape
    (`encodings.wellformed`) applies the same rule to each request."""
    if not actions or not all(assumes_role(action) for action in actions):
        return kinds
    return tuple(kind for kind in kinds if kind not in NEVER_ASSUMES)


def may_grant(identity_policies: Sequence[Policy], actions: Sequence[str]) -> bool:
    """Could some Allow statement of the identity policies grant one of `actions` (under
    some condition, on some resource)? False only when none names any of them: a
    request needing those policies' Allow (§5.4, cross-account) is then denied. An
    action with a wildcard is taken as granted."""
    if any("*" in action or "?" in action for action in actions):
        return True
    for policy in identity_policies:
        for statement in policy.statements:
            if statement.effect is not Effect.ALLOW:
                continue
            if statement.not_actions is not None:
                if not all(any(action_matches(p, a) for p in statement.not_actions) for a in actions):
                    return True
            elif any(action_matches(p, a) for p in statement.actions or () for a in actions):
                return True
    return False
