"""Perimeter files: reading the zone of trust, the organization, the resources,
endpoints and identities, and the invariants `perimeter prove` proves over them
into the perimeter model (`reasoner.inputs.model`).

A perimeter file is YAML (`.yaml`, `.yml`), TOML (`.toml`) or JSON;
docs/perimeter-file.md documents every key. Policy files are named
relative to the perimeter file and may be globs. Every rejection is an `InputError`
naming the perimeter file and the path of the offending key
(`perimeter.yaml: invariants[2].expect: expected "deny" or "allow"`).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from reasoner.errors import InputError
from reasoner.evaluation.spaces import ConstraintOp, ContextConstraint
from reasoner.inputs.bucket_inputs import EXTRA_KEYS, read_resource_extras, read_s3_accounts
from reasoner.inputs.model import (
    BUILT_IN_CHECKS,
    FULL_AWS_ACCESS,
    RESOURCE_TYPES,
    Exceptions,
    Expect,
    Identity,
    Invariant,
    Organization,
    OrgNode,
    Perimeter,
    PrincipalClass,
    PrincipalClassKind,
    Resource,
    VpcEndpoint,
    ZoneOfTrust,
    fitted,
)
from reasoner.policy.catalogue import ACTION_PATTERN
from reasoner.policy.matching import is_resource_pattern
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.names import entity_problem
from reasoner.policy.parse import MAX_NESTING, check_nesting, json_lines, load_data_file, load_policy_file, parse_policy
from reasoner.policy.quotas import Quota, resource_quota
from reasoner.policy.references import PolicyReferences
from reasoner.policy.resource_types import resource_type as lookup_resource_type
from reasoner.policy.values import parse_cidr


def load_perimeter(path: Path) -> Perimeter:
    source = str(path)
    data = _load_document(path, source)
    suffix = path.suffix.lower()
    lines = _invariant_lines(path) if suffix in (".yaml", ".yml") else _json_invariant_lines(path) if suffix == (
        ".json") else {}
    return PerimeterReader(source, path.parent, lines).perimeter(data)


def _load_document(path: Path, source: str) -> Any:
    if path.suffix.lower() != ".toml":
        return load_data_file(path, source)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except RecursionError:  # tomllib reads nested arrays recursively
        raise InputError(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    except OSError as error:
        raise InputError(source, "", f"cannot read file: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(source, "", f"not UTF-8 text (bad byte at offset {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(source, "", f"invalid TOML: {error}") from None
    check_nesting(document, source)
    return document


def _invariant_lines(path: Path) -> dict[int, int]:
    """1-based line of each item of the top-level `invariants` list (the file has already loaded)."""
    node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "invariants" and isinstance(value, yaml.SequenceNode):
            return {index: item.start_mark.line + 1 for index, item in enumerate(value.value)}
    return {}


def _json_invariant_lines(path: Path) -> dict[int, int]:
    lines = json_lines(path.read_text(encoding="utf-8-sig"), max_depth=2)
    return {int(key[len("invariants["):-1]): line for key, line in lines.items()
            if re.fullmatch(r"invariants\[\d+\]", key)}


_TOP_LEVEL_KEYS = ("description", "zone", "organization", "resources", "vpc_endpoints", "identities",
                   "snapshot", "terraform_plan", "cloudformation", "invariants",
                   "s3_accounts")
_TERRAFORM_KEYS = ("plan", "terraform_dir", "account")
_CLOUDFORMATION_KEYS = ("template", "parameters", "parameters_file", "account")
_ZONE_KEYS = ("organization_ids", "trusted_accounts", "trusted_service_principals", "trusted_principal_arns",
              "vpc_ids", "vpc_endpoint_ids", "cidrs")
_ORG_KEYS = ("management_account", "root")
_NODE_KEYS = ("name", "id", "scps", "rcps", "ous", "accounts")
# AWS Organizations API Reference, "Root" and "OrganizationalUnit" data types (Id):
# ^r-[0-9a-z]{4,32}$ and ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$
_NODE_IDS = {"root": (re.compile(r"r-[0-9a-z]{4,32}"), "a root id (r-...)"),
             "ou": (re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}"), "an OU id (ou-...-...)")}
_ACCOUNT_NODE_KEYS = ("id", "name", "scps", "rcps")
_RESOURCE_KEYS = ("arn", "type", "account", "policy", "policies", "tags", *EXTRA_KEYS)
_ENDPOINT_KEYS = ("id", "vpc", "account", "service", "policy")
_IDENTITY_KEYS = ("arn", "policies", "permissions_boundary", "tags")
_BUILT_IN_KEYS = ("id", "check", "description", "actions", "resources", "principal_tags", "exceptions")
_CUSTOM_KEYS = ("id", "check", "description", "principals", "actions", "resources", "context", "expect")
_EXCEPTION_KEYS = ("principal_tags", "resource_tags", "principal_arns", "resources", "accounts",
                   "service_principals", "via_aws_service")
_CONSTRAINT_OPS = tuple(op.value for op in ConstraintOp)

_ACCOUNT_ID = re.compile(r"\d{12}")
_ORG_ID = re.compile(r"o-[a-z0-9]{10,32}")
_VPC_ID = re.compile(r"vpc-[0-9a-f]+")
_VPCE_ID = re.compile(r"vpce-[0-9a-f]+")
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
_IDENTITY_ARN = re.compile(r"arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):(?:role|user)/.+")


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _may_name_a_principal(service: str, resource: str) -> bool:
    """Can an ARN pattern's service and resource parts match a principal's ARN? On
    the literal text before the first wildcard (§1.5 principal forms)."""
    forms = ("root", "user/", "role/", "assumed-role/", "federated-user/")
    service_ok = service in ("iam", "sts") or any(c in service for c in "*?")
    literal = re.split(r"[*?]", resource, maxsplit=1)[0]
    return service_ok and any(literal.startswith(form) or form.startswith(literal) for form in forms)


class PerimeterReader:
    """Reads one perimeter document; holds what every error message needs."""

    def __init__(self, source: str, base_dir: Path, invariant_lines: Mapping[int, int]) -> None:
        self.source = source
        self.base_dir = base_dir
        self.invariant_lines = invariant_lines
        self.references = PolicyReferences(source, base_dir, globs=True)

    def error(self, path: str, message: str) -> InputError:
        return InputError(self.source, path, message)

    # -- generic values ------------------------------------------------------

    def mapping(self, value: Any, path: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, "expected a mapping")
        for key in value:
            if key not in keys:
                raise self.error(_join(path, str(key)), f"unknown key (expected one of {', '.join(keys)})")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.error(path, "expected a non-empty string")
        return value

    def optional_string(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = data.get(key)
        return None if value is None else self.string(value, _join(path, key))

    def required(self, data: Mapping[str, Any], key: str, path: str) -> Any:
        if data.get(key) is None:
            raise self.error(_join(path, key), "missing")
        return data[key]

    def strings(self, value: Any, path: str, pattern: re.Pattern[str] | None = None, what: str = "") -> tuple[str, ...]:
        """A string or a list of strings; each must fully match `pattern` when given."""
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise self.error(path, "expected a string or a list of strings")
        result = []
        for index, item in enumerate(items):
            item_path = _join(path, index) if isinstance(value, list) else path
            text = self.string(item, item_path)
            if pattern is not None and not pattern.fullmatch(text):
                raise self.error(item_path, f'"{text}" is not {what}')
            result.append(text)
        return tuple(result)

    def account(self, value: Any, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            raise self.error(path, "expected a 12-digit account id as a string (quote it: leading zeros matter)")
        text = self.string(value, path)
        if not _ACCOUNT_ID.fullmatch(text):
            raise self.error(path, f'"{text}" is not a 12-digit account id')
        return text

    def tags(self, value: Any, path: str) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, "expected a mapping of tag keys to string values")
        tags: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise self.error(_join(path, str(key)), "expected a tag key (a string)")
            if isinstance(item, bool):
                item = "true" if item else "false"
            tags[key] = self.string(item, _join(path, key))
        return tags

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(path, "expected true or false")
        return value

    # -- policies ------------------------------------------------------------

    def policies(self, value: Any, path: str, policy_type: PolicyType) -> tuple[Policy, ...]:
        """A list of policy entries: file paths, globs, inline policy objects, or (SCPs) `FullAWSAccess`."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result: list[Policy] = []
        for index, item in enumerate(items):
            item_path = _join(path, index) if isinstance(value, list) else path
            result.extend(self.policy_entry(item, item_path, policy_type))
        return tuple(result)

    def policy_entry(self, value: Any, path: str, policy_type: PolicyType,
                     quota: Quota | None = None) -> tuple[Policy, ...]:
        if isinstance(value, str) and self.string(value, path) == FULL_AWS_ACCESS and policy_type is PolicyType.SCP:
            return (full_aws_access(),)
        return self.references.entry(value, path, policy_type, quota)

    def one_policy(self, value: Any, path: str, policy_type: PolicyType,
                   quota: Quota | None = None) -> Policy | None:
        if value is None:
            return None
        found = self.policy_entry(value, path, policy_type, quota)
        if len(found) != 1:
            raise self.error(path, f"expected one policy file, the glob matched {len(found)}")
        return found[0]

    def files(self, pattern: str, path: str) -> list[Path]:
        """Files named by a path or glob relative to the perimeter file, sorted."""
        return self.references.files(pattern, path)

    # -- sections ------------------------------------------------------------

    def perimeter(self, data: Any) -> Perimeter:
        if not isinstance(data, dict):
            raise self.error("", "expected a mapping with the keys zone, organization, resources, invariants, ...")
        self.mapping(data, "", _TOP_LEVEL_KEYS)
        if data.get("description") is not None:
            self.string(data["description"], "description")
        snapshot = self.optional_string(data, "snapshot", "")
        organization = None if data.get("organization") is None else self.organization(data["organization"])
        invariants = self.invariants(self.required(data, "invariants", ""))
        perimeter = Perimeter(
            source=self.source,
            zone=self.zone(data.get("zone")),
            organization=organization,
            resources=self.resources(data.get("resources")),
            vpc_endpoints=self.endpoints(data.get("vpc_endpoints")),
            identities=self.identities(data.get("identities")),
            invariants=invariants,
            snapshot=None if snapshot is None else Path(os.path.normpath(self.base_dir / snapshot)),
            s3_accounts={} if data.get("s3_accounts") is None else read_s3_accounts(
                data["s3_accounts"], source=self.source, path="s3_accounts", base_dir=self.base_dir),
        )
        for key in ("terraform_plan", "cloudformation"):
            for item, path in self.items(data.get(key), key):
                perimeter = self.infrastructure(perimeter, key, item, path)
        return perimeter

    def infrastructure(self, perimeter: Perimeter, key: str, value: Any, path: str) -> Perimeter:
        """`terraform_plan:` or `cloudformation:`: a file (relative to the perimeter file) or
        a mapping with its options; what it declares joins the perimeter
        (reasoner/inputs/iac/perimeter.py)."""
        from reasoner.inputs.iac.perimeter import join_inventory
        from reasoner.inputs.iac.sources import IacInput

        terraform = key == "terraform_plan"
        file_key = "plan" if terraform else "template"
        data = {file_key: value} if isinstance(value, str) else self.mapping(
            value, path, _TERRAFORM_KEYS if terraform else _CLOUDFORMATION_KEYS)
        file = self.base_dir / self.string(self.required(data, file_key, path), _join(path, file_key))
        account = None if data.get("account") is None else self.account(data["account"], _join(path, "account"))
        if terraform:
            folder = self.optional_string(data, "terraform_dir", path)
            source = IacInput(terraform_plan=file, terraform_dir=None if folder is None else self.base_dir / folder,
                              account=account)
            if source.terraform_dir is not None and not source.terraform_dir.is_dir():
                raise self.error(_join(path, "terraform_dir"), f"{folder} is not a folder")
        else:
            parameters_file = self.optional_string(data, "parameters_file", path)
            values = data.get("parameters") or {}
            if not isinstance(values, dict):
                raise self.error(_join(path, "parameters"), "expected a mapping of parameter names to values")
            options = tuple(f"{name}={self.parameter(item, _join(_join(path, 'parameters'), str(name)))}"
                            for name, item in values.items())
            source = IacInput(cloudformation=file, parameters=options,
                              parameters_file=None if parameters_file is None else self.base_dir / parameters_file)
            account = account or source.parameter_values().get("AWS::AccountId")
        return join_inventory(perimeter, source.inventory(), account)

    def parameter(self, value: Any, path: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return ",".join(value)
        return self.string(value, path)

    def zone(self, value: Any) -> ZoneOfTrust:
        if value is None:
            return ZoneOfTrust()
        data = self.mapping(value, "zone", _ZONE_KEYS)
        cidrs = self.strings(data.get("cidrs"), "zone.cidrs")
        for index, cidr in enumerate(cidrs):
            if parse_cidr(cidr) is None:
                where = f"zone.cidrs[{index}]" if isinstance(data["cidrs"], list) else "zone.cidrs"
                raise self.error(where, f'"{cidr}" is not an IP address or CIDR block')
        return ZoneOfTrust(
            organization_ids=self.strings(data.get("organization_ids"), "zone.organization_ids", _ORG_ID,
                                          "an organization id (o-...)"),
            trusted_accounts=tuple(self.account(item, path) for item, path in
                                   self.items(data.get("trusted_accounts"), "zone.trusted_accounts")),
            trusted_service_principals=self.strings(
                data.get("trusted_service_principals"), "zone.trusted_service_principals", _SERVICE_PRINCIPAL,
                "a service principal (name.amazonaws.com)"),
            trusted_principal_arns=self.strings(data.get("trusted_principal_arns"), "zone.trusted_principal_arns"),
            vpc_ids=self.strings(data.get("vpc_ids"), "zone.vpc_ids", _VPC_ID, "a VPC id (vpc-...)"),
            vpc_endpoint_ids=self.strings(data.get("vpc_endpoint_ids"), "zone.vpc_endpoint_ids", _VPCE_ID,
                                          "a VPC endpoint id (vpce-...)"),
            cidrs=cidrs,
        )

    def items(self, value: Any, path: str) -> list[tuple[Any, str]]:
        """Items of a list, or of one scalar standing for a one-item list, with their paths."""
        if value is None:
            return []
        if isinstance(value, list):
            return [(item, _join(path, index)) for index, item in enumerate(value)]
        return [(value, path)]

    def list_items(self, value: Any, path: str) -> list[tuple[Any, str]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(path, "expected a list")
        return [(item, _join(path, index)) for index, item in enumerate(value)]

    def organization(self, value: Any) -> Organization:
        data = self.mapping(value, "organization", _ORG_KEYS)
        management = data.get("management_account")
        root = self.node(self.required(data, "root", "organization"), "organization.root", "root")
        organization = Organization(
            root=root,
            management_account=None if management is None else self.account(
                management, "organization.management_account"),
        )
        seen: set[str] = set()
        for account in organization.tree_accounts():
            if account in seen:
                raise self.error("organization.root", f"account {account} appears twice in the tree")
            seen.add(account)
        return organization

    def node(self, value: Any, path: str, kind: str) -> OrgNode:
        """The root or an OU. An OU without `scps` gets FullAWSAccess, as AWS attaches it by default."""
        data = self.mapping(value, path, _NODE_KEYS)
        name = "Root" if kind == "root" else self.string(self.required(data, "name", path), _join(path, "name"))
        children = [self.node(item, item_path, "ou") for item, item_path in self.list_items(data.get("ous"), _join(
            path, "ous"))]
        children += [self.account_node(item, item_path) for item, item_path in self.list_items(
            data.get("accounts"), _join(path, "accounts"))]
        node_id = None
        if "id" in data:
            pattern, what = _NODE_IDS[kind]
            node_id = self.string(data["id"], _join(path, "id"))
            if not pattern.fullmatch(node_id):
                raise self.error(_join(path, "id"), f'"{node_id}" is not {what}')
        return OrgNode(kind=kind, name=name, node_id=node_id, scps=self.node_scps(data, path),
                       rcps=self.policies(data.get("rcps"), _join(path, "rcps"), PolicyType.RCP),
                       children=tuple(children))

    def account_node(self, value: Any, path: str) -> OrgNode:
        if isinstance(value, str | int) and not isinstance(value, bool):
            return OrgNode(kind="account", name=str(value), account_id=self.account(value, path),
                           scps=(full_aws_access(),))
        data = self.mapping(value, path, _ACCOUNT_NODE_KEYS)
        account = self.account(self.required(data, "id", path), _join(path, "id"))
        name = self.optional_string(data, "name", path) or account
        return OrgNode(kind="account", name=name, account_id=account, scps=self.node_scps(data, path),
                       rcps=self.policies(data.get("rcps"), _join(path, "rcps"), PolicyType.RCP))

    def node_scps(self, data: Mapping[str, Any], path: str) -> tuple[Policy, ...]:
        if "scps" not in data:
            return (full_aws_access(),)
        return self.policies(data["scps"], _join(path, "scps"), PolicyType.SCP)

    def resources(self, value: Any) -> tuple[Resource, ...]:
        found: list[Resource] = []
        for item, path in self.list_items(value, "resources"):
            found.extend(self.resource(item, path))
        arns: set[str] = set()
        for resource in found:
            if resource.arn in arns:
                raise self.error("resources", f'resource "{resource.arn}" is declared twice')
            arns.add(resource.arn)
        return tuple(found)

    def resource(self, value: Any, path: str) -> list[Resource]:
        """One resource, or with `policies: GLOB` one resource per matching file, its ARN
        made from the `arn` template with `{name}` replaced by the file name without extension."""
        data = self.mapping(value, path, _RESOURCE_KEYS)
        arn = self.string(self.required(data, "arn", path), _join(path, "arn"))
        resource_type = self.string(self.required(data, "type", path), _join(path, "type"))
        if resource_type not in RESOURCE_TYPES:
            raise self.error(_join(path, "type"), f'"{resource_type}" is not a supported resource type '
                                                  f'(expected one of {", ".join(RESOURCE_TYPES)})')
        policy_type = lookup_resource_type(resource_type).policy_type
        quota = resource_quota(resource_type)
        tags = self.tags(data.get("tags"), _join(path, "tags"))
        if "policy" in data and "policies" in data:
            raise self.error(path, 'give "policy" (one resource) or "policies" (a glob), not both')
        if "policies" in data:
            pattern = self.string(data["policies"], _join(path, "policies"))
            if "{name}" not in arn:
                raise self.error(_join(path, "arn"), 'with "policies", the ARN must contain "{name}"')
            return [
                fitted(Resource(arn=arn.replace("{name}", file.stem),
                                account=self.resource_account(data, path, arn.replace("{name}", file.stem)),
                                resource_type=resource_type, policy=load_policy_file(file, policy_type, quota=quota),
                                tags=tags))
                for file in self.files(pattern, _join(path, "policies"))
            ]
        policy = self.one_policy(data.get("policy"), _join(path, "policy"), policy_type, quota)
        extras = read_resource_extras(data, arn, resource_type, source=self.source, path=path, base_dir=self.base_dir)
        return [fitted(Resource(arn=arn, account=self.resource_account(data, path, arn), resource_type=resource_type,
                                policy=policy, tags=tags, **extras))]

    def resource_account(self, data: Mapping[str, Any], path: str, arn: str) -> str:
        if data.get("account") is not None:
            return self.account(data["account"], _join(path, "account"))
        fields = arn.split(":", 5)
        if len(fields) == 6 and _ACCOUNT_ID.fullmatch(fields[4]):
            return fields[4]
        raise self.error(_join(path, "account"), "missing (the ARN has no account id; S3 ARNs never do)")

    def endpoints(self, value: Any) -> tuple[VpcEndpoint, ...]:
        result: list[VpcEndpoint] = []
        first: dict[str, str] = {}  # endpoint id -> where it was declared
        for item, path in self.list_items(value, "vpc_endpoints"):
            data = self.mapping(item, path, _ENDPOINT_KEYS)
            endpoint_id = self.strings(self.required(data, "id", path), _join(path, "id"), _VPCE_ID,
                                       "a VPC endpoint id (vpce-...)")
            vpc = self.strings(self.required(data, "vpc", path), _join(path, "vpc"), _VPC_ID, "a VPC id (vpc-...)")
            if len(endpoint_id) != 1 or len(vpc) != 1:
                raise self.error(path, "expected one id and one vpc")
            # an endpoint has one policy and one service: a second entry would be a second endpoint
            if endpoint_id[0] in first:
                raise self.error(_join(path, "id"), f'"{endpoint_id[0]}" is declared twice (first at '
                                                    f"{first[endpoint_id[0]]})")
            first[endpoint_id[0]] = path
            result.append(VpcEndpoint(
                id=endpoint_id[0], vpc_id=vpc[0],
                policy=self.one_policy(data.get("policy"), _join(path, "policy"), PolicyType.VPC_ENDPOINT),
                account=None if data.get("account") is None else self.account(data["account"],
                                                                               _join(path, "account")),
                service=self.optional_string(data, "service", path),
            ))
        return tuple(result)

    def identities(self, value: Any) -> tuple[Identity, ...]:
        result = []
        for item, path in self.list_items(value, "identities"):
            data = self.mapping(item, path, _IDENTITY_KEYS)
            arn = self.string(self.required(data, "arn", path), _join(path, "arn"))
            match = _IDENTITY_ARN.fullmatch(arn)
            if match is None:
                raise self.error(_join(path, "arn"), f'"{arn}" is not an IAM role or user ARN')
            problem = entity_problem(arn)
            if problem is not None:
                raise self.error(_join(path, "arn"), problem)
            result.append(Identity(
                arn=arn, account=match[1],
                policies=self.policies(data.get("policies"), _join(path, "policies"), PolicyType.IDENTITY),
                permissions_boundary=self.one_policy(data.get("permissions_boundary"),
                                                     _join(path, "permissions_boundary"), PolicyType.BOUNDARY),
                tags=self.tags(data.get("tags"), _join(path, "tags")),
            ))
        return tuple(result)

    # -- invariants ----------------------------------------------------------

    def invariants(self, value: Any) -> tuple[Invariant, ...]:
        items = self.list_items(value, "invariants")
        if not items:
            raise self.error("invariants", "expected at least one invariant")
        result = [self.invariant(item, path, index) for index, (item, path) in enumerate(items)]
        ids: set[str] = set()
        for index, invariant in enumerate(result):
            if invariant.id in ids:
                raise self.error(f"invariants[{index}].id", f'"{invariant.id}" is used by an earlier invariant')
            ids.add(invariant.id)
        return tuple(result)

    def invariant(self, value: Any, path: str, index: int) -> Invariant:
        line = self.invariant_lines.get(index)
        if isinstance(value, str):
            if value not in BUILT_IN_CHECKS:
                raise self.error(path, f'"{value}" is not a built-in invariant (expected one of '
                                       f'{", ".join(BUILT_IN_CHECKS)}, or a mapping for a custom one)')
            return Invariant(id=value, check=value, description=_BUILT_IN_DESCRIPTIONS[value], line=line)
        if not isinstance(value, dict):
            raise self.error(path, "expected a built-in invariant name or a mapping")
        invariant_id = self.string(self.required(value, "id", path), _join(path, "id"))
        if not _ID.fullmatch(invariant_id):
            raise self.error(_join(path, "id"), f'"{invariant_id}" is not an id (letters, digits, "_.:-")')
        default_check = invariant_id if invariant_id in BUILT_IN_CHECKS else "custom"
        check = self.string(value.get("check", default_check), _join(path, "check"))
        if check not in (*BUILT_IN_CHECKS, "custom"):
            raise self.error(_join(path, "check"), f'expected one of {", ".join(BUILT_IN_CHECKS)} or custom')
        if check == "custom":
            return self.custom_invariant(value, path, invariant_id, line)
        data = self.mapping(value, path, _BUILT_IN_KEYS)
        return Invariant(
            id=invariant_id, check=check,
            description=self.optional_string(data, "description", path) or _BUILT_IN_DESCRIPTIONS[check],
            actions=self.actions(data.get("actions"), _join(path, "actions")),
            resources=self.resource_patterns(data.get("resources"), _join(path, "resources")),
            principal_tags=self.tags(data.get("principal_tags"), _join(path, "principal_tags")),
            exceptions=self.exceptions(data.get("exceptions"), _join(path, "exceptions")),
            line=line,
        )

    def custom_invariant(self, value: Mapping[str, Any], path: str, invariant_id: str, line: int | None) -> Invariant:
        data = self.mapping(value, path, _CUSTOM_KEYS)
        expect_text = data.get("expect", "deny")
        if expect_text not in ("deny", "allow"):
            raise self.error(_join(path, "expect"), 'expected "deny" or "allow"')
        actions = self.actions(self.required(data, "actions", path), _join(path, "actions"))
        return Invariant(
            id=invariant_id, check="custom",
            description=self.optional_string(data, "description", path) or invariant_id,
            expect=Expect(expect_text),
            principals=self.principal_class(self.required(data, "principals", path), _join(path, "principals")),
            actions=actions,
            resources=self.resource_patterns(data.get("resources"), _join(path, "resources")),
            context=self.context(data.get("context"), _join(path, "context")),
            line=line,
        )

    def resource_patterns(self, value: Any, path: str) -> tuple[str, ...]:
        found = self.strings(value, path)
        for index, pattern in enumerate(found):
            if not is_resource_pattern(pattern):
                raise self.error(f"{path}[{index}]", f'"{pattern}" is not "*" or an ARN pattern '
                                                     "(arn:partition:service:region:account:resource)")
        return found

    def actions(self, value: Any, path: str) -> tuple[str, ...]:
        from reasoner.policy.catalogue import action_problem

        found = self.strings(value, path, ACTION_PATTERN, 'an action pattern ("service:Action", wildcards allowed)')
        for index, pattern in enumerate(found):
            # an invariant about an action that does not exist would hold vacuously
            problem = action_problem(pattern)
            if problem is not None:
                raise self.error(f"{path}[{index}]", problem)
        return found

    def principal_class(self, value: Any, path: str) -> PrincipalClass:
        plain = {kind.value: kind for kind in PrincipalClassKind if kind not in (PrincipalClassKind.ACCOUNT,
                                                                                   PrincipalClassKind.ARN)}
        expected = (f'expected one of {", ".join(plain)}, '
                    "or a mapping {class: ...}, {account: ID} or {arn: PATTERN}")
        if isinstance(value, str):
            if value not in plain:
                raise self.error(path, f'"{value}" is not a principal class ({expected})')
            return PrincipalClass(plain[value])
        if not isinstance(value, dict) or len(value) != 1:
            raise self.error(path, expected)
        ((key, item),) = value.items()
        if key == "class":
            return self.principal_class(item, _join(path, "class"))
        if key == "account":
            return PrincipalClass(PrincipalClassKind.ACCOUNT, self.account(item, _join(path, "account")))
        if key == "arn":
            arn = self.string(item, _join(path, "arn"))
            fields = arn.split(":", 5)
            account = fields[4] if len(fields) == 6 else ""
            if len(fields) != 6 or fields[0] != "arn" or not (
                    re.fullmatch(r"\d{12}", account) or any(c in account for c in "*?")):
                # a pattern no principal's ARN can match would hold vacuously
                raise self.error(_join(path, "arn"),
                                 f'"{arn}" is not a principal ARN pattern (arn:PARTITION:SERVICE::ACCOUNT:..., '
                                 "a twelve-digit account or a wildcard)")
            if not _may_name_a_principal(fields[2], fields[5]):
                raise self.error(_join(path, "arn"),
                                 f'"{arn}" names no principal (iam::ACCOUNT:root, user/..., role/..., '
                                 "sts::ACCOUNT:assumed-role/..., federated-user/...; a group is no principal)")
            return PrincipalClass(PrincipalClassKind.ARN, arn)
        raise self.error(_join(path, str(key)), f"unknown key ({expected})")

    def context(self, value: Any, path: str) -> tuple[ContextConstraint, ...]:
        """`key: value` (equals), `key: [values]` (one of), `key: null` (absent), or
        `key: {OP: value(s)}` with OP one of the `ConstraintOp` names."""
        if value is None:
            return ()
        if not isinstance(value, dict):
            raise self.error(path, "expected a mapping of condition keys to values or constraints")
        constraints = []
        for key, item in value.items():
            key_path = _join(path, str(key))
            if not isinstance(key, str) or ":" not in key:
                raise self.error(key_path, 'expected a condition key such as "aws:SourceVpc"')
            if item is None:
                constraints.append(ContextConstraint(key, ConstraintOp.ABSENT))
            elif isinstance(item, dict):
                if len(item) != 1:
                    raise self.error(key_path, f"expected one operator of {', '.join(_CONSTRAINT_OPS)}")
                ((op_text, operand),) = item.items()
                if op_text not in _CONSTRAINT_OPS:
                    raise self.error(_join(key_path, str(op_text)),
                                     f"unknown operator (expected one of {', '.join(_CONSTRAINT_OPS)})")
                constraints.append(self.constraint(key, ConstraintOp(op_text), operand, _join(key_path, op_text)))
            else:
                constraints.append(self.constraint(key, ConstraintOp.EQUALS, item, key_path))
        return tuple(constraints)

    def constraint(self, key: str, op: ConstraintOp, operand: Any, path: str) -> ContextConstraint:
        if op in (ConstraintOp.PRESENT, ConstraintOp.ABSENT):
            if operand is not True:
                raise self.error(path, "expected true")
            return ContextConstraint(key, op)
        values = tuple(_scalar_text(item) for item in (operand if isinstance(operand, list) else [operand]))
        if any(item is None for item in values) or not values:
            raise self.error(path, "expected a string, a number, a boolean or a list of them")
        texts = tuple(item for item in values if item is not None)
        if op in (ConstraintOp.IP_IN, ConstraintOp.IP_NOT_IN):
            for text in texts:
                if parse_cidr(text) is None:
                    raise self.error(path, f'"{text}" is not an IP address or CIDR block')
        return ContextConstraint(key, op, texts)

    def exceptions(self, value: Any, path: str) -> Exceptions:
        if value is None:
            return Exceptions()
        data = self.mapping(value, path, _EXCEPTION_KEYS)
        return Exceptions(
            principal_tags=self.tags(data.get("principal_tags"), _join(path, "principal_tags")),
            resource_tags=self.tags(data.get("resource_tags"), _join(path, "resource_tags")),
            principal_arns=self.strings(data.get("principal_arns"), _join(path, "principal_arns")),
            resources=self.resource_patterns(data.get("resources"), _join(path, "resources")),
            accounts=tuple(self.account(item, item_path)
                           for item, item_path in self.items(data.get("accounts"), _join(path, "accounts"))),
            service_principals=self.flag(data.get("service_principals"), _join(path, "service_principals")),
            via_aws_service=self.flag(data.get("via_aws_service"), _join(path, "via_aws_service")),
        )


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


_BUILT_IN_DESCRIPTIONS = {
    "only-trusted-identities": "Only trusted identities can access my resources",
    "only-trusted-resources": "My identities can access only trusted resources",
    "only-expected-networks": "My resources are accessed only from expected networks",
}

@functools.cache
def full_aws_access() -> Policy:
    """The AWS managed SCP `FullAWSAccess`, which AWS attaches to every node by default."""
    return parse_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
        PolicyType.SCP, source=FULL_AWS_ACCESS, name=FULL_AWS_ACCESS)
