"""The employees directory: extension, name, department (Russian headers accepted)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from callkit.errors import FormatError
from callkit.io.base import match_columns
from callkit.io.text import read_table

__all__ = ["load_employees", "EMPLOYEE_SYNONYMS"]

EMPLOYEE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "extension": ("extension", "ext", "добавочный", "добавочный номер", "внутренний номер",
                  "внутренний", "номер", "sip"),
    "employee": ("name", "employee", "сотрудник", "фио", "менеджер", "имя", "оператор"),
    "department": ("department", "отдел", "подразделение", "группа", "dept"),
    "hire_date": ("hire_date", "hired", "дата приема", "дата найма", "дата приёма", "стаж с"),
}


#: a run of control characters (a bell, a vertical tab, a NUL from a CRM export) with the blanks
#: around it: one space in a name or a department (the workbook cannot hold them at all)
_CONTROL = re.compile(r"\s*[\x00-\x1f\x7f]+\s*")


def _hire_dates(values: pd.Series) -> pd.Series:
    """ISO dates (2023-09-04) as they are; Russian day-first dates (04.09.2023) day first."""
    iso = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
    rest = values.where(iso.isna())
    ru = pd.to_datetime(rest, errors="coerce", dayfirst=True, format="mixed")
    return iso.fillna(ru)


def load_employees(path: str | Path) -> pd.DataFrame:
    """Read an employees directory (CSV/XLSX).

    Returns
    -------
    DataFrame
        ``extension`` (string), ``employee`` (name), ``department`` (string, NA when absent) and
        ``hire_date`` (datetime64, NaT when absent). Control characters in a cell (a bell, a
        vertical tab from a CRM export), with the blanks around them, become one space.

    Raises
    ------
    FormatError
        When no extension or name column can be found (the message lists the header).

    Examples
    --------
    A file with ``Добавочный;ФИО;Отдел`` gives columns extension, employee, department.
    """
    path = Path(path)
    table = read_table(path)
    header = table.rows[0]
    idx = match_columns(header, EMPLOYEE_SYNONYMS)
    if "extension" not in idx or "employee" not in idx:
        raise FormatError(f"{path}: line {table.lines[0]}: header {header!r} has no "
                          f"{'extension' if 'extension' not in idx else 'name'} column; expected "
                          "extension/Добавочный and name/Сотрудник/ФИО (department/Отдел optional)")
    rows = []
    for i in range(1, len(table.rows)):
        r = table.rows[i]
        def get(k: str, r: list[str] = r) -> str:
            return _CONTROL.sub(" ", r[idx[k]]).strip() if k in idx and idx[k] < len(r) else ""
        ext, name = get("extension"), get("employee")
        if not ext and not name:
            continue
        rows.append({"extension": ext or None, "employee": name or ext,
                     "department": get("department") or None, "hire_date": get("hire_date") or None})
    df = pd.DataFrame(rows, columns=["extension", "employee", "department", "hire_date"])
    for c in ("extension", "employee", "department"):
        df[c] = df[c].astype("string")
    df["hire_date"] = _hire_dates(df["hire_date"])
    dup = df["extension"].dropna().duplicated()
    if dup.any():
        first = df["extension"].dropna()[dup].iloc[0]
        raise FormatError(f"{path}: extension {first!r} is listed twice; each extension must belong "
                          "to one employee")
    return df
