"""policy/identity_memo.py: what is worked out from a policy is kept while the policy
lives, and goes with it (a long-lived process keeps nothing of the policies it dropped)."""

from __future__ import annotations

import gc

from reasoner.accounts import answer_store, symmetry
from reasoner.policy import digest
from reasoner.policy.identity_memo import IdentityMemo
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.parse import parse_policy
from reasoner.solving import cache


class Owner:
    pass


def test_a_value_is_made_once_per_owner_and_detail() -> None:
    memo: IdentityMemo[Owner, int] = IdentityMemo()
    made: list[int] = []

    def make(value: int) -> int:
        made.append(value)
        return value

    first, second = Owner(), Owner()
    assert memo.get(first, lambda: make(1)) == memo.get(first, lambda: make(2)) == 1
    assert memo.get(first, lambda: make(3), "other") == 3
    assert memo.get(second, lambda: make(4)) == 4
    assert made == [1, 3, 4] and len(memo) == 3


def test_a_none_value_is_kept_too() -> None:
    memo: IdentityMemo[Owner, int | None] = IdentityMemo()
    owner, made = Owner(), []
    assert memo.get(owner, lambda: made.append(1)) is None
    assert memo.get(owner, lambda: made.append(2)) is None
    assert made == [1]


def test_an_entry_goes_with_its_owner() -> None:
    memo: IdentityMemo[Owner, int] = IdentityMemo()
    kept = Owner()
    memo.get(kept, lambda: 0)
    for value in range(100):
        memo.get(Owner(), lambda value=value: value)  # dropped as soon as it is made
    gc.collect()
    assert len(memo) == 1 and memo.get(kept, lambda: 1) == 0


def _policy(index: int) -> Policy:
    return parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{index}/*"}]},
        PolicyType.RESOURCE, source=f"p{index}.json")


def test_the_policy_digests_keep_nothing_of_dropped_policies() -> None:
    memos = (digest._DIGESTS, answer_store._LOCATED, cache._POLICY_DIGESTS, symmetry._BLIND)
    gc.collect()
    before = [len(memo) for memo in memos]
    policies = [_policy(index) for index in range(50)]
    for policy in policies:
        digest.policy_digest(policy)
        answer_store.located_digest(policy)
        cache.policy_digest(policy)
        symmetry.name_blind(policy)
    assert [len(memo) for memo in memos] == [count + 50 for count in before]
    again = _policy(0)  # equal, not the same object: the same digests
    assert digest.policy_digest(again) == digest.policy_digest(policies[0])
    assert cache.policy_digest(again) == cache.policy_digest(policies[0])
    del policies, again, policy
    gc.collect()
    assert [len(memo) for memo in memos] == before
