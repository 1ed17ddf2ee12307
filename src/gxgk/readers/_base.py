"""What every reader shares: the result record, the limits and the text conventions of table cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import attrs

from gxgk.errors import InputTooLargeError

__all__ = [
    "KINDS",
    "Document",
    "Limits",
    "TextSink",
    "cell_text",
    "check_text_size",
    "flow_text",
    "table_lines",
]

MIB = 2**20

#: The values of :attr:`Document.kind`.
KINDS = ("text", "markdown", "html", "docx", "pdf")


@attrs.frozen(slots=True)
class Limits:
    """Bounds on what a reader accepts; a breach raises :class:`gxgk.errors.InputTooLargeError`.

    ``max_bytes`` bounds the input file; ``max_text_chars`` the extracted text;
    ``max_docx_uncompressed`` the total unpacked size of a .docx, and ``max_compression_ratio`` its
    compression ratio (both checked from the zip directory before anything is unpacked);
    ``max_pdf_pages`` the pages of a PDF.
    """

    max_bytes: int = 50 * MIB
    max_text_chars: int = 5_000_000
    max_docx_uncompressed: int = 100 * MIB
    max_compression_ratio: float = 100
    max_pdf_pages: int = 200


@attrs.frozen(slots=True)
class Document:
    """The plain text of an input file, in the layout the core parser reads.

    ``kind`` is one of ``"text"``, ``"markdown"``, ``"html"``, ``"docx"``, ``"pdf"``; ``encoding`` is the
    character encoding the bytes were decoded with (``None`` for .docx and PDF); ``pages`` is the page
    count of a PDF (``None`` otherwise); ``name`` names the source (a path or the ``name`` given).

    In ``text`` every paragraph is one line and every table row is one line whose cells are separated
    by one TAB, with an empty line before and after each table.
    """

    text: str
    kind: str
    encoding: str | None = None
    pages: int | None = None
    name: str | None = None


def check_text_size(text: str, limits: Limits, name: str | None) -> str:
    """Return ``text``, or raise when it is longer than ``limits.max_text_chars``."""
    if len(text) > limits.max_text_chars:
        raise InputTooLargeError(
            f"the extracted text has {len(text):,} characters, above the limit of "
            f"{limits.max_text_chars:,} (Limits.max_text_chars)",
            source=name,
        )
    return text


# Characters written without spaces between them: CJK ideographs, kana, hangul, CJK and full-width
# punctuation, and the curly quotes Chinese text uses.
_CJK = (
    "\u2018-\u201f\u2026\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f"
)
# Whitespace runs: Python's \s covers NBSP, U+3000 and the other Unicode spaces.

# The patterns with the CJK ranges are compiled on first use: compiling one costs about 5 ms (the regex
# compiler walks every code point of a range), which plain-text input never needs to pay.


@functools.cache
def _cjk_gap() -> re.Pattern[str]:
    """Whitespace between two CJK characters."""
    return re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


@functools.cache
def _cjk_source_gap() -> re.Pattern[str]:
    """A line break in source whitespace between two CJK characters."""
    return re.compile(rf"(?<=[{_CJK}])[ \t\n\r\f\v]*[\n\r][ \t\n\r\f\v]*(?=[{_CJK}])")


_SPACES = re.compile(r"\s+")
_ZERO_WIDTH_CHARS = "\u200b-\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
# What cell_text changes inside a cell: whitespace (\s, the characters str.strip() removes) or a
# zero-width character. A cell with neither inside is only stripped.
_CELL_WORK = re.compile(rf"[\s{_ZERO_WIDTH_CHARS}]")


def cell_text(raw: str) -> str:
    """Normalise the text of one table cell.

    Whitespace (line breaks, tabs, NBSP, U+3000) disappears between two CJK characters and becomes
    one space elsewhere; a cell of whitespace only becomes the empty string. A cell of digits with
    whitespace between them is one number: the whitespace between digits disappears too.
    """
    stripped = raw.strip()
    if not _CELL_WORK.search(stripped):
        # The usual cell: a word or a number with whitespace around it only.
        return stripped
    raw = _ZERO_WIDTH.sub("", raw)
    text = _SPACES.sub(" ", _cjk_gap().sub("", raw)).strip()
    if text[:1] in _NUMBER_START and _SPLIT_NUMBER.fullmatch(text):
        # one number with a line break or spaces inside (a <br>, a narrow cell, distributed alignment): a
        # cell holds one value, and read as two its parts pushed the row's values out of their columns
        return _DIGIT_GAP.sub("", text)
    return text


# A cell of numbers and spaces only, a unit after the last ("753944 32.52元", "1 234", "1 2"): one number.
_NUMBER_START = frozenset("+-0123456789")
_SPLIT_NUMBER = re.compile(r"[-+]?\d[\d,.]*(?: \d[\d,.]*)+ ?(?:万元|万|元|件)?")
_DIGIT_GAP = re.compile(r"(?<=[\d,.]) (?=\d)")


_SOURCE_BREAK = re.compile(r"[ \t\n\r\f\v]+")
_NBSP_CHARS = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_NBSP_RUN = re.compile(f"[{_NBSP_CHARS}]+")
# What flow_text changes: a zero-width character, source whitespace other than a single space, an NBSP.
# Text with none of them comes out as it went in.
_FLOW_WORK = re.compile(f"[{_ZERO_WIDTH_CHARS}\t\n\r\f\v{_NBSP_CHARS}]|  ")


def flow_text(raw: str) -> str:
    """Collapse the source whitespace of running text as a browser would.

    A line break in the source between two CJK characters disappears; other runs of ASCII whitespace
    become one space. NBSP and U+3000 count as spaces.
    """
    if not _FLOW_WORK.search(raw):
        # Most running text has no line break, double space, NBSP or zero-width character.
        return raw
    raw = _ZERO_WIDTH.sub("", raw)
    raw = _cjk_source_gap().sub("", raw)
    raw = _SOURCE_BREAK.sub(" ", raw)
    return _NBSP_RUN.sub(" ", raw)


def table_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """The lines of a table, one per row, cells joined by TAB.

    A row of blank cells stays (a line of TABs keeps the blanks' positions); a row with no cell or
    one blank cell is dropped, as an empty line would end the table.
    """
    return ["\t".join(row) for row in rows if len(row) > 1 or (row and row[0])]


class TextSink:
    """Collects output lines: paragraphs, and tables framed by empty lines."""

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: list[str] = []

    def paragraph(self, text: str) -> None:
        """Add running text; ``\\n`` in it (a ``<br>``) starts a new line. Blank lines are dropped."""
        for line in text.split("\n"):
            line = line.strip(" \t\u00a0\u3000")
            if line:
                self._lines.append(line)

    def table(self, lines: Sequence[str]) -> None:
        """Add table lines with an empty line before and after."""
        if not lines:
            return
        if self._lines and self._lines[-1] != "":
            self._lines.append("")
        self._lines.extend(lines)
        self._lines.append("")

    def text(self) -> str:
        """The collected text, ending with one newline."""
        lines = self._lines
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n" if lines else ""
