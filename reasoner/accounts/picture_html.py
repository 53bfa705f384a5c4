"""The access picture as one self-contained HTML page: the SVG Graphviz laid out,
a legend, the paths from outside as a list, and the evidence of each edge on
click (witness request, deciding statements with file and line, a replay
scenario to copy). No network at view time: no CDN, no font or script from
elsewhere. Every text from the snapshot reaches the page escaped (the script
writes it with textContent).
"""

from __future__ import annotations

import html
import json
from typing import Any

from reasoner.accounts.edges import FAIL, PASS, UNKNOWN, EdgeResult
from reasoner.accounts.picture_layout import AMBER, GREY, RED, render_svg, to_dot
from reasoner.accounts.picture_style import NodeStyle, edge_label, node_style
from reasoner.accounts.picture_view import Picture

_ICON_PATHS = {
    "box": '<rect x="2" y="4" width="28" height="14" rx="{r}"/>',
    "hexagon": '<path d="M2 11 L8 4 L24 4 L30 11 L24 18 L8 18 Z"/>',
    "parallelogram": '<path d="M7 4 L30 4 L25 18 L2 18 Z"/>',
    "doubleoctagon": '<path d="M8 2 L24 2 L30 8 L30 14 L24 20 L8 20 L2 14 L2 8 Z"/>'
                     '<path d="M9 5 L23 5 L27 9 L27 13 L23 17 L9 17 L5 13 L5 9 Z"/>',
    "cylinder": '<path d="M4 6 L4 17 A12 3 0 0 0 28 17 L28 6"/><ellipse cx="16" cy="6" rx="12" ry="3"/>',
}


def _icon(style: NodeStyle) -> str:
    shape = _ICON_PATHS.get(style.shape, _ICON_PATHS["box"]).replace("{r}", "4")
    dash = ' stroke-dasharray="3,2"' if style.dashed else ""
    return (f'<svg class="icon" width="32" height="22" viewBox="0 0 32 22" aria-hidden="true"><g fill="{style.fill}" '
            f'stroke="{style.border}" stroke-width="1.4"{dash}>{shape}</g></svg>')


def _line_icon(colour: str, dash: str = "", width: float = 2) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg class="icon" width="32" height="12" viewBox="0 0 32 12" aria-hidden="true"><line x1="1" y1="6" '
            f'x2="25" y2="6" stroke="{colour}" stroke-width="{width}"{dashes}/><path d="M24 2 L31 6 L24 10 Z" '
            f'fill="{colour}"/></svg>')


def _legend(picture: Picture) -> str:
    kinds = list(dict.fromkeys(node.kind for node in picture.nodes))
    rows = [f"<li>{_icon(node_style(kind))}<span>{html.escape(node_style(kind).legend)}</span></li>" for kind in kinds]
    if any(node.folded for node in picture.nodes):
        rows.append('<li><svg class="icon" width="32" height="22" viewBox="0 0 32 22" aria-hidden="true">'
                    '<g fill="none" stroke="#166534" stroke-dasharray="3,2">'
                    '<rect x="2" y="4" width="28" height="14" rx="4"/>'
                    '<rect x="4" y="6" width="24" height="10" rx="3"/></g></svg><span>equivalent users or roles '
                    "folded into one (click to list them)</span></li>")
    if any(node.alike for node in picture.nodes):
        rows.append('<li><svg class="icon" width="32" height="22" viewBox="0 0 32 22" aria-hidden="true">'
                    '<g fill="none" stroke="#166534"><rect x="2" y="4" width="28" height="14" rx="4"/>'
                    '<rect x="4" y="6" width="24" height="10" rx="3"/></g></svg><span>users or roles alike '
                    "(--group-alike): one node, its edges decided once for its first member and holding for "
                    "each; a member with edges of its own is joined to it by a one-of edge</span></li>")
    if any(edge.red for edge in picture.edges):
        rows.append(f"<li>{_line_icon(RED, width=3)}<span>exists, on a path from outside to the resource</span></li>")
    rows.append(f"<li>{_line_icon(GREY)}<span>exists (a replayed witness)</span></li>")
    if any(edge.status == UNKNOWN for edge in picture.edges):
        rows.append(f"<li>{_line_icon(AMBER, '5,3')}<span>undecided (the solver gave up: never read as absent)"
                    "</span></li>")
    if any(edge.status == PASS for edge in picture.edges):
        rows.append(f"<li>{_line_icon(GREY, '1,3')}<span>proven absent</span></li>")
    if any(group.kind == "outside" for group in picture.groups):
        rows.append('<li><span class="box-icon outside"></span><span>outside the zone of trust</span></li>')
    rows.append('<li><span class="box-icon account"></span><span>organization, OU, account</span></li>')
    return '<section id="legend"><h2>Legend</h2><ul>' + "".join(rows) + "</ul></section>"


def _verdict(picture: Picture) -> str:
    if picture.target is None:
        return '<p class="verdict none">No resource queried (<code>--to</code>): every edge is shown, none red.</p>'
    what = f"{', '.join(picture.actions)} on <code>{html.escape(picture.target)}</code>"
    if picture.result == FAIL:
        count = len(picture.findings)
        return (f'<p class="verdict fail"><strong>FAIL</strong>: {count} principal class(es) outside '
                f"{html.escape(picture.zone)} can {what}: the red edges.</p>")
    if picture.result == UNKNOWN:
        return (f'<p class="verdict unknown"><strong>UNKNOWN</strong>: an undecided edge lies on a would-be path '
                f"from outside to {what} (amber, dashed).</p>")
    return (f'<p class="verdict pass"><strong>PASS</strong>: no principal outside {html.escape(picture.zone)} can '
            f"{what}.</p>")


def _hop(edge: EdgeResult, labels: dict[str, str], actions: tuple[str, ...]) -> str:
    meaning = edge_label(edge.relation, actions if edge.relation != "can-assume" else ())
    return f" <span class=\"hop\">{html.escape(meaning)}</span> → {html.escape(labels.get(edge.target, edge.target))}"


def _findings(picture: Picture) -> str:
    if not picture.findings and not picture.undecided:
        return ""
    items = [f"<li>{html.escape(finding.source_label)}"
             + "".join(_hop(edge, picture.labels, picture.actions) for edge in finding.hops) + "</li>"
             for finding in picture.findings]
    undecided = [f"<li>{html.escape(picture.labels.get(edge.source, edge.source))} → "
                 f"{html.escape(picture.labels.get(edge.target, edge.target))}: {html.escape(edge.reason or '')}</li>"
                 for edge in picture.undecided]
    parts = ['<section id="findings">']
    if items:
        parts.append(f"<h2>Paths from outside</h2><ol>{''.join(items)}</ol>")
    if undecided:
        parts.append(f"<h2>Undecided edges on would-be paths</h2><ul>{''.join(undecided)}</ul>")
    return "".join(parts) + "</section>"


def _data(picture: Picture) -> dict[str, Any]:
    return {
        "nodes": {node.id: {"kind": node.kind, "label": node.label, "members": list(node.members),
                            "member_labels": list(node.member_labels), "alike": list(node.alike),
                            "outside": node.outside,
                            "legend": node_style(node.kind).legend} for node in picture.nodes},
        "edges": {edge.id: {"source": edge.source, "target": edge.target, "label": edge.label, "red": edge.red,
                            "status": edge.status, "count": edge.count,
                            "evidence": [e.to_json() for e in edge.evidence]} for edge in picture.edges},
        "labels": picture.labels,
    }


def _scope(picture: Picture) -> str:
    folded = sum(len(node.members) for node in picture.nodes if node.folded)
    parts = [f"{len(picture.nodes)} nodes, {len(picture.edges)} edges"]
    if picture.target is not None and picture.hidden:
        parts.append(f"{picture.hidden} nodes on no path to the resource hidden (<code>--all</code> shows them)")
    if folded:
        parts.append(f"{folded} equivalent users or roles folded into "
                     f"{sum(1 for node in picture.nodes if node.folded)} nodes")
    classes = [node for node in picture.nodes if node.alike]
    if classes:
        parts.append(f"{sum(len(node.alike) for node in classes)} users or roles alike as {len(classes)} "
                     "class nodes")
    return '<p class="scope">' + "; ".join(parts) + ". Click an edge for its evidence, a node for its members.</p>"


def to_html(picture: Picture) -> str:
    svg = render_svg(to_dot(picture))
    data = json.dumps(_data(picture), separators=(",", ":")).replace("</", "<\\/")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(picture.title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(picture.title)}</h1>{_verdict(picture)}{_scope(picture)}</header>"
        "<main><section id=\"canvas\"><div class=\"toolbar\">"
        "<label><input type=\"checkbox\" id=\"only-red\"> only the red paths</label>"
        "<button type=\"button\" id=\"zoom-fit\">Fit</button>"
        "<button type=\"button\" id=\"zoom-in\" aria-label=\"zoom in\">+</button>"
        "<button type=\"button\" id=\"zoom-out\" aria-label=\"zoom out\">−</button></div>"
        f"<div id=\"viewport\">{svg}</div></section>"
        f"<aside id=\"panel\">{_legend(picture)}<section id=\"details\"><h2>Evidence</h2>"
        "<p class=\"hint\">Click an edge (its label or line) to see its witness request, the statements that "
        "decided it, and the <code>perimeter evaluate</code> scenario that replays it.</p></section></aside></main>"
        f"{_findings(picture)}"
        f"<script type=\"application/json\" id=\"picture-data\">{data}</script>"
        f"<script>{_SCRIPT}</script></body></html>\n")


_CSS = """
*{box-sizing:border-box}
body{font-family:Helvetica,Arial,sans-serif;margin:0;color:#0f172a;background:#fff}
header{padding:12px 18px 4px;border-bottom:1px solid #e2e8f0}
h1{font-size:20px;margin:0 0 6px}
h2{font-size:15px;margin:12px 0 6px}
.verdict{margin:4px 0;font-size:14px}
.verdict.fail strong{color:#b91c1c}.verdict.unknown strong{color:#b45309}.verdict.pass strong{color:#15803d}
.scope{color:#475569;font-size:13px;margin:4px 0 8px}
main{display:flex;gap:0;align-items:stretch;min-height:70vh}
#canvas{flex:1 1 auto;min-width:0;position:relative;border-right:1px solid #e2e8f0}
#viewport{overflow:auto;height:78vh;padding:8px}
#viewport svg{display:block}
.toolbar{position:absolute;right:14px;top:8px;z-index:2;display:flex;gap:4px}
.toolbar label{font-size:12px;background:#fff;padding:2px 6px;border:1px solid #cbd5e1;border-radius:4px}
body.only-red g.edge:not(.red){opacity:.08}
body.only-red g.node:not(.red){opacity:.25}
.toolbar button,.copy{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #cbd5e1;background:#fff;
 border-radius:4px;cursor:pointer}
#panel{flex:0 0 380px;padding:4px 14px 14px;overflow:auto;max-height:calc(78vh + 16px);font-size:13px}
#legend ul{list-style:none;padding:0;margin:0}
#legend li{display:flex;align-items:center;gap:8px;margin:3px 0}
.icon{flex:0 0 auto}
.box-icon{display:inline-block;width:30px;height:18px;border-radius:5px;border:1.5px solid #475569;flex:0 0 auto}
.box-icon.outside{border:1.5px dashed #dc2626;background:#fef2f2}
g.edge,g.node{cursor:pointer}
g.edge.selected path,g.edge.selected polygon{stroke:#2563eb!important;stroke-width:3.5px}
g.edge.selected polygon{fill:#2563eb!important}
g.node.selected polygon,g.node.selected path,g.node.selected ellipse{stroke:#2563eb!important;stroke-width:3px}
pre{background:#f8fafc;border:1px solid #e2e8f0;padding:6px;overflow:auto;max-height:260px;font-size:11.5px;
 white-space:pre-wrap;word-break:break-all}
.evidence{border-top:1px solid #e2e8f0;margin-top:8px;padding-top:6px}
.evidence h3{font-size:13px;margin:4px 0}
.deciding li{margin:2px 0}
.note{color:#92400e}
#findings{padding:4px 18px 18px;font-size:14px}
#findings .hop{color:#b91c1c;font-style:italic}
#script-error{background:#fee2e2;color:#991b1b;padding:6px 18px}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("picture-data").textContent);
  var details = document.getElementById("details");
  var svg = document.querySelector("#viewport svg");
  var natural = {w: svg.width.baseVal.valueInSpecifiedUnits, h: svg.height.baseVal.valueInSpecifiedUnits};
  var scale = 1;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function label(id) { return data.labels[id] || id; }
  function copyButton(getText, what) {
    var button = el("button", "Copy " + what, "copy");
    button.type = "button";
    button.addEventListener("click", function () {
      var text = getText();
      function fallback() {
        var area = el("textarea"); area.value = text; document.body.appendChild(area);
        area.select(); try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
        document.body.removeChild(area);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {}, fallback);
      } else { fallback(); }
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy " + what; }, 1200);
    });
    return button;
  }
  function clear() {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    Array.prototype.forEach.call(document.querySelectorAll(".selected"), function (n) {
      n.classList.remove("selected");
    });
  }
  function evidenceBlock(ev) {
    var box = el("div", null, "evidence");
    box.appendChild(el("h3", label(ev.from) + " → " + label(ev.to)));
    var how = ev.status === "FAIL" ? "exists" : ev.status === "UNKNOWN" ? "undecided" : "proven absent";
    box.appendChild(el("p", ev.relation + ": " + how + (ev.network ? " (" + ev.network + ")" : "") +
      "; decided by " + ev.method));
    if (ev.request) {
      box.appendChild(el("p", "Witness request (replayed through the reference evaluator):"));
      box.appendChild(el("pre", JSON.stringify(ev.request, null, 2)));
    }
    if (ev.deciding && ev.deciding.length) {
      box.appendChild(el("p", "Allowed by:"));
      var list = el("ul", null, "deciding");
      ev.deciding.forEach(function (d) {
        var where = d.line ? d.file + ":" + d.line : d.file;
        list.appendChild(el("li", d.policy + " statement " + d.statement + (d.sid ? " (" + d.sid + ")" : "") +
          " — " + where));
      });
      box.appendChild(list);
    }
    if (ev.scenario) {
      box.appendChild(el("p", "Replay: save as scenario.json, then run perimeter evaluate scenario.json"));
      box.appendChild(copyButton(function () { return ev.scenario; }, "scenario"));
      box.appendChild(copyButton(function () { return "perimeter evaluate scenario.json"; }, "command"));
      box.appendChild(el("pre", ev.scenario, "scenario"));
    }
    if (ev.note) { box.appendChild(el("p", ev.note, "note")); }
    return box;
  }
  function showEdge(id, group) {
    clear();
    var edge = data.edges[id];
    if (!edge) { return; }
    if (group) { group.classList.add("selected"); }
    details.appendChild(el("h2", edge.label));
    if (edge.red) { details.appendChild(el("p", "On a path from outside the zone of trust to the resource.")); }
    if (edge.count > edge.evidence.length) {
      details.appendChild(el("p", "Stands for " + edge.count + " edges between equivalent principals; the first " +
        edge.evidence.length + " are shown."));
    }
    edge.evidence.forEach(function (ev) { details.appendChild(evidenceBlock(ev)); });
  }
  function showNode(id, group) {
    clear();
    var node = data.nodes[id];
    if (!node) { return; }
    if (group) { group.classList.add("selected"); }
    details.appendChild(el("h2", node.alike.length ? node.member_labels[0] : node.member_labels.length > 1 ?
      node.member_labels.length + " equivalent " + node.kind + "s" : node.member_labels[0]));
    details.appendChild(el("p", node.legend + (node.outside ? " (outside the zone of trust)" : "")));
    if (node.alike.length) {
      var alike = el("details"); alike.open = true;
      alike.appendChild(el("summary", "Members (only their names tell them apart: the edges out of this node " +
        "were decided for the first and hold for each)"));
      var names = el("ul");
      node.alike.forEach(function (m) { names.appendChild(el("li", m)); });
      alike.appendChild(names);
      details.appendChild(alike);
      details.appendChild(el("p", "To draw each member joined by its one-of edge: perimeter graph ... --no-fold",
        "hint"));
    } else if (node.members.length > 1) {
      var more = el("details"); more.open = true;
      more.appendChild(el("summary", "Members (each has edges of the same kinds into the same nodes)"));
      var list = el("ul");
      node.members.forEach(function (m) { list.appendChild(el("li", m)); });
      more.appendChild(list);
      details.appendChild(more);
      details.appendChild(el("p", "To draw them one by one: perimeter graph ... --no-fold", "hint"));
    } else {
      details.appendChild(el("pre", node.members[0]));
    }
    var edges = el("ul");
    Object.keys(data.edges).forEach(function (eid) {
      var edge = data.edges[eid];
      if (edge.source === id || edge.target === id) {
        var item = el("li"); var link = el("a", (edge.source === id ? "→ " : "← ") + edge.label + " " +
          (edge.source === id ? data.nodes[edge.target].member_labels[0] : data.nodes[edge.source].member_labels[0]));
        link.href = "#"; link.addEventListener("click", function (e) {
          e.preventDefault(); showEdge(eid, document.getElementById(eid));
        });
        item.appendChild(link); edges.appendChild(item);
      }
    });
    if (edges.firstChild) { details.appendChild(el("h3", "Edges")); details.appendChild(edges); }
  }
  Array.prototype.forEach.call(svg.querySelectorAll("g.edge"), function (group) {
    group.addEventListener("click", function () { showEdge(group.id, group); });
  });
  Array.prototype.forEach.call(svg.querySelectorAll("g.node"), function (group) {
    group.addEventListener("click", function () { showNode(group.id, group); });
  });
  function zoom(next) {
    scale = Math.max(0.05, Math.min(4, next));
    svg.setAttribute("width", (natural.w * scale) + "pt");
    svg.setAttribute("height", (natural.h * scale) + "pt");
  }
  function fit() {
    var viewport = document.getElementById("viewport");
    var pxPerPt = 4 / 3;
    // the whole picture when it fits at 45 % or more; else the full width
    var width = (viewport.clientWidth - 24) / (natural.w * pxPerPt);
    var height = (viewport.clientHeight - 24) / (natural.h * pxPerPt);
    zoom(Math.min(1, width, Math.max(0.45, height)));
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(scale * 1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(scale / 1.25); });
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("only-red").addEventListener("change", function (event) {
    document.body.classList.toggle("only-red", event.target.checked);
  });
  fit();
}());
"""
