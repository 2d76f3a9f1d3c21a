"""One number per quantity (issue 9 item 8): the audit of the sample company is built once and
every headline quantity has the same value wherever it appears — headline.csv, the tables it
is counted from (missed.csv, traffic.csv, off_hours.csv, the tech signals), the workbook's
summary cells and the findings' text. (The HTML and the workbook's key figures:
tests/test_notebooks.py::test_one_number_everywhere_headline_in_html_and_workbook.)"""
from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest
from conftest import DATA_SAMPLES

from callkit.audit import build_audit, write_metrics
from callkit.metrics.headline import HEADLINE_LABELS, HEADLINE_QUANTITIES
from callkit.profile import load_profile


@cache
def _audit():
    profile = load_profile(DATA_SAMPLES / "profile.yaml")
    profile.transcripts = None    # no headline quantity comes from the transcripts (and 4x faster)
    return profile, build_audit(profile)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    profile, audit = _audit()
    d = tmp_path_factory.mktemp("reconcile")
    write_metrics(audit, d / "csv")
    from callkit.report import write_workbook

    write_workbook(audit, d / "audit.xlsx", profile=profile, lang="ru")
    return d


def _csv(out, name):
    return pd.read_csv(out / "csv" / name, dtype={"finding_id": str})


def test_headline_csv_is_the_audits_headline(out):
    _, audit = _audit()
    h = _csv(out, "headline.csv").set_index("quantity")["value"].to_dict()
    assert list(h) == list(HEADLINE_QUANTITIES)
    assert h == audit.headline


def test_every_table_counts_the_same_headline(out):
    _, audit = _audit()
    h = audit.headline
    miss = _csv(out, "missed.csv")
    inh = miss["in_hours"]
    # missed calls: one row per missed session; the headline counts those inside working hours
    assert int(inh.sum()) == h["missed"]
    assert int((inh & miss["lost"]).sum()) == h["lost_calls"]
    assert int((inh & miss["called_back"]).sum()) == h["called_back"]
    assert int((inh & miss["reached"]).sum()) == h["reached"]
    # lost = missed - (called back in time or reached)
    assert h["lost_calls"] == h["missed"] - int((inh & (miss["called_back"] | miss["reached"])).sum())
    assert int((inh & miss["short_ring"]).sum()) == h["short_ring_drops"]
    t = _csv(out, "traffic.csv")
    assert int(t["incoming"].sum()) == h["incoming"] and int(t["missed"].sum()) == h["missed"]
    assert int(t.drop_duplicates("weekday")["days"].sum()) == h["working_days"]
    assert int(audit.peaks["working_days"].iloc[0]) == h["working_days"]
    off = _csv(out, "off_hours.csv")
    assert int(off["incoming"].sum()) == h["off_hours_calls"]
    assert int(off["missed"].sum()) == h["off_hours_missed"]
    assert int((~inh & miss["lost"]).sum()) == h["off_hours_lost"]
    # inside + outside working hours = every incoming call of the period, once
    calls = audit.calls
    inc = calls.loc[calls["in_period"] & (calls["direction"] == "incoming")]
    assert h["incoming"] + h["off_hours_calls"] == len(inc)
    assert h["missed"] + h["off_hours_missed"] == len(miss)
    tech = audit.tech.set_index(["signal", "subject"])
    assert tech.loc[("short_ring_drops", "all"), "count"] == h["short_ring_drops"]
    # the short-ring slots add up to the same drops
    slots = audit.tech[(audit.tech["signal"] == "short_ring_drops")
                       & audit.tech["detail"].str.startswith("slot")]
    assert int(slots["count"].sum()) == h["short_ring_drops"]


def test_workbook_summary_cells_show_the_headline(out):
    from openpyxl import load_workbook

    _, audit = _audit()
    ws = load_workbook(out / "audit.xlsx")["Период в цифрах"]     # the period's totals
    cells = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    for q in ("incoming", "missed", "called_back", "reached", "lost_calls", "short_ring_drops",
              "working_days", "off_hours_calls", "off_hours_missed", "off_hours_lost"):
        assert cells[HEADLINE_LABELS[q][0]] == audit.headline[q], q
    rate = cells["Доля неотвеченных входящих"]
    assert rate == pytest.approx(audit.headline["missed"] / audit.headline["incoming"])


def test_finding_texts_quote_the_tables_numbers(out):
    _, audit = _audit()
    f = _csv(out, "findings.csv")
    ev = _csv(out, "evidence.csv")
    miss = _csv(out, "missed.csv")
    inh = miss.loc[miss["in_hours"] & miss["client_number"].notna()]
    checked = set()
    for _, r in f.iterrows():
        nums = [int(x) for x in re.findall(r"\((\d+) из (\d+)\)", r["text"])[0]] \
            if re.search(r"\((\d+) из (\d+)\)", r["text"]) else None
        mine = ev.loc[ev["finding_id"] == r["finding_id"]]
        if r["rule"] == "missed_no_callback":
            g = inh.loc[inh["answering_group"] == r["subject"]]
            # "64% пропущенных (21 из 33)": lost of the group's missed calls in working hours
            assert nums == [int(g["lost"].sum()), len(g)] and r["impact_calls"] == nums[0]
            assert len(mine) == nums[0] and set(mine["call_id"]) == set(g.loc[g["lost"], "call_id"])
            checked.add(r["rule"])
        elif r["rule"] == "short_ring_drops":
            # "(12 из 13)": the slot's drops of its unanswered incoming (both inside hours)
            wd, hr = (int(x) for x in r["subject"].split())
            start = pd.to_datetime(miss["start"].str[:19])
            slot = miss.loc[miss["in_hours"] & (start.dt.day_of_week == wd) & (start.dt.hour == hr)]
            assert nums == [int(slot["short_ring"].sum()), len(slot)]
            assert len(mine) == nums[0]
            checked.add(r["rule"])
        elif r["rule"] == "missed_peak":
            wd, hr = (int(x) for x in r["subject"].split())
            t = _csv(out, "traffic.csv").set_index(["weekday", "hour"]).loc[(wd, hr)]
            # "(8 из 13)": missed by people — the slot's missed less its short drops and calls
            # at the line ceiling (other findings) — of its incoming; the evidence lists them
            start = pd.to_datetime(miss["start"].str[:19])
            slot = miss.loc[miss["in_hours"] & (start.dt.day_of_week == wd) & (start.dt.hour == hr)]
            aside = slot["short_ring"] | slot["at_line_ceiling"]
            assert nums == [int(t["missed"]) - int(aside.sum()), int(t["incoming"])]
            assert len(mine) == nums[0] and set(mine["call_id"]) == set(slot.loc[~aside, "call_id"])
            lost = int((slot["lost"] & ~aside).sum())
            assert f"потеряно {lost} " in r["text"] and r["impact_unit"] == "lost_leads"
            checked.add(r["rule"])
        elif r["rule"] == "line_limit":
            # "49 звонков не прошли при занятых линиях (из них входящих 5)"
            blocked, incoming = (int(x) for x in re.search(
                r"(\d+) звонков не прошли при занятых линиях \(из них входящих (\d+)\)",
                r["text"]).groups())
            assert blocked == len(mine) == int(r["reference"])
            assert incoming == int(miss["at_line_ceiling"].sum())
            # its cost: those of them lost (not called back in time, never reached)
            assert r["impact_calls"] == int((miss["at_line_ceiling"] & miss["lost"]).sum())
            checked.add(r["rule"])
        elif r["rule"] == "understaffed":
            g = audit.groups
            rows = g.loc[(g["group"] == r["subject"]) & g["understaffed"] & (g["incoming"] >= 10)]
            n, missed = (int(x) for x in re.search(r"\((\d+) входящих, пропущено (\d+)\)",
                                                   r["text"]).groups())
            assert (n, missed) == (int(rows["incoming"].sum()), int(rows["missed"].sum()))
            assert n == r["n"] and len(mine) == missed
            checked.add(r["rule"])
    assert {"missed_no_callback", "short_ring_drops", "missed_peak", "line_limit",
            "understaffed"} <= checked


def test_no_new_client_fall_from_missing_history():
    # the sample: history from 2026-09-01, look-back 30 days. October can be judged (first
    # judgeable date 10-01); September, the previous period, cannot - so the period-over-period
    # table compares no new-client metric, and the notes say why
    _, audit = _audit()
    assert audit.coverage.sufficient and not audit.previous_coverage.sufficient
    assert str(audit.previous_coverage.first_judgeable) == "2026-10-01"
    assert audit.managers["outgoing_new_clients"].notna().all()
    assert audit.previous_managers["outgoing_new_clients"].isna().all()
    assert not {"outgoing_new_clients", "new_clients_reached",
                "outgoing_new_clients_per_day"} & set(audit.pop["metric"])
    assert {"external_calls_per_day", "outgoing"} <= set(audit.pop["metric"])
    # the note says the dates in Russian words, never as ISO dates or a ".." range
    assert any("1 октября 2026" in n and "за 1–30 сентября 2026" in n for n in audit.notes)
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}|\.\.", n) for n in audit.notes)
