"""`storefirst capacity ENV --profile P.yaml [--out DIR] [--fail-on EXPR] [--set K=V]`.

Exit codes: 0 all gates pass; 1 a --fail-on gate failed; 2 the env, profile, price file or
options cannot be used (the message says what is missing).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import advice, envplan, gates, plot, prices, profile, report, simulate, summary

OVERRIDES = {"route_rate": float, "route_burst": float, "maximum_concurrency": int, "retention_s": int}


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="storefirst capacity",
        description="Capacity and cost planner: an env's queue route, read from its offline plan, under a traffic "
        "profile, decoupled (API -> SQS -> worker) beside coupled (API -> Lambda -> table), with advice computed by "
        "re-running the model. Exit 1 when a --fail-on gate fails, 2 when an input cannot be used.",
    )
    ap.add_argument("env", help="env directory, e.g. envs/prod")
    ap.add_argument("--profile", required=True, help="traffic profile YAML (examples/capacity/)")
    ap.add_argument("--route", default=None, help="queue route to model (default: the profile's, POST /webhook)")
    ap.add_argument("--out", help="directory for report.json and capacity.png")
    ap.add_argument("--prices", help="price file overriding storefirst/capacity/prices.yaml")
    ap.add_argument("--fail-on", action="append", default=[], metavar="EXPR", help="e.g. 'lost>0', 'max_age_s>900'")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"what-if override of an env setting: {', '.join(OVERRIDES)}",
    )
    return ap


def _overrides(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, sep, val = item.partition("=")
        if not sep or key not in OVERRIDES:
            raise ValueError(f"--set {item!r}: expected one of {', '.join(OVERRIDES)} as KEY=VALUE")
        out[key] = OVERRIDES[key](val)
    return out


def run(env: envplan.EnvModel, prof: profile.Profile, overrides: dict, price_table: dict) -> dict:
    t0 = time.perf_counter()
    dec = simulate.decoupled(env, prof, **overrides)
    cpl = simulate.coupled(env, prof, **overrides)
    elapsed = time.perf_counter() - t0
    adv = advice.compute(env, prof, overrides, dec)
    rep = report.build(
        env,
        prof,
        overrides,
        summary.decoupled(dec, env, prof, price_table),
        summary.coupled(cpl, env, prof, price_table),
        adv,
        price_table,
        elapsed,
    )
    rep["_runs"] = (dec, cpl)
    return rep


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        overrides = _overrides(args.set)
        for expr in args.fail_on:
            gates.parse(expr)
        prof = profile.load(args.profile)
        price_table = prices.load(args.prices)
        env = envplan.read_env(args.env, route=args.route or prof.route)
        for use in prof.tables:
            env.table(use.table)
    except (ValueError, OSError) as exc:  # EnvUnreadable, ProfileError, PriceError, GateError
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rep = run(env, prof, overrides, price_table)
    dec, cpl = rep.pop("_runs")
    print(report.text(rep))
    if args.out:
        out = Path(args.out)
        print(f"\nreport: {report.write_json(rep, out / 'report.json')}")
        try:
            print(f"plot:   {plot.write(out / 'capacity.png', dec, cpl, env, f'{env.env} {env.route}: {prof.name}')}")
        except plot.PlotUnavailable as exc:
            print(f"plot:   skipped ({exc})", file=sys.stderr)
    try:
        failed = gates.check(rep, args.fail_on)
    except gates.GateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for msg in failed:
        print(f"FAIL {msg}", file=sys.stderr)
    return 1 if failed else 0
