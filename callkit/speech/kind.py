"""Call kind from the transcript: negotiation, navigation or unknown — by what the call is about.

The seed defines the kinds by example. *Navigation*: a wrong number, a caller who wants to buy
something the company does not sell, someone who sells to the company, the way or the address,
the account number / requisites / documents only, a caller who is just checking, a job seeker.
*Negotiation*: the goods, an invoice to be issued, technical characteristics, delivery,
documents as part of a deal. A call with none of that (``алло… не слышно``) is *unknown*.

Single words do not decide it: "счёт" is in "номер счёта для оплаты" (they want the account
number: navigation) and in "выставим счёт" (negotiation). So the rules work on *concepts*
(:data:`CONCEPTS`: a name, the kind it points to, its phrases matched on lemmas with
:class:`~callkit.speech.match.PhraseMatcher`, tolerant to inflection, word order and
recognition errors), then on how they combine in the call (:func:`kind_from_concepts`):

1. nothing found -> ``unknown``;
2. a job seeker, or a caller *offering* the company goods or services (said by the client, or by
   an unlabelled speaker with the company declining) -> ``navigation``;
3. the employee saying the company does not sell that (``таким не занимаемся``) ->
   ``navigation``, unless the employee goes on to sell after it (price, an invoice, goods
   in stock, an analogue);
4. a wrong number -> ``navigation`` unless the call is plainly a deal (strong negotiation
   evidence of 2+ concepts);
5. otherwise the weights of the concepts found are summed per kind (strong 2, weak 1 — e.g.
   payment alone, a contract alone; a concept said in two or more places counts twice) and
   the larger wins; a tie with negotiation evidence is a negotiation (a seller dictating
   requisites for the invoice he issues is selling).

Two ways, both on lemmas:

- :func:`kind_from_concepts` — the rules above over the concepts found by ``analyze_calls``
  (plus the profile's ``navigation`` / ``negotiation`` cues and its ``call_results``);
- :class:`CallKindClassifier` — TF-IDF over lemmas + logistic regression, trainable on
  labelled calls (scikit-learn style: ``fit`` returns self, ``predict`` returns a Series).

The held-out evaluation (``benchmarks/kind_eval.py``) scores phrasings written apart from this
lexicon. (The duration fallback for calls *without* a transcript belongs to ``callkit.classify``.)
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from callkit import schema
from callkit.speech.load import CLIENT_SPEAKER, EMPLOYEE_SPEAKER, TEXT, UTT_START
from callkit.speech.text import lemma, split_merged, tokenize

__all__ = [
    "NEGOTIATION", "NAVIGATION", "UNKNOWN", "KINDS", "NAVIGATION_CUES", "NEGOTIATION_CUES",
    "Concept", "CONCEPTS", "kind_from_cues", "kind_from_concepts", "rule_decision",
    "call_documents", "CallKindClassifier", "combine_kinds", "default_kind_model", "SMALL_TALK",
    "BUNDLED_PHRASINGS", "bundled_phrasings",
]

NEGOTIATION, NAVIGATION, UNKNOWN = "negotiation", "navigation", "unknown"
KINDS: tuple[str, ...] = (NEGOTIATION, NAVIGATION, UNKNOWN)


@dataclass(frozen=True)
class Concept:
    """A meaning the call-kind rules look for: its name, the kind it points to, its weight
    (2 strong, 1 weak) and its phrases (any inflection)."""

    name: str
    kind: str
    weight: int
    phrases: tuple[str, ...]


def _c(name: str, kind: str, weight: int, phrases: str) -> Concept:
    return Concept(name, kind, weight, tuple(p.strip() for p in phrases.split(";") if p.strip()))


#: The built-in concepts (B2B sales of goods; generic, not one client's catalogue). Profile
#: cues are added as ``profile_navigation`` / ``profile_negotiation`` / ``result``.
CONCEPTS: tuple[Concept, ...] = (
    # --- navigation ----------------------------------------------------------------------
    _c("wrong_number", NAVIGATION, 2,
       "ошиблись номером; вы ошиблись; я ошибся; не туда попали; не туда звоните; "
       "не туда позвонили; не туда набрали; перепутали номер; неправильно набрал; "
       "неправильный номер; не тот номер; номер не тот; такого сотрудника нет; "
       "здесь такой не работает; это другая организация; извините ошибся; простите ошибся; "
       "не туда; набрал не тот; не тот набрал; набрал неправильно; номер неправильный; извините за беспокойство; "
       "наверное ошибка; какой это номер; "
       "спутал номер; номер спутал; другое место; куда я попал"),
    # the employee denies being who the caller asked for ("это не пиццерия"); with the
    # caller's apology it is a wrong number
    _c("denial", NAVIGATION, 1, "это не; нет никакого; нет никакой; таких у нас нет; здесь нет"),
    _c("apology", NAVIGATION, 1, "простите; извините; пардон; прошу прощения; извиняюсь"),
    _c("directions", NAVIGATION, 2,
       "как проехать; как доехать; как добраться; как к вам пройти; как вас найти; "
       "где вы находитесь; где находится; какой у вас адрес; ваш адрес; точный адрес; "
       "адрес офиса; адрес склада; въезд; заезд; где вход; вход со стороны; режим работы; "
       "часы работы; график работы; до скольки работаете; во сколько открываетесь; "
       "во сколько закрываетесь; работаете в выходные; работаете в субботу; обед; "
       "выходной день; парковка; навигатор; от остановки; от метро; на каком этаже; как найти; "
       "шлагбаум; куда ехать; куда заезжать; направо; налево; поворот; в каком районе; промзона; "
       "проходная; пропуск; вы переехали; новый адрес; ворота; "
       "адрес; территориально; как попасть; до которого часа; открыты; стоянка; "
       "оставить машину; по воскресеньям; по субботам; вывеска; здание; "
       "общественный транспорт; автобус"),
    _c("requisites", NAVIGATION, 2,
       "реквизиты; инн; кпп; бик; огрн; окпо; расчетный счет; корреспондентский счет; "
       "номер счета; счет в банке; карточка предприятия; карточка организации; "
       "карточка компании; акт сверки; юридический адрес; юридическое название; "
       "полное наименование; закрывающие документы; оригиналы документов; копия; "
       "бухгалтерия; главный бухгалтер; контрагент; перечислить деньги; перевести деньги; "
       "возврат денег; платежное поручение; платежка; "
       "акт за; подписанный акт; переплата; свидетельство о регистрации; устав; "
       "проверка контрагентов; для отчетности; взаиморасчеты; корсчет; сверить"),
    _c("just_checking", NAVIGATION, 2,
       "проверка связи; проверить связь; проверить номер; проверяю номер; просто проверяю; "
       "просто уточнить; просто узнать; хотел убедиться; убедиться что; дозвонился; "
       "номер правильный; номер верный; номер рабочий; номер актуальный; актуальность номера; "
       "действующий номер; правильный телефон; еще работаете; работаете ли вы; вы на месте; "
       "телефон не поменялся; номер поменялся; сменился номер; проверить телефон; точно ваш; "
       "вы существуете; все что хотел узнать; не брали трубку; никто не брал трубку; "
       "сегодня работаете; открыт ли; вы мне звонили; звонили с этого номера; "
       "верный телефон; по старому адресу; все по старому; вы живы; дозвон"),
    _c("nothing_more", NAVIGATION, 1, "больше ничего; это все что хотел; ничего больше"),
    _c("job_seeker", NAVIGATION, 2,
       "вакансия; резюме; трудоустройство; устроиться =работа; ищу =работа; взять на =работа; "
       "собеседование; кадровик; отдел кадров; отдел персонала; стажировка; пройти практику; "
       "подработка; соискатель; нужны =работники; требуются =сотрудники; зарплата; "
       "набираете людей; набор сотрудников; принимаете на =работа; место =работа; "
       "первое место работы; работать водителем; работать менеджером; работать кладовщиком; "
       "работать грузчиком; работать продавцом; работать бухгалтером; работать охранником; "
       + "; ".join(f"{v} {r}" for v in ("требуется", "ищете") for r in (
           "продавец", "менеджер", "водитель", "кладовщик", "грузчик", "бухгалтер", "охранник",
           "сотрудник", "работник", "оператор", "механик", "экспедитор", "уборщица"))),
    # the caller offers the company something (navigation when the caller says it)
    _c("offer_to_us", NAVIGATION, 2,
       "хотел бы предложить; хочу предложить; "
       "предлагаем сотрудничество; "
       "предложить сотрудничество; по поводу сотрудничества; стать вашим поставщиком; "
       "представляю компанию; я представитель; рекламное агентство; продвижение сайта; "
       "размещение в справочнике; отдел закупок; отвечает за закупки; ~предлагаем ~вам; "
       "~предлагаем ~вашему; ~предлагаем ~вашей; ~можем предложить; ~хотим предложить; "
       "~предложить ~вам; звоню предложить; размещение рекламы; рекламу на; у нас закупать; "
       "закупать у нас; ~можем ~ваш; ~можем ~вашу; ~можем ~вам; сотрудничать; сотрудничество; "
       "~предлагаю ~вам; ~предлагаю ~вашему; ~предлагаю ~вашей; ищем покупателей; "
       "ищем дилеров; ищем партнеров; стать нашим партнером; стать нашим дилером; "
       "застраховать; ~ваших ~сотрудников; ~ваших ~менеджеров; ~вашего ~офиса"),
    _c("self_intro", NAVIGATION, 1,
       "мы занимаемся; мы производитель; мы поставщик; мы продаем; мы делаем; мы оказываем; "
       "наша компания занимается; ~можем; ~предлагаем; "
       "~поставляем; ~производим; ~предлагаю; ~занимаемся"),
    _c("decline", NAVIGATION, 1,
       "не интересно; не интересует; не заинтересованы; нам не нужно; не нужно; не надо; "
       "есть свой; уже есть; нас все устраивает; не требуется; нет спасибо; "
       "пришлите на почту; отправьте на почту; оставьте предложение; отправьте предложение; "
       "есть подрядчик; есть свой поставщик; уже работаем с; нам уже; есть перевозчик; "
       "не актуально; не подходит; уже заключен; занимается другой"),
    # the company does not sell that (said by the employee)
    _c("not_sold", NAVIGATION, 2,
       "не торгуем; не продаем; не занимаемся; таким не занимаемся; не держим; не возим; "
       "не наш профиль; не наш ассортимент; нет в ассортименте; нет ассортимента; "
       "не по адресу; нет такой услуги; другое направление; не наше направление; "
       "обратитесь в другую; продаем только; у нас только; в продаже нет; "
       "не наша специализация; не делаем; не оказываем; торгуем только; нет в продаже"),
    # --- negotiation ----------------------------------------------------------------------
    _c("price", NEGOTIATION, 2,
       "цена; стоимость; сколько стоит; почем; прайс; скидка; оптом; оптовая цена; дешевле; "
       "подешевле; недорогой; рублей; по цене"),
    _c("goods", NEGOTIATION, 2,
       "в наличии; наличие; есть на складе; на складе; купить; приобрести; заказать; заказ; "
       "закупать; закупка; ~беру; ~возьму; ~берем; ~возьмем; зарезервировать; резервировать; "
       "партия; штук; "
       "комплект; модель; артикул; каталожный номер; аналог; подобрать; позиция; "
       "отложить; отложите"),
    _c("invoice", NEGOTIATION, 2,
       "выставить счет; выписать счет; сформировать счет; подготовить счет; переделать счет; "
       "пересчитать счет; прислать счет; отправить счет; сделать счет; счет на оплату; "
       "счет на предоплату; счет с ндс; счет без ндс; счет пришел; "
       "когда будет счет; "
       "переоформить счет; перевыставить; в счете указать; счет просрочен; продлить счет; "
       "присылайте счет"),
    _c("payment_terms", NEGOTIATION, 2,
       "отсрочка; предоплата; постоплата; условия оплаты; оплата по факту; рассрочка"),
    _c("payment", NEGOTIATION, 1, "оплата; оплатить"),
    _c("tech", NEGOTIATION, 2,
       "характеристики; технические характеристики; тонкость фильтрации; тонкость очистки; "
       "микрон; давление; пропускная способность; ресурс; моточасы; диаметр; размеры; "
       "высота; длина; ширина; миллиметр; температура; градус; материал; резьба; дюйм; "
       "класс очистки; совместим; совместимость; подойдет к; подходит к; чертеж; мощность; "
       "киловатт; =вольт; литров в минуту; атмосфер; клапан; датчик; габариты; =сталь; "
       "покраска; из чего сделан; "
       "сечение; поток; степень очистки; весит; морозостойкий; интервал замены; "
       "подойдет на; подходит на; по каталогу; посадка; присоединительный размер; "
       "кубов в час; микрометр; килограмм"),
    _c("delivery", NEGOTIATION, 2,
       "доставка; доставить; привезти; отгрузить; отгрузка; транспортная компания; "
       "терминал; самовывоз; забрать со склада; курьер; =поставка; срок =поставки; "
       "график =поставок; =поступление; =поступить; =груз; "
       "довезти; почтой; трек номер; экспресс; в пути; товар пришел; когда отправите; "
       "заберу сам; привоз; отправить сегодня"),
    _c("deal_documents", NEGOTIATION, 2,
       "договор поставки; спецификация; сертификат; декларация соответствия; "
       "товарная накладная; паспорт изделия; технический паспорт; протокол разногласий; "
       "дополнительное соглашение; доверенность; тендер; коммерческое предложение; "
       "гарантийное письмо; рекламация; техническая документация"),
    _c("contract", NEGOTIATION, 1, "договор; накладная; упд; счет фактура"),
)
_CONCEPT_BY_NAME: dict[str, Concept] = {c.name: c for c in CONCEPTS}
#: Concepts that decide only in combination (rules 2-4), not by their weight.
_COMBINED = ("decline", "self_intro", "offer_to_us", "not_sold", "denial", "apology")
#: Concepts that, said by the employee after "we don't sell that", mean they go on selling.
_SELLING = ("price", "invoice", "goods", "payment_terms")

NAVIGATION_CUES: tuple[str, ...] = tuple(p for c in CONCEPTS if c.kind == NAVIGATION
                                         and c.name not in ("decline", "self_intro")
                                         for p in c.phrases)
NEGOTIATION_CUES: tuple[str, ...] = tuple(p for c in CONCEPTS if c.kind == NEGOTIATION
                                          for p in c.phrases)


def kind_from_cues(navigation: int, negotiation: int, *, words: int, min_words: int = 5) -> str:
    """The first version's rule on cue counts (kept for callers of the old API): the side with
    more distinct cues wins; ties and single navigation cues go to navigation, nothing found or
    a near-empty transcript is unknown. ``analyze_calls`` uses :func:`kind_from_concepts`.

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


Hit = tuple[int, str]   # (token position, speaker)


def kind_from_concepts(hits: Mapping[str, Sequence[Hit]], *, labelled: bool = True,
                       caller: str | None = None) -> str:
    """The call kind from the concepts found in it (see the module docstring for the rules).

    Shorthand for ``rule_decision(...)[0]``; the parameters are those of :func:`rule_decision`.

    Examples
    --------
    >>> kind_from_concepts({"requisites": [(3, "client")], "payment": [(5, "client")]})
    'navigation'
    >>> kind_from_concepts({"invoice": [(2, "employee")]})
    'negotiation'
    >>> kind_from_concepts({"goods": [(2, "client")], "not_sold": [(6, "employee")]})
    'navigation'
    >>> kind_from_concepts({})
    'unknown'
    """
    return rule_decision(hits, labelled=labelled, caller=caller)[0]


def rule_decision(hits: Mapping[str, Sequence[Hit]], *, labelled: bool = True,
                  caller: str | None = None) -> tuple[str, str]:
    """The call kind from the concepts found in it and what decided it: ``"override"`` (a job
    seeker, an offer to the company, "we don't sell that", a wrong number), ``"score"`` (the
    weighed concepts) or ``"none"`` (nothing found).

    Parameters
    ----------
    hits
        Concept name -> ``(position, speaker)`` of each place it was said; names are those of
        :data:`CONCEPTS` plus ``profile_navigation``, ``profile_negotiation`` (weight 2) and
        ``result`` (a profile call result said: weak negotiation — result phrases like
        "созвониться" are said in other calls too).
    labelled
        Whether the call's speakers are known. Without labels an offer is the caller's when
        ``caller`` says the client called (an incoming call), nobody's when the employee did
        (their own cold call), and else only when the company declines it.
    caller
        Who placed the call: ``"client"`` (incoming), ``"employee"`` (outgoing) or None.

    Examples
    --------
    >>> rule_decision({"job_seeker": [(1, "client")], "goods": [(4, "client")]})
    ('navigation', 'override')
    >>> rule_decision({"price": [(1, "client")]})
    ('negotiation', 'score')
    """
    found = {k: v for k, v in hits.items() if v}
    if not found:
        return UNKNOWN, "none"
    if "job_seeker" in found:
        return NAVIGATION, "override"

    def by(name: str, who: str) -> bool:
        return any(s == who for _, s in found.get(name, ()))

    not_client = EMPLOYEE_SPEAKER if labelled else None
    declined = by("decline", EMPLOYEE_SPEAKER) if labelled else "decline" in found
    if labelled:
        offer = by("offer_to_us", CLIENT_SPEAKER) or (by("self_intro", CLIENT_SPEAKER) and declined)
    elif caller == EMPLOYEE_SPEAKER:
        offer = False     # the employee's own cold call: the offer is theirs
    elif caller == CLIENT_SPEAKER:
        offer = "offer_to_us" in found or ("self_intro" in found and declined)
    else:
        offer = ("offer_to_us" in found or "self_intro" in found) and declined
    if offer:
        return NAVIGATION, "override"
    refusals = [p for p, s in found.get("not_sold", ()) if not_client is None or s == not_client]
    if refusals:
        first = min(refusals)
        sells_on = any(p > first and (not_client is None or s == not_client)
                       for name in _SELLING for p, s in found.get(name, ()))
        if not sells_on and "result" not in found:
            return NAVIGATION, "override"
    weights = {"result": 1, "profile_negotiation": 2, "profile_navigation": 2}
    score = {NAVIGATION: 0, NEGOTIATION: 0}
    for name, where in found.items():
        c = _CONCEPT_BY_NAME.get(name)
        if c is not None and name not in _COMBINED:   # two places count double, no more
            score[c.kind] += c.weight * min(len({p for p, _ in where}), 2)
        elif name in weights:
            score[NAVIGATION if name == "profile_navigation" else NEGOTIATION] += weights[name]
    wrong = "wrong_number" in found or ("denial" in found and "apology" in found)
    if wrong and score[NEGOTIATION] < 4:
        return NAVIGATION, "override"
    if score[NEGOTIATION] >= score[NAVIGATION] and score[NEGOTIATION] > 0:
        return NEGOTIATION, "score"
    if score[NAVIGATION] > 0:
        return NAVIGATION, "score"
    return UNKNOWN, "none"


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
        docs.setdefault(cid, []).extend(lemma(x) for t in tokenize(text) for x in split_merged(t))
    s = pd.Series({k: " ".join(v) for k, v in docs.items()}, dtype="string")
    s.index = pd.Index(s.index, name=schema.CALL_ID, dtype="string")
    return s


@lru_cache(maxsize=1)
def _cue_matcher():
    from callkit.speech.match import PhraseMatcher

    return PhraseMatcher([(c.kind, c.name, p) for c in CONCEPTS for p in c.phrases])


def _with_cues(doc: str) -> str:
    m = _cue_matcher()
    found = {m.phrases[x.phrase].item for x in m.find(doc.split())}
    extra = " ".join(f"cue_{name}" for name in sorted(found))
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
        Add the built-in concepts as features (one pseudo-word ``cue_<concept>`` per concept
        found, e.g. ``cue_requisites``), so the model can recognise a kind of call it never
        saw in training when the concepts are there.

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
        from threadpoolctl import threadpool_limits

        # one BLAS thread: on a shared machine lbfgs with a thread per core was 30x slower
        # (5 s instead of 0.15 s) for this small problem
        with threadpool_limits(1):
            self.model_.fit(x, labels.astype(str).to_numpy())
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, docs: pd.Series | Iterable[str] | pd.DataFrame, *,
                      with_cues: bool = False) -> pd.DataFrame:
        """Class probabilities, one row per document (same index), one column per class.

        ``with_cues``: the documents already end with their ``cue_<concept>`` tokens (as
        ``analyze_calls`` builds them), so the lexicon is not matched a second time.
        """
        if not hasattr(self, "model_"):
            raise ValueError("CallKindClassifier is not fitted; call fit(docs, y) first")
        if with_cues:
            s = docs if isinstance(docs, pd.Series) else pd.Series(list(docs))
            s = s.astype("string").fillna("")
        else:
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


#: Lemmas that carry no content for the call kind: greetings, fillers, phone talk.
SMALL_TALK: frozenset[str] = frozenset("""
алло алле але слушать слушаю добрый день вечер утро здравствуйте здравствовать здрасте привет
говорить слышно слышать перезвонить позвонить звонить спасибо благодарить свидание пока
извинить извиняться простить занятой занят потом позже щас сейчас ой ааа эээ ээ мм угу ага
да нет ладно хорошо понятно ясно окей ок минута секунда подождать
""".split())
#: callkit's own labelled call-kind phrasings (``callkit/data/``): the development sets.
BUNDLED_PHRASINGS: tuple[str, ...] = ("kind_train.yaml", "kind_dev.yaml", "kind_dev2.yaml")


def bundled_phrasings() -> pd.DataFrame:
    """The development phrasings (:data:`BUNDLED_PHRASINGS`) as one table (see
    :func:`callkit.speech.evaluation.read_phrasings`)."""
    from importlib import resources

    from callkit.speech.evaluation import read_phrasings

    frames = []
    for name in BUNDLED_PHRASINGS:
        with resources.as_file(resources.files("callkit").joinpath("data", name)) as path:
            frames.append(read_phrasings(path))
    return pd.concat(frames, ignore_index=True)


@lru_cache(maxsize=1)
def default_kind_model() -> CallKindClassifier:
    """The bundled call-kind classifier: :class:`CallKindClassifier` (TF-IDF over lemmas and
    the concept cues + logistic regression) fitted on callkit's own labelled phrasings
    (:func:`bundled_phrasings`, each dialog also in the four
    recognition-error styles of :func:`~callkit.speech.synthetic.asr_errors`). Fitted once
    per process (about a second); no download.
    """
    from callkit.speech.evaluation import phrasing_utterances
    from callkit.speech.synthetic import ASR_STYLES

    ph = bundled_phrasings()
    us, labels = [], []
    for style in (None, *ASR_STYLES):
        u, lab = phrasing_utterances(ph, style=style, seed=1)
        us.append(u)
        labels.append(lab)
    u = pd.concat(us, ignore_index=True)
    lab = pd.concat(labels, ignore_index=True).set_index(schema.CALL_ID)["kind"]
    return CallKindClassifier().fit(u, lab)


def combine_kinds(rule_kind: str, basis: str, proba: Mapping[str, float], content_words: int, *,
                  confident: float = 0.75, min_content: int = 3) -> str:
    """The call kind from the rules and the classifier together.

    - the rules' structural decisions (``basis == "override"``: a job seeker, an offer to the
      company, "we don't sell that", a wrong number) stand;
    - a call with fewer than ``min_content`` content words (greetings, "алло", fillers do not
      count) and no concept is ``unknown``;
    - where the rules weighed concepts (``score``), the classifier overrules them only when it
      is ``confident`` of the other kind;
    - where the rules found nothing, the classifier's kind when it is ``confident``, else
      ``unknown``.

    Examples
    --------
    >>> combine_kinds("navigation", "override", {"negotiation": 0.9}, 20)
    'navigation'
    >>> combine_kinds("unknown", "none", {"negotiation": 0.8, "navigation": 0.2}, 6)
    'negotiation'
    >>> combine_kinds("unknown", "none", {"negotiation": 0.6, "navigation": 0.4}, 6)
    'unknown'
    >>> combine_kinds("unknown", "none", {"negotiation": 0.9}, 2)
    'unknown'
    """
    if basis == "override":
        return rule_kind
    if basis == "none" and content_words < min_content:
        return UNKNOWN
    best = max(proba, key=lambda k: proba[k]) if proba else UNKNOWN
    sure = bool(proba) and proba[best] >= confident
    if basis == "score":
        return best if sure and best != rule_kind else rule_kind
    return best if sure else UNKNOWN
