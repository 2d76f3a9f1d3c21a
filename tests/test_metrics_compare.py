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
                                             "gap", "flagged"]


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
