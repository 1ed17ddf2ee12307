"""The attrs record classes of a parsed report.

Field names follow the cell keys of ``cells-<edition>.tsv`` (the public data contract): the key
``applications.withheld.state_secret.natural_person`` is ``report.applications.withheld.state_secret
.natural_person``. Every record is frozen and slotted; a cell keeps its value, its raw text and its
position in the text that was parsed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs

__all__ = [
    "Active2019",
    "Active2021",
    "ActiveTable",
    "Appeal",
    "ApplicantRow",
    "Applications2019",
    "Applications2021",
    "ApplicationsTable",
    "Cell",
    "Decisions2021",
    "Diagnostic",
    "Documents2019",
    "Documents2021",
    "Fees2019",
    "Fees2021",
    "Items2019",
    "NotProcessed",
    "OtherOutcomes2021",
    "Procurement2019",
    "Prose",
    "Record",
    "Report",
    "Section",
    "TableEditions",
    "Unavailable",
    "Withheld",
    "iter_cells",
]

Number = int | Decimal
_T = TypeVar("_T")


@attrs.frozen
class Cell:
    """One cell of a template table.

    ``value`` is an ``int`` for counts, a ``Decimal`` in 万元 for amounts, ``None`` for a blank or an
    unknown cell. ``raw`` is the text found in the source (``""`` for an empty cell, ``"/"`` or
    ``"—"`` as printed; ``""`` with no line also for a blank the row's arithmetic placed where the
    source dropped it, a ``placed-row`` diagnostic); ``raw is None`` means no source text was placed
    in this cell (a dropped cell: the report's diagnostics say why). ``line`` and ``column`` are
    1-based, in the text that was parsed (for HTML, DOCX and PDF: the text gxgk extracted,
    ``gxgk.readers.read_path(path).text``).
    """

    value: Number | None = None
    raw: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def is_blank(self) -> bool:
        """True when the source has this cell but it holds no number (empty, "/", "—")."""
        return self.value is None and self.raw is not None

    @property
    def is_missing(self) -> bool:
        """True when no source text could be placed in this cell."""
        return self.raw is None


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of a slotted attrs class's slots, in field order (their descriptors' ``__set__``)."""
    return tuple(cls.__dict__[f.name].__set__ for f in attrs.fields(cls))


def _slots_maker(cls: type[_T]) -> Callable[..., _T]:
    """``cls(...)`` for a frozen, slotted attrs class with no validators, converters or
    ``__attrs_post_init__`` (Cell, Finding): a function of the class's fields, in order, that sets its
    slots through their descriptors, written out as attrs writes its ``__init__``. A class that has
    any of these gets its own constructor back.

    A frozen attrs class's ``__init__`` sets each field through ``object.__setattr__``; this takes
    about half the time, for the few hundred cells a report has and the dozens of findings of one
    with blank cells. The objects are the same (tests/test_records.py and tests/test_rules.py
    compare them).
    """
    fields = attrs.fields(cls)
    if hasattr(cls, "__attrs_post_init__") or any(f.validator or f.converter for f in fields):
        return cls
    names = [f.name for f in fields]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update({f"set_{name}": setter for name, setter in zip(names, _slot_setters(cls), strict=True)})
    body = "".join(f"    set_{name}(obj, {name})\n" for name in names)
    exec(f"def make({', '.join(names)}):\n    obj = new(cls)\n{body}    return obj\n", namespace)
    make: Callable[..., _T] = namespace["make"]
    make.__qualname__ = f"_slots_maker.<{cls.__name__}>"
    return make


#: What the parser makes a Cell of inline (gxgk.placement._place), as :func:`_slots_maker` does:
#: ``object.__new__``, the class, and the setters of its slots (value, raw, line, column).
_CELL_PARTS = (object.__new__, Cell, *_slot_setters(Cell))
_make_cell: Callable[[Number | None, str | None, int | None, int | None], Cell] = _slots_maker(Cell)


class PlacedRow(dict[str, Cell]):
    """The cells of one row as the parser placed them: field name to :class:`Cell`, every field of
    the row's class, in order. Made by the parser only: the converter trusts that every value is a
    Cell and makes the row's record from it directly (any other mapping is structured field by field)."""

    __slots__ = ()


def _cell() -> Cell:
    return Cell()


def _cells() -> Any:
    return attrs.field(factory=_cell)


def _tuple_getter(getter: Callable[..., Any], items: list[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """``getter(*items)`` (``operator.attrgetter`` or ``itemgetter``), giving a tuple even for one item or none."""
    if len(items) > 1:
        return getter(*items)  # type: ignore[no-any-return]
    if items:
        one = getter(items[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


class _Layout:
    """Where the cells below a record (or a report's tables) are, found by walking one field by field.

    The walk depends only on the types of the values it meets, so a layout serves every object of
    the same class whose values along its paths have the same types: :meth:`cells` reads them all
    with one ``attrgetter`` and compares their types instead of walking again.
    """

    _MAX_PREFIXES = 32

    def __init__(self, root: object, tables: tuple[str, ...] | None = None) -> None:
        """Walk ``root``: a record, or with ``tables`` a report, whose record-valued ``tables`` hold the cells."""
        paths: list[str] = []  # every value met, in walk order
        types: list[type] = []
        cell_at: list[int] = []  # the positions in ``paths`` that hold cells
        keys: list[str] = []

        def meet(value: object, key: str) -> None:
            paths.append(key)
            types.append(type(value))

        def walk(node: _Record, path: str) -> None:
            for f in attrs.fields(type(node)):  # type: ignore[arg-type]
                value = getattr(node, f.name)
                key = f"{path}.{f.name}" if path else f.name
                meet(value, key)
                if isinstance(value, Cell):
                    cell_at.append(len(paths) - 1)
                    keys.append(key)
                elif isinstance(value, _Record):
                    walk(value, key)

        if tables is None:
            walk(root, "")  # type: ignore[arg-type]
        else:
            for name in tables:
                value = getattr(root, name)
                meet(value, name)
                if isinstance(value, _Record):
                    walk(value, name)
        self.types = tuple(types)
        self.values = _tuple_getter(operator.attrgetter, paths)
        self.pick_cells = _tuple_getter(operator.itemgetter, cell_at)
        self.keys = tuple(keys)
        self._prefixed: dict[str, tuple[str, ...]] = {"": self.keys}

    def cells(self, root: object, prefix: str = "") -> Iterator[tuple[str, Cell]] | None:
        """``(dotted key, cell)`` below ``root``; None when its values are not laid out like this."""
        try:
            values = self.values(root)
        except AttributeError:
            return None
        if tuple(map(type, values)) != self.types:
            return None
        keys = self._prefixed.get(prefix)
        if keys is None:
            keys = tuple(f"{prefix}.{key}" for key in self.keys)
            if len(self._prefixed) < self._MAX_PREFIXES:
                self._prefixed[prefix] = keys
        return zip(keys, self.pick_cells(values), strict=True)


#: The layout of the last record of each class walked, and of the last report of each class and table
#: classes; one laid out differently replaces it.
_layouts: dict[object, _Layout] = {}


def _cells_below(root: object, prefix: str = "", tables: tuple[str, ...] | None = None) -> Iterator[tuple[str, Cell]]:
    """``(dotted key, cell)`` below a record, or with ``tables`` a report's, from the layout that fits it."""
    kind: object = type(root)
    if tables is not None:
        kind = (kind, *(type(getattr(root, name)) for name in tables))
    layout = _layouts.get(kind)
    found = layout.cells(root, prefix) if layout is not None else None
    if found is None:
        layout = _layouts[kind] = _Layout(root, tables)
        found = layout.cells(root, prefix)
        assert found is not None
    return found


class _Record:
    """Mixin: dotted-key access to the cells below a record."""

    __slots__ = ()

    def cells(self, prefix: str = "") -> Iterator[tuple[str, Cell]]:
        """Every cell below this record as ``(dotted key, cell)``, in template order."""
        return _cells_below(self, prefix)


#: The base of the record classes below a table: a plugin edition's new rows and groups subclass it
#: (``@attrs.frozen class ProcessingFee(Record): amount: Cell = …``) so that ``cells()`` walks them.
Record = _Record


# --- section 三 -------------------------------------------------------------------------------


@attrs.frozen
class ApplicantRow(_Record):
    """A row of section 三: the six applicant columns and their 总计."""

    natural_person: Cell = _cells()
    business: Cell = _cells()
    research: Cell = _cells()
    social_org: Cell = _cells()
    legal_service: Cell = _cells()
    other_org: Cell = _cells()
    total: Cell = _cells()

    APPLICANTS: ClassVar[tuple[str, ...]] = (
        "natural_person",
        "business",
        "research",
        "social_org",
        "legal_service",
        "other_org",
    )


def _row() -> Any:
    return attrs.field(factory=ApplicantRow)


@attrs.frozen
class Withheld(_Record):
    """（三）不予公开: eight reasons."""

    state_secret: ApplicantRow = _row()
    prohibited_by_law: ApplicantRow = _row()
    security_stability: ApplicantRow = _row()
    third_party_rights: ApplicantRow = _row()
    internal_affairs: ApplicantRow = _row()
    process_info: ApplicantRow = _row()
    enforcement_files: ApplicantRow = _row()
    administrative_query: ApplicantRow = _row()


@attrs.frozen
class Unavailable(_Record):
    """（四）无法提供: three reasons."""

    not_held: ApplicantRow = _row()
    needs_creation: ApplicantRow = _row()
    unclear_after_correction: ApplicantRow = _row()


@attrs.frozen
class NotProcessed(_Record):
    """（五）不予处理: five reasons."""

    complaint: ApplicantRow = _row()
    repeated: ApplicantRow = _row()
    publication: ApplicantRow = _row()
    mass_repeated: ApplicantRow = _row()
    confirm_or_reissue: ApplicantRow = _row()


@attrs.frozen
class OtherOutcomes2021(_Record):
    """（六）其他处理 in the 2021 edition: three sub-rows."""

    overdue_correction: ApplicantRow = _row()
    unpaid_fee: ApplicantRow = _row()
    other: ApplicantRow = _row()


@attrs.frozen
class ApplicationsTable(_Record):
    """Section 三 (收到和处理政府信息公开申请情况); the editions' classes derive from it."""

    def outcome_rows(self) -> Iterator[tuple[str, ApplicantRow]]:
        """The rows that （七）总计 adds up, as ``(key below applications, row)``."""
        for key in ("granted", "partially_granted"):
            yield key, getattr(self, key)
        for group in ("withheld", "unavailable", "not_processed", "other"):
            value = getattr(self, group)
            if isinstance(value, ApplicantRow):
                yield group, value
            else:
                for f in attrs.fields(type(value)):
                    yield f"{group}.{f.name}", getattr(value, f.name)


@attrs.frozen
class Applications2019(ApplicationsTable):
    """Section 三, 2019 edition: （六）其他处理 is one row."""

    new_received: ApplicantRow = _row()
    carried_over: ApplicantRow = _row()
    granted: ApplicantRow = _row()
    partially_granted: ApplicantRow = _row()
    withheld: Withheld = attrs.field(factory=Withheld)
    unavailable: Unavailable = attrs.field(factory=Unavailable)
    not_processed: NotProcessed = attrs.field(factory=NotProcessed)
    other: ApplicantRow = _row()
    total: ApplicantRow = _row()
    carried_forward: ApplicantRow = _row()


@attrs.frozen
class Applications2021(ApplicationsTable):
    """Section 三, 2021 edition: （六）其他处理 has three sub-rows."""

    new_received: ApplicantRow = _row()
    carried_over: ApplicantRow = _row()
    granted: ApplicantRow = _row()
    partially_granted: ApplicantRow = _row()
    withheld: Withheld = attrs.field(factory=Withheld)
    unavailable: Unavailable = attrs.field(factory=Unavailable)
    not_processed: NotProcessed = attrs.field(factory=NotProcessed)
    other: OtherOutcomes2021 = attrs.field(factory=OtherOutcomes2021)
    total: ApplicantRow = _row()
    carried_forward: ApplicantRow = _row()


# --- section 二 -------------------------------------------------------------------------------


@attrs.frozen
class Documents2019(_Record):
    """第二十条第（一）项, 2019: 本年新制作数量 | 本年新公开数量 | 对外公开总数量."""

    made: Cell = _cells()
    published: Cell = _cells()
    total_published: Cell = _cells()


@attrs.frozen
class Items2019(_Record):
    """第二十条第（五）（六）项, 2019: 上一年项目数量 | 本年增/减 | 处理决定数量."""

    prior_items: Cell = _cells()
    change: Cell = _cells()
    decisions: Cell = _cells()


@attrs.frozen
class Fees2019(_Record):
    """第二十条第（八）项, 2019: 上一年项目数量 | 本年增/减."""

    prior_items: Cell = _cells()
    change: Cell = _cells()


@attrs.frozen
class Procurement2019(_Record):
    """第二十条第（九）项, 2019: 采购项目数量 | 采购总金额 (万元)."""

    items: Cell = _cells()
    amount: Cell = _cells()


@attrs.frozen
class Documents2021(_Record):
    """第二十条第（一）项, 2021: 本年制发件数 | 本年废止件数 | 现行有效件数."""

    issued: Cell = _cells()
    repealed: Cell = _cells()
    in_force: Cell = _cells()


@attrs.frozen
class Decisions2021(_Record):
    """第二十条第（五）（六）项, 2021: 本年处理决定数量."""

    decisions: Cell = _cells()


@attrs.frozen
class Fees2021(_Record):
    """第二十条第（八）项, 2021: 本年收费金额（单位：万元）."""

    amount: Cell = _cells()


@attrs.frozen
class ActiveTable(_Record):
    """Section 二 (主动公开政府信息情况); the editions' classes derive from it."""


@attrs.frozen
class Active2019(ActiveTable):
    """Section 二, 2019 edition (22 values)."""

    rules: Documents2019 = attrs.field(factory=Documents2019)
    normative_docs: Documents2019 = attrs.field(factory=Documents2019)
    licensing: Items2019 = attrs.field(factory=Items2019)
    other_services: Items2019 = attrs.field(factory=Items2019)
    penalty: Items2019 = attrs.field(factory=Items2019)
    coercion: Items2019 = attrs.field(factory=Items2019)
    fees: Fees2019 = attrs.field(factory=Fees2019)
    procurement: Procurement2019 = attrs.field(factory=Procurement2019)


@attrs.frozen
class Active2021(ActiveTable):
    """Section 二, 2021 edition (10 values)."""

    rules: Documents2021 = attrs.field(factory=Documents2021)
    normative_docs: Documents2021 = attrs.field(factory=Documents2021)
    licensing: Decisions2021 = attrs.field(factory=Decisions2021)
    penalty: Decisions2021 = attrs.field(factory=Decisions2021)
    coercion: Decisions2021 = attrs.field(factory=Decisions2021)
    fees: Fees2021 = attrs.field(factory=Fees2021)


# --- section 四 -------------------------------------------------------------------------------


@attrs.frozen
class Appeal(_Record):
    """One group of section 四: 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计."""

    upheld: Cell = _cells()
    corrected: Cell = _cells()
    other: Cell = _cells()
    pending: Cell = _cells()
    total: Cell = _cells()


# --- the report ---------------------------------------------------------------------------------


@attrs.frozen
class Diagnostic:
    """Something the parser could not read with certainty, naming the cells concerned.

    ``code`` is stable: ``incomplete-row``, ``placed-row``, ``shifted-row``, ``unplaced-value``,
    ``joined-number``, ``unreadable-cell``, ``missing-row``, ``missing-table``, ``ambiguous-split``,
    ``split-glued``, ``unplaced-row``, ``heading-missing``, ``heading-again``. A report that mixes
    editions says so in ``Report.table_editions``.
    """

    code: str
    message: str
    cells: tuple[str, ...] = ()
    line: int | None = None
    column: int | None = None
    candidates: tuple[tuple[str, ...], ...] = ()


@attrs.frozen
class Section:
    """A section heading found in the text (一 … 六), with its 1-based line; ``title`` is ``""`` for a
    table's section that has no heading, found by its table's header (a ``heading-missing`` diagnostic
    says so)."""

    number: int
    title: str
    line: int


@attrs.frozen
class Prose:
    """The prose sections: 一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项."""

    overview: str | None = None
    problems: str | None = None
    other_matters: str | None = None


@attrs.frozen
class TableEditions:
    """The edition each table was read in; they differ in a report that mixes editions."""

    active: str | None = None
    applications: str | None = None
    appeals: str | None = None

    def distinct(self) -> tuple[str, ...]:
        """The editions found, without repeats, in table order."""
        seen: list[str] = []
        for e in (self.active, self.applications, self.appeals):
            if e is not None and e not in seen:
                seen.append(e)
        return tuple(seen)


@attrs.frozen
class Report:
    """A parsed annual report.

    The tables are ``active`` (section 二), ``applications`` (section 三) and the three groups of
    section 四 (``review``, ``litigation_direct``, ``litigation_after_review``); their classes depend
    on the edition of each table (``table_editions``). ``diagnostics`` lists what could not be read
    with certainty; :func:`gxgk.check` turns them into findings.
    """

    edition: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    date: str | None = None
    table_editions: TableEditions = attrs.field(factory=TableEditions)
    active: ActiveTable | None = None
    applications: ApplicationsTable | None = None
    review: Appeal | None = None
    litigation_direct: Appeal | None = None
    litigation_after_review: Appeal | None = None
    prose: Prose = attrs.field(factory=Prose)
    sections: tuple[Section, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    source: str | None = attrs.field(default=None, eq=False)

    TABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "active",
        "applications",
        "review",
        "litigation_direct",
        "litigation_after_review",
    )

    def cells(self) -> Iterator[tuple[str, Cell]]:
        """Every cell of the report as ``(dotted key, cell)``, in template order."""
        return iter_cells(self)

    def cell(self, key: str) -> Cell:
        """The cell at a dotted key (``applications.total.total``); KeyError if it has none."""
        node: Any = self
        for part in key.split("."):
            if node is None or not hasattr(node, part):
                raise KeyError(key)
            node = getattr(node, part)
        if not isinstance(node, Cell):
            raise KeyError(key)
        return node

    def value(self, key: str) -> Number | None:
        """The value of the cell at a dotted key, ``None`` when blank or unknown."""
        return self.cell(key).value

    def __repr__(self) -> str:
        known = sum(1 for _, c in self.cells() if c.value is not None)
        total = sum(1 for _ in self.cells())
        parts = [f"edition={self.edition!r}", f"year={self.year!r}", f"agency={self.agency!r}"]
        if len(self.table_editions.distinct()) > 1:
            parts.append(f"mixed={self.table_editions.distinct()!r}")
        parts.append(f"cells={known}/{total}")
        if self.diagnostics:
            parts.append(f"diagnostics={len(self.diagnostics)}")
        return f"Report({', '.join(parts)})"

    def _repr_html_(self) -> str:
        from gxgk.display import report_html

        return report_html(self)


def iter_cells(report: Report) -> Iterator[tuple[str, Cell]]:
    """Every cell of ``report`` as ``(dotted key, cell)``, in template order."""
    return _cells_below(report, tables=Report.TABLE_FIELDS)
