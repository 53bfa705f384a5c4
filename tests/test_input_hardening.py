"""Issue #17: no hang on valid policies, no proof about a typo, every bad input one
line (exit 2, naming the file and the place). One section per item of the issue;
each test fails without its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.checks.run import check_no_public_access
from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import parse_policy
from reasoner.policy.resource_types import resource_type
from tests.snapshot_factory import BUCKET, DEV, READ_BUCKET, role, trust, user, write_snapshot

runner = CliRunner()
PARTNER = "444455556666"


def _one_line_error(result: object, *needles: str) -> None:
    """Exit 2 with one line on stderr that starts with `error:` and names every needle."""
    exit_code = getattr(result, "exit_code", None)
    output = getattr(result, "output", "")
    assert exit_code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    for needle in needles:
        assert needle in lines[0], output


# -- 1. glob matching: the reach side (the matcher itself: tests/test_glob_matcher.py)


def test_reach_from_a_role_class_with_many_wildcards_answers(tmp_path: Path) -> None:
    """`roles:ID:*?*?...` hung the graph's membership check (20 s at 12 pairs)."""
    open_to_partner = trust({"AWS": f"arn:aws:iam::{PARTNER}:root"},
                            Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{PARTNER}:role/deploy-*"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", open_to_partner, READ_BUCKET)]}})
    pattern = "deploy-" + "*?" * 30 + "Z"
    result = runner.invoke(app, ["reach", "--snapshot", str(tmp_path), "--to", BUCKET, "--action", "s3:GetObject",
                                 "--from", f"roles:{PARTNER}:{pattern}", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert '"status": "FOUND"' in result.output


def test_reach_role_class_pattern_follows_the_name_rules(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    base = ["reach", "--snapshot", str(tmp_path), "--to", BUCKET, "--action", "s3:GetObject", "--from"]
    _one_line_error(runner.invoke(app, [*base, f"roles:{PARTNER}:" + "x" * 600]), "--from", "role name pattern")
    _one_line_error(runner.invoke(app, [*base, f"roles:{PARTNER}:dé*"]), "--from", "role name pattern")


@pytest.mark.parametrize("name", ["*?*?*?*?Z", "has space", "x" * 65, "é"])
def test_exported_role_names_follow_the_iam_name_rules(tmp_path: Path, name: str) -> None:
    entry = role(DEV, "r", trust({"Service": "lambda.amazonaws.com"}))
    entry["Arn"] = f"arn:aws:iam::{DEV}:role/{name}"
    write_snapshot(tmp_path, {DEV: {"roles": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "RoleDetailList[0].Arn" and "IAM role name" in caught.value.message


def test_exported_user_names_and_paths_follow_the_iam_rules(tmp_path: Path) -> None:
    entry = user(DEV, "u")
    entry["Arn"] = f"arn:aws:iam::{DEV}:user/ops/u*"
    write_snapshot(tmp_path, {DEV: {"users": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "UserDetailList[0].Arn" and "IAM user name" in caught.value.message
    entry["Arn"] = f"arn:aws:iam::{DEV}:user/" + "p/" * 300 + "u"
    write_snapshot(tmp_path, {DEV: {"users": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "UserDetailList[0].Arn" and "IAM path" in caught.value.message


def test_valid_names_and_paths_still_load(tmp_path: Path) -> None:
    entry = role(DEV, "r", trust({"Service": "lambda.amazonaws.com"}))
    entry["Arn"] = f"arn:aws:iam::{DEV}:role/aws-service-role//team+ops/Deploy.Role_1@x=y,z-" + "x" * 20
    write_snapshot(tmp_path, {DEV: {"roles": [entry]}})
    assert load_snapshot(tmp_path).roles[0].name.startswith("Deploy.Role_1")


# -- 6. option values out of range are usage errors


PUBLIC_BUCKET = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
    "Condition": {"IpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}}}]}


@pytest.mark.parametrize(("option", "value"), [
    ("--max-ipv4-prefix-width", "-1"), ("--max-ipv4-prefix-width", "0"), ("--max-ipv4-prefix-width", "33"),
    ("--max-ipv4-prefix-width", "99"), ("--max-ipv6-prefix-width", "0"), ("--max-ipv6-prefix-width", "129"),
    ("--max-ipv6-prefix-width", "200")])
def test_prefix_widths_out_of_range_are_usage_errors(tmp_path: Path, option: str, value: str) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(PUBLIC_BUCKET))
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 "AWS::S3::Bucket", option, value])
    _one_line_error(result, option, value)


def test_a_grant_to_every_address_is_public_at_the_widest_width(tmp_path: Path) -> None:
    """-1 made 0.0.0.0/0 an identifying range (PASS); the widest valid width, 1, does not."""
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(PUBLIC_BUCKET))
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 "AWS::S3::Bucket", "--max-ipv4-prefix-width", "1", "--max-ipv6-prefix-width", "1",
                                 "--format", "json", "--timeout", "60"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["result"] == "FAIL"


def test_the_check_itself_refuses_a_width_out_of_range() -> None:
    policy = parse_policy(PUBLIC_BUCKET, PolicyType.RESOURCE, source="p.json")
    with pytest.raises(InputError, match="must be from 1 to 32"):
        check_no_public_access(policy, resource_type("AWS::S3::Bucket"), max_ipv4_prefix_width=-1)


# -- 10. usage errors of the command-line parser: one line, exit 2


@pytest.mark.parametrize(("args", "needles"), [
    (["check", "no-public-access", "--policy", "p.json", "--resource-type", "AWS::S3::Bucket", "--format", "bogus"],
     ("--format", "bogus")),
    (["prove"], ("FILE", "missing")),
    (["who-can", "s3:GetObject"], ("RESOURCE", "missing")),
    (["check", "bogus"], ("bogus", "no such command")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--timeout", "abc"], ("--timeout", "abc")),
    (["prove", "p.yaml", "--max-findings", "0"], ("--max-findings", "must be at least 1")),
    (["reach", "--snapshot", "s", "--from", "a", "--to", "b", "--action", "s3:GetObject", "--jobs", "0"],
     ("--jobs", "must be at least 1")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--policy-type", "bogus"],
     ("--policy-type", "bogus")),
    (["reach", "--snapshoot", "s"], ("--snapshoot", "no such option", "--snapshot")),
    (["reach", "--snapshot"], ("--snapshot", "needs a value")),
    (["who-can", "a", "b", "c", "--snapshot", "s"], ("c", "unexpected extra argument")),
    (["--bogus"], ("--bogus", "no such option")),
    (["bogus"], ("bogus", "no such command")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--timeout", "inf"], ("--timeout",)),
])
def test_usage_errors_are_one_line(args: list[str], needles: tuple[str, ...]) -> None:
    result = runner.invoke(app, args)
    _one_line_error(result, *needles)
    assert "╭" not in result.output and "Usage:" not in result.output


def test_a_group_alone_still_shows_its_help() -> None:
    result = runner.invoke(app, ["check"])
    assert "Usage:" in result.output and "no-public-access" in result.output
