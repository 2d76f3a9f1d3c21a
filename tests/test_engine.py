"""callkit.engine: DuckDB bounded by the machine; calls.parquet beside calls.csv (issue 11)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from test_metrics_helpers import call, calls_frame

from callkit import engine
from callkit.audit import _iso_times, _offset_label, audit_from_load, write_metrics


def _size_mb(text: str) -> float:
    num, unit = text.replace("i", "").split()
    return float(num) * {"KB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 1024 ** 2}[unit]


def test_settings_come_from_the_machine():
    s = engine.settings()
    assert int(s["threads"]) == len(os.sched_getaffinity(0))
    assert s["temp_directory"]                      # where DuckDB spills what does not fit
    con = engine.connect()
    try:
        limit, temp, progress = con.sql(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory'), "
            "current_setting('enable_progress_bar')").fetchall()[0]
    finally:
        con.close()
    total_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    # a share of what is available, so pandas and the system keep room
    assert 256 <= _size_mb(limit) <= engine.MEMORY_SHARE * total_mb + 1
    assert temp == s["temp_directory"] and progress is False


def test_settings_can_be_overridden(tmp_path):
    code = ("import json; from callkit import engine; c = engine.connect(); print(json.dumps("
            "c.sql(\"SELECT current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')\").fetchall()[0]))")
    env = {**os.environ, "CALLKIT_DUCKDB_MEMORY": "300MB", "CALLKIT_DUCKDB_THREADS": "1",
           "CALLKIT_DUCKDB_TEMP": str(tmp_path / "spill")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    limit, threads, temp = json.loads(out)
    assert 280 <= _size_mb(limit) <= 300 and threads == 1 and temp == str(tmp_path / "spill")


def test_ns_round_trip_keeps_nanoseconds_and_nat():
    t = pd.Series(pd.to_datetime(["2026-10-05 09:00:00.123456789", None])).dt.tz_localize("Europe/Moscow")
    arr = engine.ns_array(t)
    assert arr.type == pa.int64() and arr.null_count == 1
    back = engine.ns_to_times(arr, "Europe/Moscow")
    pd.testing.assert_series_equal(back, t.astype("datetime64[ns, Europe/Moscow]"), check_names=False)


def test_calls_parquet_has_the_csv_columns_and_rows(tmp_path):
    calls = calls_frame([
        call("a1", "2026-10-05 10:00", "outgoing", "answered", "Ann", "+79720123456", talk=60,
             dept="Sales", ext="101"),
        call("a2", "2026-10-05 11:00", "incoming", "missed", None, "+79730123457", dept=None),
        call("b1", "2026-10-06 12:00", "internal", "answered", "Bob", None, talk=30, dept="Sales",
             ext="102"),
    ])
    audit = audit_from_load(calls, period=("2026-10-01", "2026-10-31"), lang="en")
    files = write_metrics(audit, tmp_path)
    assert [p.name for p in files][:2] == ["calls.csv", "calls.parquet"]
    csv = pd.read_csv(tmp_path / "calls.csv", dtype=str, keep_default_na=False)
    pq = pd.read_parquet(tmp_path / "calls.parquet")
    assert list(pq.columns) == list(csv.columns)
    assert pq["call_id"].tolist() == csv["call_id"].tolist() == ["a1", "a2", "b1"]
    # typed: tz-aware times, floats, booleans — the same values the CSV spells out
    assert str(pq["start"].dt.tz) == "Europe/Moscow"
    assert pq["start"].iloc[0] == pd.Timestamp(csv["start"].iloc[0])
    assert pq["talk_s"].tolist() == [float(v) for v in csv["talk_s"]] == [60.0, 0.0, 30.0]
    assert pq["employee"].isna().tolist() == [v == "" for v in csv["employee"]] == [False, True, False]


@pytest.mark.parametrize("values, tz", [
    (["2026-10-05 12:00:00", None, "2026-10-06 09:01:02"], "Europe/Moscow"),   # Arrow's path
    (["2026-10-05 12:00:00.5", None], "Europe/Moscow"),                        # fractions: pandas'
    (["2026-10-05", "2026-10-06"], "Europe/Moscow"),                           # midnights: dates
    (["2026-03-28 12:00:00", "2026-03-30 12:00:00", None], "Europe/Berlin"),   # two offsets
    ([None, None], "Europe/Moscow"),
])
def test_csv_times_are_written_as_pandas_writes_them(values, tz):
    times = pd.Series(pd.to_datetime(values)).dt.tz_localize(tz)
    naive = times.dt.tz_localize(None)
    off = (naive - times.dt.tz_convert("UTC").dt.tz_localize(None)).dt.total_seconds()
    label = off.map(lambda o: _offset_label(o) if o == o else None).astype("string")
    expected = naive.astype("string") + label
    pd.testing.assert_series_equal(_iso_times(times), expected, check_names=False)


def test_csv_spells_every_dtype_as_before(tmp_path):
    """The CSV writer builds the Arrow text itself (times, booleans, categories, objects):
    the bytes are those of the pandas-conversion writer it replaced, odd dtypes included —
    nullable booleans and integers, a categorical of numbers with a gap (pandas spells its
    values as floats), an object column of mixed values that needs quoting, a naive time."""
    from callkit.audit import _write_csv

    df = pd.DataFrame({
        "a": [1.5, np.nan, 3.0], "b": pd.array([True, None, False], dtype="boolean"),
        "c": pd.Categorical(["x", None, "y"]), "d": [None, 'q,"r', 5],
        "e": pd.array([1, None, 3], dtype="Int64"),
        "f": pd.Series(pd.to_datetime(["2026-03-28 12:00:00", "2026-03-30 12:00:00", None]))
        .dt.tz_localize("Europe/Berlin"),
        "g": pd.to_datetime(["2026-01-01 10:00", None, "2026-01-02 00:00"]).as_unit("us"),
        "h": ["s", None, "t"], "i": [True, False, True], "j": pd.Categorical([1, 2, None]),
        "k d": pd.Series(["a", "b", "c"], dtype="string")})
    _write_csv(df, tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").splitlines() == [
        "a,b,c,d,e,f,g,h,i,j,k d",
        '1.5,"True","x",,1,"2026-03-28 12:00:00+01:00",2026-01-01 10:00:00.000000,"s","True","1.0","a"',
        ',,,"q,""r",,"2026-03-30 12:00:00+02:00",,,"False","2.0","b"',
        '3,"False","y","5",3,,2026-01-02 00:00:00.000000,"t","True",,"c"',
    ]
    _write_csv(df.iloc[:0], tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_text(encoding="utf-8") == "a,b,c,d,e,f,g,h,i,j,k d\n"


def test_csv_in_blocks_is_the_csv_at_once(tmp_path, monkeypatch):
    """A big table is spelled and written a block of rows at a time (its text columns freed
    block by block); the bytes are those of the table at once — and where a column's spelling
    depends on the whole column (pandas' times with a fraction, numeric categories with a gap)
    it is written at once."""
    from callkit import audit as A

    times = pd.Series(pd.to_datetime(["2026-03-28 12:00:00", None, "2026-03-30 12:00:05", None,
                                      "2026-10-25 02:30:00"])).dt.tz_localize("Europe/Berlin", ambiguous=True)
    df = pd.DataFrame({"t": times, "b": [True, False, None, True, False],
                       "c": pd.Categorical(["x", None, "y", "y", "x"]), "d": [None, 'q,"r', 5, 1.5, "z"],
                       "n": [1.5, np.nan, 3.0, 4.0, 5.0], "s": pd.Series(["a", None, "c", "d", "e"], dtype="str")})
    odd = {"fraction": df.assign(t=times + pd.Timedelta("500ms")),
           "midnights": df.assign(t=times.dt.normalize()),   # pandas writes bare dates
           "numeric category": df.assign(c=pd.Categorical([1, 2, None, 1, 1]))}
    for name, frame in {"blocks": df, **odd}.items():
        whole = tmp_path / f"{name}-whole.csv"
        A._write_csv(frame, whole)
        monkeypatch.setattr(A, "CSV_BLOCK_ROWS", 2)
        blocked = tmp_path / f"{name}-blocks.csv"
        A._write_csv(frame, blocked)
        monkeypatch.setattr(A, "CSV_BLOCK_ROWS", 1 << 20)
        assert blocked.read_bytes() == whole.read_bytes(), name
        assert A._csv_in_blocks(frame) == (name == "blocks"), name
        monkeypatch.setattr(A, "_SPELL_STEP", 2)   # the columns tested two values at a time
        assert A._csv_in_blocks(frame) == (name == "blocks"), name
        monkeypatch.setattr(A, "_SPELL_STEP", 1 << 20)
    # the numeric category's gap is seen by the whole column only: 1.0 in every row
    assert (tmp_path / "numeric category-blocks.csv").read_text().splitlines()[1].split(",")[2] == '"1.0"'


def test_the_cli_process_uses_a_pool_that_returns_memory(monkeypatch):
    before = pa.default_memory_pool()
    try:
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
        assert engine.use_returning_memory_pool() == "jemalloc"
        assert pa.default_memory_pool().backend_name == "jemalloc"
        pa.set_memory_pool(before)
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")   # the user's choice stands
        assert engine.use_returning_memory_pool() == before.backend_name
    finally:
        pa.set_memory_pool(before)
