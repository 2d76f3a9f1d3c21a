"""HTML pieces of the report (headings, tables, notes, charts) and the code-free HTML export.

Every piece is an ``IPython.display.HTML`` object, so the notebook shows what the exported page
shows. The page (:func:`export_html`) is the notebook's outputs inside a small shell of its
own — ``lang``, a phone viewport, the report's style sheet — instead of nbconvert's JupyterLab
page (1 MB of notebook CSS and scripts a reader never uses). Charts are embedded as SVG
(text stays text: sharp at any zoom, searchable), each with an alt text; wide tables scroll in
their own box, so a 390-px phone never scrolls the page sideways.
"""
from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit import plots
from callkit.masking import mask_figure, mask_frame
from callkit.report.context import ReportContext
from callkit.report.format import fmt_value
from callkit.report.labels import SECTIONS, column_label, lang_of
from callkit.report.labels import text as _t

__all__ = ["heading", "CSS", "table", "note", "chart", "md_escape", "esc", "block", "export_html", "page",
           "section_id"]

#: The report's style sheet (the page and, through the title section, the notebook).
CSS = """
.ck-report {font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; color: #1d2430;
  line-height: 1.45; font-size: 14px; overflow-wrap: break-word;}
.ck-report h1 {font-size: 25px; line-height: 1.25; margin: 6px 0 2px;}
.ck-report h2 {font-size: 20px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e2e7ee;}
.ck-report h3 {font-size: 16px; margin: 18px 0 6px;}
.ck-sub {color: #4d5663; margin: 0 0 10px;}
.ck-note {color: #4d5663; font-size: 12.5px; margin: 4px 0 10px;}
.ck-lead {margin: 4px 0 10px;}
.ck-summary {background: #f4f7fb; border: 1px solid #d5dfeb; border-radius: 8px; padding: 4px 16px 12px;
  margin: 8px 0 6px;}
.ck-summary h2 {margin: 8px 0 4px; border: none; padding: 0;}
.ck-problems {list-style: none; margin: 0; padding: 0;}
.ck-problem {display: flex; gap: 14px; padding: 7px 0; border-top: 1px solid #dbe3ee;}
.ck-problem:first-child {border-top: none;}
.ck-cost {flex: 0 0 128px; font-weight: 700; font-size: 17px; color: #b3261e; line-height: 1.2;}
.ck-cost small {display: block; font-weight: 400; font-size: 11.5px; color: #5c6470;}
.ck-cost.ck-risk {color: #8a5a00;}
.ck-body {flex: 1 1 auto; min-width: 0;}
.ck-what {margin: 0 0 2px;}
.ck-what b {color: #1d2430;}
.ck-ev, .ck-act {margin: 0; font-size: 13px; color: #37404c;}
.ck-ev {color: #5c6470; font-size: 13px;}
.ck-act b {color: #1f5fa8;}
.ck-kf {display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 8px 0 0;
  padding: 0; list-style: none;}
.ck-tile {background: #fff; border: 1px solid #dbe3ee; border-radius: 6px; padding: 5px 10px;}
.ck-tile .ck-v {font-size: 19px; font-weight: 700; display: block;}
.ck-tile .ck-l {font-size: 12px; color: #4d5663; display: block;}
.ck-tile .ck-p {font-size: 11.5px; color: #5c6470; display: block;}
.ck-up {color: #2f7d4f;} .ck-down {color: #b3261e;}
.ck-caveats {margin: 2px 0 6px; padding-left: 18px; font-size: 12px; color: #5c6470;}
.ck-toc {margin: 10px 0 4px; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px;
  font-size: 13.5px;}
.ck-toc a {color: #1f5fa8; text-decoration: none;}
.ck-scroll {overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; margin: 6px 0 14px;}
.ck-table {border-collapse: collapse; font-size: 13px;}
.ck-table th {background: #eef2f7; text-align: left; padding: 4px 8px; border-bottom: 1px solid #9aa5b1;
  vertical-align: bottom;}
.ck-table td {padding: 3px 8px; border-bottom: 1px solid #dde3ea; text-align: right; vertical-align: top;}
.ck-table td.ck-text {text-align: left;}
.ck-table tr.ck-flag td {background: #fde3e1;}
.ck-wide td.ck-text {min-width: 14em;}
.ck-findings {margin: 4px 0 12px; padding-left: 20px;}
.ck-findings li {margin: 3px 0;}
.ck-findings .ck-c {color: #b3261e; font-weight: 700; white-space: nowrap;}
.ck-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px; margin: 10px 0;}
.ck-card {border: 1px solid #dbe3ee; border-top: 4px solid var(--ck-dep, #1f5fa8); border-radius: 8px;
  padding: 8px 12px 10px; min-width: 0;}
.ck-card h3 {margin: 2px 0 0; font-size: 15.5px;}
.ck-card .ck-meta {font-size: 12px; color: #4d5663; margin: 0 0 6px;}
.ck-card ul {margin: 2px 0 6px; padding-left: 18px; font-size: 13px;}
.ck-card li.ck-bad::marker {color: #b3261e;} .ck-card li.ck-good::marker {color: #2f7d4f;}
.ck-card .ck-table {width: 100%; font-size: 12.5px;}
.ck-card td.ck-worse {color: #b3261e; font-weight: 700;} .ck-card td.ck-better {color: #2f7d4f;}
figure.ck-chart {margin: 8px 0 16px;}
figure.ck-chart img {max-width: 100%; height: auto; display: block;}
figure.ck-chart figcaption {font-size: 12.5px; color: #4d5663; margin-top: 2px;}
.ck-report code {font-size: 12.5px; background: #eef2f7; padding: 0 3px; border-radius: 3px;}
@media (max-width: 640px) {
  .ck-report h1 {font-size: 20px;} .ck-report h2 {font-size: 18px;}
  .ck-problem {flex-direction: column; gap: 2px;} .ck-cost {flex-basis: auto;}
  .ck-summary {padding: 2px 10px 10px;}
  .ck-cards {grid-template-columns: minmax(0, 1fr);}
}
"""

# the page itself; nbconvert's cell wrappers are plain <div>s
_PAGE_CSS = """
body {margin: 0; background: #fff;}
main.ck-page {max-width: 1140px; margin: 0 auto; padding: 12px 22px 48px; box-sizing: border-box;}
.ck-page .output_area, .ck-page .output_subarea {min-width: 0; max-width: 100%;}
.ck-page pre {white-space: pre-wrap;}
@media (max-width: 640px) {main.ck-page {padding: 8px 12px 32px;}}
"""


def esc(value: Any) -> str:
    """HTML-escaped text of ``value``."""
    return html.escape(str(value))


def block(markup: str) -> Any:
    """An ``IPython.display.HTML`` object of ``markup``."""
    from IPython.display import HTML

    return HTML(markup)


def section_id(key: str) -> str:
    """The anchor of a section (``#ck-lost``)."""
    return f"ck-{re.sub(r'[^a-z0-9-]', '-', key)}"


def heading(key: str, lang: str = "ru", *, level: int = 2, text: str | None = None) -> Any:
    """The heading of section ``key`` (see :data:`SECTIONS`) in ``lang``, with its anchor."""
    words = text if text is not None else SECTIONS[key][lang_of(lang)] if key in SECTIONS else key
    return block(f'<h{level} id="{section_id(key)}">{esc(words)}</h{level}>')


def table(frame: pd.DataFrame, ctx: ReportContext, *, flag: str | None = None, max_rows: int | None = None,
          wide: bool = False) -> Any:
    """A formatted, translated, masked HTML table that scrolls sideways in its own box."""
    data = frame.head(max_rows) if max_rows is not None else frame
    data = mask_frame(data) if ctx.mask else data   # only the rows shown
    heads = "".join(f"<th>{esc(column_label(str(c), ctx.lang))}</th>" for c in data.columns)
    rows = []
    flags = data[flag].fillna(False).astype(bool).tolist() if flag and flag in data else [False] * len(data)
    for (_, row), fl in zip(data.iterrows(), flags):
        cells = []
        for col in data.columns:
            v = row[col]
            text = fmt_value(v, str(col), ctx.lang)
            numeric = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            cls = "" if numeric else ' class="ck-text"'
            cells.append(f"<td{cls}>{esc(text)}</td>")
        tr = '<tr class="ck-flag">' if fl else "<tr>"
        rows.append(f"{tr}{''.join(cells)}</tr>")
    cls = "ck-table ck-wide" if wide else "ck-table"
    return block(f'<div class="ck-scroll"><table class="{cls}"><thead><tr>{heads}</tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table></div>')


def note(text: str, *, cls: str = "ck-note") -> Any:
    """A short paragraph (escaped)."""
    return block(f'<p class="{cls}">{esc(text)}</p>')


def chart(ctx: ReportContext, name: str, draw: Callable[..., Any], *, size: tuple[float, float] = (9, 4.5),
          alt: str = "", caption: str = "", axes: int | None = None) -> Any:
    """Draw a chart on a fresh figure; save PNG (2×) and SVG under the client's ``charts/``;
    return it as an SVG image with an alt text (the charts' titles when ``alt`` is empty).

    ``draw`` gets the Axes, or with ``axes`` given a list of that many Axes side by side."""
    from matplotlib.figure import Figure

    with plots.theme():
        fig = Figure(figsize=size)
        if axes is not None:
            made = fig.subplots(1, axes, squeeze=False)
            draw(list(made[0]))
        else:
            draw(fig.add_subplot())
        if ctx.mask:   # a number in a label or title (an employee known only by a number) too
            mask_figure(fig)
        fig.tight_layout()
        titles = [a.get_title() for a in fig.axes if a.get_title()]
        if ctx.out_dir is not None:
            png, svg_path = plots.save_chart(fig, ctx.out_dir, name, tight=False)
            ctx.charts.extend([png, svg_path])
            svg = svg_path.read_bytes()
        else:
            svg = plots.svg_bytes(fig, tight=False)
    width, height = (round(size[0] * 96), round(size[1] * 96))   # inches at the browser's 96 px
    alt_text = alt or _t("chart_alt", ctx.lang, title="; ".join(titles) or name)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return block(f'<figure class="ck-chart"><img src="{src}" alt="{esc(alt_text)}" width="{width}" '
                 f'height="{height}">{cap}</figure>')


def md_escape(text: str) -> str:
    """Text from data (a client's or employee's name, a finding) as literal Markdown.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of
    them), so nothing in a name becomes a link — not even a bare URL, which the renderers
    autolink — emphasis, strikethrough, raw HTML, a list or a heading, and ``$…$`` is not taken
    for MathJax (``\\$`` is an escaped dollar for JupyterLab's and nbconvert's math scanners).

    Examples
    --------
    >>> print(md_escape("$x$ [a](http://e.x)"))
    \\$x\\$ \\[a\\]\\(http\\:\\/\\/e\\.x\\)
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def page(body: str, *, lang: str = "ru", title: str = "") -> str:
    """A whole HTML page around ``body``: ``lang``, charset, phone viewport, the style sheet."""
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang_of(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{_PAGE_CSS}{CSS}</style>\n</head>\n"
            f'<body>\n<main class="ck-page ck-report">\n{body}\n</main>\n</body>\n</html>\n')


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)


def export_html(notebook: str | Path, html_path: str | Path, *, title: str | None = None,
                lang: str = "ru") -> Path:
    """Export an executed notebook to a code-free, self-contained HTML page.

    Code cells' inputs and prompts are dropped, stderr streams removed, images are embedded as
    data URIs (they already are in the notebook's outputs), and scripts loaded from the
    internet are stripped, so the page reads the same offline. The page is :func:`page`:
    ``<html lang>`` of the report, a phone viewport and the report's style sheet.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or Path(notebook).stem}})
    body = _EXTERNAL_SCRIPT.sub("", body)
    out = Path(html_path)
    out.write_text(page(body, lang=lang, title=title or Path(notebook).stem), encoding="utf-8")
    return out
