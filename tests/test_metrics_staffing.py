"""Erlang C and staffing per slot, on worked numbers."""
from __future__ import annotations

import math

import pytest
from test_metrics_helpers import call, calls_frame

from callkit.errors import InputError
from callkit.metrics.staffing import erlang_c, required_agents, service_level, staffing


def test_erlang_c_reference_numbers():
    # 100 calls/h x 180 s AHT / 3600 = 5 Erlangs; target 80 % within 20 s
    a = 100 * 180 / 3600
    assert a == 5.0
    # P(wait) with 8 agents 0.1673; SL = 1 - 0.1673 * exp(-(8-5)*20/180) = 0.880
    assert math.isclose(erlang_c(8, a), 0.16727, abs_tol=1e-5)
    assert round(service_level(8, a, 180, 20), 3) == 0.880
    # 7 agents: 1 - 0.3241 * exp(-2*20/180) = 0.740 < 0.8 -> 8 agents are needed
    assert round(service_level(7, a, 180, 20), 3) == 0.740
    assert required_agents(a, 180, target=0.8, answer_within_s=20) == 8
    # no load -> no agents; agents <= load -> every call waits
    assert required_agents(0.0, 180) == 0 and erlang_c(5, 5.0) == 1.0
    with pytest.raises(InputError, match="expected a fraction"):
        required_agents(5.0, 180, target=1.5)


def _monday(day, emps=6):
    # 100 incoming per Monday 10:00-10:59:24, one every 36 s, ring 5 s + talk 180 s = 185 s,
    # answered in turn by E0..E5
    rows = []
    for i in range(100):
        s = f"2026-10-{day} 10:{(i * 36) // 60:02d}:{(i * 36) % 60:02d}"
        rows.append(call(f"{day}-{i}", s, "incoming", "answered", f"E{i % emps}", "+79720123456",
                         ring=5, talk=180, dept="Sales"))
    return rows


def test_staffing_slot_hand_worked():
    rows = _monday("05") + _monday("12")
    rows.append(call("t1", "2026-10-06 09:10", "incoming", "answered", "E0", "+74950012345",
                     talk=60, dept="Sales"))
    st = staffing(calls_frame(rows)).set_index(["weekday", "hour"])
    mon = st.loc[(0, 10)]
    # 200 incoming over 2 Mondays -> 100 calls/h; AHT 180 s -> 5 Erlangs -> 8 agents
    assert mon.calls_per_hour == 100 and mon.aht_s == 180 and mon.erlangs == 5.0
    assert mon.required_agents == 8
    # 6 distinct employees each Monday -> 6.0 active < 8 -> understaffed
    assert mon.active_employees == 6.0 and mon.understaffed
    # arrivals every 36 s, each lasting 185 s: at a start the 5 previous calls are still on
    # (5*36 = 180 < 185) -> 6 simultaneous
    assert mon.max_concurrent == 6
    tue = st.loc[(1, 9)]
    # 1 call of 60 s on the one Tuesday: A = 1/60 Erlang -> 1 agent; E0 was there
    assert tue.calls_per_hour == 1 and tue.aht_s == 60 and tue.required_agents == 1
    assert tue.active_employees == 1 and not tue.understaffed
    # wrap-up is added to the AHT
    st2 = staffing(calls_frame(rows), wrapup_s=20).set_index(["weekday", "hour"])
    assert st2.loc[(0, 10), "aht_s"] == 200
    assert len(st) == 168 and st.loc[(3, 3), "required_agents"] == 0


def test_staffing_without_any_answered_incoming():
    # 12 calls on Monday 2026-10-05 at 10:00-10:55, all missed: no answered call gives a talk
    # time, so AHT is unknown (NaN) and no agents can be computed -> 0 required, not
    # understaffed; the 12 calls are still offered (12 per Monday over 1 Monday)
    rows = [call(f"m{i}", f"2026-10-05 10:{i * 5:02d}", "incoming", "missed", None,
                 "+79720123456", dept="Sales") for i in range(12)]
    mon = staffing(calls_frame(rows)).set_index(["weekday", "hour"]).loc[(0, 10)]
    assert mon.calls_per_hour == 12 and math.isnan(mon.aht_s)
    assert mon.erlangs == 0 and mon.required_agents == 0 and not mon.understaffed
