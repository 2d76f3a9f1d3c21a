"""Benchmark: a month's queue_log of a 200-agent call centre — load, the queue/agent tables and the
agents' on-line time per hour (presence at peaks and staffing with a queue_log).

Usage::

    python benchmarks/bench_queue_log.py [--agents 200] [--days 31]

The synthetic log (written to a temporary folder): every agent joins queue 600 between 09:00 and
09:30, takes up to six pauses of 2–15 minutes and leaves between 17:30 and 18:00, every day. The
figures (wall seconds of each step) are printed.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def write_log(path: Path, agents: int, days: int, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    t0 = int(pd.Timestamp("2026-10-01 00:00", tz="Europe/Moscow").timestamp())
    rows = []
    for day in range(days):
        base = t0 + day * 86400
        for a in range(agents):
            m = f"SIP/{1000 + a}"
            li = base + 9 * 3600 + int(rng.integers(0, 1800))
            lo = base + 18 * 3600 - int(rng.integers(0, 1800))
            rows.append((li, "NONE", "600", m, "ADDMEMBER", ""))
            t = li
            for _ in range(6):
                t += int(rng.integers(1200, 3600))
                d = int(rng.integers(120, 900))
                if t + d >= lo:
                    break
                rows += [(t, "NONE", "600", m, "PAUSE", "Обед"), (t + d, "NONE", "600", m, "UNPAUSE", "")]
                t += d
            rows.append((lo, "NONE", "600", m, "REMOVEMEMBER", ""))
    rows.sort()
    path.write_text("".join("|".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--days", type=int, default=31)
    args = ap.parse_args()
    from callkit.io.queuelog import load_queue_log
    from callkit.metrics.hours import WorkingHours
    from callkit.metrics.queues import agent_availability, queue_tables
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "queue_log"
        n = write_log(p, args.agents, args.days)
        t = time.perf_counter()
        q = load_queue_log(p)
        t1 = time.perf_counter()
        _, qt = queue_tables(q.events)
        t2 = time.perf_counter()
        a = agent_availability(qt.sessions, start=q.start, end=q.end, working_hours=WorkingHours.default())
        t3 = time.perf_counter()
    print(f"{n} events, {args.agents} agents, {args.days} days: load {t1 - t:.1f} s, queue_tables "
          f"{t2 - t1:.1f} s, agent_availability {t3 - t2:.1f} s ({len(a)} agent-hours)")


if __name__ == "__main__":
    main()
