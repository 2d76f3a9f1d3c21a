"""The Excel workbook of an audit and the separate call-back worklist.

:func:`write_workbook` writes every table of the HTML report as a sheet, after a legend sheet:
headers in the report's language, weekday names, да/нет, real dates and durations, percent
formats, conditional formatting of flags and high-severity findings, the header row and the
name column frozen, an autofilter. Values are those of the audit tables (the ``callkit
metrics`` CSVs), unrounded: one number everywhere. Client numbers are masked unless
``mask=False``; no text from the data can become a formula.

:func:`write_worklist` writes the call-back worklist — the open cases only — as a separate
file for the company's own staff, with full numbers only when asked (the profile's
``worklist_numbers: full``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from callkit import schema
from callkit.masking import is_formula_like, mask_frame
from callkit.profile import Profile
from callkit.report.context import ReportContext, as_frame, frame_of
from callkit.report.format import excel_value, number_format
from callkit.report.labels import column_label, sheet_name, value_label
from callkit.report.labels import text as _t
from callkit.report.tables import (
    coverage_items,
    key_figures,
    kpi_definitions,
    overview_items,
    presence_table,
    problems,
    queue_frames,
    queue_log_sources,
    rules_table,
    speech_calls_table,
    speech_managers_table,
    speech_result,
    speech_snippets_table,
    speech_summary_items,
    worklist,
)

__all__ = ["write_workbook", "write_worklist", "workbook_sheets", "Sheet"]

_RED = "F8D3CF"
_HEAD = "DDE6F0"
#: Boolean columns whose "yes" marks a row for attention (conditional formatting).
_FLAGS = ("flagged", "understaffed", "lost", "profanity_flag")


@dataclass
class Sheet:
    """One sheet: its key (:data:`callkit.report.labels.SHEET_NAMES`), the table, how many
    leading columns stay frozen beside the header, the column whose "yes" (or high severity)
    marks a row, and a line for the legend."""

    key: str
    frame: pd.DataFrame
    freeze: int = 1
    flag: str | None = None
    legend: str = ""
    row_formats: Sequence[str | None] | None = None


def _first(frame: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """``frame`` with ``cols`` (those it has) first: the name column leads, to be frozen."""
    have = [c for c in cols if c in frame.columns]
    return frame.loc[:, have + [c for c in frame.columns if c not in have]]


def _flag_col(frame: pd.DataFrame) -> str | None:
    return next((c for c in _FLAGS if c in frame.columns), None)


def workbook_sheets(audit: Any, ctx: ReportContext) -> list[Sheet]:
    """The workbook's sheets in order (the legend comes first, written by :func:`write_workbook`)."""
    from callkit import plots

    lang = ctx.lang
    L = lambda key: _t(f"sheet_{key}", lang)  # noqa: E731 - the legend line of a sheet
    sheets: list[Sheet] = []
    by_log = queue_log_sources(audit)
    probs = problems(frame_of(audit, "findings"), top=5)
    if not probs.empty:
        summary = pd.DataFrame({
            "rank": range(1, len(probs) + 1),
            "problem": [str(value_label(r, lang)) for r in probs["rule"]],
            "subjects": ["; ".join(str(s) for s in subj) for subj in probs["subjects"]],   # each said in words
            # the cost in its own unit (lost enquiries, client calls, peak hours), never "calls" for all
            "impact": probs["impact"], "impact_unit": probs["impact_unit"], "impact_rub": probs["impact_rub"],
            "n": probs["n"], "n_unit": probs["n_unit"],
            "evidence_n": probs["evidence_n"], "text": probs["text"], "action": probs["action"],
        })
        summary = summary.loc[:, [c for c in summary.columns if not summary[c].isna().all()]]
        sheets.append(Sheet("summary", summary, freeze=2, legend=L("summary")))
    kf = key_figures(ctx)
    if not kf.empty:
        formats = ["0.0%" if k == "share" else "#,##0" for k in kf["kind"]]
        sheets.append(Sheet("key_figures", kf[["label", "current", "previous", "change_rel"]].rename(
            columns={"label": "figure"}), freeze=1,
                            legend=L("key_figures"), row_formats=formats))
    items = overview_items(ctx)
    if items:
        sheets.append(Sheet("period", pd.DataFrame({"label": [k for k, _ in items], "value": [v for _, v in items]}),
                            legend=L("period"), row_formats=["0.0%" if k == _t("missed_rate", lang) else "#,##0"
                                                             for k, _ in items]))
    findings = frame_of(audit, "findings")
    sheets.append(Sheet("findings", _first(findings, ["finding_id", "rule"]), freeze=2, flag="severity",
                        legend=L("findings")))
    evidence = as_frame(getattr(audit, "evidence", None))
    if not evidence.empty:
        sheets.append(Sheet("evidence", evidence, freeze=2, legend=L("evidence")))
    sheets.append(Sheet("managers", _first(frame_of(audit, "managers"), [schema.EMPLOYEE, schema.DEPARTMENT]),
                        freeze=1, legend=L("managers")))
    compare = frame_of(audit, "compare")
    sheets.append(Sheet("comparison", _first(compare, [schema.EMPLOYEE, schema.DEPARTMENT]), freeze=1,
                        flag=_flag_col(compare), legend=L("comparison")))
    pop = as_frame(getattr(audit, "pop", None))
    if not pop.empty:
        sheets.append(Sheet("pop", _first(pop, [schema.EMPLOYEE, schema.DEPARTMENT]), freeze=1, legend=L("pop")))
    missed = frame_of(audit, "missed")
    sheets.append(Sheet("missed", missed, freeze=2, flag=_flag_col(missed), legend=L("missed")))
    if not missed.empty:
        from callkit.report.tables import missed_in_hours

        bins = plots.callback_bins(missed_in_hours(audit))
        bins = bins.assign(delay_bin=[plots.label(f"bin_{b}", lang) for b in bins["bin"]]).drop(columns="bin")
        sheets.append(Sheet("callback_bins", bins[["delay_bin", "calls", "reached"]], legend=L("callback_bins")))
    sheets.append(Sheet("traffic", frame_of(audit, "traffic"), freeze=2, legend=L("traffic")))
    peaks = as_frame(getattr(audit, "peaks", None))
    if not peaks.empty:
        sheets.append(Sheet("peaks", peaks, legend=L("peaks")))
    presence = presence_table(frame_of(audit, "presence"))
    if not presence.empty:
        sheets.append(Sheet("presence", _first(presence, [schema.EMPLOYEE, schema.DEPARTMENT]), legend=L("presence")
                            + (" " + _t("presence_queue_log", lang) if by_log["presence"] else "")))
    staffing = frame_of(audit, "staffing")
    on_line = " " + _t("staffing_queue_log", lang) if by_log["staffing"] else ""
    sheets.append(Sheet("staffing", staffing, freeze=2, flag=_flag_col(staffing), legend=L("staffing") + on_line))
    groups = as_frame(getattr(audit, "groups", None))
    if not groups.empty:
        sheets.append(Sheet("groups", groups, freeze=1, flag=_flag_col(groups), legend=L("groups") + on_line))
    for key, frame in queue_frames(audit).items():   # with a queue_log only
        sheets.append(Sheet(key, frame, freeze=1, legend=L(key)))
    off = as_frame(getattr(audit, "off_hours", None))
    if not off.empty:
        sheets.append(Sheet("off_hours", off, freeze=2, legend=L("off_hours")))
    conc = frame_of(audit, "concentration")
    sheets.append(Sheet("concentration", _first(conc, [schema.EMPLOYEE, schema.DEPARTMENT]), legend=L("concentration")))
    deps = frame_of(audit, "concentration_departments")
    if not deps.empty:
        sheets.append(Sheet("concentration_departments", deps, legend=L("concentration_departments")))
    tech = as_frame(getattr(audit, "tech", None))
    if not tech.empty:
        sheets.append(Sheet("tech", tech, legend=L("tech")))
    res = speech_result(audit)
    if res is not None:
        summary_items = speech_summary_items(res, lang)
        verdict = getattr(getattr(res, "verdict", None), "text", "")
        if verdict:
            summary_items.append((_t("verdict", lang), str(verdict)))
        sheets.append(Sheet("speech_summary", pd.DataFrame({"label": [k for k, _ in summary_items],
                                                            "value": [v for _, v in summary_items]}),
                            legend=L("speech_summary"),
                            row_formats=["0.0%" if isinstance(v, float) else "#,##0" for _, v in summary_items]))
        sheets.append(Sheet("speech_calls", speech_calls_table(res, lang), freeze=2, legend=L("speech_calls")))
        sheets.append(Sheet("speech_snippets", speech_snippets_table(res, lang), freeze=2, legend=L("speech_snippets")))
        sheets.append(Sheet("speech_managers", _first(speech_managers_table(res), [schema.EMPLOYEE, schema.DEPARTMENT]),
                            legend=L("speech_managers")))
    items = coverage_items(ctx)
    speech_load = getattr(audit, "speech_load", None)
    if speech_load is not None:       # the transcript load, as the appendix shows it
        from callkit.speech import views as speech_views

        tl = speech_views.transcript_load_table(speech_load, lang=lang)
        items = items + list(zip(tl["metric"], tl["value"]))
    if items:
        sheets.append(Sheet("coverage", pd.DataFrame({"label": [k for k, _ in items], "value": [v for _, v in items]}),
                            legend=L("coverage")))
    load = getattr(audit, "load", None)
    rejected = as_frame(getattr(getattr(load, "report", load), "rejected", None))
    if not rejected.empty:
        sheets.append(Sheet("rejected", rejected, freeze=2, legend=L("rejected")))
    sheets.append(Sheet("definitions", kpi_definitions(ctx).rename(columns={"plain": "plain_words"}),
                        legend=L("definitions")))
    sheets.append(Sheet("rules", rules_table(lang).rename(columns={"definition": "rule_definition"}),
                        legend=L("rules")))
    return sheets


def _style():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {"bold": Font(bold=True), "head": PatternFill("solid", fgColor=_HEAD),
            "wrap": Alignment(wrap_text=True, vertical="top"), "red": PatternFill("solid", fgColor=_RED)}


def _write_sheet(ws: Any, sheet: Sheet, *, mask: bool, lang: str, style: dict[str, Any]) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    frame = sheet.frame
    data = mask_frame(frame) if mask and len(frame) else frame   # nothing to mask in an empty sheet
    columns = [str(c) for c in data.columns]
    headers = [column_label(c, lang) for c in columns]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c)
        cell.value = _cell_text(h)
        cell.data_type = "s"   # a header from a profile item ('=…') is text, not a formula
        cell.quotePrefix = is_formula_like(h)
        cell.font = style["bold"]
        cell.fill = style["head"]
        cell.alignment = style["wrap"]
    widths = [min(len(h), 28) for h in headers]
    formats = [number_format(c, lang) for c in columns]
    for r, row in enumerate(data.itertuples(index=False, name=None), start=2):
        row_fmt = sheet.row_formats[r - 2] if sheet.row_formats is not None else None
        for c, raw in enumerate(row, start=1):
            col = columns[c - 1]
            v = excel_value(raw, col, lang)
            if isinstance(v, str):
                v = _cell_text(v)
            cell = ws.cell(row=r, column=c)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"   # never a formula, whatever the text starts with
                if is_formula_like(v):
                    cell.quotePrefix = True
                if len(v) > 60:
                    cell.alignment = style["wrap"]
            elif isinstance(v, dt.datetime):
                cell.number_format = "dd.mm.yyyy hh:mm" if lang != "en" else "yyyy-mm-dd hh:mm"
            elif isinstance(v, dt.date):
                cell.number_format = "dd.mm.yyyy" if lang != "en" else "yyyy-mm-dd"
            elif isinstance(v, (int, float)):
                fmt = row_fmt if row_fmt and col in ("current", "previous", "value") else formats[c - 1]
                if col == "change_rel" and row_fmt == "0.0%":
                    fmt = "+0.0%;-0.0%"   # a share's change is in points of a share
                if fmt:
                    cell.number_format = fmt
            shown = 16 if isinstance(v, dt.datetime) else len(str(v)) if v is not None else 0
            widths[c - 1] = max(widths[c - 1], min(shown, 60))
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(w + 2, 62))
    n_rows = len(data) + 1
    if columns:
        ws.freeze_panes = f"{get_column_letter(min(sheet.freeze, len(columns)) + 1)}2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, n_rows)}"
    # conditional formatting: the whole row of a flagged (or high-severity) row is red
    if sheet.flag and sheet.flag in columns and len(data):
        letter = get_column_letter(columns.index(sheet.flag) + 1)
        word = value_label("high" if sheet.flag == "severity" else "yes", lang)
        rng = f"A2:{get_column_letter(len(columns))}{n_rows}"
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f'${letter}2="{word}"'],
                                                       fill=PatternFill("solid", bgColor=_RED)))
    # a bar only where the figures share one unit: roubles (lost enquiries, client calls and
    # hours are never drawn against each other)
    bar = "impact_rub" if "impact_rub" in columns else None
    if bar is not None and len(data):
        from openpyxl.formatting.rule import DataBarRule

        letter = get_column_letter(columns.index(bar) + 1)
        ws.conditional_formatting.add(f"{letter}2:{letter}{n_rows}",
                                      DataBarRule(start_type="num", start_value=0, end_type="max", color="E07B39"))


def _cell_text(text: str) -> str:
    """Text as a worksheet can hold it: the control characters the XML of a workbook cannot
    carry (openpyxl's ``ILLEGAL_CHARACTERS_RE``: a NUL, a bell, a vertical tab in a name from a
    CRM export) each become a space; openpyxl refuses the whole workbook for one of them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(" ", text)


def _legend(ws: Any, rows: Sequence[tuple[str, str]], lang: str, style: dict[str, Any]) -> None:
    ws.cell(row=1, column=1, value=column_label("sheet", lang)).font = style["bold"]
    ws.cell(row=1, column=2, value=column_label("contents", lang)).font = style["bold"]
    for c in (1, 2):
        ws.cell(row=1, column=c).fill = style["head"]
    for r, (name, what) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=_cell_text(name)).data_type = "s"
        cell = ws.cell(row=r, column=2, value=_cell_text(what))
        cell.data_type = "s"
        cell.alignment = style["wrap"]
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    ws.freeze_panes = "A2"


def write_workbook(audit: Any, path: str | Path, *, mask: bool = True, lang: str = "ru",
                   profile: Profile | None = None) -> Path:
    """Write the manager-ready Excel workbook of an audit.

    The first sheet is the legend (what every sheet holds, what the red rows and the number
    formats mean, that numbers are masked); then the summary's problems, the key figures,
    the findings (and their evidence calls when the audit has them), the managers, the
    comparison, the previous period, the missed calls and how soon they were called back,
    the traffic, peak hours, presence at peaks, staffing, concentration, technical signals,
    the speech sheets (with transcripts), the data and loading, the method and the rules —
    every table of the HTML report (:func:`workbook_sheets`).

    Weekdays are names, booleans да/нет, dates real dates, durations real durations
    (``[ч]:мм:сс``), shares percentages; the header row and the name column are frozen;
    flagged rows (a growth zone, a lost call, an understaffed hour) and high-severity findings
    are red by conditional formatting; findings' cost in calls has data bars. Client numbers
    are masked unless ``mask=False``; every text cell is written as a string (text starting
    with ``=``, ``+``, ``-``, ``@`` gets a quote prefix and can never run as a formula).

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
        For the period and thresholds (default: ``audit.profile`` if present).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook

    profile = profile if profile is not None else getattr(audit, "profile", None)
    if not isinstance(profile, Profile):
        profile = None
    ctx = ReportContext(audit=audit, profile=profile, lang=lang, mask=mask)
    sheets = workbook_sheets(audit, ctx)
    wb = Workbook()
    style = _style()
    legend = wb.active
    legend.title = sheet_name("legend", lang)
    rows = [(sheet_name(s.key, lang), s.legend) for s in sheets]
    rows += [("", ""), (_t("legend_colours", lang), _t("legend_colours_text", lang)),
             (_t("legend_formats", lang), _t("legend_formats_text", lang)),
             (_t("legend_numbers", lang), _t("legend_masked" if mask else "legend_unmasked", lang))]
    if profile is not None:
        rows.insert(0, (_t("client", lang), str(profile.client)))
        if profile.period is not None:
            from callkit.report.labels import period_text

            rows.insert(1, (_t("period_label", lang), period_text(profile.period_start, profile.period_end, lang)))
    _legend(legend, rows, lang, style)
    for sheet in sheets:
        _write_sheet(wb.create_sheet(sheet_name(sheet.key, lang)), sheet, mask=mask, lang=lang, style=style)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_worklist(audit: Any, path: str | Path, *, full_numbers: bool = False, lang: str = "ru") -> Path:
    """Write the call-back worklist: the open cases only (:func:`callkit.report.tables.worklist`)
    — number, when the client last called in vain, how many times, who should call back and
    their department — oldest first, with two empty columns for the staff to fill in (when
    called back, the outcome), after a sheet that says what the file is and who may see it.

    It is an internal file for the company's own staff: its numbers are full only with
    ``full_numbers`` (the profile's ``worklist_numbers: full``), masked otherwise.
    """
    from openpyxl import Workbook

    style = _style()
    data = worklist(audit, lang)
    data = data.assign(**{"done_at": pd.Series([None] * len(data), dtype=object),
                          "outcome": pd.Series([None] * len(data), dtype=object)})
    wb = Workbook()
    about = wb.active
    about.title = sheet_name("legend", lang)
    rows = [(sheet_name("worklist", lang), _t("worklist_about", lang, n=len(data))),
            (_t("legend_who", lang), _t("worklist_who", lang)),
            (_t("legend_numbers", lang), _t("worklist_full" if full_numbers else "worklist_masked", lang))]
    _legend(about, rows, lang, style)
    _write_sheet(wb.create_sheet(sheet_name("worklist", lang)), Sheet("worklist", data, freeze=1),
                 mask=not full_numbers, lang=lang, style=style)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
