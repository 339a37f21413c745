"""The users API (lambda_src/users_api) against moto, with HTTP API payload format 2.0 events
shaped as API Gateway sends them for an `ANY /{proxy+}` route on the `$default` stage."""

from __future__ import annotations

import importlib
import io
import os
import json
import sys
import time
import types
from urllib.parse import urlencode

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from storefirst.lambda_events import ACCOUNT, REGION, FakeLambdaContext
from storefirst.terraform import REPO

for p in (str(REPO / "lambda_src" / "users_api"), str(REPO / "lambda_src" / "shared")):
    if p not in sys.path:
        sys.path.insert(0, p)

import function_secrets  # noqa: E402
import users_api  # noqa: E402
import users_api_store  # noqa: E402

TABLE = "users"
API_ID = "a1b2c3d4e5"
ADA = {"id": "U1", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
BYRON = {"id": "U2", "first_name": "Byron", "last_name": "Lovelace", "email": "byron@example.com"}
ALAN = {"id": "U3", "first_name": "Alan", "last_name": "Turing", "email": "alan@example.com"}


def http_event(method: str, path: str, *, query: dict | None = None, headers: dict | None = None,
               body: str | None = None, request_id: str = "Yz8mQhEbIAMEV-w=") -> dict:
    """An HTTP API payload format 2.0 event for route `ANY /{proxy+}` (headers lower-cased,
    duplicate query parameters joined with commas, as API Gateway does)."""
    host = f"{API_ID}.execute-api.{REGION}.amazonaws.com"
    now = time.time()
    event = {
        "version": "2.0",
        "routeKey": "ANY /{proxy+}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {
            "accept": "application/json",
            "content-length": str(len(body or "")),
            "host": host,
            "user-agent": "curl/8.5.0",
            "x-amzn-trace-id": "Root=1-6742a1b0-3f1c2d4e5a6b7c8d9e0f1a2b",
            "x-forwarded-for": "203.0.113.7",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
            **{k.lower(): v for k, v in (headers or {}).items()},
        },
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": API_ID,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7",
                     "userAgent": "curl/8.5.0"},
            "requestId": request_id,
            "routeKey": "ANY /{proxy+}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "pathParameters": {"proxy": path.lstrip("/")},
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if body is not None:
        event["body"] = body
    return event


def call(method: str, path: str, **kw) -> tuple[int, dict, dict]:
    out = users_api.handler(http_event(method, path, **kw), FakeLambdaContext(function_name="users-api"))
    body = json.loads(out["body"]) if out.get("body") else None
    return out["statusCode"], {k.lower(): v for k, v in out.get("headers", {}).items()}, body


def _clear_parameter_caches() -> None:
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters import base

    parameters.clear_caches()
    base.DEFAULT_PROVIDERS.clear()  # providers hold boto3 clients made outside this moto mock


@pytest.fixture
def aws(monkeypatch, plain_moto):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "users-api")
    monkeypatch.setenv("USERS_TABLE", TABLE)
    for var in ("DATA_API_URL", "CORS_ALLOW_ORIGINS", "SECRET_API_KEY_ARN"):
        monkeypatch.delenv(var, raising=False)
    with mock_aws():
        _clear_parameter_caches()
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "last_name", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "last_name", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
        )
        for user in (ADA, BYRON, ALAN):
            item = {k: {"S": v} for k, v in user.items()}
            item["pk"] = {"S": f"USER#{user['id']}"}
            item["created_at"] = {"S": "2026-11-23T23:00:00.000+00:00"}
            ddb.put_item(TableName=TABLE, Item=item)
        yield types.SimpleNamespace(ddb=ddb, ssm=boto3.client("ssm", region_name=REGION),
                                    sm=boto3.client("secretsmanager", region_name=REGION), monkeypatch=monkeypatch)
        # Back to the plain configuration (no secret, no CORS, direct table) for the next test.
        for var in ("DATA_API_URL", "CORS_ALLOW_ORIGINS", "SECRET_API_KEY_ARN"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("USERS_TABLE", TABLE)
        monkeypatch.delitem(sys.modules, "data_api_client", raising=False)
        _clear_parameter_caches()
        reload_app()


def reload_app():
    """Import the module again: CORS and the init-time secret read happen at import."""
    importlib.reload(users_api)
    users_api.reset()
    return users_api


@pytest.fixture
def app(aws):
    reload_app()
    return aws


# --- GET /users/{id} --------------------------------------------------------------------------

def test_get_user_returns_the_user_attributes_only(app):
    status, headers, body = call("GET", "/users/U1")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert body == ADA  # no pk, no created_at


def test_unknown_user_is_404_with_reason_and_request_id(app):
    status, _, body = call("GET", "/users/NOPE", request_id="req-404")
    assert status == 404
    assert body == {"error": "not_found", "message": "no user with id 'NOPE'", "request_id": "req-404"}


def test_invalid_id_is_400_with_the_catalogs_reason(app):
    status, _, body = call("GET", f"/users/{'x' * 129}")  # get-user's id: maxLength 128
    assert status == 400
    assert body["error"] == "bad_request" and body["message"] == "data.id: must be at most 128 characters long"


@pytest.mark.parametrize("odd_id", ["a.b", "x" * 128])
def test_an_id_the_catalog_accepts_is_looked_up(app, odd_id):
    status, _, body = call("GET", f"/users/{odd_id}")
    assert status == 404 and body["message"] == f"no user with id {odd_id!r}"


# --- GET /users?last_name= -----------------------------------------------------------------------

def test_list_by_last_name(app):
    status, _, body = call("GET", "/users", query={"last_name": "Lovelace"})
    assert status == 200
    assert sorted(body["items"], key=lambda u: u["id"]) == [ADA, BYRON]
    assert body["next_token"] is None


def test_list_paginates_with_opaque_tokens(app):
    seen, token, pages = [], None, 0
    while True:
        query = {"last_name": "Lovelace", "limit": "1", **({"next_token": token} if token else {})}
        status, _, body = call("GET", "/users", query=query)
        assert status == 200, body
        seen += body["items"]
        pages += 1
        token = body["next_token"]
        if token is None:
            break
        assert "USER#" not in token  # keys stay hidden (base64 of the LastEvaluatedKey)
    assert sorted(u["id"] for u in seen) == ["U1", "U2"] and pages >= 2


def test_list_with_no_match_is_an_empty_page(app):
    assert call("GET", "/users", query={"last_name": "Hopper"})[2] == {"items": [], "next_token": None}


@pytest.mark.parametrize("query, reason", [
    ({}, "query parameter last_name is required"),
    ({"last_name": "  "}, "query parameter last_name is required"),
    ({"last_name": "x" * 257}, "data.last_name: must be at most 256 characters long"),
    ({"last_name": "Lovelace", "limit": "0"}, "limit must be a whole number from 1 to 100"),
    ({"last_name": "Lovelace", "limit": "101"}, "limit must be a whole number from 1 to 100"),
    ({"last_name": "Lovelace", "limit": "ten"}, "limit must be a whole number from 1 to 100"),
    ({"last_name": "Lovelace", "email": "a@b"}, "unknown query parameter(s): email"),
    ({"last_name": "Lovelace", "next_token": "!!not-base64!!"}, "next_token is not valid"),
])
def test_list_validation_is_400_with_reason(app, query, reason):
    status, _, body = call("GET", "/users", query=query)
    assert status == 400
    assert body["error"] == "bad_request" and body["message"].startswith(reason), body


def test_token_of_another_query_is_refused(app):
    token = call("GET", "/users", query={"last_name": "Lovelace", "limit": "1"})[2]["next_token"]
    status, _, body = call("GET", "/users", query={"last_name": "Turing", "next_token": token})
    assert status == 400 and body["message"] == "next_token does not belong to this query"


# --- routing, errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [("GET", "/orders"), ("DELETE", "/users/U1"), ("GET", "/")])
def test_unknown_route_is_json_404(app, method, path):
    status, headers, body = call(method, path)
    assert status == 404 and headers["content-type"] == "application/json"
    assert body["error"] == "not_found" and body["message"] == f"no route for {method} {path}"


def test_unexpected_error_is_500_without_details(app, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(users_api_store.DynamoUsersStore, "get_user", boom)
    stream = io.StringIO()
    previous = users_api.logger.registered_handler.setStream(stream)
    try:
        status, _, body = call("GET", "/users/U1", request_id="req-500")
    finally:
        users_api.logger.registered_handler.setStream(previous)
    assert status == 500
    assert body == {"error": "internal_error", "message": "internal error; quote the request_id when reporting it",
                    "request_id": "req-500"}
    logs = [json.loads(l) for l in stream.getvalue().splitlines() if l.startswith("{")]
    assert any(l.get("message") == "unhandled error" and "secret internals" in l.get("exception", "") for l in logs)


def test_throttling_is_503_with_retry_after(app, monkeypatch):
    def throttled(*_a, **_k):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "GetItem")

    monkeypatch.setattr(users_api._dynamodb(), "get_item", throttled)
    status, headers, body = call("GET", "/users/U1")
    assert status == 503 and headers["retry-after"] == "1" and body["error"] == "unavailable"


# --- CORS ----------------------------------------------------------------------------------------

def test_no_cors_headers_unless_origins_are_configured(app):
    _, headers, _ = call("GET", "/users/U1", headers={"Origin": "https://app.example.com"})
    assert "access-control-allow-origin" not in headers


def test_cors_for_configured_origins_and_preflight(aws):
    aws.monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://app.example.com, https://admin.example.com")
    reload_app()
    _, headers, _ = call("GET", "/users/U1", headers={"Origin": "https://admin.example.com"})
    assert headers["access-control-allow-origin"] == "https://admin.example.com"
    _, headers, _ = call("GET", "/users/U1", headers={"Origin": "https://evil.example.net"})
    assert "access-control-allow-origin" not in headers
    status, headers, _ = call("OPTIONS", "/users/U1", headers={
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
    assert status == 204
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert "GET" in headers["access-control-allow-methods"]
    assert "X-Api-Key" in headers["access-control-allow-headers"]
    assert headers["access-control-max-age"] == "300"


# --- secret read at init (SSM SecureString / Secrets Manager) --------------------------------

def test_api_key_from_ssm_is_read_at_init_and_cached(aws):
    aws.ssm.put_parameter(Name="/storefirst/dev/users-api-key", Value="k-123", Type="SecureString")
    arn = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/storefirst/dev/users-api-key"
    aws.monkeypatch.setenv("SECRET_API_KEY_ARN", arn)
    reload_app()
    # Read at init: deleting the parameter now does not matter within max_age (Powertools cache).
    aws.ssm.delete_parameter(Name="/storefirst/dev/users-api-key")
    assert call("GET", "/users/U1", headers={"X-Api-Key": "k-123"})[0] == 200
    status, _, body = call("GET", "/users/U1", headers={"X-Api-Key": "wrong"})
    assert status == 401 and body["error"] == "unauthorized"
    assert call("GET", "/users/U1")[0] == 401
    assert "k-123" not in json.dumps(dict(os.environ))  # only the ARN is in the environment


def test_api_key_from_secrets_manager(aws):
    arn = aws.sm.create_secret(Name="storefirst/dev/users-api-key", SecretString="sm-key")["ARN"]
    aws.monkeypatch.setenv("SECRET_API_KEY_ARN", arn)
    reload_app()
    assert call("GET", "/users/U2", headers={"X-Api-Key": "sm-key"})[0] == 200
    assert call("GET", "/users/U2", headers={"X-Api-Key": "k-123"})[0] == 401


def test_missing_secret_fails_the_cold_start(aws):
    aws.monkeypatch.setenv("SECRET_API_KEY_ARN", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/absent")
    with pytest.raises(Exception, match="absent|ParameterNotFound|GetParameter"):
        reload_app()
    aws.monkeypatch.delenv("SECRET_API_KEY_ARN")


def test_function_secrets_refuses_an_unconfigured_name(aws):
    with pytest.raises(function_secrets.SecretNotConfigured, match="SECRET_DB_ARN"):
        function_secrets.get_secret("db")


# --- data API seam -------------------------------------------------------------------------------

class FakeDataApi(types.ModuleType):
    """Stands in for lambda_src/shared/data_api_client (same call() and error classes)."""

    class DataApiError(Exception):
        pass

    class NotFound(DataApiError):
        pass

    class ValidationError(DataApiError):
        pass

    class Throttled(DataApiError):
        pass

    class Unavailable(DataApiError):
        pass

    def __init__(self):
        super().__init__("data_api_client")
        self.calls = []

    def call(self, operation, data, **kw):
        self.calls.append((operation, data, kw))
        if operation == "get-user":
            if data["id"] == "U1":
                return ADA
            raise self.NotFound("404")
        if operation == "list-users-by-last-name":
            if kw.get("next_token") == "bad":
                raise self.ValidationError("400 next_token")
            return ([ADA], "opaque") if kw.get("next_token") is None else [BYRON]
        raise AssertionError(operation)


def test_data_api_path_when_data_api_url_is_set(aws):
    fake = FakeDataApi()
    aws.monkeypatch.setitem(sys.modules, "data_api_client", fake)
    aws.monkeypatch.setenv("DATA_API_URL", "https://abc.execute-api.eu-west-1.amazonaws.com/v1/")
    aws.monkeypatch.delenv("USERS_TABLE")
    reload_app()
    assert call("GET", "/users/U1")[2] == ADA
    assert call("GET", "/users/U9")[0] == 404
    assert call("GET", "/users", query={"last_name": "Lovelace", "limit": "1"})[2] == {"items": [ADA], "next_token": "opaque"}
    assert call("GET", "/users", query={"last_name": "Lovelace", "next_token": "opaque"})[2] == {"items": [BYRON], "next_token": None}
    assert call("GET", "/users", query={"last_name": "Lovelace", "next_token": "bad"})[0] == 400
    assert fake.calls[0] == ("get-user", {"id": "U1"}, {})
    assert fake.calls[2] == ("list-users-by-last-name", {"last_name": "Lovelace"}, {"page_size": 1, "next_token": None})
