"""Snapshot ingestion: IAM exports, resources, organization, and clear errors."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

from reasoner.errors import InputError
from reasoner.inputs.organization import convert_organization
from reasoner.inputs.snapshot import identities_from_snapshot, load_snapshot
from tests.snapshot_factory import DEV, PROD, READ_BUCKET, role, trust, write_snapshot

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "snapshot" / "leaky"


def test_example_snapshot_loads_every_part() -> None:
    snapshot = load_snapshot(EXAMPLE)
    assert {a.account for a in snapshot.accounts} == {"111111111111", "222222222222", "333333333333"}
    partner = snapshot.role("arn:aws:iam::333333333333:role/partner-integration")
    assert partner is not None and partner.tags == {"team": "integrations"}
    # the URL-encoded default version (v2), not the older s3:* version
    assert partner.policies[0].statements[0].actions == ("s3:GetObject", "s3:ListBucket")
    alice = snapshot.user("arn:aws:iam::111111111111:user/alice")
    assert alice is not None and alice.policies[0].name == "assume-ops"  # the admins group's policy
    bucket = snapshot.resource("arn:aws:s3:::prod-data")
    assert bucket is not None and bucket.account == "222222222222" and bucket.policy is not None
    assert snapshot.organization_id == "o-exampleorg1"
    assert sorted(snapshot.organization_accounts()) == ["111111111111", "222222222222", "333333333333"]


def test_identities_for_perimeter_files() -> None:
    identities = identities_from_snapshot(EXAMPLE)
    assert {i.arn for i in identities} >= {"arn:aws:iam::111111111111:user/alice",
                                           "arn:aws:iam::333333333333:role/partner-integration"}


def _export(folder: Path, details: dict[str, object], *, whole: bool = True) -> None:
    """An export of DEV's IAM; `whole`: with every list an unfiltered export has."""
    (folder / "iam").mkdir(parents=True, exist_ok=True)
    lists = {key: [] for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")} if whole else {}
    (folder / "iam" / f"{DEV}.json").write_text(json.dumps({**lists, **details}))


def test_missing_managed_policy_names_file_and_path(tmp_path: Path) -> None:
    entry = role(DEV, "r", trust({"AWS": "*"}))
    entry["AttachedManagedPolicies"] = [{"PolicyName": "gone", "PolicyArn": f"arn:aws:iam::{DEV}:policy/gone"}]
    _export(tmp_path, {"RoleDetailList": [entry]})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "RoleDetailList[0].AttachedManagedPolicies[0]"
    assert caught.value.source.endswith(f"{DEV}.json")


def test_bad_trust_document_and_truncated_export(tmp_path: Path) -> None:
    entry = role(DEV, "r", trust({"AWS": "*"}))
    entry["AssumeRolePolicyDocument"] = "%7Bnot json"
    _export(tmp_path, {"RoleDetailList": [entry]})
    with pytest.raises(InputError, match="AssumeRolePolicyDocument"):
        load_snapshot(tmp_path)
    _export(tmp_path, {"RoleDetailList": [], "IsTruncated": True})
    with pytest.raises(InputError, match="truncated"):
        load_snapshot(tmp_path)


def test_a_partial_export_is_bad_input(tmp_path: Path) -> None:
    # a filtered export lacks lists: read as "no roles", it could turn a leak into a proof
    _export(tmp_path, {"UserDetailList": [], "GroupDetailList": [], "Policies": []}, whole=False)
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "RoleDetailList" and "missing" in str(caught.value)


def test_an_export_named_for_another_account_is_bad_input(tmp_path: Path) -> None:
    _export(tmp_path, {"RoleDetailList": [role(PROD, "r", trust({"AWS": "*"}))]})
    with pytest.raises(InputError, match=f"named for account {DEV}"):
        load_snapshot(tmp_path)


@pytest.mark.parametrize(("arn", "message"), [
    ("arn:aws:sqs:eu-west-1:q", "is not an ARN (arn:partition"),
    (f"arn:aws:sqs:eu-west-1:{DEV}:q", f"is of account {DEV}, not of {PROD} where it is filed"),
])
def test_a_resource_file_must_name_its_resource(tmp_path: Path, arn: str, message: str) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": []}})
    (tmp_path / "resources" / PROD).mkdir(parents=True, exist_ok=True)
    name = urllib.parse.quote(arn, safe="")
    (tmp_path / "resources" / PROD / f"{name}.json").write_text(json.dumps({"Version": "2012-10-17",
                                                                           "Statement": []}))
    with pytest.raises(InputError, match=re.escape(message)):
        load_snapshot(tmp_path)


def test_s3_resource_needs_an_owner(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": "*"}), READ_BUCKET)]}})
    (tmp_path / "resources.json").write_text(json.dumps({"arn:aws:s3:::other": {"Version": "2012-10-17",
                                                                                  "Statement": []}}))
    with pytest.raises(InputError, match="has no account"):
        load_snapshot(tmp_path)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="snapshot folder"):
        load_snapshot(tmp_path / "nope")


def test_org_convert_from_raw_outputs(tmp_path: Path) -> None:
    def put(name: str, data: object) -> None:
        file = tmp_path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(data))

    put("describe-organization.json", {"Organization": {"Id": "o-exampleorg1", "MasterAccountId": "111111111111"}})
    put("list-roots.json", {"Roots": [{"Id": "r-ab12", "Name": "Root"}]})
    put("list-organizational-units-for-parent/r-ab12.json", {"OrganizationalUnits": [{"Id": "ou-1", "Name": "w"}]})
    put("list-accounts-for-parent/r-ab12.json", {"Accounts": [{"Id": "111111111111", "Name": "mgmt"}]})
    put("list-accounts-for-parent/ou-1.json", {"Accounts": [{"Id": PROD, "Name": "prod"}]})
    put("list-policies-for-target/r-ab12.SERVICE_CONTROL_POLICY.json",
        {"Policies": [{"Id": "p-FullAWSAccess", "Name": "FullAWSAccess"}, {"Id": "p-1", "Name": "deny"}]})
    put("describe-policy/p-1.json", {"Policy": {"Content": json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})}})
    document = convert_organization(tmp_path)
    assert document["id"] == "o-exampleorg1"
    assert document["root"]["scps"][0] == "FullAWSAccess"
    assert document["root"]["ous"][0]["accounts"] == [{"id": PROD, "name": "prod"}]
    # the converted document loads as a snapshot's organization.json
    write_snapshot(tmp_path / "snap", {DEV: {"roles": []}})
    (tmp_path / "snap" / "organization.json").write_text(json.dumps(document))
    snapshot = load_snapshot(tmp_path / "snap")
    assert sorted(snapshot.organization_accounts()) == ["111111111111", PROD]
    put("describe-policy/p-1.json", {"Policy": {}})
    with pytest.raises(InputError, match=r"Policy\.Content"):
        convert_organization(tmp_path)


def test_roles_with_the_same_documents_each_have_their_own_policies(tmp_path: Path) -> None:
    # the same URL-encoded documents in several roles are parsed once; each role's
    # policies still say where they are, and inline sizes still add up per role
    shared_trust, shared_policy = trust({"Service": "lambda.amazonaws.com"}), READ_BUCKET
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, f"r{i}", shared_trust, shared_policy) for i in range(3)]}})
    roles = [load_snapshot(tmp_path).role(f"arn:aws:iam::{DEV}:role/r{i}") for i in range(3)]
    assert all(found is not None for found in roles)
    sources = [(found.trust_policy.source, found.policies[0].source) for found in roles if found is not None]
    assert [s.split(": ", 1)[1] for pair in sources for s in pair] == [
        part for i in range(3) for part in (f"RoleDetailList[{i}].AssumeRolePolicyDocument",
                                            f"RoleDetailList[{i}].RolePolicyList[0].PolicyDocument")]
    first, *others = [found for found in roles if found is not None]
    assert all(other.policies[0].statements == first.policies[0].statements for other in others)
    assert all(other.trust_policy.name == f"trust policy of r{i + 1}" for i, other in enumerate(others))

    big = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                   "Resource": "arn:aws:s3:::" + "b" * 1_100}]}
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", shared_trust, *[big] * 10)]}})
    with pytest.raises(InputError) as caught:  # ten of the same, over a role's 10,240 together
        load_snapshot(tmp_path)
    assert caught.value.path == "RoleDetailList[0].RolePolicyList" and "10,240" in caught.value.message
