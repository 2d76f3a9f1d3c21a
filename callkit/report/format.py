"""How a value is shown: counts, shares, seconds, dates, weekdays, yes/no — in HTML and Excel."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from callkit import plots

__all__ = ["CHECKLIST_PREFIXES", "is_share", "is_seconds", "is_count", "fmt_value", "number_format"]

CHECKLIST_PREFIXES = ("stage:", "question:", "result:", "term:", "decision_maker:", "advantage:",
                       "material:")


def is_share(col: str) -> bool:
    return (col.endswith(("_share", "_rate")) or col.startswith(CHECKLIST_PREFIXES)
            or col in ("gap", "presence", "service_level", "change_rel", "script_score", "talk_ratio"))


def is_seconds(col: str) -> bool:
    return col.endswith("_s") or "_s_" in col


_NOT_COUNTS = ("current", "previous", "change", "value", "best", "reference", "erlangs", "mean_per_day")


def is_count(col: str) -> bool:
    return not (is_share(col) or is_seconds(col) or col in _NOT_COUNTS
                or col.endswith(("_per_day", "_per_number", "_per_hour", "_ratio")))


def fmt_value(v: Any, col: str, lang: str) -> str:
    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return ("да" if v else "нет") if lang != "en" else ("yes" if v else "no")
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if col == "weekday" and isinstance(v, (int, np.integer, float, np.floating)) and 0 <= int(v) <= 6:
        return plots.WEEKDAYS["en" if lang == "en" else "ru"][int(v)]
    if isinstance(v, (float, np.floating)) and float(v).is_integer() and is_count(col):
        v = int(v)  # a count stored as float (after a merge or a sum) reads as a count
    if isinstance(v, (int, np.integer)) and not is_share(col):
        return f"{int(v):,}".replace(",", "\u00a0")
    if isinstance(v, (float, np.floating)):
        if is_share(col):
            text = f"{v:.1%}".replace("%", "\u00a0%")
        elif is_seconds(col):
            text = f"{v:,.0f}".replace(",", "\u00a0")
        else:
            text = f"{v:,.2f}".replace(",", "\u00a0")
        return text.replace(".", ",") if lang != "en" else text
    return str(v)


def number_format(col: str, lang: str) -> str | None:
    if is_share(col):
        return "0.0%"
    if is_seconds(col):
        return '#,##0" с"' if lang != "en" else '#,##0" s"'
    return None
