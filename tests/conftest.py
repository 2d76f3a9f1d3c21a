"""Shared test set-up: headless matplotlib, figures closed after each test, shared paths."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
SHARED_EXTERNAL = REPO.parent / "shared" / "external"
DATA_SAMPLES = REPO / "data_samples"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


@pytest.fixture
def shared_external() -> Path:
    if not SHARED_EXTERNAL.exists():
        pytest.skip(f"../shared/external not found beside the checkout ({SHARED_EXTERNAL})")
    return SHARED_EXTERNAL
