"""A set of requests, stated declaratively: which callers, actions, resources and
context. `prove` turns each invariant into request spaces over a policy set; the
SMT side (`encodings/spaces.py`) turns a space into constraints. No solver here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reasoner.policy.model import PrincipalKind


class ConstraintOp(Enum):
    EQUALS = "equals"  # the key has one of `values`
    NOT_EQUALS = "not_equals"  # the key is absent or has none of `values`
    LIKE = "like"  # matches one of the glob `values`
    NOT_LIKE = "not_like"
    IP_IN = "ip_in"  # an IP address inside one of the CIDR `values`
    IP_NOT_IN = "ip_not_in"
    PRESENT = "present"  # the key is in the request (values empty)
    ABSENT = "absent"


@dataclass(frozen=True)
class ContextConstraint:
    key: str
    op: ConstraintOp
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestSpace:
    """Requests that satisfy every field; an empty tuple leaves a field free."""

    kinds: tuple[PrincipalKind, ...]
    accounts: tuple[str, ...] = ()  # the caller's account is one of these
    not_accounts: tuple[str, ...] = ()  # ... and none of these (a caller without account passes)
    principal_arn: str | None = None  # one declared user or role (a role's sessions included)
    principal_arn_patterns: tuple[str, ...] = ()  # aws:PrincipalArn matches one (callers without one do not)
    not_principal_arn_patterns: tuple[str, ...] = ()
    not_services: tuple[str, ...] = ()  # service principals other than these
    actions: tuple[str, ...] = ()  # action globs
    not_actions: tuple[str, ...] = ()  # ... and none of these
    resources: tuple[str, ...] = ()  # Resource-element patterns
    not_resources: tuple[str, ...] = ()
    resource_account: str | None = None
    not_resource_accounts: tuple[str, ...] = ()  # owned by a known account, none of these
    context: tuple[ContextConstraint, ...] = ()
    # Exactly these tags (aws:ResourceTag/..., aws:PrincipalTag/...): every other tag
    # key is absent. None leaves tags free.
    resource_tags: tuple[tuple[str, str], ...] | None = None
    principal_tags: tuple[tuple[str, str], ...] | None = None
    session_names: tuple[str, ...] = ()  # a role session's name matches one of these globs


def in_organization(org: str) -> tuple[ContextConstraint, ...]:
    """A caller of the organization: its id, and organization paths under it."""
    return (ContextConstraint("aws:PrincipalOrgID", ConstraintOp.EQUALS, (org,)),
            ContextConstraint("aws:PrincipalOrgPaths", ConstraintOp.LIKE, (f"{org}/*",)))


def outside_organizations(orgs: tuple[str, ...]) -> tuple[ContextConstraint, ...]:
    """A caller of none of the organizations: another id or none, and no path
    under them (a path starts with its organization's id, which is unique)."""
    return (ContextConstraint("aws:PrincipalOrgID", ConstraintOp.NOT_EQUALS, orgs),
            ContextConstraint("aws:PrincipalOrgPaths", ConstraintOp.NOT_LIKE, tuple(f"{o}/*" for o in orgs)))
