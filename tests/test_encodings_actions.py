"""Actions as a finite domain: glob intervals against brute force over the catalogue."""

from __future__ import annotations

import pytest
import z3

from reasoner.encodings.actions import UNKNOWN_ACTION, ActionDomain
from reasoner.policy.matching import action_matches
from tests.encoding_oracle import ground_value

GLOBS = ["*", "s3:*", "s3:Get*", "S3:GETOBJECT", "s*:Get*", "iam:?etUser", "*:Describe*", "ec2:*Vpc*",
         "s3?:*", "*Object", "kms:Re*Grant", "nosuch:*", "s3:perimeter-unknown-action", "sts:*Role*"]


@pytest.fixture(scope="module")
def domain() -> ActionDomain:
    return ActionDomain.default()


@pytest.mark.parametrize("glob", GLOBS)
def test_intervals_are_exactly_the_matching_names(domain: ActionDomain, glob: str) -> None:
    brute = [i for i, name in enumerate(domain.names) if action_matches(glob, name)]
    assert domain.matching(glob) == brute


@pytest.mark.parametrize("glob", ["s3:Get*", "iam:*", "s3:GetObject"])
def test_prefix_globs_are_one_interval(domain: ActionDomain, glob: str) -> None:
    assert len(domain.intervals(glob)) == 1


def test_names_are_sorted_lower_case_and_distinct(domain: ActionDomain) -> None:
    assert list(domain.names) == sorted(set(domain.names))
    assert all(name == name.lower() for name in domain.names)
    assert domain.index_of("s3:GetObject") is not None


def test_decode_inverts_index(domain: ActionDomain) -> None:
    index = domain.index_of("IAM:ListAccessKeys")
    assert index is not None and domain.decode(index) == "iam:ListAccessKeys"


def test_unknown_actions_have_stand_ins_that_only_whole_service_globs_match(domain: ActionDomain) -> None:
    stand_in = domain.stand_in("s3:NotARealAction")
    assert domain.decode(stand_in) == f"s3:{UNKNOWN_ACTION}"
    assert stand_in in domain.matching("s3:*") and stand_in not in domain.matching("s3:Get*")
    assert domain.decode(domain.stand_in("madeup:X")).startswith("perimeter-unknown-service:")


def test_extra_names_join_the_domain_and_share_the_cache() -> None:
    extended = ActionDomain.with_extra(["s3:FooBar"])
    assert extended is ActionDomain.with_extra(["S3:FOOBAR"])
    assert extended.index_of("s3:foobar") is not None
    assert ActionDomain.with_extra(["s3:GetObject"]) is ActionDomain.default()


def test_matches_any_folds_trivial_cases(domain: ActionDomain) -> None:
    action = z3.Int("a")
    assert z3.is_true(domain.matches_any(action, ["*"]))
    assert z3.is_false(domain.matches_any(action, ["nosuch:*"]))
    index = domain.index_of("s3:getobject")
    assert ground_value(z3.substitute(domain.matches_any(action, ["s3:Get*", "iam:*"]), (action, z3.IntVal(index))))
