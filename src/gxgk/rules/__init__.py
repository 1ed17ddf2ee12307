"""The consistency checks, each a small :class:`Rule` object with a stable code.

    import gxgk
    from gxgk import rules

    gxgk.check(report)                                   # every rule
    gxgk.check(report, rules=["GX101", "GX102"])         # some
    gxgk.check(report, exclude=["GX002"])                # all but some

    @rules.rule("ACME01", title_zh="…", title_en="…", description="…", editions={"2021"})
    def my_rule(report):                                 # a rule of your own, no gxgk edit needed
        yield rules.finding("ACME01", "warning", "…", cells=[...], report=report)

Rules yield findings; they never raise for what they find. The built-in catalogue is in
docs/rules.md and :mod:`gxgk.rules.builtin`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal

import attrs

from gxgk.findings import Finding, Findings, Severity
from gxgk.records import Cell, Report, _slots_maker

__all__ = [
    "Rule",
    "all_rules",
    "base_edition",
    "check_series",
    "finding",
    "get_rule",
    "register",
    "rule",
    "run_rules",
    "unregister",
]

Check = Callable[[Report], Iterable[Finding]]


@attrs.frozen
class Rule:
    """A consistency check.

    ``code`` is stable (findings carry it); ``title_zh``/``title_en`` name it; ``description``
    cites the template text it enforces; ``editions`` lists the editions it applies to (None: all);
    ``severity`` is its usual severity; ``check`` yields the findings for one report. Rules that
    compare reports across years set ``series=True`` and take a sequence of reports.
    """

    code: str
    title_zh: str
    title_en: str
    description: str
    check: Callable[..., Iterable[Finding]]
    editions: frozenset[str] | None = None
    severity: Severity = Severity.ERROR
    series: bool = False

    def applies_to(self, report: Report) -> bool:
        """True when the rule applies to one of the report's editions, or to the built-in edition a
        plugin edition derives from (a rule for "2021" applies to a provincial variant of 2021)."""
        if self.editions is None:
            return True
        return any(self.editions & _own_lineage(name) for name in report.table_editions.distinct() or (report.edition,))

    def __call__(self, report: Report) -> list[Finding]:
        """The rule's findings for ``report`` (none when it does not apply)."""
        if not self.applies_to(report):
            return []
        return list(self.check(report))


def base_edition(name: str | None) -> str | None:
    """The built-in edition ``name`` is or derives from (``"2021"`` for a plugin variant of 2021);
    ``name`` itself when it is unknown or derives from none."""
    if name is None:
        return None
    from gxgk import editions

    try:
        edition = editions.get(name)
    except Exception:
        return name
    for ancestor in edition.lineage:
        try:
            if editions.get(ancestor).builtin:
                return ancestor
        except Exception:
            break
    return name


def _own_lineage(name: str) -> set[str]:
    """``name`` and its ancestors up to the first built-in edition: the editions whose rules apply."""
    from gxgk import editions

    try:
        edition = editions.get(name)
    except Exception:
        return {name}
    names: set[str] = set()
    for ancestor in edition.lineage:
        names.add(ancestor)
        try:
            if editions.get(ancestor).builtin:
                break
        except Exception:
            break
    return names


_registry: dict[str, Rule] = {}


def register(r: Rule) -> Rule:
    """Register a rule (replacing one with the same code); returns it."""
    _registry[r.code] = r
    return r


def unregister(code: str) -> None:
    """Remove the rule with ``code`` from the registry."""
    _registry.pop(code, None)


def rule(
    code: str,
    *,
    title_zh: str,
    title_en: str,
    description: str,
    editions: Collection[str] | None = None,
    severity: Severity | str = Severity.ERROR,
    series: bool = False,
) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Decorator: register a function ``f(report) -> Iterable[Finding]`` as a rule."""

    def wrap(fn: Callable[..., Iterable[Finding]]) -> Rule:
        return register(
            Rule(
                code=code,
                title_zh=title_zh,
                title_en=title_en,
                description=description,
                check=fn,
                editions=frozenset(editions) if editions is not None else None,
                severity=Severity(severity),
                series=series,
            )
        )

    return wrap


def _load_builtin() -> None:
    from gxgk.rules import builtin  # noqa: F401 - registers the built-in rules


def all_rules() -> list[Rule]:
    """Every registered rule, by code."""
    _load_builtin()
    return [_registry[c] for c in sorted(_registry)]


def get_rule(code: str) -> Rule:
    """The rule with ``code``; KeyError naming the known codes otherwise."""
    _load_builtin()
    try:
        return _registry[code]
    except KeyError:
        raise KeyError(f"no rule {code!r}; known: {', '.join(sorted(_registry))}") from None


def _select(rules: Iterable[str | Rule] | None, exclude: Iterable[str] | None, series: bool) -> list[Rule]:
    chosen = all_rules() if rules is None else [r if isinstance(r, Rule) else get_rule(r) for r in rules]
    left_out = set(exclude or ())
    return [r for r in chosen if r.code not in left_out and r.series == series]


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _sorted(findings: Iterable[Finding]) -> Findings:
    return Findings(
        sorted(findings, key=lambda f: (_ORDER[f.severity], f.line if f.line is not None else 1 << 30, f.rule))
    )


def run_rules(
    report: Report, *, rules: Iterable[str | Rule] | None = None, exclude: Iterable[str] | None = None
) -> Findings:
    """Every finding of the selected rules on one report, errors first, then by line."""
    found: list[Finding] = []
    for r in _select(rules, exclude, series=False):
        found.extend(r(report))
    return _sorted(found)


def check_series(
    reports: Iterable[Report],
    *,
    rules: Iterable[str | Rule] | None = None,
    exclude: Iterable[str] | None = None,
) -> Findings:
    """Check one agency's reports of several years against each other.

    The reports are ordered by year; each consecutive pair (Y−1, Y) is compared by the series rules:
    上年结转 (Y) = 结转下年度继续办理 (Y−1) per column (error), and in the 2021 edition
    现行有效件数 (Y) = 现行有效件数 (Y−1) + 本年制发件数 − 本年废止件数 (warning).
    """
    ordered = sorted((r for r in reports if r.year is not None), key=lambda r: r.year or 0)
    found: list[Finding] = []
    selected = _select(rules, exclude, series=True)
    for previous, current in itertools.pairwise(ordered):
        if (current.year or 0) - (previous.year or 0) != 1:
            continue
        for r in selected:
            found.extend(r.check(previous, current))
    return _sorted(found)


# -- helpers for rule authors -----------------------------------------------------------------------


def finding(
    code: str,
    severity: Severity | str,
    message: str,
    *,
    cells: Sequence[str] = (),
    report: Report | None = None,
    expected: int | Decimal | None = None,
    actual: int | Decimal | None = None,
    suggestions: Sequence[tuple[str, int | Decimal]] = (),
    line: int | None = None,
) -> Finding:
    """A :class:`Finding` whose source lines are looked up from the cells in ``report``."""
    lines: list[int] = []
    if report is not None and cells:
        lookup = _cells_by_key(report).get  # most keys; the report's own walk for the others
        for key in cells:
            cell = lookup(key)
            if cell is None:
                try:
                    cell = report.cell(key)
                except KeyError:
                    continue
            cell_line = cell.line
            if cell_line is not None and cell_line not in lines:
                lines.append(cell_line)
    if line is None and lines:
        line = lines[0]  # the first cell named: the total, or the likely culprit
    lines.sort()
    # Finding(...) made by _slots_maker, its fields in order (tests/test_rules.py compares the two)
    return _make_finding(
        code,
        severity if severity.__class__ is Severity else Severity(severity),
        message,
        tuple(cells),
        expected,
        actual,
        line,
        tuple(lines),
        tuple(suggestions),
        report.source if report is not None else None,
    )


_make_finding = _slots_maker(Finding)


# Rules look cells up by key many times per report: the cells of the last report, by identity.
_last_cells: tuple[Report | None, dict[str, Cell]] = (None, {})


def _cells_by_key(report: Report) -> dict[str, Cell]:
    """Every cell of ``report`` by dotted key, in template order (shared by the rules: not to be changed)."""
    global _last_cells
    last = _last_cells
    if last[0] is not report:
        last = _last_cells = (report, dict(report.cells()))
    return last[1]


def _cell(report: Report, key: str) -> Cell:
    """``report.cell(key)``, looked up in :func:`_cells_by_key` first."""
    cell = _cells_by_key(report).get(key)
    return cell if cell is not None else report.cell(key)
