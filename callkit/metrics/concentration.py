"""Who holds the department's clients: flow concentration per department (issue 6 item 1).

In B2B, clients tend to get "stuck" with long-serving managers; in B2C a few "star" managers
capture the incoming flow. Both make the department depend on one person (holidays, sick leave,
a resignation take the clients along) and leave the others without incoming work.

:func:`flow_concentration` — one row per manager: their share of the department's incoming
answered calls and of its known clients, the clients only they served, new vs existing clients
and tenure. :func:`concentration_summary` — one row per department with the concentration
index.

Definitions (over the analysis period):

* **incoming_answered** — incoming sessions answered by a person (not only by the PBX) whose
  ``employee`` is the manager; ``incoming_share`` = that / the department's total.
* A **client** is a client number with at least one call counted in ``external_calls``
  (DESIGN §3: outgoing attempts and answered incoming). It **belongs** to the manager who
  handled most of its calls (a tie goes to whoever handled it first) and to that manager's
  department. ``clients_share`` = the manager's clients / the department's clients.
* **clients_single** — the manager's clients whose calls were all handled by them alone.
* **clients_new** / **clients_existing** — the manager's clients that are new (DESIGN §3,
  ``is_new_client``) or not; ``new_client_share`` = new / all their clients. NaN when the
  period has ``new_unknown`` calls (the history does not cover the look-back).
* **tenure_days** — days from the hire date (employees file ``hire_date``) to the first day of
  the period (0 for someone hired during it; without ``period``, the first day with an
  in-period call); NA without a hire date.
* **managers** (n) — the department's managers with at least ``min_active_days`` active days;
  ``even_share`` = 1 / n, the share each would have if the flow were spread evenly. Managers
  with fewer days are listed (``counted`` False) but do not make n.
* **hhi** — the Herfindahl–Hirschman index of the incoming shares, Σ share². Plain meaning:
  the chance that two incoming calls picked at random went to the same manager. It is 1 / n
  when the flow is even and 1 when one manager takes every call. **effective_managers** =
  1 / hhi: the flow is as concentrated as if it were shared evenly by that many managers.
  **hhi_norm** = (hhi − 1/n) / (1 − 1/n), clipped to 0..1: 0 = even, 1 = one manager
  (comparable between departments of different sizes). ``clients_hhi`` is the same index
  over the clients' shares.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from callkit import classify, schema
from callkit.metrics._util import ensure_flags, masks, text_codes
from callkit.metrics._util import safe_div as _div

__all__ = ["CONCENTRATION_COLUMNS", "CONCENTRATION_SUMMARY_COLUMNS", "flow_concentration", "client_owners",
           "concentration_summary", "hhi", "effective_number"]

#: Per-manager columns (concentration.csv).
CONCENTRATION_COLUMNS: tuple[str, ...] = (
    schema.DEPARTMENT, schema.EMPLOYEE, "counted", "days_active",
    "incoming_answered", "incoming_share", "clients", "clients_share", "clients_single",
    "clients_new", "clients_existing", "new_client_share", "hire_date", "tenure_days",
    "department_incoming", "department_clients", "managers", "even_share", "hhi", "hhi_norm",
    "effective_managers", "clients_hhi",
)
#: Per-department columns (:func:`concentration_summary`).
CONCENTRATION_SUMMARY_COLUMNS: tuple[str, ...] = (
    schema.DEPARTMENT, "managers", "incoming_answered", "even_share", "top_employee",
    "top_incoming", "top_share", "top_ratio", "hhi", "hhi_norm", "effective_managers",
    "clients", "top_clients_share", "clients_hhi", "clients_single", "clients_single_share",
    "new_share_senior", "new_share_junior",
)


def hhi(shares: pd.Series | np.ndarray) -> float:
    """Herfindahl–Hirschman index Σ share² of shares that sum to 1 (NaN for no shares).

    Examples
    --------
    >>> round(hhi([0.6, 0.3, 0.1]), 2)
    0.46
    """
    s = np.asarray(shares, dtype=float)
    s = s[~np.isnan(s)]
    return float((s ** 2).sum()) if len(s) and s.sum() > 0 else float("nan")


def effective_number(index: float) -> float:
    """1 / HHI: how many managers sharing evenly would give the same concentration."""
    return float(1.0 / index) if index and index > 0 else float("nan")


def _norm_hhi(index: float, n: int) -> float:
    if n < 2 or not np.isfinite(index):
        return float("nan")
    return float(min(1.0, max(0.0, (index - 1.0 / n) / (1.0 - 1.0 / n))))


#: Each client number's owner (most calls; a tie: first handled, then the name), whether one
#: manager served it alone, and whether it is a new client: one DuckDB group-by over the calls
#: and one over the (number, employee) pairs — the owner is the pair with the smallest
#: (−calls, first call, name), an arg_min (a window ranking every pair took twice as long).
_OWNERS_SQL = """
WITH pairs AS (
    SELECT client_number, employee, count(*) AS n, min(t_start) AS t_first,
           bool_or(is_new_client) AS new
    FROM ext GROUP BY client_number, employee
), owners AS (
    SELECT client_number,
           arg_min(struct_pack(employee, n, t_first),
                   struct_pack(n := -n, t_first := coalesce(t_first, 9223372036854775807),
                               employee := employee)) AS owner,
           count(*) = 1 AS single, bool_or(new) AS new
    FROM pairs GROUP BY client_number
)
SELECT client_number, owner.employee AS employee, owner.n AS n, owner.t_first AS t_first,
       single, new
FROM owners
"""


def _owners(ext: pd.DataFrame) -> pd.DataFrame:
    """One row per client number (sorted): its owner ``employee`` (most calls,
    tie: first handled, then the name), ``n`` (the owner's calls), ``first``, ``single`` (one
    manager served it alone) and ``new`` (``is_new_client`` on any of its calls)."""
    from callkit import engine

    tz = ext[schema.START].dt.tz
    table = pa.table({
        "client_number": pa.array(ext[schema.CLIENT_NUMBER].astype("string").array),
        "employee": pa.array(ext[schema.EMPLOYEE].astype("string").array),
        "t_start": engine.ns_array(ext[schema.START]),
        "is_new_client": pa.array(ext[classify.IS_NEW_CLIENT].to_numpy(dtype=bool)),
    })
    with engine.connect() as con:
        con.register("ext", table)
        res = con.sql(_OWNERS_SQL + " ORDER BY client_number").to_arrow_table()
    string = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(),
              pa.string_view(): pd.StringDtype()}.get
    own = pd.DataFrame({
        schema.EMPLOYEE: res.column("employee").to_pandas(types_mapper=string),
        "n": res.column("n").to_numpy().astype(np.int64),
        "first": (engine.ns_to_times(res.column("t_first"), str(tz)) if tz is not None else
                  pd.Series(res.column("t_first").to_numpy().astype("datetime64[ns]")))
        .astype(ext[schema.START].dtype),
        "single": res.column("single").to_numpy(zero_copy_only=False).astype(bool),
        "new": res.column("new").to_numpy(zero_copy_only=False).astype(bool),
    })
    own.index = pd.Index(res.column("client_number").to_pandas(types_mapper=string), name=schema.CLIENT_NUMBER)
    return own


def _owner_totals(ext: pd.DataFrame, client_codes: np.ndarray) -> pd.DataFrame:
    """Per owner (index ``employee``): ``clients`` (the numbers they own), ``single`` (of those,
    served by them alone) and ``new`` (new clients) — :data:`_OWNERS_SQL` counted per employee,
    on integer codes: the numbers by ``client_codes`` (any coding), the employees by their
    rank in name order (the tie-break of the owner rule), so DuckDB hashes no strings."""
    from callkit import engine

    code, names = pd.factorize(ext[schema.EMPLOYEE], sort=True)
    table = pa.table({
        "client_number": pa.array(np.asarray(client_codes, dtype=np.int64)),
        "employee": pa.array(code.astype(np.int64)),
        "t_start": engine.ns_array(ext[schema.START]),
        "is_new_client": pa.array(ext[classify.IS_NEW_CLIENT].to_numpy(dtype=bool)),
    })
    with engine.connect() as con:
        con.register("ext", table)
        res = con.sql(f"""
            SELECT employee, count(*) AS clients, count(*) FILTER (WHERE single) AS single,
                   count(*) FILTER (WHERE new) AS new
            FROM ({_OWNERS_SQL}) GROUP BY employee""").to_arrow_table()
    who = pd.Index(np.asarray(names, dtype=object)[res.column("employee").to_numpy()], name=schema.EMPLOYEE)
    return pd.DataFrame({c: res.column(c).to_numpy().astype(np.int64) for c in ("clients", "single", "new")},
                        index=who)


def _client_keep(calls: pd.DataFrame, mk: dict[str, np.ndarray], sel: np.ndarray) -> np.ndarray:
    """The rows among ``sel`` counted in ``external_calls`` that name an employee and a client
    number (outgoing attempts and answered incoming)."""
    return (sel & calls[schema.EMPLOYEE].notna().to_numpy(dtype=bool)
            & calls[schema.CLIENT_NUMBER].notna().to_numpy(dtype=bool)
            & (mk["outgoing"] | (mk["incoming"] & mk["answered"])))


def _client_calls(calls: pd.DataFrame, mk: dict[str, np.ndarray], sel: np.ndarray) -> pd.DataFrame:
    """The calls of :func:`_client_keep`: ``client_number, employee, start, is_new_client``
    (False when the calls carry no flag)."""
    keep = _client_keep(calls, mk, sel)
    ext = calls.loc[keep, [schema.CLIENT_NUMBER, schema.EMPLOYEE, schema.START]]
    new = (calls.loc[keep, classify.IS_NEW_CLIENT].fillna(False).astype(bool) if classify.IS_NEW_CLIENT in calls
           else False)
    return ext.assign(**{schema.EMPLOYEE: ext[schema.EMPLOYEE].astype("string"),
                         schema.CLIENT_NUMBER: ext[schema.CLIENT_NUMBER].astype("string"),
                         classify.IS_NEW_CLIENT: new})


def client_owners(calls: pd.DataFrame) -> pd.DataFrame:
    """Each client number's own manager over all the calls given (history included): the
    employee who handled most of its calls counted in ``external_calls`` (outgoing attempts
    and answered incoming; a tie goes to whoever handled it first) — the rule that makes a
    client "belong" to a manager in :func:`flow_concentration`.

    Returns
    -------
    DataFrame
        Indexed by ``client_number``: ``employee``, ``department`` (the employee's, from the
        calls), ``calls`` (theirs with the number).

    Examples
    --------
    Number A: Анна 3 calls, Борис 1 → Анна; number B: Борис alone → Борис.
    """
    ext = _client_calls(calls, masks(calls), np.ones(len(calls), dtype=bool))
    empty = pd.DataFrame({schema.EMPLOYEE: pd.Series(dtype="string"), schema.DEPARTMENT: pd.Series(dtype="string"),
                          "calls": pd.Series(dtype="int64")}, index=pd.Index([], name=schema.CLIENT_NUMBER,
                                                                              dtype="string"))
    if ext.empty:
        return empty
    own = _owners(ext)
    dep = calls.loc[calls[schema.EMPLOYEE].notna() & calls[schema.DEPARTMENT].notna(), [schema.EMPLOYEE, schema.DEPARTMENT]]
    dep = dep.astype("string").drop_duplicates(schema.EMPLOYEE).set_index(schema.EMPLOYEE)[schema.DEPARTMENT]
    out = pd.DataFrame({schema.EMPLOYEE: own[schema.EMPLOYEE].astype("string"),
                        schema.DEPARTMENT: own[schema.EMPLOYEE].map(dep).astype("string"),
                        "calls": own["n"].astype("int64")}, index=own.index)
    out.index = out.index.astype("string")
    out.index.name = schema.CLIENT_NUMBER
    return out


def flow_concentration(calls: pd.DataFrame, *, period: tuple[object, object] | None = None,
                       managers: pd.DataFrame | None = None,
                       employees: pd.DataFrame | None = None,
                       min_active_days: int = 3) -> pd.DataFrame:
    """Each manager's share of the department's incoming answered calls and known clients.

    Parameters
    ----------
    calls : DataFrame
        Canonical call table, ideally through :func:`callkit.classify.add_client_flags` (which
        knows the known-clients list and the history); otherwise the flags are computed here.
    period : (start, end) or None
        Inclusive local dates; None = the ``in_period`` flag if present, else all data.
    managers : DataFrame, optional
        :func:`callkit.metrics.manager_summary` of the same calls (its ``employee``,
        ``department``, ``days_active``); computed here when None.
    employees : DataFrame, optional
        The employees directory; its ``hire_date`` gives ``tenure_days``.
    min_active_days : int
        Managers with fewer active days are listed but not counted in n (``managers``).

    Returns
    -------
    DataFrame
        :data:`CONCENTRATION_COLUMNS`, one row per manager (the rows of ``managers``), sorted by
        department and then by incoming share, largest first. Per manager: ``counted`` (bool),
        ``days_active``, ``incoming_answered`` (int), ``incoming_share`` (0..1), ``clients``,
        ``clients_share``, ``clients_single``, ``clients_new``, ``clients_existing`` (ints),
        ``new_client_share`` (0..1), ``hire_date`` (datetime or NaT), ``tenure_days`` (Int64).
        Per department, repeated on its rows: ``department_incoming``, ``department_clients``,
        ``managers`` (n), ``even_share`` (1/n), ``hhi``, ``hhi_norm``, ``effective_managers``,
        ``clients_hhi`` (see the module docstring). Shares are NaN when the department has no
        such calls.

    Examples
    --------
    Three managers of one department answer 6, 3 and 1 incoming calls: shares 0.6 / 0.3 / 0.1,
    HHI = 0.36 + 0.09 + 0.01 = 0.46 (as if 1 / 0.46 ≈ 2.2 managers shared evenly), even share
    1/3, hhi_norm = (0.46 − 1/3) / (2/3) = 0.19.
    """
    flagged, inp = ensure_flags(calls, period)
    if managers is None:
        from callkit.metrics.managers import manager_summary

        managers = manager_summary(flagged, period=period, employees=employees)
    mk = masks(flagged)
    emp = flagged[schema.EMPLOYEE]
    has_emp = emp.notna().to_numpy(dtype=bool)
    roster = managers.loc[managers[schema.EMPLOYEE].notna(),
                          [schema.EMPLOYEE, schema.DEPARTMENT, "days_active"]].copy()
    roster[schema.EMPLOYEE] = roster[schema.EMPLOYEE].astype("string")
    roster[schema.DEPARTMENT] = roster[schema.DEPARTMENT].astype("string")
    roster = roster.drop_duplicates(schema.EMPLOYEE).reset_index(drop=True)
    idx = pd.Index(roster[schema.EMPLOYEE])

    # incoming answered by a person, per manager
    inc = inp & mk["incoming"] & mk["answered"] & has_emp
    n_in = emp[inc].astype("string").value_counts()
    # clients: numbers with calls counted in external_calls (outgoing attempts + answered incoming)
    ext = _client_calls(flagged, mk, inp)
    if len(ext):
        tot = _owner_totals(ext, text_codes(flagged[schema.CLIENT_NUMBER])[_client_keep(flagged, mk, inp)])
        clients, single, new = tot["clients"], tot["single"], tot["new"]
    else:
        clients = single = new = pd.Series(dtype="int64")

    out = roster.copy()
    out["days_active"] = out["days_active"].fillna(0).astype("int64")
    out["counted"] = out["days_active"] >= int(min_active_days)
    out["incoming_answered"] = n_in.reindex(idx).fillna(0).astype("int64").to_numpy()
    out["clients"] = clients.reindex(idx).fillna(0).astype("int64").to_numpy()
    out["clients_single"] = single.reindex(idx).fillna(0).astype("int64").to_numpy()
    out["clients_new"] = new.reindex(idx).fillna(0).astype("int64").to_numpy()
    out["clients_existing"] = out["clients"] - out["clients_new"]
    out["new_client_share"] = _div(out["clients_new"], out["clients"])
    if classify.CLIENT_STATUS in flagged and (
            flagged.loc[inp, classify.CLIENT_STATUS] == "new_unknown").any():
        # too short a history to tell new clients (classify.new_client_coverage): unknown, not 0
        out[["clients_new", "clients_existing", "new_client_share"]] = np.nan

    # hire date and tenure at the start of the period
    out["hire_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[us]")
    if employees is not None and "hire_date" in employees and schema.EMPLOYEE in employees:
        hd = employees.loc[employees[schema.EMPLOYEE].notna(), [schema.EMPLOYEE, "hire_date"]]
        hd = hd.assign(**{schema.EMPLOYEE: hd[schema.EMPLOYEE].astype("string")}) \
            .drop_duplicates(schema.EMPLOYEE).set_index(schema.EMPLOYEE)["hire_date"]
        hd = pd.to_datetime(hd, errors="coerce")
        out["hire_date"] = pd.to_datetime(hd.reindex(idx).to_numpy()).astype("datetime64[us]")
    p0 = _period_start(flagged, period, inp)
    if p0 is not None:
        days = (p0 - out["hire_date"]).dt.days
        out["tenure_days"] = days.clip(lower=0).astype("Int64")
    else:
        out["tenure_days"] = pd.array([pd.NA] * len(out), dtype="Int64")

    # department totals and indices
    dep_key = out[schema.DEPARTMENT].astype("string").fillna("\x00")
    g = out.groupby(dep_key, sort=False)
    out["department_incoming"] = g["incoming_answered"].transform("sum").astype("int64")
    out["department_clients"] = g["clients"].transform("sum").astype("int64")
    out["managers"] = g["counted"].transform("sum").astype("int64")
    out["incoming_share"] = _div(out["incoming_answered"], out["department_incoming"])
    out["clients_share"] = _div(out["clients"], out["department_clients"])
    out["even_share"] = _div(pd.Series(1.0, index=out.index), out["managers"])
    out["hhi"] = _group_hhi(out["incoming_share"], dep_key)
    out["clients_hhi"] = _group_hhi(out["clients_share"], dep_key)
    out["hhi_norm"] = [_norm_hhi(h, int(n)) for h, n in zip(out["hhi"], out["managers"])]
    out["effective_managers"] = [effective_number(h) for h in out["hhi"]]
    out = out.assign(_d=dep_key).sort_values(
        ["_d", "incoming_share", "clients", schema.EMPLOYEE],
        ascending=[True, False, False, True], kind="stable", na_position="last")
    return out.loc[:, list(CONCENTRATION_COLUMNS)].reset_index(drop=True)


def _period_start(calls: pd.DataFrame, period: tuple[object, object] | None,
                  inp: np.ndarray) -> pd.Timestamp | None:
    if period is not None:
        return pd.Timestamp(classify.period_bounds(calls, period)[2][0])
    if not inp.any():
        return None
    day = classify.local_dates(calls.loc[inp, schema.START].dropna()).min()
    return pd.Timestamp(day)


def _group_hhi(shares: pd.Series, key: pd.Series) -> np.ndarray:
    """:func:`hhi` of each group's shares, repeated on its rows (one groupby, no loop)."""
    g = pd.DataFrame({"k": key.to_numpy(), "s": shares.astype(float), "q": shares.astype(float) ** 2})
    g = g.groupby("k", sort=False)
    total, squares = g["s"].transform("sum"), g["q"].transform("sum")
    return np.where(total > 0, squares, np.nan).astype(float)


def concentration_summary(conc: pd.DataFrame) -> pd.DataFrame:
    """One row per department from :func:`flow_concentration`'s table.

    Parameters
    ----------
    conc : DataFrame
        The per-manager table (:data:`CONCENTRATION_COLUMNS`).

    Returns
    -------
    DataFrame
        :data:`CONCENTRATION_SUMMARY_COLUMNS`: ``managers`` (n), ``incoming_answered``,
        ``even_share`` (1/n), ``top_employee`` / ``top_incoming`` / ``top_share`` (the manager
        with the largest incoming share), ``top_ratio`` = top_share / even_share (2.0 = twice
        an even share), ``hhi``, ``hhi_norm``, ``effective_managers``, ``clients``,
        ``top_clients_share`` (the top manager's share of the clients), ``clients_hhi``,
        ``clients_single`` and ``clients_single_share`` (clients served by one manager only),
        ``new_share_senior`` / ``new_share_junior``: the pooled share of new clients among the
        clients of the counted managers with tenure at or above / below the department's median
        (NaN without hire dates or with fewer than two such managers).

    Examples
    --------
    Shares 0.6 / 0.3 / 0.1 of 10 calls among 3 counted managers: top_share 0.6, even_share 1/3,
    top_ratio 1.8, hhi 0.46, effective_managers 2.17.
    """
    key = conc[schema.DEPARTMENT].astype("string").fillna("\x00").rename("_k")
    c = conc.assign(_k=key)
    # the department's own figures are repeated on each of its rows: take its first row
    first = c.groupby("_k", sort=True).head(1).set_index("_k")
    # the manager with the largest incoming share (then clients; ties: the first listed)
    top = c.sort_values(["_k", "incoming_share", "clients"], ascending=[True, False, False],
                        kind="stable", na_position="last").groupby("_k", sort=True).head(1).set_index("_k")
    single = c.groupby("_k", sort=True)["clients_single"].sum()
    # new-client share of the senior vs the junior half (by tenure) of the counted managers
    t = c[c["counted"].astype(bool) & c["tenure_days"].notna()].assign(
        _tenure=lambda d: d["tenure_days"].astype(float))
    tg = t.groupby("_k")
    t = t.assign(_n=tg["_tenure"].transform("size"), _med=tg["_tenure"].transform("median"))
    t = t[t["_n"] >= 2].assign(_senior=lambda d: d["_tenure"] >= d["_med"])
    pooled = t.assign(_unknown=t["clients_new"].isna()).groupby(["_k", "_senior"]).agg(
        clients=("clients", "sum"), clients_new=("clients_new", "sum"), unknown=("_unknown", "any"))
    # unknown new clients (the history does not cover the look-back): no share
    share = (pooled["clients_new"] / pooled["clients"].where((pooled["clients"] > 0) & ~pooled["unknown"])
             ).unstack("_senior")
    share = share.reindex(columns=[True, False])

    top = top.reindex(first.index)
    has_in = (first["department_incoming"] > 0).to_numpy()
    even = first["even_share"].astype(float).to_numpy()
    clients = first["department_clients"].astype(np.int64).to_numpy()
    top_share = np.where(has_in, top["incoming_share"].astype(float), np.nan)
    n_single = single.reindex(first.index).to_numpy()
    out = pd.DataFrame({
        schema.DEPARTMENT: first[schema.DEPARTMENT].to_numpy(),
        "managers": first["managers"].astype(np.int64).to_numpy(),
        "incoming_answered": first["department_incoming"].astype(np.int64).to_numpy(),
        "even_share": even,
        "top_employee": pd.array(np.where(has_in, top[schema.EMPLOYEE].astype(object), None),
                                 dtype="string"),
        "top_incoming": np.where(has_in, top["incoming_answered"], 0).astype(np.int64),
        "top_share": top_share,
        "top_ratio": np.where(has_in & (even > 0), top_share / np.where(even > 0, even, 1), np.nan),
        "hhi": first["hhi"].to_numpy(), "hhi_norm": first["hhi_norm"].to_numpy(),
        "effective_managers": first["effective_managers"].to_numpy(), "clients": clients,
        "top_clients_share": np.where(has_in, top["clients_share"].astype(float), np.nan),
        "clients_hhi": first["clients_hhi"].to_numpy(),
        "clients_single": n_single.astype(np.int64),
        "clients_single_share": np.where(clients > 0, n_single / np.where(clients > 0, clients, 1), np.nan),
        "new_share_senior": share[True].reindex(first.index).to_numpy(dtype=float),
        "new_share_junior": share[False].reindex(first.index).to_numpy(dtype=float),
    }, columns=list(CONCENTRATION_SUMMARY_COLUMNS))

    for c in (schema.DEPARTMENT, "top_employee"):
        out[c] = out[c].astype("string")
    for c in ("even_share", "top_share", "top_ratio", "hhi", "hhi_norm", "effective_managers",
              "top_clients_share", "clients_hhi", "clients_single_share", "new_share_senior",
              "new_share_junior"):
        out[c] = out[c].astype(float)
    return out
