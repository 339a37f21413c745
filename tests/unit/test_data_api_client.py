"""lambda_src/shared/data_api_client against a scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import sys

import pytest
from botocore.credentials import Credentials

from storefirst.terraform import REPO

sys.path.insert(0, str(REPO / "lambda_src" / "shared"))
import data_api_client as dac  # noqa: E402


@pytest.fixture
def server(scripted_server):
    return scripted_server


def _client(url, sleeps=None, **kw):
    return dac.DataApiClient(url, region="eu-west-1", credentials=Credentials("AKIDTEST", "secret"),
                             sleep=(sleeps.append if sleeps is not None else (lambda s: None)), **kw)


def test_call_signs_forwards_correlation_and_returns_data(server):
    url, script = server
    script.replies = [(201, {"data": {}})]
    assert _client(url).call("store-new-user", {"id": "A"}, correlation_id="req-123") == {}
    seen = script.seen[0]
    assert seen["body"] == {"operation": "store-new-user", "data": {"id": "A"}}
    auth = seen["headers"]["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/") and "/eu-west-1/execute-api/aws4_request" in auth
    assert seen["headers"]["X-Correlation-Id"] == "req-123"
    assert seen["headers"]["User-Agent"].endswith("cid/req-123")


def test_query_returns_items_and_token(server):
    url, script = server
    script.replies = [(200, {"data": [{"id": "1"}], "next_token": "t1"})]
    items, token = _client(url).call("list-users-by-last-name", {"last_name": "Doe"}, page_size=1)
    assert (items, token) == ([{"id": "1"}], "t1")
    assert script.seen[0]["body"]["page_size"] == 1


def test_retries_429_and_5xx_with_jittered_backoff(server):
    url, script = server
    script.replies = [(429, {"error": "Throttled"}), (503, {"error": "ServiceUnavailable"}), (200, {"data": {"id": "A"}})]
    sleeps: list[float] = []
    assert _client(url, sleeps, base_delay=0.1).call("get-user", {"id": "A"}) == {"id": "A"}
    assert len(script.seen) == 3 and len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.1 and 0 <= sleeps[1] <= 0.2


@pytest.mark.parametrize("status, exc, retried", [
    (400, dac.ValidationError, False), (404, dac.NotFound, False), (409, dac.Conflict, False),
    (429, dac.Throttled, True), (503, dac.Unavailable, True), (500, dac.Unavailable, False),
])
def test_typed_errors(server, status, exc, retried):
    url, script = server
    script.replies = [(status, {"error": "X", "message": "m", "request_id": "r-1"})] * 4
    with pytest.raises(exc) as info:
        _client(url, max_attempts=3).call("get-user", {"id": "A"})
    assert info.value.status == status and info.value.request_id == "r-1"
    assert len(script.seen) == (3 if retried else 1)


def test_non_json_error_body_still_typed(server):
    url, script = server
    script.replies = [(404, "<html>nope</html>")]
    with pytest.raises(dac.NotFound):
        _client(url).call("get-user", {"id": "A"})


def test_unreachable_is_unavailable():
    with pytest.raises(dac.Unavailable):
        _client("http://127.0.0.1:9/v1/", max_attempts=2).call("get-user", {"id": "A"})


def test_region_from_url(monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    c = dac.DataApiClient("https://abc.execute-api.ap-south-1.amazonaws.com/v1/", credentials=Credentials("a", "b"))
    assert c.region == "ap-south-1"
