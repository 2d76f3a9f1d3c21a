"""Call result: the most valuable desired result agreed in the call, or ``none``.

Results are the keys of the profile's ``call_results`` (sale, invoice, meeting, next_contact,
clarify…), written most valuable first; a call's result is the first key whose phrases were
said (by either side). Navigation calls have no sales result.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["NONE", "pick_result"]

NONE = "none"


def pick_result(hits: Iterable[str], order: Sequence[str]) -> str:
    """The first result of ``order`` that is among ``hits``, else ``"none"``.

    Examples
    --------
    >>> pick_result({"next_contact", "invoice"}, ["sale", "invoice", "meeting", "next_contact"])
    'invoice'
    >>> pick_result([], ["sale"])
    'none'
    """
    got = set(hits)
    return next((r for r in order if r in got), NONE)
