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
from collections.abc import Iterator, Sequence

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
        number = next(n for n in range(1, 7) if m.group(f"s{n}") is not None)
        if number in found or m.start() < last:
            continue
        # a heading of a later section than one already found, earlier sections missing: keep it
        if any(n > number for n in found):
            continue
        found[number] = m
        last = m.start()
    spans = []
    for number in sorted(found, key=lambda n: found[n].start()):
        m = found[number]
        line, _ = index.position(m.start())
        spans.append(
            SectionSpan(number=number, title=m.group(0).strip(), start=m.start(), body_start=m.end(), line=line)
        )
    out = []
    for i, span in enumerate(spans):
        end = spans[i + 1].start if i + 1 < len(spans) else _report_end(folded, span.body_start)
        out.append(attrs.evolve(span, end=end))
    return out


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


@attrs.frozen
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


@attrs.frozen
class RawRow:
    """A run of label text and the values after it, as the layout gives them."""

    label: str
    cells: tuple[Item, ...]
    line: int
    column: int
    positional: bool

    @property
    def values(self) -> tuple[Item, ...]:
        """The cells that hold something: numbers and blank marks."""
        return tuple(c for c in self.cells if c.kind in (Kind.NUMBER, Kind.MARK))


# A whole cell that is a number: digits with separators, an optional sign, unit and note.
_NUMBER_CELL = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元|件|个|项|次|条)?\s*(?:\([^()]{0,30}\))?")
_MARK_CELL = re.compile(r"[-—–/\\_~]+|无|空|——")
_UNIT_CELL = re.compile(r"万元|万|元")
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


def _is_separator(cells: Sequence[str]) -> bool:
    return all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells if c.strip()) and any(c.strip() for c in cells)


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


def _scan_cell(cell: str, raw: str, line: int, column: int, positional: bool) -> list[Item]:
    """The items of one cell; ``column`` is the 1-based column of its first character."""
    if len(cell) > _MAX_CACHED_CELL:
        return _scan_cell_items(cell, raw, line, column, positional)
    return [Item(k, t, r, line, column + offset, g) for k, t, r, offset, g in _cell_shape(cell, raw, positional)]


# Reports repeat the template's labels and the same small numbers: a cell's items are worked out
# once per distinct (cell, source text, layout) and placed at each occurrence's position.
_MAX_CACHED_CELL = 200


@functools.lru_cache(maxsize=8192)
def _cell_shape(cell: str, raw: str, positional: bool) -> tuple[tuple[Kind, str, str, int, bool], ...]:
    return tuple((i.kind, i.text, i.raw, i.column, i.glued) for i in _scan_cell_items(cell, raw, 0, 0, positional))


_CHUNK = re.compile(r"\S+")


def _scan_cell_items(cell: str, raw: str, line: int, column: int, positional: bool) -> list[Item]:
    stripped = cell.strip()
    if not stripped:
        return [Item(Kind.EMPTY, "", "", line, column)] if positional else []
    lead = len(cell) - len(cell.lstrip())
    if positional and _NUMBER_CELL.fullmatch(stripped):
        return [Item(Kind.NUMBER, stripped, raw.strip(), line, column + lead)]
    if positional and _MARK_CELL.fullmatch(stripped):
        return [Item(Kind.MARK, stripped, raw.strip(), line, column + lead)]
    items: list[Item] = []
    for chunk in _CHUNK.finditer(cell):
        text, start = chunk.group(), chunk.start()
        col = column + start
        src = raw[start : chunk.end()]
        if _UNIT_CELL.fullmatch(text) and items and items[-1].kind is Kind.NUMBER:
            prev = items[-1]
            items[-1] = attrs.evolve(prev, text=prev.text + text, raw=prev.raw + " " + src)
        elif _NUMBER_CELL.fullmatch(text):
            # a count never starts with 0: "0000000" is seven cells run together
            items.append(Item(Kind.NUMBER, text, src, line, col, glued=bool(_LEADING_ZERO.fullmatch(text))))
        elif _MARK_CELL.fullmatch(text):
            items.append(Item(Kind.MARK, text, src, line, col))
        else:
            items.extend(_scan_chunk(text, src, line, col))
    return items


def _scan_chunk(text: str, raw: str, line: int, column: int) -> Iterator[Item]:
    """Split a chunk with no spaces into label text and (possibly glued) numbers."""
    pending_text: list[tuple[str, str, int]] = []

    def flush() -> Iterator[Item]:
        if pending_text:
            t = "".join(p[0] for p in pending_text)
            r = "".join(p[1] for p in pending_text)
            yield Item(Kind.TEXT, t, r, line, column + pending_text[0][2])
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
            yield from flush()
            yield Item(Kind.NUMBER, digits[:-1], raw[s : e - 1], line, column + s, glued=True)
            pending_text.append((digits[-1], raw[e - 1 : e], e - 1))
            continue
        yield from flush()
        glued = s > 0 or e < len(text)
        yield Item(Kind.NUMBER, m.group(), raw[s:e], line, column + s, glued=glued)
    yield from flush()


def is_furniture(line: str) -> bool:
    """True for page furniture alone on a line: "- 4 -", "第 4 页 共 5 页", "4/5"."""
    return bool(_FURNITURE.fullmatch(line.strip()))


def is_prose(line: str) -> bool:
    """True for a line of sentences inside a table section (a note under a table, say)."""
    s = line.strip()
    return any(mark in s for mark in _PROSE_MARKS) or s.startswith(("注:", "(注", "注："))


@attrs.frozen
class Line:
    """The items of one line of a table section; ``positional`` when its layout keeps cells."""

    items: tuple[Item, ...]
    positional: bool


def scan_zone(text: str, folded: str, start: int, end: int, index: LineIndex) -> list[Line]:
    """The items of each line of ``text[start:end]`` (a table section), lines without items left out."""
    lines: list[Line] = []
    pos = start
    while pos < end:
        nl = folded.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line_text = folded[pos:stop]
        raw_line = text[pos:stop]
        # a line of tabs alone is a row of empty cells (tables read from HTML, DOCX or TSV keep them)
        if (line_text.strip() or "\t" in line_text) and not is_furniture(line_text) and not is_prose(line_text):
            line_no, col0 = index.position(pos)
            cells, positional = _split_line(line_text)
            items: list[Item] = []
            for cell, col in cells:
                items.extend(_scan_cell(cell, raw_line[col : col + len(cell)], line_no, col0 + col, positional))
            # a line of empty cells is a blank row in a layout that keeps cells
            if any(i.kind is not Kind.EMPTY for i in items) or (positional and len(items) > 1):
                lines.append(Line(tuple(items), positional))
        pos = stop + 1
    return lines


def is_vertical(lines: Sequence[Line]) -> bool:
    """True when the values stand one per line (a page scraped one cell per line)."""
    alone = sum(1 for ln in lines if len(ln.items) == 1 and ln.items[0].kind is Kind.NUMBER)
    across = sum(1 for ln in lines if sum(1 for i in ln.items if i.kind is Kind.NUMBER) >= 2)
    return alone > across and alone >= 3


def build_rows(lines: Sequence[Line]) -> list[RawRow]:
    """Group the items of a table section into rows of label text and values.

    A row is a run of label text followed by the values after it. Across a line break a row goes on
    while it has no values yet (a label wrapped over lines); in tables printed across, a line that
    starts with values after a row that has some starts a new row whose label was lost. Empty cells
    before a label stand in label columns and are dropped; empty cells after it are kept, in place.
    """
    vertical = is_vertical(lines)
    rows: list[RawRow] = []
    label: list[Item] = []
    cells: list[Item] = []
    positional = False
    valued = False  # cells hold a number or a mark: kept up to date, not rescanned (rows of many empty cells)

    def has_values() -> bool:
        return valued

    def close() -> None:
        nonlocal label, cells, valued
        # a label-less line of empty cells is kept in a layout that keeps cells: a blank row (section 四)
        if label or has_values() or (positional and len(cells) > 1):
            first = label[0] if label else next((c for c in cells if c.kind is not Kind.EMPTY), cells[0])
            text = "".join(i.text for i in label)
            rows.append(RawRow(re.sub(r"\s+", "", text), tuple(cells), first.line, first.column, positional))
        label, cells, valued = [], [], False

    for line in lines:
        if (
            line.positional
            and label
            and not cells
            and len(line.items) > 1
            and all(i.kind is Kind.EMPTY for i in line.items)
        ):
            close()  # a line of empty cells under a label-only line is a blank row of its own (section 四)
        for item in line.items:
            if item.kind is Kind.TEXT and not _WORDY.search(item.text):
                continue  # punctuation alone ("-", "：") names no row: it must not start one
            if item.kind is Kind.TEXT:
                if has_values():
                    close()
                cells, valued = [], False
                label.append(item)
            else:
                if not has_values():
                    positional = line.positional
                cells.append(item)
                valued = valued or item.kind is not Kind.EMPTY
        if not vertical and (has_values() or (line.positional and cells)):
            close()  # in a layout that keeps cells, trailing empty cells end a (blank) row
    close()
    return rows
