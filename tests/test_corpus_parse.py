"""Every policy of the shared corpus parses with its policy type, or is rejected
with a clear one-line InputError for a reason listed here.

The corpus location defaults to `../shared/corpus` beside the repository;
`PERIMETER_CORPUS` overrides it. The tests skip when it is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reasoner.errors import InputError
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import load_policy_file

pytestmark = pytest.mark.corpus

CORPUS = Path(os.environ.get("PERIMETER_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
MANAGED = "iam-dataset-aws-managed-policies/policies"

# quacky's domain-restriction inputs: JSON, but not policies (corpus README).
NOT_POLICIES = frozenset(
    f"quacky/samples/manual_s3/exp_single/{case}/domain.json"
    for case in (
        "s3_allow_3", "s3_allow_notprincipal", "s3_allow_notresource", "s3_allow_prefix", "s3_allow_principals",
        "s3_allow_pstar", "s3_allow_rstar", "s3_deny_notresource", "s3_deny_resource",
    )
)

# The two upstream files that are not JSON (corpus README), with where json.load stops.
INVALID_JSON = {
    "service-control-policy-examples/Service-specific-controls/AWS-IAM/deny-service-specific-credential-by-type.json":
        "invalid JSON at line 15 column 13: Expecting ',' delimiter",
    "cloud-foundations-templates/logging/centralized-logging-kms-key-config/kms-key-policy-for-org-config.json":
        "invalid JSON at line 39 column 5: Expecting property name enclosed in double quotes",
}

# Valid JSON that breaks the policy grammar itself, whatever the placeholders.
INVALID_POLICIES = {
    "quacky/samples/manual_s3/exp_single/s3_allow_notprincipal/policy.json":
        'Statement[0].NotPrincipal: "NotPrincipal" can only be used with "Effect": "Deny"',
    "quacky/samples/manual_s3/exp_single/s3_allow_principals/policy.json":
        'Statement[0].Principal: expected "*" or an object with AWS, Service, Federated or CanonicalUser, got list',
    "quacky/samples/manual_s3/exp_single/s3_allow_pstar/policy.json":
        'Statement[0].Principal: expected "*" or an object with AWS, Service, Federated or CanonicalUser, got list',
    # an Allow statement (a customer RCP may only Deny) that also lacks Resource, in an RCP
    # over the 5,120 characters AWS Organizations takes
    "resource-control-policy-examples/Limit-access-to-trusted-OIDC-identity-providers/Shared-Issuers.json":
        "6,083 characters (not counting white space) is over AWS's quota of 5,120 for a resource control policy "
        "(AWS Organizations User Guide, Quotas for AWS Organizations)",
}


# Upstream typos AWS refuses ("Invalid principal in policy"): account ids of 11 and 14
# digits in quacky's samples and their mutations.
BAD_ACCOUNT_IDS = ("99999999999", "12345667789012")


def _bad_account(error: InputError) -> bool:
    return any(f'account "{account}" is not a 12-digit account id' in error.message for account in BAD_ACCOUNT_IDS)


def _policy_type(kind: str) -> PolicyType | None:
    if kind.startswith("resource-based policy"):
        return PolicyType.RESOURCE
    return {
        "identity policy": PolicyType.IDENTITY,
        "SCP": PolicyType.SCP,
        "RCP": PolicyType.RCP,
        "role trust policy": PolicyType.TRUST,
        "VPC endpoint policy": PolicyType.VPC_ENDPOINT,
    }.get(kind)


def _catalog() -> list[dict[str, Any]]:
    if not (CORPUS / "catalog.json").is_file():
        pytest.skip(f"policy corpus not found at {CORPUS} (set PERIMETER_CORPUS to its folder)")
    files: list[dict[str, Any]] = json.loads((CORPUS / "catalog.json").read_text())["files"]
    return files


def _load(path: str, policy_type: PolicyType) -> Any:
    return load_policy_file(CORPUS / path, policy_type, source=path)


def _problems(entries: list[dict[str, Any]]) -> list[str]:
    """Every way the parser's verdict on `entries` differs from the expected one."""
    problems: list[str] = []
    for entry in entries:
        path = entry["path"]
        policy_type = _policy_type(entry["kind"])
        if path in NOT_POLICIES or path in INVALID_JSON or path in INVALID_POLICIES:
            continue
        assert policy_type is not None, f"{path}: unknown kind {entry['kind']!r}"
        try:
            policy = _load(path, policy_type)
        except InputError as error:
            if _bad_account(error):
                continue
            placeholders = entry.get("placeholders") or []
            # a placeholder in a place with a format (a CIDR, a number, an action) may be rejected,
            # as long as the message shows the placeholder
            if not any(f'"{placeholder}' in error.message for placeholder in placeholders):
                problems.append(str(error))
            continue
        if policy.policy_type is not policy_type or not policy.statements:
            problems.append(f"{path}: parsed as {policy.policy_type} with {len(policy.statements)} statements")
        elif any(statement.line is None for statement in policy.statements):
            problems.append(f"{path}: a statement has no line")
        elif policy_type.takes_principal and any(
            statement.principal is None and statement.not_principal is None for statement in policy.statements
        ):
            problems.append(f"{path}: a statement has no principal")
    return problems


SOURCES = (
    "cloud-foundations-templates",
    "data-perimeter-policy-examples",
    "iam-access-analyzer-custom-policy-check-samples",
    "quacky",
    "resource-control-policy-examples",
    "service-control-policy-examples",
)


@pytest.mark.parametrize("source", SOURCES)
def test_catalogued_policies_parse_with_their_type(source: str) -> None:
    entries = [entry for entry in _catalog() if entry["source"] == source]
    assert entries
    assert _problems(entries) == []


def test_aws_managed_policies_parse_as_identity_policies() -> None:
    _catalog()
    paths = sorted((CORPUS / MANAGED).glob("*.json"))
    assert len(paths) > 1000
    entries = [{"path": f"{MANAGED}/{path.name}", "kind": "identity policy"} for path in paths]
    assert _problems(entries) == []


def test_non_policies_are_exactly_the_nine_domain_files() -> None:
    names = {entry["path"] for entry in _catalog() if _policy_type(entry["kind"]) is None}
    assert names == NOT_POLICIES


@pytest.mark.parametrize(("path", "message"), sorted(INVALID_JSON.items()))
def test_invalid_json_files_are_rejected_with_line_and_column(path: str, message: str) -> None:
    kind = next(entry["kind"] for entry in _catalog() if entry["path"] == path)
    policy_type = _policy_type(kind)
    assert policy_type is not None
    with pytest.raises(InputError) as caught:
        _load(path, policy_type)
    assert str(caught.value) == f"{path}: {message}"


@pytest.mark.parametrize(("path", "message"), sorted(INVALID_POLICIES.items()))
def test_invalid_policies_are_rejected_with_their_json_path(path: str, message: str) -> None:
    kind = next(entry["kind"] for entry in _catalog() if entry["path"] == path)
    policy_type = _policy_type(kind)
    assert policy_type is not None
    with pytest.raises(InputError) as caught:
        _load(path, policy_type)
    assert str(caught.value) == f"{path}: {message}"


def test_placeholder_cidr_is_rejected_naming_the_placeholder() -> None:
    path = "data-perimeter-policy-examples/service_control_policies/network_perimeter_sourcevpc_scp.json"
    _catalog()
    with pytest.raises(InputError) as caught:
        _load(path, PolicyType.SCP)
    assert str(caught.value) == (
        f'{path}: Statement[0].Condition.NotIpAddressIfExists.aws:SourceIp[0]: "<my-corporate-cidr>" is not a CIDR'
    )


def test_statement_given_as_one_object() -> None:
    _catalog()
    policy = _load("quacky/samples/benchmark/s3_date_time_constraint/policy.json", PolicyType.IDENTITY)
    assert len(policy.statements) == 1
    assert policy.statements[0].line == 3


def test_principals_with_an_account_id_of_the_wrong_length_are_rejected() -> None:
    """Issue #17: a principal AWS refuses is bad input, not a principal that matches no one."""
    rejected = []
    for entry in _catalog():
        policy_type = _policy_type(entry["kind"])
        if policy_type is None or not entry["path"].startswith("quacky/"):
            continue
        try:
            _load(entry["path"], policy_type)
        except InputError as error:
            if _bad_account(error):
                rejected.append(entry["path"])
    assert len(rejected) == 21, rejected
    assert all("iam_specify_all_users_in_account_bucket_policy" in path or "principal_specific_permissions" in path
               or "s3_policy_for_lambda_function" in path for path in rejected)
