"""Scale without changing answers: callers alike as one node (alike.py), edges shared
across targets only their names tell apart (symmetry.ResourceRenaming), guided probes
(guided.py) and pairs no identity policy grants across accounts (reach.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic_org import ACTIONS, PARTNER, write_org
from reasoner.accounts.alike import ONE_OF
from reasoner.accounts.edges import FAIL, PASS, EdgeCache, decide_all
from reasoner.accounts.reach import FOUND, Reachability, WhoCanEntry, edge_json
from reasoner.accounts.symmetry import canonical_task, resource_renaming, symmetry_key
from reasoner.evaluation.evaluate import evaluate
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import Decision
from tests.snapshot_factory import DEV, MGMT, ORG, PROD, allow, doc, role, trust, write_snapshot

READ_ANY = doc(allow("s3:GetObject"))
ORG_TRUST = trust({"AWS": "*"}, Condition={"StringEquals": {"aws:PrincipalOrgID": ORG}})
LAMBDA_TRUST = trust({"Service": "lambda.amazonaws.com"})


def _expanded(entries: list[WhoCanEntry]) -> set[tuple[str, str]]:
    return {(member, entry.status) for entry in entries for member in entry.members or (entry.principal,)}


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("org")
    return folder, write_org(folder, 3, 8, 10)


def test_grouped_who_can_gives_every_member_the_answer_each_gets_alone(org: tuple[Path, list[str]]) -> None:
    folder, arns = org
    snapshot = load_snapshot(folder)
    alone, grouped = Reachability(snapshot), Reachability(snapshot, group_alike=True)
    assert grouped.alike, "the synthetic organization has roles alike"
    classes = 0
    for arn in arns:
        for action in ACTIONS:
            if action.split(":")[0] not in arn:
                continue
            entries = grouped.who_can(action, arn)
            assert _expanded(entries) == _expanded(alone.who_can(action, arn))
            classes += sum(1 for entry in entries if entry.members)
            for entry in entries:
                for edge in entry.path:
                    if edge.witness is not None:  # every hop's witness replays as shown
                        assert evaluate(edge.witness.request, _policies(grouped, edge)).decision is Decision.ALLOW
                        assert edge.witness.request.resource.startswith(edge.target) or ":role/" in edge.target
    assert classes > 0
    assert grouped.graph.number_of_edges() < alone.graph.number_of_edges()


def _policies(graph: Reachability, edge: Any) -> Any:
    """The policy set of the edge's network, rebuilt from the snapshot."""
    caller = graph._caller(edge.source)
    target = graph._role_targets.get(edge.target) or graph.target(edge.target)
    relation_actions = (edge.witness.request.action,)
    task = graph.nodes.task(caller, target, edge.relation, relation_actions)
    return next(policies for label, policies, _ in task.networks if label == edge.network)


def _roles_alike(folder: Path, named: str | None = None) -> Path:
    """Four roles of DEV alike (the same identity policy), one bucket of PROD granting the
    organization; `named`: a second bucket whose policy names that one role."""
    roles = [role(DEV, f"reader-{index}", LAMBDA_TRUST, READ_ANY) for index in range(4)]
    write_snapshot(folder, {DEV: {"roles": roles}, PROD: {"roles": []}, MGMT: {"roles": []}})
    if named is not None:
        resources = json.loads((folder / "resources.json").read_text())
        resources["arn:aws:s3:::named-bucket"] = {"account": PROD, "policy": doc({
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV}:role/{named}"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::named-bucket/*"})}
        (folder / "resources.json").write_text(json.dumps(resources))
    return folder


def test_a_target_that_names_one_member_is_decided_for_that_member_alone(tmp_path: Path) -> None:
    graph = Reachability(load_snapshot(_roles_alike(tmp_path, named="reader-2")), group_alike=True)
    (alike,) = graph.alike.values()
    assert len(alike.members) == 4
    entries = graph.who_can("s3:GetObject", "arn:aws:s3:::named-bucket/report.csv")
    assert [(e.principal, e.members) for e in entries if e.status == FAIL and e.kind == "role"] == \
        [(f"arn:aws:iam::{DEV}:role/reader-2", ())]
    # the organization's bucket: one entry for the class, every member in it
    org_entries = graph.who_can("s3:GetObject", "arn:aws:s3:::prod-data/x")
    (whole,) = [e for e in org_entries if e.members]
    assert whole.principal == alike.node and set(whole.members) == set(alike.members)


def test_reach_from_a_member_goes_through_its_class(tmp_path: Path) -> None:
    snapshot = load_snapshot(_roles_alike(tmp_path))
    grouped = Reachability(snapshot, group_alike=True)
    answer = grouped.reach(f"arn:aws:iam::{DEV}:role/reader-3", "arn:aws:s3:::prod-data/x", ["s3:GetObject"])
    alone = Reachability(snapshot).reach(f"arn:aws:iam::{DEV}:role/reader-3", "arn:aws:s3:::prod-data/x",
                                         ["s3:GetObject"])
    assert answer.status == alone.status == FOUND
    assert [edge.relation for edge in answer.path] == [ONE_OF, "can-access"]


def _bucket_task(graph: Reachability, bucket: str) -> Any:
    caller = graph.nodes.callers["external:outside-organization"]
    return graph.nodes.task(caller, graph.target(bucket), "can-access", ("s3:GetObject",))


def _buckets(folder: Path, policies: dict[str, dict[str, Any]], identity: dict[str, Any] = READ_ANY) -> Reachability:
    write_snapshot(folder, {DEV: {"roles": [role(DEV, "reader", ORG_TRUST, identity)]}})
    resources = {f"arn:aws:s3:::{name}": {"account": PROD, "policy": policy} for name, policy in policies.items()}
    (folder / "resources.json").write_text(json.dumps(resources))
    return Reachability(load_snapshot(folder))


def _public(name: str, *extra: str) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{name}/*", *extra]})


def test_buckets_whose_policies_differ_only_by_their_own_name_share_a_decision(tmp_path: Path) -> None:
    graph = _buckets(tmp_path, {"alpha": _public("alpha"), "beta": _public("beta")})
    alpha, beta = _bucket_task(graph, "arn:aws:s3:::alpha"), _bucket_task(graph, "arn:aws:s3:::beta")
    assert resource_renaming(alpha) is not None
    assert symmetry_key(alpha) == symmetry_key(beta)
    # both follow one decision, of the same canonical edge, whichever is asked first
    assert canonical_task(alpha) == canonical_task(beta) is not None
    assert [edge_json(e) for e in decide_all([beta], cache=EdgeCache())] == \
        [edge_json(e) for e in decide_all([alpha, beta], cache=EdgeCache())[1:]]
    first, second = decide_all([alpha, beta], cache=EdgeCache())
    # decided once: the second is the first renamed, with the first's method (edges.py)
    assert first.status == second.status == FAIL and second.method == first.method
    assert second.witness is not None and second.witness.request.resource.startswith("arn:aws:s3:::beta/")
    assert second.witness.result.decision is Decision.ALLOW


@pytest.mark.parametrize("other", [
    "arn:aws:s3:::*-a/*",  # a pattern that tells the two names apart
    "arn:aws:s3:::beta/*",  # the other bucket by name
])
def test_a_pattern_that_can_tell_the_targets_apart_keeps_them_apart(tmp_path: Path, other: str) -> None:
    graph = _buckets(tmp_path, {"alpha": _public("alpha", other), "beta": _public("beta", other)})
    alpha, beta = _bucket_task(graph, "arn:aws:s3:::alpha"), _bucket_task(graph, "arn:aws:s3:::beta")
    assert symmetry_key(alpha) is None or symmetry_key(alpha) != symmetry_key(beta)


def test_an_identity_policy_naming_one_bucket_keeps_buckets_apart(tmp_path: Path) -> None:
    identity = doc(allow("s3:GetObject", "arn:aws:s3:::alpha/*"))
    graph = _buckets(tmp_path, {"alpha": _public("alpha"), "beta": _public("beta")}, identity)
    reader = graph.nodes.callers[f"arn:aws:iam::{DEV}:role/reader"]
    task = graph.nodes.task(reader, graph.target("arn:aws:s3:::alpha"), "can-access", ("s3:GetObject",))
    assert resource_renaming(task) is None


def test_a_partner_role_is_found_by_a_guided_probe(tmp_path: Path) -> None:
    partner_trust = trust({"AWS": f"arn:aws:iam::{PARTNER}:root"},
                          Condition={"StringEquals": {"sts:ExternalId": "partner-secret"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "vendor", partner_trust, READ_ANY)]}})
    graph = Reachability(load_snapshot(tmp_path))
    graph.build()
    edges = {(u, v): data["result"] for u, v, data in graph.graph.edges(data=True)}
    found = edges[("external:outside-organization", f"arn:aws:iam::{DEV}:role/vendor")]
    assert found.status == FAIL and found.method == "probe" and found.witness is not None
    assert found.witness.request.context["sts:externalid"] == ("partner-secret",)
    assert found.witness.request.principal.account == PARTNER


def test_guided_probes_never_make_up_a_key_aws_derives(tmp_path: Path) -> None:
    """A key policy for the organization (aws:PrincipalOrgID): an anonymous caller
    carries no organization, whatever the policy asks for."""
    graph = _buckets(tmp_path, {"org-only": doc({
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::org-only/*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})})
    entries = graph.who_can("s3:GetObject", "arn:aws:s3:::org-only")
    assert not [e for e in entries if e.principal == "external:anonymous"]


def test_a_cross_account_pair_no_identity_policy_grants_is_excluded(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "queues", ORG_TRUST, doc(allow("sqs:SendMessage")))]},
                              PROD: {"roles": [role(PROD, "local", ORG_TRUST, doc(allow("sqs:SendMessage")))]}})
    graph = Reachability(load_snapshot(tmp_path))
    graph.build([(graph.target("arn:aws:s3:::prod-data"), ("s3:GetObject",))])
    targets = {u: data["status"] for u, v, data in graph.graph.edges(data=True) if v == "arn:aws:s3:::prod-data"}
    assert f"arn:aws:iam::{DEV}:role/queues" not in targets  # excluded: no edge, no query
    assert targets[f"arn:aws:iam::{PROD}:role/local"] in (PASS, FAIL)  # same account: the bucket policy may grant


@pytest.mark.parametrize("group_alike", [False, True])
def test_a_warm_run_after_one_change_prints_what_a_cold_run_prints(tmp_path: Path, group_alike: bool) -> None:
    """The change moves the lead of a group of buckets alike to another bucket: the edges
    read back from the cache must still print as they would be decided now."""
    from benchmarks.synthetic_org import change_one_policy
    from reasoner.accounts.reach import who_can_json
    from reasoner.solving.cache import ResultCache

    arns = write_org(tmp_path / "org", 2, 4, 4)

    def run(**options: Any) -> list[Any]:
        reach = Reachability(load_snapshot(tmp_path / "org"), group_alike=group_alike, **options)
        return [who_can_json(action, arn, reach.who_can(action, arn), "zone") for arn in arns for action in ACTIONS
                if action.split(":")[0] in arn]

    run(store=ResultCache(tmp_path / "cache"))
    change_one_policy(tmp_path / "org", next(arn for arn in arns[1:] if arn.startswith("arn:aws:s3:::")))
    assert run(store=ResultCache(tmp_path / "cache")) == run()


def test_a_resource_answers_alike_whichever_resources_were_asked_before(org: tuple[Path, list[str]]) -> None:
    """Edges only the target's name tells apart follow one decision of their group's
    canonical edge (symmetry.canonical_task), so a resource's answer is the same asked
    first, last, or alone: what lets a warm run keep whole answers."""
    from reasoner.accounts.reach import who_can_json

    folder, arns = org
    snapshot = load_snapshot(folder)
    asked = [(action, arn) for arn in arns for action in ACTIONS if action.split(":")[0] in arn]

    def answers(order: list[tuple[str, str]], reach: Reachability | None = None) -> dict[tuple[str, str], Any]:
        reach = reach or Reachability(snapshot)
        return {(action, arn): who_can_json(action, arn, reach.who_can(action, arn), "zone") for action, arn in order}

    forward, backward = answers(asked), answers(asked[::-1])
    assert forward == backward
    for question in asked[1::3]:
        assert answers([question]) == {question: forward[question]}
