"""Layout normalisation: from text in any of the layouts reports arrive in to rows of items.

The stages, each linear in the text:

1. :func:`find_sections` finds the six section headings (at a line start or inline, as in text
   flattened from a web page).
2. :func:`scan_zone` splits the text of a table section into lines and cells (markdown pipes, tabs,
   or a whole line for PDF-like and one-cell-per-line text) and each cell into :class:`Item` s:
   label text, numbers, blank marks ("/", "—") and empty cells, each with its line and column.
3. :func:`build_rows` groups the items into :class:`RawRow` s — a run of label text and the values
   after it — knowing whether lines end rows (tables printed across) or not (one cell per line).

:func:`zone_rows` does 2 and 3 at once, as the parser does: the lines pass between them as plain
tuples, not :class:`Line` objects.

The lexer (:mod:`gxgk.lexer`) then names each row by the edition grammars' terminals.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Sequence
from itertools import compress, count, pairwise
from typing import NamedTuple, TypeVar

from gxgk.text import DASH_SIGNS, DIGITS, ZERO_WORDS, fold

__all__ = [
    "SECTION_TITLES",
    "TABLE_OF_SECTION",
    "Item",
    "Kind",
    "Line",
    "LineIndex",
    "RawRow",
    "SectionSpan",
    "build_rows",
    "find_sections",
    "heading_again",
    "scan_zone",
    "zone_rows",
]

#: Section headings: the numeral and the words of each heading of the template.
_SECTION_WORDS: dict[int, str] = {
    1: r"总体(?:工作)?情况|基本情况|概述|工作概况",  # the template's words, and as reports before it said
    2: r"主动公开政府信息(?:情况)?",
    3: r"收到和处理政府信息公开申请(?:情况)?",
    4: r"(?:政府信息公开)?行政(?:\S ?){0,2}?复议[、,]?\s*行政诉讼(?:情况)?",  # "行政法复议" occurs
    # the 2021 template's words, the 2019 template's ("政府信息公开工作存在的…"), and as agencies shorten them
    5: r"(?:政府信息公开工作)?存在(?:的)?(?:主要)?问题(?:[及和]改进(?:情况|措施))?|主要问题[及和]改进(?:情况|措施)",
    6: r"其[他它]需要报告的事项",
}
#: The six headings as the template prints them.
SECTION_TITLES: dict[int, str] = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}
_NUMERALS = "一二三四五六"
#: The sections that hold the template's tables, and the table each holds.
TABLE_OF_SECTION: dict[int, str] = {2: "active", 3: "applications", 4: "appeals"}


# What may stand between two characters of a heading in the second pass: a space or two (PDF text of a
# heading set with wide letter spacing), or a line break (a heading wrapped over two lines) with the
# next line's indent. Bounded runs of spaces and tabs, then at most one "\n": no backtracking.
_HEADING_GAP = r"[ \t]{0,2}(?:\n[ \t]{0,8})?"


def _spaced(words: str) -> str:
    """The pattern ``words`` letting a gap (:data:`_HEADING_GAP`) stand between two characters of a
    heading: "总 体 情 况" (PDF text of a heading set with wide letter spacing; folded text has only " "
    for spaces), or "收到和处理政府信息公开申" and "请情况" on the next line."""
    out: list[str] = []
    in_class = escaped = False
    for k, char in enumerate(words):
        out.append(char)
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]" or (not in_class and "\u4e00" <= char <= "\u9fff"):
            in_class = False
            # after a character or a class of them ("[他它]") not quantified, a space may follow
            if words[k + 1 : k + 2] not in ("?", "*", "+", "{"):
                out.append(_HEADING_GAP)
    return "".join(out)


# The numbering of a heading as the template prints it, "三、" (or "三." "三,"), and as some reports do:
# "第三部分" (with or without ":"), "3、" "3.", "(三)", "三 " (folded text: ASCII punctuation).
_TEMPLATE_NUMBER = r"[一二三四五六]\s*[、.,]"
# (One run of spaces at most may be left to the pattern's "\s*" after it: "\s*[:、.,]?\s*" would try every
# way of sharing a long run between the two.)
_OTHER_NUMBERS = (
    r"第[一二三四五六]部分(?:\s*[:、.,])?|(?<!\d)[1-6]\s*[、.,]|\([一二三四五六]\)"
    r"|(?<![一二三四五六七八九十第])[一二三四五六](?=\s)"  # "三 收到和处理…": its "、" lost
)


def _words(spaced: bool = False) -> str:
    """The six headings' words as one alternation, each in its group ``s<n>``."""
    return "|".join(f"(?P<s{n}>{_spaced(words) if spaced else words})" for n, words in _SECTION_WORDS.items())


def _section_re(spaced: bool, numbers: str = _TEMPLATE_NUMBER) -> re.Pattern[str]:
    return re.compile(rf"(?P<num>{numbers})\s*(?:{_words(spaced)})")


_SECTION_RE = _section_re(spaced=False)
# Searched only in a text where the headings as printed are not all found (a few percent dearer a
# scan each), and compiled when first needed: most processes never do.
_spaced_section_re = functools.cache(functools.partial(_section_re, spaced=True))
_numbered_otherwise_re = functools.cache(functools.partial(_section_re, spaced=False, numbers=_OTHER_NUMBERS))


@functools.cache
def _unnumbered_re() -> re.Pattern[str]:
    """A heading's words alone on their line, without a number (text copied from a document that
    numbered its headings automatically, where the numbers stay behind)."""
    return re.compile(rf"(?m)^[ \t]*(?:{_words()})[ \t:]*$")


# The words of a table section's heading as agencies reword it ("三、依申请公开政府信息情况", "四、因政府信息公开
# 工作被申请行政复议、提起行政诉讼情况"): looked for last, numbered as the template numbers them, and only
# where a table's section is still missing. Section 四's gap has no digit: "四、结转下年度继续办理 0 …
# 行政复议" (a row of section 三 before section 四's table, its heading lost) is no heading.
_REWORDED_WORDS: dict[int, str] = {
    2: r"主动公开",
    3: r"(?:收到和处理|依申请公开|政府信息公开申请)",
    4: r"[^\n。；\d]{0,20}?(?:行政复议|行政诉讼)",
}


@functools.cache
def _reworded_re() -> re.Pattern[str]:
    words = "|".join(f"(?P<s{n}>{w})" for n, w in _REWORDED_WORDS.items())
    return re.compile(rf"(?P<num>{_TEMPLATE_NUMBER}|第[二三四]部分(?:\s*[:、.,])?)\s*(?:{words})")


class SectionSpan(NamedTuple):
    """A section heading found in the text: its number, heading and body offsets, 1-based line."""

    number: int
    title: str
    start: int
    body_start: int
    line: int
    end: int = -1


class LineIndex:
    """Offsets to 1-based (line, column) in one text.

    The parser asks for a handful of positions per report, in increasing order (the section headings,
    the start of each table): each answer counts the line breaks from the previous offset asked for
    (from the start of the text when the offset is before it), so positions asked in order cost one
    pass over the text, in C, and nothing is built for the lines never asked about.
    """

    __slots__ = ("_line", "_offset", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0  # the last offset asked for, on line _line
        self._line = 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        text = self._text
        if offset < self._offset:
            self._offset, self._line = 0, 1
        line = self._line + text.count("\n", self._offset, offset)
        self._offset, self._line = offset, line
        return line, offset - text.rfind("\n", 0, offset)


def find_sections(folded: str, index: LineIndex) -> list[SectionSpan]:
    """The headings 一 … 六 in order of position, each section at most once.

    For each number the first heading after the previous section's heading is taken (a report's table
    of contents in its preamble has no numerals, so it does not match); ``end`` is where the next
    section found begins, or the end of the text. Headings numbered as the template prints them
    ("三、") come first; letter-spaced ones are looked for when those are not all found, and when a
    section with a table is still missing, ones numbered otherwise ("第三部分", "3.", "(三)"), then a
    heading's words alone on a line, then a table section's heading reworded ("三、依申请公开政府信息情况").
    A table section with no heading at all starts where its table's header does (:func:`_table_start`);
    its span's ``title`` is "".
    """
    found = _headings(_SECTION_RE, folded)
    if len(found) < len(_SECTION_WORDS):
        spaced = _headings(_spaced_section_re(), folded)  # letter-spaced: "四、政 府 信 息 …"
        if len(spaced) > len(found):
            found = spaced
    if not TABLE_OF_SECTION.keys() <= found.keys():
        # a table's section not found: headings numbered otherwise than the template ("第三部分", "3.",
        # "(三)"), then not numbered at all (the words alone on their line), each still missing where it
        # fits between those found. Two more passes over the text: not made for a report that only lacks
        # a section of prose (many lack 六), whose tables are found all the same.
        for regex in (_numbered_otherwise_re, _unnumbered_re, _reworded_re):
            for number, m in _headings(regex(), folded).items():
                if number not in found and all((n < number) == (h.start() < m.start()) for n, h in found.items()):
                    found[number] = m
    heads = {number: (m.start(), m.end(), m.group(0)) for number, m in found.items()}
    for number in sorted(TABLE_OF_SECTION.keys() - heads.keys()):
        # no heading at all: the table itself, by the words of its header, where it fits between those found
        at = _table_start(folded, number, heads)
        if at is not None:
            heads[number] = (at, at, "")
    ordered = sorted(heads.items(), key=lambda nh: nh[1][0])
    spans = []
    for i, (number, (start, body_start, heading)) in enumerate(ordered):
        end = ordered[i + 1][1][0] if i + 1 < len(ordered) else _report_end(folded, body_start)
        line, _ = index.position(start)
        title = heading.strip()
        if "\n" in title:  # a heading wrapped over two lines
            title = "".join(part.strip() for part in title.split("\n"))
        spans.append(SectionSpan(number, title, start, body_start, line, end))
    return spans


# The words that open each table's header: where a table's section has no heading, its table starts at
# the first of them after the section before (section 四's 行政复议 with 行政诉讼 close after it, as the
# header's first row prints them; a sentence naming 行政复议 alone is no header).
_TABLE_OPENERS: dict[int, tuple[str, ...]] = {
    2: ("第二十条第(一)项",),
    3: ("(本列数据的勾稽关系", "申请人情况"),
    4: ("行政复议",),
}
_OPENER_PAIR = 300  # 行政诉讼 within this many characters after 行政复议
_OPENER_LINE = 80  # an opener this far into its line starts the section at the line's start


def _table_start(folded: str, number: int, heads: dict[int, tuple[int, int, str]]) -> int | None:
    """Where the table of section ``number`` starts, found by its header's words between the headings
    found before and after it (``heads``: number to start, body start and heading), or None."""
    low = max((body for n, (_, body, _) in heads.items() if n < number), default=0)
    high = min((start for n, (start, _, _) in heads.items() if n > number), default=len(folded))
    found = [at for at in (folded.find(words, low, high) for words in _TABLE_OPENERS[number]) if at >= 0]
    if number == 4:
        searched = 0  # where the search for 行政诉讼 has reached: each character is looked at once
        while found:
            start = max(found[0], searched)
            searched = min(found[0] + _OPENER_PAIR, high)
            if folded.find("行政诉讼", start, searched) >= 0:
                break
            searched = max(searched - len("行政诉讼") + 1, 0)
            at = folded.find("行政复议", found[0] + 1, high)
            found = [at] if at >= 0 else []
    if not found:
        return None
    at = min(found)
    line_start = folded.rfind("\n", low, at) + 1
    return line_start if line_start and at - line_start <= _OPENER_LINE else at


# A list of the headings (a table of contents, "本报告包括：一、总体情况；二、…"): three headings at least,
# each this close to the one before (a separator, dots and a page number), and the headings again after.
_LISTED_GAP = 30
_LISTED_MIN = 3
_LISTED_ALONE = 4  # a list with no headings of its form after it: four headings at least


def _headings(regex: re.Pattern[str], folded: str) -> dict[int, re.Match[str]]:
    """The first heading of each number found by ``regex`` after the heading before it (see
    :func:`find_sections`). Headings that only list the sections (a table of contents, a preamble
    that names them with their numbers) are passed over: when the headings come again after them,
    those are taken; when they do not, none is (the report's own are of another form)."""
    found: dict[int, re.Match[str]] = {}
    last = -1
    for m in regex.finditer(folded):
        number = int(m.lastgroup[1:])  # type: ignore[index]  # the group "s<n>" of the words matched
        if number in found or m.start() < last or any(n > number for n in found):
            # a heading again, or of an earlier section than one found: after a list of the headings,
            # the report's own headings start; otherwise it is passed over (and a heading of a later
            # section than one found, earlier sections missing, is kept below)
            if _listed(found):
                found = {number: m}
                last = m.start()
            continue
        found[number] = m
        last = m.start()
    # only a list of the sections: the report's own headings are of another form, for a later pass (four
    # at least: a section with a table between two others, and too short to hold it)
    return {} if len(found) >= _LISTED_ALONE and _listed(found) else found


def _listed(found: dict[int, re.Match[str]]) -> bool:
    """Whether the headings found so far are a list of the sections, each right after the one before."""
    if len(found) < _LISTED_MIN:
        return False
    heads = list(found.values())  # in the order found, which is their order in the text
    return all(b.start() - a.end() <= _LISTED_GAP for a, b in pairwise(heads))


_APPLICATIONS_WORDS = "收到和处理政府信息公开申请"  # the words of section 三's heading as the template prints them


def heading_again(folded: str, sections: Sequence[SectionSpan], index: LineIndex) -> tuple[int, int] | None:
    """The line and column of section 三's heading printed again after the sections that follow it
    (another report after this one, or the report twice over), or None. A substring search first, the
    heading's pattern only where its words are found."""
    after = next((s.body_start for s in sections if s.number > 3), None)
    if after is None:
        return None
    at = folded.find(_APPLICATIONS_WORDS, after)
    while at >= 0:
        m = _SECTION_RE.search(folded, max(after, at - 8), at + len(_APPLICATIONS_WORDS) + 8)
        if m is not None and m.lastgroup == "s3":
            return index.position(m.start())
        at = folded.find(_APPLICATIONS_WORDS, at + 1)
    return None


# Site chrome that follows a report on an agency's page: the report ends before it.
_CHROME = re.compile(
    r"^[ 	]*(?:附件(?:下载)?[:：]?|扫一扫|【?打印本页】?|【?关闭窗口】?|友情链接|版权所有|主办单位|承办单位|网站标识码|"
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备|上一篇|下一篇|相关(?:链接|文章|阅读)|分享到)",
    re.M,
)


def _report_end(folded: str, start: int) -> int:
    """Where the last section ends: at the first line of site chrome after it, else the text's end."""
    m = _CHROME.search(folded, start)
    return m.start() if m else len(folded)


class Kind(enum.Enum):
    """What an item of a table line is."""

    TEXT = "text"
    NUMBER = "number"
    MARK = "mark"  # "/", "—", "-", "无": a cell printed as blank
    EMPTY = "empty"  # an empty cell in a layout that keeps cells (tabs, pipes)


# In a shape (below) an item's kind is one of these small ints, not a Kind: a tuple of strings, ints and
# bools is untracked by the garbage collector once it survives a collection, and the shape caches hold
# tens of thousands of tuples that the collector would otherwise go through at every full collection.
# Label text is _TEXT when it has a word (a CJK character or a Latin letter) and _PUNCT when it has
# none ("-", "：", "(1)"): punctuation alone names no row, and the scan tells which once per text.
_TEXT, _NUMBER, _MARK, _EMPTY, _PUNCT = 0, 1, 2, 3, 4
#: The Kind of each kind code, by code.
_KIND_OF = (Kind.TEXT, Kind.NUMBER, Kind.MARK, Kind.EMPTY, Kind.TEXT)
_CODE_OF = {kind: code for code, kind in enumerate(_KIND_OF[:4])}


def _has_word(text: str) -> bool:
    """True when ``text`` holds a CJK character (U+3400–U+9FFF) or a Latin letter.

    A character test, not a regular expression: a character class with the CJK range costs ~5 ms to
    compile (the compiler walks every code point of the range), at every start."""
    for c in text:
        if "\u3400" <= c <= "\u9fff" or "a" <= c <= "z" or "A" <= c <= "Z":
            return True
    return False


def _text_code(text: str) -> int:
    """The kind code of label text: _TEXT or _PUNCT. A row's number alone ("8.", "8、") is text: it
    starts the row's label, when the rest of the label wraps below the row's values."""
    return _TEXT if _has_word(text) or _ROW_NUMBER.fullmatch(text) else _PUNCT


_ROW_NUMBER = re.compile(r"\d{1,2}[.、]")


class Item(NamedTuple):
    """One piece of a table line: its kind, folded text, source text and 1-based position.

    ``glued`` marks a number that touches label text with no separator (text flattened from a
    web page): it may hold several cells' digits.

    Items are made by the hundred per report: a named tuple, which the layout makes in one call of
    ``tuple.__new__`` (no Python frame), and which placement unpacks instead of reading field by field.
    """

    kind: Kind
    text: str
    raw: str
    line: int
    column: int
    glued: bool = False


#: ``_new_item(Item, (kind, text, raw, line, column, glued))``: an Item without the call of its
#: ``__new__`` (a Python function that makes the same tuple).
_new_item = tuple.__new__


class _RawRowFields(NamedTuple):
    label: str
    cells: tuple[Item, ...]
    line: int
    column: int
    positional: bool
    values: tuple[Item, ...]
    glued: bool


class RawRow(_RawRowFields):
    """A run of label text and the values after it, as the layout gives them.

    ``values`` are the cells that hold something (numbers and blank marks); ``glued`` is True when a
    cell holds a number glued to others (:attr:`Item.glued`). Both are worked out as the row is made
    (:func:`build_rows` knows them as it reads the cells, and makes the row in one call of
    ``tuple.__new__``). Rows compare and hash by value.
    """

    __slots__ = ()

    def __new__(cls, label: str, cells: tuple[Item, ...], line: int, column: int, positional: bool) -> RawRow:
        number, mark = Kind.NUMBER, Kind.MARK
        values = tuple([c for c in cells if c.kind is number or c.kind is mark])
        return _new_row(cls, (label, cells, line, column, positional, values, any(c.glued for c in cells)))


_new_row = tuple.__new__


# A whole cell that is a number: digits (with thousands separators: "1,234", never "1,23"), an optional
# sign, unit and note (of _CELL_NOTE characters at most: "(含服务)").
_CELL_NOTE = 30
_NUMBER_CELL = re.compile(rf"[-+]?{DIGITS}\s*(?:万元|万|元|件|个|项|次|条)?\s*(?:\([^()]{{0,{_CELL_NOTE}}}\))?")
# A whole cell that says it holds no number: dashes, slashes, 无, 空, and the words agencies write for
# "none" or "not applicable" (a blank: its value is unknown, its text kept).
_MARK_CELL = re.compile(
    r"[-—–/\\_~]+|无|空|——|暂无|无数据|无此项|不适用|未涉及|不涉及|未统计|空白|\((?:空|无)\)|[Nn]/?[Aa]"
)
# A whole cell (or a whole line) that is a number written otherwise (text.parse_number reads it): the
# Chinese word for zero (零, 〇), or a number after a dash, which typeset text and input methods put for
# a minus ("—3"). Among the chunks of a line, only the word for zero.
_OTHER_NUMBER_CELL = re.compile(rf"[{ZERO_WORDS}]|[{DASH_SIGNS}]{DIGITS}")


_UNITS = frozenset({"万元", "万", "元"})  # a unit written apart from its number: "85.64 万"
_LEADING_ZERO = re.compile(r"0\d+")
# Pieces of a cell that is not a whole number: parenthesised text, numbering, numbers, text.
_PIECE = re.compile(
    r"(?P<paren>\([^()]{0,80}\))"
    r"|(?P<num>-?\d+(?:\.\d+)?)(?P<unit>万元|万|元)?"  # a sign glued to digits is the number's: "8-500"
    r"|(?P<text>[^\d(]+|\()"
)
# Parentheses that number a label ("(三)不予公开", "(1)"): not a note to the number before them.
_NUMBERING_PAREN = re.compile(r"\([一二三四五六七八九十\d]{1,3}\)")
_DATE_SUFFIX = "年月日号时期届批次位"  # "2020年", "保留4位小数": part of the text
_PROSE_MARKS = ("。", "；")
_FURNITURE = re.compile(
    r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}"
)


_SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")


def _is_separator(cells: Sequence[str]) -> bool:
    return all(_SEPARATOR_CELL.fullmatch(c) for c in cells if c.strip()) and any(c.strip() for c in cells)


# Scanning works on shapes: an item without its line, as (kind code, text, raw, column, glued) with the
# column counted from 0 at the start of the text scanned (a line, a cell, a chunk). scan_zone keeps the
# shapes of each line with the line's position (a Line); an Item is made from a shape when it is used.
_Shape = tuple[int, str, str, int, bool]  # the kind as its code: _TEXT, _NUMBER, _MARK, _EMPTY, _PUNCT
_Shapes = tuple[_Shape, ...]
# What a line is for telling a layout with one value per line (:func:`is_vertical`): a number alone on
# it, two numbers or more, or anything else. Worked out with its shapes, once per distinct line.
_OTHER, _ALONE, _ACROSS = 0, 1, 2
_LineScan = tuple[bool, _Shapes, int]  # whether the line keeps cells, its shapes, what it is (_ALONE, …)


def _line_class(shapes: _Shapes) -> int:
    """_ALONE, _ACROSS or _OTHER: what a line of these shapes is for :func:`is_vertical`."""
    number = _NUMBER
    if len(shapes) == 1:
        return _ALONE if shapes[0][0] is number else _OTHER
    numbers = 0
    for s in shapes:
        if s[0] is number:
            numbers += 1
            if numbers == 2:
                return _ACROSS
    return _OTHER


# Reports repeat the template's lines, labels and small numbers, within a report and from one report
# to the next: the shapes of a line, a cell and a chunk of label text are worked out once per distinct
# text (and source text) and kept in an LRU cache. The caches are bounded: at most _CACHE_SIZE
# entries each, of texts at most _MAX_CACHED_TEXT characters long; longer texts (a page flattened
# into one line) are scanned afresh each time.
_MAX_CACHED_TEXT = 200
_CACHE_SIZE = 4096

_R = TypeVar("_R")


def _cached_for_short_text(function: Callable[[str, str], _R]) -> Callable[[str, str], _R]:
    """``function(text, raw)``, cached for texts up to _MAX_CACHED_TEXT characters long.

    ``text`` is always ``fold(raw)`` (folding maps each character to one), so the cache is keyed by
    ``raw`` alone: one string to hash. Its ``cached(raw)`` is the cache itself, for callers that
    check the length themselves.
    """

    def of_raw(raw: str) -> _R:
        return function(fold(raw), raw)

    cached = functools.lru_cache(maxsize=_CACHE_SIZE)(of_raw)

    @functools.wraps(function)
    def scan(text: str, raw: str) -> _R:
        return cached(raw) if len(text) <= _MAX_CACHED_TEXT else function(text, raw)

    scan.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    scan.cache_info = cached.cache_info  # type: ignore[attr-defined]
    scan.cached = cached  # type: ignore[attr-defined]  # for a caller that checks the length itself
    scan.fresh = function  # type: ignore[attr-defined]
    return scan


@_cached_for_short_text
def _line_shapes(line: str, raw: str) -> _LineScan | None:
    """Whether a folded line keeps cells, the shapes of its items and what the line is (_ALONE, …); None
    for furniture and a line without items."""
    stripped = line.strip()
    if stripped:
        first = stripped[0]
        # page furniture (is_furniture, its first test inline)
        if first.isdigit():
            if stripped.isascii() and stripped.isdigit() and "\t" not in line:
                # a count alone on its line (one cell per line), as _scan_cell reads it: never furniture
                start = line.index(stripped)
                glued = len(stripped) > 1 and first == "0"
                return False, ((_NUMBER, stripped, raw[start : start + len(stripped)], start, glued),), _ALONE
            if _FURNITURE.fullmatch(stripped):
                return None
        elif first in _FURNITURE_START and _FURNITURE.fullmatch(stripped):
            return None
        # markdown: the cells between pipes (a separator line has none)
        if first == "|" and stripped.count("|") >= 2:
            start = line.index("|")
            parts = line[start + 1 :].split("|")
            if not parts[-1].strip():
                del parts[-1]
            if "--" in line and _is_separator(parts):  # a separator cell holds "--"
                return None
            return _positional_line(parts, start + 1, line, raw)
    elif "\t" not in line:
        return None  # a blank line
    if "\t" in line:  # the cells between tabs (a line of tabs alone: a row of empty cells)
        return _positional_line(line.split("\t"), 0, line, raw)
    shapes = _scan_cell(line, raw, False)  # the whole line is one cell
    return (False, shapes, _line_class(shapes)) if shapes else None


def _positional_line(cells: list[str], col: int, line: str, raw: str) -> _LineScan | None:
    """The shapes of a line of cells (``cells`` from column ``col`` on, one separator apart)."""
    empty, number = _EMPTY, _NUMBER
    same = line == raw  # nothing folded: a cell's source text is its text
    shapes: list[_Shape] = []
    append = shapes.append
    valued = False
    for cell in cells:
        size = len(cell)
        stripped = cell.strip()
        # the commonest cells, inline: empty, and a count in ASCII digits (as _scan_cell reads them)
        if not stripped:
            append((empty, "", "", col, False))
        elif stripped.isdigit() and stripped.isascii():
            valued = True
            if stripped is cell:
                append((number, cell, cell if same else raw[col : col + size], col, False))
            else:
                lead = cell.index(stripped)
                source = stripped if same else raw[col + lead : col + lead + len(stripped)]  # same place in the source
                append((number, stripped, source, col + lead, False))
        else:
            valued = True
            raw_cell = cell if same else raw[col : col + size]
            for k, t, r, c, g in _positional_cell(cell, raw_cell):
                append((k, t, r, c + col, g))
        col += size + 1
    # a line of empty cells is a blank row in a layout that keeps cells
    if valued or len(shapes) > 1:
        found = tuple(shapes)
        return True, found, _line_class(found)
    return None


@_cached_for_short_text
def _positional_cell(cell: str, raw: str) -> _Shapes:
    """The shapes of a cell of a layout that keeps cells: the template's labels, small numbers."""
    return _scan_cell(cell, raw, True)


def _scan_cell(cell: str, raw: str, positional: bool) -> _Shapes:
    """The shapes of the items of one cell (its folded and source text)."""
    stripped = cell.strip()
    if not stripped:
        return ((_EMPTY, "", "", 0, False),) if positional else ()
    lead = len(cell) - len(cell.lstrip())
    # the source of the same characters: folding keeps places, and turns a zero-width space (which
    # str.strip keeps) into a space
    source = raw[lead : lead + len(stripped)]
    if positional:
        if _NUMBER_CELL.fullmatch(stripped):
            return ((_NUMBER, stripped, source, lead, False),)
        if _MARK_CELL.fullmatch(stripped):
            return ((_MARK, stripped, source, lead, False),)
    if _OTHER_NUMBER_CELL.fullmatch(stripped):
        # a whole cell, or a whole line (one cell a line): "—3" here is a number, where inside a line of
        # cells glued together it may be a blank mark "—" before the next cell's digits
        return ((_NUMBER, stripped, source, lead, False),)
    number = _NUMBER
    shapes: list[_Shape] = []
    append = shapes.append
    index = cell.index
    end = 0
    for text in stripped.split():  # the chunks between spaces (str.split and \s agree on what a space is)
        start = index(text, end)
        end = start + len(text)
        src = raw[start:end]
        if text.isdigit() and text.isascii():
            # the common case, as _NUMBER_CELL reads it; a count never starts with 0: "0000000" is
            # seven cells run together
            append((number, text, src, start, len(text) > 1 and text[0] == "0"))
        elif text in _UNITS and shapes and shapes[-1][0] is number:
            kind, prev_text, prev_raw, col, glued = shapes[-1]
            shapes[-1] = (kind, prev_text + text, prev_raw + " " + src, col, glued)
        else:
            if text[0] in _DATE_SUFFIX and shapes and shapes[-1][0] is number:
                # "保留 4 位小数", "2020 年" (PDF text spaced the digits apart): the number is text
                _, prev_text, prev_raw, col, _ = shapes[-1]
                shapes[-1] = (_text_code(prev_text), prev_text, prev_raw, col, False)  # as an item of text reads
            for k, t, r, c, g in _scan_chunk(text, src):
                append((k, t, r, c + start, g))
    return tuple(shapes)


@_cached_for_short_text
def _scan_chunk(text: str, raw: str) -> _Shapes:
    """The shapes of a chunk with no spaces: a number, a blank mark, or label text and (glued) numbers."""
    if _NUMBER_CELL.fullmatch(text):
        # a count never starts with 0: "0000000" is seven cells run together
        return ((_NUMBER, text, raw, 0, bool(_LEADING_ZERO.fullmatch(text))),)
    if _MARK_CELL.fullmatch(text):
        return ((_MARK, text, raw, 0, False),)
    if len(text) == 1 and text in ZERO_WORDS:
        return ((_NUMBER, text, raw, 0, False),)
    shapes: list[_Shape] = []
    pending_text: list[tuple[str, str, int]] = []

    def flush() -> None:
        if pending_text:
            t = "".join(p[0] for p in pending_text)
            r = "".join(p[1] for p in pending_text)
            shapes.append((_text_code(t), t, r, pending_text[0][2], False))
            pending_text.clear()

    for m in _PIECE.finditer(text):
        s, e = m.span()
        if m.group("num") is None:
            if (
                m.group("paren") is not None
                and not pending_text
                and shapes
                and shapes[-1][0] is _NUMBER
                and shapes[-1][3] + len(shapes[-1][1]) == s
                and e - s <= _CELL_NOTE + 2
                and not _NUMBERING_PAREN.fullmatch(m.group())
            ):
                # a note right after a number is the number's, as in a cell of its own: "20(含服务)"; a
                # longer one is text (section 三's "(本列数据的勾稽关系为:…)" after a glued row)
                kind, number, number_raw, column, glued = shapes[-1]
                shapes[-1] = (kind, number + m.group(), number_raw + raw[s:e], column, glued)
                continue
            pending_text.append((m.group(), raw[s:e], s))
            continue
        digits = m.group("num")
        after = text[e : e + 1]
        after2 = text[e + 1 : e + 2]
        # "1.属于…", "1. 属于…" (the label after a space), "00000002.其他" (glued to the cells before)
        numbering = (
            m.group("unit") is None
            and after != ""
            and after in ".、"
            and (not after2 or "\u3400" <= after2 <= "\u9fff")
        )
        if (numbering and len(digits) <= 2 and s == 0) or (numbering and len(digits) == 1):
            pending_text.append((m.group(), raw[s:e], s))  # "1.属于国家秘密": numbering of a label
            continue
        if m.group("unit") is None and after and after in _DATE_SUFFIX:
            pending_text.append((m.group(), raw[s:e], s))  # "2020年": part of the text
            continue
        if numbering:
            # glued cells followed by the next label's number: "00000002.其他…"
            flush()
            shapes.append((_NUMBER, digits[:-1], raw[s : e - 1], s, True))
            pending_text.append((digits[-1], raw[e - 1 : e], e - 1))
            continue
        flush()
        glued = s > 0 or e < len(text)
        shapes.append((_NUMBER, m.group(), raw[s:e], s, glued))
    flush()
    return tuple(shapes)


# The first character of a line of page furniture: a dash, "第" or a digit (``str.isdigit`` holds
# for every character ``\d`` matches). Most lines fail this test and skip the regex.
_FURNITURE_START = "-—–第"
_NOTE_STARTS = ("注:", "(注", "注：")


def is_furniture(line: str) -> bool:
    """True for page furniture alone on a line: "- 4 -", "第 4 页 共 5 页", "4/5"."""
    s = line.strip()
    return bool(s) and (s[0] in _FURNITURE_START or s[0].isdigit()) and bool(_FURNITURE.fullmatch(s))


def is_prose(line: str) -> bool:
    """True for a line of sentences inside a table section (a note under a table, say)."""
    s = line.strip()
    for mark in _PROSE_MARKS:
        if mark in s:
            return True
    return s.startswith(_NOTE_STARTS)


class Line:
    """The items of one line of a table section; ``positional`` when its layout keeps cells.

    Lines compare and hash by value. :func:`scan_zone` makes its lines from the shapes of their items
    and their position, and makes the items on first use: :func:`build_rows` reads the shapes and makes
    only the items its rows keep as cells (no label text, no empty cell before a label).
    """

    __slots__ = ("_column", "_items", "_line", "_shapes", "positional")

    _items: tuple[Item, ...] | None
    _shapes: _Shapes
    _line: int
    _column: int
    positional: bool

    def __init__(self, items: tuple[Item, ...], positional: bool) -> None:
        line = items[0].line if items else 0
        if any(i.line != line for i in items):
            raise ValueError("the items of a line stand on that line")
        self._items = items
        self._shapes = tuple(
            [
                (_text_code(i.text) if i.kind is Kind.TEXT else _CODE_OF[i.kind], i.text, i.raw, i.column, i.glued)
                for i in items
            ]
        )
        self._line = line
        self._column = 0
        self.positional = positional

    @property
    def items(self) -> tuple[Item, ...]:
        """The items of the line, in order."""
        items = self._items
        if items is None:
            line, column = self._line, self._column
            kind, item, new = _KIND_OF, Item, _new_item
            items = self._items = tuple(
                [new(item, (kind[k], t, r, line, c + column, g)) for k, t, r, c, g in self._shapes]
            )
        return items

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return self.positional == other.positional and self.items == other.items

    def __hash__(self) -> int:
        return hash((self.items, self.positional))

    def __repr__(self) -> str:
        return f"Line(items={self.items!r}, positional={self.positional!r})"


class _ScannedLine(Line):
    """A line as :func:`scan_zone` finds it: the shapes of its items, their line and the column of its start."""

    __slots__ = ()

    def __init__(self, shapes: _Shapes, positional: bool, line: int, column: int) -> None:
        self._items = None
        self._shapes = shapes
        self._line = line
        self._column = column
        self.positional = positional


# A line as the parser's stages pass it on, without a Line object: ``((positional, shapes, class), line, column)``.
_Scanned = tuple[_LineScan, int, int]


def scan_zone(text: str, folded: str, start: int, end: int, index: LineIndex) -> list[Line]:
    """The items of each line of ``text[start:end]`` (a table section), lines without items left out.

    ``index`` is the :class:`LineIndex` of ``folded`` (``fold(text)``).
    """
    return [
        _ScannedLine(shapes, positional, n, column)
        for (positional, shapes, _), n, column in _scan(text, folded, start, end, index)
    ]


def zone_rows(text: str, folded: str, start: int, end: int, index: LineIndex) -> list[RawRow]:
    """``build_rows(scan_zone(text, folded, start, end, index))``: the rows of a table section."""
    return _rows(_scan(text, folded, start, end, index))


def _scan(text: str, folded: str, start: int, end: int, index: LineIndex) -> list[_Scanned]:
    """:func:`scan_zone`, each line as a :data:`_Scanned` tuple."""
    lines: list[_Scanned] = []
    append = lines.append
    # Folding keeps every character in place and "\n" as it is: the folded and the source lines
    # split alike. Only the first line may start mid-line (after a heading inline); the others
    # start at column 1 of the next line.
    zone = folded[start:end]
    folded_lines = zone.split("\n")
    raw_lines = text[start:end].split("\n")
    if len(folded_lines) != len(raw_lines):
        raise ValueError("the folded text does not split into lines as the text does")
    line_no, column = index.position(start)
    if not folded_lines[0]:
        column = 1
    # the shapes of each line, cached by its source text when no line is too long to cache
    cached = max(map(len, folded_lines)) <= _MAX_CACHED_TEXT
    of_raw, shapes_of = _line_shapes.cached, _line_shapes  # type: ignore[attr-defined]
    # Empty lines are passed over without a look; a line of spaces has no items (_line_shapes), but a
    # line of tabs alone is a row of empty cells (tables read from HTML, DOCX or TSV keep them). Only
    # a line with a prose mark or "注" can be prose (and tables seldom have any).
    marks = "。" in zone or "；" in zone or "注" in zone
    for n, line_text, raw_line in compress(zip(count(line_no), folded_lines, raw_lines), folded_lines):
        if not (marks and ("。" in line_text or "；" in line_text or "注" in line_text) and is_prose(line_text)):
            shapes = of_raw(raw_line) if cached else shapes_of(line_text, raw_line)  # None for page furniture
            if shapes is not None:
                append((shapes, n, column))
        column = 1
    return lines


def is_vertical(lines: Sequence[Line]) -> bool:
    """True when the values stand one per line (a page scraped one cell per line)."""
    return _is_vertical([_line_class(ln._shapes) for ln in lines])


def _is_vertical(classes: list[int]) -> bool:
    """:func:`is_vertical` of lines given by what they are (:func:`_line_class`): more lines with a
    number alone than with two numbers or more, and three at least."""
    alone = classes.count(_ALONE)
    return alone >= 3 and alone > classes.count(_ACROSS)


_SPACES = re.compile(r"\s+")


def build_rows(lines: Sequence[Line]) -> list[RawRow]:
    """Group the items of a table section into rows of label text and values.

    A row is a run of label text followed by the values after it. Across a line break a row goes on
    while it has no values yet (a label wrapped over lines); in tables printed across, a line that
    starts with values after a row that has some starts a new row whose label was lost. Empty cells
    before a label stand in label columns and are dropped; empty cells after it are kept, in place.
    """
    return _rows([((ln.positional, ln._shapes, _line_class(ln._shapes)), ln._line, ln._column) for ln in lines])


def _rows(lines: Sequence[_Scanned]) -> list[RawRow]:
    """:func:`build_rows` of lines given as :data:`_Scanned` tuples."""
    text_kind, punct, empty, kind_of = _TEXT, _PUNCT, _EMPTY, _KIND_OF
    spaces, item, new, raw_row, new_row = _SPACES.sub, Item, _new_item, RawRow, _new_row
    vertical = _is_vertical([scan[2] for scan, _, _ in lines])
    rows: list[RawRow] = []
    # the row being read: its label (the text of each label item), where the label starts, its cells and
    # those of them that hold a number or a mark (its values, kept up to date); the lists are reused
    label: list[str] = []
    label_line = label_column = 0
    cells: list[Item] = []
    values: list[Item] = []
    positional = False
    glued = False  # whether a cell of the row is glued

    def close() -> None:
        nonlocal glued
        # a label-less line of empty cells is kept in a layout that keeps cells: a blank row (section 四)
        if label or values or (positional and len(cells) > 1):
            if label:
                line, column = label_line, label_column
                text = label[0] if len(label) == 1 else "".join(label)
                if " " in text or not text.isprintable():  # every space but " " is unprintable
                    text = spaces("", text)
                label.clear()
            else:
                first = values[0] if values else cells[0]
                line, column, text = first.line, first.column, ""
            kept = tuple(cells)
            # the values and whether a cell is glued are known here: not worked out again
            row = new_row(
                raw_row,
                (text, kept, line, column, positional, kept if len(values) == len(kept) else tuple(values), glued),
            )
            rows.append(row)
        cells.clear()
        values.clear()
        glued = False

    # The shapes of each line's items: the items of cells are made here, those of labels never.
    for (keeps_cells, shapes, _), at, shift in lines:
        if keeps_cells and label and not cells and len(shapes) > 1 and all(s[0] is empty for s in shapes):
            close()  # a line of empty cells under a label-only line is a blank row of its own (section 四)
        for kind, text, raw, column, glued_cell in shapes:
            if kind is text_kind:
                if values:
                    close()
                elif cells:
                    cells.clear()  # empty cells before a label stand in label columns
                if not label:
                    label_line, label_column = at, column + shift
                label.append(text)
            elif kind is not punct:  # punctuation alone ("-", "：") names no row: it must not start one
                if not values:
                    positional = keeps_cells
                cell = new(item, (kind_of[kind], text, raw, at, column + shift, glued_cell))
                glued = glued or glued_cell
                cells.append(cell)
                if kind is not empty:
                    values.append(cell)
        if not vertical and (values or (keeps_cells and cells)):
            close()  # in a layout that keeps cells, trailing empty cells end a (blank) row
    close()
    return rows
