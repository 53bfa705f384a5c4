"""Invariants as request spaces: every invariant of a perimeter becomes scopes, each a
request space over one policy set (the caller's side, the network, the resource's
side), asked for a request that breaks the invariant's expectation. No solver here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from reasoner.checks.public_facts import with_public_facts
from reasoner.evaluation.access_points import ACCESS_POINT_KEYS
from reasoner.evaluation.evaluate import ALWAYS_ALLOWED_ACTIONS
from reasoner.evaluation.spaces import (
    ConstraintOp,
    ContextConstraint,
    RequestSpace,
    in_organization,
    outside_organizations,
)
from reasoner.inputs.model import Expect, Identity, Invariant, Perimeter, PrincipalClassKind, Resource, VpcEndpoint
from reasoner.policy.digest import policy_digest
from reasoner.policy.matching import action_matches, glob_match
from reasoner.policy.model import (
    Effect,
    Policy,
    PolicySet,
    PolicyType,
    PrincipalKind,
    PrincipalSpec,
    Statement,
)
from reasoner.policy.resource_types import actions_of, resource_type

ALL_KINDS = tuple(PrincipalKind)
AWS_KINDS = (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION, PrincipalKind.ACCOUNT_ROOT,
             PrincipalKind.FEDERATED_USER)
OWN_ACCOUNT_SOURCE = "<the caller's own account, which allows it everything>"
OPEN_RESOURCE_SOURCE = "<a resource outside the zone: its policy allows everything>"

# What a caller outside the declared identities may be allowed by its own account:
# anything (its administrators are not ours).
ANY_IDENTITY = Policy(PolicyType.IDENTITY, (Statement(0, Effect.ALLOW, sid="CallerAccountAllowsAll",
                                                      actions=("*",), resources=("*",)),),
                      version="2012-10-17", source=OWN_ACCOUNT_SOURCE, synthetic=True)
OPEN_RESOURCE = Policy(PolicyType.RESOURCE, (Statement(0, Effect.ALLOW, sid="OutsideResourceAllowsAll",
                                                       principal=PrincipalSpec(wildcard=True),
                                                       actions=("*",), resources=("*",)),),
                       version="2012-10-17", source=OPEN_RESOURCE_SOURCE, synthetic=True)


@dataclass(frozen=True)
class Scope:
    """One policy set and one request space of an invariant."""

    caller: str  # principal class, for people: "outside the zone of trust", "role/app", ...
    network: str  # "a public endpoint", "endpoint vpce-...", ...
    policies: PolicySet
    space: RequestSpace
    want_allowed: bool  # True: a finding is an allowed request (expect deny)
    endpoints: tuple[VpcEndpoint, ...] = ()  # the declared VPC endpoints of a group network (`endpoint_networks`)


# ---------------------------------------------------------------------------
# Pieces of scopes


def _org_id_constraints(perimeter: Perimeter, account: str | None) -> tuple[ContextConstraint, ...]:
    orgs = perimeter.zone.organization_ids
    if account is not None and orgs and account in perimeter.organization_accounts():
        return in_organization(orgs[0])
    return ()


def _resource_side(perimeter: Perimeter, resource: Resource) -> tuple[PolicySet, tuple[ContextConstraint, ...]]:
    extras = perimeter.resource_extras(resource)
    through = extras.access_point is not None  # the resource policy is then the bucket's
    policies = with_public_facts(PolicySet(resource_policy=extras.bucket_policy if through else resource.policy,
                                           rcps=perimeter.rcp_levels(resource.account),
                                           management_account=perimeter.management_account, acls=extras.acls,
                                           kms_grants=extras.kms_grants,
                                           restrict_public_buckets=extras.restrict_public_buckets,
                                           access_point=extras.access_point))
    context: list[ContextConstraint] = [
        ContextConstraint(f"aws:ResourceTag/{key}", ConstraintOp.EQUALS, (value,))
        for key, value in sorted(resource.tags.items())
    ]
    orgs = perimeter.zone.organization_ids
    if orgs and resource.account in perimeter.organization_accounts():
        context.append(ContextConstraint("aws:ResourceOrgID", ConstraintOp.EQUALS, orgs[:1]))
    else:
        context.append(ContextConstraint("aws:ResourceOrgID", ConstraintOp.ABSENT))
    if resource.resource_type == "AWS::S3::Bucket":  # requests on the bucket itself, not through an access point
        context += [ContextConstraint(key, ConstraintOp.ABSENT) for key in ACCESS_POINT_KEYS]
    return policies, tuple(context)


def declared_resource_patterns(resource: Resource) -> tuple[str, ...]:
    """The resource and what its policy governs inside it: a bucket's objects, a
    table's indexes and streams, a domain's paths, a table bucket's tables (the
    type's further ARN formats, `resource_types.TYPES`)."""
    if resource.resource_type == "AWS::S3::AccessPoint":
        return (resource.arn, resource.arn + "/object/*")
    first, *others = resource_type(resource.resource_type).arn_templates
    if any(template.startswith(first + "/") for template in others):
        return (resource.arn, resource.arn + "/*")
    return (resource.arn,)


def _resource_actions(resource: Resource, wanted: tuple[str, ...]) -> tuple[str, ...]:
    catalogue = actions_of(resource_type(resource.resource_type))
    if not wanted:
        return catalogue
    return tuple(a for a in catalogue if any(action_matches(p, a) for p in wanted))


def covered_resources(perimeter: Perimeter, invariant: Invariant) -> list[tuple[Resource, tuple[str, ...]]]:
    """Declared resources in the invariant's scope, with the resource patterns to use."""
    chosen = []
    for resource in perimeter.resources:
        if any(resource.tags.get(k) == v for k, v in invariant.exceptions.resource_tags.items()):
            continue
        patterns = declared_resource_patterns(resource)
        if invariant.resources:
            narrowed = tuple(p for p in invariant.resources
                             if any(glob_match(p, candidate) or p.startswith(resource.arn) for candidate in
                                    (resource.arn, resource.arn + "/x")))
            if not narrowed:
                continue
            patterns = narrowed
        chosen.append((resource, patterns))
    return chosen


@dataclass(frozen=True)
class Network:
    label: str
    endpoint_policy: Policy | None
    context: tuple[ContextConstraint, ...]
    endpoints: tuple[VpcEndpoint, ...] = ()  # more than one: a group (`endpoint_networks`)


def _endpoint_context(perimeter: Perimeter, ids: tuple[str, ...], vpcs: tuple[str, ...],
                      account: str | None) -> tuple[ContextConstraint, ...]:
    context = [ContextConstraint("aws:SourceVpce", ConstraintOp.EQUALS, ids),
               ContextConstraint("aws:SourceVpc", ConstraintOp.EQUALS, vpcs),
               ContextConstraint("aws:SourceIp", ConstraintOp.ABSENT)]
    if account is not None:
        context.append(ContextConstraint("aws:VpceAccount", ConstraintOp.EQUALS, (account,)))
        orgs = perimeter.zone.organization_ids
        if orgs and account in perimeter.organization_accounts():
            context.append(ContextConstraint("aws:VpceOrgID", ConstraintOp.EQUALS, orgs[:1]))
    return tuple(context)


def endpoint_network(perimeter: Perimeter, endpoint: VpcEndpoint) -> Network:
    return Network(f"VPC endpoint {endpoint.id}", endpoint.policy,
                   _endpoint_context(perimeter, (endpoint.id,), (endpoint.vpc_id,), endpoint.account), (endpoint,))


def _fresh_endpoint_network(perimeter: Perimeter, endpoint: VpcEndpoint, declared: tuple[str, ...]) -> Network:
    """A VPC endpoint whose id is known only once it is created (`Perimeter.fresh_vpc_endpoints`):
    its VPC, account and policy, and any id no declared endpoint has, so that a proof
    covers every id it may get and a witness names the one it chose. (Another such
    endpoint's id is not excluded: a proof over more ids still holds for each.)"""
    # nor an id a policy names: that endpoint exists already (AWS makes a new id for a new endpoint)
    named = tuple(sorted({value for policy in perimeter.policies() for statement in policy.statements
                          for condition in statement.conditions if condition.key_lower == "aws:sourcevpce"
                          for value in condition.values if not any(char in value for char in "*?$")}))
    ids = [ContextConstraint("aws:SourceVpce", ConstraintOp.PRESENT)]
    if declared or named:
        ids.append(ContextConstraint("aws:SourceVpce", ConstraintOp.NOT_EQUALS, tuple(dict.fromkeys(declared + named))))
    context = tuple(c for c in _endpoint_context(perimeter, ("",), (endpoint.vpc_id,), endpoint.account)
                    if c.key != "aws:SourceVpce")
    return Network(f"VPC endpoint {endpoint.id.strip('${}')} (its id known only once created: any id no other "
                   "endpoint has)", endpoint.policy, (*ids, *context), (endpoint,))


def endpoint_networks(perimeter: Perimeter, endpoints: tuple[VpcEndpoint, ...], *,
                      group: bool = True) -> list[Network]:
    """The networks of declared VPC endpoints: one per group of endpoints with the same
    policy text, service and account (issue #17: most endpoints share them, and one
    query per endpoint made `prove` linear in endpoints). A group's space lets the
    endpoint id range over its members and the VPC over theirs, a superset of the
    real pairs: a proof over it holds for each endpoint, and the prover pairs a
    witness back to its endpoint, or asks again VPC by VPC when the witness's pair is
    no endpoint's (`by_vpc`). `group=False`: one network per endpoint."""
    groups: dict[tuple[object, ...], list[VpcEndpoint]] = {}
    for endpoint in endpoints:
        key = (policy_digest(endpoint.policy), (endpoint.service or "").lower(), endpoint.account) if group \
            else (endpoint.id,)
        groups.setdefault(key, []).append(endpoint)
    networks = []
    for members in groups.values():
        if len(members) == 1:
            networks.append(endpoint_network(perimeter, members[0]))
            continue
        ids = tuple(e.id for e in members)
        vpcs = tuple(dict.fromkeys(e.vpc_id for e in members))
        context = _endpoint_context(perimeter, ids, vpcs, members[0].account)
        networks.append(Network(_group_label(ids), members[0].policy, context, tuple(members)))
    return networks


def _group_label(ids: tuple[str, ...]) -> str:
    return f"one of {len(ids)} VPC endpoints with one policy ({', '.join(ids[:3])}{', ...' if ids[3:] else ''})"


def one_endpoint(scope: Scope, endpoint: VpcEndpoint) -> Scope:
    """A group network's scope narrowed to one of its endpoints, with its own policy."""
    return _narrowed(scope, (endpoint,))


def by_vpc(scope: Scope) -> list[Scope]:
    """A group network's scope split by VPC: each part pins one VPC, so that its
    endpoint ids and VPC pair exactly; a group of one VPC, endpoint by endpoint."""
    parts: dict[str, list[VpcEndpoint]] = {}
    for endpoint in scope.endpoints:
        parts.setdefault(endpoint.vpc_id, []).append(endpoint)
    if len(parts) == 1:
        return [one_endpoint(scope, endpoint) for endpoint in scope.endpoints]
    return [_narrowed(scope, tuple(members)) for members in parts.values()]


def _narrowed(scope: Scope, members: tuple[VpcEndpoint, ...]) -> Scope:
    ids = tuple(e.id for e in members)
    pinned = {"aws:sourcevpce": ids, "aws:sourcevpc": tuple(dict.fromkeys(e.vpc_id for e in members))}
    group = _group_constraints(scope)
    context = tuple(replace(c, values=pinned[c.key.lower()]) if c in group else c for c in scope.space.context)
    single = len(members) == 1
    return replace(scope, network=f"VPC endpoint {ids[0]}" if single else _group_label(ids), endpoints=members,
                   policies=replace(scope.policies, vpc_endpoint_policy=members[0].policy),
                   space=replace(scope.space, context=context))


def _group_constraints(scope: Scope) -> tuple[ContextConstraint, ...]:
    ids = tuple(e.id for e in scope.endpoints)
    vpcs = tuple(dict.fromkeys(e.vpc_id for e in scope.endpoints))
    return (ContextConstraint("aws:SourceVpce", ConstraintOp.EQUALS, ids),
            ContextConstraint("aws:SourceVpc", ConstraintOp.EQUALS, vpcs))


def _networks(perimeter: Perimeter, group: bool = True) -> list[Network]:
    """Every way a request can arrive: a public endpoint, each declared VPC
    endpoint (with its policy; grouped, `endpoint_networks`), or a VPC endpoint nobody
    declared (policy unknown)."""
    declared = tuple(e.id for e in perimeter.vpc_endpoints)
    networks = [Network("a public endpoint", None, (ContextConstraint("aws:SourceVpce", ConstraintOp.ABSENT),
                                                    ContextConstraint("aws:SourceVpc", ConstraintOp.ABSENT),
                                                    ContextConstraint("aws:VpceAccount", ConstraintOp.ABSENT),
                                                    ContextConstraint("aws:VpceOrgID", ConstraintOp.ABSENT)))]
    networks += endpoint_networks(perimeter, perimeter.vpc_endpoints, group=group)
    networks += [_fresh_endpoint_network(perimeter, endpoint, declared) for endpoint in perimeter.fresh_vpc_endpoints]
    networks.append(Network("a VPC endpoint outside the perimeter", None, (
        ContextConstraint("aws:SourceVpce", ConstraintOp.PRESENT),
        ContextConstraint("aws:SourceVpc", ConstraintOp.PRESENT),
        ContextConstraint("aws:SourceIp", ConstraintOp.ABSENT),
        ContextConstraint("aws:SourceVpce", ConstraintOp.NOT_EQUALS, declared) if declared else
        ContextConstraint("aws:SourceVpce", ConstraintOp.PRESENT))))
    return networks


def _unexpected_networks(perimeter: Perimeter) -> list[Network]:
    zone = perimeter.zone
    public: list[ContextConstraint] = [ContextConstraint("aws:SourceVpce", ConstraintOp.ABSENT),
                                       ContextConstraint("aws:SourceVpc", ConstraintOp.ABSENT),
                                       ContextConstraint("aws:VpceAccount", ConstraintOp.ABSENT),
                                       ContextConstraint("aws:VpceOrgID", ConstraintOp.ABSENT),
                                       ContextConstraint("aws:SourceIp", ConstraintOp.PRESENT)]
    if zone.cidrs:
        public.append(ContextConstraint("aws:SourceIp", ConstraintOp.IP_NOT_IN, zone.cidrs))
    endpoint: list[ContextConstraint] = [ContextConstraint("aws:SourceVpce", ConstraintOp.PRESENT),
                                         ContextConstraint("aws:SourceVpc", ConstraintOp.PRESENT),
                                         ContextConstraint("aws:SourceIp", ConstraintOp.ABSENT)]
    if zone.vpc_endpoint_ids:
        endpoint.append(ContextConstraint("aws:SourceVpce", ConstraintOp.NOT_EQUALS, zone.vpc_endpoint_ids))
    if zone.vpc_ids:
        endpoint.append(ContextConstraint("aws:SourceVpc", ConstraintOp.NOT_EQUALS, zone.vpc_ids))
    if zone.organization_ids:
        endpoint.append(ContextConstraint("aws:VpceOrgID", ConstraintOp.NOT_EQUALS, zone.organization_ids))
    trusted = tuple(sorted(set(zone.trusted_accounts) | set(perimeter.organization_accounts())))
    if trusted:
        endpoint.append(ContextConstraint("aws:VpceAccount", ConstraintOp.NOT_EQUALS, trusted))
    return [Network("a network outside the expected ones (public)", None, tuple(public)),
            Network("a VPC endpoint outside the expected ones", None, tuple(endpoint))]


def _exception_constraints(invariant: Invariant) -> tuple[ContextConstraint, ...]:
    found = [ContextConstraint(f"aws:PrincipalTag/{k}", ConstraintOp.NOT_EQUALS, (v,))
             for k, v in sorted(invariant.exceptions.principal_tags.items())]
    found += [ContextConstraint(f"aws:PrincipalTag/{k}", ConstraintOp.EQUALS, (v,))
              for k, v in sorted(invariant.principal_tags.items())]
    if invariant.exceptions.via_aws_service:
        found.append(ContextConstraint("aws:ViaAWSService", ConstraintOp.NOT_EQUALS, ("true",)))
    return tuple(found) + invariant.context


def _identity_kinds(identity: Identity) -> tuple[PrincipalKind, ...]:
    if ":role/" in identity.arn:
        return (PrincipalKind.ROLE_SESSION, PrincipalKind.ROLE)
    return (PrincipalKind.USER,)


def _identity_tags(identity: Identity) -> tuple[ContextConstraint, ...]:
    return tuple(ContextConstraint(f"aws:PrincipalTag/{k}", ConstraintOp.EQUALS, (v,))
                 for k, v in sorted(identity.tags.items()))


@dataclass(frozen=True)
class Caller:
    """A group of callers: their kinds, their account's policies, what is known of them."""

    label: str
    identity_policies: tuple[Policy, ...]
    boundary: Policy | None
    scps: tuple[tuple[Policy, ...], ...]
    space: RequestSpace  # caller fields only
    tags: tuple[ContextConstraint, ...] = ()


def _declared_caller(perimeter: Perimeter, identity: Identity) -> Caller:
    return Caller(identity.arn, identity.policies, identity.permissions_boundary,
                  perimeter.scp_levels(identity.account),
                  RequestSpace(_identity_kinds(identity), principal_arn=identity.arn,
                               principal_tags=tuple(sorted(identity.tags.items()))),
                  _identity_tags(identity) + _org_id_constraints(perimeter, identity.account))


def _outsiders(perimeter: Perimeter, invariant: Invariant, *, trusted_too: bool, label: str) -> Caller:
    zone = perimeter.zone
    excluded = set(perimeter.organization_accounts()) | set(invariant.exceptions.accounts)
    if trusted_too:
        excluded |= set(zone.trusted_accounts)
    kinds = tuple(k for k in ALL_KINDS if not (k is PrincipalKind.SERVICE and invariant.exceptions.service_principals))
    orgs = outside_organizations(zone.organization_ids) if zone.organization_ids else ()
    space = RequestSpace(kinds, not_accounts=tuple(sorted(excluded)),
                         not_principal_arn_patterns=(zone.trusted_principal_arns if trusted_too else ())
                         + invariant.exceptions.principal_arns,
                         not_services=zone.trusted_service_principals if trusted_too else ())
    return Caller(label, (ANY_IDENTITY,), None, (), space, orgs)


def _declared_arns(perimeter: Perimeter, account: str | None = None) -> tuple[str, ...]:
    """The declared identities (of the account): a class of unknown principals leaves
    them out, since their own policies are known and proven with them."""
    return tuple(i.arn for i in perimeter.identities if account is None or i.account == account)


def _outside_org_context(perimeter: Perimeter, account: str) -> tuple[ContextConstraint, ...]:
    """An account's callers' organization: ours for a member, another or none else."""
    orgs = perimeter.zone.organization_ids
    if not orgs or account in perimeter.organization_accounts():
        return _org_id_constraints(perimeter, account)
    return outside_organizations(orgs)


def _org_account_callers(perimeter: Perimeter, invariant: Invariant, accounts: tuple[str, ...],
                         leave_out: tuple[str, ...] = ()) -> list[Caller]:
    """Any principal of each account, but those of `leave_out` (ARNs)."""
    callers = []
    for account in accounts:
        if account in invariant.exceptions.accounts:
            continue
        space = RequestSpace(AWS_KINDS, accounts=(account,),
                             not_principal_arn_patterns=invariant.exceptions.principal_arns + leave_out)
        callers.append(Caller(f"any principal of account {account}", (ANY_IDENTITY,), None,
                              perimeter.scp_levels(account), space, _org_id_constraints(perimeter, account)))
    return callers


def _combine(caller: Caller, network: Network, resource_side: PolicySet, *, resource_space: RequestSpace,
             invariant: Invariant, want_allowed: bool, extra: tuple[ContextConstraint, ...] = ()) -> Scope:
    policies = replace(resource_side, identity_policies=caller.identity_policies,
                       permissions_boundary=caller.boundary, scps=caller.scps,
                       vpc_endpoint_policy=network.endpoint_policy)
    context = caller.tags + network.context + _exception_constraints(invariant) + extra + resource_space.context
    space = replace(caller.space, actions=resource_space.actions, not_actions=resource_space.not_actions,
                    resources=resource_space.resources,
                    not_resources=resource_space.not_resources + invariant.exceptions.resources,
                    resource_account=resource_space.resource_account,
                    not_resource_accounts=resource_space.not_resource_accounts, context=context,
                    resource_tags=resource_space.resource_tags)
    return Scope(caller.label, network.label, policies, space, want_allowed, network.endpoints)


# ---------------------------------------------------------------------------
# Invariants into scopes


def _to_declared_resources(perimeter: Perimeter, invariant: Invariant, callers: list[Caller],
                           networks: list[Network], *, want_allowed: bool) -> Iterator[Scope]:
    for resource, patterns in covered_resources(perimeter, invariant):
        actions = _resource_actions(resource, invariant.actions)
        if not actions:
            continue
        side, context = _resource_side(perimeter, resource)
        resource_space = RequestSpace(ALL_KINDS, actions=actions, resources=patterns,
                                      resource_account=resource.account, context=context,
                                      resource_tags=tuple(sorted(resource.tags.items())))
        for caller in callers:
            for network in networks:
                yield _combine(caller, network, side, resource_space=resource_space, invariant=invariant,
                               want_allowed=want_allowed)


def _only_trusted_identities(perimeter: Perimeter, invariant: Invariant, group: bool) -> Iterator[Scope]:
    outsiders = _outsiders(perimeter, invariant, trusted_too=True, label="a principal outside the zone of trust")
    yield from _to_declared_resources(perimeter, invariant, [outsiders], _networks(perimeter, group), want_allowed=True)


def _only_trusted_resources(perimeter: Perimeter, invariant: Invariant, group: bool) -> Iterator[Scope]:
    zone = perimeter.zone
    trusted = tuple(sorted(set(perimeter.organization_accounts()) | set(zone.trusted_accounts)
                           | set(invariant.exceptions.accounts)))
    outside = PolicySet(resource_policy=OPEN_RESOURCE, management_account=perimeter.management_account)
    context = (ContextConstraint("aws:ResourceOrgID", ConstraintOp.NOT_EQUALS, zone.organization_ids),) \
        if zone.organization_ids else ()
    resources, not_actions = invariant.resources, tuple[str, ...]()
    if not invariant.actions:
        # The default scope is the requests that name a resource: an action on `*`
        # touches none (no resource-level permissions, §1.7), and sts:GetCallerIdentity,
        # which AWS always allows (STS API reference), names none either.
        resources, not_actions = resources or ("arn:*",), tuple(sorted(ALWAYS_ALLOWED_ACTIONS))
    resource_space = RequestSpace(ALL_KINDS, actions=invariant.actions, not_actions=not_actions, resources=resources,
                                  not_resource_accounts=trusted, context=context)
    for identity in perimeter.identities:
        if any(identity.tags.get(k) == v for k, v in invariant.exceptions.principal_tags.items()):
            continue
        caller = _declared_caller(perimeter, identity)
        for network in _networks(perimeter, group):
            scope = _combine(caller, network, outside, resource_space=resource_space, invariant=invariant,
                             want_allowed=True)
            yield replace(scope, space=replace(scope.space, context=tuple(
                c for c in scope.space.context if not c.key.lower().startswith("aws:principaltag/")
                or c in caller.tags)))


def _only_expected_networks(perimeter: Perimeter, invariant: Invariant, group: bool) -> Iterator[Scope]:
    callers = _org_account_callers(perimeter, invariant, perimeter.organization_accounts())
    callers.append(_outsiders(perimeter, invariant, trusted_too=False, label="a principal outside the organization"))
    yield from _to_declared_resources(perimeter, invariant, callers, _unexpected_networks(perimeter),
                                      want_allowed=True)


def _custom_callers(perimeter: Perimeter, invariant: Invariant) -> list[Caller]:
    assert invariant.principals is not None
    kind, value = invariant.principals.kind, invariant.principals.value
    allow = invariant.expect is Expect.ALLOW
    zone = perimeter.zone
    declared = [_declared_caller(perimeter, i) for i in perimeter.identities]
    if kind is PrincipalClassKind.ANONYMOUS:
        return [Caller("anonymous", (), None, (), RequestSpace((PrincipalKind.ANONYMOUS,)))]
    if kind is PrincipalClassKind.ACCOUNT:
        mine = [c for c, i in zip(declared, perimeter.identities, strict=True) if i.account == value]
        if allow:
            return mine
        if value in perimeter.organization_accounts():
            return [*mine, *_org_account_callers(perimeter, invariant, (value,), _declared_arns(perimeter, value))]
        return [*mine, Caller(f"any principal of account {value}", (ANY_IDENTITY,), None, (),
                              RequestSpace(AWS_KINDS, accounts=(value,) if value else (),
                                           not_principal_arn_patterns=_declared_arns(perimeter, value)),
                              _outside_org_context(perimeter, value) if value else ())]
    if kind is PrincipalClassKind.ARN:
        assert value is not None
        mine = [c for c, i in zip(declared, perimeter.identities, strict=True) if glob_match(value, i.arn)]
        if allow:
            return mine
        account = value.split(":")[4] if value.count(":") >= 5 else ""
        scps = perimeter.scp_levels(account) if account.isdigit() else ()
        return [*mine, Caller(f"any principal matching {value}", (ANY_IDENTITY,), None, scps,
                              RequestSpace(AWS_KINDS, principal_arn_patterns=(value,),
                                           not_principal_arn_patterns=tuple(i.arn for i in perimeter.identities
                                                                            if glob_match(value, i.arn))),
                              _outside_org_context(perimeter, account) if account.isdigit() else ())]
    if kind in (PrincipalClassKind.OUTSIDE_ORG, PrincipalClassKind.OUTSIDE_ACCOUNTS):
        if allow:
            return []
        return [_outsiders(perimeter, invariant, trusted_too=kind is PrincipalClassKind.OUTSIDE_ACCOUNTS,
                           label="a principal outside the organization" if kind is PrincipalClassKind.OUTSIDE_ORG
                           else "a principal outside the organization and the trusted accounts")]
    # any principal
    if allow:
        return declared
    callers = declared + _org_account_callers(perimeter, invariant, perimeter.organization_accounts())
    callers.append(_outsiders(perimeter, invariant, trusted_too=False, label="a principal outside the organization"))
    del zone
    return callers


def _custom(perimeter: Perimeter, invariant: Invariant, group: bool) -> Iterator[Scope]:
    want_allowed = invariant.expect is Expect.DENY
    callers = _custom_callers(perimeter, invariant)
    pinned = [c for c in invariant.context if c.key.lower() == "aws:sourcevpce" and c.op is ConstraintOp.EQUALS]
    networks: list[Network]
    if pinned:
        endpoints = [e for e in perimeter.vpc_endpoints if e.id in pinned[0].values]
        networks = endpoint_networks(perimeter, tuple(endpoints), group=group) or \
            [Network("the given network", None, ())]
    elif invariant.context:
        networks = [Network("the given network", None, ())]
    else:
        networks = _networks(perimeter, group)
    if invariant.resources and not covered_resources(perimeter, invariant):
        # resources nobody declared: no resource-based policy is known for them
        for pattern in invariant.resources:
            fields = pattern.split(":", 5)
            owner = fields[4] if len(fields) == 6 and fields[4].isdigit() else None
            side = PolicySet(rcps=perimeter.rcp_levels(owner) if owner else (),
                             management_account=perimeter.management_account)
            resource_space = RequestSpace(ALL_KINDS, actions=invariant.actions, resources=(pattern,),
                                          resource_account=owner)
            for caller in callers:
                for network in networks:
                    yield _combine(caller, network, side, resource_space=resource_space, invariant=invariant,
                                   want_allowed=want_allowed)
        return
    yield from _to_declared_resources(perimeter, invariant, callers, networks, want_allowed=want_allowed)


def scopes(perimeter: Perimeter, invariant: Invariant, *, group_endpoints: bool = True) -> list[Scope]:
    """The invariant's scopes; `group_endpoints` False: one network per declared VPC
    endpoint (the reference the grouped answer is tested against)."""
    if invariant.is_custom:
        return list(_custom(perimeter, invariant, group_endpoints))
    return list({
        "only-trusted-identities": _only_trusted_identities,
        "only-trusted-resources": _only_trusted_resources,
        "only-expected-networks": _only_expected_networks,
    }[invariant.check](perimeter, invariant, group_endpoints))
