"""Call kind from the transcript: negotiation, navigation or unknown.

Two ways, both on lemmas:

- :func:`kind_cues` + :func:`kind_from_cues` — lexicon rules: built-in navigation cues (wrong
  number, directions, opening hours, requisites, transfers, someone selling to the company) and
  negotiation cues (price, stock, order, invoice, specification, delivery, payment, contract),
  plus the profile's ``navigation`` / ``negotiation`` cues and its results and deal terms.
- :class:`CallKindClassifier` — TF-IDF over lemmas + logistic regression, trainable on
  labelled calls (scikit-learn style: ``fit`` returns self, ``predict`` returns a Series).

(The duration fallback for calls *without* a transcript belongs to ``callkit.classify``.)
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from callkit import schema
from callkit.speech.load import TEXT, UTT_START
from callkit.speech.text import lemma, tokenize

__all__ = [
    "NEGOTIATION", "NAVIGATION", "UNKNOWN", "KINDS", "NAVIGATION_CUES", "NEGOTIATION_CUES",
    "kind_from_cues", "call_documents", "CallKindClassifier",
]

NEGOTIATION, NAVIGATION, UNKNOWN = "negotiation", "navigation", "unknown"
KINDS: tuple[str, ...] = (NEGOTIATION, NAVIGATION, UNKNOWN)

NAVIGATION_CUES: tuple[str, ...] = (
    "ошиблись номером", "не туда попали", "не туда попал", "как проехать", "как к вам добраться",
    "где вы находитесь", "какой у вас адрес", "до скольки вы работаете", "режим работы",
    "часы работы", "реквизиты", "номер расчетного счета", "соедините с", "переключите на",
    "переключаю на", "добавочный", "отдел кадров", "бухгалтерия", "мы предлагаем",
    "представляю компанию", "рекламное агентство", "нам не интересно", "продвижение сайта",
    "вакансия", "резюме", "въезд со двора",
)
NEGOTIATION_CUES: tuple[str, ...] = (
    "цена", "стоимость", "сколько стоит", "прайс", "наличие", "заказ", "выставить счет",
    "счет на оплату", "коммерческое предложение", "спецификация", "поставка", "доставка",
    "отгрузка", "договор", "оплата", "скидка", "партия", "артикул", "аналог", "гарантия",
    "какой объем", "сроки поставки",
)


def kind_from_cues(navigation: int, negotiation: int, *, words: int, min_words: int = 5) -> str:
    """Rule: the side with more distinct cues wins; ties and single navigation cues go to
    navigation (such calls are short), nothing found or a near-empty transcript is unknown.

    Examples
    --------
    >>> kind_from_cues(0, 3, words=120), kind_from_cues(2, 1, words=30)
    ('negotiation', 'navigation')
    >>> kind_from_cues(0, 0, words=80), kind_from_cues(0, 2, words=3)
    ('unknown', 'unknown')
    """
    if words < min_words:
        return UNKNOWN
    if negotiation > navigation and negotiation >= 1:
        return NEGOTIATION
    if navigation >= 1 and navigation >= negotiation:
        return NAVIGATION
    return UNKNOWN


def call_documents(utterances: pd.DataFrame) -> pd.Series:
    """One lemma document per call (both speakers, in time order), indexed by ``call_id``.

    Examples
    --------
    >>> u = pd.DataFrame({"call_id": ["a", "a"], "speaker": ["employee", "client"],
    ...                   "start": [0.0, 2.0], "end": [1.0, 3.0], "text": ["Выставлю счета", "хорошо"]})
    >>> call_documents(u).to_dict()
    {'a': 'выставить счет хорошо'}
    """
    u = utterances.sort_values([schema.CALL_ID, UTT_START], kind="stable")
    docs: dict[str, list[str]] = {}
    for cid, text in zip(u[schema.CALL_ID].astype("string"), u[TEXT].astype("string").fillna("")):
        docs.setdefault(cid, []).extend(lemma(t) for t in tokenize(text))
    s = pd.Series({k: " ".join(v) for k, v in docs.items()}, dtype="string")
    s.index = pd.Index(s.index, name=schema.CALL_ID, dtype="string")
    return s


@lru_cache(maxsize=1)
def _cue_matcher():
    from callkit.speech.match import PhraseMatcher

    return PhraseMatcher([(NAVIGATION, c, c) for c in NAVIGATION_CUES]
                         + [(NEGOTIATION, c, c) for c in NEGOTIATION_CUES])


def _with_cues(doc: str) -> str:
    m = _cue_matcher()
    found = {(m.phrases[x.phrase].kind, m.phrases[x.phrase].item) for x in m.find(doc.split())}
    extra = " ".join(f"cue_{kind}" for kind, _ in sorted(found))
    return f"{doc} {extra}" if extra else doc


class CallKindClassifier:
    """TF-IDF over lemmas + logistic regression: negotiation vs navigation (vs unknown).

    Parameters
    ----------
    C
        Inverse regularization strength of the logistic regression.
    ngram_range
        Lemma n-grams used as features.
    min_df
        Ignore lemmas seen in fewer documents.
    unknown_below
        Predict ``"unknown"`` when the top class probability is below this (0 = never).
    random_state
        Seed for the solver.
    lexicon
        Add the built-in navigation/negotiation cues as features (one pseudo-word
        ``cue_navigation`` / ``cue_negotiation`` per distinct cue found), so the model can
        recognise a kind of call it never saw in training when the cues are there.

    Examples
    --------
    >>> docs = pd.Series(["цена доставка счет", "ошибиться номер", "скидка цена заказ",
    ...                   "как проехать адрес"], index=["a", "b", "c", "d"])
    >>> clf = CallKindClassifier().fit(docs, ["negotiation", "navigation", "negotiation", "navigation"])
    >>> clf.predict(pd.Series(["заказ цена"], index=["x"])).to_dict()
    {'x': 'negotiation'}
    """

    def __init__(self, *, C: float = 4.0, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1,
                 unknown_below: float = 0.0, random_state: int | None = 0,
                 lexicon: bool = True) -> None:
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.unknown_below = unknown_below
        self.random_state = random_state
        self.lexicon = lexicon

    def _docs(self, docs: pd.Series | Iterable[str]) -> pd.Series:
        if isinstance(docs, pd.DataFrame):
            s = call_documents(docs)
        else:
            s = docs if isinstance(docs, pd.Series) else pd.Series(list(docs))
            s = s.astype("string").fillna("")
        if self.lexicon:
            s = s.map(_with_cues).astype("string")
        return s

    def fit(self, docs: pd.Series | Iterable[str] | pd.DataFrame, y: pd.Series | Iterable[str]
            ) -> CallKindClassifier:
        """Learn from lemma documents (or an utterance table) and their kinds."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        s = self._docs(docs)
        labels = y.reindex(s.index) if isinstance(y, pd.Series) and isinstance(docs, pd.DataFrame) \
            else pd.Series(list(y), index=s.index)
        if labels.isna().any():
            raise ValueError("CallKindClassifier.fit: some documents have no label; expected one "
                             "label per document")
        self.vectorizer_ = TfidfVectorizer(token_pattern=r"[^ ]+", ngram_range=self.ngram_range,
                                           min_df=self.min_df, sublinear_tf=True)
        x = self.vectorizer_.fit_transform(s.to_numpy(dtype=object))
        self.model_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
        self.model_.fit(x, labels.astype(str).to_numpy())
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, docs: pd.Series | Iterable[str] | pd.DataFrame) -> pd.DataFrame:
        """Class probabilities, one row per document (same index), one column per class."""
        if not hasattr(self, "model_"):
            raise ValueError("CallKindClassifier is not fitted; call fit(docs, y) first")
        s = self._docs(docs)
        p = self.model_.predict_proba(self.vectorizer_.transform(s.to_numpy(dtype=object)))
        return pd.DataFrame(p, index=s.index, columns=list(self.classes_))

    def predict(self, docs: pd.Series | Iterable[str] | pd.DataFrame) -> pd.Series:
        """Predicted kind per document, a Series aligned to the input index."""
        p = self.predict_proba(docs)
        best = p.to_numpy().argmax(axis=1)
        out = np.asarray(self.classes_, dtype=object)[best]
        if self.unknown_below > 0:
            out = np.where(p.to_numpy().max(axis=1) < self.unknown_below, UNKNOWN, out)
        return pd.Series(out, index=p.index, dtype="string", name="call_kind")

    def score(self, docs: pd.Series | Iterable[str] | pd.DataFrame, y: pd.Series | Iterable[str]) -> float:
        """Accuracy of :meth:`predict` against ``y``."""
        pred = self.predict(docs)
        truth = y.reindex(pred.index) if isinstance(y, pd.Series) and isinstance(docs, pd.DataFrame) \
            else pd.Series(list(y), index=pred.index)
        return float((pred.astype(str).to_numpy() == truth.astype(str).to_numpy()).mean())
