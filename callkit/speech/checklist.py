"""Checklists from the client profile and compliance rates per manager and department.

Items (DESIGN §4/§5): script stages (``stage``), mandatory questions (``question``), desired
results (``result``), competitors (``competitor``), deal terms (``term``), and from the brief's
issue-6 keys: decision makers reached (``decision_maker``, one item per role such as ЛПР/ЛВР),
the company's advantages over competitors (``advantage``) and the sales materials used in the
call (``material``: price list, stock check...).

Who must say it: stages, questions, advantages and materials count only when the *employee*
says them (a client asking for the price list is not the seller using it); results,
competitors, terms and decision-maker cues count for either speaker (a client saying
"выставьте счёт" is a result, "мне надо согласовать с директором" tells who decides) and the
speaker is recorded.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from callkit import schema
from callkit.profile import Profile

__all__ = [
    "STAGE", "QUESTION", "RESULT", "COMPETITOR", "TERM", "DECISION_MAKER", "ADVANTAGE", "MATERIAL",
    "BRIEF_KINDS", "RATED_KINDS", "CHECKLIST_KINDS", "CHECKLIST_COLUMNS",
    "DEFAULT_RESULTS", "ChecklistItem", "checklist_items", "compliance",
]

STAGE, QUESTION, RESULT, COMPETITOR, TERM = "stage", "question", "result", "competitor", "term"
DECISION_MAKER, ADVANTAGE, MATERIAL = "decision_maker", "advantage", "material"
#: The kinds from the brief's ``decision_makers``, ``advantages`` and ``materials`` keys.
BRIEF_KINDS: tuple[str, ...] = (DECISION_MAKER, ADVANTAGE, MATERIAL)
CHECKLIST_KINDS: tuple[str, ...] = (STAGE, QUESTION, RESULT, COMPETITOR, TERM) + BRIEF_KINDS
#: Kinds whose hit rate is a compliance rate (a competitor named is not something to do).
RATED_KINDS: tuple[str, ...] = (STAGE, QUESTION, RESULT, TERM) + BRIEF_KINDS
CHECKLIST_COLUMNS: tuple[str, ...] = (schema.CALL_ID, "kind", "item", "hit", "at_s", "snippet",
                                      "speaker")

#: Result cues used when the profile has no ``call_results`` (most valuable first).
DEFAULT_RESULTS: dict[str, list[str]] = {
    "sale": ["оформить заказ", "оформить поставку", "договорились о поставке"],
    "invoice": ["выставить счет", "отправить счет", "счет на оплату"],
    "meeting": ["назначить встречу", "встретиться", "подъехать на встречу"],
    "next_contact": ["созвониться", "перезвонить в", "связаться завтра"],
    "clarify": ["уточнить заявку", "уточнить количество"],
}


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to look for: kind, item name, its phrases, and whose speech counts."""

    kind: str
    item: str
    phrases: tuple[str, ...]
    employee_only: bool


def checklist_items(profile: Profile) -> list[ChecklistItem]:
    """The checklist a profile defines, in report order.

    Examples
    --------
    >>> from callkit.profile import profile_from_dict
    >>> p = profile_from_dict({"client": "Demo", "slug": "demo",
    ...     "script": [{"stage": "greeting", "phrases": ["добрый день"]}],
    ...     "mandatory_questions": ["какой объем"], "competitors": ["Чистолинк"]}, check_files=False)
    >>> [(i.kind, i.item) for i in checklist_items(p)][:3]
    [('stage', 'greeting'), ('question', 'какой объем'), ('result', 'sale')]
    """
    items = [ChecklistItem(STAGE, s["stage"], tuple(s["phrases"]), True) for s in profile.script]
    items += [ChecklistItem(QUESTION, q, (q,), True) for q in profile.mandatory_questions]
    results = profile.call_results or DEFAULT_RESULTS
    items += [ChecklistItem(RESULT, k, tuple(v), False) for k, v in results.items()]
    items += [ChecklistItem(COMPETITOR, c, (c,), False) for c in profile.competitors]
    items += [ChecklistItem(TERM, k, tuple(v), False) for k, v in profile.deal_terms.items()]
    items += [ChecklistItem(DECISION_MAKER, k, tuple(v), False)
              for k, v in profile.decision_makers.items() if v]
    items += [ChecklistItem(ADVANTAGE, k, tuple(v), True) for k, v in profile.advantages.items() if v]
    items += [ChecklistItem(MATERIAL, k, tuple(v), True) for k, v in profile.materials.items() if v]
    return items


def compliance(checklist: pd.DataFrame, per_call: pd.DataFrame, *,
               kinds: tuple[str, ...] = RATED_KINDS,
               only_negotiation: bool = True) -> pd.DataFrame:
    """Hit rates per employee and per department for every checklist item.

    Parameters
    ----------
    checklist
        Long checklist (:data:`CHECKLIST_COLUMNS`).
    per_call
        Per-call table with ``call_id, employee, department, call_kind``.
    kinds
        Checklist kinds to rate.
    only_negotiation
        Rate only negotiation calls (a wrong number has no script to follow).

    Returns
    -------
    DataFrame
        Long: ``level (employee | department | all), department, employee, kind, item, calls,
        hits, rate`` (rate = hits / calls, 0..1).

    Examples
    --------
    >>> cl = pd.DataFrame({"call_id": ["a", "b"], "kind": ["stage", "stage"],
    ...                    "item": ["greeting", "greeting"], "hit": [True, False]})
    >>> pc = pd.DataFrame({"call_id": ["a", "b"], "employee": ["Анна", "Анна"],
    ...                    "department": ["Продажи", "Продажи"], "call_kind": ["negotiation"] * 2})
    >>> r = compliance(cl, pc).iloc[0]
    >>> r["level"], r["employee"], int(r["calls"]), int(r["hits"]), float(r["rate"])
    ('employee', 'Анна', 2, 1, 0.5)
    """
    cols = ["level", schema.DEPARTMENT, schema.EMPLOYEE, "kind", "item", "calls", "hits", "rate"]
    pc = per_call
    if only_negotiation and "call_kind" in pc.columns:
        pc = pc.loc[pc["call_kind"] == "negotiation"]
    keep = [c for c in (schema.CALL_ID, schema.EMPLOYEE, schema.DEPARTMENT) if c in pc.columns]
    cl = checklist.loc[checklist["kind"].isin(kinds), [schema.CALL_ID, "kind", "item", "hit"]]
    df = cl.merge(pc[keep], on=schema.CALL_ID, how="inner")
    if df.empty:
        return pd.DataFrame(columns=cols)
    for c in (schema.EMPLOYEE, schema.DEPARTMENT):
        if c not in df.columns:
            df[c] = pd.NA
        df[c] = df[c].astype("string").fillna("—")
    df["hit"] = df["hit"].astype(bool)
    parts = []
    for level, by in (("employee", [schema.DEPARTMENT, schema.EMPLOYEE]),
                      ("department", [schema.DEPARTMENT]), ("all", [])):
        g = df.groupby(by + ["kind", "item"], sort=False, observed=True)["hit"].agg(["size", "sum"])
        g = g.reset_index().rename(columns={"size": "calls", "sum": "hits"})
        g["level"] = level
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    for c in (schema.EMPLOYEE, schema.DEPARTMENT):
        if c not in out.columns:
            out[c] = pd.NA
    out["hits"] = out["hits"].astype("int64")
    out["calls"] = out["calls"].astype("int64")
    out["rate"] = out["hits"] / out["calls"]
    return out[cols]
