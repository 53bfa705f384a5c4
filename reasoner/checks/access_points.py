"""A request space through an S3 access point, decided by two queries the SMT chain
can answer, since the chain does not encode the two-sided decision (evaluate.py,
`through_access_point`; docs/reach.md, "Buckets and keys").

The access point's side (its policy on its ARN, its VPC) lets through every request
the whole decision does: its PASS is the answer's. Its witness counts once the whole
decision allows it. When the bucket side turns the witness down, a second query asks
whether the bucket grants any request through the access point at all: no grant is
a PASS; otherwise the answer is UNKNOWN, never PASS.
"""

from __future__ import annotations

from dataclasses import replace

from reasoner.evaluation.access_points import access_point_side
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint, RequestSpace
from reasoner.policy.model import Decision, PolicySet
from reasoner.solving.budget import Budget
from reasoner.solving.cache import Cached, ResultCache
from reasoner.solving.witness import Witness, with_space_keys


def through_access_point(policies: PolicySet, space: RequestSpace, budget: Budget, store: ResultCache | None,
                         name: str) -> tuple[str, Witness | None, str | None]:
    """(PASS, FAIL or UNKNOWN, the witness of a FAIL, why an UNKNOWN) for "some request
    of the space through the access point is allowed"."""
    from reasoner.encodings.invariants import space_query, space_replays
    from reasoner.encodings.options import DEFAULT
    from reasoner.solving.query import run_query

    point = policies.access_point
    assert point is not None
    asked, asked_space = access_point_side(policies), space
    if point.vpc_id is not None:
        asked_space = replace(space, context=(*space.context, ContextConstraint(
            "aws:SourceVpc", ConstraintOp.EQUALS, (point.vpc_id,))))

    def build() -> object:
        return space_query(asked, asked_space, want_allowed=True)

    cached = None if store is None else Cached(store, (asked, asked_space, True, DEFAULT),
                                               space_replays(asked, want_allowed=True))
    result = run_query(build, budget, lambda witness: [], name, cached)
    if result.result != "FAIL" or result.witness is None:
        return result.result, None, result.unknown_reason
    # the keys the space fixes that no policy of the access point's side reads (its
    # VPC, the caller's organization), as AWS would send them
    witness = with_space_keys(result.witness, asked_space, asked)
    whole = evaluate(witness.request, policies)
    if whole.decision is Decision.ALLOW:
        return "FAIL", Witness(witness.request, whole), None
    if bucket_side_refutes(policies, space, budget, store):
        return "PASS", None, None
    return "UNKNOWN", None, (f"the access point lets a request through that the bucket side does not "
                             f"({', '.join(whole.blocked_by)}); other requests stay undecided")


def bucket_side_refutes(policies: PolicySet, space: RequestSpace, budget: Budget, store: ResultCache | None) -> bool:
    """Is no request through the access point granted by its bucket (evaluate.py,
    `through_access_point`)? Asked of every request of the space on the bucket's ARN
    with the access point's keys, the caller's own account allowing everything and
    no organization policy or endpoint (the bucket side reads none): a superset of
    what the bucket side lets through, so its PASS holds. A caller in the bucket
    owner's account passes the bucket side without a grant: the query then finds it."""
    from reasoner.encodings.invariants import space_query, space_replays
    from reasoner.encodings.options import DEFAULT
    from reasoner.encodings.queries import ALLOW_ALL
    from reasoner.solving.query import run_query

    point = policies.access_point
    assert point is not None
    bucket = f"arn:{point.arn.split(':')[1]}:s3:::{point.bucket}"
    on_bucket = replace(policies, identity_policies=(ALLOW_ALL,), permissions_boundary=None, session_policy=None,
                        scps=(), rcps=(), vpc_endpoint_policy=None, access_point=None)
    keys = (ContextConstraint("s3:DataAccessPointArn", ConstraintOp.EQUALS, (point.arn,)),
            ContextConstraint("s3:DataAccessPointAccount", ConstraintOp.EQUALS, (point.account,)),
            ContextConstraint("s3:AccessPointNetworkOrigin", ConstraintOp.EQUALS,
                              ("VPC" if point.vpc_id else "Internet",)))
    # the access point's own tags and organization are not the bucket's: left free
    context = tuple(c for c in space.context if not c.key.lower().startswith("aws:resource")) + keys
    resources: list[str] = []
    for pattern in space.resources or (point.arn, f"{point.arn}/object/*"):
        if pattern == point.arn:
            resources.append(bucket)
        elif pattern.startswith(f"{point.arn}/object/"):
            resources.append(f"{bucket}/{pattern[len(point.arn) + len('/object/'):]}")
        else:  # a pattern that is not of the access point's forms: every request on the bucket
            resources += [bucket, f"{bucket}/*"]
    asked = replace(space, resources=tuple(dict.fromkeys(resources)), not_resources=(),
                    resource_account=point.bucket_account, context=context, resource_tags=None)

    def build() -> object:
        return space_query(on_bucket, asked, want_allowed=True)

    cached = None if store is None else Cached(store, (on_bucket, asked, True, DEFAULT),
                                               space_replays(on_bucket, want_allowed=True))
    return run_query(build, budget, lambda witness: [], "bucket-side", cached).result == "PASS"
