"""`perimeter check`: IAM Access Analyzer's three custom policy checks, on one policy
or on many in one call (files, directories, glob patterns), for people and for CI.

One policy file given as such prints the single-check text or JSON object of the
interface (`result`, `witness`, `reasons`); several, a directory or a pattern print a
report with one result per policy (reasoner/reports/checks.py), as do SARIF and JUnit
always. Exit code: 1 when a policy FAILs (it wins), else 3 when one is UNKNOWN, else 0.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reasoner.cli.options import (
    DEFAULT_BUDGET_UNITS,
    DEFAULT_TIMEOUT_S,
    HELP_MARKUP,
    BudgetOption,
    CacheOption,
    TimeoutOption,
    between,
    budget_of,
    input_file,
    policy_path,
    report_cache,
    result_cache,
)
from reasoner.cli.usage import SingleValuedOptionsGroup
from reasoner.errors import InputError

if TYPE_CHECKING:
    from reasoner.checks.batch import CheckReport
    from reasoner.solving.cache import ResultCache

check_app = typer.Typer(help="IAM Access Analyzer's custom policy checks, answered by SMT with a witness.",
                        no_args_is_help=True, cls=SingleValuedOptionsGroup, rich_markup_mode=HELP_MARKUP)


class PolicyKind(StrEnum):
    IDENTITY = "identity"
    RESOURCE = "resource"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


FormatOption = Annotated[CheckFormat, typer.Option("--format", help=(
    "Output format; sarif and junit report one result per policy, located at the deciding statement."))]
OutputOption = Annotated[Path | None, typer.Option("--output", help=(
    "Write the report to this file instead of stdout (written whole); with json, sarif or junit the text "
    "report still goes to stdout."))]
JobsOption = Annotated[int, typer.Option("--jobs", min=1, help=(
    "Policies checked in parallel processes (each with its own --budget and --timeout)."))]
_PATHS = "a file, a directory (its .json, .yaml and .yml files) or a quoted glob pattern; repeatable"


def _report_cache(store: ResultCache | None, report: CheckReport) -> None:
    """How many checks the cache answered (counted from the results: with --jobs the
    checks ran in other processes)."""
    if store is not None:
        store.hits = sum(1 for entry in report.entries if entry.result.reused)
        store.misses = len(report.entries) - store.hits
    report_cache(store)


def _colour(output: Path | None = None) -> bool:
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _finish(report: CheckReport, single: bool, output_format: CheckFormat, output: Path | None) -> NoReturn:
    """The single-check object for one policy named as a file (text and json); the
    report with one result per policy otherwise."""
    import json

    from reasoner.checks.run import result_text
    from reasoner.cli.report_output import deliver
    from reasoner.reports.checks import check_report_text, render_check_report

    def text_report(colour: bool) -> str:
        if single:
            return result_text(report.entries[0].result, colour=colour) + "\n"
        return check_report_text(report, colour=colour)

    if output_format is CheckFormat.TEXT:
        text = text_report(_colour(output))
    elif single and output_format is CheckFormat.JSON:
        text = json.dumps(report.entries[0].result.to_json()) + "\n"
    else:
        text = render_check_report(report, output_format.value)
    deliver(text, output_format.value, output, lambda: text_report(_colour()))
    raise typer.Exit(report.exit_code)


def _resource_type_help() -> str:
    from reasoner.policy.resource_types import TYPES

    return ("CloudFormation type of the resource the policies are on, one of: "
            + ", ".join(kind.name + "".join(f" (or {alias})" for alias in kind.aliases) for kind in TYPES)
            + " (case-insensitive).")


def _single(values: list[Path]) -> bool:
    return len(values) == 1 and values[0].is_file()


@check_app.command("no-public-access", short_help="Can the policy grant access to a caller it does not identify?")
def no_public_access_command(
    policy: Annotated[list[Path], typer.Option("--policy", parser=policy_path,
                                               help=f"Resource-based policy: {_PATHS}.", show_default=False)],
    resource_type: Annotated[str, typer.Option("--resource-type", help=_resource_type_help(),
                                               show_default=False)],
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    ipv4_width: Annotated[int, typer.Option("--max-ipv4-prefix-width", callback=between(1, 32), help=(
        "An aws:SourceIp range identifies callers when its prefix is at least this long."))] = 8,
    ipv6_width: Annotated[int, typer.Option("--max-ipv6-prefix-width", callback=between(1, 128), help=(
        "The same for IPv6 ranges."))] = 32,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Can the policy grant access to a caller that nothing in it identifies?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, run_jobs
    from reasoner.checks.run import load_check_policy
    from reasoner.cli.report_output import sarif_on_error
    from reasoner.policy.resource_types import resource_type as lookup

    chosen_budget = budget_of(budget, timeout)
    with sarif_on_error(output_format.value, output):
        store = result_cache(cache)
        kind = lookup(resource_type)
        work = [CheckJob("no-public-access", load_check_policy(path, None, default=kind.policy_type), chosen_budget,
                         resource_type=kind, max_ipv4_prefix_width=ipv4_width, max_ipv6_prefix_width=ipv6_width,
                         cache=store)
                for path in expand_policy_paths(policy, "--policy")]
        report = run_jobs("no-public-access", work, jobs)
        _report_cache(store, report)
        _finish(report, _single(policy), output_format, output)


@check_app.command("no-new-access", short_help="Does the new policy allow anything the existing one does not?")
def no_new_access_command(
    existing: Annotated[Path | None, typer.Option("--existing", parser=input_file, help=(
        "The policy as it is: every --new policy is compared with it."), show_default=False)] = None,
    new: Annotated[list[Path] | None, typer.Option("--new", parser=policy_path,
                                                   help=f"The policy as proposed: {_PATHS}.",
                                                   show_default=False)] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", parser=input_file, help=(
        "A JSON or YAML list of {existing: FILE, new: FILE} (paths relative to it): many comparisons, each "
        "with its own existing policy, in one call."), show_default=False)] = None,
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policies name a Principal)."))] = None,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Does the new policy allow anything the existing one does not?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, read_pairs, run_jobs
    from reasoner.checks.run import load_check_policy
    from reasoner.cli.report_output import sarif_on_error
    from reasoner.policy.model import Policy

    chosen_budget = budget_of(budget, timeout)
    with sarif_on_error(output_format.value, output):
        if (existing is None) != (not new):
            raise InputError("--existing" if existing is None else "--new", "",
                             "missing: give --existing and --new together (or --pairs FILE)")
        if existing is None and pairs is None:
            raise InputError("--new", "", "missing: give --existing FILE --new PATH, or --pairs FILE")
        store = result_cache(cache)
        kind = policy_type.value if policy_type is not None else None
        files = [(existing, path) for path in expand_policy_paths(new or [], "--new")] if existing else []
        files += read_pairs(pairs) if pairs is not None else []
        references: dict[Path, Policy] = {}

        def load(old_path: Path, new_path: Path) -> tuple[Policy, Policy]:
            if old_path not in references:
                references[old_path] = load_check_policy(old_path, kind)
            old_policy = references[old_path]
            new_policy = load_check_policy(new_path, kind, default=old_policy.policy_type if kind is None else None)
            return old_policy, new_policy

        work = [CheckJob("no-new-access", new_policy, chosen_budget, existing=old_policy, cache=store)
                for old_policy, new_policy in (load(old_path, new_path) for old_path, new_path in files)]
        report = run_jobs("no-new-access", work, jobs)
        _report_cache(store, report)
        single = pairs is None and existing is not None and existing.is_file() and _single(new or [])
        _finish(report, single, output_format, output)


@check_app.command("access-not-granted", short_help="Does the policy allow any of the actions?")
def access_not_granted_command(
    policy: Annotated[list[Path], typer.Option("--policy", parser=policy_path, help=f"Policy: {_PATHS}.",
                                               show_default=False)],
    action: Annotated[list[str], typer.Option("--action", help="An action that must not be allowed (repeatable).",
                                              show_default=False)],
    resource: Annotated[list[str] | None, typer.Option("--resource", help=(
        "Only on these resources (repeatable; wildcards allowed in the resource part)."))] = None,
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policy names a Principal)."))] = None,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    output_format: FormatOption = CheckFormat.TEXT,
    output: OutputOption = None,
    jobs: JobsOption = 1,
    cache: CacheOption = None,
) -> None:
    """Does the policy allow any of the actions (on the resources)?"""
    from reasoner.checks.batch import CheckJob, expand_policy_paths, run_jobs
    from reasoner.checks.run import check_access_arguments, load_check_policy
    from reasoner.cli.report_output import sarif_on_error

    with sarif_on_error(output_format.value, output):
        check_access_arguments(action, resource or [])
        store = result_cache(cache)
        kind = policy_type.value if policy_type is not None else None
        work = [CheckJob("access-not-granted", load_check_policy(path, kind), budget_of(budget, timeout),
                         actions=tuple(action), resources=tuple(resource or ()), cache=store)
                for path in expand_policy_paths(policy, "--policy")]
        report = run_jobs("access-not-granted", work, jobs)
        _report_cache(store, report)
        _finish(report, _single(policy), output_format, output)


def register(app: typer.Typer) -> None:
    app.add_typer(check_app, name="check", short_help="IAM Access Analyzer's custom policy checks, with a witness.")
