"""`perimeter collect` reads what decides buckets and keys besides policies: bucket
ACLs, Object Ownership, Block Public Access (bucket and account), access points and
KMS grants; the objects' ACLs it does not read (by default) are a missing piece
(docs/collect.md), so a bucket whose ACLs are enabled is never proven closed to its
objects; an object ACL and a grant open paths the policies do not, and unread ones
(or grants that could not be read) make a path UNKNOWN, never a silent PASS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.collect import CollectOptions, collect
from reasoner.collect.sessions import ClientSettings, _without_account_host
from reasoner.inputs.snapshot import load_snapshot
from tests.aws_org import OTHER_REGION, REGION, build_organization

if TYPE_CHECKING:
    from tests.moto_server import MotoServer

pytest_plugins = ["tests.moto_server"]
runner = CliRunner()
OPEN_BUCKET = "acl-enabled-reports"
PUBLIC_POLICY_BUCKET = "public-by-policy"
OPEN = "open-objects"
PARTNER = "arn:aws:iam::999988887777:role/partner"


def _collect(server: MotoServer, output: Path) -> dict[str, Any]:
    settings = ClientSettings(endpoint_url=server.url, max_attempts=4)
    return collect(CollectOptions(output=output, settings=settings, regions=(REGION, OTHER_REGION),
                                  organization=True, jobs=4)).manifest


@pytest.mark.slow  # ~60 s on a loaded machine (five who-can runs)
def test_collect_reads_acls_grants_and_the_gap_of_object_acls(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)
    s3 = built.client("s3", built.prod)
    s3.create_bucket(Bucket=OPEN_BUCKET, ObjectOwnership="ObjectWriter")
    s3.put_bucket_acl(Bucket=OPEN_BUCKET, ACL="public-read")
    s3.create_bucket(Bucket=PUBLIC_POLICY_BUCKET)
    s3.put_bucket_policy(Bucket=PUBLIC_POLICY_BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{PUBLIC_POLICY_BUCKET}/*"}]}))
    kms = built.client("kms", built.prod)
    kms.create_grant(KeyId=built.key_arn, GranteePrincipal="arn:aws:iam::444455556666:role/partner-etl",
                     Operations=["Decrypt"])
    output = tmp_path / "snapshot"
    manifest = _collect(aws, output)
    assert manifest["failures"] == [], manifest["failures"]
    assert {(piece["kind"], piece["arn"]) for piece in manifest["missing"]} == {
        ("object-acls", f"arn:aws:s3:::{OPEN_BUCKET}"), ("object-acls", f"arn:aws:s3:::{PUBLIC_POLICY_BUCKET}")}
    snapshot = load_snapshot(output)
    bucket = snapshot.resource(f"arn:aws:s3:::{OPEN_BUCKET}")
    key = snapshot.resource(built.key_arn)
    assert bucket is not None and bucket.acl is not None and bucket.acl.is_public
    assert key is not None and [g.grantee for g in key.kms_grants] == ["arn:aws:iam::444455556666:role/partner-etl"]
    assert snapshot.s3_accounts[built.prod].canonical_id

    def who_can(action: str, arn: str) -> tuple[int, dict[str, Any]]:
        result = runner.invoke(app, ["who-can", action, arn, "--snapshot", str(output), "--format", "json"])
        return result.exit_code, json.loads(result.output)

    # the bucket ACL's public READ lists the bucket to anyone
    code, answer = who_can("s3:ListBucket", f"arn:aws:s3:::{OPEN_BUCKET}")
    assert code == 1
    anonymous = next(p for p in answer["principals"] if p["principal"] == "external:anonymous")
    assert anonymous["status"] == "can" and anonymous["path"][0]["kind"] == "acl"
    # its objects' ACLs were not read: anyone may be let in, never proven closed
    code, answer = who_can("s3:GetObject", f"arn:aws:s3:::{OPEN_BUCKET}/report.csv")
    assert code == 3 and answer["result"] == "UNKNOWN"
    # a public bucket policy opens the objects whatever their ACLs: a finding, not UNKNOWN
    code, answer = who_can("s3:GetObject", f"arn:aws:s3:::{PUBLIC_POLICY_BUCKET}/report.csv")
    assert code == 1, answer
    anonymous = next(p for p in answer["principals"] if p["principal"] == "external:anonymous")
    assert [ref["policy"] for ref in anonymous["path"][0]["witness"]["determining"]] == ["resource_policy"]
    # the grant lets the partner's role decrypt
    code, answer = who_can("kms:Decrypt", built.key_arn)
    assert code == 1
    assert any(hop["kind"] == "grant" for p in answer["principals"] if p["outside_zone"] for hop in p["path"])


def collect_cli(server: MotoServer, output: Path, *extra: str) -> int:
    result = runner.invoke(app, ["collect", "--output", str(output), "--organization", "--regions", REGION,
                                 "--endpoint-url", server.url, "--max-attempts", "2", *extra])
    return result.exit_code


def reach(output: Path, target: str, action: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["reach", "--snapshot", str(output), "--from", "outside-org", "--to", target,
                                 "--action", action, "--format", "json"])
    return result.exit_code, json.loads(result.output)


@pytest.mark.slow  # ~45 s: three reach runs on a loaded machine
def test_object_acls_open_a_path_and_unread_ones_are_unknown(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)
    s3 = built.client("s3", built.prod)
    s3.create_bucket(Bucket=OPEN)  # no Object Ownership set: ACLs in force
    s3.put_object(Bucket=OPEN, Key="report.csv", Body=b"x", ACL="public-read")
    default = tmp_path / "default"
    assert collect_cli(aws, default) == 3  # the objects' ACLs are named missing
    manifest = json.loads((default / "collection.json").read_text())
    assert {(p["kind"], p.get("arn")) for p in manifest["missing"]} == {("object-acls", f"arn:aws:s3:::{OPEN}")}
    entry = json.loads((default / "resources.json").read_text())[f"arn:aws:s3:::{OPEN}"]
    assert entry["acl"]["Grants"] and "object_acls" not in entry
    assert "canonical_id" in json.loads((default / "s3_accounts.json").read_text())[built.prod]
    code, answer = reach(default, f"arn:aws:s3:::{OPEN}/*", "s3:GetObject")
    assert code == 3 and answer["result"] == "UNKNOWN"
    assert any("objects' ACLs" in (edge.get("reason") or "") for edge in answer["unknown_edges"])
    # the bucket whose ACLs are disabled stays proven closed
    assert reach(default, "arn:aws:s3:::prod-data/*", "s3:GetObject")[0] == 0

    read = tmp_path / "read"
    assert collect_cli(aws, read, "--object-acls", "5") == 0
    code, answer = reach(read, f"arn:aws:s3:::{OPEN}/*", "s3:GetObject")
    assert code == 1 and answer["path"][-1]["kind"] == "acl"


@pytest.mark.slow  # ~25 s on a loaded machine
def test_grants_open_a_key_and_unread_grants_are_unknown(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)
    kms = built.client("kms", built.prod)
    kms.create_grant(KeyId=built.key_arn, GranteePrincipal=PARTNER, Operations=["Decrypt"])
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output) == 0
    code, answer = reach(output, built.key_arn, "kms:Decrypt")
    assert code == 1 and answer["path"][-1]["kind"] == "grant"
    aws.faults.add(lambda r: r.service == "kms" and r.action == "ListGrants", "AccessDeniedException", status=400)
    unread = tmp_path / "unread"
    assert collect_cli(aws, unread) == 3
    code, answer = reach(unread, built.key_arn, "kms:Decrypt")
    assert code == 3 and any("the grants of" in (edge.get("reason") or "") for edge in answer["unknown_edges"])


@pytest.mark.slow  # ~11 s on a loaded machine (two collections)
def test_access_points_and_block_public_access_are_collected(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)
    control = built.client("s3control", built.prod)
    control.meta.events.register("before-send.s3-control", _without_account_host)
    control.create_access_point(AccountId=built.prod, Name="reports", Bucket="prod-data",
                                VpcConfiguration={"VpcId": "vpc-0123456789abcdef0"})
    control.put_public_access_block(AccountId=built.prod, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output) == 0
    point = f"arn:aws:s3:{REGION}:{built.prod}:accesspoint/reports"
    entry = json.loads((output / "resources.json").read_text())[point]
    assert entry["bucket"] == "prod-data" and entry["vpc_id"] == "vpc-0123456789abcdef0"
    facts = json.loads((output / "s3_accounts.json").read_text())[built.prod]
    assert facts["public_access_block"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    # the account's Block Public Access not read: what it could have closed is not claimed found
    aws.faults.add(lambda r: r.service == "s3" and r.action.startswith("GET /v20180820/configuration/"),
                   "AccessDenied", status=403)
    unread = tmp_path / "unread"
    assert collect_cli(aws, unread) == 3
    manifest = json.loads((unread / "collection.json").read_text())
    assert [p["kind"] for p in manifest["missing"] if p.get("account") == built.prod] == ["public-access-block"]
