"""Reading raw export files: encoding, delimiter, records with their source line numbers.

Everything here is format-agnostic: it turns a file into a :class:`RawTable` (rows of strings
with line numbers) that a format parser then interprets.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from callkit.errors import FormatError, InputError

__all__ = ["RawTable", "read_table", "decode_bytes", "sniff_delimiter", "norm_header"]

_DELIMS = (",", ";", "\t", "|")
csv.field_size_limit(1 << 24)


@dataclass
class RawTable:
    """A file split into records.

    ``rows[i]`` is a list of field strings; ``lines[i]`` the 1-based line number where that record
    starts in the file. ``header`` is filled by a parser that decides the first row is a header.
    """

    path: Path
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)
    header: list[str] | None = None
    header_line: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def raw(self, i: int) -> str:
        """The record as text (fields re-joined with the file's delimiter)."""
        return self.delimiter.join(self.rows[i])


def decode_bytes(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Decode export bytes: UTF-8 (with or without BOM) or cp1251.

    A UTF-8 file with a few stray invalid bytes (seen in real Asterisk exports) is read as UTF-8
    with those bytes replaced, and a note says how many. Returns (text, encoding, notes).
    """
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        enc = "utf-8-sig"
    else:
        body = data
        enc = "utf-8"
    try:
        return body.decode("utf-8"), enc, notes
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    # Multi-byte UTF-8 Cyrillic gives many valid sequences; cp1251 text gives almost none.
    high = sum(1 for b in body if b >= 0x80)
    utf8_valid_chars = sum(1 for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    if bad <= max(3, high // 200) and (utf8_valid_chars >= bad or bad <= 3):
        notes.append(f"{bad} byte(s) are not valid UTF-8 and were replaced with '\ufffd'")
        return text, enc, notes
    return body.decode("cp1251", errors="replace"), "cp1251", notes


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter whose per-line count (outside quotes) is most consistent and > 0."""
    best, best_score = ",", -1.0
    sample = [ln for ln in lines if ln.strip()][:50]
    if not sample:
        return ","
    for d in _DELIMS:
        counts = []
        for ln in sample:
            try:
                counts.append(len(next(csv.reader([ln], delimiter=d))) - 1)
            except (csv.Error, StopIteration):
                counts.append(0)
        if max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        share = counts.count(mode) / len(counts)
        score = share * 10 + min(mode, 40) / 40
        if mode > 0 and score > best_score:
            best, best_score = d, score
    return best


def norm_header(name: object) -> str:
    """Normalize a header cell for matching: lowercase, ё→е, no units after a comma, single spaces."""
    s = str(name).replace("\ufeff", "").strip().strip('"').lower().replace("ё", "е")
    s = re.sub(r",\s*(сек|с|sec|s|мин|min)\.?$", "", s)
    s = re.sub(r"[\s_]+", " ", s)
    return s.strip()


def _read_xlsx(path: Path) -> RawTable:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise InputError(f"{path}: reading .xlsx needs openpyxl") from exc
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"{path}: looks like an Excel file but cannot be opened ({exc})") from None
    ws = wb.worksheets[0]
    rows: list[list[str]] = []
    lines: list[int] = []
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else _cell_text(v) for v in r]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            rows.append(cells)
            lines.append(i)
    wb.close()
    return RawTable(path, rows, lines, "xlsx", "\t")


def _cell_text(v: object) -> str:
    import datetime as dt
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_table(path: str | Path, *, delimiter: str | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX export into a :class:`RawTable`.

    Raises
    ------
    InputError
        When the file is missing, empty or not text.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; expected a call export file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: file is empty; expected a call export")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path)
    head = data[:65536]
    if b"\x00" in head or _binary_share(head) > 0.1:
        raise FormatError(f"{path}: not a text export (binary data); expected CSV/TSV text or .xlsx")
    text, enc, notes = decode_bytes(data, path)
    text = text.replace("\x00", "")
    all_lines = text.splitlines()
    delim = delimiter or sniff_delimiter(all_lines[:200])
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, skipinitialspace=False)
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue
            rows.append(rec)
            lines.append(start)
    except csv.Error as exc:
        raise FormatError(f"{path}: line {reader.line_num}: cannot be split into fields ({exc})") from None
    return RawTable(path, rows, lines, enc, delim, notes)


def _binary_share(head: bytes) -> float:
    if not head:
        return 0.0
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head)
