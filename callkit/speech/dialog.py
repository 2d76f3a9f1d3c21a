"""Dialog metrics from utterance times: talk ratio, monologues, interruptions, silence, questions.

Definitions (per call, times in seconds from the call start):

- ``employee_talk_s`` / ``client_talk_s``: length of the union of that speaker's utterance
  intervals (overlapping utterances of one speaker are not counted twice).
- ``talk_ratio`` = employee_talk_s / (employee_talk_s + client_talk_s); NaN with no talk.
- ``longest_monologue_s``: the longest run of consecutive employee utterances (by start time)
  with no client utterance starting in between, from the run's first start to its last end.
- ``interruptions``: employee utterances that start while a client utterance that started
  earlier is still going (start < that utterance's end); ``client_interruptions`` likewise.
- ``silence_share``: share of the span from the first utterance start to the last utterance
  end that is covered by nobody's speech.
- ``questions``: employee utterances that are questions — they contain ``?`` or, since
  recognised speech has no punctuation, a question word among their first three words
  (какой, сколько, когда, где, куда, почему, зачем, как, кто, что, чем…) or the particle ``ли``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from callkit import schema
from callkit.speech.load import (
    CLIENT_SPEAKER,
    EMPLOYEE_SPEAKER,
    SPEAKER,
    TEXT,
    UTT_END,
    UTT_START,
)
from callkit.speech.text import lemma, tokenize

__all__ = ["DIALOG_COLUMNS", "QUESTION_WORDS", "dialog_metrics", "is_question", "union_length"]

DIALOG_COLUMNS: tuple[str, ...] = (
    "employee_talk_s", "client_talk_s", "talk_ratio", "longest_monologue_s", "interruptions",
    "client_interruptions", "silence_share", "questions", "utterances",
)

QUESTION_WORDS: frozenset[str] = frozenset(
    "какой сколько когда где куда откуда почему зачем как кто что чем чей ли подсказать "
    "уточнить разве неужели".split())


def union_length(starts: Sequence[float], ends: Sequence[float]) -> float:
    """Total length covered by intervals [start, end] (overlaps counted once).

    Examples
    --------
    >>> union_length([0, 2, 10], [5, 6, 12])   # [0, 6] and [10, 12]
    8.0
    """
    total = 0.0
    cur_s = cur_e = None
    for s, e in sorted(zip(starts, ends)):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return float(total)


def is_question(text: str) -> bool:
    """Whether an utterance is a question (punctuation, or a question word near its start).

    Examples
    --------
    >>> is_question("какой объем вам нужен"), is_question("объем у нас большой")
    (True, False)
    >>> is_question("удобно ли вам говорить"), is_question("Вам удобно?")
    (True, True)
    """
    if "?" in text:
        return True
    toks = tokenize(text)
    if "ли" in toks:
        return True
    return any(lemma(t) in QUESTION_WORDS for t in toks[:3])


def _call_metrics(spk: np.ndarray, st: np.ndarray, en: np.ndarray, txt: Sequence[str]) -> list[float]:
    emp = spk == EMPLOYEE_SPEAKER
    cli = spk == CLIENT_SPEAKER
    e_talk = union_length(st[emp], en[emp])
    c_talk = union_length(st[cli], en[cli])
    ratio = e_talk / (e_talk + c_talk) if e_talk + c_talk > 0 else float("nan")
    longest = 0.0
    run_start = run_end = None
    inter = c_inter = 0
    last_end = {EMPLOYEE_SPEAKER: -np.inf, CLIENT_SPEAKER: -np.inf}
    for k in range(len(st)):
        who = spk[k]
        if who == EMPLOYEE_SPEAKER:
            if st[k] < last_end[CLIENT_SPEAKER]:
                inter += 1
            if run_start is None:
                run_start, run_end = st[k], en[k]
            else:
                run_end = max(run_end, en[k])
            longest = max(longest, run_end - run_start)
        elif who == CLIENT_SPEAKER:
            if st[k] < last_end[EMPLOYEE_SPEAKER]:
                c_inter += 1
            run_start = run_end = None
        if who in last_end:
            last_end[who] = max(last_end[who], en[k])
    span = float(en.max() - st.min()) if len(st) else 0.0
    covered = union_length(st, en)
    silence = (span - covered) / span if span > 0 else float("nan")
    questions = sum(1 for k in np.flatnonzero(emp) if is_question(txt[k]))
    return [e_talk, c_talk, ratio, float(longest), inter, c_inter, silence, questions, len(st)]


def dialog_metrics(utterances: pd.DataFrame) -> pd.DataFrame:
    """Dialog metrics per call (see the module docstring for the definitions).

    Parameters
    ----------
    utterances
        Generic utterance table: ``call_id, speaker, start, end, text``.

    Returns
    -------
    DataFrame
        Indexed by ``call_id``, columns :data:`DIALOG_COLUMNS`.

    Examples
    --------
    >>> u = pd.DataFrame({"call_id": ["a", "a", "a"], "speaker": ["employee", "client", "employee"],
    ...                   "start": [0.0, 4.0, 9.0], "end": [4.0, 8.0, 10.0],
    ...                   "text": ["добрый день", "здравствуйте", "какой объем"]})
    >>> m = dialog_metrics(u).loc["a"]
    >>> float(m["talk_ratio"]), float(m["silence_share"]), int(m["questions"])
    (0.5555555555555556, 0.1, 1)
    """
    if utterances.empty:
        return pd.DataFrame(columns=list(DIALOG_COLUMNS), index=pd.Index([], name=schema.CALL_ID))
    u = utterances.sort_values([schema.CALL_ID, UTT_START, UTT_END], kind="stable")
    ids = u[schema.CALL_ID].astype("string").to_numpy()
    spk = u[SPEAKER].astype("string").str.lower().fillna("unknown").to_numpy(dtype=object)
    st = u[UTT_START].to_numpy(dtype=float)
    en = u[UTT_END].to_numpy(dtype=float)
    txt = u[TEXT].astype("string").fillna("").to_numpy(dtype=object)
    bounds = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
    out = {}
    for a, b in zip(bounds[:-1], bounds[1:]):
        out[ids[a]] = _call_metrics(spk[a:b], st[a:b], en[a:b], txt[a:b])
    df = pd.DataFrame.from_dict(out, orient="index", columns=list(DIALOG_COLUMNS))
    df.index = pd.Index(df.index.astype("string"), name=schema.CALL_ID)
    return df.astype({"interruptions": "int64", "client_interruptions": "int64",
                      "questions": "int64", "utterances": "int64"})
