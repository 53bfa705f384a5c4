"""Resource policies and tags, per account and region, of every resource type the tool
models (the snapshot's `resources.json`: {ARN: {policy, account, tags}}), and the VPC
endpoints with their policies (`vpc_endpoints.json`).

Per resource type: one listing, then for each resource its policy and its tags (the
calls of docs/collect.md). A listing that fails names the service, account and region
missing; a policy or tags that cannot be read name the resource missing (it is not
written); AWS's "there is none" answers (NoSuchBucketPolicy, ...) are a resource
without a policy. A resource deleted while it was read is recorded and left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reasoner.collect.buckets import account_facts, bucket_parts, key_grants, read_access_points
from reasoner.collect.calls import CallFailed
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.documents import UnreadablePolicy, fits, policy_document, tag_map
from reasoner.collect.manifest import RESOURCE, RESOURCES, VPC_ENDPOINTS
from reasoner.policy.model import PolicyType

# A resource deleted between its listing and the read of its policy.
_GONE = {"NoSuchBucket", "NotFoundException", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
         "NotFound", "RepositoryNotFoundException", "ResourceNotFoundException", "TableNotFoundException"}


class _Resource:
    """Reads one resource's policy and tags; a failure names the resource missing."""

    def __init__(self, ctx: AccountContext, contents: Contents, region: str, arn: str) -> None:
        self.ctx, self.contents, self.region, self.arn = ctx, contents, region, arn

    def __enter__(self) -> _Resource:
        return self

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> bool:
        if isinstance(error, CallFailed):
            if error.failure.error in _GONE:
                self.ctx.manifest.note(f"{self.arn} was deleted while it was read ({error.reason}); left out")
            else:
                self.ctx.lack(RESOURCE, error.reason, account=self.ctx.account, region=self.region, arn=self.arn)
            return True
        if isinstance(error, UnreadablePolicy):
            self.ctx.lack(RESOURCE, f"policy not understood: {error}", account=self.ctx.account,
                          region=self.region, arn=self.arn)
            return True
        return False

    def call(self, client: Any, method: str, absent: tuple[str, ...] = (), **params: Any) -> dict[str, Any] | None:
        return self.ctx.recorder.call(self.ctx.scope(self.region), client, method, target=self.arn, absent=absent,
                                      **params)

    def policy(self, text: Any) -> Any:
        if text in (None, ""):
            return None
        document = policy_document(text, PolicyType.RESOURCE, self.arn)
        fits(document, self.arn, self.ctx.account)
        return document

    def add(self, policy: Any, tags: dict[str, str], extras: dict[str, Any] | None = None) -> None:
        self.contents.add_resource(self.arn, self.ctx.account, policy, tags, extras)


Reader = Callable[[AccountContext, Contents, str], None]


def _listing(ctx: AccountContext, region: str, service: str, method: str, key: str, **params: Any) -> list[Any] | None:
    client = ctx.client(service, region)
    try:
        return ctx.recorder.pages(ctx.scope(region), client, method, key, **params)
    except CallFailed as failed:
        ctx.lack(RESOURCES, failed.reason, account=ctx.account, region=region, service=service)
        return None


def read_kms(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("kms", region)
    for key in _listing(ctx, region, "kms", "list_keys", "Keys") or []:
        with _Resource(ctx, contents, region, key["KeyArn"]) as resource:
            described = resource.call(client, "describe_key", KeyId=key["KeyId"]) or {}
            manager = described.get("KeyMetadata", {}).get("KeyManager")
            response = resource.call(client, "get_key_policy", KeyId=key["KeyId"], PolicyName="default") or {}
            tags: dict[str, str] = {}
            if manager != "AWS":  # AWS managed keys take no tags
                listed = ctx.recorder.pages(ctx.scope(region), client, "list_resource_tags", "Tags",
                                            target=key["KeyArn"], KeyId=key["KeyId"])
                tags = tag_map(listed, "TagKey", "TagValue")
            policy = resource.policy(response.get("Policy"))
            grants = key_grants(ctx, client, region, key["KeyId"], key["KeyArn"])
            resource.add(policy, tags, {"kms_grants": grants})


def read_sqs(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("sqs", region)
    for url in _listing(ctx, region, "sqs", "list_queues", "QueueUrls") or []:
        owner, name = url.rstrip("/").split("/")[-2:]  # https://sqs.REGION.amazonaws.com/ACCOUNT/NAME
        with _Resource(ctx, contents, region, f"arn:{ctx.partition}:sqs:{region}:{owner}:{name}") as resource:
            attributes = (resource.call(client, "get_queue_attributes", QueueUrl=url,
                                        AttributeNames=["Policy", "QueueArn"]) or {}).get("Attributes", {})
            resource.arn = attributes.get("QueueArn") or resource.arn
            tags = (resource.call(client, "list_queue_tags", QueueUrl=url) or {}).get("Tags", {})
            resource.add(resource.policy(attributes.get("Policy")), tag_map(tags))


def read_sns(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("sns", region)
    for topic in _listing(ctx, region, "sns", "list_topics", "Topics") or []:
        arn = topic["TopicArn"]
        with _Resource(ctx, contents, region, arn) as resource:
            attributes = (resource.call(client, "get_topic_attributes", TopicArn=arn) or {}).get("Attributes", {})
            tags = (resource.call(client, "list_tags_for_resource", ResourceArn=arn) or {}).get("Tags", [])
            resource.add(resource.policy(attributes.get("Policy")), tag_map(tags))


def read_lambda(ctx: AccountContext, contents: Contents, region: str) -> None:
    """Each function's policy and tags, and the policies of its published versions and
    aliases, each its own resource under its qualified ARN (FUNCTION:VERSION,
    FUNCTION:ALIAS: a request naming it is decided by that policy alone). A version or
    alias listing that fails names the region's Lambda resources missing (a qualified
    ARN the snapshot lacks may exist)."""
    client = ctx.client("lambda", region)
    for function in _listing(ctx, region, "lambda", "list_functions", "Functions") or []:
        arn = function["FunctionArn"]
        tags: dict[str, str] = {}
        with _Resource(ctx, contents, region, arn) as resource:
            # ResourceNotFoundException is also GetPolicy's answer for a function without a policy
            response = resource.call(client, "get_policy", absent=("ResourceNotFoundException",),
                                     FunctionName=arn) or {}
            tags = tag_map((resource.call(client, "list_tags", Resource=arn) or {}).get("Tags", {}))
            resource.add(resource.policy(response.get("Policy")), tags)
        name = str(function.get("FunctionName") or arn.rsplit(":", 1)[-1])
        for qualified, qualifier in _qualified(ctx, client, region, arn, name):
            with _Resource(ctx, contents, region, qualified) as resource:
                response = resource.call(client, "get_policy", absent=("ResourceNotFoundException",),
                                         FunctionName=name, Qualifier=qualifier) or {}
                resource.add(resource.policy(response.get("Policy")), tags)


def _qualified(ctx: AccountContext, client: Any, region: str, arn: str, name: str) -> list[tuple[str, str]]:
    """(qualified ARN, qualifier) of the function's published versions and aliases
    (asked by the function's name, which the account's client in the region resolves)."""
    scope = ctx.scope(region)
    try:
        versions = ctx.recorder.pages(scope, client, "list_versions_by_function", "Versions", target=arn,
                                      FunctionName=name)
        aliases = ctx.recorder.pages(scope, client, "list_aliases", "Aliases", target=arn, FunctionName=name)
    except CallFailed as failed:
        ctx.lack(RESOURCES, f"the versions and aliases of {arn}: {failed.reason}", account=ctx.account,
                 region=region, service="lambda")
        return []
    found = [(f"{arn}:{v['Version']}", str(v["Version"])) for v in versions if v.get("Version") != "$LATEST"]
    found += [(f"{arn}:{a['Name']}", str(a["Name"])) for a in aliases]
    return found


def read_secretsmanager(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("secretsmanager", region)
    for secret in _listing(ctx, region, "secretsmanager", "list_secrets", "SecretList") or []:
        arn = secret["ARN"]
        with _Resource(ctx, contents, region, arn) as resource:
            response = resource.call(client, "get_resource_policy", SecretId=arn) or {}
            resource.add(resource.policy(response.get("ResourcePolicy")), tag_map(secret.get("Tags")))


def read_ecr(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("ecr", region)
    for repository in _listing(ctx, region, "ecr", "describe_repositories", "repositories") or []:
        arn = repository["repositoryArn"]
        with _Resource(ctx, contents, region, arn) as resource:
            response = resource.call(client, "get_repository_policy", absent=("RepositoryPolicyNotFoundException",),
                                     repositoryName=repository["repositoryName"],
                                     registryId=repository["registryId"]) or {}
            tags = (resource.call(client, "list_tags_for_resource", resourceArn=arn) or {}).get("tags", [])
            resource.add(resource.policy(response.get("policyText")), tag_map(tags))


def read_dynamodb(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("dynamodb", region)
    for name in _listing(ctx, region, "dynamodb", "list_tables", "TableNames") or []:
        arn = f"arn:{ctx.partition}:dynamodb:{region}:{ctx.account}:table/{name}"
        with _Resource(ctx, contents, region, arn) as resource:
            table = (resource.call(client, "describe_table", TableName=name) or {}).get("Table", {})
            resource.arn = table.get("TableArn") or arn
            response = resource.call(client, "get_resource_policy", absent=("PolicyNotFoundException",),
                                     ResourceArn=resource.arn) or {}
            tags = ctx.recorder.pages(ctx.scope(region), client, "list_tags_of_resource", "Tags",
                                      target=resource.arn, ResourceArn=resource.arn)
            resource.add(resource.policy(response.get("Policy")), tag_map(tags))


def read_s3(ctx: AccountContext, contents: Contents, regions: tuple[str, ...], object_acls: int = 0) -> None:
    """Every bucket of the account (S3's listing is global); the policy, tags, ACLs,
    Object Ownership and Block Public Access of those in the collected regions (the
    ACLs of up to `object_acls` objects each: buckets.py). A bucket in another region
    is named missing. The account's canonical id and Block Public Access too."""
    client = ctx.client("s3")
    try:
        pages = ctx.recorder.all_pages(ctx.scope(), client, "list_buckets")
    except CallFailed as failed:
        ctx.lack(RESOURCES, failed.reason, account=ctx.account, region="*", service="s3")
        contents.add_s3_account(ctx.account, **account_facts(ctx, None))
        return
    buckets = [bucket for page in pages for bucket in page.get("Buckets") or []]
    owner = next((page["Owner"]["ID"] for page in pages if (page.get("Owner") or {}).get("ID")), None)
    contents.add_s3_account(ctx.account, **account_facts(ctx, owner))
    for bucket in buckets:
        name = bucket["Name"]
        arn = f"arn:{ctx.partition}:s3:::{name}"
        with _Resource(ctx, contents, ctx.home_region, arn) as resource:
            region = bucket.get("BucketRegion") or _bucket_region(
                resource.call(client, "get_bucket_location", Bucket=name))
            resource.region = region
            if region not in regions:
                ctx.lack(RESOURCE, f"the bucket is in {region}, a region not collected", account=ctx.account,
                         region=region, arn=arn)
                continue
            regional = ctx.client("s3", region)
            response = resource.call(regional, "get_bucket_policy", absent=("NoSuchBucketPolicy",), Bucket=name) or {}
            tags = (resource.call(regional, "get_bucket_tagging", absent=("NoSuchTagSet",), Bucket=name)
                    or {}).get("TagSet", [])
            policy = resource.policy(response.get("Policy"))
            parts = bucket_parts(ctx, regional, region, name, arn, object_acls)
            resource.add(policy, tag_map(tags), parts)
            owner = ((parts.get("acl") or {}).get("Owner") or {}).get("ID")
            if owner:  # the bucket owner is the account: the canonical id its ACLs name it by
                contents.add_s3_account(ctx.account, canonical_id=owner)


def _bucket_region(response: dict[str, Any] | None) -> str:
    """GetBucketLocation's answer: none for us-east-1, EU for eu-west-1 (S3 API reference)."""
    location = (response or {}).get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, str(location))


def read_vpc_endpoints(ctx: AccountContext, contents: Contents, region: str) -> None:
    client = ctx.client("ec2", region)
    try:
        endpoints = ctx.recorder.pages(ctx.scope(region), client, "describe_vpc_endpoints", "VpcEndpoints")
    except CallFailed as failed:
        ctx.lack(VPC_ENDPOINTS, failed.reason, account=ctx.account, region=region)
        return
    for endpoint in endpoints:
        policy = endpoint.get("PolicyDocument")
        try:
            document = None if not policy else policy_document(policy, PolicyType.VPC_ENDPOINT,
                                                               endpoint["VpcEndpointId"])
        except UnreadablePolicy as error:
            ctx.lack(VPC_ENDPOINTS, f"policy not understood: {error}", account=ctx.account, region=region)
            continue
        entry: dict[str, Any] = {"id": endpoint["VpcEndpointId"], "vpc": endpoint["VpcId"],
                                 "account": endpoint.get("OwnerId") or ctx.account}
        service = endpoint_service(str(endpoint.get("ServiceName", "")), region)
        if service is not None:
            entry["service"] = service
        if document is not None:
            entry["policy"] = document
        contents.add_endpoint(entry)


def endpoint_service(name: str, region: str) -> str | None:
    """The IAM service prefix an endpoint serves (`com.amazonaws.eu-west-1.ecr.api` -> `ecr`);
    None, read as any service, for endpoints of other services (PrivateLink)."""
    prefix = f"com.amazonaws.{region}."
    if not name.startswith(prefix):
        return None
    service = name[len(prefix):].split(".", 1)[0]
    return {"s3-global": "s3"}.get(service, service)


REGIONAL_READERS: dict[str, Reader] = {
    "kms": read_kms, "sqs": read_sqs, "sns": read_sns, "lambda": read_lambda,
    "secretsmanager": read_secretsmanager, "ecr": read_ecr, "dynamodb": read_dynamodb, "ec2": read_vpc_endpoints,
    "s3control": read_access_points,
}
