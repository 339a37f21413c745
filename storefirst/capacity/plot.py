"""PNG of a run: offered/accepted/throttled, queue depth, oldest age (alarm threshold and
retention), worker concurrency, table write units; coupled path beside it. Needs matplotlib."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class PlotUnavailable(RuntimeError):
    pass


def write(path: Path, dec, cpl, env, title: str) -> Path:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotUnavailable("matplotlib is not installed (pinned in pyproject.toml; `make venv`)") from None
    s, c = dec.series, cpl.series
    t = np.arange(len(s["offered"])) / 60.0
    tc = np.arange(len(c["offered"])) / 60.0
    fig, ax = plt.subplots(5, 1, figsize=(9, 11), sharex=True)
    ax[0].plot(t, s["offered"], label="offered", color="0.5")
    ax[0].plot(t, s["accepted"], label="accepted (API)")
    ax[0].plot(t, s["throttled"], label="throttled 429", ls=":")
    ax[0].plot(t, s["processed"], label="processed (worker)")
    ax[0].plot(tc, c["failed"], label="coupled: failed", color="red", alpha=0.7)
    ax[0].set_ylabel("requests / s")
    ax[1].plot(t, s["depth"], label="visible")
    ax[1].plot(t, s["inflight"], label="in flight (failed, waiting)")
    if env.queue.depth_alarm:
        ax[1].axhline(env.queue.depth_alarm.threshold, color="orange", ls="--", label="depth alarm")
    ax[1].set_ylabel("queue messages")
    ax[2].plot(t, s["oldest_age"], label="oldest message age")
    ax[2].axhline(env.queue.age_alarm.threshold, color="orange", ls="--", label="age alarm")
    if env.queue.retention_s <= 4 * max(s["oldest_age"].max(initial=1), 1):
        ax[2].axhline(env.queue.retention_s, color="red", ls="--", label="retention")
    ax[2].set_ylabel("seconds")
    ax[3].plot(t, s["concurrency"], label="worker (decoupled)")
    ax[3].plot(tc, c["concurrency"], label="function (coupled)", color="red", alpha=0.7)
    ax[3].set_ylabel("concurrency")
    ax[4].plot(t, s["wru"], label="decoupled WRU/s")
    ax[4].plot(tc, c["wru"], label="coupled WRU/s", color="red", alpha=0.7)
    ax[4].plot(tc, c["table_throttled"], label="coupled throttled writes/s", color="red", ls=":")
    ax[4].set_ylabel("write units / s")
    ax[4].set_xlabel("minutes")
    for a in ax:
        a.legend(fontsize=7, loc="upper right")
        a.grid(alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=72)
    plt.close(fig)
    return path
