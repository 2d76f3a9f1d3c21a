"""Folding legs into sessions (DESIGN §2): one row per customer call as the company saw it.

Rules, in the order they are applied:

* Parties. A side the parser marked external (an Asterisk trunk channel,
  :mod:`callkit.io.grouping`) is never a person. A party is a *person* when the source names an
  extension or an employee (channel peer ``SIP/101-…``, ``from_extension``, "Кто ответил"), or
  when ``src``/``dst`` is an
  extension of the employees directory (without a directory: any 1–5 digit number; with one,
  other short numbers are queues, ring groups or IVR menus, not people). Other parties are normalized with libphonenumber:
  one of the company's ``own_numbers`` is *own*, anything else with digits is *external*.
* Leg direction from the parties: external caller → incoming; external callee → outgoing;
  persons/own numbers on both sides → internal; the provider's label only when the parties
  cannot tell.
* Session direction: incoming if any leg is incoming, else outgoing if any is, else internal.
* Incoming sessions are answered when some leg was answered *by a person*; the employee is the
  person on the first such leg. An unanswered session names the employee only when it rang
  exactly one person. A session answered only by the PBX (IVR, announcement; no person on any
  answered leg) is ``missed`` with ``machine_answered`` set — provided the source records who
  answers at all (else we cannot tell and keep the source's answer).
* Outgoing and internal sessions: answered when any leg was answered; the employee is the caller.
* Status of an unanswered session: ``missed`` if any leg rang unanswered, else ``busy`` if any
  leg was busy, else ``failed``.
* Department: the employee's; for an unanswered call that rang several people, their common
  department when they all belong to one.
* Times: start = first leg start, end = last leg end, answered_at = first person answer;
  talk_s = the union of the person-answered legs' [answer, end] intervals (overlapping legs
  counted once, ringing during a transfer not counted); ring_s = answered_at (or end) − start.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from callkit import schema as S
from callkit.io.values import strings_array, trim_whitespace
from callkit.numbers import classify_arrow, is_extension_like, normalize_numbers

__all__ = ["fold_sessions", "Directory"]

class Directory:
    """Employees directory lookups: extension → (name, department); name → extension."""

    def __init__(self, employees: pd.DataFrame | None) -> None:
        self.by_ext: dict[str, tuple[str, str | None]] = {}
        self.by_name: dict[str, str] = {}
        self.dept_by_name: dict[str, str | None] = {}
        if employees is not None and len(employees):
            for ext, name, dept in employees[["extension", "employee", "department"]].itertuples(index=False):
                dept = None if pd.isna(dept) else str(dept)
                name = None if pd.isna(name) else str(name)
                if not pd.isna(ext) and str(ext):
                    self.by_ext[str(ext)] = (name or str(ext), dept)
                if name:
                    key = _name_key(name)
                    if not pd.isna(ext) and str(ext):
                        self.by_name.setdefault(key, str(ext))
                    self.dept_by_name.setdefault(key, dept)

    def __bool__(self) -> bool:
        return bool(self.by_ext or self.by_name)

    def resolve(self, value: str) -> tuple[str | None, str | None, str | None]:
        """(extension, employee, department) for a person key from the source."""
        v = str(value).strip()
        if v in self.by_ext:
            name, dept = self.by_ext[v]
            return v, name, dept
        key = _name_key(v)
        if key in self.by_name:
            ext = self.by_name[key]
            name, dept = self.by_ext[ext]
            return ext, name, dept
        if key in self.dept_by_name:
            return None, v, self.dept_by_name[key]
        if is_extension_like(v):
            return v, v, None
        return None, v, None


def _name_key(name: str) -> str:
    return " ".join(str(name).lower().replace("ё", "е").split())


_MIN = np.iinfo(np.int64).min


def _ns(series: pd.Series) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC); NaT → int64 min."""
    return series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)


def _coverage_notes(calls: pd.DataFrame, persons_known: bool) -> list[str]:
    notes: list[str] = []
    if not persons_known:
        notes.append("the export names no extensions or employees: who answered is unknown; "
                     "calls answered by an IVR cannot be told from calls answered by a person")
    if (calls[S.DIRECTION] == "internal").sum() == 0:
        notes.append("no internal calls in this export (internal_share will be 0)")
    inc = calls[S.DIRECTION] == "incoming"
    if inc.any() and (calls.loc[inc, S.STATUS] != "answered").sum() == 0:
        notes.append("this export has no unanswered incoming calls (it may list answered calls only)")
    if not inc.any():
        notes.append("no incoming calls in this export")
    if calls[S.EMPLOYEE].isna().all() and len(calls):
        notes.append("no call could be attributed to an employee")
    ext_calls = calls[S.DIRECTION] != "internal"
    hidden = int((ext_calls & calls[S.CLIENT_NUMBER].isna()).sum())
    if hidden:
        notes.append(f"{hidden} external call(s) have no client number (hidden or anonymous caller ID)")
    inv_mask = ext_calls & calls[S.CLIENT_NUMBER].notna() & (calls[S.NUMBER_TYPE] == "invalid")
    inv = int(inv_mask.sum())
    if inv:
        short = int(calls.loc[inv_mask, S.CLIENT_NUMBER].astype(str).str.len().between(5, 7).sum())
        msg = f"{inv} external call(s) have a number that is not a valid phone number"
        if short:
            msg += (f"; {short} of them look like local numbers without an area code "
                    "(set area_code in the profile)")
        notes.append(msg)
    m = int(calls[S.MACHINE_ANSWERED].sum())
    if m:
        notes.append(f"{m} incoming call(s) were answered only by the PBX (IVR/announcement, no person): "
                     "counted as missed, flagged machine_answered")
    return notes


# --- the fold on DuckDB ------------------------------------------------------------------------
# Strings never enter the SQL: a session key, a party (src/dst), a person key, a department, a
# line or a file is an integer code into a table of its distinct values, resolved in Python once
# per value (``classify_unique`` for numbers, ``Directory.resolve`` for persons). Times are int64
# nanoseconds (UTC), so every duration comes out exactly as numpy computes it. ``rn`` ranks the
# legs by (start, source order): "the first leg" of a session is its lowest rn; ``arank`` ranks
# them by (answer time, rn): the person on the lowest-arank answered leg answered first.
#
# Leg columns: sk, rn, arank, t_start, t_ans, t_end, st (1 answered, 2 missed, 3 busy, 0 other),
# hint (the provider's direction: 1 in, 2 out, 3 internal, 0 none), lh (line), cp / dp (caller /
# callee person), src / dst (party), *_digits / *_own (the party has digits / is the company's
# own number), cp_dept / dp_dept (the person's department), source_file, source_row.

_LEG_SQL = """
SELECT *, st = 1 AS ans,
    CASE  -- the leg's direction from its parties (1 incoming, 2 outgoing, 3 internal, 0 unknown)
        WHEN src_digits AND NOT src_own AND cp IS NULL THEN 1      -- an external caller
        WHEN dst_digits AND NOT dst_own AND dp IS NULL THEN 2      -- an external callee
        WHEN (cp IS NOT NULL OR src_own) AND (dp IS NOT NULL OR dst_own) THEN 3
        WHEN hint > 0 THEN hint                                     -- the provider's label
        WHEN cp IS NOT NULL THEN 3 WHEN dp IS NOT NULL THEN 1
        ELSE 0 END AS ldir
FROM legs
"""

#: What is known of a session from its legs: (name, aggregate, expression, which legs).
#: ``arg_min:KEY`` is the expression on the leg with the lowest KEY among those legs.
#: The company-side person of a leg is its callee in an incoming session, else its caller; the
#: direction is known only per session, so both sides are aggregated: *_in for the callee (dp),
#: *_out for the caller (cp). In an incoming session only a person's answer is an answer.
_SESSION_AGGREGATES: tuple[tuple[str, str, str, str | None], ...] = (
    ("any_in_leg", "bool_or", "ldir = 1", None),
    ("any_out_leg", "bool_or", "ldir = 2", None),
    ("s_start", "min", "t_start", None),
    ("s_end", "max", "t_end", None),
    ("first_rn", "min", "rn", None),
    ("any_ans", "bool_or", "ans", None),
    ("any_missed", "bool_or", "st = 2", None),
    ("any_busy", "bool_or", "st = 3", None),
    ("any_at", "min", "t_ans", "ans"),
    ("pa_in", "bool_or", "ans AND dp IS NOT NULL", None),
    ("pa_at_in", "min", "t_ans", "ans AND dp IS NOT NULL"),
    # who answered first; the first person on the company side; the people it rang
    ("answered_in", "arg_min:arank", "dp", "ans AND dp IS NOT NULL"),
    ("answered_out", "arg_min:arank", "cp", "ans AND cp IS NOT NULL"),
    ("first_in", "arg_min:rn", "dp", "dp IS NOT NULL"),
    ("first_out", "arg_min:rn", "cp", "cp IS NOT NULL"),
    ("min_dp", "min", "dp", None),
    ("max_dp", "max", "dp", None),
    ("min_dp_dept", "min", "dp_dept", None),
    ("max_dp_dept", "max", "dp_dept", None),
    ("min_cp_dept", "min", "cp_dept", None),
    ("max_cp_dept", "max", "cp_dept", None),
    # the client: the caller of the first incoming leg, or the callee of the first outgoing one
    ("in_rn", "min", "rn", "ldir = 1"),
    ("out_rn", "min", "rn", "ldir = 2"),
    # the line: the provider's, else (below) the company's own number on the first leg
    ("line_hint", "arg_min:rn", "lh", "lh IS NOT NULL"),
)


def _aggregate_sql(*, one_leg: bool) -> str:
    """The select list of :data:`_SESSION_AGGREGATES`: aggregates over a session's legs, or,
    for sessions of one leg (most of them), the same values read off that leg without a
    GROUP BY (a hash aggregate with a group per row is the slow case of a hash aggregate)."""
    out = []
    for name, agg, expr, where in _SESSION_AGGREGATES:
        if one_leg:
            out.append(f"CASE WHEN {where} THEN {expr} END AS {name}" if where else f"{expr} AS {name}")
            continue
        fn, _, key = agg.partition(":")
        call = f"{fn}({expr}, {key})" if key else f"{fn}({expr})"
        out.append(f"{call} FILTER (WHERE {where}) AS {name}" if where else f"{call} AS {name}")
    return ",\n    ".join(out)


#: The aggregates read only to derive the session's direction, persons and departments below:
#: not stored in ``sess`` (a table of every session, kept through two more queries).
_DERIVED_ONLY = ("any_in_leg", "any_out_leg", "min_dp", "max_dp", "min_dp_dept", "max_dp_dept",
                 "min_cp_dept", "max_cp_dept")
_KEPT = ", ".join(a[0] for a in _SESSION_AGGREGATES if a[0] not in _DERIVED_ONLY)

_SESSIONS_SQL = f"""
CREATE TEMP TABLE sess AS
WITH leg AS ({_LEG_SQL}), agg AS (
    SELECT sk,
    {_aggregate_sql(one_leg=False)}
    FROM leg WHERE several GROUP BY sk
    UNION ALL
    SELECT sk,
    {_aggregate_sql(one_leg=True)}
    FROM leg WHERE NOT several
)
SELECT sk, {_KEPT},
    CASE WHEN any_in_leg THEN 1 WHEN any_out_leg THEN 2 ELSE 3 END AS sdir,
    min_dp = max_dp AS one_person_in,              -- it rang exactly one person
    min_dp_dept = max_dp_dept AS one_dept_in,      -- the people it rang share one department
    min_dp_dept AS dept_in,
    min_cp_dept = max_cp_dept AS one_dept_out,
    min_cp_dept AS dept_out
FROM agg
"""

# the length of the union of the [answer, end) intervals of each session's answered legs
# (overlapping legs counted once); {who} picks the legs: person-answered ones, or all answered
_TALK_SQL = """
WITH iv AS (
    SELECT l.sk, l.t_ans AS a, greatest(coalesce(l.t_end, l.t_ans), l.t_ans) AS b
    FROM legs l JOIN sess s USING (sk)
    WHERE l.st = 1 AND l.t_ans IS NOT NULL AND {who}
), w AS (
    SELECT sk, a, b, max(b) OVER (PARTITION BY sk ORDER BY a
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM iv
)
SELECT sk, sum(greatest(b - greatest(a, coalesce(prev_end, a)), 0)) AS ns FROM w GROUP BY sk
"""
_PERSON_ANSWERED = "(s.sdir <> 1 OR l.dp IS NOT NULL)"

_CALLS_SQL = """
WITH f AS (
    SELECT s.*,
        CASE WHEN sdir = 1 THEN pa_in ELSE any_ans END AS any_pa,
        CASE WHEN sdir = 1 THEN pa_at_in ELSE any_at END AS pa_at,
        -- who handled it: who answered first; else (outgoing/internal) the caller of the first
        -- leg; else (incoming) the only person it rang
        CASE WHEN sdir = 1 THEN coalesce(answered_in, CASE WHEN one_person_in THEN first_in END)
             ELSE coalesce(answered_out, first_out) END AS emp,
        CASE WHEN sdir = 1 THEN one_dept_in ELSE one_dept_out END AS one_dept,
        CASE WHEN sdir = 1 THEN dept_in ELSE dept_out END AS dept_rung
    FROM sess s
), g AS (
    SELECT f.*,
        sdir = 1 AND any_ans AND NOT any_pa AND {persons_known} AS machine,
        CASE WHEN sdir = 1 THEN any_pa OR (any_ans AND NOT {persons_known}) ELSE any_ans END AS ans_ok
    FROM f
), h AS (
    SELECT g.*, CASE WHEN ans_ok THEN {answer_at} END AS ans_at FROM g
)
SELECT h.sk, s_start, ans_at, s_end, sdir, first_rn, in_rn, out_rn, line_hint, machine, emp,
    first_in AS peer,  -- an internal call's peer: the first person called
    greatest(coalesce(ans_at, s_end) - s_start, 0)::DOUBLE / 1e9 AS ring_s,
    CASE WHEN ans_at IS NULL THEN 0 ELSE coalesce({talk_ns}, 0) END::DOUBLE / 1e9 AS talk_s,
    CASE WHEN ans_ok THEN 'answered' WHEN any_missed OR machine THEN 'missed'
         WHEN any_busy THEN 'busy' ELSE 'failed' END AS status,
    -- the department: the employee's; for a call nobody took, that of all the people it rang
    CASE WHEN emp IS NOT NULL THEN pe.dept WHEN one_dept THEN dept_rung END AS dept
FROM h
LEFT JOIN persons pe ON pe.code = h.emp
LEFT JOIN talk_pa ON talk_pa.sk = h.sk
{talk_any_join}
ORDER BY s_start, h.sk
"""


def _strs(values: pd.Series | list) -> pa.Array:
    """Values (a column, or a list) as one Arrow ``large_string`` array, NA → null."""
    return strings_array(pd.Series(values, dtype=object) if isinstance(values, list) else values)


def _codes(values: pa.Array, *, blank_null: bool = False) -> tuple[np.ndarray, pa.Array]:
    """Integer codes (-1 for null, and for ``""`` with ``blank_null``) and the distinct values
    (in order of first appearance), all in Arrow: the strings never become Python objects."""
    enc = pc.dictionary_encode(values)
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    uniq = enc.dictionary
    if blank_null:
        blank = np.flatnonzero(pc.equal(uniq, "").fill_null(False).to_numpy(zero_copy_only=False))
        if len(blank):
            codes[codes == blank[0]] = -1
    return codes, uniq


def _enum(values: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """1 + the position in ``names`` of each value, 0 for any other value or NA."""
    codes, uniq = _codes(_strs(values))
    lut = np.array([names.index(u) + 1 if u in names else 0 for u in uniq.to_pylist()] + [0],
                   dtype=np.int8)
    return lut[codes]


def _ints(codes: np.ndarray) -> pa.Array:
    """int64 codes as an Arrow array, -1 → null."""
    return pa.array(codes, type=pa.int64(), mask=codes < 0)


def _col(column: pa.ChunkedArray, *, null: int = -1) -> np.ndarray:
    """An integer column of a result as int64, null → ``null`` (read-only when it was int64:
    Arrow's buffer, not a copy — 10M legs: nine copies of 65 MB of fresh memory each)."""
    return column.fill_null(null).to_numpy().astype(np.int64, copy=False)


def _rank(*keys: np.ndarray) -> np.ndarray:
    """Rank of each position when sorted by ``keys`` (last key most significant)."""
    perm = np.lexsort(keys)
    rank = np.empty(len(perm), dtype=np.int64)
    rank[perm] = np.arange(len(perm))
    return rank


def _leg_keys(legs: pd.DataFrame) -> dict:
    """What the fold needs of each leg besides its parties: the session keys' integer codes
    (``sk``; numbered in the byte order of the keys, ``sk_uniq``, so that sorting by code is
    sorting by call id), the legs' rank in record order then start (``rn``) and by answer
    time among those (``arank``), the times (nullable int64 ns), the status and direction
    hint (1 + their position in the names, 0 for other values), the line hint's codes and
    its distinct values (``lh_uniq``), and whether the leg's session has several legs."""
    n = len(legs)
    sk, uniq = _codes(_strs(legs["session_key"]))
    by_id = pc.sort_indices(uniq).to_numpy()
    code = np.empty(len(by_id), dtype=np.int64)
    code[by_id] = np.arange(len(by_id))
    sk = code[sk]
    start = _ns(legs["start"])
    ans = _ns(legs["answered_at"])
    order = legs["order"].to_numpy(np.int64) if "order" in legs else np.arange(n, dtype=np.int64)
    rn = _rank(order, start)
    lh, lh_uniq = _codes(_strs(legs["line_hint"]), blank_null=True)

    def nullable_ns(v: np.ndarray) -> pa.Array:
        return pa.array(v, type=pa.int64(), mask=v == _MIN)

    return {"sk": sk, "sk_uniq": uniq.take(pa.array(by_id)), "rn": rn,
            "arank": pa.array(_rank(rn, ans)),   # NaT (int64 min) first, as a key of the minimum
            "t_start": nullable_ns(start), "t_ans": nullable_ns(ans), "t_end": nullable_ns(_ns(legs["end"])),
            "st": pa.array(_enum(legs["leg_status"], ("answered", "missed", "busy")).astype(np.int8)),
            "hint": pa.array(_enum(legs["direction_hint"], ("incoming", "outgoing", "internal")).astype(np.int8)),
            "lh": _ints(lh), "lh_uniq": lh_uniq, "several": pa.array(np.bincount(sk)[sk] > 1)}


def _parties(raw: pa.Array, *, region: str, area_code: str | None, own_raw: set[str],
             own_set: set[str], known: set[str]) -> dict[str, np.ndarray | pa.Array]:
    """Per distinct party string: number (Arrow), type, own (the company's number), digits, and
    the person key it stands for (an extension; Arrow, null when none)."""
    num_u, typ_u = classify_arrow(raw, region, area_code=area_code)

    def isin(arr: pa.Array, values: set[str]) -> np.ndarray:
        if not values:
            return np.zeros(len(arr), dtype=bool)
        return pc.is_in(arr, value_set=pa.array(sorted(values), type=arr.type)).fill_null(False) \
            .to_numpy(zero_copy_only=False)
    own = isin(num_u, own_set) | isin(raw, own_raw)
    v = trim_whitespace(raw)
    # With a directory, a short number that is not in it (a queue, ring group or IVR number
    # such as 600) is not a person; without one, any 1–5 digit party is.
    ok = isin(v, known) if known else \
        pc.match_substring_regex(v, r"^\d{1,5}$").fill_null(False).to_numpy(zero_copy_only=False)
    person = pc.if_else(pa.array(ok & ~isin(v, own_raw)), v, pa.scalar(None, type=v.type))
    return {"num": num_u, "typ": typ_u, "own": own,
            "digits": num_u.is_valid().to_numpy(zero_copy_only=False), "person": person}


def fold_sessions(legs: pd.DataFrame, *, tz: str, region: str = "RU",
                  directory: Directory | None = None, own_numbers: tuple[str, ...] | list[str] = (),
                  area_code: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Fold a leg frame (all files) into the canonical call table (rules: the module docstring).

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
    The per-session work is SQL on DuckDB (:mod:`callkit.engine`) over Arrow integer codes;
    strings are touched in Python only through their distinct values.
    """
    from callkit import engine

    directory = directory or Directory(None)
    notes: list[str] = []
    if legs.empty:
        return S.empty_calls(tz), pd.DataFrame(columns=list(S.LEG_COLUMNS)), notes
    legs = legs.reset_index(drop=True)
    n = len(legs)
    own_raw = {str(x) for x in own_numbers}
    own_set = set(normalize_numbers(list(own_numbers), region)["number"].dropna()) if own_numbers else set()

    # --- distinct values and integer codes -----------------------------------------------------
    # the session keys (nearly one distinct value per leg: Arrow's hashing in C++, 10M legs
    # 2.4 s) and the legs' order, times and statuses on a second thread while the parties are
    # classified (Python per distinct number)
    with ThreadPoolExecutor(1) as pool:
        # (DuckDB's first connection imports and starts it: 0.13 s, here off the main thread)
        pool.submit(lambda: engine.connect().close())
        keys_job = pool.submit(_leg_keys, legs)
        party, party_uniq = _codes(pa.concat_arrays([_strs(legs["src"]), _strs(legs["dst"])]))
        src_c, dst_c = party[:n], party[n:]
        pt = _parties(party_uniq, region=region, area_code=area_code, own_raw=own_raw, own_set=own_set,
                      known=set(directory.by_ext))

        def nonblank(col: pd.Series) -> pa.Array:
            p = _strs(col)
            return pc.if_else(pc.not_equal(trim_whitespace(p), ""), p, pa.scalar(None, type=p.type))

        # person keys: the parser's explicit ones, else the party when it is an extension
        pcodes, puniq = _codes(pa.concat_arrays([nonblank(legs["caller_person"]), nonblank(legs["callee_person"]),
                                                 pt["person"]]))
        party_person = pcodes[2 * n:]
        cp = np.where(pcodes[:n] >= 0, pcodes[:n], _pick_int(party_person, src_c))
        dp = np.where(pcodes[n:2 * n] >= 0, pcodes[n:2 * n], _pick_int(party_person, dst_c))
        # a side the parser saw on a trunk channel is the outside world, whatever its number
        for flag, codes in (("caller_external", cp), ("callee_external", dp)):
            if flag in legs:
                codes[legs[flag].fillna(False).astype(bool).to_numpy()] = -1
        k = keys_job.result()
    sk, sk_uniq, rn = k["sk"], k["sk_uniq"], k["rn"]
    used = np.zeros(len(puniq), dtype=bool)
    used[cp[cp >= 0]] = True
    used[dp[dp >= 0]] = True
    persons_known = bool(used.any())
    res = [directory.resolve(k) if u else (None, None, None) for k, u in zip(puniq.to_pylist(), used)]
    p_ext = np.array([r[0] for r in res], dtype=object)
    p_name = np.array([r[1] for r in res], dtype=object)
    dept_code, dept_uniq = _codes(_strs([r[2] for r in res]))

    lh_uniq = k["lh_uniq"]
    table = pa.table({
        "sk": pa.array(sk), "rn": pa.array(rn), "arank": k.pop("arank"),
        "t_start": k.pop("t_start"), "t_ans": k.pop("t_ans"), "t_end": k.pop("t_end"),
        "st": k.pop("st"), "hint": k.pop("hint"), "lh": k.pop("lh"),
        "cp": _ints(cp), "dp": _ints(dp),
        "src_digits": pa.array(_pick_bool(pt["digits"], src_c)),
        "src_own": pa.array(_pick_bool(pt["own"], src_c)),
        "dst_digits": pa.array(_pick_bool(pt["digits"], dst_c)),
        "dst_own": pa.array(_pick_bool(pt["own"], dst_c)),
        "cp_dept": _ints(_pick_int(dept_code, cp)), "dp_dept": _ints(_pick_int(dept_code, dp)),
        "several": k.pop("several"),
    })
    # per-leg arrays that live on in ``table`` only (peak memory: the frames below come on top)
    del k, pcodes, party_person
    persons = pa.table({"code": pa.array(np.arange(len(puniq), dtype=np.int64)),
                        "dept": _ints(dept_code)})
    con = engine.connect()
    try:
        con.register("legs", table)
        con.register("persons", persons)
        con.execute(_SESSIONS_SQL)
        con.execute("CREATE TEMP TABLE talk_pa AS " + _TALK_SQL.format(who=_PERSON_ANSWERED))
        pk = "true" if persons_known else "false"
        if persons_known:
            answer_at, talk_ns, talk_any_join = "pa_at", "talk_pa.ns", ""
        else:
            # nobody on the company side is named: an answered leg is the best evidence we have
            con.execute("CREATE TEMP TABLE talk_any AS " + _TALK_SQL.format(who="true"))
            answer_at = "coalesce(pa_at, any_at)"
            talk_ns = "CASE WHEN coalesce(talk_pa.ns, 0) = 0 THEN talk_any.ns ELSE talk_pa.ns END"
            talk_any_join = "LEFT JOIN talk_any ON talk_any.sk = h.sk"
        out = con.sql(_CALLS_SQL.format(persons_known=pk, answer_at=answer_at, talk_ns=talk_ns,
                                        talk_any_join=talk_any_join)).to_arrow_table()
    finally:
        con.close()
    del table   # the legs' integer columns: not needed past the SQL (peak memory)
    # the calls come by start, then id (the session keys' codes are their byte order)
    call_id = sk_uniq.take(out.column("sk"))
    # the result's columns, each dropped once read: the call table is built beside what is left
    # of them, not beside all of them (the fold's peak memory)
    res = dict(zip(out.column_names, out.columns))
    del out

    # --- read the legs the SQL picked; strings by Arrow takes from the distinct values ---------
    by_rn = np.empty(n, dtype=np.int64)
    by_rn[rn] = np.arange(n)
    sdir = _col(res.pop("sdir"))
    first = by_rn[_col(res.pop("first_rn"))]
    # the client number: the caller of the first incoming leg / the callee of the first outgoing
    in_leg = _pick_int(by_rn, _col(res.pop("in_rn")))
    out_leg = _pick_int(by_rn, _col(res.pop("out_rn")))
    client_c = np.where(sdir == 1, _pick_int(src_c, in_leg), np.where(sdir == 2, _pick_int(dst_c, out_leg), -1))
    numbers = pt["num"]
    client = _take(numbers, client_c)
    types = list(S.NUMBER_TYPES)
    typ_code = pd.Categorical(pt["typ"], categories=types).codes.astype(np.int64)   # None → -1
    ctype = np.where(client.is_null().to_numpy(zero_copy_only=False), types.index("invalid"),
                     _pick_int(typ_code, client_c))
    ctype = pd.Categorical.from_codes(np.where(sdir == 3, -1, ctype), categories=types)
    # the line: the provider's, else the company's own number on the company side of the first leg
    line_c = _col(res.pop("line_hint"))
    own_side = np.where(sdir == 1, dst_c[first], src_c[first])
    own_ok = _pick_bool(pt["own"], own_side)
    line = pc.if_else(pa.array((line_c < 0) & own_ok), _take(numbers, own_side), _take(lh_uniq, line_c))
    emp = _col(res.pop("emp"))
    peer = np.where(sdir == 3, _col(res.pop("peer")), -1)
    files, file_uniq = _codes(_strs(legs["source_file"].astype("str").fillna("")))

    calls = pd.DataFrame({
        S.CALL_ID: _pd_string(call_id),
        S.START: engine.ns_to_times(res.pop("s_start"), tz),
        S.ANSWERED_AT: engine.ns_to_times(res.pop("ans_at"), tz),
        S.END: engine.ns_to_times(res.pop("s_end"), tz),
        S.RING_S: res.pop("ring_s").to_numpy().copy(),   # (writable: not a view of Arrow's buffer)
        S.TALK_S: res.pop("talk_s").to_numpy().copy(),
        S.DIRECTION: pd.Categorical.from_codes(sdir - 1, categories=list(S.DIRECTIONS)),
        S.STATUS: pd.Categorical.from_codes(
            pc.index_in(res.pop("status"), value_set=pa.array(S.STATUSES)).to_numpy(zero_copy_only=False),
            categories=list(S.STATUSES)),
        S.EMPLOYEE: _pd_string(_take(p_name, emp)),
        S.DEPARTMENT: _pd_string(_take(dept_uniq, _col(res.pop("dept")))),
        S.CLIENT_NUMBER: _pd_string(client),
        S.NUMBER_TYPE: ctype,
        S.LINE: _pd_string(line),
        S.SOURCE_ROW: legs["source_row"].to_numpy(np.int64)[first],
        S.EXTENSION: _pd_string(_take(p_ext, emp)),
        S.MACHINE_ANSWERED: res.pop("machine").to_numpy(zero_copy_only=False),
        S.SOURCE_FILE: _pd_string(_take(file_uniq, files[first])),
        "peer_extension": _pd_string(_take(p_ext, peer)),
        "peer_employee": _pd_string(_take(p_name, peer)),
    }, copy=False)   # (the columns as they are, not copied into blocks beside themselves)
    calls = S.coerce(calls, copy=False)   # (a frame of its own: no copy of 800k calls)
    # one call per session key (the SQL groups by it): ids the audit need not count again
    S.ids_distinct_by_construction(calls)

    # the legs table, in source order, with each leg's company-side person
    leg_sdir = np.empty(len(sk_uniq), dtype=np.int64)
    leg_sdir[_col(res.pop("sk"))] = sdir
    # the SQL's result and the per-leg codes only the calls needed: gone before the legs table
    # is built on top (the fold's peak memory; 10M legs: ~1 GB)
    del res, call_id, party, src_c, dst_c, by_rn, rn, first, in_leg, out_leg, client_c, client, \
        own_side, own_ok, line, files, sdir, emp, peer, ctype
    emp_leg = np.where(leg_sdir[sk] == 1, dp, cp)
    legs_out = pd.DataFrame({
        S.CALL_ID: legs["session_key"].astype("str"),
        "leg_id": legs["leg_id"].astype("str"),
        S.START: legs["start"], S.ANSWERED_AT: legs["answered_at"], S.END: legs["end"],
        S.TALK_S: legs["talk_s"].astype(float),
        "src": legs["src"].astype("str"), "dst": legs["dst"].astype("str"),
        "leg_status": legs["leg_status"].astype("str"),
        S.EXTENSION: _take(p_ext, emp_leg).to_pandas(),
        S.EMPLOYEE: _take(p_name, emp_leg).to_pandas(),
        S.SOURCE_FILE: legs["source_file"].astype("str"),
        S.SOURCE_ROW: legs["source_row"].astype("int64"),
    })
    notes.extend(_coverage_notes(calls, persons_known))
    return calls, legs_out, notes


def _take(values: np.ndarray | pa.Array, codes: np.ndarray) -> pa.Array:
    """values[codes] as an Arrow string array, -1 → null (values: the distinct strings, as an
    object array or already as Arrow; codes: one per row)."""
    if not isinstance(values, pa.Array):
        values = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
    values = values.cast(pa.large_string())
    return values.take(pa.array(codes, type=pa.int64(), mask=codes < 0))


def _pd_string(arr: pa.Array | pa.ChunkedArray) -> pd.Series:
    """An Arrow string array as a pandas ``string`` Series (no copy through Python objects)."""
    return pd.Series(arr.to_pandas(types_mapper={pa.string(): pd.StringDtype(),
                                                 pa.large_string(): pd.StringDtype()}.get))


def _pick_int(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """values[codes] for int arrays, -1 → -1."""
    return _with_missing(values, np.int64, -1)[codes]


def _pick_bool(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """values[codes] for bool arrays, -1 → False."""
    return _with_missing(values, bool, False)[codes]


def _with_missing(values: np.ndarray, dtype: object, missing: object) -> np.ndarray:
    """``values`` with ``missing`` appended: indexed by codes, -1 (numpy's last element) picks
    it (one gather per leg, no mask and no second array of 10M codes)."""
    return np.append(np.asarray(values, dtype=dtype), np.array([missing], dtype=dtype))
