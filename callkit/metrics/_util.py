"""Shared helpers of the metric functions (private)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.metrics import _memo

__all__ = ["ensure_flags", "period_mask", "masks", "slot_frame", "WEEKDAY_EN", "WEEKDAY_RU", "slot_label",
           "safe_div", "utc_naive", "isin_text", "index_text", "map_text", "text_codes",
           "unique_rows"]

WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_RU = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")


def slot_label(weekday: int, hour: int) -> str:
    """Language-neutral subject of a weekday × hour slot, DESIGN §5 ``weekday hour``:
    ``"0 10"`` = Monday 10:00–10:59 (weekday 0 = Monday, as in traffic.csv)."""
    return f"{int(weekday)} {int(hour)}"


def ensure_flags(calls: pd.DataFrame, period: tuple[object, object] | None
                 ) -> tuple[pd.DataFrame, np.ndarray]:
    """Return ``(calls with classifier columns, in-period mask)``.

    If ``calls`` already carries ``is_new_client`` (from :func:`callkit.classify.add_client_flags`,
    possibly with known clients) it is trusted; the in-period mask is taken from ``period`` when
    given, else from the ``in_period`` column. Otherwise the flags are computed here for
    ``period`` without known clients.
    """
    if classify.IS_NEW_CLIENT in calls:
        return calls, period_mask(calls, period)
    flagged = classify.add_client_flags(calls, period=period)
    return flagged, flagged[classify.IN_PERIOD].to_numpy(dtype=bool)


def period_mask(calls: pd.DataFrame, period: tuple[object, object] | None) -> np.ndarray:
    """In-period rows: from ``period`` when given, else the ``in_period`` column, else all."""
    if period is not None:
        return classify.in_period(calls, period).to_numpy(dtype=bool)
    if classify.IN_PERIOD in calls:
        return calls[classify.IN_PERIOD].fillna(False).to_numpy(dtype=bool)
    return np.ones(len(calls), dtype=bool)


def safe_div(a: pd.Series, b: pd.Series) -> pd.Series:
    """``a / b`` as floats, NaN where ``b`` is 0 (a ratio with nothing to divide by)."""
    a = a.astype(float)
    b = b.astype(float)
    return (a / b.where(b > 0)).astype(float)


def utc_naive(times: pd.Series) -> np.ndarray:
    """tz-aware times as naive UTC ``datetime64[ns]`` (comparable across DST changes)."""
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    return times.to_numpy(dtype="datetime64[ns]")


def masks(calls: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean numpy masks used by several metrics, computed once."""
    d = calls[schema.DIRECTION]
    st = calls[schema.STATUS]
    inc = (d == schema.INCOMING).fillna(False).to_numpy(dtype=bool)
    out = (d == schema.OUTGOING).fillna(False).to_numpy(dtype=bool)
    internal = (d == schema.INTERNAL).fillna(False).to_numpy(dtype=bool)
    answered = classify.answered_by_person(calls).to_numpy()
    unanswered = st.isin(schema.UNANSWERED_STATUSES).fillna(False).to_numpy(dtype=bool)
    # answered only by the PBX (IVR) counts as not answered by the company
    unanswered = unanswered | ((st == schema.ANSWERED).fillna(False).to_numpy(dtype=bool) & ~answered)
    return {"incoming": inc, "outgoing": out, "internal": internal, "external": inc | out,
            "answered": answered, "unanswered": unanswered}


def slot_frame(start: pd.Series) -> pd.DataFrame:
    """Local date (datetime64[D]), weekday (0=Mon) and hour of tz-aware start times."""
    naive = start.dt.tz_localize(None) if getattr(start.dt, "tz", None) is not None else start
    v = naive.to_numpy(dtype="datetime64[ns]")
    day = v.astype("datetime64[D]")
    hour = ((v - day).astype("timedelta64[h]").astype(np.int64))
    weekday = ((day.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday (3)
    return pd.DataFrame({"date": day, "weekday": weekday.astype(np.int64), "hour": hour},
                        index=start.index)


def isin_text(values: pd.Series, candidates: pd.Series | pd.Index) -> np.ndarray:
    """``values.isin(candidates)`` for text, by Arrow's hash table (pandas' ``str`` isin turns
    every candidate into a Python object first: seconds for a call table's 800k ids). Missing
    values are never in: NA → False."""
    import pyarrow as pa
    import pyarrow.compute as pc

    v = pa.array(pd.Series(values).astype("string").array).cast(pa.large_string())
    c = pa.array(pd.Series(candidates).astype("string").dropna().array).cast(pa.large_string())
    return pc.is_in(v, value_set=c, skip_nulls=True).fill_null(False).to_numpy(zero_copy_only=False)


def _text(values: pd.Series | pd.Index | np.ndarray):
    import pyarrow as pa

    return pa.array(pd.Series(values).astype("string").array).cast(pa.large_string())


def index_text(values: pd.Series | pd.Index, candidates: pd.Series | pd.Index) -> np.ndarray:
    """``pd.Index(candidates).get_indexer(values)`` for text, by Arrow's hash table: each
    value's position among ``candidates`` (the first, when one repeats), -1 when it is not
    there or missing."""
    import pyarrow.compute as pc

    pos = pc.index_in(_text(values), value_set=_text(candidates), skip_nulls=True)
    return pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def map_text(values: pd.Series, mapping: pd.Series) -> pd.Series:
    """``values.map(mapping).astype("string")`` for text keys, by Arrow's hash table (pandas'
    ``map`` of 800k strings through a Series builds a Python index lookup: 0.1–0.2 s each).
    A missing value maps to NA; a mapping whose keys repeat or include NA goes to pandas (it
    raises on the one, matches NA on the other)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = mapping.index
    if not keys.is_unique or keys.hasnans:
        return values.map(mapping).astype("string")
    pos = pc.index_in(_text(values), value_set=_text(keys), skip_nulls=True)
    out = _text(mapping.to_numpy(dtype=object)).take(pos)
    return pd.Series(out.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get).array,
                     index=values.index, name=values.name, dtype="string")


def text_codes(values: pd.Series) -> np.ndarray:
    """``pd.factorize(values)[0]``: an integer code per distinct value, -1 for missing. Inside
    :func:`callkit.metrics._memo.remembered` the codes of an Arrow-backed column are computed
    once (the client numbers are coded by the new-client flags, the missed calls and the
    manager summary alike; 0.15 s per million numbers each time)."""
    arr = getattr(values.array, "_pa_array", None)
    kept = _memo.entries("text_codes") if arr is not None else None
    if kept is not None:
        for seen, codes in kept:
            if seen is arr:
                return codes.copy()
    codes, _ = pd.factorize(values)
    if kept is not None:
        _memo.keep("text_codes", (arr, codes.copy()))
    return codes


def unique_rows(df: pd.DataFrame) -> pd.DataFrame:
    """``df.drop_duplicates()`` for a frame of integer columns (the same rows, order and index):
    the columns packed into one int64 key and deduplicated by one hash table (pandas codes each
    column and combines them: 3x slower on a million rows). Frames whose key would not fit in
    64 bits, or with other columns, go to pandas."""
    if not len(df) or not all(pd.api.types.is_integer_dtype(t) and not isinstance(t, pd.api.extensions.ExtensionDtype)
                              for t in df.dtypes):
        return df.drop_duplicates()
    key = np.zeros(len(df), dtype=np.int64)
    span = 1
    for col in df.columns:
        v = df[col].to_numpy(dtype=np.int64)
        lo, width = int(v.min()), int(v.max()) - int(v.min()) + 1
        span *= width
        if span >= 1 << 62:
            return df.drop_duplicates()
        key = key * width + (v - lo)
    return df.loc[~pd.Series(key).duplicated().to_numpy()]
