"""Small hand-made reports for rule tests: a consistent 2021 report and a way to change cells."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from gxgk.records import (
    Active2021,
    Appeal,
    ApplicantRow,
    Applications2019,
    Applications2021,
    Cell,
    Prose,
    Report,
    Section,
    TableEditions,
)


def c(value: int | Decimal | None, raw: str | None = None) -> Cell:
    """A cell holding ``value`` (raw text ``str(value)``, or "" for a blank)."""
    return Cell(value, raw if raw is not None else ("" if value is None else str(value)), 1, 1)


def row(*values: int | None) -> ApplicantRow:
    """An applicant row from six values; 总计 is their sum."""
    total = sum(v or 0 for v in values)
    return ApplicantRow(*(c(v) for v in values), c(total))


def zero_row() -> ApplicantRow:
    return row(0, 0, 0, 0, 0, 0)


def _zeros(cls: type[Any]) -> Any:
    fields = attrs.fields(cls)
    return cls(**{f.name: (zero_row() if f.type in (ApplicantRow, "ApplicantRow") else _zeros(f.type)) for f in fields})


def consistent_2021(year: int = 2022) -> Report:
    """A 2021-edition report whose every sum holds: 3 granted, 1 not held, 1 carried forward."""
    apps = attrs.evolve(
        _zeros(attrs.resolve_types(Applications2021)),
        new_received=row(4, 1, 0, 0, 0, 0),
        carried_over=row(0, 0, 0, 0, 0, 0),
        granted=row(2, 1, 0, 0, 0, 0),
        total=row(3, 1, 0, 0, 0, 0),
        carried_forward=row(1, 0, 0, 0, 0, 0),
    )
    unavailable = attrs.evolve(apps.unavailable, not_held=row(1, 0, 0, 0, 0, 0))
    apps = attrs.evolve(apps, unavailable=unavailable)
    active = Active2021(
        **{f.name: f.type(*(c(0) for _ in attrs.fields(f.type))) for f in attrs.fields(attrs.resolve_types(Active2021))}
    )
    appeal = Appeal(c(1), c(0), c(0), c(0), c(1))
    return Report(
        edition="2021",
        year=year,
        agency="测试局",
        table_editions=TableEditions("2021", "2021", "2021"),
        active=active,
        applications=apps,
        review=appeal,
        litigation_direct=Appeal(*(c(0) for _ in range(5))),
        litigation_after_review=Appeal(*(c(0) for _ in range(5))),
        prose=Prose(
            overview="本年度共收到政府信息公开申请5件。",
            problems="一是……；二是……。",
            other_matters="本年度未收取信息处理费。",
        ),
        sections=tuple(Section(n, f"{n}", n) for n in range(1, 7)),
    )


def consistent_2019(year: int = 2020) -> Report:
    """The same figures in the 2019 edition's section 三."""
    r = consistent_2021(year)
    apps21 = r.applications
    values = {f.name: getattr(apps21, f.name) for f in attrs.fields(Applications2021) if f.name != "other"}
    apps = Applications2019(**values, other=zero_row())
    return attrs.evolve(
        r, edition="2019", applications=apps, table_editions=TableEditions(None, "2019", "2019"), active=None
    )


def with_cells(report: Report, **changes: Any) -> Report:
    """``report`` with cells changed: ``with_cells(r, applications__granted__total=c(5))``."""
    for dunder, cell in changes.items():
        path = dunder.split("__")
        report = _set(report, path, cell)
    return report


def _set(node: Any, path: list[str], value: Any) -> Any:
    if len(path) == 1:
        return attrs.evolve(node, **{path[0]: value})
    return attrs.evolve(node, **{path[0]: _set(getattr(node, path[0]), path[1:], value)})
