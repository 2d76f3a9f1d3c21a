"""Missed incoming calls: callbacks, delays, reached and lost (DESIGN §3)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.metrics._util import masks, period_mask, text_codes
from callkit.metrics._util import utc_naive as _utc
from callkit.metrics.hours import WorkingHours, in_working_hours
from callkit.metrics.tech import LineCeiling, short_ring_mask

__all__ = ["MISSED_COLUMNS", "MISSED_EXTRA_COLUMNS", "missed_calls", "to_call_back"]

#: Columns of missed.csv (DESIGN §5); :func:`missed_calls` appends a few more after these.
MISSED_COLUMNS = (schema.CALL_ID, schema.START, schema.CLIENT_NUMBER, schema.DEPARTMENT,
                  schema.EMPLOYEE, "callback_at", "callback_delay_s", "reached", "lost")
#: missed.csv: after the DESIGN columns (see :func:`missed_calls`)
MISSED_EXTRA_COLUMNS = ("in_hours", "called_back", classify.ANSWERING_GROUP, "at_line_ceiling",
                        "short_ring")


def _next_after(left: pd.DataFrame, right: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """For each left row (number, start) the first right row of the same number starting
    strictly after it. Returns the right ``cols`` aligned to ``left``'s index."""
    if right.empty or left.empty:
        res = pd.DataFrame({c: pd.Series(index=left.index, dtype=object) for c in cols})
        res["_at"] = pd.Series(pd.NaT, index=left.index, dtype="datetime64[ns]")
        return res
    lk = left[["_n", "_t"]].assign(_i=np.arange(len(left))).sort_values("_t", kind="stable")
    rk = right[["_n", "_t"] + cols].rename(columns={"_t": "_rt"}).sort_values("_rt", kind="stable")
    m = pd.merge_asof(lk, rk, left_on="_t", right_on="_rt", by="_n", direction="forward",
                      allow_exact_matches=False)
    m = m.sort_values("_i")
    return pd.DataFrame({c: m[c].to_numpy() for c in cols + ["_rt"]}, index=left.index) \
        .rename(columns={"_rt": "_at"})


def missed_calls(calls: pd.DataFrame, *, window_h: float = 24,
                 period: tuple[object, object] | None = None,
                 working_hours: WorkingHours | None = None,
                 ceiling: LineCeiling | None = None) -> pd.DataFrame:
    """Every missed incoming external session with its first callback, delay, reached and lost.

    A missed call is an incoming session nobody answered: status ``missed``, ``busy`` or
    ``failed`` (or answered only by the IVR). It is **called back** when an outgoing call to that
    number starts after it (the first one gives ``callback_at`` and ``callback_delay_s``, however
    late); **reached** when such a call, or a later incoming call from that number, is answered
    (at any time after the miss, in all loaded data). **Lost** = not called back within
    ``window_h`` hours and not reached. Calls without a caller number cannot be called back:
    ``lost`` is True for them.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table; callbacks are searched in all of it (also after the period).
    window_h : float
        Callback window in hours (default 24).
    period : (start, end) or None
        The missed calls listed are those starting inside it; None = the ``in_period`` flag if
        present, else all data.
    working_hours : WorkingHours, optional
        Marks each missed call ``in_hours`` (every call is listed: the ones outside working
        hours still need a call back, but the missed-call figures count the ones inside).
    ceiling : LineCeiling, optional
        :func:`callkit.metrics.tech.line_ceiling`: marks ``at_line_ceiling``.

    Returns
    -------
    DataFrame
        :data:`MISSED_COLUMNS` (``callback_delay_s`` in seconds, NaN when never called back),
        then ``callback_by`` (employee of the first callback), ``reached_at``, ``status``,
        ``ring_s``, ``line``, ``in_hours`` (started inside working hours; all True without
        ``working_hours``), ``called_back`` (a callback within the window), ``answering_group``
        (when the calls have it), ``at_line_ceiling`` (started while every line was busy;
        False without ``ceiling``) and ``short_ring`` (a short-ring drop inside working hours,
        :func:`callkit.metrics.tech.short_ring_mask`). Ordered by start.

    Examples
    --------
    Missed at 10:00, outgoing to that number at 10:30 unanswered and at 12:00 answered:
    callback_at 10:30, callback_delay_s 1800, reached True, lost False.
    """
    m = masks(calls)
    inp = period_mask(calls, period)
    # integer codes of the client numbers (fast "by" keys for the as-of joins)
    allnum = calls[schema.CLIENT_NUMBER]
    ncode = text_codes(allnum)   # NA -> -1
    ext_num = ncode >= 0
    msel = inp & m["incoming"] & m["unanswered"]
    miss = calls.loc[msel, [c for c in (schema.CALL_ID, schema.START, schema.CLIENT_NUMBER,
                                        schema.DEPARTMENT, schema.EMPLOYEE, schema.STATUS,
                                        schema.RING_S, schema.LINE) if c in calls]]
    num = miss[schema.CLIENT_NUMBER]
    left = pd.DataFrame({"_n": ncode[msel], "_t": _utc(miss[schema.START])}, index=miss.index)
    left = left[left["_n"].to_numpy() >= 0]

    osel = m["outgoing"] & ext_num
    outs = calls.loc[osel, [schema.START, schema.EMPLOYEE]]
    right_cb = pd.DataFrame({"_n": ncode[osel], "_t": _utc(outs[schema.START]),
                             "callback_by": outs[schema.EMPLOYEE].astype(object).to_numpy()})
    rsel = m["external"] & m["answered"] & ext_num
    reach = calls.loc[rsel, [schema.START]]
    right_re = pd.DataFrame({"_n": ncode[rsel], "_t": _utc(reach[schema.START]),
                             "_rid": np.ones(int(rsel.sum()), dtype=bool)})
    cb = _next_after(left, right_cb, ["callback_by"])
    re = _next_after(left, right_re, ["_rid"])

    tz = calls[schema.START].dt.tz
    out = pd.DataFrame({
        schema.CALL_ID: miss[schema.CALL_ID].astype("string"),
        schema.START: miss[schema.START],
        schema.CLIENT_NUMBER: num.astype("string"),
        schema.DEPARTMENT: miss[schema.DEPARTMENT].astype("string"),
        schema.EMPLOYEE: miss[schema.EMPLOYEE].astype("string"),
    })
    cb_at = pd.Series(pd.NaT, index=miss.index, dtype=miss[schema.START].dtype)
    re_at = cb_at.copy()
    cb_by = pd.Series(pd.NA, index=miss.index, dtype="string")
    if len(left):
        def back(v: pd.Series) -> np.ndarray:
            return pd.to_datetime(v).dt.tz_localize("UTC").dt.tz_convert(tz)

        cb_at.loc[left.index] = back(cb["_at"])
        re_at.loc[left.index] = back(re["_at"])
        cb_by.loc[left.index] = cb["callback_by"].astype("string").to_numpy()
    out["callback_at"] = cb_at
    delay = (cb_at - miss[schema.START]).dt.total_seconds()
    out["callback_delay_s"] = delay.astype(float)
    reached = re_at.notna().to_numpy(dtype=bool)
    out["reached"] = reached
    in_window = (delay <= window_h * 3600).fillna(False).to_numpy(dtype=bool)
    out["lost"] = ~in_window & ~reached
    out["callback_by"] = cb_by
    out["reached_at"] = re_at
    out[schema.STATUS] = miss[schema.STATUS]
    out[schema.RING_S] = miss[schema.RING_S].astype(float)
    out[schema.LINE] = miss[schema.LINE].astype("string")
    out["in_hours"] = in_working_hours(miss, working_hours)
    out["called_back"] = in_window
    if classify.ANSWERING_GROUP in calls:
        out[classify.ANSWERING_GROUP] = calls.loc[msel, classify.ANSWERING_GROUP].astype("string")
    out["at_line_ceiling"] = ceiling.at_ceiling[msel] if ceiling is not None else False
    out["short_ring"] = short_ring_mask(calls, period=period, working_hours=working_hours)[msel]
    out = out.sort_values(schema.START, kind="stable").reset_index(drop=True)
    return out


def to_call_back(missed: pd.DataFrame) -> pd.DataFrame:
    """The numbers still to call back: missed and never reached since.

    Parameters
    ----------
    missed : DataFrame
        Output of :func:`missed_calls`.

    Returns
    -------
    DataFrame
        One row per client number with at least one unreached missed call: ``client_number,
        missed, last_missed, department, employee, called_back`` (any callback attempt after the
        last miss), newest first. Calls without a number are left out (nobody can call them).

    Examples
    --------
    A number missed twice, called once without an answer → one row, missed 2, called_back True.
    """
    open_ = missed[~missed["reached"] & missed[schema.CLIENT_NUMBER].notna()]
    if open_.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in (
            (schema.CLIENT_NUMBER, "string"), ("missed", "int64"),
            ("last_missed", missed[schema.START].dtype), (schema.DEPARTMENT, "string"),
            (schema.EMPLOYEE, "string"), ("called_back", "bool"))})
    o = open_.sort_values(schema.START, kind="stable")
    g = o.groupby(schema.CLIENT_NUMBER, sort=False)
    last = g.tail(1).set_index(schema.CLIENT_NUMBER)
    res = pd.DataFrame({
        "missed": g.size(),
        "last_missed": last[schema.START],
        schema.DEPARTMENT: last[schema.DEPARTMENT],
        schema.EMPLOYEE: last[schema.EMPLOYEE],
        "called_back": last["callback_at"].notna(),
    })
    res.index.name = schema.CLIENT_NUMBER
    res = res.reset_index().sort_values("last_missed", ascending=False, kind="stable")
    res[schema.CLIENT_NUMBER] = res[schema.CLIENT_NUMBER].astype("string")
    res["missed"] = res["missed"].astype(np.int64)
    return res.reset_index(drop=True)
