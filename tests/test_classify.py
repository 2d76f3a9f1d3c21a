"""Tests of callkit.classify on hand-built call logs."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_metrics_helpers import call, calls_frame

from callkit import classify, schema
from callkit.errors import InputError

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
H = "+74950012345"   # first seen in the history month (September)
N = "+79720123456"   # first seen in October -> new
K = "+79730123457"   # first seen in October but on the known-clients list -> not new


def _log():
    return calls_frame([
        call("h1", "2026-09-20 10:00", "outgoing", "answered", "Ann", H, talk=75),
        call("c1", "2026-10-05 10:00", "outgoing", "answered", "Ann", H, talk=12),
        call("c2", "2026-10-06 10:00", "outgoing", "missed", "Ann", N),
        call("c3", "2026-10-07 10:00", "incoming", "answered", "Bob", N, talk=40),
        call("c4", "2026-10-08 10:00", "outgoing", "answered", "Bob", K, talk=300),
        call("c5", "2026-10-08 11:00", "internal", "answered", "Bob", None, talk=90),
        call("c6", "2026-11-01 00:00", "outgoing", "answered", "Bob", "+79740123458", talk=10),
    ])


def test_new_client_history_month_and_known_list():
    out = classify.add_client_flags(_log(), period=OCT, known_clients=[K])
    flags = dict(zip(out[schema.CALL_ID], out[classify.IS_NEW_CLIENT]))
    # H first contact 2026-09-20 (before the period) -> existing on every row
    assert flags["h1"] is False and flags["c1"] is False
    # N first contact 2026-10-06 inside October -> new on both its rows
    assert flags["c2"] is True and flags["c3"] is True
    # K first seen in October but known; internal call has no number; c6's number first seen
    # 2026-11-01, after the period -> not new
    assert flags["c4"] is False and flags["c5"] is False and flags["c6"] is False
    inp = dict(zip(out[schema.CALL_ID], out[classify.IN_PERIOD]))
    assert [inp[k] for k in ("h1", "c1", "c6")] == [False, True, False]
    fc = out.set_index(schema.CALL_ID)[classify.FIRST_CONTACT]
    assert fc["c1"] == pd.Timestamp("2026-09-20 10:00", tz="Europe/Moscow")
    assert pd.isna(fc["c5"])
    # the input is not mutated
    assert classify.IS_NEW_CLIENT not in _log().columns


def test_period_none_is_whole_range_so_history_number_is_new():
    out = classify.add_client_flags(_log(), period=None)
    # the range is 2026-09-20..2026-11-01, so H's first contact is inside it
    assert out[classify.IN_PERIOD].all()
    assert bool(out.loc[out[schema.CALL_ID] == "c1", classify.IS_NEW_CLIENT].iloc[0])


def test_call_kind_fallback_duration_rule():
    out = classify.add_client_flags(_log(), period=OCT)
    kind = dict(zip(out[schema.CALL_ID], out[classify.CALL_KIND_FALLBACK]))
    # 75 s >= 60 -> negotiation; 12 s < 20 -> navigation; 40 s in between -> unknown
    assert kind["h1"] == "negotiation" and kind["c1"] == "navigation" and kind["c3"] == "unknown"
    # unanswered and internal calls had no client conversation -> NA
    assert pd.isna(kind["c2"]) and pd.isna(kind["c5"])


def test_period_bounds_and_errors():
    lo, hi, p = classify.period_bounds(_log(), ("2026-10-01", "2026-10-31"))
    assert lo == pd.Timestamp("2026-10-01", tz="Europe/Moscow")
    assert hi == pd.Timestamp("2026-11-01", tz="Europe/Moscow")
    assert p == OCT
    with pytest.raises(InputError, match="before it starts"):
        classify.period_bounds(_log(), ("2026-10-31", "2026-10-01"))
    with pytest.raises(InputError, match="expected a date"):
        classify.period_bounds(_log(), ("октябрь", "2026-10-01"))


def test_load_known_clients_csv_russian_header(tmp_path):
    p = tmp_path / "clients.csv"
    p.write_text("Клиент;Телефон\nООО Альфа;8 (972) 012-34-56\nООО Бета;+7 495 001-23-45\n"
                 "ООО Альфа;89720123456\nмусор;12\n", encoding="utf-8")
    nums = classify.load_known_clients(p)
    # three spellings of two numbers + one junk value -> the two E.164 numbers
    assert sorted(nums) == ["+74950012345", "+79720123456"]


def test_load_known_clients_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        classify.load_known_clients(tmp_path / "nope.csv")


def test_infer_departments_from_the_line_only():
    c = calls_frame([
        call("a", "2026-10-05 10:00", "incoming", "answered", "Ann", N, talk=30, dept="Sales",
             line="+74950001100"),
        call("b", "2026-10-05 10:05", "incoming", "answered", "Bob", H, talk=30, dept="Sales",
             line="+74950001100"),
        call("c", "2026-10-05 10:06", "incoming", "answered", "Cat", H, talk=30, dept="Sales",
             line="+74950001100"),
        call("s", "2026-10-05 10:07", "incoming", "answered", "Sue", H, talk=30, dept="Service",
             line="+74950001100"),
        call("t", "2026-10-05 10:08", "incoming", "answered", "Sue", H, talk=30, dept="Service",
             line="+74950001300"),
        # the loader already placed this one (it rang Sales people): never changed
        call("q", "2026-10-05 11:00", "incoming", "missed", None, N, dept="Sales",
             line="+74950001300"),
        # rang nobody on the Sales line: 3 of 4 known sessions there are Sales = 75 % < 80 %
        call("l", "2026-10-05 13:00", "incoming", "missed", None, N, line="+74950001100"),
        # rang nobody on the Service line: t and q -> 1 of 2 = 50 %, stays NA
        call("m", "2026-10-05 13:30", "incoming", "missed", None, N, line="+74950001300"),
    ])
    out = classify.infer_departments(c).set_index(schema.CALL_ID)
    assert out.loc["q", "department"] == "Sales" and not out.loc["q", classify.DEPARTMENT_INFERRED]
    assert pd.isna(out.loc["l", "department"]) and pd.isna(out.loc["m", "department"])
    # with a 70 % majority the Sales line's 3 of 4 is enough; the Service line's 50 % is not
    out = classify.infer_departments(c, min_share=0.7).set_index(schema.CALL_ID)
    assert out.loc["l", "department"] == "Sales" and out.loc["l", classify.DEPARTMENT_INFERRED]
    assert pd.isna(out.loc["m", "department"]) and not out.loc["m", classify.DEPARTMENT_INFERRED]
    assert out[classify.DEPARTMENT_INFERRED].sum() == 1
    # the input is not mutated
    assert classify.DEPARTMENT_INFERRED not in c.columns and pd.isna(c.loc[6, "department"])


def test_period_bounds_where_dst_skips_midnight():
    # Santiago moves its clocks 00:00 -04:00 -> 01:00 -03:00 on 2026-09-06: local midnight does
    # not exist that day, so the day starts at 01:00 -03:00 (pandas used to raise here)
    c = calls_frame([]).assign(**{schema.START: pd.Series(dtype="datetime64[ns, America/Santiago]")})
    lo, hi, _ = classify.period_bounds(c, ("2026-09-06", "2026-09-06"))
    assert lo == pd.Timestamp("2026-09-06 01:00", tz="America/Santiago")
    assert lo.utcoffset() == pd.Timedelta(hours=-3)
    assert hi == pd.Timestamp("2026-09-07 00:00", tz="America/Santiago")
    _, hi, _ = classify.period_bounds(c, ("2026-09-01", "2026-09-05"))
    # 2026-09-06 01:00 -03:00 = 04:00 UTC = 2026-09-06 00:00 -04:00 (the instant midnight would be)
    assert hi == pd.Timestamp("2026-09-06 04:00", tz="UTC")
