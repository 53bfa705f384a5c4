"""The whole evaluation chain as z3 terms: `evaluate.evaluate` line for line
(iam-semantics.md §5.2-§5.4), over a symbolic request.

The policies are concrete; only the request is symbolic. `ChainTerms.allow`,
`explicit_deny` and `implicit_deny` are mutually exclusive and exhaustive, as the
evaluator's three decisions are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import z3

from reasoner.encodings.memo import per_request
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.statements import StatementTerms, statement_terms
from reasoner.encodings.strings import any_string, string_val
from reasoner.encodings.terms import FALSE, TRUE, all_of, and_, any_of, not_, or_
from reasoner.errors import EncodingError
from reasoner.evaluation.evaluate import ALWAYS_ALLOWED_ACTIONS
from reasoner.policy.model import Effect, Policy, PolicySet, PolicyType, PrincipalKind

_NO_IDENTITY = (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY,
                PrincipalKind.CANONICAL_USER)


@dataclass(frozen=True)
class SlotTerms:
    """One policy in its slot with the terms of each statement."""

    name: str  # "identity_policies[0]", "scps[1][0]", ...
    kind: str  # "identity_policies", "scps", ...
    policy: Policy
    statements: tuple[StatementTerms, ...]

    def fires(self, effect: Effect) -> z3.BoolRef:
        return any_of(terms.applies for terms in self.statements if terms.statement.effect is effect)

    def grants(self, level: str) -> z3.BoolRef:
        return any_of(terms.grants(level) for terms in self.statements
                      if terms.statement.effect is Effect.ALLOW)


@dataclass(frozen=True)
class ChainTerms:
    allow: z3.BoolRef
    explicit_deny: z3.BoolRef
    implicit_deny: z3.BoolRef
    slots: tuple[SlotTerms, ...]
    # Pieces a query may want to name (e.g. "allowed by the resource policy alone").
    resource_grants: z3.BoolRef
    identity_allows: z3.BoolRef
    denied: z3.BoolRef


def _slot(name: str, kind: str, policy: Policy, sym: SymbolicRequest, has_boundary: bool) -> SlotTerms:
    return SlotTerms(name, kind, policy, tuple(statement_terms(s, policy, sym, has_boundary=has_boundary)
                                               for s in policy.statements))


def chain_slots(policies: PolicySet, sym: SymbolicRequest) -> list[SlotTerms]:
    has_boundary = policies.permissions_boundary is not None
    slots = [_slot(f"identity_policies[{i}]", "identity_policies", p, sym, has_boundary)
             for i, p in enumerate(policies.identity_policies)]
    if policies.permissions_boundary is not None:
        slots.append(_slot("permissions_boundary", "permissions_boundary", policies.permissions_boundary, sym,
                           has_boundary))
    if policies.session_policy is not None:
        slots.append(_slot("session_policy", "session_policy", policies.session_policy, sym, has_boundary))
    for level, scps in enumerate(policies.scps):
        slots.extend(_slot(f"scps[{level}][{i}]", "scps", p, sym, has_boundary) for i, p in enumerate(scps))
    for level, rcps in enumerate(policies.rcps):
        slots.extend(_slot(f"rcps[{level}][{i}]", "rcps", p, sym, has_boundary) for i, p in enumerate(rcps))
    if policies.resource_policy is not None:
        slots.append(_slot("resource_policy", "resource_policy", policies.resource_policy, sym, has_boundary))
    if policies.vpc_endpoint_policy is not None:
        slots.append(_slot("vpc_endpoint_policy", "vpc_endpoint_policy", policies.vpc_endpoint_policy, sym,
                           has_boundary))
    slots.extend(_slot(acl.name or f"acls[{i}]", "acls", acl, sym, has_boundary) for i, acl in enumerate(policies.acls))
    if policies.kms_grants is not None:
        slots.append(_slot("kms_grants", "kms_grants", policies.kms_grants, sym, has_boundary))
    return slots


@per_request
def restriction_lets_through(sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.restriction_lets_through`: a service principal, or a caller of the owner's account."""
    return or_(sym.kind_is(PrincipalKind.SERVICE), and_(sym.has_account, same_account(sym)))


def _action_is(sym: SymbolicRequest, names: Sequence[str]) -> z3.BoolRef:
    terms = [sym.action == index for index in (sym.actions.index_of(n) for n in names) if index is not None]
    return any_of(terms)


@per_request
def is_service_linked_role(sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.is_service_linked_role`: the role ARN of a role or a session,
    `arn:P:iam::A:role/PATH NAME`, has a path starting `aws-service-role/`. A regex
    on the short path field, not a prefix test on the ARN."""
    inside = z3.Concat(z3.Re(string_val("aws-service-role/")), any_string())
    return all_of([sym.kind_is(PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION), sym.has_role_arn,
                   z3.InRe(sym.principal_path, inside)])


def scps_apply(policies: PolicySet, sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.scps_apply`."""
    if not policies.scps:
        return FALSE
    return _scps_apply(sym, policies.management_account)


@per_request
def _scps_apply(sym: SymbolicRequest, management_account: str | None) -> z3.BoolRef:
    management = TRUE
    if management_account is not None:
        management = sym.principal_account != string_val(management_account)
    return all_of([sym.has_account, not_(sym.kind_is(*_NO_IDENTITY)), management,
                   not_(is_service_linked_role(sym))])


def rcps_apply(policies: PolicySet, sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.rcps_apply`."""
    if not policies.rcps:
        return FALSE
    return _rcps_apply(sym, policies.management_account)


@per_request
def _rcps_apply(sym: SymbolicRequest, management_account: str | None) -> z3.BoolRef:
    management = TRUE
    if management_account is not None:
        management = not_(and_(sym.has_resource_account, sym.resource_account == string_val(management_account)))
    return all_of([not_(is_service_linked_role(sym)), not_(_action_is(sym, ["kms:retiregrant"])), management])


def needs_resource_policy(policies: PolicySet, sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.needs_resource_policy`: KMS keys and role trust."""
    if policies.standalone:
        return FALSE
    if policies.resource_policy is not None and policies.resource_policy.policy_type is PolicyType.TRUST:
        return TRUE
    return _key_or_role(sym)


@per_request
def _key_or_role(sym: SymbolicRequest) -> z3.BoolRef:
    kms = _kms_resource(sym)
    sts_role = and_(sym.actions.matches_any(sym.action, ["sts:*"]), sym.resource_arn.contains(":role/"))
    return or_(kms, sts_role)


@per_request
def _kms_resource(sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.is_kms_key`: an ARN of service `kms` whose resource part starts
    `key/` (an alias is no key)."""
    arn = sym.resource_arn
    return and_(arn.is_arn, arn.component(2) == z3.StringVal("kms"),
                z3.PrefixOf(z3.StringVal("key/"), arn.component(5)))


@per_request
def same_account(sym: SymbolicRequest) -> z3.BoolRef:
    """`evaluate.same_account`: an unknown owner is the caller's account."""
    return or_(not_(sym.has_resource_account),
               and_(sym.has_account, sym.resource_account == sym.principal_account))


def encode_chain(policies: PolicySet, sym: SymbolicRequest) -> ChainTerms:
    """`evaluate.evaluate` as terms."""
    if policies.access_point is not None:
        raise EncodingError("S3 access points", "requests through S3 access points are not encoded yet")
    slots = chain_slots(policies, sym)
    scp_on = scps_apply(policies, sym)
    rcp_on = rcps_apply(policies, sym)

    def in_force(slot: SlotTerms) -> z3.BoolRef:
        if slot.kind == "scps":
            return scp_on
        if slot.kind == "rcps":
            return rcp_on
        return TRUE

    def of_kind(kind: str) -> list[SlotTerms]:
        return [slot for slot in slots if slot.kind == kind]

    always = _action_is(sym, sorted(ALWAYS_ALLOWED_ACTIONS))
    denied = any_of(and_(in_force(slot), slot.fires(Effect.DENY)) for slot in slots)

    scp_ok = TRUE
    if policies.scps:
        scp_levels = []
        for level_index in range(len(policies.scps)):
            prefix = f"scps[{level_index}]["
            scp_levels.append(any_of(slot.fires(Effect.ALLOW) for slot in slots if slot.name.startswith(prefix)))
        scp_ok = or_(not_(scp_on), all_of(scp_levels))
    vpce_ok = TRUE
    if policies.vpc_endpoint_policy is not None:
        vpce_ok = any_of(slot.fires(Effect.ALLOW) for slot in of_kind("vpc_endpoint_policy"))

    # the resource policy (cut by RestrictPublicBuckets) and the ACLs in force
    open_policy = TRUE if not policies.restricted_resource_policy else restriction_lets_through(sym)

    def resource_grants(level: str) -> z3.BoolRef:
        return or_(and_(open_policy, any_of(slot.grants(level) for slot in of_kind("resource_policy"))),
                   any_of(slot.grants(level) for slot in of_kind("acls")))

    direct, role, account = resource_grants("direct"), resource_grants("role"), resource_grants("account")

    root = sym.kind_is(PrincipalKind.ACCOUNT_ROOT)
    identity_allows = any_of(slot.fires(Effect.ALLOW) for slot in of_kind("identity_policies"))
    identity_ok = or_(root, and_(not_(sym.kind_is(*_NO_IDENTITY)), identity_allows))
    boundary_ok = TRUE
    if policies.permissions_boundary is not None:
        boundary_ok = or_(root, any_of(slot.fires(Effect.ALLOW) for slot in of_kind("permissions_boundary")))
    session_ok = TRUE
    if policies.session_policy is not None:
        session_ok = or_(root, any_of(slot.fires(Effect.ALLOW) for slot in of_kind("session_policy")))
    caps = and_(boundary_ok, session_ok)

    same = same_account(sym)
    needs = needs_resource_policy(policies, sym)
    same_plain = or_(direct, and_(role, caps), and_(identity_ok, caps))
    same_needs = or_(direct, and_(role, caps), all_of([account, identity_ok, caps]))
    caller_side = or_(and_(identity_ok, caps), sym.kind_is(*_NO_IDENTITY))
    cross = and_(caller_side, or_(direct, role, account))
    granted = z3.If(same, z3.If(needs, same_needs, same_plain), cross)
    # a KMS grant needs no policy; one to an account delegates to its IAM policies
    grants = of_kind("kms_grants")
    by_grant = or_(any_of(or_(slot.grants("direct"), slot.grants("role")) for slot in grants),
                   all_of([any_of(slot.grants("account") for slot in grants), identity_ok, caps]))

    allow = or_(always, all_of([not_(denied), scp_ok, vpce_ok, or_(granted, by_grant)]))
    explicit = and_(not_(always), denied)
    implicit = and_(not_(allow), not_(explicit))
    return ChainTerms(allow, explicit, implicit, tuple(slots), or_(direct, role, account), identity_allows, denied)
