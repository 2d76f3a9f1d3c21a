"""The headline quantities of an audit: one function per quantity, and every table, chart label
and finding text takes its number from here (issue 9 item 8: lost calls used to read 46 in one
place and 74 in another).

All of them count the period's calls inside working hours unless their name says otherwise:

- ``working_days`` — :func:`working_days_total`: working days of the period (working dates
  with at least one call inside working hours);
- ``incoming`` — incoming external sessions offered inside working hours;
- ``missed`` — :func:`missed_in_hours`: of them, not answered by a person;
- ``called_back`` — :func:`called_back`: missed calls with an outgoing call to the number
  within the callback window;
- ``reached`` — :func:`reached`: missed calls whose number was later reached (an answered
  callback, or the client's own later call that was answered);
- ``lost_calls`` — :func:`lost_calls`: missed calls neither called back within the window nor
  reached (``missed = lost + (called back or reached)``);
- ``short_ring_drops`` — :func:`short_ring_drops`: unanswered incoming of status ``missed``
  that ended within 5 s (:func:`callkit.metrics.tech.short_ring_mask`);
- ``off_hours_calls``, ``off_hours_missed``, ``off_hours_lost`` — incoming outside working
  hours, of them missed, of those lost (:func:`callkit.metrics.hours.off_hours_summary`).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from callkit.metrics.hours import off_hours_summary

__all__ = ["HEADLINE_QUANTITIES", "HEADLINE_LABELS", "working_days_total", "incoming_in_hours",
           "missed_in_hours", "called_back", "reached", "lost_calls", "short_ring_drops",
           "headline", "headline_table", "off_hours_text"]

HEADLINE_QUANTITIES = ("working_days", "incoming", "missed", "called_back", "reached",
                       "lost_calls", "short_ring_drops", "off_hours_calls", "off_hours_missed",
                       "off_hours_lost")

#: label of each quantity (ru, en), for tables and charts
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "working_days": ("Рабочих дней в периоде", "Working days in the period"),
    "incoming": ("Входящих в рабочее время", "Incoming in working hours"),
    "missed": ("Пропущено в рабочее время", "Missed in working hours"),
    "called_back": ("Перезвонили в срок", "Called back in time"),
    "reached": ("Дозвонились позже", "Reached later"),
    "lost_calls": ("Потеряно (без перезвона в срок и без дозвона)",
                   "Lost (not called back in time, never reached)"),
    "short_ring_drops": ("Обрывов за секунды (до 5 с)", "Dropped within seconds (< 5 s)"),
    "off_hours_calls": ("Входящих в нерабочее время", "Incoming outside working hours"),
    "off_hours_missed": ("Из них пропущено", "Of them missed"),
    "off_hours_lost": ("Из пропущенных в нерабочее время потеряно",
                       "Of the off-hours missed, lost"),
}


def _hours(missed: pd.DataFrame) -> pd.Series:
    if "in_hours" in missed:
        return missed["in_hours"].fillna(False).astype(bool)
    return pd.Series(True, index=missed.index)


def working_days_total(traffic: pd.DataFrame) -> int:
    """Working days of the period: the ``days`` of :func:`callkit.metrics.traffic` summed over
    the weekdays."""
    return int(traffic.drop_duplicates("weekday")["days"].sum()) if len(traffic) else 0


def incoming_in_hours(traffic: pd.DataFrame) -> int:
    """Incoming sessions offered inside working hours (the traffic table counts only those)."""
    return int(traffic["incoming"].sum())


def missed_in_hours(missed: pd.DataFrame) -> int:
    """Missed incoming sessions inside working hours (rows of :func:`missed_calls`)."""
    return int(_hours(missed).sum())


def called_back(missed: pd.DataFrame) -> int:
    """Missed calls inside working hours with a callback within the window."""
    return int((_hours(missed) & missed["called_back"].astype(bool)).sum())


def reached(missed: pd.DataFrame) -> int:
    """Missed calls inside working hours whose number was reached later."""
    return int((_hours(missed) & missed["reached"].astype(bool)).sum())


def lost_calls(missed: pd.DataFrame) -> int:
    """Missed calls inside working hours, not called back within the window, never reached."""
    return int((_hours(missed) & missed["lost"].astype(bool)).sum())


def short_ring_drops(tech: pd.DataFrame) -> int:
    """Short-ring drops of the period (the ``all`` row of :func:`tech_signals`)."""
    r = tech[(tech["signal"] == "short_ring_drops") & (tech["subject"] == "all")]
    return int(r["count"].iloc[0]) if len(r) else 0


def headline(*, traffic: pd.DataFrame, missed: pd.DataFrame, tech: pd.DataFrame,
             off_hours: pd.DataFrame) -> dict[str, int]:
    """Every headline quantity of :data:`HEADLINE_QUANTITIES` from the audit tables.

    Examples
    --------
    10 missed in hours: 6 called back within the window (4 of them reached), 1 more reached
    through the client's own later call, 3 lost → missed 10, called_back 6, reached 5,
    lost_calls 3 (= 10 − 6 − 1).
    """
    oh = off_hours_summary(off_hours, missed)
    return {
        "working_days": working_days_total(traffic),
        "incoming": incoming_in_hours(traffic),
        "missed": missed_in_hours(missed),
        "called_back": called_back(missed),
        "reached": reached(missed),
        "lost_calls": lost_calls(missed),
        "short_ring_drops": short_ring_drops(tech),
        "off_hours_calls": oh["calls"],
        "off_hours_missed": oh["missed"],
        "off_hours_lost": oh.get("lost", 0),
    }


def headline_table(values: Mapping[str, int], lang: str = "ru") -> pd.DataFrame:
    """``quantity, value, label`` (headline.csv): one row per quantity, in the order of
    :data:`HEADLINE_QUANTITIES`."""
    i = 1 if lang == "en" else 0
    rows = [{"quantity": q, "value": int(values[q]), "label": HEADLINE_LABELS[q][i]}
            for q in HEADLINE_QUANTITIES if q in values]
    out = pd.DataFrame(rows, columns=["quantity", "value", "label"])
    return out.astype({"quantity": "string", "label": "string"})


def off_hours_text(values: Mapping[str, int], lang: str = "ru") -> str:
    """The off-hours line of the summary: ``"N calls outside working hours in the period, M of
    them missed"`` (and how many of those were lost)."""
    n, m = int(values["off_hours_calls"]), int(values["off_hours_missed"])
    lost = int(values.get("off_hours_lost", 0))
    if lang == "en":
        text = f"{n} calls outside working hours in the period, {m} of them missed"
        return text + (f", {lost} of those never called back in time nor reached." if m else ".")
    text = f"{n} звонков вне рабочего времени за период, из них пропущено {m}"
    return text + (f", из пропущенных {lost} без перезвона в срок и без дозвона." if m else ".")
