"""`perimeter org-convert`: raw `aws organizations` outputs into a snapshot's
`organization.json`.

The input folder holds the CLI's JSON outputs, named by the call and its argument:

    describe-organization.json                          (optional: the id and management account)
    list-roots.json
    list-organizational-units-for-parent/PARENT_ID.json
    list-accounts-for-parent/PARENT_ID.json
    list-policies-for-target/TARGET_ID.SERVICE_CONTROL_POLICY.json
    list-policies-for-target/TARGET_ID.RESOURCE_CONTROL_POLICY.json
    describe-policy/POLICY_ID.json

A missing listing of a parent means it has no OUs or accounts; a missing SCP listing
leaves the node's `scps` out (FullAWSAccess by default), a missing RCP listing means
no RCPs. Policies AWS manages (`FullAWSAccess`, `RCPFullAWSAccess`) need no describe
output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.parse import load_data_file, load_json_text

_SCP, _RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"


class _Converter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, relative: str, *, required: bool) -> Any:
        file = self.folder / relative
        if not file.is_file():
            if required:
                raise InputError(str(file), "", "missing (an `aws organizations` output the converter needs)")
            return None
        return load_data_file(file, str(file))

    def listing(self, relative: str, key: str) -> list[dict[str, Any]] | None:
        data = self.load(relative, required=False)
        if data is None:
            return None
        source = str(self.folder / relative)
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("Id"), str)
                                                  for i in items):
            raise InputError(source, key, "expected a list of objects with an Id")
        return items

    def policies(self, target: str, policy_type: str) -> list[Any] | None:
        relative = f"list-policies-for-target/{target}.{policy_type}.json"
        listed = self.listing(relative, "Policies")
        if listed is None:
            return None
        found: list[Any] = []
        for item in listed:
            if item.get("Name") == "FullAWSAccess" and policy_type == _SCP:
                found.append("FullAWSAccess")
                continue
            if item.get("Name") == "RCPFullAWSAccess" and policy_type == _RCP:
                continue  # attached everywhere and allows everything (§5.4)
            described = self.load(f"describe-policy/{item['Id']}.json", required=True)
            source = str(self.folder / f"describe-policy/{item['Id']}.json")
            content = described.get("Policy", {}).get("Content") if isinstance(described, dict) else None
            if not isinstance(content, str):
                raise InputError(source, "Policy.Content", "expected the policy document as a string")
            found.append(load_json_text(content, f"{source}: Policy.Content"))
        return found

    def node(self, node_id: str, name: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {} if name is None else {"name": name}
        self.attach(data, node_id)
        ous = self.listing(f"list-organizational-units-for-parent/{node_id}.json", "OrganizationalUnits") or []
        accounts = self.listing(f"list-accounts-for-parent/{node_id}.json", "Accounts") or []
        if ous:
            data["ous"] = [self.node(ou["Id"], str(ou.get("Name") or ou["Id"])) for ou in ous]
        if accounts:
            data["accounts"] = [self.account(account) for account in accounts]
        return data

    def account(self, account: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": account["Id"]}
        if isinstance(account.get("Name"), str):
            data["name"] = account["Name"]
        self.attach(data, account["Id"])
        return data

    def attach(self, data: dict[str, Any], target: str) -> None:
        scps = self.policies(target, _SCP)
        if scps is not None:
            data["scps"] = scps
        rcps = self.policies(target, _RCP)
        if rcps:
            data["rcps"] = rcps


def convert_organization(folder: Path) -> dict[str, Any]:
    """The `organization.json` document of a folder of raw outputs."""
    converter = _Converter(folder)
    roots = converter.listing("list-roots.json", "Roots")
    if roots is None:
        raise InputError(str(folder / "list-roots.json"), "", "missing (the output of `aws organizations list-roots`)")
    if len(roots) != 1:
        raise InputError(str(folder / "list-roots.json"), "Roots", f"expected one root, found {len(roots)}")
    document: dict[str, Any] = {}
    described = converter.load("describe-organization.json", required=False)
    if isinstance(described, dict) and isinstance(described.get("Organization"), dict):
        organization = described["Organization"]
        if isinstance(organization.get("Id"), str):
            document["id"] = organization["Id"]
        if isinstance(organization.get("MasterAccountId"), str):
            document["management_account"] = organization["MasterAccountId"]
    document["root"] = converter.node(roots[0]["Id"], None)
    return document


def convert_organization_text(folder: Path) -> str:
    return json.dumps(convert_organization(folder), indent=2) + "\n"
