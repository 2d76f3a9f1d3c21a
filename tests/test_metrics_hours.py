"""Working hours (issue 9 item 3) on tiny hand-made logs: the boundaries (17:59 vs 18:00, a
holiday, a Saturday), working days, off-hours traffic, and the profile key."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from test_metrics_helpers import call, calls_frame

from callkit.errors import ProfileError
from callkit.metrics import missed_calls, peak_hours, presence_at_peaks, traffic
from callkit.metrics.headline import headline, off_hours_text
from callkit.metrics.hours import (
    WorkingHours,
    in_working_hours,
    off_hours,
    off_hours_summary,
    parse_working_hours,
    silent_working_dates,
    slot_exposure,
    working_days,
)
from callkit.metrics.tech import tech_signals
from callkit.profile import profile_from_dict

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
N1, N2, N3 = "+79720123456", "+74950012345", "+79730123457"
S = "Sales"
HOLIDAY = dt.date(2026, 10, 14)   # a Wednesday the profile lists as a holiday


def log():
    return calls_frame([
        # Monday 10-05: a call at 17:59:59 is inside, one at 18:00:00 is not
        call("m1", "2026-10-05 17:59:59", "incoming", "missed", None, N1, dept=S),
        call("m2", "2026-10-05 18:00:00", "incoming", "missed", None, N2, dept=S),
        call("m3", "2026-10-05 08:59:59", "incoming", "answered", "Ann", N3, talk=60, dept=S),
        call("m4", "2026-10-05 09:00:00", "incoming", "answered", "Ann", N3, talk=60, dept=S),
        # Saturday 10-10: outside the default working week
        call("s1", "2026-10-10 11:00", "incoming", "answered", "Ann", N1, talk=30, dept=S),
        # a holiday Wednesday: every call is off hours
        call("h1", "2026-10-14 10:00", "incoming", "missed", None, N2, dept=S),
        # Tuesday 10-06: an ordinary working day with one outgoing call only
        call("t1", "2026-10-06 12:00", "outgoing", "answered", "Ann", N2, talk=30, dept=S),
    ])


DEFAULT = WorkingHours.default()
WITH_HOLIDAY = parse_working_hours({"holidays": [HOLIDAY.isoformat()]})


def test_boundaries_17_59_vs_18_00_saturday_and_holiday():
    c = log()
    got = dict(zip(c["call_id"], in_working_hours(c, WITH_HOLIDAY)))
    assert got["m1"] and not got["m2"]          # 17:59:59 inside, 18:00:00 outside
    assert not got["m3"] and got["m4"]          # 08:59:59 outside, 09:00:00 inside
    assert not got["s1"]                        # Saturday
    assert not got["h1"]                        # the holiday
    assert got["t1"]
    # without the holiday, Wednesday 10:00 is inside
    assert dict(zip(c["call_id"], in_working_hours(c, DEFAULT)))["h1"]
    # no working hours = every call inside
    assert in_working_hours(c, None).all()


def test_working_days_count_working_dates_with_a_call_inside_hours():
    c = log()
    # Mon 10-05 (m1, m4), Tue 10-06 (t1); Sat 10-10 is no working day; Wed 10-14 is a holiday
    wd = working_days(c, period=OCT, working_hours=WITH_HOLIDAY)
    assert list(wd) == [1, 1, 0, 0, 0, 0, 0]
    # without the holiday the Wednesday counts (h1 at 10:00 is inside its hours)
    assert list(working_days(c, period=OCT, working_hours=DEFAULT)) == [1, 1, 1, 0, 0, 0, 0]
    # round the clock: every date with any call (the old rule) - Sat counts, Wed counts
    assert list(working_days(c, period=OCT)) == [1, 1, 1, 0, 0, 1, 0]
    # the working dates of October without a single call: 22 weekdays (Thu 1 .. Fri 30) minus
    # the holiday minus Mon 5 and Tue 6 = 19
    silent = silent_working_dates(c, period=OCT, working_hours=WITH_HOLIDAY)
    assert len(silent) == 19 and HOLIDAY not in silent and dt.date(2026, 10, 7) in silent


def test_traffic_counts_only_inside_hours_and_off_hours_the_rest():
    c = log()
    t = traffic(c, period=OCT, working_hours=WITH_HOLIDAY).set_index(["weekday", "hour"])
    # inside: m1 (Mon 17, missed), m4 (Mon 9, answered); nothing on Saturday or at 18
    assert t["incoming"].sum() == 2 and t.loc[(0, 17), "missed"] == 1
    assert t.loc[(0, 9), "answered"] == 1 and t.loc[(0, 18), "incoming"] == 0
    assert t.loc[(5, 11), "incoming"] == 0 and t.loc[(0, 10), "days"] == 1
    off = off_hours(c, period=OCT, working_hours=WITH_HOLIDAY)
    rows = {(w, h): (i, m) for w, h, i, m in zip(off.weekday, off.hour, off.incoming, off.missed)}
    # m2 Mon 18 missed, m3 Mon 8 answered, s1 Sat 11 answered, h1 Wed 10 (holiday) missed
    assert rows == {(0, 8): (1, 0), (0, 18): (1, 1), (2, 10): (1, 1), (5, 11): (1, 0)}
    # the two reconcile: 2 inside + 4 outside = the 6 incoming of the period
    assert t["incoming"].sum() + off["incoming"].sum() == 6
    miss = missed_calls(c, period=OCT, working_hours=WITH_HOLIDAY)
    summ = off_hours_summary(off, miss)
    # off hours: 4 calls, 2 missed: m2 (N2, Mon 18:00) was called back by t1 the next day at
    # 12:00 (18 h, answered) -> not lost; h1 (N2, 10-14) had nothing after it -> lost
    assert summ == {"calls": 4, "missed": 2, "lost": 1}
    tech = tech_signals(c, period=OCT, working_hours=WITH_HOLIDAY)
    h = headline(traffic=t.reset_index(), missed=miss, tech=tech, off_hours=off)
    # inside: m1 (N1, Mon 17:59:59) missed; nobody called back, but N1 called again on the
    # Saturday and was answered (s1) -> reached, not lost
    assert (h["incoming"], h["missed"], h["called_back"], h["reached"], h["lost_calls"]) == \
        (2, 1, 0, 1, 0)
    assert (h["off_hours_calls"], h["off_hours_missed"], h["off_hours_lost"]) == (4, 2, 1)
    assert h["working_days"] == 2
    assert off_hours_text(h, "en") == ("4 calls outside working hours in the period, 2 of them "
                                       "missed, 1 of those never called back in time nor reached.")
    assert off_hours_text(h).startswith("4 звонков вне рабочего времени за период, из них пропущено 2")


def test_peaks_and_presence_only_inside_working_hours():
    c = calls_frame([
        # two Mondays with 3 incoming at 10 and, on the Saturday, 5 at 11 (off hours)
        *[call(f"a{i}", f"2026-10-05 10:{i:02d}", "incoming", "answered", "Ann", N1, talk=30, dept=S)
          for i in range(3)],
        *[call(f"b{i}", f"2026-10-12 10:{i:02d}", "incoming", "answered", "Ann", N1, talk=30, dept=S)
          for i in range(3)],
        *[call(f"s{i}", f"2026-10-10 11:{i:02d}", "incoming", "answered", "Bob", N2, talk=30, dept=S)
          for i in range(5)],
        # Bob works Monday 10-05 at 12:00 only
        call("x", "2026-10-05 12:00", "outgoing", "answered", "Bob", N3, talk=30, dept=S),
    ])
    t = traffic(c, period=OCT, working_hours=DEFAULT)
    p = peak_hours(t, top=1)
    # 6 incoming at 10 over 2 working days -> 3 per day; Saturday 11 (5 calls) is no peak
    assert list(p["hour"]) == [10] and p.loc[0, "mean_per_day"] == 3.0
    pres = presence_at_peaks(c, period=OCT, top=1, working_hours=DEFAULT)
    key = {(e, str(np.datetime64(d, "D"))): a for e, d, a in zip(pres.employee, pres.date, pres.present)}
    # the department's peak is 10; Bob worked the Saturday (not a working day: no slot) and
    # Monday 10-05 (absent at 10)
    assert key == {("Ann", "2026-10-05"): True, ("Ann", "2026-10-12"): True,
                   ("Bob", "2026-10-05"): False}


def test_slot_exposure_counts_a_half_hour_as_half():
    c = calls_frame([call("a", "2026-10-05 09:10", "incoming", "answered", "Ann", N1, talk=30),
                     call("b", "2026-10-12 09:10", "incoming", "answered", "Ann", N1, talk=30)])
    wh = parse_working_hours({"from": "09:00", "to": "17:30"})
    e = slot_exposure(c, period=OCT, working_hours=wh).set_index(["weekday", "hour"])
    assert e.loc[(0, 17), "days"] == 2 and e.loc[(0, 17), "hours"] == 1.0   # 2 x 30 min
    assert e.loc[(0, 9), "hours"] == 2.0 and (0, 18) not in e.index


def test_parse_working_hours_and_its_errors():
    wh = parse_working_hours({"days": ["пн", "вт", "ср", "чт", "пт"], "from": "08:30", "to": 1050,
                              "by_day": {"sat": {"from": "10:00", "to": "14:00"}},
                              "holidays": [dt.date(2026, 11, 4)], "workdays": ["2026-11-01"]})
    # "to: 17:30" unquoted reaches us as the base-60 number 1050 = 17 x 60 + 30
    assert wh.spans[0] == (510, 1050) and wh.spans[5] == (600, 840) and wh.spans[6] is None
    assert wh.describe() == ("Пн–Пт 08:30–17:30, Сб 10:00–14:00; праздничных дней: 1; "
                             "перенесённых рабочих дней: 1")
    # a listed working Sunday uses the main hours
    day = np.array(["2026-11-01", "2026-11-04", "2026-11-08"], dtype="datetime64[D]")
    lo, hi = wh.date_spans(day)
    assert list(lo) == [510, 0, 0] and list(hi) == [1050, 0, 0]
    for bad, msg in ((["mon"], "expected a mapping"),
                     ({"days": ["mon", "fry"]}, r"working_hours.days\[1\]' has 'fry'"),
                     ({"from": "9"}, "expected a time"),
                     ({"from": "25:00"}, "from \"00:00\" to \"24:00\""),
                     ({"from": "18:00", "to": "09:00"}, "expected 'to' after 'from'"),
                     ({"holidays": ["someday"]}, r"holidays\[0\]' has 'someday'"),
                     ({"days": []}, "lists no working day"),
                     ({"lunch": "13:00"}, "working_hours.lunch' is unknown")):
        with pytest.raises(ProfileError, match=msg):
            parse_working_hours(bad)
    # through the profile: default, and the errors name the profile
    assert profile_from_dict({"client": "x", "slug": "x"}, check_files=False).working_hours == DEFAULT
    with pytest.raises(ProfileError, match="^p.yaml: field 'working_hours.to'"):
        profile_from_dict({"client": "x", "slug": "x", "working_hours": {"to": "9:61"}},
                          where="p.yaml", check_files=False)
    with pytest.raises(ProfileError, match="lookback_days"):
        profile_from_dict({"client": "x", "slug": "x", "lookback_days": "long"}, check_files=False)


def test_short_ring_drops_count_inside_working_hours_only():
    # two calls dropped after 2 s: 17:59 is inside, 18:00 is not; a 2 s busy is a refusal
    c = calls_frame([
        call("d1", "2026-10-05 17:59", "incoming", "missed", None, N1, ring=2, dept=S),
        call("d2", "2026-10-05 18:00", "incoming", "missed", None, N2, ring=2, dept=S),
        call("d3", "2026-10-05 12:00", "incoming", "busy", None, N3, ring=2, dept=S),
        call("d4", "2026-10-05 12:10", "incoming", "missed", None, N3, ring=30, dept=S),
    ])
    tech = tech_signals(c, period=OCT, working_hours=DEFAULT).set_index(["signal", "subject"])
    # inside: d1, d3, d4 unanswered; d1 is the only drop (d3 busy, d4 rang 30 s)
    assert tech.loc[("short_ring_drops", "all"), "count"] == 1
    assert tech.loc[("short_ring_drops", "all"), "reference"] == 3
    miss = missed_calls(c, period=OCT, working_hours=DEFAULT)
    assert dict(zip(miss["call_id"], miss["short_ring"])) == {"d1": True, "d2": False,
                                                              "d3": False, "d4": False}


def test_remembered_answers_are_the_computed_ones_even_after_an_edit():
    """Inside metrics._memo.remembered (the audit runs in it) in_working_hours and text_codes
    reuse their answers only for the same values: a start time or a number changed in place
    gives the new answer, not the remembered one; outside, nothing is kept."""
    import pandas as pd

    from callkit.metrics import _memo
    from callkit.metrics._util import text_codes

    calls = calls_frame([
        call("a", "2026-10-05 10:00", "incoming", "answered", "Ann", "+79720123456"),   # Monday
        call("b", "2026-10-05 19:00", "incoming", "missed", None, "+79730123457"),      # after 18:00
        call("c", "2026-10-10 11:00", "outgoing", "answered", "Ann", "+79720123456"),   # Saturday
    ])
    wh = WorkingHours.default()
    with _memo.remembered():
        assert in_working_hours(calls, wh).tolist() == [True, False, False]
        got = in_working_hours(calls, wh)
        got[:] = True                     # the caller's copy: the kept answer is untouched
        assert in_working_hours(calls, wh).tolist() == [True, False, False]
        assert in_working_hours(calls, WorkingHours.always()).tolist() == [True, True, True]
        calls.loc[1, "start"] = pd.Timestamp("2026-10-05 12:00", tz="Europe/Moscow")
        assert in_working_hours(calls, wh).tolist() == [True, True, False]
        assert text_codes(calls["client_number"]).tolist() == [0, 1, 0]
        calls.loc[2, "client_number"] = "+79740123458"
        assert text_codes(calls["client_number"]).tolist() == [0, 1, 2]
        assert len(_memo.entries("text_codes")) == 2
    assert _memo.entries("text_codes") is None and _memo.entries("working_hours") is None


def test_a_second_thread_shares_the_remembered_answers_and_its_own_are_forgotten():
    """The audit's second thread runs in remembered(shared=current()): it finds the answers
    the first thread kept (the very same arrays, not computed again) and adds its own to the
    same lists; outside, neither thread keeps anything."""
    import threading

    from callkit.metrics import _memo
    from callkit.metrics._util import text_codes

    calls = calls_frame([
        call("a", "2026-10-05 10:00", "incoming", "answered", "Ann", "+79720123456"),
        call("b", "2026-10-05 19:00", "incoming", "missed", None, "+79730123457"),
    ])
    wh = WorkingHours.default()
    seen = {}

    def worker(memo):
        with _memo.remembered(shared=memo):
            seen["codes"] = text_codes(calls["client_number"])
            seen["hours"] = in_working_hours(calls, wh).tolist()
        seen["after"] = _memo.entries("text_codes")

    with _memo.remembered():
        first = text_codes(calls["client_number"])
        t = threading.Thread(target=worker, args=(_memo.current(),))
        t.start()
        t.join()
        assert seen["codes"].tolist() == first.tolist() == [0, 1]
        assert len(_memo.entries("text_codes")) == 1          # the worker reused it: no second entry
        assert seen["hours"] == [True, False]
        assert len(_memo.entries("working_hours")) == 1       # the worker's answer, kept in common
    assert seen["after"] is None and _memo.current() is None
