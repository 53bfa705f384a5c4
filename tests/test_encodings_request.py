"""The symbolic request: the slot bound for multivalued keys, reading models back,
and keys the encoding cannot type."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.conditions import condition_holds
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.terms import all_of, not_
from reasoner.errors import EncodingError
from reasoner.evaluation.evaluate import Context
from reasoner.evaluation.evaluate import condition_holds as evaluator_condition_holds
from reasoner.policy.model import Condition, Effect, Policy, PolicyType, Principal, PrincipalKind, Request, Statement
from reasoner.solving.solve import Status, solve
from tests.strategies import _condition

SET_OPERATORS = [q + op + suffix for q in ("ForAllValues:", "ForAnyValue:")
                 for op in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
                 for suffix in ("", "IfExists")]


@st.composite
def tag_key_conditions(draw: st.DrawFn) -> tuple[Condition, bool]:
    operator = draw(st.sampled_from([*SET_OPERATORS, "Null", "StringEquals"]))
    pool = ("true", "false") if operator == "Null" else ("a", "b", "a*", "c", "?")
    values = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2)))
    return _condition(operator, "aws:TagKeys", values), draw(st.booleans())


def _policy(conditions: list[Condition]) -> Policy:
    statement = Statement(0, Effect.ALLOW, actions=("*",), resources=("*",), conditions=tuple(conditions))
    return Policy(PolicyType.IDENTITY, (statement,), version="2012-10-17")


def _request(context: dict[str, tuple[str, ...]]) -> Request:
    return Request(Principal(PrincipalKind.ANONYMOUS, "anonymous"), "s3:GetObject", "arn:aws:s3:::b", None,
                   context)


@given(atoms=st.lists(tag_key_conditions(), min_size=1, max_size=4))
def test_more_slots_never_satisfy_more(atoms: list[tuple[Condition, bool]]) -> None:
    """The bound of request.py: #conditions + 1 slots realise every combination."""
    policy = _policy([condition for condition, _ in atoms])
    answers = []
    for extra in (0, 3):
        sym = SymbolicRequest.for_policies([policy], extra_slots=extra)
        formula = all_of(condition_holds(c, sym, True) if want else not_(condition_holds(c, sym, True))
                         for c, want in atoms)
        result = solve([*sym.domain_constraints(), formula], 20.0)
        assert result.status is not Status.UNKNOWN
        answers.append(result.status)
        if result.status is Status.SAT:
            assert result.model is not None
            values = sym.read(result.model)
            context = Context.of(_request(dict(values.context)))
            for condition, want in atoms:  # the witness replays through the evaluator
                assert evaluator_condition_holds(condition, context, True) == want
    assert answers[0] == answers[1]


def test_read_returns_a_request_the_model_describes() -> None:
    conditions = [_condition("NumericLessThan", "aws:MultiFactorAuthAge", ("10",)),
                  _condition("IpAddress", "aws:SourceIp", ("2001:db8::/32",)),
                  _condition("DateGreaterThan", "aws:CurrentTime", ("2020-01-01T00:00:00Z",)),
                  _condition("StringLike", "aws:username", ("al*",))]
    policy = _policy(conditions)
    sym = SymbolicRequest.for_policies([policy])
    holds = all_of(condition_holds(c, sym, True) for c in conditions)
    result = solve([*sym.domain_constraints(), holds], 20.0)
    assert result.status is Status.SAT and result.model is not None
    values = sym.read(result.model)
    context = Context.of(_request(dict(values.context)))
    assert all(evaluator_condition_holds(c, context, True) for c in conditions)


def test_fix_to_pins_the_request() -> None:
    policy = _policy([_condition("StringEquals", "aws:username", ("alice",))])
    request = _request({"aws:username": ("alice",)})
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    result = solve([*sym.domain_constraints(), *sym.fix_to(request)], 20.0)
    assert result.status is Status.SAT and result.model is not None
    values = sym.read(result.model)
    assert values.context == {"aws:username": ("alice",)}
    assert values.action == "s3:GetObject" and values.principal_kind is PrincipalKind.ANONYMOUS


def test_a_key_compared_as_text_and_as_number_is_rejected() -> None:
    policy = _policy([_condition("StringEquals", "aws:x", ("1",)), _condition("NumericEquals", "aws:X", ("1",))])
    with pytest.raises(EncodingError):
        SymbolicRequest.for_policies([policy])


def test_epoch_time_is_date_and_number_in_one_real() -> None:
    policy = _policy([_condition("NumericGreaterThan", "aws:EpochTime", ("10",)),
                      _condition("DateLessThan", "aws:EpochTime", ("1970-01-01T00:00:20Z",))])
    sym = SymbolicRequest.for_policies([policy])
    assert sym.key("aws:epochtime").slots[0].real is not None
    both = all_of(condition_holds(c, sym, True) for c in policy.statements[0].conditions)
    result = solve([*sym.domain_constraints(), both], 20.0)
    assert result.status is Status.SAT and result.model is not None
    value = sym.read(result.model).context["aws:epochtime"][0]
    context = Context.of(_request({"aws:epochtime": (value,)}))
    assert all(evaluator_condition_holds(c, context, True) for c in policy.statements[0].conditions)


def test_unknown_key_is_an_encoding_error() -> None:
    sym = SymbolicRequest.for_policies([_policy([])])
    with pytest.raises(EncodingError):
        sym.key("aws:nothere")
    assert isinstance(sym.action, z3.ArithRef)
