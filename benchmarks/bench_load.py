"""Benchmark: ``load_calls`` on a ~1M-leg Asterisk Master.csv — wall time and peak memory.

Budget (issue 2): ≤ 10 s and ≤ 2 GB on 2 cores.

Usage::

    python benchmarks/bench_load.py [--legs 1000000] [--path benchmarks/data/Master_1M.csv]

The file is generated once by ``benchmarks/make_big_asterisk.py`` (gitignored). Each run loads in
a fresh process so peak RSS is the loader's own.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from callkit.io import load_calls
t_import = time.perf_counter() - t0
t0 = time.perf_counter()
res = load_calls(sys.argv[1], employees=sys.argv[2] if len(sys.argv) > 2 else None)
t = time.perf_counter() - t0
r = res.report
print(json.dumps({"seconds": t, "import_s": t_import, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows_read": r.rows_read, "rows_loaded": r.rows_loaded, "sessions": r.sessions,
                  "reconciled": r.reconciled}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--legs", type=int, default=1_000_000)
    ap.add_argument("--path", default=str(HERE / "data" / "Master_1M.csv"))
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args(argv)
    path = Path(args.path)
    emp = path.with_name("employees_big.csv")
    if not path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_big_asterisk.py"), str(path), str(args.legs),
                        "--employees", str(emp)], check=True)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
    results = []
    for _ in range(args.runs):
        cmd = [sys.executable, "-c", _CHILD, str(path)] + ([str(emp)] if emp.exists() else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    best = min(results, key=lambda r: r["seconds"])
    print(f"legs read: {best['rows_read']:,}  sessions: {best['sessions']:,}  reconciled: {best['reconciled']}")
    print(f"load_calls: best {best['seconds']:.1f} s of {len(results)} runs "
          f"({', '.join(format(r['seconds'], '.1f') for r in results)}); import {best['import_s']:.1f} s")
    print(f"peak RSS: {max(r['peak_rss_mb'] for r in results):.0f} MB  (budget 10 s, 2048 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
