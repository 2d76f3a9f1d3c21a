"""A load that would outgrow the machine's memory is refused before it starts (issue 11, item 4):
one line naming the file, how many records and how much memory, and what to do — where the
system would otherwise kill the process minutes later with no word of why."""
from __future__ import annotations

from pathlib import Path

import pytest

from callkit import engine
from callkit import io as cio
from callkit.cli import main
from callkit.errors import InputError
from callkit.io.text import read_table

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"
MASTER = SAMPLES / "calls" / "Master.csv"


def test_estimated_records_counts_line_ends_and_scales_a_sample(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"a,1\nb,2\nc,3")              # 3 records, no newline at the end
    assert read_table(small).estimated_records() == 3
    big = tmp_path / "big.csv"   # (over 200 kB: not split to find its first records)
    big.write_bytes(b"ab,1\n" * 50_000 + b"abcdefghij,1\n" * 20_000)   # 250,000 + 260,000 bytes
    t = read_table(big)
    # the first 100,000 bytes hold 20,000 line ends: 20,000 * 510,000 / 100,000 = 102,000
    # (the longer records of the tail are not seen)
    assert t.estimated_records(sample=100_000) == 102_000
    assert t.estimated_records(sample=1_000_000) == 70_000   # the whole text: exact
    assert len(t) == 70_000
    assert t.estimated_records(sample=100_000) == 70_000     # once split, the split's count
    cr = tmp_path / "cr.csv"   # lines ended by CR alone (cdr_minimal's old PBXs)
    cr.write_bytes(b"ab,1\r" * 60_000)   # 300,000 bytes
    # 20,000 CRs in the first 100,000 bytes: 20,000 * 300,000 / 100,000 = 60,000
    assert read_table(cr).estimated_records(sample=100_000) == 60_000
    crlf = tmp_path / "crlf.csv"   # Windows line ends: one record per CRLF, not two
    crlf.write_bytes(b"ab,1\r\n" * 50_000)   # 300,000 bytes
    # the first 100,000 bytes: 16,666 whole records (99,996 bytes) and "ab,1"; 16,666 LF +
    # 16,666 CR - 16,666 CRLF = 16,666 line ends * 300,000 / 100,000 = 49,998
    assert read_table(crlf).estimated_records(sample=100_000) == 49_998


def _room_for(monkeypatch, records: int) -> None:
    monkeypatch.setattr(engine, "available_bytes", lambda: records * cio.MEMORY_PER_LEG)


def test_a_load_bigger_than_the_memory_is_refused_with_the_file_and_the_figures(monkeypatch):
    n = read_table(MASTER).estimated_records()
    assert n > 100
    _room_for(monkeypatch, n - 1)
    with pytest.raises(InputError) as exc:
        cio.load_calls(MASTER)
    msg = str(exc.value)
    assert msg.startswith(f"{MASTER}: about {n:,} call records, which need about ")
    assert "split the export" in msg and "CALLKIT_MEMORY_CHECK=0" in msg and "\n" not in msg
    _room_for(monkeypatch, n)   # exactly enough: loaded
    assert cio.load_calls(MASTER).report.rows_read == n


def test_the_records_of_several_files_are_counted_together(monkeypatch):
    other = SAMPLES / "formats" / "freeswitch_Master.csv"
    a, b = read_table(MASTER).estimated_records(), read_table(other).estimated_records()
    _room_for(monkeypatch, a + b - 1)
    with pytest.raises(InputError, match=rf"^{other}: about {a + b:,} call records with the files before it"):
        cio.load_calls([MASTER, other])


def test_the_check_can_be_turned_off(monkeypatch):
    _room_for(monkeypatch, 1)
    monkeypatch.setenv("CALLKIT_MEMORY_CHECK", "0")
    assert cio.load_calls(MASTER).report.rows_read > 100


def test_the_cli_refuses_in_one_line_and_writes_nothing(monkeypatch, tmp_path, capsys):
    _room_for(monkeypatch, 10)
    rc = main(["metrics", str(MASTER), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"callkit: error: {MASTER}: about ") and "Traceback" not in err
    out_dir = tmp_path / "out"   # nothing written but the run's lock (callkit.outputs.folder_lock)
    assert not out_dir.exists() or [p.name for p in out_dir.iterdir()] == [".callkit-metrics.lock"]
