"""The access picture's content: what is shown, what is red, the boxes, the folding,
the labels, and evidence whose scenarios replay through `perimeter evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reasoner.accounts.picture_style import EDGE_MEANINGS, edge_label
from reasoner.accounts.picture_view import Picture, build_picture
from reasoner.accounts.reach import Reachability
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import load_scenario
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.document import policy_document
from reasoner.policy.model import Decision
from reasoner.policy.parse import parse_policy

ROOT = Path(__file__).resolve().parent.parent

EXAMPLES = ROOT / "examples" / "snapshot"
BUCKET = "arn:aws:s3:::prod-data"
PARTNER = "arn:aws:iam::333333333333:role/partner-integration"
OUTSIDE = "external:outside-organization"


def _picture(name: str, **options: bool) -> Picture:
    reach = Reachability(load_snapshot(EXAMPLES / name))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    return build_picture(reach, targets, title=name, **options)


@pytest.fixture(scope="module")
def leaky() -> Picture:
    return _picture("leaky")


def _member_edges(picture: Picture) -> dict[tuple[str, str], bool]:
    """(from, to) of every underlying edge shown, and whether it is drawn red."""
    return {(evidence.source, evidence.target): edge.red for edge in picture.edges for evidence in edge.evidence}


def test_leaky_red_edges_are_exactly_the_path_from_outside(leaky: Picture) -> None:
    assert leaky.result == "FAIL"
    red = {pair for pair, is_red in _member_edges(leaky).items() if is_red}
    assert red == {(OUTSIDE, PARTNER), (PARTNER, BUCKET)}
    # other edges exist (alice -> ops -> partner-integration, ec2 -> app -> bucket) but are not red
    assert ("arn:aws:iam::222222222222:role/app", BUCKET) in _member_edges(leaky)
    (finding,) = leaky.findings
    assert finding.source == OUTSIDE and [hop.target for hop in finding.hops] == [PARTNER, BUCKET]


def test_fixed_has_no_red_edge_and_passes() -> None:
    fixed = _picture("fixed")
    assert fixed.result == "PASS" and not fixed.findings
    assert not any(edge.red for edge in fixed.edges) and not any(node.red for node in fixed.nodes)


def test_nodes_sit_in_organization_ou_account_boxes(leaky: Picture) -> None:
    groups = {group.id: group for group in leaky.groups}

    def chain(member: str) -> list[str]:
        node = leaky.node_of(member)
        assert node is not None
        found, current = [], node.group
        while current is not None:
            found.append(groups[current].label)
            current = groups[current].parent
        return found

    assert chain(PARTNER) == ["account 333333333333 (dev)", "OU workloads", "organization o-exampleorg1"]
    assert chain(BUCKET) == ["account 222222222222 (prod)", "OU workloads", "organization o-exampleorg1"]
    assert chain(OUTSIDE) == ["outside the organization"]
    outside = leaky.node_of(OUTSIDE)
    assert outside is not None and outside.outside and outside.kind == "outside"


def test_default_shows_only_nodes_on_a_path_to_the_resource(leaky: Picture) -> None:
    shown = {member for node in leaky.nodes for member in node.members}
    assert "external:anonymous" not in shown and leaky.hidden >= 1
    everything = _picture("leaky", show_all=True)
    assert "external:anonymous" in {member for node in everything.nodes for member in node.members}
    assert everything.hidden == 0


def test_edge_labels_say_what_edges_mean(leaky: Picture) -> None:
    labels = {edge.label for edge in leaky.edges}
    assert labels == {"can assume", "can read"}
    assert not any(word in label for label in labels for word in ("FAIL", "PASS"))
    # table-driven: the edge kinds of other sources of access slot in
    assert edge_label("acl", ("s3:GetObject",)) == "can read via ACL"
    assert edge_label("grant", ("kms:Decrypt",)) == "can write via grant"
    assert edge_label("access-point", ("s3:PutObject",)) == "can write via access point"
    assert edge_label("some-new-kind") == "some new kind"
    assert set(EDGE_MEANINGS) >= {"can-assume", "can-access", "acl", "grant", "access-point"}


def test_every_evidence_scenario_replays_through_perimeter_evaluate(leaky: Picture, tmp_path: Path) -> None:
    scenarios = [evidence for edge in leaky.edges for evidence in edge.evidence]
    assert scenarios and all(evidence.scenario is not None for evidence in scenarios)
    for index, evidence in enumerate(scenarios):
        assert evidence.scenario is not None and evidence.request is not None
        file = tmp_path / f"scenario-{index}.json"
        file.write_text(evidence.scenario)
        scenario = load_scenario(file)
        assert evaluate(scenario.request, scenario.policies).decision is Decision.ALLOW
        assert json.loads(evidence.scenario)["request"] == evidence.request
        assert evidence.deciding and all(d["file"] for d in evidence.deciding)


def test_policy_documents_parse_back_to_the_same_statements() -> None:
    from dataclasses import replace

    for file in sorted((ROOT / "examples" / "policies").glob("*.json")):
        document = json.loads(file.read_text())
        policy_type = "resource" if any("Principal" in s or "NotPrincipal" in s
                                        for s in document.get("Statement", [])
                                        if isinstance(s, dict)) else "identity"
        from reasoner.policy.model import PolicyType

        kind = PolicyType.RESOURCE if policy_type == "resource" else PolicyType.IDENTITY
        first = parse_policy(document, kind, source=str(file))
        again = parse_policy(policy_document(first), kind, source=str(file))
        assert [replace(s, line=None) for s in again.statements] == [replace(s, line=None) for s in first.statements]
        assert (again.version, again.id) == (first.version, first.id)


def _synthetic(tmp_path: Path, roles: int) -> Reachability:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic_accounts import ACCOUNT, write_account
    finally:
        sys.path.pop(0)
    reach = Reachability(load_snapshot(write_account(tmp_path, roles)))
    assert ACCOUNT == "123456789012"
    return reach


def test_folding_keeps_every_path_of_every_member(tmp_path: Path) -> None:
    reach = _synthetic(tmp_path, 30)
    targets = [(reach.target("arn:aws:s3:::synthetic-data", "123456789012"), ("s3:GetObject",))]
    reach.build(targets)
    folded = build_picture(reach, targets)
    whole = build_picture(reach, targets, fold=False)
    assert len(folded.nodes) < len(whole.nodes)
    assert {m for n in folded.nodes for m in n.members} == {m for n in whole.nodes for m in n.members}
    assert any(node.folded for node in folded.nodes)
    members = {node.id: set(node.members) for node in folded.nodes}
    graph = reach.graph
    for edge in folded.edges:
        # every member of the edge's source has such an edge into the target node
        for member in members[edge.source]:
            assert any(graph.has_edge(member, other) and graph[member][other]["status"] == edge.status
                       and graph[member][other]["relation"] == edge.relation for other in members[edge.target])
    assert folded.result == whole.result
    assert {f.source for f in folded.findings} == {f.source for f in whole.findings}


def test_an_undecided_edge_is_amber_and_makes_the_answer_unknown() -> None:
    from dataclasses import replace

    reach = Reachability(load_snapshot(EXAMPLES / "leaky"))
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    # as a solver timeout leaves it: the edge's result replaced by an undecided one
    data = reach.graph[PARTNER][BUCKET]
    data["result"] = replace(data["result"], status="UNKNOWN", witness=None, reason="timeout after 10 s")
    data["status"] = "UNKNOWN"
    picture = build_picture(reach, targets)
    assert picture.result == "UNKNOWN" and not picture.findings
    assert [(e.source, e.target) for e in picture.undecided] == [(PARTNER, BUCKET)]
    (undecided,) = [edge for edge in picture.edges if edge.status == "UNKNOWN"]
    assert undecided.label == "can read (undecided)" and not undecided.red
    assert not any(edge.red for edge in picture.edges)
    assert undecided.evidence[0].note == "undecided: timeout after 10 s"


def test_without_a_resource_everything_is_shown_and_nothing_is_red() -> None:
    reach = Reachability(load_snapshot(EXAMPLES / "leaky"))
    reach.build()
    picture = build_picture(reach)
    assert picture.result is None and picture.hidden == 0
    assert not any(edge.red for edge in picture.edges)
    assert {member for node in picture.nodes for member in node.members} == set(reach.graph.nodes)
