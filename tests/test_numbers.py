"""Phone-number normalization and types (libphonenumber, region RU)."""
from __future__ import annotations

import random

import pytest

from callkit.numbers import _classify, _zone7_type, digits_of, normalize_number, normalize_numbers


@pytest.mark.parametrize("raw", ["8 (916) 123-45-67", "89161234567", "+7 916 123 45 67", "9161234567",
                                 "7 916 123 45 67", "81079161234567", "sip:+79161234567@pbx"])
def test_russian_forms_become_e164(raw):
    assert normalize_number(raw) == ("+79161234567", "mobile")


@pytest.mark.parametrize("raw, expected", [
    ("+74951234567", ("+74951234567", "landline")),
    ("8 (800) 555-35-35", ("+78005553535", "toll_free")),
    ("+7 701 123 45 67", ("+77011234567", "foreign")),       # Kazakhstan shares +7
    ("+380441234567", ("+380441234567", "foreign")),
    ("+78091234567", ("+78091234567", "other")),             # premium rate
    ("101", ("101", "invalid")),                              # an extension
    ("214943", ("214943", "invalid")),                        # a local number without area code
    ("anonymous", (None, "invalid")),
])
def test_types(raw, expected):
    assert normalize_number(raw) == expected


def test_area_code_completes_local_numbers():
    assert normalize_number("214943", area_code="3012") == ("+73012214943", "landline")
    assert normalize_number("2149430", area_code="495") == ("+74952149430", "landline")


def test_digits_of():
    assert digits_of('"8 (916) 123-45-67"') == "89161234567"
    assert digits_of("+7-916-123") == "+7916123"
    assert digits_of("") == ""


def test_distinct_values_map_back_in_order():
    df = normalize_numbers(["89161234567", None, "+79161234567", "101"])
    assert df["number"].tolist()[0] == df["number"].tolist()[2] == "+79161234567"
    assert df["number"].isna().tolist() == [False, True, False, False]
    assert df["number_type"].tolist()[3] == "invalid"


def test_prefix_cache_agrees_with_full_parse():
    # the per-six-digit-prefix cache must give what a full libphonenumber parse gives
    rng = random.Random(7)
    vals = [rng.choice(["8", "+7", "7", ""]) + str(rng.randint(3_000_000_000, 9_999_999_999))
            for _ in range(3000)]
    fast = normalize_numbers(vals)
    slow = [_classify(v, "RU", None) for v in vals]
    assert [tuple(r) for r in fast.itertuples(index=False)] == slow


def test_zone7_type_from_digits_agrees_with_a_parse():
    # the bulk path types one number per prefix from its digits; a parse of the text must agree
    rng = random.Random(11)
    nats = [str(rng.randint(0, 9_999_999_999)).zfill(10) for _ in range(2000)]
    nats += ["0000000000", "0123456789", "9161234567", "7011234567", "8005553535", "4951234567"]
    assert [_zone7_type(n) for n in nats] == [_classify("+7" + n, "RU", None)[1] for n in nats]
