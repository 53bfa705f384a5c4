"""ARN matching: ArnLike per component and Resource entries, against the evaluator's
concrete matchers, including variables whose values hold colons."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.arns import ArnMode, arn_match
from reasoner.encodings.strings import string_val
from reasoner.encodings.terms import FALSE, TRUE
from reasoner.errors import EncodingError
from reasoner.policy.matching import arn_like, resolve, resource_tokens_match, tokenize
from tests.encoding_oracle import ground_value

segment = st.sampled_from(["", "arn", "aws", "AWS", "s3", "a*", "*", "?", "a?", "x:y", "b/*", "a", "A", "*:*"])
value_segment = st.sampled_from(["", "arn", "aws", "AWS", "s3", "a", "ab", "A", "x", "b/c", "b/", "x:y"])


@st.composite
def arnish(draw: st.DrawFn, part: st.SearchStrategy[str]) -> str:
    count = draw(st.integers(1, 7))
    return ":".join(draw(part) for _ in range(count))


def no_variables(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
    raise AssertionError(key)


@given(pattern=arnish(segment), value=arnish(value_segment))
def test_arn_like_is_the_evaluator(pattern: str, value: str) -> None:
    tokens = tokenize(pattern, variables=False, wildcards=True)
    formula = arn_match(string_val(value), tokens, no_variables, ArnMode.ARN_LIKE).matches
    assert ground_value(formula) == arn_like(tokens, value)


@given(pattern=arnish(segment), value=arnish(value_segment))
def test_resource_entry_is_the_evaluator(pattern: str, value: str) -> None:
    tokens = tokenize(pattern, variables=False, wildcards=True)
    formula = arn_match(string_val(value), tokens, no_variables, ArnMode.RESOURCE).matches
    assert ground_value(formula) == resource_tokens_match(tokens, value)


def test_documented_arn_like_example() -> None:
    """§8 case 25: ArnLike `*` does not cross colons."""
    tokens = tokenize("arn:aws:someservice:*:111122223333:finance/*", variables=False, wildcards=True)
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert not ground_value(arn_match(string_val(value), tokens, no_variables, ArnMode.ARN_LIKE).matches)


VARIABLE_VALUES = ["", "a", "a:b", "a:b:c:d:e:f", "x*", "111111111111"]


@pytest.mark.parametrize("variable", VARIABLE_VALUES)
@pytest.mark.parametrize("pattern", ["arn:${v}:*", "arn:aws:${v}:*:x", "${v}", "arn:aws:iam::${v}:role/*",
                                     "${v}:b:c:d:e", "arn:a:b:c:d:${v}", "arn:*:?:c:*:${v}", "arn:a:b:c:*:x/${v}*"])
@pytest.mark.parametrize("value", ["arn:a:b:c:d:e", "arn:aws:a:b:c:d", "arn:aws:iam::111111111111:role/R",
                                   "arn:a:b:c:d:e:f:x", "arn:aws:x*:q:x", "arn:aws:a:b:c:d:e:f:x"])
def test_arn_like_with_variables_holding_colons(variable: str, pattern: str, value: str) -> None:
    def lookup(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
        return TRUE, string_val(variable)

    tokens = tokenize(pattern, variables=True, wildcards=True)
    resolved = resolve(tokens, lambda key: variable)
    assert resolved is not None
    formula = arn_match(string_val(value), tokens, lookup, ArnMode.ARN_LIKE).matches
    assert ground_value(formula) == arn_like(resolved, value)


@pytest.mark.parametrize("variable", VARIABLE_VALUES)
@pytest.mark.parametrize("value", ["arn:aws:s3:::a", "ARN:aws:s3:::a", "arn:aws:s3:::x:a/q", "x:aws:s3:::a",
                                   "arn:AWS:S3:::x*/q", "arn:aws:s3:::a:b/q",
                                   "notanarn", "a"])
def test_resource_with_variables_in_the_resource_part(variable: str, value: str) -> None:
    def lookup(key: str) -> tuple[z3.BoolRef, z3.SeqRef]:
        return TRUE, string_val(variable)

    for pattern in ["arn:aws:s3:::${v}", "arn:aws:s3:::${v}/*", "arn:aws:s3:::x:${v}*", "arn:*:S3:*:*:${v}",
                    "arn:aws:s?:::${v}/?", "*:aws:s3:::${v}", "arn:aws:s3:::*/${v}/*"]:
        tokens = tokenize(pattern, variables=True, wildcards=True)
        resolved = resolve(tokens, lambda key: variable)
        assert resolved is not None
        formula = arn_match(string_val(value), tokens, lookup, ArnMode.RESOURCE).matches
        assert ground_value(formula) == resource_tokens_match(resolved, value), pattern


@pytest.mark.parametrize("pattern", ["arn:aws:iam::${aws:PrincipalAccount}:role/*", "${v}"])
def test_resource_variable_in_the_first_five_components_is_rejected(pattern: str) -> None:
    tokens = tokenize(pattern, variables=True, wildcards=True)
    with pytest.raises(EncodingError):
        arn_match(z3.String("r"), tokens, lambda key: (TRUE, z3.String("v")), ArnMode.RESOURCE)


def test_missing_variable_matches_nothing() -> None:
    tokens = tokenize("arn:aws:s3:::${v}/*", variables=True, wildcards=True)
    match = arn_match(string_val("arn:aws:s3:::a/b"), tokens, lambda key: (FALSE, z3.String("v")), ArnMode.RESOURCE)
    assert not ground_value(match.matches) and not ground_value(match.resolved)
