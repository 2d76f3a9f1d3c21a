"""concurrency and tech_signals on hand-built logs."""
from __future__ import annotations

from test_metrics_helpers import call, calls_frame

from callkit.metrics.tech import concurrency, tech_signals

N = "+79720123456"


def test_concurrency_example():
    # 10:00-10:10, 10:05-10:06, 10:06-10:20 (ring 0, talk = duration)
    c = calls_frame([
        call("a", "2026-10-05 10:00", "outgoing", "answered", "A", N, ring=0, talk=600),
        call("b", "2026-10-05 10:05", "outgoing", "answered", "B", N, ring=0, talk=60),
        call("c", "2026-10-05 10:06", "outgoing", "answered", "C", N, ring=0, talk=840),
        call("i", "2026-10-05 10:07", "internal", "answered", "D", None, ring=0, talk=60),
    ])
    k = concurrency(c, include_internal=False)
    # b ended exactly at 10:06, so c finds only a; the internal call is not counted here
    assert list(k["busy_at_start"]) == [0, 1, 1] and list(k["level"]) == [1, 2, 2]
    # by default internal sessions hold a channel too: at 10:07 a and c are live -> level 3
    k2 = concurrency(c)
    assert list(k2["busy_at_start"]) == [0, 1, 1, 2] and k2["level"].iloc[-1] == 3


def test_tech_signals_hand_worked():
    rows = []
    for day in ("05", "06", "07"):
        # two lines busy 10:00-10:30 and 10:05-10:35; a call at 10:10 fails: the ceiling is 2
        rows += [call(f"a{day}", f"2026-10-{day} 10:00", "incoming", "answered", "A", N, ring=0, talk=1800),
                 call(f"b{day}", f"2026-10-{day} 10:05", "outgoing", "answered", "B", N, ring=0, talk=1800),
                 call(f"f{day}", f"2026-10-{day} 10:10", "outgoing", "failed", "B", N, ring=0)]
    # short rings: 2 of the 4 unanswered incoming ended after 1 s
    rows += [call("s1", "2026-10-05 12:00", "incoming", "missed", None, N, ring=1),
             call("s2", "2026-10-05 12:10", "incoming", "missed", None, N, ring=1),
             call("s3", "2026-10-05 12:20", "incoming", "missed", None, N, ring=15),
             call("s4", "2026-10-05 12:30", "incoming", "missed", None, N, ring=15)]
    # a burst: 5 failed outgoing within 15:00-15:09 on 10-08
    rows += [call(f"x{i}", f"2026-10-08 15:0{i * 2}", "outgoing", "failed", "C", N, ring=0)
             for i in range(5)]
    t = tech_signals(calls_frame(rows))
    sr = t[t.signal == "short_ring_drops"].set_index("subject").loc["all"]
    assert (sr.value, sr["count"], sr.reference) == (0.5, 2, 4.0)
    fb = t[t.signal == "failed_burst"]
    # the 10:10 failures are single ones in their windows -> only the 15:00 burst
    assert list(fb.subject) == ["2026-10-08 15:00"] and fb.iloc[0]["count"] == 5
    ll = t[t.signal == "line_limit"].iloc[0]
    # ceiling 2 lines, reached on 3 days, 3 calls failed while both were busy
    assert (ll.value, ll["count"], ll.reference) == (2.0, 3, 3.0)
