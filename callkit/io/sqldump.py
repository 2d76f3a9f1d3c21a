"""CDR database dumps (FORMATS.md §7.2): ``mysqldump asteriskcdrdb``, MariaDB, Navicat and
phpMyAdmin ``.sql`` files (plain or gzip), parsed — never executed.

What is read:

* top-level ``INSERT [IGNORE] INTO `cdr` [(columns)] VALUES (…),(…);`` statements (one row per
  statement or thousands per extended INSERT). The column order comes from the INSERT's column
  list, else from the ``CREATE TABLE`` of that table earlier in the dump; it is never assumed:
  rows of a table whose columns are unknown are rejected with that reason.
* strings in single (or double) quotes with MySQL's backslash escapes and doubled quotes,
  ``NULL``, numbers, ``_binary '…'``, ``0x…``. Text declared latin1 that holds UTF-8 (double
  encoded, ``nÃºmero``) is repaired and counted in a note; text that is not UTF-8 is read as
  cp1251.
* ``DELIMITER`` changes and the bodies of triggers, procedures and views (which contain
  ``INSERT INTO … VALUES (new.x, …)`` of their own) are statements of their own kind: never
  taken as data. Comments (``--``, ``#``, ``/* */``) are skipped; ``/*!NNNNN … */`` version
  comments are statements like any other.

Which table holds the calls: the one named ``cdr``; without one, the table with the CDR's columns
(calldate/start, src, dst, billsec, disposition) that has the most rows. Every other table is
listed in the load report's notes with its row count (``cel``, a trigger's copy such as
``replicate_cdr``, …); a ``queuelog``/``queue_log`` table is kept for the queue_log loader
(:func:`callkit.io.queuelog.load_queue_log` reads a dump directly).

Memory: the file is read in 8 MB chunks; only the CDR columns callkit uses and the queue log
are kept (as Arrow strings, every 50,000 rows), with each record's line and byte span so a
rejected record can be shown as it is in the file. ``benchmarks/bench_dump.py`` measures a
100 MB dump.
"""
from __future__ import annotations

import gzip
import re
from array import array
from pathlib import Path

import numpy as np
import pandas as pd

from callkit.errors import FormatError
from callkit.io.asterisk import _DB_SYNONYMS
from callkit.io.base import Format, ParseContext, Parsed, Rejects, match_columns
from callkit.io.text import RawTable, Records, norm_header

__all__ = ["SQL_DUMP", "DumpTable", "read_dump", "dump_queue_log", "looks_like_dump", "repair_double_utf8"]

_CHUNK = 8 << 20
_FLUSH = 50_000
_MAX_ELEMENT = 256 << 20      # no statement/tuple is bigger: else the dump is broken

_SKIP = re.compile(rb"(?:\s++|--[^\n]*+(?:\n|\Z)|#[^\n]*+(?:\n|\Z)|/\*(?!!)(?:[^*]++|\*(?!/))*+\*/)*+")
_DELIMITER = re.compile(rb"(?i)DELIMITER[ \t]++(\S++)[^\n]*+(?:\n|\Z)")
_NAME = rb"(?:`[^`]++`|\"[^\"]++\"|\[[^\]]++\]|[\w$]++)"
_INSERT = re.compile(
    rb"(?is)(?:INSERT|REPLACE)(?:\s++(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*+\s++(?:INTO\s++)?"
    rb"(?P<table>" + _NAME + rb"(?:\s*+\.\s*+" + _NAME + rb")?)\s*+(?:\((?P<cols>[^)]*+)\)\s*+)?VALUES?\s*+")
_STR1 = rb"'(?:[^'\\]++|\\.|'')*+'"
_STR2 = rb"\"(?:[^\"\\]++|\\.|\"\")*+\""
_TUPLE = re.compile(rb"\((?P<inner>(?:[^'\"()]++|" + _STR1 + rb"|" + _STR2 + rb"|\([^()'\"]*+\))*+)\)", re.S)
_FIELD = re.compile(rb"(?:^|,)\s*+(?:(?:_\w+\s*+)?'((?:[^'\\]++|\\.|'')*+)'|\"((?:[^\"\\]++|\\.|\"\")*+)\"|"
                    rb"([^,]*+))", re.S)
_ESC = re.compile(rb"\\(.)|''", re.S)
_ESCAPES = {b"0": b"\x00", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a"}
_CREATE = re.compile(rb"(?is)^\s*+CREATE\s++(?:TEMPORARY\s++)?TABLE\s++(?:IF\s++NOT\s++EXISTS\s++)?"
                     rb"(?P<table>" + _NAME + rb"(?:\s*+\.\s*+" + _NAME + rb")?)\s*+\((?P<body>.*)\)(?P<opts>[^)]*+)$")
_KEYWORD = re.compile(rb"(?is)^\s*+(?:/\*!\d*+\s*+)?(?P<w>[A-Za-z]++)(?:\s++(?:/\*!\d*+\s*+)?(?P<w2>[A-Za-z]++))?")
_CHARSET = re.compile(rb"(?i)(?:DEFAULT\s++)?(?:CHARSET|CHARACTER\s++SET)\s*+=?\s*+(\w++)")
_MOJIBAKE = re.compile(r"[ÂÃÐÑ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                       r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_QLOG = re.compile(r"^queue_?log$")
_CDR_NEED = ({"src", "dst", "disposition", "billsec"}, {"calldate", "start"})
_UNUSED = {"clid", "lastdata", "dcontext", "cnum"}      # CDR columns the legs do not use: not kept


def looks_like_dump(head: bytes) -> bool:
    """True when the first bytes of a file read like an SQL dump (mysqldump, MariaDB, Navicat,
    phpMyAdmin, or bare SQL statements) rather than a delimited export."""
    if head[:2] == b"\x1f\x8b":
        import zlib
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 65536)
        except zlib.error:
            return False
    text = head.lstrip(b"\xef\xbb\xbf")
    if re.search(rb"(?i)^--\s*(?:MySQL dump|MariaDB dump|phpMyAdmin SQL Dump)|Navicat\b", text[:4096], re.M):
        return True
    body = _SKIP.match(text).end()
    start = text[body:body + 64].upper()
    return (start.startswith((b"SET ", b"CREATE TABLE", b"INSERT INTO", b"DROP TABLE", b"/*!", b"LOCK TABLES",
                              b"USE ", b"START TRANSACTION", b"BEGIN;", b"REPLACE INTO", b"CREATE DATABASE"))
            and bool(re.search(rb"(?i)\b(?:INSERT\s+INTO|CREATE\s+TABLE)\b", text)))


def repair_double_utf8(s: str) -> str:
    """``nÃºmero`` → ``número``: UTF-8 bytes that were read as latin1/cp1252 and encoded again.

    Only a value that shows the pattern and whose bytes decode as UTF-8 exactly is changed.

    >>> repair_double_utf8("nÃºmero"), repair_double_utf8("Ð˜Ð²Ð°Ð½"), repair_double_utf8("número")
    ('número', 'Иван', 'número')
    """
    if not _MOJIBAKE.search(s):
        return s
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = s.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != s:
            return repair_double_utf8(fixed) if _MOJIBAKE.search(fixed) else fixed
    return s


def _unescape(b: bytes) -> bytes:
    if b"\\" not in b and b"''" not in b:
        return b

    def sub(m: re.Match) -> bytes:
        c = m.group(1)
        if c is None:
            return b"'"
        if c in (b"%", b"_"):
            return b"\\" + c
        return _ESCAPES.get(c, c)
    return _ESC.sub(sub, b)


def _value(field: tuple[bytes, bytes, bytes]) -> bytes:
    """One value from a ``_FIELD`` match: a string unescaped, a bare token stripped."""
    q1, q2, bare = field
    if q1:
        return _unescape(q1)
    if q2:
        return _unescape(q2.replace(b'""', b'"'))
    return bare.strip()


def _split_values(rows: list[bytes], ncols: int, pick: list[int]) -> tuple[list[list[bytes]], dict[int, int]]:
    """The exact (slower) split of VALUES tuples whose values are separated by ``", "``: the
    picked values of each row, and {row: value count} for rows with another count than ``ncols``."""
    out: list[list[bytes]] = [[] for _ in pick]
    bad: dict[int, int] = {}
    for i, inner in enumerate(rows):
        fields = _FIELD.findall(inner)
        if len(fields) != ncols:
            bad[i] = len(fields)
            for lst in out:
                lst.append(b"")
            continue
        for lst, j in zip(out, pick):
            lst.append(_value(fields[j]))
    return out, bad


def _ident(raw: bytes) -> str:
    name = raw.decode("utf-8", errors="replace").strip()
    part = re.split(r"\s*\.\s*(?=[`\"\[\w$])", name)[-1]
    return part.strip("`\"[]").lower()


def _columns_of(body: bytes) -> list[str]:
    """Column names of a CREATE TABLE body (keys and constraints skipped)."""
    text = body.decode("utf-8", errors="replace")
    parts, depth, cur, quote = [], 0, [], ""
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    cols = []
    for p in parts:
        p = p.strip()
        if not p or re.match(r"(?i)(?:PRIMARY|UNIQUE|KEY|INDEX|CONSTRAINT|FULLTEXT|SPATIAL|FOREIGN|CHECK)\b", p):
            continue
        m = re.match(r'^(?:`([^`]+)`|"([^"]+)"|\[([^\]]+)\]|([\w$]+))', p)
        if m:
            cols.append(next(g for g in m.groups() if g is not None))
    return cols


def _is_cdr(cols: list[str]) -> bool:
    h = {norm_header(c) for c in cols}
    return _CDR_NEED[0] <= h and bool(_CDR_NEED[1] & h)


class _Collector:
    """Rows of one table. Each VALUES tuple's text is kept until 50,000 are collected; then they
    are parsed together by Arrow's CSV reader (``'`` quotes, backslash escapes, doubled quotes)
    and only the wanted columns are kept, decoded, as Arrow strings."""

    def __init__(self, name: str, cols: list[str], wanted: dict[str, int], stats: dict[str, int]) -> None:
        self.name, self.cols, self.wanted, self.stats = name, cols, wanted, stats
        self.pending: list[bytes | None] = []
        self.frames: list[pd.DataFrame] = []
        self.lines = array("q")
        self.spans = array("q")        # start, end byte of each record, flat
        self.bad: dict[int, str] = {}          # record number → reason
        self.n = 0

    def add(self, inner: bytes | None, line: int, span: tuple[int, int], reason: str | None = None) -> None:
        """One VALUES tuple (its text between the parentheses), or a record rejected with ``reason``."""
        self.lines.append(line)
        self.spans.extend(span)
        if reason is not None:
            self.bad[self.n] = reason
            inner = None
        self.pending.append(inner)
        self.n += 1
        if len(self.pending) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        import pyarrow as pa
        import pyarrow.csv as pacsv
        first = self.n - len(self.pending)
        ok = [i for i, t in enumerate(self.pending) if t is not None]
        names = [f"c{j}" for j in range(len(self.cols))]
        invalid: list[tuple[int, int]] = []

        def on_invalid(row) -> str:
            invalid.append((row.number, row.actual_columns))
            return "skip"
        cols: dict[str, np.ndarray] = {k: np.full(len(self.pending), "", dtype=object) for k in self.wanted}
        exact = False
        if ok and names:
            blob = b"\n".join(self.pending[i] for i in ok)
            exact = (b", " in blob or b"\t" in blob or b"\r" in blob or blob.count(b"\n") != len(ok) - 1
                     or not _utf8(blob))
        if exact:
            # values separated by ", " (phpMyAdmin, Navicat) — or a ", " inside a string, line breaks
            # inside a tuple, bytes that are not UTF-8: the exact per-tuple split (Arrow would read a
            # quote after a space as part of the value, break rows at line ends, and needs UTF-8 to
            # report a bad row)
            vals, bad = _split_values([self.pending[i] for i in ok], len(self.cols), list(self.wanted.values()))
            for k, count in bad.items():
                self.bad[first + ok[k]] = f"has {count} values; table `{self.name}` has {len(self.cols)} columns"
            for (k, _), v in zip(self.wanted.items(), vals):
                cols[k][np.array(ok, dtype=np.int64)] = _decode(pa.array(v, type=pa.binary()), self.stats)
        elif ok and names:
            tbl = pacsv.read_csv(
                pa.py_buffer(blob),
                read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
                parse_options=pacsv.ParseOptions(quote_char="'", escape_char="\\", double_quote=True,
                                                 newlines_in_values=True, invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.binary() for c in names},
                    include_columns=[names[j] for j in self.wanted.values()],
                    strings_can_be_null=False, quoted_strings_can_be_null=False))
            bad_rows = {number - 1 for number, _ in invalid}
            for number, count in invalid:
                i = ok[number - 1]
                self.bad[first + i] = f"has {count} values; table `{self.name}` has {len(self.cols)} columns"
            kept = np.array([i for k, i in enumerate(ok) if k not in bad_rows], dtype=np.int64)
            if tbl.num_rows != len(kept):  # pragma: no cover - guarded by the checks above
                raise FormatError(f"{self.name}: {tbl.num_rows} rows parsed for {len(kept)} records")
            for k, j in self.wanted.items():
                cols[k][kept] = _decode(tbl.column(names[j]), self.stats)
        self.frames.append(pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in cols.items()}))
        self.pending = []

    def frame(self) -> pd.DataFrame:
        self.flush()
        if not self.frames:
            return pd.DataFrame({k: pd.Series([], dtype="str") for k in self.wanted})
        df = pd.concat(self.frames, ignore_index=True)
        self.frames = [df]
        return df


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(values, stats: dict[str, int]) -> np.ndarray:
    """Arrow binary → str objects: UTF-8 (cp1251 when not UTF-8), double-encoded UTF-8 repaired,
    ``NULL`` empty; each distinct value decoded once."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    enc = pc.dictionary_encode(values)
    codes = enc.indices.to_numpy(zero_copy_only=False)
    out, cp, fixed = [], [], []
    for j, b in enumerate(enc.dictionary.to_pylist()):
        try:
            t = b.decode("utf-8")
        except UnicodeDecodeError:
            t = b.decode("cp1251", errors="replace")
            cp.append(j)
        if t == "NULL":
            t = ""
        r = repair_double_utf8(t)
        if r != t:
            fixed.append(j)
        out.append(r)
    if cp:
        stats["cp1251"] += int(np.isin(codes, cp).sum())
    if fixed:
        stats["repaired"] += int(np.isin(codes, fixed).sum())
    return np.array(out, dtype=object)[codes]


class DumpTable(RawTable):
    """The result of reading a dump: the CDR table's rows (``frame_``, its records' lines and byte
    spans, so :meth:`raw` shows a record as it is in the file), scan-time rejections
    (``scan_rejects``), the queue log table (``queue_log``, None when absent; its records' lines
    ``queue_log_lines`` and :meth:`queue_log_raw`) and notes about everything else."""

    def __init__(self, path: Path, *, cdr: _Collector | None, queue_log: _Collector | None,
                 notes: list[str], gz: bool) -> None:
        super().__init__(path, encoding="utf-8", delimiter=",", rows=[], notes=notes)
        self.gz = gz
        self.frame_ = cdr.frame() if cdr is not None else pd.DataFrame()
        spans = np.asarray(cdr.spans if cdr is not None else [], dtype=np.int64).reshape(-1, 2)
        lines = np.asarray(cdr.lines if cdr is not None else [], dtype=np.int64)
        self._rec = Records(offsets=spans, lines=lines, nfields=np.zeros(len(lines), dtype=np.int64),
                            physical_lines=len(lines))
        self.scan_rejects = sorted(cdr.bad.items()) if cdr is not None else []
        self.cdr_columns = list(cdr.cols) if cdr is not None else []
        self.queue_log = queue_log.frame() if queue_log is not None else None
        self.queue_log_lines = np.asarray(queue_log.lines if queue_log is not None else [], dtype=np.int64)
        self._qspans = np.asarray(queue_log.spans if queue_log is not None else [], dtype=np.int64).reshape(-1, 2)
        self._gz_fh = None

    def head(self, n: int = 50) -> list[list[str]]:
        return []

    def sample(self, n: int = 200) -> RawTable:
        return self

    def _read(self, a: int, b: int) -> str:
        n = min(b - a, 4000)
        if not self.gz:
            with open(self.path, "rb") as fh:
                fh.seek(a)
                return fh.read(n).decode("utf-8", errors="replace")
        # gzip seeks forward cheaply: keep one handle while records are asked for in order
        if self._gz_fh is None or self._gz_fh.tell() > a:
            if self._gz_fh is not None:
                self._gz_fh.close()
            self._gz_fh = gzip.open(self.path, "rb")
        try:
            self._gz_fh.seek(a)
        except EOFError:   # (the record's bytes begin past a cut in the stream: none to show)
            return ""
        return _read_gz(self._gz_fh, n)[0].decode("utf-8", errors="replace")

    def raw(self, i: int) -> str:
        a, b = (int(x) for x in self.records.offsets[i])
        return self._read(a, b)

    def queue_log_raw(self, i: int) -> str:
        """Record ``i`` of the queue log table as it is in the file."""
        a, b = (int(x) for x in self._qspans[i])
        return self._read(a, b)

    def __del__(self) -> None:
        if getattr(self, "_gz_fh", None) is not None:
            self._gz_fh.close()


def _read_gz(fh: gzip.GzipFile, n: int) -> tuple[bytes, bool]:
    """Up to ``n`` bytes of a gzip stream, and whether the stream ended before its end-of-stream
    marker (a cut download): ``read`` raises for a cut stream and gives nothing of what it had
    decompressed in that call, ``read1`` a piece at a time keeps everything before the cut."""
    parts, size = [], 0
    try:
        while size < n:
            piece = fh.read1(n - size)
            if not piece:
                break
            parts.append(piece)
            size += len(piece)
    except EOFError:
        return b"".join(parts), True
    return b"".join(parts), False


class _Scan:
    """The streaming statement scanner behind :func:`read_dump` (one pass, bounded buffer)."""

    def __init__(self, path: Path, fh) -> None:
        self.path, self.fh = path, fh
        self.buf, self.base, self.pos, self.line, self.eof = b"", 0, 0, 1, False
        self.delim = b";"
        self.bodies: dict[bytes, re.Pattern] = {}
        self.creates: dict[str, tuple[list[str] | None, str | None]] = {}
        self.counts: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.cdr_like: dict[str, _Collector] = {}
        self.qlog: _Collector | None = None
        self.unknown_cols: set[str] = set()
        self.stats = {"repaired": 0, "cp1251": 0}
        self.cut: int | None = None
        self.gz_cut = False   # a gzip stream that ends before its end-of-stream marker

    # --- buffer ----------------------------------------------------------------------------
    def more(self) -> bool:
        """Read the next chunk (keeping the unprocessed tail); False when the end was reached before."""
        if self.eof:
            return False
        if isinstance(self.fh, gzip.GzipFile):
            chunk, cut = (b"", True) if self.gz_cut else _read_gz(self.fh, _CHUNK)
            self.gz_cut = cut
        else:
            chunk = self.fh.read(_CHUNK)
        first = self.base == 0 and self.pos == 0 and not self.buf
        self.buf = self.buf[self.pos:] + chunk
        self.base += self.pos
        self.pos = 0
        if first and self.buf.startswith(b"\xef\xbb\xbf"):
            self.pos = 3
        if not chunk:
            self.eof = True
        if len(self.buf) - self.pos > _MAX_ELEMENT:
            raise FormatError(f"{self.path}: line {self.line}: a statement or value longer than "
                              f"{_MAX_ELEMENT >> 20} MB — the dump is broken (an unterminated string?)")
        return True

    def advance(self, to: int) -> None:
        self.line += self.buf.count(b"\n", self.pos, to)
        self.pos = to

    def body_re(self) -> re.Pattern:
        d = self.delim
        if d not in self.bodies:
            stop = b"" if d[:1] == b";" else re.escape(d[:1])
            self.bodies[d] = re.compile(
                rb"(?:[^'\"`;/#\-" + stop + rb"]++|" + _STR1 + rb"|" + _STR2 + rb"|`[^`]*+`"
                rb"|/\*(?:[^*]++|\*(?!/))*+\*/|--[^\n]*+(?=\n)|#[^\n]*+(?=\n)|/(?!\*)|-(?!-))*+", re.S)
        return self.bodies[d]

    def statement_end(self) -> int | None:
        """Where the statement at ``pos`` ends (the delimiter's position), None to read more."""
        body, buf, p = self.body_re(), self.buf, self.pos
        while True:
            p = body.match(buf, p).end()
            if p >= len(buf):
                return None if not self.eof else len(buf)
            if buf.startswith(self.delim, p):
                return p
            c = buf[p:p + 1]
            if c in (b"'", b'"', b"`", b"/", b"-", b"#"):   # an unterminated string or comment
                if not self.eof:
                    return None
                return len(buf)
            p += 1     # a ';' inside a DELIMITER ;; block, or the delimiter's first character alone

    # --- tables ----------------------------------------------------------------------------
    def collector_for(self, table: str, cols: list[str] | None) -> _Collector | None:
        if cols is None:
            if table == "cdr":
                self.unknown_cols.add(table)
                return self.cdr_like.setdefault("cdr", _Collector("cdr", [], {}, self.stats))
            return None
        if _QLOG.match(table):
            if self.qlog is None:
                self.qlog = _Collector(table, cols, {c: j for j, c in enumerate(cols)}, self.stats)
            return self.qlog if self.qlog.name == table else None
        if not _is_cdr(cols):
            return None
        if table in self.cdr_like:
            return self.cdr_like[table]
        if "cdr" in self.cdr_like:
            return None          # a copy of the cdr table (a trigger's): counted only
        if table == "cdr":       # the real one: copies collected before it are only counted
            for other in list(self.cdr_like):
                self.counts[other] = self.cdr_like.pop(other).n
        wanted = {k: j for k, j in match_columns(cols, _DB_SYNONYMS).items() if k not in _UNUSED}
        self.cdr_like[table] = _Collector(table, cols, wanted, self.stats)
        return self.cdr_like[table]

    # --- the pass ----------------------------------------------------------------------------
    def run(self) -> None:
        self.more()
        state, table, coll = "top", "", None
        while True:
            if self.pos >= len(self.buf) and not self.more():
                return
            need = False
            if state == "top":
                m = _SKIP.match(self.buf, self.pos)
                if m.end() >= len(self.buf) and not self.eof:
                    need = True
                else:
                    self.advance(m.end())
                    if self.pos >= len(self.buf):
                        continue
                    state, table, coll, need = self.top()
            else:
                state, need = self.values(table, coll)
            if need and not self.more():
                if state == "insert" and self.pos < len(self.buf):
                    # the file ends inside a VALUES tuple: a cut copy; the rows before it stand
                    self.cut = self.line
                    if coll is not None:
                        coll.add(None, self.line, (self.base + self.pos, self.base + len(self.buf)),
                                 "the dump ends inside this record: the file is cut (an incomplete copy?)")
                self.advance(len(self.buf))

    def top(self) -> tuple[str, str, _Collector | None, bool]:
        buf, pos = self.buf, self.pos
        m = _DELIMITER.match(buf, pos)
        if m:
            if m.end() >= len(buf) and not self.eof:
                return "top", "", None, True
            self.delim = m.group(1)
            self.advance(m.end())
            return "top", "", None, False
        m = _INSERT.match(buf, pos)
        if m is None and not self.eof and len(buf) - pos < 4096:
            return "top", "", None, True      # perhaps an INSERT header cut by the chunk
        if m is not None:
            if m.end() >= len(buf) and not self.eof:
                return "top", "", None, True
            table = _ident(m.group("table"))
            cols_raw = m.group("cols")
            cols = ([_ident(c) for c in cols_raw.split(b",")] if cols_raw
                    else self.creates.get(table, (None, None))[0])
            self.advance(m.end())
            return "insert", table, self.collector_for(table, cols), False
        end = self.statement_end()
        if end is None:
            return "top", "", None, True
        _statement(buf[pos:end], self.creates, self.kinds)
        self.advance(min(end + len(self.delim), len(buf)))
        return "top", "", None, False

    def values(self, table: str, coll: _Collector | None) -> tuple[str, bool]:
        buf = self.buf
        m = _SKIP.match(buf, self.pos)
        self.advance(m.end())
        pos = self.pos
        if pos >= len(buf):
            return "insert", True
        if buf.startswith(b"(", pos):
            m = _TUPLE.match(buf, pos)
            if m is None:
                return "insert", True
            span, line = (self.base + pos, self.base + m.end()), self.line
            self.advance(m.end())
            self.counts[table] = self.counts.get(table, 0) + 1
            if coll is not None:
                if table in self.unknown_cols:
                    coll.add(None, line, span, "no column list in the INSERT and no CREATE TABLE `cdr` "
                                               "before it: the column order is unknown")
                else:
                    coll.add(m.group("inner"), line, span)
            return "insert", False
        if buf.startswith(b",", pos):
            self.advance(pos + 1)
            return "insert", False
        if buf.startswith(self.delim, pos):
            self.advance(pos + len(self.delim))
            return "top", False
        end = self.statement_end()   # ON DUPLICATE KEY UPDATE … : to the statement's end
        if end is None:
            return "insert", True
        self.advance(min(end + len(self.delim), len(buf)))
        return "top", False

    def notes(self, cdr: _Collector | None) -> list[str]:
        out = []
        others = {t: n for t, n in self.counts.items() if cdr is None or t != cdr.name}
        if cdr is not None:
            out.append(f"SQL dump: calls read from table `{cdr.name}` ({cdr.n} row(s))")
        else:
            out.append("SQL dump without a cdr table: no calls in it")
        if others:
            listed = ", ".join(f"`{t}` {n}" for t, n in sorted(others.items()))
            msg = f"other tables in the dump (not calls, not loaded): {listed} row(s)"
            if self.qlog is not None:
                msg += f"; `{self.qlog.name}` is read as the queue_log"
            out.append(msg)
        ignored = {k: v for k, v in self.kinds.items() if k != "table"}
        if ignored:
            out.append(", ".join(f"{v} {k}(s)" for k, v in sorted(ignored.items()))
                       + " in the dump were not executed (their INSERT statements are not data)")
        if cdr is not None and self.creates.get(cdr.name, (None, None))[1] == "latin1":
            out.append(f"table `{cdr.name}` is declared latin1")
        if self.gz_cut:
            out.append(f"the compressed dump ends before the end of its gzip stream at line {self.line}: "
                       "the file is cut (an incomplete download or copy); what comes before the cut was "
                       "read — ask for a complete copy")
        if self.cut is not None:
            out.append(f"the dump ends in the middle of an INSERT at line {self.cut}: the file is cut; "
                       "ask for a complete copy")
        if self.stats["repaired"]:
            out.append(f"{self.stats['repaired']} value(s) were UTF-8 stored as latin1 "
                       "(double-encoded, 'Ã'-style) and were repaired")
        if self.stats["cp1251"]:
            out.append(f"{self.stats['cp1251']} value(s) were not UTF-8 and were read as cp1251")
        return out


def read_dump(path: str | Path) -> DumpTable:
    """Scan an SQL dump (see the module docstring) into a :class:`DumpTable`.

    Raises
    ------
    FormatError
        When the dump is broken beyond one record (an unterminated string or statement).
    """
    path = Path(path)
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as fh:
            scan = _Scan(path, fh)
            scan.run()
    except (OSError, EOFError) as exc:
        raise FormatError(f"{path}: cannot read the compressed dump ({exc})") from None
    cdr = scan.cdr_like.get("cdr")
    if cdr is None and scan.cdr_like:
        cdr = max(scan.cdr_like.values(), key=lambda c: c.n)
    for name, c in scan.cdr_like.items():
        if c is not cdr:
            scan.counts[name] = c.n
    table = DumpTable(path, cdr=cdr, queue_log=scan.qlog, notes=[], gz=gz)
    table.notes = scan.notes(cdr)   # after the frames were decoded (they count the repairs)
    _QCACHE[_qkey(path)] = ((table.queue_log, table.queue_log_lines, table._qspans, gz)
                            if table.queue_log is not None else None)
    while len(_QCACHE) > 8:
        _QCACHE.pop(next(iter(_QCACHE)))
    return table


# the queue log of the dumps read lately: the queue_log loader needs it after load_calls has
# scanned the same dump (no second pass over a big file)
_QCACHE: dict[tuple[str, int, int], tuple | None] = {}


def _qkey(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def dump_queue_log(path: str | Path) -> DumpTable | None:
    """The dump's queuelog/queue_log table as a :class:`DumpTable` (``queue_log``,
    ``queue_log_lines``, :meth:`~DumpTable.queue_log_raw`), None when the dump has none. Scans
    the dump only when it was not read lately."""
    path = Path(path)
    key = _qkey(path)
    if key not in _QCACHE:
        read_dump(path)
    item = _QCACHE.get(key)
    if item is None:
        return None
    t = DumpTable(path, cdr=None, queue_log=None, notes=[], gz=item[3])
    t.queue_log, t.queue_log_lines, t._qspans = item[0], item[1], item[2]
    return t


def _statement(stmt: bytes, creates: dict[str, tuple[list[str], str | None]], kinds: dict[str, int]) -> None:
    """Classify a non-INSERT statement; remember CREATE TABLE columns and charset."""
    m = _CREATE.match(stmt)
    if m:
        table = _ident(m.group("table"))
        cs = _CHARSET.search(m.group("opts") or b"")
        creates[table] = (_columns_of(m.group("body")), cs.group(1).decode().lower() if cs else None)
        kinds["table"] = kinds.get("table", 0) + 1
        return
    k = _KEYWORD.match(stmt)
    if not k:
        return
    w = k.group("w").decode().lower()
    if w == "create":
        text = stmt[:2000].decode("utf-8", errors="replace").lower()
        for kind in ("trigger", "procedure", "function", "view", "event"):
            if re.search(rf"\b{kind}\b", text):
                kinds[kind] = kinds.get(kind, 0) + 1
                return


def _detect(table: RawTable) -> float:
    return 0.99 if isinstance(table, DumpTable) else 0.0


def _parse(table: RawTable, ctx: ParseContext) -> Parsed:
    from callkit.io.cdr_tables import cdr_frame_legs
    assert isinstance(table, DumpTable)
    rej = Rejects()
    for i, reason in table.scan_rejects:
        rej.add([i], reason)
    notes: list[str] = []
    df = table.frame_
    if len(df):
        df = df.set_axis(pd.RangeIndex(len(df), name="row"))
        df = df.drop(index=[i for i, _ in table.scan_rejects])
    if df.empty or not len(df.columns):
        return Parsed(pd.DataFrame(), rej.items(), notes)
    legs = cdr_frame_legs(df, table, ctx, rej, notes)
    return Parsed(legs, rej.items(), notes)


SQL_DUMP = Format("sql_dump", "CDR database dump (mysqldump / MariaDB / Navicat / phpMyAdmin .sql, parsed "
                  "not executed)", _detect, _parse)
