"""Display tables of the speech audit for notebooks and reports, in Russian or English.

Every function takes a :class:`~callkit.speech.analyze.SpeechResult` and returns a small
DataFrame with readable labels (shares as fractions 0..1; the caller formats them), or draws
one chart on ``ax`` and returns it. Snippets are already free of profanity; with
``mask_numbers`` phone numbers in them are masked too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from callkit import schema
from callkit.report import format as _fmt
from callkit.report import labels as _labels
from callkit.speech.analyze import SpeechResult

__all__ = ["summary_table", "checklist_rates", "manager_table", "brief_table", "violations",
           "plot_stage_rates", "plot_brief_rates", "transcript_load_table",
           "transcript_rejected_table", "LABELS"]

#: The views' words, from the one table of the report's words (:mod:`callkit.report.labels`).
LABELS = _labels.SPEECH_VIEWS


def _l(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "ru"]


def summary_table(result: SpeechResult, *, lang: str = "ru") -> pd.DataFrame:
    """Key figures: calls by kind, script score, results, profanity, stop words, verdict.

    Returns
    -------
    DataFrame
        Two columns, ``metric`` and ``value`` (counts as ints, shares as fractions).
    """
    t = _l(lang)
    pc = result.per_call
    neg = pc.loc[pc["call_kind"] == "negotiation"]
    kinds = pc["call_kind"].value_counts()
    comp = int((pc["competitor_mentions"].fillna(0) > 0).sum()) if "competitor_mentions" in pc else 0
    client_comp = (int((pc["client_mentions_competitor"].fillna(0) > 0).sum())
                   if "client_mentions_competitor" in pc else 0)
    unlabelled = int((pc["speaker_labels"] == "none").sum()) if "speaker_labels" in pc else 0
    rows: list[tuple[str, Any]] = [
        (t["calls"], len(pc)),
        (t["negotiation"], int(kinds.get("negotiation", 0))),
        (t["navigation"], int(kinds.get("navigation", 0))),
        (t["unknown"], int(kinds.get("unknown", 0))),
        (t["script_score"], float(neg["script_score"].mean()) if len(neg) else float("nan")),
        (t["result_rate"], float((neg["call_result"] != "none").mean()) if len(neg) else float("nan")),
        (t["profanity_calls"], int((pc["profanity"].fillna(0) > 0).sum())),
        (t["stop_calls"], int((pc["stop_words"].fillna(0) > 0).sum())),
        (t["competitor_calls"], int(comp)),
        (t["client_competitor_calls"], client_comp),
        (t["talk_ratio"], float(pc["talk_ratio"].mean()) if len(pc) else float("nan")),
    ]
    for kind, how in (("decision_maker", "any"), ("advantage", "share"), ("material", "any")):
        hit, total = f"{kind}s_hit", f"{kind}s_total"
        if hit not in neg.columns or not len(neg) or not (neg[total].fillna(0) > 0).any():
            continue  # the profile does not define this part of the brief
        h = neg[hit].astype(float)
        v = (h > 0).mean() if how == "any" else (h / neg[total].astype(float)).mean()
        rows.append((t[f"{kind}_rate"], float(v)))
    if unlabelled:
        rows.append((t["unlabelled_calls"], unlabelled))
    rows.append((t["verdict"], result.verdict.text))
    return pd.DataFrame(rows, columns=["metric", "value"])


def checklist_rates(result: SpeechResult, *, lang: str = "ru") -> pd.DataFrame:
    """Hit rate of every checklist item over negotiation calls (all departments together).

    Returns ``kind, item, calls, rate`` with translated kind names.
    """
    t = _l(lang)
    c = result.compliance
    c = c.loc[c["level"] == "all", ["kind", "item", "calls", "rate"]].copy()
    c["kind"] = c["kind"].map(lambda k: t.get(k, k))
    return c.rename(columns={"kind": t["kind"], "item": t["item"], "calls": t["calls_col"],
                             "rate": t["rate"]}).reset_index(drop=True)


def manager_table(result: SpeechResult, *, lang: str = "ru") -> pd.DataFrame:
    """Per manager: negotiations, mean script score, stage rates, result rate, profanity calls."""
    t = _l(lang)
    bm = result.by_manager.copy()
    ren = {schema.DEPARTMENT: t["department"], schema.EMPLOYEE: t["employee"],
           "calls": t["calls_col"], "negotiation_calls": t["neg_calls"],
           "script_score": t["script_score"], "result_rate": t["result_rate"],
           "profanity_calls": t["profanity_calls"], "talk_ratio": t["talk_ratio"]}
    bm = bm.drop(columns=["stop_words_per_call"], errors="ignore")
    ren.update({c: t[c] for c in ("decision_maker_rate", "advantage_rate", "material_rate",
                                  "competitor_calls", "client_competitor_calls",
                                  "client_profanity_calls", "unlabelled_calls")})
    return bm.rename(columns=ren)


def brief_table(result: SpeechResult, *, lang: str = "ru", items: bool = True,
                labels: bool = True) -> pd.DataFrame:
    """Per manager: decision makers reached, advantages named, materials used (negotiations).

    Parameters
    ----------
    result
        The speech result.
    lang
        Label language.
    items
        Add one column per role / advantage / material (``ЛПР/ЛВР: ЛПР``...) after the rates.
    labels
        Translate the column names; False keeps ``department, employee, negotiation_calls,
        decision_maker_rate, advantage_rate, material_rate`` and ``<kind>:<item>``.

    Returns
    -------
    DataFrame
        One row per employee with negotiation calls; empty (no columns) when the profile has
        none of ``decision_makers``, ``advantages``, ``materials``.

    Examples
    --------
    ``advantage_rate`` is the mean share of the profile's advantages named per negotiation:
    two advantages, one named in a call and both in another give (1/2 + 2/2) / 2 = 0.75.
    """
    t = _l(lang)
    bm = result.by_manager
    rates = [c for c in ("decision_maker_rate", "advantage_rate", "material_rate") if c in bm.columns]
    if not rates:
        return pd.DataFrame()
    kinds = ("decision_maker:", "advantage:", "material:")
    cols = [schema.DEPARTMENT, schema.EMPLOYEE, "negotiation_calls", *rates]
    if items:
        cols += [c for c in bm.columns if str(c).startswith(kinds)]
    out = bm.loc[bm["negotiation_calls"] > 0, cols].reset_index(drop=True)
    if not labels:
        return out
    ren = {schema.DEPARTMENT: t["department"], schema.EMPLOYEE: t["employee"],
           "negotiation_calls": t["neg_calls"], **{c: t[c] for c in rates}}
    for c in cols:
        if str(c).startswith(kinds):
            kind, item = str(c).split(":", 1)
            ren[c] = f"{t[kind]}: {item}"
    return out.rename(columns=ren)


def violations(result: SpeechResult, *, lang: str = "ru", mask_numbers: bool = True,
               limit: int = 30) -> pd.DataFrame:
    """Calls with a violation, one row per violation, with where and a snippet.

    Violations: in negotiation calls, no greeting stage, no result (next step), a competitor
    named by the employee; in any call, profanity or stop words of the employee (masked).
    Only what the employee said counts: a client who swears or names a competitor is not the
    manager's violation, and a transcript without speaker labels accuses nobody. Sorted by
    employee and call, the first ``limit`` rows.
    """
    t = _l(lang)
    pc = result.per_call.set_index(schema.CALL_ID)
    neg_ids = set(pc.index[pc["call_kind"] == "negotiation"])
    cl = result.checklist
    rows: list[tuple[Any, ...]] = []
    greet = cl.loc[(cl["kind"] == "stage") & (cl["item"] == "greeting") & ~cl["hit"].astype(bool),
                   schema.CALL_ID]
    rows += [(c, t["no_greeting"], float("nan"), "") for c in greet if c in neg_ids]
    rows += [(c, t["no_next_step"], float("nan"), "") for c in pc.index
             if c in neg_ids and pc.at[c, "call_result"] == "none"]
    comp = cl.loc[(cl["kind"] == "competitor") & cl["hit"].astype(bool)
                  & (cl["speaker"] == "employee").fillna(False)]
    rows += [(r.call_id, f"{t['competitor_named']}: {r.item}", r.at_s, r.snippet)
             for r in comp.itertuples() if r.call_id in neg_ids]
    prof = result.profanity
    prof = prof.loc[prof["speaker"] == "employee"].drop_duplicates(schema.CALL_ID)
    rows += [(r.call_id, f"{t['profanity']}: {r.word}", r.at_s, "") for r in prof.itertuples()]
    stop = pc.loc[(pc["stop_words"].fillna(0) > 0).to_numpy(dtype=bool)]
    rows += [(c, f"{t['stop_words']}: {stop.at[c, 'stop_word_list']}", float("nan"), "")
             for c in stop.index]
    df = pd.DataFrame(rows, columns=["call_id", "problem", "at_s", "snippet"])
    df.insert(1, "employee", pc[schema.EMPLOYEE].reindex(df["call_id"]).to_numpy())
    if mask_numbers and len(df):
        from callkit.masking import mask_text

        df["snippet"] = df["snippet"].map(mask_text)
    df = df.sort_values(["employee", "call_id"], kind="stable").head(limit)
    return df.rename(columns={"call_id": t["call_id"], "employee": t["employee"],
                              "problem": t["problem"], "at_s": t["at_s"],
                              "snippet": t["snippet"]}).reset_index(drop=True)


def plot_stage_rates(result: SpeechResult, *, lang: str = "ru", ax: Any = None) -> Any:
    """Horizontal bars: share of negotiation calls where each script stage was done."""
    import matplotlib.pyplot as plt

    t = _l(lang)
    c = result.compliance
    c = c.loc[(c["level"] == "all") & (c["kind"] == "stage")]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(c), 1)))
    names = [str(_labels.value_label(i, lang)) for i in c["item"].astype(str)]
    ax.barh(names[::-1], c["rate"].tolist()[::-1], color="#4C72B0")
    ax.set_xlim(0, 1)
    ax.set_xlabel(t["share"])
    ax.set_title(t["stage_rate"])
    _percent_axis(ax, lang)
    for y, v in enumerate(c["rate"].tolist()[::-1]):
        ax.text(min(v + 0.01, 0.92), y, _fmt.percent(v, lang), va="center")
    return ax


def plot_brief_rates(result: SpeechResult, *, lang: str = "ru", ax: Any = None) -> Any:
    """Horizontal bars: share of negotiation calls with each decision-maker role, advantage and
    material of the brief (``ЛПР/ЛВР: ЛПР``, ``преимущество: …``, ``материал: …``)."""
    import matplotlib.pyplot as plt

    t = _l(lang)
    c = result.compliance
    c = c.loc[(c["level"] == "all") & c["kind"].isin(["decision_maker", "advantage", "material"])]
    names = [f"{t[k]}: {i}" for k, i in zip(c["kind"], c["item"])]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(c), 1)))
    colors = {"decision_maker": "#4C72B0", "advantage": "#55A868", "material": "#C44E52"}
    ax.barh(names[::-1], c["rate"].tolist()[::-1],
            color=[colors[k] for k in c["kind"].tolist()[::-1]])
    ax.set_xlim(0, 1)
    ax.set_xlabel(t["share"])
    ax.set_title(t["brief_rate"])
    _percent_axis(ax, lang)
    for y, v in enumerate(c["rate"].tolist()[::-1]):
        ax.text(min(v + 0.01, 0.92), y, _fmt.percent(v, lang), va="center")
    return ax


def _transcript_report(load: Any) -> Any:
    return getattr(load, "report", load)


def transcript_load_table(load: Any, *, lang: str = "ru") -> pd.DataFrame:
    """The transcript load report for the report's appendix: ``metric, value`` rows — files
    and encodings, rows read / loaded / rejected / duplicates, calls, calls matched, transcripts
    with no call (and their first ids), transcripts without speaker labels, notes.

    ``load`` is a :class:`~callkit.speech.load.TranscriptLoad` (``Audit.speech_load``) or its
    ``TranscriptReport``. Rejected lines are in :func:`transcript_rejected_table`.
    """
    t = _l(lang)
    rep = _transcript_report(load)
    d = rep.as_dict()
    files = ", ".join(f"{Path(f).name} ({rep.encodings.get(Path(f).name, '?')})" for f in rep.files)
    rows: list[tuple[str, Any]] = [(t["tl_files"], files)]
    rows += [(t[f"tl_{k}"], d[k]) for k in ("rows_read", "rows_loaded", "rows_rejected",
                                             "duplicates", "calls")]
    if rep.joined_by is not None:
        rows += [(t["tl_calls_matched"], d["calls_matched"]), (t["tl_unmatched"], d["unmatched"])]
        if rep.unmatched:
            more = f" … (+{len(rep.unmatched) - 5})" if len(rep.unmatched) > 5 else ""
            rows.append((t["tl_unmatched_ids"], ", ".join(rep.unmatched[:5]) + more))
    if d["calls_unlabelled"]:
        rows.append((t["tl_calls_unlabelled"], d["calls_unlabelled"]))
    if rep.notes:
        rows.append((t["tl_notes"], "; ".join(rep.notes)))
    return pd.DataFrame(rows, columns=["metric", "value"])


def transcript_rejected_table(load: Any, *, lang: str = "ru", limit: int = 10,
                              mask_numbers: bool = True) -> pd.DataFrame:
    """The first ``limit`` rejected transcript lines: file, line, reason (numbers masked)."""
    t = _l(lang)
    rej = _transcript_report(load).rejected.head(limit)
    out = pd.DataFrame({t["tl_file"]: rej["source_file"].astype(str).to_numpy(),
                        t["tl_line"]: rej["source_row"].to_numpy(),
                        t["tl_reason"]: rej["reason"].astype(str).to_numpy()})
    if mask_numbers and len(out):
        from callkit.masking import mask_text

        out[t["tl_reason"]] = out[t["tl_reason"]].map(mask_text)
    return out


def _percent_axis(ax: Any, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _fmt.percent(x, lang)))
