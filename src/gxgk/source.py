"""Turning what the user hands over (text, bytes, a path) into text for the parser."""

from __future__ import annotations

import os
import pathlib

from gxgk import readers
from gxgk.errors import InputTooLargeError, UnreadableError
from gxgk.readers.sniff import HTML_LEAD, is_html_page
from gxgk.readers.text import with_html_tables
from gxgk.text import normalize_newlines

__all__ = ["Source", "load"]

Source = str | bytes | os.PathLike[str]

#: Text handed over as ``str`` longer than this is refused (the readers' limit for files).
MAX_TEXT_CHARS = readers.Limits().max_text_chars

_PATH_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".doc", ".pdf", ".json")


def _looks_like_path(text: str) -> bool:
    """A one-line string that is meant as a file name rather than as report text."""
    stripped = text.strip()
    return stripped.lower().endswith(_PATH_SUFFIXES) or (os.sep in stripped and len(stripped) < 260)


def _is_page(text: str) -> bool:
    """Whether a ``str`` is a web page, as :func:`gxgk.readers.sniff.sniff` tells a file's first 4 KB.
    A text that does not start with markup is looked at in its first few hundred characters only."""
    markup_first = text[:256].lstrip("\ufeff \t\r\n").startswith("<")
    return is_html_page(text[: 4096 if markup_first else HTML_LEAD].encode("utf-8", "replace"))


def load(source: Source, *, name: str | None = None) -> tuple[str, str]:
    """``(text, name)`` for a path, bytes or text. A ``str`` is text unless it names a file; its line
    breaks are normalised to ``"\\n"`` and its HTML tables written as TAB lines, as a file's are
    (:func:`gxgk.text.normalize_newlines`, :func:`gxgk.readers.text.with_html_tables`). A ``str`` that is
    a web page (a page fetched as text) is read as the HTML reader reads a page's bytes."""
    if isinstance(source, str):
        one_line = "\n" not in source and "\r" not in source and len(source) <= 1024
        if not one_line or not os.path.isfile(source):
            if one_line and not os.path.exists(source) and _looks_like_path(source):
                raise UnreadableError("no such file", source=source)
            if len(source) > MAX_TEXT_CHARS:
                raise InputTooLargeError(f"text of {len(source):,} characters is over the limit of {MAX_TEXT_CHARS:,}")
            label = name or "<text>"
            if _is_page(source):
                from gxgk.readers.html import read_html_text  # a page fetched as text: requests' .text

                return read_html_text(source, label), label
            return with_html_tables(normalize_newlines(source), name), label
    if isinstance(source, (str, os.PathLike)):
        path = pathlib.Path(source)
        return readers.read_path(path).text, name or str(path)
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "<bytes>"
        return readers.read(bytes(source), name=label).text, label
    raise TypeError(f"gxgk.parse takes text, bytes or a path, not {type(source).__name__}")
