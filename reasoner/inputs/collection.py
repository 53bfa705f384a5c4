"""The manifest of a collected snapshot (`collection.json`, written by `perimeter
collect`): which pieces of the snapshot the collection could not read. A missing
piece is never "none": the analyses turn what depends on it into UNKNOWN, naming it
(docs/collect.md, "What UNKNOWN due to missing data looks like").

A snapshot without a manifest (written by hand) has no missing pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasoner.errors import InputError
from reasoner.inputs.files import optional_file
from reasoner.policy.parse import load_data_file

MANIFEST_NAME = "collection.json"
_KINDS = ("organization", "scps", "rcps", "account", "iam", "resources", "resource", "vpc-endpoints", "region",
          "delegated-administrators", "acl", "object-acls", "kms-grants", "object-ownership", "public-access-block")
# Parts of a resource that can only allow more (decided with a stand-in that allows
# everything) and parts that can only take away (a found path is UNKNOWN)
OPENING = ("acl", "object-acls", "kms-grants")
_CLOSING = ("object-ownership", "public-access-block")
_PART_NAMES = {"acl": "the ACL", "object-acls": "the objects' ACLs", "kms-grants": "the grants",
               "object-ownership": "the Object Ownership", "public-access-block": "the Block Public Access"}
# The IAM service prefix of a resource ARN -> the service whose listing holds it
_LISTED_BY = {"kms": "kms", "sqs": "sqs", "sns": "sns", "lambda": "lambda", "secretsmanager": "secretsmanager",
              "ecr": "ecr", "dynamodb": "dynamodb", "s3": "s3"}


@dataclass(frozen=True)
class Collection:
    source: str
    organization: str | None = None  # why the organization could not be read
    accounts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # collected account -> its regions
    iam: Mapping[str, str] = field(default_factory=dict)  # account -> why its IAM (or all of it) is missing
    scps: Mapping[str, str] = field(default_factory=dict)  # account -> why the SCPs over it are unknown
    rcps: Mapping[str, str] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)  # ARN -> why its policy or tags are missing
    listings: Mapping[tuple[str, str, str], str] = field(default_factory=dict)  # (account, region, service) -> why
    endpoints: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (account, region) -> why
    owners: Mapping[str, str] = field(default_factory=dict)  # ARN of a missing resource -> its account
    opening: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # ARN -> ((kind, why), ...)
    closing: Mapping[str, str] = field(default_factory=dict)  # ARN -> why its Ownership or BPA is not known
    account_blocks: Mapping[str, str] = field(default_factory=dict)  # account -> why its S3 BPA is not known
    pieces: tuple[str, ...] = ()  # every missing piece an analysis depends on, as text (kind, where: why)

    def endpoint_gaps(self, context: Mapping[str, tuple[str, ...]], declared: set[str]) -> tuple[str, ...]:
        """What a request with this context depends on and the collection lacks: the VPC
        endpoints it could not list, when the request arrives through an endpoint that is
        not a declared one (its policy, which could deny, is not known)."""
        if not self.endpoints:
            return ()
        through = set(context.get("aws:sourcevpce", ())) - declared
        if not through and not ("aws:sourcevpce" not in context and (context.get("aws:sourcevpc")
                                                                      or context.get("aws:vpcsourceip"))):
            return ()
        names = ", ".join(sorted(through)) or "a VPC endpoint"
        return tuple(f"the request arrives through {names}, and the VPC endpoints of account {account} in {region} "
                     f"were not read ({why})" for (account, region), why in sorted(self.endpoints.items()))

    def opening_parts(self, arn: str) -> tuple[tuple[str, str], ...]:
        """(kind, text) of the parts of the resource not read that could allow more."""
        return self.opening.get(arn, ())

    def closing_gaps(self, arn: str, account: str) -> tuple[str, ...]:
        """What could have closed a path to the resource and was not read: its Object
        Ownership or Block Public Access, or (S3) its account's Block Public Access."""
        found = [self.closing[arn]] if arn in self.closing else []
        if arn.split(":")[2:3] == ["s3"] and account in self.account_blocks:
            found.append(self.account_blocks[account])
        return tuple(found)

    def owner(self, arn: str) -> str | None:
        """The account of a resource the collection saw but could not read (S3 ARNs carry none)."""
        return self.owners.get(arn)

    def caller_gaps(self, account: str | None) -> tuple[str, ...]:
        """What a caller of the account's requests depend on and the collection lacks."""
        found = [f"the organization: {self.organization}"] if self.organization else []
        if account is not None and account in self.scps:
            found.append(f"the SCPs over account {account}: {self.scps[account]}")
        return tuple(found)

    def target_gaps(self, arn: str, account: str, listed: bool) -> tuple[str, ...]:
        """What a request to the resource depends on and the collection lacks: its policy
        or tags, the listing that would hold it (when the snapshot does not), its RCPs."""
        found = [f"the organization: {self.organization}"] if self.organization else []
        if account in self.rcps:
            found.append(f"the RCPs over account {account}: {self.rcps[account]}")
        found += self.closing_gaps(arn, account)
        if arn in self.resources:
            found.append(f"the policy and tags of {arn}: {self.resources[arn]}")
        elif not listed:
            reason = self._unlisted(arn, account)
            if reason is not None:
                found.append(f"{arn}: {reason}")
        return tuple(found)

    def _unlisted(self, arn: str, account: str) -> str | None:
        """Why a resource the snapshot does not hold may still exist, or None when the
        collection read the listing that would hold it."""
        fields = arn.split(":", 5)
        service, region = (fields[2], fields[3]) if len(fields) == 6 else ("", "")
        if account in self.iam and (service == "iam" or account not in self.accounts):
            return f"the IAM of account {account} was not collected ({self.iam[account]})"
        if service == "iam":
            return None if account in self.accounts else f"account {account} was not collected"
        if account not in self.accounts:
            return f"account {account} was not collected"
        listing = _LISTED_BY.get(service)
        if listing is None:
            return f"resources of {service} are not collected"
        if listing == "s3" and region:  # an access point: s3control:ListAccessPoints
            listing = "s3control"
        elif listing == "s3":
            reason = self.listings.get((account, "*", "s3"))
            return None if reason is None else f"the buckets of account {account} were not listed ({reason})"
        for key in ((account, region, listing), (account, region, "*"), (account, "*", "*")):
            if key in self.listings:
                return (f"the {listing} resources of account {account} in {region} were not listed "
                        f"({self.listings[key]})")
        if region not in self.accounts[account]:
            return f"region {region} of account {account} was not collected"
        return None


def load_collection(folder: Path) -> Collection | None:
    file = optional_file(folder / MANIFEST_NAME)
    if file is None:
        return None
    source = str(file)
    data = load_data_file(file, source)
    if not isinstance(data, dict) or not isinstance(data.get("missing", []), list):
        raise InputError(source, "", "expected the manifest `perimeter collect` writes (with a missing list)")
    accounts = data.get("accounts") or {}
    if not isinstance(accounts, dict):
        raise InputError(source, "accounts", "expected a mapping of account ids")
    regions = {str(a): tuple(str(r) for r in (facts or {}).get("regions", [])) for a, facts in accounts.items()
               if isinstance(facts, dict) and facts.get("status") != "not entered"}
    found: dict[str, dict[Any, str]] = {key: {} for key in ("iam", "scps", "rcps", "resources", "listings",
                                                             "endpoints", "owners", "closing", "blocks")}
    opening: dict[str, list[tuple[str, str]]] = {}
    texts: list[str] = []
    organization = None
    for index, piece in enumerate(data.get("missing", [])):
        path = f"missing[{index}]"
        if not isinstance(piece, dict) or piece.get("kind") not in _KINDS:
            raise InputError(source, path, f"expected a missing piece with a kind ({', '.join(_KINDS)})")
        kind, reason = piece["kind"], str(piece.get("reason", "not read"))
        account, region = piece.get("account"), piece.get("region")
        if kind != "delegated-administrators":  # informational: no analysis reads them
            where = " ".join(str(piece[key]) for key in ("account", "region", "service", "arn") if piece.get(key))
            texts.append(f"{kind}{' ' + where if where else ''}: {reason}")
        if kind == "organization":
            organization = reason
        elif kind in ("account", "iam"):
            found["iam"][str(account)] = reason
        elif kind in ("scps", "rcps"):
            for member in piece.get("accounts", []):
                found[kind][str(member)] = reason
        elif kind == "resource":
            found["resources"][str(piece.get("arn"))] = reason
            if account is not None:
                found["owners"][str(piece.get("arn"))] = str(account)
        elif kind == "resources":
            found["listings"][(str(account), str(region), str(piece.get("service")))] = reason
        elif kind == "region":
            found["listings"][(str(account), str(region), "*")] = reason
        elif kind == "vpc-endpoints":
            found["endpoints"][(str(account), str(region))] = reason
        elif kind in OPENING or kind in _CLOSING:
            arn = piece.get("arn")
            text = f"{_PART_NAMES[kind]} of {arn or f'account {account}'}: {reason}"
            if kind in OPENING:
                opening.setdefault(str(arn), []).append((kind, text))
            elif arn:
                found["closing"][str(arn)] = "; ".join(filter(None, (found["closing"].get(str(arn)), text)))
            else:
                found["blocks"][str(account)] = text
    return Collection(source=source, organization=organization, accounts=regions, iam=found["iam"],
                      scps=found["scps"], rcps=found["rcps"], resources=found["resources"],
                      listings=found["listings"], endpoints=found["endpoints"], owners=found["owners"],
                      opening={arn: tuple(parts) for arn, parts in opening.items()}, closing=found["closing"],
                      account_blocks=found["blocks"], pieces=tuple(texts))
