"""Client reports: the audit notebook's sections, papermill runs, HTML and Excel exports.

The notebook ``notebooks/audit.ipynb`` only calls this module: :func:`prepare` builds the
audit for a profile, each ``section_*`` function returns the display objects of one report
section (a Markdown heading in the report's language, tables, charts saved as PNG and SVG),
:func:`export_workbook` writes the Excel workbook.

:func:`run_client` executes that notebook for one client with papermill (failing on unknown or
missing parameters) and exports a code-free HTML page; :func:`run_batch` does it for every
profile in a folder, one process per client; :func:`demo` runs the bundled sample.

Manager-facing outputs mask client numbers by default (``+7 916 ***-**-67``) and never let
source text become an Excel formula.
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import html
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit import plots, schema
from callkit.errors import CallkitError, InputError
from callkit.masking import is_formula_like, mask_frame, mask_text, safe_output_dir
from callkit.profile import Profile, load_profile

__all__ = [
    "ReportError", "ReportContext", "ClientRun", "ClientStatus", "BatchSummary",
    "SECTIONS", "SHEET_NAMES", "COLUMN_LABELS", "SPEECH_VALUES", "column_label", "heading",
    "prepare", "section_title", "section_coverage", "section_overview", "section_managers",
    "section_compare", "section_activity", "section_number_types", "section_repeat",
    "section_traffic", "section_presence", "section_concentration", "concentration_tables", "section_missed", "section_staffing", "section_tech",
    "section_speech", "section_findings", "section_kpi", "export_workbook", "write_workbook",
    "speech_result", "speech_summary_items", "speech_calls_table", "speech_snippets_table",
    "speech_managers_table",
    "overview_items", "kpi_definitions", "pop_table", "active_managers", "callback_list", "call_back_table", "presence_table",
    "notebook_path", "notebook_parameters", "validate_parameters", "export_html",
    "run_client", "run_batch", "demo", "find_profiles", "sample_profile_path",
]


class ReportError(CallkitError):
    """A report could not be produced (notebook failed, parameters wrong, output missing)."""


# --- texts ------------------------------------------------------------------------------------

#: Section headings, ``SECTIONS[key][lang]``; their order is the report's.
SECTIONS: dict[str, dict[str, str]] = {
    "coverage": {"ru": "Данные: период, покрытие и качество загрузки",
                 "en": "Data: period, coverage and load quality"},
    "overview": {"ru": "Компания в целом", "en": "The company at a glance"},
    "managers": {"ru": "Менеджеры", "en": "Managers"},
    "compare": {"ru": "Сравнение внутри отделов: зоны роста", "en": "Comparison inside departments: growth zones"},
    "activity": {"ru": "Активность: входящие и исходящие", "en": "Activity: incoming and outgoing"},
    "number_types": {"ru": "Мобильные, городские и внутренние звонки",
                     "en": "Mobile, landline and internal calls"},
    "repeat": {"ru": "Повторные наборы", "en": "Repeat dialing"},
    "concentration": {"ru": "Концентрация клиентского потока", "en": "Client flow concentration"},
    "traffic": {"ru": "Входящий трафик по часам и дням недели", "en": "Incoming traffic by hour and weekday"},
    "presence": {"ru": "Присутствие в часы пик", "en": "Presence at peak hours"},
    "missed": {"ru": "Пропущенные звонки и перезвоны", "en": "Missed calls and callbacks"},
    "staffing": {"ru": "Нагрузка и численность", "en": "Staffing vs load"},
    "tech": {"ru": "Технические сигналы", "en": "Technology signals"},
    "speech": {"ru": "Речевая аналитика: скрипт, ЛПР, преимущества, материалы",
               "en": "Speech analytics: script, decision makers, advantages, materials"},
    "findings": {"ru": "Выводы", "en": "Findings"},
    "kpi": {"ru": "Как считаются показатели", "en": "How the figures are computed"},
}

_T: dict[str, dict[str, str]] = {
    "title": {"ru": "Аудит отдела продаж по телефонии: {client}", "en": "Sales-department telephony audit: {client}"},
    "period": {"ru": "Период: {start} — {end}", "en": "Period: {start} to {end}"},
    "masked_note": {"ru": "Номера клиентов скрыты (+7 916 ***-**-67).",
                    "en": "Client numbers are masked (+7 916 ***-**-67)."},
    "no_data": {"ru": "Нет данных для этого раздела.", "en": "No data for this section."},
    "hhi_meaning": {
        "ru": "Индекс концентрации HHI — вероятность того, что два случайных отвеченных входящих звонка "
              "отдела принял один и тот же менеджер: при равном распределении он равен 1/n, при одном "
              "менеджере — 1. «Эффективное число менеджеров» = 1/HHI: поток распределён так, будто его "
              "поровну делят столько человек. Клиент закреплён за менеджером, который провёл больше всего "
              "его звонков.",
        "en": "The HHI concentration index is the chance that two random answered incoming calls of the "
              "department went to the same manager: 1/n when the flow is even, 1 when one manager takes "
              "all. 'Effective managers' = 1/HHI: the flow is as concentrated as if that many people "
              "shared it evenly. A client belongs to the manager who handled most of its calls."},
    "item": {"ru": "Показатель", "en": "Item"},
    "client": {"ru": "Клиент", "en": "Client"},
    "period_label": {"ru": "Период", "en": "Period"},
    "value": {"ru": "Значение", "en": "Value"},
    "files": {"ru": "Файлы", "en": "Files"},
    "format": {"ru": "Формат выгрузки", "en": "Export format"},
    "encoding": {"ru": "Кодировка", "en": "Encoding"},
    "rows_read": {"ru": "Строк прочитано", "en": "Rows read"},
    "rows_loaded": {"ru": "Строк загружено", "en": "Rows loaded"},
    "rows_rejected": {"ru": "Строк отклонено", "en": "Rows rejected"},
    "duplicates": {"ru": "Дубликатов удалено", "en": "Duplicates dropped"},
    "sessions": {"ru": "Звонков (сессий)", "en": "Calls (sessions)"},
    "first_call": {"ru": "Первый звонок в данных", "en": "First call in the data"},
    "last_call": {"ru": "Последний звонок в данных", "en": "Last call in the data"},
    "calls_in_period": {"ru": "Звонков в периоде", "en": "Calls in the period"},
    "incoming": {"ru": "Входящих", "en": "Incoming"},
    "incoming_missed_total": {"ru": "Из них не отвечено", "en": "Of them unanswered"},
    "missed_rate": {"ru": "Доля неотвеченных входящих", "en": "Unanswered share of incoming"},
    "outgoing": {"ru": "Исходящих", "en": "Outgoing"},
    "internal": {"ru": "Внутренних", "en": "Internal"},
    "employees": {"ru": "Менеджеров со звонками", "en": "Managers with calls"},
    "departments": {"ru": "Отделов", "en": "Departments"},
    "client_numbers": {"ru": "Разных номеров клиентов", "en": "Distinct client numbers"},
    "lost": {"ru": "Пропущенных без перезвона (потеряны)", "en": "Missed and never called back (lost)"},
    "growth_zones": {"ru": "Зон роста у менеджеров (отставание > {pct})", "en": "Manager growth zones (gap > {pct})"},
    "rejected_rows": {"ru": "Отклонённые строки (первые {n})", "en": "Rejected rows (first {n})"},
    "notes": {"ru": "Замечания загрузчика", "en": "Loader notes"},
    "peaks": {"ru": "Часы пик", "en": "Peak hours"},
    "never_called_back": {"ru": "Не перезвонили (первые {n} из {total}; полный список в Excel)",
                          "en": "Never called back (first {n} of {total}; full list in Excel)"},
    "understaffed_slots": {"ru": "Часы, где не хватает людей", "en": "Slots short of staff"},
    "no_findings": {"ru": "Правила не нашли проблем.", "en": "No rule fired."},
    "metric": {"ru": "Показатель", "en": "Metric"},
    "formula": {"ru": "Как считается", "en": "Formula"},
    "threshold": {"ru": "Порог в этом отчёте", "en": "Threshold used"},
    "pop": {"ru": "Сравнение с прошлым периодом", "en": "Against the previous period"},
    "tech_table": {"ru": "Сигналы", "en": "Signals"},
    "growth_list": {"ru": "Зоны роста: {n} (отставание от лучшего в отделе больше {pct}); все сравнения — в Excel.",
                    "en": "Growth zones: {n} (gap to the department's best over {pct}); every comparison is in Excel."},
    "files_written": {"ru": "Файлы отчёта", "en": "Report files"},
    "no_transcripts": {"ru": "Расшифровок звонков нет (в профиле не указан файл transcripts): "
                             "речевая аналитика не проводилась.",
                       "en": "No call transcripts (the profile names no transcripts file): "
                             "speech analytics was not run."},
    "no_speech": {"ru": "Расшифровки указаны в профиле, но результатов речевой аналитики нет.",
                  "en": "The profile names transcripts, but there are no speech analytics results."},
    "no_speech_calls": {"ru": "В расшифровках нет ни одного звонка этого клиента.",
                        "en": "The transcripts hold no call of this client."},
    "speech_checklist": {"ru": "Чек-лист по переговорам (все менеджеры)",
                         "en": "Checklist over negotiations (all managers)"},
    "speech_managers": {"ru": "Менеджеры: скрипт, результат, ЛПР/ЛВР, преимущества, материалы",
                        "en": "Managers: script, result, decision makers, advantages, materials"},
    "speech_brief": {"ru": "Пункты брифа по менеджерам (доля переговоров)",
                     "en": "Brief items per manager (share of negotiations)"},
    "speech_violations": {"ru": "Нарушения: примеры (первые {n}; все звонки — в Excel)",
                          "en": "Violations: examples (first {n}; every call is in Excel)"},
    "speech_in_excel": {"ru": "По каждому звонку — в Excel: листы «{calls}», «{snips}», «{mgr}».",
                        "en": "Per call in Excel: sheets “{calls}”, “{snips}”, “{mgr}”."},
}


def _t(key: str, lang: str, **fmt: Any) -> str:
    lang = "en" if lang == "en" else "ru"
    text = _T.get(key, {}).get(lang, key)
    return text.format(**fmt) if fmt else text


#: Column headers of tables and workbook sheets, ``COLUMN_LABELS[column] = (ru, en)``.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "employee": ("Менеджер", "Manager"),
    "extension": ("Внутр. номер", "Extension"),
    "department": ("Отдел", "Department"),
    "external_calls": ("Внешние звонки", "External calls"),
    "outgoing": ("Исходящие", "Outgoing"),
    "outgoing_answered": ("Исходящие отвеченные", "Outgoing answered"),
    "incoming_answered": ("Входящие принятые", "Incoming answered"),
    "incoming_share": ("Доля входящих отдела", "Share of department incoming"),
    "clients": ("Клиентов", "Clients"),
    "clients_share": ("Доля клиентов отдела", "Share of department clients"),
    "clients_single": ("Клиентов только у него", "Clients served only by them"),
    "new_client_share": ("Доля новых клиентов", "Share of new clients"),
    "tenure_days": ("Стаж, дней", "Tenure, days"),
    "even_share": ("Равная доля", "Even share"),
    "managers": ("Менеджеров", "Managers"),
    "new_share_senior": ("Доля новых клиентов у старших по стажу", "New-client share, senior half"),
    "new_share_junior": ("Доля новых клиентов у младших по стажу", "New-client share, junior half"),
    "top_employee": ("Лидер по входящим", "Top manager"),
    "top_share": ("Доля лидера", "Top share"),
    "hhi": ("HHI", "HHI"),
    "effective_managers": ("Эффективно менеджеров", "Effective managers"),
    "clients_single_share": ("Доля клиентов одного менеджера", "Share of single-manager clients"),
    "incoming_missed": ("Входящие пропущенные", "Incoming missed"),
    "internal_calls": ("Внутренние звонки", "Internal calls"),
    "internal_share": ("Доля внутренних", "Internal share"),
    "out_share": ("Доля исходящих", "Outgoing share"),
    "in_out_ratio": ("Вход./исх.", "In/out ratio"),
    "mobile_share": ("Доля на мобильные", "Mobile share"),
    "landline_share": ("Доля на городские", "Landline share"),
    "outgoing_new_clients": ("Исходящие новым", "Outgoing to new clients"),
    "new_clients_reached": ("Новых дозвонились", "New clients reached"),
    "unique_numbers": ("Разных номеров", "Unique numbers"),
    "calls_per_number": ("Звонков на номер", "Calls per number"),
    "talk_s_total": ("Разговор всего, с", "Talk total, s"),
    "talk_s_mean": ("Средний разговор, с", "Mean talk, s"),
    "days_active": ("Рабочих дней", "Active days"),
    "external_calls_per_day": ("Внешних в день", "External per day"),
    "outgoing_new_clients_per_day": ("Новым в день", "New clients per day"),
    "metric": ("Показатель", "Metric"),
    "value": ("Значение", "Value"),
    "best": ("Лучший в отделе", "Department best"),
    "gap": ("Отставание", "Gap"),
    "flagged": ("Зона роста", "Growth zone"),
    "weekday": ("День недели", "Weekday"),
    "hour": ("Час", "Hour"),
    "incoming": ("Входящие", "Incoming"),
    "answered": ("Отвечено", "Answered"),
    "missed": ("Пропущено", "Missed"),
    "missed_rate": ("Доля пропущенных", "Missed rate"),
    "days": ("Дней", "Days"),
    "call_id": ("ID звонка", "Call id"),
    "start": ("Начало", "Start"),
    "client_number": ("Номер клиента", "Client number"),
    "callback_at": ("Перезвонили", "Called back at"),
    "callback_delay_s": ("Через, с", "Callback delay, s"),
    "reached": ("Дозвонились", "Reached"),
    "lost": ("Потерян", "Lost"),
    "calls_per_hour": ("Звонков в час", "Calls per hour"),
    "aht_s": ("Ср. время обработки, с", "AHT, s"),
    "erlangs": ("Нагрузка, Эрл", "Load, Erlangs"),
    "required_agents": ("Нужно операторов", "Agents needed"),
    "active_employees": ("На связи", "On duty"),
    "max_concurrent": ("Макс. одновременных", "Max concurrent"),
    "understaffed": ("Не хватает", "Understaffed"),
    "rule": ("Правило", "Rule"),
    "severity": ("Важность", "Severity"),
    "subject": ("О ком / о чём", "Subject"),
    "reference": ("Ориентир", "Reference"),
    "text": ("Вывод", "Finding"),
    "source_file": ("Файл", "File"),
    "source_row": ("Строка", "Row"),
    "raw": ("Исходная строка", "Raw line"),
    "reason": ("Причина", "Reason"),
    "last_missed": ("Последний пропущенный", "Last missed"),
    "called_back": ("Перезванивали", "Called back"),
    "signal": ("Сигнал", "Signal"),
    "count": ("Количество", "Count"),
    "detail": ("Подробности", "Detail"),
    "mean_per_day": ("В среднем за день", "Mean per day"),
    "working_days": ("Рабочих дней в периоде", "Working days in period"),
    "peak_slots": ("Пиковых часов", "Peak slots"),
    "absent_slots": ("Отсутствовал", "Absent slots"),
    "absent_share": ("Доля отсутствия", "Absent share"),
    "present_share": ("Доля присутствия", "Present share"),
    "current": ("Этот период", "This period"),
    "previous": ("Прошлый период", "Previous period"),
    "change": ("Изменение", "Change"),
    "change_rel": ("Изменение, %", "Change, %"),
    # speech analytics (SpeechResult tables)
    "call_kind": ("Тип звонка", "Call kind"),
    "call_result": ("Результат звонка", "Call result"),
    "script_score": ("Доля этапов скрипта", "Script stages share"),
    "stages_hit": ("Этапов выполнено", "Stages done"),
    "stages_total": ("Этапов в скрипте", "Stages in the script"),
    "questions_hit": ("Вопросов задано", "Questions asked"),
    "questions_total": ("Обязательных вопросов", "Mandatory questions"),
    "decision_makers_hit": ("ЛПР/ЛВР выявлено", "Decision makers reached"),
    "advantages_hit": ("Преимуществ названо", "Advantages named"),
    "materials_hit": ("Материалов использовано", "Materials used"),
    "competitor_mentions": ("Упоминаний конкурентов", "Competitor mentions"),
    "profanity": ("Мат/грубость сотрудника", "Employee profanity"),
    "profanity_words": ("Слова (скрыты)", "Words (masked)"),
    "stop_words": ("Стоп-слов", "Stop words"),
    "stop_word_list": ("Стоп-фразы", "Stop phrases"),
    "talk_ratio": ("Доля речи сотрудника", "Employee talk share"),
    "missed_items": ("Не сделано", "Not done"),
    "kind": ("Тип пункта", "Item kind"),
    "item": ("Пункт чек-листа", "Checklist item"),
    "at_s": ("Секунда звонка", "Second of the call"),
    "snippet": ("Фрагмент", "Snippet"),
    "speaker": ("Кто сказал", "Speaker"),
    "calls": ("Звонков", "Calls"),
    "hit_rate": ("Выполнено", "Done"),
    "negotiation_calls": ("Переговоров", "Negotiations"),
    "result_rate": ("Переговоров с результатом", "Negotiations with a result"),
    "decision_maker_rate": ("Выход на ЛПР/ЛВР", "Decision maker reached"),
    "advantage_rate": ("Доля названных преимуществ", "Advantages named, share"),
    "material_rate": ("С материалами (прайс, наличие…)", "Negotiations using materials"),
    "profanity_calls": ("Звонков с матом", "Calls with profanity"),
}

#: Checklist kinds and speech values as the report shows them: ``SPEECH_VALUES[value] = (ru, en)``.
SPEECH_VALUES: dict[str, tuple[str, str]] = {
    "stage": ("этап скрипта", "script stage"), "question": ("вопрос", "question"),
    "result": ("результат", "result"), "competitor": ("конкурент", "competitor"),
    "term": ("условие сделки", "deal term"), "decision_maker": ("ЛПР/ЛВР", "decision maker"),
    "advantage": ("преимущество", "advantage"), "material": ("материал", "material"),
    "negotiation": ("переговоры", "negotiation"), "navigation": ("навигация", "navigation"),
    "unknown": ("не определено", "unknown"), "employee": ("сотрудник", "employee"),
    "client": ("клиент", "client"), "none": ("нет", "none"), "sale": ("продажа", "sale"),
    "invoice": ("счёт", "invoice"), "meeting": ("встреча", "meeting"),
    "next_contact": ("следующий контакт", "next contact"), "clarify": ("уточнение заявки", "clarify"),
}


def _speech_value(value: Any, lang: str) -> Any:
    pair = SPEECH_VALUES.get(value) if isinstance(value, str) else None
    return value if pair is None else pair[1 if lang == "en" else 0]


def column_label(column: str, lang: str = "ru") -> str:
    """The human header of ``column`` in ``lang`` (the column name itself when unknown).

    Examples
    --------
    >>> column_label("external_calls_per_day"), column_label("gap", "en")
    ('Внешних в день', 'Gap')
    """
    pair = COLUMN_LABELS.get(column)
    if pair is None and ":" in column:   # per-item checklist rates: "stage:greeting"
        kind, item = column.split(":", 1)
        if kind in SPEECH_VALUES:
            return f"{_speech_value(kind, lang)}: {item}"
    return column if pair is None else pair[1 if lang == "en" else 0]


#: Workbook sheet names: ``SHEET_NAMES[key] = (ru, en)``, in sheet order.
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "summary": ("Сводка", "Summary"),
    "managers": ("Менеджеры", "Managers"),
    "comparison": ("Сравнение", "Comparison"),
    "callback": ("Перезвонить", "Call back"),
    "traffic": ("Трафик", "Traffic"),
    "staffing": ("Нагрузка", "Staffing"),
    "concentration": ("Концентрация", "Concentration"),
    "findings": ("Выводы", "Findings"),
    # only when the audit has speech results
    "speech_calls": ("Речь. Звонки", "Speech. Calls"),
    "speech_snippets": ("Речь. Фрагменты", "Speech. Snippets"),
    "speech_managers": ("Речь. Менеджеры", "Speech. Managers"),
}


def heading(key: str, lang: str = "ru", *, level: int = 2) -> Any:
    """A Markdown heading of the section ``key`` (see :data:`SECTIONS`) in ``lang``."""
    from IPython.display import Markdown

    text = SECTIONS[key]["en" if lang == "en" else "ru"] if key in SECTIONS else key
    return Markdown("#" * level + " " + text)


# --- the context the notebook works with ---------------------------------------------------------

@dataclass
class ReportContext:
    """Everything a report section needs: the audit, language, masking and where charts go."""

    audit: Any
    profile: Profile | None
    lang: str = "ru"
    mask: bool = True
    out_dir: Path | None = None
    charts: list[Path] = field(default_factory=list)

    @property
    def charts_dir(self) -> Path | None:
        return None if self.out_dir is None else self.out_dir / "charts"

    @property
    def threshold(self) -> float:
        th = getattr(self.profile, "thresholds", None)
        return float(getattr(th, "manager_gap", 0.25))


def prepare(profile: str | Path | Profile, *, out: str | Path | None = None, lang: str | None = None,
            mask_numbers: bool | None = None, audit: Any = None) -> ReportContext:
    """Build the audit for a profile and the context the report sections use.

    Parameters
    ----------
    profile : path or Profile
        The client profile (YAML).
    out : path, optional
        The output root; charts and the workbook go to ``<out>/<slug>/``. None: nothing saved.
    lang : {"ru", "en"}, optional
        Default: the profile's ``lang``.
    mask_numbers : bool, optional
        Default: the profile's ``mask_numbers``.
    audit : Audit, optional
        A ready audit (skips :func:`callkit.audit.build_audit`).

    Returns
    -------
    ReportContext
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    lang = lang or prof.lang
    if lang not in ("ru", "en"):
        raise InputError(f"lang {lang!r} is not supported; expected 'ru' or 'en'.")
    if lang != prof.lang:  # the findings' text is written in the profile's language
        prof = dataclasses.replace(prof, lang=lang)
    if audit is None:
        from callkit.audit import build_audit

        audit = build_audit(prof)
    mask = prof.mask_numbers if mask_numbers is None else bool(mask_numbers)
    out_dir = None
    if out is not None:
        out_dir = safe_output_dir(out, prof.slug)
        (out_dir / "charts").mkdir(parents=True, exist_ok=True)
    return ReportContext(audit=audit, profile=prof, lang=lang, mask=mask, out_dir=out_dir)


# --- helpers ---------------------------------------------------------------------------------

def _frame(obj: Any) -> pd.DataFrame:
    return obj if isinstance(obj, pd.DataFrame) else pd.DataFrame()


def _get(audit: Any, name: str) -> pd.DataFrame:
    return _frame(getattr(audit, name, None))


_CHECKLIST_PREFIXES = ("stage:", "question:", "result:", "term:", "decision_maker:", "advantage:",
                       "material:")


def _is_share(col: str) -> bool:
    return (col.endswith(("_share", "_rate")) or col.startswith(_CHECKLIST_PREFIXES)
            or col in ("gap", "presence", "service_level", "change_rel", "script_score", "talk_ratio"))


def _is_seconds(col: str) -> bool:
    return col.endswith("_s") or "_s_" in col


_NOT_COUNTS = ("current", "previous", "change", "value", "best", "reference", "erlangs", "mean_per_day")


def _is_count(col: str) -> bool:
    return not (_is_share(col) or _is_seconds(col) or col in _NOT_COUNTS
                or col.endswith(("_per_day", "_per_number", "_per_hour", "_ratio")))


def _fmt_value(v: Any, col: str, lang: str) -> str:
    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return ("да" if v else "нет") if lang != "en" else ("yes" if v else "no")
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if col == "weekday" and isinstance(v, (int, np.integer, float, np.floating)) and 0 <= int(v) <= 6:
        return plots.WEEKDAYS["en" if lang == "en" else "ru"][int(v)]
    if isinstance(v, (float, np.floating)) and float(v).is_integer() and _is_count(col):
        v = int(v)  # a count stored as float (after a merge or a sum) reads as a count
    if isinstance(v, (int, np.integer)) and not _is_share(col):
        return f"{int(v):,}".replace(",", "\u00a0")
    if isinstance(v, (float, np.floating)):
        if _is_share(col):
            text = f"{v:.1%}".replace("%", "\u00a0%")
        elif _is_seconds(col):
            text = f"{v:,.0f}".replace(",", "\u00a0")
        else:
            text = f"{v:,.2f}".replace(",", "\u00a0")
        return text.replace(".", ",") if lang != "en" else text
    return str(v)


_CSS = """<style>
.ck-table {border-collapse: collapse; font-size: 13px; margin: 6px 0 14px 0;}
.ck-table th {background: #eef2f7; text-align: left; padding: 4px 8px; border-bottom: 1px solid #9aa;}
.ck-table td {padding: 3px 8px; border-bottom: 1px solid #dde; text-align: right;}
.ck-table td.ck-text {text-align: left;}
.ck-table tr.ck-flag td {background: #fde3e1;}
.ck-note {color: #555; font-size: 12px;}
</style>"""


def _table(frame: pd.DataFrame, ctx: ReportContext, *, flag: str | None = None,
           max_rows: int | None = None) -> Any:
    """A formatted, localized, masked HTML table."""
    from IPython.display import HTML

    data = frame.head(max_rows) if max_rows is not None else frame
    data = mask_frame(data) if ctx.mask else data   # only the rows shown
    heads = "".join(f"<th>{html.escape(column_label(str(c), ctx.lang))}</th>" for c in data.columns)
    rows = []
    flags = data[flag].fillna(False).astype(bool).tolist() if flag and flag in data else [False] * len(data)
    for (_, row), fl in zip(data.iterrows(), flags):
        cells = []
        for col in data.columns:
            v = row[col]
            text = _fmt_value(v, str(col), ctx.lang)
            numeric = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            cls = "" if numeric else ' class="ck-text"'
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        tr = '<tr class="ck-flag">' if fl else "<tr>"
        rows.append(f"{tr}{''.join(cells)}</tr>")
    return HTML(f'<table class="ck-table"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _note(text: str) -> Any:
    from IPython.display import HTML

    return HTML(f'<p class="ck-note">{html.escape(text)}</p>')


def _chart(ctx: ReportContext, name: str, draw: Callable[..., Any], *, size: tuple[float, float] = (9, 4.5)) -> Any:
    """Draw a chart on a fresh figure, save PNG+SVG under the client's charts/, return an Image."""
    from IPython.display import Image
    from matplotlib.figure import Figure

    with plots.theme():
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        draw(ax)
        fig.tight_layout()
        if ctx.out_dir is not None:
            png, svg = plots.save_chart(fig, ctx.out_dir, name, tight=False)
            ctx.charts.extend([png, svg])
            return Image(data=png.read_bytes(), format="png")
        import io

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        return Image(data=buf.getvalue(), format="png")


def _calls_in_period(ctx: ReportContext) -> pd.DataFrame:
    calls = _get(ctx.audit, "calls")
    if calls.empty or schema.START not in calls:
        return calls
    if "in_period" in calls:
        return calls.loc[calls["in_period"].fillna(False).astype(bool)]
    prof = ctx.profile
    if prof is not None and prof.period is not None:
        day = calls[schema.START].dt.date
        return calls.loc[(day >= prof.period_start) & (day <= prof.period_end)]
    return calls


def _pairs(items: Sequence[tuple[str, Any]], ctx: ReportContext) -> pd.DataFrame:
    return pd.DataFrame({_t("item", ctx.lang): [k for k, _ in items],
                         _t("value", ctx.lang): [v for _, v in items]})


# --- sections ---------------------------------------------------------------------------------

def section_title(ctx: ReportContext) -> list[Any]:
    """The report's title, period and masking note (plus the table style)."""
    from IPython.display import HTML, Markdown

    prof = ctx.profile
    client = prof.client if prof is not None else ""
    out = [HTML(_CSS), Markdown("# " + _t("title", ctx.lang, client=_md_escape(str(client))))]
    if prof is not None and prof.period is not None:
        out.append(Markdown(_t("period", ctx.lang, start=prof.period_start, end=prof.period_end)))
    if ctx.mask:
        out.append(_note(_t("masked_note", ctx.lang)))
    return out


def section_coverage(ctx: ReportContext) -> list[Any]:
    """Data coverage and the load report: rows read/loaded/rejected, format, date span."""
    out: list[Any] = [heading("coverage", ctx.lang)]
    load = getattr(ctx.audit, "load", None)
    rep = getattr(load, "report", load)
    items: list[tuple[str, Any]] = []
    if rep is not None:
        for key in ("format", "encoding", "rows_read", "rows_loaded", "rows_rejected", "duplicates", "sessions"):
            if hasattr(rep, key):
                items.append((_t(key, ctx.lang), getattr(rep, key)))
        files = getattr(rep, "files", None)
        if files:
            items.insert(0, (_t("files", ctx.lang), ", ".join(Path(str(f)).name for f in files)))
    calls = _get(ctx.audit, "calls")
    if not calls.empty and schema.START in calls:
        items.append((_t("first_call", ctx.lang), calls[schema.START].min()))
        items.append((_t("last_call", ctx.lang), calls[schema.START].max()))
    if not items:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_table(_pairs(items, ctx), ctx))
    notes = rep.notes_in(ctx.lang) if hasattr(rep, "notes_in") else list(getattr(rep, "notes", []) or [])
    if notes:   # a loader note may quote a source value (a number it could not read)
        text = "; ".join(str(mask_text(str(n)) if ctx.mask else n) for n in notes)
        out.append(_note(_t("notes", ctx.lang) + ": " + text))
    rejected = _frame(getattr(rep, "rejected", None))
    if not rejected.empty:
        n = min(10, len(rejected))
        out.append(_note(_t("rejected_rows", ctx.lang, n=n)))
        out.append(_table(rejected.head(n), ctx))
    return out


def overview_items(ctx: ReportContext) -> list[tuple[str, Any]]:
    """The company-at-a-glance figures as (label, value) pairs."""
    calls = _calls_in_period(ctx)
    lang = ctx.lang
    items: list[tuple[str, Any]] = []
    if not calls.empty:
        direction = calls[schema.DIRECTION].astype(str)
        status = calls[schema.STATUS].astype(str)
        inc = direction == schema.INCOMING
        inc_missed = inc & status.isin(schema.UNANSWERED_STATUSES)
        items += [
            (_t("calls_in_period", lang), int(len(calls))),
            (_t("incoming", lang), int(inc.sum())),
            (_t("incoming_missed_total", lang), int(inc_missed.sum())),
            (_t("missed_rate", lang), float(inc_missed.sum() / inc.sum()) if inc.sum() else float("nan")),
            (_t("outgoing", lang), int((direction == schema.OUTGOING).sum())),
            (_t("internal", lang), int((direction == schema.INTERNAL).sum())),
            (_t("employees", lang), int(calls[schema.EMPLOYEE].dropna().nunique())),
            (_t("departments", lang), int(calls[schema.DEPARTMENT].dropna().nunique())),
            (_t("client_numbers", lang), int(calls[schema.CLIENT_NUMBER].dropna().nunique())),
        ]
    missed = _get(ctx.audit, "missed")
    if "lost" in missed:
        items.append((_t("lost", lang), int(missed["lost"].fillna(False).astype(bool).sum())))
    compare = _get(ctx.audit, "compare")
    if "flagged" in compare:
        items.append((_t("growth_zones", lang, pct=f"{ctx.threshold:.0%}"),
                      int(compare["flagged"].fillna(False).astype(bool).sum())))
    return items


def section_overview(ctx: ReportContext) -> list[Any]:
    """The company at a glance: calls, incoming and missed, managers, lost calls, growth zones."""
    out: list[Any] = [heading("overview", ctx.lang)]
    items = overview_items(ctx)
    if not items:
        return out + [_note(_t("no_data", ctx.lang))]
    # shares are formatted by column name: give the missed rate its own percent formatting
    table = _pairs(items, ctx)
    table[_t("value", ctx.lang)] = [
        _fmt_value(v, "missed_rate" if k == _t("missed_rate", ctx.lang) else "count", ctx.lang)
        for k, v in items]
    out.append(_table(table, ctx))
    pop = pop_table(_get(ctx.audit, "pop"))
    if not pop.empty:
        out.append(_note(_t("pop", ctx.lang)))
        out.append(_table(pop.assign(metric=pop["metric"].astype(str).map(
            lambda x: _metric_label(x, ctx.lang))), ctx))
    return out


#: Metrics shown against the previous period (the workbook has none of it: the CSVs do).
_POP_METRICS = ("external_calls_per_day", "outgoing_new_clients_per_day")


def pop_table(pop: pd.DataFrame) -> pd.DataFrame:
    """Period over period for the key metrics: one row per manager and metric
    (``employee, department, metric, current, previous, change_rel``)."""
    if pop.empty or "metric" not in pop:
        return pop
    sub = pop.loc[pop["metric"].astype(str).isin(_POP_METRICS)]
    if {"current", "previous"} <= set(sub.columns):  # nobody's row with nothing in either period
        both = sub[["current", "previous"]].apply(pd.to_numeric, errors="coerce").fillna(0)
        sub = sub.loc[(both != 0).any(axis=1)]
    if sub.empty:
        return sub
    cols = [c for c in ("employee", "department", "metric", "current", "previous", "change_rel") if c in sub]
    order = {m: i for i, m in enumerate(_POP_METRICS)}
    sub = sub.assign(_o=sub["metric"].astype(str).map(order)).sort_values(
        ["_o", "department", "employee"], kind="stable")
    return sub.loc[:, cols]


def active_managers(managers: pd.DataFrame) -> pd.DataFrame:
    """Managers who made or took at least one call (external or internal) in the period.

    The report's charts and tables show these; the workbook keeps every row of the metrics
    (directory entries without calls, queue extensions that only rang).

    Examples
    --------
    >>> m = pd.DataFrame({"employee": ["Анна", "600"], "external_calls": [5, 0], "internal_calls": [0, 0]})
    >>> active_managers(m)["employee"].tolist()
    ['Анна']
    """
    cols = [c for c in ("external_calls", "internal_calls") if c in managers]
    if managers.empty or not cols:
        return managers
    busy = managers[cols].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1) > 0
    return managers.loc[busy]


_MANAGER_TABLE = ("employee", "department", "external_calls", "external_calls_per_day", "outgoing",
                  "incoming_answered", "incoming_missed", "outgoing_new_clients_per_day",
                  "new_clients_reached", "talk_s_mean", "days_active")


def section_managers(ctx: ReportContext) -> list[Any]:
    """Managers: the table of key metrics and external calls per day with the department best."""
    out: list[Any] = [heading("managers", ctx.lang)]
    m = active_managers(_get(ctx.audit, "managers"))
    if m.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    cols = [c for c in _MANAGER_TABLE if c in m]
    sort = "external_calls_per_day" if "external_calls_per_day" in m else cols[0]
    out.append(_table(m.sort_values(sort, ascending=False, kind="stable")[cols], ctx))
    out.append(_chart(ctx, "managers", lambda ax: plots.plot_managers(m, lang=ctx.lang, ax=ax),
                      size=(10, 4.5)))
    return out


#: Metrics whose gaps get a chart (all compared metrics are in the table and the workbook).
_COMPARE_CHARTS = ("external_calls_per_day", "outgoing_new_clients_per_day")


def section_compare(ctx: ReportContext) -> list[Any]:
    """Comparison inside departments: gaps to the best, the growth-zone line, flagged rows."""
    out: list[Any] = [heading("compare", ctx.lang)]
    c = _get(ctx.audit, "compare")
    if c.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    metrics = list(dict.fromkeys(c["metric"].astype(str)))
    charted = [m for m in _COMPARE_CHARTS if m in metrics] or metrics[:2]
    for metric in charted:
        sub = c.loc[c["metric"].astype(str) == metric]
        out.append(_chart(ctx, f"compare_{re.sub(r'[^A-Za-z0-9_-]', '_', metric)}",
                          lambda ax, m=metric: plots.plot_gaps(c, metric=m, threshold=ctx.threshold,
                                                               lang=ctx.lang, ax=ax),
                          size=(9, 0.9 + 0.35 * max(3, len(sub)))))
    flagged = c.loc[c["flagged"].fillna(False).astype(bool)] if "flagged" in c else c.iloc[0:0]
    shown = flagged.sort_values(["department", "employee", "gap"], ascending=[True, True, False], kind="stable")
    shown = shown.assign(metric=shown["metric"].astype(str).map(lambda x: _metric_label(x, ctx.lang)))
    out.append(_note(_t("growth_list", ctx.lang, n=len(shown), pct=f"{ctx.threshold:.0%}")))
    if len(shown):
        out.append(_table(shown, ctx, flag="flagged"))
    return out


def _metric_label(metric: str, lang: str) -> str:
    text = plots.label(metric, lang)
    return column_label(metric, lang) if text == metric else text


def section_activity(ctx: ReportContext) -> list[Any]:
    """Activity: incoming answered vs outgoing per manager, and the out share."""
    out: list[Any] = [heading("activity", ctx.lang)]
    m = active_managers(_get(ctx.audit, "managers"))
    if m.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_chart(ctx, "activity", lambda ax: plots.plot_activity(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "incoming_answered", "outgoing", "out_share", "in_out_ratio")
            if c in m]
    out.append(_table(m[cols], ctx))
    return out


def section_number_types(ctx: ReportContext) -> list[Any]:
    """Mobile, landline and internal shares per manager."""
    out: list[Any] = [heading("number_types", ctx.lang)]
    m = active_managers(_get(ctx.audit, "managers"))
    if m.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_chart(ctx, "number_types", lambda ax: plots.plot_number_types(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "mobile_share", "landline_share", "internal_calls",
                        "internal_share") if c in m]
    out.append(_table(m[cols], ctx))
    return out


def section_repeat(ctx: ReportContext) -> list[Any]:
    """Repeat dialing: calls per distinct number."""
    out: list[Any] = [heading("repeat", ctx.lang)]
    m = active_managers(_get(ctx.audit, "managers"))
    if m.empty or "calls_per_number" not in m:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_chart(ctx, "repeat_dialing", lambda ax: plots.plot_repeat_dialing(m, lang=ctx.lang, ax=ax)))
    cols = [c for c in ("employee", "department", "external_calls", "unique_numbers", "calls_per_number") if c in m]
    out.append(_table(m.sort_values("calls_per_number", ascending=False, kind="stable")[cols], ctx))
    return out


def section_traffic(ctx: ReportContext) -> list[Any]:
    """Traffic heatmaps hour × weekday (offered per day, missed share) and the peak hours."""
    out: list[Any] = [heading("traffic", ctx.lang)]
    t = _get(ctx.audit, "traffic")
    if t.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_chart(ctx, "traffic_incoming",
                      lambda ax: plots.plot_traffic_heatmap(t, value="incoming", lang=ctx.lang, ax=ax),
                      size=(11, 3.8)))
    out.append(_chart(ctx, "traffic_missed_rate",
                      lambda ax: plots.plot_traffic_heatmap(t, value="missed_rate", lang=ctx.lang, ax=ax),
                      size=(11, 3.8)))
    peaks = getattr(ctx.audit, "peaks", None)
    if isinstance(peaks, pd.DataFrame) and not peaks.empty:
        out.append(_note(_t("peaks", ctx.lang)))
        out.append(_table(peaks, ctx))
    elif peaks is not None and not isinstance(peaks, pd.DataFrame) and len(peaks):
        out.append(_note(_t("peaks", ctx.lang) + ": " + ", ".join(map(str, peaks))))
    return out


def presence_table(presence: pd.DataFrame) -> pd.DataFrame:
    """Per-employee presence at peaks: the per-slot table of
    :func:`callkit.metrics.presence_at_peaks` summarised (only slots where the department got
    incoming calls count), or the table as it is when already per employee."""
    if {"present", "department_incoming", schema.EMPLOYEE}.issubset(presence.columns):
        from callkit.metrics.traffic import presence_summary

        return presence_summary(presence)
    return presence


def concentration_tables(audit: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per department, per manager) views of the flow concentration for the report."""
    conc = _get(audit, "concentration")
    deps = _get(audit, "concentration_departments")
    dep_cols = [c for c in (schema.DEPARTMENT, "managers", "incoming_answered", "even_share", "top_employee",
                            "top_share", "hhi", "effective_managers", "clients", "clients_single_share",
                            "new_share_senior", "new_share_junior")
                if c in deps]
    man_cols = [c for c in (schema.DEPARTMENT, schema.EMPLOYEE, "incoming_answered", "incoming_share",
                            "clients", "clients_share", "clients_single", "new_client_share", "tenure_days")
                if c in conc]
    if "counted" in conc:
        conc = conc[conc["counted"].astype(bool)]
    return deps.loc[:, dep_cols], conc.loc[:, man_cols]


def section_concentration(ctx: ReportContext) -> list[Any]:
    """Who holds the department's incoming flow and clients (issue 6): chart, tables, meaning."""
    out: list[Any] = [heading("concentration", ctx.lang)]
    conc = _get(ctx.audit, "concentration")
    if conc.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    deps, managers = concentration_tables(ctx.audit)
    out.append(_chart(ctx, "concentration", lambda ax: plots.plot_concentration(conc, lang=ctx.lang, ax=ax)))
    if not deps.empty:
        out.append(_table(deps, ctx))
    out.append(_table(managers, ctx))
    out.append(_note(_t("hhi_meaning", ctx.lang)))
    return out


def section_presence(ctx: ReportContext) -> list[Any]:
    """Presence of managers at peak hours."""
    out: list[Any] = [heading("presence", ctx.lang)]
    p = presence_table(_get(ctx.audit, "presence"))
    if p.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    if schema.EMPLOYEE in p:
        out.append(_chart(ctx, "presence", lambda ax: plots.plot_presence(p, lang=ctx.lang, ax=ax)))
    out.append(_table(p, ctx))
    return out


def call_back_table(audit: Any) -> pd.DataFrame:
    """The list to act on: ``audit.to_call_back`` (one row per number never reached) when the
    audit has it, else :func:`callback_list` of ``audit.missed``."""
    tcb = getattr(audit, "to_call_back", None)
    if isinstance(tcb, pd.DataFrame):
        return tcb
    return callback_list(_get(audit, "missed"))


def callback_list(missed: pd.DataFrame) -> pd.DataFrame:
    """The missed calls nobody called back or reached (``lost``, else not ``reached``), oldest first.

    Examples
    --------
    >>> m = pd.DataFrame({"call_id": ["a", "b"], "start": [1, 2], "reached": [True, False],
    ...                   "lost": [False, True]})
    >>> callback_list(m)["call_id"].tolist()
    ['b']
    """
    if missed.empty:
        return missed
    if "lost" in missed:
        keep = missed["lost"].fillna(False).astype(bool)
    elif "reached" in missed:
        keep = ~missed["reached"].fillna(False).astype(bool)
    else:
        keep = pd.Series(True, index=missed.index)
    out = missed.loc[keep]
    return out.sort_values("start", kind="stable") if "start" in out else out


def section_missed(ctx: ReportContext, *, max_rows: int = 30) -> list[Any]:
    """Missed calls and callbacks: time-to-callback distribution and the never-called-back list."""
    out: list[Any] = [heading("missed", ctx.lang)]
    m = _get(ctx.audit, "missed")
    if m.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    window = float(getattr(getattr(ctx.profile, "thresholds", None), "callback_window_h", 24))
    out.append(_chart(ctx, "callback_delay",
                      lambda ax: plots.plot_callback_delay(m, window_h=window, lang=ctx.lang, ax=ax)))
    lost = call_back_table(ctx.audit)
    cols = [c for c in ("start", "last_missed", "client_number", "missed", "department", "employee",
                        "callback_at", "called_back", "reached") if c in lost]
    out.append(_note(_t("never_called_back", ctx.lang, n=min(max_rows, len(lost)), total=len(lost))))
    out.append(_table(lost[cols], ctx, max_rows=max_rows))
    return out


def section_staffing(ctx: ReportContext) -> list[Any]:
    """Staffing vs load: Erlang C need vs employees on duty, concurrency, short slots."""
    out: list[Any] = [heading("staffing", ctx.lang)]
    s = _get(ctx.audit, "staffing")
    if s.empty:
        return out + [_note(_t("no_data", ctx.lang))]
    out.append(_chart(ctx, "staffing", lambda ax: plots.plot_staffing(s, lang=ctx.lang, ax=ax), size=(11, 4.2)))
    t = _get(ctx.audit, "traffic")
    if "max_concurrent" in s and not t.empty:
        out.append(_chart(ctx, "concurrency", lambda ax: plots.plot_concurrency(s, t, lang=ctx.lang, ax=ax),
                          size=(6.5, 4)))
    if "understaffed" in s:
        short = s.loc[s["understaffed"].fillna(False).astype(bool)]
        if not short.empty:
            out.append(_note(_t("understaffed_slots", ctx.lang)))
            out.append(_table(short, ctx))
    return out


def section_tech(ctx: ReportContext) -> list[Any]:
    """Technology signals: short unanswered rings (and the audit's tech table, if any)."""
    out: list[Any] = [heading("tech", ctx.lang)]
    calls = _calls_in_period(ctx)
    tech = getattr(ctx.audit, "tech", None)
    if not calls.empty:
        out.append(_chart(ctx, "tech", lambda ax: plots.plot_tech(calls, lang=ctx.lang, ax=ax)))
    if isinstance(tech, pd.DataFrame) and not tech.empty:
        out.append(_table(tech, ctx))
    elif isinstance(tech, Mapping) and tech:
        out.append(_table(_pairs([(str(k), v) for k, v in tech.items()], ctx), ctx))
    if len(out) == 1:
        out.append(_note(_t("no_data", ctx.lang)))
    return out


def speech_result(audit: Any) -> Any:
    """The audit's transcript analytics (a ``callkit.speech.SpeechResult``), or None.

    Anything without the ``per_call`` and ``checklist`` tables counts as no result.
    """
    sp = getattr(audit, "speech", None)
    if sp is None or not isinstance(getattr(sp, "per_call", None), pd.DataFrame) \
            or not isinstance(getattr(sp, "checklist", None), pd.DataFrame):
        return None
    return sp


def speech_summary_items(result: Any, lang: str = "ru") -> list[tuple[str, Any]]:
    """The speech summary as (label, value) pairs (``callkit.speech.views.summary_table``
    without the verdict, which the section prints as text)."""
    from callkit.speech import views

    tab = views.summary_table(result, lang=lang)
    verdict = views.LABELS["en" if lang == "en" else "ru"]["verdict"]
    return [(str(k), v) for k, v in zip(tab["metric"], tab["value"]) if k != verdict]


#: Per-call columns of the speech sheet, in order (those the result lacks are skipped).
_SPEECH_CALL_COLUMNS = (
    "call_id", "employee", "department", "call_kind", "call_result", "script_score", "stages_hit",
    "stages_total", "questions_hit", "questions_total", "decision_makers_hit", "advantages_hit",
    "materials_hit", "missed_items", "competitor_mentions", "profanity", "profanity_words",
    "stop_words", "stop_word_list", "talk_ratio",
)
_MISSED_KINDS = ("stage", "question", "decision_maker", "advantage", "material")


def speech_calls_table(result: Any, lang: str = "ru") -> pd.DataFrame:
    """One row per transcribed call: kind, result, script share, brief items, violations.

    ``missed_items`` lists, for negotiation calls, the stages, mandatory questions, decision
    makers, advantages and materials the call lacked (``этап скрипта: offer; материал: прайс``).
    Kind and result values are translated; profane words are already masked.
    """
    pc = result.per_call
    cl = result.checklist
    neg = set(pc.loc[pc["call_kind"] == "negotiation", "call_id"].astype(str))
    miss = cl.loc[~cl["hit"].astype(bool) & cl["kind"].isin(_MISSED_KINDS)
                  & cl["call_id"].astype(str).isin(neg)]
    text = (miss["kind"].map(lambda k: _speech_value(k, lang)) + ": " + miss["item"].astype(str))
    missed = text.groupby(miss["call_id"].astype(str), sort=False).agg("; ".join)
    out = pc.copy()
    missed_by_call = missed.to_dict()
    out["missed_items"] = [missed_by_call.get(c, "") for c in out["call_id"].astype(str)]
    for col in ("call_kind", "call_result"):
        out[col] = out[col].map(lambda v: _speech_value(v, lang))
    return out[[c for c in _SPEECH_CALL_COLUMNS if c in out.columns]].reset_index(drop=True)


def speech_snippets_table(result: Any, lang: str = "ru") -> pd.DataFrame:
    """Every checklist hit with where it was said: ``call_id, employee, kind, item, at_s,
    speaker, snippet`` (snippets have profanity masked; numbers are masked by the writer)."""
    cl = result.checklist
    hits = cl.loc[cl["hit"].astype(bool)].copy()
    people = result.per_call.set_index(result.per_call["call_id"].astype(str))["employee"]
    hits.insert(1, "employee", hits["call_id"].astype(str).map(people).to_numpy())
    for col in ("kind", "speaker"):
        hits[col] = hits[col].map(lambda v: _speech_value(v, lang))
    cols = ["call_id", "employee", "kind", "item", "at_s", "speaker", "snippet"]
    return hits[[c for c in cols if c in hits.columns]].reset_index(drop=True)


def speech_managers_table(result: Any, *, items: bool = True) -> pd.DataFrame:
    """Compliance per manager (negotiation calls): script share, result rate, decision makers,
    advantages, materials, profanity, talk share and, with ``items``, the rate of every
    checklist item (``stage:<name>``...). Raw column names; :func:`column_label` reads them."""
    bm = result.by_manager
    first = ["department", "employee", "calls", "negotiation_calls", "script_score", "result_rate",
             "decision_maker_rate", "advantage_rate", "material_rate", "profanity_calls", "talk_ratio"]
    cols = [c for c in first if c in bm.columns]
    if items:
        cols += [c for c in bm.columns if str(c).startswith(_CHECKLIST_PREFIXES)]
    return bm[cols].reset_index(drop=True)


def section_speech(ctx: ReportContext, *, max_rows: int = 20) -> list[Any]:
    """Speech analytics from the call transcripts, when the audit has them.

    Key figures and the fit verdict, script stage rates (chart), the checklist over
    negotiations, per manager: script, result, decision makers (ЛПР/ЛВР), advantages and
    materials; examples of violations. Without results the section says why.
    """
    from IPython.display import Markdown

    from callkit.speech import views

    lang = ctx.lang
    out: list[Any] = [heading("speech", lang)]
    res = speech_result(ctx.audit)
    if res is None:
        has_tr = getattr(ctx.profile, "transcripts", None) is not None
        return out + [_note(_t("no_speech" if has_tr else "no_transcripts", lang))]
    if res.per_call.empty:
        return out + [_note(_t("no_speech_calls", lang))]
    items = speech_summary_items(res, lang)
    table = _pairs(items, ctx)
    table[_t("value", lang)] = [_fmt_value(v, "value_share" if isinstance(v, float) else "count", lang)
                                for _, v in items]
    out.append(_table(table, ctx))
    verdict = getattr(getattr(res, "verdict", None), "text", "")
    if verdict:
        out.append(Markdown("**" + views.LABELS["en" if lang == "en" else "ru"]["verdict"] + ":** "
                            + _md_escape(str(verdict))))
    comp = res.compliance
    stages = comp.loc[(comp["level"] == "all") & (comp["kind"] == "stage")]
    if not stages.empty:
        out.append(_chart(ctx, "speech_stages",
                          lambda ax: views.plot_stage_rates(res, lang=lang, ax=ax),
                          size=(8, 0.8 + 0.45 * len(stages))))
    rates = comp.loc[comp["level"] == "all", ["kind", "item", "calls", "rate"]].rename(
        columns={"rate": "hit_rate"})
    if not rates.empty:
        rates = rates.assign(kind=rates["kind"].map(lambda k: _speech_value(k, lang)))
        out += [_note(_t("speech_checklist", lang)), _table(rates.reset_index(drop=True), ctx)]
    mgr = speech_managers_table(res, items=False)
    mgr = mgr.loc[mgr["negotiation_calls"] > 0] if "negotiation_calls" in mgr else mgr
    if not mgr.empty:
        out += [_note(_t("speech_managers", lang)), _table(mgr, ctx)]
    brief_items = comp.loc[(comp["level"] == "all")
                           & comp["kind"].isin(["decision_maker", "advantage", "material"])]
    if not brief_items.empty:
        out.append(_chart(ctx, "speech_brief",
                          lambda ax: views.plot_brief_rates(res, lang=lang, ax=ax),
                          size=(8, 0.8 + 0.45 * len(brief_items))))
    brief = views.brief_table(res, lang=lang, labels=False)
    item_cols = [c for c in brief.columns if str(c).startswith(_CHECKLIST_PREFIXES)]
    if not brief.empty and item_cols:
        shown = brief[["department", "employee", "negotiation_calls", *item_cols]]
        out += [_note(_t("speech_brief", lang)), _table(shown, ctx)]
    viol = views.violations(res, lang=lang, mask_numbers=ctx.mask, limit=max_rows)
    if not viol.empty:
        out += [_note(_t("speech_violations", lang, n=len(viol))), _table(viol, ctx)]
    sheet = {k: SHEET_NAMES[k][1 if lang == "en" else 0]
             for k in ("speech_calls", "speech_snippets", "speech_managers")}
    out.append(_note(_t("speech_in_excel", lang, calls=sheet["speech_calls"],
                        snips=sheet["speech_snippets"], mgr=sheet["speech_managers"])))
    return out


_SEVERITY_ORDER = {"high": 0, "critical": 0, "medium": 1, "warning": 1, "low": 2, "info": 3}


def section_findings(ctx: ReportContext) -> list[Any]:
    """Findings in words, most severe first."""
    from IPython.display import Markdown

    out: list[Any] = [heading("findings", ctx.lang)]
    f = _get(ctx.audit, "findings")
    if f.empty:
        return out + [_note(_t("no_findings", ctx.lang))]
    if "severity" in f:
        f = f.assign(_o=f["severity"].astype(str).str.lower().map(_SEVERITY_ORDER).fillna(9)).sort_values(
            "_o", kind="stable").drop(columns="_o")
    texts = f["text"].astype(str).tolist() if "text" in f else []
    if ctx.mask:
        texts = [str(mask_text(x)) for x in texts]
    out.append(Markdown("\n".join(f"{i}. {_md_escape(x)}" for i, x in enumerate(texts, 1))))
    return out


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def kpi_definitions(ctx: ReportContext) -> pd.DataFrame:
    """The KPI card: each metric's formula and the threshold as used in this report."""
    th = getattr(ctx.profile, "thresholds", None)
    gap = getattr(th, "manager_gap", 0.25)
    window = getattr(th, "callback_window_h", 24)
    sl = getattr(th, "service_level", 0.8)
    within = getattr(th, "answer_within_s", 20)
    days = getattr(th, "min_active_days", 3)
    wrap = getattr(th, "wrapup_s", 0)
    ru = ctx.lang != "en"
    rows = [
        ("external_calls", "исходящие на внешние номера + принятые входящие" if ru
         else "outgoing to external numbers + incoming answered", ""),
        ("external_calls_per_day", "внешние звонки / рабочие дни (дни хотя бы с одним звонком)" if ru
         else "external calls / active days (days with at least one call)", ""),
        ("outgoing_new_clients_per_day", "исходящие на новые номера / рабочие дни" if ru
         else "outgoing to new numbers / active days", ""),
        ("gap", "1 − значение / лучшее значение в отделе" if ru else "1 − value / department's best",
         (f"> {gap:.0%}; не отмечаем при < {days} рабочих днях" if ru
          else f"> {gap:.0%}; not flagged under {days} active days")),
        ("internal_share", "внутренние / (внешние + внутренние)" if ru else "internal / (external + internal)", ""),
        ("mobile_share", "исходящие на мобильные / все исходящие внешние" if ru
         else "outgoing to mobiles / all outgoing external", ""),
        ("calls_per_number", "внешние звонки / разные номера" if ru else "external calls / distinct numbers", ""),
        ("missed_rate", "неотвеченные входящие / все входящие" if ru else "unanswered incoming / all incoming", ""),
        ("lost", "пропущенный, по которому не перезвонили в окно и не дозвонились" if ru
         else "missed, not called back within the window and not reached",
         f"{window:g} ч" if ru else f"{window:g} h"),
        ("required_agents", "Эрланг C: нагрузка A = звонков в час × AHT / 3600" if ru
         else "Erlang C: load A = calls per hour × AHT / 3600",
         (f"{sl:.0%} ответов за {within:g} с; дообработка {wrap:g} с" if ru
          else f"{sl:.0%} answered within {within:g} s; wrap-up {wrap:g} s")),
    ]
    lang = ctx.lang
    return pd.DataFrame({_t("metric", lang): [column_label(k, lang) for k, _, _ in rows],
                         _t("formula", lang): [f for _, f, _ in rows],
                         _t("threshold", lang): [t or "—" for _, _, t in rows]})


def section_kpi(ctx: ReportContext) -> list[Any]:
    """The KPI definition card (formulas and thresholds as used)."""
    return [heading("kpi", ctx.lang), _table(kpi_definitions(ctx), ctx)]


# --- Excel -----------------------------------------------------------------------------------

def _sheet_frames(audit: Any, ctx: ReportContext) -> dict[str, pd.DataFrame]:
    items = overview_items(ctx)
    prof = ctx.profile
    if prof is not None:
        head: list[tuple[str, Any]] = [(_t("client", ctx.lang), prof.client)]
        if prof.period is not None:
            head.append((_t("period_label", ctx.lang), f"{prof.period_start} — {prof.period_end}"))
        items = head + items
    summary = pd.DataFrame({"item": [k for k, _ in items], "value": [v for _, v in items]})
    frames: dict[str, pd.DataFrame] = {
        "summary": summary,
        "managers": _get(audit, "managers"),
        "comparison": _get(audit, "compare"),
        "callback": call_back_table(audit),
        "traffic": _get(audit, "traffic"),
        "staffing": _get(audit, "staffing"),
        "concentration": _get(audit, "concentration"),
        "findings": _get(audit, "findings"),
    }
    res = speech_result(audit)
    if res is not None:
        frames["speech_calls"] = speech_calls_table(res, ctx.lang)
        frames["speech_snippets"] = speech_snippets_table(res, ctx.lang)
        frames["speech_managers"] = speech_managers_table(res)
    return frames


def _excel_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Timestamp):
        if pd.isna(v):
            return None
        return (v.tz_localize(None) if v.tzinfo is not None else v).to_pydatetime()
    if not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v):
        return None
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, (str, bool, int, float, dt.datetime, dt.date)):
        return v
    return str(v)


def _number_format(col: str, lang: str) -> str | None:
    if _is_share(col):
        return "0.0%"
    if _is_seconds(col):
        return '#,##0" с"' if lang != "en" else '#,##0" s"'
    return None


def write_workbook(audit: Any, path: str | Path, *, mask: bool = True, lang: str = "ru",
                   profile: Profile | None = None) -> Path:
    """Write the manager-ready Excel workbook of an audit.

    Sheets (names in ``lang``, see :data:`SHEET_NAMES`): summary, managers, comparison,
    missed-to-call-back, traffic, staffing, findings; when the audit has speech results
    (``audit.speech``, a ``callkit.speech.SpeechResult``) also speech calls (one row per
    transcribed call, with what it lacked), speech snippets (every checklist hit with its
    second and a masked snippet) and speech managers (compliance per manager: script,
    result, decision makers, advantages, materials, every checklist item). Each has a bold frozen header with an
    autofilter, column widths fitted to the content, percent format for shares, ``с``/``s``
    suffix for seconds, dates as dates; flagged comparison rows are filled red. Client numbers
    are masked unless ``mask=False``; every text cell is written as a string (text starting
    with ``=``, ``+``, ``-``, ``@`` gets a quote prefix and can never run as a formula).
    Values are those of the audit tables (the ``callkit metrics`` CSVs), unrounded.

    Parameters
    ----------
    audit : Audit
        With ``managers``, ``compare``, ``missed``, ``traffic``, ``staffing``, ``findings``,
        ``calls`` tables (missing ones give empty sheets).
    path : path
        The ``.xlsx`` file to write (its folder is created).
    mask : bool, default True
    lang : {"ru", "en"}
    profile : Profile, optional
        For the summary's period and thresholds (default: ``audit.profile`` if present).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    profile = profile if profile is not None else getattr(audit, "profile", None)
    if not isinstance(profile, Profile):
        profile = None
    ctx = ReportContext(audit=audit, profile=profile, lang=lang, mask=mask)
    frames = _sheet_frames(audit, ctx)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE6F0")
    flag_fill = PatternFill("solid", fgColor="F8D3CF")
    for key, frame in frames.items():
        ws = wb.create_sheet(SHEET_NAMES[key][1 if lang == "en" else 0])
        data = mask_frame(frame) if mask and len(frame) else frame   # nothing to mask in an empty sheet
        if key == "summary":
            headers = [_t("item", lang), _t("value", lang)]
        else:
            headers = [column_label(str(c), lang) for c in data.columns]
        for c, h in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c)
            cell.value = h
            cell.data_type = "s"   # a header from a profile item ('=…') is text, not a formula
            cell.quotePrefix = is_formula_like(h)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(h) for h in headers]
        formats = [_number_format(str(c), lang) for c in data.columns]
        if key == "summary":
            rate_label = _t("missed_rate", lang)
            formats = [None, None]
        flagged = (data["flagged"].fillna(False).astype(bool).tolist() if key == "comparison" and "flagged" in data
                   else [False] * len(data))
        for r, (row, fl) in enumerate(zip(data.itertuples(index=False, name=None), flagged), start=2):
            for c, raw in enumerate(row, start=1):
                v = _excel_value(raw)
                cell = ws.cell(row=r, column=c)
                cell.value = v
                if isinstance(v, str):
                    cell.data_type = "s"   # never a formula, whatever the text starts with
                    if is_formula_like(v):
                        cell.quotePrefix = True
                elif isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(v, float) and formats[c - 1]:
                    cell.number_format = formats[c - 1]
                elif isinstance(v, float):
                    cell.number_format = "0.00"
                if key == "summary" and c == 2 and row[0] == rate_label and isinstance(v, float):
                    cell.number_format = "0.0%"
                if fl:
                    cell.fill = flag_fill
                shown = 16 if isinstance(v, dt.datetime) else len(str(v)) if v is not None else 0
                widths[c - 1] = max(widths[c - 1], min(shown, 60))
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = max(8, min(w + 2, 62))
        ws.freeze_panes = "A2"
        if data.shape[1]:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(data) + 1)}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def export_workbook(ctx: ReportContext) -> Any:
    """Write ``<out>/<slug>/audit.xlsx`` for the notebook and return a note listing the files."""
    from IPython.display import HTML

    if ctx.out_dir is None:
        return HTML("")
    path = write_workbook(ctx.audit, ctx.out_dir / "audit.xlsx", mask=ctx.mask, lang=ctx.lang,
                          profile=ctx.profile)
    names = ["audit.html", path.name, "charts/"]
    return HTML(f'<p class="ck-note">{html.escape(_t("files_written", ctx.lang))}: '
                f'{html.escape(", ".join(names))}</p>')


# --- notebooks -------------------------------------------------------------------------------

def notebook_path(name: str = "audit.ipynb") -> Path:
    """Locate a callkit notebook: ``$CALLKIT_NOTEBOOKS``, package data, or the source tree.

    Raises
    ------
    ReportError
        When the notebook is in none of those places.
    """
    pkg = Path(__file__).resolve().parent
    candidates = []
    env = os.environ.get("CALLKIT_NOTEBOOKS")
    if env:
        candidates.append(Path(env) / name)
    candidates += [pkg / "data" / "notebooks" / name, pkg.parent / "notebooks" / name]
    for cand in candidates:
        if cand.is_file():
            return cand
    raise ReportError(f"Notebook {name!r} not found (looked at {', '.join(map(str, candidates))}); "
                      "set CALLKIT_NOTEBOOKS to the folder holding it.")


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters declared in a notebook's ``parameters`` cell (name -> type, default, help).

    Raises
    ------
    ReportError
        When the notebook has no cell tagged ``parameters``.
    """
    import nbformat
    import papermill

    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ReportError(f"{notebook}: no cell tagged 'parameters'; papermill cannot inject parameters.")
    return {k: dict(v) for k, v in papermill.inspect_notebook(str(notebook)).items()}


_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "bool": (bool,), "int": (int,), "float": (int, float)}


def validate_parameters(notebook: str | Path, parameters: Mapping[str, Any], *,
                        required: Sequence[str] = ("profile", "out")) -> dict[str, Any]:
    """Check parameters against the notebook's ``parameters`` cell; papermill only warns.

    Unknown names, names the runner requires that the notebook does not declare, declared
    parameters without a default (``None``) that are not given, and values of the wrong type
    (by the annotation) are errors.

    Returns
    -------
    dict
        The parameters, unchanged.

    Raises
    ------
    ReportError
        Naming the parameter(s) and what the notebook declares.
    """
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(f"{Path(notebook).name}: unknown parameter(s) {unknown}; the notebook declares "
                          f"{sorted(declared)}.")
    missing = sorted(n for n in required if n not in declared)
    missing += sorted(n for n, spec in declared.items()
                      if n not in parameters and str(spec.get("default")) == "None" and n not in missing)
    if missing:
        raise ReportError(f"{Path(notebook).name}: missing parameter(s) {missing}; the notebook declares "
                          f"{sorted(declared)} and the runner needs {list(required)}.")
    for name, value in parameters.items():
        types = _TYPES.get(str(declared[name].get("inferred_type_name", "")).strip())
        bad = types is not None and (not isinstance(value, types) or (bool not in types and isinstance(value, bool)))
        if bad:
            raise ReportError(f"{Path(notebook).name}: parameter {name!r} has {value!r}; expected "
                              f"{declared[name]['inferred_type_name']}.")
    return dict(parameters)


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)


def export_html(notebook: str | Path, html_path: str | Path, *, title: str | None = None) -> Path:
    """Export an executed notebook to a code-free, self-contained HTML page.

    Code cells' inputs and prompts are dropped, stderr streams removed, images are embedded as
    data URIs (they already are in notebook outputs; Markdown images are embedded too), and
    scripts loaded from the internet are stripped, so the page reads the same offline.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or Path(notebook).stem}})
    body = _EXTERNAL_SCRIPT.sub("", body)
    out = Path(html_path)
    out.write_text(body, encoding="utf-8")
    return out


# --- runs ------------------------------------------------------------------------------------

@dataclass
class ClientRun:
    """What :func:`run_client` wrote for one client."""

    slug: str
    client: str
    out_dir: Path
    notebook: Path
    html: Path
    workbook: Path
    charts: list[Path]
    seconds: float
    profile: Path | None = None

    @property
    def charts_dir(self) -> Path:
        """``<out>/<slug>/charts``."""
        return self.out_dir / "charts"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:500]


def run_client(profile_path: str | Path, out: str | Path, *, lang: str | None = None,
               mask_numbers: bool | None = None, parameters: Mapping[str, Any] | None = None,
               kernel_name: str = "python3", timeout: int = 600) -> ClientRun:
    """Run the audit notebook for one client and export HTML, charts and the workbook.

    Writes ``<out>/<slug>/audit.ipynb`` (executed), ``audit.html`` (no code, images embedded),
    ``charts/*.png|svg`` and ``audit.xlsx``.

    Parameters
    ----------
    profile_path : path
        The client profile YAML.
    out : path
        The output root.
    lang : {"ru", "en"}, optional
        Default: the profile's.
    mask_numbers : bool, optional
        Default: the profile's (``True`` unless it says otherwise).
    parameters : mapping, optional
        Extra notebook parameters; a name the notebook does not declare is an error.
    kernel_name : str, default "python3"
        The ipykernel of this environment (jupyter_client runs it with this interpreter).
    timeout : int
        Seconds per cell.

    Returns
    -------
    ClientRun

    Raises
    ------
    ProfileError
        The profile is invalid.
    ReportError
        Wrong parameters, a failing cell (with its error), or a missing output.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    profile_path = Path(profile_path).resolve()
    prof = load_profile(profile_path)
    client_dir = safe_output_dir(out, prof.slug)
    client_dir.mkdir(parents=True, exist_ok=True)
    nb_in = notebook_path("audit.ipynb")
    params: dict[str, Any] = {"profile": str(profile_path), "out": str(Path(out).resolve()),
                              "lang": lang or prof.lang,
                              "mask_numbers": prof.mask_numbers if mask_numbers is None else bool(mask_numbers)}
    params.update(dict(parameters or {}))
    validate_parameters(nb_in, params)
    nb_out = client_dir / "audit.ipynb"
    try:
        papermill.execute_notebook(str(nb_in), str(nb_out), parameters=params, kernel_name=kernel_name,
                                   progress_bar=False, log_output=False, cwd=str(nb_in.parent),
                                   execution_timeout=timeout,
                                   # the kernel's own start-up warnings are noise for the analyst
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except PapermillExecutionError as exc:
        raise ReportError(f"{profile_path}: notebook failed in cell {exc.exec_count}: "
                          f"{exc.ename}: {' '.join(str(exc.evalue).split())}"[:800]) from None
    html_path = export_html(nb_out, client_dir / "audit.html", title=prof.client)
    workbook = client_dir / "audit.xlsx"
    if not workbook.is_file():
        raise ReportError(f"{nb_out}: the notebook did not write {workbook.name}.")
    charts = sorted((client_dir / "charts").glob("*.png")) + sorted((client_dir / "charts").glob("*.svg"))
    return ClientRun(slug=prof.slug, client=prof.client, out_dir=client_dir, notebook=nb_out, html=html_path,
                     workbook=workbook, charts=charts, seconds=time.perf_counter() - t0, profile=profile_path)


@dataclass
class ClientStatus:
    """One client's outcome in a batch: ``status`` is ``"ok"`` or ``"failed"`` (with ``reason``)."""

    profile: Path
    status: str
    reason: str = ""
    slug: str | None = None
    seconds: float = 0.0
    run: ClientRun | None = None


@dataclass
class BatchSummary:
    """The outcome of :func:`run_batch`: per-client statuses in profile order."""

    out: Path
    clients: list[ClientStatus]
    seconds: float
    jobs: int

    @property
    def ok(self) -> list[ClientStatus]:
        return [c for c in self.clients if c.status == "ok"]

    @property
    def failed(self) -> list[ClientStatus]:
        return [c for c in self.clients if c.status != "ok"]

    def summary(self) -> str:
        """A short multi-line text: one line per client, then the totals."""
        lines = [f"{c.status:6} {c.slug or c.profile.name}: " + (str(c.run.html) if c.run else c.reason)
                 for c in self.clients]
        lines.append(f"{len(self.ok)} ok, {len(self.failed)} failed in {self.seconds:.1f} s (jobs={self.jobs})")
        return "\n".join(lines)

    text = summary  # the CLI prints ``summary.text()``

    @property
    def all_ok(self) -> bool:
        """True when every client succeeded (the CLI's exit status)."""
        return not self.failed


def find_profiles(profiles_dir: str | Path) -> list[Path]:
    """Profiles in a folder: ``*.yaml``/``*.yml`` in it and ``*/profile.yaml`` one level down."""
    root = Path(profiles_dir)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; expected a folder of client profiles (*.yaml).")
    found = {p.resolve() for pat in ("*.yaml", "*.yml", "*/profile.yaml", "*/profile.yml") for p in root.glob(pat)}
    return sorted(found)


def _batch_worker(profile: str, out: str, lang: str | None, mask: bool | None) -> ClientStatus:
    t0 = time.perf_counter()
    try:
        run = run_client(profile, out, lang=lang, mask_numbers=mask)
        return ClientStatus(profile=Path(profile), status="ok", slug=run.slug,
                            seconds=time.perf_counter() - t0, run=run)
    except Exception as exc:  # noqa: BLE001 - one client's failure must not stop the batch
        return ClientStatus(profile=Path(profile), status="failed", reason=_one_line(exc),
                            seconds=time.perf_counter() - t0)


def run_batch(profiles_dir: str | Path, out: str | Path, *, jobs: int = 1, lang: str | None = None,
              mask_numbers: bool | None = None, progress: bool = True) -> BatchSummary:
    """Run :func:`run_client` for every profile in a folder, each client in its own process.

    A failing client (bad profile, unreadable export, failing cell, duplicate slug) does not
    stop the others; it is reported in the summary with its reason.

    Parameters
    ----------
    profiles_dir : path
        Folder with ``*.yaml`` profiles (or ``*/profile.yaml``).
    out : path
        The output root; each client writes ``<out>/<slug>/``.
    jobs : int, default 1
        Clients run at the same time.
    progress : bool, default True
        Show a tqdm progress bar (on stderr).

    Returns
    -------
    BatchSummary
    """
    from tqdm.auto import tqdm

    if jobs < 1:
        raise InputError(f"jobs={jobs!r}; expected a positive number of parallel clients.")
    t0 = time.perf_counter()
    profiles = find_profiles(profiles_dir)
    Path(out).mkdir(parents=True, exist_ok=True)
    statuses: dict[Path, ClientStatus] = {}
    todo: list[Path] = []
    slugs: dict[str, Path] = {}
    for p in profiles:  # reject duplicate slugs up front: two clients must not share a folder
        try:
            slug = load_profile(p, check_files=False).slug
        except CallkitError as exc:
            statuses[p] = ClientStatus(profile=p, status="failed", reason=_one_line(exc))
            continue
        if slug in slugs:
            statuses[p] = ClientStatus(profile=p, status="failed", slug=slug,
                                       reason=f"slug {slug!r} is also used by {slugs[slug].name}")
            continue
        slugs[slug] = p
        todo.append(p)
    bar = tqdm(total=len(profiles), desc="clients", unit="client", disable=not progress)
    bar.update(len(profiles) - len(todo))
    if todo:
        ctx = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx,
                                    max_tasks_per_child=1) as pool:
            futures = {pool.submit(_batch_worker, str(p), str(out), lang, mask_numbers): p for p in todo}
            for fut in cf.as_completed(futures):
                p = futures[fut]
                try:
                    statuses[p] = fut.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker process
                    statuses[p] = ClientStatus(profile=p, status="failed", reason=_one_line(exc))
                bar.set_postfix_str(f"{statuses[p].slug or p.stem}: {statuses[p].status}")
                bar.update(1)
    bar.close()
    return BatchSummary(out=Path(out), clients=[statuses[p] for p in profiles],
                        seconds=time.perf_counter() - t0, jobs=jobs)


def sample_profile_path() -> Path:
    """The bundled sample profile (``data_samples/profile.yaml``).

    Raises
    ------
    InputError
        When the samples are not there (``$CALLKIT_SAMPLES`` can point at the folder).
    """
    pkg = Path(__file__).resolve().parent
    candidates = []
    env = os.environ.get("CALLKIT_SAMPLES")
    if env:
        candidates.append(Path(env) / "profile.yaml")
    candidates += [pkg / "data" / "samples" / "profile.yaml", pkg.parent / "data_samples" / "profile.yaml"]
    for cand in candidates:
        if cand.is_file():
            return cand
    raise InputError(f"Sample profile not found (looked at {', '.join(map(str, candidates))}); "
                     "set CALLKIT_SAMPLES to the data_samples folder.")


def demo(out: str | Path = "callkit-demo", *, lang: str | None = None) -> ClientRun:
    """Run the full audit on the bundled ``data_samples/profile.yaml`` into ``out``.

    Returns
    -------
    ClientRun
        Paths of the notebook, HTML, charts and workbook written.
    """
    return run_client(sample_profile_path(), out, lang=lang)
