"""KMS grants, read from the shape ListGrants returns, and turned into the Allow
statements they amount to (docs/semantics.md, "Keys: grants").

"A grant allows the grantee principal to call the specified grant operations on
the KMS key provided that all conditions specified in the grant are met" (AWS KMS
Developer Guide, "Grants in AWS KMS"): no key policy or IAM policy need allow.
A grant cannot deny. So each grant is written as Allow statements of a policy in
its own slot (`kms_grants`), one grant after the other: the statements of grant i
carry the grant id as Sid, and the evaluator reports the grant id as the deciding
"statement".

Grant constraints (KMS API Reference, "GrantConstraints"): `EncryptionContextSubset`
allows the operation when the request's encryption context includes every pair;
`EncryptionContextEquals` when it is exactly those pairs. Keys compare without
case, values with case. Constraints apply only to operations that take an
encryption context; `DescribeKey`, `RetireGrant` and the other operations of the
grant are allowed without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reasoner.errors import InputError
from reasoner.policy.model import Policy, PolicyType
from reasoner.policy.parse import parse_policy

# The grant operations (KMS API Reference, CreateGrant, Operations).
OPERATIONS = frozenset({
    "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
    "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
})
# The operations that take an encryption context (symmetric encryption keys), to
# which the constraints apply ("GrantConstraints"). CreateGrant is left out: its
# constraint limits the grants it creates, not the call.
WITH_CONTEXT = frozenset({
    "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
})


@dataclass(frozen=True)
class KmsGrant:
    grant_id: str
    key_arn: str
    grantee: str  # an account root, user, role or session ARN, or a service principal
    operations: tuple[str, ...]
    retiring_principal: str | None = None
    context_equals: Mapping[str, str] | None = None
    context_subset: Mapping[str, str] | None = None
    name: str | None = None


def parse_grants(data: Any, source: str, path: str = "") -> tuple[KmsGrant, ...]:
    """ListGrants's answer (`{"Grants": [...]}`) or the list of grants itself."""
    if isinstance(data, dict) and "Grants" in data:
        path = _join(path, "Grants")
        data = data["Grants"]
    if not isinstance(data, list):
        raise InputError(source, path, "expected a list of grants (ListGrants's \"Grants\")")
    grants = tuple(_grant(item, source, f"{path}[{i}]") for i, item in enumerate(data))
    seen: set[str] = set()
    for index, grant in enumerate(grants):
        if grant.grant_id in seen:
            raise InputError(source, f"{path}[{index}].GrantId", f"grant {grant.grant_id} is listed twice")
        seen.add(grant.grant_id)
    return grants


_KEYS = frozenset({"KeyId", "GrantId", "Name", "CreationDate", "GranteePrincipal", "RetiringPrincipal",
                   "IssuingAccount", "Operations", "Constraints"})


def _grant(item: Any, source: str, path: str) -> KmsGrant:
    if not isinstance(item, dict):
        raise InputError(source, path, "expected a grant object")
    for key in item:
        if key not in _KEYS:
            raise InputError(source, _join(path, str(key)), f"unknown key (expected one of {', '.join(sorted(_KEYS))})")
    grant_id = _string(item, "GrantId", source, path)
    key_arn = _string(item, "KeyId", source, path)
    if not key_arn.startswith("arn:") or ":key/" not in key_arn:
        raise InputError(source, _join(path, "KeyId"), "expected the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
    grantee = _string(item, "GranteePrincipal", source, path)
    retiring = item.get("RetiringPrincipal")
    if retiring is not None and (not isinstance(retiring, str) or not retiring):
        raise InputError(source, _join(path, "RetiringPrincipal"), "expected a principal ARN")
    operations = item.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise InputError(source, _join(path, "Operations"), "expected a non-empty list of grant operations")
    for index, operation in enumerate(operations):
        if operation not in OPERATIONS:
            raise InputError(source, f"{_join(path, 'Operations')}[{index}]",
                             f"{operation!r} is not a grant operation")
    equals = subset = None
    constraints = item.get("Constraints")
    if constraints is not None:
        where = _join(path, "Constraints")
        if not isinstance(constraints, dict):
            raise InputError(source, where, "expected an object")
        for key in constraints:
            if key not in ("EncryptionContextEquals", "EncryptionContextSubset"):
                raise InputError(source, _join(where, str(key)),
                                 "unknown constraint (expected EncryptionContextEquals or EncryptionContextSubset)")
        equals = _pairs(constraints.get("EncryptionContextEquals"), source, _join(where, "EncryptionContextEquals"))
        subset = _pairs(constraints.get("EncryptionContextSubset"), source, _join(where, "EncryptionContextSubset"))
    name = item.get("Name") if isinstance(item.get("Name"), str) else None
    return KmsGrant(grant_id, key_arn, grantee, tuple(operations), retiring, equals, subset, name)


def _pairs(value: Any, source: str, path: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InputError(source, path, "expected an object of encryption context pairs (strings)")
    return dict(value)


def _string(item: Mapping[str, Any], key: str, source: str, path: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(source, _join(path, key), "expected a non-empty string")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _principal(text: str) -> dict[str, str]:
    if text.endswith(".amazonaws.com") or text.endswith(".amazonaws.com.cn"):
        return {"Service": text}
    return {"AWS": text}


def _conditions(grant: KmsGrant) -> dict[str, Any]:
    pairs = {**(grant.context_subset or {}), **(grant.context_equals or {})}
    if not pairs:
        return {}
    block: dict[str, Any] = {"StringEquals": {f"kms:EncryptionContext:{key}": value for key, value in pairs.items()}}
    if grant.context_equals is not None:
        # exactly these keys: the request's kms:EncryptionContextKeys (which AWS sets
        # from the request's context) hold no other key
        block["ForAllValues:StringEqualsIgnoreCase"] = {"kms:EncryptionContextKeys": sorted(grant.context_equals)}
    return block


def grant_statements(grant: KmsGrant) -> list[dict[str, Any]]:
    """The grant's Allow statements: the operations that take an encryption context
    under the constraints, the others without them, and kms:RetireGrant for the
    retiring principal."""
    statements: list[dict[str, Any]] = []
    constrained = sorted(op for op in grant.operations if op in WITH_CONTEXT)
    free = sorted(op for op in grant.operations if op not in WITH_CONTEXT)
    conditions = _conditions(grant)
    base = {"Sid": grant.grant_id, "Effect": "Allow", "Principal": _principal(grant.grantee),
            "Resource": grant.key_arn}
    if constrained and conditions:
        statements.append({**base, "Action": [f"kms:{op}" for op in constrained], "Condition": conditions})
        constrained = []
    if constrained or free:
        statements.append({**base, "Action": [f"kms:{op}" for op in [*constrained, *free]]})
    if grant.retiring_principal is not None:
        # "the retiring principal ... can retire the grant" (RetireGrant)
        statements.append({**base, "Principal": _principal(grant.retiring_principal), "Action": "kms:RetireGrant"})
    return statements


def grants_policy(grants: tuple[KmsGrant, ...], source: str) -> Policy:
    """Every grant as Allow statements of one policy; a statement's Sid is its grant's id."""
    statements = [statement for grant in grants for statement in grant_statements(grant)]
    document = {"Version": "2012-10-17", "Statement": statements}
    return parse_policy(document, PolicyType.RESOURCE, source=source, name="kms_grants", sized=False)
