"""SigV4-signed calls to a storefirst data API (see modules/data-api)."""

from __future__ import annotations

import json
import os
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

USER_AGENT = "storefirst-data-api-client/1.0"


class DataApiError(Exception):
    """Any error answer of the data API; `status`, `body` and `request_id` tell which."""

    def __init__(self, status: int, body: Any, operation: str):
        self.status = status
        self.body = body if isinstance(body, dict) else {"message": str(body)}
        self.operation = operation
        self.request_id = self.body.get("request_id")
        detail = self.body.get("detail")
        super().__init__(
            f"{operation}: HTTP {status} {self.body.get('error', '')}: {self.body.get('message', '')}"
            + (f" ({detail})" if detail else "")
        )


class ValidationError(DataApiError):
    """400: unknown operation, bad data, or values DynamoDB cannot store."""


class NotFound(DataApiError):
    """404: no item matches the operation's key."""


class Conflict(DataApiError):
    """409: the key exists already (create) or a condition failed."""


class Throttled(DataApiError):
    """429 after every retry."""


class Unavailable(DataApiError):
    """5xx after every retry (or a 500 that is not retried)."""


_BY_STATUS: dict[int, type[DataApiError]] = {400: ValidationError, 404: NotFound, 409: Conflict, 429: Throttled}
RETRYABLE = {429, 502, 503, 504}


def _default_credentials():
    import botocore.session

    creds = botocore.session.get_session().get_credentials()
    if creds is None:
        raise RuntimeError("no AWS credentials found for SigV4 signing")
    return creds


class DataApiClient:
    def __init__(
        self,
        url: str | None = None,
        *,
        region: str | None = None,
        credentials: Any = None,
        sign: bool = True,
        max_attempts: int = 4,
        base_delay: float = 0.05,
        max_delay: float = 2.0,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.url = url or os.environ["DATA_API_URL"]
        self.region = (
            region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or _region_of(self.url)
        )
        self._credentials = credentials
        self.sign = sign
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout
        self._sleep = sleep

    def _signed_headers(self, body: bytes, headers: dict[str, str]) -> dict[str, str]:
        if not self.sign:
            return headers
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        if self._credentials is None:
            self._credentials = _default_credentials()
        creds = self._credentials
        if hasattr(creds, "get_frozen_credentials"):
            creds = creds.get_frozen_credentials()
        req = AWSRequest(method="POST", url=self.url, data=body, headers=headers)
        SigV4Auth(creds, "execute-api", self.region).add_auth(req)
        return dict(req.headers.items())

    def call(
        self,
        operation: str,
        data: dict[str, Any],
        *,
        correlation_id: str | None = None,
        page_size: int | None = None,
        next_token: str | None = None,
    ) -> Any:
        """Run one operation; returns the response's `data` (for queries: (items, next_token))."""
        envelope: dict[str, Any] = {"operation": operation, "data": data}
        if page_size is not None:
            envelope["page_size"] = page_size
        if next_token is not None:
            envelope["next_token"] = next_token
        body = json.dumps(envelope, ensure_ascii=False).encode("utf-8")
        base = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT}
        if correlation_id:
            # Header for whoever reads it; User-Agent because API Gateway access logs record it.
            base["X-Correlation-Id"] = correlation_id
            base["User-Agent"] = f"{USER_AGENT} cid/{correlation_id}"
        for attempt in range(1, self.max_attempts + 1):
            status, payload = self._send(body, self._signed_headers(body, dict(base)))
            if status in (200, 201):
                if isinstance(payload, dict) and "next_token" in payload:
                    return payload.get("data"), payload.get("next_token")
                return payload.get("data") if isinstance(payload, dict) else payload
            if status in RETRYABLE and attempt < self.max_attempts:
                # Full jitter (AWS Architecture Blog "Exponential Backoff And Jitter").
                self._sleep(random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1))))
                continue
            raise _BY_STATUS.get(status, Unavailable)(status, payload, operation)
        raise AssertionError("unreachable")

    def _send(self, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            return 503, {"error": "Unreachable", "message": str(exc)}
        try:
            return status, json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return status, {"error": "BadResponse", "message": raw[:200].decode("utf-8", "replace")}


def _region_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    parts = host.split(".")
    if "execute-api" in parts:
        return parts[parts.index("execute-api") + 1]
    return "us-east-1"


_default: DataApiClient | None = None


def call(operation: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """Module-level convenience: a client built from DATA_API_URL, reused across invocations."""
    global _default
    if _default is None:
        _default = DataApiClient()
    return _default.call(operation, data, **kwargs)
