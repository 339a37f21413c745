"""The SQS event source mapping's concurrency: poller scaling, maximum_concurrency, quotas.

AWS ("Configuring scaling behavior for SQS event source mappings", lambda/latest/dg/
services-sqs-scaling.html, read 2026-12): for standard queues Lambda starts with five
concurrent batches, adds "up to 300 more instances per minute" while messages remain, and
processes at most 1,000 batches simultaneously (the shared facts file said 1,250: the current
page says 1,000). When traffic is low it scales back to five. `ScalingConfig.MaximumConcurrency`
(2-1,000, AWS::Lambda::EventSourceMapping ScalingConfig) caps the mapping; the function's
reserved concurrency, or else the account's unreserved pool, caps it too
(lambda/latest/dg/lambda-concurrency.html).
"""

from __future__ import annotations

START = 5
STEP_PER_MINUTE = 300
ESM_MAX = 1000


class Pollers:
    def __init__(self, ceiling: int):
        self.ceiling = max(1, ceiling)  # min(maximum_concurrency, reserved/pool, ESM_MAX)
        self.scale = min(START, self.ceiling)
        self._busy_since: int | None = None
        self._idle_since: int | None = None
        self._low_peak = 0.0

    def cap(self) -> int:
        return min(self.scale, self.ceiling)

    def observe(self, t: int, used: float, backlog_left: float) -> None:
        """After second t: scale up each full minute spent at the cap with messages left; after
        a minute below the cap, scale back to what that minute used (never below five)."""
        if backlog_left > 0 and used >= self.cap():
            self._idle_since = None
            if self._busy_since is None:
                self._busy_since = t
            elif t - self._busy_since + 1 >= 60:
                self.scale = min(ESM_MAX, self.scale + STEP_PER_MINUTE)
                self._busy_since = t + 1
            return
        self._busy_since = None
        if self._idle_since is None:
            self._idle_since, self._low_peak = t, used
        else:
            self._low_peak = max(self._low_peak, used)
            if t - self._idle_since + 1 >= 60:
                self.scale = max(min(START, self.ceiling), int(self._low_peak))
                self._idle_since = None
