"""Checklist kinds decision_maker, advantage and material (issue 6 item 2), checked by hand."""
import math

import pandas as pd
import pytest

from callkit.profile import profile_from_dict
from callkit.speech import CHECKLIST_KINDS, analyze_calls, make_transcripts, views
from callkit.speech.synthetic import DEMO_BRIEF

PROFILE = profile_from_dict({
    "client": "Демо", "slug": "demo",
    "script": [{"stage": "greeting", "phrases": ["добрый день"]}],
    "call_results": {"invoice": ["выставить счет"]},
    "decision_makers": {"ЛПР": ["кто принимает решение", "согласовать с директором"],
                        "ЛВР": ["главный механик"]},
    "advantages": {"свой склад": ["собственный склад"], "гарантия": ["гарантия три года"]},
    "materials": {"прайс": ["пришлю прайс"], "наличие": ["проверю наличие"]},
}, check_files=False)

UTT = pd.DataFrame([
    ("c1", "employee", 0, 4, "Добрый день компания фильтр сервис"),
    ("c1", "client", 4, 6, "нужны фильтры на погрузчик"),
    # 8 words in [6, 10]; "кто" is word 1 -> 6 + 4 * 1/8 = 6.5
    ("c1", "employee", 6, 10, "а кто у вас принимает решение о закупке"),
    # the client asking for the price list is not the seller using it
    ("c1", "client", 10, 12, "директор а пришлите прайс"),
    # 9 words in [12, 17]: собственный is word 2 -> 12 + 5 * 2/9 = 13.11;
    # пришлю word 4 -> 12 + 5 * 4/9 = 14.22; выставлю word 7 -> 12 + 5 * 7/9 = 15.89
    ("c1", "employee", 12, 17, "у нас собственный склад пришлю прайс и выставлю счет"),
    ("c2", "employee", 0, 2, "Добрый день слушаю"),
    # 11 words in [2, 8]: согласовать is word 8 -> 2 + 6 * 8/11 = 6.36; the client's
    # "гарантия три года" is not the seller naming the advantage
    ("c2", "client", 2, 8, "нам нужна гарантия три года и цену надо согласовать с директором"),
    ("c2", "employee", 8, 11, "хорошо выставлю вам счет"),
], columns=["call_id", "speaker", "start", "end", "text"])
CALLS = pd.DataFrame({"call_id": ["c1", "c2"], "employee": ["Анна", "Борис"],
                      "department": ["Продажи", "Продажи"]})


@pytest.fixture(scope="module")
def res():
    return analyze_calls(UTT, PROFILE, calls=CALLS)


def test_decision_maker_hit_at_the_right_time_by_either_side(res):
    cl = res.checklist.set_index(["call_id", "kind", "item"])
    lpr1 = cl.loc[("c1", "decision_maker", "ЛПР")]
    assert bool(lpr1["hit"]) and lpr1["at_s"] == 6.5 and lpr1["speaker"] == "employee"
    assert lpr1["snippet"] == "а кто у вас принимает решение о закупке"
    lpr2 = cl.loc[("c2", "decision_maker", "ЛПР")]
    assert bool(lpr2["hit"]) and lpr2["at_s"] == 6.36 and lpr2["speaker"] == "client"
    assert not cl.loc[("c1", "decision_maker", "ЛВР"), "hit"]


def test_missed_advantage_and_material_mention(res):
    cl = res.checklist.set_index(["call_id", "kind", "item"])
    sklad = cl.loc[("c1", "advantage", "свой склад")]
    assert bool(sklad["hit"]) and sklad["at_s"] == 13.11
    # гарантия: never said by the seller in c1; said only by the client in c2 -> missed twice
    for cid in ("c1", "c2"):
        g = cl.loc[(cid, "advantage", "гарантия")]
        assert not g["hit"] and math.isnan(g["at_s"]) and g["snippet"] == ""
    price = cl.loc[("c1", "material", "прайс")]
    # the seller's "пришлю прайс" at 14.22, not the client's "пришлите прайс" at 11.5
    assert bool(price["hit"]) and price["at_s"] == 14.22 and price["speaker"] == "employee"
    assert not cl.loc[("c1", "material", "наличие"), "hit"]
    assert not cl.loc[("c2", "material", "прайс"), "hit"]


def test_checklist_csv_kinds_and_rows(res):
    csv = res.checklist_csv()
    assert set(csv["kind"]) <= set(CHECKLIST_KINDS)
    assert set(CHECKLIST_KINDS) == {"stage", "question", "result", "competitor", "term",
                                    "decision_maker", "advantage", "material"}
    # per call: 1 stage + 1 result + 2 roles + 2 advantages + 2 materials = 8 rows
    assert csv.groupby("call_id").size().to_dict() == {"c1": 8, "c2": 8}


def test_per_call_counts_and_rates_per_manager(res):
    pc = res.per_call.set_index("call_id")
    assert pc.loc["c1", ["decision_makers_hit", "advantages_hit", "materials_hit"]].tolist() == [1, 1, 1]
    assert pc.loc["c2", ["decision_makers_hit", "advantages_hit", "materials_hit"]].tolist() == [1, 0, 0]
    assert pc.loc["c1", ["decision_makers_total", "advantages_total", "materials_total"]].tolist() == [2, 2, 2]
    assert (pc["call_kind"] == "negotiation").all()
    bm = res.by_manager.set_index("employee")
    # Анна: ЛПР reached (1.0), 1 of 2 advantages (0.5), a material used (1.0); Борис: 1.0, 0, 0
    assert bm.loc["Анна", ["decision_maker_rate", "advantage_rate", "material_rate"]].tolist() == [1.0, 0.5, 1.0]
    assert bm.loc["Борис", ["decision_maker_rate", "advantage_rate", "material_rate"]].tolist() == [1.0, 0.0, 0.0]
    assert bm.loc["Анна", "advantage:свой склад"] == 1.0 and bm.loc["Борис", "material:прайс"] == 0.0
    comp = res.compliance
    allc = comp.loc[comp["level"] == "all"].set_index(["kind", "item"])
    # over both negotiations: ЛПР 2/2, свой склад 1/2, гарантия 0/2, прайс 1/2
    assert allc.loc[("decision_maker", "ЛПР"), ["calls", "hits"]].tolist() == [2, 2]
    assert allc.loc[("advantage", "свой склад"), "rate"] == 0.5
    assert allc.loc[("advantage", "гарантия"), "rate"] == 0.0
    assert allc.loc[("material", "прайс"), "rate"] == 0.5


def test_views_show_the_brief_items(res):
    s = views.summary_table(res).set_index("metric")["value"]
    # advantages: (1/2 + 0/2) / 2 = 0.25; materials: one of two negotiations = 0.5
    assert s["Переговоров с выходом на ЛПР/ЛВР"] == 1.0
    assert s["Названо преимуществ (доля)"] == 0.25
    assert s["Переговоров с материалами (прайс, наличие…)"] == 0.5
    bt = views.brief_table(res, lang="en").set_index("Employee")
    assert bt.loc["Анна", "advantage: свой склад"] == 1.0 and bt.loc["Борис", "Negotiations"] == 1
    assert bt.loc["Борис", "Advantages named (share)"] == 0.0
    raw = views.brief_table(res, labels=False, items=False)
    assert list(raw.columns) == ["department", "employee", "negotiation_calls", "decision_maker_rate",
                                 "advantage_rate", "material_rate"]


def test_profile_without_the_keys_has_no_brief_items():
    p = profile_from_dict({"client": "Д", "slug": "d",
                           "script": [{"stage": "greeting", "phrases": ["добрый день"]}]},
                          check_files=False)
    r = analyze_calls(UTT, p, calls=CALLS)
    assert not r.checklist["kind"].isin(["decision_maker", "advantage", "material"]).any()
    assert (r.per_call["advantages_total"] == 0).all()
    assert "advantage_rate" not in r.by_manager.columns
    assert views.brief_table(r).empty
    assert "Названо преимуществ (доля)" not in set(views.summary_table(r)["metric"])


def test_synthetic_plants_are_found_exactly():
    calls = pd.DataFrame({"call_id": [f"s{i}" for i in range(240)], "employee": ["А", "Б", "В"] * 80})
    u, lab = make_transcripts(calls, seed=4)
    r = analyze_calls(u, profile_from_dict({"client": "x", "slug": "x", **DEMO_BRIEF}, check_files=False))
    lab = lab.set_index("call_id")
    for kind, col in (("decision_maker", "decision_makers"), ("advantage", "advantages"),
                      ("material", "materials")):
        sub = r.checklist.loc[r.checklist["kind"] == kind]
        truth = [item in str(lab.at[c, col]).split("; ") for c, item in zip(sub["call_id"], sub["item"])]
        assert sub["hit"].tolist() == truth, kind
        assert 0.1 < sum(truth) / len(truth) < 0.7, kind   # some calls have them, some miss them


def test_synthetic_plants_have_their_own_stream():
    calls = pd.DataFrame({"call_id": [f"s{i}" for i in range(60)], "employee": ["А", "Б"] * 30})
    on, lab_on = make_transcripts(calls, seed=2)
    off, lab_off = make_transcripts(calls, seed=2, decision_maker=0, advantage=0, material=0)
    # the same dialogues; planted text is only appended to turns
    assert len(on) == len(off)
    assert all(a.startswith(b) for a, b in zip(on["text"], off["text"]))
    assert (on["text"] != off["text"]).any()
    assert (lab_off[["decision_makers", "advantages", "materials"]] == "").all().all()
    cols = ["call_kind", "call_result", "greeting", "competitor", "profanity"]
    assert lab_on[cols].equals(lab_off[cols])


def test_plot_brief_rates(res):
    import matplotlib

    matplotlib.use("Agg")
    ax = views.plot_brief_rates(res, lang="en")
    # bars bottom-up (the compliance order reversed): наличие 0, прайс 1/2, гарантия 0,
    # свой склад 1/2, ЛВР 0, ЛПР 2/2
    assert [p.get_width() for p in ax.patches] == [0.0, 0.5, 0.0, 0.5, 0.0, 1.0]
    assert ax.get_title() == "Decision makers, advantages and materials in negotiations"
