"""Explorer logic without a browser: filters, daily series, selector choices, widget wiring."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from callkit import widgets

D = dt.date


def _calls() -> pd.DataFrame:
    return pd.DataFrame({
        "start": pd.to_datetime(["2026-10-01 10:00", "2026-10-01 11:00", "2026-10-01 12:00",
                                 "2026-10-03 09:00", "2026-10-03 10:00", "2026-10-04 10:00"]
                                ).tz_localize("Europe/Moscow"),
        "direction": ["outgoing", "incoming", "incoming", "incoming", "outgoing", "internal"],
        "status": ["answered", "missed", "answered", "answered", "missed", "answered"],
        "talk_s": [60.0, 0.0, 120.0, 30.0, 0.0, 45.0],
        "employee": ["Анна", pd.NA, "Борис", "Анна", "Вера", "Анна"],
        "department": ["Продажи", pd.NA, "Продажи", "Продажи", "Сервис", "Продажи"],
    })


def test_filter_by_department_manager_period():
    calls = _calls()
    assert len(widgets.filter_calls(calls, department="Продажи")) == 4
    assert len(widgets.filter_calls(calls, employee="Анна", period=(D(2026, 10, 2), D(2026, 10, 31)))) == 2
    assert len(widgets.filter_calls(calls, department=widgets.ALL, employee=None)) == 6


def test_metric_by_day_hand_worked():
    calls = _calls()
    period = (D(2026, 10, 1), D(2026, 10, 4))
    ext = widgets.metric_by_day(calls, metric="external_calls", period=period)
    # 1 Oct: outgoing (Анна) + answered incoming (Борис) = 2; 2 Oct idle; 3 Oct: incoming answered
    # (Анна) + outgoing attempt (Вера) = 2; 4 Oct: only an internal call = 0
    assert ext["date"].tolist() == [D(2026, 10, d) for d in (1, 2, 3, 4)]
    assert ext["value"].tolist() == [2.0, 0.0, 2.0, 0.0]
    rate = widgets.metric_by_day(calls, metric="missed_rate", period=period)["value"].tolist()
    # 1 Oct: 1 of 2 incoming unanswered = 0.5; 3 Oct: 0 of 1; other days no incoming -> NaN
    assert rate[0] == 0.5 and rate[2] == 0.0 and np.isnan(rate[1]) and np.isnan(rate[3])
    talk = widgets.metric_by_day(calls, metric="talk_min", employee="Анна", period=period)["value"].tolist()
    # Анна: 60 s on 1 Oct, 30 s on 3 Oct; the internal call is not external talk
    assert talk == [1.0, 0.0, 0.5, 0.0]
    with pytest.raises(ValueError, match="not offered"):
        widgets.metric_by_day(calls, metric="nope")


def test_choices_follow_department():
    c = widgets.choices(_calls())
    assert c["departments"] == ["Продажи", "Сервис"]
    assert c["employees"] == ["Анна", "Борис", "Вера"]
    assert widgets.choices(_calls(), department="Сервис")["employees"] == ["Вера"]
    assert c["dates"][0] == D(2026, 10, 1) and c["dates"][-1] == D(2026, 10, 4) and len(c["dates"]) == 4


def test_explorer_widgets_update_the_series():
    ex = widgets.Explorer(_calls())
    assert ex.department.description == "Отдел"
    assert ex.data["value"].sum() == 4.0  # all external calls
    ex.department.value = "Сервис"
    assert [v for _, v in ex.employee.options] == [widgets.ALL, "Вера"]
    assert ex.data["value"].sum() == 1.0  # Вера's outgoing attempt
    ex.department.value = widgets.ALL
    ex.employee.value = "Анна"
    ex.metric.value = "incoming_answered"
    assert ex.data["value"].tolist() == [0.0, 0.0, 1.0, 0.0]
    ex.period.value = (D(2026, 10, 1), D(2026, 10, 2))
    assert ex.data["date"].tolist() == [D(2026, 10, 1), D(2026, 10, 2)]
    assert widgets.Explorer(_calls(), lang="en").metric.description == "Metric"
