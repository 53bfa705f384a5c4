"""A three-account organization built through the AWS API (on the tests' moto server),
and the same organization written by hand in the snapshot layout.

Management account (moto's own, 123456789012), and in the OU `workloads`: prod and
dev. prod holds the bucket `prod-data` whose policy lets any principal of the
organization read it, a KMS key, a queue, and a role `app` for EC2. dev holds
`partner-integration`, a role meant for one partner whose trust policy names
everybody (`leaky`) or only the organization (`fixed`), allowed to read the bucket:
the planted path is outside-org -> partner-integration -> prod-data. An SCP on the
OU denies leaving the organization; an RCP on the root denies S3 requests without
TLS.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
BUCKET = "prod-data"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
ROLE = "OrganizationAccountAccessRole"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


SCP = doc({"Sid": "StayInOrg", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"})
RCP = doc({"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
           "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}})
EC2_TRUST = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
READ_BUCKET = doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                   "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"]})


def org_bucket_policy(org_id: str) -> dict[str, Any]:
    return doc({"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"{BUCKET_ARN}/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": org_id}}})


def partner_trust(org_id: str, leaky: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    if not leaky:
        statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": org_id}}
    return doc(statement)


def queue_policy(account: str, org_id: str) -> dict[str, Any]:
    return doc({"Sid": "OrgSend", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                "Resource": f"arn:aws:sqs:{REGION}:{account}:orders",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": org_id}}})


def key_policy(account: str) -> dict[str, Any]:
    return doc({"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "kms:*", "Resource": "*"})


def assumed_role_trust(management: str) -> dict[str, Any]:
    """The trust policy moto gives the role AWS Organizations creates in a new account."""
    return doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:root"},
                "Action": "sts:AssumeRole"})


@dataclass
class BuiltOrganization:
    url: str
    org_id: str
    root: str
    management: str
    prod: str
    dev: str
    ou: str
    key_arn: str = ""
    clients: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def client(self, service: str, account: str | None = None, region: str = REGION) -> Any:
        account = account or self.management
        key = (service, account, region)
        if key not in self.clients:
            credentials: dict[str, str] = {}
            if account != self.management:
                sts = boto3.client("sts", endpoint_url=self.url, region_name=REGION)
                found = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}",
                                        RoleSessionName="test-setup")["Credentials"]
                credentials = {"aws_access_key_id": found["AccessKeyId"],
                               "aws_secret_access_key": found["SecretAccessKey"],
                               "aws_session_token": found["SessionToken"]}
            self.clients[key] = boto3.client(service, endpoint_url=self.url, region_name=region, **credentials)
        return self.clients[key]


def build_organization(url: str, *, leaky: bool = True) -> BuiltOrganization:
    org = boto3.client("organizations", endpoint_url=url, region_name=REGION)
    described = org.create_organization(FeatureSet="ALL")["Organization"]
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    accounts = {}
    for name in ("prod", "dev"):
        account = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
        accounts[name] = account
    built = BuiltOrganization(url, described["Id"], root, described["MasterAccountId"], accounts["prod"],
                             accounts["dev"], ou)
    scp = org.create_policy(Name="stay-in-org", Description="", Type="SERVICE_CONTROL_POLICY",
                            Content=json.dumps(SCP))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=scp, TargetId=ou)
    rcp = org.create_policy(Name="tls-only", Description="", Type="RESOURCE_CONTROL_POLICY",
                            Content=json.dumps(RCP))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=rcp, TargetId=root)

    prod_iam = built.client("iam", built.prod)
    prod_iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(EC2_TRUST),
                         Tags=[{"Key": "team", "Value": "data"}])
    prod_iam.put_role_policy(RoleName="app", PolicyName="read", PolicyDocument=json.dumps(READ_BUCKET))
    s3 = built.client("s3", built.prod)
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership="BucketOwnerEnforced")  # AWS's default: ACLs disabled
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(org_bucket_policy(built.org_id)))
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "data", "Value": "prod"}]})
    kms = built.client("kms", built.prod)
    built.key_arn = kms.create_key(Policy=json.dumps(key_policy(built.prod)))["KeyMetadata"]["Arn"]
    sqs = built.client("sqs", built.prod)
    sqs.create_queue(QueueName="orders", Attributes={"Policy": json.dumps(queue_policy(built.prod, built.org_id))})

    dev_iam = built.client("iam", built.dev)
    dev_iam.create_role(RoleName="partner-integration",
                        AssumeRolePolicyDocument=json.dumps(partner_trust(built.org_id, leaky)))
    dev_iam.put_role_policy(RoleName="partner-integration", PolicyName="read",
                            PolicyDocument=json.dumps(READ_BUCKET))
    return built


# -- the same organization by hand ----------------------------------------------------


def _role(account: str, name: str, trust: dict[str, Any], policies: dict[str, dict[str, Any]] | None = None,
          tags: dict[str, str] | None = None) -> dict[str, Any]:
    return {"Path": "/", "RoleName": name, "Arn": f"arn:aws:iam::{account}:role/{name}",
            "AssumeRolePolicyDocument": urllib.parse.quote(json.dumps(trust)),
            "RolePolicyList": [{"PolicyName": k, "PolicyDocument": urllib.parse.quote(json.dumps(v))}
                               for k, v in (policies or {}).items()],
            "AttachedManagedPolicies": [], "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}


def _export(*roles: dict[str, Any]) -> dict[str, Any]:
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": list(roles), "Policies": []}


def write_by_hand(folder: Path, built: BuiltOrganization, *, leaky: bool = True) -> Path:
    """The organization as a person would write it from the AWS CLI's outputs: the
    other layout (resources/ACCOUNT/ files, inline organization policies)."""
    iam = folder / "iam"
    iam.mkdir(parents=True)
    trust = assumed_role_trust(built.management)
    exports = {
        built.management: _export(),
        built.prod: _export(_role(built.prod, ROLE, trust),
                            _role(built.prod, "app", EC2_TRUST, {"read": READ_BUCKET}, {"team": "data"})),
        built.dev: _export(_role(built.dev, ROLE, trust),
                           _role(built.dev, "partner-integration", partner_trust(built.org_id, leaky),
                                 {"read": READ_BUCKET})),
    }
    for account, export in exports.items():
        (iam / f"{account}.json").write_text(json.dumps(export), encoding="utf-8")
    bucket = folder / "resources" / built.prod
    bucket.mkdir(parents=True)
    (bucket / (urllib.parse.quote(BUCKET_ARN, safe="") + ".json")).write_text(
        json.dumps(org_bucket_policy(built.org_id)), encoding="utf-8")
    queue = f"arn:aws:sqs:{REGION}:{built.prod}:orders"
    (folder / "resources" / (urllib.parse.quote(queue, safe="") + ".json")).write_text(
        json.dumps(queue_policy(built.prod, built.org_id)), encoding="utf-8")
    (folder / "resources" / (urllib.parse.quote(built.key_arn, safe="") + ".json")).write_text(
        json.dumps(key_policy(built.prod)), encoding="utf-8")
    organization = {
        "id": built.org_id, "management_account": built.management,
        "root": {"scps": ["FullAWSAccess"], "rcps": [RCP],
                 "accounts": [{"id": built.management, "name": "master", "scps": ["FullAWSAccess"]}],
                 "ous": [{"name": "workloads", "scps": ["FullAWSAccess", SCP],
                          "accounts": [{"id": built.prod, "name": "prod", "scps": ["FullAWSAccess"]},
                                       {"id": built.dev, "name": "dev", "scps": ["FullAWSAccess"]}]}]},
    }
    (folder / "organization.json").write_text(json.dumps(organization), encoding="utf-8")
    return folder
