"""`perimeter collect` reads what decides buckets and keys besides policies: bucket
ACLs, Object Ownership, Block Public Access (bucket and account) and KMS grants; the
objects' ACLs it does not read are a missing piece (docs/collect.md), so a bucket
whose ACLs are enabled is never proven closed to its objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.collect import CollectOptions, collect
from reasoner.collect.sessions import ClientSettings
from reasoner.inputs.snapshot import load_snapshot
from tests.aws_org import OTHER_REGION, REGION, build_organization

if TYPE_CHECKING:
    from tests.moto_server import MotoServer

pytest_plugins = ["tests.moto_server"]
runner = CliRunner()
OPEN_BUCKET = "acl-enabled-reports"
PUBLIC_POLICY_BUCKET = "public-by-policy"


def _collect(server: MotoServer, output: Path) -> dict[str, Any]:
    settings = ClientSettings(endpoint_url=server.url, max_attempts=4)
    return collect(CollectOptions(output=output, settings=settings, regions=(REGION, OTHER_REGION),
                                  organization=True, jobs=4)).manifest


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
