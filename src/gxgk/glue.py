"""Glued cells: the split of every glued run of a table chosen at once, by the table's arithmetic.

Text flattened from a web page can join a row's cells without separators: "8855698" may be
88 | 55 | 698 or 8 | 855 | 698 or … . :mod:`gxgk.placement` keeps, for each such row, the splits that
fit the row's own arithmetic (总计 = the six applicant columns; a section 四 group's 总计 = its four).
Where exactly one does, the row is placed there and then. Where several do, the row becomes a
:class:`GluedRun` and waits until the whole report is placed; :func:`solve` then looks for the
choices of one split per run that make every equation of the report hold (the column totals, the
勾稽关系 一 + 二 = （七）+ 四, the section 四 totals: :func:`gxgk.rules.builtin.equations`).

A cell is placed when it takes the same value in every solution; the others stay unknown
(``None``, ``raw=None``) and an ``ambiguous-split`` diagnostic lists the splits still possible. Where
no choice satisfies every equation (the report's own arithmetic is wrong somewhere) or the search
is too large, the rows are read on their own again: a cell is placed only when every split of its
row agrees on it. The search is bounded: a fixed budget of steps (:data:`MAX_STEPS`) covers the
set-up, the pruning and the backtracking, and running out of it is reported, not waited for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from gxgk.records import Cell, Diagnostic, Report

__all__ = ["MAX_STEPS", "GluedRun", "RunResult", "diagnostic", "resolve", "solve"]

#: Steps (candidate checks) one :func:`solve` may take before it gives up on the joint search.
MAX_STEPS = 100_000

_MAX_DEPTH = 200  # runs linked in one search (the backtracking recurses once per run; a table has < 40 rows)
_SHOWN = 6  # splits shown in a message
_KEPT = 50  # splits kept in a diagnostic's ``candidates``


class GluedRun(NamedTuple):
    """A row whose glued digits split in several ways that fit the row: its cells' keys, every
    such split (one digit string per key), the digits as printed and where they start."""

    keys: tuple[str, ...]
    candidates: tuple[tuple[str, ...], ...]
    raw: str
    line: int | None = None
    column: int | None = None


class RunResult(NamedTuple):
    """What the table's arithmetic decided for one run.

    ``status``: ``unique`` (one split is left), ``partial`` (several, agreeing on some cells),
    ``ambiguous`` (several, agreeing on no cell), ``contradiction`` (no choice of splits satisfies
    every equation) or ``undecided`` (the search ran out of steps); ``constrained`` tells whether
    any equation of the table involved the run. ``values`` holds, per key, the value the cell takes
    in every remaining split, else ``None``; ``choices`` are the remaining splits (after a
    contradiction or an undecided search: every split of the row).
    """

    run: GluedRun
    status: str
    values: tuple[int | None, ...]
    choices: tuple[tuple[str, ...], ...]
    constrained: bool = True
    complete: bool = True  # False: every cell was ambiguous before all splits were checked (choices is a subset)


class _OutOfSteps(Exception):
    pass


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise _OutOfSteps


class _Equation(NamedTuple):
    """``constant + Σ contribution[run][choice] == 0`` over the runs it involves."""

    constant: int
    contribution: dict[int, list[int]]


def _number(text: str) -> int | Decimal:
    """A candidate cell's number: an int, or a Decimal for an amount written with a decimal point."""
    return Decimal(text) if "." in text else int(text)


def _agreed(choices: Sequence[tuple[str, ...]], width: int) -> tuple[int | None, ...]:
    if not choices:
        return (None,) * width
    out: list[int | None] = []
    for p in range(width):
        first = choices[0][p]
        out.append(_number(first) if all(c[p] == first for c in choices) else None)
    return tuple(out)


def _result(
    run: GluedRun, status: str, choices: Sequence[tuple[str, ...]], constrained: bool, complete: bool = True
) -> RunResult:
    values = _agreed(choices, len(run.keys))
    if status not in ("contradiction", "undecided"):
        if len(choices) == 1:
            status = "unique"
        elif any(v is not None for v in values):
            status = "partial"
        else:
            status = "ambiguous"
    return RunResult(run, status, values, tuple(choices), constrained, complete)


def solve(
    runs: Sequence[GluedRun],
    equations: Iterable[tuple[Sequence[str], Sequence[str]]],
    known: Mapping[str, Any],
    *,
    max_steps: int = MAX_STEPS,
) -> list[RunResult]:
    """Choose one split per run so that every equation ``Σ left == Σ right`` holds.

    ``known`` gives the value of every other cell; an equation with a cell that is neither in a run
    nor a known integer is not used (a blank is not 0). Runs that share no equation are solved
    separately; the results come in the order of ``runs``.
    """
    budget = _Budget(max_steps)
    # a run without splits is unknown like any blank cell: its equations are not used
    index = {key: (r, p) for r, run in enumerate(runs) if run.candidates for p, key in enumerate(run.keys)}
    numbers: list[list[tuple[int, ...]] | None] = [None] * len(runs)
    system: list[_Equation] = []
    constrained = [False] * len(runs)
    try:
        in_runs = index.keys()
        for left, right in equations:
            if in_runs.isdisjoint(left) and in_runs.isdisjoint(right):
                continue  # no run in it: nothing to decide (checked in C, most equations of a report)
            terms: dict[int, list[tuple[int, int]]] = {}
            constant = 0
            usable = True
            for sign, keys in ((1, left), (-1, right)):
                for key in keys:
                    if key in index:
                        r, p = index[key]
                        terms.setdefault(r, []).append((p, sign))
                        continue
                    value = known.get(key)
                    if not isinstance(value, int) or isinstance(value, bool):
                        usable = False
                        break
                    constant += sign * value
                if not usable:
                    break
            if not usable or not terms:
                continue
            contribution: dict[int, list[int]] = {}
            for r, ts in terms.items():
                nums = numbers[r]
                if nums is None:
                    budget.spend(len(runs[r].candidates))
                    nums = numbers[r] = [tuple(_number(c) for c in cand) for cand in runs[r].candidates]
                budget.spend(len(nums))
                contribution[r] = [sum(sign * cand[p] for p, sign in ts) for cand in nums]
                constrained[r] = True
            system.append(_Equation(constant, contribution))
    except _OutOfSteps:
        return [_result(run, "undecided", run.candidates, True) for run in runs]

    results: list[RunResult | None] = [None] * len(runs)
    for r, run in enumerate(runs):
        if not run.candidates:
            results[r] = _result(run, "contradiction", (), False)
        elif not constrained[r]:
            results[r] = _result(run, "solved", run.candidates, False)
    for component, equations_of in _components(len(runs), system, constrained):
        try:
            if len(component) > _MAX_DEPTH:
                raise _OutOfSteps
            solutions = _search(component, equations_of, system, numbers, budget)
        except _OutOfSteps:
            for r in component:
                results[r] = _result(runs[r], "undecided", runs[r].candidates, True)
            continue
        for r in component:
            if solutions is None:
                results[r] = _result(runs[r], "contradiction", runs[r].candidates, True)
            else:
                found, complete = solutions
                choices = [runs[r].candidates[i] for i in sorted(found[r])]
                results[r] = _result(runs[r], "solved", choices, True, complete)
    return [res for res in results if res is not None]


def _components(
    n: int, system: Sequence[_Equation], constrained: Sequence[bool]
) -> list[tuple[list[int], dict[int, list[int]]]]:
    """The runs linked by shared equations, each group with the equations of each of its runs."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for eq in system:
        rs = list(eq.contribution)
        for r in rs[1:]:
            parent[find(r)] = find(rs[0])
    groups: dict[int, list[int]] = {}
    for r in range(n):
        if constrained[r]:
            groups.setdefault(find(r), []).append(r)
    out = []
    for members in groups.values():
        equations_of: dict[int, list[int]] = {r: [] for r in members}
        for e, eq in enumerate(system):
            for r in eq.contribution:
                if r in equations_of:
                    equations_of[r].append(e)
        out.append((members, equations_of))
    return out


def _search(
    component: list[int],
    equations_of: dict[int, list[int]],
    system: Sequence[_Equation],
    numbers: Sequence[Sequence[tuple[int, ...]] | None],
    budget: _Budget,
) -> tuple[dict[int, set[int]], bool] | None:
    """The choices of each run found in solutions and whether they are all of them, or None when
    there is no solution.

    First the choices that no assignment of the other runs can balance are pruned (bounds on each
    equation's remaining sum); then, for each choice left, a backtracking search with the same
    bounds looks for one solution that makes it. Solutions are never enumerated: a run whose cells
    have all been seen with two values is not looked at further (nothing of it will be placed),
    and its choices found may then be a subset of those possible.
    """
    eqs = sorted({e for r in component for e in equations_of[r]})
    cells: dict[int, Sequence[tuple[int, ...]]] = {r: numbers[r] or () for r in component}
    domain: dict[int, list[int]] = {r: list(range(len(cells[r]))) for r in component}

    def bounds(e: int) -> dict[int, tuple[int, int]]:
        out = {}
        for r, contrib in system[e].contribution.items():
            budget.spend(len(domain[r]))
            out[r] = (min(contrib[i] for i in domain[r]), max(contrib[i] for i in domain[r]))
        return out

    # prune to a fixpoint: a choice stays only if the other runs can make up the rest of its equation
    changed = True
    while changed:
        changed = False
        for e in eqs:
            b = bounds(e)
            low = system[e].constant + sum(lo for lo, _ in b.values())
            high = system[e].constant + sum(hi for _, hi in b.values())
            for r, contrib in system[e].contribution.items():
                lo_r, hi_r = b[r]
                budget.spend(len(domain[r]))
                kept = [i for i in domain[r] if low - lo_r + contrib[i] <= 0 <= high - hi_r + contrib[i]]
                if not kept:
                    return None
                if len(kept) != len(domain[r]):
                    domain[r] = kept
                    changed = True

    extremes: dict[tuple[int, int], tuple[int, int]] = {}
    for e in eqs:
        for r, lo_hi in bounds(e).items():
            extremes[(e, r)] = lo_hi

    def witness(first: int, choice: int) -> dict[int, int] | None:
        """One solution with run ``first`` at ``choice``, by backtracking: a partial assignment
        goes on only while every equation's remaining runs can still balance it."""
        order = [first, *sorted((r for r in component if r != first), key=lambda r: len(domain[r]))]
        acc = {e: system[e].constant for e in eqs}
        low = {e: sum(extremes[(e, r)][0] for r in system[e].contribution) for e in eqs}
        high = {e: sum(extremes[(e, r)][1] for r in system[e].contribution) for e in eqs}
        assignment: dict[int, int] = {}

        def visit(depth: int) -> bool:
            if depth == len(order):
                return True
            r = order[depth]
            mine = equations_of[r]
            for i in [choice] if depth == 0 else domain[r]:
                budget.spend(1 + len(mine))
                for e in mine:
                    lo, hi = extremes[(e, r)]
                    acc[e] += system[e].contribution[r][i]
                    low[e] -= lo
                    high[e] -= hi
                if all(acc[e] + low[e] <= 0 <= acc[e] + high[e] for e in mine):
                    assignment[r] = i
                    if visit(depth + 1):  # noqa: F821  (deleted once the search ends)
                        return True
                    del assignment[r]
                for e in mine:
                    lo, hi = extremes[(e, r)]
                    acc[e] -= system[e].contribution[r][i]
                    low[e] += lo
                    high[e] += hi
            return False

        try:
            return assignment if visit(0) else None
        finally:
            del visit  # it refers to itself through its closure: a cycle only the collector would free

    # a choice is possible when some solution makes it; one solution vouches for every choice in it
    found: dict[int, set[int]] = {r: set() for r in component}
    values = {r: [set() for _ in cells[r][0]] for r in component}
    complete = True
    for r in sorted(component, key=lambda r: len(domain[r])):
        for i in domain[r]:
            if i in found[r]:
                continue
            if all(len(v) > 1 for v in values[r]):
                complete = False  # every cell of the run is ambiguous already: no need to know more
                break
            solution = witness(r, i)
            if solution is None:
                continue
            for q, j in solution.items():
                found[q].add(j)
                for p, v in enumerate(cells[q][j]):
                    values[q][p].add(v)
        if not found[r]:
            return None
    return found, complete


# --- writing the cells and the diagnostics ----------------------------------------------------


def resolve(data: dict[str, Any], runs: Sequence[GluedRun], report: Report) -> list[Diagnostic]:
    """Split ``runs`` by the arithmetic of ``report`` (read with the runs' cells unknown): write the
    cells placed into ``data``, the nested mapping the converter structures (``data["applications"]
    ["granted"]["natural_person"]`` is a :class:`Cell`), and return one diagnostic per run."""
    from gxgk.rules.builtin import report_equations

    system = [(eq.left, eq.right) for eq in report_equations(report)]
    known = _values(report)
    diagnostics = []
    for res in solve(runs, system, known):
        run = res.run
        for p, (key, value) in enumerate(zip(run.keys, res.values, strict=True)):
            if value is not None:
                cell = Cell(value, res.choices[0][p], run.line, run.column)
                _set(data, key, cell)
        diagnostics.append(diagnostic(res))
    return diagnostics


def _values(report: Report) -> dict[str, Any]:
    """The value of every cell of ``report`` by key (the rules' table of its cells): a key the report
    has no cell at is not in it."""
    from gxgk.rules import _cells_by_key

    return {key: cell.value for key, cell in _cells_by_key(report).items()}


def _set(data: dict[str, Any], key: str, cell: Any) -> None:
    """Put ``cell`` (a cell, or a placed row) at the dotted ``key`` of the nested mapping ``data``."""
    # copy the mappings on the path: the placements they come from may share them
    *path, last = key.split(".")
    node = data
    for part in path:
        child = dict(node[part])
        node[part] = child
        node = child
    node[last] = cell


def diagnostic(res: RunResult) -> Diagnostic:
    """The diagnostic for one run: ``split-glued`` when its split is known, else ``ambiguous-split``
    naming the cells left unknown and listing the splits still possible."""
    run = res.run
    where = f"第{run.line}行粘连的数字“{run.raw}”" if run.line else f"粘连的数字“{run.raw}”"
    if res.status == "unique":
        how = "按整张表的数量关系（各列合计与勾稽关系）" if res.constrained else "按本行的数量关系"
        return Diagnostic(
            "split-glued",
            f"{where}{how}唯一地拆分为 {' | '.join(res.choices[0])}",
            run.keys,
            run.line,
            run.column,
        )
    shown = "；".join(" | ".join(c) for c in res.choices[:_SHOWN])
    if len(res.choices) > _SHOWN or not res.complete:
        shown += f"等{'至少' if not res.complete else ''}{len(res.choices)}种"
    if res.status == "contradiction":
        what = (
            f"的各种拆分方式（{shown}）与表中其他单元格合起来都不满足整张表的数量关系（报告的数字可能有误），只按本行判断"
            if res.choices
            else "无法拆分"
        )
    elif res.status == "undecided":
        what = f"有多种拆分方式（{shown}），与表中其他行的组合过多，未能按整张表的数量关系判定，只按本行判断"
    elif res.constrained:
        what = f"按整张表的数量关系仍有多种拆分方式（{shown}）"
    else:
        what = f"有多种拆分方式（{shown}），表中没有可用于判定的数量关系"
    fixed = [f"第{p + 1}列为{v}" for p, v in enumerate(res.values) if v is not None]
    unknown = tuple(k for k, v in zip(run.keys, res.values, strict=True) if v is None)
    if fixed and unknown:
        rest = f"；各种拆分中{'、'.join(fixed)}相同，已填入，其余单元格未知"
    else:
        rest = "，这一行的单元格未知"
    return Diagnostic(
        "ambiguous-split", where + what + rest, unknown, run.line, run.column, candidates=res.choices[:_KEPT]
    )
