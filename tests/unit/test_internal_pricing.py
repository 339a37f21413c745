"""Internal API: the pricing function and the SDK caller (lambda_src/shared/internal_client).

moto cannot run Lambda code without Docker, so the round trip answers Invoke inside botocore:
a `before-send` hook hands the request body to the real handler and returns what the Lambda
service returns (HTTP 200 + payload; `X-Amz-Function-Error: Unhandled` when the handler
raised). Everything on the caller's side (serialisation, signing, URL, retries, parsing) is
the real SDK.
"""

from __future__ import annotations

import io
import json
import sys
import traceback
from urllib.parse import unquote

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from storefirst.lambda_events import ACCOUNT, REGION, FakeLambdaContext
from storefirst.terraform import REPO

for p in (str(REPO / "lambda_src" / "internal_pricing"), str(REPO / "lambda_src" / "shared")):
    if p not in sys.path:
        sys.path.insert(0, p)

import internal_client  # noqa: E402
import internal_pricing  # noqa: E402

ALIAS_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:dev-internal-pricing:live"
ORDER = {"order_id": "O-1", "currency": "EUR", "country": "DE",
         "items": [{"sku": "SKU-1", "quantity": 2, "unit_price_cents": 1250},
                   {"sku": "SKU-2", "quantity": 1, "unit_price_cents": 999}]}


def ctx():
    return FakeLambdaContext(function_name="dev-internal-pricing", invoked_function_arn=ALIAS_ARN)


# --- the function ----------------------------------------------------------------------------------

def test_quote_with_shipping_and_vat():
    out = internal_pricing.handler(ORDER, ctx())
    assert out["ok"] is True
    q = out["quote"]
    assert q["lines"] == [{"sku": "SKU-1", "quantity": 2, "line_total_cents": 2500},
                          {"sku": "SKU-2", "quantity": 1, "line_total_cents": 999}]
    assert (q["subtotal_cents"], q["discount_cents"], q["shipping_cents"]) == (3499, 0, 490)
    assert q["tax_rate_percent"] == "19" and q["tax_cents"] == 758  # 19% of 3989 = 757.91
    assert q["total_cents"] == 3499 + 490 + 758


def test_coupon_and_free_shipping_threshold():
    big = {**ORDER, "country": "FR", "coupon": "WELCOME10",
           "items": [{"sku": "SKU-9", "quantity": 3, "unit_price_cents": 2000}]}
    q = internal_pricing.handler(big, ctx())["quote"]
    assert (q["subtotal_cents"], q["discount_cents"], q["shipping_cents"]) == (6000, 600, 0)  # 5400 >= 5000
    assert q["tax_cents"] == 1080 and q["total_cents"] == 6480
    q = internal_pricing.handler({**ORDER, "coupon": "FREESHIP"}, ctx())["quote"]
    assert q["shipping_cents"] == 0


@pytest.mark.parametrize("change, reason", [
    ({"currency": "USD"}, "currency must be EUR"),
    ({"country": "US"}, "country must be one of"),
    ({"order_id": ""}, "order_id must be"),
    ({"items": []}, "items must be a list of 1 to 100 lines"),
    ({"items": [{"sku": "SKU-1", "quantity": 0, "unit_price_cents": 1}]}, "items[0].quantity must be a whole number from 1 to 1000"),
    ({"items": [{"sku": "SKU-1", "quantity": True, "unit_price_cents": 1}]}, "items[0].quantity must be"),
    ({"items": [{"sku": "SKU-1", "quantity": 1, "unit_price_cents": 1.5}]}, "items[0].unit_price_cents must be"),
    ({"items": [{"sku": "sku 1", "quantity": 1, "unit_price_cents": 1}]}, "items[0].sku must be"),
    ({"items": [{"sku": "A", "quantity": 1, "unit_price_cents": 1}] * 2}, "items[1].sku A appears twice"),
    ({"items": [{"sku": "A", "quantity": 1}]}, "items[0] must have exactly"),
    ({"coupon": "FREE100"}, "coupon is not valid"),
    ({"discount": 5}, "unknown field(s): discount"),
])
def test_bad_requests_are_answered_not_raised(change, reason):
    out = internal_pricing.handler({**ORDER, **change}, ctx())
    assert out["ok"] is False and out["error"]["type"] == "invalid_request"
    assert out["error"]["message"].startswith(reason), out


def test_non_object_payload_is_a_bad_request():
    assert internal_pricing.handler(["not", "an", "order"], ctx())["ok"] is False


# --- the caller, through the real SDK ----------------------------------------------------------

class Raw(io.BytesIO):
    """A urllib3-like raw body: botocore streams it (errors) or reads it (the Payload blob)."""

    def stream(self, **_):
        yield self.read()


class FakeLambdaService:
    """Answers lambda:Invoke like the service does, running the real handler in-process."""

    def __init__(self, handler, throttle_first: int = 0):
        self.handler = handler
        self.throttle_first = throttle_first
        self.requests = []

    def __call__(self, request, **_):
        self.requests.append(request)
        if self.throttle_first:
            self.throttle_first -= 1
            body = json.dumps({"Type": "User", "message": "Rate Exceeded.", "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"}).encode()
            return AWSResponse(request.url, 429, {"x-amzn-errortype": "TooManyRequestsException", "x-amzn-requestid": "r-429"}, Raw(body))
        headers = {"x-amzn-requestid": f"r-{len(self.requests)}", "x-amz-executed-version": "7", "content-type": "application/json"}
        try:
            result = self.handler(json.loads(request.body), ctx())
        except Exception as exc:  # what Lambda returns when the handler raises
            body = {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": "r",
                    "stackTrace": traceback.format_tb(exc.__traceback__)}
            headers["x-amz-function-error"] = "Unhandled"
            return AWSResponse(request.url, 200, headers, Raw(json.dumps(body).encode()))
        return AWSResponse(request.url, 200, headers, Raw(json.dumps(result).encode()))


@pytest.fixture
def caller(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    def make(handler=internal_pricing.handler, **kw):
        sdk = boto3.client("lambda", region_name=REGION, config=Config(retries={"mode": "standard", "max_attempts": 3}))
        service = FakeLambdaService(handler, **kw)
        sdk.meta.events.register("before-send.lambda.Invoke", service)
        # No real backoff sleeps in tests.
        monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda *_a, **_k: 0)
        return internal_client.InternalClient(sdk), service

    return make


def test_round_trip_request_response_on_the_alias(caller):
    client, service = caller()
    out = client.invoke(ALIAS_ARN, ORDER)
    assert out["ok"] is True and out["quote"]["total_cents"] == 3499 + 490 + 758
    req = service.requests[0]
    assert req.method == "POST"
    assert unquote(req.url).endswith(f"/2015-03-31/functions/{ALIAS_ARN}/invocations")
    assert req.headers["X-Amz-Invocation-Type"] == b"RequestResponse"
    assert req.headers["Authorization"].startswith(b"AWS4-HMAC-SHA256")  # IAM (SigV4) auth
    assert json.loads(req.body) == ORDER


def test_business_error_comes_back_as_data(caller):
    client, _ = caller()
    out = client.invoke(ALIAS_ARN, {**ORDER, "country": "US"})
    assert out == {"ok": False, "error": {"type": "invalid_request", "message": out["error"]["message"]}}


def test_a_raising_function_becomes_remote_function_error(caller):
    def broken(event, context):
        raise KeyError("price table missing")

    client, _ = caller(broken)
    with pytest.raises(internal_client.RemoteFunctionError) as err:
        client.invoke(ALIAS_ARN, ORDER)
    assert err.value.kind == "Unhandled" and err.value.error_type == "KeyError"
    assert "price table missing" in err.value.error_message


def test_throttling_is_retried_by_the_sdk(caller):
    client, service = caller(throttle_first=2)
    assert client.invoke(ALIAS_ARN, ORDER)["ok"] is True
    assert len(service.requests) == 3


def test_oversized_request_is_refused_before_sending(caller):
    client, service = caller()
    with pytest.raises(internal_client.PayloadTooLarge):
        client.invoke(ALIAS_ARN, {"blob": "x" * internal_client.MAX_REQUEST_BYTES})
    assert service.requests == []
