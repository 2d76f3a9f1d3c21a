"""The leg fold on DuckDB gives exactly what the numpy fold gave (issue 11 item 7).

Every file of ``data_samples/`` and a generated Asterisk file full of multi-leg sessions (queues
ringing several agents, ``Local/`` channel pairs, transfers with overlapping legs, IVR-only
answers, equal start times, answered legs without an answer time, hidden, foreign and local
numbers, the company's own numbers, extensions missing from the directory) are loaded twice,
once per fold, and the call tables, the leg tables and the notes must be identical.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import callkit.io as cio
from callkit import schema as S
from callkit.errors import CallkitError, InputError
from callkit.io import fold
from tests.asterisk_rows import cdr_line
from tests.fold_reference import fold_numpy

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"
EMPLOYEES = SAMPLES / "employees.csv"


def _both(monkeypatch, path, **kw):
    """Load ``path`` with the SQL fold and with the numpy fold (or the error both raise)."""
    res = {}
    for name, fn in (("sql", fold.fold_sessions), ("numpy", fold_numpy)):
        monkeypatch.setattr(cio, "fold_sessions", fn)
        try:
            res[name] = cio.load_calls(path, **kw)
        except CallkitError as exc:
            res[name] = f"{type(exc).__name__}: {exc}"
    return res["sql"], res["numpy"]


def _same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    pd.testing.assert_frame_equal(a.calls, b.calls, check_exact=True)
    pd.testing.assert_frame_equal(a.legs, b.legs, check_exact=True)
    assert a.report.notes == b.report.notes
    assert a.report.to_dict() == b.report.to_dict()


FIXTURES = Path(__file__).resolve().parent / "data" / "io"
SAMPLE_FILES = sorted([SAMPLES / "calls" / "Master.csv"] + list((SAMPLES / "formats").iterdir())
                      + list(FIXTURES.iterdir()))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sql_fold_equals_numpy_fold_on_samples(monkeypatch, path):
    sql, npy = _both(monkeypatch, path, employees=EMPLOYEES,
                     own_numbers=("+74950001000", "+74950001100"))
    assert path.parent == FIXTURES or len(sql.calls) > 0
    _same(sql, npy)
    sql, npy = _both(monkeypatch, path)   # no directory: any short number is a person
    _same(sql, npy)


EXTS = [str(x) for x in (101, 102, 103, 104, 201, 202, 203, 301)]
UNLISTED = ["150", "777"]        # extensions not in the directory


def _directory(tmp: Path) -> Path:
    p = tmp / "employees.csv"
    depts = ["Продажи", "Продажи", "Сервис", "Сервис", "Опт", "Опт", "Опт", ""]
    rows = ["extension,name,department"] + [f"{e},Сотрудник {e},{d}" for e, d in zip(EXTS, depts)]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _multi_leg_file(tmp: Path, sessions: int = 1500, seed: int = 7) -> Path:
    """An Asterisk cdr_csv file whose sessions mix every multi-leg shape the fold must handle."""
    rng = np.random.default_rng(seed)
    t0 = dt.datetime(2026, 10, 1, 9, 0, 0)
    fmt = "%Y-%m-%d %H:%M:%S"
    lines: list[str] = []
    uid = 1000
    seq = 1
    clients = (["8972" + f"{rng.integers(0, 10**7):07d}" for _ in range(120)]
               + ["+77011234567", "2149431", "", "Anonymous", "84950001000", "88005553535"])
    people = EXTS + UNLISTED

    def leg(**kw):
        nonlocal uid, seq
        uid += 1
        seq += 1
        kw.setdefault("linkedid", kw.get("uniqueid"))
        lines.append(cdr_line(sequence=seq, **kw))

    def times(start, ring, talk):
        ans = start + dt.timedelta(seconds=ring) if talk is not None else None
        end = (ans + dt.timedelta(seconds=talk)) if ans else start + dt.timedelta(seconds=ring)
        return (start.strftime(fmt), ans.strftime(fmt) if ans else "", end.strftime(fmt),
                int((end - start).total_seconds()), talk or 0)

    for k in range(sessions):
        start = t0 + dt.timedelta(days=int(rng.integers(0, 20)), seconds=int(rng.integers(0, 9 * 3600)))
        link = f"1790000000.{uid + 1}"
        kind = rng.choice(["out", "queue", "local", "transfer", "consult", "internal", "ivr", "own",
                           "noans_time"], p=[0.23, 0.18, 0.15, 0.1, 0.06, 0.1, 0.06, 0.06, 0.06])
        client = clients[int(rng.integers(0, len(clients)))]
        a = people[int(rng.integers(0, len(people)))]
        b = people[int(rng.integers(0, len(people)))]
        if kind == "out":
            disp = rng.choice(["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"])
            talk = int(rng.integers(1, 300)) if disp == "ANSWERED" else None
            s, an, e, du, bi = times(start, int(rng.integers(2, 30)), talk)
            leg(src=a, dst=client, channel=f"SIP/{a}-{k:08x}", dstchannel=f"SIP/trunk-{k:08x}",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition=disp,
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
        elif kind in ("queue", "local"):
            n_att = int(rng.integers(1, 5))
            answered = rng.random() < 0.7
            tie = rng.random() < 0.3          # ring-all: every attempt starts at the same second
            for j in range(n_att):
                who = people[int(rng.integers(0, len(people)))]
                last = j == n_att - 1
                st = start if tie else start + dt.timedelta(seconds=16 * j)
                talk = int(rng.integers(5, 400)) if (answered and last) else None
                s, an, e, du, bi = times(st, int(rng.integers(3, 16)), talk)
                disp = "ANSWERED" if talk else "NO ANSWER"
                if kind == "local":
                    ch = f"Local/{who}@from-queue-{k:06x}{j};1"
                    leg(src=client, dst="600", channel=f"SIP/trunk_mango-{k:08x}", dstchannel=ch,
                        lastapp="Queue", start=s, answer=an, end=e, duration=du, billsec=bi,
                        disposition=disp, uniqueid=f"1790000000.{uid + 1}", linkedid=link,
                        dcontext="ext-queues")
                    leg(src=client, dst=who, channel=f"Local/{who}@from-queue-{k:06x}{j};2",
                        dstchannel=f"SIP/{who}-{k:06x}{j}", start=s, answer=an, end=e, duration=du,
                        billsec=bi, disposition=disp, uniqueid=f"1790000000.{uid + 1}",
                        linkedid=link, dcontext="from-queue")
                else:
                    leg(src=client, dst="600", channel=f"SIP/trunk_mango-{k:08x}",
                        dstchannel=f"SIP/{who}-{k:06x}{j}", lastapp="Queue", start=s, answer=an,
                        end=e, duration=du, billsec=bi, disposition=disp,
                        uniqueid=f"1790000000.{uid + 1}", linkedid=link, dcontext="ext-queues")
        elif kind == "transfer":
            # A answers, then B takes the call: B's leg starts while A's is still up (overlap)
            s, an, e, du, bi = times(start, 5, int(rng.integers(30, 200)))
            leg(src=client, dst=a, channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{a}-{k:08x}",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
            st2 = start + dt.timedelta(seconds=int(rng.integers(10, 60)))
            s, an, e, du, bi = times(st2, int(rng.integers(2, 10)), int(rng.integers(10, 300)))
            leg(src=a, dst=b, channel=f"SIP/{a}-{k:08x}b", dstchannel=f"SIP/{b}-{k:08x}",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
        elif kind == "consult":
            # A holds the client for minutes while consulting B, then C: legs nested inside A's
            s, an, e, du, bi = times(start, 5, int(rng.integers(200, 400)))
            leg(src=client, dst=a, channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{a}-{k:08x}",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
            for j, (off, talk) in enumerate(((20, 30), (70, 40))):
                who = people[int(rng.integers(0, len(people)))]
                s, an, e, du, bi = times(start + dt.timedelta(seconds=off), 2, talk)
                leg(src=a, dst=who, channel=f"SIP/{a}-{k:07x}{j}", dstchannel=f"SIP/{who}-{k:07x}{j}",
                    start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                    uniqueid=f"1790000000.{uid + 1}", linkedid=link)
        elif kind == "internal":
            talk = int(rng.integers(1, 100)) if rng.random() < 0.7 else None
            s, an, e, du, bi = times(start, 4, talk)
            leg(src=a, dst=b, channel=f"SIP/{a}-{k:08x}", dstchannel=f"SIP/{b}-{k:08x}", start=s,
                answer=an, end=e, duration=du, billsec=bi,
                disposition="ANSWERED" if talk else "NO ANSWER", uniqueid=f"1790000000.{uid + 1}",
                linkedid=link)
        elif kind == "ivr":
            # answered by the PBX only (an announcement), then maybe a queue attempt nobody took
            s, an, e, du, bi = times(start, 1, 20)
            leg(src=client, dst="500", channel=f"SIP/trunk-{k:08x}", dstchannel="", lastapp="Playback",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
            if rng.random() < 0.5:
                s, an, e, du, bi = times(start + dt.timedelta(seconds=21), 15, None)
                leg(src=client, dst="600", channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{a}-{k:08x}",
                    lastapp="Queue", start=s, answer=an, end=e, duration=du, billsec=bi,
                    disposition="NO ANSWER", uniqueid=f"1790000000.{uid + 1}", linkedid=link)
        elif kind == "own":
            # the company's own number calls an extension (a forwarded line): internal
            s, an, e, du, bi = times(start, 3, int(rng.integers(5, 60)))
            leg(src="84950001100", dst=a, channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{a}-{k:08x}",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
        else:
            # ANSWERED with no answer time and billsec 0, then a second answered leg
            s, _, e, du, _ = times(start, 10, None)
            leg(src=client, dst=a, channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{a}-{k:08x}",
                start=s, answer="", end=e, duration=du, billsec=0, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
            s, an, e, du, bi = times(start, 4, int(rng.integers(5, 60)))
            leg(src=client, dst=b, channel=f"SIP/trunk-{k:08x}", dstchannel=f"SIP/{b}-{k:08x}b",
                start=s, answer=an, end=e, duration=du, billsec=bi, disposition="ANSWERED",
                uniqueid=f"1790000000.{uid + 1}", linkedid=link)
    order = rng.permutation(len(lines))        # records need not be in time order
    p = tmp / "Master.csv"
    p.write_text("\n".join(lines[i] for i in order) + "\n", encoding="utf-8")
    return p


def test_sql_fold_equals_numpy_fold_on_multi_leg_sessions(monkeypatch, tmp_path):
    path = _multi_leg_file(tmp_path)
    emp = _directory(tmp_path)
    sql, npy = _both(monkeypatch, path, employees=emp, own_numbers=("+74950001100",),
                     area_code="3012")
    calls = sql.calls
    # the file has what the comparison is about
    assert (calls["machine_answered"]).sum() > 10
    assert (sql.legs.groupby("call_id").size() >= 3).sum() > 50
    assert set(calls["direction"].astype(str)) == {"incoming", "outgoing", "internal"}
    assert set(calls["status"].astype(str)) == {"answered", "missed", "busy", "failed"}
    assert calls["department"].isna().any() and calls["department"].notna().any()
    _same(sql, npy)
    sql, npy = _both(monkeypatch, path)         # no directory, no own numbers
    _same(sql, npy)


def test_the_folds_call_ids_are_not_counted_again_and_any_other_table_is(monkeypatch):
    # the fold's ids are distinct by construction (one call per session key), so the audit's
    # validate does not hash them again (8M calls: 2.4-4 s); a table made from them is checked
    calls = cio.load_calls(Path(__file__).resolve().parent.parent / "data_samples" / "calls" / "Master.csv").calls
    counted = []
    real = pd.Series.is_unique

    def spy(self):
        counted.append(len(self))
        return real.fget(self)
    monkeypatch.setattr(pd.Series, "is_unique", property(spy))
    S.validate(calls)
    assert counted == []                               # the fold's own ids: not counted
    S.validate(calls.iloc[::-1])
    assert counted == [len(calls)]                     # a reordered table: counted
    twice = pd.concat([calls, calls.iloc[:1]], ignore_index=True)
    with pytest.raises(InputError, match="not unique"):
        S.validate(twice)
    mutated = calls.copy()
    mutated.loc[mutated.index[1], S.CALL_ID] = calls[S.CALL_ID].iloc[0]
    with pytest.raises(InputError, match="not unique"):
        S.validate(mutated)                            # a value set: a new array, counted


def test_calls_are_ordered_by_start_then_call_id_in_byte_order(tmp_path):
    # DuckDB orders the calls by start, then the session keys' codes, which are numbered in
    # the keys' byte order: "a.10" < "a.9" < "b.1" at the same start; an earlier start first
    # whatever its id, and the file's order of the records counts for nothing
    rows = []
    for key, start in (("b.1", "2026-10-05 10:00:00"), ("a.9", "2026-10-05 10:00:00"),
                       ("z.0", "2026-10-05 09:59:59"), ("a.10", "2026-10-05 10:00:00")):
        rows.append(cdr_line(src="101", dst="89161234567", channel="SIP/101-0000001a",
                             dstchannel="SIP/trunk-0000001b", start=start, answer=start,
                             end="2026-10-05 10:01:00", duration=60, billsec=30, disposition="ANSWERED",
                             uniqueid=key, linkedid=key))
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    calls = cio.load_calls(p).calls
    assert calls[S.CALL_ID].tolist() == ["z.0", "a.10", "a.9", "b.1"]
