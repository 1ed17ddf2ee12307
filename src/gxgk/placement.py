"""Placing a row's cells in the template's columns, without guessing.

A row's values go to its columns when their number fits. Otherwise:

- a layout that keeps cells (tabs, pipes, HTML, DOCX) places them by position, empty cells blank;
- more values than columns: the rightmost fill the row (the columns of values are the last ones of
  every template table) and the others are reported as unplaced;
- numbers glued together without separators are split where only one split fits the row (its
  digits, no leading zeros, the row's 总计 equal to its six applicant columns); where several do,
  the row waits for the whole report's arithmetic (:mod:`gxgk.glue`);
- anything else leaves the cells unknown (``None``, ``raw=None``) with a diagnostic that lists
  what the row did hold.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import attrs
from lark import Token, Tree

from gxgk.editions import Edition
from gxgk.glue import GluedRun
from gxgk.glue import _set as _set_at  # copies the mappings on the path: placements may share them
from gxgk.layout import Item, Kind
from gxgk.lexer import Payload, canonical
from gxgk.records import _CELL_PARTS, Appeal, ApplicantRow, Cell, Diagnostic, PlacedRow, _make_cell
from gxgk.text import parse_number

__all__ = ["Missing", "TablePlacement", "TablePlan", "place_deferred", "place_table", "plan_table", "split_candidates"]

_MAX_SPLITS = 20000


class TablePlacement(NamedTuple):
    """The cells of one table as data for the converter, the diagnostics, and the misfit cost;
    ``pending``: the glued rows that split in several ways, left unknown until the whole report's
    arithmetic decides them (:func:`gxgk.glue.resolve`)."""

    values: dict[str, Any]
    diagnostics: tuple[Diagnostic, ...]
    cost: int
    pending: tuple[GluedRun, ...] = ()
    #: rows short of values left unknown, to be placed once this reading is chosen (``defer``;
    #: :func:`place_deferred`): each row of the plan with its payload
    deferred: tuple[tuple[Any, Any], ...] = ()


def _row_fields(cls: type[Any]) -> list[str] | None:
    """The field names of a row class (every field a Cell), else None."""
    if cls in _ROW_FIELDS:
        return _ROW_FIELDS[cls]
    fields = attrs.fields(attrs.resolve_types(cls))
    names = [f.name for f in fields] if all(f.type is Cell for f in fields) else None
    _ROW_FIELDS[cls] = names
    return names


# per record class, resolved once: field lookups happen for every row of every table read
_ROW_FIELDS: dict[type[Any], list[str] | None] = {}
_FIELDS: dict[type[Any], dict[str, Any]] = {}


def _fields(cls: type[Any]) -> dict[str, Any]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = {f.name: f for f in attrs.fields(attrs.resolve_types(cls))}
    return fields


def _cell(value: Any, raw: str | None, item: Item) -> Cell:
    return _make_cell(value, raw, item.line, item.column)


_UNKNOWN = Cell()  # no source text placed: the cell is unknown


class _Context:
    __slots__ = (
        "cells_dropped",
        "cost",
        "defer",
        "deferred",
        "diagnostics",
        "glued",
        "lenient",
        "pending",
        "placed",
        "unsplittable",
    )

    def __init__(
        self, glued: bool = False, cells_dropped: bool = False, defer: bool = False, lenient: bool = False
    ) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.cost = 0
        self.pending: list[GluedRun] = []
        self.glued = glued  # a cell of the table is glued to others: a value may be several cells
        self.cells_dropped = cells_dropped
        self.defer = defer  # leave rows short of values unknown (see place_table)
        self.lenient = lenient  # a blank 总计 of a row short of values is unchecked (see place_deferred)
        self.placed: list[tuple[Item, tuple[str, ...], str, str]] = []  # rows placed by their arithmetic
        self.deferred: list[tuple[_Row, Payload]] = []  # the rows left so, with their payloads
        self.unsplittable = False  # a glued run that no cut into its row's columns reads as numbers

    def note(self, code: str, message: str, keys: Sequence[str], item: Any = None, **kw: Any) -> None:
        line = getattr(item, "line", None) or None
        column = getattr(item, "column", None) or None
        self.diagnostics.append(Diagnostic(code, message, tuple(keys), line, column, **kw))


class Missing(NamedTuple):
    """The value of a row the parser inserted because the document lacks it: the index of the token
    it stands before, None at the end of the table."""

    before: int | None


class _Row(NamedTuple):
    """A row of the template and the token (an index into the table's tokens, or :class:`Missing`)
    that carries its values; ``parents`` lead from the table's mapping to the mapping that holds the
    row, under ``name``; ``kinds`` are the kinds of its cells in the edition (``count``, …) and
    ``amounts`` says which of them are amounts in 万元; ``label`` is the row's official label (the
    edition's cell specification), for messages."""

    parents: tuple[str, ...]
    name: str
    names: tuple[str, ...]
    keys: tuple[str, ...]
    prefix: str
    token: int | Missing | None
    kinds: tuple[str, ...]
    amounts: tuple[bool, ...]
    label: str = ""


class _Heading(NamedTuple):
    """A heading token (a group label, a column heading): values on it fit nowhere."""

    prefix: str
    token: int


@attrs.frozen(cache_hash=True)  # plans are looked up by value (parser.parse_text), many times each
class TablePlan:
    """Where one edition's parse tree of a table puts each token, independent of the tokens'
    contents: the rows and headings in template order, and every token the tree holds.

    A plan holds all that placing depends on besides the tokens (the kinds of the cells included):
    two editions with equal plans of a table place its tokens alike."""

    steps: tuple[_Row | _Heading, ...]
    fed: tuple[int, ...]
    appeals: bool = False


def plan_table(edition: Edition, table: str, tree: Tree[Any]) -> TablePlan:
    """The plan of ``table`` (``active``, ``applications`` or ``appeals``) from its parse tree, whose
    leaves are token indices and :class:`Missing` rows (see :mod:`gxgk.parser`)."""
    fed = tuple(sorted(t.value for t in tree.scan_values(lambda v: isinstance(v, Token) and isinstance(v.value, int))))
    if table == "appeals":
        token = next(
            (
                c.value
                for sub in tree.iter_subtrees()
                if canonical(str(sub.data)) == "appeal_values"
                for c in sub.children
            ),
            None,
        )
        kinds = tuple(edition.kind(k) for k in _APPEAL_KEYS)
        row = _Row((), "", _APPEAL_KEYS, _APPEAL_KEYS, "", token, kinds, _amounts(kinds), "第四部分（复议、诉讼）")
        return TablePlan((row,), fed, appeals=True)
    steps: list[_Row | _Heading] = []
    _walk(edition, tree, edition.table_class(table), table, (), steps)
    return TablePlan(tuple(steps), fed)


_APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_APPEAL_NAMES = tuple(f.name for f in attrs.fields(Appeal))
_APPEAL_KEYS = tuple(f"{g}.{n}" for g in _APPEAL_GROUPS for n in _APPEAL_NAMES)


def _amounts(kinds: tuple[str, ...]) -> tuple[bool, ...]:
    return tuple(k == "amount_wan_yuan" for k in kinds)


def _walk(
    edition: Edition, tree: Tree[Any], cls: type[Any], prefix: str, path: tuple[str, ...], steps: list[_Row | _Heading]
) -> None:
    fields = _fields(cls)
    for child in tree.children:
        if isinstance(child, Token):
            if isinstance(child.value, int):
                steps.append(_Heading(prefix, child.value))
            continue
        name = canonical(str(child.data))
        field = fields.get(name)
        if field is None:
            continue
        key = f"{prefix}.{name}"
        names = _row_fields(field.type)
        if names is None:
            _walk(edition, child, field.type, key, (*path, name), steps)
            continue
        token = next((c.value for c in child.children if isinstance(c, Token)), None)
        keys = tuple(f"{key}.{n}" for n in names)
        kinds = tuple(edition.kind(k) for k in keys)
        spec = edition.spec.get(keys[0]) if keys else None
        label = spec.row.replace("/", "：") if spec is not None else ""
        steps.append(_Row(path, name, tuple(names), keys, key, token, kinds, _amounts(kinds), label))


def place_table(table: str, plan: TablePlan | None, tokens: Sequence[Token], *, defer: bool = False) -> TablePlacement:
    """The cells of ``table`` from an edition's plan of it, taking the values from ``tokens``.

    With ``defer``, a row with fewer values than columns whose values could be placed by the row's
    arithmetic is left unknown, and the placement lists it in ``deferred``: its cost is the same, so
    a parser choosing among readings places those rows of the one it chooses only
    (:func:`place_deferred`)."""
    if plan is None:
        return TablePlacement({}, (), 1000)
    glued = _glued(plan, tokens)
    dropped = glued and _cells_dropped(plan, tokens)
    placement, ctx = _place_table(table, plan, tokens, glued, dropped)
    if ctx.unsplittable and not dropped:
        # a glued run that is no row of numbers one per column: blank cells vanished, and the runs
        # already split, which assumed none had, may hold them too
        placement, ctx = _place_table(table, plan, tokens, glued, True)
    return placement if defer else place_deferred(table, plan, placement)


def _place_table(
    table: str, plan: TablePlan, tokens: Sequence[Token], glued: bool, dropped: bool
) -> tuple[TablePlacement, _Context]:
    ctx = _Context(glued, dropped, defer=True)
    out: dict[str, Any] = {}
    for step in plan.steps:
        token = step.token
        payload = tokens[token].value if token.__class__ is int else _payload(token, tokens)
        if step.__class__ is _Heading:
            if payload.has_values:
                # values on a label that this edition reads as a group heading: they fit nowhere
                ctx.cost += 1
                ctx.note(
                    "unplaced-row",
                    f"第{payload.line}行“{payload.label}”在本版模板中是分组标题，不应有数值；其数值未采用",
                    [step.prefix],
                    payload,
                )
            continue
        placed = _place_row(payload, step, ctx)  # type: ignore[arg-type]
        if plan.appeals:
            out = _appeal_groups(placed)
            continue
        node = out
        for part in step.parents:
            node = node.setdefault(part, {})
        node[step.name] = placed
    values = out if plan.appeals else {table: out}
    _note_placed(ctx)
    return TablePlacement(values, tuple(ctx.diagnostics), ctx.cost, tuple(ctx.pending), tuple(ctx.deferred)), ctx


def _note_placed(ctx: _Context) -> None:
    """One ``placed-row`` diagnostic for the rows of a table placed by their own arithmetic."""
    if not ctx.placed:
        return
    first = ctx.placed[0][0]
    rows = "；".join(f"第{item.line}行“{label}” {ways}" for item, _, label, ways in ctx.placed)
    ctx.note(
        "placed-row",
        f"{len(ctx.placed)}行的数值少于其列数（空白单元格被丢弃），按各行的数量关系唯一地确定了各数值所在的列：{rows}",
        tuple(key for _, keys, _, _ in ctx.placed for key in keys),
        first,
    )


def place_deferred(table: str, plan: TablePlan, placement: TablePlacement) -> TablePlacement:
    """``placement`` (made with ``defer``) with its deferred rows placed, as :func:`place_table` without
    ``defer`` places them; their diagnostics come after the table's others. The placement given is
    left as it is (readings with equal plans share it)."""
    if not placement.deferred:
        return placement
    # A 总计 left blank is unchecked only where the table shows its 总计 column was left blank: two rows
    # at least that no placing reads with their blanks all 0. One such row alone more likely lost a
    # value than its 总计 ("5 0 0 0 0 8" for 5 3 0 0 0 0 8): it is not read as 8 in 其他 and no 总计.
    blank_totals = sum(
        1
        for step, payload in placement.deferred
        if _placings(payload.row.values, step, lenient=False) is None
        and _placings(payload.row.values, step, lenient=True) is not None
    )
    ctx = _Context(lenient=blank_totals >= 2)
    values = dict(placement.values)
    for step, payload in placement.deferred:
        placed = _place_row(payload, step, ctx)
        if plan.appeals:
            values.update(_appeal_groups(placed))
        else:
            _set_at(values, ".".join((table, *step.parents, step.name)), placed)
    _note_placed(ctx)
    return placement._replace(values=values, diagnostics=placement.diagnostics + tuple(ctx.diagnostics), deferred=())


def _appeal_groups(placed: PlacedRow) -> dict[str, PlacedRow]:
    """The one row of section 四, its fifteen cells, as its three groups of five."""
    cells = list(placed.values())
    width = len(_APPEAL_NAMES)
    return {
        g: PlacedRow(zip(_APPEAL_NAMES, cells[k * width : (k + 1) * width], strict=True))
        for k, g in enumerate(_APPEAL_GROUPS)
    }


def _payload(token: int | Missing | None, tokens: Sequence[Token]) -> Payload | None:
    if token is None:
        return None
    if token.__class__ is Missing:
        where = tokens[token.before] if token.before is not None else None  # type: ignore[union-attr]
        line = where.line if where is not None else 0
        column = where.column if where is not None else 0
        return Payload("", None, line or 0, column or 0, missing=True)
    payload: Payload = tokens[token].value  # type: ignore[index]
    return payload


def _glued(plan: TablePlan, tokens: Sequence[Token]) -> bool:
    """True when a cell of the table is glued to others (text flattened from a web page)."""
    return any(row.glued for i in plan.fed if (row := tokens[i].value.row) is not None)


def _cells_dropped(plan: TablePlan, tokens: Sequence[Token]) -> bool:
    """True when a table flattened with its cells glued together (:func:`_glued`) shows that its blank
    cells vanished in the flattening: a row of the template with no number at all, or with fewer
    characters of numbers (and blank marks) than it has columns. Then no glued run can be known to hold one number
    per column ("0400037" may be 0|4|0|0|0|37 and a blank), and none may be split."""
    for step in plan.steps:
        token = step.token
        if step.__class__ is _Row and token.__class__ is int:
            row = tokens[token].value.row  # type: ignore[index]
            if row is None or not row.values:
                return True
            if not row.positional:
                # a number's characters, a mark one: what one-per-column cells at the fewest need
                width = sum(len(v.text) if v.kind is Kind.NUMBER else 1 for v in row.values)
                if width < len(step.names):  # type: ignore[union-attr]
                    return True
    return False


_EMPTY, _MARK, _NUMBER = Kind.EMPTY, Kind.MARK, Kind.NUMBER
#: A row's placings (the first _KEPT_WAYS, each the cells' texts, "" for a blank), per column the
#: index of the value every placing puts there (-1: a blank; None: they differ), and the first few
#: as a message shows them.
_Placings = tuple[tuple[tuple[str, ...], ...], tuple[int | None, ...], str]
_SHOWN_WAYS = 6  # placings of a row shown in a message
_MAX_PLACINGS = 1000  # placings of a row worth listing (seven zeros in section 四's fifteen columns have 6,435)
_KEPT_WAYS = 20  # placings kept in a diagnostic's ``candidates`` (and in the cache of them)
#: A blank cell the row's arithmetic places where the source dropped it: blank, at no place of its own.
_VANISHED = Item(Kind.EMPTY, "", "", None, None)  # type: ignore[arg-type]
#: The texts of the counts most cells hold (0–999), read: a count is looked up here before it is parsed.
_COUNTS = {str(n): n for n in range(1_000)}


def _place(step: _Row, items: Sequence[Item], ctx: _Context) -> PlacedRow:
    """One item per column, in order: an empty cell or a blank mark is blank, anything else is read as a
    number (a cell that holds none is unknown, with a diagnostic)."""
    placed = PlacedRow()
    counts = _COUNTS
    # each Cell made as records._make_cell makes it, inline: a call less per cell (a few hundred a report)
    new, cell_class, set_value, set_raw, set_line, set_column = _CELL_PARTS
    # an Item is (kind, text, raw, line, column, glued): unpacked, not read field by field
    for name, key, item, amount in zip(step.names, step.keys, items, step.amounts, strict=True):
        kind, text, raw, line, column, _ = item
        cell = new(cell_class)
        if kind is _EMPTY:
            set_value(cell, None)
            set_raw(cell, "")
        elif kind is _MARK:
            set_value(cell, None)
            set_raw(cell, raw)
        else:
            # a plain count (most cells) as parse_number reads it, looked up: a call less per cell
            value = None if amount else counts.get(text)
            if value is None:
                value = parse_number(text, amount=amount)
                if value is None:
                    ctx.note("unreadable-cell", f"单元格“{raw}”不是可识别的数字", [key], item)
            set_value(cell, value)
            set_raw(cell, raw)
        set_line(cell, line)
        set_column(cell, column)
        placed[name] = cell
    return placed


def _place_row(payload: Payload | None, step: _Row, ctx: _Context) -> PlacedRow:
    names, keys = step.names, step.keys
    n = len(names)
    if payload is None or payload.missing:
        row_name = (
            f"“{step.label}”（{step.prefix}）" if step.label and step.prefix else f"“{step.label or step.prefix}”"
        )
        ctx.note("missing-row", f"文中没有{row_name}这一行，其单元格未知", keys, payload)
        return PlacedRow.fromkeys(names, _UNKNOWN)
    row = payload.row
    # the cells that hold something (a row's cells are values and empty cells, never label text)
    values = row.values if row is not None else ()
    if len(values) == n:
        return _place(step, values, ctx)
    positional = row is not None and row.positional
    if not values and not (positional and len(row.cells) >= n):  # type: ignore[union-attr]  # padded blank rows too
        ctx.cost += 1
        ctx.note("incomplete-row", f"第{payload.line}行“{payload.label}”没有数值，这一行的单元格未知", keys, payload)
        return PlacedRow.fromkeys(names, _UNKNOWN)
    if positional:
        cells = row.cells  # type: ignore[union-attr]
        end = len(cells)  # trailing empty cells dropped down to the row's width (one slice: rows can be long)
        while end > n and cells[end - 1].kind is _EMPTY:
            end -= 1
        if end == n:
            if end == len(cells) or cells[0].kind is not _EMPTY:
                return _place(step, cells[:end], ctx)
            return _place_shifted(payload, step, cells, ctx)
    if len(values) > n:
        return _place_too_many(values, step, ctx)
    if any(v.glued for v in values):
        split = _split_glued(values, step, ctx)
        if split is not None:
            return split
        return PlacedRow.fromkeys(names, _UNKNOWN)
    ctx.cost += 1
    # (not in a table whose cells are glued together: there a value may be several cells)
    if ctx.defer and not ctx.glued:
        ctx.deferred.append((step, payload))
        return PlacedRow.fromkeys(names, _UNKNOWN)
    shown = "、".join(i.raw for i in values)
    first = values[0]
    found = None if ctx.glued else _placings(values, step, lenient=ctx.lenient)
    if found is None:
        ctx.note(
            "incomplete-row",
            f"第{first.line}行有{len(values)}个数值（{shown}）而该行有{n}列：空白单元格被丢弃，无法确定各数值所在的列，这一行的单元格未知",
            keys,
            first,
        )
        return PlacedRow.fromkeys(names, _UNKNOWN)
    placings, agreed, ways = found
    # each column's item: the value every placing puts there, a blank, or unknown (None)
    items = [None if a is None else _VANISHED if a < 0 else values[a] for a in agreed]
    if len(placings) == 1:
        ctx.placed.append((first, keys, payload.label or step.prefix, ways))  # one diagnostic a table (_note_placed)
        return _place(step, items, ctx)  # type: ignore[arg-type]
    where = f"第{first.line}行的数值“{shown}”少于该行的{n}列（空白单元格被丢弃）："
    known = [f"第{c + 1}列为{'空' if i is _VANISHED else i.raw}" for c, i in enumerate(items) if i is not None]
    ctx.note(
        "incomplete-row",
        f"{where}按本行的数量关系有多种放法（{ways}）"
        + (f"；各种放法中{'、'.join(known)}相同，已填入，其余单元格未知" if known else "，这一行的单元格未知"),
        tuple(k for k, i in zip(keys, items, strict=True) if i is None),
        first,
        candidates=placings,
    )
    return _place_known(step, items, ctx)


def _place_too_many(values: Sequence[Item], step: _Row, ctx: _Context) -> PlacedRow:
    """A row with more values than columns: the rightmost fill it (the value columns are the last of
    every template table), the others unplaced; with one value too many, unless the row's own
    arithmetic reads it otherwise, a number spaced apart (:func:`_joined_numbers`)."""
    names, keys = step.names, step.keys
    n = len(names)
    ctx.cost += 1
    rightmost, joins = _joined_numbers(values, step) if len(values) == n + 1 else (False, [])
    if len(joins) == 1 and not rightmost:
        a, b = values[joins[0]], values[joins[0] + 1]
        ctx.note(
            "joined-number",
            f"第{a.line}行有{n + 1}个数值而该行只有{n}列：取最右边的{n}个时本行的数量关系不成立，"
            f"而把“{a.raw}”“{b.raw}”读作一个数“{a.text}{b.text}”（数字被空白隔开）时成立，且唯有这样读",
            keys,
            a,
        )
        return _place(step, _join(values, joins[0]), ctx)
    if joins:
        # several readings hold (a pair read as one number, or the rightmost values): the columns
        # they all agree on are placed
        readings = [values[1:]] if rightmost else []
        readings.extend(_join(values, j) for j in joins)
        items = [column[0] if len({i.text for i in column}) == 1 else None for column in zip(*readings, strict=True)]
        shown = "；".join(f"“{values[j].raw}”“{values[j + 1].raw}”读作一个数" for j in joins)
        if rightmost:
            shown = f"取最右边的{n}个；{shown}"
        ctx.note(
            "incomplete-row",
            f"第{values[0].line}行有{n + 1}个数值而该行只有{n}列：以下读法都使本行的数量关系成立（数字可能被空白隔开）："
            f"{shown}；各种读法相同的列已填入，其余单元格未知",
            tuple(k for k, i in zip(keys, items, strict=True) if i is None),
            values[0],
            candidates=tuple(tuple(i.text for i in reading) for reading in readings),
        )
        return _place_known(step, items, ctx)
    extra = values[: len(values) - n]
    shown = "、".join(f"“{i.raw}”" for i in extra)
    ctx.note(
        "unplaced-value",
        f"第{values[0].line}行有{len(values)}个数值而该行只有{n}列：取最右边的{n}个，{shown}无法对应到列",
        keys,
        extra[0],
    )
    return _place(step, values[len(values) - n :], ctx)


def _place_known(step: _Row, items: Sequence[Item | None], ctx: _Context) -> PlacedRow:
    """:func:`_place` of the items known, a column whose item is None unknown."""
    placed = _place(step, [_VANISHED if i is None else i for i in items], ctx)
    for name, item in zip(step.names, items, strict=True):
        if item is None:
            placed[name] = _UNKNOWN
    return placed


def _placings(values: Sequence[Item], step: _Row, *, lenient: bool) -> _Placings | None:
    """The ways the values of a row that lost its blank cells can stand in its columns
    (:func:`_placings_of`), per column the index of the value every way puts there (-1: a blank in
    each; None: they differ), and the first few ways as a message shows them. None when a value is
    no plain number, when no way is possible, or when the ways are too many to try."""
    texts = []
    for v in values:
        text = v.text
        if "," in text:
            text = _THOUSANDS.sub("", text)  # "2,096": a count's separators are no cut
        if v.kind is not _NUMBER or not ((text.isdigit() and text.isascii()) or _GLUED_NUMBER.fullmatch(text)):
            return None
        texts.append(text)
    return _placings_of(tuple(texts), step.kinds, _row_sums(step.names), lenient)


@functools.lru_cache(maxsize=1024)  # rows repeat ("0 0" in every row of a table left blank), and editions read alike
def _placings_of(
    texts: tuple[str, ...], kinds: tuple[str, ...], sums: tuple[tuple[int, int], ...], lenient: bool = False
) -> _Placings | None:
    """The ways the values ``texts`` of a row can stand in its columns of ``kinds``: in their order,
    each a well-formed number of its column's kind, the others blank (""), and the row's own
    ``sums`` holding, a blank counting as 0; with ``lenient``, a blank total is unchecked (a table
    whose 总计 column was left blank). With the agreement per column (see :func:`_placings`)."""
    n, k = len(kinds), len(texts)
    if math.comb(n, k) > _MAX_SPLITS:
        return None
    if sums and not all(t.isdigit() for t in texts):
        return None  # a row with sums is a row of counts: a sign or a decimal point fits no column
    # the columns each value may stand in: those whose kind it is a well-formed number of (None: all)
    patterns = {kind: _CELL_TEXT.get(kind, _COUNT_TEXT) for kind in kinds}
    fitting = [{kind: p.fullmatch(t) is not None for kind, p in patterns.items()} for t in texts]
    fits = None
    if not all(all(f.values()) for f in fitting):
        fits = tuple(tuple(f[kind] for kind in kinds) for f in fitting)
    search = _PlacingSearch(k, fits, tuple(int(t) for t in texts) if sums else (), not lenient, _blocks(n, sums))
    if search.count(0, 0) > _MAX_PLACINGS:
        return None  # too many ways to tell anything (zeros in a wide row)
    found = search.ways(0, 0)
    if not found:
        return None
    found.sort()  # in column order, as itertools.combinations gives them
    # per column, the value every placing puts there: the same value, or an equal one
    wheres = []
    for columns in found:
        where = [-1] * n
        for j, c in enumerate(columns):
            where[c] = j
        wheres.append(where)
    agreed: list[int | None] = []
    ways_found = len(found)
    for column in zip(*wheres, strict=True):
        a = column[0]
        if column.count(a) == ways_found or (a >= 0 and -1 not in column and len({texts[w] for w in column}) == 1):
            agreed.append(a)
        else:
            agreed.append(None)
    placings = [tuple([texts[j] if j >= 0 else "" for j in where]) for where in wheres[:_KEPT_WAYS]]
    # the placings as a message shows them, a blank as 空, the first few
    ways = "；".join(" | ".join(t or "空" for t in p) for p in placings[:_SHOWN_WAYS])
    if ways_found > _SHOWN_WAYS:
        ways += f"等{ways_found}种"
    return tuple(placings), tuple(agreed), ways  # a unique placing: one kept


def _blocks(n: int, sums: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int, bool], ...]:
    """The columns of a row as blocks ``(start, end, summed)``, in order: each group of a sum (its parts,
    then its total, the block's last column), and each column outside the sums alone."""
    blocks = []
    c = 0
    for first, total in sums:
        blocks.extend((free, free + 1, False) for free in range(c, first))
        blocks.append((first, total + 1, True))
        c = total + 1
    blocks.extend((free, free + 1, False) for free in range(c, n))
    return tuple(blocks)


class _PlacingSearch:
    """The placings of a row's values block by block (:func:`_blocks`): a block takes the next few
    values, in its columns in order; a group's values are its parts and its total (the last value),
    or its parts alone with its total blank: 0 (``strict``, so the parts are zeros) or left out."""

    def __init__(
        self,
        k: int,
        fits: tuple[tuple[bool, ...], ...] | None,
        numbers: tuple[int, ...],
        strict: bool,
        blocks: tuple[tuple[int, int, bool], ...],
    ) -> None:
        self.k, self.fits, self.numbers, self.strict, self.blocks = k, fits, numbers, strict, blocks
        # how many values the blocks from each on can hold at the most
        self.room = [0] * (len(blocks) + 1)
        for b in range(len(blocks) - 1, -1, -1):
            start, end, _ = blocks[b]
            self.room[b] = self.room[b + 1] + end - start
        self._counts: dict[tuple[int, int], int] = {}
        self._heads: dict[tuple[int, int, int], list[tuple[int, ...]]] = {}

    def heads(self, b: int, j: int, t: int) -> list[tuple[int, ...]]:
        """The columns of values ``j`` … ``j + t - 1`` in block ``b``, every way."""
        key = (b, j, t)
        found = self._heads.get(key)
        if found is not None:
            return found
        start, end, summed = self.blocks[b]
        found = []
        if t == 0:
            found.append(())  # the block blank: a blank total is 0, and so are its blank parts
        elif summed:
            parts = range(start, end - 1)
            total = end - 1
            numbers = self.numbers
            # the total holds the last value, the sum of the others
            if sum(numbers[j : j + t - 1]) == numbers[j + t - 1]:
                found.extend((*c, total) for c in itertools.combinations(parts, t - 1))
            # the total blank: 0, the parts zeros (strict), or left out
            if t <= len(parts) and (not self.strict or not any(numbers[j : j + t])):
                found.extend(itertools.combinations(parts, t))
        else:
            found.extend(itertools.combinations(range(start, end), t))
        fits = self.fits
        if fits is not None:
            found = [c for c in found if all(fits[j + i][col] for i, col in enumerate(c))]
        self._heads[key] = found
        return found

    def _spans(self, b: int, j: int) -> Iterator[int]:
        """How many values block ``b`` may take when values ``j`` … are left."""
        start, end, _ = self.blocks[b]
        left = self.k - j
        return iter(range(max(0, left - self.room[b + 1]), min(end - start, left) + 1))

    def count(self, b: int, j: int) -> int:
        """How many placings the values from ``j`` on have in the blocks from ``b`` on."""
        if b == len(self.blocks):
            return 1 if j == self.k else 0
        key = (b, j)
        known = self._counts.get(key)
        if known is None:
            known = 0
            for t in self._spans(b, j):
                heads = len(self.heads(b, j, t))
                if heads:
                    known += heads * self.count(b + 1, j + t)
            self._counts[key] = known
        return known

    def ways(self, b: int, j: int) -> list[tuple[int, ...]]:
        """The placings counted by :meth:`count`, each the columns of the values in order."""
        if b == len(self.blocks):
            return [()] if j == self.k else []
        found: list[tuple[int, ...]] = []
        for t in self._spans(b, j):
            if not self.count(b + 1, j + t):
                continue
            tails = self.ways(b + 1, j + t)
            for head in self.heads(b, j, t):
                found.extend(head + tail for tail in tails)
        return found


def _joined_numbers(values: Sequence[Item], step: _Row) -> tuple[bool, list[int]]:
    """How a row with one value more than its columns may be read by its own arithmetic
    (:func:`_row_sums`), a number perhaps broken in two by a space ("5 345" in PDF text): whether its
    rightmost values satisfy it, and the index of the first piece of each pair of neighbouring values
    that, read as one number, does. ``(False, [])`` for a row with no sums or a value that is no plain
    count: then the rightmost values fill the row, as for a value before the row's (a 序号)."""
    sums = _row_sums(step.names)
    texts = [v.text for v in values]
    if not sums or not all(
        v.kind is _NUMBER and t.isdigit() and t.isascii() for v, t in zip(values, texts, strict=True)
    ):
        return False, []
    joins = [
        j
        for j in range(len(texts) - 1)
        if texts[j][0] != "0" and _sums_hold([*texts[:j], texts[j] + texts[j + 1], *texts[j + 2 :]], sums)
    ]
    return _sums_hold(texts[1:], sums), joins


def _join(values: Sequence[Item], j: int) -> list[Item]:
    """``values`` with values ``j`` and ``j + 1`` read as one number, its source the two pieces."""
    a, b = values[j], values[j + 1]
    return [*values[:j], Item(_NUMBER, a.text + b.text, f"{a.raw} {b.raw}", a.line, a.column, False), *values[j + 2 :]]


def _place_shifted(payload: Payload, step: _Row, cells: Sequence[Item], ctx: _Context) -> PlacedRow:
    """A row with empty cells more than its columns, at its start and at its end. Trailing empty cells
    are most often padding (a table wider than its columns), and the row is read from its first cell;
    but the first may stand in a label column (a row under a group label, a label spanning a column)
    and the last be a blank value. When the row's own arithmetic (:func:`_row_sums`, a blank counting
    as unknown) rules the first reading out, the one other reading that can hold is placed, with a
    diagnostic; none or several: the row's cells are unknown."""
    names, keys = step.names, step.keys
    n = len(names)
    sums = _row_sums(names)
    if not sums or _sums_hold([c.text for c in cells[:n]], sums, unknown_blanks=True):
        return _place(step, cells[:n], ctx)
    starts = []
    for start in range(1, len(cells) - n + 1):
        if any(c.kind is not _EMPTY for c in cells[start + n :]):
            continue
        starts.append(start)
        if cells[start].kind is not _EMPTY:
            break  # no reading starts later: it would drop this cell
    fitting = [s for s in starts if _sums_hold([c.text for c in cells[s : s + n]], sums, unknown_blanks=True)]
    why = (
        f"第{payload.line}行“{payload.label}”有{len(cells)}个单元格而该行有{n}列，首尾都是空白单元格：从第1个单元格读起，"
        "本行的数量关系不能成立"
    )
    if len(fitting) == 1:
        start = fitting[0]
        ctx.note("shifted-row", f"{why}；取第{start + 1}至{start + n}个单元格，唯有这样才可能成立", keys, payload)
        return _place(step, cells[start : start + n], ctx)
    ctx.cost += 1
    others = "都不能成立" if not fitting else "不止一种可能成立"
    ctx.note("incomplete-row", f"{why}，而其他读法{others}，这一行的单元格未知", keys, payload)
    return PlacedRow.fromkeys(names, _UNKNOWN)


_GLUED_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_COUNT_TEXT = re.compile(r"0|[1-9]\d*")
_CELL_TEXT = {
    "count": _COUNT_TEXT,
    "delta": re.compile(r"-?(?:0|[1-9]\d*)"),
    "amount_wan_yuan": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?"),
}
_EXACT_BOUNDS_FROM = 1000  # splits to try from which _SumBounds works out exact bounds
_MAX_GLUED_CELL = 12  # characters of a cell split from a glued run: a count, or an amount such as 12345678.90
_APPLICANT_NAMES = tuple(f.name for f in attrs.fields(ApplicantRow))


def split_candidates(pieces: Sequence[str], n: int, kinds: Sequence[str] | None = None) -> Iterator[tuple[str, ...]]:
    """Every way of cutting the number strings ``pieces`` into ``n`` cells in order, each cell a
    well-formed number of its column's kind (``kinds``; counts by default: no leading zero, no sign,
    no decimal point); nothing when there are too many ways to try (more than 20,000).

    The splits come in the order of :func:`itertools.combinations` over the cut positions: the
    leftmost first cut first, then by the second cut, ….
    """
    yield from _splits(tuple(pieces), n, tuple(kinds) if kinds else None, ())


def _gives_up(pieces: Sequence[str], n: int) -> bool:
    """Whether :func:`_splits` gives up on ``pieces`` for ``n`` cells without trying their cuts: a run
    longer than ``n`` cells of a report can be (its digits would make numbers Python refuses to read,
    and bounds that cost the square of its length), or more combinations of cuts than
    ``_MAX_SPLITS`` (the same decision as trying every combination would take)."""
    if sum(map(len, pieces)) > n * _MAX_GLUED_CELL:
        return True
    extra = n - len(pieces)
    total_cuts = sum(len(p) - 1 for p in pieces)
    return 0 <= extra <= total_cuts and math.comb(total_cuts, extra) > _MAX_SPLITS


def _cuttable(pieces: Sequence[str], kinds: Sequence[str]) -> bool:
    """Whether the pieces can be cut into one well-formed number per column of ``kinds`` (a cell within
    a piece), the row's sums aside: which columns can be reached at each piece's end, piece by piece,
    without listing the cuts."""
    patterns = [_CELL_TEXT.get(k, _COUNT_TEXT) for k in kinds]
    reached = {0}  # the columns that can come next at the start of the piece
    for piece in pieces:
        # cells of this piece: from each start offset, the columns reachable
        at: list[set[int]] = [set() for _ in range(len(piece) + 1)]
        at[0] = reached
        for start in range(len(piece)):
            for column in at[start]:
                if column >= len(patterns):
                    continue
                for end in range(start + 1, min(len(piece), start + _MAX_GLUED_CELL) + 1):
                    if patterns[column].fullmatch(piece, start, end):
                        at[end].add(column + 1)
        reached = at[len(piece)]
        if not reached:
            return False
    return len(patterns) in reached


def _row_sums(names: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """The row's own arithmetic as ``(first, total)`` column pairs: the columns ``first`` … ``total - 1``
    add up to the column ``total``. 总计 = the six applicant columns; a section 四 group's 总计 = its four."""
    if tuple(names) == _APPLICANT_NAMES:
        return ((0, 6),)
    if len(names) == 15:
        return ((0, 4), (5, 9), (10, 14))
    return ()


def _sums_hold(cells: Sequence[str], sums: tuple[tuple[int, int], ...], *, unknown_blanks: bool = False) -> bool:
    """Whether ``cells`` satisfy the row sums ``sums``: a cell that is not a plain count counts as 0
    in a sum and fails as a total. With ``unknown_blanks``, whether they may: such a cell is any count,
    so a sum holds when its total is one, or its known parts add up to no more than the total (to the
    total when none is unknown)."""
    values = [int(c) if c.isdecimal() else None for c in cells]  # what int() reads
    for f, t in sums:
        total = values[t]
        parts = values[f:t]
        known = sum(v or 0 for v in parts)
        if unknown_blanks:
            if total is not None and (known > total or (None not in parts and known != total)):
                return False
        elif total is None or known != total:
            return False
    return True


def _consistent(cells: Sequence[str], names: Sequence[str]) -> bool:
    """The row's own arithmetic: 总计 = the six applicant columns; a section 四 group's 总计 = its four."""
    return _sums_hold(cells, _row_sums(names))


@functools.lru_cache(maxsize=2048)  # reports repeat rows (0000000, …); the splits are tuples, safe to share
def _splits(
    pieces: tuple[str, ...], n: int, kinds: tuple[str, ...] | None, sums: tuple[tuple[int, int], ...]
) -> tuple[tuple[str, ...], ...]:
    """The splits of :func:`split_candidates` that satisfy the row sums ``sums`` (:func:`_row_sums`),
    in the same order.

    Trying every combination of cuts and filtering takes up to 20,000 tries per row. Here the cells
    are chosen one at a time from the right and a branch is left as soon as it cannot end well: a
    cell that is not a well-formed number of its kind, fewer digits left than cells; and, where the
    digits are plain ASCII digits, the sums: each group's total is chosen before its cells, a cell
    larger than what is left of the total ends the cell's growth leftwards, and for the group that
    starts the row (then all the cells left of the cell just chosen are its cells), what is left of
    the total must lie within bounds on the sums the digits left can make in the cells left
    (:class:`_SumBounds`). The splits found are then sorted into the order of their cuts.
    """
    if _gives_up(pieces, n):
        return ()
    extra = n - len(pieces)
    total_cuts = sum(len(p) - 1 for p in pieces)
    if extra < 0 or extra > total_cuts:
        return ()  # more pieces than cells, or too few digits for them
    if kinds is not None and len(kinds) != n:
        raise ValueError(f"{len(kinds)} kinds for {n} cells")
    if not all(pieces):
        return ()  # an empty piece would make an empty cell, a number of no kind
    patterns = [_CELL_TEXT.get(k, _CELL_TEXT["count"]) for k in kinds] if kinds else [_CELL_TEXT["count"]] * n
    text = "".join(pieces)
    # Plain ASCII digits: a well-formed cell of any kind is "0" or has no leading zero, and its value
    # int(cell) >= 0 grows as the cell takes in more digits, so the sums can prune the search.
    # Anything else (a sign, a decimal point, other digits): every well-formed split, then the sums.
    plain = text.isascii() and text.isdigit()
    pruned = sums if plain else ()
    piece_start: list[int] = []  # per position, where its piece starts
    for p in pieces:
        piece_start.extend([len(piece_start)] * len(p))
    # per column: the first column of its group if it is a total, and if it is one of the group's cells
    total_of: list[int | None] = [None] * n
    first_of: list[int | None] = [None] * n
    for f, t in pruned:
        total_of[t] = f
        first_of[f:t] = [f] * (t - f)
    width = max((t for f, t in pruned if f == 0), default=0)  # the cells of the group that starts the row
    bounds = _SumBounds(text, piece_start, n, width, exact=math.comb(total_cuts, extra) > _EXACT_BOUNDS_FROM)
    within = bounds.within

    starts = [0] * n
    cells = [""] * n
    out: list[tuple[tuple[int, ...], tuple[str, ...]]] = []

    def visit(c: int, end: int, cuts: int, need: int) -> None:
        """Choose cell ``c``, which ends at ``end``; ``cuts`` cuts are left for the cells before it,
        and the cells of the open group (if any) before it still have to make up ``need``."""
        if c < 0:
            out.append((tuple(starts), tuple(cells)))
            return
        pattern = patterns[c]
        group = total_of[c]
        first = first_of[c]
        piece = piece_start[end - 1]
        # The cells before cell c are as many as the pieces before it and the cuts left: c = pieces + left.
        # So a cut inside the piece takes one of the cuts left (none left: the cell starts the piece), and
        # there must be a digit at least for each cell before: the cell starts at c or later.
        for a in range(end - 1, max(piece, c) - 1, -1) if cuts else (piece,):
            cell = text[a:end]
            if plain:
                if a < end - 1 and text[a] == "0":
                    continue  # a leading zero
            elif not pattern.fullmatch(cell):
                continue
            rest = need
            if group is not None:  # a total: the cells of its group come next
                rest = int(cell)
                if group == 0 and not within(c, a, rest):
                    continue
            elif first is not None:  # a cell of a group
                rest = need - int(cell)
                if rest < 0:
                    break  # and so would every longer cell
                if c == first and rest:
                    continue  # the group's cells fall short of its total
                if first == 0 and not within(c, a, rest):
                    continue
            starts[c] = a
            cells[c] = cell
            visit(c - 1, a, cuts - 1 if a > piece else cuts, rest)  # noqa: F821  (deleted once the search ends)

    try:
        visit(n - 1, len(text), extra, 0)
    finally:
        del visit  # it refers to itself through its closure: a cycle only the collector would free
    out.sort()  # by the cells' starts: the order of the cuts, that of itertools.combinations
    found = tuple(split for _, split in out)
    if sums and not plain:
        found = tuple(split for split in found if _sums_hold(split, sums))
    return found


class _SumBounds:
    """What sums the digits before a position can make, cut into a number of cells that are counts
    (plain ASCII digits, no leading zero); for the cells of the group that starts a row.

    ``within(k, x, rest)`` is False only when the digits before ``x`` cut into ``k`` cells cannot add
    up to ``rest``: with ``exact``, from the least and the greatest of those sums (worked out for
    every k and x, worth it for long rows); otherwise from the digits' count alone: each cell is at
    most ``rest``, so at most as long, and no sum of the cells exceeds the digits read as one number.
    """

    __slots__ = ("least", "most", "prefix")

    def __init__(self, text: str, piece_start: Sequence[int], n: int, width: int, exact: bool) -> None:
        self.prefix: list[int] = []
        self.least: list[list[int]] = []
        self.most: list[list[int]] = []
        if not width:
            return
        if not exact:
            self.prefix = [int(text[:x]) if x else 0 for x in range(len(text) + 1)]
            return
        size = len(text) + 1
        longest = size - n  # a cell leaves a digit at least to each other cell
        impossible = 10**size  # more than any sum of these digits: least > most marks what cannot be
        ending: list[list[tuple[int, int]]] = [[] for _ in range(size)]  # per end: (start, value) of the cells
        for x in range(1, size):
            for y in range(x - 1, max(piece_start[x - 1], x - longest) - 1, -1):
                if y == x - 1 or text[y] != "0":
                    ending[x].append((y, int(text[y:x])))
        least = [[0] + [impossible] * (size - 1)]
        most = [[0] + [-1] * (size - 1)]
        for k in range(1, width + 1):
            lo_before, hi_before = least[-1], most[-1]
            lo_k, hi_k = [impossible] * size, [-1] * size
            for x in range(k, size - (n - k)):  # each cell after these k takes a digit at least
                lo, hi = impossible, -1
                for y, v in ending[x]:
                    if lo_before[y] + v < lo:
                        lo = lo_before[y] + v
                    if hi_before[y] >= 0 and hi_before[y] + v > hi:
                        hi = hi_before[y] + v
                lo_k[x], hi_k[x] = lo, hi
            least.append(lo_k)
            most.append(hi_k)
        self.least, self.most = least, most

    def within(self, k: int, x: int, rest: int) -> bool:
        """Whether the digits before ``x`` cut into ``k`` cells may add up to ``rest``."""
        if self.least:
            return self.least[k][x] <= rest <= self.most[k][x]
        if k == 0:
            return x == 0 and rest == 0
        return x <= k * len(str(rest)) and rest <= self.prefix[x]


def _split_glued(values: Sequence[Item], step: _Row, ctx: _Context) -> PlacedRow | None:
    names, keys, kinds = step.names, step.keys, step.kinds
    raw = "".join(v.raw for v in values)
    if ctx.cells_dropped:
        ctx.note(
            "ambiguous-split",
            f"第{values[0].line}行粘连的数字“{raw}”未拆分：本表有的行一个数字也没有，说明空白单元格在转换中消失了，"
            "粘连的数字不一定每列一个",
            keys,
            values[0],
        )
        return None
    if any(v.kind is not Kind.NUMBER or not _GLUED_NUMBER.fullmatch(v.text) for v in values):
        ctx.note("ambiguous-split", "粘连的数字中含有非数字内容，无法拆分到各列", keys, values[0])
        return None
    pieces = [v.text for v in values]
    candidates = _splits(tuple(pieces), len(names), kinds, _row_sums(names))
    first = values[0]
    if len(candidates) == 1:
        cells = candidates[0]
        ctx.note(
            "split-glued",
            f"第{first.line}行粘连的数字“{raw}”按本行的数量关系唯一地拆分为 {' | '.join(cells)}",
            keys,
            first,
        )
        return PlacedRow(
            (name, _cell(parse_number(c, amount=kind == "amount_wan_yuan"), c, first))
            for name, c, kind in zip(names, cells, kinds, strict=True)
        )
    if len(candidates) > 1:
        # the rest of the table may decide: gxgk.glue solves every such row of the report at once
        ctx.pending.append(GluedRun(tuple(keys), tuple(candidates), raw, first.line or None, first.column or None))
        return None
    # no cut at all into numbers of the columns' kinds, the row's sums aside, when the cuts were tried
    if not _gives_up(pieces, len(names)) and not _cuttable(pieces, kinds):
        ctx.unsplittable = True
    ctx.note(
        "ambiguous-split",
        f"第{first.line}行粘连的数字“{raw}”无法拆分为{len(names)}列，这一行的单元格未知",
        keys,
        first,
    )
    return None
