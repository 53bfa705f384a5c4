"""AWS's size quotas of policy documents (issue #17: a policy holding a 1 MB string took
8 to 17 s and 1.7 GB of memory). No such policy can exist in AWS, so a document over the
largest quota of its kind is bad input, named with the quota it breaks.
docs/input-limits.md lists them with their sources.

How a document is measured: the characters of its JSON without any white space, inside
strings or out. IAM counts that way ("IAM does not count white space when calculating
the size of a policy against these quotas", IAM User Guide, "IAM and AWS STS quotas").
Services that count white space (VPC endpoint policies: "20,480 characters, including
white space"; DynamoDB) or bytes (S3's 20 KB, KMS's 32 KB, SQS's 8,192 bytes) count at
least as much, so a document this measure puts over a quota is over it however AWS
counts; the measure never rejects a document AWS would take.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.model import PolicyType

_IAM = "IAM User Guide, IAM and AWS STS quotas"
_WHITE_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Quota:
    characters: int
    what: str  # "a customer managed policy"
    source: str  # the AWS page that states it


# IAM (IAM User Guide, "IAM and AWS STS quotas", character limits)
MANAGED = Quota(6_144, "a customer managed policy", _IAM)
INLINE = {
    "user": Quota(2_048, "the inline policies of a user, together", _IAM),
    "role": Quota(10_240, "the inline policies of a role, together", _IAM),
    "group": Quota(5_120, "the inline policies of a group, together", _IAM),
}
# 2,048 by default; the quota "Role trust policy length" is raised on request up to 8,192
# (older versions of the page: 4,096). The largest is what a real role may hold.
TRUST = Quota(8_192, "a role trust policy (2,048 by default, raised up to 8,192)", _IAM)
# An identity policy of unknown kind may be an AWS managed policy, which no published
# quota bounds: AWSSupportServiceRolePolicy holds 152,297 characters without white space,
# over even the 131,072 of the IAM API's PolicyDetail. Ours: 256 Ki, above every AWS
# managed policy (iam-dataset in the corpus; tests/test_corpus_parse.py reads them all).
ANY_IDENTITY = Quota(262_144, "an identity policy of any kind (ours: above the largest AWS managed policy, "
                              "152,297)", "docs/input-limits.md")
# "The plaintext that you use for both inline and managed session policies can't exceed
# 2,048 characters" (STS API Reference, AssumeRole, Policy)
SESSION = Quota(2_048, "a session policy", "STS API Reference, AssumeRole")
_ORGANIZATIONS = "AWS Organizations User Guide, Quotas for AWS Organizations"
SCP = Quota(5_120, "a service control policy", _ORGANIZATIONS)
RCP = Quota(5_120, "a resource control policy", _ORGANIZATIONS)
VPC_ENDPOINT = Quota(20_480, "a VPC endpoint policy", "Amazon VPC User Guide, endpoint policies")

# Resource-based policies by CloudFormation type
RESOURCE = {
    "AWS::S3::Bucket": Quota(20_480, "an S3 bucket policy (20 KB)", "Amazon S3 User Guide, bucket policies"),
    "AWS::KMS::Key": Quota(32_768, "a KMS key policy (32 KB)", "AWS KMS Developer Guide, key policy format"),
    "AWS::SQS::Queue": Quota(8_192, "an SQS queue policy (8,192 bytes)", "Amazon SQS Developer Guide, policy quotas"),
    "AWS::SNS::Topic": Quota(30_720, "an SNS topic policy (30 KB)", "Amazon SNS Developer Guide, policy quotas"),
    "AWS::Lambda::Function": Quota(20_480, "a Lambda function's resource-based policy (20 KB)",
                                   "AWS Lambda Developer Guide, quotas"),
    "AWS::SecretsManager::Secret": Quota(20_480, "a Secrets Manager resource policy",
                                         "AWS Secrets Manager User Guide, quotas"),
    "AWS::ECR::Repository": Quota(10_240, "an ECR repository policy", "Amazon ECR User Guide, service quotas"),
    "AWS::DynamoDB::Table": Quota(20_480, "a DynamoDB resource-based policy (20 KB)",
                                  "DynamoDB API Reference, PutResourcePolicy"),
}
# A resource-based policy of no known type: the largest quota above (a KMS key policy's)
ANY_RESOURCE = Quota(32_768, "a resource-based policy (the largest quota of any type: a KMS key policy's 32 KB)",
                     "AWS KMS Developer Guide, key policy format")

_BY_TYPE = {
    PolicyType.IDENTITY: ANY_IDENTITY,
    PolicyType.BOUNDARY: ANY_IDENTITY,  # a managed policy, maybe an AWS managed one
    PolicyType.SESSION: SESSION,
    PolicyType.TRUST: TRUST,
    PolicyType.SCP: SCP,
    PolicyType.RCP: RCP,
    PolicyType.VPC_ENDPOINT: VPC_ENDPOINT,
    PolicyType.RESOURCE: ANY_RESOURCE,
}


def type_quota(policy_type: PolicyType) -> Quota:
    """The largest quota of a policy of this type, where nothing more is known of it."""
    return _BY_TYPE[policy_type]


def resource_quota(resource_type: str) -> Quota:
    """The quota of a resource-based policy on a resource of this CloudFormation type."""
    if resource_type == "AWS::IAM::Role":
        return TRUST
    return RESOURCE.get(resource_type, ANY_RESOURCE)


def document_size(document: Any) -> int:
    """Characters of the document's JSON without any white space (see the module's docstring)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(_WHITE_SPACE.sub("", text))


def over_quota(size: int, quota: Quota) -> str | None:
    """The message for a size over the quota, or None."""
    if size <= quota.characters:
        return None
    return (f"{size:,} characters (not counting white space) is over AWS's quota of {quota.characters:,} "
            f"for {quota.what} ({quota.source})")


def check_size(document: Any, quota: Quota, source: str, path: str) -> None:
    """An InputError naming the quota when the document is over it."""
    problem = over_quota(document_size(document), quota)
    if problem is not None:
        raise InputError(source, path, problem)
