"""Readings replayed from the memo (:data:`gxgk.parser._MEMO`) equal fresh LALR readings.

A table's reading depends only on its tokens' terminals and on which carry values, so tables with
the same signature share one reading; these tests parse every layout of the seeds and real reports
with the memo cleared before each parse and with it warm, and compare the reports whole.
"""

from __future__ import annotations

import pathlib
import re

import pytest

import gxgk
from gxgk import parser
from paths import REAL, SEEDS

SEED_TEXTS = sorted(SEEDS.glob("*.txt"))
DOCUMENTS = [*SEED_TEXTS, *(p for p in sorted(REAL.iterdir()) if not p.name.endswith(".json") and "2018" not in p.name)]


def _fresh(source: str | pathlib.Path) -> gxgk.Report:
    parser._MEMO.clear()
    return gxgk.parse(source)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_replayed_reading_equals_fresh_reading(path: pathlib.Path) -> None:
    fresh = _fresh(path)
    assert parser._MEMO, "the tables' readings are remembered"
    warm = gxgk.parse(path)
    assert warm == fresh
    assert warm.diagnostics == fresh.diagnostics  # compared by value, positions included
    assert [(k, c.line, c.column, c.raw) for k, c in warm.cells()] == [
        (k, c.line, c.column, c.raw) for k, c in fresh.cells()
    ]


def test_a_replayed_reading_takes_the_values_and_positions_of_its_own_report() -> None:
    text = SEED_TEXTS[0].read_text(encoding="utf-8")
    first = _fresh(text)
    entries = len(parser._MEMO)
    # the same tables with other numbers, two lines further down: the same signatures
    changed = "\n\n" + re.sub(r"(?<=\t)(\d+)(?=\t|\n)", lambda m: str(int(m.group(1)) + 7), text)
    second = gxgk.parse(changed)
    assert len(parser._MEMO) == entries, "no new reading: every table replayed"
    assert second == _fresh(changed)
    moved = [
        (k, a.value, b.value, a.line, b.line) for (k, a), (_, b) in zip(first.cells(), second.cells(), strict=True)
    ]
    assert any(b != a for _, a, b, _, _ in moved if a is not None)
    assert all(lb == la + 2 for _, _, _, la, lb in moved if la is not None)
