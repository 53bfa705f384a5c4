"""A model without a solve: when constraints fix every constant a query reads (a
guessed request, `solving.guesses`), the model that gives each constant its fixed
value is a model of the query exactly when z3's evaluator finds every assertion
true in it. That evaluation is a rewrite of ground terms: no search, no solver,
no private context, and the same answer on every machine.

Constants the fixes leave open take z3's model completion (its default value of
the sort); where that makes an assertion false, there is no model here and the
caller solves as before. A model found here is as good as a solver's: the
witness read from it is replayed through the reference evaluator like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

import z3


def ground_model(assertions: Sequence[z3.BoolRef], fixes: Sequence[z3.BoolRef]) -> z3.ModelRef | None:
    """The model in which the constants `fixes` sets (`c == value`, `c`, `Not(c)`)
    take those values, if every fix and every assertion is true in it; else None.
    (z3's C API directly: the Python wrappers' checks cost more than the evaluation.)"""
    if not fixes:
        return None
    context = fixes[0].ctx
    reference = context.ref()
    model = z3.ModelRef(z3.Z3_mk_model(reference), context)
    true, false = z3.BoolVal(True, context).as_ast(), z3.BoolVal(False, context).as_ast()
    for fix in fixes:
        term = fix.as_ast()
        kind = _operator(reference, term)
        if kind == z3.Z3_OP_EQ:
            left, right = (z3.Z3_get_app_arg(reference, z3.Z3_to_app(reference, term), i) for i in (0, 1))
            if _is_constant(reference, left) and _is_value(reference, right):
                z3.Z3_add_const_interp(reference, model.model, _declaration(reference, left), right)
        elif _is_constant(reference, term):
            z3.Z3_add_const_interp(reference, model.model, _declaration(reference, term), true)
        elif kind == z3.Z3_OP_NOT:
            negated = z3.Z3_get_app_arg(reference, z3.Z3_to_app(reference, term), 0)
            if _is_constant(reference, negated):
                z3.Z3_add_const_interp(reference, model.model, _declaration(reference, negated), false)
    formulas = [*fixes, *assertions]
    every = z3.Z3_mk_and(reference, len(formulas), (z3.Ast * len(formulas))(*(f.as_ast() for f in formulas)))
    z3.Z3_inc_ref(reference, every)
    try:
        value = (z3.Ast * 1)()  # one evaluation of the conjunction: each one sets up z3's evaluator
        if not z3.Z3_model_eval(reference, model.model, every, True, value) \
                or z3.Z3_get_bool_value(reference, value[0]) != z3.Z3_L_TRUE:
            return None
    finally:
        z3.Z3_dec_ref(reference, every)
    return model


def _operator(reference: z3.ContextObj, term: z3.Ast) -> int:
    """The kind of an application's function (Z3_OP_UNINTERPRETED for a constant), -1 for other terms."""
    if z3.Z3_get_ast_kind(reference, term) != z3.Z3_APP_AST:
        return -1
    return int(z3.Z3_get_decl_kind(reference, z3.Z3_get_app_decl(reference, z3.Z3_to_app(reference, term))))


def _arity(reference: z3.ContextObj, term: z3.Ast) -> int:
    return int(z3.Z3_get_app_num_args(reference, z3.Z3_to_app(reference, term)))


def _declaration(reference: z3.ContextObj, term: z3.Ast) -> z3.FuncDecl:
    return z3.Z3_get_app_decl(reference, z3.Z3_to_app(reference, term))


def _is_constant(reference: z3.ContextObj, term: z3.Ast) -> bool:
    return _operator(reference, term) == z3.Z3_OP_UNINTERPRETED and _arity(reference, term) == 0


def _is_value(reference: z3.ContextObj, term: z3.Ast) -> bool:
    """A literal: a number, or a string, true, false or a constructor without fields."""
    if z3.Z3_get_ast_kind(reference, term) == z3.Z3_NUMERAL_AST:
        return True
    kind = _operator(reference, term)
    return kind not in (-1, z3.Z3_OP_UNINTERPRETED) and _arity(reference, term) == 0
