"""Command-line usage: a single-valued option given twice is a usage error on every
command (issue 11), never the last value kept without a word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from reasoner.cli.app import app


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def leaf_commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


def single_valued_options() -> list[tuple[tuple[str, ...], str]]:
    """Every option of every command that takes one value (a flag repeated in one spelling
    says nothing new, so flags are not among them)."""
    root = typer.main.get_command(app)
    found = [(path, param.opts[0])
             for path, command in leaf_commands(root)
             for param in command.params
             if param.param_type_name == "option" and not (param.multiple or param.count or param.is_flag)]
    assert len(found) > 20, found  # every command's options, not an empty sweep
    return found


@pytest.mark.parametrize(("path", "option"), single_valued_options(),
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value))
def test_a_single_valued_option_given_twice_is_a_usage_error(path: tuple[str, ...], option: str) -> None:
    # the unknown option stops the command early wherever the repetition is not caught
    result = run(*path, option, "first", option, "second", "--no-such-option")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {' '.join(path)}: {option} is given 2 times (first, second)")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_the_equals_spelling_counts_too() -> None:
    result = run("prove", "perimeter.yaml", "--timeout=3", "--timeout", "4")
    assert result.exit_code == 2
    assert "--timeout is given 2 times (3, 4)" in result.stderr


def test_a_public_policy_cannot_hide_behind_a_second_policy_option(tmp_path: Path) -> None:
    public = tmp_path / "public.json"
    public.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}))
    private = tmp_path / "private.json"
    private.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::b/*"}]}))
    result = run("check", "no-public-access", "--policy", public, "--policy", private,
                 "--resource-type", "AWS::S3::Bucket")
    # --policy takes several policies now (issue 11, part 4): each is checked and named
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"FAIL: no-public-access {public}\n")
    assert f"PASS: no-public-access {private}\n" in result.stdout


def test_options_that_take_several_values_still_do(tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    result = run("check", "access-not-granted", "--policy", policy, "--action", "s3:PutObject",
                 "--action", "s3:DeleteObject")
    assert result.exit_code == 0, result.output
