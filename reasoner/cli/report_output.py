"""Where a command's report goes, the same for `prove` and `check`.

Without `--output` the report goes to stdout. With `--output FILE` it is written whole
to FILE (through a temporary file beside it, so a reader never sees half a report) and,
when it is a machine format (json, sarif, junit), the text report still goes to stdout
for the job log. With `--format sarif --output FILE`, a run that stops on an error
(bad input, exit 2) writes a valid SARIF log with no results and the error as a tool
notification, so the CI step that uploads FILE does not fail a second time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import typer

from reasoner.cli.failures import exit_code_for, one_line
from reasoner.errors import PerimeterError


def write_whole(path: Path, text: str) -> None:
    """Write `text` to `path` in one step: a temporary file beside it, then a rename."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def deliver(report: str, output_format: str, output: Path | None, text_report: Callable[[], str]) -> None:
    """The report to stdout, or to `output` with the text report on stdout."""
    if output is None:
        typer.echo(report, nl=not report.endswith("\n"))
        return
    write_whole(output, report)
    if output_format != "text":
        text = text_report()
        typer.echo(text, nl=not text.endswith("\n"))


@contextlib.contextmanager
def sarif_on_error(output_format: str, output: Path | None) -> Iterator[None]:
    """On an error that stops the command, an empty SARIF log naming it at `output`
    (only for `--format sarif --output FILE`); the error then goes on to the app's one
    handler (one line on stderr, exit 2 or 3)."""
    try:
        yield
    except (PerimeterError, OSError) as error:
        if output_format == "sarif" and output is not None:
            from reasoner.reports.sarif import error_sarif

            with contextlib.suppress(OSError):  # the error being reported may be that FILE cannot be written
                write_whole(output, error_sarif(f"error: {one_line(error)}", exit_code_for(error)))
        raise
