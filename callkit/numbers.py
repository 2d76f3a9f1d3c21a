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

__all__ = ["normalize_numbers", "normalize_number", "classify_unique", "classify_arrow", "digits_of", "is_extension_like", "NUMBER_TYPES"]

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


def _zone7_type(nat: str) -> str:
    """The type of ``+7`` + ten national digits, as :func:`_classify` gives it (region RU):
    the number built from its digits, not parsed from text (3× faster; one call per prefix of
    the bulk path). A national number with a leading zero is parsed as text (libphonenumber
    keeps that zero apart)."""
    if nat.startswith("0"):
        return _classify("+7" + nat, "RU", None)[1]
    num = phonenumbers.PhoneNumber(country_code=7, national_number=int(nat))
    if not phonenumbers.is_valid_number(num):
        return "invalid"
    if phonenumbers.region_code_for_number(num) != "RU":
        return "foreign"
    return _TYPE_MAP.get(phonenumbers.number_type(num), "other")


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


def classify_unique(values: pd.Series, region: str = "RU", *,
                    area_code: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Classify distinct raw numbers: (numbers, types) as object arrays aligned to ``values``.

    Numbers of the +7 zone in the usual forms (``+7``/``8``/``7`` + 10 digits) are handled in
    bulk: libphonenumber's RU and KZ patterns fix validity and type by the first six national
    digits, so one full parse per six-digit prefix serves all numbers sharing it (checked
    against a full parse of every number in the tests). Everything else is parsed one by one.
    """
    raw = pd.Series(values).reset_index(drop=True)
    if region == "RU" and len(raw):
        import pyarrow as pa
        nums, types = classify_arrow(pa.array(raw.to_numpy(object), type=pa.string(), from_pandas=True),
                                     region, area_code=area_code, _raw=raw)
        return nums.to_numpy(zero_copy_only=False), types
    numbers = np.empty(len(raw), dtype=object)
    types = np.empty(len(raw), dtype=object)
    for i in range(len(raw)):
        v = raw.iat[i]
        numbers[i], types[i] = (None, None) if v is None or v != v else _classify(str(v), region, area_code)
    return numbers, types


def classify_arrow(arr, region: str = "RU", *, area_code: str | None = None,
                   _raw: pd.Series | None = None):
    """:func:`classify_unique` of an Arrow string array of distinct raw numbers: (numbers as an
    Arrow string array, types as an object array). The numbers of the bulk path never become
    Python strings (a million-leg export has ~500k distinct parties)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    n = len(arr)
    types = np.empty(n, dtype=object)
    slow = np.ones(n, dtype=bool)
    fast = pa.array([], type=pa.string())
    idx = np.zeros(0, dtype=np.int64)
    if region == "RU" and n:
        clean = pc.replace_substring_regex(arr, pattern='[\\s()\\-.\u00a0/"]', replacement="")
        m = pc.extract_regex(clean, r"^(?:\+7|8|7)?(?P<nat>\d{10})$")
        ok = pc.and_(pc.is_valid(m), pc.invert(pc.and_(pc.equal(pc.utf8_length(clean), 10),
                                                         pc.starts_with(clean, "8"))))
        ok = ok.fill_null(False).to_numpy(zero_copy_only=False)
        if ok.any():
            nat = pc.struct_field(m, "nat").filter(pa.array(ok))
            pref = pc.utf8_slice_codeunits(nat, 0, 6).dictionary_encode()
            code = pref.indices.to_numpy(zero_copy_only=False)
            _, first = np.unique(code, return_index=True)       # one number per prefix
            sample = nat.take(pa.array(first)).to_pylist()
            typ_of = np.array([_zone7_type(v) for v in sample], dtype=object)
            t = typ_of[code]
            valid = t != "invalid"
            idx = np.flatnonzero(ok)[valid]
            fast = pc.binary_join_element_wise("+7", nat.filter(pa.array(valid)).cast(pa.string()), "")
            types[idx] = t[valid]
            slow[idx] = False
    rest = np.flatnonzero(slow)
    vals = (_raw.iloc[rest].tolist() if _raw is not None else arr.take(pa.array(rest)).to_pylist())
    res = [(None, None) if v is None or v != v else _classify(str(v), region, area_code) for v in vals]
    types[rest] = [r[1] for r in res]
    # the bulk numbers and the one-by-one ones, back in the order of ``arr``
    pos = np.empty(n, dtype=np.int64)
    pos[idx] = np.arange(len(idx))
    pos[rest] = len(idx) + np.arange(len(rest))
    both = pa.concat_arrays([fast, pa.array([r[0] for r in res], type=pa.string())])
    return both.take(pa.array(pos)), types


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
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    nums, typs = classify_unique(pd.Series(uniq), region, area_code=area_code)
    nums = np.append(nums, None)
    typs = np.append(typs, None)
    return pd.DataFrame({"number": pd.array(nums[codes], dtype="string"),
                         "number_type": pd.array(typs[codes], dtype="string")}, index=s.index)
