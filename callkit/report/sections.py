"""The report's sections in story order (DESIGN §6): each returns the display objects of one
section of the audit notebook.

1. :func:`section_title` and :func:`section_summary` — the first screen: the 3–5 problems that
   cost most (cost in calls and roubles, the evidence, one action) and the key figures
   against the previous period; :func:`section_contents` — the table of contents.
2. :func:`section_lost` — missed calls and call-backs.
3. :func:`section_managers` — one card per manager.
4. :func:`section_traffic` — the call flow, people on the line, concentration, lines.
5. :func:`section_speech` — conversations (transcripts).
6. :func:`section_appendix` — data and loading, how every figure is computed, the rules.

:func:`export_workbook` writes the workbook and the separate call-back worklist.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from callkit import plots, schema
from callkit.masking import mask_text
from callkit.report.context import ReportContext, as_frame, calls_in_period, frame_of
from callkit.report.format import fmt_value, integer, number, percent
from callkit.report.html import CSS, block, chart, esc, heading, note, section_id, table
from callkit.report.labels import (
    SECTIONS,
    column_label,
    count_word,
    lang_of,
    period_text,
    sheet_name,
    slot_text,
    subject_text,
    value_label,
)
from callkit.report.labels import text as _t
from callkit.report.tables import (
    SECTION_RULES,
    coverage_items,
    findings_by_rule,
    key_figures,
    kpi_definitions,
    manager_cards,
    missed_in_hours,
    pairs,
    period_figures,
    presence_table,
    problems,
    queue_frames,
    queue_log_sources,
    rules_table,
    speech_managers_table,
    speech_result,
    speech_summary_items,
    worklist,
)

__all__ = ["section_title", "section_summary", "section_contents", "section_lost", "section_managers",
           "section_traffic", "section_speech", "section_appendix", "export_workbook", "WORKBOOK", "WORKLIST"]

#: The file names of the workbook and of the call-back worklist in ``<out>/<slug>/``.
WORKBOOK = "audit.xlsx"
WORKLIST = "callback_worklist.xlsx"


def _masked(ctx: ReportContext, text: str) -> str:
    return str(mask_text(text)) if ctx.mask else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- title, summary, contents ---------------------------------------------------------------------

def section_title(ctx: ReportContext) -> list[Any]:
    """The report's title and one line: period, calls, managers, departments, masking."""
    prof = ctx.profile
    lang = ctx.lang
    client = prof.client if prof is not None else ""
    parts = []
    if prof is not None and prof.period is not None:
        parts.append(period_text(prof.period_start, prof.period_end, lang))
    f = period_figures(calls_in_period(ctx))
    if f:
        parts.append(f"{integer(f['calls'], lang)} {count_word(f['calls'], 'cost_calls_word', lang)}")
        parts.append(f"{f['employees']} {count_word(f['employees'], 'manager_word', lang)}")
        parts.append(f"{f['departments']} {count_word(f['departments'], 'department_word', lang)}")
    if ctx.mask:
        parts.append(_t("masked_short", lang))
    return [block(f'<style data-ck="css">{CSS}</style>'),
            block(f'<header class="ck-report"><h1>{esc(_t("title", lang, client=client))}</h1>'
                  f'<p class="ck-sub">{esc(" · ".join(parts))}</p></header>')]


def _cost_words(row: Mapping[str, Any], lang: str) -> tuple[str, str] | None:
    """A finding's (or problem's) cost as (number with its unit's noun, what it means), e.g.
    ("≈ 21 обращение", "потеряно за период"); None when it has no number (a risk, or too
    little data). Frames without ``impact_unit`` (older findings.csv) read as calls."""
    from callkit.findings import impact_phrase
    from callkit.report.labels import impact_amount, impact_note

    unit = row.get("impact_unit")
    unit = "client_calls" if unit is None or pd.isna(unit) else str(unit)
    amount = row.get("impact", row.get("impact_calls"))
    if amount is None or pd.isna(amount) or unit == "risk":
        return None
    phrase = impact_phrase(str(row.get("rule", "")), str(row.get("metric", "") or ""))
    note = impact_note(phrase, lang) if "impact_unit" in row else _t("cost_per_period", lang)
    return impact_amount(unit, float(amount), lang), note


def _round_rub(rub: float) -> float:
    """Roubles as an estimate is written: to the thousand from 10 000, else to the hundred
    (174 105 → 174 000; the exact figure is in the workbook)."""
    step = 1000 if abs(rub) >= 10000 else 100
    return round(rub / step) * step


def _cost_html(row: Mapping[str, Any], ctx: ReportContext, *, has_impact: bool) -> str:
    """The cost column of a problem: its cost in its own unit (lost enquiries, client calls not
    made, peak hours; ₽ where the profile's economics price that unit) and what the number
    means (the evidence line is under the problem's text: :func:`_evidence`)."""
    lang = ctx.lang
    rub = row.get("impact_rub")
    if not has_impact:
        return (f'<div class="ck-cost ck-risk">{esc(_cap(str(value_label(str(row.get("severity")), lang))))}'
                f'<small>{esc(_t("severity_word", lang))}</small></div>')
    words = _cost_words(row, lang)
    if words is None:
        risk = str(row.get("impact_unit", "risk")) in ("risk", "nan", "None")
        head, sub = ("cost_risk", "cost_risk_note") if risk else ("cost_unknown", "cost_unknown_note")
        return (f'<div class="ck-cost ck-risk">{esc(_cap(_t(head, lang)))}'
                f'<small>{esc(_t(sub, lang))}</small></div>')
    main, small = words
    if rub is not None and not pd.isna(rub):
        small = f"{main} · {small}"
        main = _t("cost_rub", lang, rub=integer(_round_rub(float(rub)), lang))
    return f'<div class="ck-cost">{esc(main)}<small>{esc(small)}</small></div>'


def _subjects(subjects: list[str], lang: str, shown: int = 3) -> str:
    names = [subject_text(s, lang) for s in subjects]
    text = ", ".join(names[:shown])
    if len(names) > shown:
        text += " " + _t("more_subjects", lang, n=len(names) - shown)
    return text


def _evidence(row: Mapping[str, Any], lang: str) -> str:
    """``основание: 22 рабочих дня; в списке 138 звонков`` — the sample the problem rests on,
    in its unit (``n_unit``), and how many calls behind it are listed in the workbook."""
    from callkit.report.labels import n_text

    parts = []
    n, unit = row.get("n"), row.get("n_unit")
    if n is not None and not pd.isna(n) and unit is not None and not pd.isna(unit) and str(unit):
        parts.append(_t("evidence_basis", lang, basis=n_text(str(unit), float(n), lang)))
    ev = row.get("evidence_n")
    if ev is not None and not pd.isna(ev) and float(ev) > 0:
        k = int(ev)
        key = "evidence_listed" if parts else "evidence_calls"
        parts.append(_t(key, lang, n=integer(k, lang), word=count_word(k, "cost_calls_word", lang)))
    return "; ".join(parts)


def _economics(ctx: ReportContext) -> Any:
    econ = getattr(ctx.profile, "economics", None)
    if econ is None and ctx.profile is not None:
        econ = (getattr(ctx.profile, "raw", None) or {}).get("economics")
    return econ or None


def section_summary(ctx: ReportContext, *, top: int = 5) -> list[Any]:
    """The summary on the first screen (DESIGN §6): the ``top`` problems that cost most — what is
    wrong in one sentence, the cost in calls (and roubles with ``economics``), the evidence in
    one line and one action — then the key figures against the previous period. Without
    ``economics`` it says which two figures would turn calls into roubles."""
    lang = ctx.lang
    findings = frame_of(ctx.audit, "findings")
    has_impact = "impact_calls" in findings or "impact" in findings
    probs = problems(findings, top=top)
    parts = [f'<section class="ck-summary" id="{section_id("summary")}">',
             f'<h2>{esc(SECTIONS["summary"][lang_of(lang)])}</h2>']
    if probs.empty:
        parts.append(f'<p class="ck-lead">{esc(_t("no_problems", lang))}</p>')
    else:
        lead = _t("problems_lead" if has_impact else "problems_lead_severity", lang)
        units = probs["impact_unit"] if "impact_unit" in probs else pd.Series(dtype=str)
        if int((units == "lost_leads").sum()) >= 2:   # one lost call can be in two problems
            lead = _t("no_sum", lang) + " " + lead
        parts.append(f'<p class="ck-note">{esc(lead)}</p><ol class="ck-problems">')
        for _, row in probs.iterrows():
            title = _cap(str(value_label(row["rule"], lang)))
            if row["findings"] > 1:
                title += f" ({row['findings']}: {_subjects(row['subjects'], lang)})"
            what = f"<b>{esc(title)}.</b> {esc(_masked(ctx, row['text']))}"
            ev = _evidence(row, lang)
            if ev:        # the evidence in one line: the sample in its unit, the calls listed
                what += f' <span class="ck-ev">({esc(ev)})</span>'
            lines = [f'<p class="ck-what">{what}</p>']
            if row["action"]:
                lines.append(f'<p class="ck-act"><b>{esc(_t("action", lang))}:</b> '
                             f'{esc(_masked(ctx, row["action"]))}</p>')
            parts.append(f'<li class="ck-problem">{_cost_html(row, ctx, has_impact=has_impact)}'
                         f'<div class="ck-body">{"".join(lines)}</div></li>')
        parts.append("</ol>")
        where = [_t("evidence_where", lang, sheet=sheet_name("evidence", lang))] if "evidence_n" in findings else []
        if len(findings) > int(probs["findings"].sum()):
            where.append(_t("more_problems", lang, sheet=sheet_name("findings", lang), n=len(findings)))
        if where:
            parts.append(f'<p class="ck-note">{esc(" ".join(where))}</p>')
    econ = _economics(ctx)
    if econ is None:
        parts.append(f'<p class="ck-note">{_t("money_hint", lang)}</p>')
    else:
        deal = econ.get("average_deal_rub") if isinstance(econ, Mapping) else getattr(econ, "average_deal_rub", None)
        conv = econ.get("lead_to_deal") if isinstance(econ, Mapping) else getattr(econ, "lead_to_deal", None)
        c2d = econ.get("call_to_deal") if isinstance(econ, Mapping) else getattr(econ, "call_to_deal", None)
        if deal is not None and conv is not None:
            money = esc(_t("money_basis", lang, conv=percent(float(conv), lang), deal=integer(float(deal), lang)))
            money += (esc(_t("money_calls", lang, conv=percent(float(c2d), lang, 1), deal=integer(float(deal), lang)))
                      if c2d is not None else _t("money_no_calls", lang))
            parts.append(f'<p class="ck-note">{money}</p>')
    parts.append(_key_figures_html(ctx))
    parts.append("</section>")
    out = [block("".join(parts))]
    # the audit's caveats (too short a history for new clients, silent working days, roles
    # that match nobody): said next to the figures they qualify
    notes = [str(n) for n in (getattr(ctx.audit, "notes", None) or [])]
    if notes:
        out.append(block('<ul class="ck-caveats">' + "".join(f"<li>{esc(_masked(ctx, n))}</li>" for n in notes)
                         + "</ul>"))
    return out


#: Whether a key figure going up is good (True), bad (False) or neither (None).
_UP_IS_GOOD = {"incoming": None, "missed_rate": False, "lost": False, "outgoing": True, "new_client_calls": True,
               "talk_min": True}


def _key_figures_html(ctx: ReportContext) -> str:
    lang = ctx.lang
    kf = key_figures(ctx)
    if kf.empty:
        return ""
    tiles = []
    for _, r in kf.iterrows():
        share = r["kind"] == "share"
        value = percent(r["current"], lang, 1) if share else integer(r["current"], lang)
        if pd.isna(r["previous"]):
            history = r["key"] == "new_client_calls" and getattr(ctx.audit, "previous_period", None) is not None
            prev = _t("no_previous_history" if history else "no_previous_short", lang)
            cls = ""
        else:
            before = percent(r["previous"], lang, 1) if share else integer(r["previous"], lang)
            change = r["change_rel"]
            if share:
                delta = _t("pp", lang, v=("+" if change > 0 else "") + number(100 * change, lang, 1))
            elif pd.isna(change):
                delta = ""
            else:
                delta = ("+" if change > 0 else "") + percent(change, lang)
            prev = _t("vs_previous", lang, prev=before) + (f" ({delta})" if delta else "")
            good = _UP_IS_GOOD.get(r["key"])
            cls = "" if good is None or pd.isna(change) or change == 0 else \
                (" ck-up" if (change > 0) == good else " ck-down")
        tiles.append(f'<li class="ck-tile"><span class="ck-v">{esc(value)}</span><span class="ck-l">'
                     f'{esc(r["label"])}</span><span class="ck-p{cls}">{esc(prev)}</span></li>')
    return (f'<h3>{esc(_t("key_figures", lang))}</h3><ul class="ck-kf">{"".join(tiles)}</ul>')


def section_contents(ctx: ReportContext) -> list[Any]:
    """The table of contents: a link to every section."""
    lang = lang_of(ctx.lang)
    links = "".join(f'<li><a href="#{section_id(k)}">{esc(v[lang])}</a></li>' for k, v in SECTIONS.items()
                    if k != "summary")
    return [block(f'<nav aria-label="{esc(_t("contents", lang))}"><ul class="ck-toc">{links}</ul></nav>')]


# --- findings inside a section --------------------------------------------------------------------

def _finding_items(ctx: ReportContext, f: pd.DataFrame) -> str:
    lang = ctx.lang
    items = []
    for _, r in f.iterrows():
        cost = ""
        words = _cost_words(r, lang) if ("impact" in f or "impact_calls" in f) else None
        if words is not None:
            cost = f'<span class="ck-c">{esc(words[0])}</span> '
        cost_note = ""        # the evidence line is the summary's; here the workbook lists the calls
        act = ""
        if "action" in f and isinstance(r.get("action"), str) and r["action"]:
            act = f'<br><small><b>{esc(_t("action", lang))}:</b> {esc(_masked(ctx, r["action"]))}</small>'
        items.append(f"<li>{cost}{esc(_masked(ctx, str(r.get('text', ''))))}{cost_note}{act}</li>")
    return f'<ul class="ck-findings">{"".join(items)}</ul>'


def _section_findings(ctx: ReportContext, key: str, *, top: int = 6) -> list[Any]:
    """The section's findings, the ``top`` costliest (the rest: how many, and where)."""
    f = findings_by_rule(frame_of(ctx.audit, "findings"), SECTION_RULES[key])
    head = block(f"<h3>{esc(_t('findings_here', ctx.lang))}</h3>")
    if f.empty:
        return [head, note(_t("no_findings_here", ctx.lang))]
    out = [head, block(_finding_items(ctx, f.head(top)))]
    if len(f) > top:
        out.append(note(_t("more_findings", ctx.lang, n=len(f) - top, sheet=sheet_name("findings", ctx.lang))))
    return out


# --- 2. missed calls and call-backs ---------------------------------------------------------------

def section_lost(ctx: ReportContext) -> list[Any]:
    """Missed calls and call-backs: what happened to every missed call (how soon it was
    called back, in bins), where in the week calls are missed (with how many calls each share
    is out of), the findings, and where the call-back worklist is."""
    lang = ctx.lang
    out: list[Any] = [heading("lost", lang)]
    m = frame_of(ctx.audit, "missed")
    if m.empty:
        return out + [note(_t("no_data", lang))]
    from callkit.metrics.headline import off_hours_text

    h = dict(getattr(ctx.audit, "headline", None) or {})
    if h:
        rate = h["missed"] / h["incoming"] if h.get("incoming") else float("nan")
        lead = _t("lost_lead", lang, incoming=integer(h["incoming"], lang), missed=integer(h["missed"], lang),
                  rate=percent(rate, lang, 1), window=_t("window_h", lang, h=ctx.window_h),
                  called=integer(h["called_back"], lang), reached=integer(h["reached"], lang),
                  lost=integer(h["lost_calls"], lang), lost_word=count_word(h["lost_calls"], "enquiry_word", lang),
                  off=off_hours_text(h, lang) if "off_hours_calls" in h else "")
        out.append(note(lead.strip(), cls="ck-lead"))
    shown = missed_in_hours(ctx.audit)      # the headline's missed calls: inside working hours
    out.append(chart(ctx, "callback_delay",
                     lambda ax: plots.plot_callback_delay(shown, window_h=ctx.window_h, lang=lang, ax=ax),
                     size=(9, 3.6)))
    t = frame_of(ctx.audit, "traffic")
    if not t.empty:
        out.append(chart(ctx, "traffic_missed_rate",
                         lambda ax: plots.plot_traffic_heatmap(t, value="missed_rate", lang=lang, ax=ax),
                         size=(11, 3.9)))
    out += _section_findings(ctx, "lost")
    n_open = len(worklist(ctx.audit, lang))
    out.append(block(f'<p class="ck-note">{esc(_t("worklist_note", lang, n=integer(n_open, lang), file="FILE"))}</p>'
                     .replace("FILE", f"<code>{WORKLIST}</code>")))
    return out


# --- 3. managers ------------------------------------------------------------------------------

#: The card figures whose difference from the department median is coloured (True: more is better).
_CARD_BETTER = {"external_calls_per_day": True, "outgoing_new_clients_per_day": True, "incoming_answered": True,
                "incoming_missed": False, "calls_per_number": False, "internal_share": False, "present_share": True}


def _card_html(ctx: ReportContext, card: Mapping[str, Any]) -> str:
    lang = ctx.lang
    dep = card["department"] or "—"
    color = ctx.colors.get(dep, "#6b6b6b")
    meta = [esc(dep)]
    if card.get("role") is not None and not pd.isna(card["role"]):
        key = "card_role_inferred" if card.get("role_source") == "inferred" else "card_role"
        meta.append(esc(_t(key, lang, role=value_label(str(card["role"]), lang))))
    points = []
    findings = as_frame(card["findings"])
    for _, r in findings.head(3).iterrows():
        points.append(f'<li class="ck-bad">{esc(_masked(ctx, _without_name(str(r.get("text", "")), card)))}</li>')
    if not card["counted"]:
        points.append(f'<li>{esc(_t("card_few_days", lang, n=card["days_active"], word=count_word(card["days_active"], "day_word", lang)))}</li>')
    elif card["colleagues"] == 0:
        points.append(f"<li>{esc(_t('card_alone', lang))}</li>")
    if card["strengths"]:
        what = ", ".join(column_label(c, lang).lower() if lang == "en" else _strength_word(c, lang)
                         for c in card["strengths"])
        points.append(f'<li class="ck-good">{esc(_t("card_best", lang, what=what))}</li>')
    if findings.empty and card["counted"]:
        points.insert(0, f'<li class="ck-good">{esc(_t("card_no_issues", lang))}</li>')
    rows = []
    for _, r in card["figures"].iterrows():
        col = str(r["metric"])
        mine, dep_v = r["value"], r["department"]
        cls = ""
        better = _CARD_BETTER.get(col)
        if better is not None and card["counted"] and pd.notna(mine) and pd.notna(dep_v) and dep_v != 0:
            rel = float(mine) / float(dep_v) - 1
            if abs(rel) >= 0.25:
                cls = ' class="ck-better"' if (rel > 0) == better else ' class="ck-worse"'
        rows.append(f"<tr><td class=\"ck-text\">{esc(column_label(col, lang))}</td>"
                    f"<td{cls}>{esc(fmt_value(mine, col, lang))}</td><td>{esc(fmt_value(dep_v, col, lang))}</td></tr>")
    figures = (f'<table class="ck-table"><thead><tr><th>{esc(_t("card_metric", lang))}</th>'
               f'<th>{esc(_t("card_self", lang))}</th><th>{esc(_t("card_dept", lang))}</th></tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>')
    return (f'<article class="ck-card" style="--ck-dep: {color}"><h3>{esc(card["employee"])}</h3>'
            f'<p class="ck-meta">{" · ".join(meta)}</p><ul>{"".join(points)}</ul>{figures}</article>')


def _without_name(text: str, card: Mapping[str, Any]) -> str:
    """A finding's text inside the manager's own card, without the leading "Name (Dept): "."""
    for prefix in (f"{card['employee']} ({card['department']}): ", f"{card['employee']}: "):
        if text.startswith(prefix):
            return _cap(text[len(prefix):])
    return text


def _strength_word(col: str, lang: str) -> str:
    return _t(f"strength_{col}", lang)


def section_managers(ctx: ReportContext) -> list[Any]:
    """The managers: external calls and calls to new clients per day against the department
    median (one chart, the department's colour), then one card per manager — role, 2–3
    points (issues and strengths), their figures against the department median."""
    lang = ctx.lang
    out: list[Any] = [heading("managers", lang)]
    from callkit.report.tables import active_managers

    m = active_managers(frame_of(ctx.audit, "managers"))
    if m.empty:
        return out + [note(_t("no_data", lang))]
    out.append(note(_t("managers_lead", lang, n=len(m), word=count_word(len(m), "manager_word", lang),
                       sheet=sheet_name("managers", lang)), cls="ck-lead"))
    metrics = [c for c in ("external_calls_per_day", "outgoing_new_clients_per_day") if c in m]

    def draw(axes: Any) -> None:
        for ax, metric in zip(axes, metrics):
            plots.plot_managers(m, metric=metric, lang=lang, order=ctx.order, colors=ctx.colors, ax=ax)
            if ax is not axes[-1] and ax.get_legend() is not None:
                ax.get_legend().remove()

    out.append(chart(ctx, "managers", draw, size=(12, 4.6), axes=len(metrics) or 1))
    cards = manager_cards(ctx)
    out.append(note(_t("cards_note", lang, days=int(getattr(ctx.thresholds, "min_active_days", 3)))))
    out.append(block(f'<div class="ck-cards">{"".join(_card_html(ctx, c) for c in cards)}</div>'))
    shown = {c["employee"] for c in cards}
    rest = findings_by_rule(frame_of(ctx.audit, "findings"), SECTION_RULES["managers"])
    if "subject" in rest:
        rest = rest.loc[~rest["subject"].astype(str).isin(shown)]
    if not rest.empty:
        out += [block(f"<h3>{esc(_t('findings_here', lang))}</h3>"), block(_finding_items(ctx, rest))]
    return out


# --- 4. call flow, staffing, lines ---------------------------------------------------------------

def _peaks_text(ctx: ReportContext) -> str:
    peaks = getattr(ctx.audit, "peaks", None)
    if not isinstance(peaks, pd.DataFrame) or peaks.empty or "hour" not in peaks:
        return ""
    lang = ctx.lang
    parts = []
    for _, r in peaks.iterrows():
        per_day = r.get("mean_per_day")
        parts.append(_t("peak_item", lang, hour=f"{int(r['hour'])}:00",
                        per_day=number(per_day, lang, 1) if pd.notna(per_day) else "—"))
    return _t("traffic_lead", lang, peaks=", ".join(parts))


def _staffing_busy_text(ctx: ReportContext, s: pd.DataFrame, t: pd.DataFrame, *, limit: int = 3) -> str:
    """The hours where people are "there" by their calls and enough by Erlang C, yet calls go
    unanswered: the ``missed_peak`` findings whose hour is not short of people (its action says
    put someone on duty). Empty when there are none."""
    f = frame_of(ctx.audit, "findings")
    if f.empty or "rule" not in f or t.empty or "understaffed" not in s:
        return ""
    lang = ctx.lang
    peak = f.loc[f["rule"].astype(str) == "missed_peak"]
    st = s.set_index(["weekday", "hour"])
    tr = t.set_index(["weekday", "hour"])
    items, slots = [], []
    for _, fr in peak.iterrows():
        subject = str(fr["subject"])
        try:
            wd, hr = (int(x) for x in subject.split())
        except ValueError:
            continue
        if (wd, hr) not in st.index or (wd, hr) not in tr.index or bool(st.loc[(wd, hr), "understaffed"]):
            continue
        row = st.loc[(wd, hr)]
        had = float(row["active_employees"])
        # the finding's own numbers (missed by people of the incoming): one number per quantity
        n = int(fr["n"])
        slots.append(slot_text(subject, lang))
        items.append(_t("staffing_busy_item", lang, slot=slot_text(subject, lang),
                        need=integer(row["required_agents"], lang),
                        had=number(had, lang, 0 if had.is_integer() else 1),
                        missed=integer(round(float(fr["value"]) * n), lang), incoming=integer(n, lang)))
    if not items:
        return ""
    more = " " + _t("more_subjects", lang, n=len(slots) - limit) if len(slots) > limit else ""
    return _t("staffing_busy", lang, slots=", ".join(slots[:limit]), more=more, example=items[0])


def _staffing_text(ctx: ReportContext, s: pd.DataFrame) -> str:
    lang = ctx.lang
    th = ctx.thresholds
    sl = percent(float(getattr(th, "service_level", 0.8)), lang)
    within = number(float(getattr(th, "answer_within_s", 20)), lang, 0)
    if "understaffed" not in s:
        return ""
    short = s.loc[s["understaffed"].fillna(False).astype(bool)]
    if short.empty:
        return _t("staffing_ok", lang, sl=sl, within=within)
    gap = pd.to_numeric(short["required_agents"], errors="coerce") - pd.to_numeric(short["active_employees"],
                                                                                  errors="coerce")
    load = pd.to_numeric(short["calls_per_hour"], errors="coerce") if "calls_per_hour" in short else 0.0
    worst = short.assign(_g=gap, _l=load).sort_values(["_g", "_l"], ascending=False, kind="stable").iloc[0]
    had = float(worst["active_employees"])
    return _t("staffing_plain", lang, sl=sl, within=within, n=len(short), word=count_word(len(short), "hour_word", lang),
              worst=slot_text(f"{int(worst['weekday'])} {int(worst['hour'])}", lang),
              need=integer(worst["required_agents"], lang),
              had=_t("nobody", lang) if had == 0 else number(had, lang, 0 if had.is_integer() else 1))


def section_traffic(ctx: ReportContext) -> list[Any]:
    """The call flow by hour and weekday, people on the line against the need (in plain words
    first), presence at peak hours, who holds the incoming flow, and the lines."""
    lang = ctx.lang
    out: list[Any] = [heading("traffic", lang)]
    t = frame_of(ctx.audit, "traffic")
    if t.empty:
        return out + [note(_t("no_data", lang))]
    lead = _peaks_text(ctx)
    if lead:
        out.append(note(lead, cls="ck-lead"))
    out.append(chart(ctx, "traffic_incoming",
                     lambda ax: plots.plot_traffic_heatmap(t, value="incoming", lang=lang, ax=ax), size=(11, 3.6)))
    s = frame_of(ctx.audit, "staffing")
    if not s.empty:
        out.append(block(f"<h3>{esc(_t('staffing_head', lang))}</h3>"))
        text = _staffing_text(ctx, s)
        if text:
            how = " " + _t("staffing_queue_log", lang) if queue_log_sources(ctx.audit)["staffing"] else ""
            out.append(note(text + " " + _t("staffing_method", lang) + how, cls="ck-lead"))
        busy = _staffing_busy_text(ctx, s, t)
        if busy:
            out.append(note(busy, cls="ck-lead"))
        out.append(chart(ctx, "staffing", lambda ax: plots.plot_staffing(s, lang=lang, ax=ax, traffic=t),
                         size=(11, 4.0)))
    out += _queue_blocks(ctx)
    p = presence_table(frame_of(ctx.audit, "presence"))
    if not p.empty and schema.EMPLOYEE in p:
        out.append(block(f"<h3>{esc(_t('presence_head', lang))}</h3>"))
        how = " " + _t("presence_queue_log", lang) if queue_log_sources(ctx.audit)["presence"] else ""
        out.append(note(_t("presence_lead", lang) + how, cls="ck-lead"))
        n = p[schema.EMPLOYEE].nunique()
        out.append(chart(ctx, "presence", lambda ax: plots.plot_presence(p, lang=lang, order=ctx.order,
                                                                         colors=ctx.colors, ax=ax),
                         size=(9, 0.9 + 0.32 * max(3, n))))
    conc = frame_of(ctx.audit, "concentration")
    if not conc.empty and "incoming_share" in conc:
        shown = conc[conc["counted"].astype(bool)] if "counted" in conc else conc
        out.append(block(f"<h3>{esc(_t('concentration_head', lang))}</h3>"))
        out.append(note(_t("concentration_lead", lang), cls="ck-lead"))
        out.append(chart(ctx, "concentration",
                         lambda ax: plots.plot_concentration(conc, lang=lang, order=ctx.order, colors=ctx.colors, ax=ax),
                         size=(9, 0.9 + 0.32 * max(3, len(shown)))))
    calls = calls_in_period(ctx)
    if not calls.empty:
        out.append(block(f"<h3>{esc(_t('lines_lead', lang))}</h3>"))
        # the chart's count of short drops is the headline's (callkit.metrics.headline)
        n_short = (getattr(ctx.audit, "headline", None) or {}).get("short_ring_drops")
        out.append(chart(ctx, "tech", lambda ax: plots.plot_tech(calls, lang=lang, ax=ax, short_n=n_short),
                         size=(9, 3.4)))
    out += _section_findings(ctx, "traffic")
    return out


def _queue_blocks(ctx: ReportContext, *, max_rows: int = 30) -> list[Any]:
    """With a queue_log: per queue offered / answered / abandoned / service level, per agent
    logged-in, paused and ring-no-answer time, pauses by reason, the abandoned calls."""
    frames = queue_frames(ctx.audit)
    if not frames:
        return []
    lang = ctx.lang
    target = float(getattr(getattr(ctx.profile, "thresholds", None), "answer_within_s", 20))
    out: list[Any] = [block(f"<h3>{esc(_t('queues_head', lang))}</h3>"),
                      note(_t("queues_lead", lang, target=f"{target:g}"), cls="ck-lead"),
                      table(frames["queues"], ctx), table(frames["agents"], ctx)]
    if not frames["pauses"].empty:
        out.append(table(frames["pauses"], ctx))
    ab = frames["abandoned"]
    if not ab.empty:
        out.append(note(_t("abandoned_list", lang, n=min(max_rows, len(ab)), total=len(ab))))
        out.append(table(ab, ctx, max_rows=max_rows))
    return out


# --- 5. speech ------------------------------------------------------------------------------------

def section_speech(ctx: ReportContext, *, max_rows: int = 10) -> list[Any]:
    """Conversations, from the call transcripts when the audit has them: key figures and the
    verdict, script stages (chart), decision makers, advantages and materials (chart), per
    manager (table), examples of violations. Without results the section says why; every
    call is in the workbook."""
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
        out.append(block(f'<p class="ck-lead"><b>{esc(_t("verdict", lang))}:</b> {esc(_masked(ctx, str(verdict)))}</p>'))
    comp = res.compliance
    stages = comp.loc[(comp["level"] == "all") & (comp["kind"] == "stage")]
    if not stages.empty:
        out.append(chart(ctx, "speech_stages", lambda ax: views.plot_stage_rates(res, lang=lang, ax=ax),
                         size=(8, 0.8 + 0.45 * len(stages))))
    brief_items = comp.loc[(comp["level"] == "all") & comp["kind"].isin(["decision_maker", "advantage", "material"])]
    if not brief_items.empty:
        out.append(chart(ctx, "speech_brief", lambda ax: views.plot_brief_rates(res, lang=lang, ax=ax),
                         size=(8, 0.8 + 0.45 * len(brief_items))))
    mgr = speech_managers_table(res, items=False)
    mgr = mgr.loc[mgr["negotiation_calls"] > 0] if "negotiation_calls" in mgr else mgr
    if not mgr.empty:
        out += [block(f"<h3>{esc(_t('speech_managers', lang))}</h3>"), table(mgr, ctx)]
    viol = views.violations(res, lang=lang, mask_numbers=ctx.mask, limit=max_rows)
    if not viol.empty:
        out += [block(f"<h3>{esc(_t('speech_violations', lang, n=len(viol)))}</h3>"), table(viol, ctx, wide=True)]
    out.append(note(_t("speech_in_excel", lang, calls=sheet_name("speech_calls", lang),
                       snips=sheet_name("speech_snippets", lang), mgr=sheet_name("speech_managers", lang))))
    return out


# --- 6. appendix ----------------------------------------------------------------------------------

def section_appendix(ctx: ReportContext) -> list[Any]:
    """The appendix: data coverage and loading (files, format, rows, rejected rows), how every
    figure is computed (plain words, then the formula and this report's threshold), the
    audit's rules, the small-sample rules, and which file is for whom."""
    lang = ctx.lang
    out: list[Any] = [heading("appendix", lang)]
    out.append(block(f"<h3>{esc(_t('coverage', lang))}</h3>"))
    items = coverage_items(ctx)
    if items:
        out.append(table(pairs(items, ctx), ctx))
    load = getattr(ctx.audit, "load", None)
    rep = getattr(load, "report", load)
    notes = rep.notes_in(lang) if hasattr(rep, "notes_in") else list(getattr(rep, "notes", []) or [])
    if notes:   # a loader note may quote a source value (a number it could not read)
        out.append(note(_t("notes", lang) + ": " + "; ".join(_masked(ctx, str(n)) for n in notes)))
    rejected = as_frame(getattr(rep, "rejected", None))
    if not rejected.empty:
        n = min(10, len(rejected))
        out += [note(_t("rejected_rows", lang, n=n)), table(rejected.head(n), ctx, wide=True)]
    out += _transcript_load(ctx)
    out += [block(f"<h3>{esc(_t('definitions', lang))}</h3>"), _definitions_html(ctx)]
    rules = rules_table(lang)
    out += [block(f"<h3>{esc(_t('rules', lang))}</h3>"),
            table(rules.rename(columns={"definition": "rule_definition"}), ctx, wide=True)]
    th = ctx.thresholds
    out += [block(f"<h3>{esc(_t('small_samples', lang))}</h3>"),
            note(_t("small_samples_text", lang, days=int(getattr(th, "min_active_days", 3)), cell=5), cls="ck-lead")]
    full = getattr(ctx.profile, "worklist_numbers", "masked") == "full"
    files = [("audit.html", _t("file_html", lang)), (WORKBOOK, _t("file_xlsx", lang)),
             (WORKLIST, _t("file_worklist", lang, full=_t("file_worklist_full", lang) if full else "")),
             ("charts/", _t("file_charts", lang))]
    out += [block(f"<h3>{esc(_t('files', lang))}</h3>"),
            block('<ul class="ck-findings">' + "".join(f"<li><code>{esc(n)}</code> — {esc(d)}</li>" for n, d in files)
                  + "</ul>")]
    return out


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


def _definitions_html(ctx: ReportContext) -> Any:
    d = kpi_definitions(ctx)
    lang = ctx.lang
    heads = (_t("metric", lang), _t("plain", lang), _t("formula", lang), _t("threshold", lang))
    rows = "".join(f'<tr><td class="ck-text"><b>{esc(r.metric)}</b></td><td class="ck-text">{esc(r.plain)}</td>'
                   f'<td class="ck-text">{esc(r.formula)}</td><td class="ck-text">{esc(r.threshold)}</td></tr>'
                   for r in d.itertuples())
    return block(f'<div class="ck-scroll"><table class="ck-table ck-wide"><thead><tr>'
                 f'{"".join(f"<th>{esc(h)}</th>" for h in heads)}</tr></thead><tbody>{rows}</tbody></table></div>')


# --- files ----------------------------------------------------------------------------------------

def export_workbook(ctx: ReportContext) -> Any:
    """Write ``<out>/<slug>/audit.xlsx`` (masked unless the profile says otherwise) and the
    call-back worklist ``callback_worklist.xlsx`` (full numbers only with the profile's
    ``worklist_numbers: full``); return a note listing the files."""
    if ctx.out_dir is None:
        return block("")
    from callkit.report.workbook import write_workbook, write_worklist

    path = write_workbook(ctx.audit, ctx.out_dir / WORKBOOK, mask=ctx.mask, lang=ctx.lang, profile=ctx.profile)
    full = getattr(ctx.profile, "worklist_numbers", "masked") == "full"
    wl = write_worklist(ctx.audit, ctx.out_dir / WORKLIST, full_numbers=full, lang=ctx.lang)
    names = ["audit.html", path.name, wl.name, "charts/"]
    return block(f'<p class="ck-note">{esc(_t("files_written", ctx.lang))}: '
                 + ", ".join(f"<code>{esc(n)}</code>" for n in names) + "</p>")

