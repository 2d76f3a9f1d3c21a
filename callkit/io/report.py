"""The load report and the result of :func:`callkit.io.load_calls`."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from callkit.masking import mask_text

__all__ = ["LoadReport", "LoadResult", "REJECT_COLUMNS", "note_text", "rejected_records"]

REJECT_COLUMNS = ("source_file", "source_row", "raw", "reason")
#: ``calls_load.csv``: the call export's load report as one long table (:meth:`LoadReport.table`)
CALLS_LOAD_COLUMNS = ("record", "value", "file", "line", "reason", "raw")


# Russian wording of the loader's notes (they are written in English, the report speaks Russian
# first). A note with no entry here is shown as written.
_NOTES_RU: list[tuple[re.Pattern[str], str]] = [(re.compile(p), t) for p, t in [
    (r"^(?P<f>[^:]+): header only, no data rows$", "{f}: только заголовок, строк с данными нет"),
    (r"^(?P<f>[^:]+): sheet\(s\) skipped, not a call export: (?P<s>.*)$",
     "{f}: пропущены листы, на которых нет выгрузки звонков: {s}"),
    (r"^(?P<f>[^:]+): empty sheet\(s\) not read: (?P<s>.*)$", "{f}: пустые листы не читались: {s}"),
    (r"^(?P<f>[^:]+): (?P<n>\d+) empty line\(s\) skipped: no fields, not rows$",
     "{f}: пропущено пустых строк: {n} (в них нет полей, это не строки выгрузки)"),
    (r"^no row could be loaded", "ни одна строка не загружена — причины в списке отклонённых строк"),
    (r"^(?P<f>[^:]+): (?P<n>\d+) byte\(s\) are not valid UTF-8",
     "{f}: {n} байт(а) не в кодировке UTF-8, заменены на «�»"),
    (r"^(?P<f>[^:]+): no linkedid column .* grouped by uniqueid$",
     "{f}: нет колонки linkedid (cdr.conf newcdrcolumns=no) — плечи звонка склеены по uniqueid"),
    (r"^(?P<f>[^:]+): no linkedid column .* grouped by uniqueid \((?P<u>\d+) legs\), by Local/…;1 ↔ ;2 channel "
     r"pairs \((?P<p>\d+)\), by the same caller at the same time \((?P<c>\d+)\): (?P<a>\d+) uniqueids → "
     r"(?P<b>\d+) calls$",
     "{f}: нет колонки linkedid (cdr.conf newcdrcolumns=no) — плечи склеены в звонки: по uniqueid — {u}, "
     "по паре каналов Local/…;1 ↔ ;2 — {p}, по одному звонящему в одно время (группа или очередь) — {c}; "
     "{a} uniqueid → {b} звонков"),
    (r"^(?P<f>[^:]+): no uniqueid/linkedid columns",
     "{f}: нет колонок uniqueid/linkedid — каждая строка считается отдельным звонком"),
    (r"^the export names no extensions or employees",
     "в выгрузке нет внутренних номеров и сотрудников: неизвестно, кто ответил; ответ автоответчика "
     "не отличить от ответа человека"),
    (r"^no internal calls in this export", "в выгрузке нет внутренних звонков (доля внутренних будет 0)"),
    (r"^this export has no unanswered incoming calls",
     "в выгрузке нет неотвеченных входящих (возможно, выгружены только отвеченные звонки)"),
    (r"^no incoming calls in this export", "в выгрузке нет входящих звонков"),
    (r"^no call could be attributed to an employee", "ни один звонок не привязан к сотруднику"),
    (r"^(?P<n>\d+) external call\(s\) have no client number",
     "{n} внешних звонков без номера клиента (скрытый или анонимный номер)"),
    (r"^(?P<n>\d+) external call\(s\) have a number that is not a valid phone number; (?P<k>\d+) of them",
     "{n} внешних звонков с номером, который не является телефонным; из них {k} похожи на городские "
     "номера без кода города (укажите area_code в профиле)"),
    (r"^(?P<n>\d+) external call\(s\) have a number that is not a valid phone number$",
     "{n} внешних звонков с номером, который не является телефонным"),
    (r"^(?P<n>\d+) incoming call\(s\) were answered only by the PBX",
     "{n} входящих звонков принял только автоответчик или голосовое меню (человек не ответил): считаются "
     "пропущенными"),
    (r"^(?P<f>[^:]+): (?P<n>\d+) call\(s\) with several legs joined by bleg_uuid$",
     "{f}: {n} звонков из нескольких плеч склеены по bleg_uuid"),
    (r"^(?P<f>[^:]+): (?P<n>\d+) line\(s\) above the header were skipped",
     "{f}: пропущено строк над заголовком (названия отчёта, не звонки): {n}"),
    (r"^(?P<f>[^:]+): the Mango export has no 'answer' column",
     "{f}: в выгрузке Манго нет поля answer — отвеченные звонки не отличить от неотвеченных по "
     "времени; запросите поле answer"),
    (r"^(?P<f>[^:]+): no entry_id column",
     "{f}: нет поля entry_id — каждая строка считается отдельным звонком; запросите поле entry_id"),
    (r"^(?P<f>[^:]+): no CALL_FAILED_CODE column",
     "{f}: нет колонки CALL_FAILED_CODE — звонок считается отвеченным, если его длительность больше 0"),
    (r"^(?P<f>[^:]+): no client number column",
     "{f}: нет колонки с номером клиента (Номер/Телефон/Клиент) — внешний номер неизвестен"),
    (r"^(?P<f>[^:]+): 3CX field order with missed-queue-calls",
     "{f}: порядок полей 3CX с missed-queue-calls перед именами"),
    (r"^(?P<f>[^:]+): no status column", "{f}: нет колонки статуса — звонок считается отвеченным, если есть время разговора"),
    (r"^(?P<f>[^:]+): no direction column", "{f}: нет колонки направления — все звонки считаются исходящими"),
    (r"^(?P<f>[^:]+): Bitrix24 statistics give no ring time",
     "{f}: статистика Битрикс24 не содержит времени ожидания — ring_s отвеченных звонков равно 0"),
    (r"^(?P<f>[^:]+): the only duration column \((?P<c>[^)]*)\) is taken as the talk",
     "{f}: единственная колонка длительности ({c}) принята за время разговора; время ожидания неизвестно"),
]]


def note_text(note: str, lang: str = "ru") -> str:
    """A loader note in ``lang`` (Russian wording for the known notes; English as written)."""
    if lang != "ru":
        return note
    for rx, template in _NOTES_RU:
        m = rx.search(note)
        if m:
            return template.format(**m.groupdict())
    return note


@dataclass
class LoadReport:
    """What happened to every row of the input.

    Always ``rows_read == rows_loaded + rows_rejected + duplicates``.
    """

    format: str = ""
    encoding: str = ""
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    sessions: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECT_COLUMNS)))
    notes: list[str] = field(default_factory=list)
    machine_answered: int = 0
    formats: dict[str, str] = field(default_factory=dict)      # file -> format
    encodings: dict[str, str] = field(default_factory=dict)    # file -> encoding

    @property
    def rows_rejected(self) -> int:
        return int(len(self.rejected))

    def notes_in(self, lang: str = "ru") -> list[str]:
        """The notes worded for a report in ``lang``."""
        return [note_text(n, lang) for n in self.notes]

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.duplicates

    def to_dict(self, *, max_rejected: int = 50) -> dict[str, Any]:
        """A JSON-ready dict (the ``callkit validate --json`` object; the rejected records as
        :func:`rejected_records` gives them, phone numbers masked)."""
        return {
            "format": self.format,
            "encoding": self.encoding,
            "files": self.files,
            "formats": self.formats,
            "encodings": self.encodings,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "duplicates": self.duplicates,
            "sessions": self.sessions,
            "machine_answered": self.machine_answered,
            "reconciled": self.reconciled,
            "notes": list(self.notes),
            "rejected": rejected_records(self.rejected, max_rejected),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def table(self) -> pd.DataFrame:
        """The load report as one long table (``calls_load.csv`` of ``callkit metrics``).

        Columns :data:`CALLS_LOAD_COLUMNS`: ``record`` is ``file`` (one per file or workbook sheet,
        its format and encoding in ``reason``), a count (``rows_read``, ``rows_loaded``, ``rows_rejected``,
        ``duplicates``, ``sessions``, ``machine_answered`` in ``value``), ``note``, then one
        ``rejected`` row per rejected record (``file, line, reason, raw``; ``raw`` its first
        300 characters with phone numbers masked).

        Examples
        --------
        >>> rej = pd.DataFrame({"source_file": ["a.csv"], "source_row": [7], "raw": ["x,89161234567"],
        ...                     "reason": ["has 2 fields"]})
        >>> t = LoadReport(files=["a.csv"], rows_read=3, rows_loaded=2, rejected=rej).table()
        >>> t.loc[t["record"] == "rejected", ["line", "reason", "raw"]].values.tolist()
        [[7, 'has 2 fields', 'x,+7 916 ***-**-67']]
        """
        from pathlib import Path

        rows: list[dict[str, Any]] = []
        # one row per file, or per sheet of a workbook (the keys of formats: "book.xlsx[Лист1]")
        for f in self.formats or dict.fromkeys(self.files):
            info = [x for x in (self.formats.get(f, ""), self.encodings.get(f, "")) if x]
            rows.append({"record": "file", "file": Path(f).name, "reason": " ".join(info)})
        for k in ("rows_read", "rows_loaded", "rows_rejected", "duplicates", "sessions",
                  "machine_answered"):
            rows.append({"record": k, "value": getattr(self, k)})
        rows += [{"record": "note", "reason": n} for n in self.notes]
        for r in rejected_records(self.rejected):
            rows.append({"record": "rejected", "file": Path(r["source_file"]).name,
                         "line": r["source_row"], "reason": r["reason"], "raw": r["raw"]})
        out = pd.DataFrame(rows, columns=list(CALLS_LOAD_COLUMNS))
        out["value"] = out["value"].astype("Int64")
        out["line"] = out["line"].astype("Int64")
        return out

    def summary_line(self) -> str:
        """One line for stderr: what was read, loaded and rejected, the first rejection.

        Examples
        --------
        >>> LoadReport(rows_read=5, rows_loaded=5, sessions=4).summary_line()
        'calls: 5 rows read, 5 loaded, 0 rejected, 0 duplicates; 4 sessions'
        """
        s = (f"calls: {self.rows_read} rows read, {self.rows_loaded} loaded, {self.rows_rejected} "
             f"rejected, {self.duplicates} duplicates; {self.sessions} sessions")
        if self.rows_rejected:
            r = self.rejected.iloc[0]
            s += (f"; first rejected: {r['source_file']}:{r['source_row']}: {mask_text(str(r['reason']))}"
                  " — every rejected row with its reason in calls_load.csv")
        return s

    def summary(self, *, max_rejected: int = 10) -> str:
        """A human-readable multi-line summary."""
        lines = [
            f"files:      {', '.join(self.files)}",
            f"format:     {self.format}    encoding: {self.encoding}",
            f"rows read:  {self.rows_read}",
            f"  loaded:   {self.rows_loaded}",
            f"  rejected: {self.rows_rejected}",
            f"  duplicates dropped: {self.duplicates}",
            f"sessions:   {self.sessions}" + (f" (machine-answered: {self.machine_answered})"
                                              if self.machine_answered else ""),
            f"reconciled: {'yes' if self.reconciled else 'NO'}",
        ]
        for n in self.notes:
            lines.append(f"note: {n}")
        if self.rows_rejected:
            lines.append(f"rejected rows (first {min(max_rejected, self.rows_rejected)}):")
            for r in self.rejected.head(max_rejected).itertuples(index=False):
                lines.append(f"  {r.source_file}:{r.source_row}: {mask_text(str(r.reason))}")
        return "\n".join(lines)


def rejected_records(rejected: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    """The first ``limit`` (all: None) rejected records of a load report as JSON-ready dicts
    (``source_file, source_row, raw, reason``), as every output of the CLI shows them: ``raw``
    its first 300 characters, phone numbers masked there and in the reason (a rejected line is
    a client's call; the file and line lead back to it).

    Examples
    --------
    >>> rej = pd.DataFrame({"source_file": ["a.csv"], "source_row": [7], "raw": ["x,89161234567"],
    ...                     "reason": ["column 'src' has '89161234567,'"]})
    >>> [(r["raw"], r["reason"]) for r in rejected_records(rej)]
    [('x,+7 916 ***-**-67', "column 'src' has '+7 916 ***-**-67,'")]
    """
    rows = rejected if limit is None else rejected.head(limit)
    return [{"source_file": str(r.source_file), "source_row": int(r.source_row),
             "raw": mask_text(str(r.raw)[:300]), "reason": mask_text(str(r.reason))}
            for r in rows.itertuples(index=False)]


@dataclass
class LoadResult:
    """Calls (one row per session, DESIGN §2), their legs (or None) and the load report."""

    calls: pd.DataFrame
    legs: pd.DataFrame | None
    report: LoadReport
