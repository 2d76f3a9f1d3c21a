"""The CLI's contract for bad input (issue 13, items 4 and 7): one line on stderr and exit 2,
no traceback; help for every option; --version; request and demo write where they are told.

Each test names the case of the issue it covers; each failed before this work.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from callkit import cli
from callkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def _one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("callkit: ") and "Traceback" not in err


@pytest.mark.parametrize("command", [
    ["run", str(SAMPLES / "profile.yaml")], ["demo"], ["batch", str(SAMPLES)],
    ["request", str(SAMPLES / "profile.yaml")], ["sample"], ["metrics", str(SAMPLES / "formats" / "sipuni.csv")],
])
def test_out_naming_an_existing_file_is_one_line(tmp_path, capsys, command):
    f = tmp_path / "report.txt"
    f.write_text("not a folder")
    rc, out, err = _cli(capsys, *command, "--out", str(f))   # was NotADirectoryError/FileExistsError tracebacks
    assert rc == 2 and out == ""
    _one_line(err)
    assert "exists and is not a folder" in err and "report.txt" in err
    assert f.read_text() == "not a folder"


def test_request_writes_to_the_current_folder_not_the_profiles(tmp_path, capsys, monkeypatch):
    prof = tmp_path / "clients" / "romashka"
    prof.mkdir(parents=True)
    shutil.copy(SAMPLES / "profile.yaml", prof / "profile.yaml")
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    rc, out, _ = _cli(capsys, "request", str(prof / "profile.yaml"))
    assert rc == 0
    written = Path(out.strip())
    assert written.parent == here and written.is_file()      # was: beside the profile
    assert sorted(p.name for p in prof.iterdir()) == ["profile.yaml"]
    rc, out, _ = _cli(capsys, "request", str(prof / "profile.yaml"), "--out", str(tmp_path / "req"))
    assert rc == 0 and Path(out.strip()).parent == tmp_path / "req"


def test_demo_honours_callkit_samples(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CALLKIT_SAMPLES", str(tmp_path / "nowhere"))
    rc, _, err = _cli(capsys, "demo", "--out", str(tmp_path / "out"))   # was: ignored, ran data_samples/
    assert rc == 2 and "CALLKIT_SAMPLES" in err and "nowhere" in err
    _one_line(err)
    good = tmp_path / "samples"
    shutil.copytree(SAMPLES, good)
    monkeypatch.setenv("CALLKIT_SAMPLES", str(good))
    assert cli._sample_profile() == good / "profile.yaml"


def test_empty_batch_folder_is_an_error(tmp_path, capsys):
    (tmp_path / "clients").mkdir()
    rc, _, err = _cli(capsys, "batch", str(tmp_path / "clients"), "--out", str(tmp_path / "out"))
    assert rc == 2 and "no client profiles" in err   # was: exit 0, "0 ok, 0 failed"
    _one_line(err)


def test_batch_jobs_must_be_positive(tmp_path, capsys):
    rc, _, err = _cli(capsys, "batch", str(SAMPLES), "--out", str(tmp_path / "o"), "--jobs", "0")
    assert rc == 2 and "--jobs" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert re.fullmatch(r"callkit \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    acts = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(acts[0].choices)


def test_every_option_has_help_and_says_its_default():
    for name, p in _subparsers(cli.build_parser()).items():
        text = p.format_help()
        for act in p._actions:
            if isinstance(act, argparse._HelpAction):
                continue
            assert act.help, f"{name} {act.option_strings or act.dest}: no help"
            if act.option_strings and act.default not in (None, False, argparse.SUPPRESS):
                assert f"(default: {act.default})" in " ".join(text.split()), (name, act.dest)


def test_help_cites_only_documents_in_the_repository():
    texts = [cli.build_parser().format_help()] + [p.format_help() for p in _subparsers(cli.build_parser()).values()]
    cited = set()
    for t in texts:
        assert "DESIGN" not in t and "../shared" not in t   # DESIGN.md is not in the repository
        cited |= set(re.findall(r"[\w/.-]+\.md\b", t))
    assert cited and all((ROOT / c).is_file() for c in cited), cited


def test_profile_format_is_documented_in_the_repository():
    doc = (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")
    from callkit.profile import _KNOWN_KEYS, DEFAULT_THRESHOLDS
    missing = [k for k in sorted(_KNOWN_KEYS) if f"`{k}`" not in doc]
    missing += [k for k in DEFAULT_THRESHOLDS if f"`thresholds.{k}`" not in doc]
    assert not missing, f"docs/profile.md does not describe {missing}: add a row for each new key"


def test_broken_pipe_exits_quietly(tmp_path):
    # `callkit validate ... | head`: the reader is gone before callkit writes
    p = subprocess.Popen([sys.executable, "-m", "callkit.cli", "validate", str(SAMPLES / "formats" / "sipuni.csv")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    p.stdout.close()
    err = p.stderr.read().decode()
    rc = p.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""   # was: a traceback
    assert rc == 141


def test_internal_error_is_one_line(capsys, monkeypatch):
    def boom(args):
        raise RuntimeError("a bug\nover two lines")
    monkeypatch.setattr(cli, "cmd_sample", boom)
    rc, _, err = _cli(capsys, "sample", "--out", "x")
    assert rc == 1 and "internal error: RuntimeError: a bug over two lines" in err
    _one_line(err)


def test_unreadable_file_is_one_line(tmp_path, capsys):
    if os.geteuid() == 0:
        # root reads anything: use a name too long for the file system instead
        rc, _, err = _cli(capsys, "validate", str(tmp_path / ("x" * 300 + ".csv")))
    else:  # pragma: no cover - CI runs as root
        p = tmp_path / "calls.csv"
        p.write_text("x")
        p.chmod(0)
        rc, _, err = _cli(capsys, "validate", str(p))
    assert rc == 2
    _one_line(err)


def test_broken_known_clients_file_is_one_line(tmp_path, capsys):
    work = tmp_path / "c"
    shutil.copytree(SAMPLES, work, ignore=shutil.ignore_patterns("transcripts*"))
    text = (work / "profile.yaml").read_text(encoding="utf-8")
    (work / "profile.yaml").write_text(re.sub(r"(?m)^transcripts:.*$", "", text), encoding="utf-8")
    (work / "clients.csv").write_bytes(b"")          # was: csv.Error traceback (could not determine delimiter)
    rc, _, err = _cli(capsys, "metrics", str(work / "profile.yaml"), "--out", str(tmp_path / "m"))
    assert rc == 2 and "clients.csv" in err and "empty" in err
    _one_line(err)


def test_known_clients_bare_list_keeps_its_first_number(tmp_path):
    from callkit.classify import load_known_clients
    p = tmp_path / "clients.csv"
    p.write_text("89161234567\n8 (916) 123-45-68\n", encoding="utf-8")
    # a list without a header: the first line is a number, not a column name (was dropped)
    assert load_known_clients(p).tolist() == ["+79161234567", "+79161234568"]
