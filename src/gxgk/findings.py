"""Findings: what :func:`gxgk.check` reports, as data."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

__all__ = ["Finding", "Findings", "Severity"]


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


class Findings(list[Finding]):
    """The findings of :func:`gxgk.check`: a list, with a few conveniences and a notebook display."""

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity ``error``."""
        return [f for f in self if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity ``warning``."""
        return [f for f in self if f.severity is Severity.WARNING]

    def by_rule(self, code: str) -> list[Finding]:
        """The findings of one rule."""
        return [f for f in self if f.rule == code]

    def _repr_html_(self) -> str:
        from gxgk.display import findings_html

        return findings_html(self)
