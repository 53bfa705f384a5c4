"""Checks of command-line option values, as typer callbacks: a bad value is bad
input (exit 2, one line naming the option), like a bad file; and the solver
options every command that solves takes (`--budget`, `--timeout`)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reasoner.errors import InputError
from reasoner.solving.budget import DEFAULT_GUARD_S, DEFAULT_UNITS, MAX_UNITS, Budget

if TYPE_CHECKING:
    from reasoner.solving.cache import ResultCache

# Help is plain text in click's own layout, on every command group: rich markup would
# turn literal text such as `roles:ID:NAME_PATTERN` into an emoji (`:id:`) and show a
# flag as if it took a `<bool>` value.
HELP_MARKUP = None


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def positive_seconds(value: float) -> float:
    """A `--timeout`: any positive number of seconds (a tiny one gives UNKNOWN)."""
    if not value > 0 or not math.isfinite(value):
        raise InputError("--timeout", "", f"{value:g} is not a positive number of seconds")
    return value


def input_file(text: str) -> Path:
    """A file argument as typed: `Path` drops a trailing "/", which would read
    `policy.json/` as the file although it names a folder."""
    if text.endswith(("/", os.sep)):
        raise typer.BadParameter(f'"{text}" ends with "/": that names a folder, not a file')
    return Path(text)


def policy_path(text: str) -> Path:
    """A policy file, folder or glob: a trailing "/" says a folder, so on a file it is
    a mistake (`Path` would drop it and read the file)."""
    if text.endswith(("/", os.sep)) and Path(text).is_file():
        raise typer.BadParameter(f'"{text}" ends with "/" but names a file, not a folder')
    return Path(text)


IntCheck = Callable[[typer.CallbackParam, "int | None"], "int | None"]


def between(low: int, high: int | None = None) -> IntCheck:
    """A callback refusing an integer option below `low` (or above `high`)."""

    def check(param: typer.CallbackParam, value: int | None) -> int | None:
        if value is not None and (value < low or (high is not None and value > high)):
            name = param.opts[0] if param.opts else str(param.name)
            expected = f"must be at least {low}" if high is None else f"must be from {low} to {high}"
            raise InputError(name, "", f"{expected}, not {value}")
        return value

    return check


at_least_one = between(1)
def work_units(value: float) -> float:
    """A `--budget`: a positive number of work units, at most `MAX_UNITS`."""
    if not 0 < value <= MAX_UNITS:
        raise InputError("--budget", "", f"{value:g} is not a number of work units in (0, {MAX_UNITS:g}]")
    return value


BudgetOption = Annotated[float, typer.Option(
    "--budget", callback=work_units,
    help="Solver work per query, in work units (about a CPU-second each, docs/performance.md). It decides "
         "PASS / FAIL / UNKNOWN, the same on every machine and under any load.")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", callback=positive_seconds,
    help="Wall-clock guard per query, seconds: a query still running then is UNKNOWN, saying so. Only a "
         "guard: the budget, not the clock, decides answers.")]
DEFAULT_BUDGET_UNITS, DEFAULT_TIMEOUT_S = DEFAULT_UNITS, DEFAULT_GUARD_S


def budget_of(units: float, timeout_s: float) -> Budget:
    return Budget(units, timeout_s)


CacheOption = Annotated[Path | None, typer.Option(
    "--cache", metavar="DIR", show_default=False, envvar="PERIMETER_CACHE",
    help="Keep each query's answer in this folder and reuse those whose inputs did not change (keyed by "
         "everything an answer depends on; docs/prove.md). Off unless given, or set by PERIMETER_CACHE "
         "(the GitHub Action sets it).")]

ClusterOption = Annotated[str | None, typer.Option(
    "--cluster", metavar="ADDRESS", show_default=False,
    help="Decide the edges on this Dask distributed scheduler (e.g. tcp://10.0.0.5:8786) instead of local "
         "processes; the same results as a local run (docs/performance.md).")]


def result_cache(folder: Path | None) -> ResultCache | None:
    """The result cache in `folder` (created when missing), or None without --cache."""
    from reasoner.solving.cache import ResultCache

    if folder is None:
        return None
    if folder.exists() and not folder.is_dir():
        raise InputError("--cache", "", f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    return ResultCache(folder)


def report_cache(store: ResultCache | None) -> None:
    """How much of the run the cache answered, on stderr."""
    if store is not None:
        typer.echo(store.summary(), err=True)

GroupAlikeOption = Annotated[bool, typer.Option(
    "--group-alike", help="Decide users and roles that only their names tell apart (same account, policies, "
                          "path and tags) as one class, listed with its members: the edges and answers of an "
                          "organization of thousands of roles (docs/reach.md#callers-alike).")]
