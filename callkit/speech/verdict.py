"""Fit verdict: does speech analytics pay off for this client?

It pays off when there are enough real sales conversations to check (navigation calls —
wrong numbers, directions, transfers — teach nothing about selling), when sellers leave room for
improvement (a share of calls not following the script), and when the transcripts are good
enough to trust (few empty or very short transcripts, few words unknown to the dictionary).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["SpeechVerdict", "speech_verdict", "VERDICT_THRESHOLDS"]

VERDICT_THRESHOLDS: dict[str, float] = {
    "max_navigation_share": 0.6,   # above: most calls are not sales talks
    "script_follow_score": 0.8,    # a call "follows the script" at this script_score or more
    "min_room": 0.2,               # below this share of non-following calls there is little to fix
    "short_words": 20,             # a transcript with fewer words is "short"
    "max_short_share": 0.3,        # above: too many empty/short transcripts to trust
    "max_unknown_words": 0.15,     # above: recognition too poor (words unknown to the dictionary)
    "min_calls": 30,               # fewer negotiation calls: too little to judge
}


@dataclass
class SpeechVerdict:
    """The verdict with the figures behind it and the reasons in words."""

    pays_off: bool
    level: str                      # "yes", "partly", "no"
    calls: int
    negotiation_calls: int
    navigation_share: float
    script_follow_share: float
    short_share: float
    unknown_word_share: float
    reasons: list[str] = field(default_factory=list)
    text: str = ""

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("pays_off", "level", "calls", "negotiation_calls",
                                              "navigation_share", "script_follow_share",
                                              "short_share", "unknown_word_share", "text")}


_T = {
    "ru": {
        "nav": "навигационных звонков {v:.0%} — большая часть разговоров не о продажах",
        "nav_ok": "звонков-переговоров {n} ({v:.0%}) — есть что проверять",
        "few": "переговоров всего {n} — для выводов мало",
        "room": "по скрипту идут {v:.0%} переговоров — есть что исправлять",
        "noroom": "по скрипту идут уже {v:.0%} переговоров — выигрыш от контроля невелик",
        "short": "пустых и коротких расшифровок {v:.0%} — качество записи/распознавания низкое",
        "unk": "незнакомых словарю слов {v:.0%} — распознавание с ошибками, выводы осторожно",
        "qual_ok": "качество расшифровок приемлемое (коротких {s:.0%}, незнакомых слов {u:.0%})",
        "yes": "Речевая аналитика окупится: {r}.",
        "partly": "Речевая аналитика окупится частично: {r}.",
        "no": "Речевая аналитика сейчас не окупится: {r}.",
    },
    "en": {
        "nav": "navigation calls are {v:.0%} — most calls are not sales talks",
        "nav_ok": "{n} negotiation calls ({v:.0%}) — enough to check",
        "few": "only {n} negotiation calls — too few to judge",
        "room": "{v:.0%} of negotiations follow the script — room to improve",
        "noroom": "{v:.0%} of negotiations already follow the script — little to gain",
        "short": "{v:.0%} empty or short transcripts — poor recording or recognition",
        "unk": "{v:.0%} words unknown to the dictionary — recognition errors, read with care",
        "qual_ok": "transcript quality is acceptable ({s:.0%} short, {u:.0%} unknown words)",
        "yes": "Speech analytics pays off: {r}.",
        "partly": "Speech analytics pays off partly: {r}.",
        "no": "Speech analytics does not pay off now: {r}.",
    },
}


def speech_verdict(per_call: pd.DataFrame, *, lang: str = "ru",
                   thresholds: dict[str, float] | None = None) -> SpeechVerdict:
    """Judge from the per-call speech table (``call_kind``, ``script_score``, ``words``,
    ``unknown_word_share``) whether speech analytics pays off.

    Examples
    --------
    >>> pc = pd.DataFrame({"call_kind": ["navigation"] * 8 + ["negotiation"] * 2,
    ...                    "script_score": [0.0] * 8 + [1.0, 0.2], "words": [50] * 10,
    ...                    "unknown_word_share": [0.01] * 10})
    >>> v = speech_verdict(pc, thresholds={"min_calls": 1})
    >>> v.level, round(v.navigation_share, 2), v.script_follow_share
    ('no', 0.8, 0.5)
    """
    th = {**VERDICT_THRESHOLDS, **(thresholds or {})}
    t = _T["en" if lang == "en" else "ru"]
    n = len(per_call)
    kind = per_call["call_kind"].astype("string") if n else pd.Series([], dtype="string")
    neg = per_call.loc[(kind == "negotiation").to_numpy()] if n else per_call
    nav_share = float((kind == "navigation").mean()) if n else float("nan")
    follow = float((neg["script_score"] >= th["script_follow_score"]).mean()) if len(neg) else float("nan")
    short = float((per_call["words"] < th["short_words"]).mean()) if n else float("nan")
    unk = float(per_call["unknown_word_share"].mean()) if n else float("nan")
    reasons, bad, good = [], 0, 0
    if n and nav_share > th["max_navigation_share"]:
        reasons.append(t["nav"].format(v=nav_share))
        bad += 2
    elif len(neg) < th["min_calls"]:
        reasons.append(t["few"].format(n=len(neg)))
        bad += 2
    else:
        reasons.append(t["nav_ok"].format(n=len(neg), v=len(neg) / n))
        good += 1
    if len(neg):
        if 1 - follow >= th["min_room"]:
            reasons.append(t["room"].format(v=follow))
            good += 1
        else:
            reasons.append(t["noroom"].format(v=follow))
            bad += 1
    quality_bad = False
    if n and short > th["max_short_share"]:
        reasons.append(t["short"].format(v=short))
        quality_bad = True
    if n and unk > th["max_unknown_words"]:
        reasons.append(t["unk"].format(v=unk))
        quality_bad = True
    if n and not quality_bad:
        reasons.append(t["qual_ok"].format(s=short, u=unk))
    bad += quality_bad
    level = "no" if bad >= 2 or not n else ("partly" if bad == 1 else "yes")
    return SpeechVerdict(pays_off=level != "no", level=level, calls=n, negotiation_calls=len(neg),
                         navigation_share=nav_share, script_follow_share=follow, short_share=short,
                         unknown_word_share=unk, reasons=reasons,
                         text=t[level].format(r="; ".join(reasons)))
