"""Asterisk CDRs: cdr_csv ``Master.csv`` (16/17/18/21 columns, no header), the cdr_custom legacy
layout (19 columns, different order) and database exports with a header (FreePBX ``cdr`` table:
``calldate, clid, src, dst, …, uniqueid, linkedid``). Facts: FORMATS.md §1.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from callkit.io.base import (
    Format,
    ParseContext,
    Parsed,
    Rejects,
    map_status,
    map_unique,
    times_from,
)
from callkit.io.grouping import channel_parties, regroup_without_linkedid
from callkit.io.text import RawTable, norm_header
from callkit.io.values import strings_array, trim_whitespace

__all__ = ["ASTERISK_CSV", "ASTERISK_CUSTOM", "ASTERISK_DB", "cdr_legs", "cdr_session_key"]

_CSV_FIELDS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
               "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
               "uniqueid", "userfield", "peeraccount", "linkedid", "sequence")
_CUSTOM_FIELDS = ("clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata",
                  "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
                  "accountcode", "uniqueid", "userfield", "sequence")
_DISPOSITIONS = {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", "UNKNOWN", "1", "2", "3", "4"}
_DISP_CODES = {"1": "NO ANSWER", "2": "BUSY", "3": "FAILED", "4": "ANSWERED"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")
_UNIQ = re.compile(r"^(?:[\w.-]+-)?\d{9,10}\.\d+$")


def _share(table: RawTable, test, n: int = 50) -> float:
    rows = table.head(n)
    if not rows:
        return 0.0
    return sum(1 for r in rows if test(r)) / len(rows)


def _detect_csv(table: RawTable) -> float:
    def ok(r: list[str]) -> bool:
        return (len(r) in (16, 17, 18, 21) and bool(_DATE.match(r[9]))
                and r[14].strip().upper() in _DISPOSITIONS)
    return 0.97 * _share(table, ok)


def _detect_custom(table: RawTable) -> float:
    def ok(r: list[str]) -> bool:
        return len(r) in (18, 19) and bool(_DATE.match(r[8])) and r[13].strip().upper() in _DISPOSITIONS
    return 0.96 * _share(table, ok)


def _legs(df: pd.DataFrame, table: RawTable, ctx: ParseContext, rej: Rejects, *, key: pd.Series,
          start: str, answer: str | None, end: str | None, line: pd.Series | None = None) -> pd.DataFrame:
    chan = df.get("channel", pd.Series("", index=df.index))
    dchan = df.get("dstchannel", pd.Series("", index=df.index))
    with ThreadPoolExecutor(1) as pool:
        # who the parties are, from the channels, on a second thread while the times are parsed:
        # it is Arrow's compute in C++ (the GIL released) and rejects nothing (the rejects'
        # order stays the main thread's). 10M legs on 2 cores, with the fold's session keys on
        # a thread too: loading 76 → 65 s
        parties_job = pool.submit(channel_parties, chan, dchan, df["src"], directory=ctx.directory)
        t = times_from(df, rej, table, ctx, start=start, answer=answer, end=end,
                       duration="duration" if "duration" in df else None,
                       talk="billsec" if "billsec" in df else None)
        # per distinct disposition: the numeric codes of some exports, then the status words
        status = map_unique(df["disposition"],
                            lambda u: map_status(u.astype(str).str.strip().str.upper().replace(_DISP_CODES))
                            ).astype("string")
        rej.add(df.index[status.isna()], lambda r: f"column 'disposition' has {df.at[r, 'disposition']!r}; "
                                                   "expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION")
        # an ANSWERED leg with no answer time but billsec: answered_at from billsec (in times_from)
        parties = parties_job.result()
    out = pd.DataFrame({
        "session_key": key,
        "leg_id": df["uniqueid"] if "uniqueid" in df else None,
        "start": t["start"], "answered_at": t["answered_at"], "end": t["end"], "talk_s": t["talk_s"],
        "src": df["src"], "dst": df["dst"],
        "caller_person": parties["caller_person"], "callee_person": parties["callee_person"],
        "caller_external": parties["caller_external"], "callee_external": parties["callee_external"],
        "leg_status": status,
        "direction_hint": None,
        "line_hint": line if line is not None else None,
        "app": df.get("lastapp"),
        "row": df.index,
    }, index=df.index)
    unanswered = out["leg_status"] != "answered"
    out.loc[unanswered, "answered_at"] = pd.NaT
    out.loc[unanswered, "talk_s"] = 0.0
    return out


def _parse_headerless(table: RawTable, ctx: ParseContext, fields: tuple[str, ...], sizes: tuple[int, ...]) -> Parsed:
    rej = Rejects()
    sample_nf = [len(r) for r in table.head(200) if len(r) in sizes]
    width = max(set(sample_nf), key=sample_nf.count) if sample_nf else max(sizes)
    wanted = ("src", "dst", "channel", "dstchannel", "lastapp", "start", "answer", "end", "duration",
              "billsec", "disposition", "uniqueid", "linkedid")
    pos = {name: fields.index(name) for name in wanted if name in fields and fields.index(name) < width}
    df = table.frame(usecols=sorted(pos.values()), width=width)
    df = df.rename(columns={v: k for k, v in pos.items()})
    nf = table.nfields   # known without a scan when every record had `width` fields
    table.release()      # the file's bytes: read again only for a rejected record's text
    ok = np.isin(nf, sizes)
    for i in np.flatnonzero(~ok):
        rej.add([int(i)], f"has {int(nf[i])} fields; expected one of {sorted(sizes)} "
                          "(Asterisk CDR; a truncated or merged line?)")
    for i in np.flatnonzero(ok & (nf != width)):
        rej.add([int(i)], f"has {int(nf[i])} fields while this file's records have {width}")
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items())
    # 17-column files carry either uniqueid or userfield in the 17th column
    if "uniqueid" in df and width == 17:
        is_uid = df["uniqueid"].head(200).astype(str).str.match(_UNIQ)
        if is_uid.mean() < 0.5:
            df = df.drop(columns=["uniqueid"])
    key = _session_key(df, table)
    legs = _legs(df, table, ctx, rej, key=key, start="start", answer="answer", end="end")
    legs, note = regroup_without_linkedid(legs, df, table.name)
    notes = [note] if note else []
    if "linkedid" not in df and not note:
        notes.append(f"{table.name}: no linkedid column (cdr.conf newcdrcolumns=no): legs are grouped "
                     "by uniqueid" if "uniqueid" in df else
                     f"{table.name}: no uniqueid/linkedid columns: every row is its own call")
    return Parsed(legs, rej.items(), notes)


def _session_key(df: pd.DataFrame, table: RawTable) -> pd.Series:
    """linkedid, else uniqueid, else the file and line (each row its own call)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    key = pa.nulls(len(df), type=pa.large_string())
    for col in ("linkedid", "uniqueid"):   # stripped, "" as missing (in Arrow: a million legs)
        if col in df:
            v = trim_whitespace(strings_array(df[col]))
            key = pc.coalesce(key, pc.if_else(pc.equal(v, ""), pa.scalar(None, type=v.type), v))
    key = pd.Series(pd.array(key, dtype="str"), index=df.index)
    missing = key.isna()
    if missing.any():
        key[missing] = [f"{table.name}:{table.lines[i]}" for i in key.index[missing]]
    return key


def _parse_csv(table: RawTable, ctx: ParseContext) -> Parsed:
    return _parse_headerless(table, ctx, _CSV_FIELDS, (16, 17, 18, 21))


def _parse_custom(table: RawTable, ctx: ParseContext) -> Parsed:
    return _parse_headerless(table, ctx, _CUSTOM_FIELDS, (18, 19))


_DB_SYNONYMS = {
    "calldate": ("calldate", "start", "call date"),
    "answer": ("answer",),
    "end": ("end",),
    "clid": ("clid",), "src": ("src", "source"), "dst": ("dst", "destination"),
    "dcontext": ("dcontext",), "channel": ("channel",), "dstchannel": ("dstchannel",),
    "lastapp": ("lastapp",), "lastdata": ("lastdata",), "duration": ("duration",),
    "billsec": ("billsec",), "disposition": ("disposition",), "uniqueid": ("uniqueid",),
    "linkedid": ("linkedid",), "did": ("did",), "cnum": ("cnum",),
}


def _detect_db(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = {norm_header(c) for c in head[0]}
    need = {"src", "dst", "disposition", "billsec"}
    if need <= h and ({"calldate", "start"} & h) and ({"channel", "dstchannel", "uniqueid"} & h):
        return 0.95
    return 0.0


def _parse_db(table: RawTable, ctx: ParseContext) -> Parsed:
    # one parser for every headered CDR table (unescaped quotes, NULL literals, slash dates)
    from callkit.io.cdr_tables import parse_cdr_table
    return parse_cdr_table(table, ctx)


#: Legs from named raw CDR fields, and their session keys (shared with callkit.io.cdr_tables).
cdr_legs = _legs
cdr_session_key = _session_key


ASTERISK_CSV = Format("asterisk_csv", "Asterisk cdr_csv Master.csv (no header, 16/17/18/21 columns)",
                      _detect_csv, _parse_csv)
ASTERISK_CUSTOM = Format("asterisk_custom", "Asterisk cdr_custom legacy layout (19 columns)",
                         _detect_custom, _parse_custom)
ASTERISK_DB = Format("asterisk_db", "Asterisk/FreePBX CDR database export with a header (calldate, src, dst, …)",
                     _detect_db, _parse_db)
