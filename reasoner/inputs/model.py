"""The perimeter model: the zone of trust, the organization, the resources, VPC
endpoints and identities an analysis reads, and the invariants `perimeter prove`
proves over them. Perimeter files, snapshot folders and infrastructure code are
read into it (`reasoner.inputs.perimeter_file`, `reasoner.inputs.snapshot`). No
solver here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from reasoner.evaluation.spaces import ContextConstraint
from reasoner.policy.acls import Acl, PublicAccessBlock, acl_policy, acls_disabled, combine_blocks
from reasoner.policy.kms_grants import KmsGrant, grants_policy
from reasoner.policy.model import AccessPoint, Policy, PolicyType
from reasoner.policy.parse import parse_policy
from reasoner.policy.resource_types import TYPES

FULL_AWS_ACCESS = "FullAWSAccess"
BUILT_IN_CHECKS = ("only-trusted-identities", "only-trusted-resources", "only-expected-networks")
# Every type of the one table (reasoner.policy.resource_types), by CloudFormation name
RESOURCE_TYPES = tuple(kind.name for kind in TYPES)

@dataclass(frozen=True)
class ZoneOfTrust:
    organization_ids: tuple[str, ...] = ()
    trusted_accounts: tuple[str, ...] = ()
    trusted_service_principals: tuple[str, ...] = ()
    trusted_principal_arns: tuple[str, ...] = ()  # ARN patterns, `*` and `?` allowed
    vpc_ids: tuple[str, ...] = ()
    vpc_endpoint_ids: tuple[str, ...] = ()
    cidrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgNode:
    """The root, an OU or an account, with the SCPs and RCPs attached to it."""

    kind: str  # "root", "ou" or "account"
    name: str
    account_id: str | None = None  # accounts only
    node_id: str | None = None  # the root's (r-...) or an OU's (ou-...) id, when the file gives it
    scps: tuple[Policy, ...] = ()
    rcps: tuple[Policy, ...] = ()
    children: tuple[OrgNode, ...] = ()


@dataclass(frozen=True)
class Organization:
    root: OrgNode
    management_account: str | None = None

    def path_to(self, account: str) -> tuple[OrgNode, ...] | None:
        """The nodes from the root down to the account, or None when the account is not in the tree."""

        def search(node: OrgNode) -> tuple[OrgNode, ...] | None:
            if node.kind == "account" and node.account_id == account:
                return (node,)
            for child in node.children:
                found = search(child)
                if found is not None:
                    return (node, *found)
            return None

        return search(self.root)

    def tree_accounts(self) -> tuple[str, ...]:
        """The accounts the tree lists, in tree order (each once in a valid file)."""
        found: list[str] = []

        def walk(node: OrgNode) -> None:
            if node.account_id is not None:
                found.append(node.account_id)
            for child in node.children:
                walk(child)

        walk(self.root)
        return tuple(found)

    def accounts(self) -> tuple[str, ...]:
        """The member accounts: the one answer to "is this account in the organization?"
        for `prove`, `reach`, `who-can`, `graph` and their witnesses. The management
        account is a member whether or not the tree lists it under an OU: it is the
        account that created the organization (AWS Organizations, "Terminology and
        concepts": the management account)."""
        listed = self.tree_accounts()
        if self.management_account is not None and self.management_account not in listed:
            return (self.management_account, *listed)
        return listed

    def is_member(self, account: str | None) -> bool:
        return account is not None and account in self.accounts()


Tags = Mapping[str, str]


@dataclass(frozen=True)
class Resource:
    arn: str
    account: str
    resource_type: str  # CloudFormation name, e.g. "AWS::S3::Bucket"
    policy: Policy | None = None  # the bucket / key / queue policy, or a role's trust policy
    tags: Tags = field(default_factory=dict)
    # What else S3 and KMS decide with (docs/semantics.md, "Buckets and keys")
    acl: Acl | None = None  # a bucket's ACL
    object_acls: Mapping[str, Acl] = field(default_factory=dict)  # object ARN -> its ACL
    object_ownership: str | None = None
    public_access_block: PublicAccessBlock | None = None  # the bucket's own settings
    kms_grants: tuple[KmsGrant, ...] = ()  # a key's grants
    grants_source: str = "<kms grants>"
    bucket: str | None = None  # an access point's bucket (its name)
    vpc_id: str | None = None  # an access point's network origin VPC


@dataclass(frozen=True)
class S3Account:
    """An account's S3 facts: its canonical user id (and e-mail) that ACLs name it
    by, and its account-level Block Public Access."""

    canonical_id: str | None = None
    email: str | None = None
    public_access_block: PublicAccessBlock | None = None


@dataclass(frozen=True)
class ResourceExtras:
    """The ACLs in force, the grants and Block Public Access's restriction of one
    resource, as `PolicySet` fields (`acls`, `kms_grants`, `restrict_public_buckets`)."""

    acls: tuple[Policy, ...] = ()
    kms_grants: Policy | None = None
    restrict_public_buckets: bool = False
    # an access point: requests on it go through it; the resource policy is its bucket's
    access_point: AccessPoint | None = None
    bucket_policy: Policy | None = None


@functools.cache
def unlisted_bucket_policy() -> Policy:
    """The stand-in for the policy of an access point's bucket the input does not list:
    it allows everything to everyone, the most any bucket policy could (a real one
    only takes away), so that an access point proven closed stays closed."""
    return parse_policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "BucketNotListed", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]},
        PolicyType.RESOURCE, source="<the policy of a bucket the input does not list>")


def access_point_extras(point: Resource, resources: Iterable[Resource],
                        accounts: Mapping[str, S3Account]) -> ResourceExtras:
    """An access point's request side: its bucket's policy and ACLs, the account's,
    bucket's and access point's Block Public Access combined (S3 User Guide,
    "Blocking public access to your Amazon S3 storage")."""
    partition = point.arn.split(":")[1]
    bucket_arn = f"arn:{partition}:s3:::{point.bucket}"
    bucket = next((r for r in resources if r.arn == bucket_arn), None)
    owner = accounts.get(point.account)
    if bucket is None:
        block = combine_blocks(owner.public_access_block if owner else None, point.public_access_block)
        access_point = AccessPoint(point.arn, point.bucket or "", point.account, point.policy, point.vpc_id,
                                   block is not None and block.restrict_public_buckets)
        return ResourceExtras(access_point=access_point, bucket_policy=unlisted_bucket_policy())
    on_bucket = resource_extras(bucket, accounts)
    bucket_owner = accounts.get(bucket.account)
    block = combine_blocks(owner.public_access_block if owner else None,
                           bucket_owner.public_access_block if bucket_owner else None,
                           bucket.public_access_block, point.public_access_block)
    access_point = AccessPoint(point.arn, point.bucket or "", bucket.account, point.policy, point.vpc_id,
                               block is not None and block.restrict_public_buckets)
    return replace(on_bucket, access_point=access_point, bucket_policy=bucket.policy)


def resource_extras(resource: Resource, accounts: Mapping[str, S3Account]) -> ResourceExtras:
    """The account's and the bucket's Block Public Access combined; ACLs dropped when
    Object Ownership disables them, their public grants when IgnorePublicAcls is on;
    ACL grantees named by a known account's canonical id or e-mail are that account."""
    grantees = {known.canonical_id: account for account, known in accounts.items() if known.canonical_id}
    grantees.update({known.email.lower(): account for account, known in accounts.items() if known.email})
    owner = accounts.get(resource.account)
    block = combine_blocks(owner.public_access_block if owner else None, resource.public_access_block)
    ignore = block is not None and block.ignore_public_acls
    acls: list[Policy] = []
    if not acls_disabled(resource.object_ownership):
        if resource.acl is not None:
            acls.append(acl_policy(resource.acl, resource.arn, on_object=False, slot="bucket_acl",
                                   accounts=grantees, ignore_public=ignore))
        for arn, acl in sorted(resource.object_acls.items()):
            acls.append(acl_policy(acl, arn, on_object=True, slot="object_acl", accounts=grantees,
                                   ignore_public=ignore))
    grants = grants_policy(resource.kms_grants, resource.grants_source) if resource.kms_grants else None
    return ResourceExtras(tuple(acls), grants, block is not None and block.restrict_public_buckets)


def fitted(resource: Resource) -> Resource:
    """The resource, when each Allow statement of its policy can name it (or what is
    inside it): a statement that names only other resources never applies, and AWS
    refuses such a policy when it is put (S3: MalformedPolicy, "Policy has invalid
    resource"). Otherwise bad input naming the file, the statement and the resource."""
    from reasoner.errors import InputError
    from reasoner.policy.model import PolicyType
    from reasoner.policy.resource_fit import resource_globs, statements_naming_nothing

    policy = resource.policy
    if policy is None or policy.policy_type is not PolicyType.RESOURCE or "${" in resource.arn:
        return resource
    misfits = statements_naming_nothing(policy, resource_globs(resource.arn, resource.resource_type),
                                        allows_only=True)
    if misfits:
        first = misfits[0]
        named = ", ".join(f'"{entry}"' for entry in first.entries)
        line = f" (line {first.statement.line})" if first.statement.line is not None else ""
        raise InputError(policy.source, f"Statement[{first.statement.index}].Resource",
                         f"{named} can never be {resource.arn}, the resource this policy is attached to, nor "
                         f"anything in it{line}: AWS refuses such a policy (MalformedPolicy: invalid resource)")
    return resource


@dataclass(frozen=True)
class VpcEndpoint:
    id: str
    vpc_id: str
    policy: Policy | None = None  # None: the default policy, which allows everything
    account: str | None = None
    service: str | None = None  # e.g. "s3"; None: the endpoint is taken to serve any service


@dataclass(frozen=True)
class Identity:
    arn: str  # a role or user ARN
    account: str
    policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    tags: Tags = field(default_factory=dict)


class PrincipalClassKind(Enum):
    ANY = "any"
    ANONYMOUS = "anonymous"
    OUTSIDE_ORG = "outside-org"  # not in any of the zone's organizations
    OUTSIDE_ACCOUNTS = "outside-accounts"  # neither an organization account nor a trusted account
    ACCOUNT = "account"  # any principal of one account
    ARN = "arn"  # a principal whose ARN matches a pattern


@dataclass(frozen=True)
class PrincipalClass:
    kind: PrincipalClassKind
    value: str | None = None  # the account id or ARN pattern

    def describe(self) -> str:
        return self.kind.value if self.value is None else f"{self.kind.value} {self.value}"


class Expect(Enum):
    DENY = "deny"  # every matching request must be denied
    ALLOW = "allow"  # every matching request must be allowed ("must keep working")


@dataclass(frozen=True)
class Exceptions:
    """Requests a built-in invariant does not cover (the data-perimeter exception tags)."""

    principal_tags: Tags = field(default_factory=dict)  # principals with any of these tag values
    resource_tags: Tags = field(default_factory=dict)  # resources with any of these tag values
    principal_arns: tuple[str, ...] = ()  # ARN patterns
    resources: tuple[str, ...] = ()  # resource ARN patterns
    accounts: tuple[str, ...] = ()  # principals (or, for only-trusted-resources, resources) of these accounts
    service_principals: bool = False  # AWS service principals calling on their own behalf
    via_aws_service: bool = False  # requests an AWS service makes for a principal (aws:ViaAWSService)


@dataclass(frozen=True)
class Invariant:
    id: str
    check: str  # one of BUILT_IN_CHECKS, or "custom"
    description: str
    expect: Expect = Expect.DENY
    principals: PrincipalClass | None = None  # custom invariants only
    actions: tuple[str, ...] = ()  # action patterns; () means every action
    resources: tuple[str, ...] = ()  # resource ARN patterns; () means every declared resource
    context: tuple[ContextConstraint, ...] = ()
    principal_tags: Tags = field(default_factory=dict)  # only principals carrying these tags
    exceptions: Exceptions = field(default_factory=Exceptions)
    line: int | None = None  # line of the invariant in the perimeter file, when known

    @property
    def is_custom(self) -> bool:
        return self.check == "custom"


@dataclass(frozen=True)
class Perimeter:
    source: str  # the perimeter file as given
    zone: ZoneOfTrust
    organization: Organization | None = None
    resources: tuple[Resource, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    identities: tuple[Identity, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    # VPC endpoints an IaC input creates whose id is known only after apply (`id` names
    # the attribute, `aws_vpc_endpoint.x.id`): each is one endpoint with an id no other
    # endpoint has, which `prove` covers for every such id (prove/scopes.py)
    fresh_vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    snapshot: Path | None = None  # an account snapshot (read by the account-snapshot feature)
    # parts of the infrastructure code it reads (`terraform_plan:`, `cloudformation:`) that
    # are not fully known: every invariant is then UNKNOWN, naming them
    unknowns: tuple[str, ...] = ()
    s3_accounts: Mapping[str, S3Account] = field(default_factory=dict)  # account -> its S3 facts

    def resource_extras(self, resource: Resource) -> ResourceExtras:
        if resource.resource_type == "AWS::S3::AccessPoint":
            return access_point_extras(resource, self.resources, self.s3_accounts)
        return resource_extras(resource, self.s3_accounts)

    @property
    def management_account(self) -> str | None:
        return None if self.organization is None else self.organization.management_account

    def scp_levels(self, account: str) -> tuple[tuple[Policy, ...], ...]:
        """SCPs of the account, root first and account last; () for an account outside the tree."""
        path = None if self.organization is None else self.organization.path_to(account)
        return () if path is None else tuple(node.scps for node in path)

    def rcp_levels(self, account: str) -> tuple[tuple[Policy, ...], ...]:
        """RCPs of the account, root first; RCPFullAWSAccess is implied at every level."""
        path = None if self.organization is None else self.organization.path_to(account)
        return () if path is None else tuple(node.rcps for node in path)

    def organization_accounts(self) -> tuple[str, ...]:
        """The organization's member accounts (Organization.accounts), () without one."""
        return () if self.organization is None else self.organization.accounts()

    def policies(self) -> tuple[Policy, ...]:
        """Every policy the perimeter declares: resources', endpoints', identities' (and
        their boundaries), and the organization's SCPs and RCPs."""
        found: list[Policy] = [resource.policy for resource in self.resources if resource.policy is not None]
        found += [endpoint.policy for endpoint in (*self.vpc_endpoints, *self.fresh_vpc_endpoints)
                  if endpoint.policy is not None]
        for identity in self.identities:
            found += identity.policies
            if identity.permissions_boundary is not None:
                found.append(identity.permissions_boundary)

        def walk(node: OrgNode) -> None:
            found.extend(node.scps)
            found.extend(node.rcps)
            for child in node.children:
                walk(child)

        if self.organization is not None:
            walk(self.organization.root)
        return tuple(found)
