"""Hypothesis strategies that generate consistent annual reports, for gxgk and for plugin authors.

    from hypothesis import given
    from gxgk import strategies, renderers

    @given(strategies.reports("2021"), st.sampled_from(renderers.LAYOUTS))
    def test_my_edition(report, layout): ...

:func:`reports` builds a :class:`~gxgk.records.Report` for any registered edition from the
edition's record classes (``attrs.fields``) and its cell specification, so an edition that adds
rows or columns needs no change here. Its numbers satisfy every arithmetic rule of
:mod:`gxgk.rules.builtin`: the parts are drawn and the totals derived (row 总计 = the six applicant
columns; （七）总计 = the outcome rows; 四 结转 drawn, then 一 and 二 chosen ≥ 0 so that
一 + 二 = （七）+ 四; each section 四 总计 = its four results). Cells carry ``raw=str(value)`` and no
position (:mod:`gxgk.renderers` writes them out; parsing assigns positions).

Needs the ``strategies`` extra (``pip install "gxgk[strategies]"``); importing :mod:`gxgk` does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

try:
    from hypothesis import strategies as st
except ImportError as e:  # pragma: no cover - exercised only without the extra
    from gxgk.errors import MissingExtraError

    raise MissingExtraError("gxgk.strategies needs the strategies extra: pip install 'gxgk[strategies]'") from e

from gxgk import editions as _editions
from gxgk.editions import Edition
from gxgk.records import Appeal, ApplicantRow, Cell, Prose, Report

__all__ = [
    "AGENCIES",
    "BLANK_MODES",
    "amounts",
    "appeal_cells",
    "counts",
    "deltas",
    "editions",
    "reports",
    "row_keys",
    "table_keys",
]

#: How a generated report leaves cells blank: not at all, zeros left blank (in some tables), or
#: the 总计 column of section 三 left blank in every row.
BLANK_MODES = ("none", "zeros", "total_column")

_PLACES = (
    "南京市栖霞区",
    "滁州市南谯区",
    "张家港市",
    "平潭综合实验区",
    "石家庄市新华区",
    "洪泽区",
    "杭州市西湖区",
    "成都市武侯区",
    "岭东区",
    "佛山市顺德区",
)
_OFFICES = (
    "工业和信息化局",
    "自然资源局",
    "人民政府办公室",
    "住房和城乡建设局",
    "市场监督管理局",
    "生态环境局",
    "教育局",
    "卫生健康委员会",
    "人民政府",
    "财政局",
)
#: Agency names the strategy draws from (place × office).
AGENCIES = tuple(p + o for p in _PLACES for o in _OFFICES)

_APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_APPEAL_PARTS = ("upheld", "corrected", "other", "pending")
#: Rows of section 三 that the balance (GX101) and the outcome total (GX102) name.
_BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")


# -- numbers -----------------------------------------------------------------------------------


def counts(*, busy: bool = False) -> st.SearchStrategy[int]:
    """Plausible counts: mostly 0 and small numbers, sometimes hundreds or thousands (``busy``)."""
    options = [st.just(0), st.just(0), st.just(0), st.integers(1, 9), st.integers(1, 9), st.integers(10, 99)]
    if busy:
        options += [st.integers(100, 999), st.integers(1000, 9999)]
    return st.one_of(*options)


def deltas() -> st.SearchStrategy[int]:
    """Signed 本年增/减 values (2019 edition, kind ``delta``)."""
    return st.one_of(st.just(0), st.integers(-30, 30), st.integers(-500, 500))


def amounts() -> st.SearchStrategy[Decimal]:
    """Amounts in 万元 with 0 to 4 decimals (kind ``amount_wan_yuan``)."""
    return st.one_of(
        st.just(Decimal(0)),
        st.builds(lambda n, k: Decimal(n).scaleb(-k), st.integers(0, 10**7), st.integers(0, 4)),
    )


def _value_for(kind: str) -> st.SearchStrategy[Any]:
    if kind == "delta":
        return deltas()
    if kind.startswith("amount"):
        return amounts()
    return counts(busy=True)


def _cell(value: int | Decimal) -> Cell:
    return Cell(value=value, raw=str(value))


_BLANK = Cell(value=None, raw="")


# -- the shape of an edition ---------------------------------------------------------------------


def table_keys(cls: type[Any], prefix: str) -> list[str]:
    """The dotted keys of every cell of the record class ``cls`` (a table), in template order."""
    return [key for key, _ in cls().cells(prefix)]


def row_keys(cls: type[Any], prefix: str) -> Iterator[tuple[str, type[Any]]]:
    """``(key, class)`` of every record below ``cls`` whose fields are all cells (a table row)."""
    for f in attrs.fields(attrs.resolve_types(cls)):
        key = f"{prefix}.{f.name}"
        sub = f.type
        if not (isinstance(sub, type) and attrs.has(sub)):
            continue
        fields = attrs.fields(attrs.resolve_types(sub))
        if all(g.type is Cell for g in fields):
            yield key, sub
        else:
            yield from row_keys(sub, key)


def editions() -> st.SearchStrategy[Edition]:
    """Every registered edition (built-ins and plugins)."""
    return st.sampled_from(_editions.all_editions())


def _resolve(edition: str | Edition | None) -> st.SearchStrategy[Edition]:
    if edition is None:
        return editions()
    if isinstance(edition, Edition):
        return st.just(edition)
    return st.just(_editions.get(edition))


def _years(edition: Edition) -> st.SearchStrategy[int]:
    first, last = edition.years
    first = first if first is not None else 2019
    last = last if last is not None else max(first, 2024)
    if last < first:  # pragma: no cover - a misconfigured plugin
        last = first
    return st.integers(first, last)


# -- tables -----------------------------------------------------------------------------------------


@st.composite
def _active(draw: st.DrawFn, edition: Edition) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in table_keys(edition.active, "active"):
        values[key] = draw(_value_for(edition.kind(key)), label=key)
    return values


@st.composite
def _applications(draw: st.DrawFn, edition: Edition) -> dict[str, Any]:
    cls = edition.applications
    instance = cls()
    outcomes = [f"applications.{key}" for key, _ in instance.outcome_rows()]
    rows = [key for key, _ in row_keys(cls, "applications")]
    extra = [r for r in rows if r not in outcomes and r.rsplit(".", 1)[1] not in _BALANCE_ROWS]
    values: dict[str, Any] = {}
    # a column is quiet (all zero), sparse or busy: applications are rare outside 自然人
    for col in ApplicantRow.APPLICANTS:
        activity = draw(st.sampled_from(("quiet", "sparse", "busy")), label=f"activity.{col}")
        if activity == "quiet":
            parts = st.just(0)
        else:
            parts = counts(busy=activity == "busy")
        total = 0
        for row in outcomes:
            v = draw(parts, label=f"{row}.{col}")
            values[f"{row}.{col}"] = v
            total += v
        forward = draw(parts, label=f"applications.carried_forward.{col}")
        carried_over = draw(st.integers(0, total + forward), label=f"applications.carried_over.{col}")
        values[f"applications.total.{col}"] = total
        values[f"applications.carried_forward.{col}"] = forward
        values[f"applications.carried_over.{col}"] = carried_over
        values[f"applications.new_received.{col}"] = total + forward - carried_over
        for row in extra:  # rows a plugin edition adds: only their row total is implied
            values[f"{row}.{col}"] = draw(parts, label=f"{row}.{col}")
    for row in rows:
        values[f"{row}.total"] = sum(values[f"{row}.{c}"] for c in ApplicantRow.APPLICANTS)
    return values


@st.composite
def _appeals(draw: st.DrawFn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 60))
    for group in _APPEAL_GROUPS:
        total = 0
        for part in _APPEAL_PARTS:
            v = draw(small, label=f"{group}.{part}")
            values[f"{group}.{part}"] = v
            total += v
        values[f"{group}.total"] = total
    return values


@st.composite
def _blanks(draw: st.DrawFn, values: dict[str, Any], mode: str) -> set[str]:
    """The keys left blank under ``mode`` (never a cell whose blank would break a sum)."""
    if mode == "total_column":
        return {k for k in values if k.startswith("applications.") and k.endswith(".total")}
    if mode != "zeros":
        return set()
    blank: set[str] = set()
    for table in ("active", "applications", "appeals"):
        how = draw(st.sampled_from(("keep", "all", "some")), label=f"blank.{table}")
        if how == "keep":
            continue
        for key, v in values.items():
            in_table = key.startswith(f"{table}.") if table != "appeals" else key.split(".")[0] in _APPEAL_GROUPS
            if in_table and v == 0 and (how == "all" or draw(st.booleans(), label=f"blank.{key}")):
                blank.add(key)
    return blank


# -- prose ------------------------------------------------------------------------------------------

_OPENINGS = (
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "持续深化政务公开工作。",
    "{year}年，{agency}按照上级关于政务公开工作的部署，以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "{year}年度，{agency}严格执行政府信息公开制度，做好主动公开和依申请公开工作，主动回应社会关切。",
)
_PROBLEMS = (
    "一是信息公开的及时性有待提高；二是政策解读形式还不够丰富。下一步，我们将加强业务培训，完善工作机制。",
    "政府信息公开工作人员业务水平有待进一步提高，主动公开内容的全面性还需加强。我们将加强学习，规范发布审核流程。",
    "存在的问题主要是公开栏目更新不够及时。改进措施：落实专人负责，定期检查栏目内容。",
)
_OTHER_2019 = ("无。", "本年度无其他需要报告的事项。", "没有需要报告的其他事项。")


@st.composite
def _prose(draw: st.DrawFn, values: dict[str, Any], blank: set[str], agency: str, year: int) -> Prose:
    opening = draw(st.sampled_from(_OPENINGS)).format(year=year, agency=agency)

    def known(key: str) -> int | None:
        return None if key in blank or key not in values else values[key]

    received = known("applications.new_received.total")
    handled = known("applications.total.total")
    forward = known("applications.carried_forward.total")
    if received is None:
        applications = "依法依规办理政府信息公开申请，按时答复申请人。"
    elif received == 0:
        applications = "全年未收到政府信息公开申请。"
    else:
        applications = f"全年共收到政府信息公开申请{received}件"
        if handled is not None:
            applications += f"，办结{handled}件"
        if forward is not None:
            applications += f"，结转下年度继续办理{forward}件"
        applications += "。"
    overview = opening + "\n\n" + applications
    problems = draw(st.sampled_from(_PROBLEMS))
    if year >= 2021:
        fee = draw(st.one_of(st.just(0), st.integers(1, 500)))
        other = (
            "本年度未收取信息处理费。"
            if fee == 0
            else f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fee}元。"
        )
    else:
        other = draw(st.sampled_from(_OTHER_2019))
    return Prose(overview=overview, problems=problems, other_matters=other)


# -- reports ----------------------------------------------------------------------------------------


def _nest(flat: dict[str, Cell]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, cell in flat.items():
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = {"value": cell.value, "raw": cell.raw, "line": None, "column": None}
    return out


@st.composite
def _report(draw: st.DrawFn, edition: Edition, blanks: bool) -> Report:
    from gxgk.convert import converter

    year = draw(_years(edition), label="year")
    agency = draw(st.sampled_from(AGENCIES), label="agency")
    title = f"{agency}{year}年{draw(st.sampled_from(('', '度')))}政府信息公开工作年度报告"
    values: dict[str, Any] = {}
    values.update(draw(_active(edition)))
    values.update(draw(_applications(edition)))
    values.update(draw(_appeals()))
    mode = draw(st.sampled_from(BLANK_MODES), label="blank mode") if blanks else "none"
    blank = draw(_blanks(values, mode))
    cells = {k: (_BLANK if k in blank else _cell(v)) for k, v in values.items()}
    data = {
        "edition": edition.name,
        "year": year,
        "agency": agency,
        "title": title,
        "table_editions": {"active": edition.name, "applications": edition.name, "appeals": edition.name},
        **_nest(cells),
    }
    report = converter.structure(data, Report)
    prose = draw(_prose(values, blank, agency, year))
    return attrs.evolve(report, prose=prose)


def reports(edition: str | Edition | None = None, *, blanks: bool = True) -> st.SearchStrategy[Report]:
    """Consistent reports of ``edition`` (a name, an :class:`Edition`, or None for every edition).

    Every arithmetic rule holds (no error finding from :func:`gxgk.check`); with ``blanks`` some
    reports leave zeros blank, or the whole 总计 column of section 三 (blank cells are
    ``Cell(value=None, raw="")``). Title, agency and year agree with the edition's ``years``; the
    prose restates the tables (共收到政府信息公开申请N件, and the 信息处理费 from 2021 on).
    """
    return _resolve(edition).flatmap(lambda ed: _report(ed, blanks))


def appeal_cells() -> st.SearchStrategy[Appeal]:
    """One consistent group of section 四 (总计 = the four results)."""
    return _appeals().map(lambda v: Appeal(**{n: _cell(v[f"review.{n}"]) for n in (*_APPEAL_PARTS, "total")}))
