"""Compare two years of one agency's reports: repeated prose, changed figures, cross-year findings.

Evaluators mark down a report that repeats more than half of the previous year's text (与上年度重复率大于
50%的，扣分). :func:`compare` measures that repetition for each prose section (一、五、六) and for the
whole prose, lists every table cell whose value changed, and gathers the cross-year findings.

The repetition rate of a current text against a previous text is the share of the current text's
characters that lie in a passage of at least ``min_passage`` characters also found in the previous
text. Both texts are normalised first (whitespace, punctuation and control characters dropped,
full-width forms folded), and lengths are counted in normalised characters; a map back to the original
offsets places every passage in both original texts.

The method is linear in the length of the texts: every ``min_passage``-gram of the previous text goes
into a dict (key: the k-gram, value: its first position), the current text is scanned once, and each hit
is extended to a maximal common run with slice comparisons done in C. See ``docs/compare.md``.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

import attrs

from gxgk.findings import Finding, Severity
from gxgk.records import Cell, Report

__all__ = [
    "PROSE_SECTIONS",
    "CellChange",
    "Comparison",
    "NormalizedText",
    "OneSidedCell",
    "Passage",
    "ReportInfo",
    "TextComparison",
    "compare",
    "compare_texts",
    "comparison_html",
    "normalize_text",
]

Number = int | Decimal

#: The prose sections compared, as ``(field of Prose, heading)``, in report order.
PROSE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)

#: The name and heading of the whole prose (the three sections joined).
WHOLE_PROSE: tuple[str, str] = ("prose", "全部文字（一、五、六）")

#: The rule code of the repetition warning.
REPETITION_RULE = "GX601"

# Joins the sections into the whole prose; dropped by normalisation, so it never joins two passages.
_SECTION_JOINER = "\n"


# --- normalisation ------------------------------------------------------------------------------


@attrs.frozen
class NormalizedText:
    """A text with whitespace, punctuation and control characters dropped and full-width forms folded.

    ``offsets[i]`` is the index in the original text of ``text[i]``; the two have the same length.
    """

    text: str
    offsets: tuple[int, ...] = attrs.field(repr=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The half-open span of the original text that normalised ``text[start:end]`` comes from
        (it includes the punctuation and spaces between the kept characters)."""
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"normalised span [{start}, {end}) outside [0, {len(self.text)})")
        return self.offsets[start], self.offsets[end - 1] + 1


@functools.cache
def _tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The regexes of kept runs and of foldable characters, built once (about 20 ms)."""
    dropped = []
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        # P*: punctuation, Z*: spaces and separators, Cc/Cf: controls and format characters (BOM, ZWSP).
        if category[0] in "PZ" or category in ("Cc", "Cf"):
            dropped.append(chr(code))
    kept_runs = re.compile("[^" + "".join(re.escape(c) for c in dropped) + "]+")
    # Full-width and half-width forms fold to one character each (Ａ -> A, １ -> 1), so offsets stay 1:1.
    fold = {}
    for code in range(0xFF00, 0xFFF0):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and folded != chr(code):
            fold[chr(code)] = folded
    foldable = re.compile("[" + "".join(re.escape(c) for c in fold) + "]")
    return kept_runs, foldable, fold


def normalize_text(text: str) -> NormalizedText:
    """Drop whitespace, punctuation and control characters from ``text``, fold full-width forms, and
    keep the offset of every kept character in ``text``. Runs in linear time."""
    kept_runs, foldable, fold = _tables()
    folded = foldable.sub(lambda m: fold[m.group()], text)
    parts: list[str] = []
    offsets: list[int] = []
    for match in kept_runs.finditer(folded):
        start, end = match.span()
        parts.append(match.group())
        offsets.extend(range(start, end))
    return NormalizedText("".join(parts), tuple(offsets))


# --- repeated passages --------------------------------------------------------------------------


@attrs.frozen
class Passage:
    """A passage of the current text also found in the previous text.

    Offsets are half-open spans of the original texts (``current_text[current_start:current_end]``);
    ``length`` counts normalised characters (at least ``min_passage``); ``text`` is the passage as
    printed in the current text.
    """

    current_start: int
    current_end: int
    previous_start: int
    previous_end: int
    length: int
    text: str


@attrs.frozen
class TextComparison:
    """The repetition of one current text against the previous one.

    ``name`` is the :class:`~gxgk.records.Prose` field (``overview``, ``problems``, ``other_matters``)
    or ``prose`` for the three joined; ``rate`` is ``repeated_chars / current_chars`` (0.0 when the
    current text is empty); character counts are in normalised characters. ``passages`` are in the
    order of the current text; two may overlap there when the current text joins two pieces of the
    previous one, and ``repeated_chars`` counts their union.
    """

    name: str
    title: str
    rate: float
    repeated_chars: int
    current_chars: int
    previous_chars: int
    passages: tuple[Passage, ...]
    previous_text: str = attrs.field(repr=False)
    current_text: str = attrs.field(repr=False)

    def current_marks(self) -> tuple[tuple[int, int], ...]:
        """The repeated spans of the current text, merged, in order."""
        return _merge((p.current_start, p.current_end) for p in self.passages)

    def previous_marks(self) -> tuple[tuple[int, int], ...]:
        """The spans of the previous text that the current text repeats, merged, in order."""
        return _merge((p.previous_start, p.previous_end) for p in self.passages)


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """The length of the common prefix of ``a[i:]`` and ``b[j:]``, by galloping slice comparisons
    (the characters are compared in C; Python does O(log length) steps)."""
    limit = min(len(a) - i, len(b) - j)
    done = 0
    step = 32
    while done < limit:
        size = min(step, limit - done)
        if a[i + done : i + done + size] == b[j + done : j + done + size]:
            done += size
            step *= 2
            continue
        low, high = 0, size  # a prefix of length low is equal, one of length high is not
        while high - low > 1:
            mid = (low + high) // 2
            if a[i + done : i + done + mid] == b[j + done : j + done + mid]:
                low = mid
            else:
                high = mid
        return done + low
    return done


def _repeated_runs(previous: str, current: str, k: int) -> list[tuple[int, int, int]]:
    """Maximal runs of ``current`` found in ``previous``, at least ``k`` long, as
    ``(current_start, current_end, previous_start)`` in normalised offsets.

    Every position of ``current`` that lies in a k-gram also found in ``previous`` lies in a returned
    run, and no other position does. Time: O(n + m) dict operations on k-grams, plus the slice
    comparisons of the extensions.
    """
    n, m = len(previous), len(current)
    if n < k or m < k:
        return []
    # The first occurrence of every k-gram of the previous text: built in reverse so it wins.
    starts = range(n - k, -1, -1)
    first = dict(zip(map(previous.__getitem__, map(slice, starts, range(n, k - 1, -1))), starts, strict=True))
    hits = list(map(first.get, map(current.__getitem__, map(slice, range(m - k + 1), range(k, m + 1)))))
    runs: list[tuple[int, int, int]] = []
    j = 0
    last = m - k
    while j <= last:
        a = hits[j]
        if a is None:
            j += 1
            continue
        end = j + k + _common_prefix(current, j + k, previous, a + k)
        # Going back can only enter the tail of the previous run: any earlier k-gram was looked up.
        back = 0
        while back < k - 1 and j - back > 0 and a - back > 0 and current[j - back - 1] == previous[a - back - 1]:
            back += 1
        runs.append((j - back, end, a - back))
        # Every k-gram starting before end - k + 1 lies inside this run: skip them.
        j = end - k + 1
    return runs


def compare_texts(
    previous: str | None,
    current: str | None,
    *,
    min_passage: int = 13,
    name: str = "text",
    title: str = "",
) -> TextComparison:
    """The repetition of ``current`` against ``previous`` (``None`` counts as empty).

    ``min_passage`` is the shortest passage counted, in normalised characters. Time and memory are
    linear in the lengths of the two texts.
    """
    if min_passage < 1:
        raise ValueError(f"min_passage must be at least 1, not {min_passage}")
    previous_text = previous or ""
    current_text = current or ""
    prev = normalize_text(previous_text)
    cur = normalize_text(current_text)
    passages: list[Passage] = []
    repeated = 0
    covered_to = 0
    for start, end, prev_start in _repeated_runs(prev.text, cur.text, min_passage):
        repeated += end - max(start, covered_to)
        covered_to = end
        c0, c1 = cur.original_span(start, end)
        p0, p1 = prev.original_span(prev_start, prev_start + (end - start))
        passages.append(Passage(c0, c1, p0, p1, end - start, current_text[c0:c1]))
    total = len(cur.text)
    return TextComparison(
        name=name,
        title=title,
        rate=repeated / total if total else 0.0,
        repeated_chars=repeated,
        current_chars=total,
        previous_chars=len(prev.text),
        passages=tuple(passages),
        previous_text=previous_text,
        current_text=current_text,
    )


# --- changed cells ------------------------------------------------------------------------------


@attrs.frozen
class CellChange:
    """A cell present in both reports whose value differs.

    ``difference`` is ``current - previous`` and ``relative`` is ``difference / previous``; both are
    ``None`` when either value is blank or unknown, ``relative`` also when ``previous`` is 0.
    """

    key: str
    previous: Number | None
    current: Number | None
    difference: Number | None = None
    relative: float | None = None
    previous_raw: str | None = None
    current_raw: str | None = None


@attrs.frozen
class OneSidedCell:
    """A cell key that only one of the two reports has (the editions differ)."""

    key: str
    value: Number | None
    raw: str | None = None


def _change(key: str, before: Cell, after: Cell) -> CellChange:
    difference: Number | None = None
    relative: float | None = None
    if before.value is not None and after.value is not None:
        difference = after.value - before.value
        if before.value != 0:
            relative = float(Decimal(difference) / Decimal(before.value))
    return CellChange(key, before.value, after.value, difference, relative, before.raw, after.raw)


# --- the comparison -----------------------------------------------------------------------------


@attrs.frozen
class ReportInfo:
    """Which report a side of a comparison is."""

    edition: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    source: str | None = None

    @classmethod
    def of(cls, report: Report) -> ReportInfo:
        """The description of ``report``."""
        return cls(report.edition, report.year, report.agency, report.title, report.source)

    @property
    def label(self) -> str:
        """A short name: the year, else the source, else the edition."""
        if self.year is not None:
            return str(self.year)
        return self.source or f"{self.edition} edition"


@attrs.frozen
class Comparison:
    """Two reports of one agency compared; see :func:`compare`.

    ``sections`` holds one :class:`TextComparison` per prose section (一、五、六, in that order) and
    ``prose`` the whole prose; ``changed`` the cells whose value differs; ``only_previous`` and
    ``only_current`` the cells of one edition only; ``findings`` the cross-year findings of
    :func:`gxgk.check_series` followed by the repetition warning (``GX601``), if any.
    """

    previous: ReportInfo
    current: ReportInfo
    min_passage: int
    threshold: float
    sections: tuple[TextComparison, ...]
    prose: TextComparison
    changed: tuple[CellChange, ...]
    only_previous: tuple[OneSidedCell, ...]
    only_current: tuple[OneSidedCell, ...]
    findings: tuple[Finding, ...]

    @property
    def rate(self) -> float:
        """The repetition rate of the whole prose."""
        return self.prose.rate

    @property
    def exceeds_threshold(self) -> bool:
        """True when the whole prose repeats more than ``threshold`` of the previous year's text."""
        return self.prose.rate > self.threshold

    def section(self, name: str) -> TextComparison:
        """The comparison of one prose section by its field name, or ``prose`` for the whole."""
        for item in (*self.sections, self.prose):
            if item.name == name:
                return item
        raise KeyError(name)

    def to_html(self) -> str:
        """A self-contained HTML page of this comparison (inline CSS, no scripts)."""
        return comparison_html(self, page=True)

    def __repr__(self) -> str:
        return (
            f"Comparison(previous={self.previous.label!r}, current={self.current.label!r}, "
            f"rate={self.prose.rate:.3f}, changed={len(self.changed)}, findings={len(self.findings)})"
        )

    def _repr_html_(self) -> str:
        return comparison_html(self)


def _series_findings(previous: Report, current: Report) -> list[Finding]:
    from gxgk.rules import check_series

    return list(check_series([previous, current], exclude=[REPETITION_RULE]))  # GX601 is added by compare


def compare(previous: Report, current: Report, *, min_passage: int = 13, threshold: float = 0.5) -> Comparison:
    """Compare an agency's report with its previous one (any editions).

    Measures the repetition of each prose section and of the whole prose (passages of at least
    ``min_passage`` normalised characters), lists the changed and the one-sided table cells, and
    collects the findings of :func:`gxgk.check_series` plus a ``GX601`` warning when the whole prose
    repeats more than ``threshold`` (a share, 0 to 1) of the previous text.
    """
    if min_passage < 1:
        raise ValueError(f"min_passage must be at least 1, not {min_passage}")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold is a share between 0 and 1, not {threshold}")
    sections = tuple(
        compare_texts(
            getattr(previous.prose, field),
            getattr(current.prose, field),
            min_passage=min_passage,
            name=field,
            title=heading,
        )
        for field, heading in PROSE_SECTIONS
    )
    prose = compare_texts(
        _SECTION_JOINER.join(getattr(previous.prose, f) or "" for f, _ in PROSE_SECTIONS),
        _SECTION_JOINER.join(getattr(current.prose, f) or "" for f, _ in PROSE_SECTIONS),
        min_passage=min_passage,
        name=WHOLE_PROSE[0],
        title=WHOLE_PROSE[1],
    )

    before = dict(previous.cells())
    after = dict(current.cells())
    changed = tuple(
        _change(key, before[key], cell)
        for key, cell in after.items()
        if key in before and before[key].value != cell.value
    )
    only_previous = tuple(OneSidedCell(k, c.value, c.raw) for k, c in before.items() if k not in after)
    only_current = tuple(OneSidedCell(k, c.value, c.raw) for k, c in after.items() if k not in before)

    findings = _series_findings(previous, current)
    if prose.rate > threshold:
        findings.append(
            Finding(
                rule=REPETITION_RULE,
                severity=Severity.WARNING,
                message=(
                    f"本年报告文字与上年度重复率为 {prose.rate:.1%}，超过 {_percent(threshold)}"
                    f"（{prose.repeated_chars}/{prose.current_chars} 字，片段不少于 {min_passage} 字）"
                ),
                source=current.source,
            )
        )
    return Comparison(
        previous=ReportInfo.of(previous),
        current=ReportInfo.of(current),
        min_passage=min_passage,
        threshold=threshold,
        sections=sections,
        prose=prose,
        changed=changed,
        only_previous=only_previous,
        only_current=only_current,
        findings=tuple(findings),
    )


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
.gxgk-compare{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 line-height:1.6;color:#1b1b1b;max-width:1200px}
.gxgk-compare h2{font-size:1.3em;margin:.4em 0}
.gxgk-compare h3{font-size:1.1em;margin:1.2em 0 .4em;border-bottom:1px solid #ccc}
.gxgk-compare table{border-collapse:collapse;margin:.4em 0}
.gxgk-compare th,.gxgk-compare td{border:1px solid #ccc;padding:.2em .6em;text-align:left;
 vertical-align:top}
.gxgk-compare td.num{text-align:right;font-variant-numeric:tabular-nums}
.gxgk-compare .over{color:#b00020;font-weight:bold}
.gxgk-compare .pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.gxgk-compare .pair>div{border:1px solid #ddd;padding:.5em;white-space:pre-wrap;overflow-wrap:anywhere}
.gxgk-compare .pair h4{margin:0 0 .3em;font-size:.95em;color:#555;white-space:normal}
.gxgk-compare mark{background:#ffd966;color:inherit}
.gxgk-compare .empty{color:#888;font-style:italic}
.gxgk-compare .warning{color:#8a5300}.gxgk-compare .error{color:#b00020}
"""


def _highlight(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    if not text:
        return '<span class="empty">（无）</span>'
    out: list[str] = []
    at = 0
    for start, end in marks:
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _percent(share: float) -> str:
    """A threshold as a percentage without needless digits: 0.5 -> 50%, 0.455 -> 45.5%."""
    return f"{share * 100:.4g}%"


def _number(value: Number | None) -> str:
    return "空" if value is None else str(value)


def _signed(value: Number | None) -> str:
    return "" if value is None else (f"+{value}" if value > 0 else str(value))


def comparison_html(comparison: Comparison, *, page: bool = False) -> str:
    """The HTML of a comparison: a ``<div>`` with its own inline style (what a notebook shows), or with
    ``page=True`` a whole self-contained page. Every text from the reports is escaped."""
    c = comparison
    esc = html.escape
    prev_label, cur_label = esc(c.previous.label), esc(c.current.label)
    agency = c.current.agency or c.previous.agency
    heading = f"{esc(agency)}：" if agency else ""
    over = ' class="over"' if c.exceeds_threshold else ""
    parts = [
        f'<div class="gxgk-compare"><style>{_CSS}</style>',
        f"<h2>{heading}{prev_label} → {cur_label} 年报对比</h2>",
        f"<p>全文重复率 <strong{over}>{c.prose.rate:.1%}</strong>"
        f"（{c.prose.repeated_chars}/{c.prose.current_chars} 字；片段不少于 {c.min_passage} 字；"
        f"阈值 {_percent(c.threshold)}）</p>",
        "<table><thead><tr><th>部分</th><th>重复率</th><th>重复字数</th><th>本年字数</th>"
        "<th>上年字数</th></tr></thead><tbody>",
    ]
    for item in (*c.sections, c.prose):
        parts.append(
            f"<tr><td>{esc(item.title)}</td><td class=num>{item.rate:.1%}</td>"
            f"<td class=num>{item.repeated_chars}</td><td class=num>{item.current_chars}</td>"
            f"<td class=num>{item.previous_chars}</td></tr>"
        )
    parts.append("</tbody></table>")
    for item in c.sections:
        parts.append(f"<h3>{esc(item.title)} — 重复率 {item.rate:.1%}</h3><div class=pair>")
        parts.append(f"<div><h4>{prev_label}</h4>{_highlight(item.previous_text, item.previous_marks())}</div>")
        parts.append(f"<div><h4>{cur_label}</h4>{_highlight(item.current_text, item.current_marks())}</div>")
        parts.append("</div>")
    parts.append(f"<h3>表格数字变化（{len(c.changed)} 项）</h3>")
    if c.changed:
        parts.append(
            f"<table><thead><tr><th>单元格</th><th>{prev_label}</th><th>{cur_label}</th><th>变化</th>"
            "<th>变化率</th></tr></thead><tbody>"
        )
        for ch in c.changed:
            relative = "" if ch.relative is None else f"{ch.relative:+.1%}"
            parts.append(
                f"<tr><td><code>{esc(ch.key)}</code></td><td class=num>{esc(_number(ch.previous))}</td>"
                f"<td class=num>{esc(_number(ch.current))}</td>"
                f"<td class=num>{esc(_signed(ch.difference))}</td>"
                f"<td class=num>{relative}</td></tr>"
            )
        parts.append("</tbody></table>")
    for label, cells in ((prev_label, c.only_previous), (cur_label, c.only_current)):
        if cells:
            parts.append(f"<h3>仅见于 {label} 的单元格（{len(cells)} 项，版式不同）</h3><table><tbody>")
            for one in cells:
                parts.append(
                    f"<tr><td><code>{esc(one.key)}</code></td><td class=num>{esc(_number(one.value))}</td></tr>"
                )
            parts.append("</tbody></table>")
    parts.append(f"<h3>发现（{len(c.findings)} 项）</h3>")
    if c.findings:
        parts.append("<ul>")
        for f in c.findings:
            parts.append(
                f'<li class="{esc(f.severity.value)}"><code>{esc(f.rule)}</code> '
                f"{esc(f.severity.value)}：{esc(f.message)}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>无</p>")
    parts.append("</div>")
    body = "\n".join(parts)
    if not page:
        return body
    title = esc(f"{agency or ''} {c.previous.label} → {c.current.label} 年报对比".strip())
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>\n{body}\n</body></html>\n"
    )
