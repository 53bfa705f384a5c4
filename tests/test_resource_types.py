"""Every resource type IAM Access Analyzer's CheckNoPublicAccess accepts, each with
a public and a private known answer, its ARN format and its actions; and the
quirks of some: the API Gateway `execute-api:/` shorthand, EFS mount targets,
DynamoDB stream labels with colons, Kinesis consumer ARNs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reasoner.checks.run import check_no_public_access
from reasoner.encodings.request import SymbolicRequest
from reasoner.encodings.statements import statement_applies
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.evaluate import statement_applies as evaluator_applies
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.action_resources import service_types
from reasoner.policy.model import Decision, PolicySet, PolicyType, Request
from reasoner.policy.parse import parse_policy_text
from reasoner.policy.resource_types import RESOURCE_TYPES, TYPES, actions_of, resource_type
from reasoner.solving.query import CheckResult
from tests.encoding_oracle import value_under

OWNER = "111122223333"
TRUSTED = "444455556666"
R = f"us-east-1:{OWNER}"

# The valid values of CheckNoPublicAccess's resourceType (API reference,
# https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoPublicAccess.html).
ACCESS_ANALYZER_TYPES = (
    "AWS::DynamoDB::Table", "AWS::DynamoDB::Stream", "AWS::EFS::FileSystem", "AWS::OpenSearchService::Domain",
    "AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer", "AWS::KMS::Key", "AWS::Lambda::Function",
    "AWS::S3::Bucket", "AWS::S3::AccessPoint", "AWS::S3Express::DirectoryBucket", "AWS::S3::Glacier",
    "AWS::S3Outposts::Bucket", "AWS::S3Outposts::AccessPoint", "AWS::SecretsManager::Secret", "AWS::SNS::Topic",
    "AWS::SQS::Queue", "AWS::IAM::AssumeRolePolicyDocument", "AWS::S3Tables::TableBucket",
    "AWS::ApiGateway::RestApi", "AWS::CodeArtifact::Domain", "AWS::Backup::BackupVault",
    "AWS::CloudTrail::Dashboard", "AWS::CloudTrail::EventDataStore", "AWS::S3Tables::Table",
    "AWS::S3Express::AccessPoint",
)

# A typical grant of each type added for Access Analyzer's list: action, Resource,
# and the shape of the resource a witness names.
CASES: dict[str, tuple[str, str, str]] = {
    "AWS::DynamoDB::Stream": ("dynamodb:GetRecords", f"arn:aws:dynamodb:{R}:table/orders/stream/*",
                              r"arn:aws:dynamodb:us-east-1:\d{12}:table/orders/stream/.+"),
    "AWS::EFS::FileSystem": ("elasticfilesystem:ClientMount", f"arn:aws:elasticfilesystem:{R}:file-system/fs-1",
                             r"arn:aws:elasticfilesystem:us-east-1:\d{12}:file-system/fs-1"),
    "AWS::OpenSearchService::Domain": ("es:ESHttpGet", f"arn:aws:es:{R}:domain/logs/*",
                                       r"arn:aws:es:us-east-1:\d{12}:domain/logs/.+"),
    "AWS::Kinesis::Stream": ("kinesis:GetRecords", f"arn:aws:kinesis:{R}:stream/clicks",
                             r"arn:aws:kinesis:us-east-1:\d{12}:stream/clicks"),
    "AWS::Kinesis::StreamConsumer": ("kinesis:SubscribeToShard",
                                     f"arn:aws:kinesis:{R}:stream/clicks/consumer/app:1700000000",
                                     r"arn:aws:kinesis:us-east-1:\d{12}:stream/clicks/consumer/app:1700000000"),
    "AWS::S3Express::DirectoryBucket": ("s3express:CreateSession",
                                        f"arn:aws:s3express:{R}:bucket/data--use1-az4--x-s3",
                                        r"arn:aws:s3express:us-east-1:\d{12}:bucket/data--use1-az4--x-s3"),
    "AWS::S3Express::AccessPoint": ("s3express:CreateSession", f"arn:aws:s3express:{R}:accesspoint/ap--use1-az4--xa-s3",
                                    r"arn:aws:s3express:us-east-1:\d{12}:accesspoint/ap--use1-az4--xa-s3"),
    "AWS::S3::Glacier": ("glacier:InitiateJob", f"arn:aws:glacier:{R}:vaults/archive",
                         r"arn:aws:glacier:us-east-1:\d{12}:vaults/archive"),
    "AWS::S3Outposts::Bucket": ("s3-outposts:GetObject", f"arn:aws:s3-outposts:{R}:outpost/op-1/bucket/b/object/*",
                                r"arn:aws:s3-outposts:us-east-1:\d{12}:outpost/op-1/bucket/b/object/.+"),
    "AWS::S3Outposts::AccessPoint": ("s3-outposts:GetObject",
                                     f"arn:aws:s3-outposts:{R}:outpost/op-1/accesspoint/ap/object/*",
                                     r"arn:aws:s3-outposts:us-east-1:\d{12}:outpost/op-1/accesspoint/ap/object/.+"),
    "AWS::S3Tables::TableBucket": ("s3tables:GetTableData", f"arn:aws:s3tables:{R}:bucket/lake/table/*",
                                   r"arn:aws:s3tables:us-east-1:\d{12}:bucket/lake/table/.+"),
    "AWS::S3Tables::Table": ("s3tables:GetTableData", f"arn:aws:s3tables:{R}:bucket/lake/table/t1",
                             r"arn:aws:s3tables:us-east-1:\d{12}:bucket/lake/table/t1"),
    "AWS::ApiGateway::RestApi": ("execute-api:Invoke", "execute-api:/*",
                                 r"arn:aws[-a-z]*:execute-api:[a-z0-9-]+:\d{12}:[^/]+/.*"),
    "AWS::CodeArtifact::Domain": ("codeartifact:GetAuthorizationToken", f"arn:aws:codeartifact:{R}:domain/pkgs",
                                  r"arn:aws:codeartifact:us-east-1:\d{12}:domain/pkgs"),
    "AWS::Backup::BackupVault": ("backup:CopyIntoBackupVault", f"arn:aws:backup:{R}:backup-vault:vault-1",
                                 r"arn:aws:backup:us-east-1:\d{12}:backup-vault:vault-1"),
    "AWS::CloudTrail::Dashboard": ("cloudtrail:StartDashboardRefresh", f"arn:aws:cloudtrail:{R}:dashboard/ops",
                                   r"arn:aws:cloudtrail:us-east-1:\d{12}:dashboard/ops"),
    "AWS::CloudTrail::EventDataStore": ("cloudtrail:StartQuery", f"arn:aws:cloudtrail:{R}:eventdatastore/eds-1",
                                        r"arn:aws:cloudtrail:us-east-1:\d{12}:eventdatastore/eds-1"),
}


def _policy(*statements: dict[str, Any], policy_type: PolicyType = PolicyType.RESOURCE) -> Any:
    return parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}), policy_type,
                             source="test.json")


def _grant(action: str, resource: str, principal: Any = "*", effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, "Resource": resource, **extra}


def _public(kind: str, *statements: dict[str, Any]) -> CheckResult:
    found = resource_type(kind)
    return check_no_public_access(_policy(*statements, policy_type=found.policy_type), found)


def test_every_type_access_analyzer_accepts_is_supported() -> None:
    assert {name.lower() for name in ACCESS_ANALYZER_TYPES} <= set(RESOURCE_TYPES)
    assert resource_type("AWS::IAM::AssumeRolePolicyDocument") is resource_type("AWS::IAM::Role")
    assert set(CASES) <= {kind.name for kind in TYPES}


@pytest.mark.parametrize("kind", sorted({t.name for t in TYPES}))
def test_each_type_has_catalogue_actions_and_its_formats_fit_its_catalogue_types(kind: str) -> None:
    found = resource_type(kind)
    actions = actions_of(found)
    assert actions and all(a.startswith(f"{found.service}:") for a in actions)
    catalogue = {shape.name.lower() for shape in service_types(found.service)}
    assert {name.lower() for name in found.catalogue_types} <= catalogue


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_grant_to_everyone_is_public_with_a_witness_of_the_type(kind: str) -> None:
    action, resource, shape = CASES[kind]
    result = _public(kind, _grant(action, resource))
    assert result.result == "FAIL", result.unknown_reason
    assert result.witness is not None
    request = result.witness.request
    assert request.action.lower() == action.lower()
    assert re.fullmatch(shape, request.resource), request.resource
    assert request.principal.account != request.resource_account
    assert result.witness.result.decision is Decision.ALLOW


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_grant_to_one_account_is_not_public(kind: str) -> None:
    action, resource, _ = CASES[kind]
    result = _public(kind, _grant(action, resource, {"AWS": f"arn:aws:iam::{TRUSTED}:root"}))
    assert result.result == "PASS", result.unknown_reason


def test_a_grant_of_another_services_actions_is_not_public_for_the_type() -> None:
    assert _public("AWS::Backup::BackupVault", _grant("s3:GetObject", "*")).result == "PASS"


# EFS, "The meaning of public": a fixed elasticfilesystem:AccessedViaMountTarget
# makes a file system policy non-public
# (https://docs.aws.amazon.com/efs/latest/ug/access-control-block-public-access.html).
@pytest.mark.parametrize(("value", "expected"), [("true", "PASS"), ("false", "FAIL")])
def test_efs_access_through_a_mount_target_identifies_the_caller(value: str, expected: str) -> None:
    grant = _grant("elasticfilesystem:ClientMount", "*",
                   Condition={"Bool": {"elasticfilesystem:AccessedViaMountTarget": value}})
    result = _public("AWS::EFS::FileSystem", grant)
    assert result.result == expected, result.unknown_reason


def test_other_boolean_keys_identify_no_one_on_efs() -> None:
    grant = _grant("elasticfilesystem:ClientMount", "*", Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert _public("AWS::EFS::FileSystem", grant).result == "FAIL"


def test_a_dynamodb_stream_label_holds_colons() -> None:
    label = f"arn:aws:dynamodb:{R}:table/orders/stream/2024-01-31T12:00:00.000"
    result = _public("AWS::DynamoDB::Stream", _grant("dynamodb:GetRecords", label))
    assert result.result == "FAIL", result.unknown_reason
    assert result.witness is not None and result.witness.request.resource == label


# API Gateway: `execute-api:/...` is the API's own ARN
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html)
def test_the_execute_api_shorthand_is_the_api_the_policy_is_on() -> None:
    # a wildcard in place of the API id would let `*/prod/*` deny `abc/dev/GET/prod/x`
    # as well: everything the allow grants, a false PASS
    allow = _grant("execute-api:Invoke", "execute-api:/*/GET/prod/*")
    deny = _grant("execute-api:Invoke", "execute-api:/prod/*", effect="Deny")
    result = _public("AWS::ApiGateway::RestApi", allow, deny)
    assert result.result == "FAIL", result.unknown_reason
    assert result.witness is not None
    resource_part = result.witness.request.resource.split(":", 5)[5]
    assert "/GET/prod/" in resource_part and resource_part.split("/")[1] != "prod"
    assert _public("AWS::ApiGateway::RestApi", _grant("execute-api:Invoke", "execute-api:/*"),
                   _grant("execute-api:Invoke", "execute-api:/*", effect="Deny")).result == "PASS"


def test_the_data_perimeter_api_gateway_pattern_is_not_public() -> None:
    allow = _grant("execute-api:Invoke", "execute-api:/*")
    deny = _grant("execute-api:Invoke", "execute-api:/*", effect="Deny",
                  Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abcdefghij"}})
    assert _public("AWS::ApiGateway::RestApi", allow, deny).result == "PASS"


def test_the_shorthand_is_refused_outside_resource_policies() -> None:
    from reasoner.errors import InputError

    with pytest.raises(InputError, match="is not"):
        parse_policy_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}]}),
            PolicyType.IDENTITY, source="id.json")


SHORTHAND_PATTERNS = ("execute-api:/*", "execute-api:/prod/*", "execute-api:/*/GET/*", "execute-api:/prod/GET/a",
                      "execute-api:*", "execute-api:/p?od/*")
SHORTHAND_RESOURCES = (f"arn:aws:execute-api:{R}:abc123/prod/GET/a", f"arn:aws:execute-api:{R}:abc123/dev/GET/prod/a",
                       f"arn:aws:execute-api:{R}:abc123", f"arn:aws:EXECUTE-API:{R}:abc/prod/GET/a",
                       f"arn:aws:sqs:{R}:abc/prod/GET/a", f"arn:aws:execute-api:{R}:/prod/GET/a", "*")


@pytest.mark.parametrize("pattern", SHORTHAND_PATTERNS)
@pytest.mark.parametrize("resource", SHORTHAND_RESOURCES)
def test_the_shorthand_encoding_agrees_with_the_evaluator(pattern: str, resource: str) -> None:
    policy = _policy(_grant("execute-api:Invoke", pattern))
    request = Request(parse_principal("arn:aws:iam::444455556666:root", source="t"), "execute-api:Invoke", resource,
                      OWNER, {})
    statement = policy.statements[0]
    sym = SymbolicRequest.for_policies([policy], requests=[request])
    expected = evaluator_applies(statement, policy, request)
    assert value_under(statement_applies(statement, policy, sym), sym, request) == expected


def test_the_shorthand_matches_the_requests_own_api() -> None:
    policy = _policy(_grant("execute-api:Invoke", "execute-api:/prod/*"))
    caller = parse_principal("arn:aws:iam::444455556666:root", source="t")

    def decision(resource: str) -> Decision:
        return evaluate(Request(caller, "execute-api:Invoke", resource, OWNER, {}),
                        PolicySet(resource_policy=policy)).decision

    assert decision(f"arn:aws:execute-api:{R}:abc123/prod/GET/pets") is Decision.ALLOW
    assert decision(f"arn:aws:execute-api:{R}:abc123/dev/GET/prod/pets") is Decision.IMPLICIT_DENY
    assert decision(f"arn:aws:sqs:{R}:abc123/prod/GET/pets") is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(("arn", "kind"), [
    ("arn:aws:s3:::bucket/key", "AWS::S3::Bucket"),
    (f"arn:aws:backup:{R}:backup-vault:vault-1", "AWS::Backup::BackupVault"),
    (f"arn:aws:kinesis:{R}:stream/s/consumer/c:1700000000", "AWS::Kinesis::StreamConsumer"),
    (f"arn:aws:s3tables:{R}:bucket/lake/table/t1", "AWS::S3Tables::TableBucket"),
    (f"arn:aws-cn:sqs:cn-north-1:{OWNER}:q", "AWS::SQS::Queue"),
    (f"arn:aws:ec2:{R}:instance/i-1", None),
])
def test_an_arn_names_its_type(arn: str, kind: str | None) -> None:
    from reasoner.policy.resource_types import type_of_arn

    found = type_of_arn(arn)
    assert (found.name if found is not None else None) == kind


def test_the_shorthand_names_a_rest_api_for_the_fit_check() -> None:
    from reasoner.policy.resource_fit import can_name, template_globs

    api = template_globs(resource_type("AWS::ApiGateway::RestApi").arn_templates)
    assert any(can_name("execute-api:/prod/GET/*", target) for target in api)
    assert not any(can_name("execute-api:/prod/*", target)
                   for target in template_globs(resource_type("AWS::SQS::Queue").arn_templates))


# Every type of the table in perimeter files, so prove reads them (and the IaC
# sources that join a perimeter with them)
PROVE_CASES = {
    "AWS::EFS::FileSystem": (f"arn:aws:elasticfilesystem:{R}:file-system/fs-0123456789abcdef0",
                             "elasticfilesystem:ClientMount", "{arn}"),
    "AWS::OpenSearchService::Domain": (f"arn:aws:es:{R}:domain/logs", "es:ESHttpGet", "{arn}/*"),
    "AWS::Backup::BackupVault": (f"arn:aws:backup:{R}:backup-vault:vault-1", "backup:CopyIntoBackupVault", "{arn}"),
    # requests are on API-ID/STAGE/METHOD/PATH under the API's ARN (a prove over the
    # API's own ARN alone found no request: a false PASS)
    "AWS::ApiGateway::RestApi": (f"arn:aws:execute-api:{R}:a1b2c3d4e5", "execute-api:Invoke", "{arn}/*"),
}


@pytest.mark.parametrize("kind", sorted(PROVE_CASES))
@pytest.mark.parametrize("public", [True, False])
def test_prove_reads_the_new_types_from_a_perimeter_file(tmp_path: Any, kind: str, public: bool) -> None:
    from reasoner.inputs.perimeter_file import load_perimeter
    from reasoner.prove.findings import Status
    from reasoner.prove.proof import prove_perimeter

    arn, action, resource = PROVE_CASES[kind]
    grant: dict[str, Any] = {"Sid": "Grant", "Effect": "Allow", "Principal": "*", "Action": action,
                             "Resource": resource.format(arn=arn)}
    if not public:
        grant["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    (tmp_path / "policy.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
    (tmp_path / "perimeter.yaml").write_text("\n".join([
        "zone:", "  organization_ids: [o-a1b2c3d4e5]",
        "organization:", "  root:", "    accounts:", f'      - "{OWNER}"',
        "resources:", f"  - arn: {arn}", f"    type: {kind}", f'    account: "{OWNER}"', "    policy: policy.json",
        "invariants:", "  - only-trusted-identities", ""]))
    report = prove_perimeter(load_perimeter(tmp_path / "perimeter.yaml"), max_findings=2)
    (result,) = report.results
    assert result.status is (Status.FAIL if public else Status.PASS)
    for finding in result.findings:
        assert finding.witness_request.action.lower() == action.lower()
        assert finding.witness_request.resource.startswith(arn)
