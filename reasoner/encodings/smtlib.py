"""A query as an SMT-LIB 2 script, so that other solvers can be run on it."""

from __future__ import annotations

import z3

from reasoner.encodings.queries import Query


def to_smtlib(query: Query, *, comment: str = "") -> str:
    """The query's assertions as a self-contained SMT-LIB 2 script ending in
    `(check-sat)`: satisfiable iff the property fails (as the query itself).
    `comment` lines are prefixed with `;`."""
    solver = z3.Solver()
    solver.add(*query.assertions)
    header = "".join(f"; {line}\n" for line in comment.splitlines())
    body = solver.sexpr().rstrip("\n")
    return f"{header}(set-logic ALL)\n{body}\n(check-sat)\n(exit)\n"


def z3_version() -> str:
    return str(z3.get_version_string())


def solve_smtlib_with_z3(text: str, timeout_s: float) -> str:
    """z3's answer ("sat", "unsat" or "unknown") to an SMT-LIB 2 script."""
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout_s * 1000)))
    solver.from_string(text)
    return str(solver.check())
