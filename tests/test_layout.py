"""What the layout stage makes of the ways real documents mangle their tables (small inline texts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import gxgk
from gxgk import editions
from gxgk.layout import Kind, LineIndex, build_rows, find_sections, is_furniture, scan_zone
from gxgk.lexer import tokens_for_section
from gxgk.text import fold, parse_number
from paths import SEEDS

HEAD = "某某区某某局2022年政府信息公开工作年度报告\n一、总体情况\n本年度共收到申请3件。\n"
# rows enough for gxgk to take the text for a report (a look-alike with one labelled row is refused)
MORE = "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n（七）总计 0 0 0 0 0 0 0\n"


def rows_of(body: str):
    text = "三、收到和处理政府信息公开申请情况\n" + body
    folded = fold(text)
    index = LineIndex(folded)
    (span,) = find_sections(folded, index)
    return build_rows(scan_zone(text, folded, span.body_start, span.end, index))


@pytest.mark.parametrize(
    ("raw", "amount", "value"),
    [
        ("12", False, 12),
        ("１２", False, 12),
        ("1,234", False, 1234),
        ("12,345.5", True, Decimal("12345.5")),
        ("1,23", False, None),  # not thousands: no number, rather than 123
        ("1,2,3", False, None),
        ("20（含服务）", False, 20),
        ("-3", False, -3),
        ("—3", False, -3),  # a dash for the minus sign
        ("–3", False, -3),
        ("——3", False, None),
        ("零", False, 0),
        ("〇", True, Decimal(0)),
        ("85.64 万", True, Decimal("85.64")),
        ("251000元", True, Decimal("25.1")),
        ("75394432.52元", True, Decimal("7539.443252")),
        ("0", True, Decimal("0")),
        ("无", False, None),
    ],
)
def test_parse_number(raw: str, amount: bool, value: object) -> None:
    assert parse_number(fold(raw), amount=amount) == value


def test_comma_that_is_no_thousands_separator_splits_the_values() -> None:
    """A thousands separator groups three digits ("1,234"); "1,23" and "0,1,2" are values separated by
    commas, never 123 or 12."""
    (row,) = rows_of("（一）予以公开 1,234 0,1,2 1,23\n")
    assert [c.text for c in row.values] == ["1,234", "0", "1", "2", "1", "23"]


def test_numbering_is_label_text_and_glued_numbering_is_split() -> None:
    (row,) = rows_of("1.属于国家秘密 0 0 0 0 0 0 0\n")
    assert row.label == "1.属于国家秘密" and [c.text for c in row.cells] == ["0"] * 7
    (first, second) = rows_of("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000\n")
    assert first.cells[0].text == "0000000" and first.cells[0].glued
    assert second.label.startswith("2.其他")


def test_label_wrapped_over_lines_joins_its_values() -> None:
    (row,) = rows_of("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息\n\n公开申请\n0 0 0 0 0 0 0\n")
    assert row.label.endswith("政府信息公开申请") and len(row.values) == 7


def test_tab_row_keeps_blank_cells_in_place() -> None:
    (row,) = rows_of("（一）予以公开\t1\t\t\t\t\t\t1\n")
    assert row.positional and [c.kind for c in row.cells][:3] == [Kind.NUMBER, Kind.EMPTY, Kind.EMPTY]


def test_vertical_layout_rows_run_to_the_next_label() -> None:
    rows = rows_of("（一）予以公开\n 0\n 0\n（二）部分公开\n 1\n 1\n 2\n")
    assert [len(r.values) for r in rows] == [2, 3]


def test_page_furniture_is_dropped() -> None:
    assert is_furniture("- 4 -") and is_furniture("第 3 页 共 5 页") and not is_furniture("4")
    rows = rows_of("（一）予以公开 0 0 0 0 0 0 0\n- 4 -\n（二）部分公开 0 0 0 0 0 0 0\n")
    assert [len(r.values) for r in rows] == [7, 7]


def test_headings_inline_and_with_typos() -> None:
    folded = fold("正文 一、总体情况 好。二、主动公开政府信息情况 表 四、政府信息公开行政法复议、行政诉讼情况 表")
    spans = find_sections(folded, LineIndex(folded))
    assert [s.number for s in spans] == [1, 2, 4]


def test_markdown_row_with_shifted_columns_is_incomplete_not_guessed() -> None:
    text = HEAD + (
        "三、收到和处理政府信息公开申请情况\n"
        "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | |\n"
        "| 四、结转下年度继续办理 | | | 0 | 0 | 0 | 0 | 0 | 0 | |\n" + MORE
    )
    report = gxgk.parse(text)
    assert report.value("applications.new_received.total") == 1
    assert all(c.is_missing for _, c in report.applications.carried_forward.cells())
    assert any(
        d.code == "incomplete-row" and "applications.carried_forward.total" in d.cells for d in report.diagnostics
    )


def test_row_with_more_values_than_columns_takes_the_rightmost() -> None:
    text = (
        HEAD + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t9\t1\t0\t0\t0\t0\t0\t1\n" + MORE
    )
    report = gxgk.parse(text)
    assert report.value("applications.new_received.natural_person") == 1
    (d,) = [d for d in report.diagnostics if d.code == "unplaced-value"]
    assert "“9”" in d.message


def test_glued_row_split_by_its_total() -> None:
    text = HEAD + (
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0\n"
        "（一）予以公开801000081（二）部分公开0000000（三）不予公开1.属于国家秘密220000022\n"
    )
    report = gxgk.parse(text)
    assert [c.value for _, c in report.applications.granted.cells()] == [80, 1, 0, 0, 0, 0, 81]
    # 22|0|0|0|0|0|22 and 2|20|0|0|0|0|22 both fit: the cells they differ in stay unknown, the
    # candidates said; the cells every candidate agrees on are placed
    assert [c.value for _, c in report.applications.withheld.state_secret.cells()] == [None, None, 0, 0, 0, 0, 22]
    (d,) = [
        d
        for d in report.diagnostics
        if d.code == "ambiguous-split" and "applications.withheld.state_secret.business" in d.cells
    ]
    assert ("22", "0", "0", "0", "0", "0", "22") in d.candidates and (
        "2",
        "20",
        "0",
        "0",
        "0",
        "0",
        "22",
    ) in d.candidates


@pytest.mark.parametrize(
    "heading",
    ["（单位：万元，保留\n4位小数）", "(单位：万元，保留 4 位小\n数)"],  # PDF text may space the digit apart
    ids=["wrapped", "spaced"],
)
def test_number_in_a_wrapped_heading_is_text(heading: str) -> None:
    # the heading's "4" (of 保留4位小数) must not go to the fee row
    text = HEAD + (
        f"二、主动公开政府信息情况\n第二十条第（八）项\n信息内容 本年收费金额{heading}\n"
        "行政事业性收费 12.5\n" + "三、收到和处理政府信息公开申请情况\n" + MORE
    )
    report = gxgk.parse(text, edition="2021")
    assert report.value("active.fees.amount") == Decimal("12.5")
    assert not [d for d in report.diagnostics if "active.fees.amount" in d.cells or d.code.startswith("unplaced")]


def test_label_wrapped_after_a_word_that_is_a_blank_mark_is_one_row() -> None:
    # PDF text wrapped "4．无正当理由大量反复申请" after 无, which alone is a blank mark
    seed = (SEEDS / "004_7972d62635cd0fc7.txt").read_text(encoding="utf-8")
    wrapped = seed.replace("4.无正当理由大量反复申请 0 0 0 0 0 0 0", "4. 无\n\n正当理由大量反复申请\n\n5 0 0 0 0 0 5")
    assert wrapped != seed
    report = gxgk.parse(wrapped)
    assert report.value("applications.not_processed.mass_repeated.natural_person") == 5
    assert report.value("applications.not_processed.mass_repeated.total") == 5
    assert not [d for d in report.diagnostics if "mass_repeated" in " ".join(d.cells)]
    # the lexer joins the rows; a row whose label names a template row keeps "无" as its blank mark
    rows = rows_of("4. 无\n正当理由大量反复申请 5 0 0 0 0 0 5\n（七）总计 无\n")
    assert [r.label for r in rows] == ["4.", "正当理由大量反复申请", "(七)总计"]  # "4." names no row alone
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells]) for t in tokens] == [
        ("R3_MASS_REPEATED", ["5", "0", "0", "0", "0", "0", "5"]),
        ("R3_TOTAL", ["无"]),
    ]


def test_label_wrapped_after_its_values_takes_its_rest_back() -> None:
    """PDF text of cells aligned at the top: a row's values on its label's first line, the label's rest
    on the lines below, before the next row's label. The row takes back the rest up to the end of the
    label found across the break; a label short enough to start a longer one ("其他" of
    "其他法律行政法规禁止公开") and a row's number alone ("（七）") take theirs too."""
    rows = rows_of(
        "2.其他 1 0 0 0 0 0 1\n法律行政法规禁止公开\n"
        "（六）其他处理 1.申请人无正 2 0 0 0 0 0 2\n当理由逾期不补正、行政机关不再处理其政府信息公开申请\n"
        "2.申请人逾期 0 3 0 0 0 0 3\n未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n"
        "3.其他 0 4 0 0 0 0 4\n（七） 3 7 0 0 0 0 10\n总计\n"
    )
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells] if t.value.row else None) for t in tokens] == [
        ("R3_PROHIBITED", ["1", "0", "0", "0", "0", "0", "1"]),
        ("R3_OTHER", None),
        ("R3_OVERDUE", ["2", "0", "0", "0", "0", "0", "2"]),
        ("R3_UNPAID", ["0", "3", "0", "0", "0", "0", "3"]),
        ("R3_OTHER_OTHER", ["0", "4", "0", "0", "0", "0", "4"]),
        ("R3_TOTAL", ["3", "7", "0", "0", "0", "0", "10"]),
    ]
    # a row whose label names its row keeps it: the next label starts a row of its own
    rows = rows_of("1.属于国家秘密 1 0 0 0 0 0 1\n2.其他法律行政法规禁止公开 0 0 0 0 0 0 0\n")
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [t.type for t in tokens] == ["R3_STATE_SECRET", "R3_PROHIBITED"]


def test_group_label_on_the_line_of_a_row_inside_its_label_goes_before_it() -> None:
    """A group's merged cell centred beside its rows prints its label on the line of the row at its
    middle, inside that row's wrapped label: the values are the row's, and the group label comes first."""
    rows = rows_of("1.信访举报投\n（五）不予处理 4 0 0 0 0 0 4\n诉类申请\n2.重复申请 1 0 0 0 0 0 1\n")
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells] if t.value.row else None) for t in tokens] == [
        ("G3_NOT_PROCESSED", None),
        ("R3_COMPLAINT", ["4", "0", "0", "0", "0", "0", "4"]),
        ("R3_REPEATED", ["1", "0", "0", "0", "0", "0", "1"]),
    ]


def test_blank_mark_word_starting_the_next_label_goes_back_to_it() -> None:
    """One cell a line (PDF text in content order): "4." and "无" of "4.无正当理由大量反复申请" on lines of
    their own after the row before's values. "无" is also a blank mark: read as the row before's eighth
    value, it pushed a value out of place. It starts the next label, so it goes back to it; a blank
    mark before a label it does not start stays a value."""
    rows = rows_of(
        "3.要求提供公开出版物\n0\n0\n0\n0\n0\n0\n7\n4.\n无\n正当理由大量反复申请\n1\n0\n0\n0\n0\n0\n1\n"
        "（七）总计 无\n四、结转下年度继续办理 0 0 0 0 0 0 0\n"
    )
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells]) for t in tokens] == [
        ("R3_PUBLICATION", ["0", "0", "0", "0", "0", "0", "7"]),
        ("R3_MASS_REPEATED", ["1", "0", "0", "0", "0", "0", "1"]),
        ("R3_TOTAL", ["无"]),
        ("R3_CARRIED_FORWARD", ["0"] * 7),
    ]


def test_row_number_alone_on_the_values_line_starts_the_label() -> None:
    """PDF text of cells aligned at the top, a label broken right after its number: "8." and the values on
    one line, "属于行政查询事项" below. The number was dropped as punctuation, so the row lost its label
    and the label below took the next row's values (a property test found it)."""
    rows = rows_of(
        "7.  0 0 0 0 0 0 0\n\n属于行政执法案卷\n\n8.  1 0 0 0 0 0 1\n\n属于行政查询事项\n\n- 18 -\n\n"
        "(四)无法提供\n\n1. 本机关不掌握相关政府信息\n\n2 0 0 0 0 0 2\n"
    )
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells] if t.value.row else None) for t in tokens] == [
        ("R3_ENFORCEMENT", ["0"] * 7),
        ("R3_QUERY", ["1", "0", "0", "0", "0", "0", "1"]),
        ("G3_UNAVAILABLE", None),
        ("R3_NOT_HELD", ["2", "0", "0", "0", "0", "0", "2"]),
    ]


def test_blank_mark_word_before_the_values_of_a_label_wrapped_below_goes_back_to_it() -> None:
    """Cells aligned at the top, a label broken right after 无: "4. 无 3979 0 0 0 1042", then "正当理由
    大量反复申请". Read as a blank mark, 无 took the first column and pushed every value one column on (a
    property test found it, blanks vanished). It goes back to the label; a blank mark before the values
    of a row whose next label it does not start stays a value."""
    rows = rows_of(
        "4. 无 3979 0 0 0 1042\n正当理由大量反复申请\n（七）总计 无 1 0 0 0 0 1\n四、结转下年度继续办理 0 0 0 0 0 0 0\n"
    )
    tokens = tokens_for_section(3, rows, editions.vocabulary(editions.all_editions()))
    assert [(t.type, [c.text for c in t.value.row.cells]) for t in tokens] == [
        ("R3_MASS_REPEATED", ["3979", "0", "0", "0", "1042"]),
        ("R3_TOTAL", ["无", "1", "0", "0", "0", "0", "1"]),
        ("R3_CARRIED_FORWARD", ["0"] * 7),
    ]


def test_a_dash_before_digits_is_a_sign_only_in_a_whole_cell() -> None:
    """ "—3" alone in a cell (a tab-separated row) or on a line (one cell a line) is -3; among cells glued
    together ("一、本年新收… —3000003"), the dash may be a blank mark before the next cell's digits: the
    digits are not read as a negative number."""
    (tab,) = rows_of("一、本年新收政府信息公开申请数量\t1\t—3\t0\t0\t0\t0\t0\n")
    assert [c.text for c in tab.values] == ["1", "—3", "0", "0", "0", "0", "0"]
    assert parse_number(tab.values[1].text) == -3
    (alone,) = rows_of("一、本年新收政府信息公开申请数量\n—3\n")
    assert [parse_number(c.text) for c in alone.values] == [-3]
    (glued,) = rows_of("一、本年新收政府信息公开申请数量 —3000003\n")
    assert [c.text for c in glued.values] == ["3000003"] and glued.values[0].glued
