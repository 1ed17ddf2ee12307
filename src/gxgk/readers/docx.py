"""Word .docx: the body of ``word/document.xml``, paragraphs as lines and table rows as TAB lines.

The zip directory is checked (total unpacked size, compression ratio) before anything is unpacked,
and the XML is parsed without DTDs, entity expansion or network access.
"""

from __future__ import annotations

import io
import zipfile
from itertools import islice
from typing import Any

from gxgk.errors import InputTooLargeError, MissingExtraError, UnreadableError

from ._base import MIB, Limits, TextSink, cell_text, flow_text, table_lines
from ._numbering import Numbering

__all__ = ["check_zip", "read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _T, _TAB, _BR, _CR = (_W + t for t in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
_TCPR, _VMERGE, _VAL = _W + "tcPr", _W + "vMerge", _W + "val"
_DEL, _FALLBACK, _TXBX = _W + "del", _MC + "Fallback", _W + "txbxContent"
_NO_BREAK_HYPHEN, _SOFT_HYPHEN, _SYM = _W + "noBreakHyphen", _W + "softHyphen", _W + "sym"
# Deleted text, field codes, and the fallback copy of content that also appears in mc:Choice.
_SKIP = frozenset(
    {
        _DEL,
        _W + "instrText",
        _W + "delText",
        _FALLBACK,
        _W + "rPr",
        _W + "pPr",
        _W + "sectPr",
        _W + "tblPr",
        _W + "tblGrid",
        _W + "trPr",
    }
)
_DOCUMENT = "word/document.xml"
_NUMBERING, _STYLES = "word/numbering.xml", "word/styles.xml"
# A zip bomb needs a big output: small members may compress well without being one.
_RATIO_FLOOR = 1 * MIB


def check_zip(archive: zipfile.ZipFile, limits: Limits, name: str | None) -> None:
    """Refuse a zip whose directory announces too much unpacked data or a bomb-like compression ratio."""
    total = packed = 0
    for info in archive.infolist():
        total += info.file_size
        packed += info.compress_size
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1):
            raise InputTooLargeError(
                f"the .docx member {info.filename} would unpack "
                f"{info.file_size / max(info.compress_size, 1):,.0f} "
                f"times its packed size, above the limit of {limits.max_compression_ratio:g} "
                "(Limits.max_compression_ratio): a zip bomb?",
                source=name,
            )
    if total > limits.max_docx_uncompressed:
        raise InputTooLargeError(
            f"the .docx would unpack to {total / MIB:.1f} MiB, above the limit of "
            f"{limits.max_docx_uncompressed / MIB:.1f} MiB (Limits.max_docx_uncompressed)",
            source=name,
        )
    if total > _RATIO_FLOOR and total > limits.max_compression_ratio * max(packed, 1):
        raise InputTooLargeError(
            f"the .docx would unpack {total / max(packed, 1):,.0f} times its packed size, above the limit of "
            f"{limits.max_compression_ratio:g} (Limits.max_compression_ratio): a zip bomb?",
            source=name,
        )


def _etree() -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise MissingExtraError("reading .docx needs the docx extra: pip install 'gxgk[docx]'") from None
    return etree


def parse_xml_safely(xml: bytes, what: str, name: str | None) -> Any:
    """Parse XML with no DTD loading, no entity expansion and no network; refuse any DTD."""
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableError(f"{what} is not well-formed XML: {exc}", source=name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnreadableError(
            f"{what} declares a DTD (entities); gxgk refuses it, as Word never writes one", source=name
        )
    return root


class _Walker:
    __slots__ = ("_numbering", "_sink")

    def __init__(self, numbering: Numbering | None = None) -> None:
        self._sink = TextSink()
        self._numbering = numbering  # the document's list numbering, if it has any

    def text(self) -> str:
        return self._sink.text()

    def block(self, el: Any) -> None:
        """Walk a block container (body, cell, text box, content control)."""
        for child in el:
            tag = child.tag
            if tag == _P:
                text = _paragraph(child, self._numbering)
                self._sink.paragraph("\n".join(flow_text(line) for line in text.split("\n")))
            elif tag == _TBL:
                self.table(child)
            elif isinstance(tag, str) and tag not in _SKIP:
                self.block(child)

    def table(self, tbl: Any) -> None:
        if next(islice(tbl.iter(_TBL), 1, None), None) is not None:  # the first is tbl itself
            # A layout table (a table holding tables): its cells are regions of the page.
            for tr in _children(tbl, _TR):
                for tc in _children(tr, _TC):
                    self.block(tc)
            return
        numbering = self._numbering
        if numbering is not None and not numbering.may_number(tbl):
            numbering = None  # no paragraph of the table is numbered: none is looked at
        if next(tbl.iter(_NEEDS_WALK), None) is None:
            rows = _table_cells(tbl, numbering)
        else:
            rows = [
                [_cell_raw(tc, numbering) for tc in _children(tr, _TC) if not _continues_merge(tc)]
                for tr in _children(tbl, _TR)
            ]
        self._sink.table(table_lines([cell_text(raw) for raw in row] for row in rows))


def _table_cells(tbl: Any, numbering: Numbering | None = None) -> list[list[str]]:
    """The text of each cell of each row of a table with nothing to skip (no deleted runs, alternate
    content or text boxes), cells that continue a vertical merge left out: one pass of lxml's iter()
    (each paragraph's list number, if the document numbers paragraphs, first)."""
    rows: list[list[tuple[list[bool], list[list[str]]]]] = []
    row: list[tuple[list[bool], list[list[str]]]] = []
    paragraphs: list[list[str]] = []
    text: list[str] = []
    merged = [False]  # whether the cell being read continues a vertical merge
    pieces = _PIECES
    for el in tbl.iter(_TABLE_TAGS):
        tag = el.tag
        if tag == _T:
            text.append(el.text or "")
        elif tag == _P:
            text = []
            paragraphs.append(text)
            if numbering is not None:
                text.append(numbering.label(el))
        elif tag == _TC:
            paragraphs, text, merged = [], [], [False]
            row.append((merged, paragraphs))
        elif tag == _TR:
            row, paragraphs, text = [], [], []
            rows.append(row)
        elif tag == _VMERGE:
            merged[0] = _continues(el)
        else:
            text.append(pieces[tag])
    return [["\n".join(["".join(t) for t in paras]) for merge, paras in r if not merge[0]] for r in rows]


def _children(el: Any, tag: str) -> Any:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _SKIP and child.tag in _WRAPPERS:
            yield from _children(child, tag)


_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag", _W + "ins"})


def _continues_merge(tc: Any) -> bool:
    tcpr = tc.find(_TCPR)
    vmerge = None if tcpr is None else tcpr.find(_VMERGE)
    return vmerge is not None and _continues(vmerge)


def _continues(vmerge: Any) -> bool:
    """Whether a ``w:vMerge`` mark continues the cell above (no value means "continue")."""
    return vmerge.get(_VAL, "continue") == "continue"


# What a paragraph's text is made of, as lxml's iter() finds it (only these elements become Python
# objects), and what needs the walk that skips subtrees: deleted runs, the fallback copy of
# alternate content, and text boxes (paragraphs inside a paragraph).
_PIECES = {_TAB: " ", _BR: "\n", _CR: "\n", _NO_BREAK_HYPHEN: "-"}  # the text of each such element but w:t
_TEXT_TAGS = (_T, *_PIECES)
_NEEDS_WALK = (_DEL, _FALLBACK, _TXBX)
_TABLE_TAGS = (_TR, _TC, _VMERGE, _P, *_TEXT_TAGS)


def _paragraph(p: Any, numbering: Numbering | None = None) -> str:
    """The text of a paragraph, after its list number if ``numbering`` gives it one."""
    label = numbering.label(p) if numbering is not None else ""
    if next(p.iter(_NEEDS_WALK), None) is None:
        pieces = _PIECES
        return label + "".join([(el.text or "") if el.tag == _T else pieces[el.tag] for el in p.iter(_TEXT_TAGS)])
    return label + _walk_paragraph(p)


def _walk_paragraph(p: Any) -> str:
    parts: list[str] = []

    def collect(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag in _PIECES:
                parts.append(_PIECES[tag])
            elif tag == _P:  # a paragraph inside a text box
                parts.append("\n")
                collect(child)
                parts.append("\n")
            elif isinstance(tag, str) and tag not in _SKIP and tag != _SOFT_HYPHEN and tag != _SYM:
                collect(child)

    collect(p)
    return "".join(parts)


def _cell_raw(tc: Any, numbering: Numbering | None = None) -> str:
    parts: list[str] = []

    def collect(el: Any) -> None:
        for child in el:
            if child.tag == _P:
                parts.append(_paragraph(child, numbering))
            elif isinstance(child.tag, str) and child.tag not in _SKIP:
                collect(child)

    collect(tc)
    return "\n".join(parts)


def read_docx(data: bytes, limits: Limits, name: str | None = None) -> str:
    """Extract the text of a .docx: its paragraphs and tables, in order."""
    _etree()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_zip(archive, limits, name)
        xml = _member(archive, _DOCUMENT, limits, name)
        names = set(archive.namelist())
        numbering_xml = _member(archive, _NUMBERING, limits, name) if _NUMBERING in names else None
        styles_xml = _member(archive, _STYLES, limits, name) if numbering_xml and _STYLES in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise UnreadableError(f"a damaged .docx: {exc}", source=name) from None
    root = parse_xml_safely(xml, _DOCUMENT, name)
    body = root.find(_W + "body")
    if body is None:
        raise UnreadableError("word/document.xml has no w:body: not a Word document", source=name)
    numbering = None
    if numbering_xml is not None and (b"numPr" in xml or (styles_xml is not None and b"numPr" in styles_xml)):
        # Word's list numbering ("一、" before a heading numbered by its style): worked out as Word shows it
        styles = parse_xml_safely(styles_xml, _STYLES, name) if styles_xml and b"numPr" in styles_xml else None
        numbering = Numbering(parse_xml_safely(numbering_xml, _NUMBERING, name), styles)
    walker = _Walker(numbering)
    try:
        walker.block(body)
    except RecursionError:
        raise UnreadableError("the .docx is nested too deeply to read", source=name) from None
    return walker.text()


def _member(archive: zipfile.ZipFile, member: str, limits: Limits, name: str | None) -> bytes:
    """A member of the .docx, refused when it unpacks to more than the directory let it (a lie)."""
    with archive.open(member) as f:
        data = f.read(limits.max_docx_uncompressed + 1)
    if len(data) > limits.max_docx_uncompressed:  # a directory that lied about the size
        raise InputTooLargeError(f"{member} is larger than Limits.max_docx_uncompressed", source=name)
    return data
