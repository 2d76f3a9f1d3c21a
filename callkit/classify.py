"""Call classifiers over the canonical call table: analysis period, new clients, call kind.

Every function here is pure: it returns a new DataFrame and never mutates its input.

* :func:`period_bounds` / :func:`in_period` — the analysis period is a range of *local* dates
  (inclusive). When no period is given, the full date range of the data is used.
* :func:`add_client_flags` — ``in_period``, ``first_contact``, ``client_status`` /
  ``is_new_client`` (new clients with a look-back, DESIGN §3; :class:`NewClientCoverage` says
  whether the history is long enough) and ``call_kind_fallback`` (a duration rule for calls
  without a transcript).
* :func:`load_known_clients` — the client's list of existing clients (CSV/XLSX with a phone
  column), normalized to E.164.
* :func:`infer_departments` — the department of unanswered calls the loader could not place
  (it rang nobody, or several departments), from the line; flagged in ``department_inferred``.
* :func:`add_answering_group` — ``entry_point`` (the queue or line an incoming call came in
  on) and ``answering_group`` (the group of people that takes those calls), for staffing per
  group (DESIGN §3).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.profile import as_date

__all__ = [
    "IN_PERIOD", "FIRST_CONTACT", "IS_NEW_CLIENT", "CALL_KIND_FALLBACK", "CLASSIFIER_COLUMNS",
    "CLIENT_STATUS", "CLIENT_STATUSES", "CLIENT_FLAG_COLUMNS", "IN_HOURS", "AT_LINE_CEILING", "DEFAULT_LOOKBACK_DAYS", "NewClientCoverage",
    "new_client_coverage",
    "NEGOTIATION_MIN_S", "NAVIGATION_MAX_S",
    "Period", "period_bounds", "in_period", "local_dates", "answered_by_person",
    "add_client_flags", "call_kind_fallback", "load_known_clients",
    "DEPARTMENT_INFERRED", "infer_departments",
    "ENTRY_POINT", "ANSWERING_GROUP", "NO_GROUP", "entry_points", "add_answering_group",
    "group_members",
]

# --- classifier columns added by add_client_flags -------------------------------------------
IN_PERIOD = "in_period"                    # bool: the session's local start date is in the period
FIRST_CONTACT = "first_contact"            # datetime: first session with this client number, all data
IS_NEW_CLIENT = "is_new_client"            # bool: the client number is new (DESIGN §3)
CLIENT_STATUS = "client_status"            # new | existing | new_unknown | NA (see add_client_flags)
CLIENT_STATUSES: tuple[str, ...] = ("new", "existing", "new_unknown")
DEFAULT_LOOKBACK_DAYS = 90                 # profile lookback_days (DESIGN §4)
CALL_KIND_FALLBACK = "call_kind_fallback"  # negotiation | navigation | unknown | NA (no conversation)
DEPARTMENT_INFERRED = "department_inferred"  # bool: department filled by infer_departments
ENTRY_POINT = "entry_point"          # incoming: the queue/ring group number, else the line
ANSWERING_GROUP = "answering_group"  # incoming: the group that takes the call (see add_answering_group)
NO_GROUP = "(no group)"              # answering_group of an incoming call nothing places
IN_HOURS = "in_hours"                # bool: started inside working hours (set by the audit,
                                     # callkit.metrics.hours.in_working_hours)
AT_LINE_CEILING = "at_line_ceiling"  # bool: started while every line was busy (set by the audit,
                                     # callkit.metrics.tech.line_ceiling)
CLASSIFIER_COLUMNS: tuple[str, ...] = (IN_PERIOD, IN_HOURS, FIRST_CONTACT, CLIENT_STATUS,
                                       IS_NEW_CLIENT, CALL_KIND_FALLBACK,
                                       DEPARTMENT_INFERRED, ENTRY_POINT, ANSWERING_GROUP,
                                       AT_LINE_CEILING)
#: The columns :func:`add_client_flags` sets, in the order it adds them.
CLIENT_FLAG_COLUMNS: tuple[str, ...] = (IN_PERIOD, FIRST_CONTACT, CLIENT_STATUS, IS_NEW_CLIENT,
                                        CALL_KIND_FALLBACK)

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


def text_from_codes(codes: np.ndarray, categories: Iterable[str], index: pd.Index) -> pd.Series:
    """``pd.Series(pd.Categorical.from_codes(codes, categories), index).astype("string")``
    built by Arrow (a take of the few category strings; pandas' conversion of 800k category
    values to text took 0.12 s each): -1 -> NA."""
    import pyarrow as pa

    codes = np.asarray(codes)
    text = pa.array(list(categories), type=pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(text.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get).array,
                     index=index, dtype="string")


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
    return text_from_codes(codes, ["negotiation", "navigation", "unknown"], calls.index)


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


@dataclass(frozen=True)
class NewClientCoverage:
    """Can the loaded history tell new clients from existing ones for a period?

    ``history_start`` = the first local date of the loaded data; ``first_judgeable`` =
    history_start + lookback_days (a call on an earlier date could be to a client whose last
    contact is before the data begins); ``unknown_calls`` = calls of the period marked
    ``new_unknown``; ``sufficient`` = there are none. ``note(lang)`` says it in one line.
    """

    period: Period
    lookback_days: int
    history_start: dt.date | None
    first_judgeable: dt.date | None
    unknown_calls: int

    @property
    def sufficient(self) -> bool:
        return self.unknown_calls == 0

    def note(self, lang: str = "ru") -> str:
        """Empty when sufficient; else why the new-client metrics of the period are NaN."""
        if self.sufficient:
            return ""
        from callkit.report.labels import date_text, period_text

        p0, p1 = (as_date(d) for d in self.period)
        span = period_text(p0, p1, lang)
        since = date_text(self.history_start, lang) if self.history_start is not None else "—"
        first = date_text(self.first_judgeable, lang) if self.first_judgeable is not None else "—"
        n = self.unknown_calls
        if lang == "en":
            return (f"New clients, {span}: not enough history (the data starts {since}, the "
                    f"look-back is {self.lookback_days} days), {n} calls cannot be judged; the "
                    f"first date that can be judged is {first}. New-client metrics are left empty.")
        from callkit.report.labels import plural

        return (f"Новые клиенты за {span}: истории мало (данные с {since}, глубина проверки "
                f"{self.lookback_days} дн.), {n} {plural(n, ('звонок', 'звонка', 'звонков'))} "
                f"нельзя оценить; первая дата, которую можно оценить, — {first}. "
                f"Показатели по новым клиентам не считаются.")


def _history_start(calls: pd.DataFrame) -> dt.date | None:
    days = local_dates(calls[schema.START].dropna())
    return pd.Timestamp(days.min()).date() if len(days) else None


def new_client_coverage(flagged: pd.DataFrame, *, period: tuple[object, object] | None,
                        lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> NewClientCoverage:
    """The :class:`NewClientCoverage` of a period, from the output of :func:`add_client_flags`
    for the same period and look-back.

    Examples
    --------
    Data from 2026-09-01, period October, look-back 90: first_judgeable 2026-11-30; every
    October call to a number without a September contact is new_unknown → not sufficient.
    """
    _, _, per = period_bounds(flagged, period)
    hist0 = _history_start(flagged)
    judge0 = hist0 + dt.timedelta(days=int(lookback_days)) if hist0 is not None else None
    unknown = 0
    if CLIENT_STATUS in flagged:
        inp = in_period(flagged, per).to_numpy(dtype=bool)
        unknown = int(((flagged[CLIENT_STATUS] == "new_unknown").fillna(False)
                       .to_numpy(dtype=bool) & inp).sum())
    return NewClientCoverage(period=per, lookback_days=int(lookback_days), history_start=hist0,
                             first_judgeable=judge0, unknown_calls=unknown)


def add_client_flags(calls: pd.DataFrame, *, period: tuple[object, object] | None,
                     known_clients: Iterable[str] | pd.Series | pd.DataFrame | None = None,
                     lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> pd.DataFrame:
    """Add the classifier columns: ``in_period``, ``first_contact``, ``client_status``,
    ``is_new_client``, ``call_kind_fallback``.

    A client number is **new** (DESIGN §3) when it has no contact in the ``lookback_days``
    before its first contact in the period and it is not in ``known_clients``: a number last
    called 20 days before is existing, one last called 200 days before counts as new again
    (with the default 90). When the loaded history does not reach back ``lookback_days``
    before that first contact (the data starts later), a number without a contact in the
    history that is there cannot be judged: its calls are ``new_unknown``. A number with a
    contact inside the look-back is existing however short the history is.

    ``client_status`` (``new`` | ``existing`` | ``new_unknown``) and ``is_new_client`` (status
    ``new``) are set on every row of a number that has calls in the period (also its rows
    outside the period); other rows, internal calls and calls without a number get NA and
    False. :func:`new_client_coverage` says whether the period can be judged: the new-client
    metrics of a period with ``new_unknown`` calls are insufficient.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table (all loaded data, history included).
    period : (start, end) or None
        Inclusive local dates; None = the full date range of the data.
    known_clients : iterable of E.164 strings, Series or DataFrame with a ``number`` column
        Existing clients (see :func:`load_known_clients`).
    lookback_days : int
        The look-back (profile ``lookback_days``, default 90).

    Returns
    -------
    DataFrame
        A copy of ``calls`` with the classifier columns appended.

    Examples
    --------
    Data from 2026-09-01, period October, look-back 30: +74950012345 called 2026-09-20 and
    2026-10-05 is existing; +79720123456 first called 2026-10-03 is new (the history covers
    2026-09-03..10-02). With look-back 90 the second is new_unknown: the first date that can be
    judged is 2026-11-30.
    """
    if isinstance(lookback_days, bool) or not isinstance(lookback_days, (int, np.integer)) \
            or lookback_days < 1:
        raise InputError(f"lookback_days is {lookback_days!r}; expected a whole number of days "
                         f">= 1.")
    out = calls.copy(deep=False)   # copy-on-write: new columns never reach the caller's table
    lo, hi, _ = period_bounds(calls, period)
    start = out[schema.START]
    inp = ((start >= lo) & (start < hi)).fillna(False).to_numpy(dtype=bool)
    out[IN_PERIOD] = inp
    num = out[schema.CLIENT_NUMBER]
    ext = out[schema.DIRECTION].isin([schema.INCOMING, schema.OUTGOING]).to_numpy(dtype=bool)
    has_num = num.notna().to_numpy(dtype=bool) & ext
    n = len(out)
    nat = np.iinfo(np.int64).min
    first_ns = np.full(n, nat, dtype=np.int64)
    status = np.full(n, -1, dtype=np.int8)          # -1 NA, 0 new, 1 existing, 2 new_unknown
    tz = getattr(start.dt, "tz", None)
    utc = start.dt.tz_convert("UTC").dt.tz_localize(None) if tz is not None else start
    ns_all = utc.to_numpy(dtype="datetime64[ns]").view(np.int64)
    hist0 = _history_start(out)
    judge0 = hist0 + dt.timedelta(days=int(lookback_days)) if hist0 is not None else None
    if has_num.any():
        s_ns = ns_all[has_num]
        from callkit.metrics._util import text_codes  # (metrics imports us)

        codes = text_codes(num)[has_num]   # any coding: the codes only group the rows
        codes = pd.factorize(codes)[0] if len(codes) else codes
        k = int(codes.max()) + 1
        big = np.iinfo(np.int64).max
        first_ns[has_num] = pd.Series(s_ns).groupby(codes).transform("min").to_numpy()
        # per number: its first contact in the period, its last contact before the period
        ip = inp[has_num]
        first_in = np.full(k, big, dtype=np.int64)
        np.minimum.at(first_in, codes[ip], s_ns[ip])
        before = s_ns < lo.value            # Timestamp.value: UTC nanoseconds when tz-aware
        last_before = np.full(k, nat, dtype=np.int64)
        np.maximum.at(last_before, codes[before], s_ns[before])
        seen = first_in < big
        look = int(lookback_days) * 86_400 * 10**9
        recent = (last_before != nat) & (last_before >= first_in - look)
        # the local date of each number's first contact in the period, against first_judgeable
        fin = pd.Series(pd.DatetimeIndex(np.where(seen, first_in, nat).view("datetime64[ns]"))
                        .tz_localize("UTC"))
        fin = fin.dt.tz_convert(tz) if tz is not None else fin
        fin_day = local_dates(fin)
        judged = fin_day >= np.datetime64(judge0, "D")
        known = _known_set(known_clients)
        is_known = num[has_num].isin(known).fillna(False).to_numpy(dtype=bool) if known \
            else np.zeros(int(has_num.sum()), dtype=bool)
        st_num = np.where(recent, 1, np.where(judged, 0, 2)).astype(np.int8)
        st = np.where(is_known, 1, st_num[codes])
        st = np.where(seen[codes], st, -1).astype(np.int8)
        status[has_num] = st
    first = pd.Series(pd.DatetimeIndex(first_ns.view("datetime64[ns]")).tz_localize("UTC"),
                      index=out.index)
    first = first.dt.tz_convert(tz) if tz is not None else first.dt.tz_localize(None)
    out[FIRST_CONTACT] = first
    out[CLIENT_STATUS] = text_from_codes(status, CLIENT_STATUSES, out.index)
    out[IS_NEW_CLIENT] = status == 0
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
    out = calls.copy(deep=False)   # copy-on-write: new columns never reach the caller's table
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


def _queues(calls: pd.DataFrame, legs: pd.DataFrame | None) -> pd.Series:
    """The queue / ring group number of each call from its legs (NA when none)."""
    out = pd.Series(pd.NA, index=calls.index, dtype="string")
    if legs is None or not len(legs) or "dst" not in legs or schema.CALL_ID not in legs:
        return out
    exts = [legs[schema.EXTENSION].dropna().astype("string").unique()] \
        if schema.EXTENSION in legs else []
    if schema.EXTENSION in calls:
        exts.append(calls[schema.EXTENSION].dropna().astype("string").unique())
    dst = legs["dst"].astype("string").str.strip()
    q = dst.str.fullmatch(r"\d{2,6}").fillna(False).to_numpy(dtype=bool)
    if exts:
        q &= ~dst.isin(pd.Index(np.concatenate([np.asarray(e, dtype=object) for e in exts]))
                       ).fillna(False).to_numpy(dtype=bool)
    if not q.any():
        return out
    t = legs.loc[q, schema.START]
    t = (t.dt.tz_convert("UTC").dt.tz_localize(None) if getattr(t.dt, "tz", None) is not None else t)
    # integer codes of the call ids (calls first), so the lookup below runs on ints
    n = len(calls)
    codes, _ = pd.factorize(pd.concat([calls[schema.CALL_ID].astype("string"),
                                       legs.loc[q, schema.CALL_ID].astype("string")],
                                      ignore_index=True))
    ql = pd.DataFrame({"c": codes[n:], "t": t.to_numpy(dtype="datetime64[ns]"),
                       "q": np.arange(int(q.sum()))})
    first = ql.sort_values("t", kind="stable").drop_duplicates("c")
    pos = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    pos[first["c"].to_numpy()] = first["q"].to_numpy()
    at = pos[codes[:n]]
    qv = dst[q].reset_index(drop=True)
    out = pd.Series(qv.take(np.maximum(at, 0)).to_numpy(), index=calls.index, dtype="string")
    return out.where(at >= 0)


def entry_points(calls: pd.DataFrame, legs: pd.DataFrame | None = None) -> pd.Series:
    """Where each incoming call came in: its queue or ring group, else its line.

    The **queue** is the first leg's called number (by leg start) that is a short internal
    number (2–6 digits) and nobody's extension — Asterisk's ``600`` in ``ext-queues``, a ring
    group, a hunt list; the legs table of :class:`~callkit.io.LoadResult` has it in ``dst``.
    Without legs, or when no leg has one, the entry point is the call's ``line`` (the company
    number dialled). Outgoing and internal calls get NA.

    Examples
    --------
    Legs of a call ``dst`` = 601 (no one's extension), 201 (an agent): entry point ``"601"``.
    """
    inc = (calls[schema.DIRECTION] == schema.INCOMING).fillna(False).to_numpy(dtype=bool)
    entry = _queues(calls, legs)
    if schema.LINE in calls:
        entry = entry.fillna(calls[schema.LINE].astype("string"))
    return entry.where(inc).astype("string")


def _dominant(keys: pd.Series, dep: pd.Series, rows: np.ndarray, min_share: float) -> pd.Series:
    """key -> the department with at least ``min_share`` of the key's rows with a department."""
    kl = pd.DataFrame({"k": keys[rows], "d": dep[rows]}).dropna()
    if not len(kl):
        return pd.Series(dtype="string")
    cnt = kl.groupby(["k", "d"]).size()
    best = cnt[cnt / cnt.groupby(level=0).transform("sum") >= min_share]
    return pd.Series(best.index.get_level_values(1), index=best.index.get_level_values(0),
                     dtype="string")


def add_answering_group(calls: pd.DataFrame, *, legs: pd.DataFrame | None = None,
                        min_share: float = 0.8) -> pd.DataFrame:
    """Add ``entry_point`` and ``answering_group`` to every incoming call.

    The **answering group** is who takes a line's calls (DESIGN §3: a B2B manager cannot help a
    service queue). The rule, in order:

    1. the call's queue or ring group (from the legs, see :func:`entry_points`), else its line,
       belongs to one department — at least ``min_share`` of its incoming calls with a known
       department are that department's (answered by its people, or ringing only them) →
       that department;
    2. a queue that no department dominates (shared by several departments) is a group of its
       own, named by its number (``"600"``): one pool of people serves it;
    3. else the call's own department (who answered it, or the department of everyone it
       rang) — a line shared by departments (a main number with a menu) says nothing;
    4. else ``"(no group)"``.

    Outgoing and internal calls get NA in both columns. The group's people are
    :func:`group_members`.

    Examples
    --------
    Queue 602: 40 incoming answered by Сервис, 2 by Продажи B2B (95 %): a call to 602 that rang
    nobody and one answered by a B2B manager are both in the group "Сервис".
    """
    out = calls.copy(deep=False)   # copy-on-write: new columns never reach the caller's table
    inc = (calls[schema.DIRECTION] == schema.INCOMING).fillna(False).to_numpy(dtype=bool)
    dep = calls[schema.DEPARTMENT].astype("string")
    queue = _queues(calls, legs).where(inc)
    line = (calls[schema.LINE].astype("string") if schema.LINE in calls
            else pd.Series(pd.NA, index=calls.index, dtype="string")).where(inc)
    from callkit.metrics._util import map_text  # Arrow's hash lookup (metrics imports us)

    by_queue = map_text(queue, _dominant(queue, dep, inc, min_share))
    by_line = map_text(line, _dominant(line, dep, inc & queue.isna().to_numpy(), min_share)) \
        .where(queue.isna())
    grp = by_queue.fillna(queue).fillna(by_line).fillna(dep).fillna(NO_GROUP)
    out[ENTRY_POINT] = queue.fillna(line).astype("string")
    out[ANSWERING_GROUP] = grp.where(inc).astype("string")
    return out


def group_members(calls: pd.DataFrame) -> pd.Series:
    """Each employee's answering group (index employee, values group; employees who belong to
    none are left out).

    An employee belongs to the group whose incoming calls they answered most (the people who
    take a group's calls are its pool; ties: the group named first in sort order); an employee
    who answered none belongs to the group named by their department (their most frequent
    department in the calls) when that is a group; otherwise to none. Needs
    ``answering_group`` (:func:`add_answering_group`); without it the groups are computed here
    without legs.

    Examples
    --------
    Ann answered 30 calls of "Сервис" and 2 of "Продажи B2B" → Сервис; Bob (Продажи B2B)
    answered none → Продажи B2B, if that is a group.
    """
    if ANSWERING_GROUP not in calls:
        calls = add_answering_group(calls)
    emp = calls[schema.EMPLOYEE].astype("string")
    has = emp.notna().to_numpy(dtype=bool)
    grp = calls[ANSWERING_GROUP].astype("string")
    ans = answered_by_person(calls).to_numpy() & has & grp.notna().to_numpy(dtype=bool) \
        & (grp != NO_GROUP).fillna(False).to_numpy(dtype=bool)

    code, names = pd.factorize(emp)   # the employees as integer codes, once (-1: none)
    names = pd.Index(np.asarray(names, dtype=object))

    def plurality(rows: np.ndarray, v: pd.Series) -> pd.Series:
        """Each employee's most frequent ``v`` over ``rows`` (ties: the first in sort order),
        sorted by employee: counted on integer codes (metrics.managers' mode per employee;
        pandas' string sorts took seconds on a million legs, a DuckDB group-by of the
        strings 0.13 s)."""
        from callkit.metrics.managers import _mode_codes  # (metrics imports us)

        top = _mode_codes(code[rows], v[rows], names).dropna()
        return top.sort_index() if len(top) else pd.Series(dtype="string")

    home = plurality(ans, grp)
    groups = pd.Index(grp.dropna().unique()).difference([NO_GROUP])
    # the department's group only for those who answered none (10M legs: 1.8 s for everyone)
    rest = has & ~np.isin(code, names.get_indexer(home.index))
    dep = plurality(rest, calls[schema.DEPARTMENT].astype("string"))
    dep = dep[dep.isin(groups)]
    home = pd.concat([home, dep]).sort_index()
    home.index.name = schema.EMPLOYEE
    return home.astype("string").rename(ANSWERING_GROUP)


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
    from callkit.io.text import norm_header, read_table  # the one reader of tables (io imports us)

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: known-clients file not found")
    rows = read_table(path).rows   # missing, empty, binary, unreadable: one-line InputError
    header = [norm_header(c) for c in rows[0]]
    if column is not None:
        if norm_header(column) not in header:
            raise InputError(f"{path}: no column {column!r}; found {rows[0]!r}")
        col, has_header = header.index(norm_header(column)), True
    else:
        named = [i for h in _PHONE_HEADERS for i, c in enumerate(header) if c == h]
        # a bare list of numbers has no header: its first line is a number too
        has_header = bool(named) or not any(ch.isdigit() for ch in "".join(rows[0]))
        col = named[0] if named else 0
    raw = pd.Series([r[col] for r in rows[1 if has_header else 0:] if col < len(r) and r[col].strip()],
                    dtype=object)
    from callkit.numbers import normalize_numbers  # the phone-number module (DESIGN §1)

    norm = normalize_numbers(raw.tolist(), region=region)
    ok = norm["number"].notna() & norm["number"].astype(str).str.startswith("+")
    ok &= norm["number_type"].astype(str) != "invalid"
    nums = norm.loc[ok, "number"].astype(str).drop_duplicates().reset_index(drop=True)
    return nums.rename(schema.CLIENT_NUMBER)
