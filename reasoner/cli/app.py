"""The `perimeter` command line: thin typer commands over the library.

Errors are turned into messages and exit codes in one place, `_PerimeterGroup.invoke`
(the interface's exit codes: 2 for bad input or usage, 3 for UNKNOWN). Modules that
pull in z3, networkx or the action catalogue are imported inside the commands that
need them, so `perimeter evaluate` over hundreds of files starts fast.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reasoner import tool_version
from reasoner.cli.collector import pace_for_one_command
from reasoner.cli.failures import EXIT_BAD_INPUT, EXIT_UNKNOWN, exit_code_for, one_line
from reasoner.cli.options import HELP_MARKUP
from reasoner.cli.usage import SingleValuedOptionsGroup
from reasoner.cli.usage_errors import one_line_usage_errors
from reasoner.errors import PerimeterError

__all__ = ["EXIT_BAD_INPUT", "EXIT_UNKNOWN", "app", "exit_code_for", "main"]


class _PerimeterGroup(SingleValuedOptionsGroup):
    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with one_line_usage_errors():  # the top command's own options
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer keeps its click module private
        try:
            with one_line_usage_errors():  # every subcommand's options and arguments
                return super().invoke(ctx)
        except (PerimeterError, OSError) as error:
            if ctx.params.get("debug"):
                raise
            typer.echo(f"error: {one_line(error)}", err=True)
            raise typer.Exit(exit_code_for(error)) from None


app = typer.Typer(
    cls=_PerimeterGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=HELP_MARKUP,
    help=("Prove an AWS IAM perimeter with SMT, or get the request that breaks it.\n\n"
          "Results are PASS (holds; exit 0), FAIL (broken, with a witness request replayed through the "
          "reference evaluator; exit 1) or UNKNOWN (not decided; exit 3, never a PASS); bad input or usage "
          "exits 2."),
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"perimeter {tool_version()}")
        raise typer.Exit(0)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Prove an AWS IAM perimeter with SMT, or get the request that breaks it."""


def _register_commands() -> None:
    from reasoner.cli import accounts, check, collect, dev, evaluate, prove

    for group in (evaluate, prove, check, accounts, collect, dev):
        group.register(app)


_register_commands()


def main() -> None:
    pace_for_one_command()
    app()
