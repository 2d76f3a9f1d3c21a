"""The synthetic company: staff, numbers, schedules and the day-by-day call simulation.

Everything here is fictional. Phone numbers come from unallocated ranges only: mobiles
``+7 972…976`` with a subscriber part starting with 0, landlines ``+7 495 0xx-xx-xx``, toll-free
``+7 800 0xx-xx-xx`` and Kazakhstan-style ``+7 700 0xx-xx-xx``.

The simulation produces *legs* exactly as an Asterisk ``cdr_csv`` would log them (one row per
channel pair) and, alongside, the ground-truth *session* of each customer call. Writers for other
export formats (``_writers.py``) derive their rows from these two tables.
"""
from __future__ import annotations

import datetime as dt
import heapq
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

__all__ = ["Agent", "STAFF", "AKVA_STAFF", "CompanySpec", "COMPANIES", "DEPARTMENTS",
           "OWN_NUMBERS", "MAIN_NUMBER", "QUEUES", "simulate", "SimResult", "HOUR_WEIGHTS",
           "MEETING", "PEAK_HOURS", "MISSED_PEAK_HOUR", "UNDERSTAFFED_SLOT", "SHORT_DROP_SLOT",
           "MONDAY_RUSH"]

B2B, B2C, SERVICE = "Продажи B2B", "Продажи B2C", "Сервис"
DEPARTMENTS: tuple[str, ...] = (B2B, B2C, SERVICE)

MAIN_NUMBER = "+74950001000"                     # caller ID of outgoing calls
OWN_NUMBERS: dict[str, str] = {B2B: "+74950001100", B2C: "+74950001200", SERVICE: "+74950001300"}
QUEUES: dict[str, str] = {B2B: "600", B2C: "601", SERVICE: "602"}
TRUNK_IN, TRUNK_OUT = "trunk_mango", "trunk_rt"

# incoming intensity by local hour on a working day (peaks 10–12 and 15–16)
HOUR_WEIGHTS: dict[int, float] = {9: 0.6, 10: 1.8, 11: 1.7, 12: 0.9, 13: 0.7, 14: 0.9, 15: 1.5,
                                  16: 0.8, 17: 0.6}
PEAK_HOURS: tuple[int, ...] = (10, 11, 15)        # the top-3 hours of every department
MEETING = (dt.time(10, 0), dt.time(10, 50))      # sales planning meeting: the queue rings, nobody picks up
MISSED_PEAK_HOUR = 10
UNDERSTAFFED_SLOT = (5, 11)                        # Saturday 11:00: one duty agent, a rush of calls
SHORT_DROP_SLOT = (2, 16)                          # Wednesday 16:00: the provider drops calls in 1–4 s
SATURDAY_SERVICE = {10: 2.0, 11: 10.0, 12: 2.0, 13: 1.0}
#: the company's working hours as the profile writes them (DESIGN §4): Mon–Fri 09–18, and the
#: Service duty on Saturdays 10–14 (the announcement answers at any other time)
WORKING_HOURS: dict = {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "18:00",
                       "by_day": {"sat": {"from": "10:00", "to": "14:00"}}}
WEEKDAY_FACTOR = {0: 1.15, 1: 1.0, 2: 1.0, 3: 1.0, 4: 0.9}
DAILY_INCOMING = {B2B: 14.0, B2C: 16.0, SERVICE: 12.0}
CALLBACK_PLAN = {B2B: (0.80, 0.08), B2C: (0.20, 0.10), SERVICE: (0.82, 0.08)}  # (≤24 h, later); rest never


@dataclass
class Agent:
    """One employee and the behaviour planted on them (rates are per working day at scale 1)."""

    ext: str
    name: str
    dept: str
    role: str
    hire: dt.date
    out_new: float = 3.0          # outgoing calls to new numbers (incl. follow-ups)
    out_known: float = 4.0        # outgoing calls to known clients
    internal: float = 0.7         # internal calls placed
    in_weight: float = 1.0        # share of queue calls (fewest-calls balancing)
    mobile: float = 0.5           # share of mobiles among the numbers they call
    callbacks: bool = True        # does callbacks after missed calls
    tech: str = "SIP"
    local_member: bool = False    # rings through a Local/ channel pair (follow-me)
    priority: bool = False        # rung first by the queue whenever free (member penalty 0, others 1)
    lunch: int | None = None      # Mon–Fri 09–18 with lunch at this hour (None: the schedule of STAFF)
    meetings: bool = True         # takes part in the 10:00 sales planning meeting (sales departments)
    redial: float = 0.0           # share of known-client calls that go to a number already called

    @property
    def peer(self) -> str:
        return f"{self.tech}/{self.ext}"


STAFF: tuple[Agent, ...] = (
    Agent("101", "Орлова Анна", B2B, "control", dt.date(2022, 3, 14)),
    Agent("102", "Смирнов Павел", B2B, "control", dt.date(2023, 9, 4), local_member=True),
    # the inbound lead: the queue gives him 2.5 x the calls, he calls out little (35 incoming vs
    # 11 outgoing at the demo's scale) -- an inbound role, not to be accused of few new-client
    # calls (issue 9; until generator version 2 he was planted as an "avoider")
    Agent("103", "Кузнецов Дмитрий", B2B, "inbound_lead", dt.date(2021, 6, 1), out_new=0.0,
          out_known=1.0, internal=0.2, in_weight=2.5, callbacks=False),
    Agent("104", "Белова Марина", B2B, "mobile_heavy", dt.date(2024, 2, 19), out_new=0.3,
          out_known=6.7, mobile=0.95, callbacks=False),
    Agent("105", "Григорьев Олег", B2B, "repeat_dialer", dt.date(2022, 11, 7), out_new=0.0,
          out_known=8.0, in_weight=0.2, callbacks=False),
    Agent("106", "Новиков Илья", B2B, "new_hire", dt.date(2026, 10, 29), out_new=1.0, out_known=2.0,
          internal=0.0, in_weight=0.0, mobile=0.0, callbacks=False),
    # the B2C "star": the queue rings her first, so she takes most incoming answered calls
    # (flow_concentration); she prospects little, and the others work the known base instead,
    # so external calls per day stay level across the department (no manager_gap on controls)
    Agent("201", "Соколова Елена", B2C, "star", dt.date(2020, 5, 18), out_new=1.5,
          out_known=0.0, tech="PJSIP", priority=True),
    Agent("202", "Морозов Артём", B2C, "control", dt.date(2024, 8, 26), out_known=6.0,
          tech="PJSIP"),
    Agent("203", "Зайцева Ольга", B2C, "internal_heavy", dt.date(2023, 1, 16), out_known=6.0,
          internal=12.0, tech="PJSIP", callbacks=False),
    Agent("204", "Павлов Игорь", B2C, "absent_at_peak", dt.date(2022, 7, 11), out_new=3.0,
          out_known=6.0, in_weight=1.3, tech="PJSIP", callbacks=False),
    Agent("301", "Лебедева Светлана", SERVICE, "control", dt.date(2019, 10, 1), out_new=3.0,
          out_known=3.0, tech="PJSIP"),
    Agent("302", "Фёдоров Максим", SERVICE, "control", dt.date(2021, 2, 15), out_new=3.0,
          out_known=3.0, tech="PJSIP"),
)


#: The second sample company (``generate(company="akva")``, issue 9 item 9): fair comparisons.
#: No sales meeting, no Saturday duty, no short drops, no line limit; instead
#: - 115 makes ~30 % internal calls while her B2B colleagues make 6–9 % (below the old 35 %);
#: - 214 calls known clients 2.4 times per number while his B2C colleagues call 1.1–1.4 times;
#: - 116 is a hunter who calls little (an avoider); 117 is an inbound manager (the queue gives
#:   her 2.5 x the calls; she calls out little) who must not be accused;
#: - Сервис (three agents, ring-all) gets a rush of calls on Monday 10–12 that three people
#:   cannot carry (Erlang C per answering group says four or more), while the whole company on
#:   the phone at that time (the sales staff cannot take the service line) would hide it.
AKVA_STAFF: tuple[Agent, ...] = (
    Agent("111", "Андреева Ксения", B2B, "control", dt.date(2021, 4, 5), internal=0.2, lunch=13,
          meetings=False),
    Agent("112", "Борисов Глеб", B2B, "control", dt.date(2022, 8, 22), internal=0.2, lunch=14,
          meetings=False),
    Agent("113", "Васильева Дарья", B2B, "control", dt.date(2020, 1, 13), internal=0.2, lunch=13,
          meetings=False),
    Agent("114", "Галкин Роман", B2B, "control", dt.date(2023, 3, 6), internal=0.2, lunch=14,
          meetings=False),
    Agent("115", "Денисова Вера", B2B, "internal_relative", dt.date(2022, 5, 16), internal=3.3,
          lunch=13, meetings=False),
    Agent("116", "Ершов Кирилл", B2B, "avoider", dt.date(2021, 9, 27), out_new=0.6, out_known=1.2,
          internal=0.3, in_weight=0.15, callbacks=False, lunch=14, meetings=False),
    Agent("117", "Сидорова Анна", B2B, "inbound", dt.date(2019, 11, 11), out_new=0.0,
          out_known=0.8, internal=0.45, in_weight=2.5, lunch=12, meetings=False),
    Agent("211", "Жукова Полина", B2C, "control", dt.date(2022, 2, 7), out_known=6.0, internal=0.5,
          tech="PJSIP", lunch=13, meetings=False),
    Agent("212", "Зимин Тимур", B2C, "control", dt.date(2023, 6, 19), out_known=6.0, internal=0.5,
          tech="PJSIP", lunch=14, meetings=False),
    Agent("213", "Ильина Софья", B2C, "control", dt.date(2021, 10, 4), out_known=6.0, internal=0.5,
          tech="PJSIP", lunch=13, meetings=False),
    Agent("214", "Карпов Лев", B2C, "repeat_relative", dt.date(2020, 7, 20), out_new=0.5,
          out_known=8.5, internal=0.5, in_weight=0.35, redial=0.78, tech="PJSIP", lunch=14,
          meetings=False),
    Agent("311", "Лаптева Нина", SERVICE, "control", dt.date(2019, 3, 4), out_new=0.0,
          out_known=2.0, internal=0.5, tech="PJSIP", lunch=12, meetings=False),
    Agent("312", "Макаров Степан", SERVICE, "control", dt.date(2021, 12, 13), out_new=0.0,
          out_known=2.0, internal=0.5, tech="PJSIP", lunch=13, meetings=False),
    Agent("313", "Никитина Алла", SERVICE, "control", dt.date(2024, 4, 1), out_new=0.0,
          out_known=2.0, internal=0.5, tech="PJSIP", lunch=14, meetings=False),
)
MONDAY_RUSH = {10: 30.0, 11: 30.0}     # extra Сервис calls per Monday hour at scale 1 (akva)


@dataclass(frozen=True)
class CompanySpec:
    """What differs between the sample companies (the departments, lines and queues are the
    same, so every export writer serves both)."""

    key: str
    client: str
    slug: str
    staff: tuple[Agent, ...]
    daily_incoming: dict[str, float]
    callback_plan: dict[str, tuple[float, float]]
    saturday_service: dict[int, float]
    short_drops: bool = True
    line_limit: bool = True
    service_talk: float = 200.0
    monday_rush: dict[int, float] | None = None


COMPANIES: dict[str, CompanySpec] = {
    "filtr": CompanySpec("filtr", "ООО «Фильтр-Сервис»", "filtr-servis", STAFF, DAILY_INCOMING,
                         CALLBACK_PLAN, SATURDAY_SERVICE),
    "akva": CompanySpec("akva", "ООО «Аква-Техника»", "akva-tehnika", AKVA_STAFF,
                        {B2B: 14.0, B2C: 14.0, SERVICE: 12.0},
                        {B2B: (0.80, 0.08), B2C: (0.80, 0.08), SERVICE: (0.85, 0.08)}, {},
                        short_drops=False, line_limit=False, service_talk=330.0,
                        monday_rush=MONDAY_RUSH),
}


# ------------------------------------------------------------------------------------------------
# schedules


def _at(day: dt.date, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m)


def windows(agent: Agent, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals the agent is at the desk on ``day`` (local time); empty = day off."""
    if day < agent.hire:
        return []
    wd = day.weekday()
    if agent.lunch is not None:                # Mon–Fri 09–18 with a lunch hour
        if wd >= 5:
            return []
        return [(_at(day, 9), _at(day, agent.lunch)), (_at(day, agent.lunch + 1), _at(day, 18))]
    if agent.ext == "301":                     # Tue–Sat; Saturday duty 10–14
        if wd == 5:
            return [(_at(day, 10), _at(day, 14))]
        if wd in (0, 6):
            return []
        return [(_at(day, 9), _at(day, 13)), (_at(day, 14), _at(day, 18))]
    if wd >= 5:
        return []
    if agent.ext == "302":                     # lunch 14–15, so Service always has someone
        return [(_at(day, 9), _at(day, 14)), (_at(day, 15), _at(day, 18))]
    if agent.role == "absent_at_peak":         # breaks exactly at the department's peaks
        return [(_at(day, 9), _at(day, 10)), (_at(day, 12), _at(day, 15)), (_at(day, 16), _at(day, 18))]
    duty = agent.ext == ("101" if day.toordinal() % 2 == 0 else "102")
    if duty:                                   # lunch-hour duty in B2B, lunch 14–15 instead
        return [(_at(day, 9), _at(day, 14)), (_at(day, 15), _at(day, 18))]
    return [(_at(day, 9), _at(day, 13)), (_at(day, 14), _at(day, 18))]


def present(agent: Agent, t: dt.datetime, wins: list[tuple[dt.datetime, dt.datetime]]) -> bool:
    return any(a <= t < b for a, b in wins)


def in_meeting(agent: Agent, t: dt.datetime) -> bool:
    return (agent.dept != SERVICE and agent.meetings and t.weekday() < 5
            and MEETING[0] <= t.time() < MEETING[1])


def _minus_meeting(agent: Agent, wins, day):
    if agent.dept == SERVICE or not agent.meetings or day.weekday() >= 5:
        return wins
    m0, m1 = dt.datetime.combine(day, MEETING[0]), dt.datetime.combine(day, MEETING[1])
    out = []
    for a, b in wins:
        if b <= m0 or a >= m1:
            out.append((a, b))
            continue
        if a < m0:
            out.append((a, m0))
        if b > m1:
            out.append((m1, b))
    return out


def _uniform_in(rng: np.random.Generator, wins) -> dt.datetime:
    total = sum((b - a).total_seconds() for a, b in wins)
    x = rng.uniform(0, total)
    for a, b in wins:
        span = (b - a).total_seconds()
        if x < span:
            return a + dt.timedelta(seconds=int(x))
        x -= span
    return wins[-1][0]


def _clip(wins, lo: dt.datetime, hi: dt.datetime):
    out = [(max(a, lo), min(b, hi)) for a, b in wins]
    return [(a, b) for a, b in out if b > a]


# ------------------------------------------------------------------------------------------------
# numbers


class Numbers:
    """Draws unique synthetic numbers from unallocated ranges."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set(OWN_NUMBERS.values()) | {MAIN_NUMBER}

    def draw(self, kind: str) -> str:
        while True:
            sub = int(self.rng.integers(100000, 1000000))  # 6 digits, never 00xxxx (own numbers)
            if kind == "mobile":
                n = f"+79{int(self.rng.integers(72, 77))}0{sub:06d}"
            elif kind == "landline":
                n = f"+74950{sub:06d}"
            elif kind == "toll_free":
                n = f"+78000{sub:06d}"
            elif kind == "foreign":
                n = f"+77000{sub:06d}"
            else:
                raise ValueError(kind)
            if n not in self.used:
                self.used.add(n)
                return n


def number_type(n: str) -> str:
    if n.startswith("+79"):
        return "mobile"
    if n.startswith("+7800"):
        return "toll_free"
    if n.startswith("+77"):
        return "foreign"
    return "landline"


def national(n: str) -> str:
    """``+79720123456`` → ``89720123456`` (how Russian PBXs log caller IDs)."""
    return "8" + n[2:]


# ------------------------------------------------------------------------------------------------
# the simulation


@dataclass
class SimResult:
    legs: list[dict]
    sessions: list[dict]
    clients: list[dict]
    repeat_pool: list[str]
    line_limit: int | None
    scale: float


class _Acc:
    """Deterministic low-variance counts: carries the fraction over from one draw to the next."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.state: dict[object, float] = {}

    def take(self, key: object, rate: float) -> int:
        s = self.state.get(key)
        if s is None:
            s = float(self.rng.uniform(0, 1))
        s += rate
        n = int(math.floor(s))
        self.state[key] = s - n
        return n


class _Sim:
    def __init__(self, *, seed: int, scale: float, first: dt.date, period: tuple[dt.date, dt.date],
                 tz: str, line_limit: int | None, spec: CompanySpec | None = None):
        self.rng = np.random.default_rng([seed, 1])
        self.plan_rng = np.random.default_rng([seed, 2])
        self.num_rng = np.random.default_rng([seed, 3])
        self.scale = scale
        self.first, self.period = first, period
        self.zone = ZoneInfo(tz)
        self.line_limit = line_limit
        self.spec = spec or COMPANIES["filtr"]
        self.staff = self.spec.staff
        self.agents = {a.ext: a for a in self.staff}
        self.busy: dict[str, dt.datetime] = {a.ext: dt.datetime.min for a in self.staff}
        self.answered_today: dict[str, int] = {a.ext: 0 for a in self.staff}
        self.dialed: dict[tuple[str, bool], list[str]] = {}   # redialling agents' numbers (period?)
        self.wins: dict[str, list] = {}
        self.active: list[tuple[dt.datetime, dt.datetime]] = []   # (end, start) of live sessions
        self.legs: list[dict] = []
        self.sessions: list[dict] = []
        self.chan = 0x1a
        self.uniq = 100
        self.seq = 0
        self.heap: list = []
        self.hseq = 0
        self.rr: dict[str, int] = {}
        self.no_call: set[str] = set()
        self.followups: dict[tuple[str, bool], list[str]] = {}   # per agent, history vs period
        self._make_clients()

    # --- clients ----------------------------------------------------------------------------
    def _make_clients(self) -> None:
        nums = Numbers(self.num_rng)
        self.nums = nums
        rng = self.num_rng
        prefixes = ["ООО", "АО", "ИП", "ООО ТД", "ООО ПК"]
        words = ["Вектор", "Альфа-Строй", "Северный ветер", "Техноресурс", "Гранит", "Медведь",
                 "Полимер", "Светлый путь", "Каскад", "Орбита", "Берёзка", "Меридиан", "Восход",
                 "Прогресс", "Ладья", "Сфера", "Кедр", "Импульс", "Атлант", "Радуга"]
        first = ["Алексей", "Мария", "Сергей", "Татьяна", "Николай", "Юлия", "Виктор", "Ирина",
                 "Андрей", "Екатерина", "Роман", "Наталья"]
        last = ["Ветров", "Камышев", "Луговой", "Озёров", "Полянский", "Речной", "Садовый",
                "Туманов", "Холмогоров", "Ясенев"]
        self.clients: list[dict] = []
        self.pool: dict[str, list[str]] = {B2B: [], B2C: [], SERVICE: []}
        size = int(260 * max(1.0, self.scale / 0.49))     # the client base grows with the traffic
        for dept, n, mob in ((B2B, size, 0.4), (B2C, size, 0.6)):
            for i in range(n):
                kind = "mobile" if rng.uniform() < mob else "landline"
                if dept == B2B and i % 60 == 0:
                    kind = "foreign"
                num = nums.draw(kind)
                self.pool[dept].append(num)
                if rng.uniform() < 0.6:       # 60 % are in the CRM list; the rest are known from history
                    if dept == B2B:
                        name = f"{prefixes[i % 5]} «{words[(i // 5) % 20]}{'' if i < 100 else ' ' + str(i)}»"
                    else:
                        name = f"{last[i % 10]}{'а' if i % 2 else ''} {first[(i // 10) % 12]}"
                    self.clients.append({"number": num, "name": name, "segment": dept})
        self.pool[SERVICE] = self.pool[B2B][::2] + self.pool[B2C][::2]
        self.crm = {c["number"] for c in self.clients}
        self.names = {c["number"]: c["name"] for c in self.clients}
        b2b_crm = [n for n in self.pool[B2B] if n in self.crm and number_type(n) != "foreign"]
        land = [n for n in b2b_crm if number_type(n) == "landline"][:3]
        mob = [n for n in b2b_crm if number_type(n) == "mobile"][:3]
        self.repeat_pool = land + mob
        self.no_call |= set(self.repeat_pool)
        self.toll_free = [nums.draw("toll_free") for _ in range(4)]
        for i, n in enumerate(self.toll_free):   # suppliers' hotlines the staff call now and then
            self.clients.append({"number": n, "name": f"Горячая линия поставщика {i + 1}", "segment": "Поставщики"})
        self.crm |= set(self.toll_free)
        self.history_seen: set[str] = set()   # numbers contacted before the period

    def known_draw(self, dept: str, *, mobile: float | None, in_period: bool) -> str:
        """A known client's number (CRM list, or contacted before the period)."""
        pool = self.pool[dept]
        for _ in range(200):
            n = pool[int(self.rng.integers(len(pool)))]
            if n in self.no_call:
                continue
            if in_period and n not in self.crm and n not in self.history_seen:
                continue
            if mobile is not None:
                want = "mobile" if self.rng.uniform() < mobile else "landline"
                if number_type(n) != want and not (want == "landline" and number_type(n) == "foreign"):
                    continue
            return n
        return pool[0]

    # --- ids ----------------------------------------------------------------------------------
    def channel(self, peer: str) -> str:
        self.chan += 1
        return f"{peer}-{self.chan:08x}"

    def epoch(self, t: dt.datetime) -> int:
        return int(t.replace(tzinfo=self.zone).timestamp())

    def leg(self, **kw) -> dict:
        self.uniq += 1
        self.seq += 1
        kw.setdefault("answer", None)
        kw.setdefault("accountcode", "")
        kw.setdefault("userfield", "")
        kw["uniqueid"] = f"{self.epoch(kw['start'])}.{self.uniq}"
        kw["sequence"] = self.seq
        return kw

    def push(self, t: dt.datetime, what: str, **payload) -> None:
        self.hseq += 1
        heapq.heappush(self.heap, (t, self.hseq, what, payload))

    # --- line limit -------------------------------------------------------------------------
    def lines_busy(self, t: dt.datetime) -> int:
        self.active = [(e, s) for e, s in self.active if e > t]
        return len(self.active)

    def occupy(self, start: dt.datetime, end: dt.datetime) -> None:
        if end > start:
            self.active.append((end, start))

    def at_limit(self, t: dt.datetime) -> bool:
        return self.line_limit is not None and self.lines_busy(t) >= self.line_limit

    # --- planning ---------------------------------------------------------------------------
    def _arrivals(self, acc: _Acc, key: object, rate: float, day: dt.date, hour: int,
                  dept: str) -> int:
        """Plan ``acc.take(key, rate)`` incoming calls to ``dept`` at random times in ``hour``."""
        k = acc.take(key, rate)
        for _ in range(k):
            self.push(_at(day, hour) + dt.timedelta(seconds=int(self.plan_rng.integers(0, 3600))),
                      "incoming", dept=dept)
        return k

    def plan(self) -> int:
        acc = _Acc(self.plan_rng)
        rng = self.plan_rng
        n = 0
        day = self.first
        while day <= self.period[1]:
            wd = day.weekday()
            # incoming per department
            for dept in DEPARTMENTS:
                if wd < 5:
                    f = WEEKDAY_FACTOR[wd] * self.scale * self.spec.daily_incoming[dept] / sum(HOUR_WEIGHTS.values())
                    for h, w in HOUR_WEIGHTS.items():
                        n += self._arrivals(acc, ("in", dept, h), f * w, day, h, dept)
                    # after hours: the announcement answers
                    k = acc.take(("ah", dept), 0.5 * self.scale)
                    for _ in range(k):
                        h = int(rng.choice([8, 18, 19, 20]))
                        self.push(_at(day, h) + dt.timedelta(seconds=int(rng.integers(0, 3600))),
                                  "incoming", dept=dept)
                    n += k
                    if wd == 0 and dept == SERVICE and self.spec.monday_rush:
                        for h, r in self.spec.monday_rush.items():
                            n += self._arrivals(acc, ("rush", h), r * self.scale, day, h, dept)
                elif wd == 5 and dept == SERVICE and self.spec.saturday_service:
                    for h, r in self.spec.saturday_service.items():
                        n += self._arrivals(acc, ("sat", h), r * self.scale, day, h, dept)
                else:
                    k = acc.take(("we", dept), 0.8 * self.scale)
                    for _ in range(k):
                        h = int(rng.integers(10, 17))
                        self.push(_at(day, h) + dt.timedelta(seconds=int(rng.integers(0, 3600))),
                                  "incoming", dept=dept)
                    n += k
            if wd == SHORT_DROP_SLOT[0] and self.spec.short_drops:
                k = max(3, int(round(7 * self.scale)))
                for _ in range(k):
                    dept = B2C if rng.uniform() < 0.6 else B2B
                    self.push(_at(day, SHORT_DROP_SLOT[1]) + dt.timedelta(seconds=int(rng.integers(0, 3600))),
                              "incoming", dept=dept, drop=True)
                n += k
            # outgoing and internal per agent
            for a in self.staff:
                wins = windows(a, day)
                if not wins:
                    continue
                work = _minus_meeting(a, wins, day)
                k_new = acc.take(("new", a.ext), a.out_new * self.scale)
                k_known = acc.take(("known", a.ext), a.out_known * self.scale)
                if a.role == "new_hire":
                    k_new, k_known = int(a.out_new), int(a.out_known)
                kinds = ["new"] * k_new + ["known"] * k_known
                rng.shuffle(kinds)
                times = []
                if a.role != "absent_at_peak" and wd < 5:
                    for lo, hi in ((_at(day, 10, 51), _at(day, 10, 59)), (_at(day, 11), _at(day, 11, 58)),
                                   (_at(day, 15), _at(day, 15, 58))):
                        seg = _clip(work, lo, hi)
                        if seg and len(times) < len(kinds):
                            times.append(_uniform_in(rng, seg))
                while len(times) < len(kinds):
                    times.append(_uniform_in(rng, work))
                for kind, t in zip(kinds, times):
                    self.push(t, "outgoing", ext=a.ext, kind=kind)
                n += len(kinds)
                k_int = acc.take(("int", a.ext), a.internal * self.scale)
                for _ in range(k_int):
                    self.push(_uniform_in(rng, work), "internal", ext=a.ext)
                n += k_int
            day += dt.timedelta(days=1)
        return n

    # --- run ----------------------------------------------------------------------------------
    def run(self) -> None:
        current = None
        while self.heap:
            t, _, kind, p = heapq.heappop(self.heap)
            if t.date() != current:
                current = t.date()
                self.answered_today = {a.ext: 0 for a in self.staff}
                self.wins = {a.ext: windows(a, current) for a in self.staff}
            if kind == "outgoing":
                self.outgoing(t, **p)
            elif kind == "internal":
                self.internal(t, **p)
            else:
                self.incoming(t, **p)

    def in_period(self, t: dt.datetime) -> bool:
        return self.period[0] <= t.date() <= self.period[1]

    def free(self, ext: str, t: dt.datetime) -> bool:
        return self.busy[ext] <= t

    def later(self, a: Agent, t: dt.datetime) -> dt.datetime | None:
        """``t`` if the agent is at the desk then (outside meetings), else the next such moment
        the same day, else None: a postponed call never lands in a break."""
        for lo, hi in _minus_meeting(a, self.wins[a.ext], t.date()):
            if t < hi:
                return max(t, lo)
        return None

    def talk(self, median: float, lo: float = 8.0) -> int:
        return int(max(lo, self.rng.lognormal(math.log(median), 0.6)))

    def contact(self, number: str, t: dt.datetime) -> None:
        if t.date() < self.period[0]:
            self.history_seen.add(number)

    def session(self, legs: list[dict], **kw) -> None:
        linked = legs[0]["uniqueid"]
        for lg in legs:
            lg["linkedid"] = linked
            lg["call_id"] = linked
            self.legs.append(lg)
        kw["call_id"] = linked
        kw["n_legs"] = len(legs)
        kw.setdefault("machine_answered", False)
        kw.setdefault("tag", "")
        self.sessions.append(kw)

    # --- outgoing -----------------------------------------------------------------------------
    def outgoing(self, t: dt.datetime, *, ext: str, kind: str, tries: int = 0,
                 number: str | None = None) -> None:
        a = self.agents[ext]
        if not self.free(ext, t):
            nxt = self.busy[ext] + dt.timedelta(seconds=int(self.rng.integers(20, 90)))
            if kind == "callback":            # a promised callback waits for the next free moment
                later = self.next_at_desk(a, nxt) if tries < 30 else None
            else:
                later = self.later(a, nxt) if tries < 6 else None
            if later is not None:
                self.push(later, "outgoing", ext=ext, kind=kind, tries=tries + 1, number=number)
            return
        inp = self.in_period(t)
        tag = "callback" if kind == "callback" else ""
        if number is None:
            if a.role == "repeat_dialer":
                number = self.repeat_pool[int(self.rng.integers(len(self.repeat_pool)))]
            elif kind == "new":
                fu = self.followups.setdefault((ext, inp), [])
                if fu and self.rng.uniform() < 0.3:
                    number = fu[int(self.rng.integers(len(fu)))]
                else:
                    if a.dept == B2B and self.rng.uniform() < 0.03:
                        number = self.nums.draw("foreign")
                    else:
                        number = self.nums.draw("mobile" if self.rng.uniform() < a.mobile else "landline")
                    fu.append(number)
            elif a.redial > 0 and self.dialed.get((ext, inp)) and self.rng.uniform() < a.redial:
                pool = self.dialed[(ext, inp)]      # a known client called again
                number = pool[int(self.rng.integers(len(pool)))]
            elif a.role not in ("mobile_heavy", "repeat_dialer") and self.rng.uniform() < 0.03:
                number = self.toll_free[int(self.rng.integers(len(self.toll_free)))]   # a supplier's hotline
            else:
                number = self.known_draw(a.dept, mobile=a.mobile if a.role in ("mobile_heavy", "new_hire") else None,
                                         in_period=inp)
        self.contact(number, t)
        if a.redial > 0 and kind == "known" and number not in self.dialed.setdefault((ext, inp), []):
            self.dialed[(ext, inp)].append(number)
        ch = self.channel(a.peer)
        dial = national(number)
        base = dict(src=ext, dst=dial, dcontext="from-internal", clid=f'"{a.name}" <{ext}>',
                    channel=ch, lastapp="Dial", lastdata=f"SIP/{TRUNK_OUT}/{dial},60,tT",
                    agent=ext, did="", kind="outgoing")
        sess = dict(start=t, direction="outgoing", employee=a.name, extension=ext, department=a.dept, plan=kind,
                    client_number=number, line=MAIN_NUMBER, rang=[ext], tag=tag, attempt=0)
        if self.at_limit(t):
            lg = self.leg(start=t, end=t, dstchannel="", disposition="CONGESTION", **base)
            self.session([lg], answered_at=None, end=t, status="failed", talk_s=0, **{**sess, "tag": tag or "line_limit"})
            return
        r = self.rng.uniform()
        dstch = self.channel(f"SIP/{TRUNK_OUT}")
        if r < 0.03:
            end = t + dt.timedelta(seconds=int(self.rng.integers(1, 4)))
            lg = self.leg(start=t, end=end, dstchannel=dstch, disposition="FAILED", **base)
            self.session([lg], answered_at=None, end=end, status="failed", talk_s=0, **sess)
        elif r < 0.11:
            end = t + dt.timedelta(seconds=int(self.rng.integers(3, 9)))
            lg = self.leg(start=t, end=end, dstchannel=dstch, disposition="BUSY", **base)
            self.session([lg], answered_at=None, end=end, status="busy", talk_s=0, **sess)
        elif r < 0.38:
            end = t + dt.timedelta(seconds=int(self.rng.integers(20, 46)))
            lg = self.leg(start=t, end=end, dstchannel=dstch, disposition="NO ANSWER", **base)
            self.session([lg], answered_at=None, end=end, status="missed", talk_s=0, **sess)
        else:
            ans = t + dt.timedelta(seconds=int(self.rng.integers(5, 26)))
            talk = self.talk(150 if a.dept == B2B else 110)
            end = ans + dt.timedelta(seconds=talk)
            lg = self.leg(start=t, answer=ans, end=end, dstchannel=dstch, disposition="ANSWERED", **base)
            self.session([lg], answered_at=ans, end=end, status="answered", talk_s=talk, **sess)
        self.occupy(t, self.sessions[-1]["end"])
        self.busy[ext] = self.sessions[-1]["end"]

    # --- internal -----------------------------------------------------------------------------
    def internal(self, t: dt.datetime, *, ext: str, tries: int = 0) -> None:
        a = self.agents[ext]
        if not self.free(ext, t):
            later = self.later(a, self.busy[ext] + dt.timedelta(seconds=int(self.rng.integers(20, 90))))
            if tries < 6 and later is not None:
                self.push(later, "internal", ext=ext, tries=tries + 1)
            return
        others = [b for b in self.staff if b.ext != ext and b.role != "new_hire"
                  and present(b, t, self.wins[b.ext])]
        if not others:
            return
        b = others[int(self.rng.integers(len(others)))]
        ch = self.channel(a.peer)
        base = dict(src=ext, dst=b.ext, dcontext="from-internal", clid=f'"{a.name}" <{ext}>', channel=ch,
                    lastapp="Dial", lastdata=f"{b.peer},30,tT", agent=b.ext, did="", kind="internal")
        sess = dict(start=t, direction="internal", employee=a.name, extension=ext, department=a.dept,
                    client_number=None, line=None, rang=[b.ext], callee=b.ext, attempt=0)
        if self.at_limit(t):
            lg = self.leg(start=t, end=t, dstchannel="", disposition="CONGESTION", **base)
            self.session([lg], answered_at=None, end=t, status="failed", talk_s=0, **{**sess, "tag": "line_limit"})
            return
        dstch = self.channel(b.peer)
        if not self.free(b.ext, t):
            end = t + dt.timedelta(seconds=2)
            lg = self.leg(start=t, end=end, dstchannel=dstch, disposition="BUSY", **base)
            self.session([lg], answered_at=None, end=end, status="busy", talk_s=0, **sess)
        elif self.rng.uniform() < 0.15 or in_meeting(b, t):
            end = t + dt.timedelta(seconds=int(self.rng.integers(15, 31)))
            lg = self.leg(start=t, end=end, dstchannel=dstch, disposition="NO ANSWER", **base)
            self.session([lg], answered_at=None, end=end, status="missed", talk_s=0, **sess)
        else:
            ans = t + dt.timedelta(seconds=int(self.rng.integers(2, 9)))
            talk = self.talk(60, lo=5)
            end = ans + dt.timedelta(seconds=talk)
            lg = self.leg(start=t, answer=ans, end=end, dstchannel=dstch, disposition="ANSWERED", **base)
            self.session([lg], answered_at=ans, end=end, status="answered", talk_s=talk, **sess)
            self.busy[b.ext] = end
        self.occupy(t, self.sessions[-1]["end"])
        self.busy[ext] = self.sessions[-1]["end"]

    # --- incoming -----------------------------------------------------------------------------
    def caller(self, dept: str, t: dt.datetime) -> str:
        if self.rng.uniform() < 0.45:
            return self.known_draw(dept, mobile=None, in_period=self.in_period(t))
        r = self.rng.uniform()
        if r < 0.02:
            return self.nums.draw("foreign")
        mob = 0.45 if dept == B2B else 0.6
        return self.nums.draw("mobile" if self.rng.uniform() < mob else "landline")

    def incoming(self, t: dt.datetime, *, dept: str, drop: bool = False, number: str | None = None,
                 tag: str = "") -> None:
        number = number or self.caller(dept, t)
        self.contact(number, t)
        trunk = self.channel(f"SIP/{TRUNK_IN}")
        src = national(number)
        name = self.names.get(number, src)
        clid = f'"{name}" <{src}>'
        did = OWN_NUMBERS[dept][1:]
        sess = dict(start=t, direction="incoming", department=dept, client_number=number,
                    line=OWN_NUMBERS[dept], tag=tag, attempt=0)
        members = [a for a in self.staff if a.dept == dept and a.in_weight > 0]
        on = [a for a in members if present(a, t, self.wins[a.ext])]
        base = dict(src=src, clid=clid, channel=trunk, did=did)
        # line limit: the PBX refuses the call at once
        if self.at_limit(t):
            lg = self.leg(start=t, end=t, dst=did, dcontext="from-trunk", dstchannel="", lastapp="Busy",
                          lastdata="20", disposition="BUSY", agent="", kind="rejected", **base)
            self.session([lg], answered_at=None, end=t, status="busy", talk_s=0, employee=None,
                         extension=None, rang=[], **{**sess, "tag": "line_limit"})
            self.missed(dept, number, t)
            return
        if not on and not drop:
            # closed: the announcement answers, nobody else
            ans = t + dt.timedelta(seconds=1)
            end = ans + dt.timedelta(seconds=int(self.rng.integers(9, 21)))
            lg = self.leg(start=t, answer=ans, end=end, dst=did, dcontext="from-trunk", dstchannel="",
                          lastapp="Playback", lastdata="custom/nerabochee-vremya", disposition="ANSWERED",
                          agent="", kind="ivr", **base)
            self.session([lg], answered_at=None, end=end, status="missed", talk_s=0, employee=None,
                         extension=None, rang=[], machine_answered=True, **{**sess, "tag": "machine"})
            self.occupy(t, end)
            self.missed(dept, number, t)
            return
        q = QUEUES[dept]
        if drop:
            # the provider drops the call within seconds, before any phone rings
            end = t + dt.timedelta(seconds=int(self.rng.integers(1, 5)))
            lg = self.leg(start=t, end=end, dst=q, dcontext="ext-queues", dstchannel="", lastapp="Queue",
                          lastdata=f"{q},tT,,,300", disposition="NO ANSWER", agent="", kind="wait", **base)
            self._finish(t, dept, number, [lg], [], None, sess, 0, True, base)
        elif dept == SERVICE:
            self._ringall(t, dept, on, number, base, sess, drop)
        else:
            self._queue(t, dept, on, number, base, sess, drop, q)
        self.occupy(t, self.sessions[-1]["end"])

    def _pick_order(self, on: list[Agent]) -> list[Agent]:
        """Ring order: priority members first, then fewest answered today per ``in_weight``."""
        keys = [(not a.priority, self.answered_today[a.ext] / a.in_weight, float(self.rng.uniform()), a.ext)
                for a in on]
        order = sorted(zip(keys, on), key=lambda x: x[0])
        return [a for _, a in order]

    def _p_noanswer(self, a: Agent, t: dt.datetime) -> float:
        return 0.97 if in_meeting(a, t) else 0.22

    def _agent_legs(self, a: Agent, start, answer, end, disp, base, *, lastapp, lastdata, dst, dcontext):
        """One ring attempt; a Local/ member produces the ``;1``/``;2`` pair."""
        if a.local_member:
            loc = f"Local/{a.ext}@from-queue-{self.chan + 1:08x}"
            self.chan += 1
            l1 = self.leg(start=start, answer=answer, end=end, dst=dst, dcontext=dcontext,
                          dstchannel=loc + ";1", lastapp=lastapp, lastdata=lastdata, disposition=disp,
                          agent=a.ext, kind="queue", **base)
            l2 = self.leg(start=start, answer=answer, end=end, dst=a.ext, dcontext="from-queue",
                          dstchannel=self.channel(a.peer), lastapp="Dial",
                          lastdata=f"{a.peer},,trM(auto-blkvm)", disposition=disp, agent=a.ext,
                          kind="local", **{**base, "channel": loc + ";2"})
            return [l1, l2]
        return [self.leg(start=start, answer=answer, end=end, dst=dst, dcontext=dcontext,
                         dstchannel=self.channel(a.peer), lastapp=lastapp, lastdata=lastdata,
                         disposition=disp, agent=a.ext, kind="queue", **base)]

    def _queue(self, t, dept, on, number, base, sess, drop, q) -> None:
        patience = float(self.rng.integers(1, 5)) if drop else float(self.rng.integers(20, 100))
        deadline = t + dt.timedelta(seconds=patience)
        cur = t
        legs: list[dict] = []
        rang: list[str] = []
        qargs = dict(lastapp="Queue", lastdata=f"{q},tT,,,300", dst=q, dcontext="ext-queues")
        answered_by = None
        attempt = 0
        while cur < deadline and len(rang) < 8 and answered_by is None:
            free = [a for a in self._pick_order(on) if self.free(a.ext, cur)]
            if not free:
                nxt = min(deadline, cur + dt.timedelta(seconds=20))
                if not legs:
                    legs.append(self.leg(start=cur, end=nxt, dstchannel="", disposition="NO ANSWER",
                                         agent="", kind="wait", **base, **qargs))
                else:
                    legs[-1]["end"] = max(legs[-1]["end"], nxt)
                cur = nxt
                continue
            for a in free:
                if cur >= deadline or len(rang) >= 8:
                    break
                attempt += 1
                rang.append(a.ext)
                picks = self.rng.uniform() >= self._p_noanswer(a, cur) and not drop
                ring = float(self.rng.integers(3, 13)) if picks else 15.0
                if cur + dt.timedelta(seconds=ring) > deadline:
                    legs += self._agent_legs(a, cur, None, deadline, "NO ANSWER", base, **qargs)
                    cur = deadline
                    break
                if picks:
                    ans = cur + dt.timedelta(seconds=ring)
                    talk = self.talk({B2B: 150, B2C: 110}[dept])
                    end = ans + dt.timedelta(seconds=talk)
                    legs += self._agent_legs(a, cur, ans, end, "ANSWERED", base, **qargs)
                    answered_by = (a, ans, end, talk)
                    break
                legs += self._agent_legs(a, cur, None, cur + dt.timedelta(seconds=ring), "NO ANSWER",
                                         base, **qargs)
                cur += dt.timedelta(seconds=ring + 2)
        self._finish(t, dept, number, legs, rang, answered_by, sess, attempt, drop, base)

    def _ringall(self, t, dept, on, number, base, sess, drop) -> None:
        free = [a for a in on if self.free(a.ext, t)]
        legs: list[dict] = []
        lastdata = "&".join(a.peer for a in on) + ",30,tT"
        args = dict(lastapp="Dial", lastdata=lastdata, dst=QUEUES[dept], dcontext="ext-group")
        if not free:
            patience = float(self.rng.integers(1, 5)) if drop else float(self.rng.integers(20, 60))
            end = t + dt.timedelta(seconds=patience)
            legs.append(self.leg(start=t, end=end, dstchannel="", disposition="NO ANSWER", agent="",
                                 kind="wait", **base, **args))
            self._finish(t, dept, number, legs, [], None, sess, 0, drop, base)
            return
        patience = float(self.rng.integers(1, 5)) if drop else float(self.rng.integers(15, 90))
        limit = min(patience, 30.0)
        rings = {}
        for a in free:
            if not drop and self.rng.uniform() >= 0.2:
                rings[a.ext] = float(self.rng.integers(3, 16))
        winner = min(rings, key=lambda e: rings[e]) if rings else None
        if winner is not None and rings[winner] > limit:
            winner = None
        answered_by = None
        if winner is not None:
            a = self.agents[winner]
            ans = t + dt.timedelta(seconds=rings[winner])
            talk = self.talk(self.spec.service_talk)
            end = ans + dt.timedelta(seconds=talk)
            answered_by = (a, ans, end, talk)
            stop = ans
        else:
            stop = t + dt.timedelta(seconds=limit)
        for a in free:
            if answered_by and a.ext == winner:
                legs += self._agent_legs(a, t, answered_by[1], answered_by[2], "ANSWERED", base, **args)
            else:
                legs += self._agent_legs(a, t, None, stop, "NO ANSWER", base, **args)
        self._finish(t, dept, number, legs, [a.ext for a in free], answered_by, sess,
                     1 if answered_by else 0, drop, base)

    def _finish(self, t, dept, number, legs, rang, answered_by, sess, attempt, drop, base) -> None:
        if answered_by is None:
            end = max(lg["end"] for lg in legs)
            who = sorted(set(rang))
            emp = self.agents[who[0]] if len(who) == 1 else None
            self.session(legs, answered_at=None, end=end, status="missed", talk_s=0,
                         employee=emp.name if emp else None, extension=emp.ext if emp else None,
                         rang=rang, **{**sess, "tag": "short_ring_drop" if drop else sess["tag"]})
            self.missed(dept, number, t)
            return
        a, ans, end, talk = answered_by
        self.answered_today[a.ext] += 1
        total_talk = talk
        transfer = None
        if dept != SERVICE and self.rng.uniform() < 0.06:
            cands = [b for b in self.staff if b.ext != a.ext and b.in_weight > 0
                     and present(b, end, self.wins[b.ext]) and self.free(b.ext, end)
                     and (b.dept == SERVICE or b.dept == dept)]
            if cands:
                b = cands[int(self.rng.integers(len(cands)))]
                t2 = end
                ans2 = t2 + dt.timedelta(seconds=int(self.rng.integers(3, 9)))
                talk2 = self.talk(120)
                end2 = ans2 + dt.timedelta(seconds=talk2)
                legs.append(self.leg(start=t2, answer=ans2, end=end2, dst=b.ext, dcontext="from-internal-xfer",
                                     dstchannel=self.channel(b.peer), lastapp="Dial",
                                     lastdata=f"{b.peer},,tT", disposition="ANSWERED", agent=b.ext,
                                     kind="transfer", **base))
                self.busy[b.ext] = end2
                transfer = b.ext
                end = end2
                total_talk += talk2
        self.busy[a.ext] = answered_by[2]
        self.session(legs, answered_at=ans, end=end, status="answered", talk_s=total_talk,
                     employee=a.name, extension=a.ext, rang=rang, transfer_to=transfer,
                     **{**sess, "attempt": attempt})

    # --- callbacks ------------------------------------------------------------------------------
    def missed(self, dept: str, number: str, t: dt.datetime) -> None:
        """Plan what happens after a missed call: a callback within 24 h, a late one, or none.

        Callbacks go round-robin to the department's agents who do callbacks, at their next
        moment at the desk after the planned time.
        """
        if number in self.no_call:              # already being handled (or deliberately ignored)
            return
        self.no_call.add(number)                # no accidental "known client" call meanwhile
        within, late = self.spec.callback_plan[dept]
        r = self.rng.uniform()
        if r < within:
            due = t + dt.timedelta(minutes=int(self.rng.integers(3, 180)))
        elif r < within + late:
            due = t + dt.timedelta(hours=int(self.rng.integers(27, 60)))
        else:
            if self.rng.uniform() < 0.25:       # the client tries again in 1–3 days
                day = t.date() + dt.timedelta(days=int(self.rng.integers(1, 4)))
                if day.weekday() < 5 and day <= self.period[1]:
                    self.push(_at(day, int(self.rng.choice([11, 12, 14, 16]))) +
                              dt.timedelta(seconds=int(self.rng.integers(0, 3600))),
                              "incoming", dept=dept, number=number, tag="recall")
            return
        team = [a for a in self.staff if a.dept == dept and a.callbacks]
        k = self.rr.get(dept, 0)
        self.rr[dept] = k + 1
        # round-robin; if that agent is away for more than 3 h (day off), whoever is back first
        owner = team[k % len(team)]
        when = self.next_at_desk(owner, due)
        if when is None or when - due > dt.timedelta(hours=3):
            options = [(at, a) for a in team if (at := self.next_at_desk(a, due)) is not None]
            if not options:
                return
            when, owner = min(options, key=lambda o: o[0])
        if when is not None and when.date() <= self.period[1]:
            self.push(when, "outgoing", ext=owner.ext, kind="callback", number=number)

    def next_at_desk(self, a: Agent, t: dt.datetime) -> dt.datetime | None:
        for i in range(8):
            day = t.date() + dt.timedelta(days=i)
            for lo, hi in _minus_meeting(a, windows(a, day), day):
                if hi > t + dt.timedelta(minutes=1):
                    return max(lo, t) + dt.timedelta(seconds=int(self.rng.integers(0, 300)))
        return None


def simulate(*, seed: int, calls: int, period: tuple[dt.date, dt.date], history_days: int,
             tz: str, spec: CompanySpec | None = None) -> SimResult:
    """Run the simulation: scale to ``calls`` sessions, choose the line limit (when the company
    has one), simulate again."""
    spec = spec or COMPANIES["filtr"]
    first = period[0] - dt.timedelta(days=history_days)
    probe = _Sim(seed=seed, scale=1.0, first=first, period=period, tz=tz, line_limit=None, spec=spec)
    planned = probe.plan()
    scale = calls / max(planned, 1)
    limit = None
    if spec.line_limit:
        free_run = _Sim(seed=seed, scale=scale, first=first, period=period, tz=tz, line_limit=None,
                        spec=spec)
        free_run.plan()
        free_run.run()
        limit = _choose_limit(free_run.sessions)
    sim = _Sim(seed=seed, scale=scale, first=first, period=period, tz=tz, line_limit=limit, spec=spec)
    sim.plan()
    sim.run()
    return SimResult(legs=sim.legs, sessions=sim.sessions, clients=sim.clients,
                     repeat_pool=sim.repeat_pool, line_limit=limit, scale=scale)


def _choose_limit(sessions: list[dict], share: float = 0.06) -> int:
    """The smallest ceiling that would refuse at most ``share`` of the sessions of a free run."""
    ev = sorted([(s["start"], 1) for s in sessions if s["end"] > s["start"]]
                + [(s["end"], -1) for s in sessions if s["end"] > s["start"]], key=lambda x: (x[0], x[1]))
    level, at_start = 0, []
    for _, d in ev:
        level += d
        if d == 1:
            at_start.append(level - 1)        # sessions already live when this one starts
    at = np.asarray(at_start)
    for n in range(1, 50):
        if (at >= n).mean() <= share:
            return n
    return 50
