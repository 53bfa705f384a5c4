"""`perimeter collect` against a real AWS API server (moto in server mode on 127.0.0.1):
a three-account organization built through the API, collected, then analysed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from reasoner.collect import CollectOptions, collect
from reasoner.collect.sessions import ClientSettings
from reasoner.inputs.snapshot import load_snapshot
from tests.aws_org import (
    BUCKET_ARN,
    OTHER_REGION,
    REGION,
    BuiltOrganization,
    build_organization,
    write_by_hand,
)

if TYPE_CHECKING:
    from tests.moto_server import MotoServer

pytest_plugins = ["tests.moto_server"]  # the fixtures moto_server and aws

runner = CliRunner()
REACH = ["--from", "outside-org", "--to", BUCKET_ARN, "--action", "s3:GetObject"]


def options(server: MotoServer, output: Path, **extra: Any) -> CollectOptions:
    settings = ClientSettings(endpoint_url=server.url, max_attempts=extra.pop("max_attempts", 4))
    defaults: dict[str, Any] = {"regions": (REGION, OTHER_REGION), "organization": True, "jobs": 4}
    return CollectOptions(output=output, settings=settings, **{**defaults, **extra})


def run(server: MotoServer, output: Path, **extra: Any) -> dict[str, Any]:
    return collect(options(server, output, **extra)).manifest


def cli(*arguments: str) -> Any:
    return runner.invoke(app, list(arguments))


def test_collects_the_organization_in_the_snapshot_layout(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    output = tmp_path / "snapshot"
    manifest = run(aws, output)
    assert manifest["failures"] == [], [(f["error"], f["message"]) for f in manifest["failures"]]
    assert manifest["complete"] and manifest["missing"] == []
    assert manifest["caller"] == "arn:aws:sts::123456789012:user/moto"
    assert sorted(manifest["accounts"]) == sorted([built.management, built.prod, built.dev])
    assert manifest["accounts"][built.dev]["identity"] == \
        f"arn:aws:sts::{built.dev}:assumed-role/OrganizationAccountAccessRole/perimeter-collect"
    assert sorted(p.name for p in (output / "iam").iterdir()) == sorted(
        f"{a}.json" for a in (built.management, built.prod, built.dev))
    snapshot = load_snapshot(output)
    assert snapshot.organization_id == built.org_id
    assert snapshot.organization is not None and snapshot.organization.management_account == built.management
    assert set(snapshot.organization_accounts()) == {built.management, built.prod, built.dev}
    workloads = next(node for node in snapshot.organization.root.children if node.kind == "ou")
    assert any(s.sid == "StayInOrg" for scp in workloads.scps for s in scp.statements)
    assert any(s.sid == "TlsOnly" for rcp in snapshot.organization.root.rcps for s in rcp.statements)
    bucket = snapshot.resource(BUCKET_ARN)
    assert bucket is not None and bucket.account == built.prod and bucket.tags == {"data": "prod"}
    assert bucket.policy is not None and bucket.policy.statements[0].sid == "OrgRead"
    queue = snapshot.resource(f"arn:aws:sqs:{REGION}:{built.prod}:orders")
    assert queue is not None and queue.policy is not None
    key = snapshot.resource(built.key_arn)
    assert key is not None and key.policy is not None
    app_role = snapshot.role(f"arn:aws:iam::{built.prod}:role/app")
    assert app_role is not None and app_role.tags == {"team": "data"} and len(app_role.policies) == 1
    # every listing and read is counted, so a user can predict a run against AWS's rate limits
    assert manifest["calls"]["iam:GetAccountAuthorizationDetails"] == 3
    assert manifest["calls"]["sts:AssumeRole"] == 2
    assert manifest["calls"]["sqs:ListQueues"] == 6  # 3 accounts x 2 regions


def test_no_secret_is_written(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    output = tmp_path / "snapshot"
    run(aws, output)
    text = "\n".join(file.read_text() for file in output.rglob("*") if file.is_file())
    for secret in ("testing", "SecretAccessKey", "SessionToken", "AccessKeyId", "@example.com"):
        assert secret not in text


@pytest.mark.parametrize("leaky", [True, False])
def test_reach_finds_the_planted_path_and_proves_the_fixed_twin(aws: MotoServer, tmp_path: Path,
                                                                leaky: bool) -> None:
    built = build_organization(aws.url, leaky=leaky)
    output = tmp_path / "snapshot"
    run(aws, output)
    result = cli("reach", "--snapshot", str(output), *REACH, "--format", "json")
    answer = json.loads(result.output)
    if leaky:
        assert result.exit_code == 1, result.output
        assert answer["result"] == "FAIL"
        assert [hop["to"] for hop in answer["path"]] == [
            f"arn:aws:iam::{built.dev}:role/partner-integration", BUCKET_ARN]
        assert all(hop["witness"]["decision"] == "Allow" for hop in answer["path"])  # replayed
    else:
        assert result.exit_code == 0, result.output
        assert answer["result"] == "PASS"


def _who_can(snapshot: Path) -> tuple[int, str, set[tuple[str, str, bool]]]:
    result = cli("who-can", "s3:GetObject", BUCKET_ARN, "--snapshot", str(snapshot), "--format", "json")
    answer = json.loads(result.output)
    return result.exit_code, answer["result"], {(p["principal"], p["status"], p["outside_zone"])
                                                 for p in answer["principals"]}


@pytest.mark.parametrize("leaky", [True, False])
def test_who_can_on_the_collection_equals_the_hand_built_snapshot(aws: MotoServer, tmp_path: Path,
                                                                   leaky: bool) -> None:
    built: BuiltOrganization = build_organization(aws.url, leaky=leaky)
    run(aws, tmp_path / "collected")
    collected = _who_can(tmp_path / "collected")
    by_hand = _who_can(write_by_hand(tmp_path / "by-hand", built, leaky=leaky))
    assert collected == by_hand
    assert collected[:2] == ((1, "FAIL") if leaky else (0, "PASS"))
    outside = ("external:outside-organization", "can", True)
    assert (outside in collected[2]) is leaky


def test_one_account_with_the_callers_own_credentials(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    manifest = run(aws, tmp_path / "own", organization=False)
    assert list(manifest["accounts"]) == [built.management]
    assert "sts:AssumeRole" not in manifest["calls"]
    assert manifest["complete"]  # the management account reads its organization too


def test_named_accounts_only(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    manifest = run(aws, tmp_path / "prod", organization=False, accounts=(built.prod,))
    assert list(manifest["accounts"]) == [built.prod]
    assert [p.name for p in (tmp_path / "prod" / "iam").iterdir()] == [f"{built.prod}.json"]


def test_all_enabled_regions_by_default(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    manifest = run(aws, tmp_path / "all", regions=None, organization=False)
    regions = manifest["accounts"]["123456789012"]["regions"]
    assert REGION in regions and OTHER_REGION in regions and len(regions) > 10
    assert manifest["calls"]["ec2:DescribeRegions"] == 1


def _zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


@pytest.mark.slow  # ~10-14 s on a loaded machine (the Stubber test of the same reader is fast)
def test_lambda_versions_and_aliases_have_their_own_policies(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)
    role = built.client("iam", built.prod).create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    lam = built.client("lambda", built.prod)
    arn = lam.create_function(FunctionName="report", Runtime="python3.12", Role=role, Handler="handler.handler",
                              Code={"ZipFile": _zip()})["FunctionArn"]
    version = lam.publish_version(FunctionName="report")["Version"]
    # the version is open to everyone (moto answers GetPolicy of the function and of an
    # alias with the latest version's policy, where AWS keeps one each: the function's and
    # the aliases' own are tested on recorded shapes, tests/test_collect_pages.py)
    lam.add_permission(FunctionName="report", Qualifier=version, StatementId="public",
                       Action="lambda:InvokeFunction", Principal="*")
    output = tmp_path / "snapshot"
    manifest = run(aws, output, regions=(REGION,))
    assert manifest["missing"] == [], [p["reason"] for p in manifest["missing"]]
    resources = json.loads((output / "resources.json").read_text())
    assert resources[f"{arn}:{version}"]["policy"]["Statement"][0]["Resource"] == f"{arn}:{version}"
    qualified = cli("reach", "--snapshot", str(output), "--from", "outside-org", "--to", f"{arn}:{version}",
                    "--action", "lambda:InvokeFunction")
    assert qualified.exit_code == 1, qualified.output


def test_assumed_role_credentials_are_refreshed(aws: MotoServer, tmp_path: Path) -> None:
    """A session that ends within botocore's 15-minute refresh window is renewed with a
    new AssumeRole (recorded like any call) before the account's next calls, so a run
    longer than a session keeps reading; 900 s, the shortest AWS allows, is always in
    the window."""
    built = build_organization(aws.url)
    output = tmp_path / "snapshot"
    settings = ClientSettings(endpoint_url=aws.url, max_attempts=4, session_seconds=900)
    manifest = collect(CollectOptions(output=output, settings=settings, regions=(REGION,),
                                      accounts=(built.prod,), jobs=2)).manifest
    assert manifest["complete"], manifest["missing"]
    assert manifest["calls"]["sts:AssumeRole"] > 1
    assert manifest["accounts"][built.prod]["identity"].endswith(":assumed-role/OrganizationAccountAccessRole/"
                                                                 "perimeter-collect")

def test_the_manifest_says_what_the_caller_is_to_the_organization() -> None:
    """Moto keeps an organization per account, so a delegated administrator's view of it
    cannot be built there: the standing is decided from what the run read."""
    from reasoner.collect.organization import OrganizationResult
    from reasoner.collect.run import _standing

    found = OrganizationResult("complete", "o-abcdefghij", "111111111111", {"111111111111": "m", "222222222222": "s"})
    admins = [{"account": "222222222222", "name": "security", "services": ["access-analyzer.amazonaws.com"]}]
    assert _standing("111111111111", found, admins) == "the management account"
    assert _standing("222222222222", found, admins) == "a delegated administrator (access-analyzer.amazonaws.com)"
    assert _standing("333333333333", found, admins) == "a member account"
    assert _standing("333333333333", found, None).startswith("a member account (whether a delegated")
    assert _standing("333333333333", OrganizationResult("none"), None) == "in no organization"
