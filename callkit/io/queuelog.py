"""Asterisk queue_log (FORMATS.md §7.1): the only place a queue's waits, abandons and the agents'
log-ins and pauses are written.

Read from any of the forms it is handed over in:

* the text file ``/var/log/asterisk/queue_log``: ``time|callid|queuename|agent|event|data1|…``
  (Unix seconds, one event a line, as many data fields as the event has);
* a CSV / database export with a header — the realtime table ``time, callid, queuename, agent,
  event, data1…data5`` (or one ``data`` field joined with ``|``), or Bicom PBXware's ``uid,
  date_time, callid, queue_name, type, event, param1, param2, param3, entpos, expos, htime,
  ttime, time`` (``date_time`` Unix UTC is preferred to the local ``time``; the member is in
  ``type``, the only column left for it; rows repeated apart from ``uid`` are duplicates);
* the ``queuelog``/``queue_log`` table of an SQL dump (:mod:`callkit.io.sqldump`).

:func:`load_queue_log` returns a :class:`QueueLog`: one row per event (``time`` in the client's
zone, ``callid``, ``queue``, ``agent``, ``event``, ``data1``…``data5``, and the member resolved
against the employees directory: ``extension``, ``employee``, ``department``), plus a load
report that reconciles like the CDR's (``rows_read = loaded + rejected + duplicates``).
``NONE`` placeholders become empty. Metrics over it are in :mod:`callkit.metrics.queues`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit.errors import FormatError, InputError
from callkit.io.base import match_columns
from callkit.io.fold import Directory
from callkit.io.report import rejected_records
from callkit.io.sqldump import DumpTable, dump_queue_log, looks_like_dump, repair_double_utf8
from callkit.io.text import read_table
from callkit.io.values import parse_datetimes

__all__ = ["load_queue_log", "QueueLog", "QueueLogReport", "QUEUE_EVENT_COLUMNS", "member_key",
           "dump_queue_log_files"]

QUEUE_EVENT_COLUMNS = ("time", "callid", "queue", "agent", "event", "data1", "data2", "data3", "data4",
                       "data5", "extension", "employee", "department", "source_file", "source_row")
_DATA = ("data1", "data2", "data3", "data4", "data5")
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "epoch": ("date_time", "timestamp", "unixtime", "epoch"),
    "time": ("time", "datetime", "eventtime", "event_time", "created", "date"),
    "callid": ("callid", "call_id", "uniqueid"),
    "queue": ("queuename", "queue_name", "queue"),
    "agent": ("agent", "membername", "member", "member_name", "interface"),
    "event": ("event", "verb"),
    "data1": ("data1", "param1", "arg1"), "data2": ("data2", "param2", "arg2"),
    "data3": ("data3", "param3", "arg3"), "data4": ("data4", "param4", "arg4"),
    "data5": ("data5", "param5", "arg5"),
    "data": ("data",),
    "uid": ("uid", "id"),
    "type": ("type",),
}
_EVENT = re.compile(r"^[A-Z][A-Z_]{2,}$")
_MEMBER = re.compile(r"^(?:SIP|PJSIP|IAX2|DAHDI|SCCP|Local|Agent|Skype|MGCP|H323)/(?P<p>[^@/\-;]+)", re.I)
_NONE = {"NONE", "none", "NULL", "\\N"}


@dataclass
class QueueLogReport:
    """What happened to every row of the queue_log files."""

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["source_file", "source_row", "raw", "reason"]))
    notes: list[str] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return int(len(self.rejected))

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.duplicates

    def to_dict(self, *, max_rejected: int = 50) -> dict[str, Any]:
        return {"files": self.files, "formats": self.formats, "rows_read": self.rows_read,
                "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
                "duplicates": self.duplicates, "reconciled": self.reconciled, "notes": list(self.notes),
                "rejected": rejected_records(self.rejected, max_rejected)}

    def summary_line(self) -> str:
        return (f"queue_log: {self.rows_read} event(s) read, {self.rows_loaded} loaded, "
                f"{self.rows_rejected} rejected, {self.duplicates} duplicate(s)")


@dataclass
class QueueLog:
    """Queue events (:data:`QUEUE_EVENT_COLUMNS`, sorted by time) and their load report."""

    events: pd.DataFrame
    report: QueueLogReport

    @property
    def start(self) -> pd.Timestamp | None:
        return self.events["time"].min() if len(self.events) else None

    @property
    def end(self) -> pd.Timestamp | None:
        return self.events["time"].max() if len(self.events) else None


def member_key(agent: str) -> str:
    """The person key of a queue member: the peer of ``SIP/101``, ``PJSIP/101-…``,
    ``Local/101@from-queue/n`` or ``Agent/101``, else the member name as written.

    >>> [member_key(a) for a in ("SIP/101", "Local/102@from-queue/n", "Agent/1001", "Иванова Анна")]
    ['101', '102', '1001', 'Иванова Анна']
    """
    a = str(agent).strip()
    m = _MEMBER.match(a)
    return m.group("p") if m else a


# ----------------------------------------------------------------------------- reading one file

def _frame_from_header(rows: list[list[str]], header: list[str]) -> tuple[pd.DataFrame, list[str]]:
    idx = match_columns(header, _SYNONYMS)
    notes = []
    if "agent" not in idx and "type" in idx:
        idx["agent"] = idx.pop("type")
        notes.append("the member is read from the 'type' column (PBXware layout)")
    for need in ("event",):
        if need not in idx:
            raise FormatError(f"queue_log header {header[:20]!r} has no event column; expected time, callid, "
                              "queuename, agent, event, data1…")
    width = len(header)
    data = {k: [r[i] if i < len(r) else "" for r in rows] for k, i in idx.items()}
    df = pd.DataFrame(data, dtype="object")
    df["_nf"] = [len(r) for r in rows]
    df.attrs["width"] = width
    if "data" in df and not any(d in df for d in _DATA):
        parts = df["data"].astype("string").fillna("").str.split("|", n=4, expand=True)
        for j in range(5):
            df[_DATA[j]] = parts[j] if j in parts else ""
    return df, notes


def _frame_pipe(rows: list[list[str]]) -> pd.DataFrame:
    names = ("time", "callid", "queue", "agent", "event") + _DATA
    data = {n: [r[j] if j < len(r) else "" for r in rows] for j, n in enumerate(names)}
    df = pd.DataFrame(data, dtype="object")
    df["_nf"] = [len(r) for r in rows]
    return df


def _is_header(row: list[str]) -> bool:
    h = {str(c).strip().lower() for c in row}
    return "event" in h and bool({"callid", "call_id", "uniqueid"} & h)


def _read_one(path: Path, tz: str, employees_dir: Directory) -> tuple[pd.DataFrame, list[dict], list[str], str, int]:
    notes: list[str] = []
    table = _dump(path)
    if table is None:
        table = read_table(path)
    if isinstance(table, DumpTable):
        if table.queue_log is None:
            raise FormatError(f"{path}: the SQL dump has no queuelog/queue_log table")
        q = table.queue_log
        header = list(q.columns)
        rows = q.astype("string").fillna("").to_numpy(dtype=object).tolist()
        df, n = _frame_from_header(rows, header)
        notes += n
        lines = table.queue_log_lines
        raw_of = table.queue_log_raw
        fmt = "sql_dump"
        broken: dict[int, str] = {}
    else:
        first = table.head(1)
        if first and _is_header(first[0]):
            rows = table.rows
            header = rows[0]
            df, n = _frame_from_header(rows[1:], header)
            notes += n
            lines = table.lines[1:]

            def raw_of(i: int) -> str:
                return table.shown(i + 1)
            fmt = "queue_log_table"
            broken = {i - 1: why for i, why in table.broken.items() if i >= 1}
        else:
            if table.delimiter != "|":
                table = read_table(path, delimiter="|")
            rows = table.rows
            df = _frame_pipe(rows)
            lines = table.lines
            raw_of = table.shown
            fmt = "queue_log"
            broken = dict(table.broken)
    df["source_row"] = np.asarray(lines, dtype=np.int64)[: len(df)]
    # the records the text layer rejected (an unclosed quote, NUL bytes, an overlong record)
    rejects: list[dict] = [{"i": i, "reason": why} for i, why in sorted(broken.items())]
    ev = df["event"].astype("string").str.strip().str.upper().fillna("")
    bad_event = ~ev.str.match(_EVENT).fillna(False)
    # time: a Unix column when there is one that parses, else the local time column
    t = pd.Series(pd.NaT, index=df.index, dtype=f"datetime64[ns, {tz}]")
    bad_time = pd.Series(False, index=df.index)
    for col in ("epoch", "time"):
        if col in df:
            s, bad = parse_datetimes(df[col].astype("string").str.strip(), tz=tz)
            if s.notna().any():
                t = t.fillna(s) if t.notna().any() else s
                bad_time = bad_time | (bad & t.isna())
    missing_time = t.isna() & ~bad_time
    for i in np.flatnonzero(bad_event.to_numpy()):
        if i in broken:
            continue
        rejects.append({"i": i, "reason": f"column 'event' has {df.at[i, 'event']!r}; expected a queue_log event "
                                          "such as ENTERQUEUE, CONNECT, ABANDON"})
    for i in np.flatnonzero((bad_time | missing_time).to_numpy() & ~bad_event.to_numpy()):
        if i in broken:
            continue
        rejects.append({"i": i, "reason": "the time is missing or not a date/Unix time"})
    bad = np.zeros(len(df), dtype=bool)
    bad[[r["i"] for r in rejects]] = True
    out = pd.DataFrame({"time": t, "event": ev}, index=df.index)
    for c in ("callid", "queue", "agent") + _DATA:
        v = df[c].astype("string").str.strip().fillna("") if c in df else pd.Series("", index=df.index, dtype="string")
        out[c] = v.where(~v.isin(list(_NONE)), "")
    # member names as other tools stored them (double-encoded UTF-8) repaired, once per name
    names = pd.unique(out["agent"])
    fixed = {n: repair_double_utf8(n) for n in names if n}
    if any(k != v for k, v in fixed.items()):
        out["agent"] = out["agent"].map(lambda a: fixed.get(a, a)).astype("string")
    out["source_row"] = df["source_row"]
    rej_rows = [{"source_file": path.name, "source_row": int(out.at[r["i"], "source_row"]),
                 "raw": raw_of(int(r["i"])), "reason": r["reason"]} for r in rejects]
    good = out.loc[~bad]
    return good, rej_rows, notes, fmt, len(df)


def _resolve(events: pd.DataFrame, directory: Directory) -> pd.DataFrame:
    keys = pd.unique(events["agent"])
    res = {k: (directory.resolve(member_key(k)) if k else (None, None, None)) for k in keys}
    ext = events["agent"].map(lambda k: res[k][0])
    emp = events["agent"].map(lambda k: res[k][1])
    dept = events["agent"].map(lambda k: res[k][2])
    return events.assign(extension=ext.astype("string"), employee=emp.astype("string"),
                         department=dept.astype("string"))


def load_queue_log(paths: str | Path | list[str | Path], *, tz: str = "Europe/Moscow",
                   employees: pd.DataFrame | None = None) -> QueueLog:
    """Read queue_log file(s) (text, CSV/DB export with a header, or an SQL dump's queuelog table).

    Parameters
    ----------
    paths : path or list of paths
    tz : str
        The client's time zone (Unix times are converted to it; text times are taken as local).
    employees : DataFrame, optional
        The employees directory (:func:`callkit.io.load_employees`): members ``SIP/101``,
        ``Local/101@…``, ``Agent/101`` or written by name are resolved to employees.

    Raises
    ------
    InputError
        A file is missing or empty, or holds no queue_log events.
    """
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise InputError("no queue_log file given")
    report = QueueLogReport(files=[str(f) for f in files])
    frames, rejected = [], []
    for f in files:
        good, rej, notes, fmt, n = _read_one(f, tz, Directory(employees))
        report.formats[str(f)] = fmt
        report.rows_read += n
        rejected += rej
        report.notes += [f"{f.name}: {x}" for x in notes]
        frames.append(good.assign(source_file=f.name))
    events = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(QUEUE_EVENT_COLUMNS))
    report.rejected = pd.DataFrame(rejected, columns=["source_file", "source_row", "raw", "reason"])
    key = ["time", "callid", "queue", "agent", "event"] + list(_DATA)
    dup = events.duplicated(subset=key)
    report.duplicates = int(dup.sum())
    if report.duplicates:
        report.notes.append(f"{report.duplicates} event(s) repeated (same time, call, queue, member, event and "
                            "data — overlapping copies, or rows that differ only in an id column) counted once")
    events = events.loc[~dup].sort_values(["time", "source_file", "source_row"], kind="stable")
    events = _resolve(events.reset_index(drop=True), Directory(employees))
    events = events.reindex(columns=list(QUEUE_EVENT_COLUMNS))
    report.rows_loaded = len(events)
    if report.rows_read and not report.rows_loaded:
        report.notes.append("no queue_log event could be loaded: see the rejected rows")
    if not report.reconciled:  # pragma: no cover - an internal invariant
        raise AssertionError(f"queue_log report does not reconcile: {report.to_dict()}")
    return QueueLog(events=events, report=report)


def _dump(path: Path) -> DumpTable | None:
    """An SQL dump's queue log table (a DumpTable with ``queue_log`` None when it has none);
    None when ``path`` is not a dump."""
    try:
        with open(path, "rb") as fh:
            if not looks_like_dump(fh.read(65536)):
                return None
    except OSError:
        return None
    t = dump_queue_log(path)     # (a DumpTable with no CDR records has len 0: no `or` here)
    return t if t is not None else DumpTable(path, cdr=None, queue_log=None, notes=[], gz=False)


def dump_queue_log_files(files: list[str | Path]) -> list[Path]:
    """Those of ``files`` that are SQL dumps with a queuelog/queue_log table (the queue_log to
    use when none is given)."""
    out = []
    for f in map(Path, files):
        t = _dump(f)
        if t is not None and t.queue_log is not None:
            out.append(f)
    return out
