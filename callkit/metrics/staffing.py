"""Staffing per hour slot: Erlang C against the employees actually active (DESIGN §3)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.metrics._util import masks, period_mask, slot_frame
from callkit.metrics.tech import concurrency
from callkit.metrics.traffic import activity_mask, working_days

__all__ = ["STAFFING_COLUMNS", "erlang_c", "service_level", "required_agents", "staffing"]

STAFFING_COLUMNS = ("weekday", "hour", "calls_per_hour", "aht_s", "erlangs", "required_agents",
                    "active_employees", "max_concurrent", "understaffed")


def erlang_c(agents: int, erlangs: float) -> float:
    """Probability that a call waits (Erlang C) with ``agents`` agents and offered load
    ``erlangs``; 1.0 when the load is not below the number of agents.

    Computed through the numerically stable Erlang B recursion
    ``B(n) = A·B(n−1) / (n + A·B(n−1))``, then ``C = N·B / (N − A·(1 − B))``.

    Examples
    --------
    >>> round(erlang_c(8, 5.0), 4)
    0.1673
    """
    n, a = int(agents), float(erlangs)
    if a <= 0:
        return 0.0
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1.0 - b))


def service_level(agents: int, erlangs: float, aht_s: float, answer_within_s: float) -> float:
    """Share of calls answered within ``answer_within_s``:
    ``1 − C(N, A) · exp(−(N − A) · t / AHT)``.

    Examples
    --------
    100 calls/h, AHT 180 s → A = 5 Erlangs; 8 agents → 0.880, 7 agents → 0.740.

    >>> round(service_level(8, 5.0, 180, 20), 3), round(service_level(7, 5.0, 180, 20), 3)
    (0.88, 0.74)
    """
    n, a = int(agents), float(erlangs)
    if a <= 0:
        return 1.0
    if n <= a:
        return 0.0
    return 1.0 - erlang_c(n, a) * math.exp(-(n - a) * float(answer_within_s) / float(aht_s))


def required_agents(erlangs: float, aht_s: float, *, target: float = 0.8,
                    answer_within_s: float = 20, max_agents: int = 10_000) -> int:
    """The fewest agents whose :func:`service_level` reaches ``target`` (0 for no load).

    Examples
    --------
    >>> required_agents(5.0, 180, target=0.8, answer_within_s=20)
    8
    """
    if not 0 < target <= 1:
        raise InputError(f"service_level target is {target!r}; expected a fraction in (0, 1].")
    a = float(erlangs)
    if not a > 0 or not np.isfinite(a):
        return 0
    n = max(1, math.floor(a) + 1)
    while service_level(n, a, aht_s, answer_within_s) < target:
        n += 1
        if n > max_agents:
            raise InputError(f"Offered load {a:.1f} Erlangs needs more than {max_agents} agents; "
                             f"check the talk times (AHT {aht_s:.0f} s).")
    return n


def staffing(calls: pd.DataFrame, *, service_level: float = 0.8, answer_within_s: float = 20,
             wrapup_s: float = 0, period: tuple[object, object] | None = None,
             conc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Agents needed per weekday × hour slot (Erlang C) against the employees active then.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table.
    service_level : float
        Target share of calls answered within ``answer_within_s`` (default 0.8).
    answer_within_s : float
        Target answer time in seconds (default 20).
    wrapup_s : float
        After-call work added to the AHT (default 0).
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    conc : DataFrame, optional
        :func:`callkit.metrics.concurrency` of ``calls`` if already computed.

    Returns
    -------
    DataFrame
        168 rows (7 weekdays × 24 hours): ``weekday`` (0=Mon), ``hour``, ``calls_per_hour`` =
        incoming sessions offered in the slot per working day of that weekday; ``aht_s`` = mean
        talk of the slot's answered incoming + ``wrapup_s`` (the period's overall mean when the
        slot has none; NaN when no incoming call of the period was answered by a person, and
        then ``erlangs`` and ``required_agents`` are 0: the load cannot be estimated, so such a
        slot is never ``understaffed`` — the missed-call tables speak for it); ``erlangs`` =
        calls_per_hour × aht_s / 3600; ``required_agents`` (Erlang C for the target); ``active_employees`` = mean number of distinct employees with an
        activity call (placed, or an answered incoming) starting in the slot per working day;
        ``max_concurrent`` = most simultaneous calls (internal included) at any call start in the slot over
        the period; ``understaffed`` = calls offered and required_agents > active_employees.

    Examples
    --------
    Mondays 10:00 over 2 Mondays: 200 incoming, AHT 180 s → 100 calls/h, 5 Erlangs, 8 agents
    required; 6 employees on average → understaffed.
    """
    inp = period_mask(calls, period)
    m = masks(calls)
    inc = inp & m["incoming"]
    sf = slot_frame(calls.loc[inc, schema.START])
    sf["ans"] = m["answered"][inc]
    sf["talk"] = np.where(sf["ans"], calls.loc[inc, schema.TALK_S].fillna(0).to_numpy(float), 0.0)
    g = sf.groupby(["weekday", "hour"]).agg(incoming=("ans", "size"), n_ans=("ans", "sum"),
                                            talk=("talk", "sum"))
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    g = g.reindex(grid, fill_value=0)
    days = working_days(calls, period=period)
    d = g.index.get_level_values("weekday").map(days).to_numpy(dtype=float)
    cph = np.where(d > 0, g["incoming"].to_numpy(float) / np.where(d > 0, d, 1), 0.0)
    total_ans = g["n_ans"].sum()
    overall = g["talk"].sum() / total_ans if total_ans else np.nan
    aht = np.where(g["n_ans"] > 0, g["talk"] / g["n_ans"].where(g["n_ans"] > 0), overall)
    aht = aht + float(wrapup_s)
    erl = cph * np.nan_to_num(aht) / 3600.0
    req = np.array([required_agents(a, t, target=service_level, answer_within_s=answer_within_s)
                    if a > 0 and np.isfinite(t) and t > 0 else 0 for a, t in zip(erl, aht)],
                   dtype=np.int64)

    act = activity_mask(calls, m) & inp
    af = slot_frame(calls.loc[act, schema.START])
    af["emp"] = calls.loc[act, schema.EMPLOYEE].astype(str).to_numpy()
    per_day = af.drop_duplicates().groupby(["weekday", "hour"]).size()
    active = per_day.reindex(grid, fill_value=0).to_numpy(float) / np.where(d > 0, d, np.nan)
    active = np.nan_to_num(active)

    conc = concurrency(calls) if conc is None else conc
    conc = conc[inp[calls.index.get_indexer(conc.index)]]
    cf = slot_frame(calls.loc[conc.index, schema.START])
    cf["level"] = conc["level"].to_numpy()
    mc = cf.groupby(["weekday", "hour"])["level"].max().reindex(grid, fill_value=0)

    out = pd.DataFrame({
        "weekday": g.index.get_level_values("weekday").astype(np.int64),
        "hour": g.index.get_level_values("hour").astype(np.int64),
        "calls_per_hour": cph, "aht_s": aht, "erlangs": erl, "required_agents": req,
        "active_employees": active, "max_concurrent": mc.to_numpy(dtype=np.int64),
    })
    out["understaffed"] = (out["calls_per_hour"] > 0) & (out["required_agents"] > out["active_employees"])
    return out.loc[:, list(STAFFING_COLUMNS)]
