"""When a CloudWatch alarm on a per-second series would fire.

The queue module's alarms use statistic Maximum over `period` seconds, GreaterThanOrEqual,
`evaluation_periods` consecutive breaching periods (CloudWatch "Using Amazon CloudWatch
alarms", AlarmThatSendsEmail.html). The model says the alarm fires at the end of the last
breaching period; CloudWatch's own publishing delay (about a minute for SQS) comes on top.
"""

from __future__ import annotations

import numpy as np


def fires_at(series: np.ndarray, threshold: float, period_s: int, evaluation_periods: int) -> int | None:
    """Second at which the alarm goes to ALARM, or None."""
    if not len(series):
        return None
    n = -(-len(series) // period_s)
    padded = np.zeros(n * period_s)
    padded[: len(series)] = series
    maxima = padded.reshape(n, period_s).max(axis=1)
    run = 0
    for i, m in enumerate(maxima):
        run = run + 1 if m >= threshold else 0
        if run >= evaluation_periods:
            return (i + 1) * period_s
    return None
