"""The 2021-fujian-fee edition: found through its entry point, parses its sample, runs FJ101, and
survives gxgk's Hypothesis strategies (generate → JSON round trip → render → parse)."""

from __future__ import annotations

import pathlib
import random
from decimal import Decimal

import attrs
import gxgk
import pytest
from gxgk import editions
from gxgk.convert import converter
from gxgk.records import Report

from gxgk_edition_example import EDITION, ActiveFujianFee

SAMPLE = pathlib.Path(__file__).resolve().parents[1] / "sample.txt"
NAME = EDITION.name
FEE = "active.processing_fee.amount"


def test_registered_through_the_entry_point() -> None:
    edition = editions.get(NAME)
    assert edition.source == "plugin gxgk_edition_example:EDITION"
    assert edition.parent == "2021" and edition.lineage == (NAME, "2021", "2019")
    assert NAME not in editions.failed()
    assert list(edition.spec)[:10] == list(editions.get("2021").spec)[:10]
    assert edition.spec[FEE].kind == "amount_wan_yuan" and len(edition.spec) == len(editions.get("2021").spec) + 1


def test_sample_is_read_in_the_edition() -> None:
    report = gxgk.parse(SAMPLE)
    assert report.edition == NAME and report.table_editions.distinct() == (NAME,)
    assert isinstance(report.active, ActiveFujianFee)
    cell = report.cell(FEE)
    assert cell.value == Decimal("0.035") and cell.raw == "0.0350"
    keys = [k for k, _ in report.cells()]
    assert keys.index(FEE) == keys.index("active.fees.amount") + 1  # template order
    assert all(c.value is not None for _, c in report.cells())
    assert not report.diagnostics


def test_fj101_on_the_sample() -> None:
    findings = gxgk.check(gxgk.parse(SAMPLE))
    (fj,) = findings.by_rule("FJ101")
    assert fj.severity is gxgk.Severity.WARNING and fj.cells == (FEE,)
    assert fj.expected == Decimal("0.042") and fj.actual == Decimal("0.035")
    assert not findings.errors


def test_fj101_negative_fee_is_an_error() -> None:
    report = gxgk.parse(SAMPLE)
    fee = attrs.evolve(report.active.processing_fee, amount=gxgk.Cell(Decimal("-1"), "-1", 28, 7))
    report = attrs.evolve(report, active=attrs.evolve(report.active, processing_fee=fee))
    (fj,) = gxgk.check(report, rules=["FJ101"])
    assert fj.severity is gxgk.Severity.ERROR


def test_plain_2021_report_stays_2021() -> None:
    report = gxgk.parse(gxgk.sample_path().read_text(encoding="utf-8"))
    assert report.edition == "2021" and report.table_editions.distinct() == ("2021",)


def test_json_round_trip_of_the_sample() -> None:
    report = gxgk.parse(SAMPLE)
    data = converter.unstructure(report)
    assert data["active"]["processing_fee"]["amount"]["value"] == "0.035"
    again = converter.structure(data, Report)
    assert again == report and isinstance(again.active, ActiveFujianFee)


# -- Hypothesis: gxgk's strategies and renderers, generic over editions ------------------------------

hypothesis = pytest.importorskip("hypothesis")
strategies = pytest.importorskip("gxgk.strategies")
renderers = pytest.importorskip("gxgk.renderers")
st = hypothesis.strategies


def _state_fee(report: Report) -> Report:
    """Make section 六 state the fee of the table, as FJ101 wants (gxgk's strategy knows no FJ101)."""
    amount = report.value(FEE)
    text = "本年度未收取信息处理费。" if not amount else f"本年度收取信息处理费{amount:f}万元。"
    return attrs.evolve(report, prose=attrs.evolve(report.prose, other_matters=text))


fujian_reports = strategies.reports(NAME).map(_state_fee)


@hypothesis.settings(max_examples=30, deadline=None)
@hypothesis.given(fujian_reports)
def test_generated_reports_round_trip(report: Report) -> None:
    assert isinstance(report.active, ActiveFujianFee)
    assert converter.structure(converter.unstructure(report), Report) == report
    assert not gxgk.check(report).errors
    assert not gxgk.check(report, rules=["FJ101"])


@hypothesis.settings(max_examples=30, deadline=None)
@hypothesis.given(fujian_reports, st.sampled_from(renderers.LOSSLESS_LAYOUTS), st.integers(0, 2**32))
def test_rendered_reports_parse_back(report: Report, layout: str, seed: int) -> None:
    text = renderers.render(report, layout, rng=random.Random(seed))
    parsed = gxgk.parse(text.encode() if layout == "html" else text)
    assert parsed.edition == NAME and parsed.table_editions.active == NAME
    assert parsed.value(FEE) == report.value(FEE)
    assert [(k, c.value) for k, c in parsed.cells()] == [(k, c.value) for k, c in report.cells()]
    assert not gxgk.check(parsed, rules=["FJ101"])
