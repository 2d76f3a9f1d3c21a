"""The contract between format parsers and the session folder.

A parser turns a :class:`~callkit.io.text.RawTable` into a *leg frame*: one row per source record
with the columns of :data:`LEG_INPUT` (missing values as NA), plus a list of rejected records
with reasons. Parsers never drop a record silently.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from callkit.io.text import RawTable, norm_header
from callkit.io.values import (
    DURATION_EXPECTED,
    _arrow_strings,
    parse_datetimes,
    parse_durations,
    resolve_call_times,
)

__all__ = [
    "LEG_INPUT", "Format", "ParseContext", "Parsed", "Rejects", "legs_frame", "match_columns",
    "times_from", "STATUS_WORDS", "map_status", "map_unique",
]

# Columns a parser fills (any may be NA except start):
LEG_INPUT = (
    "session_key",   # groups the legs of one call (linkedid, provider call id); falls back to leg id
    "leg_id",        # the source's own id of the record; NA when it has none (never a line number)
    "start", "answered_at", "end", "talk_s",
    "src", "dst",    # raw party strings (numbers, extensions)
    "caller_person", "callee_person",  # an extension or an employee name/id from the source
    "caller_external", "callee_external",  # True: that side is a trunk (the outside world), even
                                           # when its number looks like an extension
    "leg_status",    # answered / missed / busy / failed
    "direction_hint",  # incoming / outgoing / internal from the provider's own label, or NA
    "line_hint",     # company number / trunk
    "app",           # Asterisk lastapp or similar (to tell IVR/announcement legs)
    "row",           # index of the record in the RawTable
)


@dataclass
class ParseContext:
    tz: str
    columns: list[str] | None = None       # explicit column order (headerless cloud exports)
    column_map: dict[str, str] | None = None
    directory: frozenset[str] = frozenset()   # the employees directory's extensions (known endpoints)


@dataclass
class Parsed:
    legs: pd.DataFrame
    rejects: list[tuple[int, str]] = field(default_factory=list)   # (row index, reason)
    notes: list[str] = field(default_factory=list)
    data_rows: list[int] | None = None   # row indices that are data (the rest: header etc.)


@dataclass(frozen=True)
class Format:
    """A source format: a name, a content sniffer (score 0..1) and a parser."""

    name: str
    description: str
    detect: Callable[[RawTable], float]
    parse: Callable[[RawTable, ParseContext], Parsed]


class Rejects:
    """Collects per-row rejection reasons; the first reason of a row wins."""

    def __init__(self) -> None:
        self.reasons: dict[int, str] = {}

    def add(self, rows: pd.Series | np.ndarray | list[int], reason: str | Callable[[int], str]) -> None:
        for r in (rows.tolist() if hasattr(rows, "tolist") else rows):
            if r not in self.reasons:
                self.reasons[int(r)] = reason(int(r)) if callable(reason) else reason

    def items(self) -> list[tuple[int, str]]:
        return sorted(self.reasons.items())


def match_columns(header: Sequence[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map canonical fields to header positions.

    Two passes: first exact matches (after :func:`~callkit.io.text.norm_header`: lowercase, ё→е,
    units such as ``, сек`` dropped), then prefix matches (``"длительность"`` matches
    ``"длительность, мин:сек"``). Fields earlier in ``synonyms`` claim columns first; a column
    serves one field.

    Examples
    --------
    >>> match_columns(["Время", "Длительность разговора", "Длительность, сек"],
    ...               {"talk": ("длительность разговора",), "duration": ("длительность",),
    ...                "time": ("время",)})
    {'talk': 1, 'duration': 2, 'time': 0}
    """
    normed = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for key, names in synonyms.items():
            if key in found:
                continue
            for syn in names:
                s = norm_header(syn)
                for i, h in enumerate(normed):
                    if i in used or not h:
                        continue
                    if (h == s) if exact else (h.startswith(s + " ") or h.startswith(s + ",")
                                               or h.startswith(s + "(") or h.startswith(s + "/")):
                        found[key] = i
                        used.add(i)
                        break
                if key in found:
                    break
    return found


def legs_frame(table: RawTable, rows: list[int], fields: dict[str, int | None]) -> pd.DataFrame:
    """Column-wise DataFrame of raw strings for the given record indices and field positions."""
    data: dict[str, list[str]] = {}
    recs = [table.rows[i] for i in rows]
    for name, pos in fields.items():
        if pos is None:
            continue
        data[name] = [r[pos] if pos < len(r) else "" for r in recs]
    df = pd.DataFrame(data, index=pd.Index(rows, name="row"), dtype="object")
    return df


def times_from(df: pd.DataFrame, rej: Rejects, table: RawTable, ctx: ParseContext, *,
               start: str, answer: str | None = None, end: str | None = None,
               duration: str | None = None, talk: str | None = None,
               start_label: str | None = None) -> pd.DataFrame:
    """Derive start / answered_at / end / talk_s from whatever a format gives.

    Any two of (start, end, duration) plus answer time or talk seconds are enough. Rows with an
    unparseable or missing start, or a negative/unparseable duration, are rejected.
    """
    out = pd.DataFrame(index=df.index)
    alts: tuple[dict, dict, dict] = ({}, {}, {})   # the other DST reading of start, answer, end
    # the end and answer columns are parsed on a second thread while the start is (numpy on
    # the bytes, the GIL mostly released: 1M legs, 1.0 -> 0.6 s); their rejects are added
    # below in the order they always were
    with ThreadPoolExecutor(1) as pool:
        later = {k: pool.submit(parse_datetimes, df[col], tz=ctx.tz, alt=alts[k])
                 for k, col in ((2, end), (1, answer)) if col is not None and col in df}
        s, bad = parse_datetimes(df[start], tz=ctx.tz, alt=alts[0])
        parsed = {k: job.result() for k, job in later.items()}
    label = start_label or start
    rej.add(df.index[bad], lambda r: f"column {label!r} has {str(df.at[r, start])!r}; "
                                      "expected a date like 2026-10-01 09:15:00")
    rej.add(df.index[s.isna() & ~bad], f"column {label!r} is empty; expected the call's start time")
    dur = None
    if duration is not None and duration in df:
        dur, badd = parse_durations(df[duration])
        rej.add(df.index[badd], lambda r: f"column {duration!r} has {str(df.at[r, duration])!r}; "
                                          + DURATION_EXPECTED)
    t = None
    if talk is not None and talk in df:
        t, badt = parse_durations(df[talk])
        rej.add(df.index[badt], lambda r: f"column {talk!r} has {str(df.at[r, talk])!r}; "
                                          + DURATION_EXPECTED)
    e = None
    if 2 in parsed:
        e, bade = parsed[2]
        rej.add(df.index[bade], lambda r: f"column {end!r} has {str(df.at[r, end])!r}; expected a date")
    a = None
    if 1 in parsed:
        a, bada = parsed[1]
        rej.add(df.index[bada], lambda r: f"column {answer!r} has {str(df.at[r, answer])!r}; expected a date or empty")
    resolve_call_times(s, a, e, alts, duration=dur, talk=t)   # times a DST change repeats or skips
    out["start"] = s
    if e is None or e.isna().all():
        e = s + pd.to_timedelta(dur.fillna(0) if dur is not None else 0, unit="s")
    else:
        if dur is not None:
            e = e.fillna(s + pd.to_timedelta(dur.fillna(0), unit="s"))
        e = e.fillna(s)
    neg = e < s
    rej.add(df.index[neg.fillna(False)], "call ends before it starts (end < start)")
    out["end"] = e
    if a is None:
        a = pd.Series(pd.NaT, index=df.index, dtype=out["start"].dtype)
        if t is not None:
            has = t.fillna(0) > 0
            a = a.where(~has, e - pd.to_timedelta(t.fillna(0), unit="s"))
    if t is None:
        t = ((e - a).dt.total_seconds()).where(a.notna(), 0.0)
    out["answered_at"] = a
    out["talk_s"] = t.fillna(0.0).astype(float)
    if dur is not None:
        over = (out["talk_s"] > dur + 1) & (dur > 0)
        out.loc[over, "talk_s"] = dur[over]
    return out


STATUS_WORDS: dict[str, str] = {
    # Asterisk dispositions
    "answered": "answered", "no answer": "missed", "noanswer": "missed", "busy": "busy",
    "failed": "failed", "congestion": "failed", "unknown": "failed", "cancel": "missed",
    "canceled": "missed", "cancelled": "missed",
    # Russian provider words
    "отвечен": "answered", "отвечено": "answered", "принят": "answered", "успешный": "answered",
    "успешно": "answered", "состоялся": "answered",
    "не отвечен": "missed", "неотвечен": "missed", "пропущен": "missed", "пропущенный": "missed",
    "без ответа": "missed", "нет ответа": "missed", "не дозвонился": "missed",
    "занято": "busy", "занят": "busy", "отклонен": "busy", "ошибка": "failed", "неудачный": "failed",
    "не состоялся": "missed",
    "missed": "missed", "completed": "answered", "no-answer": "missed",
}


def map_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised ``func`` to the distinct values only, then map back (object dtype)."""
    arr = _arrow_strings(values)
    if arr is not None:   # an Arrow-backed column: its distinct values without a Python string per row
        import pyarrow.compute as pc
        enc = pc.dictionary_encode(arr)
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        uniq = np.asarray(enc.dictionary.to_pylist(), dtype=object)
    else:
        codes, uniq = pd.factorize(values.astype(object), use_na_sentinel=True)
    res = func(pd.Series(uniq, dtype=object)).astype(object).to_numpy()
    res = np.append(res, None)
    return pd.Series(res[codes], index=values.index, dtype=object)


def map_status(values: pd.Series) -> pd.Series:
    """Map provider status words to answered/missed/busy/failed (NA when unknown)."""
    def f(u: pd.Series) -> pd.Series:
        k = u.astype(str).str.strip().str.lower().str.replace("ё", "е", regex=False)
        return k.map(STATUS_WORDS)
    return map_unique(values, f).astype("string")
