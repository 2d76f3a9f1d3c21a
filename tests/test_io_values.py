"""The Arrow fast paths of callkit.io.values give what the pandas path gives, value for value."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa

from callkit.io import values as V
from callkit.io.values import _iso_seconds, parse_datetimes, strings_array
from callkit.numbers import _classify, classify_arrow

TRICKY = [
    "2026-09-01 09:00:01", "2024-02-29 00:00:00",   # ordinary; a leap day
    "2023-02-29 00:00:00", "2026-02-30 10:00:00",   # no such day (Arrow's strptime makes Mar 2)
    "2026-09-01 24:00:00", "2026-09-01 23:60:00", "2026-12-31 23:59:60",   # out-of-range fields
    " 2026-09-01 09:00:01", "2026-09-01 09:00:01 ", "2026-9-01 09:00:01",   # not the exact shape
    "２026-09-01 10:00:00",                          # a full-width digit (pandas reads it)
    "1989-12-31 23:59:59", "2100-01-01 00:00:00", "9999-01-01 00:00:00", "0001-01-01 00:00:00",
    "", "0", "NULL", "0000-00-00 00:00:00", None,  # empty forms
    "01.09.2026 09:00:01", "1788242401", "garbage",  # other formats: the fallbacks
]


def test_iso_bytes_are_read_only_when_exact_and_real():
    fast, ns = _iso_seconds(pa.array(TRICKY))
    assert [v for v, f in zip(TRICKY, fast) if f] == [
        "2026-09-01 09:00:01", "2024-02-29 00:00:00", "1989-12-31 23:59:59", "2100-01-01 00:00:00"]
    # 2026-09-01 09:00:01 = 20697 days after 1970-01-01, plus 9 h 1 s
    assert ns[0] == (20697 * 86400 + 9 * 3600 + 1) * 10**9
    assert (ns[~fast] == np.iinfo(np.int64).min).all()


def test_iso_bytes_read_block_by_block_as_in_one_pass(monkeypatch):
    # a column is read in blocks (reused temporaries); blocks of 1, 3 and 4 values cut through
    # every mix above — a block of nulls only, of 19-byte values only, of other lengths
    whole = _iso_seconds(pa.array(TRICKY))
    for block in (3, 4, 1):
        monkeypatch.setattr(V, "_ISO_BLOCK", block)
        fast, ns = _iso_seconds(pa.array(TRICKY))
        assert fast.tolist() == whole[0].tolist() and ns.tolist() == whole[1].tolist(), block
        sliced = _iso_seconds(pa.array(TRICKY).slice(5))   # an array that starts at an offset
        assert sliced[1].tolist() == whole[1][5:].tolist()
    assert [len(a) for a in _iso_seconds(pa.array([], pa.string()))] == [0, 0]


def test_arrow_strings_parse_as_the_object_path_does():
    rng = random.Random(3)
    base = [f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 31):02d} {rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}" for _ in range(1500)]
    vals = base + TRICKY * 3
    rng.shuffle(vals)
    for tz in ("Europe/Moscow", "Europe/Berlin"):
        fast, fast_bad = parse_datetimes(pd.Series(vals, dtype="str"), tz=tz)
        slow, slow_bad = parse_datetimes(pd.Series(vals, dtype=object), tz=tz)
        pd.testing.assert_series_equal(fast, slow)
        pd.testing.assert_series_equal(fast_bad, slow_bad)
    assert fast_bad.sum() > 0 and fast.notna().sum() > 1000   # both kinds were exercised


def test_classify_arrow_agrees_with_one_by_one():
    rng = random.Random(5)
    vals = [rng.choice(["8", "+7", "7", ""]) + str(rng.randint(3_000_000_000, 9_999_999_999))
            for _ in range(500)]
    vals += ["101", "600", None, "+7 701 123 45 67", "8 (916) 123-45-67", "sip:101@pbx", "", "+",
             "89161234567", "+44 20 7946 0958", "anonymous"]
    nums, types = classify_arrow(pa.array(vals, type=pa.string()), "RU")
    got = list(zip(nums.to_pylist(), types.tolist()))
    want = [(None, None) if v is None else _classify(v, "RU", None) for v in vals]
    assert got == want


def test_strings_array_of_python_objects_matches_astype_str():
    # strings and NA go straight into Arrow; a column holding anything else (an int, a float)
    # goes through astype("str") — either way the strings are astype's, NA → null
    only_text = pd.Series([None, "a", np.nan, pd.NA, "б"], dtype=object)
    assert strings_array(only_text).to_pylist() == [None, "a", None, None, "б"]
    mixed = pd.Series([1, "a", None, 1.5], dtype=object)
    assert strings_array(mixed).to_pylist() == ["1", "a", None, "1.5"]
    assert strings_array(pd.Series([None] * 3, dtype=object)).to_pylist() == [None] * 3
    assert strings_array(only_text).type == pa.large_string()


def test_a_readers_column_goes_into_arrow_without_a_copy(tmp_path):
    # the CSV reader hands each column over as one chunk of large strings, and taking it into
    # Arrow again (times, parties, the fold) reuses those bytes; a column of several chunks is
    # combined into one array with the same values
    from callkit.io.text import read_tables
    p = tmp_path / "t.csv"
    p.write_text("".join(f"{i};x{i}\n" for i in range(1000)), encoding="utf-8")
    col = read_tables(p)[0].frame(usecols=[0, 1], width=2)[1]
    chunked = col.array._pa_array
    assert (chunked.num_chunks, chunked.type) == (1, pa.large_string())
    assert strings_array(col).buffers()[2].address == chunked.chunk(0).buffers()[2].address
    several = pd.Series(pd.array(pa.chunked_array([pa.array(["a", None], pa.large_string()),
                                                   pa.array(["b"], pa.large_string())]), dtype="str"))
    assert several.array._pa_array.num_chunks == 2
    assert strings_array(several).to_pylist() == ["a", None, "b"]


def test_trim_whitespace_is_arrows_trim_and_skips_the_copy_when_nothing_can_be_trimmed():
    import pyarrow as pa
    import pyarrow.compute as pc

    from callkit.io.values import trim_whitespace

    clean = pa.array(["SIP/101-0000001a", "", None, "+79161234567", "a"], type=pa.large_string())
    assert trim_whitespace(clean) is clean          # every end printable ASCII: no copy
    assert trim_whitespace(clean.slice(1, 3)).equals(clean.slice(1, 3))
    # a space, a tab, a no-break space and a Cyrillic end: each trimmed (or kept) as Arrow does
    for odd in (" 101", "101\t", "101\u00a0", "Иванов", "\r\n"):
        for typ in (pa.string(), pa.large_string()):
            arr = pa.array(["x", odd, None], type=typ)
            got = trim_whitespace(arr)
            assert got.equals(pc.utf8_trim_whitespace(arr)), (odd, typ)
    assert trim_whitespace(pa.array([" 101", "102 "], type=pa.large_string())).to_pylist() == ["101", "102"]
    assert trim_whitespace(pa.array(["Иванов"], type=pa.large_string())).to_pylist() == ["Иванов"]
    empty = pa.array([], type=pa.large_string())
    assert trim_whitespace(empty) is empty
