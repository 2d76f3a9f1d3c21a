"""Benchmark: ``load_calls`` on a ~100 MB ``mysqldump`` of asteriskcdrdb — wall time and peak RSS.

The point is that a dump streams: the file is scanned in 8 MB chunks and only the CDR columns
callkit uses are kept (as Arrow strings), so peak memory stays well below what holding the
dump's rows as Python objects would take.

Usage::

    python benchmarks/bench_dump.py [--mb 100] [--path benchmarks/data/asteriskcdrdb_100MB.sql]

The dump (a 26-column FreePBX ``cdr`` table in extended INSERTs of 1,000 rows, plus a ``cel``
table that is not read) is generated once (gitignored). Each run loads in a fresh process so
peak RSS is the loader's own; the figures are printed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from callkit.io import load_calls
t_import = time.perf_counter() - t0
t0 = time.perf_counter()
res = load_calls(sys.argv[1])
t = time.perf_counter() - t0
r = res.report
print(json.dumps({"seconds": t, "import_s": t_import,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows_read": r.rows_read, "rows_loaded": r.rows_loaded, "rejected": r.rows_rejected,
                  "sessions": r.sessions, "reconciled": r.reconciled}))
"""

_CHILD_READ = r"""
import json, resource, sys, time
from callkit.io.text import read_table
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
c0 = time.process_time()
table = read_table(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "import_rss_mb": base,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "records": len(table),
                  "kept_mb": float(table.frame_.memory_usage(deep=True).sum()) / 1e6}))
"""

_COLS = ("calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata",
         "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid", "userfield", "did",
         "recordingfile", "cnum", "cnam", "outbound_cnum", "outbound_cnam", "dst_cnam", "linkedid",
         "peeraccount", "sequence")


def make_dump(path: Path, mb: int, *, seed: int = 0) -> None:
    """Write a synthetic mysqldump of about ``mb`` megabytes (synthetic numbers only)."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = mb * 1_000_000
    t0 = 1790838000
    seq = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)\n--\n-- Host: localhost    "
                 "Database: asteriskcdrdb\n\n/*!40101 SET NAMES utf8 */;\n\nDROP TABLE IF EXISTS `cdr`;\n"
                 "CREATE TABLE `cdr` (\n" + ",\n".join(f"  `{c}` varchar(80) NOT NULL DEFAULT ''" for c in _COLS)
                 + ",\n  KEY `calldate` (`calldate`)\n) ENGINE=MyISAM DEFAULT CHARSET=latin1;\n\n"
                 "LOCK TABLES `cdr` WRITE;\n")
        while fh.tell() < target * 0.9:
            n = 1000
            start = t0 + np.cumsum(rng.integers(1, 40, n)) + seq * 20
            ext = rng.integers(101, 221, n)
            client = rng.integers(0, 999_999, n)
            dur = rng.integers(5, 600, n)
            ans = rng.random(n) < 0.7
            bill = np.where(ans, np.maximum(dur - rng.integers(3, 30, n), 0), 0)
            inc = rng.random(n) < 0.5
            rows = []
            for i in range(n):
                seq += 1
                ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(start[i]) + 3 * 3600))
                num = f"8972{client[i]:07d}"
                uid = f"{int(start[i])}.{seq}"
                src, dst = (num, str(ext[i])) if inc[i] else (str(ext[i]), num)
                chan = f"SIP/trunk-{seq:08x}" if inc[i] else f"SIP/{ext[i]}-{seq:08x}"
                dchan = f"SIP/{ext[i]}-{seq + 1:08x}" if inc[i] else f"SIP/trunk-{seq + 1:08x}"
                disp = "ANSWERED" if ans[i] else "NO ANSWER"
                rows.append(f"('{ts}','\\\"Client\\\" <{src}>','{src}','{dst}','from-internal','{chan}',"
                            f"'{dchan}','Dial','SIP/{dst},60,tT',{dur[i]},{bill[i]},'{disp}',3,'','{uid}','',"
                            f"'74950011111','','{src}','Client','','','','{uid}','',{seq})")
            fh.write("INSERT INTO `cdr` VALUES " + ",".join(rows) + ";\n")
        fh.write("UNLOCK TABLES;\n\nCREATE TABLE `cel` (\n  `id` int(11) NOT NULL,\n  `eventtype` varchar(30),\n"
                 "  `uniqueid` varchar(150)\n) ENGINE=InnoDB;\n")
        i = 0
        while fh.tell() < target:
            fh.write("INSERT INTO `cel` VALUES " + ",".join(f"({i + k},'CHAN_START','{t0 + i + k}.1')"
                                                        for k in range(2000)) + ";\n")
            i += 2000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--path", default=None)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args(argv)
    path = Path(args.path) if args.path else HERE / "data" / f"asteriskcdrdb_{args.mb}MB.sql"
    if not path.exists():
        t = time.perf_counter()
        make_dump(path, args.mb)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
    def child(code: str) -> dict:
        out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    reads = [child(_CHILD_READ) for _ in range(args.runs)]
    results = [child(_CHILD) for _ in range(args.runs)]
    best = min(results, key=lambda r: r["seconds"])
    size = path.stat().st_size / 1e6
    rd = min(reads, key=lambda r: r["seconds"])
    print(f"reading the dump (scan + CDR columns kept): best {rd['seconds']:.1f} s wall, {rd['cpu_s']:.1f} s CPU; "
          f"peak RSS {max(r['peak_rss_mb'] for r in reads):.0f} MB of which {rd['import_rss_mb']:.0f} MB is the "
          f"imports; columns kept {rd['kept_mb']:.0f} MB")
    print(f"dump: {size:.0f} MB; cdr rows read: {best['rows_read']:,}  loaded: {best['rows_loaded']:,}  "
          f"sessions: {best['sessions']:,}  reconciled: {best['reconciled']}")
    print(f"load_calls (read + legs + fold): best {best['seconds']:.1f} s of {len(results)} runs "
          f"({', '.join(format(r['seconds'], '.1f') for r in results)}); import {best['import_s']:.1f} s")
    print(f"load_calls peak RSS: {max(r['peak_rss_mb'] for r in results):.0f} MB ({size:.0f} MB file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
