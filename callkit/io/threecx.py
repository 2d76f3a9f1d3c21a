"""3CX CDR log (FORMATS.md §2.3): comma-separated, no header, field order chosen in the console.

The 27-field order seen in a real log: ``historyid, callid, duration, time-start, time-answered,
time-end, reason-terminated, from-no, to-no, from-dn, to-dn, dial-no, reason-changed,
final-number, final-dn, bill-code, bill-rate, bill-cost, bill-name, chain, from-type, to-type,
final-type, from-dispname, to-dispname, final-dispname, missed-queue-calls``; another public
script moves ``missed-queue-calls`` before the display names and the types last — told apart by
where the type words (Internal/External/Extension/Line/Queue …) are. Shorter logs with the first
20 fields are accepted too. ``Ext.NNN`` parties are extensions; ``duration`` (``HH:MM:SS``) is the
talk time, empty when never answered; times ``YYYY/MM/DD HH:MM:SS``; one row per call, the
answering party in ``final-number``/``final-dn`` — except after a transfer (``reason-changed``
``ReplacedDst``), when the first destination (``to-no``) answered and handled the call.
"""
from __future__ import annotations

import re

import pandas as pd

from callkit.io.base import Format, ParseContext, Parsed, Rejects, legs_frame, times_from
from callkit.io.generic import row_keys
from callkit.io.text import RawTable

__all__ = ["THREECX", "THREECX_FIELDS", "THREECX_FIELDS_ALT", "REASONS_TERMINATED"]

_COMMON = ("historyid", "callid", "duration", "time_start", "time_answered", "time_end", "reason_terminated",
           "from_no", "to_no", "from_dn", "to_dn", "dial_no", "reason_changed", "final_number", "final_dn",
           "bill_code", "bill_rate", "bill_cost", "bill_name", "chain")
THREECX_FIELDS: tuple[str, ...] = _COMMON + ("from_type", "to_type", "final_type", "from_dispname",
                                             "to_dispname", "final_dispname", "missed_queue_calls")
THREECX_FIELDS_ALT: tuple[str, ...] = _COMMON + ("missed_queue_calls", "from_dispname", "to_dispname",
                                                 "final_dispname", "from_type", "to_type", "final_type")
# reason-terminated of an UNANSWERED call → its status (lower-cased; old and v18+ spellings)
REASONS_TERMINATED: dict[str, str] = {
    "terminatedbysrc": "missed", "src_participant_terminated": "missed", "failed_cancelled": "missed",
    "noanswer": "missed", "no_answer": "missed", "connected": "missed", "terminatedbydst": "busy",
    "dst_participant_terminated": "busy", "routebusy": "busy", "busy": "busy", "failed": "failed",
    "noroutexists": "failed", "noroutexist": "failed", "norouteexists": "failed", "notavailable": "failed",
    "rule_cancelled": "missed", "cancelled": "missed",
}
_TYPES = {"internal", "external", "extension", "line", "queue", "ivr", "ringgroup", "ring group", "voicemail",
          "confplace", "parking", "fax", "script", "routepoint", "unknown", "outboundrule", "inboundrule",
          "dialcode", "specialmenu", "vmail", "wextension", "conference", "callflow"}
_PERSON_TYPES = {"internal", "extension", "wextension"}
_DATE = re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}")
_EXT = re.compile(r"^Ext\.(\d{1,6})$", re.I)


def _detect(table: RawTable) -> float:
    rows = table.rows[:50]
    if not rows:
        return 0.0

    def ok(r: list[str]) -> bool:
        return (20 <= len(r) <= 28 and bool(_DATE.match(r[3].strip())) and bool(_DATE.match(r[5].strip()))
                and bool(re.fullmatch(r"[A-Za-z_]+", r[6].strip())))
    return 0.95 * sum(1 for r in rows if ok(r)) / len(rows)


def _order(table: RawTable, good: list[int]) -> tuple[str, ...]:
    def share(pos: int) -> float:
        rows = [table.rows[i] for i in good[:50] if len(table.rows[i]) > pos]
        return sum(1 for r in rows if r[pos].strip().lower() in _TYPES) / len(rows) if rows else 0.0
    return THREECX_FIELDS_ALT if share(24) > share(20) else THREECX_FIELDS


def _party(no: pd.Series, dn: pd.Series, typ: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """(raw party, person) for one side: ``Ext.101`` → person ``101`` unless its type says otherwise."""
    s = no.astype("string").str.strip().fillna("")
    ext = s.str.extract(_EXT, expand=False)
    is_ext = ext.notna()
    ty = (typ.astype("string").str.strip().str.lower().fillna("") if typ is not None
          else pd.Series("", index=no.index, dtype="string"))
    person_type = ty.isin(list(_PERSON_TYPES))
    plain_ext = s.str.fullmatch(r"\d{1,6}").fillna(False) & person_type
    person = (is_ext & ((ty == "") | person_type)) | plain_ext
    person_val = ext.fillna(s).where(person, None)
    raw = s.where(~is_ext & ~plain_ext & (s != "") & (s.str.lower() != "endcall"), None)  # Ext. of a queue/IVR → no number
    return raw.astype("object").where(raw.notna(), None), person_val.astype("object").where(person_val.notna(), None)


def _parse(table: RawTable, ctx: ParseContext) -> Parsed:
    rej = Rejects()
    good: list[int] = []
    for i, r in enumerate(table.rows):
        if 20 <= len(r) <= 28:
            good.append(i)
        else:
            rej.add([i], f"has {len(r)} fields; expected the 27 fields of a 3CX CDR log (at least 20)")
    if not good:
        return Parsed(pd.DataFrame(), rej.items())
    fields = _order(table, good)
    df = legs_frame(table, good, {c: j for j, c in enumerate(fields)})
    t = times_from(df, rej, table, ctx, start="time_start", answer="time_answered", end="time_end",
                   talk="duration")
    answered = t["answered_at"].notna()
    talk = t["talk_s"]
    no_dur = df["duration"].astype("string").str.strip().fillna("") == ""
    fix = answered & no_dur
    talk = talk.where(~fix, (t["end"] - t["answered_at"]).dt.total_seconds())
    reason = df["reason_terminated"].astype("string").str.strip().str.lower().fillna("")
    st = reason.map(REASONS_TERMINATED).astype("string")
    st = st.where(~answered, "answered")
    rej.add(df.index[st.isna()], lambda r: f"column 'reason-terminated' has {df.at[r, 'reason_terminated']!r}; "
            "expected TerminatedBySrc, TerminatedByDst, Failed, Failed_Cancelled, NoRouteExists, RouteBusy …")
    src, caller = _party(df["from_no"], df["from_dn"], df.get("from_type"))
    fin = df["final_number"].astype("string").str.strip().fillna("")
    use_final = fin != ""
    to_no = df["to_no"].where(~use_final, df["final_number"])
    to_dn = df["to_dn"].where(~use_final, df["final_dn"])
    to_ty = None
    if "final_type" in df and "to_type" in df:
        to_ty = df["to_type"].where(~use_final, df["final_type"])
    dst, callee = _party(to_no, to_dn, to_ty)
    # a call the first destination answered and then transferred (ReplacedDst) was handled by
    # that first destination; final-number is whom it was passed to
    _, first_callee = _party(df["to_no"], df["to_dn"], df.get("to_type"))
    changed = df["reason_changed"].astype("string").str.strip().str.lower().fillna("")
    transferred = answered & (changed == "replaceddst") & first_callee.notna()
    callee = callee.where(~transferred, first_callee)
    cid = df["callid"].astype("string").str.strip()
    hid = df["historyid"].astype("string").str.strip()
    key = cid.where(cid.notna() & (cid != ""), hid)
    key = key.where(key.notna() & (key != ""), row_keys(table, df.index).astype("string"))
    legs = pd.DataFrame({
        "session_key": key.astype(str),
        "leg_id": hid.astype("object").where(hid.notna() & (hid != ""), None),
        "start": t["start"], "answered_at": t["answered_at"].where(answered), "end": t["end"],
        "talk_s": talk.where(answered, 0.0).astype(float),
        "src": src, "dst": dst, "caller_person": caller, "callee_person": callee,
        "leg_status": st, "direction_hint": None, "line_hint": None, "app": None, "row": df.index,
    }, index=df.index)
    notes = []
    if fields is THREECX_FIELDS_ALT:
        notes.append(f"{table.name}: 3CX field order with missed-queue-calls before the display names")
    return Parsed(legs, rej.items(), notes)


THREECX = Format("3cx", "3CX CDR log (27 fields, no header, Ext.NNN parties)", _detect, _parse)
