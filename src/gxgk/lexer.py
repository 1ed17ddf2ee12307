"""The lexer: name each row of a table section by the terminals of the edition grammars.

The label patterns are the terminals of the grammars (``grammars/terms.lark`` and any edition's
own), so the vocabulary of an edition lives in its grammar. A terminal's name tells its role:
``R<n>_`` a row label of section n, ``G<n>_`` a group label, ``C<n>_`` a column heading, ``I<n>_``
an item caption; ``ROW`` is a row whose label was lost or is unknown. One token per row reaches
the parser; its value is a :class:`Payload` holding the row's cells.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import NamedTuple

from lark import Token
from lark.lexer import Lexer

from gxgk.layout import Item, Kind, RawRow

__all__ = ["ROW", "Payload", "TokenStreamLexer", "Vocabulary", "canonical", "tokens_for_section"]

ROW = "ROW"
_ROLE = re.compile(r"(?P<role>[RGCI])(?P<section>\d)_")


def canonical(name: str) -> str:
    """A terminal's name without the namespace Lark gives imported terminals (``gxgk_2019__X``)."""
    return name.rsplit("__", 1)[-1]


class _PayloadFields(NamedTuple):
    label: str
    row: RawRow | None
    line: int
    column: int
    missing: bool
    has_values: bool


class Payload(_PayloadFields):
    """What a token carries: the label it stands for and the row whose values follow it.

    ``row`` is None for a label alone (a heading, a group label); ``missing`` marks a row the
    parser inserted because the document lacks it; ``has_values`` is True when the row carries at
    least one number or blank mark (worked out as the payload is made).

    Payloads are made once per token: a named tuple, which the lexer makes in one call of
    ``tuple.__new__``. They compare and hash by value.
    """

    __slots__ = ()

    def __new__(cls, label: str, row: RawRow | None, line: int, column: int, missing: bool = False) -> Payload:
        return _new_payload(cls, (label, row, line, column, missing, row is not None and bool(row.values)))

    def __str__(self) -> str:
        return self.label


_new_payload = tuple.__new__


class TokenStreamLexer(Lexer):
    """A Lark lexer that hands over tokens gxgk has already made (the parser's input is a list)."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, lexer_state: object, parser_state: object) -> Iterable[Token]:
        yield from lexer_state.text  # type: ignore[attr-defined]


class _Pattern(NamedTuple):
    name: str
    regex: str
    priority: int


# Reports repeat the template's labels: what a label holds is searched for once per (section, label)
# and kept in a bounded LRU cache of each Vocabulary (labels longer than this are searched each time).
_MAX_CACHED_LABEL = 200
_CACHE_SIZE = 4096
# A row label broken across two rows is looked for this many characters either side of the break
# (the template's longest row label is about twenty).
_ACROSS = 48


class Vocabulary:
    """The label patterns of every section, compiled into one expression per section."""

    __slots__ = ("_cached_completion", "_cached_search", "_res")

    def __init__(self, terminals: Iterable[tuple[str, str, int]]) -> None:
        by_section: dict[int, dict[str, _Pattern]] = {}
        for name, regex, priority in terminals:
            name = canonical(name)
            m = _ROLE.match(name)
            if not m:
                continue
            by_section.setdefault(int(m.group("section")), {}).setdefault(name, _Pattern(name, regex, priority))
        self._res: dict[int, re.Pattern[str]] = {}
        for section, patterns in by_section.items():
            ordered = sorted(patterns.values(), key=lambda p: (-p.priority, -len(p.regex)))
            self._res[section] = re.compile("|".join(f"(?P<{p.name}>{p.regex})" for p in ordered))
        self._cached_search = functools.lru_cache(maxsize=_CACHE_SIZE)(self._search)
        self._cached_completion = functools.lru_cache(maxsize=_CACHE_SIZE)(self._completion)

    def find(self, section: int, label: str) -> tuple[tuple[str, str], ...]:
        """The terminals found in a label run, in order, as ``(name, matched text)``.

        Repeats of one terminal in a row (a label and its wrapped continuation) count once. The answer
        is a tuple: the cached answer itself, which no caller can change.
        """
        if len(label) > _MAX_CACHED_LABEL:
            return self._search(section, label)
        return self._cached_search(section, label)

    def completion(self, section: int, before: str, after: str, *, numbered: bool = False) -> int:
        """How much of ``after`` completes a row label that ``before`` breaks off.

        The first row label found across the two that starts in ``before`` and ends in ``after``
        (``"1.申请人无正"`` + ``"当理由逾期不补正…"``) gives the length of the start of ``after``
        it takes; 0 when no row label runs across. With ``numbered`` (``before`` is a row's number
        alone, ``"(六)"``), a row label that starts ``after`` completes it too. Only the ends that
        meet are searched.
        """
        # the ends that meet repeat from report to report (the template's labels): cached as labels are
        return self._cached_completion(section, before[-_ACROSS:], after[:_ACROSS], numbered)

    def _completion(self, section: int, head: str, tail: str, numbered: bool) -> int:
        regex = self._res.get(section)
        if regex is None:
            return 0
        cut = len(head)
        for m in regex.finditer(head + tail):
            if m.end() <= cut:
                continue
            if (m.start() < cut or (numbered and m.start() == cut)) and _role(m.lastgroup or "") == "R":
                return m.end() - cut
            break
        return 0

    def _search(self, section: int, label: str) -> tuple[tuple[str, str], ...]:
        regex = self._res.get(section)
        if regex is None or not label:
            return ()
        out: list[tuple[str, str]] = []
        for m in regex.finditer(label):
            name = m.lastgroup or ""
            if out and out[-1][0] == name:
                continue
            out.append((name, m.group()))
        return tuple(out)


@functools.lru_cache(maxsize=1024)  # a few hundred terminal names
def _role(name: str) -> str:
    return name[0] if _ROLE.match(name) else ""


# One token per row and label, made as ``Token(type, Payload(...), None, line, column)`` makes it. Lark's
# constructor (``Token.__new__`` checking for deprecated keywords, then ``Token._future_new``) costs
# two Python calls and a call of ``Payload.__str__`` per token; with the slots of the Lark installed
# being the ones known here, _token makes the same token in place (tests/test_layout_caches.py checks it).
_TOKEN_SLOTS = ("type", "start_pos", "value", "line", "column", "end_line", "end_column", "end_pos")
_str_new = str.__new__


#: Whether the Lark installed has the token slots known here (then tokens are made in place).
_FAST_TOKENS = getattr(Token, "__slots__", None) == _TOKEN_SLOTS


def _token(name: str, label: str, row: RawRow | None, where: Item | RawRow | None) -> Token:
    """The token ``name`` of a label or a row, at ``where`` (the row)."""
    line = where.line if where is not None else 0
    column = where.column if where is not None else 0
    # Payload(label, row, line, column), without the call of its __new__
    payload = _new_payload(Payload, (label, row, line, column, False, row is not None and bool(row.values)))
    if not _FAST_TOKENS:
        # positional arguments: (type, value, start_pos, line, column)
        return Token(name, payload, None, line, column)  # type: ignore[arg-type]
    token = _str_new(Token, label)  # str(payload) is its label
    token.type = name
    token.start_pos = None
    token.value = payload
    token.line = line
    token.column = column
    token.end_line = None
    token.end_column = None
    token.end_pos = None
    return token


# Section 三 opens with its column headings (自然人 … 其他 | 总计): its row labels start at the
# first label that is not also a heading word.
_HEADING_WORDS_3 = frozenset({"R3_TOTAL", "R3_OTHER_OTHER"})


def tokens_for_section(section: int, rows: Sequence[RawRow], vocabulary: Vocabulary) -> list[Token]:
    """The parser tokens of one table section (2, 3 or 4)."""
    if section == 4:
        return _tokens_appeals(rows, vocabulary)
    tokens: list[Token] = []
    started = section != 3
    for row, found in _rejoin_wrapped_labels(section, rows, vocabulary):
        if not started:
            first = next((i for i, (n, _) in enumerate(found) if n.startswith("R") and n not in _HEADING_WORDS_3), None)
            if first is None:
                if not row.values:
                    continue
                found = ()  # values under the headings with no row label: the first row, label lost
            else:
                found = found[first:]
            started = True
        if found:
            if row.values and _role(found[-1][0]) == "G":
                found = _group_label_inside(found)
            for name, text in found[:-1]:
                tokens.append(_token(name, text, None, row))
            name, text = found[-1]
            if _role(name) == "R":
                tokens.append(_token(name, text, row, row))
                continue
            tokens.append(_token(name, text, None, row))
        if row.values:  # the row's values, its label lost, unknown or a heading's
            tokens.append(_token(ROW, "", row, row))
    return tokens


def _group_label_inside(found: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``found`` with the group labels read inside a row's label put before that row.

    A group's merged cell, centred beside its rows, prints its label on the line of the row at its
    middle; PDF text read line by line puts it inside that row's wrapped label ("1. 信访举报投" /
    "(五) 不予处理 0 0 0" / "诉类申请"), after the row's name and before its values. Group labels
    never hold values: the row named before them does.
    """
    k = len(found) - 1
    while k >= 0 and _role(found[k][0]) == "G":
        k -= 1
    if k < 0 or _role(found[k][0]) != "R":
        return found
    return (*found[:k], *found[k + 1 :], found[k])


# Words that are also blank marks (layout._MARK_CELL): a label wrapped right after one reads as a row
# holding a blank mark.
_MARK_WORDS = frozenset({"无", "空"})
_MARK = Kind.MARK


def _rejoin_wrapped_labels(
    section: int, rows: Sequence[RawRow], vocabulary: Vocabulary
) -> Iterator[tuple[RawRow, tuple[tuple[str, str], ...]]]:
    """``rows``, with the labels that PDF text wrapped after the row's values joined up again, each
    with what its label holds (:meth:`Vocabulary.find`).

    A table cell's label wraps in a narrow column, and text read line by line puts the row's values
    on the line where they stand: after the whole label (cells aligned at the bottom), inside it
    (centred), or on its first line (aligned at the top, Word's default). The layout reads a label
    up to the row's values; the rest of it, on the lines below, reads as the start of the next
    row's label. Two cases are joined up again:

    - a row whose label does not end in a label of the template (or ends in one as short as "其他",
      which starts longer ones), when a row label runs across into the next row's label:
      ``"1.申请人无正" 2 0 0`` then ``"当理由逾期不补正…申请" "2.申请人逾期" 0 0 0``. The row takes
      the next label's start up to the end of the label found across; what is left stays the next
      row's label (a row of empty cells left without a label is dropped). A row labelled with its
      number alone after what its label names (``"(六)" 0 0 0`` then ``"其他处理"``) takes a row
      label that starts the next label;
    - a row whose last value is a word that is also a blank mark (无, 空), in a layout that does not
      keep cells, when the word and the next label start a label of the template: "4．无\n正当理由大量
      反复申请" reads as a row "4．" holding the mark "无", and one cell a line, "出版物", 0 … 0, "4.",
      "无", "正当理由大量反复申请" gives the row before an eighth value. The word goes back to the label.
    """
    find = vocabulary.find
    pending: RawRow | None = None  # the row after the one at hand, its label's start taken
    # each row with the one after it (_NO_ROW after the last; with no rows, the loop has nothing to do)
    for row, nxt in zip(rows, chain(islice(rows, 1, None), (_NO_ROW,)), strict=False):
        if pending is not None:
            row, pending = pending, None
            if row is _NO_ROW:
                continue
        label = row.label
        found = find(section, label)
        if not (nxt.label and row.values):
            yield row, found
            continue
        first, last = row.cells[0], row.cells[-1]
        if last.kind is _MARK and last.text in _MARK_WORDS and not row.positional:
            # the word that starts the next label, read as the row's last value ("无" of "4.无正当理由…")
            word_label = last.text + nxt.label
            if _starts_label(find(section, word_label), word_label):
                row = RawRow(label, row.cells[:-1], row.line, row.column, row.positional)
                nxt = pending = RawRow(word_label, nxt.cells, last.line, last.column, nxt.positional)
                if not row.values:
                    yield row, found
                    continue
        elif first.kind is _MARK and first.text in _MARK_WORDS and not row.positional:
            # the label's last word before the values of a row whose label wraps below them ("4. 无 3 0 0"
            # then "正当理由大量反复申请"): it goes back to the label, which the next one completes
            word_label = first.text + nxt.label
            if _starts_label(find(section, word_label), word_label):
                label = label + first.text
                row = RawRow(label, row.cells[1:], row.line, row.column, row.positional)
                found = find(section, label)
        if not found or len(found[-1][1]) <= _SHORT_LABEL or not label.endswith(found[-1][1]):
            # the label after the last it names: a row's number alone, "(一)" after "本年度办理结果"
            tail = label[label.rindex(found[-1][1]) + len(found[-1][1]) :] if found else label
            numbered = _NUMBER_ALONE.fullmatch(tail) is not None
            taken = vocabulary.completion(section, label, nxt.label, numbered=numbered)
            if taken:
                label = row.label + nxt.label[:taken]
                yield RawRow(label, row.cells, row.line, row.column, row.positional), find(section, label)
                rest = nxt.label[taken:]
                pending = (
                    RawRow(rest, nxt.cells, nxt.line, nxt.column, nxt.positional) if rest or nxt.values else _NO_ROW
                )
                continue
        yield row, found


def _starts_label(found: tuple[tuple[str, str], ...], text: str) -> bool:
    """Whether ``text`` starts with a row or group label (``found`` is what it holds)."""
    return bool(found) and _role(found[0][0]) in ("R", "G") and text.startswith(found[0][1])


# A row's number alone, as folded ("(六)", "四、", "2."): the label wrapped right after it.
_NUMBER_ALONE = re.compile(r"\s*\(?[一二三四五六七八九十\d]{1,3}\)?[、.,]?\s*")
# A label this short ("其他", "总计") may be the start of a longer one ("其他法律行政法规禁止公开").
_SHORT_LABEL = 2
# No row: the one after the last, and a row all of whose label the row before took.
_NO_ROW = RawRow("", (), 0, 0, False)


def _tokens_appeals(rows: Sequence[RawRow], vocabulary: Vocabulary) -> list[Token]:
    """Section 四: headings, then one row of every value in order (one line or three, across or down)."""
    tokens: list[Token] = []
    cells: list[Item] = []
    positional = True
    first: RawRow | None = None
    for row in rows:
        for name, text in vocabulary.find(4, row.label):
            if not cells:
                tokens.append(_token(name, text, None, row))
        if row.values or (row.positional and row.cells and not row.label):
            first = first or row
            positional = positional and row.positional
            cells.extend(c for c in row.cells if c.kind is not Kind.EMPTY or row.positional)
    if first is not None:
        merged = RawRow("", tuple(cells), first.line, first.column, positional)
        tokens.append(_token(ROW, "", merged, first))
    return tokens
