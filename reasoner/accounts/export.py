"""The reachability graph as text: DOT, GraphML, Mermaid, JSON, and a self-contained
HTML page (inline SVG, no network) with one path highlighted.

Edges are labelled by what they mean ("can assume", "can access (undecided)") and
their state is `exists`, `absent` or `unknown` (`edges.EDGE_STATES`), never a check's
PASS/FAIL."""

from __future__ import annotations

import html
import io
import json
import math
from collections.abc import Sequence
from typing import Any

import networkx as nx

from reasoner.accounts.edges import EDGE_STATES, FAIL, PASS, EdgeResult

_COLOURS = {FAIL: "#c0392b", "UNKNOWN": "#d68910", PASS: "#95a5a6"}


def _edges(graph: Any, *, with_absent: bool) -> list[tuple[str, str, dict[str, Any]]]:
    return [(u, v, d) for u, v, d in graph.edges(data=True) if with_absent or d["status"] != PASS]


def _path_pairs(path: Sequence[EdgeResult]) -> set[tuple[str, str]]:
    return {(edge.source, edge.target) for edge in path}


def to_json(graph: Any, path: Sequence[EdgeResult] = (), *, with_absent: bool = False) -> str:
    from reasoner.accounts.reach import edge_json

    nodes = [{"id": n, "kind": d.get("kind"), "label": d.get("label")} for n, d in graph.nodes(data=True)]
    edges = [edge_json(d["result"]) for _, _, d in _edges(graph, with_absent=with_absent)]
    return json.dumps({"nodes": nodes, "edges": edges, "path": [[e.source, e.target] for e in path]}, indent=2)


def to_dot(graph: Any, path: Sequence[EdgeResult] = (), *, with_absent: bool = False) -> str:
    highlighted = _path_pairs(path)
    lines = ["digraph reach {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for node, data in graph.nodes(data=True):
        shape = "cylinder" if data.get("kind") == "resource" else "ellipse" if data.get("kind") in (
            "outside", "anonymous", "service", "federated", "account") else "box"
        lines.append(f"  {json.dumps(node)} [label={json.dumps(data.get('label') or node)}, shape={shape}];")
    for u, v, data in _edges(graph, with_absent=with_absent):
        width = 3 if (u, v) in highlighted else 1
        style = "dashed" if data["status"] != FAIL else "solid"
        label = data["result"].label
        lines.append(f"  {json.dumps(u)} -> {json.dumps(v)} [label={json.dumps(label)}, "
                     f"color=\"{_COLOURS[data['status']]}\", style={style}, penwidth={width}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(graph: Any, *, with_absent: bool = False) -> str:
    plain: nx.DiGraph[str] = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        plain.add_node(node, kind=str(data.get("kind")), label=str(data.get("label") or node))
    for u, v, data in _edges(graph, with_absent=with_absent):
        result: EdgeResult = data["result"]
        witness = json.dumps(result.witness.request_json()) if result.witness is not None else ""
        plain.add_edge(u, v, relation=result.relation, label=result.label, status=EDGE_STATES[result.status],
                       method=result.method,
                       witness=witness, reason=result.reason or "")
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer)
    return buffer.getvalue().decode("utf-8")


def _mermaid_id(index: int) -> str:
    return f"n{index}"


def to_mermaid(graph: Any, path: Sequence[EdgeResult] = (), *, with_absent: bool = False) -> str:
    ids = {node: _mermaid_id(i) for i, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        text = str(data.get("label") or node).replace('"', "'")
        lines.append(f'  {ids[node]}["{text}"]')
    highlighted = _path_pairs(path)
    links = []
    for u, v, data in _edges(graph, with_absent=with_absent):
        arrow = "-->" if data["status"] == FAIL else "-.->"
        lines.append(f'  {ids[u]} {arrow}|"{data["result"].label}"| {ids[v]}')
        links.append((u, v))
    for index, pair in enumerate(links):
        if pair in highlighted:
            lines.append(f"  linkStyle {index} stroke:#c0392b,stroke-width:4px")
    return "\n".join(lines) + "\n"


def _layout(graph: Any, roots: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Columns by distance from the roots (then from anything), rows in order."""
    depth: dict[str, int] = {}
    frontier = [n for n in roots if n in graph]
    for node in frontier:
        depth[node] = 0
    while frontier:
        nxt = []
        for node in frontier:
            for child in graph.successors(node):
                if child not in depth:
                    depth[child] = depth[node] + 1
                    nxt.append(child)
        frontier = nxt
    for node in graph.nodes:
        depth.setdefault(node, 0 if graph.in_degree(node) == 0 else 1)
    columns: dict[int, list[str]] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node], []).append(node)
    positions = {}
    for column, members in sorted(columns.items()):
        for row, node in enumerate(sorted(members)):
            positions[node] = (140 + column * 320.0, 60 + row * 90.0)
    return positions


def to_html(graph: Any, path: Sequence[EdgeResult] = (), *, title: str = "perimeter reachability",
            with_absent: bool = False) -> str:
    roots = [path[0].source] if path else [n for n in graph.nodes if graph.in_degree(n) == 0]
    positions = _layout(graph, roots)
    highlighted = _path_pairs(path)
    width = max((x for x, _ in positions.values()), default=0) + 200
    height = max((y for _, y in positions.values()), default=0) + 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}">',
             '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
             'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for u, v, data in _edges(graph, with_absent=with_absent):
        (x1, y1), (x2, y2) = positions[u], positions[v]
        on_path = (u, v) in highlighted
        colour = "#e74c3c" if on_path else _COLOURS[data["status"]]
        dash = "" if data["status"] == FAIL else ' stroke-dasharray="6,4"'
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ex, ey = x2 - (x2 - x1) * 70 / length, y2 - (y2 - y1) * 22 / length
        result: EdgeResult = data["result"]
        tip = f"{data['relation']} {data['status']}"
        if result.witness is not None:
            tip += "\n" + json.dumps(result.witness.request_json(), indent=1)
        parts.append(f'<g class="edge{" path" if on_path else ""}"><title>{html.escape(tip)}</title>'
                     f'<line x1="{x1 + 70:.0f}" y1="{y1:.0f}" x2="{ex:.0f}" y2="{ey:.0f}" stroke="{colour}" '
                     f'stroke-width="{4 if on_path else 1.5}"{dash} marker-end="url(#a)"/></g>')
    on_path_nodes = {e.source for e in path} | {e.target for e in path}
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        fill = "#fdebd0" if data.get("kind") == "resource" else "#eaf2f8"
        stroke = "#e74c3c" if node in on_path_nodes else "#34495e"
        label = str(data.get("label") or node)
        short = label if len(label) <= 26 else label[:24] + "…"
        parts.append(f'<g class="node"><title>{html.escape(node)}</title><rect x="{x - 70:.0f}" y="{y - 22:.0f}" '
                     f'width="140" height="44" rx="8" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{3 if node in on_path_nodes else 1}"/><text x="{x:.0f}" y="{y + 4:.0f}" '
                     f'text-anchor="middle" font-family="Helvetica" font-size="11">{html.escape(short)}</text></g>')
    parts.append("</svg>")
    hops = "".join(f"<li><code>{html.escape(e.source)}</code> {html.escape(e.relation)} "
                   f"<code>{html.escape(e.target)}</code></li>" for e in path)
    legend = (f"<h2>Highlighted path</h2><ol>{hops}</ol>" if path else "<p>No path highlighted.</p>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.escape(title) + "</title>"
            "<style>body{font-family:Helvetica,sans-serif;margin:1em} svg{border:1px solid #ddd}</style></head>"
            f"<body><h1>{html.escape(title)}</h1><p>Solid red: edge exists (witness replayed); dashed orange: "
            "unknown; hover an edge for its witness.</p>" + legend + "".join(parts) + "</body></html>\n")


def render(graph: Any, output_format: str, path: Sequence[EdgeResult] = (), *, with_absent: bool = False) -> str:
    if output_format == "dot":
        return to_dot(graph, path, with_absent=with_absent)
    if output_format == "graphml":
        return to_graphml(graph, with_absent=with_absent)
    if output_format == "mermaid":
        return to_mermaid(graph, path, with_absent=with_absent)
    if output_format == "html":
        return to_html(graph, path, with_absent=with_absent)
    return to_json(graph, path, with_absent=with_absent)
