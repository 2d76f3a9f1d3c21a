"""Comparisons: managers inside a department (gap to the best) and period over period."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.metrics.managers import SUMMARY_METRICS
from callkit.metrics.peers import peer_stats
from callkit.metrics.roles import role_applies

__all__ = ["COMPARE_METRICS", "RULE_METRICS", "LOWER_IS_BETTER", "COMPARE_COLUMNS",
           "compare_managers", "period_over_period"]

#: Metrics compared by default: True when higher is better.
COMPARE_METRICS: dict[str, bool] = {
    "external_calls_per_day": True,
    "outgoing_new_clients_per_day": True,
    "new_clients_reached": True,
    "talk_s_mean": True,
    "internal_share": False,
    "calls_per_number": False,
}
#: Metrics of the summary where a lower value is better (gap is mirrored).
LOWER_IS_BETTER: frozenset[str] = frozenset({"internal_share", "calls_per_number",
                                             "incoming_missed", "mobile_share", "absent_share"})
COMPARE_COLUMNS = (schema.DEPARTMENT, schema.EMPLOYEE, "metric", "value", "best", "gap", "flagged",
                   "role", "reference", "spread", "peers")
#: Metrics the employee rules compare with peers (compare.csv has them too, with the same
#: reference the findings quote); ``absent_share`` when the summary carries it (the audit adds
#: :func:`callkit.metrics.presence_summary`'s columns).
RULE_METRICS: dict[str, bool] = {
    "external_calls_per_day": True, "outgoing_new_clients_per_day": True,
    "mobile_share": False, "internal_share": False, "calls_per_number": False,
    "absent_share": False,
}


def _gap(value: np.ndarray, best: np.ndarray, higher: bool) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if higher:
            # 1 - value / best; best 0 -> everyone equal -> gap 0
            g = np.where(best > 0, 1.0 - value / best, 0.0)
        else:
            # mirror: 1 - best / value; value 0 is the best possible -> gap 0
            g = np.where(value > 0, 1.0 - best / value, 0.0)
    g = np.where(np.isnan(value) | np.isnan(best), np.nan, g)
    return g


def compare_managers(summary: pd.DataFrame, *,
                     metrics: Iterable[str] | Mapping[str, bool] | None = None,
                     threshold: float = 0.25, min_active_days: int = 3) -> pd.DataFrame:
    """Each manager against the other managers of the same department and role, per metric.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`callkit.metrics.manager_summary`, optionally with ``role`` (from
        :func:`callkit.metrics.roles.assign_roles`; without it everyone is compared with the
        whole department) and ``absent_share`` (presence at peaks).
    metrics : iterable of names, or mapping name -> higher_is_better, optional
        Metrics to compare (names of summary columns). Default: those of
        :data:`COMPARE_METRICS` and :data:`RULE_METRICS` the summary has. Direction defaults to
        :data:`COMPARE_METRICS` / :data:`LOWER_IS_BETTER`.
    threshold : float
        A gap above this is a growth zone (``flagged``); default 0.25.
    min_active_days : int
        Managers with fewer active days are reported (value and gap) but never flagged, and
        never serve as the best or as anybody's peer.

    Returns
    -------
    DataFrame
        Long table :data:`COMPARE_COLUMNS`:

        - ``best`` = the highest value among the eligible managers of the same department and
          role (lowest for lower-is-better metrics; when nobody there is eligible, the best of
          all of them, for reference); ``gap`` = 1 − value / best (mirror: 1 − best / value),
          so 0 = on par with the best, 0.4 = 40 % behind; NaN when the value is undefined. For a
          lower-is-better metric the best is the lowest non-zero value: a manager with no
          internal calls at all cannot be a ratio base (1 − 0 / value would flag every
          colleague with gap 1); zeros themselves have gap 0.
        - ``flagged`` = eligible, >= 2 eligible managers in the group, gap > threshold, and the
          metric applies to the role (:data:`callkit.metrics.roles.METRIC_ROLES`: e.g. an
          inbound manager is not flagged on outgoing calls to new clients).
        - ``role``; ``reference``, ``spread``, ``peers`` = the peer comparison of
          :func:`callkit.metrics.peers.peer_stats` (median and robust spread of the *other*
          eligible managers of the same department and role, and how many they are): the one
          reference the employee rules of :mod:`callkit.findings` quote.

        Employees without a department are compared among themselves.

    Examples
    --------
    Department with A = 20 calls/day and B = 12: best 20, B's gap = 1 − 12/20 = 0.4 > 0.25 →
    flagged.
    """
    if metrics is None:
        metrics = {m: h for m, h in {**COMPARE_METRICS, **RULE_METRICS}.items()
                   if m in summary.columns}
    if isinstance(metrics, Mapping):
        direction = {str(k): bool(v) for k, v in metrics.items()}
    else:
        direction = {m: COMPARE_METRICS.get(m, m not in LOWER_IS_BETTER) for m in metrics}
    missing = [m for m in direction if m not in summary.columns]
    if missing:
        raise InputError(f"compare_managers: metric(s) {missing} not in the summary; expected "
                       f"names of {list(SUMMARY_METRICS)}")
    dept = summary[schema.DEPARTMENT].astype("string")
    role = (summary["role"].astype("string") if "role" in summary
            else pd.Series(pd.NA, index=summary.index, dtype="string"))
    days = summary["days_active"].fillna(0).to_numpy(dtype=float)
    eligible = days >= min_active_days
    # the group: department and role (NA = a group of its own)
    dkey = (dept.fillna("\x00") + "\x01" + role.fillna("\x00")).to_numpy(dtype=object)
    parts = []
    for metric, higher in direction.items():
        val = summary[metric].to_numpy(dtype=float)
        elig_val = pd.Series(np.where(eligible, val, np.nan))
        if not higher:
            # a zero (no internal calls at all) cannot be the base of a ratio: the reference is
            # the lowest non-zero value; zeros themselves have gap 0
            elig_val = elig_val.where(elig_val > 0)
        grp = elig_val.groupby(dkey)
        best_by = grp.max() if higher else grp.min()
        best = pd.Series(dkey).map(best_by).to_numpy(dtype=float)
        # a group with no eligible manager: the best of all, for reference only
        all_grp = pd.Series(val).groupby(dkey)
        best_all = pd.Series(dkey).map(all_grp.max() if higher else all_grp.min()).to_numpy(dtype=float)
        best = np.where(np.isnan(best), best_all, best)
        n_elig = pd.Series(eligible & ~np.isnan(val)).groupby(dkey).sum()
        n_dep = pd.Series(dkey).map(n_elig).to_numpy(dtype=float)
        gap = _gap(val, best, higher)
        fair = role_applies(pd.Series(metric, index=role.index), role.fillna("hunter"))
        flagged = eligible & (n_dep >= 2) & ~np.isnan(gap) & (gap > threshold) & fair
        parts.append(pd.DataFrame({
            schema.DEPARTMENT: dept.to_numpy(), schema.EMPLOYEE: summary[schema.EMPLOYEE].to_numpy(),
            "metric": metric, "value": val, "best": best, "gap": gap, "flagged": flagged,
            "role": role.to_numpy(), "_eligible": eligible}))
    if not parts:
        return pd.DataFrame(columns=list(COMPARE_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    out = out.join(peer_stats(out.assign(_d=out[schema.DEPARTMENT].astype(object),
                                         _r=out["role"].astype(object)),
                              value="value", group=["metric", "_d", "_r"], eligible="_eligible",
                              metric="metric"))
    out[schema.DEPARTMENT] = out[schema.DEPARTMENT].astype("string")
    out[schema.EMPLOYEE] = out[schema.EMPLOYEE].astype("string")
    out["metric"] = out["metric"].astype("string")
    out["role"] = out["role"].astype("string")
    out["flagged"] = out["flagged"].astype(bool)
    return out.loc[:, list(COMPARE_COLUMNS)]


def period_over_period(current_summary: pd.DataFrame, previous_summary: pd.DataFrame, *,
                       metrics: Iterable[str] = SUMMARY_METRICS) -> pd.DataFrame:
    """Each employee's change of each metric against the previous period.

    Returns
    -------
    DataFrame
        Long table ``employee, department, metric, current, previous, change, change_rel``:
        ``change`` = current − previous; ``change_rel`` = change / |previous| (NaN when
        previous is 0 or missing). Employees present in only one period have NaN on the other
        side. Rows are ordered by department, employee and the metric order of managers.csv.

    Examples
    --------
    external_calls 120 now vs 100 before → change 20, change_rel 0.2.
    """
    metrics = [m for m in metrics if m in current_summary and m in previous_summary]
    cur = current_summary.set_index(schema.EMPLOYEE)
    prev = previous_summary.set_index(schema.EMPLOYEE)
    idx = cur.index.union(prev.index)
    dept = cur[schema.DEPARTMENT].reindex(idx).fillna(prev[schema.DEPARTMENT].reindex(idx))
    parts = []
    for m in metrics:
        c = cur[m].reindex(idx).astype(float)
        p = prev[m].reindex(idx).astype(float)
        ch = c - p
        rel = ch / p.abs().where(p != 0)
        parts.append(pd.DataFrame({schema.EMPLOYEE: idx.astype("string"),
                                   schema.DEPARTMENT: dept.astype("string").to_numpy(),
                                   "metric": m, "current": c.to_numpy(), "previous": p.to_numpy(),
                                   "change": ch.to_numpy(), "change_rel": rel.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=[schema.EMPLOYEE, schema.DEPARTMENT, "metric", "current",
                                     "previous", "change", "change_rel"])
    out = pd.concat(parts, ignore_index=True)
    order = {m: i for i, m in enumerate(metrics)}
    out["_o"] = out["metric"].map(order)
    out = out.sort_values([schema.DEPARTMENT, schema.EMPLOYEE, "_o"], kind="stable",
                          na_position="last").drop(columns="_o")
    out["metric"] = out["metric"].astype("string")
    return out.reset_index(drop=True)
