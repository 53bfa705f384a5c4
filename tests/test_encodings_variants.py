"""Every named encoding (`options.ENCODINGS`) decides what the reference evaluator
decides: the chain with the request fixed gives `evaluate`'s decision. Encodings
that build the same terms as the default (they differ only in how the solver is
driven) are covered by `test_encodings_chain.py`. The string predicates of the
`predicates` encoding are also proved equal to the regex they replace, and tried
on globs of every shape they cover (the shared pools have few of them)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.options import DEFAULT, ENCODINGS, PLAIN, PREDICATES, EncodingOptions, encoding
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.strings import glob_predicates, glob_regex
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.matching import tokenize
from reasoner.policy.model import Decision, PolicySet, PolicyType, Request
from reasoner.policy.parse import parse_policy
from reasoner.solving.solve import Status, solve_with_cvc5
from tests.encoding_oracle import BUDGET_UNITS, value_under
from tests.test_encodings_chain import _all, chain_requests, policy_sets

DISTINCT_TERMS = sorted(name for name, options in ENCODINGS.items()
                        if (options.actions, options.resources, options.globs)
                        != (DEFAULT.actions, DEFAULT.resources, DEFAULT.globs))


def _check(policy_set: PolicySet, request: Request, options: EncodingOptions) -> None:
    sym = SymbolicRequest.for_policies(_all(policy_set), requests=[request], options=options)  # type: ignore[arg-type]
    chain = encode_chain(policy_set, sym)
    decision = evaluate(request, policy_set).decision
    expected = {Decision.ALLOW: chain.allow, Decision.EXPLICIT_DENY: chain.explicit_deny,
                Decision.IMPLICIT_DENY: chain.implicit_deny}
    for name, term in expected.items():
        assert value_under(term, sym, request) == (name is decision), (options.name, name, decision, request)


@pytest.mark.parametrize("name", DISTINCT_TERMS)
@given(policy_set=policy_sets(), request=chain_requests())
def test_every_encoding_agrees_with_evaluator(name: str, policy_set: PolicySet, request: Request) -> None:
    _check(policy_set, request, ENCODINGS[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", DISTINCT_TERMS)
@given(policy_set=policy_sets(), request=chain_requests())
def test_every_encoding_agrees_with_evaluator_long(name: str, policy_set: PolicySet, request: Request) -> None:
    _check(policy_set, request, ENCODINGS[name])


def test_encodings_are_found_by_name() -> None:
    assert encoding("plain") is PLAIN
    assert encoding("predicates") is PREDICATES
    assert len(ENCODINGS) >= 3
    with pytest.raises(InputError, match="unknown encoding"):
        encoding("fastest")


# ---- the `predicates` encoding: string predicates in place of glob regexes --------

PREDICATE_SHAPES = ("", "ab", "a*", "*b", "*ab*", "a*b", "a**b", "**a", "*", "**", "arn:a*", "*/x:y", "b/*/x")
REGEX_SHAPES = ("a?", "?", "*a*b", "a*b*", "*a*b*", "a*b*c", "a*b*a", "*?*")


def _tokens(pattern: str) -> tuple[Any, ...]:
    return tokenize(pattern, variables=False, wildcards=True)


def _same_as_regex(pattern: str) -> None:
    subject = z3.String("s")
    found = glob_predicates(subject, _tokens(pattern))
    assert found is not None, pattern
    assert "str.in_re" not in found.sexpr()
    differs = z3.Xor(found, z3.InRe(subject, glob_regex(_tokens(pattern))))
    # z3 answers unknown on this for `a*b` (10 s); cvc5 proves it in milliseconds
    assert solve_with_cvc5([differs], BUDGET_UNITS).status is Status.UNSAT, pattern


@pytest.mark.parametrize("pattern", PREDICATE_SHAPES)
def test_glob_predicates_are_the_regex(pattern: str) -> None:
    _same_as_regex(pattern)


@pytest.mark.parametrize("pattern", REGEX_SHAPES)
def test_other_globs_keep_the_regex(pattern: str) -> None:
    assert glob_predicates(z3.String("s"), _tokens(pattern)) is None


def _covered(pattern: str) -> bool:
    """No `?`; one run of stars, or two at both ends (`*lit*`)."""
    collapsed = re.sub(r"\*+", "*", pattern)
    stars = collapsed.count("*")
    return "?" not in pattern and (stars <= 1 or (stars == 2 and collapsed[0] == collapsed[-1] == "*"))


@given(pattern=st.text(alphabet="ab:*?", max_size=7))
def test_glob_predicates_equal_the_regex_whenever_they_apply(pattern: str) -> None:
    covered = _covered(pattern)
    assert (glob_predicates(z3.String("s"), _tokens(pattern)) is not None) == covered, pattern
    if covered:
        _same_as_regex(pattern)


SHAPED_RESOURCES = ("arn:aws:s3:::*/x", "arn:aws:s3:::*alice*", "arn:aws:s3:::B*x", "arn:aws:s3:::B/*",
                    "arn:aws:s3:::*", "arn:*lice", "arn:*B/x*", "arn:not*arn", "arn:aws:s3:::B/?", "arn:aws:s3:::*/*x",
                    "arn:aws:s3:::B/x", "arn:aws:sqs:*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::B*B")
SHAPED_VALUES = ("*ice", "*li*", "a*e", "al*", "a**e", "*", "a?ice", "*a*e", "alice", "${aws:username}*", "a*a")
SHAPED_REQUEST_RESOURCES = ("arn:aws:s3:::B/x", "arn:aws:s3:::alice/x", "arn:aws:s3:::Bx", "arn:aws:s3:::B",
                            "arn:aws:s3:::xalicey", "notanarn", "alice", "B/x", "arn:aws:sqs:us-east-1:1:q",
                            "arn:aws:s3:::B/x/x")
SHAPED_USERNAMES = ("alice", "ae", "ace", "Alice", "li", "", "a*e", "alic", "a", "aa")


def _user_request(resource: str, username: str | None) -> Request:
    return Request(principal=parse_principal("arn:aws:iam::111111111111:user/Alice"), action="s3:GetObject",
                   resource=resource, resource_account="111111111111",
                   context={} if username is None else {"aws:username": (username,)})


def _one_statement(statement: dict[str, Any]) -> PolicySet:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", **statement}]}
    return PolicySet(identity_policies=(parse_policy(document, PolicyType.IDENTITY, source="<test>"),))


@st.composite
def _shaped_policy_sets(draw: st.DrawFn) -> PolicySet:
    statements = []
    for effect in draw(st.lists(st.sampled_from(("Allow", "Deny")), min_size=1, max_size=3)):
        element = draw(st.sampled_from(("Resource", "NotResource")))
        statement: dict[str, Any] = {"Effect": effect, "Action": "*",
                                     element: draw(st.lists(st.sampled_from(SHAPED_RESOURCES), min_size=1,
                                                            max_size=2))}
        if draw(st.booleans()):
            operator = draw(st.sampled_from(("StringLike", "StringNotLike", "ForAnyValue:StringLike")))
            values = draw(st.lists(st.sampled_from(SHAPED_VALUES), min_size=1, max_size=2))
            statement["Condition"] = {operator: {"aws:username": values}}
        statements.append(statement)
    document = {"Version": "2012-10-17", "Statement": statements}
    return PolicySet(identity_policies=(parse_policy(document, PolicyType.IDENTITY, source="<test>"),))


@st.composite
def _shaped_requests(draw: st.DrawFn) -> Request:
    username = draw(st.one_of(st.none(), st.sampled_from(SHAPED_USERNAMES)))
    return _user_request(draw(st.sampled_from(SHAPED_REQUEST_RESOURCES)), username)


@pytest.mark.slow  # the whole cross product; the default suite samples it (on_glob_shapes)
@pytest.mark.parametrize("name", sorted({DEFAULT.name, *DISTINCT_TERMS}))
def test_every_encoding_agrees_with_evaluator_on_each_glob_shape(name: str) -> None:
    """Every shaped pattern against every shaped subject, one Allow statement each."""
    for pattern in SHAPED_RESOURCES:
        for resource in SHAPED_REQUEST_RESOURCES:
            _check(_one_statement({"Resource": pattern}), _user_request(resource, "alice"), ENCODINGS[name])
    for value in SHAPED_VALUES:
        for username in SHAPED_USERNAMES:
            policy_set = _one_statement({"Resource": "*", "Condition": {"StringLike": {"aws:username": value}}})
            _check(policy_set, _user_request("arn:aws:s3:::B/x", username), ENCODINGS[name])


@pytest.mark.parametrize("name", sorted({DEFAULT.name, *DISTINCT_TERMS}))
@given(policy_set=_shaped_policy_sets(), request=_shaped_requests())
def test_every_encoding_agrees_with_evaluator_on_glob_shapes(name: str, policy_set: PolicySet,
                                                             request: Request) -> None:
    _check(policy_set, request, ENCODINGS[name])
