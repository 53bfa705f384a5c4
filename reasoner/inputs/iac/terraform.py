"""Terraform plans (`terraform show -json plan.tfplan`, format_version 1.x) ->
an `IacInventory` for the state after the plan and one for the state before it.

What is read, per resource type, is in `_HANDLERS`; child modules are included
(addresses such as `module.net.aws_vpc_endpoint.s3`). Values come from
`resource_changes` (`change.after` with `after_unknown`, and `change.before`) and,
for data sources read while planning, from `prior_state`. A reference between
resources of the plan (`bucket = aws_s3_bucket.b.id`) is followed through the
plan's `configuration`, so a policy on a bucket created by the same plan is on
that bucket, whose ARN is built from its name.

A value Terraform knows only after apply is an `Unknown` named by the resource
and attribute (`aws_kms_key.k.arn`). A policy attribute that is itself unknown
(a `jsonencode` of an unknown ARN) is read from the `data.aws_iam_policy_document`
it references when it references one (its statements are in the plan, with their
unknown parts); otherwise the policy is UNKNOWN, named by resource and attribute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.inputs.iac.model import (
    IacEndpoint,
    IacInventory,
    IacPolicy,
    IacPrincipal,
    IacResource,
    OuNamed,
    PolicyKind,
    PrincipalType,
    Provenance,
    attach_managed,
    default_key_policy,
)
from reasoner.inputs.iac.tf_expressions import JsonOf, evaluate
from reasoner.inputs.iac.tf_sources import TerraformSources, read_sources
from reasoner.inputs.iac.values import Domain, Opaque, Template, Unknown, json_document, opaque_in, partition_of

AFTER_APPLY = "known only after apply"


@dataclass(frozen=True)
class TfResource:
    """One resource instance in one state (before or after the plan)."""

    address: str
    module: str  # "" for the root module, else "module.a" or "module.a.module.b"
    mode: str  # "managed" or "data"
    type: str
    name: str
    values: Mapping[str, Any]
    unknown: Any  # after_unknown: True, or a tree of flags mirroring `values`
    path: str  # JSON path of `values` in the plan
    actions: tuple[str, ...] = ()

    @property
    def config_address(self) -> str:
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"


@dataclass(frozen=True)
class TerraformPlan:
    """The plan's two states and what changes between them."""

    source: str
    before: IacInventory
    after: IacInventory
    changed: frozenset[str]  # addresses whose resource is created, updated, replaced or deleted


def read_terraform_plan(path: Path, terraform_dir: Path | None = None, account: str | None = None) -> TerraformPlan:
    """The plan's two states. `account` is the provider's account when the plan does
    not say it (it has no `data.aws_caller_identity`)."""
    from reasoner.policy.parse import load_data_file

    source = str(path)
    plan = load_data_file(path, source)
    if not isinstance(plan, dict):
        raise InputError(source, "", "expected a Terraform plan (the JSON of `terraform show -json PLAN`)")
    version = plan.get("format_version")
    if not isinstance(version, str) or not version.startswith("1."):
        raise InputError(source, "format_version", f"expected a plan of format 1.x (found {version!r}); "
                                                   "write it with `terraform show -json PLAN`")
    if "resource_changes" not in plan and "planned_values" not in plan:
        raise InputError(source, "", "no resource_changes or planned_values: this is not a plan "
                                     "(`terraform show -json PLAN`)")
    config = _Configuration(plan.get("configuration") or {}, source)
    sources = read_sources(terraform_dir, config.module_sources) if terraform_dir is not None else None
    after, before, changed = _states(plan, source)
    return TerraformPlan(
        source=source,
        before=_World(source, before, config, sources, plan, account).inventory(),
        after=_World(source, after, config, sources, plan, account).inventory(),
        changed=frozenset(changed))


# ---------------------------------------------------------------------------
# The plan's JSON


def _as_list(value: Any, source: str, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(source, path, "expected a list")
    return value


def _as_dict(value: Any, source: str, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(source, path, "expected an object")
    return value


def _module_of(address: str) -> str:
    parts = address.split(".")
    module: list[str] = []
    index = 0
    while index + 1 < len(parts) and parts[index] == "module":
        module += ["module", re.sub(r"\[.*\]$", "", parts[index + 1])]
        index += 2
    return ".".join(module)


def _states(plan: Mapping[str, Any], source: str) -> tuple[list[TfResource], list[TfResource], list[str]]:
    after: list[TfResource] = []
    before: list[TfResource] = []
    changed: list[str] = []
    seen: set[str] = set()
    changes = _as_list(plan.get("resource_changes"), source, "resource_changes")
    for index, item in enumerate(changes):
        path = f"resource_changes[{index}]"
        item = _as_dict(item, source, path)
        address, mode, kind, name = (item.get(key) for key in ("address", "mode", "type", "name"))
        if not all(isinstance(text, str) for text in (address, mode, kind, name)):
            raise InputError(source, path, "expected address, mode, type and name")
        change = _as_dict(item.get("change"), source, f"{path}.change")
        actions = tuple(str(a) for a in _as_list(change.get("actions"), source, f"{path}.change.actions"))
        module = _module_of(str(address))
        if change.get("after") is not None:
            after.append(TfResource(str(address), module, str(mode), str(kind), str(name),
                                    _as_dict(change["after"], source, f"{path}.change.after"),
                                    change.get("after_unknown") or {}, f"{path}.change.after", actions))
        if change.get("before") is not None:
            before.append(TfResource(str(address), module, str(mode), str(kind), str(name),
                                     _as_dict(change["before"], source, f"{path}.change.before"), {},
                                     f"{path}.change.before", actions))
        if actions and actions not in (("no-op",), ("read",)):
            changed.append(str(address))
        seen.add(str(address))
    if not changes:  # no resource_changes: the planned values alone
        for resource, path in _module_resources(plan.get("planned_values"), "planned_values", source):
            after.append(_state_resource(resource, path, source))
            seen.add(after[-1].address)
    # data sources read while planning are in the prior state only
    for resource, path in _module_resources((plan.get("prior_state") or {}).get("values"), "prior_state.values",
                                            source):
        if resource.get("mode") == "data" and resource.get("address") not in seen:
            state = _state_resource(resource, path, source)
            after.append(state)
            before.append(state)
    return after, before, changed


def _state_resource(resource: Mapping[str, Any], path: str, source: str) -> TfResource:
    address, mode, kind, name = (resource.get(key) for key in ("address", "mode", "type", "name"))
    if not all(isinstance(text, str) for text in (address, mode, kind, name)):
        raise InputError(source, path, "expected address, mode, type and name")
    return TfResource(str(address), _module_of(str(address)), str(mode), str(kind), str(name),
                      _as_dict(resource.get("values"), source, f"{path}.values"), {}, f"{path}.values")


def _module_resources(state: Any, path: str, source: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Resources of a `values`-shaped state (root_module and its child_modules)."""
    if not isinstance(state, dict):
        return

    def walk(module: Any, module_path: str) -> Iterator[tuple[Mapping[str, Any], str]]:
        module = _as_dict(module, source, module_path)
        for index, resource in enumerate(_as_list(module.get("resources"), source, f"{module_path}.resources")):
            yield _as_dict(resource, source, f"{module_path}.resources[{index}]"), f"{module_path}.resources[{index}]"
        for index, child in enumerate(_as_list(module.get("child_modules"), source, f"{module_path}.child_modules")):
            yield from walk(child, f"{module_path}.child_modules[{index}]")

    if "root_module" in state:
        yield from walk(state["root_module"], f"{path}.root_module")


class _Configuration:
    """The plan's `configuration`: expressions by (module, config address), local
    module sources, and each provider's region."""

    def __init__(self, config: Mapping[str, Any], source: str) -> None:
        self.expressions: dict[tuple[str, str], Mapping[str, Any]] = {}
        self.provider_keys: dict[tuple[str, str], str] = {}
        self.module_sources: dict[str, str] = {}
        self.regions: dict[str, str] = {}
        for key, provider in _as_dict(config.get("provider_config"), source, "configuration.provider_config").items():
            region = ((provider or {}).get("expressions") or {}).get("region") or {}
            if isinstance(region, dict) and isinstance(region.get("constant_value"), str):
                self.regions[key] = region["constant_value"]
        self._walk(_as_dict(config.get("root_module"), source, "configuration.root_module"), "")

    def _walk(self, module: Mapping[str, Any], path: str) -> None:
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                self.expressions[(path, resource["address"])] = resource.get("expressions") or {}
                if isinstance(resource.get("provider_config_key"), str):
                    self.provider_keys[(path, resource["address"])] = resource["provider_config_key"]
        for name, call in (module.get("module_calls") or {}).items():
            if not isinstance(call, dict):
                continue
            child = f"{path}.module.{name}" if path else f"module.{name}"
            if isinstance(call.get("source"), str):
                self.module_sources[child] = call["source"]
            self._walk(call.get("module") or {}, child)

    def references(self, resource: TfResource, attribute: str) -> tuple[str, ...]:
        """The references an attribute's expression makes (`aws_s3_bucket.b.id`, ...)."""
        expression: Any = self.expressions.get((resource.module, resource.config_address), {})
        for step in attribute.split("."):
            found = re.fullmatch(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?", step)
            if found is None or not isinstance(expression, dict):
                return ()
            expression = expression.get(found.group(1))
            if isinstance(expression, list):
                index = int(found.group(2) or 0)
                expression = expression[index] if index < len(expression) else None
        if not isinstance(expression, dict):
            return ()
        references = expression.get("references")
        return tuple(r for r in references if isinstance(r, str)) if isinstance(references, list) else ()

    def region_of(self, resource: TfResource) -> str | None:
        key = self.provider_keys.get((resource.module, resource.config_address))
        if key is None:
            key = "aws"
        return self.regions.get(key) or self.regions.get(key.split(":")[-1])


# ---------------------------------------------------------------------------
# One state of the plan


@dataclass
class _Collected:
    policies: list[IacPolicy] = field(default_factory=list)
    principals: list[IacPrincipal] = field(default_factory=list)
    resources: list[IacResource] = field(default_factory=list)
    endpoints: list[IacEndpoint] = field(default_factory=list)
    org_attachments: list[tuple[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    permissions: list[tuple[Any, dict[str, Any], Provenance]] = field(default_factory=list)
    attachments: list[tuple[str, Any]] = field(default_factory=list)  # (principal address, policy ARN)
    memberships: list[tuple[str, str]] = field(default_factory=list)  # (user address, group address or name)


class _World:
    def __init__(self, source: str, resources: list[TfResource], config: _Configuration,
                 sources: TerraformSources | None, plan: Mapping[str, Any], account: str | None = None) -> None:
        self.source = source
        self.resources = resources
        self.config = config
        self.sources = sources
        self.by_address = {r.address: r for r in resources}
        self.by_config: dict[tuple[str, str], list[TfResource]] = {}
        for resource in resources:
            self.by_config.setdefault((resource.module, resource.config_address), []).append(resource)
        self.variables = {name: item.get("value") for name, item in (plan.get("variables") or {}).items()
                          if isinstance(item, dict)}
        self.account = self._account(account)
        self.found = _Collected()
        self._evaluating: list[str] = []

    # -- values --------------------------------------------------------------

    def _account(self, given: str | None) -> str | Unknown:
        """The provider's account: `data.aws_caller_identity`, else the one given,
        else the account of the ARNs the plan knows for its own managed resources,
        when they agree."""
        for resource in self.resources:
            if resource.type == "aws_caller_identity" and isinstance(resource.values.get("account_id"), str):
                return str(resource.values["account_id"])
        if given is not None:
            return given
        accounts = set()
        for resource in self.resources:
            arn = resource.values.get("arn")
            if resource.mode == "managed" and isinstance(arn, str):
                fields = arn.split(":")
                if len(fields) > 4 and re.fullmatch(r"\d{12}", fields[4]):
                    accounts.add(fields[4])
        if len(accounts) == 1:
            return accounts.pop()
        return Unknown("account", Domain.ACCOUNT, "the provider's account (no data.aws_caller_identity in the plan)")

    def region(self, resource: TfResource) -> str | Unknown:
        for candidate in self.resources:
            if candidate.type == "aws_region" and candidate.module == resource.module:
                name = candidate.values.get("name") or candidate.values.get("region")
                if isinstance(name, str):
                    return name
        region = resource.values.get("region")
        if isinstance(region, str):
            return region
        return self.config.region_of(resource) or Unknown("region", Domain.REGION, "the provider's region")

    def partition(self, resource: TfResource) -> str | Unknown:
        region = self.region(resource)
        if isinstance(region, str):
            return partition_of(region)
        return Unknown("partition", Domain.PARTITION, "the provider's partition",
                       choices=("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
                                "aws-eusc"))

    def is_unknown(self, resource: TfResource, attribute: str) -> bool:
        flags: Any = resource.unknown
        for step in attribute.split("."):
            if flags is True:
                return True
            found = re.fullmatch(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?", step)
            if found is None or not isinstance(flags, dict):
                return False
            flags = flags.get(found.group(1))
            if isinstance(flags, list) and found.group(2) is not None:
                index = int(found.group(2))
                flags = flags[index] if index < len(flags) else None
        return flags is True

    def value(self, resource: TfResource, attribute: str) -> Any:
        """An attribute's value; an `Unknown` when it is known only after apply."""
        if self.is_unknown(resource, attribute):
            return Unknown(f"{resource.address}.{attribute}", Domain.TEXT, AFTER_APPLY)
        current: Any = resource.values
        for step in attribute.split("."):
            found = re.fullmatch(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?", step)
            if found is None or not isinstance(current, dict):
                return None
            current = current.get(found.group(1))
            if found.group(2) is not None:
                index = int(found.group(2))
                current = current[index] if isinstance(current, list) and index < len(current) else None
        return current

    def referenced(self, resource: TfResource, attribute: str) -> TfResource | None:
        """The resource of this plan that an attribute's expression refers to, when
        the expression refers to exactly one."""
        targets = []
        for reference in self.config.references(resource, attribute):
            parts = reference.split(".")
            if parts[0] == "data" and len(parts) >= 3:
                key = ".".join(parts[:3])
            elif len(parts) >= 2 and parts[0] not in ("var", "local", "module", "each", "count", "path"):
                key = ".".join(parts[:2])
            else:
                continue
            key = re.sub(r"\[[^\]]*\]$", "", key)
            candidates = self.by_config.get((resource.module, key), [])
            if len(candidates) == 1:
                targets.append(candidates[0])
            elif candidates:
                # count / for_each: the instance with the same key as this one
                index = resource.address[len(resource.address.rstrip("]")):] if resource.address.endswith("]") else ""
                same = [c for c in candidates if index and c.address.endswith(index)]
                targets.extend(same[:1])
        unique = {target.address: target for target in targets}
        return next(iter(unique.values())) if len(unique) == 1 else None

    def provenance(self, resource: TfResource, attribute: str) -> Provenance:
        located = None
        if self.sources is not None:
            located = self.sources.locate(resource.module, resource.mode, resource.type, resource.name, attribute)
        return Provenance(input=self.source, address=resource.address, attribute=attribute,
                          path=f"{resource.path}.{attribute}" if attribute else resource.path,
                          file=located[0] if located else None, line=located[1] if located else None)

    # -- ARNs ------------------------------------------------------------------

    def arn(self, resource: TfResource) -> Any:
        """The resource's ARN: as the plan knows it, else built from its name in
        its service's format, else unknown."""
        known = resource.values.get("arn")
        if isinstance(known, str) and not self.is_unknown(resource, "arn"):
            return known
        built = _ARN_FORMATS.get(resource.type)
        if built is not None:
            noun, name_attribute = built
            name = self.value(resource, name_attribute)
            if isinstance(name, str | Unknown):
                return self.format_arn(resource, noun, name)
        return Unknown(f"{resource.address}.arn", Domain.TEXT, AFTER_APPLY)

    def format_arn(self, resource: TfResource, noun: str, name: Any) -> Any:
        partition, region, account = self.partition(resource), self.region(resource), self.account
        service, _, rest = noun.partition(":")
        if service in ("s3",):
            return Template.of("arn:", partition, ":s3:::", name)
        if service == "iam":
            path = resource.values.get("path") if isinstance(resource.values.get("path"), str) else "/"
            return Template.of("arn:", partition, ":iam::", account, f":{rest}", path, name)
        if service == "kms":
            return Template.of("arn:", partition, ":kms:", region, ":", account, ":key/", name)
        if service == "secretsmanager":
            suffix = Unknown(f"{resource.address}.arn suffix", Domain.NAME, AFTER_APPLY)
            return Template.of("arn:", partition, ":secretsmanager:", region, ":", account, ":secret:", name, "-",
                               suffix)
        separator = "" if rest.endswith((":", "/")) or not rest else ":"
        return Template.of("arn:", partition, f":{service}:", region, ":", account, f":{rest}{separator}", name)

    def target(self, resource: TfResource, attribute: str, target_types: tuple[str, ...]) -> tuple[Any, str | None]:
        """The ARN of the resource a policy resource's attribute names, and its
        address when it is a resource of the plan."""
        referenced = self.referenced(resource, attribute)
        if referenced is not None and referenced.type in target_types:
            return self.arn(referenced), referenced.address
        value = self.value(resource, attribute)
        if isinstance(value, str) and value.startswith("arn:"):
            owner = next((r.address for r in self.resources if r.type in target_types and r.values.get("arn") == value),
                         None)
            return value, owner
        if isinstance(value, str) and target_types:
            by_name = [r for r in self.resources if r.type == target_types[0] and value in (
                r.values.get("bucket"), r.values.get("name"), r.values.get("id"), r.values.get("url"),
                r.values.get("key_id"), r.values.get("function_name"))]
            if len(by_name) == 1:
                return self.arn(by_name[0]), by_name[0].address
            noun = _ARN_FORMATS.get(target_types[0])
            if target_types[0] == "aws_sqs_queue":
                return _queue_arn(value) or Unknown(f"{resource.address}.{attribute}", Domain.TEXT,
                                                    f"the queue of URL {value}"), None
            if noun is not None:
                return self.format_arn(resource, noun[0], value), None
        if isinstance(value, Unknown):
            return Unknown(f"{resource.address}.{attribute}", Domain.TEXT, AFTER_APPLY), None
        return Unknown(f"{resource.address}.{attribute}", Domain.TEXT, "not given"), None

    # -- policies ----------------------------------------------------------------

    def policy(self, resource: TfResource, attribute: str, kind: PolicyKind, **extra: Any) -> IacPolicy | None:
        """The policy JSON of an attribute; None when the attribute is absent or empty.
        A policy written as a `data.aws_iam_policy_document` points each statement at
        its `statement` block (with --terraform-dir)."""
        found = self._policy(resource, attribute, kind, **extra)
        if found is None or found.statement_lines or not isinstance(found.document, dict):
            return found
        return replace(found, statement_lines=self.document_lines(resource, attribute, found))

    def document_lines(self, resource: TfResource, attribute: str, policy: IacPolicy) -> tuple[tuple[str, int], ...]:
        """Statement[i] -> the line of the i-th `statement` block of the policy document
        data source the attribute names, in the file the policy is located in; () when
        the sources do not say (no sources, another file, statements merged from
        `source_policy_documents`, so that the counts differ)."""
        if self.sources is None or policy.provenance.file is None:
            return ()
        documents = [r for r in self.config.references(resource, attribute)
                     if r.startswith("data.aws_iam_policy_document.") and r.count(".") == 2]
        if len(documents) != 1:
            return ()
        name = documents[0].split(".")[2]
        block = self.sources.blocks.get((resource.module, "data", "aws_iam_policy_document", name))
        statements = policy.document.get("Statement")
        if block is None or block.file != policy.provenance.file or not isinstance(statements, list):
            return ()
        written = block.blocks.get("statement", [])
        if len(written) != len(statements):
            return ()
        return tuple((f"Statement[{index}]", item.line) for index, item in enumerate(written))

    def _policy(self, resource: TfResource, attribute: str, kind: PolicyKind, **extra: Any) -> IacPolicy | None:
        provenance = self.provenance(resource, attribute)
        if self.is_unknown(resource, attribute) and not self.configured(resource, attribute):
            return None  # computed by the provider (e.g. set by a separate policy resource), not written here
        if self.is_unknown(resource, attribute):
            from_sources = self.from_sources(resource, attribute)
            if from_sources is not None:
                data, unknown = from_sources
                return IacPolicy(kind=kind, provenance=provenance, document=data, unknown=unknown, **extra)
            rebuilt = self.from_policy_document(resource, attribute)
            if rebuilt is not None:
                data, unknown = rebuilt
                return IacPolicy(kind=kind, provenance=provenance, document=data, unknown=unknown, **extra)
            references = [r for r in self.config.references(resource, attribute) if "." in r]
            depends = f" (it depends on {', '.join(references[:3])})" if references else ""
            return IacPolicy(kind=kind, provenance=provenance, document=None, **extra,
                             unknown=f"{resource.address}.{attribute} is {AFTER_APPLY}{depends}: write it with a "
                                     "data.aws_iam_policy_document, or plan once the resources it names exist")
        text = self.value(resource, attribute)
        if text is None or text == "":
            return None
        if isinstance(text, dict):
            document = text
        elif isinstance(text, str):
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                raise InputError(self.source, provenance.path,
                                 f"the policy is not JSON (column {error.colno}: {error.msg})") from None
        else:
            raise InputError(self.source, provenance.path, "expected a policy (JSON text)")
        if not isinstance(document, dict):
            raise InputError(self.source, provenance.path, "expected a policy document (a JSON object)")
        return IacPolicy(kind=kind, provenance=provenance, document=document, **extra)

    # -- expressions of the sources (--terraform-dir) ---------------------------

    def from_sources(self, resource: TfResource, attribute: str) -> tuple[Any, str | None] | None:
        """A policy known only after apply, read from its expression in the
        sources: the document with the parts the plan does not know unknown."""
        if self.sources is None:
            return None
        found = self.sources.expression(resource.module, resource.mode, resource.type, resource.name, attribute)
        if found is None:
            return None
        node, file, line = found
        value = evaluate(node, lambda reference: self.resolve(resource.module, reference), f"{file}:{line}")
        label = f"{resource.address}.{attribute}"
        if isinstance(value, JsonOf):
            value = value.value
        elif isinstance(value, str | Template):
            try:
                value = json_document(value)
            except ValueError as error:
                return None, f"{label}: the policy written at {file}:{line} is not JSON ({error})"
        if isinstance(value, Opaque):
            return None, f"{label} is {AFTER_APPLY} and holds {value.reason}"
        if isinstance(value, Unknown):
            return None, f"{label} is {value} ({value.reason})"
        if not isinstance(value, dict):
            return None, f"{label}: the expression at {file}:{line} is no policy document"
        opaque = opaque_in(value)
        if opaque is not None:
            return value, f"{label} holds {opaque.reason}"
        self.found.notes.append(f"{label}: read from its expression at {file}:{line} (the plan knows it only "
                                "after apply)")
        return value, None

    def resolve(self, module: str, reference: tuple[str | int, ...]) -> Any:
        """The value of a reference in a module's expressions, as far as the plan knows it."""
        head = reference[0]
        label = ".".join(str(step) for step in reference)
        if head == "var":
            if module or len(reference) < 2 or reference[1] not in self.variables:
                return Opaque(f"var.{reference[1] if len(reference) > 1 else ''} (a module input)")
            return _walk(self.variables[str(reference[1])], reference[2:], label)
        if head == "local" and len(reference) >= 2 and self.sources is not None:
            key = (module, str(reference[1]))
            found = self.sources.locals.get(key)
            if found is None or label in self._evaluating:
                return Opaque(f"local.{reference[1]}")
            self._evaluating.append(label)
            try:
                value = evaluate(found[0], lambda inner: self.resolve(module, inner), f"{found[1]}:{found[2]}")
            finally:
                self._evaluating.pop()
            return _walk(value, reference[2:], label)
        if head == "data" and len(reference) >= 3:
            address, rest = f"data.{reference[1]}.{reference[2]}", reference[3:]
        elif isinstance(head, str) and len(reference) >= 2 and head not in ("count", "each", "path", "module",
                                                                             "terraform", "self", "local"):
            address, rest = f"{head}.{reference[1]}", reference[2:]
        else:
            return Opaque(label)
        candidates = self.by_config.get((module, address), [])
        if (rest and isinstance(rest[0], int)) or (rest and len(candidates) > 1):
            instance = f"[{rest[0]}]" if isinstance(rest[0], int) else f'["{rest[0]}"]'
            candidates = [c for c in candidates if c.address.endswith(instance)]
            rest = rest[1:]
        if len(candidates) != 1:
            return Opaque(f"{label} (no single resource of the plan)")
        return self.attribute(candidates[0], rest, label)

    def attribute(self, resource: TfResource, path: tuple[str | int, ...], label: str) -> Any:
        if not path:
            return Opaque(f"{label} (a whole resource)")
        name = str(path[0])
        if name == "arn" and len(path) == 1:
            return self.arn(resource)
        if resource.type == "aws_iam_policy_document" and name == "json" and len(path) == 1:
            if not self.is_unknown(resource, "json") and isinstance(resource.values.get("json"), str):
                return resource.values["json"]
            document, unknown = policy_document_json(self, resource)
            return JsonOf(document) if unknown is None and document is not None else Opaque(
                unknown or f"{label}")
        attribute = ".".join(str(step) if isinstance(step, str) else f"[{step}]" for step in path).replace(".[", "[")
        if self.is_unknown(resource, attribute):
            alias = _ALIASES.get((resource.type, attribute))
            if alias is not None and not self.is_unknown(resource, alias) and resource.values.get(alias) is not None:
                return self.arn(resource) if alias == "arn" else resource.values[alias]
            if alias == "arn":
                return self.arn(resource)
            return Unknown(f"{resource.address}.{attribute}", Domain.TEXT, AFTER_APPLY)
        return _walk(resource.values, path, label)

    def configured(self, resource: TfResource, attribute: str) -> bool:
        """Whether the configuration writes the attribute; True when the plan has
        no configuration for the resource (then nothing says it is computed)."""
        expressions = self.config.expressions.get((resource.module, resource.config_address))
        if expressions is None:
            return True
        top = re.sub(r"\[\d+\]$", "", attribute.split(".")[0])
        return top in expressions

    def from_policy_document(self, resource: TfResource, attribute: str) -> tuple[Any, str | None] | None:
        """An unknown policy that is a `data.aws_iam_policy_document`'s `json`: the
        document built from the data source's statements as the provider builds it,
        with the parts known only after apply unknown."""
        references = self.config.references(resource, attribute)
        data = [r for r in references if r.startswith("data.aws_iam_policy_document.") and r.endswith(".json")]
        if len(data) != 1 or any(not (r == data[0] or data[0].startswith(r + ".")) for r in references):
            return None
        source = self.by_config.get((resource.module, data[0][: -len(".json")]))
        if not source or len(source) != 1:
            return None
        document = source[0]
        if not self.is_unknown(document, "json") and isinstance(document.values.get("json"), str):
            try:
                return json.loads(document.values["json"]), None
            except json.JSONDecodeError:
                return None
        self.found.notes.append(f"{resource.address}.{attribute}: read from {document.address}'s statements "
                                "(its JSON is known only after apply)")
        return policy_document_json(self, document)

    # -- the inventory -------------------------------------------------------------

    def inventory(self) -> IacInventory:
        for resource in self.resources:
            if resource.mode != "managed":
                continue
            handler = _HANDLERS.get(resource.type)
            if handler is not None:
                handler(self, resource)
        found = self.found
        policies = [*found.policies, *_lambda_policies(found.permissions)]
        policies = attach_managed(policies, found.principals, found.attachments)
        principals = [replace(principal, groups=tuple(dict.fromkeys(
                          (*principal.groups, *(group for user, group in found.memberships
                                                if user == principal.address)))))
                      for principal in found.principals]
        return IacInventory(input=self.source, policies=tuple(policies), principals=tuple(principals),
                            resources=tuple(found.resources), endpoints=tuple(found.endpoints),
                            organization_attachments=tuple(found.org_attachments), notes=tuple(found.notes),
                            attachments=tuple(found.attachments))


_QUEUE_URL = re.compile(r"https://(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?/(\d{12})/([^/]+)")


def _queue_arn(url: str) -> str | None:
    found = _QUEUE_URL.fullmatch(url)
    if found is None:
        return None
    region, account, name = found.groups()
    return f"arn:{partition_of(region)}:sqs:{region}:{account}:{name}"


# resource type -> (service:ARN noun, attribute holding the name)
_ARN_FORMATS: dict[str, tuple[str, str]] = {
    "aws_s3_bucket": ("s3:", "bucket"),
    "aws_sqs_queue": ("sqs:", "name"),
    "aws_sns_topic": ("sns:", "name"),
    "aws_kms_key": ("kms:key/", "key_id"),
    "aws_iam_role": ("iam:role", "name"),
    "aws_iam_user": ("iam:user", "name"),
    "aws_iam_group": ("iam:group", "name"),
    "aws_iam_policy": ("iam:policy", "name"),
    "aws_lambda_function": ("lambda:function:", "function_name"),
    "aws_secretsmanager_secret": ("secretsmanager:secret:", "name"),
    "aws_ecr_repository": ("ecr:repository/", "name"),
    "aws_dynamodb_table": ("dynamodb:table/", "name"),
    "aws_backup_vault": ("backup:backup-vault:", "name"),
    "aws_codeartifact_domain": ("codeartifact:domain/", "domain"),
    "aws_opensearch_domain": ("es:domain/", "domain_name"),
    "aws_elasticsearch_domain": ("es:domain/", "domain_name"),
    "aws_kinesis_stream": ("kinesis:stream/", "name"),
    "aws_glacier_vault": ("glacier:vaults/", "name"),
    "aws_s3_access_point": ("s3:accesspoint/", "name"),
}


# ---------------------------------------------------------------------------
# data.aws_iam_policy_document, as the provider builds its JSON


def policy_document_json(world: _World, document: TfResource) -> tuple[Any, str | None]:
    """The JSON a `data.aws_iam_policy_document` renders, with its unknown parts
    unknown; `(None, reason)` when its shape itself is unknown."""
    if world.is_unknown(document, "statement"):
        return None, f"{document.address}.statement is {AFTER_APPLY}"
    for key in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
        if document.values.get(key) or world.is_unknown(document, key):
            return None, f"{document.address}.{key}: merged documents are not read here"
    statements = []
    for index, statement in enumerate(document.values.get("statement") or []):
        here = f"statement[{index}]"
        if not isinstance(statement, dict):
            continue
        built: dict[str, Any] = {}
        sid = world.value(document, f"{here}.sid")
        if sid:
            built["Sid"] = sid
        built["Effect"] = world.value(document, f"{here}.effect") or "Allow"
        for key, element in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                             ("not_resources", "NotResource")):
            items = _list_value(world, document, f"{here}.{key}")
            if items:
                built[element] = items
        for key, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            blocks = statement.get(key) or []
            if blocks or world.is_unknown(document, f"{here}.{key}"):
                principal: dict[str, list[Any]] = {}
                for position, _ in enumerate(blocks or []):
                    kind = world.value(document, f"{here}.{key}[{position}].type")
                    identifiers = _list_value(world, document, f"{here}.{key}[{position}].identifiers")
                    if not isinstance(kind, str):
                        return None, f"{document.address}.{here}.{key}[{position}].type is {AFTER_APPLY}"
                    principal.setdefault(kind, []).extend(identifiers)
                if list(principal) == ["*"]:
                    built[element] = "*"
                elif principal:
                    built[element] = principal
        conditions: dict[str, dict[str, list[Any]]] = {}
        for position, _ in enumerate(statement.get("condition") or []):
            test = world.value(document, f"{here}.condition[{position}].test")
            variable = world.value(document, f"{here}.condition[{position}].variable")
            if not isinstance(test, str) or not isinstance(variable, str):
                return None, f"{document.address}.{here}.condition[{position}] is {AFTER_APPLY}"
            conditions.setdefault(test, {}).setdefault(variable, []).extend(
                _list_value(world, document, f"{here}.condition[{position}].values"))
        if conditions:
            built["Condition"] = conditions
        statements.append(built)
    result: dict[str, Any] = {"Version": world.value(document, "version") or "2012-10-17"}
    if isinstance(document.values.get("policy_id"), str):
        result["Id"] = document.values["policy_id"]
    result["Statement"] = statements
    return result, None


def _list_value(world: _World, resource: TfResource, attribute: str) -> list[Any]:
    listed = world.value(resource, attribute)
    if world.is_unknown(resource, attribute) or any(
            world.is_unknown(resource, f"{attribute}[{index}]") for index in range(len(
                listed if isinstance(listed, list) else []))):
        written = _from_sources(world, resource, attribute)
        if written is not None:
            return written
    if world.is_unknown(resource, attribute):
        return [Unknown(f"{resource.address}.{attribute}", Domain.TEXT, AFTER_APPLY)]
    items = world.value(resource, attribute)
    if not isinstance(items, list):
        return []
    return [Unknown(f"{resource.address}.{attribute}[{index}]", Domain.TEXT, AFTER_APPLY)
            if world.is_unknown(resource, f"{attribute}[{index}]") else item for index, item in enumerate(items)]


def _from_sources(world: _World, resource: TfResource, attribute: str) -> list[Any] | None:
    """A list attribute of a data source, from its expression in the sources."""
    if world.sources is None:
        return None
    found = world.sources.expression(resource.module, resource.mode, resource.type, resource.name, attribute)
    if found is None:
        return None
    node, file, line = found
    value = evaluate(node, lambda reference: world.resolve(resource.module, reference), f"{file}:{line}")
    if isinstance(value, str | Template | Unknown):
        value = [value]
    if not isinstance(value, list) or any(isinstance(item, Opaque | dict | list) for item in value):
        return None
    return value


def _walk(value: Any, path: tuple[str | int, ...], label: str) -> Any:
    for step in path:
        present = (isinstance(step, int) and isinstance(value, list) and step < len(value)) or (
            isinstance(step, str) and isinstance(value, dict) and step in value)
        if not present:
            return Opaque(label)
        value = value[step]
    return value


# attributes the provider computes from another one (aws_s3_bucket.id is its name)
_ALIASES: dict[tuple[str, str], str] = {
    ("aws_s3_bucket", "id"): "bucket", ("aws_iam_role", "id"): "name", ("aws_iam_user", "id"): "name",
    ("aws_iam_group", "id"): "name", ("aws_iam_policy", "id"): "arn", ("aws_sns_topic", "id"): "arn",
    ("aws_lambda_function", "id"): "function_name", ("aws_ecr_repository", "id"): "name",
    ("aws_dynamodb_table", "id"): "name", ("aws_secretsmanager_secret", "id"): "arn",
    ("aws_kms_key", "arn"): "arn", ("aws_sqs_queue", "arn"): "arn",
}


# ---------------------------------------------------------------------------
# Handlers per resource type


Handler = Callable[[_World, TfResource], None]


def _add(world: _World, policy: IacPolicy | None) -> None:
    if policy is not None:
        world.found.policies.append(policy)


def _principal_address(world: _World, resource: TfResource, attribute: str, kind: str) -> str:
    """The role, user or group a policy resource names: its address when it is in
    the plan, else its name."""
    referenced = world.referenced(resource, attribute)
    if referenced is not None and referenced.type == kind:
        return referenced.address
    name = world.value(resource, attribute)
    if isinstance(name, str):
        for candidate in world.resources:
            if candidate.type == kind and name in (candidate.values.get("name"), candidate.values.get("id")):
                return candidate.address
        return f"{kind.removeprefix('aws_iam_')}:{name}"
    return f"{resource.address}.{attribute}"


def _iam_principal(world: _World, resource: TfResource, principal_type: PrincipalType) -> None:
    managed = world.value(resource, "managed_policy_arns")
    managed_arns: tuple[Any, ...] = ()
    if isinstance(managed, Unknown):
        managed_arns = (managed,) if world.config.references(resource, "managed_policy_arns") else ()
    elif isinstance(managed, list):
        managed_arns = tuple(managed)
    boundary = world.value(resource, "permissions_boundary")
    if isinstance(boundary, Unknown):
        referenced = world.referenced(resource, "permissions_boundary")
        boundary = referenced.address if referenced is not None else boundary
    world.found.principals.append(IacPrincipal(
        address=resource.address, principal_type=principal_type, arn=world.arn(resource),
        provenance=world.provenance(resource, ""), name=world.value(resource, "name"),
        managed_policy_arns=managed_arns, boundary_arn=boundary or None,
        tags={k: v for k, v in (resource.values.get("tags") or {}).items() if isinstance(v, str)}))


def _role(world: _World, resource: TfResource) -> None:
    arn = world.arn(resource)
    _add(world, world.policy(resource, "assume_role_policy", PolicyKind.TRUST, resource_type="AWS::IAM::Role",
                             resource_arn=arn, attached_to=(resource.address,)))
    world.found.resources.append(IacResource(resource.address, "AWS::IAM::Role", arn,
                                             world.provenance(resource, ""),
                                             {k: v for k, v in (resource.values.get("tags") or {}).items()
                                              if isinstance(v, str)}))
    inline = resource.values.get("inline_policy")
    for index, item in enumerate(inline if isinstance(inline, list) else []):
        if not isinstance(item, dict) or (not item.get("policy") and not world.is_unknown(
                resource, f"inline_policy[{index}].policy")):
            continue
        _add(world, world.policy(resource, f"inline_policy[{index}].policy", PolicyKind.INLINE,
                                 attached_to=(resource.address,), name=item.get("name")))
    _iam_principal(world, resource, PrincipalType.ROLE)


def _user(world: _World, resource: TfResource) -> None:
    _iam_principal(world, resource, PrincipalType.USER)


def _group(world: _World, resource: TfResource) -> None:
    _iam_principal(world, resource, PrincipalType.GROUP)


def _entity_policy(kind: str, attribute: str) -> Handler:
    def handler(world: _World, resource: TfResource) -> None:
        target = _principal_address(world, resource, attribute, kind)
        _add(world, world.policy(resource, "policy", PolicyKind.INLINE, attached_to=(target,),
                                 name=resource.values.get("name")))

    return handler


def _managed_policy(world: _World, resource: TfResource) -> None:
    _add(world, world.policy(resource, "policy", PolicyKind.MANAGED, name=resource.values.get("name"),
                             arn=world.arn(resource)))


def _policy_attachment(kind: str, attribute: str) -> Handler:
    def handler(world: _World, resource: TfResource) -> None:
        principal = _principal_address(world, resource, attribute, kind)
        world.found.attachments.append((principal, _policy_arn(world, resource)))

    return handler


def _policy_arn(world: _World, resource: TfResource) -> Any:
    referenced = world.referenced(resource, "policy_arn")
    if referenced is not None and referenced.type == "aws_iam_policy":
        return referenced.address
    return world.value(resource, "policy_arn")


def _user_groups(world: _World, resource: TfResource) -> None:
    """aws_iam_user_group_membership: one user in some groups."""
    user = _principal_address(world, resource, "user", "aws_iam_user")
    groups = world.value(resource, "groups")
    for name in groups if isinstance(groups, list) else []:
        world.found.memberships.append((user, _named(world, name, "aws_iam_group")))


def _group_users(world: _World, resource: TfResource) -> None:
    """aws_iam_group_membership: one group's users."""
    group = _principal_address(world, resource, "group", "aws_iam_group")
    users = world.value(resource, "users")
    for name in users if isinstance(users, list) else []:
        world.found.memberships.append((_named(world, name, "aws_iam_user"), group))


def _named(world: _World, name: Any, kind: str) -> str:
    """The address of the user or group of this name in the plan, else `user:NAME`."""
    matches = [r.address for r in world.resources if r.type == kind and isinstance(name, str)
               and name in (r.values.get("name"), r.values.get("id"))]
    return matches[0] if matches else f"{kind.removeprefix('aws_iam_')}:{name}"


def _shared_attachment(world: _World, resource: TfResource) -> None:
    """aws_iam_policy_attachment: one policy to lists of users, roles and groups."""
    policy = _policy_arn(world, resource)
    for attribute, kind in (("users", "aws_iam_user"), ("roles", "aws_iam_role"), ("groups", "aws_iam_group")):
        names = world.value(resource, attribute)
        for name in names if isinstance(names, list) else []:
            matches = [r.address for r in world.resources if r.type == kind and r.values.get("name") == name]
            world.found.attachments.append((matches[0] if matches else f"{kind.removeprefix('aws_iam_')}:{name}",
                                            policy))


def _resource_policy(attribute: str, resource_type: str, target_attribute: str | None,
                     target_types: tuple[str, ...]) -> Handler:
    """A resource-based policy, on the resource itself (`target_attribute` None)
    or on the resource another attribute names."""

    def handler(world: _World, resource: TfResource) -> None:
        if target_attribute is None:
            arn, address = world.arn(resource), resource.address
            world.found.resources.append(IacResource(resource.address, resource_type, arn,
                                                     world.provenance(resource, ""),
                                                     {k: v for k, v in (resource.values.get("tags") or {}).items()
                                                      if isinstance(v, str)}))
        else:
            arn, target = world.target(resource, target_attribute, target_types)
            address = target or resource.address
        _add(world, world.policy(resource, attribute, PolicyKind.RESOURCE, resource_type=resource_type,
                                 resource_arn=arn, attached_to=(address,)))

    return handler


def _plain_resource(resource_type: str) -> Handler:
    def handler(world: _World, resource: TfResource) -> None:
        world.found.resources.append(IacResource(resource.address, resource_type, world.arn(resource),
                                                 world.provenance(resource, ""),
                                                 {k: v for k, v in (resource.values.get("tags") or {}).items()
                                                  if isinstance(v, str)}))

    return handler


def _kms_key(world: _World, resource: TfResource) -> None:
    arn = world.arn(resource)
    world.found.resources.append(IacResource(resource.address, "AWS::KMS::Key", arn, world.provenance(resource, "")))
    has_separate = any(r.type == "aws_kms_key_policy" and world.referenced(r, "key_id") is resource
                       for r in world.resources)
    if has_separate:
        return
    policy = world.policy(resource, "policy", PolicyKind.RESOURCE, resource_type="AWS::KMS::Key", resource_arn=arn,
                          attached_to=(resource.address,))
    if policy is None and not world.configured(resource, "policy"):
        # no policy written: AWS gives the key its default policy (KMS developer guide, "Default key policy")
        policy = IacPolicy(kind=PolicyKind.RESOURCE, provenance=world.provenance(resource, "policy"),
                           document=default_key_policy(world.partition(resource), world.account),
                           resource_type="AWS::KMS::Key", resource_arn=arn, attached_to=(resource.address,),
                           name="default key policy")
    _add(world, policy)


def _vpc_endpoint(world: _World, resource: TfResource) -> None:
    service_name = world.value(resource, "service_name")
    service = service_name.rsplit(".", 1)[-1] if isinstance(service_name, str) else None
    endpoint_id = world.value(resource, "id")
    vpc = world.value(resource, "vpc_id")
    if isinstance(vpc, Unknown):
        referenced = world.referenced(resource, "vpc_id")
        vpc = Unknown(f"{referenced.address}.id" if referenced else vpc.label, Domain.NAME, AFTER_APPLY)
    world.found.endpoints.append(IacEndpoint(resource.address, world.provenance(resource, ""),
                                             endpoint_id if endpoint_id is not None else Unknown(
                                                 f"{resource.address}.id", Domain.NAME, AFTER_APPLY), vpc, service))
    _add(world, world.policy(resource, "policy", PolicyKind.VPC_ENDPOINT, attached_to=(resource.address,)))


def _organizations_policy(world: _World, resource: TfResource) -> None:
    kind = resource.values.get("type") or "SERVICE_CONTROL_POLICY"
    kinds = {"SERVICE_CONTROL_POLICY": PolicyKind.SCP, "RESOURCE_CONTROL_POLICY": PolicyKind.RCP}
    if kind not in kinds:
        return
    # by the configuration's reference, or by the policy's id (an attachment the plan
    # deletes is no longer in the configuration)
    policy_id = resource.values.get("id")
    targets = [r for r in world.resources if r.type == "aws_organizations_policy_attachment"
               and (world.referenced(r, "policy_id") is resource
                    or (isinstance(policy_id, str) and r.values.get("policy_id") == policy_id))]
    attached = tuple(str(world.value(t, "target_id")) for t in targets)
    _add(world, world.policy(resource, "content", kinds[kind], attached_to=attached, name=resource.values.get("name"),
                             policy_type_hint=kind))
    world.found.org_attachments.extend((resource.address, _org_target(world, t)) for t in targets)


def _org_target(world: _World, attachment: TfResource) -> Any:
    """An attachment's target id; for an OU the plan creates (its id known only after
    apply), the OU by its name."""
    target = world.value(attachment, "target_id")
    if isinstance(target, Unknown):
        unit = world.referenced(attachment, "target_id")
        name = unit.values.get("name") if unit is not None else None
        if unit is not None and unit.type == "aws_organizations_organizational_unit" and isinstance(name, str):
            return OuNamed(name, unit.address)
    return target


def _lambda_permission(world: _World, resource: TfResource) -> None:
    """The statement AddPermission puts in the function's policy (Lambda developer
    guide, "Lambda resource-based policies")."""
    function, address = world.target(resource, "function_name", ("aws_lambda_function",))
    qualifier = world.value(resource, "qualifier")
    if qualifier:
        function = Template.of(function, ":", qualifier)
    principal = world.value(resource, "principal")
    statement: dict[str, Any] = {"Sid": world.value(resource, "statement_id") or resource.address,
                                 "Effect": "Allow", "Action": world.value(resource, "action"), "Resource": function}
    if isinstance(principal, str) and not (principal == "*" or principal.isdigit() or principal.startswith("arn:")):
        statement["Principal"] = {"Service": principal}
    else:
        statement["Principal"] = {"AWS": principal}
    conditions: dict[str, dict[str, Any]] = {}
    for key, operator, condition_key in (("source_arn", "ArnLike", "AWS:SourceArn"),
                                         ("source_account", "StringEquals", "AWS:SourceAccount"),
                                         ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
                                         ("event_source_token", "StringEquals", "lambda:EventSourceToken"),
                                         ("function_url_auth_type", "StringEquals", "lambda:FunctionUrlAuthType")):
        item = world.value(resource, key)
        if item:
            conditions.setdefault(operator, {})[condition_key] = item
    if conditions:
        statement["Condition"] = conditions
    provenance = world.provenance(resource, "")
    world.found.permissions.append((function if address is None else (function, address), statement, provenance))


def _lambda_policies(permissions: list[tuple[Any, dict[str, Any], Provenance]]) -> list[IacPolicy]:
    by_function: dict[str, list[tuple[Any, dict[str, Any], Provenance]]] = {}
    for target, statement, provenance in permissions:
        by_function.setdefault(str(target), []).append((target, statement, provenance))
    policies = []
    for items in by_function.values():
        target = items[0][0]
        function, address = target if isinstance(target, tuple) else (target, None)
        document = {"Version": "2012-10-17", "Statement": [statement for _, statement, _ in items]}
        attached = (address,) if address else tuple(p.address for _, _, p in items)
        policies.append(IacPolicy(kind=PolicyKind.RESOURCE, provenance=items[0][2], document=document,
                                  resource_type="AWS::Lambda::Function", resource_arn=function, attached_to=attached,
                                  name="function policy (from aws_lambda_permission)"))
    return policies


_HANDLERS: dict[str, Handler] = {
    "aws_iam_role": _role,
    "aws_iam_user": _user,
    "aws_iam_group": _group,
    "aws_iam_role_policy": _entity_policy("aws_iam_role", "role"),
    "aws_iam_user_policy": _entity_policy("aws_iam_user", "user"),
    "aws_iam_group_policy": _entity_policy("aws_iam_group", "group"),
    "aws_iam_policy": _managed_policy,
    "aws_iam_role_policy_attachment": _policy_attachment("aws_iam_role", "role"),
    "aws_iam_user_policy_attachment": _policy_attachment("aws_iam_user", "user"),
    "aws_iam_group_policy_attachment": _policy_attachment("aws_iam_group", "group"),
    "aws_iam_policy_attachment": _shared_attachment,
    "aws_iam_user_group_membership": _user_groups,
    "aws_iam_group_membership": _group_users,
    "aws_s3_bucket": _resource_policy("policy", "AWS::S3::Bucket", None, ()),
    "aws_s3_bucket_policy": _resource_policy("policy", "AWS::S3::Bucket", "bucket", ("aws_s3_bucket",)),
    "aws_kms_key": _kms_key,
    "aws_kms_key_policy": _resource_policy("policy", "AWS::KMS::Key", "key_id", ("aws_kms_key",)),
    "aws_sqs_queue": _resource_policy("policy", "AWS::SQS::Queue", None, ()),
    "aws_sqs_queue_policy": _resource_policy("policy", "AWS::SQS::Queue", "queue_url", ("aws_sqs_queue",)),
    "aws_sns_topic": _resource_policy("policy", "AWS::SNS::Topic", None, ()),
    "aws_sns_topic_policy": _resource_policy("policy", "AWS::SNS::Topic", "arn", ("aws_sns_topic",)),
    "aws_lambda_function": _plain_resource("AWS::Lambda::Function"),
    "aws_lambda_permission": _lambda_permission,
    "aws_secretsmanager_secret": _resource_policy("policy", "AWS::SecretsManager::Secret", None, ()),
    "aws_secretsmanager_secret_policy": _resource_policy("policy", "AWS::SecretsManager::Secret", "secret_arn",
                                                         ("aws_secretsmanager_secret",)),
    "aws_ecr_repository": _plain_resource("AWS::ECR::Repository"),
    "aws_ecr_repository_policy": _resource_policy("policy", "AWS::ECR::Repository", "repository",
                                                  ("aws_ecr_repository",)),
    "aws_dynamodb_table": _plain_resource("AWS::DynamoDB::Table"),
    "aws_dynamodb_resource_policy": _resource_policy("policy", "AWS::DynamoDB::Table", "resource_arn",
                                                     ("aws_dynamodb_table",)),
    "aws_vpc_endpoint": _vpc_endpoint,
    "aws_organizations_policy": _organizations_policy,
    # further resource-based policies (the types of CheckNoPublicAccess)
    "aws_s3_access_point": _resource_policy("policy", "AWS::S3::AccessPoint", None, ()),
    "aws_s3control_access_point_policy": _resource_policy("policy", "AWS::S3::AccessPoint", "access_point_arn",
                                                          ("aws_s3_access_point",)),
    "aws_s3_directory_bucket": _plain_resource("AWS::S3Express::DirectoryBucket"),
    "aws_s3tables_table_bucket_policy": _resource_policy("resource_policy", "AWS::S3Tables::TableBucket",
                                                         "table_bucket_arn", ("aws_s3tables_table_bucket",)),
    "aws_efs_file_system_policy": _resource_policy("policy", "AWS::EFS::FileSystem", "file_system_id",
                                                   ("aws_efs_file_system",)),
    "aws_opensearch_domain_policy": _resource_policy("access_policies", "AWS::OpenSearchService::Domain",
                                                     "domain_name", ("aws_opensearch_domain",)),
    "aws_elasticsearch_domain_policy": _resource_policy("access_policies", "AWS::OpenSearchService::Domain",
                                                        "domain_name", ("aws_elasticsearch_domain",)),
    "aws_kinesis_resource_policy": _resource_policy("policy", "AWS::Kinesis::Stream", "resource_arn",
                                                    ("aws_kinesis_stream",)),
    "aws_glacier_vault": _resource_policy("access_policy", "AWS::Glacier::Vault", None, ()),
    "aws_backup_vault_policy": _resource_policy("policy", "AWS::Backup::BackupVault", "backup_vault_name",
                                                ("aws_backup_vault",)),
    "aws_codeartifact_domain_permissions_policy": _resource_policy("policy_document", "AWS::CodeArtifact::Domain",
                                                                   "domain", ("aws_codeartifact_domain",)),
    "aws_codeartifact_repository_permissions_policy": _resource_policy(
        "policy_document", "AWS::CodeArtifact::Repository", "repository", ("aws_codeartifact_repository",)),
    "aws_api_gateway_rest_api_policy": _resource_policy("policy", "AWS::ApiGateway::RestApi", "rest_api_id",
                                                        ("aws_api_gateway_rest_api",)),
    "aws_api_gateway_rest_api": _resource_policy("policy", "AWS::ApiGateway::RestApi", None, ()),
}
