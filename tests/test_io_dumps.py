"""CDR database dumps (FORMATS.md §7.2): mysqldump, Navicat and phpMyAdmin files written for the
test (tests/data/io/dump_*.sql), parsed, never executed; every count worked out by hand."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from callkit.cli import main
from callkit.io import load_calls
from callkit.io.sqldump import looks_like_dump, read_dump, repair_double_utf8
from tests.test_io_formats import _check, _row

DATA = Path(__file__).parent / "data" / "io"
TZ = "Europe/Moscow"
CREATE = ("CREATE TABLE `cdr` (\n  `calldate` datetime NOT NULL,\n  `src` varchar(80),\n  `dst` varchar(80),\n"
          "  `dstchannel` varchar(80),\n  `duration` int(11),\n  `billsec` int(11),\n  `disposition` varchar(45),\n"
          "  `uniqueid` varchar(32)\n) ENGINE=InnoDB;\n")
ROW1 = "('2026-10-01 10:00:00','89720123456','101','SIP/101-1',70,60,'ANSWERED','1790838000.1')"
ROW2 = "('2026-10-01 11:00:00','101','89750001111','SIP/trunk-2',30,20,'ANSWERED','1790841600.2')"


def _counts(res) -> tuple:
    r = res.report
    assert r.rows_read == r.rows_loaded + r.rows_rejected + r.duplicates
    return r.format, r.rows_read, r.rows_loaded, r.rows_rejected, r.sessions


def test_mysqldump_with_other_tables_triggers_and_junk(capsys):
    res = load_calls(DATA / "dump_mysqldump.sql", tz=TZ)
    # `cdr`: 6 rows in one extended INSERT (line 56) + 1 in another; 2 of them placeholder junk.
    # The procedure's own "INSERT INTO cdr … VALUES (NOW(), '999', …)" is not data.
    assert _counts(res) == ("sql_dump", 7, 5, 2, 4)
    rej = res.report.rejected
    assert rej["source_row"].tolist() == [56, 56]
    assert "placeholder date '1000-01-01 00:00:00'" in rej["reason"].iloc[0]
    assert rej["raw"].iloc[0].startswith("('1000-01-01 00:00:00','test call, ignore'")
    notes = "\n".join(res.report.notes)
    assert "calls read from table `cdr` (7 row(s))" in notes
    assert "other tables in the dump (not calls, not loaded): `cel` 3, `queuelog` 9, `replicate_cdr` 2 row(s)" in notes
    assert "1 procedure(s), 1 trigger(s) in the dump were not executed" in notes
    assert "table `cdr` is declared latin1" in notes
    # the queuelog's member name 'Белова Марина' was stored double-encoded (3 rows)
    assert "3 value(s) were UTF-8 stored as latin1" in notes
    c = res.calls
    # linkedid groups the queue legs: 101 no answer, 104 answers 10:00:15 + (205 − 180) s
    _check(_row(c, "1790838000.1"), direction="incoming", status="answered", employee="104",
           client_number="+79720123456", line="74950011111", ring_s=40.0, talk_s=180.0)
    _check(_row(c, "1790841600.3"), direction="incoming", status="missed", employee="101", ring_s=20.0)
    _check(_row(c, "1790845200.5"), direction="outgoing", status="answered", employee="101",
           client_number="+79750001111", ring_s=10.0, talk_s=120.0)
    # clid "O\'Neil" and a userfield with \\ and \n escapes do not break the row
    _check(_row(c, "1790848800.7"), direction="internal", status="answered", employee="102", talk_s=60.0)
    assert main(["validate", str(DATA / "dump_mysqldump.sql"), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert (rep["format"], rep["rows_read"], rep["rows_rejected"], rep["sessions"], rep["reconciled"]) == \
        ("sql_dump", 7, 2, 4, True)


def test_gzipped_dump_reads_the_same(tmp_path):
    gz = tmp_path / "asteriskcdrdb.sql.gz"
    gz.write_bytes(gzip.compress((DATA / "dump_mysqldump.sql").read_bytes()))
    res = load_calls(gz, tz=TZ)
    assert _counts(res) == ("sql_dump", 7, 5, 2, 4)
    assert res.report.rejected["raw"].iloc[1].startswith("('0000-00-00 00:00:00'")


def test_a_cut_gzipped_dump_reads_what_comes_before_the_cut(tmp_path):
    # a .sql.gz download cut short: refused as a whole before ("cannot read the compressed
    # dump"); now the records before the cut are read as from a plain dump cut at the same
    # byte, the record the cut ends inside is rejected with its text, and a note says so
    body = b"".join([CREATE.encode(), b"INSERT INTO `cdr` VALUES ", ROW1.encode(), b",",
                     b",".join(ROW2.replace("1790841600.2", f"1790841600.{i}").encode() for i in range(3, 3000)),
                     b";\n"])
    packed = gzip.compress(body)
    gz = tmp_path / "cdr.sql.gz"
    gz.write_bytes(packed[: len(packed) // 2])
    salvaged = b""
    with gzip.open(gz) as fh:   # what a reader that stops at the cut gets
        try:
            while piece := fh.read1(65536):
                salvaged += piece
        except EOFError:
            pass
    assert 0 < len(salvaged) < len(body)
    plain = tmp_path / "cdr.sql"
    plain.write_bytes(salvaged)
    cut, same = load_calls(gz, tz=TZ), load_calls(plain, tz=TZ)
    assert _counts(cut) == _counts(same) and cut.report.rows_read > 1000 and cut.report.rows_rejected == 1
    assert cut.report.rejected["raw"].iloc[0] == same.report.rejected["raw"].iloc[0] != ""
    assert any("ends before the end of its gzip stream" in n for n in cut.report.notes)
    assert not any("gzip" in n for n in same.report.notes)
    assert cut.calls["call_id"].tolist() == same.calls["call_id"].tolist()


def test_navicat_elastix_dump_one_insert_per_row():
    res = load_calls(DATA / "dump_navicat_elastix.sql", tz=TZ)
    # 18-column Elastix cdr (no linkedid), values separated by ", ", one junk row
    fmt, read, loaded, rejected, _ = _counts(res)
    assert (fmt, read, loaded, rejected) == ("sql_dump", 5, 4, 1)
    assert any("no linkedid column" in n for n in res.report.notes)
    _check(_row(res.calls, "1790841600.6"), direction="outgoing", status="answered", employee="101",
           client_number="+79750001111", ring_s=10.0, talk_s=60.0)


def test_phpmyadmin_column_list_wins_over_create_table():
    # the INSERT lists uniqueid first; the CREATE TABLE has calldate first
    res = load_calls(DATA / "dump_phpmyadmin.sql", tz=TZ)
    assert _counts(res) == ("sql_dump", 2, 2, 0, 2)
    _check(_row(res.calls, "1790838000.1"), direction="incoming", status="answered", employee="101",
           ring_s=10.0, talk_s=60.0)
    _check(_row(res.calls, "1790841600.2"), direction="outgoing", status="busy", employee="102")


def test_unknown_column_order_and_bad_tuples_are_rejected(tmp_path):
    f = tmp_path / "nocreate.sql"
    f.write_text("-- MySQL dump 10.13\n" + f"INSERT INTO `cdr` VALUES {ROW1};\n", encoding="utf-8")
    res = load_calls(f, tz=TZ)
    assert _counts(res)[:4] == ("sql_dump", 1, 0, 1)
    assert "the column order is unknown" in res.report.rejected["reason"].iloc[0]
    g = tmp_path / "short.sql"
    g.write_text("-- MySQL dump 10.13\n" + CREATE + f"INSERT INTO `cdr` VALUES {ROW1},('2026-10-01 12:00:00','x');\n",
                 encoding="utf-8")
    res = load_calls(g, tz=TZ)
    assert _counts(res)[:4] == ("sql_dump", 2, 1, 1)
    assert res.report.rejected["reason"].iloc[0] == "has 2 values; table `cdr` has 8 columns"


def test_cut_dump_keeps_the_complete_rows(tmp_path):
    f = tmp_path / "cut.sql"
    f.write_text("-- MySQL dump 10.13\n" + CREATE + f"INSERT INTO `cdr` VALUES {ROW1},{ROW2},('2026-10-01 1",
                 encoding="utf-8")
    res = load_calls(f, tz=TZ)
    assert _counts(res) == ("sql_dump", 3, 2, 1, 2)
    assert "the file is cut" in res.report.rejected["reason"].iloc[0]
    assert any("the dump ends in the middle of an INSERT at line 12" in n for n in res.report.notes)


def test_cdr_like_table_with_another_name_and_a_trigger_copy(tmp_path):
    # no table named cdr: the CDR-shaped table with the most rows holds the calls
    f = tmp_path / "calls.sql"
    body = CREATE.replace("`cdr`", "`calls_2026`") + f"INSERT INTO `calls_2026` VALUES {ROW1},{ROW2};\n"
    body += CREATE.replace("`cdr`", "`calls_copy`") + f"INSERT INTO `calls_copy` VALUES {ROW1};\n"
    f.write_text("-- MariaDB dump 10.19\n" + body, encoding="utf-8")
    res = load_calls(f, tz=TZ)
    assert _counts(res) == ("sql_dump", 2, 2, 0, 2)
    assert any("calls read from table `calls_2026`" in n for n in res.report.notes)
    assert any("`calls_copy` 1" in n for n in res.report.notes)


def test_dump_detection_and_text_repair():
    assert looks_like_dump(b"-- MySQL dump 10.13  Distrib 5.7.42\n")
    assert looks_like_dump(b"/*\nNavicat MySQL Data Transfer\n*/\nSET FOREIGN_KEY_CHECKS=0;\n")
    assert looks_like_dump(b"SET NAMES utf8;\nCREATE TABLE `cdr` (`src` varchar(80));\n")
    assert not looks_like_dump(b"calldate,src,dst\n2026-10-01 10:00:00,101,102\n")
    assert repair_double_utf8("nÃºmero") == "número"
    assert repair_double_utf8("Ð‘ÐµÐ»Ð¾Ð²Ð°") == "Белова"
    assert repair_double_utf8("Белова") == "Белова" and repair_double_utf8("Ã in a name") == "Ã in a name"


def test_dump_ending_in_an_unterminated_string(tmp_path):
    f = tmp_path / "broken.sql"
    f.write_text("-- MySQL dump 10.13\n" + CREATE + f"INSERT INTO `cdr` VALUES {ROW1},('2026-10-01 10:00:00,'1',",
                 encoding="utf-8")
    res = load_calls(f, tz=TZ)           # the cut tuple is one rejected record, nothing else lost
    assert _counts(res)[:4] == ("sql_dump", 2, 1, 1)
    assert read_dump(f).scan_rejects == [(1, "the dump ends inside this record: the file is cut (an incomplete copy?)")]
