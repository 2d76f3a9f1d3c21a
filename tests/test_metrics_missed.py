"""missed_calls and to_call_back on a hand-worked log (DESIGN §3)."""
from __future__ import annotations

import math

import pandas as pd
from test_metrics_helpers import call, calls_frame

from callkit.metrics.missed import MISSED_COLUMNS, missed_calls, to_call_back

S = "Sales"
N1, N2, N3 = "+79720123451", "+79720123452", "+74950012353"
N4, N5 = "+74950012354", "+79720123455"


def log():
    return calls_frame([
        call("i0", "2026-10-05 09:00", "incoming", "answered", "Ann", N1, talk=30, dept=S),
        # x1: called back after 30 min (unanswered), then reached at 12:00
        call("x1", "2026-10-05 10:00", "incoming", "missed", None, N1, dept=S),
        call("o1", "2026-10-05 10:30", "outgoing", "missed", "Ann", N1, dept=S),
        call("o2", "2026-10-05 12:00", "outgoing", "answered", "Ann", N1, talk=60, dept=S),
        # x2: first callback 30 h later (after the 24 h window) and busy -> lost
        call("x2", "2026-10-05 11:00", "incoming", "missed", "Bob", N2, dept=S),
        call("o3", "2026-10-06 17:00", "outgoing", "busy", "Bob", N2, dept=S),
        # x3: busy; called back 28 h later and answered -> reached, so not lost
        call("x3", "2026-10-05 11:30", "incoming", "busy", None, N3, dept=S),
        call("o4", "2026-10-06 15:30", "outgoing", "answered", "Bob", N3, talk=45, dept=S),
        # x4: never called back, but the client called again and got through -> reached
        call("x4", "2026-10-05 12:00", "incoming", "missed", None, N4, dept=S),
        call("i1", "2026-10-07 09:00", "incoming", "answered", "Ann", N4, talk=50, dept=S),
        # x5: hidden number -> cannot be called back -> lost
        call("x5", "2026-10-05 13:00", "incoming", "failed", None, None, dept=S),
        # x6: the only outgoing call to N5 was BEFORE the miss -> no callback -> lost
        call("o5", "2026-10-06 08:00", "outgoing", "answered", "Ann", N5, talk=20, dept=S),
        call("x6", "2026-10-06 09:00", "incoming", "missed", None, N5, dept=S),
    ])


def test_missed_calls_hand_worked():
    m = missed_calls(log(), window_h=24)
    assert list(m.columns[:len(MISSED_COLUMNS)]) == list(MISSED_COLUMNS)
    assert list(m["call_id"]) == ["x1", "x2", "x3", "x4", "x5", "x6"]
    m = m.set_index("call_id")
    assert m.loc["x1", "callback_at"] == pd.Timestamp("2026-10-05 10:30", tz="Europe/Moscow")
    assert m.loc["x1", "callback_delay_s"] == 1800 and m.loc["x1", "callback_by"] == "Ann"
    assert m.loc["x1", "reached"] and not m.loc["x1", "lost"]
    # x2: 11:00 -> next day 17:00 = 30 h = 108000 s > 24 h, busy -> lost
    assert m.loc["x2", "callback_delay_s"] == 108000
    assert not m.loc["x2", "reached"] and m.loc["x2", "lost"]
    # x3: 28 h = 100800 s late but answered -> reached, not lost
    assert m.loc["x3", "callback_delay_s"] == 100800
    assert m.loc["x3", "reached"] and not m.loc["x3", "lost"]
    # x4: no callback, later incoming answered -> reached
    assert pd.isna(m.loc["x4", "callback_at"]) and math.isnan(m.loc["x4", "callback_delay_s"])
    assert m.loc["x4", "reached"] and not m.loc["x4", "lost"]
    assert m.loc["x5", "lost"] and not m.loc["x5", "reached"]
    assert pd.isna(m.loc["x6", "callback_at"]) and m.loc["x6", "lost"]
    assert m.loc["x2", "employee"] == "Bob" and pd.isna(m.loc["x1", "employee"])


def test_window_is_configurable():
    m = missed_calls(log(), window_h=48).set_index("call_id")
    # x2's 30 h callback is inside a 48 h window -> not lost although never reached
    assert not m.loc["x2", "lost"]


def test_to_call_back_list():
    t = to_call_back(missed_calls(log()))
    # unreached numbers: N5 (missed 10-06 09:00, never called) and N2 (called, busy);
    # x5 has no number; newest first
    assert list(t["client_number"]) == [N5, N2]
    assert list(t["called_back"]) == [False, True]
    assert list(t["missed"]) == [1, 1]


def test_period_limits_the_list_not_the_callbacks():
    m = missed_calls(log(), period=("2026-10-05", "2026-10-05"))
    # x6 (10-06) is outside; x2's callback on 10-06 is still found
    assert "x6" not in set(m["call_id"])
    assert m.set_index("call_id").loc["x2", "callback_delay_s"] == 108000
