"""Speaker attribution (issue 14 item 2, issue 9 item 6): what the client says is the client's,
what nobody is known to have said accuses nobody. Each case worked out by hand."""
import pandas as pd
import pytest

from callkit.profile import profile_from_dict
from callkit.speech import analyze_calls, views

PROFILE = profile_from_dict({
    "client": "Демо", "slug": "demo",
    "script": [{"stage": "greeting", "phrases": ["добрый день"]},
               {"stage": "closing", "phrases": ["до свидания"]}],
    "mandatory_questions": ["какой объем"],
    "call_results": {"invoice": ["выставить счет"]},
    "competitors": ["Чистолинк"],
    "stop_words": ["не знаю"],
}, check_files=False)
COLS = ["call_id", "speaker", "start", "end", "text"]
CALLS = pd.DataFrame({"call_id": ["k", "e", "n", "p"], "employee": ["Анна", "Борис", "Вера", "Глеб"],
                      "department": "Продажи"})


def _run(rows):
    return analyze_calls(pd.DataFrame(rows, columns=COLS), PROFILE, calls=CALLS)


def test_client_who_swears_and_names_a_competitor_accuses_no_manager():
    res = _run([
        ("k", "employee", 0, 2, "добрый день компания фильтр сервис"),
        ("k", "client", 2, 6, "да блять у Чистолинк цена ниже я не знаю что у вас за цены"),
        ("k", "employee", 6, 9, "какой объем вам нужен выставлю счет со скидкой"),
        ("k", "client", 9, 10, "пиздец ладно выставляйте"),
        ("k", "employee", 10, 11, "до свидания"),
    ])
    c = res.per_call.set_index("call_id").loc["k"]
    assert c["call_kind"] == "negotiation"
    # the employee: no profanity, no stop word, no competitor; script 2/2
    assert (c["profanity"], c["stop_words"], c["competitor_mentions"], c["script_score"]) == (0, 0, 0, 1.0)
    # the client: блять + пиздец = 2 profane words, one competitor mention, one "не знаю"
    assert (c["client_profanity"], c["client_mentions_competitor"], c["client_stop_words"]) == (2, 1, 1)
    assert views.violations(res).empty            # nothing against Анна
    bm = res.by_manager.set_index("employee").loc["Анна"]
    assert (bm["profanity_calls"], bm["competitor_calls"], bm["stop_words_per_call"]) == (0, 0, 0.0)
    assert (bm["client_profanity_calls"], bm["client_competitor_calls"]) == (1, 1)
    comp = res.checklist.set_index(["kind", "item"]).loc[("competitor", "Чистолинк")]
    assert bool(comp["hit"]) and comp["speaker"] == "client"
    assert set(res.profanity["speaker"]) == {"client"}


def test_employee_who_names_a_competitor_is_listed_and_their_hit_is_the_row():
    # the client names it first (at 2 s), the employee later (at 4 s): the checklist row is
    # the employee's, since that is what the manager is judged on
    res = _run([
        ("e", "employee", 0, 2, "добрый день"),
        ("e", "client", 2, 3, "Чистолинк дешевле"),
        ("e", "employee", 4, 5, "Чистолинк дает брак выставлю счет"),
    ])
    c = res.per_call.set_index("call_id").loc["e"]
    assert (c["competitor_mentions"], c["client_mentions_competitor"]) == (1, 1)
    row = res.checklist.set_index(["kind", "item"]).loc[("competitor", "Чистолинк")]
    assert (row["speaker"], row["at_s"]) == ("employee", 4.0)
    v = views.violations(res, lang="en")
    assert v["Violation"].tolist() == ["competitor named: Чистолинк"]


def test_transcript_without_speaker_labels_is_unknown_not_zero():
    res = _run([
        ("n", "unknown", 0, 3, "добрый день какой объем блять"),
        ("n", "unknown", 3, 6, "Чистолинк не знаю выставлю счет до свидания"),
    ])
    c = res.per_call.set_index("call_id").loc["n"]
    assert c["speaker_labels"] == "none"
    for col in ("profanity", "stop_words", "competitor_mentions", "client_profanity",
                "client_mentions_competitor", "stages_hit", "questions_hit"):
        assert c[col] is pd.NA, col
    assert pd.isna(c["script_score"])
    # what was said is still reported, against nobody
    assert (c["unattributed_profanity"], c["unattributed_competitor_mentions"],
            c["unattributed_stop_words"]) == (1, 1, 1)
    assert c["call_result"] == "invoice" and c["call_result_by"] == "unknown"
    # employee-only checklist items are not judged (absent), either-side items are listed
    kinds = set(res.checklist["kind"])
    assert "stage" not in kinds and "question" not in kinds and {"result", "competitor"} <= kinds
    assert views.violations(res).empty
    s = views.summary_table(res).set_index("metric")["value"]
    assert s["Расшифровок без разметки говорящих (мат, стоп-слова, скрипт — неизвестно)"] == 1
    bm = res.by_manager.set_index("employee").loc["Вера"]
    assert bm["unlabelled_calls"] == 1 and bm["profanity_calls"] == 0
    assert pd.isna(bm["script_score"]) and pd.isna(bm["stop_words_per_call"])


def test_partly_labelled_transcript_counts_only_the_labelled_employee_words():
    res = _run([
        ("p", "employee", 0, 2, "добрый день не знаю"),          # employee: greeting, 1 stop word
        ("p", "unknown", 2, 4, "блять Чистолинк"),               # nobody's
        ("p", "client", 4, 5, "выставите счет"),                 # the client asks for the invoice
    ])
    c = res.per_call.set_index("call_id").loc["p"]
    assert c["speaker_labels"] == "partial"
    assert (c["profanity"], c["stop_words"], c["competitor_mentions"]) == (0, 1, 0)
    assert (c["unattributed_profanity"], c["unattributed_competitor_mentions"]) == (1, 1)
    assert c["script_score"] == pytest.approx(0.5)        # greeting yes, closing no
    assert (c["call_result"], c["call_result_by"]) == ("invoice", "client")


def test_workbook_shows_unknown_as_empty_and_the_client_columns(tmp_path):
    """An unlabelled transcript's NA counts reach the Excel speech sheet as empty cells (not 0),
    beside the client's own columns."""
    import openpyxl

    from callkit import report
    from tests.test_report import make_audit

    audit = make_audit()
    audit.speech = _run([
        ("k", "employee", 0, 2, "добрый день"),
        ("k", "client", 2, 4, "блять Чистолинк дешевле"),
        ("n", "unknown", 0, 3, "добрый день блять не знаю"),
    ])
    path = report.write_workbook(audit, tmp_path / "a.xlsx", profile=PROFILE)
    rows = list(openpyxl.load_workbook(path)["Речь. Звонки"].iter_rows(values_only=True))
    head = list(rows[0])
    got = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    assert got["k"]["Мат/грубость сотрудника"] == 0 and got["k"]["Мат/грубость клиента"] == 1
    assert got["k"]["Конкурентов назвал сотрудник"] == 0 and got["k"]["Конкурентов назвал клиент"] == 1
    assert got["n"]["Мат/грубость сотрудника"] is None and got["n"]["Разметка говорящих"] == "нет"
    assert got["k"]["Разметка говорящих"] == "есть"
