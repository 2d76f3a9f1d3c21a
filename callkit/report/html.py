"""HTML pieces of the report (headings, tables, notes, charts) and the code-free HTML export."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from callkit import plots
from callkit.masking import mask_frame
from callkit.report.context import ReportContext
from callkit.report.format import fmt_value
from callkit.report.labels import SECTIONS, column_label

__all__ = ["heading", "CSS", "table", "note", "chart", "md_escape", "export_html"]


def heading(key: str, lang: str = "ru", *, level: int = 2) -> Any:
    """A Markdown heading of the section ``key`` (see :data:`SECTIONS`) in ``lang``."""
    from IPython.display import Markdown

    text = SECTIONS[key]["en" if lang == "en" else "ru"] if key in SECTIONS else key
    return Markdown("#" * level + " " + text)


CSS = """<style>
.ck-table {border-collapse: collapse; font-size: 13px; margin: 6px 0 14px 0;}
.ck-table th {background: #eef2f7; text-align: left; padding: 4px 8px; border-bottom: 1px solid #9aa;}
.ck-table td {padding: 3px 8px; border-bottom: 1px solid #dde; text-align: right;}
.ck-table td.ck-text {text-align: left;}
.ck-table tr.ck-flag td {background: #fde3e1;}
.ck-note {color: #555; font-size: 12px;}
</style>"""


def table(frame: pd.DataFrame, ctx: ReportContext, *, flag: str | None = None,
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
            text = fmt_value(v, str(col), ctx.lang)
            numeric = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            cls = "" if numeric else ' class="ck-text"'
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        tr = '<tr class="ck-flag">' if fl else "<tr>"
        rows.append(f"{tr}{''.join(cells)}</tr>")
    return HTML(f'<table class="ck-table"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def note(text: str) -> Any:
    from IPython.display import HTML

    return HTML(f'<p class="ck-note">{html.escape(text)}</p>')


def chart(ctx: ReportContext, name: str, draw: Callable[..., Any], *, size: tuple[float, float] = (9, 4.5)) -> Any:
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


def md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


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
