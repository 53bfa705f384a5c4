"""The `perimeter` command line: thin typer commands over the library.

Errors are turned into messages and exit codes in one place, `_PerimeterGroup.invoke`
(the interface's exit codes: 2 for bad input or usage, 3 for UNKNOWN). Modules that
pull in z3, networkx or the action catalogue are imported inside the commands that
need them, so `perimeter evaluate` over hundreds of files starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from reasoner.errors import EncodingError, PerimeterError, SolverError

EXIT_BAD_INPUT = 2
EXIT_UNKNOWN = 3


def exit_code_for(error: PerimeterError) -> int:
    """A construct the encoding does not support, or a solver that gives up, is UNKNOWN
    (exit 3), never PASS; every other error is bad input (exit 2)."""
    return EXIT_UNKNOWN if isinstance(error, EncodingError | SolverError) else EXIT_BAD_INPUT


class _PerimeterGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:  # a click Context; typer keeps its click module private
        try:
            return super().invoke(ctx)
        except (PerimeterError, OSError) as error:
            if ctx.params.get("debug"):
                raise
            typer.echo(f"error: {_one_line(error)}", err=True)
            code = exit_code_for(error) if isinstance(error, PerimeterError) else EXIT_BAD_INPUT
            raise typer.Exit(code) from None


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split())


app = typer.Typer(
    cls=_PerimeterGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="Prove an AWS IAM perimeter with SMT, or get the request that breaks it.",
)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Prove an AWS IAM perimeter with SMT, or get the request that breaks it."""


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("evaluate")
def evaluate_command(
    scenario: Annotated[
        list[Path], typer.Argument(metavar="SCENARIO", help="Scenario files (JSON or YAML).", show_default=False)
    ],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.TEXT,
) -> None:
    """Decide each scenario's request by the reference semantics."""
    from reasoner.report import evaluate_scenarios, evaluation_json, evaluation_text

    evaluations = evaluate_scenarios(scenario)
    if output_format is OutputFormat.JSON:
        typer.echo("\n".join(evaluation_json(evaluation) for evaluation in evaluations))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        typer.echo("\n".join(evaluation_text(evaluation, colour=colour) for evaluation in evaluations))


class ProofFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


@app.command("prove")
def prove_command(
    perimeter_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Perimeter file (YAML, TOML or JSON).", show_default=False)
    ],
    output_format: Annotated[ProofFormat, typer.Option("--format", help="Output format.")] = ProofFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the report to this file instead of stdout.")
    ] = None,
    max_findings: Annotated[
        int, typer.Option("--max-findings", min=1, help="Findings to enumerate per invariant at most.")
    ] = 20,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Solver timeout per query, seconds.")] = 10.0,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Accept the findings listed in this baseline file.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Write every finding of this run to a baseline file.")
    ] = None,
) -> None:
    """Prove every invariant of a perimeter file; list the findings that break them, each with a witness."""
    from reasoner.findings import exit_code, load_baseline
    from reasoner.perimeter import load_perimeter
    from reasoner.prove import prove_perimeter
    from reasoner.reports.render import render_report

    accepted = load_baseline(baseline) if baseline is not None else None
    perimeter = load_perimeter(perimeter_file)
    with _progress_bar(enabled=output_format is ProofFormat.TEXT and sys.stderr.isatty()) as progress:
        report = prove_perimeter(perimeter, max_findings=max_findings, timeout_s=timeout, progress=progress)
    colour = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = render_report(report, output_format.value, accepted, colour=colour)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
    if write_baseline is not None:
        from reasoner.findings import baseline_json

        write_baseline.write_text(baseline_json(report), encoding="utf-8")
    raise typer.Exit(exit_code(report, accepted))


@contextlib.contextmanager
def _progress_bar(*, enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr for people watching a terminal; nothing in CI logs."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("proving", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield update


def main() -> None:
    app()
