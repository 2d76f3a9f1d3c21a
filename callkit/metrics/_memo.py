"""Answers the metrics of one audit may share (private).

Inside :func:`remembered` (``audit_from_load`` runs in it) a few costly, pure computations that
an audit repeats on the same columns keep their last answers:

* ``working_hours`` — :func:`callkit.metrics.hours.in_working_hours`: reused for the same
  working hours and start times equal value for value (a copy of the times is kept and
  compared);
* ``text_codes`` — :func:`callkit.metrics._util.text_codes`: the integer codes of a text
  column, reused for the very same Arrow array (Arrow arrays are immutable: pandas replaces
  the array when a value is set, so the same array object is the same values).

Every answer is the one the computation would give; they are forgotten on leaving (per
thread), so memory does not outlive the audit. A thread the audit starts shares its answers
(``remembered(shared=current())``): the one list of answers per kind is only ever added to
and cut, and an answer is used only for the very same inputs, so a thread that misses one
another is adding computes it again, never a wrong one.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

__all__ = ["remembered", "current", "entries", "keep", "MEMO_SIZE"]

#: How many answers of each kind are kept (the whole table and a few subsets of it, for the
#: audit's two threads).
MEMO_SIZE = 6

_state = threading.local()


@contextlib.contextmanager
def remembered(shared: dict | None = None) -> Iterator[None]:
    """Keep the answers of the computations above until leaving (nested: the outer one);
    ``shared``: another thread's answers (:func:`current`), kept in common with it."""
    outer = getattr(_state, "memo", None)
    if outer is None:
        _state.memo = {} if shared is None else shared
    try:
        yield
    finally:
        if outer is None:
            _state.memo = None


def current() -> dict | None:
    """This thread's answers (for :func:`remembered` on another thread); None outside."""
    return getattr(_state, "memo", None)


def entries(kind: str) -> list | None:
    """The kept answers of ``kind``, newest first; None outside :func:`remembered`."""
    memo = getattr(_state, "memo", None)
    return None if memo is None else memo.setdefault(kind, [])


def keep(kind: str, entry: tuple) -> None:
    """Remember one more answer of ``kind`` (the oldest beyond :data:`MEMO_SIZE` is dropped)."""
    memo = entries(kind)
    if memo is not None:
        memo.insert(0, entry)
        del memo[MEMO_SIZE:]
