"""The `.tf` sources of a plan (`--terraform-dir`): where each resource's
attributes are written, for findings that point at the line a person edits.

The files are parsed with python-hcl2's grammar (a lark tree whose tokens keep
their lines). Child modules are found through the plan's `module_calls` sources
(local paths, relative to the calling module's folder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasoner.errors import InputError


@dataclass
class _Block:
    file: str
    line: int
    attributes: dict[str, int] = field(default_factory=dict)  # attribute -> line
    expressions: dict[str, Any] = field(default_factory=dict)  # attribute -> its expression (a lark tree)
    blocks: dict[str, list[_Block]] = field(default_factory=dict)  # nested block type -> blocks in order


@dataclass
class TerraformSources:
    """Lines of the resource and data blocks of one folder per module path."""

    folders: dict[str, Path] = field(default_factory=dict)  # module path ("" root, "module.a") -> folder
    blocks: dict[tuple[str, str, str, str], _Block] = field(default_factory=dict)  # (module, mode, type, name)
    locals: dict[tuple[str, str], tuple[Any, str, int]] = field(default_factory=dict)  # (module, name) -> expression

    def expression(self, module: str, mode: str, resource_type: str, name: str,
                   attribute: str) -> tuple[Any, str, int] | None:
        """The expression written for `attribute` (`policy`, `statement[0].resources`)
        with its file and line, or None when the sources do not write it."""
        current = self.blocks.get((module, mode, resource_type, name))
        if current is None or not attribute:
            return None
        steps = [step for step in re.split(r"\.(?![^\[]*\])", attribute) if step]
        for position, step in enumerate(steps):
            found = re.fullmatch(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?", step)
            if found is None:
                return None
            key, index = found.group(1), found.group(2)
            if position == len(steps) - 1:
                if index is not None or key not in current.expressions:
                    return None
                return current.expressions[key], current.file, current.attributes[key]
            nested = current.blocks.get(key)
            if not nested or index is None or int(index) >= len(nested):
                return None
            current = nested[int(index)]
        return None

    def locate(self, module: str, mode: str, resource_type: str, name: str, attribute: str) -> tuple[str, int] | None:
        """File and line of `attribute` (`policy`, `inline_policy[1].policy`) of a
        resource, or of its block when the attribute is not written there."""
        block = self.blocks.get((module, mode, resource_type, name))
        if block is None:
            return None
        current = block
        steps = [step for step in re.split(r"\.(?![^\[]*\])", attribute) if step] if attribute else []
        for step in steps:
            found = re.fullmatch(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?", step)
            if found is None:
                break
            key, index = found.group(1), found.group(2)
            nested = current.blocks.get(key)
            if nested:
                position = int(index) if index is not None else 0
                if position >= len(nested):
                    return current.file, current.line
                current = nested[position]
                continue
            if key in current.attributes:
                return current.file, current.attributes[key]
            break
        return current.file, current.line


def read_sources(root: Path, module_calls: dict[str, str]) -> TerraformSources:
    """Every `.tf` file of `root` and of the local modules in `module_calls`
    (module path -> source as written, e.g. {"module.net": "./modules/net"})."""
    sources = TerraformSources()
    if not root.is_dir():
        raise InputError(str(root), "", "--terraform-dir: not a folder")
    sources.folders[""] = root
    for module, source in sorted(module_calls.items(), key=lambda item: item[0].count(".")):
        parent = module.rsplit(".module.", 1)[0] if ".module." in module else ""
        base = sources.folders.get(parent)
        if base is None or not (source.startswith("./") or source.startswith("../")):
            continue  # a registry or remote module: its sources are not here
        folder = (base / source).resolve()
        if folder.is_dir():
            sources.folders[module] = folder
    for module, folder in sources.folders.items():
        for path in sorted(folder.glob("*.tf")):
            _read_file(path, module, sources)
    return sources


def _read_file(path: Path, module: str, sources: TerraformSources) -> None:
    import hcl2
    from lark.exceptions import LarkError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), "", f"cannot read file: {error}") from None
    try:
        tree = hcl2.parses_to_tree(text)
    except (LarkError, ValueError) as error:
        line = getattr(error, "line", None)
        where = f"line {line}" if isinstance(line, int) and line > 0 else ""
        raise InputError(str(path), where, f"invalid HCL: {' '.join(str(error).split())[:200]}") from None
    body = _first_child(tree, "body")
    if body is None:
        return
    for child in body.children:
        if getattr(child, "data", None) != "block":
            continue
        head = _block_head(child)
        if len(head) == 3 and head[0] in ("resource", "data"):
            mode = "managed" if head[0] == "resource" else "data"
            sources.blocks[(module, mode, head[1], head[2])] = _block(child, str(path))
        elif head == ["locals"]:
            block = _block(child, str(path))
            for name, expression in block.expressions.items():
                sources.locals[(module, name)] = (expression, str(path), block.attributes[name])


def _first_child(tree: Any, name: str) -> Any:
    for child in getattr(tree, "children", ()):
        if getattr(child, "data", None) == name:
            return child
    return None


def _token_text(node: Any) -> str:
    """The text of an identifier or string label."""
    if hasattr(node, "children"):
        return "".join(_token_text(child) for child in node.children if not _is_quote(child))
    return str(node)


def _is_quote(node: Any) -> bool:
    return getattr(node, "type", None) == "DBLQUOTE"


def _line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return int(meta.line)
    for child in getattr(node, "children", ()):
        line = getattr(child, "line", None)
        if isinstance(line, int):
            return line
        if hasattr(child, "children"):
            return _line(child)
    return 0


def _block_head(block: Any) -> list[str]:
    head = []
    for child in block.children:
        kind = getattr(child, "data", None)
        if kind in ("identifier", "string"):
            head.append(_token_text(child))
        elif kind == "body" or getattr(child, "type", None) == "LBRACE":
            break
    return head


def _block(node: Any, file: str) -> _Block:
    block = _Block(file, _line(node))
    body = _first_child(node, "body")
    for child in getattr(body, "children", ()):
        kind = getattr(child, "data", None)
        if kind == "attribute":
            name = _token_text(child.children[0])
            block.attributes[name] = _line(child)
            block.expressions[name] = child.children[-1]
        elif kind == "block":
            head = _block_head(child)
            if head:
                block.blocks.setdefault(head[0], []).append(_block(child, file))
    return block
