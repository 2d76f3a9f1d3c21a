"""The pre-audit data request (issue 6 item 5)."""
from __future__ import annotations

from callkit.cli import main
from callkit.profile import profile_from_dict
from callkit.request import SOURCES, data_request

BASE = {"client": "ООО Ромашка", "slug": "romashka", "period": {"start": "2026-10-01", "end": "2026-10-31"}}


def test_period_and_history_are_asked_for():
    text = data_request(profile_from_dict(dict(BASE), check_files=False))
    assert "01.10.2026 — 31.10.2026" in text
    # one month of history before the period: from 1 September
    assert "Выгрузить звонки за:** 01.09.2026 — 31.10.2026" in text


def test_auto_format_lists_every_source_and_a_known_format_only_its_own():
    auto = data_request(profile_from_dict(dict(BASE), check_files=False))
    assert all(title in auto for title, _, _ in SOURCES.values())
    ast = data_request(profile_from_dict({**BASE, "calls_format": "asterisk_csv"}, check_files=False))
    assert "newcdrcolumns=yes" in ast and "Манго Офис" not in ast
    assert "linkedid" in ast


def test_transcripts_section_only_when_relevant():
    plain = data_request(profile_from_dict(dict(BASE), check_files=False))
    assert "Расшифровки" not in plain
    with_script = data_request(profile_from_dict(
        {**BASE, "script": [{"stage": "greeting", "phrases": ["добрый день"]}]}, check_files=False))
    assert "Расшифровки" in with_script


def test_cli_writes_the_request(tmp_path, capsys):
    y = tmp_path / "profile.yaml"
    y.write_text("client: ООО Ромашка\nslug: romashka\nperiod: {start: 2026-10-01, end: 2026-10-31}\n",
                 encoding="utf-8")
    assert main(["request", str(y), "--out", str(tmp_path / "req")]) == 0
    out = (tmp_path / "req" / "data_request_romashka.md")
    assert str(out) in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("# Запрос данных для аудита отдела продаж: ООО Ромашка")
    assert main(["request", str(tmp_path / "nope.yaml")]) == 2


def test_the_request_asks_only_for_what_loads():
    # every format that loads has its section, and every section (but the catch-all and the
    # queue_log) is the section of a format that loads
    from callkit.io import FORMATS
    from callkit.request import FORMAT_FAMILY
    assert set(FORMAT_FAMILY) == set(FORMATS)
    assert set(SOURCES) - {"other", "queue_log"} == set(FORMAT_FAMILY.values()) - {"other"}


def test_readme_format_table_lists_what_loads():
    # the README's table under "What the loader does" names exactly the formats that load
    import re
    from pathlib import Path

    from callkit.io import FORMATS
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the loader does", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\s*\| `([a-z0-9_]+)` \|", section, flags=re.M)
    assert len(listed) == len(set(listed)) and set(listed) == set(FORMATS)


def test_queue_log_is_asked_with_asterisk_and_when_the_profile_has_one(tmp_path):
    ast = data_request(profile_from_dict({**BASE, "calls_format": "sql_dump"}, check_files=False))
    assert "mysqldump asteriskcdrdb" in ast and "/var/log/asterisk/queue_log" in ast
    assert ast.index("Asterisk / FreePBX") < ast.index("Очереди Asterisk (queue_log)")
    mango = data_request(profile_from_dict({**BASE, "calls_format": "mango"}, check_files=False))
    assert "queue_log" not in mango
    q = tmp_path / "queue_log"
    q.write_text("1790834400|NONE|NONE|NONE|QUEUESTART|\n", encoding="utf-8")
    with_q = data_request(profile_from_dict({**BASE, "calls_format": "mango", "queue_log": str(q)},
                                            base=tmp_path))
    assert "Очереди Asterisk (queue_log)" in with_q
