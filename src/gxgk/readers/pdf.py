"""PDF: the text layer, line by line; ruled tables as TAB-separated rows.

pypdfium2 (PDFium) gives the characters with their boxes and the vector paths; tables are found from
their ruling lines (the approach of pdfplumber's "lines" strategy): the cells are the rectangles
closed by horizontal and vertical segments, a row is the cells that share a top edge, so a cell
covered by a merged cell from above is not part of the row. Text outside tables becomes lines, with a
TAB where characters are a column gap apart. Page numbers and running heads are dropped.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any, NamedTuple

from gxgk.errors import InputTooLargeError, MissingExtraError, UnreadableError, UnsupportedFormatError

from ._base import Limits, cell_text

__all__ = ["read_pdf"]

# Coordinates are PDF points, y measured downwards from the top of the page.
_SNAP = 3.0  # segments this close are the same ruling line
_JOIN = 3.0  # collinear segments with a gap this small are one line
_MIN_LINE = 3.0  # shorter segments are glyph parts or dots, not rules
_DECORATION = 1.0  # an underline this far below a character's box still marks it


class _Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


class _Cell(NamedTuple):
    x0: float
    top: float
    x1: float
    bottom: float


def _pdfium() -> tuple[Any, Any]:
    try:
        import pypdfium2
        import pypdfium2.raw as raw
    except ImportError:
        raise MissingExtraError("reading PDF needs the pdf extra: pip install 'gxgk[pdf]'") from None
    return pypdfium2, raw


# ---------------------------------------------------------------------------------------------------
# Characters and ruling segments out of PDFium


def _chars(raw: Any, textpage: Any, height: float) -> list[_Char]:
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out: list[_Char] = []
    unicode, generated, loose_box = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetLooseCharBox
    get_matrix, font_size = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize
    for i in range(count):
        code = unicode(handle, i)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        ch = chr(code)
        # gaps are measured from the visible characters; PDFium's generated ones are not on the page
        if ch.isspace() or ch in "\u200b\ufeff" or generated(handle, i):
            continue
        # The loose box spans the font's ascent to descent and the glyph's advance: uniform along a
        # line. Characters set one per line (vertical labels) can get a loose box many times their
        # size: then the tight box, grown to the font size, stands in.
        if not loose_box(handle, i, rect):
            continue
        get_matrix(handle, i, matrix)
        size = (font_size(handle, i) or 10.0) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
        if (y1 - y0 > 2 * size or x1 - x0 > 2 * size) and raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top):
            middle = (bottom.value + top.value) / 2
            x0, x1, y0, y1 = left.value, right.value, middle - size / 2, middle + size / 2
        out.append(_Char(ch, x0, x1, height - y1, height - y0, max(size, 1.0)))
    return out


def _segments(
    raw: Any, page: Any, height: float
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, top, bottom) straight segments of the page's paths."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    matrix = raw.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()

    def add(ax: float, ay: float, bx: float, by: float) -> None:
        if abs(ay - by) < 1.0 and abs(ax - bx) >= _MIN_LINE:
            horizontal.append((height - (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) < 1.0 and abs(ay - by) >= _MIN_LINE:
            vertical.append(((ax + bx) / 2, height - max(ay, by), height - min(ay, by)))

    def walk(obj: Any, outer: tuple[float, ...]) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            return
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                walk(raw.FPDFFormObj_GetObject(obj, j), m)
            return
        if kind != raw.FPDF_PAGEOBJ_PATH:
            return
        start = last = None
        for j in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, j)
            if not raw.FPDFPathSegment_GetPoint(seg, px, py):
                continue
            point = (m[0] * px.value + m[2] * py.value + m[4], m[1] * px.value + m[3] * py.value + m[5])
            kind_seg = raw.FPDFPathSegment_GetType(seg)
            if kind_seg == raw.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind_seg == raw.FPDF_SEGMENT_LINETO and last is not None:
                add(*last, *point)
            last = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None and last is not None:
                add(*last, *start)
                last = start

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        walk(raw.FPDFPage_GetObject(page.raw, k), identity)
    return horizontal, vertical


def _rules(horizontal: list[tuple[float, float, float]], chars: list[_Char]) -> list[tuple[float, float, float]]:
    """The horizontal segments that are not text decoration.

    An underline (a link, an emphasis) or a strike-through runs within the height of the characters
    it marks, along most of its length; a table's rule runs between lines of text. Taken for rules,
    underlines under a label wrapped in its cell would cut the cell into rows.
    """
    if not horizontal or not chars:
        return horizontal
    by_bottom = sorted(chars, key=lambda c: c.bottom)
    bottoms = [c.bottom for c in by_bottom]
    tallest = max(c.bottom - c.top for c in chars)
    kept: list[tuple[float, float, float]] = []
    for y, x0, x1 in horizontal:
        marked: list[tuple[float, float]] = []
        # the characters whose box holds y, along the segment (their bottoms lie in [y - 1, y + tallest])
        for ch in by_bottom[bisect_left(bottoms, y - _DECORATION) : bisect_right(bottoms, y + tallest)]:
            if ch.top <= y and ch.x1 > x0 and ch.x0 < x1:
                marked.append((max(ch.x0, x0), min(ch.x1, x1)))
        if not marked or _covered(marked) < 0.5 * (x1 - x0):
            kept.append((y, x0, x1))
    return kept


def _covered(spans: list[tuple[float, float]]) -> float:
    """The length of the union of ``spans``."""
    total = 0.0
    end = float("-inf")
    for a, b in sorted(spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


# ---------------------------------------------------------------------------------------------------
# Ruling segments -> cells -> tables


def _snap(values: Sequence[float]) -> dict[float, float]:
    """Map each coordinate to the mean of its cluster (coordinates within _SNAP of a neighbour)."""
    mapping: dict[float, float] = {}
    cluster: list[float] = []
    for v in sorted(set(values)):
        if cluster and v - cluster[-1] > _SNAP:
            mean = sum(cluster) / len(cluster)
            mapping.update(dict.fromkeys(cluster, mean))
            cluster = []
        cluster.append(v)
    if cluster:
        mean = sum(cluster) / len(cluster)
        mapping.update(dict.fromkeys(cluster, mean))
    return mapping


def _merge(segments: Iterable[tuple[float, float, float]]) -> dict[float, list[tuple[float, float]]]:
    """Snap segments to shared coordinates and join collinear pieces: {coordinate: [(start, end)]}."""
    segments = list(segments)
    snapped = _snap([s[0] for s in segments])
    lines: dict[float, list[tuple[float, float]]] = {}
    for pos, a, b in sorted(segments, key=lambda s: (snapped[s[0]], s[1])):
        spans = lines.setdefault(snapped[pos], [])
        if spans and a <= spans[-1][1] + _JOIN:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return lines


def _covers(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    return any(s - _JOIN <= a and b <= e + _JOIN for s, e in spans)


def _reach(spans: list[tuple[float, float]], start: float, stops: list[float]) -> Iterator[float]:
    """The ``stops`` after ``start`` (both sorted) that one span reaches from ``start``, in order.

    Whether a line covers the stretch from ``start`` on only gets harder further on: the first gap
    ends them."""
    for stop in stops[bisect_right(stops, start) :]:
        if not _covers(spans, start, stop):
            return
        yield stop


def _kept(items: Iterator[float], seen: list[float]) -> Iterator[float]:
    """``items``, each added to ``seen`` as it comes (to go over them again without working them out)."""
    for item in items:
        seen.append(item)
        yield item


def _cells(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]) -> list[_Cell]:
    hlines = _merge(horizontal)
    vlines = _merge(vertical)
    ys = sorted(hlines)
    xs = sorted(vlines)
    # Intersections: (x, y) where a vertical and a horizontal line cross or touch; a span of a
    # vertical line meets the horizontal lines whose y it reaches, a slice of ys.
    points: set[tuple[float, float]] = set()
    for x in xs:
        for s, e in vlines[x]:
            for y in ys[bisect_left(ys, s - _JOIN) : bisect_right(ys, e + _JOIN)]:
                if _covers(hlines[y], x, x):
                    points.add((x, y))
    by_row = sorted(points, key=lambda p: (p[1], p[0]))  # top to bottom, each line left to right
    below: dict[float, list[float]] = {}  # the intersections on each vertical line, top to bottom
    right: dict[float, list[float]] = {}  # and on each horizontal line, left to right
    for x, y in by_row:
        below.setdefault(x, []).append(y)
        right.setdefault(y, []).append(x)
    cells: list[_Cell] = []
    for x, y in by_row:
        # The smallest closed rectangle with (x, y) as its top-left corner: the corners below and to
        # the right are worked out as the search comes to them (it mostly stops at the first).
        rights: list[float] = []
        more_rights = _kept(_reach(hlines[y], x, right[y]), rights)
        found = False
        for y2 in _reach(vlines[x], y, below[x]):
            for x2 in chain(rights, more_rights):
                if (x2, y2) in points and _covers(hlines[y2], x, x2) and _covers(vlines[x2], y, y2):
                    cells.append(_Cell(x, y, x2, y2))
                    found = True
                    break
            if found:
                break
    return cells


def _tables(cells: list[_Cell]) -> list[list[_Cell]]:
    """Group cells that share corners into tables, top to bottom."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[_Cell]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    return sorted(groups.values(), key=lambda g: min(c.top for c in g))


class _Table(NamedTuple):
    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[list[_Cell]]

    def contains(self, ch: _Char) -> bool:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        return self.x0 <= cx <= self.x1 and self.top <= cy <= self.bottom


def _as_table(cells: list[_Cell]) -> _Table | None:
    rows: dict[float, list[_Cell]] = {}
    for c in cells:
        rows.setdefault(c.top, []).append(c)
    ordered = [sorted(row, key=lambda c: c.x0) for _, row in sorted(rows.items())]
    if max(len(row) for row in ordered) < 2:
        return None  # boxes behind paragraphs, a page frame: not a table
    return _Table(
        min(c.x0 for c in cells),
        min(c.top for c in cells),
        max(c.x1 for c in cells),
        max(c.bottom for c in cells),
        ordered,
    )


# ---------------------------------------------------------------------------------------------------
# Characters -> lines


def _lines(chars: list[_Char]) -> list[tuple[float, list[_Char]]]:
    """Group characters into visual lines (by vertical overlap); each line sorted left to right."""
    lines: list[tuple[float, float, list[_Char]]] = []
    for ch in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        middle = (ch.top + ch.bottom) / 2
        if lines and middle - lines[-1][0] <= max(ch.size, 1.0) * 0.5:
            lines[-1][2].append(ch)
        else:
            lines.append((middle, middle, []))
            lines[-1][2].append(ch)
    return [(top, sorted(line, key=lambda c: c.x0)) for top, _, line in lines]


def _line_text(line: list[_Char], tabs: bool) -> str:
    parts: list[str] = []
    previous: _Char | None = None
    for ch in line:
        if previous is not None:
            gap = ch.x0 - previous.x1
            em = max(previous.size, ch.size, 1.0)
            if tabs and gap > 1.5 * em:
                parts.append("\t")
            elif gap > 0.2 * em:
                parts.append(" ")
        parts.append(ch.text)
        previous = ch
    return "".join(parts)


def _cell_content(chars: list[_Char]) -> str:
    return cell_text("\n".join(_line_text(line, tabs=False) for _, line in _lines(chars)))


# ---------------------------------------------------------------------------------------------------
# Pages -> text

_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–~～]\s*\d{1,4}\s*[-－—–~～]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|\d{1,4})$"
)


class _Block(NamedTuple):
    top: float
    table: bool
    lines: list[str]
    # Leading blank cells of the first row that span several rows: on a page a table runs on to,
    # these continue merged cells of the previous page and are dropped.
    carried: int = 0
    # The horizontal extent of each cell of the first and of the last row (tables only).
    first: tuple[tuple[float, float], ...] = ()
    last: tuple[tuple[float, float], ...] = ()


def _page_blocks(chars: list[_Char], tables: list[_Table]) -> list[_Block]:
    inside: list[list[_Char]] = [[] for _ in tables]
    outside: list[_Char] = []
    for ch in chars:
        for k, table in enumerate(tables):
            if table.contains(ch):
                inside[k].append(ch)
                break
        else:
            outside.append(ch)
    blocks = [_Block(top, False, [_line_text(line, tabs=True)]) for top, line in _lines(outside)]
    for table, table_chars in zip(tables, inside, strict=True):
        rows: list[str] = []
        carried = 0
        # The characters by the height of their middle: those of a row are a slice of them, taken
        # back to reading order (a row's cells share a top; a merged cell reaches further down).
        middles = [((ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2) for ch in table_chars]
        order = sorted(range(len(table_chars)), key=lambda i: middles[i][1])
        heights = [middles[i][1] for i in order]
        for r, row in enumerate(table.rows):
            buckets: list[list[_Char]] = [[] for _ in row]
            lo = bisect_left(heights, min(c.top for c in row))
            hi = bisect_right(heights, max(c.bottom for c in row))
            for i in sorted(order[lo:hi]):
                ch = table_chars[i]
                cx, cy = middles[i]
                for k, c in enumerate(row):
                    if c.x0 <= cx <= c.x1 and c.top <= cy <= c.bottom:
                        buckets[k].append(ch)
                        break
            cells = [_cell_content(bucket) for bucket in buckets]
            if r == 0:
                row_bottom = min(c.bottom for c in row)
                while carried < len(row) - 1 and not cells[carried] and row[carried].bottom > row_bottom + _SNAP:
                    carried += 1
            if len(cells) > 1 or cells[0]:
                rows.append("\t".join(cells))
        if rows:
            first = tuple((c.x0, c.x1) for c in table.rows[0])
            last = tuple((c.x0, c.x1) for c in table.rows[-1])
            blocks.append(_Block(table.top, True, rows, carried, first, last))
    return sorted(blocks, key=lambda b: b.top)


def _furniture(pages: list[list[_Block]]) -> set[str]:
    """Running heads and feet: the same line (digits aside) at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for blocks in pages:
        edge = [b for b in blocks[:2] + blocks[-2:] if not b.table]
        seen.update({re.sub(r"\d+", "#", b.lines[0]) for b in edge})
    need = max(2, (len(pages) + 1) // 2)
    return {line for line, n in seen.items() if n >= need}


def _split_row(above: list[str], below: list[str]) -> bool:
    """True when ``below`` looks like the rest of row ``above`` that a page break cut in two.

    The continuation holds text only in cells where the cut row has text, and lacks some of it
    (the values sit on the first part); a new row would fill its value cells itself.
    """
    if len(above) != len(below):
        return False
    pairs = list(zip(above, below, strict=True))
    return all(a or not b for a, b in pairs) and any(a and not b for a, b in pairs)


def _same_columns(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(
        abs(p[0] - q[0]) <= _SNAP and abs(p[1] - q[1]) <= _SNAP for p, q in zip(a, b, strict=True)
    )


def _assemble(pages: list[list[_Block]]) -> str:
    heads = _furniture(pages)
    out: list[str] = []
    previous: _Block | None = None
    for blocks in pages:
        kept = [
            b
            for b in blocks
            if b.table or not (_PAGE_NUMBER.match(b.lines[0].strip()) or re.sub(r"\d+", "#", b.lines[0]) in heads)
        ]
        for i, block in enumerate(kept):
            # A table running on from the last page continues without an empty line between.
            continues = i == 0 and block.table and previous is not None and previous.table
            if block.table and not continues and out and out[-1] != "":
                out.append("")
            if not block.table and previous is not None and previous.table:
                out.append("")
            lines = block.lines
            if continues and previous is not None:
                # the first row without the cells that carry merged cells of the last page on
                above, below = out[-1].split("\t"), lines[0].split("\t")[block.carried :]
                if _same_columns(previous.last, block.first[block.carried :]) and _split_row(above, below):
                    out[-1] = "\t".join(cell_text(a + "\n" + b) for a, b in zip(above, below, strict=True))
                    lines = lines[1:]
                elif block.carried:
                    lines = ["\t".join(below), *lines[1:]]
            out.extend(lines)
            previous = block
    return "\n".join(out).strip("\n") + "\n" if out else ""


def read_pdf(data: bytes, limits: Limits, name: str | None = None) -> tuple[str, int]:
    """Extract the text layer of a PDF; return the text and the page count."""
    pdfium, raw = _pdfium()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableError("the PDF is encrypted with a password", source=name) from None
        raise UnreadableError(f"a damaged PDF: {message}", source=name) from None
    try:
        count = len(document)
        if count > limits.max_pdf_pages:
            raise InputTooLargeError(
                f"the PDF has {count} pages, above the limit of {limits.max_pdf_pages} (Limits.max_pdf_pages)",
                source=name,
            )
        pages: list[list[_Block]] = []
        any_text = False
        for index in range(count):
            page = document[index]
            try:
                height = page.get_height()
                textpage = page.get_textpage()
                try:
                    chars = _chars(raw, textpage, height)
                finally:
                    textpage.close()
                horizontal, vertical = _segments(raw, page, height)
            finally:
                page.close()
            any_text = any_text or bool(chars)
            horizontal = _rules(horizontal, chars)
            tables = [t for t in (_as_table(group) for group in _tables(_cells(horizontal, vertical))) if t]
            pages.append(_page_blocks(chars, tables))
    finally:
        document.close()
    if not any_text:
        raise UnsupportedFormatError(
            "this PDF has no text layer (a scan?); gxgk reads PDFs with text: run OCR on it first "
            "(e.g. ocrmypdf), or give the .docx/.html",
            source=name,
        )
    return _assemble(pages), count
