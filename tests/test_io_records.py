"""Record accounting of delimited files and workbooks (issue 13, item 1; rules in callkit.io.text).

Every physical record is counted before a CSV parser sees it: one stray quote costs one record,
never the rest of the file; a huge field loads; every sheet of a workbook is read or named.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callkit.cli import main
from callkit.errors import InputError
from callkit.io import load_calls
from callkit.io import text as T
from callkit.io.text import RawTable, read_tables, split_records

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"
FUZZ = int(os.environ.get("CALLKIT_FUZZ_EXAMPLES", "0"))


def _stray_quote(src: Path, dst: Path, line: int, delim: bytes) -> None:
    """Copy ``src`` with a '"' opening the second field of 1-based ``line`` (never closed)."""
    rows = src.read_bytes().split(b"\n")
    rows[line - 1] = rows[line - 1].replace(delim, delim + b'"', 1)
    dst.write_bytes(b"\n".join(rows))


@pytest.mark.parametrize("name, delim, calls, fmt", [
    ("calls_report.csv", b";", 149, "generic"),   # the case: was rows_read 20, loaded 19
    ("sipuni.csv", b";", 130, "sipuni"),          # was rows_read 20 too
])
def test_stray_quote_costs_one_record_not_the_rest_of_the_file(tmp_path, capsys, name, delim, calls, fmt):
    p = tmp_path / name
    _stray_quote(SAMPLES / "formats" / name, p, 21, delim)
    r = load_calls(p).report
    assert r.format == fmt
    # 149 data lines in, 149 read: 148 loaded + 1 rejected (line 21); before: 20 = 19 + 1
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.duplicates) == (calls, calls - 1, 1, 0)
    assert r.reconciled and r.sessions == calls - 1
    row = r.rejected.iloc[0]
    assert row["source_row"] == 21 and "not closed" in row["reason"] and "field 2" in row["reason"]
    # and at the CLI, what the issue saw: "rows_read 20, loaded 19, rejected 1, reconciled: yes"
    assert main(["validate", str(p), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert (j["rows_read"], j["rows_loaded"], j["rows_rejected"], j["reconciled"]) == (calls, calls - 1, 1, True)


def test_stray_quote_in_big_asterisk_file_keeps_the_fast_path_honest(tmp_path):
    src = (SAMPLES / "calls" / "Master.csv").read_bytes().split(b"\n")
    n = sum(1 for ln in src if ln.strip())
    src[100] = re.sub(rb",(\d+),", rb',"\1,', src[100], count=1)   # ,118, -> ,"118, never closed
    p = tmp_path / "Master.csv"
    p.write_bytes(b"\n".join(src))
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded + r.rows_rejected + r.duplicates) == (n, n)
    assert r.rows_rejected == 1 and r.rejected.iloc[0]["source_row"] == 101


def test_quoted_value_over_two_lines_is_one_record(tmp_path):
    p = tmp_path / "report.csv"
    p.write_text('Дата;Время;Номер;Длительность;Комментарий\n'
                 '01.10.2026;10:00:00;+79161234567;60;"перезвонить\nпосле обеда"\n'
                 '01.10.2026;11:00:00;+79161234568;30;\n', encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 2, 0)
    assert load_calls(p).calls["source_row"].tolist() == [2, 4]


def test_quote_closing_far_away_does_not_join_lines(tmp_path):
    # line 2 opens a quote that a '"' on line 5 would close: the joined record has the wrong
    # width, so line 2 alone is rejected and lines 3-5 are read as records of their own
    p = tmp_path / "report.csv"
    p.write_text('Дата;Время;Номер;Длительность\n'
                 '01.10.2026;"10:00:00;+79161234567;60\n'
                 '01.10.2026;10:01:00;+79161234568;30\n'
                 '01.10.2026;10:02:00;+79161234569;30\n'
                 '01.10.2026;10:03:00;"+79161234560";30\n', encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (4, 3, 1)
    assert r.rejected["source_row"].tolist() == [2]


@pytest.mark.parametrize("name, delim", [("calls/Master.csv", b","), ("formats/sipuni.csv", b";")])
def test_a_two_megabyte_field_loads(tmp_path, capsys, name, delim):
    rows = (SAMPLES / name).read_bytes().split(b"\n")
    fields = rows[5].split(delim)
    fields[-3] = b"x" * 2_100_000 if delim == b";" else b'"' + b"x" * 2_100_000 + b'"'
    rows[5] = delim.join(fields)
    p = tmp_path / Path(name).name
    p.write_bytes(b"\n".join(rows))
    r = load_calls(p).report   # was ArrowInvalid: straddling object (Asterisk)
    assert r.reconciled and r.rows_rejected == 0 and r.rows_read == sum(1 for x in rows if x.strip()) - (
        delim == b";")
    assert main(["validate", str(p)]) == 0 and "Traceback" not in capsys.readouterr().err


def test_overlong_record_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(T, "MAX_RECORD_BYTES", 1000)
    p = tmp_path / "report.csv"
    p.write_text('Дата;Время;Номер;Длительность;Комментарий\n'
                 f'01.10.2026;10:00:00;+79161234567;60;{"y" * 2000}\n'
                 '01.10.2026;11:00:00;+79161234568;30;\n', encoding="utf-8")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 1, 1)
    assert "bytes long" in r.rejected.iloc[0]["reason"]


def test_old_mac_line_ends(tmp_path):
    p = tmp_path / "report.csv"
    p.write_bytes(b"Date;Time;Number;Duration\r01.10.2026;10:00:00;+79161234567;60\r"
                  b"01.10.2026;11:00:00;+79161234568;30\r")
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded) == (2, 2)


def _xlsx(path: Path, sheets: dict[str, list[tuple]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)


HEADER = ("Дата", "Время", "Длительность", "Сотрудник", "Номер", "Направление", "Статус")


def _calls(day: int, n: int) -> list[tuple]:
    return [HEADER] + [(f"{day:02d}.10.2026", f"10:{i:02d}:00", "00:01:00", "Орлова Анна",
                        f"+7 916 000-00-{i:02d}", "Исходящий", "Отвечен") for i in range(n)]


def test_every_sheet_of_a_workbook_is_read(tmp_path):
    p = tmp_path / "calls.xlsx"
    _xlsx(p, {"Октябрь-1": _calls(1, 3), "Октябрь-2": _calls(2, 4), "Пусто": []})
    res = load_calls(p)
    r = res.report
    # was: the first sheet only, 3 calls, no note
    assert (r.rows_read, r.rows_loaded, r.sessions) == (7, 7, 7)
    assert sorted(Path(k).name for k in r.formats) == ["calls.xlsx[Октябрь-1]", "calls.xlsx[Октябрь-2]"]
    assert any("'Пусто'" in n and "empty" in n for n in r.notes)


def test_sheet_without_calls_is_skipped_and_named(tmp_path):
    p = tmp_path / "calls.xlsx"
    _xlsx(p, {"Звонки": _calls(1, 3), "Итоги": [("Сотрудник", "Всего"), ("Орлова Анна", 3)]})
    r = load_calls(p).report
    assert (r.rows_read, r.rows_loaded) == (3, 3)
    note = [n for n in r.notes if "skipped" in n]
    assert note and "'Итоги'" in note[0] and "not recognised" in note[0]


def test_workbook_with_no_call_sheet_is_one_line_exit_2(tmp_path, capsys):
    p = tmp_path / "calls.xlsx"
    _xlsx(p, {"A": [("x", "y"), (1, 2)], "B": [("u",), (3,)]})
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "calls.xlsx" in err and "no sheet" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_symlink_to_a_device_is_refused_not_read(tmp_path, capsys):
    p = tmp_path / "calls.csv"
    p.symlink_to("/dev/zero")
    assert main(["validate", str(p)]) == 2   # was: reading /dev/zero until memory ran out
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a regular file" in err


# --------------------------------------------------------------------------- the rules, property-tested

def test_split_records_example_by_hand():
    data = (b'a;b;c\n'            # 1: header, 3 fields
            b'1;"2;3\n'           # 2: quote opens, closes only on line 4 -> width 2 != 3: rejected
            b'\n'                 # 3: empty: not a record
            b'4;"5\n5";6\n'       # 4-5: a quoted value over two lines, 3 fields: one record
            b'7;8 "x;y" z;9\r\n'  # 6: quotes inside an unquoted field are text: 4 fields
            b'"a""b";c;d')        # 7: escaped quote, no final line end
    r = split_records(data, ";")
    assert r.lines.tolist() == [1, 2, 4, 6, 7]
    assert r.nfields.tolist() == [3, 2, 3, 4, 3]
    assert list(r.broken) == [1] and r.multiline and r.physical_lines == 6
    t = RawTable(Path("x.csv"), encoding="utf-8", delimiter=";", data=data)
    assert t.rows[2] == ["4", "5\n5", "6"] and t.rows[3] == ["7", '8 "x', 'y" z', "9"]
    assert t.rows[4] == ['a"b', "c", "d"] and t.raw(2) == '4;"5\n5";6'


cell = st.text(alphabet='ab;"\n\r ', max_size=6)


@settings(max_examples=FUZZ or 150, deadline=None, derandomize=not FUZZ)
@given(st.text(alphabet='ab;,"\n\r', max_size=80))
def test_every_line_is_a_record_or_inside_one(text):
    data = text.encode()
    r = split_records(data, ";")
    def nonempty(b: bytes) -> int:
        return sum(1 for ln in b.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n") if ln)
    # every non-empty physical line is in exactly one record (records tile them, in order)
    assert r.physical_lines == nonempty(data)
    assert sum(nonempty(data[a:b]) for a, b in r.offsets.tolist()) == r.physical_lines
    assert (np.diff(r.offsets.ravel()) >= 0).all()
    assert len(r.lines) == r.physical_lines or r.multiline
    for i, (a, b) in enumerate(r.offsets.tolist()):
        fields, _, closed = T._parse_record(data[a:b].decode(), ";")
        assert closed or i in r.broken
        if i not in r.broken:   # the field count is the csv module's for that record alone
            assert r.nfields[i] == len(next(csv.reader([data[a:b].decode()], delimiter=";")))
    if len(r.lines):   # the Arrow path and the row path give the same cells for the same records
        t = RawTable(Path("x.csv"), encoding="utf-8", delimiter=";", data=data)
        w = int(np.bincount(r.nfields).argmax())
        fast = t.frame(width=w)
        slow = t._frame_from_rows(list(range(w)), w)
        assert fast.index.tolist() == slow.index.tolist()
        assert fast.to_numpy().tolist() == slow.to_numpy().tolist()


@settings(max_examples=FUZZ or 100, deadline=None, derandomize=not FUZZ)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8))
def test_well_formed_files_split_as_the_csv_module_does(rows):
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)   # quotes \r and \n
    data = buf.getvalue().encode()
    t = RawTable(Path("x.csv"), encoding="utf-8", delimiter=";", data=data)
    expect = [r for r in csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=";") if r]
    assert not t.broken and t.rows == expect
    # the Arrow path gives the same cells as the row path
    fast = t.frame(width=3)
    slow = RawTable(Path("x.csv"), encoding="utf-8", delimiter=";", data=data)._frame_from_rows([0, 1, 2], 3)
    assert fast.to_numpy().tolist() == slow.to_numpy().tolist()
    assert np.array_equal(fast.index, slow.index)


def test_read_tables_one_per_sheet(tmp_path):
    p = tmp_path / "calls.xlsx"
    _xlsx(p, {"A": _calls(1, 2), "B": _calls(2, 1)})
    tables = read_tables(p)
    assert [t.name for t in tables] == ["calls.xlsx[A]", "calls.xlsx[B]"]
    assert [len(t) for t in tables] == [3, 2]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_rejected_record_keeps_its_text_after_the_parser_released_the_bytes(tmp_path, encoding):
    # the Asterisk parser drops the file's bytes once it has its frame (peak memory); the text
    # of a record it then rejects is read again from the file, as it was read the first time
    lines = (SAMPLES / "calls" / "Master.csv").read_text(encoding="utf-8").splitlines()
    bad = re.sub('"(NO ANSWER|ANSWERED|BUSY)"', '"ANSWERD"', lines[40])
    assert bad != lines[40]
    lines[40] = bad
    p = tmp_path / "Master.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    r = load_calls(p).report
    assert r.rows_rejected == 1
    row = r.rejected.iloc[0]
    assert (row["source_row"], row["raw"]) == (41, bad)
    assert "'ANSWERD'" in row["reason"]


def test_released_bytes_come_back_and_a_changed_file_is_named(tmp_path):
    p = tmp_path / "Master.csv"
    p.write_bytes((SAMPLES / "calls" / "Master.csv").read_bytes())
    table = read_tables(p)[0]
    table.frame(usecols=[1, 2])
    first = table.raw(0)
    table.release()
    assert table._bytes is None                       # released ...
    assert table.raw(0) == first and table.raw(2).startswith('"","203","101"')   # ... and read again
    table.release()
    p.write_bytes(p.read_bytes() + b"\n")
    with pytest.raises(InputError, match="changed while it was being loaded"):
        table.raw(0)
    rows = RawTable(p, encoding="utf-8", delimiter=",", rows=[["a", "b"]])
    rows.release()                                     # a table of rows has nothing to release
    assert rows.raw(0) == "a,b"


def test_a_mapped_file_answers_as_its_bytes(tmp_path, monkeypatch):
    # read_tables maps the export instead of copying it (10M legs: the copy was 3-8 s of page
    # faults); the scans go in slices, so slices of 4 bytes make every boundary case appear
    data = b"a;b\r\nc;d\n\n\r\n  x;\xd0\xb9\r\n"
    p = tmp_path / "t.csv"
    p.write_bytes(data)
    monkeypatch.setattr(T.MappedBytes, "_STEP", 4)
    m = T._map_file(p)
    assert isinstance(m, T.MappedBytes)
    for sub in (b"\n", b"\r", b"\r\n", b";", b"\n\r\n", b"zz", b""):
        assert m.count(sub) == data.count(sub), sub
    assert (b"\r" in m, b"q" in m, b"\n\n\r" in m, b"b\r\nc" in m, b"" in m) == (True, False, True, True, True)
    m.drop_pages()                                    # out of the mapping, still the file's bytes
    assert m[:] == data and m.count(b"\r\n") == 3
    assert m.startswith(b"a;b") and not m.startswith(b"b")
    assert m.endswith(b"\r\n") and m.endswith((b"zzz", b"\xb9\r\n")) and not m.endswith(b"x")
    assert (m.isspace(), m.isascii()) == (False, False)
    assert m.decode("utf-8") == data.decode("utf-8")
    assert m[2:7] == data[2:7] and len(m) == len(data)
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b" \n\t\r\n" * 3)
    assert T._map_file(blank).isspace()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert T._map_file(empty) == b""                  # nothing to map: the bytes, empty
    with pytest.raises(InputError, match="file is empty"):
        read_tables(empty)
    with pytest.raises(InputError, match="file is empty"):
        read_tables(blank)


def test_newline_counts_are_bytes_counts_across_every_step_boundary(tmp_path, monkeypatch):
    # frame() counts LF, CR and CRLF in one numpy pass (steps of 1 MB; here of 1, 2 and 3
    # bytes, so a CRLF falls across a boundary) before Arrow reads the file; a wrong count
    # would send a clean file down the slow path, or a file with a lone CR past its split
    data = b"a;b\r\nc;d\n\n\r\n\r\r  x;\xd0\xb9\r\n\r"
    p = tmp_path / "t.csv"
    p.write_bytes(data)
    want = (data.count(b"\n"), data.count(b"\r"), data.count(b"\r\n"))
    assert want == (5, 6, 3)
    for step in (1, 2, 3, 1 << 20):
        monkeypatch.setattr(T, "_COUNT_STEP", step)
        assert T.newline_counts(data) == want, step
        m = T._map_file(p)
        assert isinstance(m, T.MappedBytes) and T.newline_counts(m) == want, step
        assert m[:] == data                        # (the mapping still reads as the file)
    assert T.newline_counts(b"") == (0, 0, 0) and T.newline_counts(b"\r") == (0, 1, 0)


def test_a_mapped_export_loads_as_the_bytes_did(tmp_path, monkeypatch):
    # the same export, mapped and read into memory, gives the same report and calls
    p = tmp_path / "Master.csv"
    p.write_bytes((SAMPLES / "calls" / "Master.csv").read_bytes())
    assert isinstance(read_tables(p)[0]._bytes, T.MappedBytes)
    mapped = load_calls(p)
    monkeypatch.setattr(T, "_map_file", lambda path: Path(path).read_bytes())
    assert isinstance(read_tables(p)[0]._bytes, bytes)
    read = load_calls(p)
    assert mapped.report.rows_read == read.report.rows_read > 0
    assert mapped.calls.equals(read.calls) and mapped.legs.equals(read.legs)
