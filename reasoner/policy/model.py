"""Typed model of AWS policies and of one concrete request.

Frozen dataclasses and enums only: no parsing, no evaluation, no z3. The parser
(`parse.py`) builds these; the reference evaluator (`evaluate.py`) and the SMT
encodings (`encodings/`) read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class Effect(Enum):
    ALLOW = "Allow"
    DENY = "Deny"


class PolicyType(Enum):
    """Where a policy sits in the evaluation chain (iam-semantics.md §5)."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"  # a role trust policy: the role's resource-based policy
    SCP = "scp"
    RCP = "rcp"
    BOUNDARY = "permissions_boundary"
    SESSION = "session_policy"
    VPC_ENDPOINT = "vpc_endpoint_policy"

    @property
    def takes_principal(self) -> bool:
        """Principal is required in these, forbidden in the others (§1.1)."""
        return self in (PolicyType.RESOURCE, PolicyType.TRUST, PolicyType.RCP, PolicyType.VPC_ENDPOINT)


class Qualifier(Enum):
    """Set qualifier of a condition operator (§3.3)."""

    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


class OperatorFamily(Enum):
    STRING = "String"
    NUMERIC = "Numeric"
    DATE = "Date"
    BOOL = "Bool"
    BINARY = "Binary"
    IP = "Ip"
    ARN = "Arn"
    NULL = "Null"


@dataclass(frozen=True)
class PrincipalSpec:
    """The value of a `Principal` or `NotPrincipal` element (§1.5).

    `wildcard` is the bare `"*"`; `{"AWS": "*"}` is stored as `aws=("*",)`. Both mean
    everyone, anonymous callers included.
    """

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()

    @property
    def is_everyone(self) -> bool:
        return self.wildcard or "*" in self.aws


@dataclass(frozen=True)
class Condition:
    """One key of one operator block: `{"StringLike": {"aws:userid": [...]}}`.

    `values` keep the policy's text; JSON booleans and numbers become their JSON
    spelling (`true`, `10`). `key` keeps the policy's spelling; compare it with
    `key_lower`.
    """

    operator: str  # as written, e.g. "ForAnyValue:StringLikeIfExists"
    base: str  # canonical base operator, e.g. "StringLike"
    family: OperatorFamily
    negated: bool
    qualifier: Qualifier | None
    if_exists: bool
    key: str
    values: tuple[str, ...]

    @cached_property
    def key_lower(self) -> str:
        return self.key.lower()


@dataclass(frozen=True)
class Statement:
    index: int
    effect: Effect
    sid: str | None = None
    principal: PrincipalSpec | None = None
    not_principal: PrincipalSpec | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    conditions: tuple[Condition, ...] = ()
    line: int | None = None  # 1-based line of the statement in its source file

    @cached_property
    def applies_to_all(self) -> bool:
        """`"Action": "*"` and `"Resource": "*"` (among others), no principal and no
        condition: the statement applies to every request (FullAWSAccess)."""
        return self.principal is None and self.not_principal is None and not self.conditions \
            and self.actions is not None and "*" in self.actions \
            and self.resources is not None and "*" in self.resources


@dataclass(frozen=True)
class Policy:
    policy_type: PolicyType
    statements: tuple[Statement, ...]
    version: str | None = None
    id: str | None = None
    source: str = "<inline>"  # file name, or a label such as "scenario.json: identity_policies[0]"
    name: str | None = None  # e.g. "RCPFullAWSAccess", a managed policy name
    # added by the tool to pose a question (the outside caller's account allowing
    # itself everything), not a policy anyone wrote: `source` says what it stands for
    synthetic: bool = False

    @property
    def variables_enabled(self) -> bool:
        """Policy variables exist only under Version 2012-10-17 (§1.2, §4)."""
        return self.version == "2012-10-17"

    @cached_property
    def has_deny(self) -> bool:
        """Has the policy a Deny statement? (The evaluator's deny pass skips those
        that have none: most of an organization's chain.)"""
        return any(statement.effect is Effect.DENY for statement in self.statements)


class PrincipalKind(Enum):
    """What kind of caller made a concrete request."""

    ANONYMOUS = "anonymous"
    ACCOUNT_ROOT = "root"
    USER = "user"
    ROLE = "role"  # a role ARN given as the caller: treated as a session of that role
    ROLE_SESSION = "assumed-role"
    FEDERATED_USER = "federated-user"
    SERVICE = "service"
    WEB_IDENTITY = "web-identity"  # an OIDC / SAML / Cognito identity calling AssumeRoleWith*
    CANONICAL_USER = "canonical-user"


@dataclass(frozen=True)
class Principal:
    """A concrete caller, derived from the scenario's `principal` string."""

    kind: PrincipalKind
    text: str  # as given in the scenario
    account: str | None = None
    arn: str | None = None  # user/role/session/root ARN; None for anonymous and services
    role_arn: str | None = None  # for a role session: the role it belongs to
    name: str | None = None  # user name, role name, federated-user name, service name
    session_name: str | None = None


ContextValue = tuple[str, ...]


@dataclass(frozen=True)
class Request:
    """One concrete request. Context keys are lower-cased (key names are
    case-insensitive, §1.8); a value is the tuple of the request's values, one item
    for a single-valued key."""

    principal: Principal
    action: str
    resource: str
    resource_account: str | None = None
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    multi_valued_keys: frozenset[str] = frozenset()  # lower-cased keys given as lists

    def get(self, key: str) -> ContextValue | None:
        return self.context.get(key.lower())


@dataclass(frozen=True)
class Organization:
    """Organization facts a scenario can state; all optional."""

    management_account: str | None = None


@dataclass(frozen=True)
class AccessPoint:
    """An S3 access point a request goes through (docs/semantics.md, "Access points").

    The request names the access point's ARN (`arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`,
    and `.../object/KEY` for an object); the bucket policy sees it on the bucket's ARN.
    """

    arn: str
    bucket: str  # the bucket's name
    bucket_account: str
    policy: Policy | None = None
    vpc_id: str | None = None  # network origin VPC: requests only from this VPC
    # RestrictPublicBuckets in force (account or access point level) and the access
    # point policy public (decided by no-public-access; None: not decided)
    restrict_public: bool = False
    policy_public: bool | None = None

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]


@dataclass(frozen=True)
class PolicySet:
    """Every policy that applies to one request, in the shape of a scenario file.

    `scps` and `rcps` are levels, root first and account last (§5.4). An empty tuple
    means no organization policies apply.
    """

    identity_policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    session_policy: Policy | None = None
    scps: tuple[tuple[Policy, ...], ...] = ()
    rcps: tuple[tuple[Policy, ...], ...] = ()
    resource_policy: Policy | None = None
    vpc_endpoint_policy: Policy | None = None
    management_account: str | None = None
    # The identity policies' own grants, as a single-policy check reads them: no KMS
    # key policy or role trust policy must also allow (they are not given).
    standalone: bool = False
    # S3 ACLs in force (bucket ACL, object ACL) as resource-based statements
    # (reasoner.policy.acls); empty when none apply or Object Ownership disables them.
    acls: tuple[Policy, ...] = ()
    # KMS grants on the key as Allow statements (reasoner.policy.kms_grants).
    kms_grants: Policy | None = None
    # Block Public Access RestrictPublicBuckets in force, and whether the resource
    # policy is public (decided by no-public-access, the one meaning of public;
    # None when not decided, which restricts nothing).
    restrict_public_buckets: bool = False
    resource_policy_public: bool | None = None
    access_point: AccessPoint | None = None

    @property
    def restricted_resource_policy(self) -> bool:
        """RestrictPublicBuckets applies: only AWS service principals and principals
        of the owner's account get access through the resource policy."""
        return self.restrict_public_buckets and self.resource_policy_public is True


class Decision(Enum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class StatementRef:
    """Points at one statement: which policy slot, which statement."""

    policy: str  # slot name: "resource_policy", "identity_policies[0]", "scps[1][0]", ...
    statement: int
    sid: str | None
    effect: Effect
    source: str = "<inline>"
    line: int | None = None
    synthetic: bool = False  # a statement of a policy the tool added (`Policy.synthetic`)

    def to_json(self) -> dict[str, object]:
        document: dict[str, object] = {"policy": self.policy, "statement": self.statement, "sid": self.sid,
                                       "effect": self.effect.value}
        if self.synthetic:  # never shown as if it were the user's statement
            document.update(synthetic=True, stands_for=self.stands_for)
        return document

    @property
    def stands_for(self) -> str:
        """What a synthetic statement assumes, in words."""
        return self.source.strip("<>")

    def text(self) -> str:
        """`allowed by identity_policies[0] statement 0 (Sid)  [file:line]`, or for a
        synthetic statement what it assumes."""
        verb = "allowed by" if self.effect is Effect.ALLOW else "denied by"
        if self.synthetic:
            return f"{verb} an assumption, not a policy of yours: {self.stands_for}"
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{verb} {self.policy} statement {self.statement}" + (f" ({self.sid})" if self.sid else "") + \
            f"  [{where}]"


@dataclass(frozen=True)
class Result:
    decision: Decision
    determining: tuple[StatementRef, ...] = ()
    blocked_by: tuple[str, ...] = ()
