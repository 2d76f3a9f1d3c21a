"""The tables a report shows, built from the audit (plain DataFrames with the audit's column
names and values; the HTML and the workbook format and translate them).

Each quantity comes from one function here and is shown by both the HTML and the workbook,
so it has one number everywhere (DESIGN §6).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from callkit import schema
from callkit.metrics.headline import HEADLINE_LABELS
from callkit.report.context import ReportContext, calls_in_period, frame_of
from callkit.report.format import CHECKLIST_PREFIXES
from callkit.report.labels import TEXTS, column_label, speech_value, value_label
from callkit.report.labels import text as _t

__all__ = ["pairs", "overview_items", "period_figures", "key_figures", "problems", "findings_by_rule",
           "SECTION_RULES", "pop_table", "active_managers", "manager_cards", "CARD_METRICS", "presence_table",
           "concentration_tables", "call_back_table", "callback_list", "worklist", "WORKLIST_COLUMNS",
           "missed_in_hours", "coverage_items", "speech_result", "speech_summary_items", "speech_calls_table",
           "speech_snippets_table", "speech_managers_table", "queue_frames", "queue_log_sources", "kpi_definitions",
           "rules_table"]


def pairs(items: Sequence[tuple[str, Any]], ctx: ReportContext) -> pd.DataFrame:
    return pd.DataFrame({_t("item", ctx.lang): [k for k, _ in items],
                         _t("value", ctx.lang): [v for _, v in items]})


# --- the period in figures ----------------------------------------------------------------------

def _period_calls(calls: pd.DataFrame, period: tuple[dt.date, dt.date] | None) -> pd.DataFrame:
    if period is None or calls.empty:
        return calls
    day = calls[schema.START].dt.date
    return calls.loc[(day >= period[0]) & (day <= period[1])]


def period_figures(calls: pd.DataFrame, *, managers: pd.DataFrame | None = None,
                   missed: pd.DataFrame | None = None) -> dict[str, float]:
    """The company's figures of one period: ``calls, incoming, unanswered, missed_rate,
    outgoing, internal, employees, departments, client_numbers`` from its calls; ``lost``
    from its missed calls; ``new_client_calls`` (outgoing to new numbers) and ``talk_min``
    (minutes of answered external calls) from its managers' table.

    Examples
    --------
    Four calls of the period: incoming missed, incoming answered, outgoing, incoming busy →
    incoming 3, unanswered 2, missed_rate 2/3, outgoing 1.
    """
    out: dict[str, float] = {}
    if not calls.empty:
        direction = calls[schema.DIRECTION].astype(str)
        status = calls[schema.STATUS].astype(str)
        inc = direction == schema.INCOMING
        unanswered = inc & status.isin(schema.UNANSWERED_STATUSES)
        out.update({
            "calls": int(len(calls)), "incoming": int(inc.sum()), "unanswered": int(unanswered.sum()),
            "missed_rate": float(unanswered.sum() / inc.sum()) if inc.sum() else float("nan"),
            "outgoing": int((direction == schema.OUTGOING).sum()),
            "internal": int((direction == schema.INTERNAL).sum()),
            "employees": int(calls[schema.EMPLOYEE].dropna().nunique()),
            "departments": int(calls[schema.DEPARTMENT].dropna().nunique()),
            "client_numbers": int(calls[schema.CLIENT_NUMBER].dropna().nunique()),
        })
    if missed is not None and "lost" in missed:
        out["lost"] = int(missed["lost"].fillna(False).astype(bool).sum())
    if managers is not None and not managers.empty:
        for col, key, scale in (("outgoing_new_clients", "new_client_calls", 1.0), ("talk_s_total", "talk_min", 60.0)):
            if col in managers:
                vals = pd.to_numeric(managers[col], errors="coerce")
                out[key] = float(vals.sum() / scale) if vals.notna().any() else float("nan")
    return out


def headline_label(quantity: str, lang: str) -> str:
    """The label of a headline quantity (:data:`callkit.metrics.headline.HEADLINE_LABELS`)."""
    ru, en = HEADLINE_LABELS[quantity]
    return en if lang == "en" else ru


def overview_items(ctx: ReportContext) -> list[tuple[str, Any]]:
    """The period in figures as (label, value) pairs (the workbook's sheet of them): the calls
    of the period, and the headline quantities from :mod:`callkit.metrics.headline` — the one
    place that counts them (the same numbers as headline.csv, the findings and the charts)."""
    lang = ctx.lang
    head = getattr(ctx.audit, "headline", None) or {}
    f = period_figures(calls_in_period(ctx), missed=None if head else frame_of(ctx.audit, "missed"))
    items: list[tuple[str, Any]] = []
    if "calls" in f:
        items.append((_t("calls_in_period", lang), f["calls"]))
    if head:
        n_in, n_miss = int(head["incoming"]), int(head["missed"])
        items += [(headline_label("incoming", lang), n_in), (headline_label("missed", lang), n_miss),
                  (_t("missed_rate", lang), n_miss / n_in if n_in else float("nan"))]
    elif "incoming" in f:
        items += [(_t("incoming", lang), f["incoming"]), (_t("incoming_missed_total", lang), f["unanswered"]),
                  (_t("missed_rate", lang), f["missed_rate"])]
    keys = (("outgoing", "outgoing"), ("internal", "internal"), ("employees", "employees"),
            ("departments", "departments"), ("client_numbers", "client_numbers"))
    items += [(_t(label, lang), f[key]) for key, label in keys if key in f]
    if head:
        items += [(headline_label(q, lang), int(head[q])) for q in
                  ("called_back", "reached", "lost_calls", "short_ring_drops", "working_days",
                   "off_hours_calls", "off_hours_missed", "off_hours_lost") if q in head]
    elif "lost" in f:
        items.append((_t("lost", lang), f["lost"]))
    return items


#: The key figures of the summary, in order: (key, label, kind). The first four are headline
#: quantities of :mod:`callkit.metrics.headline` (inside working hours), the others sums of the
#: managers' table and the period's calls.
_KEY_FIGURES = (("incoming", "kf_incoming", "count"), ("missed_rate", "kf_missed_rate", "share"),
                ("lost_calls", "kf_lost", "count"), ("off_hours_calls", "kf_off_hours", "count"),
                ("outgoing", "kf_outgoing", "count"), ("new_client_calls", "kf_new_clients", "count"))


def _key_values(head: dict[str, int], calls: pd.DataFrame, managers: pd.DataFrame | None) -> dict[str, float]:
    out: dict[str, float] = {k: float(v) for k, v in head.items()}
    if head:
        out["missed_rate"] = head["missed"] / head["incoming"] if head.get("incoming") else float("nan")
    f = period_figures(calls, managers=managers)
    for key in ("outgoing", "new_client_calls"):
        if key in f:
            out[key] = f[key]
    return out


def key_figures(ctx: ReportContext) -> pd.DataFrame:
    """The summary's six key figures against the previous period: incoming calls inside working
    hours, the unanswered share of them, the enquiries lost, incoming outside working hours
    (the audit's headline quantities), outgoing calls and calls to new clients.

    Returns
    -------
    DataFrame
        ``key, label, kind (count | share), current, previous, change_rel``; ``previous`` is
        NaN without a previous period in the data (the profile's ``previous_period``) and for
        new-client calls when the history is too short to tell new clients then.
        ``change_rel`` = current / previous − 1 (for a share: the difference of the shares).
    """
    audit = ctx.audit
    calls = frame_of(audit, "calls")
    cur = _key_values(dict(getattr(audit, "headline", None) or {}), calls_in_period(ctx),
                      frame_of(audit, "managers"))
    prev: dict[str, float] = {}
    prev_period = getattr(audit, "previous_period", None)
    if prev_period is not None and not calls.empty:
        prev_calls = _period_calls(calls, prev_period)
        if not prev_calls.empty:
            prev = _key_values(dict(getattr(audit, "previous_headline", None) or {}), prev_calls,
                               getattr(audit, "previous_managers", None))
    cov = [getattr(audit, "coverage", None), getattr(audit, "previous_coverage", None)]
    if any(c is not None and not getattr(c, "sufficient", True) for c in cov):
        prev.pop("new_client_calls", None)     # never a change that is an artefact of history
    rows = []
    for key, label, kind in _KEY_FIGURES:
        if key not in cur:
            continue
        c, p = cur[key], prev.get(key, float("nan"))
        if kind == "share":
            change = c - p
        else:
            change = c / p - 1 if p and not pd.isna(p) else float("nan")
        rows.append({"key": key, "label": _t(label, ctx.lang), "kind": kind, "current": c, "previous": p,
                     "change_rel": change})
    return pd.DataFrame(rows, columns=["key", "label", "kind", "current", "previous", "change_rel"])


# --- findings: the summary's problems and each section's findings ---------------------------------

#: Which section tells which rule's findings (the story order of DESIGN §6).
SECTION_RULES: dict[str, tuple[str, ...]] = {
    "lost": ("missed_no_callback", "missed_peak", "short_ring_drops", "off_hours"),
    "managers": ("manager_gap", "mobile_heavy", "internal_heavy", "repeat_dialing", "absent_at_peak"),
    "traffic": ("understaffed", "line_limit", "failed_burst", "flow_concentration"),
}
_SEVERITY_RANK = {"high": 0, "critical": 0, "medium": 1, "warning": 1, "low": 2, "info": 3}


def _sorted_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """In the order of findings.csv (:func:`callkit.findings.rank_findings`): roubles first, then
    unit by unit (lost enquiries, client calls, peak hours, risks), each by impact — two units
    are never ranked as one; then severity."""
    from callkit.findings import rank_findings

    if findings.empty:
        return findings
    return rank_findings(findings)


def findings_by_rule(findings: pd.DataFrame, rules: Sequence[str]) -> pd.DataFrame:
    """The findings of ``rules``, largest impact first."""
    if findings.empty or "rule" not in findings:
        return findings.iloc[0:0]
    return _sorted_findings(findings.loc[findings["rule"].astype(str).isin(rules)])


def problems(findings: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """The summary's problems: the findings grouped by rule (seven busy hours that miss calls
    are one problem), the groups ranked by their total impact in calls (then severity), the
    ``top`` first.

    Returns
    -------
    DataFrame
        One row per problem: ``rule, severity`` (the most severe), ``findings`` (how many),
        ``subjects`` (list, largest impact first), ``text`` and ``action`` (of the finding with
        the largest impact), ``impact_calls``, ``impact`` and ``impact_rub`` (sums; NaN when no
        finding of the group has one), ``impact_unit``, ``evidence_n`` and ``n`` (sums),
        ``n_unit``, ``metric``, ``finding_ids`` (list). Problems that cost nothing (impact 0)
        are left out while at least three others remain.

    Examples
    --------
    Two ``missed_peak`` findings costing 7 and 5 calls and one ``line_limit`` costing 20 →
    two problems: line_limit (20) first, then missed_peak (12, subjects in that order).
    """
    cols = ["rule", "severity", "findings", "subjects", "text", "action", "impact_calls", "impact_rub",
            "evidence_n", "n", "finding_ids", "impact", "impact_unit", "n_unit", "metric"]
    if findings.empty or "rule" not in findings:
        return pd.DataFrame(columns=cols)
    f = _sorted_findings(findings)
    rows = []
    for rule, g in f.groupby(f["rule"].astype(str), sort=False):
        first = g.iloc[0]

        def total(col: str, grp: pd.DataFrame = g) -> float:
            if col not in grp:
                return float("nan")
            vals = pd.to_numeric(grp[col], errors="coerce")
            return float(vals.sum()) if vals.notna().any() else float("nan")

        sev = g["severity"].astype(str).str.lower().map(_SEVERITY_RANK).fillna(9).min() if "severity" in g else 9
        rows.append({
            "rule": rule,
            "severity": next((k for k, v in _SEVERITY_RANK.items() if v == sev), "medium"),
            "findings": len(g),
            "subjects": [str(s) for s in g["subject"]] if "subject" in g else [],
            "text": str(first.get("text", "")),
            "action": str(first["action"]) if "action" in g and pd.notna(first["action"]) else "",
            "impact_calls": total("impact_calls"), "impact_rub": total("impact_rub"),
            "evidence_n": total("evidence_n"),
            # the sample of the problem: its findings' samples together (one rule, one unit)
            "n": total("n"),
            "finding_ids": [str(x) for x in g["finding_id"]] if "finding_id" in g else [],
            "impact": total("impact") if "impact" in g else total("impact_calls"),
            "impact_unit": str(first["impact_unit"]) if "impact_unit" in g else None,
            "n_unit": str(first["n_unit"]) if "n_unit" in g and pd.notna(first["n_unit"]) else None,
            "metric": str(first["metric"]) if "metric" in g else "",
        })
    # the problems ranked as findings.csv ranks findings: by roubles, else unit by unit, never
    # one unit against another
    out = _sorted_findings(pd.DataFrame(rows, columns=cols))
    # a problem that cost nothing this period (every client who hit busy lines was called
    # back) gives its place in the summary to one that did, while there are three of those
    free = pd.to_numeric(out["impact"], errors="coerce").eq(0) & ~out["impact_unit"].astype(str).eq("risk")
    if (~free).sum() >= 3:
        out = out.loc[~free]
    return out.head(top).reset_index(drop=True)


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


#: Metrics shown against the previous period per manager.
_POP_METRICS = ("external_calls_per_day", "outgoing_new_clients_per_day")


def active_managers(managers: pd.DataFrame) -> pd.DataFrame:
    """Managers who made or took at least one call (external or internal) in the period.

    The report's charts and cards show these; the workbook keeps every row of the metrics
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


# --- managers' cards ------------------------------------------------------------------------------

#: The figures on a manager's card, in order: (column, True when more is better; None: neutral).
CARD_METRICS: tuple[tuple[str, bool | None], ...] = (
    ("external_calls_per_day", True), ("outgoing_new_clients_per_day", True), ("incoming_answered", True),
    ("incoming_missed", False), ("calls_per_number", False), ("mobile_share", None), ("internal_share", False),
    ("talk_s_mean", None), ("present_share", True), ("days_active", None),
)
#: Figures a strength may be named for (the best in a department of two or more).
_STRENGTHS = ("external_calls_per_day", "outgoing_new_clients_per_day", "incoming_answered", "present_share")


def manager_cards(ctx: ReportContext) -> list[dict[str, Any]]:
    """One card per active manager, in the report's manager order.

    Each card: ``employee, department, role, role_source, days_active, counted`` (enough
    active days to be compared), ``colleagues`` (how many comparable colleagues: the same
    department and role, enough active days — as the audit's rules compare), ``figures`` (a
    DataFrame ``metric, value, department``: the manager's value and the colleagues' median —
    compare.csv's ``reference`` where the audit compares that figure), ``findings`` (the
    audit's findings about them, largest impact first) and ``strengths`` (the figures of
    :data:`_STRENGTHS` where they are the department's best of two or more counted managers).
    """
    audit = ctx.audit
    m = active_managers(frame_of(audit, "managers"))
    if m.empty:
        return []
    presence = presence_table(frame_of(audit, "presence"))
    if not presence.empty and "present_share" in presence and schema.EMPLOYEE in presence:
        share = presence.groupby(presence[schema.EMPLOYEE].astype(str))["present_share"].mean()
        m = m.assign(present_share=m[schema.EMPLOYEE].astype(str).map(share))
    th = getattr(ctx.profile, "thresholds", None) or getattr(audit, "thresholds", None)
    min_days = int(getattr(th, "min_active_days", 3))
    days = pd.to_numeric(m["days_active"], errors="coerce").fillna(0) if "days_active" in m else pd.Series(0, index=m.index)
    m = m.assign(_counted=days >= min_days, _dep=m[schema.DEPARTMENT].astype("string").fillna("—"),
                 _role=m["role"].astype("string").fillna("—") if "role" in m else "—")
    compare = frame_of(audit, "compare")
    ref: dict[tuple[str, str], float] = {}
    if {"reference", "metric", schema.EMPLOYEE} <= set(compare.columns):
        ref = {(str(e), str(k)): float(v) for e, k, v in
               zip(compare[schema.EMPLOYEE], compare["metric"], pd.to_numeric(compare["reference"], errors="coerce"))}
    findings = frame_of(audit, "findings")
    about = (findings.assign(_s=findings["subject"].astype(str)) if "subject" in findings
             else findings.assign(_s=pd.Series(dtype=str)))
    cards = []
    by_name = {str(r[schema.EMPLOYEE]): r for _, r in m.iterrows()}
    for name in ctx.order or list(by_name):
        if name not in by_name:
            continue
        r = by_name[name]
        dep = m.loc[(m["_dep"] == r["_dep"]) & m["_counted"]]
        # the colleagues the audit's rules compare with: same department and role, enough days
        peers = dep.loc[(dep["_role"] == r["_role"]) & (dep.index != r.name)]
        rows = []
        for col, _better in CARD_METRICS:
            if col not in m:
                continue
            if (name, col) in ref:        # the reference of compare.csv: one number everywhere
                reference = ref[(name, col)]
            else:
                vals = pd.to_numeric(peers[col], errors="coerce")
                reference = float(vals.median()) if vals.notna().any() and col != "days_active" else float("nan")
            rows.append({"metric": col, "value": r[col], "department": reference})
        strengths = []
        if bool(r["_counted"]) and len(dep) >= 2:
            role = str(r.get("role")) if "role" in m and pd.notna(r.get("role")) else "hunter"
            for col in _STRENGTHS:
                # new-client calls are a hunter's job (as the rules judge them): not a strength
                # of a service desk or an inbound manager
                if col == "outgoing_new_clients_per_day" and role != "hunter":
                    continue
                if col in dep and pd.notna(r.get(col)):
                    vals = pd.to_numeric(dep[col], errors="coerce").dropna()
                    others = vals.drop(index=r.name, errors="ignore")
                    # the best alone: strictly above every colleague (a tie is nobody's strength)
                    if len(others) and float(r[col]) > float(others.max()) and float(r[col]) > 0:
                        strengths.append(col)
        cards.append({
            "employee": name, "department": None if r["_dep"] == "—" else str(r["_dep"]),
            "role": r.get("role") if "role" in m else None,
            "role_source": r.get("role_source") if "role_source" in m else None,
            "days_active": int(days.loc[r.name]), "counted": bool(r["_counted"]),
            "colleagues": int(len(peers)),
            "figures": pd.DataFrame(rows, columns=["metric", "value", "department"]),
            "findings": _sorted_findings(about.loc[about["_s"] == name].drop(columns="_s")) if len(about) else about,
            "strengths": strengths,
        })
    return cards


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


# --- missed calls and the call-back worklist -------------------------------------------------------

def call_back_table(audit: Any) -> pd.DataFrame:
    """``audit.to_call_back`` (one row per number never reached) when the audit has it, else
    :func:`callback_list` of ``audit.missed``."""
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


def missed_in_hours(audit: Any) -> pd.DataFrame:
    """The missed calls the headline counts: those inside working hours (``in_hours``)."""
    m = frame_of(audit, "missed")
    return m.loc[m["in_hours"].fillna(False).astype(bool)] if "in_hours" in m else m


#: Columns of the call-back worklist (:func:`worklist`).
WORKLIST_COLUMNS = (schema.CLIENT_NUMBER, "last_missed", "attempts", "owner", schema.DEPARTMENT, "owner_basis")


def worklist(audit: Any, lang: str = "ru") -> pd.DataFrame:
    """The call-back worklist: the open cases only — numbers whose last missed call was
    neither called back nor followed by any answered call — oldest first (the longest wait on
    top).

    Columns :data:`WORKLIST_COLUMNS`: ``client_number``, ``last_missed`` (when the client
    last called in vain), ``attempts`` (how many of the client's calls were missed and are
    unanswered), ``owner`` (who should call back: the client's own manager — the one who
    handled most of the number's calls in all loaded data —, else the employee the missed call
    rang, else nobody named), ``department`` (the owner's, else the missed call's),
    ``owner_basis`` (why that owner, in ``lang``).

    Numbers called back without an answer are not open cases (someone is on them); they stay
    in the workbook's missed-calls sheet.
    """
    tcb = call_back_table(audit)
    cols = list(WORKLIST_COLUMNS)
    if tcb.empty or schema.CLIENT_NUMBER not in tcb:
        return pd.DataFrame(columns=cols)
    open_ = tcb.loc[~tcb["called_back"].fillna(False).astype(bool)] if "called_back" in tcb else tcb
    if "last_missed" not in open_ and schema.START in open_:
        open_ = open_.assign(last_missed=open_[schema.START])
    attempts = open_["missed"] if "missed" in open_ else pd.Series(1, index=open_.index)
    owners = _client_owners(frame_of(audit, "calls"))
    num = open_[schema.CLIENT_NUMBER].astype("string")
    own = owners.reindex(num.to_numpy())
    own_emp = pd.Series(own[schema.EMPLOYEE].to_numpy(), index=open_.index, dtype="string")
    own_dep = pd.Series(own[schema.DEPARTMENT].to_numpy(), index=open_.index, dtype="string")
    rang = open_[schema.EMPLOYEE].astype("string") if schema.EMPLOYEE in open_ else pd.Series(pd.NA, index=open_.index)
    owner = own_emp.fillna(rang)
    basis = np.where(own_emp.notna(), _t("owner_client", lang), np.where(rang.notna(), _t("owner_rang", lang),
                                                                            _t("owner_none", lang)))
    dep = own_dep.where(own_emp.notna()).fillna(open_[schema.DEPARTMENT].astype("string")
                                                if schema.DEPARTMENT in open_ else pd.NA)
    out = pd.DataFrame({schema.CLIENT_NUMBER: num, "last_missed": open_["last_missed"], "attempts": attempts,
                        "owner": owner, schema.DEPARTMENT: dep, "owner_basis": basis}, index=open_.index)
    return out.sort_values("last_missed", kind="stable").reset_index(drop=True).loc[:, cols]


def _client_owners(calls: pd.DataFrame) -> pd.DataFrame:
    """Number → ``employee, department`` of the manager who handled most of its external
    calls (outgoing attempts and answered incoming) in all loaded data
    (:func:`callkit.metrics.concentration.client_owners`)."""
    from callkit.metrics.concentration import client_owners

    return client_owners(calls)


# --- appendix -------------------------------------------------------------------------------------

def coverage_items(ctx: ReportContext) -> list[tuple[str, Any]]:
    """Data coverage and the load report as (label, value) pairs: files, format, encoding,
    rows read / loaded / rejected, duplicates, calls, first and last call in the data."""
    load = getattr(ctx.audit, "load", None)
    rep = getattr(load, "report", load)
    lang = ctx.lang
    items: list[tuple[str, Any]] = []
    if rep is not None:
        files = getattr(rep, "files", None)
        if files:
            from pathlib import Path

            items.append((_t("files_label", lang), ", ".join(Path(str(f)).name for f in files)))
        for key in ("format", "encoding"):
            if getattr(rep, key, None):
                parts = str(getattr(rep, key)).split("+")
                items.append((_t(key, lang), " + ".join(str(value_label(p, lang)) for p in parts)))
        for key in ("rows_read", "rows_loaded", "rows_rejected", "duplicates", "sessions", "machine_answered"):
            if hasattr(rep, key):
                items.append((_t(key, lang), getattr(rep, key)))
    calls = frame_of(ctx.audit, "calls")
    if not calls.empty and schema.START in calls:
        items.append((_t("first_call", lang), calls[schema.START].min()))
        items.append((_t("last_call", lang), calls[schema.START].max()))
    return items


# --- speech -------------------------------------------------------------------------------------

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
    text = (miss["kind"].map(lambda k: speech_value(k, lang)) + ": "
            + miss["item"].map(lambda k: str(speech_value(k, lang))))
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
    for col in ("kind", "speaker", "item"):
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
    """How every figure is computed: plain words first, then the formula, then the threshold
    as used in this report (DESIGN §6, the appendix). Columns ``metric, plain, formula,
    threshold`` with the figures' names in ``ctx.lang``."""
    from callkit.report.format import number, percent
    from callkit.report.labels import DEFINITIONS

    th = getattr(ctx.profile, "thresholds", None) or getattr(ctx.audit, "thresholds", None)
    lang = ctx.lang
    window = float(getattr(th, "callback_window_h", 24))
    days = int(getattr(th, "min_active_days", 3))
    within = float(getattr(th, "answer_within_s", 20))
    thresholds = {
        "external_calls_per_day": _t("th_days", lang, days=days),
        "outgoing_new_clients_per_day": _t("th_days", lang, days=days),
        "gap": _t("th_gap", lang, gap=percent(float(getattr(th, "manager_gap", 0.25)), lang), days=days),
        "lost": _t("window_h", lang, h=window),
        "required_agents": _t("th_service", lang, sl=percent(float(getattr(th, "service_level", 0.8)), lang),
                              within=number(within, lang, 0),
                              wrap=number(float(getattr(th, "wrapup_s", 0)), lang, 0)),
    }
    i = 1 if lang == "en" else 0
    rows = [{"metric": _t(f"def_{k}", lang) if f"def_{k}" in TEXTS else column_label(k, lang), "plain": v[i][0],
             "formula": v[i][1], "threshold": thresholds.get(k, "—")}
            for k, v in DEFINITIONS.items()]
    return pd.DataFrame(rows, columns=["metric", "plain", "formula", "threshold"])


def rules_table(lang: str = "ru") -> pd.DataFrame:
    """The audit's rules as the appendix shows them: ``rule`` (in words), ``definition`` (when
    it fires), ``severity`` (how severe), from :data:`callkit.findings.RULES`."""
    from callkit.findings import rules_table as _rules

    r = _rules(lang)
    return pd.DataFrame({"rule": [value_label(x, lang) for x in r["rule"]], "definition": r["definition"],
                         "severity": r["severity"] if lang == "en" else [_severity_text(x) for x in r["severity"]]})


def _severity_text(rule_severity: str) -> str:
    """A rule's severity (``high``, or a formula ``high if >= 0.5, else medium``) in Russian words
    (the formula itself is in the rule's definition)."""
    s = str(rule_severity).strip()
    if s.startswith("high if"):
        return "высокая или средняя — по величине отклонения"
    return str(value_label(s, "ru"))


def queue_log_sources(audit: Any) -> dict[str, bool]:
    """Whether presence at peaks (``presence``) and the people on the line (``staffing``) were
    counted, for some agents, from the queue_log's log-ins and pauses instead of the calls."""
    p, g = frame_of(audit, "presence"), frame_of(audit, "groups")
    return {"presence": bool("source" in p and (p["source"].astype(str) == "queue_log").any()),
            "staffing": bool("active_source" in g and (g["active_source"].astype(str) != "calls").any())}


def queue_frames(audit: Any) -> dict[str, pd.DataFrame]:
    """The queue tables to show (queues, agents, pauses, abandoned calls); empty without a
    queue_log (:class:`callkit.metrics.queues.QueueTables` of the audit)."""
    from callkit.metrics.queues import AGENT_COLUMNS, QUEUE_COLUMNS

    qt = getattr(audit, "queues", None)
    if qt is None:
        return {}
    q = qt.queues.reindex(columns=list(QUEUE_COLUMNS) + ["exit_empty", "exit_key", "in_progress", "abandon_rate"])
    a = qt.agents.reindex(columns=list(AGENT_COLUMNS) + ["department", "queues", "talk_s", "pauses"])
    ab = qt.entries[qt.entries["outcome"] == "abandoned"].reindex(
        columns=["queue", "entered_at", "caller", "wait_s", "call_id"])
    return {"queues": q, "agents": a, "pauses": qt.pauses, "abandoned": ab}
