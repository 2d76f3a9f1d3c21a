"""Queues and agents from the Asterisk queue_log (DESIGN §5 ``queues.csv``, ``agents.csv``).

Definitions (one queue *entry* = one ENTERQUEUE of a call into a queue; a call transferred to a
second queue is an entry in each):

* ``offered`` — entries whose ENTERQUEUE is in the log. Outcomes that come without their
  ENTERQUEUE (the log starts while the call waits) are not counted (``before_log`` in
  :func:`queue_entries`).
* outcome of an entry — its first CONNECT (``answered``), ABANDON (``abandoned``: the caller hung
  up while waiting), EXITWITHTIMEOUT (``timeout``), EXITEMPTY (``exit_empty``: no member could
  take calls), EXITWITHKEY (``exit_key``: the caller left by a key). With none of these the
  entry is ``in_progress`` when it entered within ``in_progress_window_s`` (1 h) of the log's
  last event — the log was cut while it waited, it is not abandoned — else ``no_outcome`` (the
  outcome was never written, e.g. a restart); both are left out of the rates.
* ``wait_s`` — from ENTERQUEUE to the outcome (the timestamps, so vendors that move the event
  parameters — PBXware — count the same); the event's own hold/wait field when the entry has no
  ENTERQUEUE. ``talk_s`` — from CONNECT to COMPLETEAGENT / COMPLETECALLER / (BLIND|ATTENDED)
  TRANSFER.
* ``answered_within_target`` — answered with ``wait_s`` ≤ ``answer_within_s`` (profile
  threshold, default 20 s); ``service_level`` = that / the entries with an outcome (answered +
  abandoned + timeout + exits): abandoned calls count against the level (the strict form, as
  Erlang C's target); ``asa_s`` — mean wait of the answered; ``abandon_wait_s_median`` — median
  wait before abandoning.
* agents: ``logged_in_s`` — the union of AGENTLOGIN…AGENTLOGOFF, AGENTCALLBACKLOGIN…LOGOFF and
  ADDMEMBER…REMOVEMEMBER intervals over all queues (a log-in open at the log's end closes there;
  a log-off without its log-in starts ``logintime`` before it, else at the log's start); NaN for
  a static member that never logs in. ``paused_s`` — the union of PAUSE…UNPAUSE (per queue) and
  PAUSEALL…UNPAUSEALL intervals, inside the logged-in time when there is one; ``pauses`` — paused
  stretches (a pause written once per queue at the same moment is one); ``ring_no_answer`` —
  RINGNOANSWER events; ``answered`` — CONNECTs; ``talk_s`` — talk of the calls they answered.
* on the line (:func:`agent_availability`) — an agent is *available* while logged in and not
  paused (the logged-in time minus the paused time, as in ``agents.csv``: a pause in one queue
  counts as a pause, which is how Asterisk writes a pause in every queue). Per local date × clock
  hour: ``observed_s`` = the seconds of the hour inside working hours and inside the log's span,
  ``available_s`` = the available seconds among them, ``available_share`` = their ratio. An
  hour is *covered* by the log when at least half of its working time is observed
  (:data:`COVERED_MIN_SHARE`); in a covered hour an agent is *present* when available at least
  half of its working time (:data:`PRESENT_MIN_SHARE`, 30 minutes of a full hour). Presence at
  peaks (:func:`callkit.metrics.presence_at_peaks`) uses that instead of "had a call", and the
  people on the line (``active_employees``, :func:`callkit.metrics.group_staffing`) add up the
  exact shares (an agent available 45 minutes of the hour is 0.75 of an agent: Erlang C's agents
  are the agents available through the interval). Only agents that log in are covered: a static
  member's log-in time is unknown, so they, the employees not in the log and the hours outside
  its span keep the call-based rule.

All functions are pure: the events frame of :func:`callkit.io.queuelog.load_queue_log` in,
tidy frames out.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["QUEUE_COLUMNS", "QUEUE_EXTRA_COLUMNS", "AGENT_COLUMNS", "AGENT_EXTRA_COLUMNS", "PAUSE_COLUMNS",
           "ENTRY_COLUMNS", "queue_entries", "queue_summary", "agent_sessions", "agent_summary",
           "pause_summary", "join_queue_calls", "OUTCOMES", "QueueTables", "queue_tables",
           "AVAILABILITY_COLUMNS", "COVERED_MIN_SHARE", "PRESENT_MIN_SHARE", "agent_availability",
           "availability_note"]

QUEUE_COLUMNS = ("queue", "offered", "answered", "abandoned", "timeout", "answered_within_target",
                 "service_level", "asa_s", "abandon_wait_s_median")
QUEUE_EXTRA_COLUMNS = ("exit_empty", "exit_key", "in_progress", "no_outcome", "abandon_rate", "wait_s_max",
                       "talk_s_mean", "ring_no_answer", "before_log", "matched_calls")
AGENT_COLUMNS = ("employee", "logged_in_s", "paused_s", "ring_no_answer", "answered")
AGENT_EXTRA_COLUMNS = ("agent", "extension", "department", "queues", "talk_s", "pauses")
PAUSE_COLUMNS = ("employee", "reason", "pauses", "paused_s")
AVAILABILITY_COLUMNS = ("employee", "department", "date", "hour", "slot_s", "observed_s", "logged_in_s",
                        "available_s", "available_share", "covered")
#: an hour is covered by the queue_log when at least this share of its working time is inside
#: the log's span (a log that starts at 09:50 says nothing about 09:00–09:50)
COVERED_MIN_SHARE = 0.5
#: in a covered hour an agent is present when logged in and not paused at least this share of
#: its working time: available more than away. The people on the line add the exact shares.
PRESENT_MIN_SHARE = 0.5
ENTRY_COLUMNS = ("queue", "callid", "entered_at", "outcome", "outcome_at", "wait_s", "talk_s", "agent",
                 "employee", "extension", "ring_no_answer", "caller", "before_log")

_OUTCOME = {"CONNECT": "answered", "ABANDON": "abandoned", "EXITWITHTIMEOUT": "timeout",
            "EXITEMPTY": "exit_empty", "EXITWITHKEY": "exit_key"}
#: Entry outcomes; the last two are left out of every rate.
OUTCOMES = ("answered", "abandoned", "timeout", "exit_empty", "exit_key", "in_progress", "no_outcome")
_FINISHED = ("answered", "abandoned", "timeout", "exit_empty", "exit_key")
_WAIT_FIELD = {"CONNECT": "data1", "ABANDON": "data3", "EXITWITHTIMEOUT": "data3", "EXITEMPTY": "data3",
               "EXITWITHKEY": "data4"}
_END = ("COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")
_TALK_FIELD = {"COMPLETEAGENT": "data2", "COMPLETECALLER": "data2", "TRANSFER": "data4",
               "BLINDTRANSFER": "data4", "ATTENDEDTRANSFER": "data4"}
_LOGIN = {"AGENTLOGIN": ("*", True), "AGENTCALLBACKLOGIN": ("*", True), "ADDMEMBER": (None, True),
          "AGENTLOGOFF": ("*", False), "AGENTCALLBACKLOGOFF": ("*", False), "REMOVEMEMBER": (None, False)}
_PAUSE = {"PAUSE": (None, True), "UNPAUSE": (None, False), "PAUSEALL": ("*", True), "UNPAUSEALL": ("*", False)}


def _num(s: pd.Series) -> pd.Series:
    """Numbers as float64 (NaN for anything else), whatever the text column's dtype (a numeric
    Arrow dtype from to_numeric does not go into a float64 column)."""
    return pd.to_numeric(s.astype("string"), errors="coerce").astype("float64")


def _field(ev: pd.DataFrame, which: dict[str, str]) -> pd.Series:
    """Per event, the number in the data field that ``which`` names for its event type."""
    out = pd.Series(np.nan, index=ev.index, dtype="float64")
    for name, col in which.items():
        m = (ev["event"] == name).fillna(False).to_numpy(dtype=bool)
        if m.any():
            out[m] = _num(ev.loc[m, col]).to_numpy()
    return out


def _who(events: pd.DataFrame) -> pd.Series:
    """The agent's identity: the resolved employee, else the member as written."""
    emp = events["employee"].astype("string").fillna("")
    return emp.where(emp != "", events["agent"].astype("string").fillna(""))


def queue_entries(events: pd.DataFrame, *, in_progress_window_s: float = 3600) -> pd.DataFrame:
    """One row per queue entry (:data:`ENTRY_COLUMNS`): when the call entered, its outcome, wait,
    talk, who answered, how many members rang unanswered.

    Examples
    --------
    An entry that entered at 10:00:00 and was connected at 10:00:12 has ``wait_s`` 12 and
    outcome ``answered``; one with ENTERQUEUE only, 10 minutes before the log's last event, is
    ``in_progress``.
    """
    ev = events.reset_index(drop=True)
    ev = ev[(ev["callid"].astype("string").fillna("") != "") & (ev["queue"].astype("string").fillna("") != "")]
    if ev.empty:
        return pd.DataFrame(columns=list(ENTRY_COLUMNS))
    log_end = events["time"].max()
    keys = [ev["callid"], ev["queue"]]
    ev = ev.assign(entry=(ev["event"] == "ENTERQUEUE").astype(int).groupby(keys).cumsum())
    k = ["callid", "queue", "entry"]
    enter = ev[ev["event"] == "ENTERQUEUE"].drop_duplicates(k)[k + ["time", "data2", "data3"]]
    enter = enter.rename(columns={"time": "entered_at", "data2": "caller", "data3": "position"})
    out = ev[ev["event"].isin(list(_OUTCOME))].drop_duplicates(k)
    out = out.assign(outcome=out["event"].map(_OUTCOME), wait_field=_field(out, _WAIT_FIELD))
    out = out[k + ["time", "outcome", "event", "wait_field", "agent", "employee", "extension"]].rename(
        columns={"time": "outcome_at", "event": "outcome_event"})
    end = ev[ev["event"].isin(list(_END))].drop_duplicates(k)
    end = end.assign(talk_field=_field(end, _TALK_FIELD))
    end = end[k + ["time", "talk_field"]].rename(columns={"time": "ended_at"})
    rna = ev[ev["event"] == "RINGNOANSWER"].groupby(k).size().rename("ring_no_answer").reset_index()
    ent = (ev[k].drop_duplicates().merge(enter, on=k, how="left").merge(out, on=k, how="left")
           .merge(end, on=k, how="left").merge(rna, on=k, how="left"))
    ent["before_log"] = ent["entry"] == 0
    # entries made of events other than outcomes and ENTERQUEUE only (a stray RINGNOANSWER)
    ent = ent[~(ent["before_log"] & ent["outcome"].isna())]
    waited = (ent["outcome_at"] - ent["entered_at"]).dt.total_seconds()
    ent["wait_s"] = waited.where(ent["entered_at"].notna(), ent["wait_field"])
    answered = ent["outcome"] == "answered"
    talked = (ent["ended_at"] - ent["outcome_at"]).dt.total_seconds()
    ent["talk_s"] = talked.where(talked.notna(), ent["talk_field"]).where(answered)
    open_ = ent["outcome"].isna()
    recent = (log_end - ent["entered_at"]).dt.total_seconds() <= in_progress_window_s
    ent.loc[open_ & recent.fillna(False), "outcome"] = "in_progress"
    ent.loc[ent["outcome"].isna(), "outcome"] = "no_outcome"
    for c in ("agent", "employee", "extension"):
        ent[c] = ent[c].astype("string").where(answered)
    ent["ring_no_answer"] = ent["ring_no_answer"].fillna(0).astype(int)
    ent = ent.sort_values(["entered_at", "outcome_at", "callid"], kind="stable", na_position="first")
    return ent.reindex(columns=list(ENTRY_COLUMNS)).reset_index(drop=True)


def queue_summary(entries: pd.DataFrame, *, answer_within_s: float = 20) -> pd.DataFrame:
    """``queues.csv``: one row per queue (:data:`QUEUE_COLUMNS` + :data:`QUEUE_EXTRA_COLUMNS`).

    Entries from before the log's start are counted only in ``before_log``. ``matched_calls``
    is filled by :func:`join_queue_calls` (entries whose callid is a call of the CDR).
    """
    if entries.empty:
        return pd.DataFrame(columns=list(QUEUE_COLUMNS + QUEUE_EXTRA_COLUMNS))
    e = entries[~entries["before_log"].astype(bool)]
    rows = []
    for q in sorted(entries["queue"].unique()):
        x = e[e["queue"] == q]
        n = {o: int((x["outcome"] == o).sum()) for o in OUTCOMES}
        ans = x[x["outcome"] == "answered"]
        aband = x[x["outcome"] == "abandoned"]
        finished = sum(n[o] for o in _FINISHED)
        within = int((ans["wait_s"] <= answer_within_s).sum())
        rows.append({
            "queue": q, "offered": len(x), "answered": n["answered"], "abandoned": n["abandoned"],
            "timeout": n["timeout"], "answered_within_target": within,
            "service_level": within / finished if finished else np.nan,
            "asa_s": float(ans["wait_s"].mean()) if len(ans) else np.nan,
            "abandon_wait_s_median": float(aband["wait_s"].median()) if len(aband) else np.nan,
            "exit_empty": n["exit_empty"], "exit_key": n["exit_key"], "in_progress": n["in_progress"],
            "no_outcome": n["no_outcome"],
            "abandon_rate": n["abandoned"] / finished if finished else np.nan,
            "wait_s_max": float(x.loc[x["outcome"].isin(_FINISHED), "wait_s"].max()) if finished else np.nan,
            "talk_s_mean": float(ans["talk_s"].mean()) if ans["talk_s"].notna().any() else np.nan,
            "ring_no_answer": int(x["ring_no_answer"].sum()),
            "before_log": int((entries["queue"] == q).sum() - len(x)),
            "matched_calls": int(x["call_id"].notna().sum()) if "call_id" in x else np.nan,
        })
    return pd.DataFrame(rows, columns=list(QUEUE_COLUMNS + QUEUE_EXTRA_COLUMNS))


# ----------------------------------------------------------------------------- agents

def _pair(rows: list[tuple[pd.Timestamp, bool, float, str]], start: pd.Timestamp, end: pd.Timestamp
          ) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Open/close events of one agent (one queue) in time order → intervals (start, end, reason)."""
    out, open_at, reason = [], None, ""
    for t, opens, back_s, why in rows:
        if opens:
            if open_at is None:
                open_at, reason = t, why
        else:
            if open_at is None:   # closed without its opening: it was open when the log began
                begin = t - pd.Timedelta(seconds=back_s) if back_s and back_s > 0 else start
                out.append((max(begin, start), t, why if why else ""))
            else:
                out.append((open_at, t, reason))
            open_at = None
    if open_at is not None:
        out.append((open_at, end, reason))
    return out


def agent_sessions(events: pd.DataFrame) -> pd.DataFrame:
    """Logged-in and paused intervals per agent: ``who, agent, employee, extension, department,
    kind (logged_in | paused), queue ('*' = all queues), start, end, reason``."""
    cols = ["who", "agent", "employee", "extension", "department", "kind", "queue", "start", "end", "reason"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    start, end = events["time"].min(), events["time"].max()
    ev = events.assign(who=_who(events))
    ev = ev[ev["who"] != ""]
    out = []
    for kind, table in (("logged_in", _LOGIN), ("paused", _PAUSE)):
        sub = ev[ev["event"].isin(list(table))]
        if sub.empty:
            continue
        spec = sub["event"].map(table)
        qkey = [q if s[0] is None else "*" for q, s in zip(sub["queue"], spec)]
        sub = sub.assign(_q=qkey, _open=[s[1] for s in spec])
        for (who, q), g in sub.groupby(["who", "_q"], sort=False):
            back = _num(g["data2"]).fillna(0) if kind == "logged_in" else pd.Series(0.0, index=g.index)
            why = g["data1"].astype("string").fillna("") if kind == "paused" else pd.Series("", index=g.index)
            rows = list(zip(g["time"], g["_open"], back, why))
            first = g.iloc[0]
            for a, b, r in _pair(rows, start, end):
                out.append({"who": who, "agent": first["agent"], "employee": first["employee"],
                            "extension": first["extension"], "department": first["department"], "kind": kind,
                            "queue": q, "start": a, "end": b, "reason": r})
    return pd.DataFrame(out, columns=cols)


def _union(iv: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    merged: list[list[pd.Timestamp]] = []
    for a, b in sorted(iv):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _clip(iv: list[tuple], within: list[tuple]) -> list[tuple]:
    """The parts of the intervals ``iv`` inside ``within`` (sorted and disjoint: a
    :func:`_union`), found by bisection — a month of a call centre's pauses against its log-ins
    was quadratic."""
    starts = [c for c, _ in within]
    out = []
    for a, b in iv:
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        while i < len(within) and within[i][0] < b:
            c, d = within[i]
            lo, hi = max(a, c), min(b, d)
            if hi > lo:
                out.append((lo, hi))
            i += 1
    return out


def _seconds(iv: list[tuple]) -> float:
    return float(sum((b - a).total_seconds() for a, b in iv))


def _paused(sessions: pd.DataFrame, who: str) -> tuple[list[tuple], pd.DataFrame]:
    s = sessions[sessions["who"] == who]
    login = _union(list(zip(s.loc[s["kind"] == "logged_in", "start"], s.loc[s["kind"] == "logged_in", "end"])))
    p = s[s["kind"] == "paused"]
    return login, p


def agent_summary(events: pd.DataFrame, *, sessions: pd.DataFrame | None = None,
                  entries: pd.DataFrame | None = None) -> pd.DataFrame:
    """``agents.csv``: one row per agent (:data:`AGENT_COLUMNS` + :data:`AGENT_EXTRA_COLUMNS`)."""
    cols = list(AGENT_COLUMNS + AGENT_EXTRA_COLUMNS)
    if events.empty:
        return pd.DataFrame(columns=cols)
    sessions = agent_sessions(events) if sessions is None else sessions
    entries = queue_entries(events) if entries is None else entries
    ev = events.assign(who=_who(events))
    ev = ev[ev["who"] != ""]
    rows = []
    for who, g in ev.groupby("who", sort=True):
        login, p = _paused(sessions, who)
        piv = list(zip(p["start"], p["end"]))
        if login:
            piv = _clip(piv, login)
        paused = _union(piv)
        ans = entries[(entries["outcome"] == "answered")
                      & (entries["employee"].fillna(entries["agent"]).astype("string") == who)]
        first = g.iloc[0]
        queues = sorted({q for q in g["queue"] if q})
        rows.append({
            "employee": who, "logged_in_s": _seconds(login) if login else np.nan,
            "paused_s": _seconds(paused), "ring_no_answer": int((g["event"] == "RINGNOANSWER").sum()),
            "answered": int((g["event"] == "CONNECT").sum()), "agent": first["agent"],
            "extension": first["extension"], "department": first["department"], "queues": ", ".join(queues),
            "talk_s": float(ans["talk_s"].fillna(0).sum()), "pauses": len(paused),
        })
    return pd.DataFrame(rows, columns=cols)


def pause_summary(sessions: pd.DataFrame) -> pd.DataFrame:
    """``pauses.csv``: per agent and pause reason, the paused stretches and their seconds (inside
    the logged-in time when the agent has log-ins; an empty reason = none given)."""
    if sessions.empty or not (sessions["kind"] == "paused").any():
        return pd.DataFrame(columns=list(PAUSE_COLUMNS))
    rows = []
    for who in sorted(sessions.loc[sessions["kind"] == "paused", "who"].unique()):
        login, p = _paused(sessions, who)
        for reason, g in p.groupby("reason", sort=True):
            iv = list(zip(g["start"], g["end"]))
            iv = _union(_clip(iv, login) if login else iv)
            rows.append({"employee": who, "reason": reason, "pauses": len(iv), "paused_s": _seconds(iv)})
    return pd.DataFrame(rows, columns=list(PAUSE_COLUMNS))


# ----------------------------------------------------------------------------- on the line

def _subtract(iv: list[tuple], cut: list[tuple]) -> list[tuple]:
    """``iv`` minus ``cut`` (both sorted unions of intervals)."""
    out = []
    for a, b in iv:
        cur = a
        for c, d in cut:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
            if cur >= b:
                break
        if cur < b:
            out.append((cur, b))
    return out


def _wall_ns(t: pd.Timestamp) -> int:
    """Local wall-clock nanoseconds (the clock hours of the report are local hours)."""
    t = pd.Timestamp(t)
    return int((t.tz_localize(None) if t.tzinfo is not None else t).as_unit("ns").value)


def _wall_ns_array(times: pd.Series) -> np.ndarray:
    """:func:`_wall_ns` of a column at once."""
    t = pd.to_datetime(times)
    if t.dt.tz is not None:
        t = t.dt.tz_localize(None)
    return t.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _measure(iv: list[tuple], t: np.ndarray) -> np.ndarray:
    """Seconds of the disjoint sorted intervals ``iv`` (wall ns) before each time ``t``."""
    if not iv:
        return np.zeros(len(t))
    a = np.array([x[0] for x in iv], dtype=np.int64)
    b = np.array([x[1] for x in iv], dtype=np.int64)
    length = b - a
    cum = np.concatenate([[0], np.cumsum(length)])
    k = np.searchsorted(a, t, side="right") - 1
    kk = np.maximum(k, 0)
    inside = np.clip(t - a[kk], 0, length[kk])
    return np.where(k >= 0, cum[kk] + inside, 0) / 1e9


def agent_availability(sessions: pd.DataFrame, *, start: pd.Timestamp | None, end: pd.Timestamp | None,
                       working_hours=None) -> pd.DataFrame:
    """Per agent who logs in × local date × clock hour of the log's span: how long they were on the
    line (logged in and not paused) — :data:`AVAILABILITY_COLUMNS`, rules in the module docstring.

    Parameters
    ----------
    sessions : DataFrame
        :func:`agent_sessions`.
    start, end : Timestamp
        The log's first and last event (:attr:`callkit.io.queuelog.QueueLog.start` / ``end``).
    working_hours : WorkingHours, optional
        Only the working time of each hour counts (``slot_s``); None = the whole hour.

    Returns
    -------
    DataFrame
        ``employee`` (the agent as in ``agents.csv``), ``department`` (from the directory),
        ``date``, ``hour``, ``slot_s`` (working seconds of the hour), ``observed_s`` (of them,
        inside the log's span), ``logged_in_s``, ``available_s`` (logged in and not paused),
        ``available_share`` = available_s / observed_s, ``covered`` = observed_s ≥
        :data:`COVERED_MIN_SHARE` × slot_s. Hours with nothing observed are left out.

    Examples
    --------
    Logged in 09:00–12:00, paused 10:15–10:45, the log running 09:00–12:00: hour 10 has
    observed 3600 s, available 1800 s (share 0.5, present); hours 9 and 11 share 1.0.
    """
    cols = list(AVAILABILITY_COLUMNS)
    if sessions is None or sessions.empty or start is None or end is None or pd.isna(start) or pd.isna(end):
        return pd.DataFrame(columns=cols)
    who_in = sessions.loc[sessions["kind"] == "logged_in", "who"].astype(str).unique()
    if not len(who_in):
        return pd.DataFrame(columns=cols)
    hour_ns = 3600 * 10**9
    s0, s1 = _wall_ns(start), _wall_ns(end)
    h = np.arange(s0 // hour_ns, max(-(-s1 // hour_ns), s0 // hour_ns + 1), dtype=np.int64)
    day = h // 24
    if working_hours is None:
        lo, hi = np.zeros(len(h), dtype=np.int64), np.full(len(h), 1440, dtype=np.int64)
    else:
        lo, hi = working_hours.date_spans(day.astype("datetime64[D]"))
    minute = 60 * 10**9
    ws = np.maximum(h * hour_ns, day * 24 * hour_ns + lo.astype(np.int64) * minute)
    we = np.minimum((h + 1) * hour_ns, day * 24 * hour_ns + hi.astype(np.int64) * minute)
    slot_s = np.clip(we - ws, 0, None) / 1e9
    olo, ohi = np.maximum(ws, s0), np.minimum(we, s1)
    ohi = np.maximum(ohi, olo)
    keep = (slot_s > 0) & (ohi > olo)
    h, day, slot_s, olo, ohi = h[keep], day[keep], slot_s[keep], olo[keep], ohi[keep]
    frames = []
    ses = sessions.assign(_a=_wall_ns_array(sessions["start"]), _b=_wall_ns_array(sessions["end"]),
                          _who=sessions["who"].astype(str))
    for who, s in ses[ses["_who"].isin(who_in)].groupby("_who", sort=True):
        li = s["kind"].to_numpy() == "logged_in"
        login = _union(list(zip(s["_a"].to_numpy()[li].tolist(), s["_b"].to_numpy()[li].tolist())))
        pa = s["kind"].to_numpy() == "paused"
        paused = _union(_clip(list(zip(s["_a"].to_numpy()[pa].tolist(), s["_b"].to_numpy()[pa].tolist())), login))
        avail = _subtract(login, paused)
        dep = s["department"].dropna()
        frames.append(pd.DataFrame({
            "employee": who, "department": dep.iloc[0] if len(dep) else pd.NA,
            "date": day.astype("datetime64[D]"), "hour": (h % 24).astype(np.int64), "slot_s": slot_s,
            "observed_s": (ohi - olo) / 1e9,
            "logged_in_s": _measure(login, ohi) - _measure(login, olo),
            "available_s": _measure(avail, ohi) - _measure(avail, olo)}))
    out = pd.concat(frames, ignore_index=True)
    out["available_share"] = out["available_s"] / out["observed_s"]
    out["covered"] = out["observed_s"] >= COVERED_MIN_SHARE * out["slot_s"]
    out["employee"] = out["employee"].astype("string")
    out["department"] = out["department"].astype("string")
    return out.loc[:, cols]


def availability_note(availability: pd.DataFrame, lang: str = "ru") -> str | None:
    """The audit note saying which agents' presence and on-line time come from the queue_log."""
    a = availability[availability["covered"].astype(bool)] if len(availability) else availability
    if a.empty:
        return None
    names = sorted(a["employee"].astype(str).unique())
    who = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    d0, d1 = str(a["date"].min())[:10], str(a["date"].max())[:10]
    span = d0 if d0 == d1 else f"{d0} – {d1}"
    if lang == "en":
        return (f"queue_log: presence at peak hours and the people on the line count the logged-in, unpaused time "
                f"of {len(names)} agent(s) ({who}) in the hours the log covers ({span}): present in an hour = "
                f"logged in and not paused at least {PRESENT_MIN_SHARE:.0%} of it; other employees and hours "
                "by their calls")
    return (f"Журнал очереди: присутствие в часы пик и «было на линии» посчитаны по входу в очередь и паузам для "
            f"{len(names)} оператора(ов) ({who}) в часы, которые покрывает журнал ({span}): на месте в этот "
            f"час — в очереди и не на паузе не меньше {PRESENT_MIN_SHARE:.0%} часа; остальные сотрудники и "
            "часы — по звонкам")


# ----------------------------------------------------------------------------- the CDR join

def join_queue_calls(calls: pd.DataFrame, legs: pd.DataFrame | None, entries: pd.DataFrame
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Join queue entries to CDR sessions: a queue_log callid is the caller channel's uniqueid, so
    it is a leg's ``leg_id`` (uniqueid) or a session's ``call_id`` (linkedid).

    Returns
    -------
    (calls, entries)
        ``calls`` with ``queue`` (the first queue the call entered), ``queue_outcome`` and
        ``queue_wait_s`` (NA for calls that never queued); ``entries`` with ``call_id`` (NA when
        the callid is in no loaded call).
    """
    ids = dict.fromkeys(calls["call_id"].astype("string").dropna())
    mapping = {c: c for c in ids}
    if legs is not None and len(legs) and "leg_id" in legs:
        lid = legs["leg_id"].astype("string")
        for leg, cid in zip(lid, legs["call_id"].astype("string")):
            if pd.notna(leg) and leg and leg not in mapping:
                mapping[leg] = cid
    ent = entries.assign(call_id=entries["callid"].map(mapping).astype("string"))
    first = (ent[ent["call_id"].notna() & ~ent["before_log"].astype(bool)]
             .sort_values("entered_at", kind="stable").drop_duplicates("call_id"))
    first = first.set_index("call_id")
    out = calls.copy()
    cid = out["call_id"].astype("string")
    out["queue"] = cid.map(first["queue"]).astype("string")
    out["queue_outcome"] = cid.map(first["outcome"]).astype("string")
    out["queue_wait_s"] = cid.map(first["wait_s"]).astype("float64")
    return out, ent


# ----------------------------------------------------------------------------- the audit's view

@dataclass
class QueueTables:
    """Everything the audit shows from a queue_log: the entries (one per call × queue, with the
    CDR's ``call_id`` when matched), ``queues.csv``, ``agents.csv``, ``pauses.csv``, the agents'
    logged-in/paused intervals and notes."""

    entries: pd.DataFrame
    queues: pd.DataFrame
    agents: pd.DataFrame
    pauses: pd.DataFrame
    sessions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: :func:`agent_availability` (filled by the audit, which knows the working hours)
    availability: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(AVAILABILITY_COLUMNS)))


def queue_tables(events: pd.DataFrame, *, calls: pd.DataFrame | None = None,
                 legs: pd.DataFrame | None = None, answer_within_s: float = 20, lang: str = "en"
                 ) -> tuple[pd.DataFrame | None, QueueTables]:
    """All queue/agent tables in one call; with ``calls`` (and the legs) the entries are joined
    to the CDR (:func:`join_queue_calls`) and the calls come back with the queue columns. The
    notes are in ``lang`` (``ru`` / ``en``): the audit shows them to the reader."""
    entries = queue_entries(events)
    notes = []
    ru = lang == "ru"
    if calls is not None:
        calls, entries = join_queue_calls(calls, legs, entries)
        own = entries[~entries["before_log"].astype(bool)]
        k = int(own["call_id"].notna().sum())
        notes.append(f"Журнал очереди: {k} из {len(own)} звонков в очередь найдены в выгрузке звонков (по uniqueid/"
                     "linkedid)" if ru else
                     f"queue_log: {k} of {len(own)} queue entries matched a call of the CDR (queue_log callid = "
                     "uniqueid/linkedid)")
    before = int(entries["before_log"].astype(bool).sum()) if len(entries) else 0
    if before:
        notes.append(f"Журнал очереди: {before} звонок(ов) уже ждали в очереди, когда журнал начинается, — их исход "
                     "не считается" if ru else
                     f"queue_log: {before} call(s) were already waiting when the log begins: their outcome is "
                     "not counted")
    sessions = agent_sessions(events)
    agents = agent_summary(events, sessions=sessions, entries=entries)
    static = agents.loc[agents["logged_in_s"].isna(), "employee"].tolist()
    if static:
        who = f"{', '.join(static[:5])}{' …' if len(static) > 5 else ''}"
        notes.append(f"Журнал очереди: {len(static)} оператор(ов) не входят в очередь и не выходят из неё "
                     f"(постоянные участники) — время в очереди неизвестно, присутствие и «было на линии» у них "
                     f"по звонкам ({who})" if ru else
                     f"queue_log: {len(static)} agent(s) never log in or out (static queue members): their "
                     f"log-in time is unknown, presence and on-line time by their calls ({who})")
    return calls, QueueTables(entries=entries, queues=queue_summary(entries, answer_within_s=answer_within_s),
                              agents=agents, pauses=pause_summary(sessions), sessions=sessions, notes=notes)
