"""Mutations of a file's content for the property and fuzz tests (text or bytes alike).

An op is ``(kind, position, argument)``: ``insert`` (argument inserted), ``long`` (that many
``x``), ``delete`` (that many characters), ``swapdelim`` (one character replaced by the
argument), ``truncate``, ``dupline`` / ``dropline`` (the line at the position), ``encode``
(bytes only: the whole content re-encoded, e.g. ``utf-16``). Positions wrap around the length.
"""
from __future__ import annotations

from typing import TypeVar

T = TypeVar("T", str, bytes)


def mutate(data: T, ops: list[tuple]) -> T:
    """``data`` with ``ops`` applied in order (see the module docstring)."""
    nl = b"\n" if isinstance(data, bytes) else "\n"
    for kind, pos, arg in ops:
        if not data:
            break
        pos %= len(data)
        if kind == "insert":
            data = data[:pos] + arg + data[pos:]
        elif kind == "long":
            data = data[:pos] + (b"x" if isinstance(data, bytes) else "x") * arg + data[pos:]
        elif kind == "delete":
            data = data[:pos] + data[pos + arg:]
        elif kind == "swapdelim":
            data = data[:pos] + arg + data[pos + 1:]
        elif kind == "truncate":
            data = data[:pos]
        elif kind in ("dupline", "dropline"):
            lines = data.split(nl)
            i = pos % len(lines)
            lines[i:i + 1] = [lines[i]] * (2 if kind == "dupline" else 0)
            data = nl.join(lines)
        elif kind == "encode":
            data = data.decode("utf-8", errors="replace").encode(arg, errors="replace")
    return data
