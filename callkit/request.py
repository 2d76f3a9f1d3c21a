"""The pre-audit data request: a short Russian document for the client's IT.

With an office PBX, getting the data is often the slowest part of an audit. This module writes
exactly what to export (which file, which fields, which period), by PBX or provider, and what
``callkit validate`` will check on receipt. ``callkit request PROFILE`` writes it next to the
profile (or to ``--out``).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from callkit.profile import Profile, load_profile

__all__ = ["data_request", "write_request", "SOURCES", "FORMAT_FAMILY"]

#: What to ask for, per source family: (title, how to export, fields).
SOURCES: dict[str, tuple[str, str, str]] = {
    "asterisk": (
        "Asterisk / FreePBX / Elastix / Bicom PBXware (офисная АТС)",
        "Любой из вариантов, как есть, без правок: файл `/var/log/asterisk/cdr-csv/Master.csv` целиком "
        "(и архивные копии за период); или дамп базы `mysqldump asteriskcdrdb > cdr.sql` (можно "
        "сжатый, .sql.gz; дамп из Navicat или phpMyAdmin тоже подойдёт — мы его только читаем, не "
        "выполняем); или выгрузка таблицы `cdr` в CSV с заголовком; или скачанный отчёт FreePBX "
        "«CDR Reports» (CSV) — если скачивали частями, пришлите все части, повторы мы уберём. "
        "В `cdr.conf`, раздел `[csv]`, желательно включить `loguniqueid=yes`, `loguserfield=yes`, "
        "`newcdrcolumns=yes` (появится `linkedid` — он связывает все плечи одного звонка; без него "
        "плечи склеиваются по uniqueid и каналам Local/…;1 ↔ ;2, это менее точно). Не пересохраняйте "
        "файл в Excel: он портит даты и кавычки (такой файл мы прочитаем, но день и месяц в датах "
        "придётся угадывать по данным).",
        "calldate/start, answer, end, src, dst, channel, dstchannel, lastapp, lastdata, duration, "
        "billsec, disposition, uniqueid, linkedid, did",
    ),
    "queue_log": (
        "Очереди Asterisk (queue_log)",
        "Если звонки идут через очереди: файл `/var/log/asterisk/queue_log` за тот же период (и "
        "ротированные копии `queue_log.1`, …), или таблица `queuelog` базы (в дампе asteriskcdrdb "
        "она попадёт сама), или её выгрузка в CSV с заголовком. Только в нём есть время ожидания "
        "в очереди, брошенные звонки, вход операторов в очередь и паузы с причинами.",
        "time, callid, queuename, agent, event, data1…data5",
    ),
    "yeastar": (
        "Yeastar S-series",
        "Веб-интерфейс → CDR and Recordings → Export (CSV) за период, все поля.",
        "callid, timestart, callfrom, callto, callduraction, talkduraction, srctrunkname, "
        "dsttrunkname, status, type, didnumber",
    ),
    "avaya": (
        "Avaya IP Office (SMDR)",
        "Журнал SMDR (CSV, одна строка на сегмент звонка), который пишет SMDR-приёмник или "
        "IP Office Manager, за весь период без правок; поля по умолчанию (с заголовком или без).",
        "Call Start, Connected Time, Ring Time, Caller, Direction, Called Number, Dialled Number, "
        "Is Internal, Call ID, Continuation, Party1Device, Party1Name, Party2Device, Party2Name, "
        "Hold Time, Park Time",
    ),
    "freeswitch": (
        "FreeSWITCH",
        "Файлы mod_cdr_csv (`log/cdr-csv/Master.csv` и ротированные `Master.csv.*`) за период; "
        "шаблон `example`, параметр `legs=ab` (обе стороны звонка, связь через `bleg_uuid`).",
        "caller_id_name, caller_id_number, destination_number, start_stamp, answer_stamp, "
        "end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid",
    ),
    "3cx": (
        "3CX",
        "CDR-лог 3CX (Настройки → CDR → запись в файл) за период, все поля по умолчанию.",
        "historyid, callid, duration, time-start, time-answered, time-end, reason-terminated, "
        "from-no, to-no, from-dn, to-dn, final-number, final-dn, chain, from-type, to-type",
    ),
    "panasonic": (
        "Panasonic KX-TDA/TDE/NS (SMDR)",
        "Журнал SMDR, снятый с последовательного порта или по TCP программой-логгером, в виде "
        "текстового файла без правок за весь период (с заголовками страниц — так, как напечатан). "
        "В настройках SMDR включить запись входящих (в том числе неотвеченных) и исходящих, а также "
        "Caller ID. Сообщите модель АТС и формат даты (ДД/ММ/ГГ или ММ/ДД/ГГ): если в данных нет "
        "числа больше 12, по ним этого не понять.",
        "Date, Time, Ext, CO, Dial Number, Ring, Duration, Acc code, CD",
    ),
    "mango": (
        "Манго Офис",
        "Личный кабинет → Статистика вызовов → выгрузка CSV за период, или API `stats/request` "
        "с полями в указанном порядке. Укажите, какие поля и в каком порядке выгружены.",
        "records, start, finish, answer, from_extension, from_number, to_extension, to_number, "
        "disconnect_reason, line_number, location, entry_id",
    ),
    "sipuni": (
        "Sipuni",
        "Статистика звонков → Экспорт (CSV) за период, все колонки, включая «Кто ответил» и "
        "«ID записи».",
        "Тип, Статус, Время, Схема, Откуда, Куда, Кто ответил, Длительность звонка, "
        "Длительность разговора, Время ответа, ID записи",
    ),
    "uis": (
        "UIS / CoMagic / Novofon",
        "Отчёт «Звонки» из личного кабинета, сохранённый в CSV как есть (строки с названием "
        "отчёта над заголовком не мешают), или Data API `get.calls_report` за период с колонками ниже.",
        "id, start_time, finish_time, direction, is_lost, contact_phone_number, "
        "virtual_phone_number, talk_duration, wait_duration, employees / "
        "first_answered_employee_full_name, finish_reason",
    ),
    "bitrix24": (
        "Битрикс24 (телефония)",
        "Телефония → Детализация звонков → экспорт в CSV/Excel за период (или "
        "`voximplant.statistic.get`).",
        "CALL_ID, CALL_TYPE, PORTAL_USER_ID, PORTAL_NUMBER, PHONE_NUMBER, CALL_DURATION, "
        "CALL_START_DATE, CALL_FAILED_CODE",
    ),
    "other": (
        "Другая АТС или облачный провайдер",
        "Детализация звонков за период в CSV или Excel, одна строка на звонок (или на плечо "
        "звонка), с заголовком. Подойдут русские названия колонок.",
        "дата и время начала, длительность ожидания и разговора (или время ответа и окончания), "
        "номер клиента, внутренний номер или ФИО сотрудника, направление, статус (отвечен / "
        "не отвечен / занято), идентификатор звонка",
    ),
}

#: The request section each loadable format belongs to (every format of callkit.io.FORMATS).
FORMAT_FAMILY = {
    "asterisk_csv": "asterisk", "asterisk_custom": "asterisk", "asterisk_db": "asterisk",
    "freepbx_download": "asterisk", "pbxware": "asterisk", "spreadsheet_cdr": "asterisk",
    "cdr_minimal": "asterisk", "sql_dump": "asterisk",
    "freeswitch": "freeswitch", "3cx": "3cx", "mango": "mango", "sipuni": "sipuni", "uis": "uis",
    "uis_web": "uis", "bitrix24": "bitrix24", "yeastar": "yeastar", "avaya_smdr": "avaya",
    "panasonic_smdr": "panasonic", "generic": "other",
}
#: Families whose PBX may write a queue_log next to the CDR (asked for with them).
_QUEUE_LOG_FAMILIES = {"asterisk"}


def _months_before(d: dt.date, months: int) -> dt.date:
    y, m = d.year, d.month - months
    while m <= 0:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1)


def data_request(profile: Profile, *, history_months: int = 1) -> str:
    """The data request for one client as Markdown (Russian).

    Parameters
    ----------
    profile : Profile
        The client's profile; its period, ``calls_format`` (``auto`` lists every source) and
        transcripts setting shape the request.
    history_months : int
        Months of history to ask for before the period (they tell known clients from new ones).
    """
    fam = FORMAT_FAMILY.get(profile.calls_format)
    families = [fam] if fam else [f for f in SOURCES if f != "queue_log"]
    if profile.queue_log or any(f in _QUEUE_LOG_FAMILIES for f in families):
        at = max((i + 1 for i, f in enumerate(families) if f in _QUEUE_LOG_FAMILIES), default=len(families))
        families.insert(at, "queue_log")
    lines = [f"# Запрос данных для аудита отдела продаж: {profile.client}", ""]
    if profile.period:
        start, end = profile.period
        hist = _months_before(start, history_months)
        lines += [
            f"**Период анализа:** {start:%d.%m.%Y} — {end:%d.%m.%Y}.",
            f"**Выгрузить звонки за:** {hist:%d.%m.%Y} — {end:%d.%m.%Y} "
            f"(ещё {history_months} мес. до периода — по ним новые клиенты отличаются от уже известных).",
        ]
    else:
        lines.append("**Период:** последние 1–2 полных месяца плюс месяц истории до них.")
    lines += [
        "",
        "Нужны **все** звонки: входящие, исходящие и внутренние, включая неотвеченные, занятые и "
        "сброшенные, — без фильтров по сотрудникам и без удаления строк. Файлы передайте как есть, "
        "не открывая и не пересохраняя в Excel.",
        "",
        "## 1. Детализация звонков",
        "",
    ]
    for f in families:
        title, how, fields = SOURCES[f]
        lines += [f"### {title}", "", how, "", f"Поля: {fields}.", ""]
    lines += [
        "## 2. Справочник сотрудников",
        "",
        "Таблица (CSV или Excel) с колонками: **Добавочный** (внутренний номер), **ФИО**, **Отдел**, "
        "по возможности **Дата приёма**. Включите уволившихся за период и укажите, какие "
        "внутренние номера — это очереди, группы и голосовое меню (они не сотрудники).",
        "",
        "## 3. Номера компании",
        "",
        "Все городские и мобильные номера компании (линии, на которые звонят клиенты и с которых "
        "звонят менеджеры), с городом для каждого, если офисов несколько. Если АТС пишет городские "
        "номера без кода города, укажите код.",
        "",
        "## 4. Клиентская база (по желанию)",
        "",
        "Список телефонов действующих клиентов из CRM (одна колонка «Телефон»): звонки на эти номера "
        "не будут считаться звонками новым клиентам.",
        "",
    ]
    if profile.transcripts is not None or profile.script:
        lines += [
            "## 5. Расшифровки разговоров",
            "",
            "Расшифровки за тот же период с идентификатором звонка (тем же, что в детализации, или "
            "ID записи) и разметкой собеседников: CSV/JSONL `call_id, speaker, start, end, text`, "
            "либо JSON сервиса распознавания (Whisper, Yandex SpeechKit) как есть.",
            "",
        ]
    lines += [
        "## Что мы проверим при получении",
        "",
        "Каждый файл проверяется командой `callkit validate ФАЙЛ --employees employees.csv` "
        "(с `--json` — машиночитаемо). Она сообщает:",
        "",
        "- распознанный формат и кодировку (UTF-8 или Windows-1251);",
        "- сколько строк прочитано, загружено, отклонено (с номером строки и причиной) и сколько "
        "точных дубликатов удалено — сумма всегда сходится;",
        "- число звонков после склейки плеч (звонок через очередь — один звонок);",
        "- замечания о полноте: «нет неотвеченных звонков» (значит, выгрузили только отвеченные — "
        "нужна полная выгрузка), «нет внутренних звонков», «звонки не привязаны к сотрудникам» "
        "(нужны внутренние номера или справочник), «номера без кода города», «звонки, на которые "
        "ответил только автоответчик».",
        "",
        "Если отклонено больше 1 % строк или есть замечания о полноте, мы вернёмся с уточнением.",
        "",
    ]
    return "\n".join(lines)


def write_request(profile_path: str | Path, *, out: str | Path | None = None,
                  history_months: int = 1) -> Path:
    """Write ``data_request_<slug>.md`` beside the profile (or into ``out``); return its path."""
    profile = load_profile(profile_path, check_files=False)
    folder = Path(out) if out is not None else Path(profile_path).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"data_request_{profile.slug}.md"
    path.write_text(data_request(profile, history_months=history_months), encoding="utf-8")
    return path
