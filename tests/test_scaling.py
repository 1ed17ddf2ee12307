"""The parser's work grows linearly with the text: counted, never timed.

Each test parses report-like texts of two sizes (the large ten times the small) and counts the work
of every stage — lines scanned, items made, rows built, tokens lexed, steps of the LALR parser
(tokens fed, including the trial runs of error recovery) — by wrapping the stage functions. Linear
means every count grows at most about tenfold. The texts go to :func:`gxgk.parser.parse_text`
directly: :func:`gxgk.parse` refuses ``str`` input over ``gxgk.source.MAX_TEXT_CHARS`` (5,000,000
characters), a policy of the public entry point, not a limit of the parser.

Three shapes: a huge prose section and a table section full of notes (~1 MB and ~10 MB of UTF-8),
the rows of section 三 repeated (many tables' worth of rows), and one glued line of labels and digits
thousands of rows long (text flattened from a web page, no line breaks at all).
"""

from __future__ import annotations

import pathlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from gxgk import layout, lexer, parser

SEED = pathlib.Path(__file__).resolve().parent / "data" / "seeds" / "000_f2c3bf976b1eabd1.txt"
NOTE = "注：本表中的数据为本机关本年度办理政府信息公开申请的情况，统计期限为当年1月1日至12月31日。\n"
PROSE = "我局坚持贯彻落实《中华人民共和国政府信息公开条例》，加大公开力度，2020年共主动公开政府信息120条。\n"
GLUED = "一、本年新收政府信息公开申请数量12000000012二、上年结转政府信息公开申请数量0000000"


def _seed() -> tuple[str, int, int]:
    """The seed's text, where its section 三 body starts and where it ends."""
    text = SEED.read_text(encoding="utf-8")
    heading = text.index("三、收到和处理")
    body = text.index("\n", heading) + 1
    return text, body, text.index("四、", heading)


def _items(lines: list[tuple[tuple[bool, tuple[Any, ...]], int, int]]) -> int:
    return sum(len(shapes) for (_, shapes, _), _, _ in lines)


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count the work of each stage while parsing."""
    counts: Counter[str] = Counter()

    def wrap(module: Any, name: str, count: Callable[[Any, tuple[Any, ...]], dict[str, int]]) -> None:
        original = getattr(module, name)

        def counted(*args: Any, **kw: Any) -> Any:
            result = original(*args, **kw)
            counts.update(count(result, args))
            return result

        monkeypatch.setattr(module, name, counted)

    # layout._scan(text, folded, start, end, index), scan_zone's lines as tuples: every line of the
    # zone is looked at, its items found
    wrap(layout, "_scan", lambda r, a: {"lines scanned": a[1].count("\n", a[2], a[3]) + 1, "items": _items(r)})
    wrap(layout, "is_prose", lambda r, a: {"prose checks": 1})  # lines with a prose mark or "注"
    wrap(layout, "_scan_cell", lambda r, a: {"cell characters": len(a[0]), "cell items": len(r)})
    wrap(parser, "zone_rows", lambda r, a: {"rows": len(r)})
    wrap(parser, "tokens_for_section", lambda r, a: {"tokens": len(r)})
    wrap(lexer.Vocabulary, "find", lambda r, a: {"label characters": len(a[2]), "terminals": len(r)})
    wrap(parser._Trial, "feed_missing", lambda r, a: {"parser steps": 1})

    from lark.parsers.lalr_interactive_parser import InteractiveParser

    wrap(InteractiveParser, "feed_token", lambda r, a: {"parser steps": 1})
    yield counts


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> Counter[str]:
    parser._MEMO.clear()  # every table read by the LALR parser, not replayed from an earlier reading
    with monkeypatch.context() as m, counting(m) as counts:
        report = parser.parse_text(text)
    counts["characters"] = len(text)
    counts["diagnostics"] = len(report.diagnostics)
    return counts


def _assert_linear(small: Counter[str], large: Counter[str], factor: float) -> None:
    """Every count of the large text is at most about ``factor`` times that of the small one."""
    assert large["characters"] >= 0.95 * factor * small["characters"]
    for key, n in small.items():
        if key == "characters" or n == 0:
            continue
        assert large[key] <= 1.05 * factor * n + 50, f"{key}: {n} → {large[key]} for {factor:g}× the text"


def test_a_huge_prose_section_and_table_notes_10mb(monkeypatch: pytest.MonkeyPatch) -> None:
    text, body, _ = _seed()
    overview = text.index("\n", text.index("一、总体情况")) + 1

    def build(utf8_bytes: int) -> str:
        prose, notes = (utf8_bytes // 2 // len(s.encode()) for s in (PROSE, NOTE))
        return text[:overview] + PROSE * prose + text[overview:body] + NOTE * notes + text[body:]

    small, large = build(1_000_000), build(10_000_000)
    assert len(large.encode()) >= 9_990_000
    counts_small, counts_large = _work(monkeypatch, small), _work(monkeypatch, large)
    _assert_linear(counts_small, counts_large, 10)
    notes = 5_000_000 // len(NOTE.encode())
    assert counts_large["lines scanned"] >= notes and counts_large["prose checks"] >= notes  # every note looked at


def test_many_rows_of_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    text, body, end = _seed()
    rows = text[body:end]

    def build(repeats: int) -> str:
        return text[:body] + rows * repeats + text[end:]

    small, large = _work(monkeypatch, build(40)), _work(monkeypatch, build(400))
    _assert_linear(small, large, 10)
    assert large["tokens"] > 20 * 400  # every repeated row reached the parser


def test_one_glued_line_of_a_million_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    text, body, _ = _seed()

    def build(chars: int) -> str:
        return text[:body] + GLUED * (chars // len(GLUED)) + "\n" + text[body:]

    small, large = _work(monkeypatch, build(100_000)), _work(monkeypatch, build(1_000_000))
    _assert_linear(small, large, 10)
    assert large["items"] > 2 * 1_000_000 // len(GLUED)  # labels and glued numbers, all of them
