"""``callkit metrics --out DIR`` (issue 13 item 5): outputs staged and moved into place under a
lock, so a failed run leaves the previous files, a second run into the folder refuses with one
line, and files of an earlier run that this run does not write (speech.csv of a run with
transcripts) do not survive beside the new ones. The analyst's own files in the folder stay."""
from __future__ import annotations

from pathlib import Path

from callkit import audit as audit_mod
from callkit.cli import EXIT_BAD_INPUT, EXIT_OK, main
from callkit.outputs import MANIFEST, folder_lock

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"
CALLS = SAMPLES / "calls" / "Master.csv"
EMPLOYEES = SAMPLES / "employees.csv"


def _metrics(out: Path, *extra: str) -> int:
    return main(["metrics", str(CALLS), "--employees", str(EMPLOYEES), "--out", str(out), *extra])


def test_stale_files_go_and_foreign_files_stay(tmp_path, capsys):
    out = tmp_path / "csv"
    out.mkdir()
    (out / "notes.txt").write_text("the analyst's own file")
    (out / "speech.csv").write_text("call_id\nfrom a run with transcripts\n")   # not ours: never listed
    assert _metrics(out) == EXIT_OK
    first = set((out / MANIFEST).read_text().split())
    assert (out / "speech.csv").read_text().endswith("from a run with transcripts\n")   # not ours: kept
    assert {"calls.csv", "findings.csv", "managers.csv"} <= first
    # a previous run of ours wrote speech.csv (it is in our list): the next run, without
    # transcripts, must not leave it beside the new calls.csv
    (out / "speech.csv").write_text("call_id\nstale\n")
    (out / MANIFEST).write_text("".join(f"{n}\n" for n in sorted(first | {"speech.csv"})))
    capsys.readouterr()
    assert _metrics(out) == EXIT_OK
    assert not (out / "speech.csv").exists()
    assert (out / "notes.txt").read_text() == "the analyst's own file"
    assert not list(out.glob(".callkit-metrics.staging-*"))
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / n) for n in sorted(first)]


def test_a_failed_run_leaves_the_previous_files(tmp_path, monkeypatch, capsys):
    out = tmp_path / "csv"
    assert _metrics(out) == EXIT_OK
    capsys.readouterr()   # the first run's load summary
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real = audit_mod.write_metrics

    def half_written(audit, folder):            # writes everything, then the disk "fills up"
        real(audit, folder)
        raise OSError(28, "No space left on device", str(Path(folder) / "calls.parquet"))

    monkeypatch.setattr(audit_mod, "write_metrics", half_written)
    assert _metrics(out) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0]
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not list(out.glob(".callkit-metrics.staging-*"))


def test_a_second_run_into_the_folder_refuses(tmp_path, capsys):
    out = tmp_path / "csv"
    out.mkdir()
    with folder_lock(out, "callkit-metrics", target=out):      # a run in progress holds it
        assert _metrics(out) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "another callkit run is writing" in err[0] and str(out) in err[0]
    assert not (out / "calls.csv").exists()
