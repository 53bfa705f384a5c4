"""A parsed policy written back as a policy document (the JSON AWS takes), so a
witness can be replayed by `perimeter evaluate` from a scenario that holds the
very policies that decided it.

The document is equivalent, not identical: lists stay lists, JSON booleans and
numbers come back as the strings the parser read them as (AWS compares them as
their JSON spelling, README "Scenario format").
"""

from __future__ import annotations

from typing import Any

from reasoner.policy.model import Policy, PrincipalSpec, Statement


def principal_document(spec: PrincipalSpec) -> Any:
    if spec.wildcard:
        return "*"
    document: dict[str, list[str]] = {}
    for key, values in (("AWS", spec.aws), ("Service", spec.service), ("Federated", spec.federated),
                        ("CanonicalUser", spec.canonical_user)):
        if values:
            document[key] = list(values)
    return document


def statement_document(statement: Statement) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if statement.sid is not None:
        document["Sid"] = statement.sid
    document["Effect"] = statement.effect.value
    if statement.principal is not None:
        document["Principal"] = principal_document(statement.principal)
    if statement.not_principal is not None:
        document["NotPrincipal"] = principal_document(statement.not_principal)
    for key, values in (("Action", statement.actions), ("NotAction", statement.not_actions),
                        ("Resource", statement.resources), ("NotResource", statement.not_resources)):
        if values is not None:
            document[key] = list(values)
    if statement.conditions:
        block: dict[str, dict[str, list[str]]] = {}
        for condition in statement.conditions:
            block.setdefault(condition.operator, {})[condition.key] = list(condition.values)
        document["Condition"] = block
    return document


def policy_document(policy: Policy) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if policy.version is not None:
        document["Version"] = policy.version
    if policy.id is not None:
        document["Id"] = policy.id
    document["Statement"] = [statement_document(statement) for statement in policy.statements]
    return document
