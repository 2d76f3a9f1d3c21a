"""`callkit validate --json` over every bundled export and the shared real fixture (issue 2)."""
from __future__ import annotations

import json

import pytest

from callkit.cli import main
from tests.conftest import DATA_SAMPLES, SHARED_EXTERNAL

FILES = sorted(p for d in ("calls", "formats") for p in (DATA_SAMPLES / d).glob("*") if p.is_file())
FILES += sorted((SHARED_EXTERNAL / "cdr").glob("*")) if SHARED_EXTERNAL.exists() else []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_validate_reconciles_every_bundled_file(path, capsys):
    assert main(["validate", str(path), "--employees", str(DATA_SAMPLES / "employees.csv"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["rows_read"] == d["rows_loaded"] + d["rows_rejected"] + d["duplicates"]
    assert d["rows_rejected"] == 0 and d["rows_loaded"] > 0 and d["sessions"] > 0
    assert d["format"] and d["encoding"] in ("utf-8", "utf-8-sig", "cp1251", "xlsx")


def test_bundled_files_exist():
    assert len([p for p in FILES if p.parent.name == "formats"]) >= 8


def test_metrics_writes_the_calls_load_report(tmp_path, capsys):
    """`callkit metrics` on an export with bad records: exit 0, one stderr line with the counts
    and the first rejection, and calls_load.csv with every rejected record (file, line, reason,
    the raw text with numbers masked) — before, the rows were only visible to `validate`."""
    import pandas as pd

    from tests.asterisk_rows import cdr_line
    day = "2026-10-01 "
    good = [cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                     start=day + f"12:{m:02d}:00", end=day + f"12:{m:02d}:40", duration=40, billsec=30,
                     disposition="ANSWERED", uniqueid=f"1.{m}") for m in range(3)]
    cut = good[1][:40]                            # line 3: a record cut in half
    bad_q = '"' + good[2].replace('"', "", 2)     # line 5: a stray quote
    p = tmp_path / "Master.csv"
    p.write_text("\n".join([good[0], good[1].replace("1.1", "1.5"), cut, good[2], bad_q]) + "\n",
                 encoding="utf-8")
    assert main(["metrics", str(p), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        "calls: 5 rows read, 3 loaded, 2 rejected, 0 duplicates; 3 sessions; first rejected: ")
    assert "Master.csv:3: " in err[0] and err[0].endswith("every rejected row with its reason in calls_load.csv")
    t = pd.read_csv(tmp_path / "out" / "calls_load.csv", dtype=str)
    counts = t.dropna(subset=["value"]).set_index("record")["value"].astype(int)
    assert (counts["rows_read"], counts["rows_loaded"], counts["rows_rejected"], counts["duplicates"]) == (5, 3, 2, 0)
    rej = t.loc[t["record"] == "rejected"]
    assert rej["file"].tolist() == ["Master.csv", "Master.csv"] and rej["line"].tolist() == ["3", "5"]
    assert rej["reason"].notna().all() and not rej["raw"].str.contains("89750001111").any()
    assert rej["raw"].str.contains(r"\*\*\*", regex=True).all()    # the client's number masked
    assert t.loc[t["record"] == "file", "reason"].tolist() == ["asterisk_csv utf-8"]


def test_no_client_number_reaches_the_terminal(tmp_path, capsys):
    """What the CLI prints quotes lines of the export (a rejected record, the first line of a file
    it cannot read): the client's number is masked there as in calls_load.csv — in
    `validate --json`, in the one-line error and in a batch's failure reason."""
    from callkit.report.run import BatchSummary, ClientStatus
    from tests.asterisk_rows import cdr_line

    good = [cdr_line(src="89750001111", dst="101", channel="SIP/trunk-3", dstchannel="SIP/101-4",
                     start=f"2026-10-01 12:0{m}:00", end=f"2026-10-01 12:0{m}:40", duration=40, billsec=30,
                     disposition="ANSWERED", uniqueid=f"1.{m}") for m in range(2)]
    p = tmp_path / "Master.csv"
    p.write_text("\n".join([good[0], good[1][:40]]) + "\n", encoding="utf-8")   # line 2: cut in half
    assert main(["validate", str(p), "--json"]) == 0
    rej = json.loads(capsys.readouterr().out)["rejected"]
    assert [r["source_row"] for r in rej] == [2]
    assert "89750001111" not in rej[0]["raw"] and "+7 975 ***-**-11" in rej[0]["raw"]

    odd = tmp_path / "odd.csv"
    odd.write_text("2026-10-01;89750001111;ok\n2026-10-01;89750002222;ok\n", encoding="utf-8")
    assert main(["validate", str(odd)]) == 2
    err = capsys.readouterr().err
    assert "format not recognised" in err and "+7 975 ***-**-11" in err and "89750001111" not in err

    failed = ClientStatus(tmp_path / "c" / "profile.yaml", "failed",
                          "FormatError: odd.csv: first line '2026-10-01;89750001111;ok'", slug="c")
    line = BatchSummary(tmp_path, [failed], 1.0, 1).summary().splitlines()[0]
    assert line.endswith("first line '2026-10-01;+7 975 ***-**-11;ok'")
