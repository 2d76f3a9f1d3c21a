"""Personal-data masking and spreadsheet safety for manager-facing outputs.

Client phone numbers are personal data: what goes to a client's managers (HTML, XLSX) shows
them masked, ``+7 916 ***-**-67``. Text that came from a source file can never become an
Excel formula, and output folders built from a profile's slug can never leave the output root.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from callkit import schema
from callkit.errors import InputError

__all__ = [
    "mask_number", "mask_text", "mask_frame", "NUMBER_COLUMNS",
    "FORMULA_PREFIXES", "is_formula_like", "safe_text", "safe_output_dir",
]

#: Columns that hold client numbers in callkit tables (masked whole-cell).
NUMBER_COLUMNS: tuple[str, ...] = (schema.CLIENT_NUMBER, "number", "src", "dst")

#: Leading characters that make a spreadsheet treat text as a formula (plus tab / CR that
#: some spreadsheet programs strip before evaluating).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_SLUG = re.compile(r"^[a-z0-9_-]+$")
# What mask_number writes ("+7 916 ***-**-67", "+4420 ******18", "****"): left as it is, so
# masking twice does not turn "+7 916 ***-**-67" into "+7 ***67".
_MASKED = re.compile(r"^(?:\+\d{1,4} (?:\d{3} )?)?[*-]*\*[*-]*\d{0,2}$")
# An international number inside free text: '+' then 10..15 digits, possibly separated by
# single spaces, dashes or brackets ("+79161234567", "+7 916 123-45-67", "+7 (916) 123 45 67").
_NUMBER_IN_TEXT = re.compile(r"\+\d(?:[\s\-()]{0,2}\d){9,14}")
# Russian forms without '+' in free text: 8 916 123-45-67, 89161234567, and the 7-prefixed
# form a transcript's tokenizer leaves of "+7 916 123-45-67" ("7 916 123-45-67").
_RU_DOMESTIC_IN_TEXT = re.compile(r"(?<![\d+])[78](?:[\s\-()]{0,2}\d){10}(?!\d)")
# A bare ten-digit national number as a client dictates it ("916 123 45 67", "4950012345"):
# an area/operator code of three digits said together, then seven more digits.
_RU_NATIONAL_IN_TEXT = re.compile(r"(?<![\d+])[3489]\d\d(?:[\s\-()]{0,2}\d){7}(?!\d)")


def mask_number(e164: object) -> object:
    """Mask a phone number for manager-facing outputs.

    Keeps the country code, the area/operator code and the last two digits:
    ``+79161234567`` -> ``+7 916 ***-**-67``. Numbers of other lengths keep their first
    four digits and last two. Missing values and non-numbers are returned unchanged
    (missing) or with every digit but the last two replaced (other text).

    Parameters
    ----------
    e164 : str or NA
        A number, ideally in E.164 (``+74950012345``).

    Returns
    -------
    str or NA

    Examples
    --------
    >>> mask_number("+79161234567")
    '+7 916 ***-**-67'
    >>> mask_number("+74950012345")
    '+7 495 ***-**-45'
    """
    if e164 is None or (not isinstance(e164, str) and pd.isna(e164)):
        return e164
    text = str(e164).strip()
    digits = re.sub(r"\D", "", text)
    if not digits or _MASKED.match(text):
        return text
    if len(digits) == 11 and (text.startswith("+7") or digits[0] in "78"):
        return f"+7 {digits[1:4]} ***-**-{digits[-2:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 4 if len(digits) > 8 else 1
    hidden = len(digits) - keep_head - 2
    return f"+{digits[:keep_head]} " + "*" * hidden + digits[-2:]


def mask_text(text: object) -> object:
    """Mask every phone number found inside a free-text value (findings, notes).

    Examples
    --------
    >>> mask_text("Не перезвонили +79720123456 дважды")
    'Не перезвонили +7 972 ***-**-56 дважды'
    """
    if not isinstance(text, str):
        return text
    out = _NUMBER_IN_TEXT.sub(lambda m: mask_number(m.group(0)), text)
    out = _RU_DOMESTIC_IN_TEXT.sub(lambda m: mask_number(m.group(0)), out)
    return _RU_NATIONAL_IN_TEXT.sub(lambda m: mask_number("+7" + re.sub(r"\D", "", m.group(0))), out)


def mask_frame(frame: pd.DataFrame, *, columns: Iterable[str] | None = None,
               free_text: bool = True) -> pd.DataFrame:
    """Return a copy of ``frame`` with client numbers masked.

    Parameters
    ----------
    frame : DataFrame
        Any table; it is not modified.
    columns : iterable of str, optional
        Columns masked whole-cell with :func:`mask_number`; default: those of
        :data:`NUMBER_COLUMNS` present in ``frame``.
    free_text : bool, default True
        Also mask numbers embedded in the other text columns (:func:`mask_text`).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> df = pd.DataFrame({"client_number": ["+79720123456"], "text": ["звонок +74950012345"]})
    >>> mask_frame(df).iloc[0].tolist()
    ['+7 972 ***-**-56', 'звонок +7 495 ***-**-45']
    """
    out = frame.copy()
    cols = list(columns) if columns is not None else [c for c in NUMBER_COLUMNS if c in out.columns]
    for col in cols:
        if col in out.columns:
            out[col] = out[col].map(mask_number).astype(object)
    if free_text:
        for col in out.columns:
            if col in cols:
                continue
            ser = out[col]
            if ser.dtype == object or pd.api.types.is_string_dtype(ser.dtype):
                masked = ser.map(mask_text).astype(object)
                changed = [isinstance(v, str) and m != v for m, v in zip(masked, ser.astype(object))]
                if any(changed):   # keep the column's dtype when nothing was masked
                    out[col] = masked
    return out


def is_formula_like(text: object) -> bool:
    """True when ``text`` is a string a spreadsheet could read as a formula.

    Examples
    --------
    >>> is_formula_like("=HYPERLINK(\\"http://x\\")"), is_formula_like("Иванов")
    (True, False)
    """
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def safe_text(text: object) -> object:
    """Neutralise formula-like text for CSV-style outputs by prefixing an apostrophe.

    (The XLSX writer does better: it stores the text as a string cell with a quote prefix,
    so the value itself is kept unchanged.)

    Examples
    --------
    >>> safe_text("=1+1"), safe_text("ok")
    ("'=1+1", 'ok')
    """
    return "'" + text if is_formula_like(text) else text


def safe_output_dir(out: str | Path, slug: str) -> Path:
    """The folder ``<out>/<slug>``, refusing any slug that could leave ``out``.

    Parameters
    ----------
    out : path
        The output root.
    slug : str
        A profile's slug (``[a-z0-9_-]+``).

    Returns
    -------
    Path
        Absolute, resolved path inside ``out`` (not created).

    Raises
    ------
    InputError
        When the slug is not ``[a-z0-9_-]+`` or the resolved path is not inside ``out``.

    Examples
    --------
    >>> safe_output_dir("/tmp/out", "romashka").as_posix()
    '/tmp/out/romashka'
    """
    if not isinstance(slug, str) or not _SLUG.match(slug) or slug in (".", ".."):
        raise InputError(f"Slug {slug!r} cannot name an output folder; expected lowercase letters, "
                         "digits, '_' or '-' only.")
    root = Path(out).resolve()
    target = (root / slug).resolve()
    if target.parent != root:
        raise InputError(f"Slug {slug!r} resolves to {target}, outside the output folder {root}.")
    return target
