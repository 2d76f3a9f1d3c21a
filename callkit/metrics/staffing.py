"""Staffing per answering group and working hour: Erlang C against the group's employees active
then (DESIGN §3).

* :func:`group_staffing` — ``groups.csv``: one row per answering group
  (:func:`callkit.classify.add_answering_group`) × weekday-hour slot inside working hours.
* :func:`staffing` — ``staffing.csv``: the same per slot for the whole company, summed over the
  groups (a B2B manager cannot take a service call, so the company needs the sum of what each
  group needs, and only a group's own people count for it).
* :func:`erlang_c`, :func:`service_level`, :func:`required_agents` (and the vectorised
  :func:`required_agents_array`), :func:`offered_load`.

The interval: ``calls_per_hour`` is per hour of working time, so the offered load is
``A = calls_per_hour × AHT / 3600`` Erlangs (:func:`offered_load` with ``interval_s=3600``). A
slot worked only from 17:30 is half an hour of working time: its calls count double per hour.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.errors import InputError
from callkit.metrics._util import index_text, map_text, masks, period_mask, slot_frame, unique_rows
from callkit.metrics.hours import WorkingHours, in_working_hours, slot_exposure, working_date_hours
from callkit.metrics.tech import LineCeiling, concurrency
from callkit.metrics.traffic import activity_mask, covered_hours

__all__ = ["STAFFING_COLUMNS", "GROUPS_COLUMNS", "GROUPS_EXTRA_COLUMNS", "VERDICTS", "ACTIVE_SOURCES",
           "erlang_c", "service_level", "required_agents", "required_agents_array",
           "offered_load", "group_staffing", "staffing"]

STAFFING_COLUMNS = ("weekday", "hour", "calls_per_hour", "aht_s", "erlangs", "required_agents",
                    "active_employees", "max_concurrent", "understaffed")
#: groups.csv (DESIGN §5) ...
GROUPS_COLUMNS = ("group", "weekday", "hour", "calls_per_hour", "aht_s", "erlangs",
                  "required_agents", "active_employees", "understaffed")
#: ... then these: the slot's incoming and missed calls over the period (inside working
#: hours), the missed ones that started while every line was busy, and the verdict.
#: ``active_source`` says how ``active_employees`` was counted (:data:`ACTIVE_SOURCES`).
GROUPS_EXTRA_COLUMNS = ("incoming", "missed", "missed_at_ceiling", "days", "verdict", "active_source")
#: ``calls``: every member by their calls; ``queue_log``: every member-hour by the queue_log's
#: log-in and pause time; ``mixed``: some of each
ACTIVE_SOURCES = ("calls", "queue_log", "mixed")
#: ``verdict`` of a group slot: enough people; short of people; the line limit is the cause
VERDICTS = ("ok", "people", "lines")


def offered_load(calls: float | np.ndarray, aht_s: float | np.ndarray, *,
                 interval_s: float = 3600) -> float | np.ndarray:
    """Offered load in Erlangs: ``calls`` arriving per ``interval_s`` seconds × AHT / interval.

    Examples
    --------
    pyworkforce's example: 100 calls per 30 minutes, AHT 180 s → 10 Erlangs.

    >>> offered_load(100, 180, interval_s=1800)
    10.0
    """
    return calls * aht_s / float(interval_s)


def _c_from_b(n: np.ndarray | int, a: np.ndarray | float, b: np.ndarray | float):
    """Erlang C from Erlang B: ``C = N·B / (N − A·(1 − B))``."""
    return n * b / (n - a * (1.0 - b))


def _sl_from_c(c, n, a, aht_s, t):
    """Service level from the waiting probability: ``1 − C · exp(−(N − A) · t / AHT)``."""
    return 1.0 - c * np.exp(-(n - a) * t / aht_s)


def erlang_c(agents: int, erlangs: float) -> float:
    """Probability that a call waits (Erlang C) with ``agents`` agents and offered load
    ``erlangs``; 1.0 when the load is not below the number of agents.

    Computed through the numerically stable Erlang B recursion
    ``B(n) = A·B(n−1) / (n + A·B(n−1))``, then ``C = N·B / (N − A·(1 − B))``.

    Examples
    --------
    >>> round(erlang_c(8, 5.0), 4)
    0.1673
    """
    n, a = int(agents), float(erlangs)
    if a <= 0:
        return 0.0
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return float(_c_from_b(n, a, b))


def service_level(agents: int, erlangs: float, aht_s: float, answer_within_s: float) -> float:
    """Share of calls answered within ``answer_within_s``:
    ``1 − C(N, A) · exp(−(N − A) · t / AHT)``.

    Examples
    --------
    100 calls/h, AHT 180 s → A = 5 Erlangs; 8 agents → 0.880, 7 agents → 0.740.

    >>> round(service_level(8, 5.0, 180, 20), 3), round(service_level(7, 5.0, 180, 20), 3)
    (0.88, 0.74)
    """
    n, a = int(agents), float(erlangs)
    if a <= 0:
        return 1.0
    if n <= a:
        return 0.0
    return float(_sl_from_c(erlang_c(n, a), n, a, float(aht_s), float(answer_within_s)))


def required_agents_array(erlangs: np.ndarray, aht_s: np.ndarray, *, target: float = 0.8,
                          answer_within_s: float = 20, max_agents: int = 10_000) -> np.ndarray:
    """:func:`required_agents` for arrays of loads and AHTs at once (0 where there is no load
    or the AHT is unknown).

    One Erlang B recursion runs over every slot together, so the cost grows with the largest
    number of agents needed, not with the number of slots.

    Examples
    --------
    >>> required_agents_array(np.array([5.0, 0.0, 10.0]), np.array([180.0, 180.0, 180.0]))
    array([ 8,  0, 14])
    """
    if not 0 < target <= 1:
        raise InputError(f"service_level target is {target!r}; expected a fraction in (0, 1].")
    a = np.asarray(erlangs, dtype=float)
    t = np.asarray(aht_s, dtype=float) * np.ones_like(a)
    need = np.zeros(a.shape, dtype=np.int64)
    todo = np.isfinite(a) & (a > 0) & np.isfinite(t) & (t > 0)
    b = np.ones(a.shape)
    n = 0
    while todo.any():
        n += 1
        if n > max_agents:
            i = int(np.flatnonzero(todo)[0])
            raise InputError(f"Offered load {a[i]:.1f} Erlangs needs more than {max_agents} "
                             f"agents; check the talk times (AHT {t[i]:.0f} s).")
        b = np.where(todo, a * b / (n + a * b), b)
        ok = todo & (n > a)
        if ok.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                sl = _sl_from_c(_c_from_b(n, a, b), n, a, np.where(t > 0, t, 1.0), answer_within_s)
            done = ok & (sl >= target)
            need[done] = n
            todo &= ~done
    return need


def required_agents(erlangs: float, aht_s: float, *, target: float = 0.8,
                    answer_within_s: float = 20, max_agents: int = 10_000) -> int:
    """The fewest agents whose :func:`service_level` reaches ``target`` (0 for no load).

    Examples
    --------
    >>> required_agents(5.0, 180, target=0.8, answer_within_s=20)
    8
    """
    return int(required_agents_array(np.array([float(erlangs)]), np.array([float(aht_s)]),
                                     target=target, answer_within_s=answer_within_s,
                                     max_agents=max_agents)[0])


def _groups(calls: pd.DataFrame) -> pd.DataFrame:
    return calls if classify.ANSWERING_GROUP in calls else classify.add_answering_group(calls)


def group_staffing(calls: pd.DataFrame, *, service_level: float = 0.8,
                   answer_within_s: float = 20, wrapup_s: float = 0,
                   period: tuple[object, object] | None = None,
                   working_hours: WorkingHours | None = None,
                   ceiling: LineCeiling | None = None,
                   available: pd.DataFrame | None = None) -> pd.DataFrame:
    """Agents each answering group needs per weekday × hour slot inside working hours (Erlang
    C), against the group's own employees active then.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table, ideally with ``answering_group``
        (:func:`callkit.classify.add_answering_group`, which uses the legs); computed here
        without legs otherwise.
    service_level, answer_within_s : float
        The target: this share of calls answered within this many seconds (0.8, 20 s).
    wrapup_s : float
        After-call work added to the AHT (default 0).
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    working_hours : WorkingHours, optional
        Only calls and slots inside them (None = round the clock).
    ceiling : LineCeiling, optional
        :func:`callkit.metrics.tech.line_ceiling`: when it is a line limit, a slot whose misses
        it explains gets the verdict ``lines`` instead of ``people``.
    available : DataFrame, optional
        :func:`callkit.metrics.queues.agent_availability` (with a queue_log): a member's
        on-line time in the hours the log covers for them.

    Returns
    -------
    DataFrame
        :data:`GROUPS_COLUMNS` + :data:`GROUPS_EXTRA_COLUMNS`, one row per group (with incoming
        calls inside working hours) × working slot (:func:`~callkit.metrics.hours.slot_exposure`):

        - ``calls_per_hour`` = the group's incoming sessions offered in the slot inside working
          hours / the slot's working time (hours, summed over its working days);
        - ``aht_s`` = mean talk of the group's answered incoming in the slot (the group's mean
          over all its slots when the slot has none; NaN when the group answered none — then
          ``erlangs`` and ``required_agents`` are 0: the load cannot be estimated, the
          missed-call tables speak for it) + ``wrapup_s``;
        - ``erlangs`` = calls_per_hour × aht_s / 3600; ``required_agents`` = Erlang C for the
          target;
        - ``active_employees`` = mean over the slot's working days of the group's members
          (:func:`callkit.classify.group_members`; an agent of the queue_log who is in no call
          belongs to the group named by their directory department) on the line in that hour:
          a member counts 1 when an activity call (placed, or an answered incoming) overlaps
          the hour; in an hour the queue_log covers for that agent, the share of the hour's
          working time they were logged in and not paused instead (0.75 for 45 minutes, 0 when
          paused the whole hour even if a call overlapped it). ``active_source`` says which
          rule counted the slot's member-hours: ``calls``, ``queue_log`` or ``mixed``;
        - ``incoming``, ``missed`` (the slot's offered and unanswered calls over the period),
          ``missed_at_ceiling`` (of the missed, those that started while every line was busy),
          ``days`` (working days of the slot);
        - ``verdict`` = ``lines`` when ``ceiling`` is a line limit and it explains the slot's
          trouble — at least half of its missed calls hit busy lines, or it needs more agents
          than there are lines while the people on duty already fill them (more people could
          not talk); else ``people`` when the slot had calls and is short of at
          least one whole agent (required_agents − active_employees >= 1); else ``ok``;
        - ``understaffed`` = verdict ``people``.

        Calls that no group takes (``(no group)``: e.g. a line whose calls rang nobody) are
        left out: nobody can be counted for them; traffic.csv and missed.csv still count them.

    Examples
    --------
    Service on 5 Saturdays 11:00: 26 incoming → 5.2 calls/h; AHT 240 s → 0.35 Erlangs → 2
    agents for 80 % in 20 s; one member on duty (1.0) → understaffed, verdict people.
    """
    c = _groups(calls)
    inp = period_mask(c, period)
    m = masks(c)
    grp = c[classify.ANSWERING_GROUP].astype("string")
    inc = inp & m["incoming"] & in_working_hours(c, working_hours) \
        & grp.notna().to_numpy(bool) & (grp != classify.NO_GROUP).fillna(False).to_numpy(bool)
    exp_ = slot_exposure(c, period=period, working_hours=working_hours)
    gcode, gnames = pd.factorize(grp[inc])
    gnames = pd.Index(np.asarray(gnames, dtype=object))
    sf = slot_frame(c.loc[inc, schema.START])
    ans = m["answered"][inc]
    at = ceiling.at_ceiling[inc] if ceiling is not None else np.zeros(int(inc.sum()), dtype=bool)
    df = pd.DataFrame({"g": gcode, "weekday": sf["weekday"].to_numpy(),
                       "hour": sf["hour"].to_numpy(), "ans": ans,
                       "talk": np.where(ans, c.loc[inc, schema.TALK_S].fillna(0).to_numpy(float), 0.0),
                       "miss": ~ans, "miss_ceil": ~ans & at})
    agg = df.groupby(["g", "weekday", "hour"]).agg(
        incoming=("ans", "size"), n_ans=("ans", "sum"), talk=("talk", "sum"),
        missed=("miss", "sum"), missed_at_ceiling=("miss_ceil", "sum"))
    grid = pd.DataFrame({"g": np.arange(len(gnames))}).merge(exp_, how="cross")
    out = grid.merge(agg.reset_index(), on=["g", "weekday", "hour"], how="left")
    for col in ("incoming", "n_ans", "missed", "missed_at_ceiling"):
        out[col] = out[col].fillna(0).astype(np.int64)
    out["talk"] = out["talk"].fillna(0.0)
    # AHT: the slot's, else the group's over all its slots, else unknown
    gt = df.groupby("g")[["talk", "ans"]].sum()
    g_aht = (gt["talk"] / gt["ans"].where(gt["ans"] > 0)).reindex(out["g"]).to_numpy(dtype=float)
    n_ans = out["n_ans"].to_numpy(dtype=float)
    aht = np.where(n_ans > 0, out["talk"].to_numpy() / np.where(n_ans > 0, n_ans, 1), g_aht)
    aht = aht + float(wrapup_s)
    hours = out["hours"].to_numpy(dtype=float)
    cph = np.where(hours > 0, out["incoming"].to_numpy(float) / np.where(hours > 0, hours, 1), 0.0)
    erl = offered_load(cph, np.nan_to_num(aht), interval_s=3600)
    req = required_agents_array(erl, aht, target=service_level, answer_within_s=answer_within_s)
    out["calls_per_hour"], out["aht_s"], out["erlangs"] = cph, aht, erl
    out["required_agents"] = req
    out["active_employees"], out["active_source"] = _active(c, inp, gnames, out, working_hours, period,
                                                            available)
    lim = ceiling is not None and ceiling.is_limit
    missed = out["missed"].to_numpy()
    short = (out["incoming"].to_numpy() > 0) & (req - out["active_employees"].to_numpy() >= 1)
    lines = np.zeros(len(out), dtype=bool)
    if lim:
        act = out["active_employees"].to_numpy()
        lines = ((missed > 0) & (2 * out["missed_at_ceiling"].to_numpy() >= missed)) \
            | ((out["incoming"].to_numpy() > 0) & (req > ceiling.ceiling) & (act >= ceiling.ceiling))
    out["verdict"] = np.where(lines, "lines", np.where(short, "people", "ok"))
    out["understaffed"] = out["verdict"].to_numpy() == "people"
    out["group"] = pd.array(np.asarray(gnames, dtype=object)[out["g"].to_numpy()], dtype="string")
    out["verdict"] = out["verdict"].astype("string")
    out["active_source"] = out["active_source"].astype("string")
    out = out.sort_values(["group", "weekday", "hour"], kind="stable").reset_index(drop=True)
    return out.loc[:, list(GROUPS_COLUMNS + GROUPS_EXTRA_COLUMNS)]


def _active(c: pd.DataFrame, inp: np.ndarray, gnames: pd.Index, out: pd.DataFrame,
            working_hours: WorkingHours | None, period: tuple[object, object] | None,
            available: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean number of each group's members on the line in the slot's hour over the slot's working
    days, and which rule counted them (``active_source``), aligned to ``out``'s rows: a member-hour
    counts 1 for an activity call overlapping the hour, or — where the queue_log covers that
    agent's hour — their available share of it."""
    members = classify.group_members(c)
    av = None
    if available is not None and len(available):
        av = available.loc[available["covered"].astype(bool),
                           ["employee", "department", "date", "hour", "available_share"]]
        av = av.assign(employee=av["employee"].astype("string"),
                       date=pd.to_datetime(av["date"]).to_numpy().astype("datetime64[D]"),
                       hour=av["hour"].astype(np.int64))
        # an agent in no call: the group named by their department, when it is one
        extra = av.drop_duplicates("employee").set_index("employee")["department"].astype("string")
        extra = extra[~extra.index.isin(members.index) & extra.isin(list(gnames))]
        if len(extra):
            members = pd.concat([members, extra.rename(members.name)])
    act = activity_mask(c) & inp
    emp = c.loc[act, schema.EMPLOYEE].astype("string")
    home = map_text(emp, members)
    keep = home.notna().to_numpy(dtype=bool)
    res = np.zeros(len(out), dtype=float)
    src = np.full(len(out), "calls", dtype=object)
    wdh = working_date_hours(c, working_hours=working_hours, period=period)[["date", "weekday", "hour"]]
    wdh = wdh.assign(date=wdh["date"].to_numpy().astype("datetime64[D]"))
    rows = []
    # integer codes for the employees (the joins run on ints): the callers', then the log's others
    ecode, enames = pd.factorize(emp[keep])
    enames = pd.Index(np.asarray(enames, dtype=object))
    if keep.any():
        a = c.loc[act, [schema.START, schema.END]].loc[keep]   # the two columns used, not a copy of all
        row, absh = covered_hours(a[schema.START], a[schema.END])
        busy = pd.DataFrame({"g": index_text(home[keep], gnames)[row], "e": ecode[row], "absh": absh})
        busy = unique_rows(busy[busy["g"] >= 0])
        busy["date"] = (busy["absh"] // 24).to_numpy().astype("datetime64[D]")
        busy["hour"] = busy["absh"] % 24
        # only the working date-hours (working days of the period, hours inside working hours)
        rows.append(busy.merge(wdh, on=["date", "hour"]).assign(v=1.0)[["g", "e", "date", "weekday", "hour", "v"]])
    nq = None
    if av is not None and len(av):
        names = av["employee"].astype(str)
        code = enames.get_indexer(names)
        new = pd.Index(pd.unique(names[code < 0]))
        code = np.where(code >= 0, code, len(enames) + new.get_indexer(names))
        q = av.assign(e=code, g=gnames.get_indexer(av["employee"].map(members).astype("string").fillna("")))
        q = q[q["g"] >= 0].merge(wdh, on=["date", "hour"])
        q = q.rename(columns={"available_share": "v"})[["g", "e", "date", "weekday", "hour", "v"]]
        if rows:   # the queue_log replaces the calls in the hours it covers
            k = ["e", "date", "hour"]
            b = rows[0]
            hit = b[k].merge(q[k].drop_duplicates(), on=k, how="left", indicator=True)["_merge"] == "both"
            rows[0] = b.loc[~hit.to_numpy()]
        rows.append(q)
        nq = q.groupby(["g", "weekday", "hour"]).size().rename("nq").reset_index()
    if not rows:
        return res, src
    allr = pd.concat(rows, ignore_index=True)
    n = allr.groupby(["g", "weekday", "hour"])["v"].sum().rename("n").reset_index()
    j = out[["g", "weekday", "hour", "days"]].merge(n, on=["g", "weekday", "hour"], how="left")
    d = j["days"].to_numpy(dtype=float)
    res = np.where(d > 0, j["n"].fillna(0).to_numpy(dtype=float) / np.where(d > 0, d, 1), 0.0)
    if nq is not None:
        size = members.value_counts().reindex(list(gnames)).fillna(0).to_numpy(dtype=float)
        j = out[["g", "weekday", "hour", "days"]].merge(nq, on=["g", "weekday", "hour"], how="left")
        covered = j["nq"].fillna(0).to_numpy(dtype=float)
        total = size[j["g"].to_numpy()] * j["days"].to_numpy(dtype=float)
        src = np.where(covered <= 0, "calls", np.where(covered >= total, "queue_log", "mixed")).astype(object)
    return res, src


def staffing(calls: pd.DataFrame, *, service_level: float = 0.8, answer_within_s: float = 20,
             wrapup_s: float = 0, period: tuple[object, object] | None = None,
             conc: pd.DataFrame | None = None, working_hours: WorkingHours | None = None,
             groups: pd.DataFrame | None = None, ceiling: LineCeiling | None = None,
             available: pd.DataFrame | None = None) -> pd.DataFrame:
    """Staffing per weekday × hour slot inside working hours for the whole company: the sum of
    the answering groups' needs (:func:`group_staffing`).

    Parameters
    ----------
    calls : DataFrame
        Canonical call table.
    service_level, answer_within_s, wrapup_s, period, working_hours, ceiling, available
        As in :func:`group_staffing`.
    conc : DataFrame, optional
        :func:`callkit.metrics.concurrency` of ``calls`` if already computed.
    groups : DataFrame, optional
        :func:`group_staffing` of the same calls if already computed.

    Returns
    -------
    DataFrame
        :data:`STAFFING_COLUMNS`, one row per working slot: ``calls_per_hour``, ``erlangs``,
        ``required_agents`` and ``active_employees`` summed over the groups (only a group's
        own people count for it; calls of no group are not in it); ``aht_s`` = the load-weighted AHT (erlangs × 3600 / the
        calls per hour of the groups whose AHT is known; NaN when none is); ``max_concurrent`` = most simultaneous calls
        (internal included) at any call start inside working hours in the slot over the
        period; ``understaffed`` = some group is understaffed in the slot (see
        ``groups.csv`` for which).

    Examples
    --------
    Mondays 10:00: Sales needs 8 agents and has 6, Service needs 2 and has 2 → required 10,
    active 8, understaffed (Sales).
    """
    g = group_staffing(calls, service_level=service_level, answer_within_s=answer_within_s,
                       wrapup_s=wrapup_s, period=period, working_hours=working_hours,
                       ceiling=ceiling, available=available) if groups is None else groups
    exp_ = slot_exposure(calls, period=period, working_hours=working_hours)
    g = g.assign(_known=g["calls_per_hour"].where(g["aht_s"].notna(), 0.0))
    s = g.groupby(["weekday", "hour"]).agg(
        calls_per_hour=("calls_per_hour", "sum"), erlangs=("erlangs", "sum"), _known=("_known", "sum"),
        required_agents=("required_agents", "sum"), active_employees=("active_employees", "sum"),
        understaffed=("understaffed", "any"))
    out = exp_[["weekday", "hour"]].merge(s.reset_index(), on=["weekday", "hour"], how="left")
    out["calls_per_hour"] = out["calls_per_hour"].fillna(0.0)
    out["erlangs"] = out["erlangs"].fillna(0.0)
    out["required_agents"] = out["required_agents"].fillna(0).astype(np.int64)
    out["active_employees"] = out["active_employees"].fillna(0.0)
    out["understaffed"] = out["understaffed"].fillna(False).astype(bool)
    known = out["_known"].fillna(0.0).to_numpy()
    out["aht_s"] = np.where(known > 0, out["erlangs"].to_numpy() * 3600 / np.where(known > 0, known, 1),
                            np.nan)
    inp = period_mask(calls, period) & in_working_hours(calls, working_hours)
    conc = concurrency(calls) if conc is None else conc
    conc = conc[inp[calls.index.get_indexer(conc.index)]]
    cf = slot_frame(calls.loc[conc.index, schema.START])
    cf["level"] = conc["level"].to_numpy()
    mc = cf.groupby(["weekday", "hour"])["level"].max().rename("max_concurrent").reset_index()
    out = out.merge(mc, on=["weekday", "hour"], how="left")
    out["max_concurrent"] = out["max_concurrent"].fillna(0).astype(np.int64)
    out = out.astype({"weekday": np.int64, "hour": np.int64})
    return out.loc[:, list(STAFFING_COLUMNS)]
