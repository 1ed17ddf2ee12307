"""Write a :class:`~gxgk.records.Report` out as the documents users meet.

    from gxgk import renderers
    text = renderers.render(report, "pdf", rng=random.Random(7))
    gxgk.parse(text)                   # reads it back

One layout per kind of document gxgk reads (see the seeds and the template notes):

- ``tsv``: tab-separated text copied out of a Word or web table (blank cells are empty cells);
- ``vertical``: a page scraped one cell per line, labels broken over lines, blank cells dropped;
- ``markdown``: tables split in pieces, empty header rows, columns shifted by empty cells;
- ``pdf``: PDF text, cells separated by single spaces, labels wrapped (the values after the label's
  last line, or after its first as cells aligned at the top print), "- 3 -" page numbers; blank
  cells vanish;
- ``html``: an agency's web page — the report's tables with rowspan/colspan inside site chrome
  (read it with ``gxgk.parse(text.encode())``, which goes through the HTML reader);
- ``glued``: text flattened from a web page, a row's label and digits glued together.

Label variants (其它/其他, 另行制作/及时制作, 1、/1., full-width forms, "第二十条 第（一）项"),
number forms (full-width digits, thousands separators, 万/元 units) and page furniture are chosen
with ``rng``, so a render is reproducible; ``variants=False`` writes the official labels plainly.
The title, agency, year and the six section headings are always written so that gxgk reads them.
"""

from __future__ import annotations

import html as _html
import random
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import attrs

from gxgk import editions as _editions
from gxgk.layout import SECTION_TITLES
from gxgk.records import Cell, Report

__all__ = ["LAYOUTS", "LOSSLESS_LAYOUTS", "render"]

#: Every layout :func:`render` writes.
LAYOUTS: tuple[str, ...] = ("tsv", "vertical", "markdown", "pdf", "html", "glued")
#: Layouts that keep every cell in place, blank cells included (``pdf`` only without blanks).
LOSSLESS_LAYOUTS: tuple[str, ...] = ("tsv", "markdown", "html")

_HEADINGS = SECTION_TITLES
_SANSHI_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_APPLICANT_HEAD = (
    ("申请人情况",),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)
_APPEAL_PARTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_FULL_DIGITS = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@attrs.frozen
class _Row:
    """One row of a table: label pieces (one per label column, "" where a rowspan covers it),
    then the value cells ("" for a blank). ``kind``: caption, header or data."""

    labels: tuple[str, ...]
    cells: tuple[str, ...] = ()
    kind: str = "data"


@attrs.frozen
class _Style:
    """The document-wide choices of one render."""

    rng: random.Random
    variants: bool
    halfwidth_brackets: bool = False
    numbering: str = "."
    spaced_item: bool = False
    other_ta: float = 0.0
    full_digits: bool = False
    thousands: bool = False
    unit: str = ""
    truncate_change: bool = False
    made_variant: bool = False
    creation_variant: bool = False
    fee_note: bool = False

    def label(self, text: str) -> str:
        """A label as this document writes it."""
        if not self.variants:
            return text
        rng = self.rng
        if self.other_ta and rng.random() < self.other_ta:
            text = text.replace("其他", "其它")
        if self.creation_variant:
            text = text.replace("需要另行制作", "需要及时制作")
        if self.made_variant:
            text = text.replace("本年新制作数量", "本年度制作数量")
        if self.truncate_change:
            text = text.replace("本年增/减", "本年增/")
        if self.fee_note:
            text = text.replace("（单位：万元）", "（单位：万元，保留4位小数）")
        if self.spaced_item:
            text = text.replace("第二十条第", "第二十条 第")
        if self.numbering != "." and len(text) > 2 and text[0].isdigit() and text[1] == ".":
            text = text[0] + self.numbering + text[2:]
        if self.halfwidth_brackets:
            text = text.replace("（", "(").replace("）", ")")
        return text

    def number(self, cell: Cell, *, glued: bool = False) -> str:
        """A cell's text: "" for a blank, else its value in one of the forms reports print."""
        if cell.value is None:
            return "" if cell.raw is None else cell.raw
        value = cell.value
        text = cell.raw if cell.raw else str(value)
        if not self.variants:
            return text
        if isinstance(value, Decimal):
            if not glued and self.unit == "万":
                text = f"{text}万"
            elif not glued and self.unit == " 万":
                text = f"{text} 万"
            elif not glued and self.unit == "元" and (value * 10000) == (value * 10000).to_integral():
                text = f"{int(value * 10000)}元"
        elif isinstance(value, int) and not glued and self.thousands and abs(value) >= 1000:
            text = f"{value:,}"
        if self.full_digits:
            text = text.translate(_FULL_DIGITS)
        return text


def _style(rng: random.Random, variants: bool) -> _Style:
    if not variants:
        return _Style(rng=rng, variants=False)
    return _Style(
        rng=rng,
        variants=True,
        halfwidth_brackets=rng.random() < 0.5,
        numbering=rng.choice((".", ".", "、", ". ", "．")),
        spaced_item=rng.random() < 0.3,
        other_ta=rng.choice((0.0, 0.0, 0.5, 1.0)),
        full_digits=rng.random() < 0.1,
        thousands=rng.random() < 0.3,
        unit=rng.choice(("", "", "万", " 万", "元")),
        truncate_change=rng.random() < 0.2,
        made_variant=rng.random() < 0.3,
        creation_variant=rng.random() < 0.3,
        fee_note=rng.random() < 0.3,
    )


# -- the tables as rows ---------------------------------------------------------------------------


def _edition_of(report: Report, table: str) -> _editions.Edition:
    name = getattr(report.table_editions, table) or report.edition
    return _editions.get(name)


def _spec_rows(report: Report, table: str) -> tuple[Mapping[str, _editions.CellSpec], dict[str, list[str]]]:
    """The spec of ``table``'s edition, and the keys of the table's cells by the row they stand in."""
    spec = _edition_of(report, table).spec
    rows: dict[str, list[str]] = {}
    prefix = f"{table}."
    for key in spec:
        if key.startswith(prefix):
            rows.setdefault(spec[key].row, []).append(key)
    return spec, rows


def _active_rows(report: Report, style: _Style, *, glued: bool = False) -> list[_Row]:
    if report.active is None:
        return []
    spec, rows = _spec_rows(report, "active")
    out: list[_Row] = []
    caption = None
    for row, keys in rows.items():
        head, _, label = row.rpartition("/")
        if head != caption:
            caption = head
            if head:
                out.append(_Row((style.label(head),), (), "caption"))
            out.append(_Row(("信息内容",), tuple(style.label(spec[k].column) for k in keys), "header"))
        cells = tuple(style.number(report.cell(k), glued=glued) for k in keys)
        out.append(_Row((style.label(label),), cells))
    return out


def _applications_rows(report: Report, style: _Style, *, glued: bool = False) -> list[_Row]:
    if report.applications is None:
        return []
    _, rows = _spec_rows(report, "applications")
    out = [
        _Row((_SANSHI_NOTE if not style.halfwidth_brackets else style.label(_SANSHI_NOTE), "申请人情况"), (), "header"),
        _Row(_APPLICANT_HEAD[1], (), "header"),
        _Row(tuple(style.label(h) for h in _APPLICANT_HEAD[2]), (), "header"),
    ]
    previous: list[str] = []
    for row, keys in rows.items():
        parts = row.split("/")
        labels = []
        for depth, part in enumerate(parts):
            shown = depth == len(parts) - 1 or depth >= len(previous) or previous[depth] != part
            labels.append(style.label(part) if shown else "")
        previous = parts
        cells = tuple(style.number(report.cell(k), glued=glued) for k in keys)
        out.append(_Row(tuple(labels), cells))
    return out


def _appeal_keys(report: Report) -> list[str]:
    return [
        f"{group}.{part}"
        for group in ("review", "litigation_direct", "litigation_after_review")
        if getattr(report, group) is not None
        for part in ("upheld", "corrected", "other", "pending", "total")
    ]


def _appeals_cells(report: Report, style: _Style, *, glued: bool = False) -> tuple[str, ...]:
    return tuple(style.number(report.cell(k), glued=glued) for k in _appeal_keys(report))


def _appeal_parts(style: _Style) -> list[str]:
    return [style.label(p) for p in _APPEAL_PARTS]


# -- text pieces shared by the layouts ---------------------------------------------------------------


def _preamble(report: Report) -> str:
    year = report.year
    return "根据《中华人民共和国政府信息公开条例》和上级有关要求，编制本报告。" + (
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。" if year else ""
    )


def _title_lines(report: Report, style: _Style) -> list[str]:
    title = report.title or f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"
    agency = report.agency or ""
    if style.variants and agency and title.startswith(agency) and style.rng.random() < 0.3:
        # the agency on a line of its own above the rest of the title (seed 003)
        return [agency, title[len(agency) :]]
    return [title]


def _prose(report: Report, number: int) -> str:
    prose = report.prose
    text = {1: prose.overview, 5: prose.problems, 6: prose.other_matters}.get(number)
    return text or ""


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()] or [""]


# -- layouts -------------------------------------------------------------------------------------------


def _render_lines(
    report: Report,
    style: _Style,
    table: Callable[[int], list[str]],
    prose: Callable[[str], list[str]],
    *,
    gap: str = "",
) -> str:
    lines: list[str] = ["", *_title_lines(report, style), "", *prose(_preamble(report)), ""]
    for number in range(1, 7):
        lines.append(_HEADINGS[number] if not style.variants else _heading(number, style))
        lines.append(gap)
        if number in (2, 3, 4):
            lines.extend(table(number))
        else:
            for p in _paragraphs(_prose(report, number)):
                lines.extend(prose(p))
                lines.append(gap)
        lines.append("")
    return "\n".join(lines) + "\n"


def _heading(number: int, style: _Style) -> str:
    heading = _HEADINGS[number]
    if number == 6 and style.rng.random() < 0.3:
        heading = heading.replace("其他", "其它")
    return heading


def _tsv(report: Report, style: _Style) -> str:
    def table(number: int) -> list[str]:
        if number == 4:
            parts = _appeal_parts(style)
            return [
                "行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
                "\t".join([*parts, "未经复议直接起诉", "", "", "", "", "复议后起诉"]),
                "\t" * 5 + "\t".join(parts + parts),
                "\t".join(_appeals_cells(report, style)),
            ]
        rows = _active_rows(report, style) if number == 2 else _applications_rows(report, style)
        width = max(len(r.labels) for r in rows) if rows else 1
        out = []
        for r in rows:
            labels = list(r.labels)
            if r.kind == "data" and style.variants and style.rng.random() < 0.5:
                labels = [""] * (width - len(labels)) + labels  # label in the last label column
            line = "\t".join([*labels, *r.cells])
            if r.kind != "data" and style.variants and style.rng.random() < 0.5:
                line += "\t" * style.rng.randint(1, 3)
            out.append(line)
        return out

    return _render_lines(report, style, table, lambda p: [p])


def _markdown(report: Report, style: _Style) -> str:
    rng = style.rng

    def table_lines(rows: list[list[str]]) -> list[str]:
        width = max(len(r) for r in rows)
        out = []
        for i, r in enumerate(rows):
            r = r + [""] * (width - len(r))
            out.append("| " + " | ".join(r) + " |")
            if i == 0:
                out.append("|" + "|".join("-" * rng.randint(3, 12) for _ in r) + "|")
        return out

    def pieces(rows: list[list[str]]) -> list[str]:
        out: list[str] = []
        start = 0
        while start < len(rows):
            size = len(rows) - start
            if style.variants and size > 4 and rng.random() < 0.3:
                size = rng.randint(2, size - 1)
            chunk = rows[start : start + size]
            if start > 0 and rng.random() < 0.5:
                chunk = [[""] * max(len(r) for r in chunk), *chunk]  # an empty header row
            if out:
                out.append("")
            out.extend(table_lines(chunk))
            start += size
        return out

    def table(number: int) -> list[str]:
        if number == 4:
            parts = _appeal_parts(style)
            if style.variants and rng.random() < 0.5:
                parts = [p[:2] + " " + p[2:] if len(p) == 4 else p for p in parts]  # "结果 维持"
            rows = [
                ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                [*parts, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                [*[""] * 5, *parts, *parts],
                list(_appeals_cells(report, style)),
            ]
            return table_lines(rows)
        rows = _active_rows(report, style) if number == 2 else _applications_rows(report, style)
        grid = []
        for r in rows:
            labels = list(r.labels)
            if style.variants and r.kind == "data":
                labels = [""] * rng.randint(0, 2) + [x for x in labels if x] if rng.random() < 0.3 else labels
            grid.append([*labels, *r.cells])
        return pieces(grid)

    return _render_lines(report, style, table, lambda p: [p])


def _wrap(text: str, rng: random.Random, width: int) -> list[str]:
    """Break ``text`` into lines of about ``width`` characters, never inside a number."""
    lines: list[str] = []
    while len(text) > width:
        cut = width
        while cut < len(text) and (text[cut - 1].isdigit() or text[cut].isdigit() or text[cut] in ".,"):
            cut += 1
        lines.append(text[:cut])
        text = text[cut:]
    lines.append(text)
    return [ln for ln in lines if ln]


def _break_label(label: str, rng: random.Random) -> list[str]:
    """A label broken over lines as PDF text breaks it (never inside a number)."""
    if len(label) < 6 or rng.random() < 0.6:
        return [label]
    cut = rng.randint(3, len(label) - 2)
    while cut < len(label) and (label[cut - 1].isdigit() or label[cut] in ".、．"):
        cut += 1
    if cut >= len(label):
        return [label]
    return [label[:cut], label[cut:]]


def _pdf(report: Report, style: _Style) -> str:
    rng = style.rng
    page = [rng.randint(1, 3)]

    def furniture(out: list[str]) -> None:
        if style.variants and rng.random() < 0.08:
            out.extend(["", f"- {page[0]} -", ""])
            page[0] += 1

    def row_lines(labels: Sequence[str], cells: Sequence[str]) -> list[str]:
        values = [c for c in cells if c]
        out: list[str] = []
        shown = [x for x in labels if x]
        for i, label in enumerate(shown):
            pieces = _break_label(label, rng) if style.variants else [label]
            last = i == len(shown) - 1
            # the values stand on the label's last line, or on its first (cells aligned at the top)
            at = 0 if last and len(pieces) > 1 and rng.random() < 0.3 else len(pieces) - 1
            for j, piece in enumerate(pieces):
                end = last and j == at
                if end and values and not (style.variants and rng.random() < 0.15):
                    out.append(f"{piece} {' '.join(values)}")
                    values = []
                else:
                    out.append(piece)
                if style.variants and rng.random() < 0.3:
                    out.append("")
        if values:
            out.append(" ".join(values))
        return out

    def table(number: int) -> list[str]:
        out: list[str] = []
        if number == 4:
            parts = " ".join(_appeal_parts(style))
            out += ["行政复议 行政诉讼", "", parts, "未经复议直接起诉 复议后起诉", "", f"{parts} {parts}", ""]
            values = [c for c in _appeals_cells(report, style) if c]
            if style.variants and rng.random() < 0.3 and len(values) > 5:
                out += [" ".join(values[:5]), " ".join(values[5:])]
            else:
                out.append(" ".join(values))
            return out
        rows = _active_rows(report, style) if number == 2 else _applications_rows(report, style)
        for r in rows:
            if r.kind == "caption":
                out += [r.labels[0], ""]
            elif r.kind == "header":
                out += [" ".join([*[x for x in r.labels if x], *r.cells]), ""]
            else:
                out += row_lines(r.labels, r.cells)
                out.append("")
                furniture(out)
        return out

    def prose(p: str) -> list[str]:
        return _wrap(p, rng, rng.randint(40, 70)) if style.variants else [p]

    return _render_lines(report, style, table, prose)


def _vertical(report: Report, style: _Style) -> str:
    rng = style.rng
    indent = "    "

    def cell_lines(text: str) -> list[str]:
        if not text:
            return []
        pieces = _break_label(text, rng) if style.variants and not text[0].isdigit() else [text]
        return [indent + p for p in pieces] + [""]

    def table(number: int) -> list[str]:
        out: list[str] = []
        if number == 4:
            parts = _appeal_parts(style)
            for head in ["行政复议", "行政诉讼", *parts, "未经复议直接起诉", "复议后起诉", *parts, *parts]:
                out += cell_lines(head)
            for c in _appeals_cells(report, style):
                if c:
                    out += [indent + c, ""]
            return out
        rows = _active_rows(report, style) if number == 2 else _applications_rows(report, style)
        for r in rows:
            for label in r.labels:
                out += cell_lines(label)
            for c in r.cells:
                if c:
                    out += [indent + " " + c, ""]
        return out

    return _render_lines(report, style, table, lambda p: [indent + p], gap="")


def _glued(report: Report, style: _Style) -> str:
    def table(number: int) -> str:
        if number == 4:
            parts = "".join(_appeal_parts(style))
            return f"行政复议行政诉讼{parts}未经复议直接起诉复议后起诉{parts}{parts}" + "".join(
                _appeals_cells(report, style, glued=True)
            )
        rows = _active_rows(report, style, glued=True) if number == 2 else _applications_rows(report, style, glued=True)
        out = []
        for r in rows:
            sep = " " if style.variants and style.rng.random() < 0.2 else ""
            out.append("".join(x for x in r.labels if x) + sep + "".join(r.cells))
        return "".join(out)

    body = [_preamble(report)]
    for number in range(1, 7):
        body.append(_HEADINGS[number])
        body.append(table(number) if number in (2, 3, 4) else _prose(report, number).replace("\n\n", ""))
    title = _title_lines(report, style)
    return f"标题: {''.join(title)}\n\n" + " ".join(body) + " 附件下载\n"


def _html_page(report: Report, style: _Style) -> str:
    rng = style.rng
    esc = _html.escape
    title = "".join(_title_lines(report, attrs.evolve(style, variants=False)))
    blank_td = "<td>&nbsp;</td>" if style.variants and rng.random() < 0.5 else "<td></td>"

    def td(text: str, **attrs_: int) -> str:
        if not text:
            return blank_td
        extra = "".join(f' {k}="{v}"' for k, v in attrs_.items() if v > 1)
        return f"<td{extra}>{esc(text)}</td>"

    def table(number: int) -> str:
        trs: list[str] = []
        if number == 2:
            rows = _active_rows(report, style)
            width = max(1 + len(r.cells) for r in rows)
            for r in rows:
                if r.kind == "caption":
                    trs.append(td(r.labels[0], colspan=width))
                else:
                    trs.append(td(r.labels[0]) + "".join(td(c) for c in r.cells))
        elif number == 3:
            rows = _applications_rows(report, style)
            data = [r for r in rows if r.kind == "data"]
            depth = max(len(r.labels) for r in data)
            trs.append(td(rows[0].labels[0], colspan=depth, rowspan=3) + td("申请人情况", colspan=7))
            trs.append(td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2))
            trs.append("".join(td(h) for h in rows[2].labels))
            for i, r in enumerate(data):
                cells = []
                for level, label in enumerate(r.labels):
                    if not label:
                        continue  # covered by a rowspan above
                    span = 1
                    for later in data[i + 1 :]:
                        if level < len(later.labels) and not later.labels[level]:
                            span += 1
                        else:
                            break
                    colspan = depth - level if level == len(r.labels) - 1 else 1
                    cells.append(td(label, rowspan=span, colspan=colspan))
                trs.append("".join(cells) + "".join(td(c) for c in r.cells))
        else:
            parts = _appeal_parts(style)
            trs.append(td("行政复议", colspan=5) + td("行政诉讼", colspan=10))
            trs.append(
                "".join(td(p, rowspan=2) for p in parts)
                + td("未经复议直接起诉", colspan=5)
                + td("复议后起诉", colspan=5)
            )
            trs.append("".join(td(p) for p in parts + parts))
            trs.append("".join(td(c) for c in _appeals_cells(report, style)))
        body = "".join(f"<tr>{t}</tr>\n" for t in trs)
        return f'<table border="1" cellspacing="0" style="width:100%">\n<tbody>\n{body}</tbody>\n</table>'

    parts = [f"<p>{esc(_preamble(report))}</p>"]
    for number in range(1, 7):
        heading = _heading(number, style) if style.variants else _HEADINGS[number]
        parts.append(f"<p><strong>{esc(heading)}</strong></p>")
        if number in (2, 3, 4):
            parts.append(table(number))
        else:
            parts.extend(f"<p>{esc(p)}</p>" for p in _paragraphs(_prose(report, number)))
    site = f"{report.agency or '政府'}门户网站"
    year = report.year or 2021
    info = (
        '<table class="xxgk-info"><tr><td>索引号：</td><td>000000000/'
        f"{year + 1}-00012</td><td>发布机构：</td><td>{esc(report.agency or '')}</td></tr>"
        f"<tr><td>发布日期：</td><td>{year + 1}-01-20</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table>"
    )
    chrome_top = (
        '<div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/nb/">政府信息公开年报</a></div>\n<script>var _hmt = _hmt || [];</script>\n'
    )
    chrome_bottom = (
        '<div class="share"><p>扫一扫在手机打开当前页</p></div>\n'
        '<div class="tools"><p>【打印本页】【关闭窗口】</p></div>\n'
        f'<div class="footer"><p>主办单位：{esc(report.agency or "")}</p><p>网站标识码：3201130001</p></div>\n'
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}_{esc(site)}</title>\n<style>td {{ border: 1px solid #000; }}</style>\n</head>\n<body>\n"
        + chrome_top
        + (info if style.variants else "")
        + f'\n<div class="article">\n<h1>{esc(title)}</h1>\n'
        + "\n".join(parts)
        + "\n</div>\n"
        + chrome_bottom
        + "</body>\n</html>\n"
    )


_LAYOUT_FUNCTIONS: dict[str, Callable[[Report, _Style], str]] = {
    "tsv": _tsv,
    "vertical": _vertical,
    "markdown": _markdown,
    "pdf": _pdf,
    "html": _html_page,
    "glued": _glued,
}


def render(report: Report, layout: str, *, rng: random.Random | None = None, variants: bool = True) -> str:
    """``report`` written in ``layout`` (one of :data:`LAYOUTS`) as text.

    ``rng`` makes the choices (label variants, wrapping, page furniture, splits); the default is
    ``random.Random(0)``, so the same report renders the same way. ``variants=False`` writes the
    official labels and plain numbers. Blank cells (``Cell(value=None, raw="")``) are empty cells in
    the layouts that keep cells and vanish in the others. For ``html``, parse the text's UTF-8
    bytes so that gxgk's HTML reader reads it.
    """
    try:
        function = _LAYOUT_FUNCTIONS[layout]
    except KeyError:
        raise ValueError(f"no layout {layout!r}; layouts: {', '.join(LAYOUTS)}") from None
    style = _style(rng if rng is not None else random.Random(0), variants)
    return function(report, style)
