"""Phone-number normalization and number types, with libphonenumber (``phonenumbers``).

Each *distinct* raw value is parsed once and the result mapped back (parsing costs ~26 µs a
number). Types follow DESIGN §2: ``mobile``, ``landline``, ``toll_free``, ``other``,
``foreign`` (a valid number of another country, e.g. Kazakhstan's ``+7 7xx``), ``invalid``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import phonenumbers
from phonenumbers import PhoneNumberType as _T

__all__ = ["normalize_numbers", "normalize_number", "digits_of", "is_extension_like", "NUMBER_TYPES"]

NUMBER_TYPES = ("mobile", "landline", "toll_free", "other", "foreign", "invalid")

_TYPE_MAP = {
    _T.MOBILE: "mobile",
    _T.FIXED_LINE: "landline",
    _T.FIXED_LINE_OR_MOBILE: "landline",
    _T.TOLL_FREE: "toll_free",
}
_SIP = re.compile(r"^(?:sips?:|tel:)?\+?([^@;]*)(?:@.*)?$", re.IGNORECASE)
_JUNK = re.compile(r"[\s()\-.\u00a0/]")
_EXT = re.compile(r"^\d{1,5}$")


def digits_of(value: str) -> str:
    """Strip a raw party string down to ``+`` and digits (``sip:`` user part, spaces, dashes).

    >>> digits_of("8 (916) 123-45-67")
    '89161234567'
    >>> digits_of("sip:101@pbx.local")
    '101'
    """
    s = str(value).strip().strip('"').strip()
    m = _SIP.match(s)
    if m and (s.lower().startswith(("sip", "tel")) or "@" in s):
        s = m.group(1)
    s = _JUNK.sub("", s)
    plus = s.startswith("+")
    d = "".join(ch for ch in s if ch.isdigit())
    return ("+" + d) if plus and d else d


def is_extension_like(value: str) -> bool:
    """True for short digit strings (1–5 digits) that look like PBX extensions."""
    return bool(_EXT.match(str(value)))


def _classify(raw: str, region: str, area_code: str | None) -> tuple[str | None, str]:
    d = digits_of(raw)
    if not d or d == "+":
        return None, "invalid"
    bare = d.lstrip("+")
    if area_code and not d.startswith("+") and 5 <= len(bare) <= 7 and len(area_code + bare) == 10:
        d = area_code + bare  # a local city number without its area code
    try:
        num = phonenumbers.parse(d, region)
    except phonenumbers.NumberParseException:
        return (d or None), "invalid"
    if not phonenumbers.is_valid_number(num):
        return d, "invalid"
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.region_code_for_number(num) != region:
        return e164, "foreign"
    return e164, _TYPE_MAP.get(phonenumbers.number_type(num), "other")


def normalize_number(value: str, region: str = "RU", *, area_code: str | None = None) -> tuple[str | None, str]:
    """Normalize one raw number: ``(E.164 or cleaned digits, number_type)``.

    Invalid numbers keep their cleaned digits (so a local number can still be matched to a
    callback) and get the type ``invalid``.

    >>> normalize_number("8 (916) 123-45-67")
    ('+79161234567', 'mobile')
    >>> normalize_number("+7 701 123 45 67")
    ('+77011234567', 'foreign')
    >>> normalize_number("101")
    ('101', 'invalid')
    """
    return _classify(value, region, area_code)


_NANP_LIKE = re.compile(r"^(?:\+7|8|7)?(\d{10})$")


def _classify_many(uniq: list[str], region: str, area_code: str | None) -> list[tuple[str | None, str]]:
    """Classify distinct raw numbers. For the +7 zone (RU/KZ), whose number type and validity are
    fixed by the first six national digits (libphonenumber's RU and KZ patterns are a prefix
    followed by free digits), one full parse per six-digit prefix is reused for the rest."""
    out: list[tuple[str | None, str]] = []
    cache: dict[str, str] = {}
    fast = region == "RU"
    for u in uniq:
        d = digits_of(u)
        m = _NANP_LIKE.match(d) if fast else None
        if m is not None and not (d.startswith("7") and len(d) == 10) and not (len(d) == 10 and d[0] not in "3489"):
            nat = m.group(1)
            key = nat[:6]
            typ = cache.get(key)
            if typ is None:
                typ = _classify("+7" + nat, region, None)[1]
                cache[key] = typ
            out.append((("+7" + nat) if typ != "invalid" else d, typ))
        else:
            out.append(_classify(u, region, area_code))
    return out


def normalize_numbers(values: Iterable[str] | pd.Series, region: str = "RU", *,
                      area_code: str | None = None) -> pd.DataFrame:
    """Normalize many raw numbers, each distinct value parsed once.

    Parameters
    ----------
    values : iterable of str
        Raw party strings as in the export (NA allowed).
    region : str
        Home region for national formats (``8…``, bare 10 digits).
    area_code : str, optional
        Digits prefixed to 5–7-digit local numbers (a city PBX export without area codes).

    Returns
    -------
    DataFrame
        Indexed like ``values`` with columns ``number`` (E.164, cleaned digits when invalid,
        NA when empty) and ``number_type``.

    Examples
    --------
    >>> normalize_numbers(["89161234567", "+74951234567", "88005553535"])["number_type"].tolist()
    ['mobile', 'landline', 'toll_free']
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    codes, uniq = pd.factorize(s.astype(object), use_na_sentinel=True)
    res = _classify_many([str(u) for u in uniq], region, area_code)
    nums = np.array([r[0] for r in res] + [None], dtype=object)
    typs = np.array([r[1] for r in res] + [None], dtype=object)
    return pd.DataFrame({"number": pd.array(nums[codes], dtype="string"),
                         "number_type": pd.array(typs[codes], dtype="string")}, index=s.index)
