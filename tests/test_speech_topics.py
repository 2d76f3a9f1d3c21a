"""Topic counts, distinctive terms and the fit verdict on hand-sized inputs."""
import pandas as pd
import pytest

from callkit.speech import distinctive_terms, speech_verdict, topic_summary


def test_topic_summary_by_hand():
    hits = pd.DataFrame({"call_id": ["a", "a", "b", "c"], "topic": ["price", "delivery", "price", "price"],
                         "mentions": [2, 1, 1, 4]})
    t = topic_summary(hits, calls=5)
    # price: calls a, b, c = 3 of 5, mentions 2 + 1 + 4 = 7; delivery: 1 call, 1 mention
    assert t.values.tolist() == [["price", 3, 0.6, 7], ["delivery", 1, 0.2, 1]]


def test_distinctive_terms_two_groupings():
    docs = pd.Series(["фильтр цена скидка", "фильтр доставка срок", "фильтр цена"], index=["a", "b", "c"])
    groups = pd.DataFrame({"department": ["Опт", "Опт", "Опт"], "employee": ["Анна", "Павел", "Анна"]},
                          index=["a", "b", "c"])
    t = distinctive_terms(docs, groups, top=1)
    # one department holds every call: its mean equals the overall mean, nothing stands out
    assert t["by"].tolist() == ["employee", "employee"]
    # TF-IDF (smooth idf: фильтр 1, цена 1+ln(4/3), others 1+ln 2), rows l2-normalised;
    # Анна's mean minus the overall mean is largest for цена (0.669 - 0.446 = 0.223)
    assert t[["group", "term"]].values.tolist() == [["Анна", "цена"], ["Павел", "доставка"]]
    assert t["score"].iloc[0] == pytest.approx(0.2229, abs=1e-3)


def test_verdict_levels():
    def pc(nav, neg_scores, words=60, unk=0.02):
        n = nav + len(neg_scores)
        return pd.DataFrame({"call_kind": ["navigation"] * nav + ["negotiation"] * len(neg_scores),
                             "script_score": [0.0] * nav + list(neg_scores), "words": [words] * n,
                             "unknown_word_share": [unk] * n})
    # 40 negotiations, half below 0.6 -> room to improve, quality fine -> yes
    v = speech_verdict(pc(10, [1.0] * 20 + [0.2] * 20))
    assert (v.level, v.negotiation_calls, v.script_follow_share) == ("yes", 40, 0.5)
    assert v.navigation_share == 0.2 and v.text.startswith("Речевая аналитика окупится:")
    # the same but everyone already follows the script -> partly
    assert speech_verdict(pc(10, [1.0] * 40)).level == "partly"
    # mostly navigation -> no, whatever the rest
    assert speech_verdict(pc(70, [0.2] * 40)).level == "no"
    # poor recognition (30 % unknown words) and room to improve -> partly, reason given in English
    v = speech_verdict(pc(10, [0.2] * 40, unk=0.3), lang="en")
    assert v.level == "partly" and "unknown to the dictionary" in v.text
