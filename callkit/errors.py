"""Exception and warning classes of callkit.

Every error callkit raises on bad input derives from :class:`CallkitError`, so the CLI can
turn it into a one-line message and exit code 2 instead of a traceback.
"""
from __future__ import annotations

__all__ = [
    "CallkitError",
    "InputError",
    "FormatError",
    "ProfileError",
    "DataQualityWarning",
]


class CallkitError(Exception):
    """Root of all callkit errors."""


class InputError(CallkitError, ValueError):
    """An input file or argument is unusable (missing, empty, unreadable, wrong columns)."""


class FormatError(InputError):
    """A file is readable but is not in the expected (or any recognised) export format."""


class ProfileError(InputError):
    """A client profile (YAML) has a missing or invalid field."""


class DataQualityWarning(UserWarning):
    """A data-quality problem that does not stop the work (it is also in the load report)."""
