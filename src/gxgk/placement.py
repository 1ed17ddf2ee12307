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

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import attrs
from lark import Token, Tree

from gxgk.editions import Edition
from gxgk.glue import GluedRun
from gxgk.layout import Item, Kind
from gxgk.lexer import Payload, canonical
from gxgk.records import Appeal, ApplicantRow, Cell, Diagnostic
from gxgk.text import parse_number

__all__ = ["Missing", "TablePlacement", "TablePlan", "place_table", "plan_table", "split_candidates"]

_MAX_SPLITS = 20000


@attrs.frozen
class TablePlacement:
    """The cells of one table as data for the converter, the diagnostics, and the misfit cost;
    ``pending``: the glued rows that split in several ways, left unknown until the whole report's
    arithmetic decides them (:func:`gxgk.glue.resolve`)."""

    values: dict[str, Any]
    diagnostics: tuple[Diagnostic, ...]
    cost: int
    pending: tuple[GluedRun, ...] = ()


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


def _cell(value: Any, raw: str | None, item: Item | None) -> Cell:
    if item is None:
        return Cell(value, raw)
    return Cell(value, raw, item.line, item.column)


_UNKNOWN = Cell()  # no source text placed: the cell is unknown


class _Context:
    __slots__ = ("cells_dropped", "cost", "diagnostics", "edition", "pending")

    def __init__(self, edition: Edition, cells_dropped: bool = False) -> None:
        self.edition = edition
        self.diagnostics: list[Diagnostic] = []
        self.cost = 0
        self.pending: list[GluedRun] = []
        self.cells_dropped = cells_dropped

    def amounts(self, keys: tuple[str, ...]) -> tuple[bool, ...]:
        """Whether each cell of a row holds an amount in 万元 (remembered per edition and row)."""
        by_keys = _AMOUNTS.setdefault(self.edition, {})
        flags = by_keys.get(keys)
        if flags is None:
            flags = by_keys[keys] = tuple(_kind(self.edition, k) == "amount_wan_yuan" for k in keys)
        return flags

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
    that carries its values; ``path`` leads from the table's mapping to the row's."""

    path: tuple[str, ...]
    names: tuple[str, ...]
    keys: tuple[str, ...]
    prefix: str
    token: int | Missing | None


class _Heading(NamedTuple):
    """A heading token (a group label, a column heading): values on it fit nowhere."""

    prefix: str
    token: int


@attrs.frozen
class TablePlan:
    """Where one edition's parse tree of a table puts each token, independent of the tokens'
    contents: the rows and headings in template order, and every token the tree holds."""

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
        return TablePlan((_Row((), _APPEAL_KEYS, _APPEAL_KEYS, "", token),), fed, appeals=True)
    steps: list[_Row | _Heading] = []
    _walk(tree, edition.table_class(table), table, (), steps)
    return TablePlan(tuple(steps), fed)


_APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_APPEAL_NAMES = tuple(f.name for f in attrs.fields(Appeal))
_APPEAL_KEYS = tuple(f"{g}.{n}" for g in _APPEAL_GROUPS for n in _APPEAL_NAMES)


def _walk(tree: Tree[Any], cls: type[Any], prefix: str, path: tuple[str, ...], steps: list[_Row | _Heading]) -> None:
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
            _walk(child, field.type, key, (*path, name), steps)
            continue
        token = next((c.value for c in child.children if isinstance(c, Token)), None)
        steps.append(_Row((*path, name), tuple(names), tuple(f"{key}.{n}" for n in names), key, token))


def place_table(edition: Edition, table: str, plan: TablePlan | None, tokens: Sequence[Token]) -> TablePlacement:
    """The cells of ``table`` from one edition's plan of it, taking the values from ``tokens``."""
    if plan is None:
        return TablePlacement({}, (), 1000)
    ctx = _Context(edition, _cells_dropped(tokens[i].value for i in plan.fed))
    out: dict[str, Any] = {}
    for step in plan.steps:
        payload = _payload(step.token, tokens)
        if isinstance(step, _Heading):
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
        placed = _place_row(payload, step.names, step.keys, step.prefix, ctx)
        if plan.appeals:
            out = {g: {n: placed[f"{g}.{n}"] for n in _APPEAL_NAMES} for g in _APPEAL_GROUPS}
            continue
        node = out
        for part in step.path[:-1]:
            node = node.setdefault(part, {})
        node[step.path[-1]] = placed
    values = out if plan.appeals else {table: out}
    return TablePlacement(values, tuple(ctx.diagnostics), ctx.cost, tuple(ctx.pending))


def _payload(token: int | Missing | None, tokens: Sequence[Token]) -> Payload | None:
    if token is None:
        return None
    if isinstance(token, Missing):
        where = tokens[token.before] if token.before is not None else None
        line = where.line if where is not None else 0
        column = where.column if where is not None else 0
        return Payload("", None, line or 0, column or 0, missing=True)
    payload: Payload = tokens[token].value
    return payload


def _cells_dropped(payloads: Iterable[Payload]) -> bool:
    """True when a table flattened with its cells glued together also shows rows with no number at
    all: its blank cells vanished in the flattening, so no glued run can be known to hold one number
    per column and none may be split."""
    glued = empty = False
    for p in payloads:
        if p.row is not None:
            glued = glued or any(c.glued for c in p.row.cells)
            empty = empty or bool(p.label and not p.row.cells)
    return glued and empty


_KINDS: dict[Edition, dict[str, str]] = {}
_AMOUNTS: dict[Edition, dict[tuple[str, ...], tuple[bool, ...]]] = {}


def _kind(edition: Edition, key: str) -> str:
    """``edition.kind(key)``, remembered per edition object (asked for every value placed)."""
    kinds = _KINDS.setdefault(edition, {})
    kind = kinds.get(key)
    if kind is None:
        kind = kinds[key] = edition.kind(key)
    return kind


def _place(names: Sequence[str], keys: tuple[str, ...], items: Sequence[Item], ctx: _Context) -> dict[str, Cell]:
    """One item per column, in order: an empty cell or a blank mark is blank, anything else is read as a
    number (a cell that holds none is unknown, with a diagnostic)."""
    placed: dict[str, Cell] = {}
    for name, key, item, amount in zip(names, keys, items, ctx.amounts(keys), strict=True):
        kind = item.kind
        if kind is Kind.EMPTY:
            placed[name] = Cell(None, "", item.line, item.column)
        elif kind is Kind.MARK:
            placed[name] = Cell(None, item.raw, item.line, item.column)
        else:
            text = item.text
            # most cells are plain counts: read them here, as parse_number would
            value = int(text) if not amount and text.isdigit() and text.isascii() else parse_number(text, amount=amount)
            if value is None:
                ctx.note("unreadable-cell", f"单元格“{item.raw}”不是可识别的数字", [key], item)
            placed[name] = Cell(value, item.raw, item.line, item.column)
    return placed


def _place_row(
    payload: Payload | None, names: Sequence[str], keys: tuple[str, ...], prefix: str, ctx: _Context
) -> dict[str, Any]:
    n = len(names)
    row_name = prefix or "第四部分（复议、诉讼）"
    if payload is None or payload.missing:
        ctx.note("missing-row", f"文中没有“{row_name}”这一行，其单元格未知", keys, payload)
        return dict.fromkeys(names, _UNKNOWN)
    row = payload.row
    cells = list(row.cells) if row is not None else []
    values = [c for c in cells if c.kind is not Kind.EMPTY]
    if not values and not (row is not None and row.positional and len(cells) >= n):  # padded blank rows too
        ctx.cost += 1
        ctx.note("incomplete-row", f"第{payload.line}行“{payload.label}”没有数值，这一行的单元格未知", keys, payload)
        return dict.fromkeys(names, _UNKNOWN)
    if len(values) == n:
        return _place(names, keys, values, ctx)
    if row is not None and row.positional:
        end = len(cells)  # trailing empty cells dropped down to the row's width (one slice: rows can be long)
        while end > n and cells[end - 1].kind is Kind.EMPTY:
            end -= 1
        trimmed = cells[:end]
        if len(trimmed) == n:
            return _place(names, keys, trimmed, ctx)
    if len(values) > n:
        extra = values[: len(values) - n]
        ctx.cost += 1
        shown = "、".join(f"“{i.raw}”" for i in extra)
        ctx.note(
            "unplaced-value",
            f"第{values[0].line}行有{len(values)}个数值而该行只有{n}列：取最右边的{n}个，{shown}无法对应到列",
            keys,
            extra[0],
        )
        kept = values[len(values) - n :]
        return _place(names, keys, kept, ctx)
    if any(v.glued for v in values):
        split = _split_glued(values, names, keys, ctx)
        if split is not None:
            return split
        return dict.fromkeys(names, _UNKNOWN)
    ctx.cost += 1
    shown = "、".join(i.raw for i in values)
    ctx.note(
        "incomplete-row",
        f"第{values[0].line}行有{len(values)}个数值（{shown}）而该行有{n}列：空白单元格被丢弃，无法确定各数值所在的列，这一行的单元格未知",
        keys,
        values[0],
    )
    return dict.fromkeys(names, _UNKNOWN)


_GLUED_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_CELL_TEXT = {
    "count": re.compile(r"0|[1-9]\d*"),
    "delta": re.compile(r"-?(?:0|[1-9]\d*)"),
    "amount_wan_yuan": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?"),
}


def split_candidates(pieces: Sequence[str], n: int, kinds: Sequence[str] | None = None) -> Iterator[tuple[str, ...]]:
    """Every way of cutting the number strings ``pieces`` into ``n`` cells in order, each cell a
    well-formed number of its column's kind (``kinds``; counts by default: no leading zero, no sign,
    no decimal point); nothing when there are too many ways to try (more than 20,000)."""
    patterns = [_CELL_TEXT.get(k, _CELL_TEXT["count"]) for k in kinds] if kinds else [_CELL_TEXT["count"]] * n
    cuts_per_piece = [len(p) - 1 for p in pieces]
    extra = n - len(pieces)
    total_cuts = sum(cuts_per_piece)
    if extra < 0 or extra > total_cuts or math.comb(total_cuts, extra) > _MAX_SPLITS:
        return
    positions = [(i, j) for i, p in enumerate(pieces) for j in range(1, len(p))]
    for chosen in itertools.combinations(positions, extra):
        cells: list[str] = []
        by_piece: dict[int, list[int]] = {}
        for i, j in chosen:
            by_piece.setdefault(i, []).append(j)
        for i, p in enumerate(pieces):
            start = 0
            for j in by_piece.get(i, []):
                cells.append(p[start:j])
                start = j
            cells.append(p[start:])
        if all(p.fullmatch(c) for p, c in zip(patterns, cells, strict=True)):
            yield tuple(cells)


def _consistent(cells: Sequence[str], names: Sequence[str]) -> bool:
    """The row's own arithmetic: 总计 = the six applicant columns; a section 四 group's 总计 = its four."""
    values = [int(c) if c.isdigit() else None for c in cells]
    if list(names) == [f.name for f in attrs.fields(ApplicantRow)]:
        return values[6] is not None and sum(v or 0 for v in values[:6]) == values[6]
    if len(names) == 15:
        return all(sum(v or 0 for v in values[g : g + 4]) == values[g + 4] for g in (0, 5, 10))
    return True


def _split_glued(
    values: Sequence[Item], names: Sequence[str], keys: Sequence[str], ctx: _Context
) -> dict[str, Any] | None:
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
    kinds = [_kind(ctx.edition, key) for key in keys]
    candidates = [c for c in split_candidates(pieces, len(names), kinds) if _consistent(c, names)]
    first = values[0]
    if len(candidates) == 1:
        cells = candidates[0]
        ctx.note(
            "split-glued",
            f"第{first.line}行粘连的数字“{raw}”按本行的数量关系唯一地拆分为 {' | '.join(cells)}",
            keys,
            first,
        )
        return {
            name: _cell(parse_number(c, amount=kind == "amount_wan_yuan"), c, first)
            for name, c, kind in zip(names, cells, kinds, strict=True)
        }
    if len(candidates) > 1:
        # the rest of the table may decide: gxgk.glue solves every such row of the report at once
        ctx.pending.append(GluedRun(tuple(keys), tuple(candidates), raw, first.line or None, first.column or None))
        return None
    ctx.note(
        "ambiguous-split",
        f"第{first.line}行粘连的数字“{raw}”无法拆分为{len(names)}列，这一行的单元格未知",
        keys,
        first,
    )
    return None
