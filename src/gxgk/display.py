"""HTML for notebooks: a report laid out as its template, findings as a table.

``Report._repr_html_`` and ``Findings._repr_html_`` call :func:`report_html` and
:func:`findings_html`, so in Jupyter a report shows itself as the official tables:

- the tables of sections 二, 三 and 四 with merged header cells (``rowspan``/``colspan``), built
  from the edition's cell spec (the official row and column labels, "/" joining levels), so a
  plugin edition's tables lay out without code of their own;
- a blank cell hatched in grey (its raw "/" or "—" shown), an unknown cell as a grey "?", both
  distinct from 0;
- the cells named by findings coloured by severity (CSS classes ``gx-error``, ``gx-warning``,
  ``gx-info``), with the messages on hover (``title``), and the findings listed below the tables;
- edition, year and agency on top, and which table was read in which edition when they differ.

Every text is escaped; the CSS is inline and scoped to the output, so the HTML can be saved and
opened anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gxgk.findings import Finding, Severity

if TYPE_CHECKING:
    from gxgk.records import Report

__all__ = ["SECTION_TITLES", "findings_html", "report_html"]

#: The headings of the template's table sections, by the spec's table label.
SECTION_TITLES: dict[str, str] = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}

# In the template, section 四 is one line of values: its row labels (行政复议, 行政诉讼/…) head
# column groups. Tables named here are laid out that way.
_HORIZONTAL = frozenset({"四"})

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

_CSS = """
.gxgk{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:13px;color:#222;max-width:100%;overflow-x:auto}
.gxgk .gx-head{margin:0 0 .6em 0}
.gxgk .gx-title{font-size:15px;font-weight:600}
.gxgk .gx-meta{color:#555}
.gxgk .gx-mixed{color:#8a5a00;font-weight:600}
.gxgk h4{margin:1em 0 .3em 0;font-size:14px}
.gxgk table.gx-table{border-collapse:collapse;margin:0 0 .5em 0}
.gxgk table.gx-table th,.gxgk table.gx-table td{border:1px solid #999;padding:2px 6px;vertical-align:middle}
.gxgk table.gx-table th{background:#f3f3f3;font-weight:normal;text-align:center}
.gxgk table.gx-table th.gx-row{text-align:left}
.gxgk table.gx-table th.gx-caption{text-align:left;font-weight:600;background:#e8e8e8}
.gxgk table.gx-table td{text-align:right;font-variant-numeric:tabular-nums;min-width:2.5em}
.gxgk td.gx-blank{color:#999;background:repeating-linear-gradient(45deg,#fff,#fff 3px,#eee 3px,#eee 6px)}
.gxgk td.gx-missing{color:#999;font-style:italic;background:#fafafa}
.gxgk td.gx-info{background:#e7f1ff;outline:2px solid #4a86d6;outline-offset:-2px}
.gxgk td.gx-warning{background:#fff3cd;outline:2px solid #d9a400;outline-offset:-2px}
.gxgk td.gx-error{background:#fde0e0;outline:2px solid #c62828;outline-offset:-2px;color:#8b0000;font-weight:600}
.gxgk td.gx-related-info{background:#f1f6fd}
.gxgk td.gx-related-warning{background:#fffaeb}
.gxgk td.gx-related-error{background:#fdf0f0}
.gxgk .gx-legend{color:#666;font-size:12px;margin:.3em 0}
.gxgk .gx-legend span{display:inline-block;padding:0 .5em;margin-right:.5em;border:1px solid #999}
.gxgk table.gx-findings{border-collapse:collapse}
.gxgk table.gx-findings th,.gxgk table.gx-findings td{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.gxgk tr.gx-error td.gx-sev{color:#c62828;font-weight:600}
.gxgk tr.gx-warning td.gx-sev{color:#9a6f00;font-weight:600}
.gxgk tr.gx-info td.gx-sev{color:#2c5fa8}
.gxgk td.gx-cells{color:#555;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _style() -> str:
    return f"<style>{_CSS}</style>"


# -- header grids -----------------------------------------------------------------------------------


def _spans(paths: Sequence[tuple[str, ...]], depth: int) -> dict[tuple[int, int], tuple[str, int, int]]:
    """Merged header cells for label paths in order: ``(level, first index) -> (label, span, depth span)``.

    A group label (not the last of its path) spans the consecutive paths under it; a path's last
    label spans the levels its path is short of ``depth``. For column headers ``span`` is the
    colspan and ``depth span`` the rowspan; for row headers the other way round.
    """
    out: dict[tuple[int, int], tuple[str, int, int]] = {}
    for level in range(depth):
        for i, path in enumerate(paths):
            if level >= len(path):
                continue
            if level < len(path) - 1:
                prefix = path[: level + 1]
                prev = paths[i - 1] if i else None
                if prev is not None and len(prev) > level + 1 and prev[: level + 1] == prefix:
                    continue
                span = 1
                while (
                    i + span < len(paths)
                    and len(paths[i + span]) > level + 1
                    and paths[i + span][: level + 1] == prefix
                ):
                    span += 1
                out[(level, i)] = (path[level], span, 1)
            else:
                out[(level, i)] = (path[level], 1, depth - level)
    return out


def _column_paths(labels: Sequence[str]) -> list[tuple[str, ...]]:
    """Column labels split at "/" where the part before it heads several columns.

    "法人或其他组织/商业企业" is a merged header over five columns; "本年增/减" is one label.
    """
    heads: dict[str, set[str]] = {}
    for label in labels:
        if "/" in label:
            head, rest = label.split("/", 1)
            heads.setdefault(head, set()).add(rest)
    paths = []
    for label in labels:
        head, _, rest = label.partition("/")
        paths.append((head, rest) if rest and len(heads.get(head, ())) > 1 else (label,))
    return paths


def _column_header(paths: Sequence[tuple[str, ...]], corner: str, corner_cols: int) -> str:
    depth = max((len(p) for p in paths), default=1)
    spans = _spans(paths, depth)
    rows = []
    for level in range(depth):
        cells = []
        if level == 0 and corner_cols:
            colspan = f' colspan="{corner_cols}"' if corner_cols > 1 else ""
            rowspan = f' rowspan="{depth}"' if depth > 1 else ""
            cells.append(f"<th{colspan}{rowspan}>{_e(corner)}</th>")
        for i in range(len(paths)):
            if (level, i) in spans:
                label, span, down = spans[(level, i)]
                cells.append(f"<th{_attr('colspan', span)}{_attr('rowspan', down)}>{_e(label)}</th>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def _attr(name: str, n: int) -> str:
    return f' {name}="{n}"' if n > 1 else ""


# -- cells ------------------------------------------------------------------------------------------


def _format(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class _Marks:
    """The findings of a report by cell key: the worst severity and every message."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.worst: dict[str, Severity] = {}
        self.related: dict[str, Severity] = {}
        self.messages: dict[str, list[str]] = {}
        for f in findings:
            # a comparison names its subject first (the total, or the likely culprit), then the
            # cells it added up: those are marked more lightly
            compared = f.expected is not None or f.actual is not None
            for n, key in enumerate(f.cells):
                marks = self.related if compared and n else self.worst
                if key not in marks or _RANK[f.severity] < _RANK[marks[key]]:
                    marks[key] = f.severity
                self.messages.setdefault(key, []).append(f"{f.rule} {f.severity.value}: {f.message}")


def _td(item: dict[str, Any], marks: _Marks, colspan: int = 1) -> str:
    key = item["key"]
    classes = ["gx-cell"]
    value = item["value"] if item["value"] is not None else item["amount"]
    if item["missing"]:
        classes.append("gx-missing")
        text = "?"
        state = "unknown: no source text was placed in this cell"
    elif item["blank"]:
        classes.append("gx-blank")
        text = item["raw"].strip() if item["raw"] else ""
        state = f"blank (raw {item['raw']!r})"
    else:
        text = _format(value)
        state = f"raw {item['raw']!r}" if item["raw"] is not None and str(item["raw"]) != text else ""
    severity = marks.worst.get(key)
    if severity is not None:
        classes.append(f"gx-{severity.value}")
    elif key in marks.related:
        classes.extend(("gx-related", f"gx-related-{marks.related[key].value}"))
    title = [key]
    labels = " / ".join(x for x in (item["row"], item["column"]) if x)
    if labels:
        title.append(labels)
    where = f"line {item['line']}" if item["line"] is not None else ""
    title.append(", ".join(x for x in (where, state) if x))
    title.extend(marks.messages.get(key, ()))
    return (
        f'<td class="{" ".join(classes)}" data-key="{_e(key)}"{_attr("colspan", colspan)}'
        f' title="{_e(chr(10).join(t for t in title if t))}">{_e(text)}</td>'
    )


def _table_grid(items: list[dict[str, Any]], marks: _Marks) -> str:
    """Rows down the side (hierarchical, merged), columns across the top."""
    row_labels = list(dict.fromkeys(i["row"] for i in items))
    col_labels = list(dict.fromkeys(i["column"] for i in items))
    by_pos = {(i["row"], i["column"]): i for i in items}
    row_paths = [tuple(r.split("/")) for r in row_labels]
    depth = max(len(p) for p in row_paths)
    out = [_column_header(_column_paths(col_labels), "", depth)]
    spans = _spans(row_paths, depth)
    for r, row in enumerate(row_labels):
        cells = []
        for level in range(depth):
            if (level, r) in spans:
                label, down, across = spans[(level, r)]
                cells.append(f'<th class="gx-row"{_attr("rowspan", down)}{_attr("colspan", across)}>{_e(label)}</th>')
        for col in col_labels:
            item = by_pos.get((row, col))
            cells.append(_td(item, marks) if item else "<td></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="gx-table">' + "".join(out) + "</table>"


def _table_blocks(items: list[dict[str, Any]], marks: _Marks) -> str:
    """Blocks with a caption row and their own column header (section 二: 第二十条第（N）项)."""
    blocks: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        head, _, rest = i["row"].partition("/")
        blocks.setdefault(head if rest else "", []).append({**i, "_label": rest or i["row"]})
    width = max(len(dict.fromkeys(i["column"] for i in b)) for b in blocks.values())
    out = []
    for caption, block in blocks.items():
        if caption:
            out.append(f'<tr><th class="gx-caption" colspan="{width + 1}">{_e(caption)}</th></tr>')
        cols = list(dict.fromkeys(i["column"] for i in block))
        heads = [f"<th>{_e(c)}</th>" for c in cols]
        heads[-1] = heads[-1].replace("<th>", f"<th{_attr('colspan', width - len(cols) + 1)}>", 1)
        out.append("<tr><th>信息内容</th>" + "".join(heads) + "</tr>")
        by_pos = {(i["_label"], i["column"]): i for i in block}
        for label in dict.fromkeys(i["_label"] for i in block):
            cells = [f'<th class="gx-row">{_e(label)}</th>']
            for n, col in enumerate(cols):
                span = width - len(cols) + 1 if n == len(cols) - 1 else 1
                item = by_pos.get((label, col))
                cells.append(_td(item, marks, span) if item else f"<td{_attr('colspan', span)}></td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="gx-table">' + "".join(out) + "</table>"


def _table_horizontal(items: list[dict[str, Any]], marks: _Marks) -> str:
    """One line of values; row labels head column groups (section 四)."""
    col_paths = _column_paths(list(dict.fromkeys(i["column"] for i in items)))
    col_path = dict(zip(dict.fromkeys(i["column"] for i in items), col_paths, strict=True))
    paths = [tuple(i["row"].split("/")) + col_path[i["column"]] for i in items]
    header = _column_header(paths, "", 0)
    row = "".join(_td(i, marks) for i in items)
    return f'<table class="gx-table">{header}<tr>{row}</tr></table>'


def _table_html(label: str, items: list[dict[str, Any]], marks: _Marks) -> str:
    if label in _HORIZONTAL:
        return _table_horizontal(items, marks)
    columns_by_row: dict[str, list[str]] = {}
    for i in items:
        columns_by_row.setdefault(i["row"], []).append(i["column"])
    if len({tuple(c) for c in columns_by_row.values()}) > 1:
        return _table_blocks(items, marks)
    return _table_grid(items, marks)


# -- public -----------------------------------------------------------------------------------------


def _header(report: Report) -> str:
    from gxgk import editions
    from gxgk.errors import GxgkError

    def edition_text(name: str) -> str:
        try:
            e = editions.get(name)
        except GxgkError:
            return f"{name} edition"
        return f"{name} edition ({'、'.join(e.documents)})"

    title = report.title or report.agency or "Report"
    meta = [
        f"agency: {_e(report.agency or '—')}",
        f"year: {_e(report.year if report.year is not None else '—')}",
        f"edition: {_e(edition_text(report.edition))}",
    ]
    if report.date:
        meta.append(f"date: {_e(report.date)}")
    parts = [f'<div class="gx-title">{_e(title)}</div>', f'<div class="gx-meta">{" · ".join(meta)}</div>']
    te = report.table_editions
    if len(te.distinct()) > 1:
        tables = [("二", te.active), ("三", te.applications), ("四", te.appeals)]
        said = " · ".join(f"{t} {_e(e)}" for t, e in tables if e)
        parts.append(f'<div class="gx-mixed">mixed editions: {said}</div>')
    if report.source:
        parts.append(f'<div class="gx-meta">source: {_e(report.source)}</div>')
    return '<div class="gx-head">' + "".join(parts) + "</div>"


_LEGEND = (
    '<div class="gx-legend"><span class="gx-blank-key" style="background:repeating-linear-gradient'
    '(45deg,#fff,#fff 3px,#eee 3px,#eee 6px)">&nbsp;&nbsp;</span>blank '
    '<span style="color:#999">?</span>unknown '
    '<span style="background:#fde0e0;border-color:#c62828">&nbsp;&nbsp;</span>error '
    '<span style="background:#fff3cd;border-color:#d9a400">&nbsp;&nbsp;</span>warning '
    '<span style="background:#e7f1ff;border-color:#4a86d6">&nbsp;&nbsp;</span>info '
    '<span style="background:#fdf0f0">&nbsp;&nbsp;</span>a cell the finding added up '
    "(hover a cell for its source and findings)</div>"
)


def report_html(report: Report, findings: Iterable[Finding] | None = None) -> str:
    """A report as self-contained HTML: its tables as in the template, findings marked and listed.

    ``findings`` default to :func:`gxgk.check` of the report.
    """
    from gxgk.frames import cell_rows

    if findings is None:
        import gxgk

        findings = gxgk.check(report)
    found = list(findings)
    marks = _Marks(found)
    tables: dict[str, list[dict[str, Any]]] = {}
    for item in cell_rows(report):
        tables.setdefault(item["table"] or "?", []).append(item)
    parts = ['<div class="gxgk gx-report">', _style(), _header(report)]
    for label, items in tables.items():
        parts.append(f"<h4>{_e(SECTION_TITLES.get(label, label))}</h4>")
        parts.append(_table_html(label, items, marks))
    if not tables:
        parts.append("<p>No table was read.</p>")
    parts.append(_LEGEND)
    parts.append(_findings_body(found))
    parts.append("</div>")
    return "".join(parts)


def _findings_body(findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 and s is not Severity.INFO else ''}" for s, n in counts.items())
    if not findings:
        return '<h4>Findings</h4><p class="gx-meta">No findings.</p>'
    rows = [
        "<tr><th>severity</th><th>rule</th><th>source</th><th>line</th><th>message</th><th>expected</th>"
        "<th>actual</th><th>cells</th></tr>"
    ]
    for f in findings:
        rows.append(
            f'<tr class="gx-{_e(f.severity.value)}"><td class="gx-sev">{_e(f.severity.value)}</td><td>{_e(f.rule)}</td>'
            f"<td>{_e(f.source or '')}</td><td>{_e(f.line if f.line is not None else '')}</td><td>{_e(f.message)}</td>"
            f"<td>{_e('' if f.expected is None else _format(f.expected))}</td>"
            f"<td>{_e('' if f.actual is None else _format(f.actual))}</td>"
            f'<td class="gx-cells">{"<br>".join(_e(c) for c in f.cells[:7])}'
            f"{_e(f' … (+{len(f.cells) - 7})') if len(f.cells) > 7 else ''}</td></tr>"
        )
    return f'<h4>Findings ({_e(summary)})</h4><table class="gx-findings">{"".join(rows)}</table>'


def findings_html(findings: Iterable[Finding]) -> str:
    """Findings as a self-contained HTML table: severity, rule, source, line, message, numbers, cells."""
    return '<div class="gxgk gx-findings-list">' + _style() + _findings_body(list(findings)) + "</div>"
