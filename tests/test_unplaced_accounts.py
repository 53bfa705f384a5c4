"""A perimeter file whose zone places no account that owns a declared resource or
identity (no organization: tree, not a trusted account) says so (issue #11, part 1):
a warning naming the account, and each finding against that account's own principals
says that this is why they count as outside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from reasoner.cli.app import app

PERIMETER = """zone: {organization_ids: [o-aaaaaaaaaa]}
resources:
  - arn: arn:aws:s3:::reports
    type: AWS::S3::Bucket
    account: "111122223333"
    policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Resource": "arn:aws:s3:::reports/*"}]}
invariants: [only-trusted-identities]
"""


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_an_account_neither_in_the_zone_nor_in_an_organization_is_named(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(PERIMETER)
    result = run("prove", perimeter, "--format", "json", "--max-findings", "1")
    document = json.loads(result.stdout)
    zone = [w for w in document["warnings"] if w["path"] == "zone"]
    assert [w["file"] for w in zone] == [str(perimeter)]
    assert zone[0]["message"].startswith("account 111122223333 owns arn:aws:s3:::reports but is neither in "
                                         "zone.trusted_accounts nor in an organization: tree")
    findings = document["invariants"][0]["findings"]
    assert findings
    for finding in findings:
        if ":111122223333:" in finding["witness"]["request"]["principal"]:
            assert "because its account 111122223333 is neither in zone.trusted_accounts" in finding["explanation"]


def test_no_warning_when_the_account_is_placed(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    placed = "zone: {organization_ids: [o-aaaaaaaaaa], trusted_accounts: ['111122223333']}"
    perimeter.write_text(PERIMETER.replace("zone: {organization_ids: [o-aaaaaaaaaa]}", placed))
    result = run("prove", perimeter, "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert "warnings" not in json.loads(result.stdout)
