"""The search for a glued row's splits (gxgk.placement) finds what trying every cut would, in the same order;
the cell values gxgk.glue reads for the table's equations are those of ``Report.cell``.

The reference for the splits is the plain definition: every combination of cut positions
(``itertools.combinations``, in its order), each cell a well-formed number of its column's kind, the
row's own sums holding; and nothing at all when there are more than 20,000 combinations to try.
"""

from __future__ import annotations

import itertools
import math
import pathlib
import random
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxgk import parse, placement
from gxgk.glue import _values
from gxgk.placement import _CELL_TEXT, _consistent, _row_sums, _splits, split_candidates
from gxgk.rules.builtin import report_equations
from paths import SEEDS

APPLICANT = placement._APPLICANT_NAMES
APPEAL = tuple(f"c{i}" for i in range(15))


def reference(pieces: Sequence[str], names: Sequence[str], kinds: Sequence[str] | None) -> list[tuple[str, ...]]:
    n = len(names)
    extra = n - len(pieces)
    total_cuts = sum(len(p) - 1 for p in pieces)
    if extra < 0 or extra > total_cuts or math.comb(total_cuts, extra) > placement._MAX_SPLITS:
        return []
    patterns = [_CELL_TEXT.get(k, _CELL_TEXT["count"]) for k in kinds] if kinds else [_CELL_TEXT["count"]] * n
    positions = [(i, j) for i, p in enumerate(pieces) for j in range(1, len(p))]
    out = []
    for chosen in itertools.combinations(positions, extra):
        cells = []
        for i, p in enumerate(pieces):
            start = 0
            for j in sorted(j for k, j in chosen if k == i):
                cells.append(p[start:j])
                start = j
            cells.append(p[start:])
        if all(pat.fullmatch(c) for pat, c in zip(patterns, cells, strict=True)):
            out.append(tuple(cells))
    return out


@st.composite
def glued_rows(draw: st.DrawFn) -> tuple[list[str], tuple[str, ...], list[str]]:
    """A row's cells (mostly adding up, as in a report), glued into one to four runs of digits."""
    shape = draw(st.sampled_from(["applicant", "appeal", "plain3", "plain2"]))
    names = {"applicant": APPLICANT, "appeal": APPEAL, "plain3": ("a", "b", "c"), "plain2": ("a", "b")}[shape]
    kinds = [draw(st.sampled_from(["count", "count", "delta", "amount_wan_yuan"])) for _ in names]
    big = draw(st.booleans())
    cells = [str(draw(st.sampled_from([0, 0, 1, 7]) | st.integers(0, 10_000 if big else 99))) for _ in names]
    if draw(st.booleans()):
        for f, t in _row_sums(names):
            cells[t] = str(sum(int(c) for c in cells[f:t]))
    if draw(st.booleans()):  # a sign, a decimal point or a full-width digit somewhere
        at = draw(st.integers(0, len(names) - 1))
        cells[at] = draw(st.sampled_from(["-", ".", "１", "0"])).join([cells[at][:1], cells[at][1:]])
    cuts = sorted(draw(st.sets(st.integers(1, len(names) - 1), max_size=3)))
    pieces = ["".join(cells[a:b]) for a, b in itertools.pairwise([0, *cuts, len(names)])]
    return pieces, names, kinds


@given(glued_rows(), st.booleans())
def test_splits_are_those_of_every_combination(row: tuple[list[str], tuple[str, ...], list[str]], exact: bool) -> None:
    pieces, names, kinds = row
    expected = [c for c in reference(pieces, names, kinds) if _consistent(c, names)]
    saved = placement._EXACT_BOUNDS_FROM
    placement._EXACT_BOUNDS_FROM = 0 if exact else 10**9  # both ways of bounding the sums
    _splits.cache_clear()
    try:
        assert list(_splits(tuple(pieces), len(names), tuple(kinds), _row_sums(names))) == expected
    finally:
        placement._EXACT_BOUNDS_FROM = saved
        _splits.cache_clear()
    assert list(split_candidates(pieces, len(names), kinds)) == reference(pieces, names, kinds)
    assert list(split_candidates(pieces, len(names))) == reference(pieces, names, None)


@pytest.mark.parametrize("seed", range(3))
def test_long_rows_near_the_limit(seed: int) -> None:
    # 7 and 15 cells in one run of up to 20 digits: up to 20,000 combinations, or too many (nothing)
    rng = random.Random(seed)
    for _ in range(40):
        names = rng.choice([APPLICANT, APPEAL])
        cells = [str(rng.choice([0, rng.randint(1, 9), rng.randint(10, 999)])) for _ in names]
        for f, t in _row_sums(names):
            cells[t] = str(sum(int(c) for c in cells[f:t]))
        pieces = ["".join(cells)]
        expected = [c for c in reference(pieces, names, None) if _consistent(c, names)]
        assert list(_splits(tuple(pieces), len(names), None, _row_sums(names))) == expected


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt"))[:2], ids=lambda p: p.name)
def test_values_are_those_of_report_cell(seed: pathlib.Path) -> None:
    report = parse(seed.read_text(encoding="utf-8"))
    keys = [key for key, _ in report.cells()]
    keys += ["applications.nowhere.total", "applications.total.nobody", "nowhere", "agency", "applications"]

    def value(key: str) -> object:
        try:
            return report.cell(key).value
        except KeyError:
            return None

    keys += [key for eq in report_equations(report) for key in eq.keys]
    values = _values(report)
    assert {key: values.get(key) for key in keys} == {key: value(key) for key in keys}
