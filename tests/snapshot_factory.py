"""Builds small snapshot folders for the snapshot, graph and reach tests."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

ORG = "o-exampleorg1"
MGMT, PROD, DEV = "111111111111", "222222222222", "333333333333"
BUCKET = "arn:aws:s3:::prod-data"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def trust(principal: Any, action: str = "sts:AssumeRole", **extra: Any) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": principal, "Action": action, **extra})


READ_BUCKET = doc(allow(["s3:GetObject"], [BUCKET, BUCKET + "/*"]))
ORG_BUCKET = doc({"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": BUCKET + "/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})


def role(account: str, name: str, trust_doc: dict[str, Any], *policies: dict[str, Any],
         boundary: str | None = None, tags: dict[str, str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Path": "/", "RoleName": name, "Arn": f"arn:aws:iam::{account}:role/{name}",
        "AssumeRolePolicyDocument": urllib.parse.quote(json.dumps(trust_doc)),
        "RolePolicyList": [{"PolicyName": f"p{i}", "PolicyDocument": urllib.parse.quote(json.dumps(p))}
                           for i, p in enumerate(policies)],
        "AttachedManagedPolicies": [], "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}
    if boundary is not None:
        entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    return entry


def user(account: str, name: str, *policies: dict[str, Any]) -> dict[str, Any]:
    return {"Path": "/", "UserName": name, "Arn": f"arn:aws:iam::{account}:user/{name}", "GroupList": [],
            "UserPolicyList": [{"PolicyName": f"p{i}", "PolicyDocument": p} for i, p in enumerate(policies)],
            "AttachedManagedPolicies": []}


def managed(account: str, name: str, document: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyName": name, "Arn": f"arn:aws:iam::{account}:policy/{name}",
            "PolicyVersionList": [{"Document": urllib.parse.quote(json.dumps(document)), "VersionId": "v1",
                                   "IsDefaultVersion": True}]}


def write_snapshot(folder: Path, accounts: dict[str, dict[str, Any]], *, bucket_policy: dict[str, Any] | None = None,
                   account_scps: dict[str, list[Any]] | None = None, account_rcps: dict[str, list[Any]] | None = None,
                   session_policies: dict[str, Any] | None = None) -> Path:
    """`accounts`: account id -> {"roles": [...], "users": [...], "policies": [...]}."""
    (folder / "iam").mkdir(parents=True, exist_ok=True)
    for account, content in accounts.items():
        details = {"UserDetailList": content.get("users", []), "GroupDetailList": [],
                   "RoleDetailList": content.get("roles", []), "Policies": content.get("policies", [])}
        (folder / "iam" / f"{account}.json").write_text(json.dumps(details))
    scps, rcps = account_scps or {}, account_rcps or {}

    def node(account: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": account}
        if account in scps:
            entry["scps"] = ["FullAWSAccess", *scps[account]]
        if account in rcps:
            entry["rcps"] = rcps[account]
        return entry

    organization = {"id": ORG, "management_account": MGMT,
                    "root": {"accounts": [node(MGMT)], "ous": [{"name": "workloads",
                                                                "accounts": [node(PROD), node(DEV)]}]}}
    (folder / "organization.json").write_text(json.dumps(organization))
    (folder / "resources.json").write_text(json.dumps({BUCKET: {"account": PROD, "policy": bucket_policy
                                                                if bucket_policy is not None else ORG_BUCKET}}))
    if session_policies:
        (folder / "session_policies.json").write_text(json.dumps(session_policies))
    return folder
