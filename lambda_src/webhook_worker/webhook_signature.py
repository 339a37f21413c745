"""Verify webhook signatures: HMAC-SHA256 over the exact raw body, per route.

Configured by WEBHOOK_SIGNATURES, a JSON object keyed by route key (the frame's route):

    {"POST /webhook/github": {"secret": "github_webhook", "header": "X-Hub-Signature-256",
                              "scheme": "github"}}

`secret` names an entry of the function's `secrets` input (modules/function passes only its
ARN as SECRET_<NAME>_ARN; the value is read once per execution environment through
function_secrets and cached). Schemes:

- "github": header `sha256=<hex>` = HMAC-SHA256(secret, body).
- "stripe": header `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, each v1 = HMAC-SHA256(secret,
  "<t>.<body>"); `t` must be within `tolerance_seconds` (default 300) of now, so a captured
  request cannot be replayed later.

Routes without an entry are not verified. Digests are compared with hmac.compare_digest
(constant time). A failure raises SignatureInvalid, a permanent failure: the message goes to
the DLQ with the reason and is never applied.
"""

from __future__ import annotations

import functools
import json
import os
import time
from typing import NamedTuple

# hashlib/hmac are imported where a digest is computed: only signed routes pay for them at cold start.
from worker_operations import PermanentError

SCHEMES = ("github", "stripe")
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureInvalid(PermanentError):
    kind = "SignatureInvalid"


class RouteSignature(NamedTuple):  # cheaper to create at cold import than a frozen dataclass
    secret: str
    header: str
    scheme: str
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS


@functools.cache
def config() -> dict[str, RouteSignature]:
    """WEBHOOK_SIGNATURES parsed once; a bad configuration fails loudly at init."""
    raw = json.loads(os.environ.get("WEBHOOK_SIGNATURES") or "{}")
    if not raw:
        return {}
    import function_secrets  # bundled via shared.txt; only needed when a route is signed

    out = {}
    for route, c in raw.items():
        sig = RouteSignature(
            secret=c["secret"],
            header=c["header"],
            scheme=c.get("scheme", "github"),
            tolerance_seconds=int(c.get("tolerance_seconds", DEFAULT_TOLERANCE_SECONDS)),
        )
        if sig.scheme not in SCHEMES:
            raise ValueError(f"WEBHOOK_SIGNATURES[{route!r}].scheme must be one of {SCHEMES}")
        if not function_secrets.configured(sig.secret):
            raise ValueError(
                f"WEBHOOK_SIGNATURES[{route!r}] names secret {sig.secret!r}, which the function "
                f"was not given ({function_secrets.env_name(sig.secret)} is not set)"
            )
        out[route] = sig
    return out


def preload() -> None:
    """Read every configured secret now (called at init), so a missing grant fails the init."""
    for sig in config().values():
        _secret(sig.secret)


def _secret(name: str) -> bytes:
    import function_secrets

    value = function_secrets.get_secret(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"secret {name!r} must be a non-empty string")
    return value.encode("utf-8")


def _hmac_hex(key: bytes, message: bytes) -> str:
    import hashlib
    import hmac

    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _verify_github(key: bytes, body: bytes, value: str) -> None:
    import hmac

    expected = "sha256=" + _hmac_hex(key, body)
    if not hmac.compare_digest(expected.encode(), value.strip().encode("utf-8", "replace")):
        raise SignatureInvalid("signature does not match the body (expected sha256=<hex HMAC-SHA256>)")


def _verify_stripe(key: bytes, body: bytes, value: str, tolerance: int, now: float) -> None:
    import hmac

    parts = [p.split("=", 1) for p in value.split(",") if "=" in p]
    stamps = [v.strip() for k, v in parts if k.strip() == "t"]
    sigs = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not sigs:
        raise SignatureInvalid("signature header must be t=<unix seconds>,v1=<hex>")
    if abs(now - int(stamps[0])) > tolerance:
        raise SignatureInvalid(f"signature timestamp is outside the {tolerance}s tolerance window")
    expected = _hmac_hex(key, stamps[0].encode() + b"." + body).encode()
    # Check every v1 (a sender rotating secrets sends one per secret) without stopping early.
    if not any([hmac.compare_digest(expected, s.encode("utf-8", "replace")) for s in sigs]):
        raise SignatureInvalid("no v1 signature matches the body")


def verify(route: str | None, headers, body: str, *, now: float | None = None) -> bool:
    """True when the route's signature was verified, False when the route needs none.

    `headers` is the frame's header lookup (name -> value or None); `body` the exact raw body.
    """
    sig = config().get(route) if route else None
    if sig is None:
        return False
    value = headers(sig.header)
    if not value:
        raise SignatureInvalid(f"unsigned: header {sig.header} is missing")
    key, raw = _secret(sig.secret), body.encode("utf-8")
    if sig.scheme == "github":
        _verify_github(key, raw, value)
    else:
        _verify_stripe(key, raw, value, sig.tolerance_seconds, time.time() if now is None else now)
    return True
