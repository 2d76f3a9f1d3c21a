"""Flow concentration (issue 6 item 1) on a log small enough to work out by hand."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from test_metrics_helpers import call, calls_frame

from callkit import classify, schema
from callkit.metrics.concentration import (
    CONCENTRATION_COLUMNS,
    CONCENTRATION_SUMMARY_COLUMNS,
    concentration_summary,
    effective_number,
    flow_concentration,
    hhi,
)

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
S, V = "Sales", "Service"
N1, N2 = "+79720123456", "+79730123457"                    # first seen in October: new
X1, X2, X3 = "+74950012341", "+74950012342", "+74950012343"  # called in September: existing
N3 = "+79740123458"


def log():
    def inc(cid, day, who, num, dept=S):
        return call(cid, f"2026-10-{day:02d} 10:{len(cid):02d}", "incoming", "answered", who, num,
                    talk=60, dept=dept)

    return calls_frame([
        # history: the export starts 09-01; X1..X3 become existing clients (not counted: outside
        # the period); with a 30-day look-back October can be judged from 10-01
        call("h0", "2026-09-01 09:00", "internal", "answered", "Ann", None, talk=30, dept=S),
        call("h1", "2026-09-10 10:00", "outgoing", "answered", "Ann", X1, talk=30, dept=S),
        call("h2", "2026-09-10 11:00", "outgoing", "answered", "Ann", X2, talk=30, dept=S),
        call("h3", "2026-09-10 12:00", "outgoing", "answered", "Ann", X3, talk=30, dept=S),
        # Ann: 6 answered incoming on 10-05/10-06 (N1 x3, N2 x2, X1)
        inc("a1", 5, "Ann", N1), inc("a2", 5, "Ann", N1), inc("a3", 6, "Ann", N1),
        inc("a4", 5, "Ann", N2), inc("a5", 6, "Ann", N2), inc("a6", 6, "Ann", X1),
        # a missed call that rang only Ann: not an answered incoming, not a client call
        call("am", "2026-10-06 15:00", "incoming", "missed", "Ann", N3, dept=S),
        # Bob: 3 answered incoming (N2, X2 x2) and one unanswered outgoing to N2 (an attempt)
        inc("b1", 6, "Bob", N2), inc("b2", 6, "Bob", X2), inc("b3", 7, "Bob", X2),
        call("bo", "2026-10-07 16:00", "outgoing", "missed", "Bob", N2, dept=S),
        # Cat: 1 answered incoming (X3) and an outgoing to N1; an internal call
        inc("c1", 7, "Cat", X3),
        call("co", "2026-10-07 17:00", "outgoing", "answered", "Cat", N1, talk=20, dept=S),
        call("ci", "2026-10-07 17:30", "internal", "answered", "Cat", None, talk=20, dept=S),
        # another department: Sue takes both of its calls
        inc("s1", 8, "Sue", X1, dept=V), inc("s2", 9, "Sue", N3, dept=V),
    ])


def employees():
    return pd.DataFrame({
        "extension": ["101", "102", "103", "301"], "employee": ["Ann", "Bob", "Cat", "Sue"],
        "department": [S, S, S, V],
        "hire_date": pd.to_datetime(["2020-10-01", "2025-10-01", "2026-10-15", None])})


def test_hhi_and_effective_number():
    # 0.6^2 + 0.3^2 + 0.1^2 = 0.36 + 0.09 + 0.01 = 0.46; 1 / 0.46 = 2.17 managers
    assert math.isclose(hhi([0.6, 0.3, 0.1]), 0.46)
    assert math.isclose(effective_number(0.46), 1 / 0.46)
    assert hhi([0.25] * 4) == 0.25 and math.isnan(hhi([]))


def test_shares_clients_and_tenure_per_manager():
    flagged = classify.add_client_flags(log(), period=OCT, lookback_days=30)
    c = flow_concentration(flagged, period=OCT, employees=employees(), min_active_days=1)
    assert list(c.columns) == list(CONCENTRATION_COLUMNS)
    # sorted by department, then incoming share
    assert list(c["employee"]) == ["Ann", "Bob", "Cat", "Sue"]
    r = c.set_index("employee")
    # incoming answered: 6 / 3 / 1 of 10 -> 0.6 / 0.3 / 0.1; the missed 'am' is not counted
    assert list(r.loc[["Ann", "Bob", "Cat"], "incoming_answered"]) == [6, 3, 1]
    assert list(r.loc[["Ann", "Bob", "Cat"], "incoming_share"]) == [0.6, 0.3, 0.1]
    assert r.loc["Ann", "department_incoming"] == 10 and r.loc["Ann", "managers"] == 3
    # HHI 0.46; even share 1/3; hhi_norm = (0.46 - 1/3) / (2/3) = 0.19
    assert math.isclose(r.loc["Ann", "hhi"], 0.46)
    assert math.isclose(r.loc["Ann", "even_share"], 1 / 3)
    assert math.isclose(r.loc["Ann", "hhi_norm"], (0.46 - 1 / 3) / (2 / 3))
    assert math.isclose(r.loc["Ann", "effective_managers"], 1 / 0.46)
    # clients (calls counted in external_calls, October only):
    #   N1: Ann 3, Cat 1 -> Ann, not single; N2: Ann 2 (10-05 first), Bob 2 (incl. the missed
    #   outgoing attempt) -> tie, Ann handled it first -> Ann, not single; X1: Ann 1 (10-06),
    #   Sue of Service 1 (10-08) -> tie, Ann first -> Ann's, but not single; X2 -> Bob alone;
    #   X3 -> Cat alone (the September calls are outside the period)
    assert list(r.loc[["Ann", "Bob", "Cat", "Sue"], "clients"]) == [3, 1, 1, 1]   # Sue: N3
    assert list(r.loc[["Ann", "Bob", "Cat"], "clients_single"]) == [0, 1, 1]
    assert list(r.loc[["Ann", "Bob", "Cat"], "clients_new"]) == [2, 0, 0]      # N1, N2
    assert list(r.loc[["Ann", "Bob", "Cat"], "clients_existing"]) == [1, 1, 1]
    assert math.isclose(r.loc["Ann", "new_client_share"], 2 / 3)
    # clients' shares 3/5, 1/5, 1/5 -> HHI 0.36 + 0.04 + 0.04 = 0.44
    assert list(r.loc[["Ann", "Bob", "Cat"], "clients_share"]) == [0.6, 0.2, 0.2]
    assert math.isclose(r.loc["Ann", "clients_hhi"], 0.44)
    # tenure at 2026-10-01: Ann 6 years incl. 29 Feb 2024 = 2191 days; Bob 365; Cat hired
    # 2026-10-15, during the period -> 0; Sue has no hire date
    assert list(r.loc[["Ann", "Bob", "Cat"], "tenure_days"]) == [2191, 365, 0]
    assert pd.isna(r.loc["Sue", "tenure_days"])
    # Service: Sue alone takes everything; n = 1 -> hhi 1, hhi_norm undefined
    assert r.loc["Sue", "incoming_share"] == 1.0 and r.loc["Sue", "hhi"] == 1.0
    assert math.isnan(r.loc["Sue", "hhi_norm"])
    # the input is not mutated
    assert "incoming_share" not in flagged.columns


def test_min_active_days_sets_the_number_of_managers():
    # days: Ann 10-05, 10-06; Bob 10-06, 10-07; Cat 10-07 only -> with 2 days Cat is listed
    # but not counted: n = 2, even share 0.5; hhi 0.46 < 0.5 -> hhi_norm clipped to 0
    c = flow_concentration(classify.add_client_flags(log(), period=OCT, lookback_days=30), min_active_days=2)
    r = c.set_index("employee")
    assert list(r.loc[["Ann", "Bob", "Cat"], "counted"]) == [True, True, False]
    assert r.loc["Ann", "managers"] == 2 and r.loc["Ann", "even_share"] == 0.5
    assert r.loc["Ann", "hhi_norm"] == 0.0
    assert list(r.loc[["Ann", "Bob", "Cat"], "days_active"]) == [2, 2, 1]


def test_department_summary():
    flagged = classify.add_client_flags(log(), period=OCT, lookback_days=30)
    s = concentration_summary(flow_concentration(flagged, period=OCT, employees=employees(),
                                                 min_active_days=1))
    assert list(s.columns) == list(CONCENTRATION_SUMMARY_COLUMNS)
    d = s.set_index("department")
    # Sales: Ann tops with 6 of 10 = 0.6, 1.8 x the even share 1/3
    assert d.loc[S, "top_employee"] == "Ann" and d.loc[S, "top_incoming"] == 6
    assert math.isclose(d.loc[S, "top_ratio"], 1.8) and math.isclose(d.loc[S, "hhi"], 0.46)
    assert d.loc[S, "clients"] == 5 and d.loc[S, "top_clients_share"] == 0.6
    # X2 and X3 were served by one manager only (X1 also by Sue of Service): 2 of 5
    assert d.loc[S, "clients_single"] == 2 and d.loc[S, "clients_single_share"] == 0.4
    # tenure median of 2191, 365, 0 is 365: senior = Ann + Bob -> new 2 of 4 clients = 0.5;
    # junior = Cat -> 0 of 1
    assert d.loc[S, "new_share_senior"] == 0.5 and d.loc[S, "new_share_junior"] == 0.0
    # Service has no hire dates -> no tenure split
    assert math.isnan(d.loc[V, "new_share_senior"])


def test_without_flags_or_managers_it_computes_them():
    # the raw log (no classifier columns): period given -> the same shares as above
    c = flow_concentration(log(), period=OCT, min_active_days=1).set_index("employee")
    assert c.loc["Ann", "incoming_share"] == 0.6 and c.loc["Ann", "clients"] == 3
    assert (c["hire_date"].isna()).all() and c["tenure_days"].isna().all()
    # without a period the tenure is counted from the first in-period day (10-05): Ann
    # 2191 + 4 = 2195 days
    flagged = classify.add_client_flags(log(), period=OCT, lookback_days=30)
    c = flow_concentration(flagged, employees=employees(), min_active_days=1)
    assert c.set_index(schema.EMPLOYEE).loc["Ann", "tenure_days"] == 2195


def test_new_clients_unknown_without_enough_history():
    # the default 90-day look-back: the history from 09-01 cannot tell October's new clients,
    # so the new/existing split is unknown (NaN), not "all existing"
    flagged = classify.add_client_flags(log(), period=OCT)
    c = flow_concentration(flagged, period=OCT, employees=employees(), min_active_days=1)
    assert c["clients_new"].isna().all() and c["new_client_share"].isna().all()
    assert (c["clients"] > 0).any()                       # the rest is counted
    s = concentration_summary(c)
    new_cols = [col for col in s.columns if "new" in col]
    assert new_cols and s[new_cols].isna().all().all()


def test_client_owners_over_all_loaded_calls():
    # N1: Ann answered 3, Bob called out once (an attempt counts, answered or not) -> Ann;
    # N2: Bob's missed incoming does not count, his one outgoing does -> Bob; a call with no
    # employee or no number counts for nobody
    from callkit.metrics.concentration import client_owners

    calls = calls_frame([
        call("c1", "2026-09-01 10:00", "incoming", "answered", "Ann", N1, talk=60, dept=S),
        call("c2", "2026-10-02 10:00", "incoming", "answered", "Ann", N1, talk=60, dept=S),
        call("c3", "2026-10-03 10:00", "incoming", "answered", "Ann", N1, talk=60, dept=S),
        call("c4", "2026-10-04 10:00", "outgoing", "missed", "Bob", N1, dept=V),
        call("c5", "2026-10-05 10:00", "incoming", "missed", "Bob", N2, dept=V),
        call("c6", "2026-10-05 11:00", "incoming", "missed", "Bob", N2, dept=V),
        call("c7", "2026-10-06 10:00", "outgoing", "answered", "Bob", N2, talk=30, dept=V),
        call("c8", "2026-10-06 11:00", "incoming", "missed", None, N3),
    ])
    own = client_owners(calls)
    assert own.loc[N1, schema.EMPLOYEE] == "Ann" and own.loc[N1, "calls"] == 3
    assert own.loc[N1, schema.DEPARTMENT] == S
    assert own.loc[N2, schema.EMPLOYEE] == "Bob" and own.loc[N2, "calls"] == 1
    assert own.loc[N2, schema.DEPARTMENT] == V
    assert N3 not in own.index


def test_owner_ties_are_broken_by_first_call_then_name_in_the_per_manager_counts():
    # flow_concentration counts owners on integer codes (employees by their rank in name
    # order); it must give the owners of the rule: N1 two calls each for Bob and Ann, Bob first
    # (10:00 vs 11:00) -> Bob; N2 one call each at the same minute -> the first name, Ann;
    # N3 Ann alone -> Ann, single. So Ann owns 2 (N2, N3; one single), Bob 1 (N1).
    from callkit.metrics.concentration import client_owners

    calls = calls_frame([
        call("a1", "2026-10-05 10:00", "outgoing", "answered", "Bob", N1, talk=30, dept=S),
        call("a2", "2026-10-05 11:00", "outgoing", "answered", "Ann", N1, talk=30, dept=S),
        call("a3", "2026-10-06 10:00", "outgoing", "answered", "Ann", N1, talk=30, dept=S),
        call("a4", "2026-10-06 11:00", "outgoing", "answered", "Bob", N1, talk=30, dept=S),
        call("b1", "2026-10-07 10:00", "outgoing", "missed", "Bob", N2, dept=S),
        call("b2", "2026-10-07 10:00", "outgoing", "missed", "Ann", N2, dept=S),
        call("c1", "2026-10-08 10:00", "outgoing", "answered", "Ann", N3, talk=30, dept=S),
    ])
    own = client_owners(calls)
    assert own[schema.EMPLOYEE].to_dict() == {N1: "Bob", N2: "Ann", N3: "Ann"}
    conc = flow_concentration(calls, period=("2026-10-01", "2026-10-31"), min_active_days=1) \
        .set_index(schema.EMPLOYEE)
    assert conc.loc["Ann", "clients"] == 2 and conc.loc["Bob", "clients"] == 1
    assert conc.loc["Ann", "clients_single"] == 1 and conc.loc["Bob", "clients_single"] == 0
