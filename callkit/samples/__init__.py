"""Synthetic call data with planted behaviours and their ground truth (DESIGN §1, issue 2 item 7).

:func:`generate` simulates a fictional company (B2B and B2C sales and a service desk) over a
history month and the analysis period; the ``write_*`` functions turn it into real export
formats (FORMATS.md §1–§3); :func:`write_sample` writes a whole sample folder with employees,
known clients, a client profile and ``truth.json``. Regenerate ``data_samples/`` with
``python -m callkit.samples data_samples``.
"""
from callkit.samples._build import (
    SampleCompany,
    generate,
    missed_truth,
    reference_metrics,
    transcript_calls,
)
from callkit.samples._sample import DEFAULT_FORMATS, write_sample
from callkit.samples._writers import (
    MANGO_FIELDS,
    WRITERS,
    write_3cx,
    write_asterisk,
    write_bitrix24,
    write_freepbx,
    write_freeswitch,
    write_generic_csv,
    write_generic_xlsx,
    write_mango,
    write_sipuni,
)

__all__ = [
    "SampleCompany", "generate", "reference_metrics", "missed_truth", "transcript_calls",
    "write_sample", "DEFAULT_FORMATS", "WRITERS", "MANGO_FIELDS",
    "write_asterisk", "write_freepbx", "write_freeswitch", "write_3cx", "write_sipuni",
    "write_mango", "write_bitrix24", "write_generic_csv", "write_generic_xlsx",
]
