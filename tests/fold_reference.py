"""The leg fold as it was before it moved to DuckDB (issue 11): numpy over integer codes.

Kept as the reference the SQL fold is compared with (``test_io_fold_engine.py``): the two must
give identical call and leg tables on every sample and on a generated multi-leg file. Not a
second implementation to maintain: when a fold rule changes on purpose, change it here too, or
replace this comparison by hand-worked expectations of the new rule.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import schema as S
from callkit.io.base import map_unique
from callkit.io.fold import _MIN, Directory, _coverage_notes, _ns
from callkit.numbers import classify_unique, normalize_numbers

__all__ = ["fold_numpy"]

def _person_keys(legs: pd.DataFrame, directory: Directory, own: set[str]) -> tuple[pd.Series, pd.Series]:
    """Caller/callee person keys: the parser's explicit ones, else src/dst when ext-like."""
    known = set(directory.by_ext)

    def ext_like(u: pd.Series) -> pd.Series:
        # With a directory, a short number that is not in it (a queue, ring group or IVR
        # number such as 600) is not a person; without one, any 1–5 digit party is.
        v = u.astype(str).str.strip()
        ok = v.isin(known) if known else v.str.fullmatch(r"\d{1,5}")
        return v.where(ok & ~v.isin(own), None)

    def side(person_col: str, party_col: str, external: str) -> pd.Series:
        p = legs[person_col].astype("str")
        p = p.where(p.str.strip() != "")
        p = p.fillna(map_unique(legs[party_col], ext_like).astype("str"))
        if external in legs:   # a trunk side is never a person
            p = p.where(~legs[external].fillna(False).astype(bool))
        return p
    return side("caller_person", "src", "caller_external"), side("callee_person", "dst", "callee_external")


_MAX = np.iinfo(np.int64).max


def _first_where(mask: np.ndarray, first: np.ndarray, n: int) -> np.ndarray:
    """Per group (groups are runs starting at ``first`` in a sorted array of length n): the
    position of the first element where ``mask`` holds, or -1."""
    pos = np.where(mask, np.arange(n), _MAX)
    out = np.minimum.reduceat(pos, first) if n else np.array([], dtype=np.int64)
    return np.where(out == _MAX, -1, out)


def _take(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """values[idx] with -1 → None (object arrays)."""
    ext = np.append(values.astype(object), None)
    return ext[np.where(idx < 0, len(values), idx)]


def _strings(col: pd.Series) -> np.ndarray:
    """A column as an object array of str with "" for missing (cheap for all-missing columns)."""
    if col.dtype == object and col.isna().all():
        return np.full(len(col), "", dtype=object)
    return col.astype("str").fillna("").to_numpy(object)


def _union_seconds(g: np.ndarray, mask: np.ndarray, a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    """Per group, the length in seconds of the union of intervals [a, b) where ``mask`` holds."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return np.zeros(m)
    df = pd.DataFrame({"g": g[idx], "a": a[idx], "b": np.maximum(b[idx], a[idx])}).sort_values(["g", "a"])
    prev_end = df.groupby("g")["b"].cummax().groupby(df["g"]).shift(1)
    start = np.maximum(df["a"].to_numpy(), prev_end.fillna(np.iinfo(np.int64).min).to_numpy(np.int64))
    piece = np.maximum(df["b"].to_numpy() - start, 0)
    out = np.bincount(df["g"].to_numpy(), weights=piece, minlength=m)
    return out / 1e9


def fold_numpy(legs: pd.DataFrame, *, tz: str, region: str = "RU",
                directory: Directory | None = None, own_numbers: tuple[str, ...] | list[str] = (),
                area_code: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Fold a leg frame (all files) into the canonical call table.

    Parameters
    ----------
    legs : DataFrame
        Columns of :data:`callkit.io.base.LEG_INPUT` plus ``source_file``, ``source_row`` and
        ``order`` (global record order); rows already validated.

    Returns
    -------
    (calls, legs_out, notes)
        The canonical table (DESIGN §2 + extra columns), the legs table
        (:data:`callkit.schema.LEG_COLUMNS`) and coverage notes.

    Notes
    -----
    Vectorised with numpy over integer codes (session, person, number): a million legs fold in
    seconds. Strings are touched only through their distinct values.
    """
    directory = directory or Directory(None)
    notes: list[str] = []
    if legs.empty:
        return S.empty_calls(tz), pd.DataFrame(columns=list(S.LEG_COLUMNS)), notes
    legs = legs.reset_index(drop=True)
    n = len(legs)

    own_raw = {str(x) for x in own_numbers}
    own_set = set(normalize_numbers(list(own_numbers), region)["number"].dropna()) if own_numbers else set()

    # --- integer codes ------------------------------------------------------------------------
    sk_codes, sk_uniq = pd.factorize(legs["session_key"].astype("str"))
    caller, callee = _person_keys(legs, directory, own_raw)
    pcodes, puniq = pd.factorize(pd.concat([caller, callee], ignore_index=True))
    caller_pc, callee_pc = pcodes[:n], pcodes[n:]
    ncodes, nuniq = pd.factorize(pd.concat([legs["src"].astype("str"), legs["dst"].astype("str")],
                                           ignore_index=True))
    nuniq = pd.Series(nuniq, dtype=object)
    num_u, typ_u = classify_unique(nuniq, region, area_code=area_code)
    own_u = pd.Series(num_u, dtype=object).isin(own_set).to_numpy(bool) | nuniq.isin(own_raw).to_numpy(bool)
    digits_u = pd.notna(num_u)   # classify_unique gives None for a party with no digits
    src_nc, dst_nc = ncodes[:n], ncodes[n:]

    def per_leg(u: np.ndarray, codes: np.ndarray) -> np.ndarray:
        return np.append(u, False)[np.where(codes < 0, len(u), codes)]

    src_own, dst_own = per_leg(own_u, src_nc), per_leg(own_u, dst_nc)
    src_ext = per_leg(digits_u, src_nc) & ~src_own & (caller_pc < 0)
    dst_ext = per_leg(digits_u, dst_nc) & ~dst_own & (callee_pc < 0)
    src_in = (caller_pc >= 0) | src_own
    dst_in = (callee_pc >= 0) | dst_own
    hint = _strings(legs["direction_hint"])
    ldir = np.select([src_ext, dst_ext, src_in & dst_in, hint == "incoming", hint == "outgoing",
                      hint == "internal", caller_pc >= 0, callee_pc >= 0],
                     [1, 2, 3, 1, 2, 3, 3, 1], default=0)          # 1 in, 2 out, 3 internal

    status = _strings(legs["leg_status"])
    answered = status == "answered"
    missed = status == "missed"
    busy = status == "busy"
    start = _ns(legs["start"])
    ans = _ns(legs["answered_at"])
    end = _ns(legs["end"])
    order = legs["order"].to_numpy(np.int64) if "order" in legs else np.arange(n)

    # --- sort legs by session, start, source order; groups are runs ---------------------------
    perm = np.lexsort((order, start, sk_codes))
    sc = sk_codes[perm]
    is_first = np.r_[True, sc[1:] != sc[:-1]]
    first = np.flatnonzero(is_first)
    g = np.cumsum(is_first) - 1
    m = len(first)

    def srt(a: np.ndarray) -> np.ndarray:
        return a[perm]

    ldir_s, ans_s, end_s, start_s = srt(ldir), srt(ans), srt(end), srt(start)
    answered_s, missed_s, busy_s = srt(answered), srt(missed), srt(busy)
    caller_s, callee_s = srt(caller_pc), srt(callee_pc)

    any_in = np.logical_or.reduceat(ldir_s == 1, first)
    any_out = np.logical_or.reduceat(ldir_s == 2, first)
    sdir = np.where(any_in, 1, np.where(any_out, 2, 3))
    sdir_leg = sdir[g]
    emp_s = np.where(sdir_leg == 1, callee_s, caller_s)        # the company-side person per leg
    person_ans = answered_s & ((sdir_leg != 1) | (emp_s >= 0))
    persons_known = bool((caller_pc >= 0).any() or (callee_pc >= 0).any())

    s_start = start_s[first]
    s_end = np.maximum.reduceat(end_s, first)
    pa_at = np.minimum.reduceat(np.where(person_ans & (ans_s != _MIN), ans_s, _MAX), first)
    any_ans = np.logical_or.reduceat(answered_s, first)
    any_pa = np.logical_or.reduceat(person_ans, first)
    any_missed = np.logical_or.reduceat(missed_s, first)
    any_busy = np.logical_or.reduceat(busy_s, first)
    is_in = sdir == 1

    # employee: the first person-answered leg by answer time; else the only person rung; else
    # (outgoing/internal) the first leg's caller
    key = np.where(person_ans & (emp_s >= 0), ans_s, _MAX)
    o2 = np.lexsort((np.arange(n), key, g))
    cand = o2[np.r_[True, g[o2][1:] != g[o2][:-1]]]            # per group, the leg with the min key
    emp_pa = np.where(key[cand] != _MAX, emp_s[cand], -1)
    first_emp_pos = _first_where(emp_s >= 0, first, n)
    first_emp = np.where(first_emp_pos >= 0, emp_s[np.maximum(first_emp_pos, 0)], -1)
    has = emp_s >= 0
    pair = pd.unique(g[has].astype(np.int64) * (len(puniq) + 1) + emp_s[has])
    n_persons = np.bincount(pair // (len(puniq) + 1), minlength=m)
    emp = np.where(emp_pa >= 0, emp_pa,
                   np.where(is_in, np.where(n_persons == 1, first_emp, -1), first_emp))
    callee_pos = _first_where(callee_s >= 0, first, n)
    peer = np.where((callee_pos >= 0) & (sdir == 3), callee_s[np.maximum(callee_pos, 0)], -1)

    # client number: incoming → caller number of the first incoming leg; outgoing → callee's
    src_nc_s, dst_nc_s = srt(src_nc), srt(dst_nc)
    in_pos = _first_where(ldir_s == 1, first, n)
    out_pos = _first_where(ldir_s == 2, first, n)
    cnum_code = np.where(is_in, np.where(in_pos >= 0, src_nc_s[np.maximum(in_pos, 0)], -1),
                         np.where((sdir == 2) & (out_pos >= 0), dst_nc_s[np.maximum(out_pos, 0)], -1))
    client = _take(num_u, cnum_code)
    ctype = _take(typ_u, cnum_code)
    ctype = np.where(sdir == 3, None, np.where(pd.isna(client), "invalid", ctype))

    # line: the provider's line, else the own number on the company side of the first leg
    line_hint = _strings(legs["line_hint"])
    lh_pos = _first_where(srt(line_hint != ""), first, n)
    line = _take(line_hint, np.where(lh_pos >= 0, perm[np.maximum(lh_pos, 0)], -1))
    line = np.where(line == "", None, line)
    own_side = np.where(is_in, dst_nc_s[first], src_nc_s[first])
    own_line = _take(num_u, own_side)
    own_ok = np.append(own_u, False)[np.where(own_side < 0, len(own_u), own_side)]
    line = np.where(pd.isna(line) & own_ok, own_line, line)

    # status, times
    machine = is_in & any_ans & ~any_pa & persons_known
    ans_ok = np.where(is_in, any_pa | (any_ans & (not persons_known)), any_ans)
    status_s = np.where(ans_ok, "answered", np.where(any_missed | machine, "missed",
                                                     np.where(any_busy, "busy", "failed")))
    if not persons_known:
        any_at = np.minimum.reduceat(np.where(answered_s & (ans_s != _MIN), ans_s, _MAX), first)
        pa_at = np.where(pa_at == _MAX, any_at, pa_at)
    ans_at = np.where(ans_ok & (pa_at != _MAX), pa_at, _MIN)
    talk = _union_seconds(g, person_ans & (ans_s != _MIN), ans_s, end_s, m)
    if not persons_known:
        talk = np.where(talk == 0, _union_seconds(g, answered_s & (ans_s != _MIN), ans_s, end_s, m), talk)
    talk = np.where(ans_at != _MIN, talk, 0.0)
    ring = np.maximum(np.where(ans_at != _MIN, ans_at, s_end) - s_start, 0) / 1e9

    def to_time(a: np.ndarray) -> pd.Series:
        return pd.Series(a.view("datetime64[ns]")).dt.tz_localize("UTC").dt.tz_convert(tz)

    # persons → (extension, name, department) via the directory, once per distinct person
    res = [directory.resolve(k) for k in puniq]
    p_ext = np.array([r[0] for r in res], dtype=object)
    p_name = np.array([r[1] for r in res], dtype=object)
    p_dept = np.array([r[2] for r in res], dtype=object)
    dept_codes, dept_uniq = pd.factorize(pd.Series(p_dept, dtype=object))
    dept = np.where(emp >= 0, np.append(dept_codes, -1)[np.where(emp < 0, len(dept_codes), emp)], -1)
    rung = has & (np.append(dept_codes, -1)[np.where(emp_s < 0, len(dept_codes), emp_s)] >= 0)
    if rung.any():
        dc = dept_codes[emp_s[rung]]
        gd = pd.unique(g[rung].astype(np.int64) * (len(dept_uniq) + 1) + dc)
        gg, dd = gd // (len(dept_uniq) + 1), gd % (len(dept_uniq) + 1)
        n_depts = np.bincount(gg, minlength=m)
        only = np.full(m, -1)
        only[gg] = dd
        dept = np.where((dept < 0) & (emp < 0) & (n_depts == 1), only, dept)
    first_leg = perm[first]
    src_file = _strings(legs["source_file"])
    direction = np.array(["", "incoming", "outgoing", "internal"], dtype=object)[sdir]

    calls = pd.DataFrame({
        S.CALL_ID: pd.array(np.asarray(sk_uniq, dtype=object)[sc[first]], dtype="string"),
        S.START: to_time(s_start),
        S.ANSWERED_AT: to_time(ans_at),
        S.END: to_time(s_end),
        S.RING_S: ring,
        S.TALK_S: talk,
        S.DIRECTION: direction,
        S.STATUS: status_s,
        S.EMPLOYEE: _take(p_name, emp),
        S.DEPARTMENT: _take(np.asarray(dept_uniq, dtype=object), dept),
        S.CLIENT_NUMBER: client,
        S.NUMBER_TYPE: ctype,
        S.LINE: line,
        S.SOURCE_ROW: legs["source_row"].to_numpy(np.int64)[first_leg],
        S.EXTENSION: _take(p_ext, emp),
        S.MACHINE_ANSWERED: machine,
        S.SOURCE_FILE: src_file[first_leg],
        "peer_extension": _take(p_ext, peer),
        "peer_employee": _take(p_name, peer),
    })
    calls = S.coerce(calls)
    for c in ("peer_extension", "peer_employee"):
        calls[c] = calls[c].astype("string")
    calls = calls.sort_values([S.START, S.CALL_ID], kind="stable").reset_index(drop=True)

    # the legs table, in source order
    emp_leg = np.empty(n, dtype=np.int64)
    emp_leg[perm] = emp_s
    legs_out = pd.DataFrame({
        S.CALL_ID: legs["session_key"].astype("str"),
        "leg_id": legs["leg_id"].astype("str"),
        S.START: legs["start"], S.ANSWERED_AT: legs["answered_at"], S.END: legs["end"],
        S.TALK_S: legs["talk_s"].astype(float),
        "src": legs["src"].astype("str"), "dst": legs["dst"].astype("str"),
        "leg_status": legs["leg_status"].astype("str"),
        S.EXTENSION: pd.array(_take(p_ext, emp_leg), dtype="str"),
        S.EMPLOYEE: pd.array(_take(p_name, emp_leg), dtype="str"),
        S.SOURCE_FILE: legs["source_file"].astype("str"),
        S.SOURCE_ROW: legs["source_row"].astype("int64"),
    })
    notes.extend(_coverage_notes(calls, persons_known))
    return calls, legs_out, notes
