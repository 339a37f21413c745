"""HTTP API step authorize: JWT authorizers."""

from __future__ import annotations

import json

import pytest

from apigw_fixtures import http_api as _api
from storefirst.local.apigw.core import Forbidden, GatewayError, NotSupportedLocally, Unauthorized
from storefirst.local.apigw.http.authorize import authorize
from storefirst.local.apigw.http.model import RequestCtx


def _jwt_route(scopes=()):
    import base64
    api = _api(["GET /p"])
    api.routes[0].authorization_type, api.routes[0].authorizer_id, api.routes[0].scopes = "JWT", "a1", list(scopes)
    api.authorizers["a1"] = {"IdentitySource": ["$request.header.Authorization"],
                             "JwtConfiguration": {"Issuer": "https://i", "Audience": ["x"]}}
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return api, lambda claims: f"{enc({'alg': 'RS256'})}.{enc(claims)}.c2ln"


def _run(api, headers):
    ctx = RequestCtx(api, "GET", "/p", "", headers, b"", "127.0.0.1", path="/p")
    ctx.route = api.routes[0]
    authorize(ctx)
    return ctx


def test_missing_token_is_401_unauthorized():
    api, _ = _jwt_route()
    with pytest.raises(Unauthorized) as err:
        _run(api, {})
    assert (err.value.http_status, err.value.http_message) == (401, "Unauthorized")


def test_claims_checked_and_scopes_enforced():
    import time
    api, tok = _jwt_route(["read"])
    good = {"iss": "https://i", "aud": "x", "exp": time.time() + 60, "scope": "read"}
    assert _run(api, {"authorization": "Bearer " + tok(good)}).authorizer["claims"]["scope"] == "read"
    for bad in ({**good, "iss": "https://other"}, {**good, "aud": "y"}, {**good, "exp": time.time() - 1}):
        with pytest.raises(Unauthorized):
            _run(api, {"authorization": tok(bad)})
    with pytest.raises(Forbidden) as err:
        _run(api, {"authorization": tok({**good, "scope": "write"})})
    assert (err.value.http_status, err.value.http_message) == (403, "Forbidden")


def test_other_authorization_types_are_refused_not_passed():
    api = _api(["GET /p"])
    api.routes[0].authorization_type = "AWS_IAM"
    with pytest.raises(NotSupportedLocally):
        _run(api, {})


def test_jwt_signature_checked_with_local_jwks(tmp_path, monkeypatch):
    import base64
    import time

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = key.public_key().public_numbers()
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    as_bytes = lambda n: n.to_bytes((n.bit_length() + 7) // 8, "big")  # noqa: E731
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [
        {"kty": "RSA", "kid": "k1", "n": b64(as_bytes(pub.n)), "e": b64(as_bytes(pub.e))}]}))
    monkeypatch.setenv("STOREFIRST_LOCAL_JWKS", str(tmp_path / "jwks.json"))

    def token(claims, signer=key):
        head = b64(json.dumps({"alg": "RS256", "kid": "k1"}).encode())
        body = b64(json.dumps(claims).encode())
        sig = signer.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{head}.{body}.{b64(sig)}"

    api = _api(["GET /p"])
    api.routes[0].authorization_type, api.routes[0].authorizer_id = "JWT", "a1"
    api.authorizers["a1"] = {"IdentitySource": ["$request.header.Authorization"],
                             "JwtConfiguration": {"Issuer": "https://i", "Audience": ["x"]}}
    claims = {"iss": "https://i", "aud": "x", "exp": time.time() + 60}

    def run(tok):
        ctx = RequestCtx(api, "GET", "/p", "", {"authorization": f"Bearer {tok}"}, b"", "127.0.0.1", path="/p")
        ctx.route = api.routes[0]
        try:
            authorize(ctx)
        except GatewayError as exc:
            return exc
        return None

    assert run(token(claims)) is None
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert run(token(claims, other)).http_status == 401


