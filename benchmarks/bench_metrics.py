"""Benchmark: ``callkit metrics`` end to end vs DuckDB on a ~1M-leg Asterisk export.

Usage::

    python benchmarks/bench_metrics.py [MASTER.csv] [--employees F] [--legs N] [--keep DIR]
                                       [--cli]

Without a file, a Master.csv (Asterisk cdr_csv, 21 columns, legs grouped by linkedid) is made
first: by ``benchmarks/make_big_asterisk.py`` (``PATH LEGS --employees F``) when it exists, otherwise
by the simple vectorised generator below (queue calls of 1–3 legs, outgoing and internal
calls; synthetic unallocated numbers only). Generation is not timed.

Timed, in the same run:

1. callkit: ``load_calls`` + ``audit_from_load`` + ``write_metrics`` (what ``callkit metrics``
   does; ``--cli`` runs the ``callkit metrics`` command in a subprocess instead);
2. DuckDB: ``read_csv`` of the same file and a per-employee group-by (the extension parsed from
   the channels, calls and billsec per extension).

Prints both times and the ratio (target: callkit ≤ 3 × DuckDB).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["make_master_csv", "run_callkit", "run_duckdb", "main"]

DEPTS = ("Продажи B2B", "Продажи B2C", "Сервис")


def _q(a: np.ndarray) -> np.ndarray:
    return np.char.add(np.char.add('"', a.astype(str)), '"')


def make_master_csv(path: Path, *, legs: int = 1_000_000, seed: int = 0,
                    employees: int = 30) -> tuple[Path, Path]:
    """Write a synthetic Asterisk Master.csv of about ``legs`` rows and its employees.csv.

    Sessions: 45 % outgoing (1 leg), 40 % incoming through a queue (1–3 legs, the last one
    answered in 85 % of calls), 15 % internal (1 leg), over October 2026, 9:00–19:00 local.
    """
    rng = np.random.default_rng(seed)
    n_sess = int(legs / 1.48)
    kind = rng.choice(3, size=n_sess, p=[0.45, 0.40, 0.15])        # 0 out, 1 in, 2 internal
    n_legs = np.where(kind == 1, rng.integers(1, 4, size=n_sess), 1)
    day = rng.integers(0, 31, size=n_sess)
    sec = rng.integers(9 * 3600, 19 * 3600, size=n_sess)
    t0 = (np.datetime64("2026-10-01T00:00:00") + day.astype("timedelta64[D]")
          + sec.astype("timedelta64[s]"))
    exts = np.array([str(101 + i) for i in range(employees)])
    emp = rng.integers(0, employees, size=n_sess)
    peer = (emp + rng.integers(1, employees, size=n_sess)) % employees
    client = np.char.add("8", np.char.add(np.char.add("97", rng.integers(2, 7, size=n_sess).astype(str)),
                                          np.char.add("0", np.char.zfill(rng.integers(0, 10**6, size=n_sess).astype(str), 6))))
    answered = rng.random(n_sess) < np.where(kind == 1, 0.85, 0.6)
    talk = np.where(answered, rng.gamma(2.0, 90.0, size=n_sess).astype(int) + 5, 0)
    # expand to legs
    idx = np.repeat(np.arange(n_sess), n_legs)
    leg_no = np.arange(len(idx)) - np.repeat(np.cumsum(n_legs) - n_legs, n_legs)
    last = leg_no == (np.repeat(n_legs, n_legs) - 1)
    k = kind[idx]
    ring = np.where(last, rng.integers(3, 25, size=len(idx)), 15)
    start = t0[idx] + (leg_no * 16).astype("timedelta64[s]")
    ans = answered[idx] & last
    talk_l = np.where(ans, talk[idx], 0)
    end = start + (ring + talk_l).astype("timedelta64[s]")
    answer = start + ring.astype("timedelta64[s]")
    agent = np.where(k == 1, (emp[idx] + leg_no) % employees, emp[idx])
    a_ext = exts[agent]
    uid = np.char.add("1790000000.", np.arange(len(idx)).astype(str))
    linked = np.char.add("1790000000.", (np.cumsum(n_legs) - n_legs)[idx].astype(str))
    hexid = np.char.zfill(np.arange(len(idx)).astype(str), 8)
    sip_a = np.char.add(np.char.add(np.char.add("SIP/", a_ext), "-"), hexid)
    trunk = np.char.add("SIP/trunk_rt-", hexid)
    src = np.where(k == 1, client[idx], a_ext)
    dst = np.where(k == 0, client[idx], np.where(k == 1, "600", exts[peer[idx]]))
    channel = np.where(k == 1, trunk, sip_a)
    dstchannel = np.where(k == 0, trunk, np.where(
        k == 1, sip_a, np.char.add(np.char.add("SIP/", exts[peer[idx]]), np.char.add("-", hexid))))
    disp = np.where(ans, "ANSWERED", np.where((k == 0) & (rng.random(len(idx)) < 0.1), "BUSY",
                                              "NO ANSWER"))
    fmt = "%Y-%m-%d %H:%M:%S"
    s_start = pd.to_datetime(start).strftime(fmt).to_numpy(dtype=str)
    s_end = pd.to_datetime(end).strftime(fmt).to_numpy(dtype=str)
    s_ans = np.where(ans, np.char.add(np.char.add('"', pd.to_datetime(answer).strftime(fmt)
                                                  .to_numpy(dtype=str)), '"'), "")
    dur = (end - start).astype(np.int64)
    ctx = np.where(k == 1, "from-trunk", "from-internal")
    lastapp = np.where(k == 1, "Queue", "Dial")
    clid = np.full(len(idx), '""')      # an empty quoted clid
    cols = [_q(np.full(len(idx), "")), _q(src), _q(dst), _q(ctx), clid,
            _q(channel), _q(dstchannel), _q(lastapp), _q(np.full(len(idx), "")), _q(s_start),
            s_ans, _q(s_end), dur.astype(str), talk_l.astype(str), _q(disp),
            _q(np.full(len(idx), "DOCUMENTATION")), _q(uid), _q(np.full(len(idx), "")),
            _q(np.full(len(idx), "")), _q(linked), (leg_no + 1).astype(str)]
    lines = cols[0]
    for c in cols[1:]:
        lines = np.char.add(np.char.add(lines, ","), c)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines.tolist()))
        fh.write("\n")
    emp_path = path.with_name("employees.csv")
    pd.DataFrame({"extension": exts, "name": [f"Сотрудник {e}" for e in exts],
                  "department": [DEPTS[i % 3] for i in range(employees)]}).to_csv(
        emp_path, index=False, encoding="utf-8")
    return path, emp_path


def run_callkit(path: Path, employees: Path | None, out: Path, *, cli: bool = False) -> float:
    """Seconds for load + audit + write (``callkit metrics``)."""
    t = time.perf_counter()
    if cli:
        cmd = [sys.executable, "-m", "callkit.cli", "metrics", str(path), "--out", str(out)]
        if employees is not None:
            cmd += ["--employees", str(employees)]
        subprocess.run(cmd, check=True)
    else:
        from callkit.audit import audit_from_load, write_metrics
        from callkit.io import load_calls, load_employees

        emp = load_employees(employees) if employees is not None else None
        load = load_calls(path, employees=emp)
        t1 = time.perf_counter()
        audit = audit_from_load(load, employees=emp)
        t2 = time.perf_counter()
        write_metrics(audit, out)
        t3 = time.perf_counter()
        print(f"  callkit: {load.report.rows_read} legs read, {len(audit.calls)} sessions, "
              f"{len(audit.managers)} employees, {len(audit.findings)} findings")
        print(f"  callkit split: load {t1 - t:.1f} s, audit {t2 - t1:.1f} s, "
              f"write {t3 - t2:.1f} s")
    return time.perf_counter() - t


def run_duckdb(path: Path) -> float:
    """Seconds for DuckDB reading the file and a per-employee group-by."""
    import duckdb

    t = time.perf_counter()
    con = duckdb.connect()
    rel = con.sql(f"""
        SELECT coalesce(regexp_extract(channel, '^[A-Z]+/(\\d{{2,5}})-', 1),
                        regexp_extract(dstchannel, '^[A-Z]+/(\\d{{2,5}})-', 1)) AS ext,
               count(*) AS legs, count(DISTINCT linkedid) AS calls, sum(billsec) AS talk_s
        FROM read_csv('{path}', header = false, all_varchar = false, columns = {{
            'accountcode': 'VARCHAR', 'src': 'VARCHAR', 'dst': 'VARCHAR', 'dcontext': 'VARCHAR',
            'clid': 'VARCHAR', 'channel': 'VARCHAR', 'dstchannel': 'VARCHAR', 'lastapp': 'VARCHAR',
            'lastdata': 'VARCHAR', 'start': 'VARCHAR', 'answer': 'VARCHAR', 'end': 'VARCHAR',
            'duration': 'BIGINT', 'billsec': 'BIGINT', 'disposition': 'VARCHAR',
            'amaflags': 'VARCHAR', 'uniqueid': 'VARCHAR', 'userfield': 'VARCHAR',
            'peeraccount': 'VARCHAR', 'linkedid': 'VARCHAR', 'sequence': 'BIGINT'}})
        GROUP BY ext ORDER BY ext""")
    res = rel.fetchall()
    dt_ = time.perf_counter() - t
    print(f"  duckdb: {len(res)} groups")
    con.close()
    return dt_


def _find_generator() -> Path | None:
    p = Path(__file__).with_name("make_big_asterisk.py")
    return p if p.exists() else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("calls", nargs="?", help="an Asterisk Master.csv; generated when omitted")
    ap.add_argument("--employees", help="employees directory (CSV/XLSX)")
    ap.add_argument("--legs", type=int, default=1_000_000, help="legs to generate (default 1M)")
    ap.add_argument("--keep", help="folder for the generated file and the CSVs (default: temp)")
    ap.add_argument("--cli", action="store_true", help="time the `callkit metrics` command")
    args = ap.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="callkit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    employees = Path(args.employees) if args.employees else None
    if args.calls:
        path = Path(args.calls)
    else:
        gen = _find_generator()
        path = work / "Master.csv"
        t = time.perf_counter()
        if gen is not None:
            cand = path.with_name("employees.csv")
            subprocess.run([sys.executable, str(gen), str(path), str(args.legs),
                            "--employees", str(cand)], check=True)
            employees = employees or cand
        else:
            path, emp = make_master_csv(path, legs=args.legs)
            employees = employees or emp
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s")
    out = work / "metrics"
    t_ck = run_callkit(path, employees, out, cli=args.cli)
    t_db = run_duckdb(path)
    ratio = t_ck / t_db if t_db > 0 else float("inf")
    print(f"callkit metrics: {t_ck:.2f} s")
    print(f"duckdb read + group-by: {t_db:.2f} s")
    print(f"ratio: {ratio:.1f}x (target <= 3x)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
