"""Progress bars on stderr (issue 11 item 6): only for big inputs on a terminal; never in --json."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from callkit import progress
from callkit.cli import main
from callkit.io import load_calls

SAMPLE = Path(__file__).resolve().parent.parent / "data_samples" / "calls" / "Master.csv"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def tty(monkeypatch):
    """A fake terminal on stderr (set in the test body: pytest re-captures stderr after setup)."""
    term = Terminal()
    monkeypatch.delenv("CALLKIT_PROGRESS", raising=False)
    progress.set_enabled(None)
    yield lambda: monkeypatch.setattr(sys, "stderr", term) or term
    progress.set_enabled(None)


def test_bar_only_for_big_work_on_a_terminal(tty, monkeypatch):
    term = tty()
    progress.start("loading", ["a"], size=progress.MIN_ROWS - 1).step("a")
    assert term.getvalue() == ""                      # small input: quiet
    bar = progress.start("loading", ["a", "b"], size=progress.MIN_ROWS)
    bar.step("a")
    bar.close()
    assert "callkit: loading" in term.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())   # not a terminal (a pipe, pytest, papermill)
    assert isinstance(progress.start("x", ["a"], size=10**9), progress._Quiet)


def test_bar_switches(tty, monkeypatch):
    tty()
    monkeypatch.setenv("CALLKIT_PROGRESS", "0")
    assert isinstance(progress.start("x", ["a"], size=10**9), progress._Quiet)
    monkeypatch.setenv("CALLKIT_PROGRESS", "1")       # on even for a small input
    assert not isinstance(progress.start("x", ["a"], size=1), progress._Quiet)
    progress.set_enabled(False)
    assert isinstance(progress.start("x", ["a"], size=10**9), progress._Quiet)


def test_load_calls_shows_its_stages(tty, monkeypatch):
    term = tty()
    monkeypatch.setenv("CALLKIT_PROGRESS", "1")
    load_calls(SAMPLE)
    out = term.getvalue()
    assert "callkit: loading" in out and "fold" in out


def test_json_output_stays_quiet(tty, monkeypatch, capsys):
    term = tty()
    monkeypatch.setenv("CALLKIT_PROGRESS", "1")
    assert main(["validate", str(SAMPLE), "--json"]) == 0
    assert term.getvalue() == ""
    assert progress._enabled is None          # the switch is the command's, not the process's
