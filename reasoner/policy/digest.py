"""Digests of policies by their text, whatever file and line they came from: equal
policies give equal keys (edges decided alike, symmetry classes, caches)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Policy, PolicySet

_DIGESTS: IdentityMemo[Policy, str] = IdentityMemo()


def policy_digest(policy: Policy | None) -> str | None:
    """A digest of the policy's text, whatever file and line it came from."""
    if policy is None:
        return None
    return _DIGESTS.get(policy, lambda: _text_digest(policy))


def _text_digest(policy: Policy) -> str:
    text = repr((policy.policy_type.value, policy.version, tuple(replace(s, line=None) for s in policy.statements)))
    return hashlib.sha256(text.encode()).hexdigest()


def policy_set_key(policies: PolicySet) -> tuple[object, ...]:
    """Equal for policy sets of equal texts, whatever files they came from: every
    field of the set (one item each, in order), each policy by its digest, an ACL
    with its name (which says whether it is the bucket's or the object's)."""
    point = policies.access_point
    return (tuple(map(policy_digest, policies.identity_policies)), policy_digest(policies.permissions_boundary),
            policy_digest(policies.session_policy), tuple(tuple(map(policy_digest, level)) for level in policies.scps),
            tuple(tuple(map(policy_digest, level)) for level in policies.rcps),
            policy_digest(policies.resource_policy), policy_digest(policies.vpc_endpoint_policy),
            policies.management_account, policies.standalone,
            tuple((acl.name, policy_digest(acl)) for acl in policies.acls), policy_digest(policies.kms_grants),
            policies.restrict_public_buckets, policies.resource_policy_public,
            None if point is None else (replace(point, policy=None), policy_digest(point.policy)))
