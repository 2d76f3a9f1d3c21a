"""Reading raw export files: encoding, delimiter, records with their source line numbers.

Everything here is format-agnostic: it turns a file into a :class:`RawTable` that a format
parser interprets. Two access paths share the same record numbering:

* ``table.rows`` — a list of field lists (Python ``csv``), convenient for small exports;
* ``table.frame(usecols)`` — a DataFrame of strings read by pandas' C parser, for big ones
  (a million-leg Asterisk file).

Records are the non-empty lines; ``table.lines[i]`` is the 1-based line where record ``i``
starts and ``table.nfields[i]`` its field count (quotes respected), so parsers can reject short
or long records by line number.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from callkit.errors import FormatError, InputError

__all__ = ["RawTable", "read_table", "sniff_delimiter", "norm_header"]

_DELIMS = (",", ";", "\t", "|")
csv.field_size_limit(1 << 24)


class RawTable:
    """A file split into records (see the module docstring).

    ``lines``, ``nfields`` and the record offsets are computed on first use (a vectorised scan
    of the bytes); a clean file read through :meth:`frame` never needs the scan.
    """

    def __init__(self, path: Path, *, encoding: str, delimiter: str, data: bytes | None = None,
                 rows: list[list[str]] | None = None, lines: np.ndarray | None = None,
                 notes: list[str] | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.notes = notes or []
        self.header: list[str] | None = None
        self.header_line: int | None = None
        self._data = data
        self._rows = rows
        self._lines = lines
        self._nfields: np.ndarray | None = None
        self._offsets: np.ndarray | None = None
        if rows is not None:
            self._nfields = np.array([len(r) for r in rows], dtype=np.int64)
            if lines is None:
                self._lines = np.arange(1, len(rows) + 1, dtype=np.int64)

    @property
    def name(self) -> str:
        return self.path.name

    def _scan(self, *, force_rows: bool = False) -> None:
        assert self._data is not None
        embedded = force_rows
        if not force_rows:
            arr = np.frombuffer(self._data, dtype=np.uint8)
            self._offsets, self._lines, self._nfields, embedded = _layout(arr, ord(self.delimiter))
        if embedded:
            # quoted fields span lines: the csv module splits records and tells their lines
            recs, starts, prev = [], [], 0
            reader = csv.reader(io.StringIO(self._text(), newline=""), delimiter=self.delimiter)
            try:
                for rec in reader:
                    start, prev = prev + 1, reader.line_num
                    if rec and not (len(rec) == 1 and rec[0] == ""):
                        recs.append(rec)
                        starts.append(start)
            except csv.Error as exc:
                raise FormatError(f"{self.path}: line {reader.line_num}: cannot be split into fields "
                                  f"({exc})") from None
            self._rows = recs
            self._lines = np.array(starts, dtype=np.int64)
            self._nfields = np.array([len(r) for r in recs], dtype=np.int64)
            self._offsets = None

    @property
    def lines(self) -> np.ndarray:
        """1-based line number where each record starts."""
        if self._lines is None:
            self._scan()
        return self._lines

    @lines.setter
    def lines(self, value: np.ndarray) -> None:
        self._lines = np.asarray(value, dtype=np.int64)

    @property
    def nfields(self) -> np.ndarray:
        """Field count of each record (quotes respected)."""
        if self._nfields is None:
            self._scan()
        return self._nfields

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def rows(self) -> list[list[str]]:
        """All records as lists of strings (built on first use by the csv module).

        Building them also resets ``lines``/``nfields`` to the csv module's view of the records,
        so a parser that reads ``rows`` and the report that reads ``lines`` always agree, even
        on a file whose stray quotes make the csv module join lines.
        """
        if self._rows is None:
            self._scan(force_rows=True)
        return self._rows

    def head(self, n: int = 50) -> list[list[str]]:
        """The first ``n`` records (cheap; used by format detection)."""
        if self._rows is not None or self._data is None:
            return self.rows[:n]
        chunk = self._data[:200_000]
        cut = chunk.rfind(b"\n")
        chunk = chunk if len(self._data) <= 200_000 or cut < 0 else chunk[:cut]
        recs = [r for r in csv.reader(io.StringIO(self._decode(chunk), newline=""), delimiter=self.delimiter)
                if r and not (len(r) == 1 and r[0] == "")]
        return recs[:n]

    def sample(self, n: int = 200) -> RawTable:
        """A small table of the first ``n`` records (what format detection looks at)."""
        rows = self.head(n)
        return RawTable(self.path, encoding=self.encoding, delimiter=self.delimiter, rows=rows,
                        notes=list(self.notes))

    def raw(self, i: int) -> str:
        """Record ``i`` as text."""
        if self._rows is None and self._data is not None:
            if self._offsets is None:
                self._scan()
        if self._offsets is not None and self._data is not None:
            a, b = self._offsets[i]
            return self._decode(self._data[a:b]).rstrip("\r\n")
        if self._data is not None:   # csv-module records: the source lines they span
            if not hasattr(self, "_text_lines"):
                self._text_lines = self._text().splitlines()
            first = int(self.lines[i])
            last = int(self.lines[i + 1]) - 1 if i + 1 < len(self.lines) else len(self._text_lines)
            return "\n".join(ln for ln in self._text_lines[first - 1:last] if ln)
        return self.delimiter.join(self.rows[i])

    def frame(self, usecols: list[int] | None = None, *, width: int | None = None) -> pd.DataFrame:
        """Records with exactly ``width`` fields as a DataFrame of strings.

        Columns are field positions, the index is the record number. ``width`` defaults to the
        most common field count; use ``nfields`` to reject the other records by line number.
        """
        if width is None:
            vals, counts = np.unique(self.nfields, return_counts=True)
            width = int(vals[counts.argmax()]) if len(vals) else 0
        cols = [c for c in (usecols if usecols is not None else range(width)) if c < width]
        if self._rows is not None or self._data is None:
            keep = np.flatnonzero(self.nfields == width)
            rows = self.rows
            data = {c: [rows[i][c] for i in keep] for c in cols}
            return pd.DataFrame(data, index=keep, dtype="str")
        df, clean = _fast_csv(self, cols, width)
        if not clean:
            self._scan()
            if self._rows is not None:   # multi-line fields found
                return self.frame(usecols, width=width)
        if clean and self._lines is None:
            # every line was a record of `width` fields: no scan needed
            self._lines = np.arange(1, len(df) + 1, dtype=np.int64)
            self._nfields = np.full(len(df), width, dtype=np.int64)
            return df
        keep = np.flatnonzero(self.nfields == width)
        if len(df) != len(keep):  # pragma: no cover - guarded by the layout checks
            raise FormatError(f"{self.path}: record count mismatch while parsing ({len(df)} vs "
                              f"{len(keep)}); the file may mix line endings or quotes")
        df.index = keep
        return df

    def _decode(self, b: bytes) -> str:
        enc = "utf-8" if self.encoding.startswith("utf-8") else self.encoding
        return b.decode(enc, errors="replace")

    def _text(self) -> str:
        assert self._data is not None
        return self._decode(self._data)


def _fast_csv(table: RawTable, cols: list[int], width: int) -> tuple[pd.DataFrame, bool]:
    """Read the records that have ``width`` fields with a C/Arrow CSV reader."""
    data = table._data
    assert data is not None
    if table.encoding == "cp1251" or table.notes:
        # transcode once so the reader sees clean UTF-8 (stray bytes become U+FFFD)
        data = table._decode(data).encode("utf-8")
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency; keep a slower fallback
        df = pd.read_csv(io.BytesIO(data), sep=table.delimiter, header=None,
                         names=range(int(table.nfields.max())), usecols=cols, dtype="str",
                         keep_default_na=False, na_filter=False, skip_blank_lines=True, engine="c")
        nf = table.nfields
        return df.loc[nf == width].reset_index(drop=True), False
    names = [f"f{i}" for i in range(width)]
    invalid = [0]

    def on_invalid(row: object) -> str:
        invalid[0] += 1
        return "skip"

    tbl = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter=table.delimiter, quote_char='"', double_quote=True,
                                         invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             include_columns=[names[c] for c in cols],
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    df = tbl.to_pandas()
    df.columns = cols
    blank = data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data
    return df, invalid[0] == 0 and not blank


def _detect_encoding(data: bytes) -> tuple[str, list[str]]:
    enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        data.decode("utf-8")
        return enc, []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    high = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    # cp1251 Cyrillic makes nearly every high byte invalid UTF-8; a UTF-8 file with a few stray
    # bytes keeps most of its non-ASCII bytes in valid sequences.
    if bad <= 3 or high >= 10 * bad:
        return enc, [f"{bad} byte(s) are not valid UTF-8 and were replaced with '\ufffd'"]
    return "cp1251", []


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
        # lines without the delimiter (report titles above a header) do not vote for the mode
        voting = [c for c in counts if c > 0]
        mode = max(set(voting), key=voting.count)
        share = voting.count(mode) / len(counts)
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
    import openpyxl
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
    if not rows:
        raise InputError(f"{path}: the first sheet is empty; expected a call export")
    return RawTable(path, encoding="xlsx", delimiter="\t", rows=rows, lines=np.array(lines, dtype=np.int64))


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


def _layout(arr: np.ndarray, delim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Record offsets, line numbers and field counts from the bytes, vectorised.

    Returns (offsets[n, 2], lines[n], nfields[n], has_embedded_newlines).
    """
    n = len(arr)
    nl = np.flatnonzero(arr == 10)
    ends = np.append(nl, n) if (n and arr[-1] != 10) else nl   # each line's end (exclusive of \n)
    starts = np.concatenate(([0], nl + 1))[: len(ends)]
    q = np.flatnonzero(arr == 34)
    embedded = False
    if len(q):
        qbefore_nl = np.searchsorted(q, ends)
        embedded = bool((qbefore_nl % 2).any())
    length = ends - starts
    cr = np.zeros(len(ends), dtype=bool)
    nonzero = length > 0
    cr[nonzero] = arr[ends[nonzero] - 1] == 13
    blank = (length == 0) | ((length == 1) & cr)
    d = np.flatnonzero(arr == delim)
    if len(q):
        outside = (np.searchsorted(q, d) % 2) == 0
        d = d[outside]
    line_of = np.searchsorted(ends, d)
    counts = np.bincount(line_of, minlength=len(ends)) + 1
    keep = ~blank
    offsets = np.stack([starts[keep], np.minimum(ends[keep] + 1, n)], axis=1)
    return offsets, (np.flatnonzero(keep) + 1).astype(np.int64), counts[keep].astype(np.int64), embedded


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
    enc, notes = _detect_encoding(data)
    body = data[3:] if enc == "utf-8-sig" else data
    sample = body[:200_000].decode("utf-8" if enc.startswith("utf-8") else enc, errors="replace")
    delim = delimiter or sniff_delimiter(sample.splitlines()[:200])
    table = RawTable(path, encoding=enc, delimiter=delim, data=body, notes=notes)
    if b"\r" in body[:65536].replace(b"\r\n", b""):
        table._scan(force_rows=True)   # old Mac line ends: let the csv module split records
    if not table.head(1):
        raise InputError(f"{path}: file has no records; expected a call export")
    return table


def _binary_share(head: bytes) -> float:
    if not head:
        return 0.0
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head)
