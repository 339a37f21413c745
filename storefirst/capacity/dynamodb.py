"""DynamoDB write capacity per second: on-demand (previous-peak rule, table maximum) or provisioned.

On-demand ("DynamoDB on-demand capacity mode", amazondynamodb/latest/developerguide/
on-demand-capacity-mode.html; "Initial throughput for on-demand capacity mode"): a new table
serves up to 4,000 write request units per second at once; a table serves instantly up to
double its previous peak, and traffic above double the previous peak within 30 minutes may be
throttled (AWS knowledge center "on-demand-table-throttling-dynamodb"); the default
table-level maximum is 40,000 WRU (raisable). The model throttles everything above the rule
(the conservative reading of "may"), and a peak becomes the baseline 30 minutes after it.
Provisioned ("Provisioned capacity mode"): `write_capacity` WCU per second plus burst capacity,
up to 300 s of unused capacity retained; AWS says not to rely on burst ("best effort"), so it
is off by default. Auto scaling is not modelled. Per-partition limits (1,000 WCU) are assumed
not to bind (a well-spread key).
"""

from __future__ import annotations

from collections import deque

NEW_TABLE_WRU = 4000.0
PEAK_WINDOW_S = 1800


class OnDemand:
    def __init__(self, previous_peak: float | None, table_max: float):
        self.base = NEW_TABLE_WRU / 2 if previous_peak is None else float(previous_peak)
        self.table_max = table_max
        self._recent: deque[tuple[int, float]] = deque()  # peaks younger than 30 min

    def capacity(self, t: int) -> float:
        while self._recent and t - self._recent[0][0] >= PEAK_WINDOW_S:
            _, w = self._recent.popleft()
            self.base = max(self.base, w)
        return min(self.table_max, 2 * self.base)

    def consume(self, t: int, wru: float) -> None:
        if wru > self.base and (not self._recent or wru > self._recent[-1][1]):
            self._recent.append((t, wru))


class Provisioned:
    def __init__(self, wcu: float, burst: bool = False):
        self.wcu = float(wcu)
        self.bank = 0.0
        self.burst = burst

    def capacity(self, t: int) -> float:
        return self.wcu + (self.bank if self.burst else 0.0)

    def consume(self, t: int, wru: float) -> None:
        self.bank = min(300 * self.wcu, max(0.0, self.bank + self.wcu - wru))


def model(billing: str, wcu: float | None, previous_peak: float | None, table_max: float):
    if billing == "PROVISIONED":
        if wcu is None:
            raise ValueError("a provisioned table needs write_capacity")
        return Provisioned(wcu)
    return OnDemand(previous_peak, table_max)
