"""Internal pricing: quote an order. An internal API: no API Gateway in front, other services
call it with the SDK (`Invoke`, InvocationType RequestResponse) under their own IAM role,
granted by modules/function's `invoker_policy_json` (lambda:InvokeFunction on this function
and its alias only). Callers use `lambda_src/shared/internal_client`.

Request (JSON payload):
  {"order_id": "O-1", "currency": "EUR", "country": "DE",
   "items": [{"sku": "SKU-1", "quantity": 2, "unit_price_cents": 1250}],
   "coupon": "WELCOME10"}                       # coupon optional
Answer:
  {"ok": true, "quote": {"order_id", "currency", "country", "lines": [{"sku", "quantity",
   "line_total_cents"}], "subtotal_cents", "discount_cents", "shipping_cents",
   "tax_rate_percent", "tax_cents", "total_cents"}}
  {"ok": false, "error": {"type": "invalid_request", "message": "<reason>"}} for a bad request:
  a business answer, not a function error, so the Errors alarm only counts real failures
  (an unexpected exception is raised and reaches the caller as FunctionError "Unhandled").

Money is integer cents; net prices; VAT on goods and shipping, rounded half up. Pure and
deterministic: retrying an invoke is harmless.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger()

CURRENCY = "EUR"
# Standard VAT rates in basis points (1900 = 19%), EU member states this shop ships to.
VAT_BP = {"AT": 2000, "BE": 2100, "DE": 1900, "ES": 2100, "FR": 2000, "IE": 2300, "IT": 2200, "NL": 2100}
COUPONS = {"WELCOME10": ("percent", 10), "FREESHIP": ("free_shipping", 0)}
SHIPPING_CENTS, FREE_SHIPPING_FROM_CENTS = 490, 5000
MAX_ITEMS, MAX_QUANTITY, MAX_UNIT_PRICE_CENTS = 100, 1000, 10_000_000
SKU_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")
ORDER_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
FIELDS = {"order_id", "currency", "country", "items", "coupon"}
ITEM_FIELDS = {"sku", "quantity", "unit_price_cents"}


class InvalidRequest(ValueError):
    pass


def _int(value: Any, name: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:  # bool is an int subclass: refused
        raise InvalidRequest(f"{name} must be a whole number from {low} to {high}")
    return value


def _div_half_up(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


def quote(order: Any) -> dict:
    if not isinstance(order, dict):
        raise InvalidRequest("the payload must be a JSON object")
    unknown = sorted(set(order) - FIELDS)
    if unknown:
        raise InvalidRequest(f"unknown field(s): {', '.join(unknown)}")
    order_id = order.get("order_id")
    if not isinstance(order_id, str) or not ORDER_ID_RE.fullmatch(order_id):
        raise InvalidRequest("order_id must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'")
    if order.get("currency") != CURRENCY:
        raise InvalidRequest(f"currency must be {CURRENCY}")
    country = order.get("country")
    if country not in VAT_BP:
        raise InvalidRequest(f"country must be one of {', '.join(sorted(VAT_BP))}")
    items = order.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise InvalidRequest(f"items must be a list of 1 to {MAX_ITEMS} lines")
    coupon = order.get("coupon")
    if coupon is not None and coupon not in COUPONS:
        raise InvalidRequest("coupon is not valid")

    lines: list[dict[str, Any]] = []
    skus: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != ITEM_FIELDS:
            raise InvalidRequest(f"items[{i}] must have exactly sku, quantity and unit_price_cents")
        if not isinstance(item["sku"], str) or not SKU_RE.fullmatch(item["sku"]):
            raise InvalidRequest(f"items[{i}].sku must be 1-40 characters of A-Z, 0-9 or '-'")
        if item["sku"] in skus:
            raise InvalidRequest(f"items[{i}].sku {item['sku']} appears twice; put the quantity on one line")
        skus.add(item["sku"])
        qty = _int(item["quantity"], f"items[{i}].quantity", 1, MAX_QUANTITY)
        unit = _int(item["unit_price_cents"], f"items[{i}].unit_price_cents", 0, MAX_UNIT_PRICE_CENTS)
        lines.append({"sku": item["sku"], "quantity": qty, "line_total_cents": qty * unit})

    subtotal = sum(line["line_total_cents"] for line in lines)
    kind, amount = COUPONS[coupon] if coupon is not None else (None, 0)
    discount = _div_half_up(subtotal * amount, 100) if kind == "percent" else 0
    goods = subtotal - discount
    shipping = 0 if kind == "free_shipping" or goods >= FREE_SHIPPING_FROM_CENTS else SHIPPING_CENTS
    rate = VAT_BP[country]
    tax = _div_half_up((goods + shipping) * rate, 10_000)
    return {
        "order_id": order_id,
        "currency": CURRENCY,
        "country": country,
        "lines": lines,
        "subtotal_cents": subtotal,
        "discount_cents": discount,
        "shipping_cents": shipping,
        "tax_rate_percent": f"{rate / 100:g}",
        "tax_cents": tax,
        "total_cents": goods + shipping + tax,
    }


@logger.inject_lambda_context
def handler(event: Any, context: Any) -> dict:
    try:
        result = quote(event)
    except InvalidRequest as exc:
        logger.info("invalid pricing request", extra={"reason": str(exc)})
        return {"ok": False, "error": {"type": "invalid_request", "message": str(exc)}}
    logger.info("quoted", extra={"order_id": result["order_id"], "total_cents": result["total_cents"]})
    return {"ok": True, "quote": result}
