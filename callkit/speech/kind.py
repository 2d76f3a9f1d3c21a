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

1. nothing found -> ``unknown``; a recording (voicemail, "абонент недоступен", an IVR
   greeting — its whole turn: an IVR menu naming departments names no requisites) or "I
   can't talk now" or a dropped line ("пропала связь") or a pocket dial ("не туда нажал", "ой
   нет ничего"; "ой это я не вам", "это не вам", "из кармана набралось", "это просто карман", a
   child on the line: "мама мама" — its whole turn; an after-hours recording; a line of noise,
   "ничего не понятно, кладу трубку") is no content: its words are neither counted nor read and the concepts
   said inside it do not count; nor is the employee's opening greeting and self-introduction
   ("склад упаковки добрый день", "вас беспокоит компания…"): only what follows it counts as
   content, and what it names ("электрика оптом") counts only when the other side answers
   with something (not with a recording, "не удобно" or "та щас ну");
2. a job seeker -> ``navigation``; the caller referring to the company's *own* offer ("вы мне
   вчера предлагали…") -> ``negotiation``; a caller *offering* the company goods or services
   (said by the client, or by an unlabelled speaker with the company declining; a service
   done at the company's site, "установим контейнер у вашего склада", too; "у нас есть
   гранула — не нужна вам?"; a service company introducing itself put off with "буду иметь в
   виду") -> ``navigation`` — but the offer words said with the caller's own need are what he
   buys ("нам нужен договор на размещение рекламы", "реклама на щите нужна");
3. the employee saying the company does not sell that (``таким не занимаемся``) ->
   ``navigation``, unless the employee goes on to sell after it (price, an invoice, goods
   in stock, an analogue);
4. the closing documents of a delivery corrected ("в упд ошибка, переделайте"; an act with
   what was done missing or wrong, "в акте не указан монтаж" — not an error in the company's
   own details nor a reconciliation act) or the goods unloaded at the client's own site or
   taken to the client's addresses ("куда выгружать будете", the client's "разгрузка у нас",
   "развезти по магазинам", "куда завозить"), brought to the client's site ("не в офис, а на
   объект") or collected by the client ("можно самовывозом — заберу в субботу"; asking the way
   there, "как к вам проехать", is directions) -> ``negotiation``; a contract's copy not yet
   signed, closing documents re-issued to the buyer's right entity ("на филиал, переделаем"), a
   copy of the goods' certificate with their documents -> ``negotiation``; a closing document not yet
   drawn up or signed ("акт ещё не сформировали", "вы не подписали упд") -> ``negotiation``;
   a copy or a second original of a document signed, sent or lost in the past ("копию упд по
   прошлой поставке", "подписанный экземпляр нужен повторно", "наш потерялся") ->
   ``navigation`` unless a deal goes on (goods, price, an invoice, terms, specs), while a
   copy of a contract still being agreed or signed now -> ``negotiation``; the closing
   documents of goods just received or shipped ("плитку мы получили, пришлите акт") ->
   ``negotiation`` (their first issue closes that delivery);
   closing documents for an order or a delivery ("упд по поставке") -> ``negotiation``,
   unless an original or a copy of one already sent is asked for;
   the buyer's signed copy of a closing document not yet returned ("ваш экземпляр упд не
   вернулся") and the signed documents of goods just shipped asked back ("вчера отгрузили —
   пришлите подписанную накладную и оригинал") -> ``negotiation``; an invoice issued with the
   buyer's details wrong and corrected by the employee ("наш инн неправильно — переделаю")
   -> ``negotiation``; goods ready to collect ("можете забирать — заеду в шесть") or
   arrived and asked where to collect ("детали пришли — где забирать"), a supplier asking which
   warehouse to bring a batch to, a driver of another firm already at the company's gates,
   barrier or weighbridge to unload or load ("стою у ваших ворот, куда разгружаться") ->
   ``negotiation`` (delivery: goods coming or going), while the way, the entrance or the gate
   asked before he is there ("где у вас въезд для фур") is directions; an invoice to be re-sent
   with the seal or with its wording corrected ("в счёте наименование не то") ->
   ``negotiation``; a contract signed as a scan, its originals following, and the other side's
   signed copy not yet sent -> ``negotiation``;
   the recipient's account for the caller's payment order ("какой у вас счет получателя, мне
   платежку сделать"; the "счёт" of an account phrase is no invoice; the payment order itself,
   "пришлите платёжное поручение", or the number of the invoice paid is no account asked)
   or the account number
   or payment details asked for an invoice already issued ("по тому счёту, что вы
   выставили") -> ``navigation``, unless the invoice is to be changed or the deal discussed
   (goods, price, terms, delivery, specs, deal documents);
   an invoice asked for the goods or to pay by, with nothing issued, paid by order or
   copied ("выставьте счёт на тридцать штук на ип — инн продиктуйте", "оплатим как пришлёте
   счёт, бухгалтера в копию" — an e-mail's copy is no copy of a document) -> ``negotiation``;
5. a wrong number (its phrases, or a denial — or a bare "нет" to a turn that named something
   when nothing of a deal was said — with an apology) -> ``navigation`` unless the call is plainly a deal (strong negotiation
   evidence of 2+ concepts); the caller's "is this …?" ("did I reach …?", "anyone there?")
   answered by a bare yes with nothing of content after it ("алло это аэроклимат" - "да" -
   "позже наберу", "на складе кто есть" - "есть я"; what such a check alone names is the
   company's name or place, no content) and nothing weighed ->
   ``navigation`` (just checking; a bare "я наберу" with no check stays ``unknown``);
6. otherwise the weights of the concepts found are summed per kind (strong 2, weak 1 — e.g.
   payment alone, a contract alone, the HR department named; a concept said in two or more
   places counts twice) and the larger wins; a tie with negotiation evidence is a negotiation
   (a seller dictating requisites for the invoice he issues is selling).

Two ways, both on lemmas:

- :func:`kind_from_concepts` — the rules above over the concepts found by ``analyze_calls``
  (plus the profile's ``navigation`` / ``negotiation`` cues and its ``call_results``);
- :class:`KindModel` — the bundled learned model (:func:`default_kind_model`): logistic
  regression over the seed's *intents* (wrong number, requisites, delivery… 13 in all; the
  kind is the sum of its intents' probabilities) on lemma uni- and bigrams within a turn, the
  concepts found, the lemmas of the caller's first content turn (the caller states the
  purpose), and character 2-4-grams of the words as recognised (robust to dropped endings and
  recognition errors). Fitted on callkit's own labelled phrasings and shipped as plain arrays
  (``callkit/data/kind_model.npz``): loaded, not fitted, at run time; no download.
  :class:`CallKindClassifier` is the simpler TF-IDF model a user can train on their own calls.

``analyze_calls`` combines them (:func:`combine_kinds`): the rules' structural decisions (a job
seeker, our own offer, an offer to the company, "we don't sell that", an issued invoice being
paid, a wrong number) stand — a call with no content is ``unknown``,
and the learned model decides the rest. The held-out evaluation (``benchmarks/kind_eval.py``)
scores phrasings written apart from this lexicon and the training data; model choices are made
by cross-validation by file on the development phrasings (``benchmarks/kind_cv.py``). (The
duration fallback for calls *without* a transcript belongs to ``callkit.classify``.)
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit import schema
from callkit.speech.load import CLIENT_SPEAKER, EMPLOYEE_SPEAKER, TEXT, UTT_START
from callkit.speech.text import lemma, split_merged, tokenize

__all__ = [
    "NEGOTIATION", "NAVIGATION", "UNKNOWN", "KINDS", "NAVIGATION_CUES", "NEGOTIATION_CUES",
    "Concept", "CONCEPTS", "kind_from_cues", "kind_from_concepts", "rule_decision",
    "call_documents", "CallKindClassifier", "combine_kinds", "default_kind_model", "SMALL_TALK",
    "BUNDLED_PHRASINGS", "bundled_phrasings", "KindInput", "KindModel", "kind_word_doc",
    "kind_char_doc", "char_grams", "fit_bundled_model", "build_bundled_model", "bundled_fingerprint",
    "BUNDLED_PARAMS", "BUNDLED_MODEL", "MODEL_FORMAT",
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
    _c("apology", NAVIGATION, 1, "простите; извините; пардон; прошу прощения; извиняюсь; сорян; "
       "сорри"),
    # a bare "нет" answering a turn that named something ("алло аптека" — "нет"): found by
    # analyze_calls from the turns, not by phrases; with an apology it is a wrong number
    _c("bare_no", NAVIGATION, 0, ""),
    _c("directions", NAVIGATION, 2,
       "как проехать; как доехать; как добраться; как к вам пройти; как вас найти; "
       # the hours asked ("а она круглосуточная — с девяти до девяти")
       "~круглосуточная; ~круглосуточно; ~круглосуточный; ~круглосуточные; "
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
       # a letter for the tax office confirming past purchases: the accounts' paper
       "~письмо ~подтверждение; ~для ~налоговой; ~в ~налоговую; "
       "номер счета; счет в банке; карточка предприятия; карточка организации; "
       "карточка компании; акт сверки; юридический адрес; юридическое название; "
       "полное наименование; закрывающие документы; оригиналы документов; копия; "
       "бухгалтерия; главный бухгалтер; контрагент; перечислить деньги; перевести деньги; "
       "возврат денег; платежное поручение; платежка; "
       "акт за; подписанный акт; =переплата; свидетельство о регистрации; устав; "
       "назначение платежа; электронный документооборот; =эдо; диадок; сбис; "
       "проверка контрагентов; для отчетности; взаиморасчеты; корсчет; сверить; "
       "счет получателя; банк получателя; получатель платежа; реквизиты получателя; "
       "рублевый счет; валютный счет"),
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
       "собеседование; стажировка; пройти практику; "
       "подработка; соискатель; нужны =работники; =требуются =сотрудники; "
       "набираете людей; набор сотрудников; принимаете на =работа; место =работа; квотируемые места; квотируемое место; =квотировать =место; "
       "первое место работы; работать водителем; работать менеджером; работать кладовщиком; "
       "работать грузчиком; работать продавцом; работать бухгалтером; работать =охранником; "
       + "; ".join(f"={v} ={r}" for v in ("требуется", "ищете") for r in (
           "продавец", "менеджер", "водитель", "кладовщик", "грузчик", "бухгалтер", "охранник",
           "сотрудник", "работник", "оператор", "механик", "экспедитор", "уборщица"))),
    # the HR department named: a weak cue (a job seeker asks for it, and so does a caller who
    # dialled the wrong company: "соедините с отделом кадров" - "у нас нет отдела кадров")
    _c("hr_dept", NAVIGATION, 1, "отдел кадров; отдел персонала; кадровик; кадровая служба; "
       "зарплата"),
    # the caller offers the company something (navigation when the caller says it)
    _c("offer_to_us", NAVIGATION, 2,
       "хотел бы предложить; хочу предложить; "
       "предлагаем =сотрудничество; "
       "предложить =сотрудничество; по поводу =сотрудничества; стать вашим поставщиком; "
       "представляю компанию; я представитель; рекламное агентство; продвижение сайта; "
       "размещение в справочнике; отдел закупок; отвечает за закупки; ~предлагаем ~вам; "
       "~предлагаем ~вашему; ~предлагаем ~вашей; ~можем предложить; ~хотим предложить; "
       "~предложить ~вам; звоню предложить; размещение рекламы; рекламу на; у нас закупать; "
       "закупать у нас; ~можем ~ваш; ~можем ~вашу; ~можем ~вам; =сотрудничать; =сотрудничество; "
       "~предлагаю ~вам; ~предлагаю ~вашему; ~предлагаю ~вашей; ищем покупателей; "
       "ищем дилеров; ищем партнеров; стать нашим партнером; стать нашим дилером; "
       # an offer to insure ("предлагаем застраховать груз"), not the insurance of the cargo
       # asked ("а груз застрахован": a delivery's question)
       "~предлагаем ~застраховать; ~можем ~застраховать; ~застрахуем; ~застраховать ~ваш; "
       "~застраховать ~вашу; ~застраховать ~ваши; ~застраховать ~ваше; ~застраховать ~ваших; "
       "~ваших ~сотрудников; ~ваших ~менеджеров; ~вашего ~офиса; "
       # goods offered on consignment ("мёд у меня свой — возьмёте на реализацию")
       "~возьмете ~на ~реализацию; ~взять ~на ~реализацию; "
       # ... a service done at the company's own site ("установим контейнер у вашего склада")
       + "; ".join(f"~{v} ~{o}" for v in ("установим", "поставим", "вывезем", "обслужим",
                                          "привезем", "смонтируем", "обслуживаем", "вывозим")
                   for o in ("вашего", "вашей", "вашем", "вашу", "ваш", "вам", "ваши"))),
    _c("self_intro", NAVIGATION, 1,
       "мы занимаемся; мы производитель; мы поставщик; мы продаем; мы делаем; мы оказываем; "
       "наша компания занимается; ~можем; ~предлагаем; "
       "~поставляем; ~производим; ~предлагаю; ~занимаемся; ~предоставляем; ~даем; ~оказываем"),
    # ... and asks whether the company needs what he has ("у нас есть гранула — не нужна вам?"):
    # an offer when the caller also says he has it (a buyer's "вам не нужна предоплата?" is not)
    _c("offer_ask", NAVIGATION, 0,
       # three words each: a two-word phrase matches in reverse order too ("нужно … не меньше")
       "; ".join(" ".join(f"~{w}" for w in ws) for n in ("нужна", "нужен", "нужно", "нужны")
                 for ws in (("не", n, "вам"), ("вам", "не", n), (n, "ли", "вам"),
                            ("может", "вам", n), ("не", n, "ли")))
       + "; ~не ~интересует ~вас; ~вас ~не ~интересует"
       # ... or whether it wants to buy it ("у нас есть база клиентов — хотите купить?"; the
       # caller's own "хотим купить" is "need")
       "; ~хотите ~купить; ~не ~хотите ~купить; ~хотите ~приобрести; ~желаете ~купить; "
       "~желаете ~приобрести; ~не ~желаете ~приобрести"),
    _c("have", NAVIGATION, 0, "у нас есть; есть у нас; у нас имеется; у нас остались; "
       "у нас осталось; можем поставлять"),
    _c("decline", NAVIGATION, 1,
       "не интересно; не интересует; не заинтересованы; нам не нужно; не нужно; не надо; "
       "есть свой; уже есть; нас все устраивает; не требуется; нет спасибо; "
       "пришлите на почту; отправьте на почту; оставьте предложение; отправьте предложение; "
       "есть подрядчик; есть свой поставщик; уже работаем с; нам уже; есть перевозчик; "
       "не актуально; не подходит; уже заключен; занимается другой; буду иметь в виду; "
       "будем иметь в виду; возьму на заметку; если понадобится; если будет нужно"),
    # the company does not sell that (said by the employee)
    _c("not_sold", NAVIGATION, 2,
       "не торгуем; не продаем; не занимаемся; таким не занимаемся; не держим; не возим; "
       "не наш профиль; не наш ассортимент; нет в ассортименте; нет ассортимента; "
       "не по адресу; нет такой услуги; другое направление; не наше направление; "
       "обратитесь в другую; продаем только; у нас только; в продаже нет; "
       "не наша специализация; не делаем; не оказываем; торгуем только; нет в продаже; "
       "это не к нам; не к нам"),
    # a recording, not a person. Its words are no content of the call (analyze_calls neither
    # counts nor reads them, nor the concepts said inside them): voicemail and "the subscriber
    # is unavailable" (nobody to talk to; a cue for the model) ...
    _c("voicemail", UNKNOWN, 0,
       "после сигнала; после звукового сигнала; оставьте сообщение после; автоответчик; "
       "голосовая почта; голосовой почтовый ящик; абонент не отвечает; абонент недоступен; "
       "временно недоступен; вне зоны действия; аппарат абонента выключен; абонент занят; "
       "номер не существует; неправильно набран номер; набранный номер; номер не обслуживается; "
       "абонент просил перезвонить; звонок переадресован; в нерабочее время; "
       "перезвоните в рабочее время; абонента выключен; абонент выключен; телефон выключен; "
       "вне зоны; находится вне зоны действия сети; оставьте ваше сообщение; оставьте свое сообщение; абонент временно не доступен; "
       # ... an after-hours recording ("вы позвонили после окончания рабочего дня")
       "после окончания рабочего дня; окончания рабочего дня; рабочий день окончен; "
       "рабочий день закончен; рабочий день завершен; вне рабочего времени; "
       # a recording that the office is shut ("в настоящее время офис закрыт")
       "в настоящее время офис закрыт; в настоящее время мы не работаем"),
    # ... and an IVR greeting, after which a person may well answer (no cue: what follows it
    # is the call)
    _c("ivr", UNKNOWN, 0,
       "все операторы заняты; оставайтесь на линии; ваш звонок очень важен; ваш звонок важен; "
       "дождитесь ответа оператора; ожидайте ответа оператора; ждите ответа; "
       "в тональном режиме; нажмите один; нажмите два; нажмите ноль; нажмите звездочку; "
       "для связи с оператором; разговор записывается; звонок записывается; "
       "в целях контроля качества; вы позвонили в компанию; добро пожаловать в компанию; "
       "нажмите три; нажмите четыре; нажмите пять; вы дозвонились; добро пожаловать в; "
       "дождитесь соединения; вы позвонили в; "
       # an after-hours recording's greeting and its hours ("спасибо что позвонили в компанию",
       # "перезвоните в рабочие часы с девяти до восемнадцати": no directions asked)
       "спасибо что позвонили в; перезвоните в рабочие часы; звоните в рабочие часы"),
    # ... and "I can't talk now": no content either (what else is said is judged)
    _c("busy", UNKNOWN, 0,
       "не могу говорить; неудобно говорить; не удобно говорить; сейчас занят; я за рулем; "
       "я на совещании; у меня совещание; вторая линия; наберу через; перезвоню через; "
       "наберу позже; наберу попозже; перезвоню позже; я в дороге; не вовремя; "
       "перезвоните через; связь обрывается; связь прерывается; плохая связь; связь плохая; "
       "пропадаете; вас не слышно; ничего не слышно; плохо слышно; не слышу; плохо слышу; я наберу; "
       "наберу вас; я перезвоню; давайте позже; не удобно сейчас; сейчас не удобно; "
       "~пропала ~связь; ~пропадает ~связь; ~оборвалась ~связь; ~прервалась ~связь; "
       # ... or a pocket dial: nothing was meant to be said ("не туда нажал" is no wrong number)
       "не туда нажал; не туда нажала; случайно нажал; случайно нажала; нажал случайно; "
       "нажалось; случайно набрал; случайно позвонил; случайно вышло; "
       "ой нет ничего; да нет ничего; нет ничего простите; нет ничего извините; "
       "ничего не хотел; это снова я; "
       # ... or nobody at the other end but noise ("шум какой-то, ничего не понятно, кладу трубку")
       "кладу трубку; положу трубку; ничего не понятно; шум какой то; одни помехи; "
       "сплошные помехи"),
    # ... and a phone that dialled in a pocket or a caller talking to someone else beside him
    # ("ой это я не вам", "не туда ткнул когда в кармане"): the whole turn is no content — its
    # "не туда" or "это не…" is no wrong number
    _c("pocket", UNKNOWN, 0,
       "~в ~кармане; ~ткнул; ~ткнула; ~ткнулось; ~это ~я ~не ~вам; ~я ~не ~вам; ~не ~вам ~говорю; "
       "~в ~сумке; ~само ~набралось; ~сам ~набрался; ~из ~кармана; ~набралось; ~нажалось; "
       "~нажался; ~это ~не ~вам; ~не ~вам ~это; ~просто ~карман; ~это ~карман; ~карман ~набрал; "
       # ... or a child playing with the phone ("мама мама это я" — "девочка, позови маму")
       "~мама ~мама; ~позови ~маму; ~позови ~папу; ~позовите ~маму; ~позовите ~папу; "
       "~дай ~маме ~трубку; ~позови ~кого ~нибудь ~из ~взрослых"),
    # --- negotiation ----------------------------------------------------------------------
    # the company's own offer, referred to by the caller ("вы мне вчера предлагали…"): the
    # caller deals with it, he does not offer anything himself
    _c("our_offer", NEGOTIATION, 1,
       "~вы ~предлагали; ~вы ~нам ~предлагали; ~вы ~мне ~предлагали; ~мне ~предлагали; "
       "~нам ~предлагали; ~вы ~предлагаете; ваш менеджер предлагал; "
       "ваше коммерческое предложение; по вашему предложению; по вашему кп"),
    # an invoice already issued, referred to ("по тому счёту, что вы выставили"): with the
    # account number / requisites asked for, the caller is paying it (navigation), not asking
    # for an invoice
    _c("issued_invoice", NEGOTIATION, 0,
       "~вы ~выставили; ~выставленный ~счет; ~выставленному ~счету; ~выставленного ~счета; "
       "~вы ~прислали ~счет; по тому счету; счет который вы; "
       "счет что вы; по вашему счету; по счету номер; счет от вас; ~прислали ~счет; "
       "~выставили ~счет; ~присылали ~счет; по старому счету; по прошлому счету"),
    _c("price", NEGOTIATION, 2,
       "цена; стоимость; сколько стоит; почем; прайс; скидка; оптом; оптовая цена; дешевле; "
       "подешевле; недорогой; рублей; по цене"),
    _c("goods", NEGOTIATION, 2,
       "в наличии; наличие; есть на складе; на складе; купить; приобрести; заказать; заказ; "
       "закупать; закупка; ~беру; ~возьму; ~берем; ~возьмем; зарезервировать; резервировать; "
       "партия; штук; "
       "комплект; модель; артикул; каталожный номер; аналог; подобрать; позиция; "
       "отложить; отложите; лицензия на; купить лицензию; продление лицензии; подписка на; "
       "рабочих мест"),
    _c("invoice", NEGOTIATION, 2,
       "выставить счет; выписать счет; сформировать счет; подготовить счет; "
       "прислать счет; отправить счет; сделать счет; счет на оплату; "
       "счет на предоплату; счет с ндс; счет без ндс; счет пришел; "
       "когда будет счет; "
       "счет просрочен; присылайте счет; ~выставляйте; ~выписывайте; счет действует; "
       "срок действия счета; счет действителен; счет готов; "
       # ... made out to the buyer ("нам бы счёт на стерилизатор, юрлицо медцентр")
       "нужен счет на; нам бы счет; нам счет на; счет на ип; счет на организацию; "
       "счет на юрлицо; счет на юридическое лицо; счет на ооо; "
       # ... in the form or currency asked ("счёт с печатью", "счёт в долларах"; a currency
       # account of the company, "валютный счёт", is requisites) ...
       "счет с печатью; счет с подписью; счет без печати; счет без подписи; счет в валюте; "
       "счет в долларах; счет в евро; счет в тенге; счет в юанях; "
       # ... or sent from now on to a new address ("счета дублируйте на новую почту")
       "присылать счета; отправлять счета; высылать счета; дублировать счета; счета на почту; "
       "счета на новую почту"),
    # a change to an invoice (issued or not): the deal goes on
    _c("invoice_change", NEGOTIATION, 2,
       "переоформить счет; перевыставить; в счете указать; продлить счет; разбить счет; "
       "разделить счет; исправить счет; переделать счет; пересчитать счет; разделить на; "
       "разбить на"),
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
       "гост; толщина; плотность; нагрузка; напряжение; класс защиты; срок службы; "
       "погрешность; производительность; расход; теплопроводность; нержавейка; нержавеющий; "
       "подойдет на; подходит на; по каталогу; посадка; присоединительный размер; "
       "кубов в час; микрометр; килограмм; под линукс; линукс; виндовс; постгрес; оракл; "
       "системные требования; требования к серверу; оперативная память; интеграция с; "
       # ... and what a product is made of ("состав колбасы", "есть ли консерванты")
       # (exact words: "консервация" is a few letters from "консерванты")
       "=состав; =консерванты; =ингредиенты; =аллергены; =калорийность; =жирность; "
       "пищевая ценность"),
    _c("delivery", NEGOTIATION, 2,
       "доставка; доставить; привезти; отгрузить; отгрузка; транспортная компания; "
       "терминал; самовывоз; забрать со склада; курьер; =поставка; срок =поставки; "
       "график =поставок; =поступление; =поступить; =груз; "
       "довезти; ~почтой; почта россии; трек номер; экспресс; в пути; товар пришел; когда отправите; "
       "заберу сам; привоз; отправить сегодня; разгрузка; выгрузка; разгрузить; манипулятор; "
       "машина приедет; водитель приедет; погрузка; где курьер; ваш курьер; не привезли; "
       "должны были привезти; где мой заказ; где наш заказ; можно забирать; можете забирать; "
       "можете забрать; готов к выдаче; =отследить; =отслеживание; =трекинг; "
       # ... the caller's order arrived ("детали пришли, мне смс пришла — где забирать")
       "~заказ ~пришел; ~заказ ~прибыл; ~заказ ~поступил; ~детали ~пришли; ~товар ~прибыл; "
       "~посылка ~пришла; ~пришел ~заказ; ~пришли ~детали"),
    _c("deal_documents", NEGOTIATION, 2,
       "договор поставки; спецификация; сертификат; декларация соответствия; "
       "товарная накладная; паспорт изделия; технический паспорт; протокол разногласий; "
       "дополнительное соглашение; доверенность; тендер; коммерческое предложение; "
       "гарантийное письмо; =рекламация; техническая документация; =кп; паспорт безопасности; "
       "акт приема; акт приемки; техническое задание; приложение к договору; "
       "проект договора; заключить договор; подписать договор; договор на поставку; "
       "договор купли продажи; купли продажи; трехсторонний договор; договор лизинга; "
       "лизингодатель; типовой договор; свой договор; допсоглашение; доп соглашение; "
       "предварительный договор; договор задатка; договор бронирования"),
    # an original or a copy of a document already sent (with order_documents: requisites)
    _c("copy", NAVIGATION, 0, "оригинал; оригиналы; копия; копию; дубликат; продублируйте; "
       "повторно; еще раз; для архива; второй экземпляр; второй оригинал"),
    # ... signed or sent in the past ("подписанный", "по прошлой поставке", "свой экземпляр"):
    # with a copy asked for, a document of a deal already done (requisites, rule 4)
    _c("signed_before", NAVIGATION, 0,
       "; ".join(f"~{w}" for w in (
           "подписанный", "подписанного", "подписанную", "подписанной", "подписанные",
           "подписанных", "подписанным", "подписанная", "подписанное", "подписаный",
           "подписаного", "подписаную", "подписан", "подписана", "подписаны", "подписали",
           "подписывали")) + "; экземпляр"),
    # ... or of a past period ("по прошлой поставке", "от прошлого года"): not being agreed now
    # even when the employee will sign a second original
    _c("past", NAVIGATION, 0, "прошлый; прошлогодний; позапрошлый; в прошлом году"),
    # ... or lost, and asked for again ("наш экземпляр потеряли"): a copy of a settled document
    _c("lost", NAVIGATION, 0, "потеряли; потерялся; потерялась; потерялись; потеряла; "
       "не можем найти; не могу найти; не найдем; не найду; испортили; испорчен; для архива; "
       "для аудита; из архива"),
    # a closing document of a delivery not yet drawn up or signed ("акт ещё не сформировали",
    # "вы не подписали упд"): still the deal's, whatever period it is for
    _c("doc_unmade", NEGOTIATION, 0,
       "не подписан; не подписана; не подписаны; не подписали; не подписываете; "
       "не сформировали; не сформирован; не сформирована; не оформили; не оформлен; "
       "не выставили акт; не сделали акт; еще не сделали; не подписал; без подписи; "
       "неподписанный; не готов акт; акт не готов; "
       # ... or the buyer's signed copy not yet returned ("ваш экземпляр упд не вернулся")
       "не вернулся; не вернулась; не вернулись; не вернули; не вернул; не возвращен; "
       "не возвращены; не получили обратно; "
       # ... or came incomplete ("накладная только в одном экземпляре", "акт не вложили")
       "в одном экземпляре; один экземпляр; не вложили; не приложили; не положили; "
       # ... or the other side's signed copy not yet sent ("свой экземпляр вы до сих пор не
       # прислали")
       "~экземпляр ~не ~прислали; ~не ~прислали ~экземпляр; ~экземпляр ~не ~отправили; "
       "~не ~прислали ~свой; ~до ~сих ~пор ~не ~прислали"),
    # the closing documents of a delivery: with goods just received ("received", found by
    # analyze_calls from the words) their first issue is the deal's (rule 4); a reconciliation
    # act is a period's accounts, never one delivery's; "в копию" is an e-mail's cc, no copy
    _c("closing", NEGOTIATION, 0, "; ".join((
        "закрывающие документы", "закрывающие", "=акт", "=упд", "накладная", "счет фактура",
        "документы для бухгалтерии", "для закрытия", "акт приемки", "товарная накладная"))),
    _c("received", NEGOTIATION, 0, ""),
    # ... a document of the deal not yet signed or to be re-issued to the buyer's right entity
    # ("закрывающие на головную, а нужно на филиал — переделаем"): the deal's, like a fix
    _c("reissue", NEGOTIATION, 0,
       "на филиал; на другое юрлицо; на другую организацию; на другую компанию; на другое лицо; "
       "на головную; на головную организацию; на кого выставлены; на кого оформлены; "
       "на кого выписаны; другой грузополучатель; грузополучатель другой; на другой инн"),
    _c("redo", NEGOTIATION, 0, "переоформить; переделать; перевыставить; переоформим; переделаем; "
       "исправить; исправлю; исправим; переделаю"),
    # the goods' own papers sent with the closing documents (a copy of them is the delivery's,
    # not a settled document's); the client collecting his order himself ("можно забрать
    # самовывозом — заберу в субботу": delivery) unless he asks the way there ("как к вам
    # проехать", "где пункт самовывоза": directions — the warehouse's hours named for a pick-up
    # are no such question); the goods brought to the client's site ("привезите сразу на
    # объект — адрес объекта"): the delivery's address, not the way to the company
    *(_c(name, kind, 0, "; ".join(phrases)) for name, kind, phrases in (
        ("goods_papers", NEGOTIATION, (
            "сертификат", "сертификаты", "сертификат соответствия", "декларация соответствия",
            "паспорт качества", "паспорт изделия", "технический паспорт", "паспорт безопасности",
            "гарантийный талон", "инструкция по эксплуатации", "отказное письмо")),
        ("pickup", NEGOTIATION, (
            "~самовывоз", "~самовывозом", "~само ~вывозом", "~заберу", "~заберем",
            "~забирать ~сами", "~забрать ~сами", "~забрать ~самим", "~забрать ~самому",
            "~можно ~забрать", "~забрать ~заказ", "~можно ~забирать", "~можете ~забирать",
            "~можете ~забрать", "~забирайте", "~готов ~к ~выдаче", "~готово ~к ~выдаче",
            "~готовы ~к ~выдаче", "~заеду", "~заедем", "~подъеду ~за", "~приеду ~за", "~где ~забирать",
            "~где ~забрать", "~где ~его ~забрать", "~где ~их ~забрать", "~куда ~за ~заказом",
            "~до ~скольки ~забрать", "~до ~скольки ~можно ~забрать",
            # the hours of the hand-over asked ("а где вы и до скольки выдача")
            "~до ~скольки ~выдача", "~выдача ~до ~скольки", "~до ~скольки ~выдаете")),
        ("way", NAVIGATION, (
            "как проехать", "как доехать", "как добраться", "как к вам пройти", "как вас найти",
            "как заехать", "где вы находитесь", "где находится", "какой у вас адрес", "ваш адрес",
            "точный адрес", "где вход", "куда ехать", "куда подъехать", "куда заезжать",
            "где у вас", "там же где", "где пункт", "где склад", "адрес пункта", "адрес склада",
            "с какой стороны", "навигатор")),
        ("client_object", NEGOTIATION, (
            "~адрес ~объекта", "~на ~объект", "~на ~стройку", "~на ~стройплощадку",
            "~не ~в ~офис", "~на ~наш ~объект")))),
    # the caller's own need ("нам нужен договор на размещение рекламы", "реклама на щите
    # нужна"): he buys the advertising, the offer words said with it are no offer to us
    _c("need", NEGOTIATION, 0,
       "нам нужна; нам нужен; нам нужно; нам нужны; мне нужна; мне нужен; мне нужно; мне нужны; "
       "нам надо; мне надо; хотим заказать; хочу заказать; хотим купить; нужна реклама; "
       "нужно размещение"),
    # whether the payment of an invoice arrived ("мы оплатили, а деньги не пришли"): a cue for
    # the model, no rule — one hand calls it the invoice's, another the requisites' (set 4's
    # "перевели оплату по старому счёту, пришли ли деньги")
    _c("payment_status", NEGOTIATION, 0,
       "не пришло; не пришли; не пришла; не поступило; не поступили; не поступила; не дошли; "
       "не дошло; не дошла; не видим; пришла ли; поступила ли; дошла ли; пришли ли; поступили ли; "
       "дошли ли; оплата прошла; оплата не прошла; платеж прошел; платеж не прошел; "
       "деньги пришли; деньги поступили; оплата поступила; оплата пришла"),
    # ... the invoice paid, referred to ("мы оплатили счёт номер 45": its number is no account)
    _c("paid_invoice", NEGOTIATION, 0, "~оплатили ~счет; ~оплатили ~ваш ~счет; ~счет ~оплатили"),
    # ... an order's payment not yet showing on it ("оплата прошла, а заказ не оплачен"): the
    # order is being paid, the deal goes on (with payment_status; a bare payment chased is not)
    _c("order_payment", NEGOTIATION, 0,
       "статус заказа; ~заказ ~не ~оплачен; ~заказ ~оплачен; оплата заказа; оплата по заказу; "
       "оплатили заказ; оплатил заказ; заказ в статусе"),
    # a parcel tracked ("как отследить посылку"): the delivery on its way (a tracked letter
    # with an original document is the document's, concept "copy")
    _c("tracking", NEGOTIATION, 0,
       # exact words: "отследить" is a few letters from "открыть", "обслуживание"
       "=отследить; =отслеживание; =отслеживать; =трекинг; трек номер; =номер =отслеживания; "
       "~где ~посылка; ~где ~моя ~посылка; ~где ~наша ~посылка"),
    # a contract amended or corrected ("допсоглашение об изменении реквизитов", "в договоре
    # неправильно указан кпп — исправим, пришлём новую редакцию"): the deal's own document, the
    # details named in it included (a past contract's copy or a reconciliation is not)
    _c("contract_amend", NEGOTIATION, 0,
       "дополнительное соглашение; допсоглашение; доп соглашение; новая редакция; "
       "изменения в договор; изменение договора; исправить договор; поправить договор; "
       "переделать договор; ~в ~договоре ~неправильно; ~в ~договоре ~неверно; "
       "~в ~договоре ~ошибка; ~в ~договоре ~ошибку; "
       # ... a detail named in it wrong ("в предварительном договоре номер квартиры указан
       # неправильно — исправим")
       "~указан ~неправильно; ~указана ~неправильно; ~указано ~неправильно; ~указан ~неверно; "
       "~указана ~неверно; ~указано ~неверно; ~указаны ~неправильно; ~указаны ~неверно"),
    # an act of works or services asked for (its first issue: the service's closing document,
    # whatever month it closes; an original or a copy the caller asks for is not)
    _c("service_act", NEGOTIATION, 0,
       "акт выполненных работ; акт оказанных услуг; акт об оказании услуг; акт на работы; "
       "акт по работам; акт за работы; акт за услуги"),
    # ... unless it is a period's act ("акт выполненных работ за сентябрь": set 3's writer
    # labelled it requisites; the model decides such a one)
    _c("period", NAVIGATION, 0, "; ".join(f"~за ~{m}" for m in (
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
        "октябрь", "ноябрь", "декабрь", "квартал", "полугодие", "год", "месяц"))),
    # the company's driver or courier at the client's, or put in touch with him ("ваш водитель
    # приехал, а ворота закрыты", "водитель не может найти склад — дайте ему мой номер"): a
    # delivery going on (a driver who says "я водитель, где ваш склад" comes to the company)
    _c("our_driver", NEGOTIATION, 0,
       # (exact words: "водителю" is a few letters from "переводится")
       # ("~ваш ~водитель": "обучим ваших водителей" is an offer's, not a delivery's)
       "~ваш ~водитель; ~водитель ~ваш; ~ваша ~машина ~приехала; ~ваш ~экспедитор; номер =водителя; "
       "телефон =водителя; передайте =водителю; дайте =водителю; =водителю мой номер; "
       "~водитель ~не ~может ~найти; ~водитель ~не ~может ~проехать; ~водитель ~звонил"),
    # when the company delivers ("вы доставляете в выходные"): the delivery's days, not the
    # office's hours ("вы работаете в выходные" is directions)
    _c("delivery_days", NEGOTIATION, 0, "; ".join(
        f"~{v} ~{d}" for v in ("доставляете", "возите", "привозите", "отгружаете", "доставка",
                               "отгрузка", "доставку")
        for d in ("выходные", "субботу", "воскресенье", "субботам", "воскресеньям", "праздники"))
       # ... or how many days the goods take on the way ("фура из москвы — сколько дней идёт")
       + "; ~сколько ~дней ~идет; ~сколько ~дней ~едет; ~сколько ~дней "
       "~в ~пути; ~дней ~в ~пути; ~срок ~в ~пути"),
    # the caller bringing something to the company himself ("я макет привезти хочу — во
    # сколько, а адрес"): the way and the hours to come, not a delivery (with "привезите" the
    # company brings it)
    _c("bring_own", NAVIGATION, 0,
       "~привезти ~хочу; ~хочу ~привезти; ~хотел ~привезти; ~я ~привезу; ~сам ~привезу; "
       "~могу ~привезти; ~завезу; ~подвезу; ~занесу; ~занести ~хочу; ~хочу ~занести"),
    # an invoice wanted in another form ("счёт пришёл без печати — пришлю с печатью"): the
    # invoice itself at issue, not the payment details
    _c("seal", NEGOTIATION, 0,
       "~с ~печатью; ~без ~печати; ~с ~подписью; ~без ~подписи; ~нет ~печати; ~нет ~подписи; "
       "~печать ~не ~стоит; ~не ~заверен; ~с ~синей ~печатью"),
    # what the invoice says corrected ("в счёте наименование написано не то — как в смете"):
    # the invoice changed (a state buyer's item name), the deal goes on
    _c("invoice_fix", NEGOTIATION, 2,
       "~в ~счете ~наименование; ~наименование ~в ~счете; ~в ~счете ~написано; ~в ~счете ~не ~то; "
       "~в ~счете ~неправильно; ~в ~счете ~неверно; ~в ~счете ~ошибка; ~ошибка ~в ~счете; "
       "~в ~счете ~указано; ~поправлю ~счет; ~поправим ~счет; ~исправлю ~счет; ~исправим ~счет; "
       "~в ~счете ~не ~так; ~в ~счете ~записаны; ~в ~счете ~записано"),
    # the caller is a driver or carrier ("я водитель", "это водитель газели", "на камазе") ...
    _c("carrier", NEGOTIATION, 0,
       "~я ~водитель; ~это ~водитель; ~водитель ~газели; ~водитель ~фуры; ~водитель ~камаза; "
       "~на ~камазе; ~на ~газели; ~на ~фуре; ~с ~газелью; ~я ~экспедитор; ~это ~экспедитор; "
       # a courier with the goods ("я курьер с коробками, стою у вашего офиса")
       "~я ~курьер; ~это ~курьер"),
    # ... come to the company's gates, barrier, weighbridge or dock to unload or load ("стою у
    # ваших ворот", "куда разгружаться", "на выгрузку приехал", "куда на весовую")
    _c("at_gates", NEGOTIATION, 0,
       "~стою ~у; ~стою ~на; ~у ~ваших ~ворот; ~на ~воротах; ~у ~шлагбаума; ~на ~весовую; "
       "~на ~весовой; ~у ~рампы; ~на ~выгрузку; ~на ~разгрузку; ~на ~погрузку; "
       "~куда ~разгружаться; ~куда ~выгружаться; ~куда ~ставать; ~куда ~встать; ~куда ~мне ~встать; "
       "~приехал; ~у ~вашего ~склада; ~ворота ~закрыты; ~не ~пускают; ~откройте ~ворота"),
    # ... unless he asks the way in, before he is there or the first time ("где у вас въезд",
    # "какие ворота", "первый раз к вам"): directions
    _c("way_in", NAVIGATION, 0,
       "~где ~въезд; ~где ~у ~вас ~въезд; ~какие ~ворота; ~где ~ворота; ~где ~разгрузка; "
       "~куда ~ехать; ~куда ~заезжать; ~первый ~раз; ~в ~первый ~раз; ~не ~могу ~найти; "
       "~какой ~въезд; ~на ~какой ~улице ~въезд; ~с ~какой ~улицы; ~с ~какой ~стороны ~подъезжать"),
    # a contract signed as a scan, its originals following ("договор подписали сканом, оригиналы
    # курьером"): the deal's documents exchanged, not a copy of a settled one asked again
    _c("signed_scan", NEGOTIATION, 0,
       "~подписали ~сканом; ~сканом ~прислали; ~скан ~прислали; ~скан ~отправили; "
       "~сканом ~отправили; ~подписанный ~скан; ~скан ~подписанного; ~сканом ~подписанный"),
    # the caller offers what he sells ("мы продаём технику б/у") and the employee asks for his
    # photos or price ("пришлите фото и цену на почту"): the company may buy, he sells to us
    _c("we_sell", NAVIGATION, 0,
       "~мы ~продаем; ~мы ~поставляем; ~мы ~реализуем; ~мы ~производим; "
       # a used thing of his own offered ("у меня есть бу подъёмник — не интересует?")
       "~у ~меня ~есть ~бу; ~я ~продаю; ~хочу ~продать"),
    _c("send_yours", NAVIGATION, 0,
       "~пришлите ~фото; ~пришлите ~фотографии; ~скиньте ~фото; ~пришлите ~ваш ~прайс; "
       "~пришлите ~ваши ~цены; ~фото ~и ~цену; ~пришлите ~ваше ~предложение; ~скиньте ~ваш ~прайс; "
       # ... or bargains over his price ("а сколько хотите"): the employee would buy
       "~сколько ~хотите ~за; ~а ~сколько ~хотите"),
    # the caller asks whether the company needs workers ("водители с категорией нужны?",
    # "на обвалку мужики нужны") and on what terms ("сколько платите"): a job seeker
    _c("hands_needed", NAVIGATION, 0, "; ".join(
        f"={r} ={n}" for n in ("нужный", "требоваться")
        for r in ("водитель", "грузчик", "работник", "рабочий", "сотрудник", "мужик", "кладовщик",
                  "повар", "разнорабочий", "сварщик", "продавец", "курьер", "охранник",
                  "уборщица", "упаковщик", "комплектовщик", "обвальщик", "электрик", "механик",
                  "экспедитор", "монтажник", "швея", "официант", "кассир"))
        + "; водители с категорией; водитель с категорией"),
    _c("hire_terms", NAVIGATION, 0,
       "сколько платите; сколько платят; какая зарплата; зарплата какая; =сдельно; =сдельный; "
       "=оклад; =вахта; =медкнижка; с категорией; =категория; когда подъехать; "
       "=трудоустройство; официально оформляете; =оформление; "
       # the hour's pay of the opening he asks after ("кассиры нужны — да — а сколько в час"); a
       # buyer of a loader's hour says his own need ("нам нужен грузчик"), which the rule leaves
       "сколько в час; сколько за час; сколько за смену"),
    _c("reconciliation", NAVIGATION, 0, "акт сверки; сверка; сверить; взаиморасчеты"),
    _c("cc", NAVIGATION, 0, "в копию; в копии; поставить в копию; поставлю в копию"),
    # ... while a document still being agreed or to be signed is the deal's own
    _c("doc_pending", NEGOTIATION, 0,
       "на согласование; согласовываем; согласовывать; согласование; на подпись; ~подпишем; "
       "~подпишите; ~подписать; ~подпишу; ~подписываем; ~подпишет; правки; протокол разногласий; "
       "проект; заключаем; заключить; новый договор; обсуждаем"),
    # a payment order the caller makes ("мне платежку сделать"): with the account asked for and
    # nothing of a deal, he pays (requisites, rule 4)
    _c("pay_order", NAVIGATION, 0,
       "платежка; платежку сделать; платежное поручение; назначение платежа; перевести деньги; "
       "перечислить деньги; сделать платеж; провести платеж; для оплаты; оплатить по реквизитам"),
    # closing documents for an order or a delivery (not for a period's accounts: those are
    # requisites, as are the bank details, the company card or a copy of a sent document)
    _c("order_documents", NEGOTIATION, 2,
       "; ".join(f"{d} по {o}" for d in ("документы", "упд", "акт", "счет фактура", "накладная",
                                          "закрывающие")
                 for o in ("заказу", "поставке", "отгрузке", "тиражу"))),
    # the closing documents of a delivery corrected ("в упд ошибка, переделайте"): the deal's
    _c("document_fix", NEGOTIATION, 2,
       "; ".join(f"{v} {d}" for v in ("ошибка в", "исправить", "переделать", "переоформить",
                                      "перевыставить", "поправить", "корректировочный", "новый")
                 for d in ("упд", "накладная", "счет фактура", "документы"))
       + "; упд с ошибкой; накладная с ошибкой; ошибка упд; ошибка накладная; "
       + "; ".join(f"исправленный {d}" for d in ("упд", "накладная", "счет фактура"))),
    # ... and an act: what was done is missing or wrong in it ("в акте не указано нанесение
    # логотипа, поправим акт") — unless the error is in the company's details, the name or the
    # INN (concept "details": requisites) or the act is a reconciliation of accounts
    _c("act_fix", NEGOTIATION, 2,
       "; ".join(f"{v} акт" for v in ("ошибка в", "исправить", "переделать", "переоформить",
                                      "поправить", "исправленный", "новый"))
       + "; акт с ошибкой; в акте не указан; в акте не указано; в акте нет"),
    _c("details", NAVIGATION, 0,
       "наименование; название организации; название компании; инн; кпп; реквизиты; "
       "юридический адрес; бик; расчетный счет; адрес регистрации"),
    # unloading at the client's site ("куда выгружать будете, мы в торговом центре"): delivery
    # of the company's goods, not the way to the company (directions: "где у вас разгрузка")
    _c("client_unload", NEGOTIATION, 2,
       "~выгружать ~будете; ~разгружать ~будете; ~выгружаться ~будете; ~разгружаться ~будете; "
       "~выгрузите; ~разгрузите; ~выгрузят; ~разгрузят; ~выгрузит; ~разгрузит; "
       "адрес доставки; адрес выгрузки; место выгрузки; "
       # ... or to the client's addresses ("развезти по адресам", "куда завозить"): the
       # delivery's addresses, not the way to the company
       "развезти по; развести по; развозить по; список адресов; адреса доставки; "
       # (exact words: "навигатор завёл куда-то" is no "куда завезти")
       "куда =завозить; куда =завезти; куда доставить; куда везти; куда привозить; "
       # ... or the company's own warehouse a supplier asks to bring a batch to ("на какой склад
       # вам везти партию"): goods coming, the unloading's place
       "~на ~какой ~склад ~везти; ~на ~какой ~склад ~привезти; ~на ~какой ~склад ~доставить; "
       "~куда ~вам ~везти; ~куда ~вам ~привезти; ~куда ~везти ~партию; ~куда ~привезти ~партию"),
    # ... and the client's own site named by the client ("разгрузка у нас", "к нам на склад";
    # the employee's "к нам на склад" is the company's: directions)
    _c("client_site", NEGOTIATION, 0,
       "разгрузка у нас; выгрузка у нас; у нас разгрузка; у нас выгрузка; к нам на объект; "
       "на наш объект; к нам на склад; на наш склад; к нашему складу"),
    _c("contract", NEGOTIATION, 1, "договор; накладная; упд; счет фактура"),
    # the caller asks whether he reached the company ("алло это аэроклимат"), the other side
    # says a bare yes and nothing of content follows: found by analyze_calls from the turns,
    # not by phrases; alone it is "just checking" (a bare "я наберу" with no check is nothing)
    _c("confirmed", NAVIGATION, 0, ""),
)
_CONCEPT_BY_NAME: dict[str, Concept] = {c.name: c for c in CONCEPTS}
#: Concepts that decide only in combination (rules 2-4), not by their weight.
_COMBINED = ("decline", "self_intro", "offer_to_us", "not_sold", "denial", "apology",
             "voicemail", "ivr", "busy", "issued_invoice", "bare_no", "copy", "signed_before",
             "doc_pending", "pay_order", "confirmed", "client_site", "past", "lost", "doc_unmade",
             "closing", "received", "reconciliation", "cc", "details", "pocket", "reissue",
             "goods_papers", "pickup", "client_object", "redo", "way", "offer_ask", "have",
             "need", "payment_status", "paid_invoice", "order_payment", "contract_amend",
             "service_act", "our_driver", "delivery_days", "bring_own", "tracking",
             "period", "seal", "carrier", "at_gates", "way_in", "signed_scan", "we_sell",
             "send_yours", "hands_needed", "hire_terms")
#: Concepts of a deal going on: they keep a copy of a signed document or a payment by the
#: account from being a call about documents only (rule 4).
_DEAL = ("invoice", "invoice_change", "payment_terms", "goods", "price", "tech", "document_fix",
         "act_fix")
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


def none_of(found: Mapping[str, object], *names: str) -> bool:
    """Whether none of the concepts ``names`` was found (``found``: concept name -> hits).

    Examples
    --------
    >>> none_of({"copy": [(3, "client")]}, "past", "lost"), none_of({"past": [(1, "client")]}, "past")
    (True, False)
    """
    return not any(n in found for n in names)


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
    seeker, an offer to the company, "we don't sell that", closing documents for an order or
    corrected, unloading at the client's site, a copy of a past or a pending document, the
    account for a payment, a wrong number, a caller only checking), ``"score"`` (the
    weighed concepts), ``"apology"`` (nothing weighed but an apology: a short wrong number such
    as "алло аптека — нет — извините" when a place or person was named) or ``"none"``
    (nothing found).

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

    if "hands_needed" in found and "hire_terms" in found and "price" not in found:
        # the caller asks whether the company needs drivers or workers and on what terms
        # ("водители с категорией е нужны — нужны — когда подъехать", "мужики на обвалку нужны —
        # сколько платите"): a job seeker — not the caller's own need for one ("нам нужен
        # грузчик на два часа, сколько стоит": a service he buys)
        own = {p + k for p, s in found.get("need", ()) if not labelled or s == CLIENT_SPEAKER
               for k in range(-3, 4)}
        if any(p not in own and (not labelled or s == CLIENT_SPEAKER)
               for p, s in found["hands_needed"]):
            return NAVIGATION, "override"

    if "carrier" in found and "at_gates" in found and "offer_to_us" in found:
        # where a driver or courier stands ("я курьер, стою у вашего офиса"): the place he is at
        # with the goods, not a service offered for the company's office
        stands = {p + k for p, _ in found["at_gates"] for k in range(1, 4)}
        found["offer_to_us"] = [h for h in found["offer_to_us"] if h[0] not in stands]
        if not found["offer_to_us"]:
            del found["offer_to_us"]
    not_client = EMPLOYEE_SPEAKER if labelled else None
    declined = by("decline", EMPLOYEE_SPEAKER) if labelled else "decline" in found
    if "need" in found and "offer_to_us" in found and (labelled or not declined):
        # the caller's own need ("нам реклама на щите нужна", "нам нужен договор на размещение
        # рекламы"): the offer words said with it are what he buys, no offer to us
        need = {p + k for p, s in found["need"] if not labelled or s == CLIENT_SPEAKER
                for k in range(-6, 7)}
        found["offer_to_us"] = [h for h in found["offer_to_us"] if h[0] not in need]
        if not found["offer_to_us"]:
            del found["offer_to_us"]
    # the caller refers to the company's own offer ("вы мне вчера предлагали"): not his offer
    # (an employee's "что вы предлагаете нам не нужно" declines one, so only the caller's
    # words count, and without labels only when nobody declines)
    ours = by("our_offer", CLIENT_SPEAKER) if labelled else ("our_offer" in found and not declined)
    if ours and "wrong_number" not in found:
        return NEGOTIATION, "override"   # he deals with our offer, whatever he then decides
    if labelled:
        offer = (by("offer_to_us", CLIENT_SPEAKER) or (by("self_intro", CLIENT_SPEAKER) and declined)
                 or (by("offer_ask", CLIENT_SPEAKER) and by("have", CLIENT_SPEAKER))
                 # "мы продаём технику б/у" — "пришлите фото и цену": the company may buy
                 or (by("we_sell", CLIENT_SPEAKER) and by("send_yours", EMPLOYEE_SPEAKER)))
    elif caller == EMPLOYEE_SPEAKER:
        offer = False     # the employee's own cold call: the offer is theirs
    elif caller == CLIENT_SPEAKER:
        offer = ("offer_to_us" in found or ("self_intro" in found and declined)
                 or ("we_sell" in found and "send_yours" in found))
    else:
        offer = ("offer_to_us" in found or "self_intro" in found) and declined
    if not labelled and caller != EMPLOYEE_SPEAKER and "offer_ask" in found and "have" in found:
        # "у нас есть … не нужна вам": the caller's when he called, else when it is declined
        offer = offer or caller == CLIENT_SPEAKER or declined
    if offer:
        return NAVIGATION, "override"
    refusals = [p for p, s in found.get("not_sold", ()) if not_client is None or s == not_client]
    if refusals:
        first = min(refusals)
        sells_on = any(p > first and (not_client is None or s == not_client)
                       for name in _SELLING for p, s in found.get(name, ()))
        if not sells_on and "result" not in found:
            return NAVIGATION, "override"
    site = by("client_site", CLIENT_SPEAKER) if labelled else False
    if "cc" in found and "copy" in found:   # "поставлю бухгалтера в копию": an e-mail's cc
        cc = {p + k for p, _ in found["cc"] for k in (0, 1, 2)}
        found["copy"] = [h for h in found["copy"] if h[0] not in cc]
        if not found["copy"]:
            del found["copy"]
    sverka = "reconciliation" in found
    act_fix = "act_fix" in found and not sverka and "details" not in found
    if "document_fix" in found or act_fix or "client_unload" in found or site:
        # the closing documents of a delivery corrected, or the goods unloaded at the
        # client's site: part of the deal, whatever else is named (the КПП in the document,
        # the pass for the truck)
        return NEGOTIATION, "override"
    no_wrong = none_of(found, "wrong_number", "denial")
    if ("contract_amend" in found and ("contract" in found or "deal_documents" in found)
            and none_of(found, "past", "lost", "reconciliation")):
        # a contract amended or corrected ("допсоглашение об изменении реквизитов", "в договоре
        # неправильно указан наш кпп — исправим"): the deal's document, the details named in it
        # included
        return NEGOTIATION, "override"
    callers = (lambda n: by(n, CLIENT_SPEAKER)) if labelled else (lambda n: n in found)
    if (callers("service_act") and not callers("copy")
            and none_of(found, "past", "lost", "reconciliation", "period")):
        # an act of works or services asked for ("нам нужен акт выполненных работ за уборку"):
        # the service's closing document, first issued — the employee's "оригинал курьером"
        # is how it is sent (an original or a copy the caller asks for is a settled one's)
        return NEGOTIATION, "override"
    if (callers("our_driver") or "delivery_days" in found) and no_wrong:
        # the company's driver at the client's gates or put in touch with him, or the days the
        # company delivers on: a delivery going on
        return NEGOTIATION, "override"
    if "tracking" in found and none_of(found, "copy", "past", "lost") and no_wrong:
        # a parcel tracked: the delivery on its way
        return NEGOTIATION, "override"
    if ("carrier" in found and "at_gates" in found and no_wrong
            and none_of(found, "way", "way_in", "lost", "offer_to_us")):
        # The line between delivery and directions: goods coming to or going from the company
        # — a truck to unload or load, an order collected (where and until when it is handed
        # over: "детали пришли — где забирать, до скольки"), a batch brought ("на какой склад
        # вам везти") — are delivery; a person coming to the company (a visit, a meeting, a
        # parcel of his own to hand in, his own item brought, the way, the entrance or the
        # floor asked: "как проехать", "где у вас въезд", "где у вас выдача, какой этаж") is
        # directions. So a driver of another firm
        # already at the company's gates, barrier, weighbridge or dock with the goods, asking
        # where to unload or to be let in ("я водитель, стою у ваших ворот с металлом, куда
        # разгружаться", "это водитель газели, у шлагбаума не пускают"), is a delivery going
        # on; the same driver asking where the entrance is or which gate, or lost on the way
        # ("я водитель, где у вас въезд для фур", "не могу найти ваши ворота"), is directions
        return NEGOTIATION, "override"
    if (callers("bring_own") and ("directions" in found or "way" in found)
            and none_of(found, "client_object", "client_unload", "price", "invoice",
                        "payment_terms", "our_driver")):
        # the caller bringing something to the company himself asks its hours or address
        # ("макет привезти хочу — во сколько можно, а адрес"): directions, no delivery
        return NAVIGATION, "override"
    if (("client_object" in found or ("pickup" in found and none_of(found, "way", "way_in")))
            and "delivery" in found and no_wrong):
        # the goods brought to the client's site ("привезите не в офис, а на объект — адрес
        # объекта") or collected by him ("можно забрать самовывозом — заберу в субботу", the
        # warehouse's hours named for it): delivery — unless he asks the way (directions)
        return NEGOTIATION, "override"
    if (labelled and "delivery" in found and "way_in" not in found and no_wrong
            and min(found.get("pickup", [(None, None)]))[1] == EMPLOYEE_SPEAKER
            and by("pickup", CLIENT_SPEAKER)):
        # the employee calls out that the client's order is ready to collect ("ваш заказ готов,
        # можно забирать") and the client asks where and until when it is handed over ("а где
        # вы и до скольки выдача"): the order handed over, a delivery. Without the hand-over's
        # hours asked, the way asked ("а как к вам проехать, я у вас не был") is directions (the
        # rule below), and so is the entrance (way_in)
        return NEGOTIATION, "override"
    if ("pickup" in found and ("way" in found or "way_in" in found) and "delivery" in found
            and none_of(found, "client_object", "client_unload", "price", "invoice",
                        "payment_terms")):
        # the client collecting his order asks the way to the warehouse ("заберу сам — как к
        # вам проехать"): directions, the pick-up itself is settled
        return NAVIGATION, "override"
    if ("reissue" in found and any(n in found for n in ("closing", "contract", "redo"))
            and not sverka):
        # closing documents re-issued to the buyer's right entity ("на головную, а нужно на
        # филиал — переделаем, кпп какой"): the КПП asked is the deal's, not requisites
        return NEGOTIATION, "override"
    if ("goods_papers" in found and ("closing" in found or "copy" in found)
            and none_of(found, "past", "lost", "reconciliation")):
        # a copy of the goods' certificate with their closing documents: the delivery's
        return NEGOTIATION, "override"
    if "doc_unmade" in found and ("closing" in found or "contract" in found) and not sverka:
        # a closing document not yet drawn up or signed ("акт за прошлый месяц ещё не
        # сформировали", "вы не подписали упд, подпишите"): the deal is still being closed
        return NEGOTIATION, "override"
    deal = any(n in found for n in _DEAL)
    # the signed closing documents of goods just shipped or received ("краску вчера отгрузили —
    # пришлите подписанную накладную и оригинал"): that delivery's first closing, not a copy of
    # a settled document (the rule on received goods below)
    fresh = "received" in found and "closing" in found and none_of(found, "past", "lost")
    done = not fresh and ("past" in found or (("signed_before" in found or "lost" in found)
                                              and "doc_pending" not in found))
    if ("signed_scan" in found and "copy" in found and ("contract" in found
                                                         or "deal_documents" in found)
            and none_of(found, "past", "lost", "reconciliation", "period")):
        # a contract signed as a scan, its originals following ("подписали сканом, оригиналы
        # курьером"): the deal's documents being exchanged, not a settled one's copy
        return NEGOTIATION, "override"
    if ("copy" in found and done and not deal
            and any(n in found for n in ("contract", "order_documents", "deal_documents",
                                         "requisites"))):
        # a copy or a second original of a document signed or sent in the past ("копию упд
        # по прошлой поставке", "подписанный экземпляр накладной нужен повторно"): documents
        # only — unlike a copy of a contract still being agreed or signed now (doc_pending)
        return NAVIGATION, "override"
    if ("copy" in found and "doc_pending" in found and "past" not in found
            and any(n in found for n in ("contract", "deal_documents"))):
        # a copy of a contract still being agreed or to be signed now: the deal's own
        return NEGOTIATION, "override"
    if "received" in found and "closing" in found and not sverka:
        # the closing documents of goods just received ("плитку мы получили, пришлите акт и
        # накладную"): their first issue closes that delivery (a copy of a settled document
        # asked for again was taken above)
        return NEGOTIATION, "override"
    if "order_documents" in found and "copy" not in found:
        # closing documents for an order, a delivery or a print run: part of that deal (an
        # original or a copy of one already sent, for the archive, is requisites)
        return NEGOTIATION, "override"
    # the account asked for: requisites other than the payment order itself ("пришлите
    # платёжное поручение" names no account) or the invoice referred to ("счёт номер 45")
    paying = {p for p, _ in found.get("pay_order", ())} | {
        p + k for p, _ in found.get("paid_invoice", ()) for k in (0, 1, 2, 3)}
    asked = any(p not in paying for p, _ in found.get("requisites", ()))
    if "order_payment" in found and "payment_status" in found:
        # an order's payment not yet showing on it ("оплата прошла, а статус заказа не
        # оплачен"): the order being paid, whatever payment order is then sent
        return NEGOTIATION, "override"
    if (("invoice_fix" in found or ("seal" in found and ("invoice" in found
                                                        or "issued_invoice" in found)))
            and none_of(found, "past", "lost", "reconciliation", "copy", "closing") and no_wrong):
        # the invoice itself to be re-sent in another form or corrected ("счёт прислали без
        # печати — пришлю с печатью", "в счёте наименование не то — поправлю"): an invoice, not
        # the payment details of one already issued
        return NEGOTIATION, "override"
    if ("pay_order" in found and asked
            and none_of(found, *(n for n in _DEAL if n != "price"), "doc_pending", "delivery",
                        "deal_documents", "order_documents", "contract")):
        # the account of the recipient for the caller's payment order ("какой у вас счет
        # получателя, мне платежку сделать"): he pays; no invoice is asked for
        return NAVIGATION, "override"
    fixed = by("redo", EMPLOYEE_SPEAKER) if labelled else ("redo" in found
                                                          and "pay_order" not in found)
    if "issued_invoice" in found and "requisites" in found and fixed and not sverka:
        # an invoice issued with the buyer's details wrong, corrected and sent again ("в счёте
        # наш инн неправильно — переделаю и пришлю"): the invoice changed, not requisites
        return NEGOTIATION, "override"
    if "issued_invoice" in found and "requisites" in found:
        # the account number or payment details for an invoice already issued: the caller is
        # paying it; no invoice is asked for — unless he wants it changed or bargains on
        found.pop("invoice", None)
        if none_of(found, "invoice_change", "payment_terms", "goods", "price", "delivery", "tech",
                   "deal_documents"):
            return NAVIGATION, "override"
    if ("invoice" in found and none_of(found, "issued_invoice", "pay_order", "copy", "closing")
            and any(n in found for n in ("goods", "payment", "requisites", "price"))):
        # an invoice asked for the goods or to pay by ("выставьте счёт на спиннинги на ип — инн
        # продиктуйте", "оплатим как только пришлёте счёт"): the buyer's INN or accountant
        # named for it do not make it a call about requisites
        return NEGOTIATION, "override"
    if labelled and no_wrong and none_of(found, "copy", "requisites", "apology", "not_sold",
                                         "hr_dept"):
        # the caller's own need for goods, in his words ("нам нужна посуда оптом" — "у нас есть
        # серия"): he buys; the employee's "у нас есть" is no offer ("нужна выписка" — "закажем"
        # is not: the goods word is the employee's)
        wants = {p + k for p, s in found.get("need", ()) if s == CLIENT_SPEAKER for k in range(1, 9)}
        if any(p in wants and s == CLIENT_SPEAKER for n in ("goods", "price")
               for p, s in found.get(n, ())):
            return NEGOTIATION, "override"
    weights = {"result": 1, "profile_negotiation": 2, "profile_navigation": 2}
    score = {NAVIGATION: 0, NEGOTIATION: 0}
    for name, where in found.items():
        c = _CONCEPT_BY_NAME.get(name)
        if c is not None and name not in _COMBINED:   # two places count double, no more
            score[c.kind] += c.weight * min(len({p for p, _ in where}), 2)
        elif name in weights:
            score[NAVIGATION if name == "profile_navigation" else NEGOTIATION] += weights[name]
    # a bare "нет" with an apology is a wrong number only when nothing of a deal was said
    # ("а доставка у вас есть" - "нет" - "извините" is about delivery: the model decides)
    wrong = "wrong_number" in found or ("apology" in found and (
        "denial" in found or ("bare_no" in found and score[NEGOTIATION] == 0)))
    if wrong and score[NEGOTIATION] < 4:
        return NAVIGATION, "override"
    if "confirmed" in found and score[NAVIGATION] == score[NEGOTIATION] == 0:
        # "алло это аэроклимат" - "да" - "позже наберу": he only checked he reached the company
        return NAVIGATION, "override"
    if score[NEGOTIATION] >= score[NAVIGATION] and score[NEGOTIATION] > 0:
        return NEGOTIATION, "score"
    if score[NAVIGATION] > 0:
        return NAVIGATION, "score"
    if "apology" in found:
        return UNKNOWN, "apology"
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
извинить извиняться простить занятой занят потом позже поздний щас сейчас ой ааа эээ ээ мм угу ага
да нет ладно хорошо понятно ясно окей ок минута секунда подождать сорян сорри бывать
""".split())
#: callkit's own labelled call-kind phrasings (``callkit/data/``): the development sets, in the
#: order they were written (see ``benchmarks/kind_eval/README.md``).
BUNDLED_PHRASINGS: tuple[str, ...] = ("kind_train.yaml", "kind_dev.yaml", "kind_dev2.yaml",
                                      "kind_test3.yaml", "kind_dev3.yaml", "kind_dev4.yaml",
                                      "kind_dev5.yaml", "kind_test4.yaml", "kind_dev6.yaml",
                                      "kind_test5.yaml", "kind_dev7.yaml", "kind_test6.yaml",
                                      "kind_dev8.yaml", "kind_test7.yaml",
                                      "kind_dev9.yaml", "kind_test8.yaml", "kind_dev10.yaml",
                                      "kind_test9.yaml", "kind_dev11.yaml", "kind_test10.yaml",
                                      "kind_dev12.yaml", "kind_test11.yaml",
                                      "kind_test12.yaml", "kind_test13.yaml", "kind_dev13.yaml")
#: The company the first bundled phrasings were written for: its name is the client's own name
#: in training (said in greetings, no content), as the profile's client name is at run time.
BUNDLED_CLIENT = "ООО Фильтр-Сервис"
#: Forms of each bundled dialog the model is trained on: as written and two recognition-error
#: styles (the character n-grams carry the rest: all five forms scored within 0.002 in
#: cross-validation, at 1.7x the fitting time).
TRAIN_FORMS: tuple[str | None, ...] = (None, "endings", "vowels")


def bundled_phrasings(names: Sequence[str] = BUNDLED_PHRASINGS) -> pd.DataFrame:
    """The development phrasings (:data:`BUNDLED_PHRASINGS`) as one table (see
    :func:`callkit.speech.evaluation.read_phrasings`); ``file`` names the set of each turn."""
    from importlib import resources

    from callkit.speech.evaluation import read_phrasings

    frames = []
    for name in names:
        with resources.as_file(resources.files("callkit").joinpath("data", name)) as path:
            frames.append(read_phrasings(path).assign(file=name))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class KindInput:
    """What the learned call-kind model reads of one call (built by ``analyze_calls``).

    ``turns``: the opening of the call (its first 150 words), one ``(speaker, words, lemmas)``
    per utterance, words as recognised; ``concepts``: the built-in concepts found anywhere in
    the call (:data:`CONCEPTS` names); ``purpose``: the content lemmas (not greetings, phone
    talk, function words or the client's own name) of the turn that states the purpose — the
    caller's first turn that has any (the employee's greeting with the company name has none),
    or, without one, the first turn that has any.
    """

    turns: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    concepts: tuple[str, ...]
    purpose: tuple[str, ...]


def kind_word_doc(x: KindInput, *, purpose: bool = True) -> str:
    """The word features of a call as one space-separated string: the lemmas, the bigrams of
    neighbouring lemmas within a turn (``выставить_счет``), ``cue_<concept>`` per concept and
    ``F:<lemma>`` for the content lemmas of the purpose turn.

    Examples
    --------
    >>> x = KindInput((("client", ("ваш", "адрес"), ("ваш", "адрес")),), ("directions",), ("адрес",))
    >>> kind_word_doc(x)
    'ваш адрес ваш_адрес cue_directions F:адрес'
    """
    out: list[str] = []
    for _, _, lems in x.turns:
        out += lems
        out += [f"{a}_{b}" for a, b in zip(lems, lems[1:])]
    out += [f"cue_{c}" for c in x.concepts]
    if purpose:
        out += [f"F:{w}" for w in x.purpose]
    return " ".join(out)


def kind_char_doc(x: KindInput) -> str:
    """The words of the call's opening as recognised (for the character n-grams)."""
    return " ".join(w for _, words, _ in x.turns for w in words)


def char_grams(word: str, lo: int = 2, hi: int = 4) -> list[str]:
    """The character n-grams (``lo``..``hi``) of one word padded with a space on each side
    (so a word's beginning and end are features of their own), as the model reads them.

    Examples
    --------
    >>> char_grams("счет", 2, 3)
    [' с', 'сч', 'че', 'ет', 'т ', ' сч', 'сче', 'чет', 'ет ']
    """
    w = f" {word} "
    return [w[i:i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]


#: Version of the features and model format; bump it when kind_word_doc, kind_char_doc,
#: char_grams or KindInput change meaning (the shipped model is then stale).
MODEL_FORMAT = 2   # 2: a recording's words (voicemail, IVR) are not read
#: The shipped fitted model (``callkit/data/``): plain arrays, see :meth:`KindModel.save`.
BUNDLED_MODEL = "kind_model.npz"


class KindModel:
    """The learned call-kind model: logistic regression over intents (or kinds) on the word
    features of :func:`kind_word_doc` and the character n-grams (:func:`char_grams`) of the
    words of :func:`kind_char_doc`, each block TF-IDF weighted (sublinear tf, smoothed idf) and
    L2-normalised.

    The fitted state is plain arrays (vocabularies, idf, coefficients), so a model is saved and
    loaded without pickling (:meth:`save`, :meth:`load`) and predicts with numpy alone;
    scikit-learn is used only to fit. Per distinct word the feature ids are computed once.

    Parameters
    ----------
    C
        Inverse regularization strength of the logistic regression.
    char_ngrams
        Character n-gram range within words, or None for word features only.
    purpose
        Add the purpose turn's lemmas as features of their own (``F:<lemma>``).
    target
        ``"intent"``: learn the intents and sum their probabilities per kind; ``"kind"``: learn
        the kinds directly.
    char_min_df
        Keep character n-grams seen in at least this many training calls.

    Examples
    --------
    >>> def call(words, concepts=()):
    ...     w = tuple(words.split())
    ...     return KindInput((("client", w, w),), concepts, w)
    >>> xs = [call("сколько стоит фильтр"), call("где вы находитесь"), call("какая цена"),
    ...       call("ваш адрес")]
    >>> m = KindModel(char_min_df=1).fit(xs, ["goods", "directions", "goods", "directions"],
    ...     ["negotiation", "navigation", "negotiation", "navigation"])
    >>> m.predict_proba([call("сколько стоит")]).idxmax(axis=1).tolist()
    ['negotiation']
    """

    def __init__(self, *, C: float = 20.0, char_ngrams: tuple[int, int] | None = (2, 4),
                 purpose: bool = True, target: str = "intent", char_min_df: int = 2) -> None:
        if target not in ("intent", "kind"):
            raise ValueError(f"KindModel: target {target!r}; expected 'intent' or 'kind'")
        self.C = C
        self.char_ngrams = tuple(char_ngrams) if char_ngrams is not None else None
        self.purpose = purpose
        self.target = target
        self.char_min_df = char_min_df
        self._char_cache: dict[str, np.ndarray] = {}

    def params(self) -> dict[str, Any]:
        """The constructor parameters (as saved with the model)."""
        return {"C": self.C, "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
                "purpose": self.purpose, "target": self.target, "char_min_df": self.char_min_df}

    # -- features ------------------------------------------------------------------------
    def _word_ids(self, x: KindInput) -> np.ndarray:
        v = self.word_vocab_
        return np.fromiter((i for i in map(v.get, kind_word_doc(x, purpose=self.purpose).split())
                            if i is not None), dtype=np.int64)

    def _char_ids(self, x: KindInput) -> np.ndarray:
        cache, v = self._char_cache, self.char_vocab_
        lo, hi = self.char_ngrams
        parts = []
        for _, words, _ in x.turns:
            for w in words:
                ids = cache.get(w)
                if ids is None:
                    ids = np.fromiter((i for i in map(v.get, char_grams(w, lo, hi)) if i is not None),
                                      dtype=np.int64)
                    if len(cache) < 500_000:
                        cache[w] = ids
                parts.append(ids)
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    @staticmethod
    def _block(rows: list[np.ndarray], idf: np.ndarray):
        import scipy.sparse as sp

        indptr, indices, data = [0], [], []
        for ids in rows:
            u, c = np.unique(ids, return_counts=True)
            w = (1.0 + np.log(c)) * idf[u]
            n = np.sqrt((w * w).sum())
            indices.append(u)
            data.append(w / n if n > 0 else w)
            indptr.append(indptr[-1] + len(u))
        return sp.csr_matrix((np.concatenate(data) if data else np.empty(0),
                              np.concatenate(indices) if indices else np.empty(0, dtype=np.int64),
                              np.asarray(indptr)), shape=(len(rows), len(idf)))

    def _x(self, inputs: Sequence[KindInput]):
        import scipy.sparse as sp

        parts = [self._block([self._word_ids(x) for x in inputs], self.word_idf_)]
        if self.char_ngrams is not None:
            parts.append(self._block([self._char_ids(x) for x in inputs], self.char_idf_))
        return sp.hstack(parts).tocsr()

    @staticmethod
    def _vocab(docs: list[list[str]], min_df: int) -> tuple[dict[str, int], np.ndarray]:
        from collections import Counter

        df = Counter(t for d in docs for t in set(d))
        terms = sorted(t for t, c in df.items() if c >= min_df)
        n = len(docs)
        idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
        return {t: i for i, t in enumerate(terms)}, idf

    # -- fit / predict -------------------------------------------------------------------
    def fit(self, inputs: Sequence[KindInput], intents: Sequence[str], kinds: Sequence[str]
            ) -> KindModel:
        """Learn from calls, their intents and kinds (one of each per call)."""
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        intents, kinds = [str(i) for i in intents], [str(k) for k in kinds]
        if not (len(inputs) == len(intents) == len(kinds)):
            raise ValueError(f"KindModel.fit: {len(inputs)} calls, {len(intents)} intents, "
                             f"{len(kinds)} kinds; expected one of each per call")
        self.word_vocab_, self.word_idf_ = self._vocab(
            [kind_word_doc(x, purpose=self.purpose).split() for x in inputs], 1)
        if self.char_ngrams is not None:
            lo, hi = self.char_ngrams
            self.char_vocab_, self.char_idf_ = self._vocab(
                [[g for _, ws, _ in x.turns for w in ws for g in char_grams(w, lo, hi)]
                 for x in inputs], self.char_min_df)
        self._char_cache = {}
        y = intents if self.target == "intent" else kinds
        lr = LogisticRegression(C=self.C, max_iter=3000)
        # one BLAS thread: on a shared machine lbfgs with a thread per core was 30x slower
        with threadpool_limits(1):
            lr.fit(self._x(inputs), np.asarray(y, dtype=object))
        self.classes_ = np.asarray(lr.classes_, dtype=str)
        kind_of = dict(zip(intents, kinds))
        self.class_kinds_ = np.asarray([kind_of[c] if self.target == "intent" else c
                                        for c in self.classes_], dtype=str)
        self.coef_ = np.asarray(lr.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(lr.intercept_, dtype=np.float64)
        return self

    def predict_proba(self, inputs: Sequence[KindInput], *, by: str = "kind") -> pd.DataFrame:
        """Probabilities per call (rows in input order): of each kind (``by="kind"``, columns
        :data:`KINDS`) or of each class the model learned (``by="class"``: the intents)."""
        if not hasattr(self, "coef_"):
            raise ValueError("KindModel is not fitted; call fit(inputs, intents, kinds) or load()")
        if not len(inputs):
            return pd.DataFrame(columns=list(KINDS) if by == "kind" else list(self.classes_),
                                dtype=float)
        z = np.asarray(self._x(inputs) @ self.coef_.T) + self.intercept_
        if z.shape[1] == 1:   # a binary model: one logit for the second class
            z = np.hstack([np.zeros_like(z), z])
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        if by == "class":
            return pd.DataFrame(p, columns=list(self.classes_))
        out = pd.DataFrame(0.0, index=range(len(p)), columns=list(KINDS))
        for j, k in enumerate(self.class_kinds_):
            out[k] += p[:, j]
        return out

    # -- plain-array storage -------------------------------------------------------------
    def save(self, path: str | Path, *, meta: Mapping[str, Any] | None = None) -> None:
        """Write the fitted model as a compressed ``.npz`` of plain arrays (no pickle):
        vocabularies, idf, coefficients (float16: 3 significant digits, half the size), classes and their kinds, and a JSON string
        ``meta`` with the parameters and whatever the caller adds (e.g. a fingerprint)."""
        import json

        info = {"format": MODEL_FORMAT, "params": self.params(), **(meta or {})}
        arrays = {
            "word_vocab": np.asarray(sorted(self.word_vocab_, key=self.word_vocab_.get), dtype=str),
            "word_idf": self.word_idf_.astype(np.float32),
            "coef": self.coef_.astype(np.float16), "intercept": self.intercept_,
            "classes": self.classes_, "class_kinds": self.class_kinds_,
            "meta": np.asarray([json.dumps(info, ensure_ascii=False, sort_keys=True)]),
        }
        if self.char_ngrams is not None:
            arrays["char_vocab"] = np.asarray(sorted(self.char_vocab_, key=self.char_vocab_.get),
                                              dtype=str)
            arrays["char_idf"] = self.char_idf_.astype(np.float32)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> KindModel:
        """A model written by :meth:`save`; its ``meta_`` is the saved JSON metadata."""
        import json

        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"][0]))
            if meta.get("format") != MODEL_FORMAT:
                raise ValueError(f"{path}: call-kind model format {meta.get('format')}; this "
                                 f"callkit reads format {MODEL_FORMAT}")
            m = cls(**meta["params"])
            m.word_vocab_ = {t: i for i, t in enumerate(z["word_vocab"].tolist())}
            m.word_idf_ = z["word_idf"].astype(np.float64)
            if m.char_ngrams is not None:
                m.char_vocab_ = {t: i for i, t in enumerate(z["char_vocab"].tolist())}
                m.char_idf_ = z["char_idf"].astype(np.float64)
            m.coef_ = z["coef"].astype(np.float64)
            m.intercept_ = z["intercept"].astype(np.float64)
            m.classes_ = z["classes"]
            m.class_kinds_ = z["class_kinds"]
        m.meta_ = meta
        return m


#: Parameters of the bundled model, chosen by cross-validation by file on the development
#: phrasings (benchmarks/kind_cv.py; the figures are in benchmarks/kind_eval/README.md).
BUNDLED_PARAMS: dict[str, Any] = {"C": 20.0, "char_ngrams": (2, 4), "purpose": True,
                                  "target": "intent", "char_min_df": 2}


def fit_bundled_model(phrasings: pd.DataFrame | None = None, *,
                      forms: Sequence[str | None] = TRAIN_FORMS, seed: int = 1,
                      **params: Any) -> KindModel:
    """A :class:`KindModel` (``params``, default :data:`BUNDLED_PARAMS`) fitted on labelled
    phrasings (default: the bundled ones, :func:`bundled_phrasings`), each dialog in the given
    recognition-error ``forms`` (None = as written; :func:`~callkit.speech.synthetic.asr_errors`
    styles)."""
    from callkit.profile import profile_from_dict
    from callkit.speech.analyze import kind_inputs
    from callkit.speech.evaluation import phrasing_utterances

    ph = bundled_phrasings() if phrasings is None else phrasings
    us, labels = [], []
    for style in forms:
        u, lab = phrasing_utterances(ph, style=style, seed=seed)
        us.append(u)
        labels.append(lab)
    u = pd.concat(us, ignore_index=True)
    lab = pd.concat(labels, ignore_index=True)
    prof = profile_from_dict({"client": BUNDLED_CLIENT, "slug": "bundled"}, check_files=False)
    xs = kind_inputs(u, prof)
    lab = lab.set_index(schema.CALL_ID).reindex(xs.index)
    return KindModel(**{**BUNDLED_PARAMS, **params}).fit(list(xs), lab["intent"], lab["kind"])


def bundled_fingerprint() -> str:
    """SHA-256 of everything the bundled model is fitted from: the phrasing files, the
    lexicon, the small-talk and function words, the training client, forms and parameters,
    and :data:`MODEL_FORMAT`. The shipped model records the fingerprint it was fitted at."""
    import hashlib
    import json
    from importlib import resources

    from callkit.speech.text import FUNCTION_WORDS

    h = hashlib.sha256()
    for name in BUNDLED_PHRASINGS:
        h.update(name.encode())
        h.update(resources.files("callkit").joinpath("data", name).read_bytes())
    h.update(json.dumps([[c.name, c.kind, c.weight, list(c.phrases)] for c in CONCEPTS],
                        ensure_ascii=False).encode())
    h.update(" ".join(sorted(SMALL_TALK | FUNCTION_WORDS)).encode())
    h.update(json.dumps([BUNDLED_CLIENT, list(TRAIN_FORMS), MODEL_FORMAT,
                         {k: list(v) if isinstance(v, tuple) else v
                          for k, v in BUNDLED_PARAMS.items()}], ensure_ascii=False).encode())
    return h.hexdigest()


def build_bundled_model(path: str | Path | None = None) -> Path:
    """Fit the bundled model and write it (default: ``callkit/data/kind_model.npz`` of this
    checkout) with its fingerprint. Run ``python benchmarks/build_kind_model.py`` after
    changing the phrasings, the lexicon or the features."""
    from importlib import resources

    out = Path(path) if path is not None else Path(
        str(resources.files("callkit").joinpath("data", BUNDLED_MODEL)))
    ph = bundled_phrasings()
    fit_bundled_model(ph).save(out, meta={
        "fingerprint": bundled_fingerprint(), "phrasings": list(BUNDLED_PHRASINGS),
        "dialogs": int(ph["dialog_id"].nunique()),
        "forms": [f or "clean" for f in TRAIN_FORMS]})
    return out


@lru_cache(maxsize=1)
def default_kind_model() -> KindModel:
    """The bundled call-kind model: the shipped fitted :class:`KindModel`
    (``callkit/data/kind_model.npz``, plain arrays, loaded in milliseconds). Were it stale —
    fitted from other phrasings, lexicon or features than this callkit's
    (:func:`bundled_fingerprint`) — it is refitted in process (a few seconds) with a warning;
    the test suite fails on a stale shipped model."""
    import warnings
    from importlib import resources

    ref = resources.files("callkit").joinpath("data", BUNDLED_MODEL)
    try:
        with resources.as_file(ref) as path:
            m = KindModel.load(path)
    except (FileNotFoundError, ValueError, KeyError) as e:
        warnings.warn(f"callkit: bundled call-kind model unreadable ({e}); fitting it now",
                      stacklevel=2)
        return fit_bundled_model()
    if m.meta_.get("fingerprint") != bundled_fingerprint():
        warnings.warn("callkit: the bundled call-kind model was fitted from other phrasings, "
                      "lexicon or features than this callkit's; fitting it now (rebuild it "
                      "with `python benchmarks/build_kind_model.py`)", stacklevel=2)
        return fit_bundled_model()
    return m


def combine_kinds(rule_kind: str, basis: str, proba: Mapping[str, float], content_words: int, *,
                  min_content: int = 3, confident: float = 0.0) -> str:
    """The call kind from the rules and the learned model together.

    - the rules' structural decisions (``basis == "override"``: a job seeker, an offer to the
      company, "we don't sell that", a wrong number) stand;
    - a call with fewer than ``min_content`` content words (greetings, "алло", fillers and a
      recording's words do not count) and no concept is ``unknown``; with only an apology
      (``basis == "apology"``) one content word is enough for the model to decide ("алло
      аптека — нет — извините" is a wrong number; "алло… извините, не слышно" has none);
    - otherwise the model's most probable kind — when its probability is at least
      ``confident``; below that the rules' weighed kind (``score``) or ``unknown`` (``none``).
      The default 0 lets the model decide: in cross-validation by file it beat keeping the
      rules' weighed kind unless the model was sure (0.984 against 0.976 at 0.8).

    Examples
    --------
    >>> combine_kinds("navigation", "override", {"negotiation": 0.9}, 20)
    'navigation'
    >>> combine_kinds("navigation", "score", {"negotiation": 0.6, "navigation": 0.4}, 6)
    'negotiation'
    >>> combine_kinds("unknown", "none", {"negotiation": 0.6, "navigation": 0.4}, 6, confident=0.75)
    'unknown'
    >>> combine_kinds("unknown", "none", {"negotiation": 0.9}, 2)
    'unknown'
    >>> combine_kinds("unknown", "apology", {"navigation": 0.9}, 1)
    'navigation'
    """
    if basis == "override":
        return rule_kind
    if (basis == "none" and content_words < min_content) or (basis == "apology"
                                                             and content_words < 1):
        return UNKNOWN
    if not proba:
        return rule_kind
    best = max(proba, key=lambda k: proba[k])
    if proba[best] >= confident:
        return best
    return rule_kind if basis == "score" else UNKNOWN

