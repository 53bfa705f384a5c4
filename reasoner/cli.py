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

from reasoner.cli_values import positive_seconds
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
    timeout: Annotated[float, typer.Option("--timeout", callback=positive_seconds,
                                                        help="Solver timeout per query, seconds.")] = 10.0,
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


check_app = typer.Typer(help="IAM Access Analyzer's custom policy checks, answered by SMT with a witness.",
                        no_args_is_help=True)
app.add_typer(check_app, name="check")


class PolicyKind(StrEnum):
    IDENTITY = "identity"
    RESOURCE = "resource"


TimeoutOption = Annotated[float, typer.Option("--timeout", callback=positive_seconds,
                                              help="Solver timeout, seconds (UNKNOWN after).")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def _finish(result: Any, output_format: OutputFormat) -> None:
    import json

    from reasoner.checks import EXIT_CODES, result_text

    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(result.to_json()))
    else:
        typer.echo(result_text(result, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
    raise typer.Exit(EXIT_CODES[result.result])


@check_app.command("no-public-access")
def no_public_access_command(
    policy: Annotated[Path, typer.Option("--policy", help="Resource-based policy file.", show_default=False)],
    resource_type: Annotated[str, typer.Option("--resource-type", help="CloudFormation type, e.g. AWS::S3::Bucket.",
                                               show_default=False)],
    timeout: TimeoutOption = 10.0,
    ipv4_width: Annotated[int, typer.Option("--max-ipv4-prefix-width", help=(
        "An aws:SourceIp range identifies callers when its prefix is at least this long."))] = 8,
    ipv6_width: Annotated[int, typer.Option("--max-ipv6-prefix-width", help=(
        "The same for IPv6 ranges."))] = 32,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Can the policy grant access to a caller that nothing in it identifies?"""
    from reasoner.checks import check_no_public_access, load_check_policy
    from reasoner.resource_types import resource_type as lookup

    kind = lookup(resource_type)
    loaded = load_check_policy(policy, None, default=kind.policy_type)
    _finish(check_no_public_access(loaded, kind, timeout_s=timeout, max_ipv4_prefix_width=ipv4_width,
                                   max_ipv6_prefix_width=ipv6_width), output_format)


@check_app.command("no-new-access")
def no_new_access_command(
    existing: Annotated[Path, typer.Option("--existing", help="The policy as it is.", show_default=False)],
    new: Annotated[Path, typer.Option("--new", help="The policy as proposed.", show_default=False)],
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policies name a Principal)."))] = None,
    timeout: TimeoutOption = 10.0,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Does the new policy allow anything the existing one does not?"""
    from reasoner.checks import check_no_new_access, load_check_policy

    kind = policy_type.value if policy_type is not None else None
    old_policy = load_check_policy(existing, kind)
    new_policy = load_check_policy(new, kind, default=old_policy.policy_type if kind is None else None)
    chosen = old_policy.policy_type if old_policy.policy_type is new_policy.policy_type else new_policy.policy_type
    _finish(check_no_new_access(old_policy, new_policy, chosen, timeout_s=timeout), output_format)


@check_app.command("access-not-granted")
def access_not_granted_command(
    policy: Annotated[Path, typer.Option("--policy", help="Policy file.", show_default=False)],
    action: Annotated[list[str], typer.Option("--action", help="An action that must not be allowed (repeatable).",
                                              show_default=False)],
    resource: Annotated[list[str] | None, typer.Option("--resource", help=(
        "Only on these resources (repeatable; wildcards allowed in the resource part)."))] = None,
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policy names a Principal)."))] = None,
    timeout: TimeoutOption = 10.0,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Does the policy allow any of the actions (on the resources)?"""
    from reasoner.checks import check_access_not_granted, load_check_policy

    loaded = load_check_policy(policy, policy_type.value if policy_type is not None else None)
    _finish(check_access_not_granted(loaded, action, resource or [], loaded.policy_type, timeout_s=timeout),
            output_format)


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


def _register_snapshot_commands() -> None:
    from reasoner.graph_cli import register

    register(app)


_register_snapshot_commands()


def _register_bench_commands() -> None:
    from reasoner.bench_cli import register

    register(app)


_register_bench_commands()


def main() -> None:
    app()
