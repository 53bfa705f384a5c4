"""Issue #17: no hang on valid policies, no proof about a typo, every bad input one
line (exit 2, naming the file and the place). One section per item of the issue;
each test fails without its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.checks.run import check_no_public_access
from reasoner.cli.app import app
from reasoner.errors import InputError
from reasoner.inputs.snapshot import load_snapshot
from reasoner.policy.model import PolicyType
from reasoner.policy.parse import MAX_NESTING, check_nesting, parse_policy
from reasoner.policy.quotas import document_size
from reasoner.policy.resource_types import resource_type
from tests.snapshot_factory import BUCKET, DEV, READ_BUCKET, role, trust, user, write_snapshot

runner = CliRunner()
PARTNER = "444455556666"


def _one_line_error(result: object, *needles: str) -> None:
    """Exit 2 with one line on stderr that starts with `error:` and names every needle."""
    exit_code = getattr(result, "exit_code", None)
    output = getattr(result, "output", "")
    assert exit_code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    for needle in needles:
        assert needle in lines[0], output


# -- 1. glob matching: the reach side (the matcher itself: tests/test_glob_matcher.py)


def test_reach_from_a_role_class_with_many_wildcards_answers(tmp_path: Path) -> None:
    """`roles:ID:*?*?...` hung the graph's membership check (20 s at 12 pairs)."""
    open_to_partner = trust({"AWS": f"arn:aws:iam::{PARTNER}:root"},
                            Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{PARTNER}:role/deploy-*"}})
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "partner", open_to_partner, READ_BUCKET)]}})
    pattern = "deploy-" + "*?" * 30 + "Z"
    result = runner.invoke(app, ["reach", "--snapshot", str(tmp_path), "--to", BUCKET, "--action", "s3:GetObject",
                                 "--from", f"roles:{PARTNER}:{pattern}", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output)["path_found"] is True


def test_reach_role_class_pattern_follows_the_name_rules(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    base = ["reach", "--snapshot", str(tmp_path), "--to", BUCKET, "--action", "s3:GetObject", "--from"]
    _one_line_error(runner.invoke(app, [*base, f"roles:{PARTNER}:" + "x" * 600]), "--from", "role name pattern")
    _one_line_error(runner.invoke(app, [*base, f"roles:{PARTNER}:dé*"]), "--from", "role name pattern")


@pytest.mark.parametrize("name", ["*?*?*?*?Z", "has space", "x" * 65, "é"])
def test_exported_role_names_follow_the_iam_name_rules(tmp_path: Path, name: str) -> None:
    entry = role(DEV, "r", trust({"Service": "lambda.amazonaws.com"}))
    entry["Arn"] = f"arn:aws:iam::{DEV}:role/{name}"
    write_snapshot(tmp_path, {DEV: {"roles": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "RoleDetailList[0].Arn" and "IAM role name" in caught.value.message


def test_exported_user_names_and_paths_follow_the_iam_rules(tmp_path: Path) -> None:
    entry = user(DEV, "u")
    entry["Arn"] = f"arn:aws:iam::{DEV}:user/ops/u*"
    write_snapshot(tmp_path, {DEV: {"users": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "UserDetailList[0].Arn" and "IAM user name" in caught.value.message
    entry["Arn"] = f"arn:aws:iam::{DEV}:user/" + "p/" * 300 + "u"
    write_snapshot(tmp_path, {DEV: {"users": [entry]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "UserDetailList[0].Arn" and "IAM path" in caught.value.message


def test_valid_names_and_paths_still_load(tmp_path: Path) -> None:
    entry = role(DEV, "r", trust({"Service": "lambda.amazonaws.com"}))
    entry["Arn"] = f"arn:aws:iam::{DEV}:role/aws-service-role//team+ops/Deploy.Role_1@x=y,z-" + "x" * 20
    write_snapshot(tmp_path, {DEV: {"roles": [entry]}})
    assert load_snapshot(tmp_path).roles[0].name.startswith("Deploy.Role_1")


# -- 6. option values out of range are usage errors


PUBLIC_BUCKET = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
    "Condition": {"IpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}}}]}


@pytest.mark.parametrize(("option", "value"), [
    ("--max-ipv4-prefix-width", "-1"), ("--max-ipv4-prefix-width", "0"), ("--max-ipv4-prefix-width", "33"),
    ("--max-ipv4-prefix-width", "99"), ("--max-ipv6-prefix-width", "0"), ("--max-ipv6-prefix-width", "129"),
    ("--max-ipv6-prefix-width", "200")])
def test_prefix_widths_out_of_range_are_usage_errors(tmp_path: Path, option: str, value: str) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(PUBLIC_BUCKET))
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 "AWS::S3::Bucket", option, value])
    _one_line_error(result, option, value)


def test_a_grant_to_every_address_is_public_at_the_widest_width(tmp_path: Path) -> None:
    """-1 made 0.0.0.0/0 an identifying range (PASS); the widest valid width, 1, does not."""
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(PUBLIC_BUCKET))
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 "AWS::S3::Bucket", "--max-ipv4-prefix-width", "1", "--max-ipv6-prefix-width", "1",
                                 "--format", "json", "--timeout", "60"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["result"] == "FAIL"


def test_the_check_itself_refuses_a_width_out_of_range() -> None:
    policy = parse_policy(PUBLIC_BUCKET, PolicyType.RESOURCE, source="p.json")
    with pytest.raises(InputError, match="must be from 1 to 32"):
        check_no_public_access(policy, resource_type("AWS::S3::Bucket"), max_ipv4_prefix_width=-1)


# -- 10. usage errors of the command-line parser: one line, exit 2


@pytest.mark.parametrize(("args", "needles"), [
    (["check", "no-public-access", "--policy", "p.json", "--resource-type", "AWS::S3::Bucket", "--format", "bogus"],
     ("--format", "bogus")),
    (["prove"], ("FILE", "missing")),
    (["who-can", "s3:GetObject"], ("RESOURCE", "missing")),
    (["check", "bogus"], ("bogus", "no such command")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--timeout", "abc"], ("--timeout", "abc")),
    (["prove", "p.yaml", "--max-findings", "0"], ("--max-findings", "must be at least 1")),
    (["reach", "--snapshot", "s", "--from", "a", "--to", "b", "--action", "s3:GetObject", "--jobs", "0"],
     ("--jobs", "must be at least 1")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--policy-type", "bogus"],
     ("--policy-type", "bogus")),
    (["reach", "--snapshoot", "s"], ("--snapshoot", "no such option", "--snapshot")),
    (["reach", "--snapshot"], ("--snapshot", "needs a value")),
    (["who-can", "a", "b", "c", "--snapshot", "s"], ("c", "unexpected extra argument")),
    (["--bogus"], ("--bogus", "no such option")),
    (["bogus"], ("bogus", "no such command")),
    (["check", "no-new-access", "--existing", "a", "--new", "b", "--timeout", "inf"], ("--timeout",)),
])
def test_usage_errors_are_one_line(args: list[str], needles: tuple[str, ...]) -> None:
    result = runner.invoke(app, args)
    _one_line_error(result, *needles)
    assert "╭" not in result.output and "Usage:" not in result.output


def test_a_group_alone_still_shows_its_help() -> None:
    result = runner.invoke(app, ["check"])
    assert "Usage:" in result.output and "no-public-access" in result.output


# -- 2. nesting: one limit for JSON, YAML and TOML, one line, exit 2


@pytest.mark.parametrize(("name", "text"), [
    ("p.toml", "snapshot = " + "[" * 500 + "]" * 500 + "\n"),
    ("p.yaml", "invariants: " + "[" * 500 + "]" * 500 + "\n"),
    ("p.json", '{"invariants": ' + "[" * 500 + "]" * 500 + "}"),
    ("q.json", '{"invariants": ' + "[" * 5000 + "]" * 5000 + "}"),
])
def test_deeply_nested_perimeter_files_are_one_line_errors(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    result = runner.invoke(app, ["prove", str(tmp_path / name)])
    _one_line_error(result, name, f"nested more than {MAX_NESTING} levels deep")
    assert "Traceback" not in result.output


def test_the_limit_names_where_the_document_goes_too_deep() -> None:
    document = {"a": [{"b": 1}, {"c": [[["x"]]]}]}
    check_nesting(document, "f.json")  # 5 levels: fine
    deep: list[object] = []
    node = deep
    for _ in range(MAX_NESTING):
        node.append([])
        node = node[0]  # type: ignore[assignment]
    with pytest.raises(InputError) as caught:
        check_nesting({"k": [0, deep]}, "f.json")
    # the path of the 65th level
    assert caught.value.path.startswith("k[1][0][0]") and caught.value.path.count("[") == MAX_NESTING - 1


def test_a_yaml_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("a: &a [*a]\ninvariants: *a\n")
    _one_line_error(runner.invoke(app, ["prove", str(tmp_path / "p.yaml")]), "alias")


def test_aliases_shared_many_times_are_measured_once() -> None:
    """A billion-laughs document is measured without expanding it."""
    node: list[object] = ["x"] * 9
    for _ in range(40):
        node = [node] * 9
    check_nesting({"k": node}, "f.yaml")  # 42 levels, 9**40 paths


# -- 9. what AWS refuses is refused, naming the file and the JSON path
# (Resource and Principal forms: tests/test_parse.py)


def _scenario(folder: Path, resource: str, **extra: object) -> Path:
    scenario = {"request": {"principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject",
                            "resource": resource},
                "identity_policies": [{"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}], **extra}
    path = folder / "s.json"
    path.write_text(json.dumps(scenario))
    return path


@pytest.mark.parametrize("resource", ["T", "o-*", "x" * 1_000_000, "arn:aws:s3", "::::::"])
def test_a_scenario_resource_that_is_not_an_arn_is_bad_input(tmp_path: Path, resource: str) -> None:
    result = runner.invoke(app, ["evaluate", str(_scenario(tmp_path, resource))])
    _one_line_error(result, "s.json", "request.resource")
    assert len(result.output) < 300


def test_a_scenario_resource_that_is_an_arn_or_star_is_decided(tmp_path: Path) -> None:
    for resource in ("*", "arn:aws:s3:::b/k", "arn:aws:s3:::b/" + "k" * 1024):
        result = runner.invoke(app, ["evaluate", str(_scenario(tmp_path, resource))])
        assert result.exit_code == 0 and "Allow" in result.output, result.output


def test_a_policy_file_named_with_a_trailing_slash_is_bad_input(tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    scenario = _scenario(tmp_path, "arn:aws:s3:::b/k", identity_policies=["p.json/"])
    _one_line_error(runner.invoke(app, ["evaluate", str(scenario)]), "s.json", "identity_policies[0]", "p.json/")
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text("identities:\n  - arn: arn:aws:iam::111122223333:role/r\n    policies: [p.json/]\n"
                         "invariants: [only-trusted-resources]\n")
    _one_line_error(runner.invoke(app, ["prove", str(perimeter)]), "perimeter.yaml", "identities[0].policies[0]")
    result = runner.invoke(app, ["check", "access-not-granted", "--policy", f"{policy}/", "--action",
                                 "s3:PutObject"])
    _one_line_error(result, "--policy", "p.json/")


# -- 7. anything at a known snapshot path that is not a readable file of the right shape


@pytest.mark.parametrize("name", ["organization.json", "vpc_endpoints.json", "session_policies.json",
                                  "resources.json", "collection.json", "iam/999999999999.json",
                                  "resources/arn%3Aaws%3As3%3A%3A%3Ab.json"])
def test_a_folder_at_a_known_snapshot_path_is_bad_input(tmp_path: Path, name: str) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    target = tmp_path / name
    if target.is_file():
        target.unlink()
    target.mkdir(parents=True)
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.source == str(target) and "expected a file, found a folder" in caught.value.message


@pytest.mark.parametrize("name", ["iam", "resources"])
def test_a_file_where_a_snapshot_folder_belongs_is_bad_input(tmp_path: Path, name: str) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    target = tmp_path / name
    if target.is_dir():
        for file in sorted(target.rglob("*"), reverse=True):
            file.unlink() if file.is_file() else file.rmdir()
        target.rmdir()
    target.write_text("{}")
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.source == str(target) and "expected a folder, found a file" in caught.value.message


def test_a_broken_link_and_two_organization_files_are_bad_input(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    (tmp_path / "vpc_endpoints.json").symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(InputError, match="a link to nothing"):
        load_snapshot(tmp_path)
    (tmp_path / "vpc_endpoints.json").unlink()
    (tmp_path / "organization.yaml").write_text("{}")
    with pytest.raises(InputError, match=r"organization\.json, organization\.yaml"):
        load_snapshot(tmp_path)


def test_a_folder_named_organization_json_no_longer_changes_the_answer(tmp_path: Path) -> None:
    """Through the CLI: exit 2 naming the folder, not an answer about a snapshot without an organization."""
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    (tmp_path / "organization.json").unlink()
    (tmp_path / "organization.json").mkdir()
    result = runner.invoke(app, ["who-can", "s3:GetObject", BUCKET, "--snapshot", str(tmp_path)])
    _one_line_error(result, "organization.json", "expected a file, found a folder")


# -- 3. duplicate VPC endpoint ids (the prover's cost per endpoint: tests/test_prove.py)


ENDPOINTS = [{"id": "vpce-0a1b2c3d4e5f60718", "vpc": "vpc-0123456789abcdef0"},
             {"id": "vpce-0a1b2c3d4e5f60719", "vpc": "vpc-0123456789abcdef0"},
             {"id": "vpce-0a1b2c3d4e5f60718", "vpc": "vpc-0123456789abcdef1"}]


def test_a_vpc_endpoint_declared_twice_in_a_perimeter_file_is_bad_input(tmp_path: Path) -> None:
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text(f"vpc_endpoints: {json.dumps(ENDPOINTS)}\ninvariants: [only-trusted-identities]\n")
    _one_line_error(runner.invoke(app, ["prove", str(perimeter)]), "perimeter.yaml", "vpc_endpoints[2].id",
                    '"vpce-0a1b2c3d4e5f60718" is declared twice (first at vpc_endpoints[0])')


def test_a_vpc_endpoint_listed_twice_in_a_snapshot_is_bad_input(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}))]}})
    (tmp_path / "vpc_endpoints.json").write_text(json.dumps(ENDPOINTS))
    result = runner.invoke(app, ["who-can", "s3:GetObject", BUCKET, "--snapshot", str(tmp_path)])
    _one_line_error(result, "vpc_endpoints.json", "[2].id", "declared twice")


# -- 4. policies over AWS's size quota of their kind (reasoner/policy/quotas.py)


def _sized(size: int, *, principal: object = None, action: str = "s3:GetObject") -> dict[str, Any]:
    """A policy of exactly `size` characters without white space (a long condition value)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": "*",
                                 "Condition": {"StringEquals": {"aws:UserAgent": ""}}}
    if principal is not None:
        statement["Principal"] = principal
    document = {"Version": "2012-10-17", "Statement": [statement]}
    statement["Condition"]["StringEquals"]["aws:UserAgent"] = "x" * (size - document_size(document))
    assert document_size(document) == size
    return document


def _write(path: Path, document: object, indent: int | None = None) -> Path:
    path.write_text(json.dumps(document, indent=indent))
    return path


def test_a_policy_with_a_megabyte_string_is_refused_naming_the_quota(tmp_path: Path) -> None:
    policy = _write(tmp_path / "p.json", _sized(1_000_000))
    result = runner.invoke(app, ["check", "access-not-granted", "--policy", str(policy), "--action", "s3:PutObject"])
    _one_line_error(result, "p.json", "1,000,000 characters", "262,144", "identity policy")


@pytest.mark.parametrize(("resource_type", "quota"), [("AWS::S3::Bucket", "20,480"), ("AWS::SQS::Queue", "8,192"),
                                                      ("AWS::IAM::Role", "8,192")])
def test_a_resource_policy_over_its_types_quota_is_refused(tmp_path: Path, resource_type: str, quota: str) -> None:
    size = int(quota.replace(",", "")) + 1
    action = "sts:AssumeRole" if resource_type == "AWS::IAM::Role" else "s3:GetObject"
    policy = _write(tmp_path / "p.json", _sized(size, principal={"AWS": "arn:aws:iam::111122223333:root"},
                                                action=action))
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 resource_type])
    _one_line_error(result, "p.json", f"over AWS's quota of {quota}")
    # the same size is within a KMS key policy's 32 KB
    result = runner.invoke(app, ["check", "no-public-access", "--policy", str(policy), "--resource-type",
                                 "AWS::KMS::Key"])
    assert result.exit_code in (0, 1), result.output


def test_white_space_is_not_counted(tmp_path: Path) -> None:
    # IAM does not count white space: 6,144 characters indented by thousands of spaces is a managed policy
    managed = _sized(6_144)
    write_snapshot(tmp_path, {DEV: {"policies": [
        {"PolicyName": "big", "Arn": f"arn:aws:iam::{DEV}:policy/big",
         "PolicyVersionList": [{"Document": json.dumps(managed, indent=400), "VersionId": "v1",
                                "IsDefaultVersion": True}]}],
        "users": [{**user(DEV, "u"), "AttachedManagedPolicies": [{"PolicyArn": f"arn:aws:iam::{DEV}:policy/big"}]}]}})
    assert len(json.dumps(managed, indent=400)) > 8_000
    load_snapshot(tmp_path)


def test_a_customer_managed_policy_over_6144_characters_is_refused_in_a_snapshot(tmp_path: Path) -> None:
    write_snapshot(tmp_path, {DEV: {"policies": [
        {"PolicyName": "big", "Arn": f"arn:aws:iam::{DEV}:policy/big",
         "PolicyVersionList": [{"Document": _sized(6_145), "VersionId": "v1", "IsDefaultVersion": True}]}],
        "users": [{**user(DEV, "u"), "AttachedManagedPolicies": [{"PolicyArn": f"arn:aws:iam::{DEV}:policy/big"}]}]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "Policies[0].PolicyVersionList[0].Document"
    assert "6,144 for a customer managed policy" in caught.value.message


def test_inline_policies_are_measured_together_per_user_role_and_group(tmp_path: Path) -> None:
    # two inline policies of 1,200 characters: over a user's 2,048, within a role's 10,240
    write_snapshot(tmp_path, {DEV: {"users": [user(DEV, "u", _sized(1_200), _sized(1_200))]}})
    with pytest.raises(InputError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.path == "UserDetailList[0].UserPolicyList"
    assert "2,048 for the inline policies of a user, together" in caught.value.message
    write_snapshot(tmp_path, {DEV: {"roles": [role(DEV, "r", trust({"AWS": f"arn:aws:iam::{PARTNER}:root"}),
                                                   _sized(1_200), _sized(1_200))]}})
    load_snapshot(tmp_path)


def test_perimeter_and_scenario_policies_follow_their_kinds_quota(tmp_path: Path) -> None:
    _write(tmp_path / "scp.json", _sized(5_121))
    _write(tmp_path / "queue.json", _sized(8_193, principal="*", action="sqs:SendMessage"))
    perimeter = tmp_path / "perimeter.yaml"
    perimeter.write_text('organization: {root: {accounts: ["111122223333"], scps: [scp.json]}}\n'
                         "invariants: [only-trusted-identities]\n")
    _one_line_error(runner.invoke(app, ["prove", str(perimeter)]), "scp.json", "5,120 for a service control policy")
    perimeter.write_text('resources: [{arn: "arn:aws:sqs:us-east-1:111122223333:q", type: "AWS::SQS::Queue", '
                         "policy: queue.json}]\ninvariants: [only-trusted-identities]\n")
    _one_line_error(runner.invoke(app, ["prove", str(perimeter)]), "queue.json", "8,192 for an SQS queue policy")
    scenario = _scenario(tmp_path, "arn:aws:s3:::b/k", session_policy=_sized(2_049))
    _one_line_error(runner.invoke(app, ["evaluate", str(scenario)]), "s.json", "session_policy",
                    "2,048 for a session policy")
