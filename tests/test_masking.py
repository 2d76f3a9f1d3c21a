"""Masking of every written form of a phone number (issue 13, item 2), property-tested.

One detector (callkit.masking.find_numbers) serves mask_text, mask_number and mask_frame, so
every manager-facing output masks the same forms. Numbers are generated in the forms people and
exports write them; texts that are not numbers (amounts, dates, ids) must come back unchanged.
"""
from __future__ import annotations

import os
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callkit.masking import SEPARATORS, find_numbers, mask_frame, mask_number, mask_text

FUZZ = int(os.environ.get("CALLKIT_FUZZ_EXAMPLES", "0"))
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = " \u00a0\u2009\u202f"


# --- the issue's forms, by hand -----------------------------------------------------------------

@pytest.mark.parametrize("written, masked", [
    ("8104930123456", "+4930 ****56"),          # 8-10 then Germany 49 30 123456 (missed before)
    ("0079161234599", "+7 916 ***-**-99"),      # 00 then +7 (missed before)
    ("7001234567", "+7 700 ***-**-67"),         # bare ten digits, a Kazakh 700 (missed before)
    ("+7 916 123–45–67", "+7 916 ***-**-67"),   # en dashes (missed before)
    ("+7.916.123.45.68", "+7 916 ***-**-68"),   # dots (missed before)
    ("8.916.123.45.69", "+7 916 ***-**-69"),    # dots after the 8 (missed before)
    ("8 (916) 123-45-67", "+7 916 ***-**-67"),
    ("(495) 123 45 67", "+7 495 ***-**-67"),
    ("8(4852)12-34-56", "+7 485 ***-**-56"),
    ("+1 (212) 555-0123", "+1212 *****23"),
    ("00 44 20 7946 0958", "+4420 ******58"),
    ("123-45-67", "***-**-67"),                 # a local number without its area code
])
def test_issue_forms(written, masked):
    assert mask_text(f"звонил {written}, просил перезвонить") == f"звонил {masked}, просил перезвонить"
    assert mask_number(written) == masked


def test_two_numbers_in_a_row_are_both_masked():
    assert mask_text("89161234567 89161234568") == "+7 916 ***-**-67 +7 916 ***-**-68"


@pytest.mark.parametrize("keep", [
    "сумма 4 000 000 000 руб", "1 250 000 ₽", "79 000 000 000", "id 1761901234.5678", "31.10.2026 09:15",
    "2026-10-01 09:15:00", "доля 12,5 %", "версия 1.2.3.4.5.6", "добавочные 101 102 103", "00:01:15",
])
def test_not_numbers_stay(keep):
    assert mask_text(keep) == keep and find_numbers(keep) == []


# --- generated forms ------------------------------------------------------------------------

sep = st.text(alphabet=SPACES + DASHES + ".", min_size=1, max_size=2)
maybe_sep = st.one_of(st.just(""), sep)


@st.composite
def grouped(draw, digits: str) -> str:
    """``digits`` split into groups of 1–4 with random separators (or none)."""
    out, i = [], 0
    while i < len(digits):
        k = draw(st.integers(2, 4)) if len(digits) - i > 4 else len(digits) - i
        out.append(digits[i:i + k])
        i += k
    glue = draw(st.one_of(st.just(""), sep))
    return "".join(g + (draw(maybe_sep) if glue else "") for g in out[:-1]) + out[-1]


@st.composite
def ru_number(draw) -> tuple[str, str]:
    """(written form, E.164 digits) of a Russian or Kazakh (+7) number."""
    first = draw(st.sampled_from("34789"))
    code_len = draw(st.sampled_from([3, 3, 4, 5])) if first in "348" else 3
    national = first + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    code, rest = national[:code_len], national[code_len:]
    code_w = draw(st.sampled_from([code, f"({code})", f"({code}) "]))
    body = code_w + draw(maybe_sep if not code_w.endswith(")") else st.just("")) + draw(grouped(rest))
    prefix = draw(st.sampled_from(["+7", "+7", "8", "7", "", "007", "00 7"]))
    glue = draw(maybe_sep) if prefix else ""
    return prefix + glue + body, "7" + national


@st.composite
def foreign_number(draw) -> tuple[str, str]:
    cc = draw(st.sampled_from(["49", "1", "44", "380", "375", "86", "33", "972"]))
    nsn = draw(st.sampled_from("123456789")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=9)))
    prefix = draw(st.sampled_from(["+", "+", "00", "810", "8 10 "]))
    return prefix + (draw(maybe_sep) if prefix != "+" else "") + cc + draw(sep) + draw(grouped(nsn)), cc + nsn


words = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюяАБВ ,:;!?—«»", max_size=12)


@settings(max_examples=FUZZ or 300, deadline=None, derandomize=not FUZZ)
@given(num=st.one_of(ru_number(), foreign_number()), before=words, after=words)
def test_generated_forms_are_masked_in_text(num, before, after):
    written, e164 = num
    before = before if not before or before[-1] in " ,:;«—" else before + " "
    after = after if not after or after[0] in " ,:;!?»—" else " " + after
    expected = mask_number("+" + e164)              # the canonical masked form of that number
    assert len(re.sub(r"\D", "", expected)) <= 6 and expected.endswith(e164[-2:])
    out = mask_text(before + written + after)
    assert out == before + expected + after, (written, out)
    assert mask_text(out) == out                    # masking twice changes nothing
    assert mask_number(written) == expected


amount = st.integers(1000, 10**12).map(lambda n: f"{n:,}").flatmap(
    lambda s: st.sampled_from(SPACES + ".").map(lambda c: s.replace(",", c)))
date = st.dates().map(lambda d: st.sampled_from([d.strftime("%d.%m.%Y"), d.isoformat()])).flatmap(lambda x: x)
stamp = st.tuples(st.integers(1_500_000_000, 1_999_999_999), st.integers(0, 9999)).map(lambda t: f"{t[0]}.{t[1]}")


@settings(max_examples=FUZZ or 200, deadline=None, derandomize=not FUZZ)
@given(value=st.one_of(amount, date, stamp), before=words)
def test_amounts_dates_and_ids_are_not_masked(value, before):
    text = (before + " " if before else "") + value + " руб."
    assert mask_text(text) == text


def test_frame_masks_number_columns_and_free_text():
    df = pd.DataFrame({"client_number": ["+79720123456", "8 (916) 123–45–67", None],
                       "raw": ["a;+7.916.123.45.68;b", "8104930123456", "—"], "talk_s": [1, 2, 3]})
    out = mask_frame(df)
    assert out["client_number"].tolist()[:2] == ["+7 972 ***-**-56", "+7 916 ***-**-67"]
    assert out["raw"].tolist() == ["a;+7 916 ***-**-68;b", "+4930 ****56", "—"]
    assert out["talk_s"].tolist() == [1, 2, 3]


def test_every_dash_and_space_is_a_separator():
    assert set(DASHES + SPACES + ".()") <= set(SEPARATORS)


def test_chart_text_is_masked_in_the_svg():
    import io

    from matplotlib.figure import Figure

    from callkit.masking import mask_figure
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar(["8 916 123–45–67", "Орлова"], [3, 1])
    ax.set_title("звонки на +7.916.123.45.68")
    ax.annotate("0079161234599", (0, 3))
    buf = io.StringIO()
    mask_figure(fig).savefig(buf, format="svg")
    svg = buf.getvalue()
    # matplotlib writes SVG text as glyph paths with the string in a comment: look at those
    texts = " | ".join(c.strip() for c in re.findall(r"<!--(.*?)-->", svg, re.S))
    assert "123" not in texts and "0079" not in texts
    assert all(f"+7 916 ***-**-{k}" in texts for k in ("67", "68", "99"))


def test_mask_frame_masks_each_distinct_number_once_with_the_same_result():
    """A text column's numbers are masked per distinct value: the cells are exactly those of
    masking each cell (repeats, a missing value, a non-number), as objects."""
    from callkit.masking import mask_frame, mask_number

    ser = pd.Series(["+79161234567", None, "+79161234567", "8 (495) 001-23-45", "101"], dtype="string")
    got = mask_frame(pd.DataFrame({"client_number": ser}), free_text=False)["client_number"]
    assert got.dtype == object
    assert got.tolist()[:4] == ["+7 916 ***-**-67", pd.NA, "+7 916 ***-**-67", "+7 495 ***-**-45"]
    assert got.tolist() == [mask_number(v) for v in ser.astype(object)]


def test_canonical_numbers_take_the_short_way_to_the_same_mask():
    """A cell that is exactly '+' and 8-15 ASCII digits is masked without the number search:
    the result is the search's (checked against mask_text, which always searches), at every
    length and for Russian and foreign numbers; other forms still go the long way."""
    import random

    rnd = random.Random(5)
    cells = ["+7" + "".join(rnd.choice("0123456789") for _ in range(10)) for _ in range(200)]
    cells += ["+" + "".join(rnd.choice("0123456789") for _ in range(n)) for n in range(8, 16) for _ in range(20)]
    for cell in cells:
        assert mask_number(cell) == mask_text(cell), cell
    assert mask_number("+79161234567") == "+7 916 ***-**-67"
    assert mask_number("+1234567") == "+1 ****67"            # 7 digits: not the short way
    assert mask_number("+7916123456789012") == "+7916 **********12"   # 16 digits: the long way
    assert mask_number(" +79161234567") == "+7 916 ***-**-67"                   # stripped first
