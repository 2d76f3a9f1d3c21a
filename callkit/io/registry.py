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
    sample = table.sample(200)
    for name, fmt in FORMATS.items():
        s = fmt.detect(sample)
        if s > score:
            best, score = name, s
    return best, score

# FreeSWITCH, 3CX, cloud exports and generic header files (detection scores: specific formats
# 0.93–0.97, generic 0.4–0.45 so that it only wins when nothing specific matches)
from callkit.io.cloud import BITRIX24, MANGO, SIPUNI, UIS  # noqa: E402
from callkit.io.freeswitch import FREESWITCH  # noqa: E402
from callkit.io.generic import GENERIC  # noqa: E402
from callkit.io.threecx import THREECX  # noqa: E402

for _f in (FREESWITCH, THREECX, SIPUNI, MANGO, BITRIX24, UIS, GENERIC):
    register(_f)

# second wave (FORMATS.md §7): CDR tables as they are handed over, other PBXs' logs, dumps
from callkit.io.cdr_tables import CDR_MINIMAL, FREEPBX_DOWNLOAD, PBXWARE, SPREADSHEET_CDR  # noqa: E402
from callkit.io.pbx import AVAYA_SMDR, PANASONIC_SMDR, YEASTAR  # noqa: E402
from callkit.io.sqldump import SQL_DUMP  # noqa: E402
from callkit.io.web_reports import UIS_WEB  # noqa: E402

for _f in (FREEPBX_DOWNLOAD, PBXWARE, SPREADSHEET_CDR, CDR_MINIMAL, YEASTAR, AVAYA_SMDR, PANASONIC_SMDR,
           UIS_WEB, SQL_DUMP):
    register(_f)
