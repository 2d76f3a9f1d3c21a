"""The package without the checkout (issue 13, item 7): a non-editable install of the wheel runs
``callkit demo`` from any folder.

Kept as cheap as it honestly can be: the wheel is built from a copy of the sources with the
installed setuptools (no build isolation, no network); the fresh venv gets the wheel alone
(``--no-deps``) and sees the dependencies of the test environment through a ``.pth`` line, so
the checkout's editable install (activated only by its own ``.pth`` in the test environment's
site-packages) cannot shadow the wheel — the test checks which ``callkit`` is imported.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert r.returncode == 0, f"{cmd}: {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed (non-editable); returns its bin folder."""
    pytest.importorskip("wheel", reason="the wheel package builds the wheel without network")
    tmp = tmp_path_factory.mktemp("pkg")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("callkit", "notebooks", "data_samples", "docs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "out"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(tmp / "dist"), str(src)])
    wheel = next((tmp / "dist").glob("callkit-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    py = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index", str(wheel)])
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # the dependencies: the test environment's site-packages as a plain path (its .pth files,
    # among them the editable install's finder, are not run from there)
    (site / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CALLKIT_SAMPLES", "CALLKIT_NOTEBOOKS", "VIRTUAL_ENV")}
    # jupyter's data files (nbconvert's HTML templates) of the dependencies' prefix
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["HOME"] = str(tmp)
    return env


def test_wheel_carries_notebooks_and_samples(installed):
    py = installed / "python"
    code = ("import callkit, pathlib; p = pathlib.Path(callkit.__file__).parent; print(p); "
            "print(sorted(x.name for x in (p / 'data' / 'notebooks').glob('*.ipynb'))); "
            "print((p / 'data' / 'samples' / 'profile.yaml').is_file())")
    out = _run([str(py), "-c", code], cwd="/").stdout.split("\n")
    assert out[0].startswith(str(installed.parent))   # the wheel's callkit, not the checkout's
    assert out[1] == "['audit.ipynb', 'explore.ipynb', 'speech.ipynb']" and out[2] == "True"


def test_demo_runs_from_any_folder_and_leaks_nothing(installed, tmp_path):
    """``callkit demo`` from the wheel, from a folder that is not the checkout, on a copy of the
    samples (``$CALLKIT_SAMPLES``) with planted trouble: client numbers in every written form in
    rejected rows and a transcript snippet, Markdown and MathJax in the client's and an
    employee's name (tests/planted.py). Nothing of it may show in the HTML, the notebook beside
    it, the workbook or the charts' SVG."""
    from tests.planted import leaks, plant
    work = tmp_path / "anywhere"
    work.mkdir()
    env = _env(tmp_path)
    env["CALLKIT_SAMPLES"] = str(plant(tmp_path / "planted").parent)
    assert _run([str(installed / "callkit"), "--version"], cwd=work, env=env).stdout.startswith("callkit ")
    r = _run([str(installed / "callkit"), "demo", "--out", "X"], cwd=work, env=env)
    client = work / "X" / "filtr-servis"
    for name in ("audit.html", "audit.ipynb", "audit.xlsx"):
        assert (client / name).is_file() and (client / name).stat().st_size > 1000, name
    assert len(list((client / "charts").glob("*.svg"))) >= 5
    assert "Traceback" not in r.stderr and "KeyboardInterrupt" not in r.stderr, r.stderr[-2000:]
    assert leaks(client) == []
