"""Every word a reader of a report sees, in Russian and English, in one place.

Section headings (:data:`SECTIONS`), report sentences (:data:`TEXTS`, :func:`text`), column
headers (:data:`COLUMN_LABELS`, :func:`column_label`), the values the data holds as codes —
severities, rule names, signals, directions, roles, export formats, the script stages and
call results a profile names with English keys (:data:`VALUES`, :func:`value_label`), chart
words (:data:`CHART`, :func:`chart_label`), weekdays and months, and the workbook's sheet
names (:data:`SHEET_NAMES`).

Importing this module is cheap (the standard library only: no pandas, matplotlib, papermill or
nbconvert): charts (:mod:`callkit.plots`), the explorer (:mod:`callkit.widgets`), the speech
views and the workbook take their words from here, so a word is written once and cannot drift.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["LANGS", "SECTIONS", "TEXTS", "DEFINITIONS", "SPEECH_VIEWS", "COLUMN_LABELS", "VALUES", "SPEECH_VALUES", "CHART", "SHEET_NAMES",
           "WEEKDAYS", "WEEKDAYS_FULL", "MONTHS", "lang_of", "text", "column_label", "value_label",
           "speech_value", "chart_label", "weekday", "slot_text", "subject_text", "date_text",
           "period_text", "plural"]

LANGS = ("ru", "en")


def lang_of(lang: str | None) -> str:
    """``"en"`` for English, ``"ru"`` for anything else (Russian is the default)."""
    return "en" if lang == "en" else "ru"


def _i(lang: str | None) -> int:
    return 1 if lang == "en" else 0


# --- calendar ---------------------------------------------------------------------------------

#: Short weekday names, Monday first (weekday 0 = Monday, as in traffic.csv).
WEEKDAYS: dict[str, list[str]] = {
    "ru": ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}
WEEKDAYS_FULL: dict[str, list[str]] = {
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
#: Month names as a date says them (Russian genitive: «1 октября»).
MONTHS: dict[str, list[str]] = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def weekday(day: int, lang: str = "ru", *, full: bool = False) -> str:
    """The name of weekday ``day`` (0 = Monday).

    Examples
    --------
    >>> weekday(2), weekday(2, "en", full=True)
    ('Ср', 'Wednesday')
    """
    return (WEEKDAYS_FULL if full else WEEKDAYS)[lang_of(lang)][int(day)]


_SLOT = re.compile(r"^([0-6]) ([0-9]{1,2})$")


def slot_text(subject: Any, lang: str = "ru") -> str:
    """A ``weekday hour`` subject (DESIGN §5: ``"2 16"``) as a reader says it; other text as is.

    Examples
    --------
    >>> slot_text("2 16"), slot_text("0 9", "en"), slot_text("Продажи")
    ('Ср 16:00', 'Mon 09:00', 'Продажи')
    """
    m = _SLOT.match(str(subject).strip())
    if not m:
        return str(subject)
    return f"{weekday(int(m.group(1)), lang)} {int(m.group(2)):02d}:00"


def date_text(day: dt.date, lang: str = "ru", *, year: bool = True) -> str:
    """A date in words: ``1 октября 2026`` / ``1 October 2026``."""
    month = MONTHS[lang_of(lang)][day.month - 1]
    return f"{day.day} {month} {day.year}" if year else f"{day.day} {month}"


def period_text(start: dt.date, end: dt.date, lang: str = "ru") -> str:
    """An inclusive period in words: ``1–31 октября 2026``, ``1 сентября — 31 октября 2026``."""
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{date_text(end, lang)}"
    if start.year == end.year:
        return f"{date_text(start, lang, year=False)} — {date_text(end, lang)}"
    return f"{date_text(start, lang)} — {date_text(end, lang)}"


def plural(n: float, forms: tuple[str, str, str]) -> str:
    """The Russian noun form for ``n``: ``forms`` = (1 звонок, 2 звонка, 5 звонков).

    Examples
    --------
    >>> [plural(n, ("звонок", "звонка", "звонков")) for n in (1, 3, 5, 11, 21, 2.5)]
    ['звонок', 'звонка', 'звонков', 'звонков', 'звонок', 'звонка']
    """
    if float(n) != int(n):
        return forms[1]
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


# --- sections ---------------------------------------------------------------------------------

#: The report's sections in story order (DESIGN §6): ``SECTIONS[key][lang]``.
SECTIONS: dict[str, dict[str, str]] = {
    "summary": {"ru": "Главное", "en": "The summary"},
    "lost": {"ru": "Пропущенные звонки и перезвоны", "en": "Missed calls and call-backs"},
    "managers": {"ru": "Менеджеры", "en": "Managers"},
    "traffic": {"ru": "Поток звонков, люди на линии и линии связи", "en": "Call flow, staffing and lines"},
    "speech": {"ru": "Разговоры: скрипт, ЛПР, преимущества", "en": "Conversations: script, decision makers, advantages"},
    "appendix": {"ru": "Приложение: данные и методика", "en": "Appendix: data and method"},
}

# --- sentences --------------------------------------------------------------------------------

#: Report sentences and short labels, ``TEXTS[key][lang]`` (``str.format`` fields in braces).
TEXTS: dict[str, dict[str, str]] = {
    # title and summary
    "title": {"ru": "Аудит отдела продаж по телефонии: {client}", "en": "Sales-department telephony audit: {client}"},
    "subtitle": {"ru": "{period} · {calls} · {managers} · {departments}",
                 "en": "{period} · {calls} · {managers} · {departments}"},
    "masked_note": {"ru": "Номера клиентов скрыты (+7 916 ***-**-67).",
                    "en": "Client numbers are masked (+7 916 ***-**-67)."},
    "masked_short": {"ru": "номера клиентов скрыты", "en": "client numbers masked"},
    "department_word": {"ru": "отдел|отдела|отделов", "en": "department|departments|departments"},
    "enquiry_word": {"ru": "обращение|обращения|обращений", "en": "enquiry|enquiries|enquiries"},
    "severity_word": {"ru": "важность", "en": "severity"},
    "no_previous_short": {"ru": "прошлого периода нет в данных", "en": "no previous period in the data"},
    "no_previous_history": {"ru": "не сравнивается: мало истории звонков", "en": "not compared: too little history"},
    "pp": {"ru": "{v} п. п.", "en": "{v} pp"},
    "strength_external_calls_per_day": {"ru": "больше всех внешних звонков в день", "en": "most external calls a day"},
    "strength_outgoing_new_clients_per_day": {"ru": "больше всех звонков новым клиентам", "en": "most calls to new clients"},
    "strength_incoming_answered": {"ru": "больше всех принятых входящих", "en": "most incoming answered"},
    "strength_present_share": {"ru": "чаще всех на связи в часы пик", "en": "most often on the phone at peaks"},
    "staffing_head": {"ru": "Хватает ли людей на линии", "en": "Are there enough people on the line"},
    "queues_head": {"ru": "Очереди и операторы (по журналу очередей)", "en": "Queues and agents (from the queue log)"},
    "queues_lead": {
        "ru": "Уровень сервиса — доля звонков, принятых за {target} с, среди всех звонков очереди с известным "
              "исходом: брошенные считаются против него; звонки, ещё ждавшие в конце журнала, не брошены. "
              "Время в очереди и на паузе — по входам и паузам операторов в журнале.",
        "en": "Service level: the share answered within {target} s of the queue's calls with a known outcome; "
              "abandoned ones count against it, calls still waiting when the log ends are not abandoned. "
              "Logged-in and paused time come from the agents' log-ins and pauses in the log."},
    "abandoned_list": {"ru": "Брошенные в очереди звонки: {n} из {total}",
                       "en": "Calls abandoned in the queue: {n} of {total}"},
    "presence_head": {"ru": "Кто на связи в часы пик", "en": "Who is on the phone at peak hours"},
    "concentration_head": {"ru": "Кто принимает входящие", "en": "Who takes the incoming calls"},
    "contents": {"ru": "Содержание", "en": "Contents"},
    "problems_lead": {"ru": "Проблемы, которые стоят больше всего, — по убыванию потерь:",
                      "en": "The problems that cost most, largest first:"},
    "problems_lead_severity": {"ru": "Главные проблемы (по важности):", "en": "The main problems (by severity):"},
    "no_problems": {"ru": "Правила аудита не нашли проблем в этом периоде.",
                    "en": "The audit's rules found no problem in this period."},
    "cost_calls": {"ru": "≈ {n} {word}", "en": "≈ {n} {word}"},
    "cost_calls_word": {"ru": "звонок|звонка|звонков", "en": "call|calls|calls"},
    "cost_per_period": {"ru": "потеряно за период", "en": "lost in the period"},
    "cost_rub": {"ru": "≈ {rub} ₽", "en": "≈ {rub} ₽"},
    "cost_risk": {"ru": "риск", "en": "a risk"},
    "cost_risk_note": {"ru": "потери в звонках не считаются", "en": "not counted in calls"},
    "cost_unknown": {"ru": "не посчитано", "en": "not counted"},
    "cost_unknown_note": {"ru": "нет данных, чтобы посчитать потери", "en": "no data to count the cost"},
    "evidence_calls": {"ru": "основание: {n} {word}", "en": "evidence: {n} {word}"},
    "evidence_basis": {"ru": "основание: {basis}", "en": "based on {basis}"},
    "evidence_listed": {"ru": "в списке {n} {word}", "en": "{n} {word} listed"},
    "evidence_where": {"ru": "Звонки-основания каждой проблемы — в листе «{sheet}» файла Excel.",
                       "en": "The calls behind every problem are on the “{sheet}” sheet of the workbook."},
    "evidence_sample": {"ru": "выборка {n}", "en": "sample {n}"},
    "action": {"ru": "Что сделать", "en": "What to do"},
    "more_subjects": {"ru": "и ещё {n}", "en": "and {n} more"},
    "money_hint": {
        "ru": "Чтобы перевести потери из звонков в рубли, нужны две цифры: средняя сумма сделки и доля "
              "обращений, которые становятся сделкой. Их указывают в профиле клиента (раздел "
              "<code>economics</code>), и отчёт покажет потери в ₽.",
        "en": "To turn the lost calls into roubles the report needs two figures: the average deal "
              "and the share of enquiries that become a deal. They go into the client profile "
              "(<code>economics</code>), and the report shows the losses in ₽."},
    "money_basis": {"ru": "Рубли: потерянные обращения × {conv} в сделку × {deal} ₽ средняя сделка.",
                    "en": "Roubles: lost enquiries × {conv} to a deal × {deal} ₽ average deal."},
    "money_calls": {"ru": " Несделанные звонки клиентам × {conv} в сделку × {deal} ₽.",
                    "en": " Client calls not made × {conv} to a deal × {deal} ₽."},
    "money_no_calls": {"ru": " Звонки и часы — без рублей (для звонков: <code>economics.call_to_deal</code>).",
                       "en": " Calls and hours are not priced (calls: <code>economics.call_to_deal</code>)."},
    "key_figures": {"ru": "Ключевые показатели", "en": "Key figures"},
    "vs_previous": {"ru": "прошлый период: {prev}", "en": "previous period: {prev}"},
    "no_previous": {"ru": "без сравнения с прошлым периодом (нет данных)",
                    "en": "no comparison with the previous period (no data)"},
    "no_sum": {"ru": "Потери проблем пересекаются — не складывайте их; итог — в ключевых показателях.",
               "en": "The losses overlap: do not add them up; the total is in the key figures."},
    "more_problems": {"ru": "Остальные выводы — в разделах ниже и в листе «{sheet}» ({n} всего).",
                      "en": "The other findings are in the sections below and on the “{sheet}” sheet ({n} in all)."},
    # key figures
    "kf_incoming": {"ru": "Входящих в рабочее время", "en": "Incoming in working hours"},
    "kf_missed_rate": {"ru": "Из них не отвечено", "en": "Of them not answered"},
    "kf_lost": {"ru": "Потеряно обращений", "en": "Enquiries lost"},
    "kf_off_hours": {"ru": "Входящих в нерабочее время", "en": "Incoming outside working hours"},
    "kf_outgoing": {"ru": "Исходящих звонков", "en": "Outgoing calls"},
    "kf_new_clients": {"ru": "Звонков новым клиентам", "en": "Calls to new clients"},
    # lost calls
    "lost_lead": {
        "ru": "В рабочее время из {incoming} входящих не ответили на {missed} ({rate}). Перезвонили в течение "
              "{window} — {called}, поговорили потом (ответили на перезвон или на следующий звонок клиента) — "
              "{reached}; потеряно {lost} {lost_word}: не перезвонили вовремя и так и не поговорили. {off}",
        "en": "In working hours {missed} of {incoming} incoming calls were not answered ({rate}). {called} were "
              "called back within {window}, {reached} were talked to later (a call-back or the client's next "
              "call answered); {lost} were lost: no call-back in time and no conversation since. {off}"},
    "window_h": {"ru": "{h:g} ч", "en": "{h:g} h"},
    "worklist_note": {
        "ru": "Список для перезвона — {n} открытых обращений (клиенту не перезвонили и не поговорили с ним "
              "после последнего пропущенного) — в отдельном файле «{file}» для сотрудников компании.",
        "en": "The call-back list — {n} open cases (no call-back and no conversation since the last missed "
              "call) — is a separate file, “{file}”, for the company's staff."},
    "findings_here": {"ru": "Что нашли", "en": "What we found"},
    "more_findings": {"ru": "Ещё {n} — в листе «{sheet}» файла Excel.", "en": "{n} more on the “{sheet}” sheet."},
    "no_findings_here": {"ru": "Здесь правила аудита проблем не нашли.", "en": "No rule fired here."},
    # managers
    "managers_lead": {
        "ru": "{n} {word} со звонками в периоде. На графике — внешние звонки в день и звонки новым клиентам "
              "в день; штрих — медиана отдела. Ниже — карточка каждого менеджера: его цифры против коллег, "
              "замечания и сильные стороны. Все показатели — в листе «{sheet}» файла Excel.",
        "en": "{n} managers with calls in the period. The chart shows external calls per day and calls to new "
              "clients per day; the dash is the department median. Below is a card per manager: their "
              "figures against the department median, the issues and the strengths. Every figure is on the "
              "“{sheet}” sheet of the workbook."},
    "manager_word": {"ru": "менеджер|менеджера|менеджеров", "en": "manager|managers|managers"},
    "card_metric": {"ru": "Показатель", "en": "Figure"},
    "card_self": {"ru": "Менеджер", "en": "Manager"},
    "card_dept": {"ru": "Коллеги, медиана", "en": "Colleagues, median"},
    "cards_note": {"ru": "Коллеги — другие менеджеры того же отдела и той же роли, у которых не меньше {days} дней со "
                         "звонками: с ними сравнивают правила аудита. Красным — заметно хуже коллег, зелёным — лучше.",
                   "en": "Colleagues are the other managers of the same department and role with at least {days} days "
                         "with calls: the audit's rules compare with them. Red is clearly worse than them, green better."},
    "card_role": {"ru": "роль: {role} (из профиля)", "en": "role: {role} (from the profile)"},
    "card_role_inferred": {"ru": "роль: {role} (по звонкам, в профиле не задана)",
                           "en": "role: {role} (from the calls, not in the profile)"},
    "card_no_issues": {"ru": "Замечаний по правилам аудита нет.", "en": "No issue by the audit's rules."},
    "card_few_days": {"ru": "Мало данных: {n} {word} со звонками — с коллегами не сравнивается.",
                      "en": "Too little data: {n} day(s) with calls — not compared with colleagues."},
    "day_word": {"ru": "день|дня|дней", "en": "day|days|days"},
    "card_best": {"ru": "Лучший результат в отделе: {what}.", "en": "Best in the department: {what}."},
    "card_alone": {"ru": "Сравнимых коллег нет (нет других с той же ролью в отделе).",
                   "en": "No comparable colleague (nobody else with the same role in the department)."},
    # traffic
    "traffic_lead": {"ru": "Больше всего входящих приходится на {peaks}.",
                     "en": "Most incoming calls come at {peaks}."},
    "peak_item": {"ru": "{hour} ({per_day} в день)", "en": "{hour} ({per_day} a day)"},
    "staffing_plain": {
        "ru": "Сколько людей должно быть на линии, чтобы {sl} звонков брали трубку за {within} с: в {n} {word} "
              "недели людей было меньше, чем нужно. Хуже всего — {worst}: нужно {need}, было {had}.",
        "en": "How many people must be on the line for {sl} of calls to be answered within {within} s: in {n} "
              "hour(s) of the week there were fewer than needed. Worst: {worst} — {need} needed, {had} there."},
    "hour_word": {"ru": "час|часа|часов", "en": "hour|hours|hours"},
    "staffing_ok": {"ru": "Людей на линии хватает во все часы недели (нужно столько, чтобы {sl} звонков брали "
                          "трубку за {within} с).",
                    "en": "There are enough people on the line in every hour of the week (for {sl} of calls "
                          "answered within {within} s)."},
    "staffing_method": {"ru": "«Нужно» — по формуле Эрланга C (см. приложение); «было на линии» — сколько человек в "
                              "этот час хотя бы раз звонили или брали трубку (в среднем за день), поэтому на графике "
                              "рядом — пропущенные входящие.",
                        "en": "“Needed” is by the Erlang C formula (see the appendix); “on the line” is how many people "
                              "placed or took at least one call in that hour (mean per day), so the chart also shows "
                              "the missed incoming calls."},
    "staffing_busy": {"ru": "По этому счёту людей хватает, а трубку не берут в {slots}{more} ({example}): это не "
                            "нехватка людей, а занятость другим (совещание, перерывы) — нужен дежурный на входящих.",
                      "en": "By this count there are people enough, yet calls go unanswered at {slots}{more} "
                            "({example}): not too few people but people busy elsewhere (a meeting, breaks) — someone "
                            "must be on duty for incoming calls."},
    "staffing_busy_item": {"ru": "{slot}: нужно {need}, было на линии {had}, не ответили на {missed} из "
                                 "{incoming} входящих",
                           "en": "{slot}: {need} needed, {had} on the line, {missed} of {incoming} "
                                 "incoming unanswered"},
    "concentration_lead": {
        "ru": "Кто принимает входящие звонки отдела: доля каждого менеджера. Штрих — равная доля (поровну на "
              "всех). Если один человек берёт намного больше, клиенты зависят от него.",
        "en": "Who takes the department's incoming calls: each manager's share. The dash is an even share. "
              "When one person takes far more, the clients depend on them."},
    "lines_lead": {"ru": "Линии связи и сбои", "en": "Lines and failures"},
    "presence_queue_log": {
        "ru": "Для операторов очередей — по журналу очереди: на связи в час пик, если был в очереди и не на паузе "
              "хотя бы половину часа (звонки тут не в счёт); для остальных — по звонкам.",
        "en": "For queue agents, from the queue_log: present in a peak hour when logged in and not paused at "
              "least half of it (calls do not count there); for the others, by their calls."},
    "staffing_queue_log": {
        "ru": "«Было на линии» для операторов очередей — по журналу очереди: доля часа в очереди и не на "
              "паузе (45 минут — 0,75 человека); для остальных — по звонкам.",
        "en": "“On the line” for queue agents comes from the queue_log: the share of the hour logged in and "
              "not paused (45 minutes = 0.75 of a person); for the others, from their calls."},
    "presence_lead": {"ru": "Доля часов пик отдела, когда менеджер был на связи (звонил или принимал звонки) "
                            "в свои рабочие дни.",
                      "en": "The share of the department's peak hours the manager was on the phone on the days "
                            "they worked."},
    # speech
    "no_transcripts": {"ru": "Расшифровок звонков нет (в профиле не указан файл расшифровок): разговоры не "
                             "анализировались.",
                       "en": "No call transcripts (the profile names no transcripts file): the conversations "
                             "were not analysed."},
    "no_speech": {"ru": "Расшифровки указаны в профиле, но результатов анализа разговоров нет.",
                  "en": "The profile names transcripts, but there are no results of the conversation analysis."},
    "no_speech_calls": {"ru": "В расшифровках нет ни одного звонка этого клиента.",
                        "en": "The transcripts hold no call of this client."},
    "speech_checklist": {"ru": "Чек-лист по переговорам (все менеджеры)", "en": "Checklist over negotiations (all managers)"},
    "speech_managers": {"ru": "Менеджеры: скрипт, результат, ЛПР/ЛВР, преимущества, материалы",
                        "en": "Managers: script, result, decision makers, advantages, materials"},
    "speech_violations": {"ru": "Нарушения: примеры (первые {n}; все звонки — в Excel)",
                          "en": "Violations: examples (first {n}; every call is in the workbook)"},
    "speech_in_excel": {"ru": "По каждому звонку — в Excel: листы «{calls}», «{snips}», «{mgr}».",
                        "en": "Per call in the workbook: sheets “{calls}”, “{snips}”, “{mgr}”."},
    "verdict": {"ru": "Вывод", "en": "Verdict"},
    # appendix
    "coverage": {"ru": "Данные и загрузка", "en": "Data and loading"},
    "definitions": {"ru": "Как считаются показатели", "en": "How the figures are computed"},
    "rules": {"ru": "Правила аудита и их пороги", "en": "The audit's rules and thresholds"},
    "small_samples": {"ru": "Малые выборки", "en": "Small samples"},
    "small_samples_text": {
        "ru": "Менеджер с менее чем {days} рабочими днями со звонками показан, но не сравнивается с коллегами и не "
              "получает замечаний. Правило о сотруднике молчит, если сравнимых коллег меньше двух. На тепловой "
              "карте пропущенных часы, где было меньше {cell} входящих, серые: доля от одного-двух звонков ничего "
              "не говорит. Рядом с долей всегда указано, из скольких звонков она посчитана.",
        "en": "A manager with fewer than {days} days with calls is shown but not compared with colleagues and "
              "gets no issue. An employee rule stays silent with fewer than two comparable colleagues. On the "
              "missed-calls heat map the hours with fewer than {cell} incoming calls are grey: a share of one or "
              "two calls says nothing. Every share says how many calls it is out of."},
    "files": {"ru": "Файлы отчёта и для кого они", "en": "The report's files and who they are for"},
    "file_html": {"ru": "этот отчёт — для руководителя продаж; номера клиентов скрыты, можно пересылать.",
                  "en": "this report — for the head of sales; client numbers are masked, fine to forward."},
    "file_xlsx": {"ru": "все таблицы отчёта — для руководителя продаж и аналитика; номера скрыты, можно пересылать.",
                  "en": "every table of the report — for the head of sales and the analyst; numbers masked, fine to "
                        "forward."},
    "file_worklist": {"ru": "список для перезвона — только для сотрудников компании, не пересылать за её пределы{full}.",
                      "en": "the call-back list — for the company's own staff only, do not send it outside{full}."},
    "file_worklist_full": {"ru": " (в нём полные номера клиентов)", "en": " (it holds full client numbers)"},
    "file_charts": {"ru": "графики отчёта (SVG и PNG) — для презентаций.", "en": "the report's charts (SVG and PNG) — "
                                                                            "for slides."},
    "item": {"ru": "Показатель", "en": "Item"},
    "value": {"ru": "Значение", "en": "Value"},
    "client": {"ru": "Клиент", "en": "Client"},
    "period_label": {"ru": "Период", "en": "Period"},
    "files_label": {"ru": "Файлы выгрузки", "en": "Export files"},
    "format": {"ru": "Формат выгрузки", "en": "Export format"},
    "encoding": {"ru": "Кодировка", "en": "Encoding"},
    "rows_read": {"ru": "Строк прочитано", "en": "Rows read"},
    "rows_loaded": {"ru": "Строк загружено", "en": "Rows loaded"},
    "rows_rejected": {"ru": "Строк отклонено", "en": "Rows rejected"},
    "duplicates": {"ru": "Дубликатов удалено", "en": "Duplicates dropped"},
    "sessions": {"ru": "Звонков (все плечи звонка — один звонок)", "en": "Calls (all legs of a call — one call)"},
    "machine_answered": {"ru": "Входящих, принятых только автоответчиком", "en": "Incoming answered by the machine only"},
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
    "rejected_rows": {"ru": "Отклонённые строки (первые {n})", "en": "Rejected rows (first {n})"},
    "notes": {"ru": "Замечания загрузчика", "en": "Loader notes"},
    "no_data": {"ru": "Нет данных для этого раздела.", "en": "No data for this section."},
    "metric": {"ru": "Показатель", "en": "Figure"},
    "plain": {"ru": "Простыми словами", "en": "In plain words"},
    "formula": {"ru": "Формула", "en": "Formula"},
    "threshold": {"ru": "Порог в этом отчёте", "en": "Threshold used"},
    "rule_when": {"ru": "Когда срабатывает", "en": "When it fires"},
    "rule_min": {"ru": "Сколько данных нужно", "en": "Data it needs"},
    "files_written": {"ru": "Файлы отчёта", "en": "Report files"},
    "chart_alt": {"ru": "График: {title}", "en": "Chart: {title}"},
    "workbook_legend": {"ru": "Что в этом файле", "en": "What this file holds"},
    # the workbook's legend
    "sheet_summary": {"ru": "Главные проблемы отчёта: что не так, сколько стоит, что сделать.",
                      "en": "The report's main problems: what is wrong, what it costs, what to do."},
    "sheet_key_figures": {"ru": "Ключевые показатели периода против прошлого периода.",
                          "en": "The period's key figures against the previous period."},
    "sheet_period": {"ru": "Все итоговые цифры периода: звонки, входящие и пропущенные в рабочее время, перезвоны, "
                           "потерянные обращения, нерабочее время.",
                     "en": "Every total of the period: calls, incoming and missed in working hours, call-backs, lost "
                           "enquiries, off hours."},
    "sheet_findings": {"ru": "Все выводы правил аудита; красные строки — высокая важность, полоски — потери в звонках.",
                       "en": "Every finding of the audit's rules; red rows are high severity, bars the cost in calls."},
    "sheet_evidence": {"ru": "Звонки, на которых основан каждый вывод (по номеру вывода).",
                       "en": "The calls behind every finding (by finding id)."},
    "sheet_managers": {"ru": "Все показатели каждого менеджера за период (определения — лист «Методика»).",
                       "en": "Every figure of every manager in the period (definitions on the “Method” sheet)."},
    "sheet_comparison": {"ru": "Каждый менеджер против ориентира отдела по каждому показателю; красные — зона роста.",
                         "en": "Every manager against the department's reference, per figure; red rows are growth zones."},
    "sheet_pop": {"ru": "Показатели менеджеров в этом и в прошлом периоде.",
                  "en": "The managers' figures in this and the previous period."},
    "sheet_missed": {"ru": "Каждый пропущенный входящий: когда перезвонили, дозвонились ли; красные — потерянные.",
                     "en": "Every missed incoming call: when it was called back, whether reached; red rows are lost."},
    "sheet_callback_bins": {"ru": "Сколько пропущенных перезвонили за 5 минут, 15 минут, час, в тот же день, позже, никогда.",
                            "en": "How many missed calls were called back within 5 min, 15 min, an hour, the same day, "
                                  "later, never."},
    "sheet_traffic": {"ru": "Входящие по дням недели и часам: сколько пришло, отвечено, пропущено.",
                      "en": "Incoming calls by weekday and hour: offered, answered, missed."},
    "sheet_peaks": {"ru": "Часы пик: часы с наибольшим числом входящих в среднем за рабочий день.",
                    "en": "Peak hours: the hours with the most incoming calls per working day."},
    "sheet_presence": {"ru": "Сколько часов пик отдела каждый менеджер был на связи в свои рабочие дни.",
                       "en": "How many of the department's peak hours each manager was on the phone."},
    "sheet_queues": {"ru": "По каждой очереди (журнал queue_log): поступило, принято, брошено, уровень сервиса, "
                           "ожидание.",
                     "en": "Per queue (the queue_log): offered, answered, abandoned, service level, waits."},
    "sheet_agents": {"ru": "По каждому оператору очередей: время в очереди и на паузе, не взял трубку, принял.",
                     "en": "Per queue agent: logged-in and paused time, rang unanswered, answered."},
    "sheet_pauses": {"ru": "Паузы операторов по причинам.", "en": "Agents' pauses by reason."},
    "sheet_abandoned": {"ru": "Звонки, брошенные в очереди: кто звонил, сколько ждал.",
                        "en": "Calls abandoned in a queue: who called, how long they waited."},
    "sheet_staffing": {"ru": "По каждому часу недели: сколько людей нужно на линии и сколько было; красные — не хватает.",
                       "en": "Per hour of the week: people needed on the line and on it; red rows are short."},
    "sheet_groups": {"ru": "То же по каждой группе, которая отвечает на звонки (очередь или отдел): нужно людей, было, "
                           "итог; красные — не хватает.",
                     "en": "The same per answering group (queue or department): people needed, on the line, the "
                           "verdict; red rows are short."},
    "sheet_off_hours": {"ru": "Входящие вне рабочего времени по дням недели и часам.",
                        "en": "Incoming calls outside working hours by weekday and hour."},
    "sheet_concentration": {"ru": "Доля входящих и клиентов отдела у каждого менеджера.",
                            "en": "Each manager's share of the department's incoming calls and clients."},
    "sheet_concentration_departments": {"ru": "Концентрация входящих по отделам: у кого больше всех, индекс.",
                                        "en": "Concentration of incoming calls by department: who takes most, the index."},
    "sheet_tech": {"ru": "Технические сигналы: короткие сбросы, потолок одновременных звонков, сбои.",
                   "en": "Technical signals: short drops, the ceiling of simultaneous calls, outages."},
    "sheet_speech_summary": {"ru": "Итоги по расшифровкам: сколько переговоров, скрипт, результат, мат, стоп-слова, "
                                   "вывод.",
                             "en": "The transcripts in figures: negotiations, script, results, profanity, stop words, "
                                   "the verdict."},
    "sheet_speech_calls": {"ru": "Каждый расшифрованный звонок: тип, результат, этапы скрипта, что не сделано.",
                           "en": "Every transcribed call: kind, result, script stages, what was not done."},
    "sheet_speech_snippets": {"ru": "Где в звонке прозвучал каждый пункт чек-листа (номера скрыты).",
                              "en": "Where in the call each checklist item was said (numbers masked)."},
    "sheet_speech_managers": {"ru": "Выполнение скрипта и брифа по менеджерам.",
                              "en": "Script and brief compliance per manager."},
    "sheet_coverage": {"ru": "Какие данные загружены: файлы, формат, строки, период.",
                       "en": "What was loaded: files, format, rows, dates."},
    "sheet_rejected": {"ru": "Строки выгрузки, которые не удалось прочитать, и почему.",
                       "en": "Export rows that could not be read, and why."},
    "sheet_definitions": {"ru": "Как считается каждый показатель: простыми словами, формула, порог.",
                          "en": "How every figure is computed: in plain words, the formula, the threshold."},
    "sheet_rules": {"ru": "Правила аудита: когда срабатывает каждое и насколько оно важно.",
                    "en": "The audit's rules: when each fires and how severe it is."},
    "legend_colours": {"ru": "Цвета", "en": "Colours"},
    "legend_colours_text": {"ru": "Красная строка — на неё стоит посмотреть: зона роста, потерянный звонок, час без "
                                  "людей на линии, вывод высокой важности. Полоска в столбце потерь — их размер.",
                            "en": "A red row needs a look: a growth zone, a lost call, an hour short of people, a "
                                  "high-severity finding. A bar in the cost column shows its size."},
    "legend_formats": {"ru": "Числа", "en": "Numbers"},
    "legend_formats_text": {"ru": "Доли — в процентах, длительности — в часах:минутах:секундах, даты — настоящие даты "
                                  "(их можно сортировать и фильтровать), да/нет — словами. Значения не округлены.",
                            "en": "Shares are percentages, durations hours:minutes:seconds, dates real dates (sort "
                                  "and filter them), yes/no in words. Values are not rounded."},
    "legend_numbers": {"ru": "Номера клиентов", "en": "Client numbers"},
    "legend_masked": {"ru": "Скрыты (+7 916 ***-**-67): файл можно пересылать.",
                      "en": "Masked (+7 916 ***-**-67): the file may be forwarded."},
    "legend_unmasked": {"ru": "Показаны полностью: файл только для сотрудников компании.",
                        "en": "Shown in full: the file is for the company's staff only."},
    "legend_who": {"ru": "Для кого", "en": "Who it is for"},
    "worklist_about": {"ru": "Открытые обращения — {n}: клиент звонил, ему не ответили, не перезвонили, и с тех пор с "
                             "ним не было ни одного разговора. Сверху — кто ждёт дольше всех. Заполните два последних "
                             "столбца, когда перезвоните.",
                       "en": "Open cases — {n}: the client called, nobody answered, nobody called back, and there "
                             "has been no conversation since. The longest wait is on top. Fill in the last two "
                             "columns when you call back."},
    "worklist_who": {"ru": "Внутренний файл для сотрудников компании, которые перезванивают. Не пересылайте его за "
                           "пределы компании.",
                     "en": "An internal file for the company's staff who call back. Do not send it outside the "
                           "company."},
    "worklist_full": {"ru": "Показаны полностью, чтобы можно было звонить.", "en": "Shown in full, to be called."},
    "worklist_masked": {"ru": "Скрыты (+7 916 ***-**-67). Полные номера в этом списке включает аналитик в профиле "
                              "клиента.",
                        "en": "Masked (+7 916 ***-**-67). The analyst turns full numbers on in the client profile."},
    # the worklist's owners
    "owner_client": {"ru": "его менеджер: больше всех звонков с этим номером", "en": "their manager: most calls with the number"},
    "owner_rang": {"ru": "звонок шёл ему", "en": "the missed call rang them"},
    "owner_none": {"ru": "не назначен: звонок шёл на группу", "en": "nobody: the call rang a group"},
    # names in the definitions (where the column's header is not the figure's name)
    "def_lost": {"ru": "Потерянное обращение", "en": "Lost enquiry"},
    "def_present_share": {"ru": "На связи в часы пик", "en": "On the phone at peak hours"},
    "def_gap": {"ru": "Отставание от отдела", "en": "Gap to the department"},
    "def_impact_calls": {"ru": "Потери в звонках", "en": "Cost in calls"},
    "nobody": {"ru": "никого", "en": "nobody"},
    # thresholds in the definitions
    "th_days": {"ru": "сравнивается при {days} и более днях со звонками", "en": "compared from {days} days with calls"},
    "th_gap": {"ru": "больше {gap}; не отмечается при менее чем {days} днях со звонками",
               "en": "over {gap}; not flagged under {days} days with calls"},
    "th_service": {"ru": "{sl} звонков — ответ за {within} с; после звонка {wrap} с на оформление",
                   "en": "{sl} of calls answered within {within} s; {wrap} s of after-call work"},
    # the explorer (callkit.widgets)
    "explore_all": {"ru": "Все", "en": "All"},
    "explore_department": {"ru": "Отдел", "en": "Department"},
    "explore_employee": {"ru": "Менеджер", "en": "Manager"},
    "explore_period": {"ru": "Период", "en": "Period"},
    "explore_metric": {"ru": "Показатель", "en": "Metric"},
    "explore_date": {"ru": "Дата", "en": "Date"},
    "explore_external_calls": {"ru": "Внешние звонки", "en": "External calls"},
    "explore_outgoing": {"ru": "Исходящие", "en": "Outgoing"},
    "explore_incoming_answered": {"ru": "Входящие принятые", "en": "Incoming answered"},
    "explore_incoming_missed": {"ru": "Входящие без ответа", "en": "Incoming unanswered"},
    "explore_missed_rate": {"ru": "Доля входящих без ответа", "en": "Unanswered share of incoming"},
    "explore_talk_min": {"ru": "Минут разговора", "en": "Talk minutes"},
}


def text(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The report text ``key`` in ``lang``, formatted with ``fmt`` (the key itself when unknown)."""
    words = TEXTS.get(key, {}).get(lang_of(lang), key)
    return words.format(**fmt) if fmt else words


def count_word(n: float, key: str, lang: str = "ru") -> str:
    """The noun of :data:`TEXTS` ``key`` (``"звонок|звонка|звонков"``) agreeing with ``n``."""
    forms = tuple(text(key, lang).split("|"))
    if lang_of(lang) == "en":
        return forms[0] if n == 1 else forms[1]
    return plural(n, forms)  # type: ignore[arg-type]


__all__.append("count_word")


def _whole(n: float, lang: str) -> str:
    """A whole number as the report writes it: ``1 234`` (ru, no-break space) / ``1,234``."""
    s = f"{int(round(float(n))):,}"
    return s if lang_of(lang) == "en" else s.replace(",", "\u00a0")


# --- what a finding costs and what its sample counts ---------------------------------------------

#: The units a finding's cost is measured in (``impact_unit`` of findings.csv,
#: :data:`callkit.findings.IMPACT_UNITS`): ``IMPACT_UNIT_NAMES[unit] = (ru, en)``.
IMPACT_UNIT_NAMES: dict[str, tuple[str, str]] = {
    "lost_leads": ("потерянные обращения клиентов", "lost client enquiries"),
    "client_calls": ("звонки клиентам, которых не было", "client calls that did not happen"),
    "peak_hours": ("часы пик без менеджера на связи", "peak hours without the manager on the phone"),
    "risk": ("риск, в звонках не измеряется", "a risk, not measured in calls"),
}

#: The caption of a finding's cost, by its phrase (:func:`callkit.findings.impact_phrase`):
#: ``IMPACT_CAPTIONS[phrase] = (ru, en)``. Written as a label of the number ("потеряно
#: обращений: ≈ 21"), so it reads right with any number.
IMPACT_CAPTIONS: dict[str, tuple[str, str]] = {
    "lost": ("потеряно обращений", "enquiries lost"),
    "lost_excess": ("потеряно обращений сверх обычного уровня", "enquiries lost beyond the usual level"),
    "new_calls": ("не сделано звонков новым клиентам", "calls to new clients not made"),
    "client_calls": ("не сделано внешних звонков", "external calls not made"),
    "same_numbers": ("лишних звонков на те же номера", "extra calls to the same numbers"),
    "mobiles": ("лишних звонков на частные мобильные", "extra calls to private mobiles"),
    "internal_time": ("разговоров с клиентами уместилось бы во время лишних внутренних звонков",
                      "client conversations the extra internal calls' time would have held"),
    "peak_hours": ("часов пик не на связи сверх уровня коллег", "peak hours off the phone beyond the colleagues'"),
    "risk": ("риск: в звонках не измеряется", "a risk: not measured in calls"),
}


#: What a cost's number means, under the number in the summary (:func:`impact_amount` says
#: the number with its noun): ``IMPACT_NOTES[phrase] = (ru, en)``.
IMPACT_NOTES: dict[str, tuple[str, str]] = {
    "lost": ("потеряно за период", "lost in the period"),
    "lost_excess": ("потеряно сверх обычного уровня за период", "lost beyond the usual level in the period"),
    "new_calls": ("новым клиентам — не сделано за период", "to new clients, not made in the period"),
    "client_calls": ("внешних не сделано за период", "external, not made in the period"),
    "same_numbers": ("лишних на те же номера за период", "extra to the same numbers in the period"),
    "mobiles": ("лишних на частные мобильные за период", "extra to private mobiles in the period"),
    "internal_time": ("с клиентами уместилось бы во время лишних внутренних звонков",
                      "with clients would fit in the extra internal calls' time"),
    "peak_hours": ("пик не на связи сверх уровня коллег", "of peak time off the phone beyond the colleagues'"),
}


def impact_note(phrase: str, lang: str = "ru") -> str:
    """What a cost's number means (:data:`IMPACT_NOTES`; empty when unknown)."""
    pair = IMPACT_NOTES.get(phrase)
    return "" if pair is None else pair[_i(lang)]


def impact_caption(phrase: str, lang: str = "ru") -> str:
    """The caption of a cost (:data:`IMPACT_CAPTIONS`; the phrase itself when unknown)."""
    pair = IMPACT_CAPTIONS.get(phrase)
    return phrase if pair is None else pair[_i(lang)]


def impact_text(phrase: str, amount: float, lang: str = "ru") -> str:
    """A finding's cost in words: ``потеряно обращений: 21``, ``не сделано звонков новым
    клиентам: ≈ 44`` (≈ when the amount is not a whole count); a risk has no number.

    Examples
    --------
    >>> impact_text("lost", 21), impact_text("same_numbers", 76.7, "en")
    ('потеряно обращений: 21', 'extra calls to the same numbers: ≈ 77')
    """
    caption = impact_caption(phrase, lang)
    if phrase == "risk" or amount is None or amount != amount:      # NaN: no number
        return caption
    amount = max(0.0, float(amount))
    whole = abs(amount - round(amount)) < 1e-9          # 0.45 x 20 = 9.000000000000002 is 9
    return f"{caption}: {'' if whole else '≈ '}{_whole(amount, lang)}"


#: What a finding's ``n`` counts (``n_unit`` of findings.csv): ``N_UNITS[code] = (ru forms for
#: 1 | 2 | 5, en singular | plural)``.
N_UNITS: dict[str, tuple[str, str]] = {
    "active_days": ("рабочий день|рабочих дня|рабочих дней", "active day|active days"),
    "outgoing_calls": ("исходящий звонок|исходящих звонка|исходящих звонков", "outgoing call|outgoing calls"),
    "all_calls": ("звонок (внешние и внутренние)|звонка (внешние и внутренние)|звонков (внешние и внутренние)",
                  "call (external and internal)|calls (external and internal)"),
    "external_calls": ("внешний звонок|внешних звонка|внешних звонков", "external call|external calls"),
    "peak_slots": ("час пик в его рабочие дни|часа пик в его рабочие дни|часов пик в его рабочие дни",
                   "peak hour on their working days|peak hours on their working days"),
    "incoming_calls": ("входящий звонок|входящих звонка|входящих звонков", "incoming call|incoming calls"),
    "missed_calls": ("пропущенный звонок|пропущенных звонка|пропущенных звонков", "missed call|missed calls"),
    "unanswered_calls": ("неотвеченный входящий|неотвеченных входящих|неотвеченных входящих",
                         "unanswered incoming call|unanswered incoming calls"),
    "ceiling_days": ("день с занятыми линиями|дня с занятыми линиями|дней с занятыми линиями",
                     "day at the line ceiling|days at the line ceiling"),
    "answered_incoming": ("принятый входящий|принятых входящих|принятых входящих",
                          "answered incoming call|answered incoming calls"),
    "window_calls": ("внешний звонок в этом окне|внешних звонка в этом окне|внешних звонков в этом окне",
                     "external call in the window|external calls in the window"),
}


def n_text(unit: str, n: float, lang: str = "ru") -> str:
    """A sample in words: ``22 рабочих дня``, ``252 звонка (внешние и внутренние)``.

    Examples
    --------
    >>> n_text("active_days", 22), n_text("missed_calls", 1, "en")
    ('22 рабочих дня', '1 missed call')
    """
    pair = N_UNITS.get(unit)
    num = _whole(n, lang) if float(n).is_integer() else f"{float(n):g}"
    if pair is None:
        return num
    forms = pair[_i(lang)].split("|")
    word = (forms[0] if float(n) == 1 else forms[1]) if lang_of(lang) == "en" else plural(float(n), tuple(forms))  # type: ignore[arg-type]
    return f"{num} {word}"


#: The noun of a cost in its unit, agreeing with the number: ``IMPACT_WORDS[unit] = (ru 1|2|5,
#: en singular|plural)`` — the summary's cost column ("≈ 21 обращение", "≈ 44 звонка", "9 часов").
IMPACT_WORDS: dict[str, tuple[str, str]] = {
    "lost_leads": ("обращение|обращения|обращений", "enquiry|enquiries"),
    "client_calls": ("звонок|звонка|звонков", "call|calls"),
    "peak_hours": ("час|часа|часов", "hour|hours"),
}


def impact_amount(unit: str, amount: float, lang: str = "ru") -> str:
    """A cost as a number with its unit's noun: ``≈ 21 обращение`` (≈ unless a whole count),
    ``9 часов``; empty for a risk or no number.

    Examples
    --------
    >>> impact_amount("lost_leads", 21), impact_amount("client_calls", 43.6), impact_amount("peak_hours", 1, "en")
    ('21 обращение', '≈ 44 звонка', '1 hour')
    """
    pair = IMPACT_WORDS.get(unit)
    if pair is None or amount is None or amount != amount:
        return ""
    amount = max(0.0, float(amount))
    whole = abs(amount - round(amount)) < 1e-9
    k = int(round(amount))
    forms = pair[_i(lang)].split("|")
    word = (forms[0] if k == 1 else forms[1]) if lang_of(lang) == "en" else plural(k, tuple(forms))  # type: ignore[arg-type]
    return f"{'' if whole else '≈ '}{_whole(amount, lang)} {word}"


__all__ += ["IMPACT_UNIT_NAMES", "IMPACT_CAPTIONS", "impact_caption", "impact_text", "N_UNITS", "n_text",
            "IMPACT_WORDS", "impact_amount", "IMPACT_NOTES", "impact_note"]

#: How every figure is computed (the appendix): ``DEFINITIONS[column] = ((plain ru, formula ru),
#: (plain en, formula en))`` — plain words first, the formula after (DESIGN §6).
DEFINITIONS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "external_calls": (
        ("Сколько раз менеджер говорил или пытался поговорить с клиентами: все его исходящие на внешние номера "
         "и все принятые входящие.", "исходящие на внешние номера + принятые входящие"),
        ("How often the manager talked or tried to talk to clients: all their outgoing calls to outside "
         "numbers and all incoming calls they answered.", "outgoing to outside numbers + incoming answered")),
    "external_calls_per_day": (
        ("Внешние звонки в обычный рабочий день менеджера.", "внешние звонки / дни хотя бы с одним звонком"),
        ("External calls on an ordinary working day of the manager.", "external calls / days with at least one call")),
    "outgoing_new_clients_per_day": (
        ("Сколько раз в день менеджер звонит номерам, с которыми компания раньше не говорила.",
         "исходящие на новые номера / дни со звонками; номер новый, если раньше звонков с ним не было и его нет "
         "в списке клиентов"),
        ("How many times a day the manager calls numbers the company never talked to before.",
         "outgoing to new numbers / days with calls; a number is new when it had no earlier call and is not on "
         "the client list")),
    "gap": (
        ("Насколько менеджер отстаёт от ориентира по отделу.", "1 − значение менеджера / ориентир отдела"),
        ("How far the manager is behind the department's reference.", "1 − the manager's value / the reference")),
    "calls_per_number": (
        ("Сколько раз в среднем менеджер звонит одному клиенту. Много — дозванивается до одних и тех же или "
         "накручивает число звонков.", "внешние звонки / разные номера"),
        ("How many times on average the manager calls one client. Many: the same numbers again and again, or "
         "padding the call count.", "external calls / distinct numbers")),
    "mobile_share": (
        ("Какая доля исходящих уходит на мобильные номера. В продажах компаниям много мобильных — признак "
         "прозвона старой базы частных лиц.", "исходящие на мобильные / все исходящие на внешние номера"),
        ("The share of outgoing calls to mobile numbers. Selling to companies, many mobiles point to calling an "
         "old list of private people.", "outgoing to mobiles / all outgoing to outside numbers")),
    "internal_share": (
        ("Доля звонков коллегам среди всех звонков менеджера.", "внутренние / (внешние + внутренние)"),
        ("The share of calls to colleagues among all the manager's calls.", "internal / (external + internal)")),
    "missed_rate": (
        ("Доля входящих, на которые никто не ответил (в том числе «занято» и сбои).",
         "неотвеченные входящие / все входящие"),
        ("The share of incoming calls nobody answered (busy and failed included).",
         "unanswered incoming / all incoming")),
    "lost": (
        ("Обращение потеряно, если клиенту не перезвонили вовремя и ни один следующий звонок с ним не "
         "состоялся.", "не перезвонили в течение окна и ни один звонок с этим номером потом не был отвечен"),
        ("An enquiry is lost when nobody called back in time and no later call with the client was answered.",
         "no call-back within the window and no answered call with the number since")),
    "present_share": (
        ("Доля часов пик отдела, когда менеджер был на связи (звонил или принимал звонки) в свои рабочие дни.",
         "часы пик с его звонком / часы пик в дни, когда он работал"),
        ("The share of the department's peak hours the manager was on the phone on the days they worked.",
         "peak hours with a call of theirs / peak hours on their working days")),
    "required_agents": (
        ("Сколько человек должно быть на линии, чтобы почти все звонки брали трубку быстро: чем больше звонков и "
         "чем они длиннее, тем больше людей нужно. Так считают колл-центры — по формуле Эрланга C.",
         "нагрузка = звонков в час × среднее время звонка / 3600; людей — наименьшее число, при котором "
         "вероятность ответа за нужное время не ниже цели (формула Эрланга C)"),
        ("How many people must be on the line for nearly every call to be picked up quickly: the more and the "
         "longer the calls, the more people. Call centres compute it so — with the Erlang C formula.",
         "load = calls per hour × mean call time / 3600; people = the fewest for which the chance of an answer "
         "in time meets the target (Erlang C)")),
    "hhi": (
        ("Насколько входящие отдела сосредоточены у одного человека: 1 — всё у одного; если поровну, индекс "
         "равен единице, делённой на число менеджеров. «Как будто поровну делят» — сколько менеджеров, деля "
         "поровну, дали бы ту же картину.",
         "сумма квадратов долей менеджеров; «как будто поровну делят» = 1 / индекс"),
        ("How concentrated the department's incoming calls are in one person: 1 — all with one, 1/n — even "
         "among n managers. 'As if shared evenly by' — how many managers sharing evenly would look the same.",
         "sum of the managers' squared shares; 'as if shared evenly by' = 1 / the index")),
    "impact_calls": (
        ("Цена проблемы: сколько обращений (лидов) она стоила за период. Формула — у каждого правила своя "
         "(лист «Правила» файла Excel); рубли — только если указаны средняя сделка и доля обращений в сделку.",
         "по правилу; ₽ = звонки × доля обращений в сделку × средняя сделка"),
        ("The cost of a problem: how many enquiries (leads) it cost in the period, by each rule's formula (the "
         "“Rules” sheet); roubles only when the average deal and the enquiry-to-deal share are given.",
         "by rule; ₽ = calls × enquiry-to-deal share × average deal")),
}

# --- column headers ---------------------------------------------------------------------------

#: Column headers of tables and workbook sheets, ``COLUMN_LABELS[column] = (ru, en)``.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "employee": ("Менеджер", "Manager"),
    "extension": ("Внутр. номер", "Extension"),
    "department": ("Отдел", "Department"),
    "role": ("Роль", "Role"),
    "role_source": ("Откуда роль", "Role from"),
    "external_calls": ("Внешние звонки", "External calls"),
    "outgoing": ("Исходящие", "Outgoing"),
    "outgoing_answered": ("Исходящие отвеченные", "Outgoing answered"),
    "incoming_answered": ("Входящие принятые", "Incoming answered"),
    "incoming_share": ("Доля входящих отдела", "Share of department incoming"),
    "clients": ("Клиентов", "Clients"),
    "clients_share": ("Доля клиентов отдела", "Share of department clients"),
    "clients_single": ("Клиентов только у него", "Clients served only by them"),
    "clients_new": ("Новых клиентов", "New clients"),
    "clients_existing": ("Существующих клиентов", "Existing clients"),
    "new_client_share": ("Доля новых клиентов", "Share of new clients"),
    "hire_date": ("Дата приёма", "Hire date"),
    "tenure_days": ("Стаж, дней", "Tenure, days"),
    "counted": ("Учтён в сравнении", "Counted"),
    "department_incoming": ("Входящих отдела", "Department incoming"),
    "department_clients": ("Клиентов отдела", "Department clients"),
    "even_share": ("Равная доля", "Even share"),
    "managers": ("Менеджеров", "Managers"),
    "new_share_senior": ("Доля новых клиентов у старших по стажу", "New-client share, senior half"),
    "new_share_junior": ("Доля новых клиентов у младших по стажу", "New-client share, junior half"),
    "top_employee": ("Больше всех входящих", "Takes most incoming"),
    "top_incoming": ("Входящих у него", "Their incoming"),
    "top_share": ("Его доля", "Their share"),
    "top_clients_share": ("Его доля клиентов", "Their share of clients"),
    "hhi": ("Индекс концентрации", "Concentration index"),
    "hhi_norm": ("Индекс концентрации (0–1)", "Concentration index (0–1)"),
    "clients_hhi": ("Индекс концентрации клиентов", "Client concentration index"),
    "effective_managers": ("Как будто поровну делят", "As if shared evenly by"),
    "clients_single_share": ("Доля клиентов одного менеджера", "Share of single-manager clients"),
    "incoming_missed": ("Входящие пропущенные", "Incoming missed"),
    "internal_calls": ("Внутренние звонки", "Internal calls"),
    "internal_share": ("Доля внутренних", "Internal share"),
    "out_share": ("Доля исходящих", "Outgoing share"),
    "in_out_ratio": ("Входящих на один исходящий", "Incoming per outgoing"),
    "mobile_share": ("Доля на мобильные", "Mobile share"),
    "landline_share": ("Доля на городские", "Landline share"),
    "outgoing_new_clients": ("Исходящие новым", "Outgoing to new clients"),
    "new_clients_reached": ("Новых дозвонились", "New clients reached"),
    "unique_numbers": ("Разных номеров", "Unique numbers"),
    "calls_per_number": ("Звонков на номер", "Calls per number"),
    "talk_s_total": ("Разговор всего", "Talk total"),
    "talk_s_mean": ("Средний разговор", "Mean talk"),
    "days_active": ("Дней со звонками", "Days with calls"),
    "external_calls_per_day": ("Внешних в день", "External per day"),
    "outgoing_new_clients_per_day": ("Новым в день", "New clients per day"),
    "metric": ("Показатель", "Figure"),
    "value": ("Значение", "Value"),
    "best": ("Лучший в отделе", "Department best"),
    "gap": ("Отставание", "Gap"),
    "flagged": ("Зона роста", "Growth zone"),
    "weekday": ("День недели", "Weekday"),
    "hour": ("Час", "Hour"),
    "date": ("Дата", "Date"),
    "incoming": ("Входящие", "Incoming"),
    "answered": ("Отвечено", "Answered"),
    "missed": ("Пропущено", "Missed"),
    "missed_rate": ("Доля пропущенных", "Missed rate"),
    "days": ("Дней", "Days"),
    "call_id": ("ID звонка", "Call id"),
    "start": ("Начало", "Start"),
    "end": ("Конец", "End"),
    "direction": ("Направление", "Direction"),
    "status": ("Итог звонка", "Outcome"),
    "talk_s": ("Разговор", "Talk"),
    "ring_s": ("Ожидание ответа", "Ring time"),
    "client_number": ("Номер клиента", "Client number"),
    "callback_at": ("Перезвонили", "Called back at"),
    "callback_delay_s": ("Перезвонили через", "Called back after"),
    "reached": ("Дозвонились", "Reached"),
    "reached_at": ("Когда дозвонились", "Reached at"),
    "callback_by": ("Кто перезвонил", "Called back by"),
    "lost_share": ("Доля потерянных", "Lost share"),
    "short_ring_share": ("Доля коротких сбросов", "Short-drop share"),
    "top_ratio": ("Во сколько раз больше равной доли", "Times the even share"),
    "lost": ("Потерян", "Lost"),
    "calls_per_hour": ("Звонков в час", "Calls per hour"),
    "aht_s": ("Среднее время на звонок", "Mean handling time"),
    "erlangs": ("Нагрузка, линий занято в среднем", "Load, lines busy on average"),
    "required_agents": ("Нужно людей на линии", "People needed on the line"),
    "active_employees": ("Было на линии", "On the line"),
    "active_source": ("Как посчитано «было на линии»", "On the line counted by"),
    "presence_source": ("Как посчитано присутствие в часы пик", "Presence at peaks counted by"),
    "max_concurrent": ("Макс. одновременных звонков", "Max concurrent calls"),
    "understaffed": ("Не хватает людей", "Short of people"),
    "finding_id": ("Номер вывода", "Finding id"),
    "rule": ("Правило", "Rule"),
    "severity": ("Важность", "Severity"),
    "subject": ("О ком / о чём", "Subject"),
    "reference": ("Ориентир", "Reference"),
    "n": ("Выборка", "Sample"),
    "impact_calls": ("Потери, звонков", "Cost, calls"),
    "impact": ("Потери (в своих единицах)", "Cost (in its unit)"),
    "impact_unit": ("В чём потери", "Cost unit"),
    "n_unit": ("Что считает основание", "What n counts"),
    "impact_rub": ("Потери, ₽", "Cost, ₽"),
    "evidence_n": ("Звонков-доказательств", "Evidence calls"),
    "action": ("Что сделать", "What to do"),
    "text": ("Вывод", "Finding"),
    "note": ("Пояснение", "Note"),
    "problem": ("Проблема", "Problem"),
    "subjects": ("Кого касается", "Concerns"),
    "figure": ("Ключевой показатель", "Key figure"),
    "plain_words": ("Простыми словами", "In plain words"),
    "formula": ("Формула", "Formula"),
    "done_at": ("Когда перезвонили (заполнить)", "Called back at (fill in)"),
    "outcome": ("Итог разговора (заполнить)", "Outcome (fill in)"),
    "rank": ("№", "#"),
    "source_file": ("Файл", "File"),
    "source_row": ("Строка", "Row"),
    "raw": ("Исходная строка", "Raw line"),
    "reason": ("Причина", "Reason"),
    "queue": ("Очередь", "Queue"),
    "offered": ("Поступило", "Offered"),
    "abandoned": ("Брошено", "Abandoned"),
    "timeout": ("Вышло по таймауту", "Timed out"),
    "answered_within_target": ("Принято в норматив", "Answered within target"),
    "service_level": ("Уровень сервиса", "Service level"),
    "asa_s": ("Ср. ожидание ответа, с", "ASA, s"),
    "abandon_wait_s_median": ("Ожидание до сброса (медиана), с", "Wait before abandoning (median), s"),
    "exit_empty": ("Очередь пуста", "Exit: queue empty"),
    "exit_key": ("Вышли по кнопке", "Exit by key"),
    "in_progress": ("Ждали в конце журнала", "Waiting at the log's end"),
    "abandon_rate": ("Доля брошенных", "Abandon rate"),
    "logged_in_s": ("В очереди, с", "Logged in, s"),
    "paused_s": ("На паузе, с", "Paused, s"),
    "pauses": ("Пауз", "Pauses"),
    "ring_no_answer": ("Не взял трубку", "Rang, not answered"),
    "queues": ("Очереди", "Queues"),
    "entered_at": ("Вошёл в очередь", "Entered the queue"),
    "caller": ("Звонящий", "Caller"),
    "wait_s": ("Ожидание, с", "Wait, s"),
    "last_missed": ("Последний пропущенный", "Last missed"),
    "first_missed": ("Первый пропущенный", "First missed"),
    "called_back": ("Перезванивали", "Called back"),
    "attempts": ("Клиент звонил, раз", "Client's attempts"),
    "owner": ("Кто перезванивает", "Who calls back"),
    "owner_basis": ("Почему он", "Why them"),
    "signal": ("Сигнал", "Signal"),
    "count": ("Количество", "Count"),
    "detail": ("Подробности", "Detail"),
    "mean_per_day": ("В среднем за день", "Mean per day"),
    "working_days": ("Рабочих дней в периоде", "Working days in period"),
    "peak_slots": ("Часов пик в его дни", "Peak hours on their days"),
    "absent_slots": ("Не было на связи, часов", "Hours off the phone"),
    "absent_share": ("Доля отсутствия", "Absent share"),
    "present_share": ("Доля присутствия", "Present share"),
    "present": ("На связи", "On the phone"),
    "current": ("Этот период", "This period"),
    "previous": ("Прошлый период", "Previous period"),
    "change": ("Изменение", "Change"),
    "change_rel": ("Изменение, %", "Change, %"),
    "label": ("Что", "What"),
    "sheet": ("Лист", "Sheet"),
    "contents": ("Что на листе", "What the sheet holds"),
    "rule_definition": ("Когда срабатывает", "When it fires"),
    "min_data": ("Сколько данных нужно", "Data it needs"),
    "threshold": ("Порог", "Threshold"),
    "in_period": ("В периоде", "In the period"),
    "in_hours": ("В рабочее время", "In working hours"),
    "answering_group": ("Группа, которая отвечает", "Answering group"),
    "group": ("Группа", "Group"),
    "at_line_ceiling": ("Все линии были заняты", "All lines busy"),
    "short_ring": ("Сброс за секунды", "Dropped within seconds"),
    "missed_at_ceiling": ("Пропущено при занятых линиях", "Missed with all lines busy"),
    "verdict": ("Итог", "Verdict"),
    "spread": ("Разброс коллег", "Colleagues' spread"),
    "peers": ("Сравнимых коллег", "Comparable colleagues"),
    "client_status": ("Клиент: новый или нет", "Client status"),
    "is_new_client": ("Новый клиент", "New client"),
    "number_type": ("Тип номера", "Number type"),
    "line": ("Линия", "Line"),
    "delay_bin": ("Когда перезвонили", "When called back"),
    # speech analytics (SpeechResult tables)
    "call_kind": ("Тип звонка", "Call kind"),
    "call_result": ("Результат звонка", "Call result"),
    "script_score": ("Доля этапов скрипта", "Script stages share"),
    "stages_hit": ("Этапов выполнено", "Stages done"),
    "stages_total": ("Этапов в скрипте", "Stages in the script"),
    "questions_hit": ("Вопросов задано", "Questions asked"),
    "questions_total": ("Обязательных вопросов", "Mandatory questions"),
    "decision_makers_hit": ("ЛПР/ЛВР выявлено", "Decision makers reached"),
    "decision_makers_total": ("ЛПР/ЛВР в брифе", "Decision makers in the brief"),
    "advantages_hit": ("Преимуществ названо", "Advantages named"),
    "advantages_total": ("Преимуществ в брифе", "Advantages in the brief"),
    "materials_hit": ("Материалов использовано", "Materials used"),
    "materials_total": ("Материалов в брифе", "Materials in the brief"),
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

# --- values the data holds as codes -----------------------------------------------------------

#: How a code in the data reads: ``VALUES[code] = (ru, en)``. Severities, rule names, tech
#: signals, directions, statuses, number types, roles, export formats and encodings, and the
#: speech values (checklist kinds, call kinds, speakers, call results, script stages, deal
#: terms and topics a profile names with English keys — DESIGN §4's examples).
VALUES: dict[str, tuple[str, str]] = {
    # severities
    "high": ("высокая", "high"), "medium": ("средняя", "medium"), "low": ("низкая", "low"),
    # rules (DESIGN §5)
    "manager_gap": ("отставание от коллег", "behind colleagues"),
    "mobile_heavy": ("звонки в основном на мобильные", "mostly mobile numbers"),
    "internal_heavy": ("много внутренних звонков", "many internal calls"),
    "repeat_dialing": ("повторные наборы", "repeat dialling"),
    "absent_at_peak": ("нет на связи в часы пик", "off the phone at peak hours"),
    "missed_peak": ("пропуски в часы пик", "missed calls at busy hours"),
    "understaffed": ("не хватает людей на линии", "too few people on the line"),
    "line_limit": ("не хватает линий связи", "too few phone lines"),
    "missed_no_callback": ("не перезвонили на пропущенные", "missed calls not called back"),
    "short_ring_drops": ("короткие сбросы", "calls dropped within seconds"),
    "failed_burst": ("сбой связи", "line outage"),
    "flow_concentration": ("входящие у одного человека", "incoming held by one person"),
    "off_hours": ("звонки в нерабочее время", "calls outside working hours"),
    # tech table details (callkit.metrics.tech), translated part by part ("; ")
    "slot": ("час недели", "weekday hour"),
    "max simultaneous calls": ("максимум одновременных звонков", "max simultaneous calls"),
    "reference = unanswered at the ceiling": ("ориентир — сколько не прошло на потолке",
                                              "reference = unanswered at the ceiling"),
    "limit": ("похоже на ограничение линий", "looks like a line limit"),
    "(no group)": ("без группы", "no group"),
    "ok": ("хватает", "enough"), "people": ("не хватает людей", "short of people"),
    "lines": ("не хватает линий", "short of lines"),
    # how the people on the line were counted (groups.csv active_source)
    "calls": ("по звонкам", "by calls"), "queue_log": ("по журналу очереди", "by the queue_log"),
    "mixed": ("по журналу очереди и по звонкам", "by the queue_log and calls"),
    # subjects that are not a name
    "all": ("все звонки", "all calls"),
    "(no department)": ("без отдела", "no department"),
    # directions, statuses, number types
    "incoming": ("входящий", "incoming"), "outgoing": ("исходящий", "outgoing"),
    "internal": ("внутренний", "internal"), "answered": ("отвечен", "answered"),
    "missed": ("пропущен", "missed"), "busy": ("занято", "busy"), "failed": ("не прошёл", "failed"),
    "mobile": ("мобильный", "mobile"), "landline": ("городской", "landline"),
    "toll_free": ("8-800", "toll-free"), "other": ("другой", "other"), "foreign": ("зарубежный", "foreign"),
    "invalid": ("не телефонный", "invalid"),
    # roles (DESIGN §3)
    "hunter": ("привлекает новых клиентов", "wins new clients"),
    "farmer": ("ведёт текущих клиентов", "keeps existing accounts"),
    "inbound": ("принимает входящие", "takes incoming calls"),
    "service": ("сервис", "service"),
    "profile": ("из профиля", "from the profile"), "inferred": ("по звонкам", "from the calls"),
    # export formats (callkit.io.FORMATS) and encodings
    "asterisk_csv": ("Asterisk, файл Master.csv", "Asterisk, Master.csv"),
    "asterisk_custom": ("Asterisk, свой формат CDR", "Asterisk, custom CDR"),
    "asterisk_db": ("Asterisk/FreePBX, выгрузка из базы", "Asterisk/FreePBX, database export"),
    "freeswitch": ("FreeSWITCH", "FreeSWITCH"), "3cx": ("3CX", "3CX"), "sipuni": ("Сипуни", "Sipuni"),
    "mango": ("Манго Офис", "Mango Office"), "bitrix24": ("Битрикс24", "Bitrix24"), "uis": ("UIS/CoMagic", "UIS/CoMagic"),
    "generic": ("таблица звонков с заголовком", "a call table with a header"),
    "utf-8": ("UTF-8", "UTF-8"), "utf-8-sig": ("UTF-8", "UTF-8"), "cp1251": ("Windows-1251", "Windows-1251"),
    "koi8-r": ("КОИ-8", "KOI8-R"),
    # speech values
    "stage": ("этап скрипта", "script stage"), "question": ("вопрос", "question"),
    "result": ("результат", "result"), "competitor": ("конкурент", "competitor"),
    "term": ("условие сделки", "deal term"), "decision_maker": ("ЛПР/ЛВР", "decision maker"),
    "advantage": ("преимущество", "advantage"), "material": ("материал", "material"),
    "negotiation": ("переговоры", "negotiation"), "navigation": ("навигация", "navigation"),
    "unknown": ("не определено", "unknown"), "employee": ("сотрудник", "employee"),
    "client": ("клиент", "client"), "none": ("нет", "none"),
    "sale": ("продажа", "sale"), "invoice": ("счёт", "invoice"), "meeting": ("встреча", "meeting"),
    "next_contact": ("следующий контакт", "next contact"), "clarify": ("уточнение заявки", "clarify"),
    "labelled": ("есть", "labelled"), "partial": ("частично", "partial"),
    "greeting": ("приветствие", "greeting"), "needs": ("выявление потребностей", "needs"),
    "offer": ("предложение", "offer"), "next_step": ("следующий шаг", "next step"),
    "closing": ("завершение", "closing"), "objections": ("работа с возражениями", "objections"),
    "presentation": ("презентация", "presentation"),
    "price": ("цена", "price"), "delivery": ("доставка", "delivery"), "payment": ("оплата", "payment"),
    "documents": ("документы", "documents"), "quality": ("качество", "quality"), "stock": ("наличие", "stock"),
    # yes / no
    "yes": ("да", "yes"), "no": ("нет", "no"),
}
#: The speech part of :data:`VALUES` (kept under its old name).
SPEECH_VALUES = VALUES


_RING = re.compile(r"^ring < ([0-9.]+) s$")
_WINDOW = re.compile(r"^([0-9]+) min window$")


# the unit of a finding's cost and of its sample (findings.csv ``impact_unit``, ``n_unit``)
for _code, _pair in IMPACT_UNIT_NAMES.items():
    VALUES.setdefault(_code, _pair)
_N_UNIT_NAMES = {
    "active_days": ("рабочие дни", "active days"), "outgoing_calls": ("исходящие звонки", "outgoing calls"),
    "all_calls": ("все звонки (внешние и внутренние)", "all calls (external and internal)"),
    "peak_slots": ("часы пик в его рабочие дни", "peak hours on their working days"),
    "incoming_calls": ("входящие звонки", "incoming calls"), "missed_calls": ("пропущенные звонки", "missed calls"),
    "external_calls": ("внешние звонки", "external calls"),
    "unanswered_calls": ("неотвеченные входящие", "unanswered incoming calls"),
    "ceiling_days": ("дни с занятыми линиями", "days at the line ceiling"),
    "answered_incoming": ("принятые входящие", "answered incoming calls"),
    "window_calls": ("внешние звонки в этом окне", "external calls in the window")}
for _code, _pair in _N_UNIT_NAMES.items():
    VALUES.setdefault(_code, _pair)


def value_label(value: Any, lang: str = "ru") -> Any:
    """A code from the data as the report shows it (anything unknown is returned unchanged).

    Examples
    --------
    >>> value_label("high"), value_label("short_ring_drops"), value_label("greeting", "en")
    ('высокая', 'короткие сбросы', 'greeting')
    >>> value_label(True), value_label("Продажи B2B")
    ('да', 'Продажи B2B')
    """
    if isinstance(value, bool):
        return VALUES["yes" if value else "no"][_i(lang)]
    if not isinstance(value, str):
        return value
    pair = VALUES.get(value)
    if pair is not None:
        return pair[_i(lang)]
    m = _RING.match(value)
    if m:
        return f"ожидание меньше {m.group(1)} с" if _i(lang) == 0 else f"ring under {m.group(1)} s"
    m = _WINDOW.match(value)
    if m:
        return f"окно {m.group(1)} мин" if _i(lang) == 0 else value
    if "; " in value:      # a detail of several parts
        return "; ".join(str(value_label(part, lang)) for part in value.split("; "))
    return value


def speech_value(value: Any, lang: str = "ru") -> Any:
    """A speech value (checklist kind, call kind, result, speaker, stage) as the report shows it."""
    return value_label(value, lang)


def subject_text(subject: Any, lang: str = "ru") -> str:
    """A finding's ``subject`` as a reader says it: a slot (``"2 16"`` → ``Ср 16:00``), the
    placeholders ``all`` and ``(no department)``, a name as it is."""
    s = str(subject)
    if _SLOT.match(s.strip()):
        return slot_text(s, lang)
    return str(value_label(s, lang))


def column_label(column: str, lang: str = "ru") -> str:
    """The human header of ``column`` in ``lang`` (the column name itself when unknown).

    Per-item checklist columns (``stage:greeting``) read as ``этап скрипта: приветствие``.

    Examples
    --------
    >>> column_label("external_calls_per_day"), column_label("gap", "en")
    ('Внешних в день', 'Gap')
    >>> column_label("stage:greeting")
    'этап скрипта: приветствие'
    """
    pair = COLUMN_LABELS.get(column)
    if pair is None and ":" in column:   # per-item checklist rates: "stage:greeting"
        kind, item = column.split(":", 1)
        if kind in VALUES:
            return f"{value_label(kind, lang)}: {value_label(item, lang)}"
    return column if pair is None else pair[_i(lang)]


# --- charts -----------------------------------------------------------------------------------

#: Chart titles, axis labels and legends, ``CHART[key][lang]`` (``str.format`` fields).
CHART: dict[str, dict[str, str]] = {
    "employee": {"ru": "Менеджер", "en": "Manager"},
    "concentration_title": {"ru": "Доля отвеченных входящих отдела у каждого менеджера",
                            "en": "Each manager's share of the department's answered incoming"},
    "even_share": {"ru": "равная доля", "en": "even share"},
    "incoming_share": {"ru": "Доля входящих отдела", "en": "Share of the department's incoming"},
    "department": {"ru": "Отдел", "en": "Department"},
    "hour": {"ru": "Час", "en": "Hour"},
    "weekday": {"ru": "День недели", "en": "Weekday"},
    "share": {"ru": "Доля", "en": "Share"},
    "calls": {"ru": "Звонки", "en": "Calls"},
    "managers_title": {"ru": "Внешние звонки в день по менеджерам", "en": "External calls per day by manager"},
    "external_calls_per_day": {"ru": "Внешних звонков в день", "en": "External calls per day"},
    "outgoing_new_clients_per_day": {"ru": "Звонков новым клиентам в день", "en": "Calls to new clients per day"},
    "external_calls": {"ru": "Внешние звонки", "en": "External calls"},
    "best_line": {"ru": "лучший в отделе", "en": "department best"},
    "median_dept": {"ru": "медиана отдела", "en": "department median"},
    "gaps_title": {"ru": "Отставание от лучшего в отделе", "en": "Gap to the department's best"},
    "gap": {"ru": "Отставание от лучшего", "en": "Gap to best"},
    "threshold_line": {"ru": "порог {pct}", "en": "threshold {pct}"},
    "activity_title": {"ru": "Активность: входящие и исходящие", "en": "Activity: incoming and outgoing"},
    "incoming_answered": {"ru": "Входящие принятые", "en": "Incoming answered"},
    "outgoing": {"ru": "Исходящие", "en": "Outgoing"},
    "number_types_title": {"ru": "Мобильные, городские и внутренние звонки", "en": "Mobile, landline and internal calls"},
    "mobile_share": {"ru": "Мобильные (доля исходящих)", "en": "Mobile (share of outgoing)"},
    "landline_share": {"ru": "Городские (доля исходящих)", "en": "Landline (share of outgoing)"},
    "internal_share": {"ru": "Внутренние (доля всех)", "en": "Internal (share of all)"},
    "repeat_title": {"ru": "Повторные наборы: звонков на один номер", "en": "Repeat dialing: calls per number"},
    "calls_per_number": {"ru": "Звонков на номер", "en": "Calls per number"},
    "median_line": {"ru": "медиана {v}", "en": "median {v}"},
    "heatmap_incoming": {"ru": "Входящие в среднем за день: час × день недели",
                         "en": "Incoming per day on average: hour × weekday"},
    "heatmap_missed_rate": {"ru": "Доля пропущенных входящих (под долей — сколько всего звонков)",
                            "en": "Missed share of incoming (below the share: how many calls)"},
    "few_calls": {"ru": "серые — меньше {n} звонков", "en": "grey — fewer than {n} calls"},
    "presence_title": {"ru": "На связи в часы пик отдела", "en": "On the phone at the department's peak hours"},
    "presence": {"ru": "Доля часов пик на связи", "en": "Share of peak hours on the phone"},
    "callback_title": {"ru": "Когда перезвонили на пропущенный звонок", "en": "When a missed call was called back"},
    "callback_hours": {"ru": "Время до перезвона, ч", "en": "Time to call back, h"},
    "missed_calls": {"ru": "Пропущенные звонки", "en": "Missed calls"},
    "window_line": {"ru": "окно {h} ч", "en": "window {h} h"},
    "never_called_back": {"ru": "не перезвонили: {n}", "en": "never called back: {n}"},
    "bin_5m": {"ru": "до 5 мин", "en": "< 5 min"},
    "bin_15m": {"ru": "5–15 мин", "en": "5–15 min"},
    "bin_60m": {"ru": "15–60 мин", "en": "15–60 min"},
    "bin_same_day": {"ru": "позже в тот же день", "en": "later the same day"},
    "bin_next_day": {"ru": "на следующий день и позже", "en": "next day or later"},
    "bin_never": {"ru": "не перезвонили", "en": "never"},
    "reached_self": {"ru": "из них клиент дозвонился сам", "en": "of them the client got through later"},
    "staffing_title": {"ru": "Сколько людей нужно на линии и сколько было", "en": "People needed on the line and on it"},
    "required_agents": {"ru": "Нужно людей", "en": "People needed"},
    "active_employees": {"ru": "Было на линии (чел., в среднем за час)", "en": "On the line (people, mean per hour)"},
    "missed_per_day": {"ru": "Пропущено входящих за час (в день)", "en": "Incoming missed in the hour (a day)"},
    "max_concurrent": {"ru": "Макс. одновременных звонков", "en": "Max concurrent calls"},
    "agents": {"ru": "Человек / звонков", "en": "People / calls"},
    "slot": {"ru": "День и час", "en": "Weekday and hour"},
    "concurrency_title": {"ru": "Одновременные звонки и пропущенные", "en": "Concurrent calls and missed calls"},
    "missed": {"ru": "Пропущенные", "en": "Missed"},
    "tech_title": {"ru": "Сколько ждал клиент до сброса (неотвеченные входящие)",
                   "en": "How long the caller waited before hanging up (unanswered incoming)"},
    "ring_s": {"ru": "Ожидание ответа, с", "en": "Ring time, s"},
    "short_line": {"ru": "короткие ≤ {s} с: {n}", "en": "short ≤ {s} s: {n}"},
    "no_data": {"ru": "нет данных", "en": "no data"},
    "stage_rates": {"ru": "Выполнение этапов скрипта в переговорах", "en": "Script stages done in negotiations"},
    "brief_rates": {"ru": "ЛПР/ЛВР, преимущества и материалы в переговорах",
                    "en": "Decision makers, advantages and materials in negotiations"},
    "share_of_calls": {"ru": "Доля звонков", "en": "Share of calls"},
    "date": {"ru": "Дата", "en": "Date"},
}


def chart_label(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The chart word ``key`` in ``lang`` (the key itself when unknown), formatted with ``fmt``.

    Examples
    --------
    >>> chart_label("gap", "en")
    'Gap to best'
    """
    words = CHART.get(key, {}).get(lang_of(lang), key)
    return words.format(**fmt) if fmt else words


#: The words of the speech views (:mod:`callkit.speech.views`): ``SPEECH_VIEWS[lang][key]``.
SPEECH_VIEWS: dict[str, dict[str, str]] = {
    "ru": {
        "calls": "Расшифрованных звонков", "negotiation": "Переговоры", "navigation": "Навигация",
        "unknown": "Не определено", "script_score": "Средняя доля этапов скрипта (переговоры)",
        "result_rate": "Переговоров с результатом", "profanity_calls": "Звонков с матом/грубостью сотрудника",
        "stop_calls": "Звонков со стоп-словами", "competitor_calls": "Звонков, где сотрудник назвал конкурента",
        "client_competitor_calls": "Звонков, где конкурента назвал клиент",
        "unlabelled_calls": "Расшифровок без разметки говорящих (мат, стоп-слова, скрипт — неизвестно)",
        "client_profanity_calls": "Звонков, где грубил клиент",
        "talk_ratio": "Доля речи сотрудника (среднее)", "verdict": "Вывод",
        "kind": "Тип", "item": "Пункт", "rate": "Выполнено", "calls_col": "Звонков",
        "stage": "этап", "question": "вопрос", "result": "результат", "competitor": "конкурент",
        "term": "условие сделки", "employee": "Сотрудник", "department": "Отдел",
        "neg_calls": "Переговоров", "call_id": "Звонок", "at_s": "Секунда", "snippet": "Фрагмент",
        "problem": "Нарушение", "no_greeting": "нет приветствия", "no_next_step": "нет следующего шага",
        "competitor_named": "назван конкурент", "profanity": "мат/грубость", "stop_words": "стоп-слова",
        "stage_rate": "Выполнение этапов скрипта в переговорах", "share": "Доля звонков",
        "decision_maker": "ЛПР/ЛВР", "advantage": "преимущество", "material": "материал",
        "decision_maker_rate": "Переговоров с выходом на ЛПР/ЛВР",
        "advantage_rate": "Названо преимуществ (доля)",
        "material_rate": "Переговоров с материалами (прайс, наличие…)",
        "brief_rate": "ЛПР/ЛВР, преимущества и материалы в переговорах",
        "tl_files": "Файлы расшифровок (кодировка)", "tl_rows_read": "Строк прочитано",
        "tl_rows_loaded": "Строк загружено", "tl_rows_rejected": "Строк отклонено",
        "tl_duplicates": "Повторов", "tl_calls": "Расшифрованных звонков",
        "tl_calls_matched": "Сопоставлено со звонками", "tl_unmatched": "Расшифровок без звонка",
        "tl_unmatched_ids": "Без звонка (первые id)", "tl_calls_unlabelled": "Без разметки говорящих",
        "tl_notes": "Замечания", "tl_file": "Файл", "tl_line": "Строка", "tl_reason": "Причина",
    },
    "en": {
        "calls": "Transcribed calls", "negotiation": "Negotiation", "navigation": "Navigation",
        "unknown": "Unknown", "script_score": "Mean share of script stages (negotiations)",
        "result_rate": "Negotiations with a result", "profanity_calls": "Calls with employee profanity",
        "stop_calls": "Calls with stop words", "competitor_calls": "Calls where the employee named a competitor",
        "client_competitor_calls": "Calls where the client named a competitor",
        "unlabelled_calls": "Transcripts without speaker labels (profanity, stop words, script unknown)",
        "client_profanity_calls": "Calls where the client was rude",
        "talk_ratio": "Employee talk share (mean)", "verdict": "Verdict",
        "kind": "Kind", "item": "Item", "rate": "Done", "calls_col": "Calls",
        "stage": "stage", "question": "question", "result": "result", "competitor": "competitor",
        "term": "deal term", "employee": "Employee", "department": "Department",
        "neg_calls": "Negotiations", "call_id": "Call", "at_s": "Second", "snippet": "Snippet",
        "problem": "Violation", "no_greeting": "no greeting", "no_next_step": "no next step",
        "competitor_named": "competitor named", "profanity": "profanity", "stop_words": "stop words",
        "stage_rate": "Script stages done in negotiations", "share": "Share of calls",
        "decision_maker": "decision maker", "advantage": "advantage", "material": "material",
        "decision_maker_rate": "Negotiations reaching a decision maker",
        "advantage_rate": "Advantages named (share)",
        "material_rate": "Negotiations using materials (price list, stock…)",
        "brief_rate": "Decision makers, advantages and materials in negotiations",
        "tl_files": "Transcript files (encoding)", "tl_rows_read": "Rows read",
        "tl_rows_loaded": "Rows loaded", "tl_rows_rejected": "Rows rejected",
        "tl_duplicates": "Duplicates", "tl_calls": "Transcribed calls",
        "tl_calls_matched": "Matched to calls", "tl_unmatched": "Transcripts with no call",
        "tl_unmatched_ids": "With no call (first ids)", "tl_calls_unlabelled": "Without speaker labels",
        "tl_notes": "Notes", "tl_file": "File", "tl_line": "Line", "tl_reason": "Reason",
    },
}


# --- workbook ---------------------------------------------------------------------------------

#: Workbook sheet names: ``SHEET_NAMES[key] = (ru, en)``, in sheet order (≤ 31 characters).
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "legend": ("Легенда", "Legend"),
    "summary": ("Главное", "Summary"),
    "key_figures": ("Ключевые показатели", "Key figures"),
    "period": ("Период в цифрах", "The period in figures"),
    "findings": ("Выводы", "Findings"),
    "evidence": ("Доказательства", "Evidence"),
    "managers": ("Менеджеры", "Managers"),
    "comparison": ("Сравнение", "Comparison"),
    "pop": ("Прошлый период", "Previous period"),
    "missed": ("Пропущенные", "Missed calls"),
    "callback_bins": ("Скорость перезвона", "Call-back speed"),
    "traffic": ("Трафик", "Traffic"),
    "peaks": ("Часы пик", "Peak hours"),
    "presence": ("На связи в пик", "Present at peaks"),
    "staffing": ("Нагрузка", "Staffing"),
    "groups": ("Нагрузка по группам", "Staffing by group"),
    # only when the audit has a queue_log
    "queues": ("Очереди", "Queues"),
    "agents": ("Операторы очередей", "Queue agents"),
    "pauses": ("Паузы", "Pauses"),
    "abandoned": ("Брошенные в очереди", "Abandoned in queue"),
    "off_hours": ("Нерабочее время", "Off hours"),
    "concentration": ("Концентрация", "Concentration"),
    "concentration_departments": ("Концентрация по отделам", "Concentration by department"),
    "tech": ("Технические сигналы", "Technical signals"),
    # only when the audit has speech results
    "speech_summary": ("Речь. Сводка", "Speech. Summary"),
    "speech_calls": ("Речь. Звонки", "Speech. Calls"),
    "speech_snippets": ("Речь. Фрагменты", "Speech. Snippets"),
    "speech_managers": ("Речь. Менеджеры", "Speech. Managers"),
    "coverage": ("Данные", "Data"),
    "rejected": ("Отклонённые строки", "Rejected rows"),
    "definitions": ("Методика", "Method"),
    "rules": ("Правила", "Rules"),
    # the separate call-back worklist
    "worklist": ("Перезвонить", "Call back"),
}


def sheet_name(key: str, lang: str = "ru") -> str:
    """The workbook sheet name of ``key`` in ``lang``."""
    return SHEET_NAMES[key][_i(lang)]


__all__.append("sheet_name")
