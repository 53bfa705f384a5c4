"""A real AWS API server for the collector's tests: moto in server mode on 127.0.0.1
(a free port), started by the test session, reset between tests.

In front of it sits `Faults`, a WSGI layer that answers chosen requests with an AWS
error instead of passing them on (AccessDenied for one account's AssumeRole or one
region, throttling that clears after N answers), so that botocore's own retry and
error handling are what the collector meets. Nothing of boto3 is mocked.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Request:
    service: str  # the signing name (s3, kms, organizations, ...)
    region: str
    action: str  # X-Amz-Target's operation, the query Action, or "METHOD /path?query" for REST
    params: dict[str, str]  # form or query parameters (query protocols)
    body: str


@dataclass
class Fault:
    matches: Callable[[Request], bool]
    code: str
    status: int = 400
    times: int | None = None  # answer this many matching requests, then let them through; None: always
    hits: int = 0


@dataclass
class Faults:
    """The WSGI layer in front of moto."""

    app: Any
    faults: list[Fault] = field(default_factory=list)
    seen: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, matches: Callable[[Request], bool], code: str, *, status: int = 400,
            times: int | None = None) -> Fault:
        fault = Fault(matches, code, status, times)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()
            self.seen.clear()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        request = _request(environ, body.decode("utf-8", "replace"))
        if request is not None:
            with self.lock:
                self.seen.append(request)
                fault = next((f for f in self.faults if (f.times is None or f.hits < f.times) and f.matches(request)),
                             None)
                if fault is not None:
                    fault.hits += 1
            if fault is not None:
                status, headers, text = _error(request.service, fault.code, fault.status)
                start_response(status, headers)
                return [text.encode()]
        return self.app(environ, start_response)


def _request(environ: dict[str, Any], body: str) -> Request | None:
    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if scope is None:
        return None
    region, service = scope.groups()
    query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
    params = {**query, **dict(urllib.parse.parse_qsl(body))} if "x-www-form-urlencoded" in \
        environ.get("CONTENT_TYPE", "") else query
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        action = target.rsplit(".", 1)[-1]
    elif "Action" in params:
        action = params["Action"]
    else:
        action = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    return Request(service, region, action, params, body)


def _error(service: str, code: str, status: int) -> tuple[str, list[tuple[str, str]], str]:
    message = f"injected by the test: {code}"
    reason = {400: "Bad Request", 403: "Forbidden", 503: "Service Unavailable"}.get(status, "Error")
    if service == "s3":
        return f"{status} {reason}", [("Content-Type", "application/xml")], \
            f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>t</RequestId></Error>"
    if service == "ec2":
        return f"{status} {reason}", [("Content-Type", "text/xml")], \
            (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
             "<RequestID>t</RequestID></Response>")
    if service in ("iam", "sts", "sns"):
        return f"{status} {reason}", [("Content-Type", "text/xml")], \
            (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
             "<RequestId>t</RequestId></ErrorResponse>")
    return f"{status} {reason}", [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)], \
        json.dumps({"__type": code, "message": message, "Message": message})


@dataclass
class MotoServer:
    url: str
    faults: Faults

    def reset(self) -> None:
        self.faults.clear()
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """The server for the whole test session (started once: moto's import is slow)."""
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    faults = Faults(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, faults, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield MotoServer(f"http://127.0.0.1:{server.server_address[1]}", faults)
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def aws(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    """A fresh server state, and dummy credentials (moto accepts any) in the environment only."""
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    moto_server.reset()
    yield moto_server
    moto_server.faults.clear()
