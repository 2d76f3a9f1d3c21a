"""The transcript load report at the CLI: `callkit metrics` writes transcripts_load.csv and a
one-line stderr summary; `callkit validate --transcripts` prints the report; UTF-16 is read."""
import json
import shutil
from pathlib import Path

import pandas as pd

from callkit.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "data_samples"


def _client(tmp_path: Path) -> Path:
    """The sample client with its transcripts re-saved as UTF-16 (Windows "Unicode"), plus one
    bad line (line 2435: no call id) and one transcript whose id matches no call."""
    d = tmp_path / "client"
    shutil.copytree(SAMPLES, d, ignore=shutil.ignore_patterns("formats"))
    lines = (SAMPLES / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2434
    lines.append(json.dumps({"call_id": "", "speaker": "client", "start": 0, "end": 1, "text": "алло"}))
    lines.append(json.dumps({"call_id": "no-such-call", "speaker": "client", "start": 0, "end": 1,
                             "text": "алло это сервис"}, ensure_ascii=False))
    (d / "transcripts.jsonl").write_bytes("\n".join(lines).encode("utf-16"))
    return d / "profile.yaml"


def test_metrics_writes_transcript_load_report(tmp_path, capsys):
    prof = _client(tmp_path)
    assert main(["metrics", str(prof), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["calls: 3947 rows read, 3947 loaded, 0 rejected, 0 duplicates; 3170 sessions",
                   "transcripts: 2436 rows read, 2435 loaded, 1 rejected, 0 duplicates; 151 calls, "
                   "150 matched to calls, 1 matching no call (first rejected: transcripts.jsonl "
                   "line 2435: no call id)"]
    t = pd.read_csv(tmp_path / "out" / "transcripts_load.csv", dtype=str)
    counts = t.dropna(subset=["value"]).set_index("record")["value"].astype(int)
    assert counts["rows_read"] == counts["rows_loaded"] + counts["rows_rejected"] + counts["duplicates"]
    assert (counts["rows_rejected"], counts["calls_matched"], counts["unmatched"]) == (1, 150, 1)
    assert t.loc[t["record"] == "file", "reason"].tolist() == ["utf-16"]
    rej = t.loc[t["record"] == "rejected"].iloc[0]
    assert (rej["file"], rej["line"], rej["reason"]) == ("transcripts.jsonl", "2435", "no call id")
    assert t.loc[t["record"] == "unmatched_id", "transcript_id"].tolist() == ["no-such-call"]


def test_validate_transcripts(tmp_path, capsys):
    prof = _client(tmp_path)
    tr = prof.parent / "transcripts.jsonl"
    assert main(["validate", "--transcripts", str(tr)]) == 0
    out = capsys.readouterr().out
    assert "rows read 2436, loaded 2435, rejected 1" in out
    assert "rejected: transcripts.jsonl line 2435: no call id" in out
    calls = prof.parent / "calls" / "Master.csv"
    assert main(["validate", str(calls), "--transcripts", str(tr), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)["transcripts"]
    assert (d["encoding"], d["rows_rejected"], d["calls_matched"], d["unmatched"]) == ("utf-16", 1, 150, 1)
    # a file nothing can be read from: exit 2, one line
    bad = tmp_path / "bad.csv"
    bad.write_text("call_id,speaker,start,end,text\nc1,boss,0,1,да\n", encoding="utf-8")
    assert main(["validate", "--transcripts", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none of the 1 transcript rows could be loaded" in err[0]


def test_report_appendix_shows_the_transcript_load(tmp_path):
    """The report's appendix (data and loading) lists the transcript load: encoding, rows read / rejected with
    line and reason, transcripts matching no call (callkit.speech.views.transcript_load_table)."""
    import types

    from callkit import report
    from callkit.profile import profile_from_dict
    from callkit.speech import load_transcripts

    p = tmp_path / "t.csv"
    p.write_bytes(("call_id,speaker,start,end,text\nc1,employee,0,1,алло\nc1,client,x,2,да\n"
                   "c9,client,0,1,это номер 89161234567\n").encode("utf-16"))
    load = load_transcripts(p, calls=pd.DataFrame({"call_id": ["c1"]}))
    audit = types.SimpleNamespace(load=None, speech_load=load, calls=pd.DataFrame())
    prof = profile_from_dict({"client": "Демо", "slug": "demo"}, check_files=False)
    parts = report.section_appendix(report.ReportContext(audit=audit, profile=prof))
    html = "".join(getattr(x, "_repr_html_", lambda: "")() or "" for x in parts)
    for text in ("t.csv (utf-16)", "Строк прочитано", "Строк отклонено", "Расшифровок без звонка",
                 "c9", "start &#x27;x&#x27; is not a time in seconds"):
        assert text in html, text


def test_an_empty_transcript_file_is_bad_input(tmp_path, capsys):
    # an empty file, or one with a header only, is the wrong file (as an empty call export is),
    # not "no speech": exit 2, one line naming it — it loaded as 0 rows, without a word, before
    for name, content in (("t.jsonl", ""), ("t.csv", "call_id,start,end,speaker,text\n")):
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        assert main(["validate", "--transcripts", str(p)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and f"{name}: no transcript rows in it" in err
