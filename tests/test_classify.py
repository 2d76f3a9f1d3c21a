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


def _status(out):
    return dict(zip(out[schema.CALL_ID], out[classify.CLIENT_STATUS].astype(object)))


def test_new_client_with_a_look_back_and_the_known_list():
    # the data starts 2026-09-20 (h1). Look-back 15 days: October is judgeable from 10-05.
    out = classify.add_client_flags(_log(), period=OCT, known_clients=[K], lookback_days=15)
    st = _status(out)
    # H: last contact 09-20 10:00, first October contact 10-05 10:00 = exactly 15 days before
    # -> inside the look-back -> existing, on every row (h1 too)
    assert st["h1"] == st["c1"] == "existing"
    # N: no contact before its first October call 10-06 -> new on both its rows
    assert st["c2"] == st["c3"] == "new"
    flags = dict(zip(out[schema.CALL_ID], out[classify.IS_NEW_CLIENT]))
    assert flags["c2"] and flags["c3"] and not flags["c1"]
    # K is on the known list -> existing; the internal call has no number; c6's number has no
    # call in October (11-01 is after it) -> NA
    assert st["c4"] == "existing" and pd.isna(st["c5"]) and pd.isna(st["c6"])
    assert not flags["c4"] and not flags["c5"] and not flags["c6"]
    inp = dict(zip(out[schema.CALL_ID], out[classify.IN_PERIOD]))
    assert [inp[k] for k in ("h1", "c1", "c6")] == [False, True, False]
    fc = out.set_index(schema.CALL_ID)[classify.FIRST_CONTACT]
    assert fc["c1"] == pd.Timestamp("2026-09-20 10:00", tz="Europe/Moscow")
    assert pd.isna(fc["c5"])
    cov = classify.new_client_coverage(out, period=OCT, lookback_days=15)
    assert cov.sufficient and cov.first_judgeable == dt.date(2026, 10, 5) and cov.note() == ""
    # the input is not mutated
    assert classify.IS_NEW_CLIENT not in _log().columns


def test_a_client_unseen_longer_than_the_look_back_is_new_again():
    # look-back 14 days: H's last contact (09-20) is 15 days before 10-05 -> new again
    out = classify.add_client_flags(_log(), period=OCT, lookback_days=14)
    assert _status(out)["c1"] == "new"


def test_look_back_covered_or_not_by_one_day():
    # N's first October contact is 10-06; the data starts 09-20.
    # look-back 16: first judgeable date 09-20 + 16 = 10-06 -> covered -> new
    out = classify.add_client_flags(_log(), period=OCT, lookback_days=16)
    assert _status(out)["c2"] == "new"
    assert classify.new_client_coverage(out, period=OCT, lookback_days=16).sufficient
    # look-back 17: first judgeable 10-07, one day after 10-06 -> N cannot be judged; H (seen
    # 15 days before) is existing all the same
    out = classify.add_client_flags(_log(), period=OCT, lookback_days=17)
    st = _status(out)
    assert st["c2"] == st["c3"] == "new_unknown" and st["c1"] == "existing"
    # K (not on a known list here) is first called 10-08, after 10-07: judged, new
    assert st["c4"] == "new"
    flags = dict(zip(out[schema.CALL_ID], out[classify.IS_NEW_CLIENT]))
    assert not flags["c2"] and not flags["c3"] and flags["c4"]
    cov = classify.new_client_coverage(out, period=OCT, lookback_days=17)
    assert not cov.sufficient and cov.unknown_calls == 2       # c2 and c3
    assert "7 October 2026" in cov.note("en") and "7 октября 2026" in cov.note("ru")   # dates in words


def test_period_none_has_no_history_so_new_clients_cannot_be_judged():
    # the period is the whole data range 2026-09-20..11-01: nothing before it, so with the
    # default 90 days every number without an earlier contact in the range is new_unknown
    out = classify.add_client_flags(_log(), period=None)
    assert out[classify.IN_PERIOD].all()
    st = _status(out)
    assert st["h1"] == "new_unknown" and st["c1"] == "new_unknown"
    cov = classify.new_client_coverage(out, period=None)
    assert not cov.sufficient and cov.first_judgeable == dt.date(2026, 12, 19)


def test_lookback_days_must_be_a_positive_whole_number():
    with pytest.raises(InputError, match="lookback_days"):
        classify.add_client_flags(_log(), period=OCT, lookback_days=0)


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


# --------------------------------------------------------------------------------------------
# the answering group of an incoming call (issue 9 item 4)


def _group_log():
    def inc(cid, who, dept, status="answered", line=None, ext=None):
        return call(cid, "2026-10-05 10:00", "incoming", status, who, N, talk=60, dept=dept,
                    line=line, ext=ext)

    calls = calls_frame([
        # queue 602: four calls answered by Sue (Сервис), one by Bob (B2B) overflowing, one that
        # rang nobody -> 4 of 5 with a department are Сервис = 80 % -> the queue is Сервис's
        *[inc(f"q{i}", "Sue", "Сервис", ext="301") for i in range(1, 5)],
        inc("q5", "Bob", "B2B", ext="101"), inc("q6", None, None, status="missed"),
        # queue 600, shared: Bob (B2B) twice, Ann (B2C) once, one missed -> a group of its own
        inc("s1", "Bob", "B2B", ext="101"), inc("s4", "Bob", "B2B", ext="101"),
        inc("s2", "Ann", "B2C", ext="201"), inc("s3", None, None, status="missed"),
        # dialled straight to Ann's extension (no queue, no line): her department
        inc("d1", "Ann", "B2C", ext="201"), inc("d2", "Ann", "B2C", ext="201"),
        # no legs: the line; Sue answered on it, so a missed call there that rang nobody is hers
        inc("l2", "Sue", "Сервис", line="+74950001300", ext="301"),
        inc("l1", None, None, status="missed", line="+74950001300"),
        # nothing to place it
        inc("x1", None, None, status="missed"),
        call("o1", "2026-10-05 11:00", "outgoing", "answered", "Tom", N, talk=30, dept="B2C"),
        call("z1", "2026-10-05 11:00", "outgoing", "answered", "Zed", N, talk=30, dept="Склад"),
    ])
    legs = []
    for cid, dst, ext in [("q1", "602", "301"), ("q2", "602", "301"), ("q3", "602", "301"),
                          ("q4", "602", "301"), ("q5", "602", "301"), ("q5", "602", "101"),
                          ("q6", "602", None), ("s1", "600", "101"), ("s4", "600", "101"),
                          ("s2", "600", "201"), ("s3", "600", None), ("d1", "201", "201"),
                          ("d2", "201", "201")]:
        legs.append({"call_id": cid, "start": pd.Timestamp("2026-10-05 10:00", tz="Europe/Moscow"),
                     "dst": dst, "extension": ext})
    return calls, pd.DataFrame(legs)


def test_answering_group_from_queue_line_and_department():
    calls, legs = _group_log()
    out = classify.add_answering_group(calls, legs=legs)
    g = dict(zip(out[schema.CALL_ID], out[classify.ANSWERING_GROUP].astype(object)))
    e = dict(zip(out[schema.CALL_ID], out[classify.ENTRY_POINT].astype(object)))
    assert e["q6"] == "602" and pd.isna(e["d1"])      # 201 is an extension, not a queue
    # 602 is Сервис's (80 %): the overflow answered by Bob and the one nobody took count there
    assert {g[k] for k in ("q1", "q5", "q6")} == {"Сервис"}
    # 600 is shared: one pool serves it
    assert {g[k] for k in ("s1", "s2", "s3")} == {"600"}
    assert g["d1"] == "B2C"                                   # no queue: the department
    assert g["l1"] == "Сервис" and e["l1"] == "+74950001300"  # the line's department
    assert g["x1"] == classify.NO_GROUP
    assert pd.isna(g["o1"])                                   # outgoing: no group
    # with a stricter majority 602 (80 %) is shared too
    strict = classify.add_answering_group(calls, legs=legs, min_share=0.9)
    assert strict.set_index(schema.CALL_ID).loc["q6", classify.ANSWERING_GROUP] == "602"
    # without legs nothing knows the queues: the calls' own departments
    bare = classify.add_answering_group(calls).set_index(schema.CALL_ID)[classify.ANSWERING_GROUP]
    assert bare["q5"] == "B2B" and bare["q6"] == classify.NO_GROUP


def test_group_members():
    calls, legs = _group_log()
    mem = classify.group_members(classify.add_answering_group(calls, legs=legs))
    # Sue answered 5 Сервис calls; Bob 1 Сервис + 2 of queue 600 -> 600; Ann 1 of 600 + 2 B2C
    # -> B2C; Tom answered none -> his department B2C (a group); Zed's Склад takes no calls
    assert mem.to_dict() == {"Ann": "B2C", "Bob": "600", "Sue": "Сервис", "Tom": "B2C"}
