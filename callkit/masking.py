"""Personal-data masking and spreadsheet safety for manager-facing outputs.

Client phone numbers are personal data: what goes to a client's managers (HTML, XLSX) shows
them masked, ``+7 916 ***-**-67``. Text that came from a source file can never become an
Excel formula, and output folders built from a profile's slug can never leave the output root.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError

__all__ = [
    "mask_number", "mask_text", "mask_frame", "mask_figure", "find_numbers", "NUMBER_COLUMNS", "SEPARATORS",
    "FORMULA_PREFIXES", "is_formula_like", "safe_text", "safe_output_dir",
]

#: Columns that hold client numbers in callkit tables (masked whole-cell).
NUMBER_COLUMNS: tuple[str, ...] = (schema.CLIENT_NUMBER, "number", "src", "dst")

#: Leading characters that make a spreadsheet treat text as a formula (plus tab / CR that
#: some spreadsheet programs strip before evaluating).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_SLUG = re.compile(r"[a-z0-9_-]+")
# What mask_number writes ("+7 916 ***-**-67", "+4420 ******18", "****"): left as it is, so
# masking twice does not turn "+7 916 ***-**-67" into "+7 ***67".
_MASKED = re.compile(r"^(?:\+\d{1,4} (?:\d{3} )?)?[*-]*\*[*-]*\d{0,2}$")

#: Characters that may separate the digit groups of a written phone number: every kind of space,
#: every dash (hyphen, non-breaking hyphen, figure/en/em dash, minus, fullwidth), dots, brackets.
SEPARATORS = " \t\u00a0\u2007\u2009\u202f.-()\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SEP = "[" + re.escape(SEPARATORS) + "]"
# A run of digits joined by at most four separators, optionally after '+'; what in it is a phone
# number is decided group by group (_phones). Not started inside a longer run of digits.
_RUN = re.compile(rf"(?<![0-9+])(?:\+{_SEP}{{0,4}})?[0-9]+(?:{_SEP}{{1,4}}[0-9]+)*(?![0-9])")
_GROUP = re.compile(r"[0-9]+")
# A canonical E.164 cell (the call table's client_number): one run, '+' and 8-15 digits, which
# find_numbers reads whole as those digits (_as_phone with '+')
_E164 = re.compile(r"\+[0-9]{8,15}")
_LOCAL_SEP = re.compile(r"[\s\-\u2010-\u2015\u2212]{1,3}")


def _national_ok(groups: list[str]) -> bool:
    """Ten national digits (RU/KZ numbering) written as a phone number: the first group holds
    at least the 3-digit area/operator code (an amount ``4 000 000 000`` starts with 1 digit)."""
    return sum(map(len, groups)) == 10 and groups[0][0] in "3456789" and len(groups[0]) >= 3


# 1 000 000 or 12.500.000: an amount in groups of three, never a phone number
_AMOUNT = re.compile(r"[0-9]{1,3}(?:(?P<s>[ \u00a0\u2009\u202f.])[0-9]{3})(?:(?P=s)[0-9]{3})*")


def _as_phone(groups: list[str], seps: list[str], plus: bool) -> str | None:
    """The digits (E.164 without '+', or 7 local digits) of a run of digit groups that is a phone
    number in one of the forms people and exports write, else None."""
    d = "".join(groups)
    n = len(d)
    if plus:
        return d if 8 <= n <= 15 else None
    if d.startswith("810") and 11 <= n <= 18 and d[3] != "0":
        return d[3:]                                  # 8 10 <country> ...: dialled abroad from Russia
    if d.startswith("00") and 10 <= n <= 17 and d[2] != "0":
        return d[2:]                                  # 00 <country> ...
    if n == 11 and d[0] in "78":                      # 8 / 7 trunk prefix + ten national digits
        if (groups[0] in ("7", "8") and _national_ok(groups[1:])) or (
                len(groups[0]) >= 4 and _national_ok([groups[0][1:], *groups[1:]])):
            return "7" + d[1:]
        return None
    if _national_ok(groups):
        return "7" + d
    if [len(g) for g in groups] == [3, 2, 2] and all(_LOCAL_SEP.fullmatch(x) for x in seps):
        return d                                      # a local number: 123-45-67
    return None


def _masked_digits(d: str) -> str:
    """The masked form of phone digits from :func:`_as_phone`."""
    if len(d) == 7:
        return f"***-**-{d[-2:]}"
    if len(d) == 11 and d[0] == "7":
        return f"+7 {d[1:4]} ***-**-{d[-2:]}"
    keep_head = 4 if len(d) > 8 else 1
    return f"+{d[:keep_head]} " + "*" * (len(d) - keep_head - 2) + d[-2:]


def _phones(run: str) -> list[tuple[int, int, str]]:
    """The phone numbers inside one run of digits and separators: (start, end, digits)."""
    plus = run.startswith("+")
    if not plus and _AMOUNT.fullmatch(run):
        return []
    groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(run)]
    out = []
    i = 0
    while i < len(groups):
        found = None
        for j in range(len(groups), i, -1):            # the longest number that starts at group i
            if sum(len(g[2]) for g in groups[i:j]) > 18:
                continue
            seps = [run[groups[k][1]:groups[k + 1][0]] for k in range(i, j - 1)]
            digits = _as_phone([g[2] for g in groups[i:j]], seps, plus and i == 0)
            if digits:
                found = (0 if plus and i == 0 else groups[i][0], groups[j - 1][1], digits, j)
                break
        if found:
            out.append(found[:3])
            i = found[3]
        else:
            i += 1
    return out


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every phone number written in ``text``: (start, end, digits), digits in E.164 without
    '+' (``79161234567``), or 7 digits for a local number without an area code.

    The forms found (any mix of spaces, dashes of every kind, dots and brackets between the
    digit groups): ``+7 916 123-45-67``, ``8 (916) 123–45–67``, ``7 916 123 45 67``,
    ``916.123.45.67``, ``9161234567``, ``7001234567``, international ``0079161234599`` and
    ``8104930123456`` (8-10 dialled from Russia), ``+49 30 1234567``, local ``123-45-67``. Not
    taken for numbers: amounts in groups of three (``4 000 000 000``), dates, times, Asterisk
    ids (``1761901234.5678``); a foreign number written without ``+``/``00``/``810`` cannot be
    told from other digits and is not found.

    Examples
    --------
    >>> [d for _, _, d in find_numbers("8 (916) 123–45–67, +7.916.123.45.68 или 0079161234599")]
    ['79161234567', '79161234568', '79161234599']
    """
    out = []
    for m in _RUN.finditer(text):
        for a, b, d in _phones(m.group()):
            a += m.start()
            out.append((a - 1 if a and text[a - 1] == "(" else a, m.start() + b, d))   # "(916) 123…"
    return out


def mask_number(e164: object) -> object:
    """Mask a phone number for manager-facing outputs.

    Keeps the country code, the area/operator code and the last two digits:
    ``+79161234567`` -> ``+7 916 ***-**-67``, whatever form it is written in (see
    :func:`find_numbers`). Other values in a number column keep their first digits and last two
    (``+1 **45``); four digits or fewer become stars. Missing values are returned unchanged.

    Parameters
    ----------
    e164 : str or NA
        A number, ideally in E.164 (``+74950012345``).

    Returns
    -------
    str or NA

    Examples
    --------
    >>> mask_number("+79161234567"), mask_number("8 (495) 001-23-45"), mask_number("+442079460018")
    ('+7 916 ***-**-67', '+7 495 ***-**-45', '+4420 ******18')
    """
    if e164 is None or (not isinstance(e164, str) and pd.isna(e164)):
        return e164
    if isinstance(e164, str) and _E164.fullmatch(e164):
        return _masked_digits(e164[1:])   # what find_numbers makes of it, without the search
    text = str(e164).strip()
    digits = re.sub(r"\D", "", text)
    if not digits or _MASKED.match(text):
        return text
    found = find_numbers(text)
    if len(found) == 1 and found[0][:2] == (0, len(text)):   # the cell is one number
        return _masked_digits(found[0][2])
    if found:
        return mask_text(text)
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 4 if len(digits) > 8 else 1
    return f"+{digits[:keep_head]} " + "*" * (len(digits) - keep_head - 2) + digits[-2:]


def mask_text(text: object) -> object:
    """Mask every phone number found inside a free-text value (see :func:`find_numbers`).

    Examples
    --------
    >>> mask_text("Не перезвонили +79720123456 дважды; моб. 8 916 123–45–67")
    'Не перезвонили +7 972 ***-**-56 дважды; моб. +7 916 ***-**-67'
    """
    if not isinstance(text, str):
        return text
    found = find_numbers(text)
    if not found:
        return text
    parts, pos = [], 0
    for a, b, d in found:
        parts += [text[pos:a], _masked_digits(d)]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def mask_figure(fig: object) -> object:
    """Mask the phone numbers in every text of a matplotlib figure (titles, tick labels, legends,
    annotations), in place, so its PNG and SVG show them masked too. Returns ``fig``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(); ax = fig.add_subplot(); _ = ax.set_title("8 916 123-45-67")
    >>> mask_figure(fig).axes[0].get_title()
    '+7 916 ***-**-67'
    """
    from matplotlib.text import Text
    from matplotlib.ticker import Formatter

    class _Masking(Formatter):
        """Tick labels are made at draw time (categories, dates): mask them as they are made."""

        def __init__(self, inner: Formatter) -> None:
            self.inner = inner

        def set_axis(self, axis: object) -> None:
            super().set_axis(axis)
            self.inner.set_axis(axis)

        def set_locs(self, locs: object) -> None:
            self.inner.set_locs(locs)

        def format_ticks(self, values: object) -> list[str]:
            return [mask_text(t) for t in self.inner.format_ticks(values)]

        def __call__(self, x: object, pos: object = None) -> str:
            return mask_text(self.inner(x, pos))

        def get_offset(self) -> str:
            return mask_text(self.inner.get_offset())

        def format_data_short(self, value: object) -> str:
            return self.inner.format_data_short(value)

    for ax in getattr(fig, "axes", []):
        for axis in (ax.xaxis, ax.yaxis):
            for get, put in ((axis.get_major_formatter, axis.set_major_formatter),
                             (axis.get_minor_formatter, axis.set_minor_formatter)):
                f = get()
                if not isinstance(f, _Masking) and type(f).__name__ != "_Masking":
                    put(_Masking(f))
    for t in fig.findobj(Text):
        text = t.get_text()
        if text and any(c.isdigit() for c in text):
            masked = mask_text(text)
            if masked != text:
                t.set_text(masked)
    return fig


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
            out[col] = _mask_column(out[col])
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


def _mask_column(ser: pd.Series) -> pd.Series:
    """``ser.map(mask_number)`` as objects; a text column's distinct numbers masked once each
    (an evidence table repeats a client's number on every call behind a finding)."""
    if not pd.api.types.is_string_dtype(ser.dtype) or ser.dtype == object:
        return ser.map(mask_number).astype(object)
    codes, uniques = pd.factorize(ser)
    out = ser.astype(object).to_numpy(copy=True)
    if len(uniques):
        masked = np.array([mask_number(u) for u in uniques], dtype=object)
        out[codes >= 0] = masked[codes[codes >= 0]]
    return pd.Series(out, index=ser.index, name=ser.name, dtype=object)


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
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or slug in (".", ".."):
        raise InputError(f"Slug {slug!r} cannot name an output folder; expected lowercase letters, "
                         "digits, '_' or '-' only.")
    root = Path(out).resolve()
    target = (root / slug).resolve()
    if target.parent != root:
        raise InputError(f"Slug {slug!r} resolves to {target}, outside the output folder {root}.")
    return target
