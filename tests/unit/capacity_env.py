"""A hand-written EnvModel for the capacity model tests (no Terraform needed)."""

from __future__ import annotations

from storefirst.capacity.envplan import Alarm, Bucket, EnvModel, EsmCfg, FunctionCfg, QueueCfg, TableCfg


def env(*, rate=1000.0, burst=1000.0, retention=345600, visibility=180, max_receive=5, batch=10,
        max_conc=5, timeout=30, memory=512, billing="PAY_PER_REQUEST", wcu=None, data_api=None,
        age_threshold=300.0) -> EnvModel:
    return EnvModel(
        env="hand", region="us-east-1", route="POST /webhook",
        route_throttle=Bucket(rate, burst), throttle_source="route",
        queue=QueueCfg("hand-webhook", retention, visibility, max_receive, False,
                       Alarm(age_threshold, 60, 5), Alarm(1000, 60, 5)),
        esm=EsmCfg(batch, 0, max_conc, True),
        worker=FunctionCfg("hand-worker", timeout, memory, None, "arm64", data_api is not None),
        tables=[TableCfg("hand-users", billing, wcu, None)],
        data_api_throttle=None if data_api is None else Bucket(*data_api),
    )
