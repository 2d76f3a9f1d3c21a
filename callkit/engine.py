"""The relational engine (DESIGN §7): one embedded DuckDB database per process, bounded by the
machine.

The SQL of each concern lives beside the code that owns it (the leg fold in
:mod:`callkit.io.fold`, …); this module only opens the database and moves data in and out:

* :func:`connect` — a cursor on the process's database, configured once: ``memory_limit``
  (a share of the memory this machine has available, so the operating system and pandas keep
  room), ``temp_directory`` (where DuckDB spills what does not fit in its share) and
  ``threads`` (the CPUs this process may use). ``CALLKIT_DUCKDB_MEMORY`` (e.g. ``"4GB"``),
  ``CALLKIT_DUCKDB_TEMP`` and ``CALLKIT_DUCKDB_THREADS`` override them. The pandas tables of
  legs and calls are not DuckDB's to spill: :func:`callkit.io.load_calls` refuses a load that
  would outgrow the machine.
* :func:`settings` — what was chosen (shown by the benchmarks).
* :func:`available_bytes` — the memory this process may still take (the load's check, DuckDB's
  share).
* :func:`use_returning_memory_pool` — Arrow's jemalloc pool as the process's default (the CLI
  calls it: a process of its own), so the memory a stage frees goes back to the system.
* :func:`ns_array` / :func:`ns_to_times` — tz-aware pandas times ↔ Arrow int64 nanoseconds
  since the epoch (UTC). Time arithmetic in SQL runs on these integers, so durations come out
  exactly as numpy computes them (DuckDB's own TIMESTAMP has microseconds).
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["connect", "settings", "use_returning_memory_pool", "available_bytes", "ns_array", "ns_to_times",
           "MEMORY_SHARE"]

#: Share of the available memory DuckDB may use (the rest stays for pandas and the system).
MEMORY_SHARE = 0.5

_lock = threading.Lock()
_db = None
_settings: dict[str, str] = {}


def available_bytes() -> int:
    """Memory available to this process: MemAvailable, capped by a cgroup limit when set."""
    avail = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if not avail:
        try:
            avail = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
            avail = 4 << 30
    for p in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            raw = Path(p).read_text().strip()
        except OSError:
            continue
        if raw.isdigit() and 0 < int(raw) < avail:
            avail = int(raw)
    return avail


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _choose() -> dict[str, str]:
    mem = os.environ.get("CALLKIT_DUCKDB_MEMORY")
    if not mem:
        mem = f"{max(256, int(available_bytes() * MEMORY_SHARE) >> 20)}MB"
    temp = os.environ.get("CALLKIT_DUCKDB_TEMP") or str(
        Path(tempfile.gettempdir()) / f"callkit-duckdb-{os.getpid()}")
    threads = os.environ.get("CALLKIT_DUCKDB_THREADS") or str(_threads())
    return {"memory_limit": mem, "temp_directory": temp, "threads": threads,
            "preserve_insertion_order": "false"}


def connect():
    """A cursor on this process's DuckDB database (created and configured on first use).

    Each caller gets its own cursor, so registered frames of one computation do not leak into
    another; close it (or use it as a context manager) when done.
    """
    global _db, _settings
    import duckdb

    with _lock:
        if _db is None:
            _settings = _choose()
            _db = duckdb.connect(":memory:", config=dict(_settings))
            # jemalloc's background threads hand the memory DuckDB frees back to the system while
            # callkit goes on (without them a fold's hash tables stayed resident: +230 MB peak RSS
            # for a million legs, the peak of the whole load); a DuckDB without the setting
            # simply keeps its memory longer
            try:
                _db.execute("SET allocator_background_threads = true")
                _settings["allocator_background_threads"] = "true"
            except duckdb.Error:  # pragma: no cover - an older DuckDB
                pass
        cur = _db.cursor()
    cur.execute("SET enable_progress_bar = false")   # callkit shows its own (callkit.progress)
    return cur


def settings() -> dict[str, str]:
    """The DuckDB settings in force (memory_limit, temp_directory, threads, …)."""
    connect().close()
    return dict(_settings)


def use_returning_memory_pool() -> str:
    """Make Arrow's jemalloc pool the process's default memory pool; the pool's name in force.

    pyarrow's default (mimalloc) keeps what a stage frees for later use; jemalloc hands it back
    to the system about a second after, so the next stage does not start on top of the last
    one's garbage (3M legs, ``callkit metrics``: peak RSS 2.92 → 2.70 GB, system time 14.3 →
    9.7 s). A process-wide setting, so only for a process callkit owns (the CLI); left alone
    when ``ARROW_DEFAULT_MEMORY_POOL`` chooses, or when this pyarrow has no jemalloc.
    """
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        try:
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        except (NotImplementedError, pa.ArrowNotImplementedError):  # pragma: no cover - a build without it
            pass
    return pa.default_memory_pool().backend_name


_NAT = np.iinfo(np.int64).min


def ns_array(times: pd.Series) -> pa.Array:
    """tz-aware (or naive UTC) times → Arrow int64 nanoseconds since the epoch, NaT → null."""
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    v = times.to_numpy("datetime64[ns]").view(np.int64)
    return pa.array(v, type=pa.int64(), mask=v == _NAT)


def ns_to_times(values: pa.Array | pa.ChunkedArray | np.ndarray, tz: str) -> pd.Series:
    """Arrow/numpy int64 nanoseconds (UTC; null → NaT) → a ``datetime64[ns, tz]`` Series."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = values.to_numpy(zero_copy_only=False) if values.null_count == 0 else \
            values.fill_null(_NAT).to_numpy(zero_copy_only=False)
    v = np.asarray(values, dtype=np.int64)
    return pd.Series(v.view("datetime64[ns]")).dt.tz_localize("UTC").dt.tz_convert(tz)
