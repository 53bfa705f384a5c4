"""Running one query: solve it within a budget (z3, then cvc5, split by principal
kind when that helps), prefer a witness that reads like a real request, decode it
and replay it through the reference evaluator.

Every step's share of the budget is counted in work units (`budget.py`), never in
seconds, so the steps taken, the answer and the witness are the same on every
machine; the wall-clock guard only turns the whole query into UNKNOWN.

Three-valued throughout: UNSAT is PASS, SAT is FAIL with a replayed witness, and a
used-up budget, an expired guard, a solver `unknown` or a construct the encoding
does not support is UNKNOWN, never PASS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reasoner.errors import EncodingError, WitnessError
from reasoner.evaluation.network import network_problem
from reasoner.policy.model import Effect, Policy, PrincipalKind, Request
from reasoner.solving.budget import Budget, budget_used_reason, guard_reason
from reasoner.solving.cache import Cached, cache_key, request_from, request_record
from reasoner.solving.witness import Witness, with_network_keys

# Work units (budget.py) of the witness-shaping tries
NICER_MIN = 0.5
REALISTIC_TRY = 0.2  # the realism preferences are a bonus: they must not starve the readable tries
NICER_TOTAL = 1.0  # for all the tries together (or as much as the witness took)


@dataclass(frozen=True)
class CheckResult:
    check: str
    result: str  # PASS, FAIL or UNKNOWN
    witness: Witness | None = None
    reasons: tuple[str, ...] = ()
    unknown_reason: str | None = None
    seconds: float = 0.0  # wall clock, for information
    statistics: dict[str, float] = field(default_factory=dict)
    work: float = 0.0  # work units the solvers took (budget.py): the same on every machine
    reused: bool = False  # answered from a result cache (cache.py)
    internal_error: bool = False  # a bug, never stored in a cache
    unknown_line: int | None = None  # the line of the statement an unsupported construct is in, when known
    # what decided a no-public-access answer with --acl / --public-access-block:
    # "policy", "acl", "public_access_block" (checks/bucket_public.py)
    decided_by: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"check": self.check, "result": self.result}
        if self.witness is not None:
            document["witness"] = self.witness.to_json()
        document["reasons"] = list(self.reasons)
        if self.decided_by:
            document["decided_by"] = list(self.decided_by)
        if self.unknown_reason is not None:
            document["reason"] = self.unknown_reason
        return document


def denied_patterns(policies: Sequence[Policy]) -> list[str]:
    """The Resource patterns the policies deny: where a new policy breaks the
    property is often just what an existing one denies (a sensitive resource)."""
    return [pattern for policy in policies for statement in policy.statements
            if statement.effect is Effect.DENY for pattern in statement.resources or ()]


def resource_patterns(policies: Sequence[Policy]) -> list[str]:
    """The Resource patterns the policies allow, in order: hints for a witness's resource."""
    return [pattern for policy in policies for statement in policy.statements
            if statement.effect is Effect.ALLOW for pattern in statement.resources or ()]


def run_query(build: Callable[[], Any], budget: Budget, explain: Callable[[Witness], list[str]],
              check: str, cached: Cached | None = None) -> CheckResult:
    """Solve a query; decode, prefer a readable witness, replay it. With `cached`,
    an answer stored under the query's key is used instead (its witness replayed
    again), and a new answer is stored, unless the wall-clock guard cut it short."""
    from reasoner.solving.solve import Session

    started = time.perf_counter()
    key = cache_key(check, budget.units, cached.material) if cached is not None else ""
    if cached is not None:
        stored = cached.store.get(key)
        if stored is not None:
            found = _from_entry(stored, cached, explain, check)
            if found is not None:
                return replace(found, seconds=time.perf_counter() - started)
            cached.store.untrusted()
    try:
        query = build()
    except EncodingError as error:
        result = CheckResult(check, "UNKNOWN", unknown_reason=str(error), unknown_line=error.line)
        if cached is not None:
            cached.store.put(key, _entry(result))
        return replace(result, seconds=time.perf_counter() - started)
    session = Session(budget.guard_s)
    result = replace(_decide(query, session, budget, explain, check), work=session.work)
    if cached is not None and not session.guard_expired and not result.internal_error \
            and tuple(cached.replays) == tuple(query.replays):
        cached.store.put(key, _entry(result))
    return replace(result, seconds=time.perf_counter() - started)


def _entry(result: CheckResult) -> dict[str, Any]:
    """What the cache keeps of an answer: the witness as its request only."""
    entry: dict[str, Any] = {"result": result.result, "reason": result.unknown_reason, "work": result.work}
    if result.witness is not None:
        entry["request"] = request_record(result.witness.request)
    return entry


def _from_entry(entry: dict[str, Any], cached: Cached, explain: Callable[[Witness], list[str]],
                check: str) -> CheckResult | None:
    """The answer an entry holds, its witness replayed through today's policies;
    None when the entry does not hold up."""
    from reasoner.solving.witness import replay

    try:
        outcome, reason, work = entry["result"], entry["reason"], float(entry["work"])
        if outcome in ("PASS", "UNKNOWN") and "request" not in entry:
            return CheckResult(check, str(outcome), unknown_reason=None if reason is None else str(reason),
                               work=work, reused=True)
        if outcome != "FAIL":
            return None
        request = request_from(entry["request"])
        witnesses = [replay(request, r.policies, set(r.decisions)) for r in cached.replays_of(request)]
    except (KeyError, TypeError, ValueError, WitnessError):
        return None
    return CheckResult(check, "FAIL", witnesses[0], tuple(explain(witnesses[0])), work=work, reused=True)


MAX_REFINEMENTS = 3  # rounds that add the facts one witness breaks; then all of them


def _decide(query: Any, session: Any, budget: Budget, explain: Callable[[Witness], list[str]],
            check: str) -> CheckResult:
    """Solve, decode and replay; where the witness breaks facts the query keeps
    for later (`queries.Refinement`), add them and solve again."""
    narrowed = False
    for round_index in range(MAX_REFINEMENTS + 3):
        left = budget.units - session.work
        if left <= 0.05:
            return CheckResult(check, "UNKNOWN", unknown_reason=budget_used_reason(budget))
        result, broken = _decide_once(query, session, left, budget, explain, check)
        if result is not None and narrowed and result.result == "PASS":
            # a narrowed query's UNSAT proves nothing of the whole (it was SAT just before)
            return CheckResult(check, "UNKNOWN", unknown_reason="internal error: the narrowed query turned UNSAT",
                               internal_error=True)
        if result is not None:
            return result
        refinement = query.refinement
        added = [*refinement.for_request(broken), *(refinement.everything() if round_index == MAX_REFINEMENTS else ())]
        query = replace(query, assertions=(*query.assertions, *added))
        if round_index < MAX_REFINEMENTS and not narrowed:
            # the broken witness's resource with an action that takes it, if the
            # property still breaks there: a witness that holds with every fact
            query, narrowed = _on_fitting_action(query, broken, session)
    return CheckResult(check, "UNKNOWN", internal_error=True,
                       unknown_reason="internal error: the witness names a resource its action does not take")


FITTING_TRY = 0.2  # work units of the try for an action that takes the broken witness's resource


def _on_fitting_action(query: Any, broken: Any, session: Any) -> tuple[Any, bool]:
    """The query narrowed to the broken witness's resource and the allowed actions
    whose catalogue types take it, when that still breaks the property (a solve of
    `FITTING_TRY` units); else the query as it is. Narrowing only chooses where to
    look: a witness found there is replayed and checked like any other, and an
    UNSAT of the narrowed query is never a PASS (`_decide`)."""
    from reasoner.encodings.queries import fixed_resource
    from reasoner.evaluation.action_types import resource_fits_action
    from reasoner.solving.solve import Status

    fitting = [name for _, names in query.refinement.groups
               if names and resource_fits_action(names[0], broken.resource) for name in names]
    if not fitting:
        return query, False
    narrowed = [*query.assertions, query.sym.actions.matches_any(query.sym.action, fitting),
                *fixed_resource(query.sym, broken.resource)]
    if session.solve(narrowed, FITTING_TRY, portfolio=False).status is not Status.SAT:
        return query, False
    return replace(query, assertions=tuple(narrowed)), True  # every request of it fits


def _decide_once(query: Any, session: Any, units: float, budget: Budget, explain: Callable[[Witness], list[str]],
                 check: str) -> tuple[CheckResult | None, Any]:
    """The answer, or (None, the decoded request) when the witness breaks facts of
    the query's refinement."""
    from reasoner.evaluation.action_types import resource_fits_action
    from reasoner.solving.solve import BUDGET, Status
    from reasoner.solving.witness import decode, replay

    started = session.work
    found = Found()
    if query.sym.options.kind_split:
        answer = _solve_by_principal_kind(query, session, units, found)
    else:
        answer = session.solve(query.assertions, units)
    if session.guard_expired:
        return CheckResult(check, "UNKNOWN", unknown_reason=guard_reason(budget), statistics=answer.statistics), None
    if answer.status is Status.UNSAT:
        return CheckResult(check, "PASS", statistics=answer.statistics), None
    if answer.status is Status.UNKNOWN or answer.model is None:
        reason = budget_used_reason(budget) if answer.reason == BUDGET else \
            f"solver returned unknown ({answer.reason})"
        return CheckResult(check, "UNKNOWN", unknown_reason=reason, statistics=answer.statistics), None
    # a guessed request fixes every term the witness is read from: shaping could only
    # find the same request again
    model = answer.model if found.whole_request else \
        _nicer_model(query, answer, found.cases, session, started + units - session.work)
    if session.guard_expired:  # the witness would depend on how far the shaping got
        return CheckResult(check, "UNKNOWN", unknown_reason=guard_reason(budget), statistics=answer.statistics), None
    multivalued = [key for key, terms in query.sym.keys.items() if terms.multi]
    try:
        request = with_network_keys(decode(query.sym.read(model), multivalued), frozenset(query.sym.keys),
                                    lambda candidate: _fits(query, candidate))
        witnesses = [replay(request, r.policies, set(r.decisions)) for r in query.replays_of(request)]
    except WitnessError as error:
        return CheckResult(check, "UNKNOWN", unknown_reason=f"internal error: {error}", internal_error=True), None
    if query.refinement is not None and not resource_fits_action(request.action, request.resource):
        return None, request
    outside = [what for what, holds in query.membership if not holds(request)]
    problem = network_problem(request)
    if problem is not None:  # the encoding let through a request AWS never sends
        outside.append(f"a request AWS sends ({problem})")
    if outside:
        return CheckResult(check, "UNKNOWN", unknown_reason=f"internal error: the witness is not {outside[0]}",
                           internal_error=True), None
    witness = witnesses[0]
    return CheckResult(check, "FAIL", witness, tuple(explain(witness)), statistics=answer.statistics), None


def _fits(query: Any, request: Request) -> bool:
    """The request gets the decisions the query claims and lies in its space (a guess
    that cannot be replayed alone, as one whose policies hold symbols only a model
    gives values to, does not)."""
    return all(holds(request) for _, holds in query.membership) and _replays_as_claimed(query, request)


def _replays_as_claimed(query: Any, request: Request) -> bool:
    """The request gets the decisions the query claims (False for a request that
    cannot be replayed alone)."""
    from reasoner.errors import WitnessError
    from reasoner.evaluation.evaluate import evaluate

    try:
        replays = query.replays_of(request)
    except WitnessError:
        return False
    return all(evaluate(request, r.policies).decision in r.decisions for r in replays)


@dataclass
class Found:
    """Where the case split found a witness: the sub-case (`cases`, kept by the
    witness-shaping tries), and whether it fixes every term of the request (a
    guessed request)."""

    cases: list[Any] = field(default_factory=list)
    whole_request: bool = False


@dataclass(frozen=True)
class Try:
    """One step of the witness preference order: keep `kept` (the found caller),
    ask for `preferences` too, within `cap` work units (or the step's share)."""

    name: str
    kept: list[Any]
    preferences: list[Any]
    cap: float | None = None


def preference_order(query: Any, model: Any, kept: list[Any]) -> list[Try]:
    """The witness preferences, most wanted first (docs/semantics.md, "How a
    witness is chosen"); the first try that still breaks the property gives the
    witness, else the model as found:

    1. `realistic`: all of 2, and the values AWS sends (a documentation source
       address, 17-hex-digit endpoint ids, a direct call, a real service) and a
       service's condition keys only on the actions the catalogue lists them for;
    2. `typed-keys:TYPE`: an example resource of a type the catalogue lists for the
       action, in that type's ARN format (from the policies' Resource patterns,
       else the format with example values), an action that takes it, the keys on
       their actions, readable names (`readable`: lower-case ARN fields, a real
       partition, the owner the ARN names); one try per example;
    3. `typed:TYPE`: the same without the keys' actions;
    4. `action-shape`: the found action on any resource of a type the catalogue
       lists for it (`*` when it lists none), readable;
    5. `readable`: any resource, readable, with the found caller (then its kind
       alone: its account may not own the resource);
    6. `printable`: the action's shape, then anything, in printable ASCII.
    """
    from reasoner.encodings.queries import action_resource_shape, typed_resource
    from reasoner.encodings.wellformed import ascii_arn_fields, listed_keys, readable, realistic, same_caller
    from reasoner.policy.action_resources import candidates, types_of

    sym = query.sym
    caller = [*same_caller(sym, model), *kept]
    plain_fields = ascii_arn_fields(sym, model)
    strict, printable = readable(sym, strict=True), readable(sym, strict=False)
    listed = listed_keys(sym)
    found = sym.read(model)
    shape = action_resource_shape(sym, found.action)
    examples = candidates(query.resource_types or types_of(found.action),
                          [*query.resource_hints, *resource_patterns(query.policies),
                           *denied_patterns(query.policies)],
                          found.resource_account or found.principal_account)
    # the caller's kind alone, when its found account cannot own the resource
    # its ARN names (an identity policy grants only in the caller's account)
    kind_only = [*caller[:1], *kept]
    first = typed_resource(sym, *examples[0]) if examples else [*plain_fields, *shape]
    tries = [Try("realistic", caller, [*strict, *realistic(sym), *listed, *first], REALISTIC_TRY)]
    if listed:
        tries += [Try(f"typed-keys:{kind.name}", caller, [*strict, *listed, *typed_resource(sym, kind, text)])
                  for kind, text in examples]
    tries += [Try(f"typed:{kind.name}", caller, [*strict, *typed_resource(sym, kind, text)])
              for kind, text in examples]
    if shape:
        tries.append(Try("action-shape", caller, [*strict, *plain_fields, *shape]))
    tries += [Try("readable", caller, [*strict, *plain_fields]), Try("readable", kind_only, [*strict, *plain_fields])]
    if shape:
        tries.append(Try("printable", caller, [*printable, *plain_fields, *shape]))
    tries.append(Try("printable", caller, [*printable, *plain_fields]))
    return tries


def _nicer_model(query: Any, answer: Any, kept: list[Any], session: Any, left: float) -> Any:
    """A model of the query whose witness reads like a real request, or the found
    one: the tries of `preference_order` in turn. Each try gets a little work, at
    most as much as the first solve took (and at least half a unit), all of them a
    unit together (or as much as the first solve). The found caller's kind and
    accounts stay, and the sub-case the witness was found in: the case split often
    decides only that case fast, and z3 is slow to choose an account's digits. The
    solver that found the witness looks for the nicer one."""
    from reasoner.solving.solve import Status

    until = session.work + min(left, max(NICER_TOTAL, answer.work))
    for step in preference_order(query, answer.model, kept):
        remaining = until - session.work
        if remaining <= 0.02 or session.guard_expired:
            break
        units = min(remaining, max(NICER_MIN, answer.work), step.cap or remaining)
        preferred = [*query.assertions, *step.kept, *step.preferences]
        nicer = session.with_cvc5(preferred, units) if "cvc5" in answer.statistics else session.solve(preferred, units)
        if nicer.status is Status.SAT and nicer.model is not None:
            return nicer.model
    return answer.model


# Work units (budget.py) of the portfolio's steps
KIND_ROUNDS = (0.1, 0.5, 2.0)  # per principal kind, one round after the other
KIND_PHASE_SHARE = 0.5  # of the budget, for the per-kind solves
WHOLE_FIRST = 0.1  # most queries are decided at once; only the rest are split
PLAIN_FIRST = 0.05  # before it, z3's SMT core alone where the query asks (Query.plain_first)
CVC5_EARLY = 1.0
CVC5_LATE_SHARE = 0.4  # of what the rounds leave, on the whole query when more than FEW_KINDS are open
FEW_KINDS = 3
CVC5_KIND_SHARE = 0.7  # of a kind's share at the end


def _solve_by_principal_kind(query: Any, session: Any, units: float, found: Found) -> Any:
    """A portfolio over one budget: a few whole requests guessed from the
    policies, each with every term fixed; the whole query briefly with z3; then one
    principal kind at a time (a finite case split, so the answer is the same: z3
    often decides a fixed kind in a blink where the whole query times out), in
    rounds of growing budgets so that the kinds z3 finds easy are decided first
    (cvc5 gets a second on the whole query after the first round, and a kind z3
    leaves open in a later round), within half the budget; then cvc5 on the whole
    query if many kinds are open; then cvc5 and z3 on each kind still open,
    sharing what is left."""
    from reasoner.encodings.queries import candidate_accounts, literal_values, resource_case
    from reasoner.encodings.request import kind_cases
    from reasoner.solving.solve import BUDGET, SolveResult, Status, cvc5_available

    started, at_start = time.perf_counter(), session.work

    def spent() -> float:
        return float(session.work - at_start)

    def left() -> float:
        return units - spent()

    split_until = units * KIND_PHASE_SHARE
    open_cases = kind_cases(query.sym)
    accounts = candidate_accounts(query.policies, query.owner)
    tried: set[GuessKey] = set()  # the guesses put to the evaluator
    # whole requests guessed from the policies first: a witness a guess finds costs
    # one solve with every term fixed, where the whole query's first solve often
    # runs out before it chooses the strings (solving.guesses)
    guessed = _guessed(query, session, accounts, {kind for kind, _ in open_cases}, found, split_until, tried,
                       GUESSES_FIRST)
    if guessed is not None or session.guard_expired:
        return guessed or SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, BUDGET, {}, spent())
    plain_work = 0.0
    if query.plain_first:
        plain = session.solve(query.assertions, min(PLAIN_FIRST, units), portfolio=False, plain=True)
        if plain.status is not Status.UNKNOWN or session.guard_expired:
            return plain
        plain_work = plain.work
    first = session.solve(query.assertions, min(WHOLE_FIRST, units - plain_work), portfolio=False)
    if first.status is not Status.UNKNOWN or session.guard_expired:
        return first
    statistics: dict[str, float] = dict(first.statistics)
    literals = literal_values(query.sym, query.policies)
    # the resource the (new) policy's first Resource pattern names
    resource = resource_case(query.sym, resource_patterns(tuple(reversed(query.policies))))
    for round_index, round_budget in enumerate(KIND_ROUNDS):
        still_open = []
        for position, (kind, case) in enumerate(open_cases):
            guided = _guided(query, kind, case, accounts, literals, resource) if round_index == 0 else []
            decided = False
            for formula in [*guided, case]:
                budget = min(round_budget, split_until - spent())
                if budget <= 0.05:
                    break
                answer = session.solve([*query.assertions, formula], budget, portfolio=False)
                if answer.status is Status.UNKNOWN and formula is case and round_index > 0 and cvc5_available():
                    # cvc5 proves some kinds in a blink that z3 cannot in seconds
                    answer = session.with_cvc5([*query.assertions, case], budget)
                for key, value in answer.statistics.items():
                    statistics[key] = statistics.get(key, 0.0) + value
                if session.guard_expired:
                    return answer
                if answer.status is Status.SAT:
                    found.cases.append(formula)
                    return answer
                if formula is case and answer.status is Status.UNSAT:
                    decided = True  # the whole kind, and so its sub-cases too
                    break
            if not decided:
                still_open.append((kind, case))
            if round_index == 0 and position == 0:
                # the first kind's sub-cases found nothing: whole requests guessed from
                # the policies, of the kinds not yet proven out (solving.guesses)
                undecided = {k for k, _ in [*still_open, *open_cases[1:]]}
                guessed = _guessed(query, session, accounts, undecided, found, split_until - spent(), tried)
                if guessed is not None or session.guard_expired:
                    return guessed or SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, BUDGET,
                                                  statistics, spent())
        open_cases = still_open
        if not open_cases:
            return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics, spent())
        if round_index == 0 and cvc5_available() and left() > CVC5_EARLY:
            # cvc5 decides in a second many string-heavy queries (negated globs, long
            # NotResource lists) on which z3 needs many (docs/encodings.md, Solving)
            early = session.with_cvc5(list(query.assertions), CVC5_EARLY)
            if early.status is not Status.UNKNOWN or session.guard_expired:
                return early
    if cvc5_available() and left() > 1.0 and len(open_cases) > FEW_KINDS:
        # cvc5 decides many of the string-heavy queries z3 is slow on (docs/encodings.md, Solving)
        second = session.with_cvc5(list(query.assertions), left() * CVC5_LATE_SHARE)
        if second.status is not Status.UNKNOWN or session.guard_expired:
            return second
    # What is left goes to the kinds still open, shared equally (a kind is easier
    # to prove than the whole query): cvc5 first, then z3.
    for index, (_, case) in enumerate(open_cases):
        share = left() / (len(open_cases) - index)
        if share <= 0.05:
            break
        answer = SolveResult(Status.UNKNOWN, None, 0.0, BUDGET)
        if cvc5_available():
            answer = session.with_cvc5([*query.assertions, case], share * CVC5_KIND_SHARE)
        if answer.status is Status.UNKNOWN and not session.guard_expired:
            answer = session.solve([*query.assertions, case], max(0.05, left() / (len(open_cases) - index)),
                                   portfolio=False)
        if answer.status is not Status.UNSAT:
            return answer
    else:
        return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics, spent())
    return SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, BUDGET, statistics, spent())


GUESS_UNITS = 0.05  # work units of the solve that checks one guess, every term fixed
MAX_GUESSES = 24  # guesses put to the evaluator
# put to the evaluator before the whole query's first solve: on the corpus every
# witness a guess finds is among the first five, and each one more slows every PASS
GUESSES_FIRST = 6
MAX_GUESS_SOLVES = 2  # guesses the evaluator lets through, put to the solver
GuessKey = tuple[str, str, str, str | None]  # caller, action, resource, owner: what tells guesses apart


def _guessed(query: Any, session: Any, accounts: list[tuple[str, str]], kinds: set[PrincipalKind],
             found: Found, allowance: float, tried: set[GuessKey] | None = None, most: int = MAX_GUESSES) -> Any:
    """A witness among the likely requests of `solving.guesses` not `tried` before
    (at most `most`, each first put to the query's membership checks and the
    reference evaluator, then to z3 with every term fixed, within `allowance` work
    units), or None. A SAT is a model of the whole query; an UNSAT proves nothing
    (a guess is one request)."""
    from reasoner.encodings.queries import literal_choices
    from reasoner.encodings.terms import all_of
    from reasoner.solving.ground import ground_model
    from reasoner.solving.guesses import guesses, named_callers
    from reasoner.solving.solve import SolveResult, Status

    sym = query.sym
    texts = {key: value for key, value in literal_choices(query.policies).items()
             if key in sym.keys and key != "aws:principalarn"}
    multivalued = [key for key, terms in sym.keys.items() if terms.multi]
    patterns = [*query.resource_hints, *resource_patterns(tuple(reversed(query.policies)))]

    def expand(pattern: str) -> list[str]:
        """The first two actions of the domain a wildcard pattern stands for."""
        found: list[int] = []
        for low, high in sym.actions.intervals(pattern):
            found += range(low, min(high, low + 1) + 1)
            if len(found) >= 2:
                break
        return [sym.actions.decode(index) for index in found[:2]]

    evaluated = solved = 0
    tried = set() if tried is None else tried
    until = session.work + allowance
    # in a comparison the new access is often a caller the new policy names; in a
    # public-access question such a caller is identified, never a witness
    first = named_callers(query.policies) if query.name == "no-new-access" else []
    for request in guesses(query.policies, query.resource_types, patterns, accounts, texts, multivalued, expand,
                           kinds, denied_patterns(query.policies), first):
        key = (request.principal.text, request.action, request.resource, request.resource_account)
        if key in tried or not all(holds(request) for _, holds in query.membership):
            continue
        if evaluated >= most:
            break
        evaluated += 1
        tried.add(key)
        if not _replays_as_claimed(query, request):
            continue
        try:
            fixes = sym.fix_to(request)
        except EncodingError:
            continue
        formula = all_of(fixes)
        if session.expired():  # nothing is decided past the guard, with or without a solve
            break
        model = ground_model(query.assertions, fixes)
        if model is not None:  # a model of the whole query without a solve (solving.ground)
            found.cases.append(formula)
            found.whole_request = True
            return SolveResult(Status.SAT, model, 0.0)
        units = min(GUESS_UNITS, until - session.work)
        if units <= 0.005:
            break
        answer = session.solve([*query.assertions, formula], units, portfolio=False)
        if answer.status is Status.SAT:
            found.cases.append(formula)
            found.whole_request = True
            return answer
        solved += 1
        if solved >= MAX_GUESS_SOLVES or session.guard_expired:
            break
    return None


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


