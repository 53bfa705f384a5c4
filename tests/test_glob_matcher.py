"""The glob matcher (`matching.tokens_match`) against the regex translation it
replaced (one `.*` per `*`, matched with `re.fullmatch`, which backtracks
exponentially): the same answer on random globs and texts, for every case rule,
and an answer at all on the inputs that hung the old one (issue #17, item 1).
Speed is measured in benchmarks/glob_worst_case.py, not here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy import matching
from reasoner.policy.matching import (
    AnyChar,
    Star,
    Token,
    action_matches,
    arn_like,
    glob_match,
    resource_tokens_match,
    tokenize,
    tokens_match,
)
from reasoner.policy.model import PolicySet, PolicyType, Request
from reasoner.policy.parse import parse_policy

# Letters whose case folds differ between ASCII and Unicode rules (ſ folds to s,
# the Kelvin sign to k under Unicode only), a colon and a slash (ARN separators)
CHARACTERS = "aAsSſkKK:/é"


def regex_tokens_match(tokens: tuple[Token, ...], text: str, *, ignore_case: bool = False, ascii_only: bool = False,
                       colon_free: bool = False) -> bool:
    """The matcher as it was before issue #17: the current semantics, by definition."""
    star, one = ("[^:]*", "[^:]") if colon_free else (".*", ".")
    if len(tokens) == 1 and isinstance(tokens[0], str) and not ignore_case and not colon_free:
        return tokens[0] == text
    parts = [star if isinstance(t, Star) else one if isinstance(t, AnyChar) else re.escape(t)
             for t in tokens if isinstance(t, Star | AnyChar | str)]
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0) | (re.ASCII if ascii_only else 0)
    return re.compile("".join(parts), flags).fullmatch(text) is not None


def _merge(tokens: list[Token]) -> tuple[Token, ...]:
    """Adjacent literals joined, as `tokenize` leaves them."""
    merged: list[Token] = []
    for token in tokens:
        if isinstance(token, str) and merged and isinstance(merged[-1], str):
            merged[-1] += token
        else:
            merged.append(token)
    return tuple(merged)


# few letters, so that runs between stars repeat and overlap in the texts
TOKEN = st.one_of(st.just(Star()), st.just(AnyChar()), st.text("asſK:", min_size=1, max_size=3),
                  st.text(CHARACTERS, min_size=1, max_size=3))
GLOBS = st.lists(TOKEN, max_size=8).map(_merge)
TEXTS = st.text(CHARACTERS, max_size=12)
RULES = st.sampled_from([(False, False), (True, False), (True, True)])  # (ignore_case, ascii_only)


def _texts_near(tokens: tuple[Token, ...]) -> Iterator[str]:
    """Texts that match or nearly match: each star filled with 0-2 characters, and
    those with their first or last character cut."""
    for fill in ("", "a", "K:", "ſs"):
        text = "".join(fill if isinstance(t, Star) else "s" if isinstance(t, AnyChar) else t for t in tokens
                       if isinstance(t, Star | AnyChar | str))
        yield from (text, text[1:], text[:-1])


@given(GLOBS, TEXTS, RULES, st.booleans())
def test_same_answer_as_the_regex_translation(tokens: tuple[Token, ...], text: str, rule: tuple[bool, bool],
                                              colon_free: bool) -> None:
    ignore_case, ascii_only = rule
    for candidate in (text, *_texts_near(tokens)):
        assert tokens_match(tokens, candidate, ignore_case=ignore_case, ascii_only=ascii_only,
                            colon_free=colon_free) == regex_tokens_match(
            tokens, candidate, ignore_case=ignore_case, ascii_only=ascii_only, colon_free=colon_free), candidate


ARN_LIKE = st.lists(st.sampled_from(["arn", ":", "aws", "s3", "*", "?", "S3", "ſ3", "x/y", "::"]), max_size=9)


@given(ARN_LIKE, ARN_LIKE, st.booleans())
def test_resources_and_arns_match_as_before(pattern_parts: list[str], text_parts: list[str], variables: bool) -> None:
    """The callers that cut ARNs into fields give the same answers with either matcher."""
    pattern, text = "".join(pattern_parts), "".join(text_parts).replace("*", "x").replace("?", "y")
    tokens = tokenize(pattern, variables=variables, wildcards=True)
    found = (resource_tokens_match(tokens, text), arn_like(tokens, text), action_matches(pattern, text),
             glob_match(pattern, text, ignore_case=True))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "tokens_match", regex_tokens_match)
        expected = (resource_tokens_match(tokens, text), arn_like(tokens, text), action_matches(pattern, text),
                    glob_match(pattern, text, ignore_case=True))
    assert found == expected


# Inputs from issue #17 that the regex translation took seconds to hours on; at
# these sizes it would not finish in a lifetime, so a regression hangs the test.
def test_stars_and_question_marks_against_a_long_value() -> None:
    pattern = "*?" * 40 + "Z"
    assert not glob_match(pattern, "a" * 200)
    assert glob_match(pattern, "a" * 200 + "Z")
    assert not glob_match(pattern, "a" * 39 + "Z")


def test_dashes_in_an_object_key() -> None:
    tokens = tokenize("arn:aws:s3:::logs/" + "*-" * 40 + "*.csv", variables=True, wildcards=True)
    assert not resource_tokens_match(tokens, "arn:aws:s3:::logs/" + "a-" * 200 + "x.gz")
    assert resource_tokens_match(tokens, "arn:aws:s3:::logs/" + "a-" * 200 + "x.csv")


def test_the_evaluator_decides_the_user_agent_policy() -> None:
    policy = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringLike": {"aws:UserAgent": "*?" * 40 + "Z"}}}]}, PolicyType.IDENTITY, source="p")
    request = Request(principal=parse_principal("arn:aws:iam::111111111111:user/u"), action="s3:GetObject",
                      resource="arn:aws:s3:::b/k", context={"aws:useragent": ("a" * 300,)})
    policies = PolicySet(identity_policies=(policy,))
    assert evaluate(request, policies).decision.value == "ImplicitDeny"
    allowed = Request(principal=request.principal, action="s3:GetObject", resource="arn:aws:s3:::b/k",
                      context={"aws:useragent": ("a" * 300 + "Z",)})
    assert evaluate(allowed, policies).decision.value == "Allow"
