"""The reference evaluator's shortcuts change no decision: a statement that applies to
every request, a policy without a Deny skipped by the deny pass, statement references
and slots made once, a request's context read key by key. Each is compared with the
evaluator that takes none of them, on the chains the chain encoding is tested with."""

from __future__ import annotations

import dataclasses
import gc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.evaluation import evaluate as evaluator
from reasoner.evaluation.evaluate import Context, Slot, evaluate, policy_slots
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Effect, Policy, PolicySet, PolicyType, Request, Result, Statement
from reasoner.policy.parse import parse_policy
from tests.strategies import conditions, policies
from tests.test_encodings_chain import chain_requests

FULL_ACCESS = Policy(PolicyType.SCP, (Statement(0, Effect.ALLOW, actions=("*",), resources=("*",)),),
                     version="2012-10-17", source="FullAWSAccess", name="FullAWSAccess")


@st.composite
def wide_policies(draw: st.DrawFn) -> Policy:
    """Action * and Resource *, with or without conditions, of either effect."""
    statement = Statement(0, draw(st.sampled_from(Effect)), actions=("*",), resources=("*",),
                          conditions=tuple(draw(st.lists(conditions(), max_size=2))))
    return Policy(PolicyType.IDENTITY, (statement,), version="2012-10-17")


@st.composite
def chains(draw: st.DrawFn) -> PolicySet:
    """Chains with FullAWSAccess at some SCP levels and policies of Action * and
    Resource * here and there."""
    some = st.one_of(st.just(FULL_ACCESS), wide_policies(), policies(PolicyType.IDENTITY))
    level = st.one_of(st.just((FULL_ACCESS,)), st.lists(some, min_size=1, max_size=2).map(tuple))
    return PolicySet(
        identity_policies=tuple(draw(st.lists(some, max_size=2))),
        permissions_boundary=draw(st.one_of(st.none(), policies(PolicyType.IDENTITY))),
        scps=tuple(draw(st.lists(level, max_size=3))),
        rcps=tuple(draw(st.lists(level, max_size=2))),
        resource_policy=draw(st.one_of(st.none(), policies(PolicyType.RESOURCE), policies(PolicyType.TRUST))),
        vpc_endpoint_policy=draw(st.one_of(st.none(), policies(PolicyType.VPC_ENDPOINT))),
        management_account=draw(st.sampled_from((None, "111111111111"))),
    )


def _without_shortcuts(request: Request, policy_set: PolicySet) -> Result:
    """`evaluate` with every statement matched, every policy read by the deny pass,
    and references and slots made afresh."""
    def fresh_slots(kind: str, family: tuple[Any, ...]) -> tuple[Slot, ...]:
        if kind == "identity_policies":
            return tuple(Slot(f"{kind}[{i}]", kind, policy) for i, policy in enumerate(family))
        return tuple(Slot(f"{kind}[{level}][{i}]", kind, policy)
                     for level, in_level in enumerate(family) for i, policy in enumerate(in_level))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Statement, "applies_to_all", property(lambda self: False))
        patch.setattr(Policy, "has_deny", property(lambda self: True))
        patch.setattr(evaluator, "_REFS", IdentityMemo())
        patch.setattr(evaluator, "_family_slots", fresh_slots)
        return evaluate(request, policy_set)


@given(chain_requests(), chains())
def test_the_shortcuts_change_no_decision(request: Request, policy_set: PolicySet) -> None:
    expected = _without_shortcuts(request, policy_set)
    assert evaluate(request, policy_set) == expected
    assert evaluate(request, policy_set) == expected  # with every memo filled


def test_full_access_applies_to_every_request_and_only_it() -> None:
    assert FULL_ACCESS.statements[0].applies_to_all
    widened = Statement(0, Effect.ALLOW, actions=("s3:GetObject", "*"), resources=("arn:aws:s3:::b", "*"))
    assert widened.applies_to_all
    for narrower in (dataclasses.replace(widened, actions=("s3:*",)),
                     dataclasses.replace(widened, resources=("arn:*",)),
                     dataclasses.replace(widened, actions=None, not_actions=("*",)),
                     dataclasses.replace(widened, conditions=parse_policy(
                         {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                                         "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]},
                         PolicyType.IDENTITY, source="c.json").statements[0].conditions)):
        assert not narrower.applies_to_all


def test_the_deny_pass_reads_a_policy_with_a_deny() -> None:
    deny = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                       {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}, PolicyType.SCP,
                        source="deny.json")
    assert deny.has_deny and not FULL_ACCESS.has_deny
    request = Request(parse_principal("arn:aws:iam::111111111111:user/alice"), "s3:GetObject", "arn:aws:s3:::b/k",
                      "111111111111")
    found = evaluate(request, PolicySet(identity_policies=(FULL_ACCESS,), scps=((deny,),)))
    assert found.decision.value == "ExplicitDeny" and [ref.policy for ref in found.determining] == ["scps[0][0]"]


def test_a_reference_names_its_own_policy_when_two_share_statements() -> None:
    first = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, PolicyType.IDENTITY,
                         source="first.json")
    second = dataclasses.replace(first, source="second.json")  # the same Statement objects
    request = Request(parse_principal("arn:aws:iam::111111111111:user/alice"), "s3:GetObject", "arn:aws:s3:::b/k",
                      "111111111111")
    assert [ref.source for ref in evaluate(request, PolicySet(identity_policies=(first,))).determining] \
        == ["first.json"]
    assert [ref.source for ref in evaluate(request, PolicySet(identity_policies=(second,))).determining] \
        == ["second.json"]


def test_slots_are_those_of_the_tuple_asked_even_when_the_memo_is_full() -> None:
    def names(policy_set: PolicySet) -> list[tuple[str, Policy]]:
        return [(slot.name, slot.policy) for slot in policy_slots(policy_set)]

    for round_ in range(evaluator._FAMILIES_KEPT + 10):  # past the memo's size: it starts again
        family = tuple(dataclasses.replace(FULL_ACCESS, source=f"p{round_}-{i}") for i in range(round_ % 3 + 1))
        assert names(PolicySet(identity_policies=family, scps=(family,))) == \
            [(f"identity_policies[{i}]", p) for i, p in enumerate(family)] + \
            [(f"scps[0][{i}]", p) for i, p in enumerate(family)]
        del family
        if round_ % 500 == 0:
            gc.collect()


def test_a_context_is_read_key_by_key_as_it_was_shaped_whole() -> None:
    request = Request(parse_principal("arn:aws:iam::111111111111:user/alice"), "s3:GetObject", "arn:aws:s3:::b/k",
                      context={"aws:sourceip": ("203.0.113.1", "203.0.113.2"), "aws:username": (),
                               "aws:tagkeys": (), "aws:principaltag/team": ("red",)})
    context = Context.of(request)
    assert context.value("aws:sourceip") == ("203.0.113.1",)  # single-valued: its first value
    assert context.value("aws:username") is None  # an empty list is no value
    assert context.value("aws:tagkeys") == ()  # multivalued: present, with no values
    assert context.value("aws:absent") is None
    assert context.values == {"aws:sourceip": ("203.0.113.1",), "aws:tagkeys": (),
                              "aws:principaltag/team": ("red",)}
    assert context.lookup("aws:principaltag/team") == "red"
    assert context.lookup("aws:tagkeys") is None and context.lookup("aws:username") is None
