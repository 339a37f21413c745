"""`storefirst bench local [env]` (`make bench-local`): figures for the local stack.

1. Cold start: `storefirst up <env> --fresh --once` in a subprocess (a real
   `terraform apply` into a fresh emulator, then a snapshot): time to ready, and the apply's
   critical path (the chain of resources that decided its duration, from `apply -json`).
2. Warm start: the same command without `--fresh`: inputs unchanged, so the emulator is
   restored from the snapshot instead of applied. Both also give the subprocess's wall time
   (interpreter start and imports included), which is what a user waits for.
3. The local gateway's latency for a queue route (SQS-SendMessage) over N requests (default
   1,000), sequential, measured at the client (urllib, new connection per request like most
   webhook senders), with the event source mapping draining the queue meanwhile; p50/p90/p99
   plus concurrent throughput with 16 clients. Served by a warm-started stack in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from storefirst.terraform import REPO

NAME = "bench-local"


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def start(env: str, *extra: str) -> tuple[float, float, str]:
    """(ready s as printed, wall s of the subprocess, its output) of one `up --once`."""
    cmd = [sys.executable, "-m", "storefirst", "up", env, "--no-build", "--once", "--name", NAME, *extra]
    t = time.monotonic()
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=1800, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    wall = time.monotonic() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    m = re.search(r"ready in ([\d.]+) s \(([^)]*)\)", proc.stdout)
    if not m:
        raise SystemExit(f"no ready line in:\n{proc.stdout}")
    return float(m.group(1)), wall, proc.stdout


def critical_path(out: str) -> list[str]:
    lines = out.splitlines()
    try:
        i = next(n for n, line in enumerate(lines) if "apply critical path" in line)
    except StopIteration:
        return []
    return [line for line in lines[i + 1 :] if re.match(r"\s+[\d.]+ ->", line)]


def latency(env_dir, n: int, variables: dict[str, str]) -> list[str]:
    from storefirst.local.stack import Stack

    stack = Stack(env_dir, variables, name=NAME, warm=True)
    stack.up()
    try:
        route = None
        assert stack.gateway is not None  # up() started it
        for api_id, api in stack.gateway.apis.items():
            for r in api.routes:
                integ = api.integrations.get((r.target or "").split("/")[-1], {})
                if (
                    integ.get("IntegrationSubtype") == "SQS-SendMessage"
                    and r.method == "POST"
                    and "{" not in r.route_key
                ):
                    b = api.bucket("$default", r.route_key)
                    if b is None or b.rate >= 1000:
                        route = (stack.api_urls[api_id], r.route_key.split(" ", 1)[1])
                        break
            if route:
                break
        if route is None:
            return ["no unthrottled POST queue route (envs/local: --var 'webhook_throttle={...}' above 1000/s)"]
        url = route[0] + route[1]

        def post(i: int) -> float:
            body = json.dumps(
                {
                    "operation": "store-new-user",
                    "data": {"id": f"bench-{i}", "first_name": "B", "last_name": "M", "email": f"b{i}@example.com"},
                }
            ).encode()
            req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
                assert r.status == 200, r.status
            return (time.perf_counter() - t) * 1000

        for i in range(20):  # warm-up (connection setup, IAM cache)
            post(-i - 1)
        lat = [post(i) for i in range(n)]
        t = time.monotonic()
        with ThreadPoolExecutor(16) as ex:
            list(ex.map(post, range(n, n + 500)))
        conc = 500 / (time.monotonic() - t)
        return [
            f"gateway queue route {route[1]} over {n} sequential requests: p50 {statistics.median(lat):.1f} ms, "
            f"p90 {_pct(lat, 90):.1f} ms, p99 {_pct(lat, 99):.1f} ms, max {max(lat):.1f} ms",
            f"500 requests from 16 concurrent clients: {conc:.0f} req/s",
        ]
    finally:
        stack.down()


def main(argv: list[str] | None = None) -> int:
    import logging

    ap = argparse.ArgumentParser(
        prog="storefirst bench local",
        description="The local stack: cold start (apply) and warm start (snapshot restore) of `storefirst up`, "
        "the apply's critical path, and the local gateway's latency on a queue route.",
    )
    ap.add_argument("env", nargs="?", default="envs/local", help="root config to start (default: envs/local)")
    ap.add_argument("-n", type=int, default=1000, help="sequential requests of the latency bench (0: skip it)")
    ap.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="terraform -var for the env (envs/local: raise webhook_throttle above 1000/s to bench latency)",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    env_dir = (REPO / args.env).resolve()
    var_args = [a for v in args.var for a in ("--var", v)]

    load = os.getloadavg()[0]
    cold, cold_wall, out = start(args.env, "--fresh", *var_args)
    warm, warm_wall, wout = start(args.env, *var_args)
    print(f"local stack on {args.env} ({os.cpu_count()} cores, load average {load:.1f} at start)")
    print(f"cold start (apply + snapshot): ready in {cold:.1f} s, {cold_wall:.1f} s wall with interpreter start")
    print(
        f"warm start (restore):          ready in {warm:.1f} s, {warm_wall:.1f} s wall with interpreter start"
        + ("" if "restored: inputs unchanged" in wout else "  (NOT restored: see output)")
    )
    print("apply critical path of the cold start (start -> end s from apply start, duration, resource):")
    print("\n".join(critical_path(out)) or "  (none printed)")
    if args.n > 0:
        print("\n".join(latency(env_dir, args.n, dict(v.split("=", 1) for v in args.var))))
    return 0
