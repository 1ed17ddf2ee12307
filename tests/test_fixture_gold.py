"""The seeds written as HTML, .docx and PDF (tests/fixtures/) read back to the seeds' gold extraction."""

from __future__ import annotations

import pathlib

import pytest

import gxgk
from gold import differences, load
from paths import GOLD, REAL

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
CASES = [(seed, kind) for seed in ("000", "001", "002", "003", "004") for kind in ("html", "docx", "pdf")]


@pytest.mark.parametrize(("seed", "kind"), CASES, ids=[f"{s}.{k}" for s, k in CASES])
def test_fixture_reads_to_seed_gold(seed: str, kind: str) -> None:
    (gold_path,) = GOLD.glob(f"{seed}_*.json")
    gold = load(gold_path)
    report = gxgk.parse(FIXTURES / f"seed{seed}.{kind}")
    assert [d for d in differences(gold, report) if not d.startswith(("agency", "year"))] == []
    assert report.year == gold["year"]


def test_real_page_printed_to_pdf_reads_to_the_page_gold() -> None:
    """An agency's page printed to PDF (``make_fixtures.real_page_pdf``): labels underlined and wrapped in
    narrow cells, the values centred beside them. It reads as the page does."""
    gold = load(REAL / "pingtan-2022.html.gold.json")
    report = gxgk.parse(FIXTURES / "pingtan-2022.pdf")
    assert differences(gold, report) == []
    assert report.diagnostics == gxgk.parse(REAL / "pingtan-2022.html").diagnostics
