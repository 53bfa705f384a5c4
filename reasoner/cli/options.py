"""Checks of command-line option values, as typer callbacks: a bad value is bad
input (exit 2, one line naming the option), like a bad file."""

from __future__ import annotations

from enum import StrEnum

from reasoner.errors import InputError


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def positive_seconds(value: float) -> float:
    """A `--timeout`: any positive number of seconds (a tiny one gives UNKNOWN)."""
    if not value > 0:
        raise InputError("--timeout", "", f"{value:g} is not a positive number of seconds")
    return value
