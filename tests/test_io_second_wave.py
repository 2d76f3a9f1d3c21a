"""Second-wave layouts (FORMATS.md §7): CDR tables as they are handed over, other PBXs' logs and
web reports — each from a small synthetic file in tests/data/io/ with hand-worked sessions,
statuses and directions (times Europe/Moscow unless said)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from callkit.cli import main
from callkit.io import load_calls
from callkit.io.lenient import slash_date_order, slash_dates_to_iso, split_record
from tests.test_io_formats import _check, _row

DATA = Path(__file__).parent / "data" / "io"
TZ = "Europe/Moscow"


def _report(res, fmt: str, read: int, loaded: int, rejected: int, duplicates: int, sessions: int) -> None:
    rep = res.report
    assert (rep.format, rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.duplicates, rep.sessions) == \
        (fmt, read, loaded, rejected, duplicates, sessions)
    assert rep.rows_read == rep.rows_loaded + rep.rows_rejected + rep.duplicates


def _validate_json(capsys, *paths: Path, tz: str = TZ, extra: tuple[str, ...] = ()) -> dict:
    assert main(["validate", *map(str, paths), "--tz", tz, "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


# ----------------------------------------------------------------------------- lenient helpers

def test_split_record_unescaped_quotes():
    # FreePBX quotes a field only when it holds a comma and never escapes inner quotes
    assert split_record('x,""Smith, J" <103>",103', ",", 3) == ["x", '"Smith, J" <103>', "103"]
    # an unquoted value that starts with a quote, then a properly quoted one with commas
    assert split_record('x,"User 10" <114>,"SIP/114,20,tr",5', ",", 4)[2:] == ["SIP/114,20,tr", "5"]
    assert split_record("a,b,c", ",", 2) is None


def test_slash_date_order_from_the_data():
    # a number above 12 decides …
    assert slash_date_order(pd.Series(["1/10/2026 9:00", "13/10/2026 9:00"]), tz=TZ)[0] == "dmy"
    assert slash_date_order(pd.Series(["10/1/2026 9:00", "10/13/2026 9:00"]), tz=TZ)[0] == "mdy"
    # … else the uniqueid clock: 1790922600 is 2026-10-02 09:30 in Moscow, so 10/2 is month first
    order, why = slash_date_order(pd.Series(["10/2/2026 9:30"]), tz=TZ, epochs=pd.Series([1790922600.0]))
    assert order == "mdy" and "uniqueid" in why
    # … else the default, and the reason says it was not decided by the data
    order, why = slash_date_order(pd.Series(["10/2/2026 9:30"]), tz=TZ)
    assert order == "dmy" and "check with the client" in why
    assert slash_dates_to_iso(pd.Series(["1/10/26 9:05", "10/01/26 01:00PM"]), "dmy").tolist() == \
        ["2026-10-01 09:05:00", "2026-01-10 13:00:00"]


# ----------------------------------------------------------------------------- FreePBX download

def test_freepbx_download_overlapping_files(capsys):
    res = load_calls([DATA / "freepbx_download_1.csv", DATA / "freepbx_download_2.csv"], tz=TZ)
    # file 1: 6 records (newest first), file 2: 3 records, 2 of them the same as file 1's last two
    _report(res, "freepbx_download", read=9, loaded=7, rejected=0, duplicates=2, sessions=5)
    c = res.calls
    # queue call 1790838000.1: leg 101 NO ANSWER (10:00:00, 15 s), leg 104 ANSWERED from 10:00:15,
    # duration 205 → end 10:03:40, billsec 180 → answered 10:00:40: ring 40, talk 180, by 104
    _check(_row(c, "1790838000.1"), direction="incoming", status="answered", employee="104",
           client_number="+79720123456", ring_s=40.0, talk_s=180.0)
    # rang 101 and 102 for 20 s, nobody answered: missed, no single employee
    _check(_row(c, "1790841600.3"), direction="incoming", status="missed", employee=None, ring_s=20.0)
    # clid "User 102" <102> unquoted; lastdata with commas quoted: 130 s − 120 s billsec → ring 10
    _check(_row(c, "1790845200.5"), direction="outgoing", status="answered", employee="102",
           client_number="+79750001111", ring_s=10.0, talk_s=120.0)
    # clid ""Smith, J" <103>" (a comma and unescaped quotes) no longer shifts the columns
    _check(_row(c, "1790848800.7"), direction="internal", status="answered", employee="103", talk_s=60.0)
    _check(_row(c, "1790836200.9"), direction="incoming", status="answered", employee="101",
           client_number="+74950023456", ring_s=10.0, talk_s=60.0)
    assert any("grouped by uniqueid" in n for n in res.report.notes)
    rep = _validate_json(capsys, DATA / "freepbx_download_1.csv", DATA / "freepbx_download_2.csv")
    assert (rep["format"], rep["rows_read"], rep["duplicates"], rep["sessions"], rep["reconciled"]) == \
        ("freepbx_download", 9, 2, 5, True)


# ----------------------------------------------------------------------------- Bicom PBXware

def test_pbxware_nulls_and_trunk_retries(capsys):
    res = load_calls(DATA / "pbxware_cdr.csv", tz="America/Bogota")
    _report(res, "pbxware", read=5, loaded=5, rejected=0, duplicates=0, sessions=3)
    assert "pbxware_cdr.csv: 5 NULL literal(s) read as empty fields" in res.report.notes
    assert not any("uniqueid clock" in n for n in res.report.notes)
    c = res.calls
    # one uniqueid on two rows: trunk1 FAILED, then trunk2 answered 10:00:02 + (98 − 90) s → ring 10
    _check(_row(c, "1790866800.10"), direction="outgoing", status="answered", employee="1115",
           client_number="+79750001111", ring_s=10.0, talk_s=90.0)
    # ring group: two uniqueids, one linkedid; 1115 no answer, 1116 answered after 20 s, did = line
    _check(_row(c, "1790867100.20"), direction="incoming", status="answered", employee="1116",
           client_number="+74950023456", line="74950011111", ring_s=20.0, talk_s=30.0)
    # dstchannel NULL: the person rung is dst 1115
    _check(_row(c, "1790867400.30"), direction="incoming", status="missed", employee="1115", ring_s=15.0)
    assert str(_row(c, "1790866800.10")["start"]) == "2026-10-01 10:00:00-05:00"
    # read in the wrong zone, the calldate runs 8 hours off the uniqueid clock: said in a note
    moscow = load_calls(DATA / "pbxware_cdr.csv", tz=TZ)
    assert any("-8 h off the uniqueid clock" in n for n in moscow.report.notes)
    rep = _validate_json(capsys, DATA / "pbxware_cdr.csv", tz="America/Bogota")
    assert (rep["format"], rep["rows_loaded"], rep["sessions"], rep["reconciled"]) == ("pbxware", 5, 3, True)


# ----------------------------------------------------------------------------- spreadsheets

def test_spreadsheet_master_day_first_from_a_day_above_12(capsys):
    res = load_calls(DATA / "spreadsheet_master.csv", tz=TZ)
    _report(res, "spreadsheet_cdr", read=3, loaded=3, rejected=0, duplicates=0, sessions=2)
    assert any("read day first: a day above 12" in n for n in res.report.notes)
    c = res.calls
    # 1/10/2026 is 1 October: queue call, 101 no answer, 104 answers 10:00:40 → ring 40, talk 180
    r = _row(c, "1790838000.1")
    _check(r, direction="incoming", status="answered", employee="104", ring_s=40.0, talk_s=180.0)
    assert str(r["start"]) == "2026-10-01 10:00:00+03:00"
    assert str(_row(c, "1791882000.5")["start"]) == "2026-10-13 12:00:00+03:00"
    rep = _validate_json(capsys, DATA / "spreadsheet_master.csv")
    assert (rep["format"], rep["rows_read"], rep["sessions"], rep["reconciled"]) == ("spreadsheet_cdr", 3, 2, True)


def test_spreadsheet_db_export_month_first_from_the_uniqueid_clock():
    res = load_calls(DATA / "spreadsheet_db_mdy.csv", tz=TZ)
    _report(res, "spreadsheet_cdr", read=2, loaded=2, rejected=0, duplicates=0, sessions=2)
    # 10/2/2026 9:30 fits both orders; uniqueid 1790922600 is 2 October 09:30 Moscow → month first
    assert any("read month first: the uniqueid clock agrees" in n for n in res.report.notes)
    c = res.calls
    r = _row(c, "1790922600.1")
    _check(r, direction="incoming", status="answered", employee="101", ring_s=10.0, talk_s=60.0)
    assert str(r["start"]) == "2026-10-02 09:30:00+03:00"
    _check(_row(c, "1790923200.2"), direction="outgoing", status="missed", employee="101", ring_s=25.0)


def test_minimal_six_columns_cr_only(capsys):
    res = load_calls(DATA / "minimal_cr.csv", tz=TZ)
    # CR-only line ends; header + 4 records; no uniqueid: a row is a call, keyed file:line
    _report(res, "cdr_minimal", read=4, loaded=4, rejected=0, duplicates=0, sessions=4)
    c = res.calls
    # 01/10/26 10:00, 75 s, billsec 60 → answered 10:00:15
    r = _row(c, "minimal_cr.csv:2")
    _check(r, direction="incoming", status="answered", employee="101", client_number="+79720123456",
           ring_s=15.0, talk_s=60.0)
    assert str(r["start"]) == "2026-10-01 10:00:00+03:00"
    _check(_row(c, "minimal_cr.csv:3"), direction="outgoing", status="missed", employee="102", ring_s=30.0)
    _check(_row(c, "minimal_cr.csv:4"), direction="internal", status="answered", employee="101",
           ring_s=5.0, talk_s=35.0)
    # 13/10/26 decides day first
    r = _row(c, "minimal_cr.csv:5")
    _check(r, direction="incoming", status="busy", employee="101", ring_s=20.0)
    assert str(r["start"]) == "2026-10-13 11:00:00+03:00"
    rep = _validate_json(capsys, DATA / "minimal_cr.csv")
    assert (rep["format"], rep["rows_read"], rep["sessions"], rep["reconciled"]) == ("cdr_minimal", 4, 4, True)


def test_junk_rows_rejected_with_reasons(tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(
        "calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,"
        "amaflags,accountcode,uniqueid,userfield,linkedid\n"
        "2026-10-01 10:00:00,,101,102,from-internal,SIP/101-1,SIP/102-2,Dial,SIP/102,30,20,ANSWERED,3,,"
        "1790838000.1,,1790838000.1\n"
        "2026-10-01 10:05:00,,101,103,from-internal,SIP/101-3,SIP/103-4,Dial,SIP/103,30,20,ANSWERED,3,,"
        "1790838300.2,,1790838300.2\n"
        "1000-01-01 00:00:00,test row,,,,,,,,0,0,NO ANSWER,3,,,,\n"
        "0000-00-00 00:00:00,,,,,,,,,0,0,NO ANSWER,3,,,,\n", encoding="utf-8")
    res = load_calls(f, tz=TZ)
    _report(res, "asterisk_db", read=4, loaded=2, rejected=2, duplicates=0, sessions=2)
    reasons = res.report.rejected["reason"].tolist()
    assert "placeholder date '1000-01-01 00:00:00'" in reasons[0]
    assert "placeholder date '0000-00-00 00:00:00'" in reasons[1]


# ----------------------------------------------------------------------------- Yeastar

def test_yeastar(capsys):
    emp = pd.DataFrame({"extension": ["1001", "1002", "1003"], "employee": ["Орлова", "Смирнов", "Кузнецов"],
                        "department": ["Продажи"] * 3})
    res = load_calls(DATA / "yeastar_cdr.csv", tz=TZ, employees=emp)
    _report(res, "yeastar", read=6, loaded=5, rejected=1, duplicates=0, sessions=5)
    assert "'status' has 'SOMETHING'" in res.report.rejected["reason"].iloc[0]
    c = res.calls
    # callduraction 95, talkduraction 80 → answered 15 s after the start; the DID is the line
    _check(_row(c, "1790838000.11"), direction="incoming", status="answered", employee="Орлова",
           client_number="+79720123456", line="74950011111", ring_s=15.0, talk_s=80.0)
    _check(_row(c, "1790841600.12"), direction="outgoing", status="missed", employee="Смирнов",
           client_number="+79750001111", ring_s=40.0)
    _check(_row(c, "1790845200.13"), direction="internal", status="answered", employee="Орлова",
           ring_s=5.0, talk_s=60.0)
    # to ring group 6300 (not in the directory): missed, nobody in particular
    _check(_row(c, "1790848800.14"), direction="incoming", status="missed", employee=None, ring_s=30.0)
    # reached voicemail: not answered by a person
    _check(_row(c, "1790852400.15"), direction="incoming", status="missed", employee="Смирнов", talk_s=0.0)
    rep = _validate_json(capsys, DATA / "yeastar_cdr.csv")
    assert (rep["format"], rep["rows_read"], rep["rows_rejected"], rep["reconciled"]) == ("yeastar", 6, 1, True)


# ----------------------------------------------------------------------------- Avaya IP Office

def test_avaya_smdr_continuation(capsys):
    res = load_calls(DATA / "avaya_smdr.csv", tz=TZ)
    _report(res, "avaya_smdr", read=7, loaded=6, rejected=1, duplicates=0, sessions=5)
    assert "'Call Start' has '2026/13/01 15:00:00'" in res.report.rejected["reason"].iloc[0]
    c = res.calls
    # Call ID 1000001: segment 1 = ring 12 + connected 60 + hold 5 (10:00:00–10:01:17, answered by
    # 201 at 10:00:12); segment 2 (continuation) starts 10:01:17, ring 3 → 202 answers 10:01:20
    # and talks 120 s → talk = 65 + 120 = 185 s; the first answerer handled the call
    _check(_row(c, "1000001"), direction="incoming", status="answered", employee="201",
           client_number="+79720123456", line="74950011111", ring_s=12.0, talk_s=185.0)
    _check(_row(c, "1000002"), direction="outgoing", status="answered", employee="202",
           client_number="+79750001111", ring_s=0.0, talk_s=130.0)
    _check(_row(c, "1000003"), direction="internal", status="answered", employee="201", talk_s=45.0)
    _check(_row(c, "1000004"), direction="incoming", status="missed", employee="203", ring_s=25.0)
    # answered by voicemail (V9501) only: missed, flagged machine_answered
    _check(_row(c, "1000005"), direction="incoming", status="missed", employee=None, machine_answered=True)
    rep = _validate_json(capsys, DATA / "avaya_smdr.csv")
    assert (rep["format"], rep["sessions"], rep["machine_answered"], rep["reconciled"]) == ("avaya_smdr", 5, 1, True)


def test_avaya_smdr_with_header(tmp_path):
    f = tmp_path / "smdr.csv"
    f.write_text("Call Start,Connected Time,Ring Time,Caller,Direction,Called Number,Dialled Number,Account,"
                 "Is Internal,Call ID,Continuation,Party1Device,Party1Name,Party2Device,Party2Name,Hold Time,"
                 "Park Time\n"
                 "2026/10/01 10:00:00,00:00:50,7,89720123456,I,201,74950011111,,0,2000001,0,E201,A,T9001,"
                 "Line 1.1,0,0\n", encoding="utf-8")
    res = load_calls(f, tz=TZ)
    _report(res, "avaya_smdr", read=1, loaded=1, rejected=0, duplicates=0, sessions=1)
    _check(res.calls.iloc[0], direction="incoming", status="answered", employee="201", ring_s=7.0, talk_s=50.0)


# ----------------------------------------------------------------------------- Panasonic

def test_panasonic_smdr(capsys):
    res = load_calls(DATA / "panasonic_smdr.txt", tz=TZ)
    # 15 lines: 2 page headers (6 lines of dashes and titles), 1 LOG IN line, 8 records (1 bad)
    _report(res, "panasonic_smdr", read=7, loaded=6, rejected=1, duplicates=0, sessions=6)
    assert any("1 status line(s)" in n for n in res.report.notes)
    assert any("month first: a day above 12 in the second place (10/13/26)" in n for n in res.report.notes)
    c = res.calls
    # the time is the END, to the minute: 10:01AM − 1'00 talk − 0'15 ring → started 09:59:45
    r = _row(c, "panasonic_smdr.txt:4")
    _check(r, direction="incoming", status="answered", employee="101", client_number="+79720123456",
           ring_s=15.0, talk_s=60.0)
    assert str(r["start"]) == "2026-10-01 09:59:45+03:00"
    _check(_row(c, "panasonic_smdr.txt:5"), direction="outgoing", status="answered", employee="102",
           client_number="+79750001111", talk_s=130.0)
    _check(_row(c, "panasonic_smdr.txt:6"), direction="internal", status="answered", employee="103",
           talk_s=45.0)
    _check(_row(c, "panasonic_smdr.txt:7"), direction="incoming", status="missed", employee="101", ring_s=25.0)
    # <D>74950011111<I>89730012345: the DDI is the line
    _check(_row(c, "panasonic_smdr.txt:9"), direction="incoming", status="answered", employee="101",
           client_number="+79730012345", line="74950011111", ring_s=10.0, talk_s=290.0)
    assert str(_row(c, "panasonic_smdr.txt:13")["start"]) == "2026-10-13 09:09:00+03:00"
    rep = _validate_json(capsys, DATA / "panasonic_smdr.txt")
    assert (rep["format"], rep["rows_read"], rep["rows_rejected"], rep["reconciled"]) == \
        ("panasonic_smdr", 7, 1, True)


# ----------------------------------------------------------------------------- Sipuni, UIS web

def test_sipuni_24_columns(capsys):
    res = load_calls(DATA / "sipuni_24.csv", tz=TZ)
    _report(res, "sipuni", read=3, loaded=3, rejected=0, duplicates=0, sessions=3)
    c = res.calls
    _check(_row(c, "1790838000.1001"), direction="incoming", status="answered", employee="201",
           client_number="+79720123456", ring_s=15.0, talk_s=80.0)
    # outgoing: "Исходящая линия" is the line it went out through
    _check(_row(c, "1790841600.1002"), direction="outgoing", status="answered", employee="202",
           client_number="+79730012345", line="74950011111", ring_s=10.0, talk_s=60.0)
    _check(_row(c, "1790845200.1003"), direction="incoming", status="missed", employee=None, ring_s=30.0)
    assert _validate_json(capsys, DATA / "sipuni_24.csv")["reconciled"]


def test_uis_web_report_with_title_lines(capsys):
    res = load_calls(DATA / "uis_web_report.csv", tz=TZ)
    _report(res, "uis_web", read=3, loaded=3, rejected=0, duplicates=0, sessions=3)
    assert res.report.encoding == "cp1251"
    c = res.calls
    # ожидание 00:00:20, разговор 00:02:00
    _check(_row(c, "5001"), direction="incoming", status="answered", employee="Сидоров Сергей",
           client_number="+79720123456", line="74950011111", ring_s=20.0, talk_s=120.0)
    _check(_row(c, "5002"), direction="incoming", status="missed", employee=None, ring_s=30.0, talk_s=0.0)
    _check(_row(c, "5003"), direction="outgoing", status="answered", employee="Петрова Анна", ring_s=10.0,
           talk_s=60.0)
    rep = _validate_json(capsys, DATA / "uis_web_report.csv")
    assert (rep["format"], rep["encoding"], rep["reconciled"]) == ("uis_web", "cp1251", True)


def test_uis_web_report_many_title_lines(tmp_path):
    lines = [f"Фильтр {i}" for i in range(12)] + [
        "Статус;Тип;Дата и время;Номер абонента;Длительность звонка;Длительность ожидания ответа;"
        "Длительность разговора;Сотрудник",
        "Успешный;Входящий;2026-10-01 10:00:00;79720123456;00:01:10;00:00:10;00:01:00;Сидоров Сергей"]
    f = tmp_path / "uis.csv"
    f.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    res = load_calls(f, tz=TZ)
    _report(res, "uis_web", read=1, loaded=1, rejected=0, duplicates=0, sessions=1)
    assert "uis.csv: 12 line(s) above the header were skipped (titles, not calls)" in res.report.notes
