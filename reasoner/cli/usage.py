"""A single-valued option given twice is a usage error, on every command.

Click keeps the last value of a repeated option without a word, so
`check no-public-access --policy a.json --policy b.json` would check only `b.json`
and could PASS while `a.json` is public. Options that take several values say so
(`multiple`); every other option may be given once.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

from reasoner.errors import InputError


def repeated_options(command: Any, args: list[str]) -> dict[str, list[str]]:
    """The single-valued options of `command` that `args` give more than once, each with
    the values given. A flag repeated in the same spelling says nothing new; a flag given
    in both spellings (`--x` and `--no-x`) is repeated."""
    by_name = {name: param for param in command.params if getattr(param, "opts", None)
               for name in (*param.opts, *param.secondary_opts)}
    given: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        name, has_value, value = token.partition("=")
        param = by_name.get(name) if token.startswith("-") else None
        if param is None:
            continue
        takes_value = not (param.is_flag or param.count)
        if takes_value and not has_value:
            value = next(tokens, "")
        if param.multiple or param.count:
            continue
        given.setdefault(param.name, []).append(value if takes_value else name)
        names.setdefault(param.name, param.opts[0])
    return {names[key]: values for key, values in given.items()
            if len(values) > 1 and (by_name[names[key]].is_flag is False or len(set(values)) > 1)}


class SingleValuedOptionsGroup(TyperGroup):
    """A command group whose commands refuse a single-valued option given twice."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not hasattr(command, "commands"):
            repeated = repeated_options(command, rest)
            if repeated:
                option, values = next(iter(repeated.items()))
                command_path = " ".join([*ctx.command_path.split()[1:], name or ""])  # without the program's name
                raise InputError(command_path, "", (
                    f"{option} is given {len(values)} times ({', '.join(values)}); it takes one value "
                    "(run the command once per value)"))
        return name, command, rest
