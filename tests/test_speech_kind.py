"""Call kind: lexicon rules and the TF-IDF + logistic regression classifier."""
import pandas as pd
import pytest

from callkit.profile import profile_from_dict
from callkit.speech import CallKindClassifier, analyze_calls, call_documents, make_transcripts
from callkit.speech.kind import kind_from_cues


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
    assert pc.loc["d0", "kind_concepts"] == "payment; requisites"
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


def test_held_out_phrasings_are_apart_from_training_and_lexicon():
    """At most 2.5 % of the held-out turns share a 5-lemma run, or their whole text (4+ words),
    with the bundled training phrasings or the rules' lexicon. The held-out sets were written
    by the same hand as the lexicon, so a few echoes slip in: test3 has 5 of 234 (four short
    replies such as "спасибо пока не нужно", and "юридический адрес для договора аренды");
    benchmarks/kind_eval.py lists them and the shorter shared runs (formulae like
    "добрый день я из")."""
    from pathlib import Path

    from callkit.speech.evaluation import overlap, read_phrasings
    from callkit.speech.kind import CONCEPTS, bundled_phrasings

    train = bundled_phrasings()
    others = list(train["text"]) + [p.lstrip("=~") for c in CONCEPTS for p in c.phrases]
    here = Path(__file__).resolve().parents[1] / "benchmarks" / "kind_eval"
    files = sorted(here.glob("test*.yaml"))
    assert files
    for f in files:
        test = read_phrasings(f)
        leaks = overlap(test, others, n=5, min_words=4)
        assert len(leaks) <= 0.025 * len(test), (f.name, leaks.to_dict("records"))
