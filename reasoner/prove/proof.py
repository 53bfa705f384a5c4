"""`perimeter prove`: every invariant of a perimeter file becomes request spaces
over policy sets (scopes); each scope is asked for a request that breaks the
expectation, again and again with each found class of access blocked, up to
`max_findings` per invariant (the spirit of IAM Access Analyzer's findings).

No solver here: queries are built in `encodings/invariants.py` and run by
`solving.query.run_query`, which replays every witness through the reference evaluator.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from reasoner.errors import InputError
from reasoner.inputs.model import Expect, Invariant, Perimeter
from reasoner.inputs.snapshot import with_snapshot
from reasoner.policy.lint import PolicyWarning
from reasoner.policy.model import (
    PrincipalKind,
    Statement,
    StatementRef,
)
from reasoner.prove.findings import Finding, InvariantResult, ProofReport, Status, UnknownPart, make_finding
from reasoner.prove.scopes import AWS_KINDS, Scope, by_vpc, covered_resources, one_endpoint, scopes
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import Cached, ResultCache
from reasoner.solving.query import run_query
from reasoner.solving.witness import Witness, with_space_keys

ProgressCallback = Callable[[str, int, int], None]


# ---------------------------------------------------------------------------
# Findings


def _kind_group(kind: PrincipalKind) -> tuple[str, tuple[PrincipalKind, ...]]:
    if kind is PrincipalKind.ANONYMOUS:
        return "anonymous callers", (PrincipalKind.ANONYMOUS,)
    if kind is PrincipalKind.SERVICE:
        return "AWS service principals", (PrincipalKind.SERVICE,)
    if kind in (PrincipalKind.WEB_IDENTITY, PrincipalKind.CANONICAL_USER):
        return "federated and canonical identities", (PrincipalKind.WEB_IDENTITY, PrincipalKind.CANONICAL_USER)
    return "IAM principals", AWS_KINDS


def _real(refs: tuple[StatementRef, ...]) -> tuple[StatementRef, ...]:
    return tuple(ref for ref in refs if not ref.synthetic)


def _statement_of(scope: Scope, ref: StatementRef) -> Statement | None:
    from reasoner.evaluation.evaluate import policy_slots

    for slot in policy_slots(scope.policies):
        if slot.name == ref.policy:
            return next((s for s in slot.policy.statements if s.index == ref.statement), None)
    return None


def _condition_text(statements: list[Statement]) -> str:
    parts = [f"{c.operator} {c.key} {list(c.values)}" for s in statements for c in s.conditions]
    return "; ".join(parts) if parts else "no condition"


def _finding(invariant: Invariant, scope: Scope, witness: Witness, unplaced: frozenset[str] = frozenset()) -> Finding:
    request = witness.request
    group, _ = _kind_group(request.principal.kind)
    determining = _real(witness.result.determining)
    statements = [s for s in (_statement_of(scope, ref) for ref in determining) if s is not None]
    actions = tuple(sorted({a for s in statements for a in (s.actions or ())})) or (request.action,)
    principal_class = f"{scope.caller} ({group})"
    if scope.want_allowed:
        where = ", ".join(f"{ref.source}:{ref.line}" if ref.line else ref.source for ref in determining) or \
            "the caller's own policies"
        title = f"{group} reach {request.resource} from {scope.network}"
        explanation = (f"{request.principal.text}, {scope.caller}, is allowed {request.action} on "
                       f"{request.resource} through {scope.network}; allowed by {where}")
    else:
        blockers = ", ".join(witness.result.blocked_by)
        title = f"{scope.caller} is denied {request.action} on {request.resource}"
        explanation = (f"{request.principal.text} is denied {request.action} on {request.resource} through "
                       f"{scope.network} ({witness.result.decision.value}, blocked by {blockers})")
    condition = f"{_condition_text(statements)}; via {scope.network}"
    account = request.principal.account
    if account is not None and account in unplaced and scope.want_allowed:
        explanation += (f"; {request.principal.text} is outside the zone of trust because its account {account} "
                        "is neither in zone.trusted_accounts nor in the organization: tree")
    return make_finding(invariant_id=invariant.id, title=title, principal_class=principal_class, actions=actions,
                        condition=condition, witness_request=request, decision=witness.result.decision,
                        determining=determining, explanation=explanation)


def _through_access_point(invariant: Invariant, scope: Scope, budget: Budget, store: ResultCache | None,
                          findings: list[Finding], unknown: list[UnknownPart], unplaced: frozenset[str]) -> None:
    """A scope of requests through an S3 access point, which the SMT chain does not
    encode: decided by the access point's side and the bucket's grants
    (checks/access_points.py), one finding at most; a scope that must be allowed is
    UNKNOWN (the access point's side allowing says nothing of the bucket's)."""
    from reasoner.checks.access_points import through_access_point

    if not scope.want_allowed:
        unknown.append(_unknown_part(scope, "requests through an S3 access point that must be allowed are not "
                                            "decided (the SMT chain does not encode access points)"))
        return
    status, witness, why = through_access_point(scope.policies, scope.space, budget, store, invariant.id)
    if status == "FAIL" and witness is not None:
        findings.append(_finding(invariant, scope, with_space_keys(witness, scope.space, scope.policies), unplaced))
    elif status != "PASS":
        unknown.append(_unknown_part(scope, why or "no reason given"))


def prove_invariant(perimeter: Perimeter, invariant: Invariant, *, max_findings: int, budget: Budget,
                    progress: ProgressCallback | None = None, store: ResultCache | None = None,
                    group_endpoints: bool = True,
                    on_witness: Callable[[Scope, Witness], None] | None = None) -> InvariantResult:
    """The invariant proven scope by scope; `on_witness` sees each finding's witness
    with its scope (the policy set it replayed through: the simulator comparison)."""
    started = time.perf_counter()
    all_scopes = scopes(perimeter, invariant, group_endpoints=group_endpoints)
    if not all_scopes:
        reason = ("no declared identity matches the principal class, so access cannot be proven to keep working"
                  if invariant.expect is Expect.ALLOW else None)
        status = Status.UNKNOWN if reason else Status.PASS
        return InvariantResult(invariant.id, invariant.description, status, reason=reason,
                               seconds=time.perf_counter() - started, line=invariant.line)
    findings: list[Finding] = []
    unknown: list[UnknownPart] = []
    unplaced = frozenset(unplaced_accounts(perimeter))
    # Statements already reported, by (policy source, statement index): one finding
    # per statement across the invariant's scopes.
    reported: set[tuple[str, int]] = set()
    work = deque(all_scopes)
    done = 0
    while work:
        scope = work.popleft()
        if progress is not None:
            progress(invariant.id, done, done + len(work) + 1)
        done += 1
        if scope.policies.access_point is not None:
            _through_access_point(invariant, scope, budget, store, findings, unknown, unplaced)
            continue
        while len(findings) < max_findings:
            found = _found_in(scope, reported)
            result = run_query(_builder(scope, found), budget, _no_reasons, invariant.id, _cached(store, scope, found))
            if result.result == "PASS":
                break
            if result.result == "UNKNOWN" or result.witness is None:
                unknown.append(_unknown_part(scope, result.unknown_reason or "no reason given"))
                break
            where, witness = scope, result.witness
            if len(scope.endpoints) > 1:
                paired = _paired(scope, witness)
                if paired is None:
                    # the witness's endpoint and VPC are no endpoint's pair: ask again VPC by VPC
                    work.extendleft(reversed(by_vpc(scope)))
                    break
                where, witness = paired
            witness = with_space_keys(witness, where.space, where.policies)
            if on_witness is not None:
                on_witness(where, witness)
            findings.append(_finding(invariant, where, witness, unplaced))
            refs = {(ref.source, ref.statement) for ref in _real(witness.result.determining)}
            if not refs or refs <= reported:
                break  # nothing new of the user's to block (e.g. an implicit deny): one finding for the scope
            # One finding per granting (or denying) statement: the next witness must
            # come through statements not reported yet.
            reported |= refs
    if progress is not None:
        progress(invariant.id, done, done)
    seconds = time.perf_counter() - started
    reason = "; ".join(f"{part.caller} via {part.network}: {part.reason}" for part in unknown) or None
    if findings:
        return InvariantResult(invariant.id, invariant.description, Status.FAIL, tuple(findings),
                               reason=reason, seconds=seconds, line=invariant.line, unknown_parts=tuple(unknown))
    if unknown:
        return InvariantResult(invariant.id, invariant.description, Status.UNKNOWN, reason=reason,
                               seconds=seconds, line=invariant.line, unknown_parts=tuple(unknown))
    return InvariantResult(invariant.id, invariant.description, Status.PASS, seconds=seconds, line=invariant.line)


def _paired(scope: Scope, witness: Witness) -> tuple[Scope, Witness] | None:
    """A group network's witness as a request through one of its endpoints: the one
    its `aws:SourceVpce` names (the first, when no policy reads the key), with that
    endpoint's VPC, decided again under the endpoint's own policy (equal text, its own
    file). None when the witness's VPC is not that endpoint's, or the decision changes."""
    from reasoner.evaluation.evaluate import evaluate

    request = witness.request
    named = request.context.get("aws:sourcevpce")
    by_id = {endpoint.id: endpoint for endpoint in scope.endpoints}
    endpoint = scope.endpoints[0] if named is None else by_id.get(_one(named) or "")
    if endpoint is None:
        return None
    vpc = request.context.get("aws:sourcevpc")
    if vpc is not None and _one(vpc) != endpoint.vpc_id:
        return None
    single = one_endpoint(scope, endpoint)
    fuller = replace(request, context={**request.context, "aws:sourcevpce": (endpoint.id,),
                                       "aws:sourcevpc": (endpoint.vpc_id,)})
    result = evaluate(fuller, single.policies)
    if result.decision is not witness.result.decision:
        return None
    return single, Witness(fuller, result)


def _one(value: tuple[str, ...]) -> str | None:
    """A single-valued context value."""
    return value[0] if len(value) == 1 else None


def unplaced_accounts(perimeter: Perimeter) -> dict[str, list[str]]:
    """Accounts that own a declared resource or identity but are neither trusted by the
    zone (`trusted_accounts`) nor members of the organization tree: their own principals
    count as outside the zone of trust, which is rarely what was meant. Account → what
    it owns."""
    placed = set(perimeter.zone.trusted_accounts) | set(perimeter.organization_accounts())
    owned: dict[str, list[str]] = {}
    for arn, account in [(r.arn, r.account) for r in perimeter.resources] + \
            [(i.arn, i.account) for i in perimeter.identities]:
        if account not in placed:
            owned.setdefault(account, []).append(arn)
    return owned


def _unplaced_warnings(perimeter: Perimeter) -> list[PolicyWarning]:
    where = "an organization: tree" if perimeter.organization is None else "the organization: tree"
    return [PolicyWarning(perimeter.source, "zone", (
        f"account {account} owns {', '.join(arns)} but is neither in zone.trusted_accounts nor in {where}: its "
        "own principals count as outside the zone of trust (add it to zone.trusted_accounts, or give the "
        "organization: tree that lists it)"))
        for account, arns in sorted(unplaced_accounts(perimeter).items())]


def _unknown_part(scope: Scope, reason: str) -> UnknownPart:
    """What an undecided query was about: its resources and the user's policies it read."""
    from reasoner.evaluation.evaluate import policy_slots

    policies = tuple(dict.fromkeys(slot.policy.source for slot in policy_slots(scope.policies)
                                   if not slot.policy.synthetic and slot.policy.source != "<inline>"))
    return UnknownPart(scope.caller, scope.network, scope.space.resources, policies, reason)


def _found_in(scope: Scope, reported: set[tuple[str, int]]) -> tuple[object, ...]:
    """The reported statements as they sit in this scope's policy set (a group
    network's endpoint policy stands for each of its endpoints' files)."""
    from reasoner.encodings.invariants import FoundClass
    from reasoner.evaluation.evaluate import policy_slots

    endpoint_sources = {e.policy.source for e in scope.endpoints if e.policy is not None}

    def sources(kind: str, source: str) -> set[str]:
        return {source} | endpoint_sources if kind == "vpc_endpoint_policy" else {source}

    refs = tuple((slot.name, statement.index) for slot in policy_slots(scope.policies)
                 for statement in slot.policy.statements
                 if any((source, statement.index) in reported for source in sources(slot.kind, slot.policy.source)))
    return (FoundClass(refs, ()),) if refs else ()


def _cached(store: ResultCache | None, scope: Scope, found: tuple[object, ...]) -> Cached | None:
    from reasoner.encodings.invariants import space_replays
    from reasoner.encodings.options import DEFAULT

    if store is None:
        return None
    return Cached(store, (scope.policies, scope.space, scope.want_allowed, found, DEFAULT),
                  space_replays(scope.policies, want_allowed=scope.want_allowed))


def _builder(scope: Scope, found: tuple[object, ...]) -> Callable[[], object]:
    from reasoner.encodings.invariants import FoundClass, space_query

    classes = tuple(f for f in found if isinstance(f, FoundClass))
    return lambda: space_query(scope.policies, scope.space, want_allowed=scope.want_allowed, found=classes)


def _no_reasons(witness: Witness) -> list[str]:
    return []


def _empty_scope(perimeter: Perimeter, invariant: Invariant) -> str:
    """Why an invariant covers no request at all."""
    covered = covered_resources(perimeter, invariant)
    if not perimeter.resources:
        return "no resource is declared (in `resources:` or the snapshot) to prove it on"
    if not covered:
        return "every declared resource it covers is excepted by its `exceptions.resource_tags`"
    actions = ", ".join(invariant.actions) or "*"
    names = ", ".join(resource.arn for resource, _ in covered)
    return f"none of its actions ({actions}) applies to the resources it covers ({names})"


def _check_not_vacuous(perimeter: Perimeter) -> None:
    """An invariant that must deny but covers no request would pass without a
    single query: that is a mistake in the file, not a proof."""
    for index, invariant in enumerate(perimeter.invariants):
        if invariant.expect is Expect.DENY and not scopes(perimeter, invariant):
            where = f" (line {invariant.line})" if invariant.line else ""
            raise InputError(perimeter.source, f"invariants[{index}]",
                             f"invariant {invariant.id!r}{where} covers no request: "
                             f"{_empty_scope(perimeter, invariant)}")


def _unknown_input(perimeter: Perimeter, invariant: Invariant) -> InvariantResult:
    shown = "; ".join(perimeter.unknowns[:3])
    more = f"; and {len(perimeter.unknowns) - 3} more" if len(perimeter.unknowns) > 3 else ""
    return InvariantResult(invariant.id, invariant.description, Status.UNKNOWN, line=invariant.line,
                           reason=f"what the perimeter reads is not fully known: {shown}{more}")


def prove_perimeter(perimeter: Perimeter, *, max_findings: int = 20, budget: Budget = DEFAULT_BUDGET,
                    progress: ProgressCallback | None = None, store: ResultCache | None = None,
                    group_endpoints: bool = True) -> ProofReport:
    """`group_endpoints` False asks each declared VPC endpoint alone (`scopes.endpoint_networks`):
    the reference the grouped answer is tested and benchmarked against."""
    perimeter = with_snapshot(perimeter)
    if perimeter.unknowns:  # a proof without them would be about another perimeter
        return ProofReport(perimeter.source, tuple(_unknown_input(perimeter, invariant)
                                                   for invariant in perimeter.invariants))
    _check_not_vacuous(perimeter)
    from reasoner.policy.lint import policy_warnings

    results = tuple(prove_invariant(perimeter, invariant, max_findings=max_findings, budget=budget, store=store,
                                    progress=progress, group_endpoints=group_endpoints)
                    for invariant in perimeter.invariants)
    return ProofReport(perimeter.source, results,
                       tuple(_unplaced_warnings(perimeter) + policy_warnings(perimeter.policies())))
