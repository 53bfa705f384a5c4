"""no-public-access for a bucket or an access point with what else S3 decides public
access with: the bucket's ACL and Block Public Access (`check no-public-access --acl
FILE --public-access-block FILE`), and which of them decided (docs/check.md).

The policy and the ACL are each checked by the one meaning of public (interface.md,
"Public"): the ACL as the resource-based statements it amounts to
(reasoner.policy.acls). Then Block Public Access, as AWS applies it (S3 User Guide,
"Blocking public access to your Amazon S3 storage"): `RestrictPublicBuckets` keeps a
public policy from anyone outside the owner's account but AWS service principals,
so its public grants reach no outsider; `IgnorePublicAcls` ignores the ACL's public
grants; `BlockPublicPolicy` and `BlockPublicAcls` act when a policy or ACL is put, so
a public one they would have rejected is reported as such, and still counts.
"""

from __future__ import annotations

from dataclasses import replace

from reasoner.policy.acls import Acl, PublicAccessBlock, acl_policy
from reasoner.policy.model import Policy, Result
from reasoner.policy.resource_types import ResourceType
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache
from reasoner.solving.query import CheckResult

_RANK = {"PASS": 0, "UNKNOWN": 1, "FAIL": 2}


def bucket_of(policy: Policy) -> str:
    """The bucket's ARN for the ACL's statements: the one bucket the policy names, or
    any bucket (`arn:aws:s3:::*`) when it names none or several."""
    found = set()
    for statement in policy.statements:
        for pattern in (*(statement.resources or ()), *(statement.not_resources or ())):
            fields = pattern.split(":", 5)
            if len(fields) == 6 and fields[2] == "s3" and not fields[3] and not fields[4]:
                name = fields[5].split("/", 1)[0]
                if name and "*" not in name and "?" not in name:
                    found.add(f"{':'.join(fields[:5])}:{name}")
    return found.pop() if len(found) == 1 else "arn:aws:s3:::*"


def _as_acl(result: CheckResult) -> CheckResult:
    """The ACL's check, its statements named `bucket_acl` (statement i is grant i)."""
    witness = result.witness
    if witness is None:
        return result
    refs = tuple(replace(ref, policy="bucket_acl") if ref.policy == "resource_policy" else ref
                 for ref in witness.result.determining)
    reasons = tuple(reason.replace("the resource policy", "the bucket ACL") for reason in result.reasons)
    return replace(result, witness=replace(witness, result=Result(witness.result.decision, refs,
                                                                  witness.result.blocked_by)), reasons=reasons)


def check_public_with_bucket_facts(policy: Policy, kind: ResourceType, *, acl: Acl | None,
                                   block: PublicAccessBlock | None, budget: Budget = DEFAULT_BUDGET,
                                   max_ipv4_prefix_width: int = 8, max_ipv6_prefix_width: int = 32,
                                   cache: ResultCache | None = None) -> CheckResult:
    from reasoner.checks.run import check_no_public_access

    def check(checked: Policy) -> CheckResult:
        return check_no_public_access(checked, kind, budget=budget, cache=cache,
                                      max_ipv4_prefix_width=max_ipv4_prefix_width,
                                      max_ipv6_prefix_width=max_ipv6_prefix_width)

    block = block or PublicAccessBlock()
    notes: list[str] = []
    parts: dict[str, CheckResult] = {}  # "policy", "acl": the answers that count
    blocked = False  # Block Public Access cut a public grant
    found = check(policy)
    if found.result == "FAIL" and block.block_public_policy:
        notes.append("BlockPublicPolicy would have rejected this policy: it is public")
    if found.result == "FAIL" and block.restrict_public_buckets:
        blocked = True
        notes.append("the policy is public, but RestrictPublicBuckets limits it to the owner's account and "
                     "AWS service principals")
        parts["policy"] = replace(found, result="PASS", witness=None, reasons=())
    else:
        parts["policy"] = found
    if acl is not None:
        if acl.is_public and block.block_public_acls:
            notes.append("BlockPublicAcls would have rejected this ACL: it is public")
        if acl.is_public and block.ignore_public_acls:
            blocked = True
            notes.append("the ACL grants " + ", ".join(g.label for g in acl.grants if g.is_public)
                         + ", but IgnorePublicAcls ignores those grants")
        parts["acl"] = _as_acl(check(acl_policy(acl, bucket_of(policy), on_object=False, slot="bucket_acl",
                                               ignore_public=block.ignore_public_acls)))
    worst = max(parts.values(), key=lambda part: _RANK[part.result])
    if worst.result == "PASS":
        decided = [*parts, *(["public_access_block"] if blocked else [])]
    else:
        decided = [name for name, part in parts.items() if part.result == worst.result]
    return replace(worst, reasons=(*worst.reasons, *notes), decided_by=tuple(decided),
                   seconds=sum(part.seconds for part in parts.values()),
                   work=sum(part.work for part in parts.values()))
