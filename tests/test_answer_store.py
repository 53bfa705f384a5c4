"""Whole who-can answers and the principal side in the persistent result cache
(`accounts/answer_store.py`, issue #15): a warm run after a one-policy change reads
every other answer back and prints what a cold run of the changed organization
prints; a key covers every input (changing any one misses); corrupt or foreign
entries are ignored and rewritten; an answer with an undecided edge is never kept."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from benchmarks.synthetic_org import ACTIONS, change_one_policy, write_org
from reasoner.accounts import answer_store
from reasoner.accounts.answer_store import answer_key, principal_key
from reasoner.accounts.graph import Caller, NodeKind, Target
from reasoner.accounts.reach import Reachability
from reasoner.cli.app import app
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import parse_policy
from reasoner.solving.budget import DEFAULT_BUDGET, Budget
from reasoner.solving.cache import ResultCache

ROOT = Path(__file__).resolve().parents[1]
LEAKY = ROOT / "examples" / "snapshot" / "leaky"
BUCKET = "arn:aws:s3:::prod-data"


def _answers(folder: Path, arns: list[str], store: ResultCache | None, **options: Any) -> list[Any]:
    reach = Reachability(load_snapshot(folder), store=store, **options)
    return [reach.who_can_answer(action, arn) for arn in arns for action in ACTIONS if action.split(":")[0] in arn]


@pytest.mark.parametrize("answers_only", [False, True], ids=["principal side replayed when read", "when shown"])
@pytest.mark.parametrize("group_alike", [False, True], ids=["one node each", "group-alike"])
def test_after_one_change_only_the_changed_answer_is_worked_out_again(tmp_path: Path, group_alike: bool,
                                                                      answers_only: bool) -> None:
    arns = write_org(tmp_path / "org", 3, 6, 8)
    _answers(tmp_path / "org", arns, ResultCache(tmp_path / "cache"), group_alike=group_alike)
    changed = arns[1]
    change_one_policy(tmp_path / "org", changed)
    store = ResultCache(tmp_path / "cache")
    warm = _answers(tmp_path / "org", arns, store, group_alike=group_alike, answers_only=answers_only)
    assert warm == _answers(tmp_path / "org", arns, None, group_alike=group_alike)
    asked = len(warm)
    # every answer but the changed one read back, and the principal side once
    assert store.answers.counts() == (asked - 1, 1, 0) and store.principals.counts() == (1, 0, 0)
    callers = len(Reachability(load_snapshot(tmp_path / "org")).nodes.callers)
    assert 0 < store.edges.hits + store.edges.misses <= callers  # the changed resource's edges only
    again = ResultCache(tmp_path / "cache")
    assert _answers(tmp_path / "org", arns, again, group_alike=group_alike) == warm
    # nothing changed: the answers read, and the principal side's entry once, for the lines they name
    assert again.answers.counts() == (asked, 0, 0) and again.principals.counts() == (1, 0, 0)


def test_a_warm_answer_is_the_cold_one_in_every_format(tmp_path: Path) -> None:
    runner = CliRunner()
    for output in ("json", "text"):
        cache = tmp_path / output
        arguments = ["who-can", "s3:GetObject", BUCKET, "--snapshot", str(LEAKY), "--format", output]
        plain = runner.invoke(app, arguments)
        cold = runner.invoke(app, [*arguments, "--cache", str(cache)])
        warm = runner.invoke(app, [*arguments, "--cache", str(cache)])
        assert plain.exit_code == cold.exit_code == warm.exit_code == 1
        assert plain.stdout == cold.stdout == warm.stdout
        assert "1 of 1 answers answered from the cache, 0 worked out; 1 of 1 principal sides" in warm.stderr


@pytest.mark.parametrize("warnings", [[], [{"policy": "a.json", "message": "m", "lines": [1, 2]}],
                                      [{"a": {"b": [1]}}, {"c": None}]])
def test_warnings_join_a_kept_answer_as_they_join_the_document(warnings: list[Any]) -> None:
    reach = Reachability(load_snapshot(LEAKY))
    kept = reach.who_can_answer("s3:GetObject", BUCKET)
    whole = {**kept.document, **({"warnings": warnings} if warnings else {})}
    assert kept.json_with(warnings) == json.dumps(whole, indent=2).encode()


# -- keys ------------------------------------------------------------------------------


def _graph() -> Reachability:
    return Reachability(load_snapshot(LEAKY))


def _principal_key(reach: Reachability, budget: Budget = DEFAULT_BUDGET, **options: Any) -> str:
    settings = {"use_probe": True, "group_alike": False, **options}
    return principal_key(reach.nodes, budget, **settings)


def _other(value: Any, name: str) -> Any:
    """A value of the field's type that differs from `value`."""
    policy = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Principal": "*"}]}, PolicyType.RESOURCE,
        source="other.json")
    if isinstance(value, bool):
        return not value
    if isinstance(value, NodeKind):
        return NodeKind.ANONYMOUS if value is not NodeKind.ANONYMOUS else NodeKind.USER
    if isinstance(value, str) or (value is None and name in ("account", "probe_role_arn")):
        return f"{value}-other"
    if value is None or (isinstance(value, type(policy)) and value != policy):
        return policy
    if isinstance(value, tuple):
        return (*value, ContextConstraint("aws:PrincipalTag/other", ConstraintOp.ABSENT)) if name == "context" \
            else (*value, "other") if name in ("carried", "gaps", "patterns", "open_gaps") \
            else (*value, (policy,)) if name in ("scps", "rcps") else (*value, policy)
    return replace(value, **{fields(value)[0].name: _other(getattr(value, fields(value)[0].name), "")})


@pytest.mark.parametrize("name", [f.name for f in fields(Caller)])
def test_changing_any_field_of_any_caller_changes_the_principal_key(name: str) -> None:
    reach = _graph()
    base = _principal_key(reach)
    node, caller = next((n, c) for n, c in reach.nodes.callers.items() if c.kind is NodeKind.ROLE)
    reach.nodes.callers[node] = replace(caller, **{name: _other(getattr(caller, name), name)})
    assert _principal_key(reach) != base


@pytest.mark.parametrize("name", [f.name for f in fields(Target)])
def test_changing_any_field_of_the_target_changes_the_answer_key(name: str) -> None:
    target = _graph().target(BUCKET)
    base = answer_key("p", "s3:GetObject", BUCKET, None, target)
    assert answer_key("p", "s3:GetObject", BUCKET, None,
                      replace(target, **{name: _other(getattr(target, name), name)})) != base


def test_the_action_resource_account_and_principal_side_change_the_answer_key() -> None:
    target = _graph().target(BUCKET)
    base = answer_key("p", "s3:GetObject", BUCKET, None, target)
    assert len({base, answer_key("q", "s3:GetObject", BUCKET, None, target),
                answer_key("p", "s3:ListBucket", BUCKET, None, target),
                answer_key("p", "s3:GetObject", BUCKET + "/a/*", None, target),
                answer_key("p", "s3:GetObject", BUCKET, "111111111111", target)}) == 5


def test_the_budget_probe_grouping_zone_and_versions_change_the_principal_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    reach = _graph()
    base = _principal_key(reach)
    assert len({base, _principal_key(reach, Budget(20.0)), _principal_key(reach, use_probe=False),
                _principal_key(reach, group_alike=True)}) == 4
    reach.nodes.org_accounts = reach.nodes.org_accounts | {"999999999999"}
    assert _principal_key(reach) != base
    reach = _graph()
    monkeypatch.setattr(answer_store, "_versions", lambda: {"z3": "another"})
    assert _principal_key(reach) != base


def test_every_part_of_the_snapshot_but_its_resources_changes_the_principal_key() -> None:
    reach = _graph()
    base = _principal_key(reach)
    snapshot = reach.snapshot
    for name in [f.name for f in fields(snapshot) if f.name != "resources"]:
        value = getattr(snapshot, name)
        other = (*value[1:],) if isinstance(value, tuple) and value else {"x": None} if name == "s3_accounts" \
            else f"{value}-other" if isinstance(value, str) else None
        if other == value:
            continue
        changed = _graph()
        changed.nodes.snapshot = replace(snapshot, **{name: other})
        assert _principal_key(changed) != base, name


def test_moving_a_policy_to_another_line_changes_the_answer_key() -> None:
    # the text output prints each deciding statement's file and line
    target = _graph().target(BUCKET)
    assert target.policy is not None
    moved = replace(target.policy, statements=tuple(replace(s, line=(s.line or 0) + 1)
                                                    for s in target.policy.statements))
    assert answer_key("p", "a", BUCKET, None, replace(target, policy=moved)) != \
        answer_key("p", "a", BUCKET, None, target)


# -- entries ---------------------------------------------------------------------------


def _kept(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.texts"))


def _rewrite_witnesses(folder: Path, entry_kind: str, change: Callable[[dict[str, Any]], None],
                       printed: Callable[[bytes], bytes] = lambda text: text) -> None:
    """Rewrite the kept answers' entries (`entry_kind` "answer") or the principal side's
    with a sound checksum: `change` applied to each witness record, `printed` to an
    answer's printed texts. For the principal side the answers' entries are removed,
    so that it is read."""
    store = ResultCache(folder)
    for entry in _kept(folder):
        header = json.loads(entry.read_bytes().partition(b"\n")[0])
        fields, texts = store.get_texts(header["key"], store.answers) or ({}, [])
        is_answer = "result" in fields
        if is_answer != (entry_kind == "answer"):
            if is_answer:
                entry.unlink()
            continue
        # one record per line: an answer's own (its third text), the principal side's
        at = 2 if is_answer else 0
        records = [json.loads(line) for line in texts[at].split(b"\n") if line]
        for record in records:
            if "witness" in record:
                change(record["witness"])
        rewritten = b"\n".join(json.dumps(record).encode() for record in records)
        store.put_texts(header["key"], fields, [*map(printed, texts[:at]), rewritten, *texts[at + 1:]])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "body", "foreign key", "format", "lengths",
                                    "not an answer"])
def test_corrupt_or_foreign_answers_are_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    reach = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path))
    cold = reach.who_can_answer("s3:GetObject", BUCKET)
    for entry in _kept(tmp_path):
        head, _, body = entry.read_bytes().partition(b"\n")
        header = json.loads(head)
        if damage == "garbage":
            entry.write_bytes(b"\x00\xffnot json")
        elif damage == "truncated":
            entry.write_bytes(entry.read_bytes()[:-40])
        elif damage == "body":
            middle = len(body) // 2  # one bit of the compressed texts flipped
            entry.write_bytes(head + b"\n" + body[:middle] + bytes([body[middle] ^ 1]) + body[middle + 1:])
        elif damage in ("foreign key", "format"):
            header["key" if damage == "foreign key" else "format"] = "0" * 64 if damage == "foreign key" else 0
            entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
        elif damage == "lengths":  # a petabyte claimed: rejected before anything is read
            header["lengths"] = [10 ** 15, -10 ** 15 + sum(header["lengths"])]
            entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
        else:
            store = ResultCache(tmp_path)
            if "result" in header["fields"]:
                store.put_texts(header["key"], {"result": "PASS"}, [b"[]"])
            else:
                store.put_texts(header["key"], {"excluded": 0}, [b'[{"status": "FAIL"}]'])
    store = ResultCache(tmp_path)
    warm = Reachability(load_snapshot(LEAKY), store=store).who_can_answer("s3:GetObject", BUCKET)
    assert warm == cold
    assert store.answers.rejected >= 1 and store.answers.hits == 0
    again = ResultCache(tmp_path)
    assert Reachability(load_snapshot(LEAKY), store=again).who_can_answer("s3:GetObject", BUCKET) == cold
    assert again.answers.counts() == (1, 0, 0) and again.principals.counts() == (1, 0, 0)


@pytest.mark.parametrize("answers_only", [False, True], ids=["principal side replayed when read", "when shown"])
@pytest.mark.parametrize("entry_kind", ["answer", "principal side"])
@pytest.mark.parametrize("damage", ["action", "deciding statement", "blocked by"])
def test_a_kept_witness_that_no_longer_replays_is_never_shown(tmp_path: Path, entry_kind: str,
                                                             answers_only: bool, damage: str) -> None:
    """An entry with a sound checksum whose witnesses the evaluator does not allow
    today (their action changed), or allows by other statements than those it
    printed, is not used: its answer, or the principal side, is worked out again.
    The kept answer names another caller, so printing it unreplayed would show. With
    `answers_only` the principal side's edges are replayed where the answer worked
    out again shows them."""
    reach = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path))
    cold = reach.who_can_answer("s3:GetObject", BUCKET)
    assert "alice" in cold.json_text and cold.shown

    def damaged(witness: dict[str, Any]) -> None:
        if damage == "action":
            witness["request"]["action"] = "s3:DeleteBucket"
        elif damage == "deciding statement":
            witness["determining"][0][1] += 1
        else:
            witness["blocked_by"] = ["scps"]

    _rewrite_witnesses(tmp_path, entry_kind, damaged, printed=lambda text: text.replace(b"alice", b"mallory"))
    store = ResultCache(tmp_path)
    reading = Reachability(load_snapshot(LEAKY), store=store, answers_only=answers_only)
    warm = reading.who_can_answer("s3:GetObject", BUCKET)
    assert warm == cold and "mallory" not in warm.json_text + warm.text
    assert (store.answers if entry_kind == "answer" else store.principals).rejected == 1
    # shown, a principal-side edge read unreplayed was replayed, failed, and the graph started again
    assert reading._principal_entry_failed == (answers_only and entry_kind == "principal side")
    again = ResultCache(tmp_path)  # rewritten
    assert Reachability(load_snapshot(LEAKY), store=again).who_can_answer("s3:GetObject", BUCKET) == cold
    assert again.answers.counts() == (1, 0, 0) and again.principals.counts() == (1, 0, 0)


@pytest.mark.parametrize("principal", ["arn:aws:iam::111122223333:root", ["kind", "role"], {"kind": ["role"]}],
                         ids=["a string", "a list", "a list in a field"])
@pytest.mark.parametrize("entry_kind", ["answer", "principal side"])
def test_a_kept_witness_with_a_malformed_principal_is_not_trusted(tmp_path: Path, entry_kind: str,
                                                                   principal: Any) -> None:
    """A kept witness whose request's principal is not one (a sound checksum over
    bytes this version did not write) is not trusted, and nothing raises: the answer
    or the principal side is worked out again and rewritten."""
    cold = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path)).who_can_answer("s3:GetObject", BUCKET)
    _rewrite_witnesses(tmp_path, entry_kind, lambda witness: witness["request"].update(principal=principal))
    for answers_only in (False, True):
        store = ResultCache(tmp_path)
        assert Reachability(load_snapshot(LEAKY), store=store, answers_only=answers_only).who_can_answer(
            "s3:GetObject", BUCKET) == cold
        tally = store.answers if entry_kind == "answer" else store.principals
        assert tally.rejected == (1 if answers_only is False else 0)  # the first run rewrote it


def test_an_answer_with_an_undecided_edge_is_not_kept(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    reach = Reachability(load_snapshot(LEAKY), store=store, budget=Budget(0.01), use_probe=False)
    reach.who_can_answer("s3:GetObject", BUCKET)
    assert any(data["status"] == "UNKNOWN" for _, _, data in reach.graph.edges(data=True))
    assert _kept(tmp_path) == []


def test_a_copied_cache_serves_a_copied_snapshot(tmp_path: Path) -> None:
    # what actions/cache does between CI runs: the same inputs in another checkout
    first = tmp_path / "a" / "snapshot"
    shutil.copytree(LEAKY, first)
    cold = Reachability(load_snapshot(first), store=ResultCache(tmp_path / "cache")).who_can_answer(
        "s3:GetObject", BUCKET)
    shutil.copytree(tmp_path / "cache", tmp_path / "copy")
    store = ResultCache(tmp_path / "copy")
    assert Reachability(load_snapshot(first), store=store).who_can_answer("s3:GetObject", BUCKET) == cold
    assert store.answers.hits == 1


# -- the principal side's lines an answer names ---------------------------------------


def _entries(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer's entry and the principal side's (header key, fields, texts)."""
    store = ResultCache(folder)
    found: dict[bool, dict[str, Any]] = {}
    for entry in _kept(folder):
        key = json.loads(entry.read_bytes().partition(b"\n")[0])["key"]
        fields_, texts = store.get_texts(key, store.answers) or ({}, [])
        found["result" in fields_] = {"key": key, "fields": fields_, "texts": texts, "path": entry}
    return found[True], found[False]


def test_an_answer_names_the_principal_side_lines_it_prints_and_reads_them_back(tmp_path: Path) -> None:
    """The edges between principals an answer prints are kept once, in the principal
    side's entry; the answer names their lines by digest, and a warm run replays them."""
    cold = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path)).who_can_answer("s3:GetObject", BUCKET)
    answer, principals = _entries(tmp_path)
    lines = principals["texts"][0].split(b"\n")
    assert cold.refs and set(cold.refs) <= {answer_store.record_digest(line) for line in lines}
    assert answer["texts"][3].split(b"\n") == list(cold.refs)
    assert not set(cold.shown) & set(lines)  # a line named is not kept again in the answer
    store = ResultCache(tmp_path)
    reading = Reachability(load_snapshot(LEAKY), store=store, answers_only=True)
    assert reading.who_can_answer("s3:GetObject", BUCKET) == cold
    assert reading._replayed_refs == set(cold.refs)


@pytest.mark.parametrize("answers_only", [False, True], ids=["principal side replayed when read", "when shown"])
def test_an_answer_whose_named_lines_are_gone_is_worked_out_again(tmp_path: Path, answers_only: bool) -> None:
    """Without the principal side's entry (or with another one) an answer's named
    lines cannot be replayed: it is worked out again, the same, and kept again."""
    cold = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path)).who_can_answer("s3:GetObject", BUCKET)
    _, principals = _entries(tmp_path)
    principals["path"].unlink()
    store = ResultCache(tmp_path)
    reading = Reachability(load_snapshot(LEAKY), store=store, answers_only=answers_only)
    assert reading.who_can_answer("s3:GetObject", BUCKET) == cold
    assert store.answers.counts() == (0, 1, 1) and store.principals.counts() == (0, 1, 0)
    again = ResultCache(tmp_path)  # both rewritten
    assert Reachability(load_snapshot(LEAKY), store=again).who_can_answer("s3:GetObject", BUCKET) == cold
    assert again.answers.counts() == (1, 0, 0) and again.principals.counts() == (1, 0, 0)


@pytest.mark.parametrize("answers_only", [False, True], ids=["principal side replayed when read", "when shown"])
def test_a_named_line_that_no_longer_replays_is_never_shown(tmp_path: Path, answers_only: bool) -> None:
    """A line the answer names (its digest matches: a sound entry this version did not
    write) whose witness the evaluator does not allow today is not shown: the answer
    is worked out again, and prints what the cold run printed."""
    cold = Reachability(load_snapshot(LEAKY), store=ResultCache(tmp_path)).who_can_answer("s3:GetObject", BUCKET)
    answer, principals = _entries(tmp_path)
    store = ResultCache(tmp_path)
    lines = principals["texts"][0].split(b"\n")
    named = {answer_store.record_digest(line): index for index, line in enumerate(lines)}
    refs = answer["texts"][3].split(b"\n")
    record = json.loads(lines[named[refs[0]]])
    record["witness"]["request"]["action"] = "s3:DeleteBucket"
    lines[named[refs[0]]] = json.dumps(record, sort_keys=True).encode()
    refs[0] = answer_store.record_digest(lines[named[refs[0]]])
    store.put_texts(principals["key"], principals["fields"], [b"\n".join(lines)])
    store.put_texts(answer["key"], answer["fields"],
                    [text.replace(b"alice", b"mallory") for text in answer["texts"][:3]] + [b"\n".join(refs)])
    reading = ResultCache(tmp_path)
    warm = Reachability(load_snapshot(LEAKY), store=reading, answers_only=answers_only).who_can_answer(
        "s3:GetObject", BUCKET)
    assert warm == cold and "mallory" not in warm.json_text + warm.text
    assert reading.answers.rejected >= 1  # twice when shown: the graph starts again without the principal side
