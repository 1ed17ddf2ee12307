"""The layout's and the lexer's shortcuts change nothing: caches, fast paths and cheaper classes.

Scanning caches the shapes of lines, cells and chunks of label text (keyed by their text) and stamps
each occurrence with its own line and column; the lexer caches what each label holds; folding
replaces the foldable characters one distinct character at a time. Each is checked here against the
plain way: caches cleared, caches bypassed (every text taken as too long to cache), ``str.translate``.
"""

from __future__ import annotations

import gc
import pathlib
from collections.abc import Iterator

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from lark import Token

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


@given(st.lists(st.sampled_from(CELLS), min_size=2), st.sampled_from(["\t", "|"]))
def test_inline_cells_read_as_scan_cell(cells: list[str], separator: str) -> None:
    """Empty cells and counts, read inline in a line that keeps cells, read as _scan_cell reads them."""
    line = "\t".join(cells) if separator == "\t" else "|" + "|".join(cells) + "|"
    assume(not layout.is_furniture(fold(line)))  # "-\t0\t-" reads as a page number, "- 0 -": no cells
    expected, col = [], 0 if separator == "\t" else 1
    for cell in cells:
        expected += [(k, t, r, c + col, g) for k, t, r, c, g in layout._scan_cell(fold(cell), cell, True)]
        col += len(cell) + 1
    assert layout._line_shapes(fold(line), line) == (True, tuple(expected), layout._line_class(tuple(expected)))


@given(st.text(alphabet="0123456789 \t\u3000", min_size=1, max_size=12))
def test_a_count_alone_on_its_line_reads_as_scan_cell(line: str) -> None:
    """A line of one ASCII count (read without _scan_cell) is what the general scan makes of it."""
    folded = fold(line)
    shapes = layout._line_shapes.fresh(folded, line)  # type: ignore[attr-defined]
    if folded.strip().isdigit() and "\t" not in line:
        assert shapes == (False, layout._scan_cell(folded, line, False), layout._ALONE)


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


def test_vocabulary_find_hands_out_the_cached_answer_unchangeable() -> None:
    vocabulary = editions.vocabulary(editions.all_editions())
    found = vocabulary.find(3, "（一）予以公开")
    assert found and isinstance(found, tuple) and found is vocabulary.find(3, "（一）予以公开")
    long_label = "（一）予以公开" * 50
    assert vocabulary.find(3, long_label) == vocabulary._search(3, long_label)


# -- the classes -----------------------------------------------------------------------------------


@given(texts)
def test_lines_made_of_items_read_as_scanned_lines(text: str) -> None:
    """A Line made of its items (its shapes then taken from them) reads as the scanned line it copies."""
    scanned = _zone(text)
    copies = [Line(line.items, line.positional) for line in scanned]
    assert copies == scanned and [hash(c) for c in copies] == [hash(s) for s in scanned]
    assert [repr(c) for c in copies] == [repr(s) for s in scanned]
    rows = build_rows(scanned)
    assert build_rows(copies) == rows
    assert layout.is_vertical(copies) == layout.is_vertical(scanned)
    for row in rows:  # values set by build_rows, as worked out from the cells
        fresh = RawRow(row.label, row.cells, row.line, row.column, row.positional)
        assert (row.values, row.glued) == (fresh.values, fresh.glued)


@given(st.lists(st.lists(st.sampled_from([Kind.NUMBER, Kind.TEXT, Kind.EMPTY]), max_size=4), max_size=30))
def test_is_vertical_counts_lines_of_one_number_and_of_several(kinds: list[list[Kind]]) -> None:
    lines = [
        Line(tuple(Item(k, "1", "1", n + 1, c + 1) for c, k in enumerate(ks)), False) for n, ks in enumerate(kinds)
    ]
    alone = sum(1 for ks in kinds if ks == [Kind.NUMBER])
    across = sum(1 for ks in kinds if len(ks) > 1 and ks.count(Kind.NUMBER) >= 2)
    assert layout.is_vertical(lines) == (alone > across and alone >= 3)
    # what each line is, as the shape caches keep it
    for line, ks in zip(lines, kinds, strict=True):
        expected = layout._ALONE if ks == [Kind.NUMBER] else layout._ACROSS if ks.count(Kind.NUMBER) >= 2 else 0
        assert layout._line_class(line._shapes) == expected


def test_a_line_is_the_items_of_one_line() -> None:
    with pytest.raises(ValueError, match="stand on that line"):
        Line((Item(Kind.NUMBER, "1", "1", 3, 4), Item(Kind.NUMBER, "2", "2", 4, 1)), False)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_tokens_are_lark_tokens(seed: pathlib.Path) -> None:
    """Tokens made in place (lexer._token) are the tokens Lark's constructor makes, payloads and all."""
    assert lexer._FAST_TOKENS  # the Lark installed has the slots known to the lexer
    text = seed.read_text(encoding="utf-8")
    vocabulary = editions.vocabulary(editions.all_editions())
    folded = fold(text)
    index = LineIndex(folded)
    for span in find_sections(folded, index):
        if span.number not in (2, 3, 4):
            continue
        for token in tokens_for_section(
            span.number, build_rows(scan_zone(text, folded, span.body_start, span.end, index)), vocabulary
        ):
            p = token.value
            fresh = Payload(p.label, p.row, p.line, p.column)
            lark = Token(token.type, fresh, None, p.line, p.column)
            assert type(token) is Token and str(token) == str(lark) == p.label
            assert all(getattr(token, slot) == getattr(lark, slot) for slot in Token.__slots__)
            assert p.has_values == fresh.has_values  # set as the token is made, as worked out from the row


def test_items_rows_lines_payloads_compare_and_hash_by_value() -> None:
    def item() -> Item:
        return Item(Kind.NUMBER, "1", "１", 3, 4)

    def row() -> RawRow:
        return RawRow("总计", (item(), Item(Kind.EMPTY, "", "", 3, 6)), 3, 1, True)

    a, b = row(), row()
    assert a.values == (item(),) and not a.glued  # worked out as the row is made
    assert a == b and hash(a) == hash(b) and repr(a) == repr(b)
    assert a._replace(label="其他").values == a.values
    assert Line((item(),), False) == Line((item(),), False)
    assert hash(Line((item(),), False)) == hash(Line((item(),), False))
    assert Payload("总计", a, 3, 1) == Payload("总计", b, 3, 1) and Payload("总计", a, 3, 1).has_values
    assert len({item(), item(), item()._replace(glued=True)}) == 2


@given(st.text(alphabet="ab\n", max_size=60), st.lists(st.integers(0, 60), max_size=12))
def test_line_index_positions_in_any_order(text: str, offsets: list[int]) -> None:
    """LineIndex counts from the last offset asked for, or from the start for an earlier one: any
    order of offsets gives the positions the line starts give."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    index = LineIndex(text)
    for offset in [min(o, len(text)) for o in offsets]:
        line = max(n for n, s in enumerate(starts, 1) if s <= offset)
        assert index.position(offset) == (line, offset - starts[line - 1] + 1)


@pytest.mark.parametrize(
    "line",
    ["规章\t0\t12\t/\t", "| 行政许可 | 3 | — | |", "（一）予以公开 1 0 2", "00000002.其他 85.64 万", "17"],
)
def test_cached_shapes_leave_the_collector(line: str) -> None:
    """The shapes the caches keep hold strings, ints and bools only, so collections untrack them:
    tens of thousands are cached, and tracked ones would be gone through at every full collection."""
    layout._line_shapes.cache_clear()  # type: ignore[attr-defined]
    cached = layout._line_shapes(fold(line), line)
    assert cached is not None
    for _ in range(3):  # a collection untracks a tuple whose items are untracked: one level per collection
        gc.collect()
    assert not gc.is_tracked(cached)
    assert not any(gc.is_tracked(shape) for shape in cached[1])
    # and a line made from the same shapes still gives its items their Kind
    items = [
        i for row in build_rows(scan_zone(line, fold(line), 0, len(line), LineIndex(fold(line)))) for i in row.cells
    ]
    assert items and all(isinstance(i.kind, Kind) for i in items)


@given(
    st.lists(
        st.sampled_from(
            ["发布时间：", "发布日期: ", "成文日期：", "发布", "成文", "2024年3月5日", "2024-03-05", "\n", "正文", "日"]
        ),
        max_size=12,
    ),
    st.integers(0, 5200),
)
def test_publication_date_searched_from_its_first_word(pieces: list[str], pad: int) -> None:
    """The publication date is searched for from the first "发布" or "成文日期" in the first 5,000
    characters: the match the regex finds searching them all."""
    from gxgk import meta

    folded = "文" * pad + "".join(pieces)
    m = meta._PUBLISHED.search(folded, 0, 5000)
    expected = None
    if m:
        y, mo, d = (int(g) for g in m.groups()[-3:])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            expected = f"{y:04d}-{mo:02d}-{d:02d}"
    if m or not meta._DATE.search(folded[-300:]):  # no closing date read in its place
        assert meta._date(folded, (), None) == expected


@given(st.text(alphabet=st.sampled_from([*"-：(1)。a Zz一龥㐀\u33ff\ua000ａ", "\U00020001"])))
def test_a_word_is_a_cjk_character_or_a_latin_letter(text: str) -> None:
    """Label text names a row when it holds what the pattern [\u3400-\u9fffA-Za-z] finds."""
    import re

    assert layout._has_word(text) == bool(re.search("[\u3400-\u9fffA-Za-z]", text))
    assert layout._text_code(text) == (layout._TEXT if layout._has_word(text) else layout._PUNCT)
