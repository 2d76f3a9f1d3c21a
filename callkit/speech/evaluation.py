"""Scoring the call-kind rules on labelled phrasings: per-intent accuracy and confusion.

A phrasings file (YAML) maps an *intent* (``wrong_number``, ``invoice``…) to its ``kind``
(negotiation / navigation / unknown) and a list of ``dialogs``; a dialog is a list of turns
``"E: …"`` (the company's employee) or ``"C: …"`` (the caller). ``benchmarks/kind_eval/`` holds
a development set (``train.yaml``) and a held-out set (``test.yaml``) written apart from the
lexicon of :mod:`callkit.speech.kind`; :func:`overlap` measures that they stay apart.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.speech.load import CLIENT_SPEAKER, EMPLOYEE_SPEAKER, UNKNOWN_SPEAKER
from callkit.speech.synthetic import asr_errors
from callkit.speech.text import lemmas

__all__ = ["read_phrasings", "phrasing_utterances", "kind_scores", "overlap"]

_WHO = {"E": EMPLOYEE_SPEAKER, "C": CLIENT_SPEAKER}


def read_phrasings(path: str | Path) -> pd.DataFrame:
    """One row per turn: ``dialog_id, intent, kind, turn, speaker, text``.

    Raises
    ------
    InputError
        A turn without ``E:``/``C:``, an intent without ``kind`` or ``dialogs``.
    """
    import yaml

    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = []
    for intent, spec in data.items():
        if not isinstance(spec, dict) or "kind" not in spec or "dialogs" not in spec:
            raise InputError(f"{path}: intent {intent!r} needs 'kind' and 'dialogs'")
        for d, dialog in enumerate(spec["dialogs"]):
            for t, turn in enumerate(dialog):
                who, _, text = str(turn).partition(":")
                if who.strip() not in _WHO or not text.strip():
                    raise InputError(f"{path}: {intent} dialog {d + 1} turn {t + 1} {turn!r}; "
                                     "expected 'E: text' or 'C: text'")
                rows.append((f"{path.stem}:{intent}:{d + 1}", intent, spec["kind"], t,
                             _WHO[who.strip()], text.strip()))
    return pd.DataFrame(rows, columns=["dialog_id", "intent", "kind", "turn", "speaker", "text"])


def phrasing_utterances(phrasings: pd.DataFrame, *, style: str | None = None, seed: int = 0,
                        labelled: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The phrasings as an utterance table (3 s a turn) and the labels per call.

    ``style`` applies one recognition-error style of
    :func:`~callkit.speech.synthetic.asr_errors` to every turn; ``labelled=False`` drops the
    speaker labels (every turn ``unknown``). Call ids are ``<dialog_id>|<style or clean>``.
    """
    rng = np.random.default_rng(seed)
    tag = style or "clean"
    text = phrasings["text"] if style is None else phrasings["text"].map(
        lambda t: asr_errors(t, style, rng))
    u = pd.DataFrame({
        schema.CALL_ID: (phrasings["dialog_id"] + "|" + tag).astype("string"),
        "speaker": phrasings["speaker"] if labelled else UNKNOWN_SPEAKER,
        "start": phrasings["turn"].astype(float) * 3.0,
        "end": phrasings["turn"].astype(float) * 3.0 + 2.5,
        "text": text,
    })
    labels = (phrasings.drop_duplicates("dialog_id")
              .assign(**{schema.CALL_ID: lambda d: d["dialog_id"] + "|" + tag, "style": tag})
              [[schema.CALL_ID, "dialog_id", "intent", "kind", "style"]].reset_index(drop=True))
    return u, labels


def kind_scores(predicted: pd.Series, labels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-intent accuracy and the intent x predicted-kind confusion table.

    Parameters
    ----------
    predicted
        Predicted kind per call id.
    labels
        ``call_id, intent, kind`` (from :func:`phrasing_utterances`).

    Returns
    -------
    (per_intent, confusion)
        ``per_intent``: ``intent, kind, calls, correct, accuracy`` in the file's order, plus an
        ``all`` row; ``confusion``: one row per intent, one column per predicted kind (counts).

    Examples
    --------
    >>> lab = pd.DataFrame({"call_id": ["a", "b"], "intent": ["wrong_number", "invoice"],
    ...                     "kind": ["navigation", "negotiation"]})
    >>> acc, conf = kind_scores(pd.Series(["navigation", "navigation"], index=["a", "b"]), lab)
    >>> acc["accuracy"].tolist()
    [1.0, 0.0, 0.5]
    """
    lab = labels.copy()
    lab["predicted"] = predicted.reindex(lab[schema.CALL_ID].to_numpy()).astype("string").fillna(
        "missing").to_numpy()
    lab["correct"] = lab["predicted"] == lab["kind"]
    order = list(dict.fromkeys(lab["intent"]))
    g = lab.groupby("intent", sort=False).agg(kind=("kind", "first"), calls=("correct", "size"),
                                               correct=("correct", "sum")).reindex(order)
    g.loc["all"] = ["", int(g["calls"].sum()), int(g["correct"].sum())]
    g["calls"] = g["calls"].astype("int64")
    g["correct"] = g["correct"].astype("int64")
    g["accuracy"] = g["correct"] / g["calls"]
    conf = pd.crosstab(lab["intent"], lab["predicted"]).reindex(order).fillna(0).astype("int64")
    for k in ("negotiation", "navigation", "unknown"):
        if k not in conf.columns:
            conf[k] = 0
    rest = [c for c in conf.columns if c not in ("negotiation", "navigation", "unknown")]
    conf = conf[["negotiation", "navigation", "unknown", *rest]]
    conf.columns.name = None
    return g.reset_index(), conf


def _ngrams(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)}


def overlap(test: pd.DataFrame, others: Iterable[str], *, n: int = 4,
            min_words: int = 1) -> pd.DataFrame:
    """Test turns that share a run of ``n`` lemmas, or their whole text (turns of
    ``min_words`` or more), with ``others`` (train turns and lexicon phrases): the leaks to
    look at. Empty means the sets are apart at ``n``.

    Returns ``dialog_id, text, shared`` (the shared lemmas).
    """
    other_lem = [lemmas(t) for t in others]
    whole = {" ".join(x) for x in other_lem}
    grams: set[tuple[str, ...]] = set()
    for x in other_lem:
        grams |= _ngrams(x, n)
    rows = []
    for did, text in zip(test["dialog_id"], test["text"]):
        lem = lemmas(text)
        if len(lem) >= min_words and " ".join(lem) in whole:
            rows.append((did, text, " ".join(lem)))
            continue
        shared = _ngrams(lem, n) & grams
        if shared:
            rows.append((did, text, "; ".join(" ".join(g) for g in sorted(shared))))
    return pd.DataFrame(rows, columns=["dialog_id", "text", "shared"])
