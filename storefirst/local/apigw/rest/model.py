"""What a REST API is, read back from the emulator (resources, methods, integrations and
their responses, models, request validators, stages, gateway responses), and the
per-request context the REST steps share."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..core import TokenBucket


@dataclass
class RestMethod:
    resource_id: str
    path: str
    http_method: str
    method: dict[str, Any]


@dataclass
class RestApi:
    api_id: str
    name: str
    region: str
    account: str
    methods: list[RestMethod]
    models: dict[str, dict[str, Any]]
    validators: dict[str, dict[str, Any]]
    stages: dict[str, dict[str, Any]]
    gateway_responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    buckets: dict[tuple[str, str], TokenBucket | None] = field(default_factory=dict)

    def bucket(self, stage: str, key: str) -> TokenBucket | None:
        """Stage method settings (`<path>/<METHOD>` or `*/*`): "Throttle requests to your REST APIs"."""
        if (stage, key) not in self.buckets:
            ms = self.stages.get(stage, {}).get("methodSettings") or {}
            s = ms.get(key) or ms.get("*/*") or {}
            rate, burst = s.get("throttlingRateLimit"), s.get("throttlingBurstLimit")
            self.buckets[(stage, key)] = (
                TokenBucket(rate, burst) if rate is not None and rate >= 0 and burst is not None else None
            )
        return self.buckets[(stage, key)]


def load_rest_api(v1: Any, api_id: str, region: str, account: str) -> RestApi:
    api = v1.get_rest_api(restApiId=api_id)
    methods = []
    for res in v1.get_resources(restApiId=api_id, limit=500).get("items", []):
        for http_method in res.get("resourceMethods") or {}:
            m = v1.get_method(restApiId=api_id, resourceId=res["id"], httpMethod=http_method)
            methods.append(RestMethod(res["id"], res["path"], http_method, m))
    models = {}
    for m in v1.get_models(restApiId=api_id).get("items", []):
        try:
            models[m["name"]] = json.loads(m.get("schema") or "{}")
        except ValueError:
            models[m["name"]] = {}
    validators = {v["id"]: v for v in v1.get_request_validators(restApiId=api_id).get("items", [])}
    stages = {s["stageName"]: s for s in v1.get_stages(restApiId=api_id).get("item", [])}
    responses = {
        r["responseType"]: r
        for r in v1.get_gateway_responses(restApiId=api_id).get("items", [])
        if not r.get("defaultResponse")
    }
    return RestApi(api_id, api.get("name", api_id), region, account, methods, models, validators, stages, responses)


@dataclass
class RestRequest:
    api: RestApi
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    source_ip: str
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    start: float = field(default_factory=time.time)
    stage: str | None = None
    segments: list[str] = field(default_factory=list)
    resource: RestMethod | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    context: dict[str, Any] = field(default_factory=dict)  # $context, shared by both templates
    mapped: str = ""  # the integration request body
    override_headers: dict[str, str] = field(default_factory=dict)
    integration_status: str | None = None
    integration_body: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def integration(self) -> dict[str, Any]:
        return (self.resource.method.get("methodIntegration") if self.resource else None) or {}

    @property
    def stage_vars(self) -> dict[str, str]:
        return (self.api.stages.get(self.stage or "", {}).get("variables")) or {}
