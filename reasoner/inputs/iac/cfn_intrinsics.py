"""CloudFormation's intrinsic functions, conditions and pseudo-parameters, evaluated
over what the template and the given parameter values fix.

A value the input does not fix is an `Unknown` (a parameter without a value, a
pseudo-parameter, an import, a name CloudFormation generates) and strings built
from it are `Template`s. Where evaluation needs to *decide* on an unknown (a
condition comparing a parameter, a `Fn::FindInMap` key), it raises `Undecided`
with the values worth trying; the caller (`cloudformation.py`) then evaluates once
per value, a finite case split that covers every value the unknown may take.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from reasoner.errors import InputError
from reasoner.inputs.iac.cfn_resources import attribute_value, ref_value
from reasoner.inputs.iac.cfn_template import CfnTemplate, line_of, plain, where
from reasoner.inputs.iac.values import (
    PARTITIONS,
    URL_SUFFIXES,
    Domain,
    Opaque,
    Template,
    Unknown,
    partition_of,
)


class _NoValue:
    """`AWS::NoValue`: the property or list item is removed."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()

PSEUDO_PARAMETERS = ("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
                     "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue")


class Undecided(Exception):
    """Evaluation needs the value of `unknown`: one of `candidates`, or (when
    `others` is true) any value but them."""

    def __init__(self, unknown: Unknown, candidates: tuple[str, ...], others: bool) -> None:
        super().__init__(unknown.label)
        self.unknown = unknown
        self.candidates = candidates
        self.others = others


def pseudo_parameters(given: Mapping[str, str]) -> dict[str, str | Unknown]:
    """The pseudo-parameters: from `given` (`AWS::AccountId=...` among the parameter
    values), the partition and URL suffix from the region when it is given."""
    values: dict[str, str | Unknown] = {
        "AWS::AccountId": Unknown("AWS::AccountId", Domain.ACCOUNT, "the stack's account (no value given)"),
        "AWS::Region": Unknown("AWS::Region", Domain.REGION, "the stack's region (no value given)"),
        "AWS::Partition": Unknown("AWS::Partition", Domain.PARTITION, "the stack's partition (no region given)",
                                  choices=PARTITIONS),
        "AWS::URLSuffix": Unknown("AWS::URLSuffix", Domain.NAME, "the stack's URL suffix (no region given)",
                                  choices=("amazonaws.com", *sorted(set(URL_SUFFIXES.values())))),
        "AWS::StackName": Unknown("AWS::StackName", Domain.NAME, "the stack's name (no value given)"),
        "AWS::StackId": Unknown("AWS::StackId", Domain.TEXT, "the stack's id (no value given)"),
    }
    region = given.get("AWS::Region")
    if region is not None:
        partition = given.get("AWS::Partition", partition_of(region))
        values["AWS::Partition"] = partition
        values["AWS::URLSuffix"] = URL_SUFFIXES.get(partition, "amazonaws.com")
    for key, value in given.items():
        if key in values:
            values[key] = value
    return values


_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class Evaluator:
    """Evaluates template values under parameter values and the case being tried
    (`bindings`: unknown label -> the value chosen for it, or a narrowed unknown).

    `lines` maps `id()` of each mapping the evaluator builds to the line of the
    template node it came from, so that policy statements keep their lines.
    """

    def __init__(self, template: CfnTemplate, parameters: Mapping[str, str],
                 bindings: Mapping[str, str | Unknown] | None = None) -> None:
        self.template = template
        self.source = template.source
        self.given = dict(parameters)
        self.bindings = dict(bindings or {})
        self.pseudo = pseudo_parameters(self.given)
        self.resources = template.section("Resources")
        self.declared = template.section("Parameters")
        self.conditions = template.section("Conditions")
        self.mappings = template.section("Mappings")
        self.lines: dict[int, int] = {}
        self._condition_cache: dict[str, bool] = {}
        self._stack: list[str] = []

    def error(self, node: Any, path: str, message: str) -> InputError:
        return InputError(self.source, where(node, path), message)

    # -- unknowns ------------------------------------------------------------

    def bound(self, value: Any) -> Any:
        """An unknown replaced by the value the current case chose for it."""
        if isinstance(value, Unknown):
            return self.bindings.get(value.label, value)
        if isinstance(value, Template):
            return Template.of(*(self.bindings.get(part.label, part) if isinstance(part, Unknown) else part
                                 for part in value.parts))
        return value

    def decide(self, value: Any, candidates: tuple[str, ...], *, others: bool = True) -> str:
        """The text of `value`, which evaluation must know; raises `Undecided` for an
        unknown: its own choices when it has them, else `candidates` and (when
        `others`) any other value."""
        value = self.bound(value)
        if isinstance(value, str):
            return value
        if isinstance(value, Unknown):
            if value.choices is not None:
                choices = tuple(c for c in value.choices if c not in value.excluded)
                raise Undecided(value, choices, others=False)
            raise Undecided(value, tuple(c for c in candidates if c not in value.excluded), others=others)
        raise Unresolvable("a value the template does not fix, where one must be known")

    # -- values --------------------------------------------------------------

    def value(self, node: Any, path: str) -> Any:
        """The value of a template node with every intrinsic function applied.
        Mappings and lists drop items that are `AWS::NoValue`."""
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, argument),) = node.items()
                if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")) or (
                        key == "Condition" and isinstance(argument, str)):
                    return self.function(str(key), argument, node, f"{path}.{key}" if path else str(key))
            result: dict[str, Any] = {}
            for key, item in node.items():
                value = self.value(item, f"{path}.{key}" if path else str(key))
                if value is not NO_VALUE:
                    result[str(key)] = value
            line = line_of(node)
            if line is not None:
                self.lines[id(result)] = line
            return result
        if isinstance(node, list):
            items = [self.value(item, f"{path}[{index}]") for index, item in enumerate(node)]
            return [item for item in items if item is not NO_VALUE]
        return plain(node)

    def text(self, node: Any, path: str) -> str | Template | Unknown:
        value = self.bound(self.value(node, path))
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str | Template | Unknown):
            return value
        raise self.error(node, path, f"expected a string, found {_kind(value)}")

    def function(self, name: str, argument: Any, node: Any, path: str) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            if name == "Fn::Transform" or name.startswith("Fn::"):
                return Opaque(f"{name} at {where(node, path)}, which this reader does not evaluate")
            raise self.error(node, path, f"unknown function {name}")
        return handler(self, argument, node, path)

    # -- Ref and Fn::GetAtt --------------------------------------------------

    def ref(self, name: str, node: Any, path: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::NotificationARNs":
            return Opaque("AWS::NotificationARNs (the stack's notification topics)")
        if name in self.pseudo:
            return self.bound(self.pseudo[name])
        if name in self.declared:
            return self.parameter(name, node, path)
        if name in self.resources:
            return self.bound(ref_value(self, name))
        raise self.error(node, path, f'Ref: "{name}" is neither a parameter nor a resource of the template')

    def parameter(self, name: str, node: Any, path: str) -> Any:
        declaration = self.declared[name]
        if not isinstance(declaration, dict):
            raise self.error(declaration, f"Parameters.{name}", "expected a mapping")
        kind = str(declaration.get("Type", "String"))
        if name in self.given:
            text = self.given[name]
        elif "Default" in declaration and not kind.startswith("AWS::SSM::Parameter::Value"):
            text = _scalar(declaration["Default"])
        elif kind.startswith("List<") or kind == "CommaDelimitedList" or kind.startswith(
                "AWS::SSM::Parameter::Value<List") or kind.startswith("AWS::SSM::Parameter::Value<CommaDelimited"):
            return Opaque(f"parameter {name} (a list) without a value")
        else:
            allowed = declaration.get("AllowedValues")
            choices = tuple(_scalar(item) for item in allowed) if isinstance(allowed, list) and allowed else None
            reason = "an SSM parameter resolved at deployment" if kind.startswith("AWS::SSM") else \
                "a parameter without a value"
            return self.bound(Unknown(name, Domain.TEXT, reason, choices=choices))
        if kind.startswith("List<") or kind == "CommaDelimitedList" or "List<" in kind:
            return [item.strip() for item in text.split(",")]
        return text

    def get_att(self, logical: str, attribute: str, node: Any, path: str) -> Any:
        if logical not in self.resources:
            raise self.error(node, path, f'Fn::GetAtt: "{logical}" is not a resource of the template')
        return self.bound(attribute_value(self, logical, attribute))

    def resource_property(self, logical: str, name: str) -> Any:
        """A property of another resource, evaluated (None when absent)."""
        resource = self.resources[logical]
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(properties, dict) or name not in properties:
            return None
        if logical in self._stack:
            raise self.error(properties[name], f"Resources.{logical}.Properties.{name}",
                             f"circular reference through {' -> '.join([*self._stack, logical])}")
        self._stack.append(logical)
        try:
            value = self.value(properties[name], f"Resources.{logical}.Properties.{name}")
        finally:
            self._stack.pop()
        return None if value is NO_VALUE else self.bound(value)

    # -- conditions ----------------------------------------------------------

    def condition(self, name: Any, node: Any, path: str) -> bool:
        if not isinstance(name, str):
            raise self.error(node, path, "expected a condition name")
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name not in self.conditions:
            raise self.error(node, path, f'"{name}" is not a condition of the template')
        if name in self._stack:
            raise self.error(node, path, f"circular condition {' -> '.join([*self._stack, name])}")
        self._stack.append(name)
        try:
            result = self.truth(self.conditions[name], f"Conditions.{name}")
        finally:
            self._stack.pop()
        self._condition_cache[name] = result
        return result

    def truth(self, node: Any, path: str) -> bool:
        if isinstance(node, dict) and len(node) == 1:
            ((key, argument),) = node.items()
            here = f"{path}.{key}"
            if key == "Condition":
                return self.condition(argument, node, here)
            if key in ("Fn::And", "Fn::Or", "Fn::Not"):
                if not isinstance(argument, list) or not argument or (key == "Fn::Not" and len(argument) != 1):
                    raise self.error(node, here, f"{key}: expected a list of conditions")
                values = [self.truth(item, f"{here}[{index}]") for index, item in enumerate(argument)]
                return all(values) if key == "Fn::And" else any(values) if key == "Fn::Or" else not values[0]
            if key == "Fn::Equals":
                if not isinstance(argument, list) or len(argument) != 2:
                    raise self.error(node, here, "Fn::Equals: expected a list of two values")
                left = self.bound(self.value(argument[0], f"{here}[0]"))
                right = self.bound(self.value(argument[1], f"{here}[1]"))
                return self.equals(left, right, node, here)
        raise self.error(node, path, "expected a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)")

    def equals(self, left: Any, right: Any, node: Any, path: str) -> bool:
        left, right = _comparable(left), _comparable(right)
        if isinstance(left, str) and isinstance(right, str):
            return left == right
        if isinstance(right, Unknown) and isinstance(left, str):
            left, right = right, left
        if isinstance(left, Unknown) and isinstance(right, str):
            if right in left.excluded or (left.choices is not None and right not in left.choices):
                return False
            return self.decide(left, (right,)) == right
        if isinstance(left, list) and isinstance(right, list):
            return bool(plain(left) == plain(right))
        raise Unresolvable(f"Fn::Equals on values the template does not fix ({where(node, path)})")


class Unresolvable(Exception):
    """A condition on values that cannot be split into finitely many cases."""


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _scalar(value: Any) -> str:
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, Opaque):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else type(value).__name__


# ---------------------------------------------------------------------------
# The functions


def _ref(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, str):
        raise ev.error(node, path, "Ref: expected a parameter or resource name")
    return ev.ref(str(argument), node, path)


def _get_att(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if isinstance(argument, str) and "." in argument:
        logical, attribute = argument.split(".", 1)
    elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        logical = argument[0]
        attribute_value_ = ev.bound(ev.value(argument[1], f"{path}[1]"))
        if not isinstance(attribute_value_, str):
            return Opaque(f"Fn::GetAtt with an attribute name the template does not fix ({where(node, path)})")
        attribute = attribute_value_
    else:
        raise ev.error(node, path, "Fn::GetAtt: expected [LogicalId, Attribute] or LogicalId.Attribute")
    return ev.get_att(str(logical), str(attribute), node, path)


def _sub(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    variables: dict[str, Any] = {}
    if isinstance(argument, list):
        if len(argument) != 2 or not isinstance(argument[0], str) or not isinstance(argument[1], dict):
            raise ev.error(node, path, "Fn::Sub: expected a string or [string, {variables}]")
        for key, item in argument[1].items():
            variables[str(key)] = ev.bound(ev.value(item, f"{path}[1].{key}"))
        text = str(argument[0])
    elif isinstance(argument, str):
        text = str(argument)
    else:
        raise ev.error(node, path, "Fn::Sub: expected a string or [string, {variables}]")
    pieces: list[Any] = []
    position = 0
    for found in _SUB_VARIABLE.finditer(text):
        pieces.append(text[position:found.start()])
        position = found.end()
        name = found.group(1).strip()
        if name.startswith("!"):
            pieces.append("${" + found.group(1)[1:] + "}")
            continue
        if name in variables:
            value = variables[name]
        elif "." in name and name.split(".", 1)[0] in ev.resources:
            logical, attribute = name.split(".", 1)
            value = ev.get_att(logical, attribute, node, path)
        else:
            value = ev.ref(name, node, path)
        value = _comparable(value)
        if isinstance(value, Opaque):
            return value
        if not isinstance(value, str | Template | Unknown):
            raise ev.error(node, path, f"Fn::Sub: ${{{name}}} is {_kind(value)}, not a string")
        pieces.append(value)
    pieces.append(text[position:])
    return Template.of(*pieces)


def _join(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, list) or len(argument) != 2:
        raise ev.error(node, path, "Fn::Join: expected [delimiter, [values]]")
    delimiter = ev.bound(ev.value(argument[0], f"{path}[0]"))
    items = ev.bound(ev.value(argument[1], f"{path}[1]"))
    if isinstance(items, Opaque):
        return items
    if not isinstance(delimiter, str) or not isinstance(items, list):
        raise ev.error(node, path, "Fn::Join: expected [delimiter, [values]]")
    pieces: list[Any] = []
    for index, item in enumerate(items):
        item = _comparable(ev.bound(item))
        if isinstance(item, Opaque):
            return item
        if not isinstance(item, str | Template | Unknown):
            raise ev.error(node, f"{path}[1][{index}]", f"Fn::Join: expected a string, found {_kind(item)}")
        if index:
            pieces.append(delimiter)
        pieces.append(item)
    return Template.of(*pieces)


def _select(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, list) or len(argument) != 2:
        raise ev.error(node, path, "Fn::Select: expected [index, [values]]")
    index = ev.bound(ev.value(argument[0], f"{path}[0]"))
    items = ev.bound(ev.value(argument[1], f"{path}[1]"))
    if isinstance(items, Opaque):
        return items
    if isinstance(index, Unknown | Template):
        return Opaque(f"Fn::Select with an index the template does not fix ({where(node, path)})")
    if not isinstance(items, list):
        raise ev.error(node, path, "Fn::Select: expected a list of values")
    try:
        position = int(str(index))
    except ValueError:
        raise ev.error(node, path, f'Fn::Select: "{index}" is not an index') from None
    if not 0 <= position < len(items):
        raise ev.error(node, path, f"Fn::Select: index {position} is outside the list of {len(items)}")
    return items[position]


def _split(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, list) or len(argument) != 2:
        raise ev.error(node, path, "Fn::Split: expected [delimiter, string]")
    delimiter = ev.bound(ev.value(argument[0], f"{path}[0]"))
    text = _comparable(ev.bound(ev.value(argument[1], f"{path}[1]")))
    if not isinstance(delimiter, str) or not delimiter:
        raise ev.error(node, path, "Fn::Split: expected a delimiter")
    if isinstance(text, str):
        return text.split(delimiter)
    if isinstance(text, Template | Unknown):
        parts = text.parts if isinstance(text, Template) else (text,)
        # the pieces are known when no unknown part can hold the delimiter's characters
        if all(isinstance(part, str) or not _may_contain(part, delimiter) for part in parts):
            pieces: list[list[Any]] = [[]]
            for part in parts:
                if isinstance(part, str):
                    chunks = part.split(delimiter)
                    pieces[-1].append(chunks[0])
                    for chunk in chunks[1:]:
                        pieces.append([chunk])
                else:
                    pieces[-1].append(part)
            return [Template.of(*piece) for piece in pieces]
        return Opaque(f"Fn::Split of a value the template does not fix ({where(node, path)})")
    if isinstance(text, Opaque):
        return text
    raise ev.error(node, path, "Fn::Split: expected a string")


def _may_contain(unknown: Unknown, delimiter: str) -> bool:
    if unknown.choices is not None:
        return any(delimiter in choice for choice in unknown.choices)
    safe = {Domain.ACCOUNT: set("0123456789"), Domain.REGION: set("abcdefghijklmnopqrstuvwxyz0123456789-"),
            Domain.PARTITION: set("abcdefghijklmnopqrstuvwxyz-")}.get(unknown.domain)
    if unknown.domain is Domain.NAME:
        return not set(delimiter) <= {"/", ":"}
    return safe is None or not set(delimiter) <= safe


def _if(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, list) or len(argument) != 3:
        raise ev.error(node, path, "Fn::If: expected [condition, value if true, value if false]")
    chosen = 1 if ev.condition(argument[0], node, f"{path}[0]") else 2
    return ev.value(argument[chosen], f"{path}[{chosen}]")


def _condition(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    return "true" if ev.condition(argument, node, path) else "false"


def _import_value(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    name = ev.bound(ev.value(argument, path))
    label = f"ImportValue {name}" if isinstance(name, str) else f"ImportValue at line {line_of(node)}"
    return Unknown(label, Domain.TEXT, "an export of another stack")


def _find_in_map(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    if not isinstance(argument, list) or len(argument) not in (3, 4):
        raise ev.error(node, path, "Fn::FindInMap: expected [map, top-level key, second-level key]")
    current: Any = ev.mappings
    where_now = "Mappings"
    for index, key_node in enumerate(argument[:3]):
        key_value = ev.bound(ev.value(key_node, f"{path}[{index}]"))
        if not isinstance(current, dict):
            raise ev.error(node, path, f"Fn::FindInMap: {where_now} is not a mapping")
        # a key outside the map fails the deployment: only the map's keys are cases
        key = key_value if isinstance(key_value, str) else ev.decide(key_value, tuple(str(k) for k in current),
                                                                      others=False)
        if key not in current:
            if len(argument) == 4:
                return ev.value(argument[3], f"{path}[3]")
            raise ev.error(node, path, f'Fn::FindInMap: "{key}" is not a key of {where_now}')
        current = current[key]
        where_now = f"{where_now}.{key}"
    return ev.value(current, where_now)


def _base64(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    text = ev.bound(ev.value(argument, path))
    if isinstance(text, str):
        return base64.b64encode(text.encode()).decode()
    return Opaque(f"Fn::Base64 of a value the template does not fix ({where(node, path)})")


def _to_json_string(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    value = ev.value(argument, path)
    if _has_unknown(value):
        return Opaque(f"Fn::ToJsonString of a value the template does not fix ({where(node, path)})")
    return json.dumps(value, separators=(",", ":"))


def _length(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
    value = ev.bound(ev.value(argument, path))
    if isinstance(value, list):
        return len(value)
    return Opaque(f"Fn::Length of a value the template does not fix ({where(node, path)})")


def _opaque(name: str) -> Callable[[Evaluator, Any, Any, str], Any]:
    def handler(ev: Evaluator, argument: Any, node: Any, path: str) -> Any:
        return Opaque(f"{name} at {where(node, path)}")

    return handler


def _has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown | Template | Opaque):
        return True
    if isinstance(value, dict):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return False


_FUNCTIONS: dict[str, Callable[[Evaluator, Any, Any, str], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Condition": _condition,
    "Fn::ImportValue": _import_value,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
    "Fn::ToJsonString": _to_json_string,
    "Fn::Length": _length,
    "Fn::GetAZs": _opaque("Fn::GetAZs (the region's availability zones)"),
    "Fn::Cidr": _opaque("Fn::Cidr"),
}
