"""Can a statement's `Resource` name the resource its policy is attached to (or any
resource of a type)? A resource policy whose statement names only other resources never
applies to its own: S3 refuses such a bucket policy when it is put (`MalformedPolicy`:
"Policy has invalid resource", S3 user guide, "Bucket policy examples"), and a check
over it would be a PASS about nothing.

Decided by glob intersection (`*` any text, `?` one character), ARN field by field as
the Resource element is matched (§2.2), case-insensitively, a policy variable taken as
`*`: every simplification widens what a pattern may name, so a statement is only ever
said to name nothing when it certainly does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reasoner.policy.matching import EXECUTE_API_SHORTHAND, is_execute_api_shorthand
from reasoner.policy.model import Policy, Statement

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_TEMPLATE_FIELD = re.compile(r"\{(partition|region|account|name|path)\}")
_ARN_FIELDS = 6


def globs_intersect(first: str, second: str) -> bool:
    """Is there a text both globs match (`*` any run, `?` one character, any case)?"""
    a, b = first.lower(), second.lower()
    # reachable[i][j]: a[:i] and b[:j] can produce the same text; row by row
    width = len(b) + 1
    current = [False] * width
    current[0] = True
    for j in range(1, width):
        current[j] = current[j - 1] and b[j - 1] == "*"
    for i in range(1, len(a) + 1):
        row = [False] * width
        row[0] = current[0] and a[i - 1] == "*"
        for j in range(1, width):
            x, y = a[i - 1], b[j - 1]
            if x == "*" and y == "*":
                row[j] = current[j] or row[j - 1] or current[j - 1]
            elif x == "*":
                row[j] = current[j] or row[j - 1]  # the star makes nothing, or also what b[j-1] makes
            elif y == "*":
                row[j] = row[j - 1] or current[j]
            else:
                row[j] = current[j - 1] and (x == y or x == "?" or y == "?")
        current = row
    return current[-1]


def _as_glob(pattern: str) -> str:
    if is_execute_api_shorthand(pattern):
        # API Gateway's `execute-api:/...`: the policy's own API, whichever it is
        pattern = "arn:*:execute-api:*:*:*" + pattern[len(EXECUTE_API_SHORTHAND):]
    return _VARIABLE.sub("*", pattern)


def can_name(pattern: str, target: str) -> bool:
    """Can the Resource entry `pattern` match some ARN the glob `target` stands for?"""
    left, right = _as_glob(pattern), target
    left_fields, right_fields = left.split(":", _ARN_FIELDS - 1), right.split(":", _ARN_FIELDS - 1)
    if len(left_fields) == _ARN_FIELDS and len(right_fields) == _ARN_FIELDS:
        return all(globs_intersect(x, y) for x, y in zip(left_fields, right_fields, strict=True))
    return globs_intersect(left, right)


def template_globs(templates: Iterable[str]) -> tuple[str, ...]:
    """A resource type's ARN templates (`arn:{partition}:s3:::{name}`) as globs; an
    account is twelve characters."""
    return tuple(_TEMPLATE_FIELD.sub(lambda m: "?" * 12 if m.group(1) == "account" else "*", template)
                 for template in templates)


def resource_globs(arn: str, resource_type: str) -> tuple[str, ...]:
    """What a policy attached to `arn` may name: the resource and what is inside it (a
    bucket's objects, a function's versions, a table's indexes and streams; a secret's
    ARN with the random suffix AWS adds)."""
    found = [arn, f"{arn}/*", f"{arn}:*"]
    if resource_type == "AWS::SecretsManager::Secret":
        found.append(f"{arn}-*")
    return tuple(found)


@dataclass(frozen=True)
class Misfit:
    statement: Statement
    entries: tuple[str, ...]


def statements_naming_nothing(policy: Policy, targets: Sequence[str], *, allows_only: bool = False) -> list[Misfit]:
    """Statements with a `Resource` element none of whose entries can name any of
    `targets` (globs). NotResource and statements without Resource (trust policies)
    are left alone."""
    found = []
    for statement in policy.statements:
        if allows_only and statement.effect.value != "Allow":
            continue
        entries = statement.resources
        if not entries:
            continue
        if not any(can_name(entry, target) for entry in entries for target in targets):
            found.append(Misfit(statement, tuple(entries)))
    return found
