"""Glob patterns, case handling and policy variables as z3 string constraints."""

from __future__ import annotations

import re

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.strings import Case, match_glob, string_of, string_val
from reasoner.encodings.terms import FALSE, TRUE
from reasoner.errors import EncodingError
from reasoner.policy.matching import resolve, tokenize, tokens_match
from tests.encoding_oracle import ground_value


def glob_oracle(pattern: str, text: str) -> bool:
    """An independent reading of §2.1: `*` any sequence, `?` one character."""
    if not pattern:
        return not text
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        return any(glob_oracle(rest, text[i:]) for i in range(len(text) + 1))
    if not text:
        return False
    return (head == "?" or head == text[0]) and glob_oracle(rest, text[1:])


def no_variables(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
    raise AssertionError(f"unexpected variable {key}")


@given(pattern=st.text("ab*?:", max_size=6), text=st.text("ab:", max_size=6))
def test_glob_matches_like_the_oracle(pattern: str, text: str) -> None:
    tokens = tokenize(pattern, variables=False, wildcards=True)
    formula = match_glob(string_val(text), tokens, no_variables).matches
    assert ground_value(formula) == glob_oracle(pattern, text)


@given(pattern=st.text("aAsSkſK*?", max_size=4), text=st.text("aAsSkſK", max_size=4))
def test_ignore_case_is_python_re_ignorecase(pattern: str, text: str) -> None:
    tokens = tokenize(pattern, variables=False, wildcards=True)
    formula = match_glob(string_val(text), tokens, no_variables, case=Case.IGNORE).matches
    assert ground_value(formula) == tokens_match(tokens, text, ignore_case=True)


VALUES = {"aws:username": "al:ice", "aws:principaltag/team": "t*"}


def lookup(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
    if key in VALUES:
        return TRUE, string_val(VALUES[key])
    return FALSE, z3.StringVal("")


@pytest.mark.parametrize("pattern", [
    "${aws:username}", "x/${aws:username}/*", "${aws:username}${aws:PrincipalTag/team}?", "${missing}",
    "${missing, 'dflt'}*", "a${*}b", "${aws:PrincipalTag/team}", "${$}${?}",
])
@pytest.mark.parametrize("text", ["al:ice", "x/al:ice/y", "al:icet*z", "dflt", "dfltx", "a*b", "axb", "t*",
                                  "tx", "$?"])
def test_variables_resolve_like_the_evaluator(pattern: str, text: str) -> None:
    tokens = tokenize(pattern, variables=True, wildcards=True)
    resolved = resolve(tokens, VALUES.get)
    expected = resolved is not None and tokens_match(resolved, text)
    assert ground_value(match_glob(string_val(text), tokens, lookup).matches) == expected


def test_variables_are_literal_text_without_version_2012() -> None:
    tokens = tokenize("${aws:username}", variables=False, wildcards=True)
    assert ground_value(match_glob(string_val("${aws:username}"), tokens, lookup).matches)


@pytest.mark.parametrize("pattern", ["*${aws:username}", "?${aws:username}", "*/${aws:username}/*",
                                     "*${aws:PrincipalTag/team}*${aws:username}", "a*${missing, 'dflt'}?",
                                     "*${missing}"])
@pytest.mark.parametrize("text", ["al:ice", "x/al:ice/y", "t*al:ice", "xt*yal:ice", "adflt!", "adflt", "/al:ice/"])
def test_variable_after_a_wildcard_is_an_existential_split(pattern: str, text: str) -> None:
    tokens = tokenize(pattern, variables=True, wildcards=True)
    resolved = resolve(tokens, VALUES.get)
    expected = resolved is not None and tokens_match(resolved, text)
    assert ground_value(match_glob(string_val(text), tokens, lookup).matches) == expected


def test_ignore_case_with_a_variable_is_rejected() -> None:
    with pytest.raises(EncodingError):
        match_glob(z3.String("s"), tokenize("${aws:username}", variables=True, wildcards=False), lookup,
                   case=Case.IGNORE)


@given(text=st.text(max_size=8).filter(lambda t: all(ord(c) <= 0x2FFFF for c in t)))
def test_string_values_round_trip(text: str) -> None:
    assert string_of(z3.simplify(string_val(text))) == text


def test_backslash_u_is_not_an_escape() -> None:
    assert z3.simplify(z3.Length(string_val("\\u{41}"))).as_long() == 6


def test_oracle_sanity() -> None:
    assert glob_oracle("a*b", "axxb") and not glob_oracle("a?b", "ab")
    assert re.fullmatch("a.b", "axb")
