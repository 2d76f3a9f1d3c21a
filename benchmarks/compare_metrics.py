"""Compare what ``callkit metrics`` writes with two versions of callkit (issue 11 item 7).

Usage::

    python benchmarks/compare_metrics.py --old /path/to/old/checkout [--legs 100000]
                                         [--data benchmarks/data] [--keep DIR]
                                         [--also MASTER.csv EMPLOYEES.csv] [--only-generated]

    git archive HEAD | tar -x -C /tmp/callkit-old     # the code before a change

Runs ``callkit metrics`` with the code of ``--old`` (a checkout or ``git archive`` of the commit
before a change) and with this checkout, in fresh processes, on

1. ``data_samples/profile.yaml`` (the sample company: history, known clients, roles,
   working hours, transcripts),
2. each export of ``data_samples/formats/`` with ``data_samples/employees.csv``,
3. a generated multi-leg Asterisk file (``make_big_asterisk.py``: ``--legs`` legs, queue calls
   of 1–4 legs; 120 employees in 6 departments) and the same with 770 employees in 211
   departments,
4. any ``--also`` file (e.g. the 1M-leg file of ``bench_metrics.py``),

and compares every file written, byte for byte (``calls.parquet`` by its table: the same
columns, types and values). It prints one line per case (with each side's CPU time) and exits 1 when
anything differs. The child checks that ``callkit`` really was imported from the checkout it
was given (an editable install must not shadow ``PYTHONPATH``).
"""
from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

__all__ = ["main", "compare_dirs"]


#: The child: ``callkit metrics`` (``callkit.cli.main``) with the callkit of ``sys.argv[1]`` — it
#: checks that the package really came from there (an editable install of the other checkout
#: must not win over PYTHONPATH) and prints its CPU time last on stderr.
_CHILD = r"""
import os, sys, time
from pathlib import Path
import callkit, callkit.cli
root = Path(sys.argv[1]).resolve()
if root not in Path(callkit.__file__).resolve().parents:
    raise SystemExit(f"callkit imported from {callkit.__file__}, not from {root}")
rc = callkit.cli.main(sys.argv[2:])
print(f"cpu_s={time.process_time():.2f}", file=sys.stderr)
raise SystemExit(rc)
"""


def _run(code_root: Path, args: list[str], out: Path) -> float:
    """Run ``callkit metrics ARGS --out OUT`` with the code of ``code_root``; its CPU seconds."""
    env = {**os.environ, "PYTHONPATH": str(code_root), "CALLKIT_PROGRESS": "0"}
    r = subprocess.run([sys.executable, "-c", _CHILD, str(code_root), "metrics", *args, "--out", str(out)],
                       env=env, capture_output=True, text=True, cwd=str(code_root))
    if r.returncode:
        raise SystemExit(f"callkit metrics {' '.join(args)} failed with {code_root}:\n{r.stderr[-2000:]}")
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    return float(last.split("=", 1)[1]) if last.startswith("cpu_s=") else float("nan")


def compare_dirs(a: Path, b: Path) -> list[str]:
    """The differences between two output folders (empty when identical)."""
    diffs = []
    names = sorted({str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
                   | {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()})
    for name in names:
        pa_, pb = a / name, b / name
        if not pa_.exists() or not pb.exists():
            diffs.append(f"{name}: only in {'new' if pb.exists() else 'old'}")
        elif name.endswith(".parquet"):
            import pyarrow.parquet as pq
            ta, tb = pq.read_table(pa_), pq.read_table(pb)
            if not ta.schema.remove_metadata().equals(tb.schema.remove_metadata()):
                diffs.append(f"{name}: schema differs")
            elif not ta.equals(tb):
                diffs.append(f"{name}: values differ")
        elif not filecmp.cmp(pa_, pb, shallow=False):
            la, lb = pa_.read_text(encoding="utf-8").splitlines(), pb.read_text(encoding="utf-8").splitlines()
            first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            diffs.append(f"{name}: differs from line {first + 1} ({len(la)} vs {len(lb)} lines)\n"
                         f"    old: {la[first][:200] if first < len(la) else '<end>'}\n"
                         f"    new: {lb[first][:200] if first < len(lb) else '<end>'}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", required=True, help="checkout of the old code")
    ap.add_argument("--legs", type=int, default=100_000)
    ap.add_argument("--data", default=str(HERE / "data"))
    ap.add_argument("--keep", help="write the outputs here instead of a temporary folder")
    ap.add_argument("--also", nargs=2, action="append", default=[], metavar=("MASTER", "EMPLOYEES"),
                    help="one more Asterisk file and its directory (e.g. the 1M-leg benchmark file)")
    ap.add_argument("--only-generated", action="store_true", help="skip the data_samples cases")
    args = ap.parse_args(argv)
    old, new = Path(args.old).resolve(), ROOT
    samples = ROOT / "data_samples"
    data = Path(args.data)
    cases: list[tuple[str, list[str]]] = []
    if not args.only_generated:
        cases.append(("profile", [str(samples / "profile.yaml")]))
        for f in sorted((samples / "formats").iterdir()):
            cases.append((f"formats/{f.name}", [str(f), "--employees", str(samples / "employees.csv")]))
    for ext, dep in ((120, 6), (770, 211)):
        tag = f"{args.legs}_{ext}x{dep}"
        path, emp = data / f"Master_{tag}.csv", data / f"employees_{tag}.csv"
        if not path.exists() or not emp.exists():
            subprocess.run([sys.executable, str(HERE / "make_big_asterisk.py"), str(path), str(args.legs),
                            "--employees", str(emp), "--extensions", str(ext), "--departments", str(dep),
                            "--start", "2026-09-01", "--days", "61"], check=True)
        cases.append((path.name, [str(path), "--employees", str(emp)]))
    for path, emp in args.also:
        cases.append((Path(path).name, [str(Path(path).resolve()), "--employees", str(Path(emp).resolve())]))
    bad = 0
    with tempfile.TemporaryDirectory(prefix="callkit-compare-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        for i, (name, cli) in enumerate(cases):
            a, b = root / f"{i:02d}_old", root / f"{i:02d}_new"
            cpu_old = _run(old, cli, a)
            cpu_new = _run(new, cli, b)
            diffs = compare_dirs(a, b)
            n = sum(1 for p in a.rglob("*") if p.is_file())
            print(f"{'same' if not diffs else 'DIFFERENT'}: {name} ({n} files; CPU {cpu_old:.1f} s old, "
                  f"{cpu_new:.1f} s new)", flush=True)
            for d in diffs:
                print("  " + d)
            bad += bool(diffs)
    print(f"{len(cases) - bad} of {len(cases)} cases identical")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
