"""`python -m storefirst.bench_local [env]` (`make bench-local`): figures for the local stack.

1. Time from `up` to ready: emulator start, `terraform apply`, workers + gateway serving.
   Uses envs/local when it exists, else the throwaway config tests/fixtures/local_stack.
2. The local gateway's latency for a queue route (SQS-SendMessage) over N requests (default
   1,000), sequential, measured at the client (urllib, new connection per request like most
   webhook senders), with the event source mapping draining the queue meanwhile; p50/p90/p99
   plus concurrent throughput with 16 clients.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from storefirst.terraform import REPO

FIXTURE = REPO / "tests" / "fixtures" / "local_stack"


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    import logging

    from storefirst.local.stack import Stack

    ap = argparse.ArgumentParser(prog="python -m storefirst.bench_local")
    ap.add_argument("env", nargs="?", default=None)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--var", action="append", default=[], metavar="KEY=VALUE",
                    help="terraform -var for the env (envs/local: raise webhook_throttle above 1000/s to bench it)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    env = (REPO / args.env).resolve() if args.env else (REPO / "envs" / "local")
    variables, code_dirs, name = dict(v.split("=", 1) for v in args.var), [REPO / "build"], None
    if not (env / "main.tf").exists():
        env = FIXTURE
        tmp = Path(tempfile.mkdtemp(prefix="storefirst-bench-"))
        z = tmp / "fixture_worker.zip"
        with zipfile.ZipFile(z, "w") as zf:
            zf.write(FIXTURE / "handler" / "fixture_worker.py", "fixture_worker.py")
        variables, code_dirs, name = {"zip_path": str(z)}, [tmp], "bench-local"
    stack = Stack(env.resolve(), variables, code_dirs, name=name)
    t0 = time.monotonic()
    stack.up()
    ready = time.monotonic() - t0
    try:
        route = None
        for api_id, api in stack.gateway.apis.items():
            for r in api.routes:
                integ = api.integrations.get((r.target or "").split("/")[-1], {})
                if integ.get("IntegrationSubtype") == "SQS-SendMessage" and r.method == "POST" and "{" not in r.route_key:
                    b = api.bucket("$default", r.route_key)
                    if b is None or b.rate >= 1000:
                        route = (stack.api_urls[api_id], r.route_key.split(" ", 1)[1])
                        break
            if route:
                break
        if route is None:
            print("no unthrottled POST queue route found", file=sys.stderr)
            return 1
        url = route[0] + route[1]

        def post(i: int) -> float:
            body = json.dumps({"operation": "store-new-user", "data": {"id": f"bench-{i}", "first_name": "B",
                                                                       "last_name": "M", "email": f"b{i}@example.com"}}).encode()
            req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
                assert r.status == 200, r.status
            return (time.perf_counter() - t) * 1000

        for i in range(20):  # warm-up (connection setup, IAM cache)
            post(-i - 1)
        lat = [post(i) for i in range(args.n)]
        t = time.monotonic()
        with ThreadPoolExecutor(16) as ex:
            list(ex.map(post, range(args.n, args.n + 500)))
        conc = 500 / (time.monotonic() - t)
        print(f"local stack on {env.relative_to(REPO)}: ready in {ready:.1f} s "
              f"(emulator {stack.timings['emulator']:.1f} s, terraform apply {stack.timings['apply']:.1f} s, "
              f"workers+gateway {stack.timings['serve']:.1f} s)")
        print(f"gateway queue route {route[1]} over {args.n} sequential requests: p50 {statistics.median(lat):.1f} ms, "
              f"p90 {_pct(lat, 90):.1f} ms, p99 {_pct(lat, 99):.1f} ms, max {max(lat):.1f} ms")
        print(f"500 requests from 16 concurrent clients: {conc:.0f} req/s")
    finally:
        stack.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
