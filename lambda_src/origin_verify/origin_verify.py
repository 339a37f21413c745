"""Lambda REQUEST authorizer for an HTTP API behind CloudFront: lets a request through only when
it carries the origin-verify header CloudFront adds (modules/front-door, CloudFront mode).

API Gateway (payload format 2.0, simple responses; "Control access to HTTP APIs with AWS Lambda
authorizers") calls `handler` with the request and expects `{"isAuthorized": bool}`: false
becomes 403. A request without the header never reaches this function: the header is the
authorizer's identity source, and API Gateway answers 401 itself when an identity source is
missing, null or empty (CreateAuthorizer, IdentitySource). Results are cached per header value
for the authorizer's TTL, so this runs about once per distinct value per TTL.

Configuration (modules/function):
  secrets = { origin_verify = <ARN> }            -> SECRET_ORIGIN_VERIFY_ARN (required)
  secrets = { origin_verify_previous = <ARN> }   -> the value being rotated out (optional)
  environment = { ORIGIN_VERIFY_HEADER = "X-Origin-Verify" }   (the default)
The ARNs name an SSM SecureString parameter or a Secrets Manager secret holding the plain value.
Both are read at init (a failed read fails the cold start, so API Gateway answers 500, never
lets the request through) and re-read after function_secrets' max_age (300 s), so a rotation
is seen within 5 minutes plus the authorizer TTL.

Fails closed: without SECRET_ORIGIN_VERIFY_ARN every request is denied. The secret and the
header's value are never logged.
"""

from __future__ import annotations

import hmac
import json
import os

import function_secrets

CURRENT = "origin_verify"  # secrets = { origin_verify = ... }
PREVIOUS = "origin_verify_previous"  # optional, during a rotation
HEADER = os.environ.get("ORIGIN_VERIFY_HEADER", "X-Origin-Verify").lower()


def _expected() -> list[bytes]:
    """The accepted values (current, then previous when configured), as bytes; empty ones dropped."""
    values = []
    for name in (CURRENT, PREVIOUS):
        if function_secrets.configured(name):
            # Surrounding whitespace (a stored trailing newline) is not part of the secret:
            # front-door's origin_verify_secret allows no whitespace.
            value = str(function_secrets.get_secret(name)).strip()
            if value:
                values.append(value.encode())
    return values


def _log(decision: str, event: dict, reason: str) -> None:
    # Never the header's value nor the secret: only what identifies the request.
    ctx = event.get("requestContext") or {}
    print(
        json.dumps(
            {
                "level": "WARN" if decision == "deny" else "INFO",
                "message": f"origin verify {decision}",
                "reason": reason,
                "route_key": event.get("routeKey"),
                "request_id": ctx.get("requestId"),
                "source_ip": (ctx.get("http") or {}).get("sourceIp"),
            }
        )
    )


def _header(event: dict) -> str | None:
    # HTTP header names are case-insensitive; look the configured one up whatever its case.
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == HEADER:
            return value
    return None


def handler(event: dict, context: object) -> dict:
    expected = _expected()
    if not expected:
        _log("deny", event, "no secret configured (SECRET_ORIGIN_VERIFY_ARN)")
        return {"isAuthorized": False}
    sent = _header(event)
    if not sent:
        _log("deny", event, "header missing")
        return {"isAuthorized": False}
    given = sent.encode()
    # Compare against every accepted value, without stopping at the first match, in constant
    # time per comparison (hmac.compare_digest), so timing reveals nothing about either value.
    ok = False
    for value in expected:
        ok |= hmac.compare_digest(given, value)
    if not ok:
        _log("deny", event, "header value does not match")
    return {"isAuthorized": ok}


# Read the secrets at init: a missing or unreadable one fails the cold start, not a request.
if function_secrets.configured(CURRENT):
    _expected()
