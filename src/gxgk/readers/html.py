"""HTML (agency web pages, Word's "save as web page"): paragraphs as lines, table rows as TAB lines."""

from __future__ import annotations

import codecs
import re
from typing import Any

from gxgk.errors import MissingExtraError, UnreadableError

from ._base import TextSink, cell_text, flow_text, table_lines
from .text import _refuse_binary

__all__ = ["decode_html", "read_html", "read_html_text", "tables_in_text"]

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Chinese sites declare gb2312 or gbk and use characters beyond them: GB18030 is a superset of both.
_GB_ALIASES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312"})

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "iframe",
        "object",
        "svg",
        "math",
        "select",
        "button",
        "textarea",
        "map",
    }
)
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "ul",
        "caption",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
    }
)
_CELLS = frozenset({"td", "th"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})


def decode_html(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes by their BOM, their ``<meta>`` charset, else UTF-8, else GB18030."""
    text, encoding, _ = _decode_html(data)
    return text, encoding


_UTF8_BOM = b"\xef\xbb\xbf"


def _decode_html(data: bytes) -> tuple[str, str, bool]:
    """:func:`decode_html`, and whether the bytes decoded without a fault (nothing replaced)."""
    if data.startswith(_UTF8_BOM):
        try:
            return data[3:].decode("utf-8"), "utf-8", True
        except UnicodeDecodeError:
            return data[3:].decode("utf-8", "replace"), "utf-8", False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").lstrip("\ufeff"), "utf-16", False
    candidates: list[str] = []
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        if declared in _GB_ALIASES:
            declared = "gb18030"
        try:
            candidates.append(codecs.lookup(declared).name)
        except LookupError:
            pass
    for fallback in ("utf-8", "gb18030"):
        if fallback not in candidates:
            candidates.append(fallback)
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate, True
        except UnicodeDecodeError:
            continue
    # A page with a few broken bytes: keep the encoding that breaks least.
    best = min(candidates[:2], key=lambda c: data.decode(c, "replace").count("\ufffd"))
    return data.decode(best, "replace"), best, False


def _lxml_etree() -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise MissingExtraError("reading HTML needs the html extra: pip install 'gxgk[html]'") from None
    return etree


# What the walker does with an element. Every role from _BLOCK up is a block (a line of its own).
_SKIPPED, _INLINE, _BREAK, _TABLE, _BLOCK, _ROW_GROUP, _ROW, _CELL = range(8)


def _role(tag: object) -> int:
    """The role of an element with this tag; comments and processing instructions are skipped."""
    if not isinstance(tag, str):
        return _SKIPPED
    tag = tag.lower()
    if tag in _SKIP:
        return _SKIPPED
    if tag == "br":
        return _BREAK
    if tag == "table":
        return _TABLE
    if tag in _CELLS:
        return _CELL
    if tag == "tr":
        return _ROW
    if tag in _ROW_GROUPS:
        return _ROW_GROUP
    return _BLOCK if tag in _BLOCKS else _INLINE


class _Roles(dict[Any, int]):
    """The roles of the tags of one document, each tag worked out once.

    A page has thousands of elements but a few dozen tags: one dict lookup per element replaces lowering
    the tag and testing it against the tag sets.
    """

    __slots__ = ()

    def __missing__(self, tag: Any) -> int:
        role = self[tag] = _role(tag)
        return role


# Running text is collected up to the next table, with this mark for a <br> and for the start and the
# end of a block: each piece between two marks is collapsed on its own, into one line.
_LINE_BREAK = "\x0b"
# The source whitespace flow_text turns into spaces: around a piece it only becomes spaces the sink
# strips, so it is dropped before collapsing.
_SOURCE_SPACE = " \t\n\r\f\v"


class _Walker:
    """Turns an lxml HTML tree into lines; one instance per document."""

    __slots__ = ("_buf", "_roles", "_sink")

    def __init__(self) -> None:
        self._sink = TextSink()
        self._buf: list[str] = []
        self._roles = _Roles()

    def flush(self) -> None:
        """Add the running text collected so far, one line per piece between two line breaks."""
        if self._buf:
            text = "".join(self._buf)
            self._buf.clear()
            for piece in text.split(_LINE_BREAK):
                piece = piece.strip(_SOURCE_SPACE)
                if piece:
                    self._sink.paragraph(flow_text(piece))

    def text(self) -> str:
        self.flush()
        return self._sink.text()

    def walk(self, el: Any) -> None:
        """Collect the running text of ``el`` and its descendants; add its tables to the sink."""
        role = self._roles[el.tag]
        if role == _SKIPPED or _hidden(el):
            return
        buf = self._buf
        if role == _BREAK:
            buf.append(_LINE_BREAK)
            return
        if role == _TABLE:
            self.flush()
            self.table(el)
            return
        block = role >= _BLOCK
        if block:
            buf.append(_LINE_BREAK)
        if el.text:
            buf.append(el.text)
        roles = self._roles
        for child in el:
            if not len(child) and roles[child.tag] == _INLINE:
                # Most elements are leaves of running text (links, spans): no need to walk into them.
                if child.text and not _hidden(child):
                    buf.append(child.text)
            else:
                self.walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            buf.append(_LINE_BREAK)

    def table(self, table: Any) -> None:
        rows = [self._cells(row) for row in self._rows(table)]
        # A layout table (a table holding tables): its cells are page regions, not data. Most tables hold
        # none, which one search of the whole table tells before searching each cell.
        if table.find(".//table") is not None and any(
            cell.find(".//table") is not None for cells in rows for cell in cells
        ):
            for child in table:
                self.walk(child)
            return
        for caption in table.iterfind("caption"):
            self._sink.paragraph(cell_text(_text_content(caption)))
        self._sink.table(table_lines([cell_text(self._cell_raw(cell)) for cell in cells] for cells in rows))

    def _rows(self, table: Any) -> list[Any]:
        """The visible ``<tr>`` of a table, directly or in its row groups."""
        roles = self._roles
        rows = []
        for child in table:
            role = roles[child.tag]
            if role == _ROW:
                if not _hidden(child):
                    rows.append(child)
            elif role == _ROW_GROUP:
                rows.extend(tr for tr in child if roles[tr.tag] == _ROW and not _hidden(tr))
        return rows

    def _cells(self, row: Any) -> list[Any]:
        """The ``<td>`` and ``<th>`` of a row."""
        roles = self._roles
        return [cell for cell in row if roles[cell.tag] == _CELL]

    def _cell_raw(self, cell: Any) -> str:
        """The text of a cell before normalisation: a line break before each ``<br>`` and block."""
        if not len(cell):  # most cells hold text only
            return "\n" + cell.text if cell.text else "\n"
        parts = ["\n"]  # the cell is a block itself
        self._collect(cell, parts)
        return "".join(parts)

    def _collect(self, el: Any, parts: list[str]) -> None:
        """Add the text of ``el`` and of its children to ``parts``."""
        if el.text:
            parts.append(el.text)
        roles = self._roles
        for child in el:
            role = roles[child.tag]
            if role != _SKIPPED:
                if role == _BREAK or role >= _BLOCK:
                    parts.append("\n")
                if len(child):
                    self._collect(child, parts)
                elif child.text:  # a leaf: no need to call _collect
                    parts.append(child.text)
            if child.tail:
                parts.append(child.tail)


def _hidden(el: Any) -> bool:
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def _text_content(el: Any) -> str:
    """The text of an element and its descendants, without its tail (lxml.html's ``text_content()``)."""
    return "".join(el.itertext())


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Extract the text of an HTML page; return the text and the encoding it was decoded with.

    The ``<title>`` is the first line; script, style, noscript and template are dropped; each
    ``<td>``/``<th>`` is one TAB-separated cell.
    """
    etree = _lxml_etree()
    markup, encoding, clean = _decode_html(data)
    _refuse_binary(markup, name)
    # The plain lxml.etree parser builds the same tree as lxml.html's, without the Python-level lookup of
    # an element class for every element the walk touches.
    source: str | bytes
    if clean and encoding == "utf-8":
        # UTF-8 that decoded without a fault: lxml reads the bytes themselves, told their encoding (the
        # same characters; a str would reach libxml2 as two or four bytes a character)
        source = data[3:] if data.startswith(_UTF8_BOM) else data
        parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, recover=True, encoding="utf-8"
        )
    else:
        source = _XML_DECLARATION.sub("", markup)  # lxml refuses str input that carries an XML declaration
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    return _page_text(etree, source, parser, name), encoding


def read_html_text(markup: str, name: str | None = None) -> str:
    """The text of an HTML page handed over already decoded (``requests.get(url).text``), as
    :func:`read_html` writes it; a charset the page declares is not looked at."""
    etree = _lxml_etree()
    _refuse_binary(markup, name)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    return _page_text(etree, _XML_DECLARATION.sub("", markup.removeprefix("\ufeff")), parser, name)


def _page_text(etree: Any, source: str | bytes, parser: Any, name: str | None) -> str:
    """The text of a page: its ``<title>`` first, then its body's paragraphs and tables."""
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableError(f"the HTML could not be parsed: {exc}", source=name) from None
    if root is None:  # nothing but a doctype, comments or whitespace
        raise UnreadableError("the HTML could not be parsed: Document is empty", source=name)
    walker = _Walker()
    title = root.find(".//title")
    if title is not None:
        walker._sink.paragraph(cell_text(_text_content(title)))
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:
        raise UnreadableError("the HTML is nested too deeply to read", source=name) from None
    return walker.text()


# The tags that open and close a table in text; only these are looked at, in one pass.
_TABLE_TAG = re.compile(r"<(/?)table\b[^<>]{0,2000}>", re.IGNORECASE)
_WRAP_BEFORE = re.compile(r"<html\b[^<>]{0,100}>[ \t]*<body\b[^<>]{0,100}>[ \t]*\Z", re.IGNORECASE)
_WRAP_AFTER = re.compile(r"[ \t]*</body\s*>[ \t]*</html\s*>", re.IGNORECASE)


def tables_in_text(text: str, name: str | None = None) -> str:
    """``text`` with the HTML tables in it written as the HTML reader writes them: a TAB line a row.

    Converters that turn a document into markdown keep a table with merged cells as HTML (MinerU,
    docling, pandoc): ``<table><tr><td rowspan="2">…``, often on one line. Each outermost
    ``<table>…</table>`` becomes its lines, on lines of their own; the text around it is left as it
    is; text without a table tag (in any case) is returned as it is.
    """
    if _TABLE_TAG.search(text) is None:
        return text
    etree = _lxml_etree()
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    out: list[str] = []
    depth = 0
    start = done = 0
    for m in _TABLE_TAG.finditer(text):
        if m.group(1):  # </table>
            if depth == 0:
                continue  # a stray closing tag: text
            depth -= 1
            if depth == 0:
                # the <html><body> a converter wraps a table in goes with it
                before = _WRAP_BEFORE.search(text, max(done, start - 400), start)
                after = _WRAP_AFTER.match(text, m.end())
                end = after.end() if after else m.end()
                out.append(text[done : before.start() if before else start])
                out.append(_table_text(text[start : m.end()], etree, parser, name))
                done = end
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    if depth:  # a table the text breaks off in: read to the end
        out.append(text[done:start])
        out.append(_table_text(text[start:], etree, parser, name))
        done = len(text)
    out.append(text[done:])
    return "".join(out)


def _table_text(markup: str, etree: Any, parser: Any, name: str | None) -> str:
    try:
        root = etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableError(f"an HTML table in the text could not be parsed: {exc}", source=name) from None
    walker = _Walker()
    body = root.find("body") if root is not None else None
    if body is not None:
        try:
            walker.walk(body)
        except RecursionError:
            raise UnreadableError("an HTML table in the text is nested too deeply to read", source=name) from None
    return "\n" + walker.text().strip("\n") + "\n"
