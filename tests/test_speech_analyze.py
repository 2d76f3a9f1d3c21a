"""analyze_calls on a tiny transcript checked by hand: checklist, kind, result, counts."""
import math

import pandas as pd
import pytest

from callkit.errors import InputError
from callkit.profile import profile_from_dict
from callkit.speech import SPEECH_CSV_COLUMNS, analyze_calls
from callkit.speech.analyze import SPEAKER_COLUMNS

PROFILE = profile_from_dict({
    "client": "Демо", "slug": "demo",
    "script": [{"stage": "greeting", "phrases": ["добрый день", "меня зовут"]},
               {"stage": "needs", "phrases": ["какой объем"]},
               {"stage": "offer", "phrases": ["гарантия три года"]},
               {"stage": "closing", "phrases": ["до свидания"]}],
    "mandatory_questions": ["какой объем", "какие сроки"],
    "call_results": {"invoice": ["выставить счет"], "next_contact": ["созвониться"]},
    "competitors": ["Чистолинк"],
    "deal_terms": {"delivery": ["доставка"]},
    "stop_words": ["не знаю"],
    "topics": {"price": ["цена", "стоит"], "delivery": ["доставка"]},
}, check_files=False)

UTT = pd.DataFrame([
    # call c1, negotiation
    ("c1", "employee", 0, 3, "Добрый день, меня зовут Анна"),
    ("c1", "client", 4, 8, "Здравствуйте сколько стоит доставка"),   # 4 words, доставка is word 3
    ("c1", "employee", 8, 10, "Какой объём вам нужен"),
    ("c1", "client", 10, 12, "Сто штук а у Чистолинк дешевле"),        # 6 words, brand is word 4
    ("c1", "employee", 12, 16, "Не знаю выставлю вам счет блять"),     # 6 words, выставлю is word 2
    ("c1", "client", 16, 17, "хорошо"),
    ("c1", "employee", 17, 18, "До свидания"),
    # call c2, navigation
    ("c2", "client", 0, 2, "алло это автосервис"),
    ("c2", "employee", 2, 4, "нет вы ошиблись номером"),
    ("c2", "client", 4, 5, "извините"),
], columns=["call_id", "speaker", "start", "end", "text"])
CALLS = pd.DataFrame({"call_id": ["c1", "c2"], "employee": ["Анна", "Павел"],
                      "department": ["Продажи", "Продажи"]})


@pytest.fixture(scope="module")
def res():
    return analyze_calls(UTT, PROFILE, calls=CALLS)


def test_per_call_columns_and_values(res):
    pc = res.per_call.set_index("call_id")
    assert list(res.speech_csv().columns) == list(SPEECH_CSV_COLUMNS) + list(SPEAKER_COLUMNS)
    c1, c2 = pc.loc["c1"], pc.loc["c2"]
    assert (c1["employee"], c1["call_kind"], c1["call_result"]) == ("Анна", "negotiation", "invoice")
    assert (c2["employee"], c2["call_kind"], c2["call_result"]) == ("Павел", "navigation", "none")
    # stages hit: greeting, needs, closing; offer missed -> 3/4
    assert c1["script_score"] == 0.75 and c2["script_score"] == 0.0
    assert (c1["profanity"], c1["profanity_words"], c1["stop_words"]) == (1, "б****", 1)
    # Чистолинк was named by the client: not the employee's mention
    assert (c1["questions_hit"], c1["questions_total"], c1["competitor_mentions"]) == (1, 2, 0)
    assert (c1["client_mentions_competitor"], c1["client_profanity"], c1["speaker_labels"]) == (
        1, 0, "labelled")
    assert c1["call_result_by"] == "employee"
    assert c1["topics"] == "delivery; price" and c1["words"] == 5 + 4 + 4 + 6 + 6 + 1 + 2
    # employee talk 3+2+4+1 = 10 s, client 4+2+1 = 7 s -> 10/17; span 18 s, covered 17 s
    assert c1["talk_ratio"] == pytest.approx(10 / 17)
    assert c1["silence_share"] == pytest.approx(1 / 18)
    assert c1["longest_monologue_s"] == 4 and c1["questions"] == 1


def test_checklist_hits_and_misses(res):
    cl = res.checklist.set_index(["call_id", "kind", "item"])
    assert len(res.checklist) == 2 * 10     # 4 stages + 2 questions + 2 results + 1 competitor + 1 term
    g = cl.loc[("c1", "stage", "greeting")]
    assert bool(g["hit"]) and g["at_s"] == 0.0 and g["speaker"] == "employee"
    assert g["snippet"] == "добрый день меня зовут анна"
    # доставка is word 3 of 4 in [4, 8] -> 4 + 4 * 3/4 = 7.0, said by the client
    d = cl.loc[("c1", "term", "delivery")]
    assert bool(d["hit"]) and d["at_s"] == 7.0 and d["speaker"] == "client"
    # Чистолинк is word 4 of 6 in [10, 12] -> 10 + 2 * 4/6 = 11.33
    assert cl.loc[("c1", "competitor", "Чистолинк"), "at_s"] == 11.33
    inv = cl.loc[("c1", "result", "invoice")]
    # выставлю is word 2 of 6 in [12, 16] -> 12 + 4 * 2/6 = 13.33; the snippet is masked
    assert inv["at_s"] == 13.33 and inv["snippet"] == "не знаю выставлю вам счет б****"
    off = cl.loc[("c1", "stage", "offer")]
    assert not off["hit"] and math.isnan(off["at_s"]) and off["snippet"] == ""
    assert not cl.loc[("c1", "question", "какие сроки"), "hit"]
    assert not cl.loc[("c2", "stage", "greeting"), "hit"]


def test_stage_said_by_client_does_not_count():
    u = pd.DataFrame([("x", "client", 0, 2, "добрый день"), ("x", "employee", 2, 3, "да цена такая")],
                     columns=["call_id", "speaker", "start", "end", "text"])
    r = analyze_calls(u, PROFILE)
    assert not r.checklist.set_index(["kind", "item"]).loc[("stage", "greeting"), "hit"]


def test_by_manager_and_compliance(res):
    bm = res.by_manager.set_index("employee")
    assert bm.loc["Анна", "negotiation_calls"] == 1 and bm.loc["Анна", "script_score"] == 0.75
    assert bm.loc["Анна", "stage:offer"] == 0.0 and bm.loc["Анна", "question:какой объем"] == 1.0
    assert bm.loc["Павел", "negotiation_calls"] == 0 and math.isnan(bm.loc["Павел", "script_score"])
    comp = res.compliance
    dept = comp[(comp["level"] == "department") & (comp["item"] == "greeting")]
    assert dept[["calls", "hits", "rate"]].values.tolist() == [[1, 1, 1.0]]   # navigation excluded


def test_topics_profanity_and_verdict(res):
    assert res.topics.set_index("topic")["calls"].to_dict() == {"delivery": 1, "price": 1}
    assert res.profanity[["call_id", "speaker", "word", "kind"]].values.tolist() == [
        ["c1", "employee", "б****", "mat"]]
    assert res.verdict.navigation_share == 0.5 and res.verdict.level in ("no", "partly", "yes")


def test_bad_utterances():
    with pytest.raises(InputError, match=r"lacks column\(s\) \['speaker'\]"):
        analyze_calls(UTT.drop(columns=["speaker"]), PROFILE)


def test_display_tables(res):
    from callkit.speech import views

    s = views.summary_table(res).set_index("metric")["value"]
    assert s["Расшифрованных звонков"] == 2 and s["Переговоры"] == 1 and s["Навигация"] == 1
    assert s["Средняя доля этапов скрипта (переговоры)"] == 0.75
    assert s["Звонков с матом/грубостью сотрудника"] == 1
    v = views.violations(res, lang="en")
    # c1 (the only negotiation): profanity and one stop word of the employee; the competitor
    # was named by the client, which is no violation of the manager
    assert sorted(v["Violation"]) == ["profanity: б****", "stop words: не знаю"]
    assert s["Звонков, где сотрудник назвал конкурента"] == 0
    assert s["Звонков, где конкурента назвал клиент"] == 1
    rates = views.checklist_rates(res, lang="en").set_index("Item")["Done"]
    assert rates["greeting"] == 1.0 and rates["offer"] == 0.0


def test_distinctive_terms_show_profanity_masked():
    # Анна's two calls both say "блять цена", Павел's "доставка срок": every term is in 2 of 4
    # calls, so all idf are equal and each call's vector is (1/√2, 1/√2); Анна's mean for
    # блять is 0.7071, the overall mean 0.3536 -> score 0.3536, tied with цена (stable order)
    prof = profile_from_dict({"client": "D", "slug": "d"}, check_files=False)
    u = pd.DataFrame({"call_id": ["a1", "a2", "p1", "p2"], "speaker": "employee", "start": 0.0,
                      "end": 2.0, "text": ["блять цена", "блять цена", "доставка срок", "доставка срок"]})
    calls = pd.DataFrame({"call_id": ["a1", "a2", "p1", "p2"], "department": "Опт",
                          "employee": ["Анна", "Анна", "Павел", "Павел"]})
    t = analyze_calls(u, prof, calls=calls).terms
    anna = t.loc[t["group"] == "Анна"]
    assert sorted(anna["term"]) == ["б****", "цена"]
    assert anna["score"].tolist() == pytest.approx([0.5 ** 0.5 / 2] * 2)
    assert not t["term"].str.contains("блят").any()
