"""Profanity: Russian мат and vulgar words found by roots with morphology, and masking.

Not a flat word list: each root (``callkit/data/profanity_roots.txt``, written for callkit) is a
regular expression that opens a word, possibly after one Russian prefix (``за-``, ``на-``,
``по-``, ``от-``, ``раз-`` … ``подъ-``), so one root covers the hundreds of inflected and derived
forms (``заебал``, ``отъебись``, ``нихуя``, ``выблядок``), while words that merely contain the
letters (``хлеб``, ``себе``, ``употреблять``, ``скребу``, ``оскорблять``, ``корабля``,
``застрахуйте``, ``мандарин``, ``мудрый``) are not hit. Tokens that mix Cyrillic with Latin
look-alike letters or digits (``eбaть``, ``6ля``, ``xyй``) are mapped to Cyrillic first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from callkit.speech.text import normalize

__all__ = [
    "MAT", "RUDE", "profanity_kind", "is_profane", "mask_word", "mask_text", "find_profanity",
    "PREFIXES",
]

MAT, RUDE = "mat", "rude"

# Russian verb/noun prefixes that may precede a root; consonant-final ones may be followed by
# the hard (or, in sloppy spelling, soft) sign.
_VOWEL_PREFIXES = ("пона", "поза", "повы", "пере", "недо", "надо", "подо", "пре", "при", "про", "обо", "ото", "разо",
                   "изо", "на", "за", "по", "до", "вы", "во", "со", "не", "ни", "у", "о")
_CONS_PREFIXES = ("без", "бес", "воз", "вос", "вз", "вс", "из", "ис", "над", "под", "пред",
                  "раз", "рас", "об", "от", "в", "с")
PREFIXES: tuple[str, ...] = _VOWEL_PREFIXES + _CONS_PREFIXES
_PREF = "(?:" + "|".join(_VOWEL_PREFIXES) + "|(?:" + "|".join(_CONS_PREFIXES) + ")[ъь]?)"
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"

_LOOKALIKE = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
                            "k": "к", "m": "м", "t": "т", "h": "н", "b": "в", "u": "и", "i": "и",
                            "6": "б", "3": "з", "0": "о", "@": "а", "$": "с"})
_CYR = re.compile(r"[а-я]")
_LAT_OR_DIGIT = re.compile(r"[a-z0-9@$]")
_WORD = re.compile(r"[a-zа-яё0-9@$]+", re.IGNORECASE)


def _compile(mode: str, rx: str, *, root_eb: bool = False) -> str:
    if mode == "any":
        return rx
    if mode == "word":
        return rf"^(?:{rx})$"
    if mode == "start":
        if root_eb:  # "еб" after a consonant-final prefix needs ъ/ь: съеб- yes, себе no
            return rf"^{_PREF}?(?<![{_CONSONANTS}])(?:{rx})"
        return rf"^{_PREF}?(?:{rx})"
    raise ValueError(f"profanity_roots.txt: unknown mode {mode!r}; expected start, any or word")


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
    text = resources.files("callkit").joinpath("data/profanity_roots.txt").read_text("utf-8")
    parts: dict[str, list[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            cat, mode, rx = line.split(None, 2)
        except ValueError:
            raise ValueError(f"profanity_roots.txt line {n}: {line!r}; expected "
                             "'category mode regex'") from None
        parts.setdefault(cat, []).append(_compile(mode, rx, root_eb=rx.startswith("е")))
    cats = {c: re.compile("|".join(f"(?:{p})" for p in ps)) for c, ps in parts.items() if c != "except"}
    exc = re.compile("|".join(f"(?:{p})" for p in parts["except"])) if "except" in parts else None
    return cats, exc


def _canon(token: str) -> str:
    t = normalize(token)
    if _CYR.search(t) and _LAT_OR_DIGIT.search(t):
        t = t.translate(_LOOKALIKE)
    return t


@lru_cache(maxsize=200_000)
def profanity_kind(token: str) -> str | None:
    """``"mat"``, ``"rude"`` or None for one word (any case; ё, look-alike letters handled).

    Examples
    --------
    >>> [profanity_kind(w) for w in ["Заебал", "нихуя", "6ля", "жопа", "хлеб", "употреблять"]]
    ['mat', 'mat', 'mat', 'rude', None, None]
    """
    t = _canon(token)
    if len(t) < 2:
        return None
    cats, exc = _rules()
    if exc is not None and exc.search(t):
        return None
    for cat in (MAT, RUDE):
        rx = cats.get(cat)
        if rx is not None and rx.search(t):
            return cat
    return None


def is_profane(token: str, *, mat_only: bool = False) -> bool:
    """True when the word is мат (or, unless ``mat_only``, a vulgar word)."""
    kind = profanity_kind(token)
    return kind == MAT if mat_only else kind is not None


def mask_word(word: str) -> str:
    """Keep the first letter, replace the rest by asterisks.

    Examples
    --------
    >>> mask_word("хуй")
    'х**'
    """
    return word[:1] + "*" * (len(word) - 1)


def mask_text(text: str) -> str:
    """``text`` with every profane word masked (the rest untouched).

    Examples
    --------
    >>> mask_text("Да ну нахуй, это хлеб")
    'Да ну н****, это хлеб'
    """
    return _WORD.sub(lambda m: mask_word(m.group()) if profanity_kind(m.group()) else m.group(),
                     str(text))


@dataclass(frozen=True)
class ProfanityHit:
    """One profane word: its position among the words of the text, kind and masked form."""

    index: int
    kind: str
    masked: str


def find_profanity(text: str) -> list[ProfanityHit]:
    """Every profane word of ``text`` with its word index, kind and masked form.

    Examples
    --------
    >>> [(h.index, h.kind, h.masked) for h in find_profanity("да блять опять говно привезли")]
    [(1, 'mat', 'б****'), (3, 'rude', 'г****')]
    """
    out = []
    for i, m in enumerate(_WORD.finditer(str(text))):
        kind = profanity_kind(m.group())
        if kind:
            out.append(ProfanityHit(i, kind, mask_word(m.group())))
    return out
