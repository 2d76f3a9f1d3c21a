"""What every report part works with: the audit, the language, masking and the output folder."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from callkit import schema
from callkit.errors import CallkitError, InputError
from callkit.masking import safe_output_dir
from callkit.profile import Profile, load_profile

__all__ = ["ReportError", "ReportContext", "prepare", "as_frame", "frame_of", "calls_in_period"]


class ReportError(CallkitError):
    """A report could not be produced (notebook failed, parameters wrong, output missing)."""


# --- the context the notebook works with ---------------------------------------------------------

@dataclass
class ReportContext:
    """Everything a report section needs: the audit, language, masking and where charts go."""

    audit: Any
    profile: Profile | None
    lang: str = "ru"
    mask: bool = True
    out_dir: Path | None = None
    charts: list[Path] = field(default_factory=list)
    _order: list[str] | None = field(default=None, repr=False)
    _colors: dict[str, str] | None = field(default=None, repr=False)

    @property
    def charts_dir(self) -> Path | None:
        return None if self.out_dir is None else self.out_dir / "charts"

    @property
    def thresholds(self) -> Any:
        """The profile's thresholds (else the audit's, else the defaults)."""
        from callkit.profile import Thresholds

        return (getattr(self.profile, "thresholds", None) or getattr(self.audit, "thresholds", None)
                or Thresholds())

    @property
    def threshold(self) -> float:
        return float(getattr(self.thresholds, "manager_gap", 0.25))

    @property
    def window_h(self) -> float:
        """The call-back window in hours."""
        return float(getattr(self.thresholds, "callback_window_h", 24))

    @property
    def order(self) -> list[str]:
        """One order of the managers for every chart and card (:func:`callkit.plots.manager_order`
        of the managers with calls)."""
        if self._order is None:
            from callkit import plots
            from callkit.report.tables import active_managers

            self._order = plots.manager_order(active_managers(frame_of(self.audit, "managers")))
        return self._order

    @property
    def colors(self) -> dict[str, str]:
        """One colour per department for every chart and card (:func:`callkit.plots.department_colors`)."""
        if self._colors is None:
            from callkit import plots

            m = frame_of(self.audit, "managers")
            self._colors = plots.department_colors(m[schema.DEPARTMENT] if schema.DEPARTMENT in m else [])
        return self._colors


def prepare(profile: str | Path | Profile, *, out: str | Path | None = None, lang: str | None = None,
            mask_numbers: bool | None = None, audit: Any = None) -> ReportContext:
    """Build the audit for a profile and the context the report sections use.

    Parameters
    ----------
    profile : path or Profile
        The client profile (YAML).
    out : path, optional
        The output root; charts and the workbook go to ``<out>/<slug>/``. None: nothing saved.
    lang : {"ru", "en"}, optional
        Default: the profile's ``lang``.
    mask_numbers : bool, optional
        Default: the profile's ``mask_numbers``.
    audit : Audit, optional
        A ready audit (skips :func:`callkit.audit.build_audit`).

    Returns
    -------
    ReportContext
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    lang = lang or prof.lang
    if lang not in ("ru", "en"):
        raise InputError(f"lang {lang!r} is not supported; expected 'ru' or 'en'.")
    if lang != prof.lang:  # the findings' text is written in the profile's language
        prof = dataclasses.replace(prof, lang=lang)
    if audit is None:
        from callkit.audit import build_audit

        audit = build_audit(prof)
    mask = prof.mask_numbers if mask_numbers is None else bool(mask_numbers)
    out_dir = None
    if out is not None:
        out_dir = safe_output_dir(out, prof.slug)
        (out_dir / "charts").mkdir(parents=True, exist_ok=True)
    return ReportContext(audit=audit, profile=prof, lang=lang, mask=mask, out_dir=out_dir)



# --- the audit's tables ------------------------------------------------------------------------

def as_frame(obj: Any) -> pd.DataFrame:
    return obj if isinstance(obj, pd.DataFrame) else pd.DataFrame()


def frame_of(audit: Any, name: str) -> pd.DataFrame:
    return as_frame(getattr(audit, name, None))



def calls_in_period(ctx: ReportContext) -> pd.DataFrame:
    calls = frame_of(ctx.audit, "calls")
    if calls.empty or schema.START not in calls:
        return calls
    if "in_period" in calls:
        return calls.loc[calls["in_period"].fillna(False).astype(bool)]
    prof = ctx.profile
    if prof is not None and prof.period is not None:
        day = calls[schema.START].dt.date
        return calls.loc[(day >= prof.period_start) & (day <= prof.period_end)]
    return calls
