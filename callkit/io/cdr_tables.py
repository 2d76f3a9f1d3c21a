"""Asterisk CDR tables as clients' IT hands them over (FORMATS.md §7.3).

One parser, :func:`parse_cdr_table`, reads every *headered* Asterisk CDR table (the FreePBX
``cdr`` database export, the FreePBX "CDR Reports" web download, a Bicom PBXware export, the
same tables re-saved by a spreadsheet, the six-column cut-down ``calldate,src,dst,duration,
billsec,disposition``) and every database dump's ``cdr`` table (:mod:`callkit.io.sqldump`). The
formats below differ in how they are recognised and what the load report says:

* ``freepbx_download`` — the "CDR Reports" page's CSV: the 16-column header ``calldate, clid,
  src, dst, dcontext, channel, dstchannel, lastapp, lastdata, duration, billsec, disposition,
  amaflags, accountcode, uniqueid, userfield``, newest record first, a field quoted only when it
  holds a comma and its inner quotes never escaped (``"User 10" <114>``, ``""Smith, J" <103>"``).
  No linkedid: the legs of a call share its uniqueid. Overlapping downloads of one period repeat
  records: they are counted as duplicates.
* ``pbxware`` — a 26-column cdr export (Bicom PBXware and other database tools) with literal
  ``NULL`` for empty fields and unescaped quotes in clid; a Dial retried over trunks repeats one
  uniqueid on several rows, so legs are grouped by linkedid.
* ``spreadsheet_cdr`` — a CDR re-saved by a spreadsheet: no quotes, a trailing delimiter, dates
  ``D/M/YYYY H:MM[:SS]`` or ``M/D/YYYY`` (the order decided from the data: a number above 12, or
  the uniqueid clock — :func:`~callkit.io.lenient.slash_date_order`); with a header, or the
  headerless ``Master.csv`` layout (16/17/18/21 columns).
* ``cdr_minimal`` — only ``calldate, src, dst, duration, billsec, disposition`` (any order),
  dates as above (``DD/MM/YY HH:MM`` seen), CR-only line ends; no uniqueid, so a row is a call.

Rows that are not calls are rejected with their reason: placeholder dates (years 0000/1000),
an empty uniqueid where every other record has one, a field count the header does not allow.
"""
from __future__ import annotations

import pandas as pd

from callkit.io.asterisk import _CSV_FIELDS, _DATE, _DB_SYNONYMS, _DISPOSITIONS, cdr_legs, cdr_session_key
from callkit.io.base import Format, ParseContext, Parsed, Rejects, match_columns
from callkit.io.grouping import regroup_without_linkedid
from callkit.io.lenient import (
    NULL_LITERALS,
    SLASH_DATE,
    blank_nulls,
    record_fields,
    slash_date_order,
    slash_dates_to_iso,
    uniqueid_epochs,
)
from callkit.io.text import RawTable, norm_header

__all__ = ["FREEPBX_DOWNLOAD", "PBXWARE", "SPREADSHEET_CDR", "CDR_MINIMAL", "parse_cdr_table",
           "cdr_frame_legs", "FREEPBX_DOWNLOAD_HEADER", "MINIMAL_HEADER"]

FREEPBX_DOWNLOAD_HEADER = ("calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp",
                           "lastdata", "duration", "billsec", "disposition", "amaflags", "accountcode",
                           "uniqueid", "userfield")
MINIMAL_HEADER = frozenset({"calldate", "src", "dst", "duration", "billsec", "disposition"})
_SIZES = (16, 17, 18, 21)
_TIME_COLS = ("calldate", "start", "answer", "end")
_PLACEHOLDER_YEARS = ("0000", "1000", "1900", "1970")


def _header(table: RawTable, pos: int = 0) -> list[str]:
    h = [str(c) for c in table.rows[pos]]
    while h and not h[-1].strip():
        h.pop()
    return h


def _is_cdr_header(h: set[str]) -> bool:
    return {"src", "dst", "disposition", "billsec"} <= h and bool({"calldate", "start"} & h)


# ----------------------------------------------------------------------------- the shared parser

def _slash_dates(df: pd.DataFrame, ctx: ParseContext, table: RawTable, notes: list[str]) -> pd.DataFrame:
    cols = [c for c in _TIME_COLS if c in df]
    if not cols:
        return df
    first = cols[0]
    is_slash = df[first].astype("string").str.match(SLASH_DATE).fillna(False)
    if not is_slash.any():
        return df
    epochs = uniqueid_epochs(df["uniqueid"]) if "uniqueid" in df else None
    values = pd.concat([df[c][df[c].astype("string").str.match(SLASH_DATE).fillna(False)] for c in cols])
    ep = epochs.reindex(values.index).set_axis(values.index) if epochs is not None else None
    order, why = slash_date_order(values.reset_index(drop=True), tz=ctx.tz,
                                  epochs=ep.reset_index(drop=True) if ep is not None else None)
    out = df.copy()
    for c in cols:
        out[c] = slash_dates_to_iso(out[c], order)
    first_place = "day" if order == "dmy" else "month"
    notes.append(f"{table.name}: dates are written with slashes ({df.loc[is_slash, first].iloc[0]!r}); read "
                 f"{first_place} first: {why}")
    return out


def _junk(df: pd.DataFrame, rej: Rejects, table: RawTable) -> None:
    """Placeholder dates and records without the uniqueid every other record has."""
    for c in _TIME_COLS[:2]:
        if c in df:
            v = df[c].astype("string").str.strip()
            ph = v.str[:4].isin(list(_PLACEHOLDER_YEARS)).fillna(False)
            rej.add(df.index[ph], lambda r, c=c: f"column {c!r} has the placeholder date {df.at[r, c]!r}: "
                                                 "not a call record (a database default or a test row)")
            break
    if "uniqueid" in df:
        u = df["uniqueid"].astype("string").str.strip().fillna("")
        empty = u == ""
        if empty.any() and (~empty).sum() >= 2 * empty.sum():
            rej.add(df.index[empty], "column 'uniqueid' is empty while the other records have one: not a "
                                     "call record (a placeholder or hand-written row)")


def _clock_note(df: pd.DataFrame, ctx: ParseContext, table: RawTable, start: str) -> list[str]:
    """A note when the start times run a whole number of hours off the uniqueid clock in the
    given time zone: the export's local time is another zone's (Bicom PBXware writes calldate in
    the server's zone, the uniqueid is Unix time)."""
    if "uniqueid" not in df or start not in df:
        return []
    ep = uniqueid_epochs(df["uniqueid"])
    st = pd.to_datetime(df[start].astype("string").str.strip(), format="%Y-%m-%d %H:%M:%S", errors="coerce")
    ok = ep.notna() & st.notna()
    if ok.sum() < 5:
        return []
    as_utc = (st[ok] - pd.Timestamp("1970-01-01")).dt.total_seconds()
    local = pd.to_datetime(ep[ok], unit="s", utc=True).dt.tz_convert(ctx.tz)
    tz_off = local.dt.tz_localize(None).sub(local.dt.tz_convert("UTC").dt.tz_localize(None)).dt.total_seconds()
    shift = as_utc - ep[ok] - tz_off            # 0 when the file's clock is the given zone's
    med = float(shift.median())
    agree = ((shift - med).abs() <= 300).mean()
    hours = round(med / 3600)
    if agree >= 0.8 and abs(hours) >= 1 and abs(med - hours * 3600) <= 900:
        return [f"{table.name}: the start times run {hours:+d} h off the uniqueid clock in time zone "
                f"{ctx.tz}: the export may be in another time zone (check --tz / the profile's timezone)"]
    return []


def cdr_frame_legs(df: pd.DataFrame, table: RawTable, ctx: ParseContext, rej: Rejects,
                   notes: list[str]) -> pd.DataFrame:
    """Legs from a frame of raw CDR fields named as in the ``cdr`` table (``calldate``/``start``,
    ``src``, ``dst``, ``channel``, ``dstchannel``, ``duration``, ``billsec``, ``disposition``,
    ``uniqueid``, ``linkedid``, ``did`` …, any may be absent), indexed by record number.

    ``NULL``/``\\N`` literals become empty, slash dates are put in ISO order, junk rows are
    rejected, and legs are keyed by linkedid, else uniqueid, else the record's line.
    """
    df, nulls = blank_nulls(df)
    if nulls:
        notes.append(f"{table.name}: {nulls} NULL literal(s) read as empty fields")
    df = _slash_dates(df, ctx, table, notes)
    _junk(df, rej, table)
    start = "calldate" if "calldate" in df else "start"
    notes.extend(_clock_note(df, ctx, table, start))
    key = cdr_session_key(df, table)
    line = None
    if "did" in df:
        line = df["did"].where(df["did"].astype(str).str.strip() != "", None)
    legs = cdr_legs(df, table, ctx, rej, key=key, start=start,
                    answer="answer" if "answer" in df else None, end="end" if "end" in df else None, line=line)
    legs, note = regroup_without_linkedid(legs, df, table.name)
    if note:
        notes.append(note)
    elif "linkedid" not in df:
        notes.append(f"{table.name}: no linkedid column (cdr.conf newcdrcolumns=no): legs are grouped "
                     "by uniqueid" if "uniqueid" in df else
                     f"{table.name}: no uniqueid/linkedid columns: every row is its own call")
    return legs


def parse_cdr_table(table: RawTable, ctx: ParseContext, *, header_pos: int = 0) -> Parsed:
    """Parse a headered Asterisk CDR table (see the module docstring)."""
    header = _header(table, header_pos)
    table.header, table.header_line = header, table.lines[header_pos]
    width = len(header)
    idx = match_columns(header, _DB_SYNONYMS)
    hnorm = [norm_header(c) for c in header]
    rej = Rejects()
    good: list[int] = []
    recs: list[list[str]] = []
    data_rows = list(range(header_pos + 1, len(table.rows)))
    for i in data_rows:
        r = table.rows[i]
        if [norm_header(c) for c in r[:width]] == hnorm:
            rej.add([i], "repeated header line")
            continue
        f = record_fields(table, i, width)
        if f is None:
            rej.add([i], f"has {len(r)} fields; the header has {width} (a delimiter or an unescaped "
                         "quote inside a value, or a truncated line?)")
            continue
        good.append(i)
        recs.append(f)
    df = pd.DataFrame({k: [r[p] for r in recs] for k, p in idx.items()}, index=pd.Index(good, name="row"),
                      dtype="object")
    notes: list[str] = []
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), notes, data_rows=data_rows)
    legs = cdr_frame_legs(df, table, ctx, rej, notes)
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


# ----------------------------------------------------------------------------- detection

def _sample_rows(table: RawTable, n: int = 50) -> list[list[str]]:
    return table.head(n + 1)[1:]


def _null_share(rows: list[list[str]]) -> float:
    if not rows:
        return 0.0
    return sum(1 for r in rows if any(c.strip() in NULL_LITERALS for c in r)) / len(rows)


def _detect_freepbx_download(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = tuple(norm_header(c) for c in head[0] if str(c).strip())
    return 0.955 if h == FREEPBX_DOWNLOAD_HEADER and not _slash_share(table) else 0.0


def _detect_pbxware(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = {norm_header(c) for c in head[0]}
    if _is_cdr_header(h) and {"uniqueid", "linkedid"} <= h and _null_share(_sample_rows(table)) >= 0.5:
        return 0.955
    return 0.0


def _slash_share(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    normed = [norm_header(c) for c in head[0]]
    pos = next((normed.index(c) for c in ("calldate", "start") if c in normed), None)
    rows = _sample_rows(table)
    if pos is None or not rows:
        return 0.0
    return sum(1 for r in rows if pos < len(r) and SLASH_DATE.match(r[pos])) / len(rows)


def _headerless_ok(r: list[str]) -> bool:
    cells = list(r)
    if cells and not cells[-1].strip() and len(cells) - 1 in _SIZES:
        cells = cells[:-1]
    elif len(cells) not in _SIZES:
        return False
    trailing = len(cells) != len(r)
    date = cells[9].strip()
    return ((bool(SLASH_DATE.match(date)) or (trailing and bool(_DATE.match(date))))
            and cells[14].strip().upper() in _DISPOSITIONS)


def _detect_spreadsheet(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = {norm_header(c) for c in head[0]}
    if _is_cdr_header(h) and not (MINIMAL_HEADER >= h):
        return 0.955 if _slash_share(table) >= 0.5 else 0.0
    rows = table.head(50)
    return 0.955 * sum(1 for r in rows if _headerless_ok(r)) / len(rows)


def _detect_minimal(table: RawTable) -> float:
    head = table.head(1)
    if not head:
        return 0.0
    h = {norm_header(c) for c in head[0] if str(c).strip()}
    return 0.955 if h == MINIMAL_HEADER else 0.0


# ----------------------------------------------------------------------------- parsers

def _parse_headered(table: RawTable, ctx: ParseContext) -> Parsed:
    return parse_cdr_table(table, ctx)


def _parse_spreadsheet(table: RawTable, ctx: ParseContext) -> Parsed:
    head = table.head(1)
    if head and _is_cdr_header({norm_header(c) for c in head[0]}):
        return parse_cdr_table(table, ctx)
    # the headerless Master.csv layout, re-saved: a trailing empty field and reformatted dates
    rej = Rejects()
    rows = table.rows
    widths = [len(r) - 1 if r and not r[-1].strip() and len(r) - 1 in _SIZES else len(r) for r in rows]
    sized = [w for w in widths if w in _SIZES]
    width = max(set(sized), key=sized.count) if sized else 21
    good = []
    for i, w in enumerate(widths):
        if w == width:
            good.append(i)
        else:
            rej.add([i], f"has {len(rows[i])} fields while this file's records have {width} "
                         "(+ the spreadsheet's trailing comma)")
    fields = [f for f in _CSV_FIELDS[:width] if f not in ("sequence",)]
    df = pd.DataFrame({f: [rows[i][j] for i in good] for j, f in enumerate(_CSV_FIELDS[:width]) if f in fields},
                      index=pd.Index(good, name="row"), dtype="object")
    if width == 17:
        from callkit.io.asterisk import _UNIQ
        if df["uniqueid"].head(200).astype(str).str.match(_UNIQ).mean() < 0.5:
            df = df.drop(columns=["uniqueid"])
    notes: list[str] = [f"{table.name}: a Master.csv re-saved by a spreadsheet (no quotes, trailing comma)"]
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), notes)
    legs = cdr_frame_legs(df, table, ctx, rej, notes)
    return Parsed(legs, rej.items(), notes)


FREEPBX_DOWNLOAD = Format("freepbx_download", "FreePBX 'CDR Reports' web download (16-column header, "
                          "newest first, unescaped quotes)", _detect_freepbx_download, _parse_headered)
PBXWARE = Format("pbxware", "Bicom PBXware / database-tool CDR export (header, NULL literals, linkedid)",
                 _detect_pbxware, _parse_headered)
SPREADSHEET_CDR = Format("spreadsheet_cdr", "Asterisk CDR re-saved by a spreadsheet (no quotes, D/M/YYYY "
                         "or M/D/YYYY dates, trailing comma)", _detect_spreadsheet, _parse_spreadsheet)
CDR_MINIMAL = Format("cdr_minimal", "Cut-down CDR: calldate, src, dst, duration, billsec, disposition "
                     "(a row is a call)", _detect_minimal, _parse_headered)
