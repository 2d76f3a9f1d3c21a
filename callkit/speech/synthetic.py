"""Synthetic Russian sales and navigation dialogues with planted violations and ground truth.

Everything here is fictional: the company "Фильтр-Сервис", its competitors ("Чистолинк",
"Фильтрогран"), the products and the street names are made up; no real person is named.
:func:`make_transcripts` writes one dialogue per answered call from templates and returns the
utterance table (DESIGN §4 generic form) and a labels table saying what was planted, so tests
and benchmarks can score the analysis against the truth.

Decision-maker cues, advantages and materials (the brief's ``decision_makers``, ``advantages``,
``materials``) are planted with their own random stream and appended to existing turns, and
their words never get recognition noise, so switching them off gives the dialogues of the
generator without them.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from callkit import schema

__all__ = ["DEMO_BRIEF", "make_transcripts", "LABEL_COLUMNS", "asr_errors", "ASR_STYLES"]

COMPANY = "Фильтр-Сервис"
COMPETITORS = ["Чистолинк", "Фильтрогран"]

#: A client brief matching the synthetic dialogues (DESIGN §4 keys); the samples' profile.yaml
#: can copy it verbatim.
DEMO_BRIEF: dict[str, Any] = {
    "brief": {"sales_method": ["phone", "incoming"], "lead_sources": ["site", "exhibitions"],
              "main_benefit": "гарантия три года", "materials": ["прайс", "наличие на складе"]},
    "script": [
        {"stage": "greeting", "phrases": ["добрый день", "здравствуйте", "меня зовут"]},
        {"stage": "needs", "phrases": ["какой объем", "для какого оборудования", "какие сроки"]},
        {"stage": "offer", "phrases": ["гарантия три года", "наличие на складе", "подобрать аналог"]},
        {"stage": "next_step", "phrases": ["выставить счет", "оформить заказ", "назначить встречу",
                                           "созвониться", "уточнить заявку"]},
        {"stage": "closing", "phrases": ["спасибо за звонок", "всего доброго", "до свидания"]},
    ],
    "mandatory_questions": ["какой объем", "для какого оборудования", "какие сроки"],
    "call_results": {
        "sale": ["оформить заказ", "оформить поставку"],
        "invoice": ["выставить счет", "отправить счет"],
        "meeting": ["назначить встречу", "подъехать на встречу"],
        "next_contact": ["созвониться", "перезвонить в понедельник"],
        "clarify": ["уточнить заявку", "уточнить количество"],
    },
    "competitors": list(COMPETITORS),
    "deal_terms": {"price": ["цена", "стоимость", "скидка"], "delivery": ["доставка", "срок поставки"],
                   "payment": ["оплата", "отсрочка"], "documents": ["договор", "закрывающие документы"]},
    "stop_words": ["не знаю", "это не ко мне", "ничем не могу помочь", "перезвоните позже"],
    "topics": {"price": ["цена", "скидка", "дорого"], "delivery": ["доставка", "срок поставки"],
               "quality": ["брак", "гарантия", "возврат"], "stock": ["наличие", "на складе"]},
    "navigation": ["ошиблись номером", "как проехать"],
    "decision_makers": {"ЛПР": ["кто принимает решение", "согласовать с директором"],
                        "ЛВР": ["кто участвует в выборе", "главный механик"]},
    "advantages": {"свой склад": ["собственный склад"],
                   "сервисный центр": ["свой сервисный центр"],
                   "отгрузка в день заказа": ["отгрузка в день заказа", "отгрузим в день заказа"]},
    "materials": {"прайс": ["пришлю прайс", "скину прайс"],
                  "наличие на складе": ["проверю наличие", "посмотрю в системе"]},
}

LABEL_COLUMNS: tuple[str, ...] = (
    schema.CALL_ID, schema.EMPLOYEE, "call_kind", "call_result", "scenario", "greeting",
    "needs", "offer", "closing", "competitor", "profanity", "stop_words", "words",
    "decision_makers", "advantages", "materials",
)

# Planted brief items: (who says it, text). Employee and client variants for decision makers.
_DECISION = {
    "ЛПР": [("employee", "скажите а кто у вас принимает решение по закупке"),
            ("client", "но цену мне надо согласовать с директором")],
    "ЛВР": [("employee", "а кто еще участвует в выборе поставщика"),
            ("client", "еще покажу предложение главному механику")],
}
_ADVANTAGE = {
    "свой склад": "у нас собственный склад в городе",
    "сервисный центр": "есть свой сервисный центр для обслуживания техники",
    "отгрузка в день заказа": "и отгрузка в день заказа по всей области",
}
_MATERIAL = {
    "прайс": "я пришлю прайс на почту",
    "наличие на складе": "сейчас проверю наличие по номеру",
}


_NAMES = ["Анна", "Мария", "Ольга", "Елена", "Дмитрий", "Сергей", "Алексей", "Павел", "Ирина",
          "Максим"]
_EQUIPMENT = ["экскаватор", "погрузчик", "самосвал", "компрессор", "трактор", "генератор"]
_QTY = ["двадцать", "сорок", "пятьдесят", "сто", "тридцать", "шестьдесят"]
_DAYS = ["понедельник", "вторник", "среду", "четверг", "пятницу"]
_STREETS = ["Заводская", "Складская", "Промышленная", "Луговая", "Кленовая"]
_PROFANE = ["блять", "нахуй", "заебали", "пиздец", "хуйня", "охуеть"]

_GREETING = [
    "добрый день компания фильтр сервис меня зовут {name} слушаю вас",
    "здравствуйте фильтр сервис {name} чем могу помочь",
    "добрый день это {name} из компании фильтр сервис вам удобно говорить",
]
_NO_GREETING = ["да слушаю", "алло да говорите", "да"]
_REQUEST = [
    "здравствуйте нам нужны фильтры на {eq} хотели узнать цену и наличие",
    "добрый день подскажите есть масляные фильтры для {eq_gen} в наличии",
    "здравствуйте ищем поставщика фильтров для парка техники нужна цена",
]
_NEEDS = [
    ("какой объем вам нужен в месяц", "примерно {qty} штук в месяц"),
    ("для какого оборудования подбираете фильтры", "в основном {eq} и немного погрузчиков"),
    ("какие сроки поставки вам нужны", "желательно до конца месяца"),
]
_OFFER = [
    "у нас гарантия три года на всю продукцию это наше главное преимущество",
    "все позиции есть в наличии на складе отгрузим в течение дня",
    "можем подобрать аналог дешевле оригинала с той же гарантией",
]
_COMPETITOR_CLIENT = "а в компании {comp} нам предлагали дешевле процентов на десять"
_COMPETITOR_EMPLOYEE = "мы не как {comp} у нас качество лучше"
_COMPETITOR_ANSWER = "понимаю но у нас гарантия три года и доставка за наш счет"
_TERMS = [
    ("а доставка у вас есть", "доставка по городу бесплатная от десяти штук"),
    ("какие условия оплаты", "оплата по счету для постоянных клиентов возможна отсрочка"),
    ("договор нужен будет", "да договор и закрывающие документы пришлем на почту"),
    ("а скидка будет на объем", "на такой объем сделаем скидку пять процентов цена снизится"),
]
_STOP = [
    "честно говоря не знаю это не ко мне",
    "не знаю точно надо спросить на складе",
    "ничем не могу помочь перезвоните позже",
]
_RESULT = {
    "sale": ("отлично тогда давайте оформим заказ прямо сейчас", "да оформляйте"),
    "invoice": ("я выставлю вам счет на {qty} штук сегодня", "хорошо ждем счет на почту"),
    "meeting": ("давайте назначим встречу в {day} я подъеду с образцами", "давайте в {day} после обеда"),
    "next_contact": ("тогда созвонимся в {day} и все обсудим", "да созвонимся"),
    "clarify": ("я уточню заявку по количеству и пришлю предложение", "хорошо ждем"),
    "none": ("хорошо если что звоните", "ладно мы подумаем"),
}
_CLOSING = ["спасибо за звонок всего доброго", "до свидания хорошего дня", "всего доброго до свидания"]
_FILLER = [
    ("employee", "этот фильтр подходит для двигателей {eq_gen_pl} всех последних моделей"),
    ("client", "а ресурс у него какой по моточасам"),
    ("employee", "ресурс около пятисот моточасов при нормальной эксплуатации"),
    ("client", "понятно а сертификаты на продукцию есть"),
    ("employee", "да все сертификаты есть можем отправить вместе с прайсом"),
    ("client", "мы раньше брали оригинальные фильтры но они сильно подорожали"),
    ("employee", "многие клиенты переходят на аналоги разницы в работе не замечают"),
    ("client", "а воздушные фильтры тоже есть или только масляные"),
    ("employee", "есть воздушные топливные и гидравлические на весь парк техники"),
    ("client", "у нас техника работает в карьере там очень пыльно"),
    ("employee", "для пыльных условий рекомендую усиленные воздушные фильтры"),
    ("client", "хорошо а упаковка какая коробки или паллеты"),
    ("employee", "от ста штук отгружаем на паллетах в плёнке"),
    ("client", "угу понятно"),
    ("employee", "могу также прислать каталог с артикулами для вашей техники"),
    ("client", "да пришлите пожалуйста каталог на почту"),
]
_NAVIGATION = {
    "wrong_number": [("client", "алло это автосервис на {street}"),
                     ("employee", "нет вы ошиблись номером это фильтр сервис"),
                     ("client", "ой извините не туда попал")],
    "directions": [("client", "здравствуйте подскажите как к вам проехать"),
                   ("employee", "мы на улице {street} дом {n} въезд со двора через шлагбаум"),
                   ("client", "а до скольки вы работаете"),
                   ("employee", "до шести вечера по будням в субботу до трех"),
                   ("client", "спасибо")],
    "requisites": [("client", "добрый день это бухгалтерия продиктуйте номер расчетного счета"),
                   ("employee", "реквизиты лучше запросить по почте я сейчас не могу продиктовать"),
                   ("client", "хорошо пришлите реквизиты на почту")],
    "cold_pitch": [("client", "здравствуйте я представляю рекламное агентство мы предлагаем "
                              "продвижение вашего сайта"),
                   ("employee", "спасибо нам не интересно"),
                   ("client", "может быть передадите руководителю"),
                   ("employee", "нет спасибо всего доброго")],
    "transfer": [("client", "соедините пожалуйста с отделом кадров"),
                 ("employee", "переключаю на добавочный сто два"),
                 ("client", "спасибо")],
}


def _fmt(s: str, ctx: dict[str, str]) -> str:
    return s.format(**ctx)


def _noisy(text: str, rng: np.random.Generator, rate: float, keep: set[str]) -> str:
    """Imitate recognition errors: swap a vowel in some long words."""
    if rate <= 0:
        return text
    swaps = {"о": "а", "а": "о", "е": "и", "и": "е"}
    out = []
    for w in text.split():
        if len(w) >= 6 and w not in keep and rng.random() < rate:
            idx = [i for i, ch in enumerate(w) if ch in swaps and 0 < i < len(w) - 1]
            if idx:
                i = idx[int(rng.integers(len(idx)))]
                w = w[:i] + swaps[w[i]] + w[i + 1:]
        out.append(w)
    return " ".join(out)


_NUMBER_WORDS = {
    "один": "1", "одну": "1", "два": "2", "две": "2", "три": "3", "четыре": "4", "пять": "5",
    "шесть": "6", "семь": "7", "восемь": "8", "девять": "9", "десять": "10", "двенадцать": "12",
    "пятнадцать": "15", "двадцать": "20", "тридцать": "30", "сорок": "40", "пятьдесят": "50",
    "сто": "100", "двести": "200", "триста": "300", "тысяча": "1000", "тысячи": "1000",
}
_DIGIT_WORDS = {v: k for k, v in reversed(list(_NUMBER_WORDS.items()))}
#: The recognition-error styles of :func:`asr_errors`.
ASR_STYLES: tuple[str, ...] = ("endings", "merged", "numbers", "vowels")


def asr_errors(text: str, style: str, rng: np.random.Generator, *, rate: float = 0.3) -> str:
    """Imitate one style of speech-recognition error on lowercase text.

    ``endings``: the last one or two letters of some words of 6+ letters dropped
    (``поставки`` -> ``постав``); ``merged``: a short word (≤ 3 letters) glued to the next
    (``в наличии`` -> ``вналичии``); ``numbers``: numbers written as digits instead of words
    and back (``двадцать`` -> ``20``); ``vowels``: an unstressed-vowel swap in some long words
    (``доставка`` -> ``доставко``).

    Examples
    --------
    >>> asr_errors("нужно двадцать штук", "numbers", np.random.default_rng(0), rate=1.0)
    'нужно 20 штук'
    >>> asr_errors("есть в наличии", "merged", np.random.default_rng(0), rate=1.0)
    'есть вналичии'
    """
    if style not in ASR_STYLES:
        raise ValueError(f"asr_errors: style {style!r} unknown; expected one of {list(ASR_STYLES)}")
    if style == "vowels":
        return _noisy(text, rng, rate, set())
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        r = rng.random()
        if style == "endings" and len(w) >= 6 and r < rate:
            w = w[:-int(rng.integers(1, 3))]
        elif style == "merged" and len(w) <= 3 and i + 1 < len(words) and r < rate:
            w = w + words[i + 1]
            i += 1
        elif style == "numbers" and r < rate:
            w = _NUMBER_WORDS.get(w) or _DIGIT_WORDS.get(w) or w
        out.append(w)
        i += 1
    return " ".join(out)


def _pick(rng: np.random.Generator, items: list[Any]) -> Any:
    return items[int(rng.integers(len(items)))]


def _negotiation(rng: np.random.Generator, ctx: dict[str, str], p: dict[str, float],
                 target_words: int) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    turns: list[tuple[str, str]] = []
    lab: dict[str, Any] = {"scenario": "negotiation", "profanity": 0, "stop_words": 0}
    greet = rng.random() >= p["no_greeting"]
    lab["greeting"] = greet
    turns.append(("employee", _fmt(_pick(rng, _GREETING) if greet else _pick(rng, _NO_GREETING), ctx)))
    turns.append(("client", _fmt(_pick(rng, _REQUEST), ctx)))
    needs = rng.random() >= p["no_needs"]
    lab["needs"] = needs
    if needs:
        for q, a in _NEEDS:
            turns += [("employee", q), ("client", _fmt(a, ctx))]
    offer = rng.random() >= p["no_offer"]
    lab["offer"] = offer
    if offer:
        turns.append(("employee", _pick(rng, _OFFER)))
    lab["competitor"] = "none"
    if rng.random() < p["competitor"]:
        if rng.random() < 0.5:
            turns += [("client", _fmt(_COMPETITOR_CLIENT, ctx)), ("employee", _COMPETITOR_ANSWER)]
            lab["competitor"] = "client"
        else:
            turns += [("employee", _fmt(_COMPETITOR_EMPLOYEE, ctx))]
            lab["competitor"] = "employee"
    for q, a in _TERMS:
        if rng.random() < 0.6:
            turns += [("client", q), ("employee", a)]
    if rng.random() < p["stop_words"]:
        s = _pick(rng, _STOP)
        turns.append(("employee", s))
        lab["stop_words"] = {0: 2, 1: 1, 2: 2}[_STOP.index(s)]
    if rng.random() < p["profanity"]:
        w = _pick(rng, _PROFANE)
        turns.append(("employee", f"да {w} опять склад всё перепутал"))
        lab["profanity"] = 1
        ctx["_profane"] = w
    # filler talk up to the target length, inserted before the result
    words = sum(len(t.split()) for _, t in turns)
    fill: list[tuple[str, str]] = []
    pool = list(_FILLER)
    while words < target_words - 40:
        spk, t = _pick(rng, pool)
        t = _fmt(t, ctx)
        fill.append((spk, t))
        words += len(t.split())
    turns = turns[:2] + fill[: len(fill) // 2] + turns[2:] + fill[len(fill) // 2:]
    results = ["sale", "invoice", "meeting", "next_contact", "clarify"]
    res = "none" if rng.random() < p["no_next_step"] else _pick(rng, results)
    lab["call_result"] = res
    e, c = _RESULT[res]
    turns += [("employee", _fmt(e, ctx)), ("client", _fmt(c, ctx))]
    closing = rng.random() >= p["no_closing"]
    lab["closing"] = closing
    turns.append(("employee", _pick(rng, _CLOSING) if closing else "ага"))
    lab["call_kind"] = "negotiation"
    return turns, lab


def _plant_brief(turns: list[tuple[str, str]], lab: dict[str, Any], rng: np.random.Generator,
                 p: dict[str, float]) -> dict[int, str]:
    """Decision-maker cues, advantages and materials to append to turns of a negotiation.

    Returns ``{turn index: text to append}``; only turns between the client's request and the
    result are used, so the greeting, the result and the closing keep their text. Labels name
    what was planted (``; ``-joined).
    """
    extra: dict[int, str] = {}
    mid = range(2, max(2, len(turns) - 3))
    emp = [i for i in mid if turns[i][0] == "employee"] or [len(turns) - 3]
    cli = [i for i in mid if turns[i][0] == "client"] or [len(turns) - 2]

    def add(who: str, text: str) -> None:
        idx = emp if who == "employee" else cli
        i = idx[int(rng.integers(len(idx)))]
        extra[i] = (extra[i] + " " + text) if i in extra else text

    roles = []
    for role, variants in _DECISION.items():
        if rng.random() < p["decision_maker"] * (1.0 if role == "ЛПР" else 0.5):
            who, text = variants[int(rng.random() < 0.3)]
            add(who, text)
            roles.append(role)
    adv = [a for a in _ADVANTAGE if rng.random() < p["advantage"]]
    for a in adv:
        add("employee", _ADVANTAGE[a])
    mat = [m for m in _MATERIAL if rng.random() < p["material"]]
    for m in mat:
        add("employee", _MATERIAL[m])
    lab.update({"decision_makers": "; ".join(roles), "advantages": "; ".join(adv),
                "materials": "; ".join(mat)})
    return extra


def _navigation(rng: np.random.Generator, ctx: dict[str, str]
                ) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    scen = _pick(rng, sorted(_NAVIGATION))
    greet = rng.random() < 0.7
    turns = [("employee", _fmt(_pick(rng, _GREETING), ctx) if greet else "да слушаю")]
    turns += [(s, _fmt(t, ctx)) for s, t in _NAVIGATION[scen]]
    lab = {"scenario": scen, "call_kind": "navigation", "call_result": "none", "greeting": greet,
           "needs": False, "offer": False, "closing": False, "competitor": "none",
           "profanity": 0, "stop_words": 0, "decision_makers": "", "advantages": "",
           "materials": ""}
    return turns, lab


def make_transcripts(calls: pd.DataFrame, *, seed: int = 0, navigation_share: float = 0.25,
                     no_greeting: float = 0.1, no_needs: float = 0.2, no_offer: float = 0.2,
                     no_next_step: float = 0.25, no_closing: float = 0.15,
                     competitor: float = 0.15, profanity: float = 0.05, stop_words: float = 0.15,
                     noise: float = 0.03, words: int = 150, decision_maker: float = 0.5,
                     advantage: float = 0.35, material: float = 0.4
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate one fictional Russian dialogue per answered call, with planted violations.

    Parameters
    ----------
    calls
        A table with ``call_id`` and ``employee`` (a canonical call table works: only
        answered calls are used when it has a ``status`` column).
    seed
        Random seed; the same inputs and seed give the same output.
    navigation_share
        Share of navigation calls (wrong number, directions, requisites, cold pitch, transfer).
    no_greeting, no_needs, no_offer, no_next_step, no_closing, competitor, profanity, stop_words
        Probabilities of each planted violation in a negotiation call (``no_next_step`` gives
        call result ``none``; ``competitor`` names a competitor, by the client or the seller).
    noise
        Share of long words with a recognition-style vowel error.
    words
        Rough length of a negotiation dialogue in words (filler talk is added to reach it).
    decision_maker, advantage, material
        In a negotiation: probability that the ЛПР is asked about or named (the ЛВР at half of
        it; by the seller 70 %, by the client 30 %), that each advantage of
        ``DEMO_BRIEF["advantages"]`` is named by the seller, that each material of
        ``DEMO_BRIEF["materials"]`` is used. Labels ``decision_makers``, ``advantages``,
        ``materials`` list what was planted.

    Returns
    -------
    (utterances, labels)
        ``utterances``: ``call_id, speaker, start, end, text`` (seconds from the call start);
        ``labels``: :data:`LABEL_COLUMNS`, one row per call, what was planted.

    Examples
    --------
    >>> u, lab = make_transcripts(pd.DataFrame({"call_id": ["c1"], "employee": ["Анна"]}),
    ...                           navigation_share=0)
    >>> lab.loc[0, "call_kind"], set(u["speaker"]) == {"employee", "client"}
    ('negotiation', True)
    """
    for col in (schema.CALL_ID, schema.EMPLOYEE):
        if col not in calls.columns:
            raise ValueError(f"make_transcripts: calls lack column {col!r}; expected call_id and employee")
    src = calls
    if schema.STATUS in src.columns:
        src = src.loc[src[schema.STATUS].astype("string") == schema.ANSWERED]
    rng = np.random.default_rng(seed)
    rng_brief = np.random.default_rng([seed, 2])   # its own stream: the rest stays as it was
    p_brief = {"decision_maker": decision_maker, "advantage": advantage, "material": material}
    p = {"no_greeting": no_greeting, "no_needs": no_needs, "no_offer": no_offer,
         "no_next_step": no_next_step, "no_closing": no_closing, "competitor": competitor,
         "profanity": profanity, "stop_words": stop_words}
    rows: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for cid, emp in zip(src[schema.CALL_ID].astype("string"), src[schema.EMPLOYEE]):
        eq = _pick(rng, _EQUIPMENT)   # all masculine inanimate: genitive -а, plural genitive -ов
        ctx = {"name": _pick(rng, _NAMES), "eq": eq, "eq_gen": eq + "а", "eq_gen_pl": eq + "ов",
               "qty": _pick(rng, _QTY),
               "day": _pick(rng, _DAYS), "street": _pick(rng, _STREETS),
               "n": str(int(rng.integers(2, 60))), "comp": _pick(rng, COMPETITORS)}
        extra: dict[int, str] = {}
        if rng.random() < navigation_share:
            turns, lab = _navigation(rng, ctx)
        else:
            turns, lab = _negotiation(rng, ctx, p, words)
            extra = _plant_brief(turns, lab, rng_brief, p_brief)
        keep = set(_PROFANE) | {c.lower() for c in COMPETITORS}
        t = float(rng.uniform(0.5, 2.0))
        prev_end = 0.0
        nwords = 0
        for k, (spk, text) in enumerate(turns):
            text = _noisy(text, rng, noise, keep)
            if k in extra:   # planted brief items: no recognition noise, no draws on rng
                text += " " + extra[k]
            n = len(text.split())
            nwords += n
            dur = round(n * float(rng.uniform(0.3, 0.45)) + 0.2, 2)
            if rows and rng.random() < 0.08 and rows[-1]["speaker"] != spk:
                start = round(max(prev_end - 0.6, rows[-1]["start"] + 0.1), 2)  # talks over
            else:
                start = round(t + float(rng.uniform(0.2, 1.2)), 2)
            end = round(start + dur, 2)
            rows.append({schema.CALL_ID: cid, "speaker": spk, "start": start, "end": end, "text": text})
            prev_end = max(prev_end, end)
            t = prev_end
        lab.update({schema.CALL_ID: cid, schema.EMPLOYEE: emp, "words": nwords})
        labels.append(lab)
    utt = pd.DataFrame(rows, columns=[schema.CALL_ID, "speaker", "start", "end", "text"])
    utt = utt.astype({schema.CALL_ID: "string", "speaker": "string", "text": "string"})
    lab_df = pd.DataFrame(labels, columns=list(LABEL_COLUMNS))
    lab_df[schema.CALL_ID] = lab_df[schema.CALL_ID].astype("string")
    return utt, lab_df
