"""An account's IAM: `GetAccountAuthorizationDetails`, every page, every entity kind,
merged into the one document `iam/ACCOUNT.json` holds (the snapshot's export format).

AWS managed policies that nothing in the account attaches or uses as a boundary are
left out (they are the same in every account, and the analysis reads only the
attached ones); customer managed policies are all kept.
"""

from __future__ import annotations

from typing import Any

from reasoner.collect.calls import CallFailed
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.manifest import IAM

FILTER = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"]
_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


def merge_pages(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The pages' four lists end to end; paging keys and metadata dropped."""
    return {key: [item for page in pages for item in page.get(key) or []] for key in _LISTS}


def _used_policies(details: dict[str, Any]) -> set[str]:
    used: set[Any] = set()
    for key in ("UserDetailList", "GroupDetailList", "RoleDetailList"):
        for entity in details[key]:
            used |= {item.get("PolicyArn") for item in entity.get("AttachedManagedPolicies") or []}
            boundary = entity.get("PermissionsBoundary") or {}
            used.add(boundary.get("PermissionsBoundaryArn"))
    return {arn for arn in used if isinstance(arn, str)}


def prune_unused_aws_policies(details: dict[str, Any]) -> dict[str, Any]:
    used = _used_policies(details)
    kept = [policy for policy in details["Policies"]
            if policy.get("Arn") in used or str(policy.get("Arn", "")).split(":")[4:5] != ["aws"]]
    return {**details, "Policies": kept}


def read_iam(ctx: AccountContext, contents: Contents) -> None:
    client = ctx.client("iam")
    try:
        pages = ctx.recorder.all_pages(ctx.scope(), client, "get_account_authorization_details", Filter=FILTER)
    except CallFailed as failed:
        ctx.lack(IAM, failed.reason, account=ctx.account)
        return
    contents.add_iam(ctx.account, prune_unused_aws_policies(merge_pages(pages)))
