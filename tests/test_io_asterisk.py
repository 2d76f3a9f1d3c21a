"""Asterisk cdr_csv loading and leg folding, on a log small enough to check by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from callkit.errors import InputError
from callkit.io import load_calls
from tests.asterisk_rows import cdr_line

DAY = "2026-10-01 "
TRUNK = "SIP/trunk_mango-0000000{}"


def _queue_call() -> list[str]:
    # Call A: client rings the queue; 101 no answer, 102 busy, 103 no answer, 104 answers.
    common = dict(src="89720123456", dst="74950011111", channel=TRUNK.format(1), lastapp="Queue",
                  lastdata="sales,tT,,,300", uniqueid="1001.1", dcontext="from-trunk",
                  clid='"Клиент" <89720123456>')
    return [
        cdr_line(**common, dstchannel="SIP/101-00000002", start=DAY + "10:00:00", end=DAY + "10:00:15",
                 duration=15, billsec=0, disposition="NO ANSWER"),
        cdr_line(**common, dstchannel="SIP/102-00000003", start=DAY + "10:00:15", end=DAY + "10:00:16",
                 duration=1, billsec=0, disposition="BUSY"),
        cdr_line(**common, dstchannel="SIP/103-00000004", start=DAY + "10:00:16", end=DAY + "10:00:31",
                 duration=15, billsec=0, disposition="NO ANSWER"),
        cdr_line(**common, dstchannel="SIP/104-00000005", start=DAY + "10:00:31", answer=DAY + "10:00:40",
                 end=DAY + "10:03:40", duration=189, billsec=180, disposition="ANSWERED"),
    ]


def _other_calls() -> list[str]:
    return [
        # Call B: rings 101 and 102 together (lastdata with commas and '&'), nobody answers
        cdr_line(src="84950012345", dst="74950011111", channel=TRUNK.format(6), dstchannel="SIP/101-0000000a",
                 lastdata="SIP/101&SIP/102,30,tT", start=DAY + "11:00:00", end=DAY + "11:00:30", duration=30,
                 billsec=0, disposition="NO ANSWER", uniqueid="1002.1"),
        cdr_line(src="84950012345", dst="74950011111", channel=TRUNK.format(6), dstchannel="SIP/102-0000000b",
                 lastdata="SIP/101&SIP/102,30,tT", start=DAY + "11:00:00", end=DAY + "11:00:30", duration=30,
                 billsec=0, disposition="NO ANSWER", uniqueid="1002.1"),
        # Call C: rings only 101, unanswered
        cdr_line(src="+79730000001", dst="101", channel=TRUNK.format(7), dstchannel="SIP/101-0000000c",
                 start=DAY + "11:05:00", end=DAY + "11:05:20", duration=20, billsec=0, disposition="NO ANSWER",
                 uniqueid="1003.1"),
        # Call D: 102 calls a client out, answered after 10 s, 120 s of talk
        cdr_line(src="102", dst="89750001111", channel="PJSIP/102-0000000d", dstchannel=TRUNK.format(8),
                 start=DAY + "12:00:00", answer=DAY + "12:00:10", end=DAY + "12:02:10", duration=130,
                 billsec=120, disposition="ANSWERED", uniqueid="1004.1"),
        # Call E: 101 calls colleague 103
        cdr_line(src="101", dst="103", channel="SIP/101-0000000e", dstchannel="SIP/103-0000000f",
                 start=DAY + "13:00:00", answer=DAY + "13:00:05", end=DAY + "13:01:05", duration=65,
                 billsec=60, disposition="ANSWERED", uniqueid="1005.1"),
        # Call F: answered by an announcement only (Playback), no person
        cdr_line(src="89720123456", dst="74950011111", channel=TRUNK.format(9), lastapp="Playback",
                 lastdata="closed", start=DAY + "14:00:00", answer=DAY + "14:00:00", end=DAY + "14:00:20",
                 duration=20, billsec=20, disposition="ANSWERED", uniqueid="1006.1"),
    ]


@pytest.fixture
def employees(tmp_path):
    p = tmp_path / "employees.csv"
    p.write_text("Добавочный;ФИО;Отдел\n101;Орлова Анна;Продажи\n102;Зимин Олег;Продажи\n"
                 "103;Лисин Петр;Сервис\n104;Мухина Вера;Продажи\n", encoding="utf-8")
    return p


@pytest.fixture
def master(tmp_path):
    lines = _queue_call() + _other_calls()
    bad = [
        lines[6],                                    # exact duplicate of call D's line → dropped
        '"","101","102","from-internal"',            # truncated line: 4 fields
        cdr_line(src="101", dst="102", channel="SIP/101-1", start="yesterday", end=DAY + "15:00:00",
                 duration=1, billsec=0, disposition="NO ANSWER", uniqueid="1007.1"),
        cdr_line(src="101", dst="102", channel="SIP/101-2", start=DAY + "15:00:00", end=DAY + "15:00:05",
                 duration=-5, billsec=0, disposition="NO ANSWER", uniqueid="1008.1"),
    ]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines + bad) + "\n", encoding="utf-8")
    return p


def test_report_reconciles_by_hand(master, employees):
    res = load_calls(master, employees=employees, own_numbers=["+74950011111"])
    r = res.report
    # 10 good lines (4 + 2 + 1 + 1 + 1 + 1) + 1 duplicate + 3 bad = 14 read; 10 loaded, 6 sessions
    assert r.format == "asterisk_csv"
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.duplicates, r.sessions) == (14, 10, 3, 1, 6)
    reasons = dict(zip(r.rejected["source_row"], r.rejected["reason"]))
    assert "4 fields" in reasons[12]
    assert "'start'" in reasons[13] and "yesterday" in reasons[13]
    assert "'duration'" in reasons[14] and "-5" in reasons[14]


def test_queue_call_folds_into_one_answered_session(master, employees):
    calls = load_calls(master, employees=employees, own_numbers=["+74950011111"]).calls.set_index("call_id")
    a = calls.loc["1001.1"]
    assert a["direction"] == "incoming" and a["status"] == "answered"
    assert a["employee"] == "Мухина Вера" and a["extension"] == "104" and a["department"] == "Продажи"
    # first ring 10:00:00, answer 10:00:40 → ring 40 s; talk until 10:03:40 → 180 s
    assert a["ring_s"] == 40 and a["talk_s"] == 180
    assert a["client_number"] == "+79720123456" and a["number_type"] == "mobile"
    assert a["line"] == "+74950011111"
    assert str(a["start"]) == "2026-10-01 10:00:00+03:00"


def test_missed_sessions_name_the_employee_only_when_one_rang(master, employees):
    calls = load_calls(master, employees=employees, own_numbers=["+74950011111"]).calls.set_index("call_id")
    b, c = calls.loc["1002.1"], calls.loc["1003.1"]
    assert b["status"] == "missed" and pd.isna(b["employee"]) and b["ring_s"] == 30 and b["talk_s"] == 0
    assert b["number_type"] == "landline" and b["client_number"] == "+74950012345"
    assert c["status"] == "missed" and c["employee"] == "Орлова Анна"


def test_outgoing_internal_and_machine_answered(master, employees):
    calls = load_calls(master, employees=employees, own_numbers=["+74950011111"]).calls.set_index("call_id")
    d, e, f = calls.loc["1004.1"], calls.loc["1005.1"], calls.loc["1006.1"]
    assert (d["direction"], d["status"], d["employee"], d["talk_s"], d["ring_s"]) == \
        ("outgoing", "answered", "Зимин Олег", 120, 10)
    assert d["client_number"] == "+79750001111"
    assert (e["direction"], e["employee"], e["peer_employee"], e["talk_s"]) == \
        ("internal", "Орлова Анна", "Лисин Петр", 60)
    assert pd.isna(e["client_number"]) and pd.isna(e["number_type"])
    # answered by Playback only: counts as missed, flagged
    assert f["status"] == "missed" and bool(f["machine_answered"]) and pd.isna(f["employee"])
    assert not calls["machine_answered"].drop("1006.1").any()


def test_legs_are_kept(master, employees):
    res = load_calls(master, employees=employees, own_numbers=["+74950011111"])
    legs = res.legs
    assert len(legs) == 10
    q = legs[legs["call_id"] == "1001.1"].sort_values("start")
    assert q["extension"].tolist() == ["101", "102", "103", "104"]
    assert q["leg_status"].tolist() == ["missed", "busy", "missed", "answered"]


def test_without_directory_extension_is_the_employee(master):
    calls = load_calls(master, own_numbers=["+74950011111"]).calls.set_index("call_id")
    assert calls.loc["1001.1", "employee"] == "104" and pd.isna(calls.loc["1001.1", "department"])


@pytest.mark.parametrize("columns", [16, 17, 18])
def test_shorter_forms(tmp_path, columns):
    lines = [cdr_line(src="102", dst="89750001111", channel="SIP/102-1", dstchannel="SIP/trunk-2",
                      start=DAY + "12:00:00", answer=DAY + "12:00:10", end=DAY + "12:02:10", duration=130,
                      billsec=120, disposition="ANSWERED", uniqueid="1700000000.5", columns=columns),
             cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                      start=DAY + "12:10:00", end=DAY + "12:10:20", duration=20, billsec=0,
                      disposition="NO ANSWER", uniqueid="1700000600.6", columns=columns)]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = load_calls(p)
    assert res.report.format == "asterisk_csv" and res.report.sessions == 2
    calls = res.calls.sort_values("start")
    assert calls["direction"].tolist() == ["outgoing", "incoming"]
    assert calls["status"].tolist() == ["answered", "missed"]
    assert calls["talk_s"].tolist() == [120, 0]


def test_cp1251_and_stray_byte(tmp_path):
    line = cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                    clid='"Иванов" <89750001111>', start=DAY + "12:10:00", end=DAY + "12:10:20",
                    duration=20, billsec=0, disposition="NO ANSWER", uniqueid="1.1")
    p1 = tmp_path / "cp.csv"
    p1.write_bytes((line + "\n").encode("cp1251"))
    assert load_calls(p1).report.encoding == "cp1251"
    p2 = tmp_path / "stray.csv"
    p2.write_bytes((line + "\n").encode("utf-8").replace("Иванов".encode(), "Ив".encode() + b"\xa5" + "нов".encode()))
    r = load_calls(p2).report
    assert r.encoding == "utf-8" and r.rows_loaded == 1
    assert any("not valid UTF-8" in n for n in r.notes)


@pytest.mark.parametrize("codec, label", [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
                                          ("utf-16-be", "utf-16-be"), ("utf-32", "utf-32")])
def test_utf16_export_reads_as_its_utf8_twin(tmp_path, codec, label):
    """Excel's "Unicode text" and Windows tools write UTF-16: it was refused as binary data."""
    lines = [cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                      clid='"Иванов" <89750001111>', start=DAY + "12:10:00", end=DAY + "12:10:50",
                      duration=50, billsec=40, disposition="ANSWERED", uniqueid="1.1"),
             cdr_line(src="101", dst="89750002222", channel="SIP/101-5", dstchannel="SIP/trunk-6",
                      start=DAY + "13:00:00", end=DAY + "13:00:20", duration=20, billsec=0,
                      disposition="NO ANSWER", uniqueid="1.2")]
    text = "\n".join(lines) + "\n"
    (tmp_path / "u8.csv").write_text(text, encoding="utf-8")
    (tmp_path / "wide.csv").write_bytes(text.encode(codec))
    want, got = load_calls(tmp_path / "u8.csv"), load_calls(tmp_path / "wide.csv")
    assert got.report.encoding == label and got.report.rows_loaded == 2
    pd.testing.assert_frame_equal(got.calls.drop(columns="source_file"), want.calls.drop(columns="source_file"))
    pd.testing.assert_frame_equal(got.legs.drop(columns="source_file"), want.legs.drop(columns="source_file"))


def test_utf16_tab_separated_cyrillic_export(tmp_path):
    """Sipuni's Russian headers and values saved by Excel as "Unicode text" (UTF-16, tabs)."""
    from pathlib import Path
    src = Path(__file__).resolve().parents[1] / "data_samples" / "formats" / "sipuni.csv"
    text = src.read_text(encoding="utf-8").replace(";", "\t")
    (tmp_path / "sipuni.csv").write_bytes(text.encode("utf-16"))   # same name: call ids carry it
    want, got = load_calls(src), load_calls(tmp_path / "sipuni.csv")
    assert (got.report.format, got.report.encoding) == (want.report.format, "utf-16")
    assert got.report.rows_loaded == want.report.rows_loaded > 0
    pd.testing.assert_frame_equal(got.calls.drop(columns="source_file"), want.calls.drop(columns="source_file"))


def test_bom_less_utf16_is_told_from_text_by_its_high_bytes():
    """Without a BOM, UTF-16 is known by its high bytes: 0x00 for ASCII, 0x04 for Cyrillic (a
    Cyrillic-only header has no NUL byte at all); UTF-8, cp1251 and binary data are not UTF-16."""
    from callkit.io.text import wide_unicode_encoding
    header = "звонок;номер;длительность;направление"
    assert wide_unicode_encoding(header.encode("utf-16-le")) == "utf-16-le"
    assert wide_unicode_encoding(header.encode("utf-16-be")) == "utf-16-be"
    assert wide_unicode_encoding(("a;b;1\n" * 5).encode("utf-16-le")) == "utf-16-le"
    for other in (header.encode("utf-8"), header.encode("cp1251"), bytes(range(256)) * 4):
        assert wide_unicode_encoding(other) is None


def test_truncated_utf16_names_the_byte(tmp_path):
    line = cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                    start=DAY + "12:10:00", end=DAY + "12:10:20", duration=20, billsec=0,
                    disposition="NO ANSWER", uniqueid="1.1")
    data = (line + "\n").encode("utf-16")
    p = tmp_path / "cut.csv"
    p.write_bytes(data[:-1])   # an odd number of bytes: the last character cut in half
    with pytest.raises(InputError, match=rf"cut.csv: looks like UTF-16 text but byte {len(data) - 2} does not decode"):
        load_calls(p)


def test_same_export_twice_counts_duplicates(master, employees):
    res = load_calls([master, master], employees=employees)
    # second copy: its 10 good lines and the dup line are duplicates (1 + 11); bad lines rejected twice
    r = res.report
    assert (r.rows_read, r.rows_loaded, r.duplicates, r.rows_rejected, r.sessions) == (28, 10, 12, 6, 6)


def test_testsuite_fixture(shared_external):
    res = load_calls(shared_external / "cdr" / "asterisk_testsuite_Master.csv", tz="UTC")
    r = res.report
    assert (r.format, r.rows_read, r.rows_loaded, r.sessions) == ("asterisk_csv", 2, 2, 2)
    c = res.calls.sort_values("start")
    # Console/dsp to extension 1: answered at once, 7 s each
    assert c["talk_s"].tolist() == [7, 7] and c["ring_s"].tolist() == [0, 0]
    assert c["status"].tolist() == ["answered", "answered"]


def test_queue_number_is_not_a_person_and_department_is_inferred(tmp_path, employees):
    lines = [
        # abandoned in queue 600 before any phone rang: no employee (600 is not in the directory)
        cdr_line(src="89720123456", dst="600", channel=TRUNK.format(1), lastapp="Queue",
                 start=DAY + "09:00:00", end=DAY + "09:00:40", duration=40, billsec=0,
                 disposition="NO ANSWER", uniqueid="2001.1"),
        # rang 101 and 102 (both Продажи), nobody answered: department Продажи, employee NA
        cdr_line(src="89720123456", dst="600", channel=TRUNK.format(2), dstchannel="SIP/101-1",
                 start=DAY + "09:10:00", end=DAY + "09:10:30", duration=30, billsec=0,
                 disposition="NO ANSWER", uniqueid="2002.1"),
        cdr_line(src="89720123456", dst="600", channel=TRUNK.format(2), dstchannel="SIP/102-2",
                 start=DAY + "09:10:00", end=DAY + "09:10:30", duration=30, billsec=0,
                 disposition="NO ANSWER", uniqueid="2002.1"),
        # rang 101 (Продажи) and 103 (Сервис): no common department
        cdr_line(src="89720123456", dst="600", channel=TRUNK.format(3), dstchannel="SIP/101-3",
                 start=DAY + "09:20:00", end=DAY + "09:20:30", duration=30, billsec=0,
                 disposition="NO ANSWER", uniqueid="2003.1"),
        cdr_line(src="89720123456", dst="600", channel=TRUNK.format(3), dstchannel="SIP/103-4",
                 start=DAY + "09:20:00", end=DAY + "09:20:30", duration=30, billsec=0,
                 disposition="NO ANSWER", uniqueid="2003.1"),
    ]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = load_calls(p, employees=employees).calls.set_index("call_id")
    assert pd.isna(calls.loc["2001.1", "employee"]) and pd.isna(calls.loc["2001.1", "department"])
    assert pd.isna(calls.loc["2002.1", "employee"]) and calls.loc["2002.1", "department"] == "Продажи"
    assert pd.isna(calls.loc["2003.1", "department"])


def test_transfer_talk_excludes_the_ring_in_between(tmp_path, employees):
    # 101 answers at 10:00:05 and talks until 10:02:05 (120 s), transfers; 102 rings 20 s and
    # answers at 10:02:25, talks until 10:05:05 (160 s) → talk 280 s, not 300 s
    lines = [
        cdr_line(src="89720123456", dst="74950011111", channel=TRUNK.format(1), dstchannel="SIP/101-1",
                 start=DAY + "10:00:00", answer=DAY + "10:00:05", end=DAY + "10:02:05", duration=125,
                 billsec=120, disposition="ANSWERED", uniqueid="3001.1"),
        cdr_line(src="89720123456", dst="102", channel=TRUNK.format(1), dstchannel="SIP/102-2",
                 start=DAY + "10:02:05", answer=DAY + "10:02:25", end=DAY + "10:05:05", duration=180,
                 billsec=160, disposition="ANSWERED", uniqueid="3001.2", linkedid="3001.1"),
    ]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = load_calls(p, employees=employees).calls.iloc[0]
    assert (c["status"], c["employee"], c["ring_s"], c["talk_s"]) == ("answered", "Орлова Анна", 5, 280)


def test_local_numbers_without_area_code(tmp_path):
    # a city PBX writes incoming callers as 6-digit local numbers; two offices, two lines
    lines = [
        cdr_line(src="2149430", dst="74950011111", channel=TRUNK.format(1), dstchannel="SIP/101-1",
                 start=DAY + "09:00:00", answer=DAY + "09:00:05", end=DAY + "09:01:05", duration=65,
                 billsec=60, disposition="ANSWERED", uniqueid="4001.1"),
        cdr_line(src="214943", dst="73012000111", channel=TRUNK.format(2), dstchannel="SIP/102-2",
                 start=DAY + "09:10:00", answer=DAY + "09:10:05", end=DAY + "09:11:05", duration=65,
                 billsec=60, disposition="ANSWERED", uniqueid="4002.1"),
    ]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    own = ["+74950011111", "+73012000111"]
    plain = load_calls(p, own_numbers=own)
    assert plain.calls["number_type"].tolist() == ["invalid", "invalid"]
    assert any("2 of them look like local numbers" in n for n in plain.report.notes)
    # one area code for all: the 6-digit number completes; the 7-digit one would be 11 digits
    one = load_calls(p, own_numbers=own, area_code="3012").calls
    assert one["client_number"].tolist() == ["2149430", "+73012214943"]
    assert one["number_type"].tolist() == ["invalid", "landline"]
    # per line: the Moscow line's callers get 495, others the default
    per_line = load_calls(p, own_numbers=own, area_code="3012",
                          line_area_codes={"+74950011111": "495"}).calls.set_index("call_id")
    assert per_line.loc["4001.1", "client_number"] == "+74952149430"
    assert per_line.loc["4002.1", "client_number"] == "+73012214943"
    assert (per_line["number_type"] == "landline").all()
