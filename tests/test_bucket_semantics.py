"""S3 ACLs, Object Ownership, Block Public Access, access points and KMS grants in
the reference evaluator: one named test per rule, each citing the AWS page it comes
from (docs/semantics.md, "Buckets and keys")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasoner.checks.public_facts import with_public_facts
from reasoner.errors import InputError
from reasoner.evaluation.evaluate import evaluate
from reasoner.evaluation.scenario import parse_scenario
from reasoner.policy.acls import ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY
from reasoner.policy.model import Decision, Result
from reasoner.solving.budget import Budget

ALLOW, EXPLICIT, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY
OWNER = "111111111111"
OTHER = "222222222222"
OTHER_ROLE = f"arn:aws:sts::{OTHER}:assumed-role/reader/s"
OWNER_USER = f"arn:aws:iam::{OWNER}:user/alice"
OBJECT = "arn:aws:s3:::data/report.csv"
BUCKET = "arn:aws:s3:::data"
OTHER_CANONICAL = "b" * 64
KEY = f"arn:aws:kms:us-east-1:{OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALLOW_ALL = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]


def group(uri: str, permission: str) -> dict[str, Any]:
    return {"Grantee": {"Type": "Group", "URI": uri}, "Permission": permission}


def canonical(identifier: str, permission: str) -> dict[str, Any]:
    return {"Grantee": {"Type": "CanonicalUser", "ID": identifier}, "Permission": permission}


def acl(*grants: dict[str, Any]) -> dict[str, Any]:
    return {"Owner": {"ID": "a" * 64}, "Grants": [canonical("a" * 64, "FULL_CONTROL"), *grants]}


def decide(principal: str, action: str = "s3:GetObject", resource: str = OBJECT, *,
           context: dict[str, Any] | None = None, resource_account: str | None = OWNER, **facts: Any) -> Result:
    request: dict[str, Any] = {"principal": principal, "action": action, "resource": resource}
    if resource_account is not None:
        request["resource_account"] = resource_account
    if context:
        request["context"] = context
    scenario = parse_scenario({"request": request, **facts}, source="case.json", base_dir=Path("."))
    return evaluate(scenario.request, with_public_facts(scenario.policies, budget=Budget(50)))


# -- ACLs: S3 User Guide, "Access control list (ACL) overview" ------------------------


def test_object_acl_all_users_read_opens_the_object_to_anonymous_callers() -> None:
    result = decide("anonymous", object_acl=acl(group(ALL_USERS, "READ")))
    assert result.decision is ALLOW
    assert [(ref.policy, ref.statement, ref.sid) for ref in result.determining] == [("object_acl", 1,
                                                                                      "AllUsers READ")]


def test_object_read_does_not_grant_the_objects_acl() -> None:
    # READ on an object maps to GetObject, not GetObjectAcl ("Mapping of ACL permissions")
    assert decide("anonymous", "s3:GetObjectAcl", object_acl=acl(group(ALL_USERS, "READ"))).decision is IMPLICIT
    assert decide("anonymous", "s3:GetObjectAcl", object_acl=acl(group(ALL_USERS, "READ_ACP"))).decision is ALLOW


def test_bucket_acl_read_lists_the_bucket_but_does_not_read_its_objects() -> None:
    bucket_acl = acl(group(ALL_USERS, "READ"))
    assert decide("anonymous", "s3:ListBucket", BUCKET, bucket_acl=bucket_acl).decision is ALLOW
    assert decide("anonymous", "s3:GetObject", OBJECT, bucket_acl=bucket_acl).decision is IMPLICIT


def test_bucket_acl_write_lets_the_grantee_put_and_delete_objects() -> None:
    bucket_acl = acl(group(ALL_USERS, "WRITE"))
    assert decide("anonymous", "s3:PutObject", OBJECT, bucket_acl=bucket_acl).decision is ALLOW
    assert decide("anonymous", "s3:DeleteObject", OBJECT, bucket_acl=bucket_acl).decision is ALLOW
    assert decide("anonymous", "s3:PutBucketAcl", BUCKET, bucket_acl=bucket_acl).decision is IMPLICIT


def test_full_control_on_a_bucket_includes_write_acp() -> None:
    assert decide("anonymous", "s3:PutBucketAcl", BUCKET,
                  bucket_acl=acl(group(ALL_USERS, "FULL_CONTROL"))).decision is ALLOW


def test_authenticated_users_is_every_signed_caller_but_not_anonymous() -> None:
    object_acl = acl(group(AUTHENTICATED_USERS, "READ"))
    assert decide("anonymous", object_acl=object_acl).decision is IMPLICIT
    # a caller of another account still needs its own IAM policies (user context)
    assert decide(OTHER_ROLE, object_acl=object_acl).decision is IMPLICIT
    assert decide(OTHER_ROLE, object_acl=object_acl, identity_policies=ALLOW_ALL).decision is ALLOW


def test_log_delivery_group_is_the_logging_service() -> None:
    bucket_acl = acl(group(LOG_DELIVERY, "WRITE"))
    assert decide("logging.s3.amazonaws.com", "s3:PutObject", OBJECT, bucket_acl=bucket_acl).decision is ALLOW
    assert decide("anonymous", "s3:PutObject", OBJECT, bucket_acl=bucket_acl).decision is IMPLICIT


def test_canonical_user_grant_is_the_account_and_delegates_to_its_iam_policies() -> None:
    object_acl = acl(canonical(OTHER_CANONICAL, "READ"))
    accounts = {OTHER_CANONICAL: OTHER}
    assert decide(OTHER_ROLE, object_acl=object_acl, acl_grantee_accounts=accounts).decision is IMPLICIT
    result = decide(OTHER_ROLE, object_acl=object_acl, acl_grantee_accounts=accounts, identity_policies=ALLOW_ALL)
    assert result.decision is ALLOW
    assert result.determining[0].policy == "object_acl"
    assert decide(f"arn:aws:iam::{OTHER}:root", object_acl=object_acl,
                  acl_grantee_accounts=accounts).decision is ALLOW
    # without the account of the canonical id, it names no caller the tool knows
    assert decide(OTHER_ROLE, object_acl=object_acl, identity_policies=ALLOW_ALL).decision is IMPLICIT


def test_email_grantee_is_the_account_of_the_address() -> None:
    object_acl = acl({"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": "Ops@Example.com"},
                      "Permission": "READ"})
    result = decide(f"arn:aws:iam::{OTHER}:root", object_acl=object_acl,
                    acl_grantee_accounts={"ops@example.com": OTHER})
    assert result.decision is ALLOW


def test_explicit_deny_in_the_bucket_policy_beats_an_acl_grant() -> None:
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                                                    "Resource": f"{BUCKET}/*"}]}
    result = decide("anonymous", object_acl=acl(group(ALL_USERS, "READ")), resource_policy=deny)
    assert result.decision is EXPLICIT


def test_same_account_user_is_allowed_by_its_identity_policy_or_the_acl() -> None:
    # "If the parent AWS account owns the resource, it can grant resource permissions
    # to its IAM principal by using either the user policy or the resource policy"
    # (S3 User Guide, "How Amazon S3 authorizes a request for an object operation")
    assert decide(OWNER_USER, object_acl=acl(group(ALL_USERS, "READ"))).decision is ALLOW
    assert decide(OWNER_USER, object_acl=acl()).decision is IMPLICIT


# -- Object Ownership: S3 User Guide, "Controlling ownership of objects and disabling ACLs"


def test_bucket_owner_enforced_disables_every_acl() -> None:
    facts = {"object_acl": acl(group(ALL_USERS, "READ")), "bucket_acl": acl(group(ALL_USERS, "READ"))}
    assert decide("anonymous", object_ownership="BucketOwnerEnforced", **facts).decision is IMPLICIT
    assert decide("anonymous", object_ownership="ObjectWriter", **facts).decision is ALLOW
    assert decide("anonymous", object_ownership="BucketOwnerPreferred", **facts).decision is ALLOW


# -- Block Public Access: S3 User Guide, "Blocking public access to your Amazon S3 storage";
#    S3 API Reference, PublicAccessBlockConfiguration

PUBLIC_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"},
    {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:GetObject",
     "Resource": f"{BUCKET}/*"},
    {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
     "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"}]}
PARTNER_ONLY = {"Version": "2012-10-17", "Statement": [PUBLIC_POLICY["Statement"][1]]}


def test_ignore_public_acls_ignores_all_users_and_authenticated_users_grants() -> None:
    blocks = {"bucket": {"PublicAccessBlockConfiguration": {"IgnorePublicAcls": True}}}
    object_acl = acl(group(ALL_USERS, "READ"), canonical(OTHER_CANONICAL, "READ"))
    assert decide("anonymous", object_acl=object_acl, public_access_block=blocks).decision is IMPLICIT
    # a grant to a named account is not public and stays
    assert decide(f"arn:aws:iam::{OTHER}:root", object_acl=object_acl, public_access_block=blocks,
                  acl_grantee_accounts={OTHER_CANONICAL: OTHER}).decision is ALLOW


def test_account_level_settings_apply_to_every_bucket() -> None:
    blocks = {"account": {"IgnorePublicAcls": True}}
    assert decide("anonymous", object_acl=acl(group(ALL_USERS, "READ")),
                  public_access_block=blocks).decision is IMPLICIT


def test_restrict_public_buckets_blocks_cross_account_access_through_a_public_policy() -> None:
    blocks = {"bucket": {"RestrictPublicBuckets": True}}
    assert decide("anonymous", resource_policy=PUBLIC_POLICY).decision is ALLOW
    assert decide("anonymous", resource_policy=PUBLIC_POLICY, public_access_block=blocks).decision is IMPLICIT
    # "including non-public delegation to specific accounts"
    assert decide(OTHER_ROLE, resource_policy=PUBLIC_POLICY, identity_policies=ALLOW_ALL,
                  public_access_block=blocks).decision is IMPLICIT
    # AWS service principals and the owner's account still get through
    assert decide("logging.s3.amazonaws.com", resource_policy=PUBLIC_POLICY,
                  public_access_block=blocks).decision is ALLOW
    assert decide(OWNER_USER, resource_policy=PUBLIC_POLICY, public_access_block=blocks).decision is ALLOW


def test_restrict_public_buckets_leaves_a_policy_that_is_not_public_alone() -> None:
    blocks = {"bucket": {"RestrictPublicBuckets": True}}
    assert decide(OTHER_ROLE, resource_policy=PARTNER_ONLY, identity_policies=ALLOW_ALL,
                  public_access_block=blocks).decision is ALLOW


def test_block_public_policy_and_acls_do_not_change_existing_access() -> None:
    # "Enabling this setting doesn't affect existing policies or ACLs" (put-time only)
    blocks = {"bucket": {"BlockPublicPolicy": True, "BlockPublicAcls": True}}
    assert decide("anonymous", resource_policy=PUBLIC_POLICY, object_acl=acl(group(ALL_USERS, "READ")),
                  public_access_block=blocks).decision is ALLOW


def test_bad_public_access_block_is_named() -> None:
    with pytest.raises(InputError, match=r"public_access_block.bucket.IgnorePublicAcls: expected true or false"):
        decide("anonymous", public_access_block={"bucket": {"IgnorePublicAcls": "yes"}})
    with pytest.raises(InputError, match=r"object_acl.Grants\[0\].Permission"):
        decide("anonymous", object_acl={"Grants": [{"Grantee": {"Type": "Group", "URI": ALL_USERS},
                                                     "Permission": "ALL"}]})


# -- Access points: S3 User Guide, "Configuring IAM policies for using access points"

AP = f"arn:aws:s3:us-east-1:{OWNER}:accesspoint/reports"
AP_OBJECT = f"{AP}/object/report.csv"
AP_ALLOWS_PARTNER = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:GetObject", "Resource": f"{AP}/object/*"}]}
DELEGATE = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Delegate", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*",
     "Resource": [BUCKET, f"{BUCKET}/*"],
     "Condition": {"StringEquals": {"s3:DataAccessPointAccount": OWNER}}}]}


def access_point(**extra: Any) -> dict[str, Any]:
    return {"arn": AP, "bucket": "data", "bucket_account": OWNER, **extra}


def test_access_point_request_needs_the_access_point_policy_and_the_bucket_policy() -> None:
    through = {"access_point": access_point(policy=AP_ALLOWS_PARTNER), "identity_policies": ALLOW_ALL}
    assert decide(OTHER_ROLE, resource=AP_OBJECT, **through).decision is IMPLICIT  # no bucket grant
    result = decide(OTHER_ROLE, resource=AP_OBJECT, resource_policy=DELEGATE, **through)
    assert result.decision is ALLOW
    assert [ref.policy for ref in result.determining] == ["access_point_policy", "identity_policies[0]",
                                                          "resource_policy"]
    # the bucket policy delegates only to the owner's access points
    other_ap = access_point(policy=AP_ALLOWS_PARTNER, arn=f"arn:aws:s3:us-east-1:{OTHER}:accesspoint/x")
    assert decide(OTHER_ROLE, resource=f"arn:aws:s3:us-east-1:{OTHER}:accesspoint/x/object/report.csv",
                  resource_policy=DELEGATE, identity_policies=ALLOW_ALL,
                  access_point=other_ap).decision is IMPLICIT


def test_access_point_policy_alone_does_not_grant() -> None:
    result = decide(OTHER_ROLE, resource=AP_OBJECT, resource_policy=DELEGATE, identity_policies=ALLOW_ALL,
                    access_point=access_point())
    assert result.decision is IMPLICIT
    assert result.blocked_by == ("access_point_policy",)


def test_same_account_caller_needs_no_bucket_policy_through_its_access_point() -> None:
    assert decide(OWNER_USER, resource=AP_OBJECT, identity_policies=ALLOW_ALL,
                  access_point=access_point()).decision is ALLOW


def test_bucket_policy_deny_applies_through_the_access_point() -> None:
    deny = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
         "Condition": {"StringEquals": {"s3:AccessPointNetworkOrigin": "Internet"}}}]}
    assert decide(OWNER_USER, resource=AP_OBJECT, identity_policies=ALLOW_ALL, resource_policy=deny,
                  access_point=access_point()).decision is EXPLICIT


def test_vpc_access_point_takes_requests_only_from_its_vpc() -> None:
    facts = {"identity_policies": ALLOW_ALL, "access_point": access_point(vpc_id="vpc-1a2b3c")}
    result = decide(OWNER_USER, resource=AP_OBJECT, **facts)
    assert result.decision is IMPLICIT
    assert result.blocked_by == ("access_point_network_origin",)
    assert decide(OWNER_USER, resource=AP_OBJECT, context={"aws:SourceVpc": "vpc-1a2b3c"},
                  **facts).decision is ALLOW


def test_direct_bucket_requests_ignore_the_access_point() -> None:
    # "Attaching an access point to a bucket does not change underlying resource's behavior"
    assert decide(OWNER_USER, identity_policies=ALLOW_ALL,
                  access_point=access_point(vpc_id="vpc-1a2b3c")).decision is ALLOW


# -- KMS grants: AWS KMS Developer Guide, "Grants in AWS KMS"; KMS API Reference, GrantConstraints

KEY_POLICY_ROOT_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"}, "Action": "kms:*", "Resource": "*"}]}


def grant(**extra: Any) -> dict[str, Any]:
    return {"Grants": [{"KeyId": KEY, "GrantId": "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60",
                        "GranteePrincipal": f"arn:aws:iam::{OTHER}:role/reader", "Operations": ["Decrypt"],
                        **extra}]}


def test_grant_allows_its_grantee_without_any_policy() -> None:
    result = decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, resource_policy=KEY_POLICY_ROOT_ONLY,
                    kms_grants=grant())
    assert result.decision is ALLOW
    assert [(ref.policy, ref.sid) for ref in result.determining] == [
        ("kms_grants", "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60")]


def test_grant_allows_only_its_operations() -> None:
    assert decide(OTHER_ROLE, "kms:Encrypt", KEY, resource_account=None, resource_policy=KEY_POLICY_ROOT_ONLY,
                  kms_grants=grant()).decision is IMPLICIT


def test_explicit_deny_and_scps_still_apply_to_a_grant() -> None:
    deny = [{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}]}]
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, identity_policies=deny,
                  kms_grants=grant()).decision is EXPLICIT
    scp_without_kms = [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                                  "Resource": "*"}]}]]
    result = decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, scps=scp_without_kms,
                    kms_grants=grant())
    assert result.decision is IMPLICIT
    assert "scps" in result.blocked_by


def test_grant_to_an_account_delegates_to_its_iam_policies() -> None:
    to_account = grant(GranteePrincipal=f"arn:aws:iam::{OTHER}:root")
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, kms_grants=to_account).decision is IMPLICIT
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, kms_grants=to_account,
                  identity_policies=ALLOW_ALL).decision is ALLOW


def test_encryption_context_subset_constraint() -> None:
    constrained = grant(Constraints={"EncryptionContextSubset": {"Department": "IT"}})
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, kms_grants=constrained).decision is IMPLICIT
    context = {"kms:EncryptionContext:department": "IT", "kms:EncryptionContext:project": "x"}
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, context=context,
                  kms_grants=constrained).decision is ALLOW
    # values compare with case
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None,
                  context={"kms:EncryptionContext:Department": "it"}, kms_grants=constrained).decision is IMPLICIT


def test_encryption_context_equals_constraint_takes_no_other_pair() -> None:
    constrained = grant(Constraints={"EncryptionContextEquals": {"Department": "IT"}})
    exact = {"kms:EncryptionContext:Department": "IT", "kms:EncryptionContextKeys": ["Department"]}
    more = {"kms:EncryptionContext:Department": "IT", "kms:EncryptionContext:project": "x",
            "kms:EncryptionContextKeys": ["Department", "project"]}
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, context=exact,
                  kms_grants=constrained).decision is ALLOW
    assert decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, context=more,
                  kms_grants=constrained).decision is IMPLICIT


def test_constraints_do_not_apply_to_describe_key() -> None:
    constrained = grant(Operations=["Decrypt", "DescribeKey"],
                        Constraints={"EncryptionContextSubset": {"Department": "IT"}})
    assert decide(OTHER_ROLE, "kms:DescribeKey", KEY, resource_account=None,
                  kms_grants=constrained).decision is ALLOW


def test_retiring_principal_may_retire_the_grant() -> None:
    retiring = grant(RetiringPrincipal=f"arn:aws:iam::{OWNER}:role/ops")
    assert decide(f"arn:aws:sts::{OWNER}:assumed-role/ops/s", "kms:RetireGrant", KEY, resource_account=None,
                  kms_grants=retiring).decision is ALLOW
    assert decide(OTHER_ROLE, "kms:RetireGrant", KEY, resource_account=None,
                  kms_grants=retiring).decision is IMPLICIT


def test_bad_grant_is_named() -> None:
    with pytest.raises(InputError, match=r"kms_grants.Grants\[0\].Operations\[0\]: 'Delete' is not a grant"):
        decide(OTHER_ROLE, "kms:Decrypt", KEY, resource_account=None, kms_grants=grant(Operations=["Delete"]))
