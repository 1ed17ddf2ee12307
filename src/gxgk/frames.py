"""Reports and findings as tidy data: rows of plain Python values, and pandas data frames.

    import gxgk
    cells = gxgk.to_frame(reports)                  # one row per cell
    findings = gxgk.findings_frame(reports)         # one row per finding (reports are checked)

The row functions (:func:`cell_rows`, :func:`finding_rows`, :func:`report_row`) need nothing
beyond gxgk; the frame functions need pandas (``pip install 'gxgk[frames]'``).

Columns of the cells frame (:data:`CELL_COLUMNS`):

=================  ===============  ===========================================================
source             string           the path or label of the parsed input
agency, year       string, Int64    as read from the report
edition            category         the report's edition (its main one)
table_edition      category         the edition this cell's table was read in (mixed reports)
key                category         the dotted cell key of ``cells-<edition>.tsv``
table              category         二, 三 or 四 (the template section)
row, column        category         the official row and column labels ("/" joins levels)
kind               category         ``count``, ``delta`` (signed) or ``amount_wan_yuan``
value              Int64            the integer value of count and delta cells; <NA> when blank,
                                    unknown, or an amount
amount             object           the exact amount (``decimal.Decimal``, 万元) of amount cells;
                                    None otherwise
value_float        Float64          every value as a float (counts and amounts), for plotting
                                    and aggregation
raw                string           the source text of the cell; <NA> when none was placed
blank              bool             the source has the cell but no number in it ("", "/", "—")
missing            bool             no source text could be placed in the cell
line               Int64            1-based line in the parsed text
=================  ===============  ===========================================================

Counts are nullable integers, so a blank stays distinct from 0; amounts keep every digit as
``Decimal`` in their own column, and ``value_float`` puts both on one numeric axis.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from gxgk.errors import MissingExtraError
from gxgk.findings import Finding, Severity
from gxgk.records import Report, TableEditions

if TYPE_CHECKING:
    import pandas as pd

    from gxgk.editions import CellSpec

__all__ = [
    "CELL_COLUMNS",
    "FINDING_COLUMNS",
    "REPORT_COLUMNS",
    "cell_rows",
    "cell_spec",
    "finding_rows",
    "findings_frame",
    "report_row",
    "reports_frame",
    "table_edition",
    "to_frame",
]

CELL_COLUMNS: tuple[str, ...] = (
    "source",
    "agency",
    "year",
    "edition",
    "table_edition",
    "key",
    "table",
    "row",
    "column",
    "kind",
    "value",
    "amount",
    "value_float",
    "raw",
    "blank",
    "missing",
    "line",
)

FINDING_COLUMNS: tuple[str, ...] = (
    "source",
    "rule",
    "severity",
    "message",
    "cells",
    "expected",
    "actual",
    "line",
)

REPORT_COLUMNS: tuple[str, ...] = (
    "source",
    "agency",
    "year",
    "edition",
    "active_edition",
    "applications_edition",
    "appeals_edition",
    "mixed_editions",
    "title",
    "date",
    "cells",
    "known_cells",
    "diagnostics",
    "errors",
    "warnings",
    "infos",
)

_TABLE_EDITION_FIELDS = frozenset(f.name for f in attrs.fields(TableEditions))


def _require_pandas() -> Any:
    try:
        import pandas
    except ImportError as e:
        raise MissingExtraError("data frames need pandas, an optional dependency: pip install 'gxgk[frames]'") from e
    return pandas


def table_edition(report: Report, key: str) -> str:
    """The edition the table holding ``key`` was read in (the report's edition when unknown).

    A table field of :class:`Report` with a namesake in :class:`TableEditions` (``active``,
    ``applications``) has its own entry; the appeal groups of section 四 share ``appeals``.
    """
    field = key.split(".", 1)[0]
    name = field if field in _TABLE_EDITION_FIELDS else "appeals"
    return getattr(report.table_editions, name, None) or report.edition


def cell_spec(edition: str, key: str) -> CellSpec | None:
    """The spec of ``key`` in ``edition`` (None when the edition is not installed or lacks it)."""
    from gxgk import editions
    from gxgk.errors import GxgkError

    try:
        return editions.get(edition).spec.get(key)
    except GxgkError:
        return None


def _spec_for(report: Report, key: str, edition: str) -> CellSpec | None:
    spec = cell_spec(edition, key)
    if spec is None and edition != report.edition:
        spec = cell_spec(report.edition, key)
    return spec


def cell_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One dict per cell of ``report`` in template order, with the keys of :data:`CELL_COLUMNS`."""
    for key, cell in report.cells():
        edition = table_edition(report, key)
        spec = _spec_for(report, key, edition)
        value = cell.value
        if spec is not None:
            table, row, column, kind = spec.table, spec.row, spec.column, spec.kind
        else:  # a cell its edition does not describe: labels from the key
            table, row, column = None, key.rsplit(".", 1)[0], key.rsplit(".", 1)[-1]
            kind = "amount_wan_yuan" if isinstance(value, Decimal) else "count"
        is_amount = isinstance(value, Decimal)  # amounts are Decimal in the records, counts int
        yield {
            "source": report.source,
            "agency": report.agency,
            "year": report.year,
            "edition": report.edition,
            "table_edition": edition,
            "key": key,
            "table": table,
            "row": row,
            "column": column,
            "kind": kind,
            "value": None if value is None or is_amount else value,
            "amount": value if is_amount else None,
            "value_float": None if value is None else float(value),
            "raw": cell.raw,
            "blank": cell.is_blank,
            "missing": cell.is_missing,
            "line": cell.line,
        }


def finding_rows(findings: Iterable[Finding]) -> Iterator[dict[str, Any]]:
    """One dict per finding, with the keys of :data:`FINDING_COLUMNS` (``cells`` a list of keys)."""
    for f in findings:
        yield {
            "source": f.source,
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "cells": list(f.cells),
            "expected": None if f.expected is None else float(f.expected),
            "actual": None if f.actual is None else float(f.actual),
            "line": f.line,
        }


def report_row(report: Report, findings: Iterable[Finding] | None = None) -> dict[str, Any]:
    """One dict describing ``report`` (keys of :data:`REPORT_COLUMNS`); counts of ``findings``."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for f in findings or ():
        counts[{Severity.ERROR: "errors", Severity.WARNING: "warnings"}.get(f.severity, "infos")] += 1
    cells = list(report.cells())
    te = report.table_editions
    return {
        "source": report.source,
        "agency": report.agency,
        "year": report.year,
        "edition": report.edition,
        "active_edition": te.active,
        "applications_edition": te.applications,
        "appeals_edition": te.appeals,
        "mixed_editions": len(te.distinct()) > 1,
        "title": report.title,
        "date": report.date,
        "cells": len(cells),
        "known_cells": sum(1 for _, c in cells if c.value is not None),
        "diagnostics": len(report.diagnostics),
        **counts,
    }


def _as_reports(reports: Report | Iterable[Report]) -> list[Report]:
    return [reports] if isinstance(reports, Report) else list(reports)


def _categorical(pd: Any, values: Any) -> Any:
    """A categorical whose categories keep the order of first appearance (template order)."""
    seen = dict.fromkeys(v for v in values if v is not None and v is not pd.NA)
    return pd.Categorical(values, categories=list(seen))


def to_frame(reports: Report | Iterable[Report]) -> pd.DataFrame:
    """The cells of one report or of several as a tidy data frame: one row per cell.

    Columns and types are those of :data:`CELL_COLUMNS` (see the module's documentation): counts
    in the nullable integer column ``value``, amounts as ``Decimal`` in ``amount``, both as floats
    in ``value_float``. Raises :class:`gxgk.MissingExtraError` without pandas.
    """
    pd = _require_pandas()
    rows = [row for report in _as_reports(reports) for row in cell_rows(report)]
    return _cells_frame(pd, rows)


def _cells_frame(pd: Any, rows: list[dict[str, Any]]) -> Any:
    columns = {name: [r[name] for r in rows] for name in CELL_COLUMNS}
    data = {
        "source": pd.array(columns["source"], dtype="string"),
        "agency": pd.array(columns["agency"], dtype="string"),
        "year": pd.array(columns["year"], dtype="Int64"),
        **{
            k: _categorical(pd, columns[k])
            for k in ("edition", "table_edition", "key", "table", "row", "column", "kind")
        },
        "value": pd.array(columns["value"], dtype="Int64"),
        "amount": pd.Series(columns["amount"], dtype="object").array,
        "value_float": pd.array(columns["value_float"], dtype="Float64"),
        "raw": pd.array(columns["raw"], dtype="string"),
        "blank": pd.array(columns["blank"], dtype="bool"),
        "missing": pd.array(columns["missing"], dtype="bool"),
        "line": pd.array(columns["line"], dtype="Int64"),
    }
    return pd.DataFrame(data, columns=list(CELL_COLUMNS))


def findings_frame(findings_or_reports: Any) -> pd.DataFrame:
    """Findings as a data frame: one row per finding (columns of :data:`FINDING_COLUMNS`).

    Takes findings (a :class:`gxgk.Findings`, any iterable of :class:`gxgk.Finding`), a report or
    an iterable of reports (each is checked with :func:`gxgk.check`), or a mapping of anything to
    findings. ``severity`` is an ordered categorical (error < warning < info, the order of
    importance), ``cells`` a list of cell keys, ``expected`` and ``actual`` nullable floats (the
    exact numbers are on the :class:`gxgk.Finding`). Raises :class:`gxgk.MissingExtraError`
    without pandas.
    """
    pd = _require_pandas()
    rows = list(finding_rows(_as_findings(findings_or_reports)))
    return _findings_frame(pd, rows)


def _as_findings(obj: Any) -> Iterator[Finding]:
    import gxgk

    if isinstance(obj, Report):
        yield from gxgk.check(obj)
        return
    if isinstance(obj, Finding):
        yield obj
        return
    if isinstance(obj, Mapping):
        obj = obj.values()
    for item in obj:
        if isinstance(item, Finding):
            yield item
        elif isinstance(item, Report):
            yield from gxgk.check(item)
        else:
            yield from _as_findings(item)


def _findings_frame(pd: Any, rows: list[dict[str, Any]]) -> Any:
    columns = {name: [r[name] for r in rows] for name in FINDING_COLUMNS}
    severities = [s.value for s in Severity]
    data = {
        "source": pd.array(columns["source"], dtype="string"),
        "rule": _categorical(pd, columns["rule"]),
        "severity": pd.Categorical(columns["severity"], categories=severities, ordered=True),
        "message": pd.array(columns["message"], dtype="string"),
        "cells": pd.Series(columns["cells"], dtype="object").array,
        "expected": pd.array(columns["expected"], dtype="Float64"),
        "actual": pd.array(columns["actual"], dtype="Float64"),
        "line": pd.array(columns["line"], dtype="Int64"),
    }
    return pd.DataFrame(data, columns=list(FINDING_COLUMNS))


def reports_frame(
    reports: Report | Iterable[Report], findings: Mapping[str, Iterable[Finding]] | None = None
) -> pd.DataFrame:
    """One row per report (columns of :data:`REPORT_COLUMNS`).

    ``findings`` maps a report's ``source`` to its findings, which are counted by severity; without
    it each report is checked with :func:`gxgk.check`.
    """
    import gxgk

    pd = _require_pandas()
    rows = []
    for report in _as_reports(reports):
        found = findings.get(report.source or "", ()) if findings is not None else gxgk.check(report)
        rows.append(report_row(report, found))
    return _reports_frame(pd, rows)


def _reports_frame(pd: Any, rows: list[dict[str, Any]], extra: Iterable[str] = ()) -> Any:
    columns = list(REPORT_COLUMNS) + [c for c in extra if c not in REPORT_COLUMNS]
    types = {
        "year": "Int64",
        "mixed_editions": "boolean",
        "cells": "Int64",
        "known_cells": "Int64",
        "diagnostics": "Int64",
        "errors": "Int64",
        "warnings": "Int64",
        "infos": "Int64",
    }
    data = {c: pd.array([r.get(c) for r in rows], dtype=types.get(c, "string")) for c in columns}
    return pd.DataFrame(data, columns=columns)
