"""CLI commands over account snapshots: `reach`, `who-can`, `graph`, `org-convert`.

Registered on the main app by `register(app)`; errors reach the app's one handler
(exit 2 for bad input). Results in the vocabulary of every command: FAIL (a path
found; exit 1), PASS (none, proven; exit 0), UNKNOWN (exit 3).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from reasoner.cli.options import (
    DEFAULT_BUDGET_UNITS,
    DEFAULT_TIMEOUT_S,
    BudgetOption,
    CacheOption,
    ClusterOption,
    GroupAlikeOption,
    TimeoutOption,
    at_least_one,
    budget_of,
    report_cache,
    result_cache,
)
from reasoner.errors import InputError

EXIT_NO_PATH, EXIT_PATH, EXIT_UNKNOWN = 0, 1, 3


class ReachFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class WhoCanFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class GraphFormat(StrEnum):
    DOT = "dot"
    GRAPHML = "graphml"
    MERMAID = "mermaid"
    JSON = "json"
    MARKDOWN = "markdown"


SnapshotOption = Annotated[Path, typer.Option("--snapshot", help="Snapshot folder (see docs/snapshots.md).",
                                              show_default=False)]
JobsOption = Annotated[int, typer.Option("--jobs", callback=at_least_one, help="Edges decided in parallel processes.")]
AccountOption = Annotated[str | None, typer.Option("--resource-account", help=(
    "Owner of a resource the snapshot does not list (S3 ARNs carry no account)."))]


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """Edges decided so far, on stderr, only on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("deciding edges", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _reachability(snapshot: Path, budget: float, timeout: float, jobs: int, progress: Any,
                  cache: Path | None, cluster: str | None, group_alike: bool = False, *,
                  answers_only: bool = False) -> Any:
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    return Reachability(load_snapshot(snapshot), budget=budget_of(budget, timeout), jobs=jobs,
                        progress=progress, store=result_cache(cache), cluster=cluster, group_alike=group_alike,
                        answers_only=answers_only)


def _warnings(reach: Any) -> list[Any]:
    from reasoner.policy.lint import policy_warnings

    return policy_warnings(reach.snapshot.policies())


def _with_warnings(document: dict[str, Any], warnings: list[Any]) -> dict[str, Any]:
    """JSON output gets a `warnings` list (policy lint) when there is any."""
    if warnings:
        document["warnings"] = [warning.to_json() for warning in warnings]
    return document


def _warning_text(warnings: list[Any]) -> str:
    return "".join(f"\nwarning: {warning.text}" for warning in warnings)


def _warn_on_stderr(warnings: list[Any]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning.text}", err=True)


def reach_command(
    snapshot: SnapshotOption,
    source: Annotated[str, typer.Option("--from", help=(
        "A principal class (outside-org, anonymous, account:ID, roles:ID:NAME_PATTERN, service:NAME, "
        "federated:PROVIDER) or a user or role ARN of the snapshot."), show_default=False)],
    target: Annotated[str, typer.Option("--to", help="The resource ARN (or a role ARN).", show_default=False)],
    action: Annotated[list[str], typer.Option("--action", help="An action (repeatable).", show_default=False)],
    resource_account: AccountOption = None,
    output_format: Annotated[ReachFormat, typer.Option("--format", help="Output format.")] = ReachFormat.TEXT,
    jobs: JobsOption = 1,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    cache: CacheOption = None,
    cluster: ClusterOption = None,
    group_alike: GroupAlikeOption = False,
) -> None:
    """Is there a chain of role assumptions from a principal class to a resource?

    FAIL (exit 1): a path, with one witness request per hop replayed through the reference evaluator.
    PASS (exit 0): no path, with the proof's counts. UNKNOWN (exit 3): an undecided edge could complete
    a path."""
    import json

    from reasoner.accounts.edges import FAIL, PASS
    from reasoner.accounts.reach import answer_json, answer_text
    from reasoner.policy.catalogue import check_actions

    check_actions(action, "--action")
    with _progress() as progress:
        reach = _reachability(snapshot, budget, timeout, jobs, progress, cache, cluster, group_alike)
        answer = reach.reach(source, target, action, resource_account=resource_account)
    report_cache(reach.store)
    warnings = _warnings(reach)
    if output_format is ReachFormat.JSON:
        typer.echo(json.dumps(_with_warnings(answer_json(answer), warnings), indent=2))
    else:
        typer.echo(answer_text(answer) + _warning_text(warnings))
    raise typer.Exit(EXIT_PATH if answer.result == FAIL else EXIT_NO_PATH if answer.result == PASS else EXIT_UNKNOWN)


def who_can_command(
    action: Annotated[str, typer.Argument(metavar="ACTION", show_default=False, help=(
        "The action, as service:Action (e.g. s3:GetObject)."))],
    resource: Annotated[str, typer.Argument(metavar="RESOURCE", show_default=False, help=(
        "The resource's ARN (or a role's): one the snapshot lists, or any ARN naming its account "
        "(else give --resource-account)."))],
    snapshot: SnapshotOption,
    resource_account: AccountOption = None,
    output_format: Annotated[WhoCanFormat, typer.Option("--format", help=(
        "Output format; markdown: a summary for a pull request or GITHUB_STEP_SUMMARY, with a Mermaid "
        "diagram of the paths from outside (docs/graph.md)."))] = WhoCanFormat.TEXT,
    jobs: JobsOption = 1,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    cache: CacheOption = None,
    cluster: ClusterOption = None,
    group_alike: GroupAlikeOption = False,
) -> None:
    """Every principal and principal class that can perform ACTION on RESOURCE.

    Indirect ones come with their path. FAIL (exit 1) when a class outside the zone of trust (the
    organization, or the snapshot's accounts) can, with its witness path replayed; else UNKNOWN (exit 3)
    when some principal might (an undecided edge); else PASS (exit 0)."""

    from reasoner.accounts.edges import FAIL, UNKNOWN
    from reasoner.accounts.reach import who_can_result
    from reasoner.policy.catalogue import check_actions

    check_actions([action], "ACTION")
    with _progress() as progress:
        reach = _reachability(snapshot, budget, timeout, jobs, progress, cache, cluster, group_alike,
                              answers_only=output_format is not WhoCanFormat.MARKDOWN)
        if output_format is WhoCanFormat.MARKDOWN:  # the picture draws the graph
            entries = reach.who_can(action, resource, resource_account=resource_account)
        else:
            answer = reach.who_can_answer(action, resource, resource_account=resource_account)
    report_cache(reach.store)
    warnings = _warnings(reach)
    if output_format is WhoCanFormat.MARKDOWN:
        from reasoner.accounts.picture_view import build_picture
        from reasoner.reports.markdown import who_can_markdown

        picture = build_picture(reach, [(reach.target(resource, resource_account), (action,))])
        typer.echo(who_can_markdown(picture, action, resource, entries), nl=False)
        _warn_on_stderr(warnings)
        result = who_can_result(entries)
    else:
        if output_format is WhoCanFormat.JSON:
            typer.echo(answer.json_with([warning.to_json() for warning in warnings]))
        else:
            typer.echo(answer.text + _warning_text(warnings))
        result = answer.result
    raise typer.Exit(EXIT_PATH if result == FAIL else EXIT_UNKNOWN if result == UNKNOWN else EXIT_NO_PATH)


def graph_command(
    snapshot: SnapshotOption,
    output_format: Annotated[GraphFormat, typer.Option("--format", help=(
        "Output format; markdown (needs --to): a summary for a pull request or GITHUB_STEP_SUMMARY, with a "
        "Mermaid diagram of the paths from outside (docs/graph.md)."))] = GraphFormat.JSON,
    html: Annotated[Path | None, typer.Option("--html", help=(
        "Also write the access picture here: a self-contained HTML page (docs/graph.md)."))] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the graph here instead of stdout.")] = None,
    source: Annotated[str | None, typer.Option("--from", help=(
        "Draw red the paths from this principal class (default: from every class outside the zone of "
        "trust) ..."))] = None,
    target: Annotated[str | None, typer.Option("--to", help="... to this resource.")] = None,
    action: Annotated[list[str] | None, typer.Option("--action", help="Actions on --to (repeatable).")] = None,
    resource_account: AccountOption = None,
    with_absent: Annotated[bool, typer.Option("--with-absent", help="Include edges proven absent.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help=(
        "Picture every node, not only those on some path to --to."))] = False,
    fold: Annotated[bool, typer.Option("--fold/--no-fold", help=(
        "Picture equivalent users and roles of an account as one node with a count."))] = True,
    jobs: JobsOption = 1,
    budget: BudgetOption = DEFAULT_BUDGET_UNITS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    cache: CacheOption = None,
    cluster: ClusterOption = None,
    group_alike: GroupAlikeOption = False,
) -> None:
    """Every role-assumption edge of the snapshot (and access edges to --to), exported; --html draws the
    access picture, --format markdown summarises the paths from outside."""
    from reasoner.accounts.export import render
    from reasoner.policy.catalogue import check_actions

    check_actions(action or (), "--action")
    if (target is None) != (not action):
        raise typer.BadParameter("give --to and --action together")
    if output_format is GraphFormat.MARKDOWN and target is None:
        raise typer.BadParameter("--format markdown summarises the paths to a resource: give --to and --action")
    with _progress() as progress:
        reach = _reachability(snapshot, budget, timeout, jobs, progress, cache, cluster, group_alike)
        targets = [] if target is None else [(reach.target(target, resource_account), tuple(action or ()))]
        reach.build(targets)
        path: list[Any] = []
        origin = None if source is None else reach.source_node(source)
        if origin is not None and target is not None:
            path = reach.path(origin, targets[0][0].node) or []
    report_cache(reach.store)
    picture = None
    if html is not None or output_format is GraphFormat.MARKDOWN:
        from reasoner.accounts.picture_view import build_picture

        title = f"perimeter graph: {snapshot.name}" + ("" if target is None else f", access to {target}")
        picture = build_picture(reach, targets, source=origin, show_all=show_all, fold=fold,
                                with_absent=with_absent, title=title)
    if output_format is GraphFormat.MARKDOWN:
        from reasoner.reports.markdown import picture_markdown

        assert picture is not None
        text = picture_markdown(picture, f"perimeter graph: access to `{target}` ({', '.join(action or ())})")
    else:
        text = render(reach.graph, output_format.value, path, with_absent=with_absent)
    warnings = _warnings(reach)
    if output_format is GraphFormat.JSON and warnings:
        import json

        text = json.dumps(_with_warnings(json.loads(text), warnings), indent=2) + "\n"
    elif warnings:  # dot, GraphML, Mermaid and Markdown have no place for them
        _warn_on_stderr(warnings)
    page = None
    if html is not None:
        from reasoner.accounts.picture_html import to_html
        from reasoner.accounts.picture_layout import TooLarge

        assert picture is not None
        try:
            page = to_html(picture)
        except TooLarge as error:
            raise InputError("--html", "", str(error)) from None
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
    if html is not None and page is not None:
        html.write_text(page, encoding="utf-8")


def org_convert_command(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Raw `aws organizations` outputs.",
                                           show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", help="Write organization.json here.")] = None,
) -> None:
    """Turn raw `aws organizations` outputs into a snapshot's organization.json."""
    from reasoner.inputs.organization import convert_organization_text

    text = convert_organization_text(folder)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.command("reach", short_help="Is there a path from a principal class to a resource?")(reach_command)
    app.command("who-can", short_help="Every principal that can perform an action on a resource.")(who_can_command)
    app.command("graph", short_help="The role-assumption and access graph of a snapshot, exported.")(graph_command)
    app.command("org-convert", short_help="Turn `aws organizations` outputs into organization.json.")(
        org_convert_command)
