"""`--format markdown`: the summary for a pull request, its Mermaid diagram checked by
Mermaid's own parser (node and tests/mermaid/node_modules, installed by .ci/run;
skipped with the reason where absent)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reasoner.accounts.picture_view import Picture, build_picture
from reasoner.accounts.reach import Reachability
from reasoner.evaluation.scenario import parse_request
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import Decision, Effect, StatementRef
from reasoner.prove.findings import Baseline, Finding, InvariantResult, ProofReport, Status, make_finding
from reasoner.reports.markdown import picture_markdown, report_markdown, who_can_markdown
from reasoner.reports.mermaid import Flowchart, text

ROOT = Path(__file__).resolve().parent.parent

MERMAID = Path(__file__).resolve().parent / "mermaid"
EXAMPLES = ROOT / "examples" / "snapshot"
BUCKET = "arn:aws:s3:::prod-data"


def _diagrams(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.DOTALL)


def mermaid_errors(diagrams: list[str], folder: Path) -> list[str]:
    """Mermaid's parser's complaints about each diagram (none when all parse)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed (the Mermaid syntax check runs Mermaid's parser with node)")
    if not (MERMAID / "node_modules" / "mermaid").is_dir():
        pytest.skip("tests/mermaid/node_modules is absent: run `npm ci --prefix tests/mermaid` (.ci/run does)")
    files = []
    for index, diagram in enumerate(diagrams):
        file = folder / f"diagram-{index}.mmd"
        file.write_text(diagram)
        files.append(str(file))
    run = subprocess.run(["node", str(MERMAID / "check.mjs"), *files], capture_output=True, text=True, timeout=600,
                         check=False)
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(files), run.stderr
    return [f"{r['file']}: {r['error']}" for r in results if not r["ok"]]


def _picture(name: str) -> tuple[Reachability, Picture]:
    reach = Reachability(load_snapshot(EXAMPLES / name))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    return reach, build_picture(reach, targets)


def test_leaky_summary_has_the_path_diagram_and_table(tmp_path: Path) -> None:
    _, picture = _picture("leaky")
    markdown = picture_markdown(picture, "perimeter graph")
    assert "**FAIL**" in markdown
    (diagram,) = _diagrams(markdown)
    assert "partner-integration" in diagram and "any principal outside the organization" in diagram
    assert '"outside the organization"' in diagram and '"account 333333333333 (dev)"' in diagram
    assert "linkStyle 0,1 stroke:#dc2626" in diagram  # the two hops, red
    assert "| 1 | any principal outside the organization |" in markdown
    assert "FAIL" not in diagram  # edges say what they mean
    assert mermaid_errors(_diagrams(markdown), tmp_path) == []


def test_fixed_summary_passes_without_a_diagram() -> None:
    _, picture = _picture("fixed")
    markdown = picture_markdown(picture, "perimeter graph")
    assert "**PASS**" in markdown and not _diagrams(markdown)


def test_who_can_summary_lists_every_principal(tmp_path: Path) -> None:
    reach, picture = _picture("leaky")
    entries = reach.who_can("s3:GetObject", BUCKET)
    markdown = who_can_markdown(picture, "s3:GetObject", BUCKET, entries)
    assert "| any principal outside the organization | outside | can |" in markdown
    assert mermaid_errors(_diagrams(markdown), tmp_path) == []


def _finding(principal_class: str, resource: str) -> Finding:
    request = parse_request({"principal": "arn:aws:iam::000011112222:role/intruder", "action": "s3:GetObject",
                             "resource": resource, "resource_account": "111122223333"}, source="test")
    grant = StatementRef("resource_policy", 0, "Public", Effect.ALLOW, source="policies/bucket.json", line=4)
    return make_finding(invariant_id="only-trusted-identities", title=f"{principal_class} can s3:GetObject",
                        principal_class=principal_class, actions=("s3:GetObject",), condition="",
                        witness_request=request, decision=Decision.ALLOW, determining=(grant,),
                        explanation="the bucket policy grants everyone")


def test_prove_summary(tmp_path: Path) -> None:
    new = _finding("outside-org (IAM users and roles)", "arn:aws:s3:::b/k")
    known = _finding("anonymous", "arn:aws:s3:::b/k")
    report = ProofReport("perimeter.yaml", (
        InvariantResult("only-trusted-identities", "Only trusted identities", Status.FAIL, (new, known)),
        InvariantResult("keeps-reading", "The app can read | the bucket", Status.PASS)))
    markdown = report_markdown(report, Baseline(frozenset({known.fingerprint})))
    assert markdown.startswith("### perimeter prove `perimeter.yaml`")
    assert "**FAIL**: 1 proven, 1 failed (1 new finding(s)), 0 unknown." in markdown
    assert "| only-trusted-identities: Only trusted identities | FAIL | 2 (1 new) |" in markdown
    assert "The app can read \\| the bucket" in markdown  # a pipe cannot split the table's cell
    assert "| new | outside-org (IAM users and roles) can s3:GetObject |" in markdown
    assert "| baselined | anonymous can s3:GetObject |" in markdown
    assert "resource_policy #0 Public (policies/bucket.json:4)" in markdown
    (diagram,) = _diagrams(markdown)
    assert "linkStyle 0 stroke:#dc2626" in diagram  # the new finding red, the baselined one not
    assert mermaid_errors([diagram], tmp_path) == []
    assert report_markdown(ProofReport("p.yaml", (InvariantResult("i", "d", Status.PASS),))).count("**PASS**") == 1


def test_labels_that_would_break_mermaid_are_escaped(tmp_path: Path) -> None:
    chart = Flowchart()
    chart.boxes.append(("b0", 'account "x" | <y> `z` #1', None))
    chart.nodes.append(("n0", 'role "quoted" | pipe <b> `tick` #hash\nsecond line', "box", "b0", ""))
    chart.nodes.append(("n1", "arn:aws:s3:::bucket/a*b?c", "cylinder", None, ""))
    chart.edges.append(("n0", "n1", 'can read "x" | y', "red"))
    assert '"' not in text('a"b') and "|" not in text("a|b")
    assert mermaid_errors([chart.render()], tmp_path) == []


def test_the_syntax_check_rejects_a_broken_diagram(tmp_path: Path) -> None:
    assert mermaid_errors(['flowchart LR\n  a["x] --> b((\n'], tmp_path) != []


def test_unknown_summary_draws_the_undecided_edges_dashed(tmp_path: Path) -> None:
    from dataclasses import replace

    reach = Reachability(load_snapshot(EXAMPLES / "leaky"))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    partner = "arn:aws:iam::333333333333:role/partner-integration"
    data = reach.graph[partner][BUCKET]  # as a solver timeout leaves it
    data["result"] = replace(data["result"], status="UNKNOWN", witness=None, reason="timeout after 10 s")
    data["status"] = "UNKNOWN"
    markdown = picture_markdown(build_picture(reach, targets), "perimeter graph")
    assert "**UNKNOWN**" in markdown
    (diagram,) = _diagrams(markdown)
    assert "-.->" in diagram and "linkStyle" not in diagram
    assert "timeout after 10 s" in markdown
    assert mermaid_errors([diagram], tmp_path) == []


def test_the_boxes_come_in_the_same_order_whatever_order_the_nodes_come_in() -> None:
    """The diagram is the same text on every run: the boxes' order does not follow the
    iteration order of a set of node names (which changes with PYTHONHASHSEED)."""
    from reasoner.accounts.picture_view import _Builder

    reach = Reachability(load_snapshot(EXAMPLES / "leaky"))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    builder = _Builder(reach, targets, None, False, True, False)
    nodes = sorted(builder.shown_nodes())
    forward = builder.groups_of(nodes)
    backward = builder.groups_of(list(reversed(nodes)))
    assert [group.id for group in forward[1]] == [group.id for group in backward[1]]
    assert forward[0] == backward[0]
