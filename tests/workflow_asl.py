"""Render Amazon States Language templates the way Terraform's templatefile() does.

The definitions in this repository are `templatefile()` templates: `${name}` placeholders
(ARNs, names, URLs, numbers) substituted by Terraform. Only plain `${name}` interpolation is
supported here; a template using `%{...}` directives or expressions fails loudly, so tests
never validate something other than what Terraform would render.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

PLACEHOLDER = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")
UNSUPPORTED = re.compile(r"%\{|\$\{[^}]*[^A-Za-z0-9_\s}][^}]*\}")


def placeholders(text: str) -> dict[str, bool]:
    """name -> True when the placeholder sits inside a JSON string (quoted), else False."""
    found: dict[str, bool] = {}
    for m in PLACEHOLDER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        # Inside a string when an odd number of unescaped quotes precede it on its line.
        quoted = len(re.findall(r'(?<!\\)"', before)) % 2 == 1
        found[m.group(1)] = found.get(m.group(1), False) or quoted
    return found


def dummy_value(name: str, quoted: bool) -> str:
    """A plausible value for a placeholder, chosen by its name (for validation only)."""
    if not quoted:
        return "60"
    account, region = "123456789012", "eu-west-1"
    if name.endswith("_url"):
        return f"https://sqs.{region}.amazonaws.com/{account}/dummy-{name}"
    if name.endswith("_arn") and "function" in name:
        return f"arn:aws:lambda:{region}:{account}:function:dummy-{name}"
    if name.endswith("_arn") and "queue" in name:
        return f"arn:aws:sqs:{region}:{account}:dummy-{name}"
    if name.endswith("_arn") and ("state_machine" in name or "workflow" in name):
        return f"arn:aws:states:{region}:{account}:stateMachine:dummy-{name}"
    if name.endswith("_arn") and "topic" in name:
        return f"arn:aws:sns:{region}:{account}:dummy-{name}"
    if name.endswith("_arn"):
        return f"arn:aws:dynamodb:{region}:{account}:table/dummy-{name}"
    return f"dummy-{name.replace('_', '-')}"


def render(template: str | Path, values: Mapping[str, Any] | None = None, *, dummies: bool = False) -> dict[str, Any]:
    """Substitute `${name}` like templatefile() and parse the JSON result.

    values: explicit substitutions (str/int); with dummies=True the rest get dummy values.
    """
    text = Path(template).read_text() if isinstance(template, Path) else template
    bad = UNSUPPORTED.search(text)
    if bad:
        raise ValueError(f"unsupported template syntax {bad.group(0)!r}: only ${{name}} placeholders are rendered here")
    values = dict(values or {})
    wanted = placeholders(text)
    missing = [n for n in wanted if n not in values and not dummies]
    if missing:
        raise KeyError(f"template needs values for {missing}")
    for name, quoted in wanted.items():
        values.setdefault(name, dummy_value(name, quoted))
    rendered = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)
    return json.loads(rendered)


# Optimized integrations and aws-sdk integrations: service -> (parameter naming the target).
_TARGET_PARAM = {"dynamodb": "TableName", "sqs": "QueueUrl", "lambda": "FunctionName"}
_ACTION_OVERRIDE = {("lambda", "invoke"): "lambda:InvokeFunction"}


def task_states(node: dict[str, Any]):
    """(name, state) of every Task, including Parallel branches and Map processors."""
    for name, state in node.get("States", {}).items():
        if state.get("Type") == "Task":
            yield name, state
        for branch in state.get("Branches", []):
            yield from task_states(branch)
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from task_states(state[key])


def required_actions(definition: dict[str, Any]) -> set[tuple[str, str]]:
    """(IAM action, target) pairs the definition's Task states call.

    target is the literal TableName / QueueUrl / FunctionName parameter (a `.$` dynamic
    target is reported as "*": it cannot be scoped from the definition alone).
    """
    out: set[tuple[str, str]] = set()
    for _, state in task_states(definition):
        res = state.get("Resource", "")
        m = re.match(r"^arn:aws[a-z-]*:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.[a-zA-Z]+)?$", res)
        if not m:
            raise ValueError(f"not a service integration: {res}")
        service, api = m.groups()
        action = _ACTION_OVERRIDE.get((service, api), f"{service}:{api[0].upper()}{api[1:]}")
        params = state.get("Parameters", {})
        param = _TARGET_PARAM.get(service, "")
        target = params.get(param, "*") if param in params else "*"
        out.add((action, target))
    return out


def retry_wait_seconds(retrier: dict[str, Any]) -> float:
    """Worst-case total backoff of one retrier (jitter only shortens it)."""
    interval = retrier.get("IntervalSeconds", 1)
    rate = retrier.get("BackoffRate", 2.0)
    cap = retrier.get("MaxDelaySeconds", float("inf"))
    return sum(min(interval * rate**i, cap) for i in range(retrier.get("MaxAttempts", 3)))


def worst_case_seconds(definition: dict[str, Any]) -> float:
    """Upper bound of an acyclic definition's duration: every state's timeout x attempts, plus
    every retry backoff and Wait (Seconds only; SecondsPath/Timestamp make it unbounded)."""
    total = 0.0
    for state in definition.get("States", {}).values():
        if state.get("Type") == "Wait":
            if "Seconds" not in state:
                return float("inf")
            total += state["Seconds"]
        if state.get("Type") == "Task":
            retriers = state.get("Retry", [])
            attempts = 1 + sum(r.get("MaxAttempts", 3) for r in retriers)
            total += state.get("TimeoutSeconds", float("inf")) * attempts + sum(map(retry_wait_seconds, retriers))
    return total
