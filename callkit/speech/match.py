"""Phrase matching on lemma sequences, tolerant to word order gaps and recognition errors.

A phrase written once in the profile, in any inflection ("выставить счёт"), is turned into a
sequence of lemmas (``выставить счет``). A transcript matches it when the lemmas occur in order
with at most ``max_gap`` other words between neighbours (a two-word phrase may also occur in
reverse order: "счёт вам выставлю"). A transcript lemma stands for a phrase lemma when it is
equal, shares a stem — a common prefix of 5+ letters missing at most 3 letters of the longer
word (``оплатить`` ~ ``оплата``), or, for words of 5+ letters with the same first letter, is
close by :func:`rapidfuzz.fuzz.ratio` (``выстовить`` ~ ``выставить``, a typical recognition
error), either as a whole or after cutting the endings (``встричать`` ~ ``встреча``). Short words (< 4 letters) must match exactly,
and so does a phrase word written with a leading ``=`` (``=поставка`` is not ``поставщик``);
``~word`` matches only that word form (``~можем``, not ``можете``) where the caller passes
surface forms (:meth:`PhraseMatcher.surface_ids`; ``analyze_calls`` does).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from callkit.speech.text import is_known_word, lemma, tokenize
from callkit.speech.text import lemmas as _lemmas

__all__ = ["Phrase", "Match", "PhraseMatcher", "lemma_close", "phrase_matches", "stem"]


@dataclass(frozen=True)
class Phrase:
    """One phrase to look for: the checklist ``kind`` and ``item`` it belongs to, its text."""

    kind: str
    item: str
    text: str
    terms: tuple[str, ...]


class Match(NamedTuple):
    """A phrase found in a token sequence: phrase index and the token span [start, end].
    (A named tuple: millions are made on a big corpus.)"""

    phrase: int
    start: int
    end: int


def lemma_close(word: str, term: str, *, fuzzy: float = 80.0, known: bool = False) -> bool:
    """True when transcript lemma ``word`` may stand for phrase lemma ``term``.

    Examples
    --------
    >>> lemma_close("выстовить", "выставить"), lemma_close("оплатить", "оплата")
    (True, True)
    >>> lemma_close("доставка", "поставка"), lemma_close("свет", "счет")
    (False, False)
    >>> lemma_close("фильтр", "фильтрогран")   # a word is not its longer compound
    False
    >>> lemma_close("простить", "поступить", known=True)   # two real words: no fuzzy match
    False

    ``known``: the transcript word is in the dictionary. A recognition error that yields a
    real word is rarer than one that yields a non-word, while two real words a few letters
    apart are common ("простить" / "поступить", "стоить" / "стоимость"), so a known word
    matches by its stem (``выставлять`` ~ ``выставить``), not by the whole-word fuzzy ratio.
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
    if cp >= max(5, max(len(word), len(term)) - 3):  # same stem, other ending/part of speech
        return True
    if not known and n >= 5 and fuzz.ratio(word, term) >= fuzzy:
        return True
    sw, st = stem(word), stem(term)  # a recognition error plus another ending
    return (min(len(sw), len(st)) >= 5 and abs(len(sw) - len(st)) <= 2
            and fuzz.ratio(sw, st) >= fuzzy)


_ENDING = re.compile(
    r"(?:уйте|айте|йте|ите|овать|евать|ывать|ивать|ать|ять|ить|еть|уть|ешь|ете|ишь|ами|ями|ого|"
    r"его|ому|ему|ыми|ими|ют|ут|ат|ят|им|ем|ом|ам|ям|ах|ях|ой|ей|ый|ий|ая|яя|ое|ее|ую|юю|"
    r"а|я|о|е|и|ы|у|ю|ь|й)$")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A crude Russian stem: the reflexive suffix and one inflectional ending cut off.

    Examples
    --------
    >>> stem("встречаться"), stem("уточню"), stem("здравствуйте")
    ('встреч', 'уточн', 'здравств')
    """
    w = word[:-2] if len(word) > 5 and word.endswith(("ся", "сь")) else word
    cut = _ENDING.sub("", w)
    return cut if len(cut) >= 3 else w


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
            terms = tuple(_phrase_terms(text))
            if not terms:
                continue
            self.phrases.append(Phrase(kind, item, text, terms))
            coded.append(tuple(self._term_index.setdefault(t, len(self._term_index)) for t in terms))
        self._coded = coded
        self._terms = list(self._term_index)
        # first term id -> the phrases starting with it (a document is only checked against
        # the phrases whose first word it contains)
        self._starts: dict[int, list[int]] = {}
        for pi, code in enumerate(coded):
            self._starts.setdefault(code[0], []).append(pi)
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        for t, i in self._term_index.items():
            self._by_first.setdefault(t[:1], []).append((t, i))
        self._cache: dict[str, tuple[int, ...]] = {}

    def term_ids(self, word: str) -> tuple[int, ...]:
        """Ids of the phrase lemmas that transcript lemma ``word`` may stand for (cached)."""
        hit = self._cache.get(word)
        if hit is None:
            ids = {i for i in (self._term_index.get(word), self._term_index.get("=" + word))
                   if i is not None}
            if len(word) >= 4:
                known = is_known_word(word)
                for t, i in self._by_first.get(word[:1], ()):
                    if i not in ids and lemma_close(word, t, fuzzy=self.fuzzy, known=known):
                        ids.add(i)
                if not known:   # "=поставка" still takes a cut-off "поставк"
                    for t, i in self._by_first.get("=", ()):
                        if len(word) >= len(t) - 3 and t[1:].startswith(word):
                            ids.add(i)
            hit = tuple(sorted(ids))
            self._cache[word] = hit
        return hit

    def surface_ids(self, token: str) -> tuple[int, ...]:
        """Ids of the ``~word`` phrase terms that match this very word form."""
        i = self._term_index.get("~" + token)
        return () if i is None else (i,)

    def positions(self, lemma_seq: Sequence[str | tuple[str, ...]]) -> dict[int, list[int]]:
        """Map term id -> sorted token positions where it occurs.

        An element may be a tuple of alternatives (e.g. the guessed lemma and the surface form
        of a word the dictionary does not know); it stands for every term either matches.
        """
        pos: dict[int, list[int]] = {}
        cache = self._cache
        for k, w in enumerate(lemma_seq):
            if isinstance(w, tuple):  # alternatives (lemma, surface form) of an unknown word
                ids = tuple(sorted({i for x in w for i in self.term_ids(x)}))
            else:
                ids = cache.get(w)
                if ids is None:
                    ids = self.term_ids(w)
            for i in ids:
                pos.setdefault(i, []).append(k)
        return pos

    def find(self, lemma_seq: Sequence[str | tuple[str, ...]], *, positions: dict[int, list[int]] | None = None,
             only: Iterable[int] | None = None, breaks: Sequence[int] = ()) -> list[Match]:
        """All non-overlapping occurrences of every phrase (or of the phrase indices ``only``).

        ``breaks``: sorted token positions where a new utterance starts; no match spans one.
        """
        pos = self.positions(lemma_seq) if positions is None else positions
        out: list[Match] = []
        gap = self.max_gap + 1
        starts = self._starts
        cand = sorted({pi for tid in pos if tid in starts for pi in starts[tid]})
        idx = cand if only is None else [pi for pi in only if pi in set(cand)]
        brk = list(breaks)
        inf = float("inf")

        def limit(p: int) -> float:   # the first position of the next utterance after p
            j = bisect_right(brk, p)
            return brk[j] if j < len(brk) else inf

        coded = self._coded
        get = pos.get
        for pi in idx:
            code = coded[pi]
            first = get(code[0])
            if not first:
                continue
            if len(code) == 1:
                out += [Match(pi, p, p) for p in first]
                continue
            rest = [get(t) for t in code[1:]]
            if not all(rest):
                continue
            last_end = -1
            found = False
            if len(code) == 2 and len(rest[0]) < len(first):
                # a frequent first word ("не торгуем"): walk the rarer second word instead;
                # for each of its places the nearest first word before it, as the walk over
                # the first word would pair them
                for q in rest[0]:
                    j = bisect_right(first, q - 1) - 1
                    if j < 0 or first[j] <= last_end or q - first[j] > gap:
                        continue
                    k = bisect_right(first, max(last_end, q - gap - 1))
                    p0 = first[k]   # the earliest unmatched first word that reaches q
                    if brk and q >= limit(p0):
                        p0 = first[j]
                        if q >= limit(p0):
                            continue
                    out.append(Match(pi, p0, q))
                    last_end = q
                    found = True
            else:
                for p0 in first:
                    if p0 <= last_end:
                        continue
                    end = _chain(p0, rest, gap, limit(p0) if brk else inf)
                    if end is not None:
                        out.append(Match(pi, p0, end))
                        last_end = end
                        found = True
            if len(code) == 2 and not found:
                # free word order: the second word first ("счёт вам выставлю")
                second = rest[0]
                for q in second:
                    j = bisect_right(first, q)
                    if j < len(first) and first[j] - q <= gap and (not brk or first[j] < limit(q)):
                        out.append(Match(pi, q, first[j]))
                        break
        return out


def _phrase_terms(text: str) -> list[str]:
    # a word the dictionary does not know (a brand, a competitor) is kept as written: its
    # guessed "lemma" is arbitrary ("Фильтрогран" -> "фильтрограть"); a word written "=слово"
    # matches its lemma exactly, without the stem and fuzzy rules ("=поставка" is not
    # "поставщик")
    # "~слово" matches that very word form ("~можем" is not "можете"): the engine looks the
    # surface form up too (PhraseMatcher.surface_ids)
    out: list[str] = []
    for piece in str(text).split():
        if piece.startswith("~"):
            out += ["~" + t for t in tokenize(piece[1:])]
            continue
        exact = piece.startswith("=")
        for t in tokenize(piece.lstrip("=")):
            term = lemma(t) if is_known_word(t) else t
            out.append("=" + term if exact else term)
    return out


def _chain(p0: int, rest: list[list[int]], gap: int, stop: float = float("inf")) -> int | None:
    cur = p0
    for plist in rest:
        j = bisect_right(plist, cur)
        if j == len(plist) or plist[j] - cur > gap or plist[j] >= stop:
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
