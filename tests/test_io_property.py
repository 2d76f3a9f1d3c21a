"""Property test: mutated exports give callkit's own errors or a reconciled report, nothing else."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callkit.errors import CallkitError
from callkit.io import load_calls
from tests.asterisk_rows import cdr_line
from tests.mutations import mutate

BASE_ROWS = [
    cdr_line(src="89720123456", dst="74950011111", channel="SIP/trunk-1", dstchannel="SIP/101-2",
             lastdata="SIP/101&SIP/102,30,tT", start="2026-10-01 10:00:00", end="2026-10-01 10:00:15",
             duration=15, billsec=0, disposition="NO ANSWER", uniqueid="1790000000.1"),
    cdr_line(src="89720123456", dst="74950011111", channel="SIP/trunk-1", dstchannel="SIP/104-5",
             start="2026-10-01 10:00:31", answer="2026-10-01 10:00:40", end="2026-10-01 10:03:40",
             duration=189, billsec=180, disposition="ANSWERED", uniqueid="1790000000.1"),
    cdr_line(src="102", dst="89750001111", channel="PJSIP/102-3", dstchannel="SIP/trunk-4",
             start="2026-10-01 12:00:00", answer="2026-10-01 12:00:10", end="2026-10-01 12:02:10",
             duration=130, billsec=120, disposition="ANSWERED", uniqueid="1790007200.3"),
    cdr_line(src="101", dst="103", channel="SIP/101-6", dstchannel="SIP/103-7",
             start="2026-10-01 13:00:00", answer="2026-10-01 13:00:05", end="2026-10-01 13:01:05",
             duration=65, billsec=60, disposition="ANSWERED", uniqueid="1790010800.4"),
]
SIPUNI = ("Тип;Статус;Время;Схема;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;"
          "Время ответа;Оценка;ID записи;Метка;ID заказа звонка;;\n"
          "входящий;отвечен;01.10.2026 10:00:00;Основная;89720123456;74950011111;101;70;60;10;;1.1;;;\n"
          "исходящий;не отвечен;01.10.2026 11:00:00;;102;89750001111;;20;0;;;1.2;;;\n")
FIXTURES = Path(__file__).parent / "data" / "io"
BASES = ["\n".join(BASE_ROWS) + "\n", SIPUNI] + [
    f.read_bytes().decode("utf-8", errors="replace") if not f.name.endswith("cp1251.csv")
    else f.read_bytes().decode("cp1251")
    for f in sorted(FIXTURES.glob("*")) if f.suffix in (".csv", ".log", ".txt", ".sql")]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 40)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.text(min_size=1, max_size=30)),
    st.tuples(st.just("dupline"), st.integers(0, 50), st.integers(0, 0)),
    st.tuples(st.just("swapdelim"), st.integers(0, 10_000), st.sampled_from([",", ";", "\t", "|", '"'])),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.integers(0, 0)),
)


@settings(max_examples=int(__import__("os").environ.get("CALLKIT_FUZZ_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(BASES), ops=st.lists(mutation, min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "cp1251"]))
def test_mutated_exports_fail_only_with_callkit_errors(base, ops, encoding):
    text = mutate(base, ops)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "calls.csv"
        p.write_bytes(text.encode(encoding, errors="replace"))
        try:
            res = load_calls(p)
        except CallkitError:
            return
        r = res.report
        assert r.rows_read == r.rows_loaded + r.rows_rejected + r.duplicates
        assert r.sessions == len(res.calls) and res.calls["call_id"].is_unique
        assert (res.calls["talk_s"] >= 0).all() and (res.calls["ring_s"].dropna() >= 0).all()


QUEUE_LOGS = [(FIXTURES / n).read_text(encoding="utf-8") for n in ("queue_log", "queue_log_pbxware.csv")]


@settings(max_examples=int(__import__("os").environ.get("CALLKIT_FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(QUEUE_LOGS), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_queue_logs_fail_only_with_callkit_errors(base, ops):
    # the queue_log reader and every table built on it: callkit's own error or a reconciled
    # report whose tables hold together (an agent's on-line time never exceeds the hour)
    from callkit.io.queuelog import load_queue_log
    from callkit.metrics.queues import agent_availability, queue_tables
    text = mutate(base, ops)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "queue_log"
        p.write_text(text, encoding="utf-8")
        try:
            q = load_queue_log(p)
        except CallkitError:
            return
        assert q.report.reconciled
        _, qt = queue_tables(q.events)
        assert qt.queues["offered"].sum() <= len(qt.entries)
        a = agent_availability(qt.sessions, start=q.start, end=q.end)
        assert ((a["available_s"] >= -1e-6) & (a["available_s"] <= a["logged_in_s"] + 1e-6)
                & (a["logged_in_s"] <= a["observed_s"] + 1e-6)).all()
