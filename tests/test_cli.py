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
