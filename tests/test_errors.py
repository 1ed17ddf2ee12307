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
