"""Issue #17: no hang on valid policies, no proof about a typo, every bad input one
line (exit 2, naming the file and the place). One section per item of the issue;
each test fails without its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.inputs.snapshot import load_snapshot
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
