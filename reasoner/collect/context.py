"""What every reader of a collection shares: the account it reads (its clients, the
identity they sign as, the recorder of calls) and the snapshot contents it adds to."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from reasoner.collect.calls import Recorder, Scope
from reasoner.collect.manifest import Manifest, Missing


class ClientSource(Protocol):
    def client(self, service: str, region: str) -> Any: ...


@dataclass(frozen=True)
class AccountContext:
    account: str
    identity: str | None  # the ARN the account's calls are signed as
    clients: ClientSource
    recorder: Recorder
    home_region: str  # global services (IAM, S3's listing, Organizations) are called here
    regions: tuple[str, ...] = ()  # the regions collected in this account

    @property
    def partition(self) -> str:
        fields = (self.identity or "").split(":")
        return fields[1] if len(fields) > 2 and fields[1] else "aws"

    @property
    def manifest(self) -> Manifest:
        return self.recorder.manifest

    def scope(self, region: str | None = None) -> Scope:
        return Scope(self.account, region or self.home_region, self.identity)

    def client(self, service: str, region: str | None = None) -> Any:
        return self.clients.client(service, region or self.home_region)

    def lack(self, kind: str, reason: str, **where: Any) -> None:
        self.manifest.lack(Missing(kind=kind, reason=reason, **where))


@dataclass
class Contents:
    """The snapshot being collected, filled from several threads."""

    iam: dict[str, dict[str, Any]] = field(default_factory=dict)  # account -> authorization details
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # ARN -> {policy, account, tags}
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    organization: dict[str, Any] | None = None  # organization.json
    organization_policies: dict[str, Any] = field(default_factory=dict)  # file name -> SCP / RCP document
    delegated_administrators: list[dict[str, Any]] | None = None
    s3_accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # s3_accounts.json
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_resource(self, arn: str, account: str, policy: Any, tags: dict[str, str],
                     extras: dict[str, Any] | None = None) -> None:
        """`extras`: the entry's other keys (acl, object_acls, kms_grants, bucket, ...)."""
        with self._lock:
            self.resources[arn] = {"policy": policy, "account": account, "tags": dict(sorted(tags.items())),
                                   **{key: value for key, value in (extras or {}).items() if value is not None}}

    def add_s3_account(self, account: str, **facts: Any) -> None:
        with self._lock:
            self.s3_accounts.setdefault(account, {}).update({k: v for k, v in facts.items() if v is not None})

    def add_endpoint(self, endpoint: dict[str, Any]) -> None:
        with self._lock:
            self.endpoints.append(endpoint)

    def add_iam(self, account: str, details: dict[str, Any]) -> None:
        with self._lock:
            self.iam[account] = details
