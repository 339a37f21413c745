"""The RDS Proxy example's connection budget (modules/queue-worker/examples/rds-proxy):
offline plans with good and bad `-var`s, checked against an independent statement of the
rule. Workers x connections per worker must stay within the proxy's share of max_connections,
or the plan fails with the reason. The local stack does not run a database: this is plan-level."""

from __future__ import annotations

import json
import math

import pytest

from storefirst.terraform import OFFLINE_ENV, REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform

EXAMPLE = REPO / "modules" / "queue-worker" / "examples" / "rds-proxy"


def concurrency_limit(max_connections: int, percent: int, per_worker: int, others: int = 0) -> int:
    """The rule, stated without Terraform: RDS Proxy may open percent% of max_connections
    (MaxConnectionsPercent); other clients' share comes off; each worker holds per_worker."""
    pool = max_connections * percent // 100
    return min(1000, max(0, pool - others) // per_worker)


@pytest.mark.parametrize(
    ("args", "limit"),
    [((100, 50, 1), 50), ((100, 50, 3), 16), ((87, 33, 2), 14), ((5000, 100, 1), 1000), ((10, 50, 2), 2)],
)
def test_rule_examples(args, limit):
    assert concurrency_limit(*args) == limit


def _one_line(text: str) -> str:
    return " ".join(line.strip(" │╷╵") for line in text.splitlines()).replace("  ", " ")


@pytest.fixture(scope="module")
def plan(tmp_path_factory, built_zips):
    root = tmp_path_factory.mktemp("rds-proxy")
    wd = Workdir(offline_copy(EXAMPLE, root / "repo"), env=dict(OFFLINE_ENV), data_dir=root / "tfdata")
    wd.init(backend=True)

    def _plan(**variables):
        args = ["plan", "-no-color", "-input=false", "-lock=false", "-out=tfplan"]
        args += [f"-var={k}={v}" for k, v in variables.items()]
        res = wd.run(*args, check=False)
        shown = Plan(json.loads(wd.run("show", "-json", "tfplan").stdout)) if res.returncode == 0 else None
        return res, shown

    return _plan


def _mapping_concurrency(p: Plan) -> int:
    esm = p.by_address("module.worker.aws_lambda_event_source_mapping.this")["change"]["after"]
    return esm["scaling_config"][0]["maximum_concurrency"]


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"db_max_connections": 87, "proxy_max_connections_percent": 33, "connections_per_worker": 2},
        {"db_max_connections": 400, "proxy_max_connections_percent": 75, "connections_per_worker": 3, "other_client_connections": 40},
    ],
    ids=["defaults", "odd-numbers", "with-other-clients"],
)
def test_computed_cap_follows_the_rule(plan, variables):
    res, p = plan(**variables)
    assert res.returncode == 0, res.output
    expected = concurrency_limit(
        variables.get("db_max_connections", 100),
        variables.get("proxy_max_connections_percent", 50),
        variables.get("connections_per_worker", 1),
        variables.get("other_client_connections", 0),
    )
    assert _mapping_concurrency(p) == expected
    # The database enforces the max_connections the budget was computed from.
    params = {x["name"]: x["value"] for x in p.one("aws_db_parameter_group")["change"]["after"]["parameter"]}
    assert params["max_connections"] == str(variables.get("db_max_connections", 100))
    pool = p.one("aws_db_proxy_default_target_group")["change"]["after"]["connection_pool_config"][0]
    assert pool["max_connections_percent"] == variables.get("proxy_max_connections_percent", 50)


def test_explicit_concurrency_within_budget_is_kept(plan):
    res, p = plan(maximum_concurrency=20, connections_per_worker=2)  # 40 <= 50
    assert res.returncode == 0, res.output
    assert _mapping_concurrency(p) == 20


def test_concurrency_over_budget_fails_the_plan(plan):
    # 26 workers x 2 connections = 52 > 50 (100 x 50%).
    res, _ = plan(maximum_concurrency=26, connections_per_worker=2)
    assert res.returncode != 0
    msg = _one_line(res.output)
    assert "maximum_concurrency 26 x connections_per_worker 2 = 52 database connections, above the proxy's budget of 50" in msg
    assert "at most 25" in msg


def test_budget_below_two_workers_fails_the_plan(plan):
    # 10 x 20% = 2 connections; 2 per worker -> 1 worker, below the mapping's minimum of 2.
    res, _ = plan(db_max_connections=10, proxy_max_connections_percent=20, connections_per_worker=2)
    assert res.returncode != 0
    assert "holds 1 worker(s)" in _one_line(res.output)


def test_plan_wires_iam_auth_tls_vpc_and_least_privilege(plan):
    res, p = plan()
    assert res.returncode == 0, res.output
    proxy = p.one("aws_db_proxy")["change"]["after"]
    assert proxy["require_tls"] is True and proxy["engine_family"] == "POSTGRESQL"
    assert [(a["auth_scheme"], a["iam_auth"]) for a in proxy["auth"]] == [("SECRETS", "REQUIRED")]
    fn = p.by_address("module.worker.module.function.aws_lambda_function.this")["change"]["after"]
    assert len(fn["vpc_config"]) == 1  # subnet and group ids are known only after apply
    db = p.one("aws_db_instance")["change"]["after"]
    assert db["publicly_accessible"] is False and db["storage_encrypted"] is True and db["manage_master_user_password"] is True
    # The worker's rds-db:connect ARN is built from the proxy ARN (unknown at plan):
    # its exact form is asserted against a mocked ARN in the queue-worker terraform test.
    assert math.isfinite(_mapping_concurrency(p))


def test_mocked_apply_wires_the_proxy_arn(built_zips):
    """tests/rds_proxy.tftest.hcl of the example: exact rds-db:connect ARN from a mocked proxy ARN."""
    wd = Workdir(EXAMPLE)
    wd.init()
    res = wd.run("test", "-no-color", check=False)
    assert res.returncode == 0, res.output
    assert " 0 failed" in res.output and "1 passed" in res.output, res.output
