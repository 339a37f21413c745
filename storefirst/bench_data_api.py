"""Data API benchmarks: template render time per operation, and end-to-end overhead.

    storefirst bench data-api [--calls 1000] [--json out.json]

1. Render time of the generated request and response templates per operation (airspeed-ext;
   AWS's Java Velocity is a different engine, so read these as relative costs).
2. End to end against DynamoDB Local: envelope -> validation -> request template -> signed
   ExecuteStatement -> response template, beside the direct boto3 call a Lambda would make
   (get_item / put_item with a condition), p50/p99 over N calls each, and their ratio.
   Network and API Gateway's own hop are not in either number (both run on loopback).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from typing import Any

from storefirst import catalog, vtl
from storefirst.terraform import REPO

USERS = REPO / "envs" / "catalogs" / "users.yaml"

SAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "store-new-user": (
        {
            "operation": "store-new-user",
            "data": {"id": "A1", "first_name": "John", "last_name": "Doe", "email": "j@d.example"},
        },
        '{"Items":[]}',
    ),
    "get-user": (
        {"operation": "get-user", "data": {"id": "A1"}},
        '{"Items":[{"id":{"S":"A1"},"first_name":{"S":"John"},"last_name":{"S":"Doe"},"email":{"S":"j@d.example"}}]}',
    ),
    "list-users-by-last-name": (
        {"operation": "list-users-by-last-name", "data": {"last_name": "Doe"}, "page_size": 25},
        '{"Items":['
        + ",".join(
            [
                '{"id":{"S":"A' + str(i) + '"},"first_name":{"S":"John"},"last_name":{"S":"Doe"},'
                '"email":{"S":"j@d.example"}}'
                for i in range(25)
            ]
        )
        + '],"NextToken":"abc"}',
    ),
    "update-user-email": (
        {"operation": "update-user-email", "data": {"id": "A1", "email": "n@d.example"}},
        '{"Items":[{"pk":{"S":"USER#A1"},"id":{"S":"A1"},"first_name":{"S":"John"},"last_name":{"S":"Doe"},"email":{"S":"n@d.example"}}]}',
    ),
    "delete-user": (
        {"operation": "delete-user", "data": {"id": "A1"}},
        '{"Items":[{"pk":{"S":"USER#A1"},"id":{"S":"A1"},"first_name":{"S":"John"},"last_name":{"S":"Doe"},"email":{"S":"n@d.example"}}]}',
    ),
}


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(statistics.median(ms), 3), "p99_ms": round(_pct(ms, 99), 3), "n": len(ms)}


def bench_render(gen: catalog.Generated, repeat: int = 300) -> dict[str, Any]:
    out = {}
    for op, (envelope, dynamo_body) in SAMPLES.items():
        body = json.dumps(envelope)
        req_t, resp_t = [], []
        for _ in range(repeat):
            ctx = vtl.new_context()
            t0 = time.perf_counter()
            vtl.render(gen.request_template, body=body, context=ctx)
            t1 = time.perf_counter()
            vtl.render(gen.response_template, body=dynamo_body, context=ctx)
            t2 = time.perf_counter()
            req_t.append(t1 - t0)
            resp_t.append(t2 - t1)
        out[op] = {"request": _summary(req_t), "response": _summary(resp_t)}
    return out


def bench_end_to_end(gen: catalog.Generated, endpoint: str, calls: int) -> dict[str, Any]:
    import boto3

    from storefirst.data_api_local import LocalDataApi

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="AKIDLOCAL",
        aws_secret_access_key="local-secret",
    )
    table = "bench_" + uuid.uuid4().hex[:8]
    client.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "last_name", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "last_name", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    import dataclasses

    gen = dataclasses.replace(gen, request_template=gen.request_template.replace('\\"users\\"', f'\\"{table}\\"'))
    api = LocalDataApi(gen, endpoint)
    user = {"first_name": "John", "last_name": "Doe", "email": "j@d.example"}
    results: dict[str, Any] = {}

    # Warm both paths (JIT in DynamoDB Local, connection setup).
    for i in range(50):
        api.call("store-new-user", {"id": f"w{i}", **user})
        client.get_item(TableName=table, Key={"pk": {"S": f"USER#w{i}"}})

    api_w, direct_w, api_r, direct_r = [], [], [], []
    for i in range(calls):
        t0 = time.perf_counter()
        r = api.call("store-new-user", {"id": f"a{i}", **user})
        t1 = time.perf_counter()
        client.put_item(
            TableName=table,
            Item={"pk": {"S": f"USER#d{i}"}, "id": {"S": f"d{i}"}, **{k: {"S": v} for k, v in user.items()}},
            ConditionExpression="attribute_not_exists(pk)",
        )
        t2 = time.perf_counter()
        assert r.status == 201, r.raw
        api_w.append(t1 - t0)
        direct_w.append(t2 - t1)
    for i in range(calls):
        t0 = time.perf_counter()
        r = api.call("get-user", {"id": f"a{i}"})
        t1 = time.perf_counter()
        item = client.get_item(TableName=table, Key={"pk": {"S": f"USER#d{i}"}}, ConsistentRead=True)["Item"]
        {k: v["S"] for k, v in item.items() if k != "pk"}  # what a Lambda would do to get plain JSON
        t2 = time.perf_counter()
        assert r.status == 200, r.raw
        api_r.append(t1 - t0)
        direct_r.append(t2 - t1)
    api.close()
    for name, a, d in (("store-new-user vs put_item", api_w, direct_w), ("get-user vs get_item", api_r, direct_r)):
        sa, sd = _summary(a), _summary(d)
        results[name] = {
            "data_api": sa,
            "boto3": sd,
            "ratio_p50": round(sa["p50_ms"] / sd["p50_ms"], 2),
            "ratio_p99": round(sa["p99_ms"] / sd["p99_ms"], 2),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="storefirst bench data-api", description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1000, help="calls per operation end to end (default 1000)")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    gen = catalog.generate(USERS, "users")
    report: dict[str, Any] = {"render": bench_render(gen)}
    print("Data API template render time (airspeed-ext), ms:")
    for op, r in report["render"].items():
        print(
            f"  {op:<26} request p50 {r['request']['p50_ms']:.3f} p99 {r['request']['p99_ms']:.3f}"
            f" | response p50 {r['response']['p50_ms']:.3f} p99 {r['response']['p99_ms']:.3f}"
        )
    from storefirst import dynamodb_local

    try:
        server = dynamodb_local.start()
    except dynamodb_local.Unavailable as exc:
        print(f"end-to-end skipped: {exc}")
        server = None
    if server is not None:
        try:
            report["end_to_end"] = bench_end_to_end(gen, server.endpoint, args.calls)
        finally:
            server.stop()
        print(f"\nEnd to end against DynamoDB Local, {args.calls} calls each, ms:")
        for name, r in report["end_to_end"].items():
            print(
                f"  {name:<28} data API p50 {r['data_api']['p50_ms']:.2f} p99 {r['data_api']['p99_ms']:.2f}"
                f" | boto3 p50 {r['boto3']['p50_ms']:.2f} p99 {r['boto3']['p99_ms']:.2f}"
                f" | ratio p50 {r['ratio_p50']}x p99 {r['ratio_p99']}x"
            )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=2)
    return 0
