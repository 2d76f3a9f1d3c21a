"""Per-employee metrics of DESIGN §3: :func:`manager_summary`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.metrics._util import ensure_flags, masks, slot_frame, text_codes
from callkit.metrics._util import safe_div as _div

__all__ = ["SUMMARY_METRICS", "SUMMARY_COLUMNS", "NEW_CLIENT_METRICS", "PEER_EMPLOYEE",
           "manager_summary", "counted_masks"]

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
#: The metrics that need new clients told from existing ones: NaN when the period has
#: ``new_unknown`` calls (the loaded history does not cover the look-back).
NEW_CLIENT_METRICS: tuple[str, ...] = ("outgoing_new_clients", "new_clients_reached",
                                       "outgoing_new_clients_per_day")

def counted_masks(calls: pd.DataFrame, m: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Which rows count in which metric of DESIGN §3 (boolean numpy masks over ``calls``).

    The one definition :func:`manager_summary` counts with and the findings take their
    evidence from (so the calls behind a finding reproduce its value). The masks do not look at
    the period or the employee: combine them with the in-period mask and ``employee`` not NA.

    - ``outgoing``: outgoing attempts to external numbers; ``outgoing_answered``;
      ``outgoing_new``: outgoing to a new client; ``outgoing_mobile`` / ``outgoing_landline``
    - ``incoming_answered``: incoming answered by a person (not only by the PBX)
    - ``incoming_missed``: incoming not answered (the employee is the one it rang)
    - ``external``: counted in external_calls (outgoing | incoming_answered);
      ``external_answered``: those answered (talk time, new_clients_reached)
    - ``internal_placed``: internal calls placed; ``internal_answered``: internal calls answered
      (they count for ``peer_employee``, the answering side, when the loader gives it)
    """
    m = masks(calls) if m is None else m
    out, ans = m["outgoing"], m["answered"]
    inc_ans = m["incoming"] & ans
    new = (calls[classify.IS_NEW_CLIENT].fillna(False).to_numpy(dtype=bool)
           if classify.IS_NEW_CLIENT in calls else np.zeros(len(calls), dtype=bool))
    ntype = calls[schema.NUMBER_TYPE]
    ext = out | inc_ans
    return {
        "outgoing": out, "outgoing_answered": out & ans, "outgoing_new": out & new,
        "outgoing_mobile": out & (ntype == "mobile").fillna(False).to_numpy(dtype=bool),
        "outgoing_landline": out & (ntype == "landline").fillna(False).to_numpy(dtype=bool),
        "incoming_answered": inc_ans, "incoming_missed": m["incoming"] & m["unanswered"],
        "external": ext, "external_answered": ext & ans, "new": new,
        "internal_placed": m["internal"], "internal_answered": m["internal"] & ans,
    }


def _mode_codes(code: np.ndarray, values: pd.Series, cats: pd.Index) -> pd.Series:
    """Most frequent non-NA value per employee code (ties: the first in sort order)."""
    vcode, vuniq = pd.factorize(values, sort=True)
    ok = vcode >= 0
    if not ok.any():
        return pd.Series(pd.NA, index=cats, dtype="string")
    width = np.int64(len(vuniq))
    vc = pd.Series(code[ok].astype(np.int64) * width + vcode[ok]).value_counts(sort=False)
    keys, counts = vc.index.to_numpy(dtype=np.int64), vc.to_numpy()
    df = pd.DataFrame({"e": keys // width, "v": keys % width, "n": counts})
    df = df.sort_values(["e", "n", "v"], ascending=[True, False, True], kind="stable")
    top = df.drop_duplicates("e")
    out = pd.Series(pd.NA, index=range(len(cats)), dtype="string")
    out.loc[top["e"].to_numpy()] = np.asarray(vuniq, dtype=object)[top["v"].to_numpy()]
    out.index = cats
    return out


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
          new numbers with an answered call handled by the employee; these and
          outgoing_new_clients_per_day (:data:`NEW_CLIENT_METRICS`) are NaN for everyone when
          the period has ``new_unknown`` calls (the history is too short for the look-back)
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
    cm = counted_masks(flagged, m)
    emp = flagged[schema.EMPLOYEE]
    # one integer code per employee name (callers, answerers and internal callees alike)
    peer = flagged[PEER_EMPLOYEE] if PEER_EMPLOYEE in flagged else None
    parts = [emp.astype("string")]
    if peer is not None:
        parts.append(peer.astype("string"))
    dir_names = None
    if employees is not None and len(employees):
        dir_names = employees[schema.EMPLOYEE].dropna().astype("string")
        parts.append(dir_names)
    allcodes, cats = pd.factorize(pd.concat(parts, ignore_index=True))
    cats = pd.Index(np.asarray(cats, dtype=object))
    k = len(cats)
    n = len(flagged)
    code = allcodes[:n]
    pcode = allcodes[n:2 * n] if peer is not None else None
    sel = inp & (code >= 0)
    cs = code[sel]
    mm = {key: v[sel] for key, v in cm.items()}
    c = flagged.loc[sel, [schema.TALK_S, schema.START, schema.CLIENT_NUMBER]]
    talk = c[schema.TALK_S].fillna(0).to_numpy(dtype=float)

    def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        w = None if weights is None else weights[mask]
        return np.bincount(cs[mask], weights=w, minlength=k)

    ext_counted = mm["external"]
    ext_answered = mm["external_answered"]
    internal_placed = mm["internal_placed"]
    new = mm["new"]
    res = pd.DataFrame(index=pd.Index(cats, name=schema.EMPLOYEE))
    res["outgoing"] = count(mm["outgoing"]).astype(np.int64)
    res["outgoing_answered"] = count(mm["outgoing_answered"]).astype(np.int64)
    res["incoming_answered"] = count(mm["incoming_answered"]).astype(np.int64)
    res["incoming_missed"] = count(mm["incoming_missed"]).astype(np.int64)
    internal = count(internal_placed).astype(np.int64)
    res["outgoing_new_clients"] = count(mm["outgoing_new"]).astype(np.int64)
    mobile = count(mm["outgoing_mobile"])
    landline = count(mm["outgoing_landline"])
    talk_total = count(ext_answered, talk)
    n_ans_ext = count(ext_answered)

    days = slot_frame(c[schema.START])["date"].to_numpy().astype(np.int64)
    counted = ext_counted | internal_placed
    act_code, act_day = cs[counted], days[counted]
    # the answering side of internal calls, when the loader provides it
    if pcode is not None:
        psel = inp & (pcode >= 0) & cm["internal_answered"]
        if psel.any():
            internal = internal + np.bincount(pcode[psel], minlength=k)
            pdays = slot_frame(flagged.loc[psel, schema.START])["date"].to_numpy().astype(np.int64)
            act_code = np.concatenate([act_code, pcode[psel]])
            act_day = np.concatenate([act_day, pdays])
    res["internal_calls"] = internal.astype(np.int64)
    res["external_calls"] = res["outgoing"] + res["incoming_answered"]

    num_code = text_codes(flagged[schema.CLIENT_NUMBER])[sel]   # distinct counts: any coding

    def distinct(mask: np.ndarray, other: np.ndarray) -> np.ndarray:
        mask = mask & (other >= 0)
        if not mask.any():
            return np.zeros(k, dtype=np.int64)
        width = np.int64(other[mask].max()) + 1
        pairs = pd.unique(cs[mask].astype(np.int64) * width + other[mask])
        return np.bincount(pairs // width, minlength=k).astype(np.int64)

    res["unique_numbers"] = distinct(ext_counted, num_code)
    res["new_clients_reached"] = distinct(ext_answered & new, num_code)
    if len(act_code):
        d0 = act_day.min()
        width = np.int64(act_day.max() - d0) + 1
        pairs = pd.unique(act_code.astype(np.int64) * width + (act_day - d0))
        res["days_active"] = np.bincount(pairs // width, minlength=k).astype(np.int64)
    else:
        res["days_active"] = 0
    res["talk_s_total"] = talk_total.astype(float)
    res["talk_s_mean"] = _div(pd.Series(talk_total, index=res.index),
                              pd.Series(n_ans_ext, index=res.index))
    res["mobile_share"] = _div(pd.Series(mobile, index=res.index), res["outgoing"])
    res["landline_share"] = _div(pd.Series(landline, index=res.index), res["outgoing"])
    res["internal_share"] = _div(res["internal_calls"], res["external_calls"] + res["internal_calls"])
    res["out_share"] = _div(res["outgoing"], res["external_calls"])
    res["in_out_ratio"] = _div(res["incoming_answered"], res["outgoing"])
    res["calls_per_number"] = _div(res["external_calls"], res["unique_numbers"])
    res["external_calls_per_day"] = _div(res["external_calls"], res["days_active"])
    res["outgoing_new_clients_per_day"] = _div(res["outgoing_new_clients"], res["days_active"])
    if classify.CLIENT_STATUS in flagged and (
            flagged.loc[inp, classify.CLIENT_STATUS] == "new_unknown").any():
        # the history is too short to tell new clients in this period (DESIGN §3 look-back):
        # the new-client metrics are insufficient, not zero (classify.new_client_coverage)
        res[list(NEW_CLIENT_METRICS)] = np.nan

    has = code >= 0
    res[schema.EXTENSION] = (_mode_codes(code[has], flagged.loc[has, schema.EXTENSION], cats)
                             if schema.EXTENSION in flagged else pd.Series(pd.NA, index=cats,
                                                                          dtype="string"))
    res[schema.DEPARTMENT] = _mode_codes(code[has], flagged.loc[has, schema.DEPARTMENT], cats)
    if employees is not None and len(employees):
        d = employees.dropna(subset=[schema.EMPLOYEE]).drop_duplicates(schema.EMPLOYEE)
        d = d.set_index(d[schema.EMPLOYEE].astype(str))
        for col in (schema.EXTENSION, schema.DEPARTMENT):
            if col in d:
                res[col] = res[col].fillna(d[col].astype("string").reindex(res.index))
    # keep employees with a session in the period (any role) or in the directory
    keep = np.zeros(k, dtype=bool)
    keep[cs] = True
    if pcode is not None:
        keep[pcode[inp & (pcode >= 0)]] = True
    if dir_names is not None:
        keep[allcodes[len(allcodes) - len(dir_names):]] = True
    res = res.loc[keep]
    res.index.name = schema.EMPLOYEE
    res = res.reset_index()
    res[schema.EMPLOYEE] = res[schema.EMPLOYEE].astype("string")
    return res.loc[:, list(SUMMARY_COLUMNS)].sort_values(
        [schema.DEPARTMENT, schema.EMPLOYEE], na_position="last", kind="stable").reset_index(drop=True)
