"""Properties over synthetic reports (gxgk.strategies) written in every layout (gxgk.renderers).

Profiles are in conftest.py: ``dev`` by default, ``ci`` (HYPOTHESIS_PROFILE=ci) in CI.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import random
import re
import tempfile

import attrs
import pytest
from hypothesis import example, given, note, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import gxgk
from gxgk import editions, renderers, strategies
from gxgk.cli import main as cli_main
from gxgk.convert import converter
from gxgk.findings import Finding, Severity
from gxgk.records import Report

EDITIONS = [e.name for e in editions.all_editions()]
HERE = pathlib.Path(__file__).resolve().parent
_SEED_DIRS = [HERE / "data" / "seeds", HERE.parents[1] / "shared" / "seeds"]
SEEDS = next((sorted(d.glob("*.txt")) for d in _SEED_DIRS if d.is_dir() and any(d.glob("*.txt"))), [])

#: Layouts that keep every cell in place; pdf keeps them only when no cell is blank.
ROUND_TRIP = [("tsv", True), ("markdown", True), ("html", True), ("pdf", False)]
#: Layouts that lose the positions of blank cells (or split glued digits only where unique).
# Glued text from a page that left cells blank is not in LOSSY: its blanks vanish in the flattening, so a
# run ("0000033") cannot be told from one number per column (0|0|0|0|0|3|3 or 0|0|0|0|0|33|blank). gxgk
# refuses to split when a row lost all its numbers (test_glued_table_with_vanished_blanks_is_not_split);
# a run that lost only some blanks is a documented limit (docs/parsing.md, Glued cells).
LOSSY = [("vertical", True), ("pdf", True), ("vertical", False), ("glued", False)]


def test_glued_table_with_vanished_blanks_is_not_split() -> None:
    text = (
        "某县某局2020年政府信息公开工作年度报告\n一、总体情况\n本年度收到申请1件。\n"
        "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量101二、上年结转政府信息公开申请数量"
        "三、本年度办理结果（一）予以公开101（七）总计101四、结转下年度继续办理\n"
    )
    report = gxgk.parse(text)
    assert report.applications is not None
    assert all(c.value is None for _, c in report.applications.granted.cells())
    assert any(d.code == "ambiguous-split" and "消失" in d.message for d in report.diagnostics)


def _share(divisor: int) -> settings:
    """The profile's example budget split over ``divisor`` parametrizations (each example parses a whole
    report in every installed edition; the ci profile must stay within a few minutes)."""
    return settings(max_examples=max(5, settings().max_examples // divisor))


def _source(text: str, layout: str) -> str | bytes:
    return text.encode("utf-8") if layout == "html" else text


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _errors(report: Report) -> list[Finding]:
    return [f for f in gxgk.check(report) if f.severity.value == "error"]


def _report(data: st.DataObject, edition: str, blanks: bool) -> Report:
    return data.draw(strategies.reports(edition, blanks=blanks), label="report")


# -- round trips through the layouts --------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(("layout", "blanks"), ROUND_TRIP)
@given(data=st.data(), rng=st.randoms(use_true_random=False))
@_share(8)
def test_round_trip(edition: str, layout: str, blanks: bool, data: st.DataObject, rng: random.Random) -> None:
    """parse(render(r)) has every cell of r (value and blank-ness), its edition, year, title and prose."""
    report = _report(data, edition, blanks)
    text = renderers.render(report, layout, rng=rng)
    note(text)
    parsed = gxgk.parse(_source(text, layout))
    wrong = [
        (key, cell.value, parsed.cell(key).value, parsed.cell(key).raw)
        for key, cell in report.cells()
        if (parsed.cell(key).value, parsed.cell(key).is_blank) != (cell.value, cell.is_blank)
    ]
    assert wrong == []
    assert (parsed.edition, parsed.year, parsed.agency) == (report.edition, report.year, report.agency)
    assert attrs.asdict(parsed.table_editions) == attrs.asdict(report.table_editions)
    assert _squash(parsed.title) == _squash(report.title)
    for part in ("overview", "problems", "other_matters"):
        assert _squash(getattr(parsed.prose, part)) == _squash(getattr(report.prose, part)), part
    assert [s.number for s in parsed.sections] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(("layout", "blanks"), LOSSY)
@given(data=st.data(), rng=st.randoms(use_true_random=False))
@_share(8)
def test_lossy_layouts_never_misplace(
    edition: str, layout: str, blanks: bool, data: st.DataObject, rng: random.Random
) -> None:
    """Where blanks are dropped or digits glued, each cell is right, or unknown with a finding naming it."""
    report = _report(data, edition, blanks)
    parsed = gxgk.parse(renderers.render(report, layout, rng=rng))
    named = {key for f in gxgk.check(parsed) for key in f.cells}
    for key, cell in report.cells():
        got = parsed.cell(key)
        if got.value == cell.value and (got.value is not None or not cell.is_blank or got.raw is None or got.is_blank):
            continue
        assert got.value is None, f"{key}: {cell.value!r} read as {got.value!r} ({got.raw!r})"
        assert key in named or any(key.startswith(k + ".") for k in named), f"{key} unknown without a finding"
    assert parsed.edition == report.edition


# -- the rules on consistent and broken reports -------------------------------------------------------


@given(report=strategies.reports(), layout=st.sampled_from(renderers.LAYOUTS), rng=st.randoms(use_true_random=False))
@_share(2)
def test_consistent_report_has_no_error(report: Report, layout: str, rng: random.Random) -> None:
    """A report whose numbers add up has no error finding, as a record and once rendered and parsed."""
    assert _errors(report) == []
    parsed = gxgk.parse(_source(renderers.render(report, layout, rng=rng), layout))
    assert _errors(parsed) == []


def _totals_fed(key: str) -> set[str]:
    """The cells that the sums containing ``key`` total to (and ``key`` itself)."""
    table, *rest = key.split(".")
    if table != "applications":
        return {key, f"{table}.total"}
    row, col = ".".join(rest[:-1]), rest[-1]
    fed = {key, f"applications.{row}.total", f"applications.total.{col}"}
    fed |= {f"applications.{r}.{col}" for r in ("new_received", "carried_over", "carried_forward")}
    return fed


@given(data=st.data())
def test_changed_count_is_an_error(data: st.DataObject) -> None:
    """Changing one count of section 三 or 四 by any non-zero amount gives an error naming it or its total."""
    report = data.draw(strategies.reports(blanks=False), label="report")
    keys = [k for k, _ in report.cells() if not k.startswith("active.")]
    key = data.draw(st.sampled_from(keys), label="key")
    cell = report.cell(key)
    assert isinstance(cell.value, int)
    delta = data.draw(st.integers(-cell.value, 10_000).filter(lambda d: d != 0), label="delta")
    broken = _with_value(report, key, cell.value + delta)
    errors = _errors(broken)
    assert errors, f"{key}: {cell.value} → {cell.value + delta} went unnoticed"
    fed = _totals_fed(key)
    assert any(fed & set(f.cells) for f in errors), [str(f) for f in errors]


@given(data=st.data())
def test_changed_count_with_its_row_total_is_an_error(data: st.DataObject) -> None:
    """An outcome count changed together with its row 总计 (the row still adds up): the column sums
    (（七）总计, GX102) must still give an error naming the cell or （七）总计."""
    report = data.draw(strategies.reports(blanks=False), label="report")
    apps = report.applications
    assert apps is not None
    rows = [f"applications.{row}" for row, _ in apps.outcome_rows()]
    row = data.draw(st.sampled_from(rows), label="row")
    col = data.draw(st.sampled_from(("natural_person", "business", "other_org")), label="column")
    key, total_key = f"{row}.{col}", f"{row}.total"
    value, total = report.value(key), report.value(total_key)
    assert isinstance(value, int) and isinstance(total, int)
    delta = data.draw(st.integers(-value, 10_000).filter(lambda d: d != 0), label="delta")
    broken = _with_value(_with_value(report, key, value + delta), total_key, total + delta)
    errors = _errors(broken)
    assert any({key, f"applications.total.{col}"} & set(f.cells) for f in errors), [str(f) for f in errors]


def _with_value(report: Report, key: str, value: int) -> Report:
    data = converter.unstructure(report)
    node = data
    *path, last = key.split(".")
    for part in path:
        node = node[part]
    node[last] = {"value": value, "raw": str(value), "line": None, "column": None}
    return attrs.evolve(converter.structure(data, Report), prose=report.prose)


# -- conversion ----------------------------------------------------------------------------------------


@given(report=strategies.reports())
def test_converter_round_trip_report(report: Report) -> None:
    """structure(unstructure(r)) == r, through JSON text too."""
    assert converter.structure(converter.unstructure(report), Report) == report
    assert converter.structure(json.loads(json.dumps(converter.unstructure(report))), Report) == report


_FINDINGS = st.builds(
    Finding,
    rule=st.sampled_from(["GX101", "GX102", "GX001", "ACME01"]),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=40),
    cells=st.lists(st.sampled_from(["applications.total.total", "review.total", "active.rules.made"])).map(tuple),
    expected=st.one_of(st.none(), st.integers(0, 10**6), st.decimals(0, 10**6, places=2)),
    actual=st.one_of(st.none(), st.integers(0, 10**6)),
    line=st.one_of(st.none(), st.integers(1, 500)),
    lines=st.lists(st.integers(1, 500), max_size=3).map(tuple),
    suggestions=st.lists(
        st.tuples(st.just("applications.total.total"), st.one_of(st.integers(0, 999), st.decimals(0, 999, places=2))),
        max_size=2,
    ).map(tuple),
)


@given(finding=_FINDINGS)
def test_converter_round_trip_finding(finding: Finding) -> None:
    """Findings round-trip through the converter (and JSON)."""
    data = json.loads(json.dumps(converter.unstructure(finding), default=str))
    assert converter.structure(data, Finding) == finding


@given(data=st.data())
def test_converter_round_trip_checked_findings(data: st.DataObject) -> None:
    """The findings gxgk.check produces round-trip through the converter."""
    report = data.draw(strategies.reports(blanks=True))
    key = data.draw(st.sampled_from([k for k, c in report.cells() if k.startswith("applications.")]))
    findings = gxgk.check(_with_value(report, key, data.draw(st.integers(0, 50))))
    for f in findings:
        assert converter.structure(json.loads(json.dumps(converter.unstructure(f))), Finding) == f


@given(report=strategies.reports(), layout=st.sampled_from(["tsv", "markdown"]), rng=st.randoms())
@_share(4)
def test_cli_json_loads_back(report: Report, layout: str, rng: random.Random) -> None:
    """``gxgk parse FILE --format json`` prints a record that structures back into the parsed report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "report.txt"
        path.write_text(renderers.render(report, layout, rng=rng), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli_main(["parse", str(path), "--format", "json"]) == 0
        loaded = converter.structure(json.loads(out.getvalue()), Report)
        assert loaded == gxgk.parse(path)  # ``source`` is not compared (eq=False)
    for key, cell in report.cells():
        assert loaded.cell(key).value == cell.value or cell.is_blank


# -- parsing never raises anything but GxgkError -------------------------------------------------------


def _labels() -> list[str]:
    labels = {
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "第二十条第（九）项",
    }
    labels |= {
        "信息内容",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "商业企业",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "总计",
    }
    for ed in editions.all_editions():
        for spec in ed.spec.values():
            labels.update(p for p in spec.row.split("/") + spec.column.split("/") if p)
    return sorted(labels)


def _text_grammar() -> str:
    """A grammar of report-like text: the editions' labels and section headings, numbers, separators."""

    def alts(words: list[str]) -> str:
        return " | ".join(json.dumps(w, ensure_ascii=False) for w in words)

    headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    return f"""
start: TITLE NL line*
line: HEADING NL | cell (SEP cell)* NL
cell: LABEL | NUMBER | MARK | LABEL NUMBER
TITLE: "某局2021年政府信息公开工作年度报告" | "政府信息公开工作年度报告"
HEADING: {alts(headings)}
LABEL: {alts(_labels())}
NUMBER: /[0-9]{{1,5}}/ | /-?[0-9]{{1,3}}\\.[0-9]{{1,4}}/ | /[0-9]{{1,6}}元/
MARK: "/" | "—" | "-" | "无"
SEP: "\\t" | " " | " | " | "  "
NL: "\\n"
"""


_GRAMMAR_TEXT = from_lark(Lark(_text_grammar(), start="start"))


def _parse_or_gxgk_error(source: str | bytes) -> Report | None:
    try:
        return gxgk.parse(source)
    except gxgk.GxgkError:
        return None


@given(text=_GRAMMAR_TEXT)
@example(text="二、主动公开政府信息情况\n规章\t1\t\t2\n")
def test_parse_grammar_text(text: str) -> None:
    """Text made of the grammars' labels, numbers and separators parses or raises a GxgkError."""
    _parse_or_gxgk_error(text)


@st.composite
def _mutated_seed(draw: st.DrawFn) -> str:
    lines = SEEDS[draw(st.integers(0, len(SEEDS) - 1))].read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "duplicate", "shuffle", "delete", "inject", "swap_tabs"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i, min(len(lines), i + 40)))
        if op == "cut":
            del lines[i:j]
        elif op == "duplicate":
            lines[j:j] = lines[i:j]
        elif op == "shuffle":
            chunk = lines[i:j]
            draw(st.randoms(use_true_random=False)).shuffle(chunk)
            lines[i:j] = chunk
        elif op == "delete" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + lines[i][k + draw(st.integers(1, 5)) :]
        elif op == "inject":
            k = draw(st.integers(0, len(lines[i])))
            number = draw(st.sampled_from(["0", "7", "12345", "0000000", "-3", "1.5", "/", "\t", " 8 "]))
            lines[i] = lines[i][:k] + number + lines[i][k:]
        elif op == "swap_tabs":
            lines[i] = lines[i].replace("\t", draw(st.sampled_from([" ", "|", "", "\t\t"])))
    return "\n".join(lines)


@given(text=_mutated_seed())
def test_parse_mutated_seeds(text: str) -> None:
    """Seeds cut, duplicated, shuffled, with characters deleted or numbers injected: a Report or a GxgkError."""
    report = _parse_or_gxgk_error(text)
    if report is not None:
        gxgk.check(report)  # the rules never raise either


def test_parse_regression_unexpected_token() -> None:
    """Regression (found by test_parse_mutated_seeds, minimised): a lark error escaped gxgk.parse."""
    text = "    二、主动公开政府信息情况\n    处理决定数量\n    行政处罚\n    \xa00\n    \xa00\n    四、政府信息公开行政复议、行政诉讼情况\n    0"
    _parse_or_gxgk_error(text)


_MAGIC = st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"{\\rtf1"])


@given(data=st.tuples(_MAGIC, st.binary(max_size=4000)).map(lambda t: t[0] + t[1]))
@example(data=b"PK\x03\x04")
@example(data=b"%PDF-1.7\n")
def test_parse_arbitrary_bytes(data: bytes) -> None:
    """Arbitrary bytes (with and without a known file signature) parse or raise a GxgkError."""
    _parse_or_gxgk_error(data)


def test_parse_work_is_bounded_by_input() -> None:
    """A seed repeated k times yields rows proportional to k, not more (linear work, no blow-up)."""
    assert SEEDS, "the seed reports are in tests/data/seeds"
    text = SEEDS[0].read_text(encoding="utf-8")
    from gxgk.layout import LineIndex, build_rows, find_sections, scan_zone
    from gxgk.text import fold

    def rows(k: int) -> int:
        t = text * k
        folded = fold(t)
        index = LineIndex(folded)
        spans = find_sections(folded, index)
        return sum(len(build_rows(scan_zone(t, folded, s.body_start, s.end, index))) for s in spans)

    one = rows(1)
    assert rows(8) <= 8 * one + 8
    assert gxgk.parse(text * 8).edition in EDITIONS


# -- the strategies themselves -------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
@given(data=st.data())
@_share(2)
def test_strategy_respects_edition(edition: str, data: st.DataObject) -> None:
    """Reports of an edition have its record classes, a year it covers and raw text equal to str(value)."""
    report = _report(data, edition, True)
    ed = editions.get(edition)
    assert type(report.active) is ed.active and type(report.applications) is ed.applications
    assert ed.covers_year(report.year) or ed.years == (None, None)
    for _, cell in report.cells():
        assert cell.line is None and cell.column is None
        assert cell.raw == ("" if cell.value is None else str(cell.value))
    if (report.year or 0) >= 2021:
        assert "信息处理费" in (report.prose.other_matters or "")
    total = report.value("applications.new_received.total")
    if total:
        assert f"共收到政府信息公开申请{total}件" in (report.prose.overview or "")


def test_render_is_reproducible() -> None:
    """The same rng seed renders the same text; unknown layouts are refused."""
    report = _fixed_report()
    for layout in renderers.LAYOUTS:
        assert renderers.render(report, layout, rng=random.Random(3)) == renderers.render(
            report, layout, rng=random.Random(3)
        )
    with pytest.raises(ValueError, match="no layout"):
        renderers.render(report, "docx")


def _fixed_report() -> Report:
    """A small hand-made consistent report (no Hypothesis draw outside @given)."""
    data = {
        "edition": "2021",
        "year": 2022,
        "agency": "某某县自然资源局",
        "title": "某某县自然资源局2022年政府信息公开工作年度报告",
        "table_editions": {"active": "2021", "applications": "2021", "appeals": "2021"},
    }
    report = converter.structure(data, Report)
    ed = editions.get("2021")
    cells = {k: {"value": 0, "raw": "0", "line": None, "column": None} for k in ed.spec}
    nested: dict = {}
    for key, cell in cells.items():
        node = nested
        *path, last = key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[last] = cell
    full = converter.structure({**converter.unstructure(report), **nested}, Report)
    return attrs.evolve(full, prose=attrs.evolve(full.prose, overview="全年未收到政府信息公开申请。"))


@pytest.mark.parametrize("layout", renderers.LOSSLESS_LAYOUTS)
def test_blank_appeals_row_is_read_as_blanks(layout: str) -> None:
    """Regression (found by test_round_trip): a section 四 row of empty cells under its headings was
    dropped (a line of TABs skipped, an empty line merged into the heading row) and its cells unknown."""
    from gxgk.records import Appeal, Cell

    blank = Cell(value=None, raw="")
    report = attrs.evolve(
        _fixed_report(),
        review=Appeal(*[blank] * 5),
        litigation_direct=Appeal(*[blank] * 5),
        litigation_after_review=Appeal(*[blank] * 5),
    )
    parsed = gxgk.parse(_source(renderers.render(report, layout, rng=random.Random(1)), layout))
    assert all(parsed.cell(f"{g}.total").is_blank for g in ("review", "litigation_direct", "litigation_after_review"))
    assert [d.code for d in parsed.diagnostics] == []
