"""Whether a bucket or access point policy is public, for Block Public Access's
RestrictPublicBuckets: decided by the no-public-access check, the one meaning of
public (interface.md, "Public"; S3 User Guide, "Blocking public access", "The
meaning of public"). A policy the check cannot decide (UNKNOWN) is taken as not
public, so the restriction then cuts no access: a perimeter proof over-counts
access, never under-counts it."""

from __future__ import annotations

import functools
from dataclasses import replace

from reasoner.policy.model import Policy, PolicySet
from reasoner.policy.resource_types import resource_type
from reasoner.solving.budget import DEFAULT_BUDGET, Budget


@functools.lru_cache(maxsize=1024)
def policy_is_public(policy: Policy, kind: str, *, budget: Budget = DEFAULT_BUDGET) -> bool | None:
    """True when no-public-access FAILs for the policy, False when it PASSes, None when UNKNOWN."""
    from reasoner.checks.run import check_no_public_access

    answer = check_no_public_access(policy, resource_type(kind), budget=budget).result
    return {"FAIL": True, "PASS": False}.get(answer)


def with_public_facts(policies: PolicySet, *, budget: Budget = DEFAULT_BUDGET) -> PolicySet:
    """Fill in whether the resource policy (and the access point policy) is public,
    where RestrictPublicBuckets makes it matter."""
    if policies.restrict_public_buckets and policies.resource_policy is not None \
            and policies.resource_policy_public is None:
        policies = replace(policies, resource_policy_public=policy_is_public(policies.resource_policy,
                                                                             "AWS::S3::Bucket", budget=budget))
    point = policies.access_point
    if point is not None and point.restrict_public and point.policy is not None and point.policy_public is None:
        policies = replace(policies, access_point=replace(
            point, policy_public=policy_is_public(point.policy, "AWS::S3::AccessPoint", budget=budget)))
    return policies
