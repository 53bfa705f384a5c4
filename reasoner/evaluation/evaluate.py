"""The reference evaluator: one concrete request, every policy that applies to it,
one decision, by AWS's documented semantics (iam-semantics.md §5).

This module is the truth the SMT encodings are tested against: plain Python, no
solver, meant to be read side by side with the semantics document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from reasoner.evaluation.access_points import access_point_side, bucket_request, covers, renamed
from reasoner.policy.catalogue import is_multivalued
from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.matching import (
    EXECUTE_API_SHORTHAND,
    Token,
    Variable,
    action_matches,
    base_match,
    execute_api_shorthand_match,
    is_execute_api_shorthand,
    resolve,
    resource_tokens_match,
    split_arn,
    tokenize,
)
from reasoner.policy.model import (
    AccessPoint,
    Condition,
    ContextValue,
    Decision,
    Effect,
    OperatorFamily,
    Policy,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalKind,
    PrincipalSpec,
    Qualifier,
    Request,
    Result,
    Statement,
    StatementRef,
)
from reasoner.policy.operators import BASE_OPERATORS

# ---------------------------------------------------------------------------
# The request context, with the keys AWS derives from the caller (§4, §6)


def derived_context(principal: Principal) -> dict[str, str]:
    """Keys AWS sets from the caller itself. A value given in the scenario's
    context wins over these; keys that need facts the principal string does not
    carry (org id, tags, unique ids) come only from the scenario."""
    kind = principal.kind
    derived: dict[str, str] = {}
    if kind is PrincipalKind.ANONYMOUS:
        derived["aws:principaltype"] = "Anonymous"
        derived["aws:userid"] = "anonymous"
        return derived
    if kind is PrincipalKind.SERVICE:
        derived["aws:principalisawsservice"] = "true"
        if principal.name:
            derived["aws:principalservicename"] = principal.name
        return derived
    if kind in (PrincipalKind.WEB_IDENTITY, PrincipalKind.CANONICAL_USER):
        return derived
    if principal.account:
        derived["aws:principalaccount"] = principal.account
    derived["aws:principalisawsservice"] = "false"
    if kind is PrincipalKind.ACCOUNT_ROOT:
        derived["aws:principaltype"] = "Account"
        derived["aws:userid"] = principal.account or ""
    elif kind is PrincipalKind.USER:
        derived["aws:principaltype"] = "User"
        if principal.name:
            derived["aws:username"] = principal.name
    elif kind in (PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION):
        derived["aws:principaltype"] = "AssumedRole"
    elif kind is PrincipalKind.FEDERATED_USER:
        derived["aws:principaltype"] = "FederatedUser"
        if principal.account and principal.name:
            derived["aws:userid"] = f"{principal.account}:{principal.name}"
    # aws:PrincipalArn reports the role, not the session (§6)
    principal_arn = principal.role_arn if principal.role_arn else principal.arn
    if principal_arn:
        derived["aws:principalarn"] = principal_arn
    return derived


@dataclass(frozen=True)
class Context:
    """The request as policies see it: context keys lower-cased, each value shaped
    by whether the catalogue says the key is multivalued (§3.3), and the facts
    about the chain that change statement matching.

    The scenario's context is the whole request context: nothing is derived from
    the principal (`derived_context` is what AWS would set, and the SMT witnesses
    carry those keys explicitly).
    """

    request: Request
    has_boundary: bool = False

    @classmethod
    def of(cls, request: Request, *, has_boundary: bool = False) -> Context:
        return cls(request, has_boundary)

    def value(self, key: str) -> ContextValue | None:
        """The values of `key` (lower-cased) as policies see them; None when there
        are none. A multivalued key keeps every value: given as an empty list, it is
        present with no values. A single-valued key given as a list keeps its first
        value, a case AWS does not define (§3.3); an empty list is no value. Worked
        out for the keys asked (a statement reads one or two of a request's keys)."""
        found = self.request.context.get(key)
        if found is None or is_multivalued(key):
            return found
        return found[:1] if found else None

    @cached_property
    def values(self) -> Mapping[str, ContextValue]:
        """`value` of every key of the request that has one."""
        return {key: found for key in self.request.context if (found := self.value(key)) is not None}

    def lookup(self, key: str) -> str | None:
        """A single value for a policy variable; multivalued keys cannot be
        variables (§4), so they resolve to nothing."""
        if is_multivalued(key):
            return None
        found = self.request.context.get(key)
        return found[0] if found else None


# ---------------------------------------------------------------------------
# Principal matching (§1.5)


class Grant(IntEnum):
    """How a resource-based policy named the caller; decides what else must allow
    in the same account (§5.2 table). Higher is stronger."""

    NONE = 0
    ACCOUNT = 1  # account id or :root naming a non-root caller: delegation, identity must allow
    ROLE = 2  # role ARN naming one of its sessions: boundary and session policy still cap
    DIRECT = 3  # user / session / federated-user ARN, "*", service, federated, canonical user


@lru_cache(maxsize=1 << 14)
def account_entry(entry: str) -> str | None:
    if len(entry) == 12 and entry.isdigit():
        return entry
    if entry.startswith("arn:") and entry.endswith(":root"):
        parts = entry.split(":")
        if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
            return parts[4]
    return None


@lru_cache(maxsize=1 << 14)
def role_name(arn: str) -> tuple[str, str] | None:
    """(account, role name) of a role ARN; the path is ignored because a session
    ARN does not carry it and role names are unique within an account."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None
    return parts[4], parts[5].rsplit("/", 1)[-1]


def aws_entry_grant(entry: str, principal: Principal, *, account_means_root: bool = False) -> Grant:
    """How one `"AWS"` principal entry matches the caller."""
    if entry == "*":
        return Grant.DIRECT
    kind = principal.kind
    if kind in (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY,
                PrincipalKind.CANONICAL_USER):
        return Grant.NONE
    account = account_entry(entry)
    if account is not None:
        if account != principal.account:
            return Grant.NONE
        if kind is PrincipalKind.ACCOUNT_ROOT:
            return Grant.DIRECT
        # A VPC endpoint policy naming an account grants only its root user (§5.4).
        return Grant.NONE if account_means_root else Grant.ACCOUNT
    if principal.arn is not None and entry == principal.arn and kind is not PrincipalKind.ROLE:
        return Grant.DIRECT
    if principal.role_arn is not None:
        named, caller = role_name(entry), role_name(principal.role_arn)
        if named is not None and named == caller:
            return Grant.ROLE
    if kind is PrincipalKind.FEDERATED_USER and entry == _federating_user(principal):
        # A federated-user session is granted through the IAM user that called
        # GetFederationToken, capped like a role's sessions (§5.2 table).
        return Grant.ROLE
    return Grant.NONE


def _federating_user(principal: Principal) -> str | None:
    if principal.account is None or principal.name is None:
        return None
    return f"arn:aws:iam::{principal.account}:user/{principal.name}"


def principal_grant(spec: PrincipalSpec, principal: Principal, *, account_means_root: bool = False) -> Grant:
    """The strongest way `spec` names the caller (entries are OR-ed, §1.5)."""
    if spec.wildcard:
        return Grant.DIRECT
    best = Grant.NONE
    for entry in spec.aws:
        grant = aws_entry_grant(entry, principal, account_means_root=account_means_root)
        if grant > best:
            best = grant
    kind = principal.kind
    if kind is PrincipalKind.SERVICE:
        service_name = principal.name.lower() if principal.name else None
        return Grant.DIRECT if any(entry.lower() == service_name for entry in spec.service) else best
    if kind is PrincipalKind.WEB_IDENTITY:
        # `"Federated": "*"` names every web-identity caller, as `"AWS": "*"` does IAM ones
        return Grant.DIRECT if principal.text in spec.federated or "*" in spec.federated else best
    if kind is PrincipalKind.CANONICAL_USER:
        return Grant.DIRECT if principal.text in spec.canonical_user else best
    return best


def _identities(principal: Principal) -> list[PrincipalSpec]:
    """Each level at which a NotPrincipal exemption must name the caller (§1.5: AWS
    may check the account, then the role, then the session)."""
    kind = principal.kind
    if kind is PrincipalKind.SERVICE:
        return [PrincipalSpec(service=(principal.name or principal.text,))]
    if kind is PrincipalKind.WEB_IDENTITY:
        return [PrincipalSpec(federated=(principal.text,))]
    if kind is PrincipalKind.CANONICAL_USER:
        return [PrincipalSpec(canonical_user=(principal.text,))]
    if kind is PrincipalKind.ANONYMOUS:
        return [PrincipalSpec(aws=("*",))]
    levels = [PrincipalSpec(aws=(f"arn:aws:iam::{principal.account}:root",))]
    if principal.role_arn is not None:
        levels.append(PrincipalSpec(aws=(principal.role_arn,)))
    if principal.arn is not None and kind is not PrincipalKind.ACCOUNT_ROOT and principal.arn != principal.role_arn:
        levels.append(PrincipalSpec(aws=(principal.arn,)))
    return levels


def not_principal_excludes(spec: PrincipalSpec, context: Context) -> bool:
    """True when a Deny + NotPrincipal statement exempts the caller.

    The exemption needs every level of the caller named (§1.5), and never holds for
    a caller with a permissions boundary (§1.5, NPRIN).
    """
    if spec.is_everyone:
        return True
    if context.has_boundary:
        return False
    principal = context.request.principal
    if principal.kind is PrincipalKind.ROLE:
        return False  # a session of the role (docs/scenarios.md, principal forms), which no entry can name
    for level in _identities(principal):
        entry = level.aws[0] if level.aws else None
        if entry is not None:
            if not any(_same_entry(listed, entry) for listed in spec.aws):
                return False
        elif principal_grant(spec, principal) is Grant.NONE:
            return False
    return True


def _same_entry(listed: str, entry: str) -> bool:
    account = account_entry(listed)
    if account is not None:
        return account_entry(entry) == account
    if listed == entry:
        return True
    named, wanted = role_name(listed), role_name(entry)
    return named is not None and named == wanted


# ---------------------------------------------------------------------------
# Statements


def condition_holds(condition: Condition, context: Context, variables_enabled: bool) -> bool:
    """One key of one operator block, with the missing-key and set-qualifier rules
    of §3.2 and §3.3."""
    found = context.value(condition.key_lower)
    if condition.family is OperatorFamily.NULL:
        # "true" holds iff the key is absent; "false" iff it is present (§3.2).
        # A key given with an empty list is present.
        return any((value.lower() == "true") != (found is not None) for value in condition.values)
    if found is None:
        if condition.if_exists:
            return True
        if condition.qualifier is Qualifier.FOR_ALL_VALUES:
            return True  # vacuous truth (§3.3)
        if condition.qualifier is Qualifier.FOR_ANY_VALUE:
            return False
        return condition.negated  # §3.2: positive false, negated true
    assert found is not None
    if condition.qualifier is Qualifier.FOR_ALL_VALUES:
        if condition.negated:
            return all(not _matches_a_value(condition, value, context, variables_enabled) for value in found)
        return all(_matches_a_value(condition, value, context, variables_enabled) for value in found)
    if condition.qualifier is Qualifier.FOR_ANY_VALUE:
        if condition.negated:
            return any(not _matches_a_value(condition, value, context, variables_enabled) for value in found)
        return any(_matches_a_value(condition, value, context, variables_enabled) for value in found)
    if is_multivalued(condition.key_lower):
        # A plain operator on a multivalued key is undefined by AWS, which calls
        # for a set qualifier (§3.3); we make it match nothing, negated or not.
        return False
    matched = _matches_a_value(condition, found[0], context, variables_enabled)
    return not matched if condition.negated else matched


def _matches_a_value(condition: Condition, value: str, context: Context, variables_enabled: bool) -> bool:
    """Does the request's value match one of the condition's values (before negation)?"""
    for policy_value in condition.values:
        if variables_enabled and "${" in policy_value:
            if base_match(BASE_OPERATORS[condition.base.lower()], value, policy_value, variables=True,
                          lookup=context.lookup):
                return True
        elif _plain_match(condition.base, value, policy_value):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def _plain_match(base: str, value: str, policy_value: str) -> bool:
    """`base_match` of a policy value without a policy variable: a function of its
    three texts (a warm organization run matches one value against one policy value
    for every caller of a resource)."""
    return base_match(BASE_OPERATORS[base.lower()], value, policy_value, variables=False, lookup=_nothing)


def _nothing(key: str) -> str | None:
    return None


def action_applies(statement: Statement, action: str) -> bool:
    # loops, not any(): the evaluator's innermost calls (a warm organization run
    # replays a hundred thousand witnesses)
    if statement.actions is not None:
        for pattern in statement.actions:  # noqa: SIM110
            if action_matches(pattern, action):
                return True
        return False
    assert statement.not_actions is not None
    for pattern in statement.not_actions:  # noqa: SIM110
        if action_matches(pattern, action):
            return False
    return True


def resource_pattern_tokens(pattern: str, variables_enabled: bool) -> tuple[Token, ...]:
    """Tokens of a Resource / NotResource entry. Policy variables count only in the
    resource part, after the fifth colon (§1.7, §4); before it `${...}` is text."""
    parts = pattern.split(":", 5)
    if len(parts) < 6 or not variables_enabled:
        return tokenize(pattern, variables=variables_enabled and len(parts) < 2, wildcards=True)
    head = tokenize(":".join(parts[:5]) + ":", variables=False, wildcards=True)
    return head + tokenize(parts[5], variables=True, wildcards=True)


@lru_cache(maxsize=65536)
def _fixed_tokens(pattern: str, variables_enabled: bool) -> tuple[Token, ...] | None:
    """The entry's tokens when it is a plain pattern without policy variables (its
    match then depends on the resource alone), else None."""
    if is_execute_api_shorthand(pattern):
        return None
    tokens = resource_pattern_tokens(pattern, variables_enabled)
    return None if any(isinstance(token, Variable) for token in tokens) else tokens


@lru_cache(maxsize=1 << 16)
def _fixed_match(pattern: str, variables_enabled: bool, resource: str) -> bool | None:
    """Does an entry without policy variables match the resource (a function of the
    two texts: a resource's callers are matched against the same entries)? None for
    an entry with a variable or in API Gateway's shorthand."""
    fixed = _fixed_tokens(pattern, variables_enabled)
    return None if fixed is None else resource_tokens_match(fixed, resource)


def _resource_entry(pattern: str, context: Context, variables_enabled: bool) -> bool | None:
    """Does the entry match the resource? None when a variable in it has no value."""
    fixed = _fixed_match(pattern, variables_enabled, context.request.resource)
    if fixed is not None:
        return fixed
    if is_execute_api_shorthand(pattern):
        rest = resolve(tokenize(pattern[len(EXECUTE_API_SHORTHAND):], variables=variables_enabled, wildcards=True),
                       context.lookup)
        return None if rest is None else execute_api_shorthand_match(rest, context.request.resource)
    tokens = resolve(resource_pattern_tokens(pattern, variables_enabled), context.lookup)
    if tokens is None:
        return None
    return resource_tokens_match(tokens, context.request.resource)


def resource_applies(statement: Statement, context: Context, variables_enabled: bool) -> bool:
    if statement.resources is not None:
        # A Resource entry with a missing variable matches no resource (§4).
        for pattern in statement.resources:  # noqa: SIM110 (a loop, as in action_applies)
            if _resource_entry(pattern, context, variables_enabled):
                return True
        return False
    assert statement.not_resources is not None
    matched = [_resource_entry(p, context, variables_enabled) for p in statement.not_resources]
    # A NotResource entry that cannot be resolved makes the statement not apply:
    # "if AWS cannot resolve a variable, this might cause the entire statement to
    # be invalid" (VAR).
    if any(found is None for found in matched):
        return False
    return not any(matched)


def statement_grant(statement: Statement, policy: Policy, context: Context) -> Grant:
    """How strongly the statement applies to the request: NONE when it does not.
    For statements without Principal (identity-side policies) a match is DIRECT."""
    if statement.applies_to_all:
        return Grant.DIRECT
    if not action_applies(statement, context.request.action):
        return Grant.NONE
    variables_enabled = policy.variables_enabled
    if not resource_applies(statement, context, variables_enabled):
        return Grant.NONE
    grant = Grant.DIRECT
    if statement.principal is not None:
        grant = principal_grant(statement.principal, context.request.principal,
                                account_means_root=policy.policy_type is PolicyType.VPC_ENDPOINT)
        if grant is Grant.NONE:
            return Grant.NONE
    elif statement.not_principal is not None and not_principal_excludes(statement.not_principal, context):
        return Grant.NONE
    for condition in statement.conditions:
        if not condition_holds(condition, context, variables_enabled):
            return Grant.NONE
    return grant


def statement_applies(statement: Statement, policy: Policy, request: Request, *, has_boundary: bool = False) -> bool:
    """Do principal, action, resource and every condition match the request?"""
    return statement_grant(statement, policy, Context.of(request, has_boundary=has_boundary)) is not Grant.NONE


# ---------------------------------------------------------------------------
# The decision procedure (§5)


class Slot(NamedTuple):  # a tuple: a dozen are made per evaluation
    """One policy in its place in the chain: `identity_policies[0]`, `scps[1][0]`."""

    name: str
    kind: str  # the slot family named in blocked_by: "identity_policies", "scps", ...
    policy: Policy


def policy_slots(policies: PolicySet, *, scps: bool = True, rcps: bool = True) -> list[Slot]:
    """Every policy of the set with the name its statements are reported under
    (without the SCPs or the RCPs when they do not apply)."""
    slots = list(_family_slots("identity_policies", policies.identity_policies))
    if policies.permissions_boundary is not None:
        slots.append(Slot("permissions_boundary", "permissions_boundary", policies.permissions_boundary))
    if policies.session_policy is not None:
        slots.append(Slot("session_policy", "session_policy", policies.session_policy))
    if scps:
        slots.extend(_family_slots("scps", policies.scps))
    if rcps:
        slots.extend(_family_slots("rcps", policies.rcps))
    if policies.resource_policy is not None:
        slots.append(Slot("resource_policy", "resource_policy", policies.resource_policy))
    if policies.vpc_endpoint_policy is not None:
        slots.append(Slot("vpc_endpoint_policy", "vpc_endpoint_policy", policies.vpc_endpoint_policy))
    for index, acl in enumerate(policies.acls):
        slots.append(Slot(acl.name or f"acls[{index}]", "acls", acl))
    if policies.kms_grants is not None:
        slots.append(Slot("kms_grants", "kms_grants", policies.kms_grants))
    return slots


def _family_slots(kind: str, family: tuple[Any, ...]) -> tuple[Slot, ...]:
    """The slots of the identity policies (`identity_policies[0]`), or of the SCPs or
    RCPs by level (`scps[1][0]`), made once per tuple: a caller's tuples are in every
    chain of its requests. An entry holds its tuple, so that no other tuple takes its
    identity while it is kept."""
    key = (kind, id(family))
    entry = _FAMILIES.get(key)
    if entry is not None and entry[0] is family:
        return entry[1]
    if kind == "identity_policies":
        slots = tuple(Slot(f"{kind}[{index}]", kind, policy) for index, policy in enumerate(family))
    else:
        slots = tuple(Slot(f"{kind}[{level}][{index}]", kind, policy)
                      for level, in_level in enumerate(family) for index, policy in enumerate(in_level))
    if len(_FAMILIES) >= _FAMILIES_KEPT:
        _FAMILIES.clear()
    _FAMILIES[key] = (family, slots)
    return slots


_FAMILIES: dict[tuple[str, int], tuple[tuple[Any, ...], tuple[Slot, ...]]] = {}
_FAMILIES_KEPT = 4096


def _ref(slot: Slot, statement: Statement) -> StatementRef:
    """The statement as a result names it, made once per policy, slot and statement
    (a warm organization run names the same few for every caller of a resource)."""
    detail = (slot.name, id(statement))  # the policy keeps its statements alive
    ref = _REFS.find(slot.policy, detail)
    if ref is None:
        ref = _REFS.keep(slot.policy, StatementRef(slot.name, statement.index, statement.sid, statement.effect,
                                                   slot.policy.source, statement.line, slot.policy.synthetic),
                         detail)
    return ref


_REFS: IdentityMemo[Policy, StatementRef] = IdentityMemo()


def _matching(slot: Slot, effect: Effect, context: Context) -> list[tuple[StatementRef, Grant]]:
    found: list[tuple[StatementRef, Grant]] = []
    for statement in slot.policy.statements:
        if statement.effect is effect:
            grant = statement_grant(statement, slot.policy, context)
            if grant is not Grant.NONE:
                found.append((_ref(slot, statement), grant))
    return found


def _allows(policy: Policy, context: Context) -> bool:
    """Does an Allow statement of the policy apply (`_matching` without the references)?"""
    for statement in policy.statements:
        if statement.effect is Effect.ALLOW and statement_grant(statement, policy, context) is not Grant.NONE:
            return True
    return False


def is_service_linked_role(principal: Principal) -> bool:
    """A role (or its session) under the path `/aws-service-role/`, which only AWS
    creates roles in."""
    return _service_linked_arn(principal.role_arn)


@lru_cache(maxsize=1 << 12)
def _service_linked_arn(role_arn: str | None) -> bool:
    parts = (role_arn or "").split(":", 5)
    return len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/aws-service-role/")


def scps_apply(request: Request, policies: PolicySet) -> bool:
    """SCPs bind the principals of member accounts, root users included, but not
    the management account, service-linked roles, service principals or anonymous
    callers (§5.4)."""
    principal = request.principal
    if not policies.scps or principal.account is None:
        return False
    if principal.kind in (PrincipalKind.SERVICE, PrincipalKind.ANONYMOUS, PrincipalKind.WEB_IDENTITY,
                          PrincipalKind.CANONICAL_USER):
        return False
    if policies.management_account is not None and principal.account == policies.management_account:
        return False
    return not is_service_linked_role(principal)


def resource_account(request: Request) -> str | None:
    return request.resource_account


def rcps_apply(request: Request, policies: PolicySet) -> bool:
    """RCPs bind resources of member accounts for every caller, except calls by
    service-linked roles, resources of the management account and
    `kms:RetireGrant` (§5.4)."""
    if not policies.rcps or is_service_linked_role(request.principal):
        return False
    if request.action.lower() == "kms:retiregrant":
        return False
    owner = resource_account(request)
    return not (policies.management_account is not None and owner == policies.management_account)


@lru_cache(maxsize=1 << 14)
def is_kms_key(resource: str) -> bool:
    """A KMS key's ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`). An alias
    (`...:alias/NAME`) is not a key: requests on it (`kms:CreateAlias`,
    `kms:DeleteAlias`, `kms:UpdateAlias`) are authorized by the caller's IAM
    policies, and the key policy governs only the key (AWS KMS developer guide,
    "Controlling access to aliases")."""
    parts = split_arn(resource)
    return parts is not None and parts[2] == "kms" and parts[5].startswith("key/")


def needs_resource_policy(request: Request, policies: PolicySet) -> bool:
    """Role trust policies and KMS key policies must allow the caller themselves:
    an identity-policy Allow alone is not enough (§5.3, §5.4); but for a
    standalone policy check."""
    if policies.standalone:
        return False
    resource = request.resource
    if is_kms_key(resource):
        return True
    if request.action.lower().startswith("sts:") and ":role/" in resource:
        return True
    return policies.resource_policy is not None and policies.resource_policy.policy_type is PolicyType.TRUST


def has_identity_policies(principal: Principal) -> bool:
    return principal.kind not in (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY,
                                  PrincipalKind.CANONICAL_USER)


def same_account(request: Request) -> bool:
    """A resource whose owner is not known (`resource_account` absent and no
    account in its ARN) is taken to be in the caller's account."""
    owner = resource_account(request)
    return owner is None or owner == request.principal.account


# sts:GetCallerIdentity needs no permission and an explicit Deny does not stop it
# (STS API reference, GetCallerIdentity).
ALWAYS_ALLOWED_ACTIONS = frozenset({"sts:getcalleridentity"})


def restriction_lets_through(request: Request) -> bool:
    """Who a public resource policy still reaches under RestrictPublicBuckets: "AWS
    service principals and authorized users within the bucket owner's account"; it
    blocks "public and cross-account access within any public bucket policy,
    including non-public delegation to specific accounts" (S3 API Reference,
    PublicAccessBlockConfiguration)."""
    return request.principal.kind is PrincipalKind.SERVICE or (
        request.principal.account is not None and same_account(request))


def evaluate(request: Request, policies: PolicySet) -> Result:
    """Decide one request over the whole chain (§5.2, §5.3, §5.4), with S3 ACLs,
    Block Public Access, access points and KMS grants (docs/semantics.md)."""
    if policies.access_point is not None and covers(policies.access_point, request.resource):
        return through_access_point(request, policies, policies.access_point)
    return evaluate_chain(request, policies)


def evaluate_chain(request: Request, policies: PolicySet) -> Result:
    """The chain for a request on the resource itself (no access point)."""
    if request.action.lower() in ALWAYS_ALLOWED_ACTIONS:
        return Result(Decision.ALLOW, (), ())
    context = Context.of(request, has_boundary=policies.permissions_boundary is not None)
    scp_on = scps_apply(request, policies)
    active = policy_slots(policies, scps=scp_on, rcps=rcps_apply(request, policies))

    # 1. An explicit Deny in any applicable policy is final (§5.2 step 1).
    denies = [ref for slot in active if slot.policy.has_deny for ref, _ in _matching(slot, Effect.DENY, context)]
    if denies:
        blocked = _unique(ref.policy.split("[")[0] for ref in denies)
        return Result(Decision.EXPLICIT_DENY, tuple(denies), blocked)

    blocked_by: list[str] = []
    # 2. RCPs: RCPFullAWSAccess is attached at every level and cannot be detached,
    #    so the Allow side always holds; RCPs act through their Deny statements.
    # 3. SCPs: an Allow at every level, root to account (§5.4).
    if scp_on:
        for level in policies.scps:
            for policy in level:
                if _allows(policy, context):
                    break
            else:
                blocked_by.append("scps")
                break
    # VPC endpoint policy: must allow the request that traverses it (§5.4).
    if policies.vpc_endpoint_policy is not None and not _allows(policies.vpc_endpoint_policy, context):
        blocked_by.append("vpc_endpoint_policy")
    blocked_before_grants = bool(blocked_by)

    # The resource side: the resource policy and the S3 ACLs in force, which S3
    # evaluates together in the bucket and object contexts (S3 User Guide, "How
    # Amazon S3 authorizes a request"). RestrictPublicBuckets cuts a public
    # resource policy down to service principals and the owner's account.
    restricted = policies.restricted_resource_policy and not restriction_lets_through(request)
    resource_allows = [pair for slot in active
                       if (slot.kind == "resource_policy" and not restricted) or slot.kind == "acls"
                       for pair in _matching(slot, Effect.ALLOW, context)]
    resource_grant = max((grant for _, grant in resource_allows), default=Grant.NONE)

    principal = request.principal
    if principal.kind is PrincipalKind.ACCOUNT_ROOT:
        # The root user has full access to its own account (§5.1); it has no
        # identity policies, boundary or session.
        identity_allows: list[StatementRef] = []
        identity_ok = True
    elif has_identity_policies(principal):
        identity_allows = [ref for slot in active if slot.kind == "identity_policies"
                           for ref, _ in _matching(slot, Effect.ALLOW, context)]
        identity_ok = bool(identity_allows)
    else:
        identity_allows, identity_ok = [], False

    boundary_ok = policies.permissions_boundary is None or principal.kind is PrincipalKind.ACCOUNT_ROOT or \
        _allows(policies.permissions_boundary, context)
    session_ok = policies.session_policy is None or principal.kind is PrincipalKind.ACCOUNT_ROOT or \
        _allows(policies.session_policy, context)
    caps_ok = boundary_ok and session_ok
    resource_refs = [ref for ref, _ in resource_allows]

    in_account = same_account(request)
    if in_account and not needs_resource_policy(request, policies):
        # Same account: identity OR resource, with the principal-type rules of §5.2.
        if resource_grant is Grant.DIRECT or (resource_grant is Grant.ROLE and caps_ok):
            granted, determining = True, resource_refs
        elif identity_ok and caps_ok:
            granted, determining = True, identity_allows
        else:
            granted, determining = False, []
            blocked_by.extend(_missing(identity_ok, boundary_ok, session_ok, resource_needed=False,
                                       resource_ok=resource_grant is not Grant.NONE, principal=principal))
    elif in_account:
        # Trust and key policies must allow; naming the account delegates to IAM.
        if resource_grant in (Grant.DIRECT,) or (resource_grant is Grant.ROLE and caps_ok):
            granted, determining = True, resource_refs
        elif resource_grant is Grant.ACCOUNT and identity_ok and caps_ok:
            granted, determining = True, resource_refs + identity_allows
        else:
            granted, determining = False, []
            blocked_by.extend(_missing(identity_ok, boundary_ok, session_ok, resource_needed=True,
                                       resource_ok=resource_grant is not Grant.NONE, principal=principal))
    else:
        # Cross-account: both sides must allow (§5.4).
        caller_side = identity_ok and caps_ok
        if principal.kind in (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE, PrincipalKind.WEB_IDENTITY,
                              PrincipalKind.CANONICAL_USER):
            caller_side = True
        granted = caller_side and resource_grant is not Grant.NONE
        determining = resource_refs + identity_allows if granted else []
        if not granted:
            blocked_by.extend(_missing(identity_ok or not has_identity_policies(principal), boundary_ok,
                                       session_ok, resource_needed=True,
                                       resource_ok=resource_grant is not Grant.NONE, principal=principal))

    if granted and not blocked_by:
        return Result(Decision.ALLOW, tuple(determining), ())
    # A KMS grant allows its operations to its grantee with no policy allowing
    # them; explicit denies, SCPs and the endpoint policy still apply (AWS KMS
    # Developer Guide, "Grants in AWS KMS"). A grant to an account delegates to
    # that account's IAM policies, as a key policy naming the account does.
    if not blocked_before_grants:
        by_grant = [pair for slot in active if slot.kind == "kms_grants"
                    for pair in _matching(slot, Effect.ALLOW, context)]
        direct = [ref for ref, grant in by_grant if grant is not Grant.ACCOUNT]
        delegated = [ref for ref, grant in by_grant if grant is Grant.ACCOUNT]
        if direct:
            return Result(Decision.ALLOW, tuple(direct), ())
        if delegated and identity_ok and caps_ok:
            return Result(Decision.ALLOW, tuple(delegated + identity_allows), ())
    if not blocked_by:
        blocked_by.append("identity_policies")
    return Result(Decision.IMPLICIT_DENY, (), _unique(blocked_by))


def _missing(identity_ok: bool, boundary_ok: bool, session_ok: bool, *, resource_needed: bool,
             resource_ok: bool, principal: Principal) -> list[str]:
    missing = []
    if resource_needed and not resource_ok:
        missing.append("resource_policy")
    if not identity_ok and has_identity_policies(principal):
        missing.append("identity_policies")
    if not boundary_ok:
        missing.append("permissions_boundary")
    if not session_ok:
        missing.append("session_policy")
    if not missing:
        missing.append("resource_policy" if not resource_ok else "identity_policies")
    return missing


def _unique(items: Iterator[str] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def through_access_point(request: Request, policies: PolicySet, access_point: AccessPoint) -> Result:
    """The request decided on the access point, then on the bucket (access_points.py)."""
    if access_point.vpc_id is not None and request.get("aws:sourcevpc") != (access_point.vpc_id,):
        return Result(Decision.IMPLICIT_DENY, (), ("access_point_network_origin",))
    point_side = evaluate_chain(replace(request, resource_account=access_point.account), access_point_side(policies))
    if point_side.decision is not Decision.ALLOW:
        blocked = tuple("access_point_policy" if b == "resource_policy" else b for b in point_side.blocked_by)
        return Result(point_side.decision, renamed(point_side.determining), blocked)

    on_bucket = bucket_request(request, access_point)
    context = Context.of(on_bucket, has_boundary=policies.permissions_boundary is not None)
    slots = [Slot(acl.name or f"acls[{i}]", "acls", acl) for i, acl in enumerate(policies.acls)]
    if policies.resource_policy is not None:
        slots.insert(0, Slot("resource_policy", "resource_policy", policies.resource_policy))
    denies = [ref for slot in slots for ref, _ in _matching(slot, Effect.DENY, context)]
    if denies:
        return Result(Decision.EXPLICIT_DENY, tuple(denies), ("resource_policy",))
    restricted = policies.restricted_resource_policy and not restriction_lets_through(on_bucket)
    allows = [ref for slot in slots if not (restricted and slot.kind == "resource_policy")
              for ref, grant in _matching(slot, Effect.ALLOW, context) if grant is not Grant.NONE]
    owner_side = request.principal.account == access_point.bucket_account == access_point.account
    if not allows and not owner_side:
        return Result(Decision.IMPLICIT_DENY, (), ("resource_policy",))
    return Result(Decision.ALLOW, renamed(point_side.determining) + tuple(allows), ())
