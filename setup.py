"""Build hook only (metadata is in pyproject.toml).

The wheel carries the top-level ``notebooks/`` and ``data_samples/`` (they stay where they are in
the checkout, DESIGN §1) as ``callkit/data/notebooks`` and ``callkit/data/samples``: the
places ``callkit.report`` looks for the audit notebook and ``callkit demo``'s inputs when callkit
is installed without a checkout. An editable install reads them from the checkout instead.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"notebooks": "notebooks", "data_samples": "samples"}   # checkout folder -> callkit/data/<name>


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for src, name in BUNDLED.items():
            target = Path(self.build_lib) / "callkit" / "data" / name
            shutil.copytree(ROOT / src, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "out"))


setup(cmdclass={"build_py": BuildPyWithData})
