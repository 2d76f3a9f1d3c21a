"""callkit: a sales-department audit from telephony exports.

Public names are re-exported here; nothing else happens at import. Names from the heavier
modules (reports, plots, speech, samples) are resolved on first use so that ``import callkit``
stays cheap and has no side effects.
"""
from callkit.audit import Audit, audit_from_load, build_audit, run_metrics, write_metrics
from callkit.errors import CallkitError, DataQualityWarning, FormatError, InputError, ProfileError
from callkit.io import LoadReport, LoadResult, load_calls, load_employees
from callkit.numbers import normalize_number, normalize_numbers
from callkit.profile import Profile, load_profile

__all__ = [
    "CallkitError", "DataQualityWarning", "FormatError", "InputError", "ProfileError",
    "Profile", "load_profile",
    "load_calls", "load_employees", "LoadReport", "LoadResult",
    "normalize_number", "normalize_numbers",
    "Audit", "build_audit", "audit_from_load", "write_metrics", "run_metrics",
    # resolved lazily:
    "run_client", "run_batch", "demo", "write_workbook", "ClientRun", "BatchSummary", "ReportError",
    "mask_number", "mask_frame", "mask_text",
    "analyze_calls", "analyze_profile", "load_transcripts", "SpeechResult", "CallKindClassifier",
    "generate", "write_sample", "SampleCompany",
]
__version__ = "0.1.0"

_LAZY = {
    "run_client": "callkit.report", "run_batch": "callkit.report", "demo": "callkit.report",
    "write_workbook": "callkit.report", "ClientRun": "callkit.report", "BatchSummary": "callkit.report",
    "ReportError": "callkit.report",
    "mask_number": "callkit.masking", "mask_frame": "callkit.masking", "mask_text": "callkit.masking",
    "analyze_calls": "callkit.speech", "analyze_profile": "callkit.speech",
    "load_transcripts": "callkit.speech", "SpeechResult": "callkit.speech",
    "CallKindClassifier": "callkit.speech",
    "generate": "callkit.samples", "write_sample": "callkit.samples", "SampleCompany": "callkit.samples",
}


def __getattr__(name: str):  # PEP 562: import the heavy modules only when a name is used
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'callkit' has no attribute {name!r}")
