"""HTTP API step map request: parameter mapping as AWS documents it (substitution, no
escaping; an absent source becomes "")."""

from __future__ import annotations

import json

import pytest

from apigw_fixtures import http_ctx as _ctx
from storefirst.local.apigw.http.mapping import map_parameters


def test_parameter_mapping_sources():
    ctx = _ctx()
    out, missing = map_parameters({
        "MessageBody": "$request.body",
        "MessageGroupId": "$request.path.id",
        "MessageDeduplicationId": "$request.header.Idempotency-Key",
        "Q": "$request.querystring.q",
        "B": "$request.body.a.b[1]",
        "S": "$request.body.s",
        "R": "$context.requestId",
        "Mixed": "id-${request.path.id}-${request.querystring.r}",
        "Static": "static",
    }, ctx)
    assert out["MessageBody"] == ctx.body.decode()
    assert out["MessageGroupId"] == "42"
    assert out["MessageDeduplicationId"] == "k-1"  # header names are case-insensitive
    assert out["Q"] == "1,2"                        # repeated query parameters joined by commas
    assert out["B"] == "2" and out["S"] == "x"
    assert out["R"] == ctx.request_id
    assert out["Mixed"] == "id-42-z"
    assert out["Static"] == "static"
    assert not missing


ATTRS = json.dumps({"sig": {"DataType": "String", "StringValue": "$request.header.X-Sig"},
                    "requestId": {"DataType": "String", "StringValue": "$context.requestId"}})


def test_header_with_a_quote_is_substituted_verbatim_and_breaks_the_json():
    """AWS documents substitution, not escaping: a `"` in the header ends the JSON string it
    sits in. (The local gateway used to JSON-escape it, hiding this on AWS.)"""
    ctx = _ctx(headers={"x-sig": 'a"b'})
    out, _ = map_parameters({"MessageAttributes": ATTRS}, ctx)
    assert '"StringValue": "a"b"' in out["MessageAttributes"]
    with pytest.raises(ValueError):
        json.loads(out["MessageAttributes"])


def test_a_crafted_header_injects_attributes_as_it_would_on_aws():
    """With the header substituted verbatim, a client can close the string and add keys:
    here a second `requestId` (JSON parsers such as Jackson's default keep the last one)."""
    tmpl = json.dumps({"requestId": {"DataType": "String", "StringValue": "$context.requestId"},
                       "sig": {"DataType": "String", "StringValue": "$request.header.X-Sig"}})
    forged = 'x"}, "requestId": {"DataType": "String", "StringValue": "forged'
    ctx = _ctx(headers={"x-sig": forged})
    out, _ = map_parameters({"MessageAttributes": tmpl}, ctx)
    assert json.loads(out["MessageAttributes"])["requestId"]["StringValue"] == "forged"


def test_absent_header_becomes_empty_and_is_recorded():
    ctx = _ctx(headers={})
    out, missing = map_parameters({"MessageAttributes": ATTRS}, ctx)
    attrs = json.loads(out["MessageAttributes"])
    assert attrs["sig"]["StringValue"] == "" and "request.header.X-Sig" in missing
    assert "sig" in attrs  # nothing is dropped: SQS, not the gateway, decides (and refuses)
