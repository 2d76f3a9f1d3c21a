"""Synthetic dialogues: deterministic, labelled, and the analysis recovers what was planted."""
import pandas as pd
import pytest

from callkit.profile import profile_from_dict
from callkit.speech import DEMO_BRIEF, analyze_calls, make_transcripts

CALLS = pd.DataFrame({"call_id": [f"c{i}" for i in range(120)],
                      "employee": [["Анна", "Павел", "Ольга"][i % 3] for i in range(120)],
                      "status": ["answered"] * 110 + ["missed"] * 10})


def test_deterministic_and_only_answered_calls():
    u1, l1 = make_transcripts(CALLS, seed=5)
    u2, l2 = make_transcripts(CALLS, seed=5)
    pd.testing.assert_frame_equal(u1, u2)
    pd.testing.assert_frame_equal(l1, l2)
    assert len(l1) == 110 and set(u1["call_id"]) == set(l1["call_id"])
    assert set(u1["speaker"]) == {"employee", "client"}
    assert (u1["end"] >= u1["start"]).all()
    assert not make_transcripts(CALLS, seed=6)[0].equals(u1)


def test_analysis_recovers_planted_violations():
    u, lab = make_transcripts(CALLS, seed=11, profanity=0.2, no_greeting=0.3, competitor=0.3,
                              stop_words=0.3)
    prof = profile_from_dict({"client": "Демо", "slug": "demo", **DEMO_BRIEF}, check_files=False)
    r = analyze_calls(u, prof, calls=CALLS)
    pc = r.per_call.merge(lab, on="call_id", suffixes=("", "_true"))
    assert (pc["call_kind"] == pc["call_kind_true"]).mean() >= 0.95
    assert (pc["call_result"] == pc["call_result_true"]).mean() >= 0.95
    assert ((pc["profanity"] > 0) == (pc["profanity_true"] > 0)).mean() >= 0.95
    assert (pc["stop_words"] == pc["stop_words_true"]).mean() >= 0.95
    greet = r.checklist.loc[(r.checklist["kind"] == "stage") & (r.checklist["item"] == "greeting")]
    g = greet.merge(lab, on="call_id")
    assert (g["hit"] == g["greeting"]).mean() >= 0.95
    comp = r.checklist.loc[r.checklist["kind"] == "competitor"].groupby("call_id")["hit"].any()
    planted = lab.set_index("call_id")["competitor"] != "none"
    assert (comp.reindex(planted.index) == planted).mean() >= 0.95


@pytest.mark.slow
def test_two_workers_give_the_same_result():
    calls = pd.DataFrame({"call_id": [f"p{i}" for i in range(200)], "employee": "Анна"})
    u, _ = make_transcripts(calls, seed=3)
    assert len(u) > 2000                      # the parallel path starts above 2000 utterances
    prof = profile_from_dict({"client": "Демо", "slug": "demo", **DEMO_BRIEF}, check_files=False)
    one = analyze_calls(u, prof)
    two = analyze_calls(u, prof, n_jobs=2)
    key = ["call_id"]
    pd.testing.assert_frame_equal(one.per_call.sort_values(key).reset_index(drop=True),
                                  two.per_call.sort_values(key).reset_index(drop=True))
    pd.testing.assert_frame_equal(
        one.checklist.sort_values(["call_id", "kind", "item"]).reset_index(drop=True),
        two.checklist.sort_values(["call_id", "kind", "item"]).reset_index(drop=True))
