"""A request through an S3 access point (docs/semantics.md, "Access points").

"For an application or user to be able to access objects through an access point,
both the access point and the underlying bucket must permit the request" (Amazon S3
User Guide, "Configuring IAM policies for using access points"). So the request is
decided twice: on the access point's ARN, with the access point policy as the
resource-based policy; then on the bucket's ARN, where the bucket policy sees the
access point in `s3:DataAccessPointArn`, `s3:DataAccessPointAccount` and
`s3:AccessPointNetworkOrigin` (the bucket's delegation to its access points, S3 User
Guide, "Delegating access control to access points"). The bucket side needs a grant
of the bucket policy (or an ACL) unless the caller and the access point are in the
bucket owner's account, whose IAM policies the access point side has read already;
an explicit deny of the bucket policy always applies. An access point whose network
origin is a VPC takes requests only from that VPC (S3 User Guide, "Creating access
points restricted to a virtual private cloud").
"""

from __future__ import annotations

from dataclasses import replace

from reasoner.policy.model import AccessPoint, PolicySet, Request, StatementRef

# The keys S3 sets on a request made through an access point, and only then (S3 User
# Guide, "Delegating access control to access points": the bucket policy sees the
# access point in them): a request made on the bucket itself carries none.
ACCESS_POINT_KEYS = ("s3:DataAccessPointArn", "s3:DataAccessPointAccount", "s3:AccessPointNetworkOrigin")


def covers(access_point: AccessPoint, resource: str) -> bool:
    """The request names the access point (`.../accesspoint/NAME`) or one of its objects."""
    return resource == access_point.arn or resource.startswith(f"{access_point.arn}/object/")


def bucket_resource(access_point: AccessPoint, resource: str) -> str:
    """The resource as the bucket policy sees it: `arn:P:s3:::BUCKET[/KEY]`."""
    partition = access_point.arn.split(":")[1]
    key = resource[len(f"{access_point.arn}/object/"):] if resource != access_point.arn else None
    bucket = f"arn:{partition}:s3:::{access_point.bucket}"
    return bucket if key is None else f"{bucket}/{key}"


def bucket_request(request: Request, access_point: AccessPoint) -> Request:
    context = dict(request.context)
    context["s3:dataaccesspointarn"] = (access_point.arn,)
    context["s3:dataaccesspointaccount"] = (access_point.account,)
    context["s3:accesspointnetworkorigin"] = ("VPC" if access_point.vpc_id else "Internet",)
    return replace(request, resource=bucket_resource(access_point, request.resource),
                    resource_account=access_point.bucket_account, context=context)


def renamed(refs: tuple[StatementRef, ...]) -> tuple[StatementRef, ...]:
    return tuple(replace(ref, policy="access_point_policy") if ref.policy == "resource_policy" else ref
                 for ref in refs)


def access_point_side(policies: PolicySet) -> PolicySet:
    """The policies of the first step, on the access point's ARN: the access point
    policy as the resource-based policy (its own RestrictPublicBuckets), no ACLs.
    It allows every request the whole decision allows (and perhaps more)."""
    point = policies.access_point
    assert point is not None
    return replace(policies, resource_policy=point.policy, acls=(), access_point=None,
                   restrict_public_buckets=point.restrict_public, resource_policy_public=point.policy_public)
