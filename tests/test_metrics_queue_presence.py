"""With a queue_log, presence at peaks and the people on the line come from the agents' log-ins and
pauses (callkit.metrics.queues.agent_availability), not from "had a call" — on one hand-worked
Monday (2026-10-05, Moscow time, working hours Mon–Fri 09:00–18:00).

The queue_log (queue 500) runs 09:00:00–12:00:00:

* Анна (201) joins at 09:00, lunch pause 10:15–10:45, stays to the log's end (12:00);
* Борис (202) joins at 09:20, pauses 10:00–10:40, leaves at 11:30;
* Вера (203) is a static member: she takes a queue call but never logs in (log-in time unknown);
* Глеб (204) is not in the log at all.

On the line (logged in and not paused), per hour of the log (each hour fully observed):

=========  ==============  ===============  ===============
agent      09:00           10:00            11:00
=========  ==============  ===============  ===============
Анна       3600 s = 1.0    1800 s = 0.5     3600 s = 1.0
Борис      2400 s = 0.667  1200 s = 0.333   1800 s = 0.5
=========  ==============  ===============  ===============

The calls of the day (department Поддержка): incoming c1 09:10 Анна, c2 10:05 Вера, m1 10:20
missed, c3 10:50 Борис, c4 11:05 Анна; Борис's outgoing 10:10 (while paused) and Глеб's outgoing
11:10.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_metrics_helpers import call, calls_frame

from callkit.io.queuelog import load_queue_log
from callkit.metrics.hours import WorkingHours
from callkit.metrics.queues import agent_availability, agent_summary, queue_tables
from callkit.metrics.staffing import group_staffing
from callkit.metrics.traffic import presence_at_peaks, presence_summary

TZ = "Europe/Moscow"
DEP = "Поддержка"
EMP = pd.DataFrame({"extension": ["201", "202", "203", "204"], "employee": ["Анна", "Борис", "Вера", "Глеб"],
                    "department": [DEP] * 4})
DAY = "2026-10-05 "
N1, N2, N3, N4, N5 = "+79720000001", "+79720000002", "+79720000003", "+79720000004", "+79720000005"

#: (local time, callid, queue, member, event, data…)
EVENTS = [
    ("09:00:00", "NONE", "NONE", "NONE", "QUEUESTART"),
    ("09:00:00", "NONE", "500", "SIP/201", "ADDMEMBER"),
    ("09:10:00", "u1", "500", "NONE", "ENTERQUEUE", "", "89720000001", "1"),
    ("09:10:05", "u1", "500", "SIP/201", "CONNECT", "5", "u1b", "5"),
    ("09:12:05", "u1", "500", "SIP/201", "COMPLETECALLER", "5", "120", "1"),
    ("09:20:00", "NONE", "500", "SIP/202", "ADDMEMBER"),
    ("10:00:00", "NONE", "500", "SIP/202", "PAUSE", ""),
    ("10:05:00", "u2", "500", "NONE", "ENTERQUEUE", "", "89720000002", "1"),
    ("10:05:05", "u2", "500", "SIP/203", "CONNECT", "5", "u2b", "5"),
    ("10:10:05", "u2", "500", "SIP/203", "COMPLETEAGENT", "5", "300", "1"),
    ("10:15:00", "NONE", "500", "SIP/201", "PAUSE", "Обед"),
    ("10:20:00", "u5", "500", "NONE", "ENTERQUEUE", "", "89720000005", "1"),
    ("10:20:40", "u5", "500", "NONE", "ABANDON", "1", "1", "40"),
    ("10:40:00", "NONE", "500", "SIP/202", "UNPAUSE", ""),
    ("10:45:00", "NONE", "500", "SIP/201", "UNPAUSE", ""),
    ("10:50:00", "u3", "500", "NONE", "ENTERQUEUE", "", "89720000003", "1"),
    ("10:50:05", "u3", "500", "SIP/202", "CONNECT", "5", "u3b", "5"),
    ("10:55:05", "u3", "500", "SIP/202", "COMPLETECALLER", "5", "300", "1"),
    ("11:05:00", "u4", "500", "NONE", "ENTERQUEUE", "", "89720000004", "1"),
    ("11:05:05", "u4", "500", "SIP/201", "CONNECT", "5", "u4b", "5"),
    ("11:08:05", "u4", "500", "SIP/201", "COMPLETECALLER", "5", "180", "1"),
    ("11:30:00", "NONE", "500", "SIP/202", "REMOVEMEMBER"),
    ("12:00:00", "NONE", "NONE", "NONE", "CONFIGRELOAD"),
]


def _epoch(hms: str) -> int:
    return int(pd.Timestamp(DAY + hms, tz=TZ).timestamp())


@pytest.fixture(scope="module")
def qlog(tmp_path_factory):
    p = tmp_path_factory.mktemp("ql") / "queue_log"
    p.write_text("".join("|".join([str(_epoch(e[0])), *e[1:]]) + "\n" for e in EVENTS), encoding="utf-8")
    return load_queue_log(p, tz=TZ, employees=EMP)


def _calls() -> pd.DataFrame:
    return calls_frame([
        call("u1", DAY + "09:10", "incoming", "answered", "Анна", N1, talk=120, dept=DEP),
        call("u2", DAY + "10:05", "incoming", "answered", "Вера", N2, talk=300, dept=DEP),
        call("u5", DAY + "10:20", "incoming", "missed", None, N5, dept=DEP),
        call("u3", DAY + "10:50", "incoming", "answered", "Борис", N3, talk=300, dept=DEP),
        call("u4", DAY + "11:05", "incoming", "answered", "Анна", N4, talk=180, dept=DEP),
        call("o1", DAY + "10:10", "outgoing", "answered", "Борис", N4, talk=120, dept=DEP),
        call("o2", DAY + "11:10", "outgoing", "answered", "Глеб", N1, talk=60, dept=DEP),
    ])


@pytest.fixture(scope="module")
def avail(qlog):
    _, qt = queue_tables(qlog.events)
    return agent_availability(qt.sessions, start=qlog.start, end=qlog.end, working_hours=WorkingHours.default())


def test_availability_hand_worked(qlog, avail):
    # only the agents who log in; hour 12 is not in the log (it ends at 12:00:00)
    assert sorted(avail["employee"].unique()) == ["Анна", "Борис"]
    a = avail.set_index(["employee", "hour"])
    assert a["available_s"].to_dict() == {("Анна", 9): 3600.0, ("Анна", 10): 1800.0, ("Анна", 11): 3600.0,
                                          ("Борис", 9): 2400.0, ("Борис", 10): 1200.0, ("Борис", 11): 1800.0}
    # Борис is logged in all of hour 10 (paused 40 min of it), half of hour 11
    assert a.loc[("Борис", 10), "logged_in_s"] == 3600 and a.loc[("Борис", 11), "logged_in_s"] == 1800
    assert a.loc[("Борис", 9), "available_share"] == pytest.approx(2 / 3)
    assert a["covered"].all() and (a["observed_s"] == 3600).all()
    assert (avail["department"] == DEP).all()
    # the hours add up to agents.csv: logged-in − paused (Анна 10800 − 1800, Борис 7800 − 2400)
    ag = agent_summary(qlog.events).set_index("employee")
    for who in ("Анна", "Борис"):
        assert avail.loc[avail["employee"] == who, "available_s"].sum() == \
            ag.loc[who, "logged_in_s"] - ag.loc[who, "paused_s"]


def test_an_hour_the_log_barely_sees_is_not_covered(qlog):
    # the same log read from 09:50: hour 9 has 600 of its 3600 s observed (< half): not covered
    _, qt = queue_tables(qlog.events)
    a = agent_availability(qt.sessions, start=pd.Timestamp(DAY + "09:50", tz=TZ), end=qlog.end,
                           working_hours=WorkingHours.default()).set_index(["employee", "hour"])
    assert a.loc[("Анна", 9), "observed_s"] == 600 and not a.loc[("Анна", 9), "covered"]
    assert a.loc[("Анна", 10), "covered"]


def test_presence_from_log_ins_and_pauses(avail):
    calls = _calls()
    # the department's top 3 hours by incoming: 10 (u2, u5, u3), then 9 and 11 (one each)
    by_calls = presence_at_peaks(calls, top=3)
    by_log = presence_at_peaks(calls, top=3, available=avail)
    assert (by_calls["source"] == "calls").all()
    got = {(r["employee"], r["hour"]): (r["present"], r["source"]) for r in by_log.to_dict("records")}
    # Анна: on the line 1.0 / 0.5 / 1.0 — present in all three (at 10 exactly half: present),
    # though by her calls she was absent at 10 (lunch)
    # Борис: 0.667 / 0.333 / 0.5 — absent at 10 although two of his calls overlap it (paused),
    # present at 9 and 11 without a call
    # Вера (static member) and Глеб (not in the log): by their calls
    assert got == {("Анна", 9): (True, "queue_log"), ("Анна", 10): (True, "queue_log"),
                   ("Анна", 11): (True, "queue_log"),
                   ("Борис", 9): (True, "queue_log"), ("Борис", 10): (False, "queue_log"),
                   ("Борис", 11): (True, "queue_log"),
                   ("Вера", 9): (False, "calls"), ("Вера", 10): (True, "calls"), ("Вера", 11): (False, "calls"),
                   ("Глеб", 9): (False, "calls"), ("Глеб", 10): (False, "calls"), ("Глеб", 11): (True, "calls")}
    share = by_log.set_index(["employee", "hour"])["available_share"]
    assert share[("Борис", 10)] == pytest.approx(1 / 3) and math.isnan(share[("Вера", 10)])
    old = presence_summary(by_calls).set_index("employee")["absent_slots"].to_dict()
    new = presence_summary(by_log).set_index("employee")["absent_slots"].to_dict()
    # by calls: Анна absent at 10, Борис at 9 and 11; by the log: Анна never, Борис at 10
    assert old == {"Анна": 1, "Борис": 2, "Вера": 2, "Глеб": 2}
    assert new == {"Анна": 0, "Борис": 1, "Вера": 2, "Глеб": 2}


def test_a_log_in_alone_makes_a_worked_day(avail):
    # without Анна's and Борис's calls they still worked that day: the log says they logged in
    calls = _calls()
    calls = calls[~calls["employee"].isin(["Анна", "Борис"]) | calls["employee"].isna()]
    calls = calls.reset_index(drop=True)
    p = presence_at_peaks(calls, peaks=[10], available=avail)
    got = p.set_index("employee")["present"].to_dict()
    # hour 10: Анна 0.5 (present), Борис 0.333 (absent); their department from the directory
    assert got == {"Анна": True, "Борис": False, "Вера": True, "Глеб": False}
    assert (p["department"] == DEP).all()


def test_people_on_the_line_from_the_log(avail):
    calls = _calls()
    wh = WorkingHours.default()
    old = group_staffing(calls, working_hours=wh).set_index("hour")
    new = group_staffing(calls, working_hours=wh, available=avail).set_index("hour")
    assert list(new["group"].unique()) == [DEP] and (new["days"] == 1).all()
    # by calls (1 per member with a call in the hour): 9 Анна; 10 Вера, Борис; 11 Анна, Глеб
    assert old.loc[[9, 10, 11], "active_employees"].tolist() == [1.0, 2.0, 2.0]
    assert (old["active_source"] == "calls").all()
    # with the log, Анна and Борис by their on-line share, Вера and Глеб by their calls:
    # 9: 1.0 + 0.667 = 1.667; 10: 0.5 + 0.333 + 1 (Вера) = 1.833; 11: 1.0 + 0.5 + 1 (Глеб) = 2.5
    assert new.loc[[9, 10, 11], "active_employees"].to_numpy() == pytest.approx([5 / 3, 11 / 6, 2.5])
    assert new.loc[[9, 10, 11], "active_source"].tolist() == ["mixed"] * 3
    # after the log ends everybody is counted by calls again (nobody had one): 0
    assert (new.loc[12:, "active_employees"] == 0).all() and (new.loc[12:, "active_source"] == "calls").all()
    # only the on-line count changed: the load and the need did not
    cols = ["calls_per_hour", "aht_s", "erlangs", "required_agents"]
    assert np.allclose(new[cols].to_numpy(dtype=float), old[cols].to_numpy(dtype=float), equal_nan=True)


def test_audit_uses_the_log_and_says_so(qlog):
    from callkit.audit import audit_from_load
    audit = audit_from_load(_calls(), employees=EMP, queue_log=qlog)
    note = next(n for n in audit.notes if "по входу в очередь и паузам" in n)
    assert note.startswith("Журнал очереди: ") and "2 оператора(ов) (Анна, Борис)" in note and "2026-10-05" in note
    # Вера never logs in: the note says her presence is by her calls
    assert any("постоянные участники" in n and "по звонкам (Вера)" in n for n in audit.notes)
    m = audit.managers.set_index("employee")
    assert m.loc["Анна", "absent_slots"] == 0 and m.loc["Борис", "absent_slots"] == 1
    # managers.csv says how each one's peak slots were judged
    assert m["presence_source"].to_dict() == {"Анна": "queue_log", "Борис": "queue_log", "Вера": "calls",
                                              "Глеб": "calls"}
    assert audit.groups.set_index("hour").loc[10, "active_employees"] == pytest.approx(11 / 6)
    assert audit.staffing.set_index("hour").loc[10, "active_employees"] == pytest.approx(11 / 6)


def test_absent_at_peak_says_off_the_line_with_a_queue_log():
    from test_findings import absent_case

    from callkit.findings import evaluate
    # test_findings' case: X absent in 11 of 20 peak slots (10:00, 2026-10-05 onwards) — fires
    m, p = absent_case(11)
    by_calls = evaluate(managers=m, presence=p).findings.set_index("rule").loc["absent_at_peak"]
    assert "нет звонков в 55" in by_calls.text
    # the same slots seen in the queue_log: X was logged out or paused, not "without calls"
    p = p.assign(source=np.where(p["employee"] == "X", "queue_log", "calls"))
    # X is absent in the first 11 slots (2026-10-05 … 10-15 at 10:00); one incoming call of the
    # department in the first of them
    calls = calls_frame([call("q1", "2026-10-05 10:20", "incoming", "answered", "A", N1, talk=60, dept="Sales")])
    v = evaluate(managers=m, presence=p, calls=calls)
    r = v.findings.set_index("rule").loc["absent_at_peak"]
    assert "не на линии (вне очереди или на паузе) в 55" in r.text
    ev = v.evidence[v.evidence["finding_id"] == r.finding_id]
    assert ev["call_id"].tolist() == ["q1"]
    assert ev["note"].tolist() == ["час пик 10:00, X не на линии (вне очереди или на паузе)"]
    # some slots from the log, some from calls: both named
    p.loc[(p["employee"] == "X") & (p["date"] == pd.Timestamp("2026-10-05")), "source"] = "calls"
    r = evaluate(managers=m, presence=p).findings.set_index("rule").loc["absent_at_peak"]
    assert "нет на связи (по журналу очереди и по звонкам) в 55" in r.text


def test_report_and_workbook_say_the_source(tmp_path, qlog):
    import openpyxl

    from callkit import report
    from callkit.audit import audit_from_load
    from callkit.profile import profile_from_dict
    prof = profile_from_dict({"client": "Тест", "slug": "t"}, check_files=False)
    audit = audit_from_load(_calls(), employees=EMP, queue_log=qlog)
    ctx = report.prepare(prof, audit=audit)
    html = "".join(getattr(o, "_repr_html_", lambda: "")() or "" for o in report.section_traffic(ctx))
    assert report.TEXTS["presence_queue_log"]["ru"] in html
    assert "доля часа в очереди и не на паузе (45 минут — 0,75 человека)" in html
    wb = openpyxl.load_workbook(report.write_workbook(ctx.audit, tmp_path / "a.xlsx", profile=prof))
    # the legend sheet's lines of the presence, staffing and groups sheets say it
    legend = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    for key, text in (("presence", "presence_queue_log"), ("staffing", "staffing_queue_log"),
                      ("groups", "staffing_queue_log")):
        assert legend[report.SHEET_NAMES[key][0]].endswith(report.TEXTS[text]["ru"])
    sheet = wb[report.SHEET_NAMES["groups"][0]]
    cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "Как посчитано «было на линии»" in cells and "по журналу очереди и по звонкам" in cells
    # without the queue_log nothing is said
    plain = report.prepare(prof, audit=audit_from_load(_calls(), employees=EMP))
    html = "".join(getattr(o, "_repr_html_", lambda: "")() or "" for o in report.section_traffic(plain))
    assert report.TEXTS["presence_queue_log"]["ru"] not in html
