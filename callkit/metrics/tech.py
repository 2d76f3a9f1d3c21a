"""Technology signals: simultaneous calls, short-ring drops, failed bursts, a line ceiling."""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import schema
from callkit.metrics._util import masks, period_mask, slot_frame, utc_naive

__all__ = ["TECH_COLUMNS", "concurrency", "tech_signals"]

TECH_COLUMNS = ("signal", "subject", "value", "reference", "count", "detail")


def _ns(times: pd.Series) -> np.ndarray:
    return utc_naive(times).astype(np.int64)


def concurrency(calls: pd.DataFrame, *, include_internal: bool = True) -> pd.DataFrame:
    """Simultaneous calls (the channels in use) at the start of each session.

    A PBX channel limit counts every live session, internal ones too; pass
    ``include_internal=False`` to count only external sessions (a trunk limit).

    Returns
    -------
    DataFrame
        Indexed like the counted rows of ``calls``: ``busy_at_start`` = other counted
        sessions in progress when this one starts (start ≤ its start < end), ``level`` =
        busy_at_start + 1 when the session itself lasts > 0 s (the lines in use right after it
        starts).

    Examples
    --------
    Calls 10:00–10:10, 10:05–10:06, 10:06–10:20: busy_at_start 0, 1, 1 (the second ended at
    10:06 exactly, so it is not counted for the third); level 1, 2, 2.
    """
    mm = masks(calls)
    ext = (mm["external"] | mm["internal"]) if include_internal else mm["external"]
    c = calls.loc[ext, [schema.START, schema.END]]
    s = _ns(c[schema.START])
    e = _ns(c[schema.END].fillna(c[schema.START]))
    e = np.maximum(e, s)
    ss, es = np.sort(s), np.sort(e)
    started = np.searchsorted(ss, s, side="right")     # includes itself and ties
    ended = np.searchsorted(es, s, side="right")       # includes itself when zero-length
    self_ended = e <= s
    busy = (started - 1) - (ended - self_ended.astype(np.int64))
    level = busy + (~self_ended).astype(np.int64)
    return pd.DataFrame({"busy_at_start": busy.astype(np.int64), "level": level.astype(np.int64)},
                        index=c.index)


def tech_signals(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                 short_ring_s: float = 5.0, burst_window_min: int = 10, burst_min: int = 5,
                 conc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Signals of a technology problem rather than a people problem.

    - ``short_ring_drops`` (subject ``all``, each line, and each weekday-hour slot ``"2 16"``
      that has any): incoming sessions of status ``missed`` (not busy/failed, which are
      explicit refusals) that ended within ``short_ring_s`` seconds — the call was cut (or the
      client hung up) before anyone could answer. ``value`` = their share of unanswered
      incoming (of that line/slot), ``count`` = their number, ``reference`` = all unanswered
      incoming (of that line/slot); ``detail`` says ``slot`` for the slot rows.
    - ``failed_burst`` (subject = window start ``YYYY-MM-DD HH:MM``): ``burst_window_min``-minute
      windows with at least ``burst_min`` external sessions of status ``failed`` (congestion,
      channel unavailable) that did not start at the concurrency ceiling (those are the line
      limit's doing, reported by ``line_limit``). ``value`` = failed sessions in the window, ``reference`` = all sessions in it.
    - ``line_limit`` (subject ``all``): the most simultaneous calls (internal included) seen
      (``value``); ``count`` = local days on which that ceiling was reached; ``reference`` =
      unanswered/failed sessions that started while every line of the ceiling was busy. A flat
      ceiling reached on many days with calls failing at it hints at a channel limit.

    ``conc`` takes a precomputed :func:`concurrency` of ``calls``.

    Returns
    -------
    DataFrame
        ``signal, subject, value, reference, count, detail`` (one row per signal and subject).

    Examples
    --------
    20 unanswered incoming, 8 of them ended after 1–2 s → short_ring_drops value 0.4, count 8.
    """
    inp = period_mask(calls, period)
    m = masks(calls)
    rows: list[dict[str, object]] = []
    # --- short-ring drops
    un = inp & m["incoming"] & m["unanswered"]
    ring = calls[schema.RING_S].fillna(0).to_numpy(dtype=float)
    short = un & (ring < short_ring_s) & (calls[schema.STATUS] == schema.MISSED).fillna(False).to_numpy(dtype=bool)
    line = calls[schema.LINE].astype("string")
    groups = [("all", np.ones(len(calls), dtype=bool))]
    if line[un].notna().any() and line[un].nunique() > 1:
        groups += [(str(v), (line == v).fillna(False).to_numpy(dtype=bool))
                   for v in sorted(line[un].dropna().unique())]
    for subj, g in groups:
        n_un, n_short = int((un & g).sum()), int((short & g).sum())
        if n_un:
            rows.append({"signal": "short_ring_drops", "subject": subj, "value": n_short / n_un,
                         "reference": float(n_un), "count": n_short,
                         "detail": f"ring < {short_ring_s:g} s"})
    if short.any():
        sf = slot_frame(calls.loc[un, schema.START])
        sf["short"] = short[un]
        g = sf.groupby(["weekday", "hour"])["short"].agg(["size", "sum"])
        for (wd, h), r in g[g["sum"] > 0].iterrows():
            rows.append({"signal": "short_ring_drops", "subject": f"{int(wd)} {int(h)}",
                         "value": r["sum"] / r["size"], "reference": float(r["size"]),
                         "count": int(r["sum"]), "detail": f"slot; ring < {short_ring_s:g} s"})
    # --- a concurrency ceiling
    conc = concurrency(calls) if conc is None else conc
    conc = conc[inp[calls.index.get_indexer(conc.index)]]
    at_ceiling = np.zeros(len(calls), dtype=bool)
    if len(conc):
        ceiling = int(conc["level"].max())
        idx = conc.index[conc["level"] == ceiling]
        days = len(np.unique(slot_frame(calls.loc[idx, schema.START])["date"]))
        blocked_rows = conc.index[conc["busy_at_start"] >= ceiling]
        at_ceiling[calls.index.get_indexer(blocked_rows)] = True
        blocked = int(m["unanswered"][calls.index.get_indexer(blocked_rows)].sum())
        rows.append({"signal": "line_limit", "subject": "all", "value": float(ceiling),
                     "reference": float(blocked), "count": days,
                     "detail": "max simultaneous calls; reference = unanswered at the ceiling"})
    # --- failed bursts
    st = calls[schema.STATUS]
    failed = inp & m["external"] & (st == schema.FAILED).fillna(False).to_numpy(dtype=bool)
    failed[at_ceiling] = False      # explained by the line limit, not an outage
    if failed.any():
        naive = calls[schema.START].dt.tz_localize(None)
        win = naive.dt.floor(f"{int(burst_window_min)}min")
        allc = win[inp & m["external"]].value_counts()
        fc = win[failed].value_counts()
        for w, n in fc[fc >= burst_min].sort_index().items():
            rows.append({"signal": "failed_burst", "subject": pd.Timestamp(w).strftime("%Y-%m-%d %H:%M"),
                         "value": float(n), "reference": float(allc.get(w, n)), "count": int(n),
                         "detail": f"{burst_window_min} min window"})
    out = pd.DataFrame(rows, columns=list(TECH_COLUMNS))
    out["value"] = out["value"].astype(float)
    out["reference"] = out["reference"].astype(float)
    out["count"] = out["count"].astype(np.int64)
    for col in ("signal", "subject", "detail"):
        out[col] = out[col].astype("string")
    return out
