"""Every word a reader of a report sees, in Russian and English, in one place.

Section headings (:data:`SECTIONS`), report texts (:func:`text`), column headers
(:data:`COLUMN_LABELS`, :func:`column_label`), speech values (:data:`SPEECH_VALUES`) and
workbook sheet names (:data:`SHEET_NAMES`). Importing this module is cheap (no pandas, no
matplotlib, no papermill): charts, widgets and speech views take their words from here.
"""
from __future__ import annotations

from typing import Any

__all__ = ["SECTIONS", "TEXTS", "COLUMN_LABELS", "SPEECH_VALUES", "SHEET_NAMES", "text", "column_label",
           "speech_value"]

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

#: Report texts, ``TEXTS[key][lang]`` (``str.format`` fields in braces).
TEXTS: dict[str, dict[str, str]] = {
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
    "never_called_back": {"ru": "Номера, до которых так и не дозвонились, — перезвонить (первые "
                                "{n} из {total}; полный список в Excel)",
                          "en": "Numbers never reached — to call back (first {n} of {total}; "
                                "full list in Excel)"},
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


def text(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The report text ``key`` in ``lang``, formatted with ``fmt`` (the key itself when unknown)."""
    lang = "en" if lang == "en" else "ru"
    words = TEXTS.get(key, {}).get(lang, key)
    return words.format(**fmt) if fmt else words


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
    "competitor_mentions": ("Конкурентов назвал сотрудник", "Competitors named by the employee"),
    "client_mentions_competitor": ("Конкурентов назвал клиент", "Competitors named by the client"),
    "client_profanity": ("Мат/грубость клиента", "Client profanity"),
    "speaker_labels": ("Разметка говорящих", "Speaker labels"),
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
    "labelled": ("есть", "labelled"), "partial": ("частично", "partial"),
}


def speech_value(value: Any, lang: str = "ru") -> Any:
    """A speech value (checklist kind, call kind, result, speaker) as the report shows it."""
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
            return f"{speech_value(kind, lang)}: {item}"
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
