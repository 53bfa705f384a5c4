"""Mermaid flowcharts (GitHub renders them in Markdown): nodes in nested boxes, edges
with labels, red ones styled. Only the writer: what to draw is the caller's.

Text goes inside double quotes, with `"` written as `#quot;` (Mermaid's entity
code) and the characters Markdown or Mermaid would read (`<`, `>`, `|`, backquote,
`#`) as entity codes too, so an ARN or a label never breaks the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "`": "#96;"}
_SHAPES = {  # Graphviz shape -> Mermaid brackets
    "box": ('["', '"]'), "hexagon": ('{{"', '"}}'), "parallelogram": ('[/"', '"/]'),
    "doubleoctagon": ('[["', '"]]'), "cylinder": ('[("', '")]'),
}


def text(value: str) -> str:
    escaped = "".join(_ENTITIES.get(character, character) for character in value)
    return escaped.replace("\n", "<br/>")


@dataclass
class Flowchart:
    nodes: list[tuple[str, str, str, str | None, str]] = field(default_factory=list)  # id, label, shape, box, class
    boxes: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, label, parent box
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # from, to, label, red/dashed/plain
    classes: dict[str, str] = field(default_factory=dict)  # class name -> style

    def render(self) -> str:
        lines = ["flowchart LR"]
        children: dict[str | None, list[tuple[str, str, str | None]]] = {}
        for box in self.boxes:
            children.setdefault(box[2], []).append(box)
        members: dict[str | None, list[tuple[str, str, str, str | None, str]]] = {}
        for node in self.nodes:
            members.setdefault(node[3], []).append(node)

        def node_line(node: tuple[str, str, str, str | None, str], indent: str) -> str:
            node_id, label, shape, _, css = node
            opening, closing = _SHAPES.get(shape, _SHAPES["box"])
            return f"{indent}{node_id}{opening}{text(label)}{closing}" + (f":::{css}" if css else "")

        def emit(box: tuple[str, str, str | None], depth: int) -> None:
            indent = "  " * depth
            lines.append(f'{indent}subgraph {box[0]}["{text(box[1])}"]')
            for child in children.get(box[0], []):
                emit(child, depth + 1)
            lines.extend(node_line(node, indent + "  ") for node in members.get(box[0], []))
            lines.append(f"{indent}end")

        for box in children.get(None, []):
            emit(box, 1)
        lines.extend(node_line(node, "  ") for node in members.get(None, []))
        for source, target, label, style in self.edges:
            arrow = "-.->" if style == "dashed" else "-->"
            lines.append(f'  {source} {arrow}|"{text(label)}"| {target}')
        for name, style in self.classes.items():
            lines.append(f"  classDef {name} {style}")
        red = [str(index) for index, edge in enumerate(self.edges) if edge[3] == "red"]
        if red:
            lines.append(f"  linkStyle {','.join(red)} stroke:#dc2626,stroke-width:3px,color:#b91c1c")
        return "\n".join(lines) + "\n"
