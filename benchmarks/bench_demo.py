"""Benchmark the report pipeline: ``callkit demo`` end to end, and ``batch --jobs 2`` vs ``--jobs 1``.

Usage::

    python benchmarks/bench_demo.py [--clients 4] [--no-batch] [--keep DIR]

The demo is the full audit of ``data_samples/profile.yaml``: the papermill run of
``notebooks/audit.ipynb`` (kernel start, load, metrics, every chart as PNG and SVG), the HTML
export and the workbook. Target: < 30 s on 2 cores. The batch copies the sample into N
clients (distinct slugs) and runs them with one and with two worker processes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from callkit import report


def _clients(sample: Path, root: Path, n: int) -> Path:
    folder = root / "clients"
    for i in range(n):
        dst = folder / f"client{i + 1}"
        shutil.copytree(sample.parent, dst)
        prof = dst / sample.name
        text = prof.read_text(encoding="utf-8")
        prof.write_text(re.sub(r"(?m)^slug:.*$", f"slug: client{i + 1}", text), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=4, help="clients in the batch comparison")
    ap.add_argument("--no-batch", action="store_true", help="only the demo")
    ap.add_argument("--keep", type=Path, help="write outputs here instead of a temporary folder")
    args = ap.parse_args(argv)

    sample = report.sample_profile_path()
    root = args.keep or Path(tempfile.mkdtemp(prefix="callkit-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}  sample: {sample}")

    t0 = time.perf_counter()
    run = report.demo(root / "demo")
    demo_s = time.perf_counter() - t0
    charts = sum(1 for p in run.charts if p.suffix == ".png")
    print(f"demo end to end:      {demo_s:6.1f} s  (target < 30 s; {charts} charts, "
          f"html {run.html.stat().st_size / 1e6:.1f} MB, xlsx {run.workbook.stat().st_size / 1e3:.0f} kB)")

    if not args.no_batch:
        folder = _clients(sample, root, args.clients)
        times = {}
        for jobs in (1, 2):
            summary = report.run_batch(folder, root / f"batch-j{jobs}", jobs=jobs, progress=False)
            times[jobs] = summary.seconds
            print(f"batch {args.clients} clients --jobs {jobs}: {summary.seconds:6.1f} s  "
                  f"({len(summary.ok)} ok, {len(summary.failed)} failed; "
                  f"{summary.seconds / args.clients:.1f} s per client)")
        print(f"speed-up jobs 2 vs 1: {times[1] / times[2]:.2f}x")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
