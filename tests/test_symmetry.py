"""Edges that only the caller's name tells apart share one query (symmetry.py):
which policies can see a caller's name, and the graph with and without sharing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic_accounts import write_account
from reasoner.accounts.edges import FAIL, EdgeCache, decide_all
from reasoner.accounts.reach import ASSUME, Reachability
from reasoner.accounts.symmetry import name_blind
from reasoner.evaluation.evaluate import evaluate
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import Decision, PolicyType
from reasoner.policy.parse import parse_policy_text


def policy(statement: dict[str, Any], policy_type: PolicyType = PolicyType.TRUST) -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]})
    return parse_policy_text(text, policy_type, source="test.json")


ASSUME_ROLE = {"Action": "sts:AssumeRole"}


@pytest.mark.parametrize(("statement", "blind"), [
    ({**ASSUME_ROLE, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}, True),
    ({**ASSUME_ROLE, "Principal": {"AWS": "111122223333"}}, True),
    ({**ASSUME_ROLE, "Principal": "*"}, True),
    ({**ASSUME_ROLE, "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}}, False),
    ({**ASSUME_ROLE, "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}}, False),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ci-*"}}},
     False),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"StringEquals": {"aws:username": "alice"}}}, False),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"StringLike": {"aws:userid": "AROA*"}}}, False),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}, True),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}}, True),
    ({**ASSUME_ROLE, "Principal": "*", "Condition": {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}},
     False),
])
def test_which_trust_policies_can_see_the_callers_name(statement: dict[str, Any], blind: bool) -> None:
    assert name_blind(policy(statement)) is blind


def test_identity_policies_with_variables_see_the_name() -> None:
    home = policy({"Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
                  PolicyType.IDENTITY)
    assert not name_blind(home)
    assert name_blind(policy({"Action": "s3:GetObject", "Resource": "*"}, PolicyType.IDENTITY))


def _edges(graph: Reachability) -> dict[tuple[str, str], str]:
    return {(u, v): data["status"] for u, v, data in graph.graph.edges(data=True)}


def _counting_queries(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the queries edges ask (`solving.query.run_query`, which `edges.decide` calls)."""
    from reasoner.solving import query

    asked = [0]
    real = query.run_query

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(query, "run_query", counted)
    return asked


def test_sharing_queries_changes_no_edge_and_every_shared_witness_replays(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = load_snapshot(write_account(tmp_path, 40))
    asked = _counting_queries(monkeypatch)
    shared = Reachability(snapshot)
    shared.build()
    queried = asked[0]
    graph = Reachability(snapshot)
    tasks = graph._assume_tasks(list(graph.nodes.callers.values()))
    alone = decide_all(tasks, cache=EdgeCache(), symmetry=False)
    assert _edges(shared) == {(r.source, r.target): r.status for r in alone}
    assert queried < (asked[0] - queried) / 2  # most follow from another edge's answer
    assert any(data["result"].method == "symmetry" for _, _, data in shared.graph.edges(data=True))
    for _, _, data in shared.graph.edges(data=True):
        result = data["result"]
        if result.status != FAIL or not result.source.startswith("arn:"):
            continue
        assert result.witness is not None
        assert result.source in (result.witness.request.principal.role_arn, result.witness.request.principal.arn)
        role = snapshot.role(result.target)
        assert role is not None
        task = graph.nodes.task(graph.nodes.callers[result.source], graph.nodes.role_target(role), ASSUME,
                                ("sts:AssumeRole",))
        policies = next(p for label, p, _ in task.networks if label == result.network)
        assert evaluate(result.witness.request, policies).decision is Decision.ALLOW


def test_a_user_with_any_valid_iam_path_can_assume_and_its_group_agrees(tmp_path: Path) -> None:
    """IAM paths may hold any visible ASCII character (`/ops!/`): an encoding that
    could not represent one proved the edge absent, and sharing spread that proof
    to the user's whole group (found in review)."""
    from tests.snapshot_factory import PROD, allow, doc, role, trust, write_snapshot

    mfa = doc(allow("sts:AssumeRole", "*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))

    def user(name: str, path: str) -> dict[str, Any]:
        return {"Path": path, "UserName": name, "Arn": f"arn:aws:iam::{PROD}:user{path}{name}", "GroupList": [],
                "UserPolicyList": [{"PolicyName": "p0", "PolicyDocument": mfa}], "AttachedManagedPolicies": []}

    target = role(PROD, "Target", trust({"AWS": f"arn:aws:iam::{PROD}:root"}))
    folder = write_snapshot(tmp_path, {PROD: {"users": [user("alice", "/ops!/"), user("bob", "/")],
                                              "roles": [target]}})
    graph = Reachability(load_snapshot(folder))
    tasks = [t for t in graph._assume_tasks(list(graph.nodes.callers.values())) if ":user/" in t.source]
    for symmetry in (True, False):
        results = decide_all(tasks, cache=EdgeCache(), symmetry=symmetry)
        assert {r.source: r.status for r in results} == {f"arn:aws:iam::{PROD}:user/ops!/alice": FAIL,
                                                        f"arn:aws:iam::{PROD}:user/bob": FAIL}
