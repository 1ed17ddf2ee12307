"""Where the tests' data lives (copies inside the repository, see tests/data/README.md)."""

from __future__ import annotations

import pathlib

DATA = pathlib.Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"
GOLD = DATA / "gold"
REAL = DATA / "real"
ROOT = DATA.parent.parent
