"""Run benchmark cases under each encoding: time, result and solver statistics of
each check (query build, solve, witness decode and replay), and optionally cvc5
on the same query exported as SMT-LIB 2."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reasoner.benchmark.cases import BenchCase
from reasoner.encodings.options import EncodingOptions
from reasoner.errors import EncodingError
from reasoner.solving.budget import Budget

# z3 statistics worth keeping per query (the rest are internal counters)
KEPT_STATISTICS = ("conflicts", "decisions", "max memory", "memory", "rlimit count", "seq num reductions")


@dataclass(frozen=True)
class Measurement:
    family: str
    check: str
    label: str
    size: int
    encoding: str
    result: str  # PASS, FAIL or UNKNOWN (z3, through `run_query`)
    seconds: float
    reason: str | None = None
    statistics: dict[str, float] = field(default_factory=dict)
    cvc5_result: str | None = None  # PASS / FAIL / UNKNOWN, None when cvc5 was not run
    cvc5_seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_case(case: BenchCase, encoding: EncodingOptions, budget: Budget, *, with_cvc5: bool = False) -> Measurement:
    from reasoner.solving.query import run_query

    result = run_query(lambda: case.build(encoding), budget, lambda _: [], case.check)
    kept = {key: value for key, value in result.statistics.items() if key in KEPT_STATISTICS}
    cvc5_result: str | None = None
    cvc5_seconds: float | None = None
    if with_cvc5:
        cvc5_result, cvc5_seconds = _run_cvc5(case, encoding, budget)
    return Measurement(case.family, case.check, case.label, case.size, encoding.name, result.result,
                       round(result.seconds, 6), result.unknown_reason, kept, cvc5_result, cvc5_seconds)


def encoding_order(encodings: Sequence[EncodingOptions], index: int) -> list[EncodingOptions]:
    """The encodings rotated by the case's index, so that each runs first (and
    pays what a query leaves warm for the next encoding) on an equal share of
    the cases."""
    if not encodings:
        return []
    shift = index % len(encodings)
    return [*encodings[shift:], *encodings[:shift]]


def warm_up(cases: Sequence[BenchCase], encodings: Sequence[EncodingOptions], budget: Budget) -> None:
    """Build and solve `cases` under every encoding, results discarded: the
    process's one-off costs (catalogue loading, regex and policy caches, the
    first z3 context) are paid here rather than by the first timed query."""
    for case in cases:
        for encoding in encodings:
            run_case(case, encoding, budget)


def run_all(cases: Sequence[BenchCase], encodings: Sequence[EncodingOptions], budget: Budget, *,
            with_cvc5: bool = False, progress: Callable[[Measurement], None] | None = None,
            warm_up_cases: Sequence[BenchCase] = ()) -> list[Measurement]:
    """Every case under every encoding, after a warm-up pass over
    `warm_up_cases`. The encodings are interleaved per case so that machine
    noise hits them alike, in an order rotated per case (`encoding_order`)."""
    warm_up(warm_up_cases, encodings, budget)
    found: list[Measurement] = []
    for index, case in enumerate(cases):
        for encoding in encoding_order(encodings, index):
            measurement = run_case(case, encoding, budget, with_cvc5=with_cvc5)
            found.append(measurement)
            if progress is not None:
                progress(measurement)
    return found


_STATUS_RESULT = {"sat": "FAIL", "unsat": "PASS"}


def _run_cvc5(case: BenchCase, encoding: EncodingOptions, budget: Budget) -> tuple[str, float]:
    from reasoner.encodings.smtlib import to_smtlib
    from reasoner.solving.solve import solve_smtlib_with_cvc5

    try:
        text = to_smtlib(case.build(encoding))
    except EncodingError:
        return "UNKNOWN", 0.0
    status, seconds = solve_smtlib_with_cvc5(text, budget.units, guard_s=budget.guard_s)
    return _STATUS_RESULT.get(status, "UNKNOWN"), round(seconds, 6)


def export_smtlib(cases: Sequence[BenchCase], encodings: Sequence[EncodingOptions], out: Path) -> list[Path]:
    """One SMT-LIB 2 file per case and encoding, `<encoding>/<case key>.smt2`;
    cases the encoding cannot express are skipped."""
    from reasoner.encodings.smtlib import to_smtlib

    written: list[Path] = []
    for encoding in encodings:
        folder = out / encoding.name
        folder.mkdir(parents=True, exist_ok=True)
        for case in cases:
            try:
                query = case.build(encoding)
            except EncodingError:
                continue
            comment = (f"perimeter benchmark query: {case.check} on {case.label} ({case.family})\n"
                       f"encoding: {encoding.name} ({encoding.description})\n"
                       "sat iff the property fails (the check would report FAIL)")
            path = folder / f"{case.key}.smt2"
            path.write_text(to_smtlib(query, comment=comment), encoding="utf-8")
            written.append(path)
    return written
