"""The one place that runs a solver: assertions in, a three-valued answer out.

UNKNOWN covers z3's `unknown` and every timeout: an unanswered query is never
reported as proven (style.md §5).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import z3

RANDOM_SEED = 0


class Status(Enum):
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveResult:
    status: Status
    model: z3.ModelRef | None  # only when SAT
    seconds: float
    reason: str | None = None  # z3's reason for UNKNOWN ("timeout", "canceled", ...)
    statistics: dict[str, float] = field(default_factory=dict)


def solve(assertions: Iterable[z3.BoolRef], timeout_s: float, *, portfolio: bool = True) -> SolveResult:
    """Check the conjunction of `assertions` within `timeout_s` seconds; when z3
    gives up on a query with a budget of at least `PORTFOLIO_MIN_TIMEOUT_S`, cvc5
    gets the same budget (see `solve_with_cvc5`)."""
    assertions = list(assertions)
    use_cvc5 = portfolio and timeout_s >= PORTFOLIO_MIN_TIMEOUT_S and cvc5_available()
    # with a second solver, z3 gets a share of the budget and cvc5 the rest
    first = max(PORTFOLIO_MIN_TIMEOUT_S / 2, timeout_s * Z3_SHARE) if use_cvc5 else timeout_s
    answer = _solve_z3(assertions, first)
    if answer.status is Status.UNKNOWN and use_cvc5:
        second = solve_with_cvc5(assertions, max(1.0, timeout_s - answer.seconds))
        if second.status is not Status.UNKNOWN:
            return second
    return answer


def _solve_z3(assertions: list[z3.BoolRef], timeout_s: float) -> SolveResult:
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout_s * 1000)))
    solver.set("random_seed", RANDOM_SEED)
    for assertion in assertions:
        solver.add(assertion)
    started = time.perf_counter()
    answer = solver.check()
    seconds = time.perf_counter() - started
    statistics = {key: float(value) for key, value in _statistics(solver)}
    if answer == z3.sat:
        return SolveResult(Status.SAT, solver.model(), seconds, None, statistics)
    if answer == z3.unsat:
        return SolveResult(Status.UNSAT, None, seconds, None, statistics)
    return SolveResult(Status.UNKNOWN, None, seconds, solver.reason_unknown(), statistics)


def _statistics(solver: z3.Solver) -> list[tuple[str, float]]:
    stats = solver.statistics()
    return [(str(key), float(value)) for key, value in (stats[i] for i in range(len(stats)))]


# ---------------------------------------------------------------------------
# cvc5 as a second opinion when z3 gives up (a portfolio): an UNSAT from cvc5 is a
# proof as good as z3's; a SAT comes with cvc5's values for every constant, which
# z3 then checks (a ground, fast check) and turns into the model the witness
# decoder reads. Anything else stays UNKNOWN.

PORTFOLIO_MIN_TIMEOUT_S = 2.0
Z3_SHARE = 0.4


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
    sort = term.sort()
    kind = sort.kind()
    if kind == z3.Z3_BOOL_SORT:
        return z3.BoolVal(bool(value.getBooleanValue()))
    if kind == z3.Z3_INT_SORT:
        return z3.IntVal(int(value.getIntegerValue()))
    if kind == z3.Z3_REAL_SORT:
        fraction = value.getRealValue()
        return z3.RealVal(f"{fraction.numerator}/{fraction.denominator}")
    if kind == z3.Z3_SEQ_SORT and sort == z3.StringSort():
        from reasoner.encodings.strings import string_val

        return string_val(str(value.getStringValue()))
    if kind == z3.Z3_BV_SORT:
        return z3.BitVecVal(int(value.getBitVectorValue(10)), sort.size())
    if kind == z3.Z3_DATATYPE_SORT:
        name = str(value)
        for index in range(sort.num_constructors()):
            if sort.constructor(index).name() == name:
                return sort.constructor(index)()
    return None


def solve_with_cvc5(assertions: list[z3.BoolRef], timeout_s: float) -> SolveResult:
    """cvc5's answer on the same assertions, its model confirmed by z3."""
    started = time.perf_counter()
    script = z3.Solver()
    script.add(*assertions)
    text = "(set-option :produce-models true)\n(set-logic ALL)\n" + script.sexpr() + "\n(check-sat)\n"
    answer, _, solver, symbols = _run_cvc5_script(text, timeout_s)
    if answer == "unsat":
        return SolveResult(Status.UNSAT, None, time.perf_counter() - started, None, {"cvc5": 1.0})
    if answer != "sat":
        return SolveResult(Status.UNKNOWN, None, time.perf_counter() - started, f"cvc5: {answer}", {})
    declared = {str(term.getSymbol()): term for term in symbols.getDeclaredTerms() if term.hasSymbol()}
    fixed: list[z3.BoolRef] = []
    for name, constant in _constants(assertions).items():
        term = declared.get(name)
        if term is None:
            continue
        value = _z3_value(constant, solver.getValue(term))
        if value is not None:
            fixed.append(constant == value)
    check = z3.Solver()
    check.set("timeout", max(1, int(max(1.0, timeout_s - (time.perf_counter() - started)) * 1000)))
    check.add(*assertions, *fixed)
    if check.check() == z3.sat:
        return SolveResult(Status.SAT, check.model(), time.perf_counter() - started, None, {"cvc5": 1.0})
    return SolveResult(Status.UNKNOWN, None, time.perf_counter() - started,
                       "cvc5 found a model that z3 could not confirm", {})


def _run_cvc5_script(text: str, timeout_s: float) -> tuple[str, float, Any, Any]:
    """cvc5's last output on an SMT-LIB 2 script ("unknown" when it says nothing),
    the seconds its commands took (parsing included), and its solver and symbols."""
    import cvc5

    terms = cvc5.TermManager()
    solver = cvc5.Solver(terms)
    solver.setOption("tlimit-per", str(max(1, int(timeout_s * 1000))))
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
    return answer, time.perf_counter() - started, solver, symbols


# ---------------------------------------------------------------------------
# One solver on an SMT-LIB 2 script as written by `encodings.smtlib.to_smtlib`
# (the benchmark's cvc5 column, the export's read-back test): the raw answer, no
# model and no portfolio.


def solve_smtlib_with_cvc5(text: str, timeout_s: float) -> tuple[str, float]:
    """cvc5's answer ("sat", "unsat", "unknown ...") to an SMT-LIB 2 script, and the
    seconds it took (parsing included)."""
    answer, seconds, _, _ = _run_cvc5_script(text, timeout_s)
    return answer, seconds


def solve_smtlib_with_z3(text: str, timeout_s: float) -> str:
    """z3's answer ("sat", "unsat" or "unknown") to an SMT-LIB 2 script."""
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout_s * 1000)))
    solver.from_string(text)
    return str(solver.check())
