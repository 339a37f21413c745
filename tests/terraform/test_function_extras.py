"""modules/function cold-start, secrets and internal-API inputs, as a user sees them: offline
plans of examples/internal-api (no credentials) with good and bad `-var`s. The native
`terraform test` file covers attribute wiring with mocks; these cover the plan and the
module's own error messages on the command line."""

from __future__ import annotations

import json

import pytest

from storefirst.terraform import OFFLINE_ENV, REPO, Plan, Workdir, offline_copy

pytestmark = pytest.mark.terraform

EXAMPLE = REPO / "modules" / "function" / "examples" / "internal-api"


def _one_line(text: str) -> str:
    return " ".join(line.strip(" │╷╵") for line in text.splitlines()).replace("  ", " ")


@pytest.fixture(scope="module")
def example(tmp_path_factory, built_zips):
    root = tmp_path_factory.mktemp("fn-internal-api")
    wd = Workdir(offline_copy(EXAMPLE, root / "repo"), env=dict(OFFLINE_ENV), data_dir=root / "tfdata")
    wd.init(backend=True)

    def plan(**variables):
        args = ["plan", "-no-color", "-input=false", "-lock=false", "-out=tfplan"]
        args += [f"-var={k}={v}" for k, v in variables.items()]
        res = wd.run(*args, check=False)
        shown = Plan(json.loads(wd.run("show", "-json", "tfplan").stdout)) if res.returncode == 0 else None
        return res, shown

    return plan


def test_default_plan_snapstart_alias_secrets(example):
    res, plan = example()
    assert res.returncode == 0, res.output
    pricing = plan.by_address("module.pricing.aws_lambda_function.this")["change"]["after"]
    assert pricing["publish"] is True and pricing["snap_start"] == [{"apply_on": "PublishedVersions"}]
    alias = plan.by_address("module.pricing.aws_lambda_alias.this[0]")["change"]["after"]
    assert alias["name"] == "live" and alias["function_name"] == "storefirst-example-internal-pricing"
    assert not plan.changes("aws_lambda_provisioned_concurrency_config")

    users = plan.by_address("module.users_api.aws_lambda_function.this")["change"]["after"]
    env = users["environment"][0]["variables"]
    assert env["SECRET_API_KEY_ARN"] == "arn:aws:ssm:eu-west-1:123456789012:parameter/storefirst-example/users-api-key"
    assert users["publish"] is False and not plan.changes("aws_lambda_alias", module="module.users_api")
    # The role policy embeds the log group ARN, unknown until apply: its statements are
    # asserted exactly in modules/function/tests/function.tftest.hcl (mocked ARNs).


def test_provisioned_concurrency_plan(example):
    res, plan = example(snap_start="false", provisioned_concurrency=2, reserved_concurrency=5)
    assert res.returncode == 0, res.output
    pc = plan.by_address("module.pricing.aws_lambda_provisioned_concurrency_config.this[0]")["change"]["after"]
    assert pc["qualifier"] == "live" and pc["provisioned_concurrent_executions"] == 2
    fn = plan.by_address("module.pricing.aws_lambda_function.this")["change"]["after"]
    assert fn["publish"] is True and fn["snap_start"] == [] and fn["reserved_concurrent_executions"] == 5


@pytest.mark.parametrize("variables, message", [
    ({"provisioned_concurrency": 2},
     "snap_start and provisioned_concurrency exclude each other (SnapStart does not support provisioned concurrency)"),
    ({"snap_start": "false", "provisioned_concurrency": 5, "reserved_concurrency": 4},
     "provisioned_concurrency (5) cannot exceed reserved_concurrency (4)."),
    ({"api_key_parameter_arn": "/storefirst-example/users-api-key"},
     "secrets: each value must be an SSM parameter ARN"),
    ({"api_key_parameter_arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:users-api-key"},
     "complete Secrets Manager secret ARN"),
    ({"provisioned_concurrency": -1}, "provisioned_concurrency must be a whole number >= 0"),
])
def test_refusals_carry_the_module_message(example, variables, message):
    res, _ = example(**variables)
    assert res.returncode != 0
    assert message in _one_line(res.output), res.output
