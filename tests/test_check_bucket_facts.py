"""check no-public-access with --acl and --public-access-block (docs/check.md, "With
the bucket's ACL and Block Public Access"): which input decided, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "checks" / "bucket"
PARTNER = str(EXAMPLES / "partner-policy.json")
PUBLIC_ACL = str(EXAMPLES / "acl-public-read.json")
runner = CliRunner()


def run(*args: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["check", "no-public-access", "--resource-type", "AWS::S3::Bucket",
                                 "--format", "json", *args])
    return result.exit_code, json.loads(result.output) if result.output.startswith("{") else {"text": result.output}


def test_public_acl_fails_with_a_witness_through_the_acl() -> None:
    code, answer = run("--policy", PARTNER, "--acl", PUBLIC_ACL)
    assert code == 1
    assert answer["decided_by"] == ["acl"]
    witness = answer["witness"]
    assert isinstance(witness, dict)
    assert witness["determining"][0]["policy"] == "bucket_acl"


def test_ignore_public_acls_decides() -> None:
    code, answer = run("--policy", PARTNER, "--acl", PUBLIC_ACL,
                       "--public-access-block", str(EXAMPLES / "block-all.json"))
    assert code == 0
    assert answer["decided_by"] == ["policy", "acl", "public_access_block"]
    assert "BlockPublicAcls would have rejected this ACL: it is public" in answer["reasons"]  # type: ignore[operator]


def test_restrict_public_buckets_decides_a_public_policy(tmp_path: Path) -> None:
    block = tmp_path / "block.json"
    block.write_text(json.dumps({"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": True}}))
    code, answer = run("--policy", str(EXAMPLES / "policy.json"), "--public-access-block", str(block))
    assert code == 0
    assert answer["decided_by"] == ["policy", "public_access_block"]
    # BlockPublicPolicy is not on: no put-time note
    assert not any("BlockPublicPolicy" in reason for reason in answer["reasons"])  # type: ignore[union-attr]


def test_put_time_settings_alone_leave_the_public_policy_public(tmp_path: Path) -> None:
    block = tmp_path / "block.json"
    block.write_text(json.dumps({"BlockPublicPolicy": True, "BlockPublicAcls": True}))
    code, answer = run("--policy", str(EXAMPLES / "policy.json"), "--public-access-block", str(block))
    assert code == 1
    assert answer["decided_by"] == ["policy"]
    assert "BlockPublicPolicy would have rejected this policy: it is public" in answer["reasons"]  # type: ignore[operator]


@pytest.mark.parametrize(("args", "message"), [
    (("--resource-type", "AWS::S3::AccessPoint", "--acl", "ACL"), "--acl: an ACL belongs to an AWS::S3::Bucket"),
    (("--resource-type", "AWS::KMS::Key", "--public-access-block", "BLOCK"),
     "--public-access-block: Block Public Access applies to"),
])
def test_inputs_that_do_not_belong_to_the_type_are_refused(args: tuple[str, ...], message: str) -> None:
    resolved = [str(EXAMPLES / "acl-public-read.json") if a == "ACL" else str(EXAMPLES / "block-all.json")
                if a == "BLOCK" else a for a in args]
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(EXAMPLES / "policy.json"), *resolved])
    assert result.exit_code == 2
    assert message in result.output


def test_bad_acl_names_the_file_and_place(tmp_path: Path) -> None:
    bad = tmp_path / "acl.json"
    bad.write_text(json.dumps({"Grants": [{"Grantee": {"Type": "Group", "URI": "http://x"}, "Permission": "READ"}]}))
    result = runner.invoke(app, ["check", "no-public-access", "--resource-type", "AWS::S3::Bucket",
                                 "--policy", str(EXAMPLES / "policy.json"), "--acl", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: Grants[0].Grantee.URI: expected one of" in result.output
