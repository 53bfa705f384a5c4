"""Checks of command-line option values, as typer callbacks: a bad value is bad
input (exit 2, one line naming the option), like a bad file."""

from __future__ import annotations

from enum import StrEnum

from reasoner.errors import InputError

# Help is plain text in click's own layout, on every command group: rich markup would
# turn literal text such as `roles:ID:NAME_PATTERN` into an emoji (`:id:`) and show a
# flag as if it took a `<bool>` value.
HELP_MARKUP = None


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def positive_seconds(value: float) -> float:
    """A `--timeout`: any positive number of seconds (a tiny one gives UNKNOWN)."""
    if not value > 0:
        raise InputError("--timeout", "", f"{value:g} is not a positive number of seconds")
    return value
