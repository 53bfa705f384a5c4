"""Every statement of every corpus policy encodes, except the constructs listed here
with the reason the encoding refuses them (reported as UNKNOWN, never guessed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.statements import statement_applies
from reasoner.errors import EncodingError, InputError
from reasoner.policy.parse import load_policy_file
from tests.test_corpus_parse import CORPUS, MANAGED, _policy_type

pytestmark = pytest.mark.corpus

NOT_ENCODED = {
    # StringEqualsIgnoreCase against ${aws:username}: case-insensitive equality with a
    # symbolic value has no quantifier-free string encoding.
    "quacky/samples/benchmark/rds_allow_tag_owners/policy.json": "IgnoreCase with a policy variable",
}


def _entries(managed: bool) -> list[dict[str, Any]]:
    if not (CORPUS / "catalog.json").is_file():
        pytest.skip(f"policy corpus not found at {CORPUS} (set PERIMETER_CORPUS to its folder)")
    if managed:
        return [{"path": f"{MANAGED}/{path.name}", "kind": "identity policy"}
                for path in sorted((CORPUS / MANAGED).glob("*.json"))]
    entries: list[dict[str, Any]] = json.loads((CORPUS / "catalog.json").read_text())["files"]
    return entries


def _refusals(entries: list[dict[str, Any]]) -> dict[str, str]:
    refused: dict[str, str] = {}
    for entry in entries:
        policy_type = _policy_type(entry["kind"])
        if policy_type is None:
            continue
        try:
            policy = load_policy_file(Path(CORPUS / entry["path"]), policy_type, source=entry["path"])
        except InputError:
            continue  # test_corpus_parse pins those
        try:
            sym = SymbolicRequest.for_policies([policy])
            for statement in policy.statements:
                statement_applies(statement, policy, sym)
        except EncodingError as error:
            refused[entry["path"]] = error.construct
    return refused


def test_catalogued_policies_encode() -> None:
    assert _refusals(_entries(managed=False)) == NOT_ENCODED


@pytest.mark.slow
def test_aws_managed_policies_encode() -> None:
    assert _refusals(_entries(managed=True)) == {}
