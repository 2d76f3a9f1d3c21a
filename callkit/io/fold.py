"""Folding legs into sessions (DESIGN §2): one row per customer call as the company saw it.

Rules, in the order they are applied:

* Parties. A party is a *person* when the source names an extension or an employee (channel
  peer ``SIP/101-…``, ``from_extension``, "Кто ответил", or a short 1–5 digit ``src``/``dst``,
  or a value from the employees directory). Other parties are normalized with libphonenumber:
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
* Times: start = first leg start, end = last leg end, answered_at = first person answer;
  talk_s = last end of the answering legs − answered_at; ring_s = answered_at (or end) − start.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import schema as S
from callkit.io.base import map_unique
from callkit.numbers import is_extension_like, normalize_numbers

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


def _person_keys(legs: pd.DataFrame, directory: Directory, own: set[str]) -> tuple[pd.Series, pd.Series]:
    """Caller/callee person keys: the parser's explicit ones, else src/dst when ext-like."""
    known = set(directory.by_ext)

    def ext_like(u: pd.Series) -> pd.Series:
        v = u.astype(str).str.strip()
        ok = (v.str.fullmatch(r"\d{1,5}") | v.isin(known)) & ~v.isin(own)
        return v.where(ok, None)

    def side(person_col: str, party_col: str) -> pd.Series:
        p = legs[person_col].astype("str")
        p = p.where(p.str.strip() != "")
        return p.fillna(map_unique(legs[party_col], ext_like).astype("str"))
    return side("caller_person", "src"), side("callee_person", "dst")


def fold_sessions(legs: pd.DataFrame, *, tz: str, region: str = "RU",
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
    """
    directory = directory or Directory(None)
    notes: list[str] = []
    if legs.empty:
        return S.empty_calls(tz), pd.DataFrame(columns=list(S.LEG_COLUMNS)), notes
    legs = legs.sort_values(["session_key", "start", "order"], kind="stable").reset_index(drop=True)

    own_norm = normalize_numbers(list(own_numbers), region)["number"].dropna().tolist() if own_numbers else []
    own_raw = set(str(x) for x in own_numbers)
    own_set = set(own_norm)

    caller, callee = _person_keys(legs, directory, own_raw)

    # numbers of all parties (a person's leg may still show an own number as caller ID)
    src_raw = legs["src"].astype("object")
    dst_raw = legs["dst"].astype("object")
    both = pd.concat([src_raw, dst_raw], ignore_index=True)
    nums = normalize_numbers(both, region, area_code=area_code)
    n = len(legs)
    src_num = nums["number"].iloc[:n].reset_index(drop=True)
    src_typ = nums["number_type"].iloc[:n].reset_index(drop=True)
    dst_num = nums["number"].iloc[n:].reset_index(drop=True)
    dst_typ = nums["number_type"].iloc[n:].reset_index(drop=True)

    def has_digits(num: pd.Series) -> pd.Series:
        return num.notna() & num.astype("string").str.contains(r"\d", regex=True).fillna(False)

    src_own = src_num.isin(own_set) | legs["src"].astype("string").isin(own_raw).fillna(False)
    dst_own = dst_num.isin(own_set) | legs["dst"].astype("string").isin(own_raw).fillna(False)
    src_ext = has_digits(src_num) & ~src_own & caller.isna()
    dst_ext = has_digits(dst_num) & ~dst_own & callee.isna()
    src_in = caller.notna() | src_own
    dst_in = callee.notna() | dst_own
    hint = legs["direction_hint"].astype("string")

    d = np.select(
        [src_ext.to_numpy(bool), dst_ext.to_numpy(bool), (src_in & dst_in).to_numpy(bool),
         hint.notna().to_numpy(bool), caller.notna().to_numpy(bool), callee.notna().to_numpy(bool)],
        ["incoming", "outgoing", "internal", hint.fillna("").to_numpy(str), "internal", "incoming"],
        default="",
    )
    legs = legs.assign(_dir=d, _caller=caller, _callee=callee, _src_num=src_num, _src_typ=src_typ,
                       _dst_num=dst_num, _dst_typ=dst_typ, _src_own=src_own, _dst_own=dst_own)
    key = legs["session_key"]
    any_in = legs["_dir"].eq("incoming").groupby(key, sort=False).transform("any")
    any_out = legs["_dir"].eq("outgoing").groupby(key, sort=False).transform("any")
    sess_dir = np.where(any_in, "incoming", np.where(any_out, "outgoing", "internal"))
    legs["_sdir"] = sess_dir

    answered = legs["leg_status"].eq("answered").fillna(False)
    # who is the employee on each leg: the person on the company side
    emp_key = np.where(legs["_sdir"] == "incoming", legs["_callee"].astype(object), legs["_caller"].astype(object))
    emp_key = pd.Series(emp_key, index=legs.index).where(lambda s: s.notna(), None)
    # for incoming legs where the callee side is empty but the caller is a person (a transfer
    # leg from agent to agent), the person reached is the callee; keep as is (NA)
    legs["_emp"] = emp_key
    incoming = legs["_sdir"] == "incoming"
    person_ans = answered & (~incoming | legs["_emp"].notna())
    persons_known = bool(legs["_callee"].notna().any() or legs["_caller"].notna().any())

    legs["_pa_at"] = legs["answered_at"].where(person_ans)
    legs["_pa_end"] = legs["end"].where(person_ans)
    legs["_ans"] = answered
    legs["_pa"] = person_ans
    legs["_missed"] = legs["leg_status"].eq("missed").fillna(False)
    legs["_busy"] = legs["leg_status"].eq("busy").fillna(False)

    g = legs.groupby("session_key", sort=False)
    agg = g.agg(
        start=("start", "min"), end=("end", "max"), pa_at=("_pa_at", "min"), pa_end=("_pa_end", "max"),
        any_ans=("_ans", "any"), any_pa=("_pa", "any"), any_missed=("_missed", "any"),
        any_busy=("_busy", "any"), direction=("_sdir", "first"),
        source_row=("source_row", "first"), source_file=("source_file", "first"),
        line_hint=("line_hint", "first"),
    )
    # employee: the first person-answered leg (by answer time); else the only person rung / caller
    pa = legs[legs["_pa"] & legs["_emp"].notna()].sort_values(["session_key", "answered_at"], kind="stable")
    first_pa_emp = pa.drop_duplicates("session_key").set_index("session_key")["_emp"]
    emp_legs = legs[legs["_emp"].notna()]
    n_persons = emp_legs.groupby("session_key", sort=False)["_emp"].nunique()
    first_emp = emp_legs.drop_duplicates("session_key").set_index("session_key")["_emp"]
    agg["emp"] = first_pa_emp.reindex(agg.index)
    is_in = agg["direction"] == "incoming"
    only_one = n_persons.reindex(agg.index).fillna(0) == 1
    fill_in = agg["emp"].isna() & is_in & only_one
    agg.loc[fill_in, "emp"] = first_emp.reindex(agg.index)[fill_in]
    fill_other = agg["emp"].isna() & ~is_in
    agg.loc[fill_other, "emp"] = first_emp.reindex(agg.index)[fill_other]

    # peer person for internal calls (the callee)
    callee_legs = legs[legs["_callee"].notna()]
    agg["peer"] = callee_legs.drop_duplicates("session_key").set_index("session_key")["_callee"].reindex(agg.index)

    # client number: incoming → caller number of the first incoming leg; outgoing → callee number
    inl = legs[legs["_dir"] == "incoming"].drop_duplicates("session_key").set_index("session_key")
    outl = legs[legs["_dir"] == "outgoing"].drop_duplicates("session_key").set_index("session_key")
    cn = pd.Series(pd.NA, index=agg.index, dtype="object")
    ct = pd.Series(pd.NA, index=agg.index, dtype="object")
    cn[is_in] = inl["_src_num"].reindex(agg.index)[is_in]
    ct[is_in] = inl["_src_typ"].reindex(agg.index)[is_in]
    is_out = agg["direction"] == "outgoing"
    cn[is_out] = outl["_dst_num"].reindex(agg.index)[is_out]
    ct[is_out] = outl["_dst_typ"].reindex(agg.index)[is_out]
    ct = ct.where(cn.notna() | (agg["direction"] == "internal"), "invalid")
    ct[agg["direction"] == "internal"] = pd.NA
    # line: provider's line, else the own number on the company side
    first = legs.drop_duplicates("session_key").set_index("session_key")
    line = agg["line_hint"].astype("object")
    own_dst = first["_dst_num"].where(first["_dst_own"]).reindex(agg.index)
    own_src = first["_src_num"].where(first["_src_own"]).reindex(agg.index)
    line = line.where(line.notna() & (line.astype(str) != ""), np.where(is_in, own_dst, own_src))

    # status
    machine = is_in & agg["any_ans"] & ~agg["any_pa"] & persons_known
    answered_s = np.where(is_in, agg["any_pa"] | (agg["any_ans"] & (not persons_known)), agg["any_ans"])
    status = np.where(answered_s, "answered", np.where(agg["any_missed"] | machine, "missed",
                                                       np.where(agg["any_busy"], "busy", "failed")))
    ans_at = agg["pa_at"]
    if not persons_known:
        any_at = g["answered_at"].min()
        ans_at = ans_at.fillna(any_at)
    ans_at = ans_at.where(pd.Series(answered_s, index=agg.index))
    pa_end = agg["pa_end"].fillna(agg["end"])
    talk = (pa_end - ans_at).dt.total_seconds().clip(lower=0).fillna(0.0)
    ring = (ans_at.fillna(agg["end"]) - agg["start"]).dt.total_seconds().clip(lower=0)

    # employee names and departments via the directory
    resolved = {k: directory.resolve(k) for k in pd.unique(pd.concat([agg["emp"], agg["peer"]]).dropna())}
    lookups = [{k: v[i] for k, v in resolved.items()} for i in range(3)]

    def col(series: pd.Series, i: int) -> pd.Series:
        return series.map(lookups[i])

    calls = pd.DataFrame({
        S.CALL_ID: agg.index.astype(str),
        S.START: agg["start"],
        S.ANSWERED_AT: ans_at,
        S.END: agg["end"],
        S.RING_S: ring,
        S.TALK_S: talk,
        S.DIRECTION: agg["direction"],
        S.STATUS: status,
        S.EMPLOYEE: col(agg["emp"], 1),
        S.DEPARTMENT: col(agg["emp"], 2),
        S.CLIENT_NUMBER: cn,
        S.NUMBER_TYPE: ct,
        S.LINE: line,
        S.SOURCE_ROW: agg["source_row"],
        S.EXTENSION: col(agg["emp"], 0),
        S.MACHINE_ANSWERED: machine.to_numpy(bool),
        S.SOURCE_FILE: agg["source_file"],
        "peer_extension": col(agg["peer"], 0).where(agg["direction"] == "internal"),
        "peer_employee": col(agg["peer"], 1).where(agg["direction"] == "internal"),
    }).reset_index(drop=True)
    calls = S.coerce(calls)
    for c in ("peer_extension", "peer_employee"):
        calls[c] = calls[c].astype("string")
    calls = calls.sort_values([S.START, S.CALL_ID], kind="stable").reset_index(drop=True)

    # the legs table
    leg_res = {k: directory.resolve(k) for k in pd.unique(legs["_emp"].dropna())}
    leg_ext = {k: v[0] for k, v in leg_res.items()}
    leg_name = {k: v[1] for k, v in leg_res.items()}
    legs_out = pd.DataFrame({
        S.CALL_ID: legs["session_key"].astype(str),
        "leg_id": legs["leg_id"].astype("string"),
        S.START: legs["start"], S.ANSWERED_AT: legs["answered_at"], S.END: legs["end"],
        S.TALK_S: legs["talk_s"].astype(float),
        "src": legs["src"].astype("string"), "dst": legs["dst"].astype("string"),
        "leg_status": legs["leg_status"].astype("string"),
        S.EXTENSION: legs["_emp"].map(leg_ext).astype("string"),
        S.EMPLOYEE: legs["_emp"].map(leg_name).astype("string"),
        S.SOURCE_FILE: legs["source_file"].astype("string"),
        S.SOURCE_ROW: legs["source_row"].astype("int64"),
    })

    # coverage notes
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
    inv = int((ext_calls & calls[S.CLIENT_NUMBER].notna() & (calls[S.NUMBER_TYPE] == "invalid")).sum())
    if inv:
        short = calls.loc[calls[S.NUMBER_TYPE] == "invalid", S.CLIENT_NUMBER].dropna().astype(str).str.len().between(5, 7).sum()
        msg = f"{inv} external call(s) have a number that is not a valid phone number"
        if short:
            msg += (f"; {short} of them look like local numbers without an area code "
                    "(set area_code in the profile)")
        notes.append(msg)
    m = int(calls[S.MACHINE_ANSWERED].sum())
    if m:
        notes.append(f"{m} incoming call(s) were answered only by the PBX (IVR/announcement, no person): "
                     "counted as missed, flagged machine_answered")
    return calls, legs_out, notes
