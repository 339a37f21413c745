"""modules/workflow planned offline with the real AWS provider schema.

A small fixture root calls the module with the sample order definition and literal,
ARN-shaped integration ARNs (so the policy JSON is known at plan time), then:
- the execution role's integration policy grants exactly the (action, resource) pairs the
  definition's Task states call: nothing missing, nothing extra;
- checkov over the plan (as for env plans) has zero failures: the module's inline skips
  (log-delivery / X-Ray APIs need Resource "*") are honoured in plan scans too;
- rejected inputs fail the plan with the module's own message.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from storefirst import sfn_validate
from storefirst.terraform import REPO, Workdir
from workflow_asl import render, required_actions

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

ACCOUNT, REGION = "123456789012", "eu-west-1"
TABLES = {"orders": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders", "inventory": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/inventory"}
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:fulfilment"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/fulfilment"
ASL = REPO / "modules/workflow/examples/order/order.asl.json"

ROOT_TF = """
variable "type" {
  type    = string
  default = "STANDARD"
}
variable "log_level" {
  type    = string
  default = "ALL"
}
variable "integration_actions" {
  type = object({
    tables    = optional(map(list(string)), {})
    queues    = optional(map(list(string)), {})
    functions = optional(map(list(string)), {})
  })
  default = {
    tables = {
      orders    = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
      inventory = ["dynamodb:UpdateItem"]
    }
  }
}

module "order" {
  source = "../modules/workflow"
  name   = "order"
  type   = var.type
  definition = templatefile("${path.module}/../modules/workflow/examples/order/order.asl.json", {
    orders_table         = "orders"
    inventory_table      = "inventory"
    fulfilment_queue_url = "%(queue_url)s"
    hold_seconds         = 300
    timeout_seconds      = 900
  })
  integrations = {
    tables = { orders = "%(orders)s", inventory = "%(inventory)s" }
    queues = { fulfilment = "%(queue_arn)s" }
  }
  integration_actions = var.integration_actions
  log_level           = var.log_level
  tracing_enabled     = true
  alarm_actions       = ["arn:aws:sns:%(region)s:%(account)s:alerts"]
}
""" % {"queue_url": QUEUE_URL, "orders": TABLES["orders"], "inventory": TABLES["inventory"],
       "queue_arn": QUEUE_ARN, "region": REGION, "account": ACCOUNT}



@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """The fixture root, its provider's `sfn` endpoint on the statelint-backed stub.

    The provider calls ValidateStateMachineDefinition during plan when the definition is
    known (here it is: every ARN is a literal), which needs AWS; see storefirst/sfn_validate.py.
    """
    with sfn_validate.serve() as sfn_url:
        yield _root(tmp_path_factory, sfn_url)


def _root(tmp_path_factory, sfn_url):
    # Dummy credentials come from the environment (a key in the provider block would be
    # checkov CKV_AWS_41); the skip flags keep the provider from calling AWS.
    provider_tf = f"""
provider "aws" {{
  region                      = "{REGION}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    sfn = "{sfn_url}"
  }}
}}
"""
    base = tmp_path_factory.mktemp("workflow-root")
    for module in ("workflow", "internal/metric-alarms"):  # the module and the one it calls
        shutil.copytree(REPO / "modules" / module, base / "modules" / module,
                        ignore=shutil.ignore_patterns(".terraform*", "tests"))
    (base / "root").mkdir()
    (base / "root/main.tf").write_text(ROOT_TF)
    (base / "root/versions.tf").write_text((REPO / "versions.tf").read_text())
    (base / "root/offline.tf").write_text(provider_tf)
    wd = Workdir(base / "root", data_dir=base / "data", env={
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "offline-dummy-secret",
    })
    wd.run("init", "-no-color", "-input=false")
    return wd


def _plan(wd: Workdir, *args: str):
    out = wd.data_dir / "plan.tfplan"
    res = wd.run("plan", "-no-color", "-input=false", "-lock=false", f"-out={out}", *args, check=False)
    if res.returncode != 0:
        return None, " ".join(res.output.replace("│", " ").split())
    return json.loads(wd.run("show", "-json", str(out)).stdout), res.output


@pytest.fixture(scope="module")
def plan(root):
    raw, out = _plan(root)
    assert raw is not None, out
    return raw


def _after(raw, address):
    for rc in raw["resource_changes"]:
        if rc["address"] == address:
            return rc["change"]["after"]
    raise KeyError(address)


def test_policy_grants_exactly_what_the_definition_calls(plan):
    policy = json.loads(_after(plan, "module.order.aws_iam_role_policy.integrations[0]")["policy"])
    granted = {(a, r) for s in policy["Statement"] for a in s["Action"] for r in s["Resource"]}

    target_arn = {"orders": TABLES["orders"], "inventory": TABLES["inventory"], QUEUE_URL: QUEUE_ARN}
    definition = render(ASL, {"orders_table": "orders", "inventory_table": "inventory",
                              "fulfilment_queue_url": QUEUE_URL, "hold_seconds": 300, "timeout_seconds": 900})
    needed = {(action, target_arn[target]) for action, target in required_actions(definition)}

    assert granted == needed
    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in policy["Statement"])


def test_wildcards_only_where_aws_requires_them(plan):
    policy = json.loads(_after(plan, "module.order.aws_iam_role_policy.observability[0]")["policy"])
    assert {s["Sid"] for s in policy["Statement"]} == {"LogDelivery", "XRay"}
    for s in policy["Statement"]:
        assert s["Resource"] == ["*"]
        assert all(a.startswith(("logs:", "xray:")) and "*" not in a for a in s["Action"])
    # Data-plane writes (PutItem, SendMessage, ...) never sit on "*".
    assert not any(a.startswith(("dynamodb:", "sqs:", "lambda:")) for s in policy["Statement"] for a in s["Action"])


def test_state_machine_logging_and_tracing(plan):
    sm = _after(plan, "module.order.aws_sfn_state_machine.this")
    assert sm["type"] == "STANDARD"
    assert sm["logging_configuration"][0]["level"] == "ALL"
    assert sm["logging_configuration"][0]["include_execution_data"] is False
    assert sm["tracing_configuration"] == [{"enabled": True}]
    assert json.loads(sm["definition"])["StartAt"] == "RecordOrder"
    lg = _after(plan, "module.order.aws_cloudwatch_log_group.this[0]")
    assert lg["name"] == "/aws/vendedlogs/states/order" and lg["retention_in_days"] == 30


def test_alarms_use_the_metrics_aws_publishes(plan):
    alarms = {rc["change"]["after"]["metric_name"]: rc["change"]["after"]
              for rc in plan["resource_changes"] if rc["type"] == "aws_cloudwatch_metric_alarm"}
    assert set(alarms) == {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"}
    for a in alarms.values():
        assert a["namespace"] == "AWS/States"
        assert a["treat_missing_data"] == "notBreaching"
        assert a["alarm_actions"] == [f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"] == a["ok_actions"]
    # The dimension is the state machine's ARN (known after apply), passed to the internal
    # metric-alarms module with the alarms.
    alarms_call = plan["configuration"]["root_module"]["module_calls"]["order"]["module"]["module_calls"]["alarms"]
    assert alarms_call["source"] == "../internal/metric-alarms"
    refs = alarms_call["expressions"]["alarms"]["references"]
    assert "aws_sfn_state_machine.this.arn" in refs


def test_checkov_plan_scan_passes(plan, tmp_path, checkov_enrichment_root):
    out = tmp_path / "plan.json"
    out.write_text(json.dumps(plan))
    proc = subprocess.run(
        [sys.executable, "-m", "checkov.main", "--compact", "--skip-download", "--output", "json",
         "-f", str(out), "--framework", "terraform_plan", "--repo-root-for-plan-enrichment", str(checkov_enrichment_root)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    report = json.loads(proc.stdout)
    report = report[0] if isinstance(report, list) else report
    results = report.get("results", {})
    failed = [f"{c['check_id']} {c['resource']}" for c in results.get("failed_checks", [])]
    assert failed == []
    skipped = {c["check_id"] for c in results.get("skipped_checks", [])}
    # Exactly the module's inline, reasoned skips (log group CMK and 1-year retention,
    # execution data kept out of logs); the "*" log-delivery / X-Ray statements pass as is.
    assert skipped == {"CKV_AWS_158", "CKV_AWS_338", "CKV_AWS_285"}, skipped
    passed = {(c["check_id"], c["resource"]) for c in results.get("passed_checks", [])}
    assert ("CKV_AWS_355", "module.order.aws_iam_role_policy.observability[0]") in passed


# Terraform reports every failing variable validation in one plan, and every failing
# precondition of a resource in one plan: two plans cover four messages.
@pytest.mark.parametrize("args, messages", [
    (["-var=log_level=DEBUG", '-var=integration_actions={tables={orders=["dynamodb:*"]}}'], [
        "var.log_level must be one of ALL, ERROR, FATAL, OFF.",
        "var.integration_actions: every action must be in its kind's allow-list",
    ]),
    (["-var=type=EXPRESS", "-var=log_level=OFF", '-var=integration_actions={tables={ghost=["dynamodb:GetItem"]}}'], [
        'log_level = "OFF" is not allowed with type = "EXPRESS"',
        "var.integration_actions names integrations that var.integrations does not declare: tables.ghost.",
    ]),
], ids=["variable-validations", "preconditions"])
def test_rejected_inputs_say_why(root, args, messages):
    raw, out = _plan(root, *args)
    assert raw is None, "plan should have failed"
    for message in messages:
        assert message in out, out
