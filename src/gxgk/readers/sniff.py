"""Tell a file's type from its first bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from gxgk.errors import UnreadableError, UnsupportedFormatError

__all__ = ["HTML_LEAD", "WHAT_GXGK_READS", "is_html_page", "sniff"]

#: The end of every "unsupported" message.
WHAT_GXGK_READS = "gxgk reads .txt, .md, .html, .docx and .pdf"

_HTML_MARKERS = re.compile(rb"<html|<!doctype\s+html|<table|<body|<meta", re.IGNORECASE)
# A page has markup first (a few bytes of junk at most); text that holds a table later on (markdown
# keeping a table as HTML) is text, its tables read by the text reader.
HTML_LEAD = 200

# (magic bytes, what the file is, what to do about it)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an OLE compound file (.doc/.xls/.ppt of Office 97-2003): save it as .docx or PDF",
    ),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document: save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive: unpack it first"),
    (b"BZh", "a bzip2 archive: unpack it first"),
    (b"\xfd7zXZ\x00", "an xz archive: unpack it first"),
)

_ZIP_KINDS = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods): save it as .docx or PDF"),
)


def _unsupported(what: str, name: str | None) -> UnsupportedFormatError:
    return UnsupportedFormatError(f"this is {what}; {WHAT_GXGK_READS}", source=name)


def _sniff_zip(data: bytes, name: str | None) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableError(f"a damaged zip file (or .docx): {exc}", source=name) from None
    if "word/document.xml" in names:
        return "docx"
    for member, what in _ZIP_KINDS:
        if member in names:
            raise _unsupported(what, name)
    raise _unsupported("a zip archive without a Word document in it", name)


def is_html_page(head: bytes) -> bool:
    """Whether text starting with ``head`` (its first 4 KB, as UTF-8) is a web page: HTML markers at its
    start or after markup first, not a text that holds a table further on."""
    marker = _HTML_MARKERS.search(head)
    return marker is not None and (marker.start() < HTML_LEAD or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"))


def sniff(data: bytes, name: str | None = None) -> str:
    """The kind of ``data``: ``"pdf"``, ``"docx"``, ``"html"`` or ``"text"`` (text or markdown).

    Raises :class:`~gxgk.errors.UnsupportedFormatError` for a type gxgk does not read (a .doc, an
    image, an archive, an XML document), saying what the file is.
    """
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if stripped.startswith(b"%PDF-") or (0 <= head.find(b"%PDF-") < 1024 and b" obj" in data[:65536]):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, name)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _unsupported(what, name)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise _unsupported("a WebP image", name)
    if b"\x00" not in head[:512] or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        probe = head.decode("utf-16", "replace") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else None
        probe_bytes = probe.encode("utf-8", "replace") if probe is not None else head
        if is_html_page(probe_bytes):
            return "html"
        if probe_bytes.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
            raise _unsupported("an XML document (not HTML)", name)
    return "text"
