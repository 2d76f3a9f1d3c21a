"""FreeSWITCH ``mod_cdr_csv`` with the ``example`` template (FORMATS.md §2.1).

15 quoted columns, no header: ``caller_id_name, caller_id_number, destination_number, context,
start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid,
accountcode, read_codec, write_codec``. With ``legs=ab`` the B-leg row carries the A-leg uuid in
``bleg_uuid`` (some set-ups write it the other way round: the A-leg names its B-leg); either way
rows linked by ``uuid``/``bleg_uuid`` form one session.
"""
from __future__ import annotations

import re

import pandas as pd

from callkit.io.base import Format, ParseContext, Parsed, Rejects, legs_frame, times_from
from callkit.io.generic import person_like, row_keys
from callkit.io.text import RawTable

__all__ = ["FREESWITCH", "FREESWITCH_FIELDS", "HANGUP_CAUSES", "hangup_status", "link_sessions"]

FREESWITCH_FIELDS: tuple[str, ...] = (
    "caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp", "answer_stamp",
    "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid", "accountcode", "read_codec",
    "write_codec",
)
# What an UNANSWERED leg ended with → its status (answered legs are decided by answer_stamp).
_MISSED = ("NO_ANSWER", "NO_USER_RESPONSE", "ORIGINATOR_CANCEL", "NORMAL_CLEARING", "LOSE_RACE", "PICKED_OFF",
           "ALLOTTED_TIMEOUT", "RECOVERY_ON_TIMER_EXPIRE", "PROGRESS_TIMEOUT", "NO_PICKUP", "SUCCESS",
           "NORMAL_UNSPECIFIED", "BLIND_TRANSFER", "ATTENDED_TRANSFER", "MANAGER_REQUEST", "UNSPECIFIED",
           "CALL_AWARDED_DELIVERED", "BOWOUT", "REDIRECTION_TO_NEW_DESTINATION")
_BUSY = ("USER_BUSY", "CALL_REJECTED", "BUSY_EVERYWHERE", "DECLINE", "UNWANTED")
_FAILED = ("UNALLOCATED_NUMBER", "NO_ROUTE_TRANSIT_NET", "NO_ROUTE_DESTINATION", "CHANNEL_UNACCEPTABLE",
           "SUBSCRIBER_ABSENT", "NUMBER_CHANGED", "EXCHANGE_ROUTING_ERROR", "DESTINATION_OUT_OF_ORDER",
           "INVALID_NUMBER_FORMAT", "FACILITY_REJECTED", "RESPONSE_TO_STATUS_ENQUIRY", "NORMAL_CIRCUIT_CONGESTION",
           "NETWORK_OUT_OF_ORDER", "NORMAL_TEMPORARY_FAILURE", "SWITCH_CONGESTION", "ACCESS_INFO_DISCARDED",
           "REQUESTED_CHAN_UNAVAIL", "PRE_EMPTED", "FACILITY_NOT_SUBSCRIBED", "OUTGOING_CALL_BARRED",
           "INCOMING_CALL_BARRED", "BEARERCAPABILITY_NOTAUTH", "BEARERCAPABILITY_NOTAVAIL", "SERVICE_UNAVAILABLE",
           "BEARERCAPABILITY_NOTIMPL", "CHAN_NOT_IMPLEMENTED", "FACILITY_NOT_IMPLEMENTED", "SERVICE_NOT_IMPLEMENTED",
           "INVALID_CALL_REFERENCE", "INCOMPATIBLE_DESTINATION", "INVALID_MSG_UNSPECIFIED", "MANDATORY_IE_MISSING",
           "MESSAGE_TYPE_NONEXIST", "WRONG_MESSAGE", "IE_NONEXIST", "INVALID_IE_CONTENTS", "WRONG_CALL_STATE",
           "MANDATORY_IE_LENGTH_ERROR", "PROTOCOL_ERROR", "INTERWORKING", "CRASH", "SYSTEM_SHUTDOWN",
           "USER_CHALLENGE", "MEDIA_TIMEOUT", "USER_NOT_REGISTERED", "INVALID_GATEWAY", "GATEWAY_DOWN",
           "INVALID_URL", "INVALID_PROFILE", "SRTP_READ_ERROR", "DOES_NOT_EXIST_ANYWHERE", "NOT_ACCEPTABLE",
           "NO_IDENTITY", "BAD_IDENTITY_INFO", "UNSUPPORTED_CERTIFICATE", "INVALID_IDENTITY", "STALE_DATE")
HANGUP_CAUSES: dict[str, str] = {**{c: "missed" for c in _MISSED}, **{c: "busy" for c in _BUSY},
                                 **{c: "failed" for c in _FAILED}}
_DATE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]\d{1,2}:\d{2}")
_CAUSE = re.compile(r"^[A-Z][A-Z_]+$")


def hangup_status(answered: pd.Series, cause: pd.Series) -> pd.Series:
    """Leg status: ``answered`` when answered, else from ``hangup_cause`` (NA for an unknown cause).

    >>> hangup_status(pd.Series([True, False, False, False]),
    ...               pd.Series(["NORMAL_CLEARING", "NO_ANSWER", "USER_BUSY", "GATEWAY_DOWN"])).tolist()
    ['answered', 'missed', 'busy', 'failed']
    """
    st = cause.astype("string").str.strip().str.upper().map(HANGUP_CAUSES).astype("string")
    return st.where(~answered.astype(bool), "answered")


def link_sessions(uuid: pd.Series, bleg: pd.Series, order: pd.Series) -> pd.Series:
    """Session key per row: rows linked through ``uuid``/``bleg_uuid`` (either direction) share
    the uuid of their earliest row.

    >>> link_sessions(pd.Series(["a", "b", "c"]), pd.Series(["", "a", ""]), pd.Series([0, 1, 2])).tolist()
    ['a', 'a', 'c']
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, b in zip(uuid.astype(str), bleg.fillna("").astype(str)):
        find(u)
        if b.strip():
            ru, rb = find(u), find(b.strip())
            if ru != rb:
                parent[rb] = ru
    roots = uuid.astype(str).map(find)
    # name each group after the uuid of its earliest row
    first = pd.DataFrame({"root": roots, "uuid": uuid.astype(str), "o": order}).sort_values("o", kind="stable")
    name = first.drop_duplicates("root").set_index("root")["uuid"]
    return roots.map(name)


def _detect(table: RawTable) -> float:
    rows = table.rows[:50]
    if not rows:
        return 0.0

    def ok(r: list[str]) -> bool:
        return (len(r) == 15 and bool(_DATE.match(r[4].strip())) and bool(_CAUSE.match(r[9].strip()))
                and len(r[10].strip()) >= 8)
    return 0.97 * sum(1 for r in rows if ok(r)) / len(rows)


def _parse(table: RawTable, ctx: ParseContext) -> Parsed:
    rej = Rejects()
    good: list[int] = []
    for i, r in enumerate(table.rows):
        if len(r) == 15:
            good.append(i)
        else:
            rej.add([i], f"has {len(r)} fields; expected 15 (FreeSWITCH cdr_csv 'example' template; a "
                         "truncated line or another template?)")
    df = legs_frame(table, good, {c: j for j, c in enumerate(FREESWITCH_FIELDS)})
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items())
    t = times_from(df, rej, table, ctx, start="start_stamp", answer="answer_stamp", end="end_stamp",
                   duration="duration", talk="billsec")
    answered = t["answered_at"].notna()
    cause = df["hangup_cause"].astype("string").str.strip().str.upper()
    status = hangup_status(answered, cause)
    rej.add(df.index[status.isna()], lambda r: f"column 'hangup_cause' has {df.at[r, 'hangup_cause']!r}; "
            "expected a FreeSWITCH cause such as NORMAL_CLEARING, NO_ANSWER, USER_BUSY, ORIGINATOR_CANCEL")
    uuid = df["uuid"].astype("string").str.strip()
    no_uuid = uuid.isna() | (uuid == "")
    uuid = uuid.where(~no_uuid, row_keys(table, df.index).astype("string"))
    order = pd.Series(range(len(df)), index=df.index)
    start_order = t["start"].rank(method="first").fillna(len(df) + order)
    key = link_sessions(uuid, df["bleg_uuid"].astype("string").str.strip(), start_order)
    src = df["caller_id_number"].astype("object")
    dst = df["destination_number"].astype("object")
    # legs=ab: the A-leg's destination is what was dialled (a queue, a ring group), not who answered;
    # when a B-leg of the session reached a person, the A-leg's extension-like destination is dropped
    sizes = key.map(uuid.groupby(key).nunique())  # legs per session (exact duplicate rows count once)
    is_a = uuid.eq(key)
    dst_person = person_like(dst.fillna(""))
    session_has_b_person = (dst_person & ~is_a).groupby(key).transform("any")
    drop = is_a & (sizes > 1) & dst_person & session_has_b_person
    dst = dst.where(~drop, None)
    # a B-leg is the A-leg's caller calling the B destination; its own caller_id_number may be the
    # outbound caller ID (a company number), which must not make an outgoing call look incoming
    a_src = pd.Series(src[is_a].to_numpy(), index=key[is_a].to_numpy())
    a_src = a_src[~a_src.index.duplicated()]
    b_leg = ~is_a & key.isin(a_src.index)
    src = src.where(~b_leg, key.map(a_src))
    legs = pd.DataFrame({
        "session_key": key.astype(str), "leg_id": uuid.astype("object").where(~no_uuid, None),
        "start": t["start"], "answered_at": t["answered_at"].where(answered), "end": t["end"],
        "talk_s": t["talk_s"].where(answered, 0.0),
        "src": src, "dst": dst, "caller_person": None, "callee_person": None,
        "leg_status": status, "direction_hint": None, "line_hint": None, "app": None, "row": df.index,
    }, index=df.index)
    notes = []
    if int((sizes > 1).sum()):
        notes.append(f"{table.name}: {int(key[sizes > 1].nunique())} call(s) with several legs joined by bleg_uuid")
    return Parsed(legs, rej.items(), notes)


FREESWITCH = Format("freeswitch", "FreeSWITCH mod_cdr_csv 'example' template (15 columns, legs a/ab)",
                    _detect, _parse)
