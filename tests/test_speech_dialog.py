"""Dialog metrics worked out by hand from segment times."""
import math

import pandas as pd
import pytest

from callkit.speech.dialog import dialog_metrics, is_question, union_length


def _utt(rows):
    return pd.DataFrame(rows, columns=["call_id", "speaker", "start", "end", "text"])


def test_metrics_by_hand():
    u = _utt([
        ("a", "employee", 0, 10, "сколько у вас машин"),   # question (сколько)
        ("a", "client", 8, 12, "штук двадцать"),           # starts at 8 < 10: client interrupts
        ("a", "employee", 11, 15, "понятно"),               # starts at 11 < 12: employee interrupts
        ("a", "employee", 16, 20, "удобно ли завтра"),      # question (ли); same run as 11-15
        ("a", "client", 25, 26, "да"),
    ])
    m = dialog_metrics(u).loc["a"]
    # employee talk: [0,10] + [11,15] + [16,20] = 10 + 4 + 4 = 18; client [8,12] + [25,26] = 5
    assert m["employee_talk_s"] == 18 and m["client_talk_s"] == 5
    assert m["talk_ratio"] == pytest.approx(18 / 23)
    # runs of employee utterances: [0,10] -> 10; [11,15]+[16,20] -> 20 - 11 = 9
    assert m["longest_monologue_s"] == 10
    assert m["interruptions"] == 1 and m["client_interruptions"] == 1
    # span 0..26 = 26; speech covers [0,15] + [16,20] + [25,26] = 20 -> silence 6/26
    assert m["silence_share"] == pytest.approx(6 / 26)
    assert m["questions"] == 2 and m["utterances"] == 5


def test_unsorted_input_and_two_calls():
    u = _utt([
        ("b", "client", 2, 4, "алло"),
        ("a", "employee", 0, 1, "да"),
        ("b", "employee", 0, 2, "добрый день"),
    ])
    m = dialog_metrics(u)
    assert list(m.index) == ["a", "b"]
    assert m.loc["a", "talk_ratio"] == 1.0            # only the employee spoke
    assert m.loc["b", "talk_ratio"] == 0.5            # 2 s each
    assert m.loc["b", "silence_share"] == 0.0


def test_no_talk_gives_nan_ratio():
    m = dialog_metrics(_utt([("c", "unknown", 0, 3, "шум")])).loc["c"]
    assert math.isnan(m["talk_ratio"]) and m["silence_share"] == 0.0


def test_union_and_questions():
    assert union_length([0, 2, 10], [5, 6, 12]) == 8.0      # [0,6] + [10,12]
    assert union_length([], []) == 0.0
    assert is_question("какие сроки поставки")
    assert is_question("а где вы находитесь")
    assert not is_question("сроки поставки две недели")
    assert is_question("правильно понимаю?")
