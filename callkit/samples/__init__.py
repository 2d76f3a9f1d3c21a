"""Synthetic call data with planted behaviours and their ground truth (DESIGN §1, issue 2 item 7).

:func:`generate` simulates a fictional company ("ООО Ромашка": B2B and B2C sales, a service desk)
over a history month and the analysis period; the ``write_*`` functions turn it into real export
formats (FORMATS.md §1–§3); :func:`write_sample` writes a whole sample folder with employees,
known clients, a client profile and ``truth.json``.
"""
from callkit.samples._build import SampleCompany, generate, missed_truth, reference_metrics, transcript_calls

__all__ = ["SampleCompany", "generate", "reference_metrics", "missed_truth", "transcript_calls"]
