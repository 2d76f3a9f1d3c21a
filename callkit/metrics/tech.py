"""Technology signals: simultaneous calls, short-ring drops, failed bursts, a line ceiling."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from callkit import schema
from callkit.metrics._util import masks, period_mask, slot_frame, utc_naive
from callkit.metrics.hours import WorkingHours, in_working_hours

__all__ = ["TECH_COLUMNS", "SHORT_RING_S", "LINE_LIMIT_DAYS", "LINE_LIMIT_BLOCKED", "LineCeiling",
           "concurrency", "line_ceiling", "short_ring_mask", "tech_signals"]

TECH_COLUMNS = ("signal", "subject", "value", "reference", "count", "detail")
SHORT_RING_S = 5.0        # an unanswered incoming call that ended within this rang too briefly
LINE_LIMIT_DAYS = 3       # a ceiling reached on at least this many days ...
LINE_LIMIT_BLOCKED = 5    # ... with at least this many unanswered calls at it is a line limit


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


@dataclass(frozen=True)
class LineCeiling:
    """The most simultaneous calls seen in the period and what happened at it.

    ``ceiling`` = the highest :func:`concurrency` level of the period's sessions; ``days`` =
    local dates on which it was reached; ``at_ceiling`` = boolean array over the call table:
    the session started while all ``ceiling`` lines were busy; ``blocked`` = unanswered
    sessions among those; ``blocked_incoming`` = unanswered incoming among those (clients who
    hit busy lines). ``is_limit`` = the ceiling looks like a channel limit: at least 2, reached
    on >= :data:`LINE_LIMIT_DAYS` days, with >= :data:`LINE_LIMIT_BLOCKED` blocked sessions.
    """

    ceiling: int
    days: int
    blocked: int
    blocked_incoming: int
    at_ceiling: np.ndarray
    is_limit: bool


def line_ceiling(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                 conc: pd.DataFrame | None = None) -> LineCeiling:
    """Find the concurrency ceiling (:class:`LineCeiling`); ``conc`` = a precomputed
    :func:`concurrency` of ``calls``.

    Examples
    --------
    Three lines busy from 10:00 to 10:30 on four days and two calls refused at 10:10 each day:
    ceiling 3, days 4, blocked 8 → is_limit.
    """
    inp = period_mask(calls, period)
    m = masks(calls)
    conc = concurrency(calls) if conc is None else conc
    conc = conc[inp[calls.index.get_indexer(conc.index)]]
    at = np.zeros(len(calls), dtype=bool)
    if not len(conc):
        return LineCeiling(0, 0, 0, 0, at, False)
    ceiling = int(conc["level"].max())
    idx = conc.index[conc["level"] == ceiling]
    days = len(np.unique(slot_frame(calls.loc[idx, schema.START])["date"]))
    at[calls.index.get_indexer(conc.index[conc["busy_at_start"] >= ceiling])] = True
    blocked = int((at & m["unanswered"]).sum())
    blocked_in = int((at & m["unanswered"] & m["incoming"]).sum())
    limit = ceiling >= 2 and days >= LINE_LIMIT_DAYS and blocked >= LINE_LIMIT_BLOCKED
    return LineCeiling(ceiling, days, blocked, blocked_in, at, bool(limit))


def short_ring_mask(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                    working_hours: WorkingHours | None = None,
                    short_ring_s: float = SHORT_RING_S) -> np.ndarray:
    """Short-ring drops: incoming sessions of status ``missed`` (not busy/failed, which are
    explicit refusals) that ended within ``short_ring_s`` seconds, in the period and inside
    working hours — the one definition every table, chart and finding counts."""
    inp = period_mask(calls, period)
    m = masks(calls)
    ring = calls[schema.RING_S].fillna(0).to_numpy(dtype=float)
    missed = (calls[schema.STATUS] == schema.MISSED).fillna(False).to_numpy(dtype=bool)
    return inp & m["incoming"] & m["unanswered"] & missed & (ring < short_ring_s) \
        & in_working_hours(calls, working_hours)


def tech_signals(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                 short_ring_s: float = SHORT_RING_S, burst_window_min: int = 10,
                 burst_min: int = 5, conc: pd.DataFrame | None = None,
                 working_hours: WorkingHours | None = None,
                 ceiling: LineCeiling | None = None) -> pd.DataFrame:
    """Signals of a technology problem rather than a people problem.

    - ``short_ring_drops`` (subject ``all``, each line, and each weekday-hour slot ``"2 16"``
      that has any): :func:`short_ring_mask` — incoming sessions of status ``missed`` that
      ended within ``short_ring_s`` seconds inside working hours: the call was cut (or the
      client hung up) before anyone could answer. ``value`` = their share of unanswered
      incoming inside working hours (of that line/slot), ``count`` = their number,
      ``reference`` = those unanswered incoming; ``detail`` says ``slot`` for the slot rows.
    - ``failed_burst`` (subject = window start ``YYYY-MM-DD HH:MM``): ``burst_window_min``-minute
      windows with at least ``burst_min`` external sessions of status ``failed`` (congestion,
      channel unavailable) that did not start at the concurrency ceiling (those are the line
      limit's doing, reported by ``line_limit``). ``value`` = failed sessions in the window,
      ``reference`` = all sessions in it. Any time of day: an outage is one at night too.
    - ``line_limit`` (subject ``all``): :func:`line_ceiling` — the most simultaneous calls
      (internal included) seen (``value``); ``count`` = local days on which that ceiling was
      reached; ``reference`` = unanswered sessions that started while every line of the ceiling
      was busy; ``detail`` ends in ``limit`` when the ceiling looks like a channel limit
      (``LineCeiling.is_limit``).

    ``conc`` takes a precomputed :func:`concurrency` of ``calls``, ``ceiling`` a precomputed
    :func:`line_ceiling`.

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
    un = inp & m["incoming"] & m["unanswered"] & in_working_hours(calls, working_hours)
    short = short_ring_mask(calls, period=period, working_hours=working_hours,
                            short_ring_s=short_ring_s)
    line = calls[schema.LINE].astype("string")
    n_un, n_short = int(un.sum()), int(short.sum())
    if n_un:
        rows.append({"signal": "short_ring_drops", "subject": "all", "value": n_short / n_un,
                     "reference": float(n_un), "count": n_short,
                     "detail": f"ring < {short_ring_s:g} s"})
    if line[un].notna().any() and line[un].nunique() > 1:
        g = pd.DataFrame({"line": line[un].to_numpy(), "short": short[un]}).dropna() \
            .groupby("line")["short"].agg(["size", "sum"]).sort_index()
        rows += [{"signal": "short_ring_drops", "subject": str(k), "value": r["sum"] / r["size"],
                  "reference": float(r["size"]), "count": int(r["sum"]),
                  "detail": f"ring < {short_ring_s:g} s"} for k, r in g.iterrows()]
    if short.any():
        sf = slot_frame(calls.loc[un, schema.START])
        sf["short"] = short[un]
        g = sf.groupby(["weekday", "hour"])["short"].agg(["size", "sum"])
        for (wd, h), r in g[g["sum"] > 0].iterrows():
            rows.append({"signal": "short_ring_drops", "subject": f"{int(wd)} {int(h)}",
                         "value": r["sum"] / r["size"], "reference": float(r["size"]),
                         "count": int(r["sum"]), "detail": f"slot; ring < {short_ring_s:g} s"})
    # --- a concurrency ceiling
    lc = line_ceiling(calls, period=period, conc=conc) if ceiling is None else ceiling
    if lc.ceiling:
        rows.append({"signal": "line_limit", "subject": "all", "value": float(lc.ceiling),
                     "reference": float(lc.blocked), "count": lc.days,
                     "detail": "max simultaneous calls; reference = unanswered at the ceiling"
                               + ("; limit" if lc.is_limit else "")})
    # --- failed bursts
    st = calls[schema.STATUS]
    failed = inp & m["external"] & (st == schema.FAILED).fillna(False).to_numpy(dtype=bool)
    failed &= ~lc.at_ceiling        # explained by the line limit, not an outage
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
