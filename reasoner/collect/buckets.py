"""What S3 and KMS decide with besides policies (docs/snapshots.md): a bucket's ACL,
Object Ownership, Block Public Access and (bounded) its objects' ACLs; the account's
canonical id and Block Public Access (`s3_accounts.json`); the access points with
their policies; a key's grants. Each in the shape the API returns it, trimmed to what
the analysis reads (no display names).

A part that cannot be read is named missing on its own (kinds in manifest.py), the
rest of the resource written: the analysis decides with a stand-in that allows
everything in place of an unread ACL or grant list, and makes a found path UNKNOWN
where unread Block Public Access or Object Ownership could have closed it.

Objects' ACLs: listing every object of every bucket is unbounded, so none are read
unless `--object-acls N` asks for the ACLs of up to N objects per bucket; a bucket
whose ACLs Object Ownership does not disable (`BucketOwnerEnforced`) and whose
objects were not all read is named missing (`object-acls`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from reasoner.collect.calls import CallFailed
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.documents import UnreadablePolicy, policy_document
from reasoner.collect.manifest import ACL, KMS_GRANTS, OBJECT_ACLS, OWNERSHIP, PUBLIC_ACCESS_BLOCK, RESOURCE, RESOURCES
from reasoner.errors import InputError
from reasoner.policy.acls import acls_disabled, parse_acl, parse_public_access_block
from reasoner.policy.kms_grants import parse_grants
from reasoner.policy.model import PolicyType

T = TypeVar("T")
_NO_BLOCK = "NoSuchPublicAccessBlockConfiguration"
_NO_OWNERSHIP = "OwnershipControlsNotFoundError"
_GRANT_KEYS = ("KeyId", "GrantId", "Name", "GranteePrincipal", "RetiringPrincipal", "IssuingAccount", "Operations",
               "Constraints")


class Unreadable(Exception):
    """A part AWS returned that the tool's reader rejects; the message says why."""


class Parts:
    """Reads the parts of one resource; a part that fails is named missing alone."""

    def __init__(self, ctx: AccountContext, region: str, arn: str) -> None:
        self.ctx, self.region, self.arn = ctx, region, arn

    def call(self, client: Any, method: str, absent: tuple[str, ...] = (), **params: Any) -> dict[str, Any] | None:
        return self.ctx.recorder.call(self.ctx.scope(self.region), client, method, target=self.arn, absent=absent,
                                      **params)

    def read(self, kind: str, reader: Callable[[], T]) -> tuple[bool, T | None]:
        """(read, the part); (False, None) after naming it missing."""
        try:
            return True, reader()
        except CallFailed as failed:
            reason = failed.reason
        except Unreadable as error:
            reason = f"not understood: {error}"
        self.lack(kind, reason)
        return False, None

    def lack(self, kind: str, reason: str) -> None:
        self.ctx.lack(kind, reason, account=self.ctx.account, region=self.region, arn=self.arn)


def acl_document(response: dict[str, Any] | None, where: str) -> dict[str, Any]:
    """GetBucketAcl / GetObjectAcl's answer without display names, checked to parse."""
    response = response or {}
    document: dict[str, Any] = {"Grants": [
        {"Grantee": {k: v for k, v in grant.get("Grantee", {}).items() if k != "DisplayName"},
         "Permission": grant.get("Permission")} for grant in response.get("Grants") or []]}
    owner = (response.get("Owner") or {}).get("ID")
    if owner:
        document["Owner"] = {"ID": owner}
    try:
        parse_acl(document, where)
    except InputError as error:
        raise Unreadable(f"{where}: {error.path + ': ' if error.path else ''}{error.message}") from None
    return document


def block_document(response: dict[str, Any] | None, where: str) -> dict[str, Any] | None:
    """GetPublicAccessBlock's answer (GetAccessPoint's configuration in the same shape);
    None when there is none."""
    configuration = (response or {}).get("PublicAccessBlockConfiguration")
    if configuration is None:
        return None
    document = {"PublicAccessBlockConfiguration": dict(configuration)}
    try:
        parse_public_access_block(document, where)
    except InputError as error:
        raise Unreadable(f"{where}: {error.path + ': ' if error.path else ''}{error.message}") from None
    return document


def bucket_parts(ctx: AccountContext, client: Any, region: str, name: str, arn: str,
                 object_acls: int) -> dict[str, Any]:
    """The bucket entry's acl, object_ownership, public_access_block and object_acls."""
    parts = Parts(ctx, region, arn)
    _, acl = parts.read(ACL, lambda: acl_document(parts.call(client, "get_bucket_acl", Bucket=name), arn))

    def ownership() -> str | None:
        rules = (parts.call(client, "get_bucket_ownership_controls", absent=(_NO_OWNERSHIP,), Bucket=name)
                 or {}).get("OwnershipControls", {}).get("Rules") or []
        return str(rules[0]["ObjectOwnership"]) if rules else None

    known, owned = parts.read(OWNERSHIP, ownership)
    _, block = parts.read(PUBLIC_ACCESS_BLOCK, lambda: block_document(
        parts.call(client, "get_public_access_block", absent=(_NO_BLOCK,), Bucket=name), arn))
    objects = None
    if not (known and acls_disabled(owned)):
        objects = _object_acls(parts, client, name, object_acls, owned if known else "not known")
    return {"acl": acl, "object_ownership": owned, "public_access_block": block, "object_acls": objects or None}


def _object_acls(parts: Parts, client: Any, name: str, limit: int, ownership: str | None) -> dict[str, Any]:
    """The ACLs of up to `limit` objects; the bucket named missing unless they are all
    the objects' ACLs (every current object read, the bucket never versioned)."""
    why = f"Object Ownership is {ownership or 'ObjectWriter (none set)'}: ACLs are in force"
    if limit <= 0:
        parts.lack(OBJECT_ACLS, f"the objects' ACLs were not read ({why}; --object-acls 0)")
        return {}
    found: dict[str, Any] = {}

    def read() -> None:
        versioning = (parts.call(client, "get_bucket_versioning", Bucket=name) or {}).get("Status")
        keys: list[str] = []
        token: str | None = None
        while len(keys) <= limit:
            extra: dict[str, Any] = {"ContinuationToken": token} if token else {}
            page = parts.call(client, "list_objects_v2", Bucket=name, MaxKeys=min(1000, limit + 1 - len(keys)),
                              **extra) or {}
            keys += [str(item["Key"]) for item in page.get("Contents") or []]
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                break
        for key in keys[:limit]:
            where = f"{parts.arn}/{key}"
            found[key] = acl_document(parts.call(client, "get_object_acl", Bucket=name, Key=key), where)
        if len(keys) > limit:
            parts.lack(OBJECT_ACLS, f"more than {limit} objects: the ACLs of the first {limit} were read ({why})")
        if versioning:
            parts.lack(OBJECT_ACLS, f"versioning is {versioning}: the ACLs of noncurrent versions were not read "
                                    f"({why})")

    parts.read(OBJECT_ACLS, read)
    return found


def account_facts(ctx: AccountContext, canonical_id: str | None) -> dict[str, Any]:
    """The account's `s3_accounts.json` entry: its canonical id (ListBuckets's Owner) and
    account-level Block Public Access (s3control:GetPublicAccessBlock)."""
    client = ctx.client("s3control")

    def block() -> dict[str, Any] | None:
        response = ctx.recorder.call(ctx.scope(), client, "get_public_access_block", target=ctx.account,
                                     absent=(_NO_BLOCK,), AccountId=ctx.account)
        return block_document(response, f"account {ctx.account}")

    try:
        configuration = block()
    except (CallFailed, Unreadable) as failed:
        reason = failed.reason if isinstance(failed, CallFailed) else f"not understood: {failed}"
        ctx.lack(PUBLIC_ACCESS_BLOCK, reason, account=ctx.account)
        configuration = None
    return {"canonical_id": canonical_id, "public_access_block": configuration}


def key_grants(ctx: AccountContext, client: Any, region: str, key_id: str, arn: str) -> dict[str, Any] | None:
    """ListGrants's answer for the key, its creation dates left out (None when it has no
    grant, or they could not be read: then named missing). The KeyId of each is the
    key's ARN, as AWS returns it (an emulator may give the id)."""
    parts = Parts(ctx, region, arn)

    def read() -> dict[str, Any] | None:
        listed = ctx.recorder.pages(ctx.scope(region), client, "list_grants", "Grants", target=arn, KeyId=key_id)
        grants = [{**{k: v for k, v in grant.items() if k in _GRANT_KEYS}, "KeyId": arn} for grant in listed]
        try:
            parse_grants(grants, arn)
        except InputError as error:
            raise Unreadable(f"{error.path + ': ' if error.path else ''}{error.message}") from None
        return {"Grants": grants} if grants else None

    _, grants = parts.read(KMS_GRANTS, read)
    return grants


def read_access_points(ctx: AccountContext, contents: Contents, region: str) -> None:
    """The account's access points in the region (s3control:ListAccessPoints), each with
    its policy, network origin and Block Public Access. A listing that fails names the
    region's access points missing (service `s3control`); a policy that fails, the
    access point."""
    client = ctx.client("s3control", region)
    try:
        points = ctx.recorder.token_pages(ctx.scope(region), client, "list_access_points", "AccessPointList",
                                          AccountId=ctx.account)
    except CallFailed as failed:
        ctx.lack(RESOURCES, failed.reason, account=ctx.account, region=region, service="s3control")
        return
    for point in points:
        name = str(point["Name"])
        arn = str(point.get("AccessPointArn") or f"arn:{ctx.partition}:s3:{region}:{ctx.account}:accesspoint/{name}")
        parts = Parts(ctx, region, arn)
        try:
            text = (parts.call(client, "get_access_point_policy", absent=("NoSuchAccessPointPolicy",),
                               AccountId=ctx.account, Name=name) or {}).get("Policy")
            policy = None if not text else policy_document(text, PolicyType.RESOURCE, arn)
        except CallFailed as failed:
            ctx.lack(RESOURCE, failed.reason, account=ctx.account, region=region, arn=arn)
            continue
        except UnreadablePolicy as error:
            ctx.lack(RESOURCE, f"policy not understood: {error}", account=ctx.account, region=region, arn=arn)
            continue
        _, block = parts.read(PUBLIC_ACCESS_BLOCK, functools.partial(_point_block, parts, client, name))
        vpc = (point.get("VpcConfiguration") or {}).get("VpcId") if point.get("NetworkOrigin") == "VPC" else None
        contents.add_resource(arn, ctx.account, policy, {}, {"bucket": point["Bucket"], "vpc_id": vpc,
                                                            "public_access_block": block})


def _point_block(parts: Parts, client: Any, name: str) -> dict[str, Any] | None:
    return block_document(parts.call(client, "get_access_point", AccountId=parts.ctx.account, Name=name), parts.arn)
