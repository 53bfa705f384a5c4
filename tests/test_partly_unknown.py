"""An invariant or check that is partly UNKNOWN names what was not decided: the
resource, the policy and its statement, in text, JSON and SARIF (issue #11, part 1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app

# IgnoreCase with a policy variable is a construct the encoding leaves UNKNOWN (features.md)
ODD = {"Version": "2012-10-17", "Statement": [
    {"Sid": "PerUser", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::odd/*",
     "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "${aws:username}"},
                   "StringEquals": {"aws:PrincipalOrgID": "o-aaaaaaaaaa"}}}]}
GOOD = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::good/*"}]}
PERIMETER = """zone: {organization_ids: [o-aaaaaaaaaa], trusted_accounts: ['111122223333']}
resources:
  - {arn: 'arn:aws:s3:::good', type: 'AWS::S3::Bucket', account: '111122223333', policy: good.json}
  - {arn: 'arn:aws:s3:::odd', type: 'AWS::S3::Bucket', account: '111122223333', policy: odd.json}
invariants: [only-trusted-identities]
"""


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture
def perimeter(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    (tmp_path / "odd.json").write_text(json.dumps(ODD, indent=2))
    path = tmp_path / "perimeter.yaml"
    path.write_text(PERIMETER)
    return path


def test_prove_names_the_undecided_resource_policy_and_statement(perimeter: Path) -> None:
    odd = perimeter.parent / "odd.json"
    text = run("prove", perimeter)
    assert text.exit_code == 3
    undecided = [line for line in text.stdout.splitlines() if line.startswith("    undecided: ")]
    assert undecided and all(" on arn:aws:s3:::odd, arn:aws:s3:::odd/* " in line for line in undecided)
    assert all(f"(policies: {odd})" in line and f"(in {odd}: Statement[0], line 4)" in line for line in undecided)
    assert not any("good" in line for line in undecided)
    document = json.loads(run("prove", perimeter, "--format", "json").stdout)
    parts = document["invariants"][0]["unknown"]
    assert parts and all(part["resources"] == ["arn:aws:s3:::odd", "arn:aws:s3:::odd/*"]
                         and part["policies"] == [str(odd)] for part in parts)
    assert "IgnoreCase" in parts[0]["reason"]
    sarif = json.loads(run("prove", perimeter, "--format", "sarif").stdout)
    notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len(notifications) == len(parts)
    assert all("arn:aws:s3:::odd" in n["message"]["text"] for n in notifications)
    assert all(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("odd.json")
               for n in notifications)


def test_a_check_that_is_unknown_names_the_statement(tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(ODD, indent=2))
    result = run("check", "no-public-access", "--policy", odd, "--resource-type", "AWS::S3::Bucket")
    assert result.exit_code == 3
    assert f"(in {odd}: Statement[0], line 4)" in result.stdout


def test_a_check_sarif_notification_is_located_at_the_statement(tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(ODD, indent=2))
    sarif = json.loads(run("check", "no-public-access", "--policy", odd, "--resource-type", "AWS::S3::Bucket",
                           "--format", "sarif").stdout)
    notification = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
