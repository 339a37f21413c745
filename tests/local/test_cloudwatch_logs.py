"""Local CloudWatch Logs (storefirst.local.cwlogs): access log rendering from the stage's format,
the destination group of an ARN, and the shipper writing into the emulator's log groups."""

from __future__ import annotations

import json


def test_access_log_rendering_and_destination_group():
    from storefirst.local.cwlogs import group_of, render_access_log

    fmt = json.dumps({"requestId": "$context.requestId", "ua": "$context.identity.userAgent",
                      "err": "$context.error.message", "status": "$context.status"})
    line = json.loads(render_access_log(fmt, {"requestId": "r-1", "identity.userAgent": 'x "q" cid/r-1', "status": 200}))
    assert line == {"requestId": "r-1", "ua": 'x "q" cid/r-1', "err": "-", "status": "200"}
    assert render_access_log("$context.requestId $context.status", {"requestId": "r"}) == "r -"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x:*") == "/aws/apigw/x"
    assert group_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigw/x") == "/aws/apigw/x"


def test_log_shipper_writes_to_the_group(emulator):
    from storefirst.local.cwlogs import LogShipper

    logs = emulator.client("logs")
    logs.create_log_group(logGroupName="/test/shipper")
    sh = LogShipper(lambda: emulator.client("logs"), flush_seconds=0.05)
    try:
        sh.put("/test/shipper", "hello cid/abc")
        sh.put("/test/missing-group", "dropped with a warning, not raised")
        assert sh.drain(5)
        msgs = [e["message"] for e in logs.filter_log_events(logGroupName="/test/shipper")["events"]]
        assert msgs == ["hello cid/abc"]
    finally:
        sh.stop()
