"""Atomic, locked output folders (issue 13 item 5), shared by ``callkit run``/``batch``/``demo``
(one folder per client) and ``callkit metrics`` (the CSVs of one audit).

* :class:`folder_lock` — an exclusive operating-system lock on ``<parent>/.<name>.lock``; a
  second run into the same folder refuses at once with one line (two runs of one client at once
  are a mistake to report, not to queue). ``flock`` (``msvcrt.locking`` on Windows): a killed
  run releases it, so there is no stale lock to clean.
* :func:`move_into_place` — replace a folder by a complete staging folder with renames on one
  file system, so a reader sees the old outputs or the new ones, never a mix.
* :func:`remove_leftovers` — the staging and replaced folders of runs that were killed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from callkit.errors import CallkitError

__all__ = ["OutputBusyError", "folder_lock", "move_into_place", "remove_leftovers", "replace_files"]


class OutputBusyError(CallkitError):
    """Another callkit run is writing the same output folder."""


class folder_lock:
    """An exclusive lock on ``<parent>/.<name>.lock`` for the run writing ``<parent>/<name>/``
    (``error`` is the exception class raised when it is held; its message names ``target``, by
    default that folder)."""

    def __init__(self, parent: Path, name: str, *, what: str = "outputs",
                 error: type[CallkitError] = OutputBusyError, target: Path | None = None) -> None:
        self.path = Path(parent) / f".{name}.lock"
        self.target = Path(parent) / name if target is None else Path(target)
        self.what, self.error = what, error
        self.fh: Any = None

    def __enter__(self) -> folder_lock:
        self.fh = open(self.path, "a+")   # noqa: SIM115 - held for the run, closed in __exit__
        try:
            try:
                import fcntl
            except ImportError:   # Windows: a byte-range lock on the lock file does the same
                import msvcrt
                self.fh.seek(0)
                msvcrt.locking(self.fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            raise self.error(f"{self.target}: another callkit run is writing {self.what} "
                             f"(lock {self.path}); wait for it to finish, or use another --out") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()   # closing releases the lock


def remove_leftovers(parent: Path, name: str) -> None:
    """Staging and replaced folders of runs that were killed (call it holding the lock)."""
    for p in list(Path(parent).glob(f".{name}.staging-*")) + list(Path(parent).glob(f".{name}.old-*")):
        shutil.rmtree(p, ignore_errors=True)


def move_into_place(stage: Path, target: Path) -> None:
    """Replace ``target`` by the complete ``stage`` folder: renames on one file system, so a
    reader sees the old outputs or the new ones, never a mix (no file of an older run survives)."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(stage, target)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


#: The list of files the last ``callkit metrics`` run wrote into a folder (so the next run can
#: remove the ones it does not write: no stale ``queues.csv`` beside a run without a queue_log).
MANIFEST = ".callkit-metrics.files"


def replace_files(stage: Path, out: Path, *, manifest: str = MANIFEST) -> list[Path]:
    """Move every file of the complete ``stage`` folder into ``out`` (each replaced whole, by a
    rename), remove the files the previous run listed in ``out/<manifest>`` that this one did not
    write, and list this run's files there. For a folder shared with other files (``callkit
    metrics --out .``), where the folder itself cannot be swapped. Files only (the metrics write
    no sub-folders); the caller owns ``stage`` and removes it, whether this ran or failed."""
    out = Path(out)
    names = sorted(p.name for p in Path(stage).iterdir() if p.is_file())
    for name in names:
        os.replace(Path(stage) / name, out / name)
    listed = out / manifest
    if listed.is_file():
        for old in listed.read_text(encoding="utf-8").splitlines():
            if old and old not in names and "/" not in old and "\\" not in old and not old.startswith("."):
                (out / old).unlink(missing_ok=True)
    tmp = out / f"{manifest}.tmp"
    tmp.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    os.replace(tmp, listed)
    return [out / n for n in names]
