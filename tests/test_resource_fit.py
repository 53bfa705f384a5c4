"""A resource policy that can never apply to its resource is bad input, never a vacuous
proof (issue #11, part 1): in a perimeter file (a bucket policy naming another bucket, a
`{name}` template whose file names another resource), in a snapshot, and for a single
no-public-access check whose Allow statements name no resource of the checked type."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.policy.matching import glob_match
from reasoner.policy.resource_fit import globs_intersect

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def bucket_policy(resource: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "s3:GetObject", "Resource": resource}]}


def test_a_bucket_policy_naming_another_bucket_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "reports.json").write_text(json.dumps(bucket_policy("arn:aws:s3:::other-bucket/*"), indent=2))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text("zone: {trusted_accounts: ['111122223333']}\nresources:\n"
                         "  - {arn: 'arn:aws:s3:::reports', type: 'AWS::S3::Bucket', account: '111122223333', "
                         "policy: reports.json}\ninvariants: [only-trusted-identities]\n")
    result = run("prove", perimeter)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f'error: {tmp_path / "reports.json"}: Statement[0].Resource: '
                                    '"arn:aws:s3:::other-bucket/*" can never be arn:aws:s3:::reports')
    assert "MalformedPolicy" in result.stderr


def test_a_name_template_whose_file_names_another_bucket_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "buckets").mkdir()
    (tmp_path / "buckets" / "logs.json").write_text(json.dumps(bucket_policy("arn:aws:s3:::logs/*")))
    (tmp_path / "buckets" / "data.json").write_text(json.dumps(bucket_policy("arn:aws:s3:::logs/*")))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text("zone: {trusted_accounts: ['111122223333']}\nresources:\n"
                         "  - {arn: 'arn:aws:s3:::{name}', type: 'AWS::S3::Bucket', account: '111122223333', "
                         "policies: 'buckets/*.json'}\ninvariants: [only-trusted-identities]\n")
    result = run("prove", perimeter)
    assert result.exit_code == 2
    assert "data.json: Statement[0].Resource" in result.stderr and "arn:aws:s3:::data" in result.stderr


@pytest.mark.parametrize("resource", ["arn:aws:s3:::reports/*", "arn:aws:s3:::reports", "arn:aws:s3:::rep*",
                                      "*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::reports/${aws:userid}"])
def test_entries_that_may_name_the_bucket_are_accepted(tmp_path: Path, resource: str) -> None:
    (tmp_path / "reports.json").write_text(json.dumps(bucket_policy(resource)))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text("zone: {trusted_accounts: ['111122223333']}\nresources:\n"
                         "  - {arn: 'arn:aws:s3:::reports', type: 'AWS::S3::Bucket', account: '111122223333', "
                         "policy: reports.json}\ninvariants: [only-trusted-identities]\n")
    assert run("prove", perimeter).exit_code == 0


def test_a_snapshot_bucket_policy_naming_another_bucket_is_bad_input(tmp_path: Path) -> None:
    snapshot = tmp_path / "leaky"
    shutil.copytree(EXAMPLES / "snapshot" / "leaky", snapshot)
    bucket = next((snapshot / "resources" / "222222222222").iterdir())
    bucket.write_text(bucket.read_text().replace("arn:aws:s3:::prod-data", "arn:aws:s3:::prod-archive"))
    result = run("who-can", "s3:GetObject", "arn:aws:s3:::prod-data", "--snapshot", snapshot)
    assert result.exit_code == 2
    assert "Statement[0].Resource" in result.stderr and "can never be arn:aws:s3:::prod-data" in result.stderr


DYNAMODB = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "dynamodb:GetItem",
     "Resource": "arn:aws:dynamodb:us-east-1:1234567890:table/my-table"}]}


def test_a_check_whose_policy_names_no_resource_of_the_type_is_bad_input_not_a_pass(tmp_path: Path) -> None:
    """Seen on a Terraform plan: a 10-digit account; Access Analyzer calls it public."""
    policy = tmp_path / "table.json"
    policy.write_text(json.dumps(DYNAMODB))
    result = run("check", "no-public-access", "--policy", policy, "--resource-type", "AWS::DynamoDB::Table")
    assert result.exit_code == 2
    assert result.stderr.startswith(f'error: {policy}: Statement[0].Resource: '
                                    '"arn:aws:dynamodb:us-east-1:1234567890:table/my-table" names no '
                                    "AWS::DynamoDB::Table")
    assert "1234567890: an account id has 12 digits" in result.stderr
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(DYNAMODB).replace("1234567890", "123456789012"))
    assert run("check", "no-public-access", "--policy", fixed, "--resource-type",
               "AWS::DynamoDB::Table").exit_code == 1


def test_a_statement_naming_no_resource_of_the_type_beside_others_is_a_warning(tmp_path: Path) -> None:
    document = json.loads(json.dumps(DYNAMODB))
    document["Statement"].append({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                                  "Action": "dynamodb:GetItem",
                                  "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t"})
    policy = tmp_path / "table.json"
    policy.write_text(json.dumps(document))
    result = run("check", "no-public-access", "--policy", policy, "--resource-type", "AWS::DynamoDB::Table",
                 "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0 and document["result"] == "PASS"
    assert [w["path"] for w in document["warnings"]] == ["Statement[0].Resource"]


GLOB = st.text(alphabet="ab*?", max_size=6)
TEXT = st.text(alphabet="ab", max_size=6)


@given(GLOB, GLOB, TEXT)
def test_glob_intersection_is_never_wrong_about_a_shared_text(first: str, second: str, text: str) -> None:
    if glob_match(first, text) and glob_match(second, text):
        assert globs_intersect(first, second)


@given(GLOB, TEXT)
def test_a_glob_meets_the_texts_it_matches(pattern: str, text: str) -> None:
    assert globs_intersect(pattern, text) == glob_match(pattern, text)


SMALL_TEXTS = ["".join(chars) for size in range(9) for chars in itertools.product("ab", repeat=size)]


@given(GLOB, GLOB)
def test_glob_intersection_finds_a_shared_text_when_it_says_so(first: str, second: str) -> None:
    shared = any(glob_match(first, text) and glob_match(second, text) for text in SMALL_TEXTS)
    assert globs_intersect(first, second) == shared


def test_infrastructure_code_naming_no_resource_of_the_type_is_unknown_not_a_pass(tmp_path: Path) -> None:
    """The case as seen: a plan's DynamoDB table policy with a 10-digit account."""
    template = tmp_path / "template.yaml"
    template.write_text(json.dumps({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": "my-table", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "ResourcePolicy": {"PolicyDocument": DYNAMODB}}}}}))
    result = run("check", "no-public-access", "--cloudformation", template, "--format", "json")
    assert result.exit_code == 3
    entry = json.loads(result.stdout)["results"][0]
    assert entry["result"] == "UNKNOWN" and "names no AWS::DynamoDB::Table" in entry["reason"]
