"""Per-employee metrics of DESIGN §3: :func:`manager_summary`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.metrics._util import ensure_flags, masks, slot_frame

__all__ = ["SUMMARY_METRICS", "SUMMARY_COLUMNS", "PEER_EMPLOYEE", "manager_summary"]

#: Optional column (not canonical): for an internal call, the employee who answered it. When a
#: loader provides it, internal calls are counted for the answering side too (DESIGN §3).
PEER_EMPLOYEE = "peer_employee"

#: Every metric of DESIGN §3, in the order of managers.csv.
SUMMARY_METRICS: tuple[str, ...] = (
    "external_calls", "outgoing", "outgoing_answered", "incoming_answered", "incoming_missed",
    "internal_calls", "internal_share", "out_share", "in_out_ratio", "mobile_share",
    "landline_share", "outgoing_new_clients", "new_clients_reached", "unique_numbers",
    "calls_per_number", "talk_s_total", "talk_s_mean", "days_active", "external_calls_per_day",
    "outgoing_new_clients_per_day",
)
SUMMARY_COLUMNS: tuple[str, ...] = (schema.EMPLOYEE, schema.EXTENSION, schema.DEPARTMENT) + SUMMARY_METRICS

_COUNTS = ("external_calls", "outgoing", "outgoing_answered", "incoming_answered",
           "incoming_missed", "internal_calls", "outgoing_new_clients", "new_clients_reached",
           "unique_numbers", "days_active")


def _div(a: pd.Series, b: pd.Series) -> pd.Series:
    a = a.astype(float)
    b = b.astype(float)
    return (a / b.where(b > 0)).astype(float)


def _mode(s: pd.Series) -> pd.Series:
    """Most frequent non-NA value per group index (ties: first in sort order)."""
    s = s.dropna()
    if s.empty:
        return pd.Series(dtype="string")
    counts = s.groupby([s.index, s.to_numpy()]).size()
    counts = counts.sort_values(ascending=False, kind="stable")
    top = counts[~counts.index.get_level_values(0).duplicated()]
    return pd.Series(top.index.get_level_values(1), index=top.index.get_level_values(0),
                     dtype="string")


def manager_summary(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                    employees: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per employee with every metric of DESIGN §3 over the analysis period.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table, ideally already through
        :func:`callkit.classify.add_client_flags` (which knows the known-clients list and the
        history); otherwise the flags are computed here for ``period``.
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    employees : DataFrame, optional
        Directory ``extension, employee, department``: every employee in it gets a row (zeros
        when they made no calls) and its extension/department fill gaps.

    Returns
    -------
    DataFrame
        Columns :data:`SUMMARY_COLUMNS`: ``employee, extension, department`` then the metrics.
        Counts are integers; ``*_share`` are fractions 0..1; ``talk_s_*`` seconds; ratios are
        NaN when their denominator is 0.

        - external_calls = outgoing (all attempts to external numbers) + incoming_answered
        - incoming_missed = unanswered incoming sessions whose ``employee`` is set (rang only them)
        - internal_calls = internal calls placed (+ answered, when ``peer_employee`` is given)
        - internal_share = internal_calls / (external_calls + internal_calls)
        - out_share = outgoing / external_calls; in_out_ratio = incoming_answered / outgoing
        - mobile_share, landline_share = share of outgoing by number type
        - outgoing_new_clients = outgoing calls to new numbers; new_clients_reached = distinct
          new numbers with an answered call handled by the employee
        - unique_numbers = distinct client numbers among the external_calls;
          calls_per_number = external_calls / unique_numbers
        - talk_s_total, talk_s_mean over answered external calls
        - days_active = local dates with a call counted in external_calls or internal_calls;
          external_calls_per_day, outgoing_new_clients_per_day = the count / days_active

    Examples
    --------
    An employee with 3 outgoing (2 answered, talk 60 + 30 s) and 1 answered incoming (talk 90 s)
    on 2 days: external_calls 4, out_share 0.75, in_out_ratio 1/3, talk_s_total 180,
    talk_s_mean 60, external_calls_per_day 2.0.
    """
    flagged, inp = ensure_flags(calls, period)
    m = masks(flagged)
    emp = flagged[schema.EMPLOYEE]
    has_emp = emp.notna().to_numpy(dtype=bool)
    sel = inp & has_emp
    c = flagged.loc[sel]
    mm = {k: v[sel] for k, v in m.items()}
    num_type = c[schema.NUMBER_TYPE]
    new = c[classify.IS_NEW_CLIENT].fillna(False).to_numpy(dtype=bool)
    talk = c[schema.TALK_S].fillna(0).to_numpy(dtype=float)

    out = mm["outgoing"]
    inc_ans = mm["incoming"] & mm["answered"]
    ext_counted = out | inc_ans
    ext_answered = ext_counted & mm["answered"]
    internal_placed = mm["internal"]
    ind = pd.DataFrame({
        "outgoing": out,
        "outgoing_answered": out & mm["answered"],
        "incoming_answered": inc_ans,
        "incoming_missed": mm["incoming"] & mm["unanswered"],
        "internal_calls": internal_placed,
        "mobile": out & (num_type == "mobile").fillna(False).to_numpy(dtype=bool),
        "landline": out & (num_type == "landline").fillna(False).to_numpy(dtype=bool),
        "outgoing_new_clients": out & new,
        "talk_s_total": np.where(ext_answered, talk, 0.0),
        "n_answered_ext": ext_answered,
    }, index=c.index)
    key = c[schema.EMPLOYEE].astype(str).to_numpy()
    g = ind.groupby(key, sort=True).sum()

    counted = ext_counted | internal_placed
    days = slot_frame(c[schema.START])["date"].to_numpy()
    act_emp, act_day = key[counted], days[counted]

    # the answering side of internal calls, when the loader provides it
    if PEER_EMPLOYEE in flagged:
        pe = flagged[PEER_EMPLOYEE]
        psel = inp & pe.notna().to_numpy(dtype=bool) & m["internal"] & m["answered"]
        if psel.any():
            pkey = pe[psel].astype(str).to_numpy()
            pcount = pd.Series(1, index=pkey).groupby(level=0).sum()
            g = g.reindex(g.index.union(pcount.index), fill_value=0)
            g["internal_calls"] = g["internal_calls"].add(pcount, fill_value=0)
            pdays = slot_frame(flagged.loc[psel, schema.START])["date"].to_numpy()
            act_emp = np.concatenate([act_emp, pkey])
            act_day = np.concatenate([act_day, pdays])

    res = pd.DataFrame(index=g.index)
    for col in ("outgoing", "outgoing_answered", "incoming_answered", "incoming_missed",
                "internal_calls", "outgoing_new_clients"):
        res[col] = g[col].astype(np.int64)
    res["external_calls"] = res["outgoing"] + res["incoming_answered"]
    ext_rows = c.loc[ext_counted, [schema.CLIENT_NUMBER]].assign(_k=key[ext_counted])
    res["unique_numbers"] = ext_rows.groupby("_k")[schema.CLIENT_NUMBER].nunique()
    new_ans = ext_answered & new
    nr = c.loc[new_ans, [schema.CLIENT_NUMBER]].assign(_k=key[new_ans])
    res["new_clients_reached"] = nr.groupby("_k")[schema.CLIENT_NUMBER].nunique()
    act = pd.DataFrame({"k": act_emp, "d": act_day}).drop_duplicates()
    res["days_active"] = act.groupby("k").size()
    res["talk_s_total"] = g["talk_s_total"].astype(float)
    res["talk_s_mean"] = _div(g["talk_s_total"], g["n_answered_ext"])
    res["mobile_share"] = _div(g["mobile"], g["outgoing"])
    res["landline_share"] = _div(g["landline"], g["outgoing"])

    # employees from the directory without calls, and identity columns
    if employees is not None and len(employees):
        dir_emp = employees[schema.EMPLOYEE].dropna().astype(str)
        res = res.reindex(res.index.union(pd.Index(dir_emp.unique())))
    for col in _COUNTS:
        res[col] = res[col].fillna(0).astype(np.int64) if col in res else 0
    res["talk_s_total"] = res["talk_s_total"].fillna(0.0)
    res["internal_share"] = _div(res["internal_calls"], res["external_calls"] + res["internal_calls"])
    res["out_share"] = _div(res["outgoing"], res["external_calls"])
    res["in_out_ratio"] = _div(res["incoming_answered"], res["outgoing"])
    res["calls_per_number"] = _div(res["external_calls"], res["unique_numbers"])
    res["external_calls_per_day"] = _div(res["external_calls"], res["days_active"])
    res["outgoing_new_clients_per_day"] = _div(res["outgoing_new_clients"], res["days_active"])

    all_emp = flagged.loc[has_emp]
    ekey = pd.Index(all_emp[schema.EMPLOYEE].astype(str).to_numpy())
    ext = _mode(pd.Series(all_emp[schema.EXTENSION].to_numpy(), index=ekey)) \
        if schema.EXTENSION in all_emp else pd.Series(dtype="string")
    dep = _mode(pd.Series(all_emp[schema.DEPARTMENT].to_numpy(), index=ekey))
    res[schema.EXTENSION] = ext.reindex(res.index).astype("string")
    res[schema.DEPARTMENT] = dep.reindex(res.index).astype("string")
    if employees is not None and len(employees):
        d = employees.dropna(subset=[schema.EMPLOYEE]).drop_duplicates(schema.EMPLOYEE)
        d = d.set_index(d[schema.EMPLOYEE].astype(str))
        for col in (schema.EXTENSION, schema.DEPARTMENT):
            if col in d:
                res[col] = res[col].fillna(d[col].astype("string").reindex(res.index))
    res.index.name = schema.EMPLOYEE
    res = res.reset_index()
    res[schema.EMPLOYEE] = res[schema.EMPLOYEE].astype("string")
    return res.loc[:, list(SUMMARY_COLUMNS)].sort_values(
        [schema.DEPARTMENT, schema.EMPLOYEE], na_position="last", kind="stable").reset_index(drop=True)
