"""Turning what the user hands over (text, bytes, a path) into text for the parser."""

from __future__ import annotations

import os
import pathlib
from typing import Any

from gxgk.errors import InputTooLargeError, UnreadableError

__all__ = ["Source", "load"]

Source = str | bytes | os.PathLike[str]

#: Text handed over as ``str`` longer than this is refused (see gxgk.readers.Limits for files).
MAX_TEXT_CHARS = 5_000_000


def _readers() -> Any:
    try:
        from gxgk import readers
    except ImportError:  # pragma: no cover - the readers package ships with gxgk
        return None
    return readers


def decode_text(data: bytes, name: str) -> str:
    """Plain text from bytes: UTF-8 (with or without BOM), else GB18030 (which covers GBK)."""
    if b"\x00" in data[:4096]:
        raise UnreadableError("binary data, not text (NUL bytes)", source=name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableError("not text in UTF-8 or GB18030/GBK", source=name)


_PATH_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".doc", ".pdf", ".json")


def _looks_like_path(text: str) -> bool:
    """A one-line string that is meant as a file name rather than as report text."""
    stripped = text.strip()
    return stripped.lower().endswith(_PATH_SUFFIXES) or (os.sep in stripped and len(stripped) < 260)


def load(source: Source, *, name: str | None = None) -> tuple[str, str]:
    """``(text, name)`` for a path, bytes or text. A ``str`` is text unless it names a file."""
    readers = _readers()
    if isinstance(source, str) and not ("\n" in source or len(source) > 1024) and not os.path.exists(source):
        if _looks_like_path(source):
            raise UnreadableError("no such file", source=source)
    if isinstance(source, str) and ("\n" in source or len(source) > 1024 or not os.path.isfile(source)):
        if len(source) > MAX_TEXT_CHARS:
            raise InputTooLargeError(f"text of {len(source):,} characters is over the limit of {MAX_TEXT_CHARS:,}")
        return source, name or "<text>"
    if isinstance(source, (str, os.PathLike)):
        path = pathlib.Path(source)
        label = name or str(path)
        if readers is not None:
            return readers.read_path(path).text, label
        try:
            return decode_text(path.read_bytes(), label), label
        except OSError as e:
            raise UnreadableError(f"cannot read the file: {e.strerror or e}", source=label) from e
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "<bytes>"
        data = bytes(source)
        if readers is not None:
            return readers.read(data, name=label).text, label
        return decode_text(data, label), label
    raise TypeError(f"gxgk.parse takes text, bytes or a path, not {type(source).__name__}")
