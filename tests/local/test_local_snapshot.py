"""Unit tests of the warm-start pieces (no Terraform): the apply -json reader's progress and
critical path, the inputs digest's change messages, and a moto state round trip through the
snapshot pickler (locks, weak dicts, lambda-factory defaultdicts and KMS keys included)."""

from __future__ import annotations

import io
import json
import time
import zipfile

from storefirst.local import snapshot
from storefirst.local.applylog import ApplyLog, config_address


def _hook(kind: str, addr: str) -> str:
    return json.dumps({"type": kind, "hook": {"resource": {"addr": addr}, "action": "create"}})


def test_critical_path_follows_the_dependency_that_finished_last(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    log = ApplyLog(t0=100.0)
    dlq, q, pol, alarm = ("module.q.aws_sqs_queue.dlq", "module.q.aws_sqs_queue.this",
                          "module.q.aws_sqs_queue_policy.dlq", "module.q.aws_cloudwatch_metric_alarm.age[0]")
    for t, line in [(0, json.dumps({"type": "planned_change", "change": {"resource": {"addr": dlq}, "action": "create"}})),
                    (0, json.dumps({"type": "planned_change", "change": {"resource": {"addr": "data.aws_region.x"}, "action": "read"}})),
                    (1, _hook("apply_start", dlq)), (1, _hook("apply_start", alarm)), (2, _hook("apply_complete", alarm)),
                    (26, _hook("apply_complete", dlq)), (26, _hook("apply_start", q)), (26, _hook("apply_start", pol)),
                    (50, _hook("apply_complete", pol)), (52, _hook("apply_complete", q))]:
        clock[0] = 100.0 + t
        log.feed(line)
    deps = {q: ["module.q.aws_sqs_queue.dlq"], pol: ["module.q.aws_sqs_queue.dlq"], alarm: [], dlq: []}
    path = [p["address"] for p in log.critical_path(deps)]
    assert path == [dlq, q]
    assert log.durations()[dlq] == 25
    assert "4/4" in log.progress() or "4/" in log.progress()
    assert config_address('module.a["x"].aws_b.c[0]') == "module.a.aws_b.c"


def test_progress_names_what_the_apply_waits_on(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    lines: list[str] = []
    log = ApplyLog(report=lines.append, every=5, t0=0.0)
    clock[0] = 5
    log.tick()
    assert "plan" in lines[-1]  # nothing started yet: it says it is planning, not silent
    clock[0] = 6
    log.feed(_hook("apply_start", "module.app.module.webhook_queue.aws_sqs_queue.dlq"))
    clock[0] = 12
    log.tick()
    assert "waiting on webhook_queue.aws_sqs_queue.dlq (6 s)" in lines[-1], lines


def test_changed_names_the_file_and_decide_explains(tmp_path):
    old = {"modules/queue/main.tf": "a", "variables": "v", "build/x.zip": "z"}
    new = {"modules/queue/main.tf": "b", "variables": "v", "build/y.zip": "y"}
    assert snapshot.changed(old, new) == ["modules/queue/main.tf changed", "build/y.zip added", "build/x.zip removed"]
    snap = snapshot.Snapshot(tmp_path / "s")
    assert snap.decide(new) == (False, "no snapshot of a previous successful start")
    (tmp_path / "s").mkdir()
    snap.meta_path.write_text(json.dumps({"format": snapshot.FORMAT, "inputs": old, "port": 1, "outputs": {}}))
    restore, why = snap.decide(new)
    assert not restore and why.startswith("modules/queue/main.tf changed")
    snap.meta_path.write_text(json.dumps({"format": snapshot.FORMAT, "inputs": new, "port": 1, "outputs": {}}))
    assert snap.decide(new) == (False, "snapshot incomplete")
    (tmp_path / "s" / "backends.pickle").write_bytes(b"x")
    (tmp_path / "s" / "terraform.tfstate").write_text("{}")
    assert snap.decide(new) == (True, "inputs unchanged")


ROUND_TRIP = r"""
import io, json, zipfile
from storefirst.local import snapshot
from storefirst.local.emulator import Emulator

emulator = Emulator().start()
sqs, lam, kms = emulator.client("sqs"), emulator.client("lambda"), emulator.client("kms")
url = sqs.create_queue(QueueName="snap-q")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
role = emulator.client("iam").create_role(RoleName="snap-r", AssumeRolePolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                               "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as zf:
    zf.writestr("h.py", "def h(e, c):\n    return 1\n")
lam.create_function(FunctionName="snap-f", Runtime="python3.12", Role=role, Handler="h.h", Code={"ZipFile": buf.getvalue()})
esm = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="snap-f")["UUID"]
key = kms.create_key()["KeyMetadata"]["KeyId"]
blob = snapshot.dump_backends()
emulator.reset()
assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix="snap-")
snapshot.load_backends(blob)
assert sqs.list_queues(QueueNamePrefix="snap-")["QueueUrls"] == [url]
assert [m["UUID"] for m in lam.list_event_source_mappings(FunctionName="snap-f")["EventSourceMappings"]] == [esm]
assert kms.encrypt(KeyId=key, Plaintext=b"x")["KeyId"].endswith(key)  # the key material came back
sqs.send_message(QueueUrl=url, MessageBody="after")  # restored locks work
assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "after"
emulator.stop()
print("round trip ok")
"""


def test_moto_state_round_trips_with_the_same_ids():
    # In a subprocess: a restore replaces the whole process's moto state (the session
    # emulator of this worker serves other tests).
    import os
    import subprocess
    import sys

    from storefirst.terraform import REPO

    res = subprocess.run([sys.executable, "-c", ROUND_TRIP], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert res.returncode == 0 and "round trip ok" in res.stdout, res.stdout + res.stderr
