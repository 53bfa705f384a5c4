"""solve(): three-valued answers; timeouts are UNKNOWN, never UNSAT."""

from __future__ import annotations

import pytest
import z3

from reasoner.encodings.terms import FALSE, TRUE, and_, any_of, implies, ite, not_, or_
from reasoner.solving.solve import Status, solve


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


def test_cvc5_answers_are_checked_by_z3_and_give_a_z3_model() -> None:
    pytest.importorskip("cvc5", reason="cvc5 is not installed (a dependency; without it the portfolio is z3 alone)")
    from reasoner.solving.solve import solve_with_cvc5

    s, n, flag = z3.String("s"), z3.Int("n"), z3.Bool("flag")
    sat = solve_with_cvc5([z3.InRe(s, z3.Concat(z3.Re("arn:"), z3.Plus(z3.Range("a", "z")))), z3.Length(s) == n,
                           n == 6, flag], 5.0)
    assert sat.status is Status.SAT and sat.model is not None
    value = sat.model.eval(s).as_string()
    assert value.startswith("arn:") and len(value) == 6 and z3.is_true(sat.model.eval(flag))
    unsat = solve_with_cvc5([z3.PrefixOf(z3.StringVal("ab"), s), z3.Length(s) < 2], 5.0)
    assert unsat.status is Status.UNSAT and unsat.model is None
