"""The exceptions gxgk raises. Every one derives from :class:`GxgkError`."""

from __future__ import annotations

__all__ = [
    "EditionError",
    "GrammarError",
    "GxgkError",
    "InputTooLargeError",
    "MissingExtraError",
    "NotAReportError",
    "PluginError",
    "UnreadableError",
    "UnsupportedFormatError",
]


class GxgkError(Exception):
    """The base of every error gxgk raises on purpose.

    ``source`` names the input (a path or ``<text>``); ``line`` and ``column`` (1-based) point into
    the text where there is a place to point at. ``str(error)`` is one line.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.message}" if where else self.message


class UnreadableError(GxgkError):
    """The input could not be read: not text, an unknown encoding, a corrupt or unsupported file."""


class UnsupportedFormatError(UnreadableError):
    """A file type gxgk does not read (a .doc, a scanned PDF without text, an image, …)."""


class MissingExtraError(UnreadableError):
    """Reading this file type needs an optional dependency: the message names the extra."""


class InputTooLargeError(UnreadableError):
    """The input is above a configured size limit (see :class:`gxgk.readers.Limits`)."""


class NotAReportError(GxgkError):
    """The text is not a government information-disclosure annual report in any installed edition.

    ``looks_like_report`` is True when the document looks like such a report but in a format that no
    installed edition reads (a pre-2019 format, say): a plugin edition could read it.
    """

    def __init__(self, message: str, *, looks_like_report: bool = False, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.looks_like_report = looks_like_report


class EditionError(GxgkError, LookupError):
    """An edition name that is not installed; the message suggests the closest one."""


class PluginError(GxgkError):
    """A third-party edition could not be loaded: the message names the plugin and the cause."""


class GrammarError(GxgkError):
    """An edition's grammar is broken (a conflict, a missing file): raised when it is built."""
