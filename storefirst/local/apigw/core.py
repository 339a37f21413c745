"""Pieces both API Gateway flavours share: the response, typed gateway errors, the token
bucket and path matching. Nothing here knows REST from HTTP API."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

JSON = "application/json"


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def message(cls, status: int, message: str) -> Response:
        return cls(status, json.dumps({"message": message}).encode(), {"Content-Type": JSON})

    @classmethod
    def json(cls, status: int, doc: Any, content_type: str = JSON) -> Response:
        return cls(status, json.dumps(doc).encode(), {"Content-Type": content_type})


class GatewayError(Exception):
    """A request ended by API Gateway itself, before or instead of a client-visible
    integration response. `response_type` is the REST gateway response type it renders
    through ("Gateway response types for API Gateway"); `http_status`/`http_message` are
    the fixed answer an HTTP API gives for the same failure. `reason` is what the execution
    or access log records (never shown to the client unless a template asks for it)."""

    response_type = "DEFAULT_5XX"
    rest_status = 500
    rest_message = "Internal server error"
    http_status = 500
    http_message = "Internal Server Error"

    def __init__(self, reason: str = "", message: str | None = None, validation: str | None = None):
        super().__init__(reason or self.rest_message)
        self.reason = reason
        if message is not None:
            self.rest_message = message
        self.validation = validation  # $context.error.validationErrorString (REST)


class MissingAuthenticationToken(GatewayError):
    # REST: unknown stage/resource/method, and AWS_IAM without a SigV4 Authorization header.
    response_type, rest_status, rest_message = "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token"
    http_status, http_message = 403, "Forbidden"


class RouteNotFound(GatewayError):
    # HTTP API: no route matches (and no $default route).
    response_type, rest_status, rest_message = "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token"
    http_status, http_message = 404, "Not Found"


class Throttled(GatewayError):
    response_type, rest_status, rest_message = "THROTTLED", 429, "Too Many Requests"
    http_status, http_message = 429, "Too Many Requests"


class Unauthorized(GatewayError):
    response_type, rest_status, rest_message = "UNAUTHORIZED", 401, "Unauthorized"
    http_status, http_message = 401, "Unauthorized"


class Forbidden(GatewayError):
    response_type, rest_status, rest_message = "ACCESS_DENIED", 403, "Forbidden"
    http_status, http_message = 403, "Forbidden"


class BadRequestParameters(GatewayError):
    response_type, rest_status, rest_message = "BAD_REQUEST_PARAMETERS", 400, "Missing required request parameters"
    http_status, http_message = 400, "Bad Request"


class BadRequestBody(GatewayError):
    response_type, rest_status, rest_message = "BAD_REQUEST_BODY", 400, "Invalid request body"
    http_status, http_message = 400, "Bad Request"


class UnsupportedMediaType(GatewayError):
    response_type, rest_status, rest_message = "UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type"
    http_status, http_message = 415, "Unsupported Media Type"


class RequestTooLarge(GatewayError):
    """A body over the 10 MB payload quota ("Amazon API Gateway quotas": 10 MB for REST and
    HTTP APIs; taken here as 10 x 1024 x 1024 bytes). REST: gateway response REQUEST_TOO_LARGE,
    413, whose default response cannot be customized ("Gateway response types for API
    Gateway"); the default body's wording is not documented (an assumption here)."""

    response_type, rest_status, rest_message = "REQUEST_TOO_LARGE", 413, "Request Too Long"
    http_status, http_message = 413, "Request Entity Too Large"


MAX_PAYLOAD_BYTES = 10 * 1024 * 1024


class ConfigurationError(GatewayError):
    """The API's own configuration fails the call: e.g. API Gateway cannot assume the
    integration's credentials role, or no integration response matches."""

    response_type = "API_CONFIGURATION_ERROR"


class IntegrationFailure(GatewayError):
    response_type, rest_status = "INTEGRATION_FAILURE", 504
    http_status, http_message = 500, "Internal Server Error"


class IntegrationTimeout(GatewayError):
    response_type, rest_status, rest_message = "INTEGRATION_TIMEOUT", 504, "Endpoint request timed out"
    http_status, http_message = 504, "Service Unavailable"


class NotSupportedLocally(GatewayError):
    """Something AWS does that the local gateway does not emulate: refused, never passed."""

    response_type, rest_status = "DEFAULT_5XX", 501
    http_status = 501

    def __init__(self, what: str):
        super().__init__(f"local gateway: {what} not supported", message=f"local gateway: {what} not supported")
        self.http_message = self.rest_message


class TokenBucket:
    """`rate` tokens per second, capacity `burst` (the algorithm "Throttle requests to your
    HTTP APIs" and "Throttle requests to your REST APIs" describe)."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.capacity = float(rate), max(0, int(burst))
        self.tokens = float(self.capacity)
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self, now: float | None = None) -> bool:
        with self.lock:
            now = time.monotonic() if now is None else now
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.capacity == 0 and self.rate <= 0:
                return False
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


def split_path(path: str) -> list[str]:
    import urllib.parse

    return [urllib.parse.unquote(s) for s in path.split("/") if s]


def match_path(pattern: str | list[str], segs: list[str]) -> dict[str, str] | None:
    """Path variables when `segs` matches `pattern` (`/a/{id}`, greedy `{proxy+}` last), else None."""
    pat = [s for s in pattern.split("/") if s] if isinstance(pattern, str) else pattern
    params: dict[str, str] = {}
    for i, p in enumerate(pat):
        if p.startswith("{") and p.endswith("+}"):
            if i >= len(segs):
                return None
            params[p[1:-2]] = "/".join(segs[i:])
            return params
        if i >= len(segs):
            return None
        if p.startswith("{") and p.endswith("}"):
            params[p[1:-1]] = segs[i]
        elif p != segs[i]:
            return None
    return params if len(pat) == len(segs) else None


def specificity(segments: list[str], method: str) -> tuple:
    """Sort key, most specific first when reversed: exact paths before greedy ones, longer
    before shorter, more literal segments first, an explicit method before ANY."""
    greedy = any(s.endswith("+}") for s in segments)
    literal = sum(1 for s in segments if not s.startswith("{"))
    return (1, not greedy, len(segments), literal, method != "ANY")
