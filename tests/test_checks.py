"""The three checks with known answers: one public and one pinned grant per
resource type, the identifying elements of interface.md, no-new-access and
access-not-granted both ways, and the CLI's JSON shape and exit codes. Every
FAIL's witness is checked against the evaluator independently of the check."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reasoner.checks.run import check_access_not_granted, check_no_new_access, check_no_public_access
from reasoner.cli.app import app
from reasoner.evaluation.evaluate import evaluate
from reasoner.policy.model import Decision, PolicySet, PolicyType, PrincipalKind
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import RESOURCE_TYPES, resource_type
from reasoner.solving.query import CheckResult
from reasoner.solving.witness import Witness

OWNER = "111122223333"
TRUSTED = "444455556666"

RESOURCES = {
    "AWS::S3::Bucket": ("s3:GetObject", "arn:aws:s3:::bucket/*"),
    "AWS::S3::AccessPoint": ("s3:GetObject", f"arn:aws:s3:us-east-1:{OWNER}:accesspoint/ap/object/*"),
    "AWS::KMS::Key": ("kms:Decrypt", "*"),
    "AWS::IAM::Role": ("sts:AssumeRole", None),
    "AWS::SQS::Queue": ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{OWNER}:queue"),
    "AWS::SNS::Topic": ("sns:Publish", f"arn:aws:sns:us-east-1:{OWNER}:topic"),
    "AWS::Lambda::Function": ("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{OWNER}:function:f"),
    "AWS::SecretsManager::Secret": ("secretsmanager:GetSecretValue", "*"),
    "AWS::ECR::Repository": ("ecr:BatchGetImage", f"arn:aws:ecr:us-east-1:{OWNER}:repository/r"),
    "AWS::DynamoDB::Table": ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{OWNER}:table/t"),
}


def statement(action: str, resource: str | None, principal: Any = "*", **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"Sid": "Grant", "Effect": "Allow", "Principal": principal, "Action": action}
    if resource is not None:
        found["Resource"] = resource
    return {**found, **extra}


def policy(*statements: dict[str, Any], policy_type: PolicyType = PolicyType.RESOURCE) -> Any:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return parse_policy_text(text, policy_type, source="test.json")


def public(*statements: dict[str, Any], kind: str = "AWS::S3::Bucket", **options: Any) -> CheckResult:
    found = resource_type(kind)
    return check_no_public_access(policy(*statements, policy_type=found.policy_type), found,
                                  **options)


def assert_replays_allowed(witness: Witness | None, policies: PolicySet) -> None:
    assert witness is not None
    assert evaluate(witness.request, policies).decision is Decision.ALLOW


def test_every_listed_resource_type_has_a_case() -> None:
    assert set(RESOURCES) <= {t.name for t in RESOURCE_TYPES.values()}
    assert len(RESOURCES) == 10


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_a_grant_to_everyone_is_public_with_a_witness_outside_the_owner_account(kind: str) -> None:
    action, resource = RESOURCES[kind]
    result = public(statement(action, resource), kind=kind)
    assert result.result == "FAIL", result.unknown_reason
    assert result.witness is not None
    request = result.witness.request
    assert request.action.lower().split(":")[0] == action.split(":")[0]
    # public means reachable from another account than the resource's
    assert request.resource_account is not None
    assert request.principal.account != request.resource_account
    assert result.witness.result.decision is Decision.ALLOW
    assert any(ref.policy == "resource_policy" for ref in result.witness.result.determining)
    assert _real_shape(request.action, request.resource), (request.action, request.resource)


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_a_grant_to_one_account_is_not_public(kind: str) -> None:
    action, resource = RESOURCES[kind]
    result = public(statement(action, resource, {"AWS": f"arn:aws:iam::{TRUSTED}:root"}), kind=kind)
    assert result.result == "PASS", result.unknown_reason


@pytest.mark.parametrize("kind", ["AWS::S3::Bucket", "AWS::KMS::Key", "AWS::SQS::Queue"])
def test_a_policy_of_denies_only_grants_nothing(kind: str) -> None:
    action, resource = RESOURCES[kind]
    deny = {**statement(action, resource), "Effect": "Deny"}
    assert public(deny, kind=kind).result == "PASS"


@pytest.mark.parametrize(("condition", "expected"), [
    ({"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}, "PASS"),
    ({"StringLike": {"aws:PrincipalOrgID": "o-*"}}, "FAIL"),
    ({"StringEquals": {"aws:PrincipalAccount": TRUSTED}}, "PASS"),
    ({"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{TRUSTED}:role/reader"}}, "PASS"),
    ({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, "PASS"),
    ({"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}, "PASS"),
    ({"StringEquals": {"aws:SourceAccount": TRUSTED}}, "PASS"),
    ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, "PASS"),
    ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, "PASS"),
    ({"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}, "FAIL"),
    ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, "FAIL"),
    ({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}, "PASS"),
    ({"IpAddress": {"aws:SourceIp": "2001:db8::/16"}}, "FAIL"),
    ({"StringEquals": {"aws:PrincipalTag/team": "data"}}, "FAIL"),
    ({"Bool": {"aws:SecureTransport": "true"}}, "FAIL"),
    ({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abcdefghij"}}, "FAIL"),
    # S3's meaning of public: access delegated to the access points of one account
    ({"StringEquals": {"s3:DataAccessPointAccount": TRUSTED}}, "PASS"),
    ({"StringLike": {"s3:DataAccessPointArn": "arn:aws:s3:*:*:accesspoint/*"}}, "FAIL"),
    # any account's VPC may use any private range
    ({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}, "FAIL"),
])
def test_identifying_conditions_pin_a_grant_and_others_do_not(condition: dict[str, Any], expected: str) -> None:
    action, resource = RESOURCES["AWS::S3::Bucket"]
    result = public(statement(action, resource, Condition=condition))
    assert result.result == expected, result.unknown_reason
    if expected == "FAIL":
        assert_replays_allowed(result.witness, _public_set(statement(action, resource, Condition=condition)))
        assert result.witness is not None
        # a web or SAML identity signs only the STS calls that make it a session
        assert result.witness.request.principal.kind is not PrincipalKind.WEB_IDENTITY


@pytest.mark.parametrize(("condition", "expected"), [
    ({"StringEquals": {"kms:CallerAccount": TRUSTED}}, "PASS"),
    ({"StringEquals": {"kms:CallerAccount": TRUSTED, "kms:ViaService": "ec2.us-east-1.amazonaws.com"}}, "PASS"),
    ({"StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}}, "FAIL"),
])
def test_a_key_policy_pinned_to_the_calling_account_is_not_public(condition: dict[str, Any], expected: str) -> None:
    # KMS sets kms:CallerAccount to the caller's account (AWS's own key policies for
    # AWS managed keys read it); a witness may not claim another account's value
    grant = {**statement("kms:Decrypt", "*", principal={"AWS": "*"}), "Condition": condition}
    result = public(grant, kind="AWS::KMS::Key")
    assert result.result == expected, result.unknown_reason
    if result.witness is not None:
        request = result.witness.request
        assert request.context.get("kms:calleraccount") in (None, (request.principal.account,))


def _public_set(*statements: dict[str, Any]) -> PolicySet:
    from reasoner.encodings.queries import ALLOW_ALL

    return PolicySet(identity_policies=(ALLOW_ALL,), resource_policy=policy(*statements))


def test_the_ip_width_is_an_option() -> None:
    action, resource = RESOURCES["AWS::S3::Bucket"]
    grant = statement(action, resource, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    assert public(grant).result == "PASS"
    assert public(grant, max_ipv4_prefix_width=16).result == "FAIL"


def test_a_service_principal_is_a_fixed_value() -> None:
    grant = statement("s3:PutObject", "arn:aws:s3:::bucket/*", {"Service": "cloudtrail.amazonaws.com"})
    assert public(grant).result == "PASS"


def test_the_data_perimeter_pattern_allow_everyone_but_deny_outside_the_org_is_not_public() -> None:
    action, resource = RESOURCES["AWS::S3::Bucket"]
    deny = {"Sid": "Perimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resource,
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abcdefghij"},
                          "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}
    assert public(statement(action, resource), deny).result == "FAIL"  # services are not denied
    strict = {**deny, "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}}
    assert public(statement(action, resource), strict).result == "PASS"


def test_a_role_trust_policy_for_any_aws_principal_is_public() -> None:
    trust = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    result = public(trust, kind="AWS::IAM::Role")
    assert result.result == "FAIL"
    assert result.witness is not None
    assert result.witness.request.action.lower().startswith("sts:")
    assert ":role/" in result.witness.request.resource


def test_an_unsupported_construct_is_unknown_not_pass() -> None:
    grant = statement("s3:GetObject", "arn:aws:s3:::bucket/*",
                      Condition={"Bool": {"aws:SecureTransport": "${aws:username}"}})
    result = public(grant)
    assert result.result == "UNKNOWN"
    assert result.unknown_reason and "variable" in result.unknown_reason


# --- no-new-access -------------------------------------------------------------

READ_OBJECTS = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}


def identity(*statements: dict[str, Any]) -> Any:
    return policy(*statements, policy_type=PolicyType.IDENTITY)


def test_a_wider_identity_policy_grants_new_access_with_a_witness_the_old_denies() -> None:
    old = identity(READ_OBJECTS)
    new = identity({**READ_OBJECTS, "Action": "s3:Get*"})
    result = check_no_new_access(old, new, PolicyType.IDENTITY)
    assert result.result == "FAIL"
    assert result.witness is not None
    request = result.witness.request
    assert request.action.lower().startswith("s3:get") and request.action.lower() != "s3:getobject"
    assert evaluate(request, PolicySet(identity_policies=(new,))).decision is Decision.ALLOW
    assert evaluate(request, PolicySet(identity_policies=(old,))).decision is not Decision.ALLOW


def test_a_narrower_identity_policy_grants_nothing_new() -> None:
    old = identity({**READ_OBJECTS, "Action": "s3:Get*"})
    new = identity({**READ_OBJECTS, "Resource": "arn:aws:s3:::bucket/reports/*"},
                   {"Effect": "Deny", "Action": "*", "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    assert check_no_new_access(old, new, PolicyType.IDENTITY).result == "PASS"


def test_a_resource_policy_that_drops_its_org_condition_grants_new_access() -> None:
    pinned = statement("s3:GetObject", "arn:aws:s3:::bucket/*",
                       Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}})
    old = policy(pinned)
    new = policy(statement("s3:GetObject", "arn:aws:s3:::bucket/*"))
    result = check_no_new_access(old, new, PolicyType.RESOURCE)
    assert result.result == "FAIL"
    assert result.witness is not None
    assert result.witness.request.context.get("aws:PrincipalOrgID") != "o-abcdefghij"
    assert check_no_new_access(new, old, PolicyType.RESOURCE).result == "PASS"


# --- access-not-granted ----------------------------------------------------------

def test_access_not_granted_finds_the_action_a_wildcard_grants() -> None:
    admin = identity({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    result = check_access_not_granted(admin, ["s3:DeleteBucket"], [], PolicyType.IDENTITY)
    assert result.result == "FAIL"
    assert result.witness is not None
    assert result.witness.request.action == "s3:DeleteBucket"


def test_access_not_granted_holds_for_actions_the_policy_does_not_name() -> None:
    reader = identity(READ_OBJECTS)
    assert check_access_not_granted(reader, ["iam:PassRole", "s3:PutObject"], [], PolicyType.IDENTITY).result == "PASS"


@pytest.mark.parametrize("key", ["lambda:SourceFunctionArn", "ec2:SourceInstanceARN"])
def test_a_cross_service_key_is_present_on_other_services_requests(key: str) -> None:
    # AWS sets these on requests to any service (KEYS); a grant that needs one is a grant
    from_function = identity({**READ_OBJECTS, "Condition": {"StringLike": {key: "arn:aws:*"}}})
    result = check_access_not_granted(from_function, ["s3:GetObject"], [], PolicyType.IDENTITY)
    assert result.result == "FAIL"
    assert result.witness is not None and key.lower() in result.witness.request.context


@pytest.mark.parametrize(("action", "resources", "arn_part"), [
    ("kms:Decrypt", "arn:aws:kms:*:*:key/*", ":kms:"), ("sts:AssumeRole", "arn:aws:iam::*:role/*", ":role/")])
def test_an_identity_policy_is_read_alone(action: str, resources: str, arn_part: str) -> None:
    # the key policy or trust policy that AWS would also need is not the policy under
    # check: an admin policy grants kms:Decrypt on a key (the witness once had to
    # escape the key-policy rule through a resource that was no ARN; on keys only,
    # there is no such escape)
    admin = identity({"Effect": "Allow", "Action": "*", "Resource": "*"})
    result = check_access_not_granted(admin, [action], [resources], PolicyType.IDENTITY)
    assert result.result == "FAIL"
    assert result.witness is not None and arn_part in result.witness.request.resource


BUCKET_ARN, OBJECTS = "arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"


@pytest.mark.parametrize(("resource", "action"), [(OBJECTS, "s3:DeleteBucket"), (OBJECTS, "s3:ListBucket"),
                                                  (BUCKET_ARN, "s3:GetObject"), (BUCKET_ARN, "s3:PutObject")])
def test_s3_bucket_actions_are_not_made_on_objects_nor_object_actions_on_buckets(resource: str, action: str) -> None:
    # SAR: a bucket action's resource is the bucket, an object action's an object
    grant = identity({"Effect": "Allow", "Action": "s3:*", "Resource": resource})
    assert check_access_not_granted(grant, [action], [], PolicyType.IDENTITY).result == "PASS"


def test_merging_bucket_and_object_statements_grants_nothing_new() -> None:
    # the common refactor: one statement per resource level into one statement
    split = identity({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET_ARN},
                     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": OBJECTS})
    merged = identity({"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
                       "Resource": [BUCKET_ARN, OBJECTS]})
    assert check_no_new_access(split, merged, PolicyType.IDENTITY).result == "PASS"


def test_organization_paths_lie_under_the_organization() -> None:
    org_id = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    org_paths = {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/*"]}}
    by_id = policy({**statement("s3:GetObject", OBJECTS), "Condition": org_id})
    by_paths = policy({**statement("s3:GetObject", OBJECTS), "Condition": org_paths})
    assert check_no_new_access(by_id, by_paths, PolicyType.RESOURCE).result == "PASS"
    assert check_no_new_access(by_paths, by_id, PolicyType.RESOURCE).result == "PASS"


def test_witness_dates_are_iso_8601() -> None:
    until = "2025-01-01T00:00:00Z"
    old = identity({**READ_OBJECTS, "Condition": {"DateLessThan": {"aws:CurrentTime": until}}})
    new = identity({**READ_OBJECTS, "Condition": {"DateLessThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}})
    result = check_no_new_access(old, new, PolicyType.IDENTITY)
    assert result.witness is not None
    (moment,) = result.witness.request.context["aws:currenttime"]
    assert "2025-01-01T00:00:00Z" <= moment < "2026-01-01T00:00:00Z", moment


def test_access_not_granted_on_resources_with_wildcards() -> None:
    reader = identity(READ_OBJECTS)
    on_other = check_access_not_granted(reader, ["s3:GetObject"], ["arn:aws:s3:::other/*"],
                                        PolicyType.IDENTITY)
    assert on_other.result == "PASS"
    on_bucket = check_access_not_granted(reader, ["s3:GetObject"], ["arn:aws:s3:::bucket/secret/*"],
                                         PolicyType.IDENTITY)
    assert on_bucket.result == "FAIL"
    assert on_bucket.witness is not None
    assert on_bucket.witness.request.resource.startswith("arn:aws:s3:::bucket/secret/")


# --- the command line ----------------------------------------------------------------

def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def write(path: Path, *statements: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return path


def test_cli_public_fail_prints_the_interface_json_and_exits_1(tmp_path: Path) -> None:
    bucket = write(tmp_path / "bucket.json", statement("s3:GetObject", "arn:aws:s3:::bucket/*"))
    result = run("check", "no-public-access", "--policy", bucket, "--resource-type", "AWS::S3::Bucket",
                 "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["check"] == "no-public-access" and document["result"] == "FAIL"
    assert document["witness"]["decision"] == "Allow"
    assert {"principal", "action", "resource"} <= set(document["witness"]["request"])
    assert document["witness"]["determining"][0]["policy"] == "resource_policy"
    assert document["reasons"] and "Grant" in document["reasons"][0]


def test_cli_pass_exits_0_and_text_names_the_check(tmp_path: Path) -> None:
    bucket = write(tmp_path / "bucket.json",
                   statement("s3:GetObject", "arn:aws:s3:::bucket/*", {"AWS": f"arn:aws:iam::{TRUSTED}:root"}))
    result = run("check", "no-public-access", "--policy", bucket, "--resource-type", "AWS::S3::Bucket")
    assert result.exit_code == 0, result.output
    assert "PASS: no-public-access" in result.stdout


def test_cli_unknown_exits_3(tmp_path: Path) -> None:
    bucket = write(tmp_path / "bucket.json", statement("s3:GetObject", "arn:aws:s3:::b/*",
                                                       Condition={"Bool": {"aws:SecureTransport": "${aws:userid}"}}))
    result = run("check", "no-public-access", "--policy", bucket, "--resource-type", "AWS::S3::Bucket",
                 "--format", "json")
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["result"] == "UNKNOWN"


def test_cli_no_new_access_and_access_not_granted_exit_codes(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", READ_OBJECTS)
    new = write(tmp_path / "new.json", {**READ_OBJECTS, "Action": "s3:*"})
    assert run("check", "no-new-access", "--existing", old, "--new", new).exit_code == 1
    assert run("check", "no-new-access", "--existing", new, "--new", old).exit_code == 0
    assert run("check", "access-not-granted", "--policy", new, "--action", "s3:DeleteObject").exit_code == 1
    assert run("check", "access-not-granted", "--policy", old, "--action", "s3:DeleteObject",
               "--action", "iam:PassRole").exit_code == 0


def test_cli_bad_input_names_the_file_and_json_path_and_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::b/*", "Condition": {"StringLike": {"k": {"a": 1}}}})
    result = run("check", "no-public-access", "--policy", bad, "--resource-type", "AWS::S3::Bucket")
    assert result.exit_code == 2
    assert "bad.json" in result.output and "Statement[0].Condition.StringLike" in result.output
    assert "Traceback" not in result.output
    wrong_type = run("check", "no-public-access", "--policy", bad, "--resource-type", "AWS::Nope::Thing")
    assert wrong_type.exit_code == 2 and "AWS::Nope::Thing" in wrong_type.output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--action", "s3GetObject", 'is not an action'),
    ("--action", "iam:PasRole", "names no action of the AWS catalogue"),
    ("--resource", "not-an-arn", 'is not "*" or an ARN pattern'),
    ("--timeout", "0", "is not a positive number of seconds"),
    ("--budget", "0", "is not a number of work units"),
    ("--budget", "5000", "is not a number of work units"),
])
def test_cli_a_typo_in_an_option_is_bad_input_not_a_pass(tmp_path: Path, option: str, value: str,
                                                          message: str) -> None:
    # with everything allowed, any answer but exit 2 would be a claim about a typo
    everything = write(tmp_path / "all.json", {"Effect": "Allow", "Action": "*", "Resource": "*"})
    args = {"--action": "s3:GetObject", "--resource": "*", "--timeout": "10", option: value}
    result = run("check", "access-not-granted", "--policy", everything, *[x for pair in args.items() for x in pair])
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.startswith(f"error: {option}: ") and value in line and message in line and "\n" not in line


# --- witnesses look like real requests ------------------------------------------


def _real_shape(action: str, resource: str) -> bool:
    """The resource has the ARN format of a type the catalogue lists for the action
    (or is `*` when it lists none): checked with Python regexes, not the encoding."""
    from reasoner.policy.action_resources import catalogue_arn_templates

    templates = catalogue_arn_templates(action)
    assert templates is not None, action
    if not templates:
        return resource == "*"
    pieces = {"{region}": r"[a-z]{2}(-[a-z]+)+-\d", "{account}": r"\d{12}", "{name}": r"[A-Za-z0-9_.-]+",
              "{path}": r"[!-~]+"}
    for template in templates:
        regex = "".join(pieces.get(token, re.escape(token)) for token in re.split(r"(\{[a-z]+\})", template))
        if re.fullmatch(regex, resource):
            return True
    return False


def test_witnesses_name_a_resource_of_the_actions_type() -> None:
    admin = identity({"Effect": "Allow", "Action": "*", "Resource": "*"})
    result = check_access_not_granted(admin, ["iam:CreateUser"], [], PolicyType.IDENTITY)
    assert result.witness is not None
    request = result.witness.request
    assert re.fullmatch(r"arn:aws:iam::\d{12}:user/[A-Za-z0-9_.-]+", request.resource), request.resource
    everything = public(statement("s3:*", ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]))
    assert everything.witness is not None
    assert _real_shape(everything.witness.request.action, everything.witness.request.resource)


@pytest.mark.parametrize(("kind", "action", "resource"), [
    ("AWS::SecretsManager::Secret", "secretsmanager:GetSecretValue",
     f"arn:aws:secretsmanager:us-east-1:{OWNER}:secret:prod/*"),
    ("AWS::ECR::Repository", "ecr:BatchGetImage", f"arn:aws:ecr:us-east-1:{OWNER}:repository/team/*"),
    ("AWS::SQS::Queue", "sqs:SendMessage", f"arn:aws-cn:sqs:cn-north-1:{OWNER}:q"),
    ("AWS::SQS::Queue", "sqs:SendMessage", f"arn:aws-us-gov:sqs:us-gov-west-1:{OWNER}:q"),
    ("AWS::IAM::Role", "sts:AssumeRole", None),
])
def test_names_with_slashes_other_partitions_and_regions_are_resources_too(kind: str, action: str,
                                                                          resource: str | None) -> None:
    """A resource format narrower than AWS's left real resources out: a false PASS
    (found in review)."""
    result = public(statement(action, resource), kind=kind)
    assert result.result == "FAIL", result.unknown_reason
    if resource is not None:
        assert result.witness is not None
        assert result.witness.request.resource.startswith(resource.rstrip("*"))


def test_a_witness_must_also_lie_in_the_checks_request_set() -> None:
    """Replay checks the decision; the membership predicates check the rest of the
    claim in Python (another account than the owner's, an action of the type, a
    listed action on a listed resource)."""
    from reasoner.encodings.queries import access_not_granted, no_public_access
    from reasoner.evaluation.scenario import parse_principal
    from reasoner.policy.model import Request

    def request(principal: str, action: str, resource: str, owner: str | None) -> Request:
        return Request(parse_principal(principal, source="test"), action, resource, owner, {})

    bucket = resource_type("AWS::S3::Bucket")
    public_query = no_public_access(policy(statement("s3:GetObject", "arn:aws:s3:::bucket/*")), bucket)
    outsider = request("arn:aws:iam::123456789012:user/a", "s3:GetObject", "arn:aws:s3:::bucket/k", OWNER)
    insider = request(f"arn:aws:iam::{OWNER}:user/a", "s3:GetObject", "arn:aws:s3:::bucket/k", OWNER)
    other_service = request("arn:aws:iam::123456789012:user/a", "sqs:SendMessage", "arn:aws:s3:::bucket/k", OWNER)
    assert all(holds(outsider) for _, holds in public_query.membership)
    assert not all(holds(insider) for _, holds in public_query.membership)
    assert not all(holds(other_service) for _, holds in public_query.membership)
    listed = access_not_granted(identity(READ_OBJECTS), ["s3:Get*"], ["arn:aws:s3:::bucket/secret/*"],
                                PolicyType.IDENTITY)
    assert all(holds(request(f"arn:aws:iam::{OWNER}:user/a", "s3:GetObject", "arn:aws:s3:::bucket/secret/x",
                             OWNER)) for _, holds in listed.membership)
    assert not all(holds(request(f"arn:aws:iam::{OWNER}:user/a", "s3:GetObject", "arn:aws:s3:::bucket/x",
                                 OWNER)) for _, holds in listed.membership)


def test_a_wider_bucket_name_glob_is_new_access() -> None:
    # a guided sub-case puts the request on the new policy's resource (was UNKNOWN)
    old = identity({**READ_OBJECTS, "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"})
    new = identity({**READ_OBJECTS, "Resource": "arn:aws:s3:::amzn-s3-demo-bucket*/*"})
    result = check_no_new_access(old, new, PolicyType.IDENTITY)
    assert result.result == "FAIL", result.unknown_reason


def test_an_arn_prefix_pattern_names_whole_arns_only() -> None:
    # AWS names a resource by its whole ARN: arn:aws:sqs:* and arn:aws:sqs:*:*:* grant alike
    old = identity({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:*:*"})
    new = identity({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*"})
    assert check_no_new_access(old, new, PolicyType.IDENTITY).result == "PASS"
