"""Working hours (DESIGN §3, §4): which calls fall inside them, the working days and hours of
the period, and the traffic outside them.

The profile key ``working_hours`` (default Mon–Fri 09:00–18:00)::

    working_hours:
      days: [mon, tue, wed, thu, fri]     # or Russian пн вт ср чт пт сб вс
      from: "09:00"                       # quote the times (YAML reads 10:00 as a number)
      to: "18:00"                         # "24:00" = until midnight; to > from
      holidays: [2026-11-04]              # dates that are not working days
      workdays: [2026-11-01]              # extra working dates (a moved working Saturday)
      by_day: {sat: {from: "10:00", to: "14:00"}}   # own hours for a day (adds it to days)

A call is **inside working hours** when its local start date is a working date (its weekday is
in ``days`` or ``by_day``, or it is listed in ``workdays``; never a holiday) and its local start
time is in ``[from, to)``: 17:59:59 is inside, 18:00:00 is not. Missed-call, peak, presence and
staffing figures are computed on those calls; the others are off-hours traffic, reported on its
own (:func:`off_hours`, :func:`off_hours_summary`).

A **working day** is a working date of the period on which at least one session started inside
working hours: a working date without a single call is a gap in the export or a holiday missing
from the profile, and does not dilute the per-day means (:func:`silent_working_dates` lists
them).

Everything here is vectorised over the call table.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import ProfileError
from callkit.metrics import _memo

__all__ = [
    "WEEKDAY_KEYS", "WorkingHours", "parse_working_hours", "in_working_hours",
    "working_date_hours", "working_days", "silent_working_dates", "OFF_HOURS_COLUMNS",
    "off_hours", "off_hours_summary", "slot_exposure",
]

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {**{k: i for i, k in enumerate(WEEKDAY_KEYS)},
                    **{k: i for i, k in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
                    **{k: i for i, k in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"))}}
_DAY = 24 * 60

#: off_hours.csv: the traffic columns of traffic.csv, for the calls outside working hours
OFF_HOURS_COLUMNS = ("weekday", "hour", "incoming", "answered", "missed", "missed_rate", "days")

Span = tuple[int, int]   # [from, to) in minutes after local midnight


@dataclass(frozen=True)
class WorkingHours:
    """A working week: per weekday (0 = Monday) the working span in minutes or None.

    Build it with :func:`parse_working_hours` (profile values), :meth:`default` (Mon–Fri
    09:00–18:00) or :meth:`always` (every day round the clock: no working-hours restriction).

    Examples
    --------
    >>> wh = WorkingHours.default()
    >>> wh.spans[0], wh.spans[5]
    ((540, 1080), None)
    """

    spans: tuple[Span | None, ...]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    workday_span: Span = (9 * 60, 18 * 60)

    @classmethod
    def default(cls) -> WorkingHours:
        """Monday to Friday, 09:00–18:00 (DESIGN §4)."""
        return cls(spans=tuple((540, 1080) if d < 5 else None for d in range(7)))

    @classmethod
    def always(cls) -> WorkingHours:
        """Every day 00:00–24:00: every call is inside working hours."""
        return cls(spans=tuple((0, _DAY) for _ in range(7)), workday_span=(0, _DAY))

    @property
    def is_always(self) -> bool:
        return all(s == (0, _DAY) for s in self.spans) and not self.holidays

    def describe(self, lang: str = "ru") -> str:
        """One line for the report: ``Пн–Пт 09:00–18:00, Сб 10:00–14:00; праздники: 2``."""
        names = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс") if lang == "ru" else \
            ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        parts: list[str] = []
        d = 0
        while d < 7:
            span = self.spans[d]
            if span is None:
                d += 1
                continue
            e = d
            while e + 1 < 7 and self.spans[e + 1] == span:
                e += 1
            days = names[d] if e == d else f"{names[d]}–{names[e]}"
            parts.append(f"{days} {_hhmm(span[0])}–{_hhmm(span[1])}")
            d = e + 1
        text = ", ".join(parts) or ("нет рабочих дней" if lang == "ru" else "no working days")
        if self.holidays:
            text += (f"; праздничных дней: {len(self.holidays)}" if lang == "ru"
                     else f"; holidays: {len(self.holidays)}")
        if self.workdays:
            text += (f"; перенесённых рабочих дней: {len(self.workdays)}" if lang == "ru"
                     else f"; extra working dates: {len(self.workdays)}")
        return text

    def date_spans(self, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Working span ``[lo, hi)`` in minutes of each local date (``datetime64[D]``);
        ``lo == hi == 0`` for a day off."""
        days = np.asarray(dates, dtype="datetime64[D]")
        wd = (days.astype(np.int64) + 3) % 7        # 1970-01-01 was a Thursday
        lo_w = np.array([s[0] if s else 0 for s in self.spans], dtype=np.int64)
        hi_w = np.array([s[1] if s else 0 for s in self.spans], dtype=np.int64)
        lo, hi = lo_w[wd], hi_w[wd]
        if self.workdays:
            extra = np.isin(days, np.array(sorted(self.workdays), dtype="datetime64[D]"))
            lo = np.where(extra & (hi == 0), self.workday_span[0], lo)
            hi = np.where(extra & (hi == 0), self.workday_span[1], hi)
        if self.holidays:
            off = np.isin(days, np.array(sorted(self.holidays), dtype="datetime64[D]"))
            lo, hi = np.where(off, 0, lo), np.where(off, 0, hi)
        nat = np.isnat(days)
        return np.where(nat, 0, lo), np.where(nat, 0, hi)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ------------------------------------------------------------------------------------------
# the profile key


def _err(where: str, key: str, msg: str) -> ProfileError:
    return ProfileError(f"{where}: field {key!r} {msg}")


def _time(where: str, key: str, value: Any) -> int:
    """Minutes after midnight from "HH:MM" (or what YAML made of an unquoted 10:00: the number
    600 = 10 x 60, base-60; a bare hour 0..24 is taken as that hour)."""
    if isinstance(value, bool):
        raise _err(where, key, f"has {value!r}; expected a time \"HH:MM\"")
    if isinstance(value, int):
        if 0 <= value <= 24:
            return value * 60
        if 60 <= value <= _DAY:
            return value
        raise _err(where, key, f"has {value!r}; expected a time \"HH:MM\" (quote it)")
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    text = str(value).strip()
    try:
        h, m = text.split(":")
        hh, mm = int(h), int(m)
    except ValueError:
        raise _err(where, key, f"has {value!r}; expected a time \"HH:MM\" like \"09:00\"") from None
    if not (0 <= hh <= 24 and 0 <= mm < 60) or (hh == 24 and mm):
        raise _err(where, key, f"has {value!r}; expected a time from \"00:00\" to \"24:00\"")
    return hh * 60 + mm


def _weekday(where: str, key: str, value: Any) -> int:
    k = str(value).strip().lower()
    if k not in _WEEKDAY_ALIASES:
        raise _err(where, key, f"has {value!r}; expected a weekday: {' '.join(WEEKDAY_KEYS)} "
                               f"(or пн вт ср чт пт сб вс)")
    return _WEEKDAY_ALIASES[k]


def _span(where: str, key: str, lo_raw: Any, hi_raw: Any) -> Span:
    lo = _time(where, f"{key}.from", lo_raw)
    hi = _time(where, f"{key}.to", hi_raw)
    if hi <= lo:
        raise _err(where, key, f"has from {_hhmm(lo)} and to {_hhmm(hi)}; expected 'to' after "
                               f"'from' (a shift past midnight is not supported: end it at "
                               f"\"24:00\")")
    return (lo, hi)


def _dates(where: str, key: str, value: Any) -> frozenset[dt.date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise _err(where, key, f"has {value!r}; expected a list of dates YYYY-MM-DD")
    out = set()
    for i, v in enumerate(value):
        if isinstance(v, dt.datetime):
            out.add(v.date())
        elif isinstance(v, dt.date):
            out.add(v)
        else:
            try:
                out.add(dt.date.fromisoformat(str(v).strip()))
            except ValueError:
                raise _err(where, f"{key}[{i}]", f"has {v!r}; expected a date YYYY-MM-DD") from None
    return frozenset(out)


def parse_working_hours(value: Any, *, where: str = "profile") -> WorkingHours:
    """Validate the profile's ``working_hours`` mapping (None = the default Mon–Fri 09–18).

    Raises
    ------
    ProfileError
        One line naming the field and what was expected, e.g. ``profile: field
        'working_hours.days[1]' has 'fry'; expected a weekday: mon tue wed thu fri sat sun``.

    Examples
    --------
    >>> parse_working_hours({"days": ["mon", "tue"], "from": "10:00", "to": "19:00"}).spans[:3]
    ((600, 1140), (600, 1140), None)
    """
    if value is None:
        return WorkingHours.default()
    key = "working_hours"
    if not isinstance(value, Mapping):
        raise _err(where, key, f"has {value!r}; expected a mapping {{days: [mon, ...], from: "
                               f"\"09:00\", to: \"18:00\", holidays: [...]}}")
    known = {"days", "from", "to", "holidays", "workdays", "by_day"}
    unknown = sorted(set(map(str, value)) - known)
    if unknown:
        raise _err(where, f"{key}.{unknown[0]}", f"is unknown; known fields are {sorted(known)}")
    days_raw = value.get("days", list(WEEKDAY_KEYS[:5]))
    if isinstance(days_raw, str):
        days_raw = [d for d in days_raw.replace(",", " ").split() if d]
    if not isinstance(days_raw, list):
        raise _err(where, f"{key}.days", f"has {days_raw!r}; expected a list of weekdays")
    days = [_weekday(where, f"{key}.days[{i}]", d) for i, d in enumerate(days_raw)]
    span = _span(where, key, value.get("from", "09:00"), value.get("to", "18:00"))
    spans: list[Span | None] = [span if d in days else None for d in range(7)]
    by_day = value.get("by_day") or {}
    if not isinstance(by_day, Mapping):
        raise _err(where, f"{key}.by_day", f"has {by_day!r}; expected a mapping weekday -> "
                                           f"{{from: \"HH:MM\", to: \"HH:MM\"}}")
    for k, v in by_day.items():
        d = _weekday(where, f"{key}.by_day", k)
        if not isinstance(v, Mapping) or "from" not in v or "to" not in v:
            raise _err(where, f"{key}.by_day.{k}", f"has {v!r}; expected {{from: \"HH:MM\", "
                                                   f"to: \"HH:MM\"}}")
        spans[d] = _span(where, f"{key}.by_day.{k}", v["from"], v["to"])
    if not any(spans):
        raise _err(where, f"{key}.days", "lists no working day; expected at least one weekday")
    return WorkingHours(spans=tuple(spans), holidays=_dates(where, f"{key}.holidays",
                                                            value.get("holidays")),
                        workdays=_dates(where, f"{key}.workdays", value.get("workdays")),
                        workday_span=span)


# ------------------------------------------------------------------------------------------
# calls inside working hours


def _local(times: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Local dates (datetime64[D]) and minutes after local midnight of tz-aware times."""
    naive = times.dt.tz_localize(None) if getattr(times.dt, "tz", None) is not None else times
    v = naive.to_numpy(dtype="datetime64[ns]")
    day = v.astype("datetime64[D]")
    minute = (v - day).astype("timedelta64[m]").astype(np.int64)
    return day, minute


def _wh(working_hours: WorkingHours | None) -> WorkingHours:
    return WorkingHours.always() if working_hours is None else working_hours


def _start_key(start: pd.Series) -> tuple[str, np.ndarray] | None:
    arr = start.array
    if not isinstance(arr, pd.arrays.DatetimeArray):
        return None
    return str(getattr(start.dt, "tz", None)), arr.as_unit("ns").asi8


def in_working_hours(calls: pd.DataFrame, working_hours: WorkingHours | None) -> np.ndarray:
    """Boolean array: the session starts inside working hours (None = always True).

    Examples
    --------
    Default hours: Monday 17:59 → True, Monday 18:00 → False, Saturday 11:00 → False, a
    holiday Monday 10:00 → False.
    """
    start = calls[schema.START]
    if working_hours is None or working_hours.is_always:
        return start.notna().to_numpy(dtype=bool)
    # an audit asks a dozen times about the same start times (traffic, peaks, presence,
    # missed calls, staffing…): inside metrics._memo.remembered the answer is kept
    kept = _memo.entries("working_hours")
    key = _start_key(start) if kept is not None else None
    if key is not None:
        for tz, values, wh, answer in kept:
            if tz == key[0] and wh == working_hours and len(values) == len(key[1]) \
                    and np.array_equal(values, key[1]):
                return answer.copy()
    day, minute = _local(start)
    lo, hi = working_hours.date_spans(day)
    answer = ~np.isnat(day) & (minute >= lo) & (minute < hi)
    if key is not None:
        _memo.keep("working_hours", (key[0], key[1].copy(), working_hours, answer.copy()))
    return answer


def _period_dates(calls: pd.DataFrame, period: tuple[object, object] | None) -> np.ndarray:
    from callkit.classify import period_bounds  # classify imports the metrics helpers

    _, _, (p0, p1) = period_bounds(calls, period)
    return np.arange(np.datetime64(p0, "D"), np.datetime64(p1, "D") + 1)


def _in_period(calls: pd.DataFrame, period: tuple[object, object] | None) -> np.ndarray:
    from callkit.metrics._util import period_mask

    return period_mask(calls, period)


def _resolved_period(calls: pd.DataFrame, period: tuple[object, object] | None
                     ) -> tuple[object, object] | None:
    """The period to use: ``period``, else the dates of the in-period rows, else all data."""
    if period is not None:
        return period
    from callkit import classify

    if classify.IN_PERIOD in calls and calls[classify.IN_PERIOD].any():
        d = _local(calls.loc[calls[classify.IN_PERIOD].fillna(False).astype(bool),
                             schema.START].dropna())[0]
        return (pd.Timestamp(d.min()).date(), pd.Timestamp(d.max()).date())
    return None


def working_date_hours(calls: pd.DataFrame, *, working_hours: WorkingHours | None = None,
                       period: tuple[object, object] | None = None,
                       only_days_with_calls: bool = True) -> pd.DataFrame:
    """Every working date-hour of the period: ``date, weekday, hour, minutes`` (the working
    minutes of that hour, 1..60).

    With ``only_days_with_calls`` (the default) only the :func:`working_days` dates are listed
    (a working date with at least one session inside its working hours).

    Examples
    --------
    Default hours, a period of one Monday with calls: 9 rows, hours 9..17, 60 minutes each.
    """
    wh = _wh(working_hours)
    per = _resolved_period(calls, period)
    dates = _period_dates(calls, per)
    if only_days_with_calls:
        inp = _in_period(calls, per) & in_working_hours(calls, wh)
        with_calls = np.unique(_local(calls.loc[inp, schema.START])[0])
        dates = dates[np.isin(dates, with_calls)]
    lo, hi = wh.date_spans(dates)
    hours = np.arange(24, dtype=np.int64)
    a = np.clip(np.minimum(hi[:, None], (hours + 1) * 60) - np.maximum(lo[:, None], hours * 60),
                0, 60)
    di, hi_ = np.nonzero(a > 0)
    d = dates[di]
    return pd.DataFrame({"date": d, "weekday": ((d.astype(np.int64) + 3) % 7).astype(np.int64),
                         "hour": hours[hi_], "minutes": a[di, hi_].astype(np.int64)})


def working_days(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                 working_hours: WorkingHours | None = None) -> pd.Series:
    """Working days per weekday (index 0=Mon..6, name ``days``): the working dates of the
    period with at least one session inside working hours.

    ``working_hours=None`` counts every date of the period with any call (no restriction).

    Examples
    --------
    Default hours over a period with calls on Mon 5, Tue 6 and Sat 10 October: Mon 1, Tue 1,
    Sat 0 (not a working day).
    """
    wdh = working_date_hours(calls, working_hours=working_hours, period=period)
    dates = pd.Series(wdh["date"].unique())
    wd = (dates.to_numpy().astype("datetime64[D]").astype(np.int64) + 3) % 7
    return pd.Series(wd).value_counts().reindex(range(7), fill_value=0).astype(np.int64) \
        .rename("days")


def silent_working_dates(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                         working_hours: WorkingHours | None = None) -> list[dt.date]:
    """Working dates of the period without a single session inside working hours (a gap in the
    export or a holiday the profile does not list); they are not counted as working days."""
    per = _resolved_period(calls, period)
    every = working_date_hours(calls, working_hours=working_hours, period=per,
                               only_days_with_calls=False)
    worked = working_date_hours(calls, working_hours=working_hours, period=per)
    silent = np.setdiff1d(every["date"].unique(), worked["date"].unique())
    return [pd.Timestamp(d).date() for d in silent]


def slot_exposure(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                  working_hours: WorkingHours | None = None) -> pd.DataFrame:
    """Per weekday × hour slot inside working hours: ``days`` (working days on which the slot
    is working) and ``hours`` (the working time of the slot summed over them, in hours: the
    denominator of calls per hour — an hour worked from 17:30 counts 0.5).

    Examples
    --------
    Hours 09:00–17:30 on two Mondays: slot (0, 17) has days 2, hours 1.0.
    """
    wdh = working_date_hours(calls, working_hours=working_hours, period=period)
    g = wdh.groupby(["weekday", "hour"]).agg(days=("date", "size"), hours=("minutes", "sum"))
    g["hours"] = g["hours"] / 60.0
    return g.reset_index().astype({"weekday": np.int64, "hour": np.int64, "days": np.int64})


# ------------------------------------------------------------------------------------------
# off-hours traffic


def off_hours(calls: pd.DataFrame, *, working_hours: WorkingHours | None,
              period: tuple[object, object] | None = None) -> pd.DataFrame:
    """Incoming external sessions outside working hours, by weekday × local start hour.

    Returns
    -------
    DataFrame
        :data:`OFF_HOURS_COLUMNS`, only slots with calls: ``incoming`` (offered), ``answered``
        (by a person), ``missed`` (= incoming − answered), ``missed_rate``, ``days`` = dates of
        that weekday in the period with any session. Sorted by weekday and hour. Empty when
        ``working_hours`` is None (everything is inside).

    Examples
    --------
    Default hours; Monday 18:00 a missed call, Saturday 11:00 an answered one → rows (0, 18)
    incoming 1 missed 1 and (5, 11) incoming 1 answered 1.
    """
    from callkit.metrics._util import masks, slot_frame

    inp = _in_period(calls, period)
    m = masks(calls)
    sel = inp & m["incoming"] & ~in_working_hours(calls, working_hours)
    sf = slot_frame(calls.loc[sel, schema.START])
    sf["answered"] = m["answered"][sel]
    g = sf.groupby(["weekday", "hour"]).agg(incoming=("answered", "size"),
                                            answered=("answered", "sum")).astype(np.int64)
    g["missed"] = g["incoming"] - g["answered"]
    g["missed_rate"] = g["missed"] / g["incoming"].where(g["incoming"] > 0)
    days_any = pd.Series(pd.unique(slot_frame(calls.loc[inp, schema.START])["date"]))
    wd = (days_any.to_numpy().astype("datetime64[D]").astype(np.int64) + 3) % 7
    per_wd = pd.Series(wd).value_counts().reindex(range(7), fill_value=0)
    out = g.reset_index()
    out["days"] = out["weekday"].map(per_wd).fillna(0).astype(np.int64)
    out = out.astype({"weekday": np.int64, "hour": np.int64})
    return out.loc[:, list(OFF_HOURS_COLUMNS)].sort_values(["weekday", "hour"]) \
        .reset_index(drop=True)


def off_hours_summary(off: pd.DataFrame, missed: pd.DataFrame | None = None) -> dict[str, int]:
    """The headline of off-hours traffic: ``calls`` (incoming outside working hours),
    ``missed`` (of them not answered by a person) and, with the :func:`missed_calls` table
    (its ``in_hours`` column), ``lost`` (of the missed, not called back in the window nor
    reached)."""
    out = {"calls": int(off["incoming"].sum()), "missed": int(off["missed"].sum())}
    if missed is not None and "in_hours" in missed:
        oh = ~missed["in_hours"].astype(bool)
        out["lost"] = int((oh & missed["lost"].astype(bool)).sum())
    return out
