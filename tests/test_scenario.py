"""Scenario loading: principals, request context, policy slots and their errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasoner.errors import InputError
from reasoner.evaluation.scenario import account_of_arn, load_scenario, parse_principal, parse_scenario
from reasoner.policy.model import PolicyType, PrincipalKind

ALLOW_S3 = {"Version": "2012-10-17",
            "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def scenario_data(**overrides: Any) -> dict[str, Any]:
    request = {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
               "resource": "arn:aws:s3:::bucket/key"}
    request.update(overrides.pop("request", {}))
    return {"request": request, **overrides}


def parse(data: Any) -> Any:
    return parse_scenario(data, source="s.json", base_dir=Path("."))


def input_error(data: Any) -> str:
    with pytest.raises(InputError) as caught:
        parse(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind", "account", "arn", "role_arn", "name", "session"),
    [
        ("anonymous", PrincipalKind.ANONYMOUS, None, None, None, None, None),
        ("111111111111", PrincipalKind.ACCOUNT_ROOT, "111111111111", "arn:aws:iam::111111111111:root",
         None, None, None),
        ("arn:aws:iam::111111111111:root", PrincipalKind.ACCOUNT_ROOT, "111111111111",
         "arn:aws:iam::111111111111:root", None, None, None),
        ("arn:aws:iam::111111111111:user/alice", PrincipalKind.USER, "111111111111",
         "arn:aws:iam::111111111111:user/alice", None, "alice", None),
        ("arn:aws:iam::111111111111:user/eng/backend/bob", PrincipalKind.USER, "111111111111",
         "arn:aws:iam::111111111111:user/eng/backend/bob", None, "bob", None),
        ("arn:aws:iam::111111111111:role/service/app", PrincipalKind.ROLE, "111111111111",
         "arn:aws:iam::111111111111:role/service/app", "arn:aws:iam::111111111111:role/service/app",
         "app", None),
        ("arn:aws:sts::111111111111:assumed-role/app/i-0abc", PrincipalKind.ROLE_SESSION, "111111111111",
         "arn:aws:sts::111111111111:assumed-role/app/i-0abc", "arn:aws:iam::111111111111:role/app",
         "app", "i-0abc"),
        ("arn:aws-cn:sts::111111111111:assumed-role/app/s", PrincipalKind.ROLE_SESSION, "111111111111",
         "arn:aws-cn:sts::111111111111:assumed-role/app/s", "arn:aws-cn:iam::111111111111:role/app",
         "app", "s"),
        ("arn:aws:sts::111111111111:federated-user/carol", PrincipalKind.FEDERATED_USER, "111111111111",
         "arn:aws:sts::111111111111:federated-user/carol", None, "carol", None),
        # a path may hold empty segments: `/` printable ASCII `/` (QUOTA)
        ("arn:aws:iam::111111111111:role/aws-service-role//+", PrincipalKind.ROLE, "111111111111",
         "arn:aws:iam::111111111111:role/aws-service-role//+", "arn:aws:iam::111111111111:role/aws-service-role//+",
         "+", None),
        ("arn:aws:iam::111111111111:user/a!b/~/bob", PrincipalKind.USER, "111111111111",
         "arn:aws:iam::111111111111:user/a!b/~/bob", None, "bob", None),
        ("lambda.amazonaws.com", PrincipalKind.SERVICE, None, None, None, "lambda.amazonaws.com", None),
        ("logs.eu-west-1.amazonaws.com", PrincipalKind.SERVICE, None, None, None,
         "logs.eu-west-1.amazonaws.com", None),
        ("ec2.amazonaws.com.cn", PrincipalKind.SERVICE, None, None, None, "ec2.amazonaws.com.cn", None),
        ("cognito-identity.amazonaws.com", PrincipalKind.WEB_IDENTITY, None, None, None,
         "cognito-identity.amazonaws.com", None),
        ("accounts.google.com", PrincipalKind.WEB_IDENTITY, None, None, None, "accounts.google.com", None),
        ("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
         PrincipalKind.WEB_IDENTITY, "111111111111",
         "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", None, None, None),
        ("arn:aws:iam::111111111111:saml-provider/Okta", PrincipalKind.WEB_IDENTITY, "111111111111",
         "arn:aws:iam::111111111111:saml-provider/Okta", None, None, None),
        ("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", PrincipalKind.CANONICAL_USER,
         None, None, None, None, None),
    ],
)
def test_parse_principal(text: str, kind: PrincipalKind, account: str | None, arn: str | None,
                         role_arn: str | None, name: str | None, session: str | None) -> None:
    principal = parse_principal(text)
    assert (principal.kind, principal.text, principal.account, principal.arn, principal.role_arn,
            principal.name, principal.session_name) == (kind, text, account, arn, role_arn, name, session)


@pytest.mark.parametrize("text", [
    "alice", "*", "11111111111", "arn:aws:iam::111111111111:group/admins", "arn:aws:iam::1111:user/x",
    "arn:aws:iam::111111111111:user/", "arn:aws:sts::111111111111:assumed-role/app",
    "arn:aws:iam::111111111111:role/*", "Anonymous", "amazonaws.com", "arn:aws:iam::111111111111:role//app",
])
def test_parse_principal_rejects(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_principal(text, source="s.json")
    assert str(caught.value) == (
        f's.json: request.principal: "{text}" is not a principal ARN, account id, service principal '
        'or "anonymous"')


def test_context_keys_are_lower_cased_and_lists_are_multivalued() -> None:
    request = parse(scenario_data(request={"context": {
        "aws:SourceIp": "203.0.113.10", "aws:TagKeys": ["team", "env"], "aws:CalledVia": ["one.amazonaws.com"],
    }})).request
    given = {"aws:sourceip": ("203.0.113.10",), "aws:tagkeys": ("team", "env"), "aws:calledvia": ("one.amazonaws.com",)}
    assert {key: request.context[key] for key in given} == given
    assert request.multi_valued_keys == frozenset({"aws:tagkeys", "aws:calledvia"})
    assert request.get("AWS:SOURCEIP") == ("203.0.113.10",)


def test_the_keys_aws_derives_from_the_caller_are_added() -> None:
    with_path = {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/p/R"}
    session = "arn:aws:sts::111111111111:assumed-role/R/s1"
    request = parse(scenario_data(request={"principal": session, "context": with_path})).request
    assert request.context["aws:principalaccount"] == ("111111111111",)
    assert request.context["aws:principaltype"] == ("AssumedRole",)
    assert request.context["aws:principalarn"] == ("arn:aws:iam::111111111111:role/p/R",)  # the given value wins


def test_context_booleans_and_numbers_take_their_json_spelling() -> None:
    request = parse(scenario_data(request={"context": {
        "aws:SecureTransport": True, "aws:MultiFactorAuthPresent": False, "aws:MultiFactorAuthAge": 10,
        "s3:max-keys": [1, 2.5],
    }})).request
    given = {"aws:securetransport": ("true",), "aws:multifactorauthpresent": ("false",),
             "aws:multifactorauthage": ("10",), "s3:max-keys": ("1", "2.5")}
    assert {key: request.context[key] for key in given} == given


@pytest.mark.parametrize(("context", "message"), [
    ({"aws:TagKeys": ["team", None]}, "request.context.aws:TagKeys[1]: expected a string"),
    ({"aws:TagKeys": ["team", ["x"]]}, "request.context.aws:TagKeys[1]: expected a string"),
    ({"aws:SourceIp": {"ip": "1.2.3.4"}}, "request.context.aws:SourceIp: expected a string"),
    ({"aws:SourceIp": None}, "request.context.aws:SourceIp: expected a string"),
    ({"aws:SourceIp": "1.2.3.4", "AWS:SOURCEIP": "5.6.7.8"},
     'request.context.AWS:SOURCEIP: same key as "aws:SourceIp"'),
    (["aws:SourceIp"], "request.context: expected an object"),
])
def test_context_errors_name_the_path(context: Any, message: str) -> None:
    assert input_error(scenario_data(request={"context": context})).startswith(f"s.json: {message}")


def test_resource_account_given_derived_or_absent() -> None:
    given = scenario_data(request={"resource_account": "222222222222"})
    assert parse(given).request.resource_account == "222222222222"
    from_arn = scenario_data(request={"resource": "arn:aws:sqs:eu-west-1:333333333333:queue"})
    assert parse(from_arn).request.resource_account == "333333333333"
    assert parse(scenario_data()).request.resource_account is None
    assert account_of_arn("arn:aws:iam::aws:policy/ReadOnlyAccess") is None


@pytest.mark.parametrize(("data", "message"), [
    ([], "s.json: expected an object"),
    ({}, "s.json: request: missing"),
    (scenario_data(extra={}), "s.json: extra: unknown key"),
    (scenario_data(request={"region": "eu-west-1"}), "s.json: request.region: unknown key"),
    ({"request": {"action": "s3:GetObject", "resource": "*"}}, "s.json: request.principal: missing"),
    (scenario_data(request={"action": 3}), "s.json: request.action: expected a non-empty string"),
    (scenario_data(request={"action": "s3GetObject"}), 's.json: request.action: "s3GetObject" is not an action'),
    (scenario_data(request={"action": "s3:Get*"}), 's.json: request.action: "s3:Get*" is not an action'),
    (scenario_data(request={"resource_account": 111111111111}),
     "s.json: request.resource_account: expected a 12-digit account id"),
    (scenario_data(management_account="mgmt"), "s.json: management_account: expected a 12-digit account id"),
    (scenario_data(identity_policies=ALLOW_S3), "s.json: identity_policies: expected a list of policies"),
    (scenario_data(identity_policies=[ALLOW_S3, 7]), "s.json: identity_policies[1]: expected a policy object"),
    (scenario_data(scps=[[ALLOW_S3], ALLOW_S3]), "s.json: scps[1]: expected a list of policies"),
    (scenario_data(resource_policy="missing.json"), 's.json: resource_policy: policy file "missing.json" not found'),
])
def test_scenario_errors(data: Any, message: str) -> None:
    assert input_error(data).startswith(message)


def test_inline_policy_errors_name_the_scenario_and_the_slot() -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:*", "Resource": "*"}]}
    message = input_error(scenario_data(scps=[[ALLOW_S3], [ALLOW_S3, bad]]))
    assert message.startswith("s.json: scps[1][1].Statement[0].Effect")


def test_policy_slots_and_types() -> None:
    bucket_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    scenario = parse(scenario_data(
        identity_policies=[ALLOW_S3, ALLOW_S3], permissions_boundary=ALLOW_S3, session_policy=ALLOW_S3,
        scps=[[ALLOW_S3], [], [ALLOW_S3, ALLOW_S3]], rcps=[], resource_policy=bucket_policy,
        vpc_endpoint_policy=bucket_policy, management_account="999999999999",
        description="every slot filled",
    ))
    policies = scenario.policies
    assert [p.policy_type for p in policies.identity_policies] == [PolicyType.IDENTITY] * 2
    assert policies.permissions_boundary is not None
    assert policies.permissions_boundary.policy_type is PolicyType.BOUNDARY
    assert policies.session_policy is not None and policies.session_policy.policy_type is PolicyType.SESSION
    assert [len(level) for level in policies.scps] == [1, 0, 2]
    assert policies.scps[2][1].policy_type is PolicyType.SCP
    assert policies.rcps == ()
    assert policies.resource_policy is not None
    assert policies.resource_policy.policy_type is PolicyType.RESOURCE
    assert policies.vpc_endpoint_policy is not None
    assert policies.vpc_endpoint_policy.policy_type is PolicyType.VPC_ENDPOINT
    assert policies.management_account == "999999999999"


@pytest.mark.parametrize("action", ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "STS:TagSession"])
def test_resource_policy_of_an_sts_action_is_a_trust_policy(action: str) -> None:
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sts:*"}]}
    scenario = parse(scenario_data(request={"action": action, "resource": "arn:aws:iam::222222222222:role/r"},
                                   resource_policy=trust))
    assert scenario.policies.resource_policy is not None
    assert scenario.policies.resource_policy.policy_type is PolicyType.TRUST


def test_policy_files_are_relative_to_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "policies" / "allow.json").write_text(json.dumps(ALLOW_S3))
    scenario_file = tmp_path / "scenarios" / "s.json"
    scenario_file.write_text(json.dumps(scenario_data(identity_policies=["../policies/allow.json"])))
    scenario = load_scenario(scenario_file)
    assert scenario.source == str(scenario_file)
    [policy] = scenario.policies.identity_policies
    assert policy.statements[0].sid == "S3"


def test_errors_inside_a_policy_file_name_that_file(tmp_path: Path) -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    scenario_file = tmp_path / "s.json"
    scenario_file.write_text(json.dumps(scenario_data(identity_policies=["bad.json"])))
    with pytest.raises(InputError) as caught:
        load_scenario(scenario_file)
    assert str(caught.value).startswith(f"{tmp_path / 'bad.json'}: Statement[0].Action")


def test_yaml_keys_that_are_not_strings_are_rejected(tmp_path: Path) -> None:
    top = tmp_path / "top.yaml"
    top.write_text("request: {principal: anonymous, action: s3:GetObject, resource: '*'}\n1: x\n")
    with pytest.raises(InputError, match=r"top\.yaml: 1: unknown key"):
        load_scenario(top)
    context = tmp_path / "context.yaml"
    context.write_text("request: {principal: anonymous, action: s3:GetObject, resource: '*', context: {true: x}}\n")
    with pytest.raises(InputError, match=r"context\.yaml: request\.context\.True: expected a condition key name"):
        load_scenario(context)
