"""Recall and false positives of callkit's profanity detector.

Recall: on the Cyrillic мат entries of the LDNOOBW lists in ``../shared/external/profanity/``
(``ldnoobw_ru.txt``, CC-BY-4.0, and ``ldnoobw_v2_ru.txt``, CC0-1.0; read in place, never
copied into the repository).

How the мат subset is chosen: both lists mix мат with milder insults, slurs and plain words
(``мент``, ``секс``, ``голый``, ``какая разница``). Russian мат proper is the word families of a
few obscene stems (хуй, пизда, ебать, блядь, plus мудо-/манда), so an entry is in the subset
when, after lowercasing, ё→е and mapping Latin look-alike letters and digits to Cyrillic
(``eбaть``, ``6ля``), it contains one of these stems *as a plain substring*::

    ху[йеяюи] | пизд | пезд | бля | (start, ъ or a vowel)еб | муд[аеои] | манд[аеоуы]

This selection is deliberately simpler than the detector (no prefix analysis, no exceptions)
so the two do not share their logic; the detector must find the word inside the entry
(multi-word entries count as found when any word is flagged). Entries with Latin letters only
(transliteration) are outside the subset: transcripts are written in Cyrillic.

False positives: words flagged in clean synthetic sales dialogue (no profanity planted), and a
hand-written list of innocent words that share letters with the roots.

Caveat: the root list was refined after looking at misses on these same lists (compound stems
like ``долбоеб``, ``мозгоеб``, ``остохуеть``), so the recall is partly in-sample.

Run: ``python benchmarks/profanity_eval.py [--dictionary]`` (``--dictionary`` also counts the
flagged forms among pymorphy3's 3 million dictionary word forms, ~15 s).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from callkit.speech.profanity import _canon, profanity_kind
from callkit.speech.synthetic import make_transcripts

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external" / "profanity"
LISTS = ("ldnoobw_ru.txt", "ldnoobw_v2_ru.txt")
MAT_STEMS = re.compile(r"ху[йеяюи]|пизд|пезд|бля|(?:^|[^а-я]|ъ|[аоуиыея])еб|муд[аеои]|манд[аеоуы]")
_TOKEN = re.compile(r"[a-zа-яё0-9@$]+")
_CYR = re.compile(r"[а-яё]")

#: innocent words that share letters with the roots (hand-written)
CLEAN_WORDS = """употреблять употребляя скребу хлеб хлеба оскорблять оскорбление корабля рублями
колебля себе небо требовать учеба застрахуйте страхуем сухую всухую мандарин мандат команда
командир мудрый премудрость бледный сравнить сражение ссылка рассылка рассыпать херувим сукно
сучок похудеть похуже хутор хулиган трахея гребля погребение дебет себестоимость обеспечение
обед побег ущерб подъезд съесть въехать объем посрамить сразу ссуда рассада сабля пособлять
уподоблять скипидар педикюр олеговна саговник межоперационный ребенок лебедь хлебобулочный
погребок требуется употребление отсрочка поставщик подстраховать""".split()


def entries(name: str) -> list[str]:
    return [ln.strip() for ln in (EXTERNAL / name).read_text(encoding="utf-8").splitlines() if ln.strip()]


def canon_entry(entry: str) -> str:
    return " ".join(_canon(t) for t in _TOKEN.findall(entry.lower()))


def mat_subset(items: list[str]) -> list[str]:
    """Cyrillic entries containing a мат stem as a substring (see the module docstring)."""
    return [e for e in items if _CYR.search(e.lower()) and MAT_STEMS.search(canon_entry(e))]


def detected(entry: str) -> bool:
    return any(profanity_kind(t) for t in _TOKEN.findall(entry.lower()))


def recall(name: str) -> tuple[int, int, list[str]]:
    """(found, subset size, missed entries) for one list."""
    sub = mat_subset(entries(name))
    missed = [e for e in sub if not detected(e)]
    return len(sub) - len(missed), len(sub), missed


def clean_dialogue_fp(n_calls: int = 2000, seed: int = 7) -> tuple[int, int, int]:
    """(flagged words, words, calls with a flag) in clean synthetic sales dialogue."""
    calls = pd.DataFrame({"call_id": [f"c{i}" for i in range(n_calls)], "employee": "Анна"})
    u, _ = make_transcripts(calls, seed=seed, profanity=0.0, noise=0.05, words=300)
    flagged = words = 0
    calls_hit = set()
    for cid, text in zip(u["call_id"], u["text"]):
        toks = _TOKEN.findall(str(text).lower())
        words += len(toks)
        f = sum(1 for t in toks if profanity_kind(t))
        flagged += f
        if f:
            calls_hit.add(cid)
    return flagged, words, len(calls_hit)


def dictionary_flags() -> int:
    import pymorphy3

    words = {w.replace("ё", "е") for w, *_ in pymorphy3.MorphAnalyzer().dictionary.iter_known_words("")}
    return sum(1 for w in words if profanity_kind(w))


def main(argv: list[str]) -> int:
    if not EXTERNAL.exists():
        print(f"profanity lists not found at {EXTERNAL}; nothing to measure")
        return 1
    for name in LISTS:
        found, total, missed = recall(name)
        cyr = [e for e in entries(name) if _CYR.search(e.lower())]
        any_cyr = sum(detected(e) for e in cyr)
        print(f"recall {name}: {found}/{total} = {found / total:.1%} of the Cyrillic мат entries "
              f"(all Cyrillic entries flagged: {any_cyr}/{len(cyr)})")
        if missed:
            print("  missed:", " | ".join(missed[:40]))
    flagged, words, calls = clean_dialogue_fp()
    print(f"false positives on clean synthetic sales dialogue: {flagged} of {words} words "
          f"({flagged / words:.4%}), {calls} of 2000 calls")
    bad = [w for w in CLEAN_WORDS if profanity_kind(w)]
    print(f"false positives on {len(CLEAN_WORDS)} hand-picked innocent look-alikes: {len(bad)} {bad}")
    if "--dictionary" in argv:
        print(f"pymorphy3 dictionary word forms flagged: {dictionary_flags()} (reviewed by hand: "
              "all obscene or vulgar)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
