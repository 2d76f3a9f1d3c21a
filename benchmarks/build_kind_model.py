"""Fit the bundled call-kind model and write ``callkit/data/kind_model.npz`` (plain arrays and
the fingerprint of the phrasings, lexicon and features it was fitted from).

Run after changing the bundled phrasings (``callkit/data/kind_*.yaml``), the lexicon
(``callkit.speech.kind.CONCEPTS``), the small-talk words or the features:
``python benchmarks/build_kind_model.py``. ``tests/test_speech_kind.py`` fails on a stale model.
"""
from __future__ import annotations

import time

from callkit.speech.kind import build_bundled_model

if __name__ == "__main__":
    t, c = time.perf_counter(), time.process_time()
    path = build_bundled_model()
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB) in {time.perf_counter() - t:.1f} s "
          f"({time.process_time() - c:.1f} s CPU)")
