"""Every edge case of iam-semantics.md §8, one named test each.

Where the document flags a conflict (⚠), the test pins the behaviour we chose and
says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasoner.errors import InputError
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_scenario
from reasoner.policy.model import Decision, Result

ALLOW, EXPLICIT, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY
USER = "arn:aws:iam::111111111111:user/alice"
ROLE = "arn:aws:iam::111111111111:role/R"
SESSION = "arn:aws:sts::111111111111:assumed-role/R/s1"
BUCKET_OBJECT = "arn:aws:s3:::B/x"


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document["Version"] = version
    return document


def allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def decide(principal: str = USER, action: str = "s3:GetObject", resource: str = BUCKET_OBJECT,
           context: dict[str, Any] | None = None, **policies: Any) -> Result:
    request: dict[str, Any] = {"principal": principal, "action": action, "resource": resource}
    if context:
        request["context"] = context
    if "resource_account" in policies:
        request["resource_account"] = policies.pop("resource_account")
    scenario = parse_scenario({"request": request, **policies}, source="case.json", base_dir=Path("."))
    return evaluate(scenario.request, scenario.policies)


def identity(*statements: dict[str, Any], version: str | None = "2012-10-17") -> list[dict[str, Any]]:
    return [policy(*statements, version=version)]


def test_01_explicit_deny_wins() -> None:
    result = decide(action="s3:DeleteObject", identity_policies=identity(allow("s3:*"), deny("s3:DeleteObject")))
    assert result.decision is EXPLICIT
    assert result.blocked_by == ("identity_policies",)
    assert [ref.statement for ref in result.determining] == [1]


def test_02_no_match_is_implicit_deny() -> None:
    assert decide(identity_policies=identity(allow("ec2:*"))).decision is IMPLICIT


def test_03_action_is_case_insensitive() -> None:
    result = decide(action="iam:ListAccessKeys", resource="*", identity_policies=identity(allow("IAM:listaccesskeys")))
    assert result.decision is ALLOW


def test_04_question_mark_is_one_character() -> None:
    policies = identity(allow("iam:?etUser"))
    assert decide(action="iam:GetUser", identity_policies=policies).decision is ALLOW
    assert decide(action="iam:GetUsers", identity_policies=policies).decision is IMPLICIT


def test_05_resource_wildcard_spans_slashes() -> None:
    policies = identity(allow("s3:GetObject", "arn:aws:s3:::B/*/test/*"))
    assert decide(resource="arn:aws:s3:::B/1/2/test/3/x.jpg", identity_policies=policies).decision is ALLOW
    assert decide(resource="arn:aws:s3:::B//test/object.jpg", identity_policies=policies).decision is ALLOW
    assert decide(resource="arn:aws:s3:::B/test/object.jpg", identity_policies=policies).decision is IMPLICIT
    assert decide(resource="arn:aws:s3:::B/1-test/object.jpg", identity_policies=policies).decision is IMPLICIT


def test_06_resource_is_case_sensitive() -> None:
    policies = identity(allow("iam:GetUser", "arn:aws:iam::111111111111:user/Bob"))
    resource = "arn:aws:iam::111111111111:user/bob"
    assert decide(action="iam:GetUser", resource=resource, identity_policies=policies).decision is IMPLICIT


def test_07_string_equals_is_case_sensitive_ignore_case_is_not() -> None:
    john = "arn:aws:iam::111111111111:user/John"
    exact = identity(allow(Condition={"StringEquals": {"aws:username": "john"}}))
    loose = identity(allow(Condition={"StringEqualsIgnoreCase": {"aws:username": "john"}}))
    context = {"aws:username": "John"}
    assert decide(principal=john, context=context, identity_policies=exact).decision is IMPLICIT
    assert decide(principal=john, context=context, identity_policies=loose).decision is ALLOW


def test_08_condition_key_names_are_case_insensitive() -> None:
    policies = identity(allow(Condition={"StringEquals": {"AWS:SOURCEIP": "203.0.113.10"}}))
    assert decide(context={"aws:SourceIp": "203.0.113.10"}, identity_policies=policies).decision is ALLOW
    assert decide(context={"aws:SourceIp": "203.0.113.11"}, identity_policies=policies).decision is IMPLICIT


def test_09_missing_key_makes_positive_operator_false() -> None:
    policies = identity(allow(Condition={"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}}))
    assert decide(identity_policies=policies).decision is IMPLICIT


def test_10_negated_operator_against_missing_variable_matches() -> None:
    policies = identity(
        deny("s3:GetObject", Condition={"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}),
        allow("s3:GetObject"),
    )
    result = decide(context={"s3:ExistingObjectTag/Team": "blue"}, identity_policies=policies)
    assert result.decision is EXPLICIT
    tagged = decide(context={"s3:ExistingObjectTag/Team": "blue", "aws:PrincipalTag/Team": "blue"},
                    identity_policies=policies)
    assert tagged.decision is ALLOW


def test_11_if_exists_with_missing_key_applies() -> None:
    policies = identity(allow("ec2:RunInstances", Condition={"StringLikeIfExists": {"ec2:InstanceType": ["t2.*"]}}))
    resource = "arn:aws:ec2:us-east-1:111111111111:instance/i-1"
    assert decide(action="ec2:RunInstances", resource=resource, identity_policies=policies).decision is ALLOW
    other = decide(action="ec2:RunInstances", resource=resource, context={"ec2:InstanceType": "m2.micro"},
                   identity_policies=policies)
    assert other.decision is IMPLICIT


def test_12_negated_if_exists_with_missing_key_still_denies() -> None:
    policies = identity(deny(Condition={"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}), allow())
    assert decide(identity_policies=policies).decision is EXPLICIT
    assert decide(context={"aws:SourceVpc": "vpc-1"}, identity_policies=policies).decision is ALLOW


def test_13_null_true_means_absent() -> None:
    policies = identity(allow("ec2:*", Condition={"Null": {"aws:TokenIssueTime": "true"}}))
    assert decide(action="ec2:DescribeInstances", resource="*", identity_policies=policies).decision is ALLOW
    session = decide(principal=SESSION, action="ec2:DescribeInstances", resource="*",
                     context={"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, identity_policies=policies)
    assert session.decision is IMPLICIT


def test_14_bool_false_does_not_catch_missing_key_but_bool_if_exists_does() -> None:
    plain = identity(deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}), allow())
    if_exists = identity(deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}), allow())
    assert decide(identity_policies=plain).decision is ALLOW
    assert decide(identity_policies=if_exists).decision is EXPLICIT


def test_15_for_all_values_is_vacuously_true_unless_null_false() -> None:
    condition = {"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}
    vacuous = identity(allow("ec2:DeleteTags", Condition=condition))
    guarded = identity(allow("ec2:DeleteTags", Condition={**condition, "Null": {"aws:TagKeys": "false"}}))
    assert decide(action="ec2:DeleteTags", identity_policies=vacuous).decision is ALLOW
    assert decide(action="ec2:DeleteTags", identity_policies=guarded).decision is IMPLICIT


def test_16_for_all_values_rejects_an_unlisted_value() -> None:
    policies = identity(allow("ec2:DeleteTags", Condition={
        "ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}))
    result = decide(action="ec2:DeleteTags", context={"aws:TagKeys": ["environment", "dept"]},
                    identity_policies=policies)
    assert result.decision is IMPLICIT


def test_17_for_any_value_is_false_on_missing_key() -> None:
    policies = identity(deny(Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": "webserver"}}), allow())
    assert decide(identity_policies=policies).decision is ALLOW
    tagged = decide(context={"aws:TagKeys": ["environment", "webserver"]}, identity_policies=policies)
    assert tagged.decision is EXPLICIT


def test_18_for_all_values_negated_is_true_on_missing_key() -> None:
    policies = identity(deny(Condition={"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}), allow())
    assert decide(identity_policies=policies).decision is EXPLICIT
    assert decide(context={"aws:TagKeys": ["key1:hr", "key1:x"]}, identity_policies=policies).decision is ALLOW


def test_19_values_of_one_key_are_ored() -> None:
    policies = identity(allow(Condition={"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-2"]}}))
    assert decide(context={"aws:RequestedRegion": "eu-west-2"}, identity_policies=policies).decision is ALLOW


def test_20_negated_values_are_anded() -> None:
    policies = [policy(deny(Condition={"StringNotEquals": {"aws:PrincipalAccount": ["111111111111",
                                                                                    "222222222222"]}}), allow())]
    caller_222 = "arn:aws:iam::222222222222:user/u"
    caller_333 = "arn:aws:iam::333333333333:user/u"
    assert decide(principal=caller_222, resource="*", context={"aws:PrincipalAccount": "222222222222"},
                  identity_policies=policies).decision is ALLOW
    assert decide(principal=caller_333, resource="*", context={"aws:PrincipalAccount": "333333333333"},
                  identity_policies=policies).decision is EXPLICIT


def test_21_keys_of_one_operator_and_operators_are_anded() -> None:
    policies = identity(allow(Condition={
        "StringEqualsIgnoreCase": {"aws:PrincipalTag/department": ["hr"], "aws:PrincipalTag/role": ["audit"]},
        "StringEquals": {"aws:PrincipalAccount": "111111111111"}}))
    account = {"aws:PrincipalAccount": "111111111111"}
    one = decide(context={**account, "aws:PrincipalTag/department": "HR"}, identity_policies=policies)
    assert one.decision is IMPLICIT
    both = decide(context={**account, "aws:PrincipalTag/department": "HR", "aws:PrincipalTag/role": "audit"},
                  identity_policies=policies)
    assert both.decision is ALLOW


def test_22_bare_address_is_a_slash_32_and_ipv6_works() -> None:
    v4 = identity(allow(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.5"}}))
    assert decide(context={"aws:SourceIp": "203.0.113.6"}, identity_policies=v4).decision is IMPLICIT
    assert decide(context={"aws:SourceIp": "203.0.113.5"}, identity_policies=v4).decision is ALLOW
    v6 = identity(allow(Condition={"IpAddress": {"aws:SourceIp": ["2001:DB8:1234:5678::/64"]}}))
    assert decide(context={"aws:SourceIp": "2001:db8:1234:5678::9"}, identity_policies=v6).decision is ALLOW


def test_23_ip_condition_fails_through_a_vpc_endpoint() -> None:
    policies = identity(allow(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
    assert decide(context={"aws:SourceVpce": "vpce-1"}, identity_policies=policies).decision is IMPLICIT


def test_24_not_ip_address_denies_through_a_vpc_endpoint() -> None:
    policies = identity(deny(Condition={"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}), allow())
    assert decide(context={"aws:SourceVpce": "vpce-1"}, identity_policies=policies).decision is EXPLICIT


def test_25_arn_like_does_not_cross_colons_string_like_does() -> None:
    source_arn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    arn_like = identity(allow(Condition={"ArnLike": {"aws:SourceArn": pattern}}))
    string_like = identity(allow(Condition={"StringLike": {"aws:SourceArn": pattern}}))
    assert decide(context={"aws:SourceArn": source_arn}, identity_policies=arn_like).decision is IMPLICIT
    assert decide(context={"aws:SourceArn": source_arn}, identity_policies=string_like).decision is ALLOW


def test_26_date_condition_with_missing_key_is_false() -> None:
    policies = identity(allow(Condition={"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}))
    assert decide(identity_policies=policies).decision is IMPLICIT
    assert decide(context={"aws:TokenIssueTime": "1700000000"}, identity_policies=policies).decision is ALLOW


@pytest.mark.parametrize("version", ["2008-10-17", None])
def test_27_variables_are_literal_without_version_2012(version: str | None) -> None:
    policies = identity(allow("s3:GetObject", "arn:aws:s3:::B/${aws:username}/*"), version=version)
    alice = decide(resource="arn:aws:s3:::B/alice/x", context={"aws:username": "alice"}, identity_policies=policies)
    assert alice.decision is IMPLICIT
    literal = decide(resource="arn:aws:s3:::B/${aws:username}/x", identity_policies=policies)
    assert literal.decision is ALLOW


def test_28_missing_variable_in_resource_matches_nothing() -> None:
    policies = identity(allow("s3:GetObject", "arn:aws:s3:::B/${aws:username}/*"))
    alice = decide(resource="arn:aws:s3:::B/alice/x", context={"aws:username": "alice"}, identity_policies=policies)
    assert alice.decision is ALLOW
    # A role session has no aws:username (§4 table).
    session = decide(principal=SESSION, resource="arn:aws:s3:::B/alice/x", identity_policies=policies)
    assert session.decision is IMPLICIT


def test_29_variable_default_value() -> None:
    policies = identity(allow("s3:ListBucket", "arn:aws:s3:::B-${aws:PrincipalTag/team, 'company-wide'}"))
    assert decide(action="s3:ListBucket", resource="arn:aws:s3:::B-company-wide",
                  identity_policies=policies).decision is ALLOW
    assert decide(action="s3:ListBucket", resource="arn:aws:s3:::B-yellow",
                  identity_policies=policies).decision is IMPLICIT
    tagged = decide(action="s3:ListBucket", resource="arn:aws:s3:::B-yellow",
                    context={"aws:PrincipalTag/team": "yellow"}, identity_policies=policies)
    assert tagged.decision is ALLOW


def test_30_fixed_variables_are_literal_characters() -> None:
    policies = identity(allow("s3:ListBucket", Condition={"StringLike": {"s3:prefix": "a${*}b"}}))
    assert decide(action="s3:ListBucket", context={"s3:prefix": "a*b"}, identity_policies=policies).decision is ALLOW
    assert decide(action="s3:ListBucket", context={"s3:prefix": "axb"}, identity_policies=policies).decision \
        is IMPLICIT


def test_31_not_action_allows_everything_else() -> None:
    policies = identity({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert decide(identity_policies=policies).decision is ALLOW
    assert decide(action="iam:CreateUser", resource="*", identity_policies=policies).decision is IMPLICIT


def test_32_not_resource_with_deny() -> None:
    policies = identity(
        {"Effect": "Deny", "Action": "s3:*",
         "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"]},
        allow("s3:*"))
    assert decide(resource="arn:aws:s3:::OtherBucket/x", identity_policies=policies).decision is EXPLICIT
    assert decide(resource="arn:aws:s3:::HRBucket/Payroll/x", identity_policies=policies).decision is ALLOW


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}])
def test_33_star_and_aws_star_both_admit_anonymous(principal: Any) -> None:
    bucket = policy({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::B/*"})
    result = decide(principal="anonymous", resource_policy=bucket, resource_account="222222222222")
    assert result.decision is ALLOW


def test_34_account_principal_cross_account_needs_identity_allow() -> None:
    bucket = policy({"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::B/*"})
    with_identity = decide(resource_policy=bucket, resource_account="222222222222",
                           identity_policies=identity(allow("s3:GetObject")))
    assert with_identity.decision is ALLOW
    without = decide(resource_policy=bucket, resource_account="222222222222")
    assert without.decision is IMPLICIT
    assert "identity_policies" in without.blocked_by


def test_35_cross_account_identity_allow_alone_is_not_enough() -> None:
    result = decide(resource_account="222222222222", identity_policies=identity(allow("s3:GetObject")))
    assert result.decision is IMPLICIT
    assert result.blocked_by == ("resource_policy",)


def test_36_same_account_user_grant_ignores_boundary() -> None:
    bucket = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/Alice"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"})
    result = decide(principal="arn:aws:iam::111111111111:user/Alice", resource_policy=bucket,
                    resource_account="111111111111", permissions_boundary=policy(allow("ec2:*")))
    assert result.decision is ALLOW


def test_37_role_grant_is_capped_by_session_policy_session_grant_is_not() -> None:
    def bucket(principal: str) -> dict[str, Any]:
        return policy({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::B/*"})
    session_policy = policy(allow("ec2:*"))
    via_role = decide(principal=SESSION, resource_policy=bucket(ROLE), resource_account="111111111111",
                      session_policy=session_policy)
    assert via_role.decision is IMPLICIT
    assert "session_policy" in via_role.blocked_by
    via_session = decide(principal=SESSION, resource_policy=bucket(SESSION), resource_account="111111111111",
                         session_policy=session_policy)
    assert via_session.decision is ALLOW


def test_38_principal_arn_condition_grant_is_not_capped_but_deny_wins() -> None:
    bucket = policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*",
                     "Condition": {"ArnEquals": {"aws:PrincipalArn": ROLE}}})
    allowed = decide(principal=SESSION, resource_policy=bucket, resource_account="111111111111",
                     context={"aws:PrincipalArn": ROLE}, session_policy=policy(allow("ec2:*")))
    assert allowed.decision is ALLOW
    denied = decide(principal=SESSION, resource_policy=bucket, resource_account="111111111111",
                    context={"aws:PrincipalArn": ROLE}, identity_policies=identity(deny("s3:*")))
    assert denied.decision is EXPLICIT


def test_39_boundary_caps_identity_policy() -> None:
    result = decide(identity_policies=identity(allow("s3:*")), permissions_boundary=policy(allow("ec2:*")))
    assert result.decision is IMPLICIT
    assert result.blocked_by == ("permissions_boundary",)


FULL_ACCESS = policy(allow())


def test_40_scp_needs_an_allow_at_every_level() -> None:
    deny_list = policy(deny("ec2:*"))
    result = decide(identity_policies=identity(allow("s3:*")), scps=[[FULL_ACCESS], [deny_list], [FULL_ACCESS]])
    assert result.decision is IMPLICIT
    assert result.blocked_by == ("scps",)
    whole = decide(identity_policies=identity(allow("s3:*")), scps=[[FULL_ACCESS], [FULL_ACCESS, deny_list],
                                                                     [FULL_ACCESS]])
    assert whole.decision is ALLOW


def test_41_scps_do_not_bind_the_management_account() -> None:
    scps = [[FULL_ACCESS, policy(deny("s3:*"))]]
    caller = "arn:aws:iam::111111111111:role/admin"
    member = decide(principal=caller, identity_policies=identity(allow()), scps=scps)
    assert member.decision is EXPLICIT
    management = decide(principal=caller, identity_policies=identity(allow()), scps=scps,
                        management_account="111111111111")
    assert management.decision is ALLOW


def test_42_rcp_blocks_outside_org_but_not_management_account_resources() -> None:
    rcp = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}})
    bucket = policy({"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::B/*"})
    outsider = "arn:aws:iam::999999999999:user/eve"
    common: dict[str, Any] = {"principal": outsider, "resource_policy": bucket, "resource_account": "222222222222",
                              "identity_policies": identity(allow("s3:GetObject")), "rcps": [[rcp]]}
    assert decide(**common).decision is EXPLICIT
    assert decide(**common, management_account="222222222222").decision is ALLOW


KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_43_kms_key_policy_must_enable_iam_or_name_the_user() -> None:
    key_policy = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/admin"},
                         "Action": "kms:*", "Resource": "*"})
    result = decide(action="kms:Decrypt", resource=KEY, resource_policy=key_policy,
                    identity_policies=identity(allow("kms:Decrypt")))
    assert result.decision is IMPLICIT
    assert "resource_policy" in result.blocked_by
    enabling = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                       "Action": "kms:*", "Resource": "*"})
    enabled = decide(action="kms:Decrypt", resource=KEY, resource_policy=enabling,
                     identity_policies=identity(allow("kms:Decrypt")))
    assert enabled.decision is ALLOW
    no_identity = decide(action="kms:Decrypt", resource=KEY, resource_policy=enabling)
    assert no_identity.decision is IMPLICIT


ALIAS = "arn:aws:kms:us-east-1:111111111111:alias/app-key"


@pytest.mark.parametrize("action", ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"])
def test_43b_kms_alias_is_authorized_by_iam_policies_not_the_key_policy(action: str) -> None:
    # AWS KMS, "Controlling access to aliases": permission on the alias comes from
    # IAM policies; the key policy governs the key (a second request on the key).
    key_policy = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/admin"},
                         "Action": "kms:*", "Resource": "*"})
    on_alias = decide(action=action, resource=ALIAS, resource_policy=key_policy,
                      identity_policies=identity(allow(action, ALIAS)))
    assert on_alias.decision is ALLOW
    assert [ref.policy for ref in on_alias.determining] == ["identity_policies[0]"]
    assert decide(action=action, resource=ALIAS).decision is IMPLICIT  # no IAM grant: no access
    denied = decide(action=action, resource=ALIAS, identity_policies=identity(allow(action, ALIAS), deny(action)))
    assert denied.decision is EXPLICIT
    on_key = decide(action=action, resource=KEY, resource_policy=key_policy,
                    identity_policies=identity(allow(action)))
    assert on_key.decision is IMPLICIT and "resource_policy" in on_key.blocked_by
    other_account = decide(action=action, resource=ALIAS.replace("111111111111", "222222222222"),
                           identity_policies=identity(allow(action)))
    assert other_account.decision is IMPLICIT  # aliases are not managed across accounts


def test_44_kms_identity_deny_overrides_key_policy() -> None:
    key_policy = policy({"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "kms:*", "Resource": "*"})
    assert decide(action="kms:Decrypt", resource=KEY, resource_policy=key_policy).decision is ALLOW
    denied = decide(action="kms:Decrypt", resource=KEY, resource_policy=key_policy,
                    identity_policies=identity(deny("kms:Decrypt")))
    assert denied.decision is EXPLICIT


def test_45_not_principal_deny_always_catches_a_principal_with_a_boundary() -> None:
    admin = "arn:aws:iam::111111111111:user/Admin"
    bucket = policy(
        {"Effect": "Deny", "NotPrincipal": {"AWS": [admin, "arn:aws:iam::111111111111:root"]}, "Action": "s3:*",
         "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "s3:*", "Resource": "*"})
    without_boundary = decide(principal=admin, resource_policy=bucket, resource_account="111111111111")
    assert without_boundary.decision is ALLOW
    with_boundary = decide(principal=admin, resource_policy=bucket, resource_account="111111111111",
                           permissions_boundary=policy(allow()))
    assert with_boundary.decision is EXPLICIT


def test_46_trust_policy_must_name_the_caller() -> None:
    trust = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/Bob"},
                    "Action": "sts:AssumeRole"})
    carol = decide(principal="arn:aws:iam::111111111111:user/Carol", action="sts:AssumeRole",
                   resource="arn:aws:iam::111111111111:role/target", resource_policy=trust,
                   identity_policies=identity(allow("sts:AssumeRole")))
    assert carol.decision is IMPLICIT
    bob = decide(principal="arn:aws:iam::111111111111:user/Bob", action="sts:AssumeRole",
                 resource="arn:aws:iam::111111111111:role/target", resource_policy=trust)
    assert bob.decision is ALLOW


def test_47_vpc_endpoint_policy_account_principal_covers_only_root() -> None:
    endpoint = policy({"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:*", "Resource": "*"})
    role = decide(principal=SESSION, identity_policies=identity(allow("s3:*")), vpc_endpoint_policy=endpoint)
    assert role.decision is IMPLICIT
    assert role.blocked_by == ("vpc_endpoint_policy",)
    root = decide(principal="arn:aws:iam::111111111111:root", vpc_endpoint_policy=endpoint)
    assert root.decision is ALLOW


def test_48_forward_access_session_lacks_source_vpc() -> None:
    # The SSE-KMS GetObject makes a second request to KMS (a forward access
    # session); each hop is a scenario of its own. The KMS hop carries no
    # aws:SourceVpc (§5.4 FAS) but aws:ViaAWSService=true.
    enabling = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                       "Action": "kms:*", "Resource": "*"})
    strict = identity(allow(["s3:GetObject", "kms:Decrypt"]),
                      deny(Condition={"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}))
    exempt = identity(allow(["s3:GetObject", "kms:Decrypt"]),
                      deny(Condition={"StringNotEquals": {"aws:SourceVpc": "vpc-1"},
                                      "BoolIfExists": {"aws:ViaAWSService": "false"}}))
    s3_hop = {"aws:SourceVpc": "vpc-1", "aws:ViaAWSService": "false"}
    kms_hop = {"aws:ViaAWSService": "true", "aws:CalledVia": ["s3.amazonaws.com"]}
    assert decide(principal=SESSION, context=s3_hop, identity_policies=strict).decision is ALLOW
    assert decide(principal=SESSION, action="kms:Decrypt", resource=KEY, context=kms_hop, resource_policy=enabling,
                  identity_policies=strict).decision is EXPLICIT
    assert decide(principal=SESSION, action="kms:Decrypt", resource=KEY, context=kms_hop, resource_policy=enabling,
                  identity_policies=exempt).decision is ALLOW


def test_49_tag_key_in_key_name_is_case_insensitive_value_is_not() -> None:
    policies = identity(allow(Condition={"StringEquals": {"aws:ResourceTag/TagKey1": "Production"}}))
    assert decide(context={"aws:ResourceTag/tagkey1": "Production"}, identity_policies=policies).decision is ALLOW
    assert decide(context={"aws:ResourceTag/TagKey1": "production"}, identity_policies=policies).decision \
        is IMPLICIT


def test_50_effect_value_is_case_sensitive() -> None:
    with pytest.raises(InputError, match=r"Effect"):
        decide(identity_policies=[policy({"Effect": "allow", "Action": "*", "Resource": "*"})])


def test_51_for_any_value_negated_on_called_via() -> None:
    policies = identity(deny(Condition={"ForAnyValue:StringNotEquals": {
        "aws:CalledVia": ["cloudformation.amazonaws.com"]}}), allow())
    assert decide(identity_policies=policies).decision is ALLOW
    via = decide(context={"aws:CalledVia": ["cloudformation.amazonaws.com", "dynamodb.amazonaws.com"]},
                 identity_policies=policies)
    assert via.decision is EXPLICIT


def test_52_for_all_values_negated_on_missing_key_follows_the_rule_not_the_table() -> None:
    # ⚠ §3.4: AWS's operator page prints "no match" for a missing
    # aws:ResourceOrgPaths under ForAllValues:StringNotLike, contradicting its own
    # vacuous-truth rule for ForAllValues. We follow the rule (missing -> match),
    # as the multivalued-keys page and the other examples do.
    paths = ["o-acorg/r-acroot/ou-acroot-mediaou/", "o-acorg/r-acroot/ou-acroot-sportsou/*"]
    policies = identity(deny(Condition={"ForAllValues:StringNotLike": {"aws:ResourceOrgPaths": paths}}), allow())
    assert decide(identity_policies=policies).decision is EXPLICIT
    sports = decide(context={"aws:ResourceOrgPaths": ["o-acorg/r-acroot/ou-acroot-sportsou/costcenter/"]},
                    identity_policies=policies)
    assert sports.decision is ALLOW
    media = decide(context={"aws:ResourceOrgPaths": ["o-acorg/r-acroot/ou-acroot-mediaou/costcenter/"]},
                   identity_policies=policies)
    assert media.decision is EXPLICIT


def test_get_caller_identity_cannot_be_denied() -> None:
    # STS API reference: no permission is required, and an explicit Deny does not
    # stop it.
    result = decide(action="sts:GetCallerIdentity", resource="*", identity_policies=identity(deny()))
    assert result.decision is ALLOW


def test_plain_operator_on_a_multivalued_key_matches_nothing() -> None:
    # §3.3: AWS does not define it and calls for ForAllValues / ForAnyValue.
    positive = identity(allow(Condition={"StringEquals": {"aws:TagKeys": "env"}}))
    negative = identity(allow(Condition={"StringNotEquals": {"aws:TagKeys": "env"}}))
    assert decide(context={"aws:TagKeys": ["env"]}, identity_policies=positive).decision is IMPLICIT
    assert decide(context={"aws:TagKeys": "env"}, identity_policies=positive).decision is IMPLICIT
    assert decide(context={"aws:TagKeys": ["team"]}, identity_policies=negative).decision is IMPLICIT


def test_single_valued_key_given_as_a_list_keeps_its_first_value() -> None:
    policies = identity(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))
    assert decide(context={"aws:PrincipalTag/team": ["blue", "red"]}, identity_policies=policies).decision is ALLOW
    assert decide(context={"aws:PrincipalTag/team": ["red", "blue"]}, identity_policies=policies).decision \
        is IMPLICIT


def test_null_counts_an_empty_list_as_present() -> None:
    policies = identity(allow(Condition={"Null": {"aws:TagKeys": "false"}}))
    assert decide(context={"aws:TagKeys": []}, identity_policies=policies).decision is ALLOW
    assert decide(identity_policies=policies).decision is IMPLICIT


def test_a_scenario_gets_the_keys_aws_derives_from_the_caller() -> None:
    # AWS sets aws:PrincipalAccount, aws:PrincipalArn, aws:username ... on every
    # signed request (§6, §8 #7, #20, #38); a value the scenario gives wins
    policies = identity(allow(Condition={"StringEquals": {"aws:PrincipalAccount": "111111111111"}}))
    assert decide(identity_policies=policies).decision is ALLOW
    assert decide(context={"aws:PrincipalAccount": "222222222222"}, identity_policies=policies).decision is IMPLICIT
    loose = identity(allow(Condition={"StringEqualsIgnoreCase": {"aws:username": "john"}}))
    assert decide(principal="arn:aws:iam::111111111111:user/John", identity_policies=loose).decision is ALLOW
    by_role = identity(allow(Condition={"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/R"}}))
    session = "arn:aws:sts::111111111111:assumed-role/R/s1"
    assert decide(principal=session, identity_policies=by_role).decision is ALLOW


def test_resource_arn_service_region_and_account_fields_ignore_case() -> None:
    policies = identity(allow("sqs:SendMessage", "arn:aws:SQS:US-EAST-1:111111111111:queue"))
    resource = "arn:aws:sqs:us-east-1:111111111111:queue"
    assert decide(action="sqs:SendMessage", resource=resource, identity_policies=policies).decision is ALLOW
    upper = "arn:aws:sqs:us-east-1:111111111111:QUEUE"
    assert decide(action="sqs:SendMessage", resource=upper, identity_policies=policies).decision is IMPLICIT


def test_arn_like_needs_six_fields_so_a_bare_star_matches_nothing() -> None:
    policies = identity(allow(Condition={"ArnLike": {"aws:SourceArn": "*"}}))
    context = {"aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:topic"}
    assert decide(context=context, identity_policies=policies).decision is IMPLICIT


def test_variables_count_only_in_the_resource_part_of_an_arn() -> None:
    # §1.7 / §4: policy variables are permitted only after the fifth colon.
    policies = identity(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:${aws:PrincipalAccount}:events"))
    context = {"aws:PrincipalAccount": "111111111111"}
    result = decide(action="sqs:SendMessage", resource="arn:aws:sqs:eu-west-1:111111111111:events",
                    context=context, identity_policies=policies)
    assert result.decision is IMPLICIT


def test_empty_list_for_a_multivalued_key_is_present_with_no_values() -> None:
    any_value = identity(allow(Condition={"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "env"}}))
    all_values = identity(allow(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}))
    assert decide(context={"aws:TagKeys": []}, identity_policies=any_value).decision is IMPLICIT
    assert decide(identity_policies=any_value).decision is ALLOW  # missing: IfExists holds
    assert decide(context={"aws:TagKeys": []}, identity_policies=all_values).decision is ALLOW


def test_federated_user_is_granted_through_its_iam_user_and_capped() -> None:
    bucket = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/alice"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"})
    federated = "arn:aws:sts::111111111111:federated-user/alice"
    assert decide(principal=federated, resource_policy=bucket, resource_account="111111111111").decision is ALLOW
    capped = decide(principal=federated, resource_policy=bucket, resource_account="111111111111",
                    session_policy=policy(allow("ec2:*")))
    assert capped.decision is IMPLICIT


def test_not_resource_with_an_unresolved_variable_does_not_apply() -> None:
    # VAR: "if AWS cannot resolve a variable, this might cause the entire
    # statement to be invalid".
    policies = identity({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::B/${aws:username}/*"},
                        allow())
    session = "arn:aws:sts::111111111111:assumed-role/R/s1"  # a role session has no aws:username
    assert decide(principal=session, identity_policies=policies).decision is ALLOW
    named = decide(principal=session, context={"aws:username": "bob"}, identity_policies=policies)
    assert named.decision is EXPLICIT


def test_federated_star_names_every_web_identity() -> None:
    trust = policy({"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": "sts:AssumeRoleWithSAML"})
    result = decide(principal="arn:aws:iam::111111111111:saml-provider/Corp", action="sts:AssumeRoleWithSAML",
                    resource="arn:aws:iam::111111111111:role/target", resource_policy=trust)
    assert result.decision is ALLOW


def test_arn_and_action_case_folds_ascii_letters_only() -> None:
    # `re.IGNORECASE` alone lets the long s match `s` (a witness once read arn:Awſ:...)
    policies = identity(allow("s3:GetObject", "arn:aws:s3:::B/*"))
    assert decide(resource="arn:awſ:s3:::B/x", identity_policies=policies).decision is IMPLICIT
    assert decide(resource="arn:AWS:S3:::B/x", identity_policies=policies).decision is ALLOW
    from reasoner.policy.matching import action_matches

    assert not action_matches("s3:GetObject", "ſ3:GetObject") and action_matches("s3:GetObject", "S3:GETOBJECT")


def test_ignore_case_operators_fold_unicode_letters() -> None:
    policies = identity(allow(Condition={"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "ärger"}}))
    assert decide(context={"aws:PrincipalTag/team": "ÄRGER"}, identity_policies=policies).decision is ALLOW


def test_not_principal_naming_a_role_does_not_exempt_a_role_arn_caller() -> None:
    # a role ARN as the caller stands for a session of the role (docs/semantics.md), and a
    # NotPrincipal exempts a session only when it names the session too (§1.5)
    bucket = policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"},
                    {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111111111111:role/admin",
                                                                "arn:aws:iam::111111111111:root"]},
                     "Action": "s3:*", "Resource": "arn:aws:s3:::B/*"})
    for caller in ("arn:aws:iam::111111111111:role/admin", "arn:aws:sts::111111111111:assumed-role/admin/s1"):
        result = decide(principal=caller, resource_policy=bucket, resource_account="111111111111")
        assert result.decision is EXPLICIT, caller
