"""Records follow the data contract (the cell keys) and convert to JSON and back."""

from __future__ import annotations

import csv

import attrs
import pytest

import gxgk
from gxgk import editions
from gxgk.convert import converter
from gxgk.records import ApplicantRow, Cell, PlacedRow, Record, Report
from paths import DATA, SEEDS


@pytest.mark.parametrize("name", ["2019", "2021"])
def test_record_keys_are_the_spec_keys_in_order(name: str) -> None:
    with open(DATA / f"cells-{name}.tsv", encoding="utf-8") as f:
        keys = [row["key"] for row in csv.DictReader(f, delimiter="\t")]
    edition = editions.get(name)
    report = Report(edition=name, active=edition.active(), applications=edition.applications())
    from gxgk.records import Appeal

    report = Report(
        edition=name,
        active=edition.active(),
        applications=edition.applications(),
        review=Appeal(),
        litigation_direct=Appeal(),
        litigation_after_review=Appeal(),
    )
    assert [k for k, _ in report.cells()] == keys
    assert list(edition.spec) == keys  # the package's own copy of the spec


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_structure_unstructure_round_trip(seed) -> None:
    report = gxgk.parse(seed)
    data = converter.unstructure(report)
    assert converter.structure(data, Report) == report
    findings = gxgk.check(report)
    assert [converter.structure(converter.unstructure(f), gxgk.Finding) for f in findings] == list(findings)


def test_cells_keep_value_raw_and_position() -> None:
    report = gxgk.parse(SEEDS / "000_f2c3bf976b1eabd1.txt")
    items = report.cell("active.procurement.items")
    amount = report.cell("active.procurement.amount")
    assert (items.value, items.raw) == (20, "20（含服务）")
    assert str(amount.value) == "85.64" and amount.raw == "85.64 万"
    assert (items.line, items.column) == (38, 8)
    assert report.applications is not None and repr(report).startswith("Report(edition='2019'")


def _walk(record: object, prefix: str = "") -> list[tuple[str, object]]:
    """The cells below ``record`` as the plain recursive walk finds them: what ``cells()`` must give."""
    found: list[tuple[str, object]] = []
    for f in attrs.fields(type(record)):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        key = f"{prefix}.{f.name}" if prefix else f.name
        if isinstance(value, Cell):
            found.append((key, value))
        elif isinstance(value, Record):
            found += _walk(value, key)
    return found


def _walk_report(report: Report) -> list[tuple[str, object]]:
    tables = [(name, getattr(report, name)) for name in Report.TABLE_FIELDS]
    return [kv for name, table in tables if isinstance(table, Record) for kv in _walk(table, name)]


def test_cells_follow_each_record_not_the_first_of_its_class() -> None:
    # cells() reads a record by the layout of the last one of its class: a record laid out otherwise
    # (another edition's report, a sub-record of another class, a cell left None, a table missing)
    # must still give exactly what walking it gives
    r2019, r2021 = gxgk.parse(SEEDS / "000_f2c3bf976b1eabd1.txt"), gxgk.parse(SEEDS / "004_7972d62635cd0fc7.txt")
    apps = r2021.applications
    assert apps is not None and r2021.review is not None
    odd = [
        attrs.evolve(r2021, applications=attrs.evolve(apps, other=ApplicantRow(total=Cell(3, "3", 1, 1)))),
        attrs.evolve(r2021, review=attrs.evolve(r2021.review, upheld=None)),
        attrs.evolve(r2021, litigation_direct=None, active=None),
    ]
    for report in [r2019, r2021, r2019, *odd, r2021, *odd]:
        assert list(report.cells()) == _walk_report(report)
        for name in Report.TABLE_FIELDS:
            table = getattr(report, name)
            if table is not None:
                assert list(table.cells()) == _walk(table)
                assert list(table.cells(name)) == _walk(table, name)
                assert list(table.cells("x.y")) == _walk(table, "x.y")
        for key, cell in report.cells():
            assert report.cell(key) is cell


def test_a_placed_row_becomes_its_record_as_a_mapping_would() -> None:
    """A row as the parser places it (:class:`PlacedRow`) is made into its record directly; the record
    equals the one structured from the same mapping field by field, and from its JSON form."""
    cells = [Cell(n, str(n), 3, 2 * n + 1) for n in range(7)]
    names = [f.name for f in attrs.fields(ApplicantRow)]
    placed = PlacedRow(zip(names, cells, strict=True))
    row = converter.structure(placed, ApplicantRow)
    assert row == converter.structure(dict(placed), ApplicantRow) == ApplicantRow(*cells)
    assert converter.structure(converter.unstructure(row), ApplicantRow) == row


def test_a_placed_row_that_does_not_fit_its_class_is_structured_field_by_field() -> None:
    """Cells under names the class does not have are left out, as for any mapping."""
    row = converter.structure(PlacedRow(natural_person=Cell(1, "1", 1, 1), stray=Cell(2, "2", 1, 3)), ApplicantRow)
    assert row == converter.structure({"natural_person": Cell(1, "1", 1, 1)}, ApplicantRow)
    assert row.natural_person == Cell(1, "1", 1, 1) and row.total == Cell()


def test_cells_the_parser_makes_are_cells() -> None:
    """The parser's quick way of making a Cell makes the cell ``Cell(...)`` makes."""
    from gxgk.records import _make_cell

    for args in [(1, "1", 2, 3), (None, "", 4, 5), (None, "—", 1, 1), (None, None, None, None)]:
        made, cell = _make_cell(*args), Cell(*args)
        assert made == cell and hash(made) == hash(cell) and repr(made) == repr(cell)
        assert (made.is_blank, made.is_missing) == (cell.is_blank, cell.is_missing)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.value = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["0", "7", "12", "0123", "999", "1000", "9999", "10000", "9" * 18, "9" * 19, "1" * 100, "1" * 101, "１２", "1,234"],
)
def test_counts_placed_as_parse_number_reads_them(text: str) -> None:
    """Placement looks the commonest counts up: the value is the one parse_number gives."""
    from gxgk.layout import Item, Kind
    from gxgk.placement import _Context, _place, _Row
    from gxgk.text import parse_number

    step = _Row((), "row", ("a",), ("t.row.a",), "t.row", 0, ("count",), (False,))
    placed = _place(step, [Item(Kind.NUMBER, text, text, 1, 1)], _Context())
    assert placed["a"].value == parse_number(text)
    assert type(placed["a"].value) is type(parse_number(text))


def test_looked_up_counts_are_parse_number_s() -> None:
    """Every text placement looks up reads as parse_number reads it."""
    from gxgk.placement import _COUNTS
    from gxgk.text import parse_number

    assert len(_COUNTS) == 1_000
    assert all(type(n) is int and parse_number(text) == n for text, n in _COUNTS.items())


def test_row_empty_at_both_ends_that_no_reading_makes_hold_is_unknown() -> None:
    """Section 四's row with an empty cell more than its fifteen columns at each end: read from its first
    cell the 行政复议 group (1 + 1 + 0 + 0) has 总计 0; read from its second, 总计 5. Neither can hold, and
    no other reading keeps every value: the row is unknown, not placed one way or the other."""
    from gxgk.layout import Item, Kind, RawRow
    from gxgk.lexer import Payload
    from gxgk.placement import _APPEAL_KEYS, _APPEAL_NAMES, _Context, _place_shifted, _Row

    names = tuple(f"{g}_{n}" for g in range(3) for n in _APPEAL_NAMES)
    step = _Row((), "", names, _APPEAL_KEYS, "", 0, ("count",) * 15, (False,) * 15)
    texts = ["", "1", "1", "0", "0", "5", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3", ""]
    cells = tuple(Item(Kind.NUMBER if t else Kind.EMPTY, t, t, 9, 1 + 2 * k) for k, t in enumerate(texts))
    row = RawRow("", cells, 9, 1, True)
    ctx = _Context()
    placed = _place_shifted(Payload("", row, 9, 1), step, cells, ctx)
    assert all(cell.raw is None for cell in placed.values())
    (diagnostic,) = ctx.diagnostics
    assert diagnostic.code == "incomplete-row" and diagnostic.cells == _APPEAL_KEYS
    # with the 行政复议 总计 right (2), the reading from the second cell holds and is placed
    texts[5] = "2"
    cells = tuple(Item(Kind.NUMBER if t else Kind.EMPTY, t, t, 9, 1 + 2 * k) for k, t in enumerate(texts))
    ctx = _Context()
    placed = _place_shifted(Payload("", RawRow("", cells, 9, 1, True), 9, 1), step, cells, ctx)
    assert [placed[n].value for n in names[:5]] == [1, 1, 0, 0, 2] and placed[names[-1]].value == 3
    assert [d.code for d in ctx.diagnostics] == ["shifted-row"]


def test_the_quick_maker_is_only_for_classes_whose_init_does_nothing_more() -> None:
    """A class with a validator, a converter or ``__attrs_post_init__`` keeps its own constructor: the
    quick maker would skip what they do."""
    from gxgk.records import _slots_maker

    @attrs.frozen
    class Checked:
        n: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen
    class Converted:
        n: int = attrs.field(converter=int)

    @attrs.frozen
    class Plain:
        n: int
        m: str

    assert _slots_maker(Checked) is Checked and _slots_maker(Converted) is Converted
    made = _slots_maker(Plain)
    assert made is not Plain and made(1, "a") == Plain(1, "a")
