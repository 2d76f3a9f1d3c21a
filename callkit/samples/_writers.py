"""Writers from a :class:`SampleCompany` to real export formats (FORMATS.md §1–§3).

Each ``write_<format>(company, path, *, encoding=...)`` writes one file and returns its path.
Legs-based formats (Asterisk, FreePBX, FreeSWITCH) are written from ``company.legs``; the cloud
and generic formats, which have one row per call, from ``company.sessions``.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.samples._build import SampleCompany
from callkit.samples._company import MAIN_NUMBER, OWN_NUMBERS, QUEUES, national

__all__ = ["write_asterisk", "write_freepbx", "write_freeswitch", "write_3cx", "write_sipuni",
           "write_mango", "write_bitrix24", "write_generic_csv", "write_generic_xlsx", "WRITERS",
           "MANGO_FIELDS", "SIPUNI_HEADER", "FREEPBX_HEADER", "BITRIX24_HEADER", "GENERIC_HEADER",
           "THREECX_FIELDS", "FREESWITCH_FIELDS", "ASTERISK_FIELDS"]

ASTERISK_FIELDS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
                   "lastdata", "start", "answer", "end", "duration", "billsec", "disposition",
                   "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid", "sequence")
FREEPBX_HEADER = ("calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp",
                  "lastdata", "duration", "billsec", "disposition", "amaflags", "accountcode",
                  "uniqueid", "userfield", "did", "recordingfile", "cnum", "cnam", "outbound_cnum",
                  "outbound_cnam", "dst_cnam", "linkedid", "peeraccount", "sequence")
FREESWITCH_FIELDS = ("caller_id_name", "caller_id_number", "destination_number", "context",
                     "start_stamp", "answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause",
                     "uuid", "bleg_uuid", "accountcode", "read_codec", "write_codec")
THREECX_FIELDS = ("historyid", "callid", "duration", "time-start", "time-answered", "time-end",
                  "reason-terminated", "from-no", "to-no", "from-dn", "to-dn", "dial-no",
                  "reason-changed", "final-number", "final-dn", "bill-code", "bill-rate", "bill-cost",
                  "bill-name", "chain", "from-type", "to-type", "final-type", "from-dispname",
                  "to-dispname", "final-dispname", "missed-queue-calls")
#: the 2015 Sipuni header: 14 names plus two empty cells (data rows have 14 cells)
SIPUNI_HEADER = ("Тип", "Статус", "Время", "Схема", "Откуда", "Куда", "Кто ответил",
                 "Продолжительность звонка", "Продолжительность разговора", "Время ответа", "Оценка",
                 "ID записи", "Метка", "ID заказа звонка", "", "")
#: the column order requested from Mango Office ``/vpbx/stats/request`` (``fields=``)
MANGO_FIELDS = ("records", "start", "finish", "answer", "from_extension", "from_number",
                "to_extension", "to_number", "disconnect_reason", "line_number", "location", "entry_id")
BITRIX24_HEADER = ("CALL_ID", "ID", "CALL_TYPE", "CALL_VOTE", "COMMENT", "PORTAL_USER_ID",
                   "PORTAL_NUMBER", "PHONE_NUMBER", "CALL_DURATION", "CALL_START_DATE", "COST",
                   "COST_CURRENCY", "CALL_FAILED_CODE", "CALL_FAILED_REASON", "CRM_ACTIVITY_ID")
GENERIC_HEADER = ("Дата", "Время", "Длительность", "Сотрудник", "Номер", "Направление", "Статус")

_TS = "%Y-%m-%d %H:%M:%S"


def _path(path: str | Path) -> Path:
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _text_out(path: Path, text: str, encoding: str) -> Path:
    try:
        data = text.encode(encoding)
    except LookupError:
        raise InputError(f"encoding {encoding!r} is unknown; expected e.g. 'utf-8' or 'cp1251'") from None
    path.write_bytes(data)
    return path


def _csv_text(rows, *, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue()


def _s(ts) -> str:
    return "" if pd.isna(ts) else ts.strftime(_TS)


def _secs(a, b) -> int:
    return int(round((b - a).total_seconds()))


def _epoch(ts) -> int:
    return int(ts.timestamp())


def _rng(company: SampleCompany, salt: int) -> np.random.Generator:
    return np.random.default_rng([company.seed, 100 + salt])


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _names(company: SampleCompany) -> dict[str, str]:
    return dict(zip(company.employees["extension"], company.employees["name"]))


# ------------------------------------------------------------------------------------------------
# Asterisk family (legs)


def _legs_by_end(company: SampleCompany) -> pd.DataFrame:
    """Asterisk writes a CDR when the channel hangs up: rows come in order of their end time."""
    return company.legs.sort_values(["end", "sequence"], kind="stable")


def _q(v: str) -> str:
    return '"' + str(v).replace('"', '""') + '"'


def write_asterisk(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8",
                   columns: int = 21) -> Path:
    """Asterisk ``cdr_csv`` ``Master.csv``: no header, every text field quoted, ``duration``,
    ``billsec`` and ``sequence`` bare integers, a never-answered leg's ``answer`` a bare empty field.

    Parameters
    ----------
    columns : {16, 17, 18, 21}
        16 = no uniqueid/userfield; 17 = ``loguniqueid``; 18 = ``+loguserfield``; 21 =
        ``newcdrcolumns`` (peeraccount, linkedid, sequence) — FORMATS.md §1.1.
    encoding : str
        ``utf-8`` (default) or ``cp1251`` (the Cyrillic names in ``clid`` change bytes).
    """
    if columns not in (16, 17, 18, 21):
        raise InputError(f"columns={columns!r}; expected 16, 17, 18 or 21 (cdr.conf [csv] options)")
    out = []
    for r in _legs_by_end(company).itertuples(index=False):
        dur = _secs(r.start, r.end)
        bill = _secs(r.answer, r.end) if pd.notna(r.answer) else 0
        cells = [_q(r.accountcode), _q(r.src), _q(r.dst), _q(r.dcontext), _q(r.clid), _q(r.channel),
                 _q(r.dstchannel), _q(r.lastapp), _q(r.lastdata), _q(_s(r.start)),
                 _q(_s(r.answer)) if pd.notna(r.answer) else "", _q(_s(r.end)), str(dur), str(bill),
                 _q(r.disposition), _q("DOCUMENTATION")]
        if columns >= 17:
            cells.append(_q(r.uniqueid))
        if columns >= 18:
            cells.append(_q(r.userfield))
        if columns == 21:
            cells += [_q(""), _q(r.linkedid), str(int(r.sequence))]
        out.append(",".join(cells))
    return _text_out(_path(path), "\n".join(out) + "\n", encoding)


def write_freepbx(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """A FreePBX ``asteriskcdrdb.cdr`` table exported with a header row (``calldate`` = leg start;
    no answer/end columns: answered legs have ``billsec`` > 0 or disposition ANSWERED)."""
    names = _names(company)
    rows: list[list[object]] = [list(FREEPBX_HEADER)]
    for r in company.legs.sort_values(["start", "sequence"], kind="stable").itertuples(index=False):
        dur = _secs(r.start, r.end)
        bill = _secs(r.answer, r.end) if pd.notna(r.answer) else 0
        rec = ""
        if r.disposition == "ANSWERED" and r.kind in ("queue", "outgoing"):
            what = "q-" + r.dst if r.kind == "queue" else "out-" + r.dst
            rec = f"{what}-{r.src}-{r.start:%Y%m%d-%H%M%S}-{r.uniqueid}.wav"
        cnam = r.clid.split('"')[1] if r.clid.startswith('"') else ""
        outbound = MAIN_NUMBER[1:] if r.kind == "outgoing" else ""
        rows.append([_s(r.start), r.clid, r.src, r.dst, r.dcontext, r.channel, r.dstchannel,
                     r.lastapp, r.lastdata, dur, bill, r.disposition, 3, r.accountcode, r.uniqueid,
                     r.userfield, r.did, rec, r.src, cnam, outbound, "ООО Ромашка" if outbound else "",
                     names.get(r.agent, "") if r.kind in ("queue", "internal", "transfer") else "",
                     r.linkedid, "", int(r.sequence)])
    return _text_out(_path(path), _csv_text(rows), encoding)


_FS_CAUSE = {"ANSWERED": "NORMAL_CLEARING", "NO ANSWER": "NO_ANSWER", "BUSY": "USER_BUSY",
             "FAILED": "NORMAL_TEMPORARY_FAILURE", "CONGESTION": "NORMAL_CIRCUIT_CONGESTION"}


def write_freeswitch(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """FreeSWITCH ``mod_cdr_csv`` with the ``example`` template and ``legs=ab``: an A-leg row per
    call (empty ``bleg_uuid``) and a B-leg row per destination rung, whose ``bleg_uuid`` carries the
    A-leg's uuid (FORMATS.md §2.1). All fields quoted; empty ``answer_stamp`` is ``""``."""
    rng = _rng(company, 1)
    names = _names(company)
    legs = {cid: g for cid, g in company.legs.groupby("call_id", sort=False)}
    rows = []
    for s in _sessions(company).itertuples(index=False):
        g = legs.get(s.call_id)
        if g is None:
            continue
        a_uuid = _uuid(rng)
        d = str(s.direction)
        if d == "incoming":
            cid_num = national(s.client_number)
            cid_name = cid_num
            dest = OWN_NUMBERS.get(s.department, MAIN_NUMBER)[1:]
            ctx = "public"
        else:
            cid_num = s.extension
            cid_name = names.get(s.extension, s.extension)
            dest = national(s.client_number) if d == "outgoing" else s.callee
            ctx = "default"
        answered = pd.notna(s.answered_at) and not s.machine_answered
        a_ans = s.answered_at if answered else (g["answer"].min() if s.machine_answered else pd.NaT)
        a_cause = {"answered": "NORMAL_CLEARING", "missed": "ORIGINATOR_CANCEL", "busy": "USER_BUSY",
                   "failed": "NORMAL_TEMPORARY_FAILURE"}[str(s.status)]
        if s.machine_answered:
            a_cause = "NORMAL_CLEARING"
        rows.append(_fs_row(cid_name, cid_num, dest, ctx, s.start, a_ans, s.end, a_cause, a_uuid, ""))
        for lg in g.itertuples(index=False):
            if lg.kind in ("local", "wait", "ivr", "rejected"):
                continue
            b_dest = lg.agent if lg.kind != "outgoing" else national(s.client_number)
            cause = _FS_CAUSE.get(lg.disposition, "NORMAL_CLEARING")
            if lg.disposition == "NO ANSWER" and d == "incoming" and _secs(lg.start, lg.end) < 15:
                cause = "ORIGINATOR_CANCEL"
            rows.append(_fs_row(cid_name, cid_num, b_dest, ctx, lg.start, lg.answer, lg.end, cause,
                                _uuid(rng), a_uuid))
    text = "".join(",".join(_q(v) for v in r) + "\n" for r in rows)
    return _text_out(_path(path), text, encoding)


def _fs_row(name, num, dest, ctx, start, answer, end, cause, u, b) -> list[str]:
    dur = _secs(start, end)
    bill = _secs(answer, end) if pd.notna(answer) else 0
    return [name, num, dest, ctx, _s(start), _s(answer), _s(end), str(dur), str(bill), cause, u, b,
            "", "PCMA", "PCMA"]


# ------------------------------------------------------------------------------------------------
# per-call formats (sessions)


def _hms(sec: float) -> str:
    sec = int(round(sec))
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def _person_answered(s) -> bool:
    return str(s.status) == "answered" and not s.machine_answered


def write_3cx(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """3CX CDR log: 27 fields, no header, in the order of a real 2020 log (FORMATS.md §2.3):
    ``Ext.NNN`` parties, ``HH:MM:SS`` duration (empty when never answered), ``YYYY/MM/DD`` times."""
    names = _names(company)
    rows = []
    for i, s in enumerate(_sessions(company).itertuples(index=False)):
        d = str(s.direction)
        ans = _person_answered(s)
        fmt = "%Y/%m/%d %H:%M:%S"
        t_ans = s.answered_at.strftime(fmt) if ans else ""
        rang = [e for e in str(s.rang or "").split(",") if e]
        if d == "incoming":
            from_no, from_dn, from_type = national(s.client_number), "10000", "Line"
            queue = QUEUES.get(s.department, "600")
            to_no = f"Ext.{s.extension}" if ans else f"Ext.{queue}"
            to_dn = s.extension if ans else queue
            to_type = "Extension" if ans else "Queue"
            dial = OWN_NUMBERS.get(s.department, MAIN_NUMBER)[1:]
            hops = [from_no, f"Ext.{queue}"] + [f"Ext.{e}" for e in rang]
            if s.transfer_to:
                hops.append(f"Ext.{s.transfer_to}")
            chain = "Chain: " + ",".join(hops) + ","
            from_disp, to_disp = "", names.get(s.extension, "") if ans else ""
        else:
            from_no, from_dn, from_type = f"Ext.{s.extension}", s.extension, "Extension"
            if d == "outgoing":
                to_no, to_dn, to_type = national(s.client_number), "10000", "Line"
                dial = national(s.client_number)
            else:
                to_no, to_dn, to_type = f"Ext.{s.callee}", s.callee, "Extension"
                dial = s.callee
            chain = f"Chain: {from_no},{to_no},"
            from_disp, to_disp = names.get(s.extension, ""), names.get(s.callee or "", "")
        final_no, final_dn, final_type, final_disp = to_no, to_dn, to_type, to_disp
        changed = ""
        if isinstance(s.transfer_to, str) and s.transfer_to:
            changed = "ReplacedDst"
            final_no, final_dn, final_type = f"Ext.{s.transfer_to}", s.transfer_to, "Extension"
            final_disp = names.get(s.transfer_to, "")
        elif d == "incoming" and ans and s.attempt > 1:
            changed = "Fwd_NoAnswer"
        st = str(s.status)
        if ans:
            reason = "TerminatedBySrc" if (i % 3) else "TerminatedByDst"
        elif st == "busy":
            reason = "RouteBusy"
        elif st == "failed":
            reason = "NoRouteExists" if s.tag == "line_limit" else "Failed"
        elif s.machine_answered:
            reason = "TerminatedBySrc"
        else:
            reason = "Failed_Cancelled"
        missed_q = str(max(len(rang) - (1 if ans else 0), 0)) if d == "incoming" else ""
        rows.append([f"Call {9000 + i}", 400000 + i, _hms(s.talk_s) if ans else "",
                     s.start.strftime(fmt), t_ans, s.end.strftime(fmt), reason, from_no, to_no,
                     from_dn, to_dn, dial, changed, final_no, final_dn, "", "", "", "", chain,
                     from_type, to_type, final_type, from_disp, to_disp, final_disp, missed_q])
    return _text_out(_path(path), _csv_text(rows), encoding)


def _sessions(company: SampleCompany) -> pd.DataFrame:
    """The sessions with missing text as ``""`` (writers test strings, not NA)."""
    s = company.sessions.copy()
    for c in s.columns:
        if s[c].dtype == "string":
            s[c] = s[c].fillna("").astype(object)
    return s


def _external(company: SampleCompany) -> pd.DataFrame:
    s = _sessions(company)
    return s.loc[s[schema.DIRECTION] != "internal"]


def _rec_id(s) -> str:
    return s.call_id if _person_answered(s) else ""


def write_sipuni(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Sipuni statistics export (2015 layout): ``;``, Russian header with two extra empty cells,
    ``DD.MM.YYYY HH:MM:SS``, durations in seconds, talk and answer time empty when unanswered.
    External calls only (the export lists calls through the company's numbers)."""
    rows: list[list[object]] = [list(SIPUNI_HEADER)]
    schemes = {"Продажи B2B": "Продажи B2B", "Продажи B2C": "Продажи B2C", "Сервис": "Сервисная линия"}
    for s in _external(company).itertuples(index=False):
        inc = str(s.direction) == "incoming"
        ans = _person_answered(s)
        typ = "Входящий" if inc else "исходящий"
        status = "Отвечен" if ans else "Не отвечен"
        client = s.client_number[1:]
        own = OWN_NUMBERS.get(s.department, MAIN_NUMBER)[1:]
        frm, to = (client, own) if inc else (s.extension, client)
        who = s.extension if ans else ""
        total = _secs(s.start, s.end)
        rows.append([typ, status, s.start.strftime("%d.%m.%Y %H:%M:%S"),
                     schemes.get(s.department, "Исходящие") if inc else "Исходящие", frm, to, who, total,
                     int(s.talk_s) if ans else "", int(round(s.ring_s)) if ans else "", "",
                     _rec_id(s), "", ""])
    text = _csv_text(rows, delimiter=";")
    return _text_out(_path(path), text, encoding)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=")


def write_mango(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8",
                fields: tuple[str, ...] = MANGO_FIELDS) -> Path:
    """Mango Office VPBX ``/vpbx/stats/result`` text: ``;``, no header, unix seconds, columns in the
    requested order ``fields`` (default :data:`MANGO_FIELDS`); ``answer`` is 0 when unanswered;
    ``records`` is ``[id]`` for an answered call, ``[]`` otherwise."""
    unknown = set(fields) - set(MANGO_FIELDS)
    if unknown:
        raise InputError(f"Mango fields {sorted(unknown)} are unknown; expected some of {list(MANGO_FIELDS)}")
    rows = []
    for s in _sessions(company).itertuples(index=False):
        d, st = str(s.direction), str(s.status)
        ans = _person_answered(s)
        line = OWN_NUMBERS.get(s.department, MAIN_NUMBER)[1:]
        if d == "incoming":
            fe, fn = "", s.client_number[1:]
            rung = sorted(set(str(s.rang).split(","))) if s.rang else []
            only = rung[0] if len(rung) == 1 else ""       # the group is not named per agent
            te, tn = (s.extension if ans else only), line
        elif d == "outgoing":
            fe, fn, te, tn = s.extension, MAIN_NUMBER[1:], "", s.client_number[1:]
            line = MAIN_NUMBER[1:]
        else:
            fe, fn, te, tn = s.extension, "", s.callee, ""
            line = ""
        if ans:
            reason = "1110" if int(s.talk_s) % 2 else "1120"
            loc = "abonent"
        elif s.machine_answered:
            reason, loc = "1110", "ivr"
        elif st == "busy":
            reason, loc = "1121", "abonent"
        elif st == "failed":
            reason, loc = ("1130" if s.tag == "line_limit" else "1133"), "abonent"
        elif d == "incoming":
            reason, loc = ("1110" if s.rang else "1164"), "queue"
        else:
            reason, loc = "1111", "abonent"
        values = {
            "records": f"[{_b64('rec:' + s.call_id)}]" if ans else "[]",
            "start": _epoch(s.start), "finish": _epoch(s.end),
            "answer": _epoch(s.answered_at) if ans else 0,
            "from_extension": fe, "from_number": fn, "to_extension": te, "to_number": tn,
            "disconnect_reason": reason, "line_number": line, "location": loc,
            "entry_id": _b64("entry:" + s.call_id),
        }
        rows.append([values[f] for f in fields])
    return _text_out(_path(path), _csv_text(rows, delimiter=";"), encoding)


def write_bitrix24(company: SampleCompany, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Bitrix24 telephony statistics (``voximplant.statistic.get`` fields) as CSV with a header.

    ``CALL_TYPE`` 1 outgoing, 2 incoming, 3 incoming transferred, 4 a callback after a missed
    call; ``PORTAL_USER_ID`` is the employee's extension (portal users are numbered like the
    extensions here); ``CALL_DURATION`` is talk seconds; ``CALL_START_DATE`` ISO-8601 with offset.
    """
    rows: list[list[object]] = [list(BITRIX24_HEADER)]
    for i, s in enumerate(_external(company).itertuples(index=False)):
        d, st = str(s.direction), str(s.status)
        ans = _person_answered(s)
        if d == "incoming":
            typ = 3 if isinstance(s.transfer_to, str) and s.transfer_to else 2
        else:
            typ = 4 if s.tag == "callback" else 1
        user = s.extension if isinstance(s.extension, str) else (str(s.rang).split(",")[0] if s.rang else "")
        if ans:
            code, reason = "200", "Успешный звонок"
        elif st == "busy":
            code, reason = "486", "Занято"
        elif st == "failed":
            code, reason = ("503", "Направление недоступно") if s.tag == "line_limit" else ("480", "Временно недоступен")
        elif d == "incoming":
            code, reason = "304", "Пропущенный звонок"
        else:
            code, reason = "603-S", "Вызов отменен"
        cost = f"{0.9 * -(-int(s.talk_s) // 60):.2f}" if ans and d == "outgoing" else "0.00"
        iso = s.start.isoformat(timespec="seconds")
        h = hashlib.md5(s.call_id.encode()).hexdigest()
        rows.append([f"externalCall.{h}.{_epoch(s.start)}", 5000 + i, typ, "", "", user,
                     OWN_NUMBERS.get(s.department, MAIN_NUMBER) if d == "incoming" else MAIN_NUMBER,
                     s.client_number, int(s.talk_s) if ans else 0, iso, cost, "RUR", code, reason,
                     (70000 + i) if ans else ""])
    return _text_out(_path(path), _csv_text(rows), encoding)


def _pretty(n: str) -> str:
    """``+79720123456`` → ``+7 (972) 012-34-56``."""
    if not isinstance(n, str) or not n.startswith("+7") or len(n) != 12:
        return str(n)
    return f"+7 ({n[2:5]}) {n[5:8]}-{n[8:10]}-{n[10:12]}"


def _generic_rows(company: SampleCompany) -> list[list[object]]:
    names = _names(company)
    out = []
    for s in _sessions(company).itertuples(index=False):
        d, st = str(s.direction), str(s.status)
        ans = _person_answered(s)
        direction = {"incoming": "Входящий", "outgoing": "Исходящий", "internal": "Внутренний"}[d]
        status = "Отвечен" if ans else {"busy": "Занято", "failed": "Ошибка"}.get(st, "Пропущен")
        number = _pretty(s.client_number) if d != "internal" else s.callee
        emp = names.get(s.extension, "") if isinstance(s.extension, str) else ""
        out.append([s.start, _hms(s.talk_s if ans else 0), emp, number, direction, status])
    return out


def write_generic_csv(company: SampleCompany, path: str | Path, *, encoding: str = "cp1251") -> Path:
    """A CRM/PBX report as an analyst gets it from Excel: ``;``, cp1251, Russian headers
    (:data:`GENERIC_HEADER`), ``DD.MM.YYYY`` and ``HH:MM:SS`` in separate columns, talk time as
    ``HH:MM:SS``, numbers as ``+7 (972) 012-34-56``."""
    rows: list[list[object]] = [list(GENERIC_HEADER)]
    for start, dur, emp, number, direction, status in _generic_rows(company):
        rows.append([start.strftime("%d.%m.%Y"), start.strftime("%H:%M:%S"), dur, emp, number,
                     direction, status])
    return _text_out(_path(path), _csv_text(rows, delimiter=";").replace("\n", "\r\n"), encoding)


def write_generic_xlsx(company: SampleCompany, path: str | Path, *, encoding: str | None = None) -> Path:
    """The same report as :func:`write_generic_csv` as an Excel workbook (sheet ``Звонки``):
    ``Дата`` is an Excel date cell, the rest text. ``encoding`` is accepted and ignored."""
    from openpyxl import Workbook

    p = _path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Звонки"
    ws.append(list(GENERIC_HEADER))
    for start, dur, emp, number, direction, status in _generic_rows(company):
        ws.append([start.date(), start.strftime("%H:%M:%S"), dur, emp, number, direction, status])
        ws.cell(row=ws.max_row, column=1).number_format = "DD.MM.YYYY"
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["D"].width = 22
    ws.column_dimensions["E"].width = 20
    wb.properties.creator = "callkit.samples"
    wb.properties.created = pd.Timestamp("2026-11-01").to_pydatetime()
    wb.properties.modified = wb.properties.created
    buf = io.BytesIO()
    wb.save(buf)
    _fixed_zip(buf.getvalue(), p)
    return p


def _fixed_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed member times, so the same company gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":   # openpyxl stamps the save time here
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", body)
            dst.writestr(zi, body)
    path.write_bytes(out.getvalue())


#: format name → (writer, default file name)
WRITERS: dict[str, tuple[Callable[..., Path], str]] = {
    "asterisk": (write_asterisk, "Master.csv"),
    "asterisk_cp1251": (lambda c, p, **kw: write_asterisk(c, p, encoding="cp1251"), "Master_cp1251.csv"),
    "freepbx": (write_freepbx, "freepbx_cdr.csv"),
    "freeswitch": (write_freeswitch, "freeswitch_Master.csv"),
    "3cx": (write_3cx, "3cx_cdr.log"),
    "sipuni": (write_sipuni, "sipuni.csv"),
    "mango": (write_mango, "mango_stats.csv"),
    "bitrix24": (write_bitrix24, "bitrix24_stats.csv"),
    "generic_csv": (write_generic_csv, "calls_report.csv"),
    "generic_xlsx": (write_generic_xlsx, "calls_report.xlsx"),
}
