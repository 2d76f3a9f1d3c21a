"""Atomic, locked report outputs and batch lines (issue 13, items 4 and 5).

papermill is replaced by a stand-in that writes what the audit notebook writes (an executed
notebook, the workbook, charts) into the folder it is given, so these tests need no kernel.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import nbformat
import pytest

from callkit.cli import main
from callkit.report import run as R
from callkit.report.context import ReportError

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"
PROFILE = SAMPLES / "profile.yaml"
SLUG = "filtr-servis"


def _fake_papermill(monkeypatch, *, fail: BaseException | None = None, delay: float = 0.0,
                    charts: tuple[str, ...] = ("traffic",)) -> list[dict]:
    calls: list[dict] = []

    def execute_notebook(nb_in, nb_out, parameters, **kw):
        calls.append(dict(parameters))
        client = Path(parameters["out"]) / SLUG
        (client / "charts").mkdir(parents=True, exist_ok=True)
        for c in charts:
            (client / "charts" / f"{c}.png").write_bytes(b"png")
            (client / "charts" / f"{c}.svg").write_text("<svg/>")
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"out = {parameters['out']!r}",
                                              metadata={"tags": ["injected-parameters"]})]
        nb.metadata["papermill"] = {"parameters": dict(parameters)}
        nbformat.write(nb, nb_out)
        if delay:
            time.sleep(delay)
        if fail is not None:
            raise fail
        (client / "audit.xlsx").write_bytes(b"xlsx")
        (client / "callback_worklist.xlsx").write_bytes(b"xlsx")

    import papermill
    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    return calls


def _previous_report(out: Path) -> Path:
    d = out / SLUG
    (d / "charts").mkdir(parents=True)
    (d / "audit.html").write_text("the previous report")
    (d / "charts" / "speech_old.png").write_bytes(b"old")   # a chart the next run does not draw
    return d


def test_success_replaces_the_whole_folder(tmp_path, monkeypatch):
    _fake_papermill(monkeypatch)
    prev = _previous_report(tmp_path)
    run = R.run_client(PROFILE, tmp_path)
    assert run.out_dir == prev and run.html.read_text() != "the previous report"
    assert sorted(p.name for p in (prev / "charts").iterdir()) == ["traffic.png", "traffic.svg"]  # no stale chart
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{SLUG}.lock", SLUG]   # no staging left
    nb = nbformat.read(str(run.notebook), as_version=4)   # the notebook names the real folder
    assert str(tmp_path.resolve()) in nb.cells[0].source and ".staging-" not in nb.cells[0].source
    assert nb.metadata["papermill"]["parameters"]["out"] == str(tmp_path.resolve())


@pytest.mark.parametrize("fail", [KeyboardInterrupt(), RuntimeError("kernel died")])
def test_interrupted_or_failed_run_leaves_the_previous_report(tmp_path, monkeypatch, fail):
    _fake_papermill(monkeypatch, fail=fail)
    prev = _previous_report(tmp_path)
    with pytest.raises(type(fail)):
        R.run_client(PROFILE, tmp_path)
    # was: an audit.ipynb marked all-completed beside the old HTML and a mix of old and new charts
    assert (prev / "audit.html").read_text() == "the previous report"
    assert sorted(p.name for p in (prev / "charts").iterdir()) == ["speech_old.png"]
    assert not (prev / "audit.ipynb").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{SLUG}.lock", SLUG]


def test_missing_workbook_is_an_error_and_nothing_is_moved(tmp_path, monkeypatch):
    import papermill
    _fake_papermill(monkeypatch)
    real = papermill.execute_notebook

    def no_workbook(nb_in, nb_out, parameters, **kw):
        real(nb_in, nb_out, parameters, **kw)
        (Path(parameters["out"]) / SLUG / "audit.xlsx").unlink()
    monkeypatch.setattr(papermill, "execute_notebook", no_workbook)
    with pytest.raises(ReportError, match="did not write audit.xlsx"):
        R.run_client(PROFILE, tmp_path)
    assert not (tmp_path / SLUG).exists()


@pytest.mark.parametrize("fail, says", [("timeout", "did not finish in 600 s"), ("dead", "kernel died")])
def test_a_hung_or_dead_kernel_is_one_line_and_nothing_is_replaced(tmp_path, monkeypatch, capsys, fail, says):
    """A cell over the timeout or a killed kernel: one line naming the profile (it was an
    'internal error' with nbclient's cell preview), and the previous report stays."""
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    _fake_papermill(monkeypatch)
    R.run_client(PROFILE, tmp_path)
    before = sorted(p.name for p in (tmp_path / SLUG).iterdir())

    def broken(nb_in, nb_out, parameters, **kw):
        if fail == "timeout":
            raise CellTimeoutError.error_from_timeout_and_cell(
                "Cell execution timed out", kw["execution_timeout"], nbformat.v4.new_code_cell("x = 1"))
        raise DeadKernelError("Kernel died")
    monkeypatch.setattr(papermill, "execute_notebook", broken)
    rc = main(["run", str(PROFILE), "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc != 0 and len(err) == 1, err
    assert says in err[0] and str(PROFILE) in err[0] and "internal error" not in err[0]
    assert sorted(p.name for p in (tmp_path / SLUG).iterdir()) == before


def test_second_run_into_the_same_folder_refuses_with_one_line(tmp_path, monkeypatch, capsys):
    _fake_papermill(monkeypatch, delay=3.0)
    first: dict = {}
    t = threading.Thread(target=lambda: first.setdefault("run", R.run_client(PROFILE, tmp_path)))
    t.start()
    deadline = time.time() + 60
    while not list(tmp_path.glob(f".{SLUG}.staging-*")) and time.time() < deadline:
        time.sleep(0.05)
    # was: both ran, and the first reported success over files holding the second's report
    rc = main(["run", str(PROFILE), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    t.join()
    assert rc == 2 and err.count("\n") == 1 and "another callkit run is writing" in err
    assert first["run"].workbook.is_file()


def test_leftovers_of_a_killed_run_are_removed(tmp_path, monkeypatch):
    _fake_papermill(monkeypatch)
    (tmp_path / f".{SLUG}.staging-dead").mkdir(parents=True)
    (tmp_path / f".{SLUG}.staging-dead" / "x").write_text("half")
    R.run_client(PROFILE, tmp_path)
    assert not list(tmp_path.glob(".*staging*"))


def _clients(root: Path, profiles: dict[str, str]) -> Path:
    for name, text in profiles.items():
        (root / name).mkdir(parents=True)
        (root / name / "profile.yaml").write_text(text, encoding="utf-8")
    return root


LAUGHS = "client: L\nslug: l\na: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


def test_batch_keeps_going_past_bad_profiles_and_names_each(tmp_path, capsys):
    clients = _clients(tmp_path / "clients", {
        "bad": "client: X\nslug: x\nperiod: {start: 2026-02-30, end: 2026-03-01}\n",
        "laughs": LAUGHS,   # was: the pre-check hung on it and no client ran
        "mars": "client: M\nslug: m\ntimezone: Mars/Olympus\n"})
    rc = main(["batch", str(clients), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert rc == 2   # no client could run
    assert lines[0].startswith("failed bad/profile.yaml [slug unknown]: ProfileError") and "2026-02-30" in lines[0]
    assert lines[1].startswith("failed laughs/profile.yaml [slug unknown]:") and "aliases" in lines[1]
    assert lines[2].startswith("failed mars/profile.yaml [slug unknown]:") and "Mars/Olympus" in lines[2]
    assert lines[-1].startswith("0 ok, 3 failed")
    assert "0 ok, 3 failed" in err   # the progress bar ends with the totals, not the last client's "ok"


def test_batch_exit_code_rule(tmp_path, monkeypatch, capsys):
    from callkit import report
    clients = _clients(tmp_path / "clients", {"a": PROFILE.read_text(encoding="utf-8")})
    ok = R.ClientStatus(clients / "a" / "profile.yaml", "ok", slug=SLUG)
    bad = R.ClientStatus(clients / "b" / "profile.yaml", "failed", "ReportError: cell 3", slug="b")
    for statuses, code in (([ok], 0), ([ok, bad], 3), ([bad], 2)):
        monkeypatch.setattr(report, "run_batch", lambda *a, st=statuses, **k: R.BatchSummary(
            tmp_path / "out", st, 1.0, 1))
        assert main(["batch", str(clients), "--out", str(tmp_path / "out")]) == code
    out = capsys.readouterr().out
    assert "failed b/profile.yaml [b]: ReportError: cell 3" in out and f"ok     a/profile.yaml [{SLUG}]" in out
