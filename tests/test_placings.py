"""Rows that lost their blank cells (PDF text, a page scraped one cell per line): where their values
may stand, by the row's own arithmetic (gxgk.placement._placings_of), and when a blank 总计 is read as
left out rather than as 0 (gxgk.placement.place_deferred)."""

from __future__ import annotations

import itertools
import re

from hypothesis import example, given
from hypothesis import strategies as st

import gxgk
from gxgk.placement import _placings_of
from paths import SEEDS

APPLICANTS = ("count",) * 7
APPLICANT_SUMS = ((0, 6),)
APPEAL_SUMS = ((0, 4), (5, 9), (10, 14))


def test_a_blank_is_zero_in_the_rows_sum() -> None:
    # 3 and its 总计 3: the 3 in any of the six applicant columns, the others blank (0)
    placings, agreed, ways = _placings_of(("3", "3"), APPLICANTS, APPLICANT_SUMS)
    assert len(placings) == 6 and all(p[6] == "3" for p in placings)
    assert agreed == (None, None, None, None, None, None, 1)  # the 总计 is known
    assert ways.count("；") == 5 and "等" not in ways


def test_a_total_that_is_not_the_sum_has_no_placing_unless_totals_are_left_out() -> None:
    assert _placings_of(("5", "0", "0", "0", "0", "8"), APPLICANTS, APPLICANT_SUMS) is None
    placings, agreed, _ = _placings_of(("5", "0", "0", "0", "0", "8"), APPLICANTS, APPLICANT_SUMS, lenient=True)
    assert placings == (("5", "0", "0", "0", "0", "8", ""),)
    assert agreed == (0, 1, 2, 3, 4, 5, -1)


def test_a_left_out_total_leaves_two_equal_values_in_any_columns() -> None:
    # a part and its 总计 (6 ways), or two parts and a 总计 left out (15): nothing is agreed
    placings, agreed, ways = _placings_of(("3", "3"), APPLICANTS, APPLICANT_SUMS, lenient=True)
    assert len(placings) == 20  # the first twenty kept (the diagnostic's candidates); the message counts all
    assert ("3", "", "", "", "", "", "3") in placings and ("3", "3", "", "", "", "", "") in placings
    assert agreed == (None,) * 7
    assert ways.endswith("等21种") and ways.count("；") == 5


def test_values_of_no_column_kind_have_no_placing() -> None:
    assert _placings_of(("1.5",), ("count", "count"), ()) is None
    assert _placings_of(("1.5",), ("count", "amount_wan_yuan"), ()) == ((("", "1.5"),), (-1, 0), "空 | 1.5")


def test_a_decimal_in_a_row_of_counts_has_no_placing() -> None:
    assert _placings_of(("1.5", "2"), APPLICANTS, APPLICANT_SUMS) is None
    assert _placings_of(("-1", "2"), APPLICANTS, APPLICANT_SUMS) is None


def test_zeros_in_section_four_are_too_many_ways_to_list() -> None:
    assert _placings_of(("0",) * 7, ("count",) * 15, APPEAL_SUMS) is None


_WELL_FORMED = {"count": r"0|[1-9]\d*", "delta": r"-?(?:0|[1-9]\d*)", "amount_wan_yuan": r"(?:0|[1-9]\d*)(?:\.\d+)?"}


def _every_placing(
    texts: tuple[str, ...], kinds: tuple[str, ...], sums: tuple[tuple[int, int], ...], lenient: bool
) -> list[tuple[str, ...]]:
    """What _placings_of finds, by trying every choice of columns (the definition, slowly): each value a
    well-formed number of its column's kind, each sum holding with blanks as 0 (or a blank total
    left out, ``lenient``)."""
    found = []
    for columns in itertools.combinations(range(len(kinds)), len(texts)):
        cells = [""] * len(kinds)
        for text, c in zip(texts, columns, strict=True):
            cells[c] = text
        if not all(re.fullmatch(_WELL_FORMED[kinds[c]], t) for c, t in zip(columns, texts, strict=True)):
            continue
        if sums and not all(t.isdigit() for t in texts):
            continue
        if all(
            (lenient and not cells[total]) or sum(int(v or 0) for v in cells[first:total]) == int(cells[total] or 0)
            for first, total in sums
        ):
            found.append(tuple(cells))
    return found


_SHAPES = [
    (("count",) * 7, APPLICANT_SUMS),
    (("count",) * 15, APPEAL_SUMS),
    (("count", "count", "count"), ()),
    (("count", "delta", "amount_wan_yuan"), ()),
]


@st.composite
def _short_rows(draw: st.DrawFn) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...], bool]:
    """A row of a template shape with some of its values dropped: mostly a consistent row (its sums
    hold), sometimes one value changed; counts, zeros, and texts of no column's kind."""
    kinds, sums = draw(st.sampled_from(_SHAPES))
    n = len(kinds)
    parts = st.one_of(st.just(0), st.integers(0, 5), st.integers(0, 300))
    row = [draw(parts) for _ in range(n)]
    for first, total in sums:
        row[total] = sum(row[first:total])
    texts = [str(v) for v in row]
    if draw(st.booleans()):
        texts[draw(st.integers(0, n - 1))] = draw(st.sampled_from(["0", "7", "1.5", "-2", "012", "40"]))
    k = draw(st.integers(0, n - 1))
    if n == 15:
        k = draw(st.sampled_from([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]))  # fewer choices of columns to try
    kept = sorted(draw(st.permutations(range(n)))[:k])
    return tuple(texts[c] for c in kept), kinds, sums, draw(st.booleans())


@given(_short_rows())
def test_placings_are_every_choice_of_columns_that_holds(
    case: tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...], bool],
) -> None:
    texts, kinds, sums, lenient = case
    expected = _every_placing(texts, kinds, sums, lenient)
    found = _placings_of.__wrapped__(texts, kinds, sums, lenient)
    if not expected or len(expected) > 1000:
        assert found is None
        return
    placings, agreed, ways = found
    assert placings == tuple(expected[:20])  # in column order, the first twenty
    for c, a in enumerate(agreed):
        column = {p[c] for p in expected}
        if a is None:
            assert len(column) > 1
        else:
            assert column == {"" if a < 0 else texts[a]}
    assert (f"等{len(expected)}种" in ways) == (len(expected) > 6)


def _report_text(rows: dict[str, str]) -> str:
    """Seed 004 (PDF text, 2021 edition, section 三 all zeros) with the given rows' values printed instead."""
    text = (SEEDS / "004_7972d62635cd0fc7.txt").read_text(encoding="utf-8")
    for label, values in rows.items():
        line = next(ln for ln in text.splitlines() if ln.startswith(label))
        text = text.replace(line, line.split(" ")[0] + " " + values)
    return text


_ROW = "（一）予以公开"


def test_one_row_short_of_a_value_is_not_read_as_a_left_out_total() -> None:
    """A table whose rows print their 总计 but one, which lost a value ("5 0 0 0 0 8" for 5 3 0 0 0 0 8):
    read with its 总计 left out it would give 其他 8 and no 总计. A blank 总计 is read as left out only
    where two rows at least can be read no other way; here the row stays unknown."""
    report = gxgk.parse(_report_text({_ROW: "5 0 0 0 0 8"}))
    row = report.applications.granted
    assert row.other_org.value is None and row.total.value is None and row.other_org.raw is None


def test_rows_whose_totals_are_left_out_are_read() -> None:
    """Two rows (or more) with six values whose last is not the sum of the five before: the table's 总计
    column was left blank, and each is read as its six applicant columns."""
    report = gxgk.parse(_report_text({_ROW: "5 0 0 0 0 8", "（二）部分公开": "1 0 0 0 0 2"}))
    assert report.applications.granted.other_org.value == 8
    assert report.applications.granted.total.raw == ""
    assert report.applications.partially_granted.other_org.value == 2


_ROW_NAMES = ("natural_person", "business", "research", "social_org", "legal_service", "other_org", "total")


def _granted(values: str) -> tuple[list[int | None], dict[str, str]]:
    """Seed 004 with （一）予以公开 printed as ``values``: the row's values, and its diagnostics by code."""
    report = gxgk.parse(_report_text({_ROW: values}))
    row = report.applications.granted
    codes = {d.code: d.message for d in report.diagnostics if "applications.granted.total" in d.cells}
    return [getattr(row, name).value for name in _ROW_NAMES], codes


def test_a_number_broken_by_a_space_is_read_whole_when_only_that_holds() -> None:
    """ "5 345" for 5345 (PDF text spacing a number's digits apart): eight values for seven columns; the
    rightmost seven break the row's 总计, and 5345 read whole is the one way it holds."""
    values, codes = _granted("5 345 129 0 41 19 14 5548")
    assert values == [5345, 129, 0, 41, 19, 14, 5548]
    assert "“5”“345”" in codes["joined-number"] and "unplaced-value" not in codes
    report = gxgk.parse(_report_text({_ROW: "5 345 129 0 41 19 14 5548"}))
    assert report.applications.granted.natural_person.raw == "5 345"
    # the row read whole holds (no GX103), and the diagnostic is information (GX102 compares the row
    # with the seed's 总计 row, which it no longer matches)
    findings = [f for f in gxgk.check(report) if "applications.granted.total" in f.cells and f.rule != "GX102"]
    assert [(f.rule, str(f.severity)) for f in findings] == [("GX001", "info")]


def test_a_value_before_the_row_is_left_out_when_the_rest_holds() -> None:
    """A number before the row's values (a 序号 column): the rightmost seven hold, and are the row."""
    values, codes = _granted("7 5345 129 0 41 19 14 5548")
    assert values == [5345, 129, 0, 41, 19, 14, 5548]
    assert "“7”" in codes["unplaced-value"] and "joined-number" not in codes


def test_no_number_is_joined_where_no_reading_holds() -> None:
    """A row that holds no way (its 总计 wrong) keeps the rightmost values, and its contradiction shows."""
    values, codes = _granted("7 5345 129 0 41 19 14 5549")
    assert values == [5345, 129, 0, 41, 19, 14, 5549] and "joined-number" not in codes


def test_where_several_numbers_may_be_broken_the_columns_they_agree_on_are_placed() -> None:
    """ "1 1 1 0 0 0 0 12" holds as 11 1 0 …, 1 11 0 … and 1 1 10 …: the rightmost seven do not, so the
    row is no value before seven; the columns the three readings agree on are placed, the others
    unknown, the readings listed."""
    report = gxgk.parse(_report_text({_ROW: "1 1 1 0 0 0 0 12"}))
    row = report.applications.granted
    assert [getattr(row, name).value for name in _ROW_NAMES] == [None, None, None, 0, 0, 0, 12]
    assert row.natural_person.is_missing and not row.total.is_missing
    (d,) = [d for d in report.diagnostics if "applications.granted.natural_person" in d.cells]
    assert d.code == "incomplete-row" and "applications.granted.total" not in d.cells
    assert d.candidates == (
        ("11", "1", "0", "0", "0", "0", "12"),
        ("1", "11", "0", "0", "0", "0", "12"),
        ("1", "1", "10", "0", "0", "0", "12"),
    )


def test_a_broken_total_that_also_reads_as_the_rightmost_values_is_not_guessed() -> None:
    """ "11 1 1 3 2 1 1 9" for 11 1 1 3 2 1 | 19: the rightmost seven hold too (1 1 3 2 1 1 | 9). Two
    readings: the columns they agree on are placed, the others unknown."""
    values, codes = _granted("11 1 1 3 2 1 1 9")
    assert values == [None, 1, None, None, None, 1, None]
    assert "取最右边的7个；“1”“9”读作一个数" in codes["incomplete-row"]


@given(
    st.lists(st.one_of(st.integers(0, 13), st.sampled_from([40, 100, 345, 2048])), min_size=6, max_size=6),
    st.integers(0, 6),
    st.integers(1, 3),
)
@example([11, 1, 1, 3, 2, 1], 1, 1)  # 19 printed "1 9": the rightmost seven hold too
def test_a_row_with_a_number_spaced_apart_is_never_read_wrong(parts: list[int], which: int, cut: int) -> None:
    """A consistent row whose digits of one number PDF text spaced apart: each cell is read as its value
    or left unknown, never read as another value."""
    row = [*parts, sum(parts)]
    wide = [c for c, v in enumerate(row) if v >= 10]
    if not wide:
        return
    c = wide[which % len(wide)]
    text = str(row[c])
    cut = min(cut, len(text) - 1)
    printed = [str(v) for v in row]
    printed[c] = f"{text[:cut]} {text[cut:]}"
    values, _ = _granted(" ".join(printed))
    assert all(v is None or v == r for v, r in zip(values, row, strict=True))
