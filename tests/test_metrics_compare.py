"""compare_managers and period_over_period on hand-made summaries."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from callkit.errors import InputError
from callkit.metrics.compare import compare_managers, period_over_period


def summary():
    return pd.DataFrame({
        "employee": ["A", "B", "C", "D", "E"],
        "department": ["Sales", "Sales", "Sales", "Sales", "Support"],
        "external_calls_per_day": [20.0, 12.0, 16.0, 40.0, 5.0],
        "internal_share": [0.10, 0.20, 0.10, 0.0, 0.5],
        "days_active": [10, 10, 10, 2, 10],
        "external_calls": [200, 120, 160, 80, 50],
    })


def test_gap_to_department_best_with_min_active_days():
    c = compare_managers(summary(), metrics=["external_calls_per_day", "internal_share"],
                         threshold=0.25, min_active_days=3)
    c = c.set_index(["employee", "metric"])
    # D (2 active days) is not eligible: the best of Sales is A with 20, not D's 40
    assert c.loc[("A", "external_calls_per_day"), "best"] == 20.0
    # B: gap = 1 - 12/20 = 0.4 > 0.25 -> flagged; C: 1 - 16/20 = 0.2 -> not flagged
    assert math.isclose(c.loc[("B", "external_calls_per_day"), "gap"], 0.4)
    assert c.loc[("B", "external_calls_per_day"), "flagged"]
    assert math.isclose(c.loc[("C", "external_calls_per_day"), "gap"], 0.2)
    assert not c.loc[("C", "external_calls_per_day"), "flagged"]
    # D is reported (gap 1 - 40/20 = -1, ahead of the best) but never flagged
    assert math.isclose(c.loc[("D", "external_calls_per_day"), "gap"], -1.0)
    assert not c.loc[("D", "internal_share"), "flagged"]
    # lower is better: best internal share of eligible = 0.10; B: mirror gap 1 - 0.10/0.20 = 0.5
    assert c.loc[("B", "internal_share"), "best"] == 0.10
    assert math.isclose(c.loc[("B", "internal_share"), "gap"], 0.5)
    assert c.loc[("B", "internal_share"), "flagged"]
    # E alone in Support: gap 0 to themselves, nobody to compare with -> not flagged
    assert c.loc[("E", "external_calls_per_day"), "gap"] == 0.0
    assert not c.loc[("E", "internal_share"), "flagged"]
    assert list(c.reset_index().columns) == ["employee", "metric", "department", "value", "best",
                                             "gap", "flagged", "role", "reference", "spread",
                                             "peers"]
    # the peer reference: the median of the OTHER eligible managers of the department (D, 2
    # active days, is nobody's peer): for B the others are A 20 and C 16 -> 18; spread =
    # max(1.4826 x MAD 2, 10 % of 18, 0.2) = 2.965; for D (not eligible) A, B, C -> 16
    assert c.loc[("B", "external_calls_per_day"), "reference"] == 18.0
    assert math.isclose(c.loc[("B", "external_calls_per_day"), "spread"], 1.4826 * 2)
    assert c.loc[("B", "external_calls_per_day"), "peers"] == 2
    assert c.loc[("D", "external_calls_per_day"), "reference"] == 16.0
    assert c.loc[("E", "external_calls_per_day"), "peers"] == 0
    assert math.isnan(c.loc[("E", "external_calls_per_day"), "reference"])


def test_best_and_peers_within_the_role():
    # A hunter 20, B hunter 12, C inbound 4 (ratio 0.2 of the best hunter) and D inbound 5: the
    # inbound managers are compared with each other (best 5, C's gap 0.2), not with the
    # hunters; and outgoing calls to new clients are never flagged for the inbound role
    s = pd.DataFrame({"employee": list("ABCD"), "department": ["Sales"] * 4,
                      "role": ["hunter", "hunter", "inbound", "inbound"], "days_active": [10] * 4,
                      "external_calls_per_day": [20.0, 12.0, 4.0, 5.0],
                      "outgoing_new_clients_per_day": [3.0, 2.8, 0.0, 2.0]})
    c = compare_managers(s, metrics=["external_calls_per_day", "outgoing_new_clients_per_day"]
                         ).set_index(["employee", "metric"])
    assert c.loc[("C", "external_calls_per_day"), "best"] == 5.0
    assert math.isclose(c.loc[("C", "external_calls_per_day"), "gap"], 0.2)
    assert c.loc[("B", "external_calls_per_day"), "flagged"]            # 1 - 12/20 = 0.4
    assert c.loc[("C", "outgoing_new_clients_per_day"), "gap"] == 1.0   # 1 - 0/2 ...
    assert not c.loc[("C", "outgoing_new_clients_per_day"), "flagged"]  # ... but inbound
    # one colleague of the same role only: the reference rests on 1 peer
    assert c.loc[("C", "external_calls_per_day"), "reference"] == 5.0
    assert c.loc[("C", "external_calls_per_day"), "peers"] == 1
    assert c.loc[("C", "external_calls_per_day"), "role"] == "inbound"


def test_compare_unknown_metric():
    with pytest.raises(InputError, match="not in the summary"):
        compare_managers(summary(), metrics=["calls_per_hour"])


def test_period_over_period_change():
    prev = summary().assign(external_calls=[100, 120, 0, 80, 50])
    cur = summary()
    pop = period_over_period(cur, prev, metrics=["external_calls"]).set_index("employee")
    # A: 200 vs 100 -> +100, +100 %; B: 120 vs 120 -> 0; C: 160 vs 0 -> relative undefined
    assert pop.loc["A", "change"] == 100 and pop.loc["A", "change_rel"] == 1.0
    assert pop.loc["B", "change"] == 0
    assert pop.loc["C", "change"] == 160 and math.isnan(pop.loc["C", "change_rel"])
    # an employee only in the current period: previous NaN
    cur2 = pd.concat([cur, pd.DataFrame({"employee": ["F"], "department": ["Sales"],
                                         "external_calls": [10]})], ignore_index=True)
    pop2 = period_over_period(cur2, prev, metrics=["external_calls"]).set_index("employee")
    assert math.isnan(pop2.loc["F", "previous"]) and pop2.loc["F", "current"] == 10


def test_lower_is_better_zero_is_not_the_ratio_base():
    # three eligible managers, internal shares 0.0, 0.10, 0.12: the reference is 0.10 (the lowest
    # non-zero), so the 0.12 manager's gap is 1 - 0.10/0.12 = 0.1667 (not flagged) and the
    # zero's gap is 0; with 0 as the base both colleagues would have had gap 1 and been flagged
    s = pd.DataFrame({"employee": ["X", "Y", "Z"], "department": ["Sales"] * 3, "days_active": [20] * 3,
                      "internal_share": [0.0, 0.10, 0.12]})
    c = compare_managers(s, metrics=["internal_share"], threshold=0.25).set_index("employee")
    assert c["best"].tolist() == [0.10] * 3
    assert c.loc["X", "gap"] == 0.0 and c.loc["Y", "gap"] == 0.0
    assert math.isclose(c.loc["Z", "gap"], 1 - 0.10 / 0.12)
    assert not c["flagged"].any()
