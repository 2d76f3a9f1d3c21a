"""The report's HTML rendered by headless Chromium: not blank, every image loads, offline.

Skipped with a reason when ``/usr/bin/chromium`` is absent (``.ci/run`` installs it).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import numpy as np
import pytest

from callkit import report

CHROMIUM = os.environ.get("CALLKIT_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--disable-dev-shm-usage"]

needs_chromium = pytest.mark.skipif(not (Path(CHROMIUM).is_file() or shutil.which("chromium")),
                                    reason=f"headless Chromium not found at {CHROMIUM} "
                                           "(apt-get install chromium; .ci/run installs it)")

# appended to a copy of the page: after load, record how many images failed to decode
_PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
  var p = document.createElement('p'); p.id = 'ck-probe';
  p.textContent = 'CKPROBE images=' + imgs.length + ' broken=' + broken;
  document.body.appendChild(p);
});
</script>"""


def _chromium() -> str:
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    profile = tmp / f"chrome-profile-{len(list(tmp.glob('chrome-profile-*')))}"
    cmd = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def screenshot(html: Path, png: Path, tmp: Path, *, size: tuple[int, int] = (1280, 2400)) -> np.ndarray:
    res = _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", html.as_uri()], tmp)
    assert png.is_file(), f"chromium wrote no screenshot: {res.stderr[-500:]}"
    return mpimg.imread(png)


def image_probe(html: Path, tmp: Path) -> tuple[int, int]:
    probe = tmp / (html.stem + "-probe.html")
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    res = _run(["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()], tmp)
    found = re.search(r"CKPROBE images=(\d+) broken=(\d+)", res.stdout)
    assert found, f"probe did not run: {res.stderr[-500:]}"
    return int(found.group(1)), int(found.group(2))


def _small_report(tmp: Path) -> Path:
    """A tiny executed-looking notebook with a chart, exported like the real report."""
    import base64
    import io

    from matplotlib.figure import Figure

    from callkit import plots

    fig = Figure(figsize=(6, 3))
    with plots.theme():
        ax = fig.add_subplot()
        ax.bar(["Анна", "Борис"], [20, 10])
        ax.set_title("Внешние звонки в день")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(chart)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "## Менеджеры"}),
                    nbformat.v4.new_output("display_data", data={
                        "image/png": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": "chart"})]
    nb.cells = [cell]
    nbformat.write(nb, tmp / "small.ipynb")
    return report.export_html(tmp / "small.ipynb", tmp / "small.html", title="Отчёт")


@needs_chromium
def test_small_report_renders_with_images(tmp_path):
    html = _small_report(tmp_path)
    pixels = screenshot(html, tmp_path / "small.png", tmp_path, size=(900, 700))
    assert pixels.std() > 0.02  # a blank page has zero variance
    assert image_probe(html, tmp_path) == (1, 0)


@needs_chromium
def test_broken_image_is_detected(tmp_path):
    # the probe must be able to fail: an image with a bad data URI counts as broken
    html = tmp_path / "bad.html"
    html.write_text('<html><body><p>x</p><img src="data:image/png;base64,AAAA"></body></html>', encoding="utf-8")
    assert image_probe(html, tmp_path) == (1, 1)


@pytest.mark.slow
@needs_chromium
def test_client_report_renders_offline(tmp_path, tmp_path_factory):
    from test_notebooks import sample_run

    run = sample_run(tmp_path_factory)
    pixels = screenshot(run.html, tmp_path / "report.png", tmp_path)
    assert pixels.shape[0] >= 2000 and pixels.std() > 0.05
    # not a single colour over the top of the page either (title, tables)
    assert np.unique(pixels[:600].reshape(-1, pixels.shape[-1]), axis=0).shape[0] > 50
    images, broken = image_probe(run.html, tmp_path)
    assert images >= 10 and broken == 0
