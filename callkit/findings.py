"""Rule-based findings with evidence and impact, in Russian and English (DESIGN §3, §5).

Each rule is documented in :data:`RULES`: its exact condition (``definition_*``, the minimum
data ``min_data``), what ``n`` counts (``n_unit``), in which unit (``impact_unit``) and by
which formula its ``impact`` is computed, which calls are its
evidence and how they reproduce ``value``, and what to do (``action``).

:func:`evaluate` applies the rules to the audit tables and returns :class:`Verdicts` —
``findings`` (the columns of findings.csv, :data:`FINDING_COLUMNS`) and ``evidence`` (the calls
behind every finding, evidence.csv, :data:`EVIDENCE_COLUMNS`). :func:`build_findings` returns
the findings alone. A rule never fires on too little data: each has a minimum (active days,
calls, slots, colleagues) below which it stays silent.

findings.csv
------------
The DESIGN §5 columns, then ``impact_unit, impact, n_unit``.

``finding_id`` — ``<rule>-<8 hex>``: a hash of rule, subject, metric and the rule's key; the
same finding gets the same id in every run and in both languages. ``severity`` — high |
medium. ``subject`` — the employee, department, ``weekday hour`` slot (``"0 10"`` = Monday
10:00) or ``all``. ``value`` and ``reference`` — the measured value and what it is compared
with (for the employee rules: the median of the comparable colleagues, the same number as
``reference`` in compare.csv). ``n`` — the sample the finding rests on (the denominator of
``value``; also said in the text), counted in ``n_unit`` (:data:`N_UNIT_CODES`: active days,
outgoing calls, peak hours, missed calls …). ``impact`` — what the problem costs over the
period, in ``impact_unit`` (:data:`IMPACT_UNITS`), by the rule's formula:

- ``lost_leads`` — incoming client enquiries lost: nobody answered, no call-back within the
  window, never reached since (missed calls that were called back cost no lead);
- ``client_calls`` — client calls that did not happen: calls to new clients not made, calls
  spent on the same numbers or on private mobiles beyond the colleagues', the client
  conversations the time of extra internal calls would have held;
- ``peak_hours`` — time: peak hours a manager was off the phone beyond the colleagues';
- ``risk`` — no cost in calls (``impact`` NaN).

``impact_calls`` = ``impact`` for the two call units (lost_leads, client_calls), NaN for time
and risk. ``impact_rub`` — impact x the unit's conversion x average_deal_rub when the profile
has ``economics``: ``lead_to_deal`` for lost_leads, ``call_to_deal`` (optional) for
client_calls; NaN for time, risk, and client_calls without call_to_deal. Two units are never
added up or ranked as one: rows are sorted by impact_rub (largest first) where they have it,
then the rows without roubles unit by unit in the order of :data:`IMPACT_UNITS` (lost leads,
client calls, peak hours, risk), each by impact; ties by severity, then the order of
:data:`RULES`. ``evidence_n`` — the number of calls in evidence.csv for it. ``action`` —
what to do, one line. ``text`` — the finding in words, with its cost in its own unit. Findings
may overlap (a lost call at a busy hour counts for ``missed_no_callback`` and ``missed_peak``):
their impacts are not to be summed.

evidence.csv
------------
``finding_id, call_id, start, employee, client_number, direction, status, talk_s, note`` — the
calls of the period behind each finding, taken from the same call table as calls.csv. How they
reproduce ``value`` is the rule's ``reproduce`` (:data:`REPRODUCE`): ``share`` — value =
evidence_n / n; ``per_day`` — value = evidence_n / n (n = active days); ``per_number`` — value
= evidence_n / distinct client numbers in the evidence; ``slots`` — value = distinct local
(date, hour) of the evidence / n; ``count`` — value = evidence_n; empty — the rule has no call
evidence (yet). ``client_number`` is masked by :func:`callkit.audit.write_metrics` unless the
profile says ``mask_numbers: false``.

Writing a rule (the API inside this module)
-------------------------------------------
A rule is a function ``_x_rule(out: _Out, <tables>, ...)`` called from :func:`evaluate`, plus
its :class:`Rule` in :data:`RULES`, its text in ``_TEXT`` and its action in ``_ACTION``
(``str.format`` templates that see ``subject, value, reference, n, impact`` and the keyword
arguments given to ``add``)::

    fid = out.add("missed_peak", severity, subject, "missed_rate", value, reference,
                  n=incoming, impact=lost - usual * incoming, key="",
                  **fmt)                       # fmt: extra fields of the text/action templates
    out.attach(fid, call_ids, note="...")      # the evidence: call ids of the period

``out.add`` returns the ``finding_id``; ``impact`` is in the rule's ``impact_unit`` (the
templates see it as ``impact`` and, worded, as ``cost`` / ``Cost``); ``key`` tells apart two
findings of one rule on the same subject and metric. ``out.attach_frame(df)`` takes many findings' evidence at once (columns
``finding_id, call_id`` and optionally ``note``) — use it instead of a loop over findings.
``out.calls`` is the in-period call table (None when :func:`evaluate` was given no calls; a
rule then adds findings without evidence), ``out.counted`` its
:func:`callkit.metrics.managers.counted_masks`, ``out.lang`` the language of notes.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from callkit import classify, schema
from callkit.metrics._util import (
    WEEKDAY_EN,
    WEEKDAY_RU,
    isin_text,
    masks,
    period_mask,
    slot_frame,
    slot_label,
)
from callkit.metrics.managers import PEER_EMPLOYEE, counted_masks
from callkit.metrics.roles import role_applies
from callkit.metrics.tech import LINE_LIMIT_BLOCKED, LINE_LIMIT_DAYS
from callkit.profile import Economics, Thresholds
from callkit.report import labels as _labels

__all__ = ["Rule", "RULES", "RULE_NAMES", "FINDING_COLUMNS", "FINDING_EXTRA_COLUMNS",
           "EVIDENCE_COLUMNS", "SEVERITIES", "REPRODUCE", "IMPACT_UNITS", "CALL_UNITS",
           "N_UNIT_CODES", "Verdicts", "rules_table", "evaluate", "build_findings", "finding_id",
           "flow_threshold", "impact_phrase", "ROLE_NAMES"]

#: findings.csv: the DESIGN §5 columns, then :data:`FINDING_EXTRA_COLUMNS`.
FINDING_COLUMNS = ("finding_id", "rule", "severity", "subject", "metric", "value", "reference",
                   "n", "impact_calls", "impact_rub", "evidence_n", "action", "text")
FINDING_EXTRA_COLUMNS = ("impact_unit", "impact", "n_unit")
#: What a finding's ``impact`` is measured in, in the order rows without roubles are ranked:
#: ``IMPACT_UNITS[unit] = (what it counts, how it becomes roubles)``.
IMPACT_UNITS: dict[str, tuple[str, str]] = {
    "lost_leads": ("incoming client enquiries lost: nobody answered, no call-back within the "
                   "window, never reached since", "x economics.lead_to_deal x average_deal_rub"),
    "client_calls": ("client calls that did not happen: calls to new clients not made, calls "
                     "spent on the same numbers or on private mobiles beyond the colleagues', "
                     "the client conversations the time of extra internal calls would have held",
                     "x economics.call_to_deal x average_deal_rub (only with call_to_deal: each "
                     "could have been a call to a new client)"),
    "peak_hours": ("time: peak hours off the phone beyond the colleagues'", "none"),
    "risk": ("a risk with no cost in calls (impact NaN)", "none"),
}
#: The units counted in calls (``impact_calls`` = ``impact`` for these, NaN for the others).
CALL_UNITS = ("lost_leads", "client_calls")
#: What a finding's ``n`` counts (``n_unit``).
N_UNIT_CODES = ("active_days", "outgoing_calls", "all_calls", "external_calls", "peak_slots",
                "incoming_calls", "missed_calls", "unanswered_calls", "ceiling_days",
                "answered_incoming", "window_calls")
EVIDENCE_COLUMNS = ("finding_id", schema.CALL_ID, schema.START, schema.EMPLOYEE,
                    schema.CLIENT_NUMBER, schema.DIRECTION, schema.STATUS, schema.TALK_S, "note")
SEVERITIES = ("high", "medium", "low")
REPRODUCE = ("share", "per_day", "per_number", "slots", "count", "")
#: The roles as a finding's text names them (the report's words: callkit.report.labels.VALUES).
ROLE_NAMES = {r: _labels.VALUES[r] for r in ("hunter", "farmer", "inbound", "service")}


@dataclass(frozen=True)
class Rule:
    """One documented rule: what it measures, when exactly it fires, on how much data, how
    severe, what n counts, how its impact and evidence are computed, and what to do."""

    rule: str
    subject: str
    metric: str
    threshold: float
    min_data: str
    severity: str
    definition_en: str
    definition_ru: str
    n_en: str = ""
    impact_en: str = ""
    impact_ru: str = ""
    evidence_en: str = ""
    reproduce: str = ""
    impact_unit: str = "lost_leads"
    n_unit: str = ""


#: Minimum data and fixed thresholds of the rules (the profile's thresholds override
#: manager_gap, min_active_days, callback_window_h, service level).
PEER_K = 3.0              # an outlier is at least 3 robust spreads from the colleagues' median
ALPHA = 0.01              # ... and beyond chance: one-sided p < 1 % (Poisson / binomial)
MIN_PEERS = 2             # silent without two comparable colleagues
MOBILE_MOSTLY = 0.75      # mobile_heavy: three quarters of outgoing calls go to mobiles ...
MOBILE_ABOVE_PEERS = 0.15  # ... at least 15 points above the colleagues' median
MIN_OUTGOING = 30
INTERNAL_ABOVE_PEERS = 0.10   # internal_heavy: at least 10 points above the colleagues' median
INTERNAL_PER_DAY_X = 1.5      # ... and 1.5 x their internal calls per day
MIN_CALLS = 30
REPEAT_ABOVE_PEERS = 0.5      # repeat_dialing: at least 0.5 calls per number above the median
ABSENT_SHARE = 0.5            # absent_at_peak: absent in at least half the peak slots ...
ABSENT_ABOVE_PEERS = 0.25     # ... and 25 points more than the colleagues' median
MIN_PEAK_SLOTS = 5
MISSED_RATE = 0.20
MIN_SLOT_INCOMING = 10
LOST_SHARE = 0.30
MIN_MISSED = 10
SHORT_RING_SHARE = 0.30
MIN_SLOT_SHORT = 5
MIN_UNANSWERED = 20
MAX_SLOT_FINDINGS = 10
NO_DEPARTMENT = "(no department)"   # subject for missed calls whose group is unknown
GAP_METRICS = ("external_calls_per_day", "outgoing_new_clients_per_day")
FLOW_SHARE_X = 2.0        # flow_concentration: top share >= 2 x the even share 1/n ...
FLOW_SHARE_CAP = 0.8      # ... or >= 80 % when 2/n is out of reach (two managers)
FLOW_HHI_NORM = 0.1       # and the flow as a whole concentrated: normalized HHI >= 0.1
FLOW_HIGH_X = 3.0         # high severity from 3 x the even share (or >= 90 %)
MIN_FLOW_CALLS = 50       # answered incoming calls of the department in the period

_PEERS_EN = ("the comparable colleagues are the other managers of the same department AND "
             "role with >= min_active_days active days; reference = their median, spread = "
             f"max(1.4826 x their MAD, 10 % of the median, the metric's floor); silent with "
             f"fewer than {MIN_PEERS} such colleagues")
_PEERS_RU = ("сравнимые коллеги — остальные менеджеры того же отдела И той же роли, у которых "
             "не меньше рабочих дней, чем минимум из профиля; ориентир — их медиана, разброс — "
             "наибольшее из (1,4826 × их медианное отклонение; 10 % медианы; минимум метрики); меньше "
             "двух таких коллег — "
             "правило молчит")

RULES: tuple[Rule, ...] = (
    Rule("manager_gap", "employee", "external_calls_per_day | outgoing_new_clients_per_day",
         0.25, f"days_active >= min_active_days; >= {MIN_PEERS} comparable colleagues",
         "high if the shortfall >= 2 x thresholds.manager_gap of the reference, else medium",
         "Below the comparable colleagues (" + _PEERS_EN + "): value <= reference x (1 - "
         f"thresholds.manager_gap) AND reference - value >= {PEER_K:g} x spread AND the "
         "shortfall is beyond chance: Poisson P(X <= value x days | mean reference x days) < "
         f"{ALPHA:g}. outgoing_new_clients_per_day is judged for hunters only; "
         "external_calls_per_day for every role (against the same role).",
         "Ниже сравнимых коллег (" + _PEERS_RU + "): значение ≤ ориентир × (1 − "
         f"порог отставания из профиля) И ориентир − значение ≥ {PEER_K:g} × разброс И отставание "
         f"не случайно: по Пуассону P(X ≤ значение × дни | среднее ориентир × дни) < {ALPHA:g}. "
         "Исходящие новым клиентам оцениваются только у «охотников»; внешние звонки в день — у "
         "всех ролей (в сравнении с той же ролью).",
         n_en="active days (the per-day rate's denominator)",
         impact_en="client calls: (reference - value) x days_active — the calls to new clients "
                   "(or external calls) the manager made fewer than the median colleague over "
                   "the period",
         impact_ru="звонки клиентам: (ориентир − значение) × рабочие дни — на столько звонков "
                   "новым клиентам (или внешних звонков) меньше, чем у медианного коллеги, за "
                   "период",
         evidence_en="the counted calls (external calls, or outgoing calls to new clients) of "
                     "the period", reproduce="per_day", impact_unit="client_calls",
         n_unit="active_days"),
    Rule("mobile_heavy", "employee", "mobile_share", MOBILE_MOSTLY,
         f"outgoing >= {MIN_OUTGOING}, days_active >= min_active_days, role hunter, >= "
         f"{MIN_PEERS} comparable colleagues",
         "high if value - reference >= 2 x the margin it needed, else medium",
         f"Most outgoing calls go to mobiles (value >= {MOBILE_MOSTLY:g}) AND value - reference "
         f">= max({PEER_K:g} x spread, {MOBILE_ABOVE_PEERS:g}) against the comparable "
         f"colleagues ({_PEERS_EN}) AND beyond chance: binomial P(X >= mobile calls | outgoing, "
         f"p = reference) < {ALPHA:g}. Likely calling the old base (private numbers) rather "
         "than winning new company clients; only hunters are judged (a farmer or an inbound "
         "manager calls whoever their clients are). Where the whole department calls mobiles "
         "(B2C) the margin over the colleagues is out of reach and nobody is singled out; a "
         "share of half mobiles is ordinary variation, hence the three-quarters floor.",
         f"Исходящие в основном на мобильные (доля ≥ {MOBILE_MOSTLY:g}) И доля − ориентир ≥ "
         f"наибольшего из ({PEER_K:g} × разброс; {MOBILE_ABOVE_PEERS:g}) в сравнении с коллегами ({_PEERS_RU}) "
         f"И не случайно: биномиально P(X ≥ звонков на мобильные | исходящих, p = ориентир) < "
         f"{ALPHA:g}. Вероятно, прозвон старой базы вместо привлечения новых клиентов-компаний; "
         "оцениваются только «охотники». Если весь отдел звонит на мобильные (B2C), отрыв от "
         "коллег недостижим и никто не выделяется.",
         n_en="outgoing calls",
         impact_en="client calls: (value - reference) x outgoing — calls to private mobiles "
                   "beyond the colleagues' share, which could have gone to new companies",
         impact_ru="звонки клиентам: (доля − ориентир) × исходящие — звонков на частные "
                   "мобильные сверх доли коллег; они могли уйти новым компаниям",
         evidence_en="the outgoing calls to mobile numbers", reproduce="share",
         impact_unit="client_calls", n_unit="outgoing_calls"),
    Rule("internal_heavy", "employee", "internal_share", INTERNAL_ABOVE_PEERS,
         f"external_calls + internal_calls >= {MIN_CALLS}, days_active >= min_active_days, >= "
         f"{MIN_PEERS} comparable colleagues",
         "high if value - reference >= 2 x the margin it needed, else medium",
         f"value - reference >= max({PEER_K:g} x spread, {INTERNAL_ABOVE_PEERS:g}) against the "
         f"comparable colleagues ({_PEERS_EN}) AND internal calls per day >= "
         f"{INTERNAL_PER_DAY_X:g} x the colleagues' median (a manager with few external calls "
         "is not flagged for an ordinary amount of internal calls) AND beyond chance: binomial "
         f"P(X >= internal calls | all calls, p = reference) < {ALPHA:g}. Energy goes to "
         "colleagues (a broken internal process) instead of clients.",
         f"доля − ориентир ≥ наибольшего из ({PEER_K:g} × разброс; {INTERNAL_ABOVE_PEERS:g}) в сравнении с "
         f"коллегами ({_PEERS_RU}) И внутренних звонков в день ≥ {INTERNAL_PER_DAY_X:g} × медиана "
         "коллег (менеджер с малым числом внешних звонков не выделяется за обычное число "
         "внутренних) И не случайно: биномиально P(X ≥ внутренних | всех звонков, p = ориентир) "
         f"< {ALPHA:g}. Силы уходят на коллег (сломан внутренний процесс), а не на клиентов.",
         n_en="external + internal calls",
         impact_en="client calls: the extra internal calls (value - reference) x (external + "
                   "internal calls), times the manager's mean internal call (their internal "
                   "talk time / internal calls), divided by the manager's own mean client "
                   "conversation (talk_s_mean, over answered external calls) — the client "
                   "conversations that time would have held. An internal call is not a client "
                   "call: only its time is. NaN without the call table (no internal talk time) "
                   "or without answered external calls",
         impact_ru="звонки клиентам: лишние внутренние звонки (доля − ориентир) × (внешние + "
                   "внутренние), умноженные на средний внутренний звонок менеджера (его время "
                   "внутренних разговоров / внутренние звонки) и делённые на его же средний "
                   "разговор с клиентом — сколько разговоров с клиентами уместилось бы в это "
                   "время",
         evidence_en="the internal calls the manager placed or answered", reproduce="share",
         impact_unit="client_calls", n_unit="all_calls"),
    Rule("repeat_dialing", "employee", "calls_per_number", REPEAT_ABOVE_PEERS,
         f"external_calls >= {MIN_CALLS}, days_active >= min_active_days, role hunter or farmer, "
         f">= {MIN_PEERS} comparable colleagues",
         "high if value - reference >= 2 x the margin it needed, else medium",
         f"value - reference >= max({PEER_K:g} x spread, {REPEAT_ABOVE_PEERS:g}) calls per number "
         f"against the comparable colleagues ({_PEERS_EN}) AND beyond chance: the repeat calls "
         "(external_calls - unique_numbers) are binomially more than the colleagues' repeat "
         f"share 1 - 1/reference allows, P < {ALPHA:g}. Weak negotiation or padding a call "
         "quota; inbound and service roles are not judged (their clients choose to call again).",
         f"звонков на номер − ориентир ≥ наибольшего из ({PEER_K:g} × разброс; {REPEAT_ABOVE_PEERS:g}) в "
         f"сравнении с коллегами ({_PEERS_RU}) И не случайно: повторных звонков (внешние − "
         "уникальные номера) биномиально больше, чем допускает доля повторов коллег 1 − "
         f"1/ориентир, P < {ALPHA:g}. Слабые переговоры или «накрутка» плана по звонкам; роли "
         "«входящие» и «сервис» не оцениваются.",
         n_en="external calls",
         impact_en="client calls: external_calls - reference x unique_numbers — calls to the "
                   "same numbers beyond the colleagues' rate (calls that could have reached "
                   "other clients)",
         impact_ru="звонки клиентам: внешние − ориентир × уникальные номера — звонков на те же "
                   "номера сверх уровня коллег (могли бы достаться другим клиентам)",
         evidence_en="every counted external call (the note says which call to that number it "
                     "was)", reproduce="per_number", impact_unit="client_calls",
         n_unit="external_calls"),
    Rule("absent_at_peak", "employee", "absent_share", ABSENT_SHARE,
         f"peak slots (worked day x department peak hour with incoming) >= {MIN_PEAK_SLOTS}, "
         f"days_active >= min_active_days, >= {MIN_PEERS} comparable colleagues",
         "high if value >= 0.8, else medium",
         f"On the days they worked, no call activity (with a queue_log, for its agents: logged in "
         f"and unpaused less than half the hour) in at least {ABSENT_SHARE:.0%} of the "
         f"department's peak slots AND value - reference >= max({PEER_K:g} x spread, "
         f"{ABSENT_ABOVE_PEERS:g}) against the comparable colleagues ({_PEERS_EN}) AND beyond "
         f"chance: binomial P(X >= absent slots | peak slots, p = reference) < {ALPHA:g}.",
         f"В дни работы нет активности (с журналом очереди — у его операторов: в очереди и не на "
         f"паузе меньше половины часа) минимум в {ABSENT_SHARE:.0%} часов пик отдела И доля − "
         f"ориентир ≥ наибольшего из ({PEER_K:g} × разброс; {ABSENT_ABOVE_PEERS:g}) в сравнении с коллегами "
         f"({_PEERS_RU}) И не случайно: биномиально P(X ≥ пропущенных часов | часов пик, p = "
         f"ориентир) < {ALPHA:g}.",
         n_en="peak slots (worked date x peak hour with department incoming)",
         impact_en="time: (value - reference) x peak_slots — the peak hours the manager was off "
                   "the phone beyond the colleagues' rate. Not calls: the flow went to "
                   "colleagues (or was missed — the missed-call rules count those)",
         impact_ru="время: (доля − ориентир) × часы пик — столько часов пик менеджер был без "
                   "звонков сверх уровня коллег. Это не звонки: поток брали коллеги (а "
                   "пропущенные считают правила о пропущенных)",
         evidence_en="the department's incoming calls in the peak slots the manager was absent "
                     "from", reproduce="slots", impact_unit="peak_hours", n_unit="peak_slots"),
    Rule("missed_peak", "weekday hour", "missed_rate", MISSED_RATE,
         f"inside working hours: an hour of the day with >= {2 * MIN_SLOT_INCOMING} incoming and "
         f">= half the busiest hour's calls per day (its weekday slots with >= "
         f"{MIN_SLOT_INCOMING // 2}); or a single slot with >= {MIN_SLOT_INCOMING} incoming and >= "
         f"a quarter of the busiest slot's calls per day; at most {MAX_SLOT_FINDINGS} slots",
         "high if >= 0.4, else medium",
         "Busy working time where people do not pick up: an hour whose missed rate is >= the "
         "threshold and 1.5 x the other hours' rate (reported per weekday slot with rate >= the "
         "threshold), or a weekday-hour slot with >= the threshold and 2 x the rest. Only the "
         "misses people explain count (value = those / incoming): calls dropped within seconds "
         "(short_ring_drops) and calls that hit busy lines at the line ceiling (line_limit) are "
         "those rules' findings, not a staffing matter, and the text says how many were set "
         "aside. The action follows the staffing of the hour: where Erlang C says the answering "
         "groups had enough people on the phone (groups.csv verdict ok), the people were there "
         "but busy with something else (a meeting, breaks) — put someone on duty; where a group "
         "is short of people, it points at understaffed. Calls outside working hours are not "
         "counted (they are the off-hours line of the report).",
         "Загруженное рабочее время, когда люди не берут трубку: час, где доля пропущенных не "
         "ниже порога и в 1,5 раза выше, чем в остальные часы (по дням недели), или отдельный "
         "час недели с долей вдвое выше остальных. Короткие сбросы и звонки на занятые линии не "
         "считаются (это свои выводы). Если людей по расчёту хватало — нужен дежурный, иначе — "
         "см. нехватку людей. Нерабочее время не считается.",
         n_en="incoming calls in the slot (inside working hours)",
         impact_en="lost leads: max(0, lost - usual x n) — the slot's lost calls (missed by "
                   "people, not called back in the window, never reached) beyond the usual "
                   "share of working hours (lost by people / incoming). A missed call that was "
                   "called back is not counted: it cost no lead. Without the missed-call table: "
                   "NaN",
         impact_ru="потерянные обращения: max(0, потеряно − обычная доля × входящие) — "
                   "потерянные в этот час (пропущены людьми, не перезвонили в срок, не "
                   "дозвонились) сверх обычного уровня рабочего времени. Пропущенный, которому "
                   "перезвонили, не считается: обращение не потеряно",
         evidence_en="the slot's calls missed by people (not short drops, not at the ceiling)",
         reproduce="share", n_unit="incoming_calls"),
    Rule("understaffed", "group", "required_agents", 1.0,
         f"a slot of the group inside working hours with >= {MIN_SLOT_INCOMING} incoming over "
         "the period; one finding per group, naming its hours", "high if short by >= 2, else medium",
         "An answering group (the queue / department that takes a line's calls, "
         "classify.add_answering_group) is short of people: in these working hours Erlang C needs "
         "at least one whole agent more (for the service-level target) than the group's own "
         "employees on the phone (groups.csv, verdict 'people'). Hours whose misses a line limit "
         "explains are not counted (verdict 'lines'): there it needs lines, not people. Off-hours "
         "calls are never 'understaffed'. value = required_agents and reference = "
         "active_employees at the group's worst hour.",
         "Группе, принимающей звонки линии (очередь / отдел), не хватает людей: в эти рабочие "
         "часы по формуле Эрланга для целевого уровня сервиса нужно хотя бы на одного сотрудника больше, "
         "чем было на линии из её состава. Часы, где пропуски объясняет ограничение линий, сюда "
         "не входят: там нужны линии, а не люди. Нерабочее время не считается.",
         n_en="the group's incoming calls in those hours",
         impact_en="lost leads: sum over those hours of max(0, lost - incoming x the group's "
                   "lost share in its other working hours) — lost calls (missed by people, not "
                   "called back in the window, never reached) beyond the group's own usual "
                   "level; NaN without the missed-call table",
         impact_ru="потерянные обращения: сумма по этим часам max(0, потеряно − входящие × доля "
                   "потерянных группы в остальные рабочие часы) — потеряно сверх обычного уровня "
                   "группы",
         evidence_en="the group's missed calls in those hours", n_unit="incoming_calls"),
    Rule("line_limit", "all", "max_concurrent", float(LINE_LIMIT_DAYS),
         f"the ceiling reached on >= {LINE_LIMIT_DAYS} days and >= {LINE_LIMIT_BLOCKED} "
         "unanswered calls started while all its lines were busy", "high",
         "A flat ceiling of simultaneous calls with calls failing at it: a line (channel) limit. "
         "The finding asks for lines, not people, and names the working hours whose misses it "
         "explains (at least half of a group's missed calls in that hour hit busy lines, or the "
         "group needs more agents than there are lines while its people on duty already fill "
         "them).",
         "Потолок одновременных звонков, на котором звонки не проходят: ограничение линий. Вывод "
         "— нужны линии, а не люди; названы часы, где пропуски объясняются линиями.",
         n_en="days the ceiling was reached",
         impact_en="lost leads: the incoming calls that hit busy lines at the ceiling and were "
                   "lost (not called back in the window, never reached); the text also says how "
                   "many incoming hit busy lines at all; the outgoing ones are in reference, "
                   "they cost time, not leads",
         impact_ru="потерянные обращения: входящие, попавшие на занятые линии и потерянные (не "
                   "перезвонили в срок, не дозвонились); сколько входящих попало на занято — в "
                   "тексте; исходящие — в ориентире: они стоят времени, а не обращений",
         evidence_en="the unanswered calls (incoming and outgoing) that started at the ceiling",
         n_unit="ceiling_days"),
    Rule("missed_no_callback", "group", "lost_share", LOST_SHARE,
         f"missed calls with a number inside working hours >= {MIN_MISSED} in the answering "
         "group", "high if >= 0.4, else medium",
         "Missed calls inside working hours not called back within the window "
         "(thresholds.callback_window_h) and never reached: lost clients, per answering group.",
         "Пропущенные в рабочее время, по которым не перезвонили в срок "
         "(окно перезвона из профиля) и не дозвонились: потерянные клиенты, по группе, "
         "принимающей звонки.",
         n_en="missed calls with a caller number inside working hours",
         impact_en="lost leads: the lost calls (not called back in the window, never reached)",
         impact_ru="потерянные обращения: не перезвонили в срок и не дозвонились",
         evidence_en="the lost calls", reproduce="share", n_unit="missed_calls"),
    Rule("short_ring_drops", "line | weekday hour", "short_ring_share", SHORT_RING_SHARE,
         f"inside working hours; overall/line: unanswered incoming >= {MIN_UNANSWERED} and share "
         f">= {SHORT_RING_SHARE}; a weekday-hour slot: >= {MIN_SLOT_SHORT} drops and share >= "
         "max(0.5, 2 x the overall share)", "medium",
         "Many unanswered incoming calls end within seconds (status missed, ring < 5 s, "
         "metrics.tech.short_ring_mask): dropped by the line/IVR rather than missed by people.",
         "Много неотвеченных входящих обрываются за секунды: сбрасывает линия или голосовое меню, а не "
         "пропускают люди.",
         n_en="unanswered incoming calls (of the line / slot) inside working hours",
         impact_en="lost leads: the dropped calls that were lost (not called back in the "
                   "window, never reached): a drop the company called back cost no lead",
         impact_ru="потерянные обращения: оборвавшиеся звонки, которые потеряны (не "
                   "перезвонили в срок и не дозвонились)",
         evidence_en="the dropped calls", reproduce="share", n_unit="unanswered_calls"),
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
         f"распределении: доля лидера ≥ наименьшего из ({FLOW_SHARE_X:g} × 1/n; {FLOW_SHARE_CAP:g}) И "
         f"нормированный индекс концентрации (индекс − 1/n) / (1 − 1/n) ≥ {FLOW_HHI_NORM:g}. Индекс "
         "концентрации — сумма квадратов долей менеджеров: вероятность, что два звонка попали к "
         "одному человеку; 1 / индекс — сколько менеджеров, деля поток поровну, дали бы ту же концентрацию. Поток и "
         "клиенты зависят от одного человека: его отсутствие — потерянные звонки, остальные "
         "недогружены входящими.",
         n_en="the department's answered incoming calls",
         impact_en="risk: none (NaN) — the flow depends on one person, no calls lost yet",
         impact_ru="риск: нет числа — поток зависит от одного человека, звонки пока не "
                   "потеряны",
         evidence_en="the top manager's answered incoming calls", reproduce="share",
         impact_unit="risk", n_unit="answered_incoming"),
    Rule("failed_burst", "time window", "failed", 5.0,
         "5+ failed external calls in a 10-minute window that did not start at the line ceiling "
         "(any time of day)", "medium",
         "A burst of failed (congestion) calls: an outage of the line or provider.",
         "Всплеск неуспешных (перегрузка) звонков: сбой линии или оператора.",
         n_en="all external calls in the window",
         impact_en="lost leads: the failed incoming calls in the window that were lost (clients "
                   "who could not get through; failed outgoing calls are retried)",
         impact_ru="потерянные обращения: неуспешные входящие в этом окне, которые потеряны "
                   "(клиенты не дозвонились; исходящие перезванивают)",
         evidence_en="the failed calls of the window", reproduce="count", n_unit="window_calls"),
)
RULE_NAMES: tuple[str, ...] = tuple(r.rule for r in RULES)
_RULE = {r.rule: r for r in RULES}


def rules_table(lang: str = "ru") -> pd.DataFrame:
    """The documented rules as a table: rule, subject, metric, threshold, min_data, severity,
    definition, impact (in ``lang``), impact_unit, n, n_unit, evidence, reproduce."""
    ru = lang == "ru"
    rows = [{"rule": r.rule, "subject": r.subject, "metric": r.metric, "threshold": r.threshold,
             "min_data": r.min_data, "severity": r.severity,
             "definition": _ru_numbers(r.definition_ru) if ru else r.definition_en,
             "impact": r.impact_ru if ru else r.impact_en, "impact_unit": r.impact_unit,
             "n": r.n_en, "n_unit": r.n_unit, "evidence": r.evidence_en,
             "reproduce": r.reproduce} for r in RULES]
    return pd.DataFrame(rows)


def finding_id(rule: str, subject: str, metric: str, key: str = "") -> str:
    """``<rule>-<8 hex>``: the same finding gets the same id in every run and language.

    Examples
    --------
    >>> finding_id("repeat_dialing", "Григорьев Олег", "calls_per_number")[:15]
    'repeat_dialing-'
    """
    h = hashlib.sha1("\x1f".join((rule, subject, metric, key)).encode("utf-8")).hexdigest()
    return f"{rule}-{h[:8]}"


@dataclass
class Verdicts:
    """What :func:`evaluate` returns: the findings and the calls behind them."""

    findings: pd.DataFrame
    evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EVIDENCE_COLUMNS)))


#: Subjects that are placeholders, as a Russian sentence says them.
_SUBJECT_RU = {"(no department)": "без отдела", "(no group)": "без группы", "all": "все линии"}
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})( \d{2}:\d{2})?$")


def _subject_ru(subject: str) -> str:
    """A subject as a Russian sentence says it: placeholders in words, a time window
    (``2026-10-08 15:00``, failed_burst) as ``08.10.2026 15:00``."""
    m = _STAMP.match(subject)
    if m:
        return f"{m.group(3)}.{m.group(2)}.{m.group(1)}{m.group(4) or ''}"
    return _SUBJECT_RU.get(subject, subject)
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _ru_numbers(text: str) -> str:
    """A decimal comma, as Russian writes numbers (``4.2`` → ``4,2``)."""
    return _DECIMAL_POINT.sub(",", text)


_PEER_RU = "медиана {peers} коллег отдела с той же ролью («{role_ru}»)"
_PEER_EN = "the median of {peers} colleagues of the department with the same role ({role_en})"
_TEXT = {
    "manager_gap": {
        "ru": "{subject} ({department}): {metric_ru} {value:.1f} ({count} за {n} раб. дн.) против "
              "{reference:.1f} — " + _PEER_RU + "; на {gap:.0%} меньше. {Cost}.",
        "en": "{subject} ({department}): {metric_en} {value:.1f} ({count} over {n} active days) "
              "vs {reference:.1f}, " + _PEER_EN + "; {gap:.0%} below. {Cost}."},
    "mobile_heavy": {
        "ru": "{subject}: {value:.0%} исходящих — на мобильные ({count} из {n}); " + _PEER_RU +
              " — {reference:.0%}. Похоже на прозвон старой базы вместо поиска новых клиентов. "
              "{Cost}.",
        "en": "{subject}: {value:.0%} of outgoing calls go to mobiles ({count} of {n}); "
              + _PEER_EN + " is {reference:.0%}. Looks like calling the old base instead of "
              "finding new clients. {Cost}."},
    "internal_heavy": {
        "ru": "{subject}: {value:.0%} звонков — внутренние ({count} из {n}); " + _PEER_RU +
              " — {reference:.0%}. Лишних внутренних звонков ≈ {excess:.0f}{time_ru}.",
        "en": "{subject}: {value:.0%} of calls are internal ({count} of {n}); " + _PEER_EN +
              " is {reference:.0%}. Extra internal calls: ≈ {excess:.0f}{time_en}."},
    "repeat_dialing": {
        "ru": "{subject}: {value:.1f} звонка на один номер ({n} внешних на {numbers} номеров); "
              + _PEER_RU + " — {reference:.1f}. Слабые переговоры или накрутка количества "
              "звонков. {Cost}.",
        "en": "{subject}: {value:.1f} calls per number ({n} external calls to {numbers} "
              "numbers); " + _PEER_EN + " is {reference:.1f}. Weak negotiation or padding the "
              "call count. {Cost}."},
    "absent_at_peak": {
        "ru": "{subject}: {absent_ru} в {value:.0%} часов пик ({absent} из {n}) в дни работы; "
              + _PEER_RU + " — {reference:.0%}. {Cost}.",
        "en": "{subject}: {absent_en} in {value:.0%} of peak hours ({absent} of {n}) on the days "
              "they worked; " + _PEER_EN + " is {reference:.0%}. {Cost}."},
    "missed_peak": {
        "ru": "{slot_ru}: не ответили на {value:.0%} входящих ({missed} из {incoming}) при "
              "{reference:.0%} в среднем{lost_ru}.{aside_ru}",
        "en": "{slot_en}: {value:.0%} of incoming calls not answered ({missed} of {incoming}) vs "
              "{reference:.0%} across working hours{lost_en}.{aside_en}"},
    "understaffed": {
        "ru": "{subject}: не хватает людей в {slots_ru} ({n} входящих, пропущено {missed}). "
              "В худший час нужно {value:.0f} чел. на линии ({cph_ru} в час, по формуле "
              "Эрланга), а на линии было в среднем {reference:.1f} чел. группы. "
              "{Cost}.",
        "en": "{subject}: short of people at {slots_en} ({n} incoming, {missed} missed). At "
              "the worst hour {value:.0f} agents are needed (Erlang C, {cph:.1f} calls/h), while "
              "{reference:.1f} of the group were on the line on average. {Cost}."},
    "line_limit": {
        "ru": "Не больше {value:.0f} одновременных звонков; потолок достигался в "
              "{days} дн., {reference:.0f} звонков не прошли при занятых линиях (из них "
              "входящих {incoming}). Похоже на ограничение линий: нужны линии, а не люди. "
              "{cost_ru}{where_ru}",
        "en": "Never more than {value:.0f} simultaneous calls; the ceiling was hit on "
              "{days} days and {reference:.0f} calls failed with all lines busy ({incoming} of "
              "them incoming). Looks like a line limit: it needs lines, not people. "
              "{cost_en}{where_en}"},
    "missed_no_callback": {
        "ru": "{who_ru}: {value:.0%} пропущенных ({lost} из {n}) без перезвона за {window:g} ч "
              "и без дозвона — потерянные обращения.",
        "en": "{who_en}: {value:.0%} of missed calls ({lost} of {n}) were not called back "
              "within {window:g} h nor reached — lost enquiries."},
    "short_ring_drops": {
        "ru": "{where_ru}: {value:.0%} неотвеченных входящих ({count} из {reference:.0f}) "
              "обрываются за секунды: сбрасывает линия или голосовое меню, а не пропускают люди. "
              "{Cost}.",
        "en": "{where_en}: {value:.0%} of unanswered incoming calls ({count} of {reference:.0f}) "
              "end within seconds: the line or the IVR drops them, not people. {Cost}."},
    "flow_concentration": {
        "ru": "{subject}: {employee} принимает {value:.0%} отвеченных входящих отдела ({calls} из "
              "{total}) при равной доле {reference:.0%} на {managers} менеджеров и ведёт {clients:.0%} "
              "клиентов отдела. Индекс концентрации {hhi:.2f}: поток распределён так, будто его "
              "делят поровну {eff:.1f} менеджера. Клиенты зависят от одного человека; остальные "
              "недогружены входящими.",
        "en": "{subject}: {employee} takes {value:.0%} of the department's answered incoming "
              "calls ({calls} of {total}) against an even share of {reference:.0%} among {managers} "
              "managers, and holds {clients:.0%} of its clients. Concentration index HHI {hhi:.2f}: "
              "the flow is as concentrated as if {eff:.1f} managers shared it evenly. The clients "
              "depend on one person; the others get little incoming work."},
    "failed_burst": {
        "ru": "{subject}: {value:.0f} неуспешных звонков за {window} мин — сбой линии или "
              "оператора. {Cost}.",
        "en": "{subject}: {value:.0f} failed calls within {window} min — a line or provider "
              "outage. {Cost}."},
}
_ACTION = {
    "manager_gap": {
        "ru": "{subject}: разобрать план звонков — не меньше {reference:.1f} {metric_ru} (медиана "
              "коллег), проверять раз в неделю.",
        "en": "Agree a plan with {subject}: at least {reference:.1f} {metric_en} (the "
              "colleagues' median), reviewed weekly."},
    "mobile_heavy": {
        "ru": "Проверить, по какой базе звонит {subject}: нужны новые компании, а не частные "
              "мобильные; доля мобильных — до {reference:.0%}.",
        "en": "Check which list {subject} calls: new companies, not private mobiles; mobiles "
              "down to {reference:.0%}."},
    "internal_heavy": {
        "ru": "Выяснить, по каким вопросам {subject} звонит коллегам, и закрыть их регламентом или "
              "CRM; внутренних — до {reference:.0%}.",
        "en": "Find out what {subject} calls colleagues about and settle it with a rule or the "
              "CRM; internal calls down to {reference:.0%}."},
    "repeat_dialing": {
        "ru": "{subject}: прослушать повторные звонки на одни и те же номера; цель — не больше "
              "{reference:.1f} звонка на номер.",
        "en": "Listen to {subject}'s repeat calls to the same numbers; target at most "
              "{reference:.1f} calls per number."},
    "absent_at_peak": {
        "ru": "{subject}: быть на связи в часы пик отдела ({hours}); перерывы и другие дела — в "
              "остальное время.",
        "en": "{subject} to be on the phone at the department's peak hours ({hours}); breaks and "
              "other work at other times."},
    "missed_peak": {
        "ru": "{act_ru}",
        "en": "{act_en}"},
    "understaffed": {
        "ru": "Поставить в «{subject}» ещё {short:.0f} чел. на линию в {slots_ru}.",
        "en": "Put {short:.0f} more agent(s) of {subject} on the line at {slots_en} (Erlang C)."},
    "line_limit": {
        "ru": "Расширить число линий у оператора (сейчас {value:.0f} одновременных); людей "
              "не добавлять.",
        "en": "Buy more lines from the provider (now {value:.0f} simultaneous calls), not more "
              "people."},
    "missed_no_callback": {
        "ru": "{owner_ru} перезванивать на каждый пропущенный в течение {window:g} ч; открытые "
              "обращения — в списке для перезвона.",
        "en": "{owner_en} to call every missed client back within {window:g} h; the open cases "
              "are on the call-back list."},
    "short_ring_drops": {
        "ru": "Проверить у оператора и в голосовом меню, почему обрываются звонки ({where_ru}).",
        "en": "Ask the provider and check the IVR why calls drop ({where_en})."},
    "flow_concentration": {
        "ru": "Распределять входящие «{subject}» равномерно (сейчас больше всех получает {employee}) и "
              "передать часть клиентов коллегам.",
        "en": "Spread {subject}'s incoming calls evenly (no priority for {employee}) and hand "
              "some clients to colleagues."},
    "failed_burst": {
        "ru": "Запросить у оператора причину сбоя {subject}.",
        "en": "Ask the provider what failed at {subject}."},
}
#: missed_peak's action by the cause the staffing of the hour points at (groups.csv verdicts).
_PEAK_ACTION = {
    "busy": ("Назначить на {slot_ru} дежурного на входящие: людей по расчёту хватает, но трубку не "
             "берут (совещание, перерывы).",
             "Put someone on duty for incoming calls at {slot_en}: there are people enough by "
             "Erlang C, but nobody picks up (a meeting, breaks)."),
    "people": ("Добавить людей на линию в {slot_ru}: по расчёту их не хватает (см. вывод о "
               "нехватке людей).",
               "Add people on the line at {slot_en}: by Erlang C there are too few (see the "
               "finding on too few people)."),
    "": ("Назначить на {slot_ru} дежурного на входящие: сейчас не отвечают на {value:.0%} "
         "звонков.",
         "Put someone on duty at {slot_en} to take incoming calls: {value:.0%} go unanswered now."),
}
_METRIC_NAMES = {
    "external_calls_per_day": ("внешних звонков в день", "external calls per day"),
    "outgoing_new_clients_per_day": ("исходящих новым клиентам в день",
                                     "outgoing calls to new clients per day"),
}
_NOTES = {
    "external": ("внешний звонок", "external call"),
    "outgoing_new": ("исходящий новому клиенту", "outgoing to a new client"),
    "outgoing_mobile": ("исходящий на мобильный", "outgoing to a mobile"),
    "internal_placed": ("внутренний, сделал", "internal, placed"),
    "internal_answered": ("внутренний, принял", "internal, answered"),
    "repeat": ("звонок {k} из {of} на этот номер", "call {k} of {of} to this number"),
    "absent": ("час пик {hour:02d}:00, у {employee} нет звонков",
               "peak hour {hour:02d}:00, no call by {employee}"),
    "absent_queue": ("час пик {hour:02d}:00, {employee} не на линии (вне очереди или на паузе)",
                     "peak hour {hour:02d}:00, {employee} off the line (logged out of the queue or paused)"),
    "incoming_answered": ("входящий, принял", "incoming, answered"),
    "lost": ("пропущен, не перезвонили", "missed, not called back"),
    "missed_slot": ("пропущен", "missed"),
    "understaffed": ("пропущен в час нехватки людей", "missed in an hour short of people"),
    "ceiling": ("не прошёл: заняты все линии", "did not get through: every line busy"),
    "short_ring": ("оборвался за секунды", "dropped within seconds"),
    "failed": ("неуспешный (перегрузка)", "failed (congestion)"),
}


def _slot_ru(weekday: int, hour: int) -> str:
    return f"{WEEKDAY_RU[int(weekday)]} {int(hour):02d}:00"


def _slot_en(weekday: int, hour: int) -> str:
    return f"{WEEKDAY_EN[int(weekday)]} {int(hour):02d}:00"


def _sev(value: float, high: float) -> str:
    return "high" if value >= high else "medium"


def impact_phrase(rule: str, metric: str = "") -> str:
    """How a finding's cost is worded (:data:`callkit.report.labels.IMPACT_CAPTIONS`): ``lost``
    (enquiries lost), ``lost_excess`` (lost beyond the usual level), ``new_calls`` / ``client_calls``
    (calls not made), ``same_numbers``, ``mobiles`` (calls gone there), ``internal_time``
    (conversations the internal calls' time would hold), ``peak_hours``, ``risk``."""
    if rule == "manager_gap":
        return "new_calls" if metric == "outgoing_new_clients_per_day" else "client_calls"
    return _PHRASES.get(rule, "lost")


_PHRASES = {"missed_peak": "lost_excess", "understaffed": "lost_excess", "mobile_heavy": "mobiles",
            "repeat_dialing": "same_numbers", "internal_heavy": "internal_time",
            "absent_at_peak": "peak_hours", "flow_concentration": "risk"}


def impact_rub(impact: pd.Series, unit: pd.Series, economics: Economics | None) -> pd.Series:
    """Roubles of each finding's ``impact`` in its ``unit``: x the unit's conversion
    (:meth:`callkit.profile.Economics.conversion`) x average_deal_rub; NaN without
    ``economics``, for time and risk, and for client calls without ``call_to_deal``."""
    if economics is None:
        return pd.Series(np.nan, index=impact.index, dtype=float)
    conv = unit.astype(str).map(lambda u: economics.conversion(u)).astype(float)
    return impact.astype(float) * conv * float(economics.average_deal_rub)


def rank_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings in the order of findings.csv: those with roubles by impact_rub (largest first);
    then those without, unit by unit in the order of :data:`IMPACT_UNITS`, each by impact; ties
    by severity, then the order of :data:`RULES`. Two units are never ranked as one.

    Examples
    --------
    Without economics: 21 lost enquiries, 93 client calls and a risk -> the lost enquiries
    first (a different unit, not a smaller number), then the client calls, then the risk.
    """
    if findings.empty:
        return findings
    f = findings
    none = pd.Series(np.nan, index=f.index, dtype=float)
    rub = pd.to_numeric(f["impact_rub"], errors="coerce") if "impact_rub" in f else none
    imp = pd.to_numeric(f["impact"], errors="coerce") if "impact" in f else \
        pd.to_numeric(f["impact_calls"], errors="coerce") if "impact_calls" in f else none
    units = {u: i for i, u in enumerate(IMPACT_UNITS)}
    unit = f["impact_unit"].astype(str).map(units).fillna(len(units)) if "impact_unit" in f else 0
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rule_order = {r: i for i, r in enumerate(RULE_NAMES)}
    keyed = f.assign(_g=rub.isna().astype(int), _rub=-rub.fillna(0.0), _u=np.where(rub.notna(), 0, unit),
                     _i=-imp.fillna(-np.inf), _s=f["severity"].astype(str).map(order).fillna(9),
                     _r=f["rule"].astype(str).map(rule_order).fillna(99))
    return keyed.sort_values(["_g", "_rub", "_u", "_i", "_s", "_r"], kind="stable") \
        .drop(columns=["_g", "_rub", "_u", "_i", "_s", "_r"])


class _Out:
    """Collects findings and their evidence (see the module docstring for the API)."""

    def __init__(self, lang: str, calls: pd.DataFrame | None = None) -> None:
        self.lang = "en" if lang == "en" else "ru"
        self.rows: list[dict[str, object]] = []
        self._evidence: list[pd.DataFrame] = []
        self.calls: pd.DataFrame | None = None
        self.counted: dict[str, np.ndarray] = {}
        if calls is not None and len(calls):
            inp = period_mask(calls, None)
            self.calls = calls.loc[inp]
            self.counted = counted_masks(self.calls)

    def note(self, key: str, **fmt: object) -> str:
        ru, en = _NOTES[key]
        return (ru if self.lang == "ru" else en).format(**fmt)

    def add(self, rule: str, severity: str, subject: str, metric: str, value: float,
            reference: float, *, n: float, impact: float = np.nan, key: str = "",
            **fmt: object) -> str:
        fid = finding_id(rule, subject, metric, key)
        if any(r["finding_id"] == fid for r in self.rows):
            fid = finding_id(rule, subject, metric, f"{key}\x1f{len(self.rows)}")
        ref = float(reference) if reference is not None else np.nan
        n_text = int(n) if float(n).is_integer() else n
        unit = _RULE[rule].impact_unit
        impact = np.nan if unit == "risk" else float(impact)
        # no number (too little data to count it): the text says nothing about the cost
        cost = "" if impact != impact and unit != "risk" else \
            _labels.impact_text(impact_phrase(rule, metric), impact, self.lang)
        fields = dict(subject=subject, value=value, reference=ref, n=n_text, impact=impact,
                      cost=cost, Cost=cost[:1].upper() + cost[1:], **fmt)
        if self.lang == "ru":    # a subject that is no name reads as words in the sentence
            fields["subject"] = _subject_ru(subject)
        text = _TEXT[rule][self.lang].format(**fields)
        if not cost:
            text = text.replace(" .", "").strip()
        action = _ACTION[rule][self.lang].format(**fields) if rule in _ACTION else ""
        if self.lang == "ru":
            text, action = _ru_numbers(text), _ru_numbers(action)
        self.rows.append({"finding_id": fid, "rule": rule, "severity": severity,
                          "subject": subject, "metric": metric, "value": float(value),
                          "reference": ref, "n": float(n),
                          "impact_calls": impact if unit in CALL_UNITS else np.nan,
                          "action": action, "text": text, "impact_unit": unit, "impact": impact,
                          "n_unit": _RULE[rule].n_unit})
        return fid

    def attach(self, fid: str, call_ids: object, note: str | pd.Series | None = None) -> None:
        """The calls behind finding ``fid`` (call ids of the period)."""
        ids = pd.Series(np.asarray(call_ids, dtype=object)).astype("string")
        self.attach_frame(pd.DataFrame({"finding_id": fid, schema.CALL_ID: ids,
                                        "note": note if note is not None else pd.NA}))

    def attach_frame(self, frame: pd.DataFrame) -> None:
        """Evidence of many findings at once: ``finding_id, call_id`` (+ ``note``)."""
        if len(frame):
            cols = [c for c in ("finding_id", schema.CALL_ID, "note") if c in frame]
            self._evidence.append(frame.loc[:, cols])

    def verdicts(self, economics: Economics | None) -> Verdicts:
        columns = list(FINDING_COLUMNS + FINDING_EXTRA_COLUMNS)
        res = pd.DataFrame(self.rows, columns=[c for c in columns if c not in ("impact_rub", "evidence_n")])
        ev = self._evidence_frame()
        counts = ev.groupby("finding_id").size() if len(ev) else pd.Series(dtype="int64")
        res["evidence_n"] = res["finding_id"].map(counts).fillna(0).astype(np.int64)
        res["impact_rub"] = impact_rub(res["impact"], res["impact_unit"], economics)
        res = rank_findings(res)
        for col in ("finding_id", "rule", "severity", "subject", "metric", "action", "text",
                    "impact_unit", "n_unit"):
            res[col] = res[col].astype("string")
        for col in ("value", "reference", "n", "impact_calls", "impact_rub", "impact"):
            res[col] = res[col].astype(float)
        res = res.loc[:, columns].reset_index(drop=True)
        if len(ev):
            rank = {f: i for i, f in enumerate(res["finding_id"])}
            ev = ev.assign(_o=ev["finding_id"].map(rank)).sort_values(
                ["_o", schema.START, schema.CALL_ID], kind="stable").drop(columns="_o")
        return Verdicts(findings=res, evidence=ev.reset_index(drop=True))

    def _evidence_frame(self) -> pd.DataFrame:
        if not self._evidence or self.calls is None:
            return pd.DataFrame({c: pd.Series(dtype="string") for c in EVIDENCE_COLUMNS})
        ev = pd.concat(self._evidence, ignore_index=True)
        ev = ev.drop_duplicates(["finding_id", schema.CALL_ID], keep="first")
        cols = [c for c in EVIDENCE_COLUMNS if c in self.calls and c != "note"
                and c != "finding_id"]
        # the calls named (Arrow's isin: pandas' str isin boxes the 800k call ids as Python
        # objects, 8 s on a million legs), then one join of the few; its indicator finds
        # dangling evidence
        named = isin_text(self.calls[schema.CALL_ID], ev[schema.CALL_ID])
        calls = self.calls.loc[named, cols].assign(**{schema.CALL_ID: self.calls.loc[named, schema.CALL_ID]
                                                      .astype("string")})
        out = ev.merge(calls, on=schema.CALL_ID, how="left", indicator="_in_calls")
        missing = out["_in_calls"] == "left_only"
        if missing.any():    # a rule's bug, not a data problem: never write dangling evidence
            raise AssertionError(f"evidence names calls outside the period's call table: "
                                 f"{out.loc[missing, schema.CALL_ID].head(3).tolist()}")
        out = out.drop(columns="_in_calls")
        out["note"] = out["note"].astype("string") if "note" in out else pd.NA
        return out.loc[:, list(EVIDENCE_COLUMNS)]


# ------------------------------------------------------------------------------------------------
# employee rules: each manager against the comparable colleagues (compare.csv's reference)


def _peer_frame(compare: pd.DataFrame, managers: pd.DataFrame, metric: str,
                th: Thresholds) -> pd.DataFrame:
    """compare.csv's rows of ``metric`` with the manager's counts: the candidates of a rule
    (eligible, the metric fair for their role, enough comparable colleagues)."""
    c = compare.loc[compare["metric"] == metric]
    m = managers.drop(columns=[x for x in ("department", "role") if x in managers])
    m = m.drop_duplicates(schema.EMPLOYEE)
    c = c.merge(m, on=schema.EMPLOYEE, how="left", suffixes=("", "_m"))
    ok = (c["days_active"].fillna(0) >= th.min_active_days) & (c["peers"] >= MIN_PEERS) \
        & c["reference"].notna() & c["value"].notna()
    role = c["role"].astype("string").fillna("hunter")
    ok &= role_applies(c["metric"].astype(object), role)
    return c.loc[ok.to_numpy(dtype=bool)].assign(role=role[ok.to_numpy(dtype=bool)]).reset_index(drop=True)


def _role_fmt(r: pd.Series) -> dict[str, object]:
    ru, en = ROLE_NAMES.get(str(r["role"]), (str(r["role"]), str(r["role"])))
    dep = r[schema.DEPARTMENT]
    return {"peers": int(r["peers"]), "role_ru": ru, "role_en": en,
            "department": "—" if pd.isna(dep) else str(dep)}


def _margin_sev(excess: float, margin: float) -> str:
    return "high" if excess >= 2 * margin else "medium"


def _attach_by_employee(out: _Out, fired: pd.DataFrame, mask_key: str, *,
                        by: str = schema.EMPLOYEE) -> None:
    """Evidence: the in-period calls of ``out.counted[mask_key]`` of each fired employee (one
    join, not a loop over findings). ``by`` = the column naming the employee (``peer_employee``
    for the answering side of internal calls)."""
    if out.calls is None or fired.empty or by not in out.calls:
        return
    sel = out.counted[mask_key] & out.calls[by].isin(fired[schema.EMPLOYEE]).fillna(False).to_numpy(dtype=bool)
    c = out.calls.loc[sel, [schema.CALL_ID, by]].rename(columns={by: schema.EMPLOYEE})
    c[schema.EMPLOYEE] = c[schema.EMPLOYEE].astype("string")
    ev = c.merge(fired[[schema.EMPLOYEE, "finding_id"]].astype({schema.EMPLOYEE: "string"}),
                 on=schema.EMPLOYEE)
    out.attach_frame(ev.assign(note=out.note(mask_key)))


def _emit(out: _Out, rule: str, fired: pd.DataFrame, metric_of: str | None = None,
          **cols: str) -> pd.DataFrame:
    """add() each fired row (the text needs one format per finding); returns ``fired`` with
    ``finding_id``. ``cols`` maps template fields to columns of ``fired``."""
    ids = []
    for _, r in fired.iterrows():
        fmt = {k: r[v] for k, v in cols.items()}
        ids.append(out.add(rule, r["_sev"], str(r[schema.EMPLOYEE]), metric_of or str(r["metric"]),
                           r["value"], r["reference"], n=r["_n"], impact=r["_impact"],
                           **_role_fmt(r), **fmt))
    return fired.assign(finding_id=ids)


def _gap_rule(out: _Out, compare: pd.DataFrame, managers: pd.DataFrame, th: Thresholds) -> None:
    for metric in GAP_METRICS:
        c = _peer_frame(compare, managers, metric, th)
        if c.empty:
            continue
        days = c["days_active"].to_numpy(dtype=float)
        value, ref = c["value"].to_numpy(dtype=float), c["reference"].to_numpy(dtype=float)
        short = ref - value
        count = np.rint(value * days)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(ref > 0, short / ref, 0.0)
        fire = _beyond_chance((rel >= th.manager_gap) & (short >= PEER_K * c["spread"].to_numpy(dtype=float))
                              & (ref > 0), _poisson_cdf, count, ref * days)
        f = c.loc[fire].copy()
        if f.empty:
            continue
        f["_n"] = f["days_active"].astype(float)
        f["_impact"] = (f["reference"] - f["value"]) * f["_n"]
        f["_gap"] = 1 - f["value"] / f["reference"]
        f["_sev"] = np.where(f["_gap"] >= 2 * th.manager_gap, "high", "medium")
        f["_count"] = np.rint(f["value"] * f["_n"]).astype(np.int64)
        ru, en = _METRIC_NAMES[metric]
        f["_mru"], f["_men"] = ru, en
        f = _emit(out, "manager_gap", f, gap="_gap", count="_count", metric_ru="_mru",
                  metric_en="_men")
        _attach_by_employee(out, f, "external" if metric == "external_calls_per_day" else "outgoing_new")


def _beyond_chance(candidates: np.ndarray, tail: Callable[..., np.ndarray], *args: np.ndarray) -> np.ndarray:
    """``candidates & (tail(*args) < ALPHA)``, the tail computed only for the candidates (the
    same values: it is elementwise): a rule without a candidate needs no scipy at all."""
    out = np.asarray(candidates, dtype=bool).copy()
    if out.any():
        out[out] = tail(*(np.broadcast_to(np.asarray(a, dtype=float), out.shape)[out] for a in args)) < ALPHA
    return out


def _binom_sf(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """P(X >= k) for X ~ Binomial(n, p): ``scipy.stats.binom.sf(k - 1, n, p)`` bit for bit (the
    same boost kernel and the same edge rules: NaN outside the parameter space, 1 below the
    support), without importing ``scipy.stats`` (a second of every ``callkit metrics``): it calls
    the kernel scipy.stats.binom calls, which is private (``scipy.special._ufuncs._binom_sf``);
    a scipy without it there gets ``scipy.stats.binom.sf`` itself."""
    x, n, p = np.broadcast_arrays(np.asarray(k, dtype=float) - 1, np.asarray(n, dtype=float),
                                  np.clip(np.asarray(p, dtype=float), 0.0, 1.0))
    ok = (n >= 0) & (n == np.round(n)) & (p >= 0) & (p <= 1)
    out = np.zeros(x.shape)
    out[~ok | np.isnan(x)] = np.nan
    out[(x < 0) & ok] = 1.0
    inside = ok & (x >= 0) & (x < n) & np.isfinite(x)
    if inside.any():
        kernel = _binom_sf_kernel()
        if kernel is None:
            from scipy import stats

            out[inside] = stats.binom.sf(x[inside], n[inside], p[inside])
        else:
            out[inside] = np.clip(kernel(np.floor(x[inside]), n[inside], p[inside]), 0, 1)
    return out


def _binom_sf_kernel() -> Callable[..., np.ndarray] | None:
    """scipy.stats.binom's own survival kernel (private to scipy), or None where this scipy has
    none there."""
    try:
        from scipy.special._ufuncs import _binom_sf as kernel
    except ImportError:
        return None
    return kernel


def _poisson_cdf(k: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(mu): ``scipy.stats.poisson.cdf(k, mu)`` bit for bit (its
    ``pdtr`` and edge rules), without importing ``scipy.stats``."""
    from scipy.special import pdtr

    k, mu = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(mu, dtype=float))
    ok = mu >= 0
    out = np.zeros(k.shape)
    out[k == np.inf] = 1.0
    out[~ok | np.isnan(k)] = np.nan
    inside = ok & (k >= 0) & np.isfinite(k)
    if inside.any():
        out[inside] = np.clip(pdtr(np.floor(k[inside]), mu[inside]), 0, 1)
    return out


def _mobile_rule(out: _Out, compare: pd.DataFrame, managers: pd.DataFrame, th: Thresholds) -> None:
    c = _peer_frame(compare, managers, "mobile_share", th)
    if c.empty:
        return
    n = c["outgoing"].to_numpy(dtype=float)
    value, ref = c["value"].to_numpy(dtype=float), c["reference"].to_numpy(dtype=float)
    k = np.rint(value * n)
    margin = np.maximum(PEER_K * c["spread"].to_numpy(dtype=float), MOBILE_ABOVE_PEERS)
    fire = _beyond_chance((n >= MIN_OUTGOING) & (value >= MOBILE_MOSTLY) & (value - ref >= margin),
                          _binom_sf, k, n, ref)
    f = c.loc[fire].assign(_n=n[fire], _count=k[fire].astype(np.int64),
                           _impact=(value - ref)[fire] * n[fire],
                           _sev=[_margin_sev(e, m) for e, m in zip((value - ref)[fire], margin[fire])])
    f = _emit(out, "mobile_heavy", f, count="_count")
    _attach_by_employee(out, f, "outgoing_mobile")


def _internal_rule(out: _Out, compare: pd.DataFrame, managers: pd.DataFrame, th: Thresholds) -> None:
    from callkit.metrics.peers import peer_stats

    c = _peer_frame(compare, managers, "internal_share", th)
    if c.empty:
        return
    # internal calls per day of the same comparable colleagues (same groups, same eligibility)
    m = managers.assign(_ipd=managers["internal_calls"] / managers["days_active"].where(
        managers["days_active"] > 0), _e=managers["days_active"].fillna(0) >= th.min_active_days,
        _d=managers[schema.DEPARTMENT].astype(object),
        _r=(managers["role"].astype(object) if "role" in managers else None))
    ipd = m[[schema.EMPLOYEE, "_ipd"]].join(peer_stats(m, value="_ipd", group=["_d", "_r"],
                                                       eligible="_e")["reference"])
    c = c.merge(ipd.rename(columns={"reference": "_ipd_ref"}), on=schema.EMPLOYEE, how="left")
    n = (c["external_calls"] + c["internal_calls"]).to_numpy(dtype=float)
    value, ref = c["value"].to_numpy(dtype=float), c["reference"].to_numpy(dtype=float)
    k = c["internal_calls"].to_numpy(dtype=float)
    margin = np.maximum(PEER_K * c["spread"].to_numpy(dtype=float), INTERNAL_ABOVE_PEERS)
    fire = _beyond_chance((n >= MIN_CALLS) & (value - ref >= margin)
                          & (c["_ipd"].to_numpy(dtype=float) >= INTERNAL_PER_DAY_X * c["_ipd_ref"].to_numpy(dtype=float)),
                          _binom_sf, k, n, ref)
    f = c.loc[fire].assign(_n=n[fire], _count=k[fire].astype(np.int64),
                           _excess=(value - ref)[fire] * n[fire],
                           _sev=[_margin_sev(e, mg) for e, mg in zip((value - ref)[fire], margin[fire])])
    f = _internal_time(out, f)
    f = _emit(out, "internal_heavy", f, count="_count", excess="_excess", time_ru="_time_ru",
              time_en="_time_en")
    _attach_by_employee(out, f, "internal_placed")
    _attach_by_employee(out, f, "internal_answered", by=PEER_EMPLOYEE)


def _internal_talk(out: _Out, employees: pd.Series) -> pd.Series:
    """Talk seconds of each employee's internal calls — those placed and those answered (the
    answering side, ``peer_employee``) — over the period: the calls of internal_heavy's
    evidence. NaN for everyone without the call table."""
    names = employees.astype("string")
    if out.calls is None:
        return pd.Series(np.nan, index=names.to_numpy(), dtype=float)
    talk = out.calls[schema.TALK_S].fillna(0).to_numpy(dtype=float)
    parts = []
    for key, by in (("internal_placed", schema.EMPLOYEE), ("internal_answered", PEER_EMPLOYEE)):
        if by in out.calls:
            sel = out.counted[key]
            parts.append(pd.Series(talk[sel], index=out.calls[by].astype("string").to_numpy()[sel]))
    total = pd.concat(parts).groupby(level=0).sum() if parts else pd.Series(dtype=float)
    return total.reindex(names.to_numpy()).fillna(0.0)


def _internal_time(out: _Out, f: pd.DataFrame) -> pd.DataFrame:
    """internal_heavy's impact in client calls: the extra internal calls x the manager's mean
    internal call (internal talk / internal calls) / their mean client conversation
    (talk_s_mean) — the client conversations that time would have held (RULES)."""
    if f.empty:
        return f.assign(_impact=np.nan, _time_ru="", _time_en="")
    talk = _internal_talk(out, f[schema.EMPLOYEE]).to_numpy(dtype=float)
    calls = f["internal_calls"].to_numpy(dtype=float)
    client = f["talk_s_mean"].to_numpy(dtype=float) if "talk_s_mean" in f else np.full(len(f), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_call = np.where(calls > 0, talk / calls, np.nan)
        extra_s = f["_excess"].to_numpy(dtype=float) * per_call
        impact = np.where(client > 0, extra_s / client, np.nan)
    ru, en = [], []
    for s, i, c in zip(extra_s, impact, client):
        if np.isnan(i):
            ru.append(" (во сколько разговоров с клиентами это время, не посчитать: нет длительностей)")
            en.append(" (how many client conversations that time is cannot be told: no durations)")
            continue
        mins, conv = _labels._whole(s / 60, "ru"), _labels._whole(i, "ru")
        ru.append(f", ≈ {mins} мин — время ≈ {conv} разговоров с клиентами (по {_mmss(c)})")
        en.append(f", ≈ {_labels._whole(s / 60, 'en')} min — the time of ≈ "
                  f"{_labels._whole(i, 'en')} client conversations ({_mmss(c)} each)")
    return f.assign(_impact=impact, _time_ru=ru, _time_en=en)


def _mmss(seconds: float) -> str:
    s = int(round(float(seconds)))
    return f"{s // 60}:{s % 60:02d}"


def _repeat_rule(out: _Out, compare: pd.DataFrame, managers: pd.DataFrame, th: Thresholds) -> None:
    c = _peer_frame(compare, managers, "calls_per_number", th)
    if c.empty:
        return
    n = c["external_calls"].to_numpy(dtype=float)
    uniq = c["unique_numbers"].to_numpy(dtype=float)
    value, ref = c["value"].to_numpy(dtype=float), c["reference"].to_numpy(dtype=float)
    margin = np.maximum(PEER_K * c["spread"].to_numpy(dtype=float), REPEAT_ABOVE_PEERS)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_ref = np.where(ref > 0, 1.0 - 1.0 / ref, 0.0)
    fire = _beyond_chance((n >= MIN_CALLS) & (value - ref >= margin), _binom_sf, n - uniq, n, p_ref)
    f = c.loc[fire].assign(_n=n[fire], _numbers=uniq[fire].astype(np.int64),
                           _impact=n[fire] - ref[fire] * uniq[fire],
                           _sev=[_margin_sev(e, mg) for e, mg in zip((value - ref)[fire], margin[fire])])
    f = _emit(out, "repeat_dialing", f, numbers="_numbers")
    if out.calls is None or f.empty:
        return
    sel = out.counted["external"] & out.calls[schema.EMPLOYEE].isin(f[schema.EMPLOYEE]).fillna(False).to_numpy(dtype=bool)
    ev = out.calls.loc[sel, [schema.CALL_ID, schema.EMPLOYEE, schema.CLIENT_NUMBER, schema.START]]
    ev = ev.sort_values([schema.START, schema.CALL_ID], kind="stable")
    g = ev.groupby([ev[schema.EMPLOYEE].astype(str), ev[schema.CLIENT_NUMBER].astype(str)])
    k = g.cumcount() + 1
    of = g[schema.CALL_ID].transform("size")
    ru, en = _NOTES["repeat"]
    tmpl = ru if out.lang == "ru" else en
    notes = [tmpl.format(k=a, of=b) for a, b in zip(k, of)]
    ev = ev.assign(note=notes, **{schema.EMPLOYEE: ev[schema.EMPLOYEE].astype("string")})
    out.attach_frame(ev.merge(f[[schema.EMPLOYEE, "finding_id"]].astype({schema.EMPLOYEE: "string"}),
                              on=schema.EMPLOYEE))


#: absent_at_peak's words for the absence: (by calls, by the queue_log, both) per language
_ABSENT_WORDS = {"ru": ("нет звонков", "не на линии (вне очереди или на паузе)",
                        "нет на связи (по журналу очереди и по звонкам)"),
                 "en": ("no calls", "off the line (logged out of the queue or paused)",
                        "off the phone (by the queue_log and the calls)")}


def _presence_rule(out: _Out, compare: pd.DataFrame, managers: pd.DataFrame,
                   presence: pd.DataFrame, th: Thresholds) -> None:
    c = _peer_frame(compare, managers, "absent_share", th)
    if c.empty or presence.empty:
        return
    n = c["peak_slots"].to_numpy(dtype=float)
    value, ref = c["value"].to_numpy(dtype=float), c["reference"].to_numpy(dtype=float)
    k = c["absent_slots"].to_numpy(dtype=float)
    margin = np.maximum(PEER_K * c["spread"].to_numpy(dtype=float), ABSENT_ABOVE_PEERS)
    fire = _beyond_chance((n >= MIN_PEAK_SLOTS) & (value >= ABSENT_SHARE) & (value - ref >= margin),
                          _binom_sf, k, n, ref)
    f = c.loc[fire].copy()
    if f.empty:
        return
    p = presence.loc[(presence["department_incoming"] > 0).to_numpy()
                     & presence[schema.EMPLOYEE].isin(f[schema.EMPLOYEE]).to_numpy()]
    p = p.assign(**{schema.EMPLOYEE: p[schema.EMPLOYEE].astype("string")})
    hrs = p[[schema.EMPLOYEE, "hour"]].drop_duplicates().sort_values([schema.EMPLOYEE, "hour"])
    hours = (hrs["hour"].astype(str) + ":00").groupby(hrs[schema.EMPLOYEE]).agg(", ".join)
    emp = f[schema.EMPLOYEE].astype("string")
    # how absence was seen: by calls, by the queue_log's log-ins and pauses, or both
    src = (p["source"].astype("string").fillna("calls") if "source" in p
           else pd.Series("calls", index=p.index, dtype="string"))
    by_log = (src == "queue_log").groupby(p[schema.EMPLOYEE]).mean().reindex(emp).fillna(0.0).to_numpy()
    words = {key: np.select([by_log >= 1, by_log > 0], [_ABSENT_WORDS[key][1], _ABSENT_WORDS[key][2]],
                            _ABSENT_WORDS[key][0]) for key in ("ru", "en")}
    f = f.assign(_n=n[fire], _absent=k[fire].astype(np.int64),
                 _impact=(value - ref)[fire] * n[fire],
                 _sev=np.where(value[fire] >= 0.8, "high", "medium"),
                 _hours=hours.reindex(emp).fillna("").to_numpy(), _wru=words["ru"], _wen=words["en"])
    f = _emit(out, "absent_at_peak", f, absent="_absent", hours="_hours", absent_ru="_wru", absent_en="_wen")
    if out.calls is None:
        return
    # evidence: the department's incoming calls in the slots the manager was absent from
    a = p.loc[~p["present"].astype(bool) & p[schema.EMPLOYEE].isin(f[schema.EMPLOYEE]),
              [schema.DEPARTMENT, schema.EMPLOYEE, "date", "hour"]].assign(_src=src)
    a = a.merge(f[[schema.EMPLOYEE, "finding_id"]].astype({schema.EMPLOYEE: "string"}), on=schema.EMPLOYEE)
    inc = out.calls.loc[out.counted["incoming_answered"] | (
        (out.calls[schema.DIRECTION] == schema.INCOMING).fillna(False).to_numpy(dtype=bool)),
        [schema.CALL_ID, schema.DEPARTMENT, schema.START]]
    inc = inc.loc[inc[schema.DEPARTMENT].notna()]
    sf = slot_frame(inc[schema.START])
    inc = inc.assign(date=sf["date"].to_numpy(), hour=sf["hour"].to_numpy(),
                     **{schema.DEPARTMENT: inc[schema.DEPARTMENT].astype("string")})
    a = a.assign(date=pd.to_datetime(a["date"]).to_numpy().astype("datetime64[D]"),
                 hour=a["hour"].astype(np.int64),
                 **{schema.DEPARTMENT: a[schema.DEPARTMENT].astype("string")})
    ev = a.merge(inc.assign(date=inc["date"].to_numpy().astype("datetime64[D]")),
                 on=[schema.DEPARTMENT, "date", "hour"])
    i = 0 if out.lang == "ru" else 1
    tmpl = {"calls": _NOTES["absent"][i], "queue_log": _NOTES["absent_queue"][i]}
    ev["note"] = [tmpl.get(str(s), tmpl["calls"]).format(hour=int(h), employee=e)
                  for h, e, s in zip(ev["hour"], ev[schema.EMPLOYEE], ev["_src"])]
    ev = ev.drop(columns="_src")
    out.attach_frame(ev)


def _hours_missed(missed: pd.DataFrame | None) -> pd.DataFrame:
    """The missed calls inside working hours (missed.csv's ``in_hours``), with their local
    weekday and hour."""
    if missed is None or missed.empty:
        return pd.DataFrame(columns=[schema.CALL_ID, "weekday", "hour", "lost"])
    m = missed[missed["in_hours"].astype(bool)] if "in_hours" in missed else missed
    if schema.START not in m:
        return m.assign(weekday=-1, hour=-1)
    sf = slot_frame(m[schema.START])
    return m.assign(weekday=sf["weekday"].to_numpy(), hour=sf["hour"].to_numpy())


def _people_missed(m: pd.DataFrame) -> np.ndarray:
    """Which missed calls people explain: not dropped within seconds (short_ring_drops) and not
    at the line ceiling (line_limit) — those are the lines' doing, not a staffing matter."""
    keep = np.ones(len(m), dtype=bool)
    for col in ("short_ring", classify.AT_LINE_CEILING):
        if col in m:
            keep &= ~m[col].fillna(False).astype(bool).to_numpy()
    return keep


def _slot_causes(groups: pd.DataFrame | None) -> dict[tuple[int, int], str]:
    """(weekday, hour) -> ``people`` when an answering group is short of people then
    (groups.csv verdict), ``busy`` when Erlang C says every group had people enough."""
    if groups is None or groups.empty or "verdict" not in groups:
        return {}
    g = groups[groups["incoming"] > 0] if "incoming" in groups else groups
    short = g.groupby(["weekday", "hour"])["verdict"].agg(lambda v: bool((v == "people").any()))
    return {(int(w), int(h)): "people" if x else "busy" for (w, h), x in short.items()}


def _missed_peak_rule(out: _Out, traffic: pd.DataFrame, missed: pd.DataFrame | None,
                      groups: pd.DataFrame | None = None) -> None:
    t = traffic[traffic["incoming"] > 0].copy()
    m = _hours_missed(missed)
    timed = len(m) > 0 and (m["weekday"] >= 0).any()
    # the misses people explain: short drops and calls at the line ceiling are set aside
    if timed:
        m = m.assign(_people=_people_missed(m),
                     _lost=m["lost"].fillna(False).astype(bool).to_numpy() if "lost" in m else False)
        m = m.assign(_lost=m["_lost"] & m["_people"])
        by = m.groupby(["weekday", "hour"]).agg(_people=("_people", "sum"), _all=("_people", "size"),
                                               _lost=("_lost", "sum"))
        t = t.join(by, on=["weekday", "hour"])
        t[["_people", "_all", "_lost"]] = t[["_people", "_all", "_lost"]].fillna(0)
        t["_aside"] = (t["_all"] - t["_people"]).astype(np.int64)
        t["missed"] = (t["missed"] - t["_aside"]).clip(lower=0)
        t["missed_rate"] = t["missed"] / t["incoming"]
    total_in, total_missed = t["incoming"].sum(), t["missed"].sum()
    if not total_in:
        return
    overall = total_missed / total_in
    usual_lost = float(t["_lost"].sum()) / total_in if timed else np.nan
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
    causes = _slot_causes(groups)
    fired = []
    for _, r in sel.iterrows():
        wd, hr = int(r["weekday"]), int(r["hour"])
        slot_ru, slot_en = _slot_ru(wd, hr), _slot_en(wd, hr)
        fmt = dict(missed=int(r["missed"]), incoming=int(r["incoming"]), slot_ru=slot_ru, slot_en=slot_en,
                   lost_ru="", lost_en="", aside_ru="", aside_en="")
        impact = np.nan
        if timed:
            lost = int(r["_lost"])
            impact = max(0.0, lost - usual_lost * r["incoming"])
            fmt["lost_ru"] = (f"; потеряно {lost} {_labels.plural(lost, ('обращение', 'обращения', 'обращений'))}, "
                              f"сверх обычного — "
                              f"{_labels.impact_text('lost_excess', impact, 'ru').split(': ', 1)[1]}")
            fmt["lost_en"] = (f"; {lost} lost (no call-back, never reached), beyond the usual level "
                              f"{_labels.impact_text('lost_excess', impact, 'en').split(': ', 1)[1]}")
            if r["_aside"]:
                k = int(r["_aside"])
                fmt["aside_ru"] = (f" Ещё {k} {_labels.plural(k, ('пропущенный', 'пропущенных', 'пропущенных'))} — "
                                   "короткие сбросы или занятые линии.")
                fmt["aside_en"] = f" {k} more were short drops or busy lines (other findings)."
        ru, en = _PEAK_ACTION[causes.get((wd, hr), "")]
        fmt["act_ru"] = ru.format(slot_ru=slot_ru, value=r["missed_rate"])
        fmt["act_en"] = en.format(slot_en=slot_en, value=r["missed_rate"])
        fid = out.add("missed_peak", _sev(r["missed_rate"], 0.4), slot_label(wd, hr), "missed_rate",
                      r["missed_rate"], overall, n=int(r["incoming"]), impact=impact, **fmt)
        fired.append((wd, hr, fid))
    # evidence: the slot's calls missed by people inside working hours (the rate's numerator)
    if out.calls is not None and fired and len(m):
        f = pd.DataFrame(fired, columns=["weekday", "hour", "finding_id"])
        keep = m[m["_people"]] if timed else m
        out.attach_frame(keep.merge(f, on=["weekday", "hour"])[[schema.CALL_ID, "finding_id"]]
                         .assign(note=out.note("missed_slot")))


def _calls_ru(x: float) -> str:
    """``5 звонков``, ``4,5 звонка`` (one decimal only when there is one)."""
    r = round(x, 1)
    num = f"{r:g}".replace(".", ",")
    return f"{num} {_labels.plural(r, ('звонок', 'звонка', 'звонков'))}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slot_list(slots: pd.DataFrame, lang: str, limit: int = 6) -> str:
    """``Пн 10:00, Пн 11:00, Сб 11:00`` (the first ``limit``, then how many more)."""
    fmt = _slot_en if lang == "en" else _slot_ru
    names = [fmt(int(w), int(h)) for w, h in zip(slots["weekday"], slots["hour"])]
    more = len(names) - limit
    text = ", ".join(names[:limit])
    if more > 0:
        text += f" (+{more} more)" if lang == "en" else f" (и ещё {more})"
    return text


def _understaffed_rule(out: _Out, groups: pd.DataFrame, missed: pd.DataFrame | None) -> None:
    """One finding per answering group with hours short of people (groups.csv verdict
    ``people``, short by >= 1 whole agent, >= MIN_SLOT_INCOMING calls over the period)."""
    g = groups.assign(_short=groups["required_agents"] - groups["active_employees"])
    short = g["understaffed"].astype(bool) & (g["incoming"] >= MIN_SLOT_INCOMING) & (g["_short"] >= 1)
    if not short.any():
        return
    # the group's lost calls per hour (missed by people, not called back, never reached) and
    # its lost share in its other working hours: the expected losses of an hour
    m = _hours_missed(missed)
    key = "answering_group"
    timed = len(m) > 0 and key in m and "lost" in m and (m["weekday"] >= 0).any()
    if timed:
        lost = m.loc[m["lost"].fillna(False).astype(bool).to_numpy() & _people_missed(m)]
        per = lost.groupby([lost[key].astype(str), "weekday", "hour"]).size().rename("_lost")
        g = g.join(per, on=["group", "weekday", "hour"])
        g["_lost"] = g["_lost"].fillna(0)
    else:
        g["_lost"] = np.nan
    tot = g.groupby("group")[["incoming", "_lost"]].sum(min_count=1)
    sg = g[short].groupby("group")[["incoming", "_lost"]].sum(min_count=1)
    rest = (tot - sg.reindex(tot.index, fill_value=0))
    rate = (rest["_lost"] / rest["incoming"].where(rest["incoming"] > 0)).fillna(0.0)
    fired = []
    for grp, rows in g[short].groupby("group", sort=True):
        rows = rows.sort_values(["weekday", "hour"], kind="stable")
        worst = rows.sort_values(["_short", "calls_per_hour"], ascending=False, kind="stable").iloc[0]
        excess = (rows["_lost"] - rows["incoming"] * rate[grp]).clip(lower=0).sum() if timed else np.nan
        fid = out.add("understaffed", _sev(float(rows["_short"].max()), 2), str(grp),
                      "required_agents", worst["required_agents"], worst["active_employees"],
                      n=int(rows["incoming"].sum()), impact=float(excess),
                      cph=worst["calls_per_hour"], cph_ru=_calls_ru(float(worst["calls_per_hour"])),
                      short=float(np.ceil(worst["_short"])),
                      missed=int(rows["missed"].sum()), slots_ru=_slot_list(rows, "ru"),
                      slots_en=_slot_list(rows, "en"))
        fired.append(rows[["weekday", "hour"]].assign(group=str(grp), finding_id=fid))
    if out.calls is not None and fired and len(m) and key in m:
        f = pd.concat(fired, ignore_index=True)
        m = m.assign(group=m[key].astype(str))
        out.attach_frame(m.merge(f, on=["group", "weekday", "hour"])[[schema.CALL_ID, "finding_id"]]
                         .assign(note=out.note("understaffed")))


def _missed_rule(out: _Out, missed: pd.DataFrame, th: Thresholds) -> None:
    m = _hours_missed(missed)
    m = m[m[schema.CLIENT_NUMBER].notna()] if schema.CLIENT_NUMBER in m else m.iloc[0:0]
    if m.empty:
        return
    key = "answering_group" if "answering_group" in m else schema.DEPARTMENT
    m = m.assign(_g=m[key].astype("string").fillna(NO_DEPARTMENT), _lost=m["lost"].astype(bool))
    agg = m.groupby("_g", sort=True)["_lost"].agg(["size", "sum"])
    fired = agg[(agg["size"] >= MIN_MISSED) & (agg["sum"] / agg["size"] >= LOST_SHARE)]
    ids = {}
    for d, r in fired.iterrows():          # one add() per finding (each has its own text)
        n, lost = int(r["size"]), int(r["sum"])
        # a group names itself; the calls that rang no group (the main number, the menu) need
        # an owner named by the action
        nobody = str(d).startswith("(")
        who = dict(who_ru="Звонки, не попавшие ни в одну группу (общий номер, меню)" if nobody else str(d),
                   who_en="Calls that rang no group (the main number, the menu)" if nobody else str(d),
                   owner_ru=("Назначить ответственного за звонки, не попавшие ни в одну группу, и"
                             if nobody else f"В «{d}»"),
                   owner_en="Name an owner for the calls that rang no group, and ask them" if nobody else
                   f"Ask {d}")
        ids[d] = out.add("missed_no_callback", _sev(lost / n, 0.4), str(d), "lost_share",
                         lost / n, LOST_SHARE, n=n, impact=lost, lost=lost,
                         window=float(th.callback_window_h), **who)
    if out.calls is not None and ids:
        ev = m.loc[m["_lost"] & m["_g"].isin(list(ids)), [schema.CALL_ID, "_g"]]
        out.attach_frame(ev.assign(finding_id=ev["_g"].map(ids), note=out.note("lost"))
                         .drop(columns="_g"))


def flow_threshold(n: int) -> float:
    """The top share at which ``flow_concentration`` fires for ``n`` counted managers:
    min(2/n, 0.8) — 0.8 for 2 managers, 2/3 for 3, 0.5 for 4, 0.4 for 5."""
    return min(FLOW_SHARE_X / n, FLOW_SHARE_CAP) if n > 0 else float("inf")


def _flow_rule(out: _Out, summary: pd.DataFrame) -> None:
    fired = []
    s = summary[(summary["managers"] >= 2) & (summary["incoming_answered"] >= MIN_FLOW_CALLS)]
    for _, r in s.iterrows():
        n = int(r["managers"])
        top = float(r["top_share"])
        if not (top >= flow_threshold(n) and float(r["hhi_norm"]) >= FLOW_HHI_NORM):
            continue
        dep = r["department"]
        sev = _sev(top, min(FLOW_HIGH_X / n, 0.9))
        fid = out.add("flow_concentration", sev, NO_DEPARTMENT if pd.isna(dep) else str(dep),
                      "incoming_share", top, float(r["even_share"]),
                      n=int(r["incoming_answered"]), employee=str(r["top_employee"]),
                      calls=int(r["top_incoming"]), total=int(r["incoming_answered"]), managers=n,
                      clients=float(np.nan_to_num(r["top_clients_share"])), hhi=float(r["hhi"]),
                      eff=float(r["effective_managers"]))
        fired.append({schema.EMPLOYEE: str(r["top_employee"]), "finding_id": fid})
    # evidence: the top manager's answered incoming calls (the numerator of the top share)
    _attach_by_employee(out, pd.DataFrame(fired, columns=[schema.EMPLOYEE, "finding_id"]),
                        "incoming_answered")


def _is_limit(r: pd.Series) -> bool:
    """The tech table's line_limit row says the ceiling is a channel limit
    (:func:`callkit.metrics.tech.line_ceiling`; a hand-made row: its conditions)."""
    if str(r.get("detail", "")).endswith("limit"):
        return True
    return bool(r["value"] >= 2 and r["count"] >= LINE_LIMIT_DAYS
                and r["reference"] >= LINE_LIMIT_BLOCKED)


def _tech_rules(out: _Out, tech: pd.DataFrame, missed: pd.DataFrame | None,
                groups: pd.DataFrame | None) -> None:
    alls = tech[(tech["signal"] == "short_ring_drops") & (tech["subject"] == "all")]
    overall_short = float(alls["value"].iloc[0]) if len(alls) else 0.0
    m = _hours_missed(missed)
    drops = m[m["short_ring"].astype(bool)] if "short_ring" in m else None
    calls = out.calls
    for _, r in tech.iterrows():
        sig = r["signal"]
        if sig == "short_ring_drops":
            slot = str(r["detail"]).startswith("slot")
            enough = r["count"] >= MIN_SLOT_SHORT if slot else r["reference"] >= MIN_UNANSWERED
            need = max(0.5, 2 * overall_short) if slot else SHORT_RING_SHARE
            if not (enough and r["value"] >= need):
                continue
            wd, hr = (int(x) for x in str(r["subject"]).split()) if slot else (None, None)
            mine = None
            if drops is not None:
                mine = drops[(drops["weekday"] == wd) & (drops["hour"] == hr)] if slot else \
                    drops if r["subject"] == "all" else \
                    drops[(drops[schema.LINE].astype("string") == str(r["subject"])).fillna(False)]
            # lost leads only where the missed table says which drops were lost
            lost = int(mine["lost"].astype(bool).sum()) if mine is not None and "lost" in mine else np.nan
            subj_ru = _slot_ru(wd, hr) if slot else str(r["subject"])
            subj_en = _slot_en(wd, hr) if slot else str(r["subject"])
            fid = out.add("short_ring_drops", "medium", str(r["subject"]), "short_ring_share",
                          r["value"], r["reference"], n=r["reference"], impact=lost,
                          count=int(r["count"]), where_ru=subj_ru, where_en=subj_en)
            if calls is not None and mine is not None:
                out.attach(fid, mine[schema.CALL_ID], out.note("short_ring"))
        elif sig == "line_limit" and _is_limit(r):
            lines = groups[groups["verdict"] == "lines"] if groups is not None and \
                "verdict" in groups else pd.DataFrame(columns=["weekday", "hour"])
            slots = lines.drop_duplicates(["weekday", "hour"]).sort_values(["weekday", "hour"])
            # clients who hit busy lines: the missed incoming calls at the ceiling (any hour);
            # the cost: those of them lost (not called back in time, never reached)
            if missed is not None and "at_line_ceiling" in missed:
                hit = missed["at_line_ceiling"].fillna(False).astype(bool)
                incoming = int(hit.sum())
                lost = int((hit & missed["lost"].fillna(False).astype(bool)).sum()) if "lost" in missed else np.nan
            else:
                incoming, lost = int(r["reference"]), np.nan
            # nobody lost: say so (the clients waited, the lines still cost calls)
            none_lost = lost == 0 and incoming > 0
            cost_ru = ("Всем, кто попал на занято, перезвонили или они дозвонились сами: обращения "
                       "не потеряны, но клиенты ждали." if none_lost else "" if lost != lost else
                       _cap(_labels.impact_text("lost", lost, "ru")) + ".")
            cost_en = ("Everyone who hit busy lines was called back or got through later: no "
                       "enquiry lost, but clients waited." if none_lost else "" if lost != lost else
                       _cap(_labels.impact_text("lost", lost, "en")) + ".")
            fid = out.add("line_limit", "high", str(r["subject"]), "max_concurrent", r["value"],
                          r["reference"], n=r["count"], impact=lost, days=int(r["count"]),
                          incoming=incoming, cost_ru=cost_ru, cost_en=cost_en,
                          where_ru=(f" Пропуски в {_slot_list(slots, 'ru')} объясняются линиями."
                                    if len(slots) else ""),
                          where_en=(f" The misses at {_slot_list(slots, 'en')} are the lines' doing."
                                    if len(slots) else ""))
            if calls is not None and classify.AT_LINE_CEILING in calls:
                un = masks(calls)["unanswered"]
                out.attach(fid, calls.loc[calls[classify.AT_LINE_CEILING].astype(bool).to_numpy()
                                          & un, schema.CALL_ID], out.note("ceiling"))
        elif sig == "failed_burst":
            window = str(r["detail"]).split(" ")[0]
            ids, lost = None, np.nan
            if calls is not None:
                ids = _burst_calls(calls, str(r["subject"]), int(window))
                lost_ids = set(missed.loc[missed["lost"].astype(bool), schema.CALL_ID].astype(str)) \
                    if missed is not None and len(missed) else set()
                lost = int(ids.astype(str).isin(lost_ids).sum())
            fid = out.add("failed_burst", "medium", str(r["subject"]), "failed", r["value"],
                          r["reference"], n=r["reference"], impact=lost, window=window)
            if ids is not None:
                out.attach(fid, ids, out.note("failed"))


def _burst_calls(calls: pd.DataFrame, subject: str, window_min: int) -> pd.Series:
    """The failed external calls of a :func:`tech_signals` burst window (not at the ceiling)."""
    m = masks(calls)
    failed = m["external"] & (calls[schema.STATUS] == schema.FAILED).fillna(False).to_numpy(dtype=bool)
    if classify.AT_LINE_CEILING in calls:
        failed &= ~calls[classify.AT_LINE_CEILING].astype(bool).to_numpy()
    w0 = pd.Timestamp(subject)
    naive = calls[schema.START].dt.tz_localize(None)
    inwin = ((naive >= w0) & (naive < w0 + pd.Timedelta(minutes=window_min))).to_numpy(dtype=bool)
    return calls.loc[failed & inwin, schema.CALL_ID]


def evaluate(*, managers: pd.DataFrame | None = None, compare: pd.DataFrame | None = None,
             traffic: pd.DataFrame | None = None, presence: pd.DataFrame | None = None,
             missed: pd.DataFrame | None = None, staffing: pd.DataFrame | None = None,
             tech: pd.DataFrame | None = None, groups: pd.DataFrame | None = None,
             concentration: pd.DataFrame | None = None,
             calls: pd.DataFrame | None = None, thresholds: Thresholds | None = None,
             economics: Economics | None = None, lang: str = "ru") -> Verdicts:
    """Apply every rule of :data:`RULES` to the audit tables it needs.

    Parameters
    ----------
    managers : DataFrame, optional
        managers.csv: :func:`callkit.metrics.manager_summary`, ideally through
        :func:`callkit.metrics.peers.peer_inputs` (roles and presence at peaks); without
        ``role`` the roles are inferred here, and ``absent_share`` is taken from ``presence``.
    compare : DataFrame, optional
        compare.csv (:func:`callkit.metrics.compare_managers` of ``managers``): the employee
        rules quote its ``reference``. Computed here from ``managers`` when missing or without
        the peer columns.
    traffic, presence, missed, staffing, tech, groups : DataFrame, optional
        The tables of :mod:`callkit.metrics` (a missing table silences its rules): ``traffic``
        and ``missed`` inside working hours (missed.csv's ``in_hours``), ``groups`` =
        :func:`callkit.metrics.group_staffing` for ``understaffed`` and the hours of
        ``line_limit``; ``staffing`` (the company's sum of the groups) is accepted and not used
        by any rule.
    concentration : DataFrame, optional
        :func:`callkit.metrics.concentration_summary` (one row per department) for
        ``flow_concentration``; its subject is the department, the text names the manager.
    calls : DataFrame, optional
        The classified call table (:func:`callkit.classify.add_client_flags`); its in-period
        rows are the evidence. Without it the findings have no evidence (``evidence_n`` 0).
    thresholds : Thresholds, optional
        The profile's thresholds (manager_gap, min_active_days, callback_window_h).
    economics : Economics, optional
        The profile's ``economics``: fills ``impact_rub``.
    lang : {"ru", "en"}
        Language of ``text``, ``action`` and the evidence notes.

    Returns
    -------
    Verdicts
        ``findings`` (:data:`FINDING_COLUMNS`, sorted by impact) and ``evidence``
        (:data:`EVIDENCE_COLUMNS`, in the findings' order, by start time).

    Examples
    --------
    A hunter who makes 2 external calls per day over 20 days while his three colleagues of the
    same role make 5, 5 and 6 (median 5, spread 0.5) is 60 % below: ``manager_gap``, high,
    value 2, reference 5, n 20, impact_calls (5 − 2) × 20 = 60.
    """
    from callkit.metrics.compare import compare_managers
    from callkit.metrics.peers import peer_inputs

    th = thresholds or Thresholds()
    out = _Out(lang, calls)
    if managers is not None and not managers.empty:
        if "role" not in managers or (presence is not None and "absent_share" not in managers):
            managers = peer_inputs(managers, presence=presence, min_active_days=th.min_active_days)
        if compare is None or "reference" not in compare:
            compare = compare_managers(managers, threshold=th.manager_gap,
                                       min_active_days=th.min_active_days)
        _gap_rule(out, compare, managers, th)
        _mobile_rule(out, compare, managers, th)
        _internal_rule(out, compare, managers, th)
        _repeat_rule(out, compare, managers, th)
        if presence is not None and "absent_share" in managers:
            _presence_rule(out, compare, managers, presence, th)
    if traffic is not None and not traffic.empty:
        _missed_peak_rule(out, traffic, missed, groups)
    if groups is not None and not groups.empty:
        _understaffed_rule(out, groups, missed)
    if missed is not None and not missed.empty:
        _missed_rule(out, missed, th)
    if tech is not None and not tech.empty:
        _tech_rules(out, tech, missed, groups)
    if concentration is not None and not concentration.empty:
        _flow_rule(out, concentration)
    return out.verdicts(economics)


def build_findings(**tables: object) -> pd.DataFrame:
    """The findings of :func:`evaluate` (same keyword arguments) without the evidence."""
    return evaluate(**tables).findings  # type: ignore[arg-type]
