"""Step: authorize (HTTP API). JWT authorizers ("Control access to HTTP APIs with JWT
authorizers"). Offline the issuer's JWKS cannot be fetched: the token's structure, `iss`,
`aud`/`client_id`, `exp`/`nbf` and the route's scopes are checked, and the RS256 signature
when STOREFIRST_LOCAL_JWKS names a JWKS file. Failures -> 401 {"message":"Unauthorized"},
missing scope -> 403 {"message":"Forbidden"}. AWS_IAM and Lambda authorizers are refused
(not emulated) rather than let a protected route through."""

from __future__ import annotations

import base64
import json
import os
import time

from ..core import Forbidden, NotSupportedLocally, Unauthorized
from .mapping import evaluate
from .model import RequestCtx


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


def authorize(ctx: RequestCtx) -> None:
    route = ctx.route
    assert route is not None
    if route.authorization_type in (None, "NONE"):
        return
    auth = ctx.api.authorizers.get(route.authorizer_id or "")
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
