"""One client's speech audit from its profile: load calls and transcripts, analyse, write CSVs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from callkit.errors import InputError
from callkit.profile import Profile, load_profile
from callkit.speech.analyze import SpeechResult, analyze_calls
from callkit.speech.load import TranscriptLoad, load_transcripts

__all__ = ["SpeechRun", "analyze_profile", "write_speech"]


@dataclass
class SpeechRun:
    """The profile, the transcript load (with its report), the calls used and the result."""

    profile: Profile
    load: TranscriptLoad
    calls: pd.DataFrame | None
    result: SpeechResult


def analyze_profile(profile: str | Path | Profile, *, calls: pd.DataFrame | None = None,
                    lang: str | None = None, n_jobs: int = 1) -> SpeechRun:
    """Run the speech audit of one client as its profile says.

    Parameters
    ----------
    profile
        Profile path or a loaded :class:`~callkit.profile.Profile`; it must name ``transcripts``.
    calls
        The client's canonical call table; when None, the profile's ``calls`` files are loaded
        (with its employees directory) so transcripts get their employee and department.
    lang
        Report language (default: the profile's).
    n_jobs
        Worker processes for the analysis.
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if prof.transcripts is None:
        raise InputError(f"{prof.source or 'profile'}: field 'transcripts' is missing; expected "
                         "the transcript file or folder")
    if calls is None and prof.calls:
        from callkit.io import load_profile_calls

        calls = load_profile_calls(prof).calls
    tl = load_transcripts(prof.transcripts, calls=calls)
    res = analyze_calls(tl.utterances, prof, calls=calls, lang=lang, n_jobs=n_jobs)
    return SpeechRun(profile=prof, load=tl, calls=calls, result=res)


def write_speech(result: SpeechResult, out_dir: str | Path, *, slug: str | None = None) -> list[Path]:
    """Write ``speech.csv`` and ``checklist.csv`` (DESIGN §5, UTF-8, one header row).

    With ``slug`` the files go to ``<out_dir>/<slug>/`` (the client's output folder).
    Returns the paths written.
    """
    if slug is not None:
        from callkit.masking import safe_output_dir

        out = safe_output_dir(out_dir, slug)
    else:
        out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "speech.csv", out / "checklist.csv"]
    result.speech_csv().to_csv(paths[0], index=False, encoding="utf-8")
    result.checklist_csv().to_csv(paths[1], index=False, encoding="utf-8")
    return paths
