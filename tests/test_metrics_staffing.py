"""Erlang C and staffing per slot, on worked numbers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_metrics_helpers import call, calls_frame

from callkit.errors import InputError
from callkit.findings import build_findings
from callkit.metrics.hours import WorkingHours, parse_working_hours
from callkit.metrics.staffing import (
    erlang_c,
    group_staffing,
    offered_load,
    required_agents,
    required_agents_array,
    service_level,
    staffing,
)
from callkit.metrics.tech import line_ceiling, tech_signals


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
    # without working hours every hour of the two working weekdays is a slot: 2 x 24 rows
    # (Thursdays have no calls, so no working day and no row)
    assert len(st) == 48 and st.loc[(0, 3), "required_agents"] == 0
    assert (3, 3) not in st.index


def test_staffing_without_any_answered_incoming():
    # 12 calls on Monday 2026-10-05 at 10:00-10:55, all missed: no answered call gives a talk
    # time, so AHT is unknown (NaN) and no agents can be computed -> 0 required, not
    # understaffed; the 12 calls are still offered (12 per Monday over 1 Monday)
    rows = [call(f"m{i}", f"2026-10-05 10:{i * 5:02d}", "incoming", "missed", None,
                 "+79720123456", dept="Sales") for i in range(12)]
    mon = staffing(calls_frame(rows)).set_index(["weekday", "hour"]).loc[(0, 10)]
    assert mon.calls_per_hour == 12 and math.isnan(mon.aht_s)
    assert mon.erlangs == 0 and mon.required_agents == 0 and not mon.understaffed


# --------------------------------------------------------------------------------------------
# Erlang C against pyworkforce's published example, and staffing per answering group


def test_erlang_c_reproduces_pyworkforce():
    # pyworkforce's ErlangC example: 100 transactions per 30-minute interval, AHT 180 s, 80 %
    # within 20 s. Mind the interval: A = 100 x 180 / 1800 s = 10 Erlangs (not / 3600)
    a = offered_load(100, 180, interval_s=1800)
    assert a == 10.0 and offered_load(100, 180) == 5.0
    # its published service levels: 13 agents 0.796, 14 agents 0.888, 15 agents 0.941
    assert [round(service_level(n, a, 180, 20), 3) for n in (13, 14, 15)] == [0.796, 0.888, 0.941]
    assert required_agents(a, 180, target=0.8, answer_within_s=20) == 14
    assert required_agents(a, 180, target=0.9, answer_within_s=20) == 15
    # the vectorised form gives the same, slot by slot (NaN AHT / no load -> 0)
    got = required_agents_array(np.array([10.0, 5.0, 0.0, 10.0]),
                                np.array([180.0, 180.0, 180.0, np.nan]))
    assert list(got) == [14, 8, 0, 0]


N = "+79720123456"
SAT = parse_working_hours({"by_day": {"sat": {"from": "10:00", "to": "14:00"}}})


def _service_saturday():
    rows = []
    for day in ("10", "17"):   # two Saturdays, 10 calls to Service at 11:00, one every 6 min
        for i in range(10):
            rows.append(call(f"s{day}-{i}", f"2026-10-{day} 11:{i * 6:02d}", "incoming",
                             "answered", "Sue", N, ring=5, talk=180, dept="Service"))
        # a B2B manager is on the phone at the same time (outgoing calls): not Service's
        rows.append(call(f"b{day}", f"2026-10-{day} 11:30", "outgoing", "answered", "Bob", N,
                         talk=60, dept="B2B"))
    # B2B is a group of its own (it takes incoming calls on weekdays)
    rows.append(call("w1", "2026-10-12 10:00", "incoming", "answered", "Bob", N, talk=60,
                     dept="B2B"))
    return calls_frame(rows)


def test_a_group_short_by_one_agent():
    c = _service_saturday()
    g = group_staffing(c, working_hours=SAT).set_index(["group", "weekday", "hour"])
    sv = g.loc[("Service", 5, 11)]
    # 20 calls over 2 Saturdays = 10 per hour of working time; AHT 180 s -> A = 0.5 Erlang.
    # N = 1: C = 0.5, SL = 1 - 0.5 x exp(-0.5 x 20/180) = 0.527 < 0.8; N = 2: B = 1/13,
    # C = (2/13) / (2 - 0.5 x 12/13) = 0.1, SL = 1 - 0.1 x exp(-1.5 x 20/180) = 0.915 -> 2
    assert (sv.calls_per_hour, sv.aht_s, sv.erlangs, sv.required_agents) == (10, 180, 0.5, 2)
    # Sue alone on both Saturdays: 1.0 active, short by one whole agent -> understaffed
    assert sv.active_employees == 1.0 and sv.understaffed and sv.verdict == "people"
    assert (sv.incoming, sv.missed, sv.days) == (20, 0, 2)
    # Bob (B2B) was on the phone too, but he cannot take a service call: B2B's own slot
    b2b = g.loc[("B2B", 5, 11)]
    assert b2b.active_employees == 1.0 and b2b.required_agents == 0 and not b2b.understaffed
    # the company sums the groups: 2 needed, 2 on the phone - yet Service is short
    st = staffing(c, working_hours=SAT).set_index(["weekday", "hour"]).loc[(5, 11)]
    assert st.required_agents == 2 and st.active_employees == 2.0 and st.understaffed
    assert st.calls_per_hour == 10 and st.erlangs == 0.5 and st.aht_s == 180
    # off hours (Saturday is not in the default week) there is no slot at all
    g0 = group_staffing(c, working_hours=WorkingHours.default())
    assert not (g0["weekday"] == 5).any()
    # the finding names the group and the hour
    f = build_findings(groups=group_staffing(c, working_hours=SAT), lang="en")
    r = f[f["rule"] == "understaffed"].iloc[0]
    assert r.subject == "Service" and "Sat 11:00" in r.text and r.value == 2


def test_a_group_with_enough_people_is_not_understaffed():
    # the same Saturdays with a second Service agent on the phone at 11 -> 2.0 active
    c = _service_saturday()
    extra = calls_frame([call(f"t{d}", f"2026-10-{d} 11:40", "outgoing", "answered", "Tom", N,
                              talk=60, dept="Service") for d in ("10", "17")])
    c = pd.concat([c, extra], ignore_index=True)
    sv = group_staffing(c, working_hours=SAT).set_index(["group", "weekday", "hour"]) \
        .loc[("Service", 5, 11)]
    assert sv.active_employees == 2.0 and not sv.understaffed and sv.verdict == "ok"


def _line_limited():
    rows = []
    for day in ("05", "12", "19"):     # three Mondays: three 30-minute calls fill the 3 lines,
        for who in ("Ann", "Bob", "Cat"):  # and two callers get busy at 10:10 and 10:20
            rows.append(call(f"{day}{who}", f"2026-10-{day} 10:00", "incoming", "answered", who,
                             N, ring=0, talk=1800, dept="Sales"))
        for k, t in enumerate(("10:10", "10:20")):
            rows.append(call(f"{day}x{k}", f"2026-10-{day} {t}", "incoming", "busy", None,
                             f"+7973012345{k}", ring=0, dept="Sales"))
    return calls_frame(rows)


def test_a_line_ceiling_that_explains_the_misses_asks_for_lines_not_people():
    c = _line_limited()
    lc = line_ceiling(c)
    # 3 live calls at most, reached on 3 days; 6 busy calls started with all 3 lines busy
    assert (lc.ceiling, lc.days, lc.blocked, lc.blocked_incoming, lc.is_limit) == (3, 3, 6, 6, True)
    wh = WorkingHours.default()
    people = group_staffing(c, working_hours=wh).set_index(["weekday", "hour"]).loc[(0, 10)]
    # 15 calls over 3 Mondays = 5 per hour, AHT 1800 s -> A = 2.5 Erlangs; SL with 4 agents
    # 0.685, with 5 0.873 -> 5 needed; 3 on the phone -> without the ceiling: short of people
    assert (people.calls_per_hour, people.erlangs, people.required_agents) == (5, 2.5, 5)
    assert people.active_employees == 3.0 and people.verdict == "people" and people.understaffed
    lines = group_staffing(c, working_hours=wh, ceiling=lc).set_index(["weekday", "hour"]).loc[(0, 10)]
    # all 6 missed calls hit busy lines (and 5 agents could not talk on 3 lines): lines
    assert lines.missed == 6 and lines.missed_at_ceiling == 6
    assert lines.verdict == "lines" and not lines.understaffed
    groups = group_staffing(c, working_hours=wh, ceiling=lc)
    f = build_findings(groups=groups, tech=tech_signals(c, ceiling=lc, working_hours=wh), lang="en")
    assert "understaffed" not in set(f["rule"])
    ll = f[f["rule"] == "line_limit"].iloc[0]
    assert "lines, not people" in ll.text and "Mon 10:00" in ll.text


def test_a_line_ceiling_that_does_not_explain_the_misses():
    # the same Mondays, but the two missed calls ring out (nobody picks up) at 11:00, when the
    # lines are free: the ceiling is real (two busy refusals a Monday at 10:10 and 10:20), the
    # misses are not its doing
    rows = []
    for day in ("05", "12", "19"):
        for who in ("Ann", "Bob", "Cat"):
            rows.append(call(f"{day}{who}", f"2026-10-{day} 10:00", "incoming", "answered", who,
                             N, ring=0, talk=1800, dept="Sales"))
        for k, t in enumerate(("10:10", "10:20")):
            rows.append(call(f"{day}b{k}", f"2026-10-{day} {t}", "incoming", "busy", None,
                             f"+7973012345{k}", ring=0, dept="Sales"))
        for k in range(6):
            rows.append(call(f"{day}m{k}", f"2026-10-{day} 11:{k * 5:02d}", "incoming", "missed",
                             None, f"+7974012345{k}", ring=30, dept="Sales"))
    c = calls_frame(rows)
    lc = line_ceiling(c)
    assert lc.is_limit and lc.blocked == 6
    g = group_staffing(c, working_hours=WorkingHours.default(), ceiling=lc) \
        .set_index(["weekday", "hour"])
    assert g.loc[(0, 11), "missed"] == 18 and g.loc[(0, 11), "missed_at_ceiling"] == 0
    # 6 calls an hour at the group's AHT of 1800 s = 3 Erlangs need more than the 3 lines, but
    # nobody was on the phone at 11 (0 active < 3 lines): people first
    assert g.loc[(0, 11), "required_agents"] > 3 and g.loc[(0, 11), "active_employees"] == 0
    assert g.loc[(0, 11), "verdict"] == "people" and g.loc[(0, 11), "understaffed"]


def test_a_half_hour_slot_doubles_the_calls_per_hour():
    # working until 17:30: two Mondays with one call at 17:10 each = 2 calls in 1.0 hour of
    # working time (2 x 30 min) -> 2 calls per hour, not 1
    c = calls_frame([call(f"a{d}", f"2026-10-{d} 17:10", "incoming", "answered", "Ann", N,
                          talk=60, dept="Sales") for d in ("05", "12")])
    wh = parse_working_hours({"from": "09:00", "to": "17:30"})
    g = group_staffing(c, working_hours=wh).set_index(["weekday", "hour"])
    assert g.loc[(0, 17), "calls_per_hour"] == 2.0 and g.loc[(0, 17), "days"] == 2


def test_short_by_less_than_one_agent_is_not_understaffed():
    # Tom (Service) on the phone at 11 on one of the two Saturdays: 1.5 active against 2
    # needed - short by half an agent, not by a whole one
    c = _service_saturday()
    extra = calls_frame([call("t10", "2026-10-10 11:40", "outgoing", "answered", "Tom", N,
                              talk=60, dept="Service")])
    c = pd.concat([c, extra], ignore_index=True)
    sv = group_staffing(c, working_hours=SAT).set_index(["group", "weekday", "hour"]) \
        .loc[("Service", 5, 11)]
    assert sv.required_agents == 2 and sv.active_employees == 1.5 and not sv.understaffed


def test_a_ceiling_reached_on_two_days_only_is_no_line_limit():
    # the line-limited Mondays without the third: 2 days (< 3), 4 blocked (< 5) -> not a
    # limit, so the verdict is people again
    c = _line_limited()
    c = c[~c["call_id"].str.startswith("19")]
    lc = line_ceiling(c)
    assert (lc.ceiling, lc.days, lc.blocked, lc.is_limit) == (3, 2, 4, False)
    g = group_staffing(c, working_hours=WorkingHours.default(), ceiling=lc)
    assert set(g.loc[g["incoming"] > 0, "verdict"]) == {"people"}
    # without a proven limit the 10 calls of Mon 10 (5 needed, 3 on the phone) ask for people
    f = build_findings(groups=g, tech=tech_signals(c, ceiling=lc), lang="en")
    assert set(f["rule"]) == {"understaffed"}
