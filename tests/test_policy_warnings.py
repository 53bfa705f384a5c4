"""Policy lint on every command that reads policies (issue #11, part 1): an action or a
condition key that neither the catalogue nor AWS's list of global keys knows is a
warning with a "did you mean", in text, JSON and SARIF; the answer stays what the
semantics say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.policy.lint import key_spelling, known_condition_key, policy_warnings
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import parse_policy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

TYPO_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "OrgRead", "Effect": "Allow", "Principal": "*",
        "Action": ["s3:GetObjcet", "s3:ListBuckets"],
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        "Condition": {"StringEquals": {"aws:PrincipalOrgIDD": "o-aaaaaaaaaa"}},
    }],
}


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def messages(document: dict[str, Any]) -> list[str]:
    return [warning["message"] for warning in document.get("warnings", [])]


def lint(statement: dict[str, Any]) -> list[str]:
    policy = parse_policy({"Version": "2012-10-17", "Statement": [statement]}, PolicyType.RESOURCE, source="p.json")
    return [warning.text for warning in policy_warnings([policy])]


ALLOW = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}


@pytest.mark.parametrize(("action", "suggestion"), [("s3:GetObjcet", "s3:GetObject"),
                                                    ("s3:ListBuckets", "s3:ListBucket")])
def test_an_action_missing_from_the_catalogue_is_a_warning_with_a_suggestion(action: str, suggestion: str) -> None:
    assert lint(dict(ALLOW, Action=action)) == [
        f'p.json: Statement[0].Action: "{action}" is not in the action catalogue; did you mean "{suggestion}"?']


@pytest.mark.parametrize(("key", "message"), [
    ("aws:PrincipalOrgIDD", '"aws:PrincipalOrgIDD" is not an AWS global condition key (AWS sends no such key); '
                            'did you mean "aws:PrincipalOrgID"?'),
    ("aws:SourceVPCE", '"aws:SourceVPCE" is spelled "aws:SourceVpce" by AWS (key names are case-insensitive: '
                       "decided the same)"),
    ("s3:prefixx", '"s3:prefixx" is not a condition key of the catalogue (AWS sends no such key); '
                   'did you mean "s3:prefix"?'),
    ("nosuch:Key", '"nosuch:Key": unknown service prefix "nosuch" (AWS sends no such key)'),
])
def test_a_misspelled_condition_key_is_a_warning(key: str, message: str) -> None:
    assert lint(dict(ALLOW, Condition={"StringEquals": {key: "x"}})) == [
        f"p.json: Statement[0].Condition.StringEquals.{key}: {message}"]


@pytest.mark.parametrize("key", [
    "aws:PrincipalOrgID", "aws:SourceVpce", "aws:PrincipalTag/team", "aws:ResourceTag/Cost-Centre", "aws:Referer",
    "s3:prefix", "s3:ExistingObjectTag/classification", "kms:EncryptionContext:aws:pi:service", "saml:aud",
    "sts:ExternalId", "ec2:SourceInstanceArn", "lambda:SourceFunctionArn", "accounts.google.com:sub",
    "token.actions.githubusercontent.com:sub", "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub",
])
def test_documented_keys_and_identity_provider_keys_are_not_flagged(key: str) -> None:
    assert lint(dict(ALLOW, Condition={"StringEquals": {key: "x"}})) == []
    assert known_condition_key(key) is not False


def test_key_spelling_is_aws_spelling() -> None:
    assert key_spelling("AWS:PRINCIPALORGID") == "aws:PrincipalOrgID"
    assert key_spelling("aws:principaltag/Team") == "aws:PrincipalTag/Team"
    assert key_spelling("S3:PREFIX") == "s3:prefix"
    assert key_spelling("iam:associatedresourcearn") == "iam:AssociatedResourceArn"
    assert key_spelling("madeup:Key") == "madeup:Key"


def test_check_reports_warnings_in_text_json_and_sarif_and_the_answer_stands(tmp_path: Path) -> None:
    policy = tmp_path / "typo.json"
    policy.write_text(json.dumps(TYPO_POLICY, indent=2))
    base = ("check", "no-public-access", "--policy", policy, "--resource-type", "AWS::S3::Bucket")
    text = run(*base)
    # the key is absent from every request, the actions match none: nothing is granted
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0] == "PASS: no-public-access"
    assert f'  warning: {policy}: Statement[0].Action: "s3:GetObjcet" is not in the action catalogue; ' \
           'did you mean "s3:GetObject"?' in lines
    assert any("aws:PrincipalOrgIDD" in line and 'did you mean "aws:PrincipalOrgID"?' in line for line in lines)
    document = json.loads(run(*base, "--format", "json").stdout)
    assert document["result"] == "PASS"
    assert [w["path"] for w in document["warnings"]] == [
        "Statement[0].Action", "Statement[0].Action", "Statement[0].Condition.StringEquals.aws:PrincipalOrgIDD"]
    assert all(w["file"] == str(policy) and w["line"] == 4 for w in document["warnings"])
    sarif = json.loads(run(*base, "--format", "sarif").stdout)
    import jsonschema

    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"policy-warning"} and len(results) == 3
    assert all(r["level"] == "warning" for r in results)
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["no-public-access", "policy-warning"]


def test_a_clean_policy_has_no_warnings_key(tmp_path: Path) -> None:
    policy = tmp_path / "ok.json"
    clean = json.loads(json.dumps(TYPO_POLICY))
    clean["Statement"][0]["Action"] = "s3:GetObject"
    clean["Statement"][0]["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": "o-aaaaaaaaaa"}}
    policy.write_text(json.dumps(clean))
    document = json.loads(run("check", "no-public-access", "--policy", policy, "--resource-type",
                              "AWS::S3::Bucket", "--format", "json").stdout)
    assert "warnings" not in document


def test_prove_reports_warnings(tmp_path: Path) -> None:
    (tmp_path / "bucket.json").write_text(json.dumps(TYPO_POLICY, indent=2))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(
        "zone: {organization_ids: [o-aaaaaaaaaa], trusted_accounts: ['111122223333']}\n"
        "resources:\n  - {arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', account: '111122223333', "
        "policy: bucket.json}\n"
        "invariants: [only-trusted-identities]\n")
    text = run("prove", perimeter)
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines()[1].startswith("  warning: ")
    assert sum("warning:" in line for line in text.stdout.splitlines()) == 3
    document = json.loads(run("prove", perimeter, "--format", "json").stdout)
    assert document["invariants"][0]["result"] == "PASS"
    assert any("did you mean \"s3:GetObject\"" in message for message in messages(document))
    sarif = json.loads(run("prove", perimeter, "--format", "sarif").stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["policy-warning"] * 3


def test_evaluate_reports_warnings(tmp_path: Path) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({
        "request": {"principal": "arn:aws:iam::111122223333:role/app", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"},
        "identity_policies": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjcet"], "Resource": "*"}]}],
    }))
    text = run("evaluate", scenario)
    assert text.stdout.splitlines()[0].endswith(": Allow")
    assert any('did you mean "s3:GetObject"?' in line and line.startswith("  warning: ")
               for line in text.stdout.splitlines())
    document = json.loads(run("evaluate", scenario, "--format", "json").stdout)
    assert document["decision"] == "Allow"
    assert len(messages(document)) == 1


def test_who_can_on_a_snapshot_reports_warnings(tmp_path: Path) -> None:
    snapshot = tmp_path / "leaky"
    shutil.copytree(EXAMPLES / "snapshot" / "leaky", snapshot)
    bucket = next((snapshot / "resources" / "222222222222").iterdir())
    bucket.write_text(bucket.read_text().replace("aws:PrincipalOrgID", "aws:PrincipalOrgIDD"))
    result = run("who-can", "s3:GetObject", "arn:aws:s3:::prod-data", "--snapshot", snapshot, "--format", "json",
                 "--budget", "20")
    document = json.loads(result.stdout)
    assert messages(document) == ['"aws:PrincipalOrgIDD" is not an AWS global condition key (AWS sends no such '
                                  'key); did you mean "aws:PrincipalOrgID"?']


def test_infrastructure_code_checks_report_warnings(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(json.dumps({"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
        "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": "b", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObjcet", "Resource": "arn:aws:s3:::b/*"}]}}},
    }}))
    document = json.loads(run("check", "no-public-access", "--cloudformation", template, "--format", "json").stdout)
    assert any('did you mean "s3:GetObject"?' in message for entry in document["results"] for message in
               messages(entry))


@pytest.mark.parametrize("key", ["AWS:SourceArn", "iam:AssociatedResourceARN", "ec2:SourceInstanceARN"])
def test_only_a_global_keys_name_is_held_to_aws_spelling(key: str) -> None:
    """Lambda writes AWS:SourceArn in the policies it generates; AWS's managed policies
    spell service keys several ways."""
    assert lint(dict(ALLOW, Condition={"StringLike": {key: "x"}})) == []


def test_check_junit_lists_warnings_in_the_test_case_output(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    policy = tmp_path / "typo.json"
    policy.write_text(json.dumps(TYPO_POLICY))
    junit = ET.fromstring(run("check", "no-public-access", "--policy", policy, "--resource-type", "AWS::S3::Bucket",
                              "--format", "junit").stdout)
    output = junit.find("./testsuite/testcase/system-out")
    assert output is not None and output.text is not None
    assert 'did you mean "aws:PrincipalOrgID"?' in output.text
