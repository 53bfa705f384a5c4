"""AWS's rules for IAM user and role names and paths, for the ARNs a snapshot or a
perimeter file declares (docs/input-limits.md).

IAM and AWS STS quotas, "IAM name requirements" and "IAM and STS character
limits" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
and the CreateRole / CreateUser API references: a name is 1 to 64 of `A-Za-z0-9`
and `+=,.@_-`; a path is `/` alone or starts and ends with `/` and holds ASCII
`!` to `~` (the API also admits DEL, U+007F), at most 512 characters.
"""

from __future__ import annotations

import re

NAME_MAX = 64
PATH_MAX = 512
_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")
_PATH = re.compile(r"/|/[!-\x7f]+/")
# arn:PARTITION:iam::ACCOUNT:role/PATH/NAME (or user/...)
_ENTITY_ARN = re.compile(r"arn:[^:]+:iam::\d{12}:(role|user)(/.*)")


def entity_problem(arn: str) -> str | None:
    """Why `arn` cannot be the ARN of an IAM user or role, or None."""
    match = _ENTITY_ARN.fullmatch(arn)
    if match is None:
        return "not an IAM user or role ARN"
    kind, rest = match.groups()
    path, name = rest.rsplit("/", 1)
    path += "/"
    if not _NAME.fullmatch(name):
        return (f'"{name}" is not an IAM {kind} name (1 to {NAME_MAX} letters, digits and +=,.@_-: '
                "IAM name requirements)")
    if len(path) > PATH_MAX or not _PATH.fullmatch(path):
        return f'"{path}" is not an IAM path (/ or /.../ of printable ASCII, at most {PATH_MAX} characters)'
    return None
