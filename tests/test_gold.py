"""Every seed and every real report against its gold extraction, cell by cell."""

from __future__ import annotations

import pathlib

import pytest

import gxgk
from gold import differences, load, named
from paths import GOLD, REAL

SEED_GOLD = sorted(GOLD.glob("*.json"))
REAL_GOLD = sorted(REAL.glob("*.gold.json"))
READABLE = [p for p in SEED_GOLD + REAL_GOLD if not load(p).get("expect_error")]


def _id(path: pathlib.Path) -> str:
    return path.name.split(".")[0] if path.parent == GOLD else path.name.removesuffix(".gold.json")


@pytest.mark.parametrize("gold_path", SEED_GOLD + REAL_GOLD, ids=_id)
def test_cells_equal_gold(gold_path: pathlib.Path) -> None:
    gold = load(gold_path)
    if gold.get("expect_error"):
        with pytest.raises(gxgk.NotAReportError) as info:
            gxgk.parse(gold["report"])
        assert info.value.looks_like_report
        assert "no installed edition" in str(info.value)
        return
    report = gxgk.parse(gold["report"])
    assert differences(gold, report) == []


@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_findings_as_gold_demands(gold_path: pathlib.Path) -> None:
    gold = load(gold_path)
    report = gxgk.parse(gold["report"])
    findings = gxgk.check(report)
    for prefix in gold.get("must_flag_incomplete", []):
        assert named(findings, prefix), f"no finding names {prefix}"
    for key in gold.get("must_report_errors_on", []):
        assert named(findings, key, "error"), f"no error finding names {key}"
    allowed = gold.get("must_report_errors_on", []) + gold.get("must_flag_incomplete", [])
    for f in findings.errors:
        assert any(named([f], a) for a in allowed), f"unexpected error: {f}"
    # a cell left blank where the document holds a value must be named by a finding
    for key, expected in gold["cells"].items():
        if isinstance(expected, dict) and expected.get("prefer") is not None and report.value(key) is None:
            row = key.rsplit(".", 1)[0]
            assert named(findings, key) or named(findings, row), f"{key} left blank silently"


def test_seed_003_error_names_the_totals() -> None:
    report = gxgk.parse(load(GOLD / "003_a190ec9e232fd5b0.json")["report"])
    errors = gxgk.check(report).errors
    by_cell = {c: f for f in errors for c in f.cells[:1]}
    f = by_cell["applications.total.natural_person"]
    assert f.rule == "GX102" and f.actual == 1 and f.expected == 3
    assert by_cell["applications.total.total"].expected == 3
    assert {f.rule for f in errors} == {"GX102"}
