"""Plain text and markdown: decode the bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else GB18030)."""

from __future__ import annotations

import re
import unicodedata

from gxgk.errors import UnreadableError
from gxgk.text import normalize_newlines

__all__ = ["decode_text", "is_markdown", "read_text", "with_html_tables"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Control characters (TAB, LF, VT, FF, CR and the SUB/ESC some editors leave are tolerated),
# private-use characters and replacement characters: many of them mean binary data. U+F000–U+F0FF are
# not counted: they are the Symbol and Wingdings fonts' characters as text copied out of Word and PDF
# gives them (a list's bullet is U+F0B7).
_ODD = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f-\x9f\ue000-\uefff\uf100-\uf8ff\ufffd]")
# Characters assigned in the Unicode data of every Python gxgk runs on (3.10 has Unicode 13): Latin-1,
# general punctuation up to U+2027, CJK symbols and punctuation, the CJK Unified Ideographs up to U+9FFC,
# full-width forms. They make up most of a Chinese page, and only the others need their category looked up.
_ASSIGNED = re.compile("[\x00-\xff\u2010-\u2027\u3000-\u303f\u4e00-\u9ffc\uff01-\uff5e]+")
_MARKDOWN_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_MARKDOWN_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)


def _bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Decode text bytes; return the text (newlines normalised to ``\\n``) and the encoding used.

    Raises :class:`~gxgk.errors.UnreadableError` for binary data: NUL bytes, many control characters,
    or bytes that are neither UTF-8 nor GB18030.
    """
    encoding = _bom(data)
    if encoding is None and b"\x00" in data:
        raise UnreadableError("binary data, not text (it contains NUL bytes)", source=name)
    candidates = [encoding] if encoding else ["utf-8", "gb18030"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise UnreadableError("not text: the bytes are neither UTF-8 nor GB18030 (GBK) text", source=name)
    _refuse_binary(text, name)
    return normalize_newlines(text), ("utf-8" if candidate == "utf-8-sig" else candidate)


def _refuse_binary(text: str, name: str | None) -> None:
    sample = text[:65536]
    if not sample:
        return
    odd = len(_ODD.findall(sample))
    if odd > max(2, len(sample) // 200):
        raise UnreadableError(
            f"binary data, not text ({odd} control or private-use characters in the first {len(sample)})",
            source=name,
        )
    # GB18030 decodes most byte soup; real Chinese text is mostly assigned characters.
    head = sample[:4096]
    unassigned = sum(1 for ch in _ASSIGNED.sub("", head) if unicodedata.category(ch) == "Cn")
    if unassigned > max(2, len(head) // 100):
        raise UnreadableError("binary data, not text (it decodes to unassigned characters)", source=name)


def is_markdown(text: str) -> bool:
    """True when ``text`` holds a markdown pipe table (a ``|`` row followed by a ``|---|`` rule)."""
    return bool(_MARKDOWN_RULE.search(text)) and len(_MARKDOWN_ROW.findall(text, 0, 2_000_000)) >= 2


def read_text(data: bytes, name: str | None = None) -> tuple[str, str, str]:
    """Decode a text file; return its text, its kind (``"text"`` or ``"markdown"``) and its encoding.

    HTML tables in the text (markdown that keeps tables with merged cells as HTML) are written as TAB
    lines, as the HTML reader writes them (:func:`with_html_tables`).
    """
    text, encoding = decode_text(data, name)
    text = with_html_tables(text.removeprefix("\ufeff"), name)
    return text, ("markdown" if is_markdown(text) else "text"), encoding


def with_html_tables(text: str, name: str | None = None) -> str:
    """``text`` with each HTML ``<table>`` in it written as TAB lines (needs the html extra then).

    See :func:`gxgk.readers.html.tables_in_text`. Text without "<t" (in either case: no table tag) is
    returned as it is, at the cost of two substring searches.
    """
    if "<t" not in text and "<T" not in text:
        return text
    from .html import tables_in_text  # lxml: imported only for text that holds a table

    return tables_in_text(text, name)
