"""The reachability graph as text: DOT, GraphML, Mermaid, JSON. The access picture
(HTML) and the Markdown summary are `picture_html` and `reports.markdown`.

Edges are labelled by what they mean ("can assume", "can access (undecided)") and
their state is `exists`, `absent` or `unknown` (`edges.EDGE_STATES`), never a check's
PASS/FAIL."""

from __future__ import annotations

import io
import json
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

    nodes = [{"id": n, "kind": d.get("kind"), "label": d.get("label"),
              **({"members": list(d["members"])} if d.get("members") else {})} for n, d in graph.nodes(data=True)]
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
        plain.add_node(node, kind=str(data.get("kind")), label=str(data.get("label") or node),
                       **({"members": " ".join(data["members"])} if data.get("members") else {}))
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


def render(graph: Any, output_format: str, path: Sequence[EdgeResult] = (), *, with_absent: bool = False) -> str:
    if output_format == "dot":
        return to_dot(graph, path, with_absent=with_absent)
    if output_format == "graphml":
        return to_graphml(graph, with_absent=with_absent)
    if output_format == "mermaid":
        return to_mermaid(graph, path, with_absent=with_absent)
    return to_json(graph, path, with_absent=with_absent)
