"""How much a query may cost: a count of solver work, and a wall-clock guard.

The budget that decides PASS / FAIL / UNKNOWN is counted in *work units*, not
seconds: z3 gets `Z3_RLIMIT_PER_UNIT` of its resource count (`rlimit`) per unit
and cvc5 `CVC5_RLIMIT_PER_UNIT` of its own (`rlimit-per`). Both solvers count the
same steps for the same query on every machine, so the same input, options and
versions give the same answer and the same witness whatever the machine's speed
or load. One unit is about a second of solver work on a current core (the rates
measured on the corpus's hardest queries, docs/performance.md), so the default of
10 units decides what a 10-second timeout decided on an idle machine.

Wall-clock time is only an outer guard (`guard_s`, the command line's
`--timeout`), generous by default: when it expires the query is UNKNOWN with a
reason saying so, never PASS and never a different witness.
"""

from __future__ import annotations

from dataclasses import dataclass

Z3_RLIMIT_PER_UNIT = 1_000_000
CVC5_RLIMIT_PER_UNIT = 70_000
DEFAULT_UNITS = 10.0
DEFAULT_GUARD_S = 600.0
MAX_UNITS = 4000.0  # z3's rlimit is a 32-bit count


@dataclass(frozen=True)
class Budget:
    """The work a query may take (`units`) and the wall-clock seconds after which
    it is abandoned as UNKNOWN whatever work is left (`guard_s`)."""

    units: float = DEFAULT_UNITS
    guard_s: float = DEFAULT_GUARD_S

    def __post_init__(self) -> None:
        if not 0 < self.units <= MAX_UNITS:
            raise ValueError(f"a budget is a number of work units in (0, {MAX_UNITS:g}], not {self.units!r}")
        if not self.guard_s > 0:
            raise ValueError(f"a wall-clock guard is a positive number of seconds, not {self.guard_s!r}")


DEFAULT_BUDGET = Budget()


def z3_rlimit(units: float) -> int:
    """z3's `rlimit` for `units` of work (at least 1: 0 would mean no limit)."""
    return max(1, min(int(units * Z3_RLIMIT_PER_UNIT), 2**32 - 1))


def cvc5_rlimit(units: float) -> int:
    """cvc5's `rlimit-per` for `units` of work (at least 1: 0 would mean no limit)."""
    return max(1, int(units * CVC5_RLIMIT_PER_UNIT))


def budget_used_reason(budget: Budget) -> str:
    return f"the solver budget of {budget.units:g} work units was used up (raise it with --budget)"


def guard_reason(budget: Budget) -> str:
    return (f"the wall-clock guard of {budget.guard_s:g} s expired before the solver budget was used up "
            "(the machine is slow or busy; raise --timeout)")
