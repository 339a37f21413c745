"""Users API: a whole small web app in one Lambda behind `ANY /{proxy+}` (simple web service).

HTTP API (payload format 2.0) -> this function -> users table (or the data API).
Powertools `APIGatewayHttpResolver` routes inside the function:

  GET /users/{id}                              one user, 404 when unknown
  GET /users?last_name=..[&limit=..][&next_token=..]   users with that last name, paginated

Every error is JSON `{"error": <code>, "message": <reason>, "request_id": <API request id>}`:
400 invalid input (with the reason), 401 missing/wrong API key (only when one is configured),
404 unknown user or route, 503 the data layer throttled (retry), 500 anything else (details
only in the logs). CORS: origins from `CORS_ALLOW_ORIGINS` (comma-separated; unset = no CORS
headers, e.g. when the HTTP API's own `cors` setting answers preflights instead).

Secrets: if the function was deployed with `secrets = { api_key = <ARN> }` (modules/function),
the key is read at init through Powertools parameters (cached, refreshed after max_age) and
requests must send it in `X-Api-Key`. The value never sits in an environment variable.

Environment: USERS_TABLE (direct DynamoDB) or DATA_API_URL (data API), CORS_ALLOW_ORIGINS,
SECRET_API_KEY_ARN (set by the module), POWERTOOLS_SERVICE_NAME.
"""

from __future__ import annotations

import functools
import hmac
import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.logging import correlation_paths

import function_secrets
import users_api_store

logger = Logger()

# Inputs are checked against the catalog's schemas (the data API's and the worker's contract).
GET, LIST = users_api_store.GET, users_api_store.LIST
DEFAULT_LIMIT, MAX_LIMIT = LIST.page_size.get("default", 25), LIST.page_size.get("maximum", 100)
TOKEN_MAX = 2048
LIST_PARAMS = {"last_name", "limit", "next_token"}
API_KEY = "api_key"  # secrets = { api_key = ... } -> SECRET_API_KEY_ARN


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def _cors() -> CORSConfig | None:
    origins = [o.strip() for o in os.environ.get("CORS_ALLOW_ORIGINS", "").split(",") if o.strip()]
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0],
        extra_origins=origins[1:] or None,
        allow_headers=["Content-Type", "Authorization", "X-Api-Key"],
        max_age=300,
    )


app = APIGatewayHttpResolver(cors=_cors())


@functools.cache
def _dynamodb():
    import boto3  # first request only: keeps the cold import small

    return boto3.client("dynamodb")


@functools.cache
def store() -> users_api_store.UsersStore:
    return users_api_store.users_store(_dynamodb)


def reset() -> None:
    """Forget clients and the store (tests switch environments and moto mocks)."""
    _dynamodb.cache_clear()
    store.cache_clear()


# Read the API key at init when one is configured: a missing grant or parameter fails the cold
# start loudly instead of every request; later reads come from the Powertools cache.
if function_secrets.configured(API_KEY):
    function_secrets.get_secret(API_KEY)


# --- errors --------------------------------------------------------------------------------------


def _error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"error": code, "message": message, "request_id": app.current_event.request_context.request_id}
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


@app.exception_handler(ApiError)
def _api_error(exc: ApiError) -> Response:
    if exc.status >= 500:
        logger.warning("request failed", extra={"status": exc.status, "reason": exc.message})
    return _error_response(exc.status, exc.code, exc.message, exc.headers)


@app.exception_handler(users_api_store.StoreUnavailable)
def _unavailable(exc: users_api_store.StoreUnavailable) -> Response:
    logger.warning("data layer unavailable", extra={"reason": str(exc)})
    return _error_response(503, "unavailable", "the user store is busy; retry shortly", {"Retry-After": "1"})


@app.not_found
def _not_found(_exc: Exception) -> Response:
    event = app.current_event
    return _error_response(404, "not_found", f"no route for {event.request_context.http.method} {event.path}")


@app.exception_handler(Exception)
def _internal(exc: Exception) -> Response:
    logger.exception("unhandled error")
    return _error_response(500, "internal_error", "internal error; quote the request_id when reporting it")


# --- API key (only when the function was deployed with the api_key secret) --------------------


def _require_api_key(app: APIGatewayHttpResolver, next_middleware):
    if function_secrets.configured(API_KEY):
        sent = app.current_event.headers.get("x-api-key") or ""
        expected = function_secrets.get_secret(API_KEY)  # Powertools cache; refetched after max_age
        if not sent or not hmac.compare_digest(sent.encode(), str(expected).encode()):
            raise ApiError(401, "unauthorized", "missing or wrong X-Api-Key header")
    return next_middleware(app)


app.use(middlewares=[_require_api_key])


# --- routes --------------------------------------------------------------------------------------


def _ok(body: Any) -> Response:
    return Response(
        status_code=200, content_type=content_types.APPLICATION_JSON, body=body, headers={"Cache-Control": "no-store"}
    )


@app.get("/users/<user_id>")
def get_user(user_id: str) -> Response:
    problems = GET.errors({"id": user_id})
    if problems:
        raise ApiError(400, "bad_request", "; ".join(problems))
    user = store().get_user(user_id)
    if user is None:
        raise ApiError(404, "not_found", f"no user with id {user_id!r}")
    return _ok(user)


@app.get("/users")
def list_users() -> Response:
    params = app.current_event.query_string_parameters or {}
    unknown = sorted(set(params) - LIST_PARAMS)
    if unknown:
        raise ApiError(
            400,
            "bad_request",
            f"unknown query parameter(s): {', '.join(unknown)}; allowed: last_name, limit, next_token",
        )
    last_name = params.get("last_name", "")
    if not last_name.strip():
        raise ApiError(400, "bad_request", "query parameter last_name is required")
    problems = LIST.errors({"last_name": last_name})
    if problems:
        raise ApiError(400, "bad_request", "; ".join(problems))
    raw_limit = params.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise ApiError(400, "bad_request", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    token = params.get("next_token") or None
    if token is not None and len(token) > TOKEN_MAX:
        raise ApiError(400, "bad_request", "next_token is not valid")
    try:
        items, next_token = store().list_by_last_name(last_name, limit=int(raw_limit), next_token=token)
    except users_api_store.InvalidPageToken as exc:
        raise ApiError(400, "bad_request", str(exc)) from None
    return _ok({"items": items, "next_token": next_token})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event: dict, context: Any) -> dict:
    return app.resolve(event, context)
