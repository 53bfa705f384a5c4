"""The one place that runs a solver: assertions in, a three-valued answer out.

The work a solve may take is a count (`reasoner.solving.budget`): z3's `rlimit`,
cvc5's `rlimit-per`, so the answer is the same on an idle and on a busy machine.
Wall-clock time is only the session's outer guard.

A query is solved in a `Session` of its own: a private z3 context, because z3's
search depends on the order in which terms were created in its context, and a
context shared with what the process solved before (another `--jobs` split of the
work, another order) could change the witness. Every solve of the session is
charged the work it took, read from the solvers' own counters.

UNKNOWN covers z3's `unknown`, a used-up budget and an expired guard: an
unanswered query is never reported as proven (style.md §5).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import z3

from reasoner.solving.budget import (
    CVC5_RLIMIT_PER_UNIT,
    DEFAULT_GUARD_S,
    Z3_RLIMIT_PER_UNIT,
    cvc5_rlimit,
    z3_rlimit,
)

RANDOM_SEED = 0
BUDGET, GUARD = "budget", "guard"  # SolveResult.reason when the work or the wall-clock guard ran out


class Status(Enum):
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveResult:
    status: Status
    model: z3.ModelRef | None  # only when SAT, in the context of the assertions given
    seconds: float  # wall clock, for information only: nothing is decided by it
    reason: str | None = None  # for UNKNOWN: BUDGET, GUARD, or the solver's own reason
    statistics: dict[str, float] = field(default_factory=dict)
    work: float = 0.0  # work units the solve took


class Session:
    """The solves of one query: a private z3 context, the work they took, and
    the wall-clock guard they share."""

    def __init__(self, guard_s: float = DEFAULT_GUARD_S) -> None:
        self._context: z3.Context | None = None  # made at the first solve: many queries need none
        self.guard_s = guard_s
        self.deadline = time.monotonic() + guard_s
        self.guard_expired = False
        self.work = 0.0
        self._counted = 0  # z3's resource count in the private context so far
        self._translated: dict[int, tuple[z3.ExprRef, z3.ExprRef]] = {}

    @property
    def context(self) -> z3.Context:
        if self._context is None:
            self._context = z3.Context()
        return self._context

    def _guard_ms(self) -> int:
        return max(1, int((self.deadline - time.monotonic()) * 1000))

    def expired(self) -> bool:
        """Whether the wall-clock guard has run out (and from then on, always)."""
        if time.monotonic() >= self.deadline:
            self.guard_expired = True
        return self.guard_expired

    def _local(self, assertions: Sequence[z3.BoolRef]) -> list[z3.BoolRef]:
        """The assertions in the private context, each translated once (together,
        so that shared terms are translated once too)."""
        fresh = [a for a in assertions if a.get_id() not in self._translated]
        if fresh:
            vector = z3.AstVector(ctx=fresh[0].ctx)
            for assertion in fresh:
                vector.push(assertion)
            translated = vector.translate(self.context)
            # each one as the Boolean it is (indexing the vector would ask z3 its kind and sort)
            reference, raw = self.context.ref(), translated.vector
            for index, assertion in enumerate(fresh):
                term = z3.BoolRef(z3.Z3_ast_vector_get(reference, raw, index), self.context)
                self._translated[assertion.get_id()] = (assertion, term)
        return [self._translated[a.get_id()][1] for a in assertions]

    def _back(self, model: z3.ModelRef, assertions: Sequence[z3.BoolRef]) -> z3.ModelRef:
        return model.translate(assertions[0].ctx) if assertions else model

    def _unknown(self, started: float, reason: str | None, statistics: dict[str, float] | None = None,
                 work: float = 0.0) -> SolveResult:
        if self.expired():
            reason = GUARD
        return SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, reason, statistics or {}, work)

    def solve(self, assertions: Iterable[z3.BoolRef], units: float, *, portfolio: bool = True,
              plain: bool = False) -> SolveResult:
        """z3 on the conjunction within `units` of work; when it gives up on a query
        of at least `PORTFOLIO_MIN_UNITS`, cvc5 gets what z3 left of them. `plain`:
        z3's SMT core without its preprocessing tactics (`with_z3`)."""
        assertions = list(assertions)
        use_cvc5 = portfolio and units >= PORTFOLIO_MIN_UNITS and cvc5_available()
        # with a second solver, z3 gets a share of the work and cvc5 the rest
        first = max(PORTFOLIO_MIN_UNITS / 2, units * Z3_SHARE) if use_cvc5 else units
        answer = self.with_z3(assertions, first, plain=plain)
        if answer.status is Status.UNKNOWN and use_cvc5 and not self.guard_expired:
            second = self.with_cvc5(assertions, max(1.0, units - answer.work))
            if second.status is not Status.UNKNOWN or second.reason == GUARD:
                return second
        return answer

    def with_z3(self, assertions: Sequence[z3.BoolRef], units: float, *, plain: bool = False) -> SolveResult:
        """z3's answer within `units` of work. `plain` skips the preprocessing
        tactics z3's default solver runs first (z3's `SimpleSolver`): on most
        queries of a check it halves the solve, on some it is far slower, so it is
        only asked for a first, short try."""
        started = time.perf_counter()
        if not assertions:
            return self.with_z3([z3.BoolVal(True)], units, plain=plain)
        if self.expired():
            return self._unknown(started, GUARD)
        solver = z3.SimpleSolver(ctx=self.context) if plain else z3.Solver(ctx=self.context)
        solver.set("random_seed", RANDOM_SEED)
        solver.set("rlimit", z3_rlimit(units))
        solver.set("timeout", self._guard_ms())
        _assert_all(solver, self._local(assertions))
        answer = solver.check()
        statistics = dict(_statistics(solver))
        work = self._charge_z3(statistics)
        if answer == z3.sat:
            return SolveResult(Status.SAT, self._back(solver.model(), assertions), time.perf_counter() - started,
                               None, statistics, work)
        if answer == z3.unsat:
            return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics, work)
        reason = solver.reason_unknown()
        if plain:
            # the terms z3's SMT core made on the way stay in the context and steer
            # later searches there: the solves after an unanswered plain one get a
            # new context, so they search as they would without it
            self._fresh_context()
        return self._unknown(started, BUDGET if reason == "canceled" else reason, statistics, work)

    def _fresh_context(self) -> None:
        self._context, self._translated, self._counted = None, {}, 0

    def _charge_z3(self, statistics: dict[str, float]) -> float:
        """The work of the last z3 check: z3's resource count grows across the
        context, so the difference since the previous check."""
        count = int(statistics.get("rlimit count", self._counted))
        spent = max(0, count - self._counted)
        self._counted = max(count, self._counted)
        statistics["rlimit count"] = float(spent)
        work = spent / Z3_RLIMIT_PER_UNIT
        self.work += work
        return work

    def with_cvc5(self, assertions: Sequence[z3.BoolRef], units: float) -> SolveResult:
        """cvc5's answer on the same assertions, its model confirmed by z3."""
        started = time.perf_counter()
        if self.expired():
            return self._unknown(started, GUARD)
        local = self._local(assertions)
        script = z3.Solver(ctx=self.context)
        script.add(*local)
        text = "(set-option :produce-models true)\n(set-logic ALL)\n" + script.sexpr() + "\n(check-sat)\n"
        run = _run_cvc5_script(text, units, self._guard_ms())
        work = run.resource_units / CVC5_RLIMIT_PER_UNIT
        self.work += work
        statistics = {"cvc5": 1.0, "cvc5 resource units": float(run.resource_units)}
        if run.answer == "unsat":
            return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, statistics, work)
        if run.answer != "sat":
            reason = BUDGET if "RESOURCEOUT" in run.answer else f"cvc5: {run.answer}"
            return self._unknown(started, reason, work=work)
        declared = {str(term.getSymbol()): term for term in run.symbols.getDeclaredTerms() if term.hasSymbol()}
        fixed: list[z3.BoolRef] = []
        for name, constant in _constants(local).items():
            term = declared.get(name)
            if term is None:
                continue
            value = _z3_value(constant, run.solver.getValue(term))
            if value is not None:
                fixed.append(constant == value)
        # a ground check, given what is left of the units (at least CONFIRM_UNITS)
        check = z3.Solver(ctx=self.context)
        check.set("random_seed", RANDOM_SEED)
        check.set("rlimit", z3_rlimit(max(CONFIRM_UNITS, units - work)))
        check.set("timeout", self._guard_ms())
        check.add(*local, *fixed)
        confirmed = check.check()
        checked = dict(_statistics(check))
        work += self._charge_z3(checked)
        statistics["rlimit count"] = checked["rlimit count"]
        if confirmed == z3.sat:
            return SolveResult(Status.SAT, self._back(check.model(), assertions), time.perf_counter() - started,
                               None, statistics, work)
        return self._unknown(started, "cvc5 found a model that z3 could not confirm", work=work)


def _assert_all(solver: z3.Solver, assertions: Sequence[z3.BoolRef]) -> None:
    """`solver.add(*assertions)` for terms known to be Booleans of the solver's
    context, without the per-term sort checks and casts of `Solver.add`."""
    reference, raw = solver.ctx.ref(), solver.solver
    for assertion in assertions:
        z3.Z3_solver_assert(reference, raw, assertion.as_ast())


def solve(assertions: Iterable[z3.BoolRef], units: float, *, guard_s: float = DEFAULT_GUARD_S,
          portfolio: bool = True) -> SolveResult:
    """One query alone, in a session of its own (`Session.solve`)."""
    return Session(guard_s).solve(assertions, units, portfolio=portfolio)


def solve_with_cvc5(assertions: Sequence[z3.BoolRef], units: float, *,
                    guard_s: float = DEFAULT_GUARD_S) -> SolveResult:
    """cvc5 alone on one query, its model confirmed by z3 (`Session.with_cvc5`)."""
    return Session(guard_s).with_cvc5(list(assertions), units)


def _statistics(solver: z3.Solver) -> list[tuple[str, float]]:
    stats = solver.statistics()
    return [(str(key), float(value)) for key, value in (stats[i] for i in range(len(stats)))]


# ---------------------------------------------------------------------------
# cvc5 as a second opinion when z3 gives up (a portfolio): an UNSAT from cvc5 is a
# proof as good as z3's; a SAT comes with cvc5's values for every constant, which
# z3 then checks (a ground, fast check) and turns into the model the witness
# decoder reads. Anything else stays UNKNOWN.

PORTFOLIO_MIN_UNITS = 2.0
Z3_SHARE = 0.4
CONFIRM_UNITS = 1.0


def cvc5_available() -> bool:
    try:
        import cvc5  # noqa: F401
    except ImportError:
        return False
    return True


def _constants(assertions: list[z3.BoolRef]) -> dict[str, z3.ExprRef]:
    found: dict[str, z3.ExprRef] = {}
    seen: set[int] = set()
    stack: list[z3.ExprRef] = list(assertions)
    while stack:
        term = stack.pop()
        key = term.get_id()
        if key in seen:
            continue
        seen.add(key)
        if z3.is_const(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            found[term.decl().name()] = term
        elif z3.is_quantifier(term):
            stack.append(term.body())
        elif z3.is_app(term):
            stack.extend(term.children())
    return found


def _z3_value(term: z3.ExprRef, value: Any) -> z3.ExprRef | None:
    sort, context = term.sort(), term.ctx
    kind = sort.kind()
    if kind == z3.Z3_BOOL_SORT:
        return z3.BoolVal(bool(value.getBooleanValue()), context)
    if kind == z3.Z3_INT_SORT:
        return z3.IntVal(int(value.getIntegerValue()), context)
    if kind == z3.Z3_REAL_SORT:
        fraction = value.getRealValue()
        return z3.RealVal(f"{fraction.numerator}/{fraction.denominator}", context)
    if kind == z3.Z3_SEQ_SORT and sort == z3.StringSort(context):
        from reasoner.encodings.strings import string_val

        return string_val(str(value.getStringValue()), context)
    if kind == z3.Z3_BV_SORT:
        return z3.BitVecVal(int(value.getBitVectorValue(10)), sort.size(), context)
    if kind == z3.Z3_DATATYPE_SORT:
        name = str(value)
        for index in range(sort.num_constructors()):
            if sort.constructor(index).name() == name:
                return sort.constructor(index)()
    return None


@dataclass
class _Cvc5Run:
    answer: str  # cvc5's last output ("unknown" when it says nothing)
    seconds: float  # its commands, parsing included
    resource_units: int  # what cvc5 counted
    solver: Any
    symbols: Any


def _run_cvc5_script(text: str, units: float, guard_ms: int) -> _Cvc5Run:
    """cvc5 on an SMT-LIB 2 script, within `units` of work and `guard_ms` of wall clock."""
    import cvc5

    terms = cvc5.TermManager()
    solver = cvc5.Solver(terms)
    solver.setOption("seed", str(RANDOM_SEED))
    solver.setOption("rlimit-per", str(cvc5_rlimit(units)))
    solver.setOption("tlimit-per", str(max(1, guard_ms)))
    symbols = cvc5.SymbolManager(terms)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "query")
    answer = "unknown"
    started = time.perf_counter()
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        output = str(command.invoke(solver, symbols)).strip()
        if output:
            answer = output
    seconds = time.perf_counter() - started
    used = solver.getStatistics().get(True, True).get("resource::resourceUnitsUsed", {}).get("value", 0)
    return _Cvc5Run(answer, seconds, int(used), solver, symbols)


# ---------------------------------------------------------------------------
# One solver on an SMT-LIB 2 script as written by `encodings.smtlib.to_smtlib`
# (the benchmark's cvc5 column, the export's read-back test): the raw answer, no
# model and no portfolio.


def solve_smtlib_with_cvc5(text: str, units: float, *, guard_s: float = DEFAULT_GUARD_S) -> tuple[str, float]:
    """cvc5's answer ("sat", "unsat", "unknown ...") to an SMT-LIB 2 script, and the
    seconds it took (parsing included)."""
    run = _run_cvc5_script(text, units, int(guard_s * 1000))
    return run.answer, run.seconds


def solve_smtlib_with_z3(text: str, units: float, *, guard_s: float = DEFAULT_GUARD_S) -> str:
    """z3's answer ("sat", "unsat" or "unknown") to an SMT-LIB 2 script."""
    solver = z3.Solver(ctx=z3.Context())
    solver.set("random_seed", RANDOM_SEED)
    solver.set("rlimit", z3_rlimit(units))
    solver.set("timeout", max(1, int(guard_s * 1000)))
    solver.from_string(text)
    return str(solver.check())
