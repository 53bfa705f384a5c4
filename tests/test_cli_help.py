"""The help text reads well (issue 11, part 3): plain text where it is literal, flags
shown as flags, every argument described, summaries never cut, developer commands in
their own group, and `--version`."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from reasoner import tool_version
from reasoner.cli.app import app
from reasoner.policy.resource_types import RESOURCE_TYPES

WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def commands_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("Commands:")
    return [line for line in lines[start + 1:] if line.strip()]


def test_version_is_printed_by_the_top_command() -> None:
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.output == f"perimeter {tool_version()}\n"
    assert tool_version()[0].isdigit()


def test_debug_is_shown_as_a_flag_and_the_help_has_no_markup_artifacts() -> None:
    result = run("--help")
    assert result.exit_code == 0
    debug = next(line for line in result.output.splitlines() if "--debug" in line)
    assert "<bool>" not in debug and "Show the traceback" in debug
    assert "│" not in result.output and "╭" not in result.output  # no rich boxes around literal text


def test_literal_text_is_not_turned_into_emoji() -> None:
    result = run("reach", "--help", env=WIDE)
    assert result.exit_code == 0
    assert "roles:ID:NAME_PATTERN" in result.output
    assert result.output.isascii(), [char for char in result.output if not char.isascii()]


def test_every_command_summary_is_whole_in_the_command_lists() -> None:
    for group in ((), ("check",), ("dev",)):
        for width in ("60", "80", "120"):
            result = run(*group, "--help", env={"COLUMNS": width, "TERMINAL_WIDTH": width})
            assert result.exit_code == 0
            listed = commands_section(result.output)
            assert listed and not any(line.rstrip().endswith("...") for line in listed), (group, width, listed)


def test_developer_commands_are_out_of_the_users_top_level_help() -> None:
    top = [line.split()[0] for line in commands_section(run("--help").output) if line.startswith("  ") and
           not line.startswith("    ")]
    assert "bench" not in top and "export-smt" not in top
    assert "dev" in top and "prove" in top
    dev = [line.split()[0] for line in commands_section(run("dev", "--help").output)]
    assert dev == ["bench", "export-smt"]


def test_who_can_arguments_are_described() -> None:
    result = run("who-can", "--help", env=WIDE)
    lines = result.output.splitlines()
    action = next(line for line in lines if line.strip().startswith("ACTION"))
    resource = next(line for line in lines if line.strip().startswith("RESOURCE"))
    assert "service:Action" in action
    assert "ARN" in resource


def test_resource_type_lists_its_choices() -> None:
    result = run("check", "no-public-access", "--help", env=WIDE)
    text = " ".join(result.output.split())
    for kind in RESOURCE_TYPES.values():
        assert kind.name in text


def _leaf_commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _leaf_commands(command, (*path, name))
        else:
            found.append(((*path, name), command))
    return found


@pytest.mark.parametrize("path", [path for path, _ in _leaf_commands(typer.main.get_command(app))],
                         ids=" ".join)
def test_every_command_and_parameter_has_help_that_ends_a_sentence(path: tuple[str, ...]) -> None:
    root = typer.main.get_command(app)
    command = dict(_leaf_commands(root))[path]
    assert command.short_help, f"{' '.join(path)} has no summary for the command list"
    assert (command.help or "").rstrip().endswith((".", "?", ")")), command.help
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        text = (getattr(param, "help", None) or "").rstrip()
        assert text, f"{' '.join(path)} {param.name} has no help"
        assert text.endswith((".", "?", ")", "...")), f"{' '.join(path)} {param.name}: {text!r}"
