"""A model without a solve (`solving.ground`): the constants the fixes set take
their values, the rest z3's model completion, and the model is given only when
every assertion and every fix is true in it."""

from __future__ import annotations

import z3

from reasoner.solving.ground import ground_model


def _terms() -> tuple[z3.SeqRef, z3.ArithRef, z3.BoolRef]:
    return z3.String("name"), z3.Int("count"), z3.Bool("given")


def test_fixed_constants_that_satisfy_every_assertion_are_a_model() -> None:
    name, count, given = _terms()
    assertions = [z3.PrefixOf(z3.StringVal("role/"), name), z3.Implies(given, count > 2)]
    model = ground_model(assertions, [name == z3.StringVal("role/a"), count == 3, given])
    assert model is not None
    assert model.eval(name).as_string() == "role/a" and model.eval(count).as_long() == 3
    assert z3.is_true(model.eval(given))
    assert all(z3.is_true(model.eval(a, model_completion=True)) for a in assertions)


def test_a_fix_that_breaks_an_assertion_gives_no_model() -> None:
    name, count, given = _terms()
    assertions = [z3.PrefixOf(z3.StringVal("role/"), name), z3.Implies(given, count > 2)]
    assert ground_model(assertions, [name == z3.StringVal("user/a"), count == 3, given]) is None
    assert ground_model(assertions, [name == z3.StringVal("role/a"), count == 1, given]) is None
    assert ground_model(assertions, [name == z3.StringVal("role/a"), count == 1, z3.Not(given)]) is not None


def test_a_constant_left_open_takes_the_completion_and_may_fail_where_a_solver_would_not() -> None:
    name, count, _ = _terms()
    # count is not fixed: its completion (0) breaks count > 2, though a solver would find 3
    assert ground_model([count > 2], [name == z3.StringVal("x")]) is None
    assert ground_model([count >= 0], [name == z3.StringVal("x")]) is not None


def test_fixes_that_are_not_values_are_checked_not_used() -> None:
    name, count, _ = _terms()
    # `count == count + 0` sets nothing; `Length(name) == 2` constrains without a value
    assert ground_model([], [count == count + 0, z3.Length(name) == 2]) is None
    assert ground_model([], [name == z3.StringVal("ab"), z3.Length(name) == 2]) is not None
    assert ground_model([], []) is None
