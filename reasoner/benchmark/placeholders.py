"""Realistic values for the corpus's template placeholders (corpus README,
"Placeholder conventions"), so that formats (accounts, CIDRs, ARNs, actions) hold.

Placeholders are often substrings of a value, so substitution is plain text
replacement. Real policy variables (`${aws:username}`, ...) are left alone: only
`${Account}` and `${Region}` are upstream placeholders.
"""

from __future__ import annotations

import re

KNOWN: dict[str, str] = {
    "<my-org-id>": "o-a1b2c3d4e5",
    "<my-account-id>": "111122223333",
    "<third-party-account-a>": "444455556666",
    "<third-party-account-b>": "777788889999",
    "<load-balancing-account-id>": "127311923021",
    "<fin-space-account-id>": "123412341234",
    "<service-account-id>": "210987654321",
    "<glue-account-id>": "565656565656",
    "<ecr-account-id>": "898989898989",
    "<ACCOUNT ID>": "111111111111",  # the Access Analyzer samples' own example account
    "<account_id>": "111122223333",
    "<$account>": "111122223333",
    "<region>": "us-east-1",
    "<my-vpc-region>": "us-east-1",
    "<my-vpc-region-2>": "eu-west-1",
    "<RegionWithoutDashes>": "useast1",
    "<my-vpc>": "vpc-0123456789abcdef0",
    "<my-vpc-in-this-region>": "vpc-0123456789abcdef0",
    "<my-corporate-cidr>": "203.0.113.0/24",
    "<OIDC_provider_name_1>": "token.actions.githubusercontent.com",
    "<OIDC_provider_name_2>": "app.terraform.io",
    "<my-tenant-value>": "repo:my-org/*",
    "<my-data-bucket>": "my-data-bucket",
    "<third-party-resource>": "arn:aws:s3:::third-party-bucket",
    "<third-party-resource-arn>": "arn:aws:s3:::third-party-bucket",
    "<action>": "s3:GetObject",
    "<trusted_email_domain>": "example.com",
    "<trusted_https_endpoint>": "https://api.example.com",
    "<YOUR_SIGNING_ALGORITHM>": "RS256",
    "<shisho_cloud_org_id>": "o-b2c3d4e5f6",
    "[ORG_ID]": "o-a1b2c3d4e5",
    "[SecurityAccountID]": "222233334444",
    "[LogArchiveAccountID]": "555566667777",
    "[CLOUDTRAIL_ARN]": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail",
    "[myKMSKeyARN]": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "[MAX_SIGNATURE_AGE_IN_MILLISECONDS]": "600000",
    "${Account}": "111122223333",
    "${Region}": "us-east-1",
}

_ANGLE = re.compile(r"<[^<>\"]{1,60}>")
_SQUARE = re.compile(r"\[[A-Z][A-Za-z0-9_]*\]")


def _generic(token: str) -> str:
    """A value for a placeholder the table does not list, by what its name says."""
    name = token.strip("<>[]").lower()
    if "account" in name and "name" not in name:
        return "111122223333"
    if "region" in name:
        return "us-east-1"
    if "arn" in name.split("_"):
        return "arn:aws:s3:::example-resource"
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "example"


def substitute(text: str) -> str:
    """`text` with every placeholder replaced by a realistic value."""
    for token, value in KNOWN.items():
        text = text.replace(token, value)
    text = _ANGLE.sub(lambda match: _generic(match.group()), text)
    return _SQUARE.sub(lambda match: _generic(match.group()), text)
