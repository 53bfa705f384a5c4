"""Every named encoding (`options.ENCODINGS`) decides what the reference evaluator
decides: the chain with the request fixed gives `evaluate`'s decision. Encodings
that build the same terms as the default (they differ only in how the solver is
driven) are covered by `test_encodings_chain.py`."""

from __future__ import annotations

import pytest
from hypothesis import given

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.options import DEFAULT, ENCODINGS, PLAIN, EncodingOptions, encoding
from reasoner.encodings.request import SymbolicRequest
from reasoner.errors import InputError
from reasoner.evaluate import evaluate
from reasoner.model import Decision, PolicySet, Request
from tests.encoding_oracle import value_under
from tests.test_encodings_chain import _all, chain_requests, policy_sets

DISTINCT_TERMS = sorted(name for name, options in ENCODINGS.items()
                        if (options.actions, options.resources) != (DEFAULT.actions, DEFAULT.resources))


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
    assert len(ENCODINGS) >= 3
    with pytest.raises(InputError, match="unknown encoding"):
        encoding("fastest")
