"""``write_sample()``: a whole sample folder (calls in several formats, employees, known clients,
client profile, ground truth, README) — what ``callkit sample`` and ``data_samples/`` hold."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from callkit.errors import InputError
from callkit.samples._build import SampleCompany, generate, transcript_calls
from callkit.samples._company import MEETING
from callkit.samples._writers import MANGO_FIELDS, WRITERS

__all__ = ["write_sample", "DEFAULT_FORMATS", "CLIENT", "SLUG", "write_employees", "write_clients",
           "write_truth", "write_transcripts", "profile_dict"]

CLIENT = "ООО «Фильтр-Сервис»"      # fictional; the synthetic dialogues name the same company
SLUG = "filtr-servis"
#: What a lead is worth in the sample profiles (profile ``economics``: impact in roubles).
ECONOMICS = {"average_deal_rub": 45000, "lead_to_deal": 0.2}
DEFAULT_FORMATS: tuple[str, ...] = ("asterisk", "asterisk_cp1251", "freepbx", "freeswitch", "3cx",
                                    "sipuni", "mango", "bitrix24", "generic_csv", "generic_xlsx")

_FALLBACK_BRIEF: dict[str, Any] = {
    "brief": {"sales_method": ["phone", "incoming"], "lead_sources": ["site", "exhibitions"],
              "main_benefit": "гарантия три года", "materials": ["прайс", "наличие на складе"]},
    "script": [{"stage": "greeting", "phrases": ["добрый день", "меня зовут"]},
               {"stage": "needs", "phrases": ["какой объем", "для какого оборудования"]},
               {"stage": "closing", "phrases": ["спасибо за звонок", "всего доброго"]}],
    "mandatory_questions": ["какой объем", "какие сроки"],
    "call_results": {"sale": ["оформить заказ"], "invoice": ["выставить счет"],
                     "meeting": ["назначить встречу"], "next_contact": ["созвониться"],
                     "clarify": ["уточнить заявку"]},
    "competitors": ["Чистолинк", "Фильтрогран"],
    "deal_terms": {"delivery": ["доставка"], "payment": ["оплата", "отсрочка"], "documents": ["договор"]},
    "stop_words": ["не знаю", "это не ко мне"],
    "topics": {"price": ["цена", "скидка"], "delivery": ["доставка", "срок поставки"]},
    "navigation": ["ошиблись номером", "как проехать"],
}


def _brief() -> dict[str, Any]:
    try:
        from callkit.speech.synthetic import DEMO_BRIEF
    except ImportError:  # the speech part is optional for the samples
        return dict(_FALLBACK_BRIEF)
    return json.loads(json.dumps(DEMO_BRIEF, ensure_ascii=False))


def write_employees(company: SampleCompany, path: str | Path) -> Path:
    """``extension,name,department,hire_date`` (UTF-8, one header row)."""
    p = Path(path)
    company.employees.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
    return p


def write_clients(company: SampleCompany, path: str | Path) -> Path:
    """The known-clients list: ``number,name,segment`` with E.164 numbers."""
    p = Path(path)
    company.clients.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
    return p


def write_truth(company: SampleCompany, path: str | Path) -> Path:
    p = Path(path)
    p.write_text(json.dumps(company.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return p


def write_transcripts(company: SampleCompany, path: str | Path, *, n: int = 150,
                      labels_path: str | Path | None = None) -> Path | None:
    """Synthetic dialogues (``callkit.speech.synthetic.make_transcripts``) for ``n`` answered
    external calls of the period, as JSONL utterances; None when the speech part is missing."""
    try:
        from callkit.speech.synthetic import make_transcripts
    except ImportError:
        return None
    calls = transcript_calls(company)
    if len(calls) > n:
        rng = np.random.default_rng([company.seed, 7])
        calls = calls.iloc[np.sort(rng.choice(len(calls), size=n, replace=False))]
    utt, labels = make_transcripts(calls, seed=company.seed)
    p = Path(path)
    lines = [json.dumps({k: (float(v) if isinstance(v, (float, np.floating)) else str(v))
                         for k, v in r.items()}, ensure_ascii=False)
             for r in utt.to_dict("records")]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if labels_path is not None:
        labels.to_csv(labels_path, index=False, encoding="utf-8", lineterminator="\n")
    return p


def profile_dict(company: SampleCompany, *, calls: list[str], transcripts: str | None) -> dict[str, Any]:
    """The client profile (DESIGN §4) for the sample folder; paths relative to the profile."""
    hist_end = company.period[0] - dt.timedelta(days=1)
    prof: dict[str, Any] = {
        "client": company.client, "slug": company.slug, "timezone": company.tz, "region": "RU",
        "period": {"start": company.period[0].isoformat(), "end": company.period[1].isoformat()},
        "calls": calls, "calls_format": "auto", "employees": "employees.csv",
        "own_numbers": list(company.own_numbers), "known_clients": "clients.csv",
        "thresholds": {"manager_gap": 0.25, "callback_window_h": 24, "service_level": 0.8,
                       "answer_within_s": 20, "min_active_days": 3},
    }
    prof["working_hours"] = company.truth["working_hours"]
    if company.history_start <= hist_end:
        prof["previous_period"] = {"start": company.history_start.isoformat(), "end": hist_end.isoformat()}
        # the look-back the loaded history allows: the whole history month before the period
        # (with the default 90 days the period's new clients could not be judged)
        prof["lookback_days"] = (company.period[0] - company.history_start).days
    if transcripts:
        prof["transcripts"] = transcripts
    if company.truth.get("profile_roles"):
        prof["roles"] = dict(company.truth["profile_roles"])
    prof["economics"] = dict(ECONOMICS)
    prof.update({"lang": "ru", "mask_numbers": True})
    prof.update(_brief())
    return prof


def _planted_lines(company: SampleCompany) -> list[str]:
    t = company.truth
    pl = t["planted"]
    if company.key != "filtr":
        out = []
        for key, p in pl.items():
            who = p.get("employee") or p.get("group") or ""
            rule = f"`{p['rule']}`" if p.get("rule") else "no finding"
            why = p.get("why") or p.get("must_not_be_accused") or p.get("cause") or ""
            out.append(f"- {key}: {who} — {why} → {rule};")
        out.append(f"- controls, who must not be flagged: {', '.join(t['controls'])}; roles in the "
                   f"profile: {t.get('profile_roles', {})}.")
        return out
    return [
        f"- inbound lead: {pl['inbound_lead']['employee']} ({pl['inbound_lead']['department']}) — "
        "takes most queue calls, few outgoing: an inbound role (inferred), **not** to be accused "
        "of few calls to new clients;",
        f"- mobile_heavy: {pl['mobile_heavy']['employee']} — outgoing almost only to known clients' mobiles;",
        f"- internal_heavy: {pl['internal_heavy']['employee']} — internal share above 40 %;",
        f"- repeat_dialing: {pl['repeat_dialer']['employee']} — most outgoing to six known numbers;",
        f"- absent_at_peak: {pl['absent_at_peak']['employee']} — breaks exactly at the peaks "
        f"{', '.join(str(h) for h in t['peak_hours'])} h;",
        f"- missed_peak: {MEETING[0]:%H:%M}–{MEETING[1]:%H:%M} sales meeting every working day, hour "
        f"{pl['missed_peak']['hour']};",
        f"- understaffed: Saturday {pl['understaffed']['hour']}:00, one duty agent in Сервис;",
        f"- line_limit: at most {pl['line_limit']['max_concurrent']} simultaneous calls; the PBX refuses more;",
        f"- missed_no_callback: {pl['missed_no_callback']['department']} rarely calls back;",
        f"- short_ring_drops: Wednesday {pl['short_ring_drops']['hour']}:00, calls dropped within 1–4 s;",
        "- machine_answered: after hours the announcement (Playback) answers; no person.",
        f"- flow_concentration: {pl['flow_concentration']['department']} — the queue rings "
        f"{pl['flow_concentration']['star']['employee']} first; she takes "
        f"{pl['flow_concentration']['evidence']['top_share']:.0%} of the answered incoming calls;",
        f"- controls, who must not be flagged: {', '.join(t['controls'])}; "
        f"{t['few_active_days']['employee']} has {t['few_active_days']['days_active']} active days "
        "(reported, not flagged); the inbound-role managers "
        f"{', '.join(t['inbound_role']['employees'])} are not accused either.",
    ]


def _readme(company: SampleCompany, files: list[tuple[str, str]], command: str, slice_: tuple) -> str:
    t = company.truth
    lines = [
        f"# Sample data: {company.client} (synthetic)",
        "",
        "Everything in this folder is **synthetic**, made by `callkit.samples` (no real company, "
        "person or phone number). Numbers come from unallocated ranges: mobiles +7 972…976 0xxxxxx, "
        "landlines +7 495 0xx-xx-xx, toll-free +7 800 0xx-xx-xx, Kazakhstan-style +7 700 0xx-xx-xx.",
        "",
        "Regenerate (deterministic: the same command gives the same bytes):",
        "",
        "```",
        command,
        "```",
        "",
        f"- period {company.period[0]} – {company.period[1]}, history from {company.history_start} "
        f"(makes numbers known), time zone {company.tz}; {t['sessions']['total']} sessions, "
        f"{t['sessions']['legs']} Asterisk legs in `calls/Master.csv`;",
        f"- the other formats hold the calls of {slice_[0]} – {slice_[1]} only (small files for loader "
        "tests and demos);",
        "- `truth.json` — what was planted and on whom, with evidence computed from the ground-truth "
        "sessions by the definitions of DESIGN §3, and the reference metrics per employee.",
        "",
        "## Files",
        "",
        "| file | format |",
        "|---|---|",
    ]
    lines += [f"| `{f}` | {d} |" for f, d in files]
    lines += [
        "",
        "## Planted behaviours (see `truth.json`)",
        "",
        *_planted_lines(company),
        "",
        "## Format notes",
        "",
        "- Mango Office file: columns requested in the order "
        f"`{','.join(MANGO_FIELDS)}`.",
        "- Bitrix24 file: `PORTAL_USER_ID` equals the employee's extension; `CALL_TYPE` 4 marks a "
        "callback after a missed call.",
        "- Sipuni file: the 2015 header (two extra empty cells at the end), external calls only.",
        "- 3CX file: 27 fields in the order of a real 2020 log (FORMATS.md §2.3), local times.",
        "- FreeSWITCH file: `example` template, `legs=ab` (B-legs carry the A-leg uuid in `bleg_uuid`).",
        "",
    ]
    return "\n".join(lines)


_DESCRIPTIONS = {
    "asterisk": "Asterisk cdr_csv Master.csv, 21 columns, UTF-8",
    "asterisk_cp1251": "Asterisk cdr_csv Master.csv, 21 columns, cp1251",
    "freepbx": "FreePBX cdr table export with a header (calldate, …, linkedid, sequence)",
    "freeswitch": "FreeSWITCH mod_cdr_csv, `example` template, legs=ab",
    "3cx": "3CX CDR log, 27 fields, no header",
    "sipuni": "Sipuni statistics CSV, `;`, Russian header",
    "mango": "Mango Office stats CSV, `;`, no header, unix seconds",
    "bitrix24": "Bitrix24 telephony statistics CSV (voximplant.statistic.get fields)",
    "generic_csv": "generic report CSV, `;`, cp1251, Russian headers",
    "generic_xlsx": "generic report XLSX, Russian headers",
}


def write_sample(out_dir: str | Path, *, calls: int = 3000, seed: int = 0,
                 formats: Iterable[str] = DEFAULT_FORMATS, full_formats: Iterable[str] = ("asterisk",),
                 sample_days: int = 3, transcripts: int = 150,
                 period: tuple[str, str] = ("2026-10-01", "2026-10-31"), history_days: int = 30,
                 tz: str = "Europe/Moscow", command: str | None = None,
                 company: str = "filtr") -> list[Path]:
    """Write a synthetic sample folder and return the paths written.

    Layout: ``profile.yaml``, ``employees.csv``, ``clients.csv``, ``truth.json``, ``README.md``,
    ``calls/<file>`` for each of ``full_formats`` (history + period; the profile's ``calls``
    names the first one), ``formats/<file>`` for the other ``formats`` (only the first
    ``sample_days`` days of the period), ``transcripts.jsonl`` + ``transcripts_labels.csv`` when
    the speech part is installed and ``transcripts`` > 0.

    Parameters
    ----------
    out_dir : path
        Created if missing; files of the same names are overwritten.
    calls, seed, period, history_days, tz
        Passed to :func:`generate`.
    formats : names
        Any of ``DEFAULT_FORMATS``.
    command : str, optional
        The command line quoted in README.md (default: the ``python -m callkit.samples`` form).
    company : {"filtr", "akva"}
        Which synthetic company (:func:`generate`): ``akva`` has the relative outliers, the
        inbound manager and the service queue too thin for its Monday rush of issue 9.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), calls=300, formats=("asterisk",), transcripts=0)
    >>> sorted(p.name for p in paths)[:3]
    ['Master.csv', 'README.md', 'clients.csv']
    """
    formats = tuple(formats)
    full = tuple(f for f in full_formats if f in formats)
    bad = [f for f in formats if f not in WRITERS]
    if bad:
        raise InputError(f"unknown sample format(s) {bad}; expected some of {list(WRITERS)}")
    if sample_days < 1:
        raise InputError(f"sample_days={sample_days!r}; expected 1 or more")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    company = generate(calls=calls, seed=seed, period=period, history_days=history_days, tz=tz,
                       company=company)
    first = company.period[0]
    last = min(company.period[1], first + dt.timedelta(days=sample_days - 1))
    small = company.between(first, last)
    written: list[Path] = []
    described: list[tuple[str, str]] = []
    calls_rel: list[str] = []
    for name in formats:
        writer, fname = WRITERS[name]
        if name in full:
            rel = f"calls/{fname}"
            written.append(writer(company, out / rel))
            calls_rel.append(rel)
            described.append((rel, _DESCRIPTIONS[name] + " — history + period"))
        else:
            rel = f"formats/{fname}"
            written.append(writer(small, out / rel))
            described.append((rel, _DESCRIPTIONS[name]))
    if not calls_rel:
        raise InputError("write_sample: no full-period format chosen; include one of full_formats "
                         f"{tuple(full_formats)} in formats")
    written.append(write_employees(company, out / "employees.csv"))
    written.append(write_clients(company, out / "clients.csv"))
    tr_rel = None
    if transcripts > 0:
        tr = write_transcripts(company, out / "transcripts.jsonl", n=transcripts,
                               labels_path=out / "transcripts_labels.csv")
        if tr is not None:
            tr_rel = tr.name
            written += [tr, out / "transcripts_labels.csv"]
            described += [("transcripts.jsonl", f"synthetic dialogues for {transcripts} answered calls "
                                                "(call_id, speaker, start, end, text)"),
                          ("transcripts_labels.csv", "what was planted in each dialogue")]
    prof = profile_dict(company, calls=calls_rel[:1], transcripts=tr_rel)
    header = (f"# Client profile for the synthetic sample ({company.client} is fictional).\n"
              "# Paths are relative to this file. See DESIGN.md §4.\n")
    (out / "profile.yaml").write_text(header + yaml.safe_dump(prof, allow_unicode=True, sort_keys=False,
                                                              width=100), encoding="utf-8")
    written.append(out / "profile.yaml")
    written.append(write_truth(company, out / "truth.json"))
    described = [("profile.yaml", "client profile (DESIGN §4)"),
                 ("employees.csv", "employees directory: extension, name, department, hire_date"),
                 ("clients.csv", "known clients: number, name, segment"),
                 ("truth.json", "ground truth of the planted behaviours")] + described
    if command is None:
        opt = "" if company.key == "filtr" else f" --company {company.key}"
        command = (f"python -m callkit.samples {out_dir} --calls {calls} --seed {seed}{opt}\n"
                   f"# or: callkit sample --calls {calls} --seed {seed}{opt} --out {out_dir}")
    (out / "README.md").write_text(_readme(company, described, command, (first, last)), encoding="utf-8")
    written.append(out / "README.md")
    return written

