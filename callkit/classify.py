"""Call classifiers over the canonical call table: analysis period, new clients, call kind.

Every function here is pure: it returns a new DataFrame and never mutates its input.

* :func:`period_bounds` / :func:`in_period` — the analysis period is a range of *local* dates
  (inclusive). When no period is given, the full date range of the data is used.
* :func:`add_client_flags` — ``in_period``, ``first_contact``, ``is_new_client`` (DESIGN §3) and
  ``call_kind_fallback`` (a duration rule for calls without a transcript).
* :func:`load_known_clients` — the client's list of existing clients (CSV/XLSX with a phone
  column), normalized to E.164.
* :func:`infer_departments` — the department of unanswered calls the loader could not place
  (it rang nobody, or several departments), from the line; flagged in ``department_inferred``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.profile import as_date

__all__ = [
    "IN_PERIOD", "FIRST_CONTACT", "IS_NEW_CLIENT", "CALL_KIND_FALLBACK", "CLASSIFIER_COLUMNS",
    "NEGOTIATION_MIN_S", "NAVIGATION_MAX_S",
    "Period", "period_bounds", "in_period", "local_dates", "answered_by_person",
    "add_client_flags", "call_kind_fallback", "load_known_clients",
    "DEPARTMENT_INFERRED", "infer_departments",
]

# --- classifier columns added by add_client_flags -------------------------------------------
IN_PERIOD = "in_period"                    # bool: the session's local start date is in the period
FIRST_CONTACT = "first_contact"            # datetime: first session with this client number, all data
IS_NEW_CLIENT = "is_new_client"            # bool: the client number is new (DESIGN §3)
CALL_KIND_FALLBACK = "call_kind_fallback"  # negotiation | navigation | unknown | NA (no conversation)
DEPARTMENT_INFERRED = "department_inferred"  # bool: department filled by infer_departments
CLASSIFIER_COLUMNS: tuple[str, ...] = (IN_PERIOD, FIRST_CONTACT, IS_NEW_CLIENT, CALL_KIND_FALLBACK,
                                       DEPARTMENT_INFERRED)

# --- the call-kind FALLBACK rule (used only when a call has no transcript) ---------------------
NEGOTIATION_MIN_S = 60.0   # answered external call with talk >= 60 s -> "negotiation"
NAVIGATION_MAX_S = 20.0    # answered external call with talk < 20 s -> "navigation"

Period = tuple[dt.date, dt.date]

_PHONE_HEADERS = ("phone", "number", "client_number", "телефон", "номер", "номер телефона",
                  "тел", "tel", "msisdn")


def _as_date(value: object, what: str) -> dt.date:
    try:
        return as_date(value)
    except ValueError:
        raise InputError(f"Period {what} is {value!r}; expected a date YYYY-MM-DD.") from None


def local_dates(times: pd.Series) -> np.ndarray:
    """Local calendar dates of tz-aware ``times`` as a ``datetime64[D]`` array (NaT stays NaT)."""
    naive = times.dt.tz_localize(None) if getattr(times.dt, "tz", None) is not None else times
    return naive.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def period_bounds(calls: pd.DataFrame, period: tuple[object, object] | None
                  ) -> tuple[pd.Timestamp, pd.Timestamp, Period]:
    """Resolve an analysis period to tz-aware ``[lo, hi)`` bounds in the calls' time zone.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table (its ``start`` column gives the time zone and, when ``period`` is
        None, the date range).
    period : (start, end) or None
        Inclusive local dates (``date``, ``Timestamp`` or ``"YYYY-MM-DD"``). None = the full date
        range of the data.

    Returns
    -------
    lo, hi : Timestamp
        ``lo`` = local midnight of the first day, ``hi`` = local midnight after the last day.
    period : (date, date)
        The resolved inclusive dates.

    Examples
    --------
    >>> c = schema.empty_calls("Europe/Moscow")
    >>> period_bounds(c, ("2026-10-01", "2026-10-31"))[1]
    Timestamp('2026-11-01 00:00:00+0300', tz='Europe/Moscow')
    """
    start = calls[schema.START]
    tz = getattr(start.dt, "tz", None)
    if period is None:
        if start.notna().any():
            days = local_dates(start.dropna())
            p0 = pd.Timestamp(days.min()).date()
            p1 = pd.Timestamp(days.max()).date()
        else:
            today = dt.date.today()
            p0 = p1 = today
    else:
        try:
            a, b = period
        except (TypeError, ValueError):
            raise InputError(f"Period is {period!r}; expected (start, end) local dates.") from None
        p0, p1 = _as_date(a, "start"), _as_date(b, "end")
        if p1 < p0:
            raise InputError(f"Period ends ({p1}) before it starts ({p0}); expected start <= end.")
    lo = pd.Timestamp(p0)
    hi = pd.Timestamp(p1 + dt.timedelta(days=1))
    if tz is not None:
        lo, hi = _local_midnight(lo, tz), _local_midnight(hi, tz)
    return lo, hi, (p0, p1)


def _local_midnight(day: pd.Timestamp, tz: object) -> pd.Timestamp:
    """The first instant of a local date. Where a DST change skips midnight (Santiago, Beirut,
    Havana…) the day starts at the first time that exists; where midnight happens twice, at
    the first of them."""
    return day.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def in_period(calls: pd.DataFrame, period: tuple[object, object] | None) -> pd.Series:
    """Boolean Series: the session's local start date lies inside ``period`` (None = all)."""
    if period is None:
        return pd.Series(True, index=calls.index)
    lo, hi, _ = period_bounds(calls, period)
    s = calls[schema.START]
    return ((s >= lo) & (s < hi)).fillna(False).astype(bool)


def answered_by_person(calls: pd.DataFrame) -> pd.Series:
    """Boolean Series: status ``answered`` and not answered only by the PBX (IVR/announcement)."""
    ans = (calls[schema.STATUS] == schema.ANSWERED).fillna(False).to_numpy(dtype=bool)
    if schema.MACHINE_ANSWERED in calls:
        ans = ans & ~calls[schema.MACHINE_ANSWERED].fillna(False).to_numpy(dtype=bool)
    return pd.Series(ans, index=calls.index)


def call_kind_fallback(calls: pd.DataFrame) -> pd.Series:
    """FALLBACK call kind from talk time, for calls without a transcript.

    Rule (a heuristic, not a transcript verdict): for an external call answered by a person,
    ``talk_s >= 60`` → ``"negotiation"``; ``talk_s < 20`` → ``"navigation"``; otherwise
    ``"unknown"``. Internal and unanswered calls get NA (there was no client conversation).

    Examples
    --------
    75 s answered outgoing → negotiation; 12 s → navigation; 40 s → unknown.
    """
    ext = calls[schema.DIRECTION].isin([schema.INCOMING, schema.OUTGOING]).to_numpy(dtype=bool)
    ok = ext & answered_by_person(calls).to_numpy()
    talk = calls[schema.TALK_S].fillna(0).to_numpy(dtype=float)
    codes = np.where(talk >= NEGOTIATION_MIN_S, 0, np.where(talk < NAVIGATION_MAX_S, 1, 2))
    codes = np.where(ok, codes, -1).astype(np.int8)
    kind = pd.Categorical.from_codes(codes, categories=["negotiation", "navigation", "unknown"])
    return pd.Series(kind, index=calls.index).astype("string")


def _known_set(known_clients: Iterable[str] | pd.Series | pd.DataFrame | None) -> set[str]:
    if known_clients is None:
        return set()
    if isinstance(known_clients, pd.DataFrame):
        col = schema.CLIENT_NUMBER if schema.CLIENT_NUMBER in known_clients else "number"
        if col not in known_clients:
            raise InputError(f"known_clients has columns {list(known_clients.columns)}; expected "
                             f"a 'number' or 'client_number' column.")
        known_clients = known_clients[col]
    return {str(v) for v in pd.Series(list(known_clients), dtype="object").dropna()}


def add_client_flags(calls: pd.DataFrame, *, period: tuple[object, object] | None,
                     known_clients: Iterable[str] | pd.Series | pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """Add the classifier columns: ``in_period``, ``first_contact``, ``is_new_client``,
    ``call_kind_fallback``.

    A client number is **new** (DESIGN §3) when its first session in *all* loaded data falls
    inside the period and it is not in ``known_clients``. Sessions before the period (a loaded
    history month) therefore make a number existing. ``is_new_client`` is set on every row of
    such a number (also rows outside the period); internal calls and calls without a number are
    False.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table (all loaded data, history included).
    period : (start, end) or None
        Inclusive local dates; None = the full date range of the data.
    known_clients : iterable of E.164 strings, Series or DataFrame with a ``number`` column
        Existing clients (see :func:`load_known_clients`).

    Returns
    -------
    DataFrame
        A copy of ``calls`` with the four classifier columns appended.

    Examples
    --------
    Number +74950012345 first called 2026-09-20 (history), again 2026-10-05: for the period
    October it is not new. Number +79720123456 first called 2026-10-03: new.
    """
    out = calls.copy()
    lo, hi, _ = period_bounds(calls, period)
    start = out[schema.START]
    out[IN_PERIOD] = ((start >= lo) & (start < hi)).fillna(False).astype(bool)
    num = out[schema.CLIENT_NUMBER]
    ext = out[schema.DIRECTION].isin([schema.INCOMING, schema.OUTGOING]).to_numpy(dtype=bool)
    has_num = num.notna().to_numpy(dtype=bool) & ext
    # first contact per number, on int64 UTC nanoseconds (fast), NaT elsewhere
    nat = np.iinfo(np.int64).min
    first_ns = np.full(len(out), nat, dtype=np.int64)
    if has_num.any():
        utc = start.dt.tz_convert("UTC").dt.tz_localize(None) if getattr(start.dt, "tz", None) \
            is not None else start
        s_ns = utc.to_numpy(dtype="datetime64[ns]").view(np.int64)[has_num]
        codes, _ = pd.factorize(num[has_num])   # on the string array itself: 3x faster
        first_ns[has_num] = pd.Series(s_ns).groupby(codes).transform("min").to_numpy()
    first = pd.Series(pd.DatetimeIndex(first_ns.view("datetime64[ns]")).tz_localize("UTC"),
                      index=out.index)
    tz = getattr(start.dt, "tz", None)
    first = first.dt.tz_convert(tz) if tz is not None else first.dt.tz_localize(None)
    out[FIRST_CONTACT] = first
    known = _known_set(known_clients)
    is_known = num.isin(known).fillna(False).to_numpy(dtype=bool) if known else False
    new = has_num & ((first >= lo) & (first < hi)).fillna(False).to_numpy(dtype=bool) & ~is_known
    out[IS_NEW_CLIENT] = np.asarray(new, dtype=bool)
    out[CALL_KIND_FALLBACK] = call_kind_fallback(out)
    return out


def infer_departments(calls: pd.DataFrame, *, min_share: float = 0.8) -> pd.DataFrame:
    """Fill the department of sessions that still have none from their line, and flag the
    filled rows in ``department_inferred``.

    The loader (:mod:`callkit.io.fold`) already gives an unanswered call that rang people of a
    single department that department; what is left is typically a call that rang nobody (the
    queue's wait leg only, the provider dropped it, nobody was free) or rang people of several
    departments. Such a call gets the department of its ``line`` (company number) when at least
    ``min_share`` of the sessions with a known department on that line belong to it.

    Rows that already have a department are never changed.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table.
    min_share : float
        Majority needed on the line.

    Returns
    -------
    DataFrame
        A copy with ``department`` filled where it could be inferred and ``department_inferred``.

    Examples
    --------
    Line +74950001100 carries 9 sessions of "Продажи" and 1 of "Сервис" (90 % ≥ 80 %): a missed
    call on that line that rang nobody gets "Продажи".
    """
    out = calls.copy()
    dep = out[schema.DEPARTMENT].astype("string")
    na = dep.isna().to_numpy(dtype=bool)
    inferred = np.zeros(len(out), dtype=bool)
    if na.any() and schema.LINE in out and out[schema.LINE].notna().any():
        kl = pd.DataFrame({"l": out[schema.LINE], "d": dep}).dropna()
        if len(kl):
            cnt = kl.groupby(["l", "d"]).size()
            tot = cnt.groupby(level=0).sum()
            best = cnt.sort_values(ascending=False, kind="stable").groupby(level=0).head(1)
            best = best[best / tot.reindex(best.index.get_level_values(0)).to_numpy() >= min_share]
            line_dep = pd.Series(best.index.get_level_values(1), index=best.index.get_level_values(0))
            fill = out[schema.LINE].map(line_dep).astype("string")
            put = na & fill.notna().to_numpy(dtype=bool)
            dep = dep.where(~put, fill)
            inferred |= put
    out[schema.DEPARTMENT] = dep
    out[DEPARTMENT_INFERRED] = inferred
    return out


def load_known_clients(path: str | Path, *, region: str = "RU", column: str | None = None
                       ) -> pd.Series:
    """Read the client's list of existing clients and normalize the numbers to E.164.

    Parameters
    ----------
    path : str or Path
        CSV (any common delimiter, UTF-8 or cp1251) or XLSX with a phone column (``phone``,
        ``number``, ``телефон``, ``номер`` … or the first column when none matches).
    region : str
        Home region for numbers written without a country code.
    column : str, optional
        The phone column's name when it is not one of the recognised headers.

    Returns
    -------
    Series of str
        Distinct E.164 numbers (invalid entries dropped), named ``client_number``.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: known-clients file not found")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(path, dtype=str)
        else:
            try:
                df = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
            except UnicodeDecodeError:
                df = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="cp1251")
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: cannot read the known-clients table ({exc}); expected CSV or "
                         f"XLSX with a phone column") from None
    if df.shape[1] == 0:
        raise InputError(f"{path}: the known-clients table has no columns; expected a phone column")
    cols = {str(c).strip().lower(): c for c in df.columns}
    if column is not None:
        if column not in df.columns:
            raise InputError(f"{path}: no column {column!r}; found {list(df.columns)}")
        col = column
    else:
        col = next((cols[h] for h in _PHONE_HEADERS if h in cols), df.columns[0])
    raw = df[col].dropna().astype(str)
    from callkit.numbers import normalize_numbers  # the phone-number module (DESIGN §1)

    norm = normalize_numbers(raw.tolist(), region=region)
    ok = norm["number"].notna() & norm["number"].astype(str).str.startswith("+")
    ok &= norm["number_type"].astype(str) != "invalid"
    nums = norm.loc[ok, "number"].astype(str).drop_duplicates().reset_index(drop=True)
    return nums.rename(schema.CLIENT_NUMBER)
