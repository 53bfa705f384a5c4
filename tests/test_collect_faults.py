"""`perimeter collect` when AWS says no: AccessDenied for one account and for one region,
throttling that clears on retry and throttling that does not, a resource deleted while
it is read, a policy the tool cannot read, pagination, and interrupted runs. Faults are
AWS error answers from the test server (tests/moto_server.py), met by botocore's own
retry and error handling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reasoner.collect import CollectOptions, collect
from reasoner.collect.sessions import ClientSettings
from reasoner.errors import CollectError
from reasoner.inputs.snapshot import load_snapshot
from tests.aws_org import BUCKET, BUCKET_ARN, OTHER_REGION, REGION, build_organization

if TYPE_CHECKING:
    from tests.moto_server import MotoServer

pytest_plugins = ["tests.moto_server"]  # the fixtures moto_server and aws


def options(server: MotoServer, output: Path, **extra: Any) -> CollectOptions:
    settings = ClientSettings(endpoint_url=server.url, max_attempts=extra.pop("max_attempts", 4))
    defaults: dict[str, Any] = {"regions": (REGION, OTHER_REGION), "organization": True, "jobs": 4}
    return CollectOptions(output=output, settings=settings, **{**defaults, **extra})


def run(server: MotoServer, output: Path, **extra: Any) -> dict[str, Any]:
    return collect(options(server, output, **extra)).manifest


def kinds(manifest: dict[str, Any]) -> list[tuple[str, ...]]:
    return [tuple(str(piece.get(k, "")) for k in ("kind", "account", "region", "service", "arn"))
            for piece in manifest["missing"]]


def test_access_denied_in_one_account(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.action == "AssumeRole" and f"::{built.dev}:" in r.params.get("RoleArn", ""),
                   "AccessDenied", status=403)
    output = tmp_path / "snapshot"
    manifest = run(aws, output)
    assert not manifest["complete"]
    assert kinds(manifest) == [("account", built.dev, "", "", "")]
    (failure,) = manifest["failures"]
    assert failure["operation"] == "sts:AssumeRole" and failure["error"] == "AccessDenied"
    assert failure["target"] == f"arn:aws:iam::{built.dev}:role/OrganizationAccountAccessRole"
    assert failure["identity"] == manifest["caller"] and failure["account"] == built.management
    assert manifest["accounts"][built.dev] == {"status": "not entered"}
    assert not (output / "iam" / f"{built.dev}.json").exists()
    assert built.dev in load_snapshot(output).organization_accounts()  # still in the tree


def test_access_denied_in_one_region(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.region == OTHER_REGION, "AccessDenied", status=403)
    manifest = run(aws, tmp_path / "snapshot")
    regional = {(k, a, s) for k, a, region, s, _ in kinds(manifest) if region == OTHER_REGION}
    for account in (built.management, built.prod, built.dev):
        for service in ("kms", "sqs", "sns", "lambda", "secretsmanager", "ecr", "dynamodb"):
            assert ("resources", account, service) in regional
        assert ("vpc-endpoints", account, "") in regional
    assert all(region == OTHER_REGION for _, _, region, _, _ in kinds(manifest))
    assert all(f["error"] == "AccessDenied" and f["region"] == OTHER_REGION for f in manifest["failures"])
    assert BUCKET_ARN in json.loads((tmp_path / "snapshot" / "resources.json").read_text())


def test_throttling_that_clears_on_retry_is_no_failure(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    fault = aws.faults.add(lambda r: r.action == "ListQueues" and r.region == REGION, "ThrottlingException",
                           times=2)
    manifest = run(aws, tmp_path / "snapshot")
    assert fault.hits == 2
    assert manifest["complete"] and manifest["failures"] == []
    assert manifest["calls"]["sqs:ListQueues"] == 6 + 2  # the retries are counted


def test_throttling_past_the_retries_is_a_missing_policy(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.service == "s3" and r.action.startswith("GET /prod-data?policy"), "SlowDown",
                   status=503)
    output = tmp_path / "snapshot"
    manifest = run(aws, output, max_attempts=2)
    assert kinds(manifest) == [("resource", built.prod, REGION, "", BUCKET_ARN)]
    (failure,) = manifest["failures"]
    assert failure["operation"] == "s3:GetBucketPolicy" and failure["error"] == "SlowDown"
    assert failure["attempts"] == 2 and failure["target"] == BUCKET_ARN
    assert BUCKET_ARN not in json.loads((output / "resources.json").read_text())  # never "no policy"


def test_a_resource_deleted_while_read_is_recorded_and_left_out(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    aws.faults.add(lambda r: r.action == "GetQueueAttributes", "AWS.SimpleQueueService.NonExistentQueue")
    output = tmp_path / "snapshot"
    manifest = run(aws, output)
    assert manifest["complete"] and manifest["failures"][0]["operation"] == "sqs:GetQueueAttributes"
    assert any("deleted while it was read" in note for note in manifest["notes"])
    assert not any(":sqs:" in arn for arn in json.loads((output / "resources.json").read_text()))


def test_a_policy_the_tool_cannot_read_is_missing(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    odd = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                   "Resource": f"{BUCKET_ARN}/*",
                                                   "Condition": {"NoSuchOperator": {"aws:UserAgent": "x"}}}]}
    built.client("s3", built.prod).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(odd))
    manifest = run(aws, tmp_path / "snapshot")
    (piece,) = manifest["missing"]
    assert piece["arn"] == BUCKET_ARN and piece["reason"].startswith("policy not understood")


def test_every_list_call_pages(aws: MotoServer, tmp_path: Path) -> None:
    """Page size 1 over listings moto pages (the others: tests/test_collect_pages.py)."""
    built = build_organization(aws.url)
    prod = built.prod
    built.client("sqs", prod).create_queue(QueueName="orders-2")
    for name in ("one", "two"):
        built.client("secretsmanager", prod).create_secret(Name=name, SecretString="not-collected")
        built.client("dynamodb", prod).create_table(
            TableName=name, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    output = tmp_path / "snapshot"
    manifest = run(aws, output, page_size=1)
    assert manifest["complete"]
    resources = json.loads((output / "resources.json").read_text())
    assert sum(":sqs:" in arn for arn in resources) == 2
    assert sum(":secretsmanager:" in arn for arn in resources) == 2
    assert sum(":dynamodb:" in arn for arn in resources) == 2
    calls = manifest["calls"]
    listings = 6  # one per account and region
    for operation in ("sqs:ListQueues", "secretsmanager:ListSecrets", "dynamodb:ListTables"):
        assert calls[operation] > listings, operation
    assert calls["organizations:ListAccounts"] >= 3
    assert calls["organizations:ListAccountsForParent"] >= 3  # the OU holds two
    assert calls["organizations:ListPoliciesForTarget"] > 2 * (1 + 1 + 3)  # the OU has two SCPs
    assert "not-collected" not in "".join(f.read_text() for f in output.rglob("*.json"))


class _Interrupt:
    def __init__(self) -> None:
        self.steps = 0

    def start(self, account: str, total: int) -> None:
        pass

    def advance(self, account: str) -> None:
        self.steps += 1
        if self.steps == 5:
            raise KeyboardInterrupt


def test_an_interrupted_run_leaves_the_previous_snapshot_and_no_partial_one(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    output = tmp_path / "snapshot"
    first = run(aws, output)
    before = {f: f.read_bytes() for f in output.rglob("*") if f.is_file()}
    with pytest.raises(KeyboardInterrupt):
        collect(options(aws, output), progress=_Interrupt())
    assert {f: f.read_bytes() for f in output.rglob("*") if f.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".snapshot.collect.lock", "snapshot"]
    second = run(aws, output)  # a re-run starts clean and replaces it
    assert second["started"] >= first["started"] and second["complete"]


def test_an_interrupted_first_run_leaves_nothing(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    with pytest.raises(KeyboardInterrupt):
        collect(options(aws, tmp_path / "snapshot"), progress=_Interrupt())
    assert [p.name for p in tmp_path.iterdir()] == [".snapshot.collect.lock"]


def test_a_folder_collect_did_not_write_is_refused(aws: MotoServer, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CollectError, match="not a snapshot"):
        collect(options(aws, tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_organization_that_cannot_be_listed_is_an_error(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    aws.faults.add(lambda r: r.action == "ListRoots", "AccessDeniedException")
    with pytest.raises(CollectError, match="ListRoots"):
        collect(options(aws, tmp_path / "snapshot"))
    assert not (tmp_path / "snapshot").exists()


def test_a_node_whose_policies_cannot_be_listed_names_its_accounts(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.action == "ListPoliciesForTarget" and built.ou in r.body
                   and "SERVICE_CONTROL_POLICY" in r.body, "AccessDeniedException")
    output = tmp_path / "snapshot"
    manifest = run(aws, output)
    (piece,) = manifest["missing"]
    assert piece["kind"] == "scps" and piece["accounts"] == sorted([built.prod, built.dev])
    organization = json.loads((output / "organization.json").read_text())
    assert organization["root"]["ous"][0]["scps"] == ["FullAWSAccess"]  # the most it could allow
