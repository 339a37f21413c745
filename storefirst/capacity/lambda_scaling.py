"""Lambda concurrency for a synchronously invoked function (the coupled path).

AWS ("Lambda scaling behavior", lambda/latest/dg/scaling-behavior.html): each function can
scale by 1,000 execution environments every 10 seconds, up to the account's concurrency
(default 1,000 per Region: "Lambda quotas", gettingstarted-limits.html), shared by every
function that has no reserved concurrency. Requests above the available concurrency are
throttled (429 TooManyRequestsException); behind API Gateway the client gets an error.
The page says Lambda tries to refill the scaling rate continuously; the model adds the 1,000
in one step at each 10 s mark (the documented ceiling, slightly pessimistic inside a step).
"""

from __future__ import annotations

STEP = 1000
STEP_S = 10


class FunctionScaling:
    def __init__(self, pool: int):
        self.pool = max(0, pool)
        self.scale = min(STEP, self.pool)
        self._since = 0

    def cap(self) -> int:
        return min(self.scale, self.pool)

    def observe(self, t: int, demand: float) -> None:
        """Another 1,000 each 10 s while demand is above what is available."""
        if demand > self.cap() and self.scale < self.pool:
            if t - self._since + 1 >= STEP_S:
                self.scale = min(self.pool, self.scale + STEP)
                self._since = t + 1
        else:
            self._since = t + 1
