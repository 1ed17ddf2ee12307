"""Rows that lost their blank cells (PDF text, a page scraped one cell per line): where their values
may stand, by the row's own arithmetic (gxgk.placement._placings_of)."""

from __future__ import annotations

from gxgk.placement import _placings_of

APPLICANTS = ("count",) * 7
APPLICANT_SUMS = ((0, 6),)
APPEAL_SUMS = ((0, 4), (5, 9), (10, 14))


def test_six_values_and_a_blank_total_stand_in_the_six_applicant_columns() -> None:
    placings, agreed, _ = _placings_of(("3", "1", "0", "2", "0", "4"), APPLICANTS, APPLICANT_SUMS)
    assert placings == (("3", "1", "0", "2", "0", "4", ""),)
    assert agreed == (0, 1, 2, 3, 4, 5, -1)


def test_a_blank_total_leaves_two_equal_values_in_any_columns() -> None:
    # a part and its 总计 (6 ways), or two parts and a 总计 left blank (15): nothing is agreed
    placings, agreed, ways = _placings_of(("3", "3"), APPLICANTS, APPLICANT_SUMS)
    assert len(placings) == 20  # the first twenty kept (the diagnostic's candidates); the message counts all
    assert ("3", "", "", "", "", "", "3") in placings and ("3", "3", "", "", "", "", "") in placings
    assert agreed == (None,) * 7
    assert ways.endswith("等21种") and ways.count("；") == 5


def test_a_total_that_is_not_the_sum_is_no_total() -> None:
    # 5 and 7 cannot be a part and its total; both parts, total blank
    placings, agreed, _ = _placings_of(("5", "7"), APPLICANTS, APPLICANT_SUMS)
    assert all(not p[6] for p in placings) and len(placings) == 15
    assert agreed[6] == -1


def test_values_of_no_column_kind_have_no_placing() -> None:
    assert _placings_of(("1.5",), ("count", "count"), ()) is None
    assert _placings_of(("1.5",), ("count", "amount_wan_yuan"), ()) == ((("", "1.5"),), (-1, 0), "空 | 1.5")


def test_zeros_in_section_four_are_too_many_ways_to_list() -> None:
    assert _placings_of(("0",) * 7, ("count",) * 15, APPEAL_SUMS) is None


def test_a_decimal_in_a_row_of_counts_has_no_placing() -> None:
    assert _placings_of(("1.5", "2"), APPLICANTS, APPLICANT_SUMS) is None
    assert _placings_of(("-1", "2"), APPLICANTS, APPLICANT_SUMS) is None
