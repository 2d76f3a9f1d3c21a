"""``generate()``: the synthetic company as tables plus the ground truth of what was planted."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.samples._company import (
    COMPANIES,
    DEPARTMENTS,
    MAIN_NUMBER,
    MEETING,
    MISSED_PEAK_HOUR,
    OWN_NUMBERS,
    PEAK_HOURS,
    SHORT_DROP_SLOT,
    STAFF,
    UNDERSTAFFED_SLOT,
    WORKING_HOURS,
    number_type,
    simulate,
)
from callkit.samples._company import (
    SERVICE as SERVICE_DEPT,
)

__all__ = ["SampleCompany", "generate", "reference_metrics", "missed_truth", "transcript_calls",
           "GENERATOR_VERSION"]

GENERATOR_VERSION = 3   # 2: the B2C star (queue priority) for flow_concentration; 3: the truth
#                        calls 103 an inbound lead (not an avoider) and lists the inbound-role
#                        managers who must not be accused (the calls are those of version 2)

#: the columns of :attr:`SampleCompany.sessions` beyond the canonical ones
SESSION_EXTRA = ("extension", "machine_answered", "in_period", "n_legs", "attempt", "rang",
                 "callee", "transfer_to", "tag")
LEG_FIELDS = ("call_id", "uniqueid", "linkedid", "sequence", "start", "answer", "end", "src", "dst",
              "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "disposition",
              "accountcode", "userfield", "agent", "did", "kind")


@dataclass
class SampleCompany:
    """A synthetic company's calls as ground truth.

    Attributes
    ----------
    employees : DataFrame
        ``extension, name, department, hire_date``.
    clients : DataFrame
        The known-clients list (``number, name, segment``), E.164 numbers.
    own_numbers : list of str
        The company's lines (E.164).
    sessions : DataFrame
        One row per customer call (the canonical columns of DESIGN §2 plus ``extension,
        machine_answered, in_period, n_legs, attempt`` (which ring attempt answered, 0 = none or
        not a queue call), ``rang`` (extensions rung, comma-joined), ``callee`` (internal calls),
        ``transfer_to``, ``tag`` (``callback``, ``line_limit``, ``machine``, ``short_ring_drop``,
        ``recall`` or empty)). Times are tz-aware local times; ``call_id`` is the Asterisk linkedid.
        ``department`` of an incoming call is the department whose queue it reached, even when it
        rang several agents (a loader may leave it NA); ``talk_s`` sums the billsec of the legs a
        person answered (a transfer's ring gap is not talk); a call only the announcement
        answered is ``missed`` with ``machine_answered`` true.
    legs : DataFrame
        One row per Asterisk CDR row (``LEG_FIELDS``), in creation order.
    truth : dict
        What was planted, on whom, and the evidence computed from the sessions (also written as
        ``truth.json``).
    period, tz, seed, calls
        The arguments of :func:`generate`.
    """

    employees: pd.DataFrame
    clients: pd.DataFrame
    own_numbers: list[str]
    sessions: pd.DataFrame
    legs: pd.DataFrame
    truth: dict[str, Any]
    period: tuple[dt.date, dt.date]
    tz: str
    seed: int
    calls: int
    history_start: dt.date = field(default=dt.date(1970, 1, 1))
    key: str = "filtr"

    @property
    def client(self) -> str:
        """The fictional client's display name."""
        return COMPANIES[self.key].client

    @property
    def slug(self) -> str:
        return COMPANIES[self.key].slug

    def between(self, start: str | dt.date, end: str | dt.date) -> SampleCompany:
        """The same company restricted to sessions starting on local dates ``start..end``."""
        s, e = pd.Timestamp(start).date(), pd.Timestamp(end).date()
        d = self.sessions[schema.START].dt.date
        keep = self.sessions.loc[(d >= s) & (d <= e)]
        ids = set(keep[schema.CALL_ID])
        legs = self.legs.loc[self.legs["call_id"].isin(ids)]
        return replace(self, sessions=keep.reset_index(drop=True), legs=legs.reset_index(drop=True))


def _parse_period(period: tuple[str, str] | tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    try:
        a, b = (pd.Timestamp(p).date() for p in period)
    except (TypeError, ValueError):
        raise InputError(f"period {period!r} is not two dates; expected ('YYYY-MM-DD', 'YYYY-MM-DD')") from None
    if b < a:
        raise InputError(f"period {period!r} ends before it starts")
    return a, b


def generate(*, calls: int = 3000, seed: int = 0,
             period: tuple[str, str] = ("2026-10-01", "2026-10-31"), history_days: int = 30,
             tz: str = "Europe/Moscow", company: str = "filtr") -> SampleCompany:
    """Simulate a fictional sales company's calls with planted behaviours and their ground truth.

    Parameters
    ----------
    calls : int
        Approximate number of call sessions over the history and the period together (the
        planted patterns are reliable from about 2000 up).
    seed : int
        Same seed, same company, same bytes in every file written from it.
    period : (start, end)
        The analysis period, inclusive local dates.
    history_days : int
        Days before the period that are simulated too (they make numbers "known").
    tz : str
        The company's time zone; all times are local to it.
    company : {"filtr", "akva"}
        ``filtr`` — ООО «Фильтр-Сервис» (the demo: a sales meeting at 10:00, a thin Saturday
        duty, a line limit, short drops, the B2C star, absolute outliers); ``akva`` — ООО
        «Аква-Техника» (issue 9: relative outliers below the old absolute thresholds, an
        avoider and an inbound manager in B2B, a service queue too thin for its Monday rush).

    Returns
    -------
    SampleCompany

    Examples
    --------
    >>> c = generate(calls=400, seed=1)
    >>> sorted(c.sessions["direction"].unique())
    ['incoming', 'internal', 'outgoing']
    """
    if isinstance(calls, bool) or not isinstance(calls, (int, np.integer)) or calls < 50:
        raise InputError(f"calls={calls!r}; expected a whole number of sessions, at least 50")
    if history_days < 0:
        raise InputError(f"history_days={history_days!r}; expected 0 or more days")
    if company not in COMPANIES:
        raise InputError(f"company={company!r}; expected one of {sorted(COMPANIES)}")
    spec = COMPANIES[company]
    p = _parse_period(period)
    res = simulate(seed=int(seed), calls=int(calls), period=p, history_days=int(history_days), tz=tz,
                   spec=spec)
    staff = spec.staff
    employees = pd.DataFrame({
        "extension": [a.ext for a in staff], "name": [a.name for a in staff],
        "department": [a.dept for a in staff], "hire_date": [a.hire.isoformat() for a in staff],
    }).astype("string")
    clients = pd.DataFrame(res.clients, columns=["number", "name", "segment"]).astype("string")
    sessions = _sessions_frame(res.sessions, tz, p)
    legs = _legs_frame(res.legs, tz)
    company = SampleCompany(employees=employees, clients=clients,
                            own_numbers=[MAIN_NUMBER, *OWN_NUMBERS.values()], sessions=sessions,
                            legs=legs, truth={}, period=p, tz=tz, seed=int(seed), calls=int(calls),
                            history_start=p[0] - dt.timedelta(days=int(history_days)), key=spec.key)
    company.truth = _truth(company, res) if spec.key == "filtr" else _truth_akva(company, res)
    return company


def _times(values: list, tz: str) -> pd.Series:
    s = pd.Series(pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce"))
    return s.dt.tz_localize(tz).astype(f"datetime64[ns, {tz}]")


def _sessions_frame(rows: list[dict], tz: str, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df = df.sort_values("start", kind="stable").reset_index(drop=True)
    out = pd.DataFrame({schema.CALL_ID: df["call_id"].astype("string")})
    out[schema.START] = _times(df["start"].tolist(), tz)
    out[schema.ANSWERED_AT] = _times(df["answered_at"].tolist(), tz)
    out[schema.END] = _times(df["end"].tolist(), tz)
    ring_to = out[schema.ANSWERED_AT].fillna(out[schema.END])
    out[schema.RING_S] = (ring_to - out[schema.START]).dt.total_seconds()
    out[schema.TALK_S] = df["talk_s"].astype(float)
    out[schema.DIRECTION] = pd.Categorical(df["direction"], categories=list(schema.DIRECTIONS))
    out[schema.STATUS] = pd.Categorical(df["status"], categories=list(schema.STATUSES))
    out[schema.EMPLOYEE] = df["employee"].astype("string")
    out[schema.DEPARTMENT] = df["department"].astype("string")
    out[schema.CLIENT_NUMBER] = df["client_number"].astype("string")
    types = out[schema.CLIENT_NUMBER].map(lambda n: number_type(n) if isinstance(n, str) else None)
    out[schema.NUMBER_TYPE] = pd.Categorical(types, categories=list(schema.NUMBER_TYPES))
    out[schema.LINE] = df["line"].astype("string")
    out[schema.SOURCE_ROW] = np.arange(len(df), dtype="int64")
    out["extension"] = df["extension"].astype("string")
    out["machine_answered"] = df["machine_answered"].astype(bool)
    d = out[schema.START].dt.date
    out["in_period"] = (d >= period[0]) & (d <= period[1])
    out["n_legs"] = df["n_legs"].astype("int64")
    out["attempt"] = df["attempt"].fillna(0).astype("int64")
    out["rang"] = df["rang"].map(lambda r: ",".join(r) if isinstance(r, list) else "").astype("string")
    for c in ("callee", "transfer_to"):
        out[c] = (df[c] if c in df else pd.Series([None] * len(df))).astype("string")
    out["tag"] = df["tag"].fillna("").astype("string")
    return out


def _legs_frame(rows: list[dict], tz: str) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    out = pd.DataFrame({c: df[c] for c in LEG_FIELDS if c not in ("start", "answer", "end")})
    for c in ("start", "answer", "end"):
        out[c] = _times(df[c].tolist(), tz)
    out = out[list(LEG_FIELDS)]
    for c in LEG_FIELDS:
        if c not in ("start", "answer", "end", "sequence"):
            out[c] = out[c].fillna("").astype("string")
    out["sequence"] = out["sequence"].astype("int64")
    return out


# ------------------------------------------------------------------------------------------------
# ground truth computed from the sessions, by the definitions of DESIGN §3


def _new_numbers(sessions: pd.DataFrame, crm: set[str], period) -> set[str]:
    ext = sessions.loc[sessions[schema.CLIENT_NUMBER].notna()]
    first = ext.groupby(schema.CLIENT_NUMBER)[schema.START].min().dt.date
    return {n for n, d in first.items() if period[0] <= d <= period[1] and n not in crm}


def reference_metrics(company: SampleCompany, *, min_active_days: int = 3,
                      gap_threshold: float = 0.25) -> pd.DataFrame:
    """Per-employee metrics of DESIGN §3 computed on the ground-truth sessions of the period.

    Internal calls count for the caller and, when answered, for the callee. ``gap_*`` columns are
    1 − value / department best (best over employees with at least ``min_active_days``).
    """
    s = company.sessions
    per = s.loc[s["in_period"]]
    crm = set(company.clients["number"].dropna())
    new = _new_numbers(s, crm, company.period)
    rows = []
    for _, e in company.employees.iterrows():
        ext = e["extension"]
        mine = per.loc[per["extension"] == ext]
        out = mine.loc[mine[schema.DIRECTION] == "outgoing"]
        inc = mine.loc[(mine[schema.DIRECTION] == "incoming") & (mine[schema.STATUS] == "answered")]
        int_placed = mine.loc[mine[schema.DIRECTION] == "internal"]
        int_answered = per.loc[(per[schema.DIRECTION] == "internal") & (per["callee"] == ext)
                               & (per[schema.STATUS] == "answered")]
        external = pd.concat([out, inc])
        internal = len(int_placed) + len(int_answered)
        days = set(external[schema.START].dt.date) | set(int_placed[schema.START].dt.date) \
            | set(int_answered[schema.START].dt.date)
        nd = len(days)
        uniq = external[schema.CLIENT_NUMBER].nunique()
        n_out = len(out)
        new_out = int(out[schema.CLIENT_NUMBER].isin(new).sum())
        rows.append({
            "employee": e["name"], "extension": ext, "department": e["department"],
            "external_calls": len(external), "outgoing": n_out, "incoming_answered": len(inc),
            "internal_calls": internal,
            "internal_share": internal / (len(external) + internal) if len(external) + internal else np.nan,
            "mobile_share": float((out[schema.NUMBER_TYPE] == "mobile").mean()) if n_out else np.nan,
            "outgoing_new_clients": new_out, "unique_numbers": uniq,
            "calls_per_number": len(external) / uniq if uniq else np.nan,
            "days_active": nd,
            "external_calls_per_day": len(external) / nd if nd else np.nan,
            "outgoing_new_clients_per_day": new_out / nd if nd else np.nan,
        })
    m = pd.DataFrame(rows)
    for metric in ("external_calls_per_day", "outgoing_new_clients_per_day"):
        ok = m["days_active"] >= min_active_days
        best = m.loc[ok].groupby("department")[metric].max()
        m[f"gap_{metric}"] = 1 - m[metric] / m["department"].map(best)
        m[f"flag_{metric}"] = ok & (m[f"gap_{metric}"] > gap_threshold)
    return m


def missed_truth(company: SampleCompany, *, window_h: float = 24) -> pd.DataFrame:
    """Every unanswered incoming session of the period with its callback, as DESIGN §3 defines."""
    s = company.sessions
    miss = s.loc[s["in_period"] & (s[schema.DIRECTION] == "incoming")
                 & s[schema.STATUS].isin(list(schema.UNANSWERED_STATUSES))]
    ext = s.loc[s[schema.CLIENT_NUMBER].notna()]
    by_num = {n: g for n, g in ext.groupby(schema.CLIENT_NUMBER)}
    rows = []
    for _, r in miss.iterrows():
        g = by_num[r[schema.CLIENT_NUMBER]]
        later = g.loc[g[schema.START] > r[schema.START]]
        outs = later.loc[later[schema.DIRECTION] == "outgoing"]
        cb = outs[schema.START].min() if len(outs) else pd.NaT
        delay = (cb - r[schema.START]).total_seconds() if pd.notna(cb) else np.nan
        reached = bool((later[schema.STATUS] == "answered").any())
        within = bool(pd.notna(cb) and delay <= window_h * 3600)
        rows.append({"call_id": r[schema.CALL_ID], "start": r[schema.START],
                     "client_number": r[schema.CLIENT_NUMBER], "department": r[schema.DEPARTMENT],
                     "callback_at": cb, "callback_delay_s": delay, "reached": reached,
                     "lost": not within and not reached, "ring_s": r[schema.RING_S],
                     "status": str(r[schema.STATUS]), "machine_answered": bool(r["machine_answered"])})
    return pd.DataFrame(rows)


def _concurrency(sessions: pd.DataFrame) -> pd.DataFrame:
    """Max simultaneous sessions per (date, hour) slot, sessions as [start, end)."""
    s = sessions.loc[sessions[schema.END] > sessions[schema.START]]
    st = s[schema.START].dt.tz_localize(None).to_numpy()
    en = s[schema.END].dt.tz_localize(None).to_numpy()
    times = np.concatenate([st, en])
    delta = np.concatenate([np.ones(len(st), int), -np.ones(len(en), int)])
    order = np.lexsort((delta, times))            # ends before starts at the same instant
    level = np.cumsum(delta[order])
    t = pd.Series(pd.to_datetime(times[order]))
    df = pd.DataFrame({"date": t.dt.date, "hour": t.dt.hour, "level": level})
    return df.groupby(["date", "hour"])["level"].max().reset_index()


def _truth(c: SampleCompany, res) -> dict[str, Any]:
    s = c.sessions
    per = s.loc[s["in_period"]]
    m = reference_metrics(c)
    by_role = {a.role: a for a in STAFF if a.role not in ("control",)}
    controls = [a for a in STAFF if a.role == "control"]
    mrow = m.set_index("extension")

    def who(role: str) -> dict[str, str]:
        a = by_role[role]
        return {"employee": a.name, "extension": a.ext, "department": a.dept}

    def metric(ext: str, *names: str) -> dict[str, float]:
        return {n: _num(mrow.loc[ext, n]) for n in names}

    inc = per.loc[per[schema.DIRECTION] == "incoming"]
    wd_inc = inc.loc[inc[schema.START].dt.day_of_week < 5]
    by_hour = wd_inc.groupby(wd_inc[schema.START].dt.hour)[schema.STATUS].agg(
        offered="size", answered=lambda x: int((x == "answered").sum()))
    by_hour["missed_rate"] = 1 - by_hour["answered"] / by_hour["offered"]
    mt = missed_truth(c)
    lost_by_dept = mt.groupby("department")["lost"].agg(["size", "sum"])
    lost_by_dept["share"] = lost_by_dept["sum"] / lost_by_dept["size"]

    short = inc.loc[(inc[schema.STATUS] != "answered") & (inc[schema.RING_S] < 5)
                    & (inc["tag"] != "line_limit")]
    short_slot = short.groupby([short[schema.START].dt.day_of_week, short[schema.START].dt.hour]).size()
    sat = inc.loc[(inc[schema.START].dt.day_of_week == UNDERSTAFFED_SLOT[0])
                  & (inc[schema.START].dt.hour == UNDERSTAFFED_SLOT[1])]
    sat_days = per.loc[per[schema.START].dt.day_of_week == UNDERSTAFFED_SLOT[0], schema.START].dt.date.nunique()
    sat_active = per.loc[(per[schema.START].dt.day_of_week == UNDERSTAFFED_SLOT[0])
                         & (per[schema.START].dt.hour == UNDERSTAFFED_SLOT[1])
                         & per["extension"].notna() & ~per["machine_answered"], "extension"].unique()
    conc = _concurrency(s)
    ceiling = res.line_limit
    rejected = per.loc[per["tag"] == "line_limit"]
    machine = per.loc[per["machine_answered"]]

    lead, mob, rep = by_role["inbound_lead"], by_role["mobile_heavy"], by_role["repeat_dialer"]
    inth, absent = by_role["internal_heavy"], by_role["absent_at_peak"]
    absent_peak_calls = per.loc[(per["extension"] == absent.ext)
                                & per[schema.START].dt.hour.isin(PEAK_HOURS)]
    rep_out = per.loc[(per["extension"] == rep.ext) & (per[schema.DIRECTION] == "outgoing")]
    mob_out = per.loc[(per["extension"] == mob.ext) & (per[schema.DIRECTION] == "outgoing")]
    crm = set(c.clients["number"].dropna())
    new = _new_numbers(s, crm, c.period)

    planted: dict[str, Any] = {
        "inbound_lead": {**who("inbound_lead"), "rule": None, "role": "inbound",
                         "must_not_be_accused": "he takes 2.5 x the queue's calls and calls out "
                                                "little: an inbound role (inferred from the call "
                                                "mix), never flagged for few outgoing calls to "
                                                "new clients",
                         "evidence": metric(lead.ext, "outgoing", "incoming_answered",
                                            "external_calls_per_day", "outgoing_new_clients_per_day",
                                            "gap_external_calls_per_day",
                                            "gap_outgoing_new_clients_per_day")},
        "mobile_heavy": {**who("mobile_heavy"), "rule": "mobile_heavy",
                         "evidence": {**metric(mob.ext, "outgoing", "mobile_share"),
                                      "outgoing_to_known": int((~mob_out[schema.CLIENT_NUMBER].isin(new)).sum())}},
        "internal_heavy": {**who("internal_heavy"), "rule": "internal_heavy",
                           "evidence": metric(inth.ext, "internal_calls", "external_calls", "internal_share")},
        "repeat_dialer": {**who("repeat_dialer"), "rule": "repeat_dialing",
                          "numbers": list(res.repeat_pool),
                          "evidence": {**metric(rep.ext, "external_calls", "unique_numbers", "calls_per_number"),
                                       "outgoing": len(rep_out),
                                       "outgoing_unique_numbers": int(rep_out[schema.CLIENT_NUMBER].nunique())}},
        "absent_at_peak": {**who("absent_at_peak"), "rule": "absent_at_peak",
                           "peak_hours": list(PEAK_HOURS),
                           "evidence": {"calls_in_peak_hours": len(absent_peak_calls),
                                        **metric(absent.ext, "days_active", "external_calls_per_day")}},
        "missed_peak": {"rule": "missed_peak", "hour": MISSED_PEAK_HOUR, "weekdays": [0, 1, 2, 3, 4],
                        "cause": f"sales planning meeting {MEETING[0]:%H:%M}–{MEETING[1]:%H:%M}: "
                                 "the sales queues ring, almost nobody answers",
                        "departments": [DEPARTMENTS[0], DEPARTMENTS[1]],
                        "evidence": {"missed_rate_by_hour": {int(h): round(float(r), 3) for h, r
                                                             in by_hour["missed_rate"].items()},
                                     "offered_by_hour": {int(h): int(v) for h, v in by_hour["offered"].items()}}},
        "understaffed": {"rule": "understaffed", "weekday": UNDERSTAFFED_SLOT[0], "hour": UNDERSTAFFED_SLOT[1],
                         "department": DEPARTMENTS[2],
                         "cause": "one duty agent on Saturday 10–14 while calls peak at 11",
                         "evidence": {"incoming": len(sat), "days": int(sat_days),
                                      "calls_per_hour": round(len(sat) / max(sat_days, 1), 2),
                                      "active_employees": sorted(map(str, sat_active))}},
        "line_limit": {"rule": "line_limit", "max_concurrent": ceiling,
                       "counting": "all sessions (external and internal) as [start, end); the PBX "
                                   "refuses a call when this many are live (incoming BUSY, outgoing "
                                   "and internal CONGESTION, duration 0)",
                       "evidence": {"max_concurrent_seen": int(conc["level"].max()),
                                    "slots_at_ceiling": int((conc["level"] == ceiling).sum()),
                                    "refused_in_period": len(rejected),
                                    "refused_incoming_in_period": int((rejected[schema.DIRECTION] == "incoming").sum())}},
        "missed_no_callback": {"rule": "missed_no_callback", "department": DEPARTMENTS[1],
                               "window_h": 24,
                               "evidence": {d: {"missed": int(r["size"]), "lost": int(r["sum"]),
                                                "lost_share": round(float(r["share"]), 3)}
                                            for d, r in lost_by_dept.iterrows()},
                               "lost_call_ids": sorted(mt.loc[mt["lost"], "call_id"].astype(str))},
        "short_ring_drops": {"rule": "short_ring_drops", "weekday": SHORT_DROP_SLOT[0],
                             "hour": SHORT_DROP_SLOT[1],
                             "definition": "incoming, not answered, ring < 5 s, not refused by the line limit",
                             "evidence": {"in_slot": int(short_slot.get(SHORT_DROP_SLOT, 0)),
                                          "elsewhere_max": int(short_slot.drop(SHORT_DROP_SLOT, errors="ignore").max()
                                                               if len(short_slot) > 1 else 0)}},
        "machine_answered": {"pattern": "incoming answered only by the PBX announcement "
                                        "(lastapp Playback, empty dstchannel, ANSWERED): after hours "
                                        "and at weekends; no person spoke, so the session is missed",
                             "count_in_period": len(machine),
                             "call_ids": sorted(machine[schema.CALL_ID].astype(str))},
    }
    star = by_role["star"]
    star_in = inc.loc[(inc[schema.STATUS] == "answered") & (inc[schema.DEPARTMENT] == star.dept)
                      & ~inc["machine_answered"]]
    by_ext = star_in["extension"].value_counts()
    shares = by_ext / by_ext.sum()
    planted["flow_concentration"] = {
        "rule": "flow_concentration", "department": star.dept,
        "star": {"employee": star.name, "extension": star.ext, "hire_date": star.hire.isoformat()},
        "routing": "the B2C queue rings the star first whenever she is free (member penalty 0, "
                   "the others 1); the others get a call only when she is busy, away or does not "
                   "pick up",
        "control_departments": [d for d in DEPARTMENTS if d != star.dept],
        "evidence": {"incoming_answered": {str(k): int(v) for k, v in by_ext.sort_index().items()},
                     "top_share": round(float(shares.get(star.ext, 0.0)), 3),
                     "hhi": round(float((shares ** 2).sum()), 3)}}
    new_hire = by_role["new_hire"]
    allowed = [
        {"rule": "manager_gap", "subject": mob.name, "metric": "outgoing_new_clients_per_day",
         "why": "she calls known clients, so few new ones"},
        {"rule": "manager_gap", "subject": rep.name, "metric": "outgoing_new_clients_per_day",
         "why": "he calls the same few known clients"},
        *({"rule": "missed_peak", "subject": f"5 {h}", "why": "one duty agent on Saturdays also misses calls"}
          for h in (10, 11, 12, 13)),
        {"rule": "missed_peak", "subject": "2 16", "why": "the short-ring drops are missed calls too"},
    ]
    status_counts = per.groupby([schema.DIRECTION, schema.STATUS], observed=True).size()
    return {
        "generator": {"version": GENERATOR_VERSION, "calls": c.calls, "seed": c.seed,
                      "period": [c.period[0].isoformat(), c.period[1].isoformat()],
                      "history_start": c.history_start.isoformat(), "tz": c.tz,
                      "scale": round(res.scale, 4)},
        "sessions": {"total": len(s), "in_period": len(per), "legs": len(c.legs),
                     "by_direction_status": {f"{d}/{st}": int(v) for (d, st), v in status_counts.items()},
                     "answered_on_attempt": {int(k): int(v) for k, v in
                                             per.loc[per["attempt"] > 0, "attempt"].value_counts().sort_index().items()},
                     "queue_missed_after_ringing": int(((per[schema.DIRECTION] == "incoming")
                                                        & (per[schema.STATUS] == "missed")
                                                        & (per["rang"].str.len() > 0)).sum()),
                     "transfers": int(per["transfer_to"].notna().sum()),
                     "callbacks": int((per["tag"] == "callback").sum())},
        "planted": planted,
        "controls": [a.name for a in controls],
        "not_flagged": [a.name for a in controls] + [new_hire.name, lead.name, star.name],
        "inbound_role": {"employees": [lead.name, star.name],
                         "why": "answered incoming dominates their outgoing (the star also takes "
                                "most of the B2C queue): an inbound role, compared with nobody "
                                "in a department of hunters"},
        "few_active_days": {"employee": new_hire.name, "extension": new_hire.ext,
                            "days_active": int(mrow.loc[new_hire.ext, "days_active"]),
                            "note": "hired near the end of the period: reported, not flagged"},
        "allowed_extra_findings": allowed,
        "peak_hours": list(PEAK_HOURS),
        "working_hours": WORKING_HOURS,
        # the service desk answers the service line: a role the profile states (inferred from
        # the call mix it would read as hunters, and be compared on new-client calls)
        "profile_roles": {SERVICE_DEPT: "service"},
        "metrics": _records(m),
    }


def _rush_staffing(c: SampleCompany, weekday: int, hours: list[int], group: str) -> dict[str, Any]:
    """Erlang C for ``group``'s own incoming at ``weekday`` ``hours`` (the answering group) and
    for the whole company's incoming against everybody on the phone (which hides the gap)."""
    from callkit.metrics.staffing import required_agents

    per = c.sessions.loc[c.sessions["in_period"]]
    inc = per.loc[per[schema.DIRECTION] == "incoming"]
    answered = inc.loc[(inc[schema.STATUS] == "answered") & ~inc["machine_answered"]]
    days = per.loc[per[schema.START].dt.day_of_week == weekday, schema.START].dt.date.nunique()
    aht_group = float(answered.loc[answered[schema.DEPARTMENT] == group, schema.TALK_S].mean())
    aht_all = float(answered[schema.TALK_S].mean())
    staff = set(c.employees.loc[c.employees["department"] == group, "extension"])
    out: dict[str, Any] = {"days": int(days), "aht_s_group": round(aht_group, 1),
                           "aht_s_company": round(aht_all, 1), "by_hour": {}}
    for h in hours:
        slot = per.loc[(per[schema.START].dt.day_of_week == weekday) & (per[schema.START].dt.hour == h)]
        sin = slot.loc[slot[schema.DIRECTION] == "incoming"]
        g_cph = float((sin[schema.DEPARTMENT] == group).sum()) / max(days, 1)
        all_cph = len(sin) / max(days, 1)
        acts = slot.loc[slot["extension"].notna() & ~slot["machine_answered"]
                        & ((slot[schema.DIRECTION] != "incoming") | (slot[schema.STATUS] == "answered"))]
        per_day = acts.groupby(acts[schema.START].dt.date)["extension"]
        g_active = float(per_day.agg(lambda e: len(set(e) & staff)).mean())
        all_active = float(per_day.nunique().mean())
        out["by_hour"][str(int(h))] = {   # str: the same keys as truth.json
            "group_calls_per_hour": round(g_cph, 2),
            "group_required_agents": required_agents(g_cph * aht_group / 3600, aht_group),
            "group_active_employees": round(g_active, 2),
            "company_calls_per_hour": round(all_cph, 2),
            "company_required_agents": required_agents(all_cph * aht_all / 3600, aht_all),
            "company_active_employees": round(all_active, 2),
        }
    return out


def _truth_akva(c: SampleCompany, res) -> dict[str, Any]:
    """Ground truth of the second company (issue 9 item 9): what was planted, on whom, with the
    numbers computed from the ground-truth sessions by DESIGN §3."""
    spec = COMPANIES["akva"]
    m = reference_metrics(c)
    mrow = m.set_index("extension")
    by_role = {a.role: a for a in spec.staff if a.role != "control"}
    controls = [a for a in spec.staff if a.role == "control"]

    def who(role: str) -> dict[str, str]:
        a = by_role[role]
        return {"employee": a.name, "extension": a.ext, "department": a.dept}

    def metric(ext: str, *names: str) -> dict[str, float]:
        return {n: _num(mrow.loc[ext, n]) for n in names}

    def colleagues(dept: str, name: str) -> list[float]:
        ext = [a.ext for a in controls if a.dept == dept]
        v = mrow.loc[ext, name]
        return [_num(v.min()), _num(v.max())]

    inth, rep, avoid, inb = (by_role[r] for r in ("internal_relative", "repeat_relative",
                                                  "avoider", "inbound"))
    rush = sorted(spec.monday_rush or {})
    planted: dict[str, Any] = {
        "internal_relative": {
            **who("internal_relative"), "rule": "internal_heavy",
            "why": "a third of her calls are internal while her B2B colleagues' are a few per cent: "
                   "below the old absolute 35 %, an outlier against the colleagues",
            "evidence": {**metric(inth.ext, "internal_calls", "external_calls", "internal_share"),
                         "colleagues_internal_share": colleagues(inth.dept, "internal_share"),
                         "old_absolute_threshold": 0.35}},
        "repeat_relative": {
            **who("repeat_relative"), "rule": "repeat_dialing",
            "why": "he calls the same known clients again and again: about 2.4 calls per number "
                   "while his B2C colleagues make 1.1-1.4; below the old absolute 3.0",
            "evidence": {**metric(rep.ext, "external_calls", "unique_numbers", "calls_per_number"),
                         "colleagues_calls_per_number": colleagues(rep.dept, "calls_per_number"),
                         "old_absolute_threshold": 3.0}},
        "avoider": {
            **who("avoider"), "rule": "manager_gap", "metrics": ["external_calls_per_day"],
            "why": "a hunter (he calls out more than he answers) who makes a third of his "
                   "colleagues' calls",
            "evidence": metric(avoid.ext, "outgoing", "incoming_answered", "external_calls_per_day",
                               "gap_external_calls_per_day")},
        "inbound": {
            **who("inbound"), "rule": None, "role": "inbound",
            "must_not_be_accused": "the B2B queue gives her 2.5 x the calls and she calls out little: "
                                   "an inbound role (inferred from the call mix); never flagged for "
                                   "few outgoing calls to new clients",
            "evidence": metric(inb.ext, "outgoing", "incoming_answered",
                               "outgoing_new_clients_per_day", "gap_outgoing_new_clients_per_day")},
        "understaffed_group": {
            "rule": "understaffed", "group": SERVICE_DEPT, "weekday": 0, "hours": rush,
            "detected_by": "staffing per answering group (issue 9 item 4): the Сервис ring group "
                           "only; company-wide headcount hides it",
            "cause": f"a rush of service calls on Mondays {rush[0]}:00-{rush[-1] + 1}:00 that the "
                     "three service agents (ring-all) cannot carry",
            "evidence": _rush_staffing(c, 0, rush, SERVICE_DEPT)},
    }
    per = c.sessions.loc[c.sessions["in_period"]]
    status_counts = per.groupby([schema.DIRECTION, schema.STATUS], observed=True).size()
    return {
        "generator": {"version": GENERATOR_VERSION, "company": c.key, "calls": c.calls,
                      "seed": c.seed, "period": [c.period[0].isoformat(), c.period[1].isoformat()],
                      "history_start": c.history_start.isoformat(), "tz": c.tz,
                      "scale": round(res.scale, 4)},
        "sessions": {"total": len(c.sessions), "in_period": len(per), "legs": len(c.legs),
                     "by_direction_status": {f"{d}/{st}": int(v) for (d, st), v in status_counts.items()}},
        "planted": planted,
        "controls": [a.name for a in controls],
        "not_flagged": [a.name for a in controls] + [inb.name],
        "inbound_role": {"employees": [inb.name],
                         "why": "answered incoming >= 1.5 x outgoing: inferred inbound"},
        "profile_roles": {SERVICE_DEPT: "service"},
        # no Saturday duty in this company: Mon–Fri 09–18 only
        "working_hours": {k: v for k, v in WORKING_HOURS.items() if k != "by_day"},
        "allowed_extra_findings": [
            {"rule": "manager_gap", "subject": rep.name, "metric": "outgoing_new_clients_per_day",
             "why": "he calls known clients, so few new ones"},
            {"rule": "manager_gap", "subject": avoid.name, "metric": "outgoing_new_clients_per_day",
             "why": "the avoider makes few calls of any kind"},
        ],
        "metrics": _records(m),
    }


def _num(v: Any) -> float | int | None:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return round(float(v), 4)


def _records(m: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in m.to_dict("records"):
        out.append({k: (_num(v) if not isinstance(v, str) else v) for k, v in r.items()})
    return out


def transcript_calls(company: SampleCompany, *, in_period: bool = True) -> pd.DataFrame:
    """The answered external sessions a person spoke in, for synthetic transcripts.

    Returns
    -------
    DataFrame
        ``call_id`` (the Asterisk linkedid, as the loader's ``call_id``), ``employee``,
        ``extension``, ``department``, ``direction``, ``start``, ``talk_s``, ``client_number``.
    """
    s = company.sessions
    keep = (s[schema.STATUS] == "answered") & s[schema.DIRECTION].isin(["incoming", "outgoing"]) \
        & ~s["machine_answered"]
    if in_period:
        keep &= s["in_period"]
    cols = [schema.CALL_ID, schema.EMPLOYEE, "extension", schema.DEPARTMENT, schema.DIRECTION,
            schema.START, schema.TALK_S, schema.CLIENT_NUMBER]
    return s.loc[keep, cols].reset_index(drop=True)
