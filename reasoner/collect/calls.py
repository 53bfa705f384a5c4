"""Every AWS call of a collection goes through a `Recorder`: it counts the requests
(retries included) and turns a call that failed after botocore's retries into a
recorded `Failure` and a `CallFailed` the caller turns into a missing piece.

Listings are read page by page to the end; a listing that fails on any page fails
whole (a partial list would read as "there is nothing else").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, PaginationError

from reasoner.collect.manifest import Failure, Manifest, now


@dataclass(frozen=True)
class Scope:
    """Where a call is made: the account, the region and the identity it is signed as."""

    account: str | None
    region: str | None
    identity: str | None


class CallFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure

    @property
    def reason(self) -> str:
        target = f" {self.failure.target}" if self.failure.target else ""
        return f"{self.failure.operation}{target}: {self.failure.error} ({self.failure.message})"


def operation_name(client: Any, method: str) -> str:
    """`s3:GetBucketPolicy` for `get_bucket_policy` on an S3 client (the IAM action's spelling)."""
    api = client.meta.method_to_api_mapping.get(method, method)
    return f"{client.meta.service_model.signing_name}:{api}"


_LIMIT_NAMES = ("MaxResults", "MaxItems", "Limit", "maxResults", "MaxBuckets", "MaxRecords")


def _attempts(response: Any) -> int:
    metadata = response.get("ResponseMetadata", {}) if isinstance(response, dict) else {}
    retries = metadata.get("RetryAttempts", 0)
    return 1 + (retries if isinstance(retries, int) else 0)


class Recorder:
    def __init__(self, manifest: Manifest, page_size: int | None = None) -> None:
        self.manifest = manifest
        self.page_size = page_size

    def _failed(self, scope: Scope, operation: str, target: str, error: Exception) -> CallFailed:
        if isinstance(error, ClientError):
            details = error.response.get("Error", {})
            code = str(details.get("Code") or "ClientError")
            message = str(details.get("Message") or error)
            attempts = _attempts(error.response)
        else:
            code, message, attempts = type(error).__name__, str(error), 1
        self.manifest.count(operation, attempts)
        failure = Failure(operation=operation, target=target, account=scope.account, region=scope.region,
                          error=code, message=message, time=now(), identity=scope.identity, attempts=attempts)
        self.manifest.fail(failure)
        return CallFailed(failure)

    def call(self, scope: Scope, client: Any, method: str, target: str = "", absent: Iterable[str] = (),
             **params: Any) -> dict[str, Any] | None:
        """The response; None when AWS answers with one of the `absent` error codes (the
        documented "there is none", such as NoSuchBucketPolicy)."""
        operation = operation_name(client, method)
        try:
            response: dict[str, Any] = getattr(client, method)(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in set(absent):
                self.manifest.count(operation, _attempts(error.response))
                return None
            raise self._failed(scope, operation, target, error) from error
        except BotoCoreError as error:
            raise self._failed(scope, operation, target, error) from error
        self.manifest.count(operation, _attempts(response))
        return response

    def _page_size(self, client: Any, method: str) -> int | None:
        """The page size asked for, raised to the operation's minimum (EC2 takes no fewer than 5)."""
        if self.page_size is None:
            return None
        api = client.meta.method_to_api_mapping.get(method, method)
        members = client.meta.service_model.operation_model(api).input_shape.members
        limits = [int(members[name].metadata.get("min", 1)) for name in _LIMIT_NAMES if name in members]
        return max([self.page_size, *limits])

    def pages(self, scope: Scope, client: Any, method: str, key: str, target: str = "",
              **params: Any) -> list[Any]:
        """Every item under `key` of every page of a listing."""
        return [item for page in self.all_pages(scope, client, method, target, **params)
                for item in page.get(key) or []]

    def optional_pages(self, scope: Scope, client: Any, method: str, key: str, absent: Iterable[str],
                       target: str = "", **params: Any) -> list[Any] | None:
        """`pages`, or None when AWS answers with one of the `absent` error codes."""
        pages = self._pages(scope, client, method, target, set(absent), params)
        return None if pages is None else [item for page in pages for item in page.get(key) or []]

    def token_pages(self, scope: Scope, client: Any, method: str, key: str, target: str = "",
                    **params: Any) -> list[Any]:
        """`pages` for a listing botocore has no paginator for (NextToken in and out)."""
        found: list[Any] = []
        token: str | None = None
        while True:
            extra: dict[str, Any] = {"NextToken": token} if token else {}
            if self.page_size is not None:
                extra["MaxResults"] = self.page_size
            page = self.call(scope, client, method, target=target, **params, **extra) or {}
            found += page.get(key) or []
            token = page.get("NextToken")
            if not token:
                return found

    def all_pages(self, scope: Scope, client: Any, method: str, target: str = "",
                  **params: Any) -> list[dict[str, Any]]:
        """Every page of a listing, whole."""
        pages = self._pages(scope, client, method, target, set(), params)
        assert pages is not None  # nothing is absent
        return pages

    def _pages(self, scope: Scope, client: Any, method: str, target: str, absent: set[str],
               params: dict[str, Any]) -> list[dict[str, Any]] | None:
        operation = operation_name(client, method)
        paginator = client.get_paginator(method)
        size = self._page_size(client, method)
        try:
            pages = paginator.paginate(**params, PaginationConfig={"PageSize": size}) if size \
                else paginator.paginate(**params)
        except PaginationError:  # the operation takes no page size
            pages = paginator.paginate(**params)
        found: list[dict[str, Any]] = []
        try:
            for page in pages:
                self.manifest.count(operation, _attempts(page))
                found.append(page)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in absent:
                self.manifest.count(operation, _attempts(error.response))
                return None
            raise self._failed(scope, operation, target, error) from error
        except BotoCoreError as error:
            raise self._failed(scope, operation, target, error) from error
        return found
