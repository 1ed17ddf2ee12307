"""The parser: from text to a :class:`~gxgk.records.Report`.

Reading sources → layout normalisation (:mod:`gxgk.layout`) → tokens (:mod:`gxgk.lexer`) → each
table parsed by the LALR grammar of every installed edition, with error recovery → the best reading
per table → cells placed (:mod:`gxgk.placement`) → records structured by the cattrs converter.

Error recovery: when the document lacks a row the grammar expects, an empty row is inserted (its
cells stay unknown, a ``missing-row`` diagnostic names them); a stray label with no values is dropped;
a stray row with values is dropped with an ``unplaced-row`` diagnostic. Each of these costs the
edition a point, and the cheapest edition reads the table: that is edition detection.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import attrs
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput
from lark.parsers.lalr_analysis import Shift

from gxgk import editions as _editions
from gxgk.editions import Edition
from gxgk.errors import NotAReportError
from gxgk.glue import resolve as resolve_glued
from gxgk.layout import SECTION_TITLES, TABLE_OF_SECTION, LineIndex, find_sections, heading_again, zone_rows
from gxgk.lexer import ROW, Payload, canonical, tokens_for_section
from gxgk.meta import read_meta
from gxgk.placement import Missing, TablePlacement, TablePlan, place_deferred, place_table, plan_table
from gxgk.records import Diagnostic, Prose, Report, Section
from gxgk.text import fold

__all__ = ["parse_text"]

_NOT_PLACED = TablePlacement({}, (), 1 << 40)  # stands for a reading that cannot win (see parse_text)
_MAX_INSERTED = 40


class TableReading(NamedTuple):
    """One edition's reading of one table: where its rows go, what recovery did and what that cost.

    ``plan`` is None when the edition's grammar could not read the table at all.
    """

    edition: Edition
    plan: TablePlan | None
    cost: int
    diagnostics: tuple[Diagnostic, ...]


def _aliases(edition: Edition) -> dict[str, tuple[str, ...]]:
    key = (edition.name, id(edition.parser))  # an edition registered again under a name gets its own
    table = _ALIASES.get(key)
    if table is None:
        names: dict[str, list[str]] = {}
        states = edition.parser.parser.parser.parser.parse_table.states
        for state in states.values():
            for terminal in state:  # not "key": that names the cache entry stored below
                if isinstance(terminal, str) and terminal != "$END":
                    canon = canonical(terminal)
                    if canon != terminal.lower() and terminal not in names.setdefault(canon, []):
                        names[canon].append(terminal)
        table = {k: tuple(v) for k, v in names.items()}
        _ALIASES[key] = table
    return table


_ALIASES: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}


def _missing(name: str, before: int | None, where: Token | None) -> Token:
    """A missing row's token: its value tells which input token it stands before (None: the table's end)."""
    line = where.line if where is not None else 0
    col = where.column if where is not None else 0
    return Token(name, Missing(before), line=line, column=col)  # type: ignore[arg-type]


_ROW_PROBE = Token(ROW, "")  # asks whether a (missing) row could stand next: feedable reads only the type


class _Trial:
    """A trial continuation of an interactive parser that moves only its LALR state stack.

    Recovery tries inserting missing rows before a token; copying the parser for that deep-copies
    its parse trees, which cost more than the rest of the parse. The trial follows the parse
    table's shifts and reductions without building trees or tokens; when it succeeds, the missing
    rows (:meth:`tokens`) are fed to the parser itself. A row the table refuses is replayed on a real
    copy to raise Lark's error.
    """

    __slots__ = ("before", "fed", "ip", "stack", "states", "where")

    def __init__(self, ip: Any, before: int, where: Token) -> None:
        self.ip = ip
        self.before = before
        self.where = where
        self.states = ip.parser_state.parse_conf.states
        self.stack = list(ip.parser_state.state_stack)
        self.fed: list[str] = []

    def choices(self) -> Any:
        return self.states[self.stack[-1]]

    def tokens(self) -> list[Token]:
        """The missing rows fed so far, as tokens at the position of the token they stand before."""
        return [_missing(name, self.before, self.where) for name in self.fed]

    def feed_missing(self, name: str) -> None:
        """Feed a missing row under the terminal ``name``."""
        stack, states = self.stack, self.states
        try:
            while True:
                action, arg = states[stack[-1]][name]
                if action is Shift:
                    stack.append(arg)
                    break
                size = len(arg.expansion)
                if size:
                    del stack[-size:]
                _, goto = states[stack[-1]][arg.origin.name]
                stack.append(goto)
        except KeyError:
            real = self.ip.copy()
            for token in self.tokens():
                real.feed_token(token)
            real.feed_token(_missing(name, self.before, self.where))  # raises UnexpectedToken
            raise
        self.fed.append(name)


def _stack(state: Any) -> list[int]:
    return state.stack if isinstance(state, _Trial) else state.parser_state.state_stack


def _accepts(states: Any, stack: Sequence[int], name: str) -> bool:
    """True when the parse table, from ``stack``, shifts the terminal ``name`` after its reductions."""
    stack = list(stack)
    while True:
        action_arg = states[stack[-1]].get(name)
        if action_arg is None:
            return False
        action, arg = action_arg
        if action is Shift:
            return True
        size = len(arg.expansion)
        if size:
            del stack[-size:]
        goto = states[stack[-1]].get(arg.origin.name)
        if goto is None:
            return False
        stack.append(goto[1])


# A table's reading depends only on its tokens' terminals and on which of them carry values: reports
# follow the template, so a few hundred such signatures cover most of them. Each edition's reading of
# a signature is worked out once (the LALR parse with recovery, then the tree turned into a
# TablePlan) and replayed on the tokens of every later table with the same signature.
_MAX_MEMO = 2048
_Shape = tuple[tuple[str, ...], int]
_MEMO: dict[tuple[str, str, int, _Shape], tuple[int, TablePlan | None, tuple[int, ...]]] = {}


def _token_shape(tokens: Sequence[Token]) -> _Shape:
    """What a table's reading depends on: its tokens' terminals, and which of them carry values (bits)."""
    valued = 0
    for i, token in enumerate(tokens):
        if token.value.has_values:
            valued |= 1 << i
    return tuple([t.type for t in tokens]), valued


def read_table(edition: Edition, table: str, tokens: Sequence[Token], shape: _Shape | None = None) -> TableReading:
    """Parse one table's tokens with ``edition``'s grammar, recovering from what the layout lost.

    No error of Lark's escapes: a table its grammar cannot read at all becomes a reading without a
    plan (its cells unknown), priced so that any other reading wins. ``shape`` is
    :func:`_token_shape` of ``tokens``, when the caller has it already.
    """
    key = (edition.name, table, id(edition.parser), shape or _token_shape(tokens))
    memo = _MEMO.get(key)
    if memo is None:
        try:
            cost, tree, dropped = _read_table(edition, table, tokens)
        except LarkError:
            cost, tree, dropped = 1 << 20, None, ()
        memo = (cost, plan_table(edition, table, tree) if tree is not None else None, dropped)
        if len(_MEMO) >= _MAX_MEMO:
            _MEMO.clear()
        _MEMO[key] = memo
    cost, plan, dropped = memo
    diagnostics = []
    for i in dropped:
        payload: Payload = tokens[i].value
        diagnostics.append(
            Diagnostic(
                code="unplaced-row",
                message=f"第{payload.line}行的一行数值（{payload.label or '无标签'}）无法对应到模板中的行，未采用",
                line=payload.line,
                column=payload.column,
            )
        )
    return TableReading(edition, plan, cost, tuple(diagnostics))


def _is_heading(token: Token) -> bool:
    """A column heading without values: a label that names no row."""
    return token.type.startswith("C") and not token.value.has_values


def _beyond_headings(tokens: Sequence[Token]) -> list[int]:
    """Per token, the index of the first token after it that is not a column heading without values
    (``len(tokens)`` for none): one pass from the end."""
    out = [0] * len(tokens)
    after = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        out[i] = after
        if not _is_heading(tokens[i]):
            after = i
    return out


def _read_table(edition: Edition, table: str, tokens: Sequence[Token]) -> tuple[int, Tree[Any] | None, tuple[int, ...]]:
    """The LALR parse of one table with recovery: its cost, its tree (leaves: indices into ``tokens``
    or :class:`Missing`), and the indices of the rows with values it dropped."""
    parser = edition.parser
    aliases = _aliases(edition)
    ip = parser.parse_interactive(start=table)
    states = ip.parser_state.parse_conf.states
    cost = 0
    dropped: list[int] = []

    def feedable(state: Any, token: Token) -> str | None:
        choices = state.choices()
        for name in aliases.get(token.type, ()):
            # a terminal among the choices may still be refused after the reductions it triggers
            # (an LALR lookahead): follow them on a copy of the state stack before saying yes
            if name in choices and _accepts(states, _stack(state), name):
                return name
        return None

    def fed(name: str, index: int, token: Token) -> Token:
        return Token(name, index, line=token.line, column=token.column)  # type: ignore[arg-type]

    beyond: list[int] = []  # per token, the first token after it that is not a heading: worked out once, if asked

    def heading_repeated(index: int) -> bool:
        """Whether the column heading ``tokens[index]`` (no values) stands where the labelled row after
        the headings next to it fits as it is: headings printed again over a table's rows (a table over
        several pages), not the head of a later part of the table whose rows before it are missing. A
        row whose label is lost could be either's: the rows are taken as missing, as before."""
        if not beyond:
            beyond.extend(_beyond_headings(tokens))
        after = beyond[index]
        return after < len(tokens) and tokens[after].type != ROW and feedable(ip, tokens[after]) is not None

    for index, token in enumerate(tokens):
        name = feedable(ip, token)
        if name is not None:
            ip.feed_token(fed(name, index, token))
            continue
        if _is_heading(token) and heading_repeated(index):
            # a heading of this edition printed again costs nothing (as a repeated group label); one
            # of another edition is evidence against this one
            if not aliases.get(token.type):
                cost += 1
            continue
        # a later row than the grammar expects: the rows between are missing from the document
        trial = _Trial(ip, index, token)
        inserted = 0
        while inserted < _MAX_INSERTED:
            row_name = feedable(trial, _ROW_PROBE)
            if row_name is None:
                break
            trial.feed_missing(row_name)
            inserted += 1
            name = feedable(trial, token)
            if name is not None:
                break
        if name is not None and inserted:
            for missing in trial.tokens():
                ip.feed_token(missing)
            ip.feed_token(fed(name, index, token))
            cost += inserted
            continue
        # a label or a row where none can stand: drop it
        if token.value.has_values:
            cost += 1
            dropped.append(index)
        elif token.type.startswith(("C", "R")):
            # a column heading or a row label of another edition (a blank row of 2021's （六）, its
            # values lost, read as 2019): evidence against this one
            cost += 1
    # the end of the table: rows still expected are missing
    for _ in range(_MAX_INSERTED):
        if "$END" in ip.choices():
            break
        row_name = feedable(ip, _ROW_PROBE)
        if row_name is None:
            break
        ip.feed_token(_missing(row_name, None, None))
        cost += 1
    try:
        last = tokens[-1] if tokens else None
        tree = ip.feed_eof(last)
    except UnexpectedInput:
        return cost + 100, None, tuple(dropped)
    return cost, tree, tuple(dropped)


def _choose(readings: dict[str, list[tuple[TableReading, TablePlacement]]], year: int | None) -> dict[str, int]:
    """The index of the chosen reading per table: the cheapest; ties go to the other tables'
    choice, then to the edition meant for the report's year, then to the newest edition. A plugin
    edition that ties with a built-in one (a variant of the 2021 edition reads a plain 2021 table at
    the same cost) gives way to it unless the other tables chose the plugin: a plugin wins a report
    only by reading some table better."""
    chosen: dict[str, int] = {}
    ties: dict[str, list[int]] = {}
    for table, options in readings.items():
        costs = [r.cost + p.cost for r, p in options]
        best = min(costs)
        winners = [i for i, c in enumerate(costs) if c == best]
        if len(winners) == 1:
            chosen[table] = winners[0]
        else:
            ties[table] = winners
    for table, winners in ties.items():
        options = readings[table]
        decided = [readings[t][i][0].edition.name for t, i in chosen.items()]
        by_year = [i for i in winners if options[i][0].edition.covers_year(year)]
        agreeing = [i for i in winners if options[i][0].edition.name in decided]
        if len(agreeing) == 1 and not (year is not None and by_year and agreeing != by_year and len(set(decided)) > 1):
            chosen[table] = agreeing[0]
        elif by_year:
            chosen[table] = ([i for i in by_year if options[i][0].edition.builtin] or by_year)[0]
        else:
            chosen[table] = ([i for i in winners if options[i][0].edition.builtin] or winners)[-1]
    return {table: chosen[table] for table in readings}  # in table order, however the choice was made


def _report_edition(editions_by_table: dict[str, str], candidates: list[Edition], year: int | None) -> str:
    counts: dict[str, int] = {}
    for table in ("active", "applications"):
        name = editions_by_table.get(table)
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        name = editions_by_table.get("appeals")
        if name:
            counts[name] = 1
    if not counts:
        by_year = [e.name for e in candidates if e.covers_year(year)]
        return by_year[0] if by_year else ([e for e in candidates if e.builtin] or candidates)[-1].name
    best = max(counts.values())
    top = [n for n, c in counts.items() if c == best]
    if len(top) == 1:
        return top[0]
    by_year = [n for n in top if _editions.get(n).covers_year(year)]
    return by_year[0] if by_year else top[-1]


def parse_text(text: str, *, edition: str | Edition | None = None, source: str | None = None) -> Report:
    """Parse the text of an annual report (see :func:`gxgk.parse`)."""
    folded = fold(text)
    index = LineIndex(folded)
    spans = find_sections(folded, index)
    meta = read_meta(text, folded, spans)
    if edition is None:
        candidates = _editions.all_editions()
    else:
        candidates = [edition if isinstance(edition, Edition) else _editions.get(edition)]
    vocabulary = _editions.vocabulary(candidates)

    token_streams: dict[str, list[Token]] = {}
    for span in spans:
        table = TABLE_OF_SECTION.get(span.number)
        if table is None:
            continue
        rows = zone_rows(text, folded, span.body_start, span.end, index)
        token_streams[table] = tokens_for_section(span.number, rows, vocabulary)

    _require_report(token_streams, folded, source, spans)

    readings: dict[str, list[tuple[TableReading, TablePlacement]]] = {}
    for table, tokens in token_streams.items():
        shape = _token_shape(tokens)
        table_readings = [read_table(ed, table, tokens, shape) for ed in candidates]
        # costs only add up: a reading dearer than the best reading placed so far cannot win or
        # tie, so its cells are not placed (cheapest readings first); readings with equal plans (the
        # editions read section 四 alike) place alike, once
        placements: dict[int, TablePlacement] = {}
        by_plan: dict[TablePlan | None, TablePlacement] = {}
        best: int | None = None
        for i in sorted(range(len(table_readings)), key=lambda i: table_readings[i].cost):
            reading = table_readings[i]
            if best is not None and reading.cost > best:
                placements[i] = _NOT_PLACED
                continue
            placement = by_plan.get(reading.plan)
            if placement is None:
                placement = by_plan[reading.plan] = place_table(table, reading.plan, tokens, defer=True)
            placements[i] = placement
            total = reading.cost + placements[i].cost
            best = total if best is None else min(best, total)
        readings[table] = [(r, placements[i]) for i, r in enumerate(table_readings)]
    chosen = _choose(readings, meta.year)

    tables: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    table_editions: dict[str, str] = {}
    glued: list[Any] = []
    for table, i in chosen.items():
        reading, placement = readings[table][i]
        placement = place_deferred(table, reading.plan, placement)  # rows short of values, for it only
        table_editions[table] = reading.edition.name
        tables.update(placement.values)
        diagnostics.extend(reading.diagnostics)
        diagnostics.extend(placement.diagnostics)
        glued.extend(placement.pending)

    for span in spans:
        if not span.title and span.number in TABLE_OF_SECTION:
            diagnostics.append(
                Diagnostic(
                    code="heading-missing",
                    message=f"未找到第{SECTION_TITLES[span.number][0]}部分“{SECTION_TITLES[span.number][2:]}”的标题：其表格按表头找到，"
                    f"从第{span.line}行读起",
                    cells=(),
                    line=span.line,
                )
            )
    again = heading_again(folded, spans, index)
    if again is not None:
        diagnostics.append(
            Diagnostic(
                code="heading-again",
                message=f"第{again[0]}行又有第三部分的标题“收到和处理政府信息公开申请情况”：文中似乎还有一份报告"
                "（或报告重复了一遍），只读取了前一份的表格",
                cells=(),
                line=again[0],
                column=again[1],
            )
        )
    report_edition = _report_edition(table_editions, candidates, meta.year)
    for table in ("active", "applications", "appeals"):
        if table not in table_editions:
            diagnostics.append(
                Diagnostic(
                    code="missing-table", message=f"未找到{_TABLE_NAMES[table]}的表格", cells=(_TABLE_KEYS[table],)
                )
            )

    from gxgk.convert import converter

    prose = Prose(
        overview=_section_text(text, spans, 1),
        problems=_section_text(text, spans, 5),
        other_matters=_section_text(text, spans, 6),
    )
    data = {
        "edition": report_edition,
        "year": meta.year,
        "agency": meta.agency,
        "title": meta.title,
        "date": meta.date,
        "table_editions": {t: table_editions.get(t) for t in ("active", "applications", "appeals")},
        **tables,
    }
    report = converter.structure(data, Report)
    if glued:
        # rows glued in several possible ways: the report's arithmetic, read without them, decides
        diagnostics.extend(resolve_glued(data, glued, report))
        report = converter.structure(data, Report)
    return attrs.evolve(
        report,
        prose=prose,
        sections=tuple(Section(s.number, s.title, s.line) for s in spans),
        diagnostics=tuple(diagnostics),
        source=source,
    )


_TABLE_NAMES = {
    "active": "第二部分（主动公开）",
    "applications": "第三部分（依申请公开）",
    "appeals": "第四部分（复议诉讼）",
}
_TABLE_KEYS = {"active": "active", "applications": "applications", "appeals": "review"}


def _section_text(text: str, spans: Sequence[Any], number: int) -> str | None:
    for span in spans:
        if span.number == number:
            body = text[span.body_start : span.end].strip()
            return body
    return None


def _require_report(streams: dict[str, list[Token]], folded: str, source: str | None, spans: Sequence[Any]) -> None:
    """Raise :class:`NotAReportError` unless the text holds at least one template table."""
    labelled = 0  # row labels, counted up to the three that make a report (most reports: at once)
    for t in itertools.chain.from_iterable(streams.values()):
        if t.type.startswith("R"):
            labelled += 1
            if labelled >= 3:
                return
    rows = sum(1 for tokens in streams.values() for t in tokens if t.type != ROW or t.value.has_values)
    if streams.get("applications") and rows >= 5:
        return
    looks = "政府信息公开" in folded and ("年度报告" in folded or "年报" in folded)
    numbers = [span.number for span in spans]
    if looks and numbers and not set(numbers) & set(TABLE_OF_SECTION):
        # headings of the prose sections only: the tables' sections are not in the text at all
        found = "、".join(SECTION_TITLES[n][0] for n in numbers)
        lines = folded.count("\n") + 1
        raise NotAReportError(
            f"the document looks like a 政府信息公开工作年度报告 but holds only section {found} of the six, and "
            f"none of the sections with the tables (二、三、四): is it truncated? (it ends at line {lines})",
            looks_like_report=True,
            source=source,
        )
    if looks:
        raise NotAReportError(
            "the document looks like a 政府信息公开工作年度报告 but its tables are in a format no installed "
            f"edition reads (installed: {', '.join(_editions.available())}); a plugin edition could add it",
            looks_like_report=True,
            source=source,
        )
    raise NotAReportError(
        "not a 政府信息公开工作年度报告: none of the template's sections or tables was found", source=source
    )
