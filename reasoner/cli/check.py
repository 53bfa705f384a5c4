"""`perimeter check`: IAM Access Analyzer's three custom policy checks."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from reasoner.cli.options import HELP_MARKUP, OutputFormat, positive_seconds
from reasoner.cli.usage import SingleValuedOptionsGroup

check_app = typer.Typer(help="IAM Access Analyzer's custom policy checks, answered by SMT with a witness.",
                        no_args_is_help=True, cls=SingleValuedOptionsGroup, rich_markup_mode=HELP_MARKUP)


class PolicyKind(StrEnum):
    IDENTITY = "identity"
    RESOURCE = "resource"


TimeoutOption = Annotated[float, typer.Option("--timeout", callback=positive_seconds,
                                              help="Solver timeout, seconds (UNKNOWN after).")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def _finish(result: Any, output_format: OutputFormat) -> None:
    import json

    from reasoner.checks.run import EXIT_CODES, result_text

    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(result.to_json()))
    else:
        typer.echo(result_text(result, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
    raise typer.Exit(EXIT_CODES[result.result])


def _resource_type_help() -> str:
    from reasoner.policy.resource_types import RESOURCE_TYPES

    return ("CloudFormation type of the resource the policy is on, one of: "
            + ", ".join(kind.name for kind in RESOURCE_TYPES.values()) + " (case-insensitive).")


@check_app.command("no-public-access", short_help="Can the policy grant access to a caller it does not identify?")
def no_public_access_command(
    policy: Annotated[Path, typer.Option("--policy", help="Resource-based policy file.", show_default=False)],
    resource_type: Annotated[str, typer.Option("--resource-type", help=_resource_type_help(),
                                               show_default=False)],
    timeout: TimeoutOption = 10.0,
    ipv4_width: Annotated[int, typer.Option("--max-ipv4-prefix-width", help=(
        "An aws:SourceIp range identifies callers when its prefix is at least this long."))] = 8,
    ipv6_width: Annotated[int, typer.Option("--max-ipv6-prefix-width", help=(
        "The same for IPv6 ranges."))] = 32,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Can the policy grant access to a caller that nothing in it identifies?"""
    from reasoner.checks.run import check_no_public_access, load_check_policy
    from reasoner.policy.resource_types import resource_type as lookup

    kind = lookup(resource_type)
    loaded = load_check_policy(policy, None, default=kind.policy_type)
    _finish(check_no_public_access(loaded, kind, timeout_s=timeout, max_ipv4_prefix_width=ipv4_width,
                                   max_ipv6_prefix_width=ipv6_width), output_format)


@check_app.command("no-new-access", short_help="Does the new policy allow anything the existing one does not?")
def no_new_access_command(
    existing: Annotated[Path, typer.Option("--existing", help="The policy as it is.", show_default=False)],
    new: Annotated[Path, typer.Option("--new", help="The policy as proposed.", show_default=False)],
    policy_type: Annotated[PolicyKind | None, typer.Option("--policy-type", help=(
        "identity or resource (default: resource when the policies name a Principal)."))] = None,
    timeout: TimeoutOption = 10.0,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Does the new policy allow anything the existing one does not?"""
    from reasoner.checks.run import check_no_new_access, load_check_policy

    kind = policy_type.value if policy_type is not None else None
    old_policy = load_check_policy(existing, kind)
    new_policy = load_check_policy(new, kind, default=old_policy.policy_type if kind is None else None)
    chosen = old_policy.policy_type if old_policy.policy_type is new_policy.policy_type else new_policy.policy_type
    _finish(check_no_new_access(old_policy, new_policy, chosen, timeout_s=timeout), output_format)


@check_app.command("access-not-granted", short_help="Does the policy allow any of the actions?")
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
    from reasoner.checks.run import check_access_not_granted, load_check_policy

    loaded = load_check_policy(policy, policy_type.value if policy_type is not None else None)
    _finish(check_access_not_granted(loaded, action, resource or [], loaded.policy_type, timeout_s=timeout),
            output_format)


def register(app: typer.Typer) -> None:
    app.add_typer(check_app, name="check", short_help="IAM Access Analyzer's custom policy checks, with a witness.")
