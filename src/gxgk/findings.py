"""Findings: what :func:`gxgk.check` reports, as data."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

__all__ = ["Finding", "Severity"]


class Severity(str, enum.Enum):
    """How serious a finding is: ``error`` (numbers contradict each other), ``warning`` (a blank,
    an unreadable layout, a likely mistake), ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Finding:
    """One thing a rule found in a report.

    ``rule`` is the rule's stable code (``GX101``); ``cells`` the dotted cell keys involved (from
    ``cells-<edition>.tsv``); ``expected`` and ``actual`` the numbers compared, where there are some;
    ``line`` the first source line involved; ``lines`` every line involved. ``suggestions`` holds
    single-cell repairs that would make every failing sum hold, as ``(cell key, value)`` pairs.
    """

    rule: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    expected: int | Decimal | None = None
    actual: int | Decimal | None = None
    line: int | None = None
    lines: tuple[int, ...] = ()
    suggestions: tuple[tuple[str, int | Decimal], ...] = ()
    source: str | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        where = f"{self.source or '<report>'}:{self.line if self.line is not None else 0}"
        return f"{where}: {self.rule} {self.severity.value} {self.message}"
