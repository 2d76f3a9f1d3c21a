"""A copy of data_samples/ with planted trouble, for end-to-end checks of the manager-facing
outputs (issue 13): client numbers in every written form where data reaches a report (rejected
export rows, a transcript snippet, the client's and an employee's name), and Markdown/MathJax in
names. ``leaks(folder)`` lists what of it shows up unmasked or live in the outputs written.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"

#: written form -> its digits after the country code (what must never show in full), all
#: distinct from the sample's numbers
NUMBERS = {
    "+7 916 487–31–59": "9164873159",     # en dashes
    "8.916.487.32.58": "9164873258",      # dots after the trunk 8
    "+7.916.487.33.57": "9164873357",     # dots after +7
    "0079164873456": "9164873456",        # 00 international prefix
    "8104930487355": "4930487355",        # 8-10, then Germany +49 30 487355
    "7004873666": "7004873666",           # bare ten digits (a Kazakh 700)
    "8 (916) 487-37-55": "9164873755",
}
EMPLOYEE = "Кузнецов $x^{2}$ [сайт](http://evil.example) ~~зачёркнуто~~ <b>жирный</b>"
CLIENT = "ООО «$Ромашка$» [сайт](http://evil.example)"


def plant(dst: Path) -> Path:
    """Write the planted copy of data_samples/ to ``dst``; returns its profile."""
    shutil.copytree(SAMPLES, dst)
    forms = list(NUMBERS)
    # 1. rejected export rows carrying numbers (a bad date, a stray quote)
    master = dst / "calls" / "Master.csv"
    rows = master.read_text(encoding="utf-8").splitlines()
    bad = []
    for i, form in enumerate(forms):
        f = rows[40 + i].split(",")
        f[1] = f'"{form}"'
        f[9] = '"31/02/2026 25:61"' if i % 2 == 0 else '"2026-10-0'   # bad date / unclosed quote
        bad.append(",".join(f))
    master.write_text("\n".join(rows + bad) + "\n", encoding="utf-8")
    # 2. an employee with Markdown and MathJax in the name (extension 101 keeps its calls)
    emp = dst / "employees.csv"
    lines = emp.read_text(encoding="utf-8").splitlines()
    lines[1] = re.sub(r"^(101),[^,]*,", lambda m: f'{m.group(1)},"{EMPLOYEE}",', lines[1])
    emp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # 3. a transcript snippet with the numbers next to a stop word (it is listed with its context)
    tr = dst / "transcripts.jsonl"
    utts = [json.loads(x) for x in tr.read_text(encoding="utf-8").splitlines() if x.strip()]
    cid = next(u["call_id"] for u in utts if u["speaker"] == "employee")
    extra = [{"call_id": cid, "speaker": "employee", "start": 300.0 + i, "end": 301.0 + i,
              "text": f"не знаю запишите номер {form} и перезвоните"} for i, form in enumerate(forms)]
    tr.write_text("\n".join(json.dumps(u, ensure_ascii=False) for u in utts + extra) + "\n", encoding="utf-8")
    # 4. the client's name
    prof = dst / "profile.yaml"
    text = re.sub(r"(?m)^client:.*$", "client: " + json.dumps(CLIENT, ensure_ascii=False),
                  prof.read_text(encoding="utf-8"))
    prof.write_text(text, encoding="utf-8")
    return prof


def _texts(folder: Path) -> dict[str, str]:
    """Every manager-facing output of a client folder as text (images dropped; SVG text is in
    comments; workbook cells joined)."""
    out: dict[str, str] = {}
    data_uri = re.compile(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+")
    for p in folder.rglob("*"):
        if p.suffix in (".html", ".ipynb"):
            out[p.name] = data_uri.sub("", p.read_text(encoding="utf-8"))
        elif p.suffix == ".svg":
            out[p.name] = " | ".join(re.findall(r"<!--(.*?)-->", p.read_text(encoding="utf-8"), re.S))
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:   # shared strings and inline strings: every text cell
                out[p.name] = " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                                       if n.endswith(".xml") and ("sharedStrings" in n or "/sheet" in n))
    return out


def leaks(folder: Path) -> list[str]:
    """What of the planted trouble shows in the outputs: unmasked digits, live links, markup."""
    found = []
    sep = r"[\s\-\u2010-\u2015\u2212.()]*"
    for name, text in _texts(folder).items():
        for form, digits in NUMBERS.items():
            if re.search(sep.join(digits), text):
                found.append(f"{name}: {form} unmasked")
        if name.endswith((".html", ".ipynb")):
            if re.search(r"<a [^>]*href=[\"']?http://evil", text):
                found.append(f"{name}: a live link from a name")
            if re.search(r"<(?:del|s|strike)>зачёркнуто", text):
                found.append(f"{name}: strikethrough from a name")
            if "<b>жирный</b>" in text:
                found.append(f"{name}: raw HTML from a name")
    return found
