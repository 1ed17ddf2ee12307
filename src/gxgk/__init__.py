"""gxgk: read China's government information-disclosure annual reports and check them.

import gxgk
report = gxgk.parse("report.txt")       # edition detected, every cell with its source position
for finding in gxgk.check(report):      # what contradicts what, where, by how much
    print(finding)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gxgk._version import __version__
from gxgk.errors import (
    EditionError,
    GxgkError,
    MissingExtraError,
    NotAReportError,
    UnreadableError,
    UnsupportedFormatError,
)
from gxgk.findings import Finding, Findings, Severity
from gxgk.records import Cell, Diagnostic, Report

if TYPE_CHECKING:
    from gxgk.editions import Edition
    from gxgk.source import Source

__all__ = [
    "Cell",
    "Comparison",
    "Diagnostic",
    "EditionError",
    "Finding",
    "Findings",
    "GxgkError",
    "MissingExtraError",
    "NotAReportError",
    "Report",
    "Severity",
    "UnreadableError",
    "UnsupportedFormatError",
    "__version__",
    "check",
    "check_series",
    "compare",
    "findings_frame",
    "parse",
    "sample_path",
    "to_frame",
]


def parse(source: Source, *, edition: str | Edition | None = None, name: str | None = None) -> Report:
    """Parse an annual report.

    ``source`` is the report's text (``str``), its bytes, or a path (``str`` or ``pathlib.Path``) to a
    .txt/.md/.html/.docx/.pdf file; the file type is read from the content. The edition of every
    table is detected (``edition=`` forces one: ``"2019"``, ``"2021"`` or a plugin's). Raises a
    :class:`GxgkError` (:class:`NotAReportError`, :class:`UnreadableError`, …) on bad input.
    """
    from gxgk.parser import parse_text
    from gxgk.source import load

    text, label = load(source, name=name)
    return parse_text(text, edition=edition, source=label)


def check(report: Report, *, rules: Any = None, exclude: Any = None) -> Findings:
    """Check a report: every finding of the selected rules (all by default), errors first.

    ``rules`` selects rule codes (or :class:`gxgk.rules.Rule` objects); ``exclude`` leaves codes out.
    """
    from gxgk.rules import run_rules

    return run_rules(report, rules=rules, exclude=exclude)


def check_series(reports: Any, **kw: Any) -> Findings:
    """Check one agency's reports of several years against each other (carry-over, 现行有效件数)."""
    from gxgk.rules import check_series as _check_series

    return _check_series(reports, **kw)


def sample_path() -> Any:
    """The path of the sample report bundled with gxgk (a real 2021-edition report)."""
    import importlib.resources

    return importlib.resources.files("gxgk").joinpath("samples").joinpath("sample-2021.txt")


def __getattr__(name: str) -> Any:
    # lazily imported parts with optional dependencies
    if name in ("compare", "Comparison"):
        from gxgk import compare as _compare

        return getattr(_compare, name)
    if name in ("to_frame", "findings_frame"):
        from gxgk import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'gxgk' has no attribute {name!r}")
