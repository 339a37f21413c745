"""An embedded AWS emulator: moto's ThreadedMotoServer in this process, on 127.0.0.1.

moto keeps its state in process-wide backends: every Emulator in one process serves the same
state (`storefirst up` is one process per run, so each run starts fresh; tests share
one session emulator and each Stack serves only the APIs/mappings its own Terraform state made).

moto runs in-process so that three narrow adjustments can be made to it, all documented here:

1. moto's own SQS -> Lambda delivery is switched off. moto registers each SQS event source
   mapping on the queue object and invokes the function *synchronously inside SendMessage*,
   one record per event, ignoring `batchItemFailures` (and, without Docker, never running the
   code). `Queue.lambda_event_source_mappings` is replaced by a property whose dict never
   keeps anything, so SendMessage sees no mapping. The mapping itself stays in the Lambda
   backend: `ListEventSourceMappings` returns it and `storefirst.local.esm` runs it.
   (There is no moto config switch for this in 5.2.5: `/moto-api/config` only knows
   batch/lambda `use_docker`, core, iam, stepfunctions, iot.)
2. `states:ValidateStateMachineDefinition` is supplied. Provider 5.x calls it before
   creating an `aws_sfn_state_machine` and retries until it succeeds; moto 5.2.5 has no such
   action. The shim parses the definition and answers like the service
   (`{"result": "OK"|"FAIL", "diagnostics": [...]}`, see the API reference page
   "ValidateStateMachineDefinition"); it checks JSON, StartAt and States, not the full ASL.
3. SQS message operations are serialized per queue. moto 5.2.5's ReceiveMessage is not safe
   with concurrent receivers on one queue (two receivers can take the same message, and the
   DLQ move fails with `ValueError: list.remove(x)` -> HTTP 500). Real SQS has many
   concurrent pollers per queue (Lambda's among them), so ReceiveMessage/DeleteMessage(Batch)/
   ChangeMessageVisibility run under a per-queue lock; long polling waits *outside* the lock.
4. Lambda layers owned by another account (AWS's public Powertools layer, which the function
   module attaches by ARN) are accepted, as AWS accepts them; moto only knows layers published
   in the function's own account. Locally the layer's packages come from this venv.
5. `lambda:Invoke` runs the real handler through storefirst.local.runtime once a Stack sets
   `invoke_hook` (moto without Docker would return a canned "happy path" string).
6. PartiQL ExecuteStatement for the shapes modules/data-api generates (INSERT with `?`,
   quoted projections, index SELECTs, UPDATE/DELETE ... RETURNING) runs in
   storefirst.local.partiql_shim with DynamoDB's semantics; moto 5.2.5 fails on each of them.
7. SQS SendMessage(Batch) validates messages as SQS does where moto is more lenient (empty
   attribute values, attribute names, body characters, size against the queue's
   MaximumMessageSize): storefirst.local.sqs_strict.
8. Creating a Lambda function or a state machine checks that the service can assume the role
   (trust policy, with the context that service sends), as CreateFunction /
   CreateStateMachine do on AWS: storefirst.local.trust_shim.
9. S3 event notifications to SQS are validated and delivered as S3 does (queue policy for
   s3.amazonaws.com, s3:TestEvent on configuration): storefirst.local.s3_notify.
10. EventBridge rule targets that are SQS queues receive events only when the queue policy
   allows events.amazonaws.com for that rule: storefirst.local.events_delivery.
11. S3 bucket policies are evaluated with their conditions, for TLS clients (moto ignores
   conditions, so a TLS-only Deny denied everything): storefirst.local.s3_policy.
12. Config: `stepfunctions.execute_state_machine = true` (moto then runs JSONPath definitions),
   `lambda.use_docker = false` (no Docker here; handlers run in storefirst.local.runtime).
13. A Lambda function keeps its LoggingConfig (CreateFunction / UpdateFunctionConfiguration)
   and returns it in GetFunction(Configuration), as AWS does ("FunctionConfiguration" in the
   Lambda API reference: LoggingConfig; without one, plain text to /aws/lambda/<name>, the
   default of "Configuring advanced logging controls"). moto 5.2.5 drops it, so every plan
   of a module that sets JSON logs showed an update.
14. A queue's RedrivePolicy reads back as compact JSON. moto 5.2.5 re-serialises it with
   spaces after `,` and `:`, which the provider reports as a change on every plan. AWS's
   exact serialisation is not documented; the provider's own examples set it with
   jsonencode() (compact) and plan clean against AWS, so compact is what AWS returns for it.
15. A REST API stage's access or execution logging is refused (400) until the account's API
   Gateway settings name a CloudWatch Logs role, as on AWS: storefirst.local.stage_logging.
"""

from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer

REGION = os.environ.get("STOREFIRST_LOCAL_REGION", "eu-west-1")
ACCOUNT = "123456789012"  # moto's default account
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

_patched = False
_patch_lock = threading.Lock()


class _Forgetful(dict):
    """A dict that keeps nothing: moto's SendMessage then sees no mapping to invoke."""

    def __setitem__(self, key: Any, value: Any) -> None:  # noqa: D401
        return None


def _inert_mappings(self: Any) -> dict:
    return _Forgetful()


def _ignore_set(self: Any, value: Any) -> None:
    return None


def _validate_state_machine_definition(self: Any) -> Any:
    from moto.core.responses import ActionResult

    diagnostics = []
    raw = self._get_param("definition") or ""
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        diagnostics.append({"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": str(exc)})
    else:
        if not isinstance(doc, dict) or "StartAt" not in doc or not isinstance(doc.get("States"), dict):
            diagnostics.append(
                {
                    "severity": "ERROR",
                    "code": "SCHEMA_VALIDATION_FAILED",
                    "message": "The definition must have StartAt and States",
                }
            )
        elif doc["StartAt"] not in doc["States"]:
            diagnostics.append(
                {
                    "severity": "ERROR",
                    "code": "MISSING_TRANSITION_TARGET",
                    "message": f"StartAt {doc['StartAt']!r} is not a state",
                }
            )
    return ActionResult({"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics})


_queue_locks: dict[str, threading.RLock] = {}


def _qlock(name: str) -> threading.RLock:
    lock = _queue_locks.get(name)
    if lock is None:
        with _patch_lock:
            lock = _queue_locks.setdefault(name, threading.RLock())
    return lock


def _serialize_sqs(backend_cls: Any) -> None:
    import time

    orig_receive = backend_cls.receive_message

    def receive_message(
        self, queue_name, count, wait_seconds_timeout, visibility_timeout, message_attribute_names=None
    ):
        end = time.monotonic() + (wait_seconds_timeout or 0)
        while True:
            with _qlock(queue_name):
                result = orig_receive(self, queue_name, count, 0, visibility_timeout, message_attribute_names)
            left = end - time.monotonic()
            if result or left <= 0:
                return result
            began = time.monotonic()
            self.get_queue(queue_name).wait_for_messages(min(1.0, left))
            if time.monotonic() - began < 0.02:  # visible but unavailable (e.g. FIFO group busy)
                time.sleep(0.02)

    backend_cls.receive_message = receive_message
    for name in (
        "delete_message",
        "delete_message_batch",
        "change_message_visibility",
        "change_message_visibility_batch",
    ):
        orig = getattr(backend_cls, name, None)
        if orig is None:
            continue

        def locked(self, queue_name, *a, __orig=orig, **kw):
            with _qlock(queue_name):
                return __orig(self, queue_name, *a, **kw)

        setattr(backend_cls, name, locked)


def _list_state_machine_versions(self: Any) -> Any:
    from moto.core.responses import ActionResult

    sm = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
    versions = sorted(getattr(sm, "versions", {}).values(), key=lambda v: -v.version)
    return ActionResult(
        {"stateMachineVersions": [{"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in versions]}
    )


class _ForeignLayer:
    """A layer version owned by another account (e.g. AWS's public Powertools layer)."""

    def __init__(self, arn: str):
        self.arn, self.code_size, self.code_bytes = arn, 0, b""


def _patch_foreign_layers(backend_cls: Any) -> None:
    orig = backend_cls.layers_versions_by_arn

    def layers_versions_by_arn(self, layer_version_arn: str) -> Any:
        found = orig(self, layer_version_arn)
        if found is None:
            parts = layer_version_arn.split(":")
            if len(parts) == 8 and parts[5] == "layer" and parts[4] != self.account_id and parts[7].isdigit():
                return _ForeignLayer(layer_version_arn)
        return found

    backend_cls.layers_versions_by_arn = layers_versions_by_arn


# lambda:Invoke is answered by the local runtime (storefirst.local.runtime) once a Stack sets
# this hook: (function_name, payload bytes, invocation type, response_headers) -> bytes.
invoke_hook: Any = None


def _patch_invoke(backend_cls: Any) -> None:
    orig = backend_cls.invoke

    def invoke(self, function_name, qualifier, body, headers, response_headers):
        if invoke_hook is None:
            return orig(self, function_name, qualifier, body, headers, response_headers)
        return invoke_hook(
            function_name, body, (headers or {}).get("X-Amz-Invocation-Type", "RequestResponse"), response_headers
        )

    backend_cls.invoke = invoke


def _patch_redrive_allow_policy(queue_cls: Any) -> None:
    """moto 5.2.5 stores a queue's RedriveAllowPolicy but never returns it (and refuses the
    name in GetQueueAttributes), so `aws_sqs_queue_redrive_allow_policy` waits forever for
    the attribute to read back. Return it as SQS does: the JSON string as set."""
    if "RedriveAllowPolicy" in queue_cls.BASE_ATTRIBUTES:
        return
    queue_cls.redrive_allow_policy = None
    queue_cls.BASE_ATTRIBUTES = [*queue_cls.BASE_ATTRIBUTES, "RedriveAllowPolicy"]
    original = queue_cls.attributes.fget

    def attributes(self: Any) -> dict:
        result = original(self)
        if not result.get("RedriveAllowPolicy"):
            result.pop("RedriveAllowPolicy", None)
        return result

    queue_cls.attributes = property(attributes)

    # SetQueueAttributes without Policy also cleared the queue's Policy in moto, so a queue
    # policy and a redrive allow policy applied side by side undid each other forever.
    set_attributes = queue_cls._set_attributes

    def _set_attributes(self: Any, attributes: dict, now: Any = None) -> None:
        policy = getattr(self, "policy", None)
        set_attributes(self, attributes, now)
        if "Policy" not in attributes:
            self.policy = policy

    queue_cls._set_attributes = _set_attributes


def _patch_lambda_logging_config(function_cls: Any) -> None:
    init, get_configuration, update_configuration = (
        function_cls.__init__,
        function_cls.get_configuration,
        function_cls.update_configuration,
    )

    def __init__(self: Any, account_id: str, spec: dict, *args: Any, **kwargs: Any) -> None:
        init(self, account_id, spec, *args, **kwargs)
        self.logging_config = {
            "LogFormat": "Text",
            "LogGroup": f"/aws/lambda/{self.function_name}",
            **(spec.get("LoggingConfig") or {}),
        }

    def get_config(self: Any, *args: Any, **kwargs: Any) -> dict:
        config = get_configuration(self, *args, **kwargs)
        if getattr(self, "logging_config", None):
            config["LoggingConfig"] = self.logging_config
        return config

    def update_config(self: Any, config_updates: dict) -> dict:
        # Merged: the provider always sends the whole block, so AWS's semantics for a partial
        # LoggingConfig (not documented) do not matter here.
        if config_updates.get("LoggingConfig"):
            self.logging_config = {**getattr(self, "logging_config", {}), **config_updates["LoggingConfig"]}
        return update_configuration(self, config_updates)

    function_cls.__init__, function_cls.get_configuration, function_cls.update_configuration = (
        __init__,
        get_config,
        update_config,
    )


def _patch_redrive_policy_json(queue_cls: Any) -> None:
    attributes_of = queue_cls.attributes.fget

    def attributes(self: Any) -> dict:
        result = attributes_of(self)
        if self.redrive_policy and "RedrivePolicy" in result:
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        return result

    queue_cls.attributes = property(attributes)


def apply_patches() -> None:
    """Idempotent, process-wide: see the module docstring."""
    global _patched
    with _patch_lock:
        if _patched:
            return
        from moto.sqs.models import Queue, SQSBackend
        from moto.stepfunctions.responses import StepFunctionResponse

        Queue.lambda_event_source_mappings = property(_inert_mappings, _ignore_set)  # type: ignore[assignment]
        _serialize_sqs(SQSBackend)
        _patch_redrive_allow_policy(Queue)
        _patch_redrive_policy_json(Queue)
        from . import sqs_strict, trust_shim

        sqs_strict.patch(SQSBackend)
        trust_shim.patch()
        from . import events_delivery, s3_notify, s3_policy, stage_logging

        stage_logging.patch()
        s3_notify.patch()
        s3_policy.patch()
        events_delivery.patch()
        from moto.awslambda.models import LambdaBackend

        _patch_foreign_layers(LambdaBackend)
        from moto.awslambda.models import LambdaFunction

        _patch_lambda_logging_config(LambdaFunction)
        from moto.awslambda_simple.models import LambdaSimpleBackend

        _patch_invoke(LambdaSimpleBackend)
        from moto.dynamodb.responses import DynamoHandler

        from . import partiql_shim

        partiql_shim.patch(DynamoHandler)
        StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition  # type: ignore[attr-defined]
        StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions  # type: ignore[attr-defined]
        _patched = True


class Emulator:
    """moto server on 127.0.0.1:<free port>; `with Emulator() as emu: emu.client("sqs")`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, region: str = REGION):
        self.host, self.port, self.region = host, port, region
        self._server: ThreadedMotoServer | None = None
        self._previous_moto_port: str | None = None
        self._clients: dict[str, Any] = {}

    def start(self) -> Emulator:
        from moto.server import ThreadedMotoServer

        apply_patches()
        # AWS managed policies exist in every account (e.g. AmazonAPIGatewayPushToCloudWatchLogs
        # for API Gateway's CloudWatch role); moto loads them only when asked, and its IAM
        # backends may exist before the config endpoint is called, so ask through the env.
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request access log
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self._server.start()
        self.host, self.port = self._server.get_host_and_port()
        # moto's Step Functions interpreter calls services (lambda:invoke, dynamodb, sqs...)
        # through http://localhost:$MOTO_PORT; point it at this server (and back at the one
        # before it on stop: moto is process-wide, and an emulator started and stopped inside
        # another's lifetime must not leave the interpreter calling a closed port).
        self._previous_moto_port = os.environ.get("MOTO_PORT")
        os.environ["MOTO_PORT"] = str(self.port)
        self.configure()
        return self

    def configure(self) -> None:
        import urllib.request

        cfg = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
        req = urllib.request.Request(f"{self.url}/moto-api/config", data=json.dumps(cfg).encode(), method="POST")
        urllib.request.urlopen(req, timeout=5).read()

    def reset(self) -> None:
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f"{self.url}/moto-api/reset", method="POST"), timeout=5).read()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            if os.environ.get("MOTO_PORT") == str(self.port):
                previous = self._previous_moto_port
                if previous is None:
                    os.environ.pop("MOTO_PORT", None)
                else:
                    os.environ["MOTO_PORT"] = previous
            self._server.stop()
            wsgi = getattr(self._server, "_server", None)
            if wsgi is not None:
                wsgi.server_close()  # free the port (a warm start reuses it)
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        """Environment for a process (SDK, handler worker) that should talk to the emulator."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def client(self, service: str, **kw: Any) -> Any:
        """A cached boto3 client (clients are thread-safe; creating one costs ~50-100 ms)."""
        if kw:
            return client(self.url, service, region=self.region, **kw)
        with _patch_lock:
            if service not in self._clients:
                self._clients[service] = client(self.url, service, region=self.region)
            return self._clients[service]


def client(url: str, service: str, region: str = REGION, **kw: Any) -> Any:
    cfg = Config(
        retries={"max_attempts": 2, "mode": "standard"},
        max_pool_connections=64,
        connect_timeout=5,
        read_timeout=kw.pop("read_timeout", 60),
    )
    return boto3.session.Session().client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=cfg,
        **kw,
    )
