"""boto3 sessions: the caller's own (a profile, or the default credential chain), and
one per member account through `sts:AssumeRole` into `--role-name`. Every client
retries with botocore's standard or adaptive mode and talks to AWS, or to the one
endpoint given (`--endpoint-url`, for an AWS API emulator).

Credentials stay in memory: nothing here is written anywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import RefreshableCredentials

from reasoner.collect.calls import Recorder, Scope

SESSION_NAME = "perimeter-collect"


@dataclass(frozen=True)
class ClientSettings:
    endpoint_url: str | None = None
    retry_mode: str = "standard"  # or "adaptive" (client-side rate limiting)
    max_attempts: int = 8  # in all, the first included
    connections: int = 10
    session_seconds: int = 3600  # the assumed roles' sessions (refreshed 15 minutes before they end)

    def config(self) -> Config:
        s3 = {"addressing_style": "path"} if self.endpoint_url else {}
        return Config(retries={"mode": self.retry_mode, "total_max_attempts": self.max_attempts},
                      max_pool_connections=self.connections, user_agent_extra="perimeter-collect",
                      connect_timeout=10, read_timeout=60, s3=s3)


class SessionClients:
    """The clients of one identity, made once per (service, region) from the caller's
    boto3 session (which caches the service models), with the identity's credentials
    when they are not the session's own. Safe across threads: a boto3 session is not,
    so client creation takes the session's lock."""

    def __init__(self, session: Any, settings: ClientSettings, lock: threading.Lock | None = None,
                 credentials: dict[str, str] | None = None) -> None:
        self.session = session
        self.settings = settings
        self.credentials = credentials or {}
        self.lock = lock or threading.Lock()
        self._config = settings.config()
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        with self.lock:
            key = (service, region)
            if key not in self._clients:
                client = self.session.client(service, region_name=region, config=self._config,
                                             endpoint_url=self.settings.endpoint_url, **self.credentials)
                if self.settings.endpoint_url and service == "s3control":
                    # one endpoint for every service (an emulator): S3 Control's
                    # `ACCOUNT.` host prefix names no host there
                    client.meta.events.register("before-send.s3-control", _without_account_host)
                self._clients[key] = client
            return self._clients[key]


def _without_account_host(request: Any, **_: Any) -> None:
    scheme, _, rest = request.url.partition("://")
    host, _, path = rest.partition("/")
    account, _, endpoint = host.partition(".")
    if account.isdigit() and len(account) == 12 and endpoint:
        request.url = f"{scheme}://{endpoint}/{path}"


def own_session(profile: str | None, settings: ClientSettings) -> SessionClients:
    return SessionClients(boto3.Session(profile_name=profile), settings)


def assume_account(base: SessionClients, recorder: Recorder, scope: Scope, role_arn: str,
                   region: str) -> tuple[SessionClients, str]:
    """The clients of a session of `role_arn`, and the session's ARN. Raises CallFailed.

    The credentials refresh themselves (botocore's RefreshableCredentials: a new
    AssumeRole, recorded like any call, once fewer than 15 minutes are left), so a run
    longer than a session (an hour by default, or the role's maximum) keeps reading."""
    sts = base.client("sts", region)
    identity: list[str] = []

    def refresh() -> dict[str, str]:
        response = recorder.call(scope, sts, "assume_role", target=role_arn, RoleArn=role_arn,
                                 RoleSessionName=SESSION_NAME, DurationSeconds=base.settings.session_seconds) or {}
        credentials = response["Credentials"]
        identity[:] = [str(response.get("AssumedRoleUser", {}).get("Arn") or role_arn)]
        expiry = credentials["Expiration"]
        return {"access_key": credentials["AccessKeyId"], "secret_key": credentials["SecretAccessKey"],
                "token": credentials["SessionToken"],
                "expiry_time": expiry.isoformat() if isinstance(expiry, datetime) else str(expiry)}

    refreshable = RefreshableCredentials.create_from_metadata(metadata=refresh(), refresh_using=refresh,
                                                              method="sts-assume-role")
    account_session = botocore.session.Session()
    # the caller's loader, so the service models are read once for every account
    account_session.register_component("data_loader", base.session._session.get_component("data_loader"))
    account_session._credentials = refreshable  # botocore's way to give a session credentials
    return SessionClients(boto3.Session(botocore_session=account_session), base.settings), identity[0]
