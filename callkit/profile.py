"""The client profile (the audit brief): one YAML file per client, validated.

``load_profile(path)`` returns a :class:`Profile`; every problem names the field and what was
expected. Paths inside the file are resolved relative to the file. See DESIGN.md §4.
"""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callkit.errors import ProfileError

__all__ = ["Profile", "Thresholds", "Economics", "ROLES", "load_profile", "profile_from_dict", "as_date",
           "DEFAULT_THRESHOLDS"]

#: The roles of DESIGN §3/§4 (profile ``roles``: department or employee name -> role).
ROLES: tuple[str, ...] = ("hunter", "farmer", "inbound", "service")

DEFAULT_THRESHOLDS: dict[str, float] = {
    "manager_gap": 0.25,        # a gap to the department's best above this is a growth zone
    "callback_window_h": 24,    # a missed call not called back within this is lost
    "service_level": 0.8,       # share of calls to answer within answer_within_s
    "answer_within_s": 20,
    "min_active_days": 3,       # managers with fewer active days are shown, not flagged
    "wrapup_s": 0,              # after-call work added to AHT for staffing
}

_SLUG = re.compile(r"^[a-z0-9_-]+$")
_KNOWN_KEYS = {
    "client", "slug", "timezone", "region", "period", "calls", "calls_format", "column_map",
    "employees", "own_numbers", "known_clients", "thresholds", "transcripts", "lang",
    "mask_numbers", "brief", "script", "mandatory_questions", "call_results", "competitors",
    "deal_terms", "stop_words", "topics", "navigation", "previous_period", "area_code",
    "line_area_codes", "decision_makers", "advantages", "materials", "negotiation",
    "roles", "economics",
    "working_hours", "lookback_days",
}


@dataclass(frozen=True)
class Thresholds:
    manager_gap: float = 0.25
    callback_window_h: float = 24
    service_level: float = 0.8
    answer_within_s: float = 20
    min_active_days: int = 3
    wrapup_s: float = 0


@dataclass(frozen=True)
class Economics:
    """Profile ``economics``: what a lead is worth, so findings can say their cost in roubles.

    ``impact_rub`` of a finding = impact_calls x ``lead_to_deal`` x ``average_deal_rub``.
    """

    average_deal_rub: float
    lead_to_deal: float

    def rub(self, calls: Any) -> Any:
        """Roubles of ``calls`` leads (a number or an array/Series): calls x lead_to_deal x
        average_deal_rub."""
        return calls * self.lead_to_deal * self.average_deal_rub


@dataclass
class Profile:
    """A validated client profile. Paths are absolute (resolved against the YAML's folder).

    The brief's transcript checks (DESIGN §4) include three mappings *name -> cue phrases*
    (phrases in any inflection; matching is on lemmas and tolerates recognition errors; a bare
    list makes each phrase its own item; a single string is a one-phrase list):

    - ``decision_makers``: the roles at the client's side and the cues that the seller reached
      them, e.g. ``{"ЛПР": ["кто принимает решение", "согласовать с директором"],
      "ЛВР": ["кто участвует в выборе"]}`` — said by either side (the client saying "надо
      согласовать с директором" names who decides);
    - ``advantages``: what the seller must say about the company against competitors, e.g.
      ``{"свой склад": ["собственный склад"]}`` — counts only when the employee says it;
    - ``materials``: the materials the seller should use in the call and the cues of using
      them, e.g. ``{"прайс": ["пришлю прайс"], "наличие на складе": ["проверю наличие"]}`` —
      counts only when the employee says it.

    They become checklist items of kinds ``decision_maker``, ``advantage``, ``material``
    (``callkit.speech``: ``checklist.csv`` rows and rates per manager). Anything but a mapping
    or list of strings is a :class:`~callkit.errors.ProfileError` naming the field.
    """

    client: str
    slug: str
    timezone: str = "Europe/Moscow"
    region: str = "RU"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    calls: list[Path] = field(default_factory=list)
    calls_format: str = "auto"
    column_map: dict[str, str] | None = None
    employees: Path | None = None
    own_numbers: list[str] = field(default_factory=list)
    known_clients: Path | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    transcripts: Path | None = None
    lang: str = "ru"
    mask_numbers: bool = True
    previous_period: tuple[dt.date, dt.date] | None = None
    area_code: str | None = None
    line_area_codes: dict[str, str] = field(default_factory=dict)
    brief: dict[str, Any] = field(default_factory=dict)
    script: list[dict[str, Any]] = field(default_factory=list)
    mandatory_questions: list[str] = field(default_factory=list)
    call_results: dict[str, list[str]] = field(default_factory=dict)
    competitors: list[str] = field(default_factory=list)
    deal_terms: dict[str, list[str]] = field(default_factory=dict)
    stop_words: list[str] = field(default_factory=list)
    topics: dict[str, list[str]] = field(default_factory=dict)
    navigation: list[str] = field(default_factory=list)
    negotiation: list[str] = field(default_factory=list)
    decision_makers: dict[str, list[str]] = field(default_factory=dict)
    advantages: dict[str, list[str]] = field(default_factory=dict)
    materials: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    economics: Economics | None = None
    #: :class:`callkit.metrics.hours.WorkingHours` (None = the default Mon–Fri 09:00–18:00)
    working_hours: Any = None
    lookback_days: int = 90           # a number is new when unseen this many days (DESIGN §3)
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        if self.period_start is None or self.period_end is None:
            return None
        return (self.period_start, self.period_end)


def _err(where: str, key: str, msg: str) -> ProfileError:
    return ProfileError(f"{where}: field {key!r} {msg}")


def as_date(value: Any) -> dt.date:
    """A date from a date, datetime, pandas Timestamp or ``YYYY-MM-DD`` text.

    Raises
    ------
    ValueError
        For anything else.
    """
    if isinstance(value, dt.datetime):   # pandas Timestamp is a datetime too
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _date(where: str, key: str, value: Any) -> dt.date:
    try:
        return as_date(value)
    except ValueError:
        raise _err(where, key, f"has {value!r}; expected a date YYYY-MM-DD") from None


def _str_list(where: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise _err(where, key, f"has {value!r}; expected a list of strings")
    return [str(v) for v in value]


def _phrase_map(where: str, key: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if isinstance(value, list):  # a bare list of phrases: each phrase is its own item
        return {str(v): [str(v)] for v in _str_list(where, key, value)}
    if not isinstance(value, dict):
        raise _err(where, key, f"has {value!r}; expected a mapping name -> list of phrases")
    return {str(k): _str_list(where, f"{key}.{k}", v) for k, v in value.items()}


def _path(base: Path, where: str, key: str, value: Any, *, must_exist: bool) -> Path:
    if not isinstance(value, str) or not value:
        raise _err(where, key, f"has {value!r}; expected a file path")
    p = Path(value)
    p = p if p.is_absolute() else (base / p)
    if must_exist and not p.exists():
        raise _err(where, key, f"names {value!r}, which does not exist (looked at {p})")
    return p


def profile_from_dict(data: dict[str, Any], *, base: Path | None = None,
                      where: str = "profile", check_files: bool = True) -> Profile:
    """Validate a profile mapping (as read from YAML) and return a :class:`Profile`."""
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: expected a YAML mapping at the top, got {type(data).__name__}")
    base = base or Path.cwd()
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown field(s) {sorted(unknown)}; known fields are "
                           f"{sorted(_KNOWN_KEYS)}")
    if "client" not in data:
        raise _err(where, "client", "is missing; expected the client's display name")
    client = str(data["client"])
    slug = data.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise _err(where, "slug", f"has {slug!r}; expected lowercase letters, digits, '_' or '-' "
                                  "(it names the output folder)")
    tz = str(data.get("timezone", "Europe/Moscow"))
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _err(where, "timezone", f"has {tz!r}; expected an IANA zone like 'Europe/Moscow'") from None
    region = str(data.get("region", "RU")).upper()
    if not re.fullmatch(r"[A-Z]{2}", region):
        raise _err(where, "region", f"has {region!r}; expected a two-letter country code like 'RU'")
    p = Profile(client=client, slug=slug, timezone=tz, region=region, source=None, raw=dict(data))
    period = data.get("period")
    if period is not None:
        if not isinstance(period, dict) or "start" not in period or "end" not in period:
            raise _err(where, "period", f"has {period!r}; expected {{start: YYYY-MM-DD, end: YYYY-MM-DD}}")
        p.period_start = _date(where, "period.start", period["start"])
        p.period_end = _date(where, "period.end", period["end"])
        if p.period_end < p.period_start:
            raise _err(where, "period", f"ends ({p.period_end}) before it starts ({p.period_start})")
    prev = data.get("previous_period")
    if prev is not None:
        if not isinstance(prev, dict) or "start" not in prev or "end" not in prev:
            raise _err(where, "previous_period", f"has {prev!r}; expected {{start: ..., end: ...}}")
        p.previous_period = (_date(where, "previous_period.start", prev["start"]),
                             _date(where, "previous_period.end", prev["end"]))
    calls = data.get("calls", [])
    calls = [calls] if isinstance(calls, str) else calls
    if not isinstance(calls, list):
        raise _err(where, "calls", f"has {calls!r}; expected a list of file paths")
    p.calls = [_path(base, where, f"calls[{i}]", c, must_exist=check_files) for i, c in enumerate(calls)]
    p.calls_format = str(data.get("calls_format", "auto"))
    cmap = data.get("column_map")
    if cmap is not None and not isinstance(cmap, dict):
        raise _err(where, "column_map", f"has {cmap!r}; expected a mapping canonical -> source column")
    p.column_map = {str(k): str(v) for k, v in cmap.items()} if cmap else None
    for key in ("employees", "known_clients", "transcripts"):
        if data.get(key) is not None:
            setattr(p, key, _path(base, where, key, data[key], must_exist=check_files))
    p.own_numbers = _str_list(where, "own_numbers", data.get("own_numbers"))
    th = dict(DEFAULT_THRESHOLDS)
    raw_th = data.get("thresholds") or {}
    if not isinstance(raw_th, dict):
        raise _err(where, "thresholds", f"has {raw_th!r}; expected a mapping")
    for k, v in raw_th.items():
        if k not in th:
            raise _err(where, f"thresholds.{k}", f"is unknown; known thresholds are {sorted(th)}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise _err(where, f"thresholds.{k}", f"has {v!r}; expected a non-negative number")
        th[k] = v
    if not 0 < th["service_level"] <= 1:
        raise _err(where, "thresholds.service_level", f"has {th['service_level']!r}; expected 0..1")
    th["min_active_days"] = int(th["min_active_days"])
    p.thresholds = Thresholds(**th)
    lang = str(data.get("lang", "ru"))
    if lang not in ("ru", "en"):
        raise _err(where, "lang", f"has {lang!r}; expected 'ru' or 'en'")
    p.lang = lang
    mask = data.get("mask_numbers", True)
    if not isinstance(mask, bool):
        raise _err(where, "mask_numbers", f"has {mask!r}; expected true or false")
    p.mask_numbers = mask
    if data.get("area_code") is not None:
        ac = str(data["area_code"])
        if not re.fullmatch(r"\d{3,5}", ac):
            raise _err(where, "area_code", f"has {ac!r}; expected 3-5 digits like '3012'")
        p.area_code = ac
    lac = data.get("line_area_codes") or {}
    if not isinstance(lac, dict):
        raise _err(where, "line_area_codes", f"has {lac!r}; expected a mapping line -> area code")
    p.line_area_codes = {str(k): str(v) for k, v in lac.items()}
    brief = data.get("brief") or {}
    if not isinstance(brief, dict):
        raise _err(where, "brief", f"has {brief!r}; expected a mapping")
    p.brief = brief
    script = data.get("script") or []
    if not isinstance(script, list):
        raise _err(where, "script", f"has {script!r}; expected a list of {{stage, phrases}}")
    for i, st in enumerate(script):
        if not isinstance(st, dict) or "stage" not in st or "phrases" not in st:
            raise _err(where, f"script[{i}]", f"has {st!r}; expected {{stage: name, phrases: [...]}}")
        _str_list(where, f"script[{i}].phrases", st["phrases"])
    p.script = [{"stage": str(s["stage"]), "phrases": _str_list(where, "script", s["phrases"])}
                for s in script]
    p.mandatory_questions = _str_list(where, "mandatory_questions", data.get("mandatory_questions"))
    p.call_results = _phrase_map(where, "call_results", data.get("call_results"))
    p.competitors = _str_list(where, "competitors", data.get("competitors"))
    p.deal_terms = _phrase_map(where, "deal_terms", data.get("deal_terms"))
    p.stop_words = _str_list(where, "stop_words", data.get("stop_words"))
    p.topics = _phrase_map(where, "topics", data.get("topics"))
    p.navigation = _str_list(where, "navigation", data.get("navigation"))
    p.negotiation = _str_list(where, "negotiation", data.get("negotiation"))
    p.decision_makers = _phrase_map(where, "decision_makers", data.get("decision_makers"))
    p.advantages = _phrase_map(where, "advantages", data.get("advantages"))
    p.materials = _phrase_map(where, "materials", data.get("materials"))
    p.roles = _roles(where, data.get("roles"))
    p.economics = _economics(where, data.get("economics"))
    from callkit.metrics.hours import parse_working_hours  # metrics import this module

    p.working_hours = parse_working_hours(data.get("working_hours"), where=where)
    lb = data.get("lookback_days", 90)
    if isinstance(lb, bool) or not isinstance(lb, int) or not 1 <= lb <= 3660:
        raise _err(where, "lookback_days", f"has {lb!r}; expected a whole number of days from 1 "
                                           f"to 3660 (default 90)")
    p.lookback_days = lb
    return p


def _roles(where: str, value: Any) -> dict[str, str]:
    """``roles``: department or employee name -> one of :data:`ROLES`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _err(where, "roles", f"has {value!r}; expected a mapping department or employee "
                                   f"name -> role ({' | '.join(ROLES)})")
    out = {}
    for k, v in value.items():
        role = str(v).strip().lower() if isinstance(v, str) else v
        if role not in ROLES:
            raise _err(where, f"roles.{k}", f"has {v!r}; expected one of {' | '.join(ROLES)}")
        out[str(k).strip()] = role
    return out


def _economics(where: str, value: Any) -> Economics | None:
    """``economics: {average_deal_rub: 45000, lead_to_deal: 0.2}``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _err(where, "economics", f"has {value!r}; expected {{average_deal_rub: number, "
                                       "lead_to_deal: 0..1}")
    unknown = set(value) - {"average_deal_rub", "lead_to_deal"}
    if unknown:
        raise _err(where, f"economics.{sorted(unknown)[0]}", "is unknown; expected "
                   "average_deal_rub and lead_to_deal")
    nums = {}
    for key in ("average_deal_rub", "lead_to_deal"):
        v = value.get(key)
        if v is None:
            raise _err(where, f"economics.{key}", "is missing; economics needs both "
                       "average_deal_rub and lead_to_deal")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < float("inf"):
            raise _err(where, f"economics.{key}", f"has {v!r}; expected a positive number")
        nums[key] = float(v)
    if nums["lead_to_deal"] > 1:
        raise _err(where, "economics.lead_to_deal", f"has {value['lead_to_deal']!r}; expected a "
                   "share of leads that become deals, 0..1 (0.2 = 20 %)")
    return Economics(**nums)


def load_profile(path: str | Path, *, check_files: bool = True) -> Profile:
    """Read and validate a client profile YAML file.

    Raises
    ------
    ProfileError
        Naming the file, the field and what was expected.
    """
    path = Path(path)
    if not path.exists():
        raise ProfileError(f"{path}: profile file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProfileError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text; save the profile as UTF-8") from None
    prof = profile_from_dict(data, base=path.resolve().parent, where=str(path), check_files=check_files)
    prof.source = path.resolve()
    return prof
