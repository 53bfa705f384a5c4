"""Witnesses read as real requests (issue 11, part 2): one spelling of the context
keys in every output, the synthetic policies marked, the resource of the action's
type, the network keys AWS sends."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reasoner.checks.run import check_access_not_granted, check_no_public_access, result_text
from reasoner.policy.key_names import catalogue_spelling
from reasoner.policy.model import Decision, PolicyType, Principal, PrincipalKind, Request, Result
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import resource_type
from reasoner.reports import request_json
from reasoner.solving.witness import Witness


def _policy(*statements: dict[str, Any], kind: str = "AWS::S3::Bucket") -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return parse_policy_text(text, resource_type(kind).policy_type, source="test.json")


def test_keys_are_spelled_as_the_catalogue_spells_them() -> None:
    assert catalogue_spelling("aws:principalorgid") == "aws:PrincipalOrgID"
    assert catalogue_spelling("AWS:SOURCEVPCE") == "aws:SourceVpce"
    assert catalogue_spelling("aws:username") == "aws:username"
    assert catalogue_spelling("aws:principaltag/team") == "aws:PrincipalTag/team"
    assert catalogue_spelling("s3:x-amz-acl") == "s3:x-amz-acl"
    assert catalogue_spelling("S3:PREFIX") == "s3:prefix"
    assert catalogue_spelling("kms:calleraccount") == "kms:CallerAccount"
    assert catalogue_spelling("s3:existingobjecttag/team") == "s3:ExistingObjectTag/team"
    assert catalogue_spelling("accounts.google.com:sub") == "accounts.google.com:sub"


def test_the_check_and_the_proof_reports_print_one_spelling() -> None:
    # prove printed `aws:principalorgid` where check printed `aws:PrincipalOrgID`
    principal = Principal(PrincipalKind.USER, account="123456789012", arn="arn:aws:iam::123456789012:user/a",
                          name="a", text="arn:aws:iam::123456789012:user/a")
    request = Request(principal, "s3:GetObject", "arn:aws:s3:::b/k", "111122223333",
                      {"aws:principalorgid": ("o-abcdefghij",), "aws:sourcevpce": ("vpce-1",)})
    witness = Witness(request, Result(Decision.ALLOW, ()))
    check_keys = set(witness.request_json()["context"])
    prove_keys = set(request_json(request)["context"])  # type: ignore[arg-type]
    assert check_keys == prove_keys == {"aws:PrincipalOrgID", "aws:SourceVpce"}


def test_a_check_witness_spells_a_key_as_aws_does_not_as_the_policy_does() -> None:
    result = check_no_public_access(_policy({
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"Bool": {"AWS:SECURETRANSPORT": "true"},
                      "StringLike": {"aws:principalorgid": "o-*"}}}), resource_type("AWS::S3::Bucket"))
    assert result.result == "FAIL" and result.witness is not None
    context = result.witness.request_json()["context"]
    assert {"aws:PrincipalOrgID", "aws:SecureTransport"} <= set(context)
    assert not any(key in context for key in ("AWS:SECURETRANSPORT", "aws:principalorgid"))


def test_the_synthetic_policy_that_poses_the_question_is_marked_not_shown_as_the_users() -> None:
    # no-public-access lets the outsider's own account allow it everything: a
    # policy the tool adds, which `determining` used to show as identity_policies[0]
    result = check_no_public_access(_policy({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
                                             "Resource": "*"}, kind="AWS::KMS::Key"),
                                    resource_type("AWS::KMS::Key"))
    assert result.witness is not None
    refs = result.witness.to_json()["determining"]
    synthetic = [ref for ref in refs if ref.get("synthetic")]
    assert len(synthetic) == 1 and "own account" in synthetic[0]["stands_for"]
    assert all("synthetic" not in ref for ref in refs if ref["policy"] == "resource_policy")
    text = result_text(result, colour=False)
    assert "not a policy of yours" in text and "OutsideAccountAllowsItself" not in text


def _identity(*statements: dict[str, Any]) -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return parse_policy_text(text, PolicyType.IDENTITY, source="test.json")


ALLOW_ALL_IDENTITY = _identity({"Effect": "Allow", "Action": "*", "Resource": "*"})


@pytest.mark.parametrize(("action", "resource"), [
    ("a2c:*", r"\*"),  # an action the catalogue lists no resource type for: `*` (seen: arn:-:s:::/)
    ("s3:GetStorageLens*", r"arn:aws:s3:us-east-1:(\d{12}):storage-lens/example"),  # seen: an object ARN
    ("kms:*", r"arn:aws:kms:us-east-1:(\d{12}):key/example"),  # seen: `@`
])
def test_the_first_preference_is_the_actions_resource_type_in_its_arn_format(action: str, resource: str) -> None:
    result = check_access_not_granted(ALLOW_ALL_IDENTITY, [action], [], PolicyType.IDENTITY)
    assert result.witness is not None
    request = result.witness.request
    match = re.fullmatch(resource, request.resource)
    assert match, request.resource
    if match.groups():  # the owner is the account the ARN names
        assert request.resource_account == match[1]


def test_arn_fields_are_in_canonical_case_with_a_real_partition() -> None:
    # the Resource element matches partition, service and region case-insensitively
    # (seen: arn:AWs:Kms:Us-eAsT-1:...)
    policy = _identity({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:*:kms:*:*:key/*"})
    result = check_access_not_granted(policy, ["kms:Decrypt"], [], PolicyType.IDENTITY)
    assert result.witness is not None
    partition, service, region = result.witness.request.resource.split(":")[1:4]
    assert (partition, service) == ("aws", "kms") and region == region.lower() and region


def test_a_services_key_is_shown_on_an_action_the_catalogue_lists_it_for() -> None:
    policy = _policy({"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                      "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                      "Condition": {"StringLike": {"s3:prefix": "home/*"}}})
    result = check_no_public_access(policy, resource_type("AWS::S3::Bucket"))
    assert result.witness is not None
    assert result.witness.request.action in ("s3:ListBucket", "s3:ListBucketVersions")


def test_the_preference_order_is_explicit() -> None:
    from reasoner.encodings.queries import access_not_granted
    from reasoner.solving.query import preference_order
    from reasoner.solving.solve import solve

    policy = _identity({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                        "Condition": {"StringLike": {"s3:prefix": "home/*"}}})
    query = access_not_granted(policy, ["s3:ListBucket"], [], PolicyType.IDENTITY)
    answer = solve(query.assertions, 5)
    assert answer.model is not None
    names = [step.name for step in preference_order(query, answer.model, [])]
    assert names[0] == "realistic"
    typed_keys = [n for n in names if n.startswith("typed-keys:")]
    typed = [n for n in names if n.startswith("typed:")]
    assert typed_keys and names.index(typed_keys[-1]) < names.index(typed[0])
    assert names[len(typed_keys) + len(typed) + 1:] == ["action-shape", "readable", "readable", "printable",
                                                         "printable"]


SENSITIVE = (Path(__file__).resolve().parents[1].parent / "shared" / "corpus" /
             "iam-access-analyzer-custom-policy-check-samples/identity-policies/check-access-to-sensitive-resource")


@pytest.mark.skipif(not SENSITIVE.is_dir(), reason="the policy corpus is not there")
@pytest.mark.parametrize(("sample", "resource"), [
    ("cloudformation-stack", r"arn:aws:cloudformation:us-east-1:\d{12}:stack/MySensitiveStack/.+"),
    ("ecs-task-definition", r"arn:aws:ecs:us-east-1:\d{12}:task-definition/MySensitiveTaskDefinitionFamilyName:.+"),
])
def test_a_new_access_witness_is_on_the_resource_the_existing_policy_denies(sample: str, resource: str) -> None:
    # seen in the simulator comparison: arn:AWS:CLOUDFORMATION:::stack/MySensitiveStack/
    from reasoner.checks.run import check_no_new_access

    def load(name: str) -> Any:
        return parse_policy_text((SENSITIVE / sample / name).read_text(), PolicyType.IDENTITY, source=name)

    result = check_no_new_access(load("reference.json"), load("candidate-05-FAIL.json"), PolicyType.IDENTITY)
    assert result.witness is not None
    assert re.fullmatch(resource, result.witness.request.resource), result.witness.request.resource
