"""Comparison with peers (DESIGN §3): each manager against the *other* comparable managers.

"Compare with colleagues with similar tasks" (the seed): a manager's value of a metric is set
against the other managers of the same department **and role** who are eligible (at least
``min_active_days`` active days). The reference is robust:

* ``reference`` = the median of the others' values;
* ``spread`` = the scaled median absolute deviation of the others (1.4826 x MAD, which equals
  the standard deviation for normal data), floored at ``rel_floor`` x |reference| and at the
  metric's absolute floor (:data:`SPREAD_FLOOR`), so a department whose managers happen to be
  identical (MAD 0) does not turn every small difference into an outlier;
* ``peers`` = how many others the reference rests on.

Leave-one-out: the manager being judged is never part of their own reference, so one extreme
manager cannot pull the reference towards themselves. Everything is vectorised (one self-join
of each group with its eligible members; cost grows with the sum of squared group sizes, not
with the number of groups) — no Python loop over departments or employees.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["MAD_SCALE", "REL_FLOOR", "SPREAD_FLOOR", "PEER_COLUMNS", "peer_stats", "peer_inputs"]

MAD_SCALE = 1.4826
REL_FLOOR = 0.10
#: Smallest spread per metric, in the metric's unit (shares: 0.02 = 2 percentage points).
SPREAD_FLOOR: dict[str, float] = {
    "external_calls_per_day": 0.2, "outgoing_new_clients_per_day": 0.1,
    "mobile_share": 0.02, "internal_share": 0.02, "calls_per_number": 0.05,
    "absent_share": 0.05, "landline_share": 0.02, "internal_calls_per_day": 0.1,
}
PEER_COLUMNS = ("reference", "spread", "peers")


def peer_stats(frame: pd.DataFrame, *, value: str, group: Sequence[str], eligible: str,
               metric: str | None = None, floors: Mapping[str, float] | None = None,
               rel_floor: float = REL_FLOOR) -> pd.DataFrame:
    """The reference of each row among the *other* eligible rows of its group.

    Parameters
    ----------
    frame : DataFrame
        One row per manager (and metric, for a long table).
    value : str
        The column compared.
    group : sequence of str
        Columns that make a peer group (e.g. ``["department", "role"]``, plus ``"metric"`` for a
        long table). NA is a group of its own (employees without a department are compared
        among themselves).
    eligible : str
        Boolean column: rows that may serve as someone's peer. A row that is not eligible still
        gets its reference (to be shown), it just never counts in anybody else's.
    metric : str, optional
        Column naming the metric of each row (long tables), for the per-metric floor; else the
        floor of ``value``.
    floors : mapping metric -> float, optional
        Absolute spread floors (default :data:`SPREAD_FLOOR`; 0 for metrics not in it).
    rel_floor : float
        The spread is at least this share of |reference|.

    Returns
    -------
    DataFrame
        Indexed like ``frame``: ``reference`` (median of the others; NaN without any),
        ``spread`` (max(1.4826 x MAD of the others, rel_floor x |reference|, floor)),
        ``peers`` (int, how many others).

    Examples
    --------
    Four managers of one department with internal shares 0.06, 0.07, 0.09 and 0.33: for the
    last one the others' median is 0.07, their MAD 0.01 -> spread max(0.0148, 0.007, 0.02) =
    0.02, peers 3; for 0.06 the others are 0.07, 0.09, 0.33 -> reference 0.09.
    """
    floors = SPREAD_FLOOR if floors is None else floors
    n = len(frame)
    gid = frame.groupby(list(group), dropna=False, sort=False).ngroup().to_numpy()
    val = frame[value].to_numpy(dtype=float)
    elig = frame[eligible].fillna(False).to_numpy(dtype=bool) & ~np.isnan(val)
    rows = pd.DataFrame({"g": gid, "i": np.arange(n)})
    others = pd.DataFrame({"g": gid[elig], "j": np.arange(n)[elig], "w": val[elig]})
    pairs = rows.merge(others, on="g", how="inner")
    pairs = pairs.loc[pairs["i"].to_numpy() != pairs["j"].to_numpy()]
    ref = pairs.groupby("i")["w"].median()
    dev = (pairs["w"] - pairs["i"].map(ref)).abs()
    mad = dev.groupby(pairs["i"]).median()
    cnt = pairs.groupby("i").size()
    out = pd.DataFrame(index=frame.index)
    reference = ref.reindex(range(n)).to_numpy(dtype=float)
    if metric is not None:
        floor = frame[metric].astype(object).map(lambda m: floors.get(str(m), 0.0)).to_numpy(dtype=float)
    else:
        floor = np.full(n, floors.get(value, 0.0))
    spread = np.fmax(MAD_SCALE * mad.reindex(range(n)).to_numpy(dtype=float),
                     np.fmax(rel_floor * np.abs(reference), floor))
    out["reference"] = reference
    out["spread"] = np.where(np.isnan(reference), np.nan, spread)
    out["peers"] = cnt.reindex(range(n)).fillna(0).astype(np.int64).to_numpy()
    return out


def peer_inputs(managers: pd.DataFrame, *, presence: pd.DataFrame | None = None,
                roles: Mapping[str, str] | None = None, min_active_days: int = 3) -> pd.DataFrame:
    """The manager table the peer comparisons run on: ``managers`` plus ``role, role_source``
    (:func:`callkit.metrics.roles.assign_roles`, kept when already there) and, with
    ``presence``, ``peak_slots, absent_slots, absent_share``
    (:func:`callkit.metrics.presence_summary`; NaN share for managers without peak slots) and
    ``presence_source`` — how those slots were judged: ``calls``, ``queue_log`` (the agent's
    log-ins and pauses) or ``mixed``; NA without peak slots.
    This is managers.csv; compare.csv and the findings are computed from it."""
    from callkit import schema
    from callkit.metrics.roles import assign_roles
    from callkit.metrics.traffic import presence_summary

    out = managers.copy()
    if "role" not in out:
        out = out.join(assign_roles(out, roles=roles, min_active_days=min_active_days))
    if presence is not None and "absent_share" not in out:
        s = presence_summary(presence) if len(presence) else pd.DataFrame(
            columns=[schema.EMPLOYEE, "peak_slots", "absent_slots", "absent_share"])
        s = s.assign(**{schema.EMPLOYEE: s[schema.EMPLOYEE].astype("string")})
        s = s.groupby(schema.EMPLOYEE)[["peak_slots", "absent_slots"]].sum()
        emp = out[schema.EMPLOYEE].astype("string")
        out["peak_slots"] = emp.map(s["peak_slots"]).fillna(0).astype(np.int64).to_numpy()
        out["absent_slots"] = emp.map(s["absent_slots"]).fillna(0).astype(np.int64).to_numpy()
        out["absent_share"] = (out["absent_slots"] / out["peak_slots"].where(out["peak_slots"] > 0)
                               ).astype(float)
        p = presence[presence["department_incoming"] > 0] if len(presence) else presence
        src = p["source"].astype("string") if "source" in p else pd.Series("calls", index=p.index, dtype="string")
        by_log = (src == "queue_log").groupby(p[schema.EMPLOYEE].astype("string")).mean() if len(p) else \
            pd.Series(dtype=float)
        share = emp.map(by_log).to_numpy(dtype=float)
        out["presence_source"] = pd.array(np.select([share >= 1, share > 0, share == 0], ["queue_log", "mixed", "calls"],
                                                    None), dtype="string")
    return out
