"""API Gateway throttling: token buckets (rate + burst) for the account and the route/stage.

AWS: "API Gateway throttles requests to your API using the token bucket algorithm, where a
token counts for a request" (API Gateway developer guide, "Throttling requests to your HTTP
API", http-api-throttling.html): account-level rate and burst per Region (10,000 rps steady,
burst 5,000 by default: "Amazon API Gateway quotas", limits.html), then route-level settings,
which override the stage default for that route. A request needs a token from both buckets.

Discretised at 1 s, exactly for arrivals spread over the second: the bucket holds at most
`burst` tokens and starts full; during a second it can hand out what it holds plus the `rate`
tokens that arrive meanwhile, and keeps what is left (capped at `burst`). So a saturated route
accepts `burst + rate x T` requests in T seconds. AWS applies throttles "on a best-effort
basis", so this is the documented target, not a guarantee.
"""

from __future__ import annotations

import numpy as np


def token_bucket(offered: np.ndarray, rate: float, burst: float) -> np.ndarray:
    """Requests each second that get a token."""
    return accepted(offered, rate, burst, float("inf"), float("inf"))


def accepted(
    offered: np.ndarray, route_rate: float, route_burst: float, account_rate: float, account_burst: float
) -> np.ndarray:
    """Both buckets: the account's (shared by every API of the Region) and the route's."""
    out = np.empty(len(offered), dtype=float)
    rt, at = float(route_burst), float(account_burst)
    for i, n in enumerate(offered.tolist()):
        take = min(n, rt + route_rate, at + account_rate)
        rt = min(route_burst, rt + route_rate - take)
        at = min(account_burst, at + account_rate - take)
        out[i] = take
    return out
