"""Loaders: every supported export format into the canonical call table.

``load_calls(paths, ...)`` reads each file, recognises its format from the content (or takes
``source=``), parses records into legs, rejects bad records with reasons, drops exact duplicate
records, folds legs into sessions and reports everything in :class:`LoadReport`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema as S
from callkit.errors import FormatError, InputError
from callkit.io import registry
from callkit.io.base import LEG_INPUT, ParseContext
from callkit.io.employees import load_employees
from callkit.io.fold import Directory, fold_sessions
from callkit.io.report import REJECT_COLUMNS, LoadReport, LoadResult
from callkit.io.text import RawTable, read_table
from callkit.numbers import normalize_numbers
from callkit.profile import Profile

__all__ = ["load_calls", "load_profile_calls", "load_employees", "LoadReport", "LoadResult",
           "detect_format", "FORMATS"]

FORMATS = registry.FORMATS


def detect_format(table: RawTable) -> tuple[str, float]:
    """Best-scoring format name and its score for a read table."""
    return registry.detect(table)


def _duplicates(legs: pd.DataFrame) -> np.ndarray:
    """Records identical in every field callkit reads: the same export pasted twice, or files
    that overlap. Row-position keys (``file:line``, given to records without an id) do not
    count, so a record repeated on another line of the same file is found too.

    Two stages for speed: a hash of the times finds candidates; only those are compared in full.
    """
    times = legs[["start", "answered_at", "end", "talk_s"]]
    quick = pd.util.hash_pandas_object(times, index=False)
    cand = quick.duplicated(keep=False).to_numpy()
    out = np.zeros(len(legs), dtype=bool)
    if not cand.any():
        return out
    sub = legs.loc[cand]
    row_key = sub["source_file"].astype("str") + ":" + sub["source_row"].astype("str")
    cols = [c for c in LEG_INPUT if c not in ("row", "session_key", "leg_id")] + ["_fmt"]
    full = sub[cols].astype("str")
    for c in ("session_key", "leg_id"):
        v = sub[c].astype("str")
        full[c] = v.where(v != row_key, "")
    out[np.flatnonzero(cand)] = full.duplicated().to_numpy()
    return out


def _apply_line_area_codes(calls: pd.DataFrame, codes: dict[str, str], region: str, *,
                           default: str | None = None) -> pd.DataFrame:
    """Complete local (5–7 digit) client numbers with the area code of the line they used
    (``default`` for other lines)."""
    by_line = {}
    for line, ac in codes.items():
        norm = normalize_numbers([line], region)["number"].iloc[0]
        by_line[str(line)] = by_line[str(norm)] = str(ac)
    short = (calls[S.NUMBER_TYPE] == "invalid") & calls[S.CLIENT_NUMBER].astype("str").str.fullmatch(r"\d{5,7}").fillna(False)
    ac = calls[S.LINE].astype("str").map(by_line)
    if default:
        ac = ac.fillna(default)
    todo = short & ac.notna()
    if not todo.any():
        return calls
    out = calls.copy()
    fixed = [normalize_numbers([n], region, area_code=a).iloc[0]
             for n, a in zip(out.loc[todo, S.CLIENT_NUMBER], ac[todo])]
    out.loc[todo, S.CLIENT_NUMBER] = [f["number"] for f in fixed]
    out[S.NUMBER_TYPE] = out[S.NUMBER_TYPE].astype(object)
    out.loc[todo, S.NUMBER_TYPE] = [f["number_type"] for f in fixed]
    return S.coerce(out)


def _as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    out = [Path(p) for p in paths]
    if not out:
        raise InputError("no call files given; expected at least one export file")
    return out


def load_calls(paths: str | Path | Iterable[str | Path], *, source: str = "auto",
               tz: str = "Europe/Moscow", region: str = "RU",
               employees: str | Path | pd.DataFrame | None = None,
               own_numbers: Sequence[str] = (), column_map: dict[str, str] | None = None,
               columns: Sequence[str] | None = None, area_code: str | None = None,
               line_area_codes: dict[str, str] | None = None) -> LoadResult:
    """Load call exports into the canonical call table (DESIGN §2).

    Parameters
    ----------
    paths : path or list of paths
        Export files (CSV/TSV/XLSX); several files are loaded together (e.g. history months).
    source : str
        ``"auto"`` (recognise from content) or a format name from :data:`FORMATS`.
    tz : str
        The client's time zone; naive source times are taken as local wall time there.
    region : str
        Home region for phone numbers.
    employees : path or DataFrame, optional
        The employees directory (extension, name, department).
    own_numbers : list of str
        The company's own numbers: calls between them and extensions are internal.
    column_map : dict, optional
        For generic files: canonical field → the file's column name
        (``{"start": "Дата звонка", "client": "Телефон"}``).
    columns : list of str, optional
        Column order of a headerless export (Mango Office stats, requested ``fields``).
    area_code : str, optional
        Area code for local numbers written without it (``214943`` → ``+73012214943`` with
        ``"3012"``). Without it such numbers stay ``invalid`` and a note counts them.
    line_area_codes : dict, optional
        Area codes per company line (E.164 or as in the export), for offices in several cities;
        they take precedence over ``area_code`` for calls on those lines.

    Returns
    -------
    LoadResult
        ``.calls`` (canonical table), ``.legs`` and ``.report``.

    Raises
    ------
    InputError
        A file is missing, empty, binary, in no recognised format, or ``column_map`` names a
        column the file lacks. Bad records do not raise: they are in ``report.rejected``.
    """
    files = _as_paths(paths)
    if source != "auto" and source not in FORMATS:
        raise InputError(f"unknown source {source!r}; expected 'auto' or one of {sorted(FORMATS)}")
    emp = employees if isinstance(employees, pd.DataFrame) or employees is None else load_employees(employees)
    ctx = ParseContext(tz=tz, columns=list(columns) if columns else None, column_map=column_map)
    report = LoadReport(files=[str(f) for f in files])
    all_legs: list[pd.DataFrame] = []
    rejected: list[dict] = []
    for f in files:
        table = read_table(f)
        if source == "auto" and not column_map and not columns:
            name, score = registry.detect(table)
            if score < 0.3:
                first = table.raw(0)[:120]
                raise FormatError(f"{f}: format not recognised (first line {first!r}, delimiter "
                                  f"{table.delimiter!r}); pass source= one of {sorted(FORMATS)} or a "
                                  "column_map for a generic file")
        elif source == "auto":
            name = "mango" if columns and not column_map else "generic"
        else:
            name = source
        fmt = FORMATS[name]
        parsed = fmt.parse(table, ctx)
        report.formats[str(f)] = name
        report.encodings[str(f)] = table.encoding
        report.notes.extend(table.notes and [f"{f.name}: {n}" for n in table.notes] or [])
        report.notes.extend(parsed.notes)
        n_data = len(parsed.data_rows) if parsed.data_rows is not None else len(table)
        report.rows_read += n_data
        if n_data == 0:
            report.notes.append(f"{f.name}: header only, no data rows")
        rej = dict(parsed.rejects)
        for i, reason in parsed.rejects:
            rejected.append({"source_file": f.name, "source_row": table.lines[i], "raw": table.raw(i),
                             "reason": reason})
        legs = parsed.legs
        if legs is None or legs.empty:
            continue
        legs = legs[~legs["row"].isin(list(rej))]
        legs = legs.assign(source_file=f.name, source_row=table.lines[legs["row"].to_numpy(dtype=int)],
                           _fmt=name)
        all_legs.append(legs)
        del table, parsed, legs   # the file's bytes are not needed past this point (peak memory)
    report.rejected = pd.DataFrame(rejected, columns=list(REJECT_COLUMNS))
    fmts = sorted(set(report.formats.values()))
    report.format = fmts[0] if len(fmts) == 1 else "+".join(fmts)
    encs = sorted(set(report.encodings.values()))
    report.encoding = encs[0] if len(encs) == 1 else "+".join(encs)
    if all_legs:
        legs = pd.concat([lg[[c for c in LEG_INPUT if c in lg] + ["source_file", "source_row", "_fmt"]]
                          for lg in all_legs], ignore_index=True)
        for c in LEG_INPUT:
            if c not in legs:
                legs[c] = None
        legs["session_key"] = legs["session_key"].astype(str)
        for c in ("start", "answered_at", "end"):
            legs[c] = legs[c].astype(f"datetime64[ns, {tz}]")
        dup = _duplicates(legs)
        report.duplicates = int(dup.sum())
        legs = legs.loc[~dup].drop(columns=["_fmt"]).reset_index(drop=True)
        legs["order"] = range(len(legs))
    else:
        legs = pd.DataFrame(columns=list(LEG_INPUT) + ["source_file", "source_row", "order"])
    report.rows_loaded = len(legs)
    calls, legs_out, notes = fold_sessions(legs, tz=tz, region=region, directory=Directory(emp),
                                           own_numbers=tuple(own_numbers),
                                           area_code=None if line_area_codes else area_code)
    if line_area_codes:
        calls = _apply_line_area_codes(calls, line_area_codes, region, default=area_code)
    report.notes.extend(notes)
    report.sessions = len(calls)
    report.machine_answered = int(calls[S.MACHINE_ANSWERED].sum()) if len(calls) else 0
    if report.rows_read and not report.rows_loaded:
        report.notes.append("no row could be loaded: see the rejected rows for the reasons")
    if not report.reconciled:  # pragma: no cover - an internal invariant
        raise AssertionError(f"load report does not reconcile: {report.to_dict()}")
    return LoadResult(calls=calls, legs=legs_out, report=report)


def load_profile_calls(profile: Profile, *, employees: pd.DataFrame | None = None) -> LoadResult:
    """Load a client's calls the way its profile says (files, format, column map, time zone,
    region, employees, own numbers, area codes): the one place audits and transcript runs
    load a profile's calls from.

    Raises
    ------
    InputError
        When the profile names no call files, or a file cannot be loaded.
    """
    if not profile.calls:
        raise InputError(f"{profile.source or 'profile'}: field 'calls' is empty; expected the "
                         "call export file(s)")
    if employees is None and profile.employees is not None:
        employees = load_employees(profile.employees)
    return load_calls(profile.calls, source=profile.calls_format, tz=profile.timezone,
                      region=profile.region, employees=employees, own_numbers=profile.own_numbers,
                      column_map=profile.column_map, area_code=profile.area_code,
                      line_area_codes=profile.line_area_codes or None)
