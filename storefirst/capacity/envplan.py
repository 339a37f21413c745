"""Read what the planner needs from an env's own offline plan (storefirst.terraform.plan_env).

For one queue route: its throttle (route setting, else the stage default), the queue it writes
to (retention, visibility timeout, maxReceiveCount, age/depth alarms from the plan's alarms),
the event source mapping draining it (batch size, window, maximum_concurrency, partial batch
failures), the worker function (timeout, memory, reserved concurrency, architecture), the
tables (billing mode, provisioned units), a data API in between (REST stage throttle) and the
env's workflows. Anything missing is refused by name (EnvUnreadable), never defaulted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefirst.terraform import Plan


class EnvUnreadable(ValueError):
    """The plan lacks something the model needs; the message names it."""


@dataclass
class Bucket:
    rate: float
    burst: float


@dataclass
class Alarm:
    threshold: float
    period_s: int
    evaluation_periods: int


@dataclass
class QueueCfg:
    name: str
    retention_s: int
    visibility_s: int
    max_receive_count: int | None
    fifo: bool
    age_alarm: Alarm  # read() refuses an env whose queue has none
    depth_alarm: Alarm | None


@dataclass
class EsmCfg:
    batch_size: int
    window_s: int
    maximum_concurrency: int | None
    partial_failures: bool


@dataclass
class FunctionCfg:
    name: str
    timeout_s: int
    memory_mb: int
    reserved: int | None  # None: draws from the unreserved account pool
    arch: str
    uses_data_api: bool


@dataclass
class TableCfg:
    name: str
    billing: str  # PAY_PER_REQUEST | PROVISIONED
    wcu: float | None
    rcu: float | None


@dataclass
class EnvModel:
    env: str
    region: str | None
    route: str
    route_throttle: Bucket
    throttle_source: str  # "route" | "stage default"
    queue: QueueCfg
    esm: EsmCfg
    worker: FunctionCfg
    tables: list[TableCfg]
    data_api_throttle: Bucket | None
    workflows: list[dict[str, Any]] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)

    def table(self, part: str) -> TableCfg:
        hits = [t for t in self.tables if part in t.name]
        if len(hits) != 1:
            raise EnvUnreadable(
                f"profile table {part!r} matches {len(hits)} tables of {self.env} "
                f"({', '.join(t.name for t in self.tables) or 'none'}); name one exactly"
            )
        return hits[0]


def _one(items: list[dict[str, Any]], what: str, env: str) -> dict[str, Any]:
    if len(items) != 1:
        raise EnvUnreadable(f"{env}: expected one {what} in the plan, found {len(items)}")
    return items[0]


def _bucket(settings: dict[str, Any] | None) -> Bucket | None:
    if not settings:
        return None
    rate, burst = settings.get("throttling_rate_limit"), settings.get("throttling_burst_limit")
    if rate is None or burst is None:
        return None
    return Bucket(float(rate), float(burst))


def _alarms(plan: Plan, queue_name: str) -> dict[str, Alarm]:
    out = {}
    for a in plan.after("aws_cloudwatch_metric_alarm"):
        if a.get("namespace") != "AWS/SQS" or (a.get("dimensions") or {}).get("QueueName") != queue_name:
            continue
        out[a["metric_name"]] = Alarm(float(a["threshold"]), int(a["period"]), int(a["evaluation_periods"]))
    return out


def _region(plan: Plan) -> str | None:
    """The env's `region` variable as planned (prices differ per Region)."""
    return ((plan.raw.get("variables") or {}).get("region") or {}).get("value")


def read(plan: Plan, env: str, route: str = "POST /webhook", env_dir: Path | None = None) -> EnvModel:
    routes = [r["route_key"] for r in plan.after("aws_apigatewayv2_route")]
    if route not in routes:
        raise EnvUnreadable(
            f"{env}: no HTTP API route {route!r} in the plan (routes: {', '.join(sorted(routes)) or 'none'})"
        )
    integ = [rc for rc in plan.changes("aws_apigatewayv2_integration") if rc.get("index") == route]
    integ_after = _one(integ, f"integration for route {route!r}", env)["change"]["after"]
    if integ_after.get("integration_subtype") != "SQS-SendMessage":
        raise EnvUnreadable(
            f"{env}: route {route!r} is not a queue route (integration "
            f"{integ_after.get('integration_subtype') or integ_after.get('integration_type')}); "
            "the planner models queue routes (the coupled path is simulated beside them)"
        )
    # The module's description says "queue route <key> -> <queue key>" (modules/http-api).
    m = re.search(r"-> (\S+)$", integ_after.get("description") or "")
    if not m:
        raise EnvUnreadable(f"{env}: integration of {route!r} does not name its queue (description)")
    target = m.group(1)

    stage = _one(plan.after("aws_apigatewayv2_stage"), "HTTP API stage", env)
    per_route = {s["route_key"]: s for s in stage.get("route_settings") or []}
    throttle, source = _bucket(per_route.get(route)), "route"
    if throttle is None:
        throttle, source = _bucket((stage.get("default_route_settings") or [None])[0]), "stage default"
    if throttle is None:
        raise EnvUnreadable(
            f"{env}: route {route!r} has no throttle (neither route_settings nor "
            "default_route_settings set throttling_rate_limit and throttling_burst_limit)"
        )

    queues = [rc for rc in plan.changes("aws_sqs_queue") if rc["name"] == "this"]
    mine = [
        rc
        for rc in queues
        if (rc.get("module_address") or "").split(".")[-1] == f"{target}_queue"
        or rc["change"]["after"].get("name", "").endswith(f"-{target}")
    ]
    q_rc = _one(mine, f"queue for target {target!r} (module {target}_queue)", env)
    q = q_rc["change"]["after"]
    redrive = [
        rc["change"]["after"]
        for rc in plan.changes("aws_sqs_queue_redrive_policy")
        if rc.get("module_address") == q_rc.get("module_address")
    ]
    max_rc = None
    policy = q.get("redrive_policy") or (redrive[0].get("redrive_policy") if redrive else None)
    if policy and "maxReceiveCount" in policy:
        max_rc = int(json.loads(policy)["maxReceiveCount"])
    else:
        # The DLQ's ARN is unknown offline, so the provider marks the policy unknown: read the
        # configuration's own expression instead (modules/queue jsonencodes var.max_receive_count).
        max_rc = _config_max_receive(plan, q_rc)
    if max_rc is None:
        raise EnvUnreadable(f"{env}: queue {q['name']} has no readable redrive policy (maxReceiveCount)")
    alarms = _alarms(plan, q["name"])
    age_alarm = alarms.get("ApproximateAgeOfOldestMessage")
    if age_alarm is None:
        raise EnvUnreadable(f"{env}: queue {q['name']} has no ApproximateAgeOfOldestMessage alarm in the plan")
    queue = QueueCfg(
        q["name"],
        int(q["message_retention_seconds"]),
        int(q["visibility_timeout_seconds"]),
        max_rc,
        bool(q.get("fifo_queue")),
        age_alarm,
        alarms.get("ApproximateNumberOfMessagesVisible"),
    )

    # The mapping draining it: the worker module named after the same target.
    esms = plan.changes("aws_lambda_event_source_mapping")
    mine = [rc for rc in esms if (rc.get("module_address") or "").split(".")[-1].startswith(target)] or (
        esms if len(esms) == 1 else []
    )
    e_rc = _one(mine, f"event source mapping draining {q['name']}", env)
    e = e_rc["change"]["after"]
    scaling = (e.get("scaling_config") or [{}])[0] or {}
    esm = EsmCfg(
        int(e.get("batch_size") or 10),
        int(e.get("maximum_batching_window_in_seconds") or 0),
        scaling.get("maximum_concurrency"),
        "ReportBatchItemFailures" in (e.get("function_response_types") or []),
    )

    fn_mod = e_rc["module_address"]
    fns = [rc for rc in plan.changes("aws_lambda_function") if (rc.get("module_address") or "").startswith(fn_mod)]
    f_rc = _one(fns, f"worker function under {fn_mod}", env)
    f = f_rc["change"]["after"]
    env_vars = ((f.get("environment") or [{}])[0] or {}).get("variables") or {}
    uses_api = _uses_data_api(plan, env_vars, f_rc)
    reserved = f.get("reserved_concurrent_executions")
    worker = FunctionCfg(
        f["function_name"],
        int(f["timeout"]),
        int(f["memory_size"]),
        None if reserved in (None, -1) else int(reserved),
        (f.get("architectures") or ["x86_64"])[0],
        uses_api,
    )

    tables = [
        TableCfg(t["name"], t.get("billing_mode") or "PROVISIONED", t.get("write_capacity"), t.get("read_capacity"))
        for t in plan.after("aws_dynamodb_table")
    ]
    data_api = None
    ms = plan.after("aws_api_gateway_method_settings")
    if worker.uses_data_api:
        if not ms:
            raise EnvUnreadable(
                f"{env}: the worker calls a data API but the plan has no aws_api_gateway_method_settings (its throttle)"
            )
        data_api = _bucket((ms[0].get("settings") or [None])[0])
    workflows = [{"name": s["name"], "type": s.get("type")} for s in plan.after("aws_sfn_state_machine")]
    return EnvModel(
        env, _region(plan), route, throttle, source, queue, esm, worker, tables, data_api, workflows, sorted(routes)
    )


def _uses_data_api(plan: Plan, env_vars: dict[str, Any], f_rc: dict[str, Any]) -> bool:
    """Does the worker write through the data API? Its DATA_API_URL when the plan knows it;
    while the environment is unknown (it holds ARNs), the env's `worker_uses_data_api`
    variable, else whether the env has a REST data API at all (the cautious answer)."""
    if "DATA_API_URL" in env_vars:
        return bool(env_vars["DATA_API_URL"])
    unknown = (f_rc["change"].get("after_unknown") or {}).get("environment")
    if not unknown:
        return False
    flag = ((plan.raw.get("variables") or {}).get("worker_uses_data_api") or {}).get("value")
    if flag is not None:
        return bool(flag)
    return bool(plan.after("aws_api_gateway_method_settings"))


def _config_max_receive(plan: Plan, q_rc: dict[str, Any]) -> int | None:
    """maxReceiveCount from the module call's input when the plan shows the policy unknown."""
    try:
        cfg = plan.config_resource(q_rc["address"])
    except KeyError:
        return None
    text = json.dumps(cfg.get("expressions", {}).get("redrive_policy", {}))
    if "var.max_receive_count" not in text:
        return None
    # Walk the module calls to the queue module's max_receive_count argument, then resolve it.
    parts = q_rc["address"].split(".")
    mod = plan.raw["configuration"]["root_module"]
    calls = []
    i = 0
    while i < len(parts) and parts[i] == "module":
        calls.append(parts[i + 1].split("[")[0])
        i += 2
    chain = [mod]
    for c in calls:
        chain.append(chain[-1]["module_calls"][c]["module"])
    expr = chain[-2]["module_calls"][calls[-1]].get("expressions", {}).get("max_receive_count")
    if expr is None:  # not passed: the queue module's own default
        default = chain[-1].get("variables", {}).get("max_receive_count", {}).get("default")
        return None if default is None else int(default)
    return _resolve(plan, expr, chain[:-1], calls[:-1])


def _resolve(plan: Plan, expr: dict[str, Any] | None, chain: list[dict[str, Any]], calls: list[str]) -> int | None:
    if not expr:
        return None
    if "constant_value" in expr:
        return int(expr["constant_value"])
    refs = [r for r in expr.get("references", []) if r.startswith("var.")]
    if not refs or not calls:
        return None
    var = refs[0].split(".")[1]
    parent = chain[-2]["module_calls"][calls[-1]]
    sub = parent.get("expressions", {}).get(var)
    if sub is None:
        default = chain[-1].get("variables", {}).get(var, {}).get("default")
        return None if default is None else int(default)
    return _resolve(plan, sub, chain[:-1], calls[:-1])


def read_env(env_dir: str | Path, route: str = "POST /webhook", **variables: Any) -> EnvModel:
    """Plan the env offline (cached) and read it."""
    from storefirst.terraform import REPO, TerraformError, plan_env

    path = Path(env_dir)
    full = path if path.is_absolute() else (REPO / path)
    if not full.is_dir() or not any(full.glob("*.tf")):
        raise EnvUnreadable(f"{env_dir}: not an env directory (no *.tf files)")
    try:
        plan = plan_env(full, **variables)
    except TerraformError as exc:
        raise EnvUnreadable(f"{env_dir}: the offline plan failed:\n{str(exc)[-2000:]}") from None
    return read(plan, str(env_dir), route, full)
