"""`--format markdown`: a summary for a pull-request comment or `GITHUB_STEP_SUMMARY`:
the result, a Mermaid diagram of the offending paths (GitHub draws it), and a table
of findings, with each witness in a folded block.

For `graph` and `who-can` the offending paths are those from a class outside the
zone of trust to the resource (red), or, when none is found, the undecided edges
on would-be paths (dashed); for `prove`, each finding's principal class and
resource.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from reasoner.accounts.alike import ONE_OF
from reasoner.accounts.edges import FAIL, UNKNOWN, EdgeResult
from reasoner.accounts.picture_style import edge_label, node_style
from reasoner.accounts.picture_view import Picture
from reasoner.accounts.reach import WhoCanEntry
from reasoner.prove.findings import Baseline, Finding, ProofReport, Status
from reasoner.reports import request_json
from reasoner.reports.mermaid import Flowchart

_CLASSES = {kind: f"fill:{style.fill},stroke:{style.border}" for kind, style in
            ((kind, node_style(kind)) for kind in ("user", "role", "roles", "account", "service", "federated",
                                                    "outside", "anonymous", "resource"))}


def cell(value: str) -> str:
    """Text for a Markdown table cell."""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(value: str) -> str:
    return f"`{value.replace('`', '')}`" if value else ""


def _hop_label(edge: EdgeResult, actions: tuple[str, ...]) -> str:
    return edge_label(edge.relation, () if edge.relation == "can-assume" else actions)


def _witness_block(title: str, edges: Sequence[EdgeResult]) -> list[str]:
    lines = ["<details>", f"<summary>{cell(title)}</summary>", ""]
    for index, edge in enumerate(edges, 1):
        lines.append(f"{index}. `{edge.source}` {edge.relation} `{edge.target}`"
                     + (f" ({edge.network})" if edge.network else ""))
        if edge.witness is not None:
            for ref in edge.witness.result.determining:
                where = f"{ref.source}:{ref.line}" if ref.line else ref.source
                lines.append(f"   - {cell(ref.text())}" if ref.synthetic else
                             f"   - allowed by {ref.policy} statement {ref.statement}"
                             + (f" ({ref.sid})" if ref.sid else "") + f" in `{where}`")
            lines += ["", "   ```json", *("   " + line for line in
                                           json.dumps(edge.witness.request_json(), indent=2).splitlines()),
                      "   ```"]
        elif edge.relation == ONE_OF:
            lines.append("   - a member of the class of callers alike: the class's edges, decided for its first "
                         "member, hold for it renamed")
        elif edge.reason:
            lines.append(f"   - undecided: {cell(edge.reason)}")
    lines += ["", "</details>", ""]
    return lines


def paths_flowchart(picture: Picture) -> Flowchart | None:
    """The offending paths of the picture, concrete nodes in their boxes."""
    edges: list[tuple[EdgeResult, str]] = [(edge, "red") for finding in picture.findings for edge in finding.hops]
    if not edges:
        edges = [(edge, "dashed") for edge in picture.undecided]
    if not edges:
        return None
    chart = Flowchart(classes=dict(_CLASSES))
    ids: dict[str, str] = {}
    boxes_used: set[str] = set()
    groups = {group.id: group for group in picture.groups}

    def node_id(member: str) -> str:
        if member not in ids:
            ids[member] = f"n{len(ids)}"
            shown = picture.node_of(member)
            kind = shown.kind if shown is not None else "resource"
            box = shown.group if shown is not None else None
            parent = box
            while parent is not None and parent not in boxes_used:
                boxes_used.add(parent)
                parent = groups[parent].parent if parent in groups else None
            chart.nodes.append((ids[member], picture.labels.get(member, member), node_style(kind).shape,
                                _box_id(box) if box else None, kind))
        return ids[member]

    seen: set[tuple[str, str]] = set()
    for edge, style in edges:
        if (edge.source, edge.target) in seen:
            continue
        seen.add((edge.source, edge.target))
        label = _hop_label(edge, picture.actions) + (" (undecided)" if edge.status == UNKNOWN else "")
        chart.edges.append((node_id(edge.source), node_id(edge.target), label, style))
    for group in picture.groups:
        if group.id in boxes_used:
            chart.boxes.append((_box_id(group.id), group.label, _box_id(group.parent) if group.parent else None))
    return chart


def _box_id(group: str) -> str:
    return "g_" + "".join(character if character.isalnum() else "_" for character in group)


def picture_markdown(picture: Picture, heading: str) -> str:
    lines = [f"### {heading}", ""]
    what = f"{', '.join(picture.actions)} on `{picture.target}`"
    if picture.result == FAIL:
        lines.append(f"**FAIL**: {len(picture.findings)} principal class(es) outside {picture.zone} can {what}.")
    elif picture.result == UNKNOWN:
        lines.append(f"**UNKNOWN**: an undecided edge lies on a would-be path from outside to {what}; nothing is "
                     "claimed about outsiders.")
    elif picture.result is not None:
        lines.append(f"**PASS**: no principal outside {picture.zone} can {what} (every edge from outside was "
                     "proven absent or excluded).")
    lines.append("")
    chart = paths_flowchart(picture)
    if chart is not None:
        lines += ["```mermaid", chart.render().rstrip("\n"), "```", ""]
    if picture.findings:
        lines += ["| # | from | path | result |", "| --- | --- | --- | --- |"]
        for index, finding in enumerate(picture.findings, 1):
            hops = " → ".join(f"*{_hop_label(edge, picture.actions)}* {code(edge.target)}" for edge in finding.hops)
            lines.append(f"| {index} | {cell(finding.source_label)} | {cell(hops)} | FAIL |")
        lines.append("")
        for index, finding in enumerate(picture.findings, 1):
            lines += _witness_block(f"Path {index}: witnesses, replayed through the reference evaluator",
                                    finding.hops)
    elif picture.undecided:
        lines += ["| from | to | why undecided |", "| --- | --- | --- |"]
        lines += [f"| {code(edge.source)} | {code(edge.target)} | {cell(edge.reason or '')} |"
                  for edge in picture.undecided]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def who_can_markdown(picture: Picture, action: str, resource: str, entries: Sequence[WhoCanEntry]) -> str:
    lines = [picture_markdown(picture, f"perimeter who-can {action} `{resource}`").rstrip("\n"), ""]
    if entries:
        lines += ["| principal | zone | can | via |", "| --- | --- | --- | --- |"]
        for entry in sorted(entries, key=lambda e: (not e.outside, e.status != FAIL, e.label)):
            via = " → ".join(code(edge.target) for edge in entry.path[:-1]) or "directly"
            who = entry.label + (f" (members: {', '.join(m.rsplit('/', 1)[-1] for m in entry.members)})"
                                 if entry.members else "")
            lines.append(f"| {cell(who)} | {'outside' if entry.outside else 'inside'} | "
                         f"{'can' if entry.status == FAIL else 'might (undecided)'} | {cell(via)} |")
    else:
        lines.append("Nobody can.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _verb(actions: Sequence[str]) -> str:
    return edge_label("can-access", tuple(actions))


def report_markdown(report: ProofReport, baseline: Baseline | None = None) -> str:
    """`perimeter prove --format markdown`."""
    accepted = baseline or Baseline()
    counts = {status: sum(1 for r in report.results if r.status is status) for status in Status}
    new = accepted.new_findings(report)
    overall = "FAIL" if new else "UNKNOWN" if counts[Status.UNKNOWN] else "PASS"
    lines = [f"### perimeter prove `{report.perimeter_file}`", "",
             f"**{overall}**: {counts[Status.PASS]} proven, {counts[Status.FAIL]} failed ({len(new)} new "
             f"finding(s)), {counts[Status.UNKNOWN]} unknown.", ""]
    if report.warnings:
        lines += [f"- warning: {cell(warning.text)}" for warning in report.warnings] + [""]
    findings = report.findings()
    if findings:
        chart = Flowchart(classes={"outside": _CLASSES["outside"], "resource": _CLASSES["resource"]})
        ids: dict[tuple[str, str], str] = {}

        def node(label: str, kind: str) -> str:
            if (kind, label) not in ids:
                ids[(kind, label)] = f"n{len(ids)}"
                chart.nodes.append((ids[(kind, label)], label, node_style(kind).shape,
                                    "callers" if kind == "outside" else "resources", kind))
            return ids[(kind, label)]

        chart.boxes += [("callers", "principals", None), ("resources", "resources", None)]
        for finding in findings:
            chart.edges.append((node(finding.principal_class, "outside"),
                                node(finding.witness_request.resource, "resource"), _verb(finding.actions),
                                "plain" if accepted.accepts(finding) else "red"))
        lines += ["```mermaid", chart.render().rstrip("\n"), "```", ""]
    lines += ["| invariant | result | findings |", "| --- | --- | --- |"]
    for result in report.results:
        detail = result.reason or ""
        if result.findings:
            fresh = sum(1 for finding in result.findings if not accepted.accepts(finding))
            detail = f"{len(result.findings)} ({fresh} new)"
        lines.append(f"| {cell(result.invariant_id)}: {cell(result.description)} | {result.status.value} | "
                     f"{cell(detail)} |")
    lines.append("")
    if findings:
        lines += ["| | finding | principals | actions | witness principal | allowed by |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for finding in findings:
            lines.append(f"| {'baselined' if accepted.accepts(finding) else 'new'} | {cell(finding.title)} | "
                         f"{cell(finding.principal_class)} | {cell(', '.join(finding.actions))} | "
                         f"{code(finding.witness_request.principal.text)} | {cell(_refs(finding))} |")
        lines.append("")
        lines += ["<details>", "<summary>Witness requests (each replayed through the reference evaluator)</summary>",
                  ""]
        for finding in findings:
            lines += [f"- {cell(finding.title)} ({finding.decision.value})", "", "  ```json",
                      *("  " + line for line in json.dumps(request_json(finding.witness_request), indent=2)
                        .splitlines()), "  ```", ""]
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _refs(finding: Finding) -> str:
    return "; ".join(f"{ref.policy} #{ref.statement}" + (f" {ref.sid}" if ref.sid else "")
                     + (f" ({ref.source}:{ref.line})" if ref.line else f" ({ref.source})")
                     for ref in finding.determining)
