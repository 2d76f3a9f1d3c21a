"""Transcript loaders: generic CSV/JSONL, Whisper-style JSON, Yandex SpeechKit-style JSON.

Every format is converted to the generic utterance table (DESIGN §4): one row per utterance,
``call_id, speaker, start, end, text`` with ``speaker`` in ``employee``/``client`` (or
``unknown`` when the source has no speaker or channel, e.g. plain Whisper output), times in
seconds from the start of the call. Bad rows are collected with a reason, never dropped
silently: ``rows_read == rows_loaded + rows_rejected + duplicates``.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from callkit import schema
from callkit.errors import FormatError, InputError
from callkit.masking import mask_text

__all__ = [
    "SPEAKER", "UTT_START", "UTT_END", "TEXT", "TRANSCRIPT_ID", "EMPLOYEE_SPEAKER",
    "CLIENT_SPEAKER", "UNKNOWN_SPEAKER", "UTTERANCE_COLUMNS", "FORMATS",
    "TranscriptReport", "TranscriptLoad", "load_transcripts", "parse_transcripts",
    "join_calls", "decode_transcript_bytes", "LOAD_REPORT_COLUMNS",
]

SPEAKER, UTT_START, UTT_END, TEXT = "speaker", "start", "end", "text"
TRANSCRIPT_ID = "transcript_id"   # the id the transcript came with (before joining to calls)
SOURCE_FILE, SOURCE_ROW = schema.SOURCE_FILE, schema.SOURCE_ROW
EMPLOYEE_SPEAKER, CLIENT_SPEAKER, UNKNOWN_SPEAKER = "employee", "client", "unknown"
UTTERANCE_COLUMNS: tuple[str, ...] = (schema.CALL_ID, SPEAKER, UTT_START, UTT_END, TEXT,
                                      TRANSCRIPT_ID, SOURCE_FILE, SOURCE_ROW)
FORMATS: tuple[str, ...] = ("generic_csv", "generic_jsonl", "whisper", "speechkit")

_SPEAKER_ALIASES = {
    "employee": EMPLOYEE_SPEAKER, "operator": EMPLOYEE_SPEAKER, "agent": EMPLOYEE_SPEAKER,
    "manager": EMPLOYEE_SPEAKER, "seller": EMPLOYEE_SPEAKER, "менеджер": EMPLOYEE_SPEAKER,
    "сотрудник": EMPLOYEE_SPEAKER, "оператор": EMPLOYEE_SPEAKER, "продавец": EMPLOYEE_SPEAKER,
    "client": CLIENT_SPEAKER, "customer": CLIENT_SPEAKER, "caller": CLIENT_SPEAKER,
    "клиент": CLIENT_SPEAKER, "абонент": CLIENT_SPEAKER, "покупатель": CLIENT_SPEAKER,
    "unknown": UNKNOWN_SPEAKER,
}
_COLUMN_ALIASES = {
    schema.CALL_ID: ("call_id", "callid", "call", "id", "record_id", "recording_id", "звонок"),
    SPEAKER: ("speaker", "role", "speaker_role", "спикер", "роль"),
    "channel": ("channel", "channel_tag", "channeltag", "канал"),
    UTT_START: ("start", "start_s", "begin", "from", "start_time", "начало"),
    UTT_END: ("end", "end_s", "to", "end_time", "stop", "конец"),
    TEXT: ("text", "utterance", "phrase", "transcript", "текст", "фраза"),
}
#: Columns of :meth:`TranscriptReport.table` (``transcripts_load.csv``).
LOAD_REPORT_COLUMNS: tuple[str, ...] = ("record", "value", "file", "line", "transcript_id",
                                        "reason", "raw")
_DEFAULT_CHANNELS = {"0": EMPLOYEE_SPEAKER, "1": CLIENT_SPEAKER}
_RECORDING_COLUMNS = ("recording_id", "recording", "record_id", "record", "record_file",
                      "recording_file", "record_url")


@dataclass
class TranscriptReport:
    """What the loader did: counts, rejected rows with reasons, and the join to calls."""

    format: str = ""
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    calls: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=[SOURCE_FILE, SOURCE_ROW, "raw", "reason"]))
    unknown_speaker_rows: int = 0
    empty_text_rows: int = 0
    joined_by: str | None = None
    calls_matched: int = 0
    unmatched: list[str] = field(default_factory=list)   # transcript ids with no call
    unmatched_rows: int = 0                               # utterances of those transcripts
    encodings: dict[str, str] = field(default_factory=dict)   # file name -> encoding read
    notes: list[str] = field(default_factory=list)             # e.g. bytes replaced
    calls_unlabelled: int = 0      # transcripts with no speaker/channel label on any utterance

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary (no DataFrames)."""
        return {"format": self.format, "files": len(self.files),
                "encoding": "+".join(sorted(set(self.encodings.values()))),
                "rows_read": self.rows_read,
                "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
                "duplicates": self.duplicates, "calls": self.calls,
                "unknown_speaker_rows": self.unknown_speaker_rows,
                "calls_unlabelled": self.calls_unlabelled,
                "empty_text_rows": self.empty_text_rows, "joined_by": self.joined_by,
                "calls_matched": self.calls_matched, "unmatched": len(self.unmatched),
                "unmatched_rows": self.unmatched_rows, "notes": list(self.notes)}

    def summary_line(self) -> str:
        """One line for stderr: what was read, loaded, rejected and matched.

        Examples
        --------
        >>> TranscriptReport(rows_read=5, rows_loaded=3, rows_rejected=2, calls=2).summary_line()
        'transcripts: 5 rows read, 3 loaded, 2 rejected, 0 duplicates; 2 calls'
        """
        s = (f"transcripts: {self.rows_read} rows read, {self.rows_loaded} loaded, "
             f"{self.rows_rejected} rejected, {self.duplicates} duplicates; {self.calls} calls")
        if self.joined_by is not None:
            s += f", {self.calls_matched} matched to calls, {len(self.unmatched)} matching no call"
        if self.calls_unlabelled:
            s += f", {self.calls_unlabelled} without speaker labels"
        if len(self.rejected):
            r = self.rejected.iloc[0]
            s += f" (first rejected: {r[SOURCE_FILE]} line {r[SOURCE_ROW]}: {mask_text(str(r['reason']))})"
        return s

    def table(self) -> pd.DataFrame:
        """The load report as one long table (``transcripts_load.csv``).

        Columns :data:`LOAD_REPORT_COLUMNS`: ``record`` is ``file`` (one per file read, with
        its ``encoding`` in ``reason``), a count (``rows_read``, ``rows_loaded``,
        ``rows_rejected``, ``duplicates``, ``calls``, ``calls_matched``, ``unmatched``,
        ``unmatched_rows``, ``unknown_speaker_rows``, ``calls_unlabelled``, ``empty_text_rows``
        in ``value``), ``note``, then one ``rejected`` row per rejected line (``file, line,
        reason, raw``) and one ``unmatched_id`` row per transcript id that matches no call
        (``transcript_id``). ``raw`` is the first 300 characters of the line, numbers masked.
        """
        rows: list[dict[str, Any]] = []
        for f in self.files:
            name = Path(f).name
            rows.append({"record": "file", "file": name, "reason": self.encodings.get(name, "")})
        d = self.as_dict()
        for k in ("rows_read", "rows_loaded", "rows_rejected", "duplicates", "calls",
                  "calls_matched", "unmatched", "unmatched_rows", "unknown_speaker_rows",
                  "calls_unlabelled", "empty_text_rows"):
            if k in ("calls_matched", "unmatched", "unmatched_rows") and self.joined_by is None:
                continue
            rows.append({"record": k, "value": d[k]})
        rows += [{"record": "note", "reason": n} for n in self.notes]
        for r in self.rejected.itertuples(index=False):
            rows.append({"record": "rejected", "file": getattr(r, SOURCE_FILE),
                         "line": getattr(r, SOURCE_ROW), "reason": mask_text(str(r.reason)),
                         "raw": mask_text(str(r.raw))})
        rows += [{"record": "unmatched_id", "transcript_id": i} for i in self.unmatched]
        out = pd.DataFrame(rows, columns=list(LOAD_REPORT_COLUMNS))
        out["value"] = out["value"].astype("Int64")
        out["line"] = out["line"].astype("Int64")
        return out

    def __str__(self) -> str:
        d = self.as_dict()
        lines = [f"transcripts: {d['format']} from {d['files']} file(s), {d['encoding']}",
                 f"  rows read {d['rows_read']}, loaded {d['rows_loaded']}, rejected "
                 f"{d['rows_rejected']}, duplicates {d['duplicates']}; calls {d['calls']}"]
        if d["unknown_speaker_rows"]:
            lines.append(f"  rows without a speaker/channel: {d['unknown_speaker_rows']}")
        if d["calls_unlabelled"]:
            lines.append(f"  transcripts without speaker labels: {d['calls_unlabelled']} (their "
                         "speaker-dependent checks are unknown)")
        if self.joined_by is not None:
            lines.append(f"  joined to calls by {self.joined_by}: {self.calls_matched} matched, "
                         f"{len(self.unmatched)} transcript(s) ({self.unmatched_rows} rows) "
                         "with no call")
            lines += [f"  no call: {i}" for i in self.unmatched[:10]]
            if len(self.unmatched) > 10:
                lines.append(f"  … and {len(self.unmatched) - 10} more transcript ids with no call")
        lines += [f"  note: {n}" for n in self.notes]
        for r in self.rejected.head(20).itertuples(index=False):
            lines.append(f"  rejected: {getattr(r, SOURCE_FILE)} line {getattr(r, SOURCE_ROW)}: "
                         f"{mask_text(str(r.reason))}")
        if len(self.rejected) > 20:
            top = self.rejected["reason"].value_counts().head(5)
            lines.append(f"  … {len(self.rejected) - 20} more rejected lines; most common reasons:")
            lines += [f"    {n} × {r}" for r, n in top.items()]
        return "\n".join(lines)


@dataclass
class TranscriptLoad:
    """Result of :func:`load_transcripts`: the utterance table and the load report."""

    utterances: pd.DataFrame
    report: TranscriptReport


class _Collector:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.rejected: list[dict[str, Any]] = []
        self.read = 0
        self.formats: list[str] = []
        self.encodings: dict[str, str] = {}
        self.notes: list[str] = []

    def reject(self, file: str, row: int, raw: Any, reason: str) -> None:
        self.read += 1
        self.rejected.append({SOURCE_FILE: file, SOURCE_ROW: row, "raw": _raw(raw), "reason": reason})

    def add(self, file: str, row: int, raw: Any, call_id: Any, speaker: Any, start: Any,
            end: Any, text: Any, *, channel: Any = None,
            channel_map: dict[str, str] | None = None) -> None:
        cid = _clean(call_id)
        if cid is None:
            return self.reject(file, row, raw, "no call id")
        spk, why = _speaker(speaker, channel, channel_map or _DEFAULT_CHANNELS)
        if why:
            return self.reject(file, row, raw, why)
        t0, t1 = _seconds(start), _seconds(end)
        if t0 is None:
            return self.reject(file, row, raw, f"start {start!r} is not a time in seconds")
        if t1 is None:
            return self.reject(file, row, raw, f"end {end!r} is not a time in seconds")
        if t0 < 0 or t1 < t0:
            return self.reject(file, row, raw, f"times start={t0} end={t1}; expected 0 <= start <= end")
        txt = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        self.read += 1
        self.rows.append({schema.CALL_ID: cid, SPEAKER: spk, UTT_START: t0, UTT_END: t1,
                          TEXT: txt.strip(), TRANSCRIPT_ID: cid, SOURCE_FILE: file, SOURCE_ROW: row})


def _raw(raw: Any) -> str:
    s = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    return s[:300]


def _clean(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    if isinstance(v, float) and v.is_integer():
        s = str(int(v))
    return s or None


def _speaker(speaker: Any, channel: Any, cmap: dict[str, str]) -> tuple[str, str | None]:
    s = _clean(speaker)
    if s is not None:
        got = _SPEAKER_ALIASES.get(s.lower())
        if got is None:
            return "", (f"speaker {s!r} is not employee/client (or operator/manager/"
                        "customer/клиент…)")
        return got, None
    c = _clean(channel)
    if c is not None:
        c = c.removesuffix(".0")
        if c not in cmap:
            return "", f"channel {c!r} is not one of {sorted(cmap)} (0 = employee, 1 = client)"
        return cmap[c], None
    return UNKNOWN_SPEAKER, None


_SECONDS = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*s?\s*$")


def _seconds(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return None if math.isnan(v) else float(v)
    s = str(v)
    m = _SECONDS.match(s)
    if m:
        return float(m.group(1).replace(",", "."))
    parts = s.strip().split(":")  # 00:01:02.5 or 01:02.5
    if 2 <= len(parts) <= 3:
        try:
            nums = [float(p.replace(",", ".")) for p in parts]
        except ValueError:
            return None
        total = 0.0
        for n in nums:
            total = total * 60 + n
        return total
    return None


# --- format readers --------------------------------------------------------------------------

def _resolve_columns(cols: list[str], file: str) -> dict[str, str]:
    low = {c.strip().lower().lstrip("\ufeff"): c for c in cols}
    out = {}
    for canon, aliases in _COLUMN_ALIASES.items():
        for a in aliases:
            if a in low:
                out[canon] = low[a]
                break
    missing = [c for c in (schema.CALL_ID, UTT_START, UTT_END, TEXT) if c not in out]
    if missing:
        raise FormatError(f"{file}: transcript columns {missing} not found among {cols}; "
                          "expected call_id, speaker (or channel), start, end, text")
    if SPEAKER not in out and "channel" not in out:
        raise FormatError(f"{file}: neither a 'speaker' nor a 'channel' column among {cols}; "
                          "expected speaker = employee/client or channel = 0/1")
    return out


def decode_transcript_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a transcript file: UTF-8 (with or without BOM), UTF-16/UTF-32 (BOM, or UTF-16
    without one, recognised by its NUL bytes), cp1251, or KOI8-R (cp1251 that reads as mostly
    capital letters). Returns ``(text, encoding, notes)``; anything else is refused.

    Raises
    ------
    InputError
        Binary data (NUL bytes that are not UTF-16) or text in no supported encoding.

    Examples
    --------
    >>> decode_transcript_bytes("текст".encode("utf-16"), "t.csv")[:2]
    ('текст', 'utf-16')
    >>> decode_transcript_bytes("текст".encode("cp1251"), "t.csv")[:2]
    ('текст', 'cp1251')
    """
    from callkit.io.text import _detect_encoding, decode_wide_unicode, wide_unicode_encoding

    enc = wide_unicode_encoding(data)
    if enc is not None:
        return decode_wide_unicode(data, enc, name), enc, []
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: binary data (NUL bytes), not a transcript text file; expected "
                         "UTF-8, UTF-16 or cp1251 CSV/JSONL/JSON")
    enc, notes = _detect_encoding(data)
    if enc.startswith("utf-8"):
        return data.decode("utf-8-sig", errors="replace"), enc, notes
    text = data.decode("cp1251", errors="replace")
    cyr = [c for c in text if "А" <= c <= "я"]
    if len(cyr) >= 20 and sum(c <= "Я" for c in cyr) / len(cyr) > 0.6:
        koi = data.decode("koi8_r", errors="replace")
        kcyr = [c for c in koi if "А" <= c <= "я"]
        if kcyr and sum(c <= "Я" for c in kcyr) / len(kcyr) < 0.4:
            return koi, "koi8-r", []
    return text, "cp1251", []


def _read_text(path: Path) -> tuple[str, str, list[str]]:
    return decode_transcript_bytes(path.read_bytes(), str(path))


def _generic_csv(text: str, file: str, col: _Collector, cmap: dict[str, str] | None) -> None:
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise FormatError(f"{file}: empty transcript file")
    delim = max((",", ";", "\t"), key=first.count)
    # records as the call loader counts them (callkit.io.text): a stray quote costs its own line
    # only, never the rest of the file, and n is the physical line of each record
    from callkit.io.text import RawTable
    table = RawTable(Path(file), encoding="utf-8", delimiter=delim, data=text.encode("utf-8"))
    rows, lines = table.rows, table.lines
    header = rows[0]
    cols = _resolve_columns(header, file)
    idx = {k: header.index(v) for k, v in cols.items()}
    for i in range(1, len(rows)):
        rec, n = rows[i], int(lines[i])
        if i in table.broken:
            col.reject(file, n, table.raw(i), table.broken[i])
            continue
        if not any(x.strip() for x in rec):
            continue
        if len(rec) != len(header):
            col.reject(file, n, delim.join(rec), f"{len(rec)} fields; expected {len(header)}")
            continue
        g = {k: rec[i] for k, i in idx.items()}
        col.add(file, n, delim.join(rec), g[schema.CALL_ID], g.get(SPEAKER) or None,
                g[UTT_START], g[UTT_END], g[TEXT], channel=g.get("channel"), channel_map=cmap)


def _generic_records(records: list[tuple[int, Any]], file: str, col: _Collector,
                     cmap: dict[str, str] | None) -> None:
    for n, obj in records:
        if not isinstance(obj, dict):
            col.reject(file, n, obj, "not a JSON object")
            continue
        low = {str(k).lower(): v for k, v in obj.items()}
        g = {}
        for canon, aliases in _COLUMN_ALIASES.items():
            g[canon] = next((low[a] for a in aliases if a in low), None)
        col.add(file, n, obj, g[schema.CALL_ID], g[SPEAKER], g[UTT_START], g[UTT_END], g[TEXT],
                channel=g["channel"], channel_map=cmap)


def _whisper(obj: dict[str, Any], file: str, col: _Collector, cmap: dict[str, str] | None,
             default_id: str, row0: int = 0) -> None:
    cid = _clean(obj.get("call_id")) or default_id
    chan = obj.get("channel")
    segs = obj.get("segments")
    if not isinstance(segs, list):
        col.reject(file, row0, obj, "no 'segments' list (Whisper JSON)")
        return
    for i, seg in enumerate(segs):
        if not isinstance(seg, dict):
            col.reject(file, row0 + i + 1, seg, "segment is not a JSON object")
            continue
        speaker = seg.get("speaker")
        seg_chan = seg.get("channel", chan)
        if speaker is not None and str(speaker).lower() not in _SPEAKER_ALIASES:
            # diarized labels like SPEAKER_00 / SPEAKER_01: map by their number
            m = re.search(r"(\d+)$", str(speaker))
            seg_chan, speaker = (m.group(1).lstrip("0") or "0", None) if m else (seg_chan, speaker)
        col.add(file, row0 + i + 1, seg, cid, speaker, seg.get("start"), seg.get("end"),
                seg.get("text"), channel=seg_chan, channel_map=cmap)


def _speechkit_chunks(chunks: list[Any], file: str, col: _Collector, cmap: dict[str, str] | None,
                      default_id: str) -> None:
    tags = {str(c.get("channelTag")) for c in chunks if isinstance(c, dict) and c.get("channelTag") is not None}
    if cmap is None:
        cmap = {"1": EMPLOYEE_SPEAKER, "2": CLIENT_SPEAKER} if tags and "0" not in tags and "2" in tags \
            else _DEFAULT_CHANNELS
    for i, ch in enumerate(chunks, start=1):
        if not isinstance(ch, dict):
            col.reject(file, i, ch, "chunk is not a JSON object")
            continue
        final = ch.get("final") if isinstance(ch.get("final"), dict) else ch  # v3 stream or v2 chunk
        alts = final.get("alternatives")
        if not isinstance(alts, list) or not alts or not isinstance(alts[0], dict):
            col.reject(file, i, ch, "no 'alternatives' list (SpeechKit JSON)")
            continue
        alt = alts[0]
        words = alt.get("words") or []
        start = alt.get("startTimeMs")
        end = alt.get("endTimeMs")
        if start is not None and end is not None:
            start, end = _ms(start), _ms(end)
        elif words and isinstance(words[0], dict):
            start = words[0].get("startTime", words[0].get("startTimeMs"))
            end = words[-1].get("endTime", words[-1].get("endTimeMs"))
            if "startTimeMs" in words[0]:
                start, end = _ms(start), _ms(end)
        text = alt.get("text")
        if text is None and words:
            text = " ".join(str(w.get("word", w.get("text", ""))) for w in words if isinstance(w, dict))
        cid = ch.get("call_id") or default_id
        col.add(file, i, ch, cid, None, start, end, text,
                channel=final.get("channelTag", ch.get("channelTag")), channel_map=cmap)


def _ms(v: Any) -> float | None:
    s = _seconds(v)
    return None if s is None else s / 1000.0


def _json_kind(obj: Any) -> str:
    if isinstance(obj, dict):
        if "segments" in obj:
            return "whisper"
        if "response" in obj or "chunks" in obj or "result" in obj or "channelTag" in obj:
            return "speechkit"
        return "generic_jsonl"
    if isinstance(obj, list) and obj:
        return _json_kind(obj[0])
    return "unknown"


def _load_file(path: Path, fmt: str, col: _Collector, cmap: dict[str, str] | None) -> str:
    file = path.name
    text, enc, notes = _read_text(path)
    col.encodings[file] = enc
    col.notes += [f"{file}: {n}" for n in notes]
    suffix = path.suffix.lower()
    if fmt == "auto":
        if suffix in (".csv", ".tsv", ".txt"):
            fmt = "generic_csv"
        elif suffix == ".jsonl" or suffix == ".ndjson":
            first = next((ln for ln in text.splitlines() if ln.strip()), "")
            try:
                fmt = _json_kind(json.loads(first))
            except json.JSONDecodeError:
                fmt = "generic_jsonl"
            fmt = "generic_jsonl" if fmt == "unknown" else fmt
        elif suffix == ".json":
            try:
                fmt = _json_kind(json.loads(text))
            except json.JSONDecodeError as exc:
                raise FormatError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
            if fmt == "unknown":
                raise FormatError(f"{path}: JSON is neither Whisper (segments), SpeechKit "
                                  "(chunks/channelTag) nor a list of utterances")
        else:
            raise FormatError(f"{path}: unknown transcript file type {suffix!r}; expected .csv, "
                              ".jsonl or .json")
    if fmt not in FORMATS:
        raise FormatError(f"{path}: transcript format {fmt!r} unknown; expected one of {list(FORMATS)}")
    if fmt == "generic_csv":
        _generic_csv(text, file, col, cmap)
        return fmt
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
    if suffix in (".jsonl", ".ndjson"):
        objs: list[tuple[int, Any]] = []
        for n, ln in lines:
            try:
                objs.append((n, json.loads(ln)))
            except json.JSONDecodeError as exc:
                col.reject(file, n, ln, f"not valid JSON ({exc.msg})")
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        objs = list(enumerate(doc, start=1)) if isinstance(doc, list) else [(1, doc)]
    stem = path.stem
    if fmt == "generic_jsonl":
        _generic_records(objs, file, col, cmap)
    elif fmt == "whisper":
        row0 = 0  # source_row = segment number in the file, counted over all objects
        for n, obj in objs:
            if isinstance(obj, dict):
                _whisper(obj, file, col, cmap, stem if len(objs) == 1 else f"{stem}#{n}", row0=row0)
                row0 += len(obj.get("segments") or []) if isinstance(obj.get("segments"), list) else 1
            else:
                col.reject(file, n, obj, "not a JSON object")
    else:  # speechkit: one response object, a list of chunks, or a v3 stream (JSONL)
        chunks: list[Any] = []
        for _n, obj in objs:
            if isinstance(obj, dict) and isinstance(obj.get("response"), dict):
                chunks.extend(obj["response"].get("chunks", []))
            elif isinstance(obj, dict) and isinstance(obj.get("chunks"), list):
                chunks.extend(obj["chunks"])
            elif isinstance(obj, dict) and isinstance(obj.get("result"), dict):
                if "final" in obj["result"]:
                    chunks.append(obj["result"])
                else:
                    col.read += 1
                    col.rejected.append({SOURCE_FILE: file, SOURCE_ROW: _n, "raw": _raw(obj),
                                         "reason": "not a final result (partial/refinement skipped)"})
            else:
                chunks.append(obj)
        _speechkit_chunks(chunks, file, col, cmap, stem)
    return fmt


def parse_transcripts(text: str, *, fmt: str, name: str = "<text>",
                      channel_map: dict[str, str] | None = None) -> TranscriptLoad:
    """Parse transcript text already in memory (same rules as :func:`load_transcripts`)."""
    import tempfile

    suffix = {"generic_csv": ".csv", "generic_jsonl": ".jsonl", "whisper": ".json",
              "speechkit": ".json"}.get(fmt)
    if suffix is None:
        raise FormatError(f"transcript format {fmt!r} unknown; expected one of {list(FORMATS)}")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{name}{suffix}"
        p.write_text(text, encoding="utf-8")
        return load_transcripts(p, fmt=fmt, channel_map=channel_map)


def load_transcripts(path: str | Path, *, calls: pd.DataFrame | None = None, fmt: str = "auto",
                     channel_map: dict[str, str] | None = None) -> TranscriptLoad:
    """Load transcripts from a file or a folder of files into the generic utterance table.

    Parameters
    ----------
    path
        A .csv/.jsonl (generic), .json (Whisper or SpeechKit) file, or a folder of them
        (Whisper/SpeechKit files take the call id from the file name).
    calls
        Optional canonical call table: transcripts are joined to it by ``call_id``, or by a
        recording id column (``recording_id``/``record_file``…, file extension ignored); ids
        with no call are listed in ``report.unmatched`` and keep their own id.
    fmt
        ``"auto"`` or one of :data:`FORMATS`.
    channel_map
        Channel -> ``employee``/``client``; default ``{"0": employee, "1": client}`` (SpeechKit
        files whose tags are 1 and 2 use 1 = employee, 2 = client).

    Returns
    -------
    TranscriptLoad
        ``.utterances`` with :data:`UTTERANCE_COLUMNS` sorted by call and start; ``.report``.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: transcript file or folder not found")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in
                   (".csv", ".tsv", ".jsonl", ".ndjson", ".json")) if path.is_dir() else [path]
    if not files:
        raise InputError(f"{path}: no .csv, .jsonl or .json transcript files in the folder")
    col = _Collector()
    for f in files:
        col.formats.append(_load_file(f, fmt, col, channel_map))
    df = pd.DataFrame(col.rows, columns=list(UTTERANCE_COLUMNS))
    df = df.astype({schema.CALL_ID: "string", SPEAKER: "string", TEXT: "string",
                    TRANSCRIPT_ID: "string", SOURCE_FILE: "string", UTT_START: "float64",
                    UTT_END: "float64", SOURCE_ROW: "int64"})
    before = len(df)
    df = df.drop_duplicates(subset=[schema.CALL_ID, SPEAKER, UTT_START, UTT_END, TEXT])
    rep = TranscriptReport(
        format="+".join(sorted(set(col.formats))), files=[str(f) for f in files],
        rows_read=col.read, rows_loaded=len(df), rows_rejected=len(col.rejected),
        duplicates=before - len(df),
        rejected=pd.DataFrame(col.rejected, columns=[SOURCE_FILE, SOURCE_ROW, "raw", "reason"]),
        encodings=dict(col.encodings), notes=list(col.notes),
    )
    if not col.read:   # (as the call loader refuses an empty export: a wrong file, not no speech)
        raise InputError(f"{path}: no transcript rows in it (empty, or a header only); expected "
                         "CSV/JSONL/JSON transcripts")
    if col.read and not len(df):
        r = rep.rejected.iloc[0]
        raise InputError(f"{path}: none of the {col.read} transcript rows could be loaded; first "
                         f"rejected: {r[SOURCE_FILE]} line {r[SOURCE_ROW]}: {r['reason']} "
                         f"(read as {rep.as_dict()['encoding']})")
    if calls is not None:
        df, rep = join_calls(df, calls, report=rep)
    df = df.sort_values([schema.CALL_ID, UTT_START, UTT_END], kind="stable").reset_index(drop=True)
    rep.calls = int(df[schema.CALL_ID].nunique())
    rep.unknown_speaker_rows = int((df[SPEAKER] == UNKNOWN_SPEAKER).sum())
    labelled = (df[SPEAKER] != UNKNOWN_SPEAKER).groupby(df[schema.CALL_ID]).any()
    rep.calls_unlabelled = int((~labelled).sum())
    rep.empty_text_rows = int((df[TEXT].str.len() == 0).sum())
    return TranscriptLoad(df, rep)


def _rec_key(v: Any) -> str:
    s = str(v).strip().rsplit("/", 1)[-1]
    return re.sub(r"\.(wav|mp3|ogg|opus|json|txt|flac)$", "", s, flags=re.IGNORECASE)


def join_calls(utterances: pd.DataFrame, calls: pd.DataFrame, *,
               report: TranscriptReport | None = None) -> tuple[pd.DataFrame, TranscriptReport]:
    """Map transcript ids to the calls' ``call_id`` (directly or through a recording id).

    Returns a new utterance table (``call_id`` replaced where matched, ``transcript_id`` kept)
    and the report with ``joined_by``, ``calls_matched`` and ``unmatched`` filled in.
    """
    rep = report or TranscriptReport()
    out = utterances.copy()
    ids = pd.Index(out[TRANSCRIPT_ID].dropna().unique())
    call_ids = set(calls[schema.CALL_ID].astype("string").dropna())
    mapping = {i: i for i in ids if i in call_ids}
    joined = [schema.CALL_ID] if mapping else []
    rec_cols = [c for c in _RECORDING_COLUMNS if c in calls.columns]
    if rec_cols and len(mapping) < len(ids):
        for c in rec_cols:
            keys = {_rec_key(v): cid for v, cid in zip(calls[c], calls[schema.CALL_ID])
                    if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v)}
            hit = {i: keys[_rec_key(i)] for i in ids if i not in mapping and _rec_key(i) in keys}
            if hit:
                mapping.update(hit)
                joined.append(c)
    out[schema.CALL_ID] = out[TRANSCRIPT_ID].map(lambda i: mapping.get(i, i)).astype("string")
    rep.joined_by = "+".join(joined) if joined else "none"
    rep.calls_matched = len(set(mapping.values()))
    rep.unmatched = sorted(str(i) for i in ids if i not in mapping)
    rep.unmatched_rows = int((~out[TRANSCRIPT_ID].isin(list(mapping))).sum())
    return out, rep
