"""Reading a CloudFormation template and its parameter values.

Templates are read with cfn-lint's decoder: JSON and YAML alike, the YAML
short-form tags (`!Ref`, `!Sub`, `!GetAtt A.Arn`, ...) turned into their long
form, and every mapping, list and string keeping its line. Parameter values come
from `--parameter Key=Value` and from parameter files in the styles AWS's tools
use: a CloudFormation list of `{"ParameterKey", "ParameterValue"}`, a list of
`"Key=Value"` strings, or a template configuration file
(`{"Parameters": {"Key": "Value"}}`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasoner.errors import InputError


@dataclass(frozen=True)
class CfnTemplate:
    source: str  # the file as given
    body: Mapping[str, Any]  # cfn-lint nodes: dicts, lists and strings with `start_mark`

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.body.get(name) or {}
        if not isinstance(value, dict):
            raise InputError(self.source, where(value, name), f"{name}: expected a mapping")
        return value


def line_of(node: Any) -> int | None:
    """1-based line of a template node, when the decoder kept it."""
    mark = getattr(node, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def where(node: Any, path: str) -> str:
    """The place bad input names: the template's line and the path in it."""
    line = line_of(node)
    return f"line {line} ({path})" if line is not None and path else f"line {line}" if line is not None else path


def load_template(path: Path) -> CfnTemplate:
    from cfnlint.decode import decode

    source = str(path)
    if not path.is_file():
        raise InputError(source, "", "cannot read file: no such file")
    try:
        body, problems = decode(path)
    except (OSError, UnicodeDecodeError) as error:  # cfn-lint reports most problems as matches
        raise InputError(source, "", f"cannot read template: {error}") from None
    if problems:
        first = problems[0]
        raise InputError(source, f"line {first.linenumber}", f"invalid template: {_problem_text(first.message)}")
    if not isinstance(body, dict):
        raise InputError(source, "", "expected a template: a mapping with a Resources section")
    resources = body.get("Resources")
    if not isinstance(resources, dict):
        raise InputError(source, where(body, "Resources"), "Resources: expected a mapping of logical ids to resources")
    return CfnTemplate(source, body)


def _problem_text(message: str) -> str:
    return " ".join(str(message).split())


# ---------------------------------------------------------------------------
# Parameter values


def parse_parameter_options(options: Iterable[str]) -> dict[str, str]:
    """`Key=Value` strings (the `--parameter` option)."""
    values: dict[str, str] = {}
    for option in options:
        key, equals, value = option.partition("=")
        if not equals or not key.strip():
            raise InputError("--parameter", "", f'"{option}" is not Key=Value')
        values[key.strip()] = value
    return values


def load_parameter_file(path: Path) -> dict[str, str]:
    """A parameter file in any of the three styles (module docstring)."""
    from reasoner.policy.parse import load_data_file

    source = str(path)
    data = load_data_file(path, source)
    if isinstance(data, dict):
        parameters = data.get("Parameters")
        if not isinstance(parameters, dict):
            raise InputError(source, "Parameters", "expected a mapping of parameter names to values "
                                                   '(a template configuration file: {"Parameters": {...}})')
        return {str(key): _parameter_text(value, source, f"Parameters.{key}") for key, value in parameters.items()}
    if not isinstance(data, list):
        raise InputError(source, "", 'expected a list of {"ParameterKey", "ParameterValue"} or of "Key=Value", '
                                     'or a template configuration file')
    values: dict[str, str] = {}
    for index, item in enumerate(data):
        place = f"[{index}]"
        if isinstance(item, str):
            key, equals, value = item.partition("=")
            if not equals or not key:
                raise InputError(source, place, f'"{item}" is not Key=Value')
            values[key] = value
        elif isinstance(item, dict):
            if "ParameterKey" not in item or "ParameterValue" not in item:
                missing = "ParameterKey" if "ParameterKey" not in item else "ParameterValue"
                raise InputError(source, place, f"{missing}: missing")
            values[str(item["ParameterKey"])] = _parameter_text(item["ParameterValue"], source,
                                                                f"{place}.ParameterValue")
        else:
            raise InputError(source, place, 'expected {"ParameterKey": ..., "ParameterValue": ...} or "Key=Value"')
    return values


def _parameter_text(value: Any, source: str, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ",".join(str(item) for item in value)
    raise InputError(source, path, "expected a string, a number or a list of them")


def plain(value: Any) -> Any:
    """A template value as plain JSON types: YAML dates (`Version: 2012-10-17`) as
    their text, cfn-lint's node classes as dicts, lists and strings."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def json_text(value: Any) -> str:
    return json.dumps(plain(value), sort_keys=True)
