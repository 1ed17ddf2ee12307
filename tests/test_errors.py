"""Bad input gets a clear gxgk error or a finding naming the place: never a traceback or a hang."""

from __future__ import annotations

import pytest

import gxgk
from paths import SEEDS

SEED_000 = (SEEDS / "000_f2c3bf976b1eabd1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00" * 100, bytes(range(256)) * 40, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"PK\x03\x04garbage"],
    ids=["empty", "nul", "all-bytes", "png", "broken-zip"],
)
def test_junk_bytes_raise_gxgk_errors(data: bytes) -> None:
    with pytest.raises(gxgk.GxgkError):
        gxgk.parse(data)


def test_unrelated_document() -> None:
    with pytest.raises(gxgk.NotAReportError) as info:
        gxgk.parse("关于召开年度工作会议的通知\n\n各单位：定于下周一召开会议。\n")
    assert not info.value.looks_like_report


def test_truncated_report_parses_what_is_there_and_says_what_is_missing() -> None:
    cut = SEED_000[: SEED_000.index("三、本年度办理结果")]
    report = gxgk.parse(cut)
    assert report.value("applications.new_received.total") == 0
    assert report.cell("applications.total.total").is_missing
    codes = {d.code for d in report.diagnostics}
    assert {"missing-row", "missing-table"} <= codes
    # a missing row is named by its label in the template, and by its key
    total = next(d for d in report.diagnostics if d.code == "missing-row" and "applications.total.total" in d.cells)
    assert "“三、本年度办理结果：（七）总计”（applications.total）" in total.message
    findings = gxgk.check(report)
    assert findings.errors == []
    assert any("applications.total.total" in f.cells for f in findings)


def test_gbk_bytes_and_bom() -> None:
    assert gxgk.parse(SEED_000.encode("gb18030")).value("active.procurement.items") == 20
    assert gxgk.parse(b"\xef\xbb\xbf" + SEED_000.encode("utf-8")).value("active.procurement.items") == 20


def test_huge_text_is_refused_clearly() -> None:
    with pytest.raises(gxgk.GxgkError, match="over the limit"):
        gxgk.parse("政府信息公开\n" * 1_000_000)


def test_forced_edition_and_typo() -> None:
    report = gxgk.parse(SEED_000, edition="2021")
    assert report.edition == "2021" and report.table_editions.distinct() == ("2021",)
    with pytest.raises(gxgk.EditionError, match="did you mean '2021'"):
        gxgk.parse(SEED_000, edition="2012")


def test_error_position_is_one_line() -> None:
    err = gxgk.UnreadableError("bad cell", source="x.txt", line=3, column=7)
    assert str(err) == "x.txt:3:7: bad cell"


SEED_004 = (SEEDS / "004_7972d62635cd0fc7.txt").read_text(encoding="utf-8")
_NEW_RECEIVED = "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0"
# 5,001 digits: more than Python turns into an int, and than any glued run of a row could hold
_HUGE = "0" + "1" * 5000


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ([_HUGE, "0", "0", "0", "0", "0", "0"], "unreadable-cell"),  # one number per column: read, unreadable
        ([_HUGE, "0", "0", "0", "0", "0"], "ambiguous-split"),  # a column short: a glued run to split
    ],
    ids=["placed", "glued"],
)
def test_a_number_thousands_of_digits_long_is_no_number(values: list[str], code: str) -> None:
    """A cell of thousands of digits is reported, not a crash (Python refuses such ints) or a long
    search (splitting the run into cells)."""
    assert _NEW_RECEIVED in SEED_004
    text = SEED_004.replace(_NEW_RECEIVED, "一、本年新收政府信息公开申请数量 " + " ".join(values))
    report = gxgk.parse(text)
    cell = report.cell("applications.new_received.natural_person")
    assert cell.value is None
    found = [d for d in report.diagnostics if "applications.new_received.natural_person" in d.cells]
    assert [d.code for d in found] == [code]
    assert report.cell("applications.carried_over.natural_person").value is not None  # the rest is read
