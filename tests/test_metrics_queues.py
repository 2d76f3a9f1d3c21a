"""Queues and agents from the queue_log (callkit.io.queuelog, callkit.metrics.queues), on the
synthetic logs in tests/data/io/ — every figure counted by hand from the file (Moscow time,
2026-10-01; the log runs 09:00:00–12:35:00)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from callkit.cli import main
from callkit.io import load_calls
from callkit.io.queuelog import load_queue_log, member_key
from callkit.metrics.queues import (
    agent_sessions,
    agent_summary,
    join_queue_calls,
    pause_summary,
    queue_entries,
    queue_summary,
)

DATA = Path(__file__).parent / "data" / "io"
TZ = "Europe/Moscow"
EMP = pd.DataFrame({"extension": ["101", "102", "103", "104"],
                    "employee": ["Орлова Анна", "Смирнов Павел", "Кузнецов Дмитрий", "Белова Марина"],
                    "department": ["Продажи"] * 4})


@pytest.fixture(scope="module")
def qlog():
    return load_queue_log(DATA / "queue_log", tz=TZ, employees=EMP)


def _by(df: pd.DataFrame, col: str) -> dict:
    return {r[col]: r for r in df.to_dict("records")}


def test_queue_log_text_load_report(qlog):
    r = qlog.report
    # 45 lines: 42 events, one line pasted twice, a line with no fields, one with time 'xx'
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.duplicates, r.reconciled) == (45, 42, 2, 1, True)
    assert r.rejected["source_row"].tolist() == [38, 40]
    assert "expected a queue_log event" in r.rejected["reason"].iloc[0]
    assert "not a date/Unix time" in r.rejected["reason"].iloc[1]
    ev = qlog.events
    assert str(ev["time"].iloc[0]) == "2026-10-01 09:00:00+03:00"      # Unix seconds → Moscow
    assert ev.loc[ev["agent"] == "Local/103@from-queue/n", "employee"].iloc[0] == "Кузнецов Дмитрий"
    assert (ev.loc[ev["event"] == "ENTERQUEUE", "agent"] == "").all()   # NONE is empty


def test_queue_entries_outcomes(qlog):
    e = queue_entries(qlog.events).set_index("callid")
    # C1: entered 10:00:00, 101 rang 15 s unanswered, 102 connected 10:00:27, caller hung up 10:03:27
    c1 = e.loc["1790838000.1"]
    assert (c1["outcome"], c1["wait_s"], c1["talk_s"], c1["employee"], c1["ring_no_answer"]) == \
        ("answered", 27.0, 180.0, "Смирнов Павел", 1)
    # C7: 103 (a Local/ member) connected after 15 s and transferred at 11:05:15 → talk 300 s
    assert (e.loc["1790841600.9", "outcome"], e.loc["1790841600.9", "talk_s"]) == ("answered", 300.0)
    assert e.loc["1790839200.5", ["outcome", "wait_s"]].tolist() == ["abandoned", 45.0]
    assert e.loc["1790840400.7", ["outcome", "wait_s"]].tolist() == ["timeout", 300.0]
    assert e.loc["1790841000.8", ["outcome", "wait_s"]].tolist() == ["exit_key", 5.0]
    assert e.loc["1790843000.11", ["outcome", "wait_s"]].tolist() == ["exit_empty", 1.0]
    # entered 12:30, the log ends 12:35 with no outcome: in progress, not abandoned
    assert e.loc["1790847000.12", "outcome"] == "in_progress"
    # entered 11:30, nothing written in the 65 minutes to the log's end: the outcome was lost
    assert e.loc["1790843400.13", "outcome"] == "no_outcome"
    # CONNECT at 09:00:30 for a call that entered before the log began (hold time field: 40 s)
    c0 = e.loc["1790834000.0"]
    assert bool(c0["before_log"]) and (c0["wait_s"], c0["talk_s"]) == (40.0, 120.0)


def test_queues_csv_hand_counts(qlog):
    q = _by(queue_summary(queue_entries(qlog.events), answer_within_s=20), "queue")
    s = q["600"]
    # 600: 9 entries (C1–C7, C10, C11); answered C1 (27 s), C2 (8 s), C7 (15 s); abandoned C3 (45 s),
    # C4 (10 s); timeout C5 (300 s); exit by key C6; in progress C10; no outcome C11
    assert (s["offered"], s["answered"], s["abandoned"], s["timeout"], s["exit_key"], s["exit_empty"],
            s["in_progress"], s["no_outcome"], s["before_log"]) == (9, 3, 2, 1, 1, 0, 1, 1, 1)
    # within 20 s: C2 and C7; finished = 3 + 2 + 1 + 1 = 7 → SL 2/7
    assert s["answered_within_target"] == 2 and s["service_level"] == pytest.approx(2 / 7)
    assert s["asa_s"] == pytest.approx((27 + 8 + 15) / 3)
    assert s["abandon_wait_s_median"] == pytest.approx((45 + 10) / 2)
    assert s["abandon_rate"] == pytest.approx(2 / 7) and s["wait_s_max"] == 300.0
    assert s["talk_s_mean"] == pytest.approx((180 + 120 + 300) / 3) and s["ring_no_answer"] == 1
    t = q["700"]
    # 700: C8 answered after 3 s (within), C9 left an empty queue after 1 s → SL 1/2
    assert (t["offered"], t["answered"], t["exit_empty"], t["answered_within_target"]) == (2, 1, 1, 1)
    assert t["service_level"] == pytest.approx(0.5) and t["asa_s"] == 3.0
    assert pd.isna(t["abandon_wait_s_median"])


def test_agents_csv_hand_counts(qlog):
    sessions = agent_sessions(qlog.events)
    a = _by(agent_summary(qlog.events, sessions=sessions), "employee")
    # 101: ADDMEMBER to 600 and 700 at 09:00:05, never removed → to the log's end 12:35:00 (one
    # stretch, 3 h 34 min 55 s); paused in both queues 10:15–10:45 → one pause of 1800 s
    o = a["Орлова Анна"]
    assert (o["logged_in_s"], o["paused_s"], o["pauses"], o["ring_no_answer"], o["answered"]) == \
        (12895.0, 1800.0, 1, 1, 3)
    assert o["talk_s"] == 120 + 120 + 60 and o["queues"] == "600, 700"
    # 102: 09:00:10–12:20:00 = 11990 s; paused 11:40–11:50 (Совещание) and 12:00 until removed at
    # 12:20 (no UNPAUSE; the pause ends with the log-in) → 600 + 1200 s in 2 pauses
    s = a["Смирнов Павел"]
    assert (s["logged_in_s"], s["paused_s"], s["pauses"], s["answered"], s["talk_s"]) == \
        (11990.0, 1800.0, 2, 1, 180.0)
    k = a["Кузнецов Дмитрий"]
    assert (k["logged_in_s"], k["paused_s"], k["answered"], k["extension"]) == (10800.0, 0.0, 1, "103")
    p = pause_summary(sessions)
    assert p.to_dict("records") == [
        {"employee": "Орлова Анна", "reason": "Обед", "pauses": 1, "paused_s": 1800.0},
        {"employee": "Смирнов Павел", "reason": "", "pauses": 1, "paused_s": 1200.0},
        {"employee": "Смирнов Павел", "reason": "Совещание", "pauses": 1, "paused_s": 600.0}]


def test_join_to_the_cdr_by_uniqueid_and_linkedid(qlog):
    res = load_calls(DATA / "queue_cdr.csv", tz=TZ, employees=EMP)
    entries = queue_entries(qlog.events)
    calls, ent = join_queue_calls(res.calls, res.legs, entries)
    c = calls.set_index("call_id")
    # C1's callid is the linkedid of its two legs; C2, C3 their own uniqueid
    assert c.loc["1790838000.1", ["queue", "queue_outcome", "queue_wait_s"]].tolist() == ["600", "answered", 27.0]
    assert c.loc["1790838600.3", "queue_outcome"] == "answered"
    # the CDR says ANSWERED (the Queue app answered the channel); the queue_log says abandoned
    assert c.loc["1790839200.5", ["queue_outcome", "queue_wait_s"]].tolist() == ["abandoned", 45.0]
    assert pd.isna(c.loc["1790848800.14", "queue"])            # an outgoing call never queued
    assert int(ent["call_id"].notna().sum()) == 3
    q = _by(queue_summary(ent), "queue")
    assert (q["600"]["matched_calls"], q["700"]["matched_calls"]) == (3, 0)


def test_pbxware_queue_log_table():
    q = load_queue_log(DATA / "queue_log_pbxware.csv", tz=TZ)
    r = q.report
    # 10 rows = 5 events each written twice with another uid
    assert (r.rows_read, r.rows_loaded, r.duplicates, r.reconciled) == (10, 5, 5, True)
    assert any("'type' column" in n for n in r.notes)
    # date_time is Unix UTC (preferred to the local 'time' column, five hours behind)
    assert str(q.events["time"].iloc[0]) == "2026-10-01 10:00:00+03:00"
    s = queue_summary(queue_entries(q.events)).iloc[0]
    assert (s["queue"], s["offered"], s["answered"], s["abandoned"], s["answered_within_target"]) == \
        ("sales", 2, 1, 1, 1)
    assert (s["asa_s"], s["abandon_wait_s_median"], s["service_level"]) == (12.0, 30.0, 0.5)
    a = agent_summary(q.events).iloc[0]
    # Agent/1115 never logs in or out (a static member): log-in time unknown, not zero
    assert a["employee"] == "1115" and pd.isna(a["logged_in_s"]) and a["answered"] == 1


def test_dump_queuelog_table_with_double_encoded_member():
    q = load_queue_log(DATA / "dump_mysqldump.sql", tz=TZ, employees=EMP)
    assert (q.report.rows_read, q.report.rows_loaded) == (9, 9)
    s = queue_summary(queue_entries(q.events)).iloc[0]
    # answered by 'Белова Марина' (stored as 'Ð‘ÐµÐ»Ð¾Ð²Ð°…') after 40 s; abandoned after 20 s
    assert (s["offered"], s["answered"], s["abandoned"], s["answered_within_target"]) == (2, 1, 1, 0)
    a = _by(agent_summary(q.events), "employee")
    assert a["Белова Марина"]["extension"] == "104" and a["Белова Марина"]["answered"] == 1
    # ADDMEMBER 09:00:06, no removal, the log ends 11:00:20
    assert a["Белова Марина"]["logged_in_s"] == 7214.0


def test_member_keys():
    assert [member_key(a) for a in ("PJSIP/4951234567", "SIP/101-0000001", "Agent/1001", "Орлова Анна")] == \
        ["4951234567", "101", "1001", "Орлова Анна"]


def _emp_csv(tmp_path: Path) -> Path:
    f = tmp_path / "employees.csv"
    EMP.rename(columns={"employee": "name"}).to_csv(f, index=False)
    return f


def test_callkit_metrics_with_a_queue_log(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["metrics", str(DATA / "queue_cdr.csv"), "--queue-log", str(DATA / "queue_log"),
                 "--employees", str(_emp_csv(tmp_path)), "--out", str(out)]) == 0
    assert "queue_log: 45 event(s) read, 42 loaded, 2 rejected, 1 duplicate(s)" in capsys.readouterr().err
    q = pd.read_csv(out / "queues.csv", dtype={"queue": str}).set_index("queue")
    assert list(q.columns[:8]) == ["offered", "answered", "abandoned", "timeout", "answered_within_target",
                                   "service_level", "asa_s", "abandon_wait_s_median"]
    # the hand counts of test_queues_csv_hand_counts, through the CLI
    assert q.loc["600", ["offered", "answered", "abandoned", "timeout", "answered_within_target"]].tolist() == \
        [9, 3, 2, 1, 2]
    assert q.loc["600", "service_level"] == pytest.approx(2 / 7) and q.loc["600", "matched_calls"] == 3
    a = pd.read_csv(out / "agents.csv").set_index("employee")
    assert list(a.columns[:4]) == ["logged_in_s", "paused_s", "ring_no_answer", "answered"]
    assert a.loc["Орлова Анна", ["logged_in_s", "paused_s", "ring_no_answer", "answered"]].tolist() == \
        [12895.0, 1800.0, 1, 3]
    p = pd.read_csv(out / "pauses.csv", keep_default_na=False)
    assert p.loc[p["reason"] == "Совещание", "paused_s"].tolist() == [600.0]
    qc = pd.read_csv(out / "queue_calls.csv", dtype=str)
    assert qc.loc[qc["outcome"] == "abandoned", "callid"].tolist() == ["1790839200.5", "1790839800.6"]
    calls = pd.read_csv(out / "calls.csv", dtype={"call_id": str})
    c = calls.set_index("call_id")
    assert c.loc["1790839200.5", "queue_outcome"] == "abandoned" and c.loc["1790839200.5", "status"] == "missed"


def test_profile_with_a_dump_uses_its_queuelog(tmp_path):
    from callkit.audit import build_audit
    from callkit.profile import profile_from_dict
    prof = profile_from_dict({"client": "Тест", "slug": "t", "calls": [str(DATA / "dump_mysqldump.sql")],
                              "employees": str(_emp_csv(tmp_path)), "period": {"start": "2026-10-01",
                                                                                "end": "2026-10-01"}},
                             base=tmp_path)
    audit = build_audit(prof)
    q = audit.queues.queues.iloc[0]
    # the dump's queuelog: 2 entries, both calls of the dump's cdr (linkedid 1790838000.1, uniqueid
    # 1790841600.3)
    assert (q["queue"], q["offered"], q["answered"], q["abandoned"], q["matched_calls"]) == ("600", 2, 1, 1, 2)
    assert any("2 из 2 звонков в очередь найдены в выгрузке" in n for n in audit.notes)


def _queue_audit():
    from callkit.audit import audit_from_load
    res = load_calls(DATA / "queue_cdr.csv", tz=TZ, employees=EMP)
    return audit_from_load(res, employees=EMP, queue_log=load_queue_log(DATA / "queue_log", tz=TZ,
                                                                        employees=EMP))


def test_report_traffic_section_and_workbook_sheets(tmp_path):
    import openpyxl

    from callkit import report
    from callkit.profile import profile_from_dict
    prof = profile_from_dict({"client": "Тест", "slug": "t"}, check_files=False)
    audit = _queue_audit()
    ctx = report.prepare(prof, audit=audit)
    html = "".join(getattr(o, "_repr_html_", lambda: "")() or "" for o in report.section_traffic(ctx))
    assert report.TEXTS["queues_head"]["ru"] in html
    assert "Уровень сервиса" in html and "28,6\u00a0%" in html          # 2/7 for queue 600
    assert "Брошенные в очереди звонки: 2 из 2" in html
    assert "+7 975 ***-**-11" in html and "89750001111" not in html      # callers masked
    wb = openpyxl.load_workbook(report.write_workbook(ctx.audit, tmp_path / "a.xlsx", profile=prof))
    names = [report.SHEET_NAMES[k][0] for k in ("queues", "agents", "pauses", "abandoned")]
    assert all(n in wb.sheetnames for n in names)
    rows = [r for r in wb[names[1]].iter_rows(values_only=True) if any(v is not None for v in r)]
    head = next(r for r in rows if r[0] == "Менеджер")
    assert head[:5] == ("Менеджер", "В очереди, с", "На паузе, с", "Не взял трубку", "Отвечено")
    # without a queue_log there is no queue block and no queue sheet
    none = report.prepare(prof, audit=dataclasses.replace(audit, queues=None))
    html = "".join(getattr(o, "_repr_html_", lambda: "")() or "" for o in report.section_traffic(none))
    assert report.TEXTS["queues_head"]["ru"] not in html


def test_queue_log_records_the_text_layer_rejected(tmp_path):
    # a never-written block of NULs over line 3 of a queue_log (a power loss): the record is
    # rejected with that reason, once, its raw text shown as [NUL×N]; the other events load
    lines = (DATA / "queue_log").read_text(encoding="utf-8").splitlines()[:5]
    damaged = "\n".join(lines[:2]) + "\n" + "\x00" * 100 + lines[2][10:] + "\n" + "\n".join(lines[3:]) + "\n"
    p = tmp_path / "queue_log"
    p.write_bytes(damaged.encode())
    r = load_queue_log(p, tz=TZ).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.reconciled) == (5, 4, 1, True)
    assert r.rejected["source_row"].tolist() == [3]
    assert r.rejected["reason"].iloc[0].startswith("has NUL bytes")
    assert r.rejected["raw"].iloc[0].startswith("[NUL×100]")
