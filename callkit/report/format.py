"""How a value is shown, in the HTML, the charts and the workbook: counts, shares, durations,
dates, weekdays, yes/no and the codes the data holds (severities, rules, directions…).

Russian writes a decimal comma and a non-breaking space before ``%`` and between thousands
(``1 594``, ``4,5``, ``22,6 %``); English a decimal point (``4.5``, ``22.6%``). A column's unit
is told by its name (DESIGN §5: ``*_s`` seconds, ``*_share`` / ``*_rate`` fractions 0..1).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from callkit.report.labels import column_label, lang_of, subject_text, value_label, weekday

__all__ = ["CHECKLIST_PREFIXES", "CODE_COLUMNS", "is_share", "is_seconds", "is_count", "number", "integer",
           "percent", "duration", "datetime_text", "fmt_value", "number_format", "excel_value", "is_missing"]

CHECKLIST_PREFIXES = ("stage:", "question:", "result:", "term:", "decision_maker:", "advantage:",
                      "material:")
#: Columns whose text values are codes shown through :func:`callkit.report.labels.value_label`.
CODE_COLUMNS = frozenset({"rule", "severity", "signal", "detail", "direction", "status", "number_type", "role",
                          "role_source", "call_kind", "call_result", "kind", "speaker", "format", "encoding",
                          "answering_group", "group", "verdict", "item",
                          "active_source", "presence_source", "impact_unit", "n_unit"})
NBSP = "\u00a0"


def is_share(col: str) -> bool:
    """A fraction 0..1 by its column name (``*_share``, ``*_rate``, checklist items, gaps)."""
    return (col.endswith(("_share", "_rate")) or col.startswith(CHECKLIST_PREFIXES)
            or col in ("gap", "presence", "service_level", "change_rel", "script_score", "talk_ratio",
                       "even_share", "top_share", "top_clients_share"))


def is_seconds(col: str) -> bool:
    """A duration in seconds by its column name (``*_s``, ``*_s_*``)."""
    return col.endswith("_s") or "_s_" in col


_NOT_COUNTS = ("current", "previous", "change", "value", "best", "reference", "erlangs", "mean_per_day",
               "hhi", "hhi_norm", "clients_hhi", "effective_managers", "impact_calls", "impact_rub")


def is_count(col: str) -> bool:
    """A whole count by its column name (not a share, duration, rate or reference value)."""
    return not (is_share(col) or is_seconds(col) or col in _NOT_COUNTS
                or col.endswith(("_per_day", "_per_number", "_per_hour", "_ratio")))


def is_missing(v: Any) -> bool:
    """None, NaN, NaT or NA (a string is never missing)."""
    return v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and bool(pd.isna(v)))


def _localize(text: str, lang: str) -> str:
    if lang_of(lang) == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def number(v: float, lang: str = "ru", decimals: int = 1) -> str:
    """A number with ``decimals`` places, the language's decimal mark and thousands.

    Examples
    --------
    >>> number(4.5), number(1234.56, "en", 2), number(12.0, decimals=0)
    ('4,5', '1,234.56', '12')
    """
    if is_missing(v):
        return "—"
    return _localize(f"{float(v):,.{decimals}f}", lang)


def integer(v: float, lang: str = "ru") -> str:
    """A whole number with thousands (``1 594``)."""
    return number(round(float(v)), lang, 0) if not is_missing(v) else "—"


def percent(v: float, lang: str = "ru", decimals: int = 0) -> str:
    """A fraction as a percentage: ``percent(0.226, decimals=1)`` → ``22,6 %``."""
    if is_missing(v):
        return "—"
    body = number(100 * float(v), lang, decimals)
    return f"{body}%" if lang_of(lang) == "en" else f"{body}{NBSP}%"


def duration(seconds: float, lang: str = "ru") -> str:
    """Seconds as ``м:сс`` (``2:05``) or ``ч:мм:сс`` from an hour on (``1:02:05``)."""
    if is_missing(seconds):
        return "—"
    s = int(round(float(seconds)))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def datetime_text(v: dt.datetime | pd.Timestamp, lang: str = "ru") -> str:
    """A local date and time: ``01.10.2026 09:02`` (ru) / ``2026-10-01 09:02`` (en)."""
    return v.strftime("%Y-%m-%d %H:%M" if lang_of(lang) == "en" else "%d.%m.%Y %H:%M")


def fmt_value(v: Any, col: str, lang: str) -> str:
    """The text of one table cell of column ``col``.

    Examples
    --------
    >>> fmt_value(0.2262, "missed_rate", "ru"), fmt_value(135.0, "talk_s_mean", "ru")
    ('22,6\\xa0%', '2:15')
    >>> fmt_value(2, "weekday", "ru"), fmt_value(True, "flagged", "en"), fmt_value("high", "severity", "ru")
    ('Ср', 'yes', 'высокая')
    """
    if is_missing(v):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return str(value_label(bool(v), lang))
    if isinstance(v, pd.Timestamp | dt.datetime):
        return datetime_text(v, lang)
    if isinstance(v, dt.date):
        return v.isoformat() if lang_of(lang) == "en" else v.strftime("%d.%m.%Y")
    if col == "weekday" and isinstance(v, (int, np.integer, float, np.floating)) and 0 <= int(v) <= 6:
        return weekday(int(v), lang)
    if isinstance(v, str):
        return _text_value(v, col, lang)
    if isinstance(v, (int, np.integer, float, np.floating)):
        f = float(v)
        if math.isinf(f):
            return "∞"
        if is_share(col):
            return percent(f, lang, 1)
        if is_seconds(col):
            return duration(f, lang)
        if f.is_integer() and (is_count(col) or isinstance(v, (int, np.integer))):
            return integer(f, lang)
        if col in ("hhi", "hhi_norm", "clients_hhi"):
            return number(f, lang, 2)
        if col == "impact_rub":
            return integer(f, lang)
        return number(f, lang, 1)
    return str(v)


def number_format(col: str, lang: str) -> str | None:
    """The Excel number format of column ``col`` (None: general)."""
    if is_share(col):
        return "0.0%"
    if is_seconds(col):
        return "[h]:mm:ss"          # the value is written in days (seconds / 86 400)
    if col in ("hhi", "hhi_norm", "clients_hhi"):
        return "0.00"
    if col == "impact_rub":
        return "#,##0"
    if is_count(col):
        return "#,##0"
    return "#,##0.0"


def excel_value(v: Any, col: str, lang: str = "ru") -> Any:
    """A value as the workbook holds it: local datetimes (no time zone), durations in days,
    weekday names, да/нет, codes in words; numbers stay numbers (unrounded)."""
    if is_missing(v):
        return None
    if isinstance(v, pd.Timestamp):
        return (v.tz_localize(None) if v.tzinfo is not None else v).to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, (bool, np.bool_)):
        return str(value_label(bool(v), lang))
    if col == "weekday" and isinstance(v, (int, np.integer, float, np.floating)) and 0 <= int(v) <= 6:
        return weekday(int(v), lang)
    if isinstance(v, np.integer):
        v = int(v)
    elif isinstance(v, np.floating):
        v = float(v)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isinf(v):
            return None
        return v / 86400.0 if is_seconds(col) else v
    if isinstance(v, str):
        return _text_value(v, col, lang)
    if isinstance(v, dt.date):
        return v
    return str(v)


def _text_value(v: str, col: str, lang: str) -> str:
    """A text cell: a subject, a metric's name or a code in words; anything else as it is."""
    if col in ("subject", "subjects"):
        return "; ".join(subject_text(s.strip(), lang) for s in v.split(";"))
    if col == "metric":
        return column_label(v, lang)
    if col in CODE_COLUMNS or col.startswith(CHECKLIST_PREFIXES):
        return str(value_label(v, lang))
    return v
