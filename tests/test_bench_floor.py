"""The floor of ``benchmarks/bench_metrics.py --floor`` (issue 11): the least wall time of what
any implementation of ``callkit metrics`` must do — every record read, calls.csv and
calls.parquet written. It is a benchmark's figure, so what is tested is that it measures what it
says: the arithmetic of spreading pieces over cores, and that the timed pieces read every record
of the export and write every call callkit wrote (not a sample, not an empty file)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_metrics
        import make_big_asterisk
    finally:
        sys.path.pop(0)
    return bench_metrics, make_big_asterisk


def test_floor_seconds_spreads_cpu_over_cores(bench):
    floor_seconds = bench[0].floor_seconds
    pieces = {"read": {"seconds": 0.6, "cpu_s": 1.2}, "csv": {"seconds": 0.2, "cpu_s": 0.2},
              "parquet": {"seconds": 0.5, "cpu_s": 0.5}}
    # 1.9 s of CPU: on 2 cores 0.95 s; on 4 cores 0.475 s, but the read alone takes 0.6
    assert floor_seconds(pieces, 2) == pytest.approx(0.95)
    assert floor_seconds(pieces, 4) == pytest.approx(0.6)
    assert floor_seconds(pieces, 1) == pytest.approx(1.9)


def test_floor_reads_every_record_and_writes_every_call(bench, tmp_path):
    bench_metrics, mba = bench
    from callkit.audit import run_metrics

    src, emp = tmp_path / "Master.csv", tmp_path / "employees.csv"
    mba.make_big_asterisk(src, 3000, extensions=12, days=10, seed=5)
    mba.write_employees(emp, extensions=12, n_departments=3)
    out = tmp_path / "out"
    run_metrics(src, out=out, employees=emp)
    calls_lines = (out / "calls.csv").read_bytes().count(b"\n") - 1   # without the header
    sql = bench_metrics.READ_SQL.format(path=str(src).replace("'", "''"))
    f = bench_metrics.floor(src, sql, out)
    assert f["records"] == 3000
    assert f["calls"] == f["parquet_calls"] == calls_lines > 0
    assert set(f["pieces"]) == {"read", "calls.csv", "calls.parquet"}
    # the same text written again: within the quoting of empty fields of callkit's file
    assert f["csv_bytes"] >= 0.9 * (out / "calls.csv").stat().st_size
    assert all(p["seconds"] > 0 and p["cpu_s"] >= 0 for p in f["pieces"].values())
