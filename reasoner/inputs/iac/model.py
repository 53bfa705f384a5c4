"""What a Terraform plan or a CloudFormation template says about IAM: its policy
documents, each with its kind, what it is attached to and where it was written,
and the principals, resources, endpoints and organization policies they belong to.

Documents are JSON-like trees whose strings may be `Template`s and whose values
may be `Unknown` or `Opaque` (`values.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from reasoner.inputs.iac.values import Opaque, Template, Unknown, opaque_in, unknowns_in


class PolicyKind(Enum):
    """Where a policy sits, as an IaC input states it."""

    INLINE = "inline"  # an inline identity policy of a role, user or group
    MANAGED = "managed"  # a customer managed policy
    BOUNDARY = "boundary"  # a permissions boundary (a managed policy used as one)
    TRUST = "trust"  # a role's trust policy
    RESOURCE = "resource"  # a resource-based policy
    SCP = "scp"
    RCP = "rcp"
    VPC_ENDPOINT = "vpc_endpoint"

    @property
    def is_identity(self) -> bool:
        return self in (PolicyKind.INLINE, PolicyKind.MANAGED, PolicyKind.BOUNDARY)


Text = str | Template  # a string, or one with unknown parts


@dataclass(frozen=True)
class Provenance:
    """Where a policy was written.

    `input` is the plan or template file; `address` the Terraform resource address
    (`module.net.aws_vpc_endpoint.s3`) or the CloudFormation logical id; `attribute`
    the attribute or property holding the policy (`inline_policy[1].policy`,
    `Properties.PolicyDocument`); `path` its JSON path in the input file (the place
    bad input names); `file` and `line` the source line (the template's line, or
    the `.tf` file's with `--terraform-dir`) when known.
    """

    input: str
    address: str
    attribute: str
    path: str
    file: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        return f"{self.address}.{self.attribute}" if self.attribute else self.address

    @property
    def location(self) -> str:
        if self.file is not None and self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file or self.input


@dataclass(frozen=True)
class IacPolicy:
    """One policy document. `document` is None when the policy itself cannot be read
    (a Terraform attribute known only after apply); `unknown` then says why, naming
    the resource and the attribute. `attached_to` are the addresses (or logical ids)
    of the principals, resources, endpoints or organization targets it applies to."""

    kind: PolicyKind
    provenance: Provenance
    document: Any = None
    unknown: str | None = None
    resource_type: str | None = None  # CloudFormation name of the resource, for resource and trust policies
    resource_arn: Text | Unknown | None = None  # the resource it is on, for resource and trust policies
    attached_to: tuple[str, ...] = ()
    name: Text | Unknown | None = None  # the policy's name (inline policy name, managed policy name)
    arn: Text | Unknown | None = None  # a managed policy's ARN
    # line of each statement in `provenance.file`, by its path in the document
    # (`Statement[2]`, or `Statement` for a lone statement object)
    statement_lines: tuple[tuple[str, int], ...] = ()
    # the values chosen for unknowns in this case of a finite case split (a
    # CloudFormation condition or mapping key on a parameter): label -> value
    case: tuple[tuple[str, str], ...] = ()
    policy_type_hint: str | None = None  # SCP / RCP content type as the input says it
    # made by the tool (a principal's policies together, an SCP beside FullAWSAccess):
    # no AWS size quota bounds it
    synthetic: bool = False

    def unknowns(self) -> tuple[Unknown, ...]:
        seen: dict[str, Unknown] = {}
        for found in unknowns_in(self.document):
            seen.setdefault(found.label, found)
        return tuple(seen.values())

    def opaque(self) -> Opaque | None:
        return opaque_in(self.document)


class PrincipalType(Enum):
    ROLE = "role"
    USER = "user"
    GROUP = "group"


@dataclass(frozen=True)
class IacPrincipal:
    """A role, user or group the input defines, with what its policies come from."""

    address: str
    principal_type: PrincipalType
    arn: Text | Unknown
    provenance: Provenance
    name: Text | Unknown | None = None
    managed_policy_arns: tuple[Text | Unknown, ...] = ()  # attached managed policies, by ARN
    boundary_arn: Text | Unknown | None = None
    groups: tuple[str, ...] = ()  # a user's groups, by address or name
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IacResource:
    """A resource of a type that carries a resource-based policy (or a role, whose
    trust policy is its resource-based policy)."""

    address: str
    resource_type: str  # CloudFormation name
    arn: Text | Unknown
    provenance: Provenance
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IacEndpoint:
    address: str
    provenance: Provenance
    endpoint_id: Text | Unknown
    vpc_id: Text | Unknown | None
    service: str | None = None  # e.g. "s3"


@dataclass(frozen=True)
class OuNamed:
    """An OU the input creates, whose id is known only after it is created (Terraform's
    `aws_organizations_organizational_unit.x.id`, CloudFormation's `!Ref` of an
    `AWS::Organizations::OrganizationalUnit`): matched with the perimeter file's OU of
    that name (docs/iac.md)."""

    name: str
    address: str

    def __str__(self) -> str:
        return f"OU {self.name} ({self.address}, its id known only once created)"


@dataclass(frozen=True)
class IacInventory:
    """Everything one input says. `policies` are in input order."""

    input: str
    policies: tuple[IacPolicy, ...] = ()
    principals: tuple[IacPrincipal, ...] = ()
    resources: tuple[IacResource, ...] = ()
    endpoints: tuple[IacEndpoint, ...] = ()
    # (policy address, target): an SCP or RCP attached to an account, OU or root id,
    # or to an OU the input creates, by its name (`OuNamed`)
    organization_attachments: tuple[tuple[str, Text | Unknown | OuNamed], ...] = ()
    # (principal address, policy ARN or address): a managed policy attached by a
    # resource of its own (Terraform's *_policy_attachment), defined here or not
    attachments: tuple[tuple[str, Text | Unknown], ...] = ()
    notes: tuple[str, ...] = ()  # what was read with an assumption, for people

    def policies_of(self, address: str) -> tuple[IacPolicy, ...]:
        return tuple(policy for policy in self.policies if address in policy.attached_to)


def default_key_policy(partition: Any, account: Any) -> dict[str, Any]:
    """The key policy AWS gives a key created without one: the account's IAM
    policies decide (KMS developer guide, "Default key policy")."""
    return {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": Template.of("arn:", partition, ":iam::", account, ":root")},
        "Action": "kms:*", "Resource": "*"}]}


def attach_managed(policies: list[IacPolicy], principals: list[IacPrincipal],
                    attachments: list[tuple[str, Any]]) -> list[IacPolicy]:
    """Managed policies with the principals that attach them (by ARN or address)."""
    result = []
    for policy in policies:
        if policy.kind is not PolicyKind.MANAGED:
            result.append(policy)
            continue
        attached = list(policy.attached_to)
        for principal in principals:
            if any(arn == policy.arn or arn == policy.provenance.address for arn in principal.managed_policy_arns):
                attached.append(principal.address)
        for principal_address, arn in attachments:
            if arn == policy.arn or arn == policy.provenance.address:
                attached.append(principal_address)
        result.append(replace(policy, attached_to=tuple(dict.fromkeys(attached))))
    return result
