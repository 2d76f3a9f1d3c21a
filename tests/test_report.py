"""Report: masking, Excel safety and formats, slug paths, sections, parameter checks, runs."""
from __future__ import annotations

import datetime as dt
import re
import types
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from callkit import plots, report
from callkit.errors import InputError
from callkit.masking import (
    is_formula_like,
    mask_frame,
    mask_number,
    mask_text,
    safe_output_dir,
    safe_text,
)
from callkit.profile import profile_from_dict

REPO = Path(__file__).resolve().parents[1]
TZ = "Europe/Moscow"
# any +7 number written without masking, in E.164 or with separators
UNMASKED = re.compile(r"\+7[\s(]*\d{3}[\s)]*\d{3}[\s-]*\d{2}[\s-]*\d{2}")


def make_audit() -> types.SimpleNamespace:
    """A tiny hand-made audit: 2 departments, 3 managers, 3 missed calls (one lost)."""
    t = pd.Timestamp
    calls = pd.DataFrame({
        "call_id": ["c1", "c2", "c3", "c4", "c5"],
        "start": pd.to_datetime(["2026-10-05 10:01", "2026-10-05 10:20", "2026-10-05 11:00",
                                 "2026-10-06 12:00", "2026-09-20 12:00"]).tz_localize(TZ),
        "direction": ["incoming", "incoming", "outgoing", "incoming", "outgoing"],
        "status": ["missed", "answered", "answered", "busy", "answered"],
        "employee": [None, "Анна", "Анна", None, "Борис"],
        "department": [None, "Продажи", "Продажи", None, "Продажи"],
        "client_number": ["+79720123456", "+74950012345", "+79720123456", "+79730123400", "+74950012399"],
        "ring_s": [3.0, 5.0, 4.0, 30.0, 2.0],
        "talk_s": [0.0, 60.0, 120.0, 0.0, 30.0],
        "line": ["+74951112233"] * 5,
    })
    managers = pd.DataFrame({
        "employee": ["Анна", "Борис", "Вера"], "extension": ["101", "102", "201"],
        "department": ["Продажи", "Продажи", "Сервис"],
        "external_calls": [80, 40, 30], "outgoing": [60, 30, 10], "incoming_answered": [20, 10, 20],
        "incoming_missed": [1, 4, 0], "internal_share": [0.1, 0.3, 0.0], "mobile_share": [0.5, 0.9, 0.2],
        "landline_share": [0.5, 0.1, 0.8], "calls_per_number": [1.6, 4.0, 1.0],
        "talk_s_total": [6000.0, 1200.0, 900.0], "talk_s_mean": [75.0, 30.0, 30.0],
        "days_active": [4, 4, 3], "external_calls_per_day": [20.0, 10.0, 10.0],
    })
    compare = pd.DataFrame({
        "department": ["Продажи", "Продажи", "Сервис"], "employee": ["Анна", "Борис", "Вера"],
        "metric": ["external_calls_per_day"] * 3, "value": [20.0, 10.0, 10.0], "best": [20.0, 20.0, 10.0],
        "gap": [0.0, 0.5, 0.0], "flagged": [False, True, False],
    })
    traffic = pd.DataFrame({"weekday": [0, 0, 1], "hour": [10, 11, 12], "incoming": [2, 0, 1],
                            "answered": [1, 0, 0], "missed": [1, 0, 1], "missed_rate": [0.5, np.nan, 1.0],
                            "days": [1, 1, 1]})
    missed = pd.DataFrame({
        "call_id": ["c1", "c4", "c6"],
        "start": [t("2026-10-05 10:01", tz=TZ), t("2026-10-06 12:00", tz=TZ), t("2026-10-07 09:00", tz=TZ)],
        "client_number": ["+79720123456", "+79730123400", "+74950012345"],
        "department": [pd.NA, pd.NA, "Продажи"], "employee": [pd.NA, pd.NA, "Анна"],
        "callback_at": [t("2026-10-05 11:00", tz=TZ), pd.NaT, pd.NaT],
        "callback_delay_s": [3540.0, np.nan, np.nan],
        "reached": [True, False, False], "lost": [False, True, False],
    })
    staffing = pd.DataFrame({"weekday": [0, 0], "hour": [10, 11], "calls_per_hour": [2.0, 0.0],
                             "aht_s": [60.0, 0.0], "erlangs": [0.033, 0.0], "required_agents": [1, 0],
                             "active_employees": [0, 1], "max_concurrent": [1, 0],
                             "understaffed": [True, False]})
    findings = pd.DataFrame({
        "rule": ["manager_gap", "missed_no_callback", "repeat_dialing"],
        "severity": ["medium", "high", "low"],
        "subject": ["Борис", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)"],
        "metric": ["external_calls_per_day", "lost", "calls_per_number"],
        "value": [10.0, 1.0, 4.0], "reference": [20.0, 0.0, 1.6],
        "text": ["Борис делает на 50 % меньше внешних звонков в день, чем лучший в отделе.",
                 "Не перезвонили клиенту +79730123400.", "-3 повторных набора"],
    })
    load = types.SimpleNamespace(report=types.SimpleNamespace(
        format="asterisk_csv", encoding="utf-8", files=["/x/Master.csv"], rows_read=6, rows_loaded=5,
        rows_rejected=1, duplicates=0, sessions=5, notes=[],
        rejected=pd.DataFrame({"source_file": ["Master.csv"], "source_row": [4], "raw": ["=cmd|' /C calc'!A0"],
                               "reason": ["bad date"]})))
    return types.SimpleNamespace(load=load, calls=calls, managers=managers, compare=compare, traffic=traffic,
                                 peaks=pd.DataFrame({"weekday": [0], "hour": [10], "incoming": [2.0]}),
                                 presence=pd.DataFrame({"employee": ["Анна", "Борис"], "present_share": [1.0, 0.0]}),
                                 missed=missed, staffing=staffing, tech=None, findings=findings, pop=None,
                                 speech=None,
                                 # the headline quantities (callkit.metrics.headline) of this audit:
                                 # in working hours 3 incoming (c1, c2, c4), 2 missed (c1, c4); c1
                                 # called back within 24 h and reached, c4 lost
                                 headline={"working_days": 2, "incoming": 3, "missed": 2, "called_back": 1,
                                           "reached": 1, "lost_calls": 1, "short_ring_drops": 0,
                                           "off_hours_calls": 0, "off_hours_missed": 0, "off_hours_lost": 0})


PROFILE = profile_from_dict({"client": "ООО Ромашка", "slug": "romashka",
                             "period": {"start": "2026-10-01", "end": "2026-10-31"},
                             "thresholds": {"manager_gap": 0.25, "callback_window_h": 24}},
                            check_files=False)


# --- masking --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, masked", [
    ("+79161234567", "+7 916 ***-**-67"),
    ("+79720123456", "+7 972 ***-**-56"),
    ("+74950012345", "+7 495 ***-**-45"),
    ("89720123456", "+7 972 ***-**-56"),          # domestic form, 11 digits starting with 8
    # 12 digits 442079460018: keep the first 4 and the last 2, hide the 6 between
    ("+442079460018", "+4420 ******18"),
    ("1234", "****"),
])
def test_mask_number_hand_examples(raw, masked):
    assert mask_number(raw) == masked


def test_mask_number_keeps_missing():
    assert mask_number(None) is None
    assert pd.isna(mask_number(pd.NA))


def test_masking_twice_changes_nothing():
    # a table masked once (e.g. speech violations) may pass through mask_frame again
    for raw in ["+79720123456", "+442079460018", "1234"]:
        once = mask_number(raw)
        assert mask_number(once) == once
    df = pd.DataFrame({"client_number": ["+79720123456"], "snippet": ["мой 7 972 012 34 56"]})
    twice = mask_frame(mask_frame(df))
    assert twice.iloc[0].tolist() == ["+7 972 ***-**-56", "мой +7 972 ***-**-56"]


def test_mask_text_and_frame():
    assert mask_text("звонок +7 (972) 012-34-56 и 8 972 012 34 56") == \
        "звонок +7 972 ***-**-56 и +7 972 ***-**-56"
    df = pd.DataFrame({"client_number": ["+79720123456", None], "text": ["от +74950012345", "—"], "n": [1, 2]})
    out = mask_frame(df)
    assert out["client_number"].tolist()[0] == "+7 972 ***-**-56" and pd.isna(out["client_number"][1])
    assert out["text"].tolist() == ["от +7 495 ***-**-45", "—"]
    assert df["client_number"][0] == "+79720123456"  # input untouched
    empty = mask_frame(pd.DataFrame({"text": pd.Series([], dtype="str")}))   # no TypeError on empty
    assert empty.empty and list(empty.columns) == ["text"]


def test_mask_text_catches_numbers_as_transcripts_write_them():
    # The speech tokenizer drops '+' and brackets: "+7 (972) 012-34-56" reaches a snippet as
    # "7 972 012-34-56"; a client may dictate the ten national digits only ("972 012 34 56").
    assert mask_text("номер 7 972 012-34-56 записал") == "номер +7 972 ***-**-56 записал"
    assert mask_text("звоните 972 012 34 56") == "звоните +7 972 ***-**-56"
    assert mask_text("или 4950012345") == "или +7 495 ***-**-45"
    # not phone numbers: an amount with a lone leading digit, an Asterisk uniqueid, a date
    for keep in ["сумма 4 000 000 000", "id 1761901234.5678", "2026-10-01 12:30"]:
        assert mask_text(keep) == keep
    snips = mask_frame(pd.DataFrame({"snippet": ["мой 972 012 34 56 да"]}))
    assert snips["snippet"].tolist() == ["мой +7 972 ***-**-56 да"]


def test_workbook_header_from_data_is_never_a_formula(tmp_path):
    # a column named by the profile ('=1+1' as a checklist item) stays a text header
    audit = make_audit()
    audit.managers = audit.managers.assign(**{"=1+1": [1, 2, 3]})
    wb = openpyxl.load_workbook(report.write_workbook(audit, tmp_path / "a.xlsx", profile=PROFILE))
    head = [c for c in wb["Менеджеры"][1] if c.value == "=1+1"]
    assert len(head) == 1 and head[0].data_type == "s" and head[0].quotePrefix


def test_workbook_holds_text_with_control_characters(tmp_path):
    # a name or a header with a bell, a NUL or a vertical tab (a CRM export's): openpyxl refuses
    # the whole workbook for one such character; each becomes a space, the rest of the text kept
    audit = make_audit()
    names = audit.managers["employee"].astype(str).tolist()
    bad = ["Орлова\x07Анна", "Зимин\x00 Олег", "Лис\x0bица"][:len(names)]
    audit.managers = audit.managers.assign(employee=bad, **{"итог\x01": [1] * len(names)})
    wb = openpyxl.load_workbook(report.write_workbook(audit, tmp_path / "a.xlsx", profile=PROFILE))
    cells = [c.value for row in wb["Менеджеры"].iter_rows() for c in row if isinstance(c.value, str)]
    assert {"Орлова Анна", "Зимин  Олег", "Лис ица", "итог "} <= set(cells)
    assert not any(ch in v for v in cells for ch in "\x00\x01\x07\x0b")


def test_formula_helpers():
    assert [is_formula_like(x) for x in ["=1", "+7", "-1", "@x", "ok", 5]] == [True] * 4 + [False, False]
    assert safe_text("=1+1") == "'=1+1" and safe_text("Анна") == "Анна"


def test_slug_cannot_leave_the_output_folder(tmp_path):
    assert safe_output_dir(tmp_path, "romashka") == (tmp_path / "romashka").resolve()
    for bad in ["../x", "..", "a/b", "/etc", "Romashka", "", "x\x00"]:
        with pytest.raises(InputError, match="Slug"):
            safe_output_dir(tmp_path, bad)


# --- workbook -------------------------------------------------------------------------------

def _rules(ws) -> list[str]:
    return [f for cf in ws.conditional_formatting for r in cf.rules for f in (r.formula or [])]


def test_workbook_sheets_formats_masking_and_formula_safety(tmp_path):
    audit = make_audit()
    path = report.write_workbook(audit, tmp_path / "audit.xlsx", profile=PROFILE)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Легенда", "Главное", "Ключевые показатели", "Период в цифрах", "Выводы", "Менеджеры", "Сравнение",
                             "Пропущенные", "Скорость перезвона", "Трафик", "Часы пик", "На связи в пик", "Нагрузка",
                             "Концентрация", "Данные", "Отклонённые строки", "Методика", "Правила"]
    legend = {r[0]: r[1] for r in wb["Легенда"].iter_rows(min_row=2, values_only=True)}
    assert legend["Клиент"] == "ООО Ромашка" and legend["Период"] == "1–31 октября 2026"
    assert all(name in legend for name in wb.sheetnames[1:])        # every sheet is explained
    assert "можно пересылать" in legend["Номера клиентов"]

    ws = wb["Менеджеры"]
    assert ws.freeze_panes == "B2"                                   # header row and the name column
    heads = [c.value for c in ws[1]]
    assert heads[:3] == ["Менеджер", "Отдел", "Внутр. номер"]
    col = heads.index("Внешних в день") + 1
    assert [ws.cell(r, col).value for r in (2, 3, 4)] == [20.0, 10.0, 10.0]
    share = ws.cell(2, heads.index("Доля на мобильные") + 1)
    assert share.value == 0.5 and share.number_format == "0.0%"
    talk = ws.cell(2, heads.index("Средний разговор") + 1)           # 75 s, a real duration
    assert talk.value == dt.timedelta(seconds=75) and talk.number_format == "[h]:mm:ss"
    assert ws.column_dimensions["A"].width >= len("Менеджер")

    cmp_ = wb["Сравнение"]
    heads = [c.value for c in cmp_[1]]
    assert heads[:2] == ["Менеджер", "Отдел"] and cmp_.freeze_panes == "B2"
    flag = heads.index("Зона роста") + 1
    assert [cmp_.cell(r, flag).value for r in (2, 3, 4)] == ["нет", "да", "нет"]   # Борис, gap 0.5
    # the flagged row is red by conditional formatting on the flag column (G)
    assert '$G2="да"' in _rules(cmp_)
    assert cmp_.cell(3, heads.index("Отставание") + 1).number_format == "0.0%"

    missed = wb["Пропущенные"]
    heads = [c.value for c in missed[1]]
    rows = {r[0]: dict(zip(heads, r)) for r in missed.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"c1", "c4", "c6"}
    assert rows["c4"]["Номер клиента"] == "+7 973 ***-**-00" and rows["c4"]["Потерян"] == "да"
    assert rows["c1"]["Дозвонились"] == "да" and rows["c1"]["Перезвонили через"] == dt.timedelta(seconds=3540)
    assert rows["c1"]["Начало"] == dt.datetime(2026, 10, 5, 10, 1)    # a real local date and time
    assert missed.cell(2, heads.index("Начало") + 1).number_format == "dd.mm.yyyy hh:mm"
    lost = heads.index("Потерян") + 1
    assert f'${openpyxl.utils.get_column_letter(lost)}2="да"' in _rules(missed)

    bins = {r[0]: r[1] for r in wb["Скорость перезвона"].iter_rows(min_row=2, values_only=True)}
    # c1 called back after 59 min (15–60), c4 and c6 never
    assert bins == {"до 5 мин": 0, "5–15 мин": 0, "15–60 мин": 1, "позже в тот же день": 0,
                    "на следующий день и позже": 0, "не перезвонили": 2}
    assert [c.value for c in wb["Трафик"]["A"][1:]] == ["Пн", "Пн", "Вт"]   # weekday names, not 0..6

    fnd = wb["Выводы"]
    heads = [c.value for c in fnd[1]]
    rows = list(fnd.iter_rows(min_row=2))
    subj = {r[0].value: r[heads.index("О ком / о чём")] for r in rows}
    hyper = subj["не перезвонили на пропущенные"]
    assert hyper.value == '=HYPERLINK("http://evil.example","x")' and hyper.data_type == "s"
    assert hyper.quotePrefix
    assert subj["повторные наборы"].value == "@SUM(A1)" and subj["повторные наборы"].data_type == "s"
    texts = [r[heads.index("Вывод")] for r in rows]
    assert any(c.value == "-3 повторных набора" and c.data_type == "s" for c in texts)
    assert sorted(r[heads.index("Важность")].value for r in rows) == ["высокая", "низкая", "средняя"]
    assert '$B2="высокая"' in _rules(fnd)                       # high severity rows are red

    kf = {r[0]: r[1:] for r in wb["Ключевые показатели"].iter_rows(min_row=2, values_only=True)}
    # the headline: 3 incoming in working hours, 2 unanswered, 1 lost; outgoing from the calls (c3)
    assert kf["Входящих в рабочее время"][0] == 3 and kf["Из них не отвечено"][0] == pytest.approx(2 / 3)
    assert kf["Потеряно обращений"][0] == 1 and kf["Исходящих звонков"][0] == 1
    assert kf["Входящих в рабочее время"][1] is None            # no previous period in this audit

    every = [str(c.value) for s in wb for row in s.iter_rows() for c in row if c.value is not None]
    assert not [v for v in every if UNMASKED.search(v)]


def test_workbook_unmasked_and_english(tmp_path):
    path = report.write_workbook(make_audit(), tmp_path / "a.xlsx", mask=False, lang="en", profile=PROFILE)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Legend", "Summary"]
    heads = [c.value for c in wb["Missed calls"][1]]
    numbers = [r[heads.index("Client number")] for r in wb["Missed calls"].iter_rows(min_row=2, values_only=True)]
    assert "+79730123400" in numbers
    assert [c.value for c in wb["Managers"][1]][:3] == ["Manager", "Department", "Extension"]
    assert [c.value for c in wb["Traffic"]["A"][1:]] == ["Mon", "Mon", "Tue"]


def worklist_audit() -> types.SimpleNamespace:
    """make_audit with the call-back list of the metrics: three numbers still unreached."""
    audit = make_audit()
    t = pd.Timestamp
    audit.to_call_back = pd.DataFrame({
        # +79720123456: missed once, nobody called back; it rang a group (no employee)
        # +79730123400: called back after the miss (no answer) -> someone is on it, not open
        # +74950012399: missed twice, rang Вера, never called back
        "client_number": ["+79720123456", "+79730123400", "+74950012399"],
        "missed": [1, 1, 2],
        "last_missed": [t("2026-10-07 09:00", tz=TZ), t("2026-10-06 12:00", tz=TZ), t("2026-10-06 15:00", tz=TZ)],
        "department": [pd.NA, pd.NA, "Сервис"], "employee": [pd.NA, pd.NA, "Вера"],
        "called_back": [False, True, False],
    })
    return audit


def test_worklist_holds_open_cases_with_their_owner():
    wl = report.worklist(worklist_audit())
    assert list(wl.columns) == ["client_number", "last_missed", "attempts", "owner", "department", "owner_basis"]
    # open cases only, the longest wait first
    assert wl["client_number"].tolist() == ["+74950012399", "+79720123456"]
    first, second = wl.iloc[0], wl.iloc[1]
    # +74950012399 rang Вера, but Борис called that number in September: he is the client's manager
    assert (first["owner"], first["department"], first["attempts"]) == ("Борис", "Продажи", 2)
    assert first["owner_basis"].startswith("его менеджер")
    # +79720123456 rang a group; Анна's outgoing c3 makes it hers
    assert (second["owner"], second["department"], second["attempts"]) == ("Анна", "Продажи", 1)


def test_worklist_file_masked_unless_asked(tmp_path):
    from callkit.report.workbook import write_worklist

    masked = openpyxl.load_workbook(write_worklist(worklist_audit(), tmp_path / "w.xlsx"))
    assert masked.sheetnames == ["Легенда", "Перезвонить"]
    ws = masked["Перезвонить"]
    heads = [c.value for c in ws[1]]
    assert heads == ["Номер клиента", "Последний пропущенный", "Клиент звонил, раз", "Кто перезванивает", "Отдел",
                     "Почему он", "Когда перезвонили (заполнить)", "Итог разговора (заполнить)"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["+7 495 ***-**-99", "+7 972 ***-**-56"]
    assert ws.freeze_panes == "B2"
    about = {r[0]: r[1] for r in masked["Легенда"].iter_rows(min_row=2, values_only=True)}
    assert "Не пересылайте" in about["Для кого"] and about["Номера клиентов"].startswith("Скрыты")
    full = openpyxl.load_workbook(write_worklist(worklist_audit(), tmp_path / "f.xlsx", full_numbers=True))
    assert [full["Перезвонить"].cell(r, 1).value for r in (2, 3)] == ["+74950012399", "+79720123456"]


# --- sections -------------------------------------------------------------------------------

def _html_of(objs) -> str:
    parts = []
    for o in objs:
        for attr in ("_repr_html_", "_repr_markdown_"):
            fn = getattr(o, attr, None)
            if fn is not None and fn() is not None:
                parts.append(fn())
                break
    return "\n".join(parts)


def _heading(obj) -> str:
    return re.sub(r"<[^>]+>", "", obj._repr_html_())


def impact_findings() -> pd.DataFrame:
    """Findings with the verdict columns (DESIGN §5): two missed_peak costing 7 and 5 calls,
    one line_limit costing 20, one flow_concentration without a loss in calls (a risk)."""
    return pd.DataFrame({
        "finding_id": ["missed_peak-1", "missed_peak-2", "line_limit-1", "flow_concentration-1"],
        "rule": ["missed_peak", "missed_peak", "line_limit", "flow_concentration"],
        "severity": ["medium", "high", "high", "medium"],
        "subject": ["0 10", "2 16", "all", "Продажи"],
        "metric": ["missed_rate", "missed_rate", "max_concurrent", "incoming_share"],
        "value": [0.5, 0.6, 3.0, 0.7], "reference": [0.2, 0.2, 49.0, 0.25], "n": [18, 19, 49, 151],
        "impact_calls": [5.0, 7.0, 20.0, np.nan], "impact_rub": [45000.0, 63000.0, 180000.0, np.nan],
        "evidence_n": [9, 13, 49, 105],
        "impact_unit": ["lost_leads", "lost_leads", "lost_leads", "risk"],
        "impact": [5.0, 7.0, 20.0, np.nan],
        "n_unit": ["incoming_calls", "incoming_calls", "ceiling_days", "answered_incoming"],
        "action": ["Дежурный на Пн 10:00.", "Дежурный на Ср 16:00.", "Расширить линии у оператора.",
                   "Распределять входящие поровну."],
        "text": ["Пн 10:00: пропущено 50 %.", "Ср 16:00: пропущено 60 %.", "Не больше 3 одновременных звонков.",
                 "Продажи: Анна принимает 70 % входящих."],
    })


def test_problems_group_by_rule_and_rank_by_cost():
    p = report.problems(impact_findings())
    assert p["rule"].tolist() == ["line_limit", "missed_peak", "flow_concentration"]
    peak = p.iloc[1]
    # 7 + 5 calls, 63 000 + 45 000 ₽, 13 + 9 evidence calls; the costlier finding speaks first
    assert (peak["impact_calls"], peak["impact_rub"], peak["evidence_n"]) == (12.0, 108000.0, 22.0)
    assert peak["subjects"] == ["2 16", "0 10"] and peak["action"] == "Дежурный на Ср 16:00."
    assert peak["severity"] == "high" and peak["findings"] == 2
    assert np.isnan(p.iloc[2]["impact_calls"])


def test_summary_shows_cost_evidence_and_action(tmp_path):
    audit = make_audit()
    audit.findings = impact_findings()
    html = _html_of(report.section_summary(report.prepare(PROFILE, audit=audit)))
    assert 'id="ck-summary"' in html and "Главное" in html
    # the costliest problem first, in calls and (with the rule's impact_rub) roubles
    first = html.index("Не хватает линий связи")
    assert html.index("Пропуски в часы пик") > first
    # each cost in its own unit: lost enquiries (not "calls"), what the number means beside it
    assert "≈ 180\u00a0000 ₽" in html and "20 обращений · потеряно за период" in html
    assert "Пропуски в часы пик (2: Ср 16:00, Пн 10:00)" in html and "12 обращений" in html
    # the evidence says what n counts (n_unit), then how many calls are listed
    assert "(основание: 37 входящих звонков; в списке 22 звонка)" in html     # 19 + 18 incoming
    assert "(основание: 49 дней с занятыми линиями; в списке 49 звонков)" in html
    assert "в листе «Доказательства» файла Excel" in html
    assert "<b>Что сделать:</b> Расширить линии у оператора." in html
    assert "Риск" in html                                # a concentration costs no calls: a risk
    # two problems in lost enquiries (line_limit, missed_peak): the reader is told not to add them
    assert "не складывайте их" in html
    one = impact_findings()
    one = one.loc[one["rule"] != "line_limit"]           # one problem in lost enquiries: no such note
    audit.findings = one
    assert "не складывайте их" not in _html_of(report.section_summary(report.prepare(PROFILE, audit=audit)))
    audit.findings = impact_findings()
    # no economics in the profile: the summary says which two figures give roubles
    assert "средняя сумма сделки" in html and "<code>economics</code>" in html
    # key figures (the headline): 3 incoming in working hours, 2 of them unanswered (66,7 %), 1 lost
    tiles = re.findall(r'<span class="ck-v">([^<]*)</span><span class="ck-l">([^<]*)</span>', html)
    assert ("3", "Входящих в рабочее время") in tiles and ("66,7\u00a0%", "Из них не отвечено") in tiles
    assert ("1", "Потеряно обращений") in tiles and ("0", "Входящих в нерабочее время") in tiles


def test_key_figures_against_the_previous_period():
    audit = make_audit()
    audit.previous_period = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    audit.previous_headline = {**audit.headline, "incoming": 4, "missed": 1, "lost_calls": 2}
    audit.previous_managers = audit.managers.assign(outgoing_new_clients=[4, 0, 0])
    audit.managers = audit.managers.assign(outgoing_new_clients=[3, 2, 1])
    kf = report.key_figures(report.ReportContext(audit=audit, profile=PROFILE)).set_index("key")
    # September holds c5 alone among the calls: one outgoing, as in October -> no change
    assert kf.loc["outgoing", "previous"] == 1 and kf.loc["outgoing", "change_rel"] == 0.0
    # the headline: 3 incoming now against 4 (-25 %); missed 2/3 against 1/4: +41,7 points
    assert kf.loc["incoming", "change_rel"] == pytest.approx(-0.25)
    assert kf.loc["missed_rate", "change_rel"] == pytest.approx(2 / 3 - 1 / 4)
    assert kf.loc["lost_calls", "change_rel"] == pytest.approx(-0.5)
    # calls to new clients: 6 now, 4 before (+50 %) — unless the history cannot tell new clients
    assert kf.loc["new_client_calls", "change_rel"] == pytest.approx(0.5)
    audit.previous_coverage = types.SimpleNamespace(sufficient=False)
    kf = report.key_figures(report.ReportContext(audit=audit, profile=PROFILE)).set_index("key")
    assert np.isnan(kf.loc["new_client_calls", "previous"])


def test_sections_headings_switch_language_and_mask(tmp_path):
    ctx = report.prepare(PROFILE, out=tmp_path, audit=make_audit())
    assert ctx.out_dir == (tmp_path / "romashka").resolve()
    text = ""
    for name in report.SECTIONS:
        objs = getattr(report, f"section_{name}")(ctx)
        if name != "summary":
            assert _heading(objs[0]) == report.SECTIONS[name]["ru"]
        text += _html_of(objs)
    assert 'id="ck-lost"' in text and 'href="#ck-lost"' not in text      # the contents are their own cell
    assert "Борис делает на 50" in text
    assert "+7 973 ***-**-00" in text and not UNMASKED.search(text)
    # the formula-like raw line of a rejected row is shown escaped, as text
    assert "=cmd|&#x27; /C calc&#x27;!A0" in text
    charts = sorted(p.name for p in (ctx.out_dir / "charts").glob("*.png"))
    assert charts == sorted(["callback_delay.png", "traffic_missed_rate.png", "managers.png", "traffic_incoming.png",
                             "staffing.png", "presence.png", "tech.png"])
    assert all(p.with_suffix(".svg").exists() for p in (ctx.out_dir / "charts").glob("*.png"))
    # charts are embedded as SVG with an alt text
    imgs = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', text)
    assert len(imgs) == 7 and "График: Когда перезвонили на пропущенный звонок" in imgs
    toc = _html_of(report.section_contents(ctx))
    assert all(f'href="#ck-{k}"' in toc for k in report.SECTIONS if k != "summary")

    en = report.prepare(PROFILE, lang="en", audit=make_audit())
    assert _heading(report.section_managers(en)[0]) == "Managers"
    kpi = report.kpi_definitions(en)
    assert "over 25%; not flagged under 3 days with calls" in kpi["threshold"].tolist()


def test_manager_cards_figures_points_and_strengths():
    audit = make_audit()
    cards = {c["employee"]: c for c in report.manager_cards(report.ReportContext(audit=audit, profile=PROFILE))}
    assert list(cards) == ["Анна", "Борис", "Вера"]          # department, then external calls per day
    anna, boris, vera = cards["Анна"], cards["Борис"], cards["Вера"]
    fig = anna["figures"].set_index("metric")
    # Продажи: Анна 20 external calls a day; her only comparable colleague Борис 10 -> median 10
    assert fig.loc["external_calls_per_day", "value"] == 20.0
    assert fig.loc["external_calls_per_day", "department"] == 10.0
    # with compare.csv's reference for that figure, the card shows that same number
    audit.compare = audit.compare.assign(reference=[12.5, 20.0, float("nan")])
    again = report.manager_cards(report.ReportContext(audit=audit, profile=PROFILE))[0]["figures"].set_index("metric")
    assert again.loc["external_calls_per_day", "department"] == 12.5
    assert "external_calls_per_day" in anna["strengths"] and not boris["strengths"]
    assert boris["findings"]["text"].tolist() == ["Борис делает на 50 % меньше внешних звонков в день, чем лучший в отделе."]
    # Вера: 3 active days (= min_active_days: counted), alone in Сервис: nobody to compare with
    assert vera["counted"] and vera["colleagues"] == 0 and not vera["strengths"]


def test_appendix_masks_numbers_in_loader_notes_and_raw_lines():
    # an Asterisk raw line carries the number without '+'; a note may quote a value it rejected
    audit = make_audit()
    audit.load.report.notes = ["строка 4: номер 79720123456 не распознан"]
    audit.load.report.rejected = pd.DataFrame({"source_file": ["Master.csv"], "source_row": [4],
                                               "raw": ['"","79730123400","101"'], "reason": ["bad date"]})
    text = _html_of(report.section_appendix(report.prepare(PROFILE, audit=audit)))
    assert "79720123456" not in text and "+7 972 ***-**-56" in text
    assert "79730123400" not in text and "+7 973 ***-**-00" in text
    assert "Asterisk, файл Master.csv" in text and "asterisk_csv" not in text
    shown = _html_of(report.section_appendix(report.prepare(PROFILE, audit=audit, mask_numbers=False)))
    assert "79720123456" in shown


def test_title_escapes_the_client_name():
    prof = profile_from_dict({"client": "ООО <b>Ромашка</b> *1*", "slug": "romashka"}, check_files=False)
    title = report.section_title(report.prepare(prof, audit=make_audit()))[1]._repr_html_()
    assert "ООО &lt;b&gt;Ромашка&lt;/b&gt; *1*" in title and "<b>" not in title


def test_overview_counts_only_the_period():
    ctx = report.ReportContext(audit=make_audit(), profile=PROFILE)
    items = dict(report.overview_items(ctx))
    # c5 (September) is history; c1..c4 are in October: 3 incoming, 1 outgoing
    assert items["Звонков в периоде"] == 4 and items["Исходящих"] == 1
    assert items["Разных номеров клиентов"] == 3  # +79720123456, +74950012345, +79730123400


# --- notebook parameters --------------------------------------------------------------------

def test_audit_notebook_structure():
    nb = nbformat.read(REPO / "notebooks" / "audit.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert "parameters" in tags[1] and all("parameters" not in t for i, t in enumerate(tags) if i != 1)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert nb.cells[0].source.startswith(("import", "from"))
    params = report.notebook_parameters(report.notebook_path("audit.ipynb"))
    assert {k: v["inferred_type_name"] for k, v in params.items()} == {
        "profile": "str", "out": "str", "lang": "str", "mask_numbers": "bool"}
    body = "\n".join(c.source for c in nb.cells[2:])
    for name in report.SECTIONS:
        assert f"report.section_{name}(ctx)" in body


def test_validate_parameters_fails_on_unknown_missing_and_wrong_type(tmp_path):
    nb = report.notebook_path("audit.ipynb")
    ok = {"profile": "p.yaml", "out": "o", "lang": "en", "mask_numbers": False}
    assert report.validate_parameters(nb, ok) == ok
    with pytest.raises(report.ReportError, match=r"unknown parameter\(s\) \['colour'\]"):
        report.validate_parameters(nb, {**ok, "colour": "red"})
    with pytest.raises(report.ReportError, match="parameter 'mask_numbers' has 'no'; expected bool"):
        report.validate_parameters(nb, {**ok, "mask_numbers": "no"})
    # a notebook that lacks a parameter the runner needs
    bare = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    bare.cells = [nbformat.v4.new_code_cell('profile: str = "x"', metadata={"tags": ["parameters"]})]
    nbformat.write(bare, tmp_path / "bare.ipynb")
    with pytest.raises(report.ReportError, match=r"missing parameter\(s\) \['out'\]"):
        report.validate_parameters(tmp_path / "bare.ipynb", {"profile": "p"})
    untagged = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    untagged.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(untagged, tmp_path / "untagged.ipynb")
    with pytest.raises(report.ReportError, match="no cell tagged 'parameters'"):
        report.validate_parameters(tmp_path / "untagged.ipynb", {})


def test_run_client_rejects_unknown_parameter_before_running(tmp_path):
    prof = tmp_path / "p.yaml"
    prof.write_text("client: X\nslug: x\n", encoding="utf-8")
    with pytest.raises(report.ReportError, match="unknown parameter"):
        report.run_client(prof, tmp_path / "out", parameters={"nope": 1})
    assert not (tmp_path / "out" / "x" / "audit.ipynb").exists()


def test_export_html_hides_code_and_external_scripts(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("secret_code_marker = 1\nprint('shown')")]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="shown output\n"),
                           nbformat.v4.new_output("stream", name="stderr", text="WarningNoise\n")]
    nbformat.write(nb, tmp_path / "n.ipynb")
    html = report.export_html(tmp_path / "n.ipynb", tmp_path / "n.html", title="Отчёт").read_text(encoding="utf-8")
    assert "shown output" in html
    assert "secret_code_marker" not in html and "WarningNoise" not in html
    assert not re.search(r"<script[^>]*src=\"https?://", html)
    assert "<title>Отчёт</title>" in html


def test_find_profiles_and_batch_rejects_duplicate_slug_without_running(tmp_path):
    (tmp_path / "a.yaml").write_text("client: A\nslug: same\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("client: B\nslug: same\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("client: C\nslug: '../up'\n", encoding="utf-8")
    assert [p.name for p in report.find_profiles(tmp_path)] == ["a.yaml", "b.yml", "c.yaml"]
    with pytest.raises(InputError, match="not a folder"):
        report.find_profiles(tmp_path / "missing")
    with pytest.raises(InputError, match="jobs=0"):
        report.run_batch(tmp_path, tmp_path / "out", jobs=0)


def test_column_labels_are_unique_per_language():
    # the workbook's headers are these labels; a reader (or a test) maps them back to columns
    for i in (0, 1):
        labels = [pair[i] for pair in report.COLUMN_LABELS.values()]
        assert len(labels) == len(set(labels))


def test_pop_table_keeps_key_metrics_in_order():
    pop = pd.DataFrame({"employee": ["Анна", "Анна", "Борис"], "department": ["Продажи"] * 3,
                        "metric": ["outgoing", "outgoing_new_clients_per_day", "external_calls_per_day"],
                        "current": [10.0, 2.0, 5.0], "previous": [8.0, 1.0, 4.0], "change": [2.0, 1.0, 1.0],
                        "change_rel": [0.25, 1.0, 0.25]})
    out = report.pop_table(pop)
    assert out["metric"].tolist() == ["external_calls_per_day", "outgoing_new_clients_per_day"]
    assert list(out.columns) == ["employee", "department", "metric", "current", "previous", "change_rel"]


# --- speech section and sheets ---------------------------------------------------------------

SPEECH_PROFILE = profile_from_dict({
    "client": "ООО Ромашка", "slug": "romashka", "transcripts": "t.jsonl",
    "script": [{"stage": "greeting", "phrases": ["добрый день"]}],
    "call_results": {"invoice": ["выставить счет"]},
    "decision_makers": {"ЛПР": ["кто принимает решение", "согласовать с директором"],
                        "ЛВР": ["главный механик"]},
    "advantages": {"свой склад": ["собственный склад"], "гарантия": ["гарантия три года"]},
    "materials": {"прайс": ["пришлю прайс"], "наличие": ["проверю наличие"]},
}, check_files=False)


def speech_audit() -> types.SimpleNamespace:
    """make_audit plus the speech result of two hand-made negotiations (Анна c1, Борис c2)."""
    from callkit.speech import analyze_calls
    from tests.test_speech_brief import CALLS, UTT  # the hand-checked dialogues

    audit = make_audit()
    audit.speech = analyze_calls(UTT, SPEECH_PROFILE, calls=CALLS)
    return audit


def test_speech_section_says_why_when_there_is_nothing():
    ctx = report.ReportContext(audit=make_audit(), profile=PROFILE)
    objs = report.section_speech(ctx)
    assert _heading(objs[0]) == report.SECTIONS["speech"]["ru"]
    assert len(objs) == 2 and "Расшифровок звонков нет" in objs[1]._repr_html_()
    # transcripts named in the profile, but the audit has no result
    en = report.ReportContext(audit=make_audit(), profile=SPEECH_PROFILE, lang="en")
    objs = report.section_speech(en)
    assert _heading(objs[0]) == "Conversations: script, decision makers, advantages"
    assert "no results of the conversation analysis" in objs[1]._repr_html_()
    assert report.speech_result(types.SimpleNamespace(speech={"not": "a result"})) is None


def test_speech_section_tables_and_chart(tmp_path):
    ctx = report.prepare(SPEECH_PROFILE, out=tmp_path, audit=speech_audit())
    objs = report.section_speech(ctx)
    text = _html_of(objs)
    # summary: 2 transcribed calls, both negotiations; advantages (1/2 + 0/2) / 2 = 25 %
    assert "<td class=\"ck-text\">Расшифрованных звонков</td><td class=\"ck-text\">2</td>" in text
    assert "Названо преимуществ (доля)</td><td class=\"ck-text\">25,0\u00a0%" in text
    # managers: Анна reached the ЛПР (100 %), named 1 of 2 advantages (50 %), used a material
    assert "<th>Выход на ЛПР/ЛВР</th>" in text
    anna = re.search(r"<tr><td class=\"ck-text\">Продажи</td><td class=\"ck-text\">Анна</td>(.*?)</tr>", text)
    assert anna and "50,0\u00a0%" in anna.group(1) and "100,0\u00a0%" in anna.group(1)
    # the per-item rates are charts here (each item's rate per manager is in the workbook)
    assert text.count("<img ") == 2
    assert "Вывод:" in text
    assert (ctx.out_dir / "charts" / "speech_stages.png").exists()
    assert (ctx.out_dir / "charts" / "speech_stages.svg").exists()
    assert (ctx.out_dir / "charts" / "speech_brief.png").exists()


def test_workbook_speech_sheets(tmp_path):
    path = report.write_workbook(speech_audit(), tmp_path / "a.xlsx", profile=SPEECH_PROFILE)
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert names[names.index("Речь. Сводка"):][:4] == ["Речь. Сводка", "Речь. Звонки", "Речь. Фрагменты",
                                                       "Речь. Менеджеры"]
    summary = {r[0]: r[1] for r in wb["Речь. Сводка"].iter_rows(min_row=2, values_only=True)}
    # the HTML's speech table: 2 transcribed calls, both negotiations, advantages (1/2 + 0/2) / 2
    assert summary["Расшифрованных звонков"] == 2 and summary["Названо преимуществ (доля)"] == 0.25
    assert "Вывод" in summary
    calls = list(wb["Речь. Звонки"].iter_rows(values_only=True))
    head = list(calls[0])
    rows = {r[0]: dict(zip(head, r)) for r in calls[1:]}
    assert head[:5] == ["ID звонка", "Менеджер", "Отдел", "Тип звонка", "Результат звонка"]
    c1, c2 = rows["c1"], rows["c2"]
    assert (c1["Тип звонка"], c1["Результат звонка"]) == ("переговоры", "счёт")
    assert (c1["ЛПР/ЛВР выявлено"], c1["Преимуществ названо"], c1["Материалов использовано"]) == (1, 1, 1)
    # what c1 lacked, in checklist order: ЛВР, гарантия, наличие
    assert c1["Не сделано"] == "ЛПР/ЛВР: ЛВР; преимущество: гарантия; материал: наличие"
    assert c2["Не сделано"] == ("ЛПР/ЛВР: ЛВР; преимущество: свой склад; преимущество: гарантия; "
                                "материал: прайс; материал: наличие")
    snips = list(wb["Речь. Фрагменты"].iter_rows(values_only=True))
    shead = list(snips[0])
    hits = {(r[0], r[3]): dict(zip(shead, r)) for r in snips[1:]}
    price = hits[("c1", "прайс")]
    assert price["Секунда звонка"] == dt.timedelta(seconds=14.22) and price["Кто сказал"] == "сотрудник"
    assert price["Тип пункта"] == "материал" and "пришлю прайс" in price["Фрагмент"]
    assert hits[("c2", "ЛПР")]["Кто сказал"] == "клиент" and hits[("c2", "ЛПР")]["Секунда звонка"] == dt.timedelta(seconds=6.36)
    # 2 greetings + 2 invoices + 2 ЛПР + свой склад + прайс = 8 hits
    assert len(snips) - 1 == 8
    ws = wb["Речь. Менеджеры"]
    mhead = [c.value for c in ws[1]]
    col = mhead.index("Доля названных преимуществ") + 1
    by_name = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}   # the name column first
    cell = ws.cell(by_name["Анна"], col)
    assert cell.value == 0.5 and cell.number_format == "0.0%"
    assert ws.cell(by_name["Борис"], col).value == 0.0
    item = ws.cell(by_name["Анна"], mhead.index("ЛПР/ЛВР: ЛПР") + 1)
    assert item.value == 1 and "материал: прайс" in mhead

    en = openpyxl.load_workbook(report.write_workbook(speech_audit(), tmp_path / "en.xlsx", lang="en",
                                                      profile=SPEECH_PROFILE))
    assert {"Speech. Calls", "Speech. Snippets", "Speech. Managers"} <= set(en.sheetnames)
    assert "decision maker: ЛПР" in [c.value for c in en["Speech. Managers"][1]]
    assert en["Speech. Calls"].cell(2, 4).value == "negotiation"


def test_speech_with_navigation_calls_only(tmp_path):
    from callkit.speech import analyze_calls

    utt = pd.DataFrame([("n1", "client", 0, 2, "алло это автосервис"),
                        ("n1", "employee", 2, 4, "нет вы ошиблись номером")],
                       columns=["call_id", "speaker", "start", "end", "text"])
    audit = make_audit()
    audit.speech = analyze_calls(utt, SPEECH_PROFILE)
    ctx = report.prepare(SPEECH_PROFILE, out=tmp_path, audit=audit)
    text = _html_of(report.section_speech(ctx))
    # one call, a navigation one: no checklist to rate, no chart, no manager rows
    assert "Расшифрованных звонков</td><td class=\"ck-text\">1</td>" in text
    assert "Навигация</td><td class=\"ck-text\">1</td>" in text
    assert "<th>Выход на ЛПР/ЛВР</th>" not in text
    assert not list((ctx.out_dir / "charts").glob("speech_*"))
    wb = openpyxl.load_workbook(report.write_workbook(audit, tmp_path / "a.xlsx", profile=SPEECH_PROFILE))
    assert wb["Речь. Фрагменты"].max_row == 1          # the header only: nothing was hit
    assert wb["Речь. Звонки"].cell(2, 4).value == "навигация"
    assert wb["Речь. Звонки"].cell(2, 14).value is None   # navigation: nothing "not done"


def test_concentration_in_the_traffic_section_chart_and_sheets(tmp_path):
    # B2C: Анна 7 of 10 answered incoming (0.7), Борис 2 (0.2), Вера 1 (0.1); even share 1/3;
    # HHI = 0.49 + 0.04 + 0.01 = 0.54, effective managers 1/0.54 = 1.85; only Анна ≥ 2 × 1/3
    conc = pd.DataFrame({
        "department": ["B2C"] * 3, "employee": ["Анна", "Борис", "Вера"], "counted": [True] * 3,
        "incoming_answered": [7, 2, 1], "incoming_share": [0.7, 0.2, 0.1], "clients": [5, 3, 2],
        "clients_share": [0.5, 0.3, 0.2], "clients_single": [4, 2, 2], "new_client_share": [0.4, 0.3, 0.5],
        "tenure_days": [900, 300, 30], "even_share": [1 / 3] * 3, "hhi": [0.54] * 3,
        "effective_managers": [1 / 0.54] * 3,
    })
    deps = pd.DataFrame({"department": ["B2C"], "managers": [3], "incoming_answered": [10],
                         "even_share": [1 / 3], "top_employee": ["Анна"], "top_share": [0.7], "hhi": [0.54],
                         "effective_managers": [1 / 0.54], "clients": [10], "clients_single_share": [0.8]})
    audit = make_audit()
    audit.concentration, audit.concentration_departments = conc, deps
    ctx = report.prepare(PROFILE, out=tmp_path, audit=audit)
    html = _html_of(report.section_traffic(ctx))
    assert "Кто принимает входящие" in html
    assert (ctx.out_dir / "charts" / "concentration.png").exists()
    # chart: one bar per manager, in the report's order, in the department's colour
    ax = plots.plot_concentration(conc, order=ctx.order, colors={"B2C": "#e07b39"})
    bars = list(ax.patches)
    assert len(bars) == 3 and {mpl_hex(b.get_facecolor()) for b in bars} == {"#e07b39"}
    # without colours, only Анна (0.7 ≥ 2 × 1/3) is in the flag colour
    ax = plots.plot_concentration(conc)
    flagged = [b.get_width() for b in ax.patches if np.allclose(b.get_facecolor()[:3], to_rgb("#c8423b"))]
    assert flagged == [0.7]
    wb = openpyxl.load_workbook(report.write_workbook(audit, tmp_path / "a.xlsx"))
    assert {"Концентрация", "Концентрация по отделам"} <= set(wb.sheetnames)
    heads = [c.value for c in wb["Концентрация по отделам"][1]]
    assert "Индекс концентрации" in heads and "Как будто поровну делят" in heads
    # without concentration data the section has no concentration block
    empty = report.prepare(PROFILE, out=tmp_path, audit=make_audit())
    assert "Кто принимает входящие" not in _html_of(report.section_traffic(empty))


def mpl_hex(color) -> str:
    from matplotlib.colors import to_hex

    return to_hex(color)


def test_dictated_number_in_a_snippet_is_masked_in_the_workbook(tmp_path):
    # c1's seller promises the price list to a number said aloud: the tokenizer leaves
    # "7 972 012-34-56" (no '+', no brackets) in the snippet of the "пришлю прайс" hit
    from callkit.speech import analyze_calls
    from tests.test_speech_brief import CALLS, UTT

    utt = UTT.copy()
    utt.loc[4, "text"] = "у нас собственный склад пришлю прайс на +7 (972) 012-34-56 и выставлю счет"
    audit = make_audit()
    audit.speech = analyze_calls(utt, SPEECH_PROFILE, calls=CALLS)
    raw = audit.speech.checklist["snippet"].str.contains("7 972 012-34-56", regex=False)
    assert raw.any()                                   # the number is in the raw snippet ...
    wb = openpyxl.load_workbook(report.write_workbook(audit, tmp_path / "a.xlsx", profile=SPEECH_PROFILE))
    cells = [str(v) for row in wb["Речь. Фрагменты"].iter_rows(values_only=True) for v in row]
    assert any("+7 972 ***-**-56" in c for c in cells)  # ... and masked in the workbook
    assert not any("012-34-56" in c or "0123456" in c for c in cells)
