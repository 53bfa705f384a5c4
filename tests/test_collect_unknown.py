"""What the collection could not read is UNKNOWN, never "none": reach and who-can
over a collected snapshot whose manifest names missing pieces answer UNKNOWN (exit 3)
for a path that depends on one, naming it, and answer as before where none matters.
Also `perimeter collect` itself through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from reasoner.cli.app import app
from tests.aws_org import BUCKET_ARN, OTHER_REGION, REGION, build_organization

if TYPE_CHECKING:
    from tests.moto_server import MotoServer

pytest_plugins = ["tests.moto_server"]  # the fixtures moto_server and aws
runner = CliRunner()
REACH = ["--from", "outside-org", "--to", BUCKET_ARN, "--action", "s3:GetObject", "--format", "json"]


def collect_cli(server: MotoServer, output: Path, *extra: str) -> Any:
    return runner.invoke(app, ["collect", "--output", str(output), "--organization", "--regions",
                               f"{REGION},{OTHER_REGION}", "--endpoint-url", server.url, "--max-attempts", "2",
                               *extra])


def reach(output: Path, *arguments: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["reach", "--snapshot", str(output), *(arguments or REACH)])
    return result.exit_code, json.loads(result.output)


def reasons(answer: dict[str, Any]) -> str:
    return " ".join(edge.get("reason") or "" for edge in answer["unknown_edges"])


def test_collect_command_complete_is_exit_0(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url)
    result = collect_cli(aws, tmp_path / "snapshot")
    assert result.exit_code == 0, result.output
    assert "collected 3 account(s)" in result.output and "complete" in result.output
    assert reach(tmp_path / "snapshot")[0] == 1


def test_bad_options_are_exit_2(aws: MotoServer, tmp_path: Path) -> None:
    result = collect_cli(aws, tmp_path / "s", "--accounts", "123456789012")
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(app, ["collect", "--output", str(tmp_path / "s"), "--regions", "moon-1"])
    assert result.exit_code == 2 and "not a region" in result.output
    assert not (tmp_path / "s").exists()


def test_an_account_not_entered_makes_the_path_through_it_unknown(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url, leaky=False)  # the fixed twin: NO PATH when everything is read
    aws.faults.add(lambda r: r.action == "AssumeRole" and f"::{built.dev}:" in r.params.get("RoleArn", ""),
                   "AccessDenied", status=403)
    output = tmp_path / "snapshot"
    result = collect_cli(aws, output)
    assert result.exit_code == 3, result.output
    assert f"account {built.dev}" in result.output and "AccessDenied" in result.output
    code, answer = reach(output)
    assert code == 3 and answer["result"] == "UNKNOWN"
    assert f"the roles of account {built.dev} and their trust policies were not collected" in reasons(answer)
    assert "sts:AssumeRole" in reasons(answer)
    who = runner.invoke(app, ["who-can", "s3:GetObject", BUCKET_ARN, "--snapshot", str(output)])
    assert who.exit_code == 3 and f"account {built.dev}" in who.output


def test_a_bucket_policy_not_read_is_unknown_not_none(aws: MotoServer, tmp_path: Path) -> None:
    build_organization(aws.url, leaky=False)
    aws.faults.add(lambda r: r.service == "s3" and r.action.startswith("GET /prod-data?policy"), "AccessDenied",
                   status=403)
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output).exit_code == 3
    code, answer = reach(output)
    assert code == 3 and answer["result"] == "UNKNOWN"
    assert f"the policy and tags of {BUCKET_ARN}" in reasons(answer) and "s3:GetBucketPolicy" in reasons(answer)


def test_unknown_scps_make_their_callers_edges_unknown(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.action == "ListPoliciesForTarget" and built.ou in r.body
                   and "SERVICE_CONTROL_POLICY" in r.body, "AccessDeniedException")
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output).exit_code == 3
    code, answer = reach(output)
    # hop 1 (an outsider assumes the dev role) is certain; hop 2 is made by a role under the OU
    assert code == 3 and answer["result"] == "UNKNOWN"
    assert f"the SCPs over account {built.dev}" in reasons(answer)


def test_a_missing_region_matters_only_for_its_resources(aws: MotoServer, tmp_path: Path) -> None:
    built = build_organization(aws.url)
    aws.faults.add(lambda r: r.region == OTHER_REGION, "AccessDenied", status=403)
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output).exit_code == 3
    assert reach(output)[0] == 1  # the bucket's path does not depend on eu-west-1
    queue = f"arn:aws:sqs:{OTHER_REGION}:{built.prod}:elsewhere"
    code, answer = reach(output, "--from", "outside-org", "--to", queue, "--action", "sqs:SendMessage",
                         "--format", "json")
    assert code == 3 and f"the sqs resources of account {built.prod} in {OTHER_REGION} were not listed" in \
        reasons(answer)
    here = f"arn:aws:sqs:{REGION}:{built.prod}:not-there"
    assert reach(output, "--from", "outside-org", "--to", here, "--action", "sqs:SendMessage",
                 "--format", "json")[0] == 0  # listed, and no such queue: nothing to reach


@pytest.mark.slow  # ~30 s on a loaded machine
def test_a_path_through_an_endpoint_not_read_is_unknown(aws: MotoServer, tmp_path: Path) -> None:
    """VPC endpoints not listed are not "no endpoints": a request that arrives through an
    endpoint the snapshot does not declare is under that endpoint's unknown policy."""
    built = build_organization(aws.url, leaky=False)
    s3 = built.client("s3", built.prod)
    s3.create_bucket(Bucket="through-vpce", ObjectOwnership="BucketOwnerEnforced")
    s3.put_bucket_policy(Bucket="through-vpce", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::through-vpce/*",
         "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}}]}))
    aws.faults.add(lambda r: r.action == "DescribeVpcEndpoints" and r.region == REGION, "UnauthorizedOperation",
                   status=403)
    output = tmp_path / "snapshot"
    assert collect_cli(aws, output).exit_code == 3
    code, answer = reach(output, "--from", "outside-org", "--to", "arn:aws:s3:::through-vpce/*", "--action",
                         "s3:GetObject", "--format", "json")
    assert code == 3 and "the request arrives through vpce-0123456789abcdef0" in reasons(answer)
    assert f"the VPC endpoints of account {built.prod} in {REGION} were not read" in reasons(answer)
    assert reach(output)[0] == 0  # a path through no endpoint does not depend on them


def test_prove_over_a_collection_with_missing_pieces_is_unknown(tmp_path: Path) -> None:
    """A perimeter file's `snapshot:` that a collection left incomplete: prove never
    proves anything over it (the missing account may hold anything), naming the piece."""
    examples = Path(__file__).resolve().parent.parent / "examples" / "snapshot"
    perimeter = tmp_path / "perimeter.yaml"
    text = ("description: over a collected snapshot\nzone:\n  organization_ids: [o-exampleorg1]\n"
            "snapshot: {}\ninvariants:\n  - only-trusted-identities\n")
    perimeter.write_text(text.format(examples / "partial"), encoding="utf-8")
    result = runner.invoke(app, ["prove", str(perimeter)])
    assert result.exit_code == 3, result.output
    assert "not collected: account 333333333333: sts:AssumeRole" in result.output
    perimeter.write_text(text.format(examples / "leaky"), encoding="utf-8")  # written by hand: no manifest
    assert "not collected" not in runner.invoke(app, ["prove", str(perimeter)]).output


def _collected_bucket(folder: Path, ignore_public_acls: bool) -> Path:
    """A collected snapshot (as collect writes it) of one account with one bucket whose
    ACLs are in force and whose objects' ACLs were not read."""
    account = "111122223333"
    (folder / "iam").mkdir(parents=True)
    (folder / "iam" / f"{account}.json").write_text(json.dumps(
        {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}), encoding="utf-8")
    (folder / "resources.json").write_text(json.dumps({"arn:aws:s3:::reports": {
        "policy": None, "account": account, "tags": {}, "object_ownership": "ObjectWriter",
        "acl": {"Owner": {"ID": "c" * 64}, "Grants": []}}}), encoding="utf-8")
    block = {"PublicAccessBlockConfiguration": {"IgnorePublicAcls": ignore_public_acls}}
    (folder / "s3_accounts.json").write_text(json.dumps({account: {"canonical_id": "c" * 64,
                                                                   "public_access_block": block}}), encoding="utf-8")
    (folder / "collection.json").write_text(json.dumps({
        "accounts": {account: {"regions": [REGION], "status": "partial"}},
        "missing": [{"kind": "object-acls", "account": account, "region": REGION, "arn": "arn:aws:s3:::reports",
                     "reason": "the objects' ACLs were not read (--object-acls 0)"}]}), encoding="utf-8")
    return folder


def test_unread_object_acls_are_decided_with_a_stand_in(tmp_path: Path) -> None:
    """No policy or ACL read opens the bucket's objects, but their ACLs were not read: an
    anonymous read is UNKNOWN (an object ACL may grant AllUsers), proven absent where
    Block Public Access ignores public ACLs (then only grants to accounts count); a
    caller of another account stays UNKNOWN either way."""
    arguments = ["--to", "arn:aws:s3:::reports/*", "--action", "s3:GetObject", "--format", "json"]
    for ignore, anonymous, outside in ((False, 3, 3), (True, 0, 3)):
        folder = _collected_bucket(tmp_path / str(ignore), ignore)
        code, answer = reach(folder, "--from", "anonymous", *arguments)
        assert code == anonymous, answer
        if code == 3:
            assert "the objects' ACLs of arn:aws:s3:::reports" in reasons(answer)
        code, answer = reach(folder, "--from", "outside-org", *arguments)
        assert code == outside and "it did not read the objects' ACLs" in reasons(answer)
