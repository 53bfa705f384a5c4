"""Encoding work kept within a run (issue #15, `encodings/memo.py`): a policy
shared by many queries is encoded once, and keeping it changes no answer and no
witness."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.encodings import memo
from reasoner.encodings.invariants import space_query
from reasoner.evaluation.spaces import RequestSpace
from reasoner.policy.model import PolicySet, PolicyType, PrincipalKind
from reasoner.policy.parse import parse_policy_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", ROOT.parent / "shared" / "corpus"))
EXAMPLES = ROOT / "examples" / "snapshot"
runner = CliRunner()

BUCKET = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}}]}), PolicyType.RESOURCE,
    source="bucket.json")


def _role_policy(action: str) -> PolicySet:
    identity = parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": "*"}]}), PolicyType.IDENTITY, source=f"{action}.json")
    return PolicySet(identity_policies=(identity,), resource_policy=BUCKET)


@contextlib.contextmanager
def memory(on: bool) -> Iterator[None]:
    memo.clear()
    previous = memo.enable(on)
    try:
        yield
    finally:
        memo.enable(previous)
        memo.clear()


def test_a_policy_shared_by_many_queries_is_encoded_once() -> None:
    space = RequestSpace(kinds=(PrincipalKind.ROLE,), actions=("s3:GetObject",), resources=("arn:aws:s3:::shared/*",))
    with memory(True):
        first = space_query(_role_policy("s3:GetObject"), space, want_allowed=True)
        _, built = memo.counts()
        # another edge into the same bucket: only the caller's own policy is new
        second = space_query(_role_policy("s3:Get*"), space, want_allowed=True)
        hits, misses = memo.counts()
        assert built > 3 and hits >= built - 1
        assert misses == built + 2  # the new identity policy's one statement and its Action element
        again = space_query(_role_policy("s3:GetObject"), space, want_allowed=True)
    assert memo.counts() == (0, 0)
    with memory(False):
        alone = space_query(_role_policy("s3:GetObject"), space, want_allowed=True)
        assert memo.counts() == (0, 0)
    # the very same assertions, kept or built afresh
    assert [a.sexpr() for a in again.assertions] == [a.sexpr() for a in first.assertions] \
        == [a.sexpr() for a in alone.assertions]
    assert len(second.assertions) == len(first.assertions)


def _snapshot_commands() -> list[list[str]]:
    bucket = "arn:aws:s3:::prod-data"
    commands = []
    for name in ("leaky", "fixed"):
        snapshot = str(EXAMPLES / name)
        commands += [["graph", "--snapshot", snapshot, "--with-absent", "--format", "json"],
                     ["who-can", "s3:GetObject", bucket, "--snapshot", snapshot, "--format", "json"]]
    return commands


def test_who_can_and_graph_print_the_same_with_the_memory_and_without() -> None:
    for command in _snapshot_commands():
        with memory(False):
            alone = runner.invoke(app, command)
        with memory(True):
            kept = runner.invoke(app, command)
            assert memo.counts()[0] > 0  # the queries shared encoding work
        assert alone.exit_code in (0, 1) and '"' in alone.output, alone.output
        assert (kept.exit_code, kept.output) == (alone.exit_code, alone.output), command


needs_corpus = pytest.mark.skipif(not (CORPUS / "catalog.json").is_file(),
                                  reason=f"the policy corpus is not at {CORPUS} (set PERIMETER_CORPUS)")


@pytest.mark.corpus
@needs_corpus
def test_corpus_checks_give_the_same_json_with_the_memory_and_without() -> None:
    # a spread of the corpus's resource policies (every 50th), checked with the
    # memory twice in a row (the second time from it) and once without it
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus_public import resource_policies, run
    from reasoner.solving.budget import Budget

    chosen = resource_policies(CORPUS)[::50]
    with memory(False):
        alone = list(run(CORPUS, chosen, Budget(2.0)))
    with memory(True):
        kept = list(run(CORPUS, chosen + chosen, Budget(2.0)))
        assert memo.counts()[0] > 0
    assert len(alone) > 5 and any('"witness"' in line for line in alone)
    assert kept == alone + alone


def test_every_input_of_a_symbolic_request_is_in_its_signature() -> None:
    # terms are kept by signature: two requests whose terms could differ never share one
    from reasoner.encodings.actions import ActionDomain
    from reasoner.encodings.options import PLAIN, PREDICATES
    from reasoner.encodings.request import SymbolicRequest

    def policy(condition: dict[str, object]) -> object:
        return parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}]}),
            PolicyType.IDENTITY, source="p.json")

    text = policy({"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:PrincipalTag/team": "a"}})
    base = SymbolicRequest.for_policies([text], name="space")
    variants = [
        SymbolicRequest.for_policies([text], name="public"),  # the constants' names
        SymbolicRequest.for_policies([text], name="space", options=PLAIN),  # the encoding
        SymbolicRequest.for_policies([text], name="space", options=PREDICATES),
        SymbolicRequest.for_policies([text], name="space", actions=ActionDomain.with_extra(["s3:madeup"])),
        SymbolicRequest.for_policies([policy({"StringEquals": {"aws:SourceVpce": "vpce-1"}})], name="space"),
        SymbolicRequest.for_policies([policy({"IpAddress": {"aws:SourceVpce": "10.0.0.0/8"}})], name="space"),
        SymbolicRequest.for_policies([policy({"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}})], name="space"),
        SymbolicRequest.for_policies([policy({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]},
                                              "ForAllValues:StringEquals": {"aws:TagKeys": "c"}})], name="space"),
    ]
    tags = policy({"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}})
    variants.append(SymbolicRequest.for_policies([tags], name="space", extra_slots=2))  # a key's slots
    signatures = [base.signature, *(v.signature for v in variants)]
    assert len(set(signatures)) == len(signatures)
    assert SymbolicRequest.for_policies([text], name="space").signature == base.signature
