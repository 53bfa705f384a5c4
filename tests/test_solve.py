"""solve(): three-valued answers; timeouts are UNKNOWN, never UNSAT."""

from __future__ import annotations

import z3

from reasoner.encodings.terms import FALSE, TRUE, and_, any_of, implies, ite, not_, or_
from reasoner.solve import Status, solve


def test_sat_gives_a_model() -> None:
    x = z3.Int("x")
    result = solve([x > 2, x < 4], 5.0)
    assert result.status is Status.SAT and result.model is not None
    assert result.model.eval(x).as_long() == 3
    assert result.seconds >= 0 and result.statistics


def test_unsat_has_no_model() -> None:
    x = z3.Int("x")
    result = solve([x > 2, x < 3], 5.0)
    assert result.status is Status.UNSAT and result.model is None


def test_a_timeout_is_unknown() -> None:
    x, y, z = z3.Ints("x y z")
    result = solve([x > 0, y > 0, z > 0, x * x * x + y * y * y == z * z * z], 0.2)
    assert result.status is Status.UNKNOWN and result.model is None
    assert result.reason


def test_constructors_fold_constants() -> None:
    p = z3.Bool("p")
    assert and_(p, TRUE).eq(p) and and_(p, FALSE).eq(FALSE)
    assert or_(p, TRUE).eq(TRUE) and or_(FALSE, p).eq(p)
    assert any_of([]).eq(FALSE) and not_(not_(p)).eq(p) and not_(TRUE).eq(FALSE)
    assert implies(FALSE, p).eq(TRUE) and ite(TRUE, p, FALSE).eq(p) and ite(p, TRUE, FALSE).eq(p)
