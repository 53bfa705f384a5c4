"""ACLs, Block Public Access and KMS grants in snapshots, perimeter files and
reach / who-can (docs/snapshots.md, docs/reach.md "Buckets and keys"): the example
snapshot where an object ACL and a KMS grant open paths that the policies alone do
not, and its fixed twin, proven closed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.inputs.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parent.parent
OPEN = ROOT / "examples" / "snapshot" / "buckets-open"
CLOSED = ROOT / "examples" / "snapshot" / "buckets-closed"
OBJECT = "arn:aws:s3:::finance-reports/q3/summary.csv"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
GRANT_ID = "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60"
runner = CliRunner()


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, [*args, "--format", "json"])
    return result.exit_code, json.loads(result.output)


def test_snapshot_reads_acls_grants_and_account_settings() -> None:
    snapshot = load_snapshot(OPEN)
    bucket = snapshot.resource("arn:aws:s3:::finance-reports")
    key = snapshot.resource(KEY)
    assert bucket is not None and key is not None
    assert list(bucket.object_acls) == [OBJECT]
    assert bucket.object_ownership == "BucketOwnerPreferred"
    assert [grant.grant_id for grant in key.kms_grants] == [GRANT_ID]
    closed = load_snapshot(CLOSED)
    block = closed.s3_accounts["111111111111"].public_access_block
    assert block is not None and block.ignore_public_acls and block.restrict_public_buckets


def test_object_acl_opens_a_path_to_anonymous_callers_and_the_twin_closes_it() -> None:
    code, answer = run("reach", "--snapshot", str(OPEN), "--from", "anonymous", "--to", OBJECT,
                       "--action", "s3:GetObject")
    assert code == 1
    (hop,) = answer["path"]
    assert hop["kind"] == "acl"
    assert hop["witness"]["determining"] == [{"policy": "object_acl", "statement": 1, "sid": "AllUsers READ",
                                              "effect": "Allow"}]
    code, answer = run("reach", "--snapshot", str(CLOSED), "--from", "anonymous", "--to", OBJECT,
                       "--action", "s3:GetObject")
    assert code == 0
    assert answer["path_found"] is False


def test_who_can_names_the_grant_as_the_deciding_statement() -> None:
    code, answer = run("who-can", "kms:Decrypt", KEY, "--snapshot", str(OPEN))
    assert code == 1
    outside = {entry["principal"]: entry["path"] for entry in answer["principals"] if entry["outside_zone"]}
    assert sorted(outside) == ["account:444455556666", "external:outside-organization"]
    for (hop,) in outside.values():
        assert hop["kind"] == "grant"
        assert [(ref["policy"], ref["sid"]) for ref in hop["witness"]["determining"]] == [("kms_grants", GRANT_ID)]
    code, answer = run("who-can", "kms:Decrypt", KEY, "--snapshot", str(CLOSED))
    assert code == 0
    assert answer["result"] == "PASS"


def test_policies_alone_do_not_open_either_path(tmp_path: Path) -> None:
    """The open snapshot without its ACLs and grants: the paths are the ACL's and the grant's."""
    import shutil

    stripped = tmp_path / "stripped"
    shutil.copytree(OPEN, stripped)
    resources = json.loads((stripped / "resources.json").read_text())
    for entry in resources.values():
        entry.pop("object_acls", None)
        entry.pop("kms_grants", None)
    (stripped / "resources.json").write_text(json.dumps(resources))
    assert run("who-can", "s3:GetObject", OBJECT, "--snapshot", str(stripped))[0] == 0
    assert run("who-can", "kms:Decrypt", KEY, "--snapshot", str(stripped))[0] == 0


def _snapshot_with(tmp_path: Path, entry: dict[str, Any], arn: str = "arn:aws:s3:::finance-reports") -> Path:
    import shutil

    folder = tmp_path / "snap"
    shutil.copytree(OPEN, folder)
    (folder / "resources.json").write_text(json.dumps({arn: {"policy": None, "account": "111111111111", **entry}}))
    return folder


@pytest.mark.parametrize(("entry", "arn", "message"), [
    ({"kms_grants": {"Grants": []}}, "arn:aws:s3:::finance-reports",
     "arn:aws:s3:::finance-reports.kms_grants: only an AWS::KMS::Key has kms_grants, not an AWS::S3::Bucket"),
    ({"acl": {"Grants": []}}, KEY, f"{KEY}.acl: only an AWS::S3::Bucket has acl, not an AWS::KMS::Key"),
    ({"object_ownership": "Nobody"}, "arn:aws:s3:::finance-reports",
     "arn:aws:s3:::finance-reports.object_ownership: expected one of BucketOwnerEnforced"),
    ({"kms_grants": {"Grants": [{"KeyId": "arn:aws:kms:us-east-1:111111111111:key/other", "GrantId": "g",
                                  "GranteePrincipal": "arn:aws:iam::444455556666:root", "Operations": ["Decrypt"]}]}},
     KEY, "kms_grants.Grants[0].KeyId: a grant of arn:aws:kms:us-east-1:111111111111:key/other, not of"),
])
def test_bad_resource_extras_name_the_file_and_place(tmp_path: Path, entry: dict[str, Any], arn: str,
                                                     message: str) -> None:
    folder = _snapshot_with(tmp_path, entry, arn)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        load_snapshot(folder)


def test_bad_s3_accounts_is_named(tmp_path: Path) -> None:
    folder = _snapshot_with(tmp_path, {})
    (folder / "s3_accounts.json").write_text(json.dumps({"111111111111": {"canonical": "x"}}))
    with pytest.raises(InputError, match=r"s3_accounts\.json: 111111111111\.canonical: unknown key"):
        load_snapshot(folder)


def test_perimeter_file_resources_take_an_acl_and_account_block(tmp_path: Path) -> None:
    policy = ROOT / "examples" / "checks" / "bucket" / "partner-policy.json"
    acl = ROOT / "examples" / "checks" / "bucket" / "acl-public-read.json"
    text = f"""
zone:
  organization_ids: [o-a1b2c3d4e5]
  trusted_accounts: ["444455556666"]
organization:
  root:
    accounts: ["111122223333"]
resources:
  - arn: arn:aws:s3:::reports-bucket
    type: AWS::S3::Bucket
    account: "111122223333"
    policy: {policy}
    acl: {acl}
invariants:
  - id: no-anonymous-listing
    principals: anonymous
    actions: ["s3:ListBucket"]
    expect: deny
"""
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(text)
    assert runner.invoke(app, ["prove", str(perimeter)]).exit_code == 1
    block = ROOT / "examples" / "checks" / "bucket" / "block-all.json"
    perimeter.write_text(text + f's3_accounts:\n  "111122223333":\n    public_access_block: {block}\n')
    result = runner.invoke(app, ["prove", str(perimeter)])
    assert result.exit_code == 0, result.output


ACCESS_POINT = "arn:aws:s3:us-east-1:111111111111:accesspoint/partner-reports"
DELEGATE = {"Sid": "DelegateToAccessPoints", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*",
            "Resource": ["arn:aws:s3:::finance-reports", "arn:aws:s3:::finance-reports/*"],
            "Condition": {"StringEquals": {"s3:DataAccessPointAccount": "111111111111"}}}


def _with_access_point(tmp_path: Path, *, delegate: bool, **point: Any) -> Path:
    """The closed snapshot with an access point that lets the partner account read."""
    import shutil

    folder = tmp_path / ("delegating" if delegate else "not-delegating")
    shutil.copytree(CLOSED, folder)
    resources = json.loads((folder / "resources.json").read_text())
    resources[ACCESS_POINT] = {"bucket": "finance-reports", **point, "policy": {
        "Version": "2012-10-17", "Statement": [{"Sid": "PartnerReads", "Effect": "Allow",
                                                "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject",
                                                "Resource": f"{ACCESS_POINT}/object/*"}]}}
    if delegate:
        resources["arn:aws:s3:::finance-reports"]["policy"]["Statement"].append(DELEGATE)
    (folder / "resources.json").write_text(json.dumps(resources))
    return folder


def test_access_point_edge_needs_the_bucket_to_delegate(tmp_path: Path) -> None:
    """S3 User Guide, "Configuring IAM policies for using access points": both the access
    point and the bucket must permit the request."""
    target = f"{ACCESS_POINT}/object/q3/summary.csv"
    code, answer = run("reach", "--snapshot", str(_with_access_point(tmp_path, delegate=True)),
                       "--from", "account:444455556666", "--to", target, "--action", "s3:GetObject")
    assert code == 1
    (hop,) = answer["path"]
    assert hop["kind"] == "access-point"
    assert [ref["policy"] for ref in hop["witness"]["determining"]] == [
        "access_point_policy", "identity_policies[0]", "resource_policy"]
    # without the delegation the access point side lets the partner in, the bucket side does not: proven absent
    code, answer = run("reach", "--snapshot", str(_with_access_point(tmp_path, delegate=False)),
                       "--from", "account:444455556666", "--to", target, "--action", "s3:GetObject")
    assert code == 0, answer
    assert answer["path_found"] is False


def test_vpc_access_point_edge_carries_its_vpc(tmp_path: Path) -> None:
    folder = _with_access_point(tmp_path, delegate=True, vpc_id="vpc-0a1b2c3d")
    code, answer = run("reach", "--snapshot", str(folder), "--from", "account:444455556666",
                       "--to", f"{ACCESS_POINT}/object/q3/summary.csv", "--action", "s3:GetObject")
    assert code == 1
    assert answer["path"][0]["witness"]["request"]["context"]["aws:SourceVpc"] == "vpc-0a1b2c3d"


def test_access_point_needs_its_bucket(tmp_path: Path) -> None:
    folder = _snapshot_with(tmp_path, {"policy": None}, ACCESS_POINT)
    with pytest.raises(InputError, match="an access point needs its bucket's name"):
        load_snapshot(folder)


def _access_point_perimeter(tmp_path: Path, *, delegate: bool) -> Path:
    """A bucket and an access point whose policy lets anyone read, in a perimeter file."""
    point = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports"
    tmp_path.mkdir()
    (tmp_path / "ap.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "AnyoneReads", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"{point}/object/*"}]}))
    (tmp_path / "bucket.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {**DELEGATE, "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
         "Condition": {"StringEquals": {"s3:DataAccessPointAccount": "111122223333"}}}]}))
    bucket_policy = "\n    policy: bucket.json" if delegate else ""
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(f"""
zone:
  organization_ids: [o-a1b2c3d4e5]
organization:
  root:
    accounts: ["111122223333"]
resources:
  - arn: arn:aws:s3:::reports
    type: AWS::S3::Bucket
    account: "111122223333"{bucket_policy}
  - arn: {point}
    type: AWS::S3::AccessPoint
    bucket: reports
    policy: ap.json
invariants:
  - only-trusted-identities
""")
    return perimeter


def test_prove_decides_requests_through_an_access_point(tmp_path: Path) -> None:
    """Without the bucket's delegation the public access point policy lets no one in
    (proven); with it, anonymous callers read through the access point, and only there:
    a request on the bucket itself carries no s3:DataAccessPointAccount."""
    closed = runner.invoke(app, ["prove", str(_access_point_perimeter(tmp_path / "closed", delegate=False))])
    assert closed.exit_code == 0, closed.output
    result = runner.invoke(app, ["prove", str(_access_point_perimeter(tmp_path / "open", delegate=True)),
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["invariants"][0]["findings"]
    assert findings and all(":accesspoint/reports/object/" in f["witness"]["request"]["resource"] for f in findings)
    assert all({"access_point_policy", "resource_policy"} <= {r["policy"] for r in f["witness"]["determining"]}
               for f in findings)


def test_the_picture_says_why_an_acl_or_grant_edge_has_no_replay_scenario() -> None:
    from reasoner.accounts.picture_view import build_picture
    from reasoner.accounts.reach import Reachability
    from reasoner.inputs.snapshot import load_snapshot

    reach = Reachability(load_snapshot(OPEN))
    targets = [(reach.target(OBJECT), ("s3:GetObject",))]
    reach.build(targets)
    picture = build_picture(reach, targets, show_all=True)
    acl_notes = [evidence.note for edge in picture.edges for evidence in edge.evidence
                 if evidence.request is not None and any(d.get("policy") == "object_acl" for d in evidence.deciding)]
    assert acl_notes and all(note is not None and "an acl opens" in note for note in acl_notes)
