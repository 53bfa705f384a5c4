"""`perimeter prove`: prove the invariants of a perimeter file (the CI entry point)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reasoner.cli.options import (
    DEFAULT_BUDGET_UNITS,
    DEFAULT_TIMEOUT_S,
    BudgetOption,
    CacheOption,
    TimeoutOption,
    at_least_one,
    budget_of,
    input_file,
    report_cache,
    result_cache,
)


class ProofFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"


def prove_command(
    perimeter_file: Annotated[
        Path, typer.Argument(metavar="FILE", parser=input_file, help="Perimeter file (YAML, TOML or JSON).",
                             show_default=False)
    ],
    output_format: Annotated[ProofFormat, typer.Option("--format", help="Output format.")] = ProofFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", help=(
            "Write the report to this file instead of stdout (written whole); with json, sarif or junit the "
            "text report still goes to stdout."))
    ] = None,
    max_findings: Annotated[
        int, typer.Option("--max-findings", callback=at_least_one, help="Findings to enumerate per invariant at most.")
    ] = 20,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", parser=input_file,
                                   help="Accept the findings listed in this baseline file.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Write every finding of this run to a baseline file.")
    ] = None,
    cache: CacheOption = None,
) -> None:
    """Prove every invariant of a perimeter file (the CI entry point).

    Lists the findings that break an invariant, each with a witness request replayed through the reference
    evaluator. Exit 0 when every invariant holds, 1 on a new finding (FAIL wins over UNKNOWN), 3 when an
    invariant is UNKNOWN."""
    from reasoner.cli.report_output import deliver, sarif_on_error
    from reasoner.inputs.perimeter_file import load_perimeter
    from reasoner.prove.findings import exit_code, load_baseline
    from reasoner.prove.proof import prove_perimeter
    from reasoner.reports.render import render_report

    with sarif_on_error(output_format.value, output):
        accepted = load_baseline(baseline) if baseline is not None else None
        perimeter = load_perimeter(perimeter_file)
        store = result_cache(cache)
        with _progress_bar(enabled=output_format is ProofFormat.TEXT and sys.stderr.isatty()) as progress:
            report = prove_perimeter(perimeter, max_findings=max_findings, budget=budget_of(budget, timeout),
                                     progress=progress, store=store)
        report_cache(store)
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        text = render_report(report, output_format.value, accepted, colour=colour and output is None)
        deliver(text, output_format.value, output, lambda: render_report(report, "text", accepted, colour=colour))
    if write_baseline is not None:
        from reasoner.prove.findings import baseline_json

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


def register(app: typer.Typer) -> None:
    app.command("prove", short_help="Prove the invariants of a perimeter file (the CI entry point).")(prove_command)
