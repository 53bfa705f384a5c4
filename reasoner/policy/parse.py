"""JSON / YAML policy documents → `reasoner.policy.model.Policy`.

Every rejection is an `InputError` naming the file and the JSON path of the
offending element (`bucket.json: Statement[2].Effect: ...`). Grammar follows
iam-semantics.md §1; section numbers in comments point there.

Decisions where AWS's documentation leaves room:
- Element names (`Statement`, `Effect`, principal keys `AWS`, ...) are matched
  case-insensitively and canonicalised; two spellings of one element are a
  duplicate. AWS documents only the *values* of Effect as case-sensitive (§1.4).
- A statement of a role trust policy or of a resource-based policy may omit
  `Resource`: it then applies to the resource the policy is attached to, modelled
  as `Resource: "*"`. Every other policy type needs `Resource` or `NotResource`.
- `Bool` and `Null` values are matched case-insensitively and stored lower-case.
- Values of Numeric, Date, IP and Binary operators must have their format; a
  policy variable or a placeholder there is an error (§4: no variables there).
"""

from __future__ import annotations

import binascii
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from reasoner.errors import InputError
from reasoner.policy.matching import is_execute_api_shorthand
from reasoner.policy.model import (
    Condition,
    Effect,
    OperatorFamily,
    Policy,
    PolicyType,
    PrincipalSpec,
    Statement,
)
from reasoner.policy.names import aws_principal_problem
from reasoner.policy.operators import parse_operator
from reasoner.policy.quotas import Quota, check_size, type_quota
from reasoner.policy.values import parse_cidr, parse_date, parse_number

POLICY_VERSIONS = ("2012-10-17", "2008-10-17")
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"

_TOP_ELEMENTS = {name.lower(): name for name in ("Version", "Id", "Statement")}
_STATEMENT_ELEMENTS = {
    name.lower(): name
    for name in (
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
        "Condition",
    )
}
_PRINCIPAL_KEYS = {name.lower(): name for name in ("AWS", "Service", "Federated", "CanonicalUser")}

_TYPE_LABELS = {
    PolicyType.IDENTITY: "an identity policy",
    PolicyType.RESOURCE: "a resource-based policy",
    PolicyType.TRUST: "a role trust policy",
    PolicyType.SCP: "an SCP",
    PolicyType.RCP: "an RCP",
    PolicyType.BOUNDARY: "a permissions boundary",
    PolicyType.SESSION: "a session policy",
    PolicyType.VPC_ENDPOINT: "a VPC endpoint policy",
}
# Where a statement may leave out Resource and mean "the resource this policy is on".
_RESOURCE_OPTIONAL = (PolicyType.TRUST, PolicyType.RESOURCE)
_NO_NOT_PRINCIPAL = (PolicyType.TRUST, PolicyType.SCP, PolicyType.RCP)  # §1.5

# `service:Action`, wildcards allowed (§1.6); the bare "*" is handled apart.
_ACTION = re.compile(r"[A-Za-z0-9_.*?-]+:[A-Za-z0-9_.*?-]+")
_BOOLEANS = ("true", "false")


# ---------------------------------------------------------------------------
# Reading JSON and YAML


class JsonFloat(float):
    """A JSON number with a fraction that remembers how the file spelled it, so a
    condition value `1.50` stays `"1.50"`."""

    text: str

    def __new__(cls, text: str) -> JsonFloat:
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


class _DuplicateKeys(dict[str, Any]):
    """An object that had `duplicate` twice; located after loading so that the error
    can name its JSON path."""

    duplicate: str


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json_text(text: str, source: str) -> Any:
    """Parse JSON, rejecting duplicate keys, NaN and Infinity."""
    found_duplicate = False

    def build_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found_duplicate
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        found_duplicate = True
        marked = _DuplicateKeys(obj)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                marked.duplicate = key
                break
            seen.add(key)
        return marked

    try:
        document = json.loads(
            text, object_pairs_hook=build_object, parse_float=JsonFloat, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as error:
        raise InputError(
            source, "", f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:  # raised by _reject_constant
        raise InputError(source, "", f"invalid JSON: {error}") from None
    except RecursionError:
        raise InputError(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    # a level of nesting opens with a bracket of its own: with few, the walk has nothing to find
    if text.count("{") + text.count("[") > MAX_NESTING:
        check_nesting(document, source)
    if found_duplicate:
        path, key = _find_duplicate(document, "")
        raise InputError(source, path, f'duplicate key "{key}"')
    return document


def _find_duplicate(value: Any, path: str) -> tuple[str, str]:
    """JSON path and key of the first object, in document order, with a duplicate."""
    if isinstance(value, _DuplicateKeys):
        return path, value.duplicate
    children: Any = ()
    if isinstance(value, dict):
        children = ((_child(path, key), item) for key, item in value.items())
    elif isinstance(value, list):
        children = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    for child_path, item in children:
        if isinstance(item, dict | list):
            found = _find_duplicate(item, child_path)
            if found[1]:
                return found
    return "", ""


class _StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys and keeps dates as text
    (`Version: 2012-10-17` would otherwise become a `datetime.date`)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base loader reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f'duplicate key "{key}"', key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _timestamp_as_text(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_StrictYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_yaml_text(text: str, source: str) -> Any:
    try:
        document = yaml.load(text, Loader=_StrictYamlLoader)
    except RecursionError:
        raise InputError(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        raise InputError(source, "", f"invalid YAML{where}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise InputError(source, "", f"invalid YAML: {error}") from None
    check_nesting(document, source)
    return document


# Objects and lists inside one another, at most. Ours, not AWS's: a policy is six
# levels deep, an organization tree at AWS's deepest (five levels of OUs) about 25;
# a deeper document would only exhaust the stack of the code that walks it.
MAX_NESTING = 64


def check_nesting(document: Any, source: str) -> None:
    """Refuse a document nested more than MAX_NESTING levels deep (naming the path
    where it goes too deep), or one that contains itself (a YAML alias to an
    enclosing node). Each node is measured once, so aliases cost nothing."""
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, dict | list) or (not done and id(node) in height):
            continue
        children = [child for child in _children(node) if isinstance(child, dict | list)]
        if done:
            on_path.discard(id(node))
            height[id(node)] = 1 + max((height[id(child)] for child in children), default=0)
            continue
        if id(node) in on_path:
            raise InputError(source, "", "a YAML alias refers to a node that contains it")
        on_path.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise InputError(source, "", "a YAML alias refers to a node that contains it")
            stack.append((child, False))
    if height.get(id(document), 0) > MAX_NESTING:
        raise InputError(source, _deep_path(document, height), f"nested more than {MAX_NESTING} levels deep")


def _children(node: dict[Any, Any] | list[Any]) -> list[Any]:
    return list(node.values()) if isinstance(node, dict) else node


def _deep_path(document: Any, height: dict[int, int]) -> str:
    """The JSON path of the first node at depth MAX_NESTING on a deepest branch."""
    path, node = "", document
    for _ in range(MAX_NESTING):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list) and height[id(child)] == height[id(node)] - 1:
                path = f"{path}[{key}]" if isinstance(node, list) else _child(path, str(key))
                node = child
                break
    return path


def _read_text(path: Path, source: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(source, "", f"cannot read file: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(source, "", f"not UTF-8 text (bad byte at offset {error.start})") from None


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def load_data_file(path: Path, source: str | None = None) -> Any:
    """A JSON file, or YAML for `.yaml` / `.yml`; errors name `source` (default: the path)."""
    label = str(path) if source is None else source
    text = _read_text(path, label)
    return load_yaml_text(text, label) if _is_yaml(path) else load_json_text(text, label)


# ---------------------------------------------------------------------------
# Where things are in the text


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def json_lines(text: str, max_depth: int = 2) -> dict[str, int]:
    """1-based line where each object or array starts, keyed by JSON path
    (`""` for the document, `Statement[3]`, `identity_policies[0].Statement`), for
    containers at most `max_depth` levels deep. `text` must be valid JSON.

    Containers below `max_depth` and scalars are skipped by the C decoder, so the
    cost stays close to one `json.loads`.
    """
    offsets: dict[str, int] = {}

    def skip_space(index: int) -> int:
        match = _WHITESPACE.match(text, index)
        return match.end() if match else index

    def walk(index: int, path: str, depth: int) -> int:
        opening = text[index]
        if depth > max_depth or opening not in "{[":
            return int(_DECODER.raw_decode(text, index)[1])
        offsets[path] = index
        index = skip_space(index + 1)
        closing = "}" if opening == "{" else "]"
        position = 0
        while text[index] != closing:
            if opening == "{":
                key, index = _DECODER.raw_decode(text, index)
                index = skip_space(skip_space(index) + 1)  # past the ':'
                child = _child(path, key)
            else:
                child = f"{path}[{position}]"
                position += 1
            index = skip_space(walk(index, child, depth + 1))
            if text[index] == ",":
                index = skip_space(index + 1)
        return index + 1

    walk(skip_space(0), "", 0)
    lines: dict[str, int] = {}
    line, previous = 1, 0
    for path, offset in sorted(offsets.items(), key=lambda item: item[1]):
        line += text.count("\n", previous, offset)
        previous = offset
        lines[path] = line
    return lines


# ---------------------------------------------------------------------------
# Policies


def parse_policy(
    document: Any,
    policy_type: PolicyType,
    *,
    source: str,
    base_path: str = "",
    line_of: Callable[[str], int | None] | None = None,
    name: str | None = None,
    quota: Quota | None = None,
    sized: bool = True,
    symbols: bool = False,
) -> Policy:
    """Build a `Policy` from a loaded JSON document.

    `base_path` prefixes the JSON paths in errors (a policy inside a scenario file);
    `line_of` maps a statement's path within the document (`Statement[2]`, or
    `Statement` for a lone statement object) to its line in the source text.
    A document over AWS's size quota (`quota`, or the largest of its type) is bad
    input (`reasoner.policy.quotas`); `sized` False: a policy the tool makes itself
    (from ACLs, grants, a benchmark's sizes beyond AWS's), which no quota bounds.
    `symbols`: a Principal's account may be an unknown of infrastructure code kept
    symbolic (`principals.ACCOUNT_SYMBOL`), which only `reasoner.inputs.iac` writes.
    """
    if sized:
        check_size(document, quota or type_quota(policy_type), source, base_path)
    parser = _PolicyParser(source, base_path, policy_type, name, line_of)
    parser.symbols = symbols
    return parser.policy(document)


def policy_label(source: str, base_path: str = "") -> str:
    """`Policy.source` of a policy parsed from `source` at `base_path`."""
    return f"{source}: {base_path}" if base_path else source


def reads_name(policy_type: PolicyType) -> bool:
    """Does parsing a policy of this type depend on its name? Only an RCP's:
    RCPFullAWSAccess is the one RCP that may allow everything (`check_rcp`)."""
    return policy_type is PolicyType.RCP


def parse_policy_text(text: str, policy_type: PolicyType, *, source: str, name: str | None = None,
                      quota: Quota | None = None, sized: bool = True) -> Policy:
    """Parse JSON policy text, recording the line of each statement."""
    document = load_json_text(text, source)
    lines = json_lines(text, max_depth=2)
    return parse_policy(document, policy_type, source=source, line_of=lines.get, name=name, quota=quota,
                        sized=sized)


def load_policy_file(
    path: Path, policy_type: PolicyType, *, source: str | None = None, name: str | None = None,
    quota: Quota | None = None,
) -> Policy:
    """A policy file: JSON (statement lines recorded) or YAML (lines left unknown)."""
    label = str(path) if source is None else source
    text = _read_text(path, label)
    if _is_yaml(path):
        return parse_policy(load_yaml_text(text, label), policy_type, source=label, name=name, quota=quota)
    return parse_policy_text(text, policy_type, source=label, name=name, quota=quota)


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _item_path(raw: Any, path: str, index: int) -> str:
    """Path of the index-th value of an element that may be a scalar or a list."""
    return f"{path}[{index}]" if isinstance(raw, list) else path


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, str | int | float | bool) or value is None else type(
        value
    ).__name__


class _PolicyParser:
    """Parses one policy document; holds what every error message needs."""

    def __init__(
        self,
        source: str,
        base_path: str,
        policy_type: PolicyType,
        name: str | None,
        line_of: Callable[[str], int | None] | None,
    ) -> None:
        self.source = source
        self.base_path = base_path
        self.policy_type = policy_type
        self.name = name
        self.line_of = line_of
        self.symbols = False  # principals.ACCOUNT_SYMBOL admitted as an account

    def error(self, path: str, message: str) -> InputError:
        if self.base_path:
            path = f"{self.base_path}{'' if path.startswith('[') or not path else '.'}{path}"
        return InputError(self.source, path, message)

    # -- document -----------------------------------------------------------

    def policy(self, document: Any) -> Policy:
        if not isinstance(document, dict):
            raise self.error("", f"expected a policy object, got {_show(document)}")
        elements = self.elements(document, _TOP_ELEMENTS, "", "policy")
        version = self.version(elements.get("Version"))
        policy_id = None
        if "Id" in elements:
            written, value = elements["Id"]
            if not isinstance(value, str):
                raise self.error(written, f"expected a string, got {_show(value)}")
            policy_id = value
        if "Statement" not in elements:
            raise self.error("", 'missing "Statement"')
        written, value = elements["Statement"]
        statements: tuple[Statement, ...]
        if isinstance(value, dict):
            statements = (self.statement(value, 0, written),)
        elif isinstance(value, list):
            if not value:
                raise self.error(written, "expected at least one statement")
            statements = tuple(
                self.statement(item, index, f"{written}[{index}]") for index, item in enumerate(value)
            )
        else:
            raise self.error(written, f"expected a statement object or a list of them, got {_show(value)}")
        label = policy_label(self.source, self.base_path)
        return Policy(self.policy_type, statements, version, policy_id, source=label, name=self.name)

    def elements(
        self, obj: Mapping[Any, Any], names: Mapping[str, str], path: str, what: str
    ) -> dict[str, tuple[str, Any]]:
        """Canonical element name → (name as written, value)."""
        found: dict[str, tuple[str, Any]] = {}
        for written, value in obj.items():
            canonical = names.get(written.lower()) if isinstance(written, str) else None
            if canonical is None:
                expected = ", ".join(names.values())
                raise self.error(path, f'unknown {what} element "{written}" (expected one of {expected})')
            if canonical in found:
                raise self.error(
                    path, f'duplicate element "{canonical}" (written "{found[canonical][0]}" and "{written}")'
                )
            found[canonical] = (written, value)
        return found

    def version(self, element: tuple[str, Any] | None) -> str | None:
        version = None
        if element is not None:
            written, version = element
            if version not in POLICY_VERSIONS:
                raise self.error(
                    written, f'unsupported version {_show(version)} (expected "2012-10-17" or "2008-10-17")'
                )
        if self.policy_type is PolicyType.RCP and version != "2012-10-17":
            # RCPs must carry Version 2012-10-17 (§1.2)
            raise self.error(element[0] if element else "", 'an RCP needs "Version": "2012-10-17"')
        return version

    # -- statements ---------------------------------------------------------

    def statement(self, obj: Any, index: int, path: str) -> Statement:
        if not isinstance(obj, dict):
            raise self.error(path, f"expected a statement object, got {_show(obj)}")
        elements = self.elements(obj, _STATEMENT_ELEMENTS, path, "statement")
        sid = None
        if "Sid" in elements:
            written, value = elements["Sid"]
            if not isinstance(value, str):
                raise self.error(_child(path, written), f"expected a string, got {_show(value)}")
            sid = value
        effect = self.effect(elements, path)
        actions, not_actions = self.pair(elements, "Action", "NotAction", path)
        self.check_actions(elements, actions, path)
        resources, not_resources = self.resources(elements, path)
        principal, not_principal = self.principals(elements, effect, path)
        conditions: tuple[Condition, ...] = ()
        if "Condition" in elements:
            written, value = elements["Condition"]
            conditions = self.conditions(value, _child(path, written))
        statement = Statement(
            index=index,
            effect=effect,
            sid=sid,
            principal=principal,
            not_principal=not_principal,
            actions=actions,
            not_actions=not_actions,
            resources=resources,
            not_resources=not_resources,
            conditions=conditions,
            line=self.line_of(path) if self.line_of else None,
        )
        if self.policy_type is PolicyType.RCP:
            self.check_rcp(statement, elements, path)
        return statement

    def effect(self, elements: Mapping[str, tuple[str, Any]], path: str) -> Effect:
        if "Effect" not in elements:
            raise self.error(path, 'missing "Effect"')
        written, value = elements["Effect"]
        if value == "Allow":
            return Effect.ALLOW
        if value == "Deny":
            return Effect.DENY
        # the value is case-sensitive (§1.4): "allow" is invalid
        raise self.error(
            _child(path, written), f'{_show(value)} is not an effect (expected "Allow" or "Deny", case-sensitive)'
        )

    def pair(
        self, elements: Mapping[str, tuple[str, Any]], positive: str, negative: str, path: str
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """Exactly one of `Action`/`NotAction` (or `Resource`/`NotResource`), as strings."""
        if positive in elements and negative in elements:
            raise self.error(path, f'has both "{positive}" and "{negative}"; use one')
        if positive not in elements and negative not in elements:
            raise self.error(path, f'missing "{positive}" or "{negative}"')
        chosen = positive if positive in elements else negative
        written, value = elements[chosen]
        strings = self.strings(value, _child(path, written))
        return (strings, None) if chosen == positive else (None, strings)

    def check_actions(self, elements: Mapping[str, tuple[str, Any]], actions: tuple[str, ...] | None,
                      path: str) -> None:
        written, raw = elements["Action" if actions is not None else "NotAction"]
        values = raw if isinstance(raw, list) else [raw]
        for index, action in enumerate(values):
            if action != "*" and not _ACTION.fullmatch(action):
                raise self.error(
                    _item_path(raw, _child(path, written), index),
                    f'"{action}" is not an action (expected "service:ActionName" or "*")',
                )

    def resources(
        self, elements: Mapping[str, tuple[str, Any]], path: str
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        if (
            self.policy_type in _RESOURCE_OPTIONAL
            and "Resource" not in elements
            and "NotResource" not in elements
        ):
            return ("*",), None  # the resource the policy is attached to
        resources, not_resources = self.pair(elements, "Resource", "NotResource", path)
        written, raw = elements["Resource" if resources is not None else "NotResource"]
        for index, resource in enumerate(resources or not_resources or ()):
            # AWS refuses a policy whose Resource is neither "*" nor an ARN (§1.7); deciding
            # it would answer a question about a resource no request can name
            if resource != "*" and resource[:4].lower() != "arn:" and not (
                    self.policy_type is PolicyType.RESOURCE and is_execute_api_shorthand(resource)):
                raise self.error(_item_path(raw, _child(path, written), index),
                                 f'"{resource}" is not "*" or an ARN (arn:partition:service:region:account:resource)')
        return resources, not_resources

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        """A string or a non-empty list of strings (§1.1: a scalar stands for a one-item list)."""
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            raise self.error(path, "expected a string or list of strings")
        if not value:
            raise self.error(path, "expected at least one value")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{path}[{index}]", f"expected a string, got {_show(item)}")
        return tuple(value)

    # -- principals ---------------------------------------------------------

    def principals(
        self, elements: Mapping[str, tuple[str, Any]], effect: Effect, path: str
    ) -> tuple[PrincipalSpec | None, PrincipalSpec | None]:
        label = _TYPE_LABELS[self.policy_type]
        present = [elements[name][0] for name in ("Principal", "NotPrincipal") if name in elements]
        if len(present) == 2:
            raise self.error(path, 'has both "Principal" and "NotPrincipal"; use one')
        if not self.policy_type.takes_principal:
            if present:
                # the principal of these is the identity they apply to (§1.1)
                raise self.error(_child(path, present[0]), f'"{present[0]}" is not allowed in {label}')
            return None, None
        if not present:
            raise self.error(path, f'missing "Principal" (required in {label})')
        if "Principal" in elements:
            written, value = elements["Principal"]
            return self.principal(value, _child(path, written)), None
        written, value = elements["NotPrincipal"]
        where = _child(path, written)
        if self.policy_type in _NO_NOT_PRINCIPAL:
            raise self.error(where, f'"NotPrincipal" is not allowed in {label}')
        if effect is not Effect.DENY:
            raise self.error(where, '"NotPrincipal" can only be used with "Effect": "Deny"')
        return None, self.principal(value, where)

    def principal(self, value: Any, path: str) -> PrincipalSpec:
        """`"*"` or a map of AWS / Service / Federated / CanonicalUser (§1.5)."""
        if value == "*":
            return PrincipalSpec(wildcard=True)
        if not isinstance(value, dict):
            raise self.error(
                path, f'expected "*" or an object with AWS, Service, Federated or CanonicalUser, got {_show(value)}'
            )
        if not value:
            raise self.error(path, "expected at least one of AWS, Service, Federated or CanonicalUser")
        fields: dict[str, tuple[str, ...]] = {}
        for canonical, (written, raw) in self.elements(value, _PRINCIPAL_KEYS, path, "principal").items():
            where = _child(path, written)
            names = self.strings(raw, where)
            for index, item in enumerate(names):
                if item == "*" and canonical == "Service":
                    raise self.error(_item_path(raw, where, index), '"Service": "*" is not allowed')
                if item != "*" and ("*" in item or "?" in item):
                    raise self.error(
                        _item_path(raw, where, index),
                        f'"{item}": a principal takes no partial wildcard, only the whole "*"',
                    )
                problem = aws_principal_problem(item, symbols=self.symbols) if canonical == "AWS" else None
                if problem is not None:
                    raise self.error(_item_path(raw, where, index), f'"{item}": {problem}')
            fields[canonical] = names
        return PrincipalSpec(
            aws=fields.get("AWS", ()),
            service=fields.get("Service", ()),
            federated=fields.get("Federated", ()),
            canonical_user=fields.get("CanonicalUser", ()),
        )

    # -- RCP rules (§1.4, §1.6) ---------------------------------------------

    def check_rcp(self, statement: Statement, elements: Mapping[str, tuple[str, Any]], path: str) -> None:
        if self.name == RCP_FULL_AWS_ACCESS and _is_full_access(statement):
            return
        if statement.effect is not Effect.DENY:
            raise self.error(
                _child(path, elements["Effect"][0]),
                'an RCP statement must be "Deny" (only the AWS-managed RCPFullAWSAccess allows)',
            )
        if statement.principal is None or not statement.principal.wildcard:
            raise self.error(_child(path, elements["Principal"][0]), 'an RCP statement needs "Principal": "*"')
        if statement.not_actions is not None:
            raise self.error(_child(path, elements["NotAction"][0]), '"NotAction" is not allowed in an RCP')
        if statement.actions is not None and "*" in statement.actions:
            written, raw = elements["Action"]
            index = statement.actions.index("*")
            raise self.error(
                _item_path(raw, _child(path, written), index),
                'an RCP cannot use "*" as an action; name a service, e.g. "s3:*"',
            )

    # -- conditions ---------------------------------------------------------

    def conditions(self, value: Any, path: str) -> tuple[Condition, ...]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object of condition operators, got {_show(value)}")
        conditions: list[Condition] = []
        for operator, block in value.items():
            where = _child(path, str(operator))
            parsed = parse_operator(operator) if isinstance(operator, str) else None
            if parsed is None:
                raise self.error(where, _operator_problem(str(operator)))
            if not isinstance(block, dict):
                raise self.error(where, f"expected an object of condition keys, got {_show(block)}")
            for key, raw in block.items():
                if not isinstance(key, str) or not key:
                    raise self.error(where, f"condition key {_show(key)} is not a non-empty string")
                key_path = _child(where, key)
                conditions.append(
                    Condition(
                        operator=operator,
                        base=parsed.info.base,
                        family=parsed.info.family,
                        negated=parsed.info.negated,
                        qualifier=parsed.qualifier,
                        if_exists=parsed.if_exists,
                        key=key,
                        values=self.condition_values(raw, key_path, parsed.info.family),
                    )
                )
        return tuple(conditions)

    def condition_values(self, raw: Any, path: str, family: OperatorFamily) -> tuple[str, ...]:
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise self.error(path, "expected at least one value")
        values: list[str] = []
        for index, item in enumerate(items):
            where = _item_path(raw, path, index)
            text = _condition_text(item)
            if text is None:
                raise self.error(where, "expected a string or list of strings")
            problem = _format_problem(family, text)
            if problem:
                raise self.error(where, problem)
            if family in (OperatorFamily.BOOL, OperatorFamily.NULL) and text.lower() in _BOOLEANS:
                text = text.lower()
            values.append(text)
        return tuple(values)


def _is_full_access(statement: Statement) -> bool:
    return (
        statement.effect is Effect.ALLOW
        and statement.principal is not None
        and statement.principal.is_everyone
        and statement.actions == ("*",)
        and statement.resources == ("*",)
        and not statement.conditions
    )


def _condition_text(item: Any) -> str | None:
    """A condition value as text; JSON booleans and numbers take their JSON spelling."""
    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, JsonFloat):
        return item.text
    if isinstance(item, int | float):
        return str(item)
    return None


def _format_problem(family: OperatorFamily, text: str) -> str | None:
    """Why `text` is not a value of the operator's type, or None if it is (§3.1)."""
    if family is OperatorFamily.NULL:
        if text.lower() not in _BOOLEANS:
            return f'"{text}" is not a Null value (expected "true" or "false")'
    elif family is OperatorFamily.BOOL:
        # ⚠ §3.1: AWS's pages disagree on variables in Bool; accept them here
        if text.lower() not in _BOOLEANS and "${" not in text:
            return f'"{text}" is not a Bool value (expected "true" or "false")'
    elif family is OperatorFamily.IP:
        if parse_cidr(text) is None:
            return f'"{text}" is not a CIDR'
    elif family is OperatorFamily.DATE:
        if parse_date(text) is None:
            return f'"{text}" is not a date (expected ISO 8601, e.g. "2020-01-01T00:00:00Z", or epoch seconds)'
    elif family is OperatorFamily.NUMERIC:
        if parse_number(text) is None:
            return f'"{text}" is not a number'
    elif family is OperatorFamily.BINARY and not _is_base64(text):
        return f'"{text}" is not base64'
    return None


def _is_base64(text: str) -> bool:
    try:
        binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return False
    return True


def _operator_problem(operator: str) -> str:
    rest = operator.split(":", 1)[-1].lower()
    if rest == "nullifexists":
        return f'"{operator}": IfExists cannot be used with Null'
    if ":" in operator and parse_operator(operator.split(":", 1)[1]) is not None:
        return f'unknown set qualifier in "{operator}" (expected ForAllValues or ForAnyValue)'
    return f'unknown condition operator "{operator}"'
