"""S3 ACLs, Block Public Access's restriction and KMS grants in the SMT chain: with
the request fixed, `encode_chain` gives exactly the reference evaluator's decision
(docs/semantics.md, "Buckets and keys"), on random ACLs, grants and requests."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasoner.encodings.chain import encode_chain
from reasoner.encodings.request import SymbolicRequest
from reasoner.evaluation.scenario import parse_principal
from reasoner.policy.acls import ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY, Acl, AclGrant, Permission, acl_policy
from reasoner.policy.kms_grants import KmsGrant, grants_policy
from reasoner.policy.model import PolicySet, PolicyType, Request
from tests.encoding_oracle import assert_chain_agrees
from tests.strategies import policies

KEY = "arn:aws:kms:us-east-1:111111111111:key/k"
CANONICAL = "c" * 64
PRINCIPALS = ("anonymous", "111111111111", "arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:user/Alice",
              "arn:aws:sts::111111111111:assumed-role/R/s1", "arn:aws:sts::222222222222:assumed-role/R/s1",
              "logging.s3.amazonaws.com", "ec2.amazonaws.com", CANONICAL)
ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetObjectAcl", "s3:PutBucketAcl", "kms:Decrypt",
           "kms:DescribeKey", "kms:RetireGrant", "kms:Encrypt")
RESOURCES = ("arn:aws:s3:::B/x", "arn:aws:s3:::B", "arn:aws:s3:::B/y", KEY, "arn:aws:kms:us-east-1:111111111111:key/o")
GRANTEES = ("arn:aws:iam::222222222222:role/R", "arn:aws:iam::222222222222:root",
            "arn:aws:iam::111111111111:user/Alice", "arn:aws:sts::111111111111:assumed-role/R/s1", "ec2.amazonaws.com")
CONTEXTS: tuple[dict[str, tuple[str, ...]], ...] = (
    {}, {"kms:encryptioncontext:dept": ("IT",)}, {"kms:encryptioncontext:dept": ("it",)},
    {"kms:encryptioncontext:dept": ("IT",), "kms:encryptioncontextkeys": ("dept",)},
    {"kms:encryptioncontext:dept": ("IT",), "kms:encryptioncontext:x": ("y",),
     "kms:encryptioncontextkeys": ("dept", "x")})


@st.composite
def acl_grants(draw: st.DrawFn) -> AclGrant:
    kind = draw(st.sampled_from(("Group", "CanonicalUser")))
    grantee = draw(st.sampled_from((ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY) if kind == "Group"
                                   else (CANONICAL, "d" * 64)))
    return AclGrant(kind, grantee, draw(st.sampled_from(list(Permission))))


@st.composite
def kms_grants(draw: st.DrawFn, index: int) -> KmsGrant:
    operations = tuple(draw(st.lists(st.sampled_from(("Decrypt", "Encrypt", "DescribeKey", "RetireGrant")),
                                     min_size=1, max_size=3, unique=True)))
    pairs = {"Dept": "IT"}
    constraint = draw(st.sampled_from((None, "equals", "subset")))
    return KmsGrant(f"g{index}", draw(st.sampled_from((KEY, "arn:aws:kms:us-east-1:111111111111:key/z"))),
                    draw(st.sampled_from(GRANTEES)), operations,
                    draw(st.sampled_from((None, "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:role/R"))),
                    pairs if constraint == "equals" else None, pairs if constraint == "subset" else None)


@st.composite
def bucket_sets(draw: st.DrawFn) -> PolicySet:
    accounts = {CANONICAL: "222222222222"} if draw(st.booleans()) else {}
    ignore = draw(st.booleans())
    acls = []
    if draw(st.booleans()):
        acls.append(acl_policy(Acl(tuple(draw(st.lists(acl_grants(), max_size=3)))), "arn:aws:s3:::B",
                               on_object=False, slot="bucket_acl", accounts=accounts, ignore_public=ignore))
    if draw(st.booleans()):
        acls.append(acl_policy(Acl(tuple(draw(st.lists(acl_grants(), max_size=3)))), "arn:aws:s3:::B/x",
                               on_object=True, slot="object_acl", accounts=accounts, ignore_public=ignore))
    count = draw(st.integers(0, 2))
    grants = grants_policy(tuple(draw(kms_grants(i)) for i in range(count)), "g.json") if count else None
    return PolicySet(
        identity_policies=tuple(draw(st.lists(policies(PolicyType.IDENTITY), max_size=1))),
        scps=tuple(draw(st.lists(st.lists(policies(PolicyType.IDENTITY), min_size=1, max_size=1).map(tuple),
                                 max_size=1))),
        resource_policy=draw(st.one_of(st.none(), policies(PolicyType.RESOURCE))),
        acls=tuple(acls), kms_grants=grants,
        restrict_public_buckets=draw(st.booleans()), resource_policy_public=draw(st.sampled_from((None, True, False))),
    )


@st.composite
def bucket_requests(draw: st.DrawFn) -> Request:
    principal = parse_principal(draw(st.sampled_from(PRINCIPALS)))
    context: dict[str, tuple[str, ...]] = dict(draw(st.sampled_from(CONTEXTS)))
    from reasoner.evaluation.evaluate import derived_context

    for key, value in derived_context(principal).items():
        context.setdefault(key, (value,))
    return Request(principal, draw(st.sampled_from(ACTIONS)), draw(st.sampled_from(RESOURCES)),
                   draw(st.sampled_from((None, "111111111111", "222222222222"))), context,
                   frozenset(k for k in context if k == "kms:encryptioncontextkeys"))


# A caller each grantee form names, to aim requests at ACL and grant statements
_CALLER_OF = {"arn:aws:iam::222222222222:role/R": "arn:aws:sts::222222222222:assumed-role/R/s1",
              "arn:aws:iam::222222222222:root": "arn:aws:sts::222222222222:assumed-role/R/s1",
              "arn:aws:iam::111111111111:user/Alice": "arn:aws:iam::111111111111:user/Alice",
              "arn:aws:sts::111111111111:assumed-role/R/s1": "arn:aws:sts::111111111111:assumed-role/R/s1",
              "arn:aws:iam::111111111111:root": "arn:aws:sts::111111111111:assumed-role/R/s1",
              "ec2.amazonaws.com": "ec2.amazonaws.com", "logging.s3.amazonaws.com": "logging.s3.amazonaws.com",
              "222222222222": "arn:aws:iam::222222222222:root", "*": "anonymous", CANONICAL: CANONICAL}


@st.composite
def aimed_requests(draw: st.DrawFn, policy_set: PolicySet) -> Request:
    """A request, half of the time aimed at an ACL or grant statement: its grantee,
    one of its actions, its resource (its conditions left to chance)."""
    request = draw(bucket_requests())
    statements = [s for p in (*policy_set.acls, *((policy_set.kms_grants,) if policy_set.kms_grants else ()))
                  for s in p.statements if s.actions and s.resources]
    if not statements or draw(st.booleans()):
        return request
    statement = draw(st.sampled_from(statements))
    spec = statement.principal
    assert spec is not None
    names = [*spec.aws, *spec.service, *spec.canonical_user]
    principal = parse_principal(_CALLER_OF.get(draw(st.sampled_from(names)), "anonymous"))
    from reasoner.evaluation.evaluate import derived_context

    context = {key: value for key, value in request.context.items() if not key.startswith("aws:")}
    for key, value in derived_context(principal).items():
        context[key] = (value,)
    resource = draw(st.sampled_from([r for r in statement.resources or () if "*" not in r] or [request.resource]))
    return dataclasses.replace(request, principal=principal, action=draw(st.sampled_from(statement.actions or ())),
                               resource=resource, context=context)


_check = assert_chain_agrees


@given(data=st.data(), policy_set=bucket_sets())
def test_bucket_chain_agrees_with_evaluator(data: st.DataObject, policy_set: PolicySet) -> None:
    _check(policy_set, data.draw(aimed_requests(policy_set)))


@pytest.mark.slow
@given(data=st.data(), policy_set=bucket_sets())
def test_bucket_chain_agrees_with_evaluator_long(data: st.DataObject, policy_set: PolicySet) -> None:
    _check(policy_set, data.draw(aimed_requests(policy_set)))


def test_access_points_are_not_encoded_yet() -> None:
    from reasoner.errors import EncodingError
    from reasoner.policy.model import AccessPoint

    point = AccessPoint("arn:aws:s3:us-east-1:111111111111:accesspoint/a", "B", "111111111111")
    sym = SymbolicRequest.for_policies([])
    with pytest.raises(EncodingError):
        encode_chain(dataclasses.replace(PolicySet(), access_point=point), sym)
