"""The organization: its tree (root, OUs, accounts), the SCPs and RCPs attached to each
node, the management account and the delegated administrators, as the snapshot's
`organization.json` (the layout `perimeter org-convert` writes) with each policy in
`organization/POLICY_ID.json`.

A node whose policies cannot be listed is written with `FullAWSAccess` and no RCP
(the most any policy could allow) and named in the manifest, with the accounts under
it, so that an analysis never reads the missing policies as "none". An account whose
place in the tree is not known (a listing of children failed) is written under the
root, its SCPs and RCPs named missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reasoner.collect.calls import CallFailed
from reasoner.collect.context import AccountContext, Contents
from reasoner.collect.documents import UnreadablePolicy, policy_document
from reasoner.collect.manifest import DELEGATED, ORGANIZATION, RCPS, SCPS
from reasoner.policy.model import PolicyType

_SCP, _RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"
_NOT_IN_USE = "AWSOrganizationsNotInUseException"
_NOT_ENABLED = "PolicyTypeNotEnabledException"
POLICY_FOLDER = "organization"


@dataclass
class OrganizationResult:
    status: str  # "complete", "partial" (some pieces missing), "failed" (not read) or "none" (no organization)
    id: str | None = None
    management_account: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)  # active account id -> name
    suspended: tuple[str, ...] = ()


class _Walker:
    def __init__(self, ctx: AccountContext, contents: Contents) -> None:
        self.ctx = ctx
        self.contents = contents
        self.client = ctx.client("organizations")
        self.scope = ctx.scope()
        self.placed: dict[str, dict[str, Any]] = {}  # account id -> its node document
        self.under: dict[str, set[str]] = {}  # node id -> accounts under it
        self.unknown: dict[str, list[tuple[str, str]]] = {SCPS: [], RCPS: []}  # kind -> [(node id, reason)]
        self.incomplete: list[str] = []  # reasons a listing of children failed
        self.described: dict[str, str] = {}  # policy id -> file name

    def pages(self, method: str, key: str, target: str, **params: Any) -> list[Any]:
        return self.ctx.recorder.pages(self.scope, self.client, method, key, target=target, **params)

    def node(self, node_id: str, name: str | None) -> dict[str, Any]:
        document: dict[str, Any] = {} if name is None else {"name": name}
        self.attach(document, node_id)
        accounts: set[str] = set()
        try:
            ous = self.pages("list_organizational_units_for_parent", "OrganizationalUnits", node_id,
                             ParentId=node_id)
        except CallFailed as failed:
            self.incomplete.append(failed.reason)
            ous = []
        try:
            members = self.pages("list_accounts_for_parent", "Accounts", node_id, ParentId=node_id)
        except CallFailed as failed:
            self.incomplete.append(failed.reason)
            members = []
        if ous:
            document["ous"] = []
            for ou in sorted(ous, key=lambda item: str(item.get("Name") or item["Id"])):
                document["ous"].append(self.node(ou["Id"], str(ou.get("Name") or ou["Id"])))
                accounts |= self.under[ou["Id"]]
        if members:
            document["accounts"] = [self.account(member) for member in sorted(members, key=lambda m: m["Id"])]
            accounts |= {member["Id"] for member in members}
        self.under[node_id] = accounts
        return document

    def account(self, member: dict[str, Any]) -> dict[str, Any]:
        document: dict[str, Any] = {"id": member["Id"]}
        if isinstance(member.get("Name"), str):
            document["name"] = member["Name"]
        self.attach(document, member["Id"])
        self.placed[member["Id"]] = document
        self.under[member["Id"]] = {member["Id"]}
        return document

    def attach(self, document: dict[str, Any], target: str) -> None:
        for policy_type, key in ((_SCP, SCPS), (_RCP, RCPS)):
            try:
                entries = self.policies(target, policy_type)
            except (CallFailed, UnreadablePolicy) as failed:
                reason = failed.reason if isinstance(failed, CallFailed) else str(failed)
                self.unknown[key].append((target, reason))
                if policy_type == _SCP:
                    document[key] = ["FullAWSAccess"]  # the most an SCP allows; named missing in the manifest
                continue
            if entries is not None and (entries or policy_type == _SCP):
                document[key] = entries

    def policies(self, target: str, policy_type: str) -> list[Any] | None:
        """The node's policies of the type; None when the type is not enabled (none applies)."""
        listed = self.ctx.recorder.optional_pages(self.scope, self.client, "list_policies_for_target", "Policies",
                                                  (_NOT_ENABLED,), target=target, TargetId=target,
                                                  Filter=policy_type)
        if listed is None:
            return None
        entries: list[Any] = []
        for item in sorted(listed, key=lambda p: p["Id"]):
            managed = item.get("AwsManaged") is True
            if policy_type == _SCP and managed and item.get("Name") == "FullAWSAccess":
                entries.append("FullAWSAccess")
            elif policy_type == _RCP and managed and item.get("Name") == "RCPFullAWSAccess":
                continue  # attached everywhere and allows everything (§5.4)
            else:
                entries.append(f"{POLICY_FOLDER}/{self.describe(item['Id'], policy_type)}")
        return entries

    def describe(self, policy_id: str, policy_type: str) -> str:
        if policy_id in self.described:
            return self.described[policy_id]
        response = self.ctx.recorder.call(self.scope, self.client, "describe_policy", target=policy_id,
                                          PolicyId=policy_id)
        content = (response or {}).get("Policy", {}).get("Content")
        kind = PolicyType.SCP if policy_type == _SCP else PolicyType.RCP
        document = policy_document(content, kind, f"organizations:DescribePolicy {policy_id}")
        name = f"{policy_id}.json"
        self.contents.organization_policies[name] = document
        self.described[policy_id] = name
        return name


def read_organization(ctx: AccountContext, contents: Contents) -> OrganizationResult:
    """The organization as the caller sees it; every failure recorded."""
    recorder, scope = ctx.recorder, ctx.scope()
    client = ctx.client("organizations")
    try:
        described = recorder.call(scope, client, "describe_organization", absent=(_NOT_IN_USE,))
    except CallFailed as failed:
        ctx.lack(ORGANIZATION, failed.reason)
        return OrganizationResult("failed")
    if described is None:
        ctx.manifest.note(f"account {ctx.account} is in no organization: no SCPs or RCPs apply")
        return OrganizationResult("none")
    organization = described.get("Organization", {})
    result = OrganizationResult("complete", id=organization.get("Id"),
                                management_account=organization.get("MasterAccountId"))
    walker = _Walker(ctx, contents)
    try:
        roots = walker.pages("list_roots", "Roots", "")
    except CallFailed as failed:
        ctx.lack(ORGANIZATION, failed.reason)
        result.status = "failed"
        return result
    root_id = roots[0]["Id"]
    root = walker.node(root_id, None)
    try:
        listed: list[Any] | None = walker.pages("list_accounts", "Accounts", "")
    except CallFailed as failed:
        listed = None
        if walker.incomplete:
            ctx.lack(ORGANIZATION, f"the tree is incomplete ({walker.incomplete[0]}) and the accounts "
                                   f"cannot be listed ({failed.reason})")
            result.status = "partial"
    for member in sorted(listed or [], key=lambda m: m["Id"]):
        if member["Id"] not in walker.placed:  # its place in the tree is unknown: under the root, policies unknown
            reason = f"its place in the tree is not known ({walker.incomplete[0] if walker.incomplete else 'unlisted'})"
            root.setdefault("accounts", []).append(walker.account(member))
            walker.unknown[SCPS].append((member["Id"], reason))
            walker.unknown[RCPS].append((member["Id"], reason))
            walker.under[root_id].add(member["Id"])
    for kind, nodes in walker.unknown.items():
        for node, reason in nodes:
            ctx.lack(kind, reason, accounts=tuple(sorted(walker.under.get(node, {node}))))
    statuses = {m["Id"]: str(m.get("Status") or m.get("State") or "ACTIVE") for m in listed or []}
    for account_id, node_document in sorted(walker.placed.items()):
        if statuses.get(account_id, "ACTIVE") == "ACTIVE":
            result.accounts[account_id] = str(node_document.get("name", account_id))
    result.suspended = tuple(sorted(a for a in walker.placed if a not in result.accounts))
    document: dict[str, Any] = {}
    if result.id:
        document["id"] = result.id
    if result.management_account:
        document["management_account"] = result.management_account
    document["root"] = root
    contents.organization = document
    contents.delegated_administrators = _delegated(ctx)
    if walker.unknown[SCPS] or walker.unknown[RCPS]:
        result.status = "partial"
    return result


def _delegated(ctx: AccountContext) -> list[dict[str, Any]] | None:
    """The delegated administrators and their services (organizations:ListDelegatedAdministrators)."""
    client, scope = ctx.client("organizations"), ctx.scope()
    try:
        admins = ctx.recorder.pages(scope, client, "list_delegated_administrators", "DelegatedAdministrators")
        found = []
        for admin in sorted(admins, key=lambda a: a["Id"]):
            services = ctx.recorder.pages(scope, client, "list_delegated_services_for_account", "DelegatedServices",
                                          target=admin["Id"], AccountId=admin["Id"])
            found.append({"account": admin["Id"], "name": admin.get("Name"),
                          "services": sorted(s["ServicePrincipal"] for s in services)})
    except CallFailed as failed:
        ctx.lack(DELEGATED, failed.reason)
        return None
    return found
