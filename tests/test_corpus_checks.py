"""The checks against real ground truth: IAM Access Analyzer's own
CheckNoNewAccess results on the custom-policy-check samples, and every corpus
resource policy through no-public-access without a crash or an UNKNOWN."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.placeholders import substitute
from reasoner.benchmark.corpus import RESOURCE_TYPE_BY_KIND
from reasoner.checks.run import check_no_new_access
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.parse import parse_policy_text

CORPUS = Path(os.environ.get("PERIMETER_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))
SAMPLES = CORPUS / "iam-access-analyzer-custom-policy-check-samples"
pytestmark = [pytest.mark.corpus,
              pytest.mark.skipif(not (SAMPLES / "manifest.json").is_file(),
                                 reason=f"the policy corpus is not at {CORPUS} (set PERIMETER_CORPUS)")]

# Cases where our answer differs from Access Analyzer's, each with the reason
# (also listed in docs/check.md, "Ground truth and speed").
KNOWN_DIFFERENCES: dict[str, str] = {
    "identity-policies/check-access-to-sensitive-resource/ec2-network-acl/candidate-03-FAIL.json":
        "the candidate grants ec2:DeleteNetworkAclEntry on acl-123456 only, which the reference allows "
        "(it denies acl-sensitive); Access Analyzer reports new access",
}


def _load(path: Path, policy_type: PolicyType) -> Policy:
    return parse_policy_text(substitute(path.read_text()), policy_type, source=str(path))


def _cases() -> list[tuple[str, str, str, str]]:
    if not (SAMPLES / "manifest.json").is_file():
        return []
    manifest: dict[str, Any] = json.loads((SAMPLES / "manifest.json").read_text())
    return [(check["policy_type"], check["reference"], candidate["file"], candidate["expected"])
            for check in manifest["checks"] for candidate in check["candidates"]]


def _policy_type(kind: str, path: Path) -> PolicyType:
    if kind == "IDENTITY_POLICY":
        return PolicyType.IDENTITY
    return PolicyType.TRUST if "role-trust-policies" in str(path) else PolicyType.RESOURCE


def _run(kind: str, reference: str, candidate: str) -> str:
    policy_type = _policy_type(kind, SAMPLES / candidate)
    old = _load(SAMPLES / reference, policy_type)
    new = _load(SAMPLES / candidate, policy_type)
    return check_no_new_access(old, new, policy_type).result


ALL = _cases()


# All of them in `make test` (about a minute and a half), at the default budget
# (docs/check.md, "Ground truth and speed"): the budget counts solver work, so a slow or
# busy machine gives the same answers.
@pytest.mark.parametrize(("kind", "reference", "candidate", "expected"), ALL, ids=[case[2] for case in ALL])
def test_no_new_access_agrees_with_access_analyzer(kind: str, reference: str, candidate: str,
                                                   expected: str) -> None:
    if candidate in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[candidate])
    assert _run(kind, reference, candidate) == expected


KINDS = RESOURCE_TYPE_BY_KIND


def _resource_policies() -> list[tuple[str, str]]:
    catalog = CORPUS / "catalog.json"
    if not catalog.is_file():
        return []
    entries = json.loads(catalog.read_text())["files"]
    return sorted((entry["path"], KINDS[entry["kind"]]) for entry in entries
                  if entry["kind"] in KINDS and entry.get("valid_json", True))


def _public(path: str, kind_name: str) -> str:
    from reasoner.checks.run import check_no_public_access
    from reasoner.errors import InputError
    from reasoner.policy.resource_types import resource_type

    kind = resource_type(kind_name)
    try:
        policy = parse_policy_text(substitute((CORPUS / path).read_text()), kind.policy_type, source=path)
    except InputError as error:
        pytest.skip(f"rejected by the parser: {error}")
    result = check_no_public_access(policy, kind)
    assert result.result in ("PASS", "FAIL"), f"{path}: {result.unknown_reason}"
    if result.witness is not None:
        assert result.witness.result.decision.value == "Allow"
    return result.result


RESOURCE_POLICIES = _resource_policies()


# Every one in `make test` (about a minute): no UNKNOWN at the default budget.
@pytest.mark.parametrize(("path", "kind"), RESOURCE_POLICIES, ids=[p for p, _ in RESOURCE_POLICIES])
def test_no_public_access_answers_on_every_corpus_resource_policy(path: str, kind: str) -> None:
    _public(path, kind)
