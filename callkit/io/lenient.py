"""Repairs for exports that a web page, a database tool or a spreadsheet wrote carelessly.

FORMATS.md §7.3: the FreePBX "CDR Reports" download and Bicom PBXware put a clid such as
``"User 10" <114>`` or ``""Name, Surname" <1115>"`` into a CSV without escaping its quotes;
database tools write ``NULL`` (or ``\\N``) for an empty field; a spreadsheet re-saves dates as
``1/10/2026 9:05:00`` (day or month first — only the data can tell) and adds a trailing
delimiter to every line. Each helper here fixes one of these without guessing beyond what the
data shows: when the data cannot decide, the caller gets a note to put in the load report.
"""
from __future__ import annotations

import csv
import re

import pandas as pd

__all__ = ["split_record", "record_fields", "blank_nulls", "NULL_LITERALS", "SLASH_DATE",
           "slash_date_order", "slash_dates_to_iso", "uniqueid_epochs"]

#: Cell values that mean "no value" in database exports.
NULL_LITERALS = frozenset({"NULL", "\\N"})

#: ``D/M/YYYY H:MM[:SS]`` or ``M/D/YY H:MM`` — the order of day and month is not in the text.
SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                        r"(?:\s*([AaPp][Mm]))?)?\s*$")
_ESCAPED = re.compile(r'^(?:[^"]|"")*$')   # quotes only as doubled pairs: proper CSV escaping
_UNIQ = re.compile(r"^(?:[\w.-]+-)?(\d{9,10})\.\d+$")


def _csv_split(text: str, delim: str) -> list[str]:
    try:
        return next(csv.reader([text], delimiter=delim))
    except (csv.Error, StopIteration):
        return []


def split_record(text: str, delim: str, width: int) -> list[str] | None:
    """Split one record into exactly ``width`` fields, tolerating unescaped quotes.

    First the ordinary CSV rules. When they give another count, fields are re-split by the rule
    such exports follow: a field that starts with ``"`` is quoted and ends at a ``"`` followed by
    the delimiter (or the end of the line) — its inner quotes are part of the value; or, when no
    such end gives the right count, it is an unquoted value that happens to start with a quote
    (``"User 10" <114>``). The first split (left to right) with ``width`` fields wins; None when
    there is none.

    Examples
    --------
    >>> split_record('1,""Smith, J" <103>",103', ",", 3)
    ['1', '"Smith, J" <103>', '103']
    >>> split_record('1,""A, B" <114>",114,"SIP/114,20"', ",", 4)
    ['1', '"A, B" <114>', '114', 'SIP/114,20']
    """
    text = text.rstrip("\r\n")
    first = _csv_split(text, delim)
    if len(first) == width:
        return first
    n = len(text)
    out: list[str] = []
    budget = [4096]   # bound the search on pathological lines

    def field_end(pos: int) -> int:
        j = text.find(delim, pos)
        return n if j < 0 else j

    def walk(pos: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if len(out) == width:
            return pos > n
        if pos > n:
            return False
        if pos < n and text[pos] == '"':
            # quoted: every '"' followed by the delimiter (or the end) is a candidate end
            j = pos + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    break
                if j + 1 == n or text.startswith(delim, j + 1):
                    inner = text[pos + 1:j]
                    out.append(inner.replace('""', '"') if _ESCAPED.match(inner) else inner)
                    if walk(j + 1 + len(delim)):
                        return True
                    out.pop()
                j += 1
        end = field_end(pos)
        out.append(text[pos:end])
        if walk(end + len(delim)):
            return True
        out.pop()
        return False

    return list(out) if walk(0) else None


def record_fields(table, i: int, width: int) -> list[str] | None:
    """Record ``i`` of a :class:`~callkit.io.text.RawTable` as ``width`` fields.

    In this order: its CSV fields when they count ``width``; its raw text re-split by
    :func:`split_record` (unescaped quotes); its CSV fields less one trailing empty field (the
    spreadsheet's trailing delimiter). None when none of these gives ``width`` fields.
    """
    r = list(table.rows[i])
    if len(r) == width:
        return r
    raw = table.raw(i)
    if "\n" not in raw and "\r" not in raw:   # else the CSV reader joined lines: not ours to re-split
        s = split_record(raw, table.delimiter, width)
        if s is not None:
            return s
        s = split_record(raw, table.delimiter, width + 1)
        if s is not None and not s[-1].strip():
            return s[:-1]
    if len(r) == width + 1 and not r[-1].strip():
        return r[:-1]
    return None


def blank_nulls(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Replace ``NULL``/``\\N`` cells with empty strings; return the frame and how many."""
    out = df.copy()
    count = 0
    for c in out.columns:
        hit = out[c].isin(list(NULL_LITERALS))
        if hit.any():
            count += int(hit.sum())
            out[c] = out[c].where(~hit, "")
    return out, count


def uniqueid_epochs(values: pd.Series) -> pd.Series:
    """The Unix seconds at the start of an Asterisk uniqueid (``1790838000.12``,
    ``server-1790838000.12``); NaN where the value is not one."""
    m = values.astype("string").str.extract(_UNIQ, expand=False)
    return pd.to_numeric(m, errors="coerce")


def _parts(values: pd.Series) -> pd.DataFrame:
    return values.astype("string").str.extract(SLASH_DATE)


def slash_date_order(values: pd.Series, *, tz: str, epochs: pd.Series | None = None,
                     default: str = "dmy") -> tuple[str, str]:
    """Whether slash dates are day first (``"dmy"``) or month first (``"mdy"``), and why.

    Decided by the data: a first number above 12 means day first, a second number above 12
    month first; when every value fits both, the date of the record's uniqueid clock (Unix
    seconds, ``epochs``) picks the order that agrees with it for more records. Only when nothing
    tells does ``default`` apply, and the reason says so (put it in the load report).

    Examples
    --------
    >>> slash_date_order(pd.Series(["1/10/2026 9:00", "13/10/2026 9:00"]), tz="UTC")
    ('dmy', 'a day above 12 in the first place (13/10/2026 9:00)')
    """
    p = _parts(values)
    a = pd.to_numeric(p[0], errors="coerce")
    b = pd.to_numeric(p[1], errors="coerce")
    if (a > 12).any():
        return "dmy", f"a day above 12 in the first place ({values[a > 12].iloc[0]})"
    if (b > 12).any():
        return "mdy", f"a day above 12 in the second place ({values[b > 12].iloc[0]})"
    if epochs is not None:
        e = pd.to_numeric(epochs, errors="coerce").reindex(values.index)
        ok = e.notna() & a.notna()
        if ok.any():
            local = pd.to_datetime(e[ok], unit="s", utc=True).dt.tz_convert(tz)
            day, month = local.dt.day.to_numpy(), local.dt.month.to_numpy()
            dmy = int(((a[ok].to_numpy() == day) & (b[ok].to_numpy() == month)).sum())
            mdy = int(((a[ok].to_numpy() == month) & (b[ok].to_numpy() == day)).sum())
            if dmy != mdy:
                order = "dmy" if dmy > mdy else "mdy"
                return order, f"the uniqueid clock agrees with it for {max(dmy, mdy)} of {int(ok.sum())} records"
    return default, ("no value tells day from month (every day is 12 or less and no uniqueid clock): "
                     f"taken as {'day' if default == 'dmy' else 'month'} first — check with the client")


def slash_dates_to_iso(values: pd.Series, order: str) -> pd.Series:
    """``1/10/2026 9:05`` → ``2026-10-01 09:05:00`` (``order`` from :func:`slash_date_order`);
    two-digit years are 20xx; ``AM``/``PM`` honoured; other values are returned unchanged."""
    p = _parts(values)
    ok = p[0].notna()
    if not ok.any():
        return values
    a = pd.to_numeric(p[0], errors="coerce")
    b = pd.to_numeric(p[1], errors="coerce")
    day, month = (a, b) if order == "dmy" else (b, a)
    year = pd.to_numeric(p[2], errors="coerce")
    year = year.where(year >= 100, year + 2000)
    hour = pd.to_numeric(p[3], errors="coerce").fillna(0)
    ampm = p[6].str.upper()
    hour = hour.where(~(ampm == "PM").fillna(False) | (hour == 12), hour + 12)
    hour = hour.where(~((ampm == "AM").fillna(False) & (hour == 12)), 0)
    minute = pd.to_numeric(p[4], errors="coerce").fillna(0)
    sec = pd.to_numeric(p[5], errors="coerce").fillna(0)

    def z(s: pd.Series, w: int) -> pd.Series:
        return s.astype("Int64").astype("string").str.zfill(w)
    iso = (z(year, 4) + "-" + z(month, 2) + "-" + z(day, 2) + " " + z(hour, 2) + ":" + z(minute, 2)
           + ":" + z(sec, 2))
    out = values.astype("object").copy()
    out[ok] = iso[ok].to_numpy(dtype=object)
    return out
