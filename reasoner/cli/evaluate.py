"""`perimeter evaluate`: decide scenario files by the reference semantics."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from reasoner.cli.options import OutputFormat, input_file


def evaluate_command(
    scenario: Annotated[
        list[Path], typer.Argument(metavar="SCENARIO", parser=input_file, help="Scenario files (JSON or YAML).",
                                   show_default=False)
    ],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.TEXT,
) -> None:
    """Decide each scenario's request by the reference semantics."""
    from reasoner.checks.public_facts import with_public_facts
    from reasoner.evaluation.explain import evaluate_scenarios, evaluation_json, evaluation_text

    evaluations = evaluate_scenarios(scenario, prepare=with_public_facts)
    if output_format is OutputFormat.JSON:
        typer.echo("\n".join(evaluation_json(evaluation) for evaluation in evaluations))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        typer.echo("\n".join(evaluation_text(evaluation, colour=colour) for evaluation in evaluations))


def register(app: typer.Typer) -> None:
    app.command("evaluate", short_help="Decide scenario files by the reference semantics.")(evaluate_command)
