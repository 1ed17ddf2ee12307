"""Glued cells split by the arithmetic of the whole table (gxgk.glue)."""

from __future__ import annotations

import time

import pytest

from gxgk import parse
from gxgk.glue import GluedRun, diagnostic, solve
from gxgk.parser import parse_text
from gxgk.placement import split_candidates
from paths import REAL


def run(keys: str, *candidates: str, raw: str = "") -> GluedRun:
    """A run over the cells ``keys`` ("a.x a.y"), its splits written "1|23"."""
    return GluedRun(tuple(keys.split()), tuple(tuple(c.split("|")) for c in candidates), raw or "?", 3, 1)


def columns(rows: str, total: str, cols: str = "x y") -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per column: total.col = Σ row.col."""
    return [((f"{total}.{c}",), tuple(f"{r}.{c}" for r in rows.split())) for c in cols.split()]


# --- the solver on hand-made tables -----------------------------------------------------------


def test_unique_solution_from_a_column_total() -> None:
    a = GluedRun(("a.x", "a.y"), tuple(split_candidates(["1234"], 2)), "1234", 3, 1)
    assert len(a.candidates) == 3  # 1|234, 12|34, 123|4: the row alone cannot tell
    [res] = solve([a], columns("a b", "t"), {"b.x": 3, "b.y": 6, "t.x": 15, "t.y": 40})
    assert res.status == "unique"
    assert res.values == (12, 34)
    assert res.choices == (("12", "34"),)
    d = diagnostic(res)
    assert d.code == "split-glued" and d.cells == ("a.x", "a.y") and "12 | 34" in d.message


def test_rows_solved_jointly() -> None:
    # each row alone has two splits; only one pair makes both column totals
    a = run("a.x a.y", "2|20", "22|0")
    b = run("b.x b.y", "1|9", "19|1")
    results = solve([a, b], columns("a b", "t"), {"t.x": 41, "t.y": 1})
    assert [r.values for r in results] == [(22, 0), (19, 1)]
    assert all(r.status == "unique" for r in results)


def test_two_solutions_stay_ambiguous() -> None:
    a = run("a.x a.y", "1|2", "2|1")
    b = run("b.x b.y", "1|2", "2|1")
    results = solve([a, b], columns("a b", "t"), {"t.x": 3, "t.y": 3})
    for res in results:
        assert res.status == "ambiguous"
        assert res.values == (None, None)
        assert res.choices == (("1", "2"), ("2", "1"))
        d = diagnostic(res)
        assert d.code == "ambiguous-split"
        assert d.cells == res.run.keys
        assert d.candidates == (("1", "2"), ("2", "1"))
        assert "1 | 2；2 | 1" in d.message


def test_a_cell_fixed_across_solutions_is_placed() -> None:
    # the z column's total rules out 1|1|6; the two splits left agree on z only
    a = run("a.x a.y a.z", "1|2|5", "2|1|5", "1|1|6")
    b = run("b.x b.y b.z", "1|2|0", "2|1|0")
    results = solve([a, b], columns("a b", "t", "x y z"), {"t.x": 3, "t.y": 3, "t.z": 5})
    assert results[0].status == "partial"
    assert results[0].values == (None, None, 5)
    assert results[0].choices == (("1", "2", "5"), ("2", "1", "5"))
    d = diagnostic(results[0])
    assert d.code == "ambiguous-split"
    assert d.cells == ("a.x", "a.y")  # only the cells left unknown
    assert "第3列为5" in d.message
    assert results[1].status == "partial" and results[1].values == (None, None, 0)


def test_no_solution_falls_back_to_the_row() -> None:
    a = run("a.x a.y a.z", "2|20|22", "22|0|22")
    [res] = solve([a], columns("a", "t", "x y z"), {"t.x": 5, "t.y": 5, "t.z": 22})
    assert res.status == "contradiction"
    # every split of the row agrees on z: that much is certain whatever went wrong elsewhere
    assert res.values == (None, None, 22)
    assert res.choices == a.candidates
    d = diagnostic(res)
    assert d.code == "ambiguous-split" and d.cells == ("a.x", "a.y")
    assert "都不满足整张表的数量关系" in d.message
    assert d.candidates == (("2", "20", "22"), ("22", "0", "22"))


def test_blank_cells_make_an_equation_unusable() -> None:
    a = run("a.x a.y", "2|20", "22|0")
    for known in ({"t.x": 22, "t.y": None}, {"t.x": 22}):  # blank or absent: not 0
        [res] = solve([a], [(("t.x",), ("a.x",)), (("t.y",), ("a.y",))], known)
        assert res.values == (22, 0)
    [res] = solve([a], [(("t.x", "t.y"), ("a.x", "a.y", "u"))], {"t.x": 22, "t.y": 0, "u": None})
    assert res.status == "ambiguous" and not res.constrained
    assert "没有可用于判定的数量关系" in diagnostic(res).message


def test_unrelated_runs_are_solved_separately() -> None:
    a = run("a.x a.y", "2|20", "22|0")
    c = run("c.x c.y", "3|50", "35|0")  # no equation: stays ambiguous
    results = solve([a, c], [(("t.x",), ("a.x",))], {"t.x": 22})
    assert results[0].values == (22, 0)
    assert results[1].status == "ambiguous" and results[1].choices == c.candidates


def test_adversarial_search_is_bounded() -> None:
    # 30 rows of 500 splits each, all x even, the column total odd: no solution, and the bounds
    # cannot see it (parity); the y cells are 0 in every split, so the search cannot stop early
    runs = [GluedRun((f"r{i}.x", f"r{i}.y"), tuple((str(2 * k), "0") for k in range(500)), "?") for i in range(30)]
    system = [(("t.x",), tuple(f"r{i}.x" for i in range(30))), (("t.y",), tuple(f"r{i}.y" for i in range(30)))]
    start = time.perf_counter()
    results = solve(runs, system, {"t.x": 30 * 499 + 1, "t.y": 0})
    assert time.perf_counter() - start < 5
    assert {r.status for r in results} == {"undecided"}
    # only what each row says on its own is placed
    assert all(r.values == (None, 0) for r in results)
    assert "组合过多" in diagnostic(results[0]).message


def test_many_solutions_stop_early() -> None:
    # every cell is seen with two values after a few solutions: the search stops there
    runs = [GluedRun((f"r{i}.x", f"r{i}.y"), tuple((str(k), str(9 - k)) for k in range(10)), "?") for i in range(25)]
    system = [(("t.x", "t.y"), tuple(f"r{i}.{c}" for i in range(25) for c in "xy"))]
    start = time.perf_counter()
    results = solve(runs, system, {"t.x": 100, "t.y": 125})
    assert time.perf_counter() - start < 5
    assert all(r.status == "ambiguous" and r.values == (None, None) for r in results)
    assert not results[0].complete and "至少" in diagnostic(results[0]).message


def test_huge_candidate_lists_are_bounded() -> None:
    # the set-up alone would exceed the budget: every run is undecided, promptly
    runs = [GluedRun((f"r{i}.x",), tuple((str(k),) for k in range(20000)), "?") for i in range(12)]
    system = [(("t",), tuple(f"r{i}.x" for i in range(12)))]
    start = time.perf_counter()
    results = solve(runs, system, {"t": 7})
    assert time.perf_counter() - start < 5
    assert {r.status for r in results} == {"undecided"}
    # a smaller budget gives up sooner, the same way
    pair = [(("t",), ("r0.x", "r1.x"))]
    assert {r.status for r in solve(runs[:2], pair, {"t": 7}, max_steps=10)} == {"undecided"}


def test_too_many_linked_runs_are_undecided() -> None:
    runs = [run(f"r{i}.x r{i}.y", "1|2", "2|1") for i in range(1500)]
    system = [(("t.x",), tuple(f"r{i}.x" for i in range(1500)))]
    assert {r.status for r in solve(runs, system, {"t.x": 1500})} == {"undecided"}


# --- real reports: text flattened from the web page -------------------------------------------


@pytest.fixture(scope="module")
def pingtan() -> dict[str, object]:
    return {year: parse(str(REAL / f"pingtan-{year}.txt")) for year in (2019, 2021, 2022, 2023)}


def row(report: object, key: str) -> list[object]:
    return [report.cell(f"{key}.{c}").value for c in APPLICANT_COLUMNS]  # type: ignore[attr-defined]


APPLICANT_COLUMNS = ("natural_person", "business", "research", "social_org", "legal_service", "other_org", "total")


def test_pingtan_2023(pingtan) -> None:  # type: ignore[no-untyped-def]
    r = pingtan[2023]
    assert r.value("applications.new_received.natural_person") == 80
    # 220000022 = 2 | 20 | … or 22 | 0 | …; 191000020 = 1 | 9 | 10 | … or 19 | 1 | …: the columns decide
    assert row(r, "applications.granted") == [22, 0, 0, 0, 0, 0, 22]
    assert row(r, "applications.partially_granted") == [19, 1, 0, 0, 0, 0, 20]
    joint = [d for d in r.diagnostics if d.code == "split-glued" and "整张表" in d.message]
    assert {d.cells[0] for d in joint} == {
        "applications.granted.natural_person",
        "applications.partially_granted.natural_person",
    }
    # section 二 has no arithmetic: 77132470 stays unknown, and says so
    assert r.value("active.normative_docs.issued") is None
    [d] = [d for d in r.diagnostics if "active.normative_docs.issued" in d.cells]
    assert d.code == "ambiguous-split" and ("77", "132", "470") in d.candidates


def test_pingtan_2021(pingtan) -> None:  # type: ignore[no-untyped-def]
    r = pingtan[2021]
    assert row(r, "applications.granted") == [27, 0, 0, 2, 0, 1, 30]
    assert row(r, "applications.unavailable.not_held") == [22, 0, 0, 0, 0, 3, 25]
    assert row(r, "applications.total") == [63, 0, 0, 2, 0, 4, 69]


def test_pingtan_2019_and_2022_section_two_stays_unknown(pingtan) -> None:  # type: ignore[no-untyped-def]
    assert pingtan[2022].value("active.normative_docs.issued") is None
    assert pingtan[2019].value("active.normative_docs.made") is None
    assert pingtan[2019].value("active.fees.prior_items") is None
    # and section 三 is whole
    assert row(pingtan[2019], "applications.total") == [23, 0, 0, 0, 0, 0, 23]


def test_every_pingtan_table_cell_of_section_three_is_placed(pingtan) -> None:  # type: ignore[no-untyped-def]
    for report in pingtan.values():
        blank = [
            k for k, c in report.cells() if k.startswith(("applications.", "review", "litigation")) and c.is_missing
        ]
        assert blank == []


def test_contradicting_table_keeps_what_each_row_says() -> None:
    # （七）总计 altered to 79 | 1 | … | 80: no pair of splits of the two ambiguous rows adds up
    text = (REAL / "pingtan-2023.txt").read_text("utf-8").replace("（七）总计801000081", "（七）总计791000080")
    r = parse_text(text)
    assert row(r, "applications.granted") == [None, None, 0, 0, 0, 0, 22]
    assert row(r, "applications.partially_granted") == [None, None, None, 0, 0, 0, 20]
    [d] = [d for d in r.diagnostics if "applications.granted.natural_person" in d.cells]
    assert d.code == "ambiguous-split" and "都不满足" in d.message
    assert d.cells == ("applications.granted.natural_person", "applications.granted.business")


def test_ten_megabytes_of_glued_digits() -> None:
    text = (REAL / "pingtan-2023.txt").read_text("utf-8")
    huge = text.replace(
        "一、本年新收政府信息公开申请数量801000081", "一、本年新收政府信息公开申请数量" + "1" * 10_000_000
    )
    assert len(huge) > 10_000_000
    start = time.perf_counter()
    r = parse_text(huge)
    assert time.perf_counter() - start < 60
    assert r.value("applications.new_received.natural_person") is None
    assert any(d.code == "ambiguous-split" and "applications.new_received.total" in d.cells for d in r.diagnostics)
    # the other rows are still read, jointly where the row is known
    assert r.value("applications.total.natural_person") == 80


def test_splitting_glued_rows_leaves_no_garbage_for_the_collector() -> None:
    """The searches (a row's splits, the whole table's solutions) recurse through closures that refer to
    themselves: each must break that cycle, or every glued report leaves objects only gc can free."""
    import gc

    from gxgk import placement

    text = (REAL / "pingtan-2023.txt").read_text(encoding="utf-8")
    placement._splits.cache_clear()  # the searches run, not their cached results
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        report = parse(text)
        assert any(d.code == "split-glued" and "整张表" in d.message for d in report.diagnostics)  # both searches ran
        del report
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
