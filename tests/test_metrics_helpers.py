"""Builders of small canonical call tables for the metric tests (no tests here).

``call(...)`` makes one session as a dict; ``calls_frame([...])`` makes the canonical frame
(through ``schema.coerce``). Synthetic numbers only: mobiles +7972 0..., landlines +7495 00....
"""
from __future__ import annotations

import pandas as pd

from callkit import schema

TZ = "Europe/Moscow"


def call(cid, start, direction, status="answered", employee=None, number=None, *, ring=5.0,
         talk=0.0, dept=None, ntype=None, line=None, machine=False, ext=None):
    """One session; ``end`` = start + ring + talk; answered_at = start + ring when answered."""
    t0 = pd.Timestamp(start).tz_localize(TZ)
    answered = status == "answered"
    if ntype is None and number is not None:
        ntype = "mobile" if number.startswith("+797") else "landline"
    return {
        schema.CALL_ID: cid, schema.START: t0,
        schema.ANSWERED_AT: t0 + pd.Timedelta(seconds=ring) if answered else pd.NaT,
        schema.END: t0 + pd.Timedelta(seconds=ring + (talk if answered else 0)),
        schema.RING_S: float(ring), schema.TALK_S: float(talk if answered else 0),
        schema.DIRECTION: direction, schema.STATUS: status, schema.EMPLOYEE: employee,
        schema.DEPARTMENT: dept, schema.CLIENT_NUMBER: number,
        schema.NUMBER_TYPE: ntype if direction != "internal" else None,
        schema.LINE: line, schema.SOURCE_ROW: 0,
        schema.EXTENSION: ext, schema.MACHINE_ANSWERED: machine, schema.SOURCE_FILE: "test",
    }


def calls_frame(rows) -> pd.DataFrame:
    """Canonical call table from ``call(...)`` dicts (source_row = position)."""
    if not rows:
        return schema.empty_calls(TZ)
    df = pd.DataFrame(rows)
    df[schema.SOURCE_ROW] = range(1, len(df) + 1)
    for col in (schema.START, schema.ANSWERED_AT, schema.END):
        df[col] = pd.to_datetime(df[col]).dt.tz_convert(TZ) if df[col].notna().any() else \
            pd.Series(pd.NaT, index=df.index, dtype=f"datetime64[ns, {TZ}]")
    df = schema.coerce(df[list(schema.CALL_COLUMNS + schema.EXTRA_COLUMNS)])
    return schema.validate(df)
