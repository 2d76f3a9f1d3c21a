"""audit_from_load + write_metrics: the CSVs of DESIGN §5 on a hand-worked log."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_metrics_helpers import call, calls_frame

from callkit import schema
from callkit.audit import METRIC_FILES, audit_from_load, write_metrics
from callkit.errors import InputError
from callkit.profile import Thresholds

S = "Sales"
OLD, NEW1, NEW2, NEW3 = "+74950012345", "+79720123456", "+79730123457", "+79740123458"
OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def log():
    return calls_frame([
        # the history month: OLD is an existing client
        call("h1", "2026-09-15 10:00", "outgoing", "answered", "Ann", OLD, talk=100, dept=S, ext="101"),
        # Ann works two days
        call("a1", "2026-10-05 10:00", "outgoing", "answered", "Ann", OLD, talk=60, dept=S, ext="101"),
        call("a2", "2026-10-05 10:10", "outgoing", "answered", "Ann", NEW1, talk=120, dept=S, ext="101"),
        call("a3", "2026-10-06 11:00", "incoming", "answered", "Ann", NEW2, talk=30, dept=S, ext="101"),
        # Bob: one day, a missed call on his line called back after 30 h (outside the window)
        call("b1", "2026-10-05 12:00", "incoming", "missed", "Bob", NEW3, ring=20, dept=S, ext="102"),
        call("b2", "2026-10-06 18:00", "outgoing", "busy", "Bob", NEW3, dept=S, ext="102"),
        call("b3", "2026-10-06 18:05", "internal", "answered", "Bob", None, talk=30, dept=S, ext="102"),
    ])


def test_audit_tables_and_csvs(tmp_path):
    # the history starts 2026-09-15: a 20-day look-back makes October judgeable from 10-05
    audit = audit_from_load(log(), period=OCT, thresholds=Thresholds(), lang="en",
                            previous_period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
                            lookback_days=20)
    assert audit.period == OCT and audit.speech is None
    assert audit.coverage.sufficient and not audit.previous_coverage.sufficient
    files = write_metrics(audit, tmp_path / "out")
    assert [p.name for p in files] == list(METRIC_FILES)

    m = pd.read_csv(tmp_path / "out" / "managers.csv", encoding="utf-8")
    assert list(m.columns[:3]) == ["employee", "extension", "department"]
    m = m.set_index("employee")
    # Ann: a1 a2 outgoing + a3 answered incoming = 3 external over 2 days -> 1.5 per day;
    # outgoing to new numbers: a2 only (OLD known from September) -> 0.5 per day
    assert m.loc["Ann", "external_calls"] == 3 and m.loc["Ann", "days_active"] == 2
    assert m.loc["Ann", "external_calls_per_day"] == 1.5
    assert m.loc["Ann", "outgoing_new_clients_per_day"] == 0.5
    # Bob: b2 outgoing + b3 internal on 10-06 only (b1 was missed) -> 1 active day
    assert m.loc["Bob", "days_active"] == 1 and m.loc["Bob", "internal_share"] == 0.5

    c = pd.read_csv(tmp_path / "out" / "compare.csv")
    assert list(c.columns) == ["department", "employee", "metric", "value", "best", "gap", "flagged",
                               "role", "reference", "spread", "peers"]
    assert {"external_calls_per_day", "outgoing_new_clients_per_day"} <= set(c["metric"])
    # nobody has 3 active days -> nobody is flagged
    assert not c["flagged"].any()

    miss = pd.read_csv(tmp_path / "out" / "missed.csv")
    assert list(miss.columns) == ["call_id", "start", "client_number", "department", "employee",
                                  "callback_at", "callback_delay_s", "reached", "lost",
                                  "in_hours", "called_back", "answering_group", "at_line_ceiling",
                                  "short_ring"]
    r = miss.iloc[0]
    # 10-05 12:00 -> 10-06 18:00 = 30 h = 108000 s, busy -> not reached, lost
    assert r.call_id == "b1" and r.callback_delay_s == 108000 and not r.reached and r.lost
    assert r.start == "2026-10-05 12:00:00+03:00"

    t = pd.read_csv(tmp_path / "out" / "traffic.csv")
    assert list(t.columns) == ["weekday", "hour", "incoming", "answered", "missed", "missed_rate",
                               "days"]
    assert t["incoming"].sum() == 2 and t["missed"].sum() == 1
    s = pd.read_csv(tmp_path / "out" / "staffing.csv")
    assert list(s.columns) == ["weekday", "hour", "calls_per_hour", "aht_s", "erlangs",
                               "required_agents", "active_employees", "max_concurrent",
                               "understaffed"]
    k = pd.read_csv(tmp_path / "out" / "concentration.csv").set_index("employee")
    assert list(k.columns[:4]) == ["department", "counted", "days_active", "incoming_answered"]
    # Ann answered a3, the department's only answered incoming -> share 1.0; Bob's b1 was
    # missed. Clients: Ann OLD, NEW1, NEW2 (a1-a3); Bob NEW3 (the busy attempt b2) -> 3/4, 1/4
    assert k.loc["Ann", "incoming_share"] == 1.0 and k.loc["Bob", "incoming_share"] == 0.0
    assert k.loc["Ann", "clients"] == 3 and k.loc["Bob", "clients_share"] == 0.25
    assert k.loc["Ann", "clients_new"] == 2          # NEW1, NEW2 (OLD known from September)
    # nobody has 3 active days -> n = 0, no even share
    assert not k["counted"].any() and k["even_share"].isna().all()
    f = pd.read_csv(tmp_path / "out" / "findings.csv")
    assert list(f.columns) == ["finding_id", "rule", "severity", "subject", "metric", "value",
                               "reference", "n", "impact_calls", "impact_rub", "evidence_n",
                               "action", "text", "impact_unit", "impact", "n_unit"]
    assert f.empty      # 7 calls are too little data for any rule
    ev = pd.read_csv(tmp_path / "out" / "evidence.csv")
    assert list(ev.columns) == ["finding_id", "call_id", "start", "employee", "client_number",
                                "direction", "status", "talk_s", "note"] and ev.empty
    # managers.csv: the role, inferred from the call mix (nobody has 20 external calls -> the
    # default, hunter), and presence at peaks
    assert set(m["role"]) == {"hunter"} and set(m["role_source"]) == {"inferred"}
    assert {"peak_slots", "absent_slots", "absent_share"} <= set(m.columns)

    calls = pd.read_csv(tmp_path / "out" / "calls.csv", dtype=str)
    assert list(calls.columns[:14]) == list(schema.CALL_COLUMNS)
    assert list(calls.columns[-10:]) == ["in_period", "in_hours", "first_contact", "client_status",
                                         "is_new_client", "call_kind_fallback",
                                         "department_inferred", "entry_point", "answering_group",
                                         "at_line_ceiling"]
    assert len(calls) == 7       # history rows are kept, flagged in_period False
    flags = dict(zip(calls["call_id"], calls["is_new_client"]))
    assert flags["a1"] == "False" and flags["a2"] == "True"

    # period over period against September: Ann made 1 external call then, 3 now
    pop = audit.pop.set_index(["employee", "metric"])
    assert pop.loc[("Ann", "external_calls"), "previous"] == 1
    assert pop.loc[("Ann", "external_calls"), "change"] == 2
    # September cannot be judged for new clients (its first judgeable date is 10-05), so the
    # new-client metrics are not compared at all, and a note says why
    assert not {"outgoing_new_clients", "outgoing_new_clients_per_day",
                "new_clients_reached"} & set(audit.pop["metric"])
    assert any("5 октября 2026" in n or "5 October 2026" in n for n in audit.notes)   # in words


def test_period_none_uses_the_whole_data_range():
    a = audit_from_load(log())
    assert a.period == (dt.date(2026, 9, 15), dt.date(2026, 10, 6)) and a.pop is None


def test_no_calls_in_period():
    with pytest.raises(InputError, match="No calls inside the period"):
        audit_from_load(log(), period=(dt.date(2027, 1, 1), dt.date(2027, 1, 31)))


def test_through_the_asterisk_loader(tmp_path):
    """A queue call answered on the 3rd leg is one answered incoming for the 3rd agent only;
    an internal call counts for the caller and (via peer_employee) the callee."""
    from callkit.io import load_calls
    from tests.asterisk_rows import cdr_line

    day = "2026-10-01 "
    q = dict(src="89720123456", dst="74950011111", channel="SIP/trunk-00000001", lastapp="Queue",
             uniqueid="2001.1", dcontext="from-trunk")
    lines = [
        cdr_line(**q, dstchannel="SIP/101-00000002", start=day + "10:00:00", end=day + "10:00:15",
                 duration=15, billsec=0, disposition="NO ANSWER"),
        cdr_line(**q, dstchannel="SIP/102-00000003", start=day + "10:00:15", end=day + "10:00:30",
                 duration=15, billsec=0, disposition="NO ANSWER"),
        cdr_line(**q, dstchannel="SIP/103-00000004", start=day + "10:00:30", answer=day + "10:00:35",
                 end=day + "10:02:35", duration=125, billsec=120, disposition="ANSWERED"),
        cdr_line(src="101", dst="102", channel="SIP/101-00000005", dstchannel="SIP/102-00000006",
                 start=day + "11:00:00", answer=day + "11:00:05", end=day + "11:01:05", duration=65,
                 billsec=60, disposition="ANSWERED", uniqueid="2002.1"),
    ]
    master = tmp_path / "Master.csv"
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    emp = pd.DataFrame({"extension": ["101", "102", "103"], "employee": ["Ann", "Bob", "Carl"],
                        "department": [S, S, S]})
    load = load_calls(master, employees=emp, own_numbers=["+74950011111"])
    a = audit_from_load(load, employees=emp)
    m = a.managers.set_index("employee")
    # the queue call: one answered incoming session, credited to Carl (3rd leg), 120 s talk
    assert m.loc["Carl", "incoming_answered"] == 1 and m.loc["Carl", "talk_s_total"] == 120
    assert m.loc["Ann", "incoming_answered"] == 0 and m.loc["Bob", "incoming_answered"] == 0
    # two agents rang without answering: the session was answered, so nobody "missed" it
    assert m["incoming_missed"].sum() == 0 and a.missed.empty
    # internal 101 -> 102: Ann placed it, Bob answered it -> 1 each; share 1/(0+1) = 1.0
    assert m.loc["Ann", "internal_calls"] == 1 and m.loc["Bob", "internal_calls"] == 1
    assert m.loc["Bob", "internal_share"] == 1.0 and m.loc["Bob", "days_active"] == 1
    files = write_metrics(a, tmp_path / "out")
    assert all(p.stat().st_size > 0 for p in files)


def test_run_metrics_from_a_calls_file(tmp_path):
    from callkit.audit import run_metrics
    from tests.asterisk_rows import cdr_line

    day = "2026-10-01 "
    master = tmp_path / "Master.csv"
    master.write_text(cdr_line(src="101", dst="89720123456", channel="SIP/101-00000001",
                               dstchannel="SIP/trunk-00000002", start=day + "10:00:00",
                               answer=day + "10:00:10", end=day + "10:01:10", duration=70,
                               billsec=60, disposition="ANSWERED", uniqueid="3001.1") + "\n",
                      encoding="utf-8")
    emp = tmp_path / "employees.csv"
    emp.write_text("extension,name,department\n101,Ann,Sales\n102,Bob,Sales\n", encoding="utf-8")
    files = run_metrics(master, out=tmp_path / "m", employees=emp)
    assert [p.name for p in files] == [*METRIC_FILES, "calls_load.csv"]
    m = pd.read_csv(tmp_path / "m" / "managers.csv").set_index("employee")
    # one answered outgoing of 60 s; Bob from the directory has a zero row
    assert m.loc["Ann", "outgoing"] == 1 and m.loc["Ann", "talk_s_total"] == 60
    assert m.loc["Bob", "external_calls"] == 0


def test_build_audit_passes_line_area_codes(tmp_path):
    """Two offices: a local 7-digit caller ID on the line mapped to area code 495 becomes
    +7 495 …; the same kind of number on an unmapped line stays ``invalid``."""
    from callkit.audit import build_audit
    from callkit.profile import load_profile
    from tests.asterisk_rows import cdr_line

    day = "2026-10-01 "

    def inc(src, dst, uid, hh):
        return cdr_line(src=src, dst=dst, channel="SIP/trunk-0000000" + uid[-1],
                        dstchannel="SIP/101-0000001" + uid[-1], start=day + hh + ":00:00",
                        answer=day + hh + ":00:05", end=day + hh + ":01:05", duration=65,
                        billsec=60, disposition="ANSWERED", uniqueid=uid, dcontext="from-trunk")

    (tmp_path / "Master.csv").write_text(
        inc("0012345", "74950011111", "4001.1", "10") + "\n"
        + inc("0012346", "74950022222", "4002.1", "11") + "\n", encoding="utf-8")
    (tmp_path / "employees.csv").write_text("extension,name,department\n101,Ann,Sales\n",
                                            encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        "client: Test\nslug: test\ntimezone: Europe/Moscow\nregion: RU\n"
        "calls: [Master.csv]\nemployees: employees.csv\n"
        "own_numbers: ['+74950011111', '+74950022222']\n"
        "line_area_codes: {'+74950011111': '495'}\n", encoding="utf-8")
    a = build_audit(load_profile(tmp_path / "p.yaml"))
    c = a.calls.set_index(schema.CALL_ID)
    assert c.loc["4001.1", schema.CLIENT_NUMBER] == "+74950012345"
    assert c.loc["4001.1", schema.NUMBER_TYPE] == "landline"
    assert c.loc["4002.1", schema.NUMBER_TYPE] == "invalid"
    assert a.speech is None and a.speech_load is None      # no transcripts in the profile


def test_build_audit_on_the_sample_runs_the_speech_audit(tmp_path):
    """data_samples has 150 transcribed calls: the audit keeps the transcript load report and
    writes speech.csv (one row per transcribed call) and checklist.csv beside the metrics."""
    from pathlib import Path

    from callkit.audit import build_audit
    from callkit.profile import load_profile

    prof = load_profile(Path(__file__).resolve().parents[1] / "data_samples" / "profile.yaml")
    a = build_audit(prof)
    assert a.speech_load.report.calls == 150 and a.speech_load.report.calls_matched == 150
    files = [p.name for p in write_metrics(a, tmp_path)]
    assert files[-3:] == ["speech.csv", "checklist.csv", "transcripts_load.csv"]
    sp = pd.read_csv(tmp_path / "speech.csv", dtype={"call_id": str})
    assert len(sp) == 150 and {"call_id", "employee", "call_kind", "script_score"} <= set(sp.columns)
    # every transcribed call's employee is the one the call table names for that session
    calls = a.calls.set_index(schema.CALL_ID)[schema.EMPLOYEE].astype(str)
    assert (sp["employee"].astype(str).to_numpy() == calls.loc[sp["call_id"].astype(str)].to_numpy()).all()


def test_profile_roles_reach_managers_csv_and_an_unknown_name_is_reported(tmp_path):
    from callkit.errors import DataQualityWarning

    with pytest.warns(DataQualityWarning, match="'Bobb' is neither an employee nor a department"):
        audit = audit_from_load(log(), period=OCT, roles={"Ann": "farmer", "Bobb": "inbound"})
    m = audit.managers.set_index("employee")
    assert (m.loc["Ann", "role"], m.loc["Ann", "role_source"]) == ("farmer", "profile")
    assert (m.loc["Bob", "role"], m.loc["Bob", "role_source"]) == ("hunter", "inferred")
    assert audit.notes[0] == ("roles: 'Bobb' is neither an employee nor a department of the "
                              "audit; its role was not applied")
    c = audit.compare.set_index(["employee", "metric"])
    assert c.loc[("Ann", "external_calls_per_day"), "role"] == "farmer"


def test_client_flag_columns_are_the_columns_add_client_flags_sets():
    # the audit computes the answering groups on a second thread and takes these columns from
    # the client flags' table: the constant must name every column add_client_flags adds
    from callkit import classify

    calls = log()
    flagged = classify.add_client_flags(calls, period=OCT, lookback_days=20)
    assert tuple(flagged.columns[len(calls.columns):]) == classify.CLIENT_FLAG_COLUMNS


def test_the_capacity_half_on_its_thread_matches_the_public_functions_on_the_final_table():
    # audit_from_load computes missed calls, groups, staffing and the technical signals on a
    # second thread from the flagged table before at_line_ceiling is marked on it: the same
    # functions run afterwards, one after the other, on the audit's own table give the same
    from sample_audits import sample_audit

    from callkit import classify
    from callkit.metrics import concurrency, missed_calls, staffing, tech_signals, to_call_back
    from callkit.metrics.staffing import group_staffing
    from callkit.metrics.tech import line_ceiling

    _, a = sample_audit(7)
    th, wh = a.thresholds, a.working_hours
    flagged = a.calls.drop(columns=[classify.AT_LINE_CEILING])
    conc = concurrency(flagged)
    ceiling = line_ceiling(flagged, conc=conc)
    assert ceiling.at_ceiling.any()   # the sample reaches its line ceiling: the column says something
    assert (a.calls[classify.AT_LINE_CEILING].to_numpy() == ceiling.at_ceiling).all()
    missed = missed_calls(flagged, window_h=th.callback_window_h, working_hours=wh, ceiling=ceiling)
    pd.testing.assert_frame_equal(a.missed, missed)
    pd.testing.assert_frame_equal(a.to_call_back, to_call_back(missed))
    groups = group_staffing(flagged, service_level=th.service_level, answer_within_s=th.answer_within_s,
                            wrapup_s=th.wrapup_s, working_hours=wh, ceiling=ceiling)
    pd.testing.assert_frame_equal(a.groups, groups)
    pd.testing.assert_frame_equal(
        a.staffing, staffing(flagged, service_level=th.service_level, answer_within_s=th.answer_within_s,
                             wrapup_s=th.wrapup_s, conc=conc, working_hours=wh, groups=groups,
                             ceiling=ceiling))
    pd.testing.assert_frame_equal(a.tech, tech_signals(flagged, conc=conc, working_hours=wh, ceiling=ceiling))


def test_the_audit_is_the_same_with_its_halves_one_after_the_other(monkeypatch):
    # a table above AUDIT_THREAD_MAX_CALLS is audited on one thread (memory): the tables are
    # the same as those of the two threads
    from sample_audits import sample_audit

    from callkit import audit as A

    _, threaded = sample_audit(7)
    monkeypatch.setattr(A, "AUDIT_THREAD_MAX_CALLS", 0)
    _, one = sample_audit.__wrapped__(7)     # (built again, not the cached audit)
    for name in ("calls", "managers", "missed", "to_call_back", "groups", "staffing", "tech", "findings",
                 "evidence", "concentration"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(threaded, name), obj=name)
    assert one.notes == threaded.notes and one.headline == threaded.headline


def test_the_audit_without_the_legs_is_the_same_on_two_threads(monkeypatch):
    # keep_legs=False (callkit metrics): the load's legs are given back once the answering groups
    # are read from them, and the halves run on two threads whatever the size (the 2 GB of a 10M
    # leg table pay for it; a call table without legs keeps the limit) — every table the same as
    # the audit that keeps its legs, here on one thread (AUDIT_THREAD_MAX_CALLS 0)
    import threading

    from callkit import audit as A
    from callkit.io import load_calls, load_employees
    from tests.conftest import DATA_SAMPLES

    emp = load_employees(DATA_SAMPLES / "employees.csv")
    on_main = []
    real = A._capacity

    def capacity(*args, **kw):
        on_main.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kw)
    monkeypatch.setattr(A, "_capacity", capacity)
    monkeypatch.setattr(A, "AUDIT_THREAD_MAX_CALLS", 0)
    kept = load_calls(DATA_SAMPLES / "calls" / "Master.csv", employees=emp)
    one = audit_from_load(kept, employees=emp)
    given = load_calls(DATA_SAMPLES / "calls" / "Master.csv", employees=emp)
    two = audit_from_load(given, employees=emp, keep_legs=False)
    audit_from_load(kept.calls, employees=emp, keep_legs=False)   # no legs to give back: one thread
    assert on_main == [True, False, True]
    assert len(kept.legs) == kept.report.rows_loaded and given.legs is None
    assert two.calls["answering_group"].notna().sum() > 0   # (the groups were read from the legs)
    for name in ("calls", "managers", "missed", "to_call_back", "groups", "staffing", "tech", "findings",
                 "evidence", "concentration"):
        pd.testing.assert_frame_equal(getattr(two, name), getattr(one, name), obj=name)
    assert two.notes == one.notes and two.headline == one.headline
