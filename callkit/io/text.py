"""Reading raw export files: encoding, delimiter, records with their source line numbers.

Everything here is format-agnostic: it turns a file into :class:`RawTable` objects that a format
parser interprets (one per file, or one per sheet of a workbook: :func:`read_tables`). Two access
paths share the same record numbering:

* ``table.rows`` — a list of field lists, convenient for small exports;
* ``table.frame(usecols)`` — a DataFrame of strings read by Arrow's C++ CSV reader, for big ones
  (a million-leg Asterisk file).

Record accounting
-----------------
Records are decided from the bytes *before* any CSV parser sees them, by these rules
(:func:`split_records`), so that one bad quote can cost one record and never the rest of the file:

1. A physical line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``. Empty lines are not records.
2. Quotes follow RFC 4180 as Python's ``csv`` and Arrow read them: ``"`` opens a quoted field
   only at the start of a field, ``""`` inside it is a literal quote, and text after the closing
   quote up to the delimiter is kept; a ``"`` inside an unquoted field is an ordinary character.
3. Every other line starts a record. A record is that one line, unless a quoted field is still
   open at the line's end: then the record runs on to the line where the field closes — if that
   happens within :data:`MAX_RECORD_LINES` lines and :data:`MAX_QUOTED_BYTES` bytes *and* the
   joined record has the file's usual field count (the most common count of one-line records, or
   the first record's). Otherwise the line alone is the record, it is **rejected** (reason in
   :attr:`RawTable.broken`) and reading goes on at the next line.
4. A record longer than :data:`MAX_RECORD_BYTES` is rejected.

So ``len(table)`` (the records) always equals the non-empty physical lines minus the
continuation lines of accepted multi-line records (``table.physical_lines`` counts them), and
every record is either parsed by the format or rejected with its line number.
``table.lines[i]`` is the 1-based line where record ``i`` starts and ``table.nfields[i]`` its field
count.
"""
from __future__ import annotations

import csv
import io
import mmap
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from callkit.errors import FormatError, InputError

__all__ = ["RawTable", "Records", "read_table", "read_tables", "split_records", "sniff_delimiter",
           "norm_header", "newline_counts", "MAX_RECORD_LINES", "MAX_QUOTED_BYTES", "MAX_RECORD_BYTES"]

_DELIMS = (",", ";", "\t", "|")
_NULS = re.compile("\x00+")

#: A quoted value may run over at most this many physical lines (rule 3).
MAX_RECORD_LINES = 100
#: ... and over at most this many bytes (rule 3).
MAX_QUOTED_BYTES = 1 << 20
#: A record longer than this is rejected (rule 4); the csv module's field limit is set above it.
MAX_RECORD_BYTES = 1 << 24
csv.field_size_limit(MAX_RECORD_BYTES + 1)


@dataclass
class Records:
    """The records of a delimited text (see the module docstring for the rules).

    ``offsets[i] = (a, b)`` is the byte range of record ``i`` including its line end, ``lines[i]``
    the 1-based line where it starts, ``nfields[i]`` its field count, ``broken`` the records
    rejected by rules 3–4 (index → reason); ``multiline`` tells whether any accepted record
    spans lines; ``physical_lines`` counts the non-empty lines, ``blank_lines`` the empty ones.
    """

    offsets: np.ndarray | None     # None until needed, for a file every line of which is a record
    lines: np.ndarray
    nfields: np.ndarray
    broken: dict[int, str] = field(default_factory=dict)
    multiline: bool = False
    physical_lines: int = 0
    blank_lines: int = 0


def _parse_record(s: str, delim: str, pos: int = 0) -> tuple[list[str], int, bool]:
    """One record of ``s`` from ``pos`` with Python ``csv``'s default (non-strict) rules.

    Returns (fields, end, closed): ``end`` is just past the record's line end (or ``len(s)``),
    ``closed`` is False when ``s`` ended inside a quoted field.
    """
    stop = re.compile("[" + re.escape(delim) + "\r\n]")
    fields: list[str] = []
    n = len(s)
    while True:
        if pos < n and s[pos] == '"':
            buf, pos = [], pos + 1
            while True:
                q = s.find('"', pos)
                if q < 0:
                    buf.append(s[pos:])
                    fields.append("".join(buf))
                    return fields, n, False
                buf.append(s[pos:q])
                if s.startswith('""', q):
                    buf.append('"')
                    pos = q + 2
                    continue
                pos = q + 1
                break
            m = stop.search(s, pos)
            e = m.start() if m else n
            buf.append(s[pos:e])
            fields.append("".join(buf))
        else:
            m = stop.search(s, pos)
            e = m.start() if m else n
            fields.append(s[pos:e])
        pos = e
        if pos >= n:
            return fields, n, True
        if s[pos] == delim:
            pos += 1
            continue
        return fields, pos + (2 if s.startswith("\r\n", pos) else 1), True


_LINE_END = re.compile("\r\n|\r|\n")


_CHUNK = 1 << 24


def _line_stats(arr: np.ndarray, delim: int, offset: int) -> tuple[np.ndarray, ...]:
    """Per physical line of ``arr`` (a chunk of whole lines at byte ``offset``): start, end past
    the line end, end of the text, field count (right for regular lines) and whether the line's
    quotes need a closer look (an odd count, or a quote that neither opens nor closes a field)."""
    n = len(arr)
    # only the bytes that matter (quotes, delimiters, line ends), in order: counts over them are
    # a few times cheaper than over every byte
    pos = np.flatnonzero((arr == 34) | (arr == delim) | (arr == 10) | (arr == 13))
    typ = arr[pos]
    is_term = typ == 10
    cr = typ == 13
    if cr.any():   # a lone '\r' ends a line; the '\r' of '\r\n' does not
        after = np.append(arr, np.uint8(0))[pos[cr] + 1]
        is_term[np.flatnonzero(cr)[after != 10]] = True
        keep = ~cr | is_term
        pos, typ, is_term = pos[keep], typ[keep], is_term[keep]
    term = pos[is_term]
    starts = np.concatenate(([0], term + 1)).astype(np.int64)
    ends = (term + 1).astype(np.int64)                      # just past each line's end
    content = term.astype(np.int64)                         # end of each line's text
    if len(term):
        crlf = (arr[term] == 10) & (term > 0) & (arr[np.maximum(term - 1, 0)] == 13)
        content = content - crlf
    if n and (not len(term) or term[-1] != n - 1):          # a last line without a line end
        ends = np.append(ends, n)
        content = np.append(content, n)
    starts = starts[: len(ends)]
    nlines = len(ends)
    line_id = np.cumsum(is_term, dtype=np.int64) - is_term  # the line of each of those bytes
    is_q = typ == 34
    is_d = typ == delim
    line_of_d = line_id[is_d]
    if is_q.any():
        cq = np.cumsum(is_q, dtype=np.int64)                # quotes up to each of those bytes
        before = np.zeros(nlines, dtype=np.int64)           # quotes before each line
        before[1:] = cq[is_term][: nlines - 1]
        d_out = line_of_d[(cq[is_d] - before[line_of_d]) % 2 == 0]
        q = pos[is_q]
        line_of_q = line_id[is_q]
        rank = cq[is_q] - 1 - before[line_of_q]
        del cq, line_id
        prev = np.where(q > starts[line_of_q], arr[np.maximum(q - 1, 0)].astype(np.int16), -1)
        nxt = np.where(q + 1 < content[line_of_q], arr[np.minimum(q + 1, n - 1)].astype(np.int16), -1)
        opener = (prev == -1) | (prev == delim) | (prev == 34)
        closer = (nxt == -1) | (nxt == delim) | (nxt == 34)
        ok = np.where(rank % 2 == 0, opener, closer)
        odd = np.bincount(line_of_q, minlength=nlines) % 2 == 1
        irregular = odd | (np.bincount(line_of_q[~ok], minlength=nlines) > 0)
    else:
        d_out = line_of_d
        irregular = np.zeros(nlines, dtype=bool)
    nf = np.bincount(d_out, minlength=nlines).astype(np.int64) + 1
    return starts + offset, ends + offset, content + offset, nf, irregular


def split_records(data: bytes, delimiter: str, decode: Callable[[bytes], str] | None = None) -> Records:
    """Split delimited text into records by the rules of the module docstring.

    Vectorised over the bytes; only lines whose quotes are not plainly balanced (a quote that
    neither starts nor ends a field, or an odd count) are looked at one by one.

    Examples
    --------
    >>> r = split_records(b'a;b;c\\n1;"2;3\\n4;5;6\\n7;"8\\n8";9\\n', ";")
    >>> r.lines.tolist(), r.nfields.tolist(), sorted(r.broken)
    ([1, 2, 3, 4], [3, 2, 3, 3], [1])
    """
    decode = decode or (lambda b: b.decode("utf-8", errors="replace"))
    n = len(data)
    parts, pos = [], 0
    while pos < n:   # chunks that end after a '\n' bound the memory of the vectorised pass
        cut = data.find(b"\n", pos + _CHUNK)
        end = n if cut < 0 else cut + 1
        parts.append(_line_stats(np.frombuffer(data, dtype=np.uint8, count=end - pos, offset=pos),
                                 ord(delimiter), pos))
        pos = end
    starts, ends, content, nf, irregular = (np.concatenate([p[k] for p in parts]) if parts
                                            else np.zeros(0, dtype=np.int64) for k in range(5))
    irregular = irregular.astype(bool)
    nlines = len(ends)
    blank = content <= starts
    irregular &= ~blank
    too_long = (content - starts > MAX_RECORD_BYTES) & ~blank

    broken: dict[int, str] = {}    # by line index
    unclosed: dict[int, int] = {}  # line index -> field number where the open quote is
    for i in np.flatnonzero(irregular & ~too_long).tolist():
        fields, _, closed = _parse_record(decode(data[starts[i]:ends[i]]), delimiter)
        if closed:
            nf[i] = len(fields)
        else:
            unclosed[i] = len(fields)
    for i in np.flatnonzero(too_long).tolist():
        broken[i] = (f"the record is {int(content[i] - starts[i]):,} bytes long; a call record has at "
                     f"most {MAX_RECORD_BYTES:,} (a broken export?)")
    # where each unclosed line's quote closes (within the bounds), before deciding anything
    tentative: dict[int, tuple[int, int]] = {}   # line -> (last line, field count)
    for i in unclosed:
        lim = min(i + MAX_RECORD_LINES, nlines) - 1
        lim = min(lim, int(np.searchsorted(ends, starts[i] + MAX_QUOTED_BYTES, side="right")) - 1)
        if lim > i and data.find(b'"', ends[i], ends[lim]) >= 0:   # a quote that may close it
            text = decode(data[starts[i]:ends[lim]])
            fields, end, closed = _parse_record(text, delimiter)
            if closed:
                j = i + len(_LINE_END.findall(text, 0, end)) - (1 if text[end - 1] in "\r\n" else 0)
                tentative[i] = (j, len(fields))
    # the file's usual width, from one-line records that no quote could join to another line
    single = ~blank & ~too_long
    if unclosed:
        single[list(unclosed)] = False
    for i, (j, _) in tentative.items():
        single[i:j + 1] = False
    widths = set()
    if single.any():
        vals, counts = np.unique(nf[single], return_counts=True)
        widths.add(int(vals[counts.argmax()]))
        widths.add(int(nf[np.flatnonzero(single)[0]]))
    last = np.arange(nlines)                  # last line of the record starting on each line
    consumed = np.zeros(nlines, dtype=bool)
    for i, k in unclosed.items():
        if consumed[i]:
            continue
        j, width = tentative.get(i, (i, 0))
        if j > i and (not widths or width in widths):
            last[i] = j
            consumed[i + 1:j + 1] = True
            nf[i] = width
        else:
            broken[i] = (f"a quote opened in field {k} is not closed on this line (a stray '\"' or a "
                         "cut-off line), so its fields cannot be told apart; reading goes on with the "
                         "next line")
    keep = np.flatnonzero(~blank & ~consumed)
    hit = _nul_lines(data, ends)
    if hit is not None:   # the records with a line that holds a NUL byte
        c = np.concatenate(([0], np.cumsum(hit)))
        for i in keep[c[last[keep] + 1] > c[keep]].tolist():
            broken.setdefault(i, "has NUL bytes (a block of the file that was never written: a power "
                                 "loss or a full disk while the PBX wrote it), so its fields cannot be trusted")
    pos = {int(ln): r for r, ln in enumerate(keep.tolist())} if broken else {}
    return Records(offsets=np.stack([starts[keep], ends[last[keep]]], axis=1),
                   lines=(keep + 1).astype(np.int64), nfields=nf[keep],
                   broken={pos[i]: why for i, why in sorted(broken.items())},
                   multiline=bool((last[keep] > keep).any()),
                   physical_lines=int((~blank).sum()), blank_lines=int(blank.sum()))


def _nul_lines(data: bytes, ends: np.ndarray) -> np.ndarray | None:
    """Which lines (``ends``: just past each line's end) hold a NUL byte; None when none does
    (one memchr over the bytes, the usual case). The bytes are looked at only from each NUL
    found on, :data:`_CHUNK` at a time, as runs of NULs (a never-written block is thousands)."""
    pos = data.find(b"\x00")
    if pos < 0:
        return None
    n = len(data)
    mark = np.zeros(len(ends) + 1, dtype=np.int64)   # +1 where a run's lines begin, -1 past them
    while 0 <= pos < n:
        b = min(n, pos + _CHUNK)
        z = np.frombuffer(data, dtype=np.uint8, count=b - pos, offset=pos) == 0
        edge = np.flatnonzero(np.diff(np.concatenate(([False], z, [False])).view(np.int8)))
        first = np.searchsorted(ends, edge[::2] + pos, side="right")        # a run's first line
        past = np.searchsorted(ends, edge[1::2] + pos - 1, side="right") + 1  # past its last line
        np.add.at(mark, first, 1)
        np.add.at(mark, past, -1)
        pos = data.find(b"\x00", b)
    return np.cumsum(mark)[:len(ends)] > 0


class RawTable:
    """A file (or one sheet of a workbook) split into records (see the module docstring).

    ``lines``, ``nfields`` and ``broken`` come from :func:`split_records` on first use; a clean
    file read through :meth:`frame` is checked by counting line ends instead, without the split.
    A parser done with the bytes may :meth:`release` them (``reread`` gives them again when a
    rejected record's text is asked for).
    """

    def __init__(self, path: Path, *, encoding: str, delimiter: str, data: bytes | None = None,
                 rows: list[list[str]] | None = None, lines: np.ndarray | None = None,
                 notes: list[str] | None = None, sheet: str | None = None,
                 source_encoding: str | None = None,
                 reread: Callable[[], bytes] | None = None) -> None:
        self.path = path
        self.encoding = encoding   # of ``data``
        self.source_encoding = source_encoding or encoding   # of the file (UTF-16 read as UTF-8)
        self.delimiter = delimiter
        self.notes = notes or []
        self.sheet = sheet
        self.header: list[str] | None = None
        self.header_line: int | None = None
        self._bytes = data
        self._reread = reread
        self._rows = rows
        self._rec: Records | None = None
        if rows is not None:
            lines = np.arange(1, len(rows) + 1, dtype=np.int64) if lines is None else np.asarray(lines)
            self._rec = Records(offsets=np.zeros((len(rows), 2), dtype=np.int64),
                                lines=lines.astype(np.int64),
                                nfields=np.array([len(r) for r in rows], dtype=np.int64),
                                physical_lines=len(rows))

    @property
    def _data(self) -> bytes | None:
        """The text's bytes (read again after :meth:`release`); None for a table of rows."""
        if self._bytes is None and self._reread is not None:
            self._bytes = self._reread()
        return self._bytes

    def release(self) -> None:
        """Drop the bytes when they can be read again: a parser that has its frame and the
        record counts needs them only for the text of a rejected record (peak memory: the
        bytes are the size of the file)."""
        if self._reread is not None and self._rec is not None:
            self._bytes = None

    @property
    def name(self) -> str:
        """The file name, with the sheet for a workbook of several sheets (``calls.xlsx[Октябрь]``)."""
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name

    @property
    def records(self) -> Records:
        if self._rec is None:
            assert self._data is not None
            self._rec = split_records(self._data, self.delimiter, self._decode)
        return self._rec

    @property
    def lines(self) -> np.ndarray:
        """1-based line (or sheet row) where each record starts."""
        return self.records.lines

    @property
    def nfields(self) -> np.ndarray:
        """Field count of each record (quotes respected)."""
        return self.records.nfields

    @property
    def broken(self) -> dict[int, str]:
        """Records rejected before parsing (an unclosed quote, an overlong record): index → reason."""
        return self.records.broken

    @property
    def physical_lines(self) -> int:
        """Non-empty physical lines (rows of a sheet): records plus multi-line continuations."""
        return self.records.physical_lines

    @property
    def blank_lines(self) -> int:
        """Empty physical lines (not records: rule 1); 0 for a sheet (its empty rows are skipped)."""
        return self.records.blank_lines

    def __len__(self) -> int:
        return len(self.lines)

    def estimated_records(self, sample: int = 1 << 20) -> int:
        """How many records the table holds, without splitting it: exact once it is split (and
        for a sheet), else the line ends (LF, CR for the old PBXs that end lines with CR alone,
        CRLF counted once: :func:`newline_counts`) of the whole text when it is at most
        ``sample`` bytes, else those of its first ``sample`` bytes scaled to its size."""
        if self._rec is not None:
            return len(self._rec.lines)
        data = self._data
        if not data:
            return 0
        head = data[:sample]
        lf, cr, crlf = newline_counts(head)
        ends = lf + cr - crlf
        if len(head) == len(data):
            return ends + (not data.endswith((b"\n", b"\r")))
        return round(ends * len(data) / len(head))

    @property
    def rows(self) -> list[list[str]]:
        """All records as lists of strings (built on first use).

        A broken record (see :attr:`broken`) is split on its own, as if the file ended after
        it, so that its neighbours are never joined to it.
        """
        if self._rows is None:
            self._rows = self._build_rows()
        return self._rows

    def _build_rows(self) -> list[list[str]]:
        rec = self.records
        if not rec.broken and not rec.multiline and rec.physical_lines == len(rec.lines):
            rows = [r for r in csv.reader(io.StringIO(self._text(), newline=""), delimiter=self.delimiter)
                    if r]
            if len(rows) == len(rec.lines):
                return rows
        texts = [self._decode(self._data[a:b]) for a, b in self._offsets().tolist()]
        good = [t for i, t in enumerate(texts) if i not in rec.broken]
        parsed = list(csv.reader(good, delimiter=self.delimiter))
        if len(parsed) != len(good):  # pragma: no cover - split_records closes every good record
            parsed = [_parse_record(t, self.delimiter)[0] for t in good]
        it = iter(parsed)
        return [_parse_record(t, self.delimiter)[0] if i in rec.broken else next(it)
                for i, t in enumerate(texts)]

    def head(self, n: int = 50) -> list[list[str]]:
        """The first ``n`` records (cheap; used by format detection)."""
        if self._rows is not None or self._data is None:
            return self.rows[:n]
        if len(self._data) <= 200_000:
            return self.rows[:n]
        chunk = self._data[:200_000]
        cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        part = RawTable(self.path, encoding=self.encoding, delimiter=self.delimiter,
                        data=chunk[:cut + 1] if cut >= 0 else chunk)
        return part.rows[:n]

    def sample(self, n: int = 200) -> RawTable:
        """A small table of the first ``n`` records (what format detection looks at)."""
        rows = self.head(n)
        return RawTable(self.path, encoding=self.encoding, delimiter=self.delimiter, rows=rows,
                        notes=list(self.notes), sheet=self.sheet, source_encoding=self.source_encoding)

    def raw(self, i: int) -> str:
        """Record ``i`` as text (its source lines for a multi-line record)."""
        if self._data is None:
            return self.delimiter.join(self.rows[i])
        a, b = self._offsets()[i]
        return self._decode(self._data[a:b]).rstrip("\r\n")

    def shown(self, i: int) -> str:
        """Record ``i`` as the load report shows it: :meth:`raw`, each run of NUL bytes written
        ``[NUL×N]`` (a never-written block of the file: thousands of them)."""
        return _NULS.sub(lambda m: f"[NUL×{len(m.group())}]", self.raw(i))

    def frame(self, usecols: list[int] | None = None, *, width: int | None = None) -> pd.DataFrame:
        """Records with exactly ``width`` fields (and not :attr:`broken`) as a DataFrame of strings.

        Columns are field positions, the index is the record number. ``width`` defaults to the
        most common field count; use ``nfields`` to reject the other records by line number.
        """
        if width is None:
            vals, counts = np.unique(self.nfields, return_counts=True)
            width = int(vals[counts.argmax()]) if len(vals) else 0
        cols = [c for c in (usecols if usecols is not None else range(width)) if c < width]
        if self._data is None:
            return self._frame_from_rows(cols, width)
        if self._rec is None and self._data.find(b"\x00") < 0:   # (NULs: records rejected below)
            # counted before Arrow reads the bytes: a mapped file's pages are then in place for
            # Arrow (one pass of page faults, not two)
            lf, cr, crlf = newline_counts(self._data)
            df = _fast_csv(self, self._data, cols, width)
            if df is not None:
                nlines = lf + (not self._data.endswith(b"\n"))
                # as many rows as lines (Arrow skips empty lines and a joined line makes fewer)
                # and no lone CR: every line was one record of `width` fields, no split needed
                if len(df) == nlines and cr == crlf:
                    self._rec = Records(offsets=None,
                                        lines=np.arange(1, len(df) + 1, dtype=np.int64),
                                        nfields=np.full(len(df), width, dtype=np.int64),
                                        physical_lines=len(df))
                    return df
        rec = self.records
        keep = np.flatnonzero(rec.nfields == width)
        if rec.broken:
            keep = keep[~np.isin(keep, list(rec.broken))]
        if not len(keep):
            return pd.DataFrame({c: pd.Series([], dtype="str") for c in cols}, index=keep)
        off = self._offsets()[keep]
        drop = np.ones(len(rec.lines), dtype=bool)
        drop[keep] = False
        gone = self._offsets()[drop]     # the records left out, in order: keep the bytes between them
        cuts = np.concatenate(([0], gone[:, 1])), np.concatenate((gone[:, 0], [len(self._data)]))
        data = b"".join(self._data[a:b] for a, b in zip(*(c.tolist() for c in cuts)) if b > a)
        if not data.endswith((b"\n", b"\r")):
            data += b"\n"
        longest = int((off[:, 1] - off[:, 0]).max())
        df = _fast_csv(self, data, cols, width, newlines=rec.multiline, longest=longest)
        if df is None or len(df) != len(keep):
            return self._frame_from_rows(cols, width)
        df.index = keep
        return df

    def _frame_from_rows(self, cols: list[int], width: int) -> pd.DataFrame:
        keep = np.flatnonzero(self.nfields == width)
        if self.broken:
            keep = keep[~np.isin(keep, list(self.broken))]
        rows = self.rows
        data = {c: [rows[i][c] for i in keep] for c in cols}
        return pd.DataFrame(data, index=keep, dtype="str")

    def _offsets(self) -> np.ndarray:
        rec = self.records
        if rec.offsets is None:   # a clean file read by frame(): one record per line
            rec.offsets = _line_offsets(self._data)
        return rec.offsets

    def _decode(self, b: bytes) -> str:
        enc = "utf-8" if self.encoding.startswith("utf-8") else self.encoding
        return b.decode(enc, errors="replace")

    def _text(self) -> str:
        assert self._data is not None
        return self._decode(self._data)


#: Bytes of a file counted at a time by :func:`newline_counts` (the size of its comparisons'
#: buffers, reused from step to step: a fresh temporary per comparison cost 2 s of page
#: faults for a 291 MB file)
_COUNT_STEP = 1 << 20


def newline_counts(data: bytes) -> tuple[int, int, int]:
    """How many ``\\n``, ``\\r`` and ``\\r\\n`` the bytes hold (as ``bytes.count`` says), in
    one pass of numpy over the bytes in place, 1 MB at a time: ``bytes.count`` took 0.25 s
    for each needle of a 291 MB export, and each pass over a mapped file that drops its pages
    faulted them in again. A mapped file's pages stay mapped (its next reader finds them)."""
    n = len(data)
    lf = cr = crlf = 0
    eq = np.empty(_COUNT_STEP + 1, dtype=bool)
    nxt = np.empty(_COUNT_STEP, dtype=bool)
    buf = memoryview(data)
    try:
        for a in range(0, n, _COUNT_STEP):
            b = min(n, a + _COUNT_STEP)
            v = np.frombuffer(buf[a:min(n, b + 1)], dtype=np.uint8)   # (a byte on: a pair across)
            m = b - a
            lf += int(np.count_nonzero(np.equal(v[:m], 10, out=eq[:m])))
            k = int(np.count_nonzero(np.equal(v, 13, out=eq[:len(v)])[:m]))
            if k:   # the pairs that start in [a, b): a CR here, a LF next
                cr += k
                p = len(v) - 1
                np.equal(v[1:], 10, out=nxt[:p])
                crlf += int(np.count_nonzero(np.logical_and(eq[:p], nxt[:p], out=nxt[:p])))
            del v
    finally:
        buf.release()
    return lf, cr, crlf


def _line_offsets(data: bytes) -> np.ndarray:
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10) + 1
    if len(arr) and arr[-1] != 10:
        ends = np.append(ends, len(arr))
    return np.stack([np.concatenate(([0], ends[:-1])), ends], axis=1).astype(np.int64)


def _fast_csv(table: RawTable, data: bytes, cols: list[int], width: int, *, newlines: bool = False,
              longest: int = 0) -> pd.DataFrame | None:
    """Read the records of ``data`` that have ``width`` fields with Arrow's CSV reader.

    Returns None when Arrow skipped a record or could not read the bytes (the caller then
    splits the records itself).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv
    if table.encoding == "cp1251" or table.notes:
        # transcode once so the reader sees clean UTF-8 (stray bytes become U+FFFD); the mapped
        # file's pages are then not needed beside the copy Arrow reads
        mapped = data
        data = table._decode(data).encode("utf-8")
        if isinstance(mapped, MappedBytes):
            mapped.drop_pages()
        longest *= 2
    names = [f"f{i}" for i in range(width)]
    invalid = [0]

    def on_invalid(row: object) -> str:
        invalid[0] += 1
        return "skip"

    block = max(1 << 20, 2 * longest + 1024)
    try:
        tbl = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=block),
            parse_options=pacsv.ParseOptions(delimiter=table.delimiter, quote_char='"', double_quote=True,
                                             newlines_in_values=newlines, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 include_columns=[names[c] for c in cols],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowCapacityError):
        return None
    finally:
        if isinstance(data, MappedBytes):
            data.drop_pages()   # (Arrow has read all of it: not counted beside the columns)
    if invalid[0]:
        return None
    # each column as one chunk of large strings, pandas' own storage: the parsers take each
    # column into Arrow several times, and a column of a reader's blocks (a chunk per MB) was
    # combined into a fresh copy every time, and cast to large strings (10M legs: load 61.1 →
    # 55.4 s, page faults 6.49M → 5.92M). One column at a time: the blocks of a column are
    # freed as soon as it is combined
    arrays = []
    while tbl.num_columns:
        arrays.append(tbl.column(0).combine_chunks())
        tbl = tbl.remove_column(0)
    df = pa.Table.from_arrays(arrays, names=[names[c] for c in cols]).to_pandas()   # (wrapped, not copied)
    df.columns = cols
    return df


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (as ``bytes.decode`` decides), without decoding it: an
    ASCII file at once, else Arrow's SIMD validation of the bytes in place (a whole-file
    decode took 0.6 s and held a second copy of the export)."""
    if data.isascii():
        return True
    import pyarrow as pa
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    one = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        one.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def wide_unicode_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 by its byte-order mark, or 'utf-16-le'/'utf-16-be' for a BOM-less file
    whose every other byte is mostly 0x00 or 0x04 (the high byte of ASCII and of Cyrillic in
    UTF-16; text in a one-byte encoding or UTF-8 has neither); None for anything else. Excel's
    "Unicode text" and many Windows tools write UTF-16.

    Examples
    --------
    >>> wide_unicode_encoding("a;b".encode("utf-16")), wide_unicode_encoding("a;b".encode("utf-16-le"))
    ('utf-16', None)
    >>> wide_unicode_encoding("звонок;номер;длительность".encode("utf-16-le"))
    'utf-16-le'
    """
    enc = next((e for bom, e in _WIDE_BOMS if data.startswith(bom)), None)
    if enc is not None:
        return enc
    head = data[:4096]
    if len(head) < 8 or (b"\x00" not in head and b"\x04" not in head):
        return None
    even, odd = head[0::2], head[1::2]
    z_even = (even.count(0) + even.count(4)) / len(even)
    z_odd = (odd.count(0) + odd.count(4)) / len(odd)
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    return None


def decode_wide_unicode(data: bytes, enc: str, name: str) -> str:
    """``data`` decoded as ``enc`` (from :func:`wide_unicode_encoding`), or an InputError naming
    the byte that does not decode."""
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: looks like {enc.upper()} text but byte {exc.start} does not "
                         f"decode ({exc.reason}); re-save the file as UTF-8") from None


def _detect_encoding(data: bytes) -> tuple[str, list[str]]:
    enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    if _valid_utf8(data):
        return enc, []
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


def _read_xlsx(path: Path) -> list[RawTable]:
    """Every non-empty sheet of a workbook as a table; the empty ones are named in a note of the
    first table (a workbook with no data at all is an error)."""
    import openpyxl
    # (a damaged part's XML: ElementTree's and lxml's parse errors are SyntaxErrors)
    broken = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except broken as exc:
        raise FormatError(f"{path}: looks like an Excel file but cannot be opened ({exc})") from None
    tables: list[RawTable] = []
    empty: list[str] = []
    ws = None
    try:
        for ws in wb.worksheets:
            rows: list[list[str]] = []
            lines: list[int] = []
            for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = ["" if v is None else _cell_text(v) for v in r]
                while cells and cells[-1] == "":
                    cells.pop()
                if cells:
                    rows.append(cells)
                    lines.append(i)
            if rows:
                tables.append(RawTable(path, encoding="xlsx", delimiter="\t", rows=rows,
                                       lines=np.array(lines, dtype=np.int64), sheet=ws.title))
            else:
                empty.append(ws.title)
    except broken as exc:
        where = f"sheet {ws.title!r} of the workbook" if ws is not None else "the workbook"
        raise FormatError(f"{path}: {where} cannot be read ({exc}); save it again from Excel, or "
                          "export the sheet as CSV") from None
    finally:
        wb.close()
    if not tables:
        raise InputError(f"{path}: every sheet of the workbook is empty; expected a call export")
    if len(tables) == 1:
        tables[0].sheet = None   # one sheet with data: its records are named by the file alone
    if empty:
        tables[0].notes.append(f"empty sheet(s) not read: {', '.join(repr(s) for s in empty)}")
    return tables


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


class MappedBytes(mmap.mmap):
    """A file's bytes mapped read-only from the page cache, with the ``bytes`` methods the
    readers use (``count``, ``startswith``, ``endswith``, ``in``, ``isspace``, ``isascii``,
    ``decode``); slices are ``bytes``, and Arrow and numpy read it in place (the buffer
    protocol).

    Reading a 2.9 GB export with ``read_bytes`` wrote a private copy into fresh memory — 3–8 s
    at 10M legs, most of it the kernel's page faults — and held it beside the parsed columns;
    mapped, the same bytes are the page cache's, shared, and dropped by the kernel under
    memory pressure rather than swapped. The scans below go in 16 MB slices (a slice's copy
    is reused memory, not a new page each time).

    The export must not be truncated while it is loaded (the operating system would stop the
    process at the first byte past the new end); a file that changed is detected by its size
    and time when its records are read again (see :func:`read_tables`).
    """

    _STEP = 1 << 24

    def _slices(self, overlap: int = 0):
        n = len(self)
        for a in range(0, n, self._STEP):
            yield self[a:min(n, a + self._STEP + overlap)]
            self.drop_pages(a, min(self._STEP, n - a))

    def drop_pages(self, start: int = 0, length: int | None = None) -> None:
        """Take the pages read so far out of this process's mapping (they stay in the page
        cache, which holds them either way, and come back on the next read without I/O): a
        scan of the file then does not count its 2.9 GB in the process's memory. ``start``
        is a multiple of the page size."""
        if hasattr(mmap, "MADV_DONTNEED") and len(self):
            try:
                self.madvise(mmap.MADV_DONTNEED, start, len(self) - start if length is None else length)
            except (OSError, ValueError):  # pragma: no cover - a platform without it
                pass

    def count(self, sub: bytes) -> int:   # type: ignore[override]
        k = len(sub)
        if not k:
            return len(self) + 1   # (as bytes counts b"")
        # an occurrence counts in the slice where it starts: each slice reaches k - 1 bytes on
        # (as bytes.count for a needle that cannot overlap itself: the readers' \n, \r, \r\n)
        return sum(part.count(sub, 0, self._STEP + k - 1) for part in self._slices(k - 1))

    def __contains__(self, sub: object) -> bool:
        if not isinstance(sub, bytes) or not sub:
            return isinstance(sub, bytes)   # (b"" is in any bytes)
        k = len(sub)
        return any(part.find(sub, 0, self._STEP + k - 1) >= 0 for part in self._slices(k - 1))

    def startswith(self, prefix: bytes) -> bool:
        return self[:len(prefix)] == prefix

    def endswith(self, suffix: bytes | tuple[bytes, ...]) -> bool:
        k = max(map(len, suffix)) if isinstance(suffix, tuple) else len(suffix)
        return self[max(0, len(self) - k):].endswith(suffix)

    def isspace(self) -> bool:
        return len(self) > 0 and all(part.isspace() for part in self._slices())

    def isascii(self) -> bool:
        return all(part.isascii() for part in self._slices())

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return self[:].decode(encoding, errors)   # (a text of the whole file: bytes of it first)


def _map_file(path: Path) -> MappedBytes | bytes:
    """The bytes of a regular file, mapped (:class:`MappedBytes`); read into memory where a
    mapping cannot be made (an empty file, a file system without it)."""
    with open(path, "rb") as fh:
        try:
            return MappedBytes(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):
            return fh.read()


def read_tables(path: str | Path, *, delimiter: str | None = None) -> list[RawTable]:
    """Read a CSV/TSV file (one table) or an XLSX workbook (one table per non-empty sheet).

    Raises
    ------
    InputError
        When the file is missing, not a regular file, empty or not text.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; expected a call export file")
    if not path.is_file():
        raise InputError(f"{path}: is not a regular file (a device, pipe or socket); expected a call "
                         "export file")
    from callkit.io.sqldump import looks_like_dump, read_dump
    with open(path, "rb") as fh:
        if looks_like_dump(fh.read(65536)):   # a database dump: parsed as SQL, streamed
            return [read_dump(path)]
    stat = path.stat()
    data = _map_file(path)
    if not data or data.isspace():   # (not data.strip(): no copy of a big file)
        raise InputError(f"{path}: file is empty; expected a call export")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path)
    wide = wide_unicode_encoding(data)
    data = _as_utf8(data, wide, path)
    head = data[:65536]
    if _looks_binary(head):
        raise FormatError(f"{path}: not a text export (binary data); expected CSV/TSV text or .xlsx")
    enc, notes = _detect_encoding(data)
    if isinstance(data, MappedBytes):
        data.drop_pages()   # (the checks above read all of it)
    body = data[3:] if enc == "utf-8-sig" else data
    sample = body[:200_000].decode("utf-8" if enc.startswith("utf-8") else enc, errors="replace")
    delim = delimiter or sniff_delimiter(sample.splitlines()[:200])
    size = len(body)

    def reread() -> bytes:
        again = path.stat()
        if (again.st_size, again.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            raise InputError(f"{path}: the file changed while it was being loaded; load it again")
        mapped = _map_file(path)
        if wide is None and len(mapped) == size:   # the same bytes, no BOM: mapped again
            return mapped
        text = _as_utf8(mapped, wide, path)
        return text[len(text) - size:]   # without the BOM, as the first read

    table = RawTable(path, encoding=enc, delimiter=delim, data=body, notes=notes, source_encoding=wide,
                     reread=reread)
    if not table.head(1):
        raise InputError(f"{path}: file has no records; expected a call export")
    return [table]


def read_table(path: str | Path, *, delimiter: str | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX file into one :class:`RawTable` (a workbook's first non-empty sheet;
    use :func:`read_tables` for all of them).

    Raises
    ------
    InputError
        When the file is missing, not a regular file, empty or not text.
    """
    return read_tables(path, delimiter=delimiter)[0]


def _as_utf8(data: bytes, wide: str | None, path: Path) -> bytes:
    """A file's bytes as read: UTF-16/32 (Excel's "Unicode text") as the UTF-8 it says."""
    if wide is None:
        return data
    return decode_wide_unicode(data, wide, str(path)).lstrip("\ufeff").encode("utf-8")


#: The shortest run of NUL bytes taken for a damaged block of a text file rather than binary
#: data (a file system fills the blocks an append had not written with NULs after a power loss;
#: a binary file's NULs come one or a few at a time)
_NUL_RUN = 64


def _looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are binary data, not text: control bytes, or NUL bytes
    — unless every NUL is in a run of at least :data:`_NUL_RUN` and the rest is plain text (a
    CDR appended to until the machine lost power: its records with NULs are rejected)."""
    if b"\x00" not in head:
        return _binary_share(head) > 0.1
    arr = np.frombuffer(head, dtype=np.uint8)
    z = np.concatenate(([False], arr == 0, [False]))
    edges = np.flatnonzero(z[1:] != z[:-1])   # starts and ends of the runs of NULs, in turn
    whole = edges[1::2] < len(head)           # (a run cut by the end of the head: any length)
    runs = (edges[1::2] - edges[::2])[whole]
    return bool(len(runs) and runs.min() < _NUL_RUN) or _binary_share(head.replace(b"\x00", b"")) > 0.02


def _binary_share(head: bytes) -> float:
    if not head:
        return 0.0
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head)
