"""The three custom policy checks of IAM Access Analyzer, answered by SMT with a
witness: build the query, solve it, decode and replay the witness.

Three-valued throughout: UNSAT is PASS, SAT is FAIL with a replayed witness, and a
timeout, a solver `unknown` or a construct the encoding does not support is
UNKNOWN, never PASS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasoner.errors import EncodingError, InputError, WitnessError
from reasoner.model import Effect, Policy, PolicyType, PrincipalKind, StatementRef
from reasoner.resource_types import ResourceType
from reasoner.witness import Witness, key_spellings

DEFAULT_TIMEOUT_S = 10.0
NICER_MIN_S = 0.5
REALISTIC_TRY_S = 0.2  # the realism preferences are a bonus: they must not starve the readable tries
NICER_TOTAL_S = 1.0  # for all the tries together (or as long as the witness took)


@dataclass(frozen=True)
class CheckResult:
    check: str
    result: str  # PASS, FAIL or UNKNOWN
    witness: Witness | None = None
    reasons: tuple[str, ...] = ()
    unknown_reason: str | None = None
    seconds: float = 0.0
    statistics: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"check": self.check, "result": self.result}
        if self.witness is not None:
            document["witness"] = self.witness.to_json()
        document["reasons"] = list(self.reasons)
        if self.unknown_reason is not None:
            document["reason"] = self.unknown_reason
        return document


def _describe(ref: StatementRef, policy_names: dict[str, str]) -> str:
    label = f"statement {ref.statement}" + (f" ({ref.sid})" if ref.sid else "")
    return f"{label} of {policy_names.get(ref.policy, ref.policy)}"


def run_query(build: Callable[[], Any], timeout_s: float, explain: Callable[[Witness], list[str]],
              check: str) -> CheckResult:
    """Solve a query; decode, prefer a readable witness, replay it."""
    from reasoner.solve import Status, solve
    from reasoner.witness import decode, replay

    started = time.perf_counter()
    try:
        query = build()
    except EncodingError as error:
        return CheckResult(check, "UNKNOWN", unknown_reason=str(error), seconds=time.perf_counter() - started)
    kept: list[Any] = []  # the sub-case a witness was found in
    if query.sym.options.kind_split:
        answer = _solve_by_principal_kind(query, timeout_s, kept)
    else:
        answer = solve(query.assertions, timeout_s)
    if answer.status is Status.UNSAT:
        return CheckResult(check, "PASS", seconds=time.perf_counter() - started, statistics=answer.statistics)
    if answer.status is Status.UNKNOWN or answer.model is None:
        reason = f"solver returned unknown ({answer.reason})" if answer.reason != "timeout" else \
            f"solver timed out after {timeout_s:g} s"
        return CheckResult(check, "UNKNOWN", unknown_reason=reason, seconds=time.perf_counter() - started,
                           statistics=answer.statistics)
    model = _nicer_model(query, answer, kept, timeout_s - (time.perf_counter() - started))
    multivalued = [key for key, terms in query.sym.keys.items() if terms.multi]
    spellings = key_spellings(query.policies)
    try:
        request = decode(query.sym.read(model), multivalued)
        witnesses = [replay(request, r.policies, set(r.decisions), spellings) for r in query.replays]
    except WitnessError as error:
        return CheckResult(check, "UNKNOWN", unknown_reason=f"internal error: {error}",
                           seconds=time.perf_counter() - started)
    outside = [what for what, holds in query.membership if not holds(request)]
    if outside:
        return CheckResult(check, "UNKNOWN", unknown_reason=f"internal error: the witness is not {outside[0]}",
                           seconds=time.perf_counter() - started)
    witness = witnesses[0]
    return CheckResult(check, "FAIL", witness, tuple(explain(witness)), seconds=time.perf_counter() - started,
                       statistics=answer.statistics)


def _nicer_model(query: Any, answer: Any, kept: list[Any], left_s: float) -> Any:
    """A model of the query whose witness reads like a real request, or the found
    one. The readable witness is a preference: an example resource of the right
    type (from the policies' Resource patterns, else from the type's ARN format)
    with an action that takes it; then the found action on any resource of a type
    the catalogue lists for it; then any resource; strict, then only printable.
    Each try gets a short budget, at most as long as the first solve took (and at
    least a half second), all of them a second together (or as long as the first
    solve). The found caller's kind and accounts stay, and the sub-case the witness
    was found in: the case split often decides only that case fast, and z3 is slow
    to choose an account's digits. The solver that found the witness looks for the
    nicer one."""
    from reasoner.encodings.queries import action_resource_shape, typed_resource
    from reasoner.encodings.wellformed import ascii_arn_fields, readable, realistic, same_caller
    from reasoner.solve import Status, solve, solve_with_cvc5
    from reasoner.witness_shape import candidates, types_of

    started = time.perf_counter()
    model = answer.model
    sym = query.sym
    caller = [*same_caller(sym, model), *kept]
    plain_fields = ascii_arn_fields(sym, model)
    strict, printable = readable(sym, strict=True), readable(sym, strict=False)
    found = sym.read(model)
    shape = action_resource_shape(sym, found.action)
    examples = candidates(query.resource_types or types_of(found.action),
                          [*query.resource_hints, *_resource_patterns(query.policies)],
                          found.resource_account or found.principal_account)
    # the caller's kind alone, when its found account cannot own the resource
    # its ARN names (an identity policy grants only in the caller's account)
    kind_only = [*caller[:1], *kept]
    # first the values AWS would send, then readable ones
    first = typed_resource(sym, *examples[0]) if examples else [*plain_fields, *shape]
    tries: list[tuple[list[Any], list[Any], float | None]] = [
        (caller, [*strict, *realistic(sym), *first], REALISTIC_TRY_S)]
    tries += [(caller, [*strict, *typed_resource(sym, kind, text)], None) for kind, text in examples]
    if shape:
        tries += [(caller, [*strict, *plain_fields, *shape], None)]
    tries += [(caller, [*strict, *plain_fields], None), (kind_only, [*strict, *plain_fields], None)]
    if shape:
        tries += [(caller, [*printable, *plain_fields, *shape], None)]
    tries += [(caller, [*printable, *plain_fields], None)]
    until = started + min(left_s, max(NICER_TOTAL_S, answer.seconds))
    for kept_fields, preferences, cap in tries:
        remaining = until - time.perf_counter()
        if remaining <= 0.02:
            break
        budget = min(remaining, max(NICER_MIN_S, answer.seconds), cap or remaining)
        preferred = [*query.assertions, *kept_fields, *preferences]
        nicer = solve_with_cvc5(preferred, budget) if "cvc5" in answer.statistics else solve(preferred, budget)
        if nicer.status is Status.SAT and nicer.model is not None:
            return nicer.model
    return model


KIND_ROUNDS_S = (0.1, 0.5, 2.0)  # per principal kind, one round after the other
KIND_PHASE_SHARE = 0.5  # of the budget, for the per-kind solves
WHOLE_FIRST_S = 0.1  # most queries are decided at once; only the rest are split
CVC5_EARLY_S = 1.0
CVC5_LATE_SHARE = 0.4  # of what the rounds leave, on the whole query when more than FEW_KINDS are open
FEW_KINDS = 3
CVC5_KIND_SHARE = 0.7  # of a kind's share at the end


def _solve_by_principal_kind(query: Any, timeout_s: float, kept: list[Any]) -> Any:
    """A portfolio over one budget: the whole query briefly with z3; then one
    principal kind at a time (a finite case split, so the answer is the same: z3
    often decides a fixed kind in a blink where the whole query times out), in
    rounds of growing budgets so that the kinds z3 finds easy are decided first
    (cvc5 gets a second on the whole query after the first round, and a kind z3
    leaves open in a later round), within half the budget; then cvc5 on the whole
    query if many kinds are open; then cvc5 and z3 on each kind still open,
    sharing what is left."""
    from reasoner.encodings.queries import candidate_accounts, literal_values, resource_case
    from reasoner.encodings.request import kind_cases
    from reasoner.solve import SolveResult, Status, cvc5_available, solve, solve_with_cvc5

    started = time.perf_counter()

    def left() -> float:
        return timeout_s - (time.perf_counter() - started)

    first = solve(query.assertions, min(WHOLE_FIRST_S, timeout_s), portfolio=False)
    if first.status is not Status.UNKNOWN:
        return first
    statistics: dict[str, float] = dict(first.statistics)
    split_until = timeout_s * KIND_PHASE_SHARE
    open_cases = kind_cases(query.sym)
    accounts = candidate_accounts(query.policies)
    literals = literal_values(query.sym, query.policies)
    # the resource the (new) policy's first Resource pattern names
    resource = resource_case(query.sym, _resource_patterns(tuple(reversed(query.policies))))
    for round_index, round_budget in enumerate(KIND_ROUNDS_S):
        still_open = []
        for kind, case in open_cases:
            guided = _guided(query, kind, case, accounts, literals, resource) if round_index == 0 else []
            decided = False
            for formula in [*guided, case]:
                budget = min(round_budget, split_until - (time.perf_counter() - started))
                if budget <= 0.05:
                    break
                answer = solve([*query.assertions, formula], budget, portfolio=False)
                if answer.status is Status.UNKNOWN and formula is case and round_index > 0 and cvc5_available():
                    # cvc5 proves some kinds in a blink that z3 cannot in seconds
                    answer = solve_with_cvc5([*query.assertions, case], budget)
                for key, value in answer.statistics.items():
                    statistics[key] = statistics.get(key, 0.0) + value
                if answer.status is Status.SAT:
                    kept.append(formula)
                    return answer
                if formula is case and answer.status is Status.UNSAT:
                    decided = True  # the whole kind, and so its sub-cases too
                    break
            if not decided:
                still_open.append((kind, case))
        open_cases = still_open
        if not open_cases:
            return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics)
        if round_index == 0 and cvc5_available() and left() > CVC5_EARLY_S:
            # cvc5 decides in a second many string-heavy queries (negated globs, long
            # NotResource lists) on which z3 needs many (README, Solving)
            early = solve_with_cvc5(list(query.assertions), CVC5_EARLY_S)
            if early.status is not Status.UNKNOWN:
                return early
    if cvc5_available() and left() > 1.0 and len(open_cases) > FEW_KINDS:
        # cvc5 decides many of the string-heavy queries z3 is slow on (README, Solving)
        second = solve_with_cvc5(list(query.assertions), left() * CVC5_LATE_SHARE)
        if second.status is not Status.UNKNOWN:
            return second
    # What is left goes to the kinds still open, shared equally (a kind is easier
    # to prove than the whole query): cvc5 first, then z3.
    for index, (_, case) in enumerate(open_cases):
        share = left() / (len(open_cases) - index)
        if share <= 0.05:
            break
        answer = SolveResult(Status.UNKNOWN, None, 0.0, "timeout")
        if cvc5_available():
            answer = solve_with_cvc5([*query.assertions, case], share * CVC5_KIND_SHARE)
        if answer.status is Status.UNKNOWN:
            answer = solve([*query.assertions, case], max(0.05, left() / (len(open_cases) - index)),
                           portfolio=False)
        if answer.status is not Status.UNSAT:
            return answer
    else:
        return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics)
    return SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, "timeout", statistics)


def _guided(query: Any, kind: PrincipalKind, case: Any, accounts: list[tuple[str, str]],
            literals: Any, resource: Any) -> list[Any]:
    """Sub-cases of one principal kind where a witness is likely and z3 is quick:
    the caller's and the owner's accounts fixed to likely values, and the tested
    text keys to the policies' first values (both, then accounts alone); last, a
    likely `resource` with the first two account pairs."""
    from reasoner.encodings.request import ACCOUNT_KINDS, account_case
    from reasoner.encodings.terms import and_

    with_accounts = [account_case(query.sym, kind, caller, owner) for caller, owner in accounts] \
        if kind in ACCOUNT_KINDS else []
    on_resource = [] if resource is None else [and_(sub_case, resource) for sub_case in (with_accounts[:2] or [case])]
    if literals is None:
        return [*with_accounts, *on_resource]
    if not with_accounts:
        return [and_(case, literals), *on_resource]
    return [*(and_(sub_case, literals) for sub_case in with_accounts), *with_accounts, *on_resource]


def _resource_patterns(policies: Sequence[Policy]) -> list[str]:
    return [pattern for policy in policies for statement in policy.statements
            if statement.effect is Effect.ALLOW for pattern in statement.resources or ()]


def _request_words(witness: Witness) -> str:
    request = witness.request
    return f"{request.action} on {request.resource} by {request.principal.text}"


def _granting(witness: Witness, names: dict[str, str]) -> str:
    refs = [ref for ref in witness.result.determining if ref.policy != "identity_policies[0]" or
            "resource_policy" not in names]
    return ", ".join(_describe(ref, names) for ref in refs) or "the policy"


def check_no_public_access(policy: Policy, kind: ResourceType, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                           max_ipv4_prefix_width: int = 8, max_ipv6_prefix_width: int = 32) -> CheckResult:
    from reasoner.encodings.queries import PublicOptions, no_public_access

    options = PublicOptions(max_ipv4_prefix_width, max_ipv6_prefix_width)
    names = {"resource_policy": "the resource policy", "identity_policies[0]": "the caller's account"}

    def explain(witness: Witness) -> list[str]:
        return [f"{_granting(witness, names)} allows {_request_words(witness)}, a caller that no account, "
                "organization, principal, endpoint, VPC or network range in the policy identifies"]

    return run_query(lambda: no_public_access(policy, kind, options), timeout_s, explain, "no-public-access")


def check_no_new_access(existing: Policy, new: Policy, policy_type: PolicyType, *,
                        timeout_s: float = DEFAULT_TIMEOUT_S) -> CheckResult:
    from reasoner.encodings.queries import no_new_access

    names = {"identity_policies[0]": "the new policy", "resource_policy": "the new policy"}
    if policy_type is not PolicyType.IDENTITY:
        names["identity_policies[0]"] = "the caller's account"

    def explain(witness: Witness) -> list[str]:
        return [f"{_granting(witness, names)} allows {_request_words(witness)}, which the existing policy "
                "does not allow"]

    return run_query(lambda: no_new_access(existing, new, policy_type), timeout_s, explain, "no-new-access")


def check_access_not_granted(policy: Policy, actions: Sequence[str], resources: Sequence[str],
                             policy_type: PolicyType, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> CheckResult:
    from reasoner.encodings.queries import access_not_granted

    names = {"identity_policies[0]": "the policy", "resource_policy": "the policy"}
    if policy_type is not PolicyType.IDENTITY:
        names["identity_policies[0]"] = "the caller's account"

    def explain(witness: Witness) -> list[str]:
        return [f"{_granting(witness, names)} allows {_request_words(witness)}, one of the actions that must "
                "not be granted"]

    check_access_arguments(actions, resources)
    return run_query(lambda: access_not_granted(policy, actions, resources, policy_type), timeout_s, explain,
                     "access-not-granted")


def check_access_arguments(actions: Sequence[str], resources: Sequence[str]) -> None:
    """Each action names a catalogued action and each resource is `*` or an ARN
    pattern: a typo would otherwise be a PASS about nothing."""
    from reasoner.catalogue import names_an_action
    from reasoner.matching import is_resource_pattern
    from reasoner.perimeter import ACTION_PATTERN

    for action in actions:
        if not ACTION_PATTERN.fullmatch(action):
            raise InputError("--action", "", f'"{action}" is not an action ("service:Action", wildcards allowed)')
        if not names_an_action(action):
            raise InputError("--action", "", f'"{action}" names no action of the AWS catalogue')
    for resource in resources:
        if not is_resource_pattern(resource):
            raise InputError("--resource", "", f'"{resource}" is not "*" or an ARN pattern (arn:partition:service:'
                                               'region:account:resource)')


def load_check_policy(path: Path, policy_type: str | None, *, default: PolicyType | None = None) -> Policy:
    """A policy file for a check. `policy_type` is "identity" or "resource"; when
    absent, a policy whose statements name a Principal is resource-based. A
    resource-based policy whose actions are all `sts:` is read as a role trust
    policy (it has no Resource element)."""
    from reasoner.parse import load_data_file, load_policy_file

    source = str(path)
    document = load_data_file(path, source)
    if policy_type is not None:
        chosen = PolicyType.IDENTITY if policy_type == "identity" else PolicyType.RESOURCE
    elif default is not None:
        chosen = default
    else:
        chosen = PolicyType.RESOURCE if _names_principal(document) else PolicyType.IDENTITY
    if chosen is PolicyType.RESOURCE and _only_sts(document):
        chosen = PolicyType.TRUST
    return load_policy_file(path, chosen, source=source)


def _statements(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        return []
    found: Any = next((value for key, value in document.items() if str(key).lower() == "statement"), [])
    return found if isinstance(found, list) else [found]


def _names_principal(document: Any) -> bool:
    return any(isinstance(s, dict) and any(str(k).lower() in ("principal", "notprincipal") for k in s)
               for s in _statements(document))


def _only_sts(document: Any) -> bool:
    actions: list[str] = []
    for statement in _statements(document):
        if not isinstance(statement, dict):
            return False
        value = next((v for k, v in statement.items() if str(k).lower() == "action"), None)
        if value is None:
            return False
        actions.extend(value if isinstance(value, list) else [value])
    return bool(actions) and all(isinstance(a, str) and a.lower().startswith("sts:") for a in actions)


def result_text(result: CheckResult, *, colour: bool) -> str:
    """A check result for people."""
    import json

    styles = {"PASS": "\033[32m", "FAIL": "\033[31m", "UNKNOWN": "\033[33m"}
    head = f"{result.result}: {result.check}"
    if colour:
        head = f"{styles[result.result]}{head}\033[0m"
    lines = [head]
    if result.unknown_reason:
        lines.append(f"  reason: {result.unknown_reason}")
    for reason in result.reasons:
        lines.append(f"  {reason}")
    if result.witness is not None:
        lines.append("  witness request (replayed through the reference evaluator: "
                     f"{result.witness.result.decision.value}):")
        lines.extend("    " + line for line in json.dumps(result.witness.request_json(), indent=2).splitlines())
        for ref in result.witness.result.determining:
            where = f"{ref.source}:{ref.line}" if ref.line else ref.source
            lines.append(f"  allowed by {ref.policy} statement {ref.statement}"
                         + (f" ({ref.sid})" if ref.sid else "") + f"  [{where}]")
    return "\n".join(lines)


EXIT_CODES = {"PASS": 0, "FAIL": 1, "UNKNOWN": 3}
