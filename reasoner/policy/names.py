"""AWS's rules for the names in IAM ARNs and for the `"AWS"` principal entries of a
policy, on top of the one ARN reader (`reasoner.policy.principals`);
docs/input-limits.md lists them with their sources.

IAM and AWS STS quotas, "IAM name requirements" and "IAM and STS character limits"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and the
CreateRole / CreateUser API references: a user or role name is 1 to 64 of
`A-Za-z0-9` and `+=,.@_-`; a path is `/` alone or starts and ends with `/` and holds
printable ASCII, at most 512 characters.
"""

from __future__ import annotations

import re

from reasoner.policy.principals import ACCOUNT, ACCOUNT_SYMBOL, PARTITION, parse_iam_arn

NAME_MAX = 64
PATH_MAX = 512
_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")


def entity_problem(arn: str) -> str | None:
    """Why `arn` cannot be the ARN of an IAM user or role, or None."""
    parsed = parse_iam_arn(arn)
    if parsed is None:
        return "not an IAM user or role ARN"
    if not _NAME.fullmatch(parsed.name):
        return (f'"{parsed.name}" is not an IAM {parsed.kind} name (1 to {NAME_MAX} letters, digits and '
                "+=,.@_-: IAM name requirements)")
    if len(parsed.path) + 1 > PATH_MAX:  # the ARN drops the path's leading "/"
        return f'the path is {len(parsed.path) + 1} characters long; an IAM path has at most {PATH_MAX}'
    return None


# The forms of an "AWS" principal entry (IAM User Guide, "AWS JSON policy elements:
# Principal"): an account id, the account's root, a user, a role, a role session, a
# federated user; and the unique id (AIDA..., AROA...) AWS shows in place of a
# principal that was deleted, which matches no caller.
_PARTITION = re.compile(PARTITION)
_ACCOUNT = re.compile(ACCOUNT)
_ACCOUNT_SYMBOL = re.compile(ACCOUNT_SYMBOL)
_UNIQUE_ID = re.compile(r"[A-Z][A-Z0-9]{15,127}")
_PRINCIPAL_RESOURCE = {
    "iam": re.compile(r"root|user/.+|role/.+"),
    "sts": re.compile(r"assumed-role/[^/]+/[^/]+|federated-user/[^/]+"),
}
_FORMS = ("a 12-digit account id, or arn:aws:iam::ACCOUNT:root, :user/NAME, :role/NAME, "
          "arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, :federated-user/NAME")


def aws_principal_problem(entry: str, *, symbols: bool = False) -> str | None:
    """Why `entry` cannot be a value of `"AWS"` in a Principal, or None. `symbols`:
    an account may be an unknown of infrastructure code kept symbolic (`ACCOUNT_SYMBOL`)."""
    if entry == "*" or _ACCOUNT.fullmatch(entry) or _UNIQUE_ID.fullmatch(entry):
        return None
    if symbols and _ACCOUNT_SYMBOL.fullmatch(entry):
        return None
    fields = entry.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return f"not an AWS principal ({_FORMS})"
    _, partition, service, region, account, resource = fields
    if not _PARTITION.fullmatch(partition):
        return (f'partition "{partition}" is not a partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, '
                "aws-iso-e, aws-iso-f, aws-eusc)")
    if service not in _PRINCIPAL_RESOURCE:
        return f'service "{service}" names no principal (expected iam or sts: {_FORMS})'
    if region:
        return f'region "{region}": IAM and STS ARNs have none'
    if not _ACCOUNT.fullmatch(account) and not (symbols and _ACCOUNT_SYMBOL.fullmatch(account)):
        return f'account "{account}" is not a 12-digit account id'
    if not _PRINCIPAL_RESOURCE[service].fullmatch(resource):
        return f'"{resource}" names no {service.upper()} principal ({_FORMS})'
    if service == "iam" and resource != "root":
        return entity_problem(entry)
    return None
