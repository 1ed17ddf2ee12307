"""Every seed and every real report against its gold extraction, cell by cell."""

from __future__ import annotations

import pathlib

import pytest

import gxgk
from gold import differences, load, matches, named
from gxgk.readers import read_path
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


# The tables of the reports that keep their cells (a tab-separated copy; the text gxgk reads from web
# pages, .docx and PDF), flattened as a page copied without its cell borders is: every cell glued to
# the next, or set apart by one space.
FLATTENABLE = [p for p in READABLE if "\t" in read_path(load(p)["report"]).text]


@pytest.mark.parametrize("separator", ["", " "], ids=["glued", "one-space"])
@pytest.mark.parametrize("gold_path", FLATTENABLE, ids=_id)
def test_flattened_tables_never_give_a_wrong_value(gold_path: pathlib.Path, separator: str) -> None:
    """Every cell read from the flattened text is the gold's value or unknown, and an unknown cell is
    named by a finding: "20（含服务）" glued to the next cell stays one number with its note."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    assert "\t" in text
    report = gxgk.parse(text.replace("\t", separator))
    findings = gxgk.check(report)
    wrong = []
    for key, expected in gold["cells"].items():
        value = report.value(key)
        if value is None and not matches(expected, None):
            assert named(findings, key), f"{key} unknown silently"
        elif not matches(expected, value):
            wrong.append(f"{key}: {value!r} != {expected!r}")
    assert wrong == []
