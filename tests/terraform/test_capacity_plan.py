"""Capacity planner on the real envs: the plan reader (envs/dev, envs/prod settings), its
refusals, the CLI's exit codes and the report's JSON shape (issue 11)."""

from __future__ import annotations

import copy
import json

import pytest

from storefirst.capacity import cli, envplan
from storefirst.terraform import REPO, Plan
from test_envs import tfvars

pytestmark = pytest.mark.terraform

SPIKE = REPO / "examples" / "capacity" / "webhook-spike.yaml"


@pytest.fixture(params=["dev", "prod"])
def env_name(request):
    return request.param


def test_plan_reader_reads_the_envs_own_settings(env_name, env_plan):
    plan = env_plan(env_name)
    m = envplan.read(plan, f"envs/{env_name}")
    v = tfvars(env_name)
    assert (m.route_throttle.rate, m.route_throttle.burst) == (v["webhook_throttle"]["rate_limit"], v["webhook_throttle"]["burst_limit"])
    assert m.throttle_source == "route"
    assert m.esm.batch_size == v["worker"]["batch_size"]
    assert m.esm.maximum_concurrency == v["worker"]["maximum_concurrency"]
    assert m.esm.window_s == v["worker"].get("maximum_batching_window_in_seconds", 0)
    assert m.esm.partial_failures
    assert m.worker.timeout_s == v["worker"]["timeout"]
    assert m.worker.memory_mb == v["worker"].get("memory_size", 256)
    # envs/app: visibility = 6 x the worker timeout; default retention 4 days, maxReceiveCount 5.
    assert m.queue.visibility_s == 6 * v["worker"]["timeout"]
    assert m.queue.retention_s == 345600 and m.queue.max_receive_count == 5
    assert m.queue.name == f"{v['name_prefix']}-webhook"
    assert m.queue.age_alarm.threshold == 300 and m.queue.age_alarm.evaluation_periods == 5
    assert m.table("users").billing == "PAY_PER_REQUEST"
    assert m.worker.uses_data_api and m.data_api_throttle.rate == v["data_api_throttle"]["rate_limit"]
    assert {w["type"] for w in m.workflows} == {"STANDARD", "EXPRESS"}
    assert m.region == v["region"]


def test_plan_reader_refuses_and_names_what_is_missing(env_plan):
    raw = env_plan("prod").raw
    with pytest.raises(envplan.EnvUnreadable, match=r"no HTTP API route 'POST /nope'.*POST /webhook"):
        envplan.read(Plan(raw), "envs/prod", route="POST /nope")
    with pytest.raises(envplan.EnvUnreadable, match="'POST /orders' is not a queue route"):
        envplan.read(Plan(raw), "envs/prod", route="POST /orders")
    no_alarm = copy.deepcopy(raw)
    no_alarm["resource_changes"] = [rc for rc in no_alarm["resource_changes"]
                                    if (rc["change"]["after"] or {}).get("metric_name") != "ApproximateAgeOfOldestMessage"]
    with pytest.raises(envplan.EnvUnreadable, match="ApproximateAgeOfOldestMessage alarm"):
        envplan.read(Plan(no_alarm), "envs/prod")
    no_esm = copy.deepcopy(raw)
    no_esm["resource_changes"] = [rc for rc in no_esm["resource_changes"] if rc["type"] != "aws_lambda_event_source_mapping"]
    with pytest.raises(envplan.EnvUnreadable, match="event source mapping draining storefirst-prod-webhook"):
        envplan.read(Plan(no_esm), "envs/prod")
    no_throttle = copy.deepcopy(raw)
    for rc in no_throttle["resource_changes"]:
        if rc["type"] == "aws_apigatewayv2_stage":
            rc["change"]["after"]["route_settings"] = []
            rc["change"]["after"]["default_route_settings"] = []
    with pytest.raises(envplan.EnvUnreadable, match="has no throttle"):
        envplan.read(Plan(no_throttle), "envs/prod")


def test_cli_refuses_a_directory_that_is_not_an_env(tmp_path, capsys):
    assert cli.main([str(tmp_path), "--profile", str(SPIKE)]) == 2
    assert "not an env directory" in capsys.readouterr().err


def test_cli_refuses_a_bad_profile_and_a_bad_gate(tmp_path, capsys, env_plan):
    env_plan("dev")
    bad = tmp_path / "p.yaml"
    bad.write_text("phases: []\n")
    assert cli.main(["envs/dev", "--profile", str(bad)]) == 2
    assert "needs `phases" in capsys.readouterr().err
    assert cli.main(["envs/dev", "--profile", str(SPIKE), "--fail-on", "lost is big"]) == 2
    assert cli.main(["envs/dev", "--profile", str(SPIKE), "--set", "colour=red"]) == 2


def test_cli_gates_exit_codes_and_report_shape(tmp_path, capsys, env_plan):
    env_plan("prod")
    out = tmp_path / "out"
    # The spike on prod as configured: the route throttle (500 rps) protects the queue.
    code = cli.main(["envs/prod", "--profile", str(SPIKE), "--out", str(out), "--fail-on", "lost>0"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "decoupled (API->SQS->worker)" in text and "advice" in text
    rep = json.loads((out / "report.json").read_text())
    assert set(rep) >= {"env", "route", "profile", "settings", "decoupled", "coupled", "advice", "prices", "model"}
    d, c = rep["decoupled"], rep["coupled"]
    for key in ("offered", "accepted", "throttled", "dead_lettered", "lost", "peak_depth", "max_age_s",
                "age_alarm_fires_at_s", "drained_at_s", "peak_concurrency", "peak_wru_per_s",
                "table_throttled_writes", "cost_usd", "monthly_usd", "cost_breakdown_usd"):
        assert key in d, key
    for key in ("failed", "lambda_throttled", "table_failed", "peak_concurrency_needed", "cost_usd"):
        assert key in c, key
    assert d["offered"] == 600 * 10000 + 3600 * 20
    assert d["accepted"] + d["throttled"] == d["offered"]
    assert d["accepted"] == 1000 + 500 * 600 + 3600 * 20     # burst + rate x 600 s, then all of 20 rps
    assert d["lost"] == 0
    assert {a["id"] for a in rep["advice"]} == {"maximum_concurrency", "retention_s", "coupled_route_throttle", "decoupled_route_throttle"}
    assert rep["settings"]["queue"]["retention_s"] == 345600
    # A gate that fails: exit 1, and the message names it.
    code = cli.main(["envs/prod", "--profile", str(SPIKE), "--set", "route_rate=10000", "--set", "route_burst=5000",
                     "--fail-on", "lost>0", "--fail-on", "max_age_s>900"])
    err = capsys.readouterr().err
    assert code == 1 and "max_age_s>900" in err and "lost>0" not in err
    # Retention too short for that backlog: messages are lost, and the gate says so.
    code = cli.main(["envs/prod", "--profile", str(SPIKE), "--set", "route_rate=10000", "--set", "route_burst=5000",
                     "--set", "retention_s=3600", "--fail-on", "lost>0"])
    assert code == 1 and "lost>0" in capsys.readouterr().err
