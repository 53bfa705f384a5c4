"""IAM Access Analyzer's three custom policy checks on every policy an IaC input
carries: one result per policy (a resource's policy, a role's trust or inline
policy, ...), named by its resource address or logical id and located at its
template or `.tf` line.

Each policy is lowered (`symbolic.lower`): one policy per case of its finite
unknowns, symbols for the unknowns a policy variable can stand for, or UNKNOWN
naming the resource, the attribute and the unknown. A policy's answer covers all
its cases: FAIL when one case fails (its witness, the case and the values the
witness chose for the symbols named), else UNKNOWN when one is UNKNOWN, else PASS.

The checks run here, above the readers: `reasoner.checks` is a lower stage and
knows nothing of infrastructure code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from reasoner.checks.batch import PolicyCheck
from reasoner.checks.unknowns import CacheUse, run_with_symbols
from reasoner.errors import InputError
from reasoner.inputs.iac.model import IacInventory, IacPolicy, IacPrincipal, PolicyKind, PrincipalType, Provenance
from reasoner.inputs.iac.symbolic import Lowered, lower
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import Policy, PolicyType
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache
from reasoner.solving.query import CheckResult
from reasoner.solving.witness import Witness

# The kinds each check reads, and how it reads them. A permissions boundary, an
# SCP, an RCP or an endpoint policy grants nothing: only no-new-access (a wider
# filter is new access) reads them.
PUBLIC_KINDS = (PolicyKind.RESOURCE, PolicyKind.TRUST)
GRANT_KINDS = (PolicyKind.INLINE, PolicyKind.MANAGED, PolicyKind.RESOURCE, PolicyKind.TRUST)
FILTER_KINDS = (PolicyKind.BOUNDARY, PolicyKind.SCP, PolicyKind.RCP, PolicyKind.VPC_ENDPOINT)
_RANK = {"PASS": 0, "UNKNOWN": 1, "FAIL": 2}


def check_type(kind: PolicyKind) -> PolicyType:
    """The policy type a check reads a policy of this kind as (the slot it takes in
    `encodings.queries.checked_policies`): identity-shaped policies as identity
    policies, those that name principals as resource-based ones."""
    if kind in (PolicyKind.INLINE, PolicyKind.MANAGED, PolicyKind.BOUNDARY, PolicyKind.SCP):
        return PolicyType.IDENTITY
    return PolicyType.TRUST if kind is PolicyKind.TRUST else PolicyType.RESOURCE


@dataclass(frozen=True)
class IacTarget:
    """One policy as the report names it: all the cases the reader read it in."""

    policies: tuple[IacPolicy, ...]

    @property
    def first(self) -> IacPolicy:
        return self.policies[0]

    @property
    def label(self) -> str:
        return self.first.provenance.label

    def entry(self, result: CheckResult, compared_with: str | None = None) -> PolicyCheck:
        provenance = self.first.provenance
        return PolicyCheck(self.label, result, compared_with, file=provenance.file or provenance.input,
                           line=provenance.line, address=provenance.address, warnings=self.warnings())

    def warnings(self) -> tuple[PolicyWarning, ...]:
        """Policy lint of every case of the policy (reasoner.policy.lint)."""
        from reasoner.policy.lint import policy_warnings

        return tuple(policy_warnings(case.policy for policy in self.policies for case in lower(policy)))


def targets(inventory: IacInventory, kinds: Iterable[PolicyKind]) -> list[IacTarget]:
    """The inventory's policies of these kinds, the cases of one policy together, in input order."""
    wanted = tuple(kinds)
    groups: dict[tuple[str, str, PolicyKind], list[IacPolicy]] = {}
    for policy in inventory.policies:
        if policy.kind in wanted:
            groups.setdefault(_key(policy), []).append(policy)
    return [IacTarget(tuple(group)) for group in groups.values()]


def _key(policy: IacPolicy) -> tuple[str, str, PolicyKind]:
    return policy.provenance.address, policy.provenance.attribute, policy.kind


# ---------------------------------------------------------------------------
# Running one check over the cases of one policy


Explain = Callable[[Witness], list[str]]


def _unknown(check: str, reason: str) -> CheckResult:
    return CheckResult(check, "UNKNOWN", unknown_reason=reason)


@dataclass(frozen=True)
class _Fixed:
    """A policy that stands in for a missing one: none (grants nothing) or no filter
    (lets everything through)."""

    policy: Policy
    note: str | None = None  # what it stands for, in a failing result's reasons


def _itself(policy: Policy, chosen: Mapping[str, str]) -> Policy:
    return policy


@dataclass(frozen=True)
class _Query:
    """One of the three checks with its options: the query on given policies (in
    the order the check takes them), the policy sets a witness replays through, and
    what a result cache keys it by besides the policies (picklable, for --jobs)."""

    check: str
    options: tuple[Any, ...]  # (kind, PublicOptions) | (actions, resources, type) | (type,)

    def __call__(self, policies: list[Policy]) -> Any:
        from reasoner.encodings.queries import access_not_granted, no_new_access, no_public_access

        if self.check == "no-public-access":
            return no_public_access(policies[0], *self.options)
        if self.check == "access-not-granted":
            return access_not_granted(policies[0], *self.options)
        return no_new_access(policies[0], policies[1], *self.options)

    def replays(self, policies: list[Policy]) -> tuple[Any, ...]:
        from reasoner.encodings.queries import access_replays, new_access_replays, public_replays

        if self.check == "no-public-access":
            return public_replays(policies[0])
        if self.check == "access-not-granted":
            return access_replays(policies[0], self.options[2])
        return new_access_replays(policies[0], policies[1], self.options[0])

    def cache(self, store: ResultCache | None) -> CacheUse | None:
        from reasoner.encodings.options import DEFAULT

        return None if store is None else CacheUse(store, ("iac", self.check, self.options, DEFAULT), self.replays)


def _public_query(kind: Any, options: Any) -> _Query:
    return _Query("no-public-access", (kind, options))


def _access_query(actions: Sequence[str], resources: Sequence[str], policy_type: PolicyType) -> _Query:
    return _Query("access-not-granted", (tuple(actions), tuple(resources), policy_type))


def _new_access_query(policy_type: PolicyType) -> _Query:
    return _Query("no-new-access", (policy_type,))


def _run(sides: Sequence[Lowered | _Fixed], query: _Query, budget: Budget, explain: Explain, check: str,
         *, outsider: bool = False, cache: ResultCache | None = None) -> CheckResult:
    """One check on one case of each policy, in the order the query takes them."""
    from reasoner.checks.unknowns import SymbolicPolicy

    symbolic: list[SymbolicPolicy] = []
    for side in sides:
        if isinstance(side, _Fixed):
            fixed = side.policy
            symbolic.append(SymbolicPolicy(fixed, {}, partial(_itself, fixed)))
        elif side.policy is None:
            return _unknown(check, side.unknown or f"{side.source.provenance.label}: the policy cannot be read")
        else:
            symbolic.append(side.symbolic())
    try:
        result, chosen = run_with_symbols(query, symbolic, budget, explain, check, outsider=outsider,
                                          cache=query.cache(cache))
    except InputError as error:  # a policy the encoding refuses once instantiated
        return _unknown(check, str(error))
    result = _annotated(result, [side for side in sides if isinstance(side, Lowered)], chosen)
    notes = [side.note for side in sides if isinstance(side, _Fixed) and side.note is not None]
    if notes and result.result == "FAIL":
        result = replace(result, reasons=(*result.reasons, *notes))
    return result


def _map(function: Callable[[Any], PolicyCheck], items: Sequence[Any], jobs: int) -> list[PolicyCheck]:
    """`function` on every item, results in order: here, or in `jobs` worker processes
    (`reasoner.checks.batch.run_jobs` does the same for policy files)."""
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ProcessPoolExecutor(max_workers=min(jobs, os.cpu_count() or jobs, len(items))) as pool:
        return list(pool.map(function, items))


def _annotated(result: CheckResult, lowered: Sequence[Lowered], chosen: Mapping[str, str]) -> CheckResult:
    """A FAIL or UNKNOWN result with the case it is in and the values the witness
    chose (a PASS holds in every case)."""
    if result.result == "PASS":
        return result
    notes = []
    case = dict(pair for item in lowered for pair in item.case)
    if case:
        notes.append("in the case " + ", ".join(f"{label} = {value}" for label, value in case.items()))
    if result.result == "FAIL":
        values: dict[str, str] = {}
        for item in lowered:
            values.update(item.labels(chosen))
        if values:
            notes.append("with " + ", ".join(f"{label} = {value}" for label, value in sorted(values.items()))
                         + " (a value the input leaves open)")
    if not notes:
        return result
    if result.result == "UNKNOWN":
        return replace(result, unknown_reason=f"{result.unknown_reason} ({'; '.join(notes)})")
    return replace(result, reasons=(*result.reasons, *(note[0].upper() + note[1:] for note in notes)))


def _worst(results: Sequence[CheckResult], check: str) -> CheckResult:
    """FAIL if any case fails (the first failing one), else UNKNOWN if any is, else PASS."""
    if not results:
        return CheckResult(check, "PASS")
    worst = max(results, key=lambda result: _RANK[result.result])
    if worst.result == "PASS":
        return replace(worst, seconds=sum(result.seconds for result in results),
                       work=sum(result.work for result in results))
    return worst


def _consistent(*lowered: Lowered) -> bool:
    """The cases agree on every unknown they both fix."""
    values: dict[str, str] = {}
    for item in lowered:
        for label, value in item.case:
            if values.setdefault(label, value) != value:
                return False
    return True


# ---------------------------------------------------------------------------
# The three checks


def public_checks(inventory: IacInventory, *, budget: Budget = DEFAULT_BUDGET,
                  resource_types: Sequence[str] = (), max_ipv4_prefix_width: int = 8,
                  max_ipv6_prefix_width: int = 32, jobs: int = 1,
                  cache: ResultCache | None = None) -> list[PolicyCheck]:
    """no-public-access on every resource-based and trust policy (only those on the
    `resource_types` given, CloudFormation names, when any are); policies in `jobs`
    processes, answers kept in `cache` (--cache)."""
    from reasoner.encodings.queries import PublicOptions

    options = PublicOptions(max_ipv4_prefix_width, max_ipv6_prefix_width)
    wanted = {name.lower() for name in resource_types}
    chosen = []
    for target in targets(inventory, PUBLIC_KINDS):
        type_name = target.first.resource_type or ("AWS::IAM::Role" if target.first.kind is PolicyKind.TRUST else "")
        if not wanted or type_name.lower() in wanted:
            chosen.append(target)
    return _map(partial(_public_target, options, budget, cache), chosen, jobs)


def _public_target(options: Any, budget: Budget, cache: ResultCache | None, target: IacTarget) -> PolicyCheck:
    from reasoner.policy.resource_types import resource_type

    type_name = target.first.resource_type or ("AWS::IAM::Role" if target.first.kind is PolicyKind.TRUST else "")
    try:
        kind = resource_type(type_name)
    except InputError:
        reason = (f"{target.label}: no-public-access does not know the resource type {type_name or '(none)'} "
                  "(docs/features.md)")
        return target.entry(_unknown("no-public-access", reason))
    results = [_public_case(item, kind, options, budget, cache)
               for policy in target.policies for item in lower(policy, check_type(policy.kind))]
    return target.entry(_worst(results, "no-public-access"))


def _public_case(item: Lowered, kind: Any, options: Any, budget: Budget, cache: ResultCache | None) -> CheckResult:
    """no-public-access on one case; a policy whose Allow statements name no resource of
    the type is UNKNOWN saying so (checks.run.check_names_the_type), never a PASS."""
    from reasoner.checks.run import check_names_the_type, public_explain

    if item.policy is not None:
        try:
            check_names_the_type(item.policy, kind)
        except InputError as error:
            return _unknown("no-public-access", str(error))
    return _run((item,), _public_query(kind, options), budget, public_explain, "no-public-access",
                outsider=True, cache=cache)


def access_checks(inventory: IacInventory, actions: Sequence[str], resources: Sequence[str], *,
                  budget: Budget = DEFAULT_BUDGET, jobs: int = 1,
                  cache: ResultCache | None = None) -> list[PolicyCheck]:
    """access-not-granted on every policy that grants: identity policies (inline and
    managed), resource-based and trust policies."""
    from reasoner.checks.run import check_access_arguments

    check_access_arguments(actions, resources)
    return _map(partial(_access_target, tuple(actions), tuple(resources), budget, cache),
                targets(inventory, GRANT_KINDS), jobs)


def _access_target(actions: tuple[str, ...], resources: tuple[str, ...], budget: Budget, cache: ResultCache | None,
                   target: IacTarget) -> PolicyCheck:
    from reasoner.checks.run import access_explain

    policy_type = check_type(target.first.kind)
    results = [_run((item,), _access_query(actions, resources, policy_type), budget, access_explain(policy_type),
                    "access-not-granted", cache=cache)
               for policy in target.policies for item in lower(policy, policy_type)]
    return target.entry(_worst(results, "access-not-granted"))


# ---------------------------------------------------------------------------
# no-new-access between two states of one input


def _stand_in(target: IacTarget, policy_type: PolicyType, *, removed: bool) -> _Fixed:
    from reasoner.policy.parse import parse_policy

    kind = target.first.kind
    label = f"{target.label} ({'removed' if removed else 'before it was added'})"
    when = "After the change" if removed else "Before the change"
    if kind in FILTER_KINDS:
        statement: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}
        if policy_type is not PolicyType.IDENTITY:
            statement["Principal"] = "*"
        document = {"Version": "2012-10-17", "Statement": [statement]}
        return _Fixed(parse_policy(document, policy_type, source=label, name=label),
                      f"{when} there is no {kind.value} policy: it lets every request through")
    return _Fixed(Policy(policy_type, (), "2012-10-17", source=label, name=label),
                  f"{when} there is no such policy: it grants nothing")


def _cases(target: IacTarget) -> list[Lowered]:
    return [item for policy in target.policies for item in lower(policy, _parse_type(policy))]


def _parse_type(policy: IacPolicy) -> PolicyType:
    from reasoner.inputs.iac.symbolic import POLICY_TYPES

    return POLICY_TYPES[policy.kind]


def _same(old: IacTarget, new: IacTarget) -> bool:
    return [(p.document, p.unknown, p.case) for p in old.policies] == \
        [(p.document, p.unknown, p.case) for p in new.policies] and not _moved(old, new)


def _moved(old: IacTarget, new: IacTarget) -> bool:
    """A grant now on another resource or principal (a bucket policy given another
    bucket): there, nothing was granted before. (A managed policy's principals and an
    SCP's or RCP's targets are its attachments, compared in `_principal_changes` and
    `_detachments`.)"""
    if old.first.kind in (PolicyKind.MANAGED, PolicyKind.BOUNDARY, PolicyKind.SCP, PolicyKind.RCP):
        return False
    return (str(old.first.resource_arn), old.first.attached_to) != (str(new.first.resource_arn), new.first.attached_to)


def change_checks(before: IacInventory, after: IacInventory, *, budget: Budget = DEFAULT_BUDGET,
                  compared_with: str = "before the change", jobs: int = 1,
                  cache: ResultCache | None = None) -> list[PolicyCheck]:
    """no-new-access on each policy that differs between two states of an input (a
    plan's state before and after it; a base template and a new one): "does this
    change grant new access?", one result per policy that changed. A policy added is
    compared with none (it grants nothing); a permissions boundary, SCP, RCP or
    endpoint policy added, with none (that lets everything through), so adding one
    never fails and removing one is new access where it denied something."""

    kinds = (*GRANT_KINDS, *FILTER_KINDS)
    old_targets = {_key(target.first): target for target in targets(before, kinds)}
    new_targets = {_key(target.first): target for target in targets(after, kinds)}
    pairs = []
    for key in [*new_targets, *(key for key in old_targets if key not in new_targets)]:
        old, new = old_targets.get(key), new_targets.get(key)
        if old is None or new is None or not _same(old, new):
            pairs.append((old, new))
    entries = _map(partial(_change_target, budget, cache, compared_with), pairs, jobs)
    return entries + _principal_changes(before, after, budget, compared_with) + \
        _detachments(before, after, budget, compared_with)


def _change_target(budget: Budget, cache: ResultCache | None, compared_with: str,
                   pair: tuple[IacTarget | None, IacTarget | None]) -> PolicyCheck:
    """no-new-access of one policy's state after the change against its state before."""
    from reasoner.checks.run import new_access_explain

    old, new = pair
    target = new or old
    assert target is not None
    policy_type = check_type(target.first.kind)
    if new is None and target.first.kind not in FILTER_KINDS:
        result = CheckResult("no-new-access", "PASS", reasons=("removed: it grants nothing now",))
        return target.entry(result, compared_with)
    if old is not None and new is None and old.first.kind in (PolicyKind.SCP, PolicyKind.RCP):
        old = _beside_full_access(old)
    old_side: list[Lowered | _Fixed] = list(_cases(old)) if old is not None and not _moved(old, target) else \
        [_stand_in(target, policy_type, removed=False)]
    new_side: list[Lowered | _Fixed] = list(_cases(new)) if new is not None else \
        [_stand_in(target, policy_type, removed=True)]
    pairs = [(first, second) for second in new_side for first in old_side if _agree(first, second)]
    explain = new_access_explain(policy_type, "the policy before the change")
    results = [_run(pair, _new_access_query(policy_type), budget, explain, "no-new-access", cache=cache)
               for pair in pairs or [(first, second) for second in new_side for first in old_side]]
    return target.entry(_worst(results, "no-new-access"), compared_with)


def _agree(first: Lowered | _Fixed, second: Lowered | _Fixed) -> bool:
    return not isinstance(first, Lowered) or not isinstance(second, Lowered) or _consistent(first, second)


def reference_checks(inventory: IacInventory, existing: Policy, policy_type: PolicyType, *,
                     budget: Budget = DEFAULT_BUDGET, jobs: int = 1,
                     cache: ResultCache | None = None) -> list[PolicyCheck]:
    """no-new-access of every policy of the input against one reference policy (as
    IAM Access Analyzer's policy validators for Terraform and CloudFormation run it):
    with an identity reference, the inline and managed policies; with a resource
    one, the resource-based and trust policies."""
    kinds = (PolicyKind.INLINE, PolicyKind.MANAGED) if policy_type is PolicyType.IDENTITY else PUBLIC_KINDS
    return _map(partial(_reference_target, existing, policy_type, budget, cache), targets(inventory, kinds), jobs)


def _reference_target(existing: Policy, policy_type: PolicyType, budget: Budget, cache: ResultCache | None,
                      target: IacTarget) -> PolicyCheck:
    from reasoner.checks.run import new_access_explain

    results = [_run((_Fixed(existing), item), _new_access_query(policy_type), budget,
                    new_access_explain(policy_type, "the reference policy"), "no-new-access", cache=cache)
               for item in _cases(target)]
    return target.entry(_worst(results, "no-new-access"), existing.source)


# ---------------------------------------------------------------------------
# What a role or user is given, beyond its policies' documents


def _attached(inventory: IacInventory, principal: IacPrincipal) -> dict[str, IacPolicy | None]:
    """The managed policies attached to a principal, by the input's address (or, for
    one the input does not define, such as an AWS managed policy, by its ARN): the
    policy, or None when its document is not in the input."""
    defined: dict[object, IacPolicy] = {}
    found: dict[str, IacPolicy | None] = {}
    for policy in inventory.policies:
        if policy.kind is PolicyKind.MANAGED:
            defined[policy.provenance.address] = policy
            if policy.arn is not None:
                defined[policy.arn] = policy
            if principal.address in policy.attached_to:
                found[policy.provenance.address] = policy
    named = [*principal.managed_policy_arns,
             *(arn for address, arn in inventory.attachments if address == principal.address)]
    for arn in named:
        match = defined.get(arn)
        if match is not None:
            found[match.provenance.address] = match
        else:
            found[str(arn)] = None
    return found


def _merged(principal: IacPrincipal, policies: Sequence[IacPolicy], what: str) -> IacPolicy:
    """The identity policies of a principal as one: an identity policy's statements
    allow and deny alike in any of them (iam-semantics.md §5), so their statements
    together decide as they do. Policies of another Version keep their own reading
    only when alone, so mixing them, or one that cannot be read, is UNKNOWN."""
    provenance = replace(principal.provenance, attribute=what)
    unreadable = [policy for policy in policies if policy.document is None or not isinstance(policy.document, dict)]
    if unreadable:
        first = unreadable[0]
        return IacPolicy(PolicyKind.INLINE, provenance, unknown=first.unknown or f"{first.provenance.label} "
                                                                                 "cannot be read")
    versions = {_version(policy.document) for policy in policies}
    if len(versions) > 1:
        return IacPolicy(PolicyKind.INLINE, provenance, unknown=f"{provenance.label}: its policies are of different "
                                                                "Versions, which read policy variables differently")
    statements: list[Any] = []
    for policy in policies:
        found: Any = next((value for key, value in policy.document.items() if key.lower() == "statement"), [])
        statements += found if isinstance(found, list) else [found]
    document = {"Version": versions.pop() if versions else "2012-10-17", "Statement": statements}
    if not statements:  # nothing attached: grants nothing
        document["Statement"] = [{"Effect": "Deny", "Action": "*", "Resource": "*"}]
    return IacPolicy(PolicyKind.INLINE, provenance, document, attached_to=(principal.address,), synthetic=True)


def _version(document: Any) -> str:
    return str(next((value for key, value in document.items() if key.lower() == "version"), "2008-10-17"))


def _groups(inventory: IacInventory, principal: IacPrincipal) -> dict[str, IacPrincipal | None]:
    """A user's groups by the name its membership gives: the group, or None when the input does not define it."""
    defined = {name: group for group in inventory.principals if group.principal_type is PrincipalType.GROUP
               for name in (group.address, group.name) if isinstance(name, str)}
    return {name: defined.get(name) for name in principal.groups}


def _given(inventory: IacInventory, principal: IacPrincipal) -> dict[str, IacPolicy | None]:
    """What a principal is given besides its inline policies: its managed policies, and
    a user's groups with their inline and managed policies, by key; None where the
    input does not hold the document."""
    given: dict[str, IacPolicy | None] = dict(_attached(inventory, principal))
    for name, group in _groups(inventory, principal).items():
        if group is None:
            given[f"group {name}"] = None
            continue
        given.update({f"group {group.address}: {key}": policy for key, policy in _attached(inventory, group).items()})
        given.update({f"group {group.address}: {policy.provenance.label}": policy
                      for policy in inventory.policies_of(group.address) if policy.kind is PolicyKind.INLINE})
        given[f"group {group.address}"] = _GROUP
    return given


# a group's own entry in `_given`: its membership, which holds no policy of its own
_GROUP = IacPolicy(PolicyKind.INLINE, Provenance("", "", "", ""), {"Version": "2012-10-17", "Statement": []})


def _identity_policies(inventory: IacInventory, principal: IacPrincipal,
                       given: dict[str, IacPolicy | None]) -> list[IacPolicy]:
    inline = [policy for policy in inventory.policies_of(principal.address) if policy.kind is PolicyKind.INLINE]
    return [*inline, *(policy for policy in given.values() if policy is not None and policy is not _GROUP)]


def _principal_changes(before: IacInventory, after: IacInventory, budget: Budget,
                       compared_with: str) -> list[PolicyCheck]:
    """A role, user or group given a managed policy it did not have (attached by the
    change, the policy new or not), a user put in a group, or another permissions
    boundary: its identity policies together (a user's groups' included), or its
    boundary, before and after. A managed policy or group the input does not define
    (an AWS managed policy) has no document here: UNKNOWN, naming it."""
    from reasoner.checks.run import new_access_explain

    old_principals = {principal.address: principal for principal in before.principals}
    entries = []
    for principal in after.principals:
        old = old_principals.get(principal.address)
        now = _given(after, principal)
        then = _given(before, old) if old is not None else {}
        added = [key for key in now if key not in then]
        explain = new_access_explain(PolicyType.IDENTITY, "the policies it had before the change")
        if added:
            label = f"{principal.address} (policies attached)"
            missing = [key for key in added if now[key] is None]
            if missing:
                result = _unknown("no-new-access", f"{label}: is given {', '.join(missing)}, which the input does "
                                                   "not define: its policies are not known here")
            else:
                old_policy = _merged(old, _identity_policies(before, old, then), "policies attached") \
                    if old is not None else None
                new_policy = _merged(principal, _identity_policies(after, principal, now), "policies attached")
                result = _compare(old_policy, new_policy, PolicyType.IDENTITY, budget, explain)
            entries.append(_principal_entry(principal.provenance, label, result, compared_with))
        old_boundary = old.boundary_arn if old is not None else None
        if str(old_boundary) != str(principal.boundary_arn):
            label = f"{principal.address} (permissions boundary)"
            result = _boundary_change(before, old_boundary, after, principal.boundary_arn, budget, label)
            entries.append(_principal_entry(principal.provenance, label, result, compared_with))
    return entries


def _principal_entry(provenance: Provenance, label: str, result: CheckResult, compared_with: str) -> PolicyCheck:
    return PolicyCheck(label, result, compared_with, file=provenance.file or provenance.input, line=provenance.line,
                       address=provenance.address)


def _compare(old: IacPolicy | None, new: IacPolicy, policy_type: PolicyType, budget: Budget,
             explain: Explain) -> CheckResult:
    """no-new-access of `new` against `old` (None: nothing, which grants nothing)."""
    old_side: list[Lowered | _Fixed] = list(lower(old)) if old is not None else [
        _Fixed(Policy(policy_type, (), "2012-10-17", source=new.provenance.label, name=new.provenance.label),
               "Before the change it had no policy: it was granted nothing")]
    new_side: list[Lowered | _Fixed] = list(lower(new))
    pairs = [(first, second) for second in new_side for first in old_side if _agree(first, second)]
    return _worst([_run(pair, _new_access_query(policy_type), budget, explain, "no-new-access")
                   for pair in pairs or [(first, second) for second in new_side for first in old_side]],
                  "no-new-access")


def _boundary_change(before: IacInventory, old_arn: Any, after: IacInventory, new_arn: Any, budget: Budget,
                     label: str) -> CheckResult:
    """A boundary replaced, added or removed: the new one against the old, no boundary
    being one that lets everything through."""
    from reasoner.checks.run import new_access_explain

    sides: list[IacPolicy | None] = []
    for inventory, arn in ((before, old_arn), (after, new_arn)):
        if arn is None:
            sides.append(None)
            continue
        match = next((policy for policy in inventory.policies if policy.kind is PolicyKind.MANAGED
                      and (policy.arn == arn or policy.provenance.address == arn)), None)
        if match is None:
            return _unknown("no-new-access", f"{label}: {arn} is a managed policy the input does not define: its "
                                             "document is not known here")
        sides.append(replace(match, kind=PolicyKind.BOUNDARY))
    old, new = sides
    fixed = {None: _Fixed(_allow_everything(label), "Without a boundary every request is let through")}
    old_side: list[Lowered | _Fixed] = list(lower(old, PolicyType.BOUNDARY)) if old is not None else [fixed[None]]
    new_side: list[Lowered | _Fixed] = list(lower(new, PolicyType.BOUNDARY)) if new is not None else [fixed[None]]
    explain = new_access_explain(PolicyType.IDENTITY, "the boundary before the change")
    pairs = [(first, second) for second in new_side for first in old_side if _agree(first, second)]
    return _worst([_run(pair, _new_access_query(PolicyType.IDENTITY), budget, explain, "no-new-access")
                   for pair in pairs or [(first, second) for second in new_side for first in old_side]],
                  "no-new-access")


def _allow_everything(label: str) -> Policy:
    from reasoner.policy.parse import parse_policy

    return parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                        PolicyType.BOUNDARY, source=f"{label} (none)", name=f"{label} (none)")


def _detachments(before: IacInventory, after: IacInventory, budget: Budget, compared_with: str) -> list[PolicyCheck]:
    """An SCP or RCP detached from a target that it still exists for: at that target
    it is as if removed, compared with one that lets every request through. (One
    attached to more targets only restricts; one removed altogether is compared
    above.)"""
    from reasoner.checks.run import new_access_explain

    remaining = {_key(target.first): target for target in targets(after, (PolicyKind.SCP, PolicyKind.RCP))}
    entries = []
    for target in targets(before, (PolicyKind.SCP, PolicyKind.RCP)):
        if _key(target.first) not in remaining:
            continue
        address = target.first.provenance.address
        then = {str(goal) for source, goal in before.organization_attachments if source == address}
        now = {str(goal) for source, goal in after.organization_attachments if source == address}
        for goal in sorted(then - now):
            policy_type = check_type(target.first.kind)
            label = f"{target.label} (detached from {goal})"
            stand_in = _Fixed(_stand_in(target, policy_type, removed=True).policy,
                              f"After the change it no longer applies to {goal}: nothing there in its place")
            explain = new_access_explain(policy_type, f"the policy while attached to {goal}")
            result = _worst([_run((item, stand_in), _new_access_query(policy_type), budget, explain,
                                  "no-new-access") for item in _cases(_beside_full_access(target))],
                            "no-new-access")
            provenance = target.first.provenance
            entries.append(PolicyCheck(label, result, compared_with, file=provenance.file or provenance.input,
                                       line=provenance.line, address=provenance.address))
    return entries


def _beside_full_access(target: IacTarget) -> IacTarget:
    """An SCP or RCP as one of the policies of its level, beside FullAWSAccess (which
    AWS attaches to every level by default; RCPFullAWSAccess always: iam-semantics.md,
    the SCP and RCP evaluation rules, [SCPEV]
    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
    For a policy removed or detached this is exact where FullAWSAccess is there, and
    never misses new access where it is not: without the policy, a level allows
    no request it did not allow before, and denies only what the policy no longer
    denies, so every request newly allowed was one the policy explicitly denied."""
    def widened(policy: IacPolicy) -> IacPolicy:
        if not isinstance(policy.document, dict):
            return policy
        statement: dict[str, Any] = {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}
        if policy.kind is PolicyKind.RCP:
            statement["Principal"] = "*"
        document = {key: value for key, value in policy.document.items() if key.lower() != "statement"}
        found: Any = next((value for key, value in policy.document.items() if key.lower() == "statement"), [])
        document["Statement"] = [*(found if isinstance(found, list) else [found]), statement]
        return replace(policy, document=document, synthetic=True)

    return IacTarget(tuple(widened(policy) for policy in target.policies))
