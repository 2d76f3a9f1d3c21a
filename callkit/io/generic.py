"""Generic call logs with a header row (CSV/TSV/XLSX from CRMs, spreadsheets, provider UIs).

Columns are recognised by Russian and English synonyms (``Дата``/``Время``/``Начало``,
``Длительность``/``Длительность разговора``, ``Сотрудник``/``Менеджер``/``Добавочный``,
``Номер``/``Телефон``/``Клиент``, ``Направление``/``Тип``, ``Статус``/``Результат`` …) or named
explicitly with ``column_map`` (canonical field → the file's column name). Separate date and time
columns are combined.

This module also holds the pieces the header-based provider formats share (column matching,
row-width checks, the parties/status/direction logic): :func:`match_columns`,
:func:`header_rows`, :func:`build_legs`, :func:`map_direction`, :func:`map_status_loose`,
:func:`person_like`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from callkit.errors import FormatError
from callkit.io.base import (
    Format,
    ParseContext,
    Parsed,
    Rejects,
    legs_frame,
    map_status,
    match_columns,
    times_from,
)
from callkit.io.text import RawTable, norm_header
from callkit.io.values import DURATION_EXPECTED, parse_durations

__all__ = [
    "GENERIC", "GENERIC_SYNONYMS", "CANONICAL_FIELDS", "match_columns", "header_rows", "build_legs",
    "map_direction", "map_status_loose", "person_like", "row_keys",
]

# Canonical fields of a generic call log. Order matters: more specific fields claim their
# columns first ("Длительность разговора" is talk, not the total "Длительность").
GENERIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "call id", "callid", "id звонка", "идентификатор", "идентификатор звонка", "uniqueid",
           "№", "номер звонка"),
    "talk": ("длительность разговора", "продолжительность разговора", "время разговора", "разговор",
             "talk", "talk time", "talk duration", "billsec", "conversation", "разговор сек"),
    "ring": ("ожидание", "время ожидания", "длительность ожидания", "время до ответа", "время ответа",
             "ring", "ring time", "wait", "wait time", "waiting", "ringing"),
    "duration": ("длительность", "продолжительность", "длительность звонка", "продолжительность звонка",
                 "общая длительность", "duration", "total duration", "length"),
    "datetime": ("дата и время", "дата время", "дата/время", "date time", "datetime", "date and time",
                 "дата звонка", "время звонка", "start time", "call date", "calldate", "начало звонка",
                 "время начала", "дата начала"),
    "date": ("дата", "date", "day", "день"),
    "time": ("время", "time"),
    "start": ("начало", "start", "started", "start date"),
    "end": ("окончание", "конец", "end", "end time", "время окончания", "finish"),
    "answered_at": ("время ответа на звонок", "answered at", "answer time", "answer"),
    "employee": ("сотрудник", "менеджер", "оператор", "ответственный", "фио сотрудника", "пользователь",
                 "employee", "agent", "manager", "operator", "user", "кто ответил"),
    "extension": ("добавочный", "добавочный номер", "внутренний номер", "внутренний", "номер сотрудника",
                  "номер менеджера", "номер оператора", "телефон сотрудника", "телефон менеджера",
                  "extension", "ext", "agent extension"),
    "client": ("номер клиента", "телефон клиента", "клиент", "номер телефона", "телефон", "номер",
               "client", "client number", "customer", "phone", "phone number", "number", "contact"),
    "from": ("откуда", "кто звонил", "звонящий", "from", "caller", "src", "source"),
    "to": ("куда", "кому", "вызываемый", "to", "callee", "dst", "destination"),
    "direction": ("направление", "тип звонка", "тип", "direction", "type", "call type"),
    "status": ("статус", "результат", "статус звонка", "результат звонка", "status", "result",
               "disposition", "outcome"),
    "line": ("линия", "номер линии", "номер компании", "наш номер", "входящая линия", "line", "trunk", "did",
             "virtual number"),
}
CANONICAL_FIELDS: tuple[str, ...] = tuple(GENERIC_SYNONYMS)
_MAP_ALIASES = {"client_number": "client", "number": "client", "phone": "client", "call_id": "id",
                "talk_s": "talk", "billsec": "talk", "ring_s": "ring", "wait": "ring",
                "start_time": "start", "answer": "answered_at", "src": "from", "dst": "to"}

_DIRECTION_WORDS: dict[str, str] = {
    "incoming": "incoming", "in": "incoming", "inbound": "incoming", "inc": "incoming",
    "входящий": "incoming", "входящие": "incoming", "входящая": "incoming", "входящее": "incoming",
    "вх": "incoming", "вх.": "incoming", "входящий звонок": "incoming",
    "outgoing": "outgoing", "out": "outgoing", "outbound": "outgoing", "outg": "outgoing",
    "исходящий": "outgoing", "исходящие": "outgoing", "исходящая": "outgoing", "исходящее": "outgoing",
    "исх": "outgoing", "исх.": "outgoing", "исходящий звонок": "outgoing",
    "internal": "internal", "local": "internal", "внутренний": "internal", "внутренние": "internal",
    "внутренняя": "internal", "внутр.": "internal", "внутренний звонок": "internal",
}
_DIR_STEMS = (("вход", "incoming"), ("исход", "outgoing"), ("внутр", "internal"),
              ("incoming", "incoming"), ("outgoing", "outgoing"), ("inbound", "incoming"),
              ("outbound", "outgoing"), ("internal", "internal"), ("обратн", "outgoing"),
              ("callback", "outgoing"))
_STATUS_STEMS = (  # checked in order: negative phrases before positive ones
    ("не отвеч", "missed"), ("неотвеч", "missed"), ("не принят", "missed"), ("непринят", "missed"),
    ("неуспеш", "missed"), ("не успеш", "missed"), ("недозвон", "missed"), ("сброш", "missed"),
    ("сброс", "missed"), ("голосов", "missed"), ("voicemail", "missed"),
    ("пропущ", "missed"), ("без ответа", "missed"), ("нет ответа", "missed"), ("не дозвон", "missed"),
    ("не состоял", "missed"), ("no answer", "missed"), ("no-answer", "missed"), ("noanswer", "missed"),
    ("missed", "missed"), ("unanswered", "missed"), ("abandon", "missed"), ("cancel", "missed"),
    ("занят", "busy"), ("busy", "busy"), ("отклон", "busy"), ("reject", "busy"), ("declin", "busy"),
    ("ошибк", "failed"), ("неудач", "failed"), ("fail", "failed"), ("недоступ", "failed"),
    ("congestion", "failed"),
    ("отвечен", "answered"), ("принят", "answered"), ("успеш", "answered"), ("состоял", "answered"),
    ("answered", "answered"), ("completed", "answered"), ("success", "answered"), ("разговор", "answered"),
)
_ANON = re.compile(r"^(?:anonymous|unknown|restricted|private|unavailable|скрыт\w*|неизвестн\w*|аноним\w*|"
                   r"нет номера|-+|—)$", re.I)
_LETTER = re.compile(r"[A-Za-zА-Яа-яЁё]")
_EXT = re.compile(r"^\d{1,5}$")
_SIP = re.compile(r"^(?:sips?|tel):", re.I)


def row_keys(table: RawTable, idx: pd.Index) -> pd.Series:
    """A per-record fallback session key ``file:line``."""
    return pd.Series([f"{table.name}:{table.lines[i]}" for i in idx], index=idx, dtype="object")


def header_rows(table: RawTable, header_pos: int, *, strict_width: bool = True,
                rej: Rejects | None = None) -> tuple[list[int], list[int], Rejects]:
    """Split the records after a header into good rows and rejects.

    A record is rejected when it repeats the header, or has non-empty cells beyond the header's
    width (a delimiter problem), or — for text files when ``strict_width`` — fewer cells than the
    header's non-empty part (a truncated line). Trailing empty header cells (``…;ID заказа;;``) are
    ignored.

    Returns
    -------
    (good, data_rows, rejects)
    """
    rej = rej or Rejects()
    header = table.rows[header_pos]
    width = len(header)
    while width and not str(header[width - 1]).strip():
        width -= 1
    hnorm = [norm_header(c) for c in header[:width]]
    good: list[int] = []
    data_rows = list(range(header_pos + 1, len(table.rows)))
    text_file = table.encoding != "xlsx"
    for i in data_rows:
        r = table.rows[i]
        cells = list(r)
        while len(cells) > width and not str(cells[-1]).strip():
            cells.pop()
        if [norm_header(c) for c in r[:width]] == hnorm:
            rej.add([i], "repeated header line")
        elif len(cells) > width:
            rej.add([i], f"has {len(cells)} fields; the header has {width} (a delimiter inside a value "
                         f"or a merged line?)")
        elif strict_width and text_file and len(cells) < width - 1:
            rej.add([i], f"has {len(cells)} fields; the header has {width} (a truncated line?)")
        else:
            good.append(i)
    return good, data_rows, rej


def person_like(values: pd.Series) -> pd.Series:
    """True where a party string names a person: a 1–5 digit extension or a name with letters.

    Phone numbers, ``sip:`` URIs and "anonymous"/"скрыт" markers are not persons.

    >>> person_like(pd.Series(["101", "Иванов Иван", "+7 972 012-34-56", "anonymous", "", None])).tolist()
    [True, True, False, False, False, False]
    """
    s = values.astype("string").str.strip().fillna("")
    ext = s.str.match(_EXT)
    named = s.str.contains(_LETTER) & ~s.str.match(_ANON) & ~s.str.match(_SIP) & ~s.str.contains("@", regex=False)
    return (ext | named).fillna(False).astype(bool)


def map_direction(values: pd.Series) -> pd.Series:
    """Provider direction labels → ``incoming``/``outgoing``/``internal`` (NA when unknown).

    >>> map_direction(pd.Series(["Входящий", "out", "исходящий звонок", "??"])).tolist()
    ['incoming', 'outgoing', 'outgoing', <NA>]
    """
    k = values.astype("string").str.strip().str.lower().str.replace("ё", "е", regex=False)
    out = k.map(_DIRECTION_WORDS).astype("string")
    for stem, val in _DIR_STEMS:
        hit = out.isna() & k.str.contains(stem, regex=False).fillna(False)
        out[hit] = val
    return out


def map_status_loose(values: pd.Series) -> pd.Series:
    """Status words → answered/missed/busy/failed, by exact word then by stem (NA when unknown).

    >>> map_status_loose(pd.Series(["Отвечен", "Входящий пропущенный", "Занято", "???"])).tolist()
    ['answered', 'missed', 'busy', <NA>]
    """
    out = map_status(values)
    k = values.astype("string").str.strip().str.lower().str.replace("ё", "е", regex=False)
    for stem, val in _STATUS_STEMS:
        hit = out.isna() & k.str.contains(stem, regex=False).fillna(False)
        out[hit] = val
    return out


def _nonempty(s: pd.Series) -> pd.Series:
    t = s.astype("string").str.strip()
    return (t.notna() & (t != "")).astype(bool)


def _blank(s: pd.Series) -> pd.Series:
    v = s.astype("object")
    t = v.astype("string").str.strip()
    return v.where(t.notna() & (t != "") & ~t.str.match(_ANON).fillna(False), None)


def build_legs(df: pd.DataFrame, table: RawTable, ctx: ParseContext, rej: Rejects, *,
               start: str, end: str | None = None, answer: str | None = None,
               duration: str | None = None, talk: str | None = None, ring: str | None = None,
               start_label: str | None = None, labels: dict[str, str] | None = None,
               direction: pd.Series | None = None, status: pd.Series | None = None,
               key: pd.Series | None = None, employee: pd.Series | None = None,
               client: pd.Series | None = None, src: pd.Series | None = None,
               dst: pd.Series | None = None, answered_by: pd.Series | None = None,
               line: pd.Series | None = None) -> pd.DataFrame:
    """Turn one-row-per-call (or per-leg) records into the leg frame of :data:`LEG_INPUT`.

    Parameters
    ----------
    df : DataFrame
        Raw strings of the good records (from :func:`~callkit.io.base.legs_frame`), indexed by
        record number in ``table``.
    table, ctx, rej
        The table read, the parse context (time zone) and the rejects collector; bad times,
        durations and times out of order are added to ``rej`` with reasons.
    start, end, answer, duration, talk, ring : str, optional
        Names of the ``df`` columns with the start, end and answer times, the total, talk and
        ring (wait) seconds. Any of end / duration / talk + ring gives the end; talk or ring
        gives the answer time. ``start_label`` and ``labels`` (``df`` column → the file's header
        name) make the rejection reasons name the file's own columns.
    direction, status : Series, optional
        Canonical ``incoming``/``outgoing``/``internal`` and ``answered``/``missed``/``busy``/
        ``failed`` (the caller maps and rejects unknown words). Without ``status`` a record is
        answered when it has talk time or an answer time. Unanswered records get no answer time
        and 0 talk.
    key : Series, optional
        The export's call id: records sharing it are legs of one call; an empty id makes the
        record its own call keyed ``file:line`` (``leg_id`` stays NA then).
    employee, client : Series, optional
        Parties as a CRM lists them, placed by ``direction``: incoming → the client calls the
        employee; outgoing or unknown → the employee calls the client.
    src, dst, answered_by : Series, optional
        Parties as a PBX lists them (from / to / who answered). Persons (extensions, names) are
        told from numbers by :func:`person_like`. On an incoming call a non-person ``dst`` (the
        company's number) becomes the line; likewise a non-person ``src`` of an outgoing call.
        ``answered_by`` names the callee of incoming calls only.
    line : Series, optional
        The company number or trunk, when the export has one.

    Returns
    -------
    DataFrame
        One row per record with the columns of :data:`~callkit.io.base.LEG_INPUT`.
    """
    idx = df.index
    # work on the time columns under the file's own header names, so reasons name them
    keys = [k for k in dict.fromkeys((start, end, answer, duration, talk, ring)) if k is not None]
    names = {k: (labels or {}).get(k, k) for k in keys}
    if len(set(names.values())) < len(names):
        names = {k: k for k in keys}
    work = df[keys].rename(columns=names)
    start, end, answer, duration, talk, ring = (None if k is None else names[k]
                                                for k in (start, end, answer, duration, talk, ring))
    work = work.copy()
    ring_s = None
    if ring is not None:
        ring_s, badr = parse_durations(work[ring])
        rej.add(idx[badr], lambda r: f"column {ring!r} has {str(work.at[r, ring])!r}; " + DURATION_EXPECTED)
    dur_col = duration
    if duration is None and end is None and (talk is not None or ring is not None):
        t0 = parse_durations(work[talk])[0] if talk is not None else pd.Series(0.0, index=idx)
        total = t0.fillna(0) + (ring_s.fillna(0) if ring_s is not None else 0)
        work["_total"] = total.astype(str)
        dur_col = "_total"
    t = times_from(work, rej, table, ctx, start=start, answer=answer, end=end, duration=dur_col,
                   talk=talk, start_label=start_label)
    ans_at = t["answered_at"]
    talk_s = t["talk_s"]
    if ring_s is not None and talk is None and answer is None:
        # only ring seconds: the answer came ring seconds after the start
        cand = t["start"] + pd.to_timedelta(ring_s.fillna(0), unit="s")
        ok = (t["end"] > cand).fillna(False)
        ans_at = ans_at.where(~ok, cand)
        talk_s = ((t["end"] - ans_at).dt.total_seconds()).where(ans_at.notna(), 0.0).fillna(0.0)
    if status is None:
        st = pd.Series(np.where((talk_s > 0) | ans_at.notna(), "answered", "missed"), index=idx, dtype="string")
    else:
        st = status.astype("string").reindex(idx)
    answered = st.eq("answered").fillna(False)
    # answered with no answer time: start + ring if known, else end − talk
    need = answered & ans_at.isna()
    if need.any():
        if ring_s is not None:
            fill = t["start"] + pd.to_timedelta(ring_s.fillna(0), unit="s")
        else:
            fill = t["end"] - pd.to_timedelta(talk_s.fillna(0), unit="s")
        ans_at = ans_at.where(~need, fill)
    ans_at = ans_at.where(answered)
    talk_s = talk_s.where(answered, 0.0).astype(float)

    none = pd.Series(None, index=idx, dtype="object")
    dirn = direction.astype("string").reindex(idx) if direction is not None else pd.Series(pd.NA, index=idx, dtype="string")
    line_h = _blank(line) if line is not None else none.copy()
    if src is not None or dst is not None:
        s = _blank(src) if src is not None else none.copy()
        d = _blank(dst) if dst is not None else none.copy()
        s_p = person_like(s.fillna(""))
        d_p = person_like(d.fillna(""))
        caller_p = s.where(s_p, None)
        callee_p = d.where(d_p, None)
        inc = dirn.eq("incoming").fillna(False)
        out = dirn.eq("outgoing").fillna(False)
        if answered_by is not None:
            # who answered names the company side of an incoming call; on an outgoing call the
            # client answers (some exports repeat the caller's extension there: ignored)
            ab = _blank(answered_by)
            ab_ok = person_like(ab.fillna("")) & ab.notna() & ~out & (ab.astype("string") != s.astype("string")).fillna(True)
            callee_p = ab.where(ab_ok, callee_p)
        # the company's own number on the company side is the line, not a party
        to_line = inc & d.notna() & ~d_p
        line_h = line_h.where(~(to_line & line_h.isna()), d)
        d = d.where(~to_line, None)
        from_line = out & s.notna() & ~s_p
        line_h = line_h.where(~(from_line & line_h.isna()), s)
        s = s.where(~from_line, None)
    else:
        emp = _blank(employee) if employee is not None else none.copy()
        cl = _blank(client) if client is not None else none.copy()
        inc = dirn.eq("incoming").fillna(False)
        internal = dirn.eq("internal").fillna(False)
        s = cl.where(inc, None)
        d = cl.where(~inc, None)
        caller_p = emp.where(~inc, None)
        callee_p = emp.where(inc, None)
        cl_p = person_like(cl.fillna(""))
        callee_p = callee_p.where(~(internal & cl_p), cl)
    rk = row_keys(table, idx)
    if key is None:
        session_key, leg_id = rk, none.copy()
    else:
        has = _nonempty(key)
        session_key = key.astype("object").where(has, rk).astype(str)
        leg_id = key.astype("object").where(has, None)   # the export's own id, never a line number
    out_df = pd.DataFrame({
        "session_key": session_key,
        "leg_id": leg_id,
        "start": t["start"], "answered_at": ans_at, "end": t["end"], "talk_s": talk_s,
        "src": s, "dst": d, "caller_person": caller_p, "callee_person": callee_p,
        "leg_status": st, "direction_hint": dirn.astype("object").where(dirn.notna(), None),
        "line_hint": line_h, "app": None, "row": idx,
    }, index=idx)
    return out_df


# ----------------------------------------------------------------------------- generic format

def _find_header(table: RawTable, column_map: dict[str, str] | None, n: int = 10) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for pos in range(min(n, len(table.rows))):
        row = table.rows[pos]
        if column_map:
            names = {norm_header(c) for c in row}
            if all(norm_header(v) in names for v in column_map.values()):
                return pos, match_columns(row, GENERIC_SYNONYMS)
            continue
        if sum(1 for c in row if re.fullmatch(r"[\d\s.:+()/-]+", str(c).strip() or "x")) > len(row) / 2:
            continue  # a data row
        found = match_columns(row, GENERIC_SYNONYMS)
        has_time = bool({"datetime", "date", "start"} & found.keys()) or "time" in found
        has_party = bool({"client", "from", "to"} & found.keys())
        if has_time and has_party:
            return pos, found
        if has_time and best is None and len(found) >= 3:
            best = (pos, found)
    return best


def _detect(table: RawTable) -> float:
    hit = _find_header(table, None, n=5)
    if hit is None:
        return 0.0
    found = hit[1]
    if {"client", "from", "to"} & found.keys():
        return 0.45 if len(found) >= 3 else 0.4
    return 0.0


def _apply_column_map(table: RawTable, column_map: dict[str, str]) -> tuple[int, dict[str, int]]:
    fields: dict[str, str] = {}
    for k, v in column_map.items():
        key = _MAP_ALIASES.get(str(k), str(k))
        if key not in GENERIC_SYNONYMS:
            raise FormatError(f"{table.path}: column_map has unknown field {k!r}; expected some of "
                              f"{sorted(GENERIC_SYNONYMS)}")
        fields[key] = str(v)
    hit = _find_header(table, fields)
    if hit is None:
        header = table.rows[0] if table.rows else []
        names = {norm_header(c) for c in header}
        missing = next(v for v in fields.values() if norm_header(v) not in names)
        raise FormatError(f"{table.path}: column_map names column {missing!r}, which the file lacks; "
                          f"its header is {header!r}")
    pos, found = hit
    header = table.rows[pos]
    normed = [norm_header(c) for c in header]
    explicit = {k: normed.index(norm_header(v)) for k, v in fields.items()}
    # explicit names win; auto-matched fields keep only the columns nobody claimed explicitly
    merged = {k: i for k, i in found.items() if i not in explicit.values() and k not in explicit}
    merged.update(explicit)
    return pos, merged


def _combine_date_time(df: pd.DataFrame) -> pd.Series:
    d = df["date"].astype("string").str.strip().fillna("")
    t = df["time"].astype("string").str.strip().fillna("")
    d = d.str.split(" ").str[0].fillna("")      # an Excel date cell may carry " 00:00:00"
    t = t.str.split(" ").str[-1].fillna("")     # an Excel time cell may carry "1899-12-30 "
    both = (d != "") & (t != "")
    return (d + " " + t).where(both, d.where(d != "", ""))


def _parse(table: RawTable, ctx: ParseContext) -> Parsed:
    if not table.rows:
        raise FormatError(f"{table.path}: no rows")
    if ctx.column_map:
        pos, idx = _apply_column_map(table, ctx.column_map)
    else:
        hit = _find_header(table, None)
        if hit is None:
            raise FormatError(f"{table.path}: no header row with a date/time column found in the first "
                              f"lines (first line {table.raw(0)[:120]!r}); name the columns with "
                              "column_map, e.g. {'start': 'Дата', 'client': 'Телефон'}")
        pos, idx = hit
    table.header, table.header_line = table.rows[pos], table.lines[pos]
    notes: list[str] = []
    if pos:
        notes.append(f"{table.name}: {pos} line(s) above the header were skipped (titles, not calls)")
    good, data_rows, rej = header_rows(table, pos)
    # a "datetime" column that only holds dates, with a separate time column: treat as date
    if "datetime" in idx and "time" in idx and "date" not in idx:
        idx["date"] = idx.pop("datetime")
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), notes, data_rows=data_rows)
    header = table.rows[pos]
    label = {k: str(header[i]) for k, i in idx.items()}
    if "date" in df and "time" in df:
        df["_start"] = _combine_date_time(df)
        start, slabel = "_start", f"{label['date']} + {label['time']}"
    else:
        for k in ("datetime", "start", "date", "time"):
            if k in df:
                start, slabel = k, label[k]
                break
        else:
            raise FormatError(f"{table.path}: no date/time column in the header {header!r}; expected one "
                              "like Дата, Время, Начало, Дата и время, date, start (or a column_map)")
    # direction and status
    direction = None
    if "direction" in df:
        direction = map_direction(df["direction"])
        bad = direction.isna()
        rej.add(df.index[bad], lambda r: f"column {label['direction']!r} has {df.at[r, 'direction']!r}; "
                                         "expected входящий/исходящий/внутренний or incoming/outgoing/internal")
    elif not ({"from", "to"} & set(df.columns)):
        notes.append(f"{table.name}: no direction column: every call is taken as outgoing "
                     "(the employee calls the number); map one with column_map={'direction': ...}")
    status = None
    if "status" in df:
        status = map_status_loose(df["status"])
        rej.add(df.index[status.isna()], lambda r: f"column {label['status']!r} has {df.at[r, 'status']!r}; "
                "expected a call result such as отвечен/пропущен/занято or answered/missed/busy/failed")
    else:
        notes.append(f"{table.name}: no status column: a call counts as answered when it has talk time")
    key = df.get("id")
    talk_col = "talk" if "talk" in df else None
    dur_col = "duration" if "duration" in df else None
    if dur_col and not ({"talk", "ring", "end", "answered_at"} & set(df.columns)):
        # one duration column and nothing else: CRM reports mean the conversation by it
        talk_col, dur_col = "duration", None
        notes.append(f"{table.name}: the only duration column ({label['duration']!r}) is taken as the talk "
                     "time of answered calls; ring time is unknown (ring_s 0 for answered calls)")
    emp = None
    if "employee" in df:
        emp = df["employee"]
        if "extension" in df:
            e = df["employee"].astype("string").str.strip().fillna("")
            emp = df["employee"].where(e != "", df["extension"])
    elif "extension" in df:
        emp = df["extension"]
    legs = build_legs(
        df, table, ctx, rej, start=start, start_label=slabel, labels=label,
        end="end" if "end" in df else None,
        answer="answered_at" if "answered_at" in df else None,
        duration=dur_col, talk=talk_col, ring="ring" if "ring" in df else None,
        direction=direction, status=status, key=key,
        employee=emp, client=df.get("client"),
        src=df.get("from") if ("from" in df or "to" in df) else None,
        dst=df.get("to") if ("from" in df or "to" in df) else None,
        answered_by=emp if ("from" in df or "to" in df) else None,
        line=df.get("line"),
    )
    if "from" not in df and "to" not in df and "client" not in df:
        notes.append(f"{table.name}: no client number column (Номер/Телефон/Клиент/number): "
                     "the external party is unknown")
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


GENERIC = Format("generic", "Any CSV/XLSX call log with a header (Russian/English column names or a column_map)",
                 _detect, _parse)
