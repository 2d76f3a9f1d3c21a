"""Parsing of dates and durations as they appear in real exports (vectorised).

Each parser returns the parsed Series plus a boolean mask of values that were present but could
not be parsed, so the caller can reject those rows with a reason instead of dropping them.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["parse_datetimes", "parse_durations", "strings_array", "trim_whitespace", "resolve_call_times", "DATE_FORMATS", "MAX_CALL_S", "DURATION_EXPECTED"]

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


def _localize(ts: pd.Series, tz: str, alt: dict[object, pd.Timestamp] | None = None) -> pd.Series:
    """Naive local wall times → instants in ``tz``, resolving DST changes per the tz database.

    Most wall times name one instant. The others (PEP 495):

    * *ambiguous* (the repeated hour of a fall-back) name two instants, ``fold=0`` (the first
      pass, summer time) and ``fold=1`` (an hour later); the fold is the one the order of the
      records tells (:func:`_infer_folds`), ``fold=0`` when they tell nothing;
    * *non-existent* (the skipped hour of a spring-forward) name none; they are read with the
      offset before the change (``fold=0``: a clock that has not moved yet, ``02:30`` → ``03:30``),
      the other reading (``fold=1``, an hour earlier) being the alternative.

    The instant not chosen is put in ``alt`` (index → Timestamp) for :func:`resolve_call_times`,
    which settles a call's start, answer and end together.
    """
    out = ts.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    special = out.isna() & ts.notna()
    if not special.any():
        return out
    import datetime as dt
    import zoneinfo
    zone = zoneinfo.ZoneInfo(tz)
    idx = special[special].index
    cand = []
    for fold in (0, 1):
        inst = [v.to_pydatetime().replace(tzinfo=zone, fold=fold).astimezone(dt.UTC) for v in ts[idx]]
        cand.append(pd.Series(pd.DatetimeIndex(inst).tz_convert(tz), index=idx))
    c0, c1 = cand
    ambiguous = (c1 > c0).to_numpy()
    pick = pd.Series(False, index=idx)
    pick.loc[idx[ambiguous]] = _infer_folds(ts, idx[ambiguous])
    chosen = c0.where(~pick, c1)
    out.loc[idx] = chosen.astype(out.dtype)
    if alt is not None:
        alt.update(c1.where(~pick, c0).to_dict())
    return out


def _infer_folds(ts: pd.Series, idx: pd.Index) -> pd.Series:
    """For ambiguous start times (``idx``), the fold (True = the second pass, fold=1) from the
    order of the records: walking the file in its time order, the wall clock running back by more
    than 30 minutes inside the repeated hour marks the change; before it fold=0, after it fold=1.
    A file in no order leaves every such time at fold=0 (the first pass)."""
    if not len(idx):
        return pd.Series(dtype=bool)
    known = ts.dropna()
    steps = known.diff().dropna()
    descending = (steps < pd.Timedelta(0)).sum() > (steps > pd.Timedelta(0)).sum()
    out = pd.Series(False, index=idx)
    amb = ts.loc[idx]
    for _, night in amb.groupby(amb.dt.date):
        order = night.iloc[::-1] if descending else night
        top = None
        switched = False
        for i, v in order.items():
            if top is not None and v < top - pd.Timedelta(minutes=30):
                switched = True
            top = v if top is None or v > top else top
            out.loc[i] = switched
    return out


def parse_datetimes(values: pd.Series, *, tz: str,
                    alt: dict[object, pd.Timestamp] | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse export timestamps into tz-aware datetimes in ``tz``.

    Accepts ISO (``2026-10-01 09:15:00``, with ``T``, fractions or an offset), ``DD.MM.YYYY``,
    ``YYYY/MM/DD`` and Unix seconds (taken as UTC). Naive wall times are the client's local time;
    wall times that a DST change repeats or skips are resolved as :func:`_localize` says (the
    other reading goes to ``alt`` when given). The common format is found on a sample and parsed in C; only values
    it misses take the slower fallbacks.

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
    labels = values.index
    arr = _arrow_strings(values)
    if arr is not None:   # an Arrow-backed column (a big export): no Python string per value
        import pyarrow as pa
        import pyarrow.compute as pc
        empty = pc.or_(pc.is_null(arr), pc.is_in(arr, value_set=pa.array(_EMPTY_TIMES, type=arr.type)))
        empty = empty.fill_null(True).to_numpy(zero_copy_only=False)
    else:
        raw = values.astype(object)
        empty = (raw.isna() | raw.isin(list(_EMPTY_TIMES))).to_numpy(dtype=bool)
    res = np.full(len(values), _NAT, dtype=np.int64)   # the instants, ns since the epoch (UTC)
    todo = np.flatnonzero(~empty)

    def raw_at(pos: np.ndarray) -> pd.Series:
        """The raw values at positions ``pos`` as objects, labelled like ``values``."""
        v = values.iloc[pos]
        return (v.astype(object) if arr is not None else raw.iloc[pos])

    def put(pos: np.ndarray, times: pd.Series) -> None:
        res[pos] = _utc_ns(times)

    if len(todo):
        sample = raw_at(todo[:200]).astype(str).str.strip()
        unix_share = sample.str.match(_UNIX).mean()
        if unix_share < 0.5 and not sample.str.contains(_TZ_SUFFIX).mean() >= 0.5:
            scores: dict[str, int] = {}
            for f in DATE_FORMATS:   # the first format that reads the whole sample wins outright
                scores[f] = pd.to_datetime(sample, format=f, errors="coerce").notna().sum()
                if scores[f] == len(sample):
                    break
            fmt = max(scores, key=lambda f: scores[f])
            if scores[fmt]:
                naive = _strptime(values, arr, todo, fmt, raw_at)
                p = _plausible(pd.Series(naive.view("datetime64[ns]"), index=labels[todo]))
                ok = p.notna().to_numpy(dtype=bool)
                if ok.any():
                    put(todo[ok], _localize(p[ok], tz, alt))
                todo = todo[~ok]
    if len(todo):
        rest = raw_at(todo).astype(str).str.strip()
        pos = pd.Series(todo, index=rest.index)
        unix = rest.str.match(_UNIX)
        if unix.any():
            sec = pd.to_numeric(rest[unix], errors="coerce")
            sec = sec.where((sec >= 631152000) & (sec < 4102444800))   # 1990..2100
            put(pos[unix].to_numpy(), pd.to_datetime(sec, unit="s", utc=True).dt.tz_convert(tz))
        rest = rest[~unix]
        aware = rest.str.contains(_TZ_SUFFIX) & rest.str.contains("T")
        if aware.any():
            p = pd.to_datetime(rest[aware], errors="coerce", utc=True, format="ISO8601")
            p = p.where((p >= _MIN_TS.tz_localize("UTC")) & (p < _MAX_TS.tz_localize("UTC")))
            put(pos[aware].to_numpy(), p.dt.tz_convert(tz))
        remaining = rest[~aware]
        for fmt in DATE_FORMATS:
            if remaining.empty:
                break
            p = _plausible(pd.to_datetime(remaining, format=fmt, errors="coerce"))
            ok = p.notna()
            if ok.any():
                put(pos.loc[p[ok].index].to_numpy(), _localize(p[ok], tz, alt))
                remaining = remaining[~ok]
    out = pd.Series(res.view("datetime64[ns]"), index=labels).dt.tz_localize("UTC").dt.tz_convert(tz)
    bad = pd.Series(~empty & (res == _NAT), index=labels)
    return out, bad


_EMPTY_TIMES = ("", "0", "NULL", "null", "0000-00-00 00:00:00")
_NAT = np.iinfo(np.int64).min
_ISO = "%Y-%m-%d %H:%M:%S"


def _arrow_strings(values: pd.Series):
    """The Arrow array behind a column of Arrow-backed strings (no copy), else None."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    arr = pa.array(values.array)
    if isinstance(arr, pa.ChunkedArray):
        # one chunk (the readers' columns): that chunk as it is; combine_chunks would copy it
        return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    return arr


def strings_array(values: pd.Series):
    """A column as one Arrow ``large_string`` array with ``astype("str")``'s strings (NA →
    null); no copy of the strings of an Arrow-backed column."""
    import pyarrow as pa
    arr = _arrow_strings(values)   # "str" or "string" on Arrow: the same strings, NA → null
    if arr is None and values.dtype == object:
        # Python strings and NA (a column a parser filled with None: 10M legs, 0.7 s through
        # astype) straight into Arrow; anything else is not a string and goes through astype
        try:
            arr = pa.array(values.to_numpy(), type=pa.large_string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            pass
    if arr is None:
        arr = _arrow_strings(values.astype("str"))
    return arr.cast(pa.large_string())


def trim_whitespace(arr):
    """``pyarrow.compute.utf8_trim_whitespace`` of a string array, without its copy of every
    string when no value can begin or end with whitespace: when each non-empty value's first
    and last byte is printable ASCII (``!``..``~``; anything else — a space, a control
    character, a byte of a non-ASCII character — may be whitespace and the values are
    trimmed by Arrow). A million channel names: Arrow's trim writes a copy of every string
    (0.06–0.1 s); finding nothing to trim reads two bytes of each (0.02–0.03 s).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    data = arr.buffers()[2] if len(arr) else None
    if data is None:   # no characters at all: nothing to trim
        return arr
    wide = pa.types.is_large_string(arr.type)
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)[arr.offset:arr.offset + len(arr) + 1]
    b = np.frombuffer(data, dtype=np.uint8)
    a, z = offs[:-1], offs[1:]
    some = z > a
    ends = np.concatenate((b[a[some]], b[z[some] - 1]))
    if ((ends > 0x20) & (ends < 0x7F)).all():
        return arr
    return pc.utf8_trim_whitespace(arr)


def _utc_ns(times: pd.Series) -> np.ndarray:
    """tz-aware times (any unit) as int64 nanoseconds since the epoch, NaT → int64 min."""
    return pd.DatetimeIndex(times).as_unit("ns").asi8


def _strptime(values: pd.Series, arr, pos: np.ndarray, fmt: str, raw_at) -> np.ndarray:
    """Naive times of the values at ``pos`` read with ``fmt`` (``pd.to_datetime(format=fmt,
    errors="coerce")`` and :func:`_plausible`), as int64 ns with NaT for failures.

    Values spelled exactly ``YYYY-MM-DD HH:MM:SS`` (ASCII digits) with a real date and time are
    read from their bytes with numpy (what pandas gives them; 1M values in tens of ms, where
    pandas takes ~0.15 s and each value costs a Python string); every other value — a different
    format, a stray space, Feb 30, 24:00 — is left to pandas, so the result is pandas' by
    construction.
    """
    out = np.full(len(pos), _NAT, dtype=np.int64)
    left = np.arange(len(pos))
    if arr is not None and fmt == _ISO and len(pos):
        fast, ns = _iso_seconds(arr)   # the whole column: cheaper than taking ``pos`` out of it
        out[:] = ns[pos]
        left = np.flatnonzero(~fast[pos])
    if len(left):
        p = _plausible(pd.to_datetime(raw_at(pos[left]), format=fmt, errors="coerce"))
        out[left] = pd.DatetimeIndex(p).as_unit("ns").asi8
    return out


_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


#: Values of a column read by one pass of :func:`_iso_block` (its temporaries, ~25 bytes a
#: value, are then reused from block to block instead of taken anew: a whole 10M-value column
#: at once took ~2.5 GB of fresh memory, 3-4 s each on a VM that hands freed pages back)
_ISO_BLOCK = 1 << 17


def _iso_seconds(arr) -> tuple[np.ndarray, np.ndarray]:
    """Which strings of an Arrow array are a valid ``YYYY-MM-DD HH:MM:SS`` (19 bytes, ASCII
    digits, a real calendar date in 1900–2199, hour < 24, minute and second < 60), and each
    value as naive int64 nanoseconds (NaT for the others) — decided on the bytes with numpy (a
    regex over a million values cost more than the whole rest), block by block."""
    import pyarrow as pa
    arr = arr.cast(pa.large_string())
    n = len(arr)
    fast = np.zeros(n, dtype=bool)
    out = np.full(n, _NAT, dtype=np.int64)
    for a in range(0, n, _ISO_BLOCK):
        fast[a:a + _ISO_BLOCK], out[a:a + _ISO_BLOCK] = _iso_block(arr.slice(a, _ISO_BLOCK))
    return fast, out


def _iso_block(arr) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_iso_seconds` of a large_string array (a slice of a column)."""
    n = len(arr)
    fast = np.zeros(n, dtype=bool)
    out = np.full(n, _NAT, dtype=np.int64)
    if not n or arr.buffers()[2] is None:
        return fast, out
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    is19 = np.diff(offs) == 19
    if arr.null_count:
        is19 &= arr.is_valid().to_numpy(zero_copy_only=False)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    if is19.all():   # every value 19 bytes, back to back: the bytes are a (n, 19) matrix
        b = data[offs[0]:offs[0] + 19 * n].reshape(n, 19)
    else:
        b = data[offs[:-1][is19][:, None] + np.arange(19)]
    bt = np.ascontiguousarray(b.T)   # one contiguous row per byte position
    d = bt[_DIGITS] - np.uint8(48)
    shape = (d <= 9).all(axis=0)
    for k, ch in _SEPARATORS:
        shape &= bt[k] == ch
    d = d.astype(np.int32)

    def num(*rows: int) -> np.ndarray:
        v = d[rows[0]]
        for r in rows[1:]:
            v = v * 10 + d[r]
        return v
    y, mo, dd, h, mi, sec = num(0, 1, 2, 3), num(4, 5), num(6, 7), num(8, 9), num(10, 11), num(12, 13)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    dim = _DAYS_IN_MONTH[np.clip(mo - 1, 0, 11)] + (leap & (mo == 2))
    ok = shape & (y >= 1900) & (y < 2200) & (mo >= 1) & (mo <= 12) & (dd >= 1) & (dd <= dim) & (h < 24) & (mi < 60) & (sec < 60)
    y, mo, dd, h, mi, sec = (v[ok].astype(np.int64) for v in (y, mo, dd, h, mi, sec))
    days = ((y - 1970) * 12 + mo - 1).astype("datetime64[M]").astype("datetime64[D]").view(np.int64) + dd - 1
    at = np.flatnonzero(is19)[ok]
    fast[at] = True
    out[at] = (days * 86400 + h * 3600 + mi * 60 + sec) * 1_000_000_000
    return fast, out


_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
_SEPARATORS = ((4, ord("-")), (7, ord("-")), (10, ord(" ")), (13, ord(":")), (16, ord(":")))


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
    plain = _plain_seconds(values)
    if plain is not None:
        # whole seconds, the usual case, cast by Arrow in C++ (pd.to_numeric of pandas strings
        # takes 1.4 s a million-row column); the rest by the rules below
        ok, secs = plain
        out = pd.Series(np.nan, index=values.index, dtype="float64")
        out[ok] = secs
        if not ok.all():
            out[~ok] = parse_durations(values[~ok])[0].to_numpy()
        bad = out.isna() | (out > MAX_CALL_S)
        out[bad] = np.nan
        return out, bad
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


def _plain_seconds(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """For a column of strings where some values are plain whole seconds (1–15 digits): which
    ones, and their values as floats; None otherwise."""
    if not isinstance(values.dtype, pd.StringDtype) or len(values) < 1000:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = pa.array(values.array)
    ok = pc.match_substring_regex(arr, r"^[0-9]{1,15}$").fill_null(False)
    if not pc.any(ok).as_py():
        return None
    return ok.to_numpy(zero_copy_only=False), pc.cast(arr.filter(ok), pa.float64()).to_numpy()


def resolve_call_times(start: pd.Series, answer: pd.Series | None, end: pd.Series | None,
                       alts: tuple[dict, dict, dict], *, duration: pd.Series | None = None,
                       talk: pd.Series | None = None) -> None:
    """Settle the DST readings of each call's start, answer and end together (in place).

    For a call with a time that a DST change repeats or skips (``alts``: the other reading of
    start, answer, end by row), of the up to eight combinations of readings the one is kept that
    (1) keeps start ≤ answer ≤ end, then (2) best agrees with the export's own durations
    (end − start ≈ ``duration``, end − answer ≈ ``talk``), then (3) changes the fewest of the
    default readings. A call across the fall-back hour so keeps its real ring and talk time, and
    a spring-forward answer is never put before its start.
    """
    rows = set(alts[0]) | set(alts[1]) | set(alts[2])
    series = (start, answer, end)
    for r in rows:
        opts = []
        for k, ser in enumerate(series):
            base = ser.at[r] if ser is not None and not pd.isna(ser.at[r]) else None
            opts.append([(base, 0)] + ([(alts[k][r], 1)] if base is not None and r in alts[k] else []))
        best, best_key = None, None
        for (s, fs), (a, fa), (e, fe) in ((x, y, z) for x in opts[0] for y in opts[1] for z in opts[2]):
            order = sum(1 for x, y in ((s, a), (a, e), (s, e)) if x is not None and y is not None and y < x)
            miss = 0.0
            if duration is not None and e is not None and s is not None and not pd.isna(duration.at[r]):
                miss += abs((e - s).total_seconds() - float(duration.at[r]))
            if talk is not None and e is not None and a is not None and not pd.isna(talk.at[r]):
                miss += abs((e - a).total_seconds() - float(talk.at[r]))
            key = (order, miss, fs + fa + fe)
            if best_key is None or key < best_key:
                best, best_key = (s, a, e), key
        for ser, v in zip(series, best):
            if ser is not None and v is not None:
                ser.at[r] = v
