"""The whole audit in one call: load, classify, every metric table, findings; CSV output.

Used by the CLI (``callkit metrics``), the report and the notebooks:

* :func:`build_audit` — from a client :class:`~callkit.profile.Profile`.
* :func:`audit_from_load` — from an already loaded :class:`~callkit.io.LoadResult` (or a bare
  canonical call table), e.g. ``callkit metrics CALLS --employees F --tz TZ``.
* :func:`write_metrics` — the machine-readable CSVs of DESIGN §5.
"""
from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from callkit import classify, progress, schema
from callkit.errors import DataQualityWarning, InputError
from callkit.findings import EVIDENCE_COLUMNS, evaluate
from callkit.metrics import (
    CONCENTRATION_COLUMNS,
    MISSED_COLUMNS,
    STAFFING_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_METRICS,
    TRAFFIC_COLUMNS,
    _memo,
    compare_managers,
    concentration_summary,
    concurrency,
    flow_concentration,
    manager_summary,
    missed_calls,
    peak_hours,
    period_over_period,
    presence_at_peaks,
    staffing,
    tech_signals,
    to_call_back,
    traffic,
)
from callkit.metrics._memo import remembered
from callkit.metrics.compare import COMPARE_COLUMNS
from callkit.metrics.headline import headline, headline_table
from callkit.metrics.hours import WorkingHours, in_working_hours, off_hours, silent_working_dates
from callkit.metrics.managers import NEW_CLIENT_METRICS
from callkit.metrics.missed import MISSED_EXTRA_COLUMNS
from callkit.metrics.peers import peer_inputs
from callkit.metrics.queues import (
    AGENT_COLUMNS,
    AGENT_EXTRA_COLUMNS,
    ENTRY_COLUMNS,
    QUEUE_COLUMNS,
    QUEUE_EXTRA_COLUMNS,
    agent_availability,
    availability_note,
    queue_tables,
)
from callkit.metrics.roles import ROLE_COLUMNS, unmatched_roles
from callkit.metrics.staffing import GROUPS_COLUMNS, GROUPS_EXTRA_COLUMNS, group_staffing
from callkit.metrics.tech import line_ceiling
from callkit.profile import Economics, Profile, Thresholds

__all__ = ["Audit", "build_audit", "audit_from_load", "write_metrics", "run_metrics", "METRIC_FILES"]

#: The files :func:`write_metrics` always writes (DESIGN §5), plus calls_load.csv (the call
#: export's load report, every rejected record) when the audit was loaded from files — always
#: at the CLI —, queues.csv … with a queue_log, and speech.csv / checklist.csv /
#: transcripts_load.csv when the audit has transcript results.
METRIC_FILES = ("calls.csv", "calls.parquet", "managers.csv", "compare.csv", "traffic.csv",
                "missed.csv", "staffing.csv", "concentration.csv", "findings.csv", "evidence.csv",
                "groups.csv", "off_hours.csv", "headline.csv")
#: managers.csv: the §3 metrics, the role (and where it came from), presence at peaks.
MANAGER_COLUMNS = SUMMARY_COLUMNS + ROLE_COLUMNS + ("peak_slots", "absent_slots", "absent_share", "presence_source")


@dataclass
class Audit:
    """Every table of one client's audit (see DESIGN §3 and §5 for the columns).

    Attributes
    ----------
    load : LoadResult or None
        What the loader returned (``.report`` has the load report); None for a bare table.
    calls : DataFrame
        All loaded sessions (history included) with the classifier columns
        (``in_period``, ``first_contact``, ``is_new_client``, ``call_kind_fallback``).
    managers, compare, traffic, peaks, presence, missed, staffing, tech, findings : DataFrame
        The outputs of :mod:`callkit.metrics` and :mod:`callkit.findings` over the period.
        ``managers`` carries each manager's ``role`` and ``role_source`` (profile | inferred)
        and presence at peaks (``peak_slots, absent_slots, absent_share``); ``compare`` the
        peer reference (``reference, spread, peers``) the employee findings quote.
    evidence : DataFrame
        The calls behind every finding (evidence.csv, :data:`callkit.findings.EVIDENCE_COLUMNS`),
        with full client numbers (masked when written).
    notes : list of str
        Problems that do not stop the audit, in ``lang`` where they are about the data: a name
        in the profile's ``roles`` that is neither an employee nor a department; too short a
        history for new clients (the first date that can be judged); working days without a
        single call; a period-over-period comparison left out.
    concentration : DataFrame
        Flow concentration per manager (:func:`callkit.metrics.flow_concentration`, columns
        :data:`~callkit.metrics.CONCENTRATION_COLUMNS`): shares of the department's answered
        incoming calls and clients, clients served alone, new vs existing clients, tenure.
    concentration_departments : DataFrame
        One row per department (:func:`callkit.metrics.concentration_summary`): the top
        manager, HHI, effective number of managers, new-client share of senior vs junior
        managers.
    pop : DataFrame or None
        Period over period (:func:`callkit.metrics.period_over_period`) when a previous period
        was given.
    speech : SpeechResult or None
        Transcript analytics (``callkit.speech.analyze_profile(...).result``) when the profile
        has transcripts; else None. Its ``speech_csv()``/``checklist_csv()`` are speech.csv and
        checklist.csv.
    speech_load : TranscriptLoad or None
        The transcript load (``.report``: rows read, rejected, calls matched) beside ``speech``.
    groups : DataFrame
        Staffing per answering group × working slot (groups.csv,
        :func:`callkit.metrics.group_staffing`); ``staffing`` is its sum per slot.
    off_hours : DataFrame
        Incoming outside working hours by weekday × hour (off_hours.csv,
        :func:`callkit.metrics.hours.off_hours`); traffic, peaks, presence, missed-call figures
        and staffing count the calls inside.
    headline : dict
        The headline quantities (:func:`callkit.metrics.headline.headline`: lost calls, called
        back, reached, short-ring drops, working days, off-hours calls…): every place that
        shows one of them takes it from here.
    working_hours : WorkingHours
        The working hours the audit used (profile ``working_hours``).
    previous_headline : dict
        The headline quantities of the previous period, computed the same way (empty without
        a previous period in the data): the report's key figures against the previous period.
    coverage, previous_coverage : NewClientCoverage or None
        Whether the history is long enough to tell new clients in the period (and the previous
        one); when not, the new-client metrics are NaN and ``notes`` says why.
    """

    load: Any
    calls: pd.DataFrame
    managers: pd.DataFrame
    compare: pd.DataFrame
    traffic: pd.DataFrame
    peaks: pd.DataFrame
    presence: pd.DataFrame
    missed: pd.DataFrame
    staffing: pd.DataFrame
    tech: pd.DataFrame
    findings: pd.DataFrame
    evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EVIDENCE_COLUMNS)))
    notes: list[str] = field(default_factory=list)
    concentration: pd.DataFrame = field(default_factory=pd.DataFrame)
    concentration_departments: pd.DataFrame = field(default_factory=pd.DataFrame)
    pop: pd.DataFrame | None = None
    speech: Any = None
    speech_load: Any = None
    period: tuple[dt.date, dt.date] | None = None
    previous_period: tuple[dt.date, dt.date] | None = None
    previous_managers: pd.DataFrame | None = None
    to_call_back: pd.DataFrame | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    lang: str = "ru"
    profile: Profile | None = None
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    off_hours: pd.DataFrame = field(default_factory=pd.DataFrame)
    headline: dict[str, int] = field(default_factory=dict)
    working_hours: WorkingHours = field(default_factory=WorkingHours.default)
    coverage: Any = None
    previous_coverage: Any = None
    previous_headline: dict[str, int] = field(default_factory=dict)
    queue_log: Any = None     # callkit.io.queuelog.QueueLog when the audit has one
    queues: Any = None        # callkit.metrics.queues.QueueTables (queues.csv, agents.csv, …)


def _known(known_clients: Any, region: str) -> Any:
    if known_clients is None:
        return None
    if isinstance(known_clients, (str, Path)):
        return classify.load_known_clients(known_clients, region=region)
    return known_clients


def _employees(employees: Any) -> pd.DataFrame | None:
    if employees is None or isinstance(employees, pd.DataFrame):
        return employees
    from callkit.io import load_employees

    return load_employees(employees)


def _remembering_hours(fn: Callable[..., Audit]) -> Callable[..., Audit]:
    """Run ``fn`` inside :func:`callkit.metrics._memo.remembered` (working-hours answers and
    text codes reused across the audit's metrics)."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Audit:
        with remembered():
            return fn(*args, **kwargs)
    return run


@_remembering_hours
def audit_from_load(load_result: Any, *, period: tuple[object, object] | None = None,
                    thresholds: Thresholds | None = None,
                    known_clients: str | Path | Iterable[str] | None = None, lang: str = "ru",
                    previous_period: tuple[object, object] | None = None,
                    employees: str | Path | pd.DataFrame | None = None, region: str = "RU",
                    top_peaks: int = 3, profile: Profile | None = None,
                    roles: dict[str, str] | None = None,
                    economics: Economics | None = None,
                    working_hours: WorkingHours | None = None,
                    lookback_days: int = classify.DEFAULT_LOOKBACK_DAYS,
                    queue_log: Any = None, keep_legs: bool = True) -> Audit:
    """Compute every audit table from loaded calls.

    Parameters
    ----------
    load_result : LoadResult or DataFrame
        What :func:`callkit.io.load_calls` returned, or a canonical call table.
    period : (start, end) or None
        Inclusive local dates; None = the full date range of the data.
    thresholds : Thresholds, optional
        manager_gap, min_active_days, callback_window_h, service_level, answer_within_s,
        wrapup_s (defaults of :class:`~callkit.profile.Thresholds`).
    known_clients : path or iterable of E.164 numbers, optional
        Existing clients (never new).
    lang : {"ru", "en"}
        Language of the findings' text.
    previous_period : (start, end), optional
        When given (and inside the loaded data), ``pop`` holds each metric's change.
    employees : path or DataFrame, optional
        The employees directory: everyone in it gets a row in ``managers``.
    region : str
        Home region for the known-clients numbers.
    top_peaks : int
        Number of peak hours (company-wide ``peaks``; per department for ``presence``).
    roles : mapping name -> role, optional
        Department or employee name -> hunter | farmer | inbound | service (the profile's
        ``roles``); managers the mapping does not name get an inferred role.
    economics : Economics, optional
        Fills the findings' ``impact_rub``.
    working_hours : WorkingHours, optional
        Missed-call, peak, presence and staffing figures count the calls inside them; the rest
        is ``off_hours``. None = the DESIGN default, Mon–Fri 09:00–18:00
        (``WorkingHours.always()`` for no restriction).
    lookback_days : int
        A number is new when it has no contact this many days before its first contact in
        the period (default 90).
    queue_log : QueueLog, optional
        :func:`callkit.io.queuelog.load_queue_log`: queues, agents and pauses
        (:func:`callkit.metrics.queues.queue_tables`), joined to the calls by uniqueid/linkedid
        (``queue``, ``queue_outcome``, ``queue_wait_s`` in calls.csv).
    keep_legs : bool
        False: the load's legs table is given back once the audit has read it (the answering
        groups, the queue tables) — ``load_result.legs`` becomes None — so that the rest of the
        audit runs beside the calls alone (10M legs: 2 GB less), its two halves on two threads
        whatever the size (:data:`AUDIT_THREAD_MAX_CALLS`: the legs given back pay for it; a call
        table without legs keeps that limit). ``callkit metrics`` does this.

    Returns
    -------
    Audit
    """
    th = thresholds or Thresholds()
    wh = WorkingHours.default() if working_hours is None else working_hours
    if isinstance(load_result, pd.DataFrame):
        load, calls, legs = None, load_result, None
    else:
        load, calls = load_result, load_result.calls
        legs = getattr(load_result, "legs", None)
    if calls is None or len(calls) == 0:
        raise InputError("No calls were loaded; check the export files and the load report "
                         "(callkit validate CALLS).")
    schema.validate(calls)
    known = _known(known_clients, region)
    emp = _employees(employees)
    _, _, per = classify.period_bounds(calls, period)
    calls = classify.infer_departments(calls)
    # the answering groups on a second thread while the client numbers are classified (each
    # adds columns of its own to the same calls; a million legs: 0.5 s each)
    with ThreadPoolExecutor(1) as pool:
        grouping = pool.submit(classify.add_answering_group, calls, legs=legs)
        numbers = classify.add_client_flags(calls, period=per, known_clients=known,
                                            lookback_days=lookback_days)
        calls = grouping.result()
    flagged = calls.copy(deep=False)
    for col in classify.CLIENT_FLAG_COLUMNS:
        flagged[col] = numbers[col]
    del numbers
    flagged[classify.IN_HOURS] = in_working_hours(flagged, wh)
    qt = None
    avail = None
    if queue_log is not None:
        flagged, qt = queue_tables(queue_log.events, calls=flagged, legs=legs,
                                   answer_within_s=th.answer_within_s, lang=lang)
        # presence at peaks and the people on the line from log-ins and pauses
        avail = qt.availability = agent_availability(qt.sessions, start=queue_log.start, end=queue_log.end,
                                                     working_hours=wh)
        note = availability_note(avail, lang)
        if note:
            qt.notes.append(note)
    gave_back = not keep_legs and legs is not None
    if gave_back:
        load.legs = legs = None   # read for the last time above (the audit's peak memory)
    inp = flagged[classify.IN_PERIOD]
    if not inp.any():
        raise InputError(f"No calls inside the period {per[0]}..{per[1]}; the data covers "
                         f"{classify.period_bounds(calls, None)[2][0]}.."
                         f"{classify.period_bounds(calls, None)[2][1]}.")
    capacity = None
    if len(flagged) <= AUDIT_THREAD_MAX_CALLS or gave_back:
        pool = ThreadPoolExecutor(1)
        capacity = pool.submit(_capacity, flagged, th, wh, avail, _memo.current())
        pool.shutdown(wait=False)
    coverage = classify.new_client_coverage(flagged, period=per, lookback_days=lookback_days)
    tr = traffic(flagged, working_hours=wh)
    off = off_hours(flagged, working_hours=wh)
    peaks = peak_hours(tr, top=top_peaks)
    presence = presence_at_peaks(flagged, top=top_peaks, working_hours=wh, available=avail)
    summary = manager_summary(flagged, employees=emp)
    managers = peer_inputs(summary, presence=presence, roles=roles,
                           min_active_days=th.min_active_days)
    notes = [f"roles: {name!r} is neither an employee nor a department of the audit; its role "
             "was not applied" for name in unmatched_roles(managers, roles)]
    for note in notes:
        warnings.warn(note, DataQualityWarning, stacklevel=2)
    if qt is not None:
        notes += qt.notes
    if not coverage.sufficient:
        notes.append(coverage.note(lang))
    silent = silent_working_dates(flagged, period=per, working_hours=wh)
    if silent:
        from callkit.report.labels import date_text

        days = ", ".join(date_text(d, lang) for d in silent[:10]) + (" …" if len(silent) > 10 else "")
        notes.append(f"Working dates without a single call, not counted as working days: {days}"
                     if lang == "en" else
                     f"Рабочие дни без единого звонка (не считаются рабочими): {days}")
    compare = compare_managers(managers, threshold=th.manager_gap,
                               min_active_days=th.min_active_days)
    # (the rest of the managers' half, while the capacity half may still run)
    flow = flow_concentration(flagged, period=per, managers=managers, employees=emp,
                              min_active_days=th.min_active_days)
    flow_dep = concentration_summary(flow)
    pop = prev_managers = prev = prev_cov = None
    prev_head: dict[str, int] = {}
    if previous_period is not None:
        _, _, prev = classify.period_bounds(calls, previous_period)
        prev_flags = classify.add_client_flags(calls, period=prev, known_clients=known,
                                               lookback_days=lookback_days)
        if prev_flags[classify.IN_PERIOD].any():
            prev_cov = classify.new_client_coverage(prev_flags, period=prev,
                                                    lookback_days=lookback_days)
            prev_managers = manager_summary(prev_flags, employees=emp)
            metrics = SUMMARY_METRICS
            if not (coverage.sufficient and prev_cov.sufficient):
                # never report a change in new-client calls that is an artefact of history
                metrics = tuple(m for m in SUMMARY_METRICS if m not in NEW_CLIENT_METRICS)
                if not prev_cov.sufficient:
                    notes.append(prev_cov.note(lang))
                notes.append("Period over period: new-client metrics are not compared (not "
                             "enough history)." if lang == "en" else
                             "Сравнение с прошлым периодом: показатели по новым клиентам не "
                             "сравниваются (мало истории).")
            pop = period_over_period(managers, prev_managers, metrics=metrics)
            prev_head = _period_headline(prev_flags, th, wh)
    conc, ceiling, missed, callbacks, groups, st, tech = \
        capacity.result() if capacity is not None else _capacity(flagged, th, wh, avail)
    flagged[classify.AT_LINE_CEILING] = ceiling.at_ceiling
    head = headline(traffic=tr, missed=missed, tech=tech, off_hours=off)
    verdicts = evaluate(managers=managers, compare=compare, traffic=tr, presence=presence,
                        missed=missed, staffing=st, tech=tech, groups=groups,
                        concentration=flow_dep, calls=flagged, thresholds=th,
                        economics=economics, lang=lang)
    return Audit(load=load, calls=flagged, managers=managers, compare=compare, traffic=tr,
                 peaks=peaks, presence=presence, missed=missed, staffing=st, tech=tech,
                 findings=verdicts.findings, evidence=verdicts.evidence, notes=notes,
                 concentration=flow, concentration_departments=flow_dep,
                 pop=pop, speech=None, period=per, previous_period=prev,
                 previous_managers=prev_managers, to_call_back=callbacks,
                 thresholds=th, lang=lang, profile=profile, groups=groups, off_hours=off,
                 headline=head, working_hours=wh, coverage=coverage, previous_coverage=prev_cov,
                 previous_headline=prev_head, queue_log=queue_log, queues=qt)


def _missed_at_ceiling(flagged: pd.DataFrame, th: Thresholds, wh: WorkingHours) -> tuple[Any, Any, pd.DataFrame]:
    """Concurrency, the line ceiling and the missed calls of the period (``flagged`` unchanged:
    the caller marks ``at_line_ceiling`` from the ceiling)."""
    conc = concurrency(flagged)
    ceiling = line_ceiling(flagged, conc=conc)
    missed = missed_calls(flagged, window_h=th.callback_window_h, working_hours=wh, ceiling=ceiling)
    return conc, ceiling, missed


def _capacity(flagged: pd.DataFrame, th: Thresholds, wh: WorkingHours, avail: Any,
              memo: dict | None = None) -> tuple:
    """The audit's capacity half — concurrency, line ceiling, missed calls and the numbers to
    call back, group staffing, staffing, technical signals — for a second thread while the
    first computes the managers' half (a million legs: 1.5 s each; pandas and numpy release
    the GIL in much of it). It reads ``flagged`` and changes nothing in it: the caller marks
    ``at_line_ceiling`` once both halves are done. ``memo``: the first thread's remembered
    answers (the client numbers' codes, working hours), shared."""
    with remembered(shared=memo):
        conc, ceiling, missed = _missed_at_ceiling(flagged, th, wh)
        callbacks = to_call_back(missed)
        groups = group_staffing(flagged, service_level=th.service_level,
                                answer_within_s=th.answer_within_s, wrapup_s=th.wrapup_s,
                                working_hours=wh, ceiling=ceiling, available=avail)
        st = staffing(flagged, service_level=th.service_level, answer_within_s=th.answer_within_s,
                      wrapup_s=th.wrapup_s, conc=conc, working_hours=wh, groups=groups,
                      ceiling=ceiling)
        tech = tech_signals(flagged, conc=conc, working_hours=wh, ceiling=ceiling)
    return conc, ceiling, missed, callbacks, groups, st, tech


def _period_headline(flagged: pd.DataFrame, th: Thresholds, wh: WorkingHours) -> dict[str, int]:
    """The headline quantities of another period (its calls flagged ``in_period``), by the same
    functions as the audit's own."""
    flagged = flagged.copy()
    flagged[classify.IN_HOURS] = in_working_hours(flagged, wh)
    conc, ceiling, missed = _missed_at_ceiling(flagged, th, wh)
    return headline(traffic=traffic(flagged, working_hours=wh), missed=missed,
                    tech=tech_signals(flagged, conc=conc, working_hours=wh, ceiling=ceiling),
                    off_hours=off_hours(flagged, working_hours=wh))


def _speech_hook(audit: Audit, profile: Profile) -> Any:
    """Transcript analytics through ``callkit.speech.analyze_profile(profile, calls=...)``
    (a ``SpeechRun``) when the profile has transcripts; None otherwise. The audit's own call
    table is passed, so the transcripts are matched to the same sessions and employees."""
    if profile.transcripts is None:
        return None
    try:
        from callkit.speech import analyze_profile
    except ImportError:
        return None
    return analyze_profile(profile, calls=audit.calls, lang=audit.lang)


def _queue_log(paths: Iterable[str | Path], load: Any, *, tz: str, employees: pd.DataFrame | None) -> Any:
    """The queue_log to audit: the given file(s), else the queuelog table of an SQL dump among
    the call files (None when there is neither)."""
    from callkit.io.queuelog import dump_queue_log_files, load_queue_log

    files = list(paths) or dump_queue_log_files(list(load.report.files) if load is not None else [])
    if not files:
        return None
    return load_queue_log(files, tz=tz, employees=employees)


def build_audit(profile: Profile, *, keep_legs: bool = True) -> Audit:
    """Load a client's calls as its profile says and compute the whole audit (``keep_legs``:
    as for :func:`audit_from_load`; ``audit.load.legs`` is None when False).

    Uses the profile's ``calls`` (history files make numbers known), ``calls_format``,
    ``column_map``, ``timezone``, ``region``, ``area_code``, ``line_area_codes``, ``employees``,
    ``own_numbers``, ``known_clients``, ``period``, ``previous_period``, ``thresholds``,
    ``roles``, ``economics``, ``working_hours``, ``lookback_days`` and ``lang``; and its
    ``transcripts`` through :func:`callkit.speech.analyze_profile`.

    Raises
    ------
    InputError
        No call files in the profile, a file that cannot be loaded, or no calls in the period.
    """
    from callkit.io import load_employees, load_profile_calls

    emp = load_employees(profile.employees) if profile.employees is not None else None
    load = load_profile_calls(profile, employees=emp)
    qlog = _queue_log(profile.queue_log, load, tz=profile.timezone, employees=emp)
    audit = audit_from_load(load, period=profile.period, thresholds=profile.thresholds,
                            known_clients=profile.known_clients, lang=profile.lang,
                            previous_period=profile.previous_period, employees=emp,
                            region=profile.region, profile=profile, roles=profile.roles,
                            economics=profile.economics, working_hours=profile.working_hours,
                            lookback_days=profile.lookback_days, queue_log=qlog, keep_legs=keep_legs)
    run = _speech_hook(audit, profile)
    if run is not None:
        audit.speech = run.result
        audit.speech_load = run.load
    return audit


def _calls_table(calls: pd.DataFrame) -> pd.DataFrame:
    first = [c for c in schema.CALL_COLUMNS + schema.EXTRA_COLUMNS if c in calls]
    last = [c for c in classify.CLASSIFIER_COLUMNS if c in calls]
    middle = [c for c in calls.columns if c not in first and c not in last]
    return calls.loc[:, first + middle + last]


def _speech_frames(speech: Any) -> dict[str, pd.DataFrame]:
    """speech.csv / checklist.csv from the transcript result: ``SpeechResult.speech_csv()`` and
    ``.checklist_csv()`` when it has them, else ``speech``/``checklist`` frames (attributes or
    dict keys), else a bare DataFrame as speech.csv."""
    out: dict[str, pd.DataFrame] = {}
    if speech is None:
        return out
    for name in ("speech", "checklist"):
        fn = getattr(speech, f"{name}_csv", None)
        if callable(fn):
            out[f"{name}.csv"] = fn()
    if out:
        return out
    for name in ("speech", "checklist"):
        obj = speech.get(name) if isinstance(speech, dict) else getattr(speech, name, None)
        if isinstance(obj, pd.DataFrame):
            out[f"{name}.csv"] = obj
    if isinstance(speech, pd.DataFrame):
        out["speech.csv"] = speech
    return out


def _offset_label(seconds: float) -> str:
    o = int(seconds)
    return f"{'+' if o >= 0 else '-'}{abs(o) // 3600:02d}:{abs(o) % 3600 // 60:02d}"


_NAT = np.iinfo(np.int64).min
_ARROW_TEXT = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get


#: Values of a column tested at a time by :func:`_arrow_spells` (its temporaries reused from
#: step to step, not 65 MB of fresh memory each for a column of 8M calls)
_SPELL_STEP = 1 << 20


def _arrow_spells(ns: np.ndarray) -> bool:
    """Whether Arrow's cast writes these naive instants (int64 ns, NaT = int64 min) as pandas
    writes the column: some value, all in whole seconds, not all midnights (pandas writes a
    column of midnights as bare dates, and every value with the fraction when one has it)."""
    return _spelled_by_arrow(ns[a:a + _SPELL_STEP] for a in range(0, len(ns), _SPELL_STEP))


def _spelled_by_arrow(steps: Iterable[np.ndarray]) -> bool:
    """:func:`_arrow_spells` of a column given a step of values at a time."""
    some = not_midnight = False
    for ns in steps:
        v = ns[ns != _NAT]
        if (v % 1_000_000_000).any():
            return False
        some = some or bool(len(v))
        not_midnight = not_midnight or bool((v % 86_400_000_000_000).any())
    return some and not_midnight


def _wall_text(naive: pd.Series, *, arrow: bool | None = None) -> pa.Array:
    """Naive times as pandas writes them (``2026-10-05 12:00:00``; NaT -> null), as Arrow text.
    Whole seconds, the usual case, are formatted by Arrow in C++ (its cast of ``timestamp[s]``
    to text writes the same as ``strftime("%Y-%m-%d %H:%M:%S")`` ten times faster: 0.2 s for
    800k rows); fractions of a second, or a column of midnights only (which pandas writes as
    bare dates), keep pandas' own formatting. ``arrow`` gives :func:`_arrow_spells` of the
    whole column when ``naive`` is a block of it (None: decided on ``naive``)."""
    ns = naive.to_numpy("datetime64[ns]").view(np.int64)
    valid = ns != _NAT
    if not (_arrow_spells(ns) if arrow is None else arrow):
        return pa.array(naive.astype("string").array, type=pa.large_string())
    arr = pa.array(ns // 1_000_000_000, type=pa.timestamp("s"), mask=~valid)
    return pc.cast(arr, pa.large_string())


def _iso_text(times: pd.Series, *, arrow: bool | None = None) -> pa.Array:
    """ISO local times with the UTC offset (``2026-10-05 12:00:00+03:00``), as pandas writes
    them, as Arrow text; NaT -> null (an empty field). The offsets are whole seconds (tz
    database), found once per distinct offset and joined in C++. ``arrow``: as for
    :func:`_wall_text`."""
    naive = times.dt.tz_localize(None)
    txt = _wall_text(naive, arrow=arrow)
    utc = times.array.as_unit("ns").asi8
    local = naive.to_numpy("datetime64[ns]").view(np.int64)
    valid = utc != _NAT
    off = np.where(valid, (local - utc) // 1_000_000_000, 0)
    v = off[valid]
    uniq = v[:1] if len(v) and v.min() == v.max() else np.unique(v)   # one offset: the usual case
    if len(uniq) <= 1:
        label = pa.scalar(_offset_label(uniq[0] if len(uniq) else 0), pa.large_string())
    else:
        labels = pa.array([_offset_label(o) for o in uniq], type=pa.large_string())
        label = labels.take(pa.array(np.searchsorted(uniq, off), mask=~valid))
    return pc.binary_join_element_wise(txt, label, pa.scalar("", pa.large_string()))


def _iso_times(times: pd.Series) -> pd.Series:
    """:func:`_iso_text` as a pandas ``string`` Series on the index of ``times``."""
    return pd.Series(_iso_text(times).to_pandas(types_mapper=_ARROW_TEXT).array, index=times.index,
                     dtype=pd.StringDtype())


def _csv_column(col: pd.Series, *, arrow: bool | None = None) -> pa.Array | None:
    """The Arrow text of a column whose CSV spelling is callkit's own (None: Arrow's default
    spelling is right): tz-aware times as ISO local times with the offset, booleans
    ``True``/``False``, categories and objects as their text (pandas' ``astype("string")``).
    Every spelling but pandas' of times is value by value, so a block of rows is spelled as
    in the whole table; ``arrow`` as for :func:`_wall_text` (a block of times that
    :func:`_csv_in_blocks` found Arrow spells)."""
    dtype = col.dtype
    if dtype.kind == "M" and getattr(dtype, "tz", None) is not None:
        return _iso_text(col, arrow=arrow)
    if pd.api.types.is_bool_dtype(dtype):
        return pc.if_else(pa.array(col, from_pandas=True), pa.scalar("True", pa.large_string()),
                          pa.scalar("False", pa.large_string()))
    if isinstance(dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(dtype.categories.dtype):
        text = classify.text_from_codes(col.cat.codes.to_numpy(), dtype.categories.astype("string"), col.index)
        return pa.array(text.array, type=pa.large_string())
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype):
        return pa.array(col.astype("string").array, type=pa.large_string())
    return None


#: The most calls whose audit computes its capacity half (:func:`_capacity`) on a second
#: thread beside the managers' half while the legs table is kept; a bigger table's halves run
#: one after the other: at 8M calls the two together held ~1.3 GB more at once (beside 10M
#: legs, the run's peak 7.0 -> 7.6 GiB, the 10M target's limit 8 GB). With the legs given back
#: (``keep_legs=False``: 2 GB at 10M legs) they always run on two threads (10M legs: audit
#: 31-35 s -> 19 s).
AUDIT_THREAD_MAX_CALLS = 4_000_000

#: Rows of a table spelled and written at a time (each block's text columns are freed before
#: the next: an 8M-row calls.csv spelled at once took ~3 GB of fresh memory)
CSV_BLOCK_ROWS = 1 << 20


def _csv_in_blocks(df: pd.DataFrame) -> bool:
    """Whether ``df`` may be spelled block by block: every tz-aware time column is one Arrow
    spells (:func:`_arrow_spells` of the whole column) and no category is a number (pandas
    spells those as floats only when the column has a gap); else pandas formats a column as a
    whole and the table is spelled at once."""
    for _, col in df.items():
        dtype = col.dtype
        if dtype.kind == "M" and getattr(dtype, "tz", None) is not None:
            local = (col.iloc[a:a + _SPELL_STEP].dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)
                     for a in range(0, len(col), _SPELL_STEP))
            if not _spelled_by_arrow(local):
                return False
        elif isinstance(dtype, pd.CategoricalDtype) and not pd.api.types.is_string_dtype(dtype.categories.dtype):
            return False
    return True


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV with one header row, by pyarrow's C++ writer (an 800k-row calls.csv in ~1 s;
    pandas' ``to_csv`` took ~15 s) over the table as :func:`_csv_column` spells it: the values
    pandas would write (booleans ``True``/``False``, missing = empty), in blocks of
    :data:`CSV_BLOCK_ROWS` rows. The header is pandas' own (its quoting of odd names)."""
    import pyarrow.csv as pacsv

    blocks = len(df) > CSV_BLOCK_ROWS and _csv_in_blocks(df)
    step = CSV_BLOCK_ROWS if blocks else max(len(df), 1)
    with open(path, "wb") as fh:
        fh.write(df.head(0).to_csv(index=False, lineterminator="\n").encode("utf-8"))
        if not df.shape[1]:
            return
        for a in range(0, max(len(df), 1), step):
            block = df.iloc[a:a + step]
            text = {i: t for i, (_, col) in enumerate(block.items())
                    if (t := _csv_column(col, arrow=True if blocks else None)) is not None}
            rest = [i for i in range(df.shape[1]) if i not in text]
            plain = pa.Table.from_pandas(block.iloc[:, rest], preserve_index=False) if rest else None
            arrays = [text[i] if i in text else plain.column(rest.index(i)) for i in range(df.shape[1])]
            pacsv.write_csv(pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(df.shape[1])]), fh,
                            write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))


def _write_parquet(df: pd.DataFrame, path: Path) -> Path:
    """The table as Parquet with its own types (tz-aware times, categories as dictionaries).
    Dictionary pages only for the columns that repeat values (not times, ids, row numbers or
    client numbers: there a dictionary is built and then dropped, a third of the writing)."""
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    unique = {schema.CALL_ID, schema.CLIENT_NUMBER}
    dictionary = [f.name for f in table.schema
                  if f.name not in unique and not pa.types.is_timestamp(f.type) and not pa.types.is_integer(f.type)]
    pq.write_table(table, path, compression="zstd", use_dictionary=dictionary)
    return path


def _concentration_table(conc: pd.DataFrame) -> pd.DataFrame:
    out = conc.reindex(columns=list(CONCENTRATION_COLUMNS))
    hd = pd.to_datetime(out["hire_date"], errors="coerce")
    return out.assign(hire_date=hd.dt.strftime("%Y-%m-%d").astype("string"))


def _evidence_table(audit: Audit) -> pd.DataFrame:
    """evidence.csv: client numbers masked unless the profile says ``mask_numbers: false``."""
    ev = audit.evidence.reindex(columns=list(EVIDENCE_COLUMNS))
    if audit.profile is not None and not audit.profile.mask_numbers:
        return ev
    from callkit.masking import mask_frame

    return mask_frame(ev, columns=[schema.CLIENT_NUMBER], free_text=False)


def write_metrics(audit: Audit, out_dir: str | Path) -> list[Path]:
    """Write the machine-readable CSVs of DESIGN §5 into ``out_dir`` (created if needed).

    UTF-8, one header row, durations in seconds, shares as fractions 0..1, times as ISO local
    times with the UTC offset, booleans ``True``/``False``, missing values empty.

    Files: ``calls.csv`` (canonical table + classifier columns, all loaded sessions) and
    ``calls.parquet`` beside it (the same columns with their types: the fast form for big exports),
    ``managers.csv``, ``compare.csv``, ``traffic.csv`` (inside working hours), ``missed.csv``
    (DESIGN columns, then ``in_hours, called_back, answering_group, at_line_ceiling,
    short_ring``), ``staffing.csv`` (working slots, summed over the groups),
    ``concentration.csv``, ``findings.csv``, ``evidence.csv``, ``groups.csv`` (DESIGN columns,
    then ``incoming, missed, missed_at_ceiling, days, verdict``), ``off_hours.csv`` (the traffic
    columns for the calls outside working hours), ``headline.csv`` (``quantity, value, label``:
    :mod:`callkit.metrics.headline`); plus ``speech.csv`` and ``checklist.csv`` when the audit
    has transcript results, and ``transcripts_load.csv`` (the transcript load report:
    ``callkit.speech.TranscriptReport.table``) when it loaded transcripts.

    ``concentration.csv`` — one row per manager (flow concentration, issue 6 item 1):
    ``department, employee``; ``counted`` (True when they have >= min_active_days active days
    and so count in n); ``days_active``; ``incoming_answered`` (incoming sessions they answered,
    a person not the PBX) and ``incoming_share`` (of the department's); ``clients`` (client
    numbers that belong to them: they handled most of the number's calls counted in
    external_calls, a tie to whoever handled it first), ``clients_share``, ``clients_single``
    (their clients nobody else handled), ``clients_new``, ``clients_existing``,
    ``new_client_share``; ``hire_date`` and ``tenure_days`` (at the period's first day; empty
    without a hire date); then per department, repeated on each of its rows:
    ``department_incoming``, ``department_clients``, ``managers`` (n, counted managers),
    ``even_share`` (1/n), ``hhi`` (sum of squared incoming shares: 1/n even, 1 = one manager),
    ``hhi_norm`` ((hhi - 1/n) / (1 - 1/n), 0..1), ``effective_managers`` (1/hhi),
    ``clients_hhi`` (the same index over client shares).

    Returns
    -------
    list of Path
        The files written, in that order.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    tables: dict[str, pd.DataFrame] = {
        "calls.csv": _calls_table(audit.calls),
        "managers.csv": audit.managers.reindex(columns=list(MANAGER_COLUMNS)),
        "compare.csv": audit.compare.loc[:, list(COMPARE_COLUMNS)],
        "traffic.csv": audit.traffic.loc[:, list(TRAFFIC_COLUMNS)],
        "missed.csv": audit.missed.reindex(columns=list(MISSED_COLUMNS + MISSED_EXTRA_COLUMNS)),
        "staffing.csv": audit.staffing.loc[:, list(STAFFING_COLUMNS)],
        "concentration.csv": _concentration_table(audit.concentration),
        "findings.csv": audit.findings,
        "evidence.csv": _evidence_table(audit),
        "groups.csv": audit.groups.reindex(columns=list(GROUPS_COLUMNS + GROUPS_EXTRA_COLUMNS)),
        "off_hours.csv": audit.off_hours,
        "headline.csv": headline_table(audit.headline, audit.lang),
    }
    if getattr(audit, "queues", None) is not None:
        qt = audit.queues
        tables["queues.csv"] = qt.queues.reindex(columns=list(QUEUE_COLUMNS + QUEUE_EXTRA_COLUMNS))
        tables["agents.csv"] = qt.agents.reindex(columns=list(AGENT_COLUMNS + AGENT_EXTRA_COLUMNS))
        tables["pauses.csv"] = qt.pauses
        tables["queue_calls.csv"] = qt.entries.reindex(columns=list(ENTRY_COLUMNS) + ["call_id"])
    if getattr(audit, "load", None) is not None:   # every rejected record with its line and reason
        tables["calls_load.csv"] = audit.load.report.table()
    tables.update(_speech_frames(audit.speech))
    speech_load = getattr(audit, "speech_load", None)
    if speech_load is not None:   # rows read/loaded/rejected (line, reason), ids with no call
        tables["transcripts_load.csv"] = speech_load.report.table()
    written = []
    # calls.parquet — the same table, typed, for big exports (DESIGN §5) — is encoded by Arrow
    # in C++ on a second thread while the CSVs are written
    with ThreadPoolExecutor(1) as pool:
        parquet = pool.submit(_write_parquet, tables["calls.csv"], out / "calls.parquet")
        for name, df in tables.items():
            p = out / name
            _write_csv(df, p)
            written.append(p)
            if name == "calls.csv":
                written.append(out / "calls.parquet")
        parquet.result()
    return written


def run_metrics(target: str | Path | Iterable[str | Path], *, out: str | Path,
                employees: str | Path | None = None, tz: str = "Europe/Moscow",
                source: str = "auto", region: str = "RU", lang: str = "ru",
                own_numbers: Iterable[str] = (), queue_log: Iterable[str | Path] = (),
                on_note: Callable[[str], None] | None = None) -> list[Path]:
    """``callkit metrics (PROFILE.yaml | CALLS [--employees F] [--tz TZ]) --out DIR`` in one call.

    A ``.yaml``/``.yml`` target is a client profile (:func:`build_audit`); anything else is one
    or more call exports loaded with ``tz``/``employees``/``source`` over their whole date range
    (:func:`audit_from_load`), with ``queue_log`` (or the queuelog table of an SQL dump among
    them). Returns the files written by :func:`write_metrics`.
    ``on_note`` receives one-line summaries worth showing the user (the transcript load).
    """
    paths = [Path(target)] if isinstance(target, (str, Path)) else [Path(t) for t in target]
    if len(paths) == 1 and paths[0].suffix.lower() in (".yaml", ".yml"):
        from callkit.profile import load_profile

        profile = load_profile(paths[0])
        with progress.stages("audit", ["loaded and audited", "written"], size=_bytes(profile.calls),
                             min_size=progress.MIN_BYTES) as bar:
            audit = build_audit(profile, keep_legs=False)   # (no file of legs is written)
            bar.step("loaded and audited")
            if on_note is not None:
                on_note(audit.load.report.summary_line())
            if on_note is not None and audit.speech_load is not None:
                on_note(audit.speech_load.report.summary_line())
            if on_note is not None and audit.queue_log is not None:
                on_note(audit.queue_log.report.summary_line())
            written = write_metrics(audit, out)
            bar.step("written")
        return written
    from callkit.io import load_calls, load_employees

    emp = load_employees(employees) if employees is not None else None
    load = load_calls(paths, source=source, tz=tz, region=region, employees=emp,
                      own_numbers=tuple(own_numbers))
    qlog = _queue_log(list(queue_log), load, tz=tz, employees=emp)
    if on_note is not None:
        on_note(load.report.summary_line())
    if on_note is not None and qlog is not None:
        on_note(qlog.report.summary_line())
    with progress.stages("audit", ["audited", "written"], size=load.report.rows_read) as bar:
        audit = audit_from_load(load, employees=emp, region=region, lang=lang, queue_log=qlog,
                                keep_legs=False)   # (no file of legs is written)
        bar.step("audited")
        written = write_metrics(audit, out)
        bar.step("written")
    return written


def _bytes(paths: Iterable[str | Path]) -> int:
    """Total size of the files that exist (what decides whether a progress bar is worth it)."""
    return sum(Path(p).stat().st_size for p in paths if Path(p).is_file())
