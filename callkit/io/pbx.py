"""Other office PBXs' call logs (FORMATS.md §2.4, §2.5, §7.4).

* ``yeastar`` — Yeastar S-series CDR: ``callid, timestart, callfrom, callto, callduraction,
  talkduraction, srctrunkname, dsttrunkname, status, type, pincode, recording, didnumber, sn``
  (sic "callduraction"). One row per call; ``status`` ANSWERED / NO ANSWER / BUSY / FAILED /
  VOICEMAIL (a call that reached voicemail was not answered by a person); ``type`` Inbound /
  Outbound / Internal is only a hint — direction comes from the parties.
* ``avaya_smdr`` — Avaya IP Office SMDR: CSV, one record per call *segment*, 30+ fields
  (``Call Start, Connected Time, Ring Time, Caller, Direction, Called Number, Dialled Number,
  Account, Is Internal, Call ID, Continuation, Party1Device, Party1Name, Party2Device,
  Party2Name, Hold Time, Park Time, …``), with or without that header. Records sharing a Call
  ID are the segments of one call (``Continuation`` = 1: more follow, e.g. after a transfer);
  every segment repeats the call's start, so a segment is placed after the previous one ends
  (ring + connected + hold + park seconds). Devices ``E<ext>`` are extensions, ``T<line>``
  trunks, ``V<n>`` voicemail.
* ``panasonic_smdr`` — Panasonic KX-TDA/TDE/NS SMDR printout (fixed-width text, page headers
  and dashed lines repeated): ``Date Time Ext CO Dial-Number Ring Duration Acc-code CD``. The
  time is the call's *end* to the minute (a KX-TEA308-style header without ``Ring`` gives the
  start), the date ``MM/DD/YY`` or ``DD/MM/YY`` (decided from the data), the dial number
  ``<I>caller`` for incoming calls (``<D>ddi<I>caller`` with DDI), digits for outgoing ones and
  ``EXTnnn`` for intercom calls; ``LOG IN``/``LOG OUT`` and other status lines are not calls.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from callkit.io.base import Format, ParseContext, Parsed, Rejects, legs_frame, match_columns, times_from
from callkit.io.generic import header_rows, map_direction, row_keys
from callkit.io.lenient import slash_date_order, slash_dates_to_iso
from callkit.io.text import RawTable, norm_header
from callkit.io.values import DURATION_EXPECTED, parse_durations

__all__ = ["YEASTAR", "AVAYA_SMDR", "PANASONIC_SMDR", "AVAYA_FIELDS", "YEASTAR_STATUS"]


def _blank(s: pd.Series) -> pd.Series:
    v = s.astype("object")
    t = v.astype("string").str.strip()
    return v.where(t.notna() & (t != ""), None)


def _legs(idx: pd.Index, t: pd.DataFrame, status: pd.Series, *, key: pd.Series, src, dst,
          caller=None, callee=None, hint=None, line=None, leg_id=None) -> pd.DataFrame:
    none = pd.Series(None, index=idx, dtype="object")
    legs = pd.DataFrame({
        "session_key": key, "leg_id": leg_id if leg_id is not None else none,
        "start": t["start"], "answered_at": t["answered_at"], "end": t["end"], "talk_s": t["talk_s"],
        "src": src, "dst": dst,
        "caller_person": caller if caller is not None else none,
        "callee_person": callee if callee is not None else none,
        "leg_status": status, "direction_hint": hint if hint is not None else none,
        "line_hint": line if line is not None else none, "app": none, "row": idx,
    }, index=idx)
    unanswered = legs["leg_status"] != "answered"
    legs.loc[unanswered, "answered_at"] = pd.NaT
    legs.loc[unanswered, "talk_s"] = 0.0
    return legs


# ----------------------------------------------------------------------------- Yeastar S-series

_YEASTAR_SYNONYMS = {
    "callid": ("callid",), "start": ("timestart",), "from": ("callfrom",), "to": ("callto",),
    "duration": ("callduraction", "callduration"), "talk": ("talkduraction", "talkduration"),
    "src_trunk": ("srctrunkname",), "dst_trunk": ("dsttrunkname",), "status": ("status",),
    "type": ("type",), "did": ("didnumber",),
}
#: Yeastar ``status`` → leg status (VOICEMAIL: the caller reached voicemail, nobody answered).
YEASTAR_STATUS = {"answered": "answered", "no answer": "missed", "busy": "busy", "failed": "failed",
                  "voicemail": "missed"}


def _detect_yeastar(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = {norm_header(c) for c in head[0]}
    if {"callid", "timestart", "callfrom", "callto", "status"} <= h and (
            {"callduraction", "talkduraction", "callduration", "talkduration"} & h):
        return 0.96
    return 0.0


def _parse_yeastar(table: RawTable, ctx: ParseContext) -> Parsed:
    header = table.rows[0]
    table.header, table.header_line = header, table.lines[0]
    idx = match_columns(header, _YEASTAR_SYNONYMS)
    good, data_rows, rej = header_rows(table, 0)
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), data_rows=data_rows)
    t = times_from(df, rej, table, ctx, start="start", duration="duration" if "duration" in df else None,
                   talk="talk" if "talk" in df else None, start_label="timestart")
    word = df["status"].astype("string").str.strip().str.lower()
    status = word.map(YEASTAR_STATUS).astype("string")
    rej.add(df.index[status.isna()], lambda r: f"column 'status' has {df.at[r, 'status']!r}; expected "
                                               "ANSWERED, NO ANSWER, BUSY, FAILED or VOICEMAIL")
    hint = map_direction(df["type"]) if "type" in df else None
    line = None
    for c in ("did", "src_trunk", "dst_trunk"):
        if c in df:
            line = _blank(df[c]) if line is None else line.where(line.notna(), _blank(df[c]))
    key = df["callid"].astype("object").where(_blank(df["callid"]).notna(), row_keys(table, df.index))
    legs = _legs(df.index, t, status, key=key.astype(str), leg_id=_blank(df["callid"]),
                 src=_blank(df["from"]), dst=_blank(df["to"]),
                 hint=hint.astype("object").where(hint.notna(), None) if hint is not None else None,
                 line=line)
    notes = []
    vm = int((word == "voicemail").sum())
    if vm:
        notes.append(f"{table.name}: {vm} call(s) reached voicemail: counted as not answered")
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


# ----------------------------------------------------------------------------- Avaya IP Office SMDR

AVAYA_FIELDS: tuple[str, ...] = (
    "call_start", "connected_time", "ring_time", "caller", "direction", "called_number", "dialled_number",
    "account", "is_internal", "call_id", "continuation", "party1_device", "party1_name", "party2_device",
    "party2_name", "hold_time", "park_time", "auth_valid", "auth_code", "user_charged", "call_charge",
    "currency", "aoc_amount", "call_units", "aoc_units", "cost_per_unit", "markup", "ext_targeting_cause",
    "ext_targeter_id", "ext_targeted_number", "caller_ip", "caller_port", "called_ip", "called_port")
_AVAYA_HEADER = {name: (name.replace("_", " "), name.replace("_", "")) for name in AVAYA_FIELDS}
_AVAYA_HEADER["party1_device"] += ("party 1 device",)
_AVAYA_HEADER["party2_device"] += ("party 2 device",)
_AVAYA_HEADER["party1_name"] += ("party 1 name",)
_AVAYA_HEADER["party2_name"] += ("party 2 name",)
_AVAYA_NEED = 17   # up to park_time
_AV_DATE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$")
_HMS = re.compile(r"^\d{1,3}:\d{2}:\d{2}$")
_EXT_DEVICE = re.compile(r"^E(\d{1,8})$")


def _avaya_row_ok(r: list[str]) -> bool:
    return (len(r) >= 30 and bool(_AV_DATE.match(r[0].strip())) and bool(_HMS.match(r[1].strip()))
            and r[4].strip().upper() in ("I", "O"))


def _avaya_header(row: list[str]) -> dict[str, int]:
    return match_columns(row, _AVAYA_HEADER)


def _detect_avaya(table: RawTable) -> float:
    rows = table.head(50)
    if not rows:
        return 0.0
    h = _avaya_header(rows[0])
    if {"call_start", "connected_time", "direction", "call_id", "party1_device"} <= h.keys():
        return 0.96
    return 0.96 * sum(1 for r in rows if _avaya_row_ok(r)) / len(rows)


def _parse_avaya(table: RawTable, ctx: ParseContext) -> Parsed:
    rows = table.rows
    hdr = _avaya_header(rows[0]) if rows else {}
    notes: list[str] = []
    if {"call_start", "call_id"} <= hdr.keys():
        table.header, table.header_line = rows[0], table.lines[0]
        pos, start_row = hdr, 1
    else:
        pos, start_row = {name: i for i, name in enumerate(AVAYA_FIELDS)}, 0
    data_rows = list(range(start_row, len(rows)))
    rej = Rejects()
    need = max(pos[f] for f in AVAYA_FIELDS[:_AVAYA_NEED] if f in pos) + 1
    good = []
    for i in data_rows:
        if len(rows[i]) < need:
            rej.add([i], f"has {len(rows[i])} fields; an IP Office SMDR record has at least {need} "
                         "(Call Start … Park Time)")
        else:
            good.append(i)
    df = legs_frame(table, good, {f: p for f, p in pos.items() if f in AVAYA_FIELDS[:_AVAYA_NEED]})
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), notes, data_rows=data_rows)
    secs = {}
    for c in ("connected_time", "ring_time", "hold_time", "park_time"):
        v, bad = parse_durations(df[c] if c in df else pd.Series("", index=df.index))
        rej.add(df.index[bad], lambda r, c=c: f"column {c!r} has {df.at[r, c]!r}; " + DURATION_EXPECTED)
        secs[c] = v.fillna(0.0)
    d = df["direction"].astype("string").str.strip().str.upper()
    rej.add(df.index[~d.isin(["I", "O"])], lambda r: f"column 'direction' has {df.at[r, 'direction']!r}; "
                                                      "expected I (inbound) or O (outbound)")
    call_start = times_from(df, rej, table, ctx, start="call_start", start_label="Call Start")["start"]
    # segments of one call (one Call ID) follow each other: each starts when the previous ended
    seg_len = secs["ring_time"] + secs["connected_time"] + secs["hold_time"] + secs["park_time"]
    cid = df["call_id"].astype("string").str.strip().fillna("")
    has_id = cid != ""
    grp = cid.where(has_id, pd.Series(df.index.astype(str), index=df.index))
    offset = seg_len.groupby(grp).cumsum() - seg_len
    start = call_start + pd.to_timedelta(offset, unit="s")
    answered = secs["connected_time"] > 0
    t = pd.DataFrame({
        "start": start,
        "answered_at": (start + pd.to_timedelta(secs["ring_time"], unit="s")).where(answered),
        "end": start + pd.to_timedelta(seg_len, unit="s"),
        "talk_s": secs["connected_time"].where(answered, 0.0),
    }, index=df.index)
    status = pd.Series(np.where(answered, "answered", "missed"), index=df.index, dtype="string")
    internal = df["is_internal"].astype("string").str.strip().isin(["1", "true", "True"])
    inbound = d.eq("I")

    def ext(c: str) -> pd.Series:
        m = df[c].astype("string").str.strip().str.extract(_EXT_DEVICE, expand=False) if c in df else None
        return m.astype("object").where(m.notna(), None) if m is not None else pd.Series(None, index=df.index)
    p1, p2 = ext("party1_device"), ext("party2_device")
    caller_num = _blank(df["caller"])
    called = _blank(df["called_number"])
    # inbound: the extension among the parties answered/rang; outbound: party 1 called out
    callee = p1.where(p1.notna(), p2).where(inbound, None)
    callee = callee.where(~internal, p2.where(p2.notna(), called))
    caller = p1.where(~inbound, None)
    src = caller_num.where(inbound, None)
    dst = called.where(~inbound & ~internal, None)
    hint = pd.Series(np.where(internal, "internal", np.where(inbound, "incoming", "outgoing")),
                     index=df.index, dtype="object")
    line = _blank(df["dialled_number"]).where(inbound, None) if "dialled_number" in df else None
    key = cid.astype("object").where(has_id, row_keys(table, df.index)).astype(str)
    legs = _legs(df.index, t, status, key=key, leg_id=cid.where(has_id, None), src=src, dst=dst,
                 caller=caller, callee=callee, hint=hint, line=line)
    cont = int((df["continuation"].astype("string").str.strip() == "1").sum()) if "continuation" in df else 0
    if cont:
        notes.append(f"{table.name}: {cont} SMDR record(s) continue in a later segment of the same call "
                     "(transfers): their segments are joined by Call ID")
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


# ----------------------------------------------------------------------------- Panasonic SMDR

_PANA_REC = re.compile(
    r"^\s*(?P<date>[\d*]{2}/[\d*]{2}/[\d*]{2})\s+(?P<time>[\d*]{1,2}:[\d*]{2}\s?[AP]M)\s+(?P<ext>\S+)\s+"
    r"(?:(?P<co>\d{2,4})\s+)?(?P<dial>.*?)\s+(?:(?P<ring>\d{1,2}'\d{2})\s+)?"
    r"(?P<dur>\d{1,2}:\d{2}'\d{2}\"?)(?:\s+(?P<rest>.*?))?\s*$", re.I)
_PANA_STATUS = re.compile(
    r"^\s*[\d*]{2}/[\d*]{2}/[\d*]{2}\s+[\d*]{1,2}:[\d*]{2}\s?[AP]M\s+\S+\s+(?:\d{2,4}\s+)?"
    r"(?P<what>LOG\s?IN|LOG\s?OUT|In the office|Out of office|Check.?in|Check.?out|Timed Reminder.*|"
    r"Absent.*|Present.*|Room status.*|Remote.*)\s*$", re.I)
_PANA_HEADER = re.compile(r"^\s*Date\s+Time\s+Ext\.?\s+CO\b", re.I)
_PANA_SKIP = re.compile(r"^\s*(?:-{10,}|=+|AT\S*|NO CARRIER|OK)\s*$", re.I)
_CD = {"TR", "FW", "RM", "NA", "DS", "CW"}


def _detect_panasonic(table: RawTable) -> float:
    n = min(len(table.rows), 60)   # rows first: the record view they give is the one raw() uses
    if not n:
        return 0.0
    lines = [table.raw(i) for i in range(n)]
    recs = sum(1 for ln in lines if _PANA_REC.match(ln) or _PANA_STATUS.match(ln))
    other = sum(1 for ln in lines if _PANA_HEADER.match(ln) or _PANA_SKIP.match(ln))
    if not recs:
        return 0.0
    return 0.95 * (recs + other) / n


def _pana_number(dial: str) -> tuple[str | None, str | None, str | None]:
    """(caller, ddi, dialled) from a Dial Number field."""
    s = dial.strip()
    ddi = None
    m = re.match(r"^<D>(?P<ddi>.*?)<I>(?P<rest>.*)$", s, re.I)
    if m:
        ddi = re.sub(r"\D", "", m.group("ddi")) or None
        s = "<I>" + m.group("rest")
    if s.upper().startswith("<I>"):
        digits = re.findall(r"\d{3,}", s[3:])
        return (digits[-1] if digits else None), ddi, None
    s = s.split("-")[0]                          # '-' then the digits a transferee entered
    s = re.sub(r"[PF=X.#*]", "", s.upper())
    return None, ddi, (re.sub(r"\D", "", s) or None)


def _parse_panasonic(table: RawTable, ctx: ParseContext) -> Parsed:
    rej = Rejects()
    data_rows: list[int] = []
    recs: dict[int, dict[str, str]] = {}
    status_lines = 0
    time_is_end = True
    for i in range(len(table.rows)):   # rows first: the record view raw() and lines agree on
        ln = table.raw(i)
        if _PANA_HEADER.match(ln):
            time_is_end = bool(re.search(r"\bRing\b", ln, re.I))
            continue
        if _PANA_SKIP.match(ln) or not ln.strip():
            continue
        if _PANA_STATUS.match(ln):
            status_lines += 1
            continue
        data_rows.append(i)
        m = _PANA_REC.match(ln)
        if not m:
            rej.add([i], "not an SMDR call record; expected Date Time Ext CO Dial-Number Ring Duration "
                         "(e.g. 10/01/26 10:01AM 101 01 <I>89161234567 0'15 00:01'00)")
            continue
        g = m.groupdict()
        g["end_flag"] = time_is_end
        recs[i] = g
    notes: list[str] = []
    if status_lines:
        notes.append(f"{table.name}: {status_lines} status line(s) (LOG IN/LOG OUT and the like) are not calls")
    if not recs:
        return Parsed(pd.DataFrame(), rej.items(), notes, data_rows=data_rows)
    df = pd.DataFrame.from_dict(recs, orient="index")
    df.index.name = "row"
    bad_clock = df["date"].str.contains(r"\*", regex=True) | df["time"].str.contains(r"\*", regex=True)
    rej.add(df.index[bad_clock], "date/time shown as '**' (the PBX clock was changed during the call)")
    order, why = slash_date_order(df["date"], tz=ctx.tz, default="mdy")
    notes.append(f"{table.name}: SMDR dates read {'day' if order == 'dmy' else 'month'} first: {why}")
    stamp = slash_dates_to_iso(df["date"].str.strip() + " " + df["time"].str.replace(" ", "", regex=False)
                               .str.replace(r"(?i)([AP]M)$", r" \1", regex=True), order)
    t0 = times_from(pd.DataFrame({"stamp": stamp}, index=df.index), rej, table, ctx, start="stamp",
                    start_label="Date Time")["start"]
    dur, badd = parse_durations(df["dur"].str.rstrip('"'))
    ring, badr = parse_durations(df["ring"].fillna(""))
    rej.add(df.index[badd | badr], "the Ring/Duration field is not m'ss / hh:mm'ss")
    dur, ring = dur.fillna(0.0), ring.fillna(0.0)
    end_based = df["end_flag"].astype(bool)
    start = t0.where(~end_based, t0 - pd.to_timedelta(dur + ring, unit="s"))
    answered = dur > 0
    t = pd.DataFrame({"start": start,
                      "answered_at": (start + pd.to_timedelta(ring, unit="s")).where(answered),
                      "end": start + pd.to_timedelta(ring + dur, unit="s"),
                      "talk_s": dur.where(answered, 0.0)}, index=df.index)
    parts = df["dial"].map(_pana_number)
    caller_num = parts.map(lambda p: p[0])
    ddi = parts.map(lambda p: p[1])
    dialled = parts.map(lambda p: p[2])
    dial = df["dial"].str.strip()
    incoming = dial.str.upper().str.startswith(("<I>", "<D>"))
    intercom = dial.str.match(r"(?i)^EXT\s*\d+$")
    ext = df["ext"].where(df["ext"].str.fullmatch(r"\d{1,6}"), None)
    callee_ext = dial.str.extract(r"(?i)^EXT\s*(\d+)$", expand=False)
    status = pd.Series(np.where(answered, "answered", "missed"), index=df.index, dtype="string")
    hint = pd.Series(np.where(intercom, "internal", np.where(incoming, "incoming", "outgoing")),
                     index=df.index, dtype="object")
    legs = _legs(df.index, t, status, key=row_keys(table, df.index).astype(str),
                 src=caller_num.where(incoming, None), dst=dialled.where(~incoming & ~intercom, None),
                 caller=ext.where(~incoming, None),
                 callee=ext.where(incoming, callee_ext.astype("object").where(intercom, None)),
                 hint=hint, line=ddi.where(ddi.notna(), df["co"].where(df["co"].notna(), None)))
    notes.append(f"{table.name}: the SMDR printout gives the {'end' if time_is_end else 'start'} time to the "
                 "minute: call times are accurate to a minute; every record is its own call")
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


YEASTAR = Format("yeastar", "Yeastar S-series CDR (callid, timestart, callfrom, callto, callduraction …)",
                 _detect_yeastar, _parse_yeastar)
AVAYA_SMDR = Format("avaya_smdr", "Avaya IP Office SMDR (CSV, one record per call segment)",
                    _detect_avaya, _parse_avaya)
PANASONIC_SMDR = Format("panasonic_smdr", "Panasonic KX-TDA/TDE/NS SMDR printout (fixed-width text)",
                        _detect_panasonic, _parse_panasonic)
