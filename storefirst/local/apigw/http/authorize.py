"""Step: authorize (HTTP API).

JWT authorizers ("Control access to HTTP APIs with JWT authorizers"). Offline the issuer's
JWKS cannot be fetched: the token's structure, `iss`, `aud`/`client_id`, `exp`/`nbf` and the
route's scopes are checked, and the RS256 signature when STOREFIRST_LOCAL_JWKS names a JWKS
file. Failures -> 401 {"message":"Unauthorized"}, missing scope -> 403 {"message":"Forbidden"}.

Lambda REQUEST authorizers, payload format 2.0 with simple responses ("Control access to HTTP
APIs with AWS Lambda authorizers"), when the gateway has the local Lambda runtimes: an identity
source that is missing or empty -> 401 without invoking the function (CreateAuthorizer,
IdentitySource: all must be present, not null and non-empty); {"isAuthorized": false} -> 403;
a failed invocation or a response without a boolean isAuthorized -> 500 {"message":"Internal
Server Error"}; with AuthorizerResultTtlInSeconds > 0 the answer is cached per identity source
values for that many seconds. Payload 1.0, IAM-policy responses, AWS_IAM and a gateway
without runtimes are refused (not emulated) rather than let a protected route through.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from typing import Any

from ..core import Forbidden, GatewayError, NotSupportedLocally, Unauthorized
from .mapping import evaluate
from .model import RequestCtx

# (api id, authorizer id, identity source values) -> (expiry epoch seconds, isAuthorized, context)
AuthorizerCache = dict[tuple[str, str, tuple[str, ...]], tuple[float, bool, dict[str, Any]]]


def _b64url(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _verify_rs256(header: dict, signing_input: bytes, sig: bytes) -> bool | None:
    """True/False when a local JWKS is configured, None when there is none to check with."""
    path = os.environ.get("STOREFIRST_LOCAL_JWKS")
    if not path:
        return None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    with open(path) as f:
        keys = json.load(f).get("keys", [])
    for k in keys:
        if k.get("kid") not in (None, header.get("kid")) or k.get("kty") != "RSA":
            continue
        pub = rsa.RSAPublicNumbers(
            int.from_bytes(_b64url(k["e"]), "big"), int.from_bytes(_b64url(k["n"]), "big")
        ).public_key()
        try:
            pub.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
        except Exception:
            continue
    return False


def _lambda_request(ctx: RequestCtx, auth: dict[str, Any], lambdas: Any, cache: AuthorizerCache | None) -> None:
    if auth.get("AuthorizerPayloadFormatVersion") != "2.0" or not auth.get("EnableSimpleResponses"):
        raise NotSupportedLocally("Lambda authorizer without payload 2.0 simple responses")
    sources = list(auth.get("IdentitySource") or [])
    values = [evaluate(s, ctx, {}) for s in sources]
    if any(v is None or v == "" for v in values):
        raise Unauthorized("an identity source is missing or empty; the authorizer was not invoked")
    key = (ctx.api.api_id, str(auth.get("AuthorizerId", "")), tuple(str(v) for v in values))
    ttl = int(auth.get("AuthorizerResultTtlInSeconds") or 0)
    now = time.time()
    cached = cache.get(key) if cache is not None and ttl > 0 and sources else None
    if cached is not None and cached[0] > now:
        allowed, context = cached[1], cached[2]
    else:
        m = re.search(r"(arn:aws:lambda:[^/]+?:function:[^/:]+)", auth.get("AuthorizerUri", ""))
        if lambdas is None:
            raise NotSupportedLocally("Lambda authorizer without local runtimes")
        if not m:
            raise GatewayError(f"no local runtime for authorizer {auth.get('AuthorizerUri')}")
        from ...runtime import InvokeError
        from .lambda_payload import payload_v2_event

        event = payload_v2_event(ctx)
        # The authorizer event carries no body ("Lambda authorizer payload format version 2.0").
        for k in ("body", "isBase64Encoded"):
            event.pop(k, None)
        event["requestContext"].pop("authorizer", None)
        execute_api = f"arn:aws:execute-api:{ctx.api.region}:{ctx.api.account}:{ctx.api.api_id}"
        event.update(
            {
                "type": "REQUEST",
                "routeArn": f"{execute_api}/{ctx.stage}/{ctx.method}{ctx.path or '/'}",
                "identitySource": [str(v) for v in values],
            }
        )
        try:
            result = lambdas.get(m.group(1)).invoke(event)
        except (InvokeError, FileNotFoundError) as exc:
            raise GatewayError(f"the authorizer failed: {exc}") from None
        if not isinstance(result, dict) or not isinstance(result.get("isAuthorized"), bool):
            raise GatewayError("the authorizer's response has no boolean isAuthorized")
        allowed, context = result["isAuthorized"], dict(result.get("context") or {})
        if cache is not None and ttl > 0 and sources:
            cache[key] = (now + ttl, allowed, context)
    if not allowed:
        raise Forbidden("the Lambda authorizer answered isAuthorized false")
    ctx.authorizer = {"lambda": context}


def authorize(ctx: RequestCtx, lambdas: Any = None, cache: AuthorizerCache | None = None) -> None:
    """`lambdas`: the local Lambda runtimes (Integrations.runtimes), for Lambda authorizers;
    `cache`: where their results are kept for the authorizer's TTL (one per gateway)."""
    route = ctx.route
    assert route is not None
    if route.authorization_type in (None, "NONE"):
        return
    auth = ctx.api.authorizers.get(route.authorizer_id or "")
    if route.authorization_type == "CUSTOM" and auth and auth.get("AuthorizerType") == "REQUEST":
        _lambda_request(ctx, {"AuthorizerId": route.authorizer_id, **auth}, lambdas, cache)
        return
    if route.authorization_type != "JWT" or not auth:
        raise NotSupportedLocally(f"authorization type {route.authorization_type}")
    source = (auth.get("IdentitySource") or ["$request.header.Authorization"])[0]
    token = evaluate(source, ctx, {}) or ""
    if token.lower().startswith("bearer "):
        token = token[7:]
    parts = token.split(".")
    if len(parts) != 3:
        raise Unauthorized("the token is not a JWT")
    try:
        header, claims = json.loads(_b64url(parts[0])), json.loads(_b64url(parts[1]))
    except Exception:
        raise Unauthorized("the token does not decode") from None
    cfg = auth.get("JwtConfiguration") or {}
    now = time.time()
    if header.get("alg") != "RS256" and os.environ.get("STOREFIRST_LOCAL_JWKS"):
        raise Unauthorized("alg is not RS256")
    if cfg.get("Issuer") and claims.get("iss") != cfg["Issuer"]:
        raise Unauthorized("iss does not match the issuer")
    audience = set(cfg.get("Audience") or [])
    aud = claims.get("aud", claims.get("client_id"))
    auds = set(aud if isinstance(aud, list) else [aud] if aud else [])
    if audience and not audience & auds:
        raise Unauthorized("aud does not match the audience")
    if "exp" in claims and now >= float(claims["exp"]):
        raise Unauthorized("the token expired")
    if "nbf" in claims and now < float(claims["nbf"]):
        raise Unauthorized("the token is not valid yet")
    if _verify_rs256(header, f"{parts[0]}.{parts[1]}".encode(), _b64url(parts[2])) is False:
        raise Unauthorized("the signature does not verify")
    if route.scopes:
        have = set(str(claims.get("scope", claims.get("scp", ""))).split())
        if not have & set(route.scopes):
            raise Forbidden("the token has none of the route's scopes")
    ctx.authorizer = {"claims": claims, "scopes": route.scopes or None}
