"""Russian text normalization for transcripts: lowercase, ё→е, tokens and cached lemmas.

Recognised speech has no reliable punctuation or case, so everything downstream works on
lowercase tokens and their lemmas (pymorphy3). Lemmas are cached per distinct word, so a corpus
of millions of tokens costs one morphological parse per *distinct* word.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "normalize", "tokenize", "lemma", "lemmas", "is_known_word", "split_merged", "FUNCTION_WORDS",
]

_TOKEN = re.compile(r"[a-zа-я0-9]+(?:-[a-zа-я0-9]+)*")

# Words that carry no topic: pronouns, prepositions, particles, fillers (lemmas).
FUNCTION_WORDS: frozenset[str] = frozenset("""
а в во вот да для до же за и из или им их к ко как когда кто ли мы на над не нет ни но ну о об
он она они оно от по под при про с со так там то тоже только ты у уж что чтобы это этот я вы
весь свой мой ваш наш его ее быть мочь если бы еще уже очень тут здесь где куда сейчас потом
ага угу ой эээ ээ ммм хорошо ладно давать сказать говорить знать один два три какой такой
который себя тот сам самый
""".split())


def normalize(text: str) -> str:
    """Lowercase and replace ё by е.

    Examples
    --------
    >>> normalize("Ещё Счёт")
    'еще счет'
    """
    return str(text).lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Split normalized text into word tokens (letters/digits, inner hyphens kept).

    Examples
    --------
    >>> tokenize("Добрый день! Кто-то звонил, 15 минут назад?")
    ['добрый', 'день', 'кто-то', 'звонил', '15', 'минут', 'назад']
    """
    return _TOKEN.findall(normalize(text))


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # imported lazily: building the analyzer takes ~0.3 s

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=500_000)
def lemma(word: str) -> str:
    """The most probable normal form of one normalized word (ё→е), cached.

    Examples
    --------
    >>> lemma("выставлю"), lemma("счета")
    ('выставить', 'счет')
    """
    if not word or not word[0].isalpha() or not ("а" <= word[0] <= "я"):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=500_000)
def is_known_word(word: str) -> bool:
    """True when pymorphy3's dictionary knows the word (a transcript-quality signal)."""
    if not word or not ("а" <= word[0] <= "я"):
        return True
    return bool(_morph().word_is_known(word))


_GLUED = ("не", "на", "в", "во", "с", "со", "к", "у", "по", "за", "от", "до", "из", "мы", "вы",
          "я", "а", "и", "о", "об", "для", "без", "при", "что", "как", "нам", "вам", "нас", "вас")


#: The prepositions among :data:`_GLUED`: a preposition is never followed by a verb.
_PREPOSITIONS = frozenset(("на", "в", "во", "с", "со", "к", "у", "по", "за", "от", "до", "из",
                           "о", "об", "для", "без", "при"))
_VERB_POS = frozenset(("VERB", "INFN", "GRND", "PRTS"))
#: Heads after which a word an е/и away from a known one is that word misheard ("извените"),
#: not a glued "и"/"из" (elsewhere glued pronouns and verbs are common: "вымне", "небыло").
_E_I_HEADS = frozenset(("и", "из"))


@lru_cache(maxsize=200_000)
def split_merged(word: str) -> tuple[str, ...]:
    """Undo a recognition error that glues a short word to the next (``вналичии`` ->
    ``в наличии``, ``нетуда`` -> ``не туда``): a word the dictionary does not know that is a
    short function word followed by a known word of 3+ letters is split — but not a preposition
    followed by a verb (``нажалось``), nor "и"/"из" before a word that is a known one but for an
    е heard for и (``извените``); anything else is returned as it is.

    Examples
    --------
    >>> split_merged("вналичии"), split_merged("нетуда"), split_merged("наличие")
    (('в', 'наличии'), ('не', 'туда'), ('наличие',))
    >>> split_merged("нажалось"), split_merged("извените")   # no "на" + verb; "извините" misheard
    (('нажалось',), ('извените',))
    """
    if len(word) < 5 or not ("а" <= word[0] <= "я") or is_known_word(word):
        return (word,)
    for head in sorted(_GLUED, key=len, reverse=True):
        rest = word[len(head):]
        if word.startswith(head) and len(rest) >= 3 and is_known_word(rest):
            if head in _PREPOSITIONS and _is_verb(rest):
                # no preposition is followed by a verb: "нажалось" is no "на жалось", nor
                # "отсканирую" "от сканирую" — the word is misheard or unknown, kept whole
                return (word,)
            if head in _E_I_HEADS and _e_i_slip(word):
                # "извените" is "извините" with its unstressed и heard as е, not "и звените"
                return (word,)
            return (head, rest)
    return (word,)


def _is_verb(word: str) -> bool:
    """Every parse of ``word`` is a verb form (personal, infinitive, gerund, short participle)."""
    return all(p.tag.POS in _VERB_POS for p in _morph().parse(word))


def _e_i_slip(word: str) -> bool:
    """``word`` is a known word but for one е written as и or и as е (any one of them: the
    stress is not known here)."""
    swap = {"е": "и", "и": "е"}
    return any(is_known_word(word[:i] + swap[c] + word[i + 1:])
               for i, c in enumerate(word) if c in swap)


def lemmas(text: str) -> list[str]:
    """Lemmas of every token of ``text``.

    Examples
    --------
    >>> lemmas("Выставлю вам счета")
    ['выставить', 'вы', 'счет']
    """
    return [lemma(t) for t in tokenize(text)]
