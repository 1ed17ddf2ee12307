"""The notebook display: a report as its template, findings marked, everything escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import attrs
import pytest

import gxgk
from gxgk import display
from paths import REAL, SEEDS


class _Grid(HTMLParser):
    """The tables of an HTML text as rows of (rowspan, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[int, int]]]] = []
        self.current: list[list[tuple[int, int]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "gx-table" in (a.get("class") or ""):
            self.current = []
            self.tables.append(self.current)
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.current[-1].append((int(a.get("rowspan") or 1), int(a.get("colspan") or 1)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current = None


def widths(html_text: str) -> list[set[int]]:
    """For every table, the set of row widths once rowspans and colspans are laid out."""
    parser = _Grid()
    parser.feed(html_text)
    out = []
    for table in parser.tables:
        taken: set[tuple[int, int]] = set()
        row_widths = set()
        for r, row in enumerate(table):
            c = 0
            for down, across in row:
                while (r, c) in taken:
                    c += 1
                taken.update((r + i, c + j) for i in range(down) for j in range(across))
                c += across
            row_widths.add(max(cc for rr, cc in taken if rr == r) + 1)
        out.append(row_widths)
    return out


def td(html_text: str, key: str) -> str:
    match = re.search(rf'<td class="([^"]*)" data-key="{re.escape(key)}"[^>]*title="([^"]*)">[^<]*</td>', html_text)
    assert match, key
    return match.group(0)


@pytest.fixture(scope="module")
def seed003() -> gxgk.Report:
    return gxgk.parse(SEEDS / "003_a190ec9e232fd5b0.txt")


def test_total_cells_marked_as_errors(seed003: gxgk.Report) -> None:
    html_text = seed003._repr_html_()
    for key in ("applications.total.natural_person", "applications.total.total"):
        cell = td(html_text, key)
        assert "gx-error" in cell.split('"')[1].split()
        assert "GX102 error" in cell
    # the cells the total adds up are tinted, not marked as errors
    granted = td(html_text, "applications.granted.natural_person")
    assert "gx-related-error" in granted and "gx-error " not in granted
    assert "<h4>Findings (2 errors" in html_text


def test_layout_is_the_template(seed003: gxgk.Report) -> None:
    html_text = display.report_html(seed003)
    assert [w for w in widths(html_text)] == [{4}, {10}, {15}]
    assert '<th class="gx-row" rowspan="8">（三）不予公开</th>' in html_text
    assert '<th class="gx-row" rowspan="20">三、本年度办理结果</th>' in html_text
    assert '<th colspan="5">法人或其他组织</th>' in html_text
    assert '<th colspan="10">行政诉讼</th>' in html_text
    assert "<th>本年增/减</th>" in html_text  # one label, not a merged header
    assert "2019 edition (国办公开办函〔2019〕60号)" in html_text
    assert "张家港市工业和信息化局" in html_text


def test_2021_edition_layout() -> None:
    report = gxgk.parse(SEEDS / "004_7972d62635cd0fc7.txt")
    html_text = report._repr_html_()
    assert widths(html_text) == [{4}, {10}, {15}]
    assert '<th class="gx-row" rowspan="3">（六）其他处理</th>' in html_text


def test_mixed_editions_said() -> None:
    report = gxgk.parse(REAL / "hongze-2024.pdf")
    html_text = report._repr_html_()
    assert "mixed editions: 二 2021 · 三 2019 · 四 2021" in html_text
    assert all(len(w) == 1 for w in widths(html_text))


def test_blank_and_unknown_cells_are_distinct_from_zero() -> None:
    report = gxgk.parse(SEEDS / "001_0e7b839799d88c56.txt")
    html_text = report._repr_html_()
    assert 'class="gx-cell gx-missing' in html_text
    missing = next(k for k, c in report.cells() if c.is_missing)
    assert ">?</td>" in td(html_text, missing)
    blank = next((k for k, c in report.cells() if c.is_blank), None)
    if blank is not None:
        assert "gx-blank" in td(html_text, blank)


def test_everything_is_escaped(seed003: gxgk.Report) -> None:
    evil = attrs.evolve(seed003, agency='<script>alert("x")</script>', title="a & b <i>")
    finding = gxgk.Finding(
        rule="X1", severity=gxgk.Severity.WARNING, message='<b onmouseover="x">', cells=("applications.total.total",)
    )
    html_text = display.report_html(evil, [finding])
    assert "<script>" not in html_text and "<b " not in html_text and "<i>" not in html_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    assert "&lt;b onmouseover=&quot;x&quot;&gt;" in td(html_text, "applications.total.total")


def test_findings_display(seed003: gxgk.Report) -> None:
    findings = gxgk.check(seed003)
    html_text = findings._repr_html_()
    assert html_text == display.findings_html(findings)
    assert html_text.count('<tr class="gx-error">') == 2
    assert "<style>" in html_text
    assert "No findings" in gxgk.Findings()._repr_html_()


def test_plain_repr_stays_short(seed003: gxgk.Report) -> None:
    assert len(repr(seed003)) < 200


def test_spans_generic() -> None:
    paths = [("a",), ("b", "x"), ("b", "y"), ("c", "z", "1"), ("c", "z", "2")]
    spans = display._spans(paths, 3)
    assert spans[(0, 0)] == ("a", 1, 3)
    assert spans[(0, 1)] == ("b", 2, 1)
    assert spans[(1, 1)] == ("x", 1, 2)
    assert spans[(1, 3)] == ("z", 2, 1)
    assert display._column_paths(["本年增/减", "g/a", "g/b"]) == [("本年增/减",), ("g", "a"), ("g", "b")]
