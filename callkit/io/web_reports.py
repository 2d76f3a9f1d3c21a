"""Reports downloaded from a provider's web interface (FORMATS.md §7.4).

* ``uis_web`` — the UIS / CoMagic "calls report" CSV saved from the web page: report-title lines
  (report name, period, filters) above the header, the header in Russian starting ``Статус;Тип;
  Дата и время;Номер абонента;Длительность звонка;…`` with ``Длительность ожидания ответа``,
  ``Длительность разговора``, ``Сотрудник``; times ``%Y-%m-%d %H:%M:%S``, durations
  ``HH:MM:SS``; UTF-8 with BOM or cp1251. One row per call.
"""
from __future__ import annotations

import pandas as pd

from callkit.io.base import Format, ParseContext, Parsed, legs_frame, match_columns
from callkit.io.generic import build_legs, header_rows, map_direction, map_status_loose
from callkit.io.text import RawTable, norm_header

__all__ = ["UIS_WEB"]

_UIS_WEB_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id сессии", "id звонка", "идентификатор сессии", "id"),
    "status": ("статус", "статус звонка"),
    "type": ("тип", "тип звонка", "направление"),
    "start": ("дата и время", "дата/время", "время начала звонка", "дата и время звонка"),
    "client": ("номер абонента", "абонент", "номер клиента"),
    "line": ("виртуальный номер", "номер, на который звонили", "номер линии", "услуга"),
    "wait": ("длительность ожидания ответа", "время ожидания ответа", "длительность ожидания"),
    "talk": ("длительность разговора", "время разговора"),
    "duration": ("длительность звонка", "общая длительность", "длительность"),
    "employee": ("сотрудник", "сотрудники", "ответивший сотрудник", "сотрудник, принявший звонок"),
}
_MARKERS = {"статус", "тип", "дата и время", "номер абонента"}
_SCAN = 30


def _find_header(table: RawTable) -> int | None:
    for pos, row in enumerate(table.head(_SCAN)):
        h = {norm_header(c) for c in row}
        if _MARKERS <= h:
            return pos
    return None


def _detect(table: RawTable) -> float:
    return 0.96 if _find_header(table) is not None else 0.0


def _parse(table: RawTable, ctx: ParseContext) -> Parsed:
    pos = _find_header(table)
    assert pos is not None   # detection found it
    header = table.rows[pos]
    table.header, table.header_line = header, table.lines[pos]
    idx = match_columns(header, _UIS_WEB_SYNONYMS)
    good, data_rows, rej = header_rows(table, pos)
    notes = [f"{table.name}: {pos} line(s) above the header were skipped (titles, not calls)"] if pos else []
    df = legs_frame(table, good, idx)
    if df.empty:
        return Parsed(pd.DataFrame(), rej.items(), notes, data_rows=data_rows)
    label = {k: str(header[i]) for k, i in idx.items()}
    direction = map_direction(df["type"])
    rej.add(df.index[direction.isna()], lambda r: f"column {label['type']!r} has {df.at[r, 'type']!r}; "
                                                  "expected Входящий, Исходящий or Внутренний")
    status = map_status_loose(df["status"])
    rej.add(df.index[status.isna()], lambda r: f"column {label['status']!r} has {df.at[r, 'status']!r}; "
                                               "expected a call result such as Успешный/Неуспешный")
    emp = df.get("employee")
    if emp is not None:   # several employees after a transfer: the first one took the call
        emp = emp.astype("string").str.split(r"\s*[,;]\s*", regex=True).str[0]
    legs = build_legs(df, table, ctx, rej, start="start", start_label=label["start"], labels=label,
                      duration="duration" if "duration" in df else None,
                      talk="talk" if "talk" in df else None, ring="wait" if "wait" in df else None,
                      direction=direction, status=status, key=df.get("id"), employee=emp,
                      client=df.get("client"), line=df.get("line"))
    return Parsed(legs, rej.items(), notes, data_rows=data_rows)


UIS_WEB = Format("uis_web", "UIS/CoMagic calls report saved from the web page (title lines, Russian header)",
                 _detect, _parse)
