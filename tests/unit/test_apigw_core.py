"""Shared gateway pieces: token bucket, path matching, route specificity, typed errors."""

from __future__ import annotations

from storefirst.local.apigw.core import (BadRequestBody, MissingAuthenticationToken, RouteNotFound, Throttled,
                                         TokenBucket, Unauthorized, match_path)


def test_token_bucket_burst_then_rate():
    b = TokenBucket(rate=2, burst=3)
    t0 = b.stamp
    assert [b.take(t0) for _ in range(4)] == [True, True, True, False]
    assert b.take(t0 + 0.5) is True      # 0.5 s at 2 rps refills one token
    assert b.take(t0 + 0.5) is False


def test_zero_limits_refuse_everything():
    assert TokenBucket(rate=0, burst=0).take() is False


def test_path_matching_variables_and_greedy():
    assert match_path("/items/{id}", ["items", "42"]) == {"id": "42"}
    assert match_path("/files/{proxy+}", ["files", "a", "b"]) == {"proxy": "a/b"}
    assert match_path("/files/{proxy+}", ["files"]) is None
    assert match_path("/items/{id}", ["items", "42", "x"]) is None
    assert match_path("/", []) == {}


def test_error_types_carry_both_flavours_answers():
    # REST answers through gateway response types; HTTP APIs with fixed bodies.
    assert (RouteNotFound.http_status, RouteNotFound.http_message) == (404, "Not Found")
    assert (RouteNotFound.rest_status, RouteNotFound.rest_message) == (403, "Missing Authentication Token")
    assert (MissingAuthenticationToken.response_type, MissingAuthenticationToken.rest_status) == ("MISSING_AUTHENTICATION_TOKEN", 403)
    assert (Throttled.http_status, Throttled.http_message, Throttled.response_type) == (429, "Too Many Requests", "THROTTLED")
    assert (Unauthorized.http_status, Unauthorized.http_message) == (401, "Unauthorized")
    assert BadRequestBody().rest_message == "Invalid request body"
