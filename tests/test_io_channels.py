"""Parties from channels and legs grouped without linkedid (callkit.io.grouping, FORMATS.md §7.3),
on synthetic files in tests/data/io/ with hand-worked directions, statuses and sessions."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from callkit.cli import main
from callkit.io import load_calls
from callkit.io.grouping import channel_parties, group_without_linkedid
from tests.test_io_formats import _check, _row

DATA = Path(__file__).parent / "data" / "io"
TZ = "Europe/Moscow"


def test_cdr_custom_pjsip_peers_in_the_directory_are_internal():
    # dst is the dialled number (6789, 1234); dstchannel PJSIP/client2-… names the peer that rang
    emp = pd.DataFrame({"extension": ["client1", "client2"], "employee": ["Офис 1", "Офис 2"],
                        "department": ["Продажи", "Продажи"]})
    res = load_calls(DATA / "cdr_custom_pjsip.csv", tz=TZ, employees=emp)
    assert (res.report.format, res.report.rows_loaded, res.report.sessions) == ("asterisk_custom", 5, 5)
    c = res.calls
    _check(_row(c, "1790838000.1"), direction="internal", status="answered", employee="Офис 1",
           client_number=None, ring_s=5.0, talk_s=60.0)
    assert _row(c, "1790838000.1")["peer_employee"] == "Офис 2"
    _check(_row(c, "1790838300.2"), direction="internal", status="missed", employee="Офис 2", ring_s=20.0)
    # out through PJSIP/TRUNK200: outgoing to the client
    _check(_row(c, "1790838600.3"), direction="outgoing", status="answered", employee="Офис 1",
           client_number="+79720001234", ring_s=8.0, talk_s=120.0)
    _check(_row(c, "1790839200.4"), direction="incoming", status="answered", employee="Офис 2",
           client_number="+79730012345", ring_s=10.0, talk_s=60.0)
    # 112 through the trunk is a number outside, not an extension 112
    _check(_row(c, "1790839800.5"), direction="outgoing", status="answered", employee="Офис 2",
           client_number="112", number_type="invalid", talk_s=30.0)


def test_a_ten_digit_endpoint_seen_as_its_own_caller_is_a_person():
    # no directory: PJSIP/4950007777 places a call with caller ID 4950007777 → a phone, not a number
    res = load_calls(DATA / "cdr_custom_long_endpoint.csv", tz=TZ)
    c = res.calls
    _check(_row(c, "1790841600.6"), direction="outgoing", status="answered", employee="4950007777",
           client_number="+79720001234", ring_s=9.0, talk_s=60.0)
    # 101 dials 4950007777 and PJSIP/4950007777 rings: internal
    _check(_row(c, "1790842200.7"), direction="internal", status="answered", employee="101", client_number=None)
    # in through SIP mts-trunk, rang 4950007777 only
    _check(_row(c, "1790842800.8"), direction="incoming", status="missed", employee="4950007777",
           client_number="+79730012345", ring_s=25.0)


def test_channel_parties_rules():
    ch = pd.Series(["PJSIP/client1-0000001a", "SIP/mts-trunk-00000001", "Local/101@from-internal-00000001;2",
                    "SIP/beeline-00000009", "SIP/beeline-0000000a", "SIP/beeline-0000000b", "SIP/102-0000000c"])
    dch = pd.Series(["PJSIP/client2-0000001b", "SIP/101-00000002", "SIP/101-00000003", "SIP/101-00000004",
                     "SIP/102-00000005", "SIP/101-00000006", "SIP/beeline-0000000d"])
    src = pd.Series(["6789", "89720000001", "89720000001", "89720000002", "89720000003", "89720000004", "102"])
    p = channel_parties(ch, dch, src, directory=frozenset({"client1", "client2"}))
    assert p["caller_person"].fillna("-").tolist() == ["client1", "-", "-", "-", "-", "-", "102"]
    assert p["callee_person"].fillna("-").tolist() == ["client2", "101", "101", "101", "102", "101", "-"]
    # "trunk" in the name; SIP/beeline carries calls in from three numbers not its own
    assert p["caller_external"].tolist() == [False, True, False, True, True, True, False]
    assert p["callee_external"].tolist()[-1]
    # a Local/ caller is a pseudo-channel: never a person, never a trunk
    assert pd.isna(p.at[2, "caller_person"]) and not p.at[2, "caller_external"]


def test_group_without_linkedid_rules():
    t = pd.Timestamp("2026-10-01 10:00:00", tz=TZ)
    s = pd.Timedelta(seconds=1)
    legs = pd.DataFrame({
        "key": ["u1", "u3", "u5", "u7", "u7", "u9"],
        "channel": ["SIP/trunk-1", "Local/101@from-internal-1;2", "Local/102@from-internal-2;2", "SIP/trunk-3",
                    "SIP/trunk-3", "Local/103@from-internal-9;2"],
        "dstchannel": ["Local/102@from-internal-2;1", "SIP/101-2", "SIP/102-3", "SIP/101-4", "SIP/102-5",
                       "SIP/103-6"],
        "src": ["89720000001", "89720000001", "89720000001", "89720000002", "89720000002", "89720000009"],
        "start": [t, t, t, t + 600 * s, t + 615 * s, t + 1200 * s],
        "end": [t + 95 * s, t + 15 * s, t + 95 * s, t + 615 * s, t + 700 * s, t + 1210 * s],
    })
    key, rule = group_without_linkedid(legs["key"], channel=legs["channel"], dstchannel=legs["dstchannel"],
                                       src=legs["src"], start=legs["start"], end=legs["end"])
    # u5 is the ;2 half of u1's Local/102…;1; u3 an unanswered fork of the same caller at that
    # moment; the two u7 rows are one channel (a queue's attempts); u9's ;2 has nobody to join
    assert key.tolist() == ["u1", "u1", "u1", "u7", "u7", "u9"]
    assert rule.fillna("-").tolist() == ["-", "same_caller", "local_pair", "-", "uniqueid", "-"]


def test_elastix_dump_ring_group_through_local_channels(capsys):
    res = load_calls(DATA / "dump_navicat_elastix.sql", tz=TZ)
    r = res.report
    # 5 rows: the ring group's 3 legs (caller → Local/102;1, Local/101;2 → 101 no answer,
    # Local/102;2 → 102 answered), an outgoing call, a junk row
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.sessions) == (5, 4, 1, 2)
    assert ("dump_navicat_elastix.sql: no linkedid column (cdr.conf newcdrcolumns=no): legs grouped by uniqueid "
            "(0 legs), by Local/…;1 ↔ ;2 channel pairs (1), by the same caller at the same time (1): "
            "5 uniqueids → 3 calls") in r.notes
    # 95 s call, billsec 80: answered at 10:00:15 by 102; 101 rang unanswered
    _check(_row(res.calls, "1790838000.1"), direction="incoming", status="answered", employee="102",
           client_number="+79720123456", ring_s=15.0, talk_s=80.0)
    assert sorted(res.legs.loc[res.legs["call_id"] == "1790838000.1", "leg_id"]) == \
        ["1790838000.1", "1790838000.3", "1790838000.5"]
    assert main(["validate", str(DATA / "dump_navicat_elastix.sql"), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert (rep["sessions"], rep["reconciled"]) == (2, True)
