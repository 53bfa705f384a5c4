"""Folding term constructors (the idea of Cedar's term factory).

Every Boolean connective built by the encodings goes through these helpers, which
fold `True`/`False` operands away. A statement whose action can never match thus
becomes the literal `False` without the solver ever seeing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import z3

TRUE: z3.BoolRef = z3.BoolVal(True)
FALSE: z3.BoolRef = z3.BoolVal(False)
# z3 shares equal terms of one context, so a term is the literal True exactly when
# its id is True's: one call into z3 where `z3.is_true` makes a dozen. The encodings
# build every term in z3's main context.
_TRUE_ID = TRUE.get_id()
_FALSE_ID = FALSE.get_id()


def is_true(term: z3.BoolRef) -> bool:
    return bool(term.get_id() == _TRUE_ID)


def is_false(term: z3.BoolRef) -> bool:
    return bool(term.get_id() == _FALSE_ID)


def _connective(make: Callable[..., Any], terms: list[z3.BoolRef]) -> z3.BoolRef:
    """`z3.And` / `z3.Or` without their argument coercion (the terms are Booleans)."""
    context = terms[0].ctx
    arguments = (z3.Ast * len(terms))(*(term.as_ast() for term in terms))
    return z3.BoolRef(make(context.ref(), len(terms), arguments), context)


def bool_val(value: bool) -> z3.BoolRef:
    return TRUE if value else FALSE


def and_(*terms: z3.BoolRef) -> z3.BoolRef:
    return all_of(terms)


def or_(*terms: z3.BoolRef) -> z3.BoolRef:
    return any_of(terms)


def all_of(terms: Iterable[z3.BoolRef]) -> z3.BoolRef:
    kept: list[z3.BoolRef] = []
    for term in terms:
        ident = term.get_id()
        if ident == _FALSE_ID:
            return FALSE
        if ident != _TRUE_ID:
            kept.append(term)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else _connective(z3.Z3_mk_and, kept)


def any_of(terms: Iterable[z3.BoolRef]) -> z3.BoolRef:
    kept: list[z3.BoolRef] = []
    for term in terms:
        ident = term.get_id()
        if ident == _TRUE_ID:
            return TRUE
        if ident != _FALSE_ID:
            kept.append(term)
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else _connective(z3.Z3_mk_or, kept)


def not_(term: z3.BoolRef) -> z3.BoolRef:
    ident = term.get_id()
    if ident == _TRUE_ID:
        return FALSE
    if ident == _FALSE_ID:
        return TRUE
    if z3.is_not(term):
        return term.arg(0)
    return z3.Not(term)


def implies(premise: z3.BoolRef, conclusion: z3.BoolRef) -> z3.BoolRef:
    return or_(not_(premise), conclusion)


def ite(cond: z3.BoolRef, then: z3.BoolRef, otherwise: z3.BoolRef) -> z3.BoolRef:
    if is_true(cond):
        return then
    if is_false(cond):
        return otherwise
    if then.eq(otherwise):
        return then
    if is_true(then) and is_false(otherwise):
        return cond
    if is_false(then) and is_true(otherwise):
        return not_(cond)
    return z3.If(cond, then, otherwise)
