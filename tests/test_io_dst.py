"""Local times across DST changes (issue 13, item 6), resolved per the tz database.

Europe/Berlin 2026: spring-forward Sun 29 March 02:00 CET -> 03:00 CEST (02:xx does not exist),
fall-back Sun 25 October 03:00 CEST -> 02:00 CET (02:xx happens twice).
America/New_York 2026: spring-forward Sun 8 March 02:00 EST -> 03:00 EDT, fall-back Sun 1
November 02:00 EDT -> 01:00 EST (01:xx happens twice).
"""
from __future__ import annotations

import pandas as pd
import pytest

from callkit.io import load_calls
from callkit.io.values import _localize, parse_datetimes
from tests.asterisk_rows import cdr_line


def _leg(start: str, answer: str, end: str, duration: int, billsec: int, uid: str) -> str:
    return cdr_line(src="89161234567", dst="101", channel="SIP/trunk-1", dstchannel="SIP/101-2",
                    start=start, answer=answer, end=end, duration=duration, billsec=billsec,
                    disposition="ANSWERED", uniqueid=uid)


def _load(tmp_path, lines: list[str], tz: str) -> pd.DataFrame:
    p = tmp_path / "Master.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = load_calls(p, tz=tz)
    assert res.report.rows_rejected == 0, res.report.rejected["reason"].tolist()
    return res.calls.set_index("call_id")


@pytest.mark.parametrize("tz, day, start, answer, end", [
    # rings from 01:59:00 summer time; answered 100 s later, when the clock reads 02:00:40 (summer
    # time, first pass). Read as winter time the ring was 3700 s.
    ("Europe/Berlin", "2026-10-25", "01:59:00", "02:00:40", "02:05:40"),
    # starts in the first pass (02:59 CEST), answered after the clock went back (02:00:40 CET)
    ("Europe/Berlin", "2026-10-25", "02:59:00", "02:00:40", "02:05:40"),
    # New York: 01:59 EDT (first pass), answered at 01:00:40 EST (second pass)
    ("America/New_York", "2026-11-01", "01:59:00", "01:00:40", "01:05:40"),
    ("America/New_York", "2026-11-01", "00:59:00", "01:00:40", "01:05:40"),
])
def test_call_across_fall_back_keeps_its_real_ring_and_talk(tmp_path, tz, day, start, answer, end):
    # duration 400 s = ring 100 + talk 300, by the export's own counters
    calls = _load(tmp_path, [_leg(f"{day} {start}", f"{day} {answer}", f"{day} {end}", 400, 300, "1.1")], tz)
    c = calls.loc["1.1"]
    assert c["ring_s"] == 100 and c["talk_s"] == 300
    assert (c["end"] - c["start"]).total_seconds() == 400
    assert c["start"] <= c["answered_at"] <= c["end"]


@pytest.mark.parametrize("tz, day", [("Europe/Berlin", "2026-03-29"), ("America/New_York", "2026-03-08")])
def test_spring_forward_answer_is_never_before_the_start(tmp_path, tz, day):
    # a clock that has not moved yet: 01:59:30 + 40 s ring + 60 s talk written as 02:00:10 / 02:01:10
    calls = _load(tmp_path, [_leg(f"{day} 01:59:30", f"{day} 02:00:10", f"{day} 02:01:10", 100, 60, "1.1")], tz)
    a = calls.loc["1.1"]
    assert (a["ring_s"], a["talk_s"], (a["end"] - a["start"]).total_seconds()) == (40, 60, 100)
    # a start written in the skipped hour (02:59), the end by a clock that has moved (03:02), no
    # answer time: answered_at = end - talk. Taking 02:59 as 03:00 (shift forward) put the answer
    # 30 s before the start; the durations (180 s in all, 150 s talk) say it began at 01:59 winter time
    p = tmp_path / "report.csv"
    p.write_text("Начало;Окончание;Длительность;Разговор;Номер;Сотрудник;Направление;Статус\n"
                 f"{day} 02:59:00;{day} 03:02:00;180;150;+79161234567;Орлова Анна;Входящий;Отвечен\n",
                 encoding="utf-8")
    res = load_calls(p, tz=tz)
    b = res.calls.iloc[0]
    assert res.report.rows_loaded == 1
    assert b["answered_at"] >= b["start"] and b["ring_s"] == 30 and b["talk_s"] == 150
    assert (b["end"] - b["start"]).total_seconds() == 180


def test_repeated_hour_starts_follow_the_file_order(tmp_path):
    # four calls in file (time) order: 02:10 and 02:40 in the first pass, then the clock goes
    # back and 02:05 and 02:30 are in the second pass: the instants must keep that order
    day = "2026-10-25"
    lines = [_leg(f"{day} 02:{m:02d}:00", f"{day} 02:{m:02d}:10", f"{day} 02:{m + 1:02d}:10", 70, 60, f"1.{i}")
             for i, m in enumerate((10, 40, 5, 30))]
    calls = _load(tmp_path, lines, "Europe/Berlin")
    utc = calls.loc[["1.0", "1.1", "1.2", "1.3"], "start"].dt.tz_convert("UTC").dt.strftime("%H:%M").tolist()
    # 02:10 CEST = 00:10 UTC, 02:40 CEST = 00:40 UTC, 02:05 CET = 01:05 UTC, 02:30 CET = 01:30 UTC
    assert utc == ["00:10", "00:40", "01:05", "01:30"]


def test_localize_follows_pep_495():
    ts = pd.Series(pd.to_datetime(["2026-10-25 02:30", "2026-03-29 02:30", "2026-07-01 12:00"]))
    alt: dict = {}
    out = _localize(ts, "Europe/Berlin", alt).dt.tz_convert("UTC").dt.strftime("%H:%M").tolist()
    # ambiguous: first pass (CEST, 00:30 UTC); non-existent: the offset before the change (CET:
    # 01:30 UTC, i.e. 03:30 CEST); ordinary times have no alternative
    assert out == ["00:30", "01:30", "10:00"]
    assert {k: v.tz_convert("UTC").strftime("%H:%M") for k, v in alt.items()} == {0: "01:30", 1: "00:30"}


def test_parse_datetimes_never_raises_on_dst_times():
    s, bad = parse_datetimes(pd.Series(["2026-11-01 01:30:00", "2026-03-08 02:30:00"]), tz="America/New_York")
    assert not bad.any() and s.notna().all()
