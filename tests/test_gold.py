"""Every seed and every real report against its gold extraction, cell by cell."""

from __future__ import annotations

import html
import pathlib
import re
from collections.abc import Callable
from typing import Any

import pytest

import gxgk
from gold import differences, load, matches, named
from gxgk import editions
from gxgk.readers import read_path
from paths import GOLD, REAL

SEED_GOLD = sorted(GOLD.glob("*.json"))
REAL_GOLD = sorted(REAL.glob("*.gold.json"))
READABLE = [p for p in SEED_GOLD + REAL_GOLD if not load(p).get("expect_error")]


def _id(path: pathlib.Path) -> str:
    return path.name.split(".")[0] if path.parent == GOLD else path.name.removesuffix(".gold.json")


def _pair_id(value: object) -> str:
    """The id of a (report, text) parameter pair: the report's id, the text as it is."""
    return value if isinstance(value, str) else _id(value)  # type: ignore[arg-type]


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


def _hongze_text(old: str, new: str) -> str:
    """The text read from the real PDF report hongze-2024.pdf, its line starting with ``old`` made ``new``."""
    text = read_path(REAL / "hongze-2024.pdf").text
    start = text.index(old)
    end = text.index("\n", start)
    return text[:start] + new + text[end:]


def test_row_empty_at_both_ends_is_read_where_its_arithmetic_can_hold() -> None:
    """hongze's 总计 row has an empty cell after its label (the label spans a column); with its 总计 left
    blank the row is empty at both ends. Read one column off, 自然人 would be blank, 商业企业 95 and 总计 0:
    the row's arithmetic rules that reading out, and the other is placed, with an info finding."""
    report = gxgk.parse(_hongze_text("（七）总计", "（七）总计\t\t95\t0\t0\t0\t0\t0\t"))
    total = report.applications.total
    assert (total.natural_person.value, total.business.value, total.other_org.value) == (95, 0, 0)
    assert total.total.value is None and total.total.raw == ""
    assert [d.code for d in report.diagnostics] == ["shifted-row"]
    assert any(f.rule == "GX001" and f.severity.value == "info" for f in gxgk.check(report))


def test_row_empty_at_both_ends_is_read_from_its_first_cell_unless_its_arithmetic_rules_that_out() -> None:
    """Trailing empty cells are most often padding: a row of section 二 (no arithmetic of its own)
    "", 3, 0, "" for three columns reads blank | 3 | 0, as before (tests/test_records.py has a row no
    reading makes hold)."""
    report = gxgk.parse(_hongze_text("行政规范性文件", "行政规范性文件\t\t3\t0\t"))
    row = report.active.normative_docs
    assert (row.issued.raw, row.repealed.value, row.in_force.value) == ("", 3, 0)
    assert report.diagnostics == ()


def test_text_cut_before_its_tables_is_refused_as_truncated() -> None:
    text = (REAL / "pingtan-2021.txt").read_text(encoding="utf-8")
    cut = text[: text.index("二、主动公开")]
    with pytest.raises(gxgk.NotAReportError, match="truncated") as info:
        gxgk.parse(cut)
    assert info.value.looks_like_report and f"line {cut.count(chr(10)) + 1}" in str(info.value)


# A heading on a line of its own, as the reports whose text keeps its lines print them.
_HEADING_LINE = re.compile(r"(?m)^([一二三四五六]、)(\S{4,24})$")
HEADINGS_ON_LINES = [p for p in READABLE if _HEADING_LINE.search(read_path(load(p)["report"]).text)]


@pytest.mark.parametrize("gold_path", HEADINGS_ON_LINES, ids=_id)
def test_headings_set_with_letter_spacing_are_found(gold_path: pathlib.Path) -> None:
    """PDF text of headings set with wide letter spacing ("四、政 府 信 息 公 开 行 政 法 复 议 、 行 政 诉 讼 情 况"):
    the six sections are found as in the report itself, and the cells read as its gold."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    spaced = _HEADING_LINE.sub(lambda m: m.group(1) + " ".join(m.group(2)), text)
    report = gxgk.parse(spaced)
    assert [s.number for s in report.sections] == [s.number for s in gxgk.parse(text).sections]
    assert any(" " in s.title for s in report.sections)  # found spaced, by the spaced search
    assert differences(gold, report) == []


def test_title_wrapped_over_three_lines_gives_its_agency() -> None:
    """hongze's title is on two lines (agency; year and 政府信息公开工作年度报告); with the year on a line
    of its own as well, the agency is still the line before it."""
    report = gxgk.parse(_hongze_text("2024 年政府信息公开工作年度报告", "2024 年\n政府信息公开工作年度报告"))
    assert report.agency == "淮安市洪泽区人民政府" and report.year == 2024


BREADCRUMBS = {
    "bullets": "当前位置：\n• 首页\n• 政府信息公开\n• 政府信息公开年报\n",
    "arrows": "您的位置：首页 > 政务公开 > 政府信息公开年报\n",
}


@pytest.mark.parametrize("breadcrumb", sorted(BREADCRUMBS))
@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_title_after_a_breadcrumb_naming_the_column(gold_path: pathlib.Path, breadcrumb: str) -> None:
    """A page copied or printed with its site's navigation names the column before the title ("• 政府信息公开
    年报", "首页 > 政务公开 > 政府信息公开年报"): it was taken for the title, and its bullet for the agency.
    The title is the report's, as without the navigation."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    plain = gxgk.parse(text)
    report = gxgk.parse(BREADCRUMBS[breadcrumb] + text)
    assert (report.title, report.agency, report.year) == (plain.title, plain.agency, plain.year)
    assert differences(gold, report) == []


def _title_line(gold_path: pathlib.Path) -> str | None:
    """The line of the report's title when it names both the agency and the year, else None."""
    text = read_path(load(gold_path)["report"]).text
    agency = gxgk.parse(text).agency
    return next(
        (ln for ln in text.splitlines() if agency and agency in ln and "年度报告" in ln and _YEAR.search(ln)), None
    )


_YEAR = re.compile(r"20\d\d\s*年度?")
TITLED = [p for p in READABLE if _title_line(p) is not None]


@pytest.mark.parametrize("gold_path", TITLED, ids=_id)
def test_title_without_its_year_is_still_the_title(gold_path: pathlib.Path) -> None:
    """A title that names its agency but not its year is the title: a later line that names the year
    and 政府信息公开…年度报告 (a sentence of the preamble) is not."""
    text = read_path(load(gold_path)["report"]).text
    line = _title_line(gold_path)
    assert line is not None
    report = gxgk.parse(text.replace(line, _YEAR.sub("", line, count=1), 1))
    assert report.agency == gxgk.parse(text).agency


# Titles as agencies write them, for an agency and a year: the template's words, and others.
TITLE_FORMS = {
    "year first": "{year}年{agency}政府信息公开工作年度报告",
    "关于 first": "关于{agency}{year}年政府信息公开工作年度报告",
    "关于 before the year": "{agency}关于{year}年度政府信息公开工作的年度报告",
    "Chinese year": "{chinese}年{agency}政府信息公开工作年度报告",
    "年报": "{agency}{year}年度政府信息公开年报",
}


def _chinese_year(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


@pytest.mark.parametrize("form", sorted(TITLE_FORMS))
@pytest.mark.parametrize("gold_path", TITLED, ids=_id)
def test_title_forms_give_agency_and_year(gold_path: pathlib.Path, form: str) -> None:
    """Titles that put the year or 关于 before the agency, write the year in Chinese digits (二〇二二年), or
    say "关于…政府信息公开工作的年度报告": the year and 关于 were taken into the agency, the Chinese year
    was not read, and the last form was no title at all (a column's name before it was taken instead)."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    plain = gxgk.parse(text)
    line = _title_line(gold_path)
    assert line is not None and plain.agency and plain.year
    title = TITLE_FORMS[form].format(agency=plain.agency, year=plain.year, chinese=_chinese_year(plain.year))
    report = gxgk.parse(text.replace(line, "政府信息公开年报\n" + title, 1))
    assert (report.agency, report.year) == (plain.agency, plain.year)
    assert differences(gold, report) == []


def _headings_repeated(text: str) -> str:
    """``text`` with section 三's column headings (the text between its heading and its first row) printed
    again, after a page number, before the row of 不予处理 (before （七）总计 where that row is not found):
    a table printed over two pages with its heading rows repeated at the top of the second."""
    first = text.index("本年新收")
    start = text.rindex("收到和处理政府信息公开申请情况", 0, first) + len("收到和处理政府信息公开申请情况")
    line_start = text.rfind("\n", start, first)
    headings = text[start:line_start] if line_start > start else text[start : first - 2]  # before "一、"
    assert any(word in headings for word in ("自然人", "申请人情况")), headings
    for target in ("不予处理", "（七）总计"):
        at = text.find(target, first)
        if at > 0:
            break
    before = text.rfind("\n", 0, at)
    if before > first and "\n" in headings.strip("\n"):  # a layout of lines: the headings' lines before the row's
        return text[: before + 1] + "- 3 -\n" + headings.strip("\n") + "\n" + text[before + 1 :]
    at -= 3 if text[at - 3 : at] in ("（五）", "(五)") else 0  # flattened: before the row's numbering
    return text[:at] + headings + text[at:]


@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_column_headings_repeated_over_the_rows_are_not_rows(gold_path: pathlib.Path) -> None:
    """Section 三's table printed over two pages repeats its heading rows (申请人情况, 自然人, 法人或其他组织
    … 总计) over its rows: read as labels, their 总计 and 其他 made rows of their own, and the rows after
    them unknown or the table read in the wrong edition. They name no row, and every layout reads as its gold."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    repeated = _headings_repeated(text)
    assert repeated != text
    report = gxgk.parse(repeated)
    assert differences(gold, report) == []
    assert [d.code for d in report.diagnostics] == [d.code for d in gxgk.parse(text).diagnostics]


def _section_two_heading_repeated(text: str) -> str | None:
    """``text`` with the column headings of section 二's first part (信息内容 …, on lines of their own)
    printed again, after a page number, before the row of 规范性文件; None when they share a line with
    a row (text flattened from a page)."""
    start = text.find("信息内容")
    rules = text.find("规章", start)
    normative = text.find("规范性文件", rules)
    if min(start, rules, normative) < 0:
        return None
    head, rules_line, normative_line = (text.rfind("\n", 0, at) + 1 for at in (start, rules, normative))
    if not head < rules_line < normative_line:
        return None
    return text[:normative_line] + "- 2 -\n" + text[head:rules_line] + text[normative_line:]


SECTION_TWO_ON_LINES = [
    p for p in READABLE if _section_two_heading_repeated(read_path(load(p)["report"]).text) is not None
]


@pytest.mark.parametrize("gold_path", SECTION_TWO_ON_LINES, ids=_id)
def test_section_two_headings_repeated_over_its_rows_are_dropped(gold_path: pathlib.Path) -> None:
    """Section 二's column headings printed again between the rows of a part (a table over two pages):
    the next row's label fits where they stand, so they are dropped, not taken for the head of the next
    part (which made 规范性文件 a missing row and its values unplaced)."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    report = gxgk.parse(_section_two_heading_repeated(text))  # type: ignore[arg-type]
    assert differences(gold, report) == []
    assert [d.code for d in report.diagnostics] == [d.code for d in gxgk.parse(text).diagnostics]


def test_many_repeated_headings_are_looked_past_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the headings after a row stand is worked out once per reading of a table, not once per
    heading: 2,000 heading lines in a row cost one pass over the tokens, and the report still reads as
    its gold."""
    from gxgk import parser

    gold = load(SECTION_TWO_ON_LINES[0])
    text = read_path(gold["report"]).text
    once = _section_two_heading_repeated(text)
    assert once is not None
    start = text.find("信息内容")
    headings = text[text.rfind("\n", 0, start) + 1 : text.rfind("\n", 0, text.find("规章", start)) + 1]
    many = once.replace(headings, headings * 1000, 2)  # the head of the table, and its repeat
    calls = []
    beyond = parser._beyond_headings
    monkeypatch.setattr(parser, "_beyond_headings", lambda tokens: calls.append(len(tokens)) or beyond(tokens))
    report = gxgk.parse(many)
    assert differences(gold, report) == []
    assert 1 <= len(calls) <= 2 and max(calls) > 1000  # once per edition that read the table


_TEMPLATE_HEADING = re.compile(
    r"(?m)^(\s*)([一二三四五六])、(?=\s*(?:总体情况|主动公开|收到和处理|政府信息公开行政|行政复议|存在的主要|其[他它]需要))"
)
_ARABIC = dict(zip("一二三四五六", "123456", strict=True))
HEADING_NUMBERINGS = {
    "part": lambda n: f"第{n}部分 ",
    "part-colon": lambda n: f"第{n}部分：",
    "arabic": lambda n: f"{_ARABIC[n]}、",
    "arabic-dot": lambda n: f"{_ARABIC[n]}．",
    "paren": lambda n: f"（{n}）",
    "space": lambda n: f"{n} ",  # its "、" lost
    "none": lambda n: "",  # copied from a document that numbered its headings itself: the numbers stay behind
}
HEADINGS_AT_LINE_START = [p for p in READABLE if _TEMPLATE_HEADING.search(read_path(load(p)["report"]).text)]


@pytest.mark.parametrize("numbering", sorted(HEADING_NUMBERINGS))
@pytest.mark.parametrize("gold_path", HEADINGS_AT_LINE_START, ids=_id)
def test_headings_numbered_otherwise_than_the_template_are_found(gold_path: pathlib.Path, numbering: str) -> None:
    """Section headings numbered "第三部分", "3、", "3．", "（三）" or "三 " instead of "三、", or not at all (the words
    alone on their line): the report was refused (no section found, so no table). They are found, all
    of them or the one numbered otherwise among the template's, and every layout reads as its gold."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    number = HEADING_NUMBERINGS[numbering]
    every = _TEMPLATE_HEADING.sub(lambda m: m.group(1) + number(m.group(2)), text)
    one = _TEMPLATE_HEADING.sub(lambda m: m.group(0) if m.group(2) != "三" else m.group(1) + number("三"), text)
    sections = [s.number for s in gxgk.parse(text).sections]
    for changed in (every, one):
        assert changed != text
        report = gxgk.parse(changed)
        assert [s.number for s in report.sections] == sections
        assert differences(gold, report) == []


def test_a_heading_number_before_a_long_run_of_spaces_costs_one_pass() -> None:
    """The search for headings numbered otherwise leaves a run of spaces after "第一部分" to one "\\s*": a
    pattern that could share it between two ("\\s*[:、.,]?\\s*") tries every split, and 200,000 spaces
    would not finish. The report, its section 三 numbered "第三部分", still reads as its gold."""
    gold = load(HEADINGS_AT_LINE_START[0])
    text = read_path(gold["report"]).text
    renumbered = _TEMPLATE_HEADING.sub(lambda m: m.group(0) if m.group(2) != "三" else m.group(1) + "第三部分 ", text)
    report = gxgk.parse(renumbered + "\n第一部分" + " " * 200_000 + "。\n")
    assert differences(gold, report) == []


_VALUE_CELL = re.compile(r"\s*(?:[\d.,]+(?:万元|元)?|/|-|—|无)?\s*")
_SPACED_ROW = re.compile(r"(?P<label>.*?[^\d\s.,])(?P<values>(?:[ \t]+[\d.,]+(?:万元|元)?){1,16})\s*")


def _wrapped_in_narrow_cells(text: str, width: int, where: str) -> str:
    """``text`` with each table row's label broken every ``width`` characters, as a narrow cell wraps it
    and PDF text prints it: one line per piece, the row's values on the label's first line (``top``:
    cells aligned at the top, Word's default) or on its middle one (``middle``: centred)."""
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            k = len(cells)
            while k > 0 and _VALUE_CELL.fullmatch(cells[k - 1]):
                k -= 1
            labels, values = cells[:k], "\t" + "\t".join(cells[k:]) if k < len(cells) else ""
            if not labels or not values.strip() or len(labels[-1]) <= width:
                out.append(line)
                continue
            head, label = "\t".join(labels[:-1]) + ("\t" if len(labels) > 1 else ""), labels[-1]
        else:
            m = _SPACED_ROW.fullmatch(line)
            if m is None or len(m.group("label").strip()) <= width:
                out.append(line)
                continue
            head, label, values = "", m.group("label").strip(), m.group("values")
        pieces = [label[i : i + width] for i in range(0, len(label), width)]
        at = 0 if where == "top" else (len(pieces) - 1) // 2
        pieces[0] = head + pieces[0]
        pieces[at] += values
        out.extend(pieces)
    return "\n".join(out)


WRAPPABLE = [p for p in READABLE if _wrapped_in_narrow_cells(t := read_path(load(p)["report"]).text, 6, "top") != t]


@pytest.mark.parametrize("where", ["top", "middle"])
@pytest.mark.parametrize("gold_path", WRAPPABLE, ids=_id)
def test_labels_wrapped_in_narrow_cells_read_to_gold(gold_path: pathlib.Path, where: str) -> None:
    """Row labels wrapped in a narrow column, the values on the label's first line ("1.申请人无正 2 0 0"
    then "当理由逾期不" … "申请", as PDF text prints cells aligned at the top) or on its middle line. The
    label's rest on the lines after the values read as the start of the next row's label: the values went
    to the row before or after, or to the group heading, and the table could be read in the wrong
    edition. The rows take their labels back, and every layout reads as its gold."""
    gold = load(gold_path)
    wrapped = _wrapped_in_narrow_cells(read_path(gold["report"]).text, 6, where)
    assert differences(gold, gxgk.parse(wrapped)) == []


def _tables_as_html(text: str) -> str:
    """``text`` with each run of TAB lines (a table) written as one HTML table on one line, wrapped in
    <html><body> as MinerU writes the tables of the markdown it makes from a document."""
    out: list[str] = []
    rows: list[str] = []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<html><body><table>" + "".join(rows) + "</table></body></html>")
            rows.clear()
        out.append(line)
    return "\n".join(out[:-1])


@pytest.mark.parametrize("gold_path", FLATTENABLE, ids=_id)
def test_markdown_with_html_tables_reads_to_gold(gold_path: pathlib.Path) -> None:
    """Markdown made from a document by a converter that keeps its tables as HTML (MinerU; docling and
    pandoc for merged cells): the tables were left as markup, every cell unknown, or the file taken for a
    web page. As text and as a file's bytes, every layout reads as its gold."""
    gold = load(gold_path)
    markdown = _tables_as_html(read_path(gold["report"]).text)
    assert "<table>" in markdown
    assert differences(gold, gxgk.parse(markdown)) == []
    assert differences(gold, gxgk.parse(markdown.encode())) == []


HTML_PAGES = [p for p in READABLE if str(load(p)["report"]).endswith(".html")]


@pytest.mark.parametrize("gold_path", HTML_PAGES, ids=_id)
def test_web_page_handed_over_as_text_reads_as_its_bytes(gold_path: pathlib.Path) -> None:
    """A page fetched as text (``requests.get(url).text``, a ``str``) was read as plain text: its markup
    became its title and agency ('<meta name="ColumnName" content="') and stayed in its prose. It is
    read as the HTML reader reads the page's bytes."""
    gold = load(gold_path)
    page = pathlib.Path(gold["report"]).read_bytes()
    as_bytes = gxgk.parse(page)
    as_text = gxgk.parse(page.decode("utf-8"))
    assert differences(gold, as_text) == []
    assert dict(as_text.cells()) == dict(as_bytes.cells())
    assert (as_text.title, as_text.agency, as_text.prose) == (as_bytes.title, as_bytes.agency, as_bytes.prose)


def _zero_cells(text: str, report: gxgk.Report, kind: str | None = None) -> list[tuple[str, int]]:
    """The first cell (of ``kind``, if given) of each table that holds a 0 standing alone in ``text``
    (nothing glued to it): its key and its offset in ``text``."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    found: dict[str, tuple[str, int]] = {}
    edition = editions.get(report.edition) if kind else None
    for key, cell in report.cells():
        table = key.split(".")[0]
        if table in found or cell.raw != "0" or not cell.line or not cell.column:
            continue
        if edition is not None and edition.kind(key) != kind:
            continue
        at = starts[cell.line - 1] + cell.column - 1
        if text[at] == "0" and text[at - 1 : at] in _CELL_EDGE and text[at + 1 : at + 2] in _CELL_EDGE:
            found[table] = (key, at)
    return list(found.values())


_CELL_EDGE = ("", " ", "\t", "\n", "|")  # what stands beside a cell's text: nothing glued to it
WITH_ZERO_CELLS = [p for p in READABLE if _zero_cells(t := read_path(load(p)["report"]).text, gxgk.parse(t))]


@pytest.mark.parametrize("word", ["暂无", "不适用", "不涉及", "无此项", "未统计", "N/A", "（空）", "零", "〇"])
@pytest.mark.parametrize("gold_path", WITH_ZERO_CELLS, ids=_id)
def test_words_for_none_and_zero_in_a_cell(gold_path: pathlib.Path, word: str) -> None:
    """A cell that says in words that it holds nothing (暂无, 不适用, 未统计, N/A, （空）) is blank, its word
    kept as its source text and named by a finding; 零 and 〇 are the number 0. Read as label text, such
    a word let the row's values slide one column left, the last into a trailing padding cell, silently.
    In text whose cells are glued together, a word among glued numbers leaves its row unsplit, with a
    finding. The other cells read as the gold."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    before = gxgk.parse(text)
    targets = _zero_cells(text, before)
    changed = text
    for _, at in sorted(targets, key=lambda t: -t[1]):
        changed = changed[:at] + word + changed[at + 1 :]
    report = gxgk.parse(changed)
    findings = gxgk.check(report)
    zero = word in ("零", "〇")

    def glued(report: gxgk.Report, code: str) -> set[str]:
        return {key for d in report.diagnostics if d.code == code for key in d.cells}

    unsplit = glued(report, "ambiguous-split")
    for key, _ in targets:
        cell = report.cell(key)
        if key in unsplit:  # a row of numbers glued together, a word among them: not split, and said so
            assert cell.raw is None and named(findings, key, "warning"), key
            continue
        if zero and key in glued(report, "split-glued"):  # 零 among glued numbers: split as a 0
            assert cell.value == 0, key
            continue
        assert (cell.value, cell.raw) == ((0, word) if zero else (None, word)), key
        assert zero or named(findings, key, "warning"), f"{key} blank silently"
    others = {k: v for k, v in gold["cells"].items() if k not in {key for key, _ in targets} | unsplit}
    assert differences({**gold, "cells": others}, report) == []
    assert len(unsplit - glued(before, "ambiguous-split")) <= 7  # one row at most


WITH_ZERO_CHANGES = [p for p in READABLE if _zero_cells(t := read_path(load(p)["report"]).text, gxgk.parse(t), "delta")]


@pytest.mark.parametrize("dash", ["—", "–"])
@pytest.mark.parametrize("gold_path", WITH_ZERO_CHANGES, ids=_id)
def test_a_dash_before_a_number_is_its_minus_sign(gold_path: pathlib.Path, dash: str) -> None:
    """本年增/减 (2019 edition) written "—3" or "–3", a dash for the minus sign as typeset text and input
    methods write it: the dash was dropped as punctuation and the cell read 3, silently. It is -3."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    [(key, at)] = _zero_cells(text, gxgk.parse(text), "delta")
    report = gxgk.parse(text[:at] + dash + "3" + text[at + 1 :])
    cell = report.cell(key)
    assert (cell.value, cell.raw) == (-3, dash + "3")
    assert differences({**gold, "cells": {k: v for k, v in gold["cells"].items() if k != key}}, report) == []


SECTION_LISTS = {
    "contents": "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n",
    "contents with pages": "目 录\n一、总体情况……………1\n二、主动公开政府信息情况……………2\n"
    "三、收到和处理政府信息公开申请情况……………3\n四、政府信息公开行政复议、行政诉讼情况……4\n"
    "五、存在的主要问题及改进情况………5\n六、其他需要报告的事项……6\n",
    "preamble": "本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
    "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。\n",
}


@pytest.mark.parametrize("listing", sorted(SECTION_LISTS))
@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_sections_listed_before_the_report_are_passed_over(gold_path: pathlib.Path, listing: str) -> None:
    """A table of contents, or a preamble naming the six sections with their numbers, was taken for the
    sections themselves: each held nothing, and the report was refused as having no tables. The report's
    own headings, after the list, are its sections."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    plain = gxgk.parse(text)
    lines = text.split("\n")
    at = plain.sections[0].line - 1  # before the line of the first heading, after the title
    report = gxgk.parse("\n".join([*lines[:at], SECTION_LISTS[listing], *lines[at:]]))
    assert differences(gold, report) == []
    assert [(d.code, d.cells) for d in report.diagnostics] == [(d.code, d.cells) for d in plain.diagnostics]
    assert [s.number for s in report.sections] == [s.number for s in plain.sections]


@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_sections_listed_before_headings_numbered_otherwise(gold_path: pathlib.Path) -> None:
    """A table of contents numbered as the template numbers ("一、总体情况" …) before headings numbered
    "第一部分 总体情况": the list was taken for the sections, as no heading of its form came again, and the
    report was refused. A list alone is no set of headings: the report's own, found by a later pass,
    are its sections."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    plain = gxgk.parse(text)
    for section in plain.sections:
        if section.title[1:2] == "、":
            text = text.replace(section.title, f"第{section.title[0]}部分 {section.title[2:]}", 1)
    lines = text.split("\n")
    at = plain.sections[0].line - 1
    report = gxgk.parse("\n".join([*lines[:at], SECTION_LISTS["contents"], *lines[at:]]))
    assert differences(gold, report) == []
    assert [s.number for s in report.sections] == [s.number for s in plain.sections]
    assert all(s.title.startswith("第") for s in report.sections)


@pytest.mark.parametrize("gold_path", READABLE, ids=_id)
def test_a_second_report_after_the_first_is_named(gold_path: pathlib.Path) -> None:
    """Two reports in one text (a page listing several, a report pasted twice): the first's tables are
    read and a warning names the line where section 三's heading comes again; it was dropped silently."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    other = read_path(load(READABLE[(READABLE.index(gold_path) + 1) % len(READABLE)])["report"]).text
    report = gxgk.parse(text + "\n" + other)
    assert differences(gold, report) == []
    [again] = [d for d in report.diagnostics if d.code == "heading-again"]
    [heading] = [s.line for s in gxgk.parse(other).sections if s.number == 3]
    assert again.line == (text + "\n").count("\n") + heading
    assert any(f.rule == "GX001" and f.line == again.line for f in gxgk.check(report))
    assert not [d for d in gxgk.parse(text).diagnostics if d.code == "heading-again"]


# Table sections' headings as agencies reword them.
REWORDED_HEADINGS = {
    "主动公开情况": ("主动公开政府信息情况", "主动公开情况"),
    "依申请公开政府信息情况": ("收到和处理政府信息公开申请情况", "依申请公开政府信息情况"),
    "被申请行政复议、提起行政诉讼情况": (
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    ),
}
REWORDABLE = [
    (p, name)
    for p in READABLE
    for name, (words, _) in sorted(REWORDED_HEADINGS.items())
    if words in read_path(load(p)["report"]).text
]


@pytest.mark.parametrize(("gold_path", "reworded"), REWORDABLE, ids=_pair_id)
def test_table_headings_reworded_are_found(gold_path: pathlib.Path, reworded: str) -> None:
    """A table section's heading reworded ("三、依申请公开政府信息情况", as reports before the 2019 template
    said): the section was not found and its table was lost. Where a table's section is still missing,
    its heading is looked for by the words agencies use, numbered as the template numbers it."""
    gold = load(gold_path)
    words, other = REWORDED_HEADINGS[reworded]
    report = gxgk.parse(read_path(gold["report"]).text.replace(words, other))
    assert differences(gold, report) == []


# Prose sections' headings worded otherwise than the 2021 template: section 一 as reports before the
# 2019 template worded it, section 五 as the 2019 template words it and as agencies shorten it.
HEADING_WORDINGS = {
    "一、总体情况": ("一、概述", "一、基本情况", "一、总体工作情况", "一、工作概况"),
    "五、存在的主要问题及改进情况": (
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及改进情况",
        "五、存在的主要问题及改进措施",
        "五、主要问题和改进措施",
    ),
}
WORDED_OTHERWISE = [
    (p, heading)
    for p in READABLE
    for template, headings in HEADING_WORDINGS.items()
    for heading in headings
    if read_path(load(p)["report"]).text.count(template) == 1
]


@pytest.mark.parametrize(("gold_path", "heading"), WORDED_OTHERWISE, ids=_pair_id)
def test_prose_headings_worded_otherwise_are_found(gold_path: pathlib.Path, heading: str) -> None:
    """Section 一's heading as reports before the 2019 template worded it ("一、概述"), section 五's as that
    template words it ("五、政府信息公开工作存在的主要问题及改进情况") or shortened: the section was not found,
    its prose was lost (section 一's: GX301 had nothing to compare with the tables; section 五's went to
    section 四) and GX401 said the section was missing. Each form is the section's heading, and the
    report reads as its gold, with the prose and the findings of the template's heading."""
    gold = load(gold_path)
    template = next(t for t, headings in HEADING_WORDINGS.items() if heading in headings)
    text = read_path(gold["report"]).text
    original = gxgk.parse(text)
    report = gxgk.parse(text.replace(template, heading))
    assert differences(gold, report) == []
    [section] = [s for s in report.sections if s.number == "一二三四五六".index(heading[0]) + 1]
    assert section.title == heading
    assert report.prose == original.prose
    # (a report may lack section 六, or its fee statement: the same findings as with the template's heading)
    assert [f.message for f in gxgk.check(report) if f.rule in ("GX301", "GX401")] == [
        f.message for f in gxgk.check(original) if f.rule in ("GX301", "GX401")
    ]


TABLE_HEADINGS = (
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
)
# each report with each table heading it prints once
HEADINGS_ONCE = [
    (p, heading)
    for p in READABLE
    for heading in TABLE_HEADINGS
    if read_path(load(p)["report"]).text.count(heading) == 1
]


@pytest.mark.parametrize(("gold_path", "heading"), HEADINGS_ONCE, ids=_pair_id)
def test_table_headings_wrapped_over_two_lines_are_found(gold_path: pathlib.Path, heading: str) -> None:
    """A table section's heading wrapped over two lines, as text hard-wrapped at a width or a PDF of a
    narrow column prints it ("三、收到和处" then "理政府信息公开申请情况"): the section was not found and
    its table was lost. Broken after every character, with and without the next line's indent, every
    report reads as its gold."""
    gold = load(gold_path)
    text = read_path(gold["report"]).text
    for at in range(3, len(heading)):
        for indent in ("", "    "):
            wrapped = text.replace(heading, heading[:at] + "\n" + indent + heading[at:])
            assert differences(gold, gxgk.parse(wrapped)) == [], heading[:at]


@pytest.mark.parametrize(("gold_path", "heading"), HEADINGS_ONCE, ids=_pair_id)
def test_a_table_without_its_heading_is_found_by_its_header(gold_path: pathlib.Path, heading: str) -> None:
    """A table section whose heading is lost (an image on the page, a line the converter dropped): its
    table went to the section before and was lost. It is found by the words that open its header
    (第二十条第（一）项; 申请人情况; 行政复议 … 行政诉讼), reads as its gold, and a warning says so."""
    gold = load(gold_path)
    report = gxgk.parse(read_path(gold["report"]).text.replace(heading, ""))
    assert differences(gold, report) == []
    number = "一二三四".index(heading[0]) + 1
    [section] = [s for s in report.sections if s.number == number]
    missing = [d for d in report.diagnostics if d.code == "heading-missing"]
    if section.title:  # 行政复议 and 行政诉讼 alone on the header's first line, read as the heading's words
        assert number == 4 and "行政诉讼" in section.title and not missing
        return
    assert [d.line for d in missing] == [section.line]
    assert any(f.rule == "GX001" and f.line == section.line for f in gxgk.check(report))


_TABLE_MARKUP = re.compile(r"(?is)<table\b.*?</table>")
_NUMBER_NODE = re.compile(r">(\d{2,}(?:\.\d+)?)<")


@pytest.mark.parametrize("gap", ["<br/>", " ", "\n"], ids=["br", "space", "newline"])
@pytest.mark.parametrize("gold_path", HTML_PAGES, ids=_id)
def test_numbers_broken_inside_their_cells_read_as_one(gold_path: pathlib.Path, gap: str) -> None:
    """A number broken inside its cell (a <br> or a line break from the editor, a space): "753944<br>32.52元"
    read as two values, the row had one more than its columns, and the rightmost were taken — 753944 for
    the count and 0.003252 for the amount. A cell holds one value: digits with whitespace between them
    are one number. Every number of every table of the real pages broken in two reads as its gold."""
    gold = load(gold_path)
    page = pathlib.Path(gold["report"]).read_bytes().decode("utf-8")

    def broken(table: re.Match[str]) -> str:
        return _NUMBER_NODE.sub(lambda m: f">{m[1][: len(m[1]) // 2]}{gap}{m[1][len(m[1]) // 2 :]}<", table[0])

    changed = _TABLE_MARKUP.sub(broken, page)
    assert changed != page
    assert differences(gold, gxgk.parse(changed.encode())) == []


# Web pages' tables with blank cells, flattened with their cells glued together: the blanks vanish.
def _blank_zeros(line: str) -> str:
    return "\t".join("" if cell.strip() == "0" else cell for cell in line.split("\t"))


def _blank_last(line: str) -> str:
    cells = line.split("\t")
    if len(cells) >= 8 and all(c.strip().isdigit() for c in cells[-7:]):  # a row of section 三
        cells[-1] = ""
    return "\t".join(cells)


BLANKINGS = {"zeros": _blank_zeros, "totals": _blank_last}


def _read_blanked(
    gold_path: pathlib.Path, blanking: str, layout: Callable[[str], str]
) -> tuple[gxgk.Report, dict[str, Any], list[str]]:
    """The page of ``gold_path`` with cells blanked (``blanking``), read in ``layout``, checked against
    the page read with its blanks kept: every value read is the page's, and every cell left unknown
    that the page prints is named by a diagnostic. The report, the page's cells and those unknown."""
    blank = BLANKINGS[blanking]
    text = "\n".join(blank(line) for line in read_path(load(gold_path)["report"]).text.split("\n"))
    truth = dict(gxgk.parse(text).cells())  # the page's cells, blanks kept
    report = gxgk.parse(layout(text))
    named_cells = {key for d in report.diagnostics for key in d.cells}
    unknown = []
    for key, cell in report.cells():
        if cell.value is None:
            if truth[key].value is not None:
                unknown.append(key)
                assert any(key == k or key.startswith(k + ".") for k in named_cells), key
        else:
            assert cell.value == truth[key].value, key
    return report, truth, unknown


def _flattened(text: str) -> str:
    """Text as a page flattens: its cells glued together, its lines run into one another."""
    return re.sub(r"[ \t\u00a0]*\n[ \t\u00a0]*", "", text.replace("\t", ""))


@pytest.mark.parametrize("gold_path", HTML_PAGES, ids=_id)
@pytest.mark.parametrize("blanking", sorted(BLANKINGS))
def test_flattened_page_whose_blank_cells_vanished_gives_no_wrong_value(gold_path: pathlib.Path, blanking: str) -> None:
    """A page whose tables leave cells blank (zeros left blank, or section 三's 总计 column), flattened
    with its cells glued together: the blanks vanish, and "0400037" may be seven cells or six and a
    blank. Runs were split one number per column wherever they could be: wrong values, silently.
    Where the table shows that blanks vanished (a row without a number, a run too short for its
    columns or no numbers of its columns' kinds), no run is split: every value read is the page's,
    and every cell left unknown is named by a diagnostic."""
    _, _, unknown = _read_blanked(gold_path, blanking, _flattened)
    assert unknown, "the blanks made some run ambiguous"


def _spaced_out(text: str) -> str:
    """Text as PDF text prints a table: cells one space apart, a blank cell no space of its own."""
    return re.sub(r"[ \t]+", " ", text)


@pytest.mark.parametrize("gold_path", HTML_PAGES, ids=_id)
@pytest.mark.parametrize("blanking", sorted(BLANKINGS))
def test_rows_that_lost_their_blank_cells_are_placed_by_their_arithmetic(
    gold_path: pathlib.Path, blanking: str
) -> None:
    """A page whose tables leave cells blank, as PDF text prints it: the blanks vanish, and a row has
    fewer values than columns. Such rows were left unknown. Now each row's values are placed where the
    row's own arithmetic allows one way only (总计 = the six applicant columns, a blank as 0, a blank
    总计 as left out where the table's rows show its 总计 column blank); where it allows several, the
    columns they all agree on are filled. Every value
    read is the page's, every cell left unknown is named, and a row that printed its six applicant
    columns and left its 总计 blank is read whole where no other placing holds."""
    report, truth, _ = _read_blanked(gold_path, blanking, _spaced_out)
    parts = ("natural_person", "business", "research", "social_org", "legal_service", "other_org")
    rows = {key.rsplit(".", 1)[0] for key, _ in report.cells() if key.startswith("applications.")}
    # a row that printed its six applicant columns and left its 总计 blank: one placing, unless its last
    # value could be the 总计 of the five before it and a blank among them (0 0 0 0 0 0, say)
    whole = [
        r
        for r in rows
        if all(truth[f"{r}.{p}"].value is not None for p in parts)
        and truth[f"{r}.total"].raw == ""
        and truth[f"{r}.other_org"].value != sum(truth[f"{r}.{p}"].value for p in parts[:5])
    ]
    if blanking == "totals":
        assert whole
    for row in whole:
        assert all(report.value(f"{row}.{p}") == truth[f"{row}.{p}"].value for p in parts), row
