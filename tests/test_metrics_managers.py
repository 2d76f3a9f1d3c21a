"""manager_summary on a hand-worked log (DESIGN §3)."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from test_metrics_helpers import call, calls_frame

from callkit import classify, schema
from callkit.metrics.managers import SUMMARY_COLUMNS, manager_summary

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
OLD = "+74950012345"    # first contact in the September history -> existing
M1 = "+79720123456"     # first contact in October -> new
M2 = "+79730123457"     # first contact in October -> new
L2 = "+74950012399"


def log():
    s = "Sales"
    return calls_frame([
        call("h1", "2026-09-20 10:00", "outgoing", "answered", "Ann", OLD, talk=50, dept=s, ext="101"),
        call("a1", "2026-10-05 10:00", "outgoing", "answered", "Ann", OLD, talk=60, dept=s, ext="101"),
        call("a2", "2026-10-05 10:30", "outgoing", "missed", "Ann", M1, ring=30, dept=s, ext="101"),
        call("a3", "2026-10-05 11:00", "outgoing", "answered", "Ann", M1, talk=30, dept=s, ext="101"),
        call("a4", "2026-10-06 09:00", "incoming", "answered", "Ann", M2, talk=90, dept=s, ext="101"),
        call("a5", "2026-10-06 09:30", "internal", "answered", "Ann", None, talk=20, dept=s, ext="101"),
        call("a6", "2026-10-06 12:00", "incoming", "missed", "Ann", L2, ring=25, dept=s, ext="101"),
        call("a7", "2026-10-07 10:00", "incoming", "missed", "Ann", L2, ring=25, dept=s, ext="101"),
        # a queue call that rang two agents and was answered by the third, already folded
        # into one session by the loader: employee = the one who answered (Carl)
        call("q1", "2026-10-05 14:00", "incoming", "answered", "Carl", OLD, ring=40, talk=120,
             dept=s, ext="103"),
        # an IVR-only answer is not an answer by a person
        call("v1", "2026-10-05 15:00", "incoming", "answered", "Carl", L2, talk=30, dept=s,
             machine=True),
        call("x1", "2026-10-05 16:00", "incoming", "missed", None, L2, dept=s),
    ])


EMPLOYEES = pd.DataFrame({"extension": ["101", "102", "103"], "employee": ["Ann", "Bob", "Carl"],
                          "department": ["Sales", "Sales", "Sales"]})


def test_manager_summary_hand_worked():
    # the history starts 09-20: a 15-day look-back lets October be judged from 10-05 (OLD, last
    # called 09-20 10:00, is existing on 10-05 10:00: exactly 15 days)
    calls = classify.add_client_flags(log(), period=OCT, lookback_days=15)
    s = manager_summary(calls, period=OCT, employees=EMPLOYEES).set_index("employee")
    assert list(s.reset_index().columns) == list(SUMMARY_COLUMNS)
    ann = s.loc["Ann"]
    # outgoing a1 a2 a3 = 3 (h1 is September, outside), answered a1 a3 = 2
    assert (ann.outgoing, ann.outgoing_answered, ann.incoming_answered) == (3, 2, 1)
    # incoming_missed: a6, a7 rang only Ann
    assert ann.incoming_missed == 2
    # external = 3 outgoing + 1 answered incoming = 4; internal a5 = 1; share 1/5
    assert ann.external_calls == 4 and ann.internal_calls == 1
    assert math.isclose(ann.internal_share, 0.2)
    assert math.isclose(ann.out_share, 0.75) and math.isclose(ann.in_out_ratio, 1 / 3)
    # outgoing: OLD landline, M1 mobile twice -> mobile 2/3, landline 1/3
    assert math.isclose(ann.mobile_share, 2 / 3) and math.isclose(ann.landline_share, 1 / 3)
    # OLD was called in September -> existing; M1 new: a2, a3 -> 2 outgoing to new numbers;
    # reached new numbers: M1 (a3 answered) and M2 (a4 answered incoming) -> 2
    assert ann.outgoing_new_clients == 2 and ann.new_clients_reached == 2
    # numbers among external calls: OLD, M1, M2 -> 3; 4 / 3 calls per number
    assert ann.unique_numbers == 3 and math.isclose(ann.calls_per_number, 4 / 3)
    # talk over answered external a1 a3 a4: 60 + 30 + 90 = 180, mean 60
    assert ann.talk_s_total == 180 and ann.talk_s_mean == 60
    # active days: 10-05 (a1..a3) and 10-06 (a4, a5); 10-07 only a missed call -> 2 days
    assert ann.days_active == 2
    assert ann.external_calls_per_day == 2.0 and ann.outgoing_new_clients_per_day == 1.0
    assert ann.extension == "101" and ann.department == "Sales"

    carl = s.loc["Carl"]
    # q1 counts as one answered incoming; v1 (IVR only) is neither answered nor external
    assert (carl.external_calls, carl.incoming_answered, carl.outgoing) == (1, 1, 0)
    assert carl.incoming_missed == 1   # v1: rang only Carl's line, no person answered
    assert math.isnan(carl.in_out_ratio) and math.isnan(carl.mobile_share)
    assert carl.talk_s_total == 120 and carl.days_active == 1 and carl.new_clients_reached == 0

    bob = s.loc["Bob"]   # only in the directory: a row of zeros, NaN ratios
    assert bob.external_calls == 0 and bob.days_active == 0 and bob.extension == "102"
    assert math.isnan(bob.external_calls_per_day)
    assert len(s) == 3   # the missed call with no employee has no row


def test_manager_summary_computes_flags_when_absent():
    # without add_client_flags the flags are computed with the default 90-day look-back: the
    # history from 09-20 cannot tell October's new clients (first judgeable date 12-19), so the
    # new-client metrics are NaN (insufficient), not 0; the rest is counted
    s = manager_summary(log(), period=OCT).set_index("employee")
    assert s.loc["Ann", "outgoing"] == 3
    assert math.isnan(s.loc["Ann", "outgoing_new_clients"])
    assert math.isnan(s.loc["Ann", "outgoing_new_clients_per_day"])
    assert math.isnan(s.loc["Ann", "new_clients_reached"])
    # with the history covering the look-back: M1 twice (a2, a3) are to a new client
    s = manager_summary(classify.add_client_flags(log(), period=OCT, lookback_days=15),
                        period=OCT).set_index("employee")
    assert s.loc["Ann", "outgoing_new_clients"] == 2


def test_manager_summary_does_not_mutate_input():
    c = log()
    before = c.copy()
    manager_summary(c, period=OCT)
    pd.testing.assert_frame_equal(c, before)
    assert schema.CALL_ID in c


def test_employee_only_in_history_has_no_row_and_peer_counts():
    c = calls_frame([
        call("h", "2026-09-10 10:00", "outgoing", "answered", "Old", OLD, talk=10, dept="Sales"),
        call("i", "2026-10-05 10:00", "internal", "answered", "Ann", None, talk=10, dept="Sales"),
    ]).assign(peer_employee=pd.Series(["", "Dan"], dtype="string").replace("", pd.NA))
    s = manager_summary(c, period=OCT).set_index("employee")
    # "Old" worked only in September; Dan only answered Ann's internal call
    assert sorted(s.index) == ["Ann", "Dan"]
    assert s.loc["Dan", "internal_calls"] == 1 and s.loc["Dan", "days_active"] == 1
    assert s.loc["Dan", "internal_share"] == 1.0 and s.loc["Dan", "external_calls"] == 0
