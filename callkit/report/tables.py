"""The tables a report shows, built from the audit (plain DataFrames; sections format them)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from callkit import schema
from callkit.metrics.headline import HEADLINE_LABELS
from callkit.report.context import ReportContext, calls_in_period, frame_of
from callkit.report.format import CHECKLIST_PREFIXES
from callkit.report.labels import column_label, speech_value
from callkit.report.labels import text as _t

__all__ = ["pairs", "overview_items", "pop_table", "active_managers", "presence_table", "concentration_tables",
           "call_back_table", "callback_list", "speech_result", "speech_summary_items", "speech_calls_table",
           "speech_snippets_table", "speech_managers_table", "kpi_definitions"]


def pairs(items: Sequence[tuple[str, Any]], ctx: ReportContext) -> pd.DataFrame:
    return pd.DataFrame({_t("item", ctx.lang): [k for k, _ in items],
                         _t("value", ctx.lang): [v for _, v in items]})


def headline_label(quantity: str, lang: str) -> str:
    """The label of a headline quantity (:data:`callkit.metrics.headline.HEADLINE_LABELS`)."""
    ru, en = HEADLINE_LABELS[quantity]
    return en if lang == "en" else ru


def overview_items(ctx: ReportContext) -> list[tuple[str, Any]]:
    """The company-at-a-glance figures as (label, value) pairs."""
    calls = calls_in_period(ctx)
    lang = ctx.lang
    items: list[tuple[str, Any]] = []
    # the headline quantities come from callkit.metrics.headline, the one place that counts
    # them (the same numbers as headline.csv, the findings and the charts)
    head = getattr(ctx.audit, "headline", None) or {}
    if not calls.empty:
        direction = calls[schema.DIRECTION].astype(str)
        status = calls[schema.STATUS].astype(str)
        inc = direction == schema.INCOMING
        inc_missed = inc & status.isin(schema.UNANSWERED_STATUSES)
        items.append((_t("calls_in_period", lang), int(len(calls))))
        if head:
            n_in, n_miss = int(head["incoming"]), int(head["missed"])
            items += [(headline_label("incoming", lang), n_in),
                      (headline_label("missed", lang), n_miss),
                      (_t("missed_rate", lang), n_miss / n_in if n_in else float("nan"))]
        else:
            items += [
                (_t("incoming", lang), int(inc.sum())),
                (_t("incoming_missed_total", lang), int(inc_missed.sum())),
                (_t("missed_rate", lang), float(inc_missed.sum() / inc.sum()) if inc.sum() else float("nan")),
            ]
        items += [
            (_t("outgoing", lang), int((direction == schema.OUTGOING).sum())),
            (_t("internal", lang), int((direction == schema.INTERNAL).sum())),
            (_t("employees", lang), int(calls[schema.EMPLOYEE].dropna().nunique())),
            (_t("departments", lang), int(calls[schema.DEPARTMENT].dropna().nunique())),
            (_t("client_numbers", lang), int(calls[schema.CLIENT_NUMBER].dropna().nunique())),
        ]
    missed = frame_of(ctx.audit, "missed")
    if head:
        items += [(headline_label(q, lang), int(head[q])) for q in
                  ("called_back", "reached", "lost_calls", "short_ring_drops", "working_days",
                   "off_hours_calls", "off_hours_missed", "off_hours_lost") if q in head]
    elif "lost" in missed:
        items.append((_t("lost", lang), int(missed["lost"].fillna(False).astype(bool).sum())))
    compare = frame_of(ctx.audit, "compare")
    if "flagged" in compare:
        items.append((_t("growth_zones", lang, pct=f"{ctx.threshold:.0%}"),
                      int(compare["flagged"].fillna(False).astype(bool).sum())))
    return items


#: Metrics shown against the previous period (the workbook has none of it: the CSVs do).
_POP_METRICS = ("external_calls_per_day", "outgoing_new_clients_per_day")


def pop_table(pop: pd.DataFrame) -> pd.DataFrame:
    """Period over period for the key metrics: one row per manager and metric
    (``employee, department, metric, current, previous, change_rel``)."""
    if pop.empty or "metric" not in pop:
        return pop
    sub = pop.loc[pop["metric"].astype(str).isin(_POP_METRICS)]
    if {"current", "previous"} <= set(sub.columns):  # nobody's row with nothing in either period
        both = sub[["current", "previous"]].apply(pd.to_numeric, errors="coerce").fillna(0)
        sub = sub.loc[(both != 0).any(axis=1)]
    if sub.empty:
        return sub
    cols = [c for c in ("employee", "department", "metric", "current", "previous", "change_rel") if c in sub]
    order = {m: i for i, m in enumerate(_POP_METRICS)}
    sub = sub.assign(_o=sub["metric"].astype(str).map(order)).sort_values(
        ["_o", "department", "employee"], kind="stable")
    return sub.loc[:, cols]


def active_managers(managers: pd.DataFrame) -> pd.DataFrame:
    """Managers who made or took at least one call (external or internal) in the period.

    The report's charts and tables show these; the workbook keeps every row of the metrics
    (directory entries without calls, queue extensions that only rang).

    Examples
    --------
    >>> m = pd.DataFrame({"employee": ["Анна", "600"], "external_calls": [5, 0], "internal_calls": [0, 0]})
    >>> active_managers(m)["employee"].tolist()
    ['Анна']
    """
    cols = [c for c in ("external_calls", "internal_calls") if c in managers]
    if managers.empty or not cols:
        return managers
    busy = managers[cols].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1) > 0
    return managers.loc[busy]


def presence_table(presence: pd.DataFrame) -> pd.DataFrame:
    """Per-employee presence at peaks: the per-slot table of
    :func:`callkit.metrics.presence_at_peaks` summarised (only slots where the department got
    incoming calls count), or the table as it is when already per employee."""
    if {"present", "department_incoming", schema.EMPLOYEE}.issubset(presence.columns):
        from callkit.metrics.traffic import presence_summary

        return presence_summary(presence)
    return presence


def concentration_tables(audit: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per department, per manager) views of the flow concentration for the report."""
    conc = frame_of(audit, "concentration")
    deps = frame_of(audit, "concentration_departments")
    dep_cols = [c for c in (schema.DEPARTMENT, "managers", "incoming_answered", "even_share", "top_employee",
                            "top_share", "hhi", "effective_managers", "clients", "clients_single_share",
                            "new_share_senior", "new_share_junior")
                if c in deps]
    man_cols = [c for c in (schema.DEPARTMENT, schema.EMPLOYEE, "incoming_answered", "incoming_share",
                            "clients", "clients_share", "clients_single", "new_client_share", "tenure_days")
                if c in conc]
    if "counted" in conc:
        conc = conc[conc["counted"].astype(bool)]
    return deps.loc[:, dep_cols], conc.loc[:, man_cols]


def call_back_table(audit: Any) -> pd.DataFrame:
    """The list to act on: ``audit.to_call_back`` (one row per number never reached) when the
    audit has it, else :func:`callback_list` of ``audit.missed``."""
    tcb = getattr(audit, "to_call_back", None)
    if isinstance(tcb, pd.DataFrame):
        return tcb
    return callback_list(frame_of(audit, "missed"))


def callback_list(missed: pd.DataFrame) -> pd.DataFrame:
    """The missed calls nobody called back or reached (``lost``, else not ``reached``), oldest first.

    Examples
    --------
    >>> m = pd.DataFrame({"call_id": ["a", "b"], "start": [1, 2], "reached": [True, False],
    ...                   "lost": [False, True]})
    >>> callback_list(m)["call_id"].tolist()
    ['b']
    """
    if missed.empty:
        return missed
    if "lost" in missed:
        keep = missed["lost"].fillna(False).astype(bool)
    elif "reached" in missed:
        keep = ~missed["reached"].fillna(False).astype(bool)
    else:
        keep = pd.Series(True, index=missed.index)
    out = missed.loc[keep]
    return out.sort_values("start", kind="stable") if "start" in out else out


def speech_result(audit: Any) -> Any:
    """The audit's transcript analytics (a ``callkit.speech.SpeechResult``), or None.

    Anything without the ``per_call`` and ``checklist`` tables counts as no result.
    """
    sp = getattr(audit, "speech", None)
    if sp is None or not isinstance(getattr(sp, "per_call", None), pd.DataFrame) \
            or not isinstance(getattr(sp, "checklist", None), pd.DataFrame):
        return None
    return sp


def speech_summary_items(result: Any, lang: str = "ru") -> list[tuple[str, Any]]:
    """The speech summary as (label, value) pairs (``callkit.speech.views.summary_table``
    without the verdict, which the section prints as text)."""
    from callkit.speech import views

    tab = views.summary_table(result, lang=lang)
    verdict = views.LABELS["en" if lang == "en" else "ru"]["verdict"]
    return [(str(k), v) for k, v in zip(tab["metric"], tab["value"]) if k != verdict]


#: Per-call columns of the speech sheet, in order (those the result lacks are skipped).
_SPEECH_CALL_COLUMNS = (
    "call_id", "employee", "department", "call_kind", "call_result", "script_score", "stages_hit",
    "stages_total", "questions_hit", "questions_total", "decision_makers_hit", "advantages_hit",
    "materials_hit", "missed_items", "competitor_mentions", "profanity", "profanity_words",
    "stop_words", "stop_word_list", "talk_ratio", "client_mentions_competitor", "client_profanity",
    "speaker_labels",
)
_MISSED_KINDS = ("stage", "question", "decision_maker", "advantage", "material")


def speech_calls_table(result: Any, lang: str = "ru") -> pd.DataFrame:
    """One row per transcribed call: kind, result, script share, brief items, violations.

    ``missed_items`` lists, for negotiation calls, the stages, mandatory questions, decision
    makers, advantages and materials the call lacked (``этап скрипта: offer; материал: прайс``).
    Kind and result values are translated; profane words are already masked.
    """
    pc = result.per_call
    cl = result.checklist
    neg = set(pc.loc[pc["call_kind"] == "negotiation", "call_id"].astype(str))
    miss = cl.loc[~cl["hit"].astype(bool) & cl["kind"].isin(_MISSED_KINDS)
                  & cl["call_id"].astype(str).isin(neg)]
    text = (miss["kind"].map(lambda k: speech_value(k, lang)) + ": " + miss["item"].astype(str))
    missed = text.groupby(miss["call_id"].astype(str), sort=False).agg("; ".join)
    out = pc.copy()
    missed_by_call = missed.to_dict()
    out["missed_items"] = [missed_by_call.get(c, "") for c in out["call_id"].astype(str)]
    for col in [c for c in ("call_kind", "call_result", "speaker_labels") if c in out.columns]:
        out[col] = out[col].map(lambda v: speech_value(v, lang))
    return out[[c for c in _SPEECH_CALL_COLUMNS if c in out.columns]].reset_index(drop=True)


def speech_snippets_table(result: Any, lang: str = "ru") -> pd.DataFrame:
    """Every checklist hit with where it was said: ``call_id, employee, kind, item, at_s,
    speaker, snippet`` (snippets have profanity masked; numbers are masked by the writer)."""
    cl = result.checklist
    hits = cl.loc[cl["hit"].astype(bool)].copy()
    people = result.per_call.set_index(result.per_call["call_id"].astype(str))["employee"]
    hits.insert(1, "employee", hits["call_id"].astype(str).map(people).to_numpy())
    for col in ("kind", "speaker"):
        hits[col] = hits[col].map(lambda v: speech_value(v, lang))
    cols = ["call_id", "employee", "kind", "item", "at_s", "speaker", "snippet"]
    return hits[[c for c in cols if c in hits.columns]].reset_index(drop=True)


def speech_managers_table(result: Any, *, items: bool = True) -> pd.DataFrame:
    """Compliance per manager (negotiation calls): script share, result rate, decision makers,
    advantages, materials, profanity, talk share and, with ``items``, the rate of every
    checklist item (``stage:<name>``...). Raw column names; :func:`column_label` reads them."""
    bm = result.by_manager
    first = ["department", "employee", "calls", "negotiation_calls", "script_score", "result_rate",
             "decision_maker_rate", "advantage_rate", "material_rate", "profanity_calls", "talk_ratio"]
    cols = [c for c in first if c in bm.columns]
    if items:
        cols += [c for c in bm.columns if str(c).startswith(CHECKLIST_PREFIXES)]
    return bm[cols].reset_index(drop=True)


def kpi_definitions(ctx: ReportContext) -> pd.DataFrame:
    """The KPI card: each metric's formula and the threshold as used in this report."""
    th = getattr(ctx.profile, "thresholds", None)
    gap = getattr(th, "manager_gap", 0.25)
    window = getattr(th, "callback_window_h", 24)
    sl = getattr(th, "service_level", 0.8)
    within = getattr(th, "answer_within_s", 20)
    days = getattr(th, "min_active_days", 3)
    wrap = getattr(th, "wrapup_s", 0)
    ru = ctx.lang != "en"
    rows = [
        ("external_calls", "исходящие на внешние номера + принятые входящие" if ru
         else "outgoing to external numbers + incoming answered", ""),
        ("external_calls_per_day", "внешние звонки / рабочие дни (дни хотя бы с одним звонком)" if ru
         else "external calls / active days (days with at least one call)", ""),
        ("outgoing_new_clients_per_day", "исходящие на новые номера / рабочие дни" if ru
         else "outgoing to new numbers / active days", ""),
        ("gap", "1 − значение / лучшее значение в отделе" if ru else "1 − value / department's best",
         (f"> {gap:.0%}; не отмечаем при < {days} рабочих днях" if ru
          else f"> {gap:.0%}; not flagged under {days} active days")),
        ("internal_share", "внутренние / (внешние + внутренние)" if ru else "internal / (external + internal)", ""),
        ("mobile_share", "исходящие на мобильные / все исходящие внешние" if ru
         else "outgoing to mobiles / all outgoing external", ""),
        ("calls_per_number", "внешние звонки / разные номера" if ru else "external calls / distinct numbers", ""),
        ("missed_rate", "неотвеченные входящие / все входящие" if ru else "unanswered incoming / all incoming", ""),
        ("lost", "пропущенный, по которому не перезвонили в окно и не дозвонились" if ru
         else "missed, not called back within the window and not reached",
         f"{window:g} ч" if ru else f"{window:g} h"),
        ("required_agents", "Эрланг C: нагрузка A = звонков в час × AHT / 3600" if ru
         else "Erlang C: load A = calls per hour × AHT / 3600",
         (f"{sl:.0%} ответов за {within:g} с; дообработка {wrap:g} с" if ru
          else f"{sl:.0%} answered within {within:g} s; wrap-up {wrap:g} s")),
    ]
    lang = ctx.lang
    return pd.DataFrame({_t("metric", lang): [column_label(k, lang) for k, _, _ in rows],
                         _t("formula", lang): [f for _, f, _ in rows],
                         _t("threshold", lang): [t or "—" for _, _, t in rows]})
