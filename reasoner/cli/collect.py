"""`perimeter collect`: a snapshot of a live AWS organization (or of some accounts) in
one command, the only command that talks to AWS (or to the endpoint given).

Exit codes: 0 the snapshot is complete; 3 it is written but some pieces could not be
read (collection.json names them, and the analyses answer UNKNOWN where they matter);
2 nothing was written (bad options, the caller or the organization unreadable).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from reasoner.cli.options import at_least_one, between
from reasoner.errors import InputError

EXIT_COMPLETE, EXIT_INCOMPLETE = 0, 3
_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")


class RetryMode(StrEnum):
    STANDARD = "standard"
    ADAPTIVE = "adaptive"


def _regions(text: str) -> tuple[str, ...] | None:
    if text == "all":
        return None
    regions = tuple(dict.fromkeys(r.strip() for r in text.split(",") if r.strip()))
    bad = [r for r in regions if not _REGION.fullmatch(r)]
    if not regions or bad:
        raise InputError("--regions", "", f'"{bad[0] if bad else text}" is not a region (eu-west-1,...) nor "all"')
    return regions


class _Bars:
    """A progress bar per account on stderr, only on a terminal."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.tasks: dict[str, Any] = {}

    def start(self, account: str, total: int) -> None:
        self.tasks[account] = self.progress.add_task(f"account {account}", total=total)

    def advance(self, account: str) -> None:
        self.progress.advance(self.tasks[account])


@contextlib.contextmanager
def _bars() -> Iterator[_Bars | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        yield _Bars(progress)


def collect_command(
    output: Annotated[Path, typer.Option("--output", help="The snapshot folder to write (new, or one collect wrote).",
                                         show_default=False)],
    regions: Annotated[str, typer.Option("--regions", help=(
        "Comma-separated regions, or all (every region enabled in each account).")) ] = "all",
    accounts: Annotated[list[str] | None, typer.Option("--accounts", help=(
        "An account to collect (repeatable); entered with --role-name unless it is the caller's."))] = None,
    organization: Annotated[bool, typer.Option("--organization", help=(
        "Every active account of the organization (from the management account or a delegated "
        "administrator)."))] = False,
    role_name: Annotated[str, typer.Option("--role-name", help="The role assumed in each account.")] =
    "OrganizationAccountAccessRole",
    profile: Annotated[str | None, typer.Option("--profile", help="An AWS CLI profile for the caller.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", callback=between(1, 64), help="Calls in flight at once.")] = 8,
    retry_mode: Annotated[RetryMode, typer.Option("--retry-mode", help="botocore's retry mode.")] =
    RetryMode.STANDARD,
    max_attempts: Annotated[int, typer.Option("--max-attempts", callback=at_least_one, help=(
        "Attempts per call, the first included, before it is recorded as failed."))] = 8,
    home_region: Annotated[str, typer.Option("--home-region", help=(
        "Where IAM, STS, Organizations and S3's listing are called."))] = "us-east-1",
    endpoint_url: Annotated[str | None, typer.Option("--endpoint-url", help=(
        "Send every call to this endpoint (an AWS API emulator) instead of AWS."))] = None,
    object_acls: Annotated[int, typer.Option("--object-acls", callback=between(0, 100_000), help=(
        "Read the ACLs of up to N objects per bucket whose ACLs are in force (0: none; a bucket whose "
        "objects' ACLs are not all read is named missing)."))] = 0,
) -> None:
    """Collect a snapshot of an AWS organization (or of some accounts) for reach, who-can, graph and prove.

    Read-only calls; every call that fails is recorded in collection.json, never read as "no policy"."""
    from reasoner.collect import CollectOptions, collect
    from reasoner.collect.sessions import ClientSettings

    if organization and accounts:
        raise InputError("--accounts", "", "give --accounts or --organization, not both")
    for account in accounts or []:
        if not _ACCOUNT.fullmatch(account):
            raise InputError("--accounts", "", f'"{account}" is not a 12-digit account id')
    if not _REGION.fullmatch(home_region):
        raise InputError("--home-region", "", f'"{home_region}" is not a region')
    options = CollectOptions(
        output=output, regions=_regions(regions), accounts=tuple(accounts or ()), organization=organization,
        role_name=role_name, profile=profile, jobs=jobs, home_region=home_region, object_acls=object_acls,
        settings=ClientSettings(endpoint_url=endpoint_url, retry_mode=retry_mode.value, max_attempts=max_attempts,
                                connections=max(10, jobs)))
    with _bars() as bars:
        result = collect(options, progress=bars)
    typer.echo(summary(result.output, result.manifest))
    raise typer.Exit(EXIT_COMPLETE if result.complete else EXIT_INCOMPLETE)


def summary(output: Path, manifest: dict[str, Any]) -> str:
    accounts = manifest["accounts"]
    calls = sum(manifest["calls"].values())
    lines = [f"collected {len(accounts)} account(s) into {output} ({calls} API calls, "
             f"{len(manifest['failures'])} failed) as {manifest['caller']}"]
    if manifest["complete"]:
        lines.append("complete: every piece was read")
        return "\n".join(lines)
    missing = manifest["missing"]
    lines.append(f"INCOMPLETE: {len(missing)} missing piece(s), listed in {output / 'collection.json'}; "
                 "reach, who-can and graph answer UNKNOWN where a path depends on one:")
    for piece in missing[:10]:
        where = " ".join(str(piece[key]) for key in ("account", "region", "service", "arn") if key in piece)
        lines.append(f"  {piece['kind']} {where}: {piece['reason']}")
    if len(missing) > 10:
        lines.append(f"  ... and {len(missing) - 10} more")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("collect", short_help="Collect a snapshot of a live AWS organization (read-only).")(collect_command)
