"""Guessed witnesses (`solving.guesses`): whole requests built from the policies'
text, put to the evaluator, then to z3 with every term fixed (its model evaluator,
else a solve). A guess is only a witness when z3 finds it a model of the whole
query; the evaluator's Allow alone never is."""

from __future__ import annotations

import json
from typing import Any

from z3 import is_true

from reasoner.checks.run import check_no_new_access, check_no_public_access
from reasoner.encodings.queries import PublicOptions, candidate_accounts, literal_choices, no_public_access
from reasoner.evaluation.evaluate import evaluate
from reasoner.policy.model import Decision, PolicyType, PrincipalKind
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import resource_type
from reasoner.solving.guesses import guesses, named_callers, pattern_callers, targets
from reasoner.solving.query import Found, _guessed
from reasoner.solving.solve import Session, Status

BUCKET = resource_type("AWS::S3::Bucket")
REFERER_POLICY = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::files.example.com/*",
                  "Condition": {"StringLike": {"aws:Referer": ["https://console.aws.amazon.com/*",
                                                               "https://www.example.com/*"]}}}


def _policy(*statements: dict[str, Any]) -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return parse_policy_text(text, BUCKET.policy_type, source="test.json")


def _no_expansion(pattern: str) -> list[str]:
    return []


def test_a_guess_fills_in_the_resource_pattern_and_the_tested_key() -> None:
    policy = _policy(REFERER_POLICY)
    query = no_public_access(policy, BUCKET)
    first = next(guesses((policy,), query.resource_types, ["arn:aws:s3:::files.example.com/*"],
                         [("123456789012", "210987654321")], literal_choices([policy]), (), _no_expansion,
                         set(PrincipalKind)))
    assert first.principal.text == "arn:aws:iam::123456789012:user/a"
    assert (first.action, first.resource, first.resource_account) == \
        ("s3:GetObject", "arn:aws:s3:::files.example.com/example", "210987654321")
    assert first.context["aws:referer"] == ("https://console.aws.amazon.com/",)
    assert evaluate(first, query.replays[0].policies).decision is Decision.ALLOW


def test_the_actions_a_policy_names_come_first_then_reads() -> None:
    policy = _policy({"Effect": "Allow", "Principal": "*", "Action": ["s3:*"], "Resource": "*"})
    query = no_public_access(policy, BUCKET)
    found = targets((policy,), query.resource_types, [], "210987654321", _no_expansion)
    assert found and all(action.split(":")[1].startswith("Get") for action, _ in found)
    named = _policy({"Effect": "Allow", "Principal": "*", "Action": ["s3:*", "s3:PutBucketPolicy"], "Resource": "*"})
    assert targets((named,), query.resource_types, [], "210987654321", _no_expansion)[0][0] == "s3:PutBucketPolicy"


def test_a_guessed_witness_is_found_by_the_solver_and_replays() -> None:
    policy = _policy(REFERER_POLICY)
    query = no_public_access(policy, BUCKET)
    found = Found()
    answer = _guessed(query, Session(), candidate_accounts(query.policies), set(PrincipalKind), found, 1.0)
    assert answer is not None and answer.status is Status.SAT and found.cases and found.whole_request
    result = check_no_public_access(policy, BUCKET)
    assert result.result == "FAIL" and result.witness is not None
    assert result.witness.result.decision is Decision.ALLOW
    assert result.witness.request.context["aws:referer"] == ("https://console.aws.amazon.com/",)


def test_a_guess_the_evaluator_allows_is_no_witness_when_the_policy_names_its_caller() -> None:
    # the evaluator allows the guessed caller of the named account, but that caller
    # is identified (the query's outsider facts, and its membership check of them)
    policy = _policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
    query = no_public_access(policy, BUCKET, PublicOptions())
    accounts = candidate_accounts(query.policies)
    guessed = next(request for request in guesses((policy,), query.resource_types, ["arn:aws:s3:::b/*"], accounts,
                                                  {}, (), _no_expansion, set(PrincipalKind))
                   if request.principal.account == "123456789012" and request.resource_account != "123456789012")
    assert evaluate(guessed, query.replays[0].policies).decision is Decision.ALLOW
    assert _guessed(query, Session(), accounts, set(PrincipalKind), Found(), 1.0) is None
    assert check_no_public_access(policy, BUCKET).result == "PASS"


def test_a_comparison_guesses_the_actions_and_resources_the_existing_policy_denies() -> None:
    # new access to a sensitive resource is often just what the existing policy denies
    existing = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["secretsmanager:GetSecretValue"],
         "Resource": "arn:aws:secretsmanager:*:*:secret:Sensitive"}]}), PolicyType.IDENTITY, source="existing.json")
    new = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"}]}), PolicyType.IDENTITY, source="new.json")
    found = targets((existing, new), (), ["*"], "123456789012", _no_expansion,
                    ["arn:aws:secretsmanager:*:*:secret:Sensitive"])
    assert found[0] == ("secretsmanager:GetSecretValue",
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:Sensitive")
    result = check_no_new_access(existing, new, PolicyType.IDENTITY)
    assert result.result == "FAIL" and result.witness is not None
    assert result.witness.request.resource.endswith(":secret:Sensitive")


def test_a_trust_policy_guess_is_a_service_it_names() -> None:
    trust = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        PolicyType.TRUST, source="trust.json")
    callers = {request.principal.text for request in guesses(
        (trust,), (), [], [("123456789012", "123456789012")], {}, (), _no_expansion, {PrincipalKind.SERVICE})}
    assert callers == {"glue.amazonaws.com"}


def test_a_comparison_guesses_first_the_callers_the_new_policy_names() -> None:
    new = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["333333333333", "arn:aws:iam::111111111111:role/Ops"]},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/Other"}}}]}),
        PolicyType.RESOURCE, source="new.json")
    assert named_callers((new,)) == ["arn:aws:iam::333333333333:user/a",
                                     "arn:aws:sts::111111111111:assumed-role/Ops/aa"]
    existing = _policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Ops"},
                        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
    widened = _policy({"Effect": "Allow", "Principal": {"AWS": ["333333333333", "arn:aws:iam::111111111111:role/Ops"]},
                       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
    result = check_no_new_access(existing, widened, PolicyType.RESOURCE)
    assert result.result == "FAIL" and result.witness is not None
    assert result.witness.request.principal.text == "arn:aws:iam::333333333333:user/a"


def test_a_guess_that_z3_evaluates_true_needs_no_solve_nor_allowance() -> None:
    policy = _policy(REFERER_POLICY)
    query = no_public_access(policy, BUCKET)
    session, found = Session(), Found()
    answer = _guessed(query, session, candidate_accounts(query.policies), set(PrincipalKind), found, 0.001)
    assert answer is not None and answer.status is Status.SAT and answer.model is not None
    assert session.work == 0 and found.whole_request
    # the model is one of the whole query, in the query's own context
    assert all(is_true(answer.model.eval(a, model_completion=True)) for a in query.assertions)


def test_no_guess_is_decided_past_the_wall_clock_guard() -> None:
    policy = _policy(REFERER_POLICY)
    query = no_public_access(policy, BUCKET)
    session = Session(guard_s=0.0)
    assert _guessed(query, session, candidate_accounts(query.policies), set(PrincipalKind), Found(), 10.0) is None
    assert session.guard_expired and session.work == 0


def test_a_guessed_witness_is_found_before_the_whole_query_is_solved() -> None:
    # the whole query's first solve takes 0.1 units (solving.query.WHOLE_FIRST) and
    # does not choose the Referer; the guess is one solve with every term fixed
    result = check_no_public_access(_policy(REFERER_POLICY), BUCKET)
    assert result.result == "FAIL" and result.witness is not None
    assert result.work < 0.05


def test_callers_fit_the_principal_arn_globs_an_allow_tests() -> None:
    policy = _policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                      "Condition": {"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/reports-reader",
                                                                     "arn:aws:iam::1111*:user/ops-*"]}}})
    assert pattern_callers((policy,), "123456789012") == ["arn:aws:sts::123456789012:assumed-role/reports-reader/aa"]
    assert pattern_callers((policy,), "111122223333") == ["arn:aws:sts::111122223333:assumed-role/reports-reader/aa",
                                                          "arn:aws:iam::111122223333:user/ops-a"]
    result = check_no_public_access(policy, BUCKET)
    assert result.result == "FAIL" and result.witness is not None
    assert result.witness.request.principal.text == "arn:aws:sts::123456789012:assumed-role/reports-reader/aa"


def test_with_a_fixed_owner_every_account_pair_is_on_its_resources() -> None:
    policy = _policy({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject",
                      "Resource": "arn:aws:s3:::b/*"})
    pairs = candidate_accounts([policy], "111122223333")
    assert {owner for _, owner in pairs} == {"111122223333"}
    assert pairs[-1] == ("111122223333", "111122223333") and ("444455556666", "111122223333") in pairs
