"""CloudFormation templates (and CDK's `cdk.out/*.template.json`) -> `IacInventory`.

Every policy the template writes is read with its template line: trust, inline
and managed policies of roles, users and groups, resource-based policies (buckets,
keys, queues, topics, Lambda permissions as the function policy AWS builds,
secrets, repositories, tables and streams, and the further types of
`RESOURCE_POLICY_PROPERTIES`), VPC endpoint policies and organization policies.

A resource whose values depend on an unknown through a condition or a mapping key
is read once per value the unknown may take (`cfn_intrinsics.Undecided`); each
policy then carries the `case` it was read in. A policy that cannot be read at all
(an opaque value) is kept with `unknown` set, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.inputs.iac.cfn_intrinsics import NO_VALUE, Evaluator, Undecided, Unresolvable
from reasoner.inputs.iac.cfn_resources import arn_of, physical_name, resource_type_of
from reasoner.inputs.iac.cfn_template import CfnTemplate, line_of, load_template, where
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
from reasoner.inputs.iac.values import Domain, Opaque, Template, Unknown, json_document, opaque_in

MAX_CASES = 32

# Resource-based policies beyond the core types, by CloudFormation type: the
# property holding the policy (a dotted path), the resource type the policy is on
# (its CloudFormation name), and the property naming that resource (None: the
# resource itself).
RESOURCE_POLICY_PROPERTIES: dict[str, tuple[str, str, str | None]] = {
    "AWS::ECR::Repository": ("RepositoryPolicyText", "AWS::ECR::Repository", None),
    "AWS::SecretsManager::ResourcePolicy": ("ResourcePolicy", "AWS::SecretsManager::Secret", "SecretId"),
    "AWS::S3::AccessPoint": ("Policy", "AWS::S3::AccessPoint", None),
    "AWS::S3Express::BucketPolicy": ("PolicyDocument", "AWS::S3Express::DirectoryBucket", "Bucket"),
    "AWS::S3Express::AccessPoint": ("Policy", "AWS::S3Express::AccessPoint", None),
    "AWS::S3Tables::TableBucketPolicy": ("ResourcePolicy", "AWS::S3Tables::TableBucket", "TableBucketARN"),
    "AWS::S3::MultiRegionAccessPointPolicy": ("Policy", "AWS::S3::MultiRegionAccessPoint", "MrapName"),
    "AWS::EFS::FileSystem": ("FileSystemPolicy", "AWS::EFS::FileSystem", None),
    "AWS::OpenSearchService::Domain": ("AccessPolicies", "AWS::OpenSearchService::Domain", None),
    "AWS::Elasticsearch::Domain": ("AccessPolicies", "AWS::OpenSearchService::Domain", None),
    "AWS::Kinesis::ResourcePolicy": ("ResourcePolicy", "AWS::Kinesis::Stream", "ResourceArn"),
    "AWS::Backup::BackupVault": ("AccessPolicy", "AWS::Backup::BackupVault", None),
    "AWS::CodeArtifact::Domain": ("PermissionsPolicyDocument", "AWS::CodeArtifact::Domain", None),
    "AWS::CodeArtifact::Repository": ("PermissionsPolicyDocument", "AWS::CodeArtifact::Repository", None),
    "AWS::ApiGateway::RestApi": ("Policy", "AWS::ApiGateway::RestApi", None),
    "AWS::CloudTrail::ResourcePolicy": ("ResourcePolicy", "AWS::CloudTrail::Dashboard", "ResourceArn"),
    "AWS::SNS::TopicInlinePolicy": ("PolicyDocument", "AWS::SNS::Topic", "TopicArn"),
    "AWS::SQS::QueueInlinePolicy": ("PolicyDocument", "AWS::SQS::Queue", "Queue"),
}


def read_cloudformation(path: Path, parameters: Mapping[str, str] | None = None) -> IacInventory:
    """Every policy, principal, resource and endpoint of the template at `path`."""
    template = load_template(path)
    reader = _Reader(template, dict(parameters or {}))
    return reader.inventory()


@dataclass
class _Found:
    """What one resource contributes, in one case."""

    policies: list[IacPolicy] = field(default_factory=list)
    principals: list[IacPrincipal] = field(default_factory=list)
    resources: list[IacResource] = field(default_factory=list)
    endpoints: list[IacEndpoint] = field(default_factory=list)
    org_attachments: list[tuple[str, Any]] = field(default_factory=list)
    permissions: list[tuple[Any, dict[str, Any], Provenance]] = field(default_factory=list)


class _Reader:
    def __init__(self, template: CfnTemplate, parameters: dict[str, str]) -> None:
        self.template = template
        self.source = template.source
        self.parameters = parameters
        declared = template.section("Parameters")
        for name in parameters:
            if name not in declared and not name.startswith("AWS::"):
                raise InputError(self.source, "Parameters",
                                 f'a value is given for "{name}", which the template does not declare')

    def inventory(self) -> IacInventory:
        found = _Found()
        notes: list[str] = []
        resources = self.template.section("Resources")
        for logical, resource in resources.items():
            if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
                raise InputError(self.source, where(resource, f"Resources.{logical}"),
                                 "expected a resource with a Type")
            for index, (case, part) in enumerate(self.cases(str(logical))):
                _merge(found, part, case, first=index == 0)
        policies = attach_managed([*found.policies, *self.lambda_policies(found.permissions)], found.principals, [])
        return IacInventory(input=self.source, policies=tuple(policies), principals=tuple(found.principals),
                            resources=tuple(found.resources), endpoints=tuple(found.endpoints),
                            organization_attachments=tuple(found.org_attachments), notes=tuple(notes))

    def cases(self, logical: str) -> list[tuple[tuple[tuple[str, str], ...], _Found]]:
        """The resource read once per case of the unknowns its values decide on."""
        pending: list[dict[str, str | Unknown]] = [{}]
        results: list[tuple[tuple[tuple[str, str], ...], _Found]] = []
        while pending:
            bindings = pending.pop(0)
            evaluator = Evaluator(self.template, self.parameters, bindings)
            case = tuple(sorted((label, value if isinstance(value, str) else _others(value))
                                for label, value in bindings.items()))
            try:
                part = self.resource(evaluator, logical)
            except Undecided as undecided:
                if len(results) + len(pending) + len(undecided.candidates) + 1 > MAX_CASES:
                    results.append((case, self.opaque_resource(
                        evaluator, logical, f"more than {MAX_CASES} cases of the unknowns it depends on")))
                    continue
                label = undecided.unknown.label
                pending.extend({**bindings, label: value} for value in undecided.candidates)
                if undecided.others:
                    narrowed = replace(undecided.unknown,
                                       excluded=(*undecided.unknown.excluded, *undecided.candidates))
                    pending.append({**bindings, label: narrowed})
                continue
            except Unresolvable as problem:
                results.append((case, self.opaque_resource(evaluator, logical, str(problem))))
                continue
            results.append((case, part))
        return results

    # -- one resource ---------------------------------------------------------

    def resource(self, ev: Evaluator, logical: str) -> _Found:
        node = ev.resources[logical]
        found = _Found()
        condition = node.get("Condition")
        if condition is not None and not ev.condition(condition, node, f"Resources.{logical}.Condition"):
            return found  # the resource is not created in this case
        kind = resource_type_of(ev, logical)
        properties = node.get("Properties") or {}
        if not isinstance(properties, dict):
            raise InputError(self.source, where(properties, f"Resources.{logical}.Properties"), "expected a mapping")
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, ev, logical, properties, found)
        if kind in RESOURCE_POLICY_PROPERTIES:
            self.generic_resource_policy(ev, logical, kind, properties, found)
        return found

    def opaque_resource(self, ev: Evaluator, logical: str, reason: str) -> _Found:
        """A resource whose values cannot be read: each policy property it has is UNKNOWN."""
        node = ev.resources[logical]
        properties = node.get("Properties") or {}
        found = _Found()
        for prop in _policy_properties(resource_type_of(ev, logical)):
            if isinstance(properties, dict) and prop.split(".")[0] in properties:
                found.policies.append(IacPolicy(
                    kind=PolicyKind.RESOURCE, provenance=self.provenance(logical, f"Properties.{prop}",
                                                                         properties.get(prop.split(".")[0])),
                    unknown=f"{logical}.Properties.{prop}: {reason}"))
        return found

    def provenance(self, logical: str, attribute: str, node: Any) -> Provenance:
        return Provenance(input=self.source, address=logical, attribute=attribute,
                          path=f"Resources.{logical}.{attribute}", file=self.source, line=line_of(node))

    def policy(self, ev: Evaluator, logical: str, attribute: str, node: Any, kind: PolicyKind,
               **extra: Any) -> IacPolicy:
        """One policy document property, evaluated; a JSON string is parsed."""
        provenance = self.provenance(logical, attribute, node)
        value = ev.value(node, provenance.path)
        if isinstance(value, str | Template):
            value = _json_document(value, self.source, where(node, provenance.path))
        opaque = opaque_in(value)
        unknown = None
        if isinstance(value, Unknown):
            unknown = f"{logical}.{attribute}: the policy is {value} ({value.reason})"
            value = None
        elif opaque is not None:
            unknown = f"{logical}.{attribute}: the policy holds {opaque.reason}"
        elif not isinstance(value, dict):
            raise InputError(self.source, where(node, provenance.path), "expected a policy document (a mapping)")
        return IacPolicy(kind=kind, provenance=provenance, document=value, unknown=unknown,
                         statement_lines=_statement_lines(value, ev.lines), **extra)

    def generic_resource_policy(self, ev: Evaluator, logical: str, kind: str, properties: dict[str, Any],
                                found: _Found) -> None:
        path, target_type, target_property = RESOURCE_POLICY_PROPERTIES[kind]
        node: Any = properties
        for step in path.split("."):
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return
        if target_property is None:
            arn: Any = arn_of(ev, logical)
        else:
            target_node = properties.get(target_property)
            arn = self.target_arn(ev, target_type, target_node, f"Resources.{logical}.Properties.{target_property}")
        found.policies.append(self.policy(ev, logical, f"Properties.{path}", node, PolicyKind.RESOURCE,
                                          resource_type=target_type, resource_arn=arn,
                                          attached_to=(logical if target_property is None else
                                                       self.logical_of(target_node) or logical,)))
        if target_property is None and kind not in _HANDLERS:
            found.resources.append(IacResource(logical, target_type, arn,
                                               self.provenance(logical, "", ev.resources[logical])))

    def logical_of(self, node: Any) -> str | None:
        """The logical id a `Ref` or `Fn::GetAtt` node names, if any."""
        if isinstance(node, dict) and len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Ref" and isinstance(argument, str) and argument in self.template.section("Resources"):
                return str(argument)
            if key == "Fn::GetAtt":
                name = argument.split(".", 1)[0] if isinstance(argument, str) else argument[0] if isinstance(
                    argument, list) and argument else None
                if isinstance(name, str) and name in self.template.section("Resources"):
                    return str(name)
            if key == "Fn::Sub" and isinstance(argument, str):
                found = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", argument)
                if found and found.group(1) in self.template.section("Resources"):
                    return found.group(1)
        return None

    def target_arn(self, ev: Evaluator, target_type: str, node: Any, path: str) -> Any:
        """The ARN of the resource a policy resource names (by Ref, name, URL or ARN)."""
        if node is None:
            return Unknown(f"{path}", Domain.TEXT, "the resource the policy is on (not named)")
        logical = self.logical_of(node)
        if logical is not None and resource_type_of(ev, logical) in (target_type, _SAME_ARN.get(target_type)):
            return arn_of(ev, logical)
        value = ev.bound(ev.value(node, path))
        if isinstance(value, str) and value.startswith("arn:"):
            return value
        if target_type == "AWS::SQS::Queue" and isinstance(value, str):
            return _queue_arn(value) or Unknown(path, Domain.TEXT, f"the queue of URL {value}")
        if target_type == "AWS::S3::Bucket" and isinstance(value, str | Template | Unknown):
            partition = ev.bound(ev.pseudo["AWS::Partition"])
            return Template.of("arn:", partition, ":s3:::", value)
        if target_type == "AWS::SecretsManager::Secret" and isinstance(value, str):
            partition, region, account = (ev.bound(ev.pseudo[k]) for k in
                                          ("AWS::Partition", "AWS::Region", "AWS::AccountId"))
            suffix = Unknown(f"{path}.ArnSuffix", Domain.NAME, "the random suffix of a secret's ARN")
            return Template.of("arn:", partition, ":secretsmanager:", region, ":", account, ":secret:", value, "-",
                               suffix)
        if isinstance(value, Template | Unknown):
            return value
        return Unknown(path, Domain.TEXT, "the resource the policy is on")

    def principal_names(self, ev: Evaluator, node: Any, path: str) -> tuple[str, ...]:
        """`Roles`, `Users` or `Groups` of a policy: logical ids where they name the
        template's own principals, the names otherwise."""
        if node is None:
            return ()
        if not isinstance(node, list):
            raise InputError(self.source, where(node, path), "expected a list")
        names: list[str] = []
        for index, item in enumerate(node):
            logical = self.logical_of(item)
            if logical is not None:
                names.append(logical)
                continue
            value = ev.bound(ev.value(item, f"{path}[{index}]"))
            if value is NO_VALUE:
                continue
            names.append(str(value))
        return tuple(names)

    # -- Lambda permissions ----------------------------------------------------

    def lambda_policies(self, permissions: list[tuple[Any, dict[str, Any], Provenance]]) -> list[IacPolicy]:
        """`AWS::Lambda::Permission`s, one policy per function as AWS builds it."""
        by_function: dict[str, list[tuple[Any, dict[str, Any], Provenance]]] = {}
        for function, statement, provenance in permissions:
            by_function.setdefault(str(function), []).append((function, statement, provenance))
        policies = []
        for items in by_function.values():
            function, _, first = items[0]
            statements = [statement for _, statement, _ in items]
            document = {"Version": "2012-10-17", "Statement": statements}
            lines = tuple((f"Statement[{index}]", provenance.line) for index, (_, _, provenance) in enumerate(items)
                          if provenance.line is not None)
            opaque = opaque_in(document)
            policies.append(IacPolicy(
                kind=PolicyKind.RESOURCE, provenance=first, document=document,
                unknown=None if opaque is None else f"{first.label}: the permission holds {opaque.reason}",
                resource_type="AWS::Lambda::Function", resource_arn=function,
                attached_to=tuple(dict.fromkeys(p.address for _, _, p in items)), statement_lines=lines))
        return policies


_SAME_ARN = {"AWS::SNS::Topic": "AWS::SNS::Topic"}


def _others(value: Unknown) -> str:
    return "none of " + ", ".join(value.excluded) if value.excluded else "any value"


def _merge(into: _Found, part: _Found, case: tuple[tuple[str, str], ...], *, first: bool) -> None:
    into.policies.extend(replace(policy, case=case) for policy in part.policies)
    into.permissions.extend(part.permissions)
    if first:  # principals and resources once, from the first case
        into.principals.extend(part.principals)
        into.resources.extend(part.resources)
        into.endpoints.extend(part.endpoints)
        into.org_attachments.extend(part.org_attachments)


def _json_document(value: str | Template, source: str, place: str) -> Any:
    """A policy given as JSON text (an ECR repository policy, an organization
    policy's content); unknown parts of the text stay unknown in the strings."""
    try:
        return json_document(value)
    except ValueError as error:
        raise InputError(source, place, f"the policy text is not JSON ({error})") from None


def _statement_lines(document: Any, lines: Mapping[int, int]) -> tuple[tuple[str, int], ...]:
    if not isinstance(document, dict):
        return ()
    statements = next((value for key, value in document.items() if key.lower() == "statement"), None)
    if isinstance(statements, dict):
        line = lines.get(id(statements))
        return () if line is None else (("Statement", line),)
    if isinstance(statements, list):
        return tuple((f"Statement[{index}]", lines[id(item)]) for index, item in enumerate(statements)
                     if id(item) in lines)
    return ()


_QUEUE_URL = re.compile(r"https://(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?/(\d{12})/([^/]+)")


def _queue_arn(url: str) -> str | None:
    found = _QUEUE_URL.fullmatch(url)
    if found is None:
        return None
    region, account, name = found.groups()
    partition = "aws-cn" if url.endswith(".cn/" + account + "/" + name) or region.startswith("cn-") else "aws"
    return f"arn:{partition}:sqs:{region}:{account}:{name}"


def _policy_properties(kind: str) -> tuple[str, ...]:
    found = {
        "AWS::IAM::Role": ("AssumeRolePolicyDocument", "Policies"),
        "AWS::IAM::User": ("Policies",), "AWS::IAM::Group": ("Policies",),
        "AWS::IAM::Policy": ("PolicyDocument",), "AWS::IAM::ManagedPolicy": ("PolicyDocument",),
        "AWS::IAM::RolePolicy": ("PolicyDocument",), "AWS::IAM::UserPolicy": ("PolicyDocument",),
        "AWS::IAM::GroupPolicy": ("PolicyDocument",),
        "AWS::S3::BucketPolicy": ("PolicyDocument",), "AWS::KMS::Key": ("KeyPolicy",),
        "AWS::SQS::QueuePolicy": ("PolicyDocument",), "AWS::SNS::TopicPolicy": ("PolicyDocument",),
        "AWS::EC2::VPCEndpoint": ("PolicyDocument",), "AWS::Organizations::Policy": ("Content",),
        "AWS::Lambda::Permission": ("Principal",),
        "AWS::DynamoDB::Table": ("ResourcePolicy", "StreamSpecification"),
    }.get(kind, ())
    extra = RESOURCE_POLICY_PROPERTIES.get(kind)
    return (*found, extra[0]) if extra else found


# ---------------------------------------------------------------------------
# Handlers per resource type


Handler = Callable[[_Reader, Evaluator, str, dict[str, Any], _Found], None]


def _tags(ev: Evaluator, properties: dict[str, Any], path: str) -> dict[str, str]:
    node = properties.get("Tags")
    if node is None:
        return {}
    value = ev.value(node, path)
    tags: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("Key"), str) and isinstance(item.get("Value"), str):
                tags[item["Key"]] = item["Value"]
    elif isinstance(value, dict):
        tags = {str(k): v for k, v in value.items() if isinstance(v, str)}
    return tags


def _inline_policies(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any],
                     found: _Found) -> None:
    node = properties.get("Policies")
    if node is None:
        return
    if not isinstance(node, list):
        raise InputError(reader.source, where(node, f"Resources.{logical}.Properties.Policies"), "expected a list")
    for index, item in enumerate(node):
        if isinstance(item, dict) and len(item) == 1 and next(iter(item)).startswith("Fn::If"):
            item = ev.value(item, f"Resources.{logical}.Properties.Policies[{index}]")
            if item is NO_VALUE:
                continue
        if not isinstance(item, dict) or "PolicyDocument" not in item:
            raise InputError(reader.source, where(item, f"Resources.{logical}.Properties.Policies[{index}]"),
                             "expected {PolicyName, PolicyDocument}")
        name = ev.bound(ev.value(item.get("PolicyName"), "PolicyName")) if "PolicyName" in item else None
        found.policies.append(reader.policy(ev, logical, f"Properties.Policies[{index}].PolicyDocument",
                                            item["PolicyDocument"], PolicyKind.INLINE, attached_to=(logical,),
                                            name=name))


def _arn_list(ev: Evaluator, properties: dict[str, Any], key: str, path: str) -> tuple[Any, ...]:
    node = properties.get(key)
    if node is None:
        return ()
    value = ev.value(node, path)
    if isinstance(value, Opaque):
        return (value,)
    return tuple(ev.bound(item) for item in value) if isinstance(value, list) else (ev.bound(value),)


def _principal(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found,
               principal_type: PrincipalType) -> None:
    path = f"Resources.{logical}.Properties"
    boundary = properties.get("PermissionsBoundary")
    groups = reader.principal_names(ev, properties.get("Groups"), f"{path}.Groups")
    found.principals.append(IacPrincipal(
        address=logical, principal_type=principal_type, arn=arn_of(ev, logical),
        provenance=reader.provenance(logical, "", ev.resources[logical]), name=physical_name(ev, logical),
        managed_policy_arns=_arn_list(ev, properties, "ManagedPolicyArns", f"{path}.ManagedPolicyArns"),
        boundary_arn=None if boundary is None else ev.bound(ev.value(boundary, f"{path}.PermissionsBoundary")),
        groups=groups, tags=_tags(ev, properties, f"{path}.Tags")))
    _inline_policies(reader, ev, logical, properties, found)


def _role(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    trust = properties.get("AssumeRolePolicyDocument")
    arn = arn_of(ev, logical)
    if trust is not None:
        found.policies.append(reader.policy(ev, logical, "Properties.AssumeRolePolicyDocument", trust,
                                            PolicyKind.TRUST, resource_type="AWS::IAM::Role", resource_arn=arn,
                                            attached_to=(logical,)))
        found.resources.append(IacResource(logical, "AWS::IAM::Role", arn,
                                           reader.provenance(logical, "", ev.resources[logical]),
                                           _tags(ev, properties, f"Resources.{logical}.Properties.Tags")))
    _principal(reader, ev, logical, properties, found, PrincipalType.ROLE)


def _user(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    _principal(reader, ev, logical, properties, found, PrincipalType.USER)


def _group(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    _principal(reader, ev, logical, properties, found, PrincipalType.GROUP)


def _iam_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    """AWS::IAM::Policy (inline policies of the named principals) and
    AWS::IAM::ManagedPolicy (a managed policy attached to them)."""
    kind = resource_type_of(ev, logical)
    path = f"Resources.{logical}.Properties"
    targets = tuple(name for key in ("Roles", "Users", "Groups")
                    for name in reader.principal_names(ev, properties.get(key), f"{path}.{key}"))
    document = properties.get("PolicyDocument")
    if document is None:
        raise InputError(reader.source, where(properties, path), "PolicyDocument: missing")
    if kind == "AWS::IAM::ManagedPolicy":
        found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument", document, PolicyKind.MANAGED,
                                            attached_to=targets, name=physical_name(ev, logical),
                                            arn=arn_of(ev, logical)))
    else:
        name = ev.bound(ev.value(properties.get("PolicyName"), f"{path}.PolicyName")) \
            if "PolicyName" in properties else None
        found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument", document, PolicyKind.INLINE,
                                            attached_to=targets, name=name))


def _iam_entity_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any],
                       found: _Found) -> None:
    """AWS::IAM::RolePolicy / UserPolicy / GroupPolicy: one inline policy."""
    path = f"Resources.{logical}.Properties"
    key = next((k for k in ("RoleName", "UserName", "GroupName") if k in properties), None)
    targets = reader.principal_names(ev, [properties[key]], f"{path}.{key}") if key else ()
    document = properties.get("PolicyDocument")
    if document is None:
        return  # the policy document is optional: a policy without one grants nothing
    name = ev.bound(ev.value(properties.get("PolicyName"), f"{path}.PolicyName")) \
        if "PolicyName" in properties else None
    found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument", document, PolicyKind.INLINE,
                                        attached_to=targets, name=name))


def _bucket_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    path = f"Resources.{logical}.Properties"
    bucket = properties.get("Bucket")
    arn = reader.target_arn(ev, "AWS::S3::Bucket", bucket, f"{path}.Bucket")
    target = reader.logical_of(bucket)
    found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument", properties.get("PolicyDocument"),
                                        PolicyKind.RESOURCE, resource_type="AWS::S3::Bucket", resource_arn=arn,
                                        attached_to=(target or logical,)))


def _bucket(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    found.resources.append(IacResource(logical, "AWS::S3::Bucket", arn_of(ev, logical),
                                       reader.provenance(logical, "", ev.resources[logical]),
                                       _tags(ev, properties, f"Resources.{logical}.Properties.Tags")))


def _plain_resource(resource_type: str) -> Handler:
    def handler(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
        found.resources.append(IacResource(logical, resource_type, arn_of(ev, logical),
                                           reader.provenance(logical, "", ev.resources[logical]),
                                           _tags(ev, properties, f"Resources.{logical}.Properties.Tags")))

    return handler


def _kms_key(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    arn = arn_of(ev, logical)
    found.resources.append(IacResource(logical, "AWS::KMS::Key", arn,
                                       reader.provenance(logical, "", ev.resources[logical]),
                                       _tags(ev, properties, f"Resources.{logical}.Properties.Tags")))
    node = properties.get("KeyPolicy")
    if node is not None:
        found.policies.append(reader.policy(ev, logical, "Properties.KeyPolicy", node, PolicyKind.RESOURCE,
                                            resource_type="AWS::KMS::Key", resource_arn=arn, attached_to=(logical,)))
        return
    document = default_key_policy(ev.bound(ev.pseudo["AWS::Partition"]), ev.bound(ev.pseudo["AWS::AccountId"]))
    found.policies.append(IacPolicy(kind=PolicyKind.RESOURCE, provenance=reader.provenance(
        logical, "Properties.KeyPolicy", ev.resources[logical]), document=document, resource_type="AWS::KMS::Key",
        resource_arn=arn, attached_to=(logical,), name="default key policy"))


def _queue_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    _policy_on_each(reader, ev, logical, properties, found, "Queues", "AWS::SQS::Queue")


def _topic_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    _policy_on_each(reader, ev, logical, properties, found, "Topics", "AWS::SNS::Topic")


def _policy_on_each(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found,
                    key: str, target_type: str) -> None:
    """A queue or topic policy: the one document is the policy of each listed resource."""
    path = f"Resources.{logical}.Properties"
    targets = properties.get(key)
    if not isinstance(targets, list) or not targets:
        raise InputError(reader.source, where(properties, f"{path}.{key}"), "expected a non-empty list")
    for index, target in enumerate(targets):
        arn = reader.target_arn(ev, target_type, target, f"{path}.{key}[{index}]")
        found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument",
                                            properties.get("PolicyDocument"), PolicyKind.RESOURCE,
                                            resource_type=target_type, resource_arn=arn,
                                            attached_to=(reader.logical_of(target) or f"{logical}.{key}[{index}]",)))


def _dynamodb_table(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any],
                    found: _Found) -> None:
    """A table's resource policy and its stream's (both of `AWS::DynamoDB::Table`'s type)."""
    arn = arn_of(ev, logical)
    found.resources.append(IacResource(logical, "AWS::DynamoDB::Table", arn,
                                       reader.provenance(logical, "", ev.resources[logical]),
                                       _tags(ev, properties, f"Resources.{logical}.Properties.Tags")))
    table = properties.get("ResourcePolicy")
    if isinstance(table, dict) and "PolicyDocument" in table:
        found.policies.append(reader.policy(ev, logical, "Properties.ResourcePolicy.PolicyDocument",
                                            table["PolicyDocument"], PolicyKind.RESOURCE,
                                            resource_type="AWS::DynamoDB::Table", resource_arn=arn,
                                            attached_to=(logical,)))
    stream = properties.get("StreamSpecification")
    stream_policy = stream.get("ResourcePolicy") if isinstance(stream, dict) else None
    if isinstance(stream_policy, dict) and "PolicyDocument" in stream_policy:
        label = Unknown(f"{logical}.StreamLabel", Domain.NAME, "the label DynamoDB gives a stream")
        found.policies.append(reader.policy(ev, logical, "Properties.StreamSpecification.ResourcePolicy."
                                                         "PolicyDocument", stream_policy["PolicyDocument"],
                                            PolicyKind.RESOURCE, resource_type="AWS::DynamoDB::Table",
                                            resource_arn=Template.of(arn, "/stream/", label),
                                            attached_to=(logical,)))


def _endpoint(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any], found: _Found) -> None:
    path = f"Resources.{logical}.Properties"
    endpoint_id = Unknown(f"{logical}.Id", Domain.NAME, "the id EC2 gives a new endpoint")
    vpc = ev.bound(ev.value(properties["VpcId"], f"{path}.VpcId")) if "VpcId" in properties else None
    service_name = ev.bound(ev.value(properties.get("ServiceName"), f"{path}.ServiceName")) \
        if "ServiceName" in properties else None
    service = service_name.rsplit(".", 1)[-1] if isinstance(service_name, str) else None
    found.endpoints.append(IacEndpoint(logical, reader.provenance(logical, "", ev.resources[logical]),
                                       endpoint_id, vpc, service))
    node = properties.get("PolicyDocument")
    if node is not None:
        found.policies.append(reader.policy(ev, logical, "Properties.PolicyDocument", node, PolicyKind.VPC_ENDPOINT,
                                            attached_to=(logical,)))


def _organization_policy(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any],
                         found: _Found) -> None:
    path = f"Resources.{logical}.Properties"
    kind_text = ev.bound(ev.value(properties.get("Type"), f"{path}.Type"))
    kinds = {"SERVICE_CONTROL_POLICY": PolicyKind.SCP, "RESOURCE_CONTROL_POLICY": PolicyKind.RCP}
    if kind_text not in kinds:
        return  # tag, backup and AI opt-out policies are not IAM policies
    content = properties.get("Content")
    if content is None:
        raise InputError(reader.source, where(properties, path), "Content: missing")
    targets = _arn_list(ev, properties, "TargetIds", f"{path}.TargetIds")
    nodes = properties.get("TargetIds")
    if isinstance(nodes, list) and len(nodes) == len(targets):
        targets = tuple(_org_target(reader, ev, node, target) for node, target in zip(nodes, targets, strict=True))
    found.policies.append(reader.policy(ev, logical, "Properties.Content", content, kinds[kind_text],
                                        attached_to=tuple(str(t) for t in targets),
                                        policy_type_hint=str(kind_text)))
    found.org_attachments.extend((logical, target) for target in targets)


def _org_target(reader: _Reader, ev: Evaluator, node: Any, target: Any) -> Any:
    """A target id; for an OU the template creates (`!Ref` gives its id, known only
    once created), the OU by its `Name`."""
    logical = reader.logical_of(node)
    if logical is None or isinstance(target, str):
        return target
    declared = reader.template.section("Resources").get(logical)
    if not isinstance(declared, dict) or declared.get("Type") != "AWS::Organizations::OrganizationalUnit":
        return target
    properties = declared.get("Properties")
    name = ev.bound(ev.value(properties.get("Name"), f"Resources.{logical}.Properties.Name")) \
        if isinstance(properties, dict) and "Name" in properties else None
    return OuNamed(name, logical) if isinstance(name, str) else target


def _lambda_permission(reader: _Reader, ev: Evaluator, logical: str, properties: dict[str, Any],
                       found: _Found) -> None:
    """The statement AddPermission puts in the function's policy (Lambda developer
    guide, "Lambda resource-based policies")."""
    path = f"Resources.{logical}.Properties"

    def value(key: str) -> Any:
        return ev.bound(ev.value(properties[key], f"{path}.{key}")) if key in properties else None

    function_node = properties.get("FunctionName")
    target = reader.logical_of(function_node)
    if target is not None and resource_type_of(ev, target) == "AWS::Lambda::Function":
        function: Any = arn_of(ev, target)
    else:
        name = value("FunctionName")
        function = name if isinstance(name, str | Template) and str(name).startswith("arn:") else \
            Unknown(f"{path}.FunctionName", Domain.TEXT, "the function named by name")
    principal = value("Principal")
    if principal is None or value("Action") is None:
        raise InputError(reader.source, where(properties, path), "Action and Principal are required")
    statement: dict[str, Any] = {"Sid": logical, "Effect": "Allow", "Action": value("Action"),
                                 "Resource": function}
    if isinstance(principal, str) and (principal == "*" or principal.isdigit() or principal.startswith("arn:")):
        statement["Principal"] = {"AWS": principal}
    elif isinstance(principal, str):
        statement["Principal"] = {"Service": principal}
    else:
        statement["Principal"] = {"AWS": principal}  # an unknown principal: the policy will say so
    conditions: dict[str, dict[str, Any]] = {}
    for key, operator, condition_key in (("SourceArn", "ArnLike", "AWS:SourceArn"),
                                         ("SourceAccount", "StringEquals", "AWS:SourceAccount"),
                                         ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
                                         ("EventSourceToken", "StringEquals", "lambda:EventSourceToken"),
                                         ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType")):
        item = value(key)
        if item is not None:
            conditions.setdefault(operator, {})[condition_key] = item
    if conditions:
        statement["Condition"] = conditions
    found.permissions.append((function, statement, reader.provenance(logical, "Properties", properties)))


_HANDLERS: dict[str, Handler] = {
    "AWS::IAM::Role": _role,
    "AWS::IAM::User": _user,
    "AWS::IAM::Group": _group,
    "AWS::IAM::Policy": _iam_policy,
    "AWS::IAM::ManagedPolicy": _iam_policy,
    "AWS::IAM::RolePolicy": _iam_entity_policy,
    "AWS::IAM::UserPolicy": _iam_entity_policy,
    "AWS::IAM::GroupPolicy": _iam_entity_policy,
    "AWS::S3::Bucket": _bucket,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::KMS::Key": _kms_key,
    "AWS::SQS::Queue": _plain_resource("AWS::SQS::Queue"),
    "AWS::SNS::Topic": _plain_resource("AWS::SNS::Topic"),
    "AWS::Lambda::Function": _plain_resource("AWS::Lambda::Function"),
    "AWS::SecretsManager::Secret": _plain_resource("AWS::SecretsManager::Secret"),
    "AWS::ECR::Repository": _plain_resource("AWS::ECR::Repository"),
    "AWS::DynamoDB::Table": _dynamodb_table,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::SNS::TopicPolicy": _topic_policy,
    "AWS::EC2::VPCEndpoint": _endpoint,
    "AWS::Organizations::Policy": _organization_policy,
    "AWS::Lambda::Permission": _lambda_permission,
}
