"""The one place that runs a solver: assertions in, a three-valued answer out.

UNKNOWN covers z3's `unknown` and every timeout: an unanswered query is never
reported as proven (style.md §5).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

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


def solve(assertions: Iterable[z3.BoolRef], timeout_s: float) -> SolveResult:
    """Check the conjunction of `assertions` within `timeout_s` seconds."""
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
