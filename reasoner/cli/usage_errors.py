"""Usage errors of the command-line parser as one line, like every other error.

Click and typer report a bad choice, a missing argument, a value that is not a
number or an unknown option with a boxed usage text over several lines; here they
become `error: --format: 'bogus' is not one of 'text', 'json'` on stderr, exit 2.
The help shown when a group is called without arguments stays as it is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import typer

# typer 0.29 parses with its own copy of click and raises that copy's exceptions
from typer._click import exceptions as errors

EXIT_USAGE = 2


def usage_message(error: errors.UsageError) -> str:
    """`NAME: what is wrong`, NAME being the option, argument or command at fault."""
    if isinstance(error, errors.MissingParameter):
        return f"{_name(error.param, error.param_hint)}: missing"
    if isinstance(error, errors.BadParameter):
        return f"{_name(error.param, error.param_hint)}: {_with_value(error)}"
    if isinstance(error, errors.NoSuchOption):
        hint = f" (did you mean {', '.join(sorted(error.possibilities))}?)" if error.possibilities else ""
        return f"{error.option_name}: no such option{hint}"
    if isinstance(error, errors.BadOptionUsage):
        if error.message.endswith("requires an argument."):
            return f"{error.option_name}: needs a value"
        return f"{error.option_name}: {_sentence(error.message)}"
    message = _sentence(error.format_message())
    if unknown := _NO_SUCH_COMMAND.fullmatch(message):
        return f"{unknown[1]}: no such command"
    if extra := _EXTRA_ARGUMENTS.fullmatch(message):
        return f"{extra[1]}: unexpected extra argument"
    return message


def _name(param: Any, hint: Any) -> str:
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(opts[0])
    if param is not None:  # an argument, by its metavar as the usage line shows it
        return str(getattr(param, "metavar", None) or (param.name or "argument").upper())
    if isinstance(hint, list | tuple):
        return " / ".join(str(item) for item in hint)
    return str(hint) if hint else "argument"


def _with_value(error: errors.BadParameter) -> str:
    """The message, with the value given when it does not name it already (typer's
    coercion says "Input should be a valid number" and keeps the value in its cause)."""
    message = _sentence(error.message)
    details = getattr(error.__cause__, "errors", None)
    given = details()[0].get("input") if callable(details) and details() else None
    if isinstance(given, str) and given not in message:
        return f'"{given}": {message[:1].lower()}{message[1:]}'
    return message


def _sentence(text: str) -> str:
    """One line, without the closing full stop click adds, nor the "Value error, "
    typer's coercion puts before a bad choice."""
    return " ".join(text.split()).removeprefix("Value error, ").rstrip(".")


_NO_SUCH_COMMAND = re.compile(r"No such command '(.*)'")
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)")


@contextlib.contextmanager
def one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except errors.NoArgsIsHelpError:
        raise  # a group called alone shows its help
    except errors.UsageError as error:
        typer.echo(f"error: {usage_message(error)}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
