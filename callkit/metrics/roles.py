"""Roles (DESIGN §3/§4): what each manager is there to do, so comparisons are fair.

* ``hunter`` — wins new clients by calling out;
* ``farmer`` — keeps existing accounts (calls known clients);
* ``inbound`` — takes the incoming flow (leads from the site, the queue);
* ``service`` — after-sales / support line.

The profile's ``roles`` (department or employee name -> role) decides; an employee's own entry
beats their department's. Where the profile is silent the role is **inferred** from the call
mix over the period, and shown (``role_source`` = ``profile`` | ``inferred``) in managers.csv,
compare.csv and the report, so the analyst can correct it in the profile:

* ``inbound`` when the manager has at least :data:`MIN_ROLE_CALLS` external calls and either
  answers at least :data:`INBOUND_RATIO` x as many incoming calls as they place outgoing ones,
  or takes at least :data:`QUEUE_SHARE` of their department's answered incoming calls (in a
  department of at least three managers who answer incoming);
* otherwise ``hunter``.

The call mix cannot tell a farmer from a hunter who avoids prospecting (both call known
numbers), nor a service desk from an inbound sales line: those roles come only from the
profile. Note that inference also cannot tell an inbound manager from a hunter who sits on
the incoming line to avoid calling out — when that matters the profile must say the role.

Which comparison applies to which role is :data:`METRIC_ROLES`: e.g. an inbound or service
manager is never flagged for few outgoing calls to new clients, and only hunters are judged on
calling mobiles (the old base) instead of companies.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from callkit import schema
from callkit.profile import ROLES

__all__ = ["ROLES", "ROLE_COLUMNS", "METRIC_ROLES", "INBOUND_RATIO", "QUEUE_SHARE",
           "MIN_ROLE_CALLS", "DEFAULT_ROLE", "assign_roles", "role_applies", "unmatched_roles"]

ROLE_COLUMNS = ("role", "role_source")
INBOUND_RATIO = 1.5
QUEUE_SHARE = 0.5
MIN_ROLE_CALLS = 20
DEFAULT_ROLE = "hunter"

_ALL = frozenset(ROLES)
#: The roles each compared metric (and the rule built on it) applies to.
METRIC_ROLES: dict[str, frozenset[str]] = {
    "external_calls_per_day": _ALL,                       # activity, against the same role
    "outgoing_new_clients_per_day": frozenset({"hunter"}),  # prospecting is the hunter's job
    "new_clients_reached": frozenset({"hunter"}),
    "mobile_share": frozenset({"hunter"}),                # "the old base instead of companies"
    "internal_share": _ALL,
    "calls_per_number": frozenset({"hunter", "farmer"}),  # repeat *dialing*: outgoing roles
    "absent_share": _ALL,                                 # peaks of the incoming flow
    "talk_s_mean": _ALL,
}


_FAIR = frozenset(f"{m}\x1f{r}" for m, rs in METRIC_ROLES.items() for r in rs)


def role_applies(metric: str | pd.Series, role: str | pd.Series) -> bool | np.ndarray:
    """Whether a comparison on ``metric`` is fair for ``role`` (:data:`METRIC_ROLES`; metrics
    not listed apply to every role). Vectorised over two aligned Series."""
    if isinstance(metric, pd.Series) or isinstance(role, pd.Series):
        idx = metric.index if isinstance(metric, pd.Series) else role.index
        mt = (metric if isinstance(metric, pd.Series) else pd.Series(metric, index=idx)).astype(object)
        rl = (role if isinstance(role, pd.Series) else pd.Series(role, index=idx)).astype(object)
        pairs = mt.astype(str) + "\x1f" + rl.astype(str)
        return (~mt.isin(list(METRIC_ROLES)) | pairs.isin(_FAIR)).to_numpy(dtype=bool)
    return role in METRIC_ROLES.get(str(metric), _ALL)


def assign_roles(managers: pd.DataFrame, *, roles: Mapping[str, str] | None = None,
                 min_active_days: int = 3) -> pd.DataFrame:
    """Each manager's role and where it came from.

    Parameters
    ----------
    managers : DataFrame
        :func:`callkit.metrics.manager_summary` (``employee, department, outgoing,
        incoming_answered, external_calls, days_active``).
    roles : mapping name -> role, optional
        The profile's ``roles``: an employee's name or a department's name -> one of
        :data:`ROLES`. The employee's own entry wins over the department's.
    min_active_days : int
        Managers with fewer active days do not count in a department's size for the
        queue-share test.

    Returns
    -------
    DataFrame
        Indexed like ``managers``: ``role`` and ``role_source`` (``profile`` or ``inferred``).

    Examples
    --------
    35 answered incoming and 11 outgoing (35 >= 1.5 x 11) -> inbound, inferred; a profile
    ``{"Продажи B2B": "hunter"}`` makes the same manager a hunter (profile).
    """
    roles = {str(k).strip(): str(v) for k, v in (roles or {}).items()}
    emp = managers[schema.EMPLOYEE].astype("string")
    dep = managers[schema.DEPARTMENT].astype("string")
    by_emp = emp.map(roles)
    by_dep = dep.map(roles)
    prof = by_emp.fillna(by_dep)
    inc = managers["incoming_answered"].fillna(0).to_numpy(dtype=float)
    out_ = managers["outgoing"].fillna(0).to_numpy(dtype=float)
    ext = managers["external_calls"].fillna(0).to_numpy(dtype=float)
    counted = (managers["days_active"].fillna(0).to_numpy(dtype=float) >= min_active_days) & (inc > 0)
    dkey = dep.fillna("\x00").to_numpy(dtype=object)
    dep_in = pd.Series(inc).groupby(dkey).transform("sum").to_numpy(dtype=float)
    dep_n = pd.Series(counted).groupby(dkey).transform("sum").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(dep_in > 0, inc / dep_in, 0.0)
    inbound = (ext >= MIN_ROLE_CALLS) & ((inc >= INBOUND_RATIO * out_)
                                         | ((share >= QUEUE_SHARE) & (dep_n >= 3)))
    inferred = np.where(inbound, "inbound", DEFAULT_ROLE)
    res = pd.DataFrame(index=managers.index)
    has = prof.notna().to_numpy(dtype=bool)
    res["role"] = pd.array(np.where(has, prof.astype(object).to_numpy(), inferred), dtype="string")
    res["role_source"] = pd.array(np.where(has, "profile", "inferred"), dtype="string")
    return res


def unmatched_roles(managers: pd.DataFrame, roles: Mapping[str, str] | None) -> list[str]:
    """Names in the profile's ``roles`` that are neither an employee nor a department of the
    audit (a typo would otherwise be ignored silently)."""
    if not roles:
        return []
    known: Iterable[str] = set(managers[schema.EMPLOYEE].dropna().astype(str)) | \
        set(managers[schema.DEPARTMENT].dropna().astype(str))
    return sorted(str(k) for k in roles if str(k).strip() not in known)
