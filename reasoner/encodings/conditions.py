"""Condition operators (§3), mirroring the evaluator's `condition_holds`.

- `Null`: `"true"` holds iff the request does not name the key (an empty list
  names it), `"false"` iff it does; values OR.
- Key missing (not in the evaluator's context): `IfExists` → true; `ForAllValues` → true
  (vacuous, §3.3); `ForAnyValue` → false; otherwise positive → false, negated →
  true (§3.2).
- Key given, with m(v) = "v matches some policy value": ForAllValues → every
  value satisfies m (negated: none does); ForAnyValue → some value satisfies m
  (negated: some value does not), so an empty multivalued list makes ForAllValues
  true and ForAnyValue false; plain operator on a single-valued key → m of its
  value (negated: not m); on a multivalued key → false, negated or not (the
  evaluator's reading of an undefined case).
"""

from __future__ import annotations

from typing import TypeVar

import z3

from reasoner.encodings import ips, numbers
from reasoner.encodings.arns import ArnMode, arn_match
from reasoner.encodings.request import KeyTerms, SymbolicRequest, ValueSlot
from reasoner.encodings.strings import Case, literal_regex, match_glob, string_val, union, whitespace_chars
from reasoner.encodings.terms import FALSE, TRUE, all_of, and_, any_of, bool_val, implies, ite, not_
from reasoner.errors import EncodingError
from reasoner.policy.matching import Variable, tokenize
from reasoner.policy.model import Condition, OperatorFamily, Qualifier
from reasoner.policy.operators import BASE_OPERATORS, OperatorInfo

_T = TypeVar("_T")


def condition_holds(condition: Condition, sym: SymbolicRequest, variables_enabled: bool) -> z3.BoolRef:
    terms = sym.key(condition.key_lower)
    if condition.family is OperatorFamily.NULL:
        return any_of(not_(terms.given) if value.lower() == "true" else terms.given
                      for value in condition.values)
    return ite(terms.given, _when_present(condition, terms, sym, variables_enabled), _when_missing(condition))


def _when_missing(condition: Condition) -> z3.BoolRef:
    if condition.if_exists:
        return TRUE
    if condition.qualifier is Qualifier.FOR_ALL_VALUES:
        return TRUE
    if condition.qualifier is Qualifier.FOR_ANY_VALUE:
        return FALSE
    return bool_val(condition.negated)


def _when_present(condition: Condition, terms: KeyTerms, sym: SymbolicRequest,
                  variables_enabled: bool) -> z3.BoolRef:
    info = BASE_OPERATORS[condition.base.lower()]
    slots = list(enumerate(terms.slots))

    def matched(slot: ValueSlot) -> z3.BoolRef:
        return any_of(base_match(info, slot, value, sym, variables_enabled) for value in condition.values)

    if condition.qualifier is Qualifier.FOR_ALL_VALUES:
        if condition.negated:
            return all_of(implies(terms.active(i), not_(matched(slot))) for i, slot in slots)
        return all_of(implies(terms.active(i), matched(slot)) for i, slot in slots)
    if condition.qualifier is Qualifier.FOR_ANY_VALUE:
        if condition.negated:
            return any_of(and_(terms.active(i), not_(matched(slot))) for i, slot in slots)
        return any_of(and_(terms.active(i), matched(slot)) for i, slot in slots)
    if terms.multi:
        return FALSE  # the evaluator: a plain operator on a multivalued key matches nothing (§3.3)
    one = matched(terms.slots[0])
    return not_(one) if condition.negated else one


def base_match(info: OperatorInfo, slot: ValueSlot, policy_value: str, sym: SymbolicRequest,
               variables_enabled: bool) -> z3.BoolRef:
    """m(v, p) for one value slot and one policy value (`matching.base_match`)."""
    family = info.family
    if family in (OperatorFamily.STRING, OperatorFamily.ARN, OperatorFamily.BOOL, OperatorFamily.BINARY):
        text = _need(slot.text, info)
        if family is OperatorFamily.BINARY:
            return text == string_val(policy_value)
        tokens = tokenize(policy_value, variables=variables_enabled, wildcards=info.glob)
        if family is OperatorFamily.ARN:
            return arn_match(text, tokens, sym.lookup, ArnMode.ARN_LIKE).matches
        if family is OperatorFamily.BOOL:
            return bool_match(text, tokens)
        case = Case.IGNORE if info.ignore_case else Case.SENSITIVE
        return match_glob(text, tokens, sym.lookup, case=case, predicates=sym.options.glob_predicates).matches
    if family is OperatorFamily.NUMERIC:
        number = numbers.parse_number(policy_value)
        if number is None:
            return FALSE
        return and_(_need(slot.number_ok, info),
                    numbers.compare(info.relation, _need(slot.real, info), numbers.real_val(number)))
    if family is OperatorFamily.DATE:
        date = numbers.parse_date(policy_value)
        if date is None:
            return FALSE
        return and_(_need(slot.date_ok, info),
                    numbers.compare(info.relation, _need(slot.real, info), numbers.real_val(date)))
    if family is OperatorFamily.IP:
        network = ips.parse_network(policy_value)
        if network is None:
            return FALSE
        return and_(_need(slot.ip_ok, info), ips.in_network(_need(slot.is_v4, info), _need(slot.ip, info), network))
    raise EncodingError(info.base)


def bool_match(text: z3.SeqRef, tokens: tuple[object, ...]) -> z3.BoolRef:
    """`value.strip().lower() == policy.lower()` (the evaluator's Bool)."""
    if any(isinstance(t, Variable) for t in tokens):
        raise EncodingError("policy variable in a Bool condition")
    expected = "".join(t for t in tokens if isinstance(t, str)).lower()
    if expected != expected.strip():
        return FALSE  # a stripped value never starts or ends with white space
    blank = z3.Star(_whitespace())
    return z3.InRe(text, z3.Concat(blank, literal_regex(expected, Case.LOWER), blank))


def _whitespace() -> z3.ReRef:
    return union([z3.Re(string_val(c)) for c in whitespace_chars()])


def _need(term: _T | None, info: OperatorInfo) -> _T:
    if term is None:
        raise EncodingError(info.base, f"{info.base} on a key of another type")
    return term


