"""Pagination of the listings moto answers in one page whatever the page size
(IAM GetAccountAuthorizationDetails, S3 ListBuckets, KMS ListKeys, SNS ListTopics, ECR
DescribeRepositories, EC2 DescribeVpcEndpoints, Organizations ListRoots and
ListDelegatedAdministrators): botocore's Stubber answers with pages in the shapes of
the real responses (the Stubber checks each against the service model), and the
collector must read every page."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from reasoner.collect.buckets import Parts, read_access_points
from reasoner.collect.buckets import _object_acls as bucket_objects
from reasoner.collect.calls import Recorder
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.iam import FILTER, read_iam
from reasoner.collect.manifest import Manifest
from reasoner.collect.organization import _delegated
from reasoner.collect.resources import read_ecr, read_kms, read_lambda, read_s3, read_sns, read_vpc_endpoints

ACCOUNT = "111122223333"
REGION = "eu-west-1"
WHEN = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
CANONICAL = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
POLICY = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
          '"Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}]}')


class StubbedClients:
    """A real botocore client per (service, region), each behind a Stubber."""

    def __init__(self) -> None:
        self.session = botocore.session.Session()
        self.clients: dict[tuple[str, str], Any] = {}
        self.stubbers: dict[tuple[str, str], Stubber] = {}

    def stub(self, service: str, region: str = REGION) -> Stubber:
        key = (service, region)
        if key not in self.clients:
            self.clients[key] = self.session.create_client(service, region_name=region,
                                                           aws_access_key_id="AKIDEXAMPLE",
                                                           aws_secret_access_key="example")
            self.stubbers[key] = Stubber(self.clients[key])
            self.stubbers[key].activate()
        return self.stubbers[key]

    def client(self, service: str, region: str) -> Any:
        self.stub(service, region)
        return self.clients[(service, region)]

    def done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


@pytest.fixture
def stubs() -> Iterator[StubbedClients]:
    found = StubbedClients()
    yield found
    found.done()


def context(stubs: StubbedClients) -> AccountContext:
    return AccountContext(ACCOUNT, f"arn:aws:sts::{ACCOUNT}:assumed-role/Audit/perimeter-collect", stubs,
                          Recorder(Manifest(), page_size=None), REGION, (REGION,))


def _role(name: str) -> dict[str, Any]:
    return {"Path": "/", "RoleName": name, "RoleId": "AROAEXAMPLEEXAMPLE01", "CreateDate": WHEN,
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
            "RolePolicyList": [], "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess",
                                                              "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
            "Tags": []}


def _managed(arn: str) -> dict[str, Any]:
    return {"PolicyName": arn.rsplit("/", 1)[-1], "Arn": arn, "DefaultVersionId": "v1",
            "PolicyVersionList": [{"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
                                   "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": WHEN}]}


def test_authorization_details_pages_are_merged(stubs: StubbedClients) -> None:
    iam = stubs.stub("iam", REGION)
    iam.add_response("get_account_authorization_details",
                     {"RoleDetailList": [_role("first")], "UserDetailList": [], "GroupDetailList": [],
                      "Policies": [_managed("arn:aws:iam::aws:policy/ReadOnlyAccess")], "IsTruncated": True,
                      "Marker": "page-2"}, {"Filter": FILTER})
    iam.add_response("get_account_authorization_details",
                     {"RoleDetailList": [_role("second")], "UserDetailList": [], "GroupDetailList": [],
                      "Policies": [_managed("arn:aws:iam::aws:policy/NotAttached"),
                                   _managed(f"arn:aws:iam::{ACCOUNT}:policy/local")], "IsTruncated": False},
                     {"Filter": FILTER, "Marker": "page-2"})
    contents = Contents()
    ctx = context(stubs)
    read_iam(ctx, contents)
    details = contents.iam[ACCOUNT]
    assert [r["RoleName"] for r in details["RoleDetailList"]] == ["first", "second"]
    # the unattached AWS managed policy is left out; the customer managed one kept
    assert [p["Arn"] for p in details["Policies"]] == ["arn:aws:iam::aws:policy/ReadOnlyAccess",
                                                       f"arn:aws:iam::{ACCOUNT}:policy/local"]
    assert set(details) == {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}
    assert ctx.manifest.calls["iam:GetAccountAuthorizationDetails"] == 2


def test_bucket_listing_pages(stubs: StubbedClients) -> None:
    s3 = stubs.stub("s3", REGION)
    s3.add_response("list_buckets", {"Buckets": [{"Name": "first-bucket", "CreationDate": WHEN,
                                                  "BucketRegion": REGION}], "ContinuationToken": "next",
                                     "Owner": {"ID": CANONICAL, "DisplayName": "owner"}}, {})
    s3.add_response("list_buckets", {"Buckets": [{"Name": "second-bucket", "CreationDate": WHEN}]},
                    {"ContinuationToken": "next"})
    stubs.stub("s3control").add_client_error("get_public_access_block", "NoSuchPublicAccessBlockConfiguration",
                                             http_status_code=404, expected_params={"AccountId": ACCOUNT})
    s3.add_response("get_bucket_policy", {"Policy": POLICY}, {"Bucket": "first-bucket"})
    s3.add_client_error("get_bucket_tagging", "NoSuchTagSet", http_status_code=404,
                        expected_params={"Bucket": "first-bucket"})
    s3.add_response("get_bucket_acl", {"Owner": {"ID": CANONICAL, "DisplayName": "owner"}, "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": CANONICAL, "DisplayName": "owner"}, "Permission": "FULL_CONTROL"}]},
        {"Bucket": "first-bucket"})
    s3.add_response("get_bucket_ownership_controls", {"OwnershipControls": {"Rules": [
        {"ObjectOwnership": "BucketOwnerEnforced"}]}}, {"Bucket": "first-bucket"})
    s3.add_response("get_public_access_block", {"PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}},
        {"Bucket": "first-bucket"})
    s3.add_response("get_bucket_location", {"LocationConstraint": "us-west-2"}, {"Bucket": "second-bucket"})
    contents = Contents()
    ctx = context(stubs)
    read_s3(ctx, contents, (REGION,))
    assert list(contents.resources) == ["arn:aws:s3:::first-bucket"]
    entry = contents.resources["arn:aws:s3:::first-bucket"]
    assert entry["tags"] == {} and entry["object_ownership"] == "BucketOwnerEnforced"
    # display names are left out; no object ACLs are needed where Object Ownership disables ACLs
    assert entry["acl"] == {"Owner": {"ID": CANONICAL}, "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": CANONICAL}, "Permission": "FULL_CONTROL"}]}
    assert entry["public_access_block"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    assert "object_acls" not in entry
    assert contents.s3_accounts == {ACCOUNT: {"canonical_id": CANONICAL}}
    (piece,) = ctx.manifest.missing  # the second bucket is in a region not collected
    assert piece.arn == "arn:aws:s3:::second-bucket" and "us-west-2" in piece.reason


def test_key_listing_pages(stubs: StubbedClients) -> None:
    kms = stubs.stub("kms")
    arns = [f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{n}" for n in ("k-1", "k-2")]
    kms.add_response("list_keys", {"Keys": [{"KeyId": "k-1", "KeyArn": arns[0]}], "Truncated": True,
                                   "NextMarker": "m"}, {})
    kms.add_response("list_keys", {"Keys": [{"KeyId": "k-2", "KeyArn": arns[1]}], "Truncated": False},
                     {"Marker": "m"})
    for key_id, manager in (("k-1", "CUSTOMER"), ("k-2", "AWS")):
        kms.add_response("describe_key", {"KeyMetadata": {"KeyId": key_id, "KeyManager": manager}}, {"KeyId": key_id})
        kms.add_response("get_key_policy", {"Policy": POLICY}, {"KeyId": key_id, "PolicyName": "default"})
        if manager == "CUSTOMER":  # tags of a customer key, over two pages
            kms.add_response("list_resource_tags", {"Tags": [{"TagKey": "a", "TagValue": "1"}], "Truncated": True,
                                                    "NextMarker": "t"}, {"KeyId": key_id})
            kms.add_response("list_resource_tags", {"Tags": [{"TagKey": "b", "TagValue": "2"}], "Truncated": False},
                             {"KeyId": key_id, "Marker": "t"})
        arn = arns[0] if key_id == "k-1" else arns[1]
        kms.add_response("list_grants", {"Grants": [_grant(arn, "g-1")], "Truncated": True, "NextMarker": "g"},
                         {"KeyId": key_id})
        kms.add_response("list_grants", {"Grants": [_grant(arn, "g-2")], "Truncated": False},
                         {"KeyId": key_id, "Marker": "g"})
    contents = Contents()
    read_kms(context(stubs), contents, REGION)
    assert list(contents.resources) == arns
    assert contents.resources[arns[0]]["tags"] == {"a": "1", "b": "2"}
    grants = contents.resources[arns[1]]["kms_grants"]["Grants"]  # ListGrants's answer, every page
    assert [g["GrantId"] for g in grants] == ["g-1", "g-2"] and "CreationDate" not in grants[0]


def _grant(arn: str, grant_id: str) -> dict[str, Any]:
    """A grant as ListGrants returns it (KMS API Reference, ListGrants, example response)."""
    return {"KeyId": arn, "GrantId": grant_id, "Name": "billing", "CreationDate": WHEN,
            "GranteePrincipal": "arn:aws:iam::444455556666:role/partner",
            "IssuingAccount": f"arn:aws:iam::{ACCOUNT}:root",
            "Operations": ["Decrypt", "DescribeKey"], "Constraints": {"EncryptionContextSubset": {"app": "billing"}}}


def test_access_point_listing_pages(stubs: StubbedClients) -> None:
    control = stubs.stub("s3control")
    point = {"Name": "ap-1", "NetworkOrigin": "VPC", "VpcConfiguration": {"VpcId": "vpc-0123456789abcdef0"},
             "Bucket": "first-bucket", "AccessPointArn": f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/ap-1"}
    second = {"Name": "ap-2", "NetworkOrigin": "Internet", "Bucket": "first-bucket",
              "AccessPointArn": f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/ap-2"}
    control.add_response("list_access_points", {"AccessPointList": [point], "NextToken": "n"}, {"AccountId": ACCOUNT})
    control.add_response("list_access_points", {"AccessPointList": [second]}, {"AccountId": ACCOUNT, "NextToken": "n"})
    control.add_response("get_access_point_policy", {"Policy": POLICY}, {"AccountId": ACCOUNT, "Name": "ap-1"})
    control.add_response("get_access_point", {"Name": "ap-1", "Bucket": "first-bucket", "NetworkOrigin": "VPC",
                                              "PublicAccessBlockConfiguration": {"RestrictPublicBuckets": True}},
                         {"AccountId": ACCOUNT, "Name": "ap-1"})
    control.add_client_error("get_access_point_policy", "NoSuchAccessPointPolicy", http_status_code=404,
                             expected_params={"AccountId": ACCOUNT, "Name": "ap-2"})
    control.add_client_error("get_access_point", "AccessDenied", http_status_code=403,
                             expected_params={"AccountId": ACCOUNT, "Name": "ap-2"})
    contents = Contents()
    ctx = context(stubs)
    read_access_points(ctx, contents, REGION)
    first, other = (contents.resources[p["AccessPointArn"]] for p in (point, second))
    assert first["vpc_id"] == "vpc-0123456789abcdef0" and first["bucket"] == "first-bucket"
    assert first["public_access_block"] == {"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": True}}
    assert first["policy"] is not None
    assert other["policy"] is None and "vpc_id" not in other and "public_access_block" not in other
    (piece,) = ctx.manifest.missing  # the second's Block Public Access: named, the rest written
    assert piece.kind == "public-access-block" and piece.arn == second["AccessPointArn"]


def test_object_acls_are_read_up_to_the_limit(stubs: StubbedClients) -> None:
    s3 = stubs.stub("s3")
    acl = {"Owner": {"ID": CANONICAL}, "Grants": [{"Grantee": {"Type": "Group",
                                                               "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                                                   "Permission": "READ"}]}
    s3.add_response("get_bucket_versioning", {}, {"Bucket": "b"})
    s3.add_response("list_objects_v2", {"Contents": [{"Key": "a"}], "IsTruncated": True,
                                        "NextContinuationToken": "c"}, {"Bucket": "b", "MaxKeys": 3})
    s3.add_response("list_objects_v2", {"Contents": [{"Key": "b"}, {"Key": "c"}], "IsTruncated": True,
                                        "NextContinuationToken": "d"}, {"Bucket": "b", "MaxKeys": 2,
                                                                        "ContinuationToken": "c"})
    for key in ("a", "b"):
        s3.add_response("get_object_acl", acl, {"Bucket": "b", "Key": key})
    ctx = context(stubs)
    found = bucket_objects(Parts(ctx, REGION, "arn:aws:s3:::b"), ctx.client("s3", REGION), "b", 2, None)
    assert sorted(found) == ["a", "b"] and found["a"] == acl
    (piece,) = ctx.manifest.missing  # a third object: the bucket's objects' ACLs are not all known
    assert piece.kind == "object-acls" and "more than 2 objects" in piece.reason


def test_topic_listing_pages(stubs: StubbedClients) -> None:
    sns = stubs.stub("sns")
    arns = [f"arn:aws:sns:{REGION}:{ACCOUNT}:t{n}" for n in (1, 2)]
    sns.add_response("list_topics", {"Topics": [{"TopicArn": arns[0]}], "NextToken": "n"}, {})
    sns.add_response("list_topics", {"Topics": [{"TopicArn": arns[1]}]}, {"NextToken": "n"})
    for arn in arns:
        sns.add_response("get_topic_attributes", {"Attributes": {"TopicArn": arn, "Policy": POLICY}}, {"TopicArn": arn})
        sns.add_response("list_tags_for_resource", {"Tags": [{"Key": "k", "Value": "v"}]}, {"ResourceArn": arn})
    contents = Contents()
    read_sns(context(stubs), contents, REGION)
    assert list(contents.resources) == arns and contents.resources[arns[1]]["tags"] == {"k": "v"}


def test_repository_listing_pages(stubs: StubbedClients) -> None:
    ecr = stubs.stub("ecr")
    repositories = [{"repositoryName": f"r{n}", "registryId": ACCOUNT,
                     "repositoryArn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/r{n}"} for n in (1, 2)]
    ecr.add_response("describe_repositories", {"repositories": [repositories[0]], "nextToken": "n"}, {})
    ecr.add_response("describe_repositories", {"repositories": [repositories[1]]}, {"nextToken": "n"})
    ecr.add_response("get_repository_policy", {"policyText": POLICY}, {"repositoryName": "r1", "registryId": ACCOUNT})
    ecr.add_response("list_tags_for_resource", {"tags": []}, {"resourceArn": repositories[0]["repositoryArn"]})
    ecr.add_client_error("get_repository_policy", "RepositoryPolicyNotFoundException",
                         expected_params={"repositoryName": "r2", "registryId": ACCOUNT})
    ecr.add_response("list_tags_for_resource", {"tags": []}, {"resourceArn": repositories[1]["repositoryArn"]})
    contents = Contents()
    read_ecr(context(stubs), contents, REGION)
    assert [entry["policy"] is None for entry in contents.resources.values()] == [False, True]


def test_endpoint_listing_pages(stubs: StubbedClients) -> None:
    ec2 = stubs.stub("ec2")
    ec2.add_response("describe_vpc_endpoints", {"VpcEndpoints": [
        {"VpcEndpointId": "vpce-0123456789abcdef0", "VpcId": "vpc-0123456789abcdef0", "OwnerId": ACCOUNT,
         "ServiceName": f"com.amazonaws.{REGION}.s3", "PolicyDocument": POLICY.replace("444455556666", ACCOUNT)}],
        "NextToken": "n"}, {})
    ec2.add_response("describe_vpc_endpoints", {"VpcEndpoints": [
        {"VpcEndpointId": "vpce-0123456789abcdef1", "VpcId": "vpc-0123456789abcdef0", "OwnerId": ACCOUNT,
         "ServiceName": f"com.amazonaws.{REGION}.ecr.api"}]}, {"NextToken": "n"})
    contents = Contents()
    read_vpc_endpoints(context(stubs), contents, REGION)
    assert [(e["id"], e["service"], "policy" in e) for e in contents.endpoints] == [
        ("vpce-0123456789abcdef0", "s3", True), ("vpce-0123456789abcdef1", "ecr", False)]


def test_delegated_administrators_page(stubs: StubbedClients) -> None:
    org = stubs.stub("organizations", REGION)
    org.add_response("list_delegated_administrators", {"DelegatedAdministrators": [{"Id": "444455556666",
                                                                                   "Name": "security"}],
                                                       "NextToken": "n"}, {})
    org.add_response("list_delegated_administrators", {"DelegatedAdministrators": [{"Id": "777788889999"}]},
                     {"NextToken": "n"})
    for account, service in (("444455556666", "guardduty.amazonaws.com"), ("777788889999", "config.amazonaws.com")):
        org.add_response("list_delegated_services_for_account",
                         {"DelegatedServices": [{"ServicePrincipal": service, "DelegationEnabledDate": WHEN}]},
                         {"AccountId": account})
    found = _delegated(context(stubs))
    assert found == [{"account": "444455556666", "name": "security", "services": ["guardduty.amazonaws.com"]},
                     {"account": "777788889999", "name": None, "services": ["config.amazonaws.com"]}]


def test_lambda_versions_and_aliases_pages(stubs: StubbedClients) -> None:
    lam = stubs.stub("lambda")
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:report"
    policy = POLICY.replace('"Resource":"*"', f'"Resource":"{arn}:live"')
    lam.add_response("list_functions", {"Functions": [{"FunctionName": "report", "FunctionArn": arn}]}, {})
    lam.add_client_error("get_policy", "ResourceNotFoundException", http_status_code=404,
                         expected_params={"FunctionName": arn})
    lam.add_response("list_tags", {"Tags": {"team": "data"}}, {"Resource": arn})
    lam.add_response("list_versions_by_function", {"Versions": [{"FunctionArn": arn, "Version": "$LATEST"}],
                                                   "NextMarker": "v"}, {"FunctionName": "report"})
    lam.add_response("list_versions_by_function", {"Versions": [{"FunctionArn": f"{arn}:1", "Version": "1"}]},
                     {"FunctionName": "report", "Marker": "v"})
    lam.add_response("list_aliases", {"Aliases": [{"AliasArn": f"{arn}:live", "Name": "live",
                                                   "FunctionVersion": "1"}]}, {"FunctionName": "report"})
    lam.add_client_error("get_policy", "ResourceNotFoundException", http_status_code=404,
                         expected_params={"FunctionName": "report", "Qualifier": "1"})
    lam.add_response("get_policy", {"Policy": policy}, {"FunctionName": "report", "Qualifier": "live"})
    contents = Contents()
    read_lambda(context(stubs), contents, REGION)
    assert list(contents.resources) == [arn, f"{arn}:1", f"{arn}:live"]
    assert contents.resources[f"{arn}:live"]["policy"]["Statement"][0]["Resource"] == f"{arn}:live"
    assert contents.resources[f"{arn}:1"]["policy"] is None and contents.resources[f"{arn}:1"]["tags"] == {
        "team": "data"}
