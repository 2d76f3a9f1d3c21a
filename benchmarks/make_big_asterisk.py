"""Write a large synthetic Asterisk ``cdr_csv`` Master.csv (21 columns) for the load and metrics
benchmarks, fast: sessions are drawn with numpy in chunks and streamed to disk.

Usage::

    python benchmarks/make_big_asterisk.py benchmarks/data/Master_1M.csv 1000000 \
        [--seed 0] [--employees benchmarks/data/employees.csv] [--start 2026-04-01] [--days 183] \
        [--extensions 120] [--departments 6]

The file looks like ``data_samples/calls/Master.csv`` (same dialplan shapes: queue legs sharing a
linkedid, outgoing through a trunk, internal calls, a bare empty ``answer`` when unanswered) but
for a bigger company: 120 extensions in 6 departments by default (``--extensions 770
--departments 211`` is the many-departments case of issue 11). Every number is synthetic (mobiles
+7 972…976 0xxxxxx, landlines +7 495 0xx-xx-xx, written in the national ``8…`` form).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["make_big_asterisk", "main"]

N_EXT = 120
DEPTS = ["Продажи 1", "Продажи 2", "Продажи 3", "Продажи 4", "Сервис", "Логистика"]
_LEGS_PER_SESSION = 1.24    # mean of the mix below: 0.6 × 1 + 0.4 × 1.6 (queue calls have 1–4 legs)


def _exts(n: int = N_EXT) -> np.ndarray:
    return np.array([str(100 + i + 1) for i in range(n)])


def departments(n: int) -> list[str]:
    """``n`` department names: the six of the default company, or ``Отдел 001`` … for more."""
    return DEPTS[:n] if n <= len(DEPTS) else [f"Отдел {i + 1:03d}" for i in range(n)]


def write_employees(path: str | Path, *, extensions: int = N_EXT, n_departments: int = len(DEPTS)) -> Path:
    """The employees directory matching the big file (extension, name, department, hire_date):
    extension i belongs to department i mod n_departments."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = ["extension,name,department,hire_date"]
    deps = departments(n_departments)
    for i, e in enumerate(_exts(extensions)):
        lines.append(f"{e},Сотрудник {e},{deps[i % len(deps)]},2022-01-10")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _chunk(rng: np.random.Generator, n: int, t0: int, days: int, uid0: int, seq0: int,
           chan0: int, tz_offset: int, exts: np.ndarray) -> tuple[list[str], list[bool], int, int, int]:
    """``n`` sessions as CSV lines; returns (lines, is-first-leg flags, next uniqueid counter,
    next sequence, next channel)."""
    n_ext = len(exts)
    kind = rng.choice(3, size=n, p=[0.45, 0.40, 0.15])           # 0 out, 1 in (queue), 2 internal
    day = rng.integers(0, days, size=n)
    wd = (day + 3) % 7                                          # t0 is a Thursday-ish origin
    day = np.where(wd >= 5, day - 2, day).clip(0, days - 1)     # fold weekends onto Fri/Thu
    sec = rng.integers(9 * 3600, 18 * 3600, size=n)
    start = t0 + day * 86400 + sec                              # local epoch seconds (naive)
    start.sort()
    ext = exts[rng.integers(0, n_ext, size=n)]
    ext2 = exts[rng.integers(0, n_ext, size=n)]
    mob = rng.random(n) < 0.6
    sub = rng.integers(0, 1_000_000, size=n)
    code = rng.integers(972, 977, size=n)
    number = np.where(mob, np.char.add(np.char.add("8", code.astype(str)),
                                       np.char.add("0", np.char.zfill(sub.astype(str), 6))),
                      np.char.add("849500", np.char.zfill((sub % 100000).astype(str), 5)))
    # queue calls: 1–4 ring attempts, the last one answered with p 0.85
    n_att = np.where(kind == 1, rng.choice([1, 2, 3, 4], size=n, p=[0.6, 0.25, 0.1, 0.05]), 1)
    answered = rng.random(n) < np.where(kind == 1, 0.85, np.where(kind == 0, 0.6, 0.8))
    talk = np.maximum(5, rng.lognormal(np.log(100), 0.7, size=n)).astype(np.int64)
    ring_last = rng.integers(3, 20, size=n)

    leg_sess = np.repeat(np.arange(n), n_att)
    leg_k = np.arange(len(leg_sess)) - np.repeat(np.cumsum(n_att) - n_att, n_att)
    last = leg_k == n_att[leg_sess] - 1
    l_start = start[leg_sess] + leg_k * 17
    l_ans_ok = last & answered[leg_sess]
    l_answer = l_start + ring_last[leg_sess]
    l_end = np.where(l_ans_ok, l_answer + talk[leg_sess],
                     l_start + np.where(last, ring_last[leg_sess] + 10, 15))
    m = len(leg_sess)
    uid = uid0 + np.arange(m)
    first_idx = np.repeat(np.cumsum(n_att) - n_att, n_att)
    utc = l_start - tz_offset
    uniqueid = np.char.add(np.char.add(utc.astype(str), "."), uid.astype(str))
    linkedid = uniqueid[first_idx]
    seq = seq0 + np.arange(m)
    lk = kind[leg_sess]
    agent = np.where(lk == 1, exts[rng.integers(0, n_ext, size=m)], ext2[leg_sess])
    num = number[leg_sess]
    e1 = ext[leg_sess]
    chan = chan0 + np.arange(2 * m).reshape(m, 2)
    ch_a = np.char.zfill(np.char.mod("%x", chan[:, 0]), 8)
    ch_b = np.char.zfill(np.char.mod("%x", chan[:, 1]), 8)

    def ts(a: np.ndarray) -> np.ndarray:
        return np.char.replace(np.datetime_as_string(a.astype("datetime64[s]"), unit="s"), "T", " ")

    s_start, s_ans, s_end = ts(l_start), ts(l_answer), ts(l_end)
    dur = (l_end - l_start).astype(str)
    bill = np.where(l_ans_ok, l_end - l_answer, 0).astype(str)
    disp = np.where(l_ans_ok, "ANSWERED", "NO ANSWER")
    lines = []
    cols = zip(lk.tolist(), e1.tolist(), num.tolist(), agent.tolist(), ch_a.tolist(), ch_b.tolist(),
               s_start.tolist(), s_ans.tolist(), s_end.tolist(), dur.tolist(), bill.tolist(),
               disp.tolist(), l_ans_ok.tolist(), uniqueid.tolist(), linkedid.tolist(), seq.tolist())
    for k, e, nm, ag, ca, cb, st, an, en, du, bi, di, ok, ui, li, sq in cols:
        if k == 0:
            head = (f'"","{e}","{nm}","from-internal","""Сотрудник {e}"" <{e}>",'
                    f'"SIP/{e}-{ca}","SIP/trunk_rt-{cb}","Dial","SIP/trunk_rt/{nm},60,tT",')
        elif k == 1:
            head = (f'"","{nm}","600","ext-queues","""{nm}"" <{nm}>",'
                    f'"SIP/trunk_mango-{ca}","SIP/{ag}-{cb}","Queue","600,tT,,,300",')
        else:
            head = (f'"","{e}","{ag}","from-internal","""Сотрудник {e}"" <{e}>",'
                    f'"SIP/{e}-{ca}","SIP/{ag}-{cb}","Dial","SIP/{ag},30,tT",')
        ans = f'"{an}"' if ok else ""
        lines.append(f'{head}"{st}",{ans},"{en}",{du},{bi},"{di}",'
                     f'"DOCUMENTATION","{ui}","","","{li}",{sq}\n')
    firsts = (leg_k == 0).tolist()
    return lines, firsts, uid0 + m, seq0 + m, chan0 + 2 * m


def make_big_asterisk(path: str | Path, legs: int = 1_000_000, *, seed: int = 0,
                      start: str = "2026-04-01", days: int = 183, tz_offset_h: int = 3,
                      extensions: int = N_EXT) -> dict:
    """Write about ``legs`` Asterisk legs to ``path``; return counts and the time taken."""
    t_begin = time.perf_counter()
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    t0 = int(np.datetime64(start, "s").astype(np.int64))
    sessions_total = max(1, int(round(legs / _LEGS_PER_SESSION)))
    chunk = 100_000
    uid, seq, chan = 100, 1, 0x1a
    written = 0
    sessions = 0
    # sessions of each chunk cover a slice of the days, so the file runs forward in time
    n_chunks = max(1, -(-sessions_total // chunk))
    span = max(1, days // n_chunks)
    with p.open("w", encoding="utf-8", newline="") as fh:
        c = 0
        while written < legs:
            n = max(1, min(chunk, sessions_total - sessions))
            c += 1
            lines, firsts, uid, seq, chan = _chunk(rng, n, t0 + min(c - 1, n_chunks - 1) * span * 86400, span, uid, seq, chan,
                                           tz_offset_h * 3600, _exts(extensions))
            if written + len(lines) > legs:
                lines, firsts = lines[: legs - written], firsts[: legs - written]
            fh.writelines(lines)
            written += len(lines)
            sessions += sum(firsts)
    return {"path": str(p), "legs": written, "sessions": sessions, "bytes": p.stat().st_size,
            "seconds": round(time.perf_counter() - t_begin, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("legs", type=int, nargs="?", default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", default="2026-04-01", help="first local date")
    ap.add_argument("--days", type=int, default=183)
    ap.add_argument("--employees", help="also write the matching employees.csv here")
    ap.add_argument("--extensions", type=int, default=N_EXT, help="employees (extensions 101…)")
    ap.add_argument("--departments", type=int, default=len(DEPTS), help="departments they are in")
    a = ap.parse_args(argv)
    if a.legs < 1:
        print("error: legs must be 1 or more", file=sys.stderr)
        return 2
    info = make_big_asterisk(a.path, a.legs, seed=a.seed, start=a.start, days=a.days,
                             extensions=a.extensions)
    if a.employees:
        write_employees(a.employees, extensions=a.extensions, n_departments=a.departments)
    print(f"{info['legs']} legs, {info['sessions']} sessions, {info['bytes'] / 1e6:.0f} MB "
          f"in {info['seconds']} s -> {info['path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
