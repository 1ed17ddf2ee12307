"""Layout normalisation: from text in any of the layouts reports arrive in to rows of items.

The stages, each linear in the text:

1. :func:`find_sections` finds the six section headings (at a line start or inline, as in text
   flattened from a web page).
2. :func:`scan_zone` splits the text of a table section into lines and cells (markdown pipes, tabs,
   or a whole line for PDF-like and one-cell-per-line text) and each cell into :class:`Item` s:
   label text, numbers, blank marks ("/", "—") and empty cells, each with its line and column.
3. :func:`build_rows` groups the items into :class:`RawRow` s — a run of label text and the values
   after it — knowing whether lines end rows (tables printed across) or not (one cell per line).

The lexer (:mod:`gxgk.lexer`) then names each row by the edition grammars' terminals.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

__all__ = [
    "SECTION_TITLES",
    "Item",
    "Kind",
    "Line",
    "LineIndex",
    "RawRow",
    "SectionSpan",
    "build_rows",
    "find_sections",
    "scan_zone",
]

#: Section headings: the numeral and the words of each heading of the template.
_SECTION_WORDS: dict[int, str] = {
    1: r"总体情况",
    2: r"主动公开政府信息(?:情况)?",
    3: r"收到和处理政府信息公开申请(?:情况)?",
    4: r"(?:政府信息公开)?行政\S{0,2}?复议[、,]?\s*行政诉讼(?:情况)?",  # "行政法复议" occurs
    5: r"存在的主要问题(?:及改进情况)?",
    6: r"其[他它]需要报告的事项",
}
#: The six headings as the template prints them.
SECTION_TITLES: dict[int, str] = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}
_NUMERALS = "一二三四五六"
_SECTION_RE = re.compile(
    r"(?P<num>[一二三四五六])\s*[、.,]\s*(?:"
    + "|".join(f"(?P<s{n}>{words})" for n, words in _SECTION_WORDS.items())
    + ")"
)


@attrs.frozen
class SectionSpan:
    """A section heading found in the text: its number, heading and body offsets, 1-based line."""

    number: int
    title: str
    start: int
    body_start: int
    line: int
    end: int = -1


class LineIndex:
    """Offsets to 1-based (line, column) in one text, by bisection over line starts."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def find_sections(folded: str, index: LineIndex) -> list[SectionSpan]:
    """The headings 一 … 六 in order of position, each section at most once.

    For each number the first heading after the previous section's heading is taken (a report's table
    of contents in its preamble has no numerals, so it does not match); ``end`` is where the next
    section found begins, or the end of the text.
    """
    found: dict[int, re.Match[str]] = {}
    last = -1
    for m in _SECTION_RE.finditer(folded):
        number = int(m.lastgroup[1:])  # type: ignore[index]  # the group "s<n>" of the words matched
        if number in found or m.start() < last:
            continue
        # a heading of a later section than one already found, earlier sections missing: keep it
        if any(n > number for n in found):
            continue
        found[number] = m
        last = m.start()
    matches = sorted(found.items(), key=lambda nm: nm[1].start())
    spans = []
    for i, (number, m) in enumerate(matches):
        end = matches[i + 1][1].start() if i + 1 < len(matches) else _report_end(folded, m.end())
        line, _ = index.position(m.start())
        spans.append(SectionSpan(number, m.group(0).strip(), m.start(), m.end(), line, end))
    return spans


# Site chrome that follows a report on an agency's page: the report ends before it.
_CHROME = re.compile(
    r"^[ 	]*(?:附件(?:下载)?[:：]?|扫一扫|【?打印本页】?|【?关闭窗口】?|友情链接|版权所有|主办单位|承办单位|网站标识码|"
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备|上一篇|下一篇|相关(?:链接|文章|阅读)|分享到)",
    re.M,
)


def _report_end(folded: str, start: int) -> int:
    """Where the last section ends: at the first line of site chrome after it, else the text's end."""
    m = _CHROME.search(folded, start)
    return m.start() if m else len(folded)


class Kind(enum.Enum):
    """What an item of a table line is."""

    TEXT = "text"
    NUMBER = "number"
    MARK = "mark"  # "/", "—", "-", "无": a cell printed as blank
    EMPTY = "empty"  # an empty cell in a layout that keeps cells (tabs, pipes)


# Item, RawRow and Line are made by the hundred per report: slotted attrs classes that are not frozen
# construct about three times faster (a frozen class sets each field through object.__setattr__).
# Treat them as immutable all the same: they compare and hash by value (``unsafe_hash``), as before.


@attrs.define(unsafe_hash=True)
class Item:
    """One piece of a table line: its kind, folded text, source text and 1-based position.

    ``glued`` marks a number that touches label text with no separator (text flattened from a
    web page): it may hold several cells' digits.
    """

    kind: Kind
    text: str
    raw: str
    line: int
    column: int
    glued: bool = False


@attrs.define(unsafe_hash=True)
class RawRow:
    """A run of label text and the values after it, as the layout gives them."""

    label: str
    cells: tuple[Item, ...]
    line: int
    column: int
    positional: bool
    # ``values``, worked out on first use: the lexer, the parser and the placement all ask
    _values: tuple[Item, ...] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def values(self) -> tuple[Item, ...]:
        """The cells that hold something: numbers and blank marks."""
        if self._values is None:
            self._values = tuple(c for c in self.cells if c.kind in (Kind.NUMBER, Kind.MARK))
        return self._values


# A whole cell that is a number: digits with separators, an optional sign, unit and note.
_NUMBER_CELL = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元|件|个|项|次|条)?\s*(?:\([^()]{0,30}\))?")
_MARK_CELL = re.compile(r"[-—–/\\_~]+|无|空|——")
_UNITS = frozenset({"万元", "万", "元"})  # a unit written apart from its number: "85.64 万"
_LEADING_ZERO = re.compile(r"0\d+")
# Pieces of a cell that is not a whole number: parenthesised text, numbering, numbers, text.
_PIECE = re.compile(
    r"(?P<paren>\([^()]{0,80}\))"
    r"|(?P<num>-?\d+(?:\.\d+)?)(?P<unit>万元|万|元)?"  # a sign glued to digits is the number's: "8-500"
    r"|(?P<text>[^\d(]+|\()"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z]")
_DATE_SUFFIX = "年月日号时期届批次位"  # "2020年", "保留4位小数": part of the text
_PROSE_MARKS = ("。", "；")
_FURNITURE = re.compile(
    r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}"
)


_SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")


def _is_separator(cells: Sequence[str]) -> bool:
    return all(_SEPARATOR_CELL.fullmatch(c) for c in cells if c.strip()) and any(c.strip() for c in cells)


def _split_line(line: str) -> tuple[list[tuple[str, int]], bool]:
    """The cells of one folded line with their 0-based column, and whether the layout keeps cells."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        start = line.index("|")
        parts = line[start + 1 :].split("|")
        if parts and not parts[-1].strip():
            parts = parts[:-1]
        if _is_separator(parts):
            return [], True
        cells, col = [], start + 1
        for p in parts:
            cells.append((p, col))
            col += len(p) + 1
        return cells, True
    if "\t" in line:
        cells, col = [], 0
        for p in line.split("\t"):
            cells.append((p, col))
            col += len(p) + 1
        return cells, True
    return [(line, 0)], False


# Scanning works on shapes: an item without its line, as (kind, text, raw, column, glued) with the
# column counted from 0 at the start of the text scanned (a line, a cell, a chunk). scan_zone turns
# the shapes of a line into Items at the line's position.
_Shape = tuple[Kind, str, str, int, bool]
_Shapes = tuple[_Shape, ...]

# Reports repeat the template's lines, labels and small numbers, within a report and from one report
# to the next: the shapes of a line, a cell and a chunk of label text are worked out once per distinct
# text (and source text) and kept in an LRU cache. The caches are bounded: at most _CACHE_SIZE
# entries each, of texts at most _MAX_CACHED_TEXT characters long; longer texts (a page flattened
# into one line) are scanned afresh each time.
_MAX_CACHED_TEXT = 200
_CACHE_SIZE = 4096

_R = TypeVar("_R")


def _cached_for_short_text(function: Callable[[str, str], _R]) -> Callable[[str, str], _R]:
    """``function(text, raw)``, cached for texts up to _MAX_CACHED_TEXT characters long."""
    cached = functools.lru_cache(maxsize=_CACHE_SIZE)(function)

    @functools.wraps(function)
    def scan(text: str, raw: str) -> _R:
        return cached(text, raw) if len(text) <= _MAX_CACHED_TEXT else function(text, raw)

    scan.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    scan.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return scan


def _shifted(shapes: Iterable[_Shape], offset: int) -> list[_Shape]:
    """``shapes`` with their columns moved by ``offset``."""
    return [(k, t, r, c + offset, g) for k, t, r, c, g in shapes]


@_cached_for_short_text
def _line_shapes(line: str, raw: str) -> tuple[bool, _Shapes] | None:
    """Whether a folded line keeps cells and the shapes of its items; None for furniture and a line without items."""
    if is_furniture(line):
        return None
    cells, positional = _split_line(line)
    if positional:
        shapes: list[_Shape] = []
        for cell, col in cells:
            raw_cell = raw[col : col + len(cell)]
            stripped = cell.strip()
            # the commonest cells, inline: empty, and a count in ASCII digits (as _scan_cell reads them)
            if not stripped:
                shapes.append((Kind.EMPTY, "", "", col, False))
            elif stripped.isdigit() and stripped.isascii():
                lead = len(cell) - len(cell.lstrip())
                shapes.append((Kind.NUMBER, stripped, raw_cell.strip(), col + lead, False))
            else:
                shapes += _shifted(_positional_cell(cell, raw_cell), col)
    else:
        shapes = list(_scan_cell(line, raw, False))  # the whole line is one cell
    # a line of empty cells is a blank row in a layout that keeps cells
    if (positional and len(shapes) > 1) or any(s[0] is not Kind.EMPTY for s in shapes):
        return positional, tuple(shapes)
    return None


@_cached_for_short_text
def _positional_cell(cell: str, raw: str) -> _Shapes:
    """The shapes of a cell of a layout that keeps cells: the template's labels, small numbers."""
    return _scan_cell(cell, raw, True)


def _scan_cell(cell: str, raw: str, positional: bool) -> _Shapes:
    """The shapes of the items of one cell (its folded and source text)."""
    stripped = cell.strip()
    if not stripped:
        return ((Kind.EMPTY, "", "", 0, False),) if positional else ()
    lead = len(cell) - len(cell.lstrip())
    if positional and _NUMBER_CELL.fullmatch(stripped):
        return ((Kind.NUMBER, stripped, raw.strip(), lead, False),)
    if positional and _MARK_CELL.fullmatch(stripped):
        return ((Kind.MARK, stripped, raw.strip(), lead, False),)
    shapes: list[_Shape] = []
    end = 0
    for text in cell.split():  # the chunks between spaces (str.split and \s agree on what a space is)
        start = cell.index(text, end)
        end = start + len(text)
        src = raw[start:end]
        if text.isdigit() and text.isascii():
            # the common case, as _NUMBER_CELL reads it; a count never starts with 0: "0000000" is
            # seven cells run together
            shapes.append((Kind.NUMBER, text, src, start, len(text) > 1 and text[0] == "0"))
        elif text in _UNITS and shapes and shapes[-1][0] is Kind.NUMBER:
            kind, prev_text, prev_raw, col, glued = shapes[-1]
            shapes[-1] = (kind, prev_text + text, prev_raw + " " + src, col, glued)
        else:
            shapes += _shifted(_scan_chunk(text, src), start)
    return tuple(shapes)


@_cached_for_short_text
def _scan_chunk(text: str, raw: str) -> _Shapes:
    """The shapes of a chunk with no spaces: a number, a blank mark, or label text and (glued) numbers."""
    if _NUMBER_CELL.fullmatch(text):
        # a count never starts with 0: "0000000" is seven cells run together
        return ((Kind.NUMBER, text, raw, 0, bool(_LEADING_ZERO.fullmatch(text))),)
    if _MARK_CELL.fullmatch(text):
        return ((Kind.MARK, text, raw, 0, False),)
    shapes: list[_Shape] = []
    pending_text: list[tuple[str, str, int]] = []

    def flush() -> None:
        if pending_text:
            t = "".join(p[0] for p in pending_text)
            r = "".join(p[1] for p in pending_text)
            shapes.append((Kind.TEXT, t, r, pending_text[0][2], False))
            pending_text.clear()

    for m in _PIECE.finditer(text):
        s, e = m.span()
        if m.group("num") is None:
            pending_text.append((m.group(), raw[s:e], s))
            continue
        digits = m.group("num")
        after = text[e : e + 1]
        after2 = text[e + 1 : e + 2]
        # "1.属于…", "1. 属于…" (the label after a space), "00000002.其他" (glued to the cells before)
        numbering = (
            m.group("unit") is None and after != "" and after in ".、" and (not after2 or bool(_CJK.match(after2)))
        )
        if (numbering and len(digits) <= 2 and s == 0) or (numbering and len(digits) == 1):
            pending_text.append((m.group(), raw[s:e], s))  # "1.属于国家秘密": numbering of a label
            continue
        if m.group("unit") is None and after and after in _DATE_SUFFIX:
            pending_text.append((m.group(), raw[s:e], s))  # "2020年": part of the text
            continue
        if numbering:
            # glued cells followed by the next label's number: "00000002.其他…"
            flush()
            shapes.append((Kind.NUMBER, digits[:-1], raw[s : e - 1], s, True))
            pending_text.append((digits[-1], raw[e - 1 : e], e - 1))
            continue
        flush()
        glued = s > 0 or e < len(text)
        shapes.append((Kind.NUMBER, m.group(), raw[s:e], s, glued))
    flush()
    return tuple(shapes)


# The first character of a line of page furniture: a dash, "第" or a digit (``str.isdigit`` holds
# for every character ``\d`` matches). Most lines fail this test and skip the regex.
_FURNITURE_START = "-—–第"
_NOTE_STARTS = ("注:", "(注", "注：")


def is_furniture(line: str) -> bool:
    """True for page furniture alone on a line: "- 4 -", "第 4 页 共 5 页", "4/5"."""
    s = line.strip()
    return bool(s) and (s[0] in _FURNITURE_START or s[0].isdigit()) and bool(_FURNITURE.fullmatch(s))


def is_prose(line: str) -> bool:
    """True for a line of sentences inside a table section (a note under a table, say)."""
    s = line.strip()
    for mark in _PROSE_MARKS:
        if mark in s:
            return True
    return s.startswith(_NOTE_STARTS)


@attrs.define(unsafe_hash=True)
class Line:
    """The items of one line of a table section; ``positional`` when its layout keeps cells."""

    items: tuple[Item, ...]
    positional: bool


def scan_zone(text: str, folded: str, start: int, end: int, index: LineIndex) -> list[Line]:
    """The items of each line of ``text[start:end]`` (a table section), lines without items left out.

    ``index`` is the :class:`LineIndex` of ``folded`` (``fold(text)``).
    """
    lines: list[Line] = []
    # Folding keeps every character in place and "\n" as it is: the folded and the source lines
    # split alike. Only the first line may start mid-line (after a heading inline); the others
    # start at column 1 of the next line.
    line_no, column = index.position(start)
    for line_text, raw_line in zip(folded[start:end].split("\n"), text[start:end].split("\n"), strict=True):
        # a line of tabs alone is a row of empty cells (tables read from HTML, DOCX or TSV keep them)
        if (line_text.strip() or "\t" in line_text) and not is_prose(line_text):
            shapes = _line_shapes(line_text, raw_line)  # None for page furniture
            if shapes is not None:
                positional, items = shapes
                lines.append(
                    Line(tuple([Item(k, t, r, line_no, column + c, g) for k, t, r, c, g in items]), positional)
                )
        line_no += 1
        column = 1
    return lines


def is_vertical(lines: Sequence[Line]) -> bool:
    """True when the values stand one per line (a page scraped one cell per line)."""
    number = Kind.NUMBER
    alone = across = 0
    for ln in lines:
        items = ln.items
        if len(items) == 1:
            alone += items[0].kind is number
        elif len(items) > 1:
            numbers = 0
            for i in items:
                if i.kind is number:
                    numbers += 1
                    if numbers == 2:
                        across += 1
                        break
    return alone > across and alone >= 3


_SPACES = re.compile(r"\s+")


def build_rows(lines: Sequence[Line]) -> list[RawRow]:
    """Group the items of a table section into rows of label text and values.

    A row is a run of label text followed by the values after it. Across a line break a row goes on
    while it has no values yet (a label wrapped over lines); in tables printed across, a line that
    starts with values after a row that has some starts a new row whose label was lost. Empty cells
    before a label stand in label columns and are dropped; empty cells after it are kept, in place.
    """
    text_kind, empty = Kind.TEXT, Kind.EMPTY
    vertical = is_vertical(lines)
    rows: list[RawRow] = []
    label: list[Item] = []
    cells: list[Item] = []
    positional = False
    valued = False  # cells hold a number or a mark: kept up to date, not rescanned (rows of many empty cells)

    def close() -> None:
        nonlocal label, cells, valued
        # a label-less line of empty cells is kept in a layout that keeps cells: a blank row (section 四)
        if label or valued or (positional and len(cells) > 1):
            first = label[0] if label else next((c for c in cells if c.kind is not empty), cells[0])
            text = "".join([i.text for i in label])
            rows.append(RawRow(_SPACES.sub("", text), tuple(cells), first.line, first.column, positional))
        label, cells, valued = [], [], False

    for line in lines:
        items = line.items
        if line.positional and label and not cells and len(items) > 1 and all(i.kind is empty for i in items):
            close()  # a line of empty cells under a label-only line is a blank row of its own (section 四)
        for item in items:
            kind = item.kind
            if kind is text_kind:
                if not _WORDY.search(item.text):
                    continue  # punctuation alone ("-", "：") names no row: it must not start one
                if valued:
                    close()
                cells, valued = [], False
                label.append(item)
            else:
                if not valued:
                    positional = line.positional
                cells.append(item)
                if kind is not empty:
                    valued = True
        if not vertical and (valued or (line.positional and cells)):
            close()  # in a layout that keeps cells, trailing empty cells end a (blank) row
    close()
    return rows
