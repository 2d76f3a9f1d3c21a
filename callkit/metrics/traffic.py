"""Traffic by hour × weekday, peak hours, and who was present at the peaks.

With ``working_hours`` (:class:`~callkit.metrics.hours.WorkingHours`) every figure here counts
only the calls inside working hours; the rest is off-hours traffic
(:func:`callkit.metrics.hours.off_hours`). ``working_hours=None`` = round the clock.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from callkit import schema
from callkit.metrics._util import masks, period_mask, slot_frame, unique_rows
from callkit.metrics.hours import WorkingHours, in_working_hours, working_days

__all__ = ["TRAFFIC_COLUMNS", "PRESENCE_COLUMNS", "PRESENCE_SOURCES", "traffic", "peak_hours", "presence_at_peaks",
           "presence_summary", "working_days", "activity_mask", "covered_hours"]

TRAFFIC_COLUMNS = ("weekday", "hour", "incoming", "answered", "missed", "missed_rate", "days")
PRESENCE_COLUMNS = (schema.DEPARTMENT, schema.EMPLOYEE, "date", "hour", "present",
                    "department_incoming", "source", "available_share")
#: ``source`` of a presence row: the employee's calls, or the queue_log's log-in and pause time
PRESENCE_SOURCES = ("calls", "queue_log")


def activity_mask(calls: pd.DataFrame, m: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Rows that show an employee at work: outgoing or internal calls they placed, incoming calls
    they answered (the calls counted in external_calls / internal_calls, DESIGN §3). ``m``: the
    :func:`~callkit.metrics._util.masks` of ``calls`` if the caller already has them."""
    m = masks(calls) if m is None else m
    has_emp = calls[schema.EMPLOYEE].notna().to_numpy(dtype=bool)
    return has_emp & (m["outgoing"] | m["internal"] | (m["incoming"] & m["answered"]))


def covered_hours(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The local clock hours each call occupies, from its start hour to its end hour.

    Returns ``(row, abs_hour)``: positions into ``start`` repeated once per hour covered, and
    the absolute local hour number (hours since 1970-01-01 local; ``// 24`` is the day). A call
    ending exactly on the hour does not occupy the next hour; at most 24 hours per call.

    Examples
    --------
    09:00:00–10:00:05 covers hours 9 and 10; 09:10–10:00:00 covers hour 9 only.
    """
    st = start.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    en = end.fillna(start).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    # hours as integer division of the nanoseconds (numpy's datetime casts: 0.13 s per 10M)
    hour_ns = np.int64(3_600_000_000_000)
    h0 = st.view(np.int64) // hour_ns
    e_ns = en.view(np.int64)
    eh = e_ns // hour_ns
    h1 = np.maximum(eh, h0)
    h1 = np.where((e_ns == eh * hour_ns) & (h1 > h0), h1 - 1, h1)
    n = np.minimum(h1 - h0 + 1, 24)
    row = np.repeat(np.arange(len(st)), n)
    offs = np.arange(len(row)) - (np.cumsum(n) - n)[row]
    return row, h0[row] + offs


def traffic(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
            working_hours: WorkingHours | None = None) -> pd.DataFrame:
    """Incoming external sessions by weekday × hour of their local start.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table.
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    working_hours : WorkingHours, optional
        Count only the calls inside working hours (the rest is
        :func:`~callkit.metrics.hours.off_hours`); None = every call.

    Returns
    -------
    DataFrame
        168 rows (7 weekdays × 24 hours), columns ``weekday`` (0=Monday), ``hour`` (0..23),
        ``incoming`` (offered sessions), ``answered`` (by a person), ``missed`` (= incoming −
        answered: status missed/busy/failed or answered only by the IVR), ``missed_rate`` =
        missed / incoming (NaN when no incoming), ``days`` = working days of that weekday in the
        period (:func:`~callkit.metrics.hours.working_days`).

    Examples
    --------
    Two Mondays with calls; Monday 10:00 got 6 incoming, 2 missed → incoming 6, missed 2,
    missed_rate 0.333, days 2 (3 incoming per Monday at 10).
    """
    inp = period_mask(calls, period)
    m = masks(calls)
    sel = inp & m["incoming"] & in_working_hours(calls, working_hours)
    sf = slot_frame(calls.loc[sel, schema.START])
    sf["answered"] = m["answered"][sel]
    g = sf.groupby(["weekday", "hour"]).agg(incoming=("answered", "size"),
                                            answered=("answered", "sum"))
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    g = g.reindex(grid, fill_value=0).astype(np.int64)
    g["missed"] = g["incoming"] - g["answered"]
    g["missed_rate"] = g["missed"] / g["incoming"].where(g["incoming"] > 0)
    days = working_days(calls, period=period, working_hours=working_hours)
    out = g.reset_index()
    out["days"] = out["weekday"].map(days).astype(np.int64)
    out["weekday"] = out["weekday"].astype(np.int64)
    out["hour"] = out["hour"].astype(np.int64)
    return out.loc[:, list(TRAFFIC_COLUMNS)]


def peak_hours(traffic_df: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """The hours of the day with the highest mean incoming per working day.

    Returns
    -------
    DataFrame
        ``top`` rows sorted by ``mean_per_day`` descending: ``hour, incoming, missed,
        missed_rate, working_days, mean_per_day`` (incoming summed over weekdays; working days =
        all working days of the period). Hours without incoming are never peaks.

    Examples
    --------
    Over 5 working days hour 10 got 60 incoming, hour 11 got 40 → means 12 and 8 per day.
    """
    per_wd = traffic_df.drop_duplicates("weekday")
    total_days = int(per_wd["days"].sum())
    g = traffic_df.groupby("hour")[["incoming", "missed"]].sum()
    g = g[g["incoming"] > 0]
    g["missed_rate"] = g["missed"] / g["incoming"]
    g["working_days"] = total_days
    g["mean_per_day"] = g["incoming"] / total_days if total_days else np.nan
    g = g.reset_index().sort_values(["mean_per_day", "hour"], ascending=[False, True], kind="stable")
    return g.head(top).reset_index(drop=True)


def _dept_peaks(dcode: np.ndarray, hour: np.ndarray, top: int) -> pd.DataFrame:
    """Each department's ``top`` hours by incoming (ties: the earlier hour), in one groupby:
    the same order as :func:`peak_hours` gives per department (every department shares the
    company's working days, so the count orders as the mean per day does)."""
    cnt = pd.DataFrame({"d": dcode, "hour": hour}).groupby(["d", "hour"]).size() \
        .rename("n").reset_index()
    cnt = cnt.sort_values(["d", "n", "hour"], ascending=[True, False, True], kind="stable")
    return cnt.groupby("d", sort=False).head(top)[["d", "hour"]]


def presence_at_peaks(calls: pd.DataFrame, *,
                      peaks: Iterable[int] | Mapping[str, Iterable[int]] | pd.DataFrame | None = None,
                      period: tuple[object, object] | None = None, top: int = 3,
                      working_hours: WorkingHours | None = None,
                      available: pd.DataFrame | None = None) -> pd.DataFrame:
    """Was each employee active in their department's peak hours on the days they worked?

    Parameters
    ----------
    calls : DataFrame
        Canonical call table (employees need a department).
    peaks : hours, mapping department -> hours, a :func:`peak_hours` frame, or None
        None = each department's own ``top`` peak hours from its incoming traffic (inside
        working hours).
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    top : int
        Number of peak hours per department when ``peaks`` is None.
    working_hours : WorkingHours, optional
        Only date × hour slots inside working hours are listed (a worked Saturday is no
        evidence of absence at Monday's peak); department incoming counts calls inside them.
    available : DataFrame, optional
        :func:`callkit.metrics.queues.agent_availability` (with a queue_log): for an agent in
        an hour the log covers, presence is their real log-in and pause time instead of "had a
        call".

    Returns
    -------
    DataFrame
        One row per employee × worked date × peak hour: ``department, employee, date, hour,
        present, department_incoming, source, available_share``. A *worked* date has at least
        one activity call (placed, or an answered incoming) or, for an agent of the queue_log,
        a log-in. ``present`` = an activity call overlaps ``[hour, hour+1)`` that date (``source``
        ``calls``, ``available_share`` NaN); in an hour the queue_log covers for that agent
        (``source`` ``queue_log``) = logged in and not paused at least
        :data:`~callkit.metrics.queues.PRESENT_MIN_SHARE` of the hour's working time
        (``available_share`` = that share), whatever the calls say. ``department_incoming`` =
        the department's incoming sessions that date and hour. The agent's department is the
        department of their calls, else the directory's.

    Examples
    --------
    Peak hour 10; Ann worked 2026-10-05 (calls at 12:00 only) → a row with present False.
    """
    inp = period_mask(calls, period)
    m = masks(calls)
    has_dep = calls[schema.DEPARTMENT].notna().to_numpy(dtype=bool)
    act = activity_mask(calls, m) & inp & has_dep
    a = calls.loc[act, [schema.EMPLOYEE, schema.DEPARTMENT, schema.START, schema.END]]
    av = _available_rows(available)
    if a.empty and av.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            PRESENCE_COLUMNS, ("string", "string", "datetime64[s]", "int64", "bool", "int64", "string",
                               "float64"))})
    inc = calls.loc[inp & m["incoming"] & has_dep & in_working_hours(calls, working_hours),
                    [schema.DEPARTMENT, schema.START]]
    # integer codes for employees and departments: the joins below run on ints
    eall, enames = pd.factorize(a[schema.EMPLOYEE] if av.empty else pd.concat(
        [a[schema.EMPLOYEE].astype("string"), av["employee"]], ignore_index=True))
    ecode, av_e = eall[:len(a)], eall[len(a):]
    dall, deps = pd.factorize(pd.concat([a[schema.DEPARTMENT], inc[schema.DEPARTMENT], av["department"]],
                                        ignore_index=True).astype("string"))
    deps = pd.Index(np.asarray(deps, dtype=object))
    dcode, inc_dcode, av_d = dall[:len(a)], dall[len(a):len(a) + len(inc)], dall[len(a) + len(inc):]
    ih = inc[schema.START].dt.tz_localize(None).to_numpy(dtype="datetime64[ns]") \
        .astype("datetime64[h]").astype(np.int64)
    if isinstance(peaks, pd.DataFrame) and schema.DEPARTMENT in peaks:
        peaks = {str(d): list(g["hour"]) for d, g in peaks.groupby(schema.DEPARTMENT)}
    elif isinstance(peaks, pd.DataFrame):
        peaks = list(peaks["hour"])
    if peaks is None:
        hrs = _dept_peaks(inc_dcode, ih % 24, top)
    elif isinstance(peaks, Mapping):
        hrs = pd.DataFrame([(d, int(h)) for d, hs in peaks.items() for h in hs],
                           columns=["dn", "hour"])
        hrs["d"] = deps.get_indexer(hrs["dn"].astype(str))
        hrs = hrs.loc[hrs["d"] >= 0, ["d", "hour"]]
    else:
        hrs = pd.DataFrame({"d": np.arange(len(deps))}).merge(
            pd.DataFrame({"hour": [int(h) for h in peaks]}), how="cross")
    row, absh = covered_hours(a[schema.START], a[schema.END])
    busy = unique_rows(pd.DataFrame({"e": ecode[row], "d": dcode[row], "absh": absh}))
    day0 = a[schema.START].dt.tz_localize(None).to_numpy(dtype="datetime64[ns]") \
        .astype("datetime64[D]").astype(np.int64)
    worked = unique_rows(pd.DataFrame({"e": ecode, "d": dcode, "day": day0}))
    qrows = _available_slots(av, av_e, av_d, worked)
    if len(qrows):
        # a log-in that date makes it a worked date of the agent
        worked = pd.concat([worked, qrows.loc[qrows["logged_in_s"] > 0, ["e", "d", "day"]]],
                           ignore_index=True).drop_duplicates()
    slots = worked.merge(hrs, on="d")
    slots["absh"] = slots["day"] * 24 + slots["hour"]
    if working_hours is not None:
        # keep the date x hour slots with working minutes
        day = slots["day"].to_numpy().astype("datetime64[D]")
        lo, hi = working_hours.date_spans(day)
        hour = slots["hour"].to_numpy()
        slots = slots.loc[(np.minimum(hi, (hour + 1) * 60) - np.maximum(lo, hour * 60)) > 0]
    busy["present"] = True
    slots = slots.merge(busy, on=["e", "d", "absh"], how="left")
    slots["present"] = slots["present"].fillna(False).astype(bool)
    slots["source"] = "calls"
    slots["available_share"] = np.nan
    if len(qrows):
        from callkit.metrics.queues import PRESENT_MIN_SHARE
        cov = qrows.loc[qrows["covered"], ["e", "d", "absh", "available_share"]]
        slots = slots.drop(columns="available_share").merge(cov, on=["e", "d", "absh"], how="left")
        q = slots["available_share"].notna().to_numpy()
        slots.loc[q, "present"] = slots.loc[q, "available_share"].to_numpy() >= PRESENT_MIN_SHARE - 1e-9
        slots.loc[q, "source"] = "queue_log"
    slots["source"] = slots["source"].astype("string")
    # the department's incoming sessions in that date-hour
    dinc = pd.DataFrame({"d": inc_dcode, "absh": ih}).groupby(["d", "absh"]).size() \
        .rename("department_incoming").reset_index()
    slots = slots.merge(dinc, on=["d", "absh"], how="left")
    slots["department_incoming"] = slots["department_incoming"].fillna(0).astype(np.int64)
    slots["date"] = slots["day"].to_numpy().astype("datetime64[D]")
    out = slots
    out[schema.DEPARTMENT] = pd.array(np.asarray(deps, dtype=object)[out["d"].to_numpy()],
                                      dtype="string")
    out[schema.EMPLOYEE] = pd.array(np.asarray(enames, dtype=object)[out["e"].to_numpy()],
                                    dtype="string")
    out["hour"] = out["hour"].astype(np.int64)
    out = out.sort_values([schema.DEPARTMENT, schema.EMPLOYEE, "date", "hour"], kind="stable")
    return out.loc[:, list(PRESENCE_COLUMNS)].reset_index(drop=True)


def _available_rows(available: pd.DataFrame | None) -> pd.DataFrame:
    """The agent-hours of :func:`callkit.metrics.queues.agent_availability`, typed (empty
    without a queue_log)."""
    cols = ["employee", "department", "date", "hour", "logged_in_s", "available_share", "covered"]
    if available is None or len(available) == 0:
        return pd.DataFrame({"employee": pd.Series(dtype="string"), "department": pd.Series(dtype="string"),
                             "date": pd.Series(dtype="datetime64[s]"), "hour": pd.Series(dtype="int64"),
                             "logged_in_s": pd.Series(dtype="float64"),
                             "available_share": pd.Series(dtype="float64"), "covered": pd.Series(dtype="bool")})
    av = available.loc[:, cols]
    return av.assign(employee=av["employee"].astype("string"), department=av["department"].astype("string"))


def _available_slots(av: pd.DataFrame, av_e: np.ndarray, av_d: np.ndarray, worked: pd.DataFrame) -> pd.DataFrame:
    """The agent-hours with the codes of :func:`presence_at_peaks`: ``e, d, day, absh,
    logged_in_s, available_share, covered``; an agent's department is the one of their calls
    (``worked``), else the directory's."""
    if av.empty:
        return pd.DataFrame(columns=["e", "d", "day", "absh", "logged_in_s", "available_share", "covered"])
    day = pd.to_datetime(av["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    r = pd.DataFrame({"e": av_e, "d_dir": av_d, "day": day,
                      "absh": day * 24 + av["hour"].to_numpy(dtype=np.int64),
                      "logged_in_s": av["logged_in_s"].to_numpy(dtype=float),
                      "available_share": av["available_share"].to_numpy(dtype=float),
                      "covered": av["covered"].to_numpy(dtype=bool)})
    deps = worked[["e", "d"]].drop_duplicates()
    known = r.merge(deps, on="e")
    rest = r[~r["e"].isin(deps["e"]) & (r["d_dir"] >= 0)].rename(columns={"d_dir": "d"})
    return pd.concat([known.drop(columns="d_dir"), rest], ignore_index=True)


def presence_summary(presence: pd.DataFrame) -> pd.DataFrame:
    """Per employee: ``peak_slots`` (worked date × peak hour), ``absent_slots``, ``absent_share``,
    ``present_share`` (= 1 − absent_share).

    Only slots in which the department actually got incoming calls are counted (an empty peak
    hour on a quiet day is no evidence of absence).
    """
    p = presence[presence["department_incoming"] > 0]
    g = p.groupby([schema.DEPARTMENT, schema.EMPLOYEE], dropna=False)["present"].agg(["size", "sum"])
    g = g.rename(columns={"size": "peak_slots", "sum": "present_slots"})
    g["absent_slots"] = g["peak_slots"] - g["present_slots"]
    g["absent_share"] = g["absent_slots"] / g["peak_slots"].where(g["peak_slots"] > 0)
    g["present_share"] = 1.0 - g["absent_share"]
    return g.reset_index()[[schema.DEPARTMENT, schema.EMPLOYEE, "peak_slots", "absent_slots",
                            "absent_share", "present_share"]]
