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




# --- Lambda REQUEST authorizer (payload 2.0, simple responses) ---------------------------------

class _FakeLambdas:
    """Stands in for the local Lambda runtimes: records each event, answers with `answer`."""

    def __init__(self, answer):
        self.answer, self.events, self.arns = answer, [], []

    def get(self, arn):
        self.arns.append(arn)
        return self

    def invoke(self, event):
        self.events.append(event)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer(event) if callable(self.answer) else self.answer


FN = "arn:aws:lambda:eu-west-1:123456789012:function:origin-verify"


def _custom_route(ttl=300, sources=("$request.header.X-Origin-Verify",)):
    api = _api(["POST /webhook"])
    api.routes[0].authorization_type, api.routes[0].authorizer_id = "CUSTOM", "l1"
    api.authorizers["l1"] = {
        "AuthorizerType": "REQUEST",
        "AuthorizerUri": f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{FN}/invocations",
        "AuthorizerPayloadFormatVersion": "2.0",
        "EnableSimpleResponses": True,
        "IdentitySource": list(sources),
        "AuthorizerResultTtlInSeconds": ttl,
    }
    return api


def _call(api, headers, lambdas, cache=None):
    ctx = RequestCtx(api, "POST", "/webhook", "", headers, b'{"a":1}', "127.0.0.1", path="/webhook")
    ctx.route = api.routes[0]
    authorize(ctx, lambdas=lambdas, cache=cache)
    return ctx


def test_lambda_authorizer_missing_identity_source_is_401_without_invoking():
    lambdas = _FakeLambdas({"isAuthorized": True})
    for headers in ({}, {"x-origin-verify": ""}):
        with pytest.raises(Unauthorized) as err:
            _call(_custom_route(), headers, lambdas, {})
        assert (err.value.http_status, err.value.http_message) == (401, "Unauthorized")
    assert lambdas.events == []


def test_lambda_authorizer_any_missing_source_of_several_is_401():
    lambdas = _FakeLambdas({"isAuthorized": True})
    api = _custom_route(sources=("$request.header.X-Origin-Verify", "$request.header.X-Tenant"))
    with pytest.raises(Unauthorized):
        _call(api, {"x-origin-verify": "s"}, lambdas, {})
    assert lambdas.events == []


def test_lambda_authorizer_allows_denies_and_sends_a_payload_2_event():
    lambdas = _FakeLambdas(lambda e: {"isAuthorized": e["identitySource"] == ["good"], "context": {"who": "edge"}})
    ctx = _call(_custom_route(), {"x-origin-verify": "good"}, lambdas, {})
    assert ctx.authorizer == {"lambda": {"who": "edge"}}
    event = lambdas.events[0]
    assert lambdas.arns == [FN]
    assert event["version"] == "2.0" and event["type"] == "REQUEST"
    assert event["identitySource"] == ["good"] and event["headers"]["x-origin-verify"] == "good"
    assert event["routeArn"] == "arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/POST/webhook"
    assert "body" not in event  # the authorizer never sees the body
    with pytest.raises(Forbidden) as err:
        _call(_custom_route(), {"x-origin-verify": "bad"}, lambdas, {})
    assert (err.value.http_status, err.value.http_message) == (403, "Forbidden")


def test_lambda_authorizer_failure_or_bad_answer_is_500():
    from storefirst.local.runtime import InvokeError

    for answer in (InvokeError({"errorMessage": "boom", "errorType": "RuntimeError"}), {"isAuthorized": "yes"}, {"allow": True}, "true"):
        with pytest.raises(GatewayError) as err:
            _call(_custom_route(), {"x-origin-verify": "v"}, _FakeLambdas(answer), {})
        assert type(err.value) is GatewayError
        assert (err.value.http_status, err.value.http_message) == (500, "Internal Server Error")


def test_lambda_authorizer_results_cached_per_identity_value_for_the_ttl(monkeypatch):
    from storefirst.local.apigw.http import authorize as mod

    now = [1000.0]
    monkeypatch.setattr(mod.time, "time", lambda: now[0])
    lambdas = _FakeLambdas(lambda e: {"isAuthorized": e["identitySource"] == ["good"]})
    cache: dict = {}
    api = _custom_route(ttl=300)
    for _ in range(3):
        _call(api, {"x-origin-verify": "good"}, lambdas, cache)
    for _ in range(2):
        with pytest.raises(Forbidden):
            _call(api, {"x-origin-verify": "bad"}, lambdas, cache)
    assert [e["identitySource"] for e in lambdas.events] == [["good"], ["bad"]]  # once per value
    now[0] += 301  # past the TTL: asked again
    _call(api, {"x-origin-verify": "good"}, lambdas, cache)
    assert len(lambdas.events) == 3
    # TTL 0: no caching, every request invokes.
    uncached = _FakeLambdas({"isAuthorized": True})
    for _ in range(2):
        _call(_custom_route(ttl=0), {"x-origin-verify": "good"}, uncached, cache)
    assert len(uncached.events) == 2


def test_lambda_authorizer_is_refused_without_local_runtimes_or_simple_responses():
    with pytest.raises(NotSupportedLocally):
        _call(_custom_route(), {"x-origin-verify": "v"}, None, {})
    api = _custom_route()
    api.authorizers["l1"]["EnableSimpleResponses"] = False
    with pytest.raises(NotSupportedLocally):
        _call(api, {"x-origin-verify": "v"}, _FakeLambdas({"isAuthorized": True}), {})


def test_lambda_authorizer_through_the_chain_gives_aws_bodies():
    """401/403/500 as the HTTP API answers them, and only an authorized request integrates."""
    from storefirst.local.apigw.core import Response
    from storefirst.local.apigw.http.chain import HttpChain
    from storefirst.local.runtime import InvokeError

    class _Integrations:
        def __init__(self, runtimes):
            self.runtimes, self.ran = runtimes, 0

        def run(self, ctx):
            self.ran += 1
            return Response(202, b"{}", {})

    def answer(event):
        if event["identitySource"] == ["boom"]:
            raise InvokeError({"errorMessage": "boom"})
        return {"isAuthorized": event["identitySource"] == ["good"]}

    integ = _Integrations(_FakeLambdas(answer))
    chain = HttpChain(integ)  # type: ignore[arg-type]
    api = _custom_route()
    got = {}
    for name, headers in (("none", {}), ("bad", {"x-origin-verify": "bad"}), ("boom", {"x-origin-verify": "boom"}),
                          ("good", {"x-origin-verify": "good"})):
        resp, _ = chain.handle(api, "POST", "/webhook", headers, b"{}", "127.0.0.1")
        got[name] = (resp.status, json.loads(resp.body) if resp.status != 202 else None)
    assert got == {
        "none": (401, {"message": "Unauthorized"}),
        "bad": (403, {"message": "Forbidden"}),
        "boom": (500, {"message": "Internal Server Error"}),
        "good": (202, None),
    }
    assert integ.ran == 1
