"""Records follow the data contract (the cell keys) and convert to JSON and back."""

from __future__ import annotations

import csv

import pytest

import gxgk
from gxgk import editions
from gxgk.convert import converter
from gxgk.records import Report
from paths import DATA, SEEDS


@pytest.mark.parametrize("name", ["2019", "2021"])
def test_record_keys_are_the_spec_keys_in_order(name: str) -> None:
    with open(DATA / f"cells-{name}.tsv", encoding="utf-8") as f:
        keys = [row["key"] for row in csv.DictReader(f, delimiter="\t")]
    edition = editions.get(name)
    report = Report(edition=name, active=edition.active(), applications=edition.applications())
    from gxgk.records import Appeal

    report = Report(
        edition=name,
        active=edition.active(),
        applications=edition.applications(),
        review=Appeal(),
        litigation_direct=Appeal(),
        litigation_after_review=Appeal(),
    )
    assert [k for k, _ in report.cells()] == keys
    assert list(edition.spec) == keys  # the package's own copy of the spec


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_structure_unstructure_round_trip(seed) -> None:
    report = gxgk.parse(seed)
    data = converter.unstructure(report)
    assert converter.structure(data, Report) == report
    findings = gxgk.check(report)
    assert [converter.structure(converter.unstructure(f), gxgk.Finding) for f in findings] == list(findings)


def test_cells_keep_value_raw_and_position() -> None:
    report = gxgk.parse(SEEDS / "000_f2c3bf976b1eabd1.txt")
    items = report.cell("active.procurement.items")
    amount = report.cell("active.procurement.amount")
    assert (items.value, items.raw) == (20, "20（含服务）")
    assert str(amount.value) == "85.64" and amount.raw == "85.64 万"
    assert (items.line, items.column) == (38, 8)
    assert report.applications is not None and repr(report).startswith("Report(edition='2019'")
