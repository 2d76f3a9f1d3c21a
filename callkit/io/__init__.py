"""Loaders: every supported export format into the canonical call table.

``load_calls(paths, ...)`` reads each file, recognises its format from the content (or takes
``source=``), parses records into legs, rejects bad records with reasons, drops exact duplicate
records, folds legs into sessions and reports everything in :class:`LoadReport`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import engine, progress
from callkit import schema as S
from callkit.errors import FormatError, InputError
from callkit.io import registry
from callkit.io.base import LEG_INPUT, Format, ParseContext
from callkit.io.employees import load_employees
from callkit.io.fold import Directory, fold_sessions
from callkit.io.report import REJECT_COLUMNS, LoadReport, LoadResult
from callkit.io.text import RawTable, read_tables
from callkit.numbers import normalize_numbers
from callkit.profile import Profile, check_region, check_timezone

__all__ = ["load_calls", "load_profile_calls", "load_employees", "LoadReport", "LoadResult",
           "detect_format", "FORMATS", "MEMORY_PER_LEG"]

FORMATS = registry.FORMATS


def detect_format(table: RawTable) -> tuple[str, float]:
    """Best-scoring format name and its score for a read table."""
    return registry.detect(table)


#: Memory a record of a call export takes at the peak of loading and auditing it (``callkit
#: metrics`` on generated Asterisk exports, 2026-12-04: 10M legs 7.0 GiB peak RSS, 30M legs —
#: a year of a 1,000-seat contact centre, 8.8 GB — 20.0 GiB; 0.65 GiB per million legs
#: between them): what a load is reckoned to need before it starts.
MEMORY_PER_LEG = 700


def _too_big(path: Path, need: int, avail: int, *, first: bool) -> str:
    """The one line refusing a load that would outgrow the machine's memory (the system would
    kill the process part way, minutes on, with no word of why)."""
    def size(b: int) -> str:
        return f"{b / (1 << 30):.1f} GB" if b >= 1 << 28 else f"{b / (1 << 20):.0f} MB"
    return (f"{path}: about {need // MEMORY_PER_LEG:,} call records{'' if first else ' with the files before it'}, "
            f"which need about {size(need)} of memory to load and audit, and this machine has "
            f"{size(avail)} available; split the export (by month, say) and audit the parts, "
            "or set CALLKIT_MEMORY_CHECK=0 to try anyway")


def _duplicates(legs: pd.DataFrame) -> np.ndarray:
    """Records identical in every field callkit reads: the same export pasted twice, or files
    that overlap. Row-position keys (``file:line``, given to records without an id) do not
    count, so a record repeated on another line of the same file is found too.

    Three stages for speed: a hash of the times finds candidates, a hash of their parties
    narrows them; only those are compared in full. Legs sharing their times alone grow with the
    square of the legs in a period (4 % of 1M legs, 7 % of 3M), so the parties' hash — run only
    on those — keeps the full comparison linear.
    """
    times = legs[["start", "answered_at", "end", "talk_s"]]
    quick = pd.util.hash_pandas_object(times, index=False)
    cand = quick.duplicated(keep=False).to_numpy().copy()
    out = np.zeros(len(legs), dtype=bool)
    if not cand.any():
        return out
    at = np.flatnonzero(cand)
    parties = legs[["src", "dst"]].iloc[at].astype("str")
    both = pd.Series(quick.to_numpy()[at] ^ pd.util.hash_pandas_object(parties, index=False).to_numpy())
    cand[at] = both.duplicated(keep=False).to_numpy()
    if not cand.any():
        return out
    sub = legs.loc[cand]
    row_key = sub["source_file"].astype("str") + ":" + sub["source_row"].astype("str")
    cols = [c for c in LEG_INPUT if c not in ("row", "session_key", "leg_id")] + ["_fmt"]
    # as text, but times as their int64 instants: within one column (one time zone) the same
    # text is the same instant, and pandas formats tz-aware times slowly (1 s for 40k legs)
    times = [c for c in cols if isinstance(sub[c].dtype, pd.DatetimeTZDtype)]
    full = sub[cols].astype({c: "str" for c in cols if c not in times})
    for c in times:
        full[c] = sub[c].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").view("int64")
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


def _label(path: Path, table: RawTable) -> str:
    """The key of a file (or of one sheet of a workbook) in the report's per-file mappings."""
    return f"{path}[{table.sheet}]" if table.sheet else str(path)


def _table_format(table: RawTable, source: str, column_map: dict[str, str] | None,
                  columns: Sequence[str] | None) -> str:
    """The format of one table: ``source``, or recognised from the content.

    Raises
    ------
    FormatError
        When no format recognises the table.
    """
    if source != "auto":
        return source
    if column_map or columns:
        return "mango" if columns and not column_map else "generic"
    name, score = registry.detect(table)
    if score < 0.3:
        where = f"{table.path}: sheet {table.sheet!r}" if table.sheet else str(table.path)
        raise FormatError(f"{where}: format not recognised (first line {table.raw(0)[:120]!r}, "
                          f"delimiter {table.delimiter!r}); pass source= one of {sorted(FORMATS)} or "
                          "a column_map for a generic file")
    return name


def _parse_table(table: RawTable, fmt: Format, ctx: ParseContext, report: LoadReport,
                 rejected: list[dict]) -> pd.DataFrame | None:
    """Parse one table into legs, counting its data records and collecting its rejects.

    Records the text layer already rejected (an unclosed quote, an overlong record; see
    :mod:`callkit.io.text`) are rejected here with that reason whatever the parser made of them.
    """
    label = table.name
    parsed = fmt.parse(table, ctx)
    report.notes.extend(f"{label}: {n}" for n in table.notes)
    report.notes.extend(parsed.notes)
    data_rows = parsed.data_rows if parsed.data_rows is not None else range(len(table))
    report.rows_read += len(data_rows)
    if not len(data_rows):
        report.notes.append(f"{label}: header only, no data rows")
    if table.blank_lines:   # (the lines of the file = the rows read + these + multi-line records' rest)
        report.notes.append(f"{label}: {table.blank_lines} empty line(s) skipped: no fields, not rows")
    rej = dict(parsed.rejects)
    if table.broken:
        data_set = set(data_rows)
        rej.update({i: why for i, why in table.broken.items() if i in data_set})
    for i, reason in sorted(rej.items()):
        rejected.append({"source_file": label, "source_row": table.lines[i], "raw": table.shown(i),
                         "reason": reason})
    legs = parsed.legs
    if legs is None or legs.empty:
        return None
    if rej:   # (a boolean selection copies every column: only when there is a row to drop)
        legs = legs[~legs["row"].isin(list(rej))]
    return legs.assign(source_file=label, source_row=table.lines[legs["row"].to_numpy(dtype=int)])


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
        Also, before a file is parsed, when its records (with those of the files before it)
        would need more memory than the machine has available (:data:`MEMORY_PER_LEG` each;
        ``CALLKIT_MEMORY_CHECK=0`` skips the check).
    """
    files = _as_paths(paths)
    tz = check_timezone(tz, where="tz")
    region = check_region(region, where="region")
    if source != "auto" and source not in FORMATS:
        raise InputError(f"unknown source {source!r}; expected 'auto' or one of {sorted(FORMATS)}")
    emp = employees if isinstance(employees, pd.DataFrame) or employees is None else load_employees(employees)
    directory = Directory(emp)
    ctx = ParseContext(tz=tz, columns=list(columns) if columns else None, column_map=column_map,
                       directory=frozenset(directory.by_ext))
    report = LoadReport(files=[str(f) for f in files])
    all_legs: list[pd.DataFrame] = []
    rejected: list[dict] = []
    tick = progress.start("loading", [f.name for f in files] + ["duplicates", "fold"],
                          size=sum(f.stat().st_size for f in files if f.is_file()),
                          min_size=progress.MIN_BYTES)
    need, avail = 0, None if os.environ.get("CALLKIT_MEMORY_CHECK", "1") == "0" else engine.available_bytes()
    for f in files:
        tables = read_tables(f)
        skipped: list[str] = []
        first_error: FormatError | None = None
        for table in tables:
            if avail is not None:
                need += table.estimated_records() * MEMORY_PER_LEG
                if need > avail:
                    raise InputError(_too_big(f, need, avail, first=f == files[0]))
            try:
                name = _table_format(table, source, column_map, columns)
                legs = _parse_table(table, FORMATS[name], ctx, report, rejected)
            except FormatError as exc:
                if len(tables) == 1:
                    raise
                first_error = first_error or exc
                report.notes.extend(f"{table.name}: {n}" for n in table.notes)
                skipped.append(f"{table.sheet!r} ({str(exc).removeprefix(f'{f}: ')})")
                continue
            report.formats[_label(f, table)] = name
            report.encodings[_label(f, table)] = table.source_encoding
            if legs is not None:
                all_legs.append(legs.assign(_fmt=name))
            del legs
        if skipped and len(skipped) == len(tables):
            raise FormatError(f"{f}: no sheet of the workbook is a call export; first: {first_error}")
        if skipped:
            report.notes.append(f"{f.name}: sheet(s) skipped, not a call export: {'; '.join(skipped)}")
        del table, tables   # the file's bytes are not needed past this point (peak memory)
        tick.step(f.name)
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
        legs = (legs.loc[~dup] if report.duplicates else legs).drop(columns=["_fmt"]).reset_index(drop=True)
        legs["order"] = range(len(legs))
    else:
        legs = pd.DataFrame(columns=list(LEG_INPUT) + ["source_file", "source_row", "order"])
    tick.step("duplicates")
    report.rows_loaded = len(legs)
    calls, legs_out, notes = fold_sessions(legs, tz=tz, region=region, directory=directory,
                                           own_numbers=tuple(own_numbers),
                                           area_code=None if line_area_codes else area_code)
    tick.step("fold")
    tick.close()
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
