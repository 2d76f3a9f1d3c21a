"""The audit's cost does not grow with the number of departments (issue 11 item 2, DESIGN §7).

The same calls are audited twice: the employees spread over 200 departments, and relabelled into
3. With no Python loop over departments on the whole call table, both take about the same time;
a loop over departments would make the first many times slower. A relative timing in one
process, interleaved, median of a few runs, so a busy machine slows both alike.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd
import pytest

from callkit import schema as S
from callkit.audit import audit_from_load

TZ = "Europe/Moscow"


def company_calls(*, sessions: int = 15_000, employees: int = 400, seed: int = 11) -> pd.DataFrame:
    """A canonical call table of two months (September is history) for ``employees`` people."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2026-09-01", "2026-10-30").to_numpy()
    start = (days[rng.integers(0, len(days), sessions)]
             + rng.integers(9 * 3600, 19 * 3600, sessions).astype("timedelta64[s]"))
    direction = rng.choice(list(S.DIRECTIONS), sessions, p=[0.4, 0.45, 0.15])
    status = rng.choice(list(S.STATUSES), sessions, p=[0.7, 0.2, 0.06, 0.04])
    answered = status == S.ANSWERED
    talk = np.where(answered, rng.gamma(2.0, 80.0, sessions).round(), 0.0)
    ring = rng.integers(2, 30, sessions).astype(float)
    emp = rng.integers(0, employees, sessions)
    names = np.array([f"Сотрудник {101 + i}" for i in range(employees)], dtype=object)
    # a missed incoming call rang one person in half of the cases, else nobody is named
    who = np.where((direction == S.INCOMING) & ~answered & (rng.random(sessions) < 0.5), -1, emp)
    pool = np.array([f"+7972{n:07d}" for n in rng.integers(0, 10**7, 12_000)], dtype=object)
    client = np.where(direction == S.INTERNAL, None, pool[rng.integers(0, len(pool), sessions)])
    t0 = pd.Series(start).dt.tz_localize(TZ)
    answered_at = t0 + pd.to_timedelta(ring, unit="s")
    calls = pd.DataFrame({
        S.CALL_ID: [f"c{i}" for i in range(sessions)],
        S.START: t0,
        S.ANSWERED_AT: answered_at.where(answered),
        S.END: answered_at + pd.to_timedelta(talk, unit="s"),
        S.RING_S: ring, S.TALK_S: talk, S.DIRECTION: direction, S.STATUS: status,
        S.EMPLOYEE: np.where(who >= 0, names[np.maximum(who, 0)], None),
        S.DEPARTMENT: None,
        S.CLIENT_NUMBER: client,
        S.NUMBER_TYPE: np.where(direction == S.INTERNAL, None, "mobile"),
        S.LINE: rng.choice(["+74950001000", "+74950001100", "+74950001200"], sessions),
        S.SOURCE_ROW: np.arange(sessions) + 1,
        S.EXTENSION: np.where(who >= 0, (101 + who).astype(str), None),
        S.MACHINE_ANSWERED: False,
        S.SOURCE_FILE: "Master.csv",
    })
    return S.coerce(calls).sort_values(S.START, kind="stable").reset_index(drop=True)


def relabel(calls: pd.DataFrame, departments: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The calls and the directory with employee i in department i mod ``departments``."""
    names = calls[S.EMPLOYEE].dropna().unique()
    idx = {n: int(str(n).split()[-1]) - 101 for n in names}
    dept_of = {n: f"Отдел {i % departments + 1:03d}" for n, i in idx.items()}
    out = calls.assign(**{S.DEPARTMENT: calls[S.EMPLOYEE].map(dept_of).astype("string")})
    directory = pd.DataFrame({S.EXTENSION: [str(101 + idx[n]) for n in names],
                              S.EMPLOYEE: list(names), S.DEPARTMENT: [dept_of[n] for n in names]})
    return out, directory


@pytest.mark.slow
def test_audit_time_flat_in_departments():
    base = company_calls()
    many, many_dir = relabel(base, 200)
    few, few_dir = relabel(base, 3)
    assert many[S.DEPARTMENT].nunique() == 200 and few[S.DEPARTMENT].nunique() == 3

    def timed(calls: pd.DataFrame, directory: pd.DataFrame) -> float:
        t = time.perf_counter()
        audit = audit_from_load(calls, employees=directory, period=("2026-10-01", "2026-10-31"))
        elapsed = time.perf_counter() - t
        assert audit.managers[S.DEPARTMENT].nunique() == directory[S.DEPARTMENT].nunique()
        return elapsed

    timed(few, few_dir)            # warm-up: imports, caches
    t_many, t_few = [], []
    for _ in range(3):
        t_many.append(timed(many, many_dir))
        t_few.append(timed(few, few_dir))
    m_many, m_few = statistics.median(t_many), statistics.median(t_few)
    assert m_many < 2 * m_few, (f"200 departments: {m_many:.2f} s, 3 departments: {m_few:.2f} s "
                                f"(runs {t_many} vs {t_few})")
