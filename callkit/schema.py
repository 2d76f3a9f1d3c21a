"""The canonical call table: column names, dtypes, enums and :func:`validate`.

Column names live here and only here; other modules refer to them through the constants
below (``schema.START``), never through scattered string literals.

See DESIGN.md §2 for the meaning of every column.
"""
from __future__ import annotations

import weakref

import pandas as pd

from callkit.errors import InputError

__all__ = [
    "CALL_ID", "START", "ANSWERED_AT", "END", "RING_S", "TALK_S", "DIRECTION", "STATUS",
    "EMPLOYEE", "DEPARTMENT", "CLIENT_NUMBER", "NUMBER_TYPE", "LINE", "SOURCE_ROW",
    "EXTENSION", "MACHINE_ANSWERED", "SOURCE_FILE",
    "CALL_COLUMNS", "EXTRA_COLUMNS", "DIRECTIONS", "STATUSES", "NUMBER_TYPES",
    "INCOMING", "OUTGOING", "INTERNAL", "ANSWERED", "MISSED", "BUSY", "FAILED",
    "UNANSWERED_STATUSES", "LEG_COLUMNS",
    "empty_calls", "validate", "ids_distinct_by_construction",
]

# --- canonical columns (DESIGN §2), in this order -------------------------------------------
CALL_ID = "call_id"
START = "start"
ANSWERED_AT = "answered_at"
END = "end"
RING_S = "ring_s"
TALK_S = "talk_s"
DIRECTION = "direction"
STATUS = "status"
EMPLOYEE = "employee"
DEPARTMENT = "department"
CLIENT_NUMBER = "client_number"
NUMBER_TYPE = "number_type"
LINE = "line"
SOURCE_ROW = "source_row"

CALL_COLUMNS: tuple[str, ...] = (
    CALL_ID, START, ANSWERED_AT, END, RING_S, TALK_S, DIRECTION, STATUS, EMPLOYEE,
    DEPARTMENT, CLIENT_NUMBER, NUMBER_TYPE, LINE, SOURCE_ROW,
)

# --- extra columns every loader also fills (after the canonical ones) ------------------------
EXTENSION = "extension"            # the employee's extension as seen in the source (string)
MACHINE_ANSWERED = "machine_answered"  # bool: answered only by the PBX (IVR/announcement)
SOURCE_FILE = "source_file"        # file name the first leg came from
EXTRA_COLUMNS: tuple[str, ...] = (EXTENSION, MACHINE_ANSWERED, SOURCE_FILE)

# --- enums -----------------------------------------------------------------------------------
INCOMING, OUTGOING, INTERNAL = "incoming", "outgoing", "internal"
DIRECTIONS: tuple[str, ...] = (INCOMING, OUTGOING, INTERNAL)
ANSWERED, MISSED, BUSY, FAILED = "answered", "missed", "busy", "failed"
STATUSES: tuple[str, ...] = (ANSWERED, MISSED, BUSY, FAILED)
UNANSWERED_STATUSES: tuple[str, ...] = (MISSED, BUSY, FAILED)
NUMBER_TYPES: tuple[str, ...] = ("mobile", "landline", "toll_free", "other", "foreign", "invalid")

# --- the legs table (LoadResult.legs) ---------------------------------------------------------
LEG_COLUMNS: tuple[str, ...] = (
    CALL_ID,          # the session the leg was folded into
    "leg_id",         # the source's own id of the leg (uniqueid, uuid, row number...)
    START, ANSWERED_AT, END, TALK_S,
    "src", "dst",     # raw parties as in the source
    "leg_status",     # answered / missed / busy / failed for this leg alone
    EXTENSION,        # the employee's extension on this leg, if any
    EMPLOYEE,
    SOURCE_FILE, SOURCE_ROW,
)

_STRING_COLS = (CALL_ID, EMPLOYEE, DEPARTMENT, CLIENT_NUMBER, LINE, EXTENSION, SOURCE_FILE)
_TIME_COLS = (START, ANSWERED_AT, END)
_FLOAT_COLS = (RING_S, TALK_S)
_CATEGORIES = {DIRECTION: DIRECTIONS, STATUS: STATUSES, NUMBER_TYPE: NUMBER_TYPES}


def empty_calls(tz: str = "UTC") -> pd.DataFrame:
    """An empty canonical call table with the right dtypes."""
    data: dict[str, pd.Series] = {}
    for col in CALL_COLUMNS + EXTRA_COLUMNS:
        if col in _TIME_COLS:
            data[col] = pd.Series([], dtype=f"datetime64[ns, {tz}]")
        elif col in _FLOAT_COLS:
            data[col] = pd.Series([], dtype="float64")
        elif col in _CATEGORIES:
            data[col] = pd.Series(pd.Categorical([], categories=list(_CATEGORIES[col])))
        elif col == SOURCE_ROW:
            data[col] = pd.Series([], dtype="int64")
        elif col == MACHINE_ANSWERED:
            data[col] = pd.Series([], dtype="bool")
        else:
            data[col] = pd.Series([], dtype="string")
    return pd.DataFrame(data)


def coerce(calls: pd.DataFrame, *, copy: bool = True) -> pd.DataFrame:
    """Return a copy of ``calls`` with the canonical dtypes (columns must be present); with
    ``copy=False``, ``calls`` itself, its columns converted in place (a frame just built)."""
    out = calls.copy() if copy else calls
    for col in _STRING_COLS:
        if col in out:
            out[col] = out[col].astype("string")
    for col in _FLOAT_COLS:
        if col in out:
            out[col] = out[col].astype("float64")
    for col, cats in _CATEGORIES.items():
        if col in out:
            out[col] = pd.Categorical(out[col], categories=list(cats))
    for col in _TIME_COLS:
        if col in out and out[col].dtype.kind == "M":
            unit = getattr(out[col].dtype, "unit", "ns")
            if unit != "ns":
                tz = out[col].dt.tz
                out[col] = out[col].astype(f"datetime64[ns, {tz}]" if tz else "datetime64[ns]")
    if SOURCE_ROW in out:
        out[SOURCE_ROW] = out[SOURCE_ROW].astype("int64")
    if MACHINE_ANSWERED in out:
        out[MACHINE_ANSWERED] = out[MACHINE_ANSWERED].fillna(False).astype("bool")
    return out


def validate(calls: pd.DataFrame) -> pd.DataFrame:
    """Check that ``calls`` is a canonical call table; return it unchanged.

    Raises
    ------
    InputError
        Naming the first missing column, wrong dtype, bad enum value or duplicated id.

    Examples
    --------
    >>> validate(empty_calls("Europe/Moscow")).shape[0]
    0
    """
    missing = [c for c in CALL_COLUMNS if c not in calls.columns]
    if missing:
        raise InputError(f"Call table lacks column(s) {missing}; expected the canonical "
                         f"columns {list(CALL_COLUMNS)} (see callkit.schema).")
    for col in _TIME_COLS:
        dtype = calls[col].dtype
        if dtype.kind != "M" or getattr(dtype, "tz", None) is None:
            raise InputError(f"Column {col!r} has dtype {dtype}; expected tz-aware datetimes.")
    for col, allowed in _CATEGORIES.items():
        bad = set(calls[col].dropna().unique()) - set(allowed)
        if bad:
            raise InputError(f"Column {col!r} has value(s) {sorted(map(str, bad))}; "
                             f"expected one of {list(allowed)}.")
    dup = calls[CALL_ID].duplicated() if _repeats(calls[CALL_ID]) else None
    if dup is not None and dup.any():
        raise InputError(f"Column 'call_id' is not unique: {calls.loc[dup, CALL_ID].iloc[0]!r} "
                         f"appears more than once.")
    return calls


def _repeats(ids: pd.Series) -> bool:
    """Whether some value of ``ids`` occurs twice (missing values count as one value, as in
    ``duplicated``): pandas' hash table counts the distinct ids (``is_unique``, 0.2 s for 800k
    ids, 2.4–4 s for 8M; Arrow's ``count_distinct`` of large strings took 0.65 s,
    ``duplicated`` most of a second). ``duplicated`` runs only when some id repeats, to name
    it. Not counted again: the ids of :func:`ids_distinct_by_construction`."""
    arr = getattr(ids.array, "_pa_array", None)
    ref = _DISTINCT.get(id(arr)) if arr is not None else None
    if ref is not None and ref() is arr:
        return False
    return not ids.is_unique


#: id() of an Arrow array of call ids → a weak reference to it (the entry goes with the array)
_DISTINCT: dict[int, weakref.ref] = {}


def ids_distinct_by_construction(calls: pd.DataFrame) -> pd.DataFrame:
    """Record that the ``call_id`` column of ``calls`` holds distinct values by construction
    (the leg fold: one call per session key, the key's distinct value), so that
    :func:`validate` does not count them again; return ``calls``.

    Only that very Arrow array is remembered: it is immutable, pandas replaces it when a value
    is set, and a filter, sort or concatenation makes a new one — whose ids are counted as
    before. A column that is not Arrow-backed is not remembered.
    """
    arr = getattr(calls[CALL_ID].array, "_pa_array", None)
    if arr is not None:
        key = id(arr)
        _DISTINCT[key] = weakref.ref(arr, lambda _ref, key=key: _DISTINCT.pop(key, None))
    return calls
