"""Notebooks executed on the bundled sample; the end-to-end client run; a batch with a broken client.

The run writes audit.ipynb / audit.html / audit.xlsx; the test opens each and checks the
sections, the numbers (equal to ``callkit.audit.write_metrics``' CSVs), masking and that no
code reaches the HTML.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from callkit import report

REPO = Path(__file__).resolve().parents[1]
UNMASKED = re.compile(r"\+7[\s(]*\d{3}[\s)]*\d{3}[\s-]*\d{2}[\s-]*\d{2}")
DATA_URI = re.compile(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+")

pytestmark = pytest.mark.slow

_RUNS: dict[str, report.ClientRun] = {}


def sample_profile() -> Path:
    try:
        return report.sample_profile_path()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"data_samples/profile.yaml is not there yet ({exc})")


def sample_run(tmp_path_factory: pytest.TempPathFactory) -> report.ClientRun:
    """One run_client on data_samples per test session (shared by the HTML render test)."""
    if "run" not in _RUNS:
        out = tmp_path_factory.mktemp("report")
        _RUNS["run"] = report.run_client(sample_profile(), out)
    return _RUNS["run"]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> report.ClientRun:
    return sample_run(tmp_path_factory)


@pytest.fixture(scope="module")
def metrics_csv(tmp_path_factory) -> dict[str, pd.DataFrame]:
    from callkit.audit import build_audit, write_metrics
    from callkit.profile import load_profile

    out = tmp_path_factory.mktemp("metrics")
    write_metrics(build_audit(load_profile(sample_profile())), out)
    return {p.stem: pd.read_csv(p, dtype={"extension": "string"}) for p in out.glob("*.csv")}


def _text_without_images(path: Path) -> str:
    return DATA_URI.sub("", path.read_text(encoding="utf-8"))


def test_run_client_writes_every_output(run):
    assert run.out_dir.name == run.slug
    for path in (run.notebook, run.html, run.workbook):
        assert path.is_file() and path.parent == run.out_dir
    assert run.worklist.is_file() and run.worklist.parent == run.out_dir
    pngs = {p.stem for p in run.charts if p.suffix == ".png"}
    svgs = {p.stem for p in run.charts if p.suffix == ".svg"}
    assert pngs == svgs
    assert {"managers", "traffic_incoming", "traffic_missed_rate", "callback_delay", "staffing"} <= pngs


def test_executed_notebook_has_every_section_and_no_errors(run):
    nb = nbformat.read(run.notebook, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    for name, text in report.SECTIONS.items():
        assert f'id="ck-{name}"' in shown and f"{text['ru']}</h2>" in shown, name
    assert shown.count('<img src="data:image/svg+xml;base64,') >= 8
    assert "injected-parameters" in nb.cells[2].metadata.get("tags", [])


def test_html_has_no_code_and_embedded_images(run):
    html = run.html.read_text(encoding="utf-8")
    for text in report.SECTIONS.values():
        assert text["ru"] in html
    assert "report.section_" not in html and "from callkit import" not in html
    # every code cell is rendered without its input; no highlighted source anywhere
    assert html.count('class="cell border-box-sizing code_cell') >= 9
    assert 'class="input' not in html and 'class="highlight' not in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ru">' in html
    assert '<meta name="viewport" content="width=device-width' in html
    tags = re.findall(r"<img [^>]*>", html)
    srcs = [re.search(r'src="([^"]*)"', t).group(1) for t in tags]
    alts = [re.search(r'alt="([^"]*)"', t).group(1) for t in tags]
    assert len(tags) >= 8 and all(src.startswith("data:image/svg+xml;base64,") for src in srcs)
    assert all(alt.startswith("График: ") and len(alt) > 12 for alt in alts)
    assert not re.search(r"<script[^>]*src=\"https?://", html)


def test_no_unmasked_number_anywhere(run):
    assert not UNMASKED.findall(_text_without_images(run.html))
    assert not UNMASKED.findall(_text_without_images(run.notebook))
    for book in (run.workbook, run.worklist):   # the sample profile does not ask for full numbers
        wb = openpyxl.load_workbook(book)
        cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [v for v in cells if UNMASKED.search(v)], book.name
        assert any(re.fullmatch(r"\+7 \d{3} \*\*\*-\*\*-\d{2}", v) for v in cells), book.name


def _sheet(wb: openpyxl.Workbook, key: str) -> pd.DataFrame:
    """A sheet back in the CSVs' terms: column names, weekday numbers, booleans, seconds."""
    import datetime as dt

    rows = list(wb[report.SHEET_NAMES[key][0]].iter_rows(values_only=True))
    back = {label[0]: col for col, label in report.COLUMN_LABELS.items()}
    frame = pd.DataFrame(rows[1:], columns=[back.get(h, h) for h in rows[0]])
    days = {d: i for i, d in enumerate(["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])}
    for col in frame.columns:
        vals = frame[col].dropna()
        if col == "weekday":
            frame[col] = frame[col].map(days)
        elif len(vals) and vals.map(lambda v: v in ("да", "нет")).all():
            frame[col] = frame[col].map({"да": True, "нет": False})
        elif len(vals) and vals.map(lambda v: isinstance(v, dt.timedelta)).all():
            frame[col] = frame[col].map(lambda v: v.total_seconds() if isinstance(v, dt.timedelta) else v)
    return frame


def test_workbook_numbers_equal_metrics_csvs(run, metrics_csv):
    wb = openpyxl.load_workbook(run.workbook)
    for key, csv in (("managers", "managers"), ("traffic", "traffic"), ("staffing", "staffing")):
        sheet, ref = _sheet(wb, key), metrics_csv[csv]
        assert set(sheet.columns) == set(ref.columns), key
        assert len(sheet) == len(ref), key
        for col in ref.columns:
            if pd.api.types.is_numeric_dtype(ref[col]) and not pd.api.types.is_bool_dtype(ref[col]):
                got = pd.to_numeric(sheet[col], errors="coerce").astype(float).to_numpy()
                # a duration is read back from Excel's days to the millisecond
                tol = 1e-3 if col.endswith("_s") or "_s_" in col else 0
                assert got == pytest.approx(ref[col].astype(float).to_numpy(), nan_ok=True, rel=1e-9, abs=tol), \
                    (key, col)
            elif pd.api.types.is_bool_dtype(ref[col]):
                assert sheet[col].tolist() == ref[col].tolist(), (key, col)
    cmp_sheet, cmp_ref = _sheet(wb, "comparison"), metrics_csv["compare"]
    assert int(cmp_sheet["flagged"].sum()) == int(cmp_ref["flagged"].sum())
    assert cmp_sheet["gap"].astype(float).sum() == pytest.approx(cmp_ref["gap"].astype(float).sum())
    findings = _sheet(wb, "findings")
    rule_words = {report.value_label(r, "ru"): r for r in metrics_csv["findings"]["rule"]}
    assert sorted(rule_words.get(r, r) for r in findings["rule"]) == sorted(metrics_csv["findings"]["rule"])


def test_one_number_everywhere_headline_in_html_and_workbook(run, metrics_csv):
    """Issue 9's one number per headline quantity, through the report: the lost calls, missed
    calls and incoming of headline.csv are the numbers of the summary's key figures, the
    missed-calls section's sentence, the call-back chart's bins and the workbook."""
    head = dict(zip(metrics_csv["headline"]["quantity"], metrics_csv["headline"]["value"]))
    html = run.html.read_text(encoding="utf-8")
    tiles = dict((label, value) for value, label in
                 re.findall(r'<span class="ck-v">([^<]*)</span><span class="ck-l">([^<]*)</span>', html))
    assert tiles["Потеряно обращений"] == str(head["lost_calls"])
    assert tiles["Входящих в рабочее время"] == str(head["incoming"])
    assert tiles["Входящих в нерабочее время"] == str(head["off_hours_calls"])
    lead = re.search(r"В рабочее время из (\d+) входящих не ответили на (\d+) .*? — (\d+), поговорили потом"
                     r".*? — (\d+); потеряно (\d+) ", html)
    assert lead, "the missed-calls sentence"
    assert tuple(int(x) for x in lead.groups()) == (head["incoming"], head["missed"], head["called_back"],
                                                   head["reached"], head["lost_calls"])
    wb = openpyxl.load_workbook(run.workbook)
    kf = {r[0]: r[1] for r in wb["Ключевые показатели"].iter_rows(min_row=2, values_only=True)}
    assert kf["Потеряно обращений"] == head["lost_calls"] and kf["Входящих в рабочее время"] == head["incoming"]
    assert kf["Из них не отвечено"] == pytest.approx(head["missed"] / head["incoming"])
    # the call-back chart counts the same missed calls (its bins are the workbook's sheet)
    bins = [r[1] for r in wb["Скорость перезвона"].iter_rows(min_row=2, values_only=True)]
    assert sum(bins) == head["missed"]
    lost_rows = _sheet(wb, "missed")
    assert int((lost_rows["lost"] & lost_rows["in_hours"]).sum()) == head["lost_calls"]


def test_summary_costs_are_findings_csv_in_their_units(run, metrics_csv):
    """Each problem of the summary states findings.csv's cost of its rule in that rule's unit:
    lost enquiries as "обращений", client calls as "звонков", never one unit summed or ranked
    with another; the roubles are impact_rub's sum (rounded as an estimate); the evidence line
    says what n counts."""
    from callkit.findings import IMPACT_UNITS
    from callkit.report.labels import IMPACT_WORDS, N_UNITS, plural

    f = metrics_csv["findings"]
    html = run.html.read_text(encoding="utf-8")
    summary = html[html.index('id="ck-summary"'):html.index("</section>", html.index('id="ck-summary"'))]
    problems = re.findall(r'<li class="ck-problem"><div class="ck-cost[^"]*">(.*?)</div><div class="ck-body">'
                          r'<p class="ck-what"><b>(.*?)\.</b>(.*?)</p>', summary, re.S)
    assert 3 <= len(problems) <= 5
    ranks = []
    for cost, title, body in problems:
        rule = next(r for r in f["rule"].unique() if report.VALUES[r][0].lower() in title.lower())
        g = f.loc[f["rule"] == rule]
        unit = g["impact_unit"].iloc[0]
        assert g["impact_unit"].nunique() == 1          # one rule, one unit
        ranks.append((unit, g["impact_rub"].sum(min_count=1)))
        amount = g["impact"].sum()
        k = int(round(amount))
        word = plural(k, tuple(IMPACT_WORDS[unit][0].split("|")))
        assert f"{k:,}".replace(",", "\u00a0") + " " + word in cost, (rule, cost)
        if g["impact_rub"].notna().any():
            rub = g["impact_rub"].sum()
            step = 1000 if rub >= 10000 else 100
            assert f"≈ {int(round(rub / step) * step):,} ₽".replace(",", "\u00a0") in cost, (rule, cost)
        n_word = plural(int(g["n"].sum()), tuple(N_UNITS[g["n_unit"].iloc[0]][0].split("|")))
        assert f"основание: {int(g['n'].sum()):,}".replace(",", "\u00a0") + f" {n_word}" in body, (rule, body)
    # roubles first, largest first; then unit by unit (the order of IMPACT_UNITS)
    priced = [r for _, r in ranks if r == r]
    assert priced == sorted(priced, reverse=True)
    order = [list(IMPACT_UNITS).index(u) for u, r in ranks if r != r]
    assert order == sorted(order)


def test_html_shows_the_managers_figures(run, metrics_csv):
    html = run.html.read_text(encoding="utf-8")
    ref = metrics_csv["managers"]
    active = ref.loc[ref["external_calls"] > 0]
    for name, per_day in zip(active["employee"], active["external_calls_per_day"]):
        card = re.search(rf'<article class="ck-card"[^>]*><h3>{name}</h3>(.*?)</article>', html, re.S)
        assert card, name
        # the card's external calls per day, with a decimal comma, as in managers.csv
        shown = f"{per_day:.1f}".replace(".", ",")
        assert re.search(rf"Внешних в день</td><td[^>]*>{shown}</td>", card.group(1)), (name, shown)


def test_speech_section_and_sheets_on_the_sample(run, metrics_csv):
    """data_samples has transcripts: the report shows the speech section with the brief items
    and the workbook's speech sheets hold the same calls and scores as speech.csv."""
    html = run.html.read_text(encoding="utf-8")
    assert report.SECTIONS["speech"]["ru"] in html
    assert "Расшифровок звонков нет" not in html
    assert "Выход на ЛПР/ЛВР" in html
    speech_heads = [c.value for c in openpyxl.load_workbook(run.workbook)["Речь. Менеджеры"][1]]
    for text in ("ЛПР/ЛВР: ЛПР", "преимущество: свой склад", "материал: прайс", "этап скрипта: приветствие"):
        assert text in speech_heads, text
    assert (run.charts_dir / "speech_stages.png").is_file() and (run.charts_dir / "speech_brief.png").is_file()
    wb = openpyxl.load_workbook(run.workbook)
    for key in ("speech_calls", "speech_snippets", "speech_managers"):
        assert report.SHEET_NAMES[key][0] in wb.sheetnames, key
    sheet, ref = _sheet(wb, "speech_calls"), metrics_csv["speech"]
    assert len(sheet) == len(ref) == 150
    assert sorted(pd.to_numeric(sheet["call_id"])) == sorted(ref["call_id"].astype(float))
    got = pd.Series(pd.to_numeric(sheet["script_score"]).to_numpy(), index=pd.to_numeric(sheet["call_id"]))
    want = pd.Series(ref["script_score"].to_numpy(), index=ref["call_id"].astype(float))
    assert got.sort_index().to_numpy() == pytest.approx(want.sort_index().to_numpy())
    cl = metrics_csv["checklist"]
    assert {"decision_maker", "advantage", "material"} <= set(cl["kind"])
    snippets = _sheet(wb, "speech_snippets")
    assert len(snippets) == int(cl["hit"].astype(bool).sum())
    words = sheet["profanity_words"].dropna().astype(str)
    assert len(words) and words.str.contains("*", regex=False).all()   # profanity is masked
    managers = _sheet(wb, "speech_managers")
    assert {"decision_maker_rate", "advantage_rate", "material_rate"} <= set(managers.columns)
    assert managers["decision_maker_rate"].astype(float).between(0, 1).all()


def test_explore_notebook_executes(tmp_path):
    import papermill

    nb_in = report.notebook_path("explore.ipynb")
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(str(nb_in), str(out), parameters={"profile": str(sample_profile())},
                               kernel_name="python3", progress_bar=False, cwd=str(nb_in.parent),
                               execution_timeout=300)   # a lost kernel message fails, not hangs CI
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    # the explorer's daily series: one row per day of the data
    series = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "explorer.data")
    table = series.outputs[0]["data"]["text/plain"]
    assert "date" in table and "value" in table
    # the last cell writes the data request for the client's IT (issue 6)
    request = nb.cells[-1].outputs[0]["data"]["text/markdown"]
    assert request.startswith("# Запрос данных для аудита отдела продаж") and "callkit validate" in request


def _broken_client(folder: Path) -> Path:
    folder.mkdir()
    (folder / "calls.csv").write_text("это не выгрузка АТС\n\x00\x01\x02\n", encoding="utf-8")
    (folder / "profile.yaml").write_text('client: "Сломанный"\nslug: broken\ncalls: [calls.csv]\n', encoding="utf-8")
    return folder / "profile.yaml"


def test_batch_with_one_broken_client(tmp_path):
    src = sample_profile().parent
    good = tmp_path / "clients" / "good"
    shutil.copytree(src, good)
    _broken_client(tmp_path / "clients" / "broken")
    summary = report.run_batch(tmp_path / "clients", tmp_path / "out", jobs=2, progress=False)
    status = {c.profile.parent.name: c for c in summary.clients}
    assert status["good"].status == "ok" and status["good"].run.html.is_file()
    assert status["broken"].status == "failed"
    assert status["broken"].reason and "\n" not in status["broken"].reason
    assert len(summary.ok) == 1 and len(summary.failed) == 1
    assert "1 ok, 1 failed" in summary.summary()
