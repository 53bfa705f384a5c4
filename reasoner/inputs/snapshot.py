"""Offline account and organization snapshots: the IAM principals of several accounts
(`aws iam get-account-authorization-details`), resource policies, the organization
with its SCPs and RCPs, VPC endpoints, and session policies known to be passed.

A snapshot is a folder (docs/snapshots.md):

    iam/*.json                 one get-account-authorization-details export per account
    resources/*.json           one policy per file, named by the URL-encoded resource ARN;
    resources/ACCOUNT/*.json   ... in a folder named by the owner for ARNs without an account (S3)
    resources.json             or {ARN: policy} / {ARN: {"policy", "account", "tags", "acl", "object_acls",
                               "object_ownership", "public_access_block", "kms_grants"}}
    s3_accounts.json           {ACCOUNT: {"canonical_id", "email", "public_access_block"}}
    organization.json          {"id": "o-...", "management_account", "root": {...}} (the perimeter
                               file's `organization` keys; `perimeter org-convert` writes it)
    vpc_endpoints.json         [{"id", "vpc", "account", "service", "policy"}]
    session_policies.json      {ROLE_ARN: policy}: every session of the role carries this policy
    collection.json            what `perimeter collect` could not read (inputs/collection.py): pieces
                               the analyses must not read as "none"
    organization/*.json        the SCPs and RCPs organization.json names (written by collect)

Every rejection is an `InputError` naming the file and the JSON path.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.evaluation.scenario import account_of_arn
from reasoner.inputs.bucket_inputs import EXTRA_KEYS, read_resource_extras, read_s3_accounts
from reasoner.inputs.collection import Collection, load_collection
from reasoner.inputs.files import optional_file, optional_folder
from reasoner.inputs.model import (
    RESOURCE_TYPES,
    Identity,
    Organization,
    Perimeter,
    Resource,
    S3Account,
    VpcEndpoint,
    ZoneOfTrust,
    fitted,
)
from reasoner.inputs.perimeter_file import PerimeterReader
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.names import entity_problem
from reasoner.policy.parse import load_data_file, load_json_text, parse_policy, policy_label, reads_name
from reasoner.policy.principals import parse_iam_arn
from reasoner.policy.quotas import INLINE, MANAGED, Quota, document_size, over_quota, resource_quota

_ACCOUNT = re.compile(r"\d{12}")
_ORG_ID = re.compile(r"o-[a-z0-9]{10,32}")

Tags = Mapping[str, str]


@dataclass(frozen=True)
class IamRole:
    arn: str
    account: str
    name: str
    trust_policy: Policy
    policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    tags: Tags = field(default_factory=dict)
    session_policy: Policy | None = None  # passed by every session of the role (session_policies.json)
    path: str = "/"
    unique_id: str | None = None  # RoleId (AROA...): a session's aws:userid is ROLEID:SESSION


@dataclass(frozen=True)
class IamUser:
    arn: str
    account: str
    name: str
    policies: tuple[Policy, ...] = ()  # inline, attached and those of its groups
    permissions_boundary: Policy | None = None
    tags: Tags = field(default_factory=dict)
    path: str = "/"
    unique_id: str | None = None  # UserId (AIDA...), the user's aws:userid


@dataclass(frozen=True)
class AccountSnapshot:
    account: str
    source: str
    users: tuple[IamUser, ...] = ()
    roles: tuple[IamRole, ...] = ()


def _first_by_arn(items: tuple[Any, ...]) -> dict[str, Any]:
    """Each item by its ARN, the first of those sharing one."""
    return {item.arn: item for item in reversed(items)}


@dataclass(frozen=True)
class Snapshot:
    source: str
    accounts: tuple[AccountSnapshot, ...] = ()
    resources: tuple[Resource, ...] = ()
    organization: Organization | None = None
    organization_id: str | None = None
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    collection: Collection | None = None  # the manifest of a collected snapshot: what is missing
    s3_accounts: Mapping[str, S3Account] = field(default_factory=dict)  # s3_accounts.json

    @property
    def roles(self) -> tuple[IamRole, ...]:
        return tuple(role for account in self.accounts for role in account.roles)

    @property
    def users(self) -> tuple[IamUser, ...]:
        return tuple(user for account in self.accounts for user in account.users)

    def role(self, arn: str) -> IamRole | None:
        return self._roles_by_arn.get(arn)

    def user(self, arn: str) -> IamUser | None:
        return next((user for user in self.users if user.arn == arn), None)

    def resource(self, arn: str) -> Resource | None:
        return self._resources_by_arn.get(arn)

    # by ARN, the first of each (a query per resource of an organization would otherwise
    # walk every role and resource: quadratic at 10,000 roles and 2,000 resources)
    @functools.cached_property
    def _roles_by_arn(self) -> dict[str, IamRole]:
        return _first_by_arn(self.roles)

    @functools.cached_property
    def _resources_by_arn(self) -> dict[str, Resource]:
        return _first_by_arn(self.resources)

    def organization_accounts(self) -> tuple[str, ...]:
        return () if self.organization is None else self.organization.accounts()

    def known_accounts(self) -> tuple[str, ...]:
        """Accounts of the organization and of the IAM exports."""
        return tuple(sorted(set(self.organization_accounts()) | {a.account for a in self.accounts}))

    def policies(self) -> tuple[Policy, ...]:
        """Every policy of the snapshot: resources', endpoints', the organization's, and
        each user's and role's (trust, session and boundary policies included)."""
        found = list(self.as_perimeter().policies())
        for role in self.roles:
            found.append(role.trust_policy)
            if role.session_policy is not None:
                found.append(role.session_policy)
        return tuple(found)

    def as_perimeter(self) -> Perimeter:
        """The snapshot as a perimeter without invariants (for the prover's helpers)."""
        zone = ZoneOfTrust(organization_ids=(self.organization_id,) if self.organization_id else ())
        return Perimeter(source=self.source, zone=zone, organization=self.organization, resources=self.resources,
                         vpc_endpoints=self.vpc_endpoints, identities=identities_of(self),
                         s3_accounts=self.s3_accounts)


def identities_of(snapshot: Snapshot) -> tuple[Identity, ...]:
    found = [Identity(arn=user.arn, account=user.account, policies=user.policies,
                      permissions_boundary=user.permissions_boundary, tags=user.tags) for user in snapshot.users]
    found += [Identity(arn=role.arn, account=role.account, policies=role.policies,
                       permissions_boundary=role.permissions_boundary, tags=role.tags) for role in snapshot.roles]
    return tuple(found)


def identities_from_snapshot(path: Path) -> tuple[Identity, ...]:
    """Every user and role of a snapshot folder, for a perimeter file's `snapshot:` key."""
    return identities_of(load_snapshot(path))


# ---------------------------------------------------------------------------
# Loading


def load_snapshot(path: Path) -> Snapshot:
    source = str(path)
    if not path.is_dir():
        raise InputError(source, "", "expected a snapshot folder (with iam/, resources/, organization.json, ...)")
    iam_dir = optional_folder(path / "iam")
    files = sorted(iam_dir.glob("*.json")) if iam_dir is not None else []
    for file in files:
        optional_file(file)  # a folder named ACCOUNT.json is not an export
    if not files:
        raise InputError(source, "iam", "no get-account-authorization-details export (iam/*.json) found")
    organization, organization_id = _organization(path)
    session_policies = _session_policies(path / "session_policies.json")
    accounts = [load_account_details(file, session_policies) for file in files]
    seen: dict[str, str] = {}
    for account in accounts:
        if account.account in seen:
            raise InputError(account.source, "", f"account {account.account} is also exported in "
                                                 f"{seen[account.account]}")
        seen[account.account] = account.source
    known_roles = {role.arn for account in accounts for role in account.roles}
    for arn in session_policies:
        if arn not in known_roles:
            raise InputError(str(path / "session_policies.json"), arn, "no role of the snapshot has this ARN")
    return Snapshot(source=source, accounts=tuple(accounts), resources=_resources(path),
                    organization=organization, organization_id=organization_id,
                    vpc_endpoints=_endpoints(path / "vpc_endpoints.json"), collection=load_collection(path),
                    s3_accounts=_s3_accounts(path / "s3_accounts.json"))


def _s3_accounts(file: Path) -> dict[str, S3Account]:
    if optional_file(file) is None:
        return {}
    return read_s3_accounts(load_data_file(file, str(file)), source=str(file), path="", base_dir=file.parent)


def _organization(folder: Path) -> tuple[Organization | None, str | None]:
    found = [file for name in ("organization.json", "organization.yaml", "organization.yml")
             if (file := optional_file(folder / name)) is not None]
    if len(found) > 1:
        raise InputError(str(folder), "", f"give one of {', '.join(file.name for file in found)}, not both")
    if not found:
        return None, None
    file = found[0]
    source = str(file)
    data = load_data_file(file, source)
    if not isinstance(data, dict):
        raise InputError(source, "", "expected a mapping with the keys id, management_account, root")
    org_id = data.get("id")
    if org_id is not None and (not isinstance(org_id, str) or not _ORG_ID.fullmatch(org_id)):
        raise InputError(source, "id", "expected an organization id (o-...)")
    tree = {key: value for key, value in data.items() if key != "id"}
    reader = PerimeterReader(source, file.parent, {})
    organization = reader.organization(tree)
    return organization, org_id


def _session_policies(file: Path) -> dict[str, Policy]:
    if optional_file(file) is None:
        return {}
    source = str(file)
    data = load_data_file(file, source)
    if not isinstance(data, dict):
        raise InputError(source, "", "expected a mapping of role ARNs to session policies")
    found = {}
    for arn, document in data.items():
        if parse_iam_arn(str(arn), kind="role") is None:
            raise InputError(source, str(arn), "expected a role ARN as the key")
        found[str(arn)] = parse_policy(document, PolicyType.SESSION, source=source, base_path=str(arn))
    return found


def _endpoints(file: Path) -> tuple[VpcEndpoint, ...]:
    if optional_file(file) is None:
        return ()
    source = str(file)
    data = load_data_file(file, source)
    return PerimeterReader(source, file.parent, {}).endpoints(data)


# -- IAM exports ---------------------------------------------------------------


class _Details:
    """Reads one get-account-authorization-details document."""

    def __init__(self, source: str, data: Any) -> None:
        self.source = source
        if not isinstance(data, dict):
            raise self.error("", "expected the JSON object of `aws iam get-account-authorization-details`")
        unknown = [key for key in data if key not in _DETAIL_KEYS]
        if unknown:
            raise self.error(str(unknown[0]), f"unknown key (expected one of {', '.join(_DETAIL_KEYS)})")
        self.data = data
        # policies parsed from a document's text, by the text: the roles of an account
        # repeat the same few documents (a role per team from one template)
        self.parsed: dict[tuple[str, PolicyType, Quota | None, str | None], tuple[Policy, Any]] = {}
        self.managed_documents = self.managed_policies()

    def error(self, path: str, message: str) -> InputError:
        return InputError(self.source, path, message)

    def items(self, key: str) -> list[tuple[dict[str, Any], str]]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, "expected a list")
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{index}]", "expected an object")
            found.append((item, f"{key}[{index}]"))
        return found

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(f"{path}.{key}", "missing" if value is None else "expected a non-empty string")
        return value

    def check_name(self, arn: str, path: str) -> None:
        """IAM names and paths follow AWS's rules: a name with wildcards or of any
        length would be matched against every policy pattern (and AWS has none)."""
        problem = entity_problem(arn)
        if problem is not None:
            raise self.error(path, problem)

    def loaded(self, value: Any, path: str) -> Any:
        """A policy document's JSON: an object, or a string (URL-encoded in real exports)."""
        if isinstance(value, str):
            text = urllib.parse.unquote(value) if value.lstrip().startswith("%") or "%22" in value else value
            try:
                value = load_json_text(text, self.source)
            except InputError as error:
                raise self.error(path, f"policy document is not JSON ({error.message})") from None
        if value is None:
            raise self.error(path, "missing")
        return value

    def document(self, value: Any, path: str, policy_type: PolicyType, name: str | None,
                 quota: Quota | None = None) -> Policy:
        return self.parsed_document(value, path, policy_type, name, quota)[0]

    def parsed_document(self, value: Any, path: str, policy_type: PolicyType, name: str | None,
                        quota: Quota | None = None) -> tuple[Policy, Any]:
        """The policy, and its document as loaded (`loaded`)."""
        if not isinstance(value, str):
            document = self.loaded(value, path)
            return parse_policy(document, policy_type, source=self.source, base_path=path, name=name,
                                quota=quota), document
        # parsing is a function of the text, type, quota (and an RCP's name); the
        # policy's own label and name are its place's
        key = (value, policy_type, quota, name if reads_name(policy_type) else None)
        known = self.parsed.get(key)
        if known is not None:
            return replace(known[0], source=policy_label(self.source, path), name=name), known[1]
        document = self.loaded(value, path)
        found = self.parsed[key] = (parse_policy(document, policy_type, source=self.source, base_path=path,
                                                 name=name, quota=quota), document)
        return found

    def managed_policies(self) -> dict[str, tuple[Any, str, str]]:
        """ARN -> (default version's document, its path, policy name)."""
        found: dict[str, tuple[Any, str, str]] = {}
        for policy, path in self.items("Policies"):
            arn = self.string(policy, "Arn", path)
            name = policy.get("PolicyName") if isinstance(policy.get("PolicyName"), str) else arn.rsplit("/", 1)[-1]
            versions = policy.get("PolicyVersionList")
            if not isinstance(versions, list):
                raise self.error(f"{path}.PolicyVersionList", "missing" if versions is None else "expected a list")
            default = [(index, v) for index, v in enumerate(versions)
                       if isinstance(v, dict) and v.get("IsDefaultVersion") is True]
            if len(default) != 1:
                raise self.error(f"{path}.PolicyVersionList", f"expected one default version, found {len(default)}")
            index, version = default[0]
            document_path = f"{path}.PolicyVersionList[{index}].Document"
            found[arn] = (version.get("Document"), document_path, str(name))
        return found

    def managed(self, arn: str, path: str, policy_type: PolicyType) -> Policy:
        entry = self.managed_documents.get(arn)
        if entry is None:
            raise self.error(path, f"managed policy {arn} is not in Policies (a partial export? include "
                                   "LocalManagedPolicy and AWSManagedPolicy in --filter)")
        document, document_path, name = entry
        # a customer managed policy's quota; an AWS managed one (arn:aws:iam::aws:policy/...) has none
        customer = arn.split(":")[4:5] != ["aws"]
        return self.document(document, document_path, policy_type, name, MANAGED if customer else None)

    def attached(self, data: Mapping[str, Any], path: str) -> list[Policy]:
        value = data.get("AttachedManagedPolicies", [])
        if not isinstance(value, list):
            raise self.error(f"{path}.AttachedManagedPolicies", "expected a list")
        found = []
        for index, item in enumerate(value):
            item_path = f"{path}.AttachedManagedPolicies[{index}]"
            if not isinstance(item, dict):
                raise self.error(item_path, "expected an object")
            found.append(self.managed(self.string(item, "PolicyArn", item_path), item_path, PolicyType.IDENTITY))
        return found

    def inline(self, data: Mapping[str, Any], key: str, path: str) -> list[Policy]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.error(f"{path}.{key}", "expected a list")
        found = []
        size = 0
        quota = INLINE[key.removesuffix("PolicyList").lower()]
        for index, item in enumerate(value):
            item_path = f"{path}.{key}[{index}]"
            if not isinstance(item, dict):
                raise self.error(item_path, "expected an object")
            name = item.get("PolicyName") if isinstance(item.get("PolicyName"), str) else None
            policy, document = self.parsed_document(item.get("PolicyDocument"), f"{item_path}.PolicyDocument",
                                                    PolicyType.IDENTITY, name, quota)
            found.append(policy)
            # the quota is on the entity's inline policies together (IAM and AWS STS quotas)
            size += document_size(document)
            problem = over_quota(size, quota)
            if problem is not None:
                raise self.error(f"{path}.{key}", f"{problem}; {index + 1} policies")
        return found

    def boundary(self, data: Mapping[str, Any], path: str) -> Policy | None:
        value = data.get("PermissionsBoundary")
        if value is None:
            return None
        boundary_path = f"{path}.PermissionsBoundary"
        if not isinstance(value, dict):
            raise self.error(boundary_path, "expected an object")
        arn = self.string(value, "PermissionsBoundaryArn", boundary_path)
        return self.managed(arn, f"{boundary_path}.PermissionsBoundaryArn", PolicyType.BOUNDARY)

    def tags(self, data: Mapping[str, Any], path: str) -> dict[str, str]:
        value = data.get("Tags", [])
        if not isinstance(value, list):
            raise self.error(f"{path}.Tags", "expected a list of {Key, Value}")
        tags = {}
        for index, item in enumerate(value):
            item_path = f"{path}.Tags[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("Key"), str) or \
                    not isinstance(item.get("Value"), str):
                raise self.error(item_path, "expected {Key: string, Value: string}")
            tags[item["Key"]] = item["Value"]
        return tags

    def groups(self) -> dict[str, list[Policy]]:
        found = {}
        for group, path in self.items("GroupDetailList"):
            name = self.string(group, "GroupName", path)
            found[name] = self.inline(group, "GroupPolicyList", path) + self.attached(group, path)
        return found

    def users(self) -> list[IamUser]:
        groups = self.groups()
        found = []
        for user, path in self.items("UserDetailList"):
            arn = self.string(user, "Arn", path)
            match = parse_iam_arn(arn, kind="user")
            if match is None:
                raise self.error(f"{path}.Arn", f'"{arn}" is not an IAM user ARN')
            self.check_name(arn, f"{path}.Arn")
            policies = self.inline(user, "UserPolicyList", path) + self.attached(user, path)
            memberships = user.get("GroupList", [])
            if not isinstance(memberships, list):
                raise self.error(f"{path}.GroupList", "expected a list of group names")
            for index, group in enumerate(memberships):
                if group not in groups:
                    raise self.error(f"{path}.GroupList[{index}]", f'group "{group}" is not in GroupDetailList')
                policies += groups[group]
            found.append(IamUser(arn=arn, account=match.account, name=match.name, policies=tuple(policies),
                                 permissions_boundary=self.boundary(user, path), tags=self.tags(user, path),
                                 path=str(user.get("Path", "/")), unique_id=_unique_id(user.get("UserId"))))
        return found

    def roles(self, session_policies: Mapping[str, Policy]) -> list[IamRole]:
        found = []
        for role, path in self.items("RoleDetailList"):
            arn = self.string(role, "Arn", path)
            match = parse_iam_arn(arn, kind="role")
            if match is None:
                raise self.error(f"{path}.Arn", f'"{arn}" is not an IAM role ARN')
            self.check_name(arn, f"{path}.Arn")
            trust = self.document(role.get("AssumeRolePolicyDocument"), f"{path}.AssumeRolePolicyDocument",
                                  PolicyType.TRUST, f"trust policy of {match.name}")
            found.append(IamRole(arn=arn, account=match.account, name=match.name, trust_policy=trust,
                                 policies=tuple(self.inline(role, "RolePolicyList", path) + self.attached(role, path)),
                                 permissions_boundary=self.boundary(role, path), tags=self.tags(role, path),
                                 session_policy=session_policies.get(arn), path=str(role.get("Path", "/")),
                                 unique_id=_unique_id(role.get("RoleId"))))
        return found


def _unique_id(value: object) -> str | None:
    """An IAM unique id (AIDA..., AROA...), when the export gives one."""
    return value if isinstance(value, str) and re.fullmatch(r"[A-Z0-9]{16,128}", value) else None


_DETAIL_KEYS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "IsTruncated", "Marker",
                "ResponseMetadata")


def load_account_details(path: Path, session_policies: Mapping[str, Policy] | None = None) -> AccountSnapshot:
    """One `aws iam get-account-authorization-details` export; the account is read from
    the ARNs, or from the file name (`123456789012.json`) when the export is empty."""
    source = str(path)
    reader = _Details(source, load_data_file(path, source))
    if reader.data.get("IsTruncated") is True:
        raise InputError(source, "IsTruncated", "the export is truncated: page through every Marker and merge")
    for key in _DETAIL_KEYS[:4]:
        # an absent list would read as "no roles" and could turn a leak into a proof
        if key not in reader.data:
            raise InputError(source, key, "missing: export without --filter (an account with none has an empty list)")
    users = reader.users()
    roles = reader.roles(session_policies or {})
    accounts = {item.account for item in users} | {item.account for item in roles}
    if len(accounts) > 1:
        raise InputError(source, "", f"principals of several accounts in one export ({', '.join(sorted(accounts))}); "
                                     "give one file per account")
    if accounts and _ACCOUNT.fullmatch(path.stem) and path.stem not in accounts:
        raise InputError(source, "", f"the file is named for account {path.stem} but its principals are of "
                                     f"{', '.join(sorted(accounts))}")
    if accounts:
        account = accounts.pop()
    elif _ACCOUNT.fullmatch(path.stem):
        account = path.stem
    else:
        raise InputError(source, "", "no principal names the account: name the file ACCOUNT_ID.json")
    return AccountSnapshot(account=account, source=source, users=tuple(users), roles=tuple(roles))


# -- resources -----------------------------------------------------------------

_SERVICE_TYPES = {
    "s3": "AWS::S3::Bucket", "kms": "AWS::KMS::Key", "sqs": "AWS::SQS::Queue", "sns": "AWS::SNS::Topic",
    "lambda": "AWS::Lambda::Function", "secretsmanager": "AWS::SecretsManager::Secret",
    "ecr": "AWS::ECR::Repository", "dynamodb": "AWS::DynamoDB::Table", "iam": "AWS::IAM::Role",
}


def resource_type_of(arn: str) -> str | None:
    """The CloudFormation type of a resource ARN, for the types a snapshot supports."""
    fields = arn.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return None
    if fields[2] == "s3" and fields[5].startswith("accesspoint/") and _ACCOUNT.fullmatch(fields[4]):
        return "AWS::S3::AccessPoint" if "/" not in fields[5][len("accesspoint/"):] else None
    found = _SERVICE_TYPES.get(fields[2])
    return found if found in RESOURCE_TYPES else None


def make_resource(arn: str, document: Any, *, source: str, path: str, account: str | None,
                  tags: Mapping[str, str] | None = None, extras: Mapping[str, Any] | None = None) -> Resource:
    fields = arn.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        raise InputError(source, path, f'"{arn}" is not an ARN (arn:partition:service:region:account:resource)')
    kind = resource_type_of(arn)
    if kind is None:
        raise InputError(source, path, f'"{arn}" is not an ARN of a supported resource type '
                                       f'({", ".join(sorted(set(_SERVICE_TYPES)))})')
    named = account_of_arn(arn)
    if named is not None and account is not None and named != account:
        raise InputError(source, path, f'"{arn}" is of account {named}, not of {account} where it is filed')
    owner = named or account
    if owner is None:
        raise InputError(source, path, f'"{arn}" has no account: put the file in resources/ACCOUNT_ID/, or give '
                                       '"account" in resources.json')
    policy_type = PolicyType.TRUST if kind == "AWS::IAM::Role" else PolicyType.RESOURCE
    policy = None if document is None else parse_policy(document, policy_type, source=source, base_path=path,
                                                        quota=resource_quota(kind))
    return fitted(Resource(arn=arn, account=owner, resource_type=kind, policy=policy, tags=dict(tags or {}),
                           **(extras or {})))


def _resources(folder: Path) -> tuple[Resource, ...]:
    found: list[Resource] = []
    directory = optional_folder(folder / "resources")
    if directory is not None:
        for file in sorted(directory.rglob("*")):
            if file.suffix.lower() not in (".json", ".yaml", ".yml") or optional_file(file) is None:
                continue
            owner = file.parent.name if file.parent != directory else None
            if owner is not None and not _ACCOUNT.fullmatch(owner):
                raise InputError(str(file), "", "resource folders are named by a 12-digit account id")
            arn = urllib.parse.unquote(file.stem)
            found.append(make_resource(arn, load_data_file(file, str(file)), source=str(file), path="",
                                       account=owner))
    listing = optional_file(folder / "resources.json")
    if listing is not None:
        found.extend(_resources_json(listing))
    arns: set[str] = set()
    for resource in found:
        if resource.arn in arns:
            raise InputError(str(folder), "resources", f'resource "{resource.arn}" is given twice')
        arns.add(resource.arn)
    return tuple(found)


def _resources_json(file: Path) -> list[Resource]:
    source = str(file)
    data = load_data_file(file, source)
    if not isinstance(data, dict):
        raise InputError(source, "", "expected a mapping of resource ARNs to policies")
    found = []
    for arn, entry in data.items():
        key = str(arn)
        if isinstance(entry, dict) and "policy" in entry and "Statement" not in entry:
            known = ("policy", "account", "tags", *EXTRA_KEYS)
            unknown = [k for k in entry if k not in known]
            if unknown:
                raise InputError(source, f"{key}.{unknown[0]}", f"unknown key (expected one of {', '.join(known)})")
            tags = entry.get("tags") or {}
            if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
                raise InputError(source, f"{key}.tags", "expected a mapping of tag keys to strings")
            account = entry.get("account")
            if account is not None and (not isinstance(account, str) or not _ACCOUNT.fullmatch(account)):
                raise InputError(source, f"{key}.account", "expected a 12-digit account id (a string)")
            kind = resource_type_of(key) or ""
            extras = read_resource_extras(entry, key, kind, source=source, path=key, base_dir=file.parent)
            found.append(make_resource(key, entry["policy"], source=source, path=f"{key}.policy",
                                       account=account, tags=tags, extras=extras))
        else:
            found.append(make_resource(key, entry, source=source, path=key, account=None))
    return found


def with_snapshot(perimeter: Perimeter) -> Perimeter:
    """The perimeter with the users and roles of its account snapshot (`snapshot:`)
    added to its declared identities; the snapshot's organization and resources
    are used where the perimeter file declares none. What a collection could not read
    (collection.json) is among the perimeter's unknowns: a proof without it would be
    about another organization."""
    if perimeter.snapshot is None:
        return perimeter
    snapshot = load_snapshot(perimeter.snapshot)
    if snapshot.collection is not None and snapshot.collection.pieces:
        missing = tuple(f"{snapshot.collection.source}: not collected: {piece}" for piece in snapshot.collection.pieces)
        perimeter = replace(perimeter, unknowns=perimeter.unknowns + missing)
    declared = {identity.arn for identity in perimeter.identities}
    extra = tuple(i for i in snapshot.as_perimeter().identities if i.arn not in declared)
    return replace(perimeter, identities=perimeter.identities + extra,
                   organization=perimeter.organization or snapshot.organization,
                   resources=perimeter.resources or snapshot.resources,
                   s3_accounts=perimeter.s3_accounts or snapshot.s3_accounts,
                   vpc_endpoints=perimeter.vpc_endpoints or snapshot.vpc_endpoints)
