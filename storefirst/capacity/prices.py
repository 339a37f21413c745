"""The price table: storefirst/capacity/prices.yaml (dated, cited), or a user file replacing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEFAULT = Path(__file__).with_name("prices.yaml")
REQUIRED = {
    "apigateway": ("http_per_million", "http_metering_kb", "rest_per_million"),
    "sqs": ("standard_per_million", "fifo_per_million", "chunk_kb"),
    "lambda": ("requests_per_million", "gb_second_x86_64", "gb_second_arm64"),
    "dynamodb": ("wru_per_million", "rru_per_million", "wcu_hour", "rcu_hour"),
    "stepfunctions": ("standard_per_million_transitions", "express_per_million_requests"),
}


class PriceError(ValueError):
    pass


def load(path: str | Path | None = None) -> dict[str, Any]:
    """Default table, with every value a user file sets replacing the default's."""
    table = yaml.safe_load(DEFAULT.read_text())
    if path is not None:
        override = yaml.safe_load(Path(path).read_text()) or {}
        if not isinstance(override, dict):
            raise PriceError(f"{path}: a price file is a mapping like {DEFAULT.name}")
        for key, val in override.items():
            if isinstance(val, dict):
                if key not in REQUIRED:
                    raise PriceError(f"{path}: unknown service {key!r}; known: {sorted(REQUIRED)}")
                unknown = set(val) - set(REQUIRED[key])
                if unknown:
                    raise PriceError(f"{path}: unknown price {key}.{sorted(unknown)[0]}")
                table[key].update(val)
            else:
                table[key] = val
    for svc, keys in REQUIRED.items():
        for k in keys:
            if not isinstance(table.get(svc, {}).get(k), (int, float)):
                raise PriceError(f"price {svc}.{k} must be a number")
    return table
