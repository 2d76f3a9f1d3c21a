"""Audits of ``callkit.samples`` companies, built once per test session (several test modules
judge the same synthetic companies)."""
from __future__ import annotations

from functools import cache


@cache
def sample_audit(seed: int, calls: int = 3000, company: str = "filtr"):
    """``(company, audit)``: the ground-truth sessions loaded as a canonical table (with the
    answering side of internal calls) and audited with the sample's employees and clients."""
    from callkit import samples, schema
    from callkit.audit import audit_from_load

    c = samples.generate(calls=calls, seed=seed, **({} if company == "filtr" else {"company": company}))
    emp = c.employees.rename(columns={"name": "employee"})
    e2n = dict(zip(emp["extension"], emp["employee"]))
    s = c.sessions.assign(source_file="sample", peer_employee=c.sessions["callee"].map(e2n))
    calls_t = schema.coerce(s[list(schema.CALL_COLUMNS + schema.EXTRA_COLUMNS) + ["peer_employee"]])
    from callkit.metrics.hours import parse_working_hours

    # the company's own working hours (truth.json, as the sample profile writes them) and the
    # look-back its history month allows
    a = audit_from_load(calls_t, period=c.period, employees=emp,
                        known_clients=list(c.clients["number"].dropna()),
                        roles=c.truth.get("profile_roles") or None,
                        working_hours=parse_working_hours(c.truth.get("working_hours")),
                        lookback_days=max(1, (c.period[0] - c.history_start).days))
    return c, a
