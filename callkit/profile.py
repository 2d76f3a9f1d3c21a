"""The client profile (the audit brief): one YAML file per client, validated.

``load_profile(path)`` returns a :class:`Profile`; every problem is one line that names the file,
the field and what was expected. Paths inside the file are resolved relative to the file. See
DESIGN.md §4 and ``docs/profile.md``.

Validation framework (for whoever adds a key):

* the YAML is read by :func:`load_yaml` with limits — at most :data:`MAX_YAML_BYTES` bytes,
  :data:`MAX_YAML_DEPTH` levels of nesting and :data:`MAX_YAML_NODES` values *after* aliases are
  expanded (a 531-byte "billion laughs" file is refused at once) — and with impossible unquoted
  dates (``2026-02-30``) left as text, so the field check names them;
* every value anywhere in the file is then walked once (:func:`check_values`): a float must be
  finite (``.inf``/``.nan`` are refused wherever they are) and a string at most
  :data:`MAX_TEXT` characters — a new key gets these checks for free;
* a key is added to ``_KNOWN_KEYS`` and to :class:`Profile`, and its value is checked in
  :func:`profile_from_dict` with the ``check_*`` helpers: :func:`check_number` (finite, in a
  range, optionally an integer), :func:`check_choice`, :func:`check_date`,
  :func:`check_time_of_day`, :func:`check_mapping`, :func:`check_str_list`,
  :func:`check_timezone`, :func:`check_region`, :func:`check_slug`. Each raises
  :class:`~callkit.errors.ProfileError` with ``"<file>: field '<key>' has <value>; expected ..."``;
  thresholds get their range from :data:`THRESHOLD_RANGES` (a threshold without an entry must be
  a finite non-negative number).
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callkit.errors import ProfileError

__all__ = ["Profile", "Thresholds", "Economics", "ROLES", "load_profile", "profile_from_dict", "as_date",
           "DEFAULT_THRESHOLDS", "THRESHOLD_RANGES", "load_yaml", "check_values", "check_number",
           "check_choice", "check_date", "check_time_of_day", "check_mapping", "check_str_list",
           "check_timezone", "check_region", "check_slug", "MAX_YAML_BYTES", "MAX_YAML_DEPTH",
           "MAX_YAML_NODES", "MAX_TEXT"]

#: The roles of DESIGN §3/§4 (profile ``roles``: department or employee name -> role).
ROLES: tuple[str, ...] = ("hunter", "farmer", "inbound", "service")

#: A profile is a few kilobytes; a file above this is refused without being parsed.
MAX_YAML_BYTES = 1 << 20
#: Nesting levels a profile may have.
MAX_YAML_DEPTH = 32
#: Values a profile may hold once its aliases are expanded.
MAX_YAML_NODES = 100_000
#: Characters a single text value may have.
MAX_TEXT = 10_000

DEFAULT_THRESHOLDS: dict[str, float] = {
    "manager_gap": 0.25,        # a gap to the department's best above this is a growth zone
    "callback_window_h": 24,    # a missed call not called back within this is lost
    "service_level": 0.8,       # share of calls to answer within answer_within_s
    "answer_within_s": 20,
    "min_active_days": 3,       # managers with fewer active days are shown, not flagged
    "wrapup_s": 0,              # after-call work added to AHT for staffing
}

#: Allowed range of each threshold: (low, high, low included, high included, integer).
THRESHOLD_RANGES: dict[str, tuple[float, float, bool, bool, bool]] = {
    "manager_gap": (0, 1, False, False, False),
    "callback_window_h": (0, 24 * 31, False, True, False),
    "service_level": (0, 1, False, True, False),
    "answer_within_s": (0, 3600, False, True, False),
    "min_active_days": (0, 366, True, True, True),
    "wrapup_s": (0, 3600, True, True, False),
}

_SLUG = re.compile(r"[a-z0-9_-]+")
_KNOWN_KEYS = {
    "client", "slug", "timezone", "region", "period", "calls", "calls_format", "column_map",
    "employees", "own_numbers", "known_clients", "thresholds", "transcripts", "lang",
    "mask_numbers", "worklist_numbers", "brief", "script", "mandatory_questions", "call_results", "competitors",
    "deal_terms", "stop_words", "topics", "navigation", "previous_period", "area_code",
    "line_area_codes", "decision_makers", "advantages", "materials", "negotiation",
    "roles", "economics",
    "working_hours", "lookback_days",
    "queue_log",
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
    """Profile ``economics``: what a lead and a call are worth, so findings can say their cost
    in roubles (:data:`callkit.findings.IMPACT_UNITS`).

    - ``average_deal_rub`` — the average deal;
    - ``lead_to_deal`` — the share of incoming enquiries (leads) that become a deal: a lost
      enquiry (impact unit ``lost_leads``) costs lead_to_deal x average_deal_rub;
    - ``call_to_deal`` (optional) — the share of outgoing calls to new clients that become a
      deal: a client call a manager did not make, or spent on the same numbers, private mobiles
      or colleagues (unit ``client_calls``), costs call_to_deal x average_deal_rub. Without it
      those findings have no roubles (an outgoing call is not an enquiry: the lead-to-deal
      share would overstate it many times).
    """

    average_deal_rub: float
    lead_to_deal: float
    call_to_deal: float | None = None

    def rub(self, calls: Any) -> Any:
        """Roubles of ``calls`` leads (a number or an array/Series): calls x lead_to_deal x
        average_deal_rub."""
        return calls * self.lead_to_deal * self.average_deal_rub

    def conversion(self, unit: str) -> float | None:
        """The share of one ``unit`` that becomes a deal: ``lead_to_deal`` for ``lost_leads``,
        ``call_to_deal`` for ``client_calls`` (None when not given); None for any other unit
        (time, risk: no roubles)."""
        return {"lost_leads": self.lead_to_deal, "client_calls": self.call_to_deal}.get(unit)


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
    queue_log: list[Path] = field(default_factory=list)   # Asterisk queue_log file(s) / a dump with queuelog
    lang: str = "ru"
    mask_numbers: bool = True
    worklist_numbers: str = "masked"   # the call-back worklist: "masked" or "full" (for the staff who call)
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


def _show(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (an error line stays one short line)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- YAML with limits

class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that counts nesting while composing, and leaves a timestamp that is
    not a real date (``2026-02-30``) as text for the field check to name."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _Limit(f"nests deeper than {MAX_YAML_DEPTH} levels (at line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_LimitedLoader.add_constructor("tag:yaml.org,2002:timestamp", _LimitedLoader.construct_yaml_timestamp)


class _Limit(Exception):
    pass


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """Values under ``node`` with every alias expanded (memoised: linear in the distinct nodes)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_YAML_NODES + 1        # a node that contains itself expands without end
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def load_yaml(path: str | Path) -> Any:
    """Read a YAML file with the limits of the module docstring.

    Raises
    ------
    ProfileError
        One line: the file and what is wrong (too big, nested too deep, aliases that expand
        beyond the limit, not YAML, not UTF-8).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ProfileError(f"{path}: not a regular file; expected a YAML profile")
        if size > MAX_YAML_BYTES:
            raise ProfileError(f"{path}: {size:,} bytes; a profile is at most {MAX_YAML_BYTES:,}")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(f"{path}: profile file not found") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text; save the profile as UTF-8") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror})") from None
    loader = None
    try:
        loader = _LimitedLoader(text)   # checks the characters: a NUL is a YAMLError here
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            raise _Limit(f"expands to more than {MAX_YAML_NODES:,} values through its aliases "
                         "(&anchor/*alias); write the values out")
        return loader.construct_document(node)
    except _Limit as exc:
        raise ProfileError(f"{path}: refused: the YAML {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProfileError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:   # pragma: no cover - the depth limit comes first
        raise ProfileError(f"{path}: refused: the YAML nests too deep") from None
    finally:
        if loader is not None:
            loader.dispose()


def check_values(data: Any, where: str, key: str = "") -> None:
    """Walk every value: floats must be finite and texts at most :data:`MAX_TEXT` characters.

    Examples
    --------
    >>> check_values({"thresholds": {"manager_gap": float("nan")}}, "p.yaml")
    Traceback (most recent call last):
    ...
    callkit.errors.ProfileError: p.yaml: field 'thresholds.manager_gap' has nan; expected a finite number
    """
    stack: list[tuple[str, Any]] = [(key, data)]
    while stack:
        k, v = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            raise _err(where, k, f"has {v!r}; expected a finite number")
        if isinstance(v, str) and len(v) > MAX_TEXT:
            raise _err(where, k, f"has a text of {len(v):,} characters; expected at most {MAX_TEXT:,}")
        if isinstance(v, dict):
            for kk, vv in v.items():
                if isinstance(kk, str) and len(kk) > MAX_TEXT:
                    raise _err(where, k, f"has a key of {len(kk):,} characters")
                stack.append((f"{k}.{kk}" if k else str(kk), vv))
        elif isinstance(v, list):
            stack.extend((f"{k}[{i}]", vv) for i, vv in enumerate(v))


# ----------------------------------------------------------------------------- field checks

def check_number(where: str, key: str, value: Any, *, lo: float | None = None, hi: float | None = None,
                 lo_incl: bool = True, hi_incl: bool = True, integer: bool = False) -> float | int:
    """A finite number in ``[lo, hi]`` (bounds open when ``lo_incl``/``hi_incl`` are False).

    Examples
    --------
    >>> check_number("p.yaml", "thresholds.manager_gap", 0.25, lo=0, hi=1, lo_incl=False)
    0.25
    >>> check_number("p.yaml", "thresholds.min_active_days", float("inf"), lo=0, integer=True)
    Traceback (most recent call last):
    ...
    callkit.errors.ProfileError: p.yaml: field 'thresholds.min_active_days' has inf; expected a finite whole number >= 0
    """
    kind = "whole number" if integer else "number"
    rng = []
    if lo is not None:
        rng.append(f"{'>=' if lo_incl else '>'} {lo:g}")
    if hi is not None:
        rng.append(f"{'<=' if hi_incl else '<'} {hi:g}")
    expected = f"expected a finite {kind}" + (f" {' and '.join(rng)}" if rng else "")
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if ok and lo is not None:
        ok = value >= lo if lo_incl else value > lo
    if ok and hi is not None:
        ok = value <= hi if hi_incl else value < hi
    if not ok:
        raise _err(where, key, f"has {_show(value)}; {expected}")
    return int(value) if integer else value


def check_choice(where: str, key: str, value: Any, choices: Iterable[str]) -> str:
    """One of ``choices`` (compared as text)."""
    choices = list(choices)
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) not in choices:
        if len(choices) > 10:   # a long list (the export formats): the likely one first, the list in one line
            import difflib
            close = difflib.get_close_matches(str(value), choices, n=1)
            listed = f"did you mean {close[0]!r}?" if close else ", ".join(choices)
            raise _err(where, key, f"has {_show(value)}; expected one of {len(choices)} names: {listed}")
        raise _err(where, key, f"has {_show(value)}; expected one of {choices}")
    return str(value)


def check_date(where: str, key: str, value: Any) -> dt.date:
    """A calendar date (a YAML date or ``YYYY-MM-DD`` text; ``2026-02-30`` is refused)."""
    try:
        return as_date(value)
    except (ValueError, TypeError) as exc:
        why = f" ({exc})" if "out of range" in str(exc) else ""
        raise _err(where, key, f"has {_show(value)}; expected a real date YYYY-MM-DD{why}") from None


def check_time_of_day(where: str, key: str, value: Any) -> dt.time:
    """A time of day ``"HH:MM"``. Unquoted ``09:00`` is read by YAML 1.1 as the number 540
    (base 60), which is taken back as 09:00.

    Examples
    --------
    >>> check_time_of_day("p.yaml", "working_hours.from", 540), check_time_of_day("p", "k", "18:30")
    (datetime.time(9, 0), datetime.time(18, 30))
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, dt.time):
        return value
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", str(value).strip()) if isinstance(value, str) else None
    if m and int(m[1]) < 24 and int(m[2]) < 60 and int(m[3] or 0) < 60:
        return dt.time(int(m[1]), int(m[2]), int(m[3] or 0))
    if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
        return dt.time(23, 59, 59, 999999)
    raise _err(where, key, f"has {_show(value)}; expected a time of day like \"09:00\"")


def check_mapping(where: str, key: str, value: Any, *, allow_none: bool = True) -> dict[str, Any]:
    """A mapping (``None`` gives ``{}`` when ``allow_none``)."""
    if value is None and allow_none:
        return {}
    if not isinstance(value, dict):
        raise _err(where, key, f"has {_show(value)}; expected a mapping (key: value lines)")
    return value


def check_str_list(where: str, key: str, value: Any) -> list[str]:
    """A list of texts (a single text is a one-item list; ``None`` an empty one)."""
    return _str_list(where, key, value)


def check_slug(where: str, key: str, value: Any) -> str:
    """A folder-safe id ``[a-z0-9_-]+`` (no newline, no dots)."""
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise _err(where, key, f"has {_show(value)}; expected lowercase letters, digits, '_' or '-' "
                               "(it names the output folder)")
    return value


@functools.lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def check_timezone(value: Any, *, where: str = "--tz", key: str | None = None) -> str:
    """An IANA time zone name of the tz database (``Europe/Moscow``), exactly as spelt there.

    Raises
    ------
    ProfileError
        With a suggestion for a mis-cased or bare city name (``moscow`` → ``Europe/Moscow``).

    Examples
    --------
    >>> check_timezone("Europe/Berlin")
    'Europe/Berlin'
    >>> check_timezone("moscow")
    Traceback (most recent call last):
    ...
    callkit.errors.ProfileError: --tz: 'moscow' is not a time zone of the tz database; did you mean 'Europe/Moscow'?
    """
    tz = value if isinstance(value, str) else None
    if tz is not None and tz in _zones():
        return tz
    hint = ""
    if tz:
        low = tz.strip().lower().replace(" ", "_")
        near = sorted(z for z in _zones() if z.lower() == low or z.lower().rsplit("/", 1)[-1] == low)
        hint = f"; did you mean {near[0]!r}?" if near else "; expected a name like 'Europe/Moscow'"
    else:
        hint = "; expected a name like 'Europe/Moscow'"
    what = f"{_show(value, 60)} is not a time zone of the tz database{hint}"
    raise ProfileError(f"{where}: field {key!r} has {what.replace(' is not', ', which is not', 1)}"
                       if key else f"{where}: {what}")


def check_region(value: Any, *, where: str = "--region", key: str | None = None) -> str:
    """A region code libphonenumber knows (``RU``, ``KZ``, ``DE``; lower case accepted).

    YAML 1.1 reads an unquoted ``NO`` (Norway) as ``false``; the message says to quote it.
    """
    import phonenumbers
    code = value.strip().upper() if isinstance(value, str) else None
    if code and code in phonenumbers.SUPPORTED_REGIONS:
        return code
    hint = " (YAML reads an unquoted NO as false: write 'NO')" if isinstance(value, bool) else ""
    what = (f"{_show(value, 40)} is not a region libphonenumber knows; expected a two-letter country "
            f"code like 'RU' or 'KZ'{hint}")
    raise ProfileError(f"{where}: field {key!r} has {what.replace(' is not', ', which is not', 1)}"
                       if key else f"{where}: {what}")


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


def _str_list(where: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise _err(where, key, f"has {_show(value)}; expected a list of strings")
    return [str(v) for v in value]


def _phrase_map(where: str, key: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if isinstance(value, list):  # a bare list of phrases: each phrase is its own item
        return {str(v): [str(v)] for v in _str_list(where, key, value)}
    if not isinstance(value, dict):
        raise _err(where, key, f"has {_show(value)}; expected a mapping name -> list of phrases")
    return {str(k): _str_list(where, f"{key}.{k}", v) for k, v in value.items()}


def _path(base: Path, where: str, key: str, value: Any, *, must_exist: bool) -> Path:
    if not isinstance(value, str) or not value:
        raise _err(where, key, f"has {_show(value)}; expected a file path")
    p = Path(value)
    p = p if p.is_absolute() else (base / p)
    if must_exist and not p.exists():
        raise _err(where, key, f"names {value!r}, which does not exist (looked at {p})")
    if must_exist and not p.is_file():
        raise _err(where, key, f"names {value!r}, which is not a regular file (looked at {p})")
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
    check_values(data, where)
    if "client" not in data:
        raise _err(where, "client", "is missing; expected the client's display name")
    client = data["client"]
    if not isinstance(client, (str, int)) or isinstance(client, bool) or not str(client).strip():
        raise _err(where, "client", f"has {_show(client)}; expected the client's display name")
    client = str(client).strip()
    slug = check_slug(where, "slug", data.get("slug"))
    tz = check_timezone(data.get("timezone", "Europe/Moscow"), where=where, key="timezone")
    region = check_region(data.get("region", "RU"), where=where, key="region")
    p = Profile(client=client, slug=slug, timezone=tz, region=region, source=None, raw=dict(data))
    period = data.get("period")
    if period is not None:
        if not isinstance(period, dict) or "start" not in period or "end" not in period:
            raise _err(where, "period", f"has {_show(period)}; expected {{start: YYYY-MM-DD, end: YYYY-MM-DD}}")
        p.period_start = check_date(where, "period.start", period["start"])
        p.period_end = check_date(where, "period.end", period["end"])
        if p.period_end < p.period_start:
            raise _err(where, "period", f"ends ({p.period_end}) before it starts ({p.period_start})")
    prev = data.get("previous_period")
    if prev is not None:
        if not isinstance(prev, dict) or "start" not in prev or "end" not in prev:
            raise _err(where, "previous_period", f"has {_show(prev)}; expected {{start: ..., end: ...}}")
        p.previous_period = (check_date(where, "previous_period.start", prev["start"]),
                             check_date(where, "previous_period.end", prev["end"]))
    calls = data.get("calls", [])
    calls = [calls] if isinstance(calls, str) else calls
    if not isinstance(calls, list):
        raise _err(where, "calls", f"has {_show(calls)}; expected a list of file paths")
    p.calls = [_path(base, where, f"calls[{i}]", c, must_exist=check_files) for i, c in enumerate(calls)]
    qlog = data.get("queue_log") or []
    qlog = [qlog] if isinstance(qlog, str) else qlog
    if not isinstance(qlog, list):
        raise _err(where, "queue_log", f"has {_show(qlog)}; expected a file path or a list of them "
                                       "(the Asterisk queue_log, its CSV/DB export or an SQL dump with "
                                       "a queuelog table)")
    p.queue_log = [_path(base, where, f"queue_log[{i}]", q, must_exist=check_files) for i, q in enumerate(qlog)]
    from callkit.io.registry import FORMATS  # the io package imports this module
    p.calls_format = check_choice(where, "calls_format", data.get("calls_format", "auto"),
                                  ["auto", *sorted(FORMATS)])
    cmap = data.get("column_map")
    if cmap is not None and not isinstance(cmap, dict):
        raise _err(where, "column_map", f"has {_show(cmap)}; expected a mapping canonical -> source column")
    p.column_map = {str(k): str(v) for k, v in cmap.items()} if cmap else None
    for key in ("employees", "known_clients", "transcripts"):
        if data.get(key) is not None:
            setattr(p, key, _path(base, where, key, data[key], must_exist=check_files))
    p.own_numbers = _str_list(where, "own_numbers", data.get("own_numbers"))
    th = dict(DEFAULT_THRESHOLDS)
    for k, v in check_mapping(where, "thresholds", data.get("thresholds")).items():
        if k not in th:
            raise _err(where, f"thresholds.{k}", f"is unknown; known thresholds are {sorted(th)}")
        lo, hi, lo_incl, hi_incl, integer = THRESHOLD_RANGES.get(k, (0, None, True, True, False))
        th[k] = check_number(where, f"thresholds.{k}", v, lo=lo, hi=hi, lo_incl=lo_incl,
                             hi_incl=hi_incl, integer=integer)
    p.thresholds = Thresholds(**th)
    p.lang = check_choice(where, "lang", data.get("lang", "ru"), ["ru", "en"])
    mask = data.get("mask_numbers", True)
    if not isinstance(mask, bool):
        raise _err(where, "mask_numbers", f"has {_show(mask)}; expected true or false")
    p.mask_numbers = mask
    p.worklist_numbers = check_choice(where, "worklist_numbers", data.get("worklist_numbers", "masked"),
                                      ["masked", "full"])
    if data.get("area_code") is not None:
        ac = str(data["area_code"])
        if not re.fullmatch(r"\d{3,5}", ac):
            raise _err(where, "area_code", f"has {ac!r}; expected 3-5 digits like '3012'")
        p.area_code = ac
    lac = check_mapping(where, "line_area_codes", data.get("line_area_codes"))
    for k, v in lac.items():
        if not re.fullmatch(r"\d{3,5}", str(v)):
            raise _err(where, f"line_area_codes.{k}", f"has {_show(v)}; expected 3-5 digits like '3012'")
    p.line_area_codes = {str(k): str(v) for k, v in lac.items()}
    p.brief = check_mapping(where, "brief", data.get("brief"))
    script = data.get("script") or []
    if not isinstance(script, list):
        raise _err(where, "script", f"has {_show(script)}; expected a list of {{stage, phrases}}")
    for i, st in enumerate(script):
        if not isinstance(st, dict) or "stage" not in st or "phrases" not in st:
            raise _err(where, f"script[{i}]", f"has {_show(st)}; expected {{stage: name, phrases: [...]}}")
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
        raise _err(where, "roles", f"has {_show(value)}; expected a mapping department or employee "
                                   f"name -> role ({' | '.join(ROLES)})")
    out = {}
    for k, v in value.items():
        role = str(v).strip().lower() if isinstance(v, str) else v
        if role not in ROLES:
            raise _err(where, f"roles.{k}", f"has {_show(v)}; expected one of {' | '.join(ROLES)}")
        out[str(k).strip()] = role
    return out


def _economics(where: str, value: Any) -> Economics | None:
    """``economics: {average_deal_rub: 45000, lead_to_deal: 0.2, call_to_deal: 0.02}``
    (``call_to_deal`` optional)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _err(where, "economics", f"has {_show(value)}; expected {{average_deal_rub: number, "
                                       "lead_to_deal: 0..1, call_to_deal: 0..1 (optional)}")
    unknown = set(value) - {"average_deal_rub", "lead_to_deal", "call_to_deal"}
    if unknown:
        raise _err(where, f"economics.{sorted(unknown)[0]}", "is unknown; expected "
                   "average_deal_rub, lead_to_deal and optionally call_to_deal")
    nums = {}
    for key in ("average_deal_rub", "lead_to_deal", "call_to_deal"):
        v = value.get(key)
        if v is None:
            if key == "call_to_deal":
                continue
            raise _err(where, f"economics.{key}", "is missing; economics needs both "
                       "average_deal_rub and lead_to_deal")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < float("inf"):
            raise _err(where, f"economics.{key}", f"has {_show(v)}; expected a positive number")
        nums[key] = float(v)
    for key, what in (("lead_to_deal", "incoming enquiries (leads)"),
                      ("call_to_deal", "outgoing calls to new clients")):
        if nums.get(key, 0) > 1:
            raise _err(where, f"economics.{key}", f"has {_show(value[key])}; expected the share of "
                       f"{what} that become deals, 0..1 (0.2 = 20 %)")
    return Economics(**nums)


def load_profile(path: str | Path, *, check_files: bool = True) -> Profile:
    """Read and validate a client profile YAML file.

    Raises
    ------
    ProfileError
        Naming the file, the field and what was expected.
    """
    path = Path(path)
    data = load_yaml(path)
    prof = profile_from_dict(data, base=path.resolve().parent, where=str(path), check_files=check_files)
    prof.source = path.resolve()
    return prof
