"""traffic, peak_hours, presence_at_peaks on a hand-worked log."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from test_metrics_helpers import call, calls_frame

from callkit.metrics.traffic import covered_hours, peak_hours, presence_at_peaks, presence_summary, traffic

S = "Sales"
N1, N2 = "+79720123456", "+74950012345"


def log():
    return calls_frame([
        # Monday 2026-10-05, 10:00 hour: 3 incoming, 1 missed
        call("m1", "2026-10-05 10:05", "incoming", "answered", "Ann", N1, talk=60, dept=S),
        call("m2", "2026-10-05 10:20", "incoming", "missed", None, N2, dept=S),
        call("m3", "2026-10-05 10:40", "incoming", "answered", "Bob", N2, talk=30, dept=S),
        call("m4", "2026-10-05 14:00", "outgoing", "answered", "Carl", N2, talk=30, dept=S),
        # Tuesday 2026-10-06: Bob's outgoing call 09:00:00 + 5 s ring + 3600 s talk -> 10:00:05
        call("t1", "2026-10-06 09:00", "outgoing", "answered", "Bob", N1, talk=3600, dept=S),
        call("t2", "2026-10-06 10:30", "incoming", "missed", None, N1, dept=S),
        call("t3", "2026-10-06 15:00", "incoming", "answered", "Bob", N1, talk=20, dept=S),
        # Wednesday 2026-10-07: only an outgoing call (a working day without incoming)
        call("w1", "2026-10-07 12:00", "outgoing", "missed", "Ann", N1, dept=S),
        # Monday 2026-10-12, 10:00 hour: 2 incoming, 1 busy
        call("n1", "2026-10-12 10:10", "incoming", "busy", None, N2, dept=S),
        call("n2", "2026-10-12 10:15", "incoming", "answered", "Ann", N2, talk=40, dept=S),
        call("n3", "2026-10-12 11:00", "incoming", "answered", "Ann", N1, talk=40, dept=S),
    ])


def test_traffic_grid_hand_worked():
    t = traffic(log())
    assert len(t) == 168 and list(t.columns) == ["weekday", "hour", "incoming", "answered",
                                                 "missed", "missed_rate", "days"]
    t = t.set_index(["weekday", "hour"])
    # Monday 10:00 over two Mondays: m1 m2 m3 n1 n2 = 5 incoming, answered m1 m3 n2 = 3
    mon10 = t.loc[(0, 10)]
    assert (mon10.incoming, mon10.answered, mon10.missed, mon10.days) == (5, 3, 2, 2)
    assert math.isclose(mon10.missed_rate, 0.4)
    # Tuesday 10:00: t2 missed -> rate 1.0; working days: Mon 2, Tue 1, Wed 1, Thu 0
    assert t.loc[(1, 10), "missed_rate"] == 1.0
    assert [t.loc[(d, 0), "days"] for d in range(4)] == [2, 1, 1, 0]
    assert t.loc[(3, 10), "incoming"] == 0 and math.isnan(t.loc[(3, 10), "missed_rate"])


def test_peak_hours_mean_per_working_day():
    p = peak_hours(traffic(log()), top=2)
    # 4 working days; hour 10: 6 incoming -> 1.5/day; hours 11 and 15: 1 -> 0.25 (tie: earlier first)
    assert list(p["hour"]) == [10, 11]
    assert math.isclose(p.loc[0, "mean_per_day"], 1.5) and p.loc[0, "working_days"] == 4
    assert math.isclose(p.loc[0, "missed_rate"], 3 / 6)


def test_presence_at_peaks_and_summary():
    pres = presence_at_peaks(log(), peaks=[10])
    key = {(e, str(np.datetime64(d, "D")), h): a for e, d, h, a in
           zip(pres.employee, pres.date, pres.hour, pres.present)}
    assert key[("Ann", "2026-10-05", 10)] and key[("Ann", "2026-10-12", 10)]
    assert not key[("Ann", "2026-10-07", 10)]       # worked that day, not at 10
    assert key[("Bob", "2026-10-06", 10)]           # the 09:00 call ran past 10:00
    assert not key[("Carl", "2026-10-05", 10)]      # only a 14:00 call that day
    s = presence_summary(pres).set_index("employee")
    # Ann's 10-07 slot had no department incoming -> not counted: 2 slots, 0 absent
    assert (s.loc["Ann", "peak_slots"], s.loc["Ann", "absent_slots"]) == (2, 0)
    assert (s.loc["Bob", "peak_slots"], s.loc["Bob", "absent_slots"]) == (2, 0)
    assert s.loc["Carl", "absent_share"] == 1.0


def test_presence_default_peaks_per_department():
    pres = presence_at_peaks(log(), top=1)     # Sales' top hour is 10
    assert set(pres["hour"]) == {10}
    assert pd.api.types.is_bool_dtype(pres["present"])


def test_unique_rows_is_drop_duplicates_of_integer_columns():
    """The packed-key dedup keeps exactly pandas' rows, order and index (negative values, a
    key too wide for 64 bits, an empty frame, a non-integer column)."""
    import numpy as np
    import pandas as pd

    from callkit.metrics._util import unique_rows

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"e": rng.integers(-3, 40, 5000), "d": rng.integers(0, 4, 5000),
                       "absh": rng.integers(490_000, 490_300, 5000)}, index=rng.permutation(5000) + 9)
    wide = pd.DataFrame({"a": [0, 2 ** 40, 0, 5], "b": [0, 2 ** 30, 0, 5]})
    mixed = pd.DataFrame({"a": [1, 1, 2], "b": [0.5, 0.5, 0.5]})
    for frame in (df, wide, mixed, df.iloc[:0]):
        pd.testing.assert_frame_equal(unique_rows(frame), frame.drop_duplicates())
    assert len(unique_rows(wide)) == 3


def test_covered_hours_by_hand():
    t = lambda s: pd.Timestamp(s, tz="Europe/Moscow")   # noqa: E731
    start = pd.Series([t("2026-10-01 09:00:00"), t("2026-10-01 09:10:00"), t("2026-10-01 23:30:00"),
                       t("2026-10-02 08:00:00")])
    end = pd.Series([t("2026-10-01 10:00:05"), t("2026-10-01 10:00:00"), pd.NaT,
                     t("2026-10-03 14:00:00")])
    row, absh = covered_hours(start, end)
    day = (pd.Timestamp("2026-10-01") - pd.Timestamp("1970-01-01")).days * 24  # local hours to 1 Oct
    # 09:00–10:00:05 → 9 and 10; 09:10–10:00:00 → 9 only (ends on the hour); no end → its start
    # hour; 2 Oct 08:00 to 3 Oct 14:00 is 31 hours, capped at 24 (2 Oct 08:00 … 3 Oct 07:00)
    assert row.tolist() == [0, 0, 1, 2] + [3] * 24
    assert (absh - day).tolist() == [9, 10, 9, 23] + list(range(24 + 8, 48 + 8))
