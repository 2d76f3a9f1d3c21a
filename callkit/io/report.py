"""The load report and the result of :func:`callkit.io.load_calls`."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["LoadReport", "LoadResult", "REJECT_COLUMNS"]

REJECT_COLUMNS = ("source_file", "source_row", "raw", "reason")


@dataclass
class LoadReport:
    """What happened to every row of the input.

    Always ``rows_read == rows_loaded + rows_rejected + duplicates``.
    """

    format: str = ""
    encoding: str = ""
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    sessions: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECT_COLUMNS)))
    notes: list[str] = field(default_factory=list)
    machine_answered: int = 0
    formats: dict[str, str] = field(default_factory=dict)      # file -> format
    encodings: dict[str, str] = field(default_factory=dict)    # file -> encoding

    @property
    def rows_rejected(self) -> int:
        return int(len(self.rejected))

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.duplicates

    def to_dict(self, *, max_rejected: int = 50) -> dict[str, Any]:
        """A JSON-ready dict (the ``callkit validate --json`` object)."""
        rej = self.rejected.head(max_rejected)
        return {
            "format": self.format,
            "encoding": self.encoding,
            "files": self.files,
            "formats": self.formats,
            "encodings": self.encodings,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "duplicates": self.duplicates,
            "sessions": self.sessions,
            "machine_answered": self.machine_answered,
            "reconciled": self.reconciled,
            "notes": list(self.notes),
            "rejected": [
                {"source_file": str(r.source_file), "source_row": int(r.source_row),
                 "raw": str(r.raw)[:300], "reason": str(r.reason)}
                for r in rej.itertuples(index=False)
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def summary(self, *, max_rejected: int = 10) -> str:
        """A human-readable multi-line summary."""
        lines = [
            f"files:      {', '.join(self.files)}",
            f"format:     {self.format}    encoding: {self.encoding}",
            f"rows read:  {self.rows_read}",
            f"  loaded:   {self.rows_loaded}",
            f"  rejected: {self.rows_rejected}",
            f"  duplicates dropped: {self.duplicates}",
            f"sessions:   {self.sessions}" + (f" (machine-answered: {self.machine_answered})"
                                              if self.machine_answered else ""),
            f"reconciled: {'yes' if self.reconciled else 'NO'}",
        ]
        for n in self.notes:
            lines.append(f"note: {n}")
        if self.rows_rejected:
            lines.append(f"rejected rows (first {min(max_rejected, self.rows_rejected)}):")
            for r in self.rejected.head(max_rejected).itertuples(index=False):
                lines.append(f"  {r.source_file}:{r.source_row}: {r.reason}")
        return "\n".join(lines)


@dataclass
class LoadResult:
    """Calls (one row per session, DESIGN §2), their legs (or None) and the load report."""

    calls: pd.DataFrame
    legs: pd.DataFrame | None
    report: LoadReport
