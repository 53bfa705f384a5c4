"""What decides S3 and KMS requests besides policies, as a scenario states it:
ACLs, Object Ownership, Block Public Access, an access point and KMS grants
(docs/scenarios.md, "Buckets and keys"; the rules in docs/semantics.md).

Each is given inline or as a path to a JSON file beside the scenario, in the shape
the AWS API returns it (GetBucketAcl / GetObjectAcl, GetPublicAccessBlock,
GetBucketOwnershipControls's rule value, ListGrants). This module turns them into the
slots of a `PolicySet` that the evaluator and the encodings read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.acls import (
    OBJECT_OWNERSHIP,
    Acl,
    PublicAccessBlock,
    acl_policy,
    acls_disabled,
    combine_blocks,
    parse_acl,
    parse_public_access_block,
)
from reasoner.policy.kms_grants import KmsGrant, grants_policy, parse_grants
from reasoner.policy.model import AccessPoint, Policy, PolicySet, PolicyType
from reasoner.policy.parse import load_data_file
from reasoner.policy.references import PolicyReferences

BUCKET_KEYS = frozenset({"bucket_acl", "object_acl", "object_ownership", "public_access_block",
                         "acl_grantee_accounts", "kms_grants", "access_point"})
_PAB_LEVELS = ("account", "bucket", "access_point")
_ACCESS_POINT_KEYS = frozenset({"arn", "bucket", "bucket_account", "policy", "vpc_id"})


@dataclass(frozen=True)
class BucketFacts:
    bucket_acl: Acl | None = None
    object_acl: Acl | None = None
    object_ownership: str | None = None
    public_access_block: Mapping[str, PublicAccessBlock] = field(default_factory=dict)
    grantee_accounts: Mapping[str, str] = field(default_factory=dict)
    kms_grants: tuple[KmsGrant, ...] = ()
    grants_source: str = "<kms_grants>"
    access_point: AccessPoint | None = None


def _document(value: Any, source: str, base_dir: Path, path: str) -> tuple[Any, str]:
    """An inline value, or the JSON/YAML file a string names (relative to the scenario)."""
    if isinstance(value, str):
        full = Path(os.path.normpath(base_dir / value))
        if not full.is_file():
            raise InputError(source, path, f'file "{full}" not found')
        return load_data_file(full), str(full)
    return value, source


def read_bucket_facts(data: Mapping[str, Any], *, source: str, base_dir: Path,
                      policies: PolicyReferences) -> BucketFacts:
    facts: dict[str, Any] = {}
    for key in ("bucket_acl", "object_acl"):
        if data.get(key) is not None:
            document, where = _document(data[key], source, base_dir, key)
            facts[key] = parse_acl(document, where, key if where == source else "")
    ownership = data.get("object_ownership")
    if ownership is not None and ownership not in OBJECT_OWNERSHIP:
        raise InputError(source, "object_ownership", f"expected one of {', '.join(OBJECT_OWNERSHIP)}")
    facts["object_ownership"] = ownership
    raw_blocks = data.get("public_access_block")
    if raw_blocks is not None:
        if not isinstance(raw_blocks, dict):
            raise InputError(source, "public_access_block", f"expected an object with {', '.join(_PAB_LEVELS)}")
        blocks = {}
        for level, value in raw_blocks.items():
            path = f"public_access_block.{level}"
            if level not in _PAB_LEVELS:
                raise InputError(source, path, f"unknown level (expected one of {', '.join(_PAB_LEVELS)})")
            document, where = _document(value, source, base_dir, path)
            blocks[level] = parse_public_access_block(document, where, path if where == source else "")
        facts["public_access_block"] = blocks
    accounts = data.get("acl_grantee_accounts")
    if accounts is not None:
        if not isinstance(accounts, dict) or not all(isinstance(k, str) and isinstance(v, str) and len(v) == 12
                                                      and v.isdigit() for k, v in accounts.items()):
            raise InputError(source, "acl_grantee_accounts",
                             "expected an object from canonical user ids or e-mail addresses to 12-digit accounts")
        facts["grantee_accounts"] = dict(accounts)
    if data.get("kms_grants") is not None:
        document, where = _document(data["kms_grants"], source, base_dir, "kms_grants")
        facts["kms_grants"] = parse_grants(document, where, "kms_grants" if where == source else "")
        facts["grants_source"] = where if where != source else f"{source}: kms_grants"
    if data.get("access_point") is not None:
        facts["access_point"] = _access_point(data["access_point"], source, policies)
    return BucketFacts(**facts)


def _access_point(value: Any, source: str, policies: PolicyReferences) -> AccessPoint:
    if not isinstance(value, dict):
        raise InputError(source, "access_point", "expected an object with arn, bucket, bucket_account")
    for key in value:
        if key not in _ACCESS_POINT_KEYS:
            raise InputError(source, f"access_point.{key}",
                             f"unknown key (expected one of {', '.join(sorted(_ACCESS_POINT_KEYS))})")
    arn = value.get("arn")
    fields = arn.split(":") if isinstance(arn, str) else []
    if len(fields) != 6 or fields[2] != "s3" or not fields[5].startswith("accesspoint/") or "/" in fields[5][12:] \
            or not (len(fields[4]) == 12 and fields[4].isdigit()):
        raise InputError(source, "access_point.arn",
                         "expected an access point ARN (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME)")
    for key in ("bucket", "bucket_account"):
        if not isinstance(value.get(key), str) or not value[key]:
            raise InputError(source, f"access_point.{key}", "expected a non-empty string")
    if not (len(value["bucket_account"]) == 12 and value["bucket_account"].isdigit()):
        raise InputError(source, "access_point.bucket_account", "expected a 12-digit account id")
    vpc = value.get("vpc_id")
    if vpc is not None and (not isinstance(vpc, str) or not vpc.startswith("vpc-")):
        raise InputError(source, "access_point.vpc_id", "expected a VPC id (vpc-...)")
    policy: Policy | None = None
    if value.get("policy") is not None:
        policy = policies.one(value["policy"], "access_point.policy", PolicyType.RESOURCE)
    assert isinstance(arn, str)
    return AccessPoint(arn, value["bucket"], value["bucket_account"], policy, vpc)


def _bucket_and_key(resource: str, access_point: AccessPoint | None) -> tuple[str, str | None] | None:
    """(bucket ARN, object ARN or None) of the request's resource, as S3 sees it."""
    if access_point is not None:
        from reasoner.evaluation.access_points import bucket_resource, covers

        if covers(access_point, resource):
            resource = bucket_resource(access_point, resource)
    fields = resource.split(":", 5)
    if len(fields) != 6 or fields[2] != "s3" or fields[3] or fields[4]:
        return None
    bucket, _, key = fields[5].partition("/")
    prefix = ":".join(fields[:5])
    return f"{prefix}:{bucket}", (f"{prefix}:{bucket}/{key}" if key else None)


def with_bucket_facts(policies: PolicySet, facts: BucketFacts, resource: str) -> PolicySet:
    """The policy set with the ACLs in force, Block Public Access's restriction, the
    access point and the grants. Account and bucket settings combine for requests on
    the bucket; the access point's too for requests through it (S3 User Guide,
    "Blocking public access to your Amazon S3 storage")."""
    levels = facts.public_access_block
    on_bucket = combine_blocks(levels.get("account"), levels.get("bucket"))
    through = combine_blocks(levels.get("account"), levels.get("bucket"), levels.get("access_point"))
    access_point = facts.access_point
    if access_point is not None:
        access_point = replace(access_point, restrict_public=bool(through and through.restrict_public_buckets))
    in_force = through if access_point is not None else on_bucket
    ignore_public = in_force is not None and in_force.ignore_public_acls
    acls: list[Policy] = []
    where = _bucket_and_key(resource, access_point)
    if where is not None and not acls_disabled(facts.object_ownership):
        bucket, key = where
        if facts.bucket_acl is not None:
            acls.append(acl_policy(facts.bucket_acl, bucket, on_object=False, slot="bucket_acl",
                                   accounts=facts.grantee_accounts, ignore_public=ignore_public))
        if facts.object_acl is not None and key is not None:
            acls.append(acl_policy(facts.object_acl, key, on_object=True, slot="object_acl",
                                   accounts=facts.grantee_accounts, ignore_public=ignore_public))
    grants = grants_policy(facts.kms_grants, facts.grants_source) if facts.kms_grants else None
    return replace(policies, acls=tuple(acls), kms_grants=grants, access_point=access_point,
                   restrict_public_buckets=bool(on_bucket and on_bucket.restrict_public_buckets))
