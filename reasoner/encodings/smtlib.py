"""A query as an SMT-LIB 2 script, so that other solvers can be run on it
(`reasoner.solving.solve.solve_smtlib_with_cvc5`, `solve_smtlib_with_z3`)."""

from __future__ import annotations

import z3

from reasoner.encodings.queries import Query


def to_smtlib(query: Query, *, comment: str = "") -> str:
    """The query's assertions as a self-contained SMT-LIB 2 script ending in
    `(check-sat)`: satisfiable iff the property fails (as the query itself).
    `comment` lines are prefixed with `;`. The facts the query states only when a
    witness breaks them (`queries.Refinement`) are all in the script."""
    solver = z3.Solver()
    solver.add(*query.assertions)
    if query.refinement is not None:
        solver.add(*query.refinement.everything())
    header = "".join(f"; {line}\n" for line in comment.splitlines())
    body = solver.sexpr().rstrip("\n")
    return f"{header}(set-logic ALL)\n{body}\n(check-sat)\n(exit)\n"


def z3_version() -> str:
    return str(z3.get_version_string())
