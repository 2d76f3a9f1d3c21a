"""The report's sections: each returns the display objects of one section of the audit notebook."""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from callkit import plots, schema
from callkit.masking import mask_text
from callkit.report.context import ReportContext, as_frame, calls_in_period, frame_of
from callkit.report.format import CHECKLIST_PREFIXES, fmt_value
from callkit.report.html import CSS, chart, heading, md_escape, note, table
from callkit.report.labels import SHEET_NAMES, column_label, speech_value
from callkit.report.labels import text as _t
from callkit.report.tables import (
    active_managers,
    call_back_table,
    concentration_tables,
    kpi_definitions,
    overview_items,
    pairs,
    pop_table,
    presence_table,
    speech_managers_table,
    speech_result,
    speech_summary_items,
)

__all__ = ["section_title", "section_coverage", "section_overview", "section_managers", "section_compare",
           "section_activity", "section_number_types", "section_repeat", "section_traffic", "section_presence",
           "section_concentration", "section_missed", "section_staffing", "section_tech", "section_speech",
           "section_findings", "section_kpi", "export_workbook"]


def section_title(ctx: ReportContext) -> list[Any]:
    """The report's title, period and masking note (plus the table style)."""
    from IPython.display import HTML, Markdown

    prof = ctx.profile
    client = prof.client if prof is not None else ""
    out = [HTML(CSS), Markdown("# " + _t("title", ctx.lang, client=md_escape(str(client))))]
    if prof is not None and prof.period is not None:
        out.append(Markdown(_t("period", ctx.lang, start=prof.period_start, end=prof.period_end)))
    if ctx.mask:
        out.append(note(_t("masked_note", ctx.lang)))
    return out


def section_coverage(ctx: ReportContext) -> list[Any]:
    """Data coverage and the load report: rows read/loaded/rejected, format, date span."""
    out: list[Any] = [heading("coverage", ctx.lang)]
    load = getattr(ctx.audit, "load", None)
    rep = getattr(load, "report", load)
    items: list[tuple[str, Any]] = []
    if rep is not None:
        for key in ("format", "encoding", "rows_read", "rows_loaded", "rows_rejected", "duplicates", "sessions"):
            if hasattr(rep, key):
                items.append((_t(key, ctx.lang), getattr(rep, key)))
        files = getattr(rep, "files", None)
        if files:
            items.insert(0, (_t("files", ctx.lang), ", ".join(Path(str(f)).name for f in files)))
    calls = frame_of(ctx.audit, "calls")
    if not calls.empty and schema.START in calls:
        items.append((_t("first_call", ctx.lang), calls[schema.START].min()))
        items.append((_t("last_call", ctx.lang), calls[schema.START].max()))
    if not items:
        return out + [note(_t("no_data", ctx.lang))] + _transcript_load(ctx)
    out.append(table(pairs(items, ctx), ctx))
    notes = rep.notes_in(ctx.lang) if hasattr(rep, "notes_in") else list(getattr(rep, "notes", []) or [])
    if notes:   # a loader note may quote a source value (a number it could not read)
        text = "; ".join(str(mask_text(str(n)) if ctx.mask else n) for n in notes)
        out.append(note(_t("notes", ctx.lang) + ": " + text))
    rejected = as_frame(getattr(rep, "rejected", None))
    if not rejected.empty:
        n = min(10, len(rejected))
        out.append(note(_t("rejected_rows", ctx.lang, n=n)))
        out.append(table(rejected.head(n), ctx))
    return out + _transcript_load(ctx)


def _transcript_load(ctx: ReportContext) -> list[Any]:
    """The transcript load (read, loaded, rejected with line and reason, matched to calls)."""
    speech_load = getattr(ctx.audit, "speech_load", None)
    if speech_load is None:
        return []
    from callkit.speech import views as speech_views

    tl = speech_views.transcript_load_table(speech_load, lang=ctx.lang)
    out = [table(pairs(list(zip(tl["metric"], tl["value"])), ctx), ctx)]
    bad = speech_views.transcript_rejected_table(speech_load, lang=ctx.lang, mask_numbers=ctx.mask)
    if not bad.empty:
        out.append(table(bad, ctx))
    return out


def section_overview(ctx: ReportContext) -> list[Any]:
    """The company at a glance: calls, incoming and missed, managers, lost calls, growth zones."""
    out: list[Any] = [heading("overview", ctx.lang)]
    items = overview_items(ctx)
    if not items:
        return out + [note(_t("no_data", ctx.lang))]
    # shares are formatted by column name: give the missed rate its own percent formatting
    tab = pairs(items, ctx)
    tab[_t("value", ctx.lang)] = [
        fmt_value(v, "missed_rate" if k == _t("missed_rate", ctx.lang) else "count", ctx.lang)
        for k, v in items]
    out.append(table(tab, ctx))
    # the audit's caveats (too short a history for new clients, silent working days, roles
    # that match nobody): said where the figures are
    for text in getattr(ctx.audit, "notes", None) or []:
        out.append(note(str(text)))
    pop = pop_table(frame_of(ctx.audit, "pop"))
    if not pop.empty:
        out.append(note(_t("pop", ctx.lang)))
        out.append(table(pop.assign(metric=pop["metric"].astype(str).map(
            lambda x: _metric_label(x, ctx.lang))), ctx))
    return out


_MANAGER_TABLE = ("employee", "department", "external_calls", "external_calls_per_day", "outgoing",
                  "incoming_answered", "incoming_missed", "outgoing_new_clients_per_day",
                  "new_clients_reached", "talk_s_mean", "days_active")


def section_managers(ctx: ReportContext) -> list[Any]:
    """Managers: the table of key metrics and external calls per day with the department best."""
    out: list[Any] = [heading("managers", ctx.lang)]
    m = active_managers(frame_of(ctx.audit, "managers"))
    if m.empty:
        return out + [note(_t("no_data", ctx.lang))]
    cols = [c for c in _MANAGER_TABLE if c in m]
    sort = "external_calls_per_day" if "external_calls_per_day" in m else cols[0]
    out.append(table(m.sort_values(sort, ascending=False, kind="stable")[cols], ctx))
    out.append(chart(ctx, "managers", lambda ax: plots.plot_managers(m, lang=ctx.lang, ax=ax),
                      size=(10, 4.5)))
    return out


#: Metrics whose gaps get a chart (all compared metrics are in the table and the workbook).
_COMPARE_CHARTS = ("external_calls_per_day", "outgoing_new_clients_per_day")


def section_compare(ctx: ReportContext) -> list[Any]:
    """Comparison inside departments: gaps to the best, the growth-zone line, flagged rows."""
    out: list[Any] = [heading("compare", ctx.lang)]
    c = frame_of(ctx.audit, "compare")
    if c.empty:
        return out + [note(_t("no_data", ctx.lang))]
    metrics = list(dict.fromkeys(c["metric"].astype(str)))
    charted = [m for m in _COMPARE_CHARTS if m in metrics] or metrics[:2]
    for metric in charted:
        sub = c.loc[c["metric"].astype(str) == metric]
        out.append(chart(ctx, f"compare_{re.sub(r'[^A-Za-z0-9_-]', '_', metric)}",
                          lambda ax, m=metric: plots.plot_gaps(c, metric=m, threshold=ctx.threshold,
                                                               lang=ctx.lang, ax=ax),
                          size=(9, 0.9 + 0.35 * max(3, len(sub)))))
    flagged = c.loc[c["flagged"].fillna(False).astype(bool)] if "flagged" in c else c.iloc[0:0]
    shown = flagged.sort_values(["department", "employee", "gap"], ascending=[True, True, False], kind="stable")
    shown = shown.assign(metric=shown["metric"].astype(str).map(lambda x: _metric_label(x, ctx.lang)))
    out.append(note(_t("growth_list", ctx.lang, n=len(shown), pct=f"{ctx.threshold:.0%}")))
    if len(shown):
        out.append(table(shown, ctx, flag="flagged"))
    return out


def _metric_label(metric: str, lang: str) -> str:
    text = plots.label(metric, lang)
    return column_label(metric, lang) if text == metric else text


def section_activity(ctx: ReportContext) -> list[Any]:
    """Activity: incoming answered vs outgoing per manager, and the out share."""
    out: list[Any] = [heading("activity", ctx.lang)]
    m = active_managers(frame_of(ctx.audit, "managers"))
    if m.empty:
        return out + [note(_t("no_data", ctx.lang))]
    out.append(chart(ctx, "activity", lambda ax: plots.plot_activity(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "incoming_answered", "outgoing", "out_share", "in_out_ratio")
            if c in m]
    out.append(table(m[cols], ctx))
    return out


def section_number_types(ctx: ReportContext) -> list[Any]:
    """Mobile, landline and internal shares per manager."""
    out: list[Any] = [heading("number_types", ctx.lang)]
    m = active_managers(frame_of(ctx.audit, "managers"))
    if m.empty:
        return out + [note(_t("no_data", ctx.lang))]
    out.append(chart(ctx, "number_types", lambda ax: plots.plot_number_types(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "mobile_share", "landline_share", "internal_calls",
                        "internal_share") if c in m]
    out.append(table(m[cols], ctx))
    return out


def section_repeat(ctx: ReportContext) -> list[Any]:
    """Repeat dialing: calls per distinct number."""
    out: list[Any] = [heading("repeat", ctx.lang)]
    m = active_managers(frame_of(ctx.audit, "managers"))
    if m.empty or "calls_per_number" not in m:
        return out + [note(_t("no_data", ctx.lang))]
    out.append(chart(ctx, "repeat_dialing", lambda ax: plots.plot_repeat_dialing(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "external_calls", "unique_numbers", "calls_per_number") if c in m]
    out.append(table(m.sort_values("calls_per_number", ascending=False, kind="stable")[cols], ctx))
    return out


def section_traffic(ctx: ReportContext) -> list[Any]:
    """Traffic heatmaps hour × weekday (offered per day, missed share) and the peak hours."""
    out: list[Any] = [heading("traffic", ctx.lang)]
    t = frame_of(ctx.audit, "traffic")
    if t.empty:
        return out + [note(_t("no_data", ctx.lang))]
    out.append(chart(ctx, "traffic_incoming",
                      lambda ax: plots.plot_traffic_heatmap(t, value="incoming", lang=ctx.lang, ax=ax),
                      size=(11, 3.8)))
    out.append(chart(ctx, "traffic_missed_rate",
                      lambda ax: plots.plot_traffic_heatmap(t, value="missed_rate", lang=ctx.lang, ax=ax),
                      size=(11, 3.8)))
    peaks = getattr(ctx.audit, "peaks", None)
    if isinstance(peaks, pd.DataFrame) and not peaks.empty:
        out.append(note(_t("peaks", ctx.lang)))
        out.append(table(peaks, ctx))
    elif peaks is not None and not isinstance(peaks, pd.DataFrame) and len(peaks):
        out.append(note(_t("peaks", ctx.lang) + ": " + ", ".join(map(str, peaks))))
    return out


def section_concentration(ctx: ReportContext) -> list[Any]:
    """Who holds the department's incoming flow and clients (issue 6): chart, tables, meaning."""
    out: list[Any] = [heading("concentration", ctx.lang)]
    conc = frame_of(ctx.audit, "concentration")
    if conc.empty:
        return out + [note(_t("no_data", ctx.lang))]
    deps, managers = concentration_tables(ctx.audit)
    out.append(chart(ctx, "concentration", lambda ax: plots.plot_concentration(conc, lang=ctx.lang, ax=ax)))
    if not deps.empty:
        out.append(table(deps, ctx))
    out.append(table(managers, ctx))
    out.append(note(_t("hhi_meaning", ctx.lang)))
    return out


def section_presence(ctx: ReportContext) -> list[Any]:
    """Presence of managers at peak hours."""
    out: list[Any] = [heading("presence", ctx.lang)]
    p = presence_table(frame_of(ctx.audit, "presence"))
    if p.empty:
        return out + [note(_t("no_data", ctx.lang))]
    if schema.EMPLOYEE in p:
        out.append(chart(ctx, "presence", lambda ax: plots.plot_presence(p, lang=ctx.lang, ax=ax)))
    out.append(table(p, ctx))
    return out


def section_missed(ctx: ReportContext, *, max_rows: int = 30) -> list[Any]:
    """Missed calls and callbacks: time-to-callback distribution and the never-called-back list."""
    out: list[Any] = [heading("missed", ctx.lang)]
    m = frame_of(ctx.audit, "missed")
    if m.empty:
        return out + [note(_t("no_data", ctx.lang))]
    window = float(getattr(getattr(ctx.profile, "thresholds", None), "callback_window_h", 24))
    out.append(chart(ctx, "callback_delay",
                      lambda ax: plots.plot_callback_delay(m, window_h=window, lang=ctx.lang, ax=ax)))
    lost = call_back_table(ctx.audit)
    cols = [c for c in ("start", "last_missed", "client_number", "missed", "department", "employee",
                        "callback_at", "called_back", "reached") if c in lost]
    out.append(note(_t("never_called_back", ctx.lang, n=min(max_rows, len(lost)), total=len(lost))))
    out.append(table(lost[cols], ctx, max_rows=max_rows))
    return out


def section_staffing(ctx: ReportContext) -> list[Any]:
    """Staffing vs load: Erlang C need vs employees on duty, concurrency, short slots."""
    out: list[Any] = [heading("staffing", ctx.lang)]
    s = frame_of(ctx.audit, "staffing")
    if s.empty:
        return out + [note(_t("no_data", ctx.lang))]
    out.append(chart(ctx, "staffing", lambda ax: plots.plot_staffing(s, lang=ctx.lang, ax=ax), size=(11, 4.2)))
    t = frame_of(ctx.audit, "traffic")
    if "max_concurrent" in s and not t.empty:
        out.append(chart(ctx, "concurrency", lambda ax: plots.plot_concurrency(s, t, lang=ctx.lang, ax=ax),
                          size=(6.5, 4)))
    if "understaffed" in s:
        short = s.loc[s["understaffed"].fillna(False).astype(bool)]
        if not short.empty:
            out.append(note(_t("understaffed_slots", ctx.lang)))
            out.append(table(short, ctx))
    return out


def section_tech(ctx: ReportContext) -> list[Any]:
    """Technology signals: short unanswered rings (and the audit's tech table, if any)."""
    out: list[Any] = [heading("tech", ctx.lang)]
    calls = calls_in_period(ctx)
    tech = getattr(ctx.audit, "tech", None)
    if not calls.empty:
        # the chart's count of short drops is the headline's (callkit.metrics.headline)
        n_short = (getattr(ctx.audit, "headline", None) or {}).get("short_ring_drops")
        out.append(chart(ctx, "tech", lambda ax: plots.plot_tech(calls, lang=ctx.lang, ax=ax,
                                                                 short_n=n_short)))
    if isinstance(tech, pd.DataFrame) and not tech.empty:
        out.append(table(tech, ctx))
    elif isinstance(tech, Mapping) and tech:
        out.append(table(pairs([(str(k), v) for k, v in tech.items()], ctx), ctx))
    if len(out) == 1:
        out.append(note(_t("no_data", ctx.lang)))
    return out


def section_speech(ctx: ReportContext, *, max_rows: int = 20) -> list[Any]:
    """Speech analytics from the call transcripts, when the audit has them.

    Key figures and the fit verdict, script stage rates (chart), the checklist over
    negotiations, per manager: script, result, decision makers (ЛПР/ЛВР), advantages and
    materials; examples of violations. Without results the section says why.
    """
    from IPython.display import Markdown

    from callkit.speech import views

    lang = ctx.lang
    out: list[Any] = [heading("speech", lang)]
    res = speech_result(ctx.audit)
    if res is None:
        has_tr = getattr(ctx.profile, "transcripts", None) is not None
        return out + [note(_t("no_speech" if has_tr else "no_transcripts", lang))]
    if res.per_call.empty:
        return out + [note(_t("no_speech_calls", lang))]
    items = speech_summary_items(res, lang)
    tab = pairs(items, ctx)
    tab[_t("value", lang)] = [fmt_value(v, "value_share" if isinstance(v, float) else "count", lang)
                                for _, v in items]
    out.append(table(tab, ctx))
    verdict = getattr(getattr(res, "verdict", None), "text", "")
    if verdict:
        out.append(Markdown("**" + views.LABELS["en" if lang == "en" else "ru"]["verdict"] + ":** "
                            + md_escape(str(verdict))))
    comp = res.compliance
    stages = comp.loc[(comp["level"] == "all") & (comp["kind"] == "stage")]
    if not stages.empty:
        out.append(chart(ctx, "speech_stages",
                          lambda ax: views.plot_stage_rates(res, lang=lang, ax=ax),
                          size=(8, 0.8 + 0.45 * len(stages))))
    rates = comp.loc[comp["level"] == "all", ["kind", "item", "calls", "rate"]].rename(
        columns={"rate": "hit_rate"})
    if not rates.empty:
        rates = rates.assign(kind=rates["kind"].map(lambda k: speech_value(k, lang)))
        out += [note(_t("speech_checklist", lang)), table(rates.reset_index(drop=True), ctx)]
    mgr = speech_managers_table(res, items=False)
    mgr = mgr.loc[mgr["negotiation_calls"] > 0] if "negotiation_calls" in mgr else mgr
    if not mgr.empty:
        out += [note(_t("speech_managers", lang)), table(mgr, ctx)]
    brief_items = comp.loc[(comp["level"] == "all")
                           & comp["kind"].isin(["decision_maker", "advantage", "material"])]
    if not brief_items.empty:
        out.append(chart(ctx, "speech_brief",
                          lambda ax: views.plot_brief_rates(res, lang=lang, ax=ax),
                          size=(8, 0.8 + 0.45 * len(brief_items))))
    brief = views.brief_table(res, lang=lang, labels=False)
    item_cols = [c for c in brief.columns if str(c).startswith(CHECKLIST_PREFIXES)]
    if not brief.empty and item_cols:
        shown = brief[["department", "employee", "negotiation_calls", *item_cols]]
        out += [note(_t("speech_brief", lang)), table(shown, ctx)]
    viol = views.violations(res, lang=lang, mask_numbers=ctx.mask, limit=max_rows)
    if not viol.empty:
        out += [note(_t("speech_violations", lang, n=len(viol))), table(viol, ctx)]
    sheet = {k: SHEET_NAMES[k][1 if lang == "en" else 0]
             for k in ("speech_calls", "speech_snippets", "speech_managers")}
    out.append(note(_t("speech_in_excel", lang, calls=sheet["speech_calls"],
                        snips=sheet["speech_snippets"], mgr=sheet["speech_managers"])))
    return out


_SEVERITY_ORDER = {"high": 0, "critical": 0, "medium": 1, "warning": 1, "low": 2, "info": 3}


def section_findings(ctx: ReportContext) -> list[Any]:
    """Findings in words, most severe first."""
    from IPython.display import Markdown

    out: list[Any] = [heading("findings", ctx.lang)]
    f = frame_of(ctx.audit, "findings")
    if f.empty:
        return out + [note(_t("no_findings", ctx.lang))]
    if "severity" in f:
        f = f.assign(_o=f["severity"].astype(str).str.lower().map(_SEVERITY_ORDER).fillna(9)).sort_values(
            "_o", kind="stable").drop(columns="_o")
    texts = f["text"].astype(str).tolist() if "text" in f else []
    if ctx.mask:
        texts = [str(mask_text(x)) for x in texts]
    out.append(Markdown("\n".join(f"{i}. {md_escape(x)}" for i, x in enumerate(texts, 1))))
    return out


def section_kpi(ctx: ReportContext) -> list[Any]:
    """The KPI definition card (formulas and thresholds as used)."""
    return [heading("kpi", ctx.lang), table(kpi_definitions(ctx), ctx)]


def export_workbook(ctx: ReportContext) -> Any:
    """Write ``<out>/<slug>/audit.xlsx`` for the notebook and return a note listing the files."""
    from IPython.display import HTML

    if ctx.out_dir is None:
        return HTML("")
    from callkit.report.workbook import write_workbook

    path = write_workbook(ctx.audit, ctx.out_dir / "audit.xlsx", mask=ctx.mask, lang=ctx.lang,
                          profile=ctx.profile)
    names = ["audit.html", path.name, "charts/"]
    return HTML(f'<p class="ck-note">{html.escape(_t("files_written", ctx.lang))}: '
                f'{html.escape(", ".join(names))}</p>')
