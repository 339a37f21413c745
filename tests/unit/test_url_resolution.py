"""storefirst.local.runtime.resolve_url: execute-api origins in function settings point at the
local gateway; everything else passes unchanged."""

from __future__ import annotations


def test_resolve_url_maps_execute_api_origins_to_the_local_gateway():
    from storefirst.local.runtime import resolve_url

    m = {"https://abc123.execute-api.eu-west-1.amazonaws.com": "http://127.0.0.1:4000"}
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com/v1", m) == "http://127.0.0.1:4000/v1"
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com", m) == "http://127.0.0.1:4000"
    # Another API, a look-alike host and plain values pass unchanged.
    assert resolve_url("https://zzz.execute-api.eu-west-1.amazonaws.com/v1", m).startswith("https://zzz")
    assert resolve_url("https://abc123.execute-api.eu-west-1.amazonaws.com.evil/v1", m).startswith("https://")
    assert resolve_url("users-table", m) == "users-table"
