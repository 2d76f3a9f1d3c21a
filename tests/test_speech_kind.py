"""Call kind: lexicon rules and the TF-IDF + logistic regression classifier."""
import numpy as np
import pandas as pd
import pytest

from callkit.profile import profile_from_dict
from callkit.speech import CallKindClassifier, analyze_calls, call_documents, make_transcripts
from callkit.speech.kind import combine_kinds, kind_from_cues, rule_decision


def test_rule_decisions():
    assert kind_from_cues(0, 2, words=100) == "negotiation"
    assert kind_from_cues(1, 1, words=20) == "navigation"      # a tie goes to navigation
    assert kind_from_cues(0, 0, words=100) == "unknown"
    assert kind_from_cues(3, 0, words=4) == "unknown"          # fewer than 5 words


@pytest.mark.parametrize("text, kind", [
    ("алло это автосервис нет вы ошиблись номером", "navigation"),
    ("подскажите как к вам проехать мы на заводской въезд со двора", "navigation"),
    ("здравствуйте я представляю компанию мы предлагаем продвижение сайта нам не интересно", "navigation"),
    ("сколько стоит фильтр есть в наличии выставите счет на оплату", "negotiation"),
    ("хорошо спасибо всего доброго до свидания", "unknown"),
])
def test_rules_on_small_examples(text, kind):
    u = pd.DataFrame({"call_id": ["x"], "speaker": ["client"], "start": [0.0], "end": [5.0],
                      "text": [text]})
    prof = profile_from_dict({"client": "D", "slug": "d"}, check_files=False)
    assert analyze_calls(u, prof).per_call.loc[0, "call_kind"] == kind


def _sample(n, seed, **kw):
    calls = pd.DataFrame({"call_id": [f"s{seed}-{i}" for i in range(n)], "employee": "Анна"})
    return make_transcripts(calls, seed=seed, **kw)


def test_classifier_api_and_held_out_accuracy():
    u_tr, lab_tr = _sample(300, 1)
    u_te, lab_te = _sample(200, 2, noise=0.08)
    docs_tr = call_documents(u_tr)
    y_tr = lab_tr.set_index("call_id")["call_kind"].reindex(docs_tr.index)
    clf = CallKindClassifier()
    assert clf.fit(docs_tr, y_tr) is clf
    assert hasattr(clf, "vectorizer_") and hasattr(clf, "model_") and list(clf.classes_) == [
        "navigation", "negotiation"]
    docs_te = call_documents(u_te).sample(frac=1, random_state=0)       # shuffled index
    pred = clf.predict(docs_te)
    assert pred.index.equals(docs_te.index)
    truth = lab_te.set_index("call_id")["call_kind"].reindex(docs_te.index)
    acc = float((pred == truth).mean())
    assert acc >= 0.9, acc                        # loose: synthetic dialogues are easy
    # the utterance table can be given directly, labels aligned by call id
    assert CallKindClassifier().fit(u_tr, lab_tr.set_index("call_id")["call_kind"]).score(
        u_te, lab_te.set_index("call_id")["call_kind"]) >= 0.9


def test_unknown_below_threshold_and_unfitted():
    docs = pd.Series(["цена доставка", "ошибиться номер"], index=["a", "b"])
    clf = CallKindClassifier(unknown_below=0.99).fit(docs, ["negotiation", "navigation"])
    assert clf.predict(pd.Series(["погода"], index=["z"])).tolist() == ["unknown"]
    with pytest.raises(ValueError, match="not fitted"):
        CallKindClassifier().predict(docs)


def test_model_overrides_rules_in_analyze():
    u, lab = _sample(60, 4)
    clf = CallKindClassifier().fit(u, lab.set_index("call_id")["call_kind"])
    prof = profile_from_dict({"client": "D", "slug": "d"}, check_files=False)
    pc = analyze_calls(u, prof, kind_model=clf).per_call
    assert {"call_kind", "call_kind_rules"} <= set(pc.columns)
    assert (pc["call_kind"].to_numpy() == lab.set_index("call_id")["call_kind"]
            .reindex(pc["call_id"]).to_numpy()).mean() >= 0.95


# --- issue 14: the seed's call kinds by meaning ---------------------------------------------

PROFILE = profile_from_dict({"client": "ООО Фильтр-Сервис", "slug": "d"}, check_files=False)

#: Every kind of call the seed names, with the issue's own examples, as dialogs: "E:" the
#: employee, "C:" the caller.
SEED = [
    # navigation: wrong number
    ("navigation", ["C: алло это автосервис", "E: нет вы ошиблись номером"]),
    # navigation: a product the company does not sell (the example)
    ("navigation", ["C: у вас есть запчасти для тракторов", "E: нет мы таким не занимаемся"]),
    # navigation: someone offering to sell to the company
    ("navigation", ["C: здравствуйте я представляю рекламное агентство мы предлагаем продвижение сайта",
                    "E: нам не интересно"]),
    # navigation: the way / the address
    ("navigation", ["C: подскажите как к вам проехать", "E: въезд со двора третий подъезд"]),
    # navigation: the account number for a payment (the example: "счёт" is no invoice)
    ("navigation", ["C: продиктуйте пожалуйста номер счёта для оплаты", "E: сорок семь ноль два"]),
    # navigation: requisites / documents only
    ("navigation", ["C: пришлите реквизиты компании и акт сверки", "E: отправлю на почту"]),
    # navigation: just checking
    ("navigation", ["C: я просто проверяю номер", "E: номер верный"]),
    # navigation: a job seeker
    ("navigation", ["C: я по поводу вакансии водителя", "E: пришлите резюме"]),
    # negotiation: the goods
    ("negotiation", ["C: сколько стоит масляный фильтр есть в наличии", "E: есть на складе"]),
    # negotiation: an invoice to be issued (the example)
    ("negotiation", ["E: выставим счёт сегодня", "C: хорошо ждём"]),
    # negotiation: technical characteristics
    ("negotiation", ["C: какая тонкость очистки у этого фильтра", "E: двадцать пять микрон"]),
    # negotiation: delivery
    ("negotiation", ["C: когда привезёте заказ", "E: доставка завтра до обеда"]),
    # negotiation: documents as part of a deal
    ("negotiation", ["C: для поставки нужен договор и сертификат на фильтры", "E: пришлю сегодня"]),
    # unknown: a short call with no content
    ("unknown", ["E: алло", "C: алло не слышно"]),
]


def _dialog_frame(dialogs, *, labelled=True):
    rows = []
    for n, turns in enumerate(dialogs):
        for t, turn in enumerate(turns):
            who, text = turn.split(":", 1)
            rows.append((f"d{n}", ("employee" if who == "E" else "client") if labelled else "unknown",
                         3.0 * t, 3.0 * t + 2.5, text.strip()))
    return pd.DataFrame(rows, columns=["call_id", "speaker", "start", "end", "text"])


@pytest.mark.parametrize("labelled", [True, False])
@pytest.mark.parametrize("kind_model", ["auto", None])
def test_every_seed_example_is_classified_right(labelled, kind_model):
    u = _dialog_frame([d for _, d in SEED], labelled=labelled)
    pc = analyze_calls(u, PROFILE, kind_model=kind_model).per_call.set_index("call_id")
    got = [pc.loc[f"d{n}", "call_kind"] for n in range(len(SEED))]
    assert got == [k for k, _ in SEED]


def test_account_number_vs_invoice_by_meaning():
    u = _dialog_frame([["C: номер счёта для оплаты продиктуйте"], ["E: выставим счёт на оплату"],
                       ["C: скиньте номер расчётного счёта"], ["C: выпишите счёт на двадцать штук"]])
    pc = analyze_calls(u, PROFILE, kind_model=None).per_call.set_index("call_id")
    assert pc["call_kind"].tolist() == ["navigation", "negotiation", "navigation", "negotiation"]
    # the concepts behind it are listed per call
    assert pc.loc["d0", "kind_concepts"] == "pay_order; payment; requisites"   # "для оплаты"
    assert pc.loc["d1", "kind_concepts"] == "invoice; payment; result"   # a default result too


def test_an_offer_is_the_callers_only_when_the_caller_makes_it():
    # the caller offers: navigation; our employee offering in his own call: negotiation
    offer = ["C: добрый день мы хотим предложить вам услуги охраны", "E: спасибо не надо"]
    ours = ["E: добрый день мы хотим предложить вам фильтры со скидкой", "C: пришлите цены"]
    pc = analyze_calls(_dialog_frame([offer, ours]), PROFILE, kind_model=None).per_call
    assert pc.set_index("call_id")["call_kind"].tolist() == ["navigation", "negotiation"]
    # without speaker labels the call's direction says who offered
    u = _dialog_frame([ours], labelled=False)
    calls = pd.DataFrame({"call_id": ["d0"], "direction": ["outgoing"]})
    pc = analyze_calls(u, PROFILE, calls=calls, kind_model=None).per_call
    assert pc.loc[0, "call_kind"] == "negotiation"
    calls = pd.DataFrame({"call_id": ["d0"], "direction": ["incoming"]})
    u = _dialog_frame([offer], labelled=False)
    assert analyze_calls(u, PROFILE, calls=calls, kind_model=None).per_call.loc[0, "call_kind"] == "navigation"


def test_staff_are_no_offer_of_cooperation():
    # "сотрудник" (staff) is not "сотрудничать" (to cooperate): a buyer who wants ten of his
    # staff trained asks for an invoice; a caller who offers cooperation makes an offer
    buyer = ["C: выставьте счет на обучение десяти сотрудников", "E: пришлите список"]
    seller = ["C: добрый день хотим с вами сотрудничать по поставкам тары", "E: нам не нужно"]
    pc = analyze_calls(_dialog_frame([buyer, seller]), PROFILE, kind_model=None).per_call
    assert pc.set_index("call_id")["kind_concepts"].tolist()[0] == "invoice; result"
    assert pc.set_index("call_id")["call_kind"].tolist() == ["negotiation", "navigation"]


def test_not_sold_unless_the_employee_sells_on():
    no = ["C: у вас есть шины", "E: нет шинами не торгуем"]
    on = ["C: у вас есть фильтры манн", "E: манн не продаем но есть аналог цена пятьсот рублей"]
    pc = analyze_calls(_dialog_frame([no, on]), PROFILE, kind_model=None).per_call
    assert pc.set_index("call_id")["call_kind"].tolist() == ["navigation", "negotiation"]


def test_asr_style_errors_are_tolerated():
    from callkit.speech.text import split_merged

    assert split_merged("вналичии") == ("в", "наличии")
    # merged words, dropped endings, numbers as digits, a vowel error
    u = _dialog_frame([["C: есть вналичии фильтр сколько стоит"], ["C: нужна достав до склад 20 штук"],
                       ["C: нетуда попали"], ["C: вы ошиблись номиром"]])
    pc = analyze_calls(u, PROFILE).per_call.set_index("call_id")
    assert pc["call_kind"].tolist() == ["negotiation", "negotiation", "navigation", "navigation"]


def _held_out_files():
    from pathlib import Path

    here = Path(__file__).resolve().parents[1] / "benchmarks" / "kind_eval"
    return sorted(here.glob("test*.yaml"))


def test_no_concept_lists_a_phrase_twice():
    """Phrases are matched on normalized text (ё read as е), so a second spelling of the same
    phrase ("~мы ~продаём" beside "~мы ~продаем") is dead weight that hides what a concept says."""
    from callkit.speech.kind import CONCEPTS
    from callkit.speech.text import normalize

    twice = [(c.name, p) for c in CONCEPTS
             for i, p in enumerate(c.phrases) if normalize(p) in {normalize(q) for q in c.phrases[:i]}]
    assert not twice


#: The digits as a number is dictated one by one (lemmas).
_SPOKEN_DIGITS = frozenset("ноль один два три четыре пять шесть семь восемь девять".split())


def test_held_out_phrasings_are_apart_from_training_and_lexicon():
    """No phrasing of a held-out set is in the bundled development phrasings or the rules'
    lexicon: no dialog whose turns of 4+ words (two or more) are all copies of development
    turns — what a set derived from the development data would show in nearly every dialog.
    Single turns copied whole are stock phrases of independent hands ("нет вы ошиблись
    номером", "пришлите предложение на почту": 14 of set 7's 2,058 turns, 32 of set 8's 2,252)
    and shared 5-lemma runs grow with the development data (2.3 % of test4's turns … 6.9 % of
    set 8's); benchmarks/kind_eval.py lists both and scores the set without those dialogs."""
    from callkit.speech.evaluation import lemmas, read_phrasings
    from callkit.speech.kind import CONCEPTS, bundled_phrasings

    files = _held_out_files()
    if not files:
        pytest.skip("no blind set pending in benchmarks/kind_eval/ (test*.yaml): every set there "
                    "has been scored once and moved to callkit/data/ as development data; the "
                    "next one is scored from outside the repository with benchmarks/kind_eval.py")
    train = bundled_phrasings()
    others = list(train["text"]) + [p.lstrip("=~") for c in CONCEPTS for p in c.phrases]
    whole = {" ".join(lemmas(t)) for t in others}
    for f in files:
        test = read_phrasings(f)
        # greetings-only dialogs ("алло — алло вас не слышно") have fewer than two such turns
        lem = [lemmas(t) for t in test["text"]]
        # a number dictated digit by digit is no phrasing: two hands inventing an INN both write
        # "семь семь ноль один два три четыре пять шесть семь" (set 13's requisites 2)
        phrase = [len(x) >= 4 and not set(x) <= _SPOKEN_DIGITS for x in lem]
        long_ = test.assign(copy=[" ".join(x) in whole for x in lem])[phrase]
        per = long_.groupby("dialog_id")["copy"].agg(["size", "all"])
        copied = per.index[(per["size"] >= 2) & per["all"]]
        assert not len(copied), (f.name, list(copied))


# --- the learned model (issue 14, second pass) ------------------------------------------------

#: By hand, two per intent, from the second pass's development phrasings
#: (callkit/data/kind_dev3.yaml, kind_dev4.yaml) — vocabulary the first pass had not seen.
BY_INTENT = [
    ("navigation", ["C: светка ты трубку не берешь", "E: тут никакой светы нет", "C: а кто это",
                    "E: мебельная фабрика", "C: понятно сорри"]),                    # wrong number
    ("navigation", ["C: алло гараж", "E: какой гараж", "C: ну автосервис у моста",
                    "E: нет это офис продаж", "C: а понятно извините что отвлек"]),
    ("navigation", ["C: есть у вас диваны", "E: мы делаем только офисную мебель диванов нет"]),
    ("navigation", ["C: вы устанавливаете натяжные потолки",
                    "E: потолками не занимаемся только окна и двери"]),                  # not sold
    ("navigation", ["C: добрый день мы оказываем бухгалтерские услуги на аутсорсе интересно было бы",
                    "E: нет у нас свой бухгалтер"]),                                      # sells to us
    ("navigation", ["C: здравствуйте мы хотим открыть у вас в офисе кофейный автомат бесплатно для вас",
                    "E: нам это не нужно"]),
    ("navigation", ["C: здравствуйте а вы где сидите",
                    "E: бизнес центр орион третий этаж офис триста два"]),                # directions
    ("navigation", ["C: скиньте пожалуйста геолокацию склада", "E: отправлю в сообщении"]),
    ("navigation", ["C: у меня платеж вернулся банк пишет что неверный бик",
                    "E: сейчас проверю и продиктую"]),                                    # requisites
    ("navigation", ["C: какое назначение платежа указать при переводе",
                    "E: оплата по договору номер пять"]),
    ("navigation", ["C: у меня ваш номер высветился кто то звонил", "E: возможно менеджер",
                    "C: ладно"]),                                                          # checking
    ("navigation", ["C: вы на связи а то почта от вас не приходит", "E: на связи", "C: ну хорошо"]),
    ("navigation", ["C: возьмете меня курьером у меня своя машина",
                    "E: пришлите анкету на почту"]),                                      # job seeker
    ("navigation", ["C: меня направил центр занятости к вам на должность оператора",
                    "E: подходите завтра в отдел кадров"]),
    ("negotiation", ["C: здравствуйте сколько стоит куб обрезной доски", "E: восемнадцать тысяч",
                     "C: а есть сухая"]),                                                 # goods
    ("negotiation", ["C: почем сейчас творог оптом", "E: сто восемьдесят за килограмм"]),
    ("negotiation", ["C: до какого числа действует ваш счет", "E: три банковских дня"]),  # invoice
    ("negotiation", ["C: счет пришел на другую почту перешлите на мою", "E: пересылаю"]),
    ("negotiation", ["C: какая плотность бумаги для каталога лучше",
                     "E: для обложки триста грамм"]),                                     # tech specs
    ("negotiation", ["C: а сколько киловатт потребляет ваш холодильник за сутки",
                     "E: около трех"]),
    ("negotiation", ["C: ноутбуки уже отгрузили", "E: да вот трек номер"]),               # delivery
    ("negotiation", ["C: доставка будет с грузчиками или нам своих искать",
                     "E: двое грузчиков в стоимости"]),
    ("negotiation", ["C: у нас есть замечания к договору на печать",
                     "E: пришлите протокол разногласий"]),                                # documents
    ("negotiation", ["C: к поставке сыра нужны документы меркурий оформите",
                     "E: оформим ветдокументы"]),
    ("unknown", ["E: стройбаза здравствуйте", "C: алло", "E: говорите", "C: алло"]),     # no content
    ("unknown", ["C: алло слышите меня алло", "E: алло говорите", "C: связь пропадает"]),
]


@pytest.mark.parametrize("labelled", [True, False])
def test_each_intent_by_hand(labelled):
    u = _dialog_frame([d for _, d in BY_INTENT], labelled=labelled)
    pc = analyze_calls(u, PROFILE).per_call.set_index("call_id")
    got = [pc.loc[f"d{n}", "call_kind"] for n in range(len(BY_INTENT))]
    assert got == [k for k, _ in BY_INTENT]


def test_the_purpose_turn_is_the_callers_first_with_content():
    from callkit.speech.analyze import kind_evidence
    from callkit.speech.kind import kind_word_doc

    greeting = ["E: фильтр сервис добрый день слушаю", "C: алло", "C: подскажите ваш адрес",
                "E: заводская пять"]
    ev = kind_evidence(_dialog_frame([greeting]), PROFILE).loc["d0"]
    x = ev["kind_input"]
    # the greeting (the client's own name, small talk) and "алло" have no content word; the
    # caller's "подскажите ваш адрес" is the first that has: "ваш" is a function word
    assert x.purpose == ("подсказать", "адрес")
    assert x.concepts == ("directions", "way")
    assert [t[0] for t in x.turns] == ["employee", "client", "client", "employee"]
    assert ev["basis"] == "score" and ev["rule_kind"] == "navigation" and ev["content_words"] == 4
    assert kind_word_doc(x).endswith("cue_directions cue_way F:подсказать F:адрес")
    assert "подсказать_ваш" in kind_word_doc(x).split()          # bigrams within a turn
    assert "слушать_алло" not in kind_word_doc(x).split()        # ...never across turns
    # without speaker labels: the first turn with content, whoever said it
    x = kind_evidence(_dialog_frame([["E: заводская пять", "C: спасибо"]], labelled=False),
                      PROFILE).loc["d0", "kind_input"]
    assert x.purpose == ("заводский", "пять")


def test_kind_model_save_load_round_trip(tmp_path):
    from callkit.speech.kind import KindInput, KindModel

    def call(words, concepts=()):
        w = tuple(words.split())
        return KindInput((("client", w, w),), concepts, w)

    xs = [call("сколько стоит фильтр", ("price",)), call("где вы находитесь"),
          call("какая цена", ("price",)), call("ваш адрес"), call("алло")]
    m = KindModel(char_min_df=1).fit(xs, ["goods", "directions", "goods", "directions", "none"],
                                     ["negotiation", "navigation", "negotiation", "navigation",
                                      "unknown"])
    p = m.predict_proba([call("сколько стоит"), call("адрес")])
    assert list(p.columns) == ["negotiation", "navigation", "unknown"]
    assert p.idxmax(axis=1).tolist() == ["negotiation", "navigation"]
    assert np.allclose(p.sum(axis=1), 1.0)
    intents = m.predict_proba([call("сколько стоит")], by="class")
    assert sorted(intents.columns) == ["directions", "goods", "none"]
    m.save(tmp_path / "m.npz", meta={"fingerprint": "x"})
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:   # plain arrays, no pickle
        assert {"word_vocab", "char_vocab", "coef", "classes", "meta"} <= set(z.files)
    back = KindModel.load(tmp_path / "m.npz")
    assert back.meta_["fingerprint"] == "x" and back.params() == m.params()
    q = back.predict_proba([call("сколько стоит"), call("адрес")])
    assert np.allclose(q.to_numpy(), p.to_numpy(), atol=2e-3)   # float16 coefficients
    with pytest.raises(ValueError, match="not fitted"):
        KindModel().predict_proba(xs)


def test_shipped_model_is_current_and_reproducible():
    """The shipped coefficients (callkit/data/kind_model.npz) were fitted from this checkout's
    phrasings, lexicon and features (else: python benchmarks/build_kind_model.py), and a fresh
    fit predicts the same on the development calls."""
    from callkit.speech.analyze import kind_inputs
    from callkit.speech.evaluation import phrasing_utterances
    from callkit.speech.kind import (
        bundled_fingerprint,
        bundled_phrasings,
        default_kind_model,
        fit_bundled_model,
    )

    shipped = default_kind_model()
    assert shipped.meta_["fingerprint"] == bundled_fingerprint(), (
        "stale callkit/data/kind_model.npz: run python benchmarks/build_kind_model.py")
    ph = bundled_phrasings()
    u, _ = phrasing_utterances(ph, style="merged", seed=5)
    xs = list(kind_inputs(u, PROFILE))
    fresh = fit_bundled_model(ph)
    a, b = shipped.predict_proba(xs), fresh.predict_proba(xs)
    assert float((a - b).abs().to_numpy().max()) < 0.01
    # the same kind for every call, but for a call on the fence: its two likeliest kinds within
    # the tolerance of each other in the shipped model (one of 5,431 after set 11 joined:
    # 0.4975 against 0.4969), where a refit's last digits may pick the other
    top = np.sort(a.to_numpy(), axis=1)
    fence = (top[:, -1] - top[:, -2]) < 0.01
    assert fence.sum() <= 0.001 * len(a)
    assert ((a.idxmax(axis=1) == b.idxmax(axis=1)).to_numpy() | fence).all()


# --- third pass: the weaknesses blind set 4 showed, fixed by meaning (new phrasings) ----------

def _kinds(dialogs, *, labelled=True, kind_model="auto"):
    pc = analyze_calls(_dialog_frame(dialogs, labelled=labelled), PROFILE,
                       kind_model=kind_model).per_call.set_index("call_id")
    return pc, [pc.loc[f"d{n}", "call_kind"] for n in range(len(dialogs))]


@pytest.mark.parametrize("labelled", [True, False])
def test_recordings_are_no_content(labelled):
    # voicemail, an unreachable subscriber, an IVR greeting: a recording, nobody to talk to
    # -> unknown; an IVR greeting followed by a real enquiry is judged by the enquiry
    dialogs = [
        ["E: алло добрый день", "C: абонент не отвечает перезвоните позже"],
        ["E: здравствуйте это мебельная фабрика", "C: оставьте сообщение после сигнала"],
        ["C: вы позвонили в компанию все операторы заняты пожалуйста оставайтесь на линии"],
        ["C: вы позвонили в компанию оставайтесь на линии", "E: добрый день слушаю",
         "C: сколько стоит доставка кирпича на дачу", "E: от трех тысяч"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "unknown", "unknown", "negotiation"]
    # the recording's words are not the call's content: "абонент не отвечает" (3 words, of
    # which "не" is a function word) and "перезвонить позже" (small talk) leave none
    assert pc.loc["d0", "content_words"] == 0
    assert "voicemail" in pc.loc["d0", "kind_concepts"].split("; ")


def test_the_companys_own_offer_is_no_offer_to_us():
    # the caller refers to what *we* offered: he is buying (rules and model); a caller who
    # offers us something is still navigation
    ours = ["C: вы нам в понедельник предлагали шкафы металлические какая у них толщина металла",
            "E: полтора миллиметра"]
    theirs = ["C: добрый день мы предлагаем вам металлические шкафы для архива", "E: не нужно"]
    for model in ("auto", None):
        pc, got = _kinds([ours, theirs], kind_model=model)
        assert got == ["negotiation", "navigation"], model
    assert "our_offer" in pc.loc["d0", "kind_concepts"].split("; ")
    assert "our_offer" not in pc.loc["d1", "kind_concepts"].split("; ")
    # by the rules: the caller deals with our offer, even when its words sound like one of his
    from callkit.speech.kind import rule_decision
    hits = {"offer_to_us": [(3, "client")], "our_offer": [(1, "client")], "decline": [(8, "client")]}
    assert rule_decision(hits) == ("negotiation", "override")
    assert rule_decision(hits, labelled=False) == ("navigation", "override")   # declined: his
    # ...but our employee declining "что вы предлагаете" is no reference to our own offer
    hits = {"offer_to_us": [(3, "client")], "our_offer": [(9, "employee")],
            "decline": [(10, "employee")]}
    assert rule_decision(hits) == ("navigation", "override")


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_account_number_for_an_issued_invoice_is_requisites(kind_model):
    # paying an invoice already issued: the account number is asked for (navigation); an
    # invoice asked for or changed is a negotiation
    dialogs = [
        ["C: оплачиваем счет который вы выставили продиктуйте номер расчетного счета",
         "E: сорок ноль семь ноль два"],
        ["C: по вашему счету от среды какой бик у банка", "E: ноль четыре четыре"],
        ["C: выставьте счет на десять коробок перчаток", "E: выставлю сегодня"],
        ["C: счет который вы выставили исправьте там неверное количество", "E: исправлю"],
    ]
    _, got = _kinds(dialogs, kind_model=kind_model)
    assert got == ["navigation", "navigation", "negotiation", "negotiation"]


def test_job_seeker_rule_precision():
    # "отдел кадров" asked for by a caller who dialled the wrong company, "охрана труда" as a
    # buyer's department: no job seekers; a real job seeker still is one
    dialogs = [
        ["C: соедините пожалуйста с отделом кадров", "E: это не завод это магазин вы ошиблись",
         "C: извините"],
        ["C: наша служба охраны труда требует сертификаты на каски которые мы у вас заказали",
         "E: пришлю сертификаты вместе с накладной"],
        ["C: здравствуйте вам требуется охранник на склад я по объявлению", "E: да пришлите резюме"],
    ]
    for model in ("auto", None):
        pc, got = _kinds(dialogs, kind_model=model)
        assert got == ["navigation", "negotiation", "navigation"], model
    concepts = pc["kind_concepts"].str.split("; ")
    assert "job_seeker" not in concepts["d0"] and "hr_dept" in concepts["d0"]
    assert "job_seeker" not in concepts["d1"] and "deal_documents" in concepts["d1"]
    assert "job_seeker" in concepts["d2"]


@pytest.mark.parametrize("labelled", [True, False])
def test_very_short_wrong_numbers(labelled):
    # a place named, a bare "нет", an apology: a wrong number; with nothing named it stays
    # a call with no content
    dialogs = [["C: алло автошкола", "E: нет", "C: извините"],
               ["C: это прачечная", "E: нет", "C: ой простите"],
               ["C: алло", "E: алло", "C: извините"]]
    _, got = _kinds(dialogs, labelled=labelled)
    assert got == ["navigation", "navigation", "unknown"]
    # a bare "нет" to a question about the deal is no wrong number: the rules weigh it
    from callkit.speech.kind import rule_decision
    hits = {"delivery": [(2, "client")], "bare_no": [(5, "employee")], "apology": [(6, "client")]}
    assert rule_decision(hits, labelled=labelled) == ("negotiation", "score")
    assert rule_decision({"bare_no": [(3, "employee")], "apology": [(4, "client")]},
                         labelled=labelled) == ("navigation", "override")


def test_technical_characteristics_and_deal_documents():
    dialogs = [
        ["C: какая производительность у вашей дробилки в тоннах за час", "E: до двенадцати"],
        ["C: кабель который вы нам предлагаете какого сечения жила", "E: два с половиной квадрата"],
        ["C: пришлите проект договора поставки и спецификацию к нашему заказу",
         "E: отправлю сегодня"],
        ["C: по прошлой отгрузке не хватает упд и акта приема передачи", "E: пришлю в эдо"],
        # documents only (no deal): the company's card and requisites -> navigation
        ["C: пришлите карточку компании с реквизитами для нашей бухгалтерии",
         "E: отправлю на почту"],
    ]
    for model in ("auto", None):
        _, got = _kinds(dialogs, kind_model=model)
        assert got == ["negotiation"] * 4 + ["navigation"], model


# --- fourth pass: the weaknesses blind set 5 showed, fixed by meaning (set 10) ----------------

@pytest.mark.parametrize("kind_model", ["auto", None])
def test_a_greeting_answered_by_nothing_is_no_content(kind_model):
    # the employee's greeting and the company's name are no content; the other side answers
    # with a promise to call back, "не удобно", a dropped line, a fragment or a recording
    dialogs = [
        ["E: пекарня каравай добрый день", "C: я попозже наберу"],
        ["E: здравствуйте вас беспокоит компания стройресурс", "C: не удобно"],
        ["E: мастерская ключей здравствуйте", "C: ой извините связь обрывается"],
        ["E: шины оптом", "C: ну щас та"],   # "оптом" in the company's name is no price asked
        ["E: добрый день это автосервис вы записывались на шиномонтаж",
         "C: телефон абонента выключен"],
        ["E: здравствуйте это клининг блеск", "C: оставьте сообщение после сигнала"],
    ]
    pc, got = _kinds(dialogs, kind_model=kind_model)
    assert got == ["unknown"] * len(dialogs)
    # only the answer's words count, and "та щас ну" names nothing of a deal
    assert pc.loc["d3", "content_words"] < 3
    assert "price" not in pc.loc["d3", "kind_concepts"].split("; ")
    # ...but a greeting answered with a purpose is judged by it
    _, got = _kinds([["E: шины оптом добрый день", "C: сколько стоят зимние шины на шестнадцать",
                      "E: от четырех тысяч"]], kind_model=kind_model)
    assert got == ["negotiation"]


@pytest.mark.parametrize("labelled", [True, False])
def test_an_ivr_menu_is_a_recording_even_when_it_names_departments(labelled):
    dialogs = [
        ["E: вы позвонили в компанию стальпром для связи с бухгалтерией нажмите два "
         "для отдела продаж нажмите три"],
        ["C: здравствуйте вы дозвонились до компании ромашка мы работаем с девяти до шести "
         "оставьте ваше сообщение"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "unknown"]
    # the menu's "бухгалтерия" and the machine's opening hours are no requisites/directions
    assert "requisites" not in pc.loc["d0", "kind_concepts"].split("; ")
    assert "directions" not in pc.loc["d1", "kind_concepts"].split("; ")
    assert pc.loc["d0", "content_words"] == 0


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_closing_documents_and_contracts_for_a_purchase_are_deal_documents(kind_model):
    dialogs = [
        # closing documents for an order or a delivery
        ["C: добрый день пришлите упд и акт по заказу буклетов", "E: сегодня отправим"],
        ["C: нам нужны счет фактура и накладная по поставке плитки от вторника", "E: пришлю в эдо"],
        # contracts for a purchase: leasing, купля-продажа, the buyer's own supply contract
        ["C: экскаватор берем через лизинг нужен договор купли продажи трехсторонний",
         "E: подготовим проект"],
        ["C: мы хотим закупать у вас тару у нас свой договор поставки пришлем на согласование",
         "E: хорошо ждем"],
        # bare requisites, the company card, a copy of a document already sent: navigation
        ["C: продиктуйте пожалуйста бик и корреспондентский счет", "E: записывайте"],
        ["C: пришлите копию акта который вы уже отправляли скан не читается", "E: перешлю"],
    ]
    pc, got = _kinds(dialogs, kind_model=kind_model)
    assert got == ["negotiation"] * 4 + ["navigation"] * 2
    concepts = pc["kind_concepts"].str.split("; ")
    assert "order_documents" in concepts["d0"] and "order_documents" in concepts["d1"]
    assert "deal_documents" in concepts["d2"]


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_software_price_compatibility_and_the_courier(kind_model):
    # an IT business: the price of a licence is goods, compatibility technical; "where is
    # your courier with my order" is delivery
    dialogs = [
        ["E: софтлайн добрый день", "C: сколько стоит лицензия на три рабочих места",
         "E: двадцать тысяч"],
        ["E: айти сервис", "C: ваша программа под линукс работает", "E: да есть версия"],
        ["C: где ваш курьер обещали привезти картриджи утром", "E: сейчас уточню"],
    ]
    pc, got = _kinds(dialogs, kind_model=kind_model)
    assert got == ["negotiation"] * 3
    concepts = pc["kind_concepts"].str.split("; ")
    assert "goods" in concepts["d0"] and "tech" in concepts["d1"] and "delivery" in concepts["d2"]


# --- fifth pass: the weaknesses blind set 6 showed, fixed by meaning (set 11) ----------------

#: What each new concept means, one dialog apiece (turns split at " / "): the concept, the kind
#: by the rules and by ``auto``. A copy or a second original of a document signed or sent in
#: the past is documents only, a copy of a contract still being agreed or to be signed now is
#: the deal's; the recipient's account for a payment order is requisites ("рублевый счет …
#: пришлю" asks no invoice), an invoice in roubles for this order is an invoice; unloading at
#: the client's own site is delivery; the closing documents of a delivery corrected are the
#: deal's, even with an original to follow.
FIFTH_PASS = """
signed_before navigation C: скиньте пожалуйста копию акта по прошлому тиражу визиток мы его подписали и потеряли / E: пришлю скан
copy navigation C: нужен второй экземпляр подписанного договора аренды техники наш испортился / E: распечатаем
past navigation C: продублируйте накладную за прошлогоднюю поставку кирпича для архива / E: поищем
doc_pending negotiation C: пришлите еще раз копию договора на ремонт офиса мы его сейчас согласовываем / E: отправлю с правками
doc_pending negotiation C: мы подписали спецификацию пришлите на подпись второй экземпляр с вашей стороны / E: подпишем и вернем
pay_order navigation C: бухгалтер делает платежку какой у вас счет получателя / E: рублевый счет пришлю письмом
requisites navigation C: для платежного поручения нужен ваш валютный счет и банк получателя / E: скину
invoice negotiation C: выставьте счет в рублях на этот заказ плитки / E: сегодня выставлю
client_unload negotiation C: мы на складе в промзоне куда выгружать будете там два дока / E: к первому доку
client_site negotiation C: разгрузка у нас с торца здания нужен пропуск на машину / E: закажите на номер
order_documents negotiation C: в упд по вчерашней поставке ошибка в инн переделайте / E: пришлем исправленный
document_fix negotiation C: накладная с ошибкой пришла количество не то / E: сделаем новую накладную / C: оригинал передайте с водителем
"""


def _concepts(pc, call):
    """The call-kind concepts found in one call of ``_kinds``' table."""
    return set(pc.loc[call, "kind_concepts"].split("; "))


def _check_meanings(table, kind_model):
    """Each line of ``table`` ("concept kind E: … / C: …") gets its kind and its concept."""
    cases = [line.split(" ", 2) for line in table.strip().splitlines()]
    pc, got = _kinds([d.split(" / ") for _, _, d in cases], kind_model=kind_model)
    assert got == [k for _, k, _ in cases]
    for n, (concept, _, _) in enumerate(cases):
        assert concept in _concepts(pc, f"d{n}"), (n, concept)
    return pc


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_fifth_pass_meanings(kind_model):
    pc = _check_meanings(FIFTH_PASS, kind_model)
    assert "invoice" not in _concepts(pc, "d5")   # the "счёт" is the account's


def test_the_employees_own_site_is_no_clients_site():
    # the employee's "к нам на склад" is the company's, no client's site: the client coming for
    # his order ("за заказом приеду", a pick-up since the tenth pass) asks the way to the
    # loading ("где у вас погрузка"): directions, by the pick-up's rule
    dialog = [["C: я за заказом приеду где у вас погрузка", "E: скажите охране что к нам на склад"]]
    pc, got = _kinds(dialog)
    assert got == ["navigation"] and pc.loc["d0", "call_kind_rules"] == "navigation"
    assert "client_site" in _concepts(pc, "d0")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_caller_who_only_checks_he_reached_the_company(labelled):
    dialogs = [
        # "is this X?" - a bare yes - "I'll call later": just checking
        ["C: алло это автомойка блеск", "E: да", "C: ага понял потом наберу"],
        ["C: это склад стройматериалов на окружной", "E: да это мы", "C: хорошо позже перезвоню"],
        # no check: a bare "I'll call back" is no content
        ["C: алло", "E: да", "C: я перезвоню"],
        ["E: автомойка блеск здравствуйте", "C: я попозже наберу"],
        # a purpose said after the yes decides
        ["C: алло это автомойка блеск", "E: да", "C: сколько стоит мойка кузова"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["navigation", "navigation", "unknown", "unknown", "negotiation"]
    assert "confirmed" in _concepts(pc, "d0") and "confirmed" not in _concepts(pc, "d4")


# --- sixth pass: the weaknesses blind set 7 showed, fixed by meaning (set 12) ----------------

#: What each new meaning is, one dialog apiece (turns split at " / "): the concept, the kind by
#: the rules and by ``auto``. The first issue of the closing documents for goods just received
#: or shipped, signing them, an act to be corrected or not yet drawn up are the deal's; a copy
#: of a settled document lost and asked for again, a reconciliation act, an error in the
#: company's own details are requisites; an invoice asked for goods with the buyer's INN or the
#: accountant in copy is an invoice; the client's addresses of a delivery are delivery; a
#: service done at the company's own site offered by the caller is an offer to us; a pocket
#: dial or "nothing, sorry" after bare greetings is no content, not a wrong number.
SIXTH_PASS = """
received negotiation C: краску мы вчера получили пришлите упд и счет фактуру / E: вышлю сегодня
received negotiation E: мы вам утром отгрузили трубы документы скинем / C: да нужна накладная для бухгалтерии
lost navigation C: накладная на краску за март потерялась пришлите копию еще раз / E: найду в архиве
doc_unmade negotiation C: акт за сентябрь по обслуживанию до сих пор не сформирован / E: сформируем завтра и отправим
doc_unmade negotiation E: трубы доехали а упд вы не подписали подпишите в сбисе пожалуйста / C: подпишем сегодня
reconciliation navigation C: акт сверки за год у нас не подписан пришлите еще раз / E: отправлю на почту
act_fix negotiation C: в акте нет доставки которую вы делали поправьте акт пожалуйста / E: исправим и пришлем
details navigation C: в акте неправильно написано название организации и инн / E: поправим в карточке
invoice negotiation C: выставите счет на десять рулонов утеплителя на ооо вектор / E: инн продиктуйте / C: семь семь ноль один
cc negotiation C: оплатим когда пришлете счет на утеплитель / E: отправлю через час / C: бухгалтера поставьте в копию
client_unload negotiation C: краску нужно развезти по четырем нашим объектам / E: пришлите список адресов и время
offer_to_us navigation C: компания чистый двор вывозим ваш мусор и снег по договору / E: а сколько в месяц / C: от пяти тысяч
busy unknown C: алло / E: слушаю вас / C: ой простите нажал случайно
busy unknown C: здрасте / E: добрый день / C: ой да нет ничего
"""


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_sixth_pass_meanings(kind_model):
    _check_meanings(SIXTH_PASS, kind_model)
    # "в копию" of an e-mail is no copy of a document: the invoice stands (a copy would leave
    # it to the weighed concepts)
    hits = {"invoice": [(3, "client")], "requisites": [(12, "client")], "copy": [(11, "client")]}
    assert rule_decision(hits) == ("negotiation", "score")
    assert rule_decision({**hits, "cc": [(10, "client")]}) == ("negotiation", "override")


def test_documents_received_are_no_goods_received():
    # "получили ваши документы": the documents, not the goods; "не получили": nothing received
    pc, got = _kinds([
        ["C: мы получили ваши оригиналы спасибо пришлите еще карточку предприятия", "E: вышлю"],
        ["C: мы не получили закрывающие документы за квартал", "E: перешлем оригиналы"],
        ["C: у нас не получилось дозвониться до бухгалтерии пришлите акт сверки", "E: пришлю"],
    ])
    assert got == ["navigation"] * 3
    assert all("received" not in _concepts(pc, f"d{n}") for n in range(3))


@pytest.mark.parametrize("labelled", [True, False])
def test_a_pocket_dial_is_no_wrong_number(labelled):
    dialogs = [
        ["C: алло", "E: здравствуйте", "C: ой сорян не туда нажал", "E: бывает"],
        ["C: здравствуйте вы позвонили в магазин уют оставьте сообщение после сигнала",
         "E: это снова я"],
        # a wrong number stays one
        ["C: алло это шиномонтаж", "E: нет это склад", "C: ой не туда попал извините"],
    ]
    _, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "unknown", "navigation"]


# --- seventh pass: the weaknesses blind set 8 showed, fixed by meaning (set 13) --------------

#: What each new meaning is, one dialog apiece (turns split at " / "): the concept, the kind by
#: the rules and by ``auto``. A contract's copy not yet signed, the closing documents re-issued
#: to the buyer's right entity (the КПП asked is the deal's), a copy of the goods' certificate
#: sent with their documents are the deal's — a lost copy of an old certificate stays
#: requisites; the client collecting his order himself (the warehouse's hours named for it) and
#: the goods brought to the client's site are delivery, whatever the model says — asking the
#: way to the warehouse stays directions; a pocket dial or a caller talking to someone beside
#: him is no content, not a wrong number.
SEVENTH_PASS = """
doc_unmade negotiation C: по договору на брусчатку наш второй экземпляр вы так и не подписали / E: подпишем и вернем курьером
reissue negotiation C: упд на линолеум выставлены на головную организацию а нужно на филиал / E: переделаем пришлите кпп филиала
reissue negotiation E: документы на моторы оформили на другое юрлицо переоформим / C: да на ооо сервис
goods_papers negotiation C: мебель пришла накладную подписали а можно копию сертификата к ней / E: вышлю с накладной
lost navigation C: сертификат на трубы который вы давали в прошлом году потеряли пришлите копию / E: найду
pickup negotiation C: можно краску самовывозом забрать со склада / E: склад работает до шести / C: заберу завтра
directions navigation C: я свой заказ заберу сам как к вам проехать на склад / E: по трассе до моста и направо
client_object negotiation C: плитку привезите не на склад а на объект / E: адрес объекта скажите / C: садовая девять
pocket unknown E: алло / C: ой это я не вам говорю простите
pocket unknown E: слушаю / C: да это телефон в кармане ткнулся
"""


@pytest.mark.parametrize("kind_model", ["auto", None])
def test_seventh_pass_meanings(kind_model):
    _check_meanings(SEVENTH_PASS, kind_model)


def test_delivery_overrides_stand_against_the_model():
    # the rules' delivery is structural now: combine_kinds keeps it whatever the model says
    hits = {"delivery": [(3, "client")], "pickup": [(3, "client")]}
    assert rule_decision(hits) == ("negotiation", "override")
    assert combine_kinds(*rule_decision(hits), {"navigation": 0.9}, 10) == "negotiation"
    # ... but not when the caller asks the way, nor in a wrong number
    assert rule_decision({**hits, "way": [(8, "client")]}) == ("navigation", "override")
    assert rule_decision({**hits, "wrong_number": [(8, "client")]}) == ("navigation", "override")
    assert rule_decision({"delivery": [(2, "client")], "client_object": [(4, "client")],
                          "directions": [(9, "employee")]}) == ("negotiation", "override")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_pocket_dial_drops_its_whole_turn(labelled):
    dialogs = [
        ["E: алло", "C: ой я не вам тут коллега рядом не туда ткнул"],
        # a wrong number stays one, and "это не аптека" is no pocket dial
        ["E: алло", "C: это аптека", "E: нет это не аптека", "C: извините"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "navigation"]
    assert "wrong_number" not in _concepts(pc, "d0")


# --- eighth pass: the weaknesses blind set 9 showed, fixed by meaning (set 14) ---------------
# One test per meaning, each on dialogs written here (not copied from a phrasings file), with a
# near miss on the other side.

def test_split_merged_keeps_a_verb_whole():
    from callkit.speech.text import split_merged

    # no preposition is followed by a verb; "извените" is "извините" misheard, not "и звените"
    assert split_merged("нажалось") == ("нажалось",)
    assert split_merged("извените") == ("извените",)
    # ... while a preposition glued to a noun, "не" to an adverb are still split
    assert split_merged("вналичии") == ("в", "наличии")
    assert split_merged("нетуда") == ("не", "туда")
    pc, got = _kinds([["E: шиномонтаж слушаю", "C: ой это нажалось в куртке"],
                      ["C: алло это бассейн", "E: нет это шиномонтаж", "C: извените"]])
    assert got == ["unknown", "navigation"]
    assert "busy" in _concepts(pc, "d0") and "apology" in _concepts(pc, "d1")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_caller_who_has_it_and_asks_whether_we_need_it_sells_to_us(labelled):
    dialogs = [
        ["C: здравствуйте у нас есть списанные поддоны недорого не нужны вам",
         "E: а сколько за штуку", "C: по сто рублей", "E: пришлите фото на почту"],
        # a buyer asking whether the company needs something of his is buying
        ["C: хотим взять у вас сорок мешков цемента а вам не нужна предоплата",
         "E: да пятьдесят процентов", "C: сколько стоит мешок", "E: четыреста рублей"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["navigation", "negotiation"]
    assert {"offer_ask", "have"} <= _concepts(pc, "d0")


def test_a_service_put_off_with_keep_in_mind_is_an_offer():
    dialogs = [
        ["C: добрый день охранное агентство щит мы предоставляем охранников на склады",
         "E: а сколько стоит пост", "C: от девяноста тысяч в месяц", "E: хорошо буду иметь в виду"],
        # the same service asked for by the buyer: no offer, a price
        ["C: добрый день нам нужна охрана склада сколько стоит пост",
         "E: от девяноста тысяч в месяц", "C: а ночью дороже"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["navigation", "negotiation"]
    assert pc.loc["d0", "call_kind_rules"] == "navigation"


@pytest.mark.parametrize("labelled", [True, False])
def test_the_callers_own_need_for_advertising_is_no_offer(labelled):
    dialogs = [
        ["C: здравствуйте мне нужно размещение рекламы на ваших билбордах у трассы",
         "E: свободны два щита", "C: сколько стоит месяц", "E: тридцать тысяч"],
        # an agency offering to place the company's ads is an offer to us
        ["C: здравствуйте хотим предложить вам размещение рекламы в лифтах",
         "E: нет спасибо не интересует"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["negotiation", "navigation"]
    assert "need" in _concepts(pc, "d0")


def test_an_invoice_issued_with_the_buyers_details_wrong_is_an_invoice():
    dialogs = [
        ["C: добрый день вы нам прислали счет на ламинат а в нем наш инн с ошибкой",
         "E: извините продиктуйте верный", "C: пять ноль ноль один два", "E: исправлю и пришлю новый"],
        # the caller redoing his own payment order for the invoice needs the account
        ["C: по счету который вы выставили какой у вас бик банк вернул платеж",
         "E: ноль четыре пять ноль", "C: понял переделаю платежку"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert pc.loc["d0", "call_kind_rules"] == "negotiation"
    assert pc.loc["d1", "call_kind_rules"] == "navigation"


def test_whether_an_invoices_payment_arrived_is_the_invoices():
    # the payment order asked as proof names no account, so no rule calls it requisites: the
    # model decides (no rule either way — another hand labelled the same question requisites)
    dialogs = [
        ["C: здравствуйте мы оплатили счет за плитку в среду деньги дошли",
         "E: пока не видим пришлите платежное поручение", "C: хорошо"],
        # paid, but the money came back: the account is asked for (requisites)
        ["C: здравствуйте мы оплатили счет а деньги вернулись какой у вас корсчет",
         "E: три ноль один ноль один восемь", "C: спасибо"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert "payment_status" in _concepts(pc, "d0")
    # the payment order's own words are no account asked; a БИК asked with it is
    hits = {"payment": [(1, "client")], "pay_order": [(9, "employee")],
            "requisites": [(9, "employee")]}
    assert rule_decision(hits)[1] == "score"
    assert rule_decision({**hits, "requisites": [(9, "employee"), (14, "client")]}) == (
        "navigation", "override")


@pytest.mark.parametrize("labelled", [True, False])
def test_goods_ready_to_collect_are_delivery(labelled):
    dialogs = [
        ["E: магазин рыболова добрый день ваша лодка пришла можете забирать",
         "C: а вы до скольки", "E: до семи", "C: заеду в пять"],
        # ... but asking the way to the warehouse is directions
        ["E: магазин рыболова добрый день ваша лодка пришла можете забирать",
         "C: а как к вам проехать", "E: за рынком налево"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["negotiation", "navigation"]
    assert [pc.loc[d, "call_kind_rules"] for d in ("d0", "d1")] == ["negotiation", "navigation"]


def test_the_signed_documents_of_goods_just_shipped_are_the_deals():
    dialogs = [
        ["E: кирпичный завод добрый день вчера вам отгрузили кирпич пришлите подписанный упд",
         "C: завтра отсканируем", "E: и оригинал почтой"],
        # a copy of last year's signed УПД, lost: a settled document (requisites)
        ["C: нам нужна копия подписанного упд за прошлый год наш потерялся",
         "E: поищем в архиве пришлем скан"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert [pc.loc[d, "call_kind_rules"] for d in ("d0", "d1")] == ["negotiation", "navigation"]


def test_a_signed_copy_not_returned_is_the_deals():
    dialogs = [
        ["E: стекольный цех добрый день ваш экземпляр накладной на зеркала к нам не вернулся",
         "C: найдем и отправим с водителем"],
        # a reconciliation act not returned is a period's accounts (requisites)
        ["E: стекольный цех добрый день акт сверки за полугодие вы нам не вернули",
         "C: бухгалтер подпишет на неделе"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert "doc_unmade" in _concepts(pc, "d0")


@pytest.mark.parametrize("labelled", [True, False])
def test_talking_to_someone_else_and_a_dropped_line_are_no_content(labelled):
    dialogs = [
        ["E: ветклиника слушаю", "C: пап ну я же просил не ждать", "E: алло",
         "C: ой простите это не вам"],
        ["C: здрасте я хотел", "E: алло", "E: пропала связь"],
        # a denial with an apology is a wrong number; a dropped line after a price question
        # keeps the question
        ["C: алло это прачечная", "E: нет это не прачечная", "C: ой извините"],
        ["C: сколько стоит ваш ламинат за квадрат", "E: восемьсот рублей", "C: алло пропала связь"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "unknown", "navigation", "negotiation"]
    assert "pocket" in _concepts(pc, "d0") and "busy" in _concepts(pc, "d1")


# --- ninth pass: the weaknesses blind set 10 showed, fixed by meaning (set 15) ----------------
# One test per meaning, each on dialogs written here (not copied from a phrasings file), with a
# near miss on the other side; the rules' own decision is asserted where a rule decides.

def _rules(pc, *calls):
    return [pc.loc[c, "call_kind_rules"] for c in calls]


def test_an_act_of_works_just_done_is_the_deals():
    dialogs = [
        ["C: добрый день вы у нас чинили кондиционеры пришлите акт выполненных работ",
         "E: подпишем и вышлем скан оригинал привезет курьер"],
        # the originals of a year's acts for an audit are a settled period's (requisites)
        ["C: добрый день у нас аудит нужны оригиналы актов выполненных работ за прошлый год",
         "E: поднимем архив"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]
    assert "service_act" in _concepts(pc, "d0")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_contract_amended_or_corrected_is_the_deals(labelled):
    dialogs = [
        ["C: здравствуйте мы переехали нужно допсоглашение к договору с новым адресом",
         "E: юрист подготовит и пришлет на подпись"],
        ["C: в договоре неправильно указан наш инн", "E: исправим договор и пришлем заново"],
        # the company's KPP asked for a payment order is requisites
        ["C: подскажите ваш кпп для платежки", "E: семь восемь ноль один ноль один ноль ноль один"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "negotiation"]
    assert "contract_amend" in _concepts(pc, "d1")


def test_a_closing_set_that_came_incomplete_is_the_deals():
    dialogs = [
        ["C: трубы пришли а накладная в одном экземпляре", "E: второй пришлем почтой"],
        # a lost copy of an old act stays requisites
        ["C: мы потеряли наш экземпляр акта по прошлой поставке пришлите копию", "E: пришлем"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]


def test_an_invoice_wanted_with_the_seal_or_in_another_currency_is_an_invoice():
    dialogs = [
        ["C: пришлите пожалуйста счет с печатью бухгалтерия без печати не проводит",
         "E: сейчас перешлю"],
        ["C: нам нужен счет в долларах мы из армении", "E: только в рублях"],
        # the company's currency account asked for a transfer is requisites
        ["C: дайте пожалуйста реквизиты вашего валютного счета для перевода", "E: пришлю на почту"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1", "d2") == ["negotiation", "negotiation", "navigation"]


def test_invoices_sent_to_a_new_address_are_the_invoices():
    dialogs = [
        ["C: у нас новый бухгалтер отправляйте счета теперь на ее почту", "E: запишу адрес"],
        # the company card sent to a new accountant is requisites
        ["C: у нас новый бухгалтер пришлите ей карточку предприятия", "E: запишу адрес"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]


def test_an_orders_payment_not_showing_on_it_is_the_invoices():
    dialogs = [
        ["C: оплата прошла а статус заказа до сих пор не оплачен",
         "E: банк задерживает пришлите платежку"],
        # a payment being chased with the account asked is left to the model, as before: the
        # rules read it as requisites
        ["C: какой у вас расчетный счет мы перевели деньги а вы пишете не пришли", "E: проверим"],
    ]
    pc, got = _kinds(dialogs)
    assert got[0] == "negotiation"
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]
    assert {"order_payment", "payment_status"} <= _concepts(pc, "d0")


@pytest.mark.parametrize("labelled", [True, False])
def test_the_companys_driver_at_the_clients_and_delivery_days_are_delivery(labelled):
    dialogs = [
        ["C: ваш водитель с досками стоит у закрытых ворот", "E: пусть подождет я позвоню"],
        ["C: передайте водителю мой номер он не может найти наш цех", "E: передам"],
        ["C: вы доставляете в воскресенье", "E: нет только в субботу"],
        # the office's weekend hours asked to come are directions
        ["C: вы работаете в воскресенье я подъеду", "E: нет в воскресенье выходной"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["negotiation", "negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1", "d2") == ["negotiation"] * 3


def test_a_parcel_tracked_is_delivery_a_tracked_letter_with_an_original_is_not():
    dialogs = [
        ["C: как отследить посылку с фильтрами", "E: по трек номеру на сайте перевозчика"],
        ["C: вы отправили нам оригинал договора за прошлый месяц дайте трек номер",
         "E: пришлю"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]
    assert "tracking" in _concepts(pc, "d0")


def test_a_buyers_need_answered_with_we_have_it_is_goods():
    dialogs = [
        ["C: мы открываем столовую нам нужны подносы оптом", "E: у нас есть пластиковые",
         "C: пришлите каталог"],
        # a supplier who has it and asks whether the company needs it sells to us
        ["C: у нас есть лишние подносы сто штук не нужны вам", "E: нет спасибо"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]


def test_bringing_ones_own_item_and_asking_the_address_is_directions():
    dialogs = [
        ["C: я хочу привезти вам на ремонт часы во сколько вы открываетесь", "E: с девяти",
         "C: а адрес", "E: проспект мира десять"],
        # the company bringing it to the client is delivery
        ["C: привезите нам часы после ремонта в офис", "E: курьер привезет завтра"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["navigation", "negotiation"]
    assert _rules(pc, "d0", "d1") == ["navigation", "negotiation"]
    assert "bring_own" in _concepts(pc, "d0")


def test_what_a_food_product_is_made_of_is_tech_specs():
    dialogs = [
        ["C: какой состав у вашего сыра есть ли крахмал", "E: крахмала нет", "C: а консерванты"],
        # canning jars asked for and not sold stay "we don't sell that"
        ["C: вы банки для консервации продаете", "E: нет мы такое не продаем"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "navigation"]
    assert "tech" in _concepts(pc, "d0") and "tech" not in _concepts(pc, "d1")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_bare_oops_after_a_bare_no_is_a_wrong_number(labelled):
    dialogs = [
        ["E: слушаю", "C: это олег", "E: нет", "C: ой"],
        # a bare no to a price question answered by "ой" keeps the question
        ["C: у вас есть доставка в область", "E: нет", "C: ой а самовывоз"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got[0] == "navigation" and got[1] != "navigation"
    assert "apology" in _concepts(pc, "d0") and "apology" not in _concepts(pc, "d1")


# --- tenth pass: the errors sets 11 and 12 showed, fixed by meaning (set 16) -----------------
# One test per meaning, on dialogs written here (not copied from a phrasings file), each with a
# near miss on the other side; the rules' own decision is asserted where a rule decides.

def test_an_invoice_corrected_or_resent_with_the_seal_is_an_invoice():
    dialogs = [
        ["C: здравствуйте мы детский сад в счете наименование игрушек написано не так как в заявке",
         "E: пришлите точное название исправлю"],
        ["C: вы прислали счет на бумагу а он без печати бухгалтерия не берет",
         "E: перешлю с печатью и подписью"],
        # the company card wanted with the seal is requisites (no invoice at issue)
        ["C: пришлите пожалуйста карточку организации с печатью", "E: отправлю на почту"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1", "d2") == ["negotiation", "negotiation", "navigation"]
    assert "invoice_fix" in _concepts(pc, "d0") and "seal" in _concepts(pc, "d1")


def test_an_original_invoice_document_for_the_tax_office_stays_requisites():
    # an original of a closing document with the seal is a settled document's copy, not an
    # invoice to be re-sent: the seal's rule does not decide it (the model does)
    hits = {"seal": [(6, "client")], "invoice": [(3, "client")], "copy": [(2, "client")],
            "closing": [(3, "client")]}
    assert rule_decision(hits)[1] != "override"
    pc, got = _kinds([["C: нам нужен оригинал счет фактуры с печатью для налоговой",
                       "E: отправим почтой"]])
    assert got == ["navigation"]


@pytest.mark.parametrize("labelled", [True, False])
def test_a_caller_who_only_checks_someone_is_there_is_just_checking(labelled):
    dialogs = [
        ["E: мастерская", "C: алло в мастерской есть кто", "E: есть я", "C: ладно понял"],
        ["C: алло это пекарня", "E: да пекарня", "C: ага хорошо"],
        ["C: алло я правильно попал в ремонт обуви", "E: да сюда", "C: все хорошо потом наберу"],
        # a check followed by what he wants is the call's content
        ["C: алло это пекарня", "E: да", "C: нам нужны булочки сорок штук на завтра"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["navigation", "navigation", "navigation", "negotiation"]
    if labelled:
        assert _rules(pc, "d0", "d1", "d2") == ["navigation"] * 3
        assert "confirmed" in _concepts(pc, "d0") and "goods" not in _concepts(pc, "d0")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_driver_at_the_companys_gates_is_delivery_the_way_in_is_directions(labelled):
    dialogs = [
        ["E: база стройметалл", "C: я водитель стою у ваших ворот с арматурой куда разгружаться",
         "E: к третьему ангару"],
        ["C: это водитель газели из агроснаба у шлагбаума стою не пускают", "E: номер машины"],
        # the same driver asking the way in before he is there is directions
        ["C: я водитель фуры в первый раз к вам где у вас въезд", "E: со стороны трассы"],
        # and a visitor at the barrier, no goods, is directions
        ["C: я на переговоры приехал стою у шлагбаума куда дальше", "E: скажите охране фамилию"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["negotiation", "negotiation", "navigation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "negotiation"]
    assert {"carrier", "at_gates"} <= _concepts(pc, "d0")


def test_an_order_arrived_and_a_batch_to_bring_are_delivery():
    dialogs = [
        ["C: мне написали что ваш заказ пришел а где забирать и до скольки",
         "E: в пункте выдачи на мира до восьми"],
        ["C: мы ваш поставщик бумаги на какой склад вам везти партию во вторник",
         "E: на центральный приемка до шести"],
        # a point's address and hours asked to hand in a parcel of one's own are directions
        ["C: где у вас пункт приема посылок и до скольки работает", "E: на вокзальной до семи"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1") == ["negotiation", "negotiation"]
    assert "tracking" not in _concepts(pc, "d2")


def test_a_visitor_lost_on_the_way_is_directions():
    dialogs = [
        ["C: мы к вам едем а навигатор завел куда то в поле", "E: вы где сейчас",
         "C: у заправки", "E: от заправки налево до ворот"],
        # the company's goods to be taken to the client's addresses stay delivery
        ["C: куда завезти вам плитку у нас два объекта", "E: первый на садовой"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["navigation", "negotiation"]
    assert "client_unload" not in _concepts(pc, "d0") and "client_unload" in _concepts(pc, "d1")


@pytest.mark.parametrize("labelled", [True, False])
def test_a_child_noise_after_hours_and_a_pocket_are_no_content(labelled):
    dialogs = [
        ["E: автомойка", "C: мама мама смотри", "E: мальчик позови маму"],
        ["E: алло", "E: алло говорите", "E: какой то шум ничего не понятно кладу трубку"],
        ["C: рабочий день окончен позвоните завтра с девяти"],
        ["E: алло", "C: ой это просто карман не вам"],
        # a caller told no who just says "ой" is a wrong number
        ["E: алло магазин", "C: а это не ветаптека", "E: нет это магазин", "C: ой"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown"] * 4 + ["navigation"]
    assert "apology" in _concepts(pc, "d4")


def test_a_caller_asking_whether_workers_are_needed_and_the_pay_is_a_job_seeker():
    dialogs = [
        ["E: пилорама", "C: здравствуйте рабочие вам нужны", "E: нужны", "C: а сколько платите",
         "E: сдельно"],
        ["C: алло водители с категорией це требуются", "E: требуются", "C: когда подъехать"],
        # a buyer of a loader's hour buys a service
        ["C: нам нужен грузчик на три часа сколько стоит", "E: восемьсот в час"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["navigation", "navigation", "negotiation"]
    assert _rules(pc, "d0", "d1") == ["navigation", "navigation"]


def test_contract_originals_after_a_scan_and_a_copy_not_sent_are_the_deals():
    dialogs = [
        ["C: мы подписали договор сканом прислали а оригиналы отправим курьером",
         "E: хорошо ждем"],
        ["C: мы вам свой экземпляр договора отправили а ваш экземпляр не прислали",
         "E: на подписи у директора"],
        ["C: в предварительном договоре неверно указан номер участка", "E: исправим"],
        # a past contract's originals for an audit stay requisites
        ["C: для аудита нужны оригиналы договора за прошлый год скан есть", "E: поищем"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["negotiation", "negotiation", "negotiation", "navigation"]
    assert _rules(pc, "d0", "d1", "d2", "d3") == ["negotiation"] * 3 + ["navigation"]


def test_used_machinery_offered_and_a_database_for_sale_sell_to_us():
    dialogs = [
        ["E: стройтрест", "C: мы продаем б у экскаваторы из германии", "E: а какие",
         "C: либхер и кат", "E: пришлите фото и цену"],
        ["C: у нас есть база контактов застройщиков хотите купить", "E: нет"],
        # a buyer of used machinery is goods
        ["C: мы хотим купить б у экскаватор у вас есть", "E: есть один пришлю фото"],
    ]
    pc, got = _kinds(dialogs)
    assert got == ["navigation", "navigation", "negotiation"]
    assert _rules(pc, "d0", "d1") == ["navigation", "navigation"]


# --- eleventh pass: the errors set 13 showed, fixed by meaning ----------------------------------


def test_an_order_called_out_ready_and_asked_where_and_until_when_is_a_delivery():
    dialogs = [
        ["E: здравствуйте это магазин плитки ваш заказ готов можете забирать",
         "C: а где у вас склад и до скольки выдача", "E: промышленная три до семи"],
        # the way asked, not the hand-over's hours: directions (kind_dev11's line)
        ["E: здравствуйте это магазин плитки ваш заказ готов можете забирать",
         "C: а как к вам доехать я у вас не был", "E: после моста налево"],
    ]
    pc, got = _kinds(dialogs)
    assert _rules(pc, "d0", "d1") == ["negotiation", "navigation"]
    assert got == ["negotiation", "navigation"]


def test_a_courier_at_the_door_and_a_trucks_transit_days_are_a_delivery():
    dialogs = [
        ["C: алло это курьер с посылками стою у вашего офиса звоню в дверь не открывают",
         "E: сейчас выйду"],
        ["C: добрый день сколько дней в пути машина из казани в самару", "E: два дня",
         "C: а груз застрахован", "E: да застрахован"],
        # an offer to insure the company's cargo is an offer to us
        ["C: добрый день мы страховая компания предлагаем застраховать ваши грузы",
         "E: нам не надо"],
        # a visitor standing at the door, asking the floor, is directions
        ["C: я к вам на встречу приехал стою у входа а на каком этаже вы", "E: третий этаж"],
    ]
    pc, got = _kinds(dialogs)
    assert _rules(pc, "d0", "d1", "d2", "d3") == ["negotiation", "negotiation", "navigation",
                                                   "navigation"]
    assert got == ["negotiation", "negotiation", "navigation", "navigation"]


@pytest.mark.parametrize("labelled", [True, False])
def test_after_hours_recordings_giving_the_hours_are_no_content(labelled):
    dialogs = [
        ["E: вы позвонили в магазин светлана в нерабочее время",
         "E: перезвоните в рабочие часы с восьми до семнадцати"],
        ["C: спасибо что позвонили в компанию вектор в настоящее время офис закрыт", "E: алло"],
        # a person asked the hours is directions
        ["C: вы до скольки работаете", "E: с восьми до семнадцати"],
    ]
    pc, got = _kinds(dialogs, labelled=labelled)
    assert got == ["unknown", "unknown", "navigation"]


def test_a_callers_used_thing_or_goods_on_consignment_bargained_over_sell_to_us():
    dialogs = [
        ["E: шиномонтаж", "C: у меня есть бу компрессор почти новый не интересует",
         "E: а сколько хотите", "C: тридцать тысяч"],
        ["C: я фермер у меня сыр свой вы возьмете на реализацию", "E: мы только закупаем",
         "C: тогда по пятьсот за кило"],
        # a buyer of a used thing buys
        ["C: у вас есть бу компрессор", "E: есть", "C: сколько стоит", "E: тридцать тысяч"],
    ]
    pc, got = _kinds(dialogs)
    assert _rules(pc, "d0", "d1", "d2") == ["navigation", "navigation", "negotiation"]
    assert got == ["navigation", "navigation", "negotiation"]


def test_the_pay_of_a_named_opening_is_a_job_seeker():
    dialogs = [
        ["C: здравствуйте кассиры вам нужны", "E: нужны", "C: а сколько в час", "E: триста"],
        ["C: у вас есть квотируемые места для инвалидов", "E: есть место диспетчера",
         "C: какая зарплата"],
        # a buyer of a loader's hour asks its price, by the hour too
        ["C: нам нужен грузчик на три часа сколько стоит", "E: восемьсот",
         "C: а сколько в час выходит", "E: двести семьдесят"],
    ]
    pc, got = _kinds(dialogs)
    assert _rules(pc, "d0", "d1", "d2") == ["navigation", "navigation", "negotiation"]
    assert got == ["navigation", "navigation", "negotiation"]


def test_a_letter_for_the_tax_office_and_a_hotline_asked_its_hours_are_navigation():
    dialogs = [
        ["C: нам для налоговой нужно письмо подтверждение что мы у вас покупали в прошлом году",
         "E: сделаем на бланке"],
        ["C: алло это горячая линия", "E: да горячая линия", "C: а она круглосуточная",
         "E: с восьми до восьми", "C: понял"],
        # goods asked for round the clock are goods
        ["C: у вас доставка круглосуточная", "E: да", "C: привезите ночью два ящика воды"],
    ]
    pc, got = _kinds(dialogs)
    assert _rules(pc, "d0", "d1", "d2") == ["navigation", "navigation", "negotiation"]
    assert got == ["navigation", "navigation", "negotiation"]
