"""Each built-in rule fires where it should and stays silent where it should not."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import gxgk
from gxgk import rules
from gxgk.findings import Severity
from gxgk.records import Cell
from gxgk.rules import builtin
from handmade import c, consistent_2019, consistent_2021, with_cells
from paths import SEEDS


def codes(findings: list[gxgk.Finding], severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity.value == severity]


@pytest.mark.parametrize("make", [consistent_2021, consistent_2019])
def test_consistent_report_has_no_finding(make) -> None:
    assert list(gxgk.check(make())) == []


def test_culprit_cell_is_named_with_its_repair() -> None:
    # 予以公开/自然人 2 → 5: its row's 总计 and its column's （七）总计 both miss by 3
    r = with_cells(consistent_2021(), applications__granted__natural_person=c(5))
    errors = gxgk.check(r).errors
    assert sorted(codes(errors)) == ["GX102", "GX103"]
    for f in errors:
        assert f.cells[0] == "applications.granted.natural_person"
        assert f.suggestions == (("applications.granted.natural_person", 2),)
        assert "改为 2" in f.message


def test_balance_rule_gx101() -> None:
    r = with_cells(
        consistent_2021(), applications__carried_over__natural_person=c(2), applications__carried_over__total=c(2)
    )
    found = gxgk.check(r)
    assert codes(found.errors) == ["GX101", "GX101"]
    f = found.by_rule("GX101")[0]
    assert f.severity is Severity.ERROR and f.expected is not None and f.actual is not None


def test_appeal_total_gx104() -> None:
    r = with_cells(consistent_2021(), review__total=c(3))
    (f,) = gxgk.check(r).errors
    assert f.rule == "GX104" and f.cells[0] == "review.total" and f.actual == 3 and f.expected == 1
    assert ("review.total", 1) in f.suggestions and len(f.suggestions) == 5  # any one cell could be the wrong one


def test_blank_part_counts_as_zero_and_says_so() -> None:
    # a blank where the parts already exceed the total: blanks cannot mend it, an error that says so
    r = with_cells(consistent_2021(), applications__granted__business=c(None), applications__granted__total=c(1))
    found = gxgk.check(r)
    (row_error,) = found.by_rule("GX103")
    assert row_error.severity is Severity.ERROR and "空白单元格1个按0计" in row_error.message
    assert "GX002" in codes(found, "warning")
    # a blank part on the smaller side could hold the difference: a warning, not an error
    r = with_cells(consistent_2021(), applications__granted__business=c(None))
    found = gxgk.check(r)
    assert found.errors == []
    assert any(f.rule == "GX103" and "若空白单元格" in f.message for f in found)


def test_blank_total_is_a_warning_with_the_needed_value() -> None:
    r = with_cells(consistent_2021(), applications__granted__total=c(None))
    found = gxgk.check(r)
    assert found.errors == []
    f = next(f for f in found if f.rule == "GX103")
    assert f.severity is Severity.WARNING and f.expected == 3 and "应为3" in f.message


def test_missing_cells_leave_their_sums_unchecked() -> None:
    r = with_cells(consistent_2021(), applications__granted__natural_person=Cell())
    assert gxgk.check(r).errors == []


def test_negative_and_fractional_counts_gx105() -> None:
    r = with_cells(consistent_2021(), active__licensing__decisions=c(-1), active__penalty__decisions=c(Decimal("2.5")))
    found = gxgk.check(r, rules=["GX105"])
    assert codes(found, "error") == ["GX105", "GX105"]
    r19 = consistent_2019()
    assert gxgk.check(r19, rules=["GX105"]) == []


def test_edition_against_year_gx201() -> None:
    assert codes(gxgk.check(consistent_2021(year=2020), rules=["GX201"])) == ["GX201"]
    assert codes(gxgk.check(consistent_2019(year=2022), rules=["GX201"])) == ["GX201"]
    assert gxgk.check(consistent_2019(year=2020), rules=["GX201"]) == []


def test_total_published_below_published_gx202() -> None:
    from gxgk.records import Active2019, Documents2019

    r = consistent_2019()
    active = Active2019(rules=Documents2019(c(1), c(3), c(2)))
    r = attrs.evolve(r, active=active, table_editions=attrs.evolve(r.table_editions, active="2019"))
    (f,) = gxgk.check(r, rules=["GX202"])
    assert f.cells == ("active.rules.total_published", "active.rules.published")
    assert gxgk.check(consistent_2021(), rules=["GX202"]) == []


@pytest.mark.parametrize(
    ("overview", "fires"),
    [
        ("本年度共收到政府信息公开申请5件。", False),
        ("本年度共收到政府信息公开申请17件。", True),
        ("全年收到申请4件，其中……", True),
        ("本年度未收到政府信息公开申请。", True),
        ("共收到5件申请，办结4件，1件结转下年度继续办理。", False),
        ("共收到5件申请，办结3件。", True),
    ],
)
def test_prose_against_tables_gx301(overview: str, fires: bool) -> None:
    r = attrs.evolve(consistent_2021(), prose=attrs.evolve(consistent_2021().prose, overview=overview))
    assert bool(gxgk.check(r, rules=["GX301"])) is fires


def test_completeness_gx401() -> None:
    r = consistent_2021()
    assert gxgk.check(r, rules=["GX401"]) == []
    no_fee = attrs.evolve(r, prose=attrs.evolve(r.prose, other_matters="无。"))
    assert "信息处理费" in gxgk.check(no_fee, rules=["GX401"])[0].message
    empty_five = attrs.evolve(r, prose=attrs.evolve(r.prose, problems="（无）"))
    assert "第五部分" in gxgk.check(empty_five, rules=["GX401"])[0].message
    missing = attrs.evolve(r, sections=r.sections[:5])
    assert "缺少第6部分" in gxgk.check(missing, rules=["GX401"])[0].message


def test_parse_diagnostics_are_warnings_gx001() -> None:
    from gxgk.records import Diagnostic

    r = attrs.evolve(
        consistent_2021(), diagnostics=(Diagnostic("incomplete-row", "…", ("applications.granted.total",)),)
    )
    (f,) = gxgk.check(r, rules=["GX001"])
    assert f.severity is Severity.WARNING and f.cells == ("applications.granted.total",)


def test_series_carry_over_gx501_and_in_force_gx502() -> None:
    before = consistent_2021(year=2022)  # 结转下年度: 自然人 1, 总计 1
    after = consistent_2021(year=2023)  # 上年结转: 0
    assert sorted(f.cells[0] for f in gxgk.check_series([after, before], rules=["GX501"])) == [
        "applications.carried_over.natural_person",
        "applications.carried_over.total",
    ]
    carried = with_cells(after, applications__carried_over__natural_person=c(1), applications__carried_over__total=c(1))
    assert gxgk.check_series([before, carried], rules=["GX501"]) == []
    assert gxgk.check_series([before, with_cells(carried, year=2025)], rules=["GX501"]) == []  # not consecutive
    in_force = with_cells(carried, active__rules__in_force=c(7))
    (f,) = gxgk.check_series([before, in_force], rules=["GX502"])
    assert f.severity is Severity.WARNING and f.expected == 0 and f.actual == 7
    issued = with_cells(carried, active__rules__issued=c(7), active__rules__in_force=c(7))
    assert gxgk.check_series([before, issued], rules=["GX502"]) == []


def test_select_exclude_and_custom_rule() -> None:
    r = with_cells(consistent_2021(), review__total=c(3))
    assert gxgk.check(r, exclude=["GX104"]) == []

    @rules.rule("TEST01", title_zh="测试", title_en="Test", description="A rule from outside gxgk.", editions={"2021"})
    def agency_named(report):
        if report.agency == "测试局":
            yield rules.finding("TEST01", "info", "机关名称为测试局", report=report)

    try:
        assert codes(gxgk.check(consistent_2021())) == ["TEST01"]
        assert gxgk.check(consistent_2019()) == []  # not for the 2019 edition
        assert rules.get_rule("TEST01").title_en == "Test"
    finally:
        rules.unregister("TEST01")
    with pytest.raises(KeyError, match="GX101"):
        rules.get_rule("NOPE")


def test_every_rule_documents_itself() -> None:
    for r in rules.all_rules():
        assert r.code and r.title_zh and r.title_en and r.description


def test_rules_share_work_per_report_but_never_across_reports() -> None:
    # the rules share one table of cells and one evaluation of the sums per report (the last one checked):
    # a report checked after another, or again after one that differs in a single cell, gets its own findings
    good, bad = consistent_2021(), with_cells(consistent_2021(), applications__granted__natural_person=c(5, "5"))
    bad_findings = gxgk.check(bad)
    assert sorted(codes(bad_findings.errors)) == ["GX102", "GX103"]
    for report, expected in [(good, []), (bad, bad_findings), (good, []), (attrs.evolve(bad), bad_findings)]:
        assert gxgk.check(report) == expected
    # finding() takes lines from the cells of the report it is given, and skips keys it has not
    moved = with_cells(good, review__total=Cell(1, "1", 40, 3))
    for report, line in [(good, 1), (moved, 40), (good, 1)]:
        f = rules.finding("X1", "warning", "…", cells=["review.total", "no.such.cell"], report=report)
        assert (f.line, f.lines) == (line, (line,))


_ONE_ALTERNATION = {
    # the patterns of GX301 as first written, one alternation each
    "received": re.compile(
        r"(?:收到|受理|接收|新收)[^。；\d]{0,30}?申请[^。；\d]{0,8}?(\d+)\s*[件例个条]"
        r"|(?:收到|受理|接收|新收)[^。；\d]{0,12}?(\d+)\s*[件例个条][^。；\d]{0,12}?申请"
    ),
    "forward": re.compile(
        r"(\d+)\s*[件例个条][^。；，,\d]{0,6}?结转(?:下年度|至下一?年)"
        r"|结转(?:下年度|至下一?年)[^。；，,\d]{0,10}?(\d+)\s*[件例个条]"
    ),
}
_PROSE_PIECES = [
    *"收受理接新申请件个条结转下年度至一。；，, 0123456789",
    *("收到", "申请", "新收", "12", "3件", "结转下年度", "结转至下一年", "继续办理", "办结"),
]


@given(st.lists(st.sampled_from(_PROSE_PIECES), max_size=30).map("".join))
@example("办结44件，结转下年度继续办理4件；共收到申请12件")
@example("收到12件申请，其中12件结转下年度")
@example("更新申请表3件，新收申请12件")
def test_prose_patterns_match_as_one_alternation(text: str) -> None:
    # GX301's patterns are written for speed (a shared prefix, two patterns searched for the leftmost match):
    # they must find what the plain alternations find
    def found(m: re.Match[str] | None) -> tuple[tuple[int, int], str | None] | None:
        return None if m is None else (m.span(), m.group(1) or (m.group(2) if m.re.groups > 1 else None))

    assert found(builtin._RECEIVED.search(text)) == found(_ONE_ALTERNATION["received"].search(text))
    assert found(builtin._leftmost(builtin._FORWARD, text)) == found(_ONE_ALTERNATION["forward"].search(text))


@pytest.mark.parametrize("make", [consistent_2019, consistent_2021])
def test_report_equations_are_the_equations(make: object) -> None:
    """The equations worked out once per table structure are those of the report, in order, and a
    report of another structure gets its own (section 四 left out: no GX104)."""
    report = make()  # type: ignore[operator]
    assert builtin.report_equations(report) == tuple(builtin.equations(report))
    fewer = attrs.evolve(report, review=None, litigation_direct=None, litigation_after_review=None)
    assert builtin.report_equations(fewer) == tuple(builtin.equations(fewer))
    assert not any(eq.code == "GX104" for eq in builtin.report_equations(fewer))
    assert any(eq.code == "GX104" for eq in builtin.report_equations(report))


def test_blank_cells_name_a_wholly_blank_table_once_and_blank_rows_otherwise() -> None:
    """GX002: a table whose every cell is blank is one finding; one cell with no source text (unknown,
    not blank) makes the table not wholly blank, and its blank cells are named by row."""
    group = ("upheld", "corrected", "other", "pending", "total")
    blank = with_cells(consistent_2021(), **{f"review__{name}": c(None) for name in group})
    found = [f for f in gxgk.check(blank) if f.rule == "GX002"]
    assert [f.message for f in found] == ["review 整个表格空白（5个单元格）"]
    assert found[0].cells == tuple(f"review.{name}" for name in group)
    one_unknown = with_cells(blank, review__total=Cell())
    found = [f for f in gxgk.check(one_unknown) if f.rule == "GX002"]
    assert [f.message for f in found] == ["review 有空白单元格：upheld、corrected、other、pending"]


def test_findings_the_rules_make_are_findings() -> None:
    """The rules' quick way of making a Finding makes the finding ``Finding(...)`` makes."""
    from gxgk.findings import Finding
    from gxgk.rules import _make_finding

    for args in [
        ("GX101", Severity.ERROR, "不相等", ("a.b", "a.c"), 3, 2, 7, (7, 9), (("a.b", 2),), "r.txt"),
        ("GX002", Severity.WARNING, "空白", (), None, None, None, (), (), None),
    ]:
        made, finding = _make_finding(*args), Finding(*args)
        assert made == finding and hash(made) == hash(finding) and repr(made) == repr(finding)
        assert str(made) == str(finding) and made.source == finding.source
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.line = 2  # type: ignore[misc]


def test_a_finding_names_the_lines_of_its_cells_first_named_first() -> None:
    """``finding`` looks up each cell's line: ``line`` is the first cell's that has one, ``lines``
    every line once, in order; a key the report has no cell at is passed over."""
    report = gxgk.parse(SEEDS / "004_7972d62635cd0fc7.txt")
    cells = dict(report.cells())
    keys = [
        "applications.total.total",
        "applications.new_received.natural_person",
        "no.such.cell",
        "applications.total.other_org",
    ]
    f = rules.finding("GX999", "warning", "m", cells=keys, report=report)
    expected_lines = [cells[k].line for k in keys if k in cells]
    assert len(expected_lines) == 3 and len(set(expected_lines)) == 2  # two rows, one key of none
    assert f.line == expected_lines[0] and f.lines == tuple(sorted(set(expected_lines)))
    assert f.cells == tuple(keys) and f.severity is Severity.WARNING
