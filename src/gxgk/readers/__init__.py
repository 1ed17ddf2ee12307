"""Read the documents users have into plain text for the parser: text, markdown, HTML, .docx, PDF.

The type is told from the content (magic bytes), never from the file name::

    >>> from gxgk.readers import read
    >>> read("一、总体情况\\n".encode("gb18030")).encoding
    'gb18030'
"""

from __future__ import annotations

import os

from gxgk.errors import InputTooLargeError, UnreadableError

from ._base import Document, Limits, check_text_size
from .sniff import sniff

__all__ = ["Document", "Limits", "read", "read_path"]


def read(source: bytes, *, name: str | None = None, limits: Limits | None = None) -> Document:
    """Read a document from its bytes.

    ``name`` is only used in error messages and kept on the :class:`Document`. Raises
    :class:`~gxgk.errors.UnsupportedFormatError` for a type gxgk does not read (a .doc, an image, a
    scanned PDF), :class:`~gxgk.errors.UnreadableError` for binary junk or a damaged file,
    :class:`~gxgk.errors.MissingExtraError` when the reader's optional dependency is missing and
    :class:`~gxgk.errors.InputTooLargeError` when a :class:`Limits` bound is crossed.
    """
    limits = limits or Limits()
    if not isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError(f"read() takes bytes, not {type(source).__name__}")
    data = bytes(source)
    if len(data) > limits.max_bytes:
        raise _too_large(len(data), limits, name)
    if not data.strip():
        raise UnreadableError("the input is empty", source=name)
    kind = sniff(data, name)
    encoding: str | None = None
    pages: int | None = None
    if kind == "pdf":
        from .pdf import read_pdf

        text, pages = read_pdf(data, limits, name)
    elif kind == "docx":
        from .docx import read_docx

        text = read_docx(data, limits, name)
    elif kind == "html":
        from .html import read_html

        text, encoding = read_html(data, name)
    else:
        from .text import read_text

        text, kind, encoding = read_text(data, name)
    return Document(text=check_text_size(text, limits, name), kind=kind, encoding=encoding, pages=pages, name=name)


def read_path(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Document:
    """Read the document at ``path``; its size is checked before a byte is read."""
    limits = limits or Limits()
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
    except OSError as exc:
        raise UnreadableError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    if size > limits.max_bytes:
        raise _too_large(size, limits, name)
    try:
        with open(name, "rb") as f:
            data = f.read(limits.max_bytes + 1)
    except OSError as exc:
        raise UnreadableError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    return read(data, name=name, limits=limits)


def _too_large(size: int, limits: Limits, name: str | None) -> InputTooLargeError:
    return InputTooLargeError(
        f"the input is {size / 2**20:.1f} MiB, above the limit of {limits.max_bytes / 2**20:.1f} MiB "
        "(Limits.max_bytes)",
        source=name,
    )
