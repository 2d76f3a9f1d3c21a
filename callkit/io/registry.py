"""The table of known formats and content-based detection."""
from __future__ import annotations

from callkit.io.asterisk import ASTERISK_CSV, ASTERISK_CUSTOM, ASTERISK_DB
from callkit.io.base import Format
from callkit.io.text import RawTable

__all__ = ["FORMATS", "detect", "register"]

FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


for _f in (ASTERISK_CSV, ASTERISK_CUSTOM, ASTERISK_DB):
    register(_f)


def detect(table: RawTable) -> tuple[str, float]:
    """The best-scoring format for ``table`` (name, score in 0..1)."""
    best, score = "", 0.0
    for name, fmt in FORMATS.items():
        s = fmt.detect(table)
        if s > score:
            best, score = name, s
    return best, score
