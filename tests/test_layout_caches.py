"""The layout's and the lexer's shortcuts change nothing: caches, fast paths and cheaper classes.

Scanning caches the shapes of lines, cells and chunks of label text (keyed by their text) and stamps
each occurrence with its own line and column; the lexer caches what each label holds; folding
replaces the foldable characters one distinct character at a time. Each is checked here against the
plain way: caches cleared, caches bypassed (every text taken as too long to cache), ``str.translate``.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxgk import editions, layout, lexer
from gxgk.layout import Item, Kind, Line, LineIndex, RawRow, build_rows, find_sections, scan_zone
from gxgk.lexer import Payload, tokens_for_section
from gxgk.text import FOLD, fold

SEEDS = sorted((pathlib.Path(__file__).resolve().parent / "data" / "seeds").glob("*.txt"))

# Pieces of table text in every layout gxgk reads, with the characters folding changes.
PIECES = [
    *"0123456789０１２３４５６７８９ \t\t|\n\n.、。；:：()（）-—–/\\_~无空万元年位,，+",
    *"\u3000\u00a0\u2002\r\u2212\uff61\u2015\u200b",
    "（一）予以公开",
    "1.属于国家秘密",
    "2.其他",
    "总计",
    "自然人",
    "结果维持",
    "注：",
    "- 4 -",
    "第 3 页 共 5 页",
    "|---|---|",
    "| ",
    " |",
    "0000000",
    "85.64 万",
    "20(含服务)",
    "三、收到和处理政府信息公开申请情况\n",
    "一、本年新收政府信息公开申请数量12000000012",
]
texts = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


def _zone(text: str, start: int = 0) -> list[Line]:
    folded = fold(text)
    return scan_zone(text, folded, start, len(text), LineIndex(folded))


def _clear_caches() -> None:
    for cached in (layout._line_shapes, layout._positional_cell, layout._scan_chunk):
        cached.cache_clear()  # type: ignore[attr-defined]


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every text taken as too long to cache: scanned, and labels searched, each time."""
    monkeypatch.setattr(layout, "_MAX_CACHED_TEXT", -1)
    monkeypatch.setattr(lexer, "_MAX_CACHED_LABEL", -1)
    yield


# -- folding ---------------------------------------------------------------------------------------


def test_fold_changes_no_character_into_one_it_changes() -> None:
    """Replacing one foldable character at a time folds only because no target is itself folded."""
    assert all(FOLD.get(target, target) == target for target in FOLD.values())


@given(st.text(alphabet=st.sampled_from([*map(chr, FOLD), *"a一，\n\t é😀"])))
def test_fold_is_translate(text: str) -> None:
    folded = fold(text)
    assert folded == text.translate(FOLD) and len(folded) == len(text)


def test_fold_with_every_foldable_character() -> None:
    text = "".join(map(chr, FOLD)) * 3 + "政府信息公开"
    assert fold(text) == text.translate(FOLD)


# -- scanning --------------------------------------------------------------------------------------


def _at_position(lines: list[Line], text: str) -> None:
    """Each item's folded and source text stand at its line and column (a number and its unit apart)."""
    folded_lines, raw_lines = fold(text).split("\n"), text.split("\n")
    for line in lines:
        for item in line.items:
            at = item.column - 1
            if item.kind is Kind.NUMBER and item.text.endswith(("万", "元")) and " " in item.raw:
                continue  # "85.64 万": the unit joined to its number
            assert folded_lines[item.line - 1][at : at + len(item.text)] == item.text
            assert raw_lines[item.line - 1][at : at + len(item.raw)] == item.raw


@given(texts)
def test_scan_is_the_same_cached_and_not(text: str) -> None:
    _clear_caches()
    cold, warm = _zone(text), _zone(text)
    assert cold == warm
    _at_position(cold, text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(layout, "_MAX_CACHED_TEXT", -1)
        assert _zone(text) == cold


@given(texts, st.integers(min_value=0, max_value=5), st.text(alphabet="一、 \t", max_size=4))
def test_a_repeated_line_gets_each_occurrences_position(line: str, blank_lines: int, before: str) -> None:
    """A line scanned once (then cached) is placed at each of its lines, the zone's first line mid-line."""
    line = line.replace("\n", "")
    text = before + line + "\n" * (blank_lines + 1) + line + "\n" + line
    lines = _zone(text, start=len(before))
    _at_position(lines, text)
    if lines and lines[0].items[0].line == 1:
        assert all(i.column > len(before) for i in lines[0].items)


CELLS = ["", " ", "0", " 12 ", "007", "３", "\u3000４", "-", "无", "（一）予以公开", "85.64 万"]


@given(st.lists(st.sampled_from(CELLS), min_size=2))
def test_inline_cells_read_as_scan_cell(cells: list[str]) -> None:
    """Empty cells and counts, read inline in a line that keeps cells, read as _scan_cell reads them."""
    line = "\t".join(cells)
    expected, col = [], 0
    for cell in cells:
        expected += layout._shifted(layout._scan_cell(fold(cell), cell, True), col)
        col += len(cell) + 1
    assert layout._line_shapes(fold(line), line) == (True, tuple(expected))


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_digits_read_as_the_number_pattern_reads_them(digits: str) -> None:
    """A chunk of ASCII digits (read without a regex) is what _scan_chunk's patterns make of it."""
    assert layout._scan_cell(digits, digits, False) == layout._scan_chunk.__wrapped__(digits, digits)


def test_long_lines_are_not_cached() -> None:
    _clear_caches()
    line = "（一）予以公开 0 0 0 0 0 0 0 " * 40
    assert len(line) > layout._MAX_CACHED_TEXT
    assert _zone(line) == _zone(line)
    assert layout._line_shapes.cache_info().currsize == 0  # type: ignore[attr-defined]
    for cached in (layout._line_shapes, layout._positional_cell, layout._scan_chunk):
        assert cached.cache_info().maxsize == layout._CACHE_SIZE  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_rows_and_tokens_are_the_same_cached_and_not(seed: pathlib.Path, uncached: None) -> None:
    text = seed.read_text(encoding="utf-8")
    vocabulary = editions.vocabulary(editions.all_editions())

    def read() -> list[tuple[list[RawRow], list[tuple[str, Payload]]]]:
        folded = fold(text)
        index = LineIndex(folded)
        out = []
        for span in find_sections(folded, index):
            rows = build_rows(scan_zone(text, folded, span.body_start, span.end, index))
            tokens = tokens_for_section(span.number, rows, vocabulary) if span.number in (2, 3, 4) else []
            out.append((rows, [(t.type, t.value) for t in tokens]))
        return out

    plain = read()  # nothing cached (the fixture)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(layout, "_MAX_CACHED_TEXT", 200)
        m.setattr(lexer, "_MAX_CACHED_LABEL", 200)
        _clear_caches()
        assert read() == plain
        assert read() == plain  # from the caches


# -- the lexer -------------------------------------------------------------------------------------


def test_vocabulary_find_hands_out_its_own_list() -> None:
    vocabulary = editions.vocabulary(editions.all_editions())
    found = vocabulary.find(3, "（一）予以公开")
    assert found and found == vocabulary.find(3, "（一）予以公开")
    found.clear()
    assert vocabulary.find(3, "（一）予以公开")  # the cached answer is untouched
    long_label = "（一）予以公开" * 50
    assert vocabulary.find(3, long_label) == list(vocabulary._search(3, long_label))


# -- the classes -----------------------------------------------------------------------------------


def test_items_rows_lines_payloads_compare_and_hash_by_value() -> None:
    def item() -> Item:
        return Item(Kind.NUMBER, "1", "１", 3, 4)

    def row() -> RawRow:
        return RawRow("总计", (item(), Item(Kind.EMPTY, "", "", 3, 6)), 3, 1, True)

    a, b = row(), row()
    assert a.values == (item(),)  # worked out once, then kept: no part of equality, hash or repr
    assert a == b and hash(a) == hash(b) and repr(a) == repr(b)
    assert attrs.evolve(a, label="其他").values == a.values
    assert Line((item(),), False) == Line((item(),), False)
    assert hash(Line((item(),), False)) == hash(Line((item(),), False))
    assert Payload("总计", a, 3, 1) == Payload("总计", b, 3, 1) and Payload("总计", a, 3, 1).has_values
    assert len({item(), item(), attrs.evolve(item(), glued=True)}) == 2
