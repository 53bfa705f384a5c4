"""The one reader of IAM user and role ARNs and STS session ARNs.

IAM paths (IAM User Guide, "IAM identifiers", and the `Path` parameter of
CreateRole/CreateUser): `/`, or `/` then printable ASCII (U+0021 to U+007E) ending
in `/`. An ARN drops the path's leading `/`, so what lies between `role/` (or
`user/`) and the name is empty or ends in `/`; empty segments (`a//`) are valid.
A session ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) drops the role's
path (iam-semantics.md §6, aws:PrincipalArn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the partitions (AWS General Reference, "ARN formats": aws, aws-cn, aws-us-gov, and the
# isolated and sovereign ones, the same list as encodings.queries.PARTITIONS)
PARTITION = r"aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?"
ACCOUNT = r"\d{12}"
# An account infrastructure code leaves unknown, kept symbolic (`reasoner.inputs.iac.symbolic`):
# the variable of a synthetic request key, admitted in a Principal only by
# `parse_policy(..., symbols=True)`; the encoder compares the caller's account with the key's value.
ACCOUNT_SYMBOL = r"\$\{iac\.[A-Za-z0-9_./\[\]-]+\}"

_IAM_ARN = re.compile(rf"arn:({PARTITION}):iam::({ACCOUNT}|{ACCOUNT_SYMBOL}):(user|role)/((?:[!-~]+/)?)([^/]+)")
_SESSION_ARN = re.compile(rf"arn:({PARTITION}):sts::({ACCOUNT}|{ACCOUNT_SYMBOL}):assumed-role/([^/]+)/([^/]+)")


@dataclass(frozen=True)
class IamArn:
    """A user's or role's ARN, split into its fields."""

    partition: str
    account: str
    kind: str  # "user" or "role"
    path: str  # between `user/` or `role/` and the name: "" or ending in "/"
    name: str

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:{self.kind}/{self.path}{self.name}"


@dataclass(frozen=True)
class SessionArn:
    """An assumed-role session's ARN: the role's name (no path) and the session's name."""

    partition: str
    account: str
    role_name: str
    session_name: str

    @property
    def role_arn(self) -> str:
        """The role's ARN without its path, which the session ARN does not carry."""
        return f"arn:{self.partition}:iam::{self.account}:role/{self.role_name}"


def parse_iam_arn(text: str, *, kind: str | None = None) -> IamArn | None:
    """The fields of a user or role ARN (only of `kind` when given), or None."""
    match = _IAM_ARN.fullmatch(text)
    if match is None or (kind is not None and match[3] != kind):
        return None
    return IamArn(*match.groups())


def parse_session_arn(text: str) -> SessionArn | None:
    """The fields of an assumed-role session ARN, or None."""
    match = _SESSION_ARN.fullmatch(text)
    return None if match is None else SessionArn(*match.groups())
