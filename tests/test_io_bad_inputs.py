"""Bad inputs: each gives a one-line error (exit 2 at the CLI) or rejected rows with reasons."""
from __future__ import annotations

import json

import pytest

from callkit.cli import main
from callkit.errors import FormatError, InputError
from callkit.io import load_calls
from tests.asterisk_rows import cdr_line

GOOD = [
    cdr_line(src="102", dst="89750001111", channel="SIP/102-1", dstchannel="SIP/trunk-2",
             start="2026-10-01 12:00:00", answer="2026-10-01 12:00:10", end="2026-10-01 12:02:10",
             duration=130, billsec=120, disposition="ANSWERED", uniqueid="1790000000.1"),
    cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
             start="2026-10-01 12:10:00", end="2026-10-01 12:10:20", duration=20, billsec=0,
             disposition="NO ANSWER", uniqueid="1790000600.2"),
]


def _cli(capsys, *args) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"\n\n  \n", "file is empty"),
    (bytes(range(256)) * 20, "not a text export"),
    (b"foo,bar,baz\n1,2,3\n", "format not recognised"),
])
def test_unusable_files_give_one_line_and_exit_2(tmp_path, capsys, content, message):
    p = tmp_path / "calls.csv"
    p.write_bytes(content)
    rc, out, err = _cli(capsys, "validate", str(p))
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "calls.csv" in err
    assert "Traceback" not in err


def test_missing_file_and_folder(tmp_path, capsys):
    rc, _, err = _cli(capsys, "validate", str(tmp_path / "nope.csv"))
    assert rc == 2 and "file not found" in err
    rc, _, err = _cli(capsys, "validate", str(tmp_path))
    assert rc == 2 and "is a folder" in err


def test_header_only_loads_nothing_and_says_so(tmp_path):
    p = tmp_path / "report.csv"
    p.write_text("Дата;Номер;Длительность;Сотрудник\n", encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.sessions) == (0, 0, 0)
    assert any("no data rows" in n for n in r.notes)


def test_truncated_last_line_is_rejected_with_its_line(tmp_path):
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(GOOD) + "\n" + GOOD[0][:60], encoding="utf-8")   # cut mid-record
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (3, 2, 1)
    row = r.rejected.iloc[0]
    # the cut falls inside a quoted field: the text layer rejects the record (quote not closed)
    assert row["source_row"] == 3 and "not closed" in row["reason"] and row["raw"] == GOOD[0][:60]


def test_bad_dates_and_negative_durations_are_rejected_not_dropped(tmp_path):
    bad_date = GOOD[0].replace('"2026-10-01 12:00:00"', '"31/02/2026 25:61"', 1)
    negative = GOOD[1].replace(",20,0,", ",-20,0,")
    p = tmp_path / "Master.csv"
    p.write_text("\n".join([GOOD[0], bad_date, negative, GOOD[1]]) + "\n", encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.duplicates) == (4, 2, 2, 0)
    reasons = dict(zip(r.rejected["source_row"], r.rejected["reason"]))
    assert "'start'" in reasons[2] and "31/02/2026 25:61" in reasons[2]
    assert "'duration'" in reasons[3] and "-20" in reasons[3]


def test_wrong_delimiter_still_detected(tmp_path):
    # the same Asterisk records written with ';' (a spreadsheet re-save) load the same way
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(line.replace(",", ";") for line in GOOD) + "\n", encoding="utf-8")
    r = load_calls(p).report
    assert (r.format, r.rows_loaded, r.sessions) == ("asterisk_csv", 2, 2)


def test_column_map_naming_a_missing_column(tmp_path, capsys):
    p = tmp_path / "report.csv"
    p.write_text("Дата;Номер;Длительность\n01.10.2026 10:00:00;89720123456;10\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"'Телефон'.*lacks"):
        load_calls(p, column_map={"start": "Дата", "client": "Телефон"})


def test_unknown_source_name():
    with pytest.raises(InputError, match="unknown source 'avaya'"):
        load_calls("x.csv", source="avaya")


def test_validate_json_has_the_contract_keys(tmp_path, capsys):
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    rc, out, _ = _cli(capsys, "validate", str(p), "--json")
    d = json.loads(out)
    assert rc == 0
    assert {k: d[k] for k in ("format", "encoding", "rows_read", "rows_loaded", "rows_rejected",
                              "duplicates", "sessions")} == {
        "format": "asterisk_csv", "encoding": "utf-8", "rows_read": 2, "rows_loaded": 2,
        "rows_rejected": 0, "duplicates": 0, "sessions": 2}


def test_notes_are_worded_in_russian_for_reports(tmp_path):
    p = tmp_path / "report.csv"
    p.write_text("Дата;Номер;Длительность;Сотрудник\n", encoding="utf-8")
    r = load_calls(p).report
    assert "report.csv: header only, no data rows" in r.notes
    assert "report.csv: только заголовок, строк с данными нет" in r.notes_in("ru")
    assert r.notes_in("en") == r.notes


def test_absurd_years_and_durations_are_rejected_in_asterisk(tmp_path):
    year = GOOD[0].replace('"2026-10-01 12:00:00"', '"2326-10-01 12:00:00"', 1)
    huge = GOOD[1].replace(",20,0,", ",89720123456,0,")
    p = tmp_path / "Master.csv"
    p.write_text("\n".join([year, huge, GOOD[0]]) + "\n", encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (3, 1, 2)
    reasons = dict(zip(r.rejected["source_row"], r.rejected["reason"]))
    assert "2326-10-01" in reasons[1] and "'start'" in reasons[1]
    assert "89720123456" in reasons[2] and "0 to 24 h" in reasons[2]


def test_empty_lines_are_counted_in_a_note(tmp_path):
    """Empty lines are not records (no fields to read), but the load report says how many there
    were, so that the lines of the file add up: 2 records + 3 empty lines = the 5 lines `wc -l`
    counts (one between the records, two at the end, one of them CRLF)."""
    from callkit.io.report import note_text

    p = tmp_path / "Master.csv"
    p.write_bytes((GOOD[0] + "\n\n" + GOOD[1] + "\n\r\n\n").encode())
    rep = load_calls(p).report
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 2, 0)
    note = [n for n in rep.notes if "empty line" in n]
    assert note == ["Master.csv: 3 empty line(s) skipped: no fields, not rows"]
    assert note_text(note[0], "ru") == "Master.csv: пропущено пустых строк: 3 (в них нет полей, это не строки выгрузки)"
    p.write_bytes((GOOD[0] + "\n" + GOOD[1] + "\n").encode())
    assert not [n for n in load_calls(p).report.notes if "empty line" in n]


def test_a_block_of_nuls_rejects_the_records_it_hit(tmp_path):
    """A CDR appended to until the machine lost power: the file system leaves the block it had
    not written as NUL bytes. The file is text (not refused as binary, though the NULs are in
    its first bytes); each record with NULs is rejected with the reason and its raw text shows
    the run as [NUL×N]; the other records load, and every line is accounted for."""
    lines = [GOOD[0], GOOD[1], GOOD[0].replace("1790000000.1", "1790000900.3"),
             GOOD[1].replace("1790000600.2", "1790001500.4")]
    p = tmp_path / "Master.csv"
    # the start of line 2 lost to a 200-byte block of NULs; a run of 64 inside line 3
    body = (lines[0] + "\n").encode() + b"\x00" * 200 + lines[1][150:].encode() + b"\n"
    body += (lines[2][:20] + "\x00" * 64 + lines[2][20:] + "\n" + lines[3] + "\n").encode()
    p.write_bytes(body)
    rep = load_calls(p).report
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 2, 2) and rep.reconciled
    rej = rep.rejected
    assert rej["source_row"].tolist() == [2, 3]
    assert rej["reason"].str.startswith("has NUL bytes").all()
    assert rej["raw"].iloc[0].startswith("[NUL×200]") and "[NUL×64]" in rej["raw"].iloc[1]
    assert "\x00" not in "".join(rej["raw"])


@pytest.mark.parametrize("head, binary", [
    (b"a,b,c\n" * 100 + b"\x00" * 4096 + b"1,2,3\n" * 100, False),   # a never-written block
    (b"a,b,c\n" * 100 + b"\x00" * 63 + b"1,2,3\n" * 100, True),      # too short a run
    (b"a,\x00b,c\n" * 100, True),                                     # NULs one at a time
    (b"\x00" * 4096 + bytes(range(1, 32)) * 100, True),               # and control bytes
    (b"a,b,c\n" * 100, False),
])
def test_what_looks_binary(head, binary):
    from callkit.io.text import _looks_binary

    assert _looks_binary(head) is binary


def test_nul_lines_match_a_line_by_line_count(monkeypatch):
    """The lines holding a NUL, found run by run a chunk of bytes at a time (here 7 bytes, so
    runs cross chunks and lines), are those a line-by-line look finds; a run of NULs cut by the
    end of the first 64 kB does not make the file binary, however short the cut leaves it."""
    import numpy as np

    from callkit.io import text as T

    data = b"ab\nc\x00\x00d\n\x00\x00\x00\x00\x00\nxyz\n\nq\x00\nlast\x00"
    lines = data.split(b"\n")
    ends = np.cumsum([len(x) + 1 for x in lines])
    ends[-1] -= 1                                      # the last line has no line end
    expected = [b"\x00" in x for x in lines]
    monkeypatch.setattr(T, "_CHUNK", 7)
    assert T._nul_lines(data, ends).tolist() == expected == [False, True, True, False, False, True, True]
    assert T._nul_lines(b"ab\ncd\n", np.array([3, 6])) is None
    assert T._looks_binary(b"a,b,c\n" * 100 + b"\x00" * 10) is False


def test_a_workbook_with_a_damaged_sheet_is_one_line_naming_the_sheet(tmp_path, capsys):
    """A workbook whose sheet XML was cut (a broken download or copy) was an internal error
    (openpyxl's XML ParseError escaped); it is bad input: exit 2, one line naming the sheet."""
    import io
    import zipfile
    from pathlib import Path

    good = (Path(__file__).parent / "data" / "io" / "generic_ru.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    p = tmp_path / "calls.xlsx"
    p.write_bytes(out.getvalue())
    rc, stdout, err = _cli(capsys, "validate", str(p))
    assert rc == 2 and stdout == "" and err.count("\n") == 1
    assert "calls.xlsx: sheet " in err and "cannot be read" in err and "internal error" not in err
