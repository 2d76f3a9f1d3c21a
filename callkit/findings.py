"""Rule-based findings with evidence, in Russian and English.

Each rule is documented in :data:`RULES` (definition, threshold, the minimum data it needs and
its severity). :func:`build_findings` applies them to the audit tables and returns
``rule, severity, subject, metric, value, reference, text`` — the columns of findings.csv
(DESIGN §5). A rule never fires on too little data: each has a minimum (active days, calls,
slots) below which it stays silent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from callkit import schema
from callkit.metrics._util import WEEKDAY_EN, WEEKDAY_RU, slot_label
from callkit.metrics.traffic import presence_summary
from callkit.profile import Thresholds

__all__ = ["Rule", "RULES", "RULE_NAMES", "FINDING_COLUMNS", "SEVERITIES", "rules_table",
           "build_findings", "flow_threshold"]

FINDING_COLUMNS = ("rule", "severity", "subject", "metric", "value", "reference", "text")
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Rule:
    """One documented rule: what it measures, when it fires, on how much data, how severe."""

    rule: str
    subject: str
    metric: str
    threshold: float
    min_data: str
    severity: str
    definition_en: str
    definition_ru: str


#: Minimum data and fixed thresholds of the rules (the profile's thresholds override
#: manager_gap, min_active_days, callback_window_h, service level).
MOBILE_SHARE = 0.75
MOBILE_ABOVE_PEERS = 0.15
MIN_OUTGOING = 30
INTERNAL_SHARE = 0.35
INTERNAL_PER_DAY_X = 2.0
MIN_CALLS = 30
CALLS_PER_NUMBER = 3.0
ABSENT_SHARE = 0.5
MIN_PEAK_SLOTS = 5
MISSED_RATE = 0.20
MIN_SLOT_INCOMING = 10
LOST_SHARE = 0.30
MIN_MISSED = 10
SHORT_RING_SHARE = 0.30
MIN_SLOT_SHORT = 5
MIN_UNANSWERED = 20
LINE_LIMIT_DAYS = 3
LINE_LIMIT_BLOCKED = 5
MAX_SLOT_FINDINGS = 10
NO_DEPARTMENT = "(no department)"   # subject for missed calls whose department is unknown
GAP_METRICS = ("external_calls_per_day", "outgoing_new_clients_per_day")
FLOW_SHARE_X = 2.0        # flow_concentration: top share >= 2 x the even share 1/n ...
FLOW_SHARE_CAP = 0.8      # ... or >= 80 % when 2/n is out of reach (two managers)
FLOW_HHI_NORM = 0.1       # and the flow as a whole concentrated: normalized HHI >= 0.1
FLOW_HIGH_X = 3.0         # high severity from 3 x the even share (or >= 90 %)
MIN_FLOW_CALLS = 50       # answered incoming calls of the department in the period
GAP_Z = 2.0

RULES: tuple[Rule, ...] = (
    Rule("manager_gap", "employee", "external_calls_per_day | outgoing_new_clients_per_day",
         0.25, "days_active >= min_active_days and >= 2 such managers in the department; the "
         "shortfall over the period is beyond chance: (best - value) x days_active >= "
         f"{GAP_Z:g} x sqrt(best x days_active) (Poisson)",
         "high if gap >= 2 x threshold, else medium",
         "Gap to the department's best manager (1 - value / best) above the threshold "
         "(thresholds.manager_gap): a growth zone.",
         "Отставание от лучшего менеджера отдела (1 − значение / лучшее) выше порога "
         "(thresholds.manager_gap): зона роста."),
    Rule("mobile_heavy", "employee", "mobile_share", MOBILE_SHARE,
         f"outgoing >= {MIN_OUTGOING}, days_active >= min_active_days", "medium",
         "Mostly mobile numbers among outgoing calls (>= the threshold) and at least "
         f"{MOBILE_ABOVE_PEERS:.0%} points above the rest of the department: likely calling the "
         "old base rather than winning new (company) clients. Where the whole department calls "
         "mobiles (B2C), or the employee has no colleague in the department who calls out, "
         "nobody is singled out.",
         "Исходящие в основном на мобильные номера (не ниже порога) и минимум на "
         f"{MOBILE_ABOVE_PEERS * 100:.0f} п.п. выше, чем у остальных в отделе: вероятно, прозвон "
         "старой базы вместо привлечения новых клиентов. Если весь отдел звонит на мобильные "
         "(B2C) или в отделе больше никто не звонит наружу, никто не выделяется."),
    Rule("internal_heavy", "employee", "internal_share", INTERNAL_SHARE,
         f"external_calls + internal_calls >= {MIN_CALLS}, days_active >= min_active_days",
         "high if >= 0.5, else medium",
         "A large share of calls are internal (>= the threshold) AND the employee makes at "
         f"least {INTERNAL_PER_DAY_X:g} x the internal calls per day of the department's other "
         "managers (median): energy goes to colleagues (a broken internal process) instead of "
         "clients. The second condition keeps a manager with few external calls from being "
         "flagged for an ordinary amount of internal calls; without such colleagues (with "
         ">= min_active_days) the rule stays silent.",
         "Большая доля внутренних звонков (не ниже порога) И внутренних звонков в день не меньше "
         f"чем в {INTERNAL_PER_DAY_X:g} раза больше, чем у остальных менеджеров отдела (медиана): "
         "силы уходят на коллег (сломан внутренний процесс), а не на клиентов. Без таких коллег "
         "(с min_active_days рабочих дней) правило молчит."),
    Rule("repeat_dialing", "employee", "calls_per_number", CALLS_PER_NUMBER,
         f"external_calls >= {MIN_CALLS}, days_active >= min_active_days",
         "high if >= 5, else medium",
         "Many calls per distinct number: weak negotiation or padding a call quota.",
         "Много звонков на один номер: слабые переговоры или «накрутка» плана по звонкам."),
    Rule("absent_at_peak", "employee", "absent_share", ABSENT_SHARE,
         f"peak slots (worked day x department peak hour with incoming) >= {MIN_PEAK_SLOTS}",
         "high if >= 0.8, else medium",
         "On the days they worked, no call activity in the department's peak hours.",
         "В дни работы нет активности в часы пик отдела."),
    Rule("missed_peak", "weekday hour", "missed_rate", MISSED_RATE,
         f"an hour of the day with >= {2 * MIN_SLOT_INCOMING} incoming and >= half the busiest "
         f"hour's calls per day (its weekday slots with >= {MIN_SLOT_INCOMING // 2}); or a single "
         f"slot with >= {MIN_SLOT_INCOMING} incoming and >= a quarter of the busiest slot's calls "
         f"per day; at most {MAX_SLOT_FINDINGS} slots", "high if >= 0.4, else medium",
         "Busy time where calls are missed: an hour whose missed rate is >= the threshold and "
         "1.5 x the other hours' rate (reported per weekday slot with rate >= the threshold), or "
         "a weekday-hour slot with >= the threshold and 2 x the rest.",
         "Загруженное время, когда звонки теряются: час, где доля пропущенных не ниже порога и в "
         "1,5 раза выше, чем в остальные часы (по дням недели), или отдельный час недели с долей "
         "вдвое выше остальных."),
    Rule("understaffed", "weekday hour", "required_agents", 1.0,
         f"incoming in the slot >= {MIN_SLOT_INCOMING}; at most {MAX_SLOT_FINDINGS} slots",
         "high if short by >= 2, else medium",
         "Erlang C needs at least one agent more (for the service-level target) than the "
         "employees on the phone in that slot.",
         "По Erlang C для целевого уровня сервиса нужно хотя бы на одного сотрудника больше, "
         "чем было на линии в этот час."),
    Rule("line_limit", "all", "max_concurrent", float(LINE_LIMIT_DAYS),
         f"the ceiling reached on >= {LINE_LIMIT_DAYS} days and >= {LINE_LIMIT_BLOCKED} "
         "unanswered calls started while all its lines were busy", "high",
         "A flat ceiling of simultaneous calls with calls failing at it: a line (channel) limit.",
         "Потолок одновременных звонков, на котором звонки не проходят: ограничение линий."),
    Rule("missed_no_callback", "department", "lost_share", LOST_SHARE,
         f"missed calls with a number >= {MIN_MISSED}", "high if >= 0.4, else medium",
         "Missed calls not called back within the window (thresholds.callback_window_h) and "
         "never reached: lost clients.",
         "Пропущенные, по которым не перезвонили в срок (thresholds.callback_window_h) и не "
         "дозвонились: потерянные клиенты."),
    Rule("short_ring_drops", "line | weekday hour", "short_ring_share", SHORT_RING_SHARE,
         f"overall/line: unanswered incoming >= {MIN_UNANSWERED} and share >= "
         f"{SHORT_RING_SHARE}; a weekday-hour slot: >= {MIN_SLOT_SHORT} drops and share >= "
         "max(0.5, 2 x the overall share)", "medium",
         "Many unanswered incoming calls end within seconds: dropped by the line/IVR rather "
         "than missed by people.",
         "Много неотвеченных входящих обрываются за секунды: сбрасывает линия/IVR, а не "
         "пропускают люди."),
    Rule("flow_concentration", "department", "incoming_share", FLOW_SHARE_X,
         f"department incoming answered >= {MIN_FLOW_CALLS}; >= 2 managers with >= "
         "min_active_days active days (n)",
         f"high if top share >= min({FLOW_HIGH_X:g}/n, 0.9), else medium",
         "One manager takes far more of the department's answered incoming calls than an even "
         f"share: top share >= min({FLOW_SHARE_X:g} x 1/n, {FLOW_SHARE_CAP:g}) AND the "
         f"normalized HHI (hhi - 1/n) / (1 - 1/n) >= {FLOW_HHI_NORM:g}. HHI = sum of the "
         "managers' squared shares: the chance two calls went to the same manager; 1/HHI = the "
         "number of managers who, sharing evenly, would give the same concentration. The flow "
         "(and the clients) depend on one person: absences lose calls, the others get little "
         "incoming work.",
         "Один менеджер принимает намного больше отвеченных входящих отдела, чем при равном "
         f"распределении: доля лидера ≥ min({FLOW_SHARE_X:g} × 1/n; {FLOW_SHARE_CAP:g}) И "
         f"нормированный индекс HHI (hhi − 1/n) / (1 − 1/n) ≥ {FLOW_HHI_NORM:g}. HHI — сумма "
         "квадратов долей менеджеров: вероятность, что два звонка попали к одному человеку; "
         "1/HHI — сколько менеджеров, деля поток поровну, дали бы ту же концентрацию. Поток и "
         "клиенты зависят от одного человека: его отсутствие — потерянные звонки, остальные "
         "недогружены входящими."),
    Rule("failed_burst", "time window", "failed", 5.0, "5+ failed calls in a 10-minute window",
         "medium", "A burst of failed (congestion) calls: an outage of the line or provider.",
         "Всплеск неуспешных (перегрузка) звонков: сбой линии или оператора."),
)
RULE_NAMES: tuple[str, ...] = tuple(r.rule for r in RULES)


def rules_table(lang: str = "ru") -> pd.DataFrame:
    """The documented rules as a table: rule, subject, metric, threshold, min_data, severity,
    definition (in ``lang``)."""
    rows = [{"rule": r.rule, "subject": r.subject, "metric": r.metric, "threshold": r.threshold,
             "min_data": r.min_data, "severity": r.severity,
             "definition": r.definition_ru if lang == "ru" else r.definition_en} for r in RULES]
    return pd.DataFrame(rows)


_TEXT = {
    "manager_gap": {
        "ru": "{subject} ({department}): {metric_ru} {value:.1f} против {reference:.1f} у лучшего "
              "в отделе — отставание {gap:.0%}. Зона роста.",
        "en": "{subject} ({department}): {metric_en} {value:.1f} vs {reference:.1f} for the "
              "department's best — {gap:.0%} behind. A growth zone."},
    "mobile_heavy": {
        "ru": "{subject}: {value:.0%} исходящих — на мобильные (по отделу {reference:.0%}). "
              "Похоже на прозвон старой базы вместо поиска новых клиентов.",
        "en": "{subject}: {value:.0%} of outgoing calls go to mobiles (department {reference:.0%}). "
              "Looks like calling the old base instead of finding new clients."},
    "internal_heavy": {
        "ru": "{subject}: {value:.0%} звонков — внутренние (по отделу {reference:.0%}). Время "
              "уходит на коллег; проверьте внутренние процессы.",
        "en": "{subject}: {value:.0%} of calls are internal (department {reference:.0%}). Time "
              "goes to colleagues; check the internal processes."},
    "repeat_dialing": {
        "ru": "{subject}: {value:.1f} звонка на один номер (по отделу {reference:.1f}). Слабые "
              "переговоры или накрутка количества звонков.",
        "en": "{subject}: {value:.1f} calls per number (department {reference:.1f}). Weak "
              "negotiation or padding the call count."},
    "absent_at_peak": {
        "ru": "{subject}: нет звонков в {value:.0%} часов пик ({absent} из {slots}) в дни "
              "работы.",
        "en": "{subject}: no calls in {value:.0%} of peak hours ({absent} of {slots}) on the "
              "days they worked."},
    "missed_peak": {
        "ru": "{slot_ru}: пропущено {value:.0%} входящих ({missed} из {incoming}) при среднем "
              "{reference:.0%}.",
        "en": "{slot_en}: {value:.0%} of incoming calls missed ({missed} of {incoming}) vs "
              "{reference:.0%} overall."},
    "understaffed": {
        "ru": "{slot_ru}: нужно {value:.0f} сотр. на линии (Erlang C, {cph:.1f} звонка/ч), "
              "было в среднем {reference:.1f}.",
        "en": "{slot_en}: {value:.0f} agents needed (Erlang C, {cph:.1f} calls/h), "
              "{reference:.1f} on the phone on average."},
    "line_limit": {
        "ru": "Не больше {value:.0f} одновременных звонков; потолок достигался в "
              "{days} дн., {reference:.0f} звонков не прошли при занятых линиях. Похоже на "
              "ограничение линий.",
        "en": "Never more than {value:.0f} simultaneous calls; the ceiling was hit on "
              "{days} days and {reference:.0f} calls failed with all lines busy. Looks like a "
              "line limit."},
    "missed_no_callback": {
        "ru": "{subject}: {value:.0%} пропущенных ({lost} из {n}) без перезвона за {window:g} ч "
              "и без дозвона — потерянные обращения.",
        "en": "{subject}: {value:.0%} of missed calls ({lost} of {n}) were not called back "
              "within {window:g} h nor reached — lost enquiries."},
    "short_ring_drops": {
        "ru": "{where_ru}: {value:.0%} неотвеченных входящих ({count} из {reference:.0f}) "
              "обрываются за секунды. Проверьте линию/IVR.",
        "en": "{where_en}: {value:.0%} of unanswered incoming calls ({count} of {reference:.0f}) "
              "end within seconds. Check the line/IVR."},
    "flow_concentration": {
        "ru": "{subject}: {employee} принимает {value:.0%} отвеченных входящих отдела ({calls} из "
              "{total}) при равной доле {reference:.0%} на {n} менеджеров и ведёт {clients:.0%} "
              "клиентов отдела. Индекс концентрации HHI {hhi:.2f}: поток распределён так, будто его "
              "делят поровну {eff:.1f} менеджера. Клиенты зависят от одного человека; остальные "
              "недогружены входящими.",
        "en": "{subject}: {employee} takes {value:.0%} of the department's answered incoming "
              "calls ({calls} of {total}) against an even share of {reference:.0%} among {n} "
              "managers, and holds {clients:.0%} of its clients. Concentration index HHI {hhi:.2f}: "
              "the flow is as concentrated as if {eff:.1f} managers shared it evenly. The clients "
              "depend on one person; the others get little incoming work."},
    "failed_burst": {
        "ru": "{subject}: {value:.0f} неуспешных звонков за {window} мин — сбой линии или "
              "оператора.",
        "en": "{subject}: {value:.0f} failed calls within {window} min — a line or provider "
              "outage."},
}
_METRIC_NAMES = {
    "external_calls_per_day": ("внешних звонков в день", "external calls per day"),
    "outgoing_new_clients_per_day": ("исходящих новым клиентам в день",
                                     "outgoing calls to new clients per day"),
}


def _slot_ru(weekday: int, hour: int) -> str:
    return f"{WEEKDAY_RU[int(weekday)]} {int(hour):02d}:00"


def _slot_en(weekday: int, hour: int) -> str:
    return f"{WEEKDAY_EN[int(weekday)]} {int(hour):02d}:00"


def _sev(value: float, high: float) -> str:
    return "high" if value >= high else "medium"


class _Out:
    def __init__(self, lang: str) -> None:
        self.lang = "en" if lang == "en" else "ru"
        self.rows: list[dict[str, object]] = []

    def add(self, rule: str, severity: str, subject: str, metric: str, value: float,
            reference: float, **fmt: object) -> None:
        text = _TEXT[rule][self.lang].format(subject=subject, value=value, reference=reference,
                                             **fmt)
        self.rows.append({"rule": rule, "severity": severity, "subject": subject,
                          "metric": metric, "value": float(value),
                          "reference": float(reference) if reference is not None else np.nan,
                          "text": text})


def _dept_pooled(managers: pd.DataFrame, num: str, den: str) -> pd.Series:
    d = managers[schema.DEPARTMENT].astype(str)
    g = managers.groupby(d)[[num, den]].sum()
    return (g[num] / g[den].where(g[den] > 0)).astype(float)


def _managers_rules(out: _Out, managers: pd.DataFrame, th: Thresholds) -> None:
    m = managers.copy()
    m["_dep"] = m[schema.DEPARTMENT].astype(str)
    ok = m["days_active"].fillna(0) >= th.min_active_days
    mob = m["outgoing"] * m["mobile_share"].fillna(0)
    m["_mob"] = mob
    dep_mob = _dept_pooled(m, "_mob", "outgoing")
    m["_all"] = m["external_calls"] + m["internal_calls"]
    dep_int = _dept_pooled(m, "internal_calls", "_all")
    dep_cpn = _dept_pooled(m, "external_calls", "unique_numbers")
    m["_ipd"] = m["internal_calls"] / m["days_active"].where(m["days_active"] > 0)
    # the rest of the department (everyone but the row itself), vectorised
    g = m.groupby("_dep")
    rest_out = g["outgoing"].transform("sum") - m["outgoing"]
    # NaN when nobody else in the department calls out: no peers, no comparison, no finding
    m["_peer_mob"] = (g["_mob"].transform("sum") - m["_mob"]) / rest_out.where(rest_out > 0)
    e_dep = m.loc[ok, "_dep"].to_numpy()
    e_ipd = m.loc[ok, "_ipd"].to_numpy(dtype=float)
    e_idx = m.index[ok].to_numpy()
    for i, r in m[ok].iterrows():
        subj = str(r[schema.EMPLOYEE])
        peer_mob = r["_peer_mob"]
        others = e_ipd[(e_dep == r["_dep"]) & (e_idx != i)]
        # no eligible colleague: what is an ordinary amount of internal calls is unknown -> NaN,
        # and the comparison below is False (no finding from too little data)
        peer_ipd = float(np.nanmedian(others)) if len(others) else float("nan")
        if r["outgoing"] >= MIN_OUTGOING and r["mobile_share"] >= MOBILE_SHARE \
                and r["mobile_share"] - peer_mob >= MOBILE_ABOVE_PEERS:
            out.add("mobile_heavy", "medium", subj, "mobile_share", r["mobile_share"],
                    dep_mob.get(r["_dep"], np.nan))
        if r["_all"] >= MIN_CALLS and r["internal_share"] >= INTERNAL_SHARE \
                and r["_ipd"] >= INTERNAL_PER_DAY_X * peer_ipd:
            out.add("internal_heavy", _sev(r["internal_share"], 0.5), subj, "internal_share",
                    r["internal_share"], dep_int.get(r["_dep"], np.nan))
        if r["external_calls"] >= MIN_CALLS and r["calls_per_number"] >= CALLS_PER_NUMBER:
            out.add("repeat_dialing", _sev(r["calls_per_number"], 5.0), subj, "calls_per_number",
                    r["calls_per_number"], dep_cpn.get(r["_dep"], np.nan))


def _gap_rule(out: _Out, compare: pd.DataFrame, th: Thresholds,
              managers: pd.DataFrame | None) -> None:
    # flagged by compare_managers (eligible, >= 2 managers) and over the profile's threshold,
    # whatever threshold the compare table was built with
    c = compare[compare["metric"].isin(GAP_METRICS) & compare["flagged"].astype(bool)
                & (compare["best"] > 0) & (compare["gap"] > th.manager_gap)]
    days = None
    if managers is not None and "days_active" in managers:
        days = managers.set_index(managers[schema.EMPLOYEE].astype(str))["days_active"]
    for _, r in c.sort_values("gap", ascending=False, kind="stable").iterrows():
        if days is not None:
            # per-day counts: the shortfall must be beyond chance (Poisson z >= GAP_Z)
            n = float(days.get(str(r[schema.EMPLOYEE]), 0) or 0)
            expected = r["best"] * n
            if expected <= 0 or (expected - r["value"] * n) < GAP_Z * np.sqrt(expected):
                continue
        ru, en = _METRIC_NAMES.get(str(r["metric"]), (str(r["metric"]), str(r["metric"])))
        dep = r[schema.DEPARTMENT]
        out.add("manager_gap", _sev(r["gap"], 2 * th.manager_gap), str(r[schema.EMPLOYEE]),
                str(r["metric"]), r["value"], r["best"], gap=r["gap"], metric_ru=ru,
                metric_en=en, department="—" if pd.isna(dep) else str(dep))


def _presence_rule(out: _Out, presence: pd.DataFrame) -> None:
    if presence.empty:
        return
    s = presence_summary(presence)
    s = s[(s["peak_slots"] >= MIN_PEAK_SLOTS) & (s["absent_share"] >= ABSENT_SHARE)]
    for _, r in s.sort_values("absent_share", ascending=False, kind="stable").iterrows():
        out.add("absent_at_peak", _sev(r["absent_share"], 0.8), str(r[schema.EMPLOYEE]),
                "absent_share", r["absent_share"], ABSENT_SHARE, absent=int(r["absent_slots"]),
                slots=int(r["peak_slots"]))


def _missed_peak_rule(out: _Out, traffic: pd.DataFrame) -> None:
    t = traffic[traffic["incoming"] > 0].copy()
    total_in, total_missed = t["incoming"].sum(), t["missed"].sum()
    if not total_in:
        return
    overall = total_missed / total_in
    t["per_day"] = t["incoming"] / t["days"].where(t["days"] > 0)
    # (1) hours of the day that are busy and miss far more than the other hours
    days = int(traffic.drop_duplicates("weekday")["days"].sum()) or 1
    h = t.groupby("hour")[["incoming", "missed"]].sum()
    h["per_day"] = h["incoming"] / days
    h["rate"] = h["missed"] / h["incoming"]
    rest_in = (total_in - h["incoming"]).where(lambda x: x > 0)
    h["other"] = (total_missed - h["missed"]) / rest_in
    hot = h[(h["incoming"] >= 2 * MIN_SLOT_INCOMING) & (h["per_day"] >= 0.5 * h["per_day"].max())
            & (h["rate"] >= np.maximum(MISSED_RATE, 1.5 * h["other"].fillna(0)))].index
    a = t[t["hour"].isin(hot) & (t["incoming"] >= MIN_SLOT_INCOMING // 2)
          & (t["missed_rate"] >= MISSED_RATE)]
    # (2) single weekday-hour slots that are busy and miss far more than the rest
    other = (total_missed - t["missed"]) / (total_in - t["incoming"]).where(lambda x: x > 0)
    b = t[(t["incoming"] >= MIN_SLOT_INCOMING) & (t["per_day"] >= 0.25 * t["per_day"].max())
          & (t["missed_rate"] >= np.maximum(MISSED_RATE, 2 * other.fillna(0)))]
    sel = pd.concat([a, b]).drop_duplicates(["weekday", "hour"])
    sel = sel.sort_values(["missed", "missed_rate"], ascending=False, kind="stable").head(MAX_SLOT_FINDINGS)
    for _, r in sel.iterrows():
        wd, hr = int(r["weekday"]), int(r["hour"])
        out.add("missed_peak", _sev(r["missed_rate"], 0.4), slot_label(wd, hr), "missed_rate",
                r["missed_rate"], overall, missed=int(r["missed"]), incoming=int(r["incoming"]),
                slot_ru=_slot_ru(wd, hr), slot_en=_slot_en(wd, hr))


def _understaffed_rule(out: _Out, staffing: pd.DataFrame, traffic: pd.DataFrame | None) -> None:
    s = staffing.copy()
    if traffic is not None and not traffic.empty:
        s = s.merge(traffic[["weekday", "hour", "incoming"]], on=["weekday", "hour"], how="left")
    else:
        s["incoming"] = MIN_SLOT_INCOMING
    s["_short"] = s["required_agents"] - s["active_employees"]
    s = s[(s["incoming"].fillna(0) >= MIN_SLOT_INCOMING) & (s["_short"] >= 1)]
    s = s.sort_values(["_short", "calls_per_hour"], ascending=False, kind="stable").head(MAX_SLOT_FINDINGS)
    for _, r in s.iterrows():
        wd, h = int(r["weekday"]), int(r["hour"])
        out.add("understaffed", _sev(r["_short"], 2), slot_label(wd, h), "required_agents",
                r["required_agents"], r["active_employees"], cph=r["calls_per_hour"],
                slot_ru=_slot_ru(wd, h), slot_en=_slot_en(wd, h))


def _missed_rule(out: _Out, missed: pd.DataFrame, th: Thresholds) -> None:
    m = missed[missed[schema.CLIENT_NUMBER].notna()]
    if m.empty:
        return
    dep = m[schema.DEPARTMENT].astype("string").fillna(NO_DEPARTMENT)
    for d, g in m.groupby(dep.to_numpy(), sort=True):
        n, lost = len(g), int(g["lost"].sum())
        if n >= MIN_MISSED and lost / n >= LOST_SHARE:
            out.add("missed_no_callback", _sev(lost / n, 0.4), str(d), "lost_share", lost / n,
                    LOST_SHARE, lost=lost, n=n, window=float(th.callback_window_h))


def flow_threshold(n: int) -> float:
    """The top share at which ``flow_concentration`` fires for ``n`` counted managers:
    min(2/n, 0.8) — 0.8 for 2 managers, 2/3 for 3, 0.5 for 4, 0.4 for 5."""
    return min(FLOW_SHARE_X / n, FLOW_SHARE_CAP) if n > 0 else float("inf")


def _flow_rule(out: _Out, summary: pd.DataFrame) -> None:
    s = summary[(summary["managers"] >= 2) & (summary["incoming_answered"] >= MIN_FLOW_CALLS)]
    for _, r in s.iterrows():
        n = int(r["managers"])
        top = float(r["top_share"])
        if not (top >= flow_threshold(n) and float(r["hhi_norm"]) >= FLOW_HHI_NORM):
            continue
        dep = r["department"]
        sev = _sev(top, min(FLOW_HIGH_X / n, 0.9))
        out.add("flow_concentration", sev, NO_DEPARTMENT if pd.isna(dep) else str(dep),
                "incoming_share", top, float(r["even_share"]), employee=str(r["top_employee"]),
                calls=int(r["top_incoming"]), total=int(r["incoming_answered"]), n=n,
                clients=float(np.nan_to_num(r["top_clients_share"])), hhi=float(r["hhi"]),
                eff=float(r["effective_managers"]))


def _tech_rules(out: _Out, tech: pd.DataFrame) -> None:
    alls = tech[(tech["signal"] == "short_ring_drops") & (tech["subject"] == "all")]
    overall_short = float(alls["value"].iloc[0]) if len(alls) else 0.0
    for _, r in tech.iterrows():
        sig = r["signal"]
        if sig == "short_ring_drops":
            slot = str(r["detail"]).startswith("slot")
            enough = r["count"] >= MIN_SLOT_SHORT if slot else r["reference"] >= MIN_UNANSWERED
            need = max(0.5, 2 * overall_short) if slot else SHORT_RING_SHARE
            if enough and r["value"] >= need:
                wd, hr = (int(x) for x in str(r["subject"]).split()) if slot else (None, None)
                subj_ru = _slot_ru(wd, hr) if slot else str(r["subject"])
                subj_en = _slot_en(wd, hr) if slot else str(r["subject"])
                out.add("short_ring_drops", "medium", str(r["subject"]), "short_ring_share",
                        r["value"], r["reference"], count=int(r["count"]),
                        where_ru=subj_ru, where_en=subj_en)
        elif sig == "line_limit" and r["value"] >= 2 and r["count"] >= LINE_LIMIT_DAYS \
                and r["reference"] >= LINE_LIMIT_BLOCKED:
            out.add("line_limit", "high", str(r["subject"]), "max_concurrent", r["value"],
                    r["reference"], days=int(r["count"]))
        elif sig == "failed_burst":
            out.add("failed_burst", "medium", str(r["subject"]), "failed", r["value"],
                    r["reference"], window=str(r["detail"]).split(" ")[0])


def build_findings(*, managers: pd.DataFrame | None = None, compare: pd.DataFrame | None = None,
                   traffic: pd.DataFrame | None = None, presence: pd.DataFrame | None = None,
                   missed: pd.DataFrame | None = None, staffing: pd.DataFrame | None = None,
                   tech: pd.DataFrame | None = None,
                   concentration: pd.DataFrame | None = None,
                   thresholds: Thresholds | None = None, lang: str = "ru") -> pd.DataFrame:
    """Apply every rule of :data:`RULES` to the audit tables it needs.

    Parameters
    ----------
    managers, compare, traffic, presence, missed, staffing, tech : DataFrame, optional
        The tables of :mod:`callkit.metrics` (a missing table silences its rules).
    concentration : DataFrame, optional
        :func:`callkit.metrics.concentration_summary` (one row per department) for
        ``flow_concentration``; its subject is the department, the text names the manager.
    thresholds : Thresholds, optional
        The profile's thresholds (manager_gap, min_active_days, callback_window_h).
    lang : {"ru", "en"}
        Language of ``text``.

    Returns
    -------
    DataFrame
        ``rule, severity, subject, metric, value, reference, text``, most severe first.
        ``value`` is the evidence, ``reference`` what it is compared with (the department's
        best or pooled value, the overall rate, the threshold).

    Examples
    --------
    A manager with 12 external calls/day in a department whose best makes 20 (gap 0.4 > 0.25)
    → ``manager_gap``, medium, value 12, reference 20.
    """
    th = thresholds or Thresholds()
    out = _Out(lang)
    if compare is not None and not compare.empty:
        _gap_rule(out, compare, th, managers)
    if managers is not None and not managers.empty:
        _managers_rules(out, managers, th)
    if presence is not None:
        _presence_rule(out, presence)
    if traffic is not None and not traffic.empty:
        _missed_peak_rule(out, traffic)
    if staffing is not None and not staffing.empty:
        _understaffed_rule(out, staffing, traffic)
    if missed is not None and not missed.empty:
        _missed_rule(out, missed, th)
    if tech is not None and not tech.empty:
        _tech_rules(out, tech)
    if concentration is not None and not concentration.empty:
        _flow_rule(out, concentration)
    res = pd.DataFrame(out.rows, columns=list(FINDING_COLUMNS))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rule_order = {r: i for i, r in enumerate(RULE_NAMES)}
    if len(res):
        res = res.assign(_s=res["severity"].map(order), _r=res["rule"].map(rule_order)) \
            .sort_values(["_s", "_r"], kind="stable").drop(columns=["_s", "_r"])
    for col in ("rule", "severity", "subject", "metric", "text"):
        res[col] = res[col].astype("string")
    res["value"] = res["value"].astype(float)
    res["reference"] = res["reference"].astype(float)
    return res.reset_index(drop=True)
