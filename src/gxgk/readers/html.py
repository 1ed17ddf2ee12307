"""HTML (agency web pages, Word's "save as web page"): paragraphs as lines, table rows as TAB lines."""

from __future__ import annotations

import codecs
import re
from typing import Any

from gxgk.errors import MissingExtraError, UnreadableError

from ._base import TextSink, cell_text, flow_text, table_lines
from .text import _refuse_binary

__all__ = ["decode_html", "read_html"]

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
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").lstrip("\ufeff"), "utf-16"
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
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    # A page with a few broken bytes: keep the encoding that breaks least.
    best = min(candidates[:2], key=lambda c: data.decode(c, "replace").count("\ufffd"))
    return data.decode(best, "replace"), best


def _lxml_html() -> Any:
    try:
        import lxml.html
    except ImportError:
        raise MissingExtraError("reading HTML needs the html extra: pip install 'gxgk[html]'") from None
    return lxml.html


class _Walker:
    """Turns an lxml HTML tree into lines; one instance per document."""

    __slots__ = ("_buf", "_sink")

    def __init__(self) -> None:
        self._sink = TextSink()
        self._buf: list[str] = []

    def flush(self) -> None:
        if self._buf:
            # "\x0b" marks a <br>: each piece between breaks is collapsed on its own.
            self._sink.paragraph("\n".join(flow_text(piece) for piece in "".join(self._buf).split("\x0b")))
            self._buf.clear()

    def text(self) -> str:
        self.flush()
        return self._sink.text()

    def walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comment or processing instruction
            return
        tag = tag.lower()
        if tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self._buf.append("\x0b")
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        if el.text:
            self._buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self._buf.append(child.tail)
        if block:
            self.flush()

    def table(self, table: Any) -> None:
        rows = list(_rows(table))
        if any(cell.find(".//table") is not None for row in rows for cell in _cells(row)):
            # A layout table (a table holding tables): its cells are page regions, not data.
            for child in table:
                self.walk(child)
            return
        for caption in table.iterfind("caption"):
            self._sink.paragraph(cell_text(caption.text_content()))
        self._sink.table(table_lines([cell_text(_cell_raw(cell)) for cell in _cells(row)] for row in rows))


def _hidden(el: Any) -> bool:
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def _rows(table: Any) -> Any:
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            if not _hidden(child):
                yield child
        elif tag in _ROW_GROUPS:
            yield from (
                tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr" and not _hidden(tr)
            )


def _cells(row: Any) -> list[Any]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in _CELLS]


def _cell_raw(cell: Any) -> str:
    parts: list[str] = []

    def collect(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in _SKIP:
            return
        if tag == "br" or tag in _BLOCKS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(cell)
    return "".join(parts)


def read_html(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Extract the text of an HTML page; return the text and the encoding it was decoded with.

    The ``<title>`` is the first line; script, style, noscript and template are dropped; each
    ``<td>``/``<th>`` is one TAB-separated cell.
    """
    html = _lxml_html()
    from lxml import etree

    markup, encoding = decode_html(data, name)
    _refuse_binary(markup, name)
    # lxml refuses str input that carries an XML encoding declaration.
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableError(f"the HTML could not be parsed: {exc}", source=name) from None
    walker = _Walker()
    title = root.find(".//title")
    if title is not None:
        walker._sink.paragraph(cell_text(title.text_content()))
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:
        raise UnreadableError("the HTML is nested too deeply to read", source=name) from None
    return walker.text(), encoding
