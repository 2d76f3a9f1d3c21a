"""Parsing of dates and durations as they appear in real exports (vectorised).

Each parser returns the parsed Series plus a boolean mask of values that were present but could
not be parsed, so the caller can reject those rows with a reason instead of dropping them.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["parse_datetimes", "parse_durations", "DATE_FORMATS", "MAX_CALL_S", "DURATION_EXPECTED"]

#: The longest duration taken as one call's; more is a number or an id in the wrong column.
MAX_CALL_S = 86400.0
#: What a duration cell must hold (used in rejection reasons).
DURATION_EXPECTED = "expected the seconds of one call: a number, HH:MM:SS or m'ss, 0 to 24 h"
_MIN_TS = pd.Timestamp("1990-01-01")
_MAX_TS = pd.Timestamp("2100-01-01")

# Tried in order on a sample; the first that parses the whole sample wins, the rest are fallbacks.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
)
_UNIX = re.compile(r"^\d{9,10}(?:\.\d+)?$")
_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _plausible(p: pd.Series) -> pd.Series:
    """Parsed naive times outside 1990–2100 become NaT (a misread year, not a call)."""
    return p.where((p >= _MIN_TS) & (p < _MAX_TS))


def _localize(ts: pd.Series, tz: str) -> pd.Series:
    # Ambiguous wall times (DST fall-back) are taken as standard time; nonexistent ones (spring
    # forward) are moved forward. Russia has no DST since 2014, so this only matters abroad.
    amb = np.zeros(len(ts), dtype=bool)
    return ts.dt.tz_localize(tz, ambiguous=amb, nonexistent="shift_forward")


def parse_datetimes(values: pd.Series, *, tz: str) -> tuple[pd.Series, pd.Series]:
    """Parse export timestamps into tz-aware datetimes in ``tz``.

    Accepts ISO (``2026-10-01 09:15:00``, with ``T``, fractions or an offset), ``DD.MM.YYYY``,
    ``YYYY/MM/DD`` and Unix seconds (taken as UTC). Naive wall times are the client's local time.
    The common format is found on a sample and parsed in C; only values it misses take the
    slower fallbacks.

    Returns
    -------
    (Series, Series)
        Parsed datetimes (NaT for empty or bad), and a mask of non-empty values that failed.

    Examples
    --------
    >>> s, bad = parse_datetimes(pd.Series(["01.10.2026 09:00:00", "", "x"]), tz="Europe/Moscow")
    >>> str(s.iloc[0]), bool(s.iloc[1] is pd.NaT), bad.tolist()
    ('2026-10-01 09:00:00+03:00', True, [False, False, True])
    """
    raw = values.astype(object)
    empty = raw.isna() | raw.isin(["", "0", "NULL", "null", "0000-00-00 00:00:00"])
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {tz}]")
    todo = raw[~empty]
    if todo.empty:
        return out, pd.Series(False, index=values.index)
    sample = todo.head(200).astype(str).str.strip()
    unix_share = sample.str.match(_UNIX).mean()
    if unix_share < 0.5 and not sample.str.contains(_TZ_SUFFIX).mean() >= 0.5:
        scores = {f: pd.to_datetime(sample, format=f, errors="coerce").notna().sum() for f in DATE_FORMATS}
        fmt = max(DATE_FORMATS, key=lambda f: scores[f])
        if scores[fmt]:
            p = _plausible(pd.to_datetime(todo, format=fmt, errors="coerce"))
            ok = p.notna()
            if ok.any():
                out.loc[p[ok].index] = _localize(p[ok], tz).astype(out.dtype)
            todo = todo[~ok]
    if not todo.empty:
        todo = todo.astype(str).str.strip()
        unix = todo.str.match(_UNIX)
        if unix.any():
            sec = pd.to_numeric(todo[unix], errors="coerce")
            sec = sec.where((sec >= 631152000) & (sec < 4102444800))   # 1990..2100
            out.loc[sec.index] = pd.to_datetime(sec, unit="s", utc=True).dt.tz_convert(tz).astype(out.dtype)
        rest = todo[~unix]
        aware = rest.str.contains(_TZ_SUFFIX) & rest.str.contains("T")
        if aware.any():
            p = pd.to_datetime(rest[aware], errors="coerce", utc=True, format="ISO8601")
            p = p.where((p >= _MIN_TS.tz_localize("UTC")) & (p < _MAX_TS.tz_localize("UTC")))
            out.loc[p.index] = p.dt.tz_convert(tz).astype(out.dtype)
        remaining = rest[~aware]
        for fmt in DATE_FORMATS:
            if remaining.empty:
                break
            p = _plausible(pd.to_datetime(remaining, format=fmt, errors="coerce"))
            ok = p.notna()
            if ok.any():
                out.loc[p[ok].index] = _localize(p[ok], tz).astype(out.dtype)
                remaining = remaining[~ok]
    bad = ~empty & out.isna()
    return out, bad


_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
_PANA = re.compile(r"^(?:(\d+):)?(\d+)'(\d{1,2})\"?$")


def parse_durations(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse durations to float seconds.

    Accepts plain seconds (``75``, ``75.5``, ``75,5``), ``HH:MM:SS`` / ``MM:SS`` and the
    Panasonic ``m'ss`` / ``hh:mm'ss`` forms. Empty means 0. Negative or unparseable values come
    back as NaN and flagged in the mask, and so do durations over 24 h (:data:`MAX_CALL_S`: a
    phone number or an id in a duration column).

    Examples
    --------
    >>> s, bad = parse_durations(pd.Series(["75", "00:01:15", "1'15", "", "-3", "abc"]))
    >>> s.tolist()[:5], bad.tolist()
    ([75.0, 75.0, 75.0, 0.0, nan], [False, False, False, False, True, True])
    """
    raw = values.astype(object)
    out = pd.to_numeric(raw, errors="coerce").astype("float64")
    empty = raw.isna() | (raw == "")
    out[empty] = 0.0
    need = out.isna() & ~empty
    if need.any():
        sub = raw[need].astype(str).str.strip()
        num = pd.to_numeric(sub.str.replace(",", ".", regex=False), errors="coerce")
        out.loc[num[num.notna()].index] = num[num.notna()]
        out.loc[sub[sub == ""].index] = 0.0
        sub = sub[num.isna() & (sub != "")]
        for rx in (_HMS, _PANA):
            m = sub.str.extract(rx)
            ok = m[1].notna()
            if ok.any():
                h = pd.to_numeric(m[0], errors="coerce").fillna(0)
                sec = h * 3600 + pd.to_numeric(m[1], errors="coerce") * 60 + pd.to_numeric(m[2], errors="coerce")
                out.loc[sec[ok].index] = sec[ok].astype(float)
                sub = sub[~ok]
    bad = out.isna() | (out < 0) | (out > MAX_CALL_S)
    out[bad] = np.nan
    return out, bad
