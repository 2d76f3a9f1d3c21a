"""The employees directory loader."""
from __future__ import annotations

import pandas as pd
import pytest

from callkit.errors import FormatError
from callkit.io import load_employees


def test_russian_headers_and_hire_dates(tmp_path):
    p = tmp_path / "emp.csv"
    p.write_text("Добавочный;ФИО;Отдел;Дата приёма\n101;Орлова Анна;Продажи;2023-09-04\n"
                 "102;Зимин Олег;;04.09.2023\n", encoding="utf-8")
    df = load_employees(p)
    assert df["extension"].tolist() == ["101", "102"]
    assert df["employee"].tolist() == ["Орлова Анна", "Зимин Олег"]
    assert df["department"].tolist()[0] == "Продажи" and pd.isna(df["department"].tolist()[1])
    # both forms are 4 September 2023 (ISO is not read day-first)
    assert df["hire_date"].tolist() == [pd.Timestamp("2023-09-04")] * 2


def test_missing_name_column_and_duplicate_extension(tmp_path):
    p = tmp_path / "emp.csv"
    p.write_text("Добавочный;Отдел\n101;Продажи\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no name column"):
        load_employees(p)
    p.write_text("extension,name\n101,A\n101,B\n", encoding="utf-8")
    with pytest.raises(FormatError, match="extension '101' is listed twice"):
        load_employees(p)


def test_control_characters_in_names_become_one_space(tmp_path):
    # a bell, a vertical tab, a form feed from a CRM export: with the blanks around them, one
    # space (Excel cannot hold them, and the name must read the same in every output)
    p = tmp_path / "emp.csv"
    p.write_bytes("extension,name,department\n101,Орлова\x07 Анна,Продажи\x0bB2B\n"
                  "102,\x0cЗимин Олег ,Сервис\n".encode())
    df = load_employees(p)
    assert df["employee"].tolist() == ["Орлова Анна", "Зимин Олег"]
    assert df["department"].tolist() == ["Продажи B2B", "Сервис"]
