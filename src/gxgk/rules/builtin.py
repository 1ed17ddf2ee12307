"""The built-in rules (see docs/rules.md for the catalogue).

Arithmetic rules share one evaluator over :class:`Equation` s. Blanks are unknowns, never
contradictions: a blank part counts as 0 and the finding says so; a blank total whose parts hold
numbers is a warning giving the value it would need; a cell the parser could not place (``raw is
None``) leaves its equations unchecked. Where failing equations meet in one cell, the finding names
that cell and the value that would make every equation hold.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

import attrs

from gxgk.findings import Finding, Severity
from gxgk.layout import SECTION_TITLES
from gxgk.records import Appeal, ApplicantRow, ApplicationsTable, Cell, Number, Report, _tuple_getter
from gxgk.rules import _cell, _cells_by_key, base_edition, finding, rule

if TYPE_CHECKING:
    from gxgk.editions import CellSpec

__all__ = ["Equation", "equations", "report_equations"]

APPLICANTS = (*ApplicantRow.APPLICANTS, "total")
_COLUMN_ZH = {
    "natural_person": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "social_org": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他组织",
    "total": "总计",
}
_ROW_ZH = {
    "new_received": "一、本年新收",
    "carried_over": "二、上年结转",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
    "other": "（六）其他处理",
}
_GROUP_ZH = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}


@attrs.frozen
class Equation:
    """``sum(left) == sum(right)``, the rule that demands it, and how to say it in Chinese."""

    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    text: str

    @property
    def keys(self) -> tuple[str, ...]:
        """Every cell of the equation."""
        return self.left + self.right


def _row_zh(key: str) -> str:
    last = key.split(".")[-1]
    return _ROW_ZH.get(key, _ROW_ZH.get(last, last))


def equations(report: Report) -> Iterator[Equation]:
    """The arithmetic the template implies for ``report``'s tables."""
    apps = report.applications
    if isinstance(apps, ApplicationsTable):
        outcomes = [key for key, _ in apps.outcome_rows()]
        for col in APPLICANTS:
            zh = _COLUMN_ZH[col]
            yield Equation(
                "GX101",
                (f"applications.new_received.{col}", f"applications.carried_over.{col}"),
                (f"applications.total.{col}", f"applications.carried_forward.{col}"),
                f"“{zh}”列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理",
            )
        for col in APPLICANTS:
            yield Equation(
                "GX102",
                (f"applications.total.{col}",),
                tuple(f"applications.{row}.{col}" for row in outcomes),
                f"“{_COLUMN_ZH[col]}”列：（七）总计 = 各项办理结果之和",
            )
        for key, _ in apps.cells("applications"):
            if key.endswith(".total"):
                row = key[: -len(".total")]
                yield Equation(
                    "GX103",
                    (key,),
                    tuple(f"{row}.{c}" for c in ApplicantRow.APPLICANTS),
                    f"“{_row_zh(row.removeprefix('applications.'))}”行：总计 = 六类申请人之和",
                )
    for group in ("review", "litigation_direct", "litigation_after_review"):
        if isinstance(getattr(report, group), Appeal):
            yield Equation(
                "GX104",
                (f"{group}.total",),
                tuple(f"{group}.{c}" for c in ("upheld", "corrected", "other", "pending")),
                f"{_GROUP_ZH[group]}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
            )


class _Outcome(NamedTuple):
    """How an equation that does not hold fares on one report."""

    equation: Equation
    state: str  # "fails", "blank-total", "unknown", "empty"
    left: int | Decimal
    right: int | Decimal
    blanks: tuple[str, ...]


_Getter = Callable[[Sequence[Number]], tuple[Number, ...]]


class _Plan(NamedTuple):
    """How the equations of one table structure (a report's cell keys) are evaluated.

    The operands are the report's cells in key order, then the cells at the keys the equations name
    outside them (``outside``); each equation's cells are positions in that list.
    """

    equations: tuple[Equation, ...]
    outside: tuple[str, ...]
    sides: tuple[tuple[_Getter, _Getter], ...]  # per equation: its left and right operands, by position
    positions: tuple[tuple[int, ...], ...]  # per equation: the position of each of its keys (Equation.keys)
    users: tuple[tuple[int, ...], ...]  # per position: the equations (their indices) that name it


def _make_plan(eqs: tuple[Equation, ...], keys: Sequence[str]) -> _Plan:
    outside = tuple(dict.fromkeys(key for eq in eqs for key in eq.keys if key not in keys))
    position = {key: i for i, key in enumerate((*keys, *outside))}
    users: list[list[int]] = [[] for _ in position]
    positions = []
    sides = []
    for e, eq in enumerate(eqs):
        at = tuple(position[key] for key in eq.keys)
        positions.append(at)
        for p in dict.fromkeys(at):
            users[p].append(e)
        left, right = at[: len(eq.left)], at[len(eq.left) :]
        sides.append((_tuple_getter(operator.itemgetter, list(left)), _tuple_getter(operator.itemgetter, list(right))))
    return _Plan(eqs, outside, tuple(sides), tuple(positions), tuple(tuple(u) for u in users))


def _evaluate(plan: _Plan, e: int, values: Sequence[Number], blank: set[int], unusable: set[int]) -> _Outcome | None:
    """Equation ``e`` of ``plan`` on the operand ``values`` (a blank or unusable cell's value is 0); None
    when it holds (most do: no outcome is made for them)."""
    eq = plan.equations[e]
    at = plan.positions[e]
    blanks: tuple[str, ...] = ()
    if unusable and not unusable.isdisjoint(at):
        return _Outcome(eq, "unknown", 0, 0, ())
    if blank and not blank.isdisjoint(at):
        blanks = tuple(dict.fromkeys(key for key, p in zip(eq.keys, at, strict=True) if p in blank))
        if blank.issuperset(at):
            return _Outcome(eq, "empty", 0, 0, blanks)
    get_left, get_right = plan.sides[e]
    left = sum(get_left(values), 0)
    right = sum(get_right(values), 0)
    if len(eq.left) == 1 and eq.left[0] in blanks:
        return _Outcome(eq, "blank-total", left, right, blanks)
    return None if left == right else _Outcome(eq, "fails", left, right, blanks)


def _repairs(report: Report, outcomes: Sequence[_Outcome], held: Iterable[Equation]) -> list[tuple[str, int | Decimal]]:
    """Single-cell repairs: a cell in every failing equation and in no holding one (``held``, and those
    whose blank total has the value it needs), with the one value that makes all of them hold."""
    failing = [o for o in outcomes if o.state == "fails" and not _blanks_could_fill(o)]
    if not failing:
        return []
    candidates = set(failing[0].equation.keys)
    for o in failing[1:]:
        candidates &= set(o.equation.keys)
    for eq in itertools.chain(held, (o.equation for o in outcomes if o.state == "blank-total")):
        candidates.difference_update(eq.keys)
    repairs: list[tuple[str, int | Decimal]] = []
    for key in sorted(candidates):
        current = report.cell(key).value or 0
        wanted: set[int | Decimal] = set()
        for o in failing:
            diff = o.left - o.right
            wanted.add(current - diff if key in o.equation.left else current + diff)
        if len(wanted) == 1:
            value = wanted.pop()
            if value >= 0:
                repairs.append((key, value))
    return repairs


def _blanks_could_fill(o: _Outcome) -> bool:
    """True when every blank stands on the side whose sum is smaller: blanks, being unknowns, could
    hold the difference, so the equation is not contradicted."""
    if not o.blanks:
        return False
    small = o.equation.left if o.left < o.right else o.equation.right
    return all(k in small for k in o.blanks)


class _Arithmetic(NamedTuple):
    """GX101–GX104 on one report: per code, the outcomes that make findings (failing equations and
    blank totals, in equation order), and the single-cell repairs."""

    flagged: dict[str, list[_Outcome]]
    repairs: list[tuple[str, int | Decimal]]


# GX101–GX104 share one evaluation per report (the last report's, by identity). The plan of one table
# structure (the report's cell keys) is made once per process.
_last_arithmetic: tuple[Report | None, _Arithmetic] = (None, _Arithmetic({}, []))
_plans_by_shape: dict[tuple[object, ...], _Plan] = {}
_NO_CELL = Cell()  # a key the report has no cell at: unusable, like a cell the parser could not place


def _report_plan(report: Report, lookup: Mapping[str, Cell]) -> _Plan:
    """The :class:`_Plan` of ``report``'s equations, ``lookup`` being its cells by key; made once per table
    structure."""
    shape = (type(report.applications), *(getattr(report, g) is None for g in _GROUP_ZH), *lookup)
    plan = _plans_by_shape.get(shape)
    if plan is None:
        plan = _make_plan(tuple(equations(report)), tuple(lookup))
        if len(_plans_by_shape) < 64:
            _plans_by_shape[shape] = plan
    return plan


def report_equations(report: Report) -> tuple[Equation, ...]:
    """:func:`equations` of ``report`` as a tuple, worked out once per table structure (the same
    equations, in the same order)."""
    return _report_plan(report, _cells_by_key(report)).equations


def _outside_cell(report: Report, key: str) -> Cell:
    try:
        return report.cell(key)
    except KeyError:
        return _NO_CELL


def _arithmetic(report: Report) -> _Arithmetic:
    global _last_arithmetic
    last = _last_arithmetic
    if last[0] is report:
        return last[1]
    lookup = _cells_by_key(report)
    plan = _report_plan(report, lookup)
    cells = list(lookup.values())
    cells.extend(_outside_cell(report, key) for key in plan.outside)
    # the operands: most cells are counts the parser placed, taken as they are in one pass; the
    # others, one by one: a blank counts 0, an amount its value, and a cell not placed (raw is None)
    # or not a number is unusable (an equation that names it is unknown)
    values: list[Number | None] = [
        value if (value := cell.value).__class__ is int and cell.raw is not None else None for cell in cells
    ]
    blank: set[int] = set()
    unusable: set[int] = set()
    touched: set[int] = set()  # the equations that name a blank or unusable cell
    users = plan.users
    # the others, found by the list's own search from where the last one was (most reports have none
    # or a few): one pass in all
    p = -1
    while True:
        try:
            p = values.index(None, p + 1)
        except ValueError:
            break
        cell = cells[p]
        value = cell.value
        if cell.raw is None or not (value is None or isinstance(value, (int, Decimal))):
            unusable.add(p)
            value = 0
        elif value is None:
            blank.add(p)
        values[p] = value or 0
        touched.update(users[p])
    numbers: list[Number] = values  # type: ignore[assignment]  # no None left
    # most equations hold: the difference of their sides, in one pass, says which need a closer look
    outcomes: list[_Outcome] = []  # of the equations that do not hold
    held: list[Equation] = []
    eqs = plan.equations
    for e, (get_left, get_right) in enumerate(plan.sides):
        if e in touched or sum(get_left(numbers), 0) != sum(get_right(numbers), 0):
            o = _evaluate(plan, e, numbers, blank, unusable)
            if o is not None:
                outcomes.append(o)
                continue
        held.append(eqs[e])
    flagged: dict[str, list[_Outcome]] = {}
    for o in outcomes:
        if o.state in ("fails", "blank-total"):
            flagged.setdefault(o.equation.code, []).append(o)
    arithmetic = _Arithmetic(flagged, _repairs(report, outcomes, held))
    _last_arithmetic = (report, arithmetic)
    return arithmetic


def _arith_findings(report: Report, code: str) -> Iterator[Finding]:
    arithmetic = _arithmetic(report)
    repairs = arithmetic.repairs
    for o in arithmetic.flagged.get(code, ()):
        eq = o.equation
        if o.state == "fails" and _blanks_could_fill(o):
            # counts are never negative: blanks on the smaller side could hold the difference
            shown = "、".join(o.blanks)
            yield finding(
                code,
                Severity.WARNING,
                f"{eq.text}：空白单元格按0计时左边为{o.left}，右边为{o.right}；若空白单元格（{shown}）共为"
                f"{abs(o.left - o.right)}则成立",
                cells=list(o.blanks) + [k for k in eq.keys if k not in o.blanks],
                report=report,
                expected=o.left if len(eq.left) == 1 else None,
                actual=o.right if len(eq.left) == 1 else None,
            )
        elif o.state == "fails":
            blanks = f"（空白单元格{len(o.blanks)}个按0计）" if o.blanks else ""
            fix = [(k, v) for k, v in repairs if k in eq.keys]
            hint = ""
            if len(fix) == 1:
                hint = f"；最可能出错的是 {fix[0][0]}，改为 {fix[0][1]} 则各项数量关系均成立"
            elif fix:
                hint = "；改动以下任一单元格可使各项数量关系均成立：" + "，".join(f"{k}={v}" for k, v in fix)
            total_first = len(eq.left) == 1
            expected, actual = (o.right, o.left) if total_first else (o.left, o.right)
            diff = o.left - o.right
            yield finding(
                code,
                Severity.ERROR,
                f"{eq.text}不成立：左边为{o.left}，右边为{o.right}，相差{abs(diff)}{blanks}{hint}",
                cells=([fix[0][0]] if len(fix) == 1 else []) + [k for k in eq.keys if len(fix) != 1 or k != fix[0][0]],
                report=report,
                expected=expected,
                actual=actual,
                suggestions=fix,
            )
        elif o.state == "blank-total":
            yield finding(
                code,
                Severity.WARNING,
                f"{eq.text}：总计单元格空白，按各项应为{o.right}",
                cells=list(eq.keys),
                report=report,
                expected=o.right,
                actual=None,
            )


_TEMPLATE_SANSHI = "《年度报告格式》第三部分表头：“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。"


# The template's arithmetic: one rule per kind of equation, all evaluated by _arith_findings.
_ARITHMETIC = (
    (
        "GX101",
        "勾稽关系：第一项加第二项之和等于第三项加第四项之和",
        "Applications balance: new + carried over = handled + carried forward",
        _TEMPLATE_SANSHI + " For every column of section 三: 一 + 二 = （七）总计 + 四.",
    ),
    (
        "GX102",
        "（七）总计等于各项办理结果之和",
        "Outcome total equals the sum of the outcomes",
        "第三部分“三、本年度办理结果”：（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）"
        "（2021年版为（六）1–3）, per column.",
    ),
    (
        "GX103",
        "总计列等于六类申请人之和",
        "Row total equals the six applicant columns",
        "第三部分“申请人情况”：总计 = 自然人 + 法人或其他组织（商业企业、科研机构、社会公益组织、法律服务机构、其他）, "
        "in every row.",
    ),
    (
        "GX104",
        "复议、诉讼总计等于各结果之和",
        "Review and litigation totals equal their outcomes",
        "第四部分：行政复议、行政诉讼（未经复议直接起诉、复议后起诉）各组 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.",
    ),
)
for _code, _zh, _en, _description in _ARITHMETIC:
    rule(_code, title_zh=_zh, title_en=_en, description=_description)(functools.partial(_arith_findings, code=_code))


_KIND_PREFIXES = {"active": ("active.",), "applications": ("applications.",), "appeals": ("review.", "litigation_")}
# The kinds of the cells for the specs of the tables' editions, by the ids of the specs: each entry keeps
# its specs alive, so that no other object can take their ids.
_kinds_by_specs: dict[tuple[int, ...], tuple[tuple[object, ...], dict[str, str]]] = {}


def _kinds(report: Report) -> Mapping[str, str]:
    """The kind of every cell key of the report's tables, from the spec of each table's edition."""
    from gxgk import editions

    specs: list[Mapping[str, CellSpec] | None] = []
    for table in _KIND_PREFIXES:
        name = getattr(report.table_editions, table) or report.edition
        try:
            specs.append(editions.get(name).spec)
        except Exception:
            specs.append(None)
    ids = tuple(map(id, specs))
    known = _kinds_by_specs.get(ids)
    if known is None:
        kinds: dict[str, str] = {}
        for prefix, spec in zip(_KIND_PREFIXES.values(), specs, strict=True):
            if spec is not None:
                kinds.update((key, cell.kind) for key, cell in spec.items() if key.startswith(prefix))
        if len(_kinds_by_specs) >= 32:
            _kinds_by_specs.clear()
        known = _kinds_by_specs[ids] = (tuple(specs), kinds)
    return known[1]


@rule(
    "GX105",
    title_zh="数量为非负整数",
    title_en="Counts are non-negative integers",
    description="模板各表填写的是件数、项数：非负整数；“本年增/减”（2019年版）可为负；金额（采购总金额、本年收费金额）为非负数。",
)
def non_negative(report: Report) -> Iterable[Finding]:
    """Counts are non-negative integers; 本年增/减 may be negative; amounts non-negative."""
    kinds = _kinds(report)
    for key, cell in _cells_by_key(report).items():
        value = cell.value
        if value is None or (type(value) is int and value >= 0):
            continue  # a blank, or a non-negative integer: right whatever the cell's kind
        kind = kinds.get(key, "count")
        if kind == "delta":
            if value != int(value):
                yield finding("GX105", Severity.ERROR, f"{key} 应为整数，实为“{cell.raw}”", cells=[key], report=report)
        elif kind.startswith("amount"):
            if value < 0:
                yield finding(
                    "GX105", Severity.ERROR, f"{key} 为金额，不应为负：“{cell.raw}”", cells=[key], report=report
                )
        elif value < 0 or value != int(value):
            yield finding(
                "GX105",
                Severity.ERROR,
                f"{key} 应为非负整数，实为“{cell.raw}”",
                cells=[key],
                report=report,
                actual=value,
            )


_DIAGNOSTIC_SEVERITY = {
    "split-glued": Severity.INFO,
    "shifted-row": Severity.INFO,
    "placed-row": Severity.INFO,
    "joined-number": Severity.INFO,
}


@rule(
    "GX001",
    title_zh="无法确定读取的单元格",
    title_en="Cells the parser could not read with certainty",
    description="版式造成的读取问题：数值少于列数的行、无法对应到列的数值、无法识别的单元格、缺失的行或表格、粘连且拆分不唯一的数字、没有标题的表格、文中又有一份报告。"
    "这些关乎读取而非报告的数量关系，因此是警告。",
    severity=Severity.WARNING,
)
def parse_diagnostics(report: Report) -> Iterable[Finding]:
    """The parser's diagnostics, as findings naming their cells."""
    for d in report.diagnostics:
        yield finding(
            "GX001",
            _DIAGNOSTIC_SEVERITY.get(d.code, Severity.WARNING),
            f"[{d.code}] {d.message}",
            cells=d.cells,
            report=report,
            line=d.line,
        )


@rule(
    "GX002",
    title_zh="空白单元格",
    title_en="Blank cells",
    description="空白、“/”、“—”不是0：空白单元格的值未知，不参与矛盾的认定（作和时按0计并注明）。",
    severity=Severity.WARNING,
)
def blank_cells(report: Report) -> Iterable[Finding]:
    """Blank cells, one warning per row (one per table when the whole table is blank)."""
    cells = _cells_by_key(report)
    all_blank = [key for key, cell in cells.items() if cell.value is None and cell.raw is not None]
    if not all_blank:
        return
    by_table: dict[str, list[str]] = {}
    for key in all_blank:
        by_table.setdefault(key[: key.index(".")], []).append(key)
    sizes = _table_sizes(cells)
    for table in Report.TABLE_FIELDS:
        blank = by_table.get(table)
        if not blank:
            continue
        # the whole table blank: every cell of it is
        if len(blank) == sizes[table]:
            yield finding(
                "GX002", Severity.WARNING, f"{table} 整个表格空白（{len(blank)}个单元格）", cells=blank, report=report
            )
            continue
        rows: dict[str, list[str]] = {}
        for key in blank:
            rows.setdefault(key.rsplit(".", 1)[0], []).append(key)
        for row, keys in rows.items():
            shown = "、".join(k.rsplit(".", 1)[1] for k in keys)
            yield finding("GX002", Severity.WARNING, f"{row} 有空白单元格：{shown}", cells=keys, report=report)


# The number of cells of each table, by the report's cell keys (a key's first part is its table).
_sizes_by_shape: dict[tuple[str, ...], dict[str, int]] = {}


def _table_sizes(lookup: Mapping[str, Cell]) -> dict[str, int]:
    """How many cells each table of a report has, from its cells by key (``_cells_by_key``), worked out
    once per set of keys."""
    shape = tuple(lookup)
    sizes = _sizes_by_shape.get(shape)
    if sizes is None:
        sizes = {}
        for key in shape:
            table = key[: key.index(".")]
            sizes[table] = sizes.get(table, 0) + 1
        if len(_sizes_by_shape) < 64:
            _sizes_by_shape[shape] = sizes
    return sizes


@rule(
    "GX201",
    title_zh="模板版本与报告年度不符或混用",
    title_en="Template edition does not match the report year, or editions are mixed",
    description="国办公开办函〔2019〕60号格式用于2019、2020年度报告；国办公开办函〔2021〕30号格式用于2021年度起的报告。",
    severity=Severity.WARNING,
)
def edition_year(report: Report) -> Iterable[Finding]:
    """The 2019 edition for 2021 or later, the 2021 edition for 2019/2020, or editions mixed."""
    from gxgk import editions

    distinct = report.table_editions.distinct()
    if len(distinct) > 1:
        detail = "，".join(f"{t}: {e}" for t, e in attrs.asdict(report.table_editions).items() if e)
        yield finding("GX201", Severity.WARNING, f"报告混用了不同版本的模板（{detail}）", cells=[], report=report)
    if report.year is None:
        return
    for name in distinct or (report.edition,):
        try:
            ed = editions.get(name)
        except Exception:
            continue
        if ed.years != (None, None) and not ed.covers_year(report.year):
            yield finding(
                "GX201",
                Severity.WARNING,
                f"{report.year}年度报告使用了{name}年版模板（{'、'.join(ed.documents)}），该版模板不适用于这一年度",
                report=report,
            )


@rule(
    "GX202",
    title_zh="对外公开总数量少于本年新公开数量",
    title_en="Total published below newly published (2019 edition)",
    description="2019年版第二部分第二十条第（一）项：对外公开总数量包含本年新公开数量，不应少于它。",
    editions={"2019"},
    severity=Severity.WARNING,
)
def total_published(report: Report) -> Iterable[Finding]:
    """对外公开总数量 < 本年新公开数量."""
    if base_edition(report.table_editions.active) != "2019":
        return
    for row in ("rules", "normative_docs"):
        total = _cell(report, f"active.{row}.total_published").value
        new = _cell(report, f"active.{row}.published").value
        if total is not None and new is not None and total < new:
            yield finding(
                "GX202",
                Severity.WARNING,
                f"active.{row}：对外公开总数量{total}少于本年新公开数量{new}",
                cells=[f"active.{row}.total_published", f"active.{row}.published"],
                report=report,
                expected=new,
                actual=total,
            )


_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|受理|接收)[^。；]{0,20}?申请")
# "收到…申请N件" or "收到N件…申请". The verb is written once, before the alternatives: a pattern that
# starts with literals lets re skip to their first characters (the same matches, several times faster).
_RECEIVED = re.compile(
    r"(?:收到|受理|接收|新收)"
    r"(?:[^。；\d]{0,30}?申请[^。；\d]{0,8}?(\d+)\s*[件例个条]|[^。；\d]{0,12}?(\d+)\s*[件例个条][^。；\d]{0,12}?申请)"
)
_HANDLED = re.compile(r"办结[^。；\d]{0,20}?(\d+)\s*[件例个条]")
# "1件结转下年度", "结转下年度继续办理4件" — not "办结44件，结转下年度…4件" (a comma ends the figure's clause).
# Two patterns searched by _leftmost, not one alternation, and "\d\d*" for "\d+": re skips quickly to the
# first character of a pattern only when it is a literal or a class, not a group or a repeat.
_FORWARD = (
    re.compile(r"(\d\d*)\s*[件例个条][^。；，,\d]{0,6}?结转(?:下年度|至下一?年)"),
    re.compile(r"结转(?:下年度|至下一?年)[^。；，,\d]{0,10}?(\d+)\s*[件例个条]"),
)


def _leftmost(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The leftmost match of any of ``patterns`` (the first one's on a tie): the match of their alternation."""
    found = (m for m in (p.search(text) for p in patterns) if m is not None)
    return min(found, key=lambda m: m.start(), default=None)


@rule(
    "GX301",
    title_zh="总体情况的文字与表格数字不符",
    title_en="Figures stated in section 一 differ from section 三",
    description="年报第一部分常复述依申请公开的数字（共收到…申请N件、办结…件、结转…件、未收到申请），应与第三部分表格一致。",
    severity=Severity.WARNING,
)
def prose_against_tables(report: Report) -> Iterable[Finding]:
    """Section 一's stated counts against section 三."""
    text = report.prose.overview or ""
    apps = report.applications
    if not text or apps is None:
        return

    def val(key: str) -> int | Decimal | None:
        try:
            return _cell(report, key).value
        except KeyError:
            return None

    new = val("applications.new_received.total")
    carried = val("applications.carried_over.total")
    handled = val("applications.total.total")
    forward = val("applications.carried_forward.total")
    m = _RECEIVED.search(text)
    if m:
        stated = int(m.group(1) or m.group(2))
        if new is not None and stated not in (new, new + (carried or 0)):
            yield finding(
                "GX301",
                Severity.WARNING,
                f"总体情况称收到申请{stated}件，第三部分本年新收为{new}件",
                cells=["applications.new_received.total"],
                report=report,
                expected=stated,
                actual=new,
            )
    elif _NONE_RECEIVED.search(text) and new is not None and new > 0:
        yield finding(
            "GX301",
            Severity.WARNING,
            f"总体情况称未收到申请，第三部分本年新收为{new}件",
            cells=["applications.new_received.total"],
            report=report,
            expected=0,
            actual=new,
        )
    m = _HANDLED.search(text)
    if m and handled is not None and int(m.group(1)) != handled:
        yield finding(
            "GX301",
            Severity.WARNING,
            f"总体情况称办结{m.group(1)}件，第三部分（七）总计为{handled}件",
            cells=["applications.total.total"],
            report=report,
            expected=int(m.group(1)),
            actual=handled,
        )
    m = _leftmost(_FORWARD, text) if "结转" in text else None  # both patterns need "结转"
    if m and forward is not None and int(m.group(1)) != forward:
        stated = int(m.group(1))
        yield finding(
            "GX301",
            Severity.WARNING,
            f"总体情况称结转{stated}件，第三部分结转下年度继续办理为{forward}件",
            cells=["applications.carried_forward.total"],
            report=report,
            expected=stated,
            actual=forward,
        )


_FEE = re.compile(r"信息处理费|处理费|收费|收取费用")
_TOKEN_EMPTY = re.compile(r"[\s(（]*(?:无|暂无|没有)?[)）。.\s]*")


@rule(
    "GX401",
    title_zh="年报内容不完整",
    title_en="Report incomplete as evaluators score it",
    description="《年度报告格式》规定的六个部分应齐全且按序；第五部分“存在的主要问题及改进情况”不应空缺或只写“无”；"
    "2021年版起第六部分应说明收取信息处理费的情况（或未收取）。",
    severity=Severity.WARNING,
)
def completeness(report: Report) -> Iterable[Finding]:
    """Six sections present and in order; 五 not empty; 六 states the 信息处理费 from 2021 on."""
    numbers = [s.number for s in report.sections]
    for n in range(1, 7):
        if n not in numbers:
            yield finding("GX401", Severity.WARNING, f"缺少第{n}部分“{SECTION_TITLES[n]}”", report=report)
    if numbers != sorted(numbers):
        yield finding(
            "GX401", Severity.WARNING, "各部分的顺序与模板不一致：" + "、".join(map(str, numbers)), report=report
        )
    if 5 in numbers and _TOKEN_EMPTY.fullmatch(report.prose.problems or ""):
        line = next(s.line for s in report.sections if s.number == 5)
        yield finding(
            "GX401", Severity.WARNING, "第五部分“存在的主要问题及改进情况”为空或只写“无”", report=report, line=line
        )
    if (report.year or 0) >= 2021 and 6 in numbers and not _FEE.search(report.prose.other_matters or ""):
        line = next(s.line for s in report.sections if s.number == 6)
        yield finding(
            "GX401",
            Severity.WARNING,
            "第六部分未说明收取信息处理费的情况（2021年版格式要求）",
            report=report,
            line=line,
        )


# -- across years ---------------------------------------------------------------------------------


@rule(
    "GX501",
    title_zh="上年结转与上一年度的结转下年度不符",
    title_en="Carried over differs from last year's carried forward",
    description="同一机关：本年度“二、上年结转政府信息公开申请数量” = 上一年度“四、结转下年度继续办理”，逐列。",
    series=True,
)
def carry_over(previous: Report, current: Report) -> Iterable[Finding]:
    """上年结转 (Y) = 结转下年度继续办理 (Y−1), per column."""
    for col in APPLICANTS:
        now_key = f"applications.carried_over.{col}"
        before_key = f"applications.carried_forward.{col}"
        try:
            now = current.cell(now_key)
            before = previous.cell(before_key)
        except KeyError:
            continue
        if now.value is None or before.value is None or now.value == before.value:
            continue
        yield finding(
            "GX501",
            Severity.ERROR,
            f"{current.year}年度上年结转（{_COLUMN_ZH[col]}）为{now.value}，{previous.year}年度结转下年度为{before.value}",
            cells=[now_key],
            report=current,
            expected=before.value,
            actual=now.value,
        )


@rule(
    "GX502",
    title_zh="现行有效件数与上年及本年增减不符",
    title_en="Documents in force differ from last year's plus issued minus repealed",
    description="2021年版第二部分第二十条第（一）项：现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数 − 本年废止件数（实践中常不成立，故为警告）。",
    editions={"2021"},
    severity=Severity.WARNING,
    series=True,
)
def in_force(previous: Report, current: Report) -> Iterable[Finding]:
    """现行有效件数 (Y) = 现行有效件数 (Y−1) + 本年制发件数 − 本年废止件数."""
    if base_edition(previous.table_editions.active) != "2021" or base_edition(current.table_editions.active) != "2021":
        return
    for row in ("rules", "normative_docs"):
        try:
            before = previous.value(f"active.{row}.in_force")
            now = current.value(f"active.{row}.in_force")
            issued = current.value(f"active.{row}.issued")
            repealed = current.value(f"active.{row}.repealed")
        except KeyError:
            continue
        if None in (before, now, issued, repealed):
            continue
        expected = before + issued - repealed  # type: ignore[operator]
        if expected != now:
            yield finding(
                "GX502",
                Severity.WARNING,
                f"active.{row}：现行有效件数{now}，按上年{before} + 本年制发{issued} − 本年废止{repealed}应为{expected}",
                cells=[f"active.{row}.in_force"],
                report=current,
                expected=expected,
                actual=now,
            )


@rule(
    "GX601",
    title_zh="与上年度报告文字重复率过高",
    title_en="Prose repeats last year's report",
    description="评议中常见的要求：与上年度重复率大于50%的，扣分。重复率 = 本年报告正文（一、五、六）中与上年报告相同的、"
    "不少于13字的片段所占字数比例（去除空白和标点后）。See gxgk.compare.",
    severity=Severity.WARNING,
    series=True,
)
def repetition(previous: Report, current: Report) -> Iterable[Finding]:
    """The whole prose repeats more than half of last year's (see :func:`gxgk.compare.compare`)."""
    from gxgk.compare import REPETITION_RULE, compare

    return [f for f in compare(previous, current).findings if f.rule == REPETITION_RULE]
