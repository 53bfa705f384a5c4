"""S3 access control lists, Object Ownership and Block Public Access, read from the
shapes the S3 API returns, and an ACL turned into the resource-based statements it
amounts to (docs/semantics.md, "Buckets: ACLs, Block Public Access").

An ACL grant is a resource-based permission of the bucket (or object) owner: S3
evaluates it with the bucket policy in the bucket and object contexts (Amazon S3
User Guide, "How Amazon S3 authorizes a request"). So a grant is written here as an
Allow statement of a resource-based policy, with the grantee as its Principal and
the actions its permission maps to (Amazon S3 User Guide, "Access control list (ACL)
overview", "Mapping of ACL permissions and access policy permissions"); the
evaluator and the SMT encodings read it as they read a bucket policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.parse import parse_policy

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
GROUPS = {ALL_USERS: "AllUsers", AUTHENTICATED_USERS: "AuthenticatedUsers", LOG_DELIVERY: "LogDelivery"}
# The S3 server access logging service writes logs as the LogDelivery group
# (Amazon S3 User Guide, "Enabling Amazon S3 server access logging").
LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com"


class Permission(Enum):
    READ = "READ"
    WRITE = "WRITE"
    READ_ACP = "READ_ACP"
    WRITE_ACP = "WRITE_ACP"
    FULL_CONTROL = "FULL_CONTROL"


# "Mapping of ACL permissions and access policy permissions" (Amazon S3 User Guide,
# "Access control list (ACL) overview"): what each permission allows on a bucket
# and on an object. WRITE on a bucket lets the grantee create and delete the
# bucket's objects; WRITE on an object is not applicable.
BUCKET_ACTIONS: dict[Permission, tuple[str, ...]] = {
    Permission.READ: ("s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"),
    Permission.WRITE: ("s3:PutObject", "s3:DeleteObject"),
    Permission.READ_ACP: ("s3:GetBucketAcl",),
    Permission.WRITE_ACP: ("s3:PutBucketAcl",),
}
OBJECT_ACTIONS: dict[Permission, tuple[str, ...]] = {
    Permission.READ: ("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent"),
    Permission.WRITE: (),
    Permission.READ_ACP: ("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    Permission.WRITE_ACP: ("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
}


def _expand(permission: Permission) -> tuple[Permission, ...]:
    if permission is Permission.FULL_CONTROL:
        return (Permission.READ, Permission.WRITE, Permission.READ_ACP, Permission.WRITE_ACP)
    return (permission,)


@dataclass(frozen=True)
class AclGrant:
    """One entry of an ACL's `Grants`: a grantee and a permission."""

    grantee_type: str  # "CanonicalUser", "AmazonCustomerByEmail" or "Group"
    grantee: str  # the canonical user id, the e-mail address or the group URI
    permission: Permission

    @property
    def is_public(self) -> bool:
        """A grant to AllUsers or AuthenticatedUsers makes an ACL public (Amazon S3
        User Guide, "Blocking public access", "The meaning of public")."""
        return self.grantee_type == "Group" and self.grantee in (ALL_USERS, AUTHENTICATED_USERS)

    @property
    def label(self) -> str:
        who = GROUPS.get(self.grantee, self.grantee) if self.grantee_type == "Group" else self.grantee
        return f"{who} {self.permission.value}"


@dataclass(frozen=True)
class Acl:
    """A bucket's or an object's ACL, as GetBucketAcl / GetObjectAcl return it."""

    grants: tuple[AclGrant, ...]
    owner: str | None = None  # the owner's canonical user id
    source: str = "<acl>"

    @property
    def is_public(self) -> bool:
        return any(grant.is_public for grant in self.grants)


@dataclass(frozen=True)
class PublicAccessBlock:
    """The four Block Public Access settings (GetPublicAccessBlock's
    `PublicAccessBlockConfiguration`). Absent settings are off."""

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    def combined(self, other: PublicAccessBlock | None) -> PublicAccessBlock:
        """S3 applies the most restrictive combination of the account, bucket and
        access point settings (Amazon S3 User Guide, "Blocking public access to
        your Amazon S3 storage")."""
        if other is None:
            return self
        return PublicAccessBlock(self.block_public_acls or other.block_public_acls,
                                 self.ignore_public_acls or other.ignore_public_acls,
                                 self.block_public_policy or other.block_public_policy,
                                 self.restrict_public_buckets or other.restrict_public_buckets)

    @property
    def any(self) -> bool:
        return self.block_public_acls or self.ignore_public_acls or self.block_public_policy \
            or self.restrict_public_buckets


def combine_blocks(*levels: PublicAccessBlock | None) -> PublicAccessBlock | None:
    found = [level for level in levels if level is not None]
    if not found:
        return None
    result = found[0]
    for level in found[1:]:
        result = result.combined(level)
    return result


# Object Ownership (Amazon S3 User Guide, "Controlling ownership of objects and
# disabling ACLs"): BucketOwnerEnforced disables every ACL of the bucket and its objects.
OBJECT_OWNERSHIP = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")


def acls_disabled(ownership: str | None) -> bool:
    return ownership == "BucketOwnerEnforced"


_PAB_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def parse_public_access_block(data: Any, source: str, path: str = "") -> PublicAccessBlock:
    """GetPublicAccessBlock's answer (`{"PublicAccessBlockConfiguration": {...}}`) or
    the configuration itself."""
    if isinstance(data, dict) and "PublicAccessBlockConfiguration" in data:
        path = _join(path, "PublicAccessBlockConfiguration")
        data = data["PublicAccessBlockConfiguration"]
    if not isinstance(data, dict):
        raise InputError(source, path, "expected an object of Block Public Access settings")
    values = {}
    for key, value in data.items():
        if key not in _PAB_KEYS:
            raise InputError(source, _join(path, str(key)), f"unknown setting (expected one of {', '.join(_PAB_KEYS)})")
        if not isinstance(value, bool):
            raise InputError(source, _join(path, key), "expected true or false")
        values[key] = value
    return PublicAccessBlock(values.get("BlockPublicAcls", False), values.get("IgnorePublicAcls", False),
                             values.get("BlockPublicPolicy", False), values.get("RestrictPublicBuckets", False))


def parse_acl(data: Any, source: str, path: str = "") -> Acl:
    """GetBucketAcl / GetObjectAcl's answer: `{"Owner": {"ID": ...}, "Grants": [{"Grantee":
    {"Type": ..., "ID" | "EmailAddress" | "URI": ...}, "Permission": ...}]}`."""
    if not isinstance(data, dict):
        raise InputError(source, path, "expected an ACL object with \"Grants\"")
    for key in data:
        if key not in ("Owner", "Grants", "ResponseMetadata"):
            raise InputError(source, _join(path, str(key)), "unknown key (expected Owner, Grants)")
    owner = None
    if "Owner" in data:
        raw_owner = data["Owner"]
        if not isinstance(raw_owner, dict) or not isinstance(raw_owner.get("ID"), str):
            raise InputError(source, _join(path, "Owner"), "expected an object with an \"ID\" string")
        owner = raw_owner["ID"]
    raw_grants = data.get("Grants", [])
    if not isinstance(raw_grants, list):
        raise InputError(source, _join(path, "Grants"), "expected a list of grants")
    grants = tuple(_grant(item, source, f"{_join(path, 'Grants')}[{i}]") for i, item in enumerate(raw_grants))
    return Acl(grants, owner, source)


_GRANTEE_FIELD = {"CanonicalUser": "ID", "AmazonCustomerByEmail": "EmailAddress", "Group": "URI"}


def _grant(item: Any, source: str, path: str) -> AclGrant:
    if not isinstance(item, dict):
        raise InputError(source, path, "expected a grant object with Grantee and Permission")
    grantee = item.get("Grantee")
    if not isinstance(grantee, dict):
        raise InputError(source, _join(path, "Grantee"), "expected an object")
    kind = grantee.get("Type")
    if kind not in _GRANTEE_FIELD:
        raise InputError(source, _join(path, "Grantee.Type"),
                         f"expected one of {', '.join(_GRANTEE_FIELD)}")
    field = _GRANTEE_FIELD[kind]
    value = grantee.get(field)
    if not isinstance(value, str) or not value:
        raise InputError(source, _join(path, f"Grantee.{field}"), "expected a non-empty string")
    if kind == "Group" and value not in GROUPS:
        raise InputError(source, _join(path, "Grantee.URI"), f"expected one of {', '.join(GROUPS)}")
    permission = item.get("Permission")
    try:
        chosen = Permission(permission)
    except ValueError:
        raise InputError(source, _join(path, "Permission"),
                         f"expected one of {', '.join(p.value for p in Permission)}") from None
    return AclGrant(kind, value, chosen)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _principal(grant: AclGrant, accounts: Mapping[str, str]) -> dict[str, Any]:
    """The grantee as a Principal element. A canonical user id or e-mail address
    is its AWS account where `accounts` knows it (naming an account delegates to
    its IAM policies, as a bucket policy naming the account does); an unknown one
    stays a canonical user, which only a caller of that canonical id matches."""
    if grant.grantee_type == "Group":
        if grant.grantee == LOG_DELIVERY:
            return {"Service": LOG_DELIVERY_SERVICE}
        return {"AWS": "*"}
    principal: dict[str, Any] = {}
    account = accounts.get(grant.grantee) or accounts.get(grant.grantee.lower())
    if account is not None:
        principal["AWS"] = account
    if grant.grantee_type == "CanonicalUser":
        principal["CanonicalUser"] = grant.grantee
    if not principal:
        # an e-mail address of no known account: a canonical user no caller is
        principal["CanonicalUser"] = grant.grantee
    return principal


def acl_policy(acl: Acl, resource: str, *, on_object: bool, slot: str,
               accounts: Mapping[str, str] | None = None, ignore_public: bool = False) -> Policy:
    """The ACL as the resource-based statements it amounts to, one per grant, in
    the order of `Grants` (statement i is grant i; its Sid names grantee and
    permission). `resource` is the bucket's ARN (`arn:aws:s3:::NAME`) or the
    object's. A grant BPA's IgnorePublicAcls ignores grants nothing.

    AuthenticatedUsers is every signed request (any AWS account), so it is `*`
    with the caller's type not `Anonymous`.
    """
    known = {key.lower() if "@" in key else key: value for key, value in (accounts or {}).items()}
    statements: list[dict[str, Any]] = []
    table = OBJECT_ACTIONS if on_object else BUCKET_ACTIONS
    for grant in acl.grants:
        actions: list[str] = []
        for permission in _expand(grant.permission):
            actions.extend(table[permission])
        statement: dict[str, Any] = {"Sid": grant.label, "Effect": "Allow",
                                     "Principal": _principal(grant, known)}
        if (ignore_public and grant.is_public) or not actions:
            # matches nothing: kept so that statement i stays grant i
            statement["NotAction"] = "*"
            statement["Resource"] = resource
        else:
            statement["Action"] = sorted(set(actions))
            statement["Resource"] = _resources(resource, actions, on_object)
        if grant.grantee == AUTHENTICATED_USERS:
            statement["Condition"] = {"StringNotEquals": {"aws:PrincipalType": "Anonymous"}}
        statements.append(statement)
    source = f"{acl.source} ({slot})"
    if not statements:  # an ACL with no grants grants nothing
        return Policy(PolicyType.RESOURCE, (), version="2012-10-17", source=source, name=slot)
    document = {"Version": "2012-10-17", "Statement": statements}
    return parse_policy(document, PolicyType.RESOURCE, source=source, name=slot, sized=False)


_OBJECT_WRITE = frozenset({"s3:PutObject", "s3:DeleteObject"})


def _resources(resource: str, actions: list[str], on_object: bool) -> list[str]:
    """The bucket for its own actions; its objects for the object writes that
    the bucket's WRITE permission grants."""
    if on_object:
        return [resource]
    found = []
    if any(action not in _OBJECT_WRITE for action in actions):
        found.append(resource)
    if any(action in _OBJECT_WRITE for action in actions):
        found.append(f"{resource}/*")
    return found
