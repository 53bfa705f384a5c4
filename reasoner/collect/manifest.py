"""The collection manifest, `collection.json`: what was asked, which calls failed (why,
when, as whom), and the pieces of the snapshot those failures left missing.

A missing piece is what an analysis must not read as "none": the IAM of an account,
the resources of a service in an account and region, the policy or tags of one
resource, the SCPs or RCPs over some accounts, the organization itself. The reader
(`reasoner.snapshot`) turns each into UNKNOWN for the paths that depend on it.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

MANIFEST_NAME = "collection.json"
FORMAT_VERSION = 1

# kinds of missing pieces (docs/collect.md, "The manifest")
ORGANIZATION = "organization"  # the organization exists but its tree or policies could not be read
SCPS = "scps"  # the SCPs over `accounts` are not known
RCPS = "rcps"  # the RCPs over `accounts` are not known
ACCOUNT = "account"  # nothing of the account was read (AssumeRole failed)
IAM = "iam"  # the account's users, groups, roles and policies
RESOURCES = "resources"  # the resources of `service` in `account` and `region` (region "*" for S3's listing)
RESOURCE = "resource"  # the policy or tags of one resource (`arn`)
VPC_ENDPOINTS = "vpc-endpoints"  # the VPC endpoints of `account` and `region`
DELEGATED = "delegated-administrators"  # informational: no analysis reads them yet
REGION = "region"  # nothing of `region` in `account` was read (disabled, or its listing failed)
# Parts of one resource (`arn`) not read, the rest of it written. Those that can only
# allow more (an ACL, the objects' ACLs, a key's grants) are decided with a stand-in
# that allows everything; those that can only take away (Object Ownership, Block
# Public Access; without `arn`: the account's) make a found path UNKNOWN.
ACL = "acl"
OBJECT_ACLS = "object-acls"
KMS_GRANTS = "kms-grants"
OWNERSHIP = "object-ownership"
PUBLIC_ACCESS_BLOCK = "public-access-block"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Failure:
    """One call that failed after botocore's retries."""

    operation: str  # "service:Operation", e.g. "s3:GetBucketPolicy"
    target: str  # what was asked: an ARN, a bucket, a parent id, or "" for a listing
    account: str | None
    region: str | None
    error: str  # the AWS error code, or the exception's class for a network error
    message: str
    time: str
    identity: str | None  # the ARN the call was signed as
    attempts: int = 1


@dataclass(frozen=True)
class Missing:
    kind: str
    reason: str
    account: str | None = None
    region: str | None = None
    service: str | None = None
    arn: str | None = None
    accounts: tuple[str, ...] = ()  # SCPS / RCPS: the accounts under the node

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"kind": self.kind}
        for key in ("account", "region", "service", "arn"):
            value = getattr(self, key)
            if value is not None:
                document[key] = value
        if self.accounts:
            document["accounts"] = list(self.accounts)
        document["reason"] = self.reason
        return document


@dataclass
class Manifest:
    """Filled from several threads; `to_json` when the run is over."""

    caller: str | None = None
    scope: dict[str, Any] = field(default_factory=dict)
    started: str = field(default_factory=now)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # account -> {identity, regions, ...}
    failures: list[Failure] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)  # "service:Operation" -> requests sent (retries included)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, operation: str, attempts: int) -> None:
        with self._lock:
            self.calls[operation] += attempts

    def fail(self, failure: Failure) -> None:
        with self._lock:
            self.failures.append(failure)

    def lack(self, piece: Missing) -> None:
        with self._lock:
            self.missing.append(piece)

    def note(self, text: str) -> None:
        with self._lock:
            self.notes.append(text)

    def account(self, account: str, **facts: Any) -> None:
        with self._lock:
            self.accounts.setdefault(account, {}).update(facts)

    def to_json(self, finished: str | None = None) -> dict[str, Any]:
        def order(piece: Missing) -> tuple[str, ...]:
            return (piece.kind, piece.account or "", piece.region or "", piece.service or "", piece.arn or "")

        return {
            "format": FORMAT_VERSION,
            "tool": "perimeter collect",
            "started": self.started,
            "finished": finished or now(),
            "caller": self.caller,
            "scope": self.scope,
            "complete": not self.missing,
            "accounts": {key: self.accounts[key] for key in sorted(self.accounts)},
            "missing": [piece.to_json() for piece in sorted(self.missing, key=order)],
            "failures": [asdict(item) for item in sorted(self.failures, key=lambda f: (f.time, f.operation,
                                                                                      f.target))],
            "calls": dict(sorted(self.calls.items())),
            "notes": self.notes,
        }
