"""The interactive explorer behind ``notebooks/explore.ipynb`` (ipywidgets).

The logic is in pure functions, testable without a browser: :func:`filter_calls` selects
calls by department, manager and period; :func:`metric_by_day` computes the daily series the
chart shows; :func:`choices` lists what the selectors offer. :class:`Explorer` wires them to
ipywidgets (department, manager, period and metric selectors and a chart that updates).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from callkit import plots, schema
from callkit.report import labels

__all__ = ["METRICS", "ALL", "filter_calls", "metric_by_day", "choices", "Explorer", "explore"]

#: The explorer's sentinel for "no filter" in the department and manager selectors.
ALL = "*"

#: Daily metrics the explorer offers: name -> (ru label, en label), from
#: :mod:`callkit.report.labels` (``explore_<name>``).
METRICS: dict[str, tuple[str, str]] = {
    name: (labels.text(f"explore_{name}", "ru"), labels.text(f"explore_{name}", "en"))
    for name in ("external_calls", "outgoing", "incoming_answered", "incoming_missed", "missed_rate", "talk_min")
}


def filter_calls(calls: pd.DataFrame, *, department: str | None = None, employee: str | None = None,
                 period: tuple[dt.date, dt.date] | None = None) -> pd.DataFrame:
    """Calls of a department and/or manager within a period (inclusive local dates).

    ``None`` or :data:`ALL` means no filter. The input is not modified.

    Examples
    --------
    >>> c = pd.DataFrame({"start": pd.to_datetime(["2026-10-01 10:00", "2026-10-02 10:00"]),
    ...                   "employee": ["Анна", "Борис"], "department": ["Продажи", "Продажи"]})
    >>> filter_calls(c, employee="Борис")["employee"].tolist()
    ['Борис']
    """
    keep = pd.Series(True, index=calls.index)
    if department not in (None, ALL):
        keep &= calls[schema.DEPARTMENT].astype(object).eq(department).fillna(False).astype(bool)
    if employee not in (None, ALL):
        keep &= calls[schema.EMPLOYEE].astype(object).eq(employee).fillna(False).astype(bool)
    if period is not None:
        day = calls[schema.START].dt.date
        keep &= (day >= period[0]) & (day <= period[1])
    return calls.loc[keep].copy()


def metric_by_day(calls: pd.DataFrame, *, metric: str = "external_calls", department: str | None = None,
                  employee: str | None = None, period: tuple[dt.date, dt.date] | None = None) -> pd.DataFrame:
    """The daily series of ``metric`` for the selection: columns ``date, value``.

    Every date of the period (or of the selection's span) is present, zero when idle
    (``missed_rate`` is NaN on days without incoming calls).

    - external_calls = outgoing + incoming answered; outgoing; incoming_answered;
    - incoming_missed = incoming not answered (missed, busy, failed);
    - missed_rate = incoming_missed / incoming; talk_min = talk seconds of answered
      external calls / 60.

    Examples
    --------
    >>> c = pd.DataFrame({"start": pd.to_datetime(["2026-10-01 10:00", "2026-10-01 11:00",
    ...                                             "2026-10-03 09:00"]),
    ...                   "direction": ["outgoing", "incoming", "incoming"],
    ...                   "status": ["answered", "missed", "answered"], "talk_s": [60.0, 0.0, 30.0],
    ...                   "employee": ["Анна"] * 3, "department": ["Продажи"] * 3})
    >>> metric_by_day(c, metric="external_calls")["value"].tolist()
    [1.0, 0.0, 1.0]
    """
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is not offered; expected one of {list(METRICS)}.")
    sel = filter_calls(calls, department=department, employee=employee, period=period)
    if period is not None:
        days = pd.date_range(period[0], period[1], freq="D").date
    elif len(sel):
        d = sel[schema.START].dt.date
        days = pd.date_range(d.min(), d.max(), freq="D").date
    else:
        days = []
    direction = sel[schema.DIRECTION].astype(str)
    status = sel[schema.STATUS].astype(str)
    inc = direction == schema.INCOMING
    out = direction == schema.OUTGOING
    answered_in = inc & (status == schema.ANSWERED)
    missed_in = inc & status.isin(schema.UNANSWERED_STATUSES)
    flags = pd.DataFrame({
        "date": sel[schema.START].dt.date,
        "external_calls": (out | answered_in).astype(float),
        "outgoing": out.astype(float),
        "incoming_answered": answered_in.astype(float),
        "incoming_missed": missed_in.astype(float),
        "_incoming": inc.astype(float),
        "talk_min": sel[schema.TALK_S].where((out | inc) & (status == schema.ANSWERED), 0.0).fillna(0.0) / 60.0,
    })
    daily = flags.groupby("date").sum().reindex(pd.Index(days, name="date"), fill_value=0.0)
    if metric == "missed_rate":
        value = daily["incoming_missed"] / daily["_incoming"].where(daily["_incoming"] > 0)
    else:
        value = daily[metric]
    return pd.DataFrame({"date": list(daily.index), "value": value.astype(float).to_numpy()})


def choices(calls: pd.DataFrame, *, department: str | None = None) -> dict[str, list[Any]]:
    """What the selectors offer: departments, managers (of ``department``) and the date span.

    Examples
    --------
    >>> c = pd.DataFrame({"start": pd.to_datetime(["2026-10-01", "2026-10-03"]),
    ...                   "employee": ["Анна", "Вера"], "department": ["Продажи", "Сервис"]})
    >>> choices(c, department="Сервис")["employees"]
    ['Вера']
    """
    sel = filter_calls(calls, department=department)
    depts = sorted(calls[schema.DEPARTMENT].dropna().astype(str).unique())
    emps = sorted(sel[schema.EMPLOYEE].dropna().astype(str).unique())
    if len(calls):
        d = calls[schema.START].dt.date
        dates = list(pd.date_range(d.min(), d.max(), freq="D").date)
    else:
        dates = []
    return {"departments": depts, "employees": emps, "dates": dates}


class Explorer:
    """ipywidgets explorer: department, manager, period and metric selectors and a daily chart.

    Parameters
    ----------
    calls : DataFrame
        The canonical call table (e.g. ``audit.calls``).
    lang : {"ru", "en"}

    Attributes
    ----------
    department, employee, period, metric : ipywidgets
        The selectors; changing any of them redraws :attr:`output`.
    data : DataFrame
        The series last drawn (``date, value``).
    """

    def __init__(self, calls: pd.DataFrame, *, lang: str = "ru") -> None:
        import ipywidgets as w

        self.calls = calls
        self.lang = lang
        en = lang == "en"
        opts = choices(calls)
        every = labels.text("explore_all", lang)
        self.department = w.Dropdown(options=[(every, ALL)] + [(d, d) for d in opts["departments"]],
                                     value=ALL, description=labels.text("explore_department", lang))
        self.employee = w.Dropdown(options=[(every, ALL)] + [(e, e) for e in opts["employees"]],
                                   value=ALL, description=labels.text("explore_employee", lang))
        dates = opts["dates"] or [dt.date.today()]
        self.period = w.SelectionRangeSlider(options=[(d.strftime("%d.%m"), d) for d in dates],
                                             index=(0, len(dates) - 1),
                                             description=labels.text("explore_period", lang),
                                             layout=w.Layout(width="600px"))
        self.metric = w.Dropdown(options=[(v[1] if en else v[0], k) for k, v in METRICS.items()],
                                 value="external_calls", description=labels.text("explore_metric", lang))
        self.output = w.Output()
        self.data = pd.DataFrame(columns=["date", "value"])
        self.department.observe(self._on_department, names="value")
        self._quiet = False
        for sel in (self.employee, self.period, self.metric):
            sel.observe(lambda _change: None if self._quiet else self.refresh(), names="value")
        self.widget = w.VBox([w.HBox([self.department, self.employee, self.metric]), self.period, self.output])
        self.refresh()

    def selection(self) -> dict[str, Any]:
        """The current selector values as keyword arguments of :func:`metric_by_day`."""
        return {"metric": self.metric.value, "department": self.department.value,
                "employee": self.employee.value, "period": tuple(self.period.value)}

    def _on_department(self, _change: Any) -> None:
        every = labels.text("explore_all", self.lang)
        emps = choices(self.calls, department=self.department.value)["employees"]
        current = self.employee.value
        self._quiet = True  # changing the options fires value events: redraw once, below
        try:
            self.employee.options = [(every, ALL)] + [(e, e) for e in emps]
            self.employee.value = current if current in emps else ALL
        finally:
            self._quiet = False
        self.refresh()

    def refresh(self) -> pd.DataFrame:
        """Recompute the series for the current selection and redraw the chart."""
        self.data = metric_by_day(self.calls, **self.selection())
        self.output.clear_output(wait=True)
        with self.output:
            from IPython.display import display
            from matplotlib.figure import Figure

            with plots.theme():
                fig = Figure(figsize=(9, 3.5))
                ax = fig.add_subplot()
                ax.bar(pd.to_datetime(self.data["date"]), self.data["value"].fillna(0), color="#1f5fa8")
                name = METRICS[self.metric.value][1 if self.lang == "en" else 0]
                ax.set_title(name)
                ax.set_ylabel(name)
                ax.set_xlabel(labels.text("explore_date", self.lang))
                plots.number_axis(ax.yaxis, self.lang)
                fig.autofmt_xdate()
                display(fig)
        return self.data


def explore(calls: pd.DataFrame, *, lang: str = "ru") -> Any:
    """Build an :class:`Explorer` over ``calls`` and return its widget (display it in Jupyter)."""
    return Explorer(calls, lang=lang).widget
