"""Client reports: the audit notebook's sections, papermill runs, HTML and Excel exports.

The notebook ``notebooks/audit.ipynb`` only calls this package: :func:`prepare` builds the
audit for a profile, each ``section_*`` function returns the display objects of one report
section, :func:`export_workbook` writes the Excel workbook. :func:`run_client` executes the
notebook for one client with papermill and exports a code-free HTML page; :func:`run_batch`
does it for every profile in a folder; :func:`demo` runs the bundled sample.

Modules: ``labels`` (every word a reader sees, ru/en; cheap to import), ``format`` (how values
are shown), ``context`` (the audit, language, masking, output folder), ``tables`` (the tables
shown), ``html`` (HTML pieces and export), ``sections`` (the notebook's sections),
``workbook`` (Excel), ``run`` (papermill, batches, demo).

Names are re-exported lazily so that ``import callkit.report.labels`` does not import pandas,
matplotlib, papermill or nbconvert.
"""
from __future__ import annotations

_EXPORTS = {
    "labels": ("SECTIONS", "SHEET_NAMES", "COLUMN_LABELS", "SPEECH_VALUES", "VALUES", "TEXTS", "CHART",
               "column_label", "value_label"),
    "context": ("ReportError", "ReportContext", "prepare"),
    "html": ("heading", "export_html"),
    "tables": ("overview_items", "period_figures", "key_figures", "problems", "manager_cards", "worklist",
               "kpi_definitions", "rules_table", "pop_table", "active_managers", "callback_list",
               "call_back_table", "presence_table", "concentration_tables", "speech_result",
               "speech_summary_items", "speech_calls_table", "speech_snippets_table", "speech_managers_table",
               "queue_frames"),
    "sections": ("section_title", "section_summary", "section_contents", "section_lost", "section_managers",
                 "section_traffic", "section_speech", "section_appendix", "export_workbook"),
    "workbook": ("write_workbook", "write_worklist"),
    "run": ("ClientRun", "ClientStatus", "BatchSummary", "notebook_path", "notebook_parameters",
            "validate_parameters", "run_client", "run_batch", "demo", "find_profiles", "sample_profile_path"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = list(_WHERE)


def __getattr__(name: str):  # PEP 562: import a module only when one of its names is used
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'callkit.report' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"callkit.report.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
