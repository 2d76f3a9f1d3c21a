"""The Excel workbook of an audit: one sheet per table, localized headers, formats, masking."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit.masking import is_formula_like, mask_frame
from callkit.profile import Profile
from callkit.report.context import ReportContext, frame_of
from callkit.report.format import number_format
from callkit.report.labels import SHEET_NAMES, column_label
from callkit.report.labels import text as _t
from callkit.report.tables import (
    call_back_table,
    overview_items,
    speech_calls_table,
    speech_managers_table,
    speech_result,
    speech_snippets_table,
)

__all__ = ["write_workbook"]


def _sheet_frames(audit: Any, ctx: ReportContext) -> dict[str, pd.DataFrame]:
    items = overview_items(ctx)
    prof = ctx.profile
    if prof is not None:
        head: list[tuple[str, Any]] = [(_t("client", ctx.lang), prof.client)]
        if prof.period is not None:
            head.append((_t("period_label", ctx.lang), f"{prof.period_start} — {prof.period_end}"))
        items = head + items
    summary = pd.DataFrame({"item": [k for k, _ in items], "value": [v for _, v in items]})
    frames: dict[str, pd.DataFrame] = {
        "summary": summary,
        "managers": frame_of(audit, "managers"),
        "comparison": frame_of(audit, "compare"),
        "callback": call_back_table(audit),
        "traffic": frame_of(audit, "traffic"),
        "staffing": frame_of(audit, "staffing"),
        "concentration": frame_of(audit, "concentration"),
        "findings": frame_of(audit, "findings"),
    }
    res = speech_result(audit)
    if res is not None:
        frames["speech_calls"] = speech_calls_table(res, ctx.lang)
        frames["speech_snippets"] = speech_snippets_table(res, ctx.lang)
        frames["speech_managers"] = speech_managers_table(res)
    return frames


def _excel_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Timestamp):
        if pd.isna(v):
            return None
        return (v.tz_localize(None) if v.tzinfo is not None else v).to_pydatetime()
    if not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v):
        return None
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, (str, bool, int, float, dt.datetime, dt.date)):
        return v
    return str(v)


def write_workbook(audit: Any, path: str | Path, *, mask: bool = True, lang: str = "ru",
                   profile: Profile | None = None) -> Path:
    """Write the manager-ready Excel workbook of an audit.

    Sheets (names in ``lang``, see :data:`SHEET_NAMES`): summary, managers, comparison,
    missed-to-call-back, traffic, staffing, findings; when the audit has speech results
    (``audit.speech``, a ``callkit.speech.SpeechResult``) also speech calls (one row per
    transcribed call, with what it lacked), speech snippets (every checklist hit with its
    second and a masked snippet) and speech managers (compliance per manager: script,
    result, decision makers, advantages, materials, every checklist item). Each has a bold frozen header with an
    autofilter, column widths fitted to the content, percent format for shares, ``с``/``s``
    suffix for seconds, dates as dates; flagged comparison rows are filled red. Client numbers
    are masked unless ``mask=False``; every text cell is written as a string (text starting
    with ``=``, ``+``, ``-``, ``@`` gets a quote prefix and can never run as a formula).
    Values are those of the audit tables (the ``callkit metrics`` CSVs), unrounded.

    Parameters
    ----------
    audit : Audit
        With ``managers``, ``compare``, ``missed``, ``traffic``, ``staffing``, ``findings``,
        ``calls`` tables (missing ones give empty sheets).
    path : path
        The ``.xlsx`` file to write (its folder is created).
    mask : bool, default True
    lang : {"ru", "en"}
    profile : Profile, optional
        For the summary's period and thresholds (default: ``audit.profile`` if present).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    profile = profile if profile is not None else getattr(audit, "profile", None)
    if not isinstance(profile, Profile):
        profile = None
    ctx = ReportContext(audit=audit, profile=profile, lang=lang, mask=mask)
    frames = _sheet_frames(audit, ctx)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE6F0")
    flag_fill = PatternFill("solid", fgColor="F8D3CF")
    for key, frame in frames.items():
        ws = wb.create_sheet(SHEET_NAMES[key][1 if lang == "en" else 0])
        data = mask_frame(frame) if mask and len(frame) else frame   # nothing to mask in an empty sheet
        if key == "summary":
            headers = [_t("item", lang), _t("value", lang)]
        else:
            headers = [column_label(str(c), lang) for c in data.columns]
        for c, h in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c)
            cell.value = h
            cell.data_type = "s"   # a header from a profile item ('=…') is text, not a formula
            cell.quotePrefix = is_formula_like(h)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(h) for h in headers]
        formats = [number_format(str(c), lang) for c in data.columns]
        if key == "summary":
            rate_label = _t("missed_rate", lang)
            formats = [None, None]
        flagged = (data["flagged"].fillna(False).astype(bool).tolist() if key == "comparison" and "flagged" in data
                   else [False] * len(data))
        for r, (row, fl) in enumerate(zip(data.itertuples(index=False, name=None), flagged), start=2):
            for c, raw in enumerate(row, start=1):
                v = _excel_value(raw)
                cell = ws.cell(row=r, column=c)
                cell.value = v
                if isinstance(v, str):
                    cell.data_type = "s"   # never a formula, whatever the text starts with
                    if is_formula_like(v):
                        cell.quotePrefix = True
                elif isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(v, float) and formats[c - 1]:
                    cell.number_format = formats[c - 1]
                elif isinstance(v, float):
                    cell.number_format = "0.00"
                if key == "summary" and c == 2 and row[0] == rate_label and isinstance(v, float):
                    cell.number_format = "0.0%"
                if fl:
                    cell.fill = flag_fill
                shown = 16 if isinstance(v, dt.datetime) else len(str(v)) if v is not None else 0
                widths[c - 1] = max(widths[c - 1], min(shown, 60))
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = max(8, min(w + 2, 62))
        ws.freeze_panes = "A2"
        if data.shape[1]:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(data) + 1)}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
