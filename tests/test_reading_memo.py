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


@pytest.mark.parametrize("path", SEED_TEXTS[:2], ids=lambda p: p.name)
def test_readings_with_equal_plans_are_placed_once(path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both editions read section 四 alike: its cells are placed once, for both readings."""
    placed: list[tuple[str, object]] = []
    original = parser.place_table

    def counted(table: str, plan: object, tokens: object, *, defer: bool = False) -> object:
        assert defer  # the readings are compared unplaced short rows aside (place_deferred places them)
        placed.append((table, plan))
        return original(table, plan, tokens, defer=defer)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "place_table", counted)
    fresh = _fresh(path)
    assert [t for t, _ in placed].count("appeals") == 1
    assert len(placed) == len({(t, p) for t, p in placed})  # no plan placed twice
    assert fresh.review is not None and fresh.review.total.raw is not None


@pytest.mark.parametrize("path", SEED_TEXTS, ids=lambda p: p.name)
def test_a_plan_holds_its_editions_kinds(path: pathlib.Path) -> None:
    """Placing depends on the edition only through the kinds of its cells (an amount or a count), so a
    plan holds them: editions whose plans of a table are equal place it alike, and share the placement."""
    from gxgk import editions
    from gxgk.placement import _Row

    _fresh(path)
    checked = 0
    for (name, _, _, _), (_, plan, _) in parser._MEMO.items():
        if plan is None:
            continue
        edition = editions.get(name)
        for step in plan.steps:
            if isinstance(step, _Row):
                assert step.kinds == tuple(edition.kind(k) for k in step.keys)
                assert step.amounts == tuple(k == "amount_wan_yuan" for k in step.kinds)
                checked += len(step.keys)
    assert checked > 300  # every table, with both editions
