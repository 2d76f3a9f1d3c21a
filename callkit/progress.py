"""Progress of long work on stderr (issue 11 item 6): a tqdm bar over the stages of loading and
auditing a big export.

A bar is shown only when the work is large (:data:`MIN_ROWS` legs or sessions, or a file of
:data:`MIN_BYTES`), stderr is a terminal, and nobody turned it off — so tests, pipes, notebooks
run by papermill and ``--json`` output stay quiet. ``CALLKIT_PROGRESS=0`` turns it off,
``CALLKIT_PROGRESS=1`` on even for small inputs (still only on a terminal).

Examples
--------
>>> with stages("loading", ["reading", "folding"], size=10) as bar:
...     bar.step("reading")
...     bar.step("folding")
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["start", "stages", "set_enabled", "MIN_ROWS", "MIN_BYTES"]

#: Inputs from this many legs (or sessions) get a bar.
MIN_ROWS = 100_000
#: A file of this many bytes (about 100k Asterisk legs) gets a bar while it is read.
MIN_BYTES = 30_000_000

_enabled: bool | None = None


def set_enabled(on: bool | None) -> None:
    """Force bars on or off for this process (``None``: decide by the rules above). The CLI
    turns them off for ``--json``."""
    global _enabled
    _enabled = on


def _wanted(size: int, *, min_size: int) -> bool:
    env = os.environ.get("CALLKIT_PROGRESS", "").strip()
    if _enabled is False or env == "0":
        return False
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return False
    return bool(_enabled) or env == "1" or size >= min_size


class _Quiet:
    def step(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass


class _Bar:
    def __init__(self, bar) -> None:
        self._bar = bar

    def step(self, name: str) -> None:
        """Mark ``name`` done (and show it as the last finished stage)."""
        self._bar.set_postfix_str(name, refresh=False)
        self._bar.update(1)
        # A stage bar has a handful of ticks, each after long work: draw every one (tqdm
        # otherwise skips ticks closer than ``mininterval``, so a fast stage never showed).
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def start(desc: str, names: Sequence[str], *, size: int, min_size: int = MIN_ROWS) -> _Bar | _Quiet:
    """A bar with one tick per stage in ``names`` (call ``.step(name)`` after each, ``.close()``
    at the end); ``size`` (rows or bytes, compared with ``min_size``) decides whether it is
    shown at all."""
    if not _wanted(size, min_size=min_size):
        return _Quiet()
    from tqdm.auto import tqdm

    return _Bar(tqdm(total=len(names), desc=f"callkit: {desc}", unit="stage", file=sys.stderr,
                     leave=False, dynamic_ncols=True))


@contextmanager
def stages(desc: str, names: Sequence[str], *, size: int, min_size: int = MIN_ROWS) -> Iterator[_Bar | _Quiet]:
    """:func:`start` as a context manager (the bar is closed however the block ends)."""
    bar = start(desc, names, size=size, min_size=min_size)
    try:
        yield bar
    finally:
        bar.close()
