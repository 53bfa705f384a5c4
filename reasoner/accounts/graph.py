"""The reachability graph of a snapshot: principals (users, roles and symbolic classes
of callers) and resources, with `can-assume` and `can-access` edges decided one
request space at a time.

An edge is three-valued, like every check: FAIL (the edge exists: a request in its
space is allowed, and the witness replays through the reference evaluator), PASS
(proven absent) or UNKNOWN (the solver gave up; never read as absent).

What a role session carries from one hop to the next (what the edge's space pins):
its account (`aws:PrincipalAccount`), its organization (`aws:PrincipalOrgID`), the
role's tags as `aws:PrincipalTag/*` unless the role's trust policy allows
`sts:TagSession` (then the caller may set any session tags, and they stay free), and
its session policy when `session_policies.json` names one. `sts:SourceIdentity`,
`aws:PrincipalOrgPaths`, MFA and network keys are left free: any value AWS could
carry. A role's caller is always one of its sessions (`assumed-role/NAME/SESSION`).

No solver here: a task is decided by `edges.decide` (a concrete probe through the
evaluator first, then `space_query` through `solving.query.run_query`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum

from reasoner.checks.public_facts import with_public_facts
from reasoner.evaluation.access_points import ACCESS_POINT_KEYS
from reasoner.evaluation.spaces import (
    ConstraintOp,
    ContextConstraint,
    RequestSpace,
    in_organization,
    outside_organizations,
)
from reasoner.inputs.model import Perimeter, Resource, ResourceExtras, resource_extras
from reasoner.inputs.snapshot import IamRole, IamUser, Snapshot
from reasoner.policy.acls import (
    ALL_USERS,
    AUTHENTICATED_USERS,
    Acl,
    AclGrant,
    Permission,
    acl_policy,
    acls_disabled,
    combine_blocks,
)
from reasoner.policy.callers import calling_kinds
from reasoner.policy.kms_grants import OPERATIONS, KmsGrant, grants_policy
from reasoner.policy.matching import action_matches
from reasoner.policy.model import Effect, Policy, PolicySet, PolicyType, PrincipalKind, PrincipalSpec, Statement
from reasoner.policy.parse import parse_policy
from reasoner.prove.scopes import ANY_IDENTITY, AWS_KINDS, Network, declared_resource_patterns, endpoint_network

ASSUME = "can-assume"
ACCESS = "can-access"
OUTSIDE_ORG = "external:outside-organization"
ANONYMOUS = "external:anonymous"
PROBE_ACCOUNT = "999999999999"
# A federated identity is in no account, so in no organization (§6 aws:PrincipalOrgID)
_NO_ACCOUNT = (ContextConstraint("aws:PrincipalOrgID", ConstraintOp.ABSENT),
               ContextConstraint("aws:PrincipalOrgPaths", ConstraintOp.ABSENT),
               ContextConstraint("aws:PrincipalAccount", ConstraintOp.ABSENT))


# The symbolic classes stand for principals whose identity policies their account's
# administrators write; a service-linked role's are AWS's, and only its service
# gets its credentials (a service acting for an outsider is a service principal).
_SERVICE_LINKED = ("arn:aws:iam::*:role/aws-service-role/*",)


class NodeKind(Enum):
    USER = "user"
    ROLE = "role"
    ACCOUNT = "account"  # any principal of an account whose IAM was not exported (in the org, or named by a policy)
    ROLES = "roles"  # any role of one account whose ARN matches a pattern a policy names (aws:PrincipalArn)
    OUTSIDE = "outside"  # any principal outside the organization (or the snapshot's accounts)
    ANONYMOUS = "anonymous"
    SERVICE = "service"  # an AWS service principal named in a trust policy
    FEDERATED = "federated"  # an OIDC or SAML provider named in a trust policy
    RESOURCE = "resource"


@dataclass(frozen=True)
class Caller:
    """A node as the caller of one hop: its policies and what its requests carry."""

    node: str
    kind: NodeKind
    label: str
    account: str | None
    identity_policies: tuple[Policy, ...]
    boundary: Policy | None
    session_policy: Policy | None
    scps: tuple[tuple[Policy, ...], ...]
    space: RequestSpace  # caller fields only
    context: tuple[ContextConstraint, ...] = ()
    probe_principal: str = "anonymous"  # a concrete caller of the class, for the evaluator probe
    probe_role_arn: str | None = None  # its role's ARN (with the path a session ARN drops)
    carried: tuple[str, ...] = ()  # what the session carries, for people
    service_linked: bool = False  # a service-linked role: no SCPs or RCPs bind it
    gaps: tuple[str, ...] = ()  # pieces its requests depend on that the collection lacks (collection.json)

    @property
    def is_principal(self) -> bool:
        return self.kind is not NodeKind.RESOURCE


@dataclass(frozen=True)
class Target:
    """A role (as the resource of `sts:AssumeRole*`) or a resource."""

    node: str
    arn: str
    account: str
    policy: Policy | None
    rcps: tuple[tuple[Policy, ...], ...]
    context: tuple[ContextConstraint, ...]
    patterns: tuple[str, ...]
    gaps: tuple[str, ...] = ()  # pieces a request to it depends on that the collection lacks
    # ACLs in force, KMS grants, RestrictPublicBuckets (inputs.model.resource_extras)
    extras: ResourceExtras = field(default_factory=ResourceExtras)
    # parts the collection did not read that could only allow more (an ACL, the objects'
    # ACLs, the grants), and the extras with stand-ins allowing everything in their place
    # (None: no stand-in decision; a path proven absent without them is UNKNOWN)
    open_gaps: tuple[str, ...] = ()
    open_extras: ResourceExtras | None = None

    def resource_side(self) -> tuple[Policy, ...]:
        """The policies whose Allow statements may name a caller: the resource policy,
        the ACLs in force and the grants."""
        found = [self.policy] if self.policy is not None else []
        return (*found, *self.extras.acls, *((self.extras.kms_grants,) if self.extras.kms_grants else ()))


@dataclass(frozen=True)
class EdgeTask:
    """One edge to decide: picklable, so a process pool can run it."""

    source: str
    target: str
    relation: str
    actions: tuple[str, ...]
    networks: tuple[tuple[str, PolicySet, RequestSpace], ...]  # (label, policies, space) per network
    probe_principal: str
    probe_resource: str
    source_label: str = ""
    probe_role_arn: str | None = None


def _session_arn(role: IamRole, names: tuple[str, ...] = ()) -> str:
    """A session of the role, named as its trust policy lets it be."""
    partition = role.arn.split(":", 2)[1]
    name = re.sub(r"[*?]", "x", names[0]) if names else "reach"
    return f"arn:{partition}:sts::{role.account}:assumed-role/{role.name}/{name}"


def allows_tag_session(trust: Policy) -> bool:
    """Some Allow statement of the trust policy may grant `sts:TagSession`."""
    return _may_allow(trust, "sts:TagSession")


def _may_allow(trust: Policy, action: str) -> bool:
    """Some Allow statement of the trust policy may grant `action` (to anyone,
    under any condition)."""
    return any(statement.effect is Effect.ALLOW and _grants(statement, action) for statement in trust.statements)


# Without `sts:SetSourceIdentity` in its trust policy, no request sets a source
# identity on a role's sessions, nor carries one into them (role chaining needs the
# permission too): the AssumeRole request has none, and the sessions none.
_NO_SOURCE_IDENTITY = (ContextConstraint("aws:SourceIdentity", ConstraintOp.ABSENT),)
_NO_SOURCE_IDENTITY_SET = (ContextConstraint("sts:SourceIdentity", ConstraintOp.ABSENT), *_NO_SOURCE_IDENTITY)


def _source_identity(role: IamRole, absent: tuple[ContextConstraint, ...]) -> tuple[ContextConstraint, ...]:
    return () if _may_allow(role.trust_policy, "sts:SetSourceIdentity") else absent


_ASSUMING = ("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML")


def session_names(trust: Policy) -> tuple[str, ...]:
    """The session names (globs) a role's sessions can have: those every Allow
    statement granting an `AssumeRole*` requires of `sts:RoleSessionName`
    (StringEquals / StringLike); () when one of them leaves it free."""
    names: list[str] = []
    for statement in trust.statements:
        if statement.effect is not Effect.ALLOW or not any(_grants(statement, a) for a in _ASSUMING):
            continue
        required = [c for c in statement.conditions if c.key_lower == "sts:rolesessionname" and not c.negated
                    and not c.if_exists and c.qualifier is None and c.base in ("StringEquals", "StringLike")]
        if len(required) != 1:  # none leaves the name free; two are not worth intersecting
            return ()
        (condition,) = required
        if any("${" in v or (condition.base == "StringEquals" and any(m in v for m in "*?"))
               for v in condition.values):
            return ()
        names += condition.values
    return tuple(dict.fromkeys(names))


def _grants(statement: Statement, action: str) -> bool:
    if statement.not_actions is not None:
        return not any(action_matches(a, action) for a in statement.not_actions)
    return any(action_matches(a, action) for a in statement.actions or ())


def _userid(op: ConstraintOp, value: str | None) -> tuple[ContextConstraint, ...]:
    """`aws:userid` from the export's unique id (a user's id, ROLEID:SESSION), when known."""
    return () if value is None else (ContextConstraint("aws:userid", op, (value,)),)


class SnapshotGraph:
    """Nodes and callers of a snapshot; edges are added by `reach.GraphBuilder`."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.perimeter: Perimeter = snapshot.as_perimeter()
        self.org_accounts = set(snapshot.organization_accounts())
        self.known_accounts = set(snapshot.known_accounts())
        self.tag_keys = _principal_tag_keys(snapshot)
        self.callers: dict[str, Caller] = {}
        self._networks: dict[str, tuple[Network, ...]] = {}  # `networks`, by service
        for user in snapshot.users:
            self._add(self._user(user))
        for role in snapshot.roles:
            self._add(self._role(role))
        exported = {a.account for a in snapshot.accounts}
        named_accounts, role_patterns = _named_outsiders(snapshot, self.known_accounts)
        collection = snapshot.collection
        self.uncollected_iam = dict(collection.iam) if collection is not None else {}
        for account in sorted((self.org_accounts - exported) | named_accounts | set(self.uncollected_iam)):
            self._add(self._account(account))
        self._add(self._outside())
        for account, pattern in role_patterns:
            self.add_role_class(account, pattern)
        self._add(Caller(ANONYMOUS, NodeKind.ANONYMOUS, "anonymous callers", None, (), None, None, (),
                         RequestSpace((PrincipalKind.ANONYMOUS,)), probe_principal="anonymous"))
        for spec in self._trust_principals():
            for service in spec.service:
                if f"service:{service}" not in self.callers and service != "*":
                    self._add(Caller(f"service:{service}", NodeKind.SERVICE, f"service principal {service}", None,
                                     (), None, None, (), RequestSpace((PrincipalKind.SERVICE,)),
                                     probe_principal=service))
            for provider in spec.federated:
                if f"federated:{provider}" not in self.callers and provider != "*":
                    self._add(Caller(f"federated:{provider}", NodeKind.FEDERATED, f"federated identities of "
                                     f"{provider}", None, (), None, None, (),
                                     RequestSpace((PrincipalKind.WEB_IDENTITY,)), _NO_ACCOUNT,
                                     probe_principal=provider))

    # -- zone of trust ---------------------------------------------------------

    @property
    def zone_accounts(self) -> set[str]:
        """The organization's accounts, or the snapshot's when there is no organization."""
        return self.org_accounts or self.known_accounts

    @property
    def zone_label(self) -> str:
        if self.org_accounts:
            org = self.snapshot.organization_id
            return f"the organization{f' {org}' if org else ''} ({len(self.org_accounts)} accounts)"
        return f"the snapshot's accounts ({', '.join(sorted(self.known_accounts))})"

    def outside_zone(self, caller: Caller) -> bool:
        """Is the caller outside the zone of trust? The outside class, anonymous callers
        and a federated provider's identities (nobody's principals until they assume a
        role) are; so are users and roles of an exported account outside the
        organization. Service principals count as inside."""
        if caller.kind in (NodeKind.OUTSIDE, NodeKind.ANONYMOUS, NodeKind.FEDERATED):
            return True
        if caller.kind is NodeKind.SERVICE:
            return False
        return caller.account is None or caller.account not in self.zone_accounts

    def _add(self, caller: Caller) -> None:
        collection = self.snapshot.collection
        if collection is not None and caller.account is not None:
            caller = replace(caller, gaps=collection.caller_gaps(caller.account))
        self.callers[caller.node] = caller

    def _trust_principals(self) -> Iterable[PrincipalSpec]:
        """The Principal elements of trust and resource policies."""
        policies = [role.trust_policy for role in self.snapshot.roles]
        policies += [resource.policy for resource in self.snapshot.resources if resource.policy is not None]
        policies += extra_policies(self.snapshot)
        for policy in policies:
            for statement in policy.statements:
                if statement.principal is not None:
                    yield statement.principal

    # -- callers ---------------------------------------------------------------

    def _org_context(self, account: str) -> tuple[ContextConstraint, ...]:
        org = self.snapshot.organization_id
        if org and account in self.org_accounts:
            return in_organization(org)
        return ()

    def _tag_context(self, tags: dict[str, str]) -> tuple[ContextConstraint, ...]:
        """The principal's tags, and every other tag key a policy reads absent."""
        given = {f"aws:principaltag/{k}".lower() for k in tags}
        return tuple(ContextConstraint(f"aws:PrincipalTag/{k}", ConstraintOp.EQUALS, (v,))
                     for k, v in sorted(tags.items())) + tuple(
            ContextConstraint(key, ConstraintOp.ABSENT) for key in self.tag_keys if key not in given)

    def _user(self, user: IamUser) -> Caller:
        return Caller(user.arn, NodeKind.USER, f"user {user.name} ({user.account})", user.account, user.policies,
                      user.permissions_boundary, None, self.perimeter.scp_levels(user.account),
                      RequestSpace((PrincipalKind.USER,), principal_arn=user.arn),
                      self._tag_context(dict(user.tags)) + self._outsider_org(user.account)
                      + _userid(ConstraintOp.EQUALS, user.unique_id),
                      probe_principal=user.arn, carried=("account", "organization", "user tags"))

    def _role(self, role: IamRole) -> Caller:
        free_tags = allows_tag_session(role.trust_policy)
        carried = ["account", "organization",
                   "session tags: free (the trust policy allows sts:TagSession)" if free_tags else
                   "session tags: the role's tags"]
        if role.session_policy is not None:
            carried.append("session policy")
        names = session_names(role.trust_policy)
        if names:
            carried.append(f"session names: {', '.join(names)}")
        tags = () if free_tags else self._tag_context(dict(role.tags))
        # SCPs and RCPs do not bind service-linked roles (§5.4). A session's ARN does
        # not carry the role's path, so the evaluator and the encoding cannot tell:
        # the role's hops are built without them.
        service_linked = ":role/aws-service-role/" in role.arn
        if service_linked:
            carried.append("service-linked: no SCPs or RCPs")
        scps = () if service_linked else self.perimeter.scp_levels(role.account)
        return Caller(role.arn, NodeKind.ROLE, f"role {role.name} ({role.account})", role.account, role.policies,
                      role.permissions_boundary, role.session_policy, scps,
                      RequestSpace((PrincipalKind.ROLE_SESSION,), principal_arn=role.arn,
                                   session_names=names),
                      tags + self._outsider_org(role.account) + _source_identity(role, _NO_SOURCE_IDENTITY)
                      + _userid(ConstraintOp.LIKE, role.unique_id and f"{role.unique_id}:*"),
                      probe_principal=_session_arn(role, names),
                      probe_role_arn=role.arn,
                      carried=tuple(carried), service_linked=service_linked)

    def _outsider_org(self, account: str) -> tuple[ContextConstraint, ...]:
        """In the organization: its id; outside: any organization but ours (or none)."""
        org = self.snapshot.organization_id
        if account in self.org_accounts or not org:
            return self._org_context(account)
        return outside_organizations((org,))

    def _account(self, account: str) -> Caller:
        return Caller(f"account:{account}", NodeKind.ACCOUNT, f"any principal of account {account}", account,
                      (ANY_IDENTITY,), None, None, self.perimeter.scp_levels(account),
                      RequestSpace(AWS_KINDS, accounts=(account,), not_principal_arn_patterns=_SERVICE_LINKED),
                      self._outsider_org(account),
                      probe_principal=f"arn:aws:iam::{account}:user/reach-probe")

    def add_account_class(self, account: str) -> Caller:
        node = f"account:{account}"
        if node not in self.callers:
            self._add(self._account(account))
        return self.callers[node]

    def add_role_class(self, account: str, pattern: str) -> Caller:
        """`roles:ACCOUNT:PATTERN`: the sessions of any role, existing or not, of the account
        whose ARN is `arn:PARTITION:iam::ACCOUNT:role/PATTERN` (`*` and `?` as in
        StringLike), with any identity policy the account's SCPs let through."""
        node = f"roles:{account}:{pattern}"
        if node in self.callers:
            return self.callers[node]
        example = re.sub(r"[*?]", "x", pattern)
        example += "x" if not example or example.endswith("/") else ""
        name = example.rsplit("/", 1)[-1]
        caller = Caller(node, NodeKind.ROLES, f"any role in account {account} whose name matches {pattern}", account,
                        (ANY_IDENTITY,), None, None, self.perimeter.scp_levels(account),
                        RequestSpace((PrincipalKind.ROLE_SESSION,), accounts=(account,),
                                     not_principal_arn_patterns=_SERVICE_LINKED,
                                     principal_arn_patterns=(f"arn:aws:iam::{account}:role/{pattern}",)),
                        self._outsider_org(account),
                        probe_principal=f"arn:aws:sts::{account}:assumed-role/{name}/reach",
                        probe_role_arn=f"arn:aws:iam::{account}:role/{example}",
                        carried=("account", "organization", "session tags: free"))
        self._add(caller)
        return caller

    def _outside(self) -> Caller:
        org = self.snapshot.organization_id
        context = outside_organizations((org,)) if org else ()
        label = "any principal outside the organization" if self.org_accounts else \
            "any principal outside the snapshot's accounts"
        probe_account = next(a for a in (f"{n:012d}" for n in range(int(PROBE_ACCOUNT), 0, -1))
                             if a not in self.known_accounts)
        return Caller(OUTSIDE_ORG, NodeKind.OUTSIDE, label, None, (ANY_IDENTITY,), None, None, (),
                      RequestSpace(AWS_KINDS, not_accounts=tuple(sorted(self.zone_accounts)),
                                   not_principal_arn_patterns=_SERVICE_LINKED), context,
                      probe_principal=f"arn:aws:iam::{probe_account}:user/outsider")

    # -- targets ---------------------------------------------------------------

    def role_target(self, role: IamRole) -> Target:
        context = list(self._resource_org(role.account))
        context += [ContextConstraint(f"aws:ResourceTag/{k}", ConstraintOp.EQUALS, (v,))
                    for k, v in sorted(role.tags.items())]
        context += _source_identity(role, _NO_SOURCE_IDENTITY_SET)
        return Target(role.arn, role.arn, role.account, role.trust_policy, self.perimeter.rcp_levels(role.account),
                      tuple(context), (role.arn,), self._target_gaps(role.arn, role.account, True))

    def resource_target(self, resource: Resource, listed: bool = True) -> Target:
        """A resource's target; one the snapshot does not list (`listed` False) whose
        listing the collection lacks has a policy that allows everything, so that an
        edge proven absent stays absent whatever its real policy, and a found edge is
        UNKNOWN (its gaps name what is missing)."""
        context = list(self._resource_org(resource.account))
        context += [ContextConstraint(f"aws:ResourceTag/{k}", ConstraintOp.EQUALS, (v,))
                    for k, v in sorted(resource.tags.items())]
        if resource.resource_type == "AWS::S3::Bucket":  # requests on the bucket itself, not through an access point
            context += [ContextConstraint(key, ConstraintOp.ABSENT) for key in ACCESS_POINT_KEYS]
        gaps = self._target_gaps(resource.arn, resource.account, listed)
        policy = resource.policy if listed or not gaps else unknown_resource_policy()
        extras = self.perimeter.resource_extras(resource)
        open_gaps: tuple[str, ...] = ()
        open_extras = None
        collection = self.snapshot.collection
        if collection is not None:
            if resource.bucket is not None:  # an access point: its bucket's parts decide too
                bucket = self.snapshot.resource(f"arn:{resource.arn.split(':')[1]}:s3:::{resource.bucket}")
                if bucket is not None:
                    gaps += collection.closing_gaps(bucket.arn, bucket.account)
                    open_gaps = _opening(collection.opening_parts(bucket.arn), bucket)
            else:
                parts = collection.opening_parts(resource.arn)
                open_gaps = _opening(parts, resource)
                if open_gaps:
                    owner = self.perimeter.s3_accounts.get(resource.account)
                    block = combine_blocks(owner.public_access_block if owner else None, resource.public_access_block)
                    kinds = {kind for kind, _ in parts}
                    if acls_disabled(resource.object_ownership):
                        kinds -= {"acl", "object-acls"}
                    open_extras = standin_extras(extras, resource.arn, kinds,
                                                 ignore_public=block is not None and block.ignore_public_acls)
        return Target(resource.arn, resource.arn, resource.account, policy,
                      self.perimeter.rcp_levels(resource.account), tuple(context), declared_resource_patterns(resource),
                      gaps, extras, open_gaps, open_extras)

    def _target_gaps(self, arn: str, account: str, listed: bool) -> tuple[str, ...]:
        collection = self.snapshot.collection
        return () if collection is None else collection.target_gaps(arn, account, listed)

    def _resource_org(self, account: str) -> tuple[ContextConstraint, ...]:
        org = self.snapshot.organization_id
        if org and account in self.org_accounts:
            return (ContextConstraint("aws:ResourceOrgID", ConstraintOp.EQUALS, (org,)),)
        return (ContextConstraint("aws:ResourceOrgID", ConstraintOp.ABSENT),)

    # -- candidates ------------------------------------------------------------

    def names(self, target: Target, caller: Caller) -> bool:
        """Could an Allow statement of the target's resource policy, ACLs or grants name the caller?"""
        return any(self.named_by(policy, caller) for policy in target.resource_side())

    def names_within(self, target: Target, account: str | None) -> frozenset[str] | None:
        """The names of the users and roles of `account` that an Allow statement on the
        target's side names one by one (a user or role ARN, a session of a role); None
        when a statement could name any principal of the account (`*`, the account,
        NotPrincipal): the candidates among a class of callers alike."""
        names: set[str] = set()
        for policy in target.resource_side():
            for spec in _allowed_principals(policy):
                if spec is None or spec.is_everyone:
                    return None
                summary = _aws_entries(spec.aws)
                if summary.any_account or account in summary.whole_accounts:
                    return None
                for entry in summary.by_account.get(account or "", ()):
                    resource = entry.split(":", 5)[-1]
                    kind, _, rest = resource.partition("/")
                    names.add(rest.split("/", 1)[0] if kind == "assumed-role" else rest.rsplit("/", 1)[-1])
        return frozenset(names)

    def named_by(self, policy: Policy | None, caller: Caller) -> bool:
        """Could some Allow statement's Principal match the caller? Principals match
        literally (§1.5), so a caller no Allow statement names is never allowed by a
        trust policy, nor across accounts by a resource policy."""
        return policy is not None and any(spec is None or self._spec_names(spec, caller)
                                          for spec in _allowed_principals(policy))

    def _spec_names(self, spec: PrincipalSpec, caller: Caller) -> bool:
        if spec.is_everyone:
            return True
        if caller.kind is NodeKind.ANONYMOUS:
            return False
        if caller.kind is NodeKind.SERVICE:
            return caller.probe_principal in spec.service
        if caller.kind is NodeKind.FEDERATED:
            return caller.probe_principal in spec.federated
        if caller.kind in (NodeKind.USER, NodeKind.ROLE):
            summary = _aws_entries(spec.aws)
            return summary.any_account or caller.account in summary.whole_accounts or any(
                _names_principal(entry, caller) for entry in summary.by_account.get(caller.account or "", ()))
        for entry in spec.aws:
            account = _entry_account(entry)
            if caller.kind is NodeKind.OUTSIDE:
                if account is None or account not in self.zone_accounts:
                    return True
            elif caller.kind in (NodeKind.ACCOUNT, NodeKind.ROLES) and (account is None or account == caller.account):
                return True
        return False

    def assume_actions(self, caller: Caller, role: IamRole) -> tuple[str, ...]:
        if caller.kind is NodeKind.FEDERATED:
            saml = ":saml-provider/" in caller.probe_principal
            return ("sts:AssumeRoleWithSAML",) if saml else ("sts:AssumeRoleWithWebIdentity",)
        return ("sts:AssumeRole",)

    def networks(self, action: str) -> tuple[Network, ...]:
        """A request arrives through a public endpoint or an undeclared VPC endpoint
        (no endpoint policy known: the default allows all), or through a declared
        endpoint of the action's service, under its policy."""
        service = action.split(":", 1)[0].lower()
        found = self._networks.get(service)
        if found is None:
            declared = self.perimeter.vpc_endpoints
            ids = tuple(e.id for e in declared)
            public = Network("any network but the declared VPC endpoints", None,
                             (ContextConstraint("aws:SourceVpce", ConstraintOp.NOT_EQUALS, ids),) if ids else ())
            found = self._networks[service] = (public, *(endpoint_network(self.perimeter, e) for e in declared
                                                         if e.service is None or e.service.lower() == service))
        return found

    def _policies(self, caller: Caller, target: Target, network: Network) -> PolicySet:
        """Every policy of the caller's request to the target arriving by the network."""
        extras = target.extras
        # through an access point, the resource policy is its bucket's (access_points.py)
        return with_public_facts(PolicySet(
            identity_policies=caller.identity_policies, permissions_boundary=caller.boundary,
            session_policy=caller.session_policy, scps=caller.scps,
            rcps=() if caller.service_linked else target.rcps,
            resource_policy=extras.bucket_policy if extras.access_point is not None else target.policy,
            vpc_endpoint_policy=network.endpoint_policy, management_account=self.perimeter.management_account,
            acls=extras.acls, kms_grants=extras.kms_grants,
            restrict_public_buckets=extras.restrict_public_buckets, access_point=extras.access_point))

    def arrival_policies(self, caller: Caller, target: Target, actions: tuple[str, ...],
                         label: str | None) -> PolicySet | None:
        """`task`'s policies of the network named `label` (None when no network of the
        actions has that name): what an edge's witness is replayed against."""
        network = next((n for n in self.networks(actions[0]) if n.label == label), None)
        return None if network is None else self._policies(caller, target, network)

    def task(self, caller: Caller, target: Target, relation: str, actions: tuple[str, ...]) -> EdgeTask:
        networks = []
        for network in self.networks(actions[0]):
            policies = self._policies(caller, target, network)
            space = replace(caller.space, kinds=calling_kinds(caller.space.kinds, actions), actions=actions,
                            resources=target.patterns, resource_account=target.account,
                            context=caller.context + network.context + target.context)
            networks.append((network.label, policies, space))
        probe_resource = target.arn
        if len(target.patterns) > 1 and not any(":" in a and a.split(":", 1)[1].lower().endswith("bucket")
                                                for a in actions):
            inside = "/object/" if target.extras.access_point is not None else "/"
            probe_resource = target.arn + inside + "reach-probe"
        return EdgeTask(caller.node, target.node, relation, actions, tuple(networks), caller.probe_principal,
                        probe_resource, caller.label, caller.probe_role_arn)


@functools.cache
def unknown_resource_policy() -> Policy:
    """The stand-in for a resource policy the collection could not read: it allows
    everything to everyone, the most any policy could (a real one only takes away)."""
    return replace(parse_policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "NotCollected", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]},
        PolicyType.RESOURCE, source="<a resource policy the collection could not read>"), synthetic=True)


def _opening(parts: tuple[tuple[str, str], ...], resource: Resource) -> tuple[str, ...]:
    """The texts of the unread parts that could allow more (ACLs count only where
    Object Ownership leaves them in force)."""
    disabled = acls_disabled(resource.object_ownership)
    return tuple(text for kind, text in parts if not (disabled and kind in ("acl", "object-acls")))


_EVERYONE = Acl((AclGrant("Group", ALL_USERS, Permission.FULL_CONTROL),),
                source="<an ACL the collection did not read: FULL_CONTROL to everyone>")
# Where Block Public Access ignores public ACLs, an ACL still grants to canonical users
# (any account's): every signed request, as AuthenticatedUsers reads (acls.py)
_EVERY_ACCOUNT = Acl((AclGrant("Group", AUTHENTICATED_USERS, Permission.FULL_CONTROL),),
                     source="<an ACL the collection did not read: FULL_CONTROL to any account>")


def standin_extras(extras: ResourceExtras, arn: str, kinds: set[str], *, ignore_public: bool = False) -> ResourceExtras:
    """The extras with, for each unread part that could allow more, a stand-in that
    allows everything it could: an ACL granting FULL_CONTROL to AllUsers (on the bucket,
    or on every object; to every signed request where IgnorePublicAcls is on, as the
    public grants are then ignored but grants to accounts are not), a grant of every
    operation to every AWS principal. A path proven absent with them is absent whatever
    the real parts hold."""
    acls = list(extras.acls)
    everyone = _EVERY_ACCOUNT if ignore_public else _EVERYONE
    if "acl" in kinds:
        acls.append(acl_policy(everyone, arn, on_object=False, slot="bucket_acl"))
    if "object-acls" in kinds:
        acls.append(acl_policy(everyone, f"{arn}/*", on_object=True, slot="object_acl"))
    grants = extras.kms_grants
    if "kms-grants" in kinds:
        everything = KmsGrant("not-collected", arn, "*", tuple(sorted(OPERATIONS)))
        grants = grants_policy((everything,), "<the grants the collection did not read: every operation to everyone>")
    return replace(extras, acls=tuple(acls), kms_grants=grants)


def extra_policies(snapshot: Snapshot) -> list[Policy]:
    """The ACLs and grants of the snapshot's resources as policies (every grant, those
    Block Public Access ignores too): the principals they name are nodes."""
    perimeter = snapshot.as_perimeter()
    found: list[Policy] = []
    for resource in snapshot.resources:
        extras = resource_extras(replace(resource, public_access_block=None), perimeter.s3_accounts)
        found += [*extras.acls, *((extras.kms_grants,) if extras.kms_grants else ())]
    return found


def _principal_tag_keys(snapshot: Snapshot) -> tuple[str, ...]:
    policies: list[Policy] = []
    for role in snapshot.roles:
        policies += [role.trust_policy, *role.policies]
        policies += [p for p in (role.permissions_boundary, role.session_policy) if p is not None]
    for user in snapshot.users:
        policies += [*user.policies, *([user.permissions_boundary] if user.permissions_boundary else [])]
    policies += [r.policy for r in snapshot.resources if r.policy is not None]
    if snapshot.organization is not None:
        nodes = [snapshot.organization.root]
        while nodes:
            node = nodes.pop()
            policies += [*node.scps, *node.rcps]
            nodes += node.children
    return tuple(sorted({c.key_lower for p in policies for s in p.statements for c in s.conditions
                         if c.key_lower.startswith("aws:principaltag/")}))


_ROLE_ARN = re.compile(r"arn:aws:iam::(\d{12}):role/(.+)", re.IGNORECASE)
_ARN_OPERATORS = ("StringEquals", "StringLike", "ArnEquals", "ArnLike")


def _named_outsiders(snapshot: Snapshot, known: set[str]) -> tuple[set[str], list[tuple[str, str]]]:
    """Accounts outside the snapshot that an Allow statement's Principal names, and the
    (account, role pattern) pairs of `aws:PrincipalArn` conditions of Allow statements
    in trust and resource policies, but for the snapshot's own roles."""
    policies = [role.trust_policy for role in snapshot.roles] + [r.policy for r in snapshot.resources
                                                                 if r.policy is not None]
    policies += extra_policies(snapshot)
    own_roles = {role.arn.lower() for role in snapshot.roles}
    accounts: set[str] = set()
    patterns: dict[tuple[str, str], None] = {}
    for policy in policies:
        for statement in policy.statements:
            if statement.effect is not Effect.ALLOW:
                continue
            for entry in statement.principal.aws if statement.principal is not None else ():
                account = _entry_account(entry)
                if account is not None and account not in known:
                    accounts.add(account)
            for condition in statement.conditions:
                if condition.key_lower != "aws:principalarn" or condition.negated or \
                        condition.base not in _ARN_OPERATORS:
                    continue
                for value in condition.values:
                    match = _ROLE_ARN.fullmatch(value)
                    if match is None or "${" in value or value.lower() in own_roles:
                        continue
                    if condition.base.endswith("Like") or not any(c in value for c in "*?"):
                        patterns[(match.group(1), match.group(2))] = None
    return accounts, list(patterns)


def _allowed_principals(policy: Policy) -> Iterator[PrincipalSpec | None]:
    """The Principal of each Allow statement that has one; None for a NotPrincipal (it
    may match anyone)."""
    for statement in policy.statements:
        if statement.effect is not Effect.ALLOW:
            continue
        if statement.not_principal is not None:
            yield None
        elif statement.principal is not None:
            yield statement.principal


@dataclass(frozen=True)
class _AwsEntries:
    """A Principal's `AWS` entries, sorted for naming a user or role caller."""

    any_account: bool  # an entry without an account (`*`, ...) names every caller
    whole_accounts: frozenset[str]  # entries naming a whole account
    by_account: dict[str, tuple[str, ...]]  # the other entries, by their account


@functools.lru_cache(maxsize=65536)
def _aws_entries(entries: tuple[str, ...]) -> _AwsEntries:
    by_account: dict[str, list[str]] = {}
    whole: set[str] = set()
    any_account = False
    for entry in entries:
        account = _entry_account(entry)
        if account is None:
            any_account = True
        elif _names_account(entry):
            whole.add(account)
        else:
            by_account.setdefault(account, []).append(entry)
    return _AwsEntries(any_account, frozenset(whole), {k: tuple(v) for k, v in by_account.items()})


def _entry_account(entry: str) -> str | None:
    if entry.isdigit() and len(entry) == 12:
        return entry
    fields = entry.split(":", 5)
    if len(fields) == 6 and fields[4].isdigit():
        return fields[4]
    return None


def _names_account(entry: str) -> bool:
    return (entry.isdigit() and len(entry) == 12) or entry.endswith(":root")


def _names_principal(entry: str, caller: Caller) -> bool:
    """A user or role ARN (any path), or a session of the caller's role."""
    if caller.kind not in (NodeKind.USER, NodeKind.ROLE):
        return False
    arn = caller.node
    name = arn.rsplit("/", 1)[-1]
    kind = "user" if caller.kind is NodeKind.USER else "role"
    fields = entry.split(":", 5)
    if len(fields) != 6 or fields[4] != caller.account:
        return False
    resource = fields[5]
    if resource.startswith(f"{kind}/") and resource.rsplit("/", 1)[-1] == name:
        return True
    return kind == "role" and resource.startswith(f"assumed-role/{name}/")


@dataclass
class EdgeCounts:
    pruned: int = 0  # pairs no Allow statement names: absent without a query
    queried: int = 0
    cached: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
