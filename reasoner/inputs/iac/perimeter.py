"""What an IaC input adds to a perimeter file (`terraform_plan:` and
`cloudformation:`): its resources with their resource-based or trust policies, its
roles and users with their inline, managed, group and boundary policies, its VPC
endpoints, and its SCPs and RCPs on the organization's accounts and root.

`prove` needs every value: a proof over request spaces has no symbols. A part of
the input that is not fully known (a name generated at deploy time, a parameter
without a value, a policy in several cases, a resource type `prove` does not
model, an SCP on a target the file's organization does not hold) is never
dropped: it is named in `Perimeter.unknowns`, and every invariant is then
UNKNOWN, naming it. What the perimeter file itself declares wins over the input
(a resource or identity with the same ARN is the file's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from reasoner.inputs.iac.model import IacInventory, IacPolicy, OuNamed, PolicyKind, PrincipalType
from reasoner.inputs.iac.symbolic import POLICY_TYPES, lower
from reasoner.inputs.iac.values import Template, Unknown
from reasoner.inputs.model import (
    RESOURCE_TYPES,
    Identity,
    Organization,
    OrgNode,
    Perimeter,
    Resource,
    VpcEndpoint,
    fitted,
)
from reasoner.policy.model import Policy

_ACCOUNT = re.compile(r"\d{12}")


@dataclass
class _Joined:
    unknowns: list[str] = field(default_factory=list)

    def known(self, value: str | Template | Unknown | None, what: str) -> str | None:
        if isinstance(value, str) and value:
            return value
        self.unknowns.append(f"{what} is not known ({value if value is not None else 'not given'})")
        return None

    def policy(self, iac: IacPolicy) -> Policy | None:
        """The one concrete policy an IaC policy is, or None (and why, in `unknowns`)."""
        cases = lower(iac)
        if len(cases) != 1:
            self.unknowns.append(f"{iac.provenance.label} ({iac.provenance.location}) is read in {len(cases)} "
                                 "cases of values the input leaves open: give them (parameters) to prove")
            return None
        [case] = cases
        if case.policy is None:
            self.unknowns.append(case.unknown or f"{iac.provenance.label} cannot be read")
            return None
        if case.symbols:
            labels = ", ".join(sorted({symbol.unknown.label for symbol in case.symbols}))
            self.unknowns.append(f"{iac.provenance.label} ({iac.provenance.location}) holds values the input "
                                 f"leaves open ({labels}): give them (parameters, or names) to prove")
            return None
        return case.policy

    def policies(self, found: Iterable[IacPolicy]) -> tuple[Policy, ...]:
        return tuple(policy for policy in (self.policy(iac) for iac in found) if policy is not None)


def _account_of(arn: str, default: str | None) -> str | None:
    fields = arn.split(":", 5)
    if len(fields) == 6 and _ACCOUNT.fullmatch(fields[4]):
        return fields[4]
    return default


def join_inventory(perimeter: Perimeter, inventory: IacInventory, account: str | None) -> Perimeter:
    """The perimeter with what `inventory` declares added; `account` is the account
    the input deploys into (for S3 ARNs, which carry none)."""
    joined = _Joined(list(perimeter.unknowns))
    resources = _resources(joined, inventory, account, {resource.arn for resource in perimeter.resources})
    identities = _identities(joined, inventory, {identity.arn for identity in perimeter.identities})
    endpoints, fresh = _endpoints(joined, inventory, account, {endpoint.id for endpoint in perimeter.vpc_endpoints})
    organization = _organization(joined, inventory, perimeter.organization)
    _unattached(joined, inventory)
    return replace(perimeter, resources=perimeter.resources + resources, identities=perimeter.identities + identities,
                   vpc_endpoints=perimeter.vpc_endpoints + endpoints,
                   fresh_vpc_endpoints=perimeter.fresh_vpc_endpoints + fresh, organization=organization,
                   unknowns=tuple(dict.fromkeys(joined.unknowns)))


def _resources(joined: _Joined, inventory: IacInventory, account: str | None,
               declared: set[str]) -> tuple[Resource, ...]:
    found: list[Resource] = []
    for resource in inventory.resources:
        policies = [policy for policy in inventory.policies_of(resource.address)
                    if policy.kind in (PolicyKind.RESOURCE, PolicyKind.TRUST)]
        where = f"{resource.address} ({resource.provenance.location})"
        # an access point's bucket is not read from code yet: its policy alone is not its access
        if resource.resource_type not in RESOURCE_TYPES or resource.resource_type == "AWS::S3::AccessPoint":
            if policies:
                joined.unknowns.append(f"{where}: prove does not model {resource.resource_type} resources yet")
            continue
        arn = joined.known(resource.arn, f"the ARN of {where}")
        if arn is None or arn in declared:
            continue
        owner = _account_of(arn, account)
        if owner is None:
            joined.unknowns.append(f"the account of {where} is not known: give account: with the source")
            continue
        if len(policies) > 1:
            joined.unknowns.append(f"{where} has {len(policies)} policies; prove takes one per resource")
            continue
        policy = joined.policy(policies[0]) if policies else None
        if policies and policy is None:
            continue
        found.append(fitted(Resource(arn=arn, account=owner, resource_type=resource.resource_type, policy=policy,
                                     tags=resource.tags)))
    return tuple(found)


def _identities(joined: _Joined, inventory: IacInventory, declared: set[str]) -> tuple[Identity, ...]:
    by_arn_or_address: dict[object, IacPolicy] = {}
    for policy in inventory.policies:
        if policy.kind is PolicyKind.MANAGED:
            by_arn_or_address[policy.provenance.address] = policy
            if policy.arn is not None:
                by_arn_or_address[policy.arn] = policy
    groups = {name: principal for principal in inventory.principals if principal.principal_type is PrincipalType.GROUP
              for name in (principal.address, principal.name) if isinstance(name, str)}
    found: list[Identity] = []
    for principal in inventory.principals:
        if principal.principal_type is PrincipalType.GROUP:
            continue
        where = f"{principal.address} ({principal.provenance.location})"
        arn = joined.known(principal.arn, f"the ARN of {where}")
        if arn is None or arn in declared:
            continue
        iac_policies = [policy for policy in inventory.policies_of(principal.address)
                        if policy.kind in (PolicyKind.INLINE, PolicyKind.MANAGED)]
        for group in principal.groups:
            member_of = groups.get(group)
            if member_of is None:
                joined.unknowns.append(f"{where} is in group {group}, which the input does not define")
                continue
            iac_policies += [policy for policy in inventory.policies_of(member_of.address)
                             if policy.kind in (PolicyKind.INLINE, PolicyKind.MANAGED)]
        attached = [*principal.managed_policy_arns,
                    *(arn for address, arn in inventory.attachments if address == principal.address)]
        for group in principal.groups:  # a group's attachments are its members'
            member_of = groups.get(group)
            if member_of is not None:
                attached += [*member_of.managed_policy_arns,
                             *(arn for address, arn in inventory.attachments if address == member_of.address)]
        for managed in attached:
            if managed not in by_arn_or_address and not (isinstance(managed, str) and ":aws:policy/" in managed):
                joined.unknowns.append(f"{where} attaches the managed policy {managed}, which the input does not "
                                       "define")
            elif isinstance(managed, str) and managed not in by_arn_or_address:
                joined.unknowns.append(f"{where} attaches the AWS managed policy {managed}: declare its document "
                                       "in identities: to prove")
        boundary = None
        if principal.boundary_arn is not None:
            source = by_arn_or_address.get(principal.boundary_arn)
            if source is None:
                joined.unknowns.append(f"{where} has the permissions boundary {principal.boundary_arn}, which the "
                                       "input does not define")
                continue
            boundary = joined.policy(replace(source, kind=PolicyKind.BOUNDARY))
        found.append(Identity(arn=arn, account=arn.split(":")[4], policies=joined.policies(iac_policies),
                              permissions_boundary=boundary, tags=principal.tags))
    return tuple(found)


def _endpoints(joined: _Joined, inventory: IacInventory, account: str | None,
               declared: set[str]) -> tuple[tuple[VpcEndpoint, ...], tuple[VpcEndpoint, ...]]:
    """The input's VPC endpoints, and those whose id is known only after they are
    created (a Terraform plan's `aws_vpc_endpoint.x.id`): with their VPC and policy
    known, such an endpoint is kept with its id unknown, an id no other endpoint has
    (AWS makes it when it creates the endpoint, so no policy written before can name
    it), and `prove` covers every such id; else it is UNKNOWN, naming the resource and
    the attribute."""
    found: list[VpcEndpoint] = []
    fresh: list[VpcEndpoint] = []
    for endpoint in inventory.endpoints:
        where = f"{endpoint.address} ({endpoint.provenance.location})"
        vpc = joined.known(endpoint.vpc_id, f"the VPC of {where}")
        generated = isinstance(endpoint.endpoint_id, Unknown) and endpoint.endpoint_id.choices is None
        endpoint_id = str(endpoint.endpoint_id) if generated and vpc is not None else \
            joined.known(endpoint.endpoint_id, f"the id of {where}")
        if endpoint_id is None or vpc is None or endpoint_id in declared:
            continue
        policies = [policy for policy in inventory.policies_of(endpoint.address)
                    if policy.kind is PolicyKind.VPC_ENDPOINT]
        policy = joined.policy(policies[0]) if policies else None
        if policies and policy is None:
            continue  # why, in `unknowns`
        (fresh if generated else found).append(VpcEndpoint(id=endpoint_id, vpc_id=vpc, policy=policy,
                                                           account=account, service=endpoint.service))
    return tuple(found), tuple(fresh)


def _organization(joined: _Joined, inventory: IacInventory, organization: Organization | None) -> Organization | None:
    """The file's organization with the input's SCPs and RCPs on the nodes they are
    attached to (`_matches`)."""
    by_address = {policy.provenance.address: policy for policy in inventory.policies
                  if policy.kind in (PolicyKind.SCP, PolicyKind.RCP)}
    additions: list[tuple[str | OuNamed, Policy]] = []
    for address, target in inventory.organization_attachments:
        source = by_address.get(address)
        if source is None:
            continue
        where = f"{address} ({source.provenance.location})"
        known = target if isinstance(target, OuNamed) else joined.known(target, f"the target of {where}")
        if known is None:
            continue
        if organization is None:
            joined.unknowns.append(f"{where} is attached to {known}: declare organization: to prove with it")
            continue
        found = _found(organization.root, known, _ids(organization.root))
        if found != 1:
            many = "several OUs of that name" if found else "no such node"
            joined.unknowns.append(f"{where} is attached to {known}; the file's organization has {many} "
                                   "(accounts by id, the root and OUs by id: (r-..., ou-...), an OU the input "
                                   "creates by its name)")
            continue
        policy = joined.policy(source)
        if policy is not None:
            additions.append((known, policy))
    if organization is None or not additions:
        return organization
    return replace(organization, root=_attach(organization.root, additions, _ids(organization.root)))


def _matches(node: OrgNode, target: str | OuNamed, ids: frozenset[str]) -> bool:
    """An account by its id; the root by its id (any r-... when the file gives none);
    an OU by its id, or, when no node of the file has that id, an OU without one by
    a name equal to the id; an OU the input creates (its id known only once created)
    by its name: the documented fallback (docs/iac.md). `ids`: the file's node ids."""
    if isinstance(target, OuNamed):
        return node.kind == "ou" and node.name == target.name
    if node.kind == "account":
        return node.account_id == target
    if node.kind == "root":
        return target == node.node_id if node.node_id is not None else target.startswith("r-")
    return target == node.node_id if node.node_id is not None else target not in ids and target == node.name


def _ids(node: OrgNode) -> frozenset[str]:
    own = frozenset() if node.node_id is None else frozenset({node.node_id})
    return own.union(*(_ids(child) for child in node.children))


def _found(node: OrgNode, target: str | OuNamed, ids: frozenset[str]) -> int:
    """How many nodes of the tree the target matches."""
    return int(_matches(node, target, ids)) + sum(_found(child, target, ids) for child in node.children)


def _attach(node: OrgNode, additions: list[tuple[str | OuNamed, Policy]], ids: frozenset[str]) -> OrgNode:
    scps, rcps = list(node.scps), list(node.rcps)
    for target, policy in additions:
        if _matches(node, target, ids):
            (scps if policy.policy_type is POLICY_TYPES[PolicyKind.SCP] else rcps).append(policy)
    return replace(node, scps=tuple(scps), rcps=tuple(rcps),
                   children=tuple(_attach(child, additions, ids) for child in node.children))


def _unattached(joined: _Joined, inventory: IacInventory) -> None:
    """A grant on something the input does not define (a bucket policy on a bucket made
    elsewhere, an inline policy of a role made elsewhere) is not dropped."""
    defined = {*(item.address for item in inventory.resources), *(item.address for item in inventory.principals),
               *(item.address for item in inventory.endpoints)}
    for policy in inventory.policies:
        if policy.kind in (PolicyKind.MANAGED, PolicyKind.SCP, PolicyKind.RCP, PolicyKind.BOUNDARY):
            continue  # a managed policy attached to nothing grants nothing; organization policies: above
        if not any(address in defined for address in policy.attached_to):
            targets = ", ".join(policy.attached_to) or "nothing the input names"
            joined.unknowns.append(f"{policy.provenance.label} ({policy.provenance.location}) is on {targets}, "
                                   "which the input does not define: declare it in the perimeter file")
