"""An SQS standard queue as arrival cohorts, so the oldest message's age is exact.

Rules (Amazon SQS developer guide):
- retention: a message older than `MessageRetentionPeriod` is deleted, received or not
  ("Amazon SQS message quotas", quotas-messages.html: 60 s to 14 days, default 4 days);
  here it is *lost*, counted per cohort in the exact amount;
- visibility timeout: a received message that is not deleted becomes visible again after
  it ("Amazon SQS visibility timeout", sqs-visibility-timeout.html);
- redrive: once a message has been received `maxReceiveCount` times without being deleted,
  SQS moves it to the dead-letter queue ("Using dead-letter queues", sqs-dead-letter-queues.html);
- in flight: at most ~120,000 received-but-not-deleted messages on a standard queue
  ("Amazon SQS standard queue quotas", quotas-queues.html); beyond it short polls fail
  (OverLimit) and long polls, as the mapping uses, return nothing: no more is received.
- ApproximateAgeOfOldestMessage is the age of the oldest non-deleted message
  (sqs-available-cloudwatch-metrics.html); cohorts give it exactly, in-flight ones included.

Order: a standard queue does not promise FIFO; the model drains oldest first (the best case
for the oldest age: a real queue can only do worse, by a spread it does not document).
"""

from __future__ import annotations

from collections import deque

IN_FLIGHT_MAX = 120_000


class Queue:
    def __init__(self, retention_s: int, visibility_s: int, max_receive_count: int | None):
        self.retention_s = retention_s
        self.visibility_s = visibility_s
        self.max_receive = max_receive_count
        self.visible: deque[list] = deque()  # [arrival_t, count, receives], oldest first
        self.retry: deque[list] = deque()  # visible again after a failed receive, oldest first
        self.returning: dict[int, list[list]] = {}  # t -> cohorts becoming visible again
        self._returning_min: dict[int, int] = {}  # t -> oldest arrival among them
        self.inflight = 0.0
        self.lost = 0.0
        self.dead_lettered = 0.0
        self.depth = 0.0  # visible messages

    def send(self, t: int, n: float) -> None:
        if n > 0:
            self.visible.append([t, n, 0])
            self.depth += n

    def tick(self, t: int) -> None:
        """Start of second t: expire by age, then let timed-out receives become visible."""
        back = self.returning.pop(t, None)
        self._returning_min.pop(t, None)
        if back:
            for c in back:
                self.inflight -= c[1]
                if t - c[0] >= self.retention_s:
                    self.lost += c[1]
                elif self.max_receive is not None and c[2] >= self.max_receive:
                    self.dead_lettered += c[1]
                else:
                    self._insert(c)
        for v in (self.visible, self.retry):
            while v and t - v[0][0] >= self.retention_s:
                self.lost += v[0][1]
                self.depth -= v[0][1]
                v.popleft()

    def _insert(self, c: list) -> None:
        """Back among the visible messages, in arrival order (ages stay exact). Cohorts come
        back in about the order they were received, so the scan from the right is short."""
        self.depth += c[1]
        v = self.retry
        i = len(v)
        while i and v[i - 1][0] > c[0]:
            i -= 1
        v.insert(i, c)

    def receive(self, n: float) -> list[list]:
        """Take up to n visible messages (oldest first), bounded by the in-flight quota."""
        n = min(n, self.depth, IN_FLIGHT_MAX - self.inflight)
        got = []
        while n > 1e-9 and (self.visible or self.retry):
            if self.retry and (not self.visible or self.retry[0][0] <= self.visible[0][0]):
                v = self.retry
            else:
                v = self.visible
            c = v[0]
            if c[1] <= n + 1e-9:
                v.popleft()
                got.append([c[0], c[1], c[2] + 1])
                n -= c[1]
                self.depth -= c[1]
            else:
                got.append([c[0], n, c[2] + 1])
                c[1] -= n
                self.depth -= n
                n = 0
        return got

    def fail(self, t: int, cohorts: list[list]) -> None:
        """Received but not deleted: visible again when the visibility timeout ends."""
        if cohorts:
            due = t + self.visibility_s
            self.returning.setdefault(due, []).extend(cohorts)
            oldest = min(c[0] for c in cohorts)
            self._returning_min[due] = min(oldest, self._returning_min.get(due, oldest))
            self.inflight += sum(c[1] for c in cohorts)

    def oldest_arrival(self) -> int | None:
        cands = [v[0][0] for v in (self.visible, self.retry) if v]
        cands.extend(self._returning_min.values())
        return min(cands) if cands else None

    def empty(self) -> bool:
        return self.depth <= 1e-9 and self.inflight <= 1e-9


def split(cohorts: list[list], share_ok: float) -> tuple[list[list], list[list]]:
    """Split received cohorts into (ok, failed) in proportion share_ok (0..1)."""
    if share_ok >= 1:
        return cohorts, []
    if share_ok <= 0:
        return [], cohorts
    ok = [[c[0], c[1] * share_ok, c[2]] for c in cohorts]
    bad = [[c[0], c[1] * (1 - share_ok), c[2]] for c in cohorts]
    return ok, bad
