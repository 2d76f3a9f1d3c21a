"""Phrase matching on lemma sequences, tolerant to word order gaps and recognition errors.

A phrase written once in the profile, in any inflection ("выставить счёт"), is turned into a
sequence of lemmas (``выставить счет``). A transcript matches it when the lemmas occur in order
with at most ``max_gap`` other words between neighbours (a two-word phrase may also occur in
reverse order: "счёт вам выставлю"). A transcript lemma stands for a phrase lemma when it is
equal, shares a long common prefix (``оплатить`` ~ ``оплата``), or, for words of 5+ letters with
the same first letter, is close by :func:`rapidfuzz.fuzz.ratio` (``выстовить`` ~ ``выставить``,
a typical recognition error). Short words (< 4 letters) must match exactly.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from callkit.speech.text import lemmas as _lemmas

__all__ = ["Phrase", "Match", "PhraseMatcher", "lemma_close", "phrase_matches"]


@dataclass(frozen=True)
class Phrase:
    """One phrase to look for: the checklist ``kind`` and ``item`` it belongs to, its text."""

    kind: str
    item: str
    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A phrase found in a token sequence: phrase index and the token span [start, end]."""

    phrase: int
    start: int
    end: int


def lemma_close(word: str, term: str, *, fuzzy: float = 80.0) -> bool:
    """True when transcript lemma ``word`` may stand for phrase lemma ``term``.

    Examples
    --------
    >>> lemma_close("выстовить", "выставить"), lemma_close("оплатить", "оплата")
    (True, True)
    >>> lemma_close("доставка", "поставка"), lemma_close("свет", "счет")
    (False, False)
    """
    if word == term:
        return True
    n = min(len(word), len(term))
    if n < 4 or word[0] != term[0]:
        return False
    cp = 0
    for a, b in zip(word, term):
        if a != b:
            break
        cp += 1
    if cp >= max(5, n - 2):
        return True
    return n >= 5 and fuzz.ratio(word, term) >= fuzzy


class PhraseMatcher:
    """Find many phrases at once in lemma sequences.

    Parameters
    ----------
    phrases
        ``(kind, item, text)`` triples; ``text`` in any inflection.
    max_gap
        Most words allowed between two neighbouring phrase words.
    fuzzy
        Minimum :func:`rapidfuzz.fuzz.ratio` for a recognition-error match.

    Examples
    --------
    >>> m = PhraseMatcher([("result", "invoice", "выставить счёт")])
    >>> [(x.start, x.end) for x in m.find("я выставлю вам счета сегодня".split())]
    []
    >>> from callkit.speech.text import lemmas
    >>> [(x.start, x.end) for x in m.find(lemmas("я выставлю вам счета сегодня"))]
    [(1, 3)]
    """

    def __init__(self, phrases: Iterable[tuple[str, str, str]], *, max_gap: int = 2,
                 fuzzy: float = 80.0) -> None:
        self.max_gap = max_gap
        self.fuzzy = fuzzy
        self.phrases: list[Phrase] = []
        self._term_index: dict[str, int] = {}
        coded: list[tuple[int, ...]] = []
        for kind, item, text in phrases:
            terms = tuple(_lemmas(text))
            if not terms:
                continue
            self.phrases.append(Phrase(kind, item, text, terms))
            coded.append(tuple(self._term_index.setdefault(t, len(self._term_index)) for t in terms))
        self._coded = coded
        self._terms = list(self._term_index)
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        for t, i in self._term_index.items():
            self._by_first.setdefault(t[:1], []).append((t, i))
        self._cache: dict[str, tuple[int, ...]] = {}

    def term_ids(self, word: str) -> tuple[int, ...]:
        """Ids of the phrase lemmas that transcript lemma ``word`` may stand for (cached)."""
        hit = self._cache.get(word)
        if hit is None:
            exact = self._term_index.get(word)
            ids = {exact} if exact is not None else set()
            if len(word) >= 4:
                for t, i in self._by_first.get(word[:1], ()):
                    if i not in ids and lemma_close(word, t, fuzzy=self.fuzzy):
                        ids.add(i)
            hit = tuple(sorted(ids))
            self._cache[word] = hit
        return hit

    def positions(self, lemma_seq: Sequence[str]) -> dict[int, list[int]]:
        """Map term id -> sorted token positions where it occurs."""
        pos: dict[int, list[int]] = {}
        cache = self._cache
        for k, w in enumerate(lemma_seq):
            ids = cache.get(w)
            if ids is None:
                ids = self.term_ids(w)
            for i in ids:
                pos.setdefault(i, []).append(k)
        return pos

    def find(self, lemma_seq: Sequence[str], *, positions: dict[int, list[int]] | None = None,
             only: Iterable[int] | None = None) -> list[Match]:
        """All non-overlapping occurrences of every phrase (or of the phrase indices ``only``)."""
        pos = self.positions(lemma_seq) if positions is None else positions
        out: list[Match] = []
        gap = self.max_gap + 1
        idx = range(len(self._coded)) if only is None else only
        for pi in idx:
            code = self._coded[pi]
            first = pos.get(code[0])
            if not first:
                continue
            if len(code) == 1:
                out.extend(Match(pi, p, p) for p in first)
                continue
            rest = [pos.get(t) for t in code[1:]]
            if not all(rest):
                continue
            last_end = -1
            for p0 in first:
                if p0 <= last_end:
                    continue
                end = _chain(p0, rest, gap)
                if end is not None:
                    out.append(Match(pi, p0, end))
                    last_end = end
            if len(code) == 2 and not any(m.phrase == pi for m in out):
                # free word order: the second word first ("счёт вам выставлю")
                second = rest[0]
                for q in second:
                    j = bisect_right(first, q)
                    if j < len(first) and first[j] - q <= gap:
                        out.append(Match(pi, q, first[j]))
                        break
        return out


def _chain(p0: int, rest: list[list[int]], gap: int) -> int | None:
    cur = p0
    for plist in rest:
        j = bisect_right(plist, cur)
        if j == len(plist) or plist[j] - cur > gap:
            return None
        cur = plist[j]
    return cur


def phrase_matches(phrase: str, text: str, *, max_gap: int = 2) -> bool:
    """True when ``phrase`` (any inflection) occurs in ``text`` by lemma matching.

    Examples
    --------
    >>> phrase_matches("выставить счёт", "выставлю вам счета")
    True
    >>> phrase_matches("выставить счёт", "выставили оценки ученикам а про счёт забыли")
    False
    """
    m = PhraseMatcher([("", "", phrase)], max_gap=max_gap)
    return bool(m.find(_lemmas(text)))
