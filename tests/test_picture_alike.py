"""The access picture and the Markdown summaries with callers alike (`--group-alike`) on
examples/snapshot/org-alike: a class is one node in its account's box, its edges'
scenarios replay, and the principals the picture shows reaching the resource, members
expanded, are those the picture without grouping shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from reasoner.accounts.alike import ONE_OF
from reasoner.accounts.edges import FAIL
from reasoner.accounts.picture_html import to_html
from reasoner.accounts.picture_view import Picture, build_picture
from reasoner.accounts.reach import Reachability, WhoCanEntry
from reasoner.cli.app import app
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import load_scenario
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import Decision
from reasoner.reports.markdown import who_can_markdown
from tests.test_markdown import mermaid_errors

ORG_ALIKE = Path(__file__).resolve().parent.parent / "examples" / "snapshot" / "org-alike"
# reached from outside the organization through a partner's role that is a member of a class
# (its only edge out is its one-of edge)
BUCKET = "arn:aws:s3:::bucket-2"
PARTNER_ROLE = "arn:aws:iam::100000000000:role/role-0"
OUTSIDE = "external:outside-organization"
runner = CliRunner()


def _picture(group_alike: bool, **options: bool) -> tuple[Reachability, Picture]:
    reach = Reachability(load_snapshot(ORG_ALIKE), group_alike=group_alike)
    targets = [(reach.target(BUCKET), ("s3:GetObject",))]
    reach.build(targets)
    return reach, build_picture(reach, targets, **options)


@pytest.fixture(scope="module")
def grouped() -> tuple[Reachability, Picture]:
    return _picture(True)


@pytest.fixture(scope="module")
def alone() -> tuple[Reachability, Picture]:
    return _picture(False)


def _reaching(picture: Picture) -> set[str]:
    """The users, roles and classes of principals the picture draws with a path of existing
    edges to the resource, each folded node and class expanded to its members."""
    drawn: nx.DiGraph[str] = nx.DiGraph()
    drawn.add_edges_from((edge.source, edge.target) for edge in picture.edges if edge.status == FAIL)
    (resource,) = [node for node in picture.nodes if picture.target in node.members]
    found = nx.ancestors(drawn, resource.id)
    return {member for node in picture.nodes if node.id in found
            for member in (node.alike or node.members) if not member.startswith("alike:")}


def _expanded(entries: list[WhoCanEntry]) -> set[str]:
    return {member for entry in entries if entry.status == FAIL for member in entry.members or (entry.principal,)}


def test_a_class_is_one_node_named_by_its_members_in_its_accounts_box(grouped: tuple[Reachability, Picture]) -> None:
    reach, picture = grouped
    classes = [node for node in picture.nodes if node.alike]
    assert classes, "org-alike has classes of roles alike on the way to the bucket"
    for node in classes:
        (alike,) = [reach.alike[member] for member in node.members if member in reach.alike]
        assert node.alike == alike.members and not node.folded
        assert node.group == f"g-acct-{alike.caller.account}"
        names = [member.rsplit("/", 1)[-1] for member in alike.members]
        assert node.label.replace("\n", " ").startswith(f"{len(names)} roles alike: {names[0]}")
        # a member drawn inside its class's node has no other edge out than its one-of edge
        for member in node.members[1:]:
            assert {(v, data["relation"]) for _, v, data in reach.graph.out_edges(member, data=True)
                    if data["status"] == FAIL} == {(alike.node, ONE_OF)}
    assert sum(1 for node in picture.nodes for member in node.members if member in reach.alike) == len(classes)


def test_the_partners_role_is_drawn_in_its_class_and_the_path_through_it_is_red(
        grouped: tuple[Reachability, Picture]) -> None:
    _, picture = grouped
    assert picture.result == "FAIL"
    node = picture.node_of(PARTNER_ROLE)
    assert node is not None and node.alike and node.red
    outside = picture.node_of(OUTSIDE)
    assert outside is not None
    red = {(edge.source, edge.target) for edge in picture.edges if edge.red}
    resource = picture.node_of(BUCKET)
    assert resource is not None and {(outside.id, node.id), (node.id, resource.id)} <= red
    # the finding keeps the concrete hops: the role, its one-of hop, the class's edge
    finding = next(f for f in picture.findings if f.source == OUTSIDE)
    assert [hop.relation for hop in finding.hops] == ["can-assume", ONE_OF, "can-access"]
    assert finding.hops[0].target == PARTNER_ROLE


def test_every_scenario_replays_and_a_class_edge_is_its_first_members(grouped: tuple[Reachability, Picture],
                                                                     tmp_path: Path) -> None:
    reach, picture = grouped
    evidence = [e for edge in picture.edges for e in edge.evidence]
    from_classes = [e for e in evidence if e.source in reach.alike]
    assert from_classes and all(e.scenario is not None for e in from_classes)
    assert all(e.scenario is not None for e in evidence if e.request is not None and e.relation != "acl")
    for index, item in enumerate(e for e in evidence if e.scenario is not None):
        assert item.scenario is not None
        file = tmp_path / f"scenario-{index}.json"
        file.write_text(item.scenario)
        scenario = load_scenario(file)
        assert evaluate(scenario.request, scenario.policies).decision is Decision.ALLOW
        assert json.loads(item.scenario)["request"] == item.request
    for item in from_classes:
        assert item.request is not None
        assert item.request["context"]["aws:PrincipalArn"] == reach.alike[item.source].representative
    (one_of,) = {e.note for e in evidence if e.relation == ONE_OF}
    assert one_of is not None and "member of the class" in one_of


def test_the_principals_reaching_the_bucket_are_those_without_grouping(grouped: tuple[Reachability, Picture],
                                                                       alone: tuple[Reachability, Picture]) -> None:
    reach, picture = grouped
    plain_reach, plain = alone
    assert _reaching(picture) == _reaching(plain) == _expanded(plain_reach.who_can("s3:GetObject", BUCKET))
    assert _expanded(reach.who_can("s3:GetObject", BUCKET)) == _reaching(plain)
    assert picture.result == plain.result
    assert {f.source for f in picture.findings} == {f.source for f in plain.findings}
    assert len(picture.edges) <= len(plain.edges)


def test_no_fold_draws_each_member_joined_to_its_class() -> None:
    reach, picture = _picture(True, fold=False)
    for node in picture.nodes:
        assert len(node.members) == 1
    classes = {node.members[0]: node.id for node in picture.nodes if node.alike}
    one_of = {(edge.source, edge.target) for edge in picture.edges if edge.relation == ONE_OF}
    for alike in reach.alike.values():
        if alike.node not in classes:
            continue
        for member in alike.members:
            shown = picture.node_of(member)
            assert shown is not None and (shown.id, classes[alike.node]) in one_of


def test_without_a_resource_every_node_is_drawn_once() -> None:
    reach = Reachability(load_snapshot(ORG_ALIKE), group_alike=True)
    reach.build()
    picture = build_picture(reach)
    drawn = [member for node in picture.nodes for member in node.members]
    assert sorted(drawn) == sorted(reach.graph.nodes)
    assert "roles alike" in to_html(picture)


def _run(*arguments: str) -> tuple[int, str]:
    result = runner.invoke(app, [*arguments, "--snapshot", str(ORG_ALIKE), "--timeout", "60"])
    return result.exit_code, result.output


def test_graph_takes_group_alike_in_every_format(tmp_path: Path) -> None:
    to = ["--to", BUCKET, "--action", "s3:GetObject"]
    code, output = _run("graph", *to, "--group-alike", "--format", "json")
    assert code == 0
    document = json.loads(output)
    classes = {node["id"]: node["members"] for node in document["nodes"] if node["id"].startswith("alike:")}
    assert classes and all(len(members) > 1 for members in classes.values())
    assert {(edge["from"], edge["to"]) for edge in document["edges"] if edge["relation"] == ONE_OF} >= \
        {(PARTNER_ROLE, "alike:100000000000:role/role-0")}
    for output_format in ("dot", "graphml", "mermaid"):  # the class and its members' one-of edges
        code, output = _run("graph", *to, "--group-alike", "--format", output_format)
        assert code == 0 and "3 roles alike in 100000000000 (the policies, path and tags of role-0)" in output
        assert "one of" in output or "one-of" in output
    page = tmp_path / "alike.html"
    code, output = _run("graph", *to, "--group-alike", "--format", "markdown", "--html", str(page))
    assert code == 0 and "**FAIL**" in output
    text = page.read_text()
    assert "roles alike: role-0" in text.replace("&#45;", "-") and "class nodes" in text


def _who_can_rows(markdown: str) -> set[tuple[str, str, str]]:
    """(principal, zone, can) of the table's rows, a class's row expanded to its members'."""
    rows = set()
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if len(cells) != 4 or cells[2] not in ("can", "might (undecided)"):
            continue
        alike = re.fullmatch(r"\d+ (role|user)s alike in (\d{12}) \(.*\) \(members: (.*)\)", cells[0])
        names = [cells[0]] if alike is None else \
            [f"{alike[1]} {name} ({alike[2]})" for name in alike[3].split(", ")]
        rows.update((name, cells[1], cells[2]) for name in names)
    return rows


def test_who_can_markdown_with_group_alike_lists_members_and_keeps_the_exit_code() -> None:
    code, grouped = _run("who-can", "s3:GetObject", BUCKET, "--format", "markdown", "--group-alike")
    plain_code, plain = _run("who-can", "s3:GetObject", BUCKET, "--format", "markdown")
    assert code == plain_code == 1
    assert "(members: role-0, role-1, role-5)" in grouped
    assert "a member of the class of callers alike" in grouped  # the one-of hop of each path's witnesses
    assert _who_can_rows(grouped) == _who_can_rows(plain) and len(_who_can_rows(plain)) > 10


def test_the_diagram_of_a_path_through_a_class_parses(grouped: tuple[Reachability, Picture], tmp_path: Path) -> None:
    reach, picture = grouped
    markdown = who_can_markdown(picture, "s3:GetObject", BUCKET, reach.who_can("s3:GetObject", BUCKET))
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.DOTALL)
    assert '"3 roles alike: role-0, role-1, role-5"' in diagram and '"one of"' in diagram
    assert mermaid_errors([diagram], tmp_path) == []
