"""Normalization and phrase matching, on examples checked by hand."""
import pytest

from callkit.speech.match import PhraseMatcher, lemma_close, phrase_matches, stem
from callkit.speech.text import lemma, lemmas, normalize, tokenize


def test_normalize_and_tokens():
    assert normalize("ЁЛКА Счёт") == "елка счет"
    assert tokenize("Алло! Кто-то звонил — 15 минут назад?") == ["алло", "кто-то", "звонил", "15",
                                                                 "минут", "назад"]


def test_lemmas_fold_inflection_and_yo():
    # выставлю -> выставить (verb), счета/счёт -> счет (ё folded after lemmatizing)
    assert lemmas("Выставлю вам счета") == ["выставить", "вы", "счет"]
    assert lemma("счёт") == "счет"


@pytest.mark.parametrize("phrase, text, expected", [
    ("выставить счёт", "выставлю вам счета", True),               # inflection + one-word gap
    ("выставить счёт", "счёт вам выставлю сегодня", True),        # two words in reverse order
    ("выставить счёт", "выставлю завтра утром после обеда счет", False),  # gap of 4 > 2
    ("выставить счёт", "выстовлю вам счет", True),                # recognition error (а -> о)
    ("назначить встречу", "давайте назначим встричу в среду", True),  # error in an unknown word
    ("доставка", "поставка будет во вторник", False),             # different first letter
    ("оплата", "оплатите до пятницы", True),                      # same stem, other part of speech
    ("какой объем", "а какой объём вам нужен", True),
])
def test_phrase_matches(phrase, text, expected):
    assert phrase_matches(phrase, text) is expected


def test_reverse_order_only_within_gap():
    # "знаю не" is the reverse of "не знаю" with no gap -> a two-word phrase may be reversed
    assert phrase_matches("не знаю", "знаю не") is True
    # three words between the reversed pair is beyond max_gap=2
    assert phrase_matches("не знаю", "знаю я это точно не") is False


def test_lemma_close_rules():
    assert lemma_close("выстовить", "выставить")        # ratio 88.9 >= 80, same first letter
    assert not lemma_close("свет", "счет")              # 4 letters: only exact or stem rules
    assert not lemma_close("фильтр", "фильтрогран")     # a word is not its longer compound
    assert stem("встречаться") == "встреч"


def test_matcher_positions_and_spans():
    m = PhraseMatcher([("result", "invoice", "выставить счет"), ("term", "delivery", "доставка")])
    seq = lemmas("доставка будет я выставлю вам счет и доставка")
    # tokens: 0 доставка 1 будет 2 я 3 выставлю 4 вам 5 счет 6 и 7 доставка
    found = sorted((m.phrases[x.phrase].item, x.start, x.end) for x in m.find(seq))
    assert found == [("delivery", 0, 0), ("delivery", 7, 7), ("invoice", 3, 5)]


def test_unknown_brand_kept_as_written():
    m = PhraseMatcher([("competitor", "Фильтрогран", "Фильтрогран")])
    assert m.phrases[0].terms == ("фильтрогран",)
    assert m.find(lemmas("у фильтров хорошая цена")) == []
    assert len(m.find(["а", "фильтрограна"])) == 1       # inflected brand, same stem
