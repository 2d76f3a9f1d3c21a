"""Cloud telephony exports: Sipuni, Mango Office, Bitrix24, UIS/CoMagic. Facts: FORMATS.md §3.

* ``sipuni`` — ``;``-separated CSV with a Russian header matched by name (versions differ:
  "Продолжительность звонка" vs "Длительность звонка, сек"; the header may have more cells
  than the rows). One row per call.
* ``mango`` — Mango Office VPBX stats: ``;``, no header, columns in the requested ``fields``
  order (``columns=``; default :data:`MANGO_DEFAULT_COLUMNS`), Unix seconds, ``entry_id`` groups
  the legs of one call, ``disconnect_reason`` codes.
* ``bitrix24`` — ``voximplant.statistic.get`` fields as the header (``CALL_ID``, ``CALL_TYPE``,
  ``PORTAL_USER_ID``, ``PHONE_NUMBER``, ``CALL_DURATION``, ``CALL_START_DATE``,
  ``CALL_FAILED_CODE`` …). One row per call.
* ``uis`` — UIS/CoMagic Data API ``get.calls_report`` field names as the header (``id``,
  ``start_time``, ``direction``, ``is_lost``, ``contact_phone_number``, ``talk_duration`` …).
"""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from callkit.errors import FormatError
from callkit.io.base import Format, ParseContext, Parsed, Rejects, legs_frame, times_from
from callkit.io.generic import (
    build_legs,
    header_rows,
    map_direction,
    map_status_loose,
    match_columns,
    row_keys,
)
from callkit.io.text import RawTable, norm_header

__all__ = ["SIPUNI", "MANGO", "BITRIX24", "UIS", "MANGO_DEFAULT_COLUMNS", "MANGO_FIELDS",
           "mango_status", "bitrix_status"]


def _nonempty(s: pd.Series) -> pd.Series:
    t = s.astype("string").str.strip()
    return (t.notna() & (t != "")).astype(bool)


def _header_score(table: RawTable, required: set[str], any_of: set[str], score: float) -> float:
    if not table.rows:
        return 0.0
    h = {norm_header(c) for c in table.rows[0]}
    if required <= h and (not any_of or any_of & h):
        return score
    return 0.0


def _require(table: RawTable, idx: dict[str, int], needed: dict[str, str]) -> None:
    missing = [name for key, name in needed.items() if key not in idx]
    if missing:
        raise FormatError(f"{table.path}: the header lacks column(s) {missing}; its header is "
                          f"{table.rows[0][:30]!r}")


# ----------------------------------------------------------------------------- Sipuni

_SIPUNI_SYNONYMS: dict[str, tuple[str, ...]] = {
    "type": ("тип",),
    "status": ("статус",),
    "ring": ("время ответа",),
    "start": ("время",),
    "scheme": ("схема",),
    "from": ("откуда",),
    "to": ("куда",),
    "answered_by": ("кто ответил",),
    "talk": ("продолжительность разговора", "длительность разговора"),
    "duration": ("продолжительность звонка", "длительность звонка"),
    "record_id": ("id записи",),
    "order_id": ("id заказа звонка",),
    "line": ("исходящая линия",),   # the 24-column header (FORMATS.md §7.4)
}


def _detect_sipuni(table: RawTable) -> float:
    return _header_score(table, {"тип", "статус", "время", "откуда", "куда"},
                         {"кто ответил", "id записи", "схема"}, 0.96)


def _parse_sipuni(table: RawTable, ctx: ParseContext) -> Parsed:
    header = table.rows[0]
    table.header, table.header_line = header, table.lines[0]
    idx = match_columns(header, _SIPUNI_SYNONYMS)
    _require(table, idx, {"type": "Тип", "status": "Статус", "start": "Время", "from": "Откуда", "to": "Куда"})
    good, data_rows, rej = header_rows(table, 0)
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), data_rows=data_rows)
    label = {k: str(header[i]) for k, i in idx.items()}
    direction = map_direction(df["type"])
    rej.add(df.index[direction.isna()], lambda r: f"column {label['type']!r} has {df.at[r, 'type']!r}; "
                                                  "expected исходящий, входящий or внутренний")
    status = map_status_loose(df["status"])
    rej.add(df.index[status.isna()], lambda r: f"column {label['status']!r} has {df.at[r, 'status']!r}; "
                                               "expected отвечен or не отвечен")
    key = df.get("record_id")
    legs = build_legs(df, table, ctx, rej, start="start", start_label=label["start"], labels=label,
                      duration="duration" if "duration" in df else None,
                      talk="talk" if "talk" in df else None, ring="ring" if "ring" in df else None,
                      direction=direction, status=status, key=key, src=df["from"], dst=df["to"],
                      answered_by=df.get("answered_by"), line=df.get("line"))
    return Parsed(legs, rej.items(), data_rows=data_rows)


# ----------------------------------------------------------------------------- Mango Office

MANGO_FIELDS: tuple[str, ...] = ("records", "start", "finish", "answer", "from_extension", "from_number",
                                 "to_extension", "to_number", "disconnect_reason", "line_number",
                                 "location", "create", "entry_id")
MANGO_DEFAULT_COLUMNS: tuple[str, ...] = ("records", "start", "finish", "answer", "from_extension",
                                          "from_number", "to_extension", "to_number", "disconnect_reason",
                                          "line_number", "location", "entry_id")
# the shorter default one public client requests (no answer time, no entry_id)
_MANGO_SHORT = ("records", "start", "finish", "from_extension", "from_number", "to_extension", "to_number",
                "disconnect_reason")
_UNIX = re.compile(r"^\d{9,10}$")
_CODE = re.compile(r"^\d{4}$")

# disconnect_reason → the status of an UNANSWERED leg (answered legs are decided by the answer time)
_MANGO_UNANSWERED: dict[str, str] = {
    "1000": "missed", "1100": "missed", "1110": "missed", "1111": "missed", "1120": "busy",
    "1121": "busy", "1122": "busy", "1123": "busy", "1124": "failed",
    "1161": "missed", "1162": "missed", "1163": "missed", "1164": "missed",
    "1180": "missed", "1181": "missed", "1182": "missed", "1183": "missed",
}


def mango_status(answered: pd.Series, reason: pd.Series) -> pd.Series:
    """Leg status from the answer time and ``disconnect_reason``.

    Answered legs are ``answered`` whatever the code. Unanswered: 1100/1110/1111 (normal end,
    caller hung up, no answer in time), queue time-outs 116x and pick-ups 118x → ``missed``;
    1120–1123 (ended/busy/rejected by the callee, DND) → ``busy``; other codes (restrictions,
    unavailable, black lists, forwarding, schedule, billing) → ``failed``; anything else NA.

    >>> mango_status(pd.Series([True, False, False, False]),
    ...              pd.Series(["1100", "1111", "1121", "1131"])).tolist()
    ['answered', 'missed', 'busy', 'failed']
    """
    r = reason.astype("string").str.strip().fillna("")
    st = r.map(_MANGO_UNANSWERED).astype("string")
    st = st.where(st.notna() | ~r.str.match(r"^\d{4}$").fillna(False), "failed")
    st = st.where(r != "", "missed")
    return st.where(~answered.astype(bool), "answered")


def _mango_columns(table: RawTable, ctx: ParseContext) -> tuple[str, ...]:
    if ctx.columns:
        cols = tuple(str(c).strip() for c in ctx.columns)
        unknown = [c for c in cols if c not in MANGO_FIELDS]
        if unknown:
            raise FormatError(f"{table.path}: columns= has unknown Mango field(s) {unknown}; expected names "
                              f"from {list(MANGO_FIELDS)}")
        for need in ("start", "finish"):
            if need not in cols:
                raise FormatError(f"{table.path}: columns= lacks {need!r}; the Mango stats request must "
                                  "include start and finish")
        return cols
    widths = pd.Series([len(r) for r in table.rows]).value_counts()
    w = int(widths.index[0]) if len(widths) else 0
    if w in (len(MANGO_DEFAULT_COLUMNS), len(MANGO_DEFAULT_COLUMNS) + 1):
        return MANGO_DEFAULT_COLUMNS
    if w in (len(_MANGO_SHORT), len(_MANGO_SHORT) + 1):
        return _MANGO_SHORT
    raise FormatError(f"{table.path}: Mango stats rows have {w} fields, not the default "
                      f"{len(MANGO_DEFAULT_COLUMNS)} ({','.join(MANGO_DEFAULT_COLUMNS)}); pass "
                      "columns= in the order of the requested 'fields'")


def _detect_mango(table: RawTable) -> float:
    rows = table.rows[:50]
    if not rows or table.delimiter != ";":
        return 0.0

    def ok(r: list[str]) -> bool:
        if len(r) in (12, 13):
            return (bool(_UNIX.match(r[1].strip())) and bool(_UNIX.match(r[2].strip()))
                    and bool(_CODE.match(r[8].strip())) and (r[3].strip() in ("", "0") or bool(_UNIX.match(r[3].strip()))))
        if len(r) in (8, 9):
            return bool(_UNIX.match(r[1].strip())) and bool(_UNIX.match(r[2].strip())) and bool(_CODE.match(r[7].strip()))
        return False
    return 0.95 * sum(1 for r in rows if ok(r)) / len(rows)


def _parse_mango(table: RawTable, ctx: ParseContext) -> Parsed:
    cols = _mango_columns(table, ctx)
    rej = Rejects()
    good: list[int] = []
    n = len(cols)
    for i, r in enumerate(table.rows):
        if len(r) == n or (len(r) == n + 1 and not r[-1].strip()):
            good.append(i)
        else:
            rej.add([i], f"has {len(r)} fields; expected {n} ({','.join(cols)}) — a truncated line, or pass "
                         "columns= in the order of the requested 'fields'")
    df = legs_frame(table, good, {c: j for j, c in enumerate(cols)})
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items())
    t = times_from(df, rej, table, ctx, start="start", end="finish",
                   answer="answer" if "answer" in df else None)
    notes: list[str] = []
    if "answer" in df:
        answered = t["answered_at"].notna()
    else:
        answered = pd.Series(False, index=df.index)
        notes.append(f"{table.name}: the Mango export has no 'answer' column: answered calls cannot be told "
                     "from unanswered ones by time; request the 'answer' field")
    if "disconnect_reason" in df:
        reason = df["disconnect_reason"].astype("string").str.strip().fillna("")
        rej.add(df.index[(reason != "") & ~reason.str.match(_CODE).fillna(False)],
                lambda r: f"column 'disconnect_reason' has {df.at[r, 'disconnect_reason']!r}; "
                          "expected a 4-digit Mango code such as 1100 or 1111")
        if "answer" not in df:  # no answer time: normal ends count as answered
            answered = reason.isin(["1100", "1110", "1120"])
            t.loc[answered, "answered_at"] = t.loc[answered, "start"]
    else:
        reason = pd.Series("", index=df.index, dtype="string")
    status = mango_status(answered, reason)
    ans_at = t["answered_at"].where(answered)
    talk = ((t["end"] - ans_at).dt.total_seconds()).where(answered, 0.0).fillna(0.0).clip(lower=0)
    key = row_keys(table, df.index)
    if "entry_id" in df:
        e = df["entry_id"].astype("object")
        key = e.where(_nonempty(e), None).fillna(key).astype(str)
    else:
        notes.append(f"{table.name}: no entry_id column: every row is its own call (legs of one call "
                     "cannot be grouped); request the 'entry_id' field")

    def col(name: str) -> pd.Series:
        if name not in df:
            return pd.Series(None, index=df.index, dtype="object")
        s = df[name].astype("object")
        return s.where(_nonempty(s), None)
    legs = pd.DataFrame({
        "session_key": key, "leg_id": None,   # Mango stats have no per-leg id
        "start": t["start"], "answered_at": ans_at, "end": t["end"], "talk_s": talk.astype(float),
        "src": col("from_number"), "dst": col("to_number"),
        "caller_person": col("from_extension"), "callee_person": col("to_extension"),
        "leg_status": status, "direction_hint": None, "line_hint": col("line_number"), "app": None,
        "row": df.index,
    }, index=df.index)
    # an internal party written only as a SIP URI is not a client number
    for side in ("src", "dst"):
        v = legs[side].astype("string")
        sip = v.str.contains("@", regex=False).fillna(False) & ~v.str.match(r"^(?:sip:)?\+?\d{6,}@").fillna(False)
        legs.loc[sip, side] = None
    return Parsed(legs, rej.items(), notes)


# ----------------------------------------------------------------------------- Bitrix24

_BITRIX_SYNONYMS: dict[str, tuple[str, ...]] = {
    "call_id": ("call id",),
    "id": ("id",),
    "call_type": ("call type",),
    "user_id": ("portal user id",),
    "user_name": ("portal user", "portal user name", "portal user full name", "user name"),
    "portal_number": ("portal number",),
    "phone": ("phone number",),
    "duration": ("call duration",),
    "start": ("call start date",),
    "code": ("call failed code",),
    "reason": ("call failed reason",),
}
_BITRIX_TYPES = {"1": "outgoing", "2": "incoming", "3": "incoming", "4": "outgoing"}
_BITRIX_CODES = {"200": "answered", "304": "missed", "603-s": "missed", "603": "busy", "486": "busy",
                 "480": "failed", "403": "failed", "404": "failed", "484": "failed", "503": "failed",
                 "402": "failed", "423": "failed"}


def bitrix_status(codes: pd.Series) -> pd.Series:
    """``CALL_FAILED_CODE`` → status: 200 answered; 304 and 603-S (cancelled) missed; 486 busy and
    603 rejected → busy; other 3-digit codes ("undefined" in the docs) failed; anything else NA.

    >>> bitrix_status(pd.Series(["200", "304", "486", "603-S", "503", "x"])).tolist()
    ['answered', 'missed', 'busy', 'missed', 'failed', <NA>]
    """
    k = codes.astype("string").str.strip().str.lower()
    st = k.map(_BITRIX_CODES).astype("string")
    other = st.isna() & k.str.match(r"^\d{3}(?:-\w+)?$").fillna(False)
    return st.where(~other, "failed")


def _detect_bitrix(table: RawTable) -> float:
    return _header_score(table, {"call type", "phone number", "call start date"},
                         {"call failed code", "call duration", "portal user id"}, 0.95)


def _parse_bitrix(table: RawTable, ctx: ParseContext) -> Parsed:
    header = table.rows[0]
    table.header, table.header_line = header, table.lines[0]
    idx = match_columns(header, _BITRIX_SYNONYMS)
    _require(table, idx, {"call_type": "CALL_TYPE", "phone": "PHONE_NUMBER", "start": "CALL_START_DATE"})
    good, data_rows, rej = header_rows(table, 0)
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), data_rows=data_rows)
    label = {k: str(header[i]) for k, i in idx.items()}
    ct = df["call_type"].astype("string").str.strip()
    direction = ct.map(_BITRIX_TYPES).astype("string")
    rej.add(df.index[direction.isna()], lambda r: f"column {label['call_type']!r} has {df.at[r, 'call_type']!r}; "
            "expected 1 (outgoing), 2 (incoming), 3 (incoming, redirected) or 4 (callback)")
    notes: list[str] = []
    if "code" in df:
        status = bitrix_status(df["code"])
        rej.add(df.index[status.isna()], lambda r: f"column {label['code']!r} has {df.at[r, 'code']!r}; "
                "expected a code such as 200 (success), 304 (missed), 486 (busy), 603 (rejected)")
    else:
        status = None
        notes.append(f"{table.name}: no CALL_FAILED_CODE column: a call counts as answered when its "
                     "duration is above 0")
    talk = None
    if "duration" in df:
        # CALL_DURATION is the conversation for successful calls; for the others it is ring time
        ok = status.eq("answered").fillna(False) if status is not None else pd.Series(True, index=df.index)
        df["_talk"] = df["duration"].where(ok, "0")
        talk = "_talk"
    key = df.get("call_id", df.get("id"))
    emp = None
    if "user_name" in df:
        emp = df["user_name"]
        if "user_id" in df:
            emp = emp.where(_nonempty(emp), df["user_id"])
    elif "user_id" in df:
        emp = df["user_id"]
    legs = build_legs(df, table, ctx, rej, start="start", start_label=label["start"], labels=label,
                      duration="duration" if "duration" in df else None, talk=talk,
                      direction=direction, status=status, key=key, employee=emp, client=df["phone"],
                      line=df.get("portal_number"))
    notes.append(f"{table.name}: Bitrix24 statistics give no ring time: ring_s of answered calls is 0")
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


# ----------------------------------------------------------------------------- UIS / CoMagic

_UIS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "communication_id": ("communication id",),
    "start": ("start time",),
    "finish": ("finish time",),
    "direction": ("direction",),
    "is_lost": ("is lost",),
    "contact": ("contact phone number",),
    "virtual": ("virtual phone number",),
    "talk": ("talk duration",),
    "wait": ("wait duration",),
    "total": ("total duration",),
    "first_emp": ("first answered employee full name",),
    "last_emp": ("last answered employee full name",),
    "employees": ("employees",),
    "finish_reason": ("finish reason",),
}
_TRUE = {"true", "1", "t", "yes", "y", "да", "истина"}
_FALSE = {"false", "0", "f", "no", "n", "нет", "ложь", ""}


def _detect_uis(table: RawTable) -> float:
    if not table.rows:
        return 0.0
    h = {norm_header(c) for c in table.rows[0]}
    if ("start time" in h and {"contact phone number", "virtual phone number"} & h
            and {"is lost", "talk duration", "direction", "total duration"} & h):
        return 0.93
    return 0.0


def _uis_employees(value: object) -> tuple[list[str], list[str]]:
    """(all employees, answered employees) from the ``employees`` cell (JSON list or names)."""
    s = str(value or "").strip()
    if not s:
        return [], []
    if s.startswith("["):
        try:
            items = json.loads(s)
        except ValueError:
            items = None
        if isinstance(items, list):
            names, answered = [], []
            for it in items:
                if isinstance(it, dict):
                    n = it.get("employee_full_name") or it.get("full_name") or it.get("employee_id")
                    if n is None:
                        continue
                    names.append(str(n))
                    if it.get("is_answered") in (True, "true", 1, "1"):
                        answered.append(str(n))
                elif it:
                    names.append(str(it))
            return names, answered
    parts = [p.strip() for p in re.split(r"[;,|]", s) if p.strip()]
    return parts, []


def _parse_uis(table: RawTable, ctx: ParseContext) -> Parsed:
    header = table.rows[0]
    table.header, table.header_line = header, table.lines[0]
    idx = match_columns(header, _UIS_SYNONYMS)
    _require(table, idx, {"start": "start_time", "contact": "contact_phone_number"})
    good, data_rows, rej = header_rows(table, 0)
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), data_rows=data_rows)
    label = {k: str(header[i]) for k, i in idx.items()}
    notes: list[str] = []
    direction = None
    if "direction" in df:
        direction = map_direction(df["direction"])
        rej.add(df.index[direction.isna()], lambda r: f"column {label['direction']!r} has "
                f"{df.at[r, 'direction']!r}; expected in/out, incoming/outgoing or входящий/исходящий")
    else:
        notes.append(f"{table.name}: no direction column: every call is taken as outgoing")
    status = None
    if "is_lost" in df:
        v = df["is_lost"].astype("string").str.strip().str.lower().fillna("")
        lost = v.isin(list(_TRUE))
        bad = ~lost & ~v.isin(list(_FALSE))
        rej.add(df.index[bad], lambda r: f"column {label['is_lost']!r} has {df.at[r, 'is_lost']!r}; "
                                         "expected true/false")
        status = pd.Series(np.where(lost, "missed", "answered"), index=df.index, dtype="string")
        if "finish_reason" in df:
            fr = df["finish_reason"].astype("string").str.lower().fillna("")
            status[lost & fr.str.contains("busy|занят", regex=True)] = "busy"
    # employee: the first answering one; for an unanswered call the only one it rang
    emp = pd.Series(None, index=df.index, dtype="object")
    for c in ("first_emp", "last_emp"):
        if c in df:
            emp = emp.where(emp.notna(), df[c].where(_nonempty(df[c]), None))
    if "employees" in df:
        parsed = df["employees"].map(_uis_employees)
        answered_one = parsed.map(lambda p: p[1][0] if p[1] else None)
        only_one = parsed.map(lambda p: p[0][0] if len(p[0]) == 1 else None)
        emp = emp.where(emp.notna(), answered_one)
        emp = emp.where(emp.notna(), only_one)
    key = df.get("id", df.get("communication_id"))
    ring = "wait" if "wait" in df and "talk" not in df else None
    legs = build_legs(df, table, ctx, rej, start="start", start_label=label["start"], labels=label,
                      end="finish" if "finish" in df else None,
                      duration="total" if "total" in df else None,
                      talk="talk" if "talk" in df else None, ring=ring,
                      direction=direction, status=status, key=key, employee=emp,
                      client=df.get("contact"), line=df.get("virtual"))
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


SIPUNI = Format("sipuni", "Sipuni statistics export (';', Russian header)", _detect_sipuni, _parse_sipuni)
MANGO = Format("mango", "Mango Office VPBX stats (';', no header, Unix times, entry_id)", _detect_mango, _parse_mango)
BITRIX24 = Format("bitrix24", "Bitrix24 telephony statistics (voximplant.statistic.get fields)",
                  _detect_bitrix, _parse_bitrix)
UIS = Format("uis", "UIS/CoMagic calls report (Data API field names)", _detect_uis, _parse_uis)
