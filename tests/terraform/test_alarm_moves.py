"""Alarms moved from one count-based resource each to one for_each resource per module, then
(issue 12 again) from that resource into the shared modules/internal/metric-alarms module:
the `moved` blocks must carry a deployed alarm to its new address, with no destroy/create.
Applied for real (the AWS provider against moto) with the modules as they were, then
planned with the modules as they are."""

from __future__ import annotations

import json
import socket
import subprocess
import tarfile
from io import BytesIO

import pytest

from storefirst.terraform import REPO, Workdir

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

# The last commit whose modules declared each alarm as its own count-based resource.
OLD_REV = "2bd34a4"
# The last commit whose modules declared `aws_cloudwatch_metric_alarm.this` themselves.
FOR_EACH_REV = "a7d2e98"
# http-api has all three forms an alarm takes here: metric math (5xx rate), a plain
# statistic (5xx count) and an extended statistic (p99). The other modules' moved blocks are
# the same `from = <name>[0]`, `to = this["<key>"]` form, checked by `terraform validate`.
MODULES = ("http-api",)

PROVIDER = """
variable "endpoint" {{ type = string }}
provider "aws" {{
  region                      = "eu-west-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    apigatewayv2 = var.endpoint
    cloudwatch   = var.endpoint
    iam          = var.endpoint
    logs         = var.endpoint
    sts          = var.endpoint
    sqs          = var.endpoint
    dynamodb     = var.endpoint
    kms          = var.endpoint
  }}
}}
"""

ROOT = PROVIDER + """
module "api" {{
  source = "{modules}/http-api"
  name   = "moves"
  routes = {{ "POST /jobs" = {{ kind = "queue", target = "jobs" }} }}
  queues = {{ jobs = {{ arn = "arn:aws:sqs:eu-west-1:123456789012:jobs", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" }} }}
}}
module "api_count" {{
  source                  = "{modules}/http-api"
  name                    = "moves-count"
  server_error_alarm_mode = "count"
  routes                  = {{ "POST /jobs" = {{ kind = "queue", target = "jobs" }} }}
  queues                  = {{ jobs = {{ arn = "arn:aws:sqs:eu-west-1:123456789012:jobs", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" }} }}
}}
"""

# Old address -> new address, per module call: the count-based address follows both moves
# (to this["<key>"], then into module.alarms) in one plan.
MOVES = {
    "module.api.aws_cloudwatch_metric_alarm.server_errors_rate[0]": 'module.api.module.alarms.aws_cloudwatch_metric_alarm.this["server_errors_rate"]',
    "module.api.aws_cloudwatch_metric_alarm.latency_p99[0]": 'module.api.module.alarms.aws_cloudwatch_metric_alarm.this["latency_p99"]',
    "module.api_count.aws_cloudwatch_metric_alarm.server_errors_count[0]": 'module.api_count.module.alarms.aws_cloudwatch_metric_alarm.this["server_errors_count"]',
    "module.api_count.aws_cloudwatch_metric_alarm.latency_p99[0]": 'module.api_count.module.alarms.aws_cloudwatch_metric_alarm.this["latency_p99"]',
}

# From FOR_EACH_REV: the three shapes of alarm (single metric with a statistic or an extended
# statistic, metric math over metrics with their own dimensions or the alarm's) in two modules
# moto deploys in seconds (its SQS queue policies keep the provider waiting for minutes).
# queue, function, workflow and front-door carry the same one `moved` block
# (aws_cloudwatch_metric_alarm.this to module.alarms...), checked by `terraform validate`.
FOR_EACH_MODULES = ("http-api", "table")

FOR_EACH_ROOT = ROOT + """
module "table" {{
  source              = "{modules}/table"
  name                = "moves"
  hash_key            = "pk"
  attributes          = [{{ name = "pk", type = "S" }}]
  deletion_protection = false
}}
"""

INTO_SUBMODULE = {
    f"module.{call}.aws_cloudwatch_metric_alarm.this[\"{key}\"]": f"module.{call}.module.alarms.aws_cloudwatch_metric_alarm.this[\"{key}\"]"
    for call, key in [("api", "server_errors_rate"), ("api", "latency_p99"), ("api_count", "server_errors_count"),
                      ("api_count", "latency_p99"), ("table", "throttles"), ("table", "system_errors")]
}


def _old_modules(dest, rev, modules):
    try:
        data = subprocess.run(["git", "archive", rev, *[f"modules/{m}" for m in modules]],
                              cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"git history with {rev} is not available")
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "modules"


def test_deployed_alarms_move_to_their_for_each_keys_without_replacement(tmp_path):
    _apply_old_then_plan_new(tmp_path, OLD_REV, MODULES, ROOT, MOVES)


def test_deployed_alarms_move_into_the_metric_alarms_module_without_replacement(tmp_path):
    _apply_old_then_plan_new(tmp_path, FOR_EACH_REV, FOR_EACH_MODULES, FOR_EACH_ROOT, INTO_SUBMODULE)


def _apply_old_then_plan_new(tmp_path, rev, modules, root_tf, moves):
    from moto.server import ThreadedMotoServer

    old_modules = _old_modules(tmp_path / "old", rev, modules)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    var = f"-var=endpoint=http://127.0.0.1:{port}"
    root = tmp_path / "root"
    root.mkdir()
    # Local paths, as a user's root has: an absolute source would make each module a package
    # of its own, out of which `../internal/metric-alarms` may not reach.
    (root / "old_modules").symlink_to(old_modules)
    (root / "modules").symlink_to(REPO / "modules")
    main = root / "main.tf"
    wd = Workdir(root, data_dir=tmp_path / "data")
    try:
        main.write_text(root_tf.format(modules="./old_modules"))
        wd.run("init", "-no-color", "-input=false")
        wd.run("apply", "-auto-approve", "-no-color", "-input=false", var)
        state = json.loads(wd.run("show", "-json").stdout)
        deployed = {r["address"] for m in state["values"]["root_module"]["child_modules"] for r in m["resources"]
                    if r["type"] == "aws_cloudwatch_metric_alarm"}
        assert deployed == set(moves), deployed

        main.write_text(root_tf.format(modules="./modules"))
        wd.run("init", "-no-color", "-input=false")
        wd.run("plan", "-no-color", "-input=false", "-out=tfplan", var)
        plan = json.loads(wd.run("show", "-json", "tfplan").stdout)
        alarms = {rc["address"]: rc for rc in plan["resource_changes"] if rc["type"] == "aws_cloudwatch_metric_alarm"}
        assert set(alarms) == set(moves.values())
        for old, new in moves.items():
            assert alarms[new].get("previous_address") == old, alarms[new]
            assert alarms[new]["change"]["actions"] == ["no-op"], (new, alarms[new]["change"]["actions"])
    finally:
        # Clean-up, not a check: moto's backends are process-wide, so what this test leaves
        # would still be there for the next moto server in this xdist worker (same names).
        wd.run("destroy", "-auto-approve", "-no-color", "-input=false", var, check=False)
        server.stop()
