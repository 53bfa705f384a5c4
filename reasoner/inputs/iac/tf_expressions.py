"""Terraform expressions from the `.tf` sources, evaluated over what the plan
knows (`--terraform-dir`).

A plan gives a policy built from a value known only after apply as wholly unknown
(`jsonencode` of an unknown ARN is an unknown string). Its expression in the
sources says which parts are unknown: this module evaluates the expressions policies
are written with (strings with `${...}`, lists, objects, numbers, `true`/`false`/
`null`, heredocs, references, `jsonencode`, `format`, `concat`, `merge`, `join`,
`lower`, `upper`, `tolist`, `toset`) and leaves every other construct `Opaque`,
never guessed. A reference is resolved by `resolve` (the plan's values, ARNs built
from names, `var.` from the plan's variables, `local.` from the sources) and is an
`Unknown` named by resource and attribute when the plan knows it only after apply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from reasoner.inputs.iac.values import Opaque, Template, Unknown

Resolver = Callable[[tuple[str | int, ...]], Any]


def evaluate(node: Any, resolve: Resolver, where: str) -> Any:
    """The value of an expression node of python-hcl2's lark tree."""
    return _Evaluator(resolve, where).value(node)


def _children(node: Any) -> list[Any]:
    return [child for child in getattr(node, "children", ()) if getattr(child, "data", None) != "new_line_or_comment"
            and not _is_punctuation(child)]


def _is_punctuation(node: Any) -> bool:
    return getattr(node, "type", None) is not None and str(node).strip() in (
        "[", "]", "{", "}", "(", ")", ",", "=", ":", ".", '"', "${", "?", "")


class _Evaluator:
    def __init__(self, resolve: Resolver, where: str) -> None:
        self.resolve = resolve
        self.where = where

    def opaque(self, what: str) -> Opaque:
        return Opaque(f"{what} at {self.where}, which this reader does not evaluate")

    def value(self, node: Any) -> Any:
        kind = getattr(node, "data", None)
        if kind is None:  # a token
            return self.token(node)
        handler = getattr(self, f"node_{kind}", None)
        if handler is None:
            return self.opaque(f"a {kind.replace('_', ' ')}")
        return handler(node)

    def token(self, token: Any) -> Any:
        kind = getattr(token, "type", "")
        text = str(token)
        if kind in ("INT_LIT", "DECIMAL") or kind.endswith("INT_LIT"):
            return int(text)
        if kind.startswith("HEREDOC") or text.startswith("<<"):
            return self.heredoc(text)
        return self.opaque(f"the token {text!r}")

    # -- literals ------------------------------------------------------------

    def node_expr_term(self, node: Any) -> Any:
        children = _children(node)
        if len(children) != 1:
            return self.opaque("a parenthesised expression" if not children else "an expression")
        return self.value(children[0])

    def node_int_lit(self, node: Any) -> Any:
        return int("".join(str(child) for child in node.children))

    def node_float_lit(self, node: Any) -> Any:
        text = "".join(str(child) for child in node.children)
        return float(text)

    def node_literal_value(self, node: Any) -> Any:
        text = "".join(str(child) for child in node.children)
        return {"true": True, "false": False, "null": None}.get(text, self.opaque(f"the literal {text}"))

    def node_heredoc_template(self, node: Any) -> Any:
        return self.heredoc("".join(str(child) for child in node.children))

    def node_heredoc_template_trim(self, node: Any) -> Any:
        return self.heredoc("".join(str(child) for child in node.children))

    def heredoc(self, text: str) -> Any:
        found = re.match(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n(.*)\n\s*\2\s*$", text, re.DOTALL)
        if found is None:
            return self.opaque("a heredoc")
        body = found.group(3)
        if found.group(1):  # <<- strips the smallest indentation
            lines = body.split("\n")
            indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
            body = "\n".join(line[indent:] for line in lines)
        return self.template_text(body + "\n")

    def template_text(self, text: str) -> Any:
        """A template string's text: `${ref}` interpolations of plain references,
        `$${` an escaped `${`."""
        pieces: list[Any] = []
        position = 0
        for found in re.finditer(r"\$\$\{|%%\{|\$\{([^}]*)\}|%\{", text):
            pieces.append(text[position:found.start()])
            position = found.end()
            token = found.group(0)
            if token == "$${":
                pieces.append("${")
            elif token == "%%{":
                pieces.append("%{")
            elif token.startswith("%"):
                return self.opaque("a template directive")
            else:
                reference = _parse_reference(found.group(1).strip())
                if reference is None:
                    return self.opaque(f"the interpolation ${{{found.group(1)}}}")
                pieces.append(self.interpolated(self.resolve(reference)))
        pieces.append(text[position:])
        return Template.of(*pieces)

    def interpolated(self, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str | Template | Unknown | Opaque):
            return value
        return self.opaque("an interpolation of a list or object")

    def node_string(self, node: Any) -> Any:
        pieces: list[Any] = []
        for child in node.children:
            if getattr(child, "data", None) == "string_part":
                for part in child.children:
                    if getattr(part, "data", None) == "interpolation":
                        inner = _children(part)
                        value = self.interpolated(self.value(inner[0])) if len(inner) == 1 else self.opaque(
                            "an interpolation")
                        pieces.append(value)
                    elif getattr(part, "data", None) is None:
                        text = str(part)
                        pieces.append(text.replace("$${", "${").replace("%%{", "%{"))
                    else:
                        pieces.append(self.opaque("a template directive"))
        opaque = next((piece for piece in pieces if isinstance(piece, Opaque)), None)
        if opaque is not None:
            return opaque
        return Template.of(*pieces)

    def node_tuple(self, node: Any) -> Any:
        return [self.value(child) for child in _children(node)]

    def node_object(self, node: Any) -> Any:
        result: dict[str, Any] = {}
        for element in _children(node):
            if getattr(element, "data", None) != "object_elem":
                return self.opaque("an object")
            parts = _children(element)
            if len(parts) != 2:
                return self.opaque("an object element")
            key = self.key(parts[0])
            if not isinstance(key, str):
                return self.opaque("an object key the plan does not fix")
            result[key] = self.value(parts[1])
        return result

    def key(self, node: Any) -> Any:
        inner = _children(node)
        target = inner[0] if len(inner) == 1 else node
        while getattr(target, "data", None) == "expr_term" and len(_children(target)) == 1:
            target = _children(target)[0]
        if getattr(target, "data", None) == "identifier":
            return str(target.children[0])
        return self.value(target)

    # -- references and functions ------------------------------------------------

    def node_identifier(self, node: Any) -> Any:
        return self.resolve((str(node.children[0]),))

    def node_get_attr_expr_term(self, node: Any) -> Any:
        reference = _reference_of(node)
        if reference is None:
            return self.opaque("an attribute of an expression")
        return self.resolve(reference)

    def node_index_expr_term(self, node: Any) -> Any:
        reference = _reference_of(node)
        if reference is None:
            return self.opaque("an index expression")
        return self.resolve(reference)

    def node_function_call(self, node: Any) -> Any:
        parts = _children(node)
        name = str(parts[0].children[0]) if parts and getattr(parts[0], "data", None) == "identifier" else ""
        arguments = [self.value(child) for child in _children(parts[1])] if len(parts) > 1 else []
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return self.opaque(f"the function {name}()")
        opaque = next((argument for argument in arguments if isinstance(argument, Opaque)), None)
        if opaque is not None:
            return opaque
        try:
            return handler(arguments)
        except (TypeError, ValueError, IndexError):
            return self.opaque(f"{name}() of these arguments")


def _reference_of(node: Any) -> tuple[str | int, ...] | None:
    """`a.b[0].c` as ("a", "b", 0, "c"); None when it is not a plain reference."""
    kind = getattr(node, "data", None)
    if kind == "expr_term":
        children = _children(node)
        return _reference_of(children[0]) if len(children) == 1 else None
    if kind == "identifier":
        return (str(node.children[0]),)
    if kind == "get_attr_expr_term":
        children = _children(node)
        if len(children) != 2 or getattr(children[1], "data", None) != "get_attr":
            return None
        base = _reference_of(children[0])
        names = [child for child in _children(children[1]) if getattr(child, "data", None) == "identifier"]
        return None if base is None or len(names) != 1 else (*base, str(names[0].children[0]))
    if kind == "index_expr_term":
        children = _children(node)
        if len(children) != 2 or getattr(children[1], "data", None) != "braces_index":
            return None
        base = _reference_of(children[0])
        index = _children(children[1])
        if base is None or len(index) != 1:
            return None
        literal = index[0]
        while getattr(literal, "data", None) == "expr_term" and len(_children(literal)) == 1:
            literal = _children(literal)[0]
        if getattr(literal, "data", None) == "int_lit":
            return (*base, int("".join(str(c) for c in literal.children)))
        if getattr(literal, "data", None) == "string":
            text = "".join(str(part.children[0]) for part in literal.children if getattr(part, "data", None) ==
                           "string_part" and len(part.children) == 1 and getattr(part.children[0], "data", None)
                           is None)
            return (*base, text)
        return None
    return None


def _parse_reference(text: str) -> tuple[str | int, ...] | None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\[\"[^\"]*\"\])*", text):
        return None
    steps: list[str | int] = []
    for found in re.finditer(r"([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[\"([^\"]*)\"\]", text):
        if found.group(1) is not None:
            steps.append(found.group(1))
        elif found.group(2) is not None:
            steps.append(int(found.group(2)))
        else:
            steps.append(found.group(3))
    return tuple(steps)


def has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown | Template | Opaque):
        return True
    if isinstance(value, dict):
        return any(has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(has_unknown(item) for item in value)
    return False


def _jsonencode(arguments: list[Any]) -> Any:
    """`jsonencode(x)`: the JSON text, or, when `x` holds unknowns, `x` itself as a
    `JsonOf` (the document a policy attribute is read as)."""
    (value,) = arguments
    if has_unknown(value):
        return JsonOf(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class JsonOf:
    """The JSON text of a value that holds unknowns: a policy attribute set to it
    is read as that value."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _format(arguments: list[Any]) -> Any:
    pattern, *values = arguments
    if not isinstance(pattern, str) or re.search(r"%[^s%]", pattern):
        raise ValueError("format verbs other than %s")
    pieces: list[Any] = []
    items = iter(values)
    for index, chunk in enumerate(re.split(r"(%%|%s)", pattern)):
        if index % 2 == 0:
            pieces.append(chunk)
        elif chunk == "%%":
            pieces.append("%")
        else:
            pieces.append(next(items))
    return Template.of(*pieces)


def _concat(arguments: list[Any]) -> Any:
    if not all(isinstance(argument, list) for argument in arguments):
        raise TypeError("concat of non-lists")
    return [item for argument in arguments for item in argument]


def _merge(arguments: list[Any]) -> Any:
    if not all(isinstance(argument, dict) for argument in arguments):
        raise TypeError("merge of non-objects")
    result: dict[str, Any] = {}
    for argument in arguments:
        result.update(argument)
    return result


def _join(arguments: list[Any]) -> Any:
    separator, items = arguments
    if not isinstance(separator, str) or not isinstance(items, list):
        raise TypeError("join")
    pieces: list[Any] = []
    for index, item in enumerate(items):
        if index:
            pieces.append(separator)
        pieces.append(item)
    return Template.of(*pieces)


def _case(change: Callable[[str], str]) -> Callable[[list[Any]], Any]:
    def handler(arguments: list[Any]) -> Any:
        (text,) = arguments
        if not isinstance(text, str):
            raise TypeError("a case change of an unknown")
        return change(text)

    return handler


def _same(arguments: list[Any]) -> Any:
    (value,) = arguments
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


_FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "jsonencode": _jsonencode,
    "format": _format,
    "concat": _concat,
    "merge": _merge,
    "join": _join,
    "lower": _case(str.lower),
    "upper": _case(str.upper),
    "tolist": _same,
    "toset": _same,
}
