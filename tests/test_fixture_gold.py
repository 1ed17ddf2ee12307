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


def test_borderless_tables_printed_to_pdf() -> None:
    """Tables without borders printed to PDF (``make_fixtures.borderless_pdf``): no ruling lines, so the
    rows are lines of text, labels wrapped around their values and a group's label ("(五) 不予处理")
    on the line of the row at its middle, inside that row's label ("1. 信访举报投" / "(五) 不予处理 0 0
    …" / "诉类申请"). Sections 二 and 三 read as the seed's gold; section 四 lost its blank cells with
    the borders, so its cells are unknown, and a finding names them."""
    (gold_path,) = GOLD.glob("003_*.json")
    gold = load(gold_path)
    report = gxgk.parse(FIXTURES / "seed003-borderless.pdf")
    differing = [d for d in differences(gold, report) if not d.startswith(("agency", "year"))]
    assert differing and all(d.startswith(("review.", "litigation_")) for d in differing)
    named = {key for f in gxgk.check(report) for key in f.cells}
    assert {"review.upheld", "litigation_after_review.total"} <= named
    assert all(report.value(key) is None for key in gold["cells"] if key.startswith(("review.", "litigation_")))


def _pdf_text_in_content_order(path: pathlib.Path) -> str:
    """The text another tool takes out of a PDF: PDFium's characters in the order of the page's content
    (cells one per line or a row per line, wrapped labels on lines of their own, no TABs)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


PDF_TEXTS = [
    *((f"seed{seed}.pdf", f"{seed}_*.json") for seed in ("000", "001", "002", "003", "004")),
    ("seed003-borderless.pdf", "003_*.json"),
    ("pingtan-2022.pdf", "pingtan-2022.html.gold.json"),
]


@pytest.mark.parametrize(("pdf", "gold_name"), PDF_TEXTS, ids=[p for p, _ in PDF_TEXTS])
def test_pdf_text_in_content_order_reads_to_gold(pdf: str, gold_name: str) -> None:
    """PDF text as another tool gives it, handed to gxgk.parse: every cell is the gold's, or unknown (seed
    003's section 四 lost its blank cells) and named by a finding; never a wrong value. Its fee heading's
    "保留 4 位小数", the digit spaced apart, was read as the fee."""
    (gold_path,) = [*GOLD.glob(gold_name), *REAL.glob(gold_name)]
    gold = load(gold_path)
    report = gxgk.parse(_pdf_text_in_content_order(FIXTURES / pdf).replace("\r\n", "\n"))
    named = {key for f in gxgk.check(report) for key in f.cells}
    for difference in differences(gold, report):
        if difference.startswith(("agency", "year")):
            continue
        key = difference.split(":")[0]
        assert report.value(key) is None, difference
        assert key in named or any(key.startswith(k + ".") for k in named), difference
